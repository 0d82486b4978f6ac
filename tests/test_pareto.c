/* test_pareto.c — dominance, the non-dominated filter, hypervolume, expected
 * utility and sparsity, each against an independent computation written here:
 * an O(n²) filter, inclusion–exclusion over all subsets, counting unit cells on
 * integer fronts, Monte Carlo, and closed forms worked by hand. */
#include <string.h>

#include "rs_common.h"
#include "rs_lattice.h"
#include "rs_pareto.h"
#include "rs_test.h"

/* ---- independent references ---- */

/* O(n²) filter with its own dominance test */
static int brute_nondominated(const double *pts, int n, int d, int *mask) {
    int count = 0;
    for (int i = 0; i < n; i++) {
        int dominated = 0;
        for (int k = 0; k < n && !dominated; k++) {
            int ge = 1, gt = 0;
            for (int j = 0; j < d; j++) {
                if (pts[k * d + j] < pts[i * d + j]) ge = 0;
                if (pts[k * d + j] > pts[i * d + j]) gt = 1;
            }
            dominated = ge && gt;
        }
        mask[i] = !dominated;
        count += !dominated;
    }
    return count;
}

/* inclusion–exclusion: HV = Σ_{S≠∅} (-1)^{|S|+1} vol(∩_{p∈S} [ref, p]), and the
 * intersection of boxes is the box of the componentwise minimum. Depth-first
 * over subsets, carrying the running minimum. */
static double ie_rec(const double *pts, int n, int d, const double *ref, int start,
                     const double *lo, int size) {
    double total = 0.0, cur[8];
    for (int i = start; i < n; i++) {
        double v = 1.0;
        for (int j = 0; j < d; j++) {
            cur[j] = size ? fmin(lo[j], pts[i * d + j]) : pts[i * d + j];
            v *= fmax(0.0, cur[j] - ref[j]);
        }
        if (v == 0.0) continue; /* every superset is empty too */
        total += (size % 2 == 0 ? v : -v);
        total += ie_rec(pts, n, d, ref, i + 1, cur, size + 1);
    }
    return total;
}
static double hv_inclusion_exclusion(const double *pts, int n, int d, const double *ref) {
    return ie_rec(pts, n, d, ref, 0, NULL, 0);
}

/* integer points and an integer ref: the volume is the number of unit cells
 * [c, c+1]^d (c integer, c >= ref) whose far corner c+1 some point reaches */
static double hv_count_cells(const double *pts, int n, int d, const double *ref, int top) {
    int c[8];
    for (int j = 0; j < d; j++) c[j] = (int)ref[j];
    long cells = 0;
    for (;;) {
        int covered = 0;
        for (int i = 0; i < n && !covered; i++) {
            int ok = 1;
            for (int j = 0; j < d && ok; j++) ok = pts[i * d + j] >= c[j] + 1;
            covered = ok;
        }
        cells += covered;
        int j = 0;
        while (j < d && c[j] == top - 1) {
            c[j] = (int)ref[j];
            j++;
        }
        if (j == d) break;
        c[j]++;
    }
    return (double)cells;
}

/* ---- fronts ---- */

/* points near the positive unit sphere, radius in [1-spread, 1]: a mix of
 * non-dominated and dominated points */
static void sphere_front(rs_rng *r, double *pts, int n, int d, double spread) {
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        for (int j = 0; j < d; j++) {
            pts[i * d + j] = fabs(rs_rng_normal(r)) + 1e-3;
            s += pts[i * d + j] * pts[i * d + j];
        }
        double rad = (1.0 - spread * rs_rng_uniform(r)) / sqrt(s);
        for (int j = 0; j < d; j++) pts[i * d + j] *= rad;
    }
}

/* integers in [lo, hi]: plenty of ties and exact duplicates */
static void int_front(rs_rng *r, double *pts, int n, int d, int lo, int hi) {
    for (int i = 0; i < n * d; i++) pts[i] = lo + (double)rs_rng_below(r, (uint64_t)(hi - lo + 1));
}

static void shuffle_rows(rs_rng *r, double *pts, int n, int d) {
    double tmp[8];
    for (int i = n - 1; i > 0; i--) {
        int k = (int)rs_rng_below(r, (uint64_t)i + 1);
        memcpy(tmp, pts + i * d, d * sizeof *tmp);
        memcpy(pts + i * d, pts + k * d, d * sizeof *tmp);
        memcpy(pts + k * d, tmp, d * sizeof *tmp);
    }
}

/* ---- dominance and the filter ---- */

static void test_dominates(void) {
    double a[] = {1, 1}, b[] = {2, 1}, c[] = {2, 0}, e[] = {INFINITY, 1};
    CHECK(rs_pareto_dominates(b, a, 2) == 1, "(2,1) dominates (1,1)");
    CHECK(rs_pareto_dominates(a, b, 2) == 0, "(1,1) does not dominate (2,1)");
    CHECK(rs_pareto_dominates(a, a, 2) == 0, "equal points do not dominate");
    CHECK(rs_pareto_dominates(c, a, 2) == 0, "(2,0) vs (1,1): incomparable");
    CHECK(rs_pareto_dominates(a, c, 2) == 0, "(1,1) vs (2,0): incomparable");
    CHECK(rs_pareto_dominates(e, b, 2) == 1, "inf beats 2");
    double x = 3, y = 2;
    CHECK(rs_pareto_dominates(&x, &y, 1) == 1 && rs_pareto_dominates(&y, &x, 1) == 0, "d = 1");
}

static void compare_filter(const double *pts, int n, int d, const char *what) {
    int *m1 = malloc((size_t)(n + 1) * sizeof *m1), *m2 = malloc((size_t)(n + 1) * sizeof *m2);
    int c1 = rs_pareto_nondominated(pts, n, d, m1);
    int c2 = brute_nondominated(pts, n, d, m2);
    int diff = 0;
    for (int i = 0; i < n; i++) diff += m1[i] != m2[i];
    CHECK(c1 == c2, "%s n=%d d=%d: count %d want %d", what, n, d, c1, c2);
    CHECK(diff == 0, "%s n=%d d=%d: %d mask entries differ", what, n, d, diff);
    free(m1);
    free(m2);
}

static void test_nondominated_random(void) {
    rs_rng r;
    rs_rng_seed(&r, 7, 0);
    const int ns[] = {0, 1, 2, 3, 10, 57, 300};
    double *pts = malloc(3000 * 5 * sizeof *pts);
    for (int d = 1; d <= 5; d++) {
        for (int a = 0; a < 7; a++) {
            int_front(&r, pts, ns[a], d, 0, 4);
            compare_filter(pts, ns[a], d, "integers 0..4");
            int_front(&r, pts, ns[a], d, -1, 1);
            compare_filter(pts, ns[a], d, "integers -1..1");
            sphere_front(&r, pts, ns[a], d, 0.3);
            compare_filter(pts, ns[a], d, "sphere");
        }
    }
    sphere_front(&r, pts, 3000, 2, 0.05);
    compare_filter(pts, 3000, 2, "sphere, large");
    int_front(&r, pts, 3000, 2, 0, 30);
    compare_filter(pts, 3000, 2, "integers 0..30, large");
    /* duplicates of non-dominated points are all kept */
    double dup[] = {1, 2, 2, 1, 1, 2, 0, 0, 2, 1, 1, 2};
    int mask[6];
    CHECK(rs_pareto_nondominated(dup, 6, 2, mask) == 5, "5 of 6 kept");
    CHECK(mask[0] && mask[1] && mask[2] && !mask[3] && mask[4] && mask[5], "only (0,0) dropped");
    free(pts);
}

static void test_nondominated_shapes(void) {
    enum { N = 20000 };
    double *p2 = malloc(N * 2 * sizeof *p2), *p3 = malloc(N * 3 * sizeof *p3);
    int *m2 = malloc(N * sizeof *m2), *m3 = malloc(N * sizeof *m3);
    /* anti-diagonal: every point non-dominated */
    for (int i = 0; i < N; i++) p2[2 * i] = i, p2[2 * i + 1] = N - i;
    CHECK(rs_pareto_nondominated(p2, N, 2, m2) == N, "anti-diagonal all kept");
    /* identical points: all kept */
    for (int i = 0; i < N; i++) p2[2 * i] = 1.5, p2[2 * i + 1] = -2;
    CHECK(rs_pareto_nondominated(p2, N, 2, m2) == N, "identical points all kept");
    /* diagonal: only the top point */
    for (int i = 0; i < N; i++) p2[2 * i] = i, p2[2 * i + 1] = i;
    CHECK(rs_pareto_nondominated(p2, N, 2, m2) == 1 && m2[N - 1] == 1, "diagonal keeps the top");
    /* the 2-D sweep agrees with the general method on the same points lifted
     * to 3-D with a constant third objective */
    rs_rng r;
    rs_rng_seed(&r, 11, 0);
    sphere_front(&r, p2, N, 2, 0.02);
    for (int i = 0; i < N; i++) p3[3 * i] = p2[2 * i], p3[3 * i + 1] = p2[2 * i + 1], p3[3 * i + 2] = 4;
    int c2 = rs_pareto_nondominated(p2, N, 2, m2), c3 = rs_pareto_nondominated(p3, N, 3, m3);
    CHECK(c2 == c3 && memcmp(m2, m3, N * sizeof *m2) == 0, "lifted: %d vs %d", c2, c3);
    /* and the 3-D sweep agrees with the general method in 4-D (uniform points
     * in a cube, so the front stays small enough for the general method) */
    double *p4 = malloc(N * 4 * sizeof *p4);
    int *m4 = malloc(N * sizeof *m4);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < 3; j++) p3[3 * i + j] = p4[4 * i + j] = floor(rs_rng_uniform(&r) * 200);
        p4[4 * i + 3] = -1;
    }
    c3 = rs_pareto_nondominated(p3, N, 3, m3);
    int c4 = rs_pareto_nondominated(p4, N, 4, m4);
    CHECK(c3 == c4 && memcmp(m3, m4, N * sizeof *m3) == 0, "lifted 3-D: %d vs %d", c3, c4);
    free(p4);
    free(m4);
    /* -0.0 and 0.0 are the same value: both copies kept */
    double z[] = {1, 2, 0.0, 1, 2, -0.0, 0, 0, 0};
    int mz[3];
    CHECK(rs_pareto_nondominated(z, 3, 3, mz) == 2 && mz[0] && mz[1] && !mz[2], "signed zeros");
    CHECK(rs_pareto_nondominated(z, 2, 3, mz) == 2, "signed zeros, reversed order");
    free(p2);
    free(p3);
    free(m2);
    free(m3);
}

static void test_nondominated_errors(void) {
    double p[] = {1, NAN, 2, 3};
    int mask[2];
    rs_clear_error();
    CHECK(rs_pareto_nondominated(p, 2, 2, mask) == -1, "NaN rejected");
    CHECK(strstr(rs_last_error(), "NaN") != NULL, "message names NaN: %s", rs_last_error());
    CHECK(rs_pareto_nondominated(p, 2, 0, mask) == -1, "d = 0");
    CHECK(rs_pareto_nondominated(p, -1, 2, mask) == -1, "n < 0");
    CHECK(rs_pareto_nondominated(p, 1, 2, NULL) == -1, "NULL mask");
    CHECK(rs_pareto_nondominated(NULL, 0, 2, NULL) == 0, "empty front");
    double inf[] = {INFINITY, -INFINITY, 1, 0};
    CHECK(rs_pareto_nondominated(inf, 2, 2, mask) == 2, "infinities are ordinary values");
}

/* ---- hypervolume ---- */

static void test_hv_hand(void) {
    const double o2[] = {0, 0}, o3[] = {0, 0, 0};
    /* staircase (1,3),(2,2),(3,1) from the origin: columns x∈[0,1] height 3,
     * [1,2] height 2, [2,3] height 1 → 3 + 2 + 1 = 6 */
    double s[] = {1, 3, 2, 2, 3, 1};
    CHECK_CLOSE(rs_hv(s, 3, 2, o2), 6.0, 1e-12, 0, "2-D staircase");
    /* plus a copy of (2,2), dominated (1,1) and (0.5,2.5), and (5,0) and (-1,10)
     * which are not strictly above ref: still 6 */
    double s2[] = {1, 3, 2, 2, 3, 1, 2, 2, 1, 1, .5, 2.5, 5, 0, -1, 10};
    CHECK_CLOSE(rs_hv(s2, 8, 2, o2), 6.0, 1e-12, 0, "2-D with covered points");
    /* same staircase from ref (1,1): (1,3) and (3,1) touch ref, (2,2) adds 1×1 */
    const double r11[] = {1, 1};
    CHECK_CLOSE(rs_hv(s, 3, 2, r11), 1.0, 1e-12, 0, "2-D, points on the ref boundary");
    /* negative rewards: (-1,-3),(-2,-2) from (-4,-4): 3×1 + 2×2 − overlap
     * [−4,−2]×[−4,−3] = 2×1 → 3 + 4 − 2 = 5 */
    double ng[] = {-1, -3, -2, -2};
    const double r44[] = {-4, -4};
    CHECK_CLOSE(rs_hv(ng, 2, 2, r44), 5.0, 1e-12, 0, "2-D negative");
    /* 3-D: (2,1,1),(1,2,1),(1,1,2): three boxes of 2, each pair and the triple
     * meet in [0,1]³ → 6 − 3 + 1 = 4 */
    double t[] = {2, 1, 1, 1, 2, 1, 1, 1, 2};
    CHECK_CLOSE(rs_hv(t, 3, 3, o3), 4.0, 1e-12, 0, "3-D corner");
    /* (3,1,1),(1,3,1),(1,1,3): 9 − 3 + 1 = 7 */
    double t3[] = {3, 1, 1, 1, 3, 1, 1, 1, 3};
    CHECK_CLOSE(rs_hv(t3, 3, 3, o3), 7.0, 1e-12, 0, "3-D corner, longer arms");
    /* one box (1,1,1) from (-1,0,0.5): 2 × 1 × 0.5 = 1 */
    double one[] = {1, 1, 1};
    const double rr[] = {-1, 0, .5};
    CHECK_CLOSE(rs_hv(one, 1, 3, rr), 1.0, 1e-12, 0, "3-D single box");
    /* 3-D with shared x: (1,2,2),(1,3,1),(2,1,1) from 0: boxes 4, 3, 2; pair
     * overlaps: (1,2,1)=2, (1,1,1)=1, (1,1,1)=1; triple (1,1,1)=1 →
     * 9 − 4 + 1 = 6 */
    double sx[] = {1, 2, 2, 1, 3, 1, 2, 1, 1};
    CHECK_CLOSE(rs_hv(sx, 3, 3, o3), 6.0, 1e-12, 0, "3-D equal x");
    /* 1-D: the best value above ref */
    double v1[] = {3, 5, -1};
    const double r0 = 0;
    CHECK_CLOSE(rs_hv(v1, 3, 1, &r0), 5.0, 1e-12, 0, "1-D");
    /* 4-D: (1,1,1,2),(2,1,1,1): 2 + 2 − 1 = 3 */
    double f[] = {1, 1, 1, 2, 2, 1, 1, 1};
    const double o4[] = {0, 0, 0, 0};
    CHECK_CLOSE(rs_hv(f, 2, 4, o4), 3.0, 1e-12, 0, "4-D pair");
    /* 5-D: 1 + e_i for i = 1..5: the unit cube plus five disjoint unit arms = 6 */
    double g[25];
    for (int i = 0; i < 25; i++) g[i] = (i % 6 == 0) ? 2 : 1;
    const double o5[] = {0, 0, 0, 0, 0};
    CHECK_CLOSE(rs_hv(g, 5, 5, o5), 6.0, 1e-12, 0, "5-D cube with arms");
    CHECK(rs_hv(NULL, 0, 3, o3) == 0.0, "empty front has volume 0");
    double below[] = {-1, 5, 5};
    CHECK(rs_hv(below, 1, 3, o3) == 0.0, "a point below ref adds nothing");
}

static void test_hv_inclusion_exclusion(void) {
    rs_rng r;
    rs_rng_seed(&r, 2024, 0);
    double pts[12 * 6], ref[6];
    int worst_d = 0;
    double worst = 0.0;
    for (int d = 2; d <= 6; d++) {
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + (int)rs_rng_below(&r, 12);
            if (trial % 2) {
                sphere_front(&r, pts, n, d, 0.4);
                for (int j = 0; j < d; j++) ref[j] = -0.05 + 0.2 * rs_rng_uniform(&r); /* some points fall below */
            } else {
                int_front(&r, pts, n, d, -2, 3);
                for (int j = 0; j < d; j++) ref[j] = -2 + (double)rs_rng_below(&r, 2);
            }
            double want = hv_inclusion_exclusion(pts, n, d, ref);
            double got = rs_hv(pts, n, d, ref);
            double err = fabs(got - want) / fmax(1.0, fabs(want));
            if (err > worst) worst = err, worst_d = d;
            CHECK_CLOSE(got, want, 1e-12, 1e-10, "hv vs inclusion-exclusion");
        }
    }
    CHECK(worst < 1e-10, "worst relative error %g at d=%d", worst, worst_d);
}

/* exact cell counts on integer fronts, at sizes inclusion–exclusion can't reach */
static void test_hv_cells(void) {
    rs_rng r;
    rs_rng_seed(&r, 99, 0);
    const struct {
        int d, n, top;
    } cs[] = {{2, 400, 60}, {2, 50, 8}, {3, 300, 16}, {3, 40, 5}, {4, 120, 8}, {4, 30, 4}, {5, 60, 5}};
    double *pts = malloc(400 * 5 * sizeof *pts);
    for (size_t c = 0; c < sizeof cs / sizeof cs[0]; c++) {
        int d = cs[c].d, n = cs[c].n;
        double ref[5];
        for (int j = 0; j < d; j++) ref[j] = -1;
        for (int trial = 0; trial < 3; trial++) {
            /* integers near the sphere of radius top, so many survive */
            sphere_front(&r, pts, n, d, 0.5);
            for (int i = 0; i < n * d; i++) pts[i] = floor(pts[i] * cs[c].top);
            double want = hv_count_cells(pts, n, d, ref, cs[c].top + 1);
            CHECK_CLOSE(rs_hv(pts, n, d, ref), want, 1e-9, 0, "hv vs cell count");
        }
    }
    free(pts);
}

/* Monte Carlo in the box [ref, max]: the covered fraction times the box volume,
 * within 3 standard errors */
static void test_hv_monte_carlo(void) {
    rs_rng r;
    rs_rng_seed(&r, 5, 1);
    enum { S = 200000 };
    for (int d = 2; d <= 5; d++) {
        int n = d == 5 ? 25 : 60;
        double pts[60 * 5], ref[5], hi[5];
        sphere_front(&r, pts, n, d, 0.5);
        for (int j = 0; j < d; j++) {
            ref[j] = -0.1;
            hi[j] = ref[j];
            for (int i = 0; i < n; i++) hi[j] = fmax(hi[j], pts[i * d + j]);
        }
        double box = 1.0;
        for (int j = 0; j < d; j++) box *= hi[j] - ref[j];
        long hits = 0;
        for (int s = 0; s < S; s++) {
            double x[5];
            for (int j = 0; j < d; j++) x[j] = rs_rng_uniform_range(&r, ref[j], hi[j]);
            int in = 0;
            for (int i = 0; i < n && !in; i++) {
                int ok = 1;
                for (int j = 0; j < d && ok; j++) ok = x[j] <= pts[i * d + j];
                in = ok;
            }
            hits += in;
        }
        double f = (double)hits / S;
        double est = f * box, se = box * sqrt(f * (1 - f) / S);
        double got = rs_hv(pts, n, d, ref);
        CHECK(fabs(got - est) <= 3 * se, "d=%d: hv %.6f, Monte Carlo %.6f ± %.6f", d, got, est, se);
    }
}

static void test_hv_invariance(void) {
    rs_rng r;
    rs_rng_seed(&r, 77, 0);
    double pts[400 * 5], more[800 * 5];
    for (int d = 2; d <= 5; d++) {
        int n = d <= 3 ? 400 : (d == 4 ? 80 : 30);
        double ref[5] = {0, 0, 0, 0, 0};
        sphere_front(&r, pts, n, d, 0.2);
        double base = rs_hv(pts, n, d, ref);
        CHECK(base > 0, "d=%d volume positive", d);
        shuffle_rows(&r, pts, n, d);
        CHECK_CLOSE(rs_hv(pts, n, d, ref), base, 0, 1e-12, "shuffled");
        /* add a dominated copy of every point (shrunk by a random factor) and an
         * exact duplicate of every point */
        memcpy(more, pts, (size_t)n * d * sizeof *pts);
        for (int i = 0; i < n; i++) {
            double u = rs_rng_uniform(&r);
            for (int j = 0; j < d; j++) more[(n + i) * d + j] = pts[i * d + j] * (1 - 0.5 * u);
        }
        CHECK_CLOSE(rs_hv(more, 2 * n, d, ref), base, 0, 1e-12, "with dominated points");
        memcpy(more + n * d, pts, (size_t)n * d * sizeof *pts);
        shuffle_rows(&r, more, 2 * n, d);
        CHECK_CLOSE(rs_hv(more, 2 * n, d, ref), base, 0, 1e-12, "with duplicates");
    }
}

/* a constant extra objective c multiplies the volume by (c - ref): this ties
 * the 2-D sweep, the 3-D sweep and WFG together at larger n */
static void test_hv_lift(void) {
    rs_rng r;
    rs_rng_seed(&r, 123, 0);
    const int ns[] = {0, 0, 3000, 400, 120, 40};
    for (int d = 2; d <= 5; d++) {
        int n = ns[d];
        double *p = malloc((size_t)n * d * sizeof *p), *up = malloc((size_t)n * (d + 1) * sizeof *up);
        double ref[6] = {-.1, -.2, -.3, -.1, -.2, -.3};
        sphere_front(&r, p, n, d, 0.1);
        double base = rs_hv(p, n, d, ref);
        /* append the constant last, then prepend it first */
        for (int i = 0; i < n; i++) {
            memcpy(up + i * (d + 1), p + i * d, d * sizeof *p);
            up[i * (d + 1) + d] = 1.7;
        }
        double ref_up[7];
        memcpy(ref_up, ref, d * sizeof *ref);
        ref_up[d] = -0.3;
        CHECK_CLOSE(rs_hv(up, n, d + 1, ref_up), base * 2.0, 0, 1e-11, "lift (constant last)");
        for (int i = 0; i < n; i++) {
            up[i * (d + 1)] = 1.7;
            memcpy(up + i * (d + 1) + 1, p + i * d, d * sizeof *p);
        }
        ref_up[0] = -0.3;
        memcpy(ref_up + 1, ref, d * sizeof *ref);
        CHECK_CLOSE(rs_hv(up, n, d + 1, ref_up), base * 2.0, 0, 1e-11, "lift (constant first)");
        free(p);
        free(up);
    }
}

static void test_hv_errors(void) {
    double p[] = {1, 2, 3, 4};
    const double ref[] = {0, 0}, nan_ref[] = {0, NAN};
    rs_clear_error();
    CHECK(rs_hv(p, 2, 0, ref) < 0, "d = 0");
    CHECK(strstr(rs_last_error(), "d >= 1") != NULL, "message: %s", rs_last_error());
    CHECK(rs_hv(p, -1, 2, ref) < 0, "n < 0");
    CHECK(rs_hv(p, 2, 2, NULL) < 0, "NULL ref");
    CHECK(rs_hv(p, 2, 2, nan_ref) < 0, "NaN in ref");
    p[3] = NAN;
    CHECK(rs_hv(p, 2, 2, ref) < 0, "NaN in points");
    p[3] = INFINITY;
    CHECK(rs_hv(p, 2, 2, ref) < 0, "inf in points");
}

/* ---- expected utility ---- */

static void test_eum(void) {
    /* one point: EUM = mean_w w·p = p·mean(w); the lattice is symmetric in the
     * objectives, so mean(w) = (1/d, ..., 1/d) and EUM = Σp / d */
    double p[4] = {3, -1, 0.5, 2};
    for (int d = 1; d <= 4; d++) {
        double s = 0;
        for (int j = 0; j < d; j++) s += p[j];
        for (int k = 1; k <= 6; k++) CHECK_CLOSE(rs_eum_uniform(p, 1, d, k), s / d, 1e-12, 0, "single point");
    }
    /* corners (1,0),(0,1), k = 2: weights (1,0),(.5,.5),(0,1) give 1, .5, 1 →
     * 2.5/3; k = 4: 1, .75, .5, .75, 1 → 4/5 */
    double corners[] = {1, 0, 0, 1};
    CHECK_CLOSE(rs_eum_uniform(corners, 2, 2, 2), 2.5 / 3, 1e-12, 0, "corners, k=2");
    CHECK_CLOSE(rs_eum_uniform(corners, 2, 2, 4), 0.8, 1e-12, 0, "corners, k=4");
    /* points on the segment between the corners change nothing: w·p is linear
     * along it, so its maximum is at an end */
    double seg[2 * 101];
    for (int i = 0; i <= 100; i++) seg[2 * i] = 1 - i / 100.0, seg[2 * i + 1] = i / 100.0;
    CHECK_CLOSE(rs_eum_uniform(seg, 101, 2, 4), 0.8, 1e-12, 0, "segment, k=4");
    /* a dense quarter circle: max_θ w·(cos θ, sin θ) = |w|, so EUM is the mean of
     * |(1-t, t)| over t = i/10 (error ≤ |w|·(1-cos(Δθ/2)) ≈ 3e-11) */
    enum { C = 100001 };
    double *circ = malloc(2 * C * sizeof *circ);
    for (int i = 0; i < C; i++) {
        double th = (M_PI / 2) * i / (C - 1);
        circ[2 * i] = cos(th), circ[2 * i + 1] = sin(th);
    }
    double want = 0;
    for (int i = 0; i <= 10; i++) want += hypot(1 - i / 10.0, i / 10.0) / 11;
    CHECK_CLOSE(rs_eum_uniform(circ, C, 2, 10), want, 1e-9, 0, "quarter circle");
    free(circ);

    /* explicit weights against a brute-force loop */
    rs_rng r;
    rs_rng_seed(&r, 3, 0);
    double pts[50 * 3], w[17 * 3];
    for (int i = 0; i < 150; i++) pts[i] = rs_rng_normal(&r);
    for (int i = 0; i < 51; i++) w[i] = rs_rng_uniform(&r);
    double sum = 0;
    for (int a = 0; a < 17; a++) {
        double best = -1e300;
        for (int i = 0; i < 50; i++) {
            double u = w[a * 3] * pts[i * 3] + w[a * 3 + 1] * pts[i * 3 + 1] + w[a * 3 + 2] * pts[i * 3 + 2];
            if (u > best) best = u;
        }
        sum += best;
    }
    CHECK_CLOSE(rs_eum(pts, 50, 3, w, 17), sum / 17, 1e-12, 1e-12, "vs brute force");
    /* the uniform version equals rs_eum with the lattice */
    int nw = 0;
    double *lat = rs_lattice_new(3, 5, &nw);
    CHECK(nw == 21, "C(7,2) = 21 weights");
    CHECK(rs_eum_uniform(pts, 50, 3, 5) == rs_eum(pts, 50, 3, lat, nw), "uniform = lattice weights");
    rs_lattice_free(lat);

    rs_clear_error();
    CHECK(isnan(rs_eum(pts, 0, 3, w, 17)), "empty front");
    CHECK(isnan(rs_eum(pts, 50, 3, w, 0)), "no weights");
    CHECK(isnan(rs_eum_uniform(pts, 50, 3, 0)), "k = 0");
    CHECK(isnan(rs_eum(pts, 50, 0, w, 17)), "d = 0");
    pts[4] = NAN;
    CHECK(isnan(rs_eum(pts, 50, 3, w, 17)), "NaN point");
}

/* ---- sparsity ---- */

static void test_sparsity(void) {
    /* front (0,3),(1,2),(3,0) and dominated (0.5,0.5): objective 1 sorted
     * 0,1,3 → 1 + 4; objective 2 sorted 0,2,3 → 4 + 1; (5+5)/(3-1) = 5 */
    double a[] = {0, 3, 1, 2, 3, 0, .5, .5};
    CHECK_CLOSE(rs_sparsity(a, 4, 2), 5.0, 1e-12, 0, "hand case");
    /* a duplicate of a front point is counted once */
    double b[] = {0, 3, 1, 2, 3, 0, .5, .5, 0, 3};
    CHECK_CLOSE(rs_sparsity(b, 5, 2), 5.0, 1e-12, 0, "duplicate");
    /* (0,1),(1,0): 1 + 1 over 1 = 2 */
    double c[] = {0, 1, 1, 0};
    CHECK_CLOSE(rs_sparsity(c, 2, 2), 2.0, 1e-12, 0, "two points");
    /* e1, e2, e3: each objective sorted 0,0,1 → 1; 3/(3-1) = 1.5 */
    double e[] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    CHECK_CLOSE(rs_sparsity(e, 3, 3), 1.5, 1e-12, 0, "3-D unit vectors");
    double one[] = {1, 2, 0, 0};
    CHECK(rs_sparsity(one, 2, 2) == 0.0, "front of one point");
    CHECK(rs_sparsity(one, 0, 2) == 0.0, "empty");
    CHECK(rs_sparsity(one, 2, 0) < 0, "d = 0");
}

/* ---- reference point ---- */

static void test_default_ref(void) {
    /* x: min 1, max 3 → 1 − 0.1·2 = 0.8; y: min −2, max 5 → −2 − 0.1·7 = −2.7 */
    double a[] = {1, 5, 3, 5, 2, -2}, ref[2];
    CHECK(rs_pareto_default_ref(a, 3, 2, 0.1, ref) == 0, "ok");
    CHECK_CLOSE(ref[0], 0.8, 1e-12, 0, "x");
    CHECK_CLOSE(ref[1], -2.7, 1e-12, 0, "y");
    /* constant y = 4 → 4 − 0.1·max(1, 4) = 3.6; constant x = 0.5 → 0.5 − 0.1 = 0.4 */
    double b[] = {0.5, 4, 0.5, 4};
    CHECK(rs_pareto_default_ref(b, 2, 2, 0.1, ref) == 0, "ok");
    CHECK_CLOSE(ref[0], 0.4, 1e-12, 0, "constant small x");
    CHECK_CLOSE(ref[1], 3.6, 1e-12, 0, "constant y");
    /* with a margin every non-dominated point adds volume */
    rs_rng r;
    rs_rng_seed(&r, 8, 0);
    double pts[30 * 3], ref3[3], drop[29 * 3];
    sphere_front(&r, pts, 30, 3, 0.0);
    CHECK(rs_pareto_default_ref(pts, 30, 3, 0.05, ref3) == 0, "ok");
    double all = rs_hv(pts, 30, 3, ref3);
    int shrinks = 0;
    for (int i = 0; i < 30; i++) {
        memcpy(drop, pts, i * 3 * sizeof *pts);
        memcpy(drop + i * 3, pts + (i + 1) * 3, (29 - i) * 3 * sizeof *pts);
        shrinks += rs_hv(drop, 29, 3, ref3) < all;
    }
    CHECK(shrinks == 30, "every sphere point contributes: %d of 30", shrinks);
    CHECK(rs_pareto_default_ref(a, 0, 2, 0.1, ref) == -1, "empty front");
    CHECK(rs_pareto_default_ref(a, 3, 2, -0.1, ref) == -1, "negative margin");
    CHECK(rs_pareto_default_ref(a, 3, 2, NAN, ref) == -1, "NaN margin");
    a[2] = NAN;
    CHECK(rs_pareto_default_ref(a, 3, 2, 0.1, ref) == -1, "NaN point");
}

/* 2-D area above ref of any point set, the slow way: every point against
 * every other, strips between consecutive x */
static double area_brute(const double *xy, int n, const double *ref) {
    double a = 0.0;
    for (int i = 0; i < n; i++) {
        /* the strip from xy[i].x leftwards to the next smaller x, at the best
         * y among points with x >= xy[i].x */
        double x = xy[2 * i], next = ref[0], top = ref[1];
        int first = 1; /* count each distinct x once */
        for (int k = 0; k < n; k++) {
            if (xy[2 * k] < x && xy[2 * k] > next) next = xy[2 * k];
            if (xy[2 * k] >= x && xy[2 * k + 1] > top) top = xy[2 * k + 1];
            if (k < i && xy[2 * k] == x) first = 0;
        }
        if (first && x > ref[0]) a += (x - next) * (top - ref[1]);
    }
    return a;
}

/* The 3-D sweeps keep a staircase that later points cut into: points whose
 * (x, y) grow as z falls make every insertion remove a run of earlier ones.
 * Against slabs of brute-force 2-D areas; the filter against brute force. */
static void test_hv_3d_churn(void) {
    rs_rng r;
    rs_rng_seed(&r, 314, 0);
    enum { N = 600 };
    double *pts = malloc(N * 3 * sizeof *pts), *xy = malloc(N * 2 * sizeof *xy);
    int *m1 = malloc(N * sizeof *m1), *m2 = malloc(N * sizeof *m2);
    for (int trial = 0; trial < 4; trial++) {
        for (int i = 0; i < N; i++) {
            double rad = 1.0 + (trial & 1 ? (double)i / N : rs_rng_uniform(&r)) * 3.0;
            double t = rs_rng_uniform(&r) * 1.5707963;
            pts[3 * i] = floor(rad * cos(t) * 50) / 50;
            pts[3 * i + 1] = floor(rad * sin(t) * 50) / 50;
            pts[3 * i + 2] = trial < 2 ? N - i : floor(rs_rng_uniform(&r) * 40);
        }
        double ref[3] = {-0.5, -0.5, -1};
        /* slabs between consecutive distinct z, each the area of the points at or above it */
        double want = 0.0;
        for (int i = 0; i < N; i++) {
            double z = pts[3 * i + 2], below = ref[2];
            int first = 1;
            for (int k = 0; k < N; k++) {
                if (pts[3 * k + 2] < z && pts[3 * k + 2] > below) below = pts[3 * k + 2];
                if (k < i && pts[3 * k + 2] == z) first = 0;
            }
            if (!first) continue;
            int n2 = 0;
            for (int k = 0; k < N; k++)
                if (pts[3 * k + 2] >= z) xy[2 * n2] = pts[3 * k], xy[2 * n2 + 1] = pts[3 * k + 1], n2++;
            want += area_brute(xy, n2, ref) * (z - below);
        }
        CHECK_CLOSE(rs_hv(pts, N, 3, ref), want, 1e-9, 0, "3-D churn");
        int c1 = rs_pareto_nondominated(pts, N, 3, m1), c2 = brute_nondominated(pts, N, 3, m2);
        CHECK(c1 == c2 && !memcmp(m1, m2, N * sizeof *m1), "3-D churn filter trial %d: %d vs %d", trial, c1, c2);
        int distinct = 0;
        for (int i = 0; i < N; i++) {
            int seen = 0;
            for (int k = 0; k < i && !seen; k++)
                seen = pts[3 * k] == pts[3 * i] && pts[3 * k + 1] == pts[3 * i + 1] && pts[3 * k + 2] == pts[3 * i + 2];
            distinct += !seen;
        }
        CHECK(rs_pareto_distinct(pts, N, 3, NULL) == distinct, "distinct points trial %d", trial);
    }
    free(pts);
    free(xy);
    free(m1);
    free(m2);
}

RS_TEST_MAIN(T(test_dominates), T(test_nondominated_random), T(test_nondominated_shapes),
             T(test_nondominated_errors), T(test_hv_hand), T(test_hv_inclusion_exclusion),
             T(test_hv_cells), T(test_hv_monte_carlo), T(test_hv_invariance), T(test_hv_lift),
             T(test_hv_errors), T(test_eum), T(test_sparsity), T(test_default_ref),
             T(test_hv_3d_churn))
