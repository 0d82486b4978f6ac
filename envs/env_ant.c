/* env_ant.c — the quadruped ant (Gymnasium Ant-v4 semantics, without
 * contact forces in the observation: 27 values). */
#include "rs_robot.h"

/* its terms and presets: rows of rs_terms.h's tables (T, W, O) or its own (P) */
#define TERMS(T, W, O)                                                                             \
    T(FORWARD) T(HEALTHY) T(CTRL) T(Y_VELOCITY)                                                    \
    W(CONTACT, "-sum(clip(external contact forces, -1, 1)^2)") T(JUMP) T(ENERGY)
enum { RS_TERM_IDS(TERMS) };

#define RS_VELOCITY "forward=1,healthy=1"
#define RS_VELOCITY_DOC "vx + healthy"
#define PRESETS(T, W, P)                                                                           \
    P(default, "forward=1,healthy=1,ctrl=0.5", "Gymnasium Ant-v4 reward")                          \
    T(risky) T(cautious) T(mo_velocity)                                                            \
    P(mo_y_velocity, "y_velocity=1,healthy=1", "MO-Gymnasium objective 2: vy + healthy")           \
    P(mo_energy, "ctrl=0.5,healthy=1", "MO-Gymnasium objective 3: -0.5*sum(a^2) + healthy")        \
    P(with_contact, "forward=1,healthy=1,ctrl=0.5,contact=0.0005",                                 \
      "Ant-v4 reward with use_contact_forces=True's contact cost")

static void observe(const rs_env *e, float *obs) {
    /* qpos without the x, y position of the torso, then qvel */
    obs = rs_obs_put(obs, e->d->qpos + 2, e->m->nq - 2, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 0);
}

/* v4's contact cost: external forces clipped to ±1, squared */
static void after(rs_env *e, const float *a, double *t) {
    (void)a;
    const mjModel *m = e->m;
    const mjData *d = e->d;
    double c = 0.0;
    for (int i = 0; i < 6 * m->nbody; i++) {
        double f = d->cfrc_ext[i];
        f = f < -1 ? -1 : (f > 1 ? 1 : f);
        c += f * f;
    }
    t[CONTACT] = -c;
}

static int terminated(const rs_env *e) {
    double z = e->d->qpos[2];
    int ok = z >= 0.2 && z <= 1.0; /* v4 uses a closed range here */
    return !ok;
}

const rs_env_spec rs_spec_ant = {
    .name = "ant",
    .asset = "ant.xml",
    .summary = "3D quadruped; the torso leaving 0.2-1.0 m ends the episode",
    .obs_dim = 27,
    .act_dim = 8,
    .frame_skip = 5,
    .act_bound = 1.0,
    .noise_kind = RS_NOISE_UNIFORM_NORMAL,
    .noise_scale = 0.1,
    RS_SPEC_TERMS(TERMS),
    RS_SPEC_PRESETS(PRESETS),
    .joints = "root hip_1 ankle_1 hip_2 ankle_2 hip_3 ankle_3 hip_4 ankle_4",
    .nbody = 14,
    .needs_contact_forces = 1,
    .z_qpos = 2,
    .observe = observe,
    .before = rs_record_xy,
    .after = after,
    .terminated = terminated,
};
