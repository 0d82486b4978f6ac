/* rs_terms.c — the formulas of the terms several robots share (the rows of
 * rs_terms.h that name one); rs_env_step applies them after every step. */
#include "rs_robot.h"

/* the robot's before callback recorded qpos[0..1] (rs_record_x, rs_record_xy) */
double rs_term_forward(const rs_env *e, const float *a) {
    (void)a;
    return (e->d->qpos[0] - e->before[0]) / e->dt;
}

double rs_term_y_velocity(const rs_env *e, const float *a) {
    (void)a;
    return (e->d->qpos[1] - e->before[1]) / e->dt;
}

double rs_term_healthy(const rs_env *e, const float *a) {
    (void)e;
    (void)a;
    return 1.0;
}

double rs_term_ctrl(const rs_env *e, const float *a) { return -rs_sumsq(a, e->spec->act_dim); }

double rs_term_jump(const rs_env *e, const float *a) {
    (void)a;
    return e->d->qpos[e->spec->z_qpos] - e->init_z;
}

double rs_term_energy(const rs_env *e, const float *a) {
    (void)a;
    return -e->energy_acc;
}
