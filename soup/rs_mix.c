/* rs_mix.c — the linear mixing kernel (every soup's arithmetic) and the
 * allocation-free mixer of policies built on it. */
#include "rs_mix.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"

/* ---- the kernel ---- */

/* "(0.7, 0.3)" — for messages; truncated with "..." if long */
static const char *fmt_values(char *buf, size_t cap, const double *v, int n) {
    size_t k = 0;
    k += (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < n && k + 32 < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%.10g", i ? ", " : "", v[i]);
    if (k + 32 >= cap)
        snprintf(buf + k, cap - k, ", ...)");
    else
        snprintf(buf + k, cap - k, ")");
    return buf;
}

int rs_mix_check_lambda(const double *lambda, int n) {
    char buf[512];
    if (n < 1 || !lambda) {
        rs_set_error("lambda: need at least one weight (got %d)", n);
        return -1;
    }
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(lambda[i]) || lambda[i] < 0) {
            rs_set_error("lambda %s: weight %d is %s", fmt_values(buf, sizeof buf, lambda, n), i,
                         isfinite(lambda[i]) ? "negative" : "not finite");
            return -1;
        }
        sum += lambda[i];
    }
    if (!(fabs(sum - 1.0) <= RS_MIX_LAMBDA_TOL)) {
        rs_set_error("lambda %s sums to %.10g, not 1 (tolerance %g)",
                     fmt_values(buf, sizeof buf, lambda, n), sum, RS_MIX_LAMBDA_TOL);
        return -1;
    }
    return 0;
}

int rs_mix_weights(const double *lambda, int n, double *w) {
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += lambda[i];
    int m = 0;
    for (int i = 0; i < n; i++) {
        w[i] = sum == 1.0 ? lambda[i] : lambda[i] / sum;
        m += lambda[i] != 0.0;
    }
    return m;
}

/* the first expert in use; *alone when it is the only one, weight 1 */
static int first_in_use(const double *w, int n, int *alone) {
    int first = 0, m = 0;
    while (first < n - 1 && w[first] == 0.0)
        first++;
    for (int i = first; i < n; i++)
        m += w[i] != 0.0;
    *alone = m == 1 && w[first] == 1.0;
    return first;
}

/* x[j] of an F32 or F64 array, in double (exact either way) */
static inline double load(const void *x, int f32, size_t j) {
    return f32 ? (double)((const float *)x)[j] : ((const double *)x)[j];
}

/* the loop, written once; rs_mix calls it with f32 a constant, so the
 * compiler makes one copy per dtype with no test of it inside */
static inline void mix_loop(void *dst, const void *const *src, const int f32, const double *w,
                            int n, int k, size_t len) {
    for (size_t j = 0; j < len; j++) {
        double acc = w[k] * load(src[k], f32, j);
        for (int i = k + 1; i < n; i++)
            if (w[i] != 0.0) acc += w[i] * load(src[i], f32, j);
        if (f32)
            ((float *)dst)[j] = (float)acc;
        else
            ((double *)dst)[j] = acc;
    }
}

void rs_mix(void *dst, const void *const *src, rs_dtype dtype, const double *w, int n,
            size_t len) {
    const int f32 = dtype == RS_DT_F32;
    int alone, k = first_in_use(w, n, &alone);
    if (alone)
        memcpy(dst, src[k], (f32 ? sizeof(float) : sizeof(double)) * len);
    else if (f32)
        mix_loop(dst, src, 1, w, n, k, len);
    else
        mix_loop(dst, src, 0, w, n, k, len);
}

/* ---- policies ---- */

static int same_shape(const rs_policy *a, const rs_policy *b) {
    return a->algo == b->algo && a->obs_dim == b->obs_dim && a->act_dim == b->act_dim &&
           rs_mlp_same_shape(a->pi, b->pi) && (!a->log_std) == (!b->log_std);
}

rs_mixer *rs_mixer_new(rs_policy *const *experts, int n) {
    if (n < 1 || !experts) {
        rs_set_error("mixer: no experts");
        return NULL;
    }
    for (int i = 1; i < n; i++)
        if (!same_shape(experts[0], experts[i])) {
            rs_set_error("expert %d: its policy has another shape than expert 0's", i);
            return NULL;
        }
    const rs_policy *p0 = experts[0];
    rs_mixer *mx = rs_calloc(1, sizeof *mx);
    if (!mx) return NULL;
    mx->n = n;
    mx->numel = p0->pi->n_params + (p0->log_std ? (size_t)p0->act_dim : 0) +
                2 * (size_t)p0->obs_dim + 1;
    /* two allocations with named pointers into them: the doubles, the arrays */
    mx->lambda = rs_calloc(2 * (size_t)n, sizeof *mx->lambda);
    mx->params = rs_calloc(5 * (size_t)n, sizeof *mx->params);
    mx->live = rs_policy_clone(p0);
    if (!mx->lambda || !mx->params || !mx->live) {
        rs_mixer_free(mx);
        return NULL;
    }
    mx->w = mx->lambda + n;
    mx->log_std = mx->params + n;
    mx->mean = mx->params + 2 * n;
    mx->var = mx->params + 3 * n;
    mx->count = mx->params + 4 * n;
    for (int i = 0; i < n; i++) {
        const rs_policy *p = experts[i];
        mx->params[i] = p->pi->params;
        mx->log_std[i] = p->log_std;
        mx->mean[i] = p->norm->mean;
        mx->var[i] = p->norm->var;
        mx->count[i] = &p->norm->count;
    }
    mx->lambda[0] = 1.0;
    return mx;
}

void rs_mixer_free(rs_mixer *mx) {
    if (!mx) return;
    free(mx->lambda); /* and w */
    free(mx->params); /* and the other arrays */
    rs_policy_free(mx->live);
    free(mx);
}

int rs_mixer_set(rs_mixer *mx, const double *lambda) {
    if (rs_mix_check_lambda(lambda, mx->n) < 0) return -1;
    rs_mix_weights(lambda, mx->n, mx->w);
    rs_policy *p = mx->live;
    const int n = mx->n;
    const double *w = mx->w;
    rs_mix(p->pi->params, mx->params, RS_DT_F32, w, n, p->pi->n_params);
    if (p->log_std) rs_mix(p->log_std, mx->log_std, RS_DT_F32, w, n, (size_t)p->act_dim);
    rs_mix(p->norm->mean, mx->mean, RS_DT_F64, w, n, (size_t)p->obs_dim);
    rs_mix(p->norm->var, mx->var, RS_DT_F64, w, n, (size_t)p->obs_dim);
    rs_mix(&p->norm->count, mx->count, RS_DT_F64, w, n, 1);
    memcpy(mx->lambda, lambda, sizeof *mx->lambda * (size_t)n);
    return 0;
}
