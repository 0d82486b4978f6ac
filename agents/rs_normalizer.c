/* rs_normalizer.c — RunningMeanStd for observations and returns. */
#include "rs_normalizer.h"

#include <math.h>
#include <stdlib.h>

#include "rs_common.h"

/* Chan et al.'s pairwise combination of (mean, var, count) moments, written as
 * gym's update_mean_var_count_from_moments so the numbers match it. The
 * caller adds cb to the count afterwards (it is shared by every dimension). */
static void combine(double *mean, double *var, double ca, double bmean, double bvar, double cb) {
    double tot = ca + cb;
    double delta = bmean - *mean;
    double m2 = *var * ca + bvar * cb + delta * delta * ca * cb / tot;
    *mean += delta * cb / tot;
    *var = m2 / tot;
}

/* ---- observation normaliser ---- */

rs_normalizer *rs_normalizer_new(int dim, float clip) {
    if (dim <= 0) {
        rs_set_error("normalizer: dimension %d", dim);
        return NULL;
    }
    rs_normalizer *n = rs_calloc(1, sizeof *n);
    if (!n) return NULL;
    n->mean = rs_calloc(2 * (size_t)dim, sizeof(double));
    if (!n->mean) {
        free(n);
        return NULL;
    }
    n->var = n->mean + dim;
    n->dim = dim;
    n->clip = clip;
    rs_normalizer_reset(n);
    return n;
}

void rs_normalizer_free(rs_normalizer *n) {
    if (!n) return;
    free(n->mean);
    free(n);
}

void rs_normalizer_reset(rs_normalizer *n) {
    for (int d = 0; d < n->dim; d++) {
        n->mean[d] = 0.0;
        n->var[d] = 1.0;
    }
    n->count = RS_NORM_INIT_COUNT;
}

void rs_normalizer_update(rs_normalizer *n, const float *x, int B) {
    if (B <= 0) return;
    int D = n->dim;
    /* two passes per dimension: batch mean, then batch variance about it,
     * which stays accurate when |mean| >> std (positions, heights) */
    for (int d = 0; d < D; d++) {
        double s = 0.0;
        for (int r = 0; r < B; r++) s += x[(size_t)r * D + d];
        double bmean = s / B;
        double ss = 0.0;
        for (int r = 0; r < B; r++) {
            double e = x[(size_t)r * D + d] - bmean;
            ss += e * e;
        }
        combine(&n->mean[d], &n->var[d], n->count, bmean, ss / B, (double)B);
    }
    n->count += B;
}

void rs_normalizer_apply(const rs_normalizer *n, const float *x, float *out, int B) {
    int D = n->dim;
    double c = n->clip;
    for (int r = 0; r < B; r++) {
        const float *xr = x + (size_t)r * D;
        float *yr = out + (size_t)r * D;
        for (int d = 0; d < D; d++) {
            double y = (xr[d] - n->mean[d]) / sqrt(n->var[d] + RS_NORM_EPS);
            if (c > 0.0) y = y < -c ? -c : (y > c ? c : y);
            yr[d] = (float)y;
        }
    }
}

int rs_normalizer_merge(rs_normalizer *dst, const double *mean, const double *var, double count) {
    if (!(count >= 0.0) || !isfinite(count)) {
        rs_set_error("normalizer merge: bad count %g", count);
        return -1;
    }
    if (!mean || !var) {
        rs_set_error("normalizer merge: missing statistics");
        return -1;
    }
    if (count == 0.0) return 0;
    for (int d = 0; d < dst->dim; d++)
        combine(&dst->mean[d], &dst->var[d], dst->count, mean[d], var[d], count);
    dst->count += count;
    return 0;
}

/* ---- scalar running statistics ---- */

void rs_running_scalar_init(rs_running_scalar *s) {
    s->mean = 0.0;
    s->var = 1.0;
    s->count = RS_NORM_INIT_COUNT;
}

void rs_running_scalar_update(rs_running_scalar *s, const double *x, int n) {
    if (n <= 0) return;
    double sum = 0.0;
    for (int i = 0; i < n; i++) sum += x[i];
    double bmean = sum / n;
    double ss = 0.0;
    for (int i = 0; i < n; i++) ss += (x[i] - bmean) * (x[i] - bmean);
    combine(&s->mean, &s->var, s->count, bmean, ss / n, (double)n);
    s->count += n;
}

void rs_running_scalar_merge(rs_running_scalar *s, double mean, double var, double count) {
    if (!(count > 0.0)) return;
    combine(&s->mean, &s->var, s->count, mean, var, count);
    s->count += count;
}

/* ---- return scaler ---- */

rs_return_scaler *rs_return_scaler_new(int n_envs, double gamma, float clip) {
    if (n_envs <= 0) {
        rs_set_error("return scaler: %d envs", n_envs);
        return NULL;
    }
    rs_return_scaler *s = rs_calloc(1, sizeof *s);
    if (!s) return NULL;
    s->ret = rs_calloc((size_t)n_envs, sizeof(double));
    if (!s->ret) {
        free(s);
        return NULL;
    }
    s->n_envs = n_envs;
    s->gamma = gamma;
    s->clip = clip;
    rs_running_scalar_init(&s->rms);
    return s;
}

void rs_return_scaler_free(rs_return_scaler *s) {
    if (!s) return;
    free(s->ret);
    free(s);
}

void rs_return_scaler_update(rs_return_scaler *s, const float *rewards, const int *dones,
                             float *scaled) {
    int n = s->n_envs;
    for (int i = 0; i < n; i++) s->ret[i] = s->ret[i] * s->gamma + rewards[i];
    rs_running_scalar_update(&s->rms, s->ret, n);
    double inv = 1.0 / sqrt(s->rms.var + RS_NORM_EPS);
    double c = s->clip;
    for (int i = 0; i < n; i++) {
        double y = rewards[i] * inv;
        if (c > 0.0) y = y < -c ? -c : (y > c ? c : y);
        scaled[i] = (float)y;
        /* reset after the update, as gym 0.23: the terminal step's return
         * still counts toward the statistics */
        if (dones[i]) s->ret[i] = 0.0;
    }
}
