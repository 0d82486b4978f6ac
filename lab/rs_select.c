/* rs_select.c — a front's best row for a utility (rs_select.h). */
#include "rs_select.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"

/* "a, b, c" */
static void join(char *buf, size_t cap, char *const *names, int n) {
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(buf);
        snprintf(buf + k, cap - k, "%s%s", i ? ", " : "", names[i]);
    }
}

/* name=weight pairs over names[n] (what: "term" or "objective"); the
 * weight starts after the last '=' when last_eq (an older front's
 * objectives are specs, with '=' of their own), else after the first */
static int parse_pairs(char *const *names, int n, const char *what, int last_eq, const char *path,
                       const char *spec, double *w) {
    char valid[1024];
    join(valid, sizeof valid, names, n);
    char *copy = rs_strdup(spec);
    int *seen = rs_calloc((size_t)n + 1, sizeof *seen);
    int rc = -1, named = 0;
    if (!copy || !seen) goto done;
    for (int j = 0; j < n; j++)
        w[j] = 0;
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        char *eq = last_eq ? strrchr(item, '=') : strchr(item, '=');
        double v = 1.0;
        if (eq) {
            *eq = 0;
            char *end;
            v = strtod(eq + 1, &end);
            while (*end == ' ')
                end++;
            if (end == eq + 1 || *end || !isfinite(v)) {
                rs_set_error("'%s': weight '%s' of %s '%s' is not a number", spec, eq + 1, what, item);
                goto done;
            }
        }
        char *e = item + strlen(item);
        while (e > item && e[-1] == ' ')
            *--e = 0;
        int j = -1;
        for (int k = 0; k < n && j < 0; k++)
            if (!strcmp(names[k], item)) j = k;
        if (j < 0) {
            rs_set_error("'%s': unknown %s '%s' (valid %ss in '%s': %s)", spec, what, item, what,
                         path, valid);
            goto done;
        }
        if (seen[j]++) {
            rs_set_error("'%s': %s '%s' is given twice", spec, what, item);
            goto done;
        }
        w[j] = v;
        named++;
    }
    if (!named) {
        /* no term weighed: every row's utility would be 0, and the first win */
        rs_set_error("'%s' names no %s (give %s=weight pairs over: %s)", spec, what, what, valid);
        goto done;
    }
    rc = 0;
done:
    free(copy);
    free(seen);
    return rc;
}

int rs_select_parse_terms(const rs_front *f, const char *path, const char *spec, double *w) {
    return parse_pairs(f->term_names, f->n_terms, "term", 0, path, spec, w);
}

int rs_select_parse_weights(const rs_front *f, const char *path, const char *text, double *w) {
    return parse_pairs(f->obj_names, f->n_obj, "objective", 1, path, text, w);
}

static double utility(const double *w, const double *x, int n) {
    double u = 0;
    for (int j = 0; j < n; j++)
        u += w[j] * x[j];
    return u;
}

int rs_select_best_row(const rs_front *f, unsigned kinds, const double *w, int by_terms,
                       rs_select_best *out) {
    int best = -1, nc = 0, ns = 0;
    double bu = -INFINITY;
    for (int i = 0; i < f->n; i++) {
        if (!(kinds & RS_KIND_BIT(f->kind[i]))) continue;
        nc++;
        double u = by_terms ? utility(w, f->term + (size_t)i * f->n_terms, f->n_terms)
                            : utility(w, f->obj + (size_t)i * f->n_obj, f->n_obj);
        if (!isfinite(u)) {
            ns++;
            continue;
        }
        if (best < 0 || u > bu) best = i, bu = u;
    }
    out->row = best;
    out->utility = bu;
    out->n_candidates = nc;
    out->n_skipped = ns;
    return best;
}
