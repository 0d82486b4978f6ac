/* env_hopper.c — the one-legged hopper (Gymnasium Hopper-v4 semantics). */
#include "rs_robot.h"

enum { FORWARD, HEALTHY, CTRL, JUMP, ENERGY, N_TERMS };

static void observe(const rs_env *e, float *obs) {
    /* qpos without the x position, then qvel clipped to ±10 */
    obs = rs_obs_put(obs, e->d->qpos + 1, e->m->nq - 1, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 10.0);
}

static void before(rs_env *e) { e->before[0] = e->d->qpos[0]; }

static int healthy(const rs_env *e) {
    const mjtNum *q = e->d->qpos, *v = e->d->qvel;
    for (int i = 2; i < e->m->nq; i++)
        if (!rs_in_open(q[i], -100, 100)) return 0;
    for (int i = 0; i < e->m->nv; i++)
        if (!rs_in_open(v[i], -100, 100)) return 0;
    return q[1] > 0.7 && rs_in_open(q[2], -0.2, 0.2);
}

static int after(rs_env *e, const float *a, double *t) {
    t[FORWARD] = (e->d->qpos[0] - e->before[0]) / e->dt;
    t[HEALTHY] = 1.0; /* v4 pays the bonus on every step, the last included */
    t[CTRL] = -rs_sumsq(a, e->spec->act_dim);
    t[JUMP] = e->d->qpos[1] - e->init_z;
    t[ENERGY] = -e->energy_acc;
    return !healthy(e);
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
    .n_terms = N_TERMS,
    .terms = {"forward", "healthy", "ctrl", "jump", "energy"},
    .term_docs = {"x velocity of the torso (m/s)", "1 per step while the episode runs",
                  "-sum(a^2)", "torso height above its reset height (m)",
                  "-sum |actuator force * joint velocity| * dt (J)"},
    .n_presets = 7,
    .presets = {{"default", "forward=1,healthy=1,ctrl=0.001", "Gymnasium Hopper-v4 reward"},
                {"risky", "forward=1,healthy=1", "velocity, no control cost"},
                {"cautious", "forward=1,healthy=1,ctrl=1", "velocity - 1.0*sum(a^2)"},
                {"mo_velocity", "forward=1,healthy=1", "MO-Gymnasium objective 1: vx + healthy"},
                {"mo_height", "jump=10,healthy=1", "MO-Gymnasium objective 2: 10*dz + healthy"},
                {"mo_energy", "ctrl=1,healthy=1", "MO-Gymnasium objective 3: -sum(a^2) + healthy"},
                {"jumpy", "forward=1,healthy=1,jump=10,ctrl=0.001", "velocity and height"}},
    .joints = "rootx rootz rooty thigh_joint leg_joint foot_joint",
    .nbody = 0,
    .needs_contact_forces = 0,
    .z_qpos = 1,
    .observe = observe,
    .before = before,
    .after = after,
};
