/* front_experts.c — what `rsoup front` and `rsoup lmc` start from: the
 * experts, loaded and checked to mix, and the proxy rewards (given, or the
 * experts' own). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_policy.h"
#include "rs_soup.h"

/* "risky,cautious" or "forward=1,ctrl=1;forward=1" ('; ' separates rewards
 * that are term lists) */
int rs_cli_rewards_parse(const rs_env_spec *s, const char *text, rs_cli_objs *o) {
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", text);
    const char *sep = strchr(buf, ';') || strchr(buf, '=') ? ";" : ",";
    o->n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, sep, &save); t; t = strtok_r(NULL, sep, &save)) {
        while (*t == ' ') t++;
        if (!*t) continue;
        if (o->n >= RS_CLI_MAX_OBJ) {
            rs_set_error("at most %d rewards", RS_CLI_MAX_OBJ);
            return -1;
        }
        if (rs_cli_reward(s, t, o->w[o->n]) != 0) return -1;
        snprintf(o->names[o->n], sizeof o->names[0], "%s", t);
        for (char *c = o->names[o->n]; *c; c++)
            if (*c == ',') *c = ';';
        o->n++;
    }
    if (o->n == 0) {
        rs_set_error("no reward in '%s'", text);
        return -1;
    }
    return 0;
}

/* the experts' own training rewards, without repeats */
int rs_cli_rewards_of_experts(const rs_env_spec *s, rs_st *const *ex, int n, rs_cli_objs *o) {
    o->n = 0;
    for (int i = 0; i < n; i++) {
        const char *r = rs_st_meta(ex[i], "reward");
        if (!r || !*r) {
            rs_set_error("expert %d has no 'reward' metadata: give --rewards", i);
            return -1;
        }
        char name[256];
        snprintf(name, sizeof name, "%s", r);
        for (char *c = name; *c; c++)
            if (*c == ',') *c = ';';
        int dup = 0;
        for (int k = 0; k < o->n; k++) dup |= !strcmp(o->names[k], name);
        if (dup) continue;
        if (rs_reward_parse(s, r, o->w[o->n]) != 0) return -1;
        snprintf(o->names[o->n++], sizeof o->names[0], "%s", name);
    }
    return 0;
}

/* load experts, check they mix, find their env */
int rs_cli_load_experts(const char *cmd, const char *const *paths, int n, rs_st **ex,
                        const rs_env_spec **spec) {
    for (int i = 0; i < n; i++) {
        ex[i] = rs_policy_st_load(paths[i]);
        if (!ex[i]) {
            fprintf(stderr, "rsoup %s: expert %d: %s\n", cmd, i, rs_last_error());
            return -1;
        }
    }
    if (rs_soup_check(ex, n) != 0) {
        fprintf(stderr, "rsoup %s: these experts do not mix: %s\n", cmd, rs_last_error());
        return -1;
    }
    const char *env = rs_st_meta(ex[0], "env");
    *spec = rs_env_find(env ? env : "");
    if (!*spec) {
        fprintf(stderr, "rsoup %s: %s\n", cmd, rs_last_error());
        return -1;
    }
    return 0;
}
