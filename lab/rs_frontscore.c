/* rs_frontscore.c — one front's Pareto metrics (rs_frontscore.h). */
#include "rs_frontscore.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rs_common.h"
#include "rs_pareto.h"
#include "rs_policy.h"

int rs_front_check_finite(const char *path, const rs_front *f, unsigned mask, int with_std) {
    for (int i = 0; i < f->n; i++) {
        if (!(mask & RS_KIND_BIT(f->kind[i]))) continue;
        for (int j = 0; j < f->n_obj; j++) {
            const double v = f->obj[(size_t)i * f->n_obj + j];
            const double sd = with_std ? f->std[(size_t)i * f->n_obj + j] : 0;
            if (isfinite(v) && isfinite(sd)) continue;
            rs_set_error("'%s': %s row '%s': %sobjective '%s' is %g (the metrics need finite "
                         "values)",
                         path, rs_front_kind_name(f->kind[i]), f->label[i],
                         isfinite(v) ? "the std of " : "", f->obj_names[j], isfinite(v) ? sd : v);
            return -1;
        }
    }
    return 0;
}

/* "a" and "./a/policy.safetensors" name the same file: out gets the
 * resolved path of the file t names (t itself when it cannot be resolved) */
static void canon(const char *t, char *out, size_t n) {
    char p[RS_PATH_BUF];
    if (strlen(t) >= sizeof p) { /* no path rsoup takes: compared as it is */
        snprintf(out, n, "%s", t);
        return;
    }
    snprintf(p, sizeof p, "%s", t);
    size_t L = strlen(p);
    while (L > 1 && p[L - 1] == '/')
        p[--L] = 0;
    if (L >= 19 && !strcmp(p + L - 19, "/policy.safetensors")) p[L - 19] = 0;
    char *r = realpath(p, NULL);
    snprintf(out, n, "%s", r ? r : p);
    free(r);
}

/* two policies (run folders or files) whose policy files hold the same bytes:
 * a copied or archived expert is still that expert */
static int same_bytes(const char *a, const char *b) {
    char pa[PATH_MAX + 32], pb[PATH_MAX + 32];
    const char *fa = rs_run_file(a, 0, pa, sizeof pa), *fb = rs_run_file(b, 0, pb, sizeof pb);
    size_t na = 0, nb = 0;
    char *x = rs_read_file(fa, &na), *y = x ? rs_read_file(fb, &nb) : NULL;
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

int rs_same_policies(const char *a, const char *b) {
    char *ba = strdup(a), *bb = strdup(b), *sa = NULL, *sb = NULL;
    int same = ba && bb;
    char *ta = same ? strtok_r(ba, ";", &sa) : NULL, *tb = same ? strtok_r(bb, ";", &sb) : NULL;
    for (; same && ta && tb; ta = strtok_r(NULL, ";", &sa), tb = strtok_r(NULL, ";", &sb)) {
        char ca[PATH_MAX], cb[PATH_MAX];
        canon(ta, ca, sizeof ca);
        canon(tb, cb, sizeof cb);
        same = !strcmp(ca, cb) || same_bytes(ca, cb);
    }
    same = same && !ta && !tb;
    free(ba);
    free(bb);
    return same;
}

int rs_front_made_from(const rs_front *f, const char *const *paths, int n) {
    const char *rec = rs_front_meta(f, "experts");
    if (!rec) return 1;
    size_t cap = 1;
    for (int i = 0; i < n; i++)
        cap += strlen(paths[i]) + 1;
    char *given = malloc(cap);
    if (!given) return 0;
    given[0] = 0;
    for (int i = 0, k = 0; i < n; i++)
        k += snprintf(given + k, cap - (size_t)k, "%s%s", i ? ";" : "", paths[i]);
    int same = rs_same_policies(given, rec);
    free(given);
    return same;
}

int rs_front_fits_experts(const char *path, const char *const *paths, int n) {
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) return 1;
    rs_front *f = rs_front_load(path, NULL);
    if (!f) return 1;
    int ok = 1;
    if (!rs_front_made_from(f, paths, n)) {
        rs_set_error("%s was made from '%s', not from the experts given", path,
                     rs_front_meta(f, "experts"));
        ok = 0;
    } else if (!f->plain) {
        ok = rs_front_check_finite(path, f, RS_KIND_BIT(RS_KIND_SOUP) | RS_KIND_BIT(RS_KIND_EXPERT),
                                   0) == 0;
    }
    rs_front_free(f);
    return ok;
}

int rs_front_same_objectives(const rs_front *a, const rs_front *b) {
    if (!a->plain && !b->plain) return rs_front_same_schema(a, b);
    /* a plain CSV's column names a front's reward by its name, or by its
     * spec (a plain file written for the front before it had names) */
    int same = a->n_obj == b->n_obj;
    for (int k = 0; same && k < a->n_obj; k++) {
        char sa[RS_PATH_BUF], sb[RS_PATH_BUF];
        same = !strcmp(a->obj_names[k], b->obj_names[k]) ||
               (a->plain && !strcmp(a->obj_names[k], rs_front_obj_spec(b, k, sb, sizeof sb))) ||
               (b->plain && !strcmp(b->obj_names[k], rs_front_obj_spec(a, k, sa, sizeof sa)));
    }
    if (!same) {
        char sa[512] = "", sb[512] = "";
        for (int k = 0; k < a->n_obj; k++)
            snprintf(sa + strlen(sa), sizeof sa - strlen(sa), "%s%s", k ? "," : "",
                     a->obj_names[k]);
        for (int k = 0; k < b->n_obj; k++)
            snprintf(sb + strlen(sb), sizeof sb - strlen(sb), "%s%s", k ? "," : "",
                     b->obj_names[k]);
        rs_set_error("they score different objectives: (%s) and (%s); a plain CSV's header must "
                     "name the front's rewards in its order",
                     sa, sb);
        return -1;
    }
    return 0;
}

void rs_front_kinds_text(char *buf, size_t cap, unsigned mask) {
    buf[0] = 0;
    for (int k = 0; k < RS_KIND_COUNT; k++)
        if (mask & RS_KIND_BIT(k)) {
            size_t n = strlen(buf);
            snprintf(buf + n, cap - n, "%s%s", n ? "," : "", rs_front_kind_name((rs_front_kind)k));
        }
}

void rs_front_counts_text(char *buf, size_t cap, const rs_front *f, unsigned mask) {
    buf[0] = 0;
    for (int k = 0; k < RS_KIND_COUNT; k++) {
        if (!(mask & RS_KIND_BIT(k))) continue;
        int c = rs_front_select(f, RS_KIND_BIT(k), NULL);
        if (!c) continue;
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, "%s%d %s", n ? ", " : "", c,
                 rs_front_kind_name((rs_front_kind)k));
    }
    if (!buf[0]) snprintf(buf, cap, "none");
}

static int block_open(rs_frontscore_block *b, const rs_front *f, unsigned kinds) {
    b->rows = rs_calloc((size_t)f->n + 1, sizeof *b->rows);
    if (!b->rows) return -1;
    b->pts = rs_front_obj_new(f, kinds, &b->n, b->rows);
    return b->pts ? 0 : -1;
}

int rs_frontscore_open(rs_frontscore *s, const rs_front *f, const char *path, unsigned kinds) {
    memset(s, 0, sizeof *s);
    s->front = f;
    s->d = f->n_obj;
    s->kinds = f->plain ? RS_KIND_BIT(RS_KIND_POINT) : kinds;
    s->baseline_kinds =
        (s->kinds & RS_KIND_BIT(RS_KIND_BASELINE)) ? 0 : RS_KIND_BIT(RS_KIND_BASELINE);
    if (s->d < 1) {
        rs_set_error("'%s' has no objectives (obj:<name> columns)", path);
        return -1;
    }
    if (block_open(&s->main, f, s->kinds) != 0 ||
        block_open(&s->baseline, f, s->baseline_kinds) != 0)
        return -1;
    if (s->main.n < 1) {
        char kt[128], ct[256];
        rs_front_kinds_text(kt, sizeof kt, s->kinds);
        rs_front_counts_text(ct, sizeof ct, f, RS_KINDS_ALL);
        rs_set_error("'%s' has no rows of kind %s (it has: %s)", path, kt, ct);
        return -1;
    }
    return rs_front_check_finite(path, f, s->kinds | s->baseline_kinds, 0);
}

static int block_score(rs_frontscore_block *b, int d, const double *ref, int k) {
    b->mask = rs_calloc((size_t)b->n + 1, sizeof *b->mask);
    if (!b->mask) return -1;
    b->n_nondom = rs_pareto_nondominated(b->pts, b->n, d, b->mask);
    /* a soup at λ = (1, 0) and its expert are often the same point: count it
     * once (sorted, so that copies are neighbours: O(n log n)) */
    b->cardinality = b->n_nondom < 0 ? 0 : rs_pareto_distinct(b->pts, b->n, d, b->mask);
    b->hv = rs_hv(b->pts, b->n, d, ref);
    b->eum = rs_eum_uniform(b->pts, b->n, d, k);
    b->sparsity = rs_sparsity(b->pts, b->n, d);
    if (b->n_nondom < 0 || b->hv < 0 || isnan(b->eum) || b->sparsity < 0) return -1;
    for (int i = 0; i < b->n; i++)
        for (int j = 0; j < d; j++)
            if (!(b->pts[(size_t)i * d + j] > ref[j])) {
                b->below_ref++;
                break;
            }
    return 0;
}

int rs_frontscore_score(rs_frontscore *s, const double *ref, double margin, int eum_k) {
    const int d = s->d;
    if (!(s->ref = rs_calloc((size_t)d, sizeof *s->ref))) return -1;
    if (ref) {
        memcpy(s->ref, ref, (size_t)d * sizeof *ref);
    } else {
        /* from every point scored, baselines included */
        size_t nall = (size_t)(s->main.n + s->baseline.n);
        double *all = rs_calloc(nall * (size_t)d, sizeof *all);
        if (!all) return -1;
        memcpy(all, s->main.pts, (size_t)s->main.n * d * sizeof *all);
        memcpy(all + (size_t)s->main.n * d, s->baseline.pts,
               (size_t)s->baseline.n * d * sizeof *all);
        int rc = rs_pareto_default_ref(all, (int)nall, d, margin, s->ref);
        free(all);
        if (rc < 0) return -1;
        s->ref_computed = 1;
    }
    if (block_score(&s->main, d, s->ref, eum_k) < 0) return -1;
    if (s->baseline.n && block_score(&s->baseline, d, s->ref, eum_k) < 0) return -1;
    return 0;
}

static void block_free(rs_frontscore_block *b) {
    free(b->rows);
    free(b->pts);
    free(b->mask);
}

void rs_frontscore_free(rs_frontscore *s) {
    if (!s) return;
    block_free(&s->main);
    block_free(&s->baseline);
    free(s->ref);
    memset(s, 0, sizeof *s);
}
