/* rs_soup.h — rewarded soups at the tensor level: θ(λ) = Σ λ_i θ_i.
 *
 * Rame et al. 2023 ("Rewarded soups"): experts fine-tuned from one shared
 * initialisation, each on its own proxy reward, stay linearly connected, so a
 * convex mix of their weights is a policy that trades the rewards off.
 *
 * A policy checkpoint is a safetensors file (rs_safetensors.h) whose tensors
 * are ALL of the policy's parameters — MLP weights and biases, log_std or the
 * SAC heads, and the observation normaliser ("obs_norm.mean", ".var",
 * ".count") — with string metadata that includes
 *   format  "rsoup-policy-1"       env, algo, arch, activation,
 *   obs_dim, act_dim               reward (text); optional parents, lambda.
 * Mixing needs no knowledge of what a tensor is: every float tensor is mixed,
 * integer tensors must agree. */
#ifndef RS_SOUP_H
#define RS_SOUP_H

#include <stdint.h>

#include "rs_safetensors.h"

/* Check that n >= 1 experts can be mixed: each is a policy checkpoint
 * (rs_policy_check_format: a training checkpoint is refused), they agree on the metadata
 * fields env, algo, arch, activation, obs_dim, act_dim (an absent key counts
 * as its own value, "(absent)") and on SAC's log_std_min / log_std_max as
 * numbers (absent: -5 and 2) and on PPO's action_head (absent: clip), were
 * fine-tuned from one init where both name one (metadata "init", compared by
 * its content hash after '@'; a policy without an init mixes with any), and
 * hold the same set of tensor names with the same dtype and shape, and their
 * integer tensors (I32, I64, U8) are byte-equal (they cannot be
 * interpolated). The error names the first mismatch, e.g.
 *   "expert 2: arch is '64,64', expert 0 has '256,256'"
 *   "expert 2: tensor 'pi.0.weight' has shape [64, 17], expert 0 has [64, 11]"
 *   "expert 1: tensor 'pi.log_std' is missing (expert 0 has it)"
 *   "tensor 'steps' (I64) differs between expert 0 and expert 1: integer
 *    tensors cannot be interpolated, they must be equal"
 * Returns 0, or -1 (error set). */
int rs_soup_check(rs_st *const *experts, int n);

/* Mix n experts with weights λ into a new set *out (owned; rs_st_free).
 *   - rs_soup_check and rs_mix_check_lambda (rs_mix.h) first; λ is then
 *     divided by its sum, so that a λ within the tolerance is still an exact convex mix
 *     (when Σλ is exactly 1, as for lattice points, λ is used as given).
 *   - F32 and F64 tensors: Σ λ_i·x_i accumulated in double over the experts
 *     with λ_i != 0 (in expert order), rounded once to the tensor's dtype:
 *     rs_mix.h's kernel, the one the viewer and front evaluation mix
 *     policies with. An expert with λ_i = 1 and all others 0 is copied byte
 *     for byte, so λ = (1, 0, ...) reproduces expert 0 exactly (NaN
 *     payloads, -0.0 too).
 *   - integer tensors are expert 0's (rs_soup_check: all experts agree).
 *   - tensors come out in expert 0's order.
 *   - metadata: expert 0's, in its order, except "lambda", "parents",
 *     "soup_method", "soup_rewards"; then
 *       lambda        JSON array of the λ used, e.g. "[0.7,0.3]"
 *       parents       "[]" until rs_soup_set_parents fills it
 *       soup_method   "linear"
 *       soup_rewards  JSON array of each expert's "reward" (null if absent)
 * *norm_mixed (if non-NULL) is set to 1 when a tensor whose name starts with
 * "obs_norm." differs between two experts with λ > 0 — their normaliser
 * statistics were interpolated rather than shared — else 0.
 * Returns 0, or -1 (error set; *out is NULL). */
int rs_soup_mix(rs_st *const *experts, int n, const double *lambda, rs_st **out, int *norm_mixed);

/* Set out's "parents" metadata to a JSON array of descriptors, one per file:
 *   [{"path":"a.safetensors","fnv1a64":"af63dc4c8601ec8c"}, ...]
 * where fnv1a64 is rs_file_hash of the file's bytes. Paths are stored as
 * given. Returns 0, or -1 (error set: a file that cannot be read). */
int rs_soup_set_parents(rs_st *out, const char *const *paths, int n);

/* (the hash, rs_fnv1a64 / rs_file_hash, is common/rs_common.h's) */

/* Parse the CLI's λ for n_experts experts into the caller's lambda[n]:
 *   one number v, 2 experts   -> (1 - v, v): v is the weight of the SECOND
 *                                expert, so "0" is expert A, "1" expert B
 *   n comma-separated numbers -> taken as they are ("0.2,0.3,0.5")
 * Errors (the message quotes the text): a number that does not parse or is
 * not finite, an empty field, the wrong count, a negative weight, v > 1, a
 * sum that is not 1 within RS_MIX_LAMBDA_TOL. Returns 0, or -1. */
int rs_soup_parse_lambda(const char *text, int n_experts, double *lambda);

#endif
