/* rs_eval.c — parallel deterministic episodes. */
#include "rs_eval.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

/* one episode of policy p from the start state (seed, ep): fills terms and
 * returns the length, or -1 (error set) */
static int run_episode(const rs_policy *p, rs_env *env, uint64_t seed, int ep, int deterministic,
                       float *buf, double *terms, double *act_sq, long *act_sat) {
    const int O = p->obs_dim, A = p->act_dim, W = p->pi->sizes[p->pi->n_layers];
    const rs_env_spec *s = env->spec;
    float *obs = buf, *nobs = obs + O, *out = nobs + O, *act = out + W, *scratch = act + 2 * A;
    rs_rng noise;
    rs_env_seed(env, seed, (uint64_t)ep);
    rs_rng_seed(&noise, seed, (uint64_t)ep + (1ull << 40));
    rs_env_reset(env, obs);
    memset(terms, 0, sizeof(double) * s->n_terms);
    int len = 0, term = 0, trunc = 0;
    const float sat = RS_EVAL_SAT * p->act_bound;
    double sq = 0;
    long nsat = 0;
    while (!term && !trunc) {
        rs_normalizer_apply(p->norm, obs, nobs, 1);
        rs_mlp_forward1(p->pi, nobs, out, scratch);
        rs_policy_head(p, out, deterministic ? NULL : &noise, act);
        for (int j = 0; j < A; j++) {
            sq += (double)act[j] * act[j];
            nsat += fabsf(act[j]) >= sat;
        }
        double t[RS_MAX_TERMS];
        if (rs_env_step(env, act, obs, t, NULL, &term, &trunc) != 0) return -1;
        for (int k = 0; k < s->n_terms; k++) terms[k] += t[k];
        len++;
    }
    *act_sq = sq;
    *act_sat = nsat;
    return len;
}

static size_t episode_buf_floats(const rs_policy *p) {
    return 2 * (size_t)p->obs_dim + (size_t)p->pi->sizes[p->pi->n_layers] + 2 * (size_t)p->act_dim +
           rs_mlp_scratch_size(p->pi);
}

typedef struct {
    rs_policy *const *pols;
    int n_pol, episodes;
    const rs_env_spec *s;
    mjModel *model;
    uint64_t seed;
    int deterministic;
    rs_eval_result *out;
    atomic_long next, done_eps, done_steps;
    atomic_int failed;
    char err[512];
} many_ctx;

static void many_worker(void *arg, int b, int e, int worker) {
    many_ctx *c = arg;
    (void)b;
    (void)e;
    (void)worker;
    size_t nb = 0;
    for (int i = 0; i < c->n_pol; i++) {
        size_t k = episode_buf_floats(c->pols[i]);
        if (k > nb) nb = k;
    }
    rs_env *env = rs_env_new(c->s, c->model, NULL, c->seed, 0);
    float *buf = malloc(sizeof(float) * nb);
    if (!env || !buf) {
        if (!atomic_exchange(&c->failed, 1)) snprintf(c->err, sizeof c->err, "%s", rs_last_error());
        rs_env_free(env);
        free(buf);
        return;
    }
    const long total = (long)c->n_pol * c->episodes;
    for (;;) {
        long task = atomic_fetch_add(&c->next, 1);
        if (task >= total || atomic_load(&c->failed)) break;
        int pi = (int)(task / c->episodes), ep = (int)(task % c->episodes);
        rs_eval_result *r = &c->out[pi];
        int len = run_episode(c->pols[pi], env, c->seed, ep, c->deterministic, buf,
                              r->terms + (size_t)ep * c->s->n_terms, &r->act_sq[ep], &r->act_sat[ep]);
        if (len < 0) {
            if (!atomic_exchange(&c->failed, 1))
                snprintf(c->err, sizeof c->err, "policy %d, episode %d: %s", pi, ep, rs_last_error());
            break;
        }
        r->length[ep] = len;
        atomic_fetch_add(&c->done_eps, 1);
        atomic_fetch_add(&c->done_steps, len);
    }
    free(buf);
    rs_env_free(env);
}

static void *many_runner(void *arg) {
    struct {
        rs_pool *pool;
        many_ctx *c;
    } *a = arg;
    rs_pool_run(a->pool, rs_pool_size(a->pool), many_worker, a->c);
    return NULL;
}

int rs_eval_many(rs_policy *const *pols, int n_pol, const rs_env_spec *s, const mjModel *model,
                 int episodes, uint64_t seed, int deterministic, rs_pool *pool,
                 rs_eval_result *out, rs_eval_progress_fn progress, void *progress_ctx) {
    if (episodes < 1 || n_pol < 1) {
        rs_set_error("need at least one policy and one episode");
        return -1;
    }
    for (int i = 0; i < n_pol; i++) {
        memset(&out[i], 0, sizeof out[i]);
        if (pols[i]->obs_dim != s->obs_dim || pols[i]->act_dim != s->act_dim) {
            rs_set_error("policy %d (obs %d, act %d) does not fit env '%s'", i, pols[i]->obs_dim,
                         pols[i]->act_dim, s->name);
            return -1;
        }
    }
    mjModel *own = NULL;
    if (!model) {
        own = rs_model_load(s, NULL);
        if (!own) return -1;
        model = own;
    }
    int ok = 1;
    for (int i = 0; i < n_pol; i++) {
        out[i].episodes = episodes;
        out[i].n_terms = s->n_terms;
        out[i].terms = rs_calloc((size_t)episodes * s->n_terms, sizeof(double));
        out[i].length = rs_calloc((size_t)episodes, sizeof(int));
        out[i].act_dim = s->act_dim;
        out[i].act_sq = rs_calloc((size_t)episodes, sizeof(double));
        out[i].act_sat = rs_calloc((size_t)episodes, sizeof(long));
        if (!out[i].terms || !out[i].length || !out[i].act_sq || !out[i].act_sat) ok = 0;
    }
    many_ctx *c = rs_calloc(1, sizeof *c);
    if (!ok || !c) {
        for (int i = 0; i < n_pol; i++) rs_eval_result_free(&out[i]);
        free(c);
        if (own) mj_deleteModel(own);
        return -1;
    }
    c->pols = pols;
    c->n_pol = n_pol;
    c->episodes = episodes;
    c->s = s;
    c->model = (mjModel *)model;
    c->seed = seed;
    c->deterministic = deterministic;
    c->out = out;
    double t0 = rs_now();
    if (!progress) {
        rs_pool_run(pool, rs_pool_size(pool), many_worker, c);
    } else {
        /* the workers run on a helper thread so this thread can report */
        pthread_t th;
        struct {
            rs_pool *pool;
            many_ctx *c;
        } arg = {pool, c};
        void *(*runner)(void *) = many_runner;
        pthread_create(&th, NULL, runner, &arg);
        const long total = (long)n_pol * episodes;
        while (atomic_load(&c->done_eps) < total && !atomic_load(&c->failed)) {
            progress(progress_ctx, atomic_load(&c->done_eps), atomic_load(&c->done_steps));
            struct timespec ts = {0, 100000000};
            nanosleep(&ts, NULL);
        }
        pthread_join(th, NULL);
        progress(progress_ctx, atomic_load(&c->done_eps), atomic_load(&c->done_steps));
    }
    double dt = rs_now() - t0;
    int rc = 0;
    if (atomic_load(&c->failed)) {
        rs_set_error("%s", c->err);
        for (int i = 0; i < n_pol; i++) rs_eval_result_free(&out[i]);
        rc = -1;
    } else {
        for (int i = 0; i < n_pol; i++) {
            out[i].seconds = dt;
            for (int k = 0; k < episodes; k++) out[i].steps += out[i].length[k];
        }
    }
    free(c);
    if (own) mj_deleteModel(own);
    return rc;
}

int rs_eval_policy(const rs_policy *p, const rs_env_spec *s, const mjModel *model, int episodes,
                   uint64_t seed, int deterministic, rs_pool *pool, rs_eval_result *out) {
    rs_policy *one = (rs_policy *)p; /* rs_eval_many only reads the policies */
    return rs_eval_many(&one, 1, s, model, episodes, seed, deterministic, pool, out, NULL, NULL);
}

void rs_eval_result_free(rs_eval_result *r) {
    if (!r) return;
    free(r->terms);
    free(r->length);
    free(r->act_sq);
    free(r->act_sat);
    r->terms = NULL;
    r->length = NULL;
    r->act_sq = NULL;
    r->act_sat = NULL;
}

double rs_eval_episode_reward(const rs_eval_result *r, int i, const double *w) {
    double x = 0;
    for (int k = 0; k < r->n_terms; k++)
        x += w[k] * r->terms[(size_t)i * r->n_terms + k];
    return x;
}

void rs_eval_reward_stats(const rs_eval_result *r, const double *w, double *mean, double *std) {
    double m = 0, v = 0;
    for (int i = 0; i < r->episodes; i++)
        m += rs_eval_episode_reward(r, i, w);
    m /= r->episodes;
    for (int i = 0; i < r->episodes; i++) {
        double x = rs_eval_episode_reward(r, i, w);
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

void rs_eval_action_stats(const rs_eval_result *r, double *sq_per_step, double *saturated) {
    double sq = 0;
    long sat = 0, steps = 0;
    for (int i = 0; i < r->episodes; i++) {
        sq += r->act_sq[i];
        sat += r->act_sat[i];
        steps += r->length[i];
    }
    *sq_per_step = steps ? sq / (double)steps : 0;
    *saturated = steps && r->act_dim ? (double)sat / ((double)steps * r->act_dim) : 0;
}
