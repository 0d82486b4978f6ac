/* rs_lambda_stats.h — an experiment's soups over replicates, point by point
 * of the λ lattice of K >= 2 experts: what lambda_stats.csv holds for three
 * or more rewards and what the simplex and λ figures draw (the two-expert
 * file keeps its own layout, rs_experiment_report.c).
 *
 * Per lattice point p (the soup rows of the first front, in its order) and
 * reward k, over the replicates whose front has a soup at p:
 *   mean, lo, hi  the mean and its 95% percentile-bootstrap interval
 *                 (RS_BOOT_RESAMPLES, RS_BOOT_SEED, as every report figure)
 *   se            the standard error of that mean (0 for one replicate)
 *   plane         Σ_i λ_i · mean at vertex i: the experts' returns mixed by
 *                 λ, what H1 compares a soup with (the line, on an edge)
 *   control       the control soups' mean at p (NaN without control fronts)
 * and per point: n (replicates), x, y (its place in the figure: Σ λ_i c_i,
 * c_i the corners of a regular K-gon of side 1 with c_0 = (0, 0), c_1 =
 * (1, 0), counterclockwise; for K = 3 the triangle (0,0), (1,0),
 * (1/2, √3/2)), nondominated (no other point's means are at least as high
 * on every reward and higher on one), and best[k]: the point whose mean on
 * reward k is highest (the first on ties). */
#ifndef RS_LAMBDA_STATS_H
#define RS_LAMBDA_STATS_H

#include "rs_frontfile.h"

typedef struct rs_lambda_stats {
    int n_experts, n_obj, n_pts;
    int n_reps, n_ctl;                             /* fronts and control fronts they are over */
    double *lambda;                                /* [n_pts * n_experts] */
    double *xy;                                    /* [n_pts * 2] */
    int *n;                                        /* [n_pts] */
    double *mean, *lo, *hi, *se, *plane, *control; /* [n_pts * n_obj] */
    int *nondominated;                             /* [n_pts] */
    int *best;                                     /* [n_obj] */
} rs_lambda_stats;

/* over n fronts of one experiment (controls[i] may be NULL, controls may
 * be NULL). NULL (error set) when n < 1, when a front's λ lattice is not of
 * the first front's number of experts or its rewards differ (the message
 * names both counts), when the first front has no soup, or out of memory.
 * Free with rs_lambda_stats_free (NULL-safe). */
rs_lambda_stats *rs_lambda_stats_new(const rs_front *const *fronts, const rs_front *const *controls,
                                     int n);
void rs_lambda_stats_free(rs_lambda_stats *s);

/* lambda_stats.csv for K experts (docs/formats.md): names[k] is reward k's
 * name and expert k's (an experiment trains expert k on reward k). Written
 * with rs_write_atomic; 0, or -1 (error set). */
int rs_lambda_stats_write(const rs_lambda_stats *s, const char *const *names, const char *path);

#endif
