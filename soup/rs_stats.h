/* rs_stats.h — summaries of a result over replicates (independent seeds of
 * a whole experiment): the mean, the interquartile mean, and percentile
 * bootstrap confidence intervals for either.
 *
 * Why these: with a handful of seeds a mean ± std says little and a single
 * bad seed drags it; the RL evaluation practice we follow (Agarwal et al.,
 * NeurIPS 2021) reports the mean or the interquartile mean with a
 * bootstrap interval. The percentile bootstrap resamples the n values with
 * replacement B times and takes the (1-level)/2 and (1+level)/2 quantiles
 * of the statistic over the resamples. With n = 3 the interval is narrow
 * (it cannot see beyond the three values): read it as "how much the three
 * seeds disagree", not as a guarantee. */
#ifndef RS_STATS_H
#define RS_STATS_H

#include <stdint.h>

typedef enum { RS_STAT_MEAN, RS_STAT_IQM } rs_stat_kind;

/* "mean" / "iqm" */
const char *rs_stat_name(rs_stat_kind k);

double rs_stat_mean(const double *x, int n);
/* the interquartile mean: the mean after dropping floor(n/4) values from
 * each end of the sorted sample (the mean itself for n < 4) */
double rs_stat_iqm(const double *x, int n);
double rs_stat_of(rs_stat_kind k, const double *x, int n);
/* quantile q in [0, 1] of an ascending sample, linear between order
 * statistics (position q*(n-1), the common "type 7" rule) */
double rs_stat_quantile_sorted(const double *sorted, int n, double q);

typedef struct rs_interval {
    double value;  /* the statistic of the sample itself */
    double lo, hi; /* the bootstrap interval */
    int n;         /* values it is over (NaNs are dropped first) */
} rs_interval;

#define RS_BOOT_RESAMPLES 10000
#define RS_BOOT_SEED 20231

/* value and percentile-bootstrap interval of x's statistic at the given
 * level (0.95) from `resamples` resamples drawn with a fixed seed, so a
 * report is reproducible. NaN entries are dropped (failed replicates); n
 * left = 0 gives NaNs and n = 0; n = 1 gives lo = hi = value. Returns 0, or
 * -1 on an allocation failure (error set). */
int rs_stat_bootstrap(const double *x, int n, rs_stat_kind kind, double level, int resamples,
                      uint64_t seed, rs_interval *out);

#endif
