/* rs_sac.h — Soft Actor-Critic for continuous control, as CleanRL's
 * sac_continuous_action.py runs it (docs/sac.md): tanh-squashed Gaussian actor
 * whose log-std is squashed into [-5, 2], twin Q networks on obs ⊕ action
 * with Polyak-averaged targets, automatic entropy tuning (target -|A|,
 * log_alpha optimised), a uniform replay buffer, uniform random actions for
 * the first learning_starts steps, TD3-style delayed actor updates.
 *
 * The actor IS an rs_policy (algo RS_ALGO_SAC): its MLP outputs [mu, raw]
 * (2*act_dim), log_std = min + (max-min)/2 * (tanh(raw) + 1), action =
 * bound * tanh(mu + std*eps), deterministic action = bound * tanh(mu). Its
 * observation normaliser is the identity (mean 0, var 1, no clipping): SAC
 * learns on raw observations, as CleanRL's does, and policy.safetensors is
 * exactly what soups mix. train.safetensors adds critics, targets, Adam
 * states, log_alpha, RNGs, env states, counters and — only when save_replay
 * is set — the replay buffer; resuming needs the buffer (see rs_sac_load_train).
 *
 * One gradient update (rs_sac_update), on a batch of B transitions:
 *   critic: a' ~ pi(s'), y = r + gamma (1 - terminated) (min_k Qk'(s',a') - alpha log pi(a'|s')),
 *           L_Q = mean (Q1(s,a) - y)^2 + mean (Q2(s,a) - y)^2, Adam on each Qk,
 *           Polyak Qk' <- tau Qk + (1-tau) Qk' every target_frequency updates;
 *   actor (every policy_frequency-th update, then policy_frequency times):
 *           L_pi = mean (alpha log pi(a~|s) - min_k Qk(s, a~)), a~ reparameterised,
 *           then L_alpha = mean (-exp(log_alpha) (log pi(a~|s) + target_entropy)),
 *           with a fresh sample from the updated actor (as CleanRL).
 * Truncated episodes bootstrap: the stored "done" is `terminated` only and
 * next_obs is the episode's true last observation.
 *
 * Threads: every pass of the update runs on the batch's two halves of rows
 * (weight gradients summed half 0 + half 1), as two tasks on the thread pool
 * (each with single-threaded BLAS) or one after the other on one thread: the
 * arithmetic, hence every result, is the same for any thread count. With
 * blas_threads > 1 the halves run serially with multi-threaded sgemm.
 * rs_sac_ops (rs_trainer.h) is SAC's table for `rsoup train`. */
#ifndef RS_SAC_H
#define RS_SAC_H

#include <stdio.h>

#include "rs_policy.h"
#include "rs_vecenv.h"

/* ---- replay buffer ----
 * Preallocated float32 rows: obs, next_obs, action, reward; terminated as a
 * byte. calloc'ed, so pages become resident only as the buffer fills. */
typedef struct rs_replay {
    long capacity, size, pos; /* pos: the row the next add writes (wraps) */
    int obs_dim, act_dim;
    float *obs, *next_obs, *act, *rew;
    unsigned char *term;
} rs_replay;

/* bytes one transition takes: 4 (2 obs + act + 1) + 1 */
size_t rs_replay_bytes_per_transition(int obs_dim, int act_dim);
rs_replay *rs_replay_new(long capacity, int obs_dim, int act_dim);
void rs_replay_free(rs_replay *r);
/* append one transition, overwriting the oldest when full */
void rs_replay_add(rs_replay *r, const float *obs, const float *next_obs, const float *act,
                   float rew, int terminated);
/* B indices uniform over [0, size) with replacement (size > 0), drawn from
 * rng, and the rows gathered into the caller's buffers (each may be NULL).
 * term gets 1.0f / 0.0f. */
void rs_replay_sample(const rs_replay *r, rs_rng *rng, int B, long *idx, float *obs,
                      float *next_obs, float *act, float *rew, float *term);
/* rows [b, e) of a sample whose indices idx were drawn already (row i is
 * transition idx[i]); rs_replay_sample is the draw and then this on [0, B) */
void rs_replay_gather(const rs_replay *r, const long *idx, int b, int e, float *obs,
                      float *next_obs, float *act, float *rew, float *term);

/* ---- configuration ---- */
typedef struct rs_sac_config {
    char env[32];
    char reward[512];
    char model[512]; /* "" = the embedded MJCF */
    long total_steps;
    long seed;
    int n_envs;
    long buffer_size;
    int batch_size;
    long learning_starts; /* updates start after this many transitions */
    long random_steps;    /* uniform random actions for the first N steps; -1: auto
                             (learning_starts, or 0 with init) */
    double utd;           /* gradient updates per env transition */
    double gamma, tau;
    double policy_lr, q_lr, alpha_lr, adam_eps;
    int policy_frequency; /* delayed actor: policy_frequency updates every policy_frequency */
    int target_frequency; /* Polyak every this many critic updates */
    int autotune;         /* learn alpha from log_alpha = 0 (alpha 1), as CleanRL */
    double alpha;         /* the fixed alpha when autotune is off */
    double target_entropy_scale; /* target entropy = -scale * act_dim */
    double log_std_min, log_std_max;
    char arch[64]; /* actor and critic hidden sizes */
    char activation[16];
    int threads;      /* thread pool: envs, and the update's batch halves (0: all cores) */
    int blas_threads; /* OpenBLAS threads for update sgemms (>1: critics serial) */
    long log_every;   /* env steps per iteration (one log line) */
    int save_every;   /* iterations between checkpoints (0: end only) */
    int eval_every;   /* iterations between deterministic evaluations (0: none) */
    int eval_episodes; /* episodes per evaluation */
    int save_replay;  /* put the replay buffer into train.safetensors */
    char init[512];   /* pretrained SAC run: actor, critics, targets, log_alpha */
} rs_sac_config;

void rs_sac_config_default(rs_sac_config *c);
int rs_sac_config_from_json(rs_sac_config *c, const void *cjson_obj, const char *where);
int rs_sac_config_set(rs_sac_config *c, const char *key, const char *value);
char *rs_sac_config_to_json(const rs_sac_config *c); /* caller frees */
void rs_sac_config_help(FILE *f);
int rs_sac_config_check(const rs_sac_config *c);

/* ---- the trainer ---- */
typedef struct rs_sac_stats {
    long iter, num_iters, global_step;
    long updates; /* critic updates so far */
    long actor_updates;
    int iter_updates; /* critic updates during this iteration */
    /* means over this iteration's updates (NaN when none) */
    double q_loss;                          /* L_Q as defined above (sum of the two MSEs) */
    double q1, q2;                          /* mean Q values on the batch */
    double actor_loss, alpha_loss, entropy; /* entropy: -mean log pi of the actor batch */
    double alpha;                           /* after the iteration */
    double env_s, act_s, update_s, iter_s;
    int episodes;                /* finished during this iteration */
    double ep_return, ep_length; /* mean over the recent window */
    double ep_terms[RS_MAX_TERMS];
    int window;
    double last_return; /* the latest finished episode */
} rs_sac_stats;

typedef struct rs_sac rs_sac;

rs_sac *rs_sac_new(const rs_sac_config *c);
void rs_sac_free(rs_sac *p);
const rs_sac_config *rs_sac_cfg(const rs_sac *p);
rs_policy *rs_sac_policy(rs_sac *p);
rs_vecenv *rs_sac_vecenv(rs_sac *p);
rs_replay *rs_sac_replay(rs_sac *p);
rs_mlp *rs_sac_q(rs_sac *p, int k);      /* k = 0, 1 */
rs_mlp *rs_sac_q_targ(rs_sac *p, int k); /* the target net of critic k */
float rs_sac_log_alpha(const rs_sac *p);
float rs_sac_alpha(const rs_sac *p);
void rs_sac_set_log_alpha(rs_sac *p, float log_alpha); /* tests */
long rs_sac_global_step(const rs_sac *p);
long rs_sac_num_iters(const rs_sac *p);
long rs_sac_iter_index(const rs_sac *p);
long rs_sac_updates(const rs_sac *p);

/* start from a pretrained SAC run: a run dir, train.safetensors (actor,
 * critics, targets, log_alpha) or policy.safetensors (actor only) */
int rs_sac_load_init(rs_sac *p, const char *path);
/* log_every env steps (acting, storing, updating); -1 on error */
int rs_sac_iterate(rs_sac *p, rs_sac_stats *st);
/* n gradient updates on the current buffer (needs size > 0), as training
 * does them after learning_starts: for benchmarks */
int rs_sac_update_n(rs_sac *p, int n);
/* the update's threading (bench): threads = 2 runs the batch's two halves
 * as two tasks on the pool (when it has >= 2 threads), 1 serially; blas > 1
 * gives each sgemm that many OpenBLAS threads and runs the halves serially.
 * The config sets threads = 2, blas = blas_threads. */
void rs_sac_set_update_threads(rs_sac *p, int threads, int blas);
/* sgemm FLOPs of one average update (critic + policy_frequency actor and
 * alpha steps every policy_frequency updates), from the layer sizes */
double rs_sac_update_flops(const rs_sac *p, double *critic, double *actor);

/* Full training state at an iteration boundary. Without save_replay the file
 * has no buffer and rs_sac_load_train refuses it: a resume without the
 * buffer would not continue the same run (use it as --init instead). */
int rs_sac_save_train(const rs_sac *p, const char *path);
int rs_sac_load_train(rs_sac *p, const char *path);

/* ---- pieces exposed for tests ---- */
/* From actor outputs out (B x 2A: mu, raw) and noise eps (B x A): x = mu +
 * std eps, y = tanh(x), act = bound y (B x A) and
 *   logp = sum_j [ log N(x_j; mu_j, std_j) - log(bound (1 - y_j^2) + 1e-6) ]
 * (CleanRL's convention: the bound's Jacobian and a 1e-6 guard inside the
 * log). y_out, std_out (B x A) may be NULL; they feed rs_sac_actor_head_grad. */
void rs_sac_squash(const float *out, const float *eps, int B, int A, float bound, float ls_min,
                   float ls_max, float *act, float *logp, float *y_out, float *std_out);
/* critic targets y[B] = r + gamma (1 - term) (min(q1n, q2n) - alpha logp_next) */
void rs_sac_q_target(const float *rew, const float *term, const float *q1n, const float *q2n,
                     const float *logp_next, int B, float gamma, float alpha, float *y);
/* dL_alpha/dlog_alpha for L = mean_i -exp(log_alpha) (logp_i + target) */
double rs_sac_alpha_grad(float log_alpha, const float *logp, int B, float target_entropy);
/* The actor loss L_pi (returned) on observations obs (B x O) with noise eps
 * (B x A) through the trainer's critics and alpha; its gradient w.r.t. the
 * actor's parameters is written (not added) to grad (n_params floats). This
 * is the function the update calls. B <= batch_size. */
double rs_sac_actor_loss_grad(rs_sac *p, const float *obs, const float *eps, int B, float *grad,
                              double *mean_logp);

#endif
