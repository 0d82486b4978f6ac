/* rs_ppo_config.c — the PPO hyperparameters: one table drives defaults,
 * flags, JSON configs and the config.json written beside every run. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rs_ppo.h"
#include "rs_config.h"
#include "rs_mpi.h"

#define F(name, k, help) RS_CFG_FIELD(rs_ppo_config, name, k, help)
static const rs_cfg_field g_fields[] = {
    RS_CFG_RUN_FIELDS(rs_ppo_config),
    F(n_envs, RS_CFG_INT, "parallel envs (batch = n_envs * n_steps)"),
    F(n_steps, RS_CFG_INT, "steps per env per rollout"),
    F(epochs, RS_CFG_INT, "optimisation epochs per rollout"),
    F(minibatch, RS_CFG_INT, "minibatch size (global, over all MPI ranks)"),
    F(minibatches, RS_CFG_INT, "minibatches per epoch (>0 overrides minibatch)"),
    F(lr, RS_CFG_DBL, "Adam learning rate"),
    F(anneal_lr, RS_CFG_BOOL, "anneal the learning rate linearly to 0"),
    F(adam_eps, RS_CFG_DBL, "Adam epsilon"),
    F(gamma, RS_CFG_DBL, "discount"),
    F(gae_lambda, RS_CFG_DBL, "GAE lambda"),
    F(clip, RS_CFG_DBL, "surrogate (and value) clip range"),
    F(vf_coef, RS_CFG_DBL, "value loss coefficient"),
    F(ent_coef, RS_CFG_DBL, "entropy bonus coefficient"),
    F(max_grad_norm, RS_CFG_DBL, "global gradient norm clip"),
    F(clip_vloss, RS_CFG_BOOL, "clip the value loss"),
    F(norm_adv, RS_CFG_BOOL, "normalise advantages per minibatch"),
    F(norm_obs, RS_CFG_BOOL, "running observation normalisation"),
    F(norm_reward, RS_CFG_BOOL, "scale rewards by the std of the discounted return"),
    F(obs_clip, RS_CFG_DBL, "clip normalised observations"),
    F(reward_clip, RS_CFG_DBL, "clip scaled rewards"),
    F(target_kl, RS_CFG_DBL, "stop the epochs when approx KL exceeds this (<= 0: off)"),
    F(log_std_init, RS_CFG_DBL, "initial log std of the Gaussian policy"),
    F(arch, RS_CFG_STR, "hidden sizes of actor and critic"),
    F(activation, RS_CFG_STR, "tanh or relu"),
    F(threads, RS_CFG_INT, "env threads (0: all cores)"),
    F(save_every, RS_CFG_INT, "updates between checkpoints (0: end only)"),
    F(init, RS_CFG_STR, "shared initialisation (run dir or checkpoint)"),
    F(freeze_obs_norm, RS_CFG_INT, "1 freeze, 0 update, -1 auto (frozen with init)"),
};
#define N_FIELDS ((int)(sizeof g_fields / sizeof g_fields[0]))
static const rs_cfg_table g_table = {g_fields, N_FIELDS, "", NULL, 16, 48};

void rs_ppo_config_default(rs_ppo_config *c) {
    memset(c, 0, sizeof *c);
    strcpy(c->env, "hopper");
    strcpy(c->reward, "default");
    c->total_steps = 1000000;
    c->seed = 1;
    /* CleanRL: 1 env x 2048 steps; 2 x 1024 keeps the batch and lets two
     * threads step envs */
    c->n_envs = 2;
    c->n_steps = 1024;
    c->epochs = 10;
    c->minibatch = 64;
    c->lr = 3e-4;
    c->anneal_lr = 1;
    c->adam_eps = 1e-5;
    c->gamma = 0.99;
    c->gae_lambda = 0.95;
    c->clip = 0.2;
    c->vf_coef = 0.5;
    c->ent_coef = 0.0;
    c->max_grad_norm = 0.5;
    c->clip_vloss = 1;
    c->norm_adv = 1;
    c->norm_obs = 1;
    c->norm_reward = 1;
    c->obs_clip = 10;
    c->reward_clip = 10;
    c->target_kl = 0;
    c->log_std_init = 0;
    strcpy(c->arch, "64,64");
    strcpy(c->activation, "tanh");
    c->threads = 0;
    c->save_every = 50;
    c->freeze_obs_norm = -1;
}

int rs_ppo_config_set(rs_ppo_config *c, const char *key, const char *value) {
    return rs_cfg_set(&g_table, c, key, value);
}

int rs_ppo_config_from_json(rs_ppo_config *c, const void *obj, const char *where) {
    return rs_cfg_from_json(&g_table, c, obj, where);
}

char *rs_ppo_config_to_json(const rs_ppo_config *c) { return rs_cfg_to_json(&g_table, c); }

void rs_ppo_config_help(FILE *out) {
    rs_ppo_config d;
    rs_ppo_config_default(&d);
    rs_cfg_help(&g_table, &d, out);
}

int rs_ppo_global_minibatch(const rs_ppo_config *c, int ranks) {
    return c->minibatches > 0 ? c->n_envs * c->n_steps / c->minibatches * ranks : c->minibatch;
}

int rs_ppo_config_check(const rs_ppo_config *c) {
#define REQ(cond, ...)                                                                             \
    if (!(cond)) {                                                                                 \
        rs_set_error(__VA_ARGS__);                                                                 \
        return -1;                                                                                 \
    }
    REQ(c->total_steps >= 1, "total_steps must be >= 1 (got %ld)", c->total_steps);
    REQ(c->n_envs >= 1 && c->n_envs <= 4096, "n_envs must be in [1, 4096] (got %d)", c->n_envs);
    REQ(c->n_steps >= 1, "n_steps must be >= 1 (got %d)", c->n_steps);
    REQ(c->epochs >= 1, "epochs must be >= 1 (got %d)", c->epochs);
    REQ(c->minibatches >= 0, "minibatches must be >= 0 (got %d)", c->minibatches);
    /* every rank computes its share of each global minibatch: >= 2 samples,
     * or the advantages' standard deviation is 0/0 */
    const int b = c->n_envs * c->n_steps, R = rs_mpi_size();
    if (c->minibatches > 0) {
        REQ(b % c->minibatches == 0 && b / c->minibatches >= 2,
            "minibatches must divide n_envs*n_steps = %d into minibatches of >= 2 samples "
            "(got %d)",
            b, c->minibatches);
    } else if (R == 1) {
        REQ(c->minibatch >= 2 && c->minibatch <= b, "minibatch must be in [2, n_envs*n_steps = %d] (got %d)",
            b, c->minibatch);
    } else {
        REQ(c->minibatch % R == 0 && c->minibatch / R >= 2 && c->minibatch <= b * R,
            "minibatch must be a multiple of the %d MPI ranks in [%d, %d] (got %d); or give "
            "--minibatches",
            R, 2 * R, b * R, c->minibatch);
    }
    REQ(c->lr > 0 && c->lr < 1, "lr must be in (0, 1) (got %g)", c->lr);
    REQ(c->gamma > 0 && c->gamma <= 1, "gamma must be in (0, 1] (got %g)", c->gamma);
    REQ(c->gae_lambda >= 0 && c->gae_lambda <= 1, "gae_lambda must be in [0, 1]");
    REQ(c->clip > 0, "clip must be > 0");
    REQ(c->max_grad_norm > 0, "max_grad_norm must be > 0");
    REQ(c->adam_eps > 0, "adam_eps must be > 0");
    REQ(c->threads >= 0, "threads must be >= 0");
    REQ(c->freeze_obs_norm >= -1 && c->freeze_obs_norm <= 1, "freeze_obs_norm must be -1, 0 or 1");
    return 0;
#undef REQ
}
