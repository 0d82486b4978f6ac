/* rs_trainer.h — what the PPO and SAC trainers keep the same way: parsing
 * the env, reward, arch and activation their config names (and labelling
 * the new policy with them), the window of recent episodes their stats
 * average, opening a shared init, and the context of a failed resume.
 *
 * The window travels in training checkpoints as F64 tensors window.ret [cap],
 * window.len [cap] and window.terms [cap, RS_MAX_TERMS]; its n and pos are
 * saved with each trainer's own counters. */
#ifndef RS_TRAINER_H
#define RS_TRAINER_H

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

#endif
