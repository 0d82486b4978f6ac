/* test_normalizer.c — running statistics against direct two-pass statistics
 * of every sample seen (plus gym's pseudo-sample: count 1e-4, mean 0, var 1),
 * merging against the union, clipping, and the return scaler against a
 * hand-written loop of gym 0.23's NormalizeReward. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_normalizer.h"
#include "rs_test.h"

/* Direct statistics of column d of rows[n x D] pooled with `pseudo` copies of
 * gym's initial pseudo-sample (weight 1e-4, mean 0, var 1 each). Two passes:
 * the mean of everything, then squared deviations about it. */
static void direct_stats(const float *rows, int n, int D, int d, int pseudo, double *mean,
                         double *var, double *count) {
    double w = RS_NORM_INIT_COUNT * pseudo;
    double N = w + n, s = 0.0;
    for (int r = 0; r < n; r++) s += rows[(size_t)r * D + d];
    double mu = s / N;               /* the pseudo-samples have mean 0 */
    double ss = w * (1.0 + mu * mu); /* var 1 about 0, so E[(x - mu)^2] = 1 + mu^2 */
    for (int r = 0; r < n; r++) {
        double e = rows[(size_t)r * D + d] - mu;
        ss += e * e;
    }
    *mean = mu;
    *var = ss / N;
    *count = N;
}

enum { D = 4 };
/* columns with very different scales, incl. one where |mean| >> std */
static const double MU[D] = {0.0, 5.0, -100.0, 1000.0};
static const double SD[D] = {1.0, 0.1, 10.0, 2.0};

static float *make_data(int n, uint64_t seed) {
    rs_rng rng;
    rs_rng_seed(&rng, seed, 0);
    float *x = malloc((size_t)n * D * sizeof *x);
    for (int r = 0; r < n; r++)
        for (int d = 0; d < D; d++) x[r * D + d] = (float)(MU[d] + SD[d] * rs_rng_normal(&rng));
    return x;
}

static void check_against_direct(const rs_normalizer *nz, const float *x, int n, int pseudo,
                                 const char *what) {
    for (int d = 0; d < D; d++) {
        double mean, var, count;
        direct_stats(x, n, D, d, pseudo, &mean, &var, &count);
        /* Chan's merges vs two passes: both double, so agreement to ~1e-12 */
        CHECK(fabs(nz->mean[d] - mean) <= 1e-10 * (1.0 + fabs(mean)),
              "%s: mean[%d] = %.15g, direct %.15g", what, d, nz->mean[d], mean);
        CHECK(fabs(nz->var[d] - var) <= 1e-9 * var, "%s: var[%d] = %.15g, direct %.15g", what, d,
              nz->var[d], var);
        CHECK(fabs(nz->count - count) <= 1e-12 * count, "%s: count %.15g, direct %.15g", what,
              nz->count, count);
    }
}

static void test_updates_match_direct(void) {
    const int sizes[] = {1, 7, 64, 3, 1, 200, 2};
    int n = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) n += sizes[i];
    float *x = make_data(n, 1);
    rs_normalizer *nz = rs_normalizer_new(D, 10.0f);
    CHECK(nz->count == 1e-4 && nz->mean[2] == 0.0 && nz->var[3] == 1.0, "initial state");
    int off = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        rs_normalizer_update(nz, x + (size_t)off * D, sizes[i]);
        off += sizes[i];
        char what[64];
        snprintf(what, sizeof what, "after %d rows", off);
        check_against_direct(nz, x, off, 1, what);
    }
    /* one row at a time ends at the same place */
    rs_normalizer_reset(nz);
    for (int r = 0; r < n; r++) rs_normalizer_update(nz, x + (size_t)r * D, 1);
    check_against_direct(nz, x, n, 1, "row by row");
    rs_normalizer_update(nz, x, 0); /* an empty batch is a no-op */
    check_against_direct(nz, x, n, 1, "after an empty batch");

    /* a literal: one batch {1, 2, 3} in 1-d.
     * count 3.0001, mean 6/3.0001, var = (1e-4 (1 + mean^2) + sum (x-mean)^2) / 3.0001 */
    rs_normalizer *one = rs_normalizer_new(1, 10.0f);
    float v[3] = {1, 2, 3};
    rs_normalizer_update(one, v, 3);
    CHECK_CLOSE(one->mean[0], 1.9999333355554814, 1e-13, 0,
                "mean of {1,2,3} with the pseudo-count");
    CHECK_CLOSE(one->var[0], 0.6668111018523086, 1e-13, 0, "var of {1,2,3} with the pseudo-count");
    rs_normalizer_free(one);
    rs_normalizer_free(nz);
    free(x);
}

static void test_merge_equals_union(void) {
    const int n1 = 150, n2 = 37;
    float *x = make_data(n1 + n2, 2);
    rs_normalizer *a = rs_normalizer_new(D, 10.0f), *b = rs_normalizer_new(D, 10.0f);
    rs_normalizer_update(a, x, 100);
    rs_normalizer_update(a, x + 100 * D, n1 - 100);
    rs_normalizer_update(b, x + (size_t)n1 * D, n2);
    CHECK(rs_normalizer_merge(a, b->mean, b->var, b->count) == 0, "merge: %s", rs_last_error());
    /* the union holds both normalisers' pseudo-samples */
    check_against_direct(a, x, n1 + n2, 2, "merged");

    /* merging nothing changes nothing; a bad count is refused */
    double mean0 = a->mean[1], var0 = a->var[1], count0 = a->count;
    CHECK(rs_normalizer_merge(a, b->mean, b->var, 0.0) == 0, "merge of count 0");
    CHECK(a->mean[1] == mean0 && a->var[1] == var0 && a->count == count0,
          "count-0 merge changed stats");
    CHECK(rs_normalizer_merge(a, b->mean, b->var, -1.0) == -1, "negative count accepted");
    CHECK(rs_normalizer_merge(a, b->mean, b->var, NAN) == -1, "NaN count accepted");
    CHECK(a->count == count0, "refused merge changed the count");

    /* the scalar version merges the same way */
    rs_running_scalar s, t;
    rs_running_scalar_init(&s);
    rs_running_scalar_init(&t);
    double col[187];
    for (int r = 0; r < n1 + n2; r++) col[r] = x[r * D + 3];
    rs_running_scalar_update(&s, col, n1);
    rs_running_scalar_update(&t, col + n1, n2);
    rs_running_scalar_merge(&s, t.mean, t.var, t.count);
    double mean, var, count;
    direct_stats(x, n1 + n2, D, 3, 2, &mean, &var, &count);
    CHECK_CLOSE(s.mean, mean, 0, 1e-12, "scalar merged mean");
    CHECK_CLOSE(s.var, var, 0, 1e-9, "scalar merged var");
    CHECK_CLOSE(s.count, count, 0, 1e-12, "scalar merged count");

    CHECK(rs_normalizer_new(0, 1.0f) == NULL, "dimension 0 accepted");
    rs_normalizer_free(NULL);
    rs_normalizer_free(a);
    rs_normalizer_free(b);
    free(x);
}

static void test_apply_clips(void) {
    rs_normalizer *nz = rs_normalizer_new(3, 5.0f);
    const double mean[3] = {1.0, -2.0, 0.0}, var[3] = {4.0, 0.25, 1e-12};
    memcpy(nz->mean, mean, sizeof mean);
    memcpy(nz->var, var, sizeof var);
    /* row 0 inside the clip, row 1 above, row 2 below */
    float x[9] = {7.0f, -1.5f, 0.0f, 41.0f, 10.0f, 1.0f, -39.0f, -20.0f, -1.0f};
    float y[9];
    rs_normalizer_apply(nz, x, y, 3);
    const double want[9] = {
        6.0 / sqrt(4.0 + 1e-8), 0.5 / sqrt(0.25 + 1e-8), 0.0, 5, 5, 5, -5, -5, -5};
    for (int i = 0; i < 9; i++) CHECK_CLOSE(y[i], want[i], 1e-6, 1e-6, "apply");
    /* var ~0: the 1e-8 keeps it finite (1 / sqrt(1e-8 + 1e-12) = 1e4) */
    nz->clip = 0.0f;
    rs_normalizer_apply(nz, x + 6, y, 1);
    CHECK_CLOSE(y[0], -20.0, 1e-5, 1e-6, "no clip");
    CHECK_CLOSE(y[2], -1.0 / sqrt(1e-8 + 1e-12), 1e-2, 1e-6, "zero variance, no clip");
    /* in place */
    nz->clip = 5.0f;
    rs_normalizer_apply(nz, x, x, 3);
    for (int i = 0; i < 9; i++) CHECK_CLOSE(x[i], want[i], 1e-6, 1e-6, "apply in place");
    rs_normalizer_free(nz);
}

/* gym 0.23 NormalizeReward, written out with a list of every return seen */
static void test_return_scaler_hand_loop(void) {
    enum { N = 3, T = 400 };
    const double gamma = 0.99;
    rs_return_scaler *rs = rs_return_scaler_new(N, gamma, 10.0f);
    rs_rng rng;
    rs_rng_seed(&rng, 77, 0);
    double ret[N] = {0}, *seen = malloc((size_t)N * T * sizeof *seen);
    int nseen = 0, bad = 0, hit_clip = 0, ndone = 0;
    for (int t = 0; t < T; t++) {
        float r[N], scaled[N];
        int done[N];
        for (int i = 0; i < N; i++) {
            r[i] = (float)(1.0 + 0.5 * rs_rng_normal(&rng));
            done[i] = rs_rng_uniform(&rng) < 0.03;
            ndone += done[i];
        }
        if (t == 300) r[0] = 1000.0f; /* a spike far beyond 10 return-stds */
        rs_return_scaler_update(rs, r, done, scaled);

        for (int i = 0; i < N; i++) {
            ret[i] = ret[i] * gamma + r[i];
            seen[nseen++] = ret[i];
        }
        double w = RS_NORM_INIT_COUNT, s = 0.0;
        for (int k = 0; k < nseen; k++) s += seen[k];
        double mu = s / (w + nseen), ss = w * (1.0 + mu * mu);
        for (int k = 0; k < nseen; k++) ss += (seen[k] - mu) * (seen[k] - mu);
        double var = ss / (w + nseen);
        for (int i = 0; i < N; i++) {
            double want = r[i] / sqrt(var + 1e-8);
            want = want > 10 ? 10 : (want < -10 ? -10 : want);
            if (fabs(want) == 10.0) hit_clip++;
            if (fabs(scaled[i] - want) > 1e-6 + 1e-6 * fabs(want) && bad++ < 5)
                CHECK(0, "step %d env %d: scaled %.9g, hand loop %.9g", t, i, scaled[i], want);
            if (done[i]) ret[i] = 0.0;
        }
    }
    CHECK(bad == 0, "%d scaled rewards differ from the hand loop", bad);
    CHECK(hit_clip > 0, "the spike was not clipped");
    CHECK(ndone > 10, "only %d dones: the reset path is barely exercised", ndone);
    free(seen);
    rs_return_scaler_free(rs);

    /* a literal first step with no clip: ret = r = 2, count 1.0001,
     * var = (1e-4 + 4e-4/1.0001) / 1.0001 = 4.9991e-4, so 2/sqrt(var+1e-8) = 89.4499 */
    rs_return_scaler *one = rs_return_scaler_new(1, 0.99, 0.0f);
    float r2 = 2.0f, y2;
    int nd = 0;
    rs_return_scaler_update(one, &r2, &nd, &y2);
    CHECK_CLOSE(y2, 89.44987421340181, 1e-4, 0, "first scaled reward");
    CHECK_CLOSE(one->rms.var, 0.0004999100129983002, 1e-15, 0, "return variance after one step");
    rs_return_scaler_free(one);
    CHECK(rs_return_scaler_new(0, 0.99, 10.0f) == NULL, "0 envs accepted");
}

RS_TEST_MAIN(T(test_updates_match_direct), T(test_merge_equals_union), T(test_apply_clips),
             T(test_return_scaler_hand_loop))
