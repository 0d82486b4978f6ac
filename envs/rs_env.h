/* rs_env.h — multi-reward MuJoCo locomotion environments.
 *
 * An env reports a vector of named reward TERMS each step (forward velocity,
 * healthy bonus, control cost, ...). A reward is a weight vector over the
 * terms: training scalarises with it, evaluation keeps every term so any
 * reward can be scored after the fact. Semantics (observations, frame skip,
 * termination, truncation at 1000 steps, reset noise) follow Gymnasium v4.
 *
 * Ownership: rs_env_new/rs_env_free; obs/terms buffers are the caller's. */
#ifndef RS_ENV_H
#define RS_ENV_H

#include <stdint.h>

#include <mujoco/mujoco.h>

#include "rs_common.h"

#define RS_MAX_TERMS 8
#define RS_MAX_PRESETS 10
#define RS_MAX_STEPS 1000 /* time limit: truncation, not termination */

typedef struct rs_env rs_env;

typedef struct rs_preset {
    const char *name;
    const char *spec; /* a term list, e.g. "forward=1,healthy=1,ctrl=0.001" */
    const char *doc;
} rs_preset;

/* a term's formula when several robots share it (envs/rs_terms.h) */
typedef double rs_term_fn(const rs_env *e, const float *a);

typedef enum { RS_NOISE_UNIFORM = 0, RS_NOISE_UNIFORM_NORMAL = 1 } rs_noise_kind;

typedef struct rs_env_spec {
    const char *name;
    const char *asset; /* embedded MJCF file name */
    const char *summary;
    int obs_dim, act_dim, frame_skip;
    double act_bound; /* actions live in [-act_bound, act_bound] */
    rs_noise_kind noise_kind;
    double noise_scale;
    int n_terms;
    const char *terms[RS_MAX_TERMS];
    const char *term_docs[RS_MAX_TERMS];
    rs_term_fn *term_fn[RS_MAX_TERMS]; /* rs_terms.h's formula, or NULL: after() computes it */
    int n_presets;
    rs_preset presets[RS_MAX_PRESETS]; /* presets[0] is "default" */
    const char *joints;                /* expected joint names, in qpos order */
    int nbody;                         /* required body count (0: any) */
    int needs_contact_forces;          /* call mj_rnePostConstraint each step */
    int z_qpos;                        /* qpos index of the torso height, -1: none */
    /* callbacks of the robot file */
    void (*observe)(const rs_env *e, float *obs);
    void (*before)(rs_env *e);                         /* record pre-step state */
    void (*after)(rs_env *e, const float *a, double *terms); /* own terms; optional */
    int (*terminated)(const rs_env *e);                /* optional: NULL never falls */
    void (*on_reset)(rs_env *e);                       /* optional */
} rs_env_spec;

/* the env itself: public so robot files and the viewer can read the state */
struct rs_env {
    const rs_env_spec *spec;
    mjModel *m;
    mjData *d;
    int owns_model;
    double weights[RS_MAX_TERMS];
    rs_rng rng;
    int t;              /* steps in the current episode */
    double dt;          /* control step: timestep * frame_skip */
    double before[4];   /* robot-specific quantities carried between steps */
    double init_z;      /* height at reset (the "jump" term) */
    double energy_acc;  /* Σ|τ·q̇|·dt over the substeps of this step */
};

/* ---- registry ---- */
int rs_env_count(void);
const rs_env_spec *rs_env_spec_at(int i);
const rs_env_spec *rs_env_find(const char *name); /* NULL + error naming valid envs */
int rs_env_term_index(const rs_env_spec *s, const char *term); /* -1 if absent */

/* ---- rewards ----
 * Grammar: items separated by ',' or '+' (or '-', negating the next item);
 * an item is [coef '*'] (preset | term '=' weight | term).
 * Examples: "default", "forward=1,ctrl=-0.001,healthy=1", "0.3*risky+0.7*cautious".
 * Preset specs store costs as positive weights on negative terms (ctrl is −Σa²).
 * Fills weights[n_terms]. On error the message points at the offending token.
 * Every resulting weight lies in [-RS_REWARD_MAX_WEIGHT, RS_REWARD_MAX_WEIGHT]. */
#define RS_REWARD_MAX_WEIGHT 1e6
#define RS_REWARD_MAX_LEN 255 /* characters in a spec */
int rs_reward_parse(const rs_env_spec *s, const char *text, double *weights);
/* canonical text of a weight vector: "forward=1,healthy=1,ctrl=0.001" */
void rs_reward_format(const rs_env_spec *s, const double *weights, char *buf, int size);

/* ---- models ---- */
/* load the robot's embedded model, or path (a user's variant) validated
 * against the spec (joint names/order, actuator count, body count). */
mjModel *rs_model_load(const rs_env_spec *s, const char *path);
/* install quiet MuJoCo error/warning handlers (idempotent) */
void rs_mujoco_init(void);

/* ---- single env ---- */
rs_env *rs_env_make(const char *name, const double *weights, uint64_t seed);
/* full form: model may be NULL (the env loads and owns its own) or shared */
rs_env *rs_env_new(const rs_env_spec *s, mjModel *shared_model, const double *weights,
                   uint64_t seed, uint64_t stream);
void rs_env_free(rs_env *e);
void rs_env_seed(rs_env *e, uint64_t seed, uint64_t stream);
void rs_env_reset(rs_env *e, float *obs);
/* one control step; fills obs, terms[n_terms] and *reward = weights·terms.
 * Returns -1 (error set) on a non-finite action, with nothing simulated. */
int rs_env_step(rs_env *e, const float *action, float *obs, double *terms, double *reward,
                int *terminated, int *truncated);
void rs_env_observe(const rs_env *e, float *obs);
/* non-finite state: the simulation diverged */
int rs_env_state_bad(const rs_env *e);

#endif
