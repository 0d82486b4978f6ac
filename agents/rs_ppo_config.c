/* rs_ppo_config.c — the PPO hyperparameters: one table drives defaults,
 * flags, JSON configs and the config.json written beside every run. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rs_ppo.h"

typedef enum { K_INT, K_LONG, K_DBL, K_BOOL, K_STR } kind;

typedef struct {
    const char *name;
    kind k;
    size_t off, size;
    const char *help;
} field;

#define F(name, k, help) {#name, k, offsetof(rs_ppo_config, name), sizeof(((rs_ppo_config *)0)->name), help}
static const field g_fields[] = {
    F(env, K_STR, "environment"),
    F(reward, K_STR, "reward spec (preset, term list or mix)"),
    F(model, K_STR, "MJCF file replacing the embedded model (\"\" = embedded)"),
    F(total_steps, K_LONG, "env steps in total"),
    F(seed, K_LONG, "run seed"),
    F(n_envs, K_INT, "parallel envs (batch = n_envs * n_steps)"),
    F(n_steps, K_INT, "steps per env per rollout"),
    F(epochs, K_INT, "optimisation epochs per rollout"),
    F(minibatch, K_INT, "minibatch size"),
    F(lr, K_DBL, "Adam learning rate"),
    F(anneal_lr, K_BOOL, "anneal the learning rate linearly to 0"),
    F(adam_eps, K_DBL, "Adam epsilon"),
    F(gamma, K_DBL, "discount"),
    F(gae_lambda, K_DBL, "GAE lambda"),
    F(clip, K_DBL, "surrogate (and value) clip range"),
    F(vf_coef, K_DBL, "value loss coefficient"),
    F(ent_coef, K_DBL, "entropy bonus coefficient"),
    F(max_grad_norm, K_DBL, "global gradient norm clip"),
    F(clip_vloss, K_BOOL, "clip the value loss"),
    F(norm_adv, K_BOOL, "normalise advantages per minibatch"),
    F(norm_obs, K_BOOL, "running observation normalisation"),
    F(norm_reward, K_BOOL, "scale rewards by the std of the discounted return"),
    F(obs_clip, K_DBL, "clip normalised observations"),
    F(reward_clip, K_DBL, "clip scaled rewards"),
    F(target_kl, K_DBL, "stop the epochs when approx KL exceeds this (<= 0: off)"),
    F(log_std_init, K_DBL, "initial log std of the Gaussian policy"),
    F(arch, K_STR, "hidden sizes of actor and critic"),
    F(activation, K_STR, "tanh or relu"),
    F(threads, K_INT, "env threads (0: all cores)"),
    F(save_every, K_INT, "updates between checkpoints (0: end only)"),
    F(init, K_STR, "shared initialisation (run dir or checkpoint)"),
    F(freeze_obs_norm, K_INT, "1 freeze, 0 update, -1 auto (frozen with init)"),
};
#define N_FIELDS ((int)(sizeof g_fields / sizeof g_fields[0]))

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

static const field *find(const char *key) {
    for (int i = 0; i < N_FIELDS; i++)
        if (!strcmp(g_fields[i].name, key)) return &g_fields[i];
    return NULL;
}

static void unknown_key(const char *where, const char *key) {
    char list[1024] = "";
    for (int i = 0; i < N_FIELDS; i++) {
        strcat(list, i ? ", " : "");
        strcat(list, g_fields[i].name);
    }
    rs_set_error("%s%s: unknown key (valid: %s)", where, key, list);
}

int rs_ppo_config_set(rs_ppo_config *c, const char *key, const char *value) {
    const field *f = find(key);
    if (!f) {
        unknown_key("", key);
        return -1;
    }
    char *base = (char *)c + f->off, *end;
    switch (f->k) {
    case K_STR:
        if (strlen(value) >= f->size) {
            rs_set_error("%s: value too long (max %zu characters)", key, f->size - 1);
            return -1;
        }
        strcpy(base, value);
        return 0;
    case K_BOOL:
        if (!strcmp(value, "1") || !strcmp(value, "true")) *(int *)base = 1;
        else if (!strcmp(value, "0") || !strcmp(value, "false")) *(int *)base = 0;
        else {
            rs_set_error("%s: expected true/false, got '%s'", key, value);
            return -1;
        }
        return 0;
    case K_INT:
    case K_LONG: {
        double v = strtod(value, &end);
        if (end == value || *end || v != floor(v) || fabs(v) > 4e18 ||
            (f->k == K_INT && fabs(v) > 2e9)) {
            rs_set_error("%s: expected an integer, got '%s'", key, value);
            return -1;
        }
        if (f->k == K_INT) *(int *)base = (int)v;
        else *(long *)base = (long)v;
        return 0;
    }
    case K_DBL: {
        double v = strtod(value, &end);
        if (end == value || *end || !isfinite(v)) {
            rs_set_error("%s: expected a number, got '%s'", key, value);
            return -1;
        }
        *(double *)base = v;
        return 0;
    }
    }
    return -1;
}

int rs_ppo_config_from_json(rs_ppo_config *c, const void *obj, const char *where) {
    const cJSON *o = obj;
    if (!cJSON_IsObject(o)) {
        rs_set_error("%s: expected a JSON object", where);
        return -1;
    }
    for (const cJSON *it = o->child; it; it = it->next) {
        const field *f = find(it->string);
        if (!f) {
            unknown_key(where, it->string);
            return -1;
        }
        char *base = (char *)c + f->off;
        const char *want = NULL;
        switch (f->k) {
        case K_STR:
            if (!cJSON_IsString(it)) want = "a string";
            else if (strlen(it->valuestring) >= f->size) want = "a shorter string";
            else strcpy(base, it->valuestring);
            break;
        case K_BOOL:
            if (cJSON_IsBool(it)) *(int *)base = cJSON_IsTrue(it);
            else want = "true or false";
            break;
        case K_INT:
        case K_LONG:
            if (!cJSON_IsNumber(it) || it->valuedouble != floor(it->valuedouble)) want = "an integer";
            else if (f->k == K_INT) *(int *)base = (int)it->valuedouble;
            else *(long *)base = (long)it->valuedouble;
            break;
        case K_DBL:
            if (cJSON_IsNumber(it)) *(double *)base = it->valuedouble;
            else want = "a number";
            break;
        }
        if (want) {
            rs_set_error("%s%s: expected %s", where, it->string, want);
            return -1;
        }
    }
    return 0;
}

char *rs_ppo_config_to_json(const rs_ppo_config *c) {
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < N_FIELDS; i++) {
        const field *f = &g_fields[i];
        const char *base = (const char *)c + f->off;
        switch (f->k) {
        case K_STR: cJSON_AddStringToObject(o, f->name, base); break;
        case K_BOOL: cJSON_AddBoolToObject(o, f->name, *(const int *)base); break;
        case K_INT: cJSON_AddNumberToObject(o, f->name, *(const int *)base); break;
        case K_LONG: cJSON_AddNumberToObject(o, f->name, (double)*(const long *)base); break;
        case K_DBL: cJSON_AddNumberToObject(o, f->name, *(const double *)base); break;
        }
    }
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}

void rs_ppo_config_help(FILE *out) {
    rs_ppo_config d;
    rs_ppo_config_default(&d);
    char *js = rs_ppo_config_to_json(&d);
    cJSON *o = cJSON_Parse(js);
    free(js);
    for (int i = 0; i < N_FIELDS; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, g_fields[i].name);
        char *vs = cJSON_PrintUnformatted(v);
        fprintf(out, "  %-16s %-48s %s\n", g_fields[i].name, g_fields[i].help, vs);
        free(vs);
    }
    cJSON_Delete(o);
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
    REQ(c->minibatch >= 2 && c->minibatch <= c->n_envs * c->n_steps,
        "minibatch must be in [2, n_envs*n_steps = %d] (got %d)", c->n_envs * c->n_steps,
        c->minibatch);
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
