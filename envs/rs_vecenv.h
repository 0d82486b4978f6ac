/* rs_vecenv.h — N envs stepped together into contiguous buffers.
 *
 * All envs share one mjModel (read-only while simulating) and each has its
 * own mjData and RNG stream (seed, env index), so a trajectory depends only
 * on the seed and the env's index, never on the thread count. Envs
 * auto-reset: after a step, obs[i] is already the first observation of the
 * next episode when done[i]; the last observation of the finished episode is
 * kept in final_obs[i] (needed to bootstrap truncated episodes). */
#ifndef RS_VECENV_H
#define RS_VECENV_H

#include <stdatomic.h>

#include "rs_env.h"
#include "rs_pool.h"

typedef struct rs_vecenv {
    const rs_env_spec *spec;
    int n, obs_dim, act_dim, n_terms;
    mjModel *model;
    rs_env **envs;
    rs_pool *pool; /* borrowed or owned, see owns_pool */
    int owns_pool;
    /* step outputs, caller-readable */
    float *obs;              /* n * obs_dim: current observations */
    float *final_obs;        /* n * obs_dim: last obs of an episode that just ended */
    float *rewards;          /* n: weighted reward of the last step */
    double *terms;           /* n * n_terms: terms of the last step */
    unsigned char *terminated, *truncated;
    /* running episode accounting */
    double *ep_return;       /* n: weighted return so far */
    double *ep_terms;        /* n * n_terms */
    int *ep_len;
    /* the episode that ended on the last step (valid where terminated|truncated) */
    double *done_return;
    double *done_terms;
    int *done_len;
    long episodes;           /* episodes finished since creation */
    const float *actions;    /* set during a step */
    atomic_int next;         /* the next env to step (threads take them in turn) */
} rs_vecenv;

/* model_path NULL: the embedded model. threads: pool size when pool is NULL. */
rs_vecenv *rs_vecenv_new(const rs_env_spec *s, const char *model_path, int n,
                         const double *weights, uint64_t seed, rs_pool *pool, int threads);
void rs_vecenv_free(rs_vecenv *v);
void rs_vecenv_set_weights(rs_vecenv *v, const double *weights);
void rs_vecenv_reset(rs_vecenv *v); /* resets every env (fills obs) */
/* give env i the stream stream0 + i of seed, then reset: data-parallel ranks
 * use disjoint streams */
void rs_vecenv_reseed(rs_vecenv *v, uint64_t seed, uint64_t stream0);
/* actions: n * act_dim. Returns -1 (and steps nothing) on a non-finite action. */
int rs_vecenv_step(rs_vecenv *v, const float *actions);

#endif
