/* env_swimmer.c — the three-link swimmer (Gymnasium Swimmer-v4 semantics:
 * never terminates, only the 1000-step time limit). */
#include "rs_robot.h"

/* its terms and presets: rows of rs_terms.h's tables (T, W, O) or its own (P) */
#define TERMS(T, W, O)                                                                             \
    W(FORWARD, "x velocity of the front tip's frame (m/s)")                                        \
    W(HEALTHY, "1 per step (never terminates)") T(CTRL) W(Y_VELOCITY, "y velocity (m/s)")          \
    T(ENERGY)

#define RS_VELOCITY "forward=1"
#define RS_VELOCITY_DOC "vx"
#define PRESETS(T, W, P)                                                                           \
    P(default, "forward=1,ctrl=0.0001", "Gymnasium Swimmer-v4 reward")                             \
    T(risky) T(cautious) T(mo_velocity)                                                            \
    P(mo_energy, "ctrl=1", "MO-Gymnasium objective 2: -sum(a^2)")

static void observe(const rs_env *e, float *obs) {
    /* qpos without the x and y positions, then qvel */
    obs = rs_obs_put(obs, e->d->qpos + 2, e->m->nq - 2, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 0);
}

const rs_env_spec rs_spec_swimmer = {
    .name = "swimmer",
    .asset = "swimmer.xml",
    .summary = "three-link swimmer in a viscous fluid; time limit only",
    .obs_dim = 8,
    .act_dim = 2,
    .frame_skip = 4,
    .act_bound = 1.0,
    .noise_kind = RS_NOISE_UNIFORM,
    .noise_scale = 0.1,
    RS_SPEC_TERMS(TERMS),
    RS_SPEC_PRESETS(PRESETS),
    .joints = "slider1 slider2 free_body_rot motor1_rot motor2_rot",
    .z_qpos = -1,
    .observe = observe,
    .before = rs_record_xy,
};
