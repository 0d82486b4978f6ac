/* rs_rewardset.c — reward sets: the one parser of a reward list and of
 * reward names (rs_rewardset.h). */
#include "rs_rewardset.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "rs_common.h"

int rs_reward_name_check(const char *name) {
    if (!name || !*name) {
        rs_set_error("an empty reward name");
        return -1;
    }
    if (strlen(name) >= RS_REWARD_NAME_MAX) {
        rs_set_error("reward name '%s' is longer than %d bytes", name, RS_REWARD_NAME_MAX - 1);
        return -1;
    }
    for (const char *c = name; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-')) {
            char what[16];
            rs_set_error("reward name '%s' holds %s: names may hold letters, digits, '_' and '-' "
                         "only",
                         name, rs_byte_text((unsigned char)*c, what, sizeof what));
            return -1;
        }
    return 0;
}

int rs_rewardset_find(const rs_rewardset *r, const char *name) {
    for (int k = 0; k < r->n; k++)
        if (!strcmp(r->name[k], name)) return k;
    return -1;
}

/* the reward at k named (name: checked, unique) */
static int set_name(rs_rewardset *r, int k, const char *name) {
    if (rs_reward_name_check(name) != 0) return -1;
    for (int j = 0; j < r->n; j++)
        if (j != k && !strcmp(r->name[j], name)) {
            rs_set_error("reward name '%s' is given twice (each reward needs its own)", name);
            return -1;
        }
    snprintf(r->name[k], sizeof r->name[k], "%s", name);
    r->named = 1;
    return 0;
}

int rs_rewardset_add(rs_rewardset *r, const rs_env_spec *s, const char *name, const char *spec) {
    if (r->n >= RS_REWARDSET_MAX) {
        rs_set_error("at most %d rewards", RS_REWARDSET_MAX);
        return -1;
    }
    if (!spec) {
        rs_set_error("reward %s%s%s: no spec", name ? "'" : "", name ? name : "", name ? "'" : "");
        return -1;
    }
    if (strlen(spec) > RS_REWARD_MAX_LEN) {
        rs_set_error("reward spec of %zu characters is too long (at most %d): '%.40s...'", strlen(spec),
                     RS_REWARD_MAX_LEN, spec);
        return -1;
    }
    const int k = r->n;
    memset(r->w[k], 0, sizeof r->w[k]);
    if (s && rs_reward_parse(s, spec, r->w[k]) != 0) {
        if (name) {
            char m[700];
            snprintf(m, sizeof m, "%s", rs_last_error());
            rs_set_error("reward '%s': %s", name, m);
        }
        return -1;
    }
    snprintf(r->spec[k], sizeof r->spec[k], "%s", spec);
    /* unnamed: the spec, ',' as ';' (a name is a front's column) */
    snprintf(r->name[k], sizeof r->name[k], "%s", spec);
    for (char *c = r->name[k]; *c; c++)
        if (*c == ',') *c = ';';
    if (name && set_name(r, k, name) != 0) return -1;
    r->n++;
    return 0;
}

int rs_rewardset_name(rs_rewardset *r, const char *names) {
    char buf[RS_REWARDSET_MAX * RS_REWARD_NAME_MAX + 64];
    if (strlen(names) >= sizeof buf) {
        rs_set_error("names '%.60s...' too long", names);
        return -1;
    }
    /* split by hand (strtok would merge ",," and hide an empty name) */
    const char *item[RS_REWARDSET_MAX + 1];
    int n = 0;
    snprintf(buf, sizeof buf, "%s", names);
    for (char *t = buf;;) {
        char *end = strchr(t, ',');
        if (end) *end = 0;
        while (*t == ' ')
            t++;
        for (char *e = t + strlen(t); e > t && e[-1] == ' ';)
            *--e = 0;
        if (n <= RS_REWARDSET_MAX) item[n] = t;
        n++;
        if (!end) break;
        t = end + 1;
    }
    if (n != r->n) {
        rs_set_error("%d name%s ('%s') for %d reward%s: give one name per reward, in order", n,
                     n == 1 ? "" : "s", names, r->n, r->n == 1 ? "" : "s");
        return -1;
    }
    /* checked against each other first, so that a repeat is said as one */
    for (int k = 0; k < n; k++) {
        if (rs_reward_name_check(item[k]) != 0) return -1;
        for (int j = 0; j < k; j++)
            if (!strcmp(item[j], item[k])) {
                rs_set_error("reward name '%s' is given twice (each reward needs its own)",
                             item[k]);
                return -1;
            }
    }
    for (int k = 0; k < n; k++)
        snprintf(r->name[k], sizeof r->name[k], "%s", item[k]);
    r->named = 1;
    return 0;
}

int rs_rewardset_parse(rs_rewardset *r, const rs_env_spec *s, const char *list, const char *names) {
    memset(r, 0, sizeof *r);
    char buf[RS_REWARDSET_MAX * (RS_REWARD_MAX_LEN + 1) + 64];
    if (strlen(list) >= sizeof buf) {
        rs_set_error("reward list '%.60s...' too long", list);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", list);
    /* a term list is one reward whose items ',' separates: such rewards are
     * separated by ';', presets and mixes by either */
    const char *sep = strchr(buf, ';') || strchr(buf, '=') ? ";" : ",";
    char *save = NULL;
    for (char *t = strtok_r(buf, sep, &save); t; t = strtok_r(NULL, sep, &save)) {
        while (*t == ' ')
            t++;
        if (!*t) continue;
        if (rs_rewardset_add(r, s, NULL, t) != 0) return -1;
    }
    if (r->n == 0) {
        rs_set_error("no reward in '%s'", list);
        return -1;
    }
    return names ? rs_rewardset_name(r, names) : 0;
}

int rs_rewardset_of_front(rs_rewardset *r, const rs_env_spec *s, const rs_front *f) {
    memset(r, 0, sizeof *r);
    if (f->n_obj > RS_REWARDSET_MAX) {
        rs_set_error("the front has %d objectives; at most %d", f->n_obj, RS_REWARDSET_MAX);
        return -1;
    }
    for (int k = 0; k < f->n_obj; k++) {
        char buf[RS_REWARD_MAX_LEN + 1];
        const char *spec = rs_front_obj_spec(f, k, buf, sizeof buf);
        if (rs_rewardset_add(r, s, NULL, spec) != 0) {
            char m[700];
            snprintf(m, sizeof m, "%s", rs_last_error());
            rs_set_error("objective '%s': %s", f->obj_names[k], m);
            return -1;
        }
        /* the file's name as it is (a named file's names were checked on
         * load; an older file's is its spec, already ';'-written) */
        snprintf(r->name[k], sizeof r->name[k], "%s", f->obj_names[k]);
        r->named |= rs_front_obj_named(f, k);
    }
    return 0;
}
