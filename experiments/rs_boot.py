"""rs_boot.py — the interval every rsoup report gives, for the experiment
scripts: the mean and its 95 % percentile-bootstrap interval (10000
resamples, fixed seed), as lab/rs_stats.c computes it for the reports."""
import math
import random


def boot(vals, resamples=10000, seed=12345):
    """(mean, lo, hi) of the finite values; NaNs when there are none"""
    vals = [v for v in vals if v is not None and math.isfinite(v)]
    if not vals:
        return (math.nan, math.nan, math.nan)
    m = sum(vals) / len(vals)
    rng = random.Random(seed)
    means = sorted(sum(rng.choice(vals) for _ in vals) / len(vals) for _ in range(resamples))
    return (m, means[int(0.025 * resamples)], means[min(resamples - 1, int(0.975 * resamples))])
