/* train_run.c — one run of `rsoup train`, for any algorithm of the trainer
 * registry: flags, config, the run directory and the loop (train_run.h). */
#include "train_run.h"
#include "rs_pool.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
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
        char path[1100];
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

static int cfg_set(rs_train *r, const char *key, const char *value) {
    return r->ops->config_set(r->cfg, key, value);
}

static int cfg_from_json(rs_train *r, const cJSON *o, const char *where) {
    return r->ops->config_from_json(r->cfg, o, where);
}

/* What the config makes the trainer allocate, and how the policy computes,
 * must be what the checkpoint holds: checked on its header, before anything
 * is allocated. A train_config claiming 4096 envs in a checkpoint of one
 * made a resume allocate gigabytes before refusing it, and a policy saved
 * with relu went on under tanh. 0, or -1 + error naming the mismatch. */
static int checkpoint_fits(const rs_train *r, const rs_st *m, const char *path) {
    char *js = r->ops->config_to_json(r->cfg);
    cJSON *c = js ? cJSON_Parse(js) : NULL;
    free(js);
    const cJSON *act = cJSON_GetObjectItemCaseSensitive(c, "activation");
    const cJSON *ne = cJSON_GetObjectItemCaseSensitive(c, "n_envs");
    const char *saved = rs_st_meta(m, "activation");
    int rc = 0;
    int64_t sh[RS_ST_MAX_DIMS];
    if (cJSON_IsString(act) && saved && strcmp(act->valuestring, saved)) {
        rs_set_error("%s: its policy was saved with activation '%s' but its train_config says "
                     "'%s': not one run's checkpoint",
                     path, saved, act->valuestring);
        rc = -1;
    } else if (cJSON_IsNumber(ne)) {
        int nd = rs_st_header_shape(path, "env.qpos", sh);
        if (nd < 0) {
            rc = -1;
        } else if (nd != 2 || sh[0] != (int64_t)ne->valuedouble) {
            rs_set_error("%s: its train_config says n_envs %.0f but it holds the state of %lld "
                         "envs (env.qpos): not one run's checkpoint",
                         path, ne->valuedouble, nd >= 1 ? (long long)sh[0] : 0LL);
            rc = -1;
        }
    }
    cJSON_Delete(c);
    return rc;
}

/* the config a checkpoint was saved with (its train_config metadata, read
 * from the header alone); -1 + error */
static int saved_config(rs_train *r, const char *path) {
    rs_st *m = rs_st_load_meta(path);
    if (!m) return -1;
    const char *fmt = rs_st_meta(m, "format_train"), *js = rs_st_meta(m, "train_config");
    int rc = -1;
    cJSON *o = NULL;
    char where[1100];
    snprintf(where, sizeof where, "%.1000s: train_config", path);
    if (!fmt || strcmp(fmt, r->ops->train_format))
        rs_set_error("%s is not a %s training checkpoint (format_train '%s')", path, r->ops->title,
                     fmt ? fmt : "(none)");
    else if (!js)
        rs_set_error("%s has no train_config metadata", path);
    else if ((o = rs_json_parse(js, where)))
        rc = cfg_from_json(r, o, "train_config.");
    if (!rc) rc = checkpoint_fits(r, m, path);
    cJSON_Delete(o);
    rs_st_free(m);
    return rc;
}

/* --resume: the saved config, then the flags, of which only those that keep
 * the continuation exact may change */
static int resume_config(rs_train *r, const rs_train_args *a) {
    const rs_trainer_ops *ops = r->ops;
    if (saved_config(r, a->train_file) != 0) return rs_cli_fail("resume");
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
        if (cfg_set(r, a->keys[k], a->vals[k]) != 0) return rs_cli_fail(NULL);
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

/* a new run: the defaults < the env's own set (where the algorithm has
 * one) < --config < flags */
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
    int rc = apply_user(r, a, user);
    /* the env (and hparams) may come from --config or a flag, so the user's
     * settings are applied once to learn them and again over the env's set */
    const char *source = NULL;
    if (!rc && r->ops->config_env_defaults &&
        (rc = r->ops->config_env_defaults(r->cfg, &source)) == 1) {
        rc = apply_user(r, a, user);
        if (!rc && !a->quiet)
            fprintf(stderr,
                    "rsoup train: %s uses its own hyperparameters (%s; see --help; "
                    "--hparams cleanrl for the generic ones)\n",
                    r->ops->run_info(r->cfg).env, source ? source : "");
    }
    /* then the fine-tuning set, when the run has an init: the user's keys
     * win over it too */
    if (!rc && r->ops->config_finetune_defaults &&
        (rc = r->ops->config_finetune_defaults(r->cfg, &source)) == 1) {
        rc = apply_user(r, a, user);
        if (!rc && !a->quiet)
            fprintf(stderr,
                    "rsoup train: fine-tuning from an init uses rsoup's fine-tuning set (%s; "
                    "see --help; --finetune none for the settings without it)\n",
                    source ? source : "");
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

void rs_train_free(rs_train *r) {
    if (r->trainer) r->ops->destroy(r->trainer);
    free(r->cfg);
    r->trainer = r->cfg = NULL;
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
    int bad = a->io && !a->resume && rs_cli_mkdir_p(a->dir) != 0;
    if (bad) fprintf(stderr, "rsoup train: cannot create %s: %s\n", a->dir, strerror(errno));
    /* one writer per run folder (two would interleave their logs) */
    else if (a->io && rs_cli_lock_dir(a->dir) < 0) {
        fprintf(stderr, "rsoup train: %s\n", rs_last_error());
        bad = 1;
    }
    /* every file the run writes: a regular file or a new name, never a link
     * (out of the folder, maybe), a FIFO or a device. Checked now, not at
     * the first save hours later. */
    static const char *const files[] = {"config.json",  "provenance.json",    "log.jsonl",
                                        "progress.csv", "policy.safetensors", "train.safetensors",
                                        NULL};
    for (int i = 0; a->io && !bad && files[i]; i++) {
        char path[1100];
        snprintf(path, sizeof path, "%s/%s", a->dir, files[i]);
        if (rs_output_ok(path) != 0) {
            fprintf(stderr, "rsoup train: %s\n", rs_last_error());
            bad = 1;
        }
    }
    return any_rank(bad) ? 1 : 0;
}

int rs_train_config(rs_train *r, const rs_trainer_ops *ops, const rs_train_args *a) {
    int rc = config(r, ops, a);
    if (rc) rs_train_free(r);
    return rc;
}

/* ---- the trainer ---- */

/* the checkpoint of a run to resume, or the shared init of a new one */
static int load(rs_train *r, const rs_train_args *a) {
    if (a->resume) return rs_trainer_load(r->ops, r->trainer, a->train_file);
    const char *init = r->ops->run_info(r->cfg).init;
    return init[0] ? rs_trainer_init(r->ops, r->trainer, init) : 0;
}

static int more(const rs_train *r) { return !r->ops->finished(r->trainer); }

static long global_step(const rs_train *r) { return r->ops->global_step(r->trainer); }

/* The policy first, the training state last: train.safetensors is what a
 * resume continues from, so it must never be ahead of policy.safetensors.
 * A save that fails (or is killed) between the two leaves the policy ahead;
 * the resume then trains those updates again, bit for bit, and rewrites the
 * same policy. The other order left a run "complete" with a stale policy. */
/* the longest a run goes without a checkpoint (besides every save_every
 * iterations), in seconds of wall time */
#define RS_SAVE_SECONDS 600.0

static int save_all(const rs_train *r, const char *dir, int resumed) {
    char path[1100];
    snprintf(path, sizeof path, "%s/policy.safetensors", dir);
    if (rs_policy_save(r->ops->policy(r->trainer), path) != 0) return -1;
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    if (rs_trainer_save(r->ops, r->trainer, path) != 0) return -1;
    if (!resumed) return 0; /* a new run wrote its config.json at the start */
    /* a resume with --steps changes the budget: once a checkpoint holds it,
     * config.json says it too */
    char *js = r->ops->config_to_json(r->cfg);
    snprintf(path, sizeof path, "%s/config.json", dir);
    int rc = js && rs_cli_write_file(path, js, 1) == 0 ? 0 : -1;
    if (rc) rs_set_error("cannot write %s: %s", path, strerror(errno));
    free(js);
    return rc;
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

/* What a resumed run carries on from its log: the time_s of the last line
 * (0 when there is none), and the last evaluation (for the progress line) */
static double log_tail(const char *path, rs_train *r) {
    if (!rs_cli_exists(path)) return 0;
    char *text = rs_read_file(path, NULL);
    if (!text) return 0;
    double t = 0;
    for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl) *nl = 0;
        cJSON *o = *line ? cJSON_Parse(line) : NULL;
        const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, "time_s") : NULL;
        if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) t = v->valuedouble;
        const cJSON *e = o ? cJSON_GetObjectItemCaseSensitive(o, "eval") : NULL;
        const cJSON *ret = cJSON_GetObjectItemCaseSensitive(e, "return");
        const cJSON *it = o ? cJSON_GetObjectItemCaseSensitive(o, r->ops->iter_name) : NULL;
        if (cJSON_IsNumber(ret) && cJSON_IsNumber(it)) {
            r->ev.iter = (long)it->valuedouble;
            r->ev.ret = ret->valuedouble;
        }
        cJSON_Delete(o);
    }
    free(text);
    return t;
}

/* Evaluate the policy as it is after iteration r->st.iter (rs_trainer_evaluate:
 * deterministic episodes that leave the training as it was) and keep the
 * means on the run's reward in r->ev. 0, or -1 (error set). */
static int evaluate(rs_train *r, int episodes, long seed) {
    rs_eval_result res;
    double t0 = rs_now();
    if (rs_trainer_evaluate(r->ops, r->trainer, episodes, &res) != 0) return -1;
    rs_train_eval *e = &r->ev;
    double sd;
    e->iter = r->st.iter;
    e->episodes = res.episodes;
    e->seed = rs_trainer_eval_seed(seed);
    rs_eval_reward_stats(&res, r->w, &e->ret, &e->ret_std);
    e->length = 0;
    for (int i = 0; i < res.episodes; i++)
        e->length += res.length[i];
    e->length /= res.episodes;
    for (int k = 0; k < r->spec->n_terms; k++)
        rs_eval_term_stats(&res, k, &e->terms[k], &sd);
    rs_eval_result_free(&res);
    e->seconds = rs_now() - t0;
    return 0;
}

/* the evaluation's time (a top-level "_s" key, as every clock reading of a
 * line) and its numbers */
static void add_eval(cJSON *o, const rs_train *r) {
    const rs_train_eval *e = &r->ev;
    cJSON_AddNumberToObject(o, "eval_s", e->seconds);
    cJSON *v = cJSON_AddObjectToObject(o, "eval");
    cJSON_AddNumberToObject(v, "episodes", e->episodes);
    cJSON_AddNumberToObject(v, "seed", (double)e->seed);
    cJSON_AddNumberToObject(v, "return", e->ret);
    cJSON_AddNumberToObject(v, "return_std", e->ret_std);
    cJSON_AddNumberToObject(v, "length", e->length);
    cJSON *t = cJSON_AddObjectToObject(v, "terms");
    for (int i = 0; i < r->spec->n_terms; i++)
        cJSON_AddNumberToObject(t, r->spec->terms[i], e->terms[i]);
}

/* a log.jsonl line: the counters, the algorithm's own numbers, the recent
 * episodes, and the evaluation when this iteration had one */
static cJSON *log_line(const rs_train *r, double elapsed, double steps_per_s) {
    const rs_trainer_stats *k = &r->st;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, r->ops->iter_name, (double)k->iter);
    cJSON_AddNumberToObject(o, "step", (double)k->step);
    cJSON_AddNumberToObject(o, "time_s", elapsed);
    cJSON_AddNumberToObject(o, "steps_per_s", steps_per_s);
    r->ops->log_numbers(r->trainer, o);
    cJSON_AddNumberToObject(o, "episodes", k->episodes);
    if (k->window) {
        cJSON_AddNumberToObject(o, "ep_return", k->ep_return);
        cJSON_AddNumberToObject(o, "ep_length", k->ep_length);
        if (r->ops->log_episodes) r->ops->log_episodes(r->trainer, o);
        cJSON *t = cJSON_AddObjectToObject(o, "ep_terms");
        for (int i = 0; i < r->spec->n_terms; i++)
            cJSON_AddNumberToObject(t, r->spec->terms[i], k->ep_terms[i]);
    }
    if (r->ev.iter == k->iter && k->iter > 0) add_eval(o, r);
    return o;
}

/* progress.csv: the same columns for every algorithm (plot scripts read
 * step and ep_return; the first is "iter" whatever log.jsonl calls an
 * iteration), the evaluation's (empty on rows without one), the
 * algorithm's own last. Into buf[cap], without the newline. */
static void csv_header(char *buf, size_t cap, const rs_train *r) {
    size_t n = (size_t)snprintf(buf, cap, "iter,step,time_s,steps_per_s,ep_return,ep_length");
    for (int t = 0; t < r->spec->n_terms && n < cap; t++)
        n += (size_t)snprintf(buf + n, cap - n, ",%s", r->spec->terms[t]);
    if (n < cap)
        n += (size_t)snprintf(buf + n, cap - n, ",eval_return,eval_length%s",
                              r->ops->csv_header ? r->ops->csv_header : "");
}

static void csv_row(FILE *f, const rs_train *r, double elapsed, double sps) {
    const rs_trainer_stats *k = &r->st;
    fprintf(f, "%ld,%ld,%.3f,%.1f,%.6g,%.6g", k->iter, k->step, elapsed, sps, k->ep_return,
            k->ep_length);
    for (int t = 0; t < r->spec->n_terms; t++)
        fprintf(f, ",%.6g", k->ep_terms[t]);
    if (r->ev.iter == k->iter) fprintf(f, ",%.6g,%.6g", r->ev.ret, r->ev.length);
    else fputs(",,", f);
    if (r->ops->csv_row) r->ops->csv_row(r->trainer, f);
    fputc('\n', f);
    fflush(f);
}

/* A resumed run's progress.csv written by an older rsoup has other columns
 * (PPO's first was "update", the evaluation's and PPO's losses were not
 * there): give it today's header, each old value under the column of its
 * name ("update" under "iter"), the new columns empty, so that the rows
 * the resume appends fit the header. 0, or -1 (error set). */
static int csv_relayout(const char *path, const char *header) {
    if (!rs_cli_exists(path)) return 0;
    size_t len = 0;
    char *text = rs_read_file(path, &len);
    if (!text) return -1;
    char *nl = strchr(text, '\n');
    size_t hl = nl ? (size_t)(nl - text) : len;
    if (hl == strlen(header) && !memcmp(text, header, hl)) {
        free(text);
        return 0;
    }
    enum { MAX_COLS = 256 };
    char *old[MAX_COLS];
    int n_old = 0, n_new = 1, idx[MAX_COLS];
    if (nl) *nl = 0;
    for (char *c = text, *save = NULL, *tok; n_old < MAX_COLS && (tok = strtok_r(c, ",", &save));
         c = NULL)
        old[n_old++] = tok;
    for (const char *h = header; *h; h++)
        n_new += *h == ',';
    size_t rows = 0;
    for (const char *q = nl ? nl + 1 : text + len; *q; q++)
        rows += *q == '\n';
    if (n_new > MAX_COLS) {
        free(text);
        rs_set_error("%s: more than %d columns", path, MAX_COLS);
        return -1;
    }
    char *out = malloc(len + strlen(header) + rows * (size_t)n_new + 2);
    if (!out) {
        free(text);
        rs_set_error("out of memory");
        return -1;
    }
    /* where each of today's columns was */
    const char *h = header;
    for (int j = 0; j < n_new; j++) {
        const char *e = strchr(h, ',');
        size_t w = e ? (size_t)(e - h) : strlen(h);
        idx[j] = -1;
        for (int i = 0; i < n_old; i++) {
            const char *name = !strcmp(old[i], "update") ? "iter" : old[i];
            if (strlen(name) == w && !strncmp(name, h, w)) idx[j] = i;
        }
        h = e ? e + 1 : h + w;
    }
    size_t k = (size_t)sprintf(out, "%s\n", header);
    for (char *line = nl ? nl + 1 : text + len, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        if (!end) break; /* trim_log has dropped a partial last row */
        *end = 0;
        const char *f[MAX_COLS];
        size_t fw[MAX_COLS];
        int nf = 0;
        for (const char *c = line; nf < MAX_COLS;) {
            const char *e = strchr(c, ',');
            f[nf] = c;
            fw[nf++] = e ? (size_t)(e - c) : strlen(c);
            if (!e) break;
            c = e + 1;
        }
        for (int j = 0; j < n_new; j++) {
            if (j) out[k++] = ',';
            if (idx[j] >= 0 && idx[j] < nf) {
                memcpy(out + k, f[idx[j]], fw[idx[j]]);
                k += fw[idx[j]];
            }
        }
        out[k++] = '\n';
    }
    out[k] = 0;
    int rc = rs_cli_write_file(path, out, 0);
    if (rc) rs_set_error("cannot rewrite %s: %s", path, strerror(errno));
    free(out);
    free(text);
    return rc;
}

/* the progress line's status: the window's means, the algorithm's own
 * numbers, then the terms the reward weighs */
static void status_text(char *buf, size_t cap, const rs_train *r) {
    const rs_trainer_stats *k = &r->st;
    buf[0] = 0;
    /* the last evaluation's return, from the first one on */
    int n = r->ev.iter > 0 ? snprintf(buf, cap, "eval %.1f%s", r->ev.ret, k->window ? " " : "") : 0;
    if (!k->window) return;
    if (n < (int)cap)
        n += snprintf(buf + n, cap - (size_t)n, "return %.1f len %.0f", k->ep_return, k->ep_length);
    if (r->ops->status && n < (int)cap) n += r->ops->status(r->trainer, buf + n, cap - (size_t)n);
    for (int t = 0; t < r->spec->n_terms && n < (int)cap; t++)
        if (r->w[t] != 0)
            n += snprintf(buf + n, cap - (size_t)n, " %s %.3g", r->spec->terms[t], k->ep_terms[t]);
}

int rs_train_run(rs_train *r, const rs_train_args *a) {
    const rs_trainer_ops *ops = r->ops;
    const rs_trainer_run_info in = ops->run_info(r->cfg);
    const char *dir = a->dir;
    if (!(r->trainer = ops->create(r->cfg))) {
        rs_train_free(r);
        return rs_cli_fail("train");
    }
    if (load(r, a) != 0) {
        rs_train_free(r);
        return rs_cli_fail(a->resume ? NULL : "--init");
    }
    if (a->resume && !more(r)) {
        /* nothing to train: say so, and leave every file as it is */
        if (a->io)
            fprintf(stderr, "rsoup train: %s is complete (step %ld); nothing to resume — give "
                            "--steps N to train further\n", a->dir, global_step(r));
        rs_train_free(r);
        return 0;
    }
    /* config.json (new runs), log.jsonl and progress.csv: rank 0 writes
     * them, the other ranks write to /dev/null */
    char path[1100];
    int bad = 0;
    FILE *log = NULL, *csv = NULL;
    if (!a->resume && a->io) {
        char *js = ops->config_to_json(r->cfg);
        snprintf(path, sizeof path, "%s/config.json", dir);
        bad = rs_cli_write_file(path, js, 1) != 0;
        int err = errno;
        free(js);
        if (bad) fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(err));
        /* what made the run (config.json stays a config --config reads back) */
        if (!bad) {
            cJSON *pj = rs_cli_provenance_json(in.threads ? in.threads : rs_ncores(), -1);
            char *ps = pj ? cJSON_Print(pj) : NULL;
            snprintf(path, sizeof path, "%s/provenance.json", dir);
            bad = !ps || rs_cli_write_file(path, ps, 1) != 0;
            if (bad) fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(errno));
            free(ps);
            cJSON_Delete(pj);
        }
    }
    double time_before = 0; /* a resumed run's clock continues from its checkpoint's */
    if (a->resume && a->io && !bad) {
        const long at = global_step(r);
        snprintf(path, sizeof path, "%s/log.jsonl", dir);
        bad = trim_log(path, at, 0) != 0;
        if (!bad) time_before = log_tail(path, r);
        snprintf(path, sizeof path, "%s/progress.csv", dir);
        char header[4096];
        csv_header(header, sizeof header, r);
        bad = bad || trim_log(path, at, 1) != 0 || csv_relayout(path, header) != 0;
        if (bad) fprintf(stderr, "rsoup train: %s\n", rs_last_error());
    }
    snprintf(path, sizeof path, "%s/progress.csv", dir);
    int csv_new = !a->resume || !rs_cli_exists(path);
    if (!bad) {
        snprintf(path, sizeof path, "%s/log.jsonl", dir);
        /* never through a link out of the folder, never into a FIFO */
        const char *mode = a->resume ? "a" : "w";
        log = a->io ? rs_fopen_output(path, mode) : fopen("/dev/null", mode);
        bad = !log;
        if (bad) fprintf(stderr, "rsoup train: %s\n", rs_last_error());
    }
    if (!bad) {
        /* the same numbers as CSV, for gnuplot and spreadsheets */
        snprintf(path, sizeof path, "%s/progress.csv", dir);
        const char *mode = csv_new ? "w" : "a";
        csv = a->io ? rs_fopen_output(path, mode) : fopen("/dev/null", mode);
        bad = !csv;
        if (bad) fprintf(stderr, "rsoup train: %s\n", rs_last_error());
    }
    if (any_rank(bad)) {
        if (log) fclose(log);
        if (csv) fclose(csv);
        rs_train_free(r);
        return 1;
    }
    if (csv_new) {
        char header[4096];
        csv_header(header, sizeof header, r);
        fprintf(csv, "%s\n", header);
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    rs_progress prog;
    char what[64];
    snprintf(what, sizeof what, "%s %s", ops->progress_label, in.env);
    long start_step = global_step(r);
    rs_progress_start(&prog, what, ops->planned_steps(r->trainer));
    prog.quiet = a->quiet;
    if (!a->quiet) ops->banner(r->trainer, dir, stderr);
    double t0 = rs_now(), last_save = t0;
    long done_here = 0;
    int rc = 0;
    while (more(r) && !g_stop) {
        if (ops->iterate(r->trainer, &r->st) != 0) {
            fprintf(stderr, "\nrsoup train: %s\n", rs_last_error());
            rc = 1;
            break;
        }
        const rs_trainer_stats *k = &r->st;
        /* every eval_every-th iteration and the last: which ones depends on
         * the iteration alone, so a resumed run evaluates where an
         * uninterrupted one does. Rank 0 alone evaluates (it writes the
         * logs); the collectives wait for it in the next iteration. */
        if (a->io && in.eval_every > 0 && (k->iter % in.eval_every == 0 || !more(r)) &&
            evaluate(r, in.eval_episodes, in.seed) != 0) {
            fprintf(stderr, "\nrsoup train: evaluation after %s %ld: %s\n", ops->iter_name, k->iter,
                    rs_last_error());
            rc = 1;
            break;
        }
        double el = rs_now() - t0;
        double sps = (double)(k->step - start_step) / (el > 0 ? el : 1e-9);
        cJSON *o = log_line(r, time_before + el, sps);
        char *line = cJSON_PrintUnformatted(o);
        fprintf(log, "%s\n", line);
        fflush(log);
        free(line);
        cJSON_Delete(o);
        if (k->window || r->ev.iter == k->iter) csv_row(csv, r, time_before + el, sps);
        /* a log that cannot be written (full disk) stops the run now, not
         * at the final save hours later */
        if (fflush(csv) != 0 || ferror(log) || ferror(csv)) {
            fprintf(stderr, "\nrsoup train: cannot write %s/log.jsonl or progress.csv: %s\n", dir,
                    strerror(errno));
            rc = 1;
            break;
        }
        char status[256];
        status_text(status, sizeof status, r);
        rs_progress_update(&prog, (double)k->step, status);
        done_here++;
        /* every save_every iterations, and also after a run's first one and
         * whenever RS_SAVE_SECONDS have passed: a kill early in a long run,
         * or between sparse checkpoints, loses little. Saving changes no bit
         * of the training, so when it happens does not matter to a resume. */
        int due = in.save_every > 0 && (k->iter % in.save_every == 0 || k->iter == 1 ||
                                         rs_now() - last_save >= RS_SAVE_SECONDS);
        if (a->io && due) {
            if (save_all(r, dir, a->resume != NULL) != 0) {
                fprintf(stderr, "\nrsoup train: saving: %s\n", rs_last_error());
                rc = 1;
                break;
            }
            last_save = rs_now();
        }
        if (a->max_iters > 0 && done_here >= a->max_iters) break;
    }
    fclose(log);
    fclose(csv);
    const long step = global_step(r);
    if (rc == 0 && a->io) {
        if (save_all(r, dir, a->resume != NULL) != 0) {
            fprintf(stderr, "rsoup train: saving: %s\n", rs_last_error());
            rc = 1;
        } else {
            rs_progress_finish(&prog, (double)step, "");
            const char *hint, *missing = ops->resume_missing ? ops->resume_missing(r->cfg, &hint)
                                                             : NULL;
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
        }
    }
    if (a->json && rc == 0) {
        double el = rs_now() - t0;
        cJSON *o = log_line(r, time_before + el, (double)(step - start_step) / (el > 0 ? el : 1e-9));
        cJSON_AddStringToObject(o, "dir", dir);
        rs_json_print(o);
    }
    rs_train_free(r);
    return rc ? rc : (g_stop ? 130 : 0);
}
