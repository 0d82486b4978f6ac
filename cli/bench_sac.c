/* bench_sac.c — `rsoup bench train --algo sac`: SAC update throughput against
 * the machine's own sgemm, measured in the same run (lab/rs_bench.h
 * measures; this file reads the options and prints). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_bench.h"
#include "rs_blas.h"

int cmd_bench_train_sac(int argc, char **argv);

static const char *shape_name(char *buf, size_t cap, const rs_bench_gemm *g) {
    snprintf(buf, cap, "%c%c %dx%dx%d", g->ta ? 'T' : 'N', g->tb ? 'T' : 'N', g->M, g->N, g->K);
    return buf;
}

static void print_json(const rs_env_spec *s, const rs_sac_config *c, const rs_bench_sac_result *b,
                       double load) {
    const double flops = b->flops;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "env", s->name);
    cJSON_AddStringToObject(o, "arch", c->arch);
    cJSON_AddNumberToObject(o, "batch", (double)c->batch_size);
    cJSON_AddNumberToObject(o, "cores", rs_ncores());
    rs_cli_json_load(o, load);
    cJSON_AddNumberToObject(o, "pool_threads", b->pool_threads);
    cJSON_AddNumberToObject(o, "flops_per_update", flops);
    cJSON_AddNumberToObject(o, "critic_flops", b->critic_flops);
    cJSON_AddNumberToObject(o, "actor_flops", b->actor_flops);
    cJSON_AddNumberToObject(o, "sgemm256_1t_gflops", b->peak1);
    cJSON_AddNumberToObject(o, "sgemm256_2t_gflops", b->peak2);
    cJSON_AddNumberToObject(o, "peak_gflops", b->peak);
    cJSON *arr = cJSON_AddArrayToObject(o, "shapes");
    for (int i = 0; i < b->n_shapes; i++) {
        const rs_bench_gemm *g = &b->shapes[i];
        cJSON *x = cJSON_CreateObject();
        char name[64];
        cJSON_AddStringToObject(x, "shape", shape_name(name, sizeof name, g));
        cJSON_AddNumberToObject(x, "calls_per_update", g->calls);
        cJSON_AddNumberToObject(x, "us", g->s * 1e6);
        cJSON_AddNumberToObject(x, "gflops", 2.0 * g->M * g->N * g->K / g->s / 1e9);
        cJSON_AddItemToArray(arr, x);
    }
    cJSON_AddNumberToObject(o, "sgemm_only_updates_per_s", 1.0 / b->sgemm_s);
    cJSON *modes = cJSON_AddArrayToObject(o, "modes");
    for (int m = 0; m < RS_BENCH_SAC_MODES; m++) {
        if (!b->ups[m]) continue;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "mode", rs_bench_sac_modes[m]);
        cJSON_AddNumberToObject(x, "updates_per_s", b->ups[m]);
        cJSON_AddNumberToObject(x, "gflops", flops * b->ups[m] / 1e9);
        cJSON_AddNumberToObject(x, "of_peak", flops * b->ups[m] / 1e9 / b->peak);
        cJSON_AddNumberToObject(x, "of_round_peak_median", b->med[m]);
        cJSON_AddNumberToObject(x, "of_round_peak_min", b->lo[m]);
        cJSON_AddNumberToObject(x, "of_round_peak_max", b->hi[m]);
        cJSON_AddItemToArray(modes, x);
    }
    cJSON_AddStringToObject(o, "fastest_mode", rs_bench_sac_modes[b->best]);
    const int t = b->trained > 0;
    cJSON_AddNumberToObject(o, "train_steps", (double)b->trained);
    cJSON_AddNumberToObject(o, "train_steps_per_s", b->train_sps);
    cJSON_AddNumberToObject(o, "update_fraction", t ? b->update_s / b->train_s : NAN);
    cJSON_AddNumberToObject(o, "env_fraction", t ? b->env_s / b->train_s : NAN);
    cJSON_AddNumberToObject(o, "act_fraction", t ? b->act_s / b->train_s : NAN);
    cJSON_AddNumberToObject(o, "env_only_steps_per_s", b->env_sps);
    cJSON_AddNumberToObject(o, "peak_rss_mb", b->peak_rss_mb);
    cJSON_AddStringToObject(o, "blas", rs_blas_provenance());
    rs_json_print(o);
}

static void print_text(const rs_env_spec *s, const rs_sac_config *c, const rs_bench_sac_result *b,
                       long updates, long repeat) {
    const double flops = b->flops;
    printf("SAC on %s: %s ReLU, batch %d, %d cores, pool %d threads\n", s->name, c->arch,
           c->batch_size, rs_ncores(), b->pool_threads);
    printf("  %s\n", rs_blas_provenance());
    printf("  sgemm 256x256x256           %7.1f GFLOP/s 1 thread, %7.1f GFLOP/s 2 threads\n",
           b->peak1, b->peak2);
    printf("  FLOPs per update            %.1f M (critic %.1f M, actor+alpha %.1f M); sgemm calls "
           "listed: %.1f M\n",
           flops / 1e6, b->critic_flops / 1e6, b->actor_flops / 1e6, b->counted / 1e6);
    printf("  the update's sgemm shapes, each alone on 1 thread:\n");
    printf("    %-22s %6s %9s %9s %7s\n", "shape (M x N x K)", "calls", "us/call", "GFLOP/s",
           "time%");
    for (int i = 0; i < b->n_shapes; i++) {
        const rs_bench_gemm *g = &b->shapes[i];
        char name[64];
        printf("    %-22s %6d %9.1f %9.1f %6.1f%%\n", shape_name(name, sizeof name, g), g->calls,
               g->s * 1e6, 2.0 * g->M * g->N * g->K / g->s / 1e9,
               100 * g->calls * g->s / b->sgemm_s);
    }
    printf("    sgemm alone: %.2f ms per update = %.1f updates/s (%.1f GFLOP/s)\n",
           b->sgemm_s * 1e3, 1 / b->sgemm_s, flops / b->sgemm_s / 1e9);
    printf("  updates/s on a filled buffer (best of %ld x %ld updates):\n", repeat, updates);
    for (int m = 0; m < RS_BENCH_SAC_MODES; m++) {
        if (!b->ups[m]) continue;
        printf("    %-28s %7.1f updates/s  %6.1f GFLOP/s  %5.1f%% of the 2-thread peak%s\n",
               rs_bench_sac_modes[m], b->ups[m], flops * b->ups[m] / 1e9,
               100 * flops * b->ups[m] / 1e9 / b->peak, m == b->best ? "  <- fastest" : "");
    }
    printf("  each round against the peak timed just before it (median, min-max of %ld):\n",
           repeat);
    for (int m = 0; m < RS_BENCH_SAC_MODES; m++)
        if (b->ups[m])
            printf("    %-28s %5.1f%% (%.1f-%.1f%%)\n", rs_bench_sac_modes[m], 100 * b->med[m],
                   100 * b->lo[m], 100 * b->hi[m]);
    if (b->trained > 0)
        printf(
            "  training (utd 1, batch halves on the pool): %.1f steps/s; time in updates %.0f%%, "
            "env %.1f%%, acting %.1f%%\n",
            b->train_sps, 100 * b->update_s / b->train_s, 100 * b->env_s / b->train_s,
            100 * b->act_s / b->train_s);
    printf("  env alone (random actions, 1 env): %.0f steps/s\n", b->env_sps);
    printf("  peak RSS %.1f MB\n", b->peak_rss_mb);
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
    const rs_bench_sac_req req = {updates, (int)repeat, 5000};
    c.batch_size = (int)batch;
    c.threads = (int)threads;
    c.buffer_size = req.fill + steps + 10;
    c.learning_starts = req.fill;
    c.log_every = 1000;
    c.total_steps = req.fill + steps;
    rs_bench_sac_result b;
    if (rs_bench_sac(&c, &req, &b) != 0) return rs_cli_fail(NULL);
    if (json)
        print_json(s, &c, &b, load);
    else
        print_text(s, &c, &b, updates, repeat);
    return 0;
}
