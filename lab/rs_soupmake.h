/* rs_soupmake.h — `rsoup soup`: expert policy files mixed into one policy
 * file, θ(λ) = Σ λ_i θ_i (soup/rs_soup.h's mixer), or Fisher-weighted
 * (soup/rs_fisher.h, each expert's Fisher from its own rollouts); refused
 * when the mix holds a value no policy loader accepts; written atomically
 * with its parents; and what was mixed, counted.
 *
 * In steps, so that the caller can speak between them (the inits warning,
 * its own message for each failure): load, [rs_soup_mix], fisher, check,
 * write, free. Each returns 0 or -1 with the error set. */
#ifndef RS_SOUPMAKE_H
#define RS_SOUPMAKE_H

#include <stdio.h>

#include "rs_safetensors.h"

#define RS_SOUPMAKE_MAX_EXPERTS 64

typedef struct rs_soupmake {
    int n;
    const char *const *paths; /* borrowed */
    rs_st *experts[RS_SOUPMAKE_MAX_EXPERTS];
    rs_st *soup; /* the mix: the caller's rs_soup_mix, or fisher's */
    /* after rs_soupmake_write */
    int n_tensors, n_mixed, n_int,
        n_norm; /* tensors: float (mixed), integer (copied), obs_norm.* */
    char hex[RS_SOUPMAKE_MAX_EXPERTS][17]; /* each expert file's FNV-1a */
} rs_soupmake;

/* load the n (<= RS_SOUPMAKE_MAX_EXPERTS) experts' policy files */
int rs_soupmake_load(rs_soupmake *m, const char *const *paths, int n);
/* Replace m->soup by the Fisher-weighted mix: each expert with λ_i > 0
 * gets its diagonal Fisher from `steps` env steps of its own rollouts (seed
 * 1000 + i); a line per expert goes to log ("<who>: Fisher of expert i (N
 * steps)"; NULL: nothing). */
int rs_soupmake_fisher(rs_soupmake *m, const double *lambda, long steps, FILE *log,
                       const char *who);
/* every float of the mix finite, variances >= 0, the action bound a
 * positive number: what every policy loader checks */
int rs_soupmake_check(const rs_soupmake *m);
/* record the parents, save to out (atomically) and count what was mixed */
int rs_soupmake_write(rs_soupmake *m, const char *out);
void rs_soupmake_free(rs_soupmake *m); /* NULL-safe members; leaves m zeroed */

#endif
