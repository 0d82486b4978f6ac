/* rs_eval.c — parallel deterministic episodes. */
#include "rs_eval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const rs_policy *p;
    const rs_env_spec *s;
    mjModel *model;
    uint64_t seed;
    int deterministic;
    rs_eval_result *out;
    long *steps; /* per episode */
    int failed;
    char err[512];
} eval_ctx;

static void run_episodes(void *arg, int b, int e_end, int worker) {
    eval_ctx *c = arg;
    const rs_policy *p = c->p;
    const int O = p->obs_dim, A = p->act_dim, W = p->pi->sizes[p->pi->n_layers];
    const float bound = p->act_bound;
    rs_env *env = rs_env_new(c->s, c->model, NULL, c->seed, 0);
    float *buf = malloc(sizeof(float) * (2 * (size_t)O + W + 2 * (size_t)A + rs_mlp_scratch_size(p->pi)));
    if (!env || !buf) {
        c->failed = 1;
        snprintf(c->err, sizeof c->err, "%s", rs_last_error());
        rs_env_free(env);
        free(buf);
        return;
    }
    float *obs = buf, *nobs = obs + O, *out = nobs + O, *act = out + W, *scratch = act + 2 * A;
    rs_rng noise;
    for (int ep = b; ep < e_end; ep++) {
        rs_env_seed(env, c->seed, (uint64_t)ep);
        rs_rng_seed(&noise, c->seed, (uint64_t)ep + (1ull << 40));
        rs_env_reset(env, obs);
        double *terms = c->out->terms + (size_t)ep * c->s->n_terms;
        memset(terms, 0, sizeof(double) * c->s->n_terms);
        int len = 0, term = 0, trunc = 0;
        while (!term && !trunc) {
            rs_normalizer_apply(p->norm, obs, nobs, 1);
            rs_mlp_forward1(p->pi, nobs, out, scratch);
            for (int j = 0; j < A; j++) {
                float a;
                if (p->algo == RS_ALGO_SAC) {
                    float mu = out[j];
                    if (!c->deterministic) {
                        float ls = out[A + j];
                        ls = ls < -5 ? -5 : (ls > 2 ? 2 : ls);
                        mu += expf(ls) * (float)rs_rng_normal(&noise);
                    }
                    a = bound * tanhf(mu);
                } else {
                    a = out[j];
                    if (!c->deterministic) a += expf(p->log_std[j]) * (float)rs_rng_normal(&noise);
                }
                act[j] = a < -bound ? -bound : (a > bound ? bound : a);
            }
            double t[RS_MAX_TERMS];
            if (rs_env_step(env, act, obs, t, NULL, &term, &trunc) != 0) {
                c->failed = 1;
                snprintf(c->err, sizeof c->err, "episode %d: %s", ep, rs_last_error());
                term = 1;
                break;
            }
            for (int k = 0; k < c->s->n_terms; k++) terms[k] += t[k];
            len++;
        }
        c->out->length[ep] = len;
        c->steps[ep] = len;
    }
    (void)worker;
    free(buf);
    rs_env_free(env);
}

int rs_eval_policy(const rs_policy *p, const rs_env_spec *s, const mjModel *model, int episodes,
                   uint64_t seed, int deterministic, rs_pool *pool, rs_eval_result *out) {
    memset(out, 0, sizeof *out);
    if (episodes < 1) {
        rs_set_error("need at least one episode");
        return -1;
    }
    if (s->obs_dim != p->obs_dim || s->act_dim != p->act_dim) {
        rs_set_error("policy (obs %d, act %d) does not fit env '%s' (obs %d, act %d)", p->obs_dim,
                     p->act_dim, s->name, s->obs_dim, s->act_dim);
        return -1;
    }
    mjModel *own = NULL;
    if (!model) {
        own = rs_model_load(s, NULL);
        if (!own) return -1;
        model = own;
    }
    out->episodes = episodes;
    out->n_terms = s->n_terms;
    out->terms = rs_calloc((size_t)episodes * s->n_terms, sizeof(double));
    out->length = rs_calloc((size_t)episodes, sizeof(int));
    long *steps = rs_calloc((size_t)episodes, sizeof(long));
    if (!out->terms || !out->length || !steps) {
        free(steps);
        rs_eval_result_free(out);
        if (own) mj_deleteModel(own);
        return -1;
    }
    eval_ctx c = {p, s, (mjModel *)model, seed, deterministic, out, steps, 0, ""};
    double t0 = rs_now();
    rs_pool_run(pool, episodes, run_episodes, &c);
    out->seconds = rs_now() - t0;
    for (int i = 0; i < episodes; i++) out->steps += steps[i];
    free(steps);
    if (own) mj_deleteModel(own);
    if (c.failed) {
        rs_set_error("%s", c.err);
        rs_eval_result_free(out);
        return -1;
    }
    return 0;
}

void rs_eval_result_free(rs_eval_result *r) {
    if (!r) return;
    free(r->terms);
    free(r->length);
    r->terms = NULL;
    r->length = NULL;
}

void rs_eval_reward_stats(const rs_eval_result *r, const double *w, double *mean, double *std) {
    double m = 0, v = 0;
    for (int i = 0; i < r->episodes; i++) {
        double x = 0;
        for (int k = 0; k < r->n_terms; k++) x += w[k] * r->terms[(size_t)i * r->n_terms + k];
        m += x;
    }
    m /= r->episodes;
    for (int i = 0; i < r->episodes; i++) {
        double x = 0;
        for (int k = 0; k < r->n_terms; k++) x += w[k] * r->terms[(size_t)i * r->n_terms + k];
        v += (x - m) * (x - m);
    }
    *mean = m;
    *std = sqrt(v / r->episodes);
}

void rs_eval_term_stats(const rs_eval_result *r, int term, double *mean, double *std) {
    double w[RS_MAX_TERMS] = {0};
    w[term] = 1.0;
    rs_eval_reward_stats(r, w, mean, std);
}
