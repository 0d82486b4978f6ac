/* rs_ppo.h — PPO for continuous control, with the details of the CleanRL /
 * SB3 MuJoCo setup (CleanRL's ppo_continuous_action.py, the "37 details"):
 * GAE, clipped surrogate and value loss, per-minibatch advantage
 * normalisation, observation normalisation, reward scaling by the std of
 * the discounted return, linear LR annealing, global grad-norm clipping,
 * orthogonal (or PyTorch's fan-in) init, separate actor and critic MLPs
 * whose hidden sizes and activation are the config's arch and activation
 * (64-64 tanh by default; some envs have their own set).
 *
 * Data flow per update: rollout (n_envs x n_steps, envs on the thread pool,
 * one batched policy forward per step) -> GAE -> epochs x minibatches of
 * forward/backward through actor and critic -> one reduction point (a no-op
 * on one process, MPI_Allreduce when scaled out) -> grad clip -> Adam.
 * rs_ppo_ops (rs_trainer.h) is PPO's table for `rsoup train`. */
#ifndef RS_PPO_H
#define RS_PPO_H

#include <stdio.h>

#include "rs_policy.h"
#include "rs_vecenv.h"

typedef struct rs_ppo_config {
    char env[32];
    char reward[512];
    char model[512];      /* "" = the embedded MJCF */
    long total_steps;
    long seed;
    char hparams[16];     /* "auto": the env's own set where rsoup has one
                           * (rs_ppo_config_env_defaults); "cleanrl": the generic set */
    int n_envs;           /* parallel envs; batch = n_envs * n_steps */
    int n_steps;          /* steps per env per rollout */
    int epochs;
    int minibatch;        /* global minibatch size (SB3's batch_size) */
    int minibatches;      /* > 0: minibatches per epoch instead (CleanRL's num_minibatches):
                           * the minibatch is then global batch / minibatches, so
                           * each MPI rank's share stays n_envs*n_steps/minibatches */
    double lr;
    int anneal_lr;
    double adam_eps;
    double gamma, gae_lambda, clip, vf_coef, ent_coef, max_grad_norm;
    int clip_vloss, norm_adv, norm_obs, norm_reward;
    double obs_clip, reward_clip;
    double target_kl;     /* <= 0: off */
    double log_std_init;
    char action_head[16]; /* "clip" (default) or "tanh": rs_action_head, rs_policy.h */
    char weight_init[16]; /* "orthogonal" (CleanRL) or "fanin" (PyTorch's nn.Linear default) */
    char arch[64];        /* actor and critic hidden sizes, e.g. "64,64" */
    char activation[16];
    int threads;          /* env threads; 0 = all cores */
    int save_every;       /* updates between checkpoints (0: only at the end) */
    int eval_every;       /* updates between deterministic evaluations (0: none) */
    int eval_episodes;    /* episodes per evaluation */
    char init[512];       /* shared initialisation: run dir or checkpoint */
    int freeze_obs_norm;  /* -1: auto (frozen when init is given) */
    /* fine-tuning from an init (all off by default, so a run without them
     * is bit for bit the run before they existed) */
    char finetune[8];     /* "auto": with init, rsoup's fine-tuning set
                           * (rs_ppo_finetune_json) sits between the env's set
                           * and the user's keys; "none": it does not */
    double kl_init;       /* beta of beta * KL(pi(.|s) || pi_init(.|s)) on the
                           * rollout states (0: off; needs init) */
    int kl_init_means;    /* the anchor's KL on the means alone (the log-std free) */
    int critic_warmup;    /* the first K updates fit only the value net (needs init) */
    int lr_warmup;        /* the actor's lr ramps from 0 over W updates after
                           * the critic warm-up (0: off) */
    int init_rscale;      /* carry the init's return-scaling statistics when
                           * the init holds them (a train.safetensors) */
} rs_ppo_config;

void rs_ppo_config_default(rs_ppo_config *c);
/* Per-env hyperparameter sets sit between the generic defaults and the
 * user's settings. When c->hparams is "auto" and rsoup has a set for c->env,
 * reset *c to the generic defaults plus that set (keeping env and hparams)
 * and return 1; the caller then applies the user's --config and flags again.
 * 0 when no set applies, -1 + error on a broken table entry. */
int rs_ppo_config_env_defaults(rs_ppo_config *c);
/* The fine-tuning set: when c->init is given and c->finetune is "auto",
 * apply rsoup's chosen fine-tuning protocol over *c and return 1 (the caller
 * then applies the user's settings again); 0 when it does not apply (no
 * init, finetune none, or an empty set), -1 + error on a broken table. */
int rs_ppo_config_finetune_defaults(rs_ppo_config *c);
/* the set as the JSON object applied ("{}" when empty), and its description */
const char *rs_ppo_finetune_json(void);
const char *rs_ppo_finetune_source(void);
/* the set's description for --help and logs, or NULL when env has none */
const char *rs_ppo_env_hparams_source(const char *env);
/* the set itself, as the JSON object applied, or NULL */
const char *rs_ppo_env_hparams_json(const char *env);
/* apply a JSON object of config keys (unknown keys and wrong types are
 * errors naming the key path, prefixed with `where`). A complete config from
 * before the hparams key (an old run's config.json) reads as hparams
 * cleanrl: the generic set it was trained with. */
int rs_ppo_config_from_json(rs_ppo_config *c, const void *cjson_obj, const char *where);
/* set one key from text ("lr", "3e-4"); -1 + error when unknown or bad */
int rs_ppo_config_set(rs_ppo_config *c, const char *key, const char *value);
/* the whole config as a JSON text (caller frees) */
char *rs_ppo_config_to_json(const rs_ppo_config *c);
/* one line per key for --help */
void rs_ppo_config_help(FILE *f);
int rs_ppo_config_check(const rs_ppo_config *c); /* for this process's MPI job */
/* ... for a run over R processes (an experiment checks its runs' configs
 * while they run as separate single-process jobs: R = 1) */
int rs_ppo_config_check_ranks(const rs_ppo_config *c, int R);
/* the global minibatch size of a run over `ranks` processes */
int rs_ppo_global_minibatch(const rs_ppo_config *c, int ranks);

typedef struct rs_ppo_stats {
    long update, num_updates, global_step;
    double lr, pg_loss, v_loss, entropy, approx_kl, clipfrac, explained_var, grad_norm;
    double rollout_s, update_s;
    double env_s;          /* wall time inside the batched env step (the floor) */
    double comm_s;         /* MPI: time inside collectives during this iteration */
    double comm_update_s;  /* ... of which in the update (gradient allreduces) */
    int episodes;          /* episodes finished during this rollout */
    double ep_return, ep_length; /* mean over the recent window (NaN if none yet) */
    double ep_terms[RS_MAX_TERMS];
    int window;            /* episodes in the recent window */
    int nonfinite;         /* 1 if a NaN/inf loss or gradient stopped the update */
    double kl_init;        /* kl_init > 0: mean KL(pi || pi_init) over the update's minibatches */
    int actor_moved;       /* 0 during the critic warm-up */
} rs_ppo_stats;

typedef struct rs_ppo rs_ppo;

rs_ppo *rs_ppo_new(const rs_ppo_config *c);
void rs_ppo_free(rs_ppo *p);
const rs_ppo_config *rs_ppo_cfg(const rs_ppo *p);
rs_policy *rs_ppo_policy(rs_ppo *p);
const rs_vecenv *rs_ppo_vecenv(const rs_ppo *p);
long rs_ppo_global_step(const rs_ppo *p);
long rs_ppo_num_updates(const rs_ppo *p);
long rs_ppo_update_index(const rs_ppo *p);

/* start from a pretrained run: a run dir, train.safetensors (policy + value)
 * or policy.safetensors (policy only) */
int rs_ppo_load_init(rs_ppo *p, const char *path);
/* one rollout + update; -1 on error (message set) */
int rs_ppo_iterate(rs_ppo *p, rs_ppo_stats *st);
/* normalise M advantages to mean 0 and (unbiased) std 1: over these M, or,
 * when sums = {sum, sum of squares} of a global minibatch of n samples that
 * these M are part of (data-parallel runs), over that minibatch */
void rs_ppo_norm_adv(float *adv, int M, const double *sums, double n);
/* the samples this process computes of every minibatch (global / ranks) */
int rs_ppo_rank_minibatch(const rs_ppo *p);
/* full training state: save at any update boundary, load to resume bit-exactly */
int rs_ppo_save_train(const rs_ppo *p, const char *path);
int rs_ppo_load_train(rs_ppo *p, const char *path);

/* ---- pieces exposed for tests ---- */
/* data-parallel normaliser update: acc = [count, Σx (dim), Σx² (dim)] of this
 * rank's new samples; sums them over all ranks and merges the union into n
 * (the same result on every rank); acc is used as scratch, then zeroed */
void rs_ppo_merge_obs_stats(rs_normalizer *n, double *acc);
/* GAE over T steps x N envs; rewards already include truncation bootstraps;
 * done[t*N+i] = the episode ended at step t; last_value[N] = V(obs after T) */
void rs_gae(const float *rewards, const float *values, const unsigned char *done,
            const float *last_value, int T, int N, float gamma, float lam, float *adv, float *ret);
/* the PPO loss of one minibatch and its gradient w.r.t. the actor's mean
 * output (dmu, M x A), log_std (dlogstd, A, accumulated) and the value (dv, M) */
typedef struct rs_ppo_loss {
    double pg_loss, v_loss, entropy, approx_kl, clipfrac, total;
    double kl_init; /* the anchor's mean KL (0 without one) */
} rs_ppo_loss;
void rs_ppo_loss_grad(const float *mu, const float *log_std, const float *v_new, const float *act,
                      const float *logp_old, const float *adv, const float *ret,
                      const float *v_old, int M, int A, float clip, float vf_coef, float ent_coef,
                      int clip_vloss, rs_ppo_loss *out, float *dmu, float *dlogstd, float *dv);

/* The anchor to the init: the mean over M states of KL(p || q) between the
 * diagonal Gaussians p = N(mu, exp(log_std)^2) (the policy) and q = N(mu0,
 * exp(log_std0)^2) (the init), in closed form per dimension:
 *   log s0 - log s + (s^2 + (mu - mu0)^2) / (2 s0^2) - 1/2.
 * means_only: the KL as if the policy's s were the init's s0, i.e.
 * (mu - mu0)^2 / (2 s0^2): the means are anchored, the exploration noise
 * is free to shrink (dlogstd untouched).
 * Adds the gradient of beta * that mean to dmu (M x A) and dlogstd (A) and
 * returns the mean. Zero, with zero gradient, when p = q. */
double rs_ppo_kl_anchor(const float *mu, const float *log_std, const float *mu0,
                        const float *log_std0, int M, int A, float beta, int means_only,
                        float *dmu, float *dlogstd);
/* 1 when the run was given a value net by its init (0: fresh critic) */
int rs_ppo_init_had_critic(const rs_ppo *p);

#endif
