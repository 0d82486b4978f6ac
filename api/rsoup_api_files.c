/* rsoup_api_files.c — include/rsoup.h's files section: safetensors files
 * (rs_st), front CSVs (rs_front_load), the CSV number rule and the
 * generator (rs_rng), each the internal module as it is, so that a binding
 * reads, refuses and writes exactly what the rsoup program does. The
 * handles own what they point to; nothing here prints or exits. */
#include "rsoup.h"

#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_frontfile.h"
#include "rs_safetensors.h"

_Static_assert(RSOUP_MAX_DIMS == RS_ST_MAX_DIMS, "the API's dims are rs_safetensors'");

/* ---- safetensors ---- */

struct rsoup_tensors {
    rs_st *st;
};

static rsoup_tensors *wrap_st(rs_st *st) {
    if (!st) return NULL;
    rsoup_tensors *t = rs_calloc(1, sizeof *t);
    if (!t) {
        rs_st_free(st);
        return NULL;
    }
    t->st = st;
    return t;
}

rsoup_tensors *rsoup_tensors_load(const char *path) {
    if (!path) {
        rs_set_error("rsoup_tensors_load: no path");
        return NULL;
    }
    return wrap_st(rs_st_load(path));
}

rsoup_tensors *rsoup_tensors_new(void) { return wrap_st(rs_st_new()); }

void rsoup_tensors_free(rsoup_tensors *t) {
    if (!t) return;
    rs_st_free(t->st);
    free(t);
}

int rsoup_tensors_count(const rsoup_tensors *t) { return t ? rs_st_count(t->st) : 0; }

int rsoup_tensors_at(rsoup_tensors *t, int i, const char **name, const char **dtype, int *ndim,
                     int64_t *shape, void **data, size_t *nbytes) {
    const rs_tensor *x = t ? rs_st_at(t->st, i) : NULL;
    if (!x) {
        rs_set_error("tensor index %d out of range (%d tensors)", i, rsoup_tensors_count(t));
        return -1;
    }
    if (name) *name = x->name;
    if (dtype) *dtype = rs_dtype_name(x->dtype);
    if (ndim) *ndim = x->ndim;
    if (shape)
        for (int d = 0; d < x->ndim; d++)
            shape[d] = x->shape[d];
    if (data) *data = x->data;
    if (nbytes) *nbytes = x->nbytes;
    return 0;
}

int rsoup_tensors_add(rsoup_tensors *t, const char *name, const char *dtype, int ndim,
                      const int64_t *shape, const void *data) {
    if (!t || !name) {
        rs_set_error("rsoup_tensors_add: no tensors or no name");
        return -1;
    }
    rs_dtype dt;
    if (rs_dtype_parse(dtype, &dt) != 0) {
        rs_set_error("tensor '%s': dtype '%s' (rsoup stores F32, F64, I32, I64, U8)", name,
                     dtype ? dtype : "(none)");
        return -1;
    }
    return rs_st_add(t->st, name, dt, ndim, shape, data);
}

int rsoup_tensors_meta_count(const rsoup_tensors *t) { return t ? rs_st_meta_count(t->st) : 0; }

int rsoup_tensors_meta_at(const rsoup_tensors *t, int i, const char **key, const char **value) {
    if (!t) {
        rs_set_error("rsoup_tensors_meta_at: no tensors");
        return -1;
    }
    return rs_st_meta_at(t->st, i, key, value);
}

int rsoup_tensors_set_meta(rsoup_tensors *t, const char *key, const char *value) {
    if (!t) {
        rs_set_error("rsoup_tensors_set_meta: no tensors");
        return -1;
    }
    return rs_st_set_meta(t->st, key, value);
}

int rsoup_tensors_save(const rsoup_tensors *t, const char *path) {
    if (!t || !path) {
        rs_set_error("rsoup_tensors_save: no tensors or no path");
        return -1;
    }
    return rs_st_save(t->st, path);
}

/* ---- fronts ---- */

struct rsoup_front {
    rs_front *f;
    int truncated;
    char **specs; /* [n_obj]: each objective's reward spec (rs_front_obj_spec) */
};

rsoup_front *rsoup_front_load(const char *path) {
    if (!path) {
        rs_set_error("rsoup_front_load: no path");
        return NULL;
    }
    rsoup_front *h = rs_calloc(1, sizeof *h);
    if (!h) return NULL;
    h->f = rs_front_load(path, &h->truncated);
    if (!h->f) {
        free(h);
        return NULL;
    }
    /* the specs as the file gives them, kept for the handle's life */
    h->specs = rs_calloc((size_t)h->f->n_obj + 1, sizeof *h->specs);
    for (int k = 0; h->specs && k < h->f->n_obj; k++) {
        char buf[1024];
        if (!(h->specs[k] = rs_strdup(rs_front_obj_spec(h->f, k, buf, sizeof buf)))) break;
    }
    if (!h->specs || (h->f->n_obj && !h->specs[h->f->n_obj - 1])) {
        rsoup_front_free(h);
        return NULL;
    }
    return h;
}

void rsoup_front_free(rsoup_front *h) {
    if (!h) return;
    for (int k = 0; h->specs && k < h->f->n_obj; k++) free(h->specs[k]);
    free(h->specs);
    rs_front_free(h->f);
    free(h);
}

int rsoup_front_info(const rsoup_front *h, int *rows, int *n_experts, int *n_obj, int *n_terms,
                     int *plain, int *truncated) {
    if (!h) {
        rs_set_error("rsoup_front_info: no front");
        return -1;
    }
    const rs_front *f = h->f;
    if (rows) *rows = f->n;
    if (n_experts) *n_experts = f->n_experts;
    if (n_obj) *n_obj = f->n_obj;
    if (n_terms) *n_terms = f->n_terms;
    if (plain) *plain = f->plain;
    if (truncated) *truncated = h->truncated;
    return 0;
}

const char *rsoup_front_column(const rsoup_front *h, int j) {
    return h && j >= 0 && j < h->f->n_cols ? h->f->col_names[j] : NULL;
}

const char *rsoup_front_obj_name(const rsoup_front *h, int k) {
    return h && k >= 0 && k < h->f->n_obj ? h->f->obj_names[k] : NULL;
}

const char *rsoup_front_obj_spec(const rsoup_front *h, int k) {
    return h && k >= 0 && k < h->f->n_obj ? h->specs[k] : NULL;
}

int rsoup_front_obj_named(const rsoup_front *h, int k) {
    return h ? rs_front_obj_named(h->f, k) : 0;
}

const char *rsoup_front_term_name(const rsoup_front *h, int k) {
    return h && k >= 0 && k < h->f->n_terms ? h->f->term_names[k] : NULL;
}

int rsoup_front_meta_count(const rsoup_front *h) { return h ? h->f->n_meta : 0; }

int rsoup_front_meta_at(const rsoup_front *h, int i, const char **key, const char **value) {
    if (!h || i < 0 || i >= h->f->n_meta) {
        rs_set_error("front metadata index %d out of range", i);
        return -1;
    }
    if (key) *key = h->f->meta_key[i];
    if (value) *value = h->f->meta_val[i];
    return 0;
}

const char *rsoup_front_kind(const rsoup_front *h, int row) {
    return h && row >= 0 && row < h->f->n ? rs_front_kind_name(h->f->kind[row]) : NULL;
}

const char *rsoup_front_label(const rsoup_front *h, int row) {
    return h && row >= 0 && row < h->f->n ? h->f->label[row] : NULL;
}

const double *rsoup_front_values(const rsoup_front *h, const char *what) {
    if (!h || !what) {
        rs_set_error("rsoup_front_values: no front or no name");
        return NULL;
    }
    const rs_front *f = h->f;
    static const char *const names[] = {"lambda", "obj", "std", "term", "termstd", "length"};
    const double *arr[] = {f->lambda, f->obj, f->std, f->term, f->termstd, f->length};
    const int width[] = {f->n_experts, f->n_obj, f->n_obj, f->n_terms, f->n_terms, 1};
    for (int k = 0; k < 6; k++)
        if (!strcmp(what, names[k])) return f->n && width[k] ? arr[k] : NULL;
    rs_set_error("rsoup_front_values: no column set '%s' (lambda, obj, std, term, termstd, "
                 "length)",
                 what);
    return NULL;
}

const int *rsoup_front_episodes(const rsoup_front *h) {
    return h && h->f->n ? h->f->episodes : NULL;
}

int rsoup_parse_number(const char *s, double *out) {
    double v;
    if (rs_front_parse_num(s, &v) != 0) return -1;
    if (out) *out = v;
    return 0;
}

/* ---- the generator ---- */

struct rsoup_rng {
    rs_rng r;
};

rsoup_rng *rsoup_rng_new(uint64_t seed, uint64_t stream) {
    rsoup_rng *g = rs_calloc(1, sizeof *g);
    if (g) rs_rng_seed(&g->r, seed, stream);
    return g;
}

void rsoup_rng_free(rsoup_rng *g) { free(g); }

uint64_t rsoup_rng_u64(rsoup_rng *g) { return rs_rng_u64(&g->r); }

double rsoup_rng_uniform(rsoup_rng *g) { return rs_rng_uniform(&g->r); }

int rsoup_rng_normals(rsoup_rng *g, double *out, size_t n) {
    if (!g || (n && !out)) {
        rs_set_error("rsoup_rng_normals: no generator or no buffer");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = rs_rng_normal(&g->r);
    return 0;
}
