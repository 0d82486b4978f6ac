/* rs_bench.c — the env and PPO training benches (rs_bench.h). */
#include "rs_bench.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "rs_common.h"
#include "rs_pool.h"
#include "rs_vecenv.h"

/* single-threaded comparisons use the thread's CPU time: on a shared VM,
 * time the host takes the vCPU away (steal) inflates wall time but is not
 * charged to the thread */
static double thread_cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* raw mj_step against the env API on one recorded trajectory */
static int bench_single(const rs_env_spec *s, const char *model_path, long steps, int repeat,
                        rs_rng *rng, rs_bench_env_result *out) {
    /* a user's variant (--model), or the embedded model */
    mjModel *model = model_path ? rs_model_load(s, model_path) : NULL;
    if (model_path && !model) return -1;
    rs_env *e = rs_env_new(s, model, NULL, 7, 0);
    if (!e) {
        if (model) mj_deleteModel(model);
        return -1;
    }
    const mjModel *m = e->m;
    const int nq = m->nq, nv = m->nv, na = s->act_dim;
    float *acts = malloc(sizeof(float) * (size_t)steps * na);
    long cap = steps + 1, nres = 0;
    long *reset_at = malloc(sizeof(long) * (size_t)cap);
    double *reset_state = malloc(sizeof(double) * (size_t)cap * (nq + nv));
    for (long k = 0; k < steps * na; k++)
        acts[k] = (float)rs_rng_uniform_range(rng, -s->act_bound, s->act_bound);

    /* record the trajectory's reset states */
    rs_env_reset(e, NULL);
    for (long t = 0; t < steps; t++) {
        if (t == 0 || e->t == 0) {
            reset_at[nres] = t;
            memcpy(reset_state + nres * (nq + nv), e->d->qpos, sizeof(double) * nq);
            memcpy(reset_state + nres * (nq + nv) + nq, e->d->qvel, sizeof(double) * nv);
            nres++;
        }
        int term, trunc;
        rs_env_step(e, acts + t * na, NULL, NULL, NULL, &term, &trunc);
        if (term || trunc) rs_env_reset(e, NULL);
    }

    float *obs = malloc(sizeof(float) * s->obs_dim);
    double terms[RS_MAX_TERMS];
    out->raw_s = out->env_s = 1e30;
    for (int rep = 0; rep < repeat; rep++) {
        /* raw: restore the recorded state at each reset, then only mj_step */
        mjData *d = e->d;
        double t0 = thread_cpu();
        long r = 0;
        for (long t = 0; t < steps; t++) {
            if (r < nres && reset_at[r] == t) {
                mj_resetData(m, d);
                memcpy(d->qpos, reset_state + r * (nq + nv), sizeof(double) * nq);
                memcpy(d->qvel, reset_state + r * (nq + nv) + nq, sizeof(double) * nv);
                r++;
            }
            const float *a = acts + t * na;
            for (int i = 0; i < na; i++)
                d->ctrl[i] = a[i];
            for (int k = 0; k < s->frame_skip; k++)
                mj_step(m, d);
        }
        double raw = thread_cpu() - t0;
        /* the env API on the same trajectory */
        rs_env_seed(e, 7, 0);
        t0 = thread_cpu();
        rs_env_reset(e, obs);
        for (long t = 0; t < steps; t++) {
            double rew;
            int term, trunc;
            rs_env_step(e, acts + t * na, obs, terms, &rew, &term, &trunc);
            if (term || trunc) rs_env_reset(e, obs);
        }
        double env = thread_cpu() - t0;
        if (raw < out->raw_s) out->raw_s = raw;
        if (env < out->env_s) out->env_s = env;
    }
    out->env_steps = steps;
    free(obs);
    free(acts);
    free(reset_at);
    free(reset_state);
    rs_env_free(e);
    if (model) mj_deleteModel(model);
    return 0;
}

/* batched: the same work on 1 and on T threads */
static int bench_batched(const rs_env_spec *s, const char *model_path, long steps, int threads,
                         int n_envs, int repeat, rs_rng *rng, rs_bench_env_result *out) {
    const int na = s->act_dim;
    long batches = steps / n_envs > 0 ? steps / n_envs : 1;
    out->vec_steps = batches * n_envs;
    out->threads = threads;
    out->n_envs = n_envs;
    float *vacts = malloc(sizeof(float) * (size_t)batches * n_envs * na);
    for (long k = 0; k < batches * n_envs * na; k++)
        vacts[k] = (float)rs_rng_uniform_range(rng, -s->act_bound, s->act_bound);
    rs_vecenv *v1 = rs_vecenv_new(s, model_path, n_envs, NULL, 3, NULL, 1);
    rs_vecenv *vt = v1 ? rs_vecenv_new(s, model_path, n_envs, NULL, 3, NULL, threads) : NULL;
    if (!v1 || !vt) {
        rs_vecenv_free(v1);
        free(vacts);
        return -1;
    }
    out->vec1_s = out->vect_s = 1e30;
    for (int rep = 0; rep < repeat; rep++) {
        rs_vecenv *vs[2] = {v1, vt};
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < n_envs; i++)
                rs_env_seed(vs[w]->envs[i], 3, (uint64_t)i);
            rs_vecenv_reset(vs[w]);
            double t0 = rs_now();
            for (long b = 0; b < batches; b++)
                rs_vecenv_step(vs[w], vacts + b * n_envs * na);
            double dt = rs_now() - t0;
            double *best = w ? &out->vect_s : &out->vec1_s;
            if (dt < *best) *best = dt;
        }
    }
    rs_vecenv_free(v1);
    rs_vecenv_free(vt);
    free(vacts);
    return 0;
}

int rs_bench_env(const rs_env_spec *s, const char *model_path, long steps, int threads, int n_envs,
                 int repeat, rs_bench_env_result *out) {
    /* one action stream: the batched run's actions follow the recorded one's */
    rs_rng rng;
    rs_rng_seed(&rng, 11, 0);
    if (bench_single(s, model_path, steps, repeat, &rng, out) != 0) return -1;
    return bench_batched(s, model_path, steps, threads, n_envs, repeat, &rng, out);
}

int rs_bench_experts(const rs_env_spec *s, int n, rs_policy **out) {
    const int hidden[2] = {64, 64};
    for (int i = 0; i < n; i++)
        out[i] = NULL;
    for (int i = 0; i < n; i++) {
        out[i] = rs_policy_new(RS_ALGO_PPO, s->obs_dim, s->act_dim, (float)s->act_bound, hidden, 2,
                               RS_ACT_TANH);
        if (!out[i]) {
            for (int j = 0; j < i; j++)
                rs_policy_free(out[j]), out[j] = NULL;
            return -1;
        }
        rs_rng rng;
        rs_rng_seed(&rng, 7, (uint64_t)i);
        rs_mlp_init_orthogonal(out[i]->pi, &rng, 1.41421356f, 0.01f);
        snprintf(out[i]->env, sizeof out[i]->env, "%s", s->name);
        const char *preset = s->presets[i < s->n_presets ? i : 0].name;
        snprintf(out[i]->reward, sizeof out[i]->reward, "%s", preset);
        rs_reward_parse(s, preset, out[i]->reward_w);
    }
    return 0;
}

double rs_bench_peak_rss_mb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

int rs_bench_ppo(const rs_ppo_config *c, rs_bench_ppo_result *out) {
    memset(out, 0, sizeof *out);
    const rs_env_spec *s = rs_env_find(c->env);
    if (!s) return -1;
    /* env only */
    rs_vecenv *v = rs_vecenv_new(s, NULL, c->n_envs, NULL, 1, NULL, c->threads);
    if (!v) return -1;
    float *act = malloc(sizeof(float) * (size_t)c->n_envs * s->act_dim);
    if (!act) {
        rs_vecenv_free(v);
        rs_set_error("out of memory");
        return -1;
    }
    rs_rng rng;
    rs_rng_seed(&rng, 1, 99);
    long batches = c->total_steps / c->n_envs;
    double t0 = rs_now();
    for (long b = 0; b < batches; b++) {
        for (int k = 0; k < c->n_envs * s->act_dim; k++)
            act[k] = (float)rs_rng_uniform_range(&rng, -s->act_bound, s->act_bound);
        rs_vecenv_step(v, act);
    }
    out->env_sps = (double)batches * c->n_envs / (rs_now() - t0);
    out->threads = rs_pool_size(v->pool);
    free(act);
    rs_vecenv_free(v);
    /* training */
    rs_ppo *p = rs_ppo_new(c);
    if (!p) return -1;
    rs_ppo_stats st;
    t0 = rs_now();
    while (rs_ppo_update_index(p) < rs_ppo_num_updates(p)) {
        if (rs_ppo_iterate(p, &st) != 0) {
            rs_set_error("train: %s", rs_last_error());
            rs_ppo_free(p);
            return -1;
        }
        out->rollout_s += st.rollout_s;
        out->update_s += st.update_s;
        out->env_s += st.env_s;
    }
    out->wall_s = rs_now() - t0;
    out->steps = rs_ppo_global_step(p);
    rs_ppo_free(p);
    out->peak_rss_mb = rs_bench_peak_rss_mb();
    return 0;
}
