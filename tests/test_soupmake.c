/* test_soupmake.c — `rsoup soup`'s making (lab/rs_soupmake.h): the file
 * written is the mixer's soup with its parents, its tensors counted here
 * by reading it back; a NaN in one expert or a bad action bound is refused
 * before anything is written; Fisher-weighted with one λ = 1 gives that
 * expert's learned tensors back. */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "rs_common.h"
#include "rs_policy.h"
#include "rs_soup.h"
#include "rs_soupmake.h"
#include "rs_test.h"

static int save_policy(uint64_t seed, const char *path, int poison) {
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
    if (poison) {
        rs_tensor *t = (rs_tensor *)rs_st_get(st, "pi.0.bias");
        ((float *)t->data)[1] = NAN;
    }
    int rc = rs_st_save(st, path);
    rs_st_free(st);
    return rc;
}

static void test_write_and_counts(void) {
    char dir[] = "/tmp/rs_test_soupmake_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char pa[256], pb[256], pc[256], out[256];
    snprintf(pa, sizeof pa, "%s/a.safetensors", dir);
    snprintf(pb, sizeof pb, "%s/b.safetensors", dir);
    snprintf(pc, sizeof pc, "%s/c.safetensors", dir);
    snprintf(out, sizeof out, "%s/soup.safetensors", dir);
    CHECK(save_policy(1, pa, 0) == 0 && save_policy(2, pb, 0) == 0 && save_policy(3, pc, 1) == 0,
          "save: %s", rs_last_error());
    const char *paths[2] = {pa, pb};
    double lam[2] = {0.25, 0.75};
    rs_soupmake m;
    int norm = 0;
    CHECK(rs_soupmake_load(&m, paths, 2) == 0, "load: %s", rs_last_error());
    CHECK(rs_soup_mix(m.experts, 2, lam, &m.soup, &norm) == 0, "mix: %s", rs_last_error());
    CHECK(rs_soupmake_check(&m) == 0, "check: %s", rs_last_error());
    CHECK(rs_soupmake_write(&m, out) == 0, "write: %s", rs_last_error());
    rs_st *back = rs_st_load(out);
    CHECK(back != NULL, "read back: %s", rs_last_error());
    int fl = 0, in = 0, nm = 0;
    for (int k = 0; back && k < rs_st_count(back); k++) {
        const rs_tensor *t = rs_st_at(back, k);
        if (t->dtype == RS_DT_F32 || t->dtype == RS_DT_F64)
            fl++;
        else
            in++;
        nm += !strncmp(t->name, "obs_norm.", 9);
    }
    CHECK(m.n_tensors == fl + in && m.n_mixed == fl && m.n_int == in && m.n_norm == nm,
          "counts %d %d %d %d, read back %d %d %d", m.n_tensors, m.n_mixed, m.n_int, m.n_norm, fl,
          in, nm);
    const char *parents = back ? rs_st_meta(back, "parents") : NULL;
    CHECK(parents && strstr(parents, pa) && strstr(parents, pb), "parents: %s",
          parents ? parents : "none");
    char h[17];
    rs_file_hash(pb, h);
    CHECK(!strcmp(m.hex[1], h), "hash of expert 1: %s, want %s", m.hex[1], h);
    rs_st_free(back);
    rs_soupmake_free(&m);
    /* a NaN in an expert with λ > 0: refused, and the file is not replaced */
    unlink(out);
    const char *bad[2] = {pa, pc};
    CHECK(rs_soupmake_load(&m, bad, 2) == 0, "load the poisoned pair");
    rs_soup_mix(m.experts, 2, lam, &m.soup, &norm);
    CHECK(m.soup && rs_soupmake_check(&m) != 0 && strstr(rs_last_error(), "pi.0.bias[1]"),
          "NaN: %s", rs_last_error());
    CHECK(access(out, F_OK) != 0, "nothing written");
    rs_soupmake_free(&m);
    /* Fisher-weighted with λ = (0, 1): the second expert's learned weights */
    double one[2] = {0, 1};
    CHECK(rs_soupmake_load(&m, paths, 2) == 0, "load");
    CHECK(rs_soup_mix(m.experts, 2, one, &m.soup, &norm) == 0, "mix");
    CHECK(rs_soupmake_fisher(&m, one, 200, NULL, "test") == 0, "fisher: %s", rs_last_error());
    const rs_tensor *got = rs_st_get(m.soup, "pi.0.weight"),
                    *want = rs_st_get(m.experts[1], "pi.0.weight");
    CHECK(got && want && !memcmp(got->data, want->data, (size_t)rs_tensor_numel(want) * 4),
          "the Fisher soup at λ = (0, 1) is expert 1");
    rs_soupmake_free(&m);
    unlink(pa), unlink(pb), unlink(pc), rmdir(dir);
}

RS_TEST_MAIN(T(test_write_and_counts))
