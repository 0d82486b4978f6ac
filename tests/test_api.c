/* test_api.c — librsoup's public API (include/rsoup.h) against the internal
 * modules it wraps: the same seed gives the same observations, terms,
 * rewards and flags as rs_vecenv bit for bit, with Gymnasium's next-step
 * autoreset checked step by step; policies act as rs_policy_act_det; soups
 * are rs_soup_mix's; files are read and written as the format says
 * (bytes spelled out here) and refused as rs_st_load and rs_front_load
 * refuse them; the generator is rs_rng. This program links both librsoup.so (public symbols
 * only) and the internal archives, so each side is its own copy. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs_frontfile.h"
#include "rs_policy.h"
#include "rs_soup.h"
#include "rs_test.h"
#include "rs_vecenv.h"
#include "rsoup.h"

static int has(const char *s, const char *sub) { return s && strstr(s, sub) != NULL; }

/* a deterministic action for env i's k-th simulated step */
static void action_of(int i, int k, int A, float *a) {
    rs_rng r;
    rs_rng_seed(&r, 1234, (uint64_t)i * 100003u + (uint64_t)k);
    for (int j = 0; j < A; j++)
        a[j] = (float)rs_rng_uniform_range(&r, -1.0, 1.0);
}

static void test_registry(void) {
    CHECK(rsoup_api_version() == RSOUP_API_VERSION, "api version %d", rsoup_api_version());
    CHECK(!strcmp(rsoup_version(), RS_VERSION), "version %s", rsoup_version());
    CHECK(rsoup_env_count() == rs_env_count() && rsoup_env_count() == 6, "%d envs",
          rsoup_env_count());
    CHECK(rsoup_env_name(rsoup_env_count()) == NULL && rsoup_env_name(-1) == NULL, "past the end");
    for (int i = 0; i < rsoup_env_count(); i++) {
        const rs_env_spec *s = rs_env_spec_at(i);
        int od, ad, nt, ms;
        double b;
        CHECK(!strcmp(rsoup_env_name(i), s->name), "name %d", i);
        CHECK(rsoup_env_info(s->name, &od, &ad, &nt, &b, &ms) == 0 && od == s->obs_dim &&
                  ad == s->act_dim && nt == s->n_terms && b == s->act_bound && ms == RS_MAX_STEPS,
              "%s info", s->name);
        for (int k = 0; k < s->n_terms; k++)
            CHECK(!strcmp(rsoup_env_term(s->name, k), s->terms[k]), "%s term %d", s->name, k);
        CHECK(rsoup_env_term(s->name, s->n_terms) == NULL, "term past the end");
        CHECK(!strcmp(rsoup_env_preset(s->name, 0), "default"), "%s preset 0", s->name);
    }
    CHECK(rsoup_env_info("hoper", NULL, NULL, NULL, NULL, NULL) == -1 &&
              has(rsoup_last_error(), "hopper"),
          "unknown env names the valid ones: %s", rsoup_last_error());
    double w[RS_MAX_TERMS], want[RS_MAX_TERMS];
    const rs_env_spec *h = rs_env_find("hopper");
    CHECK(rsoup_reward_weights("hopper", "0.3*risky+0.7*cautious", w) == 0 &&
              rs_reward_parse(h, "0.3*risky+0.7*cautious", want) == 0 &&
              !memcmp(w, want, sizeof(double) * h->n_terms),
          "reward weights as rs_reward_parse");
    CHECK(rsoup_reward_weights("hopper", "forwrd=1", w) == -1 && has(rsoup_last_error(), "forwrd"),
          "bad reward: %s", rsoup_last_error());
    const char *bad[] = {"default", "nope"};
    CHECK(rsoup_vec_new("hopper", 2, bad, 2, 1, 1) == NULL && has(rsoup_last_error(), "nope"),
          "bad objective refused: %s", rsoup_last_error());
    CHECK(rsoup_vec_new("hopper", 0, bad, 1, 1, 1) == NULL, "0 envs refused");
}

/* Run rs_vecenv (one per objective, threads 1) for S steps with per-env
 * actions, then librsoup (threads 2) with the same actions per simulated
 * step; every output must agree bit for bit, and every step after an
 * episode's end must be the reset step. Returns the episodes that ended. */
static int against_vecenv(const char *env, const char *const *rewards, int n_obj, int n,
                          uint64_t seed, int S, int *truncations) {
    const rs_env_spec *s = rs_env_find(env);
    const int O = s->obs_dim, A = s->act_dim, T = s->n_terms;
    /* the reference: after[k] (the obs the step returned: final_obs when it
     * ended the episode), reset[k] (the next episode's first obs) */
    float *after = calloc((size_t)S * n * O, sizeof(float));
    float *reset = calloc((size_t)S * n * O, sizeof(float));
    float *first = calloc((size_t)n * O, sizeof(float));
    double *terms = calloc((size_t)S * n * T, sizeof(double));
    float *rew = calloc((size_t)S * n * n_obj, sizeof(float));
    unsigned char *term = calloc((size_t)S * n, 1), *trunc = calloc((size_t)S * n, 1);
    float *act = calloc((size_t)n * A, sizeof(float));
    int episodes = 0, n_trunc = 0;
    for (int j = 0; j < n_obj; j++) {
        double w[RS_MAX_TERMS];
        CHECK(rs_reward_parse(s, rewards[j], w) == 0, "reward %s", rewards[j]);
        rs_vecenv *ve = rs_vecenv_new(s, NULL, n, w, seed, NULL, 1);
        if (j == 0) memcpy(first, ve->obs, sizeof(float) * n * O);
        for (int k = 0; k < S; k++) {
            for (int i = 0; i < n; i++)
                action_of(i, k, A, act + (size_t)i * A);
            rs_vecenv_step(ve, act);
            for (int i = 0; i < n; i++) {
                size_t at = (size_t)k * n + i;
                rew[at * n_obj + j] = ve->rewards[i];
                if (j) continue;
                int done = ve->terminated[i] | ve->truncated[i];
                memcpy(after + at * O, (done ? ve->final_obs : ve->obs) + (size_t)i * O,
                       sizeof(float) * O);
                if (done) memcpy(reset + at * O, ve->obs + (size_t)i * O, sizeof(float) * O);
                memcpy(terms + at * T, ve->terms + (size_t)i * T, sizeof(double) * T);
                term[at] = ve->terminated[i];
                trunc[at] = ve->truncated[i];
                episodes += done;
                n_trunc += ve->truncated[i];
            }
        }
        rs_vecenv_free(ve);
    }

    rsoup_vec *v = rsoup_vec_new(env, n, rewards, n_obj, seed, 2);
    CHECK(v != NULL, "rsoup_vec_new: %s", rsoup_last_error());
    float *obs = calloc((size_t)n * O, sizeof(float)),
          *r = calloc((size_t)n * n_obj, sizeof(float));
    double *tm = calloc((size_t)n * T, sizeof(double));
    uint8_t *te = calloc(n, 1), *tr = calloc(n, 1);
    CHECK(rsoup_vec_step(v, act) == -1 && has(rsoup_last_error(), "bind"), "step before bind");
    CHECK(rsoup_vec_bind(v, obs, r, te, tr, tm) == 0, "bind");
    CHECK(rsoup_vec_reset(v) == 0 && !memcmp(obs, first, sizeof(float) * n * O),
          "%s: the first observations", env);
    int *k = calloc(n, sizeof(int)), mism = 0, resets = 0;
    for (int left = n; left > 0;) {
        int was[64];
        for (int i = 0; i < n; i++) {
            was[i] = rsoup_vec_resetting(v, i);
            action_of(i, k[i], A, act + (size_t)i * A);
        }
        CHECK(rsoup_vec_step(v, act) == 0, "step: %s", rsoup_last_error());
        for (int i = 0; i < n; i++) {
            if (k[i] >= S) continue;
            size_t at = (size_t)k[i] * n + i;
            const float *o = obs + (size_t)i * O;
            if (was[i]) { /* the reset step: the next episode's first obs, zeros */
                resets++;
                size_t prev = (size_t)(k[i] - 1) * n + i;
                int ok = !memcmp(o, reset + prev * O, sizeof(float) * O) && !te[i] && !tr[i] &&
                         rsoup_vec_episode_step(v, i) == 0;
                for (int j = 0; j < n_obj; j++)
                    ok &= r[(size_t)i * n_obj + j] == 0.0f;
                for (int t = 0; t < T; t++)
                    ok &= tm[(size_t)i * T + t] == 0.0;
                mism += !ok;
                continue;
            }
            int ok = !memcmp(o, after + at * O, sizeof(float) * O) &&
                     !memcmp(tm + (size_t)i * T, terms + at * T, sizeof(double) * T) &&
                     !memcmp(r + (size_t)i * n_obj, rew + at * n_obj, sizeof(float) * n_obj) &&
                     te[i] == term[at] && tr[i] == trunc[at] &&
                     rsoup_vec_resetting(v, i) == (term[at] | trunc[at]);
            if (!ok && !mism) fprintf(stderr, "%s: env %d differs at its step %d\n", env, i, k[i]);
            mism += !ok;
            if (++k[i] == S) left--;
        }
    }
    CHECK(mism == 0, "%s: %d steps differ from rs_vecenv", env, mism);
    /* an episode that ended on the last step compared has its reset unchecked */
    CHECK(resets <= episodes && resets >= episodes - n, "%s: %d reset steps for %d episodes", env,
          resets, episodes);

    /* a non-finite action moves nothing */
    for (int i = 0; i < n; i++)
        action_of(i, 0, A, act + (size_t)i * A);
    int victim = 0;
    while (victim < n - 1 && rsoup_vec_resetting(v, victim))
        victim++;
    act[(size_t)victim * A] = NAN;
    float *keep = malloc(sizeof(float) * n * O);
    memcpy(keep, obs, sizeof(float) * n * O);
    if (!rsoup_vec_resetting(v, victim))
        CHECK(rsoup_vec_step(v, act) == -1 && has(rsoup_last_error(), "non-finite") &&
                  !memcmp(keep, obs, sizeof(float) * n * O),
              "NaN action refused: %s", rsoup_last_error());
    rsoup_vec_free(v);
    free(keep);
    free(k), free(obs), free(r), free(tm), free(te), free(tr);
    free(after), free(reset), free(first), free(terms), free(rew), free(term), free(trunc);
    free(act);
    if (truncations) *truncations = n_trunc;
    return episodes;
}

static void test_vec_hopper(void) {
    const char *rw[] = {"default"};
    int eps = against_vecenv("hopper", rw, 1, 4, 7, 200, NULL);
    CHECK(eps >= 4, "hopper falls under random actions: %d episodes", eps);
}

static void test_vec_objectives(void) {
    const char *rw[] = {"risky", "cautious", "forward=1,ctrl=-0.5"};
    int eps = against_vecenv("hopper", rw, 3, 3, 11, 150, NULL);
    CHECK(eps >= 3, "%d episodes", eps);
    const char *aw[] = {"default", "forward=1"};
    against_vecenv("ant", aw, 2, 2, 3, 60, NULL);
}

static void test_vec_truncation(void) {
    /* swimmer never terminates: the time limit truncates at 1000 steps */
    const char *rw[] = {"default"};
    int tr = 0;
    int eps = against_vecenv("swimmer", rw, 1, 2, 5, 1010, &tr);
    CHECK(eps == 2 && tr == 2, "swimmer: %d episodes, %d truncated", eps, tr);
}

static void test_vec_seed(void) {
    const char *rw[] = {"default"};
    rsoup_vec *v = rsoup_vec_new("walker2d", 3, rw, 1, 42, 1);
    float obs[3 * 17], a[3 * 17], r[3];
    uint8_t te[3], tr[3];
    CHECK(v && rsoup_vec_bind(v, obs, r, te, tr, NULL) == 0 && rsoup_vec_reset(v) == 0, "new");
    memcpy(a, obs, sizeof obs);
    CHECK(rsoup_vec_reset(v) == 0 && memcmp(a, obs, sizeof obs) != 0,
          "a reset without a seed goes on with the streams");
    CHECK(rsoup_vec_seed(v, 42) == 0 && rsoup_vec_reset(v) == 0 && !memcmp(a, obs, sizeof obs),
          "the same seed again: the same first observations");
    CHECK(memcmp(obs, obs + 17, sizeof(float) * 17) != 0, "envs have their own streams");
    float act[3 * 6] = {0};
    CHECK(rsoup_vec_step(v, act) == 0 && rsoup_vec_episode_step(v, 0) == 1, "steps without terms");
    CHECK(rsoup_vec_n_obj(v) == 1 && rsoup_vec_num_envs(v) == 3 &&
              !strcmp(rsoup_vec_env(v), "walker2d"),
          "accessors");
    rsoup_vec_free(v);
    rsoup_vec_free(NULL);
}

/* a PPO policy with random weights and statistics, saved to path */
static rs_policy *random_policy(const char *path, uint64_t seed, rs_action_head head) {
    int hidden[2] = {16, 8};
    rs_policy *p = rs_policy_new(RS_ALGO_PPO, 11, 3, 1.0f, hidden, 2, RS_ACT_TANH);
    rs_rng r;
    rs_rng_seed(&r, seed, 0);
    for (size_t i = 0; i < p->pi->n_params; i++)
        p->pi->params[i] = (float)rs_rng_normal(&r) * 0.5f;
    for (int i = 0; i < 11; i++) {
        p->norm->mean[i] = rs_rng_normal(&r);
        p->norm->var[i] = 0.5 + rs_rng_uniform(&r);
    }
    p->norm->count = 100;
    for (int j = 0; j < 3; j++)
        p->log_std[j] = -0.5f;
    p->head = head;
    snprintf(p->env, sizeof p->env, "hopper");
    snprintf(p->reward, sizeof p->reward, "default");
    CHECK(rs_policy_save(p, path) == 0, "save: %s", rs_last_error());
    return p;
}

static void test_policy(void) {
    char dir[] = "/tmp/rs_api_XXXXXX";
    if (!mkdtemp(dir)) return;
    char pa[64], pb[64], ps[64], pt[64];
    snprintf(pa, sizeof pa, "%s/a.safetensors", dir);
    snprintf(pb, sizeof pb, "%s/b.safetensors", dir);
    snprintf(ps, sizeof ps, "%s/soup.safetensors", dir);
    snprintf(pt, sizeof pt, "%s/t.safetensors", dir);
    rs_policy *a = random_policy(pa, 1, RS_HEAD_CLIP), *b = random_policy(pb, 2, RS_HEAD_CLIP);
    rs_policy_free(random_policy(pt, 3, RS_HEAD_TANH));

    enum { B = 300 }; /* more than one chunk of the API's forward pass */
    float *obs = malloc(sizeof(float) * B * 11), act[B * 3], want[B * 3], out[B * 3];
    rs_rng r;
    rs_rng_seed(&r, 9, 0);
    for (int i = 0; i < B * 11; i++)
        obs[i] = (float)(3.0 * rs_rng_normal(&r));
    rs_mlp_ws *ws = rs_mlp_ws_new(a->pi, B);
    float *nb = malloc(sizeof(float) * B * 11);
    rs_policy_act_det(a, ws, obs, B, nb, want);

    rsoup_policy *h = rsoup_policy_load(pa);
    int od, ad, ow;
    CHECK(h && rsoup_policy_dims(h, &od, &ad, &ow) == 0 && od == 11 && ad == 3 && ow == 3,
          "load: %s", rsoup_last_error());
    CHECK(!strcmp(rsoup_policy_env(h), "hopper"), "env");
    CHECK(rsoup_policy_act(h, obs, B, act) == 0 && !memcmp(act, want, sizeof act),
          "act = rs_policy_act_det bit for bit");
    CHECK(rsoup_policy_forward(h, obs, B, out) == 0, "forward");
    int clipped = 0, same = 1;
    for (int i = 0; i < B * 3; i++) {
        float c = out[i] < -1 ? -1 : (out[i] > 1 ? 1 : out[i]);
        same &= c == act[i];
        clipped += out[i] != c;
    }
    CHECK(same && clipped > 0, "act = clip(forward), %d clipped", clipped);
    obs[5] = INFINITY;
    CHECK(rsoup_policy_act(h, obs, B, act) == -1 && has(rsoup_last_error(), "finite"),
          "non-finite observation refused");
    obs[5] = 0;
    rsoup_policy_free(h);

    /* from tensors in memory: the file's tensors and metadata */
    rs_st *st = rs_st_load(pa);
    int n = rs_st_count(st), nm = rs_st_meta_count(st);
    const char *names[16], *dts[16], *keys[64], *vals[64];
    int nd[16];
    int64_t shapes[64];
    const void *data[16];
    int si = 0;
    for (int i = 0; i < n; i++) {
        const rs_tensor *t = rs_st_at(st, i);
        names[i] = t->name;
        dts[i] = rs_dtype_name(t->dtype);
        nd[i] = t->ndim;
        for (int d = 0; d < t->ndim; d++)
            shapes[si++] = t->shape[d];
        data[i] = t->data;
    }
    for (int i = 0; i < nm; i++)
        rs_st_meta_at(st, i, &keys[i], &vals[i]);
    h = rsoup_policy_from_tensors(n, names, dts, nd, shapes, data, nm, keys, vals);
    CHECK(h && rsoup_policy_act(h, obs, B, act) == 0 && !memcmp(act, want, sizeof act),
          "from tensors: the same actions (%s)", rsoup_last_error());
    rsoup_policy_free(h);
    dts[0] = "F16";
    CHECK(!rsoup_policy_from_tensors(n, names, dts, nd, shapes, data, nm, keys, vals) &&
              has(rsoup_last_error(), "dtype"),
          "unknown dtype: %s", rsoup_last_error());
    rs_st_free(st);

    /* soups: rs_soup_mix's tensors, λ = (1, 0) is expert a */
    const char *paths[2] = {pa, pb};
    double lam[2] = {0.3, 0.7};
    int nmix = -1;
    CHECK(rsoup_soup_save(paths, 2, lam, ps, &nmix) == 0 && nmix == 1, "soup: %s",
          rsoup_last_error());
    rs_st *ex[2] = {rs_st_load(pa), rs_st_load(pb)}, *mix = NULL, *got = rs_st_load(ps);
    CHECK(rs_soup_mix(ex, 2, lam, &mix, NULL) == 0 && got, "reference mix");
    int eq = got && mix && rs_st_count(got) == rs_st_count(mix);
    for (int i = 0; eq && i < rs_st_count(mix); i++) {
        const rs_tensor *x = rs_st_at(mix, i), *y = rs_st_get(got, x->name);
        eq = y && y->nbytes == x->nbytes && !memcmp(x->data, y->data, x->nbytes);
    }
    CHECK(eq, "the soup's tensors are rs_soup_mix's");
    CHECK(got && has(rs_st_meta(got, "parents"), "a.safetensors") &&
              !strcmp(rs_st_meta(got, "lambda"), "[0.3,0.7]"),
          "soup metadata: %s", got ? rs_st_meta(got, "lambda") : "");
    rs_st_free(mix);
    rs_st_free(got);
    rs_st_free(ex[0]);
    rs_st_free(ex[1]);
    double one[2] = {1, 0};
    h = NULL;
    if (rsoup_soup_save(paths, 2, one, ps, NULL) == 0) h = rsoup_policy_load(ps);
    CHECK(h && rsoup_policy_act(h, obs, B, act) == 0 && !memcmp(act, want, sizeof act),
          "lambda (1, 0) acts as expert a");
    rsoup_policy_free(h);
    double off[2] = {0.5, 0.6};
    CHECK(rsoup_soup_save(paths, 2, off, ps, NULL) == -1 && has(rsoup_last_error(), "0.6"),
          "lambda off the simplex: %s", rsoup_last_error());
    const char *mixed[2] = {pa, pt};
    CHECK(rsoup_soup_save(mixed, 2, lam, ps, NULL) == -1 && has(rsoup_last_error(), "action_head"),
          "clip and tanh experts do not mix: %s", rsoup_last_error());
    CHECK(rsoup_policy_load("/nonexistent/p.safetensors") == NULL &&
              has(rsoup_last_error(), "/nonexistent/p.safetensors"),
          "missing file named: %s", rsoup_last_error());

    rs_mlp_ws_free(ws);
    free(nb);
    free(obs);
    rs_policy_free(a);
    rs_policy_free(b);
    unlink(pa), unlink(pb), unlink(ps), unlink(pt);
    rmdir(dir);
}

/* ---- files ---- */

static void put_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

/* a whole file into buf[cap]; its size, or -1 */
static long get_file(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    long n = (long)fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* a safetensors file of a raw header (padded with spaces to 8 bytes) and data */
static void put_st(const char *path, const char *header, const void *data, size_t n) {
    char buf[4096];
    size_t h = strlen(header), hp = (h + 7) & ~(size_t)7;
    for (int i = 0; i < 8; i++)
        buf[i] = (char)((uint64_t)hp >> (8 * i));
    memcpy(buf + 8, header, h);
    memset(buf + 8 + h, ' ', hp - h);
    if (n) memcpy(buf + 8 + hp, data, n);
    put_file(path, buf, 8 + hp + n);
}

static void test_tensors(void) {
    char dir[] = "/tmp/rs_api_st_XXXXXX";
    if (!mkdtemp(dir)) return;
    char pa[96], pb[96], bad[96];
    snprintf(pa, sizeof pa, "%s/a.safetensors", dir);
    snprintf(pb, sizeof pb, "%s/b.safetensors", dir);
    snprintf(bad, sizeof bad, "%s/bad.safetensors", dir);

    /* written through the API: the bytes the format spells out */
    float x[2] = {1.5f, -2.0f};
    int32_t k[3] = {7, -8, 9};
    int64_t sx[1] = {2}, sk[2] = {3, 1};
    rsoup_tensors *t = rsoup_tensors_new();
    CHECK(t && rsoup_tensors_set_meta(t, "format", "test") == 0 &&
              rsoup_tensors_set_meta(t, "note", "caf\xc3\xa9 \"q\"") == 0 &&
              rsoup_tensors_add(t, "x", "F32", 1, sx, x) == 0 &&
              rsoup_tensors_add(t, "k", "I32", 2, sk, k) == 0 &&
              rsoup_tensors_set_meta(t, "format", "test2") == 0,
          "build: %s", rsoup_last_error());
    CHECK(rsoup_tensors_add(t, "x", "F32", 1, sx, x) == -1 && has(rsoup_last_error(), "duplicate"),
          "a repeated name: %s", rsoup_last_error());
    CHECK(rsoup_tensors_add(t, "__metadata__", "F32", 1, sx, x) == -1, "the reserved name");
    CHECK(rsoup_tensors_add(t, "h", "F16", 1, sx, x) == -1 && has(rsoup_last_error(), "F16") &&
              has(rsoup_last_error(), "'h'"),
          "an unknown dtype: %s", rsoup_last_error());
    int64_t s5[5] = {1, 1, 1, 1, 2};
    CHECK(rsoup_tensors_add(t, "y", "F32", 5, s5, x) == -1, "5 dims refused");
    CHECK(rsoup_tensors_save(t, pa) == 0, "save: %s", rsoup_last_error());
    const char head[] =
        "{\"__metadata__\":{\"format\":\"test2\",\"note\":\"caf\xc3\xa9 \\\"q\\\"\"},"
        "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        "\"k\":{\"dtype\":\"I32\",\"shape\":[3,1],\"data_offsets\":[8,20]}}";
    char want[512], got[512];
    size_t hl = strlen(head), hp = (hl + 7) & ~(size_t)7;
    for (int i = 0; i < 8; i++)
        want[i] = (char)((uint64_t)hp >> (8 * i));
    memcpy(want + 8, head, hl);
    memset(want + 8 + hl, ' ', hp - hl);
    memcpy(want + 8 + hp, x, 8); /* little-endian host */
    memcpy(want + 8 + hp + 8, k, 12);
    long n = get_file(pa, got, sizeof got);
    CHECK(n == (long)(8 + hp + 20) && !memcmp(got, want, (size_t)n), "the bytes: %ld of %zu", n,
          8 + hp + 20);
    rsoup_tensors_free(t);

    /* read back: names, dtypes, shapes, data, metadata in file order */
    t = rsoup_tensors_load(pa);
    const char *name, *dt, *key, *val;
    int nd;
    int64_t shape[RSOUP_MAX_DIMS];
    void *data;
    size_t nb;
    CHECK(t && rsoup_tensors_count(t) == 2 && rsoup_tensors_meta_count(t) == 2, "load: %s",
          rsoup_last_error());
    CHECK(rsoup_tensors_at(t, 1, &name, &dt, &nd, shape, &data, &nb) == 0 && !strcmp(name, "k") &&
              !strcmp(dt, "I32") && nd == 2 && shape[0] == 3 && shape[1] == 1 && nb == 12 &&
              !memcmp(data, k, 12),
          "tensor k");
    CHECK(rsoup_tensors_at(t, 0, &name, &dt, &nd, shape, &data, &nb) == 0 && !strcmp(name, "x") &&
              !strcmp(dt, "F32") && nd == 1 && shape[0] == 2 && !memcmp(data, x, 8),
          "tensor x");
    CHECK(rsoup_tensors_at(t, 2, &name, NULL, NULL, NULL, NULL, NULL) == -1, "past the end");
    CHECK(rsoup_tensors_meta_at(t, 1, &key, &val) == 0 && !strcmp(key, "note") &&
              !strcmp(val, "caf\xc3\xa9 \"q\""),
          "metadata 1");
    CHECK(rsoup_tensors_meta_at(t, 0, &key, &val) == 0 && !strcmp(val, "test2"), "metadata 0");
    CHECK(rsoup_tensors_meta_at(t, 2, &key, &val) == -1, "metadata past the end");
    /* saved again unchanged: the same bytes */
    CHECK(rsoup_tensors_save(t, pb) == 0 && get_file(pb, want, sizeof want) == n &&
              !memcmp(want, got, (size_t)n),
          "a read-save round trip gives the same bytes");
    rsoup_tensors_free(t);

    /* outputs rsoup never writes to: the link and its target stay */
    char link[96], dirout[96];
    snprintf(link, sizeof link, "%s/link.safetensors", dir);
    snprintf(dirout, sizeof dirout, "%s/folder", dir);
    CHECK(symlink(pa, link) == 0 && mkdir(dirout, 0755) == 0, "setup");
    t = rsoup_tensors_load(pa);
    CHECK(rsoup_tensors_save(t, link) == -1 && has(rsoup_last_error(), link) &&
              has(rsoup_last_error(), "symbolic link"),
          "a symlink refused: %s", rsoup_last_error());
    CHECK(get_file(pa, want, sizeof want) == n && !memcmp(want, got, (size_t)n),
          "the link's target untouched");
    CHECK(rsoup_tensors_save(t, dirout) == -1 && has(rsoup_last_error(), "folder"),
          "a folder refused: %s", rsoup_last_error());
    rsoup_tensors_free(t);

    /* files rsoup's reader refuses, each with the file's name and the cause */
    static const struct {
        const char *why, *header, *msg;
        size_t data;
    } refuse[] = {
        {"bad JSON", "{\"x\":{\"dtype\":\"F32\",", "not valid JSON", 8},
        {"NaN in a shape", "{\"x\":{\"dtype\":\"F32\",\"shape\":[NaN],\"data_offsets\":[0,8]}}",
         "not valid JSON", 8},
        {"a dtype of the wrong size",
         "{\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", "do not match", 8},
        {"an unknown dtype", "{\"x\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}",
         "F16", 8},
        {"5 dims", "{\"x\":{\"dtype\":\"U8\",\"shape\":[1,1,1,1,8],\"data_offsets\":[0,8]}}",
         "at most 4", 8},
        {"a hole", "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "hole", 8},
        {"overlapping tensors",
         "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
         "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
         "overlap", 8},
        {"a repeated name",
         "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
         "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
         "duplicate", 8},
        {"truncated data", "{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
         "truncated", 8},
        {"metadata not strings", "{\"__metadata__\":{\"a\":1}}", "not a string", 0},
        {"not an object", "[1,2]", "not a JSON object", 0},
    };
    char zeros[16] = {0};
    for (size_t i = 0; i < sizeof refuse / sizeof refuse[0]; i++) {
        put_st(bad, refuse[i].header, zeros, refuse[i].data);
        t = rsoup_tensors_load(bad);
        CHECK(!t && has(rsoup_last_error(), bad) && has(rsoup_last_error(), refuse[i].msg),
              "%s: %s", refuse[i].why, rsoup_last_error());
        rsoup_tensors_free(t);
    }
    /* the length field itself: too short, larger than the file, absurd */
    put_file(bad, "\x08\0\0", 3);
    CHECK(!rsoup_tensors_load(bad) && has(rsoup_last_error(), "too short"), "truncated: %s",
          rsoup_last_error());
    put_file(bad, "\x40\0\0\0\0\0\0\0{}      ", 16);
    CHECK(!rsoup_tensors_load(bad) && has(rsoup_last_error(), "larger than the 8 bytes left"),
          "a header length past the end: %s", rsoup_last_error());
    put_file(bad, "\xff\xff\xff\xff\0\0\0\0{}      ", 16);
    CHECK(!rsoup_tensors_load(bad) && has(rsoup_last_error(), "absurd"),
          "an absurd header length: %s", rsoup_last_error());
    CHECK(!rsoup_tensors_load(dir) && has(rsoup_last_error(), "not a regular file"), "a folder: %s",
          rsoup_last_error());
    CHECK(!rsoup_tensors_load("/nonexistent/x.safetensors") &&
              has(rsoup_last_error(), "/nonexistent/x.safetensors"),
          "a missing file: %s", rsoup_last_error());

    unlink(pa), unlink(pb), unlink(bad), unlink(link), rmdir(dirout);
    rmdir(dir);
}

static void test_front(void) {
    char dir[] = "/tmp/rs_api_front_XXXXXX";
    if (!mkdtemp(dir)) return;
    char p[96];
    snprintf(p, sizeof p, "%s/front.csv", dir);
    /* columns in an order of their own, provenance, and a row cut mid-write */
    const char *text = "# rsoup: 0.1.0\n"
                       "# mixing: linear\n"
                       "#Not: a key\n"
                       "label,kind,obj:a,std:a,lambda:1,lambda:0,episodes,term:t,termstd:t,length\n"
                       "half,soup,1.5,0.25,0.5,0.5,3,-2,0x10,900\n"
                       "\n"
                       "# a comment between rows\n"
                       "e0,expert,2,0,0,1,4,nan,1e-3,1000\n"
                       "cut,soup,1,0";
    put_file(p, text, strlen(text));
    rsoup_front *f = rsoup_front_load(p);
    int rows, ne, no, nt, plain, trunc;
    CHECK(f && rsoup_front_info(f, &rows, &ne, &no, &nt, &plain, &trunc) == 0 && rows == 2 &&
              ne == 2 && no == 1 && nt == 1 && !plain && trunc,
          "sizes: %s", rsoup_last_error());
    CHECK(!strcmp(rsoup_front_column(f, 0), "label") &&
              !strcmp(rsoup_front_column(f, 4), "lambda:1") &&
              !strcmp(rsoup_front_column(f, 9), "length") && !rsoup_front_column(f, 10),
          "columns in the file's order");
    CHECK(!strcmp(rsoup_front_obj_name(f, 0), "a") && !strcmp(rsoup_front_term_name(f, 0), "t") &&
              !rsoup_front_obj_name(f, 1),
          "names");
    const char *k, *v;
    CHECK(rsoup_front_meta_count(f) == 2 && rsoup_front_meta_at(f, 1, &k, &v) == 0 &&
              !strcmp(k, "mixing") && !strcmp(v, "linear") &&
              rsoup_front_meta_at(f, 2, &k, &v) == -1,
          "provenance lines (a capitalised key is a comment)");
    CHECK(!strcmp(rsoup_front_kind(f, 0), "soup") && !strcmp(rsoup_front_kind(f, 1), "expert") &&
              !strcmp(rsoup_front_label(f, 1), "e0") && !rsoup_front_label(f, 2),
          "kinds and labels");
    const double *lam = rsoup_front_values(f, "lambda"), *obj = rsoup_front_values(f, "obj"),
                 *sd = rsoup_front_values(f, "std"), *term = rsoup_front_values(f, "term"),
                 *tsd = rsoup_front_values(f, "termstd"), *len = rsoup_front_values(f, "length");
    const int *ep = rsoup_front_episodes(f);
    CHECK(lam && lam[0] == 0.5 && lam[1] == 0.5 && lam[2] == 1 && lam[3] == 0, "lambda by index");
    CHECK(obj && obj[0] == 1.5 && obj[1] == 2 && sd[0] == 0.25 && term[0] == -2 && isnan(term[1]) &&
              tsd[0] == 16 && tsd[1] == 1e-3 && len[1] == 1000 && ep[0] == 3 && ep[1] == 4,
          "values (hex and nan as strtod reads them)");
    CHECK(!rsoup_front_values(f, "objs") && has(rsoup_last_error(), "objs"), "an unknown set");
    rsoup_front_free(f);

    /* a plain CSV without a header: f1, f2; kind point */
    put_file(p, "1,2\n3,4", 7);
    f = rsoup_front_load(p);
    CHECK(f && rsoup_front_info(f, &rows, &ne, &no, &nt, &plain, &trunc) == 0 && rows == 2 &&
              no == 2 && plain && !trunc && !strcmp(rsoup_front_column(f, 1), "f2") &&
              !strcmp(rsoup_front_kind(f, 0), "point") && rsoup_front_values(f, "obj")[3] == 4 &&
              !rsoup_front_values(f, "lambda"),
          "plain: %s", rsoup_last_error());
    rsoup_front_free(f);

    static const struct {
        const char *why, *text, *msg;
    } refuse[] = {
        {"'0_5'", "a,b\n1,2\n0_5,3\n", "'0_5' is not a number"},
        {"an unknown column", "kind,label,lambda:0,episodes,obj:a,std:a,size,length\n",
         "unknown column 'size'"},
        {"an unknown kind", "kind,label,episodes,obj:a,std:a,length\nsop,x,1,1,0,1\n",
         "unknown kind 'sop'"},
        {"episodes not a count", "kind,label,episodes,obj:a,std:a,length\nsoup,x,1.5,1,0,1\n",
         "not a count"},
        {"a short row inside", "a,b\n1\n2,3\n", "line 2 has 1 fields"},
        {"a repeated name", "a,a\n1,2\n", "a"},
        {"empty", "# only\n", "empty file"},
    };
    for (size_t i = 0; i < sizeof refuse / sizeof refuse[0]; i++) {
        put_file(p, refuse[i].text, strlen(refuse[i].text));
        f = rsoup_front_load(p);
        CHECK(!f && has(rsoup_last_error(), p) && has(rsoup_last_error(), refuse[i].msg), "%s: %s",
              refuse[i].why, rsoup_last_error());
        rsoup_front_free(f);
    }
    put_file(p, "a,b\n1,\0\n", 8);
    CHECK(!rsoup_front_load(p) && has(rsoup_last_error(), "NUL"), "NUL bytes: %s",
          rsoup_last_error());
    CHECK(!rsoup_front_load("/dev/zero") && has(rsoup_last_error(), "not a regular file"),
          "a device: %s", rsoup_last_error());
    /* a 3 GiB (sparse) file: refused by its size, before it is read */
    FILE *big = fopen(p, "wb");
    int sparse = big && ftruncate(fileno(big), (off_t)3 << 30) == 0;
    if (big) fclose(big);
    CHECK(sparse && !rsoup_front_load(p) && has(rsoup_last_error(), "larger than 256 MiB"),
          "a 3 GiB file: %s", rsoup_last_error());
    unlink(p);
    rmdir(dir);

    /* the number rule of the CSV readers */
    double x = 0;
    CHECK(rsoup_parse_number("0x10", &x) == 0 && x == 16, "hex");
    CHECK(rsoup_parse_number("-1.5e3", &x) == 0 && x == -1500, "decimal");
    CHECK(rsoup_parse_number("inf", &x) == 0 && isinf(x), "inf");
    x = 7;
    CHECK(rsoup_parse_number("", &x) == -1 && rsoup_parse_number("1 ", &x) == -1 &&
              rsoup_parse_number("0_5", &x) == -1 && rsoup_parse_number("1,5", &x) == -1 &&
              rsoup_parse_number(NULL, &x) == -1 && x == 7,
          "not read whole: refused, nothing stored");
}

static void test_rng(void) {
    /* the generator is rs_rng's, draw for draw, on streams beyond 2^32 too */
    const uint64_t seeds[][2] = {{1, 0}, {1000, (uint64_t)1 << 40}, {UINT64_MAX, 7}};
    for (int c = 0; c < 3; c++) {
        rs_rng r;
        rs_rng_seed(&r, seeds[c][0], seeds[c][1]);
        rsoup_rng *g = rsoup_rng_new(seeds[c][0], seeds[c][1]);
        int same = g != NULL;
        for (int i = 0; same && i < 5; i++)
            same = rsoup_rng_u64(g) == rs_rng_u64(&r);
        same = same && rsoup_rng_uniform(g) == rs_rng_uniform(&r);
        double out[7];
        same = same && rsoup_rng_normals(g, out, 7) == 0;
        for (int i = 0; same && i < 7; i++)
            same = out[i] == rs_rng_normal(&r); /* the 7th leaves a spare in both */
        same = same && rsoup_rng_normals(g, out, 1) == 0 && out[0] == rs_rng_normal(&r);
        CHECK(same, "stream (%llu, %llu)", (unsigned long long)seeds[c][0],
              (unsigned long long)seeds[c][1]);
        rsoup_rng_free(g);
    }
    /* and the fixture's first draw of (1, 0) (tests/fixtures/rng_streams.txt) */
    rsoup_rng *g = rsoup_rng_new(1, 0);
    CHECK(rsoup_rng_u64(g) == 0x794c584b08c83783ull, "fixture u64 (1, 0)");
    CHECK(rsoup_rng_normals(g, NULL, 1) == -1, "no buffer refused");
    rsoup_rng_free(g);
}

RS_TEST_MAIN(T(test_registry), T(test_vec_hopper), T(test_vec_objectives), T(test_vec_truncation),
             T(test_vec_seed), T(test_policy), T(test_tensors), T(test_front), T(test_rng))
