/* env_humanoid.c — the 3D humanoid (Gymnasium Humanoid-v4 semantics, 376
 * observations). Unlike v4, whose bindings left the contact forces at zero,
 * cfrc_ext is computed (mj_rnePostConstraint), so the observation's last 84
 * values and the `contact` term are real. The default reward has no contact
 * cost, as v4's was zero in effect. The centre-of-mass velocity uses the
 * current kinematics at both ends of the step (v4 used ones a substep old). */
#include "rs_robot.h"

/* its terms and presets: rows of rs_terms.h's tables (T, W, O) or its own (P) */
#define TERMS(T, W, O)                                                                             \
    O(FORWARD, "x velocity of the centre of mass (m/s)") T(HEALTHY) T(CTRL) T(CONTACT)             \
    O(Y_VELOCITY, "y velocity of the centre of mass (m/s)") T(JUMP) T(ENERGY)
enum { RS_TERM_IDS(TERMS) };

#define RS_VELOCITY "forward=1.25,healthy=5"
#define RS_VELOCITY_DOC "velocity + healthy"
#define PRESETS(T, W, P)                                                                           \
    P(default, "forward=1.25,healthy=5,ctrl=0.1", "Gymnasium Humanoid-v4 reward")                  \
    W(risky, "rewarded-soups paper: alpha = 0") W(cautious, "rewarded-soups paper: alpha = 1")     \
    T(mo_velocity)                                                                                 \
    P(mo_energy, "ctrl=1,healthy=5", "MO-Gymnasium objective 2: -sum(a^2) + healthy")              \
    P(with_contact, "forward=1.25,healthy=5,ctrl=0.1,contact=5e-7",                                \
      "v4 reward with its contact cost made real")

static void observe(const rs_env *e, float *obs) {
    const mjModel *m = e->m;
    const mjData *d = e->d;
    obs = rs_obs_put(obs, d->qpos + 2, m->nq - 2, 0);
    obs = rs_obs_put(obs, d->qvel, m->nv, 0);
    obs = rs_obs_put(obs, d->cinert, 10 * m->nbody, 0);
    obs = rs_obs_put(obs, d->cvel, 6 * m->nbody, 0);
    obs = rs_obs_put(obs, d->qfrc_actuator, m->nv, 0);
    rs_obs_put(obs, d->cfrc_ext, 6 * m->nbody, 0);
}

/* mass-weighted centre of the bodies' inertial frames (xipos), as v4 */
static void com_xy(const rs_env *e, double *x, double *y) {
    const mjModel *m = e->m;
    const mjData *d = e->d;
    double mx = 0, my = 0, mt = 0;
    for (int b = 0; b < m->nbody; b++) {
        mx += m->body_mass[b] * d->xipos[3 * b];
        my += m->body_mass[b] * d->xipos[3 * b + 1];
        mt += m->body_mass[b];
    }
    *x = mx / mt;
    *y = my / mt;
}

/* the centre of mass at the start of the step was computed at the end of
 * the previous one (or at reset), from the current state */
static void before(rs_env *e) {
    e->before[0] = e->before[2];
    e->before[1] = e->before[3];
}

/* after mj_step the kinematics are one substep old; bring positions and com
 * quantities up to the current state so the velocity and the observation's
 * cinert/cvel describe where the robot is now */
static void refresh(rs_env *e) {
    mj_kinematics(e->m, e->d);
    mj_comPos(e->m, e->d);
    mj_comVel(e->m, e->d);
    com_xy(e, &e->before[2], &e->before[3]);
}

static void after(rs_env *e, const float *a, double *t) {
    (void)a;
    const mjModel *m = e->m;
    const mjData *d = e->d;
    refresh(e);
    double x = e->before[2], y = e->before[3];
    t[FORWARD] = (x - e->before[0]) / e->dt;
    t[Y_VELOCITY] = (y - e->before[1]) / e->dt;
    double c = 0.0;
    for (int i = 0; i < 6 * m->nbody; i++) c += d->cfrc_ext[i] * d->cfrc_ext[i];
    t[CONTACT] = -c;
}

static int terminated(const rs_env *e) {
    double z = e->d->qpos[2];
    return !(z > 1.0 && z < 2.0);
}

const rs_env_spec rs_spec_humanoid = {
    .name = "humanoid",
    .asset = "humanoid.xml",
    .summary = "3D biped, 17 actuators; the torso leaving 1-2 m ends the episode",
    .obs_dim = 376,
    .act_dim = 17,
    .frame_skip = 5,
    .act_bound = 0.4,
    .noise_kind = RS_NOISE_UNIFORM,
    .noise_scale = 1e-2,
    RS_SPEC_TERMS(TERMS),
    RS_SPEC_PRESETS(PRESETS),
    .joints = "root abdomen_z abdomen_y abdomen_x right_hip_x right_hip_z right_hip_y right_knee "
              "left_hip_x left_hip_z left_hip_y left_knee right_shoulder1 right_shoulder2 "
              "right_elbow left_shoulder1 left_shoulder2 left_elbow",
    .nbody = 14,
    .needs_contact_forces = 1,
    .z_qpos = 2,
    .observe = observe,
    .before = before,
    .after = after,
    .terminated = terminated,
    .on_reset = refresh,
};
