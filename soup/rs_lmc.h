/* rs_lmc.h — linear mode connectivity along a two-expert path, and the one
 * rule by which rsoup calls a dip a barrier (used by `rsoup lmc`, `rsoup
 * front`'s summary and the experiment report alike).
 *
 * For returns R(λ_k) on a λ grid (sorted, from 0 to 1): the straight line
 * between the endpoints L(λ) = (1-λ) R(0) + λ R(1); the barrier
 * max_k (L(λ_k) - R(λ_k)) clipped at 0 (how far the path dips below the
 * line); the signed area ∫ (R - L) dλ by the trapezoid rule (> 0: the path
 * lies above the line); and the largest gain above the line.
 *
 * The verdict. A dip is a barrier only when it is both
 *   - statistically clear: more than RS_LMC_Z standard errors of the mean
 *     return at that λ, and
 *   - large against the reward's scale: more than tol = rel_tol * scale,
 *     scale = max(|R(0) - R(1)|, 0.1 * max(|R(0)|, |R(1)|)).
 * The first alone is not enough: with common random numbers and many
 * episodes a dip of half a percent of the return is "4 standard errors".
 * The scale is the gap between the experts' returns on that reward (what
 * interpolating trades), floored at a tenth of their magnitude so that two
 * experts that score alike on a reward do not make every wiggle a barrier. */
#ifndef RS_LMC_H
#define RS_LMC_H

#include "rs_frontfile.h"

#define RS_LMC_Z 2.0
#define RS_LMC_REL_TOL 0.1 /* the default rel_tol */

typedef struct rs_lmc {
    double barrier, barrier_lambda, area, max_gain, max_gain_lambda;
    double se;        /* standard error of the mean at the barrier's λ (NaN unknown) */
    double z;         /* barrier / se (0 without a dip; inf when se = 0) */
    double scale;     /* the reward's scale (see above) */
    double tolerance; /* rel_tol * scale */
    int is_barrier;   /* z > RS_LMC_Z and barrier > tolerance */
} rs_lmc;

/* the path's geometry from n points (sorted by λ); the verdict fields are
 * filled as if se were unknown (z = NaN, is_barrier = 0) */
void rs_lmc_compute(const double *lambda, const double *R, int n, rs_lmc *out);
/* the verdict for a computed path, given the s.e. at its barrier's λ */
void rs_lmc_judge(rs_lmc *m, double r0, double r1, double se, double rel_tol);

/* The path of objective `obj` through a two-expert front's soup rows
 * (sorted by the second expert's λ, which must run from 0 to 1), its
 * geometry and verdict. Fills lambda/R (caller's buffers of f->n, may be
 * NULL) and *n_path. Returns 0, or -1 (error set) when f is not such a
 * front. */
int rs_lmc_of_front(const rs_front *f, int obj, double rel_tol, rs_lmc *out, double *lambda,
                    double *R, int *n_path);

/* The same-reward floor: two experts fine-tuned from one init on the same
 * reward with different seeds (a "twin") part only as far as the
 * fine-tuning itself parts them. A pair's barrier exceeds that floor when
 * it is larger by more than RS_LMC_Z standard errors of the difference
 * (each barrier's s.e. at its own λ; an unknown s.e. counts as 0). */
int rs_lmc_exceeds_floor(const rs_lmc *pair, const rs_lmc *floor);

#endif
