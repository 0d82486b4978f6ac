/* rs_evalrun.h — `rsoup eval`: one policy run for K episodes on its env (or
 * a variant of its model), with what is reported about them: every term's
 * return, the episode lengths, the actions' size and saturation, and the
 * rewards the policy stands for when none are asked for (its training
 * reward, or for a soup each of its experts', then the env's default).
 *
 * open (the policy, its env and its rewards), run (the episodes and their
 * statistics), close. Each returns 0 or -1 with the error set. */
#ifndef RS_EVALRUN_H
#define RS_EVALRUN_H

#include <stdint.h>

#include "rs_eval.h"

#define RS_EVALRUN_MAX_REWARDS 16
#define RS_EVALRUN_SPEC_MAX 512

typedef struct rs_evalrun_req {
    const char *model; /* an MJCF variant of the robot, or NULL: the embedded one */
    int episodes;
    uint64_t seed;     /* episode i uses stream i */
    long threads;      /* 0: all cores */
    int deterministic; /* mean actions (else sampled) */
} rs_evalrun_req;

typedef struct rs_evalrun {
    rs_policy *policy;
    const rs_env_spec *spec;
    /* the rewards the policy stands for, without repeats, "default" last */
    int n_own;
    char own[RS_EVALRUN_MAX_REWARDS][RS_EVALRUN_SPEC_MAX];
    /* after rs_evalrun_run */
    rs_eval_result res;
    double length_mean, length_std; /* over episodes (population std) */
    double action_sq, action_sat;   /* rs_eval_action_stats */
    double steps_per_s;
    int ran;
} rs_evalrun;

/* Load the policy at path (a policy file; rs_run_file resolves folders)
 * and find its env; an env the file names but rsoup lacks is an error that
 * starts with path. */
int rs_evalrun_open(rs_evalrun *e, const char *path);
/* Run the episodes. A simulation that diverges (non-finite returns: a
 * model with timestep 0, NaN gravity, ...) is an error naming the model
 * and the episode, not a result. */
int rs_evalrun_run(rs_evalrun *e, const rs_evalrun_req *req);
void rs_evalrun_close(rs_evalrun *e); /* NULL-safe members; leaves e zeroed */

#endif
