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

void rs_lmc_judge(rs_lmc *m, double r0, double r1, double se, double rel_tol) {
    double mag = fmax(fabs(r0), fabs(r1));
    m->scale = fmax(fabs(r0 - r1), 0.1 * mag);
    m->tolerance = rel_tol * m->scale;
    m->se = se;
    if (!(m->barrier > 0)) m->z = 0;
    else if (se > 0) m->z = m->barrier / se;
    else m->z = se == 0 ? INFINITY : NAN;
    m->is_barrier = m->z > RS_LMC_Z && m->barrier > m->tolerance;
}

int rs_lmc_of_front(const rs_front *f, int obj, double rel_tol, rs_lmc *out, double *lambda,
                    double *R, int *n_path) {
    if (f->plain || f->n_experts != 2) {
        rs_set_error("not a 2-expert front from 'rsoup front'");
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
    int n = rs_front_select(f, RS_KIND_BIT(RS_KIND_SOUP), rows);
    for (int i = 1; i < n; i++) /* insertion sort by λ of the second expert */
        for (int j = i; j > 0 && f->lambda[rows[j] * 2 + 1] < f->lambda[rows[j - 1] * 2 + 1]; j--) {
            int t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
        }
    if (n < 3 || f->lambda[rows[0] * 2 + 1] != 0.0 || f->lambda[rows[n - 1] * 2 + 1] != 1.0) {
        rs_set_error("need soup rows from λ = 0 to λ = 1 (found %d)", n);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        L[i] = f->lambda[rows[i] * 2 + 1];
        V[i] = f->obj[(size_t)rows[i] * f->n_obj + obj];
    }
    rs_lmc_compute(L, V, n, out);
    double se = NAN;
    for (int i = 0; i < n; i++)
        if (L[i] == out->barrier_lambda) {
            int r = rows[i];
            se = f->std[(size_t)r * f->n_obj + obj] / sqrt(f->episodes[r] > 0 ? f->episodes[r] : 1);
        }
    rs_lmc_judge(out, V[0], V[n - 1], se, rel_tol);
    if (n_path) *n_path = n;
    rc = 0;
out:
    free(rows);
    if (L != lambda) free(L);
    if (V != R) free(V);
    return rc;
}

int rs_lmc_exceeds_floor(const rs_lmc *pair, const rs_lmc *floor) {
    double sp = isfinite(pair->se) ? pair->se : 0, sf = isfinite(floor->se) ? floor->se : 0;
    return pair->barrier - floor->barrier > RS_LMC_Z * sqrt(sp * sp + sf * sf);
}
