/* rs_compare.c — K fronts on one reference point (rs_compare.h). */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_compare.h"
#include "rs_pareto.h"

double *rs_compare_expert_line(const rs_front *f, int *n) {
    const int d = f->n_obj;
    int *rows = rs_calloc((size_t)f->n + 1, sizeof *rows);
    int ne = 0, nr = 0;
    double *ex = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_EXPERT), &ne, NULL);
    if (rows) nr = rs_front_select(f, RS_KIND_BIT(RS_KIND_SOUP), rows);
    double *line = rows && ex ? rs_calloc((size_t)nr * d + 1, sizeof *line) : NULL;
    for (int r = 0; line && r < nr; r++)
        for (int k = 0; k < d; k++)
            for (int e = 0; e < ne && e < f->n_experts; e++)
                line[(size_t)r * d + k] +=
                    f->lambda[(size_t)rows[r] * f->n_experts + e] * ex[(size_t)e * d + k];
    free(rows);
    free(ex);
    *n = line ? nr : 0;
    return line;
}

/* the point blocks of one front, in the order their points enter the
 * computed reference point */
enum { B_SOUP, B_BASE, B_EXPERTS, B_LINE, B_CONTROL, N_BLOCKS };
typedef struct {
    double *pts[N_BLOCKS];
    int n[N_BLOCKS];
    int *rows[N_BLOCKS]; /* front rows of the soup and baseline blocks, for errors */
} blocks;

static void blocks_free(blocks *b) {
    for (int i = 0; i < N_BLOCKS; i++) {
        free(b->pts[i]);
        free(b->rows[i]);
    }
}

static int blocks_load(const rs_compare_req *q, int i, blocks *b) {
    const rs_front *f = q->fronts[i];
    unsigned soup = f->plain ? RS_KIND_BIT(RS_KIND_POINT) : q->soup_kinds;
    unsigned base = f->plain ? 0 : q->baseline_kinds;
    b->rows[B_SOUP] = rs_calloc((size_t)f->n + 1, sizeof(int));
    b->rows[B_BASE] = rs_calloc((size_t)f->n + 1, sizeof(int));
    if (!b->rows[B_SOUP] || !b->rows[B_BASE]) return -1;
    b->pts[B_SOUP] = rs_front_obj_new(f, soup, &b->n[B_SOUP], b->rows[B_SOUP]);
    b->pts[B_BASE] = rs_front_obj_new(f, base, &b->n[B_BASE], b->rows[B_BASE]);
    if (!b->pts[B_SOUP] || !b->pts[B_BASE]) return -1;
    if (q->experts && !f->plain) {
        b->pts[B_EXPERTS] =
            rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_EXPERT), &b->n[B_EXPERTS], NULL);
        b->pts[B_LINE] = rs_compare_expert_line(f, &b->n[B_LINE]);
        if (!b->pts[B_EXPERTS] || !b->pts[B_LINE]) return -1;
    }
    const rs_front *cf = q->control ? q->control[i] : NULL;
    if (cf) {
        b->pts[B_CONTROL] = rs_front_obj_new(cf, RS_KIND_BIT(RS_KIND_SOUP), &b->n[B_CONTROL], NULL);
        if (!b->pts[B_CONTROL]) return -1;
    }
    for (int k = 0; k < N_BLOCKS; k++)
        for (size_t j = 0; j < (size_t)b->n[k] * f->n_obj; j++)
            if (!isfinite(b->pts[k][j])) {
                rs_set_error("front %d: a scored value is %g", i + 1, b->pts[k][j]);
                return -1;
            }
    return 0;
}

/* issue 28: a fixed reference point must be dominated by every scored point,
 * else that point silently adds nothing to the hypervolume */
static int check_ref(const rs_compare_req *q, int i, const blocks *b, const double *ref, int d) {
    static const char *what[N_BLOCKS] = {"", "", "expert", "experts' line point", "control soup"};
    for (int k = 0; k < N_BLOCKS; k++)
        for (int p = 0; p < b->n[k]; p++) {
            const double *x = b->pts[k] + (size_t)p * d;
            if (rs_pareto_dominates(x, ref, d)) continue;
            char pt[512] = "", rf[512] = "";
            for (int j = 0; j < d; j++) {
                snprintf(pt + strlen(pt), sizeof pt - strlen(pt), "%s%.10g", j ? ", " : "", x[j]);
                snprintf(rf + strlen(rf), sizeof rf - strlen(rf), "%s%.10g", j ? ", " : "", ref[j]);
            }
            char whose[300], which[200];
            if (q->names)
                snprintf(whose, sizeof whose, "'%s'", q->names[i]);
            else
                snprintf(whose, sizeof whose, "front %d", i + 1);
            if (k <= B_BASE)
                snprintf(which, sizeof which, "%s '%s'",
                         rs_front_kind_name(q->fronts[i]->kind[b->rows[k][p]]),
                         q->fronts[i]->label[b->rows[k][p]]);
            else
                snprintf(which, sizeof which, "%s %d", what[k], p + 1);
            rs_set_error("the reference point (%s) is not dominated by the point (%s) of %s (%s): "
                         "give a reference point below every point",
                         rf, pt, whose, which);
            return -1;
        }
    return 0;
}

static void score(const rs_compare_req *q, const blocks *b, int d, const double *ref,
                  rs_compare_front *m) {
    const int k = q->eum_k;
    m->n_soup = b->n[B_SOUP];
    m->n_baseline = b->n[B_BASE];
    m->hv = rs_hv(b->pts[B_SOUP], b->n[B_SOUP], d, ref);
    m->eum = b->n[B_SOUP] ? rs_eum_uniform(b->pts[B_SOUP], b->n[B_SOUP], d, k) : NAN;
    m->sparsity = rs_sparsity(b->pts[B_SOUP], b->n[B_SOUP], d);
    m->n_nondom = m->cardinality = 0;
    int *mask = rs_calloc((size_t)b->n[B_SOUP] + 1, sizeof *mask);
    if (mask) {
        m->n_nondom = rs_pareto_nondominated(b->pts[B_SOUP], b->n[B_SOUP], d, mask);
        m->cardinality =
            m->n_nondom < 0 ? 0 : rs_pareto_distinct(b->pts[B_SOUP], b->n[B_SOUP], d, mask);
    }
    free(mask);
    m->baseline_hv = b->n[B_BASE] ? rs_hv(b->pts[B_BASE], b->n[B_BASE], d, ref) : NAN;
    m->baseline_eum = b->n[B_BASE] ? rs_eum_uniform(b->pts[B_BASE], b->n[B_BASE], d, k) : NAN;
    m->ratio = m->baseline_hv > 0 ? m->hv / m->baseline_hv : NAN;
    m->experts_hv = m->line_hv = m->line_eum = NAN;
    if (b->pts[B_EXPERTS]) {
        m->experts_hv = rs_hv(b->pts[B_EXPERTS], b->n[B_EXPERTS], d, ref);
        m->line_hv = rs_hv(b->pts[B_LINE], b->n[B_LINE], d, ref);
        m->line_eum = b->n[B_LINE] ? rs_eum_uniform(b->pts[B_LINE], b->n[B_LINE], d, k) : NAN;
    }
    m->control_hv = b->n[B_CONTROL] ? rs_hv(b->pts[B_CONTROL], b->n[B_CONTROL], d, ref) : NAN;
}

void rs_compare_free(rs_compare_result *r) {
    if (!r) return;
    free(r->ref);
    free(r->front);
    memset(r, 0, sizeof *r);
}

int rs_compare_run(const rs_compare_req *q, rs_compare_result *out) {
    memset(out, 0, sizeof *out);
    if (!q || q->n < 1 || !q->fronts) {
        rs_set_error("compare: no fronts");
        return -1;
    }
    if (q->eum_k < 1) {
        rs_set_error("compare: EUM's lattice resolution must be >= 1, got %d", q->eum_k);
        return -1;
    }
    const int n = q->n, d = q->fronts[0]->n_obj;
    for (int i = 0; i < n; i++)
        if (q->fronts[i]->n_obj != d ||
            (q->control && q->control[i] && q->control[i]->n_obj != d)) {
            rs_set_error("compare: front %d has %d objectives, front 1 has %d", i + 1,
                         q->fronts[i]->n_obj, d);
            return -1;
        }
    blocks *b = rs_calloc((size_t)n, sizeof *b);
    out->n = n;
    out->d = d;
    out->ref = rs_calloc((size_t)d, sizeof *out->ref);
    out->front = rs_calloc((size_t)n, sizeof *out->front);
    int status = -1;
    if (!b || !out->ref || !out->front) goto done;
    size_t n_all = 0;
    for (int i = 0; i < n; i++) {
        if (blocks_load(q, i, &b[i]) < 0) goto done;
        for (int k = 0; k < N_BLOCKS; k++)
            n_all += (size_t)b[i].n[k];
    }
    if (q->ref) {
        memcpy(out->ref, q->ref, sizeof(double) * d);
        for (int i = 0; i < n; i++)
            if (check_ref(q, i, &b[i], out->ref, d) < 0) goto done;
    } else {
        /* min and max are exact: the order the points are gathered in does
         * not change the reference point */
        double *all = rs_calloc(n_all * d + 1, sizeof *all);
        if (!all) goto done;
        size_t at = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < N_BLOCKS; k++) {
                if (b[i].n[k]) memcpy(all + at * d, b[i].pts[k], sizeof *all * b[i].n[k] * d);
                at += (size_t)b[i].n[k];
            }
        int rc = rs_pareto_default_ref(all, (int)n_all, d, q->margin, out->ref);
        free(all);
        if (rc < 0) goto done;
        out->ref_computed = 1;
    }
    for (int i = 0; i < n; i++)
        score(q, &b[i], d, out->ref, &out->front[i]);
    status = 0;
done:
    for (int i = 0; b && i < n; i++)
        blocks_free(&b[i]);
    free(b);
    if (status) rs_compare_free(out);
    return status;
}

int rs_compare_aggregate(const rs_compare_result *r, rs_stat_kind kind, double level, int resamples,
                         uint64_t seed, rs_compare_agg *out) {
    struct {
        size_t front_off;
        rs_interval *iv;
    } s[] = {
        {offsetof(rs_compare_front, hv), &out->hv},
        {offsetof(rs_compare_front, eum), &out->eum},
        {offsetof(rs_compare_front, baseline_hv), &out->baseline_hv},
        {offsetof(rs_compare_front, baseline_eum), &out->baseline_eum},
        {offsetof(rs_compare_front, ratio), &out->ratio},
        {offsetof(rs_compare_front, experts_hv), &out->experts_hv},
        {offsetof(rs_compare_front, line_hv), &out->line_hv},
        {offsetof(rs_compare_front, line_eum), &out->line_eum},
        {offsetof(rs_compare_front, control_hv), &out->control_hv},
    };
    double *v = rs_calloc((size_t)r->n + 1, sizeof *v);
    if (!v) return -1;
    int status = 0;
    for (size_t j = 0; j < sizeof s / sizeof s[0]; j++) {
        for (int i = 0; i < r->n; i++)
            v[i] = *(const double *)((const char *)&r->front[i] + s[j].front_off);
        if (rs_stat_bootstrap(v, r->n, kind, level, resamples, seed, s[j].iv) < 0) status = -1;
    }
    free(v);
    return status;
}

int rs_compare_lmc_aggregate(const rs_lmc *const *v, int n, rs_stat_kind kind, double level,
                             int resamples, uint64_t seed, rs_compare_lmc_agg *out) {
    double *x = rs_calloc((size_t)n * 2 + 1, sizeof *x), *a = x + n;
    memset(out, 0, sizeof *out);
    if (!x) return -1;
    for (int i = 0; i < n; i++) {
        if (!v[i]) continue;
        x[out->n] = v[i]->barrier;
        a[out->n++] = v[i]->area;
        out->n_barrier += v[i]->is_barrier != 0;
    }
    int rc = rs_stat_bootstrap(x, out->n, kind, level, resamples, seed, &out->barrier);
    if (rc == 0) rc = rs_stat_bootstrap(a, out->n, kind, level, resamples, seed, &out->area);
    free(x);
    return rc;
}
