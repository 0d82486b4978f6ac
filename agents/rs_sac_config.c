/* rs_sac_config.c — the SAC hyperparameters: one table drives defaults,
 * flags, JSON configs, --help and the config.json written beside every run. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rs_sac.h"

typedef enum { K_INT, K_LONG, K_DBL, K_BOOL, K_STR } kind;

typedef struct {
    const char *name;
    kind k;
    size_t off, size;
    const char *help;
} field;

#define F(name, k, help)                                                                           \
    { #name, k, offsetof(rs_sac_config, name), sizeof(((rs_sac_config *)0)->name), help }
static const field g_fields[] = {
    F(env, K_STR, "environment"),
    F(reward, K_STR, "reward spec (preset, term list or mix)"),
    F(model, K_STR, "MJCF file replacing the embedded model (\"\" = embedded)"),
    F(total_steps, K_LONG, "env steps in total"),
    F(seed, K_LONG, "run seed"),
    F(n_envs, K_INT, "parallel envs (each vector step adds n_envs transitions)"),
    F(buffer_size, K_LONG, "replay capacity in transitions"),
    F(batch_size, K_INT, "transitions per gradient update"),
    F(learning_starts, K_LONG, "updates start after this many transitions"),
    F(random_steps, K_LONG, "uniform random actions first (-1: learning_starts; 0 with init)"),
    F(utd, K_DBL, "gradient updates per env transition (update-to-data ratio)"),
    F(gamma, K_DBL, "discount"),
    F(tau, K_DBL, "target smoothing: Qk' <- tau Qk + (1-tau) Qk'"),
    F(policy_lr, K_DBL, "actor Adam learning rate"),
    F(q_lr, K_DBL, "critics' Adam learning rate"),
    F(alpha_lr, K_DBL, "log_alpha Adam learning rate (CleanRL: q_lr)"),
    F(adam_eps, K_DBL, "Adam epsilon (torch default)"),
    F(policy_frequency, K_INT, "actor updates: this many, every this many updates"),
    F(target_frequency, K_INT, "critic updates between target updates"),
    F(autotune, K_BOOL, "learn alpha (log_alpha starts at 0, as CleanRL)"),
    F(alpha, K_DBL, "fixed entropy coefficient when autotune is off"),
    F(target_entropy_scale, K_DBL, "target entropy = -scale * act_dim"),
    F(log_std_min, K_DBL, "log-std squashed into [min, max]"),
    F(log_std_max, K_DBL, "upper end of the log-std range"),
    F(arch, K_STR, "hidden sizes of actor and critics"),
    F(activation, K_STR, "relu or tanh"),
    F(threads, K_INT, "thread pool: envs + twin critics (0: all cores)"),
    F(blas_threads, K_INT, "OpenBLAS threads in updates (>1: critics run serially)"),
    F(log_every, K_LONG, "env steps per iteration / log line"),
    F(save_every, K_INT, "iterations between checkpoints (0: end only)"),
    F(save_replay, K_BOOL, "store the replay buffer in train.safetensors (resume)"),
    F(init, K_STR, "pretrained SAC run (dir or checkpoint) to start from"),
};
#define N_FIELDS ((int)(sizeof g_fields / sizeof g_fields[0]))

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
    c->save_replay = 0;
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
    rs_set_error("%s%s: unknown SAC key (valid: %s)", where, key, list);
}

int rs_sac_config_set(rs_sac_config *c, const char *key, const char *value) {
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
        if (!strcmp(value, "1") || !strcmp(value, "true"))
            *(int *)base = 1;
        else if (!strcmp(value, "0") || !strcmp(value, "false"))
            *(int *)base = 0;
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
        if (f->k == K_INT)
            *(int *)base = (int)v;
        else
            *(long *)base = (long)v;
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

int rs_sac_config_from_json(rs_sac_config *c, const void *obj, const char *where) {
    const cJSON *o = obj;
    if (!cJSON_IsObject(o)) {
        rs_set_error("%s: expected a JSON object", where);
        return -1;
    }
    for (const cJSON *it = o->child; it; it = it->next) {
        /* "algo" selects the trainer; it is not a hyperparameter */
        if (!strcmp(it->string, "algo")) {
            if (!cJSON_IsString(it) || strcmp(it->valuestring, "sac")) {
                rs_set_error("%salgo: this is a SAC config, got %s", where,
                             cJSON_IsString(it) ? it->valuestring : "a non-string");
                return -1;
            }
            continue;
        }
        const field *f = find(it->string);
        if (!f) {
            unknown_key(where, it->string);
            return -1;
        }
        char *base = (char *)c + f->off;
        const char *want = NULL;
        switch (f->k) {
        case K_STR:
            if (!cJSON_IsString(it))
                want = "a string";
            else if (strlen(it->valuestring) >= f->size)
                want = "a shorter string";
            else
                strcpy(base, it->valuestring);
            break;
        case K_BOOL:
            if (cJSON_IsBool(it))
                *(int *)base = cJSON_IsTrue(it);
            else
                want = "true or false";
            break;
        case K_INT:
        case K_LONG:
            if (!cJSON_IsNumber(it) || it->valuedouble != floor(it->valuedouble) ||
                fabs(it->valuedouble) > (f->k == K_INT ? 2e9 : 4e18))
                want = "an integer";
            else if (f->k == K_INT)
                *(int *)base = (int)it->valuedouble;
            else
                *(long *)base = (long)it->valuedouble;
            break;
        case K_DBL:
            if (cJSON_IsNumber(it))
                *(double *)base = it->valuedouble;
            else
                want = "a number";
            break;
        }
        if (want) {
            rs_set_error("%s%s: expected %s", where, it->string, want);
            return -1;
        }
    }
    return 0;
}

char *rs_sac_config_to_json(const rs_sac_config *c) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "algo", "sac");
    for (int i = 0; i < N_FIELDS; i++) {
        const field *f = &g_fields[i];
        const char *base = (const char *)c + f->off;
        switch (f->k) {
        case K_STR:
            cJSON_AddStringToObject(o, f->name, base);
            break;
        case K_BOOL:
            cJSON_AddBoolToObject(o, f->name, *(const int *)base);
            break;
        case K_INT:
            cJSON_AddNumberToObject(o, f->name, *(const int *)base);
            break;
        case K_LONG:
            cJSON_AddNumberToObject(o, f->name, (double)*(const long *)base);
            break;
        case K_DBL:
            cJSON_AddNumberToObject(o, f->name, *(const double *)base);
            break;
        }
    }
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}

void rs_sac_config_help(FILE *out) {
    rs_sac_config d;
    rs_sac_config_default(&d);
    char *js = rs_sac_config_to_json(&d);
    cJSON *o = cJSON_Parse(js);
    free(js);
    for (int i = 0; i < N_FIELDS; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, g_fields[i].name);
        char *vs = cJSON_PrintUnformatted(v);
        fprintf(out, "  %-20s %-56s %s\n", g_fields[i].name, g_fields[i].help, vs);
        free(vs);
    }
    cJSON_Delete(o);
}

int rs_sac_config_check(const rs_sac_config *c) {
#define REQ(cond, ...)                                                                             \
    if (!(cond)) {                                                                                 \
        rs_set_error(__VA_ARGS__);                                                                 \
        return -1;                                                                                 \
    }
    REQ(c->total_steps >= 1, "total_steps must be >= 1 (got %ld)", c->total_steps);
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
    REQ(c->log_std_min < c->log_std_max, "log_std_min (%g) must be < log_std_max (%g)",
        c->log_std_min, c->log_std_max);
    REQ(c->threads >= 0, "threads must be >= 0");
    REQ(c->blas_threads >= 1 && c->blas_threads <= 256, "blas_threads must be in [1, 256]");
    REQ(c->log_every >= 1, "log_every must be >= 1 (got %ld)", c->log_every);
    REQ(c->save_every >= 0, "save_every must be >= 0");
    return 0;
#undef REQ
}
