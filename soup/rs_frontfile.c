/* rs_frontfile.c — writing, loading and resuming front CSVs (format in the
 * header). */
#include "rs_frontfile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_common.h"

/* ---- kinds ---- */

static const char *const g_kinds[RS_KIND_COUNT] = {"soup", "expert", "baseline", "init", "point"};

const char *rs_front_kind_name(rs_front_kind k) {
    return (int)k >= 0 && k < RS_KIND_COUNT ? g_kinds[k] : "?";
}

static int kind_lookup(const char *s, size_t len) {
    for (int k = 0; k < RS_KIND_COUNT; k++)
        if (strlen(g_kinds[k]) == len && strncmp(g_kinds[k], s, len) == 0) return k;
    return -1;
}

int rs_front_kind_parse(const char *name, rs_front_kind *out) {
    int k = kind_lookup(name, strlen(name));
    if (k < 0) {
        rs_set_error("unknown row kind '%s' (valid: soup, expert, baseline, init, point)", name);
        return -1;
    }
    *out = (rs_front_kind)k;
    return 0;
}

int rs_front_kinds_parse(const char *list, unsigned *mask) {
    unsigned m = 0;
    const char *p = list;
    for (;;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        int k = kind_lookup(p, len);
        if (k < 0) {
            rs_set_error("kinds '%s': unknown kind '%.*s' (valid: soup, expert, baseline, init, "
                         "point)",
                         list, (int)len, p);
            return -1;
        }
        m |= RS_KIND_BIT(k);
        if (!c) break;
        p = c + 1;
    }
    *mask = m;
    return 0;
}

/* ---- building ---- */

static int name_ok(const char *what, const char *s) {
    if (!s || !*s) {
        rs_set_error("front: empty %s name", what);
        return -1;
    }
    if (strpbrk(s, ",\n\r")) {
        rs_set_error("front: %s name '%s' contains a comma or a line break", what, s);
        return -1;
    }
    return 0;
}

static char **copy_names(const char *what, int n, const char *const *names) {
    char **out = rs_calloc((size_t)(n ? n : 1), sizeof *out);
    if (!out) return NULL;
    for (int i = 0; i < n; i++) {
        int bad = name_ok(what, names ? names[i] : NULL) < 0;
        for (int j = 0; !bad && j < i; j++)
            if (!strcmp(names[i], names[j])) {
                rs_set_error("front: %s name '%s' appears twice", what, names[i]);
                bad = 1;
            }
        if (bad || !(out[i] = rs_strdup(names[i]))) {
            for (int j = 0; j < i; j++)
                free(out[j]);
            free(out);
            return NULL;
        }
    }
    return out;
}

rs_front *rs_front_new(int n_experts, int n_obj, const char *const *obj_names, int n_terms,
                       const char *const *term_names) {
    if (n_experts < 0 || n_obj < 0 || n_terms < 0) {
        rs_set_error("front: negative size");
        return NULL;
    }
    rs_front *f = rs_calloc(1, sizeof *f);
    if (!f) return NULL;
    f->n_experts = n_experts;
    f->n_obj = n_obj;
    f->n_terms = n_terms;
    f->obj_names = copy_names("objective", n_obj, obj_names);
    if (!f->obj_names) {
        free(f);
        return NULL;
    }
    f->term_names = copy_names("term", n_terms, term_names);
    if (!f->term_names) {
        f->n_terms = 0;
        rs_front_free(f);
        return NULL;
    }
    return f;
}

void rs_front_free(rs_front *f) {
    if (!f) return;
    for (int i = 0; i < f->n_meta; i++) {
        free(f->meta_key[i]);
        free(f->meta_val[i]);
    }
    free(f->meta_key);
    free(f->meta_val);
    for (int i = 0; f->obj_specs && i < f->n_obj; i++)
        free(f->obj_specs[i]);
    free(f->obj_specs);
    for (int i = 0; i < f->n_obj; i++)
        free(f->obj_names[i]);
    for (int i = 0; i < f->n_terms; i++)
        free(f->term_names[i]);
    for (int i = 0; i < f->n; i++)
        free(f->label[i]);
    free(f->obj_names);
    free(f->term_names);
    free(f->kind);
    free(f->label);
    free(f->lambda);
    free(f->episodes);
    free(f->obj);
    free(f->std);
    free(f->term);
    free(f->termstd);
    free(f->length);
    for (int j = 0; j < f->n_cols; j++)
        free(f->col_names[j]);
    free(f->col_names);
    free(f);
}

const char *rs_front_meta(const rs_front *f, const char *key) {
    for (int i = f->n_meta - 1; i >= 0; i--)
        if (!strcmp(f->meta_key[i], key)) return f->meta_val[i];
    return NULL;
}

int rs_front_set_meta(rs_front *f, const char *key, const char *value) {
    char **k = realloc(f->meta_key, sizeof *k * (size_t)(f->n_meta + 1));
    if (k) f->meta_key = k;
    char **v = realloc(f->meta_val, sizeof *v * (size_t)(f->n_meta + 1));
    if (v) f->meta_val = v;
    char *ks = strdup(key), *vs = strdup(value);
    if (!k || !v || !ks || !vs) {
        free(ks);
        free(vs);
        rs_set_error("out of memory");
        return -1;
    }
    for (char *c = vs; *c; c++)
        if (*c == '\n' || *c == '\r') *c = ' ';
    f->meta_key[f->n_meta] = ks;
    f->meta_val[f->n_meta] = vs;
    f->n_meta++;
    return 0;
}

int rs_front_write_meta(FILE *fp, const rs_front *f) {
    for (int i = 0; i < f->n_meta; i++)
        if (fprintf(fp, "# %s: %s\n", f->meta_key[i], f->meta_val[i]) < 0) {
            rs_set_error("write error: %s", strerror(errno));
            return -1;
        }
    for (int k = 0; f->obj_specs && k < f->n_obj; k++)
        if (f->obj_specs[k] &&
            fprintf(fp, "# reward %s: %s\n", f->obj_names[k], f->obj_specs[k]) < 0) {
            rs_set_error("write error: %s", strerror(errno));
            return -1;
        }
    return 0;
}

/* objective k's spec (owned copy), making the array when it is missing */
static int put_obj_spec(rs_front *f, int k, const char *spec) {
    if (!f->obj_specs && !(f->obj_specs = rs_calloc((size_t)f->n_obj + 1, sizeof *f->obj_specs)))
        return -1;
    char *c = rs_strdup(spec);
    if (!c) return -1;
    free(f->obj_specs[k]);
    f->obj_specs[k] = c;
    return 0;
}

int rs_front_set_obj_specs(rs_front *f, const char *const *specs) {
    for (int k = 0; k < f->n_obj; k++)
        if (!specs[k] || !*specs[k] || strpbrk(specs[k], "\n\r")) {
            rs_set_error("front: reward '%s': an empty spec or one with a line break",
                         f->obj_names[k]);
            return -1;
        }
    for (int k = 0; k < f->n_obj; k++)
        if (put_obj_spec(f, k, specs[k]) != 0) return -1;
    return 0;
}

int rs_front_obj_named(const rs_front *f, int k) {
    return f->obj_specs && k >= 0 && k < f->n_obj && f->obj_specs[k];
}

const char *rs_front_obj_spec(const rs_front *f, int k, char *buf, size_t n) {
    if (rs_front_obj_named(f, k)) return f->obj_specs[k];
    snprintf(buf, n, "%s", k >= 0 && k < f->n_obj ? f->obj_names[k] : "");
    for (char *c = buf; *c; c++)
        if (*c == ';') *c = ',';
    return buf;
}

static int grow1(void **p, size_t elsize, int cap) {
    void *q = realloc(*p, (size_t)cap * (elsize ? elsize : 1));
    if (!q) {
        rs_set_error("out of memory growing a front to %d rows", cap);
        return -1;
    }
    *p = q;
    return 0;
}

static int reserve(rs_front *f, int need) {
    if (need <= f->cap) return 0;
    int cap = f->cap ? f->cap * 2 : 16;
    while (cap < need)
        cap *= 2;
    size_t ne = (size_t)f->n_experts, no = (size_t)f->n_obj, nt = (size_t)f->n_terms;
    if (grow1((void **)&f->kind, sizeof *f->kind, cap) ||
        grow1((void **)&f->label, sizeof *f->label, cap) ||
        grow1((void **)&f->lambda, ne * sizeof(double), cap) ||
        grow1((void **)&f->episodes, sizeof *f->episodes, cap) ||
        grow1((void **)&f->obj, no * sizeof(double), cap) ||
        grow1((void **)&f->std, no * sizeof(double), cap) ||
        grow1((void **)&f->term, nt * sizeof(double), cap) ||
        grow1((void **)&f->termstd, nt * sizeof(double), cap) ||
        grow1((void **)&f->length, sizeof *f->length, cap))
        return -1;
    f->cap = cap;
    return 0;
}

static void copy_or_nan(double *dst, const double *src, int n) {
    for (int i = 0; i < n; i++)
        dst[i] = src ? src[i] : NAN;
}

/* labels never carry the separators of the file */
static char *clean_label(const char *s) {
    char *c = rs_strdup(s ? s : "");
    if (!c) return NULL;
    for (char *p = c; *p; p++) {
        if (*p == ',') *p = ';';
        if (*p == '\n' || *p == '\r') *p = ' ';
    }
    return c;
}

int rs_front_add(rs_front *f, const rs_front_row *r) {
    if (!f || !r) {
        rs_set_error("rs_front_add: NULL argument");
        return -1;
    }
    if ((int)r->kind < 0 || r->kind >= RS_KIND_COUNT) {
        rs_set_error("rs_front_add: invalid kind %d", (int)r->kind);
        return -1;
    }
    if (reserve(f, f->n + 1) < 0) return -1;
    int i = f->n;
    char *label = clean_label(r->label);
    if (!label) return -1;
    f->kind[i] = r->kind;
    f->label[i] = label;
    copy_or_nan(f->lambda + (size_t)i * f->n_experts, r->lambda, f->n_experts);
    f->episodes[i] = r->episodes;
    copy_or_nan(f->obj + (size_t)i * f->n_obj, r->obj, f->n_obj);
    copy_or_nan(f->std + (size_t)i * f->n_obj, r->std, f->n_obj);
    copy_or_nan(f->term + (size_t)i * f->n_terms, r->term, f->n_terms);
    copy_or_nan(f->termstd + (size_t)i * f->n_terms, r->termstd, f->n_terms);
    f->length[i] = r->length;
    f->n++;
    return i;
}

rs_front_row rs_front_row_at(const rs_front *f, int i) {
    rs_front_row r;
    memset(&r, 0, sizeof r);
    if (!f || i < 0 || i >= f->n) return r;
    r.kind = f->kind[i];
    r.label = f->label[i];
    r.lambda = f->lambda + (size_t)i * f->n_experts;
    r.episodes = f->episodes[i];
    r.obj = f->obj + (size_t)i * f->n_obj;
    r.std = f->std + (size_t)i * f->n_obj;
    r.term = f->term + (size_t)i * f->n_terms;
    r.termstd = f->termstd + (size_t)i * f->n_terms;
    r.length = f->length[i];
    return r;
}

/* ---- writing ---- */

/* the shortest %.Ng that reads back to the same double; "nan", "inf", "-inf"
 * spelled out so that a negative NaN does not print as "-nan" */
static void put_num(FILE *fp, double v) {
    if (isnan(v)) {
        fputs("nan", fp);
        return;
    }
    if (isinf(v)) {
        fputs(v > 0 ? "inf" : "-inf", fp);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputs(buf, fp);
}

static int finish_line(FILE *fp) {
    fputc('\n', fp);
    if (fflush(fp) != 0 || ferror(fp)) {
        rs_set_error("front: write failed: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int rs_front_write_header(FILE *fp, const rs_front *f) {
    if (f->plain) {
        for (int j = 0; j < f->n_obj; j++)
            fprintf(fp, "%s%s", j ? "," : "", f->obj_names[j]);
        return finish_line(fp);
    }
    fputs("kind,label", fp);
    for (int i = 0; i < f->n_experts; i++)
        fprintf(fp, ",lambda:%d", i);
    fputs(",episodes", fp);
    for (int j = 0; j < f->n_obj; j++)
        fprintf(fp, ",obj:%s,std:%s", f->obj_names[j], f->obj_names[j]);
    for (int j = 0; j < f->n_terms; j++)
        fprintf(fp, ",term:%s,termstd:%s", f->term_names[j], f->term_names[j]);
    fputs(",length", fp);
    return finish_line(fp);
}

static void put_nums(FILE *fp, const double *v, int n, int sep_first) {
    for (int i = 0; i < n; i++) {
        if (i || sep_first) fputc(',', fp);
        put_num(fp, v ? v[i] : NAN);
    }
}

int rs_front_write_row(FILE *fp, const rs_front *f, const rs_front_row *r) {
    if (f->plain) {
        put_nums(fp, r->obj, f->n_obj, 0);
        return finish_line(fp);
    }
    char *label = clean_label(r->label);
    if (!label) return -1;
    fprintf(fp, "%s,%s", rs_front_kind_name(r->kind), label);
    free(label);
    put_nums(fp, r->lambda, f->n_experts, 1);
    fprintf(fp, ",%d", r->episodes);
    for (int j = 0; j < f->n_obj; j++) {
        fputc(',', fp);
        put_num(fp, r->obj ? r->obj[j] : NAN);
        fputc(',', fp);
        put_num(fp, r->std ? r->std[j] : NAN);
    }
    for (int j = 0; j < f->n_terms; j++) {
        fputc(',', fp);
        put_num(fp, r->term ? r->term[j] : NAN);
        fputc(',', fp);
        put_num(fp, r->termstd ? r->termstd[j] : NAN);
    }
    fputc(',', fp);
    put_num(fp, r->length);
    return finish_line(fp);
}

static int write_front(FILE *fp, void *ctx) {
    const rs_front *f = ctx;
    int rc = rs_front_write_meta(fp, f);
    if (rc == 0) rc = rs_front_write_header(fp, f);
    for (int i = 0; rc == 0 && i < f->n; i++) {
        rs_front_row r = rs_front_row_at(f, i);
        rc = rs_front_write_row(fp, f, &r);
    }
    return rc;
}

int rs_front_save(const rs_front *f, const char *path) {
    return rs_write_atomic(path, write_front, (void *)f);
}

static int write_head(FILE *fp, void *ctx) {
    const rs_front *f = ctx;
    return rs_front_write_meta(fp, f) != 0 || rs_front_write_header(fp, f) != 0 ? -1 : 0;
}

int rs_front_write_head(FILE *fp, const rs_front *f) { return write_head(fp, (void *)f); }

static void fsync_dir_of(const char *path) {
    char *d = strdup(path);
    if (!d) return;
    char *slash = strrchr(d, '/');
    const char *dir = !slash ? "." : slash == d ? "/" : (*slash = 0, d);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(d);
}

int rs_front_create(const char *path, const rs_front *f) {
    size_t tl = strlen(path) + 32;
    char *tmp = malloc(tl);
    if (!tmp) {
        rs_set_error("'%s': out of memory", path);
        return -1;
    }
    snprintf(tmp, tl, "%s.tmp.%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        rs_set_error("'%s': cannot create '%s': %s", path, tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    const char *what = NULL;
    int err = 0;
    errno = 0;
    if (write_head(fp, (void *)f) != 0)
        what = "write", err = errno;
    else if (fflush(fp) != 0)
        what = "flush", err = errno;
    else if (fsync(fileno(fp)) != 0)
        what = "fsync", err = errno;
    if (fclose(fp) != 0 && !what) what = "close", err = errno;
    int rc = 0;
    if (what) {
        rs_set_error("'%s': %s of '%s' failed: %s", path, what, tmp,
                     err ? strerror(err) : "unknown error");
        rc = -1;
    } else if (link(tmp, path) != 0) {
        /* link, not rename: it never replaces a file another writer made meanwhile */
        if (errno == EEXIST)
            rc = 1;
        else {
            rs_set_error("'%s': cannot create it from '%s': %s", path, tmp, strerror(errno));
            rc = -1;
        }
    }
    unlink(tmp);
    if (rc == 0) fsync_dir_of(path);
    free(tmp);
    return rc;
}

int rs_front_has_header(const char *path) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        rs_set_error("'%s': cannot open: %s", path, strerror(errno));
        return -1;
    }
    /* byte by byte, so that a NUL cannot hide a line's end */
    int c, found = 0;
    for (;;) {
        do
            c = getc(fp);
        while (c == ' ' || c == '\t');
        if (c == EOF) break;
        if (c == '\r') {
            int d = getc(fp);
            if (d == '\n') continue; /* a blank line */
            ungetc(d, fp);
        }
        if (c == '\n') continue;
        int comment = c == '#';
        while (c != '\n' && c != EOF)
            c = getc(fp);
        if (c == EOF) break; /* a last line without its end: cut short */
        if (!comment) {
            found = 1;
            break;
        }
    }
    fclose(fp);
    return found;
}

/* ---- loading ---- */

typedef struct {
    char *s;    /* NUL-terminated in place, '\r' stripped */
    long begin; /* byte offset of the line in the file */
    long end;   /* byte offset just past its '\n' (or the end of the file) */
    int has_nl;
    int lineno; /* 1-based */
} line_t;

static int blank_or_comment(const char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == 0 || *s == '#';
}

/* split s in place at commas; fields[] gets up to max pointers (trimmed);
 * returns the number of fields, which may exceed max */
static int split(char *s, char **fields, int max) {
    int n = 0;
    for (char *p = s;;) {
        char *c = strchr(p, ',');
        if (c) *c = 0;
        if (n < max) {
            while (*p == ' ' || *p == '\t')
                p++;
            char *e = p + strlen(p);
            while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
                *--e = 0;
            fields[n] = p;
        }
        n++;
        if (!c) break;
        p = c + 1;
    }
    return n;
}

static int count_fields(const char *s) {
    int n = 1;
    for (; *s; s++)
        n += *s == ',';
    return n;
}

int rs_front_parse_num(const char *s, double *out) {
    if (!s || !*s) return -1;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end) return -1;
    *out = v;
    return 0;
}

/* what a front column holds */
enum { C_KIND, C_LABEL, C_LAMBDA, C_EPISODES, C_OBJ, C_STD, C_TERM, C_TERMSTD, C_LENGTH };
typedef struct {
    int type, index;
} col_t;

static int prefixed(const char *s, const char *prefix, const char **rest) {
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0) return 0;
    *rest = s + n;
    return 1;
}

static int find_name(char **names, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], s)) return i;
    return -1;
}

/* map the columns of a front header; fills the name lists (borrowed from
 * fields) and the counts */
static int parse_front_header(const char *path, char **fields, int nf, col_t *cols,
                              const char **objn, int *n_obj, const char **termn, int *n_terms,
                              int *n_experts) {
    int no = 0, nt = 0, ne = 0, have[4] = {0, 0, 0, 0};
    int *lam_seen = rs_calloc((size_t)nf, sizeof *lam_seen);
    if (!lam_seen) return -1;
    const char *rest;
    int rc = -1;
    /* pass 1: fixed columns, lambdas, objectives and terms */
    for (int c = 0; c < nf; c++) {
        const char *s = fields[c];
        cols[c].type = -1;
        if (!strcmp(s, "kind"))
            cols[c].type = C_KIND, have[0]++;
        else if (!strcmp(s, "label"))
            cols[c].type = C_LABEL, have[1]++;
        else if (!strcmp(s, "episodes"))
            cols[c].type = C_EPISODES, have[2]++;
        else if (!strcmp(s, "length"))
            cols[c].type = C_LENGTH, have[3]++;
        else if (prefixed(s, "lambda:", &rest)) {
            char *end;
            long k = strtol(rest, &end, 10);
            if (!*rest || *end || k < 0 || k >= nf) {
                rs_set_error("'%s': line 1: bad column '%s' (expected lambda:<index>)", path, s);
                goto done;
            }
            if (lam_seen[k]++) {
                rs_set_error("'%s': line 1: column '%s' appears twice", path, s);
                goto done;
            }
            cols[c].type = C_LAMBDA, cols[c].index = (int)k;
            ne++;
        } else if (prefixed(s, "obj:", &rest) || prefixed(s, "term:", &rest)) {
            int is_obj = s[0] == 'o';
            const char **list = is_obj ? objn : termn;
            int *cnt = is_obj ? &no : &nt;
            if (!*rest) {
                rs_set_error("'%s': line 1: column '%s' has no name", path, s);
                goto done;
            }
            for (int i = 0; i < *cnt; i++)
                if (!strcmp(list[i], rest)) {
                    rs_set_error("'%s': line 1: column '%s' appears twice", path, s);
                    goto done;
                }
            cols[c].type = is_obj ? C_OBJ : C_TERM;
            cols[c].index = *cnt;
            list[(*cnt)++] = rest;
        }
    }
    for (int k = 0; k < ne; k++)
        if (!lam_seen[k]) {
            rs_set_error("'%s': line 1: column lambda:%d is missing (there are %d lambda "
                         "columns)",
                         path, k, ne);
            goto done;
        }
    static const char *const fixed[4] = {"kind", "label", "episodes", "length"};
    for (int k = 0; k < 4; k++)
        if (have[k] != 1) {
            rs_set_error("'%s': line 1: column '%s' %s", path, fixed[k],
                         have[k] ? "appears twice" : "is missing");
            goto done;
        }
    /* pass 2: the stds, each naming an objective or term of pass 1 */
    int *std_seen = rs_calloc((size_t)(no + nt + 1), sizeof *std_seen);
    if (!std_seen) goto done;
    for (int c = 0; c < nf; c++) {
        if (cols[c].type != -1) continue;
        const char *s = fields[c];
        int is_std = prefixed(s, "std:", &rest);
        if (is_std || prefixed(s, "termstd:", &rest)) {
            const char **list = is_std ? objn : termn;
            int cnt = is_std ? no : nt, k = -1;
            for (int i = 0; i < cnt; i++)
                if (!strcmp(list[i], rest)) k = i;
            if (k < 0) {
                rs_set_error("'%s': line 1: column '%s' has no matching '%s:%s'", path, s,
                             is_std ? "obj" : "term", rest);
                free(std_seen);
                goto done;
            }
            if (std_seen[(is_std ? 0 : no) + k]++) {
                rs_set_error("'%s': line 1: column '%s' appears twice", path, s);
                free(std_seen);
                goto done;
            }
            cols[c].type = is_std ? C_STD : C_TERMSTD;
            cols[c].index = k;
            continue;
        }
        rs_set_error("'%s': line 1: unknown column '%s' (a front has kind, label, lambda:<i>, "
                     "episodes, obj:<name>, std:<name>, term:<t>, termstd:<t>, length)",
                     path, s);
        free(std_seen);
        goto done;
    }
    for (int k = 0; k < no + nt; k++)
        if (!std_seen[k]) {
            rs_set_error("'%s': line 1: column '%s:%s' has no '%s:%s'", path,
                         k < no ? "obj" : "term", k < no ? objn[k] : termn[k - no],
                         k < no ? "std" : "termstd", k < no ? objn[k] : termn[k - no]);
            free(std_seen);
            goto done;
        }
    free(std_seen);
    *n_obj = no;
    *n_terms = nt;
    *n_experts = ne;
    rc = 0;
done:
    free(lam_seen);
    return rc;
}

/* parse one data row of a front file into the row buffers; -1 with an error
 * naming the line and column */
static int parse_front_row(const char *path, int lineno, char **fields, int nf, char **hdr,
                           const col_t *cols, rs_front_kind *kind, const char **label, double *lam,
                           int *episodes, double *obj, double *sd, double *term, double *termsd,
                           double *length) {
    for (int c = 0; c < nf; c++) {
        const char *s = fields[c];
        double v = 0;
        if (cols[c].type == C_KIND) {
            int k = kind_lookup(s, strlen(s));
            if (k < 0) {
                rs_set_error("'%s': line %d: unknown kind '%s' (valid: soup, expert, baseline, "
                             "init, point)",
                             path, lineno, s);
                return -1;
            }
            *kind = (rs_front_kind)k;
            continue;
        }
        if (cols[c].type == C_LABEL) {
            *label = s;
            continue;
        }
        if (rs_front_parse_num(s, &v) < 0) {
            rs_set_error("'%s': line %d: column '%s': '%s' is not a number", path, lineno, hdr[c],
                         s);
            return -1;
        }
        int i = cols[c].index;
        switch (cols[c].type) {
        case C_LAMBDA:
            lam[i] = v;
            break;
        case C_EPISODES:
            if (!(v >= 0 && v <= 2147483647.0 && v == floor(v))) {
                rs_set_error("'%s': line %d: column 'episodes': '%s' is not a count", path, lineno,
                             s);
                return -1;
            }
            *episodes = (int)v;
            break;
        case C_OBJ:
            obj[i] = v;
            break;
        case C_STD:
            sd[i] = v;
            break;
        case C_TERM:
            term[i] = v;
            break;
        case C_TERMSTD:
            termsd[i] = v;
            break;
        case C_LENGTH:
            *length = v;
            break;
        }
    }
    return 0;
}

/* cut the buffer into lines in place */
static line_t *split_lines(char *buf, size_t len, int *nlines) {
    int cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += buf[i] == '\n';
    line_t *lines = rs_calloc((size_t)cap, sizeof *lines);
    if (!lines) return NULL;
    int n = 0;
    size_t pos = 0;
    while (pos < len) {
        char *s = buf + pos;
        char *nl = memchr(s, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - s) : len - pos;
        lines[n].s = s;
        lines[n].begin = (long)pos;
        lines[n].has_nl = nl != NULL;
        lines[n].end = (long)(pos + l + (nl ? 1 : 0));
        lines[n].lineno = n + 1;
        s[l] = 0; /* overwrites the '\n', or buf's terminating NUL */
        if (l && s[l - 1] == '\r') s[l - 1] = 0;
        pos += l + 1;
        n++;
    }
    *nlines = n;
    return lines;
}

static int all_numbers(char **fields, int nf) {
    double v;
    for (int i = 0; i < nf; i++)
        if (rs_front_parse_num(fields[i], &v) < 0) return 0;
    return 1;
}

rs_front *rs_front_load(const char *path, int *truncated_tail) {
    if (truncated_tail) *truncated_tail = 0;
    size_t len = 0;
    char *buf = rs_read_file(path, &len);
    if (!buf) return NULL;
    if (memchr(buf, 0, len)) {
        rs_set_error("'%s': contains NUL bytes: not a CSV file", path);
        free(buf);
        return NULL;
    }
    int nlines = 0;
    line_t *lines = split_lines(buf, len, &nlines);
    /* a UTF-8 byte-order mark (spreadsheets write one) is not part of the
     * first column's name; the offsets stay those of the file */
    if (lines && nlines > 0 && !strncmp(lines[0].s, "\xef\xbb\xbf", 3)) lines[0].s += 3;
    rs_front *f = NULL;
    char **hdr = NULL, **fields = NULL, **names = NULL;
    col_t *cols = NULL;
    double *rowbuf = NULL;
    int ok = 0;
    if (!lines) goto done;

    /* the header: the first line that is not blank or a comment */
    int h = 0;
    while (h < nlines && blank_or_comment(lines[h].s))
        h++;
    if (h == nlines) {
        rs_set_error("'%s': empty file (no header line)", path);
        goto done;
    }
    int nf = count_fields(lines[h].s);
    hdr = rs_calloc((size_t)nf, sizeof *hdr);
    fields = rs_calloc((size_t)nf + 1, sizeof *fields);
    cols = rs_calloc((size_t)nf, sizeof *cols);
    names = rs_calloc((size_t)nf * 2 + 2, sizeof *names);
    if (!hdr || !fields || !cols || !names) goto done;
    char *hline = rs_strdup(lines[h].s); /* fields are kept for messages */
    if (!hline) goto done;
    split(lines[h].s, hdr, nf);
    int plain = 1; /* a front has a "kind" column, usually the first */
    for (int c = 0; c < nf; c++)
        if (!strcmp(hdr[c], "kind")) plain = 0;
    int first_data = h + 1;
    int n_obj = 0, n_terms = 0, n_experts = 0;
    const char **objn = (const char **)names, **termn = (const char **)names + nf + 1;
    char **gen = NULL; /* generated names f1, f2, ... */
    if (!plain) {
        if (!lines[h].has_nl) {
            rs_set_error("'%s': the header line is incomplete (the file was cut while it was "
                         "written?)",
                         path);
            free(hline);
            goto done;
        }
        if (parse_front_header(path, hdr, nf, cols, objn, &n_obj, termn, &n_terms, &n_experts) <
            0) {
            free(hline);
            goto done;
        }
        f = rs_front_new(n_experts, n_obj, objn, n_terms, termn);
    } else {
        n_obj = nf;
        if (all_numbers(hdr, nf)) {
            /* no header: the first line is data */
            gen = rs_calloc((size_t)nf, sizeof *gen);
            for (int j = 0; gen && j < nf; j++) {
                gen[j] = rs_malloc(24);
                if (gen[j]) snprintf(gen[j], 24, "f%d", j + 1);
                objn[j] = gen[j] ? gen[j] : "";
            }
            first_data = h;
            strcpy(lines[h].s, hline); /* undo the split: it is parsed again as a row */
        } else {
            for (int j = 0; j < nf; j++) {
                objn[j] = hdr[j];
                if (!*hdr[j]) {
                    rs_set_error("'%s': line %d: column %d has an empty name", path,
                                 lines[h].lineno, j + 1);
                    free(hline);
                    goto done;
                }
            }
        }
        f = rs_front_new(0, n_obj, objn, 0, NULL);
        if (gen) {
            for (int j = 0; j < nf; j++)
                free(gen[j]);
            free(gen);
        }
        if (f) f->plain = 1;
    }
    free(hline);
    if (!f) {
        /* rs_front_new's message lacks the file */
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", rs_last_error());
        rs_set_error("'%s': line %d: %s", path, lines[h].lineno, msg);
        goto done;
    }
    /* the header as written, for readers that show or keep its order (a
     * plain CSV's columns are its objectives, generated names included) */
    f->col_names = rs_calloc((size_t)nf, sizeof *f->col_names);
    if (!f->col_names) goto done;
    for (; f->n_cols < nf; f->n_cols++) {
        f->col_names[f->n_cols] = rs_strdup(plain ? f->obj_names[f->n_cols] : hdr[f->n_cols]);
        if (!f->col_names[f->n_cols]) goto done;
    }
    int ne = f->n_experts, no = f->n_obj, nt = f->n_terms;
    rowbuf = rs_calloc((size_t)(ne + 2 * no + 2 * nt + 1), sizeof *rowbuf);
    if (!rowbuf) goto done;
    double *lam = rowbuf, *obj = lam + ne, *sd = obj + no, *term = sd + no, *termsd = term + nt;
    f->good_bytes = lines[h].end;
    /* provenance: "# key: value" comment lines above the header, and
     * "# reward NAME: SPEC", the spec of the objective NAME */
    for (int i = 0; i < h; i++) {
        const char *t = lines[i].s;
        while (*t == ' ' || *t == '\t') t++;
        if (*t != '#') continue;
        t++;
        while (*t == ' ') t++;
        if (!plain && !strncmp(t, "reward ", 7) && strstr(t + 7, ": ")) {
            const char *nm = t + 7, *colon = strstr(nm, ": ");
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(colon - nm), nm);
            int k = rs_front_obj_index(f, name);
            if (k < 0 || rs_front_obj_named(f, k)) {
                rs_set_error("'%s': line %d: reward '%s' %s", path, lines[i].lineno, name,
                             k < 0 ? "is no obj: column of the header" : "is given twice");
                goto done;
            }
            const char *spec = colon + 2;
            while (*spec == ' ')
                spec++;
            char sb[1024];
            snprintf(sb, sizeof sb, "%s", spec);
            for (char *e = sb + strlen(sb); e > sb && (e[-1] == ' ' || e[-1] == '\r');)
                *--e = 0;
            if (!sb[0]) {
                rs_set_error("'%s': line %d: reward '%s' has no spec", path, lines[i].lineno, name);
                goto done;
            }
            if (put_obj_spec(f, k, sb) != 0) goto done;
            continue;
        }
        const char *colon = strstr(t, ": ");
        if (!colon || colon == t) continue;
        int ok = 1;
        for (const char *c = t; c < colon; c++) ok &= (*c >= 'a' && *c <= 'z') || *c == '_';
        if (!ok) continue;
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(colon - t), t);
        if (rs_front_set_meta(f, key, colon + 2) != 0) goto done;
    }

    /* the last line that carries anything */
    int last = nlines - 1;
    while (last >= first_data && blank_or_comment(lines[last].s))
        last--;

    for (int i = first_data; i <= last; i++) {
        line_t *L = &lines[i];
        if (blank_or_comment(L->s)) continue;
        int is_last = i == last;
        /* a front row without its '\n' was cut mid-write */
        if (!plain && !L->has_nl) goto tail;
        int n = count_fields(L->s);
        if (n != nf) {
            if (is_last) goto tail;
            rs_set_error("'%s': line %d has %d fields, the header has %d", path, L->lineno, n, nf);
            goto done;
        }
        split(L->s, fields, nf);
        rs_front_row r;
        memset(&r, 0, sizeof r);
        r.length = NAN;
        if (plain) {
            r.kind = RS_KIND_POINT;
            int bad = -1;
            for (int j = 0; j < nf && bad < 0; j++)
                if (rs_front_parse_num(fields[j], &obj[j]) < 0) bad = j;
            if (bad >= 0) {
                if (!L->has_nl) goto tail;
                rs_set_error("'%s': line %d: column '%s': '%s' is not a number", path, L->lineno,
                             f->obj_names[bad], fields[bad]);
                goto done;
            }
            char label[24];
            snprintf(label, sizeof label, "%d", f->n + 1);
            r.label = label;
            r.obj = obj;
            if (rs_front_add(f, &r) < 0) goto done;
        } else {
            for (int k = 0; k < ne + 2 * no + 2 * nt; k++)
                rowbuf[k] = NAN;
            if (parse_front_row(path, L->lineno, fields, nf, hdr, cols, &r.kind, &r.label, lam,
                                &r.episodes, obj, sd, term, termsd, &r.length) < 0)
                goto done;
            r.lambda = lam, r.obj = obj, r.std = sd, r.term = term, r.termstd = termsd;
            if (rs_front_add(f, &r) < 0) goto done;
        }
        f->good_bytes = L->end;
        continue;
    tail:
        f->tail_line = L->lineno;
        if (truncated_tail) *truncated_tail = 1;
        break;
    }
    ok = 1;
done:
    free(rowbuf);
    free(names);
    free(cols);
    free(fields);
    free(hdr);
    free(lines);
    free(buf);
    if (!ok) {
        rs_front_free(f);
        return NULL;
    }
    return f;
}

int rs_front_drop_tail(const char *path) {
    int trunc = 0;
    rs_front *f = rs_front_load(path, &trunc);
    if (!f) return -1;
    long keep = f->good_bytes;
    rs_front_free(f);
    if (!trunc) return 0;
    if (truncate(path, (off_t)keep) != 0) {
        rs_set_error("'%s': cannot cut the partial last row: %s", path, strerror(errno));
        return -1;
    }
    return 1;
}

int rs_front_same_schema(const rs_front *a, const rs_front *b) {
    if (a->plain != b->plain) {
        rs_set_error("one front is a plain CSV, the other a front file");
        return -1;
    }
    if (a->n_experts != b->n_experts) {
        rs_set_error("fronts have %d and %d experts", a->n_experts, b->n_experts);
        return -1;
    }
    const char *what[2] = {"objectives", "terms"};
    for (int w = 0; w < 2; w++) {
        int na = w ? a->n_terms : a->n_obj, nb = w ? b->n_terms : b->n_obj;
        char **la = w ? a->term_names : a->obj_names, **lb = w ? b->term_names : b->obj_names;
        int same = na == nb;
        for (int i = 0; same && i < na; i++) {
            if (w) {
                same = !strcmp(la[i], lb[i]);
                continue;
            }
            /* an objective is its reward: the same spec, and the same name
             * where both files give one */
            char ba[1024], bb[1024];
            same =
                !strcmp(rs_front_obj_spec(a, i, ba, sizeof ba),
                        rs_front_obj_spec(b, i, bb, sizeof bb)) &&
                (!rs_front_obj_named(a, i) || !rs_front_obj_named(b, i) || !strcmp(la[i], lb[i]));
        }
        if (!same) {
            char sa[512] = "", sb[512] = "";
            for (int i = 0; i < na; i++)
                snprintf(sa + strlen(sa), sizeof sa - strlen(sa), "%s%s", i ? "," : "", la[i]);
            for (int i = 0; i < nb; i++)
                snprintf(sb + strlen(sb), sizeof sb - strlen(sb), "%s%s", i ? "," : "", lb[i]);
            rs_set_error("fronts have different %s: (%s) and (%s)", what[w], sa, sb);
            return -1;
        }
    }
    return 0;
}

/* ---- queries ---- */

int rs_front_select(const rs_front *f, unsigned kinds, int *rows) {
    int n = 0;
    for (int i = 0; i < f->n; i++)
        if (kinds & RS_KIND_BIT(f->kind[i])) {
            if (rows) rows[n] = i;
            n++;
        }
    return n;
}

double *rs_front_obj_new(const rs_front *f, unsigned kinds, int *n, int *rows) {
    int cnt = rs_front_select(f, kinds, rows);
    double *m = rs_calloc((size_t)cnt * (size_t)f->n_obj + 1, sizeof *m);
    if (!m) return NULL;
    int k = 0;
    for (int i = 0; i < f->n; i++)
        if (kinds & RS_KIND_BIT(f->kind[i]))
            memcpy(m + (size_t)(k++) * f->n_obj, f->obj + (size_t)i * f->n_obj,
                   (size_t)f->n_obj * sizeof *m);
    if (n) *n = cnt;
    return m;
}

int rs_front_find_lambda(const rs_front *f, const double *lambda, unsigned kinds) {
    for (int i = 0; i < f->n; i++) {
        if (!(kinds & RS_KIND_BIT(f->kind[i]))) continue;
        const double *l = f->lambda + (size_t)i * f->n_experts;
        int same = 1;
        for (int k = 0; same && k < f->n_experts; k++)
            same = fabs(l[k] - lambda[k]) <= RS_FRONT_LAMBDA_TOL;
        if (same) return i;
    }
    return -1;
}

int rs_front_obj_index(const rs_front *f, const char *name) {
    return find_name(f->obj_names, f->n_obj, name);
}

int rs_front_term_index(const rs_front *f, const char *name) {
    return find_name(f->term_names, f->n_terms, name);
}
