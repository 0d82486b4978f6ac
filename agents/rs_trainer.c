/* rs_trainer.c — the recent-episodes window, shared inits, resume errors. */
#include "rs_trainer.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

int rs_trainer_setup_parse(rs_trainer_setup *t, const char *env, const char *reward,
                           const char *arch, const char *activation) {
    t->spec = rs_env_find(env);
    if (!t->spec || rs_reward_parse(t->spec, reward, t->w) != 0) return -1;
    return rs_arch_parse(arch, t->hidden, &t->n_hidden) != 0 ||
                   rs_activation_parse(activation, &t->act) != 0
               ? -1
               : 0;
}

void rs_trainer_label_policy(rs_policy *pol, const rs_trainer_setup *t, const char *reward,
                             long seed) {
    snprintf(pol->env, sizeof pol->env, "%s", t->spec->name);
    snprintf(pol->reward, sizeof pol->reward, "%s", reward);
    memcpy(pol->reward_w, t->w, sizeof t->w);
    pol->seed = (uint64_t)seed;
}

void rs_trainer_window_init(rs_trainer_window *w, int cap) {
    memset(w, 0, sizeof *w);
    w->cap = cap;
}

void rs_trainer_window_push(rs_trainer_window *w, const rs_vecenv *v, int i) {
    int k = w->pos;
    w->ret[k] = v->done_return[i];
    w->len[k] = v->done_len[i];
    for (int t = 0; t < v->n_terms; t++)
        w->terms[k][t] = v->done_terms[(size_t)i * v->n_terms + t];
    w->pos = (k + 1) % w->cap;
    if (w->n < w->cap) w->n++;
}

void rs_trainer_window_mean(const rs_trainer_window *w, int n_terms, double *ret, double *len,
                            double *terms) {
    *ret = *len = NAN;
    if (!w->n) return;
    *ret = *len = 0;
    for (int k = 0; k < w->n; k++) {
        *ret += w->ret[k] / w->n;
        *len += w->len[k] / w->n;
        for (int t = 0; t < n_terms; t++)
            terms[t] += w->terms[k][t] / w->n;
    }
}

int rs_trainer_window_save(rs_st *st, const rs_trainer_window *w) {
    int64_t n = w->cap, sh[2] = {w->cap, RS_MAX_TERMS};
    int rc = rs_st_add_f64(st, "window.ret", 1, &n, w->ret);
    rc |= rs_st_add_f64(st, "window.len", 1, &n, w->len);
    rc |= rs_st_add_f64(st, "window.terms", 2, sh, &w->terms[0][0]);
    return rc;
}

int rs_trainer_window_load(const rs_st *st, rs_trainer_window *w) {
    int64_t n = w->cap, sh[2] = {w->cap, RS_MAX_TERMS};
    const rs_tensor *t;
    if (rs_st_expect(st, "window.ret", RS_DT_F64, 1, &n, &t)) return -1;
    memcpy(w->ret, t->data, t->nbytes);
    if (rs_st_expect(st, "window.len", RS_DT_F64, 1, &n, &t)) return -1;
    memcpy(w->len, t->data, t->nbytes);
    if (rs_st_expect(st, "window.terms", RS_DT_F64, 2, sh, &t)) return -1;
    memcpy(w->terms, t->data, t->nbytes);
    return 0;
}

int rs_trainer_window_counters(rs_trainer_window *w, int64_t n, int64_t pos) {
    if (n < 0 || n > w->cap || pos < 0 || pos >= w->cap) {
        rs_set_error("window counters out of range (n %lld, pos %lld, window of %d)", (long long)n,
                     (long long)pos, w->cap);
        return -1;
    }
    w->n = (int)n;
    w->pos = (int)pos;
    return 0;
}

rs_policy *rs_trainer_open_init(const char *path, const rs_policy *run, const char *arch,
                                rs_st **st, char *file, size_t cap) {
    char buf[RS_PATH_BUF];
    snprintf(file, cap, "%s", rs_run_file(path, 1, buf, sizeof buf));
    *st = rs_st_load(file);
    if (!*st) return NULL;
    rs_policy *q = rs_policy_from_train_st(*st, file);
    if (q && (strcmp(q->env, run->env) != 0 || q->obs_dim != run->obs_dim ||
              q->act_dim != run->act_dim || q->algo != run->algo ||
              !rs_mlp_same_shape(q->pi, run->pi) || q->pi->act != run->pi->act)) {
        rs_set_error("init '%s' does not fit this run: it is a %s policy for '%s' (arch %s %s), "
                     "this run trains %s on '%s' (arch %s %s); give the init's hyperparameters "
                     "(--arch, --activation, or --hparams cleanrl for a run made with the generic "
                     "set)",
                     file, rs_algo_name(q->algo), q->env, rs_st_meta(*st, "arch"),
                     rs_activation_name(q->pi->act), rs_algo_name(run->algo), run->env, arch,
                     rs_activation_name(run->pi->act));
        rs_policy_free(q);
        q = NULL;
    }
    if (!q) {
        rs_st_free(*st);
        *st = NULL;
    }
    return q;
}

void rs_trainer_stamp_init(rs_policy *run, const char *file) {
    char hex[17];
    rs_file_hash(file, hex); /* the file was just read: "" only if it vanished since */
    snprintf(run->init, sizeof run->init, "%.200s@%s", file, hex);
}

void rs_trainer_resume_error(const char *path) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", rs_last_error());
    rs_set_error("cannot resume from '%s': %s", path, msg);
}

/* ---- the trainer interface ---- */

extern const rs_trainer_ops rs_ppo_ops, rs_sac_ops;

/* the registry: one line per algorithm, the default first */
static const rs_trainer_ops *const g_trainers[] = {
    &rs_ppo_ops,
    &rs_sac_ops,
    NULL,
};

const rs_trainer_ops *rs_trainer_at(int i) {
    int n = (int)(sizeof g_trainers / sizeof *g_trainers) - 1;
    return i >= 0 && i < n ? g_trainers[i] : NULL;
}

const rs_trainer_ops *rs_trainer_find(const char *name) {
    for (int i = 0; g_trainers[i]; i++)
        if (name && !strcmp(g_trainers[i]->name, name)) return g_trainers[i];
    rs_set_error("unknown algorithm '%s'", name ? name : "(none)");
    return NULL;
}

const rs_trainer_ops *rs_trainer_for_format(const char *format_train) {
    for (int i = 0; format_train && g_trainers[i]; i++)
        if (!strcmp(g_trainers[i]->train_format, format_train)) return g_trainers[i];
    return NULL;
}

void rs_trainer_stats_fill(rs_trainer_stats *out, long iter, long step, int episodes,
                           const rs_trainer_window *w, int n_terms) {
    memset(out, 0, sizeof *out);
    out->iter = iter;
    out->step = step;
    out->episodes = episodes;
    out->window = w->n;
    rs_trainer_window_mean(w, n_terms, &out->ep_return, &out->ep_length, out->ep_terms);
}

int rs_trainer_save(const rs_trainer_ops *ops, const void *t, const char *path) {
    rs_st *st = rs_st_new();
    if (!st) return -1;
    /* the policy's const-ness is the trainer's: policy() does not change t */
    int rc = rs_policy_to_st(ops->policy((void *)t), st);
    if (!rc) {
        char *cfg = ops->config_to_json(ops->config(t));
        rs_st_set_meta(st, "train_config", cfg ? cfg : "{}");
        free(cfg);
        /* not a policy file: soups and evaluation refuse it */
        rs_st_set_meta(st, "format", RS_TRAIN_FORMAT);
        rs_st_set_meta(st, "format_train", ops->train_format);
        rc = ops->save_state(t, st);
    }
    if (!rc) rc = rs_st_save(st, path);
    rs_st_free(st);
    return rc ? -1 : 0;
}

int rs_trainer_init(const rs_trainer_ops *ops, void *t, const char *path) {
    char file[1024];
    rs_st *st;
    rs_policy *run = ops->policy(t);
    rs_policy *q = rs_trainer_open_init(path, run, ops->run_info(ops->config(t)).arch, &st, file,
                                        sizeof file);
    if (!q) return -1;
    rs_mlp_copy(run->pi, q->pi);
    int rc = ops->init_state(t, st, q);
    if (rc == 0) rs_trainer_stamp_init(run, file);
    rs_policy_free(q);
    rs_st_free(st);
    return rc ? -1 : 0;
}

int rs_trainer_load(const rs_trainer_ops *ops, void *t, const char *path) {
    rs_st *st = rs_st_load(path);
    if (!st) return -1;
    rs_policy *run = ops->policy(t), *q = NULL;
    int rc = -1;
    const char *fmt = rs_st_meta(st, "format_train");
    if (!fmt || strcmp(fmt, ops->train_format)) {
        rs_set_error("not a %s training checkpoint (format_train '%s')", ops->title,
                     fmt ? fmt : "(none)");
        goto out;
    }
    q = rs_policy_from_train_st(st, path);
    if (!q) goto out;
    if (q->algo != run->algo || !rs_mlp_same_shape(q->pi, run->pi) || q->obs_dim != run->obs_dim ||
        q->act_dim != run->act_dim) {
        rs_set_error("policy shapes differ from the config");
        goto out;
    }
    rs_mlp_copy(run->pi, q->pi);
    if (run->log_std) memcpy(run->log_std, q->log_std, sizeof(float) * (size_t)run->act_dim);
    memcpy(run->norm->mean, q->norm->mean, sizeof(double) * (size_t)run->obs_dim);
    memcpy(run->norm->var, q->norm->var, sizeof(double) * (size_t)run->obs_dim);
    run->norm->count = q->norm->count;
    snprintf(run->init, sizeof run->init, "%s", q->init);
    rc = ops->load_state(t, st);
out:
    if (rc) rs_trainer_resume_error(path);
    rs_policy_free(q);
    rs_st_free(st);
    return rc;
}

uint64_t rs_trainer_eval_seed(long run_seed) {
    return (uint64_t)run_seed + RS_TRAINER_EVAL_SEED_OFFSET;
}

int rs_trainer_evaluate(const rs_trainer_ops *ops, void *t, int episodes, rs_eval_result *out) {
    const rs_vecenv *v = ops->vecenv(t);
    const long seed = ops->run_info(ops->config(t)).seed;
    return rs_eval_policy(ops->policy(t), v->spec, v->model, episodes, rs_trainer_eval_seed(seed),
                          1, v->pool, out);
}
