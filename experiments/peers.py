"""peers.py — rsoup next to its peers, as ratios measured in one run
(experiments/peers.sh builds the C side and runs this).

1. The binding's overhead. rsoup.make_vec(ENV, N) stepped from Python
   against the same librsoup vector env stepped from C (peers_vec): the same
   seed and the same actions (uniform in the action box, drawn once), so both
   simulate the same trajectories (checked: the last observations agree bit
   for bit) and the ratio is what Python, ctypes and the Gymnasium wrapper
   add per step. Two clocks:
     - thread CPU time at threads=1 (the vector env then steps on the
       calling thread): far less moved by other work on the machine than
       wall time (time the thread waits for a core is not counted), the
       figure to quote;
     - wall time at threads=T, the speed a user sees.
   `rsoup bench env` (the rsoup binary's own rs_vecenv, same N and T, its
   own actions) is printed beside them as the CLI's reference.

2. The peers (--peers; when envpool and gymnasium's MuJoCo envs import):
   N envs of Hopper and HalfCheetah stepped with uniform random actions by
   rsoup.make_vec, EnvPool (num_threads) and Gymnasium's SyncVectorEnv (one
   thread: it has no thread count), at threads=1 (process CPU time: every
   thread of the process counts, EnvPool's worker too) and at threads=T
   (wall). Not the same simulation: each uses its own MJCF (rsoup's from
   published dimensions, the v5 files of Gymnasium and EnvPool) and its own
   MuJoCo build, with the same frame skip (4 and 5); the table compares
   what a user of each gets per step.

Every timing is the best of --rounds rounds in which all contenders run in
turn, so a shared machine's noise hits them alike. Training against
SB3's PPO and a front against CAPQL: peers_train.py, peers_front.py.

    python experiments/peers.py RSOUP_BIN PEERS_VEC [--env hopper] [--envs 16]
                                [--threads 2] [--batches 2000] [--rounds 5]
                                [--peers] [--json]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
import rsoup  # noqa: E402
import rsoup.envs  # noqa: E402

SEED = 3


def obs_sum(obs):
    """the last observations summed in order, in double (as peers_vec does)"""
    s = 0.0
    for x in obs.ravel().tolist():
        s += x
    return s


def python_run(env, n, threads, acts):
    """one timing of make_vec stepped from Python: (thread CPU s, wall s, obs sum)"""
    envs = rsoup.make_vec(env, n, seed=SEED, threads=threads)
    envs.reset()
    step = envs.step
    c0, w0 = time.thread_time(), time.perf_counter()
    for a in acts:
        obs = step(a)[0]
    cpu, wall = time.thread_time() - c0, time.perf_counter() - w0
    s = obs_sum(obs)
    envs.close()
    return cpu, wall, s


def c_run(peers_vec, env, n, threads, path, batches):
    p = subprocess.run([peers_vec, env, str(n), str(threads), str(SEED), path, str(batches), "1"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("peers: %s failed: %s" % (peers_vec, p.stderr.strip()))
    cpu, wall, s = p.stdout.split()
    return float(cpu), float(wall), float(s)


def bench_env(rsoup_bin, env, n, threads, steps):
    p = subprocess.run([rsoup_bin, "bench", "env", "--env", env, "--envs", str(n), "--threads",
                        str(threads), "--steps", str(steps), "--repeat", "1", "--json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("peers: rsoup bench env failed: %s" % p.stderr.strip())
    return json.loads(p.stdout)


PEER_IDS = {"hopper": "Hopper-v5", "halfcheetah": "HalfCheetah-v5"}


def _rsoup_vec(env, n, threads):
    e = rsoup.make_vec(env, n, seed=SEED, threads=threads)
    return e, e.single_action_space, lambda: e.reset(seed=SEED)


def _envpool_vec(env, n, threads):
    import envpool
    e = envpool.make(PEER_IDS[env], env_type="gymnasium", num_envs=n, batch_size=n,
                     num_threads=threads, seed=SEED)
    return e, e.action_space, e.reset  # its seed is make's


def _gym_vec(env, n, threads):
    import gymnasium as gym
    e = gym.make_vec(PEER_IDS[env], num_envs=n, vectorization_mode="sync")
    return e, e.single_action_space, lambda: e.reset(seed=SEED)


PEERS = (("rsoup.make_vec", _rsoup_vec), ("EnvPool", _envpool_vec),
         ("Gymnasium SyncVectorEnv", _gym_vec))


def peer_run(make, env, n, threads, batches):
    """one timing: (process CPU s, wall s) of `batches` vector steps"""
    e, box, reset = make(env, n, threads)
    g = np.random.default_rng(11)
    acts = g.uniform(box.low, box.high, (batches, n) + box.shape).astype(box.dtype)
    reset()
    step = e.step
    c0, w0 = time.process_time(), time.perf_counter()
    for a in acts:
        step(a)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    e.close()
    return cpu, wall


def peers_missing():
    """why the peers' rows cannot run here, or None"""
    try:
        import envpool  # noqa: F401
        import gymnasium as gym
        gym.make(PEER_IDS["hopper"]).close()
    except Exception as e:  # noqa: BLE001 (any import or make failure means: no rows)
        return "%s: %s" % (type(e).__name__, e)
    return None


def peer_table(a):
    rows = []
    steps = a.batches * a.envs
    for env in PEER_IDS:
        for threads, clock in ((1, 0), (a.threads, 1)):
            best = {}
            for _ in range(a.rounds):
                for name, make in PEERS:
                    if name.startswith("Gymnasium") and threads != 1:
                        continue  # one thread only: its row at threads=1 stands
                    r = peer_run(make, env, a.envs, threads, a.batches)[clock]
                    best[name] = min(best.get(name, r), r)
            base = best["rsoup.make_vec"]
            for name, _ in PEERS:
                if name in best:
                    rows.append({"env": env, "what": name, "threads": threads,
                                 "clock": ("process_cpu", "wall")[clock],
                                 "env_steps_per_s": steps / best[name],
                                 "vs_rsoup": base / best[name]})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rsoup_bin")
    ap.add_argument("peers_vec")
    ap.add_argument("--env", default="hopper")
    ap.add_argument("--envs", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batches", type=int, default=2000, help="vector steps per timing")
    ap.add_argument("--rounds", type=int, default=5, help="alternating C/Python timings")
    ap.add_argument("--peers", action="store_true", help="EnvPool's and Gymnasium's rows too")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    a.rsoup_bin, a.peers_vec = os.path.abspath(a.rsoup_bin), os.path.abspath(a.peers_vec)
    info = rsoup.envs.env_info(a.env)
    g = np.random.default_rng(11)
    b = info["act_bound"]
    acts = g.uniform(-b, b, (a.batches, a.envs, info["act_dim"])).astype(np.float32)
    steps = a.batches * a.envs
    load0 = os.getloadavg()[0]
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # MuJoCo's Python package logs its warnings to ./MUJOCO_LOG.TXT
        path = os.path.join(tmp, "actions.f32")
        acts.tofile(path)
        for threads, clock in ((1, 0), (a.threads, 1)):
            best = {"c": None, "py": None}
            sums = set()
            for _ in range(a.rounds):
                for side in ("c", "py"):
                    r = (c_run(a.peers_vec, a.env, a.envs, threads, path, a.batches) if side == "c"
                         else python_run(a.env, a.envs, threads, acts))
                    sums.add(r[2])
                    if best[side] is None or r[clock] < best[side]:
                        best[side] = r[clock]
            if len(sums) != 1:
                sys.exit("peers: C and Python made different trajectories (last obs sums %s)"
                         % sorted(sums))
            res[threads] = {"clock": ("thread_cpu", "wall")[clock],
                            "c_steps_per_s": steps / best["c"],
                            "py_steps_per_s": steps / best["py"],
                            "overhead": best["py"] / best["c"] - 1}
        be = bench_env(a.rsoup_bin, a.env, a.envs, a.threads, steps)["envs"][0]
        peers, missing = [], None
        if a.peers:
            missing = peers_missing()
            peers = [] if missing else peer_table(a)
        os.chdir(HERE)
    load1 = os.getloadavg()[0]
    cores = os.cpu_count()
    out = {"env": a.env, "envs": a.envs, "threads": a.threads, "steps_per_timing": steps,
           "rounds": a.rounds, "cores": cores, "load_1min": [load0, load1],
           "shared": max(load0, load1) > cores, "binding": [
               dict(threads=t, **res[t]) for t in sorted(res)],
           "rsoup_bench_env": {"threads": a.threads,
                               "vec_threads_env_steps_per_s": be["vec_threads_env_steps_per_s"],
                               "vec_1thread_env_steps_per_s": be["vec_1thread_env_steps_per_s"]},
           "peers": peers, "peers_missing": missing}
    if a.json:
        print(json.dumps(out, indent=1))
        return
    print("# peers: %s, %d envs, %d steps per timing, best of %d alternating rounds; "
          "%d cores, load %.2f -> %.2f%s" % (a.env, a.envs, steps, a.rounds, cores, load0, load1,
                                             " (shared: not a record)" if out["shared"] else ""))
    print("%-34s %7s %10s %12s %9s" % ("what", "threads", "clock", "env steps/s", "vs C"))
    for t in sorted(res):
        r = res[t]
        print("%-34s %7d %10s %12.0f %9s" % ("librsoup vector env, from C", t, r["clock"],
                                             r["c_steps_per_s"], "1"))
        print("%-34s %7d %10s %12.0f %+8.1f%%" % ("rsoup.make_vec, from Python", t, r["clock"],
                                                   r["py_steps_per_s"], 100 * r["overhead"]))
    print("%-34s %7d %10s %12.0f %9s" % ("rsoup bench env (rs_vecenv)", 1, "wall",
                                         be["vec_1thread_env_steps_per_s"], "ref"))
    print("%-34s %7d %10s %12.0f %9s" % ("rsoup bench env (rs_vecenv)", a.threads, "wall",
                                         be["vec_threads_env_steps_per_s"], "ref"))
    if missing:
        print("\npeers: not measured (%s)" % missing)
    elif peers:
        print("\n# peers: %d envs, uniform random actions, each its own model and MuJoCo "
              "(same frame skip)" % a.envs)
        print("%-12s %-26s %7s %11s %12s %9s" % ("env", "what", "threads", "clock",
                                                 "env steps/s", "vs rsoup"))
        for r in peers:
            print("%-12s %-26s %7d %11s %12.0f %8.2fx" % (r["env"], r["what"], r["threads"],
                                                          r["clock"], r["env_steps_per_s"],
                                                          r["vs_rsoup"]))


if __name__ == "__main__":
    main()
