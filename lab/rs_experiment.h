/* rs_experiment.h — the rewarded-soups protocol as a job graph, replicated over
 * seeds.
 *
 * An experiment config (JSON) describes: env, proxy rewards, pretraining,
 * fine-tuning, the λ grid, MORL weightings, a control with independent
 * inits, the reference point, and the seeds. One replicate expands into:
 *
 *   pretrain ──► expert_i (one per proxy reward, --init pretrain)
 *            ├─► morl_k   (one per weighting μ_k, scalarised reward)
 *            └─► twin_<r1> (finetune.twin: reward 1 again, another seed)
 *   (finetune.shared_seed: every expert_i takes expert_1's seed)
 *   control_i (one per proxy reward, from scratch, different seeds)
 *   front   ◄── experts, morl, pretrain      control_front ◄── control_i
 *   twin_front ◄── expert_<r1>, twin_<r1>, pretrain (the same-reward floor)
 *
 * The fine-tuning stages (experts, MORL runs, twin) take the ppo block,
 * rsoup's fine-tuning set and the finetune.ppo block; the pretraining and
 * the controls the ppo block alone. With pretrain.from there is no
 * pretrain job: each replicate fine-tunes another experiment's init.
 *
 * With "seeds" (or --seeds) there are K replicates, each in DIR/seed_<s>/,
 * whose every seed is the config's plus 10000·s; all their jobs go into one
 * graph. Without, the one replicate lives in DIR itself with the config's
 * seeds (experiments made before seeds existed keep their folders).
 *
 * Each job is one `rsoup` subcommand run in its own process, with a stamp
 * of its exact command in its folder: a finished job whose stamp matches is
 * skipped, a started one resumes, a changed one starts over. A failed job
 * stops only what depends on it; the report covers the replicates that
 * finished and names the others.
 *
 * Files (lab/): rs_experiment_config.c (parsing), rs_experiment_graph.c
 * (jobs, stamps), rs_experiment_run.c (scheduling, processes, the MPI work
 * queue), rs_experiment_report.c (metrics, aggregates, report); the command
 * is cli/cmd_experiment.c. */
#ifndef RS_EXPERIMENT_H
#define RS_EXPERIMENT_H

#include <stdio.h>
#include <sys/types.h>

#include "rs_env.h"

#define RS_EXP_MAX_REWARDS 4
#define RS_EXP_MAX_MU 32
#define RS_EXP_MAX_SEEDS 64
#define RS_EXP_SEED_STRIDE 10000L /* replicate s: every seed + s * stride */
#define RS_EXP_PATH 1024          /* --out and every path built from it */

typedef struct rs_exp_config {
    char name[64];
    char env[32];
    char algo[8];
    int n_rewards;
    char reward_names[RS_EXP_MAX_REWARDS][64];
    char reward_specs[RS_EXP_MAX_REWARDS][512];
    char pretrain_reward[512];
    long pretrain_steps, pretrain_seed;
    long finetune_steps;
    long seed;            /* expert seeds: seed + i */
    char ppo_json[4096];  /* hyperparameter overrides for every training ("" = none) */
    /* the fine-tuning stages' (experts, MORL, twin) complete overrides: the
     * ppo block, rsoup's fine-tuning set and the finetune.ppo block, in that
     * order ("" = the ppo block's, when neither of the others adds a key) */
    char ft_ppo_json[8192];
    int twin;             /* 1: a second expert on the first reward (another seed) */
    int shared_seed;      /* 1: every expert fine-tunes with the first's seed (the same
                           * env seeds and random stream; only the rewards differ) */
    char pretrain_from[RS_EXP_PATH]; /* "": pretrain here; else another experiment's
                                      * folder whose (replicate's) pretrain is the init */
    int ppo_own_set;      /* 1 when the trainings take the env's own PPO set (hparams auto) */
    int grid, episodes;
    long eval_seed;
    int n_mu;
    double mu[RS_EXP_MAX_MU][RS_EXP_MAX_REWARDS];
    long morl_steps;
    int control;          /* 1: train the control experts */
    long control_steps;
    int has_ref;
    double ref[RS_EXP_MAX_REWARDS];
    int threads;
    int n_seeds;          /* 0: one replicate in DIR itself (no "seeds") */
    long seeds[RS_EXP_MAX_SEEDS];
    double lmc_tol;       /* relative barrier tolerance (rs_lmc.h) */
} rs_exp_config;

/* parse and validate; errors name the JSON path, e.g. "quick.json: morl.mu[2]: ..." */
int rs_exp_config_parse(const char *text, const char *where, rs_exp_config *c);
/* a config's "name": one path component of letters, digits, '_', '-', '.'
 * and '+', not starting with '.' or '-'. 0, or -1 (error set) */
int rs_exp_name_check(const char *name);
/* "5" (seeds 1..5) or "1,4,9"; replaces the config's seeds. 0 or -1 (error set) */
int rs_exp_seeds_parse(const char *text, rs_exp_config *c);

/* ---- the job graph (rs_experiment_graph.c) ---- */
typedef enum { J_PENDING, J_RUNNING, J_DONE, J_FAILED, J_SKIPPED, J_BLOCKED } rs_job_state;

typedef struct rs_job {
    char name[200];       /* "expert_risky", or "seed_3/expert_risky" */
    char dir[RS_EXP_PATH];  /* the job's folder (stamps live here) */
    char out[RS_EXP_PATH];  /* what it produces (a folder for train, a file for front) */
    int is_train;
    int is_finetune;      /* trains from the init with the fine-tuning settings */
    int rep;              /* replicate index */
    char **args;          /* the rsoup arguments (after the program name) */
    int nargs, cap_args;
    int *deps, ndeps, cap_deps;
    char *desc;           /* the exact command and its inputs' hashes: the stamp,
                           * with the experiment's folder named "<out>" */
    char *desc_here;      /* the stamp with the folder named as --out gives it: a
                           * front's .started (its file names its experts' paths:
                           * it resumes only where they were) */
    char *desc_head;      /* its command and settings' hashes (before the inputs') */
    char *desc_tail;      /* its piece after them (pretrain.from's), or "" */
    rs_job_state state;
    pid_t pid;
    double t0;
    int rank;             /* where it runs */
} rs_job;

typedef struct rs_exp_rep {
    long seed;            /* the replicate's seed s (0 for the single legacy one) */
    char dir[RS_EXP_PATH];
} rs_exp_rep;

typedef struct rs_job_graph {
    rs_job *jobs;
    int n, cap;
    char out[RS_EXP_PATH]; /* the experiment's folder (--out) */
    int n_reps;
    rs_exp_rep reps[RS_EXP_MAX_SEEDS];
} rs_job_graph;

/* build every replicate's jobs; -1 (error set) on a path too long or no memory */
int rs_exp_graph_build(const rs_exp_config *c, const char *out, rs_job_graph *g);
void rs_exp_graph_free(rs_job_graph *g);
/* stamps: a train job's DIR/.started and .done; a front's FILE.started/.done.
 * A stamp names every path under the experiment's folder relative to it
 * ("<out>/seed_1/pretrain"), so that a record moved or copied elsewhere (its
 * stamps, its folder) still reads as up to date. Stamps written before this
 * named the folder as --out gave it then; they match too, wherever that was
 * (the folder's old name is read from the stamp's own --out). A front's
 * .started stamp is the exception: a partial front file names its experts'
 * paths, so it resumes only where it was started (that stamp names the
 * folder as --out does) */
void rs_exp_stamp_path(const rs_job *j, const char *which, char *buf, size_t n);
int rs_exp_stamp_matches(const rs_job_graph *g, const rs_job *j, const char *which);
/* the job's command as one shell-safe line */
void rs_exp_job_command(const rs_job *j, char *buf, size_t n);
/* remove a training folder before it starts over: only a folder rsoup made
 * (it holds a .started stamp, or is empty); never follows links, no shell.
 * 0, or -1 (error set; nothing removed) */
int rs_exp_remove_run_dir(const char *dir);

/* ---- running it (rs_experiment_run.c) ---- */
/* where the runner and the report say what they do (a job started, done,
 * failed or skipped, a moved reference point, plots not made) and where the
 * plot script's output goes: NULL (the default) says nothing; the CLI
 * passes stderr */
void rs_exp_log_to(FILE *f);
FILE *rs_exp_log(void);
/* printf to that log (nothing when there is none) */
void rs_exp_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 1 when another process holds a lock on path (a running train on its
 * folder, a front on its file, a runner on its experiment); 0 when it is
 * free, absent, or neither a folder nor a regular file */
int rs_exp_path_busy(const char *path);
/* the rsoup executable the jobs run */
void rs_exp_set_self(const char *path);
/* run the graph: `parallel` local slots on rank 0, plus one slot on every
 * other MPI rank. Returns 0 when every job finished, 1 when some failed
 * (their dependents are J_BLOCKED, the rest ran), -1 when interrupted (a
 * rerun resumes), -2 on an internal error (said in the log). */
int rs_exp_run(rs_job_graph *g, int parallel, int threads_per_job, int quiet);
/* ranks > 0: run the jobs rank 0 sends until it says stop */
int rs_exp_worker_loop(void);
void rs_exp_stop_workers(void);

/* ---- metrics and report (rs_experiment_report.c) ---- */
/* metrics.json, the per-λ tables for the plots, plots, report.md; prints
 * the headline. In stages (rs_experiment_report.c): load the replicates'
 * fronts, the reference point, each replicate's metrics, the aggregates
 * over replicates, then lambda_stats.csv, metrics.json, the plots,
 * report.md and the headline. wall_s: this invocation's time. 0, or -1
 * (error set) when no replicate has a front. */
int rs_exp_report(const rs_exp_config *c, const char *config_path, const char *out,
                  const rs_job_graph *g, double wall_s, int threads);
/* where the headline goes (default NULL: nowhere; the CLI sends it to
 * stdout, or with `experiment --json`, which keeps stdout for its JSON, to
 * stderr) */
void rs_exp_report_headline_to(FILE *f);

#endif
