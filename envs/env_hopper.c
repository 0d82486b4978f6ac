/* env_hopper.c — the one-legged hopper (Gymnasium Hopper-v4 semantics). */
#include "rs_robot.h"

/* its terms and presets: rows of rs_terms.h's tables (T, W, O) or its own (P) */
#define TERMS(T, W, O) T(FORWARD) T(HEALTHY) T(CTRL) T(JUMP) T(ENERGY)

#define RS_VELOCITY "forward=1,healthy=1"
#define RS_VELOCITY_DOC "vx + healthy"
#define PRESETS(T, W, P)                                                                           \
    P(default, "forward=1,healthy=1,ctrl=0.001", "Gymnasium Hopper-v4 reward")                     \
    T(risky) T(cautious) T(mo_velocity)                                                            \
    P(mo_height, "jump=10,healthy=1", "MO-Gymnasium objective 2: 10*dz + healthy")                 \
    P(mo_energy, "ctrl=1,healthy=1", "MO-Gymnasium objective 3: -sum(a^2) + healthy")              \
    P(jumpy, "forward=1,healthy=1,jump=10,ctrl=0.001", "velocity and height")

static void observe(const rs_env *e, float *obs) {
    /* qpos without the x position, then qvel clipped to ±10 */
    obs = rs_obs_put(obs, e->d->qpos + 1, e->m->nq - 1, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 10.0);
}

/* v4's healthy range: falling or a state outside ±100 ends the episode */
static int terminated(const rs_env *e) {
    const mjtNum *q = e->d->qpos, *v = e->d->qvel;
    for (int i = 2; i < e->m->nq; i++)
        if (!rs_in_open(q[i], -100, 100)) return 1;
    for (int i = 0; i < e->m->nv; i++)
        if (!rs_in_open(v[i], -100, 100)) return 1;
    return !(q[1] > 0.7 && rs_in_open(q[2], -0.2, 0.2));
}

const rs_env_spec rs_spec_hopper = {
    .name = "hopper",
    .asset = "hopper.xml",
    .summary = "one-legged planar hopper; falls end the episode",
    .obs_dim = 11,
    .act_dim = 3,
    .frame_skip = 4,
    .act_bound = 1.0,
    .noise_kind = RS_NOISE_UNIFORM,
    .noise_scale = 5e-3,
    RS_SPEC_TERMS(TERMS),
    RS_SPEC_PRESETS(PRESETS),
    .joints = "rootx rootz rooty thigh_joint leg_joint foot_joint",
    .nbody = 0,
    .needs_contact_forces = 0,
    .z_qpos = 1,
    .observe = observe,
    .before = rs_record_x,
    .terminated = terminated,
};
