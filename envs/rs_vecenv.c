/* rs_vecenv.c — batched stepping on the thread pool. */
#include "rs_vecenv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* every buffer of a vecenv of n envs, in its one block (O: obs_dim, T: n_terms) */
#define VECENV_BUFFERS(X)                                                                          \
    X(rs_env *, envs, n)                                                                           \
    X(float, obs, (size_t)n * O)                                                                   \
    X(float, final_obs, (size_t)n * O)                                                             \
    X(float, rewards, n)                                                                           \
    X(double, terms, (size_t)n * T)                                                                \
    X(unsigned char, terminated, n)                                                                \
    X(unsigned char, truncated, n)                                                                 \
    X(double, ep_return, n)                                                                        \
    X(double, ep_terms, (size_t)n * T)                                                             \
    X(int, ep_len, n)                                                                              \
    X(double, done_return, n)                                                                      \
    X(double, done_terms, (size_t)n * T)                                                           \
    X(int, done_len, n)

rs_vecenv *rs_vecenv_new(const rs_env_spec *s, const char *model_path, int n,
                         const double *weights, uint64_t seed, rs_pool *pool, int threads) {
    if (n < 1) {
        rs_set_error("need at least one env (got %d)", n);
        return NULL;
    }
    rs_vecenv *v = rs_calloc(1, sizeof *v);
    if (!v) return NULL;
    v->spec = s;
    v->n = n;
    v->obs_dim = s->obs_dim;
    v->act_dim = s->act_dim;
    v->n_terms = s->n_terms;
    v->model = rs_model_load(s, model_path);
    if (!v->model) goto fail;
    const size_t O = (size_t)s->obs_dim, T = (size_t)s->n_terms;
    RS_BLOCK_NEW(VECENV_BUFFERS, v);
    if (!v->block) goto fail;
    for (int i = 0; i < n; i++) {
        v->envs[i] = rs_env_new(s, v->model, weights, seed, (uint64_t)i);
        if (!v->envs[i]) goto fail;
    }
    if (pool) {
        v->pool = pool;
    } else {
        v->pool = rs_pool_new(threads);
        v->owns_pool = 1;
        if (!v->pool) goto fail;
    }
    rs_vecenv_reset(v);
    return v;
fail:
    rs_vecenv_free(v);
    return NULL;
}

void rs_vecenv_free(rs_vecenv *v) {
    if (!v) return;
    if (v->envs)
        for (int i = 0; i < v->n; i++) rs_env_free(v->envs[i]);
    if (v->owns_pool) rs_pool_free(v->pool);
    if (v->model) mj_deleteModel(v->model);
    free(v->block);
    free(v);
}

void rs_vecenv_set_weights(rs_vecenv *v, const double *w) {
    for (int i = 0; i < v->n; i++) memcpy(v->envs[i]->weights, w, sizeof(double) * v->n_terms);
}

void rs_vecenv_reset(rs_vecenv *v) {
    for (int i = 0; i < v->n; i++) {
        rs_env_reset(v->envs[i], v->obs + (size_t)i * v->obs_dim);
        v->ep_return[i] = 0;
        v->ep_len[i] = 0;
        memset(v->ep_terms + (size_t)i * v->n_terms, 0, sizeof(double) * v->n_terms);
        v->terminated[i] = v->truncated[i] = 0;
    }
}

void rs_vecenv_reseed(rs_vecenv *v, uint64_t seed, uint64_t stream0) {
    for (int i = 0; i < v->n; i++) rs_env_seed(v->envs[i], seed, stream0 + (uint64_t)i);
    rs_vecenv_reset(v);
}

/* envs are handed out one at a time: an env that resets (MuJoCo clears its
 * whole arena) costs about one more mj_step, so static halves leave one
 * thread waiting. The order does not matter: envs share nothing. */
static void step_range(void *ctx, int b, int e, int worker) {
    rs_vecenv *v = ctx;
    const int od = v->obs_dim, nt = v->n_terms;
    (void)b;
    (void)e;
    (void)worker;
    for (int i; (i = atomic_fetch_add_explicit(&v->next, 1, memory_order_relaxed)) < v->n;) {
        rs_env *env = v->envs[i];
        float *obs = v->obs + (size_t)i * od;
        double *terms = v->terms + (size_t)i * nt;
        double r;
        int term, trunc;
        rs_env_step(env, v->actions + (size_t)i * v->act_dim, obs, terms, &r, &term, &trunc);
        v->rewards[i] = (float)r;
        v->terminated[i] = (unsigned char)term;
        v->truncated[i] = (unsigned char)trunc;
        v->ep_return[i] += r;
        v->ep_len[i]++;
        double *et = v->ep_terms + (size_t)i * nt;
        for (int k = 0; k < nt; k++) et[k] += terms[k];
        if (term || trunc) {
            memcpy(v->final_obs + (size_t)i * od, obs, sizeof(float) * od);
            v->done_return[i] = v->ep_return[i];
            v->done_len[i] = v->ep_len[i];
            memcpy(v->done_terms + (size_t)i * nt, et, sizeof(double) * nt);
            v->ep_return[i] = 0;
            v->ep_len[i] = 0;
            memset(et, 0, sizeof(double) * nt);
            rs_env_reset(env, obs);
        }
    }
}

int rs_vecenv_step(rs_vecenv *v, const float *actions) {
    /* validate first: a bad action must not leave half the batch stepped */
    const size_t na = (size_t)v->n * v->act_dim;
    for (size_t k = 0; k < na; k++) {
        if (!isfinite(actions[k])) {
            rs_set_error("%s: action of env %zu, dimension %zu is %g; non-finite actions never "
                         "reach the simulation",
                         v->spec->name, k / v->act_dim, k % v->act_dim, (double)actions[k]);
            return -1;
        }
    }
    v->actions = actions;
    atomic_store_explicit(&v->next, 0, memory_order_relaxed);
    int workers = rs_pool_size(v->pool) < v->n ? rs_pool_size(v->pool) : v->n;
    rs_pool_run(v->pool, workers, step_range, v);
    v->actions = NULL;
    for (int i = 0; i < v->n; i++) v->episodes += v->terminated[i] | v->truncated[i];
    return 0;
}

/* ---- saving and restoring ---- */

int rs_vecenv_save_state(const rs_vecenv *v, const rs_state_io *io) {
    const mjModel *m = v->model;
    const int N = v->n;
    const size_t nq = (size_t)m->nq, nv = (size_t)m->nv, na = (size_t)m->na;
    size_t widest = nq > nv ? nq : nv;
    if (na > widest) widest = na;
    if (widest < 8) widest = 8;
    if ((size_t)v->n_terms > widest) widest = (size_t)v->n_terms;
    double *q = rs_malloc(sizeof(double) * (size_t)N * widest);
    int64_t *ib = rs_malloc(sizeof(int64_t) * (size_t)N * 8);
    int rc = !q || !ib ? -1 : 0;
    if (!rc) {
        for (int i = 0; i < N; i++)
            memcpy(q + i * nq, v->envs[i]->d->qpos, sizeof(double) * nq);
        rc |= io->put(io->ctx, "env.qpos", RS_STATE_F64, N, (int64_t)nq, q);
        for (int i = 0; i < N; i++)
            memcpy(q + i * nv, v->envs[i]->d->qvel, sizeof(double) * nv);
        rc |= io->put(io->ctx, "env.qvel", RS_STATE_F64, N, (int64_t)nv, q);
        for (int i = 0; i < N; i++)
            memcpy(q + i * nv, v->envs[i]->d->qacc_warmstart, sizeof(double) * nv);
        rc |= io->put(io->ctx, "env.qacc_warmstart", RS_STATE_F64, N, (int64_t)nv, q);
        if (na) {
            for (int i = 0; i < N; i++)
                memcpy(q + i * na, v->envs[i]->d->act, sizeof(double) * na);
            rc |= io->put(io->ctx, "env.act", RS_STATE_F64, N, (int64_t)na, q);
        }
        for (int i = 0; i < N; i++) {
            const rs_env *e = v->envs[i];
            double *r = q + (size_t)i * 8;
            r[0] = e->d->time;
            r[1] = e->init_z;
            r[2] = v->ep_return[i];
            r[3] = e->energy_acc;
            memcpy(r + 4, e->before, sizeof e->before);
        }
        rc |= io->put(io->ctx, "env.scalars", RS_STATE_F64, N, 8, q);
        rc |= io->put(io->ctx, "env.ep_terms", RS_STATE_F64, N, v->n_terms, v->ep_terms);
        for (int i = 0; i < N; i++) {
            rs_rng_pack(&v->envs[i]->rng, ib + i * 8);
            ib[i * 8 + 6] = v->envs[i]->t;
            ib[i * 8 + 7] = v->ep_len[i];
        }
        rc |= io->put(io->ctx, "env.rng_t_len", RS_STATE_I64, N, 8, ib);
        rc |= io->put(io->ctx, "env.obs", RS_STATE_F32, N, v->obs_dim, v->obs);
        int64_t ep = v->episodes;
        rc |= io->put(io->ctx, "env.episodes", RS_STATE_I64, 1, 0, &ep);
    }
    free(q);
    free(ib);
    return rc ? -1 : 0;
}

int rs_vecenv_load_state(rs_vecenv *v, const rs_state_io *io) {
    const mjModel *m = v->model;
    const int N = v->n;
    const double *d;
    if (!(d = io->get(io->ctx, "env.qpos", RS_STATE_F64, N, m->nq))) return -1;
    for (int i = 0; i < N; i++)
        memcpy(v->envs[i]->d->qpos, d + (size_t)i * m->nq, sizeof(double) * m->nq);
    if (!(d = io->get(io->ctx, "env.qvel", RS_STATE_F64, N, m->nv))) return -1;
    for (int i = 0; i < N; i++)
        memcpy(v->envs[i]->d->qvel, d + (size_t)i * m->nv, sizeof(double) * m->nv);
    if (!(d = io->get(io->ctx, "env.qacc_warmstart", RS_STATE_F64, N, m->nv))) return -1;
    for (int i = 0; i < N; i++)
        memcpy(v->envs[i]->d->qacc_warmstart, d + (size_t)i * m->nv, sizeof(double) * m->nv);
    if (m->na) {
        if (!(d = io->get(io->ctx, "env.act", RS_STATE_F64, N, m->na))) return -1;
        for (int i = 0; i < N; i++)
            memcpy(v->envs[i]->d->act, d + (size_t)i * m->na, sizeof(double) * m->na);
    }
    if (!(d = io->get(io->ctx, "env.scalars", RS_STATE_F64, N, 8))) return -1;
    for (int i = 0; i < N; i++) {
        const double *r = d + (size_t)i * 8;
        rs_env *e = v->envs[i];
        e->d->time = r[0];
        e->init_z = r[1];
        v->ep_return[i] = r[2];
        e->energy_acc = r[3];
        memcpy(e->before, r + 4, sizeof e->before);
    }
    if (!(d = io->get(io->ctx, "env.ep_terms", RS_STATE_F64, N, v->n_terms))) return -1;
    memcpy(v->ep_terms, d, sizeof(double) * (size_t)N * v->n_terms);
    const int64_t *ib = io->get(io->ctx, "env.rng_t_len", RS_STATE_I64, N, 8);
    if (!ib) return -1;
    for (int i = 0; i < N; i++) {
        const int64_t *r = ib + (size_t)i * 8;
        if (rs_rng_unpack(&v->envs[i]->rng, r) != 0) return -1;
        v->envs[i]->t = (int)r[6];
        v->ep_len[i] = (int)r[7];
    }
    const float *o = io->get(io->ctx, "env.obs", RS_STATE_F32, N, v->obs_dim);
    if (!o) return -1;
    memcpy(v->obs, o, sizeof(float) * (size_t)N * v->obs_dim);
    const int64_t *ep = io->get(io->ctx, "env.episodes", RS_STATE_I64, 1, 0);
    if (!ep) return -1;
    int64_t e;
    memcpy(&e, ep, sizeof e);
    v->episodes = (long)e;
    return 0;
}
