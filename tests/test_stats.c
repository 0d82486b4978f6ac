/* test_stats.c — summaries over replicates and the LMC verdict, checked
 * against independent computations: the bootstrap interval against the
 * exact bootstrap distribution by enumerating every resample, the IQM and
 * quantiles against hand-worked values, the barrier rule on constructed
 * paths. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_lmc.h"
#include "rs_stats.h"
#include "rs_test.h"

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* every one of the n^n equally likely ordered resamples of x: the exact
 * bootstrap distribution of the statistic, sorted */
static double *enumerate(const double *x, int n, rs_stat_kind kind, int *count) {
    int total = 1;
    for (int i = 0; i < n; i++) total *= n;
    double *out = malloc(sizeof(double) * (size_t)total), s[16];
    int idx[16] = {0};
    for (int t = 0; t < total; t++) {
        for (int i = 0; i < n; i++) s[i] = x[idx[i]];
        if (kind == RS_STAT_IQM) {
            /* the IQM by its definition, written out here: sort, drop
             * floor(n/4) from each end, average the rest */
            qsort(s, (size_t)n, sizeof *s, cmp);
            int cut = n / 4;
            double sum = 0;
            for (int i = cut; i < n - cut; i++) sum += s[i];
            out[t] = sum / (n - 2 * cut);
        } else {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += s[i];
            out[t] = sum / n;
        }
        for (int i = 0; i < n && ++idx[i] == n; i++) idx[i] = 0; /* odometer */
    }
    qsort(out, (size_t)total, sizeof *out, cmp);
    *count = total;
    return out;
}

/* the Monte Carlo interval must fall where the exact distribution puts the
 * 2.5% and 97.5% points: between its quantiles at q ± 0.004 (a resample
 * count of 2e5 leaves a sampling error of about 0.0004 in q) */
static void check_against_enumeration(const double *x, int n, rs_stat_kind kind) {
    int total;
    double *ex = enumerate(x, n, kind, &total);
    rs_interval iv;
    CHECK(rs_stat_bootstrap(x, n, kind, 0.95, 200000, 7, &iv) == 0, "bootstrap failed");
    double lo_a = rs_stat_quantile_sorted(ex, total, 0.025 - 0.004);
    double lo_b = rs_stat_quantile_sorted(ex, total, 0.025 + 0.004);
    double hi_a = rs_stat_quantile_sorted(ex, total, 0.975 - 0.004);
    double hi_b = rs_stat_quantile_sorted(ex, total, 0.975 + 0.004);
    CHECK(iv.lo >= lo_a - 1e-12 && iv.lo <= lo_b + 1e-12, "%s n=%d: lo %.6g outside the exact [%.6g, %.6g]",
          rs_stat_name(kind), n, iv.lo, lo_a, lo_b);
    CHECK(iv.hi >= hi_a - 1e-12 && iv.hi <= hi_b + 1e-12, "%s n=%d: hi %.6g outside the exact [%.6g, %.6g]",
          rs_stat_name(kind), n, iv.hi, hi_a, hi_b);
    CHECK(iv.n == n, "n %d", iv.n);
    free(ex);
}

static void test_bootstrap_mean_matches_enumeration(void) {
    const double x4[] = {1.0, 2.5, 7.0, 3.0};
    check_against_enumeration(x4, 4, RS_STAT_MEAN);
    const double x6[] = {10, 11, 13, 40, 9, 12};
    check_against_enumeration(x6, 6, RS_STAT_MEAN);
}

static void test_bootstrap_iqm_matches_enumeration(void) {
    const double x5[] = {3, -1, 8, 2, 100}; /* one wild seed: IQM drops it */
    check_against_enumeration(x5, 5, RS_STAT_IQM);
    const double x7[] = {0.9, 1.1, 1.0, 1.3, 0.2, 1.05, 5.0};
    check_against_enumeration(x7, 7, RS_STAT_IQM);
}

static void test_iqm_and_quantiles_closed_form(void) {
    const double x[] = {5, 1, 100, 3, 2, 4, -50, 6}; /* sorted: -50 1 2 3 4 5 6 100 */
    CHECK_CLOSE(rs_stat_iqm(x, 8), (2 + 3 + 4 + 5) / 4.0, 1e-12, 0, "iqm of 8");
    CHECK_CLOSE(rs_stat_iqm(x, 3), (5 + 1 + 100) / 3.0, 1e-12, 0, "iqm of 3 is the mean");
    CHECK_CLOSE(rs_stat_mean(x, 8), 71 / 8.0, 1e-12, 0, "mean");
    const double s[] = {1, 2, 4, 8};
    CHECK_CLOSE(rs_stat_quantile_sorted(s, 4, 0.5), 3, 1e-12, 0, "median between 2 and 4");
    CHECK_CLOSE(rs_stat_quantile_sorted(s, 4, 1.0 / 3), 2, 1e-12, 0, "q=1/3 at the second value");
    CHECK_CLOSE(rs_stat_quantile_sorted(s, 4, 0.9), 4 + 0.7 * 4, 1e-12, 0, "q=0.9");
}

static void test_bootstrap_edge_cases(void) {
    rs_interval iv;
    const double c[] = {4, 4, 4, 4};
    rs_stat_bootstrap(c, 4, RS_STAT_MEAN, 0.95, 1000, 1, &iv);
    CHECK(iv.lo == 4 && iv.hi == 4 && iv.value == 4, "constant sample: [%g, %g]", iv.lo, iv.hi);
    /* failed replicates are NaN: dropped, and counted out */
    const double f[] = {1, NAN, 3, NAN};
    rs_stat_bootstrap(f, 4, RS_STAT_MEAN, 0.95, 1000, 1, &iv);
    CHECK(iv.n == 2 && iv.value == 2, "n %d value %g", iv.n, iv.value);
    CHECK(iv.lo >= 1 && iv.hi <= 3 && iv.lo < iv.hi, "[%g, %g]", iv.lo, iv.hi);
    const double one[] = {NAN, 7};
    rs_stat_bootstrap(one, 2, RS_STAT_MEAN, 0.95, 1000, 1, &iv);
    CHECK(iv.n == 1 && iv.lo == 7 && iv.hi == 7, "one value");
    rs_stat_bootstrap(one, 1, RS_STAT_MEAN, 0.95, 1000, 1, &iv);
    CHECK(iv.n == 0 && isnan(iv.value), "all failed");
    /* the same seed gives the same interval (reports are reproducible) */
    const double x[] = {1, 5, 2, 8, 3};
    rs_interval a, b;
    rs_stat_bootstrap(x, 5, RS_STAT_MEAN, 0.95, 5000, 3, &a);
    rs_stat_bootstrap(x, 5, RS_STAT_MEAN, 0.95, 5000, 3, &b);
    CHECK(a.lo == b.lo && a.hi == b.hi, "not reproducible");
}

/* a path on 11 points: the experts' line from r0 to r1 minus a dip of
 * `dip` at λ = 0.5 */
static void path(double r0, double r1, double dip, double *L, double *R) {
    for (int i = 0; i < 11; i++) {
        L[i] = i / 10.0;
        R[i] = (1 - L[i]) * r0 + L[i] * r1 - (i == 5 ? dip : 0);
    }
}

static void test_lmc_geometry(void) {
    double L[11], R[11];
    path(100, 300, 40, L, R);
    rs_lmc m;
    rs_lmc_compute(L, R, 11, &m);
    CHECK_CLOSE(m.barrier, 40, 1e-9, 0, "barrier");
    CHECK_CLOSE(m.barrier_lambda, 0.5, 1e-12, 0, "barrier λ");
    /* trapezoids: the dip spans two intervals of width 0.1, a triangle */
    CHECK_CLOSE(m.area, -40 * 0.1, 1e-9, 0, "area");
    /* a path above the line: no barrier, positive area, the gain */
    path(100, 300, -25, L, R);
    rs_lmc_compute(L, R, 11, &m);
    CHECK(m.barrier == 0, "barrier %g", m.barrier);
    CHECK_CLOSE(m.max_gain, 25, 1e-9, 0, "gain");
    CHECK_CLOSE(m.area, 2.5, 1e-9, 0, "area above");
}

static void test_lmc_tolerance(void) {
    double L[11], R[11];
    rs_lmc m;
    /* experts at 1000 and 3000: scale 2000, tolerance 0.1 -> 200 */
    /* a small dip, statistically clear (s.e. 1, 50 standard errors): not a barrier */
    path(1000, 3000, 50, L, R);
    rs_lmc_compute(L, R, 11, &m);
    rs_lmc_judge(&m, R[0], R[10], 1.0, 0.1);
    CHECK_CLOSE(m.scale, 2000, 1e-9, 0, "scale is the gap");
    CHECK_CLOSE(m.tolerance, 200, 1e-9, 0, "tolerance");
    CHECK(m.z == 50 && !m.is_barrier, "small clear dip judged a barrier (z %g)", m.z);
    /* a large dip, clear: a barrier */
    path(1000, 3000, 500, L, R);
    rs_lmc_compute(L, R, 11, &m);
    rs_lmc_judge(&m, R[0], R[10], 10.0, 0.1);
    CHECK(m.is_barrier, "large clear dip not a barrier (z %g, tol %g)", m.z, m.tolerance);
    /* a large dip inside the noise (s.e. 400): not a barrier */
    rs_lmc_judge(&m, R[0], R[10], 400.0, 0.1);
    CHECK(!m.is_barrier && fabs(m.z - 1.25) < 1e-12, "noisy dip: z %g", m.z);
    /* experts alike on this reward (940 vs 945): the floor of a tenth of
     * their size sets the scale, so a 4.7 dip of half a percent is no
     * barrier even at 3.7 standard errors */
    path(940, 945, 4.7, L, R);
    rs_lmc_compute(L, R, 11, &m);
    rs_lmc_judge(&m, R[0], R[10], 4.7 / 3.7, 0.1);
    CHECK_CLOSE(m.scale, 94.5, 1e-9, 0, "floored scale");
    CHECK(m.z > 2 && !m.is_barrier, "half-percent dip is a barrier");
    /* tolerance 0 falls back to significance alone */
    rs_lmc_judge(&m, R[0], R[10], 4.7 / 3.7, 0.0);
    CHECK(m.is_barrier, "tolerance 0 ignored the significant dip");
}

static void test_lmc_of_front(void) {
    const char *obj[] = {"a", "b"}, *terms[] = {"t"};
    rs_front *f = rs_front_new(2, 2, obj, 1, terms);
    /* rows in shuffled order: the path is sorted by the second λ */
    const int order[] = {3, 0, 10, 7, 1, 5, 9, 2, 8, 4, 6};
    for (int q = 0; q < 11; q++) {
        int i = order[q];
        double lam[2] = {1 - i / 10.0, i / 10.0};
        double o[2] = {1000 + 200 * i - (i == 4 ? 300 : 0), 50.0};
        double sd[2] = {10 * sqrt(10.0), 1};
        char lab[16];
        snprintf(lab, sizeof lab, "%d", i);
        rs_front_row r = {RS_KIND_SOUP, lab, lam, 10, o, sd, NULL, NULL, NAN};
        rs_front_add(f, &r);
    }
    rs_lmc m;
    double L[16], R[16];
    int n = 0;
    CHECK(rs_lmc_of_front(f, 0, 0.1, &m, L, R, &n) == 0, "%s", rs_last_error());
    CHECK(n == 11 && L[0] == 0 && L[10] == 1 && L[4] == 0.4, "path order");
    CHECK_CLOSE(m.barrier, 300, 1e-9, 0, "barrier");
    CHECK_CLOSE(m.se, 10, 1e-9, 0, "s.e. = std / sqrt(episodes)");
    CHECK(m.is_barrier, "300 over a tolerance of 200 at 30 s.e.");
    CHECK(rs_lmc_of_front(f, 1, 0.1, &m, NULL, NULL, NULL) == 0 && !m.is_barrier && m.barrier == 0, "flat");
    rs_front_free(f);
    /* a path that does not reach λ = 1 is refused */
    f = rs_front_new(2, 2, obj, 1, terms);
    for (int i = 0; i < 5; i++) {
        double lam[2] = {1 - i / 10.0, i / 10.0}, o[2] = {1, 2};
        rs_front_row r = {RS_KIND_SOUP, "x", lam, 1, o, NULL, NULL, NULL, NAN};
        rs_front_add(f, &r);
    }
    CHECK(rs_lmc_of_front(f, 0, 0.1, &m, NULL, NULL, NULL) != 0, "partial path accepted");
    rs_front_free(f);
}

/* an error that wraps the previous one keeps it whole */
static void test_error_wraps_itself(void) {
    rs_set_error("inner %d", 42);
    rs_set_error("outer: %s (again: %s)", rs_last_error(), rs_last_error());
    CHECK(!strcmp(rs_last_error(), "outer: inner 42 (again: inner 42)"), "got '%s'", rs_last_error());
}

RS_TEST_MAIN(T(test_error_wraps_itself), T(test_bootstrap_mean_matches_enumeration), T(test_bootstrap_iqm_matches_enumeration),
             T(test_iqm_and_quantiles_closed_form), T(test_bootstrap_edge_cases), T(test_lmc_geometry),
             T(test_lmc_tolerance), T(test_lmc_of_front))
