/* rs_test_brute.h — brute-force references for the 2-objective scores, the
 * independent computations the front-scoring tests check rsoup against
 * (header only: each test includes it once) */
#ifndef RS_TEST_BRUTE_H
#define RS_TEST_BRUTE_H

#include <math.h>
#include <stdlib.h>

static int rs_test_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* the dominated area of n points (x, y) above ref: every cell of the grid of
 * all coordinates whose upper corner some point reaches (n < 256) */
static double rs_test_hv_grid(const double *p, int n, const double *ref) {
    double xs[256], ys[256];
    int nx = 0, ny = 0;
    xs[nx++] = ref[0];
    ys[ny++] = ref[1];
    for (int i = 0; i < n; i++)
        xs[nx++] = p[2 * i], ys[ny++] = p[2 * i + 1];
    qsort(xs, (size_t)nx, sizeof *xs, rs_test_cmp_double);
    qsort(ys, (size_t)ny, sizeof *ys, rs_test_cmp_double);
    double a = 0;
    for (int i = 0; i + 1 < nx; i++)
        for (int j = 0; j + 1 < ny; j++) {
            if (xs[i] < ref[0] || ys[j] < ref[1]) continue;
            int in = 0;
            for (int k = 0; k < n && !in; k++)
                in = p[2 * k] >= xs[i + 1] && p[2 * k + 1] >= ys[j + 1];
            if (in) a += (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j]);
        }
    return a;
}

/* the expected utility: the mean over w = (i/k, 1 - i/k) of the best w·p */
static double rs_test_eum_2d(const double *p, int n, int k) {
    double s = 0;
    for (int i = 0; i <= k; i++) {
        double w = (double)i / k, best = -INFINITY;
        for (int j = 0; j < n; j++)
            best = fmax(best, w * p[2 * j] + (1 - w) * p[2 * j + 1]);
        s += best;
    }
    return s / (k + 1);
}

#endif
