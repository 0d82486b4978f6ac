/* rs_livemix.h — θ(λ) = Σ λ_i θ_i written straight into a live policy.
 *
 * `rsoup soup` mixes checkpoints tensor by tensor (rs_soup_mix) and writes a
 * new file; the viewer re-mixes every time the λ slider moves, so it keeps
 * each expert as two flat arrays of identical layout —
 *   floats:  actor parameters (rs_mlp params: W0, b0, W1, b1, ...), then
 *            log_std (PPO only)
 *   doubles: obs_norm mean[obs_dim], var[obs_dim], count
 * — and mixes them into the live policy's own buffers. The arithmetic is
 * rs_soup_mix's, operation for operation (weights λ_i / Σλ unless Σλ is
 * exactly 1, experts with λ_i = 0 skipped, accumulation in double starting
 * from the first expert in use, one rounding to float; a single expert with
 * weight 1 is copied), so the live weights equal rs_soup_mix's output bit
 * for bit. A mix is a few thousand multiply-adds and never allocates.
 *
 * Ownership: rs_livemix_new / rs_livemix_free; the live policy belongs to
 * the mixer. */
#ifndef RS_LIVEMIX_H
#define RS_LIVEMIX_H

#include <stddef.h>

#include "rs_policy.h"

typedef struct rs_livemix {
    int n;          /* experts */
    size_t nf;      /* floats per expert */
    size_t nd;      /* doubles per expert: 2*obs_dim + 1 */
    float *f;       /* n * nf: expert i's floats at f + i*nf */
    double *d;      /* n * nd */
    double *w;      /* [n] weights of the experts in use (scratch) */
    int *use;       /* [n] their indices (scratch) */
    double *lambda; /* [n] the λ of the live weights */
    rs_policy *live;
} rs_livemix;

/* Experts must have one shape (algo, sizes, layers): check with
 * rs_soup_check first for the user-facing message; here a mismatch is an
 * error naming the expert. The live policy starts as expert 0 (λ = e_0),
 * with expert 0's provenance fields. NULL + error on failure. */
rs_livemix *rs_livemix_new(rs_policy *const *experts, int n);
void rs_livemix_free(rs_livemix *lm);

/* Mix with λ[n] (checked as rs_soup_check_lambda does: finite, >= 0,
 * |Σλ - 1| <= RS_SOUP_LAMBDA_TOL) into lm->live. 0, or -1 (error set, live
 * weights unchanged). No allocation. */
int rs_livemix_set(rs_livemix *lm, const double *lambda);

/* Put value v (clamped to [0, 1]) on coordinate k of a point on the
 * simplex and rescale the others so that the point stays on it: each other
 * coordinate keeps its share of what is left (1 - v); if they were all 0,
 * the rest is split equally among them. */
void rs_simplex_set(double *lambda, int n, int k, double v);

#endif
