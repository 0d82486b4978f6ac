/* bench_sac.c — `rsoup bench train --algo sac`: SAC update throughput against
 * the machine's own sgemm, measured in the same run.
 *
 * (1) cblas_sgemm on 256x256x256 with 1 and 2 OpenBLAS threads: the peak the
 * update is quoted against; (2) every distinct sgemm shape one update issues,
 * timed alone: what the update would cost if it were sgemm only; (3) updates/s
 * on a filled replay buffer with the batch's two halves serial, on two pool
 * threads, and serial with 2-thread sgemm; (4) end-to-end training steps/s (acting,
 * stepping, storing, updating) next to the env alone with random actions. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"
#include "rs_blas.h"
#include "rs_sac.h"

int cmd_bench_train_sac(int argc, char **argv);

typedef struct {
    int ta, tb, M, N, K, ldb; /* ldb 0: the natural one */
    int calls;                /* per average update */
    double s;                 /* seconds per call */
} gemm_shape;

static double time_gemm(const gemm_shape *g, float *a, float *b, float *c, int reps) {
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
    gemm_shape sq = {0, 1, 256, 256, 256, 0, 1, 0};
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

static void add_shape(gemm_shape *v, int *n, int ta, int tb, int M, int N, int K, int ldb,
                      int calls) {
    for (int i = 0; i < *n; i++)
        if (v[i].ta == ta && v[i].tb == tb && v[i].M == M && v[i].N == N && v[i].K == K &&
            v[i].ldb == ldb) {
            v[i].calls += calls;
            return;
        }
    v[*n] = (gemm_shape){ta, tb, M, N, K, ldb, calls, 0};
    (*n)++;
}

/* the sgemm calls of rs_mlp_forward / rs_mlp_backward / backward_input */
static void net_fwd(gemm_shape *v, int *n, const rs_mlp *m, int B, int calls) {
    for (int l = 0; l < m->n_layers; l++)
        add_shape(v, n, 0, 1, B, m->sizes[l + 1], m->sizes[l], 0, calls);
}
static void net_bwd_w(gemm_shape *v, int *n, const rs_mlp *m, int B, int calls) {
    for (int l = 0; l < m->n_layers; l++)
        add_shape(v, n, 1, 0, m->sizes[l + 1], m->sizes[l], B, 0, calls);
}
static void net_bwd_dx(gemm_shape *v, int *n, const rs_mlp *m, int B, int calls) {
    for (int l = 1; l < m->n_layers; l++)
        add_shape(v, n, 0, 0, B, m->sizes[l], m->sizes[l + 1], 0, calls);
}

int cmd_bench_train_sac(int argc, char **argv) {
    static const rs_cmd_info info = {
        "bench train --algo sac",
        "rsoup bench train --algo sac [--env E] [--updates N] [--steps N] [--json]",
        "Measure, in one run: cblas_sgemm on 256x256x256 with 1 and 2 OpenBLAS threads\n"
        "(the peak), each sgemm shape of one SAC update timed alone, SAC updates/s on a\n"
        "filled replay buffer (the batch's two halves serial, on two threads, and serial\n"
        "with 2-thread sgemm) with the achieved GFLOP/s (sgemm FLOPs of one update, counted\n"
        "from the layer sizes, times updates/s), and end-to-end training steps/s next to\n"
        "the env alone. Default hyperparameters (CleanRL: 256-256, batch 256).",
        "Timings are the best of --repeat rounds, and the peak is timed again before\n"
        "each round: the fraction of the peak is best over best, and each round's\n"
        "updates/s over the peak timed just before it is given too (median and range:\n"
        "a slow spell of a shared machine touches both). A 1-minute load average above\n"
        "the core count at the start is warned about (JSON: load_1min, load_over_cores)."};
    rs_opt opts[] = {
        {"algo", "A", "sac (this benchmark)", "sac", NULL, 0},
        {"env", "E", "environment", "halfcheetah", NULL, 0},
        {"updates", "N", "updates per timing", "200", NULL, 0},
        {"steps", "N", "end-to-end training steps after the warm-up", "1000", NULL, 0},
        {"batch-size", "B", "batch size", "256", NULL, 0},
        {"arch", "H", "hidden sizes of actor and critics", "256,256", NULL, 0},
        {"threads", "T", "pool threads (0: all cores)", "0", NULL, 0},
        {"repeat", "R", "timings per measurement (best is kept)", "3", NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    int rc = rs_cli_parse(&info, opts, no, argc, argv, NULL, NULL, 0);
    if (rc) return rc < 0 ? 2 : 0;
    long updates, steps, batch, threads, repeat;
    if (rs_opt_long(opts, no, "updates", 1, 1000000, &updates) ||
        rs_opt_long(opts, no, "steps", 0, 100000000, &steps) ||
        rs_opt_long(opts, no, "batch-size", 1, 65536, &batch) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads) ||
        rs_opt_long(opts, no, "repeat", 1, 100, &repeat))
        return 2;
    if (strcmp(rs_opt_str(opts, no, "algo"), "sac")) {
        fprintf(stderr, "rsoup bench train: --algo %s here; this is the SAC benchmark\n",
                rs_opt_str(opts, no, "algo"));
        return 2;
    }
    int json = rs_opt_flag(opts, no, "json");
    rs_sac_config c;
    rs_sac_config_default(&c);
    if (rs_sac_config_set(&c, "env", rs_opt_str(opts, no, "env")) ||
        rs_sac_config_set(&c, "arch", rs_opt_str(opts, no, "arch")))
        return rs_cli_bad_arg("bench train");
    const rs_env_spec *s = rs_env_find(c.env);
    if (!s) return rs_cli_bad_arg("bench train");
    const double load = rs_cli_load_check("bench train");
    const long fill = 5000;
    c.batch_size = (int)batch;
    c.threads = (int)threads;
    c.buffer_size = fill + steps + 10;
    c.learning_starts = fill;
    c.log_every = 1000;
    c.total_steps = fill + steps;
    rs_sac *p = rs_sac_new(&c);
    if (!p) return rs_cli_fail(NULL);
    int pool_threads = rs_pool_size(rs_sac_vecenv(p)->pool);
    double crit_f, act_f, flops = rs_sac_update_flops(p, &crit_f, &act_f);

    /* (1) the sgemm peak */
    size_t big = 256 * 256 * 2 + 1024;
    int widest = 256;
    const rs_mlp *q = rs_sac_q(p, 0), *pi = rs_sac_policy(p)->pi;
    for (int l = 0; l <= q->n_layers; l++)
        if (q->sizes[l] > widest) widest = q->sizes[l];
    if ((size_t)widest * (size_t)(batch > 256 ? batch : 256) * 2 > big)
        big = (size_t)widest * (size_t)(batch > 256 ? batch : 256) * 2;
    float *ga = malloc(sizeof(float) * big), *gb = malloc(sizeof(float) * big),
          *gc = malloc(sizeof(float) * big);
    rs_rng rng;
    rs_rng_seed(&rng, 1, 2);
    for (size_t i = 0; i < big; i++) {
        ga[i] = (float)rs_rng_uniform_range(&rng, -1, 1);
        gb[i] = (float)rs_rng_uniform_range(&rng, -1, 1);
        gc[i] = 0;
    }
    /* timed again before each round of (3): on a shared or frequency-scaling
     * machine one short timing can catch a slow moment, and the fraction
     * quoted is best updates/s over the best peak seen in the same run */
    double peak1 = 0, peak2 = 0;
    time_peak(ga, gb, gc, (int)repeat, &peak1, &peak2);

    /* (2) the update's own shapes, each alone (1 thread). Every pass runs on
     * the batch's two halves (rs_sac.c): batch/2 and batch - batch/2 rows. */
    gemm_shape sh[64];
    int nsh = 0;
    const int A = s->act_dim, halves[2] = {(int)(batch / 2), (int)(batch - batch / 2)};
    for (int h = 0; h < 2; h++) {
        const int H = halves[h];
        if (H == 0) continue; /* a batch of 1: half 0 is empty */
        /* critic: pi(s'), 2 x [Q'(s',a'), Q(s,a), backward of Q] */
        net_fwd(sh, &nsh, pi, H, 1);
        net_fwd(sh, &nsh, q, H, 4);
        net_bwd_w(sh, &nsh, q, H, 2);
        net_bwd_dx(sh, &nsh, q, H, 2);
        /* actor step: pi(s), 2 x [Q(s,a~), dQ/da], pi backward, pi(s) for alpha */
        net_fwd(sh, &nsh, pi, H, 1 + (c.autotune ? 1 : 0));
        net_fwd(sh, &nsh, q, H, 2);
        net_bwd_dx(sh, &nsh, q, H, 2);
        add_shape(sh, &nsh, 0, 0, H, A, q->sizes[1], q->sizes[0], 2);
        net_bwd_w(sh, &nsh, pi, H, 1);
        net_bwd_dx(sh, &nsh, pi, H, 1);
    }
    double sgemm_s = 0, counted = 0;
    for (int i = 0; i < nsh; i++) {
        sh[i].s = time_gemm(&sh[i], ga, gb, gc, (int)repeat);
        sgemm_s += sh[i].calls * sh[i].s;
        counted += sh[i].calls * 2.0 * sh[i].M * sh[i].N * sh[i].K;
    }
    /* (3) updates/s on a filled buffer */
    rs_sac_stats st;
    while (rs_sac_global_step(p) < fill)
        if (rs_sac_iterate(p, &st) != 0) {
            rs_sac_free(p);
            return rs_cli_fail("warm-up");
        }
    static const char *mode_names[3] = {"serial, 1-thread sgemm", "batch halves on 2 threads",
                                        "serial, 2-thread sgemm"};
    const int mode_twin[3] = {1, 2, 1}, mode_blas[3] = {1, 1, 2};
    double ups[3] = {0, 0, 0};
    rs_sac_update_n(p, 5); /* warm caches and BLAS buffers */
    /* each round's own ratio too: updates/s over the peak timed just before
     * it, so that a slow spell of the machine touches both */
    double *round_of_peak = calloc((size_t)repeat * 3, sizeof(double));
    if (!round_of_peak) return rs_cli_fail("out of memory");
    for (int r = 0; r < repeat; r++) {
        double rp1 = 0, rp2 = 0;
        time_peak(ga, gb, gc, 3, &rp1, &rp2);
        if (rp1 > peak1) peak1 = rp1;
        if (rp2 > peak2) peak2 = rp2;
        for (int m = 0; m < 3; m++) {
            if (mode_twin[m] == 2 && pool_threads < 2) continue;
            rs_sac_set_update_threads(p, mode_twin[m], mode_blas[m]);
            double t0 = rs_now();
            if (rs_sac_update_n(p, (int)updates) != 0) {
                rs_sac_free(p);
                return rs_cli_fail("update");
            }
            double u = updates / (rs_now() - t0);
            if (u > ups[m]) ups[m] = u;
            round_of_peak[m * repeat + r] = flops * u / 1e9 / (rp2 > rp1 ? rp2 : rp1);
        }
    }
    double med[3] = {0, 0, 0}, lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0};
    for (int m = 0; m < 3; m++) {
        double *x = round_of_peak + m * repeat;
        qsort(x, (size_t)repeat, sizeof *x, cmp_double);
        med[m] = repeat % 2 ? x[repeat / 2] : 0.5 * (x[repeat / 2 - 1] + x[repeat / 2]);
        lo[m] = x[0];
        hi[m] = x[repeat - 1];
    }
    free(round_of_peak);
    rs_sac_set_update_threads(p, 2, c.blas_threads);
    time_peak(ga, gb, gc, 1, &peak1, &peak2);
    free(ga);
    free(gb);
    free(gc);
    const double peak = peak2 > peak1 ? peak2 : peak1;

    /* (4) end-to-end, and the env alone */
    double env_s = 0, upd_s = 0, act_s = 0, t0 = rs_now();
    long s0 = rs_sac_global_step(p);
    while (rs_sac_iter_index(p) < rs_sac_num_iters(p)) {
        if (rs_sac_iterate(p, &st) != 0) {
            rs_sac_free(p);
            return rs_cli_fail("train");
        }
        env_s += st.env_s;
        upd_s += st.update_s;
        act_s += st.act_s;
    }
    double train_dt = rs_now() - t0;
    long trained = rs_sac_global_step(p) - s0;
    double train_sps = trained > 0 ? trained / train_dt : NAN;
    rs_sac_free(p);
    rs_vecenv *v = rs_vecenv_new(s, NULL, 1, NULL, 1, NULL, 1);
    if (!v) return rs_cli_fail(NULL);
    float act[64];
    t0 = rs_now();
    long env_steps = 20000;
    for (long k = 0; k < env_steps; k++) {
        for (int j = 0; j < A; j++)
            act[j] = (float)rs_rng_uniform_range(&rng, -s->act_bound, s->act_bound);
        rs_vecenv_step(v, act);
    }
    double env_sps = env_steps / (rs_now() - t0);
    rs_vecenv_free(v);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double rss_mb = ru.ru_maxrss / 1024.0;
    int best = 0;
    for (int m = 1; m < 3; m++)
        if (ups[m] > ups[best]) best = m;

    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "env", s->name);
        cJSON_AddStringToObject(o, "arch", c.arch);
        cJSON_AddNumberToObject(o, "batch", (double)batch);
        cJSON_AddNumberToObject(o, "cores", rs_ncores());
        rs_cli_json_load(o, load);
        cJSON_AddNumberToObject(o, "pool_threads", pool_threads);
        cJSON_AddNumberToObject(o, "flops_per_update", flops);
        cJSON_AddNumberToObject(o, "critic_flops", crit_f);
        cJSON_AddNumberToObject(o, "actor_flops", act_f);
        cJSON_AddNumberToObject(o, "sgemm256_1t_gflops", peak1);
        cJSON_AddNumberToObject(o, "sgemm256_2t_gflops", peak2);
        cJSON_AddNumberToObject(o, "peak_gflops", peak);
        cJSON *arr = cJSON_AddArrayToObject(o, "shapes");
        for (int i = 0; i < nsh; i++) {
            cJSON *g = cJSON_CreateObject();
            char name[64];
            snprintf(name, sizeof name, "%c%c %dx%dx%d", sh[i].ta ? 'T' : 'N', sh[i].tb ? 'T' : 'N',
                     sh[i].M, sh[i].N, sh[i].K);
            cJSON_AddStringToObject(g, "shape", name);
            cJSON_AddNumberToObject(g, "calls_per_update", sh[i].calls);
            cJSON_AddNumberToObject(g, "us", sh[i].s * 1e6);
            cJSON_AddNumberToObject(g, "gflops", 2.0 * sh[i].M * sh[i].N * sh[i].K / sh[i].s / 1e9);
            cJSON_AddItemToArray(arr, g);
        }
        cJSON_AddNumberToObject(o, "sgemm_only_updates_per_s", 1.0 / sgemm_s);
        cJSON *modes = cJSON_AddArrayToObject(o, "modes");
        for (int m = 0; m < 3; m++) {
            if (!ups[m]) continue;
            cJSON *g = cJSON_CreateObject();
            cJSON_AddStringToObject(g, "mode", mode_names[m]);
            cJSON_AddNumberToObject(g, "updates_per_s", ups[m]);
            cJSON_AddNumberToObject(g, "gflops", flops * ups[m] / 1e9);
            cJSON_AddNumberToObject(g, "of_peak", flops * ups[m] / 1e9 / peak);
            cJSON_AddNumberToObject(g, "of_round_peak_median", med[m]);
            cJSON_AddNumberToObject(g, "of_round_peak_min", lo[m]);
            cJSON_AddNumberToObject(g, "of_round_peak_max", hi[m]);
            cJSON_AddItemToArray(modes, g);
        }
        cJSON_AddStringToObject(o, "fastest_mode", mode_names[best]);
        cJSON_AddNumberToObject(o, "train_steps", (double)trained);
        cJSON_AddNumberToObject(o, "train_steps_per_s", train_sps);
        cJSON_AddNumberToObject(o, "update_fraction", trained > 0 ? upd_s / train_dt : NAN);
        cJSON_AddNumberToObject(o, "env_fraction", trained > 0 ? env_s / train_dt : NAN);
        cJSON_AddNumberToObject(o, "act_fraction", trained > 0 ? act_s / train_dt : NAN);
        cJSON_AddNumberToObject(o, "env_only_steps_per_s", env_sps);
        cJSON_AddNumberToObject(o, "peak_rss_mb", rss_mb);
        cJSON_AddStringToObject(o, "blas", rs_blas_provenance());
        rs_json_print(o);
        return 0;
    }
    printf("SAC on %s: %s ReLU, batch %d, %d cores, pool %d threads\n", s->name, c.arch, (int)batch,
           rs_ncores(), pool_threads);
    printf("  %s\n", rs_blas_provenance());
    printf("  sgemm 256x256x256           %7.1f GFLOP/s 1 thread, %7.1f GFLOP/s 2 threads\n", peak1,
           peak2);
    printf("  FLOPs per update            %.1f M (critic %.1f M, actor+alpha %.1f M); sgemm calls "
           "listed: %.1f M\n",
           flops / 1e6, crit_f / 1e6, act_f / 1e6, counted / 1e6);
    printf("  the update's sgemm shapes, each alone on 1 thread:\n");
    printf("    %-22s %6s %9s %9s %7s\n", "shape (M x N x K)", "calls", "us/call", "GFLOP/s",
           "time%");
    for (int i = 0; i < nsh; i++) {
        char name[64];
        snprintf(name, sizeof name, "%c%c %dx%dx%d", sh[i].ta ? 'T' : 'N', sh[i].tb ? 'T' : 'N',
                 sh[i].M, sh[i].N, sh[i].K);
        printf("    %-22s %6d %9.1f %9.1f %6.1f%%\n", name, sh[i].calls, sh[i].s * 1e6,
               2.0 * sh[i].M * sh[i].N * sh[i].K / sh[i].s / 1e9,
               100 * sh[i].calls * sh[i].s / sgemm_s);
    }
    printf("    sgemm alone: %.2f ms per update = %.1f updates/s (%.1f GFLOP/s)\n", sgemm_s * 1e3,
           1 / sgemm_s, flops / sgemm_s / 1e9);
    printf("  updates/s on a filled buffer (best of %ld x %ld updates):\n", repeat, updates);
    for (int m = 0; m < 3; m++) {
        if (!ups[m]) continue;
        printf("    %-28s %7.1f updates/s  %6.1f GFLOP/s  %5.1f%% of the 2-thread peak%s\n",
               mode_names[m], ups[m], flops * ups[m] / 1e9, 100 * flops * ups[m] / 1e9 / peak,
               m == best ? "  <- fastest" : "");
    }
    printf("  each round against the peak timed just before it (median, min-max of %ld):\n",
           repeat);
    for (int m = 0; m < 3; m++)
        if (ups[m])
            printf("    %-28s %5.1f%% (%.1f-%.1f%%)\n", mode_names[m], 100 * med[m], 100 * lo[m],
                   100 * hi[m]);
    if (trained > 0)
        printf(
            "  training (utd 1, batch halves on the pool): %.1f steps/s; time in updates %.0f%%, "
            "env %.1f%%, acting %.1f%%\n",
            train_sps, 100 * upd_s / train_dt, 100 * env_s / train_dt, 100 * act_s / train_dt);
    printf("  env alone (random actions, 1 env): %.0f steps/s\n", env_sps);
    printf("  peak RSS %.1f MB\n", rss_mb);
    return 0;
}
