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

int rs_select_parse_terms(const rs_front *f, const char *path, const char *spec, double *w) {
    char valid[1024];
    join(valid, sizeof valid, f->term_names, f->n_terms);
    char *copy = rs_strdup(spec);
    int *seen = rs_calloc((size_t)f->n_terms + 1, sizeof *seen);
    int rc = -1, named = 0;
    if (!copy || !seen) goto done;
    for (int j = 0; j < f->n_terms; j++)
        w[j] = 0;
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        char *eq = strchr(item, '=');
        double v = 1.0;
        if (eq) {
            *eq = 0;
            char *end;
            v = strtod(eq + 1, &end);
            while (*end == ' ')
                end++;
            if (end == eq + 1 || *end || !isfinite(v)) {
                rs_set_error("'%s': weight '%s' of term '%s' is not a number", spec, eq + 1, item);
                goto done;
            }
        }
        char *e = item + strlen(item);
        while (e > item && e[-1] == ' ')
            *--e = 0;
        int j = rs_front_term_index(f, item);
        if (j < 0) {
            rs_set_error("'%s': unknown term '%s' (valid terms in '%s': %s)", spec, item, path,
                         valid);
            goto done;
        }
        if (seen[j]++) {
            rs_set_error("'%s': term '%s' is given twice", spec, item);
            goto done;
        }
        w[j] = v;
        named++;
    }
    if (!named) {
        /* no term weighed: every row's utility would be 0, and the first win */
        rs_set_error("'%s' names no term (give term=weight pairs over: %s)", spec, valid);
        goto done;
    }
    rc = 0;
done:
    free(copy);
    free(seen);
    return rc;
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
