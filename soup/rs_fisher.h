/* rs_fisher.h — Fisher-weighted merging, the refinement of rewarded soups
 * the authors name for future work (after Matena & Raffel's "merging models
 * with Fisher-weighted averaging").
 *
 * Each expert's diagonal Fisher information F_i = E_s E_{a~π_i}[(∇θ log π_i(a|s))²]
 * is estimated on states from the expert's own rollouts; the merge is
 *   θ(λ) = Σ λ_i F_i θ_i / Σ λ_i F_i      (elementwise)
 * so each expert dominates the parameters it is most sensitive to. Where
 * Σ λ_i F_i is negligible the plain mix Σ λ_i θ_i is used. The observation
 * normaliser (not a learned parameter) is mixed linearly. PPO policies only. */
#ifndef RS_FISHER_H
#define RS_FISHER_H

#include "rs_eval.h"
#include "rs_soup.h"

/* the diagonal Fisher of a policy checkpoint, as a set of tensors named like
 * the policy's learned F32 tensors (pi.*). steps: env steps of rollouts. */
int rs_fisher_diag(const rs_st *policy, const rs_env_spec *s, long steps, uint64_t seed,
                   rs_st **fisher);
/* merge as above; fishers[i] from rs_fisher_diag of experts[i]. λ with a
 * single non-zero weight reproduces that expert bit for bit. Metadata as
 * rs_soup_mix, with soup_method "fisher". */
int rs_soup_mix_fisher(rs_st *const *experts, rs_st *const *fishers, int n, const double *lambda,
                       rs_st **out);

#endif
