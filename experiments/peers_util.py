"""peers_util.py — what the peers' train and front scripts share: timing a
child process, the machine's load while it runs, whether the runs had their
cores (so whether their wall times are a record), and Student-t intervals.
"""
import math
import os
import subprocess
import sys
import threading
import time


class LoadWatch:
    """the 1-minute load average, sampled every `every` seconds while the
    runs go on (a reading at the start alone lags: it still counts work
    that stopped a minute before)"""

    def __init__(self, every=10.0):
        self.samples, self._stop = [], threading.Event()
        self._t = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._t.start()

    def _run(self, every):
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(every):
                return

    def stop(self):
        """{"mean", "max", "samples"} of the load while it was watched"""
        self._stop.set()
        self._t.join()
        s = self.samples
        return {"mean": sum(s) / len(s), "max": max(s), "samples": len(s)}


def timed(cmd, env, who):
    """run cmd as a child: (wall s, CPU s of the child and its threads);
    exits naming `who` when it fails"""
    w0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - w0
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        sys.exit("%s: %s failed (exit %d)" % (who, " ".join(cmd), rc))
    return wall, ru.ru_utime + ru.ru_stime


def had_cores(runs, threads, cores, load=None):
    """whether timed runs' wall times are a record, and the sentence that
    says why. runs: [(name, wall s, CPU s)]. A one-thread run that had a
    core to itself throughout spends its wall time on the CPU: CPU/wall
    >= 0.9 for every run is the test. With more threads CPU/wall also
    measures how well the run spreads its work, so the load sampled during
    the runs decides (mean at most the cores); without samples, nothing
    can be said."""
    share = [(n, c / w) for n, w, c in runs if w > 0]
    lo = min(share, key=lambda x: x[1])
    said = "CPU/wall of each run %.2f to %.2f (lowest: %s)" % (
        lo[1], max(s for _, s in share), lo[0])
    if load:
        said += "; load while they ran %.2f on average, at most %.2f, on %d cores" % (
            load["mean"], load["max"], cores)
    if threads == 1:
        ok = lo[1] >= 0.9
        why = "each one-thread run had its core" if ok else \
            "a one-thread run shared its core (CPU/wall < 0.9): its wall time is not a record"
    elif load:
        ok = load["mean"] <= cores
        why = "the runs had the cores" if ok else \
            "the machine was busier than its cores: wall times are not a record"
    else:
        ok, why = False, "no load sampled: wall times are not a record"
    return ok, "%s: %s." % (said, why)


def t_interval(xs):
    """mean and the half-width of its 95 % Student-t interval (nan for one value)"""
    n = len(xs)
    m = sum(xs) / n
    if n < 2:
        return m, float("nan")
    from scipy.stats import t
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    return m, t.ppf(0.975, n - 1) * sd / math.sqrt(n)


def pm(m, h, f="%.1f"):
    """mean ± half-width, or the mean alone for one seed"""
    return (f + " ± " + f) % (m, h) if h == h else (f % m) + " (one seed)"
