/* test_soup.c — mixing policy checkpoints: endpoints are the experts bit for
 * bit, interior points equal a mix computed here in double, every mismatch is
 * refused with a message naming it, λ parsing, and FNV-1a hashes against
 * values worked out by hand. The one mixing kernel (rs_mix.h) against a
 * naive reference written here, on raw arrays, on tensor sets (rs_soup_mix)
 * and on policy structs (rs_mixer): the contract is exact, so the
 * tolerance is bit equality. */
#include <string.h>
#include <unistd.h>

#include "rs_common.h"
#include "rs_mix.h"
#include "rs_policy.h"
#include "rs_safetensors.h"
#include "rs_soup.h"
#include "rs_test.h"

/* ---- tiny experts ---- */

#define OBS 5
#define ACT 2
#define HID 4

static void set_meta(rs_st *st) {
    rs_st_set_meta(st, "format", "rsoup-policy-1");
    rs_st_set_meta(st, "env", "hopper");
    rs_st_set_meta(st, "algo", "ppo");
    rs_st_set_meta(st, "arch", "4");
    rs_st_set_meta(st, "activation", "tanh");
    rs_st_set_meta(st, "obs_dim", "5");
    rs_st_set_meta(st, "act_dim", "2");
    rs_st_set_meta(st, "reward", "forward=1");
}

/* an expert with random weights; its normaliser stats come from norm_seed, so
 * experts built with the same norm_seed share them exactly */
static rs_st *make_expert(uint64_t seed, uint64_t norm_seed) {
    rs_rng r;
    rs_rng_seed(&r, seed, 0);
    rs_st *st = rs_st_new();
    set_meta(st);
    float w0[HID * OBS], b0[HID], w1[ACT * HID], b1[ACT], ls[ACT];
    for (int i = 0; i < HID * OBS; i++)
        w0[i] = (float)rs_rng_normal(&r);
    for (int i = 0; i < HID; i++)
        b0[i] = (float)rs_rng_normal(&r);
    for (int i = 0; i < ACT * HID; i++)
        w1[i] = (float)rs_rng_normal(&r);
    for (int i = 0; i < ACT; i++)
        b1[i] = (float)rs_rng_normal(&r);
    for (int i = 0; i < ACT; i++)
        ls[i] = (float)(-0.5 + 0.1 * rs_rng_normal(&r));
    rs_rng_seed(&r, norm_seed, 1);
    double mean[OBS], var[OBS], count = 1000 + (double)(norm_seed % 97);
    for (int i = 0; i < OBS; i++)
        mean[i] = rs_rng_normal(&r);
    for (int i = 0; i < OBS; i++)
        var[i] = 0.5 + rs_rng_uniform(&r);
    int64_t s_w0[2] = {HID, OBS}, s_b0[1] = {HID}, s_w1[2] = {ACT, HID}, s_b1[1] = {ACT},
            s_o[1] = {OBS}, s_1[1] = {1};
    int rc = 0;
    rc |= rs_st_add_f64(st, "obs_norm.mean", 1, s_o, mean);
    rc |= rs_st_add_f64(st, "obs_norm.var", 1, s_o, var);
    rc |= rs_st_add_f64(st, "obs_norm.count", 1, s_1, &count);
    rc |= rs_st_add_f32(st, "pi.0.weight", 2, s_w0, w0);
    rc |= rs_st_add_f32(st, "pi.0.bias", 1, s_b0, b0);
    rc |= rs_st_add_f32(st, "pi.1.weight", 2, s_w1, w1);
    rc |= rs_st_add_f32(st, "pi.1.bias", 1, s_b1, b1);
    rc |= rs_st_add_f32(st, "pi.log_std", 1, s_b1, ls);
    if (rc) {
        fprintf(stderr, "make_expert: %s\n", rs_last_error());
        exit(2);
    }
    return st;
}

/* a copy of src with one tensor replaced (or dropped when dtype < 0) or one
 * metadata key changed */
static rs_st *variant(const rs_st *src, const char *tensor, int dtype, int ndim,
                      const int64_t *shape, const char *meta_key, const char *meta_val) {
    rs_st *st = rs_st_new();
    for (int k = 0; k < rs_st_meta_count(src); k++) {
        const char *key, *val;
        rs_st_meta_at(src, k, &key, &val);
        rs_st_set_meta(st, key, meta_key && !strcmp(key, meta_key) ? meta_val : val);
    }
    if (meta_key && !rs_st_meta(src, meta_key)) rs_st_set_meta(st, meta_key, meta_val);
    for (int k = 0; k < rs_st_count(src); k++) {
        const rs_tensor *t = rs_st_at(src, k);
        if (tensor && !strcmp(t->name, tensor)) {
            if (dtype < 0) continue;
            int64_t n = 1;
            for (int d = 0; d < ndim; d++)
                n *= shape[d];
            void *z = calloc((size_t)n, 8);
            rs_st_add(st, t->name, (rs_dtype)dtype, ndim, shape, z);
            free(z);
        } else {
            rs_st_add(st, t->name, t->dtype, t->ndim, t->shape, t->data);
        }
    }
    return st;
}

static int same_bytes(const rs_st *a, const rs_st *b) {
    if (rs_st_count(a) != rs_st_count(b)) return 0;
    for (int k = 0; k < rs_st_count(a); k++) {
        const rs_tensor *ta = rs_st_at(a, k), *tb = rs_st_at(b, k);
        if (strcmp(ta->name, tb->name) || ta->dtype != tb->dtype || ta->nbytes != tb->nbytes ||
            memcmp(ta->data, tb->data, ta->nbytes))
            return 0;
    }
    return 1;
}

static int has(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

/* ---- tests ---- */

static void test_endpoints_bit_exact(void) {
    rs_st *a = make_expert(1, 10), *b = make_expert(2, 20);
    rs_st *e[2] = {a, b}, *out = NULL;
    double l0[2] = {1, 0}, l1[2] = {0, 1};
    int nm = -1;
    CHECK(rs_soup_mix(e, 2, l0, &out, &nm) == 0, "%s", rs_last_error());
    CHECK(out && same_bytes(out, a), "lambda=(1,0) is not expert 0 bit for bit");
    CHECK(nm == 0, "one expert in use: nothing mixed, got norm_mixed=%d", nm);
    rs_st_free(out);
    CHECK(rs_soup_mix(e, 2, l1, &out, &nm) == 0, "%s", rs_last_error());
    CHECK(out && same_bytes(out, b), "lambda=(0,1) is not expert 1 bit for bit");
    rs_st_free(out);

    /* -0.0 and a NaN payload survive the endpoint; an infinite value in the
     * expert with weight 0 does not poison the mix */
    rs_st *c = rs_st_new(), *d = rs_st_new();
    set_meta(c);
    set_meta(d);
    uint32_t bits[3] = {0x80000000u, 0x7fc01234u, 0x3f800000u};
    float fc[3], fd[3] = {1.0f, 2.0f, INFINITY};
    memcpy(fc, bits, sizeof fc);
    int64_t s3[1] = {3};
    rs_st_add_f32(c, "w", 1, s3, fc);
    rs_st_add_f32(d, "w", 1, s3, fd);
    rs_st *cd[2] = {c, d};
    CHECK(rs_soup_mix(cd, 2, l0, &out, NULL) == 0, "%s", rs_last_error());
    CHECK(out && !memcmp(rs_st_get(out, "w")->data, bits, sizeof bits),
          "-0.0 / NaN payload not kept");
    rs_st_free(out);
    rs_st_free(c);
    rs_st_free(d);
    rs_st_free(a);
    rs_st_free(b);
}

static void test_three_expert_mix(void) {
    rs_st *e[3] = {make_expert(1, 10), make_expert(2, 20), make_expert(3, 30)};
    double lam[3] = {0.2, 0.3, 0.5};
    rs_st *out = NULL;
    int nm = 0;
    CHECK(rs_soup_mix(e, 3, lam, &out, &nm) == 0, "%s", rs_last_error());
    if (!out) return;
    CHECK(nm == 1, "normaliser stats differ: norm_mixed should be 1");
    CHECK(rs_st_count(out) == rs_st_count(e[0]), "tensor count");
    for (int k = 0; k < rs_st_count(e[0]); k++) {
        const rs_tensor *t0 = rs_st_at(e[0], k), *t = rs_st_at(out, k);
        CHECK(!strcmp(t->name, t0->name), "order: %s vs %s", t->name, t0->name);
        int64_t n = rs_tensor_numel(t0);
        int bad = 0;
        for (int64_t j = 0; j < n; j++) {
            double want = 0;
            for (int i = 0; i < 3; i++) {
                const rs_tensor *ti = rs_st_get(e[i], t0->name);
                want += lam[i] * (t0->dtype == RS_DT_F32 ? (double)((float *)ti->data)[j]
                                                         : ((double *)ti->data)[j]);
            }
            if (t0->dtype == RS_DT_F32)
                bad += ((float *)t->data)[j] != (float)want;
            else
                bad += ((double *)t->data)[j] != want;
        }
        CHECK(bad == 0, "tensor %s: %d elements differ from the hand mix", t0->name, bad);
    }
    /* metadata */
    CHECK(!strcmp(rs_st_meta(out, "lambda"), "[0.2,0.3,0.5]"), "lambda meta '%s'",
          rs_st_meta(out, "lambda"));
    CHECK(!strcmp(rs_st_meta(out, "soup_method"), "linear"), "soup_method");
    CHECK(!strcmp(rs_st_meta(out, "parents"), "[]"), "parents before set_parents");
    CHECK(!strcmp(rs_st_meta(out, "env"), "hopper"), "env copied");
    CHECK(!strcmp(rs_st_meta(out, "format"), "rsoup-policy-1"), "format copied");
    rs_st_free(out);
    for (int i = 0; i < 3; i++)
        rs_st_free(e[i]);
}

static void test_self_mix_identity(void) {
    rs_st *a = make_expert(7, 70);
    rs_st *e[3] = {a, a, a}, *out = NULL;
    double lam[3] = {0.25, 0.25, 0.5};
    int nm = -1;
    /* w·x + w·x + ... can differ from x by rounding in general; with weights
     * that are powers of two and sums exact in double, it is exact */
    CHECK(rs_soup_mix(e, 3, lam, &out, &nm) == 0, "%s", rs_last_error());
    CHECK(out && same_bytes(out, a), "mixing an expert with itself changed it");
    CHECK(nm == 0, "identical stats: norm_mixed=%d", nm);
    rs_st_free(out);
    /* any λ, float tensors: the double sum of λ_i·x rounded to float is x */
    double lam2[2] = {0.3, 0.7};
    rs_st *e2[2] = {a, a};
    CHECK(rs_soup_mix(e2, 2, lam2, &out, &nm) == 0, "%s", rs_last_error());
    if (out) {
        int bad = 0;
        for (int k = 0; k < rs_st_count(a); k++) {
            const rs_tensor *t0 = rs_st_at(a, k), *t = rs_st_at(out, k);
            if (t0->dtype == RS_DT_F32)
                bad += memcmp(t0->data, t->data, t0->nbytes) != 0;
            else
                for (int64_t j = 0; j < rs_tensor_numel(t0); j++)
                    bad += fabs(((double *)t->data)[j] - ((double *)t0->data)[j]) >
                           4e-16 * fabs(((double *)t0->data)[j]);
        }
        CHECK(bad == 0, "self-mix with (0.3,0.7): %d tensors changed", bad);
    }
    rs_st_free(out);
    rs_st_free(a);
}

static void test_norm_flag(void) {
    rs_st *a = make_expert(1, 10), *b = make_expert(2, 10), *c = make_expert(3, 30);
    rs_st *out = NULL;
    int nm = -1;
    double half[2] = {0.5, 0.5};
    rs_st *ab[2] = {a, b};
    CHECK(rs_soup_mix(ab, 2, half, &out, &nm) == 0 && nm == 0, "shared stats: nm=%d", nm);
    if (out) {
        const rs_tensor *m = rs_st_get(out, "obs_norm.mean"), *m0 = rs_st_get(a, "obs_norm.mean");
        CHECK(!memcmp(m->data, m0->data, m->nbytes), "shared stats should come out unchanged");
    }
    rs_st_free(out);
    rs_st *ac[2] = {a, c};
    CHECK(rs_soup_mix(ac, 2, half, &out, &nm) == 0 && nm == 1, "different stats: nm=%d", nm);
    rs_st_free(out);
    /* stats differ only in an expert with λ = 0: not mixed */
    rs_st *abc[3] = {a, b, c};
    double l3[3] = {0.5, 0.5, 0};
    CHECK(rs_soup_mix(abc, 3, l3, &out, &nm) == 0 && nm == 0, "λ=0 expert: nm=%d", nm);
    rs_st_free(out);
    rs_st_free(a);
    rs_st_free(b);
    rs_st_free(c);
}

static void expect_mix_error(rs_st *a, rs_st *b, const char *want, const char *what) {
    rs_st *e[2] = {a, b}, *out = (rs_st *)1;
    double lam[2] = {0.5, 0.5};
    rs_clear_error();
    int rc = rs_soup_mix(e, 2, lam, &out, NULL);
    CHECK(rc == -1 && out == NULL, "%s: mix should fail", what);
    CHECK(has(rs_last_error(), want), "%s: message '%s' lacks '%s'", what, rs_last_error(), want);
}

static void test_mismatches(void) {
    rs_st *a = make_expert(1, 10);
    rs_st *b;
    b = variant(a, NULL, 0, 0, NULL, "env", "walker");
    expect_mix_error(a, b, "expert 1: env is 'walker', expert 0 has 'hopper'", "env");
    rs_st_free(b);
    b = variant(a, NULL, 0, 0, NULL, "arch", "64,64");
    expect_mix_error(a, b, "expert 1: arch is '64,64', expert 0 has '4'", "arch");
    rs_st_free(b);
    b = variant(a, NULL, 0, 0, NULL, "algo", "sac");
    expect_mix_error(a, b, "expert 1: algo is 'sac', expert 0 has 'ppo'", "algo");
    rs_st_free(b);
    b = variant(a, NULL, 0, 0, NULL, "activation", "relu");
    expect_mix_error(a, b, "activation is 'relu'", "activation");
    rs_st_free(b);
    b = variant(a, NULL, 0, 0, NULL, "obs_dim", "6");
    expect_mix_error(a, b, "obs_dim is '6'", "obs_dim");
    rs_st_free(b);
    b = variant(a, NULL, 0, 0, NULL, "log_std_min", "-4");
    expect_mix_error(a, b, "expert 1: log_std_min is -4, expert 0 has -5", "log_std_min");
    rs_st_free(b);
    b = variant(a, NULL, 0, 0, NULL, "log_std_max", "2");
    {
        rs_st *out = NULL;
        rs_st *e[2] = {a, b};
        double lam[2] = {0.5, 0.5};
        CHECK(rs_soup_mix(e, 2, lam, &out, NULL) == 0,
              "log_std_max '2' and an absent one (2) must mix: %s", rs_last_error());
        rs_st_free(out);
    }
    rs_st_free(b);
    b = variant(a, NULL, 0, 0, NULL, "format", "rsoup-train-1");
    expect_mix_error(a, b, "expert 1 is a training checkpoint", "format");
    rs_st_free(b);
    b = variant(a, "pi.log_std", -1, 0, NULL, NULL, NULL);
    expect_mix_error(a, b, "expert 1: tensor 'pi.log_std' is missing", "missing tensor");
    expect_mix_error(b, a, "expert 1: has tensor 'pi.log_std', which expert 0 lacks",
                     "extra tensor");
    rs_st_free(b);
    int64_t s[2] = {HID, OBS + 1};
    b = variant(a, "pi.0.weight", RS_DT_F32, 2, s, NULL, NULL);
    expect_mix_error(a, b, "expert 1: tensor 'pi.0.weight' has shape [4, 6], expert 0 has [4, 5]",
                     "shape");
    rs_st_free(b);
    int64_t s2[2] = {HID, OBS};
    b = variant(a, "pi.0.weight", RS_DT_F64, 2, s2, NULL, NULL);
    expect_mix_error(a, b, "expert 1: tensor 'pi.0.weight' has dtype F64, expert 0 has F32",
                     "dtype");
    rs_st_free(b);
    rs_st_free(a);
}

/* deterministic actions of a file's policy for a few observations */
static int act_det(const rs_st *st, float *act) {
    rs_policy *p = rs_policy_from_st(st, "t");
    rs_mlp_ws *ws = p ? rs_mlp_ws_new(p->pi, 3) : NULL;
    if (!ws) {
        rs_policy_free(p);
        return -1;
    }
    float obs[3 * OBS], nb[3 * OBS];
    for (int i = 0; i < 3 * OBS; i++) obs[i] = (float)(i % 7) - 3.0f;
    rs_policy_act_det(p, ws, obs, 3, nb, act);
    int head = (int)p->head;
    rs_mlp_ws_free(ws);
    rs_policy_free(p);
    return head;
}

/* squashed experts: a soup mixes the pre-squash parameters (the same tensors
 * as ever) and stays squashed; at the endpoints it is its expert, tensors,
 * head and actions; a squashed and a clipped expert do not mix */
static void test_action_heads(void) {
    rs_st *a0 = make_expert(1, 10), *b0 = make_expert(2, 20);
    rs_st *a = variant(a0, NULL, 0, 0, NULL, "action_head", "tanh");
    rs_st *b = variant(b0, NULL, 0, 0, NULL, "action_head", "tanh");
    rs_st *e[2] = {a, b}, *out = NULL;
    double lams[3][2] = {{1, 0}, {0, 1}, {0.5, 0.5}};
    for (int k = 0; k < 3; k++) {
        CHECK(rs_soup_mix(e, 2, lams[k], &out, NULL) == 0, "%s", rs_last_error());
        if (!out) continue;
        const char *h = rs_st_meta(out, "action_head");
        CHECK(h && !strcmp(h, "tanh"), "lambda (%g, %g): the soup's action_head is %s",
              lams[k][0], lams[k][1], h ? h : "(absent)");
        float got[3 * ACT], want[3 * ACT];
        CHECK(act_det(out, got) == RS_HEAD_TANH, "the soup does not read as tanh: %s",
              rs_last_error());
        if (k < 2) {
            const rs_st *ex = e[k];
            CHECK(same_bytes(out, ex), "lambda (%g, %g) is not its tanh expert bit for bit",
                  lams[k][0], lams[k][1]);
            CHECK(act_det(ex, want) == RS_HEAD_TANH && !memcmp(got, want, sizeof got),
                  "lambda (%g, %g) acts otherwise than its expert", lams[k][0], lams[k][1]);
        } else {
            /* inside the bound (1, the metadata's default) everywhere: squashed */
            int inside = 1;
            for (int i = 0; i < 3 * ACT; i++) inside &= fabsf(got[i]) < 1.0f;
            CHECK(inside, "a tanh soup's actions reach the bound");
        }
        rs_st_free(out);
        out = NULL;
    }
    expect_mix_error(a, b0,
                     "expert 1: action_head is 'clip', expert 0 has 'tanh': a tanh-squashed and a "
                     "clipped policy do not mix",
                     "tanh with clip");
    expect_mix_error(b0, a, "expert 1: action_head is 'tanh', expert 0 has 'clip'", "clip with tanh");
    /* an explicit clip is the absent key's clip */
    rs_st *c = variant(b0, NULL, 0, 0, NULL, "action_head", "clip");
    rs_st *ac[2] = {a0, c};
    CHECK(rs_soup_mix(ac, 2, lams[2], &out, NULL) == 0, "clip and absent must mix: %s",
          rs_last_error());
    rs_st_free(out);
    rs_st_free(c);
    c = variant(b0, NULL, 0, 0, NULL, "action_head", "softsign");
    expect_mix_error(a0, c, "expert 1: unknown action_head 'softsign' in its metadata",
                     "unknown head");
    rs_st_free(c);
    rs_st_free(a);
    rs_st_free(b);
    rs_st_free(a0);
    rs_st_free(b0);
}

static void test_integer_tensors(void) {
    rs_st *a = make_expert(1, 10), *b = make_expert(2, 20);
    int64_t s[1] = {3};
    int64_t ia[3] = {1, 2, 3}, ib[3] = {1, 2, 4};
    rs_st_add(a, "steps", RS_DT_I64, 1, s, ia);
    rs_st_add(b, "steps", RS_DT_I64, 1, s, ia);
    rs_st *e[2] = {a, b}, *out = NULL;
    double lam[2] = {0.4, 0.6};
    CHECK(rs_soup_mix(e, 2, lam, &out, NULL) == 0, "equal ints: %s", rs_last_error());
    CHECK(out && !memcmp(rs_st_get(out, "steps")->data, ia, sizeof ia), "ints copied");
    rs_st_free(out);
    rs_st_free(b);
    b = make_expert(2, 20);
    rs_st_add(b, "steps", RS_DT_I64, 1, s, ib);
    e[1] = b;
    expect_mix_error(a, b, "tensor 'steps' (I64) differs between expert 0 and expert 1",
                     "int mismatch");
    /* the rule is rs_soup_check's, so every mixer (files, fronts, viewer) has it */
    rs_clear_error();
    CHECK(rs_soup_check(e, 2) == -1 &&
              has(rs_last_error(), "tensor 'steps' (I64) differs between expert 0 and expert 1"),
          "rs_soup_check on unequal ints: %s", rs_last_error());
    rs_st_free(a);
    rs_st_free(b);
}

static void test_lambda_checks(void) {
    rs_st *a = make_expert(1, 10), *b = make_expert(2, 20);
    rs_st *e[2] = {a, b}, *out = NULL;
    double bad_sum[2] = {0.5, 0.6}, neg[2] = {1.5, -0.5}, nan_l[2] = {NAN, 1};
    CHECK(rs_soup_mix(e, 2, bad_sum, &out, NULL) == -1 &&
              has(rs_last_error(), "lambda (0.5, 0.6) sums to 1.1"),
          "sum: %s", rs_last_error());
    CHECK(rs_soup_mix(e, 2, neg, &out, NULL) == -1 && has(rs_last_error(), "negative"),
          "negative: %s", rs_last_error());
    CHECK(rs_soup_mix(e, 2, nan_l, &out, NULL) == -1 && has(rs_last_error(), "not finite"),
          "nan: %s", rs_last_error());
    CHECK(rs_soup_mix(e, 0, bad_sum, &out, NULL) == -1, "n=0");
    /* within the tolerance: renormalised, so the mix is still convex */
    double close[2] = {0.5, 0.5000004};
    CHECK(rs_soup_mix(e, 2, close, &out, NULL) == 0, "within tolerance: %s", rs_last_error());
    if (out) {
        float x = ((float *)rs_st_get(out, "pi.0.bias")->data)[0];
        float xa = ((float *)rs_st_get(a, "pi.0.bias")->data)[0];
        float xb = ((float *)rs_st_get(b, "pi.0.bias")->data)[0];
        double s = 0.5 + 0.5000004;
        CHECK(x == (float)(0.5 / s * xa + 0.5000004 / s * xb), "renormalised mix");
    }
    rs_st_free(out);
    rs_st_free(a);
    rs_st_free(b);
}

/* ---- the naive reference: rs_mix.h's contract, the slow way ---- */

/* w_i: λ_i / Σλ, or λ_i when Σλ is exactly 1 */
static double naive_weight(const double *lam, int n, int i) {
    double sum = 0;
    for (int k = 0; k < n; k++)
        sum += lam[k];
    return sum == 1.0 ? lam[i] : lam[i] / sum;
}

/* element j of the mix of x[n] (floats when f32, else doubles) into out:
 * one expert in use is copied; else double accumulation over the experts
 * with λ_i != 0 in order, the first term starting the sum, one rounding */
static void naive_elem(const double *lam, int n, const void *const *x, int f32, size_t j,
                       void *out) {
    int used = 0, only = -1;
    for (int i = 0; i < n; i++)
        if (lam[i] != 0) used++, only = i;
    size_t sz = f32 ? sizeof(float) : sizeof(double);
    if (used == 1) {
        memcpy(out, (const char *)x[only] + j * sz, sz);
        return;
    }
    double acc = 0;
    int started = 0;
    for (int i = 0; i < n; i++) {
        if (lam[i] == 0) continue;
        double xi = f32 ? (double)((const float *)x[i])[j] : ((const double *)x[i])[j];
        double term = naive_weight(lam, n, i) * xi;
        acc = started ? acc + term : term;
        started = 1;
    }
    if (f32) {
        float f = (float)acc;
        memcpy(out, &f, sz);
    } else {
        memcpy(out, &acc, sz);
    }
}

/* how many of len elements of got differ in their bytes from the reference */
static int naive_diff(const double *lam, int n, const void *const *x, int f32, size_t len,
                      const void *got) {
    size_t sz = f32 ? sizeof(float) : sizeof(double);
    int bad = 0;
    for (size_t j = 0; j < len; j++) {
        unsigned char want[8];
        naive_elem(lam, n, x, f32, j, want);
        bad += memcmp(want, (const char *)got + j * sz, sz) != 0;
    }
    return bad;
}

/* λ cases for n experts into lam[][5], returns the count: every vertex, the
 * centre, and for n >= 2 uneven weights (i+1)/T, the same with λ_0 moved
 * by 4e-7 (Σλ != 1 within the tolerance: renormalised), and (0.1, 0.9/(n-1),
 * ...); for n >= 3 also expert 0 left out: (0, 0.3/(n-2), ..., 0.7) */
static int lambda_cases(int n, double lam[][5]) {
    int c = 0;
    for (int k = 0; k < n; k++, c++)
        for (int i = 0; i < n; i++)
            lam[c][i] = i == k;
    for (int i = 0; i < n; i++)
        lam[c][i] = 1.0 / n;
    c++;
    if (n < 2) return c;
    for (int i = 0; i < n; i++)
        lam[c][i] = lam[c + 1][i] = (double)(i + 1) / (n * (n + 1) / 2);
    lam[c + 1][0] += 4e-7;
    c += 2;
    for (int i = 0; i < n; i++)
        lam[c][i] = i == 0 ? 0.1 : 0.9 / (n - 1);
    c++;
    if (n < 3) return c;
    for (int i = 0; i < n; i++)
        lam[c][i] = i == 0 ? 0.0 : (i == n - 1 ? 0.7 : 0.3 / (n - 2));
    return c + 1;
}

static void test_kernel_vs_naive(void) {
    enum { LEN = 37, NMAX = 5 };
    rs_rng r;
    rs_rng_seed(&r, 29, 0);
    float xf[NMAX][LEN], df[LEN];
    double xd[NMAX][LEN], dd[LEN];
    for (int i = 0; i < NMAX; i++)
        for (int j = 0; j < LEN; j++) {
            xd[i][j] = rs_rng_normal(&r) * (j % 5 ? 1.0 : 1e6);
            xf[i][j] = (float)xd[i][j];
        }
    /* the values the contract speaks of: -0.0 in every expert, NaN payloads
     * in expert 0, an infinity in expert 1 (not read where λ_1 = 0) */
    uint32_t neg0 = 0x80000000u, nan_bits = 0x7fc01234u;
    uint64_t nan_bits64 = 0x7ff8000000001234ull;
    for (int i = 0; i < NMAX; i++) {
        memcpy(&xf[i][0], &neg0, 4);
        xd[i][0] = -0.0;
    }
    memcpy(&xf[0][1], &nan_bits, 4);
    memcpy(&xd[0][1], &nan_bits64, 8);
    /* a signalling NaN is quieted by arithmetic: only a copy keeps it */
    uint32_t snan = 0x7f800123u;
    uint64_t snan64 = 0x7ff0000000000123ull;
    memcpy(&xf[0][3], &snan, 4);
    memcpy(&xd[0][3], &snan64, 8);
    xf[1][2] = INFINITY;
    xd[1][2] = INFINITY;
    for (int n = 1; n <= NMAX; n++) {
        const void *pf[NMAX], *pd[NMAX];
        for (int i = 0; i < n; i++)
            pf[i] = xf[i], pd[i] = xd[i];
        double lam[16][5], w[NMAX];
        int nc = lambda_cases(n, lam);
        for (int c = 0; c < nc; c++) {
            CHECK(rs_mix_check_lambda(lam[c], n) == 0, "n=%d case %d is not on the simplex", n,
                  c);
            /* an expert that is not used is not read */
            const void *sf_c[NMAX], *sd_c[NMAX];
            int m = rs_mix_weights(lam[c], n, w), used = 0;
            for (int i = 0; i < n; i++) {
                sf_c[i] = lam[c][i] != 0 ? pf[i] : NULL;
                sd_c[i] = lam[c][i] != 0 ? pd[i] : NULL;
                used += lam[c][i] != 0;
                CHECK(memcmp(&w[i], &(double){naive_weight(lam[c], n, i)}, 8) == 0,
                      "n=%d case %d: weight %d is %.17g", n, c, i, w[i]);
            }
            CHECK(m == used, "n=%d case %d: %d experts in use, rs_mix_weights says %d", n, c,
                  used, m);
            rs_mix(df, sf_c, RS_DT_F32, w, n, LEN);
            rs_mix(dd, sd_c, RS_DT_F64, w, n, LEN);
            int bf = naive_diff(lam[c], n, pf, 1, LEN, df);
            int bd = naive_diff(lam[c], n, pd, 0, LEN, dd);
            CHECK(bf == 0 && bd == 0, "n=%d case %d: %d float and %d double elements differ "
                  "from the naive mix", n, c, bf, bd);
        }
    }
}

/* every tensor of a soup against the naive mix of its experts' tensors */
static int soup_diff(rs_st *const *e, int n, const double *lam, const rs_st *out) {
    int bad = 0;
    for (int k = 0; k < rs_st_count(e[0]); k++) {
        const rs_tensor *t0 = rs_st_at(e[0], k), *t = rs_st_get(out, t0->name);
        const void *x[5] = {0};
        for (int i = 0; i < n; i++)
            x[i] = rs_st_get(e[i], t0->name)->data;
        if (t0->dtype == RS_DT_F32 || t0->dtype == RS_DT_F64)
            bad += naive_diff(lam, n, x, t0->dtype == RS_DT_F32, (size_t)rs_tensor_numel(t0),
                              t->data);
        else
            bad += memcmp(t->data, t0->data, t0->nbytes) != 0;
    }
    return bad;
}

static void test_soup_mix_vs_naive(void) {
    rs_st *e[4] = {make_expert(1, 10), make_expert(2, 20), make_expert(3, 10),
                   make_expert(4, 40)};
    int64_t s[1] = {3};
    int32_t ints[3] = {7, -1, 9};
    for (int i = 0; i < 4; i++)
        rs_st_add(e[i], "counts", RS_DT_I32, 1, s, ints);
    for (int n = 1; n <= 4; n++) {
        double lam[16][5];
        int nc = lambda_cases(n, lam);
        for (int c = 0; c < nc; c++) {
            rs_st *out = NULL;
            CHECK(rs_soup_mix(e, n, lam[c], &out, NULL) == 0, "n=%d case %d: %s", n, c,
                  rs_last_error());
            if (!out) continue;
            int bad = soup_diff(e, n, lam[c], out);
            CHECK(bad == 0, "n=%d case %d: %d elements differ from the naive mix", n, c, bad);
            rs_st_free(out);
        }
    }
    for (int i = 0; i < 4; i++)
        rs_st_free(e[i]);
}

/* a policy's numbers, each array against the naive mix of the experts' */
static int policy_diff(rs_policy *const *ps, int n, const double *lam, const rs_policy *live) {
    const void *x[5] = {0};
    int bad = 0;
    for (int i = 0; i < n; i++)
        x[i] = ps[i]->pi->params;
    bad += naive_diff(lam, n, x, 1, live->pi->n_params, live->pi->params);
    if (live->log_std) {
        for (int i = 0; i < n; i++)
            x[i] = ps[i]->log_std;
        bad += naive_diff(lam, n, x, 1, (size_t)live->act_dim, live->log_std);
    }
    for (int i = 0; i < n; i++)
        x[i] = ps[i]->norm->mean;
    bad += naive_diff(lam, n, x, 0, (size_t)live->obs_dim, live->norm->mean);
    for (int i = 0; i < n; i++)
        x[i] = ps[i]->norm->var;
    bad += naive_diff(lam, n, x, 0, (size_t)live->obs_dim, live->norm->var);
    for (int i = 0; i < n; i++)
        x[i] = &ps[i]->norm->count;
    bad += naive_diff(lam, n, x, 0, 1, &live->norm->count);
    return bad;
}

/* the mixer on policy structs: the naive mix, rs_soup_mix's file read back
 * bit for bit, and a refused λ changes nothing */
static void test_mixer_vs_naive(void) {
    rs_st *e[3] = {make_expert(1, 10), make_expert(2, 20), make_expert(3, 30)};
    rs_policy *ps[3];
    for (int i = 0; i < 3; i++)
        ps[i] = rs_policy_from_st(e[i], "expert");
    rs_mixer *mx = rs_mixer_new(ps, 3);
    CHECK(mx != NULL, "rs_mixer_new: %s", rs_last_error());
    if (!mx) return;
    CHECK(mx->numel == ps[0]->pi->n_params + ACT + 2 * OBS + 1, "numel %zu", mx->numel);
    double lam[16][5];
    int nc = lambda_cases(3, lam);
    for (int c = 0; c < nc; c++) {
        CHECK(rs_mixer_set(mx, lam[c]) == 0, "case %d: %s", c, rs_last_error());
        int bad = policy_diff(ps, 3, lam[c], mx->live);
        CHECK(bad == 0, "case %d: %d numbers differ from the naive mix", c, bad);
        CHECK(!memcmp(mx->lambda, lam[c], sizeof lam[c][0] * 3), "case %d: λ not recorded", c);
        rs_st *soup = NULL;
        rs_policy *want = rs_soup_mix(e, 3, lam[c], &soup, NULL) == 0
                              ? rs_policy_from_st(soup, "soup")
                              : NULL;
        rs_st_free(soup);
        CHECK(want != NULL, "case %d: the soup file: %s", c, rs_last_error());
        if (!want) continue;
        const rs_policy *p = mx->live;
        CHECK(!memcmp(p->pi->params, want->pi->params, sizeof(float) * p->pi->n_params) &&
                  !memcmp(p->log_std, want->log_std, sizeof(float) * ACT) &&
                  !memcmp(p->norm->mean, want->norm->mean, sizeof(double) * OBS) &&
                  !memcmp(p->norm->var, want->norm->var, sizeof(double) * OBS) &&
                  !memcmp(&p->norm->count, &want->norm->count, sizeof(double)),
              "case %d: the live policy is not rs_soup_mix's file bit for bit", c);
        CHECK(p->head == want->head && p->act_bound == want->act_bound &&
                  p->norm->clip == want->norm->clip && !strcmp(p->reward, want->reward) &&
                  !strcmp(p->env, want->env),
              "case %d: the live policy's other fields are not the soup's", c);
        rs_policy_free(want);
    }
    float before = mx->live->pi->params[0];
    const double bad_lam[3] = {0.5, 0.6, 0};
    CHECK(rs_mixer_set(mx, bad_lam) != 0 && has(rs_last_error(), "sums to 1.1"),
          "λ off the simplex: %s", rs_last_error());
    CHECK(mx->live->pi->params[0] == before, "a refused λ leaves the weights alone");
    rs_mixer_free(mx);

    /* SAC (no log_std), and a policy of another shape is refused */
    int h[2] = {8, 8}, h1[1] = {8};
    rs_policy *sac[3];
    rs_rng r;
    rs_rng_seed(&r, 3, 0);
    for (int i = 0; i < 2; i++) {
        sac[i] = rs_policy_new(RS_ALGO_SAC, OBS, ACT, 1.0f, h, 2, RS_ACT_RELU);
        for (size_t j = 0; j < sac[i]->pi->n_params; j++)
            sac[i]->pi->params[j] = (float)rs_rng_normal(&r);
        for (int j = 0; j < OBS; j++)
            sac[i]->norm->mean[j] = rs_rng_normal(&r);
    }
    sac[2] = rs_policy_new(RS_ALGO_SAC, OBS, ACT, 1.0f, h1, 1, RS_ACT_RELU);
    mx = rs_mixer_new(sac, 2);
    const double l2[2] = {0.35, 0.65};
    CHECK(mx && rs_mixer_set(mx, l2) == 0 && !mx->live->log_std &&
              policy_diff(sac, 2, l2, mx->live) == 0,
          "SAC mix differs from the naive mix: %s", rs_last_error());
    rs_mixer_free(mx);
    rs_policy *odd[2] = {sac[0], sac[2]};
    CHECK(rs_mixer_new(odd, 2) == NULL && has(rs_last_error(), "expert 1"),
          "another shape: %s", rs_last_error());
    for (int i = 0; i < 3; i++) {
        rs_policy_free(sac[i]);
        rs_policy_free(ps[i]);
        rs_st_free(e[i]);
    }
}

static void expect_parse_error(const char *text, int n, const char *want) {
    double l[8];
    rs_clear_error();
    int rc = rs_soup_parse_lambda(text, n, l);
    CHECK(rc == -1, "'%s' with %d experts should fail", text, n);
    CHECK(has(rs_last_error(), want), "'%s': message '%s' lacks '%s'", text, rs_last_error(), want);
}

static void test_parse_lambda(void) {
    double l[4];
    CHECK(rs_soup_parse_lambda("0.3", 2, l) == 0 && l[0] == 1.0 - 0.3 && l[1] == 0.3,
          "0.3 -> (0.7,0.3)");
    CHECK(rs_soup_parse_lambda("0", 2, l) == 0 && l[0] == 1 && l[1] == 0, "0 is expert A");
    CHECK(rs_soup_parse_lambda("1", 2, l) == 0 && l[0] == 0 && l[1] == 1, "1 is expert B");
    CHECK(rs_soup_parse_lambda("0.25,0.75", 2, l) == 0 && l[0] == 0.25 && l[1] == 0.75,
          "two weights");
    CHECK(rs_soup_parse_lambda("0.2,0.3,0.5", 3, l) == 0 && l[0] == 0.2 && l[1] == 0.3 &&
              l[2] == 0.5,
          "three weights");
    CHECK(rs_soup_parse_lambda(" 0.2, 0.3 ,0.5 ", 3, l) == 0, "spaces allowed");
    CHECK(rs_soup_parse_lambda("1", 1, l) == 0 && l[0] == 1, "one expert");
    expect_parse_error("0.2,0.8", 3, "lambda '0.2,0.8' has 2 weights for 3 experts");
    expect_parse_error("0.5", 3, "a single number is only for 2 experts");
    expect_parse_error("-0.1", 2, "lambda '-0.1'");
    expect_parse_error("1.5", 2, "must be in [0, 1]");
    expect_parse_error("0.5,-0.1,0.6", 3, "negative");
    expect_parse_error("0.2,0.3", 2, "lambda '0.2,0.3': weights sum to 0.5");
    expect_parse_error("abc", 2, "lambda 'abc': 'abc' is not a number");
    expect_parse_error("0.3x", 2, "'0.3x' is not a number");
    expect_parse_error("0.5,,0.5", 3, "'' is not a number");
    expect_parse_error("", 2, "lambda ''");
    expect_parse_error("nan", 2, "'nan' is not a number");
    expect_parse_error("inf,0", 2, "'inf' is not a number");
}

static void test_fnv_and_parents(void) {
    /* FNV-1a 64 by hand: h = offset; for each byte: h ^= b; h *= prime */
    CHECK(rs_fnv1a64("", 0) == 0xcbf29ce484222325ULL, "FNV of empty");
    CHECK(rs_fnv1a64("a", 1) == 0xaf63dc4c8601ec8cULL, "FNV of 'a'");
    /* "ab": one more step from the value of "a", with the multiplication
     * done here by shifts: prime = 2^40 + 2^8 + 0xb3 */
    uint64_t h = 0xaf63dc4c8601ec8cULL ^ (uint64_t)'b';
    h = (h << 40) + (h << 8) + h * 0xb3;
    CHECK(rs_fnv1a64("ab", 2) == h, "FNV of 'ab'");

    char dir[] = "/tmp/rs_soup_XXXXXX";
    if (!mkdtemp(dir)) return;
    char pa[64], pb[64], pc[64];
    snprintf(pa, sizeof pa, "%s/a.bin", dir);
    snprintf(pb, sizeof pb, "%s/empty.bin", dir);
    snprintf(pc, sizeof pc, "%s/missing.bin", dir);
    FILE *f = fopen(pa, "wb");
    fputs("a", f);
    fclose(f);
    f = fopen(pb, "wb");
    fclose(f);
    char hex[17];
    CHECK(rs_file_hash(pa, hex) == 0xaf63dc4c8601ec8cULL && !strcmp(hex, "af63dc4c8601ec8c"),
          "file 'a': %s", hex);
    CHECK(rs_file_hash(pb, hex) == 0xcbf29ce484222325ULL && !strcmp(hex, "cbf29ce484222325"),
          "empty file: %s", hex);
    CHECK(rs_file_hash(pc, hex) == 0 && hex[0] == 0 && has(rs_last_error(), "missing.bin"),
          "missing file: %s", rs_last_error());

    rs_st *st = rs_st_new();
    const char *paths[2] = {pa, pb};
    CHECK(rs_soup_set_parents(st, paths, 2) == 0, "%s", rs_last_error());
    char want[256];
    snprintf(want, sizeof want,
             "[{\"path\":\"%s\",\"fnv1a64\":\"af63dc4c8601ec8c\"},{\"path\":\"%s\",\"fnv1a64\":"
             "\"cbf29ce484222325\"}]",
             pa, pb);
    CHECK(rs_st_meta(st, "parents") && !strcmp(rs_st_meta(st, "parents"), want), "parents '%s'",
          rs_st_meta(st, "parents"));
    const char *bad[1] = {pc};
    CHECK(rs_soup_set_parents(st, bad, 1) == -1 && has(rs_last_error(), "missing.bin"),
          "missing parent");
    rs_st_free(st);
    unlink(pa);
    unlink(pb);
    rmdir(dir);
}

/* a soup saved and reloaded is still a valid policy file with its metadata */
static void test_save_roundtrip(void) {
    rs_st *e[2] = {make_expert(1, 10), make_expert(2, 20)}, *out = NULL;
    double lam[2] = {0.7, 0.3};
    CHECK(rs_soup_mix(e, 2, lam, &out, NULL) == 0, "%s", rs_last_error());
    char path[] = "/tmp/rs_soup_rt_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || !out) return;
    close(fd);
    CHECK(rs_st_save(out, path) == 0, "%s", rs_last_error());
    rs_st *back = rs_st_load(path);
    CHECK(back && same_bytes(back, out), "reload differs");
    CHECK(back && !strcmp(rs_st_meta(back, "soup_rewards"), "[\"forward=1\",\"forward=1\"]"),
          "soup_rewards '%s'", back ? rs_st_meta(back, "soup_rewards") : "");
    /* a soup mixes again with its parents (it is a policy checkpoint) */
    rs_st *e3[3] = {e[0], e[1], back}, *out2 = NULL;
    double l3[3] = {0, 0, 1};
    CHECK(rs_soup_mix(e3, 3, l3, &out2, NULL) == 0 && same_bytes(out2, out), "re-mix: %s",
          rs_last_error());
    rs_st_free(out2);
    rs_st_free(back);
    rs_st_free(out);
    rs_st_free(e[0]);
    rs_st_free(e[1]);
    unlink(path);
}

RS_TEST_MAIN(T(test_endpoints_bit_exact), T(test_three_expert_mix), T(test_self_mix_identity),
             T(test_norm_flag), T(test_mismatches), T(test_integer_tensors), T(test_lambda_checks),
             T(test_parse_lambda), T(test_fnv_and_parents), T(test_save_roundtrip),
             T(test_action_heads), T(test_kernel_vs_naive), T(test_soup_mix_vs_naive),
             T(test_mixer_vs_naive))
