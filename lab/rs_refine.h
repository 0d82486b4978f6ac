/* rs_refine.h — `rsoup select --refine`: soups evaluated around the best
 * grid point of a front, to beat the grid on a user's utility (a weighted
 * sum of the front's objectives, or of its raw terms). Two experts: a
 * golden-section search on λ; more: moves along every e_i - e_j, halving
 * the step each round. The winner is the best of many noisy scores, so it
 * is scored again beside the grid's best on fresh episodes. In steps, so
 * that the caller can check its options between them: open (the front's
 * experts and objectives), search, rescore, save (the refined soup as a
 * policy file), close. Each returns 0 or -1 with the error set. */
#ifndef RS_REFINE_H
#define RS_REFINE_H

#include <stdint.h>
#include <stdio.h>

#include "rs_fronteval.h"

#define RS_REFINE_MAX_EXPERTS 16

typedef struct rs_refine {
    const rs_front *front;
    rs_st *experts[RS_REFINE_MAX_EXPERTS];
    int n_loaded;
    const rs_env_spec *spec;
    double ow[RS_REFINE_MAX_EXPERTS][RS_MAX_TERMS]; /* the front's objectives as weights */
    const double *w; /* the utility's weights: over objectives, or over terms */
    int by_terms;
    rs_front_job job;
    rs_front *scratch; /* every soup the search evaluated */
    rs_pool *pool;
    int evals;
} rs_refine;

/* The experts a refinement of f mixes (';'-separated): the ones its
 * provenance records, or given (--experts; NULL: none) when it records none,
 * or when the ones it records are not on this machine (an archived front:
 * a note to log, "<who>: note: ..."). NULL (error set) when neither is
 * known, when given names other experts than recorded ones that are here
 * (rs_same_policies), or when f's soups are not linear mixes. */
const char *rs_refine_experts(const rs_front *f, const char *given, FILE *log, const char *who);
/* load the front's experts (';'-separated run folders or files; checked to
 * mix and to be as many as its λ columns) and read its objectives as
 * rewards of their env */
int rs_refine_open(rs_refine *r, const rs_front *f, const char *experts, const double *w,
                   int by_terms);
/* the grid's spacing: the smallest gap between two soups' λ (1 if none) */
double rs_refine_spacing(const rs_front *f);
/* search around the soup row start (its utility *u): lam[n_experts] and *u
 * leave as the best found; the plan goes to log ("<who>: refining ...") */
int rs_refine_search(rs_refine *r, rs_front_row start, int iters, int episodes, uint64_t seed,
                     long threads, double *lam, double *u, FILE *log, const char *who);
/* the utilities of lam and of grid_lam on episodes more episodes of the
 * stream seed (common random numbers between the two) */
int rs_refine_rescore(rs_refine *r, const double *lam, const double *grid_lam, int episodes,
                      uint64_t seed, double *u, double *grid_u);
/* the soup of lam, with the experts as its parents, to out */
int rs_refine_save(const rs_refine *r, const char *experts, const double *lam, const char *out);
void rs_refine_close(rs_refine *r); /* NULL-safe members */

#endif
