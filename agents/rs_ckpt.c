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

/* the vecenv's state, whose layout is envs/'s (rs_vecenv_save_state), as
 * tensors of its names */
static int put(void *ctx, const char *name, rs_state_type type, int64_t rows, int64_t cols,
               const void *data) {
    static const rs_dtype dt[3] = {RS_DT_F64, RS_DT_F32, RS_DT_I64};
    int64_t sh[2] = {rows, cols};
    return rs_st_add(ctx, name, dt[type], cols ? 2 : 1, sh, data);
}

static const void *get(void *ctx, const char *name, rs_state_type type, int64_t rows,
                       int64_t cols) {
    static const rs_dtype dt[3] = {RS_DT_F64, RS_DT_F32, RS_DT_I64};
    int64_t sh[2] = {rows, cols};
    const rs_tensor *t;
    return rs_st_expect(ctx, name, dt[type], cols ? 2 : 1, sh, &t) ? NULL : t->data;
}

int rs_ckpt_add_vecenv(rs_st *st, const rs_vecenv *v) {
    rs_state_io io = {st, put, NULL};
    return rs_vecenv_save_state(v, &io);
}

int rs_ckpt_get_vecenv(const rs_st *st, rs_vecenv *v) {
    rs_state_io io = {(void *)st, NULL, get};
    return rs_vecenv_load_state(v, &io);
}
