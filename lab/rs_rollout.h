/* rs_rollout.h — a random or zero policy on one env (rsoup rollout; the
 * experiment report's zero-action floor). */
#ifndef RS_ROLLOUT_H
#define RS_ROLLOUT_H

#include <stdint.h>

#include "rs_env.h"

typedef struct rs_rollout_result {
    const rs_env_spec *spec;
    int episodes;
    double ret_mean, ret_std, len_mean;
    double terms_mean[RS_MAX_TERMS]; /* mean episode return of each term */
    double terms_std[RS_MAX_TERMS];  /* and its std over the episodes */
    double steps_per_s;
} rs_rollout_result;
/* policy "random" (uniform in the action bounds) or "zero", on the embedded
 * model or model_path (a user's variant), scored with the reward weights w;
 * 0 or -1 (error set) */
int rs_rollout(const rs_env_spec *s, const char *model_path, const double *w, const char *policy,
               int episodes, int n_envs, int threads, uint64_t seed, rs_rollout_result *out);

#endif
