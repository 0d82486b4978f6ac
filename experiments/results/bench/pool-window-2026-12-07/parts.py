import sys
import time, numpy as np, rsoup, subprocess, sys
T = int(sys.argv[1]) if len(sys.argv) > 1 else 1
clk = time.thread_time if T == 1 else time.perf_counter
from rsoup import _lib
N, B = 16, 2000
rng = np.random.default_rng(1)
acts = rng.uniform(-1, 1, (B, N, 3)).astype(np.float32)
acts.tofile('/tmp/spin/acts.f32')
def run(kind):
    e = rsoup.make_vec("hopper", N, seed=1, threads=T); e.reset()
    c = e._core; so = c.so; h = c.h
    ptrs = [a.ctypes.data for a in acts]
    f = so.rsoup_vec_step
    t0 = clk()
    if kind == "full":
        for a in acts: e.step(a)
    elif kind == "core":
        for a in acts: c.step(a)
    elif kind == "ctypes":
        for p in ptrs: f(h, p)
    t = clk() - t0
    e.close(); return t
best = {}
for r in range(7):
    for k in ("c", "ctypes", "core", "full"):
        if k == "c":
            out = subprocess.run(["/tmp/spin/peers_vec", "hopper", str(N), str(T), "1", "/tmp/spin/acts.f32", str(B), "1"], capture_output=True, text=True).stdout.split()
            t = float(out[0 if T == 1 else 1])
        else:
            t = run(k)
        best[k] = min(best.get(k, 1e9), t)
for k, t in best.items():
    print("%-7s %.1f us/step  %+.1f%% vs c" % (k, t / B * 1e6, (t / best["c"] - 1) * 100))
