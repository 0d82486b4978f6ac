/* test_frontplan.c — one front run (lab/rs_frontplan.h) on two random hopper
 * policies: a new file gets every row (the experts and the lattice's soups,
 * their λ checked against the lattice written out here); a file cut inside
 * its last row and resumed gets back the same rows, value for value, with
 * only the missing one evaluated; an existing file without resume, or
 * resumed with another seed, is refused and left as it was. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_frontplan.h"
#include "rs_test.h"

static int save_policy(uint64_t seed, const char *path) {
    int hidden[2] = {8, 8};
    rs_policy *p = rs_policy_new(RS_ALGO_PPO, 11, 3, 1.0f, hidden, 2, RS_ACT_TANH);
    rs_rng rng;
    rs_rng_seed(&rng, seed, 0);
    rs_mlp_init_orthogonal(p->pi, &rng, 1.4f, 0.5f);
    strcpy(p->env, "hopper");
    strcpy(p->reward, "default");
    rs_st *st = rs_st_new();
    rs_policy_to_st(p, st);
    rs_policy_free(p);
    int rc = rs_st_save(st, path);
    rs_st_free(st);
    return rc;
}

static char *slurp(const char *path) { return rs_read_file(path, NULL); }

static void test_new_and_resume(void) {
    char dir[] = "/tmp/rs_test_frontplan_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char pa[256], pb[256], out[256];
    snprintf(pa, sizeof pa, "%s/a.safetensors", dir);
    snprintf(pb, sizeof pb, "%s/b.safetensors", dir);
    snprintf(out, sizeof out, "%s/front.csv", dir);
    CHECK(save_policy(1, pa) == 0 && save_policy(2, pb) == 0, "%s", rs_last_error());
    const char *paths[2] = {pa, pb};
    rs_st *ex[2] = {rs_policy_st_load(pa), rs_policy_st_load(pb)};
    CHECK(ex[0] && ex[1], "%s", rs_last_error());
    const rs_env_spec *s = rs_env_find("hopper");
    double w[1][RS_MAX_TERMS] = {{0}};
    CHECK(rs_reward_parse(s, "default", w[0]) == 0, "%s", rs_last_error());
    const char *names[1] = {"default"};
    rs_frontplan_req q = {.n_experts = 2, .paths = paths, .experts = ex, .spec = s, .n_obj = 1,
                          .obj_names = names, .obj_w = (const double(*)[RS_MAX_TERMS])w, .grid = 3,
                          .episodes = 1, .seed = 5, .threads = 1, .episodes_arg = "1", .seed_arg = "5",
                          .out = out, .who = "test"};
    rs_frontplan_res r;
    CHECK(rs_frontplan_run(&q, &r) == 0, "%s", rs_last_error());
    /* 2 experts, then the soups λ_B = 0, 0.5, 1 */
    CHECK(r.present == 0 && r.written == 5 && r.front && r.front->n == 5, "present %d written %d",
          r.present, r.written);
    const double lat[5][2] = {{1, 0}, {0, 1}, {1, 0}, {0.5, 0.5}, {0, 1}};
    const rs_front_kind kinds[5] = {RS_KIND_EXPERT, RS_KIND_EXPERT, RS_KIND_SOUP, RS_KIND_SOUP, RS_KIND_SOUP};
    for (int i = 0; r.front && i < 5 && i < r.front->n; i++) {
        CHECK(r.front->kind[i] == kinds[i], "row %d kind %d", i, r.front->kind[i]);
        for (int j = 0; j < 2; j++)
            CHECK_CLOSE(r.front->lambda[i * 2 + j], lat[i][j], 1e-12, 0, "lambda");
    }
    rs_frontplan_res_free(&r);
    char *whole = slurp(out);
    CHECK(whole != NULL, "%s", rs_last_error());

    /* without --resume an existing front is refused, and left as it was */
    CHECK(rs_frontplan_run(&q, &r) != 0 && strstr(rs_last_error(), "--resume"), "%s", rs_last_error());
    /* cut inside the last row: a resume drops it and evaluates it again */
    size_t n = strlen(whole);
    FILE *fp = fopen(out, "w");
    CHECK(fp != NULL, "fopen");
    if (fp) {
        fwrite(whole, 1, n - 5, fp);
        fclose(fp);
    }
    q.resume = 1;
    q.seed_arg = "6";
    CHECK(rs_frontplan_run(&q, &r) != 0 && strstr(rs_last_error(), "seed '5', not '6'"), "%s",
          rs_last_error());
    q.seed_arg = "5";
    CHECK(rs_frontplan_run(&q, &r) == 0, "%s", rs_last_error());
    CHECK(r.present == 4 && r.written == 1, "present %d written %d", r.present, r.written);
    rs_frontplan_res_free(&r);
    char *again = slurp(out);
    CHECK(again && !strcmp(again, whole), "the resumed front differs from the whole one");
    /* complete: a resume has nothing left to do */
    CHECK(rs_frontplan_run(&q, &r) == 0 && r.present == 5 && r.written == 0, "%s", rs_last_error());
    rs_frontplan_res_free(&r);
    free(whole);
    free(again);
    rs_st_free(ex[0]);
    rs_st_free(ex[1]);
    unlink(pa);
    unlink(pb);
    unlink(out);
    rmdir(dir);
}

RS_TEST_MAIN(T(test_new_and_resume))
