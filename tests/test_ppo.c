/* test_ppo.c — PPO pieces against independent computations: GAE against a
 * direct sum, the loss gradient against float64 finite differences, the
 * action heads (clip, tanh) against closed forms and a replayed rollout, a
 * damaged checkpoint refused, and a short run that must learn (resume
 * against an uninterrupted run: test_trainers.c). */
#include <cjson/cJSON.h>
#include <string.h>
#include <unistd.h>

#include "rs_config.h"
#include "rs_eval.h"
#include "rs_ppo.h"
#include "rs_test.h"

/* advantages as the explicit sum  A_t = Σ_l (γλ)^l δ_{t+l}  up to the end of
 * the episode, with δ_t = r_t + γ V_{t+1} (1-done_t) - V_t */
static void test_gae_brute_force(void) {
    enum { T = 37, N = 3 };
    float r[T * N], v[T * N], last[N], adv[T * N], ret[T * N];
    unsigned char done[T * N];
    rs_rng rng;
    rs_rng_seed(&rng, 5, 0);
    for (int k = 0; k < T * N; k++) {
        r[k] = (float)rs_rng_normal(&rng);
        v[k] = (float)rs_rng_normal(&rng);
        done[k] = rs_rng_uniform(&rng) < 0.1;
    }
    for (int i = 0; i < N; i++) last[i] = (float)rs_rng_normal(&rng);
    const double g = 0.99, lam = 0.95;
    rs_gae(r, v, done, last, T, N, (float)g, (float)lam, adv, ret);
    int checked = 0;
    for (int i = 0; i < N; i++)
        for (int t = 0; t < T; t++) {
            double a = 0, coef = 1;
            for (int u = t; u < T; u++) {
                int k = u * N + i;
                double next_v = u == T - 1 ? last[i] : v[k + N];
                double delta = r[k] + g * next_v * (done[k] ? 0 : 1) - v[k];
                a += coef * delta;
                if (done[k]) break;
                coef *= g * lam;
            }
            CHECK_CLOSE(adv[t * N + i], a, 1e-4, 1e-4, "gae");
            CHECK_CLOSE(ret[t * N + i], a + v[t * N + i], 1e-4, 1e-4, "returns");
            checked++;
        }
    CHECK(checked == T * N, "count");
}

/* the loss in float64, straight from its definition */
static double loss64(const double *mu, const double *ls, const double *vn, const float *act,
                     const float *lpo, const float *adv, const float *ret, const float *vo, int M,
                     int A, double clip, double vc, double ec) {
    double pg = 0, vl = 0, ent = 0;
    for (int i = 0; i < M; i++) {
        double lp = 0;
        for (int j = 0; j < A; j++) {
            double z = (act[i * A + j] - mu[i * A + j]) / exp(ls[j]);
            lp += -0.5 * z * z - ls[j] - 0.5 * log(2 * M_PI);
        }
        double rr = exp(lp - lpo[i]);
        double rc = fmin(fmax(rr, 1 - clip), 1 + clip);
        pg += fmax(-adv[i] * rr, -adv[i] * rc);
        double vcl = vo[i] + fmin(fmax(vn[i] - vo[i], -clip), clip);
        vl += fmax((vn[i] - ret[i]) * (vn[i] - ret[i]), (vcl - ret[i]) * (vcl - ret[i]));
    }
    for (int j = 0; j < A; j++) ent += 0.5 + 0.5 * log(2 * M_PI) + ls[j];
    return pg / M + vc * 0.5 * vl / M - ec * ent;
}

static void test_loss_gradient(void) {
    enum { M = 9, A = 3 };
    float mu[M * A], ls[A], vn[M], act[M * A], lpo[M], adv[M], ret[M], vo[M];
    rs_rng rng;
    rs_rng_seed(&rng, 11, 0);
    for (int j = 0; j < A; j++) ls[j] = (float)(0.3 * rs_rng_normal(&rng));
    for (int i = 0; i < M; i++) {
        double lp = 0;
        for (int j = 0; j < A; j++) {
            mu[i * A + j] = (float)rs_rng_normal(&rng);
            act[i * A + j] = mu[i * A + j] + (float)(0.5 * rs_rng_normal(&rng));
            double z = (act[i * A + j] - mu[i * A + j]) / exp(ls[j]);
            lp += -0.5 * z * z - ls[j] - 0.5 * log(2 * M_PI);
        }
        /* old log-probs spread so that some ratios fall outside the clip */
        lpo[i] = (float)(lp + 0.4 * rs_rng_normal(&rng));
        adv[i] = (float)rs_rng_normal(&rng);
        ret[i] = (float)rs_rng_normal(&rng);
        vo[i] = (float)rs_rng_normal(&rng);
        vn[i] = vo[i] + (float)(0.4 * rs_rng_normal(&rng));
    }
    const float clip = 0.2f, vc = 0.5f, ec = 0.01f;
    float dmu[M * A], dls[A] = {0}, dv[M];
    rs_ppo_loss l;
    rs_ppo_loss_grad(mu, ls, vn, act, lpo, adv, ret, vo, M, A, clip, vc, ec, 1, &l, dmu, dls, dv);
    double mu64[M * A], ls64[A], vn64[M];
    for (int k = 0; k < M * A; k++) mu64[k] = mu[k];
    for (int k = 0; k < A; k++) ls64[k] = ls[k];
    for (int k = 0; k < M; k++) vn64[k] = vn[k];
    double L = loss64(mu64, ls64, vn64, act, lpo, adv, ret, vo, M, A, clip, vc, ec);
    CHECK_CLOSE(l.total, L, 1e-5, 1e-5, "loss value");
    const double h = 1e-6;
    double *groups[3] = {mu64, ls64, vn64};
    int sizes[3] = {M * A, A, M};
    float *grads[3] = {dmu, dls, dv};
    const char *names[3] = {"dL/dmu", "dL/dlog_std", "dL/dv"};
    for (int g = 0; g < 3; g++)
        for (int k = 0; k < sizes[g]; k++) {
            double keep = groups[g][k];
            groups[g][k] = keep + h;
            double lp = loss64(mu64, ls64, vn64, act, lpo, adv, ret, vo, M, A, clip, vc, ec);
            groups[g][k] = keep - h;
            double lm = loss64(mu64, ls64, vn64, act, lpo, adv, ret, vo, M, A, clip, vc, ec);
            groups[g][k] = keep;
            CHECK_CLOSE(grads[g][k], (lp - lm) / (2 * h), 2e-5, 1e-3, names[g]);
        }
}

static void small_config(rs_ppo_config *c, int threads) {
    rs_ppo_config_default(c);
    strcpy(c->env, "hopper");
    c->n_envs = 2;
    c->n_steps = 128;
    c->minibatch = 64;
    c->epochs = 2;
    c->total_steps = 4 * 256;
    c->seed = 3;
    c->threads = threads;
}

static int same_params(rs_ppo *a, rs_ppo *b) {
    rs_policy *pa = rs_ppo_policy(a), *pb = rs_ppo_policy(b);
    return memcmp(pa->pi->params, pb->pi->params, sizeof(float) * pa->pi->n_params) == 0 &&
           memcmp(pa->log_std, pb->log_std, sizeof(float) * pa->act_dim) == 0 &&
           memcmp(pa->norm->mean, pb->norm->mean, sizeof(double) * pa->obs_dim) == 0;
}

/* (resume equals an uninterrupted run, whatever the threads: test_trainers.c,
 * for every algorithm.) A checkpoint with damaged window counters is
 * refused, not indexed with, and the policy file round-trips bit for bit. */
static void test_checkpoint_damage_and_policy(void) {
    rs_ppo_config c;
    small_config(&c, 1);
    rs_ppo_stats st;
    char dir[] = "/tmp/rs_ppo_XXXXXX", path[256];
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    rs_ppo *half = rs_ppo_new(&c);
    for (int u = 0; u < 2; u++) rs_ppo_iterate(half, &st);
    CHECK(rs_ppo_save_train(half, path) == 0, "%s", rs_last_error());
    {
        char bad[300];
        snprintf(bad, sizeof bad, "%s/bad.safetensors", dir);
        rs_st *in = rs_st_load(path), *out = rs_st_new();
        for (int i = 0; in && i < rs_st_count(in); i++) {
            const rs_tensor *t = rs_st_at(in, i);
            int64_t damaged[3] = {1000, 0, 0};
            int win = !strcmp(t->name, "window.counters");
            rs_st_add(out, t->name, t->dtype, t->ndim, t->shape, win ? (void *)damaged : t->data);
        }
        for (int i = 0; in && i < rs_st_meta_count(in); i++) {
            const char *k, *val;
            rs_st_meta_at(in, i, &k, &val);
            rs_st_set_meta(out, k, val);
        }
        CHECK(in && rs_st_save(out, bad) == 0, "writing the damaged copy: %s", rs_last_error());
        rs_ppo *r = rs_ppo_new(&c);
        CHECK(rs_ppo_load_train(r, bad) == -1 && strstr(rs_last_error(), "window counters"),
              "damaged window counters: %s", rs_last_error());
        rs_ppo_free(r);
        rs_st_free(in);
        rs_st_free(out);
        unlink(bad);
    }
    snprintf(path, sizeof path, "%s/policy.safetensors", dir);
    CHECK(rs_policy_save(rs_ppo_policy(half), path) == 0, "%s", rs_last_error());
    rs_policy *back = rs_policy_load(path);
    CHECK(back != NULL, "%s", rs_last_error());
    if (back) {
        rs_policy *pr = rs_ppo_policy(half);
        CHECK(memcmp(back->pi->params, pr->pi->params, sizeof(float) * pr->pi->n_params) == 0,
              "policy round trip");
        CHECK(!strcmp(back->env, "hopper") && back->steps == 512, "metadata env %s steps %ld",
              back->env, back->steps);
        rs_policy_free(back);
    }
    unlink(path);
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    unlink(path);
    rmdir(dir);
    rs_ppo_free(half);
}

/* ---- the action heads ---- */

/* a PPO policy with 4 actions and outputs chosen to sit inside the bound
 * (where clip and tanh differ most), at it, and far beyond it */
static rs_policy *head_policy(rs_action_head h) {
    int hidden[1] = {5};
    rs_policy *p = rs_policy_new(RS_ALGO_PPO, 3, 4, 0.4f, hidden, 1, RS_ACT_TANH);
    if (!p) return NULL;
    p->head = h;
    snprintf(p->env, sizeof p->env, "hopper");
    for (int j = 0; j < 4; j++) p->log_std[j] = -0.5f + 0.25f * (float)j;
    rs_rng r;
    rs_rng_seed(&r, 17, 0);
    for (size_t i = 0; i < p->pi->n_params; i++) p->pi->params[i] = (float)rs_rng_normal(&r);
    return p;
}

static const float g_out[4] = {0.3f, -0.05f, 2.5f, -40.0f};

/* deterministic and sampled actions of both heads against the closed form
 * in double, from the same normals (float rounding: 1e-6) */
static void test_action_head_closed_form(void) {
    for (int h = 0; h < 2; h++) {
        rs_policy *p = head_policy(h ? RS_HEAD_TANH : RS_HEAD_CLIP);
        CHECK(p != NULL, "%s", rs_last_error());
        if (!p) return;
        const double b = 0.4;
        float act[4];
        rs_policy_head(p, g_out, NULL, act);
        for (int j = 0; j < 4; j++) {
            double u = g_out[j], want = h ? b * tanh(u) : (u < -b ? -b : (u > b ? b : u));
            CHECK_CLOSE(act[j], want, 1e-6, 0, h ? "deterministic tanh" : "deterministic clip");
            CHECK(fabsf(act[j]) <= p->act_bound, "action %g beyond the bound", (double)act[j]);
        }
        rs_rng noise, same;
        rs_rng_seed(&noise, 5, 7);
        rs_rng_seed(&same, 5, 7);
        for (int rep = 0; rep < 50; rep++) {
            rs_policy_head(p, g_out, &noise, act);
            for (int j = 0; j < 4; j++) {
                double u = g_out[j] + exp((double)p->log_std[j]) * rs_rng_normal(&same);
                double want = h ? b * tanh(u) : (u < -b ? -b : (u > b ? b : u));
                CHECK_CLOSE(act[j], want, 1e-6, 0, h ? "sampled tanh" : "sampled clip");
            }
        }
        rs_policy_free(p);
    }
    /* not the same map: inside the bound tanh shrinks, clip keeps */
    rs_policy *c = head_policy(RS_HEAD_CLIP), *t = head_policy(RS_HEAD_TANH);
    float ac[4], at[4];
    rs_policy_head(c, g_out, NULL, ac);
    rs_policy_head(t, g_out, NULL, at);
    CHECK(ac[0] == 0.3f && at[0] > 0 && at[0] < 0.2f, "clip %g, tanh %g at 0.3", (double)ac[0],
          (double)at[0]);
    rs_policy *q = rs_policy_clone(t);
    CHECK(q && q->head == RS_HEAD_TANH, "rs_policy_clone lost the head");
    rs_policy_free(q);
    rs_policy_free(c);
    rs_policy_free(t);
}

/* an st holding p's file, with metadata action_head set to v (NULL: as written) */
static rs_st *head_st(const rs_policy *p, const char *v) {
    rs_st *st = rs_st_new();
    if (!st || rs_policy_to_st(p, st) != 0) return st;
    if (v) rs_st_set_meta(st, "action_head", v);
    return st;
}

/* the head travels in the file: written for tanh only, absent reads as clip,
 * an unknown name refused by every loader with one message */
static void test_action_head_file(void) {
    rs_policy *c = head_policy(RS_HEAD_CLIP), *t = head_policy(RS_HEAD_TANH);
    rs_st *sc = head_st(c, NULL), *stt = head_st(t, NULL);
    CHECK(rs_st_meta(sc, "action_head") == NULL, "a clip policy wrote action_head '%s'",
          rs_st_meta(sc, "action_head"));
    CHECK(rs_st_meta(stt, "action_head") && !strcmp(rs_st_meta(stt, "action_head"), "tanh"),
          "a tanh policy's action_head: %s", rs_st_meta(stt, "action_head"));
    rs_policy *bc = rs_policy_from_st(sc, "clip file"), *bt = rs_policy_from_st(stt, "tanh file");
    CHECK(bc && bc->head == RS_HEAD_CLIP, "a file without action_head: %s",
          bc ? rs_action_head_name(bc->head) : rs_last_error());
    CHECK(bt && bt->head == RS_HEAD_TANH, "tanh file read back: %s",
          bt ? rs_action_head_name(bt->head) : rs_last_error());
    if (bt) {
        float a[4], b[4];
        rs_policy_head(t, g_out, NULL, a);
        rs_policy_head(bt, g_out, NULL, b);
        CHECK(!memcmp(a, b, sizeof a), "the tanh policy read back acts otherwise");
    }
    rs_policy_free(bc);
    rs_policy_free(bt);
    rs_st *ex = head_st(c, "clip");
    bc = rs_policy_from_st(ex, "explicit clip");
    CHECK(bc && bc->head == RS_HEAD_CLIP, "action_head 'clip': %s", rs_last_error());
    rs_policy_free(bc);
    rs_st_free(ex);

    /* an unknown name: the policy, training and file loaders all refuse it */
    const char *want = "unknown action_head 'softsign' in its metadata";
    rs_st *bad = head_st(t, "softsign");
    CHECK(rs_policy_from_st(bad, "x") == NULL && strstr(rs_last_error(), want),
          "rs_policy_from_st: %s", rs_last_error());
    CHECK(rs_policy_check_format(bad, "x") == -1 && strstr(rs_last_error(), want),
          "rs_policy_check_format: %s", rs_last_error());
    CHECK(rs_policy_from_train_st(bad, "x") == NULL && strstr(rs_last_error(), want),
          "rs_policy_from_train_st: %s", rs_last_error());
    rs_st_set_meta(bad, "format", RS_TRAIN_FORMAT);
    CHECK(rs_policy_from_train_st(bad, "x") == NULL && strstr(rs_last_error(), want),
          "rs_policy_from_train_st (training checkpoint): %s", rs_last_error());
    rs_st_set_meta(bad, "format", RS_POLICY_FORMAT);
    char dir[] = "/tmp/rs_head_XXXXXX", path[300];
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(path, sizeof path, "%s/bad.safetensors", dir);
    CHECK(rs_st_save(bad, path) == 0, "%s", rs_last_error());
    CHECK(rs_policy_load(path) == NULL && strstr(rs_last_error(), want) &&
              strstr(rs_last_error(), path),
          "rs_policy_load: %s", rs_last_error());
    CHECK(rs_policy_st_load(path) == NULL && strstr(rs_last_error(), want),
          "rs_policy_st_load: %s", rs_last_error());
    unlink(path);
    rmdir(dir);
    rs_st_free(bad);
    rs_st_free(sc);
    rs_st_free(stt);
    rs_policy_free(c);
    rs_policy_free(t);
}

/* one rollout replayed outside the trainer: the same envs, normaliser,
 * actor and noise stream, with the env's action made here as clip(u) or
 * bound*tanhf(u). The trainer's envs must end where the replay with its
 * own head ends, and elsewhere with the other head. */
static void replay_rollout(const rs_ppo_config *c, rs_policy *pol, int tanh_map, float *obs_out) {
    const rs_env_spec *s = rs_env_find(c->env);
    double w[RS_MAX_TERMS];
    rs_reward_parse(s, c->reward, w);
    const int N = c->n_envs, O = s->obs_dim, A = s->act_dim;
    const float b = (float)s->act_bound;
    rs_vecenv *v = rs_vecenv_new(s, NULL, N, w, (uint64_t)c->seed, NULL, 1);
    rs_mlp_ws *ws = rs_mlp_ws_new(pol->pi, N);
    float *x = malloc(sizeof(float) * (size_t)N * O), *act = malloc(sizeof(float) * (size_t)N * A);
    rs_rng rng;
    rs_rng_seed(&rng, (uint64_t)c->seed, 0xC0FFEE); /* the trainer's action-noise stream */
    /* pol is the trainer's policy before its first rollout: its normaliser
     * has seen the first observations already */
    rs_normalizer_apply(pol->norm, v->obs, x, N);
    for (int t = 0; t < c->n_steps; t++) {
        rs_mlp_forward(pol->pi, ws, x, N);
        const float *mu = rs_mlp_ws_out(ws);
        for (int i = 0; i < N; i++)
            for (int j = 0; j < A; j++) {
                float u = mu[i * A + j] + expf(pol->log_std[j]) * (float)rs_rng_normal(&rng);
                act[i * A + j] = tanh_map ? b * tanhf(u) : fminf(fmaxf(u, -b), b);
            }
        if (rs_vecenv_step(v, act) != 0) break;
        rs_normalizer_update(pol->norm, v->obs, N);
        rs_normalizer_apply(pol->norm, v->obs, x, N);
    }
    memcpy(obs_out, v->obs, sizeof(float) * (size_t)N * O);
    free(x);
    free(act);
    rs_mlp_ws_free(ws);
    rs_vecenv_free(v);
}

static void test_rollout_env_actions(void) {
    for (int h = 0; h < 2; h++) {
        rs_ppo_config c;
        small_config(&c, 1);
        strcpy(c.action_head, h ? "tanh" : "clip");
        c.log_std_init = 0.5; /* wide: many samples beyond the bound */
        rs_ppo *p = rs_ppo_new(&c);
        CHECK(p != NULL, "%s", rs_last_error());
        if (!p) return;
        rs_policy *before = rs_policy_clone(rs_ppo_policy(p)), *before2 = rs_policy_clone(before);
        rs_ppo_stats st;
        CHECK(rs_ppo_iterate(p, &st) == 0, "%s", rs_last_error());
        const rs_vecenv *v = rs_ppo_vecenv(p);
        size_t n = (size_t)v->n * rs_env_find(c.env)->obs_dim;
        float *own = malloc(sizeof(float) * n), *other = malloc(sizeof(float) * n);
        replay_rollout(&c, before, h, own);
        replay_rollout(&c, before2, !h, other);
        CHECK(!memcmp(v->obs, own, sizeof(float) * n),
              "%s head: the rollout's envs are not where %s actions take them", c.action_head,
              c.action_head);
        CHECK(memcmp(v->obs, other, sizeof(float) * n) != 0,
              "%s head: the other head's replay ends in the same place (test is vacuous)",
              c.action_head);
        free(own);
        free(other);
        rs_policy_free(before);
        rs_policy_free(before2);
        rs_ppo_free(p);
    }
}

static double det_return(rs_policy *p) {
    const rs_env_spec *s = rs_env_find(p->env);
    rs_pool *pool = rs_pool_new(1);
    rs_eval_result r;
    double m = -1e9, sd;
    if (rs_eval_policy(p, s, NULL, 8, 77, 1, pool, &r) == 0) {
        rs_eval_reward_stats(&r, p->reward_w, &m, &sd);
        rs_eval_result_free(&r);
    }
    rs_pool_free(pool);
    return m;
}

static void test_short_run_learns(void) {
    rs_ppo_config c;
    rs_ppo_config_default(&c);
    strcpy(c.env, "hopper");
    c.total_steps = 30 * 1024;
    c.n_steps = 512;
    c.seed = 1;
    c.threads = 1;
    rs_ppo *p = rs_ppo_new(&c);
    CHECK(p != NULL, "%s", rs_last_error());
    if (!p) return;
    double before = det_return(rs_ppo_policy(p));
    rs_ppo_stats st;
    while (rs_ppo_update_index(p) < rs_ppo_num_updates(p))
        if (rs_ppo_iterate(p, &st) != 0) break;
    double after = det_return(rs_ppo_policy(p));
    fprintf(stderr, "    hopper deterministic return: %.1f before, %.1f after %ld steps\n", before,
            after, rs_ppo_global_step(p));
    CHECK(after > before + 100, "no learning: %.1f -> %.1f", before, after);
    rs_ppo_free(p);
}

static void test_config_errors(void) {
    rs_ppo_config c;
    rs_ppo_config_default(&c);
    cJSON *o = cJSON_Parse("{\"lr\": 1e-4, \"n_envs\": 4, \"arch\": \"32,32\"}");
    CHECK(rs_ppo_config_from_json(&c, o, "cfg.") == 0 && c.lr == 1e-4 && c.n_envs == 4 &&
              !strcmp(c.arch, "32,32"),
          "valid config: %s", rs_last_error());
    cJSON_Delete(o);
    o = cJSON_Parse("{\"learning_rate\": 1e-4}");
    CHECK(rs_ppo_config_from_json(&c, o, "cfg.") == -1, "unknown key accepted");
    CHECK(strstr(rs_last_error(), "cfg.learning_rate") && strstr(rs_last_error(), "lr"),
          "message: %s", rs_last_error());
    cJSON_Delete(o);
    o = cJSON_Parse("{\"n_envs\": \"four\"}");
    CHECK(rs_ppo_config_from_json(&c, o, "cfg.") == -1, "wrong type accepted");
    CHECK(strstr(rs_last_error(), "cfg.n_envs: expected an integer"), "message: %s", rs_last_error());
    cJSON_Delete(o);
    rs_ppo_config_default(&c);
    CHECK(rs_ppo_config_set(&c, "minibatch", "5000") == 0 && c.minibatches == 0,
          "a minibatch size given alone does not replace the default count");
    CHECK(rs_ppo_new(&c) == NULL && strstr(rs_last_error(), "minibatch"), "bad minibatch: %s",
          rs_last_error());
    /* the default is CleanRL's count: 2048 / 32 = 64 on one process, and 64
     * per rank at any rank count */
    rs_ppo_config_default(&c);
    CHECK(c.minibatches == 32 && rs_ppo_global_minibatch(&c, 1) == 64 &&
              rs_ppo_global_minibatch(&c, 2) == 128,
          "default minibatch: %d %d", rs_ppo_global_minibatch(&c, 1), rs_ppo_global_minibatch(&c, 2));
    /* a config.json holds both keys: both stand as written (count first) */
    o = cJSON_Parse("{\"minibatch\": 64, \"minibatches\": 0}");
    CHECK(rs_ppo_config_from_json(&c, o, "") == 0 && c.minibatch == 64 && c.minibatches == 0,
          "both keys read back: %d %d", c.minibatch, c.minibatches);
    cJSON_Delete(o);
    rs_ppo_config_default(&c);
    o = cJSON_Parse("{\"minibatch\": 128}");
    CHECK(rs_ppo_config_from_json(&c, o, "") == 0 && c.minibatch == 128 && c.minibatches == 0,
          "a size alone in a --config: %d %d", c.minibatch, c.minibatches);
    cJSON_Delete(o);
    rs_ppo_config_default(&c);
    CHECK(rs_ppo_config_set(&c, "gamma", "abc") == -1, "bad number accepted");
    rs_ppo_config_default(&c); /* 2 x 1024 = 2048 samples */
    c.minibatches = 3;
    CHECK(rs_ppo_new(&c) == NULL && strstr(rs_last_error(), "minibatches must divide"),
          "minibatches not dividing the batch: %s", rs_last_error());
    c.minibatches = 2048;
    CHECK(rs_ppo_new(&c) == NULL && strstr(rs_last_error(), ">= 2 samples"),
          "1-sample minibatches: %s", rs_last_error());
    c.minibatches = 32;
    CHECK(rs_ppo_global_minibatch(&c, 1) == 64 && rs_ppo_global_minibatch(&c, 4) == 256,
          "global minibatch of 32 minibatches over 1 and 4 ranks: %d %d",
          rs_ppo_global_minibatch(&c, 1), rs_ppo_global_minibatch(&c, 4));
}

/* minibatches = K is the same run as minibatch = batch / K */
static void test_minibatches_equals_minibatch(void) {
    rs_ppo_config a, b;
    small_config(&a, 1);
    small_config(&b, 1);
    a.minibatches = 0; /* a by size */
    b.minibatch = 7;   /* ignored when minibatches is set */
    b.minibatches = a.n_envs * a.n_steps / a.minibatch;
    rs_ppo *pa = rs_ppo_new(&a), *pb = rs_ppo_new(&b);
    CHECK(pa && pb, "%s", rs_last_error());
    if (!pa || !pb) return;
    rs_ppo_stats sa, sb;
    for (int u = 0; u < 2; u++) {
        CHECK(rs_ppo_iterate(pa, &sa) == 0 && rs_ppo_iterate(pb, &sb) == 0, "%s", rs_last_error());
    }
    CHECK(same_params(pa, pb), "minibatches=%d differs from minibatch=%d", b.minibatches, a.minibatch);
    rs_ppo_free(pa);
    rs_ppo_free(pb);
}

/* hparams auto: an env with its own set gets it over the generic defaults;
 * other envs and hparams cleanrl keep the generic table */
static void test_env_hparams(void) {
    rs_ppo_config g, c;
    rs_ppo_config_default(&g);
    rs_ppo_config_default(&c);
    CHECK(rs_ppo_config_env_defaults(&c) == 0 && !memcmp(&c, &g, sizeof c), "hopper changed");
    strcpy(c.env, "halfcheetah");
    c.lr = 0.5; /* a user setting is dropped here: the caller applies it again */
    CHECK(rs_ppo_config_env_defaults(&c) == 1, "halfcheetah set not applied: %s", rs_last_error());
    CHECK(!strcmp(c.env, "halfcheetah") && c.n_envs == 1 && c.n_steps == 512 && c.epochs == 20 &&
              fabs(c.lr - 2.0633e-05) < 1e-12 && !c.anneal_lr && c.gamma == 0.98 && !c.clip_vloss &&
              !strcmp(c.arch, "256,256") && !strcmp(c.activation, "relu") &&
              !strcmp(c.weight_init, "fanin") && c.log_std_init == -2,
          "halfcheetah set: n_envs %d lr %g arch %s", c.n_envs, c.lr, c.arch);
    CHECK(rs_ppo_config_check(&c) == 0, "the halfcheetah set fails its own check: %s",
          rs_last_error());
    CHECK(rs_ppo_config_env_defaults(&c) == 1 && c.n_envs == 1, "not idempotent");
    rs_ppo_config_default(&c);
    strcpy(c.env, "halfcheetah");
    strcpy(c.hparams, "cleanrl");
    c.lr = 0.5;
    CHECK(rs_ppo_config_env_defaults(&c) == 0 && c.lr == 0.5 && c.n_envs == g.n_envs,
          "hparams cleanrl still applied the env set");
    CHECK(rs_ppo_env_hparams_source("halfcheetah") && !rs_ppo_env_hparams_source("hopper"),
          "set sources");
    /* humanoid's set: the KL-limited one, on top of the generic table */
    rs_ppo_config_default(&c);
    strcpy(c.env, "humanoid");
    CHECK(rs_ppo_config_env_defaults(&c) == 1 && c.n_envs == 16 && c.n_steps == 256 &&
              c.minibatches == 32 && c.log_std_init == -1 && c.target_kl == 0.02 &&
              !strcmp(c.arch, "64,64") && c.epochs == g.epochs && c.lr == g.lr &&
              !strcmp(c.activation, g.activation),
          "humanoid set: n_envs %d target_kl %g epochs %d", c.n_envs, (double)c.target_kl, c.epochs);
    CHECK(rs_ppo_config_check(&c) == 0, "the humanoid set fails its own check: %s", rs_last_error());
    strcpy(c.hparams, "zoo");
    CHECK(rs_ppo_config_check(&c) == -1 && strstr(rs_last_error(), "hparams"), "bad hparams: %s",
          rs_last_error());
    /* a whole config from before the hparams key is an old generic-set run:
     * it reads as cleanrl; a partial one leaves hparams alone */
    rs_ppo_config_default(&c);
    strcpy(c.env, "halfcheetah");
    char *js = rs_ppo_config_to_json(&c);
    cJSON *o = cJSON_Parse(js);
    free(js);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "hparams");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "weight_init");
    rs_ppo_config_default(&c);
    CHECK(rs_ppo_config_from_json(&c, o, "") == 0 && !strcmp(c.hparams, "cleanrl") &&
              rs_ppo_config_env_defaults(&c) == 0 && !strcmp(c.env, "halfcheetah") &&
              !strcmp(c.arch, "64,64") && !strcmp(c.weight_init, "orthogonal"),
          "old complete config: hparams %s arch %s", c.hparams, c.arch);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "lr");
    rs_ppo_config_default(&c);
    CHECK(rs_ppo_config_from_json(&c, o, "") == 0 && !strcmp(c.hparams, "auto"),
          "a partial config changed hparams to %s", c.hparams);
    cJSON_Delete(o);
}

/* weight_init fanin: every weight and bias of a layer within +-1/sqrt(fan_in)
 * and spread over it (PyTorch's nn.Linear default), unlike orthogonal's */
static void test_fanin_init(void) {
    rs_ppo_config c;
    small_config(&c, 1);
    strcpy(c.weight_init, "fanin");
    strcpy(c.arch, "32,16");
    rs_ppo *p = rs_ppo_new(&c);
    CHECK(p != NULL, "%s", rs_last_error());
    if (!p) return;
    const rs_mlp *m = rs_ppo_policy(p)->pi;
    for (int l = 0; l < m->n_layers; l++) {
        int in = m->sizes[l], out = m->sizes[l + 1];
        float bound = 1.f / sqrtf((float)in), lo = 1, hi = -1;
        const float *W = m->W[l], *b = m->b[l];
        for (int k = 0; k < in * out; k++)
            lo = fminf(lo, W[k]), hi = fmaxf(hi, W[k]);
        for (int k = 0; k < out; k++)
            lo = fminf(lo, b[k]), hi = fmaxf(hi, b[k]);
        CHECK(lo >= -bound && hi <= bound && hi - lo > bound, "layer %d: [%g, %g], bound %g", l, lo,
              hi, bound);
    }
    rs_ppo_free(p);
}


/* KL(p || q) of two 1-D Gaussians by quadrature of p log(p/q) over
 * mean +- 14 std of p (composite Simpson, 20000 panels): an independent
 * computation of the closed form */
static double kl_quadrature(double m, double s, double m0, double s0) {
    const int n = 20000;
    double a = m - 14 * s, b = m + 14 * s, h = (b - a) / n, sum = 0;
    for (int k = 0; k <= n; k++) {
        double x = a + k * h;
        double lp = -0.5 * ((x - m) / s) * ((x - m) / s) - log(s);
        double lq = -0.5 * ((x - m0) / s0) * ((x - m0) / s0) - log(s0);
        double f = exp(lp - 0.5 * log(2 * M_PI)) * (lp - lq);
        sum += f * (k == 0 || k == n ? 1 : (k % 2 ? 4 : 2));
    }
    return sum * h / 3;
}

/* the anchor's beta * mean KL in double, for finite differences */
static double kl_mean64(const double *mu, const double *ls, const float *mu0, const float *ls0,
                        int M, int A) {
    double kl = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < A; j++) {
            double d = mu[i * A + j] - mu0[i * A + j];
            kl += ls0[j] - ls[j] + (exp(2 * ls[j]) + d * d) / (2 * exp(2 * ls0[j])) - 0.5;
        }
    return kl / M;
}

static void test_kl_anchor(void) {
    enum { M = 5, A = 3 };
    rs_rng r;
    rs_rng_seed(&r, 11, 0);
    float mu[M * A], mu0[M * A], ls[A], ls0[A];
    for (int k = 0; k < M * A; k++) {
        mu[k] = (float)rs_rng_normal(&r);
        mu0[k] = (float)rs_rng_normal(&r);
    }
    for (int j = 0; j < A; j++) {
        ls[j] = (float)(0.4 * rs_rng_normal(&r) - 0.5);
        ls0[j] = (float)(0.4 * rs_rng_normal(&r) - 0.5);
    }
    /* the value against quadrature, dimension by dimension */
    float dmu[M * A] = {0}, dls[A] = {0};
    const float beta = 0.7f;
    double kl = rs_ppo_kl_anchor(mu, ls, mu0, ls0, M, A, beta, 0, dmu, dls);
    double want = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < A; j++)
            want += kl_quadrature(mu[i * A + j], exp(ls[j]), mu0[i * A + j], exp(ls0[j])) / M;
    CHECK_CLOSE(kl, want, 1e-7, 1e-6, "KL against quadrature");
    /* the gradient of beta * KL against central differences */
    double m64[M * A], l64[A];
    for (int k = 0; k < M * A; k++) m64[k] = mu[k];
    for (int j = 0; j < A; j++) l64[j] = ls[j];
    const double h = 1e-6;
    for (int k = 0; k < M * A; k++) {
        double keep = m64[k];
        m64[k] = keep + h;
        double lp = kl_mean64(m64, l64, mu0, ls0, M, A);
        m64[k] = keep - h;
        double lm = kl_mean64(m64, l64, mu0, ls0, M, A);
        m64[k] = keep;
        CHECK_CLOSE(dmu[k], beta * (lp - lm) / (2 * h), 1e-6, 1e-4, "d beta KL / dmu");
    }
    for (int j = 0; j < A; j++) {
        double keep = l64[j];
        l64[j] = keep + h;
        double lp = kl_mean64(m64, l64, mu0, ls0, M, A);
        l64[j] = keep - h;
        double lm = kl_mean64(m64, l64, mu0, ls0, M, A);
        l64[j] = keep;
        CHECK_CLOSE(dls[j], beta * (lp - lm) / (2 * h), 1e-6, 1e-4, "d beta KL / dlog_std");
    }
    /* zero, with zero gradient, at the init; and the gradient is added to
     * what the buffers held */
    for (int k = 0; k < M * A; k++) dmu[k] = 1.0f;
    for (int j = 0; j < A; j++) dls[j] = 2.0f;
    double z = rs_ppo_kl_anchor(mu0, ls0, mu0, ls0, M, A, beta, 0, dmu, dls);
    CHECK(fabs(z) < 1e-12, "KL at the init: %g", z);
    for (int k = 0; k < M * A; k++) CHECK_CLOSE(dmu[k], 1.0, 1e-7, 0, "dmu at the init (added to 1)");
    for (int j = 0; j < A; j++) CHECK_CLOSE(dls[j], 2.0, 1e-6, 0, "dlog_std at the init (added to 2)");
    /* means only: the KL between N(mu, s0) and N(mu0, s0), by quadrature;
     * its gradient by differences; the log-std untouched */
    for (int k = 0; k < M * A; k++) dmu[k] = 0;
    for (int j = 0; j < A; j++) dls[j] = 0;
    double km = rs_ppo_kl_anchor(mu, ls, mu0, ls0, M, A, beta, 1, dmu, dls);
    want = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < A; j++)
            want += kl_quadrature(mu[i * A + j], exp(ls0[j]), mu0[i * A + j], exp(ls0[j])) / M;
    CHECK_CLOSE(km, want, 1e-7, 1e-6, "means-only KL against quadrature");
    for (int j = 0; j < A; j++) CHECK(dls[j] == 0, "means-only KL moved dlog_std[%d]: %g", j, dls[j]);
    for (int k = 0; k < M * A; k++) {
        double d = (double)mu[k] - mu0[k], want_g = beta * d / exp(2.0 * ls0[k % A]) / M;
        double h2 = 1e-6, kp = 0, kq = 0;
        /* central difference of the closed form (mu - mu0)^2 / (2 s0^2) / M */
        kp = ((d + h2) * (d + h2)) / (2 * exp(2.0 * ls0[k % A])) / M;
        kq = ((d - h2) * (d - h2)) / (2 * exp(2.0 * ls0[k % A])) / M;
        CHECK_CLOSE(dmu[k], beta * (kp - kq) / (2 * h2), 1e-6, 1e-4, "means-only d beta KL / dmu");
        CHECK_CLOSE(dmu[k], want_g, 1e-6, 1e-4, "means-only gradient, closed form");
    }
}

/* JSON read strictly (issue 27): a key given twice is refused at any depth,
 * naming its path; numbers read back from files are whole and in range;
 * obs_clip's one range is the config check's and the policy reader's */
/* the evaluation's action statistics against closed forms: a policy whose
 * output ignores the observation (weights 0) puts out constant actions, so
 * the fraction at the bound and Σa² per step are known exactly; with random
 * weights Σa² per episode must equal the env's own control term (−Σa²) */
static void test_eval_action_stats(void) {
    const rs_env_spec *s = rs_env_find("hopper");
    int hidden[1] = {8};
    for (int h = 0; h < 2; h++) {
        rs_policy *p = rs_policy_new(RS_ALGO_PPO, s->obs_dim, s->act_dim, s->act_bound, hidden, 1,
                                     RS_ACT_TANH);
        CHECK(p != NULL, "%s", rs_last_error());
        if (!p) return;
        p->head = h ? RS_HEAD_TANH : RS_HEAD_CLIP;
        snprintf(p->env, sizeof p->env, "hopper");
        float *b = p->pi->b[p->pi->n_layers - 1];
        b[0] = 20.0f; /* at the bound (tanh(20) is 1 in float) */
        b[1] = 0.0f;
        b[2] = h ? atanhf(-0.5f) : -0.5f * s->act_bound; /* half-way: a = -0.5 bound */
        rs_eval_result r;
        CHECK(rs_eval_policy(p, s, NULL, 3, 5, 1, NULL, &r) == 0, "%s", rs_last_error());
        double sq, sat;
        rs_eval_action_stats(&r, &sq, &sat);
        const double bb = (double)s->act_bound * s->act_bound;
        CHECK(fabs(sat - 1.0 / 3.0) < 1e-12, "%s head: saturated fraction %.6f, want 1/3",
              rs_action_head_name(p->head), sat);
        CHECK(fabs(sq - 1.25 * bb) < 1e-5 * bb, "%s head: sum(a^2) %.6f per step, want %.6f",
              rs_action_head_name(p->head), sq, 1.25 * bb);
        rs_eval_result_free(&r);
        /* random weights: the env's ctrl term is -Σa² per step, summed */
        rs_rng g;
        rs_rng_seed(&g, 3, (uint64_t)h);
        for (size_t i = 0; i < p->pi->n_params; i++) p->pi->params[i] = 0.5f * (float)rs_rng_normal(&g);
        CHECK(rs_eval_policy(p, s, NULL, 3, 5, 1, NULL, &r) == 0, "%s", rs_last_error());
        int ctrl = -1;
        for (int k = 0; k < s->n_terms; k++)
            if (!strcmp(s->terms[k], "ctrl")) ctrl = k;
        CHECK(ctrl >= 0, "hopper has no ctrl term");
        for (int i = 0; ctrl >= 0 && i < r.episodes; i++) {
            double env_sq = -r.terms[(size_t)i * r.n_terms + ctrl];
            CHECK(fabs(r.act_sq[i] - env_sq) <= 1e-6 * (1 + env_sq),
                  "%s head, episode %d: sum(a^2) %.9g, the env's ctrl term says %.9g",
                  rs_action_head_name(p->head), i, r.act_sq[i], env_sq);
        }
        rs_eval_action_stats(&r, &sq, &sat);
        CHECK(sat > 0 && sat < 1, "%s head: random weights, saturated fraction %.3f (vacuous)",
              rs_action_head_name(p->head), sat);
        rs_eval_result_free(&r);
        rs_policy_free(p);
    }
}

static void test_strict_json_and_numbers(void) {
    rs_ppo_config c;
    rs_ppo_config_default(&c);
    cJSON *o = cJSON_Parse("{\"lr\": 1e-4, \"n_envs\": 4, \"lr\": 3e-4}");
    CHECK(rs_ppo_config_from_json(&c, o, "cfg.") == -1 &&
              strstr(rs_last_error(), "cfg.lr: given twice"),
          "a repeated key in a config table: %s", rs_last_error());
    cJSON_Delete(o);
    o = rs_json_parse("{\"a\": 1, \"b\": [{\"x\": 1}, {\"y\": {\"z\": 1, \"z\": 2}}]}", "f.json");
    CHECK(!o && strstr(rs_last_error(), "f.json: b[1].y.z: given twice"), "nested: %s",
          rs_last_error());
    cJSON_Delete(o);
    o = rs_json_parse("{\"seeds\": [1, 2],\n \"seeds\": [3]}", "e.json");
    CHECK(!o && strstr(rs_last_error(), "e.json: seeds: given twice"), "top level: %s",
          rs_last_error());
    cJSON_Delete(o);
    o = rs_json_parse("{\"a\": 1}\n{\"b\": 2}", "t.json");
    CHECK(!o && strstr(rs_last_error(), "t.json: line 2: text after the JSON value"),
          "trailing text: %s", rs_last_error());
    cJSON_Delete(o);
    o = rs_json_parse("{\"a\": 1, \"b\": {\"a\": 1}, \"c\": [{\"a\": 1}, {\"a\": 2}]}", "ok.json");
    CHECK(o != NULL, "one key in several objects is no repeat: %s", rs_last_error());
    cJSON_Delete(o);
    double v = -1;
    CHECK(rs_parse_number("10", 0, RS_OBS_CLIP_MAX, &v) == 0 && v == 10, "10");
    const char *bad[] = {"abc", "", " 10", "10 ", "10x", "nan", "inf", "-1", "1e7", "1e400"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(rs_parse_number(bad[i], 0, RS_OBS_CLIP_MAX, &v) == -1, "'%s' was read", bad[i]);
    rs_ppo_config_default(&c);
    c.obs_clip = -1;
    CHECK(rs_ppo_config_check(&c) == -1 && strstr(rs_last_error(), "obs_clip"), "obs_clip -1");
    c.obs_clip = RS_OBS_CLIP_MAX * 2;
    CHECK(rs_ppo_config_check(&c) == -1, "obs_clip above the readers' range");
    c.obs_clip = 0;
    CHECK(rs_ppo_config_check(&c) == 0, "obs_clip 0 (off): %s", rs_last_error());
}

RS_TEST_MAIN(T(test_gae_brute_force), T(test_kl_anchor), T(test_eval_action_stats), T(test_loss_gradient), T(test_config_errors),
             T(test_strict_json_and_numbers), T(test_env_hparams), T(test_fanin_init), T(test_minibatches_equals_minibatch),
             T(test_action_head_closed_form), T(test_action_head_file),
             T(test_rollout_env_actions), T(test_checkpoint_damage_and_policy),
             T(test_short_run_learns))
