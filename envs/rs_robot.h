/* rs_robot.h — helpers shared by the robot files (internal to envs/). */
#ifndef RS_ROBOT_H
#define RS_ROBOT_H

#include <math.h>

#include "rs_env.h"
#include "rs_terms.h"

static inline double rs_sumsq(const float *a, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) s += (double)a[i] * (double)a[i];
    return s;
}

/* copy src[0..n) into obs as float, optionally clipped to ±clip (clip <= 0: none) */
static inline float *rs_obs_put(float *obs, const mjtNum *src, int n, double clip) {
    for (int i = 0; i < n; i++) {
        double v = src[i];
        if (clip > 0) v = v < -clip ? -clip : (v > clip ? clip : v);
        *obs++ = (float)v;
    }
    return obs;
}

/* before callbacks of the robots whose x (and y) slide or free joint stands
 * for their position: the table's forward (and y_velocity) are its rates */
static inline void rs_record_x(rs_env *e) { e->before[0] = e->d->qpos[0]; }
static inline void rs_record_xy(rs_env *e) {
    e->before[0] = e->d->qpos[0];
    e->before[1] = e->d->qpos[1];
}

static inline int rs_in_open(double v, double lo, double hi) { return lo < v && v < hi; }

#endif
