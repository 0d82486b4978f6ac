/* test_lattice.c — the simplex lattice against a brute-force enumeration and
 * Pascal's triangle. */
#include <string.h>

#include "rs_common.h"
#include "rs_lattice.h"
#include "rs_test.h"

/* C(a, b) from Pascal's triangle, independent of the library's product formula */
static long long pascal(int a, int b) {
    static long long row[64];
    if (a < 0 || b < 0 || b > a || b >= 64) return -1;
    memset(row, 0, sizeof row);
    row[0] = 1;
    for (int i = 1; i <= a; i++) /* only columns <= b, which stay small */
        for (int j = i < b ? i : b; j >= 1; j--) row[j] += row[j - 1];
    return row[b];
}

static void test_count(void) {
    for (int n = 1; n <= 6; n++)
        for (int k = 1; k <= 12; k++)
            CHECK(rs_lattice_count(n, k) == pascal(k + n - 1, n - 1), "N=%d k=%d: got %d want %lld",
                  n, k, rs_lattice_count(n, k), pascal(k + n - 1, n - 1));
    CHECK(rs_lattice_count(1, 7) == 1, "one expert has one point");
    CHECK(rs_lattice_count(2, 10) == 11, "2 experts, k=10");
    CHECK(rs_lattice_count(3, 10) == 66, "3 experts, k=10: C(12,2)=66");
    CHECK(rs_lattice_count(10, 10) == 92378, "N=10 k=10: C(19,9)=92378, got %d", rs_lattice_count(10, 10));
    CHECK(rs_lattice_count(2, 100000) == 100001, "2 experts, fine grid");
    CHECK(rs_lattice_count(17, 17) == pascal(33, 16), "N=17 k=17: got %d", rs_lattice_count(17, 17));
}

static void test_errors(void) {
    double buf[4];
    rs_clear_error();
    CHECK(rs_lattice_count(0, 3) == -1, "no experts");
    CHECK(strstr(rs_last_error(), "lattice") != NULL, "error message set: %s", rs_last_error());
    CHECK(rs_lattice_count(3, 0) == -1, "k = 0");
    CHECK(rs_lattice_count(2, -1) == -1, "k < 0");
    CHECK(rs_lattice_count(40, 40) == -1, "C(79,39) overflows int");
    CHECK(rs_lattice_count(20, 20) == -1, "C(39,19) = 68923264410 overflows int");
    CHECK(rs_lattice_fill(2, 1, NULL) == -1, "NULL buffer");
    CHECK(rs_lattice_fill(0, 1, buf) == -1, "fill with no experts");
    CHECK(rs_lattice_fill_grid2(1, buf) == -1, "grid of one point");
    CHECK(rs_lattice_fill_grid2(0, buf) == -1, "grid of zero points");
    int cnt = 123;
    CHECK(rs_lattice_new(0, 2, &cnt) == NULL, "new with no experts");
    rs_lattice_free(NULL); /* NULL-safe */
}

/* every row on the simplex, on the 1/k grid, distinct, and the brute-force
 * enumeration of {0..k}^N with Σ = k finds each point exactly once */
static void check_lattice(int n, int k) {
    int count = 0;
    double *lat = rs_lattice_new(n, k, &count);
    CHECK(lat != NULL, "N=%d k=%d: %s", n, k, rs_last_error());
    if (!lat) return;
    CHECK(count == pascal(k + n - 1, n - 1), "N=%d k=%d count %d", n, k, count);
    int *c = calloc((size_t)count * n, sizeof *c);
    int bad_sum = 0, bad_range = 0, bad_grid = 0;
    for (int r = 0; r < count; r++) {
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            double v = lat[r * n + i];
            s += v;
            if (!(v >= 0.0 && v <= 1.0)) bad_range++;
            double ck = v * k;
            c[r * n + i] = (int)lround(ck);
            if (fabs(ck - lround(ck)) > 1e-9) bad_grid++;
        }
        if (fabs(s - 1.0) > 1e-12) bad_sum++;
    }
    CHECK(bad_sum == 0, "N=%d k=%d: %d rows do not sum to 1", n, k, bad_sum);
    CHECK(bad_range == 0, "N=%d k=%d: %d entries outside [0,1]", n, k, bad_range);
    CHECK(bad_grid == 0, "N=%d k=%d: %d entries off the 1/k grid", n, k, bad_grid);

    int dup = 0;
    for (int a = 0; a < count; a++)
        for (int b = a + 1; b < count; b++)
            if (memcmp(c + a * n, c + b * n, (size_t)n * sizeof *c) == 0) dup++;
    CHECK(dup == 0, "N=%d k=%d: %d duplicate rows", n, k, dup);

    /* odometer over {0..k}^N */
    int *t = calloc((size_t)n, sizeof *t);
    int missing = 0, enumerated = 0;
    for (;;) {
        int s = 0;
        for (int i = 0; i < n; i++) s += t[i];
        if (s == k) {
            enumerated++;
            int found = 0;
            for (int r = 0; r < count && !found; r++)
                found = memcmp(c + r * n, t, (size_t)n * sizeof *t) == 0;
            if (!found) missing++;
        }
        int i = 0;
        while (i < n && t[i] == k) t[i++] = 0;
        if (i == n) break;
        t[i]++;
    }
    CHECK(missing == 0, "N=%d k=%d: %d lattice points missing", n, k, missing);
    CHECK(enumerated == count, "N=%d k=%d: brute force found %d, lattice has %d", n, k,
          enumerated, count);
    free(t);
    free(c);
    rs_lattice_free(lat);
}

static void test_membership(void) {
    int ns[] = {1, 2, 3, 4, 5};
    int ks[] = {1, 2, 3, 5, 7};
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < 5; b++) check_lattice(ns[a], ks[b]);
    check_lattice(2, 100);
    check_lattice(3, 20);
}

static void test_order_two_experts(void) {
    for (int k = 1; k <= 10; k++) {
        double out[22];
        CHECK(rs_lattice_fill(2, k, out) == k + 1, "k=%d count", k);
        for (int i = 0; i <= k; i++) {
            CHECK_CLOSE(out[2 * i + 1], (double)i / k, 1e-15, 0, "lambda_2 climbs 0..1");
            CHECK_CLOSE(out[2 * i], 1.0 - (double)i / k, 1e-15, 0, "lambda_1 = 1 - lambda_2");
        }
        CHECK(out[0] == 1.0 && out[1] == 0.0, "first row exactly (1,0)");
        CHECK(out[2 * k] == 0.0 && out[2 * k + 1] == 1.0, "last row exactly (0,1)");
    }
}

static void test_order_three_experts(void) {
    /* the documented order for N=3, k=2 */
    const double want[6][3] = {{1, 0, 0}, {.5, .5, 0}, {.5, 0, .5}, {0, 1, 0}, {0, .5, .5}, {0, 0, 1}};
    double out[18];
    CHECK(rs_lattice_fill(3, 2, out) == 6, "count");
    for (int r = 0; r < 6; r++)
        for (int i = 0; i < 3; i++)
            CHECK(out[r * 3 + i] == want[r][i], "row %d col %d: %g want %g", r, i, out[r * 3 + i],
                  want[r][i]);
    /* deterministic: a second fill is bit-identical */
    double again[18];
    rs_lattice_fill(3, 2, again);
    CHECK(memcmp(out, again, sizeof out) == 0, "repeatable");
}

static void test_grid2(void) {
    double out[10];
    CHECK(rs_lattice_fill_grid2(5, out) == 5, "five points");
    const double want2[5] = {0, .25, .5, .75, 1};
    for (int i = 0; i < 5; i++) {
        CHECK(out[2 * i + 1] == want2[i], "grid point %d: lambda_2=%g", i, out[2 * i + 1]);
        CHECK(out[2 * i] == 1.0 - want2[i], "grid point %d: lambda_1=%g", i, out[2 * i]);
    }
    CHECK(rs_lattice_fill_grid2(2, out) == 2, "two points");
    CHECK(out[0] == 1 && out[1] == 0 && out[2] == 0 && out[3] == 1, "endpoints only");
    double g11[22];
    CHECK(rs_lattice_fill_grid2(11, g11) == 11, "eleven points");
    CHECK_CLOSE(g11[2 * 3 + 1], 0.3, 1e-15, 0, "0.3 on the 11-point grid");
}

RS_TEST_MAIN(T(test_count), T(test_errors), T(test_membership), T(test_order_two_experts),
             T(test_order_three_experts), T(test_grid2))
