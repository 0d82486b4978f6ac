/* test_envs.c — the environments against hand computations from the MuJoCo
 * state, termination on constructed states, determinism, bad input. */
#include <string.h>
#include <unistd.h>

#include "rs_terms.h"
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

/* the term table's rows, walked once */
typedef struct {
    const char *name;
    rs_term_fn *fn;
} table_term;
#define TABLE_TERM(ID, name, doc, formula) {name, formula},
static const table_term g_table[] = {RS_TERMS(TABLE_TERM)};
#define N_TABLE ((int)(sizeof g_table / sizeof g_table[0]))
#define TABLE_PRESET(name, spec, doc) #name,
static const char *const g_table_presets[] = {RS_PRESETS(TABLE_PRESET)};

static int preset_index(const rs_env_spec *s, const char *name) {
    for (int i = 0; i < s->n_presets; i++)
        if (strcmp(s->presets[i].name, name) == 0) return i;
    return -1;
}

/* every term named in a preset's spec, read here without the reward parser */
static int preset_terms_exist(const rs_env_spec *s, const char *spec, char *bad, size_t size) {
    char buf[RS_REWARD_MAX_LEN + 1];
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq) {
            snprintf(bad, size, "'%s' has no '='", item);
            return 0;
        }
        *eq = 0;
        if (rs_env_term_index(s, item) < 0) {
            snprintf(bad, size, "'%s' is not a term", item);
            return 0;
        }
    }
    return 1;
}

/* what the table says agrees with what each robot's spec holds */
static void test_spec_tables(void) {
    const char *every_term[] = {RS_TERMS_EVERY_ROBOT};
    const char *every_preset[] = {RS_PRESETS_EVERY_ROBOT};
    int used[N_TABLE];
    memset(used, 0, sizeof used);
    for (int k = 0; k < rs_env_count(); k++) {
        const rs_env_spec *s = rs_env_spec_at(k);
        const char *n = s->name;
        CHECK(s->n_terms > 0 && s->n_terms <= RS_MAX_TERMS, "%s: %d terms", n, s->n_terms);
        CHECK(s->n_presets > 0 && s->n_presets <= RS_MAX_PRESETS, "%s: %d presets", n,
              s->n_presets);
        for (int i = 0; i < s->n_terms; i++) {
            const char *t = s->terms[i];
            CHECK(t && *t && s->term_docs[i] && *s->term_docs[i], "%s: term %d unnamed", n, i);
            if (!t) continue;
            CHECK(rs_env_term_index(s, t) == i, "%s: term '%s' twice", n, t);
            /* a table row keeps its formula, or the robot measures it (O) */
            int row = -1;
            for (int r = 0; r < N_TABLE; r++)
                if (strcmp(g_table[r].name, t) == 0) row = r;
            if (row >= 0) {
                used[row] = 1;
                CHECK(s->term_fn[i] == g_table[row].fn || !s->term_fn[i],
                      "%s: '%s' has a formula other than the table's", n, t);
            }
            CHECK(s->term_fn[i] || s->after, "%s: nothing computes '%s'", n, t);
            if (s->term_fn[i] == rs_term_jump)
                CHECK(s->z_qpos >= 0, "%s: jump without a height coordinate", n);
        }
        for (int i = 0; i < s->n_presets; i++) {
            const rs_preset *p = &s->presets[i];
            CHECK(preset_index(s, p->name) == i, "%s: preset '%s' twice", n, p->name);
            /* the parser reads a term first: a preset named like one is unreachable */
            CHECK(rs_env_term_index(s, p->name) < 0, "%s: preset '%s' is a term's name", n,
                  p->name);
            char bad[300] = "";
            CHECK(preset_terms_exist(s, p->spec, bad, sizeof bad), "%s: preset %s: %s", n,
                  p->name, bad);
            double w[RS_MAX_TERMS];
            CHECK(rs_reward_parse(s, p->spec, w) == 0, "%s: preset %s: %s", n, p->name,
                  rs_last_error());
        }
        CHECK(strcmp(s->presets[0].name, "default") == 0, "%s: presets[0] is %s", n,
              s->presets[0].name);
        for (size_t i = 0; i < sizeof every_term / sizeof *every_term; i++)
            CHECK(rs_env_term_index(s, every_term[i]) >= 0, "%s lacks term %s", n, every_term[i]);
        for (size_t i = 0; i < sizeof every_preset / sizeof *every_preset; i++)
            CHECK(preset_index(s, every_preset[i]) >= 0, "%s lacks preset %s", n,
                  every_preset[i]);
        for (size_t i = 0; i < sizeof g_table_presets / sizeof *g_table_presets; i++)
            CHECK(preset_index(s, g_table_presets[i]) >= 0, "%s lacks the table's preset %s", n,
                  g_table_presets[i]);
        /* the shared presets' recipe: mo_velocity is risky, cautious adds 1.0*ctrl */
        double r[RS_MAX_TERMS], c[RS_MAX_TERMS], v[RS_MAX_TERMS];
        if (rs_reward_parse(s, "risky", r) || rs_reward_parse(s, "cautious", c) ||
            rs_reward_parse(s, "mo_velocity", v)) {
            CHECK(0, "%s: %s", n, rs_last_error());
            continue;
        }
        int ctrl = rs_env_term_index(s, "ctrl");
        for (int i = 0; i < s->n_terms; i++) {
            CHECK(v[i] == r[i], "%s: mo_velocity and risky differ on %s", n, s->terms[i]);
            CHECK(c[i] == r[i] + (i == ctrl), "%s: cautious is not risky + ctrl on %s", n,
                  s->terms[i]);
        }
        CHECK(r[rs_env_term_index(s, "forward")] > 0 && r[ctrl] == 0, "%s: risky", n);
    }
    for (int r = 0; r < N_TABLE; r++) CHECK(used[r], "no robot reports '%s'", g_table[r].name);
}

/* the table's formulas on every robot, against the state read here: qpos
 * before and after, the action's squares, the power summed over substeps
 * stepped on a copy of the data */
static void test_shared_terms_by_hand(void) {
    /* the height coordinate of each robot (Gymnasium's), -1: none */
    const char *names[] = {"hopper", "walker2d", "halfcheetah", "ant", "humanoid", "swimmer"};
    const int zq[] = {1, 1, 1, 2, 2, -1};
    for (int k = 0; k < 6; k++) {
        rs_env *e = rs_env_make(names[k], NULL, 11);
        CHECK(e != NULL, "%s: %s", names[k], rs_last_error());
        if (!e) continue;
        const rs_env_spec *s = e->spec;
        const mjModel *m = e->m;
        mjData *copy = mj_makeData(m);
        rs_env_reset(e, NULL);
        double z0 = zq[k] >= 0 ? e->d->qpos[zq[k]] : 0;
        int fw = rs_env_term_index(s, "forward"), yv = rs_env_term_index(s, "y_velocity");
        int he = rs_env_term_index(s, "healthy"), ct = rs_env_term_index(s, "ctrl");
        int ju = rs_env_term_index(s, "jump"), en = rs_env_term_index(s, "energy");
        CHECK((ju >= 0) == (zq[k] >= 0), "%s: jump where there is no height, or none", s->name);
        for (int t = 0; t < 3; t++) {
            float a[17];
            double ss = 0;
            for (int i = 0; i < s->act_dim; i++) {
                a[i] = (float)(0.3 * s->act_bound * ((i + t) % 3 - 1) + 0.01 * i);
                ss += (double)a[i] * a[i];
            }
            double x0 = e->d->qpos[0], y0 = e->d->qpos[1], energy = 0;
            mj_copyData(copy, m, e->d);
            for (int i = 0; i < s->act_dim; i++) copy->ctrl[i] = a[i];
            for (int f = 0; f < s->frame_skip; f++) {
                mj_step(m, copy);
                for (int i = 0; i < m->nu; i++)
                    energy += fabs(copy->actuator_force[i] * copy->actuator_velocity[i]) *
                              m->opt.timestep;
            }
            double terms[RS_MAX_TERMS], r;
            int term, trunc;
            CHECK(rs_env_step(e, a, NULL, terms, &r, &term, &trunc) == 0, "%s step", s->name);
            const double dt = m->opt.timestep * s->frame_skip;
            CHECK(terms[he] == 1.0, "%s: healthy %g", s->name, terms[he]);
            CHECK_CLOSE(terms[ct], -ss, 1e-12, 1e-12, s->name);
            CHECK_CLOSE(terms[en], -energy, 1e-12, 1e-9, s->name);
            if (ju >= 0) CHECK_CLOSE(terms[ju], e->d->qpos[zq[k]] - z0, 1e-12, 0, s->name);
            /* the humanoid measures its centre of mass (test_humanoid_com_by_hand) */
            if (strcmp(s->name, "humanoid") != 0) {
                CHECK_CLOSE(terms[fw], (e->d->qpos[0] - x0) / dt, 1e-12, 1e-12, s->name);
                if (yv >= 0)
                    CHECK_CLOSE(terms[yv], (e->d->qpos[1] - y0) / dt, 1e-12, 1e-12, s->name);
            }
            double dot = 0;
            for (int i = 0; i < s->n_terms; i++) dot += e->weights[i] * terms[i];
            CHECK_CLOSE(r, dot, 1e-12, 1e-12, s->name);
        }
        mj_deleteData(copy);
        rs_env_free(e);
    }
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
             T(test_vecenv_accounting), T(test_rewards), T(test_spec_tables),
             T(test_shared_terms_by_hand), T(test_bad_input), T(test_model_files))
