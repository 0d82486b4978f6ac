/* rs_safetensors.c — read and write .safetensors files (see the header for
 * the format). The JSON header goes through cJSON; every byte order question
 * is answered explicitly, so the files are the same on any host. */
#include "rs_safetensors.h"

#include "rs_common.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct rs_st {
    rs_tensor *t; /* tensors, insertion order */
    int n, cap;
    char **mkey, **mval; /* metadata, insertion order */
    int nm, capm;
};

/* ---- dtypes ---- */

static const struct {
    const char *name;
    size_t size;
} g_dtypes[] = {
    [RS_DT_F32] = {"F32", 4}, [RS_DT_F64] = {"F64", 8}, [RS_DT_I32] = {"I32", 4},
    [RS_DT_I64] = {"I64", 8}, [RS_DT_U8] = {"U8", 1},
};
#define N_DTYPES ((int)(sizeof g_dtypes / sizeof g_dtypes[0]))

static int dtype_ok(rs_dtype dt) { return (int)dt >= 0 && (int)dt < N_DTYPES; }

size_t rs_dtype_size(rs_dtype dt) { return dtype_ok(dt) ? g_dtypes[dt].size : 0; }

const char *rs_dtype_name(rs_dtype dt) { return dtype_ok(dt) ? g_dtypes[dt].name : "?"; }

int rs_dtype_parse(const char *name, rs_dtype *out) {
    for (int i = 0; i < N_DTYPES; i++) {
        if (name && strcmp(name, g_dtypes[i].name) == 0) {
            *out = (rs_dtype)i;
            return 0;
        }
    }
    rs_set_error("unsupported dtype '%s' (rsoup reads F32, F64, I32, I64, U8)",
                 name ? name : "(null)");
    return -1;
}

/* ---- byte order ----
 * Tensors are stored little-endian. On a little-endian host (x86_64, arm64)
 * the copies below are plain memcpy; a big-endian host swaps each element. */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define RS_HOST_BIG_ENDIAN 1
#else
#define RS_HOST_BIG_ENDIAN 0
#endif

static void copy_le(void *dst, const void *src, size_t nbytes, size_t elsize) {
    if (!RS_HOST_BIG_ENDIAN || elsize == 1) {
        if (nbytes) memcpy(dst, src, nbytes);
        return;
    }
    const unsigned char *s = src;
    unsigned char *d = dst;
    for (size_t i = 0; i < nbytes; i += elsize)
        for (size_t k = 0; k < elsize; k++) d[i + k] = s[i + elsize - 1 - k];
}

static void swap_in_place(void *p, size_t nbytes, size_t elsize) {
    if (!RS_HOST_BIG_ENDIAN || elsize == 1) return;
    unsigned char *b = p;
    for (size_t i = 0; i < nbytes; i += elsize)
        for (size_t k = 0; k < elsize / 2; k++) {
            unsigned char c = b[i + k];
            b[i + k] = b[i + elsize - 1 - k];
            b[i + elsize - 1 - k] = c;
        }
}

static void put_u64_le(unsigned char b[8], uint64_t v) {
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64_le(const unsigned char b[8]) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)b[i] << (8 * i);
    return v;
}

/* ---- small helpers ---- */

/* the header must be UTF-8 (Python decodes it strictly), so names and
 * metadata are checked on the way in and on the way out */
static int utf8_valid(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i < len) return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        i += len;
    }
    return 1;
}

static int str_utf8(const char *s) { return utf8_valid((const unsigned char *)s, strlen(s)); }

/* bytes of a tensor with this dtype and shape; -1 on a negative dim or overflow */
static int tensor_nbytes(rs_dtype dt, int ndim, const int64_t *shape, size_t *out) {
    uint64_t n = rs_dtype_size(dt);
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0) return -1;
        if (__builtin_mul_overflow(n, (uint64_t)shape[d], &n)) return -1;
    }
    if (n > (uint64_t)INT64_MAX || n > (uint64_t)SIZE_MAX) return -1;
    *out = (size_t)n;
    return 0;
}

/* "[64, 17]" into buf */
static const char *fmt_shape(char *buf, size_t cap, int ndim, const int64_t *shape) {
    size_t used = (size_t)snprintf(buf, cap, "[");
    for (int d = 0; d < ndim && used < cap; d++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%" PRId64, d ? ", " : "", shape[d]);
    if (used < cap) snprintf(buf + used, cap - used, "]");
    return buf;
}

/* ---- the set ---- */

rs_st *rs_st_new(void) { return rs_calloc(1, sizeof(rs_st)); }

void rs_st_free(rs_st *st) {
    if (!st) return;
    for (int i = 0; i < st->n; i++) {
        free(st->t[i].name);
        free(st->t[i].data);
    }
    for (int i = 0; i < st->nm; i++) {
        free(st->mkey[i]);
        free(st->mval[i]);
    }
    free(st->t);
    free(st->mkey);
    free(st->mval);
    free(st);
}

int64_t rs_tensor_numel(const rs_tensor *t) {
    int64_t n = 1;
    for (int d = 0; d < t->ndim; d++) n *= t->shape[d];
    return n;
}

int rs_st_count(const rs_st *st) { return st ? st->n : 0; }

const rs_tensor *rs_st_at(const rs_st *st, int i) {
    return (st && i >= 0 && i < st->n) ? &st->t[i] : NULL;
}

const rs_tensor *rs_st_get(const rs_st *st, const char *name) {
    if (!st || !name) return NULL;
    for (int i = 0; i < st->n; i++)
        if (strcmp(st->t[i].name, name) == 0) return &st->t[i];
    return NULL;
}

/* Append a tensor with uninitialised data; no duplicate check (callers do it).
 * Returns the new tensor or NULL with an error set. */
static rs_tensor *add_uninit(rs_st *st, const char *name, rs_dtype dtype, int ndim,
                             const int64_t *shape, size_t nbytes) {
    if (st->n == st->cap) {
        int ncap = st->cap ? 2 * st->cap : 16;
        rs_tensor *nt = realloc(st->t, (size_t)ncap * sizeof *nt);
        if (!nt) {
            rs_set_error("out of memory adding tensor '%s'", name);
            return NULL;
        }
        st->t = nt;
        st->cap = ncap;
    }
    rs_tensor *t = &st->t[st->n];
    memset(t, 0, sizeof *t);
    t->name = rs_strdup(name);
    t->data = rs_malloc(nbytes);
    if (!t->name || !t->data) {
        free(t->name);
        free(t->data);
        return NULL;
    }
    t->dtype = dtype;
    t->ndim = ndim;
    for (int d = 0; d < ndim; d++) t->shape[d] = shape[d];
    t->nbytes = nbytes;
    st->n++;
    return t;
}

int rs_st_add(rs_st *st, const char *name, rs_dtype dtype, int ndim, const int64_t *shape,
              const void *data) {
    if (!st || !name) {
        rs_set_error("rs_st_add: NULL set or name");
        return -1;
    }
    if (!name[0] || strcmp(name, "__metadata__") == 0) {
        rs_set_error("tensor name '%s' is not allowed", name);
        return -1;
    }
    if (!str_utf8(name)) {
        rs_set_error("tensor name '%s' is not valid UTF-8", name);
        return -1;
    }
    if (!dtype_ok(dtype)) {
        rs_set_error("tensor '%s': invalid dtype %d", name, (int)dtype);
        return -1;
    }
    if (ndim < 0 || ndim > RS_ST_MAX_DIMS || (ndim > 0 && !shape)) {
        rs_set_error("tensor '%s': ndim %d outside 0..%d", name, ndim, RS_ST_MAX_DIMS);
        return -1;
    }
    size_t nbytes;
    if (tensor_nbytes(dtype, ndim, shape, &nbytes) < 0) {
        char sb[128];
        rs_set_error("tensor '%s': bad shape %s (negative dim or too large)", name,
                     fmt_shape(sb, sizeof sb, ndim, shape));
        return -1;
    }
    if (nbytes && !data) {
        rs_set_error("tensor '%s': data is NULL", name);
        return -1;
    }
    if (rs_st_get(st, name)) {
        rs_set_error("duplicate tensor name '%s'", name);
        return -1;
    }
    rs_tensor *t = add_uninit(st, name, dtype, ndim, shape, nbytes);
    if (!t) return -1;
    if (nbytes) memcpy(t->data, data, nbytes);
    return 0;
}

int rs_st_add_f32(rs_st *st, const char *name, int ndim, const int64_t *shape, const float *data) {
    return rs_st_add(st, name, RS_DT_F32, ndim, shape, data);
}

int rs_st_add_f64(rs_st *st, const char *name, int ndim, const int64_t *shape,
                  const double *data) {
    return rs_st_add(st, name, RS_DT_F64, ndim, shape, data);
}

int rs_st_expect(const rs_st *st, const char *name, rs_dtype dtype, int ndim,
                 const int64_t *shape, const rs_tensor **out) {
    const rs_tensor *t = rs_st_get(st, name);
    if (!t) {
        rs_set_error("tensor '%s' not found", name ? name : "(null)");
        return -1;
    }
    if (t->dtype != dtype) {
        rs_set_error("tensor '%s': dtype %s, expected %s", name, rs_dtype_name(t->dtype),
                     rs_dtype_name(dtype));
        return -1;
    }
    if (ndim >= 0) {
        int same = t->ndim == ndim;
        for (int d = 0; same && d < ndim; d++) same = t->shape[d] == shape[d];
        if (!same) {
            char got[128], want[128];
            rs_set_error("tensor '%s': shape %s, expected %s", name,
                         fmt_shape(got, sizeof got, t->ndim, t->shape),
                         fmt_shape(want, sizeof want, ndim, shape));
            return -1;
        }
    }
    if (out) *out = t;
    return 0;
}

/* ---- metadata ---- */

int rs_st_set_meta(rs_st *st, const char *key, const char *value) {
    if (!st || !key || !value) {
        rs_set_error("rs_st_set_meta: NULL argument");
        return -1;
    }
    if (!str_utf8(key) || !str_utf8(value)) {
        rs_set_error("metadata '%s': key or value is not valid UTF-8", key);
        return -1;
    }
    char *v = rs_strdup(value);
    if (!v) return -1;
    for (int i = 0; i < st->nm; i++) {
        if (strcmp(st->mkey[i], key) == 0) {
            free(st->mval[i]);
            st->mval[i] = v;
            return 0;
        }
    }
    if (st->nm == st->capm) {
        int ncap = st->capm ? 2 * st->capm : 16;
        char **nk = realloc(st->mkey, (size_t)ncap * sizeof *nk);
        if (nk) st->mkey = nk;
        char **nv = nk ? realloc(st->mval, (size_t)ncap * sizeof *nv) : NULL;
        if (nv) st->mval = nv;
        if (!nk || !nv) {
            free(v);
            rs_set_error("out of memory adding metadata '%s'", key);
            return -1;
        }
        st->capm = ncap;
    }
    char *k = rs_strdup(key);
    if (!k) {
        free(v);
        return -1;
    }
    st->mkey[st->nm] = k;
    st->mval[st->nm] = v;
    st->nm++;
    return 0;
}

const char *rs_st_meta(const rs_st *st, const char *key) {
    if (!st || !key) return NULL;
    for (int i = 0; i < st->nm; i++)
        if (strcmp(st->mkey[i], key) == 0) return st->mval[i];
    return NULL;
}

int rs_st_meta_count(const rs_st *st) { return st ? st->nm : 0; }

int rs_st_meta_at(const rs_st *st, int i, const char **key, const char **value) {
    if (!st || i < 0 || i >= st->nm) {
        rs_set_error("metadata index %d out of range", i);
        return -1;
    }
    if (key) *key = st->mkey[i];
    if (value) *value = st->mval[i];
    return 0;
}

/* ---- save ---- */

/* a JSON integer printed exactly (cJSON would print doubles, and 1e+15 is not
 * an integer to a strict reader) */
static cJSON *json_int(uint64_t v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return cJSON_CreateRaw(buf);
}

static int add_int(cJSON *arr, uint64_t v) {
    cJSON *x = json_int(v);
    if (!x) return -1;
    if (!cJSON_AddItemToArray(arr, x)) {
        cJSON_Delete(x);
        return -1;
    }
    return 0;
}

/* the JSON header, unpadded; caller frees with cJSON_free */
static char *build_header(const rs_st *st) {
    cJSON *root = cJSON_CreateObject();
    if (!root) goto oom;
    if (st->nm > 0) {
        cJSON *meta = cJSON_AddObjectToObject(root, "__metadata__");
        if (!meta) goto oom;
        for (int i = 0; i < st->nm; i++)
            if (!cJSON_AddStringToObject(meta, st->mkey[i], st->mval[i])) goto oom;
    }
    uint64_t off = 0;
    for (int i = 0; i < st->n; i++) {
        const rs_tensor *t = &st->t[i];
        cJSON *e = cJSON_AddObjectToObject(root, t->name);
        if (!e || !cJSON_AddStringToObject(e, "dtype", rs_dtype_name(t->dtype))) goto oom;
        cJSON *shape = cJSON_AddArrayToObject(e, "shape");
        if (!shape) goto oom;
        for (int d = 0; d < t->ndim; d++)
            if (add_int(shape, (uint64_t)t->shape[d]) < 0) goto oom;
        cJSON *offs = cJSON_AddArrayToObject(e, "data_offsets");
        if (!offs || add_int(offs, off) < 0 || add_int(offs, off + t->nbytes) < 0) goto oom;
        off += t->nbytes;
    }
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!s) rs_set_error("out of memory printing the safetensors header");
    return s;
oom:
    cJSON_Delete(root);
    rs_set_error("out of memory building the safetensors header");
    return NULL;
}

/* write everything to f; -1 on the first short write (errno set) */
static int write_all(FILE *f, const rs_st *st, const char *header, size_t hlen, size_t padded) {
    unsigned char len8[8];
    put_u64_le(len8, padded);
    if (fwrite(len8, 1, 8, f) != 8) return -1;
    if (fwrite(header, 1, hlen, f) != hlen) return -1;
    for (size_t i = hlen; i < padded; i++)
        if (fputc(' ', f) == EOF) return -1;
    for (int i = 0; i < st->n; i++) {
        const rs_tensor *t = &st->t[i];
        size_t es = rs_dtype_size(t->dtype);
        if (RS_HOST_BIG_ENDIAN && es > 1) {
            /* swap through a small buffer, a whole number of elements at a time */
            unsigned char buf[4096];
            const unsigned char *p = t->data;
            for (size_t done = 0; done < t->nbytes;) {
                size_t k = t->nbytes - done < sizeof buf ? t->nbytes - done : sizeof buf;
                copy_le(buf, p + done, k, es);
                if (fwrite(buf, 1, k, f) != k) return -1;
                done += k;
            }
        } else if (t->nbytes && fwrite(t->data, 1, t->nbytes, f) != t->nbytes) {
            return -1;
        }
    }
    return 0;
}

typedef struct {
    const rs_st *st;
    const char *header;
    size_t hlen, padded;
} save_ctx;

static int write_cb(FILE *f, void *ctx) {
    const save_ctx *c = ctx;
    return write_all(f, c->st, c->header, c->hlen, c->padded) < 0 ? -1 : 0;
}

int rs_st_save(const rs_st *st, const char *path) {
    if (!st || !path) {
        rs_set_error("rs_st_save: NULL set or path");
        return -1;
    }
    char *header = build_header(st);
    if (!header) return -1;
    size_t hlen = strlen(header);
    size_t padded = (hlen + 7) & ~(size_t)7; /* data starts 8-aligned, as the reference writer does */
    save_ctx c = {st, header, hlen, padded};
    int rc = rs_write_atomic(path, write_cb, &c);
    cJSON_free(header);
    return rc;
}

/* ---- load ---- */

typedef struct {
    const char *name; /* points into the cJSON tree */
    rs_dtype dtype;
    int ndim;
    int64_t shape[RS_ST_MAX_DIMS];
    uint64_t begin, end;
} st_entry;

static void load_error(const char *path, const char *fmt, ...) RS_PRINTF(2, 3);
static void load_error(const char *path, const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rs_set_error("safetensors '%s': %s", path, msg);
}

/* 2^53: from here on a JSON number may not be the integer that was written
 * (9007199254740993 reads as 2^53 itself) */
#define JSON_INT_MAX 9007199254740992.0

/* 1 if j is a JSON number holding an integer in (-2^53, 2^53) */
static int json_is_int(const cJSON *j) {
    if (!cJSON_IsNumber(j)) return 0;
    double d = j->valuedouble;
    return d == floor(d) && fabs(d) < JSON_INT_MAX;
}

static int parse_entry(const char *path, const cJSON *e, st_entry *out) {
    const char *name = e->string;
    out->name = name;
    if (!cJSON_IsObject(e)) {
        load_error(path, "tensor '%s': entry is not a JSON object", name);
        return -1;
    }
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(e, "dtype");
    const cJSON *shape = cJSON_GetObjectItemCaseSensitive(e, "shape");
    const cJSON *offs = cJSON_GetObjectItemCaseSensitive(e, "data_offsets");
    if (!dt || !shape || !offs) {
        load_error(path, "tensor '%s': missing \"%s\"", name,
                   !dt ? "dtype" : !shape ? "shape" : "data_offsets");
        return -1;
    }
    if (!cJSON_IsString(dt)) {
        load_error(path, "tensor '%s': \"dtype\" is not a string", name);
        return -1;
    }
    if (rs_dtype_parse(dt->valuestring, &out->dtype) < 0) {
        load_error(path, "tensor '%s': unsupported dtype '%s' (rsoup reads F32, F64, I32, I64, U8)",
                   name, dt->valuestring);
        return -1;
    }
    if (!cJSON_IsArray(shape)) {
        load_error(path, "tensor '%s': \"shape\" is not an array", name);
        return -1;
    }
    int nd = cJSON_GetArraySize(shape);
    if (nd > RS_ST_MAX_DIMS) {
        load_error(path, "tensor '%s': shape has %d dims, rsoup supports at most %d", name, nd,
                   RS_ST_MAX_DIMS);
        return -1;
    }
    out->ndim = nd;
    int d = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, shape) {
        if (!json_is_int(x)) {
            load_error(path, "tensor '%s': shape must hold integers", name);
            return -1;
        }
        if (x->valuedouble < 0) {
            load_error(path, "tensor '%s': negative dimension %.0f in shape", name, x->valuedouble);
            return -1;
        }
        out->shape[d++] = (int64_t)x->valuedouble;
    }
    if (!cJSON_IsArray(offs) || cJSON_GetArraySize(offs) != 2 ||
        !json_is_int(cJSON_GetArrayItem(offs, 0)) || !json_is_int(cJSON_GetArrayItem(offs, 1)) ||
        cJSON_GetArrayItem(offs, 0)->valuedouble < 0 ||
        cJSON_GetArrayItem(offs, 1)->valuedouble < 0) {
        load_error(path, "tensor '%s': \"data_offsets\" must be [begin, end], two non-negative integers",
                   name);
        return -1;
    }
    out->begin = (uint64_t)cJSON_GetArrayItem(offs, 0)->valuedouble;
    out->end = (uint64_t)cJSON_GetArrayItem(offs, 1)->valuedouble;
    char sb[128];
    size_t need;
    if (tensor_nbytes(out->dtype, out->ndim, out->shape, &need) < 0) {
        load_error(path, "tensor '%s': shape %s is too large", name,
                   fmt_shape(sb, sizeof sb, out->ndim, out->shape));
        return -1;
    }
    if (out->end < out->begin || out->end - out->begin != (uint64_t)need) {
        load_error(path,
                   "tensor '%s': data_offsets [%" PRIu64 ", %" PRIu64 "] do not match shape %s of %s (%zu bytes)",
                   name, out->begin, out->end, fmt_shape(sb, sizeof sb, out->ndim, out->shape),
                   rs_dtype_name(out->dtype), need);
        return -1;
    }
    return 0;
}

static int cmp_offsets(const void *a, const void *b) {
    const st_entry *x = *(st_entry *const *)a, *y = *(st_entry *const *)b;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return 0;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp((*(st_entry *const *)a)->name, (*(st_entry *const *)b)->name);
}

static int parse_metadata(const char *path, const cJSON *meta, rs_st *st) {
    if (!cJSON_IsObject(meta)) {
        load_error(path, "\"__metadata__\" is not a JSON object");
        return -1;
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, meta) {
        if (!cJSON_IsString(m)) {
            load_error(path, "metadata value for key '%s' is not a string", m->string);
            return -1;
        }
        if (rs_st_meta(st, m->string)) {
            load_error(path, "duplicate metadata key '%s'", m->string);
            return -1;
        }
        if (rs_st_set_meta(st, m->string, m->valuestring) < 0) return -1;
    }
    return 0;
}

/* validate the parsed header against a data buffer of data_len bytes and read
 * the tensors from f (positioned at the start of the buffer) into st */
static int load_tensors(const char *path, const cJSON *root, FILE *f, uint64_t data_len,
                        rs_st *st) {
    int count = cJSON_GetArraySize(root);
    st_entry *ents = rs_calloc((size_t)count, sizeof *ents);
    st_entry **ord = rs_calloc((size_t)count, sizeof *ord);
    int ok = -1, n = 0, seen_meta = 0;
    if (!ents || !ord) goto done;

    const cJSON *e;
    cJSON_ArrayForEach(e, root) {
        if (strcmp(e->string, "__metadata__") == 0) {
            if (seen_meta++) {
                load_error(path, "\"__metadata__\" appears twice");
                goto done;
            }
            if (parse_metadata(path, e, st) < 0) goto done;
            continue;
        }
        if (parse_entry(path, e, &ents[n]) < 0) goto done;
        ord[n] = &ents[n];
        n++;
    }

    /* duplicate names: cJSON keeps both copies of a repeated key */
    qsort(ord, (size_t)n, sizeof *ord, cmp_names);
    for (int i = 1; i < n; i++) {
        if (strcmp(ord[i - 1]->name, ord[i]->name) == 0) {
            load_error(path, "duplicate tensor name '%s'", ord[i]->name);
            goto done;
        }
    }

    /* the tensors must tile the data buffer exactly */
    qsort(ord, (size_t)n, sizeof *ord, cmp_offsets);
    uint64_t pos = 0;
    for (int i = 0; i < n; i++) {
        if (ord[i]->begin < pos) {
            load_error(path, "tensors '%s' and '%s' overlap in the data buffer", ord[i - 1]->name,
                       ord[i]->name);
            goto done;
        }
        if (ord[i]->begin > pos) {
            load_error(path, "hole in the data buffer: bytes [%" PRIu64 ", %" PRIu64 ") before tensor '%s' belong to no tensor",
                       pos, ord[i]->begin, ord[i]->name);
            goto done;
        }
        pos = ord[i]->end;
    }
    if (pos > data_len) {
        load_error(path, "truncated data: tensor '%s' ends at byte %" PRIu64 " of the data buffer, which holds only %" PRIu64 " bytes",
                   ord[n - 1]->name, pos, data_len);
        goto done;
    }
    if (pos < data_len) {
        load_error(path, "%" PRIu64 " bytes after the last tensor belong to no tensor (hole at the end of the data buffer)",
                   data_len - pos);
        goto done;
    }

    /* tensors go into the set in header order; the data is read in file order */
    rs_tensor **slot = (rs_tensor **)rs_calloc((size_t)n, sizeof *slot);
    if (!slot) goto done;
    for (int i = 0; i < n; i++) {
        rs_tensor *t = add_uninit(st, ents[i].name, ents[i].dtype, ents[i].ndim, ents[i].shape,
                                  (size_t)(ents[i].end - ents[i].begin));
        if (!t) {
            free(slot);
            goto done;
        }
    }
    /* st->t may have moved while growing, so take addresses only now */
    for (int i = 0; i < n; i++) slot[i] = &st->t[st->n - n + (ord[i] - ents)];
    for (int i = 0; i < n; i++) {
        rs_tensor *t = slot[i];
        if (t->nbytes && fread(t->data, 1, t->nbytes, f) != t->nbytes) {
            if (ferror(f))
                load_error(path, "read error in tensor '%s': %s", t->name, strerror(errno));
            else
                load_error(path, "truncated data: file ended inside tensor '%s'", t->name);
            free(slot);
            goto done;
        }
        swap_in_place(t->data, t->nbytes, rs_dtype_size(t->dtype));
    }
    free(slot);
    ok = 0;
done:
    free(ents);
    free(ord);
    return ok;
}

/* the file at path: every tensor, or (meta_only) the metadata alone; with
 * shape_of, also that tensor's header entry into *ent (NULL + error when the
 * header has none) */
static rs_st *load_file(const char *path, int meta_only, const char *shape_of, st_entry *ent) {
    if (!path) {
        rs_set_error("rs_st_load: NULL path");
        return NULL;
    }
    FILE *f = rs_fopen_regular(path, "rb");
    if (!f) {
        if (errno == ENOENT || errno == EACCES || errno == ENOTDIR)
            rs_set_error("cannot open safetensors file '%s': %s", path, strerror(errno));
        else
            rs_set_error("safetensors file '%s' is not a regular file", path);
        return NULL;
    }
    rs_st *st = NULL;
    char *hbuf = NULL;
    cJSON *root = NULL;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0) {
        load_error(path, "cannot stat: %s", strerror(errno));
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        load_error(path, "not a regular file");
        goto fail;
    }
    uint64_t fsize = (uint64_t)sb.st_size;
    unsigned char len8[8];
    if (fsize < 8 || fread(len8, 1, 8, f) != 8) {
        load_error(path, "file is truncated: %" PRIu64 " bytes, too short for the 8-byte header length",
                   fsize);
        goto fail;
    }
    uint64_t hlen = get_u64_le(len8);
    if (hlen > RS_ST_MAX_HEADER) {
        load_error(path, "header length %" PRIu64 " is absurd (limit %u): not a safetensors file?",
                   hlen, RS_ST_MAX_HEADER);
        goto fail;
    }
    if (hlen > fsize - 8) {
        load_error(path, "header length %" PRIu64 " is larger than the %" PRIu64 " bytes left in the file (truncated?)",
                   hlen, fsize - 8);
        goto fail;
    }
    hbuf = rs_malloc((size_t)hlen + 1);
    if (!hbuf) goto fail;
    if (fread(hbuf, 1, (size_t)hlen, f) != (size_t)hlen) {
        load_error(path, "truncated header: %s", ferror(f) ? strerror(errno) : "unexpected end of file");
        goto fail;
    }
    hbuf[hlen] = 0;
    if (!utf8_valid((const unsigned char *)hbuf, (size_t)hlen)) {
        load_error(path, "header is not valid UTF-8");
        goto fail;
    }
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(hbuf, (size_t)hlen, &end, 0);
    if (!root) {
        load_error(path, "header is not valid JSON (error near byte %td of %" PRIu64 ")",
                   end ? end - hbuf : (ptrdiff_t)-1, hlen);
        goto fail;
    }
    /* only padding may follow the JSON value */
    for (const char *p = end; p < hbuf + hlen; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            load_error(path, "header has unexpected bytes after the JSON (at byte %td)", p - hbuf);
            goto fail;
        }
    }
    if (!cJSON_IsObject(root)) {
        load_error(path, "header is not a JSON object");
        goto fail;
    }
    st = rs_st_new();
    if (!st) goto fail;
    if (meta_only) {
        const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "__metadata__");
        if (meta && parse_metadata(path, meta, st) < 0) goto fail;
        if (shape_of) {
            const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, shape_of);
            if (!e || !strcmp(shape_of, "__metadata__")) {
                load_error(path, "no tensor '%s'", shape_of);
                goto fail;
            }
            if (parse_entry(path, e, ent) < 0) goto fail;
        }
    } else if (load_tensors(path, root, f, fsize - 8 - hlen, st) < 0) {
        goto fail;
    }
    cJSON_Delete(root);
    free(hbuf);
    fclose(f);
    return st;
fail:
    rs_st_free(st);
    cJSON_Delete(root);
    free(hbuf);
    fclose(f);
    return NULL;
}

rs_st *rs_st_load(const char *path) { return load_file(path, 0, NULL, NULL); }

rs_st *rs_st_load_meta(const char *path) { return load_file(path, 1, NULL, NULL); }

int rs_st_header_shape(const char *path, const char *name, int64_t shape[RS_ST_MAX_DIMS]) {
    st_entry e;
    rs_st *st = load_file(path, 1, name, &e);
    if (!st) return -1;
    rs_st_free(st);
    memcpy(shape, e.shape, sizeof e.shape);
    return e.ndim;
}
