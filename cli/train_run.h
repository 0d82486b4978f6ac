/* train_run.h — one run of `rsoup train`, PPO or SAC, the same way for both:
 * the flags, the config it starts (or resumes) with, and the run itself —
 * config.json, log.jsonl (one line per iteration), progress.csv, progress on
 * stderr, policy.safetensors and train.safetensors saved atomically every
 * save_every iterations, at the end and on Ctrl-C, and the --json summary.
 * train_run.c branches on the algorithm where the two differ; each one's own
 * words (its log line, its first line on stderr, its --help) are in
 * cmd_train.c (PPO) and cmd_train_sac.c (SAC). */
#ifndef RS_TRAIN_RUN_H
#define RS_TRAIN_RUN_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "rs_ppo.h"
#include "rs_sac.h"

#define RS_TRAIN_MAX_FLAGS 64

/* the command line */
typedef struct rs_train_args {
    const char *out, *resume, *config;
    const char *dir;       /* the run directory: resume, else out */
    char train_file[1100]; /* dir/train.safetensors */
    long max_iters;        /* --max-updates (--max-iters) K: stop after K here; -1: no limit */
    int quiet, json;
    int io; /* 1 on the process that writes (MPI rank 0 of a data-parallel PPO run) */
    /* every other flag as a config key (dashes as underscores, steps as
     * total_steps) and its value, in command-line order */
    int n;
    const char *keys[RS_TRAIN_MAX_FLAGS], *vals[RS_TRAIN_MAX_FLAGS];
    char keybuf[RS_TRAIN_MAX_FLAGS][64];
} rs_train_args;

/* a run: the config of its algorithm, then its trainer and last stats */
typedef struct rs_train {
    rs_algo algo;
    rs_ppo_config ppo_cfg;
    rs_sac_config sac_cfg;
    rs_ppo *ppo; /* the one of algo; the other stays NULL */
    rs_sac *sac;
    rs_ppo_stats ppo_st;
    rs_sac_stats sac_st;
    const rs_env_spec *spec;
    double w[RS_MAX_TERMS]; /* the reward's weights */
} rs_train;

/* 0: go on; 2: a bad flag (message printed); -1: --help asked */
int rs_train_parse(rs_train_args *a, rs_algo algo, int argc, char **argv);
/* r's config for algo: the defaults, then --config and the flags, or, when
 * resuming, the checkpoint's and the flags that may change; then its env,
 * reward and run directory. 0, or the exit code (message printed) */
int rs_train_config(rs_train *r, rs_algo algo, const rs_train_args *a);
/* make the trainer, train, save, free it: the exit code (130: interrupted) */
int rs_train_run(rs_train *r, const rs_train_args *a);

/* ---- each algorithm's own words ----
 * *_numbers: its numbers in a log.jsonl line (and the --json summary),
 * between the counters and the recent episodes; *_banner: the run's first
 * line on stderr */
/* PPO (cmd_train.c) */
void rs_train_ppo_numbers(cJSON *o, const rs_ppo_stats *s);
void rs_train_ppo_banner(const rs_train *r, const char *dir);
/* SAC (cmd_train_sac.c) */
int rs_train_wants_sac(int argc, char **argv);
void rs_train_sac_help(FILE *f);
void rs_train_sac_numbers(cJSON *o, const rs_sac_stats *s);
void rs_train_sac_banner(const rs_train *r, const char *dir);
/* why a run saved without its replay buffer cannot --resume; returns 1 */
int rs_train_sac_no_replay(const rs_train *r, const char *dir);

#endif
