/* train_run.h — one run of `rsoup train`, the same way for every algorithm
 * in the trainer registry (agents/rs_trainer.h): the flags, the config it
 * starts (or resumes) with, and the run itself — config.json, log.jsonl (one
 * line per iteration), progress.csv, progress on stderr, deterministic
 * evaluations every eval_every iterations and at the end, policy.safetensors
 * and train.safetensors saved atomically every save_every iterations, at the
 * end and on Ctrl-C, and the --json summary. What differs between
 * algorithms (their config keys, log numbers, first line, --help) comes from
 * their ops table; this file never asks which algorithm it runs. */
#ifndef RS_TRAIN_RUN_H
#define RS_TRAIN_RUN_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "rs_trainer.h"
#include "rs_trainrun.h"

#define RS_TRAIN_MAX_FLAGS 64

/* the command line */
typedef struct rs_train_args {
    const char *out, *resume, *config;
    const char *dir;       /* the run directory: resume, else out */
    char train_file[RS_PATH_BUF]; /* dir/train.safetensors */
    long max_iters;        /* --max-updates (--max-iters) K: stop after K here; -1: no limit */
    int quiet, json;
    int io; /* 1 on the process that writes (MPI rank 0 of a data-parallel PPO run) */
    /* every other flag as a config key (dashes as underscores, steps as
     * total_steps) and its value, in command-line order */
    int n;
    const char *keys[RS_TRAIN_MAX_FLAGS], *vals[RS_TRAIN_MAX_FLAGS];
    char keybuf[RS_TRAIN_MAX_FLAGS][64];
} rs_train_args;

/* the algorithm a command line asks for: --algo, else the one that wrote
 * the --resume run's checkpoint, else --config's "algo", else the default */
const rs_trainer_ops *rs_train_choose(int argc, char **argv);
/* 0: go on; 2: a bad flag (message printed); -1: --help asked */
int rs_train_parse(rs_train_args *a, const rs_trainer_ops *ops, int argc, char **argv);
/* r's config for ops: the defaults, then --config and the flags, or, when
 * resuming, the checkpoint's and the flags that may change; then its env,
 * reward and run directory. 0, or the exit code (message printed) */
int rs_train_config(rs_train *r, const rs_trainer_ops *ops, const rs_train_args *a);
/* make the trainer, train, save, free it and the config: the exit code
 * (130: interrupted) */
int rs_train_run(rs_train *r, const rs_train_args *a);

#endif
