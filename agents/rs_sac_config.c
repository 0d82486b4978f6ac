/* rs_sac_config.c — the SAC hyperparameters: one table drives defaults,
 * flags, JSON configs, --help and the config.json written beside every run. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rs_sac.h"
#include "rs_config.h"

#define F(name, k, help) RS_CFG_FIELD(rs_sac_config, name, k, help)
static const rs_cfg_field g_fields[] = {
    RS_CFG_RUN_FIELDS(rs_sac_config),
    F(n_envs, RS_CFG_INT, "parallel envs (each vector step adds n_envs transitions)"),
    F(buffer_size, RS_CFG_LONG, "replay capacity in transitions"),
    F(batch_size, RS_CFG_INT, "transitions per gradient update"),
    F(learning_starts, RS_CFG_LONG, "updates start after this many transitions"),
    F(random_steps, RS_CFG_LONG, "uniform random actions first (-1: learning_starts; 0 with init)"),
    F(utd, RS_CFG_DBL, "gradient updates per env transition (update-to-data ratio)"),
    F(gamma, RS_CFG_DBL, "discount"),
    F(tau, RS_CFG_DBL, "target smoothing: Qk' <- tau Qk + (1-tau) Qk'"),
    F(policy_lr, RS_CFG_DBL, "actor Adam learning rate"),
    F(q_lr, RS_CFG_DBL, "critics' Adam learning rate"),
    F(alpha_lr, RS_CFG_DBL, "log_alpha Adam learning rate (CleanRL: q_lr)"),
    F(adam_eps, RS_CFG_DBL, "Adam epsilon (torch default)"),
    F(policy_frequency, RS_CFG_INT, "actor updates: this many, every this many updates"),
    F(target_frequency, RS_CFG_INT, "critic updates between target updates"),
    F(autotune, RS_CFG_BOOL, "learn alpha (log_alpha starts at 0, as CleanRL)"),
    F(alpha, RS_CFG_DBL, "fixed entropy coefficient when autotune is off"),
    F(target_entropy_scale, RS_CFG_DBL, "target entropy = -scale * act_dim"),
    F(log_std_min, RS_CFG_DBL, "log-std squashed into [min, max]"),
    F(log_std_max, RS_CFG_DBL, "upper end of the log-std range"),
    F(arch, RS_CFG_STR, "hidden sizes of actor and critics"),
    F(activation, RS_CFG_STR, "relu or tanh"),
    F(threads, RS_CFG_INT, "thread pool: envs + update halves (0: all cores)"),
    F(blas_threads, RS_CFG_INT, "OpenBLAS threads in updates (>1: the halves run serially)"),
    F(log_every, RS_CFG_LONG, "env steps per iteration / log line"),
    F(save_every, RS_CFG_INT, "iterations between checkpoints (0: end only)"),
    RS_CFG_FIELD_IF(rs_sac_config, eval_every, RS_CFG_INT,
                    "iterations between evaluations, and at the end (0: off)",
                    "eval_every"),
    RS_CFG_FIELD_IF(rs_sac_config, eval_episodes, RS_CFG_INT, "episodes per evaluation",
                    "eval_every"),
    F(save_replay, RS_CFG_BOOL, "store the replay buffer in train.safetensors (resume)"),
    F(init, RS_CFG_STR, "pretrained SAC run (dir or checkpoint) to start from"),
};
#define N_FIELDS ((int)(sizeof g_fields / sizeof g_fields[0]))
static const rs_cfg_table g_table = {g_fields, N_FIELDS, "SAC ", "sac", 20, 56};

void rs_sac_config_default(rs_sac_config *c) {
    memset(c, 0, sizeof *c);
    strcpy(c->env, "hopper");
    strcpy(c->reward, "default");
    c->total_steps = 1000000;
    c->seed = 1;
    /* CleanRL sac_continuous_action defaults */
    c->n_envs = 1;
    c->buffer_size = 1000000;
    c->batch_size = 256;
    c->learning_starts = 5000;
    c->random_steps = -1;
    c->utd = 1.0;
    c->gamma = 0.99;
    c->tau = 0.005;
    c->policy_lr = 3e-4;
    c->q_lr = 1e-3;
    c->alpha_lr = 1e-3;
    c->adam_eps = 1e-8;
    c->policy_frequency = 2;
    c->target_frequency = 1;
    c->autotune = 1;
    c->alpha = 0.2;
    c->target_entropy_scale = 1.0;
    c->log_std_min = -5.0;
    c->log_std_max = 2.0;
    strcpy(c->arch, "256,256");
    strcpy(c->activation, "relu");
    c->threads = 0;
    c->blas_threads = 1;
    c->log_every = 1000;
    c->save_every = 50;
    c->eval_every = 0;
    c->eval_episodes = 10;
    c->save_replay = 0;
}

int rs_sac_config_set(rs_sac_config *c, const char *key, const char *value) {
    return rs_cfg_set(&g_table, c, key, value);
}

int rs_sac_config_from_json(rs_sac_config *c, const void *obj, const char *where) {
    return rs_cfg_from_json(&g_table, c, obj, where);
}

char *rs_sac_config_to_json(const rs_sac_config *c) { return rs_cfg_to_json(&g_table, c); }

void rs_sac_config_help(FILE *out) {
    rs_sac_config d;
    rs_sac_config_default(&d);
    rs_cfg_help(&g_table, &d, out);
}

int rs_sac_config_check(const rs_sac_config *c) {
#define REQ(cond, ...)                                                                             \
    if (!(cond)) {                                                                                 \
        rs_set_error(__VA_ARGS__);                                                                 \
        return -1;                                                                                 \
    }
    REQ(c->total_steps >= 1, "total_steps must be >= 1 (got %ld)", c->total_steps);
    REQ(c->seed >= 0, "seed must be >= 0 (got %ld)", c->seed);
    REQ(c->n_envs >= 1 && c->n_envs <= 4096, "n_envs must be in [1, 4096] (got %d)", c->n_envs);
    REQ(c->buffer_size >= 1 && c->buffer_size <= 100000000L,
        "buffer_size must be in [1, 1e8] (got %ld)", c->buffer_size);
    REQ(c->batch_size >= 1 && c->batch_size <= 65536, "batch_size must be in [1, 65536] (got %d)",
        c->batch_size);
    REQ(c->learning_starts >= 0, "learning_starts must be >= 0 (got %ld)", c->learning_starts);
    REQ(c->random_steps >= -1, "random_steps must be >= -1 (got %ld)", c->random_steps);
    REQ(c->utd > 0 && c->utd <= 1000, "utd must be in (0, 1000] (got %g)", c->utd);
    REQ(c->gamma > 0 && c->gamma <= 1, "gamma must be in (0, 1] (got %g)", c->gamma);
    REQ(c->tau > 0 && c->tau <= 1, "tau must be in (0, 1] (got %g)", c->tau);
    REQ(c->policy_lr > 0 && c->policy_lr < 1, "policy_lr must be in (0, 1) (got %g)", c->policy_lr);
    REQ(c->q_lr > 0 && c->q_lr < 1, "q_lr must be in (0, 1) (got %g)", c->q_lr);
    REQ(c->alpha_lr > 0 && c->alpha_lr < 1, "alpha_lr must be in (0, 1) (got %g)", c->alpha_lr);
    REQ(c->adam_eps > 0, "adam_eps must be > 0");
    REQ(c->policy_frequency >= 1, "policy_frequency must be >= 1 (got %d)", c->policy_frequency);
    REQ(c->target_frequency >= 1, "target_frequency must be >= 1 (got %d)", c->target_frequency);
    REQ(c->alpha >= 0 && c->alpha < 1e6, "alpha must be in [0, 1e6) (got %g)", c->alpha);
    /* written into the policy as floats: its reader takes back finite ones
     * in order, so check them as floats (1e39 is inf; 1 and 1 + 1e-12 are
     * one float) */
    REQ(isfinite((float)c->log_std_min) && isfinite((float)c->log_std_max) &&
            (float)c->log_std_min < (float)c->log_std_max,
        "log_std_min (%g) must be < log_std_max (%g), both within float range", c->log_std_min,
        c->log_std_max);
    REQ(c->threads >= 0, "threads must be >= 0");
    REQ(c->blas_threads >= 1 && c->blas_threads <= 256, "blas_threads must be in [1, 256]");
    REQ(c->log_every >= 1, "log_every must be >= 1 (got %ld)", c->log_every);
    REQ(c->save_every >= 0, "save_every must be >= 0");
    REQ(c->eval_every >= 0, "eval_every must be >= 0 (got %d)", c->eval_every);
    REQ(c->eval_episodes >= 1 && c->eval_episodes <= 100000,
        "eval_episodes must be in [1, 100000] (got %d)", c->eval_episodes);
    return 0;
#undef REQ
}
