/* test_sac.c — SAC pieces against independent computations: the critic
 * target and the squashed log-density against hand / brute-force formulas in
 * float64 (and the density against numerical integration), the actor loss
 * gradient against float64 finite differences of the whole loss (actor,
 * squash, twin critics, min), the temperature gradient, Polyak, replay
 * sampling and wrap-around, the FLOP count against a hand count, the
 * action head and its recorded log-std bounds (file, stochastic eval), the
 * refused resume without the replay buffer, and a short run that must learn
 * (resume against an uninterrupted run: test_trainers.c). */
#include <cjson/cJSON.h>
#include <string.h>
#include <unistd.h>

#include "rs_eval.h"
#include "rs_sac.h"
#include "rs_test.h"

/* ---- float64 references ---- */

/* y = net(x) in double from the float parameters (row-major W, out x in) */
static void mlp64(const rs_mlp *m, const double *x, double *y) {
    double a[2][512];
    const double *in = x;
    for (int l = 0; l < m->n_layers; l++) {
        int ni = m->sizes[l], no = m->sizes[l + 1];
        double *o = l == m->n_layers - 1 ? y : a[l & 1];
        for (int r = 0; r < no; r++) {
            double s = m->b[l][r];
            for (int c = 0; c < ni; c++)
                s += (double)m->W[l][(size_t)r * ni + c] * in[c];
            if (l < m->n_layers - 1) s = m->act == RS_ACT_RELU ? (s > 0 ? s : 0) : tanh(s);
            o[r] = s;
        }
        in = o;
    }
}

/* log pi(a|s) of CleanRL's squashed Gaussian, from its definition */
static double logp64(const double *mu, const double *raw, const double *eps, int A, double bound,
                     double *act) {
    double lp = 0;
    for (int j = 0; j < A; j++) {
        double ls = -5.0 + 0.5 * (2.0 - -5.0) * (tanh(raw[j]) + 1.0);
        double sd = exp(ls);
        double x = mu[j] + sd * eps[j];
        double z = (x - mu[j]) / sd;
        double y = tanh(x);
        lp += -0.5 * z * z - ls - 0.5 * log(2 * M_PI) - log(bound * (1 - y * y) + 1e-6);
        if (act) act[j] = bound * y;
    }
    return lp;
}

/* ---- critic target ---- */

static void test_q_target_hand(void) {
    enum { B = 33 };
    float r[B], term[B], q1[B], q2[B], lp[B], y[B];
    rs_rng rng;
    rs_rng_seed(&rng, 4, 0);
    for (int i = 0; i < B; i++) {
        r[i] = (float)rs_rng_normal(&rng);
        term[i] = rs_rng_uniform(&rng) < 0.3 ? 1.0f : 0.0f;
        q1[i] = (float)(10 * rs_rng_normal(&rng));
        q2[i] = (float)(10 * rs_rng_normal(&rng));
        lp[i] = (float)(3 * rs_rng_normal(&rng));
    }
    q2[5] = q1[5]; /* a tie */
    const double g = 0.99, alpha = 0.37;
    rs_sac_q_target(r, term, q1, q2, lp, B, (float)g, (float)alpha, y);
    for (int i = 0; i < B; i++) {
        double want = r[i] + g * (1.0 - term[i]) * (fmin(q1[i], q2[i]) - alpha * lp[i]);
        CHECK_CLOSE(y[i], want, 1e-5, 1e-6, "q target");
        if (term[i]) CHECK(y[i] == r[i], "terminal row %d must not bootstrap", i);
    }
}

/* ---- the squashed Gaussian ---- */

static void test_squash_logprob(void) {
    enum { B = 40, A = 3 };
    float out[B * 2 * A], eps[B * A], act[B * A], lp[B], yv[B * A], sd[B * A];
    rs_rng rng;
    rs_rng_seed(&rng, 9, 0);
    for (int k = 0; k < B * 2 * A; k++)
        out[k] = (float)(1.5 * rs_rng_normal(&rng));
    for (int k = 0; k < B * A; k++)
        eps[k] = (float)rs_rng_normal(&rng);
    out[0] = 30.0f;      /* saturated tanh: the 1e-6 guard decides the density */
    out[A] = 50.0f;      /* raw log-std far out: log_std -> 2 */
    out[A + 1] = -50.0f; /* -> -5 */
    const float bound = 0.4f;
    rs_sac_squash(out, eps, B, A, bound, -5.0f, 2.0f, act, lp, yv, sd);
    for (int i = 0; i < B; i++) {
        double mu[A], raw[A], e[A], a64[A];
        for (int j = 0; j < A; j++) {
            mu[j] = out[i * 2 * A + j];
            raw[j] = out[i * 2 * A + A + j];
            e[j] = eps[i * A + j];
        }
        double want = logp64(mu, raw, e, A, bound, a64);
        /* float32 loses 1 - y^2 to cancellation as |x| grows (CleanRL's float
         * formula does too): allow a few ulps of y, magnified by the log */
        double tol = 1e-4;
        for (int j = 0; j < A; j++) {
            double y = a64[j] / bound;
            tol += 3e-7 * bound / (bound * (1 - y * y) + 1e-6);
        }
        CHECK_CLOSE(lp[i], want, tol, 1e-5, "log-prob vs float64 formula");
        for (int j = 0; j < A; j++) {
            CHECK_CLOSE(act[i * A + j], a64[j], 1e-6, 1e-5, "action");
            CHECK(fabsf(act[i * A + j]) <= bound, "action out of bounds");
            CHECK(sd[i * A + j] >= expf(-5.0f) * 0.9999f && sd[i * A + j] <= expf(2.0f) * 1.0001f,
                  "std %g outside [e^-5, e^2]", sd[i * A + j]);
        }
    }
    CHECK_CLOSE(sd[0], expf(2.0f), 0, 1e-5, "log_std max");
    CHECK_CLOSE(sd[1], expf(-5.0f), 0, 1e-5, "log_std min");

    /* Convention check, independent of the formula: without the 1e-6 guard,
     * exp(logp) must be a density on (-bound, bound). Integrate
     * p(a) = N(atanh(a/b); mu, s) / (b (1 - (a/b)^2)) numerically, in 1-D. */
    const double mu = 0.3, s = 0.7, b = 0.4;
    const int n = 200000;
    double integral = 0;
    for (int k = 0; k < n; k++) {
        double a = -b + (k + 0.5) * (2 * b / n);
        double u = a / b, x = atanh(u);
        double logn = -0.5 * ((x - mu) / s) * ((x - mu) / s) - log(s) - 0.5 * log(2 * M_PI);
        integral += exp(logn - log(b * (1 - u * u))) * (2 * b / n);
    }
    CHECK_CLOSE(integral, 1.0, 1e-3, 0, "squashed density integrates to 1");
    /* and the guarded formula agrees with the exact one where 1 - y^2 is not tiny */
    {
        float o1[2] = {0.3f, 0.0f}, e1 = 0.5f, a1, l1;
        rs_sac_squash(o1, &e1, 1, 1, 0.4f, -5.0f, 2.0f, &a1, &l1, NULL, NULL);
        double ls = -5.0 + 3.5 * (tanh(0.0) + 1.0), sdv = exp(ls), x = 0.3 + sdv * 0.5;
        double exact = -0.5 * 0.25 - ls - 0.5 * log(2 * M_PI) - log(0.4 * (1 - tanh(x) * tanh(x)));
        CHECK_CLOSE(l1, exact, 1e-4, 1e-4, "guarded vs exact log-density");
    }
}

/* ---- the actor loss gradient ---- */

static rs_sac *tiny_trainer(const char *arch, int batch, long seed) {
    rs_sac_config c;
    rs_sac_config_default(&c);
    strcpy(c.env, "hopper");
    snprintf(c.arch, sizeof c.arch, "%s", arch);
    c.batch_size = batch;
    c.buffer_size = 1000;
    c.seed = seed;
    c.threads = 1;
    rs_sac *p = rs_sac_new(&c);
    CHECK(p != NULL, "rs_sac_new: %s", rs_last_error());
    return p;
}

/* the actor loss in float64 with the actor's parameters as they are now */
static double actor_loss64(rs_sac *p, const float *obs, const float *eps, int B, double alpha) {
    rs_policy *pol = rs_sac_policy(p);
    const int O = pol->obs_dim, A = pol->act_dim;
    double loss = 0;
    for (int i = 0; i < B; i++) {
        double x[64], out[64], e[16], act[16], qin[80], q[2];
        for (int k = 0; k < O; k++)
            x[k] = obs[i * O + k];
        for (int j = 0; j < A; j++)
            e[j] = eps[i * A + j];
        mlp64(pol->pi, x, out);
        double lp = logp64(out, out + A, e, A, pol->act_bound, act);
        for (int k = 0; k < O; k++)
            qin[k] = x[k];
        for (int j = 0; j < A; j++)
            qin[O + j] = act[j];
        for (int k = 0; k < 2; k++)
            mlp64(rs_sac_q(p, k), qin, &q[k]);
        loss += alpha * lp - fmin(q[0], q[1]);
    }
    return loss / B;
}

static void test_actor_grad_fd(void) {
    enum { B = 8 };
    rs_sac *p = tiny_trainer("16,16", B, 5);
    if (!p) return;
    rs_policy *pol = rs_sac_policy(p);
    const int O = pol->obs_dim, A = pol->act_dim;
    rs_sac_set_log_alpha(p, logf(0.3f));
    float obs[B * 11], eps[B * 3];
    CHECK(O == 11 && A == 3, "hopper sizes");
    rs_rng rng;
    rs_rng_seed(&rng, 21, 0);
    for (int k = 0; k < B * O; k++)
        obs[k] = (float)rs_rng_normal(&rng);
    for (int k = 0; k < B * A; k++)
        eps[k] = (float)rs_rng_normal(&rng);
    /* larger weights than the init make the critics' slopes in a matter */
    for (int k = 0; k < 2; k++) {
        rs_mlp *q = rs_sac_q(p, k);
        for (size_t i = 0; i < q->n_params; i++)
            q->params[i] *= 3.0f;
    }
    size_t n = pol->pi->n_params;
    float *g = malloc(sizeof(float) * n);
    double mlp_ = 0;
    double loss = rs_sac_actor_loss_grad(p, obs, eps, B, g, &mlp_);
    double alpha = rs_sac_alpha(p);
    CHECK_CLOSE(loss, actor_loss64(p, obs, eps, B, alpha), 1e-4, 1e-4, "actor loss value");
    int bad = 0;
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        float keep = pol->pi->params[i];
        const double h = 1e-5; /* small: few ReLU kinks or min() switches inside */
        pol->pi->params[i] = (float)(keep + h);
        double hp = (double)pol->pi->params[i] - keep;
        double lp = actor_loss64(p, obs, eps, B, alpha);
        pol->pi->params[i] = (float)(keep - h);
        double hm = keep - (double)pol->pi->params[i];
        double lm = actor_loss64(p, obs, eps, B, alpha);
        pol->pi->params[i] = keep;
        double fd = (lp - lm) / (hp + hm);
        double err = fabs(g[i] - fd);
        if (err > 2e-4 + 2e-3 * fabs(fd)) {
            if (bad < 5)
                fprintf(stderr, "    param %zu: grad %.8g, finite difference %.8g\n", i, g[i], fd);
            bad++;
        }
        if (err > worst) worst = err;
    }
    /* a ReLU kink or a min() switch inside +-h can spoil a handful */
    CHECK(bad <= 2, "%d of %zu actor gradients differ from finite differences (worst %.3g)", bad, n,
          worst);
    free(g);
    rs_sac_free(p);
}

/* ---- temperature ---- */

static void test_alpha_grad(void) {
    enum { B = 16 };
    float lp[B];
    for (int i = 0; i < B; i++)
        lp[i] = 0.5f + 0.1f * i; /* mean 1.25 */
    const float target = -3.0f, la = logf(0.2f);
    double g = rs_sac_alpha_grad(la, lp, B, target);
    /* L = -exp(la) mean(lp + target) -> dL/dla = -exp(la) mean(lp + target) */
    CHECK_CLOSE(g, -0.2 * (1.25 - 3.0), 1e-6, 1e-6, "alpha grad value");
    /* finite difference of the loss itself */
    double h = 1e-4, m = 0;
    for (int i = 0; i < B; i++)
        m += (lp[i] + target) / (double)B;
    double fd = (-exp(la + h) * m - -exp(la - h) * m) / (2 * h);
    CHECK_CLOSE(g, fd, 1e-6, 1e-5, "alpha grad vs finite difference");
    /* entropy below target (logp above -target): descent must RAISE alpha */
    for (int i = 0; i < B; i++)
        lp[i] = 5.0f;
    g = rs_sac_alpha_grad(la, lp, B, target);
    CHECK(g < 0, "entropy too low: gradient %g should be negative", g);
    rs_adam *opt = rs_adam_new(1, 1e-3f, 0.9f, 0.999f, 1e-8f);
    float x = la, gf = (float)g;
    rs_adam_step(opt, &x, &gf);
    CHECK(x > la, "alpha did not grow: log_alpha %g -> %g", la, x);
    /* entropy above target: alpha shrinks */
    for (int i = 0; i < B; i++)
        lp[i] = -8.0f;
    CHECK(rs_sac_alpha_grad(la, lp, B, target) > 0,
          "entropy too high: gradient should be positive");
    rs_adam_free(opt);
}

/* ---- Polyak ---- */

static void test_polyak(void) {
    int h[1] = {4};
    rs_mlp *a = rs_mlp_new(3, h, 1, 2, RS_ACT_RELU), *b = rs_mlp_new(3, h, 1, 2, RS_ACT_RELU);
    rs_rng rng;
    rs_rng_seed(&rng, 2, 0);
    rs_mlp_init_uniform_fanin(a, &rng);
    rs_mlp_init_uniform_fanin(b, &rng);
    rs_mlp *a0 = rs_mlp_clone(a);
    rs_mlp_polyak(a, b, 0.005f);
    for (size_t i = 0; i < a->n_params; i++)
        CHECK_CLOSE(a->params[i], 0.005 * b->params[i] + 0.995 * a0->params[i], 1e-7, 1e-6,
                    "polyak");
    rs_mlp_free(a);
    rs_mlp_free(b);
    rs_mlp_free(a0);

    /* inside the trainer: after the first update, Q' = tau Q + (1 - tau) Q'_init */
    rs_sac_config c;
    rs_sac_config_default(&c);
    strcpy(c.arch, "8,8");
    c.batch_size = 4;
    c.buffer_size = 100;
    c.learning_starts = 10;
    c.log_every = 1;
    c.threads = 1;
    rs_sac *p = rs_sac_new(&c);
    CHECK(p != NULL, "%s", rs_last_error());
    if (!p) return;
    rs_mlp *t0 = rs_mlp_clone(rs_sac_q_targ(p, 1));
    CHECK(memcmp(t0->params, rs_sac_q(p, 1)->params, sizeof(float) * t0->n_params) == 0,
          "targets start as copies");
    rs_sac_stats st;
    while (rs_sac_updates(p) == 0)
        CHECK(rs_sac_iterate(p, &st) == 0, "%s", rs_last_error());
    CHECK(rs_sac_global_step(p) == 12, "first update at step %ld, want 12 (CleanRL: index 11 > 10)",
          rs_sac_global_step(p));
    const rs_mlp *q = rs_sac_q(p, 1), *t = rs_sac_q_targ(p, 1);
    int moved = 0;
    for (size_t i = 0; i < t->n_params; i++) {
        CHECK_CLOSE(t->params[i], 0.005 * q->params[i] + 0.995 * t0->params[i], 1e-7, 1e-6,
                    "target after one update");
        moved += q->params[i] != t0->params[i];
    }
    CHECK(moved > 0, "the critic did not move");
    rs_mlp_free(t0);
    rs_sac_free(p);
}

/* ---- replay ---- */

static void test_replay_uniform(void) {
    enum { CAP = 50, DRAWS = 100000 };
    rs_replay *r = rs_replay_new(CAP, 2, 1);
    CHECK(r != NULL, "%s", rs_last_error());
    float o[2], a[1];
    for (int i = 0; i < 7; i++) {
        o[0] = (float)i, o[1] = -i, a[0] = 0.5f * i;
        rs_replay_add(r, o, o, a, (float)i, i == 3);
    }
    rs_rng rng;
    rs_rng_seed(&rng, 123, 0);
    long idx[256];
    float ob[512], rw[256], tm[256], ac[256];
    for (int rep = 0; rep < 20; rep++) {
        rs_replay_sample(r, &rng, 256, idx, ob, NULL, ac, rw, tm);
        for (int i = 0; i < 256; i++) {
            CHECK(idx[i] >= 0 && idx[i] < 7, "index %ld outside the filled part", idx[i]);
            CHECK(rw[i] == (float)idx[i] && ob[2 * i + 1] == -rw[i] && ac[i] == 0.5f * rw[i] &&
                      tm[i] == (idx[i] == 3 ? 1.0f : 0.0f),
                  "row %ld gathered wrongly", idx[i]);
        }
    }
    for (int i = 7; i < CAP; i++)
        rs_replay_add(r, o, o, a, (float)i, 0);
    long count[CAP] = {0};
    for (int d = 0; d < DRAWS; d += 250) {
        rs_replay_sample(r, &rng, 250, idx, NULL, NULL, NULL, NULL, NULL);
        for (int i = 0; i < 250; i++)
            count[idx[i]]++;
    }
    double chi2 = 0, e = (double)DRAWS / CAP;
    for (int k = 0; k < CAP; k++)
        chi2 += (count[k] - e) * (count[k] - e) / e;
    /* 49 degrees of freedom: mean 49, sd ~9.9; 100 is beyond p = 1e-5 */
    CHECK(chi2 < 100, "chi-square %.1f over %d cells: sampling is not uniform", chi2, CAP);
    fprintf(stderr, "    replay chi-square %.1f (49 dof)\n", chi2);
    rs_replay_free(r);
}

static void test_replay_wraparound(void) {
    rs_replay *r = rs_replay_new(5, 1, 2);
    float o[1], n[1], a[2];
    for (int i = 0; i < 8; i++) {
        o[0] = (float)i, n[0] = i + 0.5f, a[0] = (float)-i, a[1] = 2.0f * i;
        rs_replay_add(r, o, n, a, 10.0f * i, i % 2);
        CHECK(r->size == (i + 1 < 5 ? i + 1 : 5), "size %ld after %d adds", r->size, i + 1);
    }
    CHECK(r->pos == 3, "pos %ld after 8 adds into 5, want 3", r->pos);
    /* rows 0..4 hold transitions 5, 6, 7, 3, 4 */
    const int want[5] = {5, 6, 7, 3, 4};
    for (int k = 0; k < 5; k++) {
        int i = want[k];
        CHECK(r->obs[k] == (float)i && r->next_obs[k] == i + 0.5f && r->act[2 * k] == -i &&
                  r->act[2 * k + 1] == 2.0f * i && r->rew[k] == 10.0f * i && r->term[k] == i % 2,
              "row %d should hold transition %d", k, i);
    }
    CHECK(rs_replay_bytes_per_transition(17, 6) == 165, "bytes per halfcheetah transition");
    rs_replay_free(r);
}

/* ---- the critic input gradient used by the actor update ---- */

static void test_backward_input(void) {
    int h[2] = {12, 9};
    rs_mlp *m = rs_mlp_new(7, h, 2, 1, RS_ACT_RELU);
    rs_rng rng;
    rs_rng_seed(&rng, 8, 0);
    rs_mlp_init_uniform_fanin(m, &rng);
    enum { B = 5 };
    float x[B * 7], ones[B], dx[B * 3];
    for (int k = 0; k < B * 7; k++)
        x[k] = (float)rs_rng_normal(&rng);
    for (int i = 0; i < B; i++)
        ones[i] = 1.0f;
    rs_mlp_ws *ws = rs_mlp_ws_new(m, B);
    rs_mlp_forward(m, ws, x, B);
    rs_mlp_backward_input(m, ws, ones, B, 4, 3, dx);
    for (int i = 0; i < B; i++)
        for (int c = 0; c < 3; c++) {
            double xp[7], xm[7], yp, ym, hh = 1e-4;
            for (int k = 0; k < 7; k++)
                xp[k] = xm[k] = x[i * 7 + k];
            xp[4 + c] += hh;
            xm[4 + c] -= hh;
            mlp64(m, xp, &yp);
            mlp64(m, xm, &ym);
            CHECK_CLOSE(dx[i * 3 + c], (yp - ym) / (2 * hh), 1e-4, 1e-3, "dQ/dx columns");
        }
    rs_mlp_ws_free(ws);
    rs_mlp_free(m);
}

/* ---- FLOP count against the hand count in docs/sac.md ---- */

static void test_flops_hand_count(void) {
    rs_sac_config c;
    rs_sac_config_default(&c);
    strcpy(c.env, "halfcheetah");
    c.buffer_size = 10;
    c.threads = 1;
    rs_sac *p = rs_sac_new(&c);
    CHECK(p != NULL, "%s", rs_last_error());
    if (!p) return;
    double cr, ac, f = rs_sac_update_flops(p, &cr, &ac);
    /* docs/sac.md: O=17, A=6, H=256, B=256:
     * critic 2B * 634624, actor 2B * 565504, total 2B * 1200128 */
    CHECK(cr == 512.0 * 634624, "critic flops %.0f", cr);
    CHECK(ac == 512.0 * 565504, "actor flops %.0f", ac);
    CHECK(f == 614465536.0, "flops per update %.0f, hand count 614465536", f);
    rs_sac_free(p);
}

/* ---- the identity normaliser ---- */

static void test_identity_normaliser(void) {
    rs_sac *p = tiny_trainer("8", 4, 1);
    if (!p) return;
    char dir[] = "/tmp/rs_sacn_XXXXXX", path[256];
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(path, sizeof path, "%s/policy.safetensors", dir);
    CHECK(rs_policy_save(rs_sac_policy(p), path) == 0, "%s", rs_last_error());
    rs_policy *q = rs_policy_load(path);
    CHECK(q != NULL && q->algo == RS_ALGO_SAC, "load: %s", rs_last_error());
    if (q) {
        float x[11 * 3], y[11 * 3];
        rs_rng rng;
        rs_rng_seed(&rng, 3, 0);
        for (int k = 0; k < 33; k++)
            x[k] = (float)(rs_rng_normal(&rng) * pow(10, k % 7));
        x[0] = 1e30f, x[1] = -3e-40f; /* huge and subnormal */
        rs_normalizer_apply(q->norm, x, y, 3);
        CHECK(memcmp(x, y, sizeof x) == 0, "the SAC normaliser is not the identity after loading");
        rs_policy_free(q);
    }
    unlink(path);
    rmdir(dir);
    rs_sac_free(p);
}

/* ---- resume ---- */

static void small_config(rs_sac_config *c, int threads) {
    rs_sac_config_default(c);
    strcpy(c->env, "hopper");
    strcpy(c->arch, "32,32");
    c->batch_size = 32;
    c->buffer_size = 400; /* wraps during the run */
    c->learning_starts = 150;
    c->log_every = 100;
    c->total_steps = 600;
    c->seed = 7;
    c->threads = threads;
    c->save_replay = 1;
}

static int same_state(rs_sac *a, rs_sac *b) {
    rs_policy *pa = rs_sac_policy(a), *pb = rs_sac_policy(b);
    int ok = memcmp(pa->pi->params, pb->pi->params, sizeof(float) * pa->pi->n_params) == 0;
    for (int k = 0; k < 2; k++) {
        ok &= memcmp(rs_sac_q(a, k)->params, rs_sac_q(b, k)->params,
                     sizeof(float) * rs_sac_q(a, k)->n_params) == 0;
        ok &= memcmp(rs_sac_q_targ(a, k)->params, rs_sac_q_targ(b, k)->params,
                     sizeof(float) * rs_sac_q(a, k)->n_params) == 0;
    }
    ok &= rs_sac_log_alpha(a) == rs_sac_log_alpha(b);
    ok &= rs_sac_updates(a) == rs_sac_updates(b);
    return ok;
}

/* the update's two batch halves give the same run on 1 and 2 threads, also
 * for batches that do not split evenly (1: half 0 is empty; 5: 2 + 3) */
static void test_threads_same_run(void) {
    const int batches[] = {1, 5, 32};
    for (int i = 0; i < 3; i++) {
        rs_sac_config c;
        small_config(&c, 1);
        c.batch_size = batches[i];
        c.total_steps = 300;
        rs_sac *one = rs_sac_new(&c);
        c.threads = 2;
        rs_sac *two = rs_sac_new(&c);
        CHECK(one && two, "%s", rs_last_error());
        if (!one || !two) return;
        rs_sac_stats st;
        for (int u = 0; u < 3; u++) {
            CHECK(rs_sac_iterate(one, &st) == 0, "%s", rs_last_error());
            CHECK(rs_sac_iterate(two, &st) == 0, "%s", rs_last_error());
        }
        CHECK(rs_sac_updates(one) > 100, "batch %d: only %ld updates", batches[i],
              rs_sac_updates(one));
        CHECK(same_state(one, two), "batch %d: 1 and 2 threads differ", batches[i]);
        rs_sac_free(one);
        rs_sac_free(two);
    }
}

/* (resume equals an uninterrupted run: test_trainers.c, for every algorithm) */

/* without the buffer, resuming is refused with a message that says why, but
 * the checkpoint serves as an init */
static void test_resume_without_buffer(void) {
    rs_sac_config c;
    small_config(&c, 1);
    rs_sac_stats st;
    char dir[] = "/tmp/rs_sac_XXXXXX", path[256];
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    c.save_replay = 0;
    rs_sac *nob = rs_sac_new(&c);
    rs_sac_iterate(nob, &st);
    CHECK(rs_sac_save_train(nob, path) == 0, "%s", rs_last_error());
    rs_sac_free(nob);
    nob = rs_sac_new(&c);
    CHECK(rs_sac_load_train(nob, path) == -1 && strstr(rs_last_error(), "replay buffer") &&
              strstr(rs_last_error(), "--init"),
          "resume without buffer: %s", rs_last_error());
    /* ... but it serves as an init: actor and critics come along */
    CHECK(rs_sac_load_init(nob, dir) == 0, "init from dir: %s", rs_last_error());
    rs_sac_free(nob);
    unlink(path);
    rmdir(dir);
}

/* ---- learning ---- */

static double det_return(rs_policy *p) {
    const rs_env_spec *s = rs_env_find(p->env);
    rs_pool *pool = rs_pool_new(1);
    rs_eval_result r;
    double m = -1e9, sd;
    if (rs_eval_policy(p, s, NULL, 5, 77, 1, pool, &r) == 0) {
        rs_eval_reward_stats(&r, p->reward_w, &m, &sd);
        rs_eval_result_free(&r);
    }
    rs_pool_free(pool);
    return m;
}

static void test_short_run_learns(void) {
    rs_sac_config c;
    rs_sac_config_default(&c);
    strcpy(c.env, "hopper");
    /* small nets keep this under ~10 s in the sanitizer build; seeds 1-4
     * all gain 120-200 here */
    strcpy(c.arch, "32,32");
    c.batch_size = 64;
    c.buffer_size = 10000;
    c.learning_starts = 500;
    c.total_steps = 3000;
    c.seed = 2;
    c.threads = 1;
    rs_sac *p = rs_sac_new(&c);
    CHECK(p != NULL, "%s", rs_last_error());
    if (!p) return;
    double before = det_return(rs_sac_policy(p));
    rs_sac_stats st;
    while (rs_sac_iter_index(p) < rs_sac_num_iters(p))
        if (rs_sac_iterate(p, &st) != 0) break;
    double after = det_return(rs_sac_policy(p));
    fprintf(stderr,
            "    hopper deterministic return: %.1f before, %.1f after %ld steps (%ld updates)\n",
            before, after, rs_sac_global_step(p), rs_sac_updates(p));
    CHECK(after > before + 100, "no learning: %.1f -> %.1f", before, after);
    rs_sac_free(p);
}

/* ---- config ---- */

/* a SAC policy on hopper with zero weights except the head's biases */
static rs_policy *head_policy(float lo, float hi) {
    const rs_env_spec *s = rs_env_find("hopper");
    int hidden[1] = {8};
    rs_policy *p = rs_policy_new(RS_ALGO_SAC, s->obs_dim, s->act_dim, (float)s->act_bound, hidden,
                                 1, RS_ACT_TANH);
    memset(p->pi->params, 0, sizeof(float) * p->pi->n_params);
    for (int j = 0; j < 2 * p->act_dim; j++)
        p->pi->b[1][j] = 0.1f * (float)(j + 1) * (j % 2 ? -1.0f : 1.0f);
    p->norm->clip = 0.0f;
    snprintf(p->env, sizeof p->env, "hopper");
    p->log_std_min = lo;
    p->log_std_max = hi;
    return p;
}

/* the action head: deterministic and sampled actions against the formula, in
 * double, with the bounds the policy records */
static void test_action_head(void) {
    rs_policy *p = head_policy(-3.0f, 0.5f);
    const int A = p->act_dim;
    float out[2 * 8], act[8];
    for (int j = 0; j < 2 * A; j++)
        out[j] = 0.7f * (float)j - 2.0f;
    rs_policy_head(p, out, NULL, act);
    for (int j = 0; j < A; j++)
        CHECK_CLOSE(act[j], p->act_bound * tanh(out[j]), 1e-6, 1e-6, "deterministic action");
    rs_rng a, b;
    rs_rng_seed(&a, 7, 3);
    rs_rng_seed(&b, 7, 3);
    rs_policy_head(p, out, &a, act);
    for (int j = 0; j < A; j++) {
        double ls = -3.0 + 0.5 * (0.5 + 3.0) * (tanh(out[A + j]) + 1.0);
        double want = p->act_bound * tanh(out[j] + exp(ls) * rs_rng_normal(&b));
        CHECK_CLOSE(act[j], want, 1e-5, 1e-5, "sampled action with bounds [-3, 0.5]");
    }
    rs_policy_free(p);
}

/* log_std_min / log_std_max travel in the policy file; a file without them
 * (written before they were recorded) reads as -5, 2 */
static void test_log_std_bounds_file(void) {
    rs_policy *p = head_policy(-3.0f, 0.5f);
    rs_st *st = rs_st_new();
    CHECK(rs_policy_to_st(p, st) == 0, "to_st: %s", rs_last_error());
    CHECK(st && !strcmp(rs_st_meta(st, "log_std_min"), "-3") &&
              !strcmp(rs_st_meta(st, "log_std_max"), "0.5"),
          "bounds written as decimal text");
    rs_policy *q = rs_policy_from_st(st, "t");
    CHECK(q && q->log_std_min == -3.0f && q->log_std_max == 0.5f, "bounds read back");
    rs_policy_free(q);
    rs_st *old = rs_st_new();
    for (int i = 0; i < rs_st_count(st); i++) {
        const rs_tensor *t = rs_st_at(st, i);
        rs_st_add(old, t->name, t->dtype, t->ndim, t->shape, t->data);
    }
    for (int i = 0; i < rs_st_meta_count(st); i++) {
        const char *k, *v;
        rs_st_meta_at(st, i, &k, &v);
        if (strncmp(k, "log_std_m", 9) != 0) rs_st_set_meta(old, k, v);
    }
    q = rs_policy_from_st(old, "old");
    CHECK(q && q->log_std_min == -5.0f && q->log_std_max == 2.0f, "old file: -5, 2");
    rs_policy_free(q);
    rs_st_set_meta(old, "log_std_min", "3");
    rs_st_set_meta(old, "log_std_max", "1");
    CHECK(rs_policy_from_st(old, "bad") == NULL && strstr(rs_last_error(), "log_std_min"),
          "min >= max refused: %s", rs_last_error());
    rs_st_free(old);
    rs_st_free(st);
    rs_policy_free(p);
}

/* stochastic eval samples with the recorded bounds: with log-std in [-40, -39]
 * the samples are the means to float precision, so the episodes equal the
 * deterministic ones; with the default bounds they do not */
static void test_stochastic_eval_bounds(void) {
    const rs_env_spec *s = rs_env_find("hopper");
    rs_policy *narrow = head_policy(-40.0f, -39.0f), *wide = head_policy(-5.0f, 2.0f);
    rs_eval_result det = {0}, sn = {0}, sw = {0};
    CHECK(rs_eval_policy(narrow, s, NULL, 2, 5, 1, NULL, &det) == 0, "eval: %s", rs_last_error());
    CHECK(rs_eval_policy(narrow, s, NULL, 2, 5, 0, NULL, &sn) == 0, "eval: %s", rs_last_error());
    CHECK(rs_eval_policy(wide, s, NULL, 2, 5, 0, NULL, &sw) == 0, "eval: %s", rs_last_error());
    int same_n = 1, same_w = 1;
    for (int i = 0; i < 2 * s->n_terms; i++) {
        same_n &= det.terms[i] == sn.terms[i];
        same_w &= det.terms[i] == sw.terms[i];
    }
    CHECK(same_n, "narrow bounds: sampled episodes differ from the means'");
    CHECK(!same_w, "default bounds: sampled episodes equal the means' (bounds ignored?)");
    rs_eval_result_free(&det);
    rs_eval_result_free(&sn);
    rs_eval_result_free(&sw);
    rs_policy_free(narrow);
    rs_policy_free(wide);
}

static void test_config(void) {
    rs_sac_config c;
    rs_sac_config_default(&c);
    CHECK(c.batch_size == 256 && c.buffer_size == 1000000 && c.learning_starts == 5000 &&
              c.policy_frequency == 2 && c.tau == 0.005 && c.q_lr == 1e-3 && c.policy_lr == 3e-4 &&
              !strcmp(c.arch, "256,256") && !strcmp(c.activation, "relu") && c.n_envs == 1,
          "CleanRL defaults");
    cJSON *o = cJSON_Parse("{\"algo\": \"sac\", \"q_lr\": 5e-4, \"utd\": 2, \"arch\": \"64,64\"}");
    CHECK(rs_sac_config_from_json(&c, o, "cfg.") == 0 && c.q_lr == 5e-4 && c.utd == 2,
          "valid config: %s", rs_last_error());
    cJSON_Delete(o);
    o = cJSON_Parse("{\"lr\": 1e-4}");
    CHECK(rs_sac_config_from_json(&c, o, "cfg.") == -1 && strstr(rs_last_error(), "cfg.lr") &&
              strstr(rs_last_error(), "policy_lr"),
          "unknown key: %s", rs_last_error());
    cJSON_Delete(o);
    o = cJSON_Parse("{\"algo\": \"ppo\"}");
    CHECK(rs_sac_config_from_json(&c, o, "cfg.") == -1, "a PPO config accepted");
    cJSON_Delete(o);
    char *js = rs_sac_config_to_json(&c);
    rs_sac_config d;
    rs_sac_config_default(&d);
    o = cJSON_Parse(js);
    CHECK(rs_sac_config_from_json(&d, o, "") == 0 && !memcmp(&c, &d, sizeof c), "JSON round trip");
    cJSON_Delete(o);
    free(js);
    CHECK(rs_sac_config_set(&c, "policy_frequency", "0") == 0 && rs_sac_config_check(&c) == -1 &&
              strstr(rs_last_error(), "policy_frequency"),
          "bad policy_frequency: %s", rs_last_error());
}

RS_TEST_MAIN(T(test_q_target_hand), T(test_squash_logprob), T(test_actor_grad_fd),
             T(test_alpha_grad), T(test_polyak), T(test_replay_uniform), T(test_replay_wraparound),
             T(test_backward_input), T(test_flops_hand_count), T(test_identity_normaliser),
             T(test_config), T(test_action_head), T(test_log_std_bounds_file),
             T(test_stochastic_eval_bounds), T(test_threads_same_run), T(test_resume_without_buffer), T(test_short_run_learns))
