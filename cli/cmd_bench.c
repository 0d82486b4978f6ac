/* cmd_bench.c — `rsoup bench`: throughput measured against MuJoCo's own
 * stepping in the same run, so results are quoted as ratios.
 *
 * bench env: (1) raw mj_step replaying exactly the env's trajectory (same
 * reset states, same actions: a bit-identical simulation, minus everything
 * the env adds); (2) the env API on that trajectory, single-threaded;
 * (3) the batched vecenv on 1 and T threads. Each timing is the best of
 * --repeat runs, interleaved, to keep a shared machine's noise out. */
#include <math.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_blas.h"
#include "rs_ppo.h"
#include "rs_vecenv.h"

#include <sys/resource.h>

typedef struct {
    double raw_s, env_s, vec1_s, vect_s;
    long env_steps, vec_steps;
    int threads, n_envs;
} env_bench;

/* single-threaded comparisons use the thread's CPU time: on a shared VM,
 * time the host takes the vCPU away (steal) inflates wall time but is not
 * charged to the thread */
static double thread_cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int bench_env(const rs_env_spec *s, const char *model_path, long steps, int threads,
                     int n_envs, int repeat, env_bench *out) {
    /* a user's variant (--model), or the embedded model */
    mjModel *model = model_path ? rs_model_load(s, model_path) : NULL;
    if (model_path && !model) return -1;
    rs_env *e = rs_env_new(s, model, NULL, 7, 0);
    if (!e) {
        if (model) mj_deleteModel(model);
        return -1;
    }
    const mjModel *m = e->m;
    const int nq = m->nq, nv = m->nv, na = s->act_dim;
    float *acts = malloc(sizeof(float) * (size_t)steps * na);
    long cap = steps + 1, nres = 0;
    long *reset_at = malloc(sizeof(long) * (size_t)cap);
    double *reset_state = malloc(sizeof(double) * (size_t)cap * (nq + nv));
    rs_rng rng;
    rs_rng_seed(&rng, 11, 0);
    for (long k = 0; k < steps * na; k++)
        acts[k] = (float)rs_rng_uniform_range(&rng, -s->act_bound, s->act_bound);

    /* record the trajectory's reset states */
    rs_env_reset(e, NULL);
    for (long t = 0; t < steps; t++) {
        if (t == 0 || e->t == 0) {
            reset_at[nres] = t;
            memcpy(reset_state + nres * (nq + nv), e->d->qpos, sizeof(double) * nq);
            memcpy(reset_state + nres * (nq + nv) + nq, e->d->qvel, sizeof(double) * nv);
            nres++;
        }
        int term, trunc;
        rs_env_step(e, acts + t * na, NULL, NULL, NULL, &term, &trunc);
        if (term || trunc) rs_env_reset(e, NULL);
    }

    float *obs = malloc(sizeof(float) * s->obs_dim);
    double terms[RS_MAX_TERMS];
    out->raw_s = out->env_s = 1e30;
    for (int rep = 0; rep < repeat; rep++) {
        /* raw: restore the recorded state at each reset, then only mj_step */
        mjData *d = e->d;
        double t0 = thread_cpu();
        long r = 0;
        for (long t = 0; t < steps; t++) {
            if (r < nres && reset_at[r] == t) {
                mj_resetData(m, d);
                memcpy(d->qpos, reset_state + r * (nq + nv), sizeof(double) * nq);
                memcpy(d->qvel, reset_state + r * (nq + nv) + nq, sizeof(double) * nv);
                r++;
            }
            const float *a = acts + t * na;
            for (int i = 0; i < na; i++) d->ctrl[i] = a[i];
            for (int k = 0; k < s->frame_skip; k++) mj_step(m, d);
        }
        double raw = thread_cpu() - t0;
        /* the env API on the same trajectory */
        rs_env_seed(e, 7, 0);
        t0 = thread_cpu();
        rs_env_reset(e, obs);
        for (long t = 0; t < steps; t++) {
            double rew;
            int term, trunc;
            rs_env_step(e, acts + t * na, obs, terms, &rew, &term, &trunc);
            if (term || trunc) rs_env_reset(e, obs);
        }
        double env = thread_cpu() - t0;
        if (raw < out->raw_s) out->raw_s = raw;
        if (env < out->env_s) out->env_s = env;
    }
    out->env_steps = steps;
    free(obs);
    free(acts);
    free(reset_at);
    free(reset_state);
    rs_env_free(e);
    if (model) mj_deleteModel(model);

    /* batched: the same work on 1 and on T threads */
    long batches = steps / n_envs > 0 ? steps / n_envs : 1;
    out->vec_steps = batches * n_envs;
    out->threads = threads;
    out->n_envs = n_envs;
    float *vacts = malloc(sizeof(float) * (size_t)batches * n_envs * na);
    for (long k = 0; k < batches * n_envs * na; k++)
        vacts[k] = (float)rs_rng_uniform_range(&rng, -s->act_bound, s->act_bound);
    rs_vecenv *v1 = rs_vecenv_new(s, model_path, n_envs, NULL, 3, NULL, 1);
    rs_vecenv *vt = v1 ? rs_vecenv_new(s, model_path, n_envs, NULL, 3, NULL, threads) : NULL;
    if (!v1 || !vt) {
        rs_vecenv_free(v1);
        free(vacts);
        return -1;
    }
    out->vec1_s = out->vect_s = 1e30;
    for (int rep = 0; rep < repeat; rep++) {
        rs_vecenv *vs[2] = {v1, vt};
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < n_envs; i++) rs_env_seed(vs[w]->envs[i], 3, (uint64_t)i);
            rs_vecenv_reset(vs[w]);
            double t0 = rs_now();
            for (long b = 0; b < batches; b++)
                rs_vecenv_step(vs[w], vacts + b * n_envs * na);
            double dt = rs_now() - t0;
            double *best = w ? &out->vect_s : &out->vec1_s;
            if (dt < *best) *best = dt;
        }
    }
    rs_vecenv_free(v1);
    rs_vecenv_free(vt);
    free(vacts);
    return 0;
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
        env_bench b;
        if (bench_env(s, model, steps, (int)threads, (int)n_envs, (int)repeat, &b) != 0) {
            cJSON_Delete(root);
            return rs_cli_fail(s->name);
        }
        double sub = (double)b.env_steps * s->frame_skip;
        double raw = sub / b.raw_s, api = sub / b.env_s;
        double v1 = b.vec_steps / b.vec1_s, vt = b.vec_steps / b.vect_s;
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "env", s->name);
            cJSON_AddNumberToObject(o, "raw_mj_steps_per_s", raw);
            cJSON_AddNumberToObject(o, "env_mj_steps_per_s", api);
            cJSON_AddNumberToObject(o, "env_steps_per_s", api / s->frame_skip);
            cJSON_AddNumberToObject(o, "env_over_raw", api / raw);
            cJSON_AddNumberToObject(o, "vec_envs", b.n_envs);
            cJSON_AddNumberToObject(o, "vec_threads", b.threads);
            cJSON_AddNumberToObject(o, "vec_1thread_env_steps_per_s", v1);
            cJSON_AddNumberToObject(o, "vec_threads_env_steps_per_s", vt);
            cJSON_AddNumberToObject(o, "thread_speedup", vt / v1);
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("%-12s %14.0f %14.0f %7.3f %13.0f %13.0f %7.2fx\n", s->name, raw, api,
                   api / raw, v1, vt, vt / v1);
            fflush(stdout);
        }
    }
    if (json)
        rs_json_print(root);
    else
        printf("\nthreads for the batched run: %ld, envs: %ld, cores: %d\n", threads, n_envs,
               rs_ncores());
    return 0;
}

int cmd_bench_train_sac(int argc, char **argv); /* bench_sac.c */

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
    /* env only */
    rs_vecenv *v = rs_vecenv_new(s, NULL, c.n_envs, NULL, 1, NULL, c.threads);
    if (!v) return rs_cli_fail(NULL);
    float *act = malloc(sizeof(float) * (size_t)c.n_envs * s->act_dim);
    rs_rng rng;
    rs_rng_seed(&rng, 1, 99);
    long batches = steps / c.n_envs;
    double t0 = rs_now();
    for (long b = 0; b < batches; b++) {
        for (int k = 0; k < c.n_envs * s->act_dim; k++)
            act[k] = (float)rs_rng_uniform_range(&rng, -s->act_bound, s->act_bound);
        rs_vecenv_step(v, act);
    }
    double env_sps = (double)batches * c.n_envs / (rs_now() - t0);
    int nthreads = rs_pool_size(v->pool);
    free(act);
    rs_vecenv_free(v);
    /* training */
    rs_ppo *p = rs_ppo_new(&c);
    if (!p) return rs_cli_fail(NULL);
    rs_ppo_stats st;
    double roll = 0, upd = 0, envt = 0;
    t0 = rs_now();
    while (rs_ppo_update_index(p) < rs_ppo_num_updates(p)) {
        if (rs_ppo_iterate(p, &st) != 0) {
            rs_ppo_free(p);
            return rs_cli_fail("train");
        }
        roll += st.rollout_s;
        upd += st.update_s;
        envt += st.env_s;
    }
    double dt = rs_now() - t0;
    double train_sps = rs_ppo_global_step(p) / dt;
    long gs = rs_ppo_global_step(p);
    rs_ppo_free(p);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double rss_mb = ru.ru_maxrss / 1024.0;
    if (rs_opt_flag(opts, no, "json")) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "env", s->name);
        cJSON_AddNumberToObject(o, "threads", nthreads);
        cJSON_AddNumberToObject(o, "n_envs", c.n_envs);
        cJSON_AddNumberToObject(o, "steps", (double)gs);
        cJSON_AddNumberToObject(o, "env_only_steps_per_s", env_sps);
        cJSON_AddNumberToObject(o, "train_steps_per_s", train_sps);
        cJSON_AddNumberToObject(o, "train_over_env", train_sps / env_sps);
        cJSON_AddNumberToObject(o, "env_floor_steps_per_s", gs / envt);
        cJSON_AddNumberToObject(o, "train_over_env_floor", envt / dt);
        cJSON_AddNumberToObject(o, "rollout_fraction", roll / dt);
        cJSON_AddNumberToObject(o, "update_fraction", upd / dt);
        cJSON_AddNumberToObject(o, "peak_rss_mb", rss_mb);
        cJSON_AddStringToObject(o, "blas", rs_blas_provenance());
        cJSON_AddNumberToObject(o, "cores", rs_ncores());
        rs_cli_json_load(o, load);
        rs_json_print(o);
    } else {
        printf("%s, %d envs on %d threads, %ld steps\n", s->name, c.n_envs, nthreads, gs);
        printf("  %s\n", rs_blas_provenance());
        printf("  env only (random actions)  %10.0f steps/s\n", env_sps);
        printf("  PPO training               %10.0f steps/s   ratio %.3f\n", train_sps, train_sps / env_sps);
        printf("  env floor of this run      %10.0f steps/s   ratio %.3f  (time inside the env step)\n",
               gs / envt, envt / dt);
        printf("  time in rollouts %.0f%% (env %.0f%%), in updates %.0f%%\n", 100 * roll / dt,
               100 * envt / dt, 100 * upd / dt);
        printf("  peak RSS %.1f MB\n", rss_mb);
    }
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
