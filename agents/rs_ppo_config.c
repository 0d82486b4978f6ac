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
    F(hparams, RS_CFG_STR, "auto (the env's own set, below) or cleanrl"),
    F(n_envs, RS_CFG_INT, "parallel envs (batch = n_envs * n_steps)"),
    F(n_steps, RS_CFG_INT, "steps per env per rollout"),
    F(epochs, RS_CFG_INT, "optimisation epochs per rollout"),
    F(minibatch, RS_CFG_INT, "minibatch size (global, over all MPI ranks); used when minibatches is 0"),
    F(minibatches, RS_CFG_INT, "minibatches per epoch (0: use minibatch); giving minibatch sets it to 0"),
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
    F(weight_init, RS_CFG_STR, "orthogonal (CleanRL) or fanin (PyTorch's)"),
    F(arch, RS_CFG_STR, "hidden sizes of actor and critic"),
    F(activation, RS_CFG_STR, "tanh or relu"),
    F(threads, RS_CFG_INT, "env threads (0: all cores)"),
    F(save_every, RS_CFG_INT, "updates between checkpoints (0: end only)"),
    RS_CFG_FIELD_IF(rs_ppo_config, eval_every, RS_CFG_INT, "updates between evaluations (0: off)",
                    "eval_every"),
    RS_CFG_FIELD_IF(rs_ppo_config, eval_episodes, RS_CFG_INT, "episodes per evaluation",
                    "eval_every"),
    F(init, RS_CFG_STR, "shared initialisation (run dir or checkpoint)"),
    F(freeze_obs_norm, RS_CFG_INT, "1 freeze, 0 update, -1 auto (frozen with init)"),
    F(finetune, RS_CFG_STR, "auto (with init: rsoup's fine-tuning set, below) or none"),
    F(kl_init, RS_CFG_DBL, "beta: penalty beta*KL(pi || pi_init) on rollout states (needs init)"),
    F(kl_init_means, RS_CFG_BOOL, "kl_init on the means alone (the log-std left free to shrink)"),
    F(critic_warmup, RS_CFG_INT, "first K updates fit only the value net (needs init)"),
    F(lr_warmup, RS_CFG_INT, "actor lr ramps from 0 over W updates after the critic warm-up"),
    F(init_rscale, RS_CFG_BOOL, "carry the init's return-scaling statistics (train.safetensors)"),
    /* written only when tanh: runs made before the key keep their config.json */
    RS_CFG_FIELD_UNLESS(rs_ppo_config, action_head,
                        "clip, or tanh: the env's action is bound*tanh(u)", "clip"),
};
#define N_FIELDS ((int)(sizeof g_fields / sizeof g_fields[0]))
static const rs_cfg_table g_table = {g_fields, N_FIELDS, "", NULL, 16, 48};

void rs_ppo_config_default(rs_ppo_config *c) {
    memset(c, 0, sizeof *c);
    strcpy(c->env, "hopper");
    strcpy(c->reward, "default");
    c->total_steps = 1000000;
    c->seed = 1;
    strcpy(c->hparams, "auto");
    /* CleanRL: 1 env x 2048 steps; 2 x 1024 keeps the batch and lets two
     * threads step envs */
    c->n_envs = 2;
    c->n_steps = 1024;
    c->epochs = 10;
    /* CleanRL's num_minibatches: 2048 / 32 = 64 samples on one process, and
     * under mpirun every rank keeps its 64 (a fixed size would shrink each
     * rank's share as ranks are added) */
    c->minibatch = 64;
    c->minibatches = 32;
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
    strcpy(c->action_head, "clip");
    strcpy(c->weight_init, "orthogonal");
    strcpy(c->arch, "64,64");
    strcpy(c->activation, "tanh");
    c->threads = 0;
    c->save_every = 50;
    c->eval_every = 0;
    c->eval_episodes = 10;
    c->freeze_obs_norm = -1;
    strcpy(c->finetune, "auto");
}

/* Per-env sets, for envs where the generic (CleanRL) defaults are known to
 * fall short. halfcheetah: with the generic set every seed we ran learned to
 * run on its back (1866 at 1M steps, CleanRL publishes 1443); this is the
 * RL Baselines3 Zoo's published PPO set for HalfCheetah (SB3 reports 5819).
 * SB3's value loss is MSE without our 1/2, so its vf_coef 0.58096 is 1.16192
 * here; ortho_init=False there is PyTorch's default init, our "fanin".
 * humanoid: with the generic set the return stalled near 900 up to 6M steps
 * (the approximate KL per update grew to 1.5 as σ fell on 17 actions);
 * stopping an update's epochs at KL 0.02, with 16 envs x 256 steps and log-std
 * init -1, walked (8511 at 20M steps): the screening and the run are in
 * experiments/results/humanoid_paper/. It is also that experiment's ppo
 * block, key for key, so the experiment's stamps do not change with it. */
static const struct {
    const char *env, *source, *json;
} g_env_sets[] = {
    {"halfcheetah", "RL Baselines3 Zoo PPO set for HalfCheetah",
     "{\"n_envs\": 1, \"n_steps\": 512, \"minibatches\": 8, \"epochs\": 20, "
     "\"lr\": 2.0633e-05, \"anneal_lr\": false, \"gamma\": 0.98, \"gae_lambda\": 0.92, "
     "\"clip\": 0.1, \"ent_coef\": 0.000401762, \"vf_coef\": 1.16192, "
     "\"max_grad_norm\": 0.8, \"clip_vloss\": false, \"log_std_init\": -2, "
     "\"weight_init\": \"fanin\", \"arch\": \"256,256\", \"activation\": \"relu\"}"},
    {"humanoid", "rsoup's screened set for the humanoid: KL-limited updates",
     "{\"n_envs\": 16, \"n_steps\": 256, \"minibatches\": 32, \"log_std_init\": -1, "
     "\"arch\": \"64,64\", \"target_kl\": 0.02}"},
};
#define N_SETS ((int)(sizeof g_env_sets / sizeof g_env_sets[0]))

static int find_set(const char *env) {
    for (int i = 0; i < N_SETS; i++)
        if (!strcmp(g_env_sets[i].env, env)) return i;
    return -1;
}

const char *rs_ppo_env_hparams_json(const char *env) {
    int i = find_set(env);
    return i < 0 ? NULL : g_env_sets[i].json;
}

const char *rs_ppo_env_hparams_source(const char *env) {
    int i = find_set(env);
    return i < 0 ? NULL : g_env_sets[i].source;
}

/* The fine-tuning protocol rsoup applies to a run with an init (finetune
 * auto): chosen from the map in experiments/results/lmc_map (docs/decisions.md
 * says why). Empty until that choice: a run with an init is then today's. */
static const char *const g_finetune_source = "no fine-tuning set yet";
static const char *const g_finetune_json = "{}";

const char *rs_ppo_finetune_json(void) { return g_finetune_json; }
const char *rs_ppo_finetune_source(void) { return g_finetune_source; }

static int apply_json(rs_ppo_config *c, const char *json, const char *where) {
    cJSON *o = cJSON_Parse(json);
    int rc = o ? rs_ppo_config_from_json(c, o, where) : -1;
    if (!o) rs_set_error("%sthe built-in set is not valid JSON", where);
    cJSON_Delete(o);
    return rc;
}

int rs_ppo_config_finetune_defaults(rs_ppo_config *c) {
    if (!c->init[0] || strcmp(c->finetune, "auto") || !strcmp(g_finetune_json, "{}")) return 0;
    return apply_json(c, g_finetune_json, "fine-tuning set: ") ? -1 : 1;
}

int rs_ppo_config_env_defaults(rs_ppo_config *c) {
    int i = strcmp(c->hparams, "auto") ? -1 : find_set(c->env);
    if (i < 0) return 0;
    char env[sizeof c->env];
    memcpy(env, c->env, sizeof env);
    rs_ppo_config_default(c);
    memcpy(c->env, env, sizeof env);
    char where[64];
    snprintf(where, sizeof where, "%s hparams: ", env);
    return apply_json(c, g_env_sets[i].json, where) ? -1 : 1;
}

/* a minibatch size given alone is the user's choice over the default count */
static void size_over_count(rs_ppo_config *c, int size_given, int count_given) {
    if (size_given && !count_given && c->minibatch > 0) c->minibatches = 0;
}

int rs_ppo_config_set(rs_ppo_config *c, const char *key, const char *value) {
    int rc = rs_cfg_set(&g_table, c, key, value);
    if (!rc) size_over_count(c, !strcmp(key, "minibatch"), 0);
    return rc;
}

/* A complete config written before the hparams and weight_init keys existed
 * (a run's config.json or train_config) describes a run on the generic set:
 * read it as hparams cleanrl, so that it still reproduces that run. The
 * keys written only when set (only_if, omit_value) are never needed to be
 * complete. */
static int legacy_complete(const cJSON *o) {
    /* keys that came with or after hparams: a legacy config lacks them all */
    static const char *const later[] = {"hparams",     "weight_init",   "finetune",  "kl_init",
                                        "kl_init_means", "critic_warmup", "lr_warmup", "init_rscale",
                                        NULL};
    if (cJSON_GetObjectItemCaseSensitive(o, "hparams")) return 0;
    for (int i = 0; i < N_FIELDS; i++) {
        int is_later = 0;
        for (int k = 0; later[k]; k++) is_later |= !strcmp(g_fields[i].name, later[k]);
        if (!is_later && !g_fields[i].only_if && !g_fields[i].omit_value &&
            !cJSON_GetObjectItemCaseSensitive(o, g_fields[i].name))
            return 0;
    }
    return 1;
}

int rs_ppo_config_from_json(rs_ppo_config *c, const void *obj, const char *where) {
    if (rs_cfg_from_json(&g_table, c, obj, where) != 0) return -1;
    /* a config with both keys (every config.json) keeps both as written */
    size_over_count(c, cJSON_GetObjectItemCaseSensitive(obj, "minibatch") != NULL,
                    cJSON_GetObjectItemCaseSensitive(obj, "minibatches") != NULL);
    if (legacy_complete(obj)) strcpy(c->hparams, "cleanrl");
    return 0;
}

char *rs_ppo_config_to_json(const rs_ppo_config *c) { return rs_cfg_to_json(&g_table, c); }

void rs_ppo_config_help(FILE *out) {
    rs_ppo_config d;
    rs_ppo_config_default(&d);
    rs_cfg_help(&g_table, &d, out);
    fprintf(out, "\nper-env sets (hparams auto; --hparams cleanrl keeps the table above;\n"
                 "keys given in --config or as flags still win):\n");
    for (int i = 0; i < N_SETS; i++) {
        fprintf(out, "  %-12s %s:\n    ", g_env_sets[i].env, g_env_sets[i].source);
        int col = 4;
        for (const char *q = g_env_sets[i].json; *q; q++) {
            if (*q == '{' || *q == '}' || *q == '"') continue;
            const char *next = strchr(q + 1, ',');
            int item = next ? (int)(next - q) : (int)strlen(q);
            if (*q == ' ' && q[-1] == ',' && col + item > 78) {
                fputs("\n    ", out);
                col = 4;
                continue;
            }
            fputc(*q, out);
            col++;
        }
        fputc('\n', out);
    }
    fprintf(out, "\nfine-tuning set (with --init and finetune auto, between the env's set and\n"
                 "your keys; --finetune none keeps the settings above): %s %s\n",
            g_finetune_source, g_finetune_json);
}

int rs_ppo_global_minibatch(const rs_ppo_config *c, int ranks) {
    return c->minibatches > 0 ? c->n_envs * c->n_steps / c->minibatches * ranks : c->minibatch;
}

int rs_ppo_config_check(const rs_ppo_config *c) {
    return rs_ppo_config_check_ranks(c, rs_mpi_size());
}

#define RS_PPO_MAX_BATCH (1 << 24)

int rs_ppo_config_check_ranks(const rs_ppo_config *c, int R) {
#define REQ(cond, ...)                                                                             \
    if (!(cond)) {                                                                                 \
        rs_set_error(__VA_ARGS__);                                                                 \
        return -1;                                                                                 \
    }
    REQ(c->total_steps >= 1, "total_steps must be >= 1 (got %ld)", c->total_steps);
    REQ(c->seed >= 0, "seed must be >= 0 (got %ld)", c->seed);
    REQ(c->n_envs >= 1 && c->n_envs <= 4096, "n_envs must be in [1, 4096] (got %d)", c->n_envs);
    REQ(c->n_steps >= 1, "n_steps must be >= 1 (got %d)", c->n_steps);
    /* the batch is an int (and its rollout buffers hold it times obs_dim floats) */
    REQ((long long)c->n_envs * c->n_steps <= RS_PPO_MAX_BATCH,
        "n_envs*n_steps must be <= %d (got %lld)", RS_PPO_MAX_BATCH,
        (long long)c->n_envs * c->n_steps);
    REQ(c->epochs >= 1, "epochs must be >= 1 (got %d)", c->epochs);
    REQ(c->minibatches >= 0, "minibatches must be >= 0 (got %d)", c->minibatches);
    /* every rank computes its share of each global minibatch: >= 2 samples,
     * or the advantages' standard deviation is 0/0 */
    const int b = c->n_envs * c->n_steps;
    if (c->minibatches > 0) {
        REQ(b % c->minibatches == 0 && b / c->minibatches >= 2,
            "minibatches must divide n_envs*n_steps = %d into minibatches of >= 2 samples "
            "(got %d; or give a size with --minibatch)",
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
    REQ(c->eval_every >= 0, "eval_every must be >= 0 (got %d)", c->eval_every);
    REQ(c->eval_episodes >= 1 && c->eval_episodes <= 100000,
        "eval_episodes must be in [1, 100000] (got %d)", c->eval_episodes);
    REQ(!strcmp(c->hparams, "auto") || !strcmp(c->hparams, "cleanrl"),
        "hparams must be auto or cleanrl (got '%s')", c->hparams);
    REQ(!strcmp(c->weight_init, "orthogonal") || !strcmp(c->weight_init, "fanin"),
        "weight_init must be orthogonal or fanin (got '%s')", c->weight_init);
    rs_action_head head;
    REQ(rs_action_head_parse(c->action_head, &head) == 0,
        "action_head must be clip or tanh (got '%s')", c->action_head);
    REQ(c->freeze_obs_norm >= -1 && c->freeze_obs_norm <= 1, "freeze_obs_norm must be -1, 0 or 1");
    REQ(!strcmp(c->finetune, "auto") || !strcmp(c->finetune, "none"),
        "finetune must be auto or none (got '%s')", c->finetune);
    REQ(isfinite(c->kl_init) && c->kl_init >= 0 && c->kl_init <= 1e6,
        "kl_init must be in [0, 1e6] (got %g)", c->kl_init);
    REQ(!c->kl_init_means || c->kl_init > 0,
        "kl_init_means says how kl_init anchors: give kl_init > 0 with it");
    REQ(c->critic_warmup >= 0, "critic_warmup must be >= 0 (got %d)", c->critic_warmup);
    REQ(c->lr_warmup >= 0, "lr_warmup must be >= 0 (got %d)", c->lr_warmup);
    REQ(c->kl_init == 0 || c->init[0],
        "kl_init anchors a fine-tuning to its init: it needs --init (got kl_init %g, no init)",
        c->kl_init);
    REQ(c->critic_warmup == 0 || c->init[0],
        "critic_warmup fits the value net before an init's policy moves: it needs --init "
        "(got critic_warmup %d, no init)", c->critic_warmup);
    /* the anchor compares the policy with its init on the same normalised
     * states: the init's normaliser must stay the run's */
    REQ(c->kl_init == 0 || c->freeze_obs_norm != 0,
        "kl_init needs the init's frozen observation normaliser (drop --update-obs-norm)");
    {
        long long batch = (long long)c->n_envs * c->n_steps * R;
        long long updates = (c->total_steps + batch - 1) / batch;
        REQ(c->critic_warmup < updates,
            "critic_warmup (%d updates) must be shorter than the run (%lld updates of %lld "
            "steps)", c->critic_warmup, updates, batch);
    }
    /* written into the policy: the range its reader takes back */
    REQ(c->obs_clip >= 0 && c->obs_clip <= RS_OBS_CLIP_MAX,
        "obs_clip must be in [0, %g] (0: no clipping; got %g)", RS_OBS_CLIP_MAX, c->obs_clip);
    return 0;
#undef REQ
}
