/* rs_stats.c — means, interquartile means and bootstrap intervals. */
#include "rs_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"

const char *rs_stat_name(rs_stat_kind k) { return k == RS_STAT_IQM ? "iqm" : "mean"; }

double rs_stat_mean(const double *x, int n) {
    if (n <= 0) return NAN;
    double s = 0;
    for (int i = 0; i < n; i++) s += x[i];
    return s / n;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* the IQM of a sample already sorted */
static double iqm_sorted(const double *s, int n) {
    int cut = n / 4;
    return rs_stat_mean(s + cut, n - 2 * cut);
}

double rs_stat_iqm(const double *x, int n) {
    if (n <= 0) return NAN;
    if (n < 4) return rs_stat_mean(x, n);
    double buf[64], *s = n <= 64 ? buf : malloc(sizeof(double) * (size_t)n);
    if (!s) return NAN;
    memcpy(s, x, sizeof(double) * (size_t)n);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double v = iqm_sorted(s, n);
    if (s != buf) free(s);
    return v;
}

double rs_stat_of(rs_stat_kind k, const double *x, int n) {
    return k == RS_STAT_IQM ? rs_stat_iqm(x, n) : rs_stat_mean(x, n);
}

double rs_stat_quantile_sorted(const double *s, int n, double q) {
    if (n <= 0) return NAN;
    double pos = q * (n - 1);
    int i = (int)floor(pos);
    if (i < 0) return s[0];
    if (i >= n - 1) return s[n - 1];
    double f = pos - i;
    return s[i] + f * (s[i + 1] - s[i]);
}

int rs_stat_bootstrap(const double *x, int n, rs_stat_kind kind, double level, int resamples,
                      uint64_t seed, rs_interval *out) {
    out->value = out->lo = out->hi = NAN;
    out->n = 0;
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1) * 2);
    double *stat = resamples > 0 ? malloc(sizeof(double) * (size_t)resamples) : NULL;
    if (!v || (resamples > 0 && !stat)) {
        free(v);
        free(stat);
        rs_set_error("bootstrap: out of memory");
        return -1;
    }
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) v[m++] = x[i];
    out->n = m;
    if (m > 0) out->value = rs_stat_of(kind, v, m);
    if (m == 1) out->lo = out->hi = out->value;
    if (m >= 2 && resamples > 0) {
        double *draw = v + m;
        rs_rng rng;
        rs_rng_seed(&rng, seed, 0);
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < m; i++) draw[i] = v[rs_rng_below(&rng, (uint64_t)m)];
            if (kind == RS_STAT_IQM && m >= 4) {
                qsort(draw, (size_t)m, sizeof *draw, cmp_double);
                stat[b] = iqm_sorted(draw, m);
            } else {
                stat[b] = rs_stat_mean(draw, m);
            }
        }
        qsort(stat, (size_t)resamples, sizeof *stat, cmp_double);
        out->lo = rs_stat_quantile_sorted(stat, resamples, (1 - level) / 2);
        out->hi = rs_stat_quantile_sorted(stat, resamples, (1 + level) / 2);
    }
    free(v);
    free(stat);
    return 0;
}
