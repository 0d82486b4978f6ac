/* rs_trainrun.c — a training run's folder, the same way for every algorithm
 * of the trainer registry: config.json and provenance.json, log.jsonl and
 * progress.csv (their lines, their trimming and relayout on resume), the
 * checkpoints and when they are due, the evaluations between iterations.
 * The command (cli/train_run.c) parses the flags, drives the loop and says
 * what happens; everything here returns a status and sets the error. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_config.h"
#include "rs_lab.h"
#include "rs_lock.h"
#include "rs_provenance.h"
#include "rs_trainrun.h"

/* ---- the config ---- */

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
int rs_trainrun_saved_config(rs_train *r, const char *path) {
    rs_st *m = rs_st_load_meta(path);
    if (!m) return -1;
    const char *fmt = rs_st_meta(m, "format_train"), *js = rs_st_meta(m, "train_config");
    int rc = -1;
    cJSON *o = NULL;
    char where[RS_PATH_BUF];
    snprintf(where, sizeof where, "%.1000s: train_config", path);
    if (!fmt || strcmp(fmt, r->ops->train_format))
        rs_set_error("%s is not a %s training checkpoint (format_train '%s')", path, r->ops->title,
                     fmt ? fmt : "(none)");
    else if (!js)
        rs_set_error("%s has no train_config metadata", path);
    else if ((o = rs_json_parse(js, where)))
        rc = r->ops->config_from_json(r->cfg, o, "train_config.");
    if (!rc) rc = checkpoint_fits(r, m, path);
    cJSON_Delete(o);
    rs_st_free(m);
    return rc;
}

/* the user's settings: the --config object (may be NULL), then the flags.
 * 0, -1 on a bad object, 1 on a refused flag (out->bad_flag) */
static int apply_user(rs_train *r, const cJSON *user, const char *config_path,
                      const char *const *keys, const char *const *vals, int n,
                      rs_trainrun_layers *out) {
    if (user) {
        char where[RS_PATH_BUF];
        snprintf(where, sizeof where, "%s: ", config_path);
        if (r->ops->config_from_json(r->cfg, user, where) != 0) return -1;
    }
    for (int k = 0; k < n; k++)
        if (r->ops->config_set(r->cfg, keys[k], vals[k]) != 0) {
            out->bad_flag = k;
            return 1;
        }
    return 0;
}

int rs_trainrun_config_new(rs_train *r, const cJSON *user, const char *config_path,
                           const char *const *keys, const char *const *vals, int n,
                           rs_trainrun_layers *out) {
    const rs_trainer_ops *ops = r->ops;
    memset(out, 0, sizeof *out);
    out->bad_flag = -1;
    int rc = apply_user(r, user, config_path, keys, vals, n, out);
    /* the env (and hparams) may come from --config or a flag, so the user's
     * settings are applied once to learn them and again over the env's set */
    const char *source = NULL;
    if (!rc && ops->config_env_defaults && (rc = ops->config_env_defaults(r->cfg, &source)) == 1) {
        rc = apply_user(r, user, config_path, keys, vals, n, out);
        out->env_set = !rc;
        out->env_source = source;
    }
    /* then the fine-tuning set, when the run has an init: the user's keys
     * win over it too */
    if (!rc && ops->config_finetune_defaults &&
        (rc = ops->config_finetune_defaults(r->cfg, &source)) == 1) {
        rc = apply_user(r, user, config_path, keys, vals, n, out);
        out->finetune_set = !rc;
        out->finetune_source = source;
    }
    return rc;
}

int rs_trainrun_claim(const char *dir, int create) {
    if (create && rs_lab_mkdir_p(dir) != 0) {
        rs_set_error("cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    if (rs_lock_dir(dir) < 0) return -1;
    static const char *const files[] = {
        "config.json",        "provenance.json",   "log.jsonl", "progress.csv",
        "policy.safetensors", "train.safetensors", NULL};
    for (int i = 0; files[i]; i++) {
        char path[RS_PATH_BUF];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (rs_output_ok(path) != 0) return -1;
    }
    return 0;
}

void rs_train_free(rs_train *r) {
    if (r->trainer) r->ops->destroy(r->trainer);
    free(r->cfg);
    r->trainer = r->cfg = NULL;
}

int rs_trainrun_write_config(const rs_train *r, const char *dir) {
    char path[RS_PATH_BUF];
    char *js = r->ops->config_to_json(r->cfg);
    snprintf(path, sizeof path, "%s/config.json", dir);
    int bad = rs_lab_write_file(path, js, 1) != 0;
    int err = errno;
    free(js);
    if (bad) {
        rs_set_error("cannot write %s: %s", path, strerror(err));
        return -1;
    }
    /* what made the run (config.json stays a config --config reads back) */
    const rs_trainer_run_info in = r->ops->run_info(r->cfg);
    cJSON *pj = rs_provenance_json(in.threads ? in.threads : rs_ncores(), -1);
    char *ps = pj ? cJSON_Print(pj) : NULL;
    snprintf(path, sizeof path, "%s/provenance.json", dir);
    bad = !ps || rs_lab_write_file(path, ps, 1) != 0;
    if (bad) rs_set_error("cannot write %s: %s", path, strerror(errno));
    free(ps);
    cJSON_Delete(pj);
    return bad ? -1 : 0;
}

/* ---- the trainer ---- */

/* the checkpoint of a run to resume, or the shared init of a new one */
int rs_trainrun_load(rs_train *r, const char *train_file) {
    if (train_file) return rs_trainer_load(r->ops, r->trainer, train_file);
    const char *init = r->ops->run_info(r->cfg).init;
    return init[0] ? rs_trainer_init(r->ops, r->trainer, init) : 0;
}

/* The policy first, the training state last: train.safetensors is what a
 * resume continues from, so it must never be ahead of policy.safetensors.
 * A save that fails (or is killed) between the two leaves the policy ahead;
 * the resume then trains those updates again, bit for bit, and rewrites the
 * same policy. The other order left a run "complete" with a stale policy. */

int rs_trainrun_save(const rs_train *r, const char *dir, int resumed) {
    char path[RS_PATH_BUF];
    snprintf(path, sizeof path, "%s/policy.safetensors", dir);
    if (rs_policy_save(r->ops->policy(r->trainer), path) != 0) return -1;
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    if (rs_trainer_save(r->ops, r->trainer, path) != 0) return -1;
    if (!resumed) return 0; /* a new run wrote its config.json at the start */
    /* a resume with --steps changes the budget: once a checkpoint holds it,
     * config.json says it too */
    char *js = r->ops->config_to_json(r->cfg);
    snprintf(path, sizeof path, "%s/config.json", dir);
    int rc = js && rs_lab_write_file(path, js, 1) == 0 ? 0 : -1;
    if (rc) rs_set_error("cannot write %s: %s", path, strerror(errno));
    free(js);
    return rc;
}

int rs_trainrun_save_due(const rs_train *r, long iter, double since_save) {
    /* every save_every iterations, and also after a run's first one and
     * whenever RS_TRAINRUN_SAVE_SECONDS have passed: a kill early in a long
     * run, or between sparse checkpoints, loses little. Saving changes no bit
     * of the training, so when it happens does not matter to a resume. */
    const long every = r->ops->run_info(r->cfg).save_every;
    return every > 0 && (iter % every == 0 || iter == 1 || since_save >= RS_TRAINRUN_SAVE_SECONDS);
}

/* ---- the logs ---- */

/* A run killed after some updates but before its next checkpoint logged
 * rows the resume will log again: keep only the rows up to the checkpoint's
 * step (CSV: the header and rows whose second field is the step; JSONL: the
 * "step" key). 0, or -1 (error set). */
int rs_trainrun_trim_log(const char *path, long step, int csv) {
    if (!rs_lab_exists(path)) return 0;
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
    int rc = dropped ? rs_lab_write_file(path, out, 0) : 0;
    if (rc) rs_set_error("cannot rewrite %s: %s", path, strerror(errno));
    free(out);
    free(text);
    return rc;
}

/* What a resumed run carries on from its log: the time_s of the last line
 * (0 when there is none), and the last evaluation (for the progress line) */
static double log_tail(const char *path, rs_train *r) {
    if (!rs_lab_exists(path)) return 0;
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
int rs_trainrun_evaluate(rs_train *r, int episodes, long seed) {
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
cJSON *rs_trainrun_log_line(const rs_train *r, double elapsed, double steps_per_s) {
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
void rs_trainrun_csv_header(char *buf, size_t cap, const rs_train *r) {
    size_t n = (size_t)snprintf(buf, cap, "iter,step,time_s,steps_per_s,ep_return,ep_length");
    for (int t = 0; t < r->spec->n_terms && n < cap; t++)
        n += (size_t)snprintf(buf + n, cap - n, ",%s", r->spec->terms[t]);
    if (n < cap)
        n += (size_t)snprintf(buf + n, cap - n, ",eval_return,eval_length%s",
                              r->ops->csv_header ? r->ops->csv_header : "");
}

void rs_trainrun_csv_row(FILE *f, const rs_train *r, double elapsed, double sps) {
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
int rs_trainrun_csv_relayout(const char *path, const char *header) {
    if (!rs_lab_exists(path)) return 0;
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
    int rc = rs_lab_write_file(path, out, 0);
    if (rc) rs_set_error("cannot rewrite %s: %s", path, strerror(errno));
    free(out);
    free(text);
    return rc;
}

/* the progress line's status: the window's means, the algorithm's own
 * numbers, then the terms the reward weighs */
void rs_trainrun_status(char *buf, size_t cap, const rs_train *r) {
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

int rs_trainrun_resume_logs(rs_train *r, const char *dir, double *time_before) {
    char path[RS_PATH_BUF];
    const long at = r->ops->global_step(r->trainer);
    *time_before = 0;
    snprintf(path, sizeof path, "%s/log.jsonl", dir);
    if (rs_trainrun_trim_log(path, at, 0) != 0) return -1;
    *time_before = log_tail(path, r);
    snprintf(path, sizeof path, "%s/progress.csv", dir);
    char header[4096];
    rs_trainrun_csv_header(header, sizeof header, r);
    if (rs_trainrun_trim_log(path, at, 1) != 0 || rs_trainrun_csv_relayout(path, header) != 0)
        return -1;
    return 0;
}

/* ---- the logs while the run runs ---- */

int rs_trainrun_logs_open(rs_train *r, const char *dir, int resume, int io, rs_trainrun_logs *L) {
    memset(L, 0, sizeof *L);
    L->dir = dir;
    char path[RS_PATH_BUF];
    if (!resume && io && rs_trainrun_write_config(r, dir) != 0) return -1;
    if (resume && io && rs_trainrun_resume_logs(r, dir, &L->time_before) != 0) return -1;
    snprintf(path, sizeof path, "%s/progress.csv", dir);
    L->csv_new = !resume || !rs_lab_exists(path);
    snprintf(path, sizeof path, "%s/log.jsonl", dir);
    const char *mode = resume ? "a" : "w";
    L->log = io ? rs_fopen_output(path, mode) : fopen("/dev/null", mode);
    if (!L->log) return -1;
    /* the same numbers as CSV, for gnuplot and spreadsheets */
    snprintf(path, sizeof path, "%s/progress.csv", dir);
    mode = L->csv_new ? "w" : "a";
    L->csv = io ? rs_fopen_output(path, mode) : fopen("/dev/null", mode);
    if (!L->csv) {
        fclose(L->log);
        L->log = NULL;
        return -1;
    }
    return 0;
}

void rs_trainrun_logs_header(rs_trainrun_logs *L, const rs_train *r) {
    if (!L->csv_new) return;
    char header[4096];
    rs_trainrun_csv_header(header, sizeof header, r);
    fprintf(L->csv, "%s\n", header);
}

int rs_trainrun_logs_write(rs_trainrun_logs *L, const rs_train *r, double elapsed, double sps) {
    const double t = L->time_before + elapsed;
    cJSON *o = rs_trainrun_log_line(r, t, sps);
    char *line = cJSON_PrintUnformatted(o);
    fprintf(L->log, "%s\n", line);
    fflush(L->log);
    free(line);
    cJSON_Delete(o);
    if (r->st.window || r->ev.iter == r->st.iter) rs_trainrun_csv_row(L->csv, r, t, sps);
    if (fflush(L->csv) != 0 || ferror(L->log) || ferror(L->csv)) {
        rs_set_error("cannot write %s/log.jsonl or progress.csv: %s", L->dir, strerror(errno));
        return -1;
    }
    return 0;
}

void rs_trainrun_logs_close(rs_trainrun_logs *L) {
    if (L->log) fclose(L->log);
    if (L->csv) fclose(L->csv);
    L->log = L->csv = NULL;
}
