/* train_run.c — one run of `rsoup train`, for any algorithm of the trainer
 * registry: the flags, the config and what is said about them, and the loop
 * that drives the run folder (lab/rs_trainrun.h) and prints its progress
 * (train_run.h). */
#include "train_run.h"
#include "rs_pool.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_progress.h"
#include "rs_config.h"
#include "rs_mpi.h"

static volatile sig_atomic_t g_stop = 0;
static void on_signal(int sig) {
    (void)sig;
    g_stop = 1;
}

/* Rank 0 alone touches the run directory; when that fails, every rank must
 * stop, or the others wait in their first collective forever. 1 when any
 * rank failed (no MPI: the caller's own status). */
static int any_rank(int failed) {
    double f = failed;
    rs_mpi_sum_f64(&f, 1);
    return f > 0;
}

/* ---- flags ---- */

const rs_trainer_ops *rs_train_choose(int argc, char **argv) {
    const rs_trainer_ops *def = rs_trainer_at(0), *ops = NULL;
    const char *resume = NULL, *config = NULL;
    for (int i = 1; i < argc; i++) /* --help is the default's, for every algorithm */
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return def;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--algo")) {
            /* an unknown name is the default's to refuse */
            ops = rs_trainer_find(argv[i + 1]);
            return ops ? ops : def;
        }
        if (!strcmp(argv[i], "--resume")) resume = argv[i + 1];
        if (!strcmp(argv[i], "--config")) config = argv[i + 1];
    }
    if (resume) {
        /* the header alone: a checkpoint may hold a large replay buffer */
        char path[RS_PATH_BUF];
        snprintf(path, sizeof path, "%s/train.safetensors", resume);
        rs_st *m = rs_st_load_meta(path);
        ops = m ? rs_trainer_for_format(rs_st_meta(m, "format_train")) : NULL;
        rs_st_free(m);
    } else if (config) {
        char *text = rs_read_file(config, NULL);
        cJSON *o = text ? cJSON_Parse(text) : NULL;
        const cJSON *al = cJSON_GetObjectItemCaseSensitive(o, "algo");
        ops = cJSON_IsString(al) ? rs_trainer_find(al->valuestring) : NULL;
        cJSON_Delete(o);
        free(text);
    }
    return ops ? ops : def;
}

/* "ppo or sac": the registry's names, for messages */
static void algo_names(char *buf, size_t cap) {
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; rs_trainer_at(i) && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%s",
                              i == 0 ? "" : (rs_trainer_at(i + 1) ? ", " : " or "),
                              rs_trainer_at(i)->name);
}

/* whether `key` names a key of ops' config (whatever the value) */
static int config_knows(const rs_trainer_ops *ops, const char *key) {
    void *c = calloc(1, ops->config_size);
    if (!c) return 0;
    ops->config_default(c);
    int known = ops->config_set(c, key, "1") == 0 || !strstr(rs_last_error(), "unknown");
    free(c);
    return known;
}

int rs_train_parse(rs_train_args *a, const rs_trainer_ops *ops, int argc, char **argv) {
    memset(a, 0, sizeof *a);
    a->max_iters = -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        /* the default's --help covers all: rs_train_choose hands it no other */
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) return -1;
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "rsoup train: unexpected argument '%s' (see --help)\n", arg);
            return 2;
        }
        char key[64];
        snprintf(key, sizeof key, "%s", arg + 2);
        for (char *c = key; *c; c++)
            if (*c == '-') *c = '_';
        if (!strcmp(key, "quiet")) {
            a->quiet = 1;
            continue;
        }
        if (!strcmp(key, "json")) {
            a->json = 1;
            continue;
        }
        const rs_trainer_switch *s = ops->switches;
        while (s->flag && strcmp(s->flag, key))
            s++;
        if (s->flag) {
            if (a->n >= RS_TRAIN_MAX_FLAGS) return 2;
            a->keys[a->n] = s->key, a->vals[a->n++] = s->value;
            continue;
        }
        if (i + 1 >= argc) {
            /* a name no config has is unknown, whatever comes after it */
            static const char *own[] = {"out", "resume", "config", "algo", "max_updates", "max_iters",
                                        "steps", NULL};
            int known = 0;
            for (int k = 0; own[k]; k++) known |= !strcmp(key, own[k]);
            if (!known) known = config_knows(ops, key);
            if (!known) fprintf(stderr, "rsoup train: unknown option '%s' (see 'rsoup train --help')\n", arg);
            else fprintf(stderr, "rsoup train: option '%s' needs a value\n", arg);
            return 2;
        }
        const char *v = argv[++i];
        {
            /* paths are built in fixed buffers: refuse what would not fit */
            int is_path = !strcmp(key, "out") || !strcmp(key, "resume") || !strcmp(key, "config") ||
                          !strcmp(key, "init") || !strcmp(key, "model");
            size_t cap = is_path ? RS_PATH_MAX : RS_CLI_ARG_MAX;
            if (strlen(v) > cap) {
                fprintf(stderr, "rsoup train: the value of %s has %zu characters; at most %zu are taken\n",
                        arg, strlen(v), cap);
                return 2;
            }
        }
        if (!strcmp(key, "out"))
            a->out = v;
        else if (!strcmp(key, "resume"))
            a->resume = v;
        else if (!strcmp(key, "config"))
            a->config = v;
        else if (!strcmp(key, "algo")) {
            /* an earlier --algo chose the run's; the default sees another
             * name only with --help */
            const rs_trainer_ops *named = rs_trainer_find(v);
            if (ops != rs_trainer_at(0) && named != ops) {
                fprintf(stderr, "rsoup train: --algo %s: this run is %s\n", v, ops->title);
                return 2;
            }
            if (!named) {
                char names[128];
                algo_names(names, sizeof names);
                fprintf(stderr, "rsoup train: unknown --algo %s (%s)\n", v, names);
                return 2;
            }
        } else if (!strcmp(key, "max_updates") || !strcmp(key, "max_iters")) {
            /* one name per algorithm's unit of work, either accepted: with
             * --resume the algorithm is not known until the run is read */
            char *end;
            a->max_iters = strtol(v, &end, 10);
            if (*end || a->max_iters < 1) {
                fprintf(stderr, "rsoup train: --%s expects a positive integer\n", arg + 2);
                return 2;
            }
        } else {
            if (!strcmp(key, "steps")) snprintf(key, sizeof key, "total_steps");
            if (a->n >= RS_TRAIN_MAX_FLAGS) return 2;
            snprintf(a->keybuf[a->n], sizeof a->keybuf[a->n], "%s", key);
            a->keys[a->n] = a->keybuf[a->n];
            a->vals[a->n++] = v;
        }
    }
    /* a data-parallel algorithm: every rank trains, rank 0 alone writes.
     * Another under mpirun would train the same run on every rank into the
     * same files */
    if (!ops->data_parallel && rs_mpi_size() > 1) {
        if (rs_mpi_rank() == 0)
            fprintf(stderr, "rsoup train: %s is not data-parallel; run it as one process "
                            "(without mpirun), one run per process\n", ops->title);
        return 2;
    }
    a->io = rs_mpi_rank() == 0;
    if (!a->io) a->quiet = 1, a->json = 0;
    a->dir = a->resume ? a->resume : a->out;
    if (!a->dir) {
        fprintf(stderr, "rsoup train: give --out DIR (or --resume DIR); see --help\n");
        return 2;
    }
    snprintf(a->train_file, sizeof a->train_file, "%s/train.safetensors", a->dir);
    return 0;
}

/* ---- the config ---- */

/* --resume: the saved config, then the flags, of which only those that keep
 * the continuation exact may change */
static int resume_config(rs_train *r, const rs_train_args *a) {
    const rs_trainer_ops *ops = r->ops;
    if (rs_trainrun_saved_config(r, a->train_file) != 0) return rs_cli_fail("resume");
    const char *hint = NULL, *missing = ops->resume_missing ? ops->resume_missing(r->cfg, &hint) : NULL;
    if (missing) {
        rs_trainer_run_info in = ops->run_info(r->cfg);
        fprintf(stderr,
                "rsoup train: cannot resume %s: it was saved without %s, so the run cannot "
                "continue exactly.\n  Continue from its weights in a new run instead:\n"
                "    rsoup train --algo %s --init %s --env %s --reward '%s' --steps N --out "
                "NEWDIR\n  (%s)\n",
                a->dir, missing, ops->name, a->dir, in.env, in.reward, hint ? hint : "");
        return 1;
    }
    for (int k = 0; k < a->n; k++) {
        if (ops->config_set(r->cfg, a->keys[k], a->vals[k]) != 0) return rs_cli_fail(NULL);
        const char *const *may = ops->resume_may;
        while (*may && strcmp(*may, a->keys[k]))
            may++;
        if (!*may) {
            fprintf(stderr, "rsoup train: --%s cannot change when resuming (only %s can)\n",
                    a->keys[k], ops->resume_may_flags);
            return 2;
        }
    }
    return 0;
}

/* a new run: the defaults < the env's own set (where the algorithm has
 * one) < --config < flags, then the fine-tuning set (lab/rs_trainrun.h),
 * and what was applied said */
static int new_config(rs_train *r, const rs_train_args *a) {
    cJSON *user = NULL;
    if (a->config) {
        char *text = rs_read_file(a->config, NULL);
        if (!text) return rs_cli_fail("--config");
        /* strict: a key given twice or text after the object is refused */
        user = rs_json_parse(text, a->config);
        if (!user) fprintf(stderr, "rsoup train: --config: %s\n", rs_last_error());
        free(text);
        if (!user) return 1;
    }
    rs_trainrun_layers L;
    int rc = rs_trainrun_config_new(r, user, a->config, a->keys, a->vals, a->n, &L);
    cJSON_Delete(user);
    if (L.env_set && !a->quiet)
        fprintf(stderr,
                "rsoup train: %s uses its own hyperparameters (%s; see --help; "
                "--hparams cleanrl for the generic ones)\n",
                r->ops->run_info(r->cfg).env, L.env_source ? L.env_source : "");
    if (L.finetune_set && !a->quiet)
        fprintf(stderr,
                "rsoup train: fine-tuning from an init uses rsoup's fine-tuning set (%s; "
                "see --help; --finetune none for the settings without it)\n",
                L.finetune_source ? L.finetune_source : "");
    if (rc > 0) fprintf(stderr, "rsoup train: --%s: %s\n", a->keys[L.bad_flag], rs_last_error());
    if (rc < 0) return rs_cli_fail(NULL);
    if (rc > 0) return 2;
    int held = a->io && rs_lab_exists(a->train_file);
    if (held)
        fprintf(stderr,
                "rsoup train: %s already holds a run; continue it with --resume %s "
                "or choose another --out\n",
                a->dir, a->dir);
    return any_rank(held) ? 1 : 0;
}

static int config(rs_train *r, const rs_trainer_ops *ops, const rs_train_args *a) {
    memset(r, 0, sizeof *r);
    r->ops = ops;
    if (!(r->cfg = calloc(1, ops->config_size))) {
        rs_set_error("out of memory");
        return rs_cli_fail(NULL);
    }
    ops->config_default(r->cfg);
    int rc = a->resume ? resume_config(r, a) : new_config(r, a);
    if (rc) return rc;
    /* exit 2 when the bad value can only have come from the command line */
    const int usage = a->resume || a->config ? 1 : 2;
    rs_trainer_run_info in = ops->run_info(r->cfg);
    r->spec = rs_env_find(in.env);
    if (!r->spec) return rs_cli_fail(NULL) * usage;
    if (rs_cli_reward(r->spec, in.reward, r->w) != 0) return rs_cli_fail(NULL) * usage;
    if (ops->config_check(r->cfg) != 0) return rs_cli_fail("config") * usage;
    int bad = a->io && rs_trainrun_claim(a->dir, !a->resume) != 0;
    if (bad) fprintf(stderr, "rsoup train: %s\n", rs_last_error());
    return any_rank(bad) ? 1 : 0;
}

int rs_train_config(rs_train *r, const rs_trainer_ops *ops, const rs_train_args *a) {
    int rc = config(r, ops, a);
    if (rc) rs_train_free(r);
    return rc;
}

/* ---- the trainer ---- */

static int more(const rs_train *r) { return !r->ops->finished(r->trainer); }

static long global_step(const rs_train *r) { return r->ops->global_step(r->trainer); }

/* ---- the loop ---- */

/* the trainer made and its state loaded (a resume's checkpoint, or the
 * init), the logs open: 0, 1 and a message, or -1: a complete run, nothing
 * to do */
static int start(rs_train *r, const rs_train_args *a, rs_trainrun_logs *L) {
    const rs_trainer_ops *ops = r->ops;
    if (!(r->trainer = ops->create(r->cfg))) return rs_cli_fail("train");
    if (rs_trainrun_load(r, a->resume ? a->train_file : NULL) != 0)
        return rs_cli_fail(a->resume ? NULL : "--init");
    if (a->resume && !more(r)) {
        /* nothing to train: say so, and leave every file as it is */
        if (a->io)
            fprintf(stderr, "rsoup train: %s is complete (step %ld); nothing to resume — give "
                            "--steps N to train further\n", a->dir, global_step(r));
        return -1;
    }
    /* config.json (new runs), log.jsonl and progress.csv: rank 0 writes
     * them, the other ranks write to /dev/null */
    int bad = rs_trainrun_logs_open(r, a->dir, a->resume != NULL, a->io, L) != 0;
    if (bad) fprintf(stderr, "rsoup train: %s\n", rs_last_error());
    if (any_rank(bad)) {
        rs_trainrun_logs_close(L);
        return 1;
    }
    rs_trainrun_logs_header(L, r);
    return 0;
}

/* iterate until the run is done, stopped or --max-updates: evaluations,
 * the logs, the progress line, the checkpoints when due. 0, or 1 (printed) */
static int loop(rs_train *r, const rs_train_args *a, rs_trainrun_logs *L, rs_progress *prog,
                double t0, long start_step) {
    const rs_trainer_ops *ops = r->ops;
    const rs_trainer_run_info in = ops->run_info(r->cfg);
    double last_save = t0;
    long done_here = 0;
    while (more(r) && !g_stop) {
        if (ops->iterate(r->trainer, &r->st) != 0) {
            fprintf(stderr, "\nrsoup train: %s\n", rs_last_error());
            return 1;
        }
        const rs_trainer_stats *k = &r->st;
        /* every eval_every-th iteration and the last: which ones depends on
         * the iteration alone, so a resumed run evaluates where an
         * uninterrupted one does. Rank 0 alone evaluates (it writes the
         * logs); the collectives wait for it in the next iteration. */
        if (a->io && in.eval_every > 0 && (k->iter % in.eval_every == 0 || !more(r)) &&
            rs_trainrun_evaluate(r, in.eval_episodes, in.seed) != 0) {
            fprintf(stderr, "\nrsoup train: evaluation after %s %ld: %s\n", ops->iter_name, k->iter,
                    rs_last_error());
            return 1;
        }
        double el = rs_now() - t0;
        double sps = (double)(k->step - start_step) / (el > 0 ? el : 1e-9);
        if (rs_trainrun_logs_write(L, r, el, sps) != 0) {
            fprintf(stderr, "\nrsoup train: %s\n", rs_last_error());
            return 1;
        }
        char status[256];
        rs_trainrun_status(status, sizeof status, r);
        rs_progress_update(prog, (double)k->step, status);
        done_here++;
        if (a->io && rs_trainrun_save_due(r, k->iter, rs_now() - last_save)) {
            if (rs_trainrun_save(r, a->dir, a->resume != NULL) != 0) {
                fprintf(stderr, "\nrsoup train: saving: %s\n", rs_last_error());
                return 1;
            }
            last_save = rs_now();
        }
        if (a->max_iters > 0 && done_here >= a->max_iters) break;
    }
    return 0;
}

/* the last save, and what is said about it: how to continue an
 * interrupted run. 0, or 1 (printed) */
static int finish(rs_train *r, const rs_train_args *a, rs_progress *prog) {
    const rs_trainer_ops *ops = r->ops;
    const char *dir = a->dir;
    const long step = global_step(r);
    if (rs_trainrun_save(r, dir, a->resume != NULL) != 0) {
        fprintf(stderr, "rsoup train: saving: %s\n", rs_last_error());
        return 1;
    }
    rs_progress_finish(prog, (double)step, "");
    const char *hint, *missing = ops->resume_missing ? ops->resume_missing(r->cfg, &hint) : NULL;
    if (g_stop && missing)
        fprintf(stderr,
                "rsoup train: interrupted; saved %s at step %ld without %s — continue "
                "from its weights with --init %s in a new run\n",
                dir, step, missing, dir);
    else if (g_stop)
        fprintf(stderr,
                "rsoup train: interrupted; saved %s at step %ld — continue with "
                "'rsoup train --resume %s'\n",
                dir, step, dir);
    else if (!a->quiet)
        fprintf(stderr, "rsoup train: saved %s/policy.safetensors (step %ld)\n", dir, step);
    return 0;
}

int rs_train_run(rs_train *r, const rs_train_args *a) {
    const rs_trainer_ops *ops = r->ops;
    rs_trainrun_logs L;
    int rc = start(r, a, &L);
    if (rc) {
        rs_train_free(r);
        return rc < 0 ? 0 : rc;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    rs_progress prog;
    char what[64];
    snprintf(what, sizeof what, "%s %s", ops->progress_label, ops->run_info(r->cfg).env);
    long start_step = global_step(r);
    rs_progress_start(&prog, stderr, what, ops->planned_steps(r->trainer));
    prog.quiet = a->quiet;
    if (!a->quiet) ops->banner(r->trainer, a->dir, stderr);
    double t0 = rs_now();
    rc = loop(r, a, &L, &prog, t0, start_step);
    rs_trainrun_logs_close(&L);
    if (rc == 0 && a->io) rc = finish(r, a, &prog);
    if (a->json && rc == 0) {
        double el = rs_now() - t0;
        cJSON *o = rs_trainrun_log_line(
            r, L.time_before + el, (double)(global_step(r) - start_step) / (el > 0 ? el : 1e-9));
        cJSON_AddStringToObject(o, "dir", a->dir);
        rs_json_print(o);
    }
    rs_train_free(r);
    return rc ? rc : (g_stop ? 130 : 0);
}
