/* rs_eval.h — deterministic evaluation of a policy: K whole episodes run in
 * parallel on the thread pool, episode i on an env seeded (seed, i), so the
 * result does not depend on the thread count. Every term's return is kept,
 * so any reward can be scored afterwards. */
#ifndef RS_EVAL_H
#define RS_EVAL_H

#include "rs_policy.h"
#include "rs_pool.h"

typedef struct rs_eval_result {
    int episodes, n_terms;
    double *terms;  /* episodes x n_terms: per-episode return of each term */
    int *length;    /* episodes */
    int act_dim;
    double *act_sq; /* episodes: Σ over steps of Σ_j a_j², the env's actions */
    long *act_sat;  /* episodes: action components within 1 % of the bound */
    long steps;     /* env steps taken */
    double seconds;
} rs_eval_result;

/* model: the env's model (NULL: load the embedded one). deterministic: mean
 * actions (otherwise sampled with the episode's own stream). */
int rs_eval_policy(const rs_policy *p, const rs_env_spec *s, const mjModel *model, int episodes,
                   uint64_t seed, int deterministic, rs_pool *pool, rs_eval_result *out);
void rs_eval_result_free(rs_eval_result *r);
/* several policies at once: n_pol x episodes tasks handed out dynamically to
 * the pool's threads (good balance when episode lengths differ). Episode i
 * of every policy starts from the same state (seed, i): common random
 * numbers, so differences between policies are not reset noise. out[n_pol].
 * progress (may be NULL) is called from the calling thread only. */
typedef void (*rs_eval_progress_fn)(void *ctx, long episodes_done, long steps_done);
int rs_eval_many(rs_policy *const *pols, int n_pol, const rs_env_spec *s, const mjModel *model,
                 int episodes, uint64_t seed, int deterministic, rs_pool *pool,
                 rs_eval_result *out, rs_eval_progress_fn progress, void *progress_ctx);
/* mean and std over episodes of weights . terms */
/* episode i's return under reward weights w */
double rs_eval_episode_reward(const rs_eval_result *r, int i, const double *w);
void rs_eval_reward_stats(const rs_eval_result *r, const double *weights, double *mean, double *std);
void rs_eval_term_stats(const rs_eval_result *r, int term, double *mean, double *std);
/* over all episodes' steps: the mean Σ_j a_j² per step, and the fraction of
 * action components with |a_j| >= RS_EVAL_SAT * bound (a clipped head's mean
 * beyond the bound, a squashed head's tanh near ±1): where a control cost
 * stops carrying signal */
#define RS_EVAL_SAT 0.99f
void rs_eval_action_stats(const rs_eval_result *r, double *sq_per_step, double *saturated);

#endif
