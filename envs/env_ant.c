/* env_ant.c — the quadruped ant (Gymnasium Ant-v4 semantics, without
 * contact forces in the observation: 27 values). */
#include "rs_robot.h"

enum { FORWARD, HEALTHY, CTRL, Y_VELOCITY, CONTACT, JUMP, ENERGY, N_TERMS };

static void observe(const rs_env *e, float *obs) {
    /* qpos without the x, y position of the torso, then qvel */
    obs = rs_obs_put(obs, e->d->qpos + 2, e->m->nq - 2, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 0);
}

/* the free joint's position is the torso frame's position */
static void before(rs_env *e) {
    e->before[0] = e->d->qpos[0];
    e->before[1] = e->d->qpos[1];
}

static int after(rs_env *e, const float *a, double *t) {
    const mjModel *m = e->m;
    const mjData *d = e->d;
    t[FORWARD] = (d->qpos[0] - e->before[0]) / e->dt;
    t[Y_VELOCITY] = (d->qpos[1] - e->before[1]) / e->dt;
    t[HEALTHY] = 1.0;
    t[CTRL] = -rs_sumsq(a, e->spec->act_dim);
    /* v4's contact cost: external forces clipped to ±1, squared */
    double c = 0.0;
    for (int i = 0; i < 6 * m->nbody; i++) {
        double f = d->cfrc_ext[i];
        f = f < -1 ? -1 : (f > 1 ? 1 : f);
        c += f * f;
    }
    t[CONTACT] = -c;
    t[JUMP] = d->qpos[2] - e->init_z;
    t[ENERGY] = -e->energy_acc;
    double z = d->qpos[2];
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
    .n_terms = N_TERMS,
    .terms = {"forward", "healthy", "ctrl", "y_velocity", "contact", "jump", "energy"},
    .term_docs = {"x velocity of the torso (m/s)", "1 per step while the episode runs",
                  "-sum(a^2)", "y velocity of the torso (m/s)",
                  "-sum(clip(external contact forces, -1, 1)^2)",
                  "torso height above its reset height (m)",
                  "-sum |actuator force * joint velocity| * dt (J)"},
    .n_presets = 7,
    .presets = {{"default", "forward=1,healthy=1,ctrl=0.5", "Gymnasium Ant-v4 reward"},
                {"risky", "forward=1,healthy=1", "velocity, no control cost"},
                {"cautious", "forward=1,healthy=1,ctrl=1", "velocity - 1.0*sum(a^2)"},
                {"mo_velocity", "forward=1,healthy=1", "MO-Gymnasium objective 1: vx + healthy"},
                {"mo_y_velocity", "y_velocity=1,healthy=1",
                 "MO-Gymnasium objective 2: vy + healthy"},
                {"mo_energy", "ctrl=0.5,healthy=1", "MO-Gymnasium objective 3: -0.5*sum(a^2) + healthy"},
                {"with_contact", "forward=1,healthy=1,ctrl=0.5,contact=0.0005",
                 "Ant-v4 reward with use_contact_forces=True's contact cost"}},
    .joints = "root hip_1 ankle_1 hip_2 ankle_2 hip_3 ankle_3 hip_4 ankle_4",
    .nbody = 14,
    .needs_contact_forces = 1,
    .z_qpos = 2,
    .observe = observe,
    .before = before,
    .after = after,
};
