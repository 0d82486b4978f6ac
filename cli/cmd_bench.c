/* cmd_bench.c — `rsoup bench`: throughput measured against MuJoCo's own
 * stepping in the same run, so results are quoted as ratios
 * (lab/rs_bench.h measures; this file reads the options and prints).
 * `bench train --algo sac` is bench_sac.c's. */
#include <string.h>

#include "cli.h"
#include "rs_bench.h"
#include "rs_blas.h"

/* one env's line of the table, or its JSON object in arr */
static void print_env(const rs_env_spec *s, const rs_bench_env_result *b, cJSON *arr) {
    double sub = (double)b->env_steps * s->frame_skip;
    double raw = sub / b->raw_s, api = sub / b->env_s;
    double v1 = b->vec_steps / b->vec1_s, vt = b->vec_steps / b->vect_s;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "env", s->name);
        cJSON_AddNumberToObject(o, "raw_mj_steps_per_s", raw);
        cJSON_AddNumberToObject(o, "env_mj_steps_per_s", api);
        cJSON_AddNumberToObject(o, "env_steps_per_s", api / s->frame_skip);
        cJSON_AddNumberToObject(o, "env_over_raw", api / raw);
        cJSON_AddNumberToObject(o, "vec_envs", b->n_envs);
        cJSON_AddNumberToObject(o, "vec_threads", b->threads);
        cJSON_AddNumberToObject(o, "vec_1thread_env_steps_per_s", v1);
        cJSON_AddNumberToObject(o, "vec_threads_env_steps_per_s", vt);
        cJSON_AddNumberToObject(o, "thread_speedup", vt / v1);
        cJSON_AddItemToArray(arr, o);
    } else {
        printf("%-12s %14.0f %14.0f %7.3f %13.0f %13.0f %7.2fx\n", s->name, raw, api, api / raw, v1,
               vt, vt / v1);
        fflush(stdout);
    }
}

static int cmd_bench_env(int argc, char **argv) {
    static const rs_cmd_info info = {
        "bench env",
        "rsoup bench env [--env E|all] [--model FILE] [--steps N] [--threads T] [--json]",
        "Measure, in one run, raw mj_step throughput on the env's own model and\n"
        "trajectory, the env API's throughput single-threaded (ratio: env / raw,\n"
        "1.0 = no overhead), and the batched vecenv on 1 and T threads (speedup).\n"
        "Rates are MuJoCo substeps/s (mj_step calls) and env steps/s.",
        "The raw loop replays the env's exact trajectory (same reset states, same\n"
        "random actions), so both simulate identical states; timings are the best of\n"
        "--repeat interleaved runs. The single-thread pair is timed in thread CPU\n"
        "time (immune to a shared VM's steal time), the batched runs in wall time.\n"
        "A 1-minute load average above the core count at the start is warned about\n"
        "(and recorded in JSON: load_1min, load_over_cores): other work then shares\n"
        "the CPUs and the figures are not the machine's."};
    rs_opt opts[] = {
        {"env", "E", "environment, or 'all'", "all", NULL, 0},
        {"steps", "N", "env steps per timing", "20000", NULL, 0},
        {"threads", "T", "threads for the batched run (0: all cores)", "0", NULL, 0},
        {"envs", "N", "envs in the batched run", "16", NULL, 0},
        {"repeat", "R", "timings per measurement (best is kept)", "3", NULL, 0},
        {"model", "FILE", "MJCF variant of the robot (with --env)", NULL, NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    int rc = rs_cli_parse(&info, opts, no, argc, argv, NULL, NULL, 0);
    if (rc) return rc < 0 ? 2 : 0;
    long steps, threads, n_envs, repeat;
    if (rs_opt_long(opts, no, "steps", 100, 100000000, &steps) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads) ||
        rs_opt_long(opts, no, "envs", 1, 4096, &n_envs) ||
        rs_opt_long(opts, no, "repeat", 1, 100, &repeat))
        return 2;
    if (threads == 0) threads = rs_ncores();
    const char *env = rs_opt_str(opts, no, "env");
    int all = !strcmp(env, "all");
    if (!all && !rs_env_find(env)) return rs_cli_bad_arg("bench env");
    const char *model = rs_opt_str(opts, no, "model");
    if (model && all) {
        fprintf(stderr, "rsoup bench env: --model is one robot's variant: give --env too\n");
        return 2;
    }
    int json = rs_opt_flag(opts, no, "json");
    const double load = rs_cli_load_check("bench env");
    cJSON *root = NULL, *arr = NULL;
    if (json) {
        root = cJSON_CreateObject();
        cJSON_AddNumberToObject(root, "cores", rs_ncores());
        rs_cli_json_load(root, load);
        if (model) cJSON_AddStringToObject(root, "model", model);
        arr = cJSON_AddArrayToObject(root, "envs");
    } else {
        printf("%-12s %14s %14s %7s %13s %13s %8s\n", "env", "raw mj_step/s", "env mj_step/s",
               "env/raw", "vec 1T step/s", "vec T step/s", "speedup");
    }
    for (int i = 0; i < rs_env_count(); i++) {
        const rs_env_spec *s = rs_env_spec_at(i);
        if (!all && strcmp(s->name, env)) continue;
        rs_bench_env_result b;
        if (rs_bench_env(s, model, steps, (int)threads, (int)n_envs, (int)repeat, &b) != 0) {
            cJSON_Delete(root);
            return rs_cli_fail(s->name);
        }
        print_env(s, &b, arr);
    }
    if (json)
        rs_json_print(root);
    else
        printf("\nthreads for the batched run: %ld, envs: %ld, cores: %d\n", threads, n_envs,
               rs_ncores());
    return 0;
}

int cmd_bench_train_sac(int argc, char **argv); /* bench_sac.c */

static void print_train(const rs_env_spec *s, const rs_ppo_config *c, const rs_bench_ppo_result *b,
                        double load, int json) {
    const double dt = b->wall_s, train_sps = b->steps / dt, env_sps = b->env_sps;
    const long gs = b->steps;
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "env", s->name);
        cJSON_AddNumberToObject(o, "threads", b->threads);
        cJSON_AddNumberToObject(o, "n_envs", c->n_envs);
        cJSON_AddNumberToObject(o, "steps", (double)gs);
        cJSON_AddNumberToObject(o, "env_only_steps_per_s", env_sps);
        cJSON_AddNumberToObject(o, "train_steps_per_s", train_sps);
        cJSON_AddNumberToObject(o, "train_over_env", train_sps / env_sps);
        cJSON_AddNumberToObject(o, "env_floor_steps_per_s", gs / b->env_s);
        cJSON_AddNumberToObject(o, "train_over_env_floor", b->env_s / dt);
        cJSON_AddNumberToObject(o, "rollout_fraction", b->rollout_s / dt);
        cJSON_AddNumberToObject(o, "update_fraction", b->update_s / dt);
        cJSON_AddNumberToObject(o, "peak_rss_mb", b->peak_rss_mb);
        cJSON_AddStringToObject(o, "blas", rs_blas_provenance());
        cJSON_AddNumberToObject(o, "cores", rs_ncores());
        rs_cli_json_load(o, load);
        rs_json_print(o);
        return;
    }
    printf("%s, %d envs on %d threads, %ld steps\n", s->name, c->n_envs, b->threads, gs);
    printf("  %s\n", rs_blas_provenance());
    printf("  env only (random actions)  %10.0f steps/s\n", env_sps);
    printf("  PPO training               %10.0f steps/s   ratio %.3f\n", train_sps,
           train_sps / env_sps);
    printf("  env floor of this run      %10.0f steps/s   ratio %.3f  (time inside the env step)\n",
           gs / b->env_s, b->env_s / dt);
    printf("  time in rollouts %.0f%% (env %.0f%%), in updates %.0f%%\n", 100 * b->rollout_s / dt,
           100 * b->env_s / dt, 100 * b->update_s / dt);
    printf("  peak RSS %.1f MB\n", b->peak_rss_mb);
}

/* bench train: in one run, (1) the vecenv alone with the trainer's envs and
 * threads, stepping random actions, (2) PPO training on the same setup.
 * The ratio says how much of the env floor training keeps. --algo sac hands
 * over to bench_sac.c. */
static int cmd_bench_train(int argc, char **argv) {
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--algo") && !strcmp(argv[i + 1], "sac"))
            return cmd_bench_train_sac(argc, argv);
    static const rs_cmd_info info = {
        "bench train", "rsoup bench train [--env E] [--steps N] [--threads T] [--json]",
        "Measure, in one run, env-only throughput (the trainer's vecenv: same envs and\n"
        "threads, random actions, no policy) and full PPO training throughput with\n"
        "the generic default hyperparameters (hparams cleanrl, n_envs x 2048/n_envs\n"
        "steps, for every env), their ratio, the env floor of the training run\n"
        "itself (steps over the wall time spent inside the batched env step: the\n"
        "same states the policy visited), the split of training time, and the\n"
        "process's peak resident memory.",
        "A 1-minute load average above the core count at the start is warned about\n"
        "(JSON: load_1min, load_over_cores): the figures are then not the machine's."};
    rs_opt opts[] = {
        {"algo", "A", "ppo (sac: see 'rsoup bench train --algo sac --help')", "ppo", NULL, 0},
        {"env", "E", "environment", "hopper", NULL, 0},
        {"steps", "N", "training steps to time", "100000", NULL, 0},
        {"threads", "T", "threads (0: all cores)", "0", NULL, 0},
        {"n-envs", "N", "parallel envs", "2", NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    int rc = rs_cli_parse(&info, opts, no, argc, argv, NULL, NULL, 0);
    if (rc) return rc < 0 ? 2 : 0;
    long steps, threads, n_envs;
    if (strcmp(rs_opt_str(opts, no, "algo"), "ppo")) {
        fprintf(stderr, "rsoup bench train: unknown --algo %s (ppo or sac)\n",
                rs_opt_str(opts, no, "algo"));
        return 2;
    }
    if (rs_opt_long(opts, no, "steps", 2048, 100000000, &steps) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads) ||
        rs_opt_long(opts, no, "n-envs", 1, 4096, &n_envs))
        return 2;
    rs_ppo_config c;
    rs_ppo_config_default(&c); /* the generic set: the same work per step on every env */
    strcpy(c.hparams, "cleanrl");
    snprintf(c.env, sizeof c.env, "%s", rs_opt_str(opts, no, "env"));
    const rs_env_spec *s = rs_env_find(c.env);
    if (!s) return rs_cli_bad_arg("bench train");
    const double load = rs_cli_load_check("bench train");
    c.threads = (int)threads;
    c.n_envs = (int)n_envs;
    c.n_steps = 2048 / c.n_envs > 0 ? 2048 / c.n_envs : 1;
    c.total_steps = steps;
    rs_bench_ppo_result b;
    if (rs_bench_ppo(&c, &b) != 0) return rs_cli_fail(NULL);
    print_train(s, &c, &b, load, rs_opt_flag(opts, no, "json"));
    return 0;
}

int cmd_bench(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "env")) return cmd_bench_env(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "train")) return cmd_bench_train(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: rsoup bench <what> [options]\n\n"
               "  env     env API and batched stepping vs raw mj_step\n"
               "  train   PPO training throughput vs env-only throughput, memory;\n"
               "          --algo sac: SAC updates/s and GFLOP/s vs the sgemm peak\n\n"
               "'rsoup bench <what> --help' for the options of each.\n");
        return 0;
    }
    fprintf(stderr, "rsoup bench: say what to benchmark: env (see 'rsoup bench --help')\n");
    return 2;
}
