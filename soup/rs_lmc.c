/* rs_lmc.c — the LMC path metrics and the barrier verdict. */
#include "rs_lmc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"

void rs_lmc_compute(const double *lambda, const double *R, int n, rs_lmc *out) {
    memset(out, 0, sizeof *out);
    out->barrier_lambda = out->max_gain_lambda = NAN;
    out->se = out->z = out->scale = out->tolerance = NAN;
    if (n < 2) return;
    double l0 = lambda[0], l1 = lambda[n - 1];
    double r0 = R[0], r1 = R[n - 1];
    double span = l1 - l0 != 0 ? l1 - l0 : 1;
    double prev_gap = 0;
    for (int k = 0; k < n; k++) {
        double u = (lambda[k] - l0) / span;
        double line = (1 - u) * r0 + u * r1;
        double gap = R[k] - line;
        if (-gap > out->barrier) {
            out->barrier = -gap;
            out->barrier_lambda = lambda[k];
        }
        if (gap > out->max_gain) {
            out->max_gain = gap;
            out->max_gain_lambda = lambda[k];
        }
        if (k > 0) out->area += 0.5 * (gap + prev_gap) * (lambda[k] - lambda[k - 1]);
        prev_gap = gap;
    }
}

void rs_lmc_judge_scale(rs_lmc *m, double scale, double se, double rel_tol) {
    m->scale = scale;
    m->tolerance = rel_tol * m->scale;
    m->se = se;
    if (!(m->barrier > 0))
        m->z = 0;
    else if (se > 0)
        m->z = m->barrier / se;
    else
        m->z = se == 0 ? INFINITY : NAN;
    m->is_barrier = m->z > RS_LMC_Z && m->barrier > m->tolerance;
}

void rs_lmc_judge(rs_lmc *m, double r0, double r1, double se, double rel_tol) {
    double mag = fmax(fabs(r0), fabs(r1));
    rs_lmc_judge_scale(m, fmax(fabs(r0 - r1), 0.1 * mag), se, rel_tol);
}

/* the standard error of the mean of row r on objective obj */
static double row_se(const rs_front *f, int r, int obj) {
    return f->std[(size_t)r * f->n_obj + obj] / sqrt(f->episodes[r] > 0 ? f->episodes[r] : 1);
}

/* 1 when every weight of row r but those of experts a and b is zero */
static int on_edge(const rs_front *f, int r, int a, int b) {
    for (int i = 0; i < f->n_experts; i++)
        if (i != a && i != b &&
            !(fabs(f->lambda[(size_t)r * f->n_experts + i]) <= RS_FRONT_LAMBDA_TOL))
            return 0;
    return 1;
}

int rs_lmc_edge_of_front(const rs_front *f, int a, int b, int obj, double rel_tol, rs_lmc *out,
                         double *lambda, double *R, int *n_path) {
    const int K = f->n_experts;
    if (f->plain || K < 2 || a < 0 || b < 0 || a >= K || b >= K || a == b) {
        rs_set_error("no edge %d-%d in a front of %d experts", a, b, f->plain ? 0 : K);
        return -1;
    }
    if (obj < 0 || obj >= f->n_obj) {
        rs_set_error("no objective %d", obj);
        return -1;
    }
    int *rows = malloc(sizeof(int) * (size_t)(f->n ? f->n : 1));
    double *L = lambda ? lambda : malloc(sizeof(double) * (size_t)(f->n ? f->n : 1));
    double *V = R ? R : malloc(sizeof(double) * (size_t)(f->n ? f->n : 1));
    int rc = -1;
    if (!rows || !L || !V) {
        rs_set_error("out of memory");
        goto out;
    }
    int n = rs_front_select(f, RS_KIND_BIT(RS_KIND_SOUP), rows), m = 0;
    for (int i = 0; i < n; i++)
        if (on_edge(f, rows[i], a, b)) rows[m++] = rows[i];
    n = m;
#define LB(r) f->lambda[(size_t)(r)*K + b]
    for (int i = 1; i < n; i++) /* insertion sort by λ_b */
        for (int j = i; j > 0 && LB(rows[j]) < LB(rows[j - 1]); j--) {
            int t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
        }
    if (n < 3 || LB(rows[0]) != 0.0 || LB(rows[n - 1]) != 1.0) {
        if (K == 2)
            rs_set_error("need soup rows from λ = 0 to λ = 1 (found %d)", n);
        else
            rs_set_error(
                "edge %d-%d: need soup rows from λ_%d = 0 to 1 with only experts %d and %d "
                "weighted (found %d)",
                a, b, b, a, b, n);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        L[i] = LB(rows[i]);
        V[i] = f->obj[(size_t)rows[i] * f->n_obj + obj];
    }
#undef LB
    rs_lmc_compute(L, V, n, out);
    double se = NAN;
    for (int i = 0; i < n; i++)
        if (L[i] == out->barrier_lambda) se = row_se(f, rows[i], obj);
    rs_lmc_judge(out, V[0], V[n - 1], se, rel_tol);
    if (n_path) *n_path = n;
    rc = 0;
out:
    free(rows);
    if (L != lambda) free(L);
    if (V != R) free(V);
    return rc;
}

int rs_lmc_of_front(const rs_front *f, int obj, double rel_tol, rs_lmc *out, double *lambda,
                    double *R, int *n_path) {
    if (f->plain || f->n_experts != 2) {
        rs_set_error("not a 2-expert front from 'rsoup front'");
        return -1;
    }
    return rs_lmc_edge_of_front(f, 0, 1, obj, rel_tol, out, lambda, R, n_path);
}

/* the soup row at vertex i (λ_i = 1, every other weight 0), or -1 */
static int vertex_row(const rs_front *f, int i) {
    const int K = f->n_experts;
    for (int r = 0; r < f->n; r++) {
        if (f->kind[r] != RS_KIND_SOUP) continue;
        int ok = 1;
        for (int j = 0; j < K && ok; j++)
            ok = fabs(f->lambda[(size_t)r * K + j] - (j == i)) <= RS_FRONT_LAMBDA_TOL;
        if (ok) return r;
    }
    return -1;
}

int rs_lmc_plane_of_front(const rs_front *f, int obj, double rel_tol, rs_lmc *out, int *barrier_row,
                          int *gain_row, int *n_interior) {
    const int K = f->n_experts;
    if (f->plain || K < 3) {
        rs_set_error("the experts' plane needs a front of 3 or more experts (this one has %d)",
                     f->plain ? 0 : K);
        return -1;
    }
    if (obj < 0 || obj >= f->n_obj) {
        rs_set_error("no objective %d", obj);
        return -1;
    }
    double *Re = malloc(sizeof(double) * (size_t)K);
    if (!Re) {
        rs_set_error("out of memory");
        return -1;
    }
    double hi = -INFINITY, lo = INFINITY, mag = 0;
    for (int i = 0; i < K; i++) {
        int r = vertex_row(f, i);
        if (r < 0) {
            rs_set_error("no soup row at expert %d's vertex (λ_%d = 1)", i, i);
            free(Re);
            return -1;
        }
        Re[i] = f->obj[(size_t)r * f->n_obj + obj];
        hi = fmax(hi, Re[i]);
        lo = fmin(lo, Re[i]);
        mag = fmax(mag, fabs(Re[i]));
    }
    memset(out, 0, sizeof *out);
    out->barrier_lambda = out->max_gain_lambda = NAN;
    int br = -1, gr = -1, m = 0;
    double sum = 0;
    for (int r = 0; r < f->n; r++) {
        if (f->kind[r] != RS_KIND_SOUP) continue;
        const double *l = f->lambda + (size_t)r * K;
        int nz = 0;
        double plane = 0;
        for (int i = 0; i < K; i++) {
            nz += !(fabs(l[i]) <= RS_FRONT_LAMBDA_TOL);
            plane += l[i] * Re[i];
        }
        if (nz < 3) continue;
        double gap = f->obj[(size_t)r * f->n_obj + obj] - plane;
        if (-gap > out->barrier) out->barrier = -gap, br = r;
        if (gap > out->max_gain) out->max_gain = gap, gr = r;
        sum += gap;
        m++;
    }
    out->area = m ? sum / m : 0;
    rs_lmc_judge_scale(out, fmax(hi - lo, 0.1 * mag), br >= 0 ? row_se(f, br, obj) : NAN, rel_tol);
    free(Re);
    if (barrier_row) *barrier_row = br;
    if (gain_row) *gain_row = gr;
    if (n_interior) *n_interior = m;
    return 0;
}

void rs_lmc_simplex_free(rs_lmc_simplex *s) {
    if (!s) return;
    free(s->edge_a);
    free(s->edge_b);
    free(s->edge);
    free(s->plane);
    free(s->plane_row);
    free(s);
}

rs_lmc_simplex *rs_lmc_simplex_new(const rs_front *f, double rel_tol) {
    const int K = f->plain ? 0 : f->n_experts, d = f->n_obj;
    if (K < 2) {
        rs_set_error("not a front of 2 or more experts from 'rsoup front'");
        return NULL;
    }
    if (K > RS_LMC_MAX_EXPERTS) {
        rs_set_error("a front of %d experts: at most %d are judged (%d edges)", K, RS_LMC_MAX_EXPERTS,
                     RS_LMC_MAX_EXPERTS * (RS_LMC_MAX_EXPERTS - 1) / 2);
        return NULL;
    }
    rs_lmc_simplex *s = calloc(1, sizeof *s);
    const int E = K * (K - 1) / 2;
    if (s) {
        s->edge_a = malloc(sizeof(int) * (size_t)E);
        s->edge_b = malloc(sizeof(int) * (size_t)E);
        s->edge = calloc((size_t)E * (size_t)d, sizeof *s->edge);
        s->plane = calloc((size_t)d, sizeof *s->plane);
        s->plane_row = malloc(sizeof(int) * (size_t)d);
    }
    if (!s || !s->edge_a || !s->edge_b || !s->edge || !s->plane || !s->plane_row) {
        rs_lmc_simplex_free(s);
        rs_set_error("out of memory");
        return NULL;
    }
    s->n_experts = K, s->n_obj = d, s->n_edges = E, s->h1 = 1;
    int e = 0;
    for (int a = 0; a < K; a++)
        for (int b = a + 1; b < K; b++, e++) {
            s->edge_a[e] = a, s->edge_b[e] = b;
            for (int k = 0; k < d; k++) {
                rs_lmc *m = &s->edge[(size_t)e * d + k];
                if (rs_lmc_edge_of_front(f, a, b, k, rel_tol, m, NULL, NULL, NULL) != 0) {
                    rs_lmc_simplex_free(s);
                    return NULL;
                }
                s->h1 &= !m->is_barrier;
            }
        }
    for (int k = 0; k < d; k++) {
        s->plane_row[k] = -1;
        if (K < 3) continue;
        int ni = 0;
        if (rs_lmc_plane_of_front(f, k, rel_tol, &s->plane[k], &s->plane_row[k], NULL, &ni) != 0) {
            rs_lmc_simplex_free(s);
            return NULL;
        }
        s->n_interior = ni;
        s->has_plane = ni > 0;
        s->h1 &= !s->plane[k].is_barrier;
    }
    return s;
}

int rs_lmc_simplex_first_barrier(const rs_lmc_simplex *s, int *edge, int *obj) {
    for (int e = 0; e < s->n_edges; e++)
        for (int k = 0; k < s->n_obj; k++)
            if (s->edge[(size_t)e * s->n_obj + k].is_barrier) {
                *edge = e, *obj = k;
                return 1;
            }
    for (int k = 0; s->has_plane && k < s->n_obj; k++)
        if (s->plane[k].is_barrier) {
            *edge = -1, *obj = k;
            return 1;
        }
    return 0;
}

int rs_lmc_exceeds_floor(const rs_lmc *pair, const rs_lmc *floor) {
    double sp = isfinite(pair->se) ? pair->se : 0, sf = isfinite(floor->se) ? floor->se : 0;
    return pair->barrier - floor->barrier > RS_LMC_Z * sqrt(sp * sp + sf * sf);
}
