/* mpi_reduce.c — run with mpirun -np 2: the data-parallel reductions equal
 * the single-process computation on the concatenated data, and a 2-rank PPO
 * run keeps identical weights on every rank. */
#include <string.h>

#include "rs_mpi.h"
#include "rs_ppo.h"
#include "rs_test.h"

/* the mean-loss gradient of a batch: averaging the ranks' gradients of their
 * equal shares gives the gradient of the whole batch */
static void test_allreduced_gradient(void) {
    const int R = rs_mpi_size(), r = rs_mpi_rank();
    CHECK(R >= 2, "run under mpirun -np 2 (size %d)", R);
    enum { B = 64, IN = 7, OUT = 3 };
    int hidden[2] = {16, 16};
    rs_mlp *m = rs_mlp_new(IN, hidden, 2, OUT, RS_ACT_TANH);
    rs_rng rng;
    rs_rng_seed(&rng, 3, 0); /* the same net and data on every rank */
    rs_mlp_init_orthogonal(m, &rng, 1.4f, 1.0f);
    static float x[B * IN], dout[B * OUT];
    for (int k = 0; k < B * IN; k++) x[k] = (float)rs_rng_normal(&rng);
    for (int k = 0; k < B * OUT; k++) dout[k] = (float)rs_rng_normal(&rng);
    rs_mlp_ws *ws = rs_mlp_ws_new(m, B);
    float *full = calloc(m->n_params, sizeof(float)), *part = calloc(m->n_params, sizeof(float));
    /* whole batch, d(mean)/d out = dout / B */
    static float d[B * OUT];
    for (int k = 0; k < B * OUT; k++) d[k] = dout[k] / B;
    rs_mlp_forward(m, ws, x, B);
    rs_mlp_backward(m, ws, x, d, B, full, NULL);
    /* this rank's share */
    const int b = B / R, lo = r * b;
    for (int k = 0; k < b * OUT; k++) d[k] = dout[lo * OUT + k] / b;
    rs_mlp_forward(m, ws, x + lo * IN, b);
    rs_mlp_backward(m, ws, x + lo * IN, d, b, part, NULL);
    rs_mpi_sum_f32(part, m->n_params);
    double worst = 0;
    for (size_t i = 0; i < m->n_params; i++) {
        double e = fabs(part[i] / R - full[i]) / (1e-6 + fabs(full[i]));
        if (e > worst) worst = e;
    }
    CHECK(worst < 1e-4, "allreduced gradient differs from the full batch's: rel %g", worst);
    free(full);
    free(part);
    rs_mlp_ws_free(ws);
    rs_mlp_free(m);
}

/* a data-parallel minibatch's advantages are normalised over the global
 * minibatch: each rank's normalised share equals that share of the whole
 * minibatch normalised in one place (float64, two passes) */
static void test_global_advantage_norm(void) {
    const int R = rs_mpi_size(), r = rs_mpi_rank();
    enum { M = 48 }; /* this rank's share */
    rs_rng rng;
    rs_rng_seed(&rng, 5, 0); /* every rank draws all shares, keeps its own */
    static double all[8 * M];
    CHECK(R <= 8, "at most 8 ranks here");
    for (int k = 0; k < R * M; k++) all[k] = 3.0 + 2.5 * rs_rng_normal(&rng) * (k % M < 5 ? 4 : 1);
    float mine[M];
    double sums[2] = {0, 0};
    for (int m = 0; m < M; m++) {
        mine[m] = (float)all[r * M + m];
        sums[0] += mine[m];
        sums[1] += (double)mine[m] * mine[m];
    }
    rs_mpi_sum_f64(sums, 2);
    rs_ppo_norm_adv(mine, M, sums, (double)M * R);
    double mean = 0, var = 0;
    for (int k = 0; k < R * M; k++) mean += (float)all[k];
    mean /= R * M;
    for (int k = 0; k < R * M; k++) var += ((float)all[k] - mean) * ((float)all[k] - mean);
    double sd = sqrt(var / (R * M - 1));
    double worst = 0;
    for (int m = 0; m < M; m++) {
        double want = ((float)all[r * M + m] - mean) / sd, e = fabs(mine[m] - want);
        if (e > worst) worst = e;
    }
    CHECK(worst < 1e-5, "rank %d: globally normalised advantages off by %g", r, worst);
    /* and a local-only normalisation would differ (the shares' means differ) */
    float local[M];
    for (int m = 0; m < M; m++) local[m] = (float)all[r * M + m];
    rs_ppo_norm_adv(local, M, NULL, 0);
    double diff = 0;
    for (int m = 0; m < M; m++) diff += fabs(local[m] - mine[m]);
    CHECK(R == 1 || diff > 1e-3, "rank %d: local and global normalisation agree (%g)", r, diff);
}

/* merged normaliser statistics equal the statistics of all samples */
static void test_merged_normaliser(void) {
    const int R = rs_mpi_size(), r = rs_mpi_rank();
    enum { D = 5, PER = 300 };
    rs_normalizer *n = rs_normalizer_new(D, 10);
    static float all[8 * PER * D];
    rs_rng rng;
    rs_rng_seed(&rng, 9, 0);
    for (int k = 0; k < R * PER * D; k++) all[k] = (float)(3.0 * rs_rng_normal(&rng) + (k % D));
    double acc[1 + 2 * D] = {0};
    for (int i = r * PER; i < (r + 1) * PER; i++)
        for (int k = 0; k < D; k++) {
            acc[1 + k] += all[i * D + k];
            acc[1 + D + k] += (double)all[i * D + k] * all[i * D + k];
        }
    acc[0] = PER;
    rs_ppo_merge_obs_stats(n, acc);
    /* reference: a fresh normaliser updated with every sample on one process */
    rs_normalizer *ref = rs_normalizer_new(D, 10);
    rs_normalizer_update(ref, all, R * PER);
    for (int k = 0; k < D; k++) {
        CHECK_CLOSE(n->mean[k], ref->mean[k], 1e-9, 1e-9, "merged mean");
        CHECK_CLOSE(n->var[k], ref->var[k], 1e-9, 1e-7, "merged var");
    }
    CHECK_CLOSE(n->count, ref->count, 1e-9, 1e-12, "merged count");
    rs_normalizer_free(n);
    rs_normalizer_free(ref);
}

/* after data-parallel updates every rank holds the same weights; with
 * minibatches = K each rank's share of a minibatch is n_envs*n_steps/K */
static void ranks_stay_in_sync(int minibatches) {
    rs_ppo_config c;
    rs_ppo_config_default(&c);
    c.n_envs = 2;
    c.n_steps = 128;
    c.minibatch = 64;
    c.minibatches = minibatches;
    /* an early stop on KL must be the same decision on every rank (the mean
     * KL over all ranks), or the ranks' allreduces would pair up wrongly */
    if (minibatches) c.target_kl = 0.002;
    c.epochs = 2;
    c.total_steps = 3 * 256 * rs_mpi_size();
    c.threads = 1;
    rs_ppo *p = rs_ppo_new(&c);
    CHECK(p != NULL, "%s", rs_last_error());
    if (!p) return;
    rs_ppo_stats st;
    while (rs_ppo_update_index(p) < rs_ppo_num_updates(p)) CHECK(rs_ppo_iterate(p, &st) == 0, "%s", rs_last_error());
    rs_policy *pol = rs_ppo_policy(p);
    size_t n = pol->pi->n_params;
    float *mine = malloc(sizeof(float) * n), *r0 = malloc(sizeof(float) * n);
    memcpy(mine, pol->pi->params, sizeof(float) * n);
    memcpy(r0, mine, sizeof(float) * n);
    rs_mpi_bcast_f32(r0, n, 0);
    CHECK(memcmp(mine, r0, sizeof(float) * n) == 0, "rank %d's weights differ from rank 0's", rs_mpi_rank());
    double obs_mean0 = pol->norm->mean[0], m0 = obs_mean0;
    rs_mpi_sum_f64(&m0, 1);
    CHECK_CLOSE(m0 / rs_mpi_size(), obs_mean0, 0, 0, "normaliser differs across ranks");
    CHECK(rs_ppo_global_step(p) == 3L * 256 * rs_mpi_size(), "global step %ld", rs_ppo_global_step(p));
    int want = minibatches ? 256 / minibatches : 64 / rs_mpi_size();
    CHECK(rs_ppo_rank_minibatch(p) == want, "this rank computes %d samples per minibatch, not %d",
          rs_ppo_rank_minibatch(p), want);
    free(mine);
    free(r0);
    rs_ppo_free(p);
}

static void test_ranks_stay_in_sync(void) { ranks_stay_in_sync(0); }
static void test_ranks_stay_in_sync_minibatches(void) {
    rs_ppo_config c;
    rs_ppo_config_default(&c);
    c.n_envs = 2;
    c.n_steps = 128;
    c.minibatches = 4;
    CHECK(rs_ppo_global_minibatch(&c, rs_mpi_size()) == 64 * rs_mpi_size(), "global minibatch %d",
          rs_ppo_global_minibatch(&c, rs_mpi_size()));
    ranks_stay_in_sync(4);
}

int main(int argc, char **argv) {
    rs_mpi_init(&argc, &argv);
    static const rs_test_case cases[] = {T(test_allreduced_gradient), T(test_global_advantage_norm),
                                         T(test_merged_normaliser),
                                         T(test_ranks_stay_in_sync),
                                         T(test_ranks_stay_in_sync_minibatches)};
    int rc = rs_test_run(__FILE__, cases, (int)(sizeof cases / sizeof cases[0]));
    /* every rank must agree on the verdict */
    double bad = rc;
    rs_mpi_sum_f64(&bad, 1);
    if (rs_mpi_rank() != 0) fflush(stdout);
    rs_mpi_finalize();
    return bad > 0;
}
