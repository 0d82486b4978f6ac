/* test_mlp.c — MLP forward/backward against an independent double-precision
 * reference and central finite differences; init, Adam and clipping against
 * closed forms and hand-computed values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_mlp.h"
#include "rs_test.h"

/* ---- independent reference: naive loops in double ---- */

/* Walks the params layout itself (W0 b0 W1 b1 ...) rather than using the
 * library's pointers, so a layout bug shows up as a mismatch. min_absz gets
 * the smallest |pre-activation| of hidden units (ReLU kinks break FD). */
static void ref_forward(const int *sizes, int n_layers, rs_activation act, const double *p,
                        const double *x, int B, double *out, double *min_absz) {
    double a[2][256];
    if (min_absz) *min_absz = INFINITY;
    for (int r = 0; r < B; r++) {
        const double *in = x + (size_t)r * sizes[0];
        const double *q = p;
        for (int l = 0; l < n_layers; l++) {
            int ni = sizes[l], no = sizes[l + 1];
            const double *W = q, *b = q + (size_t)no * ni;
            q = b + no;
            int last = l == n_layers - 1;
            double *y = last ? out + (size_t)r * no : a[l & 1];
            for (int j = 0; j < no; j++) {
                double z = b[j];
                for (int i = 0; i < ni; i++) z += W[(size_t)j * ni + i] * in[i];
                if (!last) {
                    if (min_absz && fabs(z) < *min_absz) *min_absz = fabs(z);
                    z = act == RS_ACT_TANH ? tanh(z) : (z > 0 ? z : 0);
                }
                y[j] = z;
            }
            in = y;
        }
    }
}

static void fill_normal(float *v, size_t n, rs_rng *rng, double scale) {
    for (size_t i = 0; i < n; i++) v[i] = (float)(scale * rs_rng_normal(rng));
}

static double *to_double(const float *v, size_t n) {
    double *d = malloc(n * sizeof *d);
    for (size_t i = 0; i < n; i++) d[i] = v[i];
    return d;
}

/* ---- the tanh ---- */

static void test_tanh_accuracy(void) {
    /* a dense grid over [-12, 12], every power of two down to 2^-126 with
     * both signs, and the special values */
    double worst_abs = 0.0, worst_rel = 0.0, at_abs = 0.0, at_rel = 0.0;
    for (int i = 0; i <= 2400000; i++) {
        float x = -12.0f + (float)i * 1e-5f;
        double e = fabs(rs_mlp_tanhf(x) - tanh((double)x));
        if (e > worst_abs) worst_abs = e, at_abs = x;
    }
    for (int k = 0; k <= 126; k++)
        for (int s = -1; s <= 1; s += 2) {
            float x = s * ldexpf(1.0f, -k);
            double t = tanh((double)x), e = fabs(rs_mlp_tanhf(x) - t) / fabs(t);
            if (e > worst_rel) worst_rel = e, at_rel = x;
        }
    /* glibc's tanhf itself is off by up to 1e-7; float spacing near 1 is 6e-8 */
    CHECK(worst_abs <= 2e-7, "tanh abs error %.3g at x = %.9g", worst_abs, at_abs);
    CHECK(worst_rel <= 2e-6, "tanh rel error %.3g at x = %.9g", worst_rel, at_rel);
    CHECK(rs_mlp_tanhf(100.0f) == 1.0f && rs_mlp_tanhf(-INFINITY) == -1.0f, "tanh saturation");
    CHECK(isnan(rs_mlp_tanhf(NAN)), "tanh(NaN) = %g", rs_mlp_tanhf(NAN));
}

/* ---- forward ---- */

static void check_forward(rs_activation act, const int *hidden, int n_hidden, int n_in, int n_out,
                          int B, uint64_t seed) {
    rs_rng rng;
    rs_rng_seed(&rng, seed, 0);
    rs_mlp *m = rs_mlp_new(n_in, hidden, n_hidden, n_out, act);
    CHECK(m != NULL, "rs_mlp_new: %s", rs_last_error());
    if (!m) return;
    /* big enough weights that tanh saturates partly and ReLU zeroes some units */
    fill_normal(m->params, m->n_params, &rng, 0.5);
    float *x = malloc((size_t)B * n_in * sizeof *x);
    fill_normal(x, (size_t)B * n_in, &rng, 1.5);
    rs_mlp_ws *ws = rs_mlp_ws_new(m, B + 3);
    rs_mlp_forward(m, ws, x, B);
    const float *y = rs_mlp_ws_out(ws);

    double *pd = to_double(m->params, m->n_params), *xd = to_double(x, (size_t)B * n_in);
    double *yd = malloc((size_t)B * n_out * sizeof *yd);
    ref_forward(m->sizes, m->n_layers, act, pd, xd, B, yd, NULL);

    /* float32 sgemm vs double loops over fan-ins <= 64 with O(1) values */
    const double atol = 1e-5, rtol = 1e-4;
    int bad = 0;
    for (int i = 0; i < B * n_out && bad < 5; i++) {
        if (fabs(y[i] - yd[i]) > atol + rtol * fabs(yd[i])) {
            bad++;
            CHECK(0, "%s forward out[%d,%d] = %.8g, reference %.8g", rs_activation_name(act),
                  i / n_out, i % n_out, y[i], yd[i]);
        }
    }
    CHECK(bad == 0, "%s forward: mismatches", rs_activation_name(act));

    /* the single-sample path agrees with the batch row for row */
    float *scratch = malloc(rs_mlp_scratch_size(m) * sizeof *scratch);
    float *y1 = malloc((size_t)n_out * sizeof *y1);
    for (int r = 0; r < B; r += (B > 4 ? B / 4 : 1)) {
        rs_mlp_forward1(m, x + (size_t)r * n_in, y1, scratch);
        for (int j = 0; j < n_out; j++)
            CHECK_CLOSE(y1[j], yd[(size_t)r * n_out + j], atol, rtol, "forward1 vs reference");
    }
    free(scratch);
    free(y1);
    free(pd);
    free(xd);
    free(yd);
    free(x);
    rs_mlp_ws_free(ws);
    rs_mlp_free(m);
}

static void test_forward_vs_naive(void) {
    int h2[2] = {64, 64}, h3[3] = {9, 13, 7};
    check_forward(RS_ACT_TANH, h2, 2, 17, 6, 37, 1);
    check_forward(RS_ACT_RELU, h2, 2, 17, 6, 37, 2);
    check_forward(RS_ACT_TANH, h3, 3, 5, 1, 1, 3); /* B = 1, value-head shape */
    check_forward(RS_ACT_RELU, h3, 3, 5, 2, 11, 4);
    check_forward(RS_ACT_TANH, NULL, 0, 4, 3, 6, 5); /* no hidden layer: linear */
}

/* a smaller batch after a larger one must not read stale rows */
static void test_forward_batch_sizes(void) {
    int h[2] = {8, 8};
    rs_rng rng;
    rs_rng_seed(&rng, 7, 0);
    rs_mlp *m = rs_mlp_new(3, h, 2, 2, RS_ACT_TANH);
    rs_mlp_init_uniform_fanin(m, &rng);
    rs_mlp_ws *ws = rs_mlp_ws_new(m, 16);
    CHECK(rs_mlp_ws_max_batch(ws) == 16, "max batch %d", rs_mlp_ws_max_batch(ws));
    float x[16 * 3], y_all[16 * 2];
    fill_normal(x, 48, &rng, 1.0);
    rs_mlp_forward(m, ws, x, 16);
    memcpy(y_all, rs_mlp_ws_out(ws), sizeof y_all);
    rs_mlp_forward(m, ws, x + 9, 2); /* rows 3 and 4 alone */
    const float *y = rs_mlp_ws_out(ws);
    for (int i = 0; i < 4; i++)
        CHECK_CLOSE(y[i], y_all[6 + i], 1e-6, 1e-6, "row-independent forward");
    rs_mlp_ws_free(ws);
    rs_mlp_free(m);
}

/* ---- backward vs finite differences ---- */

/* L = sum_{r,k} c[r,k] y[r,k], so dL/dy = c */
static double loss_d(const rs_mlp *m, const double *p, const double *x, const double *c, int B,
                     double *ybuf) {
    ref_forward(m->sizes, m->n_layers, m->act, p, x, B, ybuf, NULL);
    double L = 0.0;
    for (int i = 0; i < B * m->sizes[m->n_layers]; i++) L += c[i] * ybuf[i];
    return L;
}

static void check_backward_fd(rs_activation act, uint64_t seed) {
    /* three hidden layers so both ping-pong delta buffers and dx are used */
    int hidden[3] = {5, 4, 6};
    const int n_in = 3, n_out = 2, B = 4;
    rs_rng rng;
    rs_rng_seed(&rng, seed, 1);
    rs_mlp *m = rs_mlp_new(n_in, hidden, 3, n_out, act);
    fill_normal(m->params, m->n_params, &rng, 0.7);
    float x[4 * 3], c[4 * 2];
    fill_normal(x, sizeof x / sizeof x[0], &rng, 1.0);
    fill_normal(c, sizeof c / sizeof c[0], &rng, 1.0);

    rs_mlp_ws *ws = rs_mlp_ws_new(m, 8);
    float *grad = calloc(m->n_params, sizeof *grad);
    float dx[4 * 3];
    rs_mlp_forward(m, ws, x, B);
    rs_mlp_backward(m, ws, x, c, B, grad, dx);

    double *p = to_double(m->params, m->n_params), *xd = to_double(x, 12), *cd = to_double(c, 8);
    double ybuf[8], minz;
    ref_forward(m->sizes, m->n_layers, act, p, xd, B, ybuf, &minz);
    /* FD across a ReLU kink would be meaningless; the seeds are chosen so
     * every hidden pre-activation is far from 0 relative to h */
    CHECK(minz > 1e-4, "%s: a pre-activation is %.3g from a kink; pick another seed",
          rs_activation_name(act), minz);

    /* central differences in double: truncation ~h^2, rounding ~1e-16/h */
    const double h = 1e-6;
    /* the float32 backward carries ~1e-6 relative error */
    const double atol = 2e-5, rtol = 1e-4;
    int bad = 0;
    for (size_t i = 0; i < m->n_params; i++) {
        double keep = p[i];
        p[i] = keep + h;
        double Lp = loss_d(m, p, xd, cd, B, ybuf);
        p[i] = keep - h;
        double Lm = loss_d(m, p, xd, cd, B, ybuf);
        p[i] = keep;
        double fd = (Lp - Lm) / (2 * h);
        if (fabs(grad[i] - fd) > atol + rtol * fabs(fd) && bad++ < 5)
            CHECK(0, "%s dL/dparam[%zu] = %.8g, finite difference %.8g", rs_activation_name(act), i,
                  grad[i], fd);
    }
    for (int i = 0; i < B * n_in; i++) {
        double keep = xd[i];
        xd[i] = keep + h;
        double Lp = loss_d(m, p, xd, cd, B, ybuf);
        xd[i] = keep - h;
        double Lm = loss_d(m, p, xd, cd, B, ybuf);
        xd[i] = keep;
        double fd = (Lp - Lm) / (2 * h);
        if (fabs(dx[i] - fd) > atol + rtol * fabs(fd) && bad++ < 10)
            CHECK(0, "%s dL/dx[%d,%d] = %.8g, finite difference %.8g", rs_activation_name(act),
                  i / n_in, i % n_in, dx[i], fd);
    }
    CHECK(bad == 0, "%s backward: %d gradient entries differ from finite differences",
          rs_activation_name(act), bad);

    /* dx = NULL skips the input gradient but not the parameter gradient */
    float *grad2 = calloc(m->n_params, sizeof *grad2);
    rs_mlp_backward(m, ws, x, c, B, grad2, NULL);
    CHECK(memcmp(grad, grad2, m->n_params * sizeof *grad) == 0,
          "dx=NULL changed the parameter grads");

    free(grad2);
    free(p);
    free(xd);
    free(cd);
    free(grad);
    rs_mlp_ws_free(ws);
    rs_mlp_free(m);
}

static void test_backward_finite_differences(void) {
    check_backward_fd(RS_ACT_TANH, 11);
    check_backward_fd(RS_ACT_RELU, 12);
}

static void test_backward_accumulates(void) {
    int hidden[2] = {16, 16};
    rs_rng rng;
    rs_rng_seed(&rng, 21, 0);
    rs_mlp *m = rs_mlp_new(5, hidden, 2, 3, RS_ACT_TANH);
    rs_mlp_init_orthogonal(m, &rng, sqrtf(2.0f), 1.0f);
    /* orthogonal init leaves biases 0; nonzero biases make the check stricter */
    for (int l = 0; l < m->n_layers; l++) fill_normal(m->b[l], (size_t)m->sizes[l + 1], &rng, 0.3);
    float x[6 * 5], d[6 * 3];
    fill_normal(x, 30, &rng, 1.0);
    fill_normal(d, 18, &rng, 1.0);
    rs_mlp_ws *ws = rs_mlp_ws_new(m, 6);
    float *g1 = calloc(m->n_params, sizeof *g1), *g = malloc(m->n_params * sizeof *g);
    for (size_t i = 0; i < m->n_params; i++) g[i] = 0.25f;
    rs_mlp_forward(m, ws, x, 6);
    rs_mlp_backward(m, ws, x, d, 6, g1, NULL);
    rs_mlp_backward(m, ws, x, d, 6, g, NULL);
    rs_mlp_backward(m, ws, x, d, 6, g, NULL);
    int bad = 0;
    double gsum = 0;
    for (size_t i = 0; i < m->n_params; i++) {
        double want = 0.25 + 2.0 * g1[i];
        gsum += fabs(g1[i]);
        if (fabs(g[i] - want) > 1e-6 + 1e-6 * fabs(want) && bad++ < 5)
            CHECK(0, "grad[%zu] after 2 backward on 0.25: %.8g, want %.8g", i, g[i], want);
    }
    CHECK(bad == 0, "%d gradient entries did not accumulate", bad);
    CHECK(gsum > 1e-3, "gradient is all zero (sum |g| = %g)", gsum);

    /* dL/dy written over the output buffer is a valid dout */
    memcpy(rs_mlp_ws_out(ws), d, sizeof d);
    memset(g, 0, m->n_params * sizeof *g);
    rs_mlp_backward(m, ws, x, rs_mlp_ws_out(ws), 6, g, NULL);
    CHECK(memcmp(g, g1, m->n_params * sizeof *g) == 0, "dout = rs_mlp_ws_out(ws) gave other grads");
    free(g1);
    free(g);
    rs_mlp_ws_free(ws);
    rs_mlp_free(m);
}

/* ---- init ---- */

/* max |G - gain^2 I| over the Gram matrix of rows (by_rows) or columns */
static double gram_error(const float *W, int rows, int cols, int by_rows, double gain) {
    int k = by_rows ? rows : cols, len = by_rows ? cols : rows;
    double worst = 0.0;
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) {
            double s = 0.0;
            for (int i = 0; i < len; i++) {
                double wa = by_rows ? W[(size_t)a * cols + i] : W[(size_t)i * cols + a];
                double wb = by_rows ? W[(size_t)b * cols + i] : W[(size_t)i * cols + b];
                s += wa * wb;
            }
            double e = fabs(s - (a == b ? gain * gain : 0.0));
            if (e > worst) worst = e;
        }
    return worst;
}

static void test_orthogonal_init(void) {
    /* 17 -> 64 -> 64 -> 6: tall (64x17), square (64x64), wide (6x64) */
    int hidden[2] = {64, 64};
    rs_mlp *m = rs_mlp_new(17, hidden, 2, 6, RS_ACT_TANH);
    for (size_t i = 0; i < m->n_params; i++) m->params[i] = 7.0f; /* junk the init must clear */
    rs_rng rng;
    rs_rng_seed(&rng, 123, 0);
    const double hg = sqrt(2.0), og = 0.01;
    rs_mlp_init_orthogonal(m, &rng, (float)hg, (float)og);
    for (int l = 0; l < m->n_layers; l++) {
        int rows = m->sizes[l + 1], cols = m->sizes[l];
        double gain = l == m->n_layers - 1 ? og : hg;
        int by_rows = rows <= cols; /* torch: orthonormal rows if rows <= cols, else columns */
        double e = gram_error(m->W[l], rows, cols, by_rows, gain);
        CHECK(e <= 1e-5 * gain * gain, "layer %d (%dx%d): |%s - gain^2 I| = %.3g", l, rows, cols,
              by_rows ? "W W^T" : "W^T W", e);
        for (int j = 0; j < rows; j++)
            CHECK(m->b[l][j] == 0.0f, "layer %d bias %d = %g", l, j, m->b[l][j]);
    }
    /* a square orthogonal matrix is orthogonal both ways */
    CHECK(gram_error(m->W[1], 64, 64, 0, hg) <= 1e-5 * 2, "square W^T W != gain^2 I");

    /* Haar-random, not a permutation or identity: entries ~ N(0, 1/n), so
     * E|w| = sqrt(2/pi)/sqrt(64) = 0.0997 for the unscaled square layer */
    double mabs = 0.0;
    for (int i = 0; i < 64 * 64; i++) mabs += fabs(m->W[1][i]) / hg;
    mabs /= 64 * 64;
    CHECK(fabs(mabs - sqrt(2.0 / M_PI) / 8.0) < 0.01, "mean |w| of a 64x64 orthogonal layer %.4f",
          mabs);
    /* and centred: each row's sum is 8 (row . u) for the unit u = 1/8, which
     * is N(0, 1) under Haar; a Gram-Schmidt of non-centred draws gives ~7 */
    for (int r = 0; r < 64; r++) {
        double s = 0.0;
        for (int i = 0; i < 64; i++) s += m->W[1][r * 64 + i] / hg;
        CHECK(fabs(s) < 5.0, "row %d of a 64x64 orthogonal layer sums to %.3f", r, s);
    }

    /* same seed, same weights; another seed, other weights */
    rs_mlp *m2 = rs_mlp_new(17, hidden, 2, 6, RS_ACT_TANH);
    rs_rng_seed(&rng, 123, 0);
    rs_mlp_init_orthogonal(m2, &rng, (float)hg, (float)og);
    CHECK(memcmp(m->params, m2->params, m->n_params * sizeof(float)) == 0,
          "same seed gave other weights");
    rs_rng_seed(&rng, 124, 0);
    rs_mlp_init_orthogonal(m2, &rng, (float)hg, (float)og);
    CHECK(memcmp(m->params, m2->params, m->n_params * sizeof(float)) != 0,
          "another seed gave the same weights");

    /* value-head shape: 1 x 64 with gain 1 is a unit row */
    rs_mlp *v = rs_mlp_new(64, NULL, 0, 1, RS_ACT_TANH);
    rs_mlp_init_orthogonal(v, &rng, (float)hg, 1.0f);
    CHECK(gram_error(v->W[0], 1, 64, 1, 1.0) < 1e-6, "1x64 value head is not a unit vector");
    rs_mlp_free(v);
    rs_mlp_free(m2);
    rs_mlp_free(m);
}

static void test_uniform_fanin_init(void) {
    int hidden[2] = {256, 256};
    rs_mlp *m = rs_mlp_new(17, hidden, 2, 6, RS_ACT_RELU);
    rs_rng rng;
    rs_rng_seed(&rng, 5, 0);
    rs_mlp_init_uniform_fanin(m, &rng);
    for (int l = 0; l < m->n_layers; l++) {
        int rows = m->sizes[l + 1], cols = m->sizes[l];
        double bound = 1.0 / sqrt((double)cols);
        size_t nw = (size_t)rows * cols;
        double s = 0, s2 = 0, mx = 0;
        int out = 0;
        for (size_t i = 0; i < nw; i++) {
            double w = m->W[l][i];
            if (fabs(w) > bound) out++;
            s += w;
            s2 += w * w;
            if (fabs(w) > mx) mx = fabs(w);
        }
        for (int j = 0; j < rows; j++)
            if (fabs(m->b[l][j]) > bound) out++;
        CHECK(out == 0, "layer %d: %d values outside +-%g", l, out, bound);
        /* U(-a, a): mean 0, variance a^2/3; >= 1536 samples per layer */
        double mean = s / nw, var = s2 / nw - mean * mean;
        CHECK(fabs(mean) < 0.1 * bound, "layer %d mean %g (bound %g)", l, mean, bound);
        CHECK(fabs(var / (bound * bound / 3.0) - 1.0) < 0.1, "layer %d var %g, want %g", l, var,
              bound * bound / 3.0);
        CHECK(mx > 0.95 * bound, "layer %d max |w| %g, bound %g", l, mx, bound);
    }
    rs_mlp_free(m);
}

/* ---- layout, errors, small helpers ---- */

static void test_layout_and_errors(void) {
    int hidden[2] = {4, 3};
    rs_mlp *m = rs_mlp_new(2, hidden, 2, 5, RS_ACT_RELU);
    CHECK(m->n_layers == 3, "n_layers %d", m->n_layers);
    CHECK(m->n_params == (size_t)(4 * 2 + 4 + 3 * 4 + 3 + 5 * 3 + 5), "n_params %zu", m->n_params);
    CHECK(m->W[0] == m->params && m->b[0] == m->params + 8 && m->W[1] == m->params + 12 &&
              m->b[1] == m->params + 24 && m->W[2] == m->params + 27 && m->b[2] == m->params + 42,
          "params layout is not W0 b0 W1 b1 W2 b2");
    CHECK(rs_mlp_b_offset(m, 2) == 42, "b offset %zu", rs_mlp_b_offset(m, 2));

    int many[RS_MLP_MAX_LAYERS] = {4, 4, 4, 4, 4, 4, 4, 4};
    CHECK(rs_mlp_new(2, many, RS_MLP_MAX_LAYERS, 1, RS_ACT_TANH) == NULL,
          "too many layers accepted");
    CHECK(strstr(rs_last_error(), "hidden") != NULL, "error message: %s", rs_last_error());
    rs_mlp *ok = rs_mlp_new(2, many, RS_MLP_MAX_LAYERS - 1, 1, RS_ACT_TANH);
    CHECK(ok != NULL, "the maximum depth was refused: %s", rs_last_error());
    int zero[1] = {0};
    CHECK(rs_mlp_new(2, zero, 1, 1, RS_ACT_TANH) == NULL, "zero-width layer accepted");
    CHECK(rs_mlp_ws_new(m, 0) == NULL, "workspace of batch 0 accepted");

    rs_activation a;
    CHECK(rs_activation_parse("ReLU", &a) == 0 && a == RS_ACT_RELU, "parse relu");
    CHECK(rs_activation_parse("tanh", &a) == 0 && a == RS_ACT_TANH, "parse tanh");
    CHECK(rs_activation_parse("gelu", &a) == -1, "gelu accepted");
    CHECK(strstr(rs_last_error(), "gelu") != NULL, "error message: %s", rs_last_error());
    CHECK(strcmp(rs_activation_name(RS_ACT_RELU), "relu") == 0, "name relu");

    /* clone, copy, polyak */
    rs_rng rng;
    rs_rng_seed(&rng, 9, 0);
    rs_mlp_init_uniform_fanin(m, &rng);
    rs_mlp *c = rs_mlp_clone(m);
    CHECK(c && c->params != m->params && memcmp(c->params, m->params, m->n_params * 4) == 0,
          "clone");
    float before[47];
    memcpy(before, c->params, sizeof before);
    for (size_t i = 0; i < m->n_params; i++) m->params[i] += 1.0f;
    rs_mlp_polyak(c, m, 0.005f);
    for (size_t i = 0; i < m->n_params; i++)
        CHECK_CLOSE(c->params[i], 0.995 * before[i] + 0.005 * m->params[i], 1e-6, 1e-6, "polyak");
    /* on two ranges (the second clamped at n_params): the same bits */
    float once[47];
    memcpy(once, c->params, sizeof once);
    memcpy(c->params, before, sizeof before);
    rs_mlp_polyak_range(c, m, 0.005f, 20, m->n_params + 5);
    rs_mlp_polyak_range(c, m, 0.005f, 0, 20);
    CHECK(memcmp(once, c->params, sizeof once) == 0, "polyak on ranges differs");
    CHECK(rs_mlp_copy(c, m) == 0 && memcmp(c->params, m->params, m->n_params * 4) == 0, "copy");
    CHECK(rs_mlp_copy(ok, m) == -1, "copy between different shapes accepted");
    rs_mlp_free(c);
    rs_mlp_free(ok);
    rs_mlp_free(m);
    rs_mlp_free(NULL);
    rs_mlp_ws_free(NULL);
    rs_adam_free(NULL);
}

/* ---- Adam ---- */

static void test_adam_hand_values(void) {
    /* element 0 sees g = 1, -1, 2 with lr 0.1, 0.1, 0.05 (annealed before step 3);
     * element 1 a zero gradient (must not move: 0 / (0 + eps));
     * element 2 a constant gradient -3 (m_hat = g, v_hat = g^2 every step, so
     * it moves by lr * 3 / (3 + eps) each time). */
    rs_adam *a = rs_adam_new(3, 0.1f, 0.9f, 0.999f, 1e-8f);
    float p[3] = {1.0f, 2.0f, 0.0f};
    float g1[3] = {1, 0, -3}, g2[3] = {-1, 0, -3}, g3[3] = {2, 0, -3};
    /* step 1: m = 0.1, v = 0.001; m_hat = 1, v_hat = 1: p = 1 - 0.1/(1+1e-8) */
    rs_adam_step(a, p, g1);
    CHECK_CLOSE(p[0], 0.900000001, 1e-7, 0, "adam step 1");
    /* betas are float32: 1 - 0.999f = 0.00099998713, so the moments carry
     * ~1e-5 relative error (consistently in m, v and the bias corrections,
     * which is why the parameter itself is exact to float rounding) */
    CHECK_CLOSE(a->m[0], 0.1, 0, 1e-5, "adam m after step 1");
    CHECK_CLOSE(a->v[0], 0.001, 0, 1e-4, "adam v after step 1");
    /* step 2: m = 0.09 - 0.1 = -0.01, v = 0.000999 + 0.001 = 0.001999;
     * m_hat = -0.01/0.19 = -1/19, v_hat = 0.001999/0.001999 = 1: p += 0.1/19 */
    rs_adam_step(a, p, g2);
    CHECK_CLOSE(p[0], 0.9052631588, 1e-7, 0, "adam step 2");
    /* step 3, lr 0.05: m = -0.009 + 0.2 = 0.191, v = 0.001997001 + 0.004 = 0.005997001;
     * bc1 = 0.271, bc2 = 0.002997001; m_hat = 0.70479705, v_hat = 2.00100067;
     * p -= 0.05 * 0.70479705 / (1.41456025 + 1e-8) */
    a->lr = 0.05f;
    rs_adam_step(a, p, g3);
    CHECK_CLOSE(p[0], 0.8803510518, 1e-7, 0, "adam step 3 (annealed lr)");
    CHECK(a->t == 3, "t = %ld", a->t);
    CHECK(p[1] == 2.0f, "zero gradient moved the parameter to %.9g", p[1]);
    CHECK_CLOSE(p[2], 0.25, 1e-6, 0, "constant gradient: 0.1 + 0.1 + 0.05 up");
    rs_adam_free(a);

    /* eps goes outside the sqrt of the bias-corrected v (torch), not inside
     * it or on the uncorrected v (TF's epsilon-hat): g = 1, eps = 0.1 moves by
     * lr / 1.1; TF's form would move by lr*sqrt(.001)/.1*.1/(sqrt(.001)+.1) = 0.24 lr */
    rs_adam *b = rs_adam_new(1, 1.0f, 0.9f, 0.999f, 0.1f);
    float q = 0.0f, one = 1.0f;
    rs_adam_step(b, &q, &one);
    CHECK_CLOSE(q, -1.0 / 1.1, 1e-6, 0, "adam eps placement");
    rs_adam_reset(b);
    CHECK(b->t == 0 && b->m[0] == 0.0f && b->v[0] == 0.0f, "adam reset");
    rs_adam_free(b);
}

static void test_adam_split(void) {
    /* tick + apply on ranges, with the gradient given as two parts, equals
     * rs_adam_step on their sum bit for bit over several steps */
    enum { N = 1003 };
    static float p1[N], p2[N], g0[N], g1[N], gs[N];
    rs_rng rng;
    rs_rng_seed(&rng, 3, 0);
    for (int i = 0; i < N; i++) p1[i] = p2[i] = (float)rs_rng_normal(&rng);
    rs_adam *a = rs_adam_new(N, 1e-2f, 0.9f, 0.999f, 1e-8f),
            *b = rs_adam_new(N, 1e-2f, 0.9f, 0.999f, 1e-8f);
    for (int step = 0; step < 5; step++) {
        for (int i = 0; i < N; i++) {
            g0[i] = (float)rs_rng_normal(&rng);
            g1[i] = (float)rs_rng_normal(&rng) * 1e-3f;
            gs[i] = g0[i] + g1[i];
        }
        rs_adam_step(a, p1, gs);
        rs_adam_coef c = rs_adam_tick(b);
        rs_adam_apply(b, c, p2, g0, g1, 500, N + 7); /* hi past n is clamped */
        rs_adam_apply(b, c, p2, g0, g1, 0, 500);
    }
    CHECK(memcmp(p1, p2, sizeof p1) == 0 && memcmp(a->m, b->m, sizeof(float) * N) == 0 &&
              memcmp(a->v, b->v, sizeof(float) * N) == 0 && a->t == b->t,
          "split Adam differs from rs_adam_step");
    rs_adam_free(a);
    rs_adam_free(b);
}

/* ---- gradient norm and clipping ---- */

static void test_grad_clip(void) {
    float g[3] = {3, 4, 0};
    CHECK_CLOSE(rs_grad_global_norm(g, 3), 5.0, 1e-6, 0, "norm of (3,4,0)");
    float n = rs_grad_clip(g, 3, 1.0f);
    CHECK_CLOSE(n, 5.0, 1e-6, 0, "clip returns the norm before clipping");
    /* torch: g * max_norm / (norm + 1e-6) */
    CHECK_CLOSE(g[0], 3.0 / (5.0 + 1e-6), 1e-7, 0, "clipped g[0]");
    CHECK_CLOSE(g[1], 4.0 / (5.0 + 1e-6), 1e-7, 0, "clipped g[1]");
    CHECK(g[2] == 0.0f, "clipped g[2] %g", g[2]);
    CHECK_CLOSE(rs_grad_global_norm(g, 3), 1.0, 1e-6, 0, "norm after clipping");

    float h[2] = {3, 4};
    rs_grad_clip(h, 2, 10.0f);
    CHECK(h[0] == 3.0f && h[1] == 4.0f, "a gradient under the limit changed: %g %g", h[0], h[1]);

    static float big[1000];
    for (int i = 0; i < 1000; i++) big[i] = i % 2 ? 0.5f : -0.5f;
    CHECK_CLOSE(rs_grad_global_norm(big, 1000), 0.5 * sqrt(1000.0), 1e-5, 1e-6,
                "norm of 1000 x 0.5");
    rs_grad_clip(big, 1000, 0.5f);
    CHECK_CLOSE(rs_grad_global_norm(big, 1000), 0.5, 1e-6, 1e-5, "norm after clipping to 0.5");

    float bad[2] = {NAN, 1.0f};
    float nb = rs_grad_clip(bad, 2, 1.0f);
    CHECK(isnan(nb) && bad[1] == 1.0f, "NaN norm: returned %g, g[1] = %g", nb, bad[1]);
}

RS_TEST_MAIN(T(test_tanh_accuracy), T(test_forward_vs_naive), T(test_forward_batch_sizes),
             T(test_backward_finite_differences), T(test_backward_accumulates),
             T(test_orthogonal_init), T(test_uniform_fanin_init), T(test_layout_and_errors),
             T(test_adam_hand_values), T(test_adam_split), T(test_grad_clip))
