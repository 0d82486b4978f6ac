/* rs_mlp.c — MLP forward/backward on cblas_sgemm, orthogonal init, Adam. */
#include "rs_mlp.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cblas.h>

/* ---- activations ---- */

const char *rs_activation_name(rs_activation a) {
    switch (a) {
    case RS_ACT_TANH:
        return "tanh";
    case RS_ACT_RELU:
        return "relu";
    }
    return "?";
}

int rs_activation_parse(const char *s, rs_activation *out) {
    if (s && strcasecmp(s, "tanh") == 0) {
        *out = RS_ACT_TANH;
        return 0;
    }
    if (s && strcasecmp(s, "relu") == 0) {
        *out = RS_ACT_RELU;
        return 0;
    }
    rs_set_error("unknown activation '%s' (choose tanh or relu)", s ? s : "(null)");
    return -1;
}

/* ---- the net ---- */

rs_mlp *rs_mlp_new(int n_in, const int *hidden, int n_hidden, int n_out, rs_activation act) {
    if (n_hidden < 0 || n_hidden + 1 > RS_MLP_MAX_LAYERS) {
        rs_set_error("mlp: %d hidden layers (at most %d)", n_hidden, RS_MLP_MAX_LAYERS - 1);
        return NULL;
    }
    if (n_hidden > 0 && !hidden) {
        rs_set_error("mlp: %d hidden layers but no widths", n_hidden);
        return NULL;
    }
    if (act != RS_ACT_TANH && act != RS_ACT_RELU) {
        rs_set_error("mlp: unknown activation %d", (int)act);
        return NULL;
    }
    rs_mlp *m = rs_calloc(1, sizeof *m);
    if (!m) return NULL;
    m->n_layers = n_hidden + 1;
    m->act = act;
    m->sizes[0] = n_in;
    for (int i = 0; i < n_hidden; i++) m->sizes[i + 1] = hidden[i];
    m->sizes[m->n_layers] = n_out;
    size_t n = 0;
    for (int l = 0; l <= m->n_layers; l++) {
        /* the cap keeps every in*out product and B*width far from int overflow */
        if (m->sizes[l] <= 0 || m->sizes[l] > (1 << 16)) {
            rs_set_error("mlp: layer size %d at position %d (must be 1..65536)", m->sizes[l], l);
            free(m);
            return NULL;
        }
    }
    for (int l = 0; l < m->n_layers; l++)
        n += (size_t)m->sizes[l + 1] * (size_t)m->sizes[l] + (size_t)m->sizes[l + 1];
    m->n_params = n;
    m->params = rs_calloc(n, sizeof(float));
    if (!m->params) {
        free(m);
        return NULL;
    }
    float *p = m->params;
    for (int l = 0; l < m->n_layers; l++) {
        m->W[l] = p;
        p += (size_t)m->sizes[l + 1] * (size_t)m->sizes[l];
        m->b[l] = p;
        p += m->sizes[l + 1];
    }
    return m;
}

void rs_mlp_free(rs_mlp *m) {
    if (!m) return;
    free(m->params);
    free(m);
}

rs_mlp *rs_mlp_clone(const rs_mlp *src) {
    rs_mlp *m = rs_mlp_new(src->sizes[0], src->sizes + 1, src->n_layers - 1,
                           src->sizes[src->n_layers], src->act);
    if (!m) return NULL;
    memcpy(m->params, src->params, src->n_params * sizeof(float));
    return m;
}

size_t rs_mlp_W_offset(const rs_mlp *m, int l) { return (size_t)(m->W[l] - m->params); }
size_t rs_mlp_b_offset(const rs_mlp *m, int l) { return (size_t)(m->b[l] - m->params); }

int rs_mlp_same_shape(const rs_mlp *a, const rs_mlp *b) {
    if (a->n_layers != b->n_layers) return 0;
    for (int l = 0; l <= a->n_layers; l++)
        if (a->sizes[l] != b->sizes[l]) return 0;
    return 1;
}

int rs_mlp_copy(rs_mlp *dst, const rs_mlp *src) {
    if (!rs_mlp_same_shape(dst, src)) {
        rs_set_error("mlp copy: shapes differ (%d vs %d layers, %zu vs %zu params)", dst->n_layers,
                     src->n_layers, dst->n_params, src->n_params);
        return -1;
    }
    memcpy(dst->params, src->params, src->n_params * sizeof(float));
    return 0;
}

void rs_mlp_polyak(rs_mlp *dst, const rs_mlp *src, float tau) {
    assert(rs_mlp_same_shape(dst, src));
    rs_mlp_polyak_range(dst, src, tau, 0, dst->n_params);
}

void rs_mlp_polyak_range(rs_mlp *dst, const rs_mlp *src, float tau, size_t lo, size_t hi) {
    assert(rs_mlp_same_shape(dst, src));
    float *d = dst->params;
    const float *s = src->params;
    if (hi > dst->n_params) hi = dst->n_params;
    /* CleanRL's form tau*src + (1-tau)*dst, so numbers match term for term */
    for (size_t i = lo; i < hi; i++) d[i] = tau * s[i] + (1.0f - tau) * d[i];
}

/* ---- init ---- */

/* Orthonormalise `count` vectors of length `len` in place: vector k starts at
 * a + k*vstride, its elements are estride apart. Modified Gram-Schmidt applied
 * twice ("twice is enough", Giraud et al.) with double sums keeps float
 * matrices orthonormal to ~1e-7. Gram-Schmidt of Gaussian vectors gives the Q
 * of a QR with positive diag(R), which is exactly torch's sign-corrected Q, so
 * the result has the same (Haar) distribution as orthogonal_. */
static void orthonormalise(float *a, int count, int len, int vstride, int estride, rs_rng *rng) {
    for (int k = 0; k < count; k++) {
        float *vk = a + (size_t)k * vstride;
        for (int tries = 0;; tries++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    const float *vj = a + (size_t)j * vstride;
                    double dot = 0.0;
                    for (int i = 0; i < len; i++)
                        dot += (double)vk[(size_t)i * estride] * vj[(size_t)i * estride];
                    for (int i = 0; i < len; i++)
                        vk[(size_t)i * estride] =
                            (float)(vk[(size_t)i * estride] - dot * vj[(size_t)i * estride]);
                }
            }
            double nrm = 0.0;
            for (int i = 0; i < len; i++)
                nrm += (double)vk[(size_t)i * estride] * vk[(size_t)i * estride];
            nrm = sqrt(nrm);
            /* a Gaussian vector (almost) in the span of the others: redraw it.
             * Probability ~0 for the sizes nets use; the cap only guards loops. */
            if (nrm > 1e-4 || tries >= 16) {
                double inv = nrm > 0.0 ? 1.0 / nrm : 0.0;
                for (int i = 0; i < len; i++)
                    vk[(size_t)i * estride] = (float)(vk[(size_t)i * estride] * inv);
                break;
            }
            for (int i = 0; i < len; i++) vk[(size_t)i * estride] = (float)rs_rng_normal(rng);
        }
    }
}

void rs_mlp_init_orthogonal(rs_mlp *m, rs_rng *rng, float hidden_gain, float out_gain) {
    for (int l = 0; l < m->n_layers; l++) {
        int rows = m->sizes[l + 1], cols = m->sizes[l];
        float *W = m->W[l];
        size_t nw = (size_t)rows * cols;
        for (size_t i = 0; i < nw; i++) W[i] = (float)rs_rng_normal(rng);
        if (rows <= cols)
            orthonormalise(W, rows, cols, cols, 1, rng); /* orthonormal rows */
        else
            orthonormalise(W, cols, rows, 1, cols, rng); /* orthonormal columns */
        float gain = l == m->n_layers - 1 ? out_gain : hidden_gain;
        for (size_t i = 0; i < nw; i++) W[i] *= gain;
        memset(m->b[l], 0, (size_t)rows * sizeof(float));
    }
}

void rs_mlp_init_uniform_fanin(rs_mlp *m, rs_rng *rng) {
    /* kaiming_uniform_(a=sqrt(5)) reduces to bound 1/sqrt(fan_in); the bias
     * uses the same bound in nn.Linear.reset_parameters */
    for (int l = 0; l < m->n_layers; l++) {
        int rows = m->sizes[l + 1], cols = m->sizes[l];
        double bound = 1.0 / sqrt((double)cols);
        size_t nw = (size_t)rows * cols;
        for (size_t i = 0; i < nw; i++)
            m->W[l][i] = (float)rs_rng_uniform_range(rng, -bound, bound);
        for (int i = 0; i < rows; i++) m->b[l][i] = (float)rs_rng_uniform_range(rng, -bound, bound);
    }
}

/* ---- workspace ---- */

struct rs_mlp_ws {
    int n_layers;
    int sizes[RS_MLP_MAX_LAYERS + 1];
    int max_batch;
    float *buf;                    /* owns everything below */
    float *act[RS_MLP_MAX_LAYERS]; /* layer l's output (post-activation), B x sizes[l+1] */
    float *delta[2];               /* ping-pong dL/d(pre-activation) of hidden layers */
};

rs_mlp_ws *rs_mlp_ws_new(const rs_mlp *m, int max_batch) {
    if (max_batch <= 0) {
        rs_set_error("mlp workspace: max_batch %d", max_batch);
        return NULL;
    }
    rs_mlp_ws *ws = rs_calloc(1, sizeof *ws);
    if (!ws) return NULL;
    ws->n_layers = m->n_layers;
    memcpy(ws->sizes, m->sizes, sizeof ws->sizes);
    ws->max_batch = max_batch;
    size_t total = 0, widest_hidden = 0;
    for (int l = 0; l < m->n_layers; l++) total += (size_t)m->sizes[l + 1];
    for (int l = 1; l < m->n_layers; l++)
        if ((size_t)m->sizes[l] > widest_hidden) widest_hidden = (size_t)m->sizes[l];
    total += 2 * widest_hidden;
    ws->buf = rs_calloc(total * (size_t)max_batch, sizeof(float));
    if (!ws->buf) {
        free(ws);
        return NULL;
    }
    float *p = ws->buf;
    for (int l = 0; l < m->n_layers; l++) {
        ws->act[l] = p;
        p += (size_t)max_batch * m->sizes[l + 1];
    }
    ws->delta[0] = p;
    ws->delta[1] = p + (size_t)max_batch * widest_hidden;
    return ws;
}

void rs_mlp_ws_free(rs_mlp_ws *ws) {
    if (!ws) return;
    free(ws->buf);
    free(ws);
}

int rs_mlp_ws_max_batch(const rs_mlp_ws *ws) { return ws->max_batch; }

float *rs_mlp_ws_out(rs_mlp_ws *ws) { return ws->act[ws->n_layers - 1]; }

#ifndef NDEBUG
static int ws_fits(const rs_mlp *m, const rs_mlp_ws *ws, int B) {
    if (B > ws->max_batch || ws->n_layers != m->n_layers) return 0;
    for (int l = 0; l <= m->n_layers; l++)
        if (ws->sizes[l] != m->sizes[l]) return 0;
    return 1;
}
#endif

/* glibc's tanhf costs ~17 ns and dominated forward+backward of 64-64 nets;
 * this costs ~5 ns at the same ~1e-7 absolute accuracy. Near 0 the series
 * avoids the cancellation in 1 - 2/(e+1); past 10, tanh is 1 in float (and
 * expf would overflow for |x| > 44). NaN falls through to expf and stays NaN. */
float rs_mlp_tanhf(float x) {
    float ax = fabsf(x);
    if (ax < 0.0625f) {
        /* x - x^3/3 + 2x^5/15; the next term is < 2e-9 relative here */
        float x2 = x * x;
        return x + x * x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f));
    }
    if (ax > 10.0f) return copysignf(1.0f, x);
    float e = expf(2.0f * ax);
    return copysignf(1.0f - 2.0f / (e + 1.0f), x);
}

static void activate(rs_activation act, float *y, size_t n) {
    if (act == RS_ACT_TANH) {
        for (size_t i = 0; i < n; i++) y[i] = rs_mlp_tanhf(y[i]);
    } else {
        /* written so that NaN passes through, as torch.relu does. Blocks of 16
         * with a fixed trip count let -O2's vectoriser turn the select into
         * SIMD; as a plain loop it compiled to a branch that mispredicts on
         * half the units and cost as much as the layer's sgemm (256-wide). */
        size_t i = 0;
        for (; i + 16 <= n; i += 16)
            for (int k = 0; k < 16; k++) {
                float v = y[i + k];
                y[i + k] = v < 0.0f ? 0.0f : v;
            }
        for (; i < n; i++) y[i] = y[i] < 0.0f ? 0.0f : y[i];
    }
}

/* d *= act'(z), with act' expressed through the output y = act(z) */
static void activate_backward(rs_activation act, const float *restrict y, float *restrict d,
                              size_t n) {
    if (act == RS_ACT_TANH) {
        for (size_t i = 0; i < n; i++) d[i] *= 1.0f - y[i] * y[i];
    } else {
        /* derivative 0 at z = 0, as torch's threshold_backward; blocked as in
         * activate() so that it vectorises instead of branching */
        size_t i = 0;
        for (; i + 16 <= n; i += 16)
            for (int k = 0; k < 16; k++) {
                float v = d[i + k];
                d[i + k] = y[i + k] > 0.0f ? v : 0.0f;
            }
        for (; i < n; i++) d[i] = y[i] > 0.0f ? d[i] : 0.0f;
    }
}

/* ---- batched forward / backward ---- */

void rs_mlp_forward(const rs_mlp *m, rs_mlp_ws *ws, const float *x, int B) {
    assert(ws_fits(m, ws, B));
    if (B <= 0) return;
    const float *in = x;
    for (int l = 0; l < m->n_layers; l++) {
        int n_in = m->sizes[l], n_out = m->sizes[l + 1];
        float *y = ws->act[l];
        /* bias first, then y += x W^T with beta = 1: one sgemm, no extra pass */
        for (int r = 0; r < B; r++)
            memcpy(y + (size_t)r * n_out, m->b[l], (size_t)n_out * sizeof(float));
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, n_out, n_in, 1.0f, in, n_in,
                    m->W[l], n_in, 1.0f, y, n_out);
        if (l < m->n_layers - 1) activate(m->act, y, (size_t)B * n_out);
        in = y;
    }
}

void rs_mlp_backward(const rs_mlp *m, rs_mlp_ws *ws, const float *x, const float *dout, int B,
                     float *grad, float *dx) {
    assert(ws_fits(m, ws, B));
    if (B <= 0) return;
    /* d: dL/d(pre-activation) of layer l; the last layer is linear, so dout */
    const float *d = dout;
    int pong = 0;
    for (int l = m->n_layers - 1; l >= 0; l--) {
        int n_in = m->sizes[l], n_out = m->sizes[l + 1];
        const float *in = l > 0 ? ws->act[l - 1] : x;
        float *gW = grad + rs_mlp_W_offset(m, l);
        float *gb = grad + rs_mlp_b_offset(m, l);
        /* gW (out x in) += d^T (out x B) . in (B x in) */
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n_out, n_in, B, 1.0f, d, n_out, in,
                    n_in, 1.0f, gW, n_in);
        for (int r = 0; r < B; r++) {
            const float *dr = d + (size_t)r * n_out;
            for (int j = 0; j < n_out; j++) gb[j] += dr[j];
        }
        if (l == 0 && !dx) break;
        /* d_in (B x in) = d (B x out) . W (out x in) */
        float *din = l > 0 ? ws->delta[pong] : dx;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, n_in, n_out, 1.0f, d, n_out,
                    m->W[l], n_in, 0.0f, din, n_in);
        if (l > 0) {
            activate_backward(m->act, ws->act[l - 1], din, (size_t)B * n_in);
            d = din;
            pong ^= 1;
        }
    }
}

void rs_mlp_backward_input(const rs_mlp *m, rs_mlp_ws *ws, const float *dout, int B, int col0,
                           int ncols, float *dx) {
    assert(ws_fits(m, ws, B));
    assert(col0 >= 0 && ncols > 0 && col0 + ncols <= m->sizes[0]);
    if (B <= 0) return;
    const float *d = dout;
    int pong = 0;
    for (int l = m->n_layers - 1; l > 0; l--) {
        int n_in = m->sizes[l], n_out = m->sizes[l + 1];
        float *din = ws->delta[pong];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, n_in, n_out, 1.0f, d, n_out,
                    m->W[l], n_in, 0.0f, din, n_in);
        activate_backward(m->act, ws->act[l - 1], din, (size_t)B * n_in);
        d = din;
        pong ^= 1;
    }
    /* first layer: only the requested input columns of W[0] (out x in) */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, ncols, m->sizes[1], 1.0f, d,
                m->sizes[1], m->W[0] + col0, m->sizes[0], 0.0f, dx, ncols);
}

/* ---- single-sample forward ---- */

size_t rs_mlp_scratch_size(const rs_mlp *m) {
    size_t w = 1;
    for (int l = 1; l < m->n_layers; l++)
        if ((size_t)m->sizes[l] > w) w = (size_t)m->sizes[l];
    return 2 * w;
}

void rs_mlp_forward1(const rs_mlp *m, const float *x, float *out, float *scratch) {
    size_t half = rs_mlp_scratch_size(m) / 2;
    const float *in = x;
    for (int l = 0; l < m->n_layers; l++) {
        int n_in = m->sizes[l], n_out = m->sizes[l + 1];
        int last = l == m->n_layers - 1;
        float *y = last ? out : scratch + (l & 1) * half;
        memcpy(y, m->b[l], (size_t)n_out * sizeof(float));
        cblas_sgemv(CblasRowMajor, CblasNoTrans, n_out, n_in, 1.0f, m->W[l], n_in, in, 1, 1.0f, y,
                    1);
        if (!last) activate(m->act, y, (size_t)n_out);
        in = y;
    }
}

/* ---- Adam ---- */

rs_adam *rs_adam_new(size_t n, float lr, float beta1, float beta2, float eps) {
    if (n == 0) {
        rs_set_error("adam: no parameters");
        return NULL;
    }
    rs_adam *a = rs_calloc(1, sizeof *a);
    if (!a) return NULL;
    a->m = rs_calloc(2 * n, sizeof(float));
    if (!a->m) {
        free(a);
        return NULL;
    }
    a->v = a->m + n;
    a->n = n;
    a->lr = lr;
    a->beta1 = beta1;
    a->beta2 = beta2;
    a->eps = eps;
    a->t = 0;
    return a;
}

void rs_adam_free(rs_adam *a) {
    if (!a) return;
    free(a->m);
    free(a);
}

void rs_adam_reset(rs_adam *a) {
    memset(a->m, 0, 2 * a->n * sizeof(float));
    a->t = 0;
}

rs_adam_coef rs_adam_tick(rs_adam *a) {
    a->t++;
    /* bias corrections in double: beta2^t stays accurate over 1e6 steps */
    double bc1 = 1.0 - pow((double)a->beta1, (double)a->t);
    double bc2 = 1.0 - pow((double)a->beta2, (double)a->t);
    /* torch: denom = sqrt(v) / sqrt(bc2) + eps; p -= (lr / bc1) * m / denom */
    return (rs_adam_coef){(float)((double)a->lr / bc1), (float)(1.0 / sqrt(bc2))};
}

void rs_adam_apply(rs_adam *a, rs_adam_coef c, float *params, const float *g0, const float *g1,
                   size_t lo, size_t hi) {
    const float b1 = a->beta1, b2 = a->beta2, eps = a->eps, step = c.step, ib = c.inv_sqrt_bc2;
    float *m = a->m, *v = a->v;
    if (hi > a->n) hi = a->n;
    if (!g1) {
        for (size_t i = lo; i < hi; i++) {
            float g = g0[i];
            m[i] = b1 * m[i] + (1.0f - b1) * g;
            v[i] = b2 * v[i] + (1.0f - b2) * (g * g);
            params[i] -= step * m[i] / (sqrtf(v[i]) * ib + eps);
        }
        return;
    }
    for (size_t i = lo; i < hi; i++) {
        float g = g0[i] + g1[i];
        m[i] = b1 * m[i] + (1.0f - b1) * g;
        v[i] = b2 * v[i] + (1.0f - b2) * (g * g);
        params[i] -= step * m[i] / (sqrtf(v[i]) * ib + eps);
    }
}

void rs_adam_step(rs_adam *a, float *params, const float *grad) {
    rs_adam_apply(a, rs_adam_tick(a), params, grad, NULL, 0, a->n);
}

/* ---- gradient norms ---- */

float rs_grad_global_norm(const float *g, size_t n) {
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += (double)g[i] * g[i];
    return (float)sqrt(s);
}

float rs_grad_clip(float *g, size_t n, float max_norm) {
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += (double)g[i] * g[i];
    double norm = sqrt(s);
    if (!isfinite(norm)) return (float)norm; /* nothing sensible to scale by */
    /* torch clamps the coefficient at 1 rather than testing norm > max_norm */
    double coef = (double)max_norm / (norm + 1e-6);
    if (coef < 1.0) {
        float c = (float)coef;
        for (size_t i = 0; i < n; i++) g[i] *= c;
    }
    return (float)norm;
}
