/* env_walker2d.c — the planar biped (Gymnasium Walker2d-v4 semantics). */
#include "rs_robot.h"

enum { FORWARD, HEALTHY, CTRL, JUMP, ENERGY, N_TERMS };

static void observe(const rs_env *e, float *obs) {
    obs = rs_obs_put(obs, e->d->qpos + 1, e->m->nq - 1, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 10.0);
}

static void before(rs_env *e) { e->before[0] = e->d->qpos[0]; }

static int after(rs_env *e, const float *a, double *t) {
    const mjtNum *q = e->d->qpos;
    t[FORWARD] = (q[0] - e->before[0]) / e->dt;
    t[HEALTHY] = 1.0;
    t[CTRL] = -rs_sumsq(a, e->spec->act_dim);
    t[JUMP] = q[1] - e->init_z;
    t[ENERGY] = -e->energy_acc;
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
    .n_terms = N_TERMS,
    .terms = {"forward", "healthy", "ctrl", "jump", "energy"},
    .term_docs = {"x velocity of the torso (m/s)", "1 per step while the episode runs",
                  "-sum(a^2)", "torso height above its reset height (m)",
                  "-sum |actuator force * joint velocity| * dt (J)"},
    .n_presets = 5,
    .presets = {{"default", "forward=1,healthy=1,ctrl=0.001", "Gymnasium Walker2d-v4 reward"},
                {"risky", "forward=1,healthy=1", "velocity, no control cost"},
                {"cautious", "forward=1,healthy=1,ctrl=1", "velocity - 1.0*sum(a^2)"},
                {"mo_velocity", "forward=1,healthy=1", "MO-Gymnasium objective 1: vx + healthy"},
                {"mo_energy", "ctrl=1,healthy=1", "MO-Gymnasium objective 2: -sum(a^2) + healthy"}},
    .joints = "rootx rootz rooty thigh_joint leg_joint foot_joint thigh_left_joint "
              "leg_left_joint foot_left_joint",
    .z_qpos = 1,
    .observe = observe,
    .before = before,
    .after = after,
};
