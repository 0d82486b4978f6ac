/* rs_ckpt.c — nets, optimisers, RNGs and env states as safetensors tensors. */
#include "rs_ckpt.h"

#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rs_ckpt_add_mlp(rs_st *st, const char *prefix, const rs_mlp *m) {
    for (int l = 0; l < m->n_layers; l++) {
        char name[96];
        int64_t shw[2] = {m->sizes[l + 1], m->sizes[l]}, shb = m->sizes[l + 1];
        snprintf(name, sizeof name, "%s.%d.weight", prefix, l);
        if (rs_st_add_f32(st, name, 2, shw, m->W[l])) return -1;
        snprintf(name, sizeof name, "%s.%d.bias", prefix, l);
        if (rs_st_add_f32(st, name, 1, &shb, m->b[l])) return -1;
    }
    return 0;
}

int rs_ckpt_get_mlp(const rs_st *st, const char *prefix, rs_mlp *m) {
    for (int l = 0; l < m->n_layers; l++) {
        char name[96];
        const rs_tensor *t;
        int64_t shw[2] = {m->sizes[l + 1], m->sizes[l]}, shb = m->sizes[l + 1];
        snprintf(name, sizeof name, "%s.%d.weight", prefix, l);
        if (rs_st_expect(st, name, RS_DT_F32, 2, shw, &t)) return -1;
        memcpy(m->W[l], t->data, t->nbytes);
        snprintf(name, sizeof name, "%s.%d.bias", prefix, l);
        if (rs_st_expect(st, name, RS_DT_F32, 1, &shb, &t)) return -1;
        memcpy(m->b[l], t->data, t->nbytes);
    }
    /* a net with more layers than this one would slip through the loop */
    char name[96];
    snprintf(name, sizeof name, "%s.%d.weight", prefix, m->n_layers);
    if (rs_st_get(st, name)) {
        rs_set_error("tensor '%s': the checkpoint's net has more layers than %d", name,
                     m->n_layers);
        return -1;
    }
    return 0;
}

int rs_ckpt_add_adam(rs_st *st, const char *prefix, const rs_adam *a) {
    char name[96];
    int64_t n = (int64_t)a->n, one = 1, t = a->t;
    snprintf(name, sizeof name, "%s.m", prefix);
    if (rs_st_add_f32(st, name, 1, &n, a->m)) return -1;
    snprintf(name, sizeof name, "%s.v", prefix);
    if (rs_st_add_f32(st, name, 1, &n, a->v)) return -1;
    snprintf(name, sizeof name, "%s.t", prefix);
    return rs_st_add(st, name, RS_DT_I64, 1, &one, &t);
}

int rs_ckpt_get_adam(const rs_st *st, const char *prefix, rs_adam *a) {
    char name[96];
    const rs_tensor *t;
    int64_t n = (int64_t)a->n, one = 1, tv;
    snprintf(name, sizeof name, "%s.m", prefix);
    if (rs_st_expect(st, name, RS_DT_F32, 1, &n, &t)) return -1;
    memcpy(a->m, t->data, t->nbytes);
    snprintf(name, sizeof name, "%s.v", prefix);
    if (rs_st_expect(st, name, RS_DT_F32, 1, &n, &t)) return -1;
    memcpy(a->v, t->data, t->nbytes);
    snprintf(name, sizeof name, "%s.t", prefix);
    if (rs_st_expect(st, name, RS_DT_I64, 1, &one, &t)) return -1;
    memcpy(&tv, t->data, sizeof tv);
    a->t = (long)tv;
    return 0;
}

void rs_ckpt_rng_pack(const rs_rng *r, int64_t *o) {
    for (int i = 0; i < 4; i++)
        o[i] = (int64_t)r->s[i];
    o[4] = r->has_spare;
    memcpy(&o[5], &r->spare, sizeof(double));
}

int rs_ckpt_rng_unpack(rs_rng *r, const int64_t *o) {
    double spare;
    memcpy(&spare, &o[5], sizeof spare);
    /* xoshiro never reaches the all-zero state (it would stay there, and
     * the normal sampler would draw zeros forever): only a damaged file
     * holds it */
    if ((o[0] | o[1] | o[2] | o[3]) == 0 || (o[4] != 0 && o[4] != 1) || !isfinite(spare)) {
        rs_set_error("damaged random-number state (all zero, or a bad cached normal)");
        return -1;
    }
    for (int i = 0; i < 4; i++)
        r->s[i] = (uint64_t)o[i];
    r->has_spare = (int)o[4];
    r->spare = spare;
    return 0;
}

int rs_ckpt_add_vecenv(rs_st *st, const rs_vecenv *v) {
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
    int64_t sh[2] = {N, 0};
    /* what mj_step reads (qpos, qvel, act, the solver's warm start, time), so
     * a resumed run is bit-identical */
    if (!rc) {
        sh[1] = (int64_t)nq;
        for (int i = 0; i < N; i++)
            memcpy(q + i * nq, v->envs[i]->d->qpos, sizeof(double) * nq);
        rc |= rs_st_add(st, "env.qpos", RS_DT_F64, 2, sh, q);
        sh[1] = (int64_t)nv;
        for (int i = 0; i < N; i++)
            memcpy(q + i * nv, v->envs[i]->d->qvel, sizeof(double) * nv);
        rc |= rs_st_add(st, "env.qvel", RS_DT_F64, 2, sh, q);
        for (int i = 0; i < N; i++)
            memcpy(q + i * nv, v->envs[i]->d->qacc_warmstart, sizeof(double) * nv);
        rc |= rs_st_add(st, "env.qacc_warmstart", RS_DT_F64, 2, sh, q);
        if (na) {
            sh[1] = (int64_t)na;
            for (int i = 0; i < N; i++)
                memcpy(q + i * na, v->envs[i]->d->act, sizeof(double) * na);
            rc |= rs_st_add(st, "env.act", RS_DT_F64, 2, sh, q);
        }
        sh[1] = 8;
        for (int i = 0; i < N; i++) {
            const rs_env *e = v->envs[i];
            double *r = q + (size_t)i * 8;
            r[0] = e->d->time;
            r[1] = e->init_z;
            r[2] = v->ep_return[i];
            r[3] = e->energy_acc;
            memcpy(r + 4, e->before, sizeof e->before);
        }
        rc |= rs_st_add(st, "env.scalars", RS_DT_F64, 2, sh, q);
        sh[1] = v->n_terms;
        rc |= rs_st_add(st, "env.ep_terms", RS_DT_F64, 2, sh, v->ep_terms);
        sh[1] = 8;
        for (int i = 0; i < N; i++) {
            rs_ckpt_rng_pack(&v->envs[i]->rng, ib + i * 8);
            ib[i * 8 + 6] = v->envs[i]->t;
            ib[i * 8 + 7] = v->ep_len[i];
        }
        rc |= rs_st_add(st, "env.rng_t_len", RS_DT_I64, 2, sh, ib);
        sh[1] = v->obs_dim;
        rc |= rs_st_add_f32(st, "env.obs", 2, sh, v->obs);
        int64_t one = 1, ep = v->episodes;
        rc |= rs_st_add(st, "env.episodes", RS_DT_I64, 1, &one, &ep);
    }
    free(q);
    free(ib);
    return rc ? -1 : 0;
}

int rs_ckpt_get_vecenv(const rs_st *st, rs_vecenv *v) {
    const mjModel *m = v->model;
    const int N = v->n;
    const rs_tensor *t;
    int64_t sh[2] = {N, m->nq};
    if (rs_st_expect(st, "env.qpos", RS_DT_F64, 2, sh, &t)) return -1;
    for (int i = 0; i < N; i++)
        memcpy(v->envs[i]->d->qpos, (const double *)t->data + (size_t)i * m->nq,
               sizeof(double) * m->nq);
    sh[1] = m->nv;
    if (rs_st_expect(st, "env.qvel", RS_DT_F64, 2, sh, &t)) return -1;
    for (int i = 0; i < N; i++)
        memcpy(v->envs[i]->d->qvel, (const double *)t->data + (size_t)i * m->nv,
               sizeof(double) * m->nv);
    if (rs_st_expect(st, "env.qacc_warmstart", RS_DT_F64, 2, sh, &t)) return -1;
    for (int i = 0; i < N; i++)
        memcpy(v->envs[i]->d->qacc_warmstart, (const double *)t->data + (size_t)i * m->nv,
               sizeof(double) * m->nv);
    if (m->na) {
        sh[1] = m->na;
        if (rs_st_expect(st, "env.act", RS_DT_F64, 2, sh, &t)) return -1;
        for (int i = 0; i < N; i++)
            memcpy(v->envs[i]->d->act, (const double *)t->data + (size_t)i * m->na,
                   sizeof(double) * m->na);
    }
    sh[1] = 8;
    if (rs_st_expect(st, "env.scalars", RS_DT_F64, 2, sh, &t)) return -1;
    for (int i = 0; i < N; i++) {
        const double *r = (const double *)t->data + (size_t)i * 8;
        rs_env *e = v->envs[i];
        e->d->time = r[0];
        e->init_z = r[1];
        v->ep_return[i] = r[2];
        e->energy_acc = r[3];
        memcpy(e->before, r + 4, sizeof e->before);
    }
    sh[1] = v->n_terms;
    if (rs_st_expect(st, "env.ep_terms", RS_DT_F64, 2, sh, &t)) return -1;
    memcpy(v->ep_terms, t->data, t->nbytes);
    sh[1] = 8;
    if (rs_st_expect(st, "env.rng_t_len", RS_DT_I64, 2, sh, &t)) return -1;
    for (int i = 0; i < N; i++) {
        const int64_t *r = (const int64_t *)t->data + (size_t)i * 8;
        if (rs_ckpt_rng_unpack(&v->envs[i]->rng, r) != 0) return -1;
        v->envs[i]->t = (int)r[6];
        v->ep_len[i] = (int)r[7];
    }
    sh[1] = v->obs_dim;
    if (rs_st_expect(st, "env.obs", RS_DT_F32, 2, sh, &t)) return -1;
    memcpy(v->obs, t->data, t->nbytes);
    int64_t one = 1;
    if (rs_st_expect(st, "env.episodes", RS_DT_I64, 1, &one, &t)) return -1;
    int64_t ep;
    memcpy(&ep, t->data, sizeof ep);
    v->episodes = (long)ep;
    /* nothing is recomputed: mj_step derives everything from qpos, qvel, act
     * and the warm start, and the robots' pre-step quantities were restored */
    return 0;
}
