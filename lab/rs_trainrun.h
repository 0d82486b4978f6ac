/* rs_trainrun.h — a training run's folder, the same way for every algorithm
 * in the trainer registry (agents/rs_trainer.h): config.json and
 * provenance.json, log.jsonl (one line per iteration) and progress.csv, the
 * deterministic evaluations between iterations, policy.safetensors and
 * train.safetensors and when they are due, and what a resume does to the
 * logs a killed run left. What differs between algorithms comes from their
 * ops table; nothing here asks which algorithm it runs. `rsoup train`
 * (cli/train_run.c) parses the flags, drives the loop and prints; each
 * function here returns 0 or -1 with the error set. */
#ifndef RS_TRAINRUN_H
#define RS_TRAINRUN_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "rs_trainer.h"

/* the longest a run goes without a checkpoint (besides every save_every
 * iterations), in seconds of wall time */
#define RS_TRAINRUN_SAVE_SECONDS 600.0

/* the last evaluation of a run (eval_every > 0): its iteration (0: none
 * yet), the means over its episodes on the run's reward, and its time */
typedef struct rs_train_eval {
    long iter;
    int episodes;
    uint64_t seed;
    double ret, ret_std, length, terms[RS_MAX_TERMS];
    double seconds;
} rs_train_eval;

/* a run: its algorithm, its config, its trainer, the last stats and evaluation */
typedef struct rs_train {
    const rs_trainer_ops *ops;
    void *cfg;     /* ops->config_size bytes */
    void *trainer; /* while the run runs */
    rs_trainer_stats st;
    rs_train_eval ev;
    const rs_env_spec *spec;
    double w[RS_MAX_TERMS]; /* the reward's weights */
} rs_train;

/* ---- a new run's config, and its folder ---- */
/* what the layers of a new run's config did */
typedef struct rs_trainrun_layers {
    int env_set;                 /* the env's own hyperparameters were applied */
    const char *env_source;      /* what they are (may be NULL) */
    int finetune_set;            /* rsoup's fine-tuning set was applied (a run with an init) */
    const char *finetune_source; /* what it is (may be NULL) */
    int bad_flag;                /* the flag whose value was refused; -1: none */
} rs_trainrun_layers;

/* A new run's config in r->cfg (holding the algorithm's defaults): the
 * user's settings (the --config object, which may be NULL, named
 * config_path in errors, then the flags keys[k] = vals[k] in order) over
 * the defaults; then, where the algorithm has them and they apply, the
 * env's own set and the fine-tuning set, each followed by the user's
 * settings again (the env and an init may come from the user, and the
 * user's keys win over both sets). What applied goes to *out, up to the
 * first failure. 0; 1 when a flag's value is refused (out->bad_flag names
 * it, error set); -1 (error set) on a bad config object or a set that
 * cannot apply. */
int rs_trainrun_config_new(rs_train *r, const cJSON *user, const char *config_path,
                           const char *const *keys, const char *const *vals, int n,
                           rs_trainrun_layers *out);
/* A run folder claimed before the run starts: made (create), locked for
 * one writer (two would interleave their logs), and every file the run
 * writes a regular file or a new name, never a link (out of the folder,
 * maybe), a FIFO or a device: checked now, not at the first save hours
 * later. 0, or -1 (error set, naming the folder or file). */
int rs_trainrun_claim(const char *dir, int create);

/* the config a checkpoint was saved with (its train_config metadata, read
 * from the header alone) into r->cfg, checked against the checkpoint */
int rs_trainrun_saved_config(rs_train *r, const char *path);
/* free the trainer and the config (NULL-safe members) */
void rs_train_free(rs_train *r);
/* a new run's DIR/config.json and DIR/provenance.json */
int rs_trainrun_write_config(const rs_train *r, const char *dir);

/* the trainer's state from train_file (a resume), else its shared init (the
 * config's init, if any) */
int rs_trainrun_load(rs_train *r, const char *train_file);
/* policy.safetensors first, train.safetensors last (a resume continues from
 * the latter, so it is never ahead of the policy); resumed: config.json
 * again (a resume may change the budget) */
int rs_trainrun_save(const rs_train *r, const char *dir, int resumed);
/* 1 when a checkpoint is due after iteration iter, since_save seconds after
 * the last: every save_every iterations, after the first, and at least every
 * RS_TRAINRUN_SAVE_SECONDS (save_every 0: at the end only) */
int rs_trainrun_save_due(const rs_train *r, long iter, double since_save);

/* evaluate the policy as it is after iteration r->st.iter (deterministic
 * episodes that leave the training as it was); the means on the run's reward
 * into r->ev */
int rs_trainrun_evaluate(rs_train *r, int episodes, long seed);
/* a log.jsonl line (the caller frees): the counters, the algorithm's own
 * numbers, the recent episodes, and the evaluation when this iteration had
 * one */
cJSON *rs_trainrun_log_line(const rs_train *r, double elapsed, double steps_per_s);
/* progress.csv's header (into buf[cap], no newline) and one row (flushed) */
void rs_trainrun_csv_header(char *buf, size_t cap, const rs_train *r);
void rs_trainrun_csv_row(FILE *f, const rs_train *r, double elapsed, double sps);
/* the progress line's status text, into buf[cap] */
void rs_trainrun_status(char *buf, size_t cap, const rs_train *r);

/* a resume: log.jsonl and progress.csv keep only the rows up to the
 * checkpoint's step, progress.csv gets today's columns; *time_before is the
 * clock the run continues from (the last line's time_s) and r->ev the last
 * evaluation */
int rs_trainrun_resume_logs(rs_train *r, const char *dir, double *time_before);
/* the pieces of it: keep the rows of path (csv: the header and rows whose
 * second field is <= step; else JSONL lines whose "step" is) and drop a
 * partial last line; give the CSV at path the columns of header, each old
 * value under the column of its name ("update" under "iter") */
int rs_trainrun_trim_log(const char *path, long step, int csv);
int rs_trainrun_csv_relayout(const char *path, const char *header);

/* ---- the logs while the run runs ---- */
/* log.jsonl and progress.csv, open for the run (on a process that does not
 * write, MPI ranks > 0: /dev/null) */
typedef struct rs_trainrun_logs {
    const char *dir; /* borrowed */
    FILE *log, *csv;
    int csv_new;        /* progress.csv starts empty: it needs its header */
    double time_before; /* a resumed run's clock continues from this (s) */
} rs_trainrun_logs;

/* A new run's config.json and provenance.json (when io), a resume's logs
 * trimmed to the checkpoint (when io), then log.jsonl and progress.csv
 * opened, appended to when resuming; never through a link out of the
 * folder, never into a FIFO. On failure (error set) L holds nothing open. */
int rs_trainrun_logs_open(rs_train *r, const char *dir, int resume, int io, rs_trainrun_logs *L);
/* progress.csv's header, when it starts empty */
void rs_trainrun_logs_header(rs_trainrun_logs *L, const rs_train *r);
/* after an iteration: its log.jsonl line, its progress.csv row (when it
 * has finished episodes or an evaluation), both flushed; elapsed is this
 * process's time. A log that cannot be written (a full disk) is an error
 * now, not at the final save hours later. */
int rs_trainrun_logs_write(rs_trainrun_logs *L, const rs_train *r, double elapsed, double sps);
void rs_trainrun_logs_close(rs_trainrun_logs *L); /* NULL-safe members */

#endif
