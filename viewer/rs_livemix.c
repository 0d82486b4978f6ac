/* rs_livemix.c — allocation-free re-mixing of expert weights into a live
 * policy (same arithmetic as rs_soup_mix). */
#include "rs_livemix.h"

#include <stdlib.h>
#include <string.h>

#include "rs_soup.h"

static int same_shape(const rs_policy *a, const rs_policy *b) {
    return a->algo == b->algo && a->obs_dim == b->obs_dim && a->act_dim == b->act_dim &&
           rs_mlp_same_shape(a->pi, b->pi) && (!a->log_std) == (!b->log_std);
}

rs_livemix *rs_livemix_new(rs_policy *const *experts, int n) {
    if (n < 1) {
        rs_set_error("livemix: no experts");
        return NULL;
    }
    for (int i = 1; i < n; i++)
        if (!same_shape(experts[0], experts[i])) {
            rs_set_error("expert %d: its policy has another shape than expert 0's", i);
            return NULL;
        }
    const rs_policy *p0 = experts[0];
    rs_livemix *lm = rs_calloc(1, sizeof *lm);
    if (!lm) return NULL;
    lm->n = n;
    lm->nf = p0->pi->n_params + (p0->log_std ? (size_t)p0->act_dim : 0);
    lm->nd = 2 * (size_t)p0->obs_dim + 1;
    lm->f = rs_malloc(sizeof(float) * lm->nf * (size_t)n);
    lm->d = rs_malloc(sizeof(double) * lm->nd * (size_t)n);
    lm->w = rs_calloc((size_t)n, sizeof(double));
    lm->use = rs_calloc((size_t)n, sizeof(int));
    lm->lambda = rs_calloc((size_t)n, sizeof(double));
    lm->live = rs_policy_clone(p0);
    if (!lm->f || !lm->d || !lm->w || !lm->use || !lm->lambda || !lm->live) {
        rs_livemix_free(lm);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        const rs_policy *p = experts[i];
        float *f = lm->f + lm->nf * (size_t)i;
        memcpy(f, p->pi->params, sizeof(float) * p->pi->n_params);
        if (p->log_std) memcpy(f + p->pi->n_params, p->log_std, sizeof(float) * (size_t)p->act_dim);
        double *d = lm->d + lm->nd * (size_t)i;
        memcpy(d, p->norm->mean, sizeof(double) * (size_t)p->obs_dim);
        memcpy(d + p->obs_dim, p->norm->var, sizeof(double) * (size_t)p->obs_dim);
        d[2 * p->obs_dim] = p->norm->count;
    }
    lm->lambda[0] = 1.0;
    return lm;
}

void rs_livemix_free(rs_livemix *lm) {
    if (!lm) return;
    free(lm->f);
    free(lm->d);
    free(lm->w);
    free(lm->use);
    free(lm->lambda);
    rs_policy_free(lm->live);
    free(lm);
}

/* out[j] = Σ_k w_k src_k[j] over the experts in use, as rs_soup_mix does it:
 * the first term starts the sum (so -0.0 survives), one rounding at the end */
static void mix_f(float *out, const rs_livemix *lm, int m, size_t off, size_t len) {
    const float *base = lm->f + off;
    for (size_t j = 0; j < len; j++) {
        double acc = lm->w[0] * (double)base[lm->nf * (size_t)lm->use[0] + j];
        for (int k = 1; k < m; k++)
            acc += lm->w[k] * (double)base[lm->nf * (size_t)lm->use[k] + j];
        out[j] = (float)acc;
    }
}

static void mix_d(double *out, const rs_livemix *lm, int m, size_t off, size_t len) {
    const double *base = lm->d + off;
    for (size_t j = 0; j < len; j++) {
        double acc = lm->w[0] * base[lm->nd * (size_t)lm->use[0] + j];
        for (int k = 1; k < m; k++)
            acc += lm->w[k] * base[lm->nd * (size_t)lm->use[k] + j];
        out[j] = acc;
    }
}

int rs_livemix_set(rs_livemix *lm, const double *lambda) {
    if (rs_soup_check_lambda(lambda, lm->n) < 0) return -1;
    double sum = 0.0;
    for (int i = 0; i < lm->n; i++)
        sum += lambda[i];
    int m = 0;
    for (int i = 0; i < lm->n; i++)
        if (lambda[i] != 0.0) {
            lm->use[m] = i;
            lm->w[m] = sum == 1.0 ? lambda[i] : lambda[i] / sum;
            m++;
        }
    rs_policy *p = lm->live;
    const size_t np = p->pi->n_params, D = (size_t)p->obs_dim;
    if (m == 1 && lm->w[0] == 1.0) {
        /* one expert: its bytes, as rs_soup_mix copies them */
        const float *f = lm->f + lm->nf * (size_t)lm->use[0];
        const double *d = lm->d + lm->nd * (size_t)lm->use[0];
        memcpy(p->pi->params, f, sizeof(float) * np);
        if (p->log_std) memcpy(p->log_std, f + np, sizeof(float) * (size_t)p->act_dim);
        memcpy(p->norm->mean, d, sizeof(double) * D);
        memcpy(p->norm->var, d + D, sizeof(double) * D);
        p->norm->count = d[2 * D];
    } else {
        mix_f(p->pi->params, lm, m, 0, np);
        if (p->log_std) mix_f(p->log_std, lm, m, np, (size_t)p->act_dim);
        mix_d(p->norm->mean, lm, m, 0, D);
        mix_d(p->norm->var, lm, m, D, D);
        mix_d(&p->norm->count, lm, m, 2 * D, 1);
    }
    memcpy(lm->lambda, lambda, sizeof(double) * (size_t)lm->n);
    return 0;
}

void rs_simplex_set(double *lambda, int n, int k, double v) {
    if (n < 1 || k < 0 || k >= n) return;
    if (!(v >= 0.0)) v = 0.0; /* also NaN */
    if (v > 1.0) v = 1.0;
    if (n == 1) {
        lambda[0] = 1.0;
        return;
    }
    double rest = 0.0;
    for (int i = 0; i < n; i++)
        if (i != k) rest += lambda[i] > 0 ? lambda[i] : 0.0;
    for (int i = 0; i < n; i++) {
        if (i == k) continue;
        double share = rest > 0 ? (lambda[i] > 0 ? lambda[i] : 0.0) / rest : 1.0 / (n - 1);
        lambda[i] = share * (1.0 - v);
    }
    lambda[k] = v;
}
