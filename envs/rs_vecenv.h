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
    void *block;             /* every buffer above (envs included) is a view into it */
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

/* ---- saving and restoring: the layout is envs/' ----
 * Everything a bit-exact resume needs, as tables of rows x cols (cols 0: a
 * vector), put and got in this order:
 *   env.qpos [N, nq], env.qvel [N, nv], env.qacc_warmstart [N, nv],
 *   env.act [N, na] (only when the model has activations)       F64: what mj_step reads
 *   env.scalars [N, 8]    F64: time, init_z, ep_return, energy_acc, before[4]
 *   env.ep_terms [N, n_terms]                                   F64
 *   env.rng_t_len [N, 8]  I64: the RNG (rs_rng_pack), step in episode, episode length
 *   env.obs [N, obs_dim]  F32;  env.episodes [1] I64
 * The caller stores them (training checkpoints: as tensors of these names,
 * agents/rs_ckpt.c). Nothing is recomputed on load: mj_step derives
 * everything from qpos, qvel, act and the warm start, and the robots'
 * carried quantities are restored. */
typedef enum { RS_STATE_F64, RS_STATE_F32, RS_STATE_I64 } rs_state_type;
typedef struct rs_state_io {
    void *ctx;
    /* save: store a copy of the table; 0 or -1 (error set) */
    int (*put)(void *ctx, const char *name, rs_state_type type, int64_t rows, int64_t cols,
               const void *data);
    /* load: the table's data, or NULL (error set) when absent or shaped otherwise */
    const void *(*get)(void *ctx, const char *name, rs_state_type type, int64_t rows,
                       int64_t cols);
} rs_state_io;
int rs_vecenv_save_state(const rs_vecenv *v, const rs_state_io *io);
int rs_vecenv_load_state(rs_vecenv *v, const rs_state_io *io);

#endif
