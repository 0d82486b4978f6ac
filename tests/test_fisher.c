/* test_fisher.c — Fisher-weighted soups: the estimator against closed forms,
 * the merge against a hand loop, and exactness at the experts. */
#include <string.h>

#include "rs_fisher.h"
#include "rs_test.h"

static rs_st *make_policy(uint64_t seed, float log_std) {
    int hidden[2] = {8, 8};
    rs_policy *p = rs_policy_new(RS_ALGO_PPO, 11, 3, 1.0f, hidden, 2, RS_ACT_TANH);
    rs_rng rng;
    rs_rng_seed(&rng, seed, 0);
    rs_mlp_init_orthogonal(p->pi, &rng, 1.4f, 0.5f);
    for (int j = 0; j < 3; j++) p->log_std[j] = log_std;
    strcpy(p->env, "hopper");
    strcpy(p->reward, "default");
    rs_st *st = rs_st_new();
    rs_policy_to_st(p, st);
    rs_policy_free(p);
    return st;
}

/* for a Gaussian policy a = μ + σε:  ∂logπ/∂logσ_j = ε²-1, so F = E[(ε²-1)²] = 2;
 * ∂logπ/∂b_j (the head's bias) = ε/σ, so F = 1/σ² */
static void test_closed_form(void) {
    rs_st *pol = make_policy(1, 0.5f);
    const rs_env_spec *s = rs_env_find("hopper");
    rs_st *F = NULL;
    CHECK(rs_fisher_diag(pol, s, 20000, 7, &F) == 0, "%s", rs_last_error());
    if (!F) return;
    const rs_tensor *ls = rs_st_get(F, "pi.log_std"), *b = rs_st_get(F, "pi.2.bias");
    CHECK(ls && b, "tensors missing");
    for (int j = 0; j < 3 && ls && b; j++) {
        /* 20000 samples: the std of (ε²-1)² is √(E[(ε²-1)^4] - 4) = √56, so the s.e. is ~0.053 */
        CHECK_CLOSE(((double *)ls->data)[j], 2.0, 0.2, 0, "Fisher of log_std");
        CHECK_CLOSE(((double *)b->data)[j], exp(-1.0), 0.03, 0, "Fisher of the head bias = 1/σ²");
    }
    rs_st_free(F);
    rs_st_free(pol);
}

static void test_merge(void) {
    rs_st *a = make_policy(1, 0.f), *b = make_policy(2, 0.f);
    rs_st *experts[2] = {a, b};
    /* constructed Fishers: A dominates the first half of every tensor */
    rs_st *fa = rs_st_new(), *fb = rs_st_new();
    for (int t = 0; t < rs_st_count(a); t++) {
        const rs_tensor *x = rs_st_at(a, t);
        if (x->dtype != RS_DT_F32) continue;
        int64_t n = rs_tensor_numel(x);
        double *va = malloc(sizeof(double) * n), *vb = malloc(sizeof(double) * n);
        for (int64_t k = 0; k < n; k++) {
            va[k] = k < n / 2 ? 100.0 : 1.0;
            vb[k] = 1.0 + (double)(k % 3);
        }
        rs_st_add_f64(fa, x->name, x->ndim, x->shape, va);
        rs_st_add_f64(fb, x->name, x->ndim, x->shape, vb);
        free(va);
        free(vb);
    }
    rs_st *fishers[2] = {fa, fb};
    double lam[2] = {0.3, 0.7};
    rs_st *out = NULL;
    CHECK(rs_soup_mix_fisher(experts, fishers, 2, lam, &out) == 0, "%s", rs_last_error());
    double worst = 0;
    for (int t = 0; out && t < rs_st_count(out); t++) {
        const rs_tensor *o = rs_st_at(out, t);
        if (o->dtype != RS_DT_F32) continue;
        const rs_tensor *xa = rs_st_get(a, o->name), *xb = rs_st_get(b, o->name);
        const rs_tensor *ga = rs_st_get(fa, o->name), *gb = rs_st_get(fb, o->name);
        for (int64_t k = 0; k < rs_tensor_numel(o); k++) {
            double Fa = ((double *)ga->data)[k], Fb = ((double *)gb->data)[k];
            double want = (0.3 * Fa * ((float *)xa->data)[k] + 0.7 * Fb * ((float *)xb->data)[k]) /
                          (0.3 * Fa + 0.7 * Fb);
            double e = fabs(((float *)o->data)[k] - want);
            if (e > worst) worst = e;
        }
    }
    CHECK(worst < 1e-5, "Fisher-weighted mix differs from the hand loop by %g", worst);
    CHECK(out && !strcmp(rs_st_meta(out, "soup_method"), "fisher"), "metadata");
    rs_st_free(out);
    /* a one-hot λ is that expert exactly */
    double one[2] = {0, 1};
    CHECK(rs_soup_mix_fisher(experts, fishers, 2, one, &out) == 0, "%s", rs_last_error());
    for (int t = 0; out && t < rs_st_count(out); t++) {
        const rs_tensor *o = rs_st_at(out, t), *x = rs_st_get(b, o->name);
        CHECK(o->nbytes == x->nbytes && !memcmp(o->data, x->data, o->nbytes), "λ=(0,1) is not expert B: %s", o->name);
    }
    rs_st_free(out);
    rs_st_free(fa);
    rs_st_free(fb);
    rs_st_free(a);
    rs_st_free(b);
}

RS_TEST_MAIN(T(test_closed_form), T(test_merge))
