/* rs_compare.h — K fronts scored on one reference point, with bootstrap
 * intervals over the fronts: the one way `rsoup pareto A B ...` and the
 * experiment report compare fronts (one per seed, or one per method).
 *
 * A request names which rows count as what: the soups (soup_kinds; a plain
 * CSV's points are always its soups), the baseline (baseline_kinds: MORL
 * runs, scored in a block of their own), and optionally the experts alone,
 * the experts' straight line (the soups' λ grid applied to the experts'
 * returns: what soups would score if returns were linear in λ) and a
 * control front per front. The reference point is either fixed (every
 * scored point must dominate it: an error naming the first that does not)
 * or computed once from every scored point of every front with
 * rs_pareto_default_ref and the request's margin. EUM's lattice resolution
 * is passed, never defaulted here: callers differ (docs/decisions.md). */
#ifndef RS_COMPARE_H
#define RS_COMPARE_H

#include <stdint.h>

#include "rs_frontfile.h"
#include "rs_lmc.h"
#include "rs_stats.h"

typedef struct rs_compare_req {
    int n;                          /* fronts */
    const rs_front *const *fronts;  /* [n], same objectives */
    const char *const *names;       /* [n] names for errors (paths, folders), or NULL: "front i" */
    const rs_front *const *control; /* [n] control fronts (entries may be NULL), or NULL */
    unsigned soup_kinds;            /* rows scored as the soups */
    unsigned baseline_kinds;        /* rows scored as the baseline; 0: none */
    int experts;                    /* score the expert rows alone, and their line */
    const double *ref;              /* fixed reference point [n_obj], or NULL: computed */
    double margin;                  /* computed ref: min minus margin times the range */
    int eum_k;                      /* EUM's simplex lattice resolution (>= 1) */
} rs_compare_req;

/* one front's scores; NaN where a block is empty or not requested, except
 * that an empty soup block, experts block or line has hypervolume 0 */
typedef struct rs_compare_front {
    int n_soup, n_baseline;
    double hv, eum;            /* the soups */
    double sparsity;           /* of the soups' non-dominated set */
    int n_nondom, cardinality; /* non-dominated soup rows; distinct such points */
    double baseline_hv, baseline_eum;
    double ratio; /* hv / baseline_hv, NaN unless baseline_hv > 0 */
    double experts_hv, line_hv, line_eum;
    double control_hv; /* the control front's soups */
} rs_compare_front;

/* each score's statistic over the fronts with its bootstrap interval (NaN
 * fronts dropped; .n says how many it is over) */
typedef struct rs_compare_agg {
    rs_interval hv, eum, baseline_hv, baseline_eum, ratio;
    rs_interval experts_hv, line_hv, line_eum, control_hv;
} rs_compare_agg;

typedef struct rs_compare_result {
    int n, d;
    double *ref;             /* [d] */
    int ref_computed;        /* 1 if computed from the points, 0 if fixed */
    rs_compare_front *front; /* [n] */
} rs_compare_result;

/* Score every front. 0 with *out filled (release with rs_compare_free), or
 * -1 (error set): no fronts, fronts of different objective counts, eum_k <
 * 1, a fixed ref some scored point does not dominate (the error names the
 * point, its front and row), a non-finite scored value, out of memory. */
int rs_compare_run(const rs_compare_req *req, rs_compare_result *out);
void rs_compare_free(rs_compare_result *r); /* NULL-safe; leaves r zeroed */

/* The statistic of each score over the fronts with its percentile-bootstrap
 * interval at `level` (rs_stat_bootstrap: resamples, seed). 0, or -1 (error
 * set) on an allocation failure. */
int rs_compare_aggregate(const rs_compare_result *r, rs_stat_kind kind, double level, int resamples,
                         uint64_t seed, rs_compare_agg *out);

/* LMC verdicts of several fronts on one reward (`rsoup lmc --front A B ...`,
 * the experiment report), summarised over the fronts that have one */
typedef struct rs_compare_lmc_agg {
    rs_interval barrier, area; /* the statistic over the fronts with its interval */
    int n;                     /* fronts with a verdict */
    int n_barrier;             /* of them, those whose verdict is a barrier */
} rs_compare_lmc_agg;

/* v[n]: each front's verdict on the reward, borrowed; NULL where a front
 * has none (left out). 0, or -1 (error set) on an allocation failure. */
int rs_compare_lmc_aggregate(const rs_lmc *const *v, int n, rs_stat_kind kind, double level,
                             int resamples, uint64_t seed, rs_compare_lmc_agg *out);

/* The experts' straight line of front f (n_soups x n_obj, owned; *n gets
 * the soup count), or NULL (error set) out of memory. */
double *rs_compare_expert_line(const rs_front *f, int *n);

#endif
