/* rs_fronteval.h — evaluating soups θ(λ) on a set of λ points, and other
 * checkpoints (experts, baselines, the shared init), into front rows.
 *
 * Every point gets K deterministic episodes; episode i always starts from
 * the state (seed, i), so points differ by their weights, not by reset
 * noise. Rows are appended to an rs_front and, if fp is given, written and
 * flushed one by one, so an interrupted run keeps every finished point. */
#ifndef RS_FRONTEVAL_H
#define RS_FRONTEVAL_H

#include <stdio.h>

#include "rs_eval.h"
#include "rs_frontfile.h"
#include "rs_soup.h"

typedef struct rs_front_job {
    int n_experts;
    rs_st *const *experts;          /* loaded expert checkpoints (checked to mix) */
    const rs_env_spec *spec;
    const mjModel *model;           /* NULL: the embedded model */
    int n_obj;
    const double (*obj_w)[RS_MAX_TERMS]; /* proxy rewards as term weights */
    int episodes;
    uint64_t seed;
    rs_pool *pool;
    int chunk;                      /* points evaluated together (load balance) */
    void (*progress)(void *ctx, long episodes_done, long steps_done);
    void *progress_ctx;
    rs_st *const *fishers;          /* non-NULL: Fisher-weighted soups (rs_fisher.h) */
    long episodes_before;           /* added to the progress counts */
    long steps_before;
} rs_front_job;

/* evaluate n_points rows of λ (n_points x n_experts); labels may be NULL
 * (then "%.4g" of the last λ for 2 experts, or the λ vector). Linear soups
 * are made by an rs_mixer over the experts as policies (checked with
 * rs_soup_check first), so each equals the file `rsoup soup` would write
 * for its λ bit for bit; Fisher soups by rs_soup_mix_fisher. */
int rs_front_eval_points(rs_front_job *job, const double *lambdas, int n_points,
                         const char *const *labels, rs_front_kind kind, rs_front *f, FILE *fp);
/* evaluate whole policies (baselines, init) as rows of the given kind with
 * λ = NaN; labels are the paths' basenames */
int rs_front_eval_files(rs_front_job *job, const char *const *paths, int n, rs_front_kind kind,
                        rs_front *f, FILE *fp);
/* fill a row's statistics from an evaluation */
void rs_front_row_from_eval(const rs_front_job *job, const rs_eval_result *r, double *obj,
                            double *std, double *term, double *termstd, double *length);

#endif
