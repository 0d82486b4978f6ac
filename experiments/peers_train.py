"""peers_train.py — rsoup's PPO against Stable-Baselines3's PPO on hopper, the
same number of env steps, one run per seed each (experiments/peers.sh runs
this in the interop venv, python/requirements-interop.txt).

Both learn on rsoup's simulator (SB3 on rsoup.make, a gymnasium Env stepped
by librsoup), so what differs is the learner:
  - rsoup: `rsoup train --env hopper` with its defaults (its config.json is
    read back for the settings table);
  - SB3: PPO with CleanRL's ppo_continuous_action MuJoCo settings, mapped
    onto SB3's options (SETTING_ROWS below says which option stands for
    which CleanRL setting, and where they cannot be the same).
Each run is a child process timed with os.wait4: wall time and CPU time
(user + system, every thread of the child), process start and saving
included; SB3's model.learn() alone is timed inside too. The two learners
alternate seed by seed, so a shared machine's load hits both alike.
Both final policies are scored by the same evaluator, `rsoup eval`
(deterministic actions, the same episodes and evaluation seed): SB3's
policy is written as an rsoup policy file with its VecNormalize statistics
as the observation normaliser (checked: rsoup act = SB3 predict on the
normalised observations).

    python experiments/peers_train.py RSOUP_BIN OUT [--steps 1000000] [--seeds 1,2,3]
        [--threads 1] [--episodes 10] [--eval-seed 1000] [--env hopper]
    python experiments/peers_train.py --retable OUT   (the tables again, from train.json)

OUT receives rsoup/seed_S/ (run folders), sb3/seed_S/ (policy file, run.json),
train.csv (one row per run), train.json, train.md (the table). Means come
with 95 % Student-t intervals over the seeds (3 seeds are too few for a
bootstrap to mean anything). Whether the wall times are a record is
judged from the runs themselves (peers_util.had_cores: a one-thread run
that had its core spends its wall time on the CPU).
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

# CleanRL's ppo_continuous_action defaults for MuJoCo, as SB3 options.
# ent_coef 0, max_grad_norm 0.5, normalize_advantage and Adam eps 1e-5 are
# CleanRL's values too. vf_coef: CleanRL's loss is vf_coef * 0.5 * MSE with
# vf_coef 0.5, SB3's is vf_coef * MSE, hence 0.25. clip_range_vf: CleanRL
# takes the max of the clipped and unclipped squared errors, SB3 the clipped
# one alone; 0.2 is the nearest SB3 has. Networks: SB3's MlpPolicy default
# (separate 64-64 tanh actor and critic, orthogonal init with gains
# sqrt(2) / 0.01 / 1, state-independent log-std at 0) is CleanRL's.
SB3_SETTINGS = {"n_envs": 1, "n_steps": 2048, "batch_size": 64, "n_epochs": 10,
                "learning_rate": "3e-4, linear to 0", "gamma": 0.99, "gae_lambda": 0.95,
                "clip_range": 0.2, "clip_range_vf": 0.2, "ent_coef": 0.0, "vf_coef": 0.25,
                "max_grad_norm": 0.5, "normalize_advantage": True, "adam_eps": 1e-5,
                "net_arch": "64,64 tanh (pi and vf)", "log_std_init": 0.0,
                "VecNormalize": "norm_obs, norm_reward, clip_obs 10, clip_reward 10, "
                                "gamma 0.99, epsilon 1e-8"}


def sb3_run(a):
    """one SB3 PPO run (a child of the main process): trains, saves the policy
    as an rsoup policy file, writes run.json"""
    import numpy as np
    import torch
    from stable_baselines3 import PPO
    from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize

    import rsoup

    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    # CleanRL's wrappers (ClipAction, NormalizeObservation + clip 10,
    # NormalizeReward + clip 10) are VecNormalize here; SB3 clips actions to
    # the box itself before stepping
    venv = VecNormalize(DummyVecEnv([lambda: rsoup.make(a.env, seed=a.seed)]), norm_obs=True,
                        norm_reward=True, clip_obs=10.0, clip_reward=10.0, gamma=0.99,
                        epsilon=1e-8)
    s = SB3_SETTINGS
    model = PPO("MlpPolicy", venv, n_steps=s["n_steps"], batch_size=s["batch_size"],
                n_epochs=s["n_epochs"], learning_rate=lambda p: 3e-4 * p, gamma=s["gamma"],
                gae_lambda=s["gae_lambda"], clip_range=s["clip_range"],
                clip_range_vf=s["clip_range_vf"], ent_coef=s["ent_coef"], vf_coef=s["vf_coef"],
                max_grad_norm=s["max_grad_norm"], normalize_advantage=True,
                policy_kwargs={"net_arch": {"pi": [64, 64], "vf": [64, 64]},
                               "activation_fn": torch.nn.Tanh, "log_std_init": 0.0,
                               "ortho_init": True, "optimizer_kwargs": {"eps": 1e-5}},
                seed=a.seed, device="cpu", verbose=0)
    c0, w0 = time.process_time(), time.perf_counter()
    model.learn(total_timesteps=a.steps)
    learn_cpu, learn_wall = time.process_time() - c0, time.perf_counter() - w0

    rms = venv.obs_rms
    path = os.path.join(a.out, "policy.safetensors")
    rsoup.save_policy(path, rsoup.from_sb3(model, vec_normalize=venv))
    # the file acts as SB3 does: rsoup act on raw observations = SB3's
    # predict on VecNormalize's normalised ones
    g = np.random.default_rng(a.seed)
    raw = (rms.mean + np.sqrt(rms.var) * g.standard_normal((256, rms.mean.size))).astype(
        np.float32)
    theirs, _ = model.predict(venv.normalize_obs(raw), deterministic=True)
    err = float(np.abs(rsoup.load_policy(path).act(raw) - theirs).max())
    import stable_baselines3
    json.dump({"steps": int(model.num_timesteps), "seed": a.seed, "threads": a.threads,
               "learn_wall_s": learn_wall, "learn_cpu_s": learn_cpu, "act_max_err": err,
               "stable_baselines3": stable_baselines3.__version__,
               "torch": torch.__version__, "settings": SB3_SETTINGS},
              open(os.path.join(a.out, "run.json"), "w"), indent=1)
    if err > 1e-4:
        sys.exit("peers_train: the saved policy does not act as SB3's (max error %g)" % err)


def run_steps(run):
    """the env steps a run trained for (its progress.csv's last step: rsoup,
    like SB3, trains whole rollouts, so a budget is rounded up to one)"""
    rows = [l.split(",") for l in open(os.path.join(run, "progress.csv")) if l.strip()]
    return int(rows[-1][rows[0].index("step")])


def evaluate(rsoup_bin, policy, a):
    p = subprocess.run([rsoup_bin, "eval", policy, "--episodes", str(a.episodes), "--seed",
                        str(a.eval_seed), "--threads", str(a.threads), "--reward", "default",
                        "--json"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("peers_train: rsoup eval %s failed: %s" % (policy, p.stderr.strip()))
    r = [x for x in json.loads(p.stdout)["rewards"] if x["reward"] == "default"][0]
    return r["mean"], r["std"]


# the settings table: (what, rsoup's config.json keys, the SB3 options that
# stand for CleanRL's value)
SETTING_ROWS = (
    ("envs", "n_envs", "1 (DummyVecEnv)"),
    ("steps per env per rollout", "n_steps", "n_steps=2048"),
    ("minibatches per epoch / size", "minibatches / minibatch", "batch_size=64 (32 per epoch)"),
    ("epochs", "epochs", "n_epochs=10"),
    ("learning rate", "lr / anneal_lr", "learning_rate=3e-4 x progress left (linear to 0)"),
    ("Adam epsilon", "adam_eps", "optimizer_kwargs eps=1e-5"),
    ("discount, GAE", "gamma / gae_lambda", "gamma=0.99, gae_lambda=0.95"),
    ("surrogate clip", "clip", "clip_range=0.2"),
    ("value clip", "clip_vloss",
     "clip_range_vf=0.2 (the clipped error alone; CleanRL and rsoup: the max of both)"),
    ("value coefficient", "vf_coef",
     "vf_coef=0.25 on MSE (= CleanRL's and rsoup's 0.5 on 0.5 MSE)"),
    ("entropy", "ent_coef", "ent_coef=0"),
    ("gradient norm", "max_grad_norm", "max_grad_norm=0.5"),
    ("advantages normalised", "norm_adv", "normalize_advantage=True"),
    ("observations", "norm_obs / obs_clip", "VecNormalize norm_obs, clip_obs=10, epsilon 1e-8"),
    ("rewards", "norm_reward / reward_clip",
     "VecNormalize norm_reward (std of the discounted return, gamma 0.99), clip_reward=10"),
    ("networks", "arch / activation", "separate pi and vf nets 64,64, Tanh"),
    ("init", "weight_init / log_std_init",
     "ortho_init=True (gains sqrt 2, 0.01, 1), log_std_init=0"),
    ("KL early stop", "target_kl", "target_kl=None"),
    ("time-limit truncation", None,
     "both bootstrap V(final obs) (CleanRL treats it as termination)"),
)


def settings_table(run):
    """rsoup's values (its run's config.json) beside the SB3 options"""
    c = json.load(open(os.path.join(run, "config.json")))
    rows = []
    for what, keys, sb3 in SETTING_ROWS:
        mine = " / ".join(json.dumps(c.get(k)) for k in keys.split(" / ")) if keys else ""
        rows.append({"what": what, "rsoup_keys": keys or "", "rsoup": mine, "sb3": sb3})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rsoup_bin", nargs="?")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--retable", metavar="OUT",
                    help="make OUT's tables again from its train.json; trains nothing")
    ap.add_argument("--steps", type=int, default=1000000, help="env steps per run")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--threads", type=int, default=1,
                    help="env threads of rsoup train, torch threads of SB3")
    ap.add_argument("--episodes", type=int, default=10)
    ap.add_argument("--eval-seed", type=int, default=1000)
    ap.add_argument("--env", default="hopper")
    ap.add_argument("--sb3-run", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.retable:
        return tables(json.load(open(os.path.join(a.retable, "train.json"))), a.retable)
    if not a.out:
        ap.error("RSOUP_BIN and OUT are required (or --retable OUT)")
    if a.sb3_run:
        return sb3_run(a)
    R = os.path.abspath(a.rsoup_bin)
    seeds = [int(s) for s in a.seeds.split(",")]
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads), OPENBLAS_NUM_THREADS=str(a.threads),
               MKL_NUM_THREADS=str(a.threads))
    load0 = os.getloadavg()[0]
    watch = LoadWatch()
    rows = []
    for s in seeds:
        run = os.path.join(a.out, "rsoup", "seed_%d" % s)
        if os.path.exists(run):
            sys.exit("peers_train: %s exists (give a new OUT)" % run)
        wall, cpu = timed([R, "train", "--env", a.env, "--steps", str(a.steps), "--seed", str(s),
                           "--threads", str(a.threads), "--out", run, "--quiet"], env,
                          "peers_train")
        ret, sd = evaluate(R, run, a)
        rows.append({"learner": "rsoup", "seed": s, "steps": run_steps(run), "wall_s": wall,
                     "cpu_s": cpu, "learn_wall_s": "", "return": ret, "return_std": sd})
        out = os.path.join(a.out, "sb3", "seed_%d" % s)
        wall, cpu = timed([sys.executable, os.path.abspath(__file__), R, out, "--sb3-run",
                           "--seed", str(s), "--steps", str(a.steps), "--threads",
                           str(a.threads), "--env", a.env], env, "peers_train")
        info = json.load(open(os.path.join(out, "run.json")))
        ret, sd = evaluate(R, os.path.join(out, "policy.safetensors"), a)
        rows.append({"learner": "sb3", "seed": s, "steps": info["steps"], "wall_s": wall,
                     "cpu_s": cpu, "learn_wall_s": info["learn_wall_s"], "return": ret,
                     "return_std": sd})
    load = watch.stop()
    res = {"env": a.env, "steps": a.steps, "seeds": seeds, "threads": a.threads,
           "episodes": a.episodes, "eval_seed": a.eval_seed, "cores": os.cpu_count(),
           "load_1min": [load0, os.getloadavg()[0]], "load_during": load, "rows": rows,
           "settings": {"rsoup": settings_table(os.path.join(a.out, "rsoup",
                                                             "seed_%d" % seeds[0])),
                        "sb3": SB3_SETTINGS}}
    tables(res, a.out)


def tables(res, out):
    """train.json, train.csv and train.md from the runs' rows (--retable
    makes them again from train.json, so a rule of the tables can change
    without training again)"""
    rows, seeds = res["rows"], res["seeds"]
    summary = {}
    for who in ("rsoup", "sb3"):
        rs = [r for r in rows if r["learner"] == who]
        summary[who] = {k: t_interval([r[k] for r in rs]) for k in ("wall_s", "cpu_s", "return")}
    ratio = {k: summary["rsoup"][k][0] / summary["sb3"][k][0] for k in ("wall_s", "cpu_s",
                                                                       "return")}
    ok, said = had_cores([("%s seed %d" % (r["learner"], r["seed"]), r["wall_s"], r["cpu_s"])
                          for r in rows], res["threads"], res["cores"], res.get("load_during"))
    cols = ("learner", "seed", "steps", "wall_s", "cpu_s", "learn_wall_s", "return", "return_std")
    with open(os.path.join(out, "train.csv"), "w") as f:
        f.write(",".join(cols) + "\n")
        for r in rows:
            f.write(",".join(("%.6g" % r[c]) if isinstance(r[c], float) else str(r[c])
                             for c in cols) + "\n")
        for who in ("rsoup", "sb3"):
            m = summary[who]
            f.write("%s,mean,%d,%.6g,%.6g,,%.6g,\n" % (who, res["steps"], m["wall_s"][0],
                                                      m["cpu_s"][0], m["return"][0]))
            f.write("%s,ci95_halfwidth,,%.6g,%.6g,,%.6g,\n" % (who, m["wall_s"][1],
                                                              m["cpu_s"][1], m["return"][1]))
        f.write("rsoup/sb3,ratio_of_means,,%.6g,%.6g,,%.6g,\n" % (
            ratio["wall_s"], ratio["cpu_s"], ratio["return"]))
    res = dict(res, summary={w: {k: {"mean": v[0], "ci95_halfwidth": v[1]} for k, v in m.items()}
                             for w, m in summary.items()},
               ratio_rsoup_over_sb3=ratio, interval="95% Student-t over seeds",
               wall_is_record=ok, wall_verdict=said)
    json.dump(res, open(os.path.join(out, "train.json"), "w"), indent=1)

    md = ["# rsoup PPO vs Stable-Baselines3 PPO, %s, %d env steps per run" % (
        res["env"], res["steps"]), "",
          "Final deterministic return on the default reward, `rsoup eval --episodes %d "
          "--seed %d` for both. Wall and CPU time of the whole child process (user + "
          "system, all threads), %d thread(s) each. %s" % (
              res["episodes"], res["eval_seed"], res["threads"], said),
          "", "| learner | seed | steps | wall s | CPU s | SB3 learn() wall s | return | "
          "return std |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        md.append("| %s | %d | %d | %.1f | %.1f | %s | %.1f | %.1f |" % (
            r["learner"], r["seed"], r["steps"], r["wall_s"], r["cpu_s"],
            "%.1f" % r["learn_wall_s"] if r["learn_wall_s"] != "" else "", r["return"],
            r["return_std"]))
    for who in ("rsoup", "sb3"):
        m = summary[who]
        md.append("| **%s mean ± 95%% t** | | | %s | %s | | %s | |" % (
            who, pm(*m["wall_s"]), pm(*m["cpu_s"]), pm(*m["return"])))
    md += ["", "rsoup/SB3 (ratio of means): wall %.3f, CPU %.3f, return %.3f" % (
        ratio["wall_s"], ratio["cpu_s"], ratio["return"]), "",
        "Settings side by side (rsoup: its run's config.json; SB3: the options given, "
        "standing for CleanRL's ppo_continuous_action MuJoCo defaults):", "",
        "| setting | rsoup key | rsoup | SB3 (CleanRL's value) |", "|---|---|---|---|"]
    for r in res["settings"]["rsoup"]:
        md.append("| %s | %s | %s | %s |" % (r["what"], r["rsoup_keys"], r["rsoup"], r["sb3"]))
    open(os.path.join(out, "train.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
