/* train_run.c — one run of `rsoup train`, PPO or SAC: flags, config, the
 * run directory and the loop (train_run.h). */
#include "train_run.h"
#include "rs_pool.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "rs_mpi.h"

static volatile sig_atomic_t g_stop = 0;
static void on_signal(int sig) {
    (void)sig;
    g_stop = 1;
}

static int sac(const rs_train *r) { return r->algo == RS_ALGO_SAC; }

/* Rank 0 alone touches the run directory; when that fails, every rank must
 * stop, or the others wait in their first collective forever. 1 when any
 * rank failed (no MPI: the caller's own status). */
static int any_rank(int failed) {
    double f = failed;
    rs_mpi_sum_f64(&f, 1);
    return f > 0;
}

/* ---- flags ---- */

/* flags without a value that set a config key */
typedef struct switch_flag {
    const char *flag, *key, *value;
} switch_flag;
static const switch_flag g_ppo_switches[] = {{"freeze_obs_norm", "freeze_obs_norm", "1"},
                                             {"update_obs_norm", "freeze_obs_norm", "0"},
                                             {NULL, NULL, NULL}};
static const switch_flag g_sac_switches[] = {{"save_replay", "save_replay", "1"},
                                             {NULL, NULL, NULL}};

int rs_train_parse(rs_train_args *a, rs_algo algo, int argc, char **argv) {
    const int is_sac = algo == RS_ALGO_SAC;
    memset(a, 0, sizeof *a);
    a->max_iters = -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        /* PPO's --help covers both: rs_train_wants_sac never hands it to SAC */
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
        const switch_flag *s = is_sac ? g_sac_switches : g_ppo_switches;
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
            if (!known) {
                rs_ppo_config pc;
                rs_sac_config scf;
                rs_ppo_config_default(&pc);
                rs_sac_config_default(&scf);
                known = is_sac ? rs_sac_config_set(&scf, key, "1") == 0 || !strstr(rs_last_error(), "unknown")
                               : rs_ppo_config_set(&pc, key, "1") == 0 || !strstr(rs_last_error(), "unknown");
            }
            if (!known) fprintf(stderr, "rsoup train: unknown option '%s' (see 'rsoup train --help')\n", arg);
            else fprintf(stderr, "rsoup train: option '%s' needs a value\n", arg);
            return 2;
        }
        const char *v = argv[++i];
        {
            /* paths are built in fixed buffers: refuse what would not fit */
            int is_path = !strcmp(key, "out") || !strcmp(key, "resume") || !strcmp(key, "config") ||
                          !strcmp(key, "init") || !strcmp(key, "model");
            size_t cap = is_path ? RS_CLI_PATH_MAX : RS_CLI_ARG_MAX;
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
            /* an earlier --algo sac chose SAC; PPO sees --algo sac only with --help */
            if (is_sac && strcmp(v, "sac")) {
                fprintf(stderr, "rsoup train: --algo %s: this run is SAC\n", v);
                return 2;
            }
            if (strcmp(v, "ppo") && strcmp(v, "sac")) {
                fprintf(stderr, "rsoup train: unknown --algo %s (ppo or sac)\n", v);
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
    /* data-parallel PPO: every rank trains, rank 0 alone writes. SAC is not
     * data-parallel: under mpirun every rank would train the same run into
     * the same files */
    if (is_sac && rs_mpi_size() > 1) {
        if (rs_mpi_rank() == 0)
            fprintf(stderr, "rsoup train: SAC is not data-parallel; run it as one process "
                            "(without mpirun), one run per process\n");
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

static int cfg_set(rs_train *r, const char *key, const char *value) {
    return sac(r) ? rs_sac_config_set(&r->sac_cfg, key, value)
                  : rs_ppo_config_set(&r->ppo_cfg, key, value);
}

static int cfg_from_json(rs_train *r, const cJSON *o, const char *where) {
    return sac(r) ? rs_sac_config_from_json(&r->sac_cfg, o, where)
                  : rs_ppo_config_from_json(&r->ppo_cfg, o, where);
}

/* the config a checkpoint was saved with (its train_config metadata), and
 * whether it holds SAC's replay buffer; -1 + error */
static int saved_config(rs_train *r, const char *path, int *has_replay) {
    char *js = NULL;
    *has_replay = 0;
    if (sac(r)) {
        /* the header alone: the replay buffer may be large */
        if (rs_sac_peek_train(path, &js, has_replay) != 0) return -1;
    } else {
        rs_st *st = rs_st_load(path);
        if (!st) return -1;
        const char *m = rs_st_meta(st, "train_config");
        js = m ? rs_strdup(m) : NULL;
        rs_st_free(st);
    }
    cJSON *o = js ? cJSON_Parse(js) : NULL;
    free(js);
    int rc = o ? cfg_from_json(r, o, "train_config.") : -1;
    if (!o) rs_set_error("%s has no readable train_config metadata", path);
    cJSON_Delete(o);
    return rc;
}

/* --resume: the saved config, then the flags, of which only those that keep
 * the continuation exact may change */
static int resume_config(rs_train *r, const rs_train_args *a) {
    static const char *const ppo_may[] = {"total_steps", "threads", "save_every", NULL};
    static const char *const sac_may[] = {"total_steps", "threads",     "blas_threads",
                                          "save_every",  "save_replay", NULL};
    int has_replay;
    if (saved_config(r, a->train_file, &has_replay) != 0) return rs_cli_fail("resume");
    if (sac(r) && !has_replay) return rs_train_sac_no_replay(r, a->dir);
    for (int k = 0; k < a->n; k++) {
        if (cfg_set(r, a->keys[k], a->vals[k]) != 0) return rs_cli_fail(NULL);
        const char *const *may = sac(r) ? sac_may : ppo_may;
        while (*may && strcmp(*may, a->keys[k]))
            may++;
        if (!*may) {
            fprintf(stderr, "rsoup train: --%s cannot change when resuming (only %s can)\n",
                    a->keys[k],
                    sac(r) ? "--steps, --threads, --blas-threads, --save-every, --save-replay"
                           : "--steps, --threads, --save-every");
            return 2;
        }
    }
    return 0;
}

/* the user's --config object (may be NULL), then the flags: 0, -1 (error
 * set) on a bad config, 1 (message printed) on a bad flag */
static int apply_user(rs_train *r, const rs_train_args *a, const cJSON *user) {
    if (user) {
        char where[600];
        snprintf(where, sizeof where, "%s: ", a->config);
        if (cfg_from_json(r, user, where) != 0) return -1;
    }
    for (int k = 0; k < a->n; k++)
        if (cfg_set(r, a->keys[k], a->vals[k]) != 0) {
            fprintf(stderr, "rsoup train: --%s: %s\n", a->keys[k], rs_last_error());
            return 1;
        }
    return 0;
}

/* a new run: the defaults < (PPO) the env's own set < --config < flags */
static int new_config(rs_train *r, const rs_train_args *a) {
    cJSON *user = NULL;
    if (a->config) {
        char *text = rs_read_file(a->config, NULL);
        if (!text) return rs_cli_fail("--config");
        user = cJSON_Parse(text);
        if (!user) /* the error pointer points into text */
            fprintf(stderr, "rsoup train: --config %s is not valid JSON (near: %.40s)\n", a->config,
                    cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
        free(text);
        if (!user) return 1;
    }
    int rc = apply_user(r, a, user);
    /* the env (and hparams) may come from --config or a flag, so PPO applies
     * the user's settings once to learn them and again over the env's set */
    if (!rc && !sac(r) && (rc = rs_ppo_config_env_defaults(&r->ppo_cfg)) == 1) {
        rc = apply_user(r, a, user);
        if (!rc && !a->quiet)
            fprintf(stderr,
                    "rsoup train: %s uses its own hyperparameters (%s; see --help; "
                    "--hparams cleanrl for the generic ones)\n",
                    r->ppo_cfg.env, rs_ppo_env_hparams_source(r->ppo_cfg.env));
    }
    cJSON_Delete(user);
    if (rc < 0) return rs_cli_fail(NULL);
    if (rc > 0) return 2;
    int held = a->io && rs_cli_exists(a->train_file);
    if (held)
        fprintf(stderr,
                "rsoup train: %s already holds a run; continue it with --resume %s "
                "or choose another --out\n",
                a->dir, a->dir);
    return any_rank(held) ? 1 : 0;
}

int rs_train_config(rs_train *r, rs_algo algo, const rs_train_args *a) {
    memset(r, 0, sizeof *r);
    r->algo = algo;
    rs_ppo_config_default(&r->ppo_cfg);
    rs_sac_config_default(&r->sac_cfg);
    int rc = a->resume ? resume_config(r, a) : new_config(r, a);
    if (rc) return rc;
    /* exit 2 when the bad value can only have come from the command line */
    const int usage = a->resume || a->config ? 1 : 2;
    r->spec = rs_env_find(sac(r) ? r->sac_cfg.env : r->ppo_cfg.env);
    if (!r->spec) return rs_cli_fail(NULL) * usage;
    if (rs_cli_reward(r->spec, sac(r) ? r->sac_cfg.reward : r->ppo_cfg.reward, r->w) != 0)
        return rs_cli_fail(NULL) * usage;
    if ((sac(r) ? rs_sac_config_check(&r->sac_cfg) : rs_ppo_config_check(&r->ppo_cfg)) != 0)
        return rs_cli_fail("config") * usage;
    int bad = a->io && !a->resume && rs_cli_mkdir_p(a->dir) != 0;
    if (bad) fprintf(stderr, "rsoup train: cannot create %s: %s\n", a->dir, strerror(errno));
    /* one writer per run folder (two would interleave their logs) */
    else if (a->io && rs_cli_lock_dir(a->dir) < 0) {
        fprintf(stderr, "rsoup train: %s\n", rs_last_error());
        bad = 1;
    }
    return any_rank(bad) ? 1 : 0;
}

/* ---- the trainer ---- */

static int make_trainer(rs_train *r) {
    if (sac(r))
        r->sac = rs_sac_new(&r->sac_cfg);
    else
        r->ppo = rs_ppo_new(&r->ppo_cfg);
    return r->sac || r->ppo ? 0 : -1;
}

static void free_trainer(rs_train *r) {
    rs_sac_free(r->sac);
    rs_ppo_free(r->ppo);
    r->sac = NULL;
    r->ppo = NULL;
}

/* the checkpoint of a run to resume, or the shared init of a new one */
static int load(rs_train *r, const rs_train_args *a) {
    if (a->resume)
        return sac(r) ? rs_sac_load_train(r->sac, a->train_file)
                      : rs_ppo_load_train(r->ppo, a->train_file);
    const char *init = sac(r) ? r->sac_cfg.init : r->ppo_cfg.init;
    if (!init[0]) return 0;
    return sac(r) ? rs_sac_load_init(r->sac, init) : rs_ppo_load_init(r->ppo, init);
}

static int more(const rs_train *r) {
    return sac(r) ? rs_sac_iter_index(r->sac) < rs_sac_num_iters(r->sac)
                  : rs_ppo_update_index(r->ppo) < rs_ppo_num_updates(r->ppo);
}

static int iterate(rs_train *r) {
    return sac(r) ? rs_sac_iterate(r->sac, &r->sac_st) : rs_ppo_iterate(r->ppo, &r->ppo_st);
}

static long global_step(const rs_train *r) {
    return sac(r) ? rs_sac_global_step(r->sac) : rs_ppo_global_step(r->ppo);
}

/* the training state, then the policy alone (what soups mix) */
/* The policy first, the training state last: train.safetensors is what a
 * resume continues from, so it must never be ahead of policy.safetensors.
 * A save that fails (or is killed) between the two leaves the policy ahead;
 * the resume then trains those updates again, bit for bit, and rewrites the
 * same policy. The other order left a run "complete" with a stale policy. */
static int save_all(const rs_train *r, const char *dir) {
    char path[1100];
    snprintf(path, sizeof path, "%s/policy.safetensors", dir);
    if (rs_policy_save(sac(r) ? rs_sac_policy(r->sac) : rs_ppo_policy(r->ppo), path) != 0) return -1;
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    return sac(r) ? rs_sac_save_train(r->sac, path) : rs_ppo_save_train(r->ppo, path);
}

/* A run killed after some updates but before its next checkpoint logged
 * rows the resume will log again: keep only the rows up to the checkpoint's
 * step (CSV: the header and rows whose second field is the step; JSONL: the
 * "step" key). 0, or -1 (error set). */
static int trim_log(const char *path, long step, int csv) {
    if (!rs_cli_exists(path)) return 0;
    size_t len = 0;
    char *text = rs_read_file(path, &len);
    if (!text) return -1;
    char *out = malloc(len + 1);
    if (!out) {
        free(text);
        rs_set_error("out of memory");
        return -1;
    }
    size_t k = 0;
    int line = 0, dropped = 0;
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        long at = -1;
        if (csv && line > 0) {
            const char *c = memchr(p, ',', n);
            if (c) at = strtol(c + 1, NULL, 10);
        } else if (!csv) {
            const char *c = strstr(p, "\"step\":");
            if (c && c < p + n) at = strtol(c + 7, NULL, 10);
        }
        /* a partial last line (no newline) is dropped too */
        int keep = nl && (at < 0 ? csv && line == 0 : at <= step);
        if (keep) {
            memcpy(out + k, p, n);
            k += n;
        } else {
            dropped++;
        }
        line++;
        p += n;
    }
    out[k] = 0;
    int rc = dropped ? rs_cli_write_file(path, out, 0) : 0;
    if (rc) rs_set_error("cannot rewrite %s: %s", path, strerror(errno));
    free(out);
    free(text);
    return rc;
}

/* ---- the loop ---- */

/* what the loop itself reads of the last iteration's stats */
typedef struct tick {
    long iter, step;
    int episodes; /* finished in this iteration */
    int window;   /* episodes in the recent window, whose means follow */
    double ep_return, ep_length;
    const double *ep_terms;
} tick;

static tick last_tick(const rs_train *r) {
    const rs_ppo_stats *p = &r->ppo_st;
    const rs_sac_stats *s = &r->sac_st;
    return sac(r) ? (tick){s->iter,      s->global_step, s->episodes, s->window,
                           s->ep_return, s->ep_length,   s->ep_terms}
                  : (tick){p->update,    p->global_step, p->episodes, p->window,
                           p->ep_return, p->ep_length,   p->ep_terms};
}

/* a log.jsonl line: the counters, the algorithm's own numbers, the recent episodes */
static cJSON *log_line(const rs_train *r, double elapsed, double steps_per_s) {
    tick k = last_tick(r);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, sac(r) ? "iter" : "update", (double)k.iter);
    cJSON_AddNumberToObject(o, "step", (double)k.step);
    cJSON_AddNumberToObject(o, "time_s", elapsed);
    cJSON_AddNumberToObject(o, "steps_per_s", steps_per_s);
    if (sac(r))
        rs_train_sac_numbers(o, &r->sac_st);
    else
        rs_train_ppo_numbers(o, &r->ppo_st);
    cJSON_AddNumberToObject(o, "episodes", k.episodes);
    if (k.window) {
        cJSON_AddNumberToObject(o, "ep_return", k.ep_return);
        cJSON_AddNumberToObject(o, "ep_length", k.ep_length);
        if (sac(r)) cJSON_AddNumberToObject(o, "last_return", r->sac_st.last_return);
        cJSON *t = cJSON_AddObjectToObject(o, "ep_terms");
        for (int i = 0; i < r->spec->n_terms; i++)
            cJSON_AddNumberToObject(t, r->spec->terms[i], k.ep_terms[i]);
    }
    return o;
}

/* SAC: critic updates per second of update time in the last iteration */
static double sac_updates_per_s(const rs_sac_stats *s) {
    return s->iter_updates && s->update_s > 0 ? s->iter_updates / s->update_s : 0;
}

/* progress.csv: the same columns for both (plot scripts read step and
 * ep_return), SAC's alpha, q_loss and update rate last */
static void csv_header(FILE *f, const rs_train *r) {
    fprintf(f, "%s,step,time_s,steps_per_s,ep_return,ep_length", sac(r) ? "iter" : "update");
    for (int t = 0; t < r->spec->n_terms; t++)
        fprintf(f, ",%s", r->spec->terms[t]);
    fputs(sac(r) ? ",alpha,q_loss,updates_per_s\n" : "\n", f);
}

static void csv_row(FILE *f, const rs_train *r, const tick *k, double elapsed, double sps) {
    fprintf(f, "%ld,%ld,%.3f,%.1f,%.6g,%.6g", k->iter, k->step, elapsed, sps, k->ep_return,
            k->ep_length);
    for (int t = 0; t < r->spec->n_terms; t++)
        fprintf(f, ",%.6g", k->ep_terms[t]);
    const rs_sac_stats *s = &r->sac_st;
    if (sac(r))
        fprintf(f, ",%.6g,%.6g,%.1f", s->alpha, isfinite(s->q_loss) ? s->q_loss : 0.0,
                sac_updates_per_s(s));
    fputc('\n', f);
    fflush(f);
}

/* the progress line's status: the window's means (SAC: alpha, update rate),
 * then the terms the reward weighs */
static void status_text(char *buf, size_t cap, const rs_train *r, const tick *k) {
    buf[0] = 0;
    if (!k->window) return;
    int n = snprintf(buf, cap, "return %.1f len %.0f", k->ep_return, k->ep_length);
    if (sac(r) && n < (int)cap)
        n += snprintf(buf + n, cap - (size_t)n, " alpha %.3g upd/s %.0f", r->sac_st.alpha,
                      sac_updates_per_s(&r->sac_st));
    for (int t = 0; t < r->spec->n_terms && n < (int)cap; t++)
        if (r->w[t] != 0)
            n += snprintf(buf + n, cap - (size_t)n, " %s %.3g", r->spec->terms[t], k->ep_terms[t]);
}

int rs_train_run(rs_train *r, const rs_train_args *a) {
    const char *dir = a->dir;
    if (make_trainer(r) != 0) return rs_cli_fail("train");
    if (load(r, a) != 0) {
        free_trainer(r);
        return rs_cli_fail(a->resume ? NULL : "--init");
    }
    if (a->resume && !more(r)) {
        /* nothing to train: say so, and leave every file as it is */
        if (a->io)
            fprintf(stderr, "rsoup train: %s is complete (step %ld); nothing to resume — give "
                            "--steps N to train further\n", a->dir, global_step(r));
        free_trainer(r);
        return 0;
    }
    /* config.json (new runs), log.jsonl and progress.csv: rank 0 writes
     * them, the other ranks write to /dev/null */
    char path[1100];
    int bad = 0;
    FILE *log = NULL, *csv = NULL;
    if (!a->resume && a->io) {
        char *js = sac(r) ? rs_sac_config_to_json(&r->sac_cfg) : rs_ppo_config_to_json(&r->ppo_cfg);
        snprintf(path, sizeof path, "%s/config.json", dir);
        bad = rs_cli_write_file(path, js, 1) != 0;
        int err = errno;
        free(js);
        if (bad) fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(err));
        /* what made the run (config.json stays a config --config reads back) */
        if (!bad) {
            int th = sac(r) ? r->sac_cfg.threads : r->ppo_cfg.threads;
            cJSON *pj = rs_cli_provenance_json(th ? th : rs_ncores(), -1);
            char *ps = pj ? cJSON_Print(pj) : NULL;
            snprintf(path, sizeof path, "%s/provenance.json", dir);
            bad = !ps || rs_cli_write_file(path, ps, 1) != 0;
            if (bad) fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(errno));
            free(ps);
            cJSON_Delete(pj);
        }
    }
    if (a->resume && a->io && !bad) {
        const long at = global_step(r);
        snprintf(path, sizeof path, "%s/log.jsonl", dir);
        bad = trim_log(path, at, 0) != 0;
        snprintf(path, sizeof path, "%s/progress.csv", dir);
        bad = bad || trim_log(path, at, 1) != 0;
        if (bad) fprintf(stderr, "rsoup train: %s\n", rs_last_error());
    }
    snprintf(path, sizeof path, "%s/progress.csv", dir);
    int csv_new = !a->resume || !rs_cli_exists(path);
    if (!bad) {
        snprintf(path, sizeof path, "%s/log.jsonl", dir);
        log = fopen(a->io ? path : "/dev/null", a->resume ? "a" : "w");
        bad = !log;
        if (bad) fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(errno));
    }
    if (!bad) {
        /* the same numbers as CSV, for gnuplot and spreadsheets */
        snprintf(path, sizeof path, "%s/progress.csv", dir);
        csv = fopen(a->io ? path : "/dev/null", csv_new ? "w" : "a");
        bad = !csv;
        if (bad) fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(errno));
    }
    if (any_rank(bad)) {
        if (log) fclose(log);
        if (csv) fclose(csv);
        free_trainer(r);
        return 1;
    }
    if (csv_new) csv_header(csv, r);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    rs_progress prog;
    char what[64];
    const rs_ppo_config *pc = &r->ppo_cfg;
    snprintf(what, sizeof what, sac(r) ? "sac %s" : "train %s", sac(r) ? r->sac_cfg.env : pc->env);
    long start_step = global_step(r);
    rs_progress_start(&prog, what,
                      sac(r) ? (double)r->sac_cfg.total_steps
                             : (double)rs_ppo_num_updates(r->ppo) * pc->n_envs * pc->n_steps *
                                   rs_mpi_size());
    prog.quiet = a->quiet;
    if (!a->quiet) {
        if (sac(r))
            rs_train_sac_banner(r, dir);
        else
            rs_train_ppo_banner(r, dir);
    }
    const int save_every = sac(r) ? r->sac_cfg.save_every : pc->save_every;
    double t0 = rs_now();
    long done_here = 0;
    int rc = 0;
    while (more(r) && !g_stop) {
        if (iterate(r) != 0) {
            fprintf(stderr, "\nrsoup train: %s\n", rs_last_error());
            rc = 1;
            break;
        }
        tick k = last_tick(r);
        double el = rs_now() - t0;
        double sps = (double)(k.step - start_step) / (el > 0 ? el : 1e-9);
        cJSON *o = log_line(r, el, sps);
        char *line = cJSON_PrintUnformatted(o);
        fprintf(log, "%s\n", line);
        fflush(log);
        free(line);
        cJSON_Delete(o);
        if (k.window) csv_row(csv, r, &k, el, sps);
        char status[256];
        status_text(status, sizeof status, r, &k);
        rs_progress_update(&prog, (double)k.step, status);
        done_here++;
        if (a->io && save_every > 0 && k.iter % save_every == 0 && save_all(r, dir) != 0) {
            fprintf(stderr, "\nrsoup train: saving: %s\n", rs_last_error());
            rc = 1;
            break;
        }
        if (a->max_iters > 0 && done_here >= a->max_iters) break;
    }
    fclose(log);
    fclose(csv);
    const long step = global_step(r);
    if (rc == 0 && a->io) {
        if (save_all(r, dir) != 0) {
            fprintf(stderr, "rsoup train: saving: %s\n", rs_last_error());
            rc = 1;
        } else {
            rs_progress_finish(&prog, (double)step, "");
            if (g_stop && sac(r) && !r->sac_cfg.save_replay)
                fprintf(stderr,
                        "rsoup train: interrupted; saved %s at step %ld without the replay "
                        "buffer — continue from its weights with --init %s in a new run\n",
                        dir, step, dir);
            else if (g_stop)
                fprintf(stderr,
                        "rsoup train: interrupted; saved %s at step %ld — continue with "
                        "'rsoup train --resume %s'\n",
                        dir, step, dir);
            else if (!a->quiet)
                fprintf(stderr, "rsoup train: saved %s/policy.safetensors (step %ld)\n", dir, step);
        }
    }
    if (a->json && rc == 0) {
        double el = rs_now() - t0;
        cJSON *o = log_line(r, el, (double)(step - start_step) / (el > 0 ? el : 1e-9));
        cJSON_AddStringToObject(o, "dir", dir);
        rs_json_print(o);
    }
    free_trainer(r);
    return rc ? rc : (g_stop ? 130 : 0);
}
