/* test_evalrun.c — `rsoup eval`'s run (lab/rs_evalrun.h): its length
 * statistics recomputed here from the episodes it returns, its episodes
 * equal to rs_eval_policy's on the same seed, the rewards a policy stands
 * for (its own, a soup's experts' without repeats, then the default), and
 * an env rsoup lacks refused with the file named. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_evalrun.h"
#include "rs_pool.h"
#include "rs_test.h"

/* a random hopper policy at path, with extra metadata (key, value) */
static int save_policy(const char *path, const char *env, const char *reward, const char *key,
                       const char *value) {
    int hidden[2] = {8, 8};
    rs_policy *p = rs_policy_new(RS_ALGO_PPO, 11, 3, 1.0f, hidden, 2, RS_ACT_TANH);
    rs_rng rng;
    rs_rng_seed(&rng, 3, 0);
    rs_mlp_init_orthogonal(p->pi, &rng, 1.4f, 0.5f);
    snprintf(p->env, sizeof p->env, "%s", env);
    snprintf(p->reward, sizeof p->reward, "%s", reward);
    rs_st *st = rs_st_new();
    rs_policy_to_st(p, st);
    rs_policy_free(p);
    if (key) rs_st_set_meta(st, key, value);
    int rc = rs_st_save(st, path);
    rs_st_free(st);
    return rc;
}

static void test_statistics_by_hand(void) {
    char dir[] = "/tmp/rs_test_evalrun_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char pa[256];
    snprintf(pa, sizeof pa, "%s/a.safetensors", dir);
    CHECK(save_policy(pa, "hopper", "risky", NULL, NULL) == 0, "%s", rs_last_error());
    rs_evalrun e;
    CHECK(rs_evalrun_open(&e, pa) == 0, "open: %s", rs_last_error());
    CHECK(e.n_own == 2 && !strcmp(e.own[0], "risky") && !strcmp(e.own[1], "default"),
          "own rewards: %d", e.n_own);
    rs_evalrun_req req = {NULL, 5, 77, 1, 1};
    CHECK(rs_evalrun_run(&e, &req) == 0, "run: %s", rs_last_error());
    const rs_eval_result *r = &e.res;
    CHECK(r->episodes == 5, "episodes %d", r->episodes);
    double m = 0, v = 0;
    for (int i = 0; i < 5; i++)
        m += r->length[i] / 5.0;
    for (int i = 0; i < 5; i++)
        v += (r->length[i] - m) * (r->length[i] - m) / 5.0;
    CHECK_CLOSE(e.length_mean, m, 1e-12, 1e-12, "length mean");
    CHECK_CLOSE(e.length_std, sqrt(v), 1e-12, 1e-12, "length std");
    /* the same episodes as the evaluator's own, seed for seed */
    rs_pool *pool = rs_pool_new(1);
    rs_eval_result ref;
    CHECK(rs_eval_policy(e.policy, e.spec, NULL, 5, 77, 1, pool, &ref) == 0, "reference eval");
    CHECK(!memcmp(ref.terms, r->terms, sizeof(double) * 5 * r->n_terms) &&
              !memcmp(ref.length, r->length, sizeof(int) * 5),
          "episodes differ from rs_eval_policy's");
    double sq, sat;
    rs_eval_action_stats(&ref, &sq, &sat);
    CHECK(sq == e.action_sq && sat == e.action_sat, "action stats");
    rs_eval_result_free(&ref);
    rs_pool_free(pool);
    rs_evalrun_close(&e);
    /* a soup stands for its experts' rewards, once each */
    CHECK(save_policy(pa, "hopper", "risky", "soup_rewards",
                      "[\"risky\", \"cautious\", \"risky\", \"default\"]") == 0,
          "save soup");
    CHECK(rs_evalrun_open(&e, pa) == 0 && e.n_own == 3 && !strcmp(e.own[0], "risky") &&
              !strcmp(e.own[1], "cautious") && !strcmp(e.own[2], "default"),
          "a soup's rewards: %d", e.n_own);
    rs_evalrun_close(&e);
    /* an env nobody registered: the error names the file */
    CHECK(save_policy(pa, "teapot", "default", NULL, NULL) == 0, "save teapot");
    CHECK(rs_evalrun_open(&e, pa) != 0 && !strncmp(rs_last_error(), pa, strlen(pa)),
          "unknown env: %s", rs_last_error());
    rs_evalrun_close(&e);
    unlink(pa);
    rmdir(dir);
}

RS_TEST_MAIN(T(test_statistics_by_hand))
