/* rs_normalizer.h — running observation normaliser and reward (return) scaler.
 *
 * Both follow gym's RunningMeanStd: statistics in double, count starting at
 * 1e-4 with mean 0 and var 1 (a tiny pseudo-sample that keeps the first
 * divisions finite), and each batch merged with Chan's parallel-variance
 * formula, so B updates of one row and one update of B rows agree, and stats
 * gathered on different workers merge exactly (rs_normalizer_merge).
 *
 * Variances are population variances (divide by the count), as np.var.
 *
 * Ownership: rs_normalizer_new/free, rs_return_scaler_new/free (NULL-safe). */
#ifndef RS_NORMALIZER_H
#define RS_NORMALIZER_H

#define RS_NORM_EPS 1e-8        /* added to var before sqrt (gym's epsilon) */
#define RS_NORM_INIT_COUNT 1e-4 /* RunningMeanStd(epsilon=1e-4) */

/* ---- observation normaliser ---- */
typedef struct rs_normalizer {
    int dim;
    double *mean, *var; /* one allocation owned through mean */
    double count;
    float clip; /* apply() clips to [-clip, clip]; <= 0: no clipping */
} rs_normalizer;

rs_normalizer *rs_normalizer_new(int dim, float clip);
void rs_normalizer_free(rs_normalizer *n);
/* back to mean 0, var 1, count 1e-4 */
void rs_normalizer_reset(rs_normalizer *n);
/* fold in a batch x (B x dim, row-major); B <= 0 does nothing. No allocation. */
void rs_normalizer_update(rs_normalizer *n, const float *x, int B);
/* out = clip((x - mean) / sqrt(var + 1e-8), +-clip) for B rows; out may be x */
void rs_normalizer_apply(const rs_normalizer *n, const float *x, float *out, int B);
/* fold in another normaliser's statistics (mean[dim], var[dim], count) as if
 * its samples had been given to update(). -1 + error on a negative or
 * non-finite count. */
int rs_normalizer_merge(rs_normalizer *dst, const double *mean, const double *var, double count);

/* ---- scalar running statistics ---- */
typedef struct rs_running_scalar {
    double mean, var, count;
} rs_running_scalar;

void rs_running_scalar_init(rs_running_scalar *s); /* mean 0, var 1, count 1e-4 */
void rs_running_scalar_update(rs_running_scalar *s, const double *x, int n);
void rs_running_scalar_merge(rs_running_scalar *s, double mean, double var, double count);

/* ---- reward scaling by the std of the discounted return ----
 * gym 0.23's NormalizeReward (the one CleanRL's PPO used): per env
 *   ret = ret * gamma + r;  rms.update(ret over all envs);
 *   scaled = r / sqrt(rms.var + 1e-8), clipped to +-clip;  ret = 0 where done.
 * `done` is terminated OR truncated: the discounted return restarts with the
 * episode either way. */
typedef struct rs_return_scaler {
    int n_envs;
    double gamma;
    float clip;  /* <= 0: no clipping; CleanRL uses 10 */
    double *ret; /* running discounted return per env */
    rs_running_scalar rms;
} rs_return_scaler;

rs_return_scaler *rs_return_scaler_new(int n_envs, double gamma, float clip);
void rs_return_scaler_free(rs_return_scaler *s);
/* one vector step: rewards[n_envs], dones[n_envs] (nonzero = the episode
 * ended with this reward) -> scaled[n_envs] (may be rewards itself).
 * No allocation. */
void rs_return_scaler_update(rs_return_scaler *s, const float *rewards, const int *dones,
                             float *scaled);

#endif
