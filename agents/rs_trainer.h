/* rs_trainer.h — the seam between a training algorithm and everything that
 * runs one. Each algorithm is an ops table (rs_trainer_ops: its name, its
 * training format, its config table, create/free, --init, its own part of
 * a checkpoint, one iteration with a small stats struct, finished, policy,
 * its envs, and its own words for logs), listed in the registry
 * (rs_trainer_find).
 * `rsoup train` holds {ops, config, trainer, stats} and never asks which
 * algorithm it runs. The envelope every training checkpoint shares (policy
 * tensors, config and format metadata, the format and shape checks, the
 * policy copy) is written once, here (rs_trainer_save / rs_trainer_load),
 * and so is the start from a shared init (rs_trainer_init), and an
 * evaluation between iterations (rs_trainer_evaluate).
 *
 * Also what the trainers keep the same way: parsing the env, reward, arch
 * and activation their config names (and labelling the new policy with
 * them), the window of recent episodes their stats average, opening a
 * shared init, and the context of a failed resume.
 *
 * The window travels in training checkpoints as F64 tensors window.ret [cap],
 * window.len [cap] and window.terms [cap, RS_MAX_TERMS]; its n and pos are
 * saved with each trainer's own counters. */
#ifndef RS_TRAINER_H
#define RS_TRAINER_H

#include <stdio.h>

#include "rs_eval.h"
#include "rs_policy.h"
#include "rs_safetensors.h"
#include "rs_vecenv.h"

#define RS_TRAINER_WINDOW_MAX 20

/* what a trainer's config names, parsed: the env, the reward's weights, the
 * hidden layers and their activation */
typedef struct rs_trainer_setup {
    const rs_env_spec *spec;
    double w[RS_MAX_TERMS];
    int hidden[RS_MLP_MAX_LAYERS], n_hidden;
    rs_activation act;
} rs_trainer_setup;

/* -1 + error naming the bad one */
int rs_trainer_setup_parse(rs_trainer_setup *t, const char *env, const char *reward,
                           const char *arch, const char *activation);
/* a new policy's env, reward (spec and weights) and seed */
void rs_trainer_label_policy(rs_policy *pol, const rs_trainer_setup *t, const char *reward,
                             long seed);

/* the last `cap` finished episodes, a ring: n of them so far, pos the next slot */
typedef struct rs_trainer_window {
    int cap, n, pos;
    double ret[RS_TRAINER_WINDOW_MAX], len[RS_TRAINER_WINDOW_MAX];
    double terms[RS_TRAINER_WINDOW_MAX][RS_MAX_TERMS];
} rs_trainer_window;

void rs_trainer_window_init(rs_trainer_window *w, int cap); /* cap <= RS_TRAINER_WINDOW_MAX */
/* the episode env i of v has just finished */
void rs_trainer_window_push(rs_trainer_window *w, const rs_vecenv *v, int i);
/* means over the window into the caller's ret, len and terms[n_terms] (which
 * must start at 0); ret and len are NAN while the window is empty */
void rs_trainer_window_mean(const rs_trainer_window *w, int n_terms, double *ret, double *len,
                            double *terms);
int rs_trainer_window_save(rs_st *st, const rs_trainer_window *w);
/* the three tensors; -1 + error naming one when absent or shaped differently */
int rs_trainer_window_load(const rs_st *st, rs_trainer_window *w);
/* n and pos as read from a checkpoint; -1 + error unless 0 <= n <= cap and
 * 0 <= pos < cap (a damaged file must not index past the window) */
int rs_trainer_window_counters(rs_trainer_window *w, int64_t n, int64_t pos);

/* The shared init of a run: `path` is a run directory (its train.safetensors,
 * else its policy.safetensors) or a checkpoint. Returns its policy and, in
 * *st, the whole file (the caller frees both) and, in file[cap], the file it
 * read. NULL + error when it cannot be read or its policy does not fit `run`
 * (env, sizes, algorithm and actor shape; `arch` names the run's in the error). */
rs_policy *rs_trainer_open_init(const char *path, const rs_policy *run, const char *arch,
                                rs_st **st, char *file, size_t cap);
/* record the init in the run's policy as "<file>@<FNV-1a of its bytes>" */
void rs_trainer_stamp_init(rs_policy *run, const char *file);

/* prefix the current error with "cannot resume from '<path>': " */
void rs_trainer_resume_error(const char *path);

/* ---- the trainer interface ---- */

/* what a run loop reads of the last iteration, the same for every algorithm */
typedef struct rs_trainer_stats {
    long iter, step; /* iterations done, env steps done (over all processes) */
    int episodes;    /* finished during this iteration */
    int window;      /* episodes in the recent window, whose means follow (NaN if none) */
    double ep_return, ep_length;
    double ep_terms[RS_MAX_TERMS];
} rs_trainer_stats;

/* out from the counters and the window's means */
void rs_trainer_stats_fill(rs_trainer_stats *out, long iter, long step, int episodes,
                           const rs_trainer_window *w, int n_terms);

/* what a config holds that the run around it needs */
typedef struct rs_trainer_run_info {
    const char *env, *reward, *init, *arch;
    int threads;    /* 0: all cores */
    int save_every; /* iterations between checkpoints (0: end only) */
    long seed;
    int eval_every;    /* iterations between evaluations, and one at the end (0: none) */
    int eval_episodes; /* episodes per evaluation */
} rs_trainer_run_info;

/* A flag without a value that sets a config key ("--save-replay") */
typedef struct rs_trainer_switch {
    const char *flag, *key, *value;
} rs_trainer_switch;

/* One algorithm. `void *c` is its config struct (config_size bytes), `void *t`
 * its trainer. Functions that can fail return 0, or -1 with the error set. */
typedef struct rs_trainer_ops {
    const char *name;         /* --algo and config.json's "algo": "ppo" */
    const char *title;        /* in messages: "PPO" */
    const char *train_format; /* train.safetensors' format_train: "rsoup-ppo-train-1" */
    const char *iter_name;    /* one iteration in log.jsonl: "update" (progress.csv: "iter") */
    const char *progress_label; /* the progress line's first word: "train" */
    int data_parallel;        /* may run over MPI ranks (rank 0 writes) */

    /* the config table: defaults, one key, a JSON object, the JSON text
     * (caller frees), the check, --help lines */
    size_t config_size;
    void (*config_default)(void *c);
    int (*config_set)(void *c, const char *key, const char *value);
    int (*config_from_json)(void *c, const void *cjson_obj, const char *where);
    char *(*config_to_json)(const void *c);
    int (*config_check)(const void *c);
    /* per-env defaults between the generic ones and the user's (may be NULL):
     * 1 when applied, with *source what they are (the caller applies the
     * user's settings again), 0 when none apply */
    int (*config_env_defaults)(void *c, const char **source);
    /* the same for the fine-tuning set, which applies over the env's set
     * when the run has an init (NULL: the algorithm has none) */
    int (*config_finetune_defaults)(void *c, const char **source);
    void (*help)(FILE *f);      /* its part of `rsoup train --help` */
    rs_trainer_run_info (*run_info)(const void *c);
    const char *const *resume_may; /* keys a resume may change, NULL-terminated */
    const char *resume_may_flags;  /* ... as flags, for the message */
    const rs_trainer_switch *switches; /* ends with {NULL} */
    /* a run in tests and examples that takes seconds: JSON config keys */
    const char *tiny_config;

    void *(*create)(const void *c);
    void (*destroy)(void *t);
    const void *(*config)(const void *t);
    rs_policy *(*policy)(void *t);
    /* the envs it steps: their model and thread pool serve evaluations
     * between iterations (rs_trainer_evaluate) */
    rs_vecenv *(*vecenv)(void *t);
    /* --init, after rs_trainer_init has opened and checked the init and
     * copied its actor: what else the algorithm takes from the init's policy
     * and file (PPO: log-std, normaliser, value net) */
    int (*init_state)(void *t, const rs_st *st, const rs_policy *init);
    /* its part of a checkpoint, between the envelope's policy tensors and
     * metadata (save) or after them (load) */
    int (*save_state)(const void *t, rs_st *st);
    int (*load_state)(void *t, const rs_st *st);
    /* what a run with config c leaves out of its checkpoints that an exact
     * resume needs ("its replay buffer"), with *hint how to keep it; NULL
     * when its checkpoints resume (the hook may be NULL) */
    const char *(*resume_missing)(const void *c, const char **hint);
    int (*iterate)(void *t, rs_trainer_stats *st);
    int (*finished)(const void *t);
    long (*global_step)(const void *t);
    double (*planned_steps)(const void *t); /* the run's total, for progress */

    /* its own words: numbers of a log.jsonl line (between the counters and the
     * episodes), more about the episodes (may be NULL), progress.csv's extra
     * columns (header text and values; NULL: none), the progress line's extra
     * status, and the run's first line on stderr */
    void (*log_numbers)(const void *t, void *cjson_obj);
    void (*log_episodes)(const void *t, void *cjson_obj);
    const char *csv_header;
    void (*csv_row)(const void *t, FILE *f);
    int (*status)(const void *t, char *buf, size_t cap);
    void (*banner)(const void *t, const char *dir, FILE *f);
} rs_trainer_ops;

/* the registry: NULL + error for a name no algorithm has */
const rs_trainer_ops *rs_trainer_find(const char *name);
/* the i-th algorithm (NULL past the end); the first is the default */
const rs_trainer_ops *rs_trainer_at(int i);
/* the algorithm whose train_format is `format_train`, or NULL */
const rs_trainer_ops *rs_trainer_for_format(const char *format_train);

/* The training checkpoint of trainer t at path, written atomically: the
 * policy's tensors and metadata, then ops->save_state's, with format
 * rsoup-train-1, format_train and train_config (the trainer's config). */
int rs_trainer_save(const rs_trainer_ops *ops, const void *t, const char *path);
/* Start t from the shared init at path (a run folder or a checkpoint,
 * rs_run_file): the init must fit the run (rs_trainer_open_init); its actor
 * is copied, then ops->init_state, and the init is stamped into t's policy
 * ("<file>@<hash>"). */
int rs_trainer_init(const rs_trainer_ops *ops, void *t, const char *path);
/* Resume t from path: the format and the policy's shapes are checked, the
 * policy (weights, log-std, normaliser, init stamp) copied into t's, then
 * ops->load_state. Errors start "cannot resume from '<path>': ". */
int rs_trainer_load(const rs_trainer_ops *ops, void *t, const char *path);

/* ---- evaluation during a run ---- */

/* The seed of a run's evaluations: episode i of every one of them starts
 * from state (run seed + RS_TRAINER_EVAL_SEED_OFFSET, i), so that
 * evaluations compare the policy along the run on the same starts, and
 * `rsoup eval DIR --seed <that seed>` repeats the last one. The offset keeps
 * them off the starts of the training envs, which use (run seed, i). */
#define RS_TRAINER_EVAL_SEED_OFFSET 1000000
uint64_t rs_trainer_eval_seed(long run_seed);
/* `episodes` deterministic (mean-action) episodes of t's current policy, as
 * `rsoup eval` runs them (rs_eval_policy), on new envs of t's model, on
 * the threads of its envs; call it between iterations. Nothing of t is
 * changed or drawn from: a run that evaluates trains the same bits as one
 * that does not. 0, or -1 (error set). */
int rs_trainer_evaluate(const rs_trainer_ops *ops, void *t, int episodes, rs_eval_result *out);

#endif
