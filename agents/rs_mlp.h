/* rs_mlp.h — multilayer perceptron, Adam and gradient clipping on OpenBLAS.
 *
 * Layout: all parameters of a net live in ONE float allocation `params`, in the
 * order W0, b0, W1, b1, ...; W[l] (sizes[l+1] x sizes[l], row-major, out x in)
 * and b[l] are named views into it. A gradient buffer is simply n_params floats
 * with the same layout, so optimisers, clipping, MPI reduction, checkpoints and
 * soups all work on one flat vector.
 *
 * Hidden layers apply `act`; the last layer is linear.
 *
 * Batches are row-major: x is B x n_in, the output B x n_out. A workspace
 * (rs_mlp_ws) holds every layer's activations for backward; it belongs to one
 * thread. The net itself is only read by forward/backward, so many threads may
 * share it, each with its own workspace.
 *
 * Ownership: rs_mlp_new/rs_mlp_free, rs_mlp_ws_new/rs_mlp_ws_free,
 * rs_adam_new/rs_adam_free; all *_free are NULL-safe. */
#ifndef RS_MLP_H
#define RS_MLP_H

#include <stddef.h>

#include "rs_common.h"

/* ---- activations ---- */
typedef enum { RS_ACT_TANH = 0, RS_ACT_RELU = 1 } rs_activation;

const char *rs_activation_name(rs_activation a); /* "tanh", "relu", "?" */
/* "tanh" / "relu" (case-insensitive); -1 with an error naming the choices */
int rs_activation_parse(const char *s, rs_activation *out);

/* the tanh the nets use: |error| <= 2e-7 against tanh, ~3x faster than
 * glibc's tanhf. Exposed so other code (and tests) can use the same one. */
float rs_mlp_tanhf(float x);

/* ---- the net ---- */
#define RS_MLP_MAX_LAYERS 8

typedef struct rs_mlp {
    int n_layers;                     /* linear layers: hidden + 1 */
    int sizes[RS_MLP_MAX_LAYERS + 1]; /* sizes[0] = n_in, sizes[n_layers] = n_out */
    rs_activation act;                /* for hidden layers */
    size_t n_params;
    float *params;               /* owns every parameter */
    float *W[RS_MLP_MAX_LAYERS]; /* views into params */
    float *b[RS_MLP_MAX_LAYERS];
} rs_mlp;

/* hidden[n_hidden] are the hidden widths (n_hidden may be 0: a linear map).
 * Parameters start at zero; call one of the init functions. NULL + error on
 * bad sizes or no memory. */
rs_mlp *rs_mlp_new(int n_in, const int *hidden, int n_hidden, int n_out, rs_activation act);
void rs_mlp_free(rs_mlp *m);
/* a new net with the same shape and parameters */
rs_mlp *rs_mlp_clone(const rs_mlp *src);

/* offset (in floats) of W[l] / b[l] inside params and inside a gradient buffer */
size_t rs_mlp_W_offset(const rs_mlp *m, int l);
size_t rs_mlp_b_offset(const rs_mlp *m, int l);

/* 1 if a and b have the same layer sizes (activation not compared) */
int rs_mlp_same_shape(const rs_mlp *a, const rs_mlp *b);
/* dst.params = src.params; -1 + error if the shapes differ */
int rs_mlp_copy(rs_mlp *dst, const rs_mlp *src);
/* dst = (1 - tau) dst + tau src, the SAC target-network update; same shapes
 * required (checked with assert only: it runs every step) */
void rs_mlp_polyak(rs_mlp *dst, const rs_mlp *src, float tau);
/* the same on parameters [lo, hi) only */
void rs_mlp_polyak_range(rs_mlp *dst, const rs_mlp *src, float tau, size_t lo, size_t hi);

/* Orthogonal weights as torch.nn.init.orthogonal_ draws them: a Gaussian
 * matrix orthonormalised (rows when rows <= cols, else columns), scaled by
 * gain. hidden_gain for every hidden layer, out_gain for the last. Biases 0.
 * Deterministic for a given rng state (plain C, no BLAS). */
void rs_mlp_init_orthogonal(rs_mlp *m, rs_rng *rng, float hidden_gain, float out_gain);
/* PyTorch nn.Linear's default: W and b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) */
void rs_mlp_init_uniform_fanin(rs_mlp *m, rs_rng *rng);

/* ---- batched forward / backward ---- */
typedef struct rs_mlp_ws rs_mlp_ws;

/* a workspace for batches of up to max_batch rows of nets shaped like m */
rs_mlp_ws *rs_mlp_ws_new(const rs_mlp *m, int max_batch);
void rs_mlp_ws_free(rs_mlp_ws *ws);
int rs_mlp_ws_max_batch(const rs_mlp_ws *ws);
/* B x n_out output of the last forward (valid until the next forward) */
float *rs_mlp_ws_out(rs_mlp_ws *ws);

/* y = net(x) for B rows (0 < B <= max_batch), into rs_mlp_ws_out(ws).
 * One sgemm per layer; no allocation. */
void rs_mlp_forward(const rs_mlp *m, rs_mlp_ws *ws, const float *x, int B);

/* Given dL/dy (B x n_out) for the last forward on the same x and B:
 * ADDS dL/dparams into grad (n_params floats, params' layout) and, when dx is
 * not NULL, writes dL/dx (B x n_in). Callers zero grad when they want a fresh
 * gradient; accumulation lets several losses or passes through one net add
 * up in one buffer. dout may be rs_mlp_ws_out(ws) itself (dL/dy written over
 * y): backward never writes the output layer. No allocation. */
void rs_mlp_backward(const rs_mlp *m, rs_mlp_ws *ws, const float *x, const float *dout, int B,
                     float *grad, float *dx);

/* dL/dx[:, col0 : col0+ncols] (B x ncols, written to dx) for the last forward
 * on the same B, WITHOUT parameter gradients: what a SAC actor update needs
 * from a critic Q(obs, a) (the action columns only). No allocation. */
void rs_mlp_backward_input(const rs_mlp *m, rs_mlp_ws *ws, const float *dout, int B, int col0,
                           int ncols, float *dx);

/* ---- single-sample forward for inference (actors, viewer) ---- */
/* floats of scratch rs_mlp_forward1 needs */
size_t rs_mlp_scratch_size(const rs_mlp *m);
/* out[n_out] = net(x[n_in]) using the caller's scratch; no allocation.
 * Same arithmetic as rs_mlp_forward up to float rounding order. */
void rs_mlp_forward1(const rs_mlp *m, const float *x, float *out, float *scratch);

/* ---- Adam (torch.optim.Adam, no weight decay, no amsgrad) ---- */
typedef struct rs_adam {
    size_t n;
    float *m, *v; /* first/second moments; one allocation owned through m */
    float lr, beta1, beta2, eps;
    long t; /* steps taken */
} rs_adam;

rs_adam *rs_adam_new(size_t n, float lr, float beta1, float beta2, float eps);
void rs_adam_free(rs_adam *a);
/* forget the moments and the step count (lr etc. kept) */
void rs_adam_reset(rs_adam *a);
/* one bias-corrected step: params -= lr * m_hat / (sqrt(v_hat) + eps).
 * a->lr may be changed between steps (linear annealing). */
void rs_adam_step(rs_adam *a, float *params, const float *grad);
/* the same step split for threads: rs_adam_tick once, then rs_adam_apply on
 * ranges [lo, hi) that cover [0, n) once, with the gradient g0 + g1 (g1 may
 * be NULL); each element's arithmetic is rs_adam_step's on that sum */
typedef struct rs_adam_coef {
    float step, inv_sqrt_bc2;
} rs_adam_coef;
rs_adam_coef rs_adam_tick(rs_adam *a);
void rs_adam_apply(rs_adam *a, rs_adam_coef c, float *params, const float *g0, const float *g1,
                   size_t lo, size_t hi);

/* ---- gradient norms ---- */
/* L2 norm of g[n], accumulated in double */
float rs_grad_global_norm(const float *g, size_t n);
/* torch.nn.utils.clip_grad_norm_: g *= min(1, max_norm / (norm + 1e-6)).
 * Returns the norm before clipping (may be inf/nan: then g is left as it is,
 * and the caller should skip the step). */
float rs_grad_clip(float *g, size_t n, float max_norm);

#endif
