/* rs_lambda_stats.c — the soups of an experiment's replicates, point by
 * point of the λ lattice (rs_lambda_stats.h). */
#include "rs_lambda_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_pareto.h"
#include "rs_stats.h"

void rs_lambda_stats_free(rs_lambda_stats *s) {
    if (!s) return;
    free(s->lambda);
    free(s->xy);
    free(s->n);
    free(s->mean);
    free(s->lo);
    free(s->hi);
    free(s->se);
    free(s->plane);
    free(s->control);
    free(s->nondominated);
    free(s->best);
    free(s);
}

/* fronts[1..n) against fronts[0]: the same number of experts and rewards */
static int same_lattice(const rs_front *const *fronts, int n, const char *what) {
    const rs_front *f0 = fronts[0];
    for (int i = 0; i < n; i++) {
        const rs_front *f = fronts[i];
        if (!f) continue;
        if (f->plain || f->n_experts != f0->n_experts) {
            rs_set_error("%s %d has a λ lattice of %d experts, the first front one of %d", what,
                         i + 1, f->plain ? 0 : f->n_experts, f0->n_experts);
            return -1;
        }
        if (f->n_obj != f0->n_obj) {
            rs_set_error("%s %d scores %d rewards, the first front %d", what, i + 1, f->n_obj,
                         f0->n_obj);
            return -1;
        }
    }
    return 0;
}

/* the corners of the figure: a regular K-gon of side 1 from (0,0) to (1,0) */
static void corners(int K, double *c) {
    c[0] = c[1] = 0;
    for (int i = 1; i < K; i++) {
        double a = 2 * acos(-1.0) * (i - 1) / K;
        c[2 * i] = c[2 * (i - 1)] + cos(a);
        c[2 * i + 1] = c[2 * (i - 1) + 1] + sin(a);
    }
}

static rs_lambda_stats *alloc_stats(int K, int d, int np) {
    rs_lambda_stats *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    const size_t pd = (size_t)np * d;
    s->n_experts = K, s->n_obj = d, s->n_pts = np;
    s->lambda = malloc(sizeof(double) * (size_t)np * K);
    s->xy = malloc(sizeof(double) * (size_t)np * 2);
    s->n = calloc((size_t)np, sizeof(int));
    s->mean = malloc(sizeof(double) * pd);
    s->lo = malloc(sizeof(double) * pd);
    s->hi = malloc(sizeof(double) * pd);
    s->se = malloc(sizeof(double) * pd);
    s->plane = malloc(sizeof(double) * pd);
    s->control = malloc(sizeof(double) * pd);
    s->nondominated = calloc((size_t)np, sizeof(int));
    s->best = malloc(sizeof(int) * (size_t)d);
    if (!s->lambda || !s->xy || !s->n || !s->mean || !s->lo || !s->hi || !s->se || !s->plane ||
        !s->control || !s->nondominated || !s->best) {
        rs_lambda_stats_free(s);
        return NULL;
    }
    return s;
}

/* point p's statistics on every reward, from the replicates' soups at it */
static int point_stats(rs_lambda_stats *s, int p, const rs_front *const *fronts,
                       const rs_front *const *controls, int n, double *v) {
    const int K = s->n_experts, d = s->n_obj;
    const double *lam = s->lambda + (size_t)p * K;
    for (int k = 0; k < d; k++) {
        int m = 0, mc = 0;
        double cs = 0;
        for (int r = 0; r < n; r++) {
            int row = rs_front_find_lambda(fronts[r], lam, RS_KIND_BIT(RS_KIND_SOUP));
            if (row >= 0) v[m++] = fronts[r]->obj[(size_t)row * d + k];
            const rs_front *cf = controls ? controls[r] : NULL;
            int crow = cf ? rs_front_find_lambda(cf, lam, RS_KIND_BIT(RS_KIND_SOUP)) : -1;
            if (crow >= 0) cs += cf->obj[(size_t)crow * d + k], mc++;
        }
        rs_interval iv;
        if (rs_stat_bootstrap(v, m, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &iv) != 0)
            return -1;
        double ss = 0;
        for (int r = 0; r < m; r++)
            ss += (v[r] - iv.value) * (v[r] - iv.value);
        const size_t i = (size_t)p * d + k;
        s->n[p] = m;
        s->mean[i] = iv.value, s->lo[i] = iv.lo, s->hi[i] = iv.hi;
        s->se[i] = m > 1 ? sqrt(ss / (m - 1) / m) : m ? 0 : NAN;
        s->control[i] = mc ? cs / mc : NAN;
    }
    return 0;
}

/* the plane (the vertices' means mixed by λ), the non-dominated points and
 * the best point per reward, once every point's means are known */
static void lattice_summary(rs_lambda_stats *s) {
    const int K = s->n_experts, d = s->n_obj, np = s->n_pts;
    int *vert = malloc(sizeof(int) * (size_t)K);
    for (int i = 0; vert && i < K; i++) {
        vert[i] = -1;
        for (int p = 0; p < np && vert[i] < 0; p++) {
            int ok = 1;
            for (int j = 0; j < K && ok; j++)
                ok = s->lambda[(size_t)p * K + j] == (j == i);
            if (ok) vert[i] = p;
        }
    }
    for (int p = 0; p < np; p++)
        for (int k = 0; k < d; k++) {
            double pl = 0;
            for (int i = 0; i < K; i++)
                pl += vert && vert[i] >= 0
                          ? s->lambda[(size_t)p * K + i] * s->mean[(size_t)vert[i] * d + k]
                          : NAN;
            s->plane[(size_t)p * d + k] = pl;
        }
    free(vert);
    for (int p = 0; p < np; p++) {
        int ok = s->n[p] > 0;
        for (int k = 0; k < d && ok; k++)
            ok = isfinite(s->mean[(size_t)p * d + k]);
        for (int q = 0; q < np && ok; q++)
            if (q != p && s->n[q] > 0 &&
                rs_pareto_dominates(s->mean + (size_t)q * d, s->mean + (size_t)p * d, d))
                ok = 0;
        s->nondominated[p] = ok;
    }
    for (int k = 0; k < d; k++) {
        s->best[k] = -1;
        for (int p = 0; p < np; p++) {
            double m = s->mean[(size_t)p * d + k];
            if (s->n[p] > 0 && isfinite(m) &&
                (s->best[k] < 0 || m > s->mean[(size_t)s->best[k] * d + k]))
                s->best[k] = p;
        }
    }
}

rs_lambda_stats *rs_lambda_stats_new(const rs_front *const *fronts, const rs_front *const *controls,
                                     int n) {
    if (n < 1 || !fronts || !fronts[0]) {
        rs_set_error("λ statistics: no front");
        return NULL;
    }
    for (int r = 0; r < n; r++)
        if (!fronts[r]) {
            rs_set_error("λ statistics: front %d is missing", r + 1);
            return NULL;
        }
    if (same_lattice(fronts, n, "front") != 0) return NULL;
    if (controls) {
        const rs_front *both[2] = {fronts[0], NULL};
        for (int r = 0; r < n; r++) {
            both[1] = controls[r];
            if (controls[r] && same_lattice(both, 2, "control front") != 0) {
                rs_set_error("replicate %d: %s", r + 1, rs_last_error());
                return NULL;
            }
        }
    }
    const rs_front *f0 = fronts[0];
    const int K = f0->n_experts, d = f0->n_obj;
    int *rows = malloc(sizeof(int) * (size_t)(f0->n ? f0->n : 1));
    int np = rows ? rs_front_select(f0, RS_KIND_BIT(RS_KIND_SOUP), rows) : 0;
    if (rows && np == 0) {
        rs_set_error("λ statistics: the first front has no soup");
        free(rows);
        return NULL;
    }
    rs_lambda_stats *s = rows ? alloc_stats(K, d, np) : NULL;
    double *v = malloc(sizeof(double) * (size_t)n), *c = malloc(sizeof(double) * 2 * (size_t)K);
    if (!s || !v || !c) {
        rs_set_error("out of memory");
        goto fail;
    }
    s->n_reps = n;
    for (int r = 0; controls && r < n; r++)
        s->n_ctl += controls[r] != NULL;
    corners(K, c);
    for (int p = 0; p < np; p++) {
        const double *l = f0->lambda + (size_t)rows[p] * K;
        memcpy(s->lambda + (size_t)p * K, l, sizeof(double) * (size_t)K);
        double x = 0, y = 0;
        for (int i = 0; i < K; i++)
            x += l[i] * c[2 * i], y += l[i] * c[2 * i + 1];
        s->xy[2 * p] = x, s->xy[2 * p + 1] = y;
        if (point_stats(s, p, fronts, controls, n, v) != 0) goto fail;
    }
    lattice_summary(s);
    free(rows);
    free(v);
    free(c);
    return s;
fail:
    free(rows);
    free(v);
    free(c);
    rs_lambda_stats_free(s);
    return NULL;
}

typedef struct {
    const rs_lambda_stats *s;
    const char *const *names;
} write_ctx;

static int write_csv(FILE *fp, void *vctx) {
    const write_ctx *w = vctx;
    const rs_lambda_stats *s = w->s;
    const int K = s->n_experts, d = s->n_obj;
    const char *const *nm = w->names;
    fprintf(
        fp,
        "# per-λ returns of %d experts on the simplex lattice, over %d replicates: mean, 95%% "
        "bootstrap interval of the mean, standard error; plane = the experts' mean returns mixed "
        "by λ; control = control soups' mean (%d replicates); x, y = the point in the simplex "
        "figure; nondominated = 1 where no other point's means are as high on every reward and "
        "higher on one\n",
        K, s->n_reps, s->n_ctl);
    for (int i = 0; i < K; i++)
        fprintf(fp, "%slambda:%s", i ? "," : "", nm[i]);
    fprintf(fp, ",x,y,n");
    for (int k = 0; k < d; k++)
        fprintf(fp, ",%s:mean,%s:lo,%s:hi,%s:se,%s:plane,%s:control", nm[k], nm[k], nm[k], nm[k],
                nm[k], nm[k]);
    fprintf(fp, ",nondominated\n");
    for (int p = 0; p < s->n_pts; p++) {
        for (int i = 0; i < K; i++)
            fprintf(fp, "%s%.10g", i ? "," : "", s->lambda[(size_t)p * K + i]);
        fprintf(fp, ",%.10g,%.10g,%d", s->xy[2 * p], s->xy[2 * p + 1], s->n[p]);
        for (int k = 0; k < d; k++) {
            const size_t i = (size_t)p * d + k;
            fprintf(fp, ",%.10g,%.10g,%.10g,%.10g,%.10g,%.10g", s->mean[i], s->lo[i], s->hi[i],
                    s->se[i], s->plane[i], s->control[i]);
        }
        fprintf(fp, ",%d\n", s->nondominated[p]);
    }
    return ferror(fp) ? -1 : 0;
}

int rs_lambda_stats_write(const rs_lambda_stats *s, const char *const *names, const char *path) {
    /* names reach a CSV header: no separator, no line break */
    for (int k = 0; k < (s->n_experts > s->n_obj ? s->n_experts : s->n_obj); k++)
        if (!names[k] || !*names[k] || strpbrk(names[k], ",\n\r")) {
            rs_set_error("%s: reward name %d ('%s') is empty or holds a comma or a line break",
                         path, k + 1, names[k] ? names[k] : "");
            return -1;
        }
    write_ctx w = {s, names};
    return rs_write_atomic(path, write_csv, &w);
}
