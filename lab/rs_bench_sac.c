/* rs_bench_sac.c — SAC update throughput against the machine's own sgemm,
 * measured in the same run (rs_bench.h). */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_bench.h"
#include "rs_common.h"
#include "rs_pool.h"
#include "rs_vecenv.h"

const char *const rs_bench_sac_modes[RS_BENCH_SAC_MODES] = {
    "serial, 1-thread sgemm", "batch halves on 2 threads", "serial, 2-thread sgemm"};

static double time_gemm(const rs_bench_gemm *g, float *a, float *b, float *c, int reps) {
    int lda = g->ta ? g->M : g->K, ldb = g->ldb ? g->ldb : (g->tb ? g->K : g->N);
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        /* enough calls per timing to span ~5 ms */
        double flops = 2.0 * g->M * g->N * g->K;
        int n = (int)(5e-3 * 50e9 / flops) + 1;
        double t0 = rs_now();
        for (int i = 0; i < n; i++)
            cblas_sgemm(CblasRowMajor, g->ta ? CblasTrans : CblasNoTrans,
                        g->tb ? CblasTrans : CblasNoTrans, g->M, g->N, g->K, 1.0f, a, lda, b, ldb,
                        1.0f, c, g->N);
        double dt = (rs_now() - t0) / n;
        if (dt < best) best = dt;
    }
    return best;
}

/* the peak: 256^3 sgemm on 1 and on 2 OpenBLAS threads (GFLOP/s), the best
 * of what *p1 / *p2 hold and reps new timings; leaves OpenBLAS on 1 thread */
static void time_peak(float *a, float *b, float *c, int reps, double *p1, double *p2) {
    rs_bench_gemm sq = {0, 1, 256, 256, 256, 0, 1, 0};
    const double flops = 2.0 * 256 * 256 * 256;
    for (int th = 1; th <= 2; th++) {
        openblas_set_num_threads(th);
        double g = flops / time_gemm(&sq, a, b, c, reps) / 1e9;
        double *best = th == 1 ? p1 : p2;
        if (g > *best) *best = g;
    }
    openblas_set_num_threads(1);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void add_shape(rs_bench_gemm *v, int *n, int ta, int tb, int M, int N, int K, int ldb,
                      int calls) {
    for (int i = 0; i < *n; i++)
        if (v[i].ta == ta && v[i].tb == tb && v[i].M == M && v[i].N == N && v[i].K == K &&
            v[i].ldb == ldb) {
            v[i].calls += calls;
            return;
        }
    v[*n] = (rs_bench_gemm){ta, tb, M, N, K, ldb, calls, 0};
    (*n)++;
}

/* the sgemm calls of rs_mlp_forward / rs_mlp_backward / backward_input */
static void net_fwd(rs_bench_gemm *v, int *n, const rs_mlp *m, int B, int calls) {
    for (int l = 0; l < m->n_layers; l++)
        add_shape(v, n, 0, 1, B, m->sizes[l + 1], m->sizes[l], 0, calls);
}
static void net_bwd_w(rs_bench_gemm *v, int *n, const rs_mlp *m, int B, int calls) {
    for (int l = 0; l < m->n_layers; l++)
        add_shape(v, n, 1, 0, m->sizes[l + 1], m->sizes[l], B, 0, calls);
}
static void net_bwd_dx(rs_bench_gemm *v, int *n, const rs_mlp *m, int B, int calls) {
    for (int l = 1; l < m->n_layers; l++)
        add_shape(v, n, 0, 0, B, m->sizes[l], m->sizes[l + 1], 0, calls);
}

/* the update's own shapes, each timed alone (1 thread). Every pass runs on
 * the batch's two halves (rs_sac.c): batch/2 and batch - batch/2 rows. */
static void time_shapes(rs_sac *p, const rs_sac_config *c, float *ga, float *gb, float *gc,
                        int repeat, rs_bench_sac_result *out) {
    rs_bench_gemm *sh = out->shapes;
    int nsh = 0;
    const long batch = c->batch_size;
    const rs_mlp *q = rs_sac_q(p, 0), *pi = rs_sac_policy(p)->pi;
    const int A = rs_env_find(c->env)->act_dim,
              halves[2] = {(int)(batch / 2), (int)(batch - batch / 2)};
    for (int h = 0; h < 2; h++) {
        const int H = halves[h];
        if (H == 0) continue; /* a batch of 1: half 0 is empty */
        /* critic: pi(s'), 2 x [Q'(s',a'), Q(s,a), backward of Q] */
        net_fwd(sh, &nsh, pi, H, 1);
        net_fwd(sh, &nsh, q, H, 4);
        net_bwd_w(sh, &nsh, q, H, 2);
        net_bwd_dx(sh, &nsh, q, H, 2);
        /* actor step: pi(s), 2 x [Q(s,a~), dQ/da], pi backward, pi(s) for alpha */
        net_fwd(sh, &nsh, pi, H, 1 + (c->autotune ? 1 : 0));
        net_fwd(sh, &nsh, q, H, 2);
        net_bwd_dx(sh, &nsh, q, H, 2);
        add_shape(sh, &nsh, 0, 0, H, A, q->sizes[1], q->sizes[0], 2);
        net_bwd_w(sh, &nsh, pi, H, 1);
        net_bwd_dx(sh, &nsh, pi, H, 1);
    }
    out->n_shapes = nsh;
    out->sgemm_s = out->counted = 0;
    for (int i = 0; i < nsh; i++) {
        sh[i].s = time_gemm(&sh[i], ga, gb, gc, repeat);
        out->sgemm_s += sh[i].calls * sh[i].s;
        out->counted += sh[i].calls * 2.0 * sh[i].M * sh[i].N * sh[i].K;
    }
}

/* updates/s in each mode, best of repeat rounds, each round's fraction of
 * the peak timed just before it (so that a slow spell of the machine
 * touches both) */
static int time_updates(rs_sac *p, const rs_bench_sac_req *req, float *ga, float *gb, float *gc,
                        rs_bench_sac_result *out) {
    const int mode_twin[3] = {1, 2, 1}, mode_blas[3] = {1, 1, 2};
    const int repeat = req->repeat;
    rs_sac_update_n(p, 5); /* warm caches and BLAS buffers */
    double *round_of_peak = calloc((size_t)repeat * 3, sizeof(double));
    if (!round_of_peak) {
        rs_set_error("out of memory: %s", rs_last_error());
        return -1;
    }
    for (int r = 0; r < repeat; r++) {
        double rp1 = 0, rp2 = 0;
        time_peak(ga, gb, gc, 3, &rp1, &rp2);
        if (rp1 > out->peak1) out->peak1 = rp1;
        if (rp2 > out->peak2) out->peak2 = rp2;
        for (int m = 0; m < 3; m++) {
            if (mode_twin[m] == 2 && out->pool_threads < 2) continue;
            rs_sac_set_update_threads(p, mode_twin[m], mode_blas[m]);
            double t0 = rs_now();
            if (rs_sac_update_n(p, (int)req->updates) != 0) {
                rs_set_error("update: %s", rs_last_error());
                free(round_of_peak);
                return -1;
            }
            double u = req->updates / (rs_now() - t0);
            if (u > out->ups[m]) out->ups[m] = u;
            round_of_peak[m * repeat + r] = out->flops * u / 1e9 / (rp2 > rp1 ? rp2 : rp1);
        }
    }
    for (int m = 0; m < 3; m++) {
        double *x = round_of_peak + m * repeat;
        qsort(x, (size_t)repeat, sizeof *x, cmp_double);
        out->med[m] = repeat % 2 ? x[repeat / 2] : 0.5 * (x[repeat / 2 - 1] + x[repeat / 2]);
        out->lo[m] = x[0];
        out->hi[m] = x[repeat - 1];
    }
    free(round_of_peak);
    return 0;
}

/* end-to-end training, then the env alone */
static int time_training(rs_sac *p, rs_bench_sac_result *out) {
    rs_sac_stats st;
    double t0 = rs_now();
    long s0 = rs_sac_global_step(p);
    while (rs_sac_iter_index(p) < rs_sac_num_iters(p)) {
        if (rs_sac_iterate(p, &st) != 0) {
            rs_set_error("train: %s", rs_last_error());
            return -1;
        }
        out->env_s += st.env_s;
        out->update_s += st.update_s;
        out->act_s += st.act_s;
    }
    out->train_s = rs_now() - t0;
    out->trained = rs_sac_global_step(p) - s0;
    out->train_sps = out->trained > 0 ? out->trained / out->train_s : NAN;
    return 0;
}

static int time_env(const rs_env_spec *s, rs_rng *rng, rs_bench_sac_result *out) {
    rs_vecenv *v = rs_vecenv_new(s, NULL, 1, NULL, 1, NULL, 1);
    if (!v) return -1;
    float act[64];
    double t0 = rs_now();
    long env_steps = 20000;
    for (long k = 0; k < env_steps; k++) {
        for (int j = 0; j < s->act_dim; j++)
            act[j] = (float)rs_rng_uniform_range(rng, -s->act_bound, s->act_bound);
        rs_vecenv_step(v, act);
    }
    out->env_sps = env_steps / (rs_now() - t0);
    rs_vecenv_free(v);
    return 0;
}

int rs_bench_sac(const rs_sac_config *c, const rs_bench_sac_req *req, rs_bench_sac_result *out) {
    memset(out, 0, sizeof *out);
    const rs_env_spec *s = rs_env_find(c->env);
    if (!s) return -1;
    rs_sac *p = rs_sac_new(c);
    if (!p) return -1;
    out->pool_threads = rs_pool_size(rs_sac_vecenv(p)->pool);
    out->flops = rs_sac_update_flops(p, &out->critic_flops, &out->actor_flops);
    const long batch = c->batch_size;

    /* (1) the sgemm peak, on buffers as large as the widest layer's */
    size_t big = 256 * 256 * 2 + 1024;
    int widest = 256;
    const rs_mlp *q = rs_sac_q(p, 0);
    for (int l = 0; l <= q->n_layers; l++)
        if (q->sizes[l] > widest) widest = q->sizes[l];
    if ((size_t)widest * (size_t)(batch > 256 ? batch : 256) * 2 > big)
        big = (size_t)widest * (size_t)(batch > 256 ? batch : 256) * 2;
    float *ga = malloc(sizeof(float) * big), *gb = malloc(sizeof(float) * big),
          *gc = malloc(sizeof(float) * big);
    rs_rng rng;
    rs_rng_seed(&rng, 1, 2);
    int rc = -1;
    if (!ga || !gb || !gc) {
        rs_set_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < big; i++) {
        ga[i] = (float)rs_rng_uniform_range(&rng, -1, 1);
        gb[i] = (float)rs_rng_uniform_range(&rng, -1, 1);
        gc[i] = 0;
    }
    /* timed again before each round of (3): on a shared or frequency-scaling
     * machine one short timing can catch a slow moment, and the fraction
     * quoted is best updates/s over the best peak seen in the same run */
    time_peak(ga, gb, gc, req->repeat, &out->peak1, &out->peak2);
    /* (2) the update's own shapes */
    time_shapes(p, c, ga, gb, gc, req->repeat, out);
    /* (3) updates/s on a filled buffer */
    rs_sac_stats st;
    while (rs_sac_global_step(p) < req->fill)
        if (rs_sac_iterate(p, &st) != 0) {
            rs_set_error("warm-up: %s", rs_last_error());
            goto out;
        }
    if (time_updates(p, req, ga, gb, gc, out) != 0) goto out;
    rs_sac_set_update_threads(p, 2, c->blas_threads);
    time_peak(ga, gb, gc, 1, &out->peak1, &out->peak2);
    out->peak = out->peak2 > out->peak1 ? out->peak2 : out->peak1;
    /* freed before training, so that the peak memory is training's */
    free(ga);
    free(gb);
    free(gc);
    ga = gb = gc = NULL;
    /* (4) end-to-end, and the env alone */
    if (time_training(p, out) != 0) goto out;
    rs_sac_free(p);
    p = NULL;
    if (time_env(s, &rng, out) != 0) goto out;
    out->peak_rss_mb = rs_bench_peak_rss_mb();
    out->best = 0;
    for (int m = 1; m < 3; m++)
        if (out->ups[m] > out->ups[out->best]) out->best = m;
    rc = 0;
out:
    rs_sac_free(p);
    free(ga);
    free(gb);
    free(gc);
    return rc;
}
