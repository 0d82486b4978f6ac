/* env_walker2d.c — the planar biped (Gymnasium Walker2d-v4 semantics). */
#include "rs_robot.h"

/* its terms and presets: rows of rs_terms.h's tables (T, W, O) or its own (P) */
#define TERMS(T, W, O) T(FORWARD) T(HEALTHY) T(CTRL) T(JUMP) T(ENERGY)

#define RS_VELOCITY "forward=1,healthy=1"
#define RS_VELOCITY_DOC "vx + healthy"
#define PRESETS(T, W, P)                                                                           \
    P(default, "forward=1,healthy=1,ctrl=0.001", "Gymnasium Walker2d-v4 reward")                   \
    T(risky) T(cautious) T(mo_velocity)                                                            \
    P(mo_energy, "ctrl=1,healthy=1", "MO-Gymnasium objective 2: -sum(a^2) + healthy")

static void observe(const rs_env *e, float *obs) {
    obs = rs_obs_put(obs, e->d->qpos + 1, e->m->nq - 1, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 10.0);
}

static int terminated(const rs_env *e) {
    const mjtNum *q = e->d->qpos;
    int ok = rs_in_open(q[1], 0.8, 2.0) && rs_in_open(q[2], -1.0, 1.0);
    return !ok;
}

const rs_env_spec rs_spec_walker2d = {
    .name = "walker2d",
    .asset = "walker2d.xml",
    .summary = "planar biped; falls end the episode",
    .obs_dim = 17,
    .act_dim = 6,
    .frame_skip = 4,
    .act_bound = 1.0,
    .noise_kind = RS_NOISE_UNIFORM,
    .noise_scale = 5e-3,
    RS_SPEC_TERMS(TERMS),
    RS_SPEC_PRESETS(PRESETS),
    .joints = "rootx rootz rooty thigh_joint leg_joint foot_joint thigh_left_joint "
              "leg_left_joint foot_left_joint",
    .z_qpos = 1,
    .observe = observe,
    .before = rs_record_x,
    .terminated = terminated,
};
