/* experiment.h — the rewarded-soups protocol as a job graph.
 *
 * An experiment config (JSON) describes: env, proxy rewards, pretraining,
 * fine-tuning, the λ grid, MORL weightings, a control with independent
 * inits, and the reference point. It expands into jobs:
 *
 *   pretrain ──► expert_i (one per proxy reward, --init pretrain)
 *            └─► morl_k   (one per weighting μ_k, scalarised reward)
 *   control_i (one per proxy reward, from scratch, different seeds)
 *   front   ◄── experts, morl, pretrain      control_front ◄── control_i
 *
 * Each job is one `rsoup` subcommand run in its own process, with a stamp
 * of its exact command in its folder: a finished job whose stamp matches is
 * skipped, a started one resumes, a changed one starts over. */
#ifndef RS_EXPERIMENT_H
#define RS_EXPERIMENT_H

#define RS_EXP_MAX_REWARDS 4
#define RS_EXP_MAX_MU 32
#define RS_EXP_MAX_JOBS 64

#include "rs_env.h"

typedef struct rs_exp_config {
    char name[64];
    char env[32];
    char algo[8];
    int n_rewards;
    char reward_names[RS_EXP_MAX_REWARDS][64];
    char reward_specs[RS_EXP_MAX_REWARDS][256];
    char pretrain_reward[256];
    long pretrain_steps, pretrain_seed;
    long finetune_steps;
    long seed;            /* expert seeds: seed + i */
    char ppo_json[4096];  /* hyperparameter overrides for every training ("" = none) */
    int ppo_own_set;      /* 1 when the trainings take the env's own PPO set (hparams auto) */
    int grid, episodes;
    long eval_seed;
    int n_mu;
    double mu[RS_EXP_MAX_MU][RS_EXP_MAX_REWARDS];
    long morl_steps;
    int control;          /* 1: train the control experts */
    long control_steps;
    int has_ref;
    double ref[RS_EXP_MAX_REWARDS];
    int threads;
} rs_exp_config;

/* parse and validate; errors name the JSON path, e.g. "quick.json: morl.mu[2]: ..." */
int rs_exp_config_parse(const char *text, const char *where, rs_exp_config *c);

#endif
