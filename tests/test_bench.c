/* test_bench.c — `rsoup bench`'s measurements (lab/rs_bench.h) on tiny
 * runs: the counts they report are the work asked for (steps, batches,
 * trained steps, the update's sgemm shapes from the layer sizes), times
 * are positive and nest (env step within rollout within training), and the
 * SAC modes and round statistics are ordered as they claim; the viewer
 * bench's random experts. Timings themselves are the machine's and are not
 * checked. */
#include <math.h>
#include <string.h>

#include "rs_bench.h"
#include "rs_mlp.h"
#include "rs_test.h"

static void test_env_and_ppo(void) {
    const rs_env_spec *s = rs_env_find("hopper");
    rs_bench_env_result e;
    CHECK(rs_bench_env(s, NULL, 301, 1, 4, 2, &e) == 0, "env: %s", rs_last_error());
    CHECK(e.env_steps == 301 && e.vec_steps == 300 && e.n_envs == 4 && e.threads == 1,
          "counts %ld %ld %d %d", e.env_steps, e.vec_steps, e.n_envs, e.threads);
    CHECK(e.raw_s > 0 && e.env_s > 0 && e.vec1_s > 0 && e.vect_s > 0 && e.raw_s < 1e30 &&
              e.vect_s < 1e30,
          "times %g %g %g %g", e.raw_s, e.env_s, e.vec1_s, e.vect_s);
    CHECK(rs_bench_env(s, "/nonexistent/model.xml", 100, 1, 2, 1, &e) != 0 &&
              strstr(rs_last_error(), "model.xml"),
          "a missing model: %s", rs_last_error());
    rs_ppo_config c;
    rs_ppo_config_default(&c);
    strcpy(c.hparams, "cleanrl");
    strcpy(c.env, "hopper");
    c.threads = 1, c.n_envs = 2, c.n_steps = 64, c.total_steps = 256;
    rs_bench_ppo_result b;
    CHECK(rs_bench_ppo(&c, &b) == 0, "ppo: %s", rs_last_error());
    CHECK(b.steps == 256 && b.threads == 1, "trained %ld steps on %d threads", b.steps, b.threads);
    CHECK(b.env_s > 0 && b.env_s <= b.rollout_s && b.rollout_s + b.update_s <= b.wall_s * 1.01,
          "env %g <= rollout %g, + update %g <= wall %g", b.env_s, b.rollout_s, b.update_s,
          b.wall_s);
    CHECK(b.env_sps > 0 && b.peak_rss_mb > 0, "env %g steps/s, %g MB", b.env_sps, b.peak_rss_mb);
}

static void test_sac(void) {
    rs_sac_config c;
    rs_sac_config_default(&c);
    CHECK(rs_sac_config_set(&c, "env", "hopper") == 0 && rs_sac_config_set(&c, "arch", "16,8") == 0,
          "config: %s", rs_last_error());
    rs_bench_sac_req req = {2, 3, 300};
    c.batch_size = 33, c.threads = 1, c.buffer_size = 400, c.learning_starts = 300;
    c.log_every = 50, c.total_steps = 350; /* an iteration is log_every steps */
    rs_bench_sac_result b;
    CHECK(rs_bench_sac(&c, &req, &b) == 0, "sac: %s", rs_last_error());
    CHECK(b.trained == 50, "trained %ld", b.trained);
    CHECK(b.pool_threads == 1 && b.ups[0] > 0 && b.ups[1] == 0 && b.ups[2] > 0,
          "modes %g %g %g on %d threads", b.ups[0], b.ups[1], b.ups[2], b.pool_threads);
    CHECK(b.best != 1 && b.ups[b.best] >= b.ups[0] && b.ups[b.best] >= b.ups[2], "fastest %d",
          b.best);
    for (int m = 0; m < 3; m += 2)
        CHECK(b.lo[m] <= b.med[m] && b.med[m] <= b.hi[m], "mode %d: %g <= %g <= %g", m, b.lo[m],
              b.med[m], b.hi[m]);
    CHECK(b.peak == fmax(b.peak1, b.peak2) && b.peak > 0, "peak %g of %g %g", b.peak, b.peak1,
          b.peak2);
    /* the first shape is the actor's first layer on the batch's first half
     * (16 rows of 11 observations to 16 units); every shape is called and timed */
    CHECK(b.n_shapes > 4 && b.shapes[0].M == 16 && b.shapes[0].N == 16 && b.shapes[0].K == 11 &&
              b.shapes[0].ta == 0 && b.shapes[0].tb == 1,
          "shape 0: %dx%dx%d", b.shapes[0].M, b.shapes[0].N, b.shapes[0].K);
    double counted = 0;
    for (int i = 0; i < b.n_shapes; i++) {
        CHECK(b.shapes[i].calls > 0 && b.shapes[i].s > 0, "shape %d", i);
        counted += b.shapes[i].calls * 2.0 * b.shapes[i].M * b.shapes[i].N * b.shapes[i].K;
    }
    CHECK_CLOSE(b.counted, counted, 0, 1e-12, "counted FLOPs");
}

/* the viewer bench's experts: the robot's sizes, its presets' rewards as
 * the env parses them, the orthogonal init by its definition (W0, 64 x 11,
 * has orthonormal columns times the gain sqrt 2), and the same experts on
 * every call */
static void test_experts(void) {
    const rs_env_spec *s = rs_env_find("hopper");
    rs_policy *ex[3], *again[3];
    CHECK(s && rs_bench_experts(s, 3, ex) == 0 && rs_bench_experts(s, 3, again) == 0, "made: %s",
          rs_last_error());
    for (int i = 0; i < 3; i++) {
        const rs_mlp *m = ex[i]->pi;
        CHECK(ex[i]->obs_dim == 11 && ex[i]->act_dim == 3 && m->n_layers == 3 &&
                  m->sizes[1] == 64 && m->sizes[2] == 64 && m->act == RS_ACT_TANH &&
                  !strcmp(ex[i]->env, "hopper"),
              "expert %d's shape", i);
        double w[RS_MAX_TERMS];
        rs_reward_parse(s, s->presets[i].name, w);
        CHECK(!strcmp(ex[i]->reward, s->presets[i].name) &&
                  !memcmp(w, ex[i]->reward_w, sizeof(double) * (size_t)s->n_terms),
              "expert %d's reward '%s'", i, ex[i]->reward);
        double worst = 0;
        for (int a = 0; a < 11; a++)
            for (int b = 0; b < 11; b++) {
                double g = 0;
                for (int r = 0; r < 64; r++)
                    g += (double)m->W[0][r * 11 + a] * m->W[0][r * 11 + b];
                worst = fmax(worst, fabs(g - (a == b ? 2.0 : 0.0)));
            }
        CHECK(worst < 1e-4, "expert %d: W0's columns are off orthonormal by %g", i, worst);
        CHECK(!memcmp(m->params, again[i]->pi->params, sizeof(float) * m->n_params),
              "expert %d differs between calls", i);
    }
    CHECK(memcmp(ex[0]->pi->params, ex[1]->pi->params, sizeof(float) * ex[0]->pi->n_params),
          "two experts alike");
    for (int i = 0; i < 3; i++)
        rs_policy_free(ex[i]), rs_policy_free(again[i]);
}

RS_TEST_MAIN(T(test_env_and_ppo), T(test_sac), T(test_experts))
