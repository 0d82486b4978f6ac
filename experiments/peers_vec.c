/* peers_vec.c — librsoup's vector env stepped from C, the baseline of
 * experiments/peers.py's binding overhead: the same library, env, seed and
 * actions as rsoup.make_vec stepped from Python, so the two runs simulate the
 * same trajectories and differ only by what Python adds.
 *
 *   peers_vec ENV NUM_ENVS THREADS SEED ACTIONS.f32 BATCHES REPEAT
 *
 * ACTIONS.f32: BATCHES x NUM_ENVS x act_dim raw little-endian float32. Each
 * repeat reseeds, resets and steps every batch; it prints one line per
 * repeat: thread CPU seconds and wall seconds of the step loop, and the sum
 * of the last observations (in order, in double) to check that both sides
 * made the same trajectories. Built by experiments/peers.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rsoup.h"

static double now(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: peers_vec ENV NUM_ENVS THREADS SEED ACTIONS.f32 BATCHES REPEAT\n");
        return 2;
    }
    const char *env = argv[1];
    int n = atoi(argv[2]), threads = atoi(argv[3]), repeat = atoi(argv[7]);
    unsigned long long seed = strtoull(argv[4], NULL, 10);
    long batches = atol(argv[6]);
    int obs_dim, act_dim, n_terms;
    if (n < 1 || batches < 1 || repeat < 1) {
        fprintf(stderr, "peers_vec: NUM_ENVS, BATCHES and REPEAT must be positive\n");
        return 2;
    }
    if (rsoup_env_info(env, &obs_dim, &act_dim, &n_terms, NULL, NULL)) {
        fprintf(stderr, "peers_vec: %s\n", rsoup_last_error());
        return 1;
    }
    size_t na = (size_t)batches * n * act_dim;
    float *acts = malloc(sizeof(float) * na);
    float *obs = malloc(sizeof(float) * (size_t)n * obs_dim);
    float *rew = malloc(sizeof(float) * n);
    unsigned char *term = malloc(n), *trunc = malloc(n);
    FILE *f = fopen(argv[5], "rb");
    if (!acts || !obs || !rew || !term || !trunc || !f || fread(acts, sizeof(float), na, f) != na) {
        fprintf(stderr, "peers_vec: cannot read %zu actions from '%s'\n", na, argv[5]);
        return 1;
    }
    fclose(f);
    const char *reward = "default";
    rsoup_vec *v = rsoup_vec_new(env, n, &reward, 1, seed, threads);
    if (!v || rsoup_vec_bind(v, obs, rew, term, trunc, NULL)) {
        fprintf(stderr, "peers_vec: %s\n", rsoup_last_error());
        return 1;
    }
    for (int r = 0; r < repeat; r++) {
        if (rsoup_vec_seed(v, seed) || rsoup_vec_reset(v)) return 1;
        double c0 = now(CLOCK_THREAD_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
        for (long b = 0; b < batches; b++)
            if (rsoup_vec_step(v, acts + (size_t)b * n * act_dim)) {
                fprintf(stderr, "peers_vec: %s\n", rsoup_last_error());
                return 1;
            }
        double cpu = now(CLOCK_THREAD_CPUTIME_ID) - c0, wall = now(CLOCK_MONOTONIC) - w0;
        double sum = 0;
        for (int k = 0; k < n * obs_dim; k++)
            sum += obs[k];
        printf("%.9f %.9f %.17g\n", cpu, wall, sum);
    }
    rsoup_vec_free(v);
    free(acts);
    free(obs);
    free(rew);
    free(term);
    free(trunc);
    return 0;
}
