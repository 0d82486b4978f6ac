"""peers_front.py — a first front comparison: rsoup's rewarded soups against
MORL-Baselines' CAPQL on hopper with two objectives, at the same total number
of training env steps, scored by one hypervolume on one reference point
(experiments/peers.sh runs this in the interop venv,
python/requirements-interop.txt).

Objectives: mo_velocity (forward velocity + healthy) and mo_height
(10 x jump height + healthy), MO-Gymnasium's two-objective mo-hopper. They
pull apart (speed against height), unlike risky/cautious, which share
velocity and the healthy bonus; rsoup's hopper_3obj experiment uses them; and
MO-Gymnasium's hopper is a task CAPQL was made for, so neither side plays
away from home. Both train on rsoup's simulator (CAPQL on rsoup.make(...,
objectives=[...]), MO-Gymnasium's vector-reward API).

  - rsoup: an experiment config written here (pretrain on the default reward
    for half the budget, then one expert per objective for a quarter each:
    hopper_full's split), run with `rsoup experiment`: total training steps =
    pretrain + 2 experts = --steps. Its front is `rsoup front` over a λ grid.
  - CAPQL: MORL-Baselines' defaults (SAC-style, 256-256 ReLU nets, batch 128,
    1000 random warm-up steps, one update per step) for --steps env steps,
    one weight-conditioned policy. Its front: the policy at --grid equally
    spaced weights (w, 1 - w); each is written as an rsoup SAC policy file
    (the weight folded into the first layer's bias; checked: rsoup act =
    CAPQL's eval) and scored by `rsoup eval` with the same episodes and
    evaluation seed as rsoup's front.
Neither side counts its front's evaluation episodes (the same number on both
sides) as training steps. `rsoup pareto` scores all fronts (both methods,
every seed) on one reference point: --ref, or by default the one it picks
for them all together (componentwise minimum minus 5 % of the range: it
must lie below every point, and a fixed one can fail that).

    python experiments/peers_front.py RSOUP_BIN OUT [--steps 1000000] [--seeds 1]
        [--grid 11] [--episodes 10] [--ref x,y] [--threads 1]
    python experiments/peers_front.py --retable OUT   (the tables again, from front.json)

OUT receives experiment.json and rsoup/ (the experiment), capql/seed_S/
(policies at each weight, front.csv, run.json), pareto.json (rsoup pareto's
output), front.csv / front.json / front.md (the table).
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
sys.path.insert(0, HERE)
from peers_util import LoadWatch, had_cores, pm, t_interval, timed  # noqa: E402

ENV = "hopper"
OBJ = {"velocity": "mo_velocity", "height": "mo_height"}
# CAPQL's settings, as its attributes (its get_config needs a registered env id)
CAPQL_KEYS = ("learning_rate", "gamma", "tau", "buffer_size", "net_arch", "batch_size",
              "num_q_nets", "alpha", "learning_starts", "gradient_updates")


def capql_run(a):
    """one CAPQL run (a child of the main process): trains, then writes its
    front as rsoup policies scored by rsoup eval"""
    import random

    import numpy as np
    import torch
    os.environ.setdefault("WANDB_MODE", "disabled")  # CAPQL imports wandb; log=False never calls it
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import morl_baselines
        from morl_baselines.common.weights import equally_spaced_weights
        from morl_baselines.multi_policy.capql.capql import CAPQL

    import rsoup

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)  # networks and the weight sampler
    random.seed(a.seed)        # the replay buffer's sampling
    np.random.seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    obj = list(OBJ.values())
    env = rsoup.make(ENV, objectives=obj, seed=a.seed)
    env.action_space.seed(a.seed)  # the random warm-up actions
    agent = CAPQL(env, log=False, seed=a.seed, device="cpu")
    c0, w0 = time.process_time(), time.perf_counter()
    # log=False: no evaluation inside train (it needs an eval env all the same)
    agent.train(total_timesteps=a.steps, eval_env=env, ref_point=np.zeros(len(obj)))
    learn_cpu, learn_wall = time.process_time() - c0, time.perf_counter() - w0

    # the policy at a fixed weight w is an MLP on the observation alone:
    # W0 [obs; w] + b0 = W0[:, :obs] obs + (b0 + W0[:, obs:] w); its last
    # layer is [mean; log-std], rsoup's SAC layout, and its deterministic
    # action tanh(mean) (the action box is [-1, 1]) is rsoup's
    pol = agent.policy
    lin = [m for m in pol.latent_pi if isinstance(m, torch.nn.Linear)]
    acts = [m for m in pol.latent_pi if not isinstance(m, torch.nn.Linear)]
    if not all(isinstance(m, torch.nn.ReLU) for m in acts) or len(acts) != len(lin):
        sys.exit("peers_front: CAPQL's policy is not Linear/ReLU layers (%s)" % pol.latent_pi)
    od = env.observation_space.shape[0]
    W = [m.weight.detach().numpy().astype(np.float64) for m in lin]
    B = [m.bias.detach().numpy().astype(np.float64) for m in lin]
    W_out = np.concatenate([pol.mean.weight.detach().numpy(),
                            pol.log_std_linear.weight.detach().numpy()])
    B_out = np.concatenate([pol.mean.bias.detach().numpy(),
                            pol.log_std_linear.bias.detach().numpy()])
    weights = equally_spaced_weights(len(obj), n=a.grid)
    # equally_spaced_weights does not promise an order: sort by the second
    # objective's weight, as rsoup's λ (the weight of the second expert)
    weights = sorted((np.asarray(w, dtype=np.float64) for w in weights), key=lambda w: w[1])
    batch = np.array([b[0] for b in list(agent.replay_buffer.buffer)[-512:]], dtype=np.float32)
    rows, err = [], 0.0
    for k, w in enumerate(weights):
        path = os.path.join(a.out, "w%02d.safetensors" % k)
        rsoup.save_policy(path, algo="sac", env=ENV, activation="relu", obs_clip=0,
                          weights=[(W[0][:, :od]).astype(np.float32)] +
                                  [x.astype(np.float32) for x in W[1:]] + [W_out],
                          biases=[(B[0] + W[0][:, od:] @ w).astype(np.float32)] +
                                 [x.astype(np.float32) for x in B[1:]] + [B_out],
                          metadata={"reward": "+".join("%.17g*%s" % (x, o)
                                                       for x, o in zip(w, obj)),
                                    "steps": a.steps, "seed": a.seed,
                                    "trainer": "morl-baselines CAPQL", "weight": list(w)})
        theirs = agent.eval(batch, np.tile(w.astype(np.float32), (len(batch), 1)))
        err = max(err, float(np.abs(rsoup.load_policy(path).act(batch) - theirs).max()))
        p = subprocess.run([a.rsoup_bin, "eval", path, "--episodes", str(a.episodes), "--seed",
                            str(a.eval_seed), "--threads", str(a.threads), "--reward",
                            ";".join(obj), "--json"], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("peers_front: rsoup eval %s failed: %s" % (path, p.stderr.strip()))
        r = {x["reward"]: x["mean"] for x in json.loads(p.stdout)["rewards"]}
        rows.append([r[o] for o in obj])
    with open(os.path.join(a.out, "front.csv"), "w") as f:
        f.write(",".join(obj) + "\n")  # as rsoup front names its obj: columns
        for r in rows:
            f.write(",".join("%.9g" % x for x in r) + "\n")
    json.dump({"steps": a.steps, "seed": a.seed, "threads": a.threads,
               "learn_wall_s": learn_wall, "learn_cpu_s": learn_cpu, "act_max_err": err,
               "weights": [list(w) for w in weights], "front": rows,
               "eval": {"episodes": a.episodes, "seed": a.eval_seed},
               "morl_baselines": getattr(morl_baselines, "__version__", "?"),
               "torch": torch.__version__, "capql": {k: getattr(agent, k) for k in CAPQL_KEYS}},
              open(os.path.join(a.out, "run.json"), "w"), indent=1, default=str)
    if err > 1e-4:
        sys.exit("peers_front: the saved policies do not act as CAPQL's (max error %g)" % err)


def run_steps(run):
    """the env steps a run trained for (its progress.csv's last step: rsoup
    trains whole rollouts, so a budget is rounded up to one)"""
    rows = [l.split(",") for l in open(os.path.join(run, "progress.csv")) if l.strip()]
    return int(rows[-1][rows[0].index("step")])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rsoup_bin", nargs="?")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--retable", metavar="OUT",
                    help="make OUT's tables again from its front.json; trains nothing")
    ap.add_argument("--steps", type=int, default=1000000,
                    help="training env steps per method and seed (rsoup: pretrain + experts)")
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--grid", type=int, default=11, help="front points (λ grid, CAPQL weights)")
    ap.add_argument("--episodes", type=int, default=10, help="evaluation episodes per point")
    ap.add_argument("--ref", default="",
                    help="hypervolume reference point (default: rsoup pareto's, shared)")
    ap.add_argument("--threads", type=int, default=1,
                    help="rsoup experiment's threads, CAPQL's torch threads")
    ap.add_argument("--capql-run", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--eval-seed", type=int, default=1000, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.retable:
        return tables(json.load(open(os.path.join(a.retable, "front.json"))), a.retable)
    if not a.out:
        ap.error("RSOUP_BIN and OUT are required (or --retable OUT)")
    a.rsoup_bin, a.out = os.path.abspath(a.rsoup_bin), os.path.abspath(a.out)
    if a.capql_run:
        return capql_run(a)
    R = a.rsoup_bin
    seeds = [int(s) for s in a.seeds.split(",")]
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads), OPENBLAS_NUM_THREADS=str(a.threads),
               MKL_NUM_THREADS=str(a.threads), WANDB_MODE="disabled", WANDB_SILENT="true",
               PYGAME_HIDE_SUPPORT_PROMPT="1")
    os.makedirs(a.out, exist_ok=True)
    pre, ft = a.steps // 2, a.steps // 4
    cfg = {"name": "peers_front",
           "comment": "experiments/peers_front.py: rsoup's side of the front comparison with "
                      "CAPQL; %d training steps in all per seed (pretrain %d + 2 experts x %d)"
                      % (pre + 2 * ft, pre, ft),
           "env": ENV, "rewards": OBJ, "pretrain": {"reward": "default", "steps": pre, "seed": 1},
           "finetune": {"steps": ft}, "seed": 2, "seeds": seeds,
           "front": {"grid": a.grid, "episodes": a.episodes, "seed": 1000}, "control": False}
    cfg_path = os.path.join(a.out, "experiment.json")
    json.dump(cfg, open(cfg_path, "w"), indent=1)
    exp = os.path.join(a.out, "rsoup")
    # the front job's evaluation seed, per replicate, as the experiment sets it
    p = subprocess.run([R, "experiment", cfg_path, "--out", exp, "--dry-run", "--json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("peers_front: rsoup experiment --dry-run: %s" % p.stderr.strip())
    eval_seed = {}
    for j in json.loads(p.stdout)["jobs"]:
        if j["name"].endswith("/front"):
            s = int(j["name"].split("/")[0][len("seed_"):])
            eval_seed[s] = int(j["command"].split("--seed ")[1].split()[0])
    if sorted(eval_seed) != sorted(seeds):
        sys.exit("peers_front: no front job for some seed in %s" % p.stdout)

    load0 = os.getloadavg()[0]
    watch = LoadWatch()
    t_rsoup = timed([R, "experiment", cfg_path, "--out", exp, "--threads", str(a.threads),
                     "--quiet"], env, "peers_front")
    # CAPQL gets the steps rsoup's replicate trained, rollouts rounded up
    steps = {s: sum(run_steps(os.path.join(exp, "seed_%d" % s, j)) for j in
                    ["pretrain"] + ["expert_" + k for k in OBJ]) for s in seeds}
    runs = {}
    for s in seeds:
        out = os.path.join(a.out, "capql", "seed_%d" % s)
        t = timed([sys.executable, os.path.abspath(__file__), R, out, "--capql-run", "--seed",
                   str(s), "--steps", str(steps[s]), "--threads", str(a.threads), "--grid",
                   str(a.grid), "--episodes", str(a.episodes), "--eval-seed", str(eval_seed[s])],
                  env, "peers_front")
        runs[s] = dict(json.load(open(os.path.join(out, "run.json"))), wall_s=t[0], cpu_s=t[1])
    load = watch.stop()
    load1 = os.getloadavg()[0]

    files = ([os.path.join(exp, "seed_%d" % s, "front.csv") for s in seeds] +
             [os.path.join(a.out, "capql", "seed_%d" % s, "front.csv") for s in seeds])
    p = subprocess.run([R, "pareto"] + files + (["--ref=" + a.ref] if a.ref else []) + ["--json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("peers_front: rsoup pareto failed: %s" % p.stderr.strip())
    open(os.path.join(a.out, "pareto.json"), "w").write(p.stdout)
    par = json.loads(p.stdout)
    fronts, ref = par["fronts"], par["ref"]
    res = {"env": ENV, "objectives": OBJ, "steps": a.steps, "train_steps": steps,
           "seeds": seeds, "ref": ref, "ref_source": par["ref_source"], "grid": a.grid,
           "episodes": a.episodes, "eval_seeds": eval_seed, "threads": a.threads,
           "cores": os.cpu_count(), "load_1min": [load0, load1], "load_during": load,
           "rsoup_experiment": {"config": cfg, "wall_s": t_rsoup[0], "cpu_s": t_rsoup[1]},
           "capql": {str(s): {k: v for k, v in r.items() if k not in ("capql",)}
                     for s, r in runs.items()},
           "capql_settings": runs[seeds[0]]["capql"],
           "fronts": [{"hypervolume": f["hypervolume"], "eum": f["eum"]} for f in fronts]}
    tables(res, a.out)


def tables(res, out):
    """front.json, front.csv and front.md (--retable makes them again from
    front.json, so a rule of the tables can change without training again)"""
    seeds, steps = res["seeds"], res["train_steps"]
    fronts = res.get("fronts") or [  # a front.json made before "fronts" was kept: its rows
        next(r for r in res["rows"] if r["method"] == m and r["seed"] == s)
        for m in ("rsoup soups", "CAPQL") for s in seeds]
    steps = {int(k): v for k, v in steps.items()}
    pre, ft = (res["rsoup_experiment"]["config"][k]["steps"] for k in ("pretrain", "finetune"))
    rows = []
    for i, s in enumerate(seeds):
        for who, f in (("rsoup soups", fronts[i]), ("CAPQL", fronts[len(seeds) + i])):
            rows.append({"method": who, "seed": s, "train_steps": steps[s],
                         "hypervolume": f["hypervolume"], "eum": f["eum"]})
    hv = {w: t_interval([r["hypervolume"] for r in rows if r["method"] == w])
          for w in ("rsoup soups", "CAPQL")}
    ratio = hv["rsoup soups"][0] / hv["CAPQL"][0] if hv["CAPQL"][0] else float("inf")
    rx, cq = res["rsoup_experiment"], {int(k): v for k, v in res["capql"].items()}
    ok, said = had_cores([("rsoup experiment", rx["wall_s"], rx["cpu_s"])] +
                         [("CAPQL seed %d" % s, cq[s]["wall_s"], cq[s]["cpu_s"]) for s in seeds],
                         res["threads"], res["cores"], res.get("load_during"))
    with open(os.path.join(out, "front.csv"), "w") as f:
        f.write("method,seed,train_steps,hypervolume,eum\n")
        for r in rows:
            f.write("%s,%d,%d,%.9g,%.9g\n" % (r["method"], r["seed"], r["train_steps"],
                                              r["hypervolume"], r["eum"]))
        for w in hv:
            f.write("%s,mean,,%.9g,\n%s,ci95_halfwidth,,%.9g,\n" % (w, hv[w][0], w,
                                                                    hv[w][1]))
        f.write("rsoup/CAPQL,ratio_of_means,,%.9g,\n" % ratio)
    json.dump(dict(res, rows=rows,
                   hypervolume={w: {"mean": v[0], "ci95_halfwidth": v[1]} for w, v in hv.items()},
                   ratio_rsoup_over_capql=ratio, interval="95% Student-t over seeds",
                   wall_is_record=ok, wall_verdict=said),
              open(os.path.join(out, "front.json"), "w"), indent=1, default=str)
    obj = res["objectives"]
    md = ["# rsoup's rewarded soups vs MORL-Baselines' CAPQL, %s (%s), a budget of %d "
          "training env steps" % (res["env"], " vs ".join("%s=%s" % kv for kv in obj.items()),
                                  res["steps"]), "",
          "rsoup: pretrain %d + 2 experts x %d (asked; trained in whole rollouts: %s in all), "
          "soups on a %d-point λ grid; CAPQL: as many steps as rsoup's replicate trained, "
          "%d equally spaced weights. Every point: %d deterministic episodes of `rsoup eval` / "
          "`rsoup front` (same evaluation seed per replicate). Hypervolume by `rsoup pareto` "
          "on one reference point for all (%s, %s)." % (
              pre, ft, ", ".join("%d (seed %d)" % (steps[s], s) for s in seeds), res["grid"],
              res["grid"], res["episodes"], ",".join("%g" % x for x in res["ref"]),
              res["ref_source"]),
          "", "| method | seed | training steps | hypervolume | EUM |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        md.append("| %s | %d | %d | %.6g | %.4g |" % (r["method"], r["seed"], r["train_steps"],
                                                     r["hypervolume"], r["eum"]))
    for w in hv:
        md.append("| **%s mean ± 95%% t** | | | %s | |" % (w, pm(*hv[w], f="%.6g")))
    md += ["", "rsoup/CAPQL hypervolume (ratio of means): %.4g" % ratio, "",
           "Time (wall / CPU s, whole processes, %d thread(s)): rsoup experiment (all seeds, "
           "fronts included) %.1f / %.1f; CAPQL %s (each seed, its front's evaluation "
           "included). %s" % (res["threads"], rx["wall_s"], rx["cpu_s"], ", ".join(
               "%.1f / %.1f" % (cq[s]["wall_s"], cq[s]["cpu_s"]) for s in seeds), said)]
    open(os.path.join(out, "front.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
