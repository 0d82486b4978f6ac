/* rs_mix.h — the one linear mix θ(λ) = Σ λ_i θ_i, on parameter arrays,
 * and the rule for which λ may be mixed (rs_mix_check_lambda). rs_soup.h's
 * soup files are built on it; it knows nothing of files.
 *
 * Every linear soup in rsoup is made by these functions: `rsoup soup`,
 * `select` and the Fisher mixer's starting point on tensor sets
 * (rs_soup_mix), front evaluation and the viewer's λ slider on policy
 * structs (rs_mixer). One arithmetic, so that the viewer's live weights, a
 * front's soups and the file `rsoup soup` writes are equal bit for bit:
 *   - weights w_i = λ_i / Σλ (Σλ added in expert order), or λ_i as given
 *     when Σλ is exactly 1 (lattice points): a λ within the tolerance of
 *     rs_mix_check_lambda is still an exact convex mix;
 *   - experts with λ_i = 0 are skipped (their w_i is 0): a NaN or an
 *     infinity in an expert that is not used does not reach the mix;
 *   - each element is accumulated in double, starting from the first expert
 *     in use (acc = w·x, then acc += w·x in expert order, so -0.0 survives a
 *     single term), and rounded once to the destination's type;
 *   - when a single expert is in use (its weight is then exactly 1) its
 *     bytes are copied, so λ = e_i is expert i exactly (NaN payloads too).
 * The naive reference these are tested against is written out in
 * tests/test_soup.c. */
#ifndef RS_MIX_H
#define RS_MIX_H

#include <stddef.h>

#include "rs_policy.h"

/* tolerance on |Σλ - 1| */
#define RS_MIX_LAMBDA_TOL 1e-6

/* Check λ[n]: every λ_i finite and >= 0, |Σλ - 1| <= RS_MIX_LAMBDA_TOL.
 * The error quotes the values. Returns 0, or -1 (error set). */
int rs_mix_check_lambda(const double *lambda, int n);

/* The weights for λ[n] into the caller's w[n], as above; λ is not checked
 * (rs_mix_check_lambda does). Returns how many experts are in use
 * (λ_i != 0). */
int rs_mix_weights(const double *lambda, int n, double *w);

/* dst[j] = Σ_i w_i src_i[j] for j < len, over the experts with w_i != 0
 * (src[i] of the others is not read and may be NULL), as above: arrays of
 * dtype RS_DT_F32 (float) or RS_DT_F64 (double), dst and the sources alike.
 * dst is the caller's and must not overlap a source. No allocation; w from
 * rs_mix_weights (at least one w_i != 0). */
void rs_mix(void *dst, const void *const *src, rs_dtype dtype, const double *w, int n,
            size_t len);

/* ---- policies ----
 * A mixer writes θ(λ) of n policies into one live policy, as often as λ
 * changes, without allocating: what the viewer's slider and front
 * evaluation use. Its parameters are every number a policy file holds: the
 * actor's parameters (one array, rs_mlp's layout), PPO's log_std and the
 * normaliser's mean, var and count. Its other fields (sizes, act_bound,
 * head, SAC's log-std bounds, clip, provenance) are expert 0's, as a soup
 * file's metadata is expert 0's, so rs_policy_from_st of rs_soup_mix's
 * output equals the live policy field for field.
 *
 * Ownership: rs_mixer_new / rs_mixer_free; the live policy belongs to the
 * mixer; the experts are borrowed and must outlive it. */
typedef struct rs_mixer {
    int n;            /* experts */
    size_t numel;     /* numbers mixed per expert */
    rs_policy *live;  /* θ(λ) */
    double *lambda;   /* [n] the λ of the live weights */
    double *w;        /* [n] scratch: rs_mix_weights */
    /* [n] each expert's arrays: params, log_std (F32); mean, var, count (F64) */
    const void **params, **log_std, **mean, **var, **count;
} rs_mixer;

/* Experts must have one shape (algo, sizes, layers, log_std): check files
 * with rs_soup_check first for the user-facing message; here a mismatch is
 * an error naming the expert. The live policy starts as a copy of expert 0
 * (λ = e_0). NULL + error on failure. */
rs_mixer *rs_mixer_new(rs_policy *const *experts, int n);
void rs_mixer_free(rs_mixer *mx);

/* Mix with λ[n] (checked as rs_mix_check_lambda: finite, >= 0,
 * |Σλ - 1| <= RS_MIX_LAMBDA_TOL) into mx->live. 0, or -1 (error set, live
 * weights unchanged). No allocation. */
int rs_mixer_set(rs_mixer *mx, const double *lambda);

#endif
