/* test_envs.c — the environments against hand computations from the MuJoCo
 * state, termination on constructed states, determinism, bad input. */
#include <string.h>
#include <unistd.h>

#include "rs_test.h"
#include "rs_vecenv.h"

static void test_sizes(void) {
    /* published sizes (Gymnasium v4) */
    const char *names[] = {"hopper", "walker2d", "halfcheetah", "ant", "humanoid", "swimmer"};
    const int obs[] = {11, 17, 17, 27, 376, 8}, act[] = {3, 6, 6, 8, 17, 2};
    const double bound[] = {1, 1, 1, 1, 0.4, 1};
    const double dt[] = {0.008, 0.008, 0.05, 0.05, 0.015, 0.04};
    for (int i = 0; i < 6; i++) {
        rs_env *e = rs_env_make(names[i], NULL, 1);
        CHECK(e != NULL, "%s: %s", names[i], rs_last_error());
        if (!e) continue;
        CHECK(e->spec->obs_dim == obs[i], "%s obs %d", names[i], e->spec->obs_dim);
        CHECK(e->spec->act_dim == act[i] && e->m->nu == act[i], "%s act", names[i]);
        CHECK(e->spec->act_bound == bound[i], "%s bound", names[i]);
        CHECK_CLOSE(e->dt, dt[i], 1e-12, 0, names[i]);
        for (int k = 0; k < e->m->nu; k++) {
            CHECK(e->m->actuator_ctrllimited[k], "%s actuator %d limited", names[i], k);
            CHECK_CLOSE(e->m->actuator_ctrlrange[2 * k + 1], bound[i], 1e-12, 0, "ctrlrange");
        }
        /* the observation fills exactly obs_dim floats: poison one past the end */
        float buf[400];
        for (int k = 0; k < 400; k++) buf[k] = 12345.f;
        rs_env_reset(e, buf);
        CHECK(buf[obs[i]] == 12345.f, "%s wrote past obs_dim", names[i]);
        CHECK(buf[obs[i] - 1] != 12345.f, "%s left obs short", names[i]);
        rs_env_free(e);
    }
}

static void test_hopper_reward_by_hand(void) {
    rs_env *e = rs_env_make("hopper", NULL, 3);
    CHECK(e != NULL, "%s", rs_last_error());
    float obs[11];
    rs_env_reset(e, obs);
    /* obs = qpos[1:] then qvel clipped at ±10 */
    for (int k = 0; k < 5; k++) CHECK(obs[k] == (float)e->d->qpos[k + 1], "obs qpos %d", k);
    for (int k = 0; k < 6; k++) CHECK(obs[5 + k] == (float)e->d->qvel[k], "obs qvel %d", k);
    float a[3] = {0.5f, -0.25f, 0.75f};
    for (int t = 0; t < 5; t++) {
        double x0 = e->d->qpos[0];
        double terms[RS_MAX_TERMS], r;
        int term, trunc;
        CHECK(rs_env_step(e, a, obs, terms, &r, &term, &trunc) == 0, "step");
        double vx = (e->d->qpos[0] - x0) / (4 * 0.002);
        double ss = 0.25 + 0.0625 + 0.5625;
        CHECK_CLOSE(terms[0], vx, 1e-12, 1e-12, "forward");
        CHECK_CLOSE(terms[1], 1.0, 0, 0, "healthy");
        CHECK_CLOSE(terms[2], -ss, 1e-12, 0, "ctrl");
        /* the Gymnasium v4 reward: healthy + forward - 1e-3 * |a|^2 */
        CHECK_CLOSE(r, 1.0 + vx - 1e-3 * ss, 1e-12, 1e-12, "default reward");
        double dot = 0;
        for (int k = 0; k < e->spec->n_terms; k++) dot += e->weights[k] * terms[k];
        CHECK_CLOSE(r, dot, 1e-12, 1e-12, "reward = weights . terms");
        CHECK(term == 0 && trunc == 0, "healthy start terminated");
        CHECK_CLOSE(terms[3], e->d->qpos[1] - e->init_z, 1e-12, 0, "jump");
        CHECK(terms[4] <= 0, "energy is a cost");
    }
    rs_env_free(e);
}

static void test_humanoid_com_by_hand(void) {
    rs_env *e = rs_env_make("humanoid", NULL, 5);
    CHECK(e != NULL, "%s", rs_last_error());
    float obs[376], a[17];
    for (int k = 0; k < 17; k++) a[k] = 0.1f * (float)((k % 5) - 2);
    rs_env_reset(e, obs);
    const mjModel *m = e->m;
    double mx = 0, mt = 0;
    for (int b = 0; b < m->nbody; b++) {
        mx += m->body_mass[b] * e->d->xipos[3 * b];
        mt += m->body_mass[b];
    }
    double x0 = mx / mt;
    double terms[RS_MAX_TERMS], r;
    int term, trunc;
    rs_env_step(e, a, obs, terms, &r, &term, &trunc);
    mx = 0;
    for (int b = 0; b < m->nbody; b++) mx += m->body_mass[b] * e->d->xipos[3 * b];
    double vx = (mx / mt - x0) / 0.015;
    double ss = 0;
    for (int k = 0; k < 17; k++) ss += (double)a[k] * a[k];
    CHECK_CLOSE(terms[0], vx, 1e-12, 1e-9, "com velocity");
    CHECK_CLOSE(r, 5.0 + 1.25 * vx - 0.1 * ss, 1e-9, 1e-9, "humanoid v4 reward");
    /* layout: qpos[2:] 22, qvel 23, cinert 140, cvel 84, qfrc_actuator 23, cfrc_ext 84 */
    CHECK(obs[0] == (float)e->d->qpos[2], "obs starts at qpos[2]");
    CHECK(obs[22] == (float)e->d->qvel[0], "qvel at 22");
    CHECK(obs[45] == (float)e->d->cinert[0], "cinert at 45");
    CHECK(obs[185] == (float)e->d->cvel[0], "cvel at 185");
    CHECK(obs[269] == (float)e->d->qfrc_actuator[0], "qfrc_actuator at 269");
    CHECK(obs[292] == (float)e->d->cfrc_ext[0], "cfrc_ext at 292");
    rs_env_free(e);
}

/* set a state, step once with zero action, report termination */
static int terminates_from(const char *name, int qi, double value) {
    rs_env *e = rs_env_make(name, NULL, 1);
    rs_env_reset(e, NULL);
    e->d->qpos[qi] = value;
    mj_forward(e->m, e->d);
    float a[17] = {0};
    int term = -1, trunc;
    rs_env_step(e, a, NULL, NULL, NULL, &term, &trunc);
    rs_env_free(e);
    return term;
}

static void test_termination(void) {
    CHECK(terminates_from("hopper", 1, 1.25) == 0, "hopper upright");
    CHECK(terminates_from("hopper", 1, 0.5) == 1, "hopper z < 0.7");
    CHECK(terminates_from("hopper", 2, 0.5) == 1, "hopper |angle| > 0.2");
    CHECK(terminates_from("hopper", 3, -150.0) == 1, "hopper state outside ±100");
    CHECK(terminates_from("walker2d", 1, 1.25) == 0, "walker upright");
    CHECK(terminates_from("walker2d", 1, 2.5) == 1, "walker z > 2");
    CHECK(terminates_from("walker2d", 1, 0.6) == 1, "walker z < 0.8");
    CHECK(terminates_from("walker2d", 2, 1.5) == 1, "walker angle > 1");
    CHECK(terminates_from("ant", 2, 0.75) == 0, "ant standing");
    CHECK(terminates_from("ant", 2, 1.5) == 1, "ant z > 1");
    CHECK(terminates_from("ant", 2, NAN) == 1, "ant non-finite state");
    CHECK(terminates_from("halfcheetah", 3, NAN) == 1, "a diverged simulation ends the episode");
    CHECK(terminates_from("humanoid", 2, 1.4) == 0, "humanoid standing");
    CHECK(terminates_from("humanoid", 2, 0.8) == 1, "humanoid z < 1");
    CHECK(terminates_from("halfcheetah", 1, -0.5) == 0, "halfcheetah never terminates");
    CHECK(terminates_from("swimmer", 0, 50.0) == 0, "swimmer never terminates");
}

static void test_truncation(void) {
    rs_env *e = rs_env_make("halfcheetah", NULL, 2);
    float a[6] = {0}, obs[17];
    rs_env_reset(e, obs);
    int term = 0, trunc = 0, t;
    for (t = 1; t <= RS_MAX_STEPS; t++) {
        rs_env_step(e, a, obs, NULL, NULL, &term, &trunc);
        if (trunc || term) break;
    }
    CHECK(t == RS_MAX_STEPS && trunc == 1 && term == 0, "truncated at %d (term %d)", t, term);
    rs_env_free(e);
}

static void run_vec(int threads, int steps, float *obs_log) {
    const rs_env_spec *s = rs_env_find("hopper");
    rs_vecenv *v = rs_vecenv_new(s, NULL, 6, NULL, 42, NULL, threads);
    CHECK(v != NULL, "%s", rs_last_error());
    rs_rng rng;
    rs_rng_seed(&rng, 9, 0);
    float act[6 * 3];
    for (int t = 0; t < steps; t++) {
        for (int k = 0; k < 18; k++) act[k] = (float)rs_rng_uniform_range(&rng, -1, 1);
        rs_vecenv_step(v, act);
        memcpy(obs_log + (size_t)t * 6 * 11, v->obs, sizeof(float) * 6 * 11);
    }
    rs_vecenv_free(v);
}

static void test_determinism_threads(void) {
    enum { STEPS = 150 };
    static float a[STEPS * 66], b[STEPS * 66];
    run_vec(1, STEPS, a);
    run_vec(2, STEPS, b);
    CHECK(memcmp(a, b, sizeof a) == 0, "1 and 2 threads differ");
    /* and a different seed differs */
    rs_env *e1 = rs_env_make("hopper", NULL, 1), *e2 = rs_env_make("hopper", NULL, 2);
    float o1[11], o2[11];
    rs_env_reset(e1, o1);
    rs_env_reset(e2, o2);
    CHECK(memcmp(o1, o2, sizeof o1) != 0, "seeds 1 and 2 gave the same reset");
    rs_env_free(e1);
    rs_env_free(e2);
}

static void test_vecenv_accounting(void) {
    const rs_env_spec *s = rs_env_find("hopper");
    rs_vecenv *v = rs_vecenv_new(s, NULL, 3, NULL, 7, NULL, 1);
    float act[9];
    for (int k = 0; k < 9; k++) act[k] = 1.0f;
    double sum[3] = {0};
    int finished = 0;
    for (int t = 0; t < 400 && !finished; t++) {
        rs_vecenv_step(v, act);
        for (int i = 0; i < 3; i++) {
            sum[i] += v->rewards[i];
            if (v->terminated[i] || v->truncated[i]) {
                CHECK_CLOSE(v->done_return[i], sum[i], 1e-4, 1e-5, "episode return");
                CHECK(v->ep_len[i] == 0, "auto-reset");
                double healthy = v->done_terms[i * s->n_terms + 1];
                CHECK_CLOSE(healthy, v->done_len[i], 1e-9, 0, "healthy term counts steps");
                finished = 1;
            }
        }
    }
    CHECK(finished, "no hopper episode ended in 400 steps of full torque");
    rs_vecenv_free(v);
}

static void test_rewards(void) {
    const rs_env_spec *s = rs_env_find("hopper");
    double w[RS_MAX_TERMS], r1[RS_MAX_TERMS], r2[RS_MAX_TERMS];
    CHECK(rs_reward_parse(s, "forward=1,ctrl=0.001,healthy=1", w) == 0, "%s", rs_last_error());
    CHECK(w[0] == 1 && w[1] == 1 && w[2] == 0.001 && w[3] == 0, "term list");
    double d[RS_MAX_TERMS];
    rs_reward_parse(s, "default", d);
    CHECK(memcmp(w, d, sizeof(double) * s->n_terms) == 0, "default = the v4 term list");
    rs_reward_parse(s, "risky", r1);
    rs_reward_parse(s, "cautious", r2);
    CHECK(rs_reward_parse(s, "0.3*risky+0.7*cautious", w) == 0, "%s", rs_last_error());
    for (int k = 0; k < s->n_terms; k++)
        CHECK_CLOSE(w[k], 0.3 * r1[k] + 0.7 * r2[k], 1e-15, 0, "mix");
    CHECK(rs_reward_parse(s, "default - healthy", w) == 0 && w[1] == 0, "subtraction");
    CHECK(rs_reward_parse(s, "2*forward", w) == 0 && w[0] == 2, "coef on a term");
    char buf[256];
    rs_reward_parse(s, "cautious", w);
    rs_reward_format(s, w, buf, sizeof buf);
    CHECK(rs_reward_parse(s, buf, r1) == 0 && memcmp(w, r1, sizeof(double) * s->n_terms) == 0,
          "format round trip: %s", buf);
}

static void test_bad_input(void) {
    CHECK(rs_env_make("hoper", NULL, 1) == NULL, "unknown env accepted");
    CHECK(strstr(rs_last_error(), "hopper") && strstr(rs_last_error(), "humanoid"),
          "error does not name valid envs: %s", rs_last_error());
    const rs_env_spec *s = rs_env_find("hopper");
    double w[RS_MAX_TERMS];
    CHECK(rs_reward_parse(s, "forwrd=1", w) == -1, "unknown term accepted");
    CHECK(strstr(rs_last_error(), "forwrd") && strstr(rs_last_error(), "forward") &&
              strstr(rs_last_error(), "cautious"),
          "unknown term message: %s", rs_last_error());
    CHECK(rs_reward_parse(s, "forward=1,,ctrl=1", w) == -1, "empty item accepted");
    CHECK(strstr(rs_last_error(), "column 11"), "column: %s", rs_last_error());
    CHECK(rs_reward_parse(s, "forward=abc", w) == -1, "bad number accepted");
    CHECK(strstr(rs_last_error(), "^"), "no caret: %s", rs_last_error());
    CHECK(rs_reward_parse(s, "0.5 risky", w) == -1, "missing '*' accepted");
    CHECK(rs_reward_parse(s, "", w) == -1, "empty spec accepted");
    CHECK(rs_reward_parse(s, "risky+", w) == -1, "dangling '+' accepted");

    /* non-finite actions never reach the simulation */
    rs_env *e = rs_env_make("hopper", NULL, 1);
    rs_env_reset(e, NULL);
    double q0 = e->d->qpos[1];
    float a[3] = {0, NAN, 0};
    CHECK(rs_env_step(e, a, NULL, NULL, NULL, NULL, NULL) == -1, "NaN action accepted");
    CHECK(strstr(rs_last_error(), "action[1]"), "NaN message: %s", rs_last_error());
    CHECK(e->d->qpos[1] == q0 && e->t == 0, "NaN action changed the state");
    rs_env_free(e);
    rs_vecenv *v = rs_vecenv_new(s, NULL, 2, NULL, 1, NULL, 1);
    float va[6] = {0, 0, 0, 0, INFINITY, 0};
    CHECK(rs_vecenv_step(v, va) == -1, "inf action accepted by vecenv");
    CHECK(v->envs[0]->t == 0, "vecenv stepped env 0 despite env 1's bad action");
    rs_vecenv_free(v);
}

static void test_model_files(void) {
    const rs_env_spec *s = rs_env_find("hopper");
    char dir[] = "/tmp/rs_envs_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char path[512];
    /* a file that does not parse: MuJoCo's message, no abort */
    snprintf(path, sizeof path, "%s/bad.xml", dir);
    FILE *f = fopen(path, "w");
    fputs("<mujoco><worldbody><body><geom type='capsule'", f);
    fclose(f);
    CHECK(rs_model_load(s, path) == NULL, "broken XML loaded");
    CHECK(strstr(rs_last_error(), "does not load"), "bad xml: %s", rs_last_error());
    /* a valid model of another robot: named mismatch */
    const char *src = RSOUP_SRC_DIR;
    snprintf(path, sizeof path, "%s/envs/assets/walker2d.xml", src);
    CHECK(rs_model_load(s, path) == NULL, "walker model accepted for hopper");
    CHECK(strstr(rs_last_error(), "joint") && strstr(rs_last_error(), "does not fit"),
          "mismatch: %s", rs_last_error());
    CHECK(rs_model_load(s, "/nonexistent/hopper.xml") == NULL, "missing file");
    CHECK(strstr(rs_last_error(), "cannot open"), "missing: %s", rs_last_error());
    /* the shipped file from disk behaves exactly like the embedded copy */
    snprintf(path, sizeof path, "%s/envs/assets/hopper.xml", src);
    mjModel *m = rs_model_load(s, path);
    CHECK(m != NULL, "%s", rs_last_error());
    if (m) {
        rs_env *a = rs_env_new(s, m, NULL, 4, 0), *b = rs_env_new(s, NULL, NULL, 4, 0);
        float oa[11], ob[11], act[3] = {0.3f, -0.2f, 0.9f};
        rs_env_reset(a, oa);
        rs_env_reset(b, ob);
        for (int t = 0; t < 20; t++) {
            rs_env_step(a, act, oa, NULL, NULL, NULL, NULL);
            rs_env_step(b, act, ob, NULL, NULL, NULL, NULL);
        }
        CHECK(memcmp(oa, ob, sizeof oa) == 0, "file model differs from embedded");
        rs_env_free(a);
        rs_env_free(b);
        mj_deleteModel(m);
    }
    snprintf(path, sizeof path, "%s/bad.xml", dir);
    unlink(path);
    rmdir(dir);
}

RS_TEST_MAIN(T(test_sizes), T(test_hopper_reward_by_hand), T(test_humanoid_com_by_hand),
             T(test_termination), T(test_truncation), T(test_determinism_threads),
             T(test_vecenv_accounting), T(test_rewards), T(test_bad_input), T(test_model_files))
