/* env_swimmer.c — the three-link swimmer (Gymnasium Swimmer-v4 semantics:
 * never terminates, only the 1000-step time limit). */
#include "rs_robot.h"

enum { FORWARD, HEALTHY, CTRL, Y_VELOCITY, ENERGY, N_TERMS };

static void observe(const rs_env *e, float *obs) {
    /* qpos without the x and y positions, then qvel */
    obs = rs_obs_put(obs, e->d->qpos + 2, e->m->nq - 2, 0);
    rs_obs_put(obs, e->d->qvel, e->m->nv, 0);
}

static void before(rs_env *e) {
    e->before[0] = e->d->qpos[0];
    e->before[1] = e->d->qpos[1];
}

static int after(rs_env *e, const float *a, double *t) {
    t[FORWARD] = (e->d->qpos[0] - e->before[0]) / e->dt;
    t[HEALTHY] = 1.0;
    t[CTRL] = -rs_sumsq(a, e->spec->act_dim);
    t[Y_VELOCITY] = (e->d->qpos[1] - e->before[1]) / e->dt;
    t[ENERGY] = -e->energy_acc;
    return 0;
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
    .n_terms = N_TERMS,
    .terms = {"forward", "healthy", "ctrl", "y_velocity", "energy"},
    .term_docs = {"x velocity of the front tip's frame (m/s)", "1 per step (never terminates)",
                  "-sum(a^2)", "y velocity (m/s)",
                  "-sum |actuator force * joint velocity| * dt (J)"},
    .n_presets = 5,
    .presets = {{"default", "forward=1,ctrl=0.0001", "Gymnasium Swimmer-v4 reward"},
                {"risky", "forward=1", "velocity, no control cost"},
                {"cautious", "forward=1,ctrl=1", "velocity - 1.0*sum(a^2)"},
                {"mo_velocity", "forward=1", "MO-Gymnasium objective 1: vx"},
                {"mo_energy", "ctrl=1", "MO-Gymnasium objective 2: -sum(a^2)"}},
    .joints = "slider1 slider2 free_body_rot motor1_rot motor2_rot",
    .z_qpos = -1,
    .observe = observe,
    .before = before,
    .after = after,
};
