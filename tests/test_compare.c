/* test_compare.c — K fronts on one reference point (lab/rs_compare.h),
 * checked against computations written here: the 2-D hypervolume by a grid
 * over every coordinate, EUM by its definition on the 2-D lattice, the
 * reference point by its formula, the bootstrap interval by a naive
 * resampling with the same generator and seed; a fixed reference point that
 * some point does not dominate is an error naming the point (issue 28). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_compare.h"
#include "rs_test.h"
#include "rs_test_brute.h"

static const char *NAMES[2] = {"a", "b"};

/* a front of 2 experts on 2 objectives: soups at λ = (t, 1-t), experts,
 * baselines, all from a seeded generator */
static rs_front *make_front(uint64_t seed, int n_soup, int n_base) {
    rs_front *f = rs_front_new(2, 2, NAMES, 0, NULL);
    rs_rng g;
    rs_rng_seed(&g, seed, 7);
    for (int e = 0; e < 2; e++) {
        double lam[2] = {e == 0, e == 1}, obj[2];
        obj[0] = e == 0 ? 10 + rs_rng_uniform(&g) : rs_rng_uniform(&g);
        obj[1] = e == 1 ? 10 + rs_rng_uniform(&g) : rs_rng_uniform(&g);
        rs_front_row r = {RS_KIND_EXPERT, e ? "e1" : "e0", lam, 1, obj, NULL, NULL, NULL, NAN};
        rs_front_add(f, &r);
    }
    for (int i = 0; i < n_soup; i++) {
        double t = (double)i / (n_soup - 1), lam[2] = {t, 1 - t};
        double obj[2] = {10 * t + 2 * rs_rng_uniform(&g), 10 * (1 - t) + 2 * rs_rng_uniform(&g)};
        char lab[32];
        snprintf(lab, sizeof lab, "%.2f", t);
        rs_front_row r = {RS_KIND_SOUP, lab, lam, 1, obj, NULL, NULL, NULL, NAN};
        rs_front_add(f, &r);
    }
    for (int i = 0; i < n_base; i++) {
        double lam[2] = {NAN, NAN}, obj[2] = {12 * rs_rng_uniform(&g), 12 * rs_rng_uniform(&g)};
        char lab[32];
        snprintf(lab, sizeof lab, "morl_%d", i);
        rs_front_row r = {RS_KIND_BASELINE, lab, lam, 1, obj, NULL, NULL, NULL, NAN};
        rs_front_add(f, &r);
    }
    return f;
}

/* the rows of kind in f, as a point list */
static int rows_of(const rs_front *f, rs_front_kind kind, double *out) {
    int m = 0;
    for (int i = 0; i < f->n; i++)
        if (f->kind[i] == kind) out[2 * m] = f->obj[2 * i], out[2 * m + 1] = f->obj[2 * i + 1], m++;
    return m;
}

/* the percentile bootstrap of the mean written out: B resamples drawn with
 * rs_rng seeded (seed, 0), type 7 quantiles at 2.5 % and 97.5 % */
static void naive_bootstrap(const double *v, int m, int B, uint64_t seed, double *mean, double *lo,
                            double *hi) {
    rs_rng g;
    rs_rng_seed(&g, seed, 0);
    double *st = malloc(sizeof(double) * (size_t)B);
    *mean = 0;
    for (int b = 0; b < B; b++) {
        double s = 0;
        for (int i = 0; i < m; i++)
            s += v[rs_rng_below(&g, (uint64_t)m)];
        st[b] = s / m;
    }
    for (int i = 0; i < m; i++)
        *mean += v[i] / m;
    qsort(st, (size_t)B, sizeof *st, rs_test_cmp_double);
    double pl = 0.025 * (B - 1), ph = 0.975 * (B - 1);
    int il = (int)pl, ih = (int)ph;
    *lo = st[il] + (pl - il) * (st[il + 1] - st[il]);
    *hi = st[ih] + (ph - ih) * (st[ih + 1] - st[ih]);
    free(st);
}

static void test_scores_against_brute_force(void) {
    rs_front *f[3] = {make_front(1, 11, 4), make_front(2, 6, 3), make_front(3, 9, 0)};
    rs_compare_req q = {.n = 3,
                        .fronts = (const rs_front *const *)f,
                        .soup_kinds = RS_KIND_BIT(RS_KIND_SOUP),
                        .baseline_kinds = RS_KIND_BIT(RS_KIND_BASELINE),
                        .experts = 1,
                        .margin = 0.05,
                        .eum_k = 37};
    rs_compare_result r;
    CHECK(rs_compare_run(&q, &r) == 0, "run: %s", rs_last_error());
    CHECK(r.ref_computed == 1, "ref computed");
    /* the reference point: min - 5% of the range over every scored point,
     * the experts' line included */
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    double pts[64], base[64], ex[8], line[64];
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < f[i]->n; k++)
            for (int j = 0; j < 2; j++)
                lo[j] = fmin(lo[j], f[i]->obj[2 * k + j]),
                hi[j] = fmax(hi[j], f[i]->obj[2 * k + j]);
        int ne = rows_of(f[i], RS_KIND_EXPERT, ex);
        CHECK(ne == 2, "experts");
        for (int k = 0; k < f[i]->n; k++) {
            if (f[i]->kind[k] != RS_KIND_SOUP) continue;
            for (int j = 0; j < 2; j++) {
                double v = f[i]->lambda[2 * k] * ex[j] + f[i]->lambda[2 * k + 1] * ex[2 + j];
                lo[j] = fmin(lo[j], v), hi[j] = fmax(hi[j], v);
            }
        }
    }
    for (int j = 0; j < 2; j++)
        CHECK_CLOSE(r.ref[j], lo[j] - 0.05 * (hi[j] - lo[j]), 0, 1e-15, "ref");
    for (int i = 0; i < 3; i++) {
        const rs_compare_front *m = &r.front[i];
        int ns = rows_of(f[i], RS_KIND_SOUP, pts), nb = rows_of(f[i], RS_KIND_BASELINE, base);
        rows_of(f[i], RS_KIND_EXPERT, ex);
        int nl = 0;
        for (int k = 0; k < f[i]->n; k++)
            if (f[i]->kind[k] == RS_KIND_SOUP) {
                for (int j = 0; j < 2; j++)
                    line[2 * nl + j] =
                        f[i]->lambda[2 * k] * ex[j] + f[i]->lambda[2 * k + 1] * ex[2 + j];
                nl++;
            }
        CHECK(m->n_soup == ns && m->n_baseline == nb, "counts %d %d", m->n_soup, m->n_baseline);
        CHECK_CLOSE(m->hv, rs_test_hv_grid(pts, ns, r.ref), 1e-12, 1e-12, "soups' hv");
        CHECK_CLOSE(m->eum, rs_test_eum_2d(pts, ns, 37), 1e-12, 1e-12, "soups' eum");
        CHECK_CLOSE(m->experts_hv, rs_test_hv_grid(ex, 2, r.ref), 1e-12, 1e-12, "experts' hv");
        CHECK_CLOSE(m->line_hv, rs_test_hv_grid(line, nl, r.ref), 1e-12, 1e-12, "line hv");
        CHECK_CLOSE(m->line_eum, rs_test_eum_2d(line, nl, 37), 1e-12, 1e-12, "line eum");
        if (nb) {
            double bh = rs_test_hv_grid(base, nb, r.ref);
            CHECK_CLOSE(m->baseline_hv, bh, 1e-12, 1e-12, "baseline hv");
            CHECK_CLOSE(m->baseline_eum, rs_test_eum_2d(base, nb, 37), 1e-12, 1e-12, "baseline eum");
            CHECK_CLOSE(m->ratio, m->hv / bh, 1e-12, 1e-12, "ratio");
        } else {
            CHECK(isnan(m->baseline_hv) && isnan(m->baseline_eum) && isnan(m->ratio),
                  "no baseline: NaN");
        }
        CHECK(isnan(m->control_hv), "no control: NaN");
        CHECK(m->n_nondom >= 1 && m->n_nondom <= ns, "non-dominated %d", m->n_nondom);
    }

    /* the interval: a naive percentile bootstrap of the mean, drawn here
     * with the same generator and seed, NaN fronts dropped first */
    rs_compare_agg ag;
    CHECK(rs_compare_aggregate(&r, RS_STAT_MEAN, 0.95, 2000, 99, &ag) == 0, "aggregate");
    for (int which = 0; which < 2; which++) {
        double v[3];
        int m = 0;
        for (int i = 0; i < 3; i++) {
            double x = which ? r.front[i].baseline_hv : r.front[i].hv;
            if (!isnan(x)) v[m++] = x;
        }
        double mean, lo_, hi_;
        naive_bootstrap(v, m, 2000, 99, &mean, &lo_, &hi_);
        const rs_interval *iv = which ? &ag.baseline_hv : &ag.hv;
        CHECK(iv->n == m, "n %d want %d", iv->n, m);
        CHECK_CLOSE(iv->value, mean, 0, 1e-12, "mean");
        CHECK_CLOSE(iv->lo, lo_, 0, 1e-12, "lo");
        CHECK_CLOSE(iv->hi, hi_, 0, 1e-12, "hi");
    }
    CHECK(ag.ratio.n == 2, "ratio over the two fronts with baselines: %d", ag.ratio.n);
    rs_compare_free(&r);
    rs_compare_free(&r); /* freed twice: zeroed, so harmless */
    for (int i = 0; i < 3; i++)
        rs_front_free(f[i]);
}

static void test_fixed_ref_must_be_dominated(void) {
    rs_front *f = make_front(5, 5, 2);
    double ref[2] = {-1, -1};
    const char *names[1] = {"x.csv"};
    rs_compare_req q = {.n = 1,
                        .fronts = (const rs_front *const *)&f,
                        .names = names,
                        .soup_kinds = RS_KIND_BIT(RS_KIND_SOUP),
                        .baseline_kinds = RS_KIND_BIT(RS_KIND_BASELINE),
                        .ref = ref,
                        .eum_k = 10};
    rs_compare_result r;
    CHECK(rs_compare_run(&q, &r) == 0, "a ref below every point: %s", rs_last_error());
    CHECK(r.ref_computed == 0 && r.ref[0] == -1 && r.ref[1] == -1, "the ref as given");
    rs_compare_free(&r);
    /* the soup at λ = (1, 0) has b = 2 * u < 2: a ref at b = 2 is above it */
    ref[1] = 2;
    CHECK(rs_compare_run(&q, &r) == -1, "a ref some point does not dominate is an error");
    char want[64];
    snprintf(want, sizeof want, "(%.10g, %.10g)", f->obj[2 * 6], f->obj[2 * 6 + 1]);
    CHECK(strstr(rs_last_error(), want) && strstr(rs_last_error(), "x.csv") &&
              strstr(rs_last_error(), "soup '1.00'"),
          "the error names the point %s: %s", want, rs_last_error());
    CHECK(r.ref == NULL && r.front == NULL, "nothing left allocated on error");
    rs_front_free(f);
}

/* LMC verdicts over fronts: fronts without one (NULL) are left out */
static void test_lmc_aggregate(void) {
    rs_lmc l[4];
    memset(l, 0, sizeof l);
    double bar[4] = {3, 0, 7.5, 1}, area[4] = {-2, 4, 1, 0.5};
    for (int i = 0; i < 4; i++)
        l[i].barrier = bar[i], l[i].area = area[i], l[i].is_barrier = bar[i] > 2;
    const rs_lmc *v[5] = {&l[0], NULL, &l[1], &l[2], &l[3]};
    rs_compare_lmc_agg la;
    CHECK(rs_compare_lmc_aggregate(v, 5, RS_STAT_MEAN, 0.95, 3000, 5, &la) == 0, "lmc aggregate");
    CHECK(la.n == 4 && la.n_barrier == 2, "n %d, barriers %d", la.n, la.n_barrier);
    double mean, lo, hi;
    naive_bootstrap(bar, 4, 3000, 5, &mean, &lo, &hi);
    CHECK_CLOSE(la.barrier.value, mean, 0, 1e-12, "barrier mean");
    CHECK_CLOSE(la.barrier.lo, lo, 0, 1e-12, "barrier lo");
    CHECK_CLOSE(la.barrier.hi, hi, 0, 1e-12, "barrier hi");
    naive_bootstrap(area, 4, 3000, 5, &mean, &lo, &hi);
    CHECK_CLOSE(la.area.value, mean, 0, 1e-12, "area mean");
    CHECK_CLOSE(la.area.lo, lo, 0, 1e-12, "area lo");
    CHECK_CLOSE(la.area.hi, hi, 0, 1e-12, "area hi");
}

static void test_bad_requests(void) {
    rs_front *f = make_front(5, 5, 0);
    rs_compare_req q = {
        .n = 1, .fronts = (const rs_front *const *)&f, .soup_kinds = RS_KIND_BIT(RS_KIND_SOUP)};
    rs_compare_result r;
    CHECK(rs_compare_run(&q, &r) == -1, "eum_k 0 is refused (the caller chooses K)");
    q.n = 0;
    q.eum_k = 5;
    CHECK(rs_compare_run(&q, &r) == -1, "no fronts");
    rs_front_free(f);
}

RS_TEST_MAIN(T(test_scores_against_brute_force), T(test_fixed_ref_must_be_dominated),
             T(test_lmc_aggregate), T(test_bad_requests))
