/* rs_fisher.c — diagonal Fisher estimation and Fisher-weighted soups. */
#include "rs_fisher.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_2PI 1.8378770664093453

int rs_fisher_diag(const rs_st *policy, const rs_env_spec *s, long steps, uint64_t seed,
                   rs_st **fisher) {
    *fisher = NULL;
    rs_policy *p = rs_policy_from_st(policy, "fisher");
    if (!p) return -1;
    if (p->algo != RS_ALGO_PPO) {
        rs_set_error("fisher merging supports PPO (Gaussian) policies; this one is %s",
                     rs_algo_name(p->algo));
        rs_policy_free(p);
        return -1;
    }
    const int O = p->obs_dim, A = p->act_dim;
    rs_env *env = rs_env_new(s, NULL, NULL, seed, 0);
    rs_mlp_ws *ws = rs_mlp_ws_new(p->pi, 1);
    size_t np = p->pi->n_params;
    double *F = rs_calloc(np + (size_t)A, sizeof(double));
    float *g = rs_malloc(sizeof(float) * np);
    float *obs = rs_malloc(sizeof(float) * 2 * (size_t)O), *nobs = obs + O;
    float *dmu = rs_malloc(sizeof(float) * 2 * (size_t)A), *act = dmu + A;
    rs_rng rng;
    rs_rng_seed(&rng, seed, 0xF15);
    int rc = -1;
    if (!env || !ws || !F || !g || !obs || !dmu) goto out;
    rs_env_reset(env, obs);
    for (long t = 0; t < steps; t++) {
        rs_normalizer_apply(p->norm, obs, nobs, 1);
        rs_mlp_forward(p->pi, ws, nobs, 1);
        const float *mu = rs_mlp_ws_out(ws);
        /* a ~ π(·|s): the score of the policy's own samples (the true Fisher) */
        for (int j = 0; j < A; j++) {
            float sd = expf(p->log_std[j]);
            float eps = (float)rs_rng_normal(&rng);
            act[j] = mu[j] + sd * eps;
            dmu[j] = eps / sd;                                 /* ∂ log π / ∂ μ_j */
            F[np + (size_t)j] += (double)(eps * eps - 1) * (eps * eps - 1); /* ∂/∂ log σ_j */
        }
        memset(g, 0, sizeof(float) * np);
        rs_mlp_backward(p->pi, ws, nobs, dmu, 1, g, NULL);
        for (size_t i = 0; i < np; i++) F[i] += (double)g[i] * g[i];
        /* the env gets the policy's action (the score above is over the
         * Gaussian sample: a tanh head's Jacobian holds no parameter) */
        for (int j = 0; j < A; j++) act[j] = rs_policy_squash(p->head, act[j], (float)s->act_bound);
        int term, trunc;
        if (rs_env_step(env, act, obs, NULL, NULL, &term, &trunc) != 0) goto out;
        if (term || trunc) rs_env_reset(env, obs);
    }
    for (size_t i = 0; i < np + (size_t)A; i++) F[i] /= (double)steps;
    /* tensors named as the policy's */
    rs_st *f = rs_st_new();
    if (!f) goto out;
    for (int l = 0; l < p->pi->n_layers; l++) {
        char name[64];
        int64_t shw[2] = {p->pi->sizes[l + 1], p->pi->sizes[l]}, shb = p->pi->sizes[l + 1];
        size_t ow = rs_mlp_W_offset(p->pi, l), ob = rs_mlp_b_offset(p->pi, l);
        snprintf(name, sizeof name, "pi.%d.weight", l);
        if (rs_st_add_f64(f, name, 2, shw, F + ow)) goto bad;
        snprintf(name, sizeof name, "pi.%d.bias", l);
        if (rs_st_add_f64(f, name, 1, &shb, F + ob)) goto bad;
    }
    int64_t a = A;
    if (rs_st_add_f64(f, "pi.log_std", 1, &a, F + np)) goto bad;
    char buf[64];
    snprintf(buf, sizeof buf, "%ld", steps);
    rs_st_set_meta(f, "fisher_steps", buf);
    *fisher = f;
    rc = 0;
    goto out;
bad:
    rs_st_free(f);
out:
    rs_policy_free(p);
    rs_env_free(env);
    rs_mlp_ws_free(ws);
    free(F);
    free(g);
    free(obs);
    free(dmu);
    return rc;
}

int rs_soup_mix_fisher(rs_st *const *experts, rs_st *const *fishers, int n, const double *lambda,
                       rs_st **out) {
    /* start from the plain soup: it checks the experts and λ, mixes the
     * normaliser and sets the metadata; the learned tensors are redone */
    if (rs_soup_mix(experts, n, lambda, out, NULL) != 0) return -1;
    int nonzero = 0;
    for (int i = 0; i < n; i++) nonzero += lambda[i] != 0;
    rs_st_set_meta(*out, "soup_method", "fisher");
    if (nonzero == 1) return 0; /* a single expert, copied exactly */
    rs_st *o = *out;
    for (int t = 0; t < rs_st_count(o); t++) {
        const rs_tensor *ot = rs_st_at(o, t);
        if (ot->dtype != RS_DT_F32 || strncmp(ot->name, "pi.", 3) != 0) continue;
        const int64_t numel = rs_tensor_numel(ot);
        const rs_tensor *F[64], *X[64];
        if (n > (int)(sizeof F / sizeof F[0])) {
            rs_set_error("too many experts for fisher merging");
            goto fail;
        }
        double fmean = 0;
        for (int i = 0; i < n; i++) {
            X[i] = rs_st_get(experts[i], ot->name);
            F[i] = rs_st_get(fishers[i], ot->name);
            if (!F[i] || F[i]->dtype != RS_DT_F64 || rs_tensor_numel(F[i]) != numel) {
                rs_set_error("expert %d's Fisher has no matching tensor '%s'", i, ot->name);
                goto fail;
            }
            for (int64_t k = 0; k < numel; k++) fmean += ((const double *)F[i]->data)[k];
        }
        fmean /= (double)n * (double)numel;
        /* a floor relative to the tensor's typical Fisher keeps parameters
         * no expert is sensitive to at the plain mix */
        const double floor_ = 1e-8 * (fmean > 0 ? fmean : 1.0);
        float *dst = ot->data;
        for (int64_t k = 0; k < numel; k++) {
            double num = 0, den = 0;
            for (int i = 0; i < n; i++) {
                if (lambda[i] == 0) continue;
                double f = ((const double *)F[i]->data)[k] + floor_;
                num += lambda[i] * f * ((const float *)X[i]->data)[k];
                den += lambda[i] * f;
            }
            dst[k] = (float)(num / den);
        }
    }
    return 0;
fail:
    rs_st_free(*out);
    *out = NULL;
    return -1;
}
