/* rs_pareto.c — dominance, non-dominated filtering, hypervolume, expected
 * utility and sparsity for maximisation fronts. */
#include "rs_pareto.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_lattice.h"

/* ---- checks ---- */

static int check_front(const char *what, const double *pts, int n, int d) {
    if (d < 1) {
        rs_set_error("%s: need d >= 1 objectives (got %d)", what, d);
        return -1;
    }
    if (n < 0) {
        rs_set_error("%s: negative point count %d", what, n);
        return -1;
    }
    if (n > 0 && !pts) {
        rs_set_error("%s: NULL points", what);
        return -1;
    }
    return 0;
}

/* finite_only: reject ±inf as well as NaN */
static int check_values(const char *what, const char *name, const double *v, size_t len,
                        int finite_only) {
    for (size_t i = 0; i < len; i++) {
        if (isnan(v[i]) || (finite_only && !isfinite(v[i]))) {
            rs_set_error("%s: %s[%zu] is %s", what, name, i, isnan(v[i]) ? "NaN" : "infinite");
            return -1;
        }
    }
    return 0;
}

/* ---- dominance ---- */

int rs_pareto_dominates(const double *a, const double *b, int d) {
    int strict = 0;
    for (int j = 0; j < d; j++) {
        if (!(a[j] >= b[j])) return 0;
        if (a[j] > b[j]) strict = 1;
    }
    return strict;
}

/* == rather than memcmp, so that -0.0 and 0.0 are the same value */
static int same_point(const double *a, const double *b, int d) {
    for (int j = 0; j < d; j++)
        if (a[j] != b[j]) return 0;
    return 1;
}

static int weakly_dominates(const double *a, const double *b, int d) {
    for (int j = 0; j < d; j++)
        if (!(a[j] >= b[j])) return 0;
    return 1;
}

/* ---- sorting helpers (qsort has no context pointer, so keys carry it) ---- */

typedef struct {
    double x, y;
    int i;
} key2;

/* x descending, then y descending */
static int cmp_key2_desc(const void *pa, const void *pb) {
    const key2 *a = pa, *b = pb;
    if (a->x != b->x) return a->x > b->x ? -1 : 1;
    if (a->y != b->y) return a->y > b->y ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

typedef struct {
    const double *p;
    int d, i;
} rowref;

/* lexicographically descending: a dominator always sorts before what it dominates */
static int cmp_row_lex_desc(const void *pa, const void *pb) {
    const rowref *a = pa, *b = pb;
    for (int j = 0; j < a->d; j++)
        if (a->p[j] != b->p[j]) return a->p[j] > b->p[j] ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* The 2-D staircase of the 3-D sweeps: the non-dominated (x, y) seen so far
 * (x strictly ascending, y strictly descending) and the area they cover
 * above ref (kept only when a ref is given). The points live in a treap
 * ordered by x, so that an insertion costs O(log n) plus O(log n) for each
 * point it removes, and each point is removed at most once: a sweep of n
 * points is O(n log n) however the staircase grows. */
typedef struct {
    double x, y;
    int l, r;
    unsigned pri;
} tnode;

typedef struct {
    tnode *nd;
    int root, used;
    unsigned seed;
    double *rx, *ry; /* the run an insertion removes, x ascending */
    double area;
} staircase;

/* room for n insertions; 0 or -1 (error set) */
static int staircase_init(staircase *s, int n) {
    memset(s, 0, sizeof *s);
    s->root = -1;
    s->seed = 2463534242u;
    s->nd = rs_malloc((size_t)(n > 0 ? n : 1) * sizeof *s->nd);
    s->rx = rs_malloc((size_t)(n > 0 ? n : 1) * 2 * sizeof *s->rx);
    if (!s->nd || !s->rx) {
        free(s->nd);
        free(s->rx);
        return -1;
    }
    s->ry = s->rx + (n > 0 ? n : 1);
    return 0;
}

static void staircase_free(staircase *s) {
    free(s->nd);
    free(s->rx);
}

/* a: the nodes with x < key; b: the rest */
static void tsplit(tnode *nd, int t, double key, int *a, int *b) {
    if (t < 0) {
        *a = *b = -1;
        return;
    }
    if (nd[t].x < key) {
        tsplit(nd, nd[t].r, key, &nd[t].r, b);
        *a = t;
    } else {
        tsplit(nd, nd[t].l, key, a, &nd[t].l);
        *b = t;
    }
}

/* every x of a is below every x of b */
static int tmerge(tnode *nd, int a, int b) {
    if (a < 0) return b;
    if (b < 0) return a;
    if (nd[a].pri > nd[b].pri) {
        nd[a].r = tmerge(nd, nd[a].r, b);
        return a;
    }
    nd[b].l = tmerge(nd, a, nd[b].l);
    return b;
}

static int tmin(const tnode *nd, int t) {
    while (t >= 0 && nd[t].l >= 0) t = nd[t].l;
    return t;
}
static int tmax(const tnode *nd, int t) {
    while (t >= 0 && nd[t].r >= 0) t = nd[t].r;
    return t;
}
static int tpop_min(tnode *nd, int t) {
    if (nd[t].l < 0) return nd[t].r;
    nd[t].l = tpop_min(nd, nd[t].l);
    return t;
}
static int tpop_max(tnode *nd, int t) {
    if (nd[t].r < 0) return nd[t].l;
    nd[t].r = tpop_max(nd, nd[t].r);
    return t;
}

/* Insert q unless a staircase point weakly dominates it; returns 1 if
 * inserted, 0 if covered. */
static int staircase_insert(staircase *s, double qx, double qy, const double *ref) {
    tnode *nd = s->nd;
    int L, R;
    tsplit(nd, s->root, qx, &L, &R); /* L: x < qx; R: x >= qx */
    /* only the first point with x >= qx can weakly dominate q */
    int first_r = tmin(nd, R);
    if (first_r >= 0 && nd[first_r].y >= qy) {
        s->root = tmerge(nd, L, R);
        return 0;
    }
    /* q dominates the points left of it with y <= qy (the right end of L)
     * and a point at the same x (its y is below qy, or q would be covered) */
    int nrem = 0;
    for (int t = tmax(nd, L); t >= 0 && nd[t].y <= qy; t = tmax(nd, L)) {
        s->rx[nrem] = nd[t].x;
        s->ry[nrem++] = nd[t].y;
        L = tpop_max(nd, L);
    }
    for (int i = 0, j = nrem - 1; i < j; i++, j--) { /* x ascending */
        double tx = s->rx[i], ty = s->ry[i];
        s->rx[i] = s->rx[j], s->ry[i] = s->ry[j];
        s->rx[j] = tx, s->ry[j] = ty;
    }
    if (first_r >= 0 && nd[first_r].x == qx) {
        s->rx[nrem] = nd[first_r].x;
        s->ry[nrem++] = nd[first_r].y;
        R = tpop_min(nd, R);
    }
    if (ref) {
        /* new area = q's box above the right neighbour and right of the left
         * neighbour, minus what the dominated run already covered there */
        int left = tmax(nd, L), right = tmin(nd, R);
        double xl = left >= 0 ? nd[left].x : ref[0];
        double yf = right >= 0 ? nd[right].y : ref[1];
        double gain = (qx - xl) * (qy - yf), prev = xl;
        for (int t = 0; t < nrem; t++) {
            gain -= (s->rx[t] - prev) * (s->ry[t] - yf);
            prev = s->rx[t];
        }
        s->area += gain;
    }
    int q = s->used++;
    s->seed ^= s->seed << 13, s->seed ^= s->seed >> 17, s->seed ^= s->seed << 5;
    nd[q] = (tnode){qx, qy, -1, -1, s->seed};
    s->root = tmerge(nd, tmerge(nd, L, q), R);
    return 1;
}

/* ---- non-dominated filter ---- */

static int nondominated_2d(const double *pts, int n, int *mask) {
    key2 *k = rs_malloc((size_t)n * sizeof *k);
    if (!k) return -1;
    for (int i = 0; i < n; i++) k[i] = (key2){pts[2 * i], pts[2 * i + 1], i};
    qsort(k, (size_t)n, sizeof *k, cmp_key2_desc);
    /* walk groups of equal x, largest x first; best_y is the best y among
     * strictly larger x. A group keeps only its top-y points (and all their
     * copies), and only if they beat best_y. */
    int count = 0;
    double best_y = -INFINITY;
    int have_best = 0;
    for (int g = 0; g < n;) {
        int e = g;
        while (e < n && k[e].x == k[g].x) e++;
        double top = k[g].y;
        int keep_top = !have_best || top > best_y;
        for (int t = g; t < e; t++) {
            int keep = keep_top && k[t].y == top;
            mask[k[t].i] = keep;
            count += keep;
        }
        if (!have_best || top > best_y) best_y = top;
        have_best = 1;
        g = e;
    }
    free(k);
    return count;
}

/* 3-D: in lexicographic descending order every earlier point that is not an
 * exact copy has x >= p.x and is lexicographically greater, so p is dominated
 * iff an earlier, different point covers its (y, z). Copies are queried as a
 * group before any of them enters the staircase. */
static int nondominated_3d(const double *pts, int n, int *mask) {
    rowref *r = rs_malloc((size_t)n * sizeof *r);
    staircase s;
    if (!r || staircase_init(&s, n) != 0) {
        free(r);
        return -1;
    }
    for (int i = 0; i < n; i++) r[i] = (rowref){pts + (size_t)3 * i, 3, i};
    qsort(r, (size_t)n, sizeof *r, cmp_row_lex_desc);
    int count = 0;
    for (int g = 0; g < n;) {
        int e = g + 1;
        while (e < n && same_point(r[e].p, r[g].p, 3)) e++;
        int keep = staircase_insert(&s, r[g].p[1], r[g].p[2], NULL);
        for (int t = g; t < e; t++) mask[r[t].i] = keep;
        count += keep * (e - g);
        g = e;
    }
    free(r);
    staircase_free(&s);
    return count;
}

/* any d: after a lexicographic descending sort, a dominated point is
 * dominated by a non-dominated point that came earlier, so each point is
 * only compared with the survivors so far. */
static int nondominated_general(const double *pts, int n, int d, int *mask) {
    rowref *r = rs_malloc((size_t)n * sizeof *r);
    int *kept = rs_malloc((size_t)n * sizeof *kept);
    if (!r || !kept) {
        free(r);
        free(kept);
        return -1;
    }
    for (int i = 0; i < n; i++) r[i] = (rowref){pts + (size_t)i * d, d, i};
    qsort(r, (size_t)n, sizeof *r, cmp_row_lex_desc);
    int m = 0;
    for (int s = 0; s < n; s++) {
        int dominated = 0;
        for (int t = 0; t < m && !dominated; t++)
            dominated = rs_pareto_dominates(r[kept[t]].p, r[s].p, d);
        mask[r[s].i] = !dominated;
        if (!dominated) kept[m++] = s;
    }
    free(r);
    free(kept);
    return m;
}

int rs_pareto_nondominated(const double *pts, int n, int d, int *mask) {
    if (check_front("nondominated", pts, n, d)) return -1;
    if (n > 0 && !mask) {
        rs_set_error("nondominated: NULL mask");
        return -1;
    }
    if (n == 0) return 0;
    if (check_values("nondominated", "pts", pts, (size_t)n * d, 0)) return -1;
    if (d == 1) {
        double best = pts[0];
        for (int i = 1; i < n; i++)
            if (pts[i] > best) best = pts[i];
        int count = 0;
        for (int i = 0; i < n; i++) {
            mask[i] = pts[i] == best;
            count += mask[i];
        }
        return count;
    }
    if (d == 2) return nondominated_2d(pts, n, mask);
    if (d == 3) return nondominated_3d(pts, n, mask);
    return nondominated_general(pts, n, d, mask);
}

int rs_pareto_distinct(const double *pts, int n, int d, const int *mask) {
    rowref *r = rs_malloc((size_t)(n > 0 ? n : 1) * sizeof *r);
    if (!r) return -1;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!mask || mask[i]) r[k++] = (rowref){pts + (size_t)i * d, d, i};
    qsort(r, (size_t)k, sizeof *r, cmp_row_lex_desc); /* copies become neighbours */
    int c = 0;
    for (int i = 0; i < k; i++) c += !i || !same_point(r[i].p, r[i - 1].p, d);
    free(r);
    return c;
}

/* Keep the non-dominated rows of p[m*d] in place, one copy of each.
 * Returns the new row count, or -1 (error set). */
static int reduce_front(double *p, int m, int d) {
    if (m <= 1) return m;
    if (d <= 3) {
        /* O(m log m): the sweeps' filter, then one copy of each survivor */
        int *mask = rs_malloc((size_t)m * sizeof *mask);
        rowref *r = rs_malloc((size_t)m * sizeof *r);
        double *tmp = rs_malloc((size_t)m * d * sizeof *tmp);
        int c = mask && r && tmp ? rs_pareto_nondominated(p, m, d, mask) : -1;
        int out = 0;
        if (c >= 0) {
            int k = 0;
            for (int i = 0; i < m; i++)
                if (mask[i]) r[k++] = (rowref){p + (size_t)i * d, d, i};
            qsort(r, (size_t)k, sizeof *r, cmp_row_lex_desc);
            for (int i = 0; i < k; i++)
                if (!out || !same_point(tmp + (size_t)(out - 1) * d, r[i].p, d))
                    memcpy(tmp + (size_t)out++ * d, r[i].p, (size_t)d * sizeof *tmp);
            memcpy(p, tmp, (size_t)out * d * sizeof *p);
        }
        free(mask);
        free(r);
        free(tmp);
        return c < 0 ? -1 : out;
    }
    rowref *r = rs_malloc((size_t)m * sizeof *r);
    int *kept = rs_malloc((size_t)m * sizeof *kept);
    double *tmp = rs_malloc((size_t)m * d * sizeof *tmp);
    if (!r || !kept || !tmp) {
        free(r);
        free(kept);
        free(tmp);
        return -1;
    }
    for (int i = 0; i < m; i++) r[i] = (rowref){p + (size_t)i * d, d, i};
    qsort(r, (size_t)m, sizeof *r, cmp_row_lex_desc);
    int out = 0;
    for (int s = 0; s < m; s++) {
        int covered = 0; /* weakly dominated: drops copies too */
        for (int t = 0; t < out && !covered; t++) covered = weakly_dominates(r[kept[t]].p, r[s].p, d);
        if (!covered) kept[out++] = s;
    }
    for (int t = 0; t < out; t++) memcpy(tmp + (size_t)t * d, r[kept[t]].p, (size_t)d * sizeof *tmp);
    memcpy(p, tmp, (size_t)out * d * sizeof *p);
    free(r);
    free(kept);
    free(tmp);
    return out;
}

/* ---- hypervolume ----
 * The helpers below see only points strictly better than ref everywhere. */

static double box_volume(const double *p, const double *ref, int d) {
    double v = 1.0;
    for (int j = 0; j < d; j++) v *= p[j] - ref[j];
    return v;
}

/* 2-D: largest x first; each point adds the strip above the best y so far */
static int hv_2d(const double *p, int m, const double *ref, double *out) {
    key2 *k = rs_malloc((size_t)m * sizeof *k);
    if (!k) return -1;
    for (int i = 0; i < m; i++) k[i] = (key2){p[2 * i], p[2 * i + 1], i};
    qsort(k, (size_t)m, sizeof *k, cmp_key2_desc);
    double area = 0.0, ytop = ref[1];
    for (int i = 0; i < m; i++) {
        if (k[i].y > ytop) {
            area += (k[i].x - ref[0]) * (k[i].y - ytop);
            ytop = k[i].y;
        }
    }
    free(k);
    *out = area;
    return 0;
}

/* 3-D: slabs between consecutive z, largest z first; each slab's cross-section
 * is the staircase of the points at or above it */
static int hv_3d(const double *p, int m, const double *ref, double *out) {
    key2 *k = rs_malloc((size_t)m * sizeof *k);
    staircase s;
    if (!k || staircase_init(&s, m) != 0) {
        free(k);
        return -1;
    }
    for (int i = 0; i < m; i++) k[i] = (key2){p[3 * i + 2], 0.0, i};
    qsort(k, (size_t)m, sizeof *k, cmp_key2_desc);
    double vol = 0.0;
    for (int i = 0; i < m; i++) {
        const double *q = p + (size_t)3 * k[i].i;
        staircase_insert(&s, q[0], q[1], ref);
        double znext = i + 1 < m ? k[i + 1].x : ref[2];
        vol += s.area * (q[2] - znext);
    }
    free(k);
    staircase_free(&s);
    *out = vol;
    return 0;
}

static int hv_run(double *p, int m, int d, const double *ref, double *out);

/* d >= 4, WFG: with the points in ascending order of the last objective, the
 * part of point k's box not covered by the later points is its box minus the
 * boxes of min(q, p_k) over later q. Those all reach exactly p_k's last
 * coordinate, so the covered part is a (d-1)-volume times that height. */
static int hv_wfg(double *p, int m, int d, const double *ref, double *out) {
    key2 *k = rs_malloc((size_t)m * sizeof *k);
    double *sorted = rs_malloc((size_t)m * d * sizeof *sorted);
    double *lim = rs_malloc((size_t)m * (d - 1) * sizeof *lim);
    if (!k || !sorted || !lim) {
        free(k);
        free(sorted);
        free(lim);
        return -1;
    }
    for (int i = 0; i < m; i++) k[i] = (key2){-p[(size_t)i * d + d - 1], 0.0, i};
    qsort(k, (size_t)m, sizeof *k, cmp_key2_desc); /* descending -z = ascending z */
    for (int i = 0; i < m; i++)
        memcpy(sorted + (size_t)i * d, p + (size_t)k[i].i * d, (size_t)d * sizeof *sorted);

    const int e = d - 1;
    double total = 0.0;
    int rc = 0;
    for (int i = 0; i < m && rc == 0; i++) {
        const double *pi = sorted + (size_t)i * d;
        int nl = 0;
        for (int q = i + 1; q < m; q++) {
            const double *pq = sorted + (size_t)q * d;
            double *l = lim + (size_t)nl * e;
            for (int j = 0; j < e; j++) l[j] = pq[j] < pi[j] ? pq[j] : pi[j];
            nl++;
        }
        nl = reduce_front(lim, nl, e);
        if (nl < 0) {
            rc = -1;
            break;
        }
        double covered = 0.0;
        rc = hv_run(lim, nl, e, ref, &covered);
        double excl = box_volume(pi, ref, e) - covered;
        if (excl > 0.0) total += (pi[e] - ref[e]) * excl;
    }
    free(k);
    free(sorted);
    free(lim);
    *out = total;
    return rc;
}

static int hv_run(double *p, int m, int d, const double *ref, double *out) {
    if (m == 0) {
        *out = 0.0;
        return 0;
    }
    if (m == 1) {
        *out = box_volume(p, ref, d);
        return 0;
    }
    if (d == 1) {
        double best = p[0];
        for (int i = 1; i < m; i++)
            if (p[i] > best) best = p[i];
        *out = best - ref[0];
        return 0;
    }
    if (d == 2) return hv_2d(p, m, ref, out);
    if (d == 3) return hv_3d(p, m, ref, out);
    return hv_wfg(p, m, d, ref, out);
}

double rs_hv(const double *pts, int n, int d, const double *ref) {
    if (check_front("hypervolume", pts, n, d)) return -1.0;
    if (!ref) {
        rs_set_error("hypervolume: NULL reference point");
        return -1.0;
    }
    if (check_values("hypervolume", "ref", ref, (size_t)d, 1)) return -1.0;
    if (n > 0 && check_values("hypervolume", "pts", pts, (size_t)n * d, 1)) return -1.0;
    if (n == 0) return 0.0;

    double *p = rs_malloc((size_t)n * d * sizeof *p);
    if (!p) return -1.0;
    int m = 0;
    for (int i = 0; i < n; i++) {
        const double *q = pts + (size_t)i * d;
        int inside = 1;
        for (int j = 0; j < d && inside; j++) inside = q[j] > ref[j];
        if (inside) memcpy(p + (size_t)m++ * d, q, (size_t)d * sizeof *p);
    }
    if (d >= 4) m = reduce_front(p, m, d); /* the sweeps skip covered points themselves */
    double vol = 0.0;
    int rc = m < 0 ? -1 : hv_run(p, m, d, ref, &vol);
    free(p);
    return rc ? -1.0 : vol;
}

/* ---- expected utility ---- */

double rs_eum(const double *pts, int n, int d, const double *weights, int n_weights) {
    if (check_front("expected utility", pts, n, d)) return NAN;
    if (n < 1 || n_weights < 1 || !weights) {
        rs_set_error("expected utility: need n >= 1 points and n_weights >= 1 weights "
                     "(got %d, %d%s)", n, n_weights, weights ? "" : ", NULL weights");
        return NAN;
    }
    if (check_values("expected utility", "pts", pts, (size_t)n * d, 1)) return NAN;
    if (check_values("expected utility", "weights", weights, (size_t)n_weights * d, 1)) return NAN;
    double sum = 0.0;
    for (int w = 0; w < n_weights; w++) {
        const double *wv = weights + (size_t)w * d;
        double best = -INFINITY;
        for (int i = 0; i < n; i++) {
            const double *p = pts + (size_t)i * d;
            double u = 0.0;
            for (int j = 0; j < d; j++) u += wv[j] * p[j];
            if (u > best) best = u;
        }
        sum += best;
    }
    return sum / n_weights;
}

double rs_eum_uniform(const double *pts, int n, int d, int k) {
    if (check_front("expected utility", pts, n, d)) return NAN;
    int nw = 0;
    double *w = rs_lattice_new(d, k, &nw);
    if (!w) return NAN;
    double u = rs_eum(pts, n, d, w, nw);
    rs_lattice_free(w);
    return u;
}

/* ---- sparsity ---- */

static int cmp_double(const void *pa, const void *pb) {
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

double rs_sparsity(const double *pts, int n, int d) {
    if (check_front("sparsity", pts, n, d)) return -1.0;
    if (n > 0 && check_values("sparsity", "pts", pts, (size_t)n * d, 1)) return -1.0;
    if (n < 2) return 0.0;
    double *p = rs_malloc((size_t)n * d * sizeof *p);
    double *col = rs_malloc((size_t)n * sizeof *col);
    if (!p || !col) {
        free(p);
        free(col);
        return -1.0;
    }
    memcpy(p, pts, (size_t)n * d * sizeof *p);
    int m = reduce_front(p, n, d);
    double s = 0.0;
    if (m >= 2) {
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < m; i++) col[i] = p[(size_t)i * d + j];
            qsort(col, (size_t)m, sizeof *col, cmp_double);
            for (int i = 1; i < m; i++) s += (col[i] - col[i - 1]) * (col[i] - col[i - 1]);
        }
        s /= m - 1;
    }
    free(p);
    free(col);
    return m < 0 ? -1.0 : s;
}

/* ---- reference point ---- */

int rs_pareto_default_ref(const double *pts, int n, int d, double margin_frac, double *ref) {
    if (check_front("default reference", pts, n, d)) return -1;
    if (n < 1 || !ref || !(margin_frac >= 0.0) || !isfinite(margin_frac)) {
        rs_set_error("default reference: need n >= 1, a ref buffer and a finite "
                     "margin_frac >= 0 (got n=%d, margin_frac=%g)", n, margin_frac);
        return -1;
    }
    if (check_values("default reference", "pts", pts, (size_t)n * d, 1)) return -1;
    for (int j = 0; j < d; j++) {
        double lo = pts[j], hi = pts[j];
        for (int i = 1; i < n; i++) {
            double v = pts[(size_t)i * d + j];
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        double span = hi > lo ? hi - lo : fmax(1.0, fabs(lo));
        ref[j] = lo - margin_frac * span;
    }
    return 0;
}
