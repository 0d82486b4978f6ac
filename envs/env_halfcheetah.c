/* env_halfcheetah.c — the planar half cheetah (Gymnasium HalfCheetah-v4
 * semantics: never terminates, only the 1000-step time limit). */
#include "rs_robot.h"

/* its terms and presets: rows of rs_terms.h's tables (T, W, O) or its own (P) */
#define TERMS(T, W, O)                                                                             \
    T(FORWARD) W(HEALTHY, "1 per step (the cheetah never falls)") T(CTRL)                          \
    W(JUMP, "torso height change since reset (m)") T(ENERGY)

#define RS_VELOCITY "forward=1"
#define RS_VELOCITY_DOC "vx"
#define PRESETS(T, W, P)                                                                           \
    P(default, "forward=1,ctrl=0.1", "Gymnasium HalfCheetah-v4 reward")                            \
    T(risky) T(cautious) T(mo_velocity)                                                            \
    P(mo_energy, "ctrl=1", "MO-Gymnasium objective 2: -sum(a^2)")

static void observe(const rs_env *e, float *obs) {
    obs = rs_obs_put(obs, e->d->qpos + 1, e->m->nq - 1, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 0);
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
    RS_SPEC_TERMS(TERMS),
    RS_SPEC_PRESETS(PRESETS),
    .joints = "rootx rootz rooty bthigh bshin bfoot fthigh fshin ffoot",
    .z_qpos = 1,
    .observe = observe,
    .before = rs_record_x,
};
