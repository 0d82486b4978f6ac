"""py_peers.py — the peers' train and front scripts (experiments/peers.sh
--parts train,front) end to end at tiny budgets: each runs both sides,
writes its table, CSV/JSON and README, and the numbers in them are the
runs' own (steps read back from the runs, returns from `rsoup eval`, one
hypervolume reference point shared by both fronts). The record's budgets
are an experiment; this checks that a user's run of the scripts works.

    py_peers.py RSOUP_BIN SRC      (run by tests/py_interop.sh peers)
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

R, SRC = os.path.abspath(sys.argv[1]), sys.argv[2]
fails = 0


def check(cond, what):
    global fails
    if not cond:
        print("FAIL", what)
        fails += 1


def retable(script, out, names):
    """--retable makes the same files again from the part's JSON"""
    before = {n: open(os.path.join(out, n)).read() for n in names}
    subprocess.run([sys.executable, script, "--retable", out], check=True, stdout=subprocess.DEVNULL)
    for n in names:
        check(open(os.path.join(out, n)).read() == before[n], f"--retable changed {n}")


with tempfile.TemporaryDirectory() as T:
    # train: rsoup PPO and SB3 PPO, 2048 steps, one seed, one episode
    out = os.path.join(T, "train")
    subprocess.run([sys.executable, os.path.join(SRC, "experiments", "peers_train.py"), R, out,
                    "--steps", "2048", "--seeds", "1", "--episodes", "1"], check=True,
                   stdout=subprocess.DEVNULL)
    # one row per run, then the summary rows (mean, interval, ratio)
    rows = [r for r in csv.DictReader(open(os.path.join(out, "train.csv"))) if r["seed"] == "1"]
    learners = sorted(r["learner"] for r in rows)
    check(learners == ["rsoup", "sb3"], f"train.csv runs {learners}")
    j = json.load(open(os.path.join(out, "train.json")))
    for r in rows:
        # the steps are each run's own count (its progress.csv, SB3's num_timesteps)
        check(int(r["steps"]) >= 2048, f"{r['learner']} trained {r['steps']} steps, asked 2048")
        check(r["return"] not in ("", "nan"), f"{r['learner']} has no return")
        jr = [x for x in j["rows"] if x["learner"] == r["learner"] and x["seed"] == 1]
        check(len(jr) == 1 and abs(jr[0]["return"] - float(r["return"])) < 1e-3 * max(1, abs(jr[0]["return"])),
              f"train.json and train.csv disagree on {r['learner']}'s return")
    ratio = [r for r in csv.DictReader(open(os.path.join(out, "train.csv"))) if r["seed"] == "ratio_of_means"]
    check(len(ratio) == 1, "train.csv has no rsoup/sb3 ratio row")
    md = open(os.path.join(out, "train.md")).read()
    check("| rsoup | 1 |" in md and "| sb3 | 1 |" in md, "train.md lacks a row per learner")
    check("CPU/wall of each run" in md and isinstance(j.get("wall_is_record"), bool),
          "train.md/json do not say whether the wall times are a record")
    retable(os.path.join(SRC, "experiments", "peers_train.py"), out,
            ("train.md", "train.csv", "train.json"))
    # front: rewarded soups against CAPQL, 2048 steps each, a 3-point front, one episode
    out = os.path.join(T, "front")
    subprocess.run([sys.executable, os.path.join(SRC, "experiments", "peers_front.py"), R, out,
                    "--steps", "2048", "--seeds", "1", "--grid", "3", "--episodes", "1"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    md = open(os.path.join(out, "front.md")).read()
    check("| rsoup soups | 1 |" in md and "| CAPQL | 1 |" in md, "front.md lacks a row per method")
    check("one reference point for all" in md, "front.md does not name its shared reference point")
    # both fronts scored on one reference point, every hypervolume a number
    p = json.load(open(os.path.join(out, "pareto.json")))
    files = [f["file"] for f in p["fronts"]]
    check(len(p["ref"]) == 2 and len(files) == 2, f"pareto.json: ref {p['ref']}, fronts {files}")
    check(any("/rsoup/" in f for f in files) and any("/capql/" in f for f in files),
          f"pareto.json does not score both methods: {files}")
    check(all(isinstance(f["hypervolume"], (int, float)) for f in p["fronts"]), "a hypervolume is not a number")
    retable(os.path.join(SRC, "experiments", "peers_front.py"), out,
            ("front.md", "front.csv", "front.json"))
    # an old front.json (no "fronts": its rows alone) gives the same tables
    j = json.load(open(os.path.join(out, "front.json")))
    del j["fronts"]
    json.dump(j, open(os.path.join(out, "front.json"), "w"), indent=1, default=str)
    retable(os.path.join(SRC, "experiments", "peers_front.py"), out, ("front.md", "front.csv"))

# whether the wall times are a record: one-thread runs by their CPU/wall,
# more threads by the load sampled while they ran
sys.path.insert(0, os.path.join(SRC, "experiments"))
from peers_util import had_cores  # noqa: E402
check(had_cores([("a", 100, 95), ("b", 10, 9.9)], 1, 2)[0], "runs at CPU/wall 0.95 had their cores")
ok, said = had_cores([("a", 100, 95), ("b", 10, 6)], 1, 2)
check(not ok and "b" in said and "0.60" in said, f"a run at CPU/wall 0.6 shared its core: {said}")
check(had_cores([("a", 100, 150)], 2, 2, {"mean": 1.9, "max": 2.5, "samples": 9})[0] and
      not had_cores([("a", 100, 190)], 2, 2, {"mean": 3.1, "max": 3.5, "samples": 9})[0] and
      not had_cores([("a", 100, 190)], 2, 2)[0], "two-thread runs are judged by the load")

print(f"py_peers: {'ok' if fails == 0 else str(fails) + ' failed'}")
sys.exit(1 if fails else 0)
