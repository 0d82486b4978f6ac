/* env_halfcheetah.c — the planar half cheetah (Gymnasium HalfCheetah-v4
 * semantics: never terminates, only the 1000-step time limit). */
#include "rs_robot.h"

enum { FORWARD, HEALTHY, CTRL, JUMP, ENERGY, N_TERMS };

static void observe(const rs_env *e, float *obs) {
    obs = rs_obs_put(obs, e->d->qpos + 1, e->m->nq - 1, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 0);
}

static void before(rs_env *e) { e->before[0] = e->d->qpos[0]; }

static int after(rs_env *e, const float *a, double *t) {
    t[FORWARD] = (e->d->qpos[0] - e->before[0]) / e->dt;
    t[HEALTHY] = 1.0;
    t[CTRL] = -rs_sumsq(a, e->spec->act_dim);
    t[JUMP] = e->d->qpos[1] - e->init_z;
    t[ENERGY] = -e->energy_acc;
    return 0;
}

const rs_env_spec rs_spec_halfcheetah = {
    .name = "halfcheetah",
    .asset = "halfcheetah.xml",
    .summary = "planar two-legged runner; never falls, time limit only",
    .obs_dim = 17,
    .act_dim = 6,
    .frame_skip = 5,
    .act_bound = 1.0,
    .noise_kind = RS_NOISE_UNIFORM_NORMAL,
    .noise_scale = 0.1,
    .n_terms = N_TERMS,
    .terms = {"forward", "healthy", "ctrl", "jump", "energy"},
    .term_docs = {"x velocity of the torso (m/s)", "1 per step (the cheetah never falls)",
                  "-sum(a^2)", "torso height change since reset (m)",
                  "-sum |actuator force * joint velocity| * dt (J)"},
    .n_presets = 5,
    .presets = {{"default", "forward=1,ctrl=0.1", "Gymnasium HalfCheetah-v4 reward"},
                {"risky", "forward=1", "velocity, no control cost"},
                {"cautious", "forward=1,ctrl=1", "velocity - 1.0*sum(a^2)"},
                {"mo_velocity", "forward=1", "MO-Gymnasium objective 1: vx"},
                {"mo_energy", "ctrl=1", "MO-Gymnasium objective 2: -sum(a^2)"}},
    .joints = "rootx rootz rooty bthigh bshin bfoot fthigh fshin ffoot",
    .z_qpos = 1,
    .observe = observe,
    .before = before,
    .after = after,
};
