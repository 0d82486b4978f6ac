/* rs_reward.c — reward specs: presets, term lists and mixes of presets.
 *
 *   spec  := item { sep item }        sep := ',' | '+' | '-' (negates next)
 *   item  := [ number '*' ] ( preset | term '=' number | term )
 *
 * Errors quote the spec with a caret under the offending token. */
#include "rs_env.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail_at(const char *text, const char *pos, const char *what) {
    int col = (int)(pos - text);
    rs_set_error("bad reward '%s': %s at column %d\n  %s\n  %*s^", text, what, col + 1, text, col,
                 "");
}

static const rs_preset *find_preset(const rs_env_spec *s, const char *name, int len) {
    for (int i = 0; i < s->n_presets; i++)
        if ((int)strlen(s->presets[i].name) == len && strncmp(s->presets[i].name, name, len) == 0)
            return &s->presets[i];
    return NULL;
}

static void list_names(const rs_env_spec *s, char *buf, size_t size) {
    buf[0] = 0;
    size_t n = 0;
    n += snprintf(buf + n, size - n, "terms: ");
    for (int i = 0; i < s->n_terms && n < size; i++)
        n += snprintf(buf + n, size - n, "%s%s", i ? ", " : "", s->terms[i]);
    if (n < size) n += snprintf(buf + n, size - n, "; presets: ");
    for (int i = 0; i < s->n_presets && n < size; i++)
        n += snprintf(buf + n, size - n, "%s%s", i ? ", " : "", s->presets[i].name);
}

static int parse_number(const char *p, double *out, const char **end) {
    char *e;
    *out = strtod(p, &e);
    if (e == p || !isfinite(*out)) return -1;
    *end = e;
    return 0;
}

static int parse_rec(const rs_env_spec *s, const char *text, double *w, int depth) {
    if (depth > 4) {
        rs_set_error("reward preset nesting too deep in '%s'", text);
        return -1;
    }
    for (int i = 0; i < s->n_terms; i++) w[i] = 0.0;
    const char *p = text;
    double sign = 1.0;
    int items = 0;
    while (*p) {
        while (isspace((unsigned char)*p)) p++;
        if (!*p) break;
        const char *item = p;
        double coef = 1.0;
        /* optional "number *" */
        if (isdigit((unsigned char)*p) || *p == '.' || ((*p == '-' || *p == '+') && items == 0)) {
            const char *e;
            if (parse_number(p, &coef, &e) != 0) {
                fail_at(text, p, "expected a number");
                return -1;
            }
            while (isspace((unsigned char)*e)) e++;
            if (*e != '*') {
                fail_at(text, e, "expected '*' after a coefficient");
                return -1;
            }
            p = e + 1;
            while (isspace((unsigned char)*p)) p++;
        }
        const char *name = p;
        while (isalnum((unsigned char)*p) || *p == '_') p++;
        int len = (int)(p - name);
        if (len == 0) {
            fail_at(text, name, "expected a term or preset name");
            return -1;
        }
        while (isspace((unsigned char)*p)) p++;
        if (*p == '=') {
            p++;
            while (isspace((unsigned char)*p)) p++;
            double v;
            const char *e;
            if (parse_number(p, &v, &e) != 0) {
                fail_at(text, p, "expected a weight after '='");
                return -1;
            }
            p = e;
            coef *= v;
        }
        char nm[64];
        snprintf(nm, sizeof nm, "%.*s", len < 63 ? len : 63, name);
        int ti = rs_env_term_index(s, nm);
        const rs_preset *pr = ti < 0 ? find_preset(s, name, len) : NULL;
        if (ti >= 0) {
            w[ti] += sign * coef;
        } else if (pr) {
            double sub[RS_MAX_TERMS];
            if (parse_rec(s, pr->spec, sub, depth + 1) != 0) return -1;
            for (int i = 0; i < s->n_terms; i++) w[i] += sign * coef * sub[i];
        } else {
            char names[512], what[700];
            list_names(s, names, sizeof names);
            snprintf(what, sizeof what, "'%s' is neither a term nor a preset of %s (%s)", nm,
                     s->name, names);
            fail_at(text, name, what);
            return -1;
        }
        (void)item;
        items++;
        while (isspace((unsigned char)*p)) p++;
        if (!*p) break;
        if (*p == ',' || *p == '+') {
            sign = 1.0;
        } else if (*p == '-') {
            sign = -1.0;
        } else {
            fail_at(text, p, "expected ',' or '+' between items");
            return -1;
        }
        p++;
        while (isspace((unsigned char)*p)) p++;
        if (!*p) {
            fail_at(text, p, "dangling separator");
            return -1;
        }
    }
    if (items == 0) {
        rs_set_error("empty reward spec (give a preset such as 'default', or terms like "
                     "'forward=1,ctrl=0.001')");
        return -1;
    }
    return 0;
}

int rs_reward_parse(const rs_env_spec *s, const char *text, double *weights) {
    if (!text) text = "default";
    /* every buffer that holds a spec (CSV column names, metadata) fits this */
    size_t len = strlen(text);
    if (len > RS_REWARD_MAX_LEN) {
        rs_set_error("reward spec of %zu characters is too long (at most %d): '%.40s...'", len,
                     RS_REWARD_MAX_LEN, text);
        return -1;
    }
    double w[RS_MAX_TERMS];
    if (parse_rec(s, text, w, 0) != 0) return -1;
    /* a weight this large is a typo, and its products overflow to inf */
    for (int i = 0; i < s->n_terms; i++)
        if (!(fabs(w[i]) <= RS_REWARD_MAX_WEIGHT)) {
            rs_set_error("bad reward '%s': the weight of %s is %g (weights must lie in [-%g, %g])", text,
                         s->terms[i], w[i], RS_REWARD_MAX_WEIGHT, RS_REWARD_MAX_WEIGHT);
            return -1;
        }
    memcpy(weights, w, sizeof(double) * (size_t)s->n_terms);
    return 0;
}

void rs_reward_format(const rs_env_spec *s, const double *w, char *buf, int size) {
    int n = 0;
    buf[0] = 0;
    for (int i = 0; i < s->n_terms && n < size; i++) {
        if (w[i] == 0.0) continue;
        n += snprintf(buf + n, (size_t)(size - n), "%s%s=%.17g", n ? "," : "", s->terms[i], w[i]);
    }
    if (n == 0) snprintf(buf, (size_t)size, "%s=0", s->terms[0]);
}
