/* test_alloc.c — the hot loops allocate nothing after start-up: a vecenv
 * step (episodes ending and resetting included), one PPO iteration (rollout
 * on the pool's threads, update) and the data-parallel normaliser merge that
 * every rollout of an MPI run makes. malloc, calloc and realloc are counted
 * through an interposer, from every thread; under a sanitizer (which owns
 * malloc) the counts are skipped and the loops still run. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_ppo.h"
#include "rs_test.h"
#include "rs_vecenv.h"

#define COUNT_MALLOC (!RS_TEST_ASAN)

static volatile int g_counting;
static long g_allocs;

#if COUNT_MALLOC
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
static void note(void) {
    if (g_counting) __atomic_fetch_add(&g_allocs, 1, __ATOMIC_RELAXED);
}
void *malloc(size_t n) {
    note();
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
    note();
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
    note();
    return __libc_realloc(p, n);
}
void free(void *p) { __libc_free(p); }
#endif

/* atomic loads and stores: the compiler may assume that malloc, a builtin,
 * leaves a plain global alone */
static void start(void) {
    __atomic_store_n(&g_allocs, 0, __ATOMIC_SEQ_CST);
    g_counting = 1;
}

static long stop(void) {
    g_counting = 0;
    return COUNT_MALLOC ? __atomic_load_n(&g_allocs, __ATOMIC_SEQ_CST) : 0;
}

/* 300 steps of 4 hopper envs with random actions: many episodes end */
static void test_vecenv_step(void) {
    const rs_env_spec *s = rs_env_find("hopper");
    double w[RS_MAX_TERMS] = {0};
    CHECK(s && rs_reward_parse(s, "default", w) == 0, "%s", rs_last_error());
    rs_vecenv *v = rs_vecenv_new(s, NULL, 4, w, 1, NULL, 2);
    CHECK(v != NULL, "%s", rs_last_error());
    if (!v) return;
    float act[4 * 8];
    rs_rng rng;
    rs_rng_seed(&rng, 1, 0);
    long before = v->episodes;
    start();
    for (int t = 0; t < 300; t++) {
        for (int i = 0; i < 4 * s->act_dim; i++)
            act[i] = (float)rs_rng_uniform_range(&rng, -1, 1);
        rs_vecenv_step(v, act);
    }
    long n = stop();
    CHECK(n == 0, "rs_vecenv_step allocated %ld times in 300 steps", n);
    CHECK(v->episodes > before, "no episode ended while counting");
    rs_vecenv_free(v);
}

/* one PPO iteration after a first one (start-up), on 2 threads */
static void test_ppo_iteration(void) {
    rs_ppo_config c;
    rs_ppo_config_default(&c);
    strcpy(c.env, "hopper");
    c.n_envs = 2;
    c.n_steps = 128;
    c.minibatch = 64;
    c.epochs = 2;
    c.total_steps = 3 * 256;
    c.threads = 2;
    rs_ppo *p = rs_ppo_new(&c);
    CHECK(p != NULL, "%s", rs_last_error());
    if (!p) return;
    rs_ppo_stats st;
    CHECK(rs_ppo_iterate(p, &st) == 0, "%s", rs_last_error());
    start();
    int rc = rs_ppo_iterate(p, &st);
    long n = stop();
    CHECK(rc == 0, "%s", rs_last_error());
    CHECK(n == 0, "one PPO iteration allocated %ld times", n);
    rs_ppo_free(p);
}

/* the merge a data-parallel rollout ends with (here over one process) */
static void test_mpi_merge(void) {
    rs_normalizer *n = rs_normalizer_new(3, 10.0f);
    double acc[7] = {4, 2, 4, 6, 2, 6, 12};
    start();
    rs_ppo_merge_obs_stats(n, acc);
    long k = stop();
    CHECK(k == 0, "rs_ppo_merge_obs_stats allocated %ld times", k);
    /* four samples with sums 2, 4, 6 and sums of squares 2, 6, 12, merged
     * into a fresh normaliser (whose prior count is tiny, not zero) */
    CHECK_CLOSE(n->mean[1], 1.0, 0, 1e-4, "merged mean");
    CHECK_CLOSE(n->var[2], 12.0 / 4 - 1.5 * 1.5, 0, 1e-3, "merged variance");
    CHECK(acc[0] == 0 && acc[6] == 0, "the sums are zeroed");
    rs_normalizer_free(n);
}

/* the counter sees an allocation made in the window */
static void test_counter_counts(void) {
    void *volatile q;
    start();
    q = malloc(64);
    long n = stop();
    free(q);
    CHECK(!COUNT_MALLOC || n == 1, "the interposer counted %ld of 1 allocation", n);
}

int main(void) {
    if (!COUNT_MALLOC) printf("test_alloc: sanitizer build: allocations are not counted\n");
    rs_test_case cases[] = {T(test_counter_counts), T(test_vecenv_step), T(test_ppo_iteration),
                            T(test_mpi_merge)};
    return rs_test_run(__FILE__, cases, (int)(sizeof cases / sizeof *cases));
}
