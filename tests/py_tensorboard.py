"""py_tensorboard.py — rsoup.tensorboard_export writes a run folder's curves
as TensorBoard event files; TensorBoard's own reader (event_accumulator, which
checks every record's CRC-32C and parses the protobufs with its own code)
reads them back, and every scalar is checked against the run's files as this
test parses them itself (csv and json modules, not rsoup.load_run):

  - each progress.csv column is one tag whose (step, value) pairs are the
    CSV's rows that have a value, float32, in order; log.jsonl's numbers that
    the CSV has no column for are tags too, at their line's step;
  - no other tag; wall times are the run's start plus time_s;
  - for a PPO and a SAC run made by `rsoup train` (with evaluations), and a
    run whose progress.csv ends in a cut line (dropped);
  - the same run exports to the same bytes; a flipped byte is caught by
    TensorBoard's CRC check (so the file's CRCs are what make it load);
  - a folder that is not a run, and a run without curves, are refused,
    naming the folder; a link where the event file goes is not written
    through.

    python tests/py_tensorboard.py RSOUP_BIN SOURCE_DIR
"""
import calendar
import csv
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

R, SRC = sys.argv[1:3]
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, "python"))
from tensorboard.backend.event_processing import event_accumulator, event_file_loader  # noqa

import rsoup  # noqa: E402

passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (name, ": " + str(detail) if detail != "" else ""))


# ---- what the files say, read here with the standard library
ROLLOUT = {"ep_return", "ep_length", "episodes", "last_return"}


def group(name, terms):
    """docs/formats.md's groups (rsoup/tensorboard.py's table, restated)"""
    if name in terms:
        return "terms/" + name
    if name.startswith("eval_") and name != "eval_s":
        return "eval/" + name[len("eval_"):]
    if name in ROLLOUT:
        return "rollout/" + name
    if name in ("iter", "steps_per_s", "updates_per_s") or name.endswith("_s"):
        return "time/" + name
    return "train/" + name


def expected(run):
    """tag -> [(step, float32 value)] and the step -> time_s map, from the
    run's progress.csv and log.jsonl"""
    with open(os.path.join(run, "progress.csv"), newline="") as f:
        text = f.read()
    if not text.endswith("\n"):  # a cut last line: rsoup's readers drop it
        text = text[:text.rfind("\n") + 1]
    rows = list(csv.reader(text.splitlines()))
    cols, rows = rows[0], rows[1:]
    terms = set(cols[cols.index("ep_length") + 1:cols.index("eval_return")])
    out, time_s, csv_steps = {}, {}, set()
    for r in rows:
        d = dict(zip(cols, r))
        step = int(d["step"])
        csv_steps.add(step)
        time_s[step] = float(d["time_s"])
        for c in cols:
            if c != "step" and d[c] != "":
                out.setdefault(group(c, terms), []).append((step, np.float32(float(d[c]))))
    with open(os.path.join(run, "log.jsonl")) as f:
        log = f.read()
    lines = [json.loads(x) for x in log[:log.rfind("\n") + 1].splitlines() if x.strip()]
    for x in lines:
        step = x["step"]
        flat = {}
        for k, v in x.items():
            if k in ("update", "iter", "step"):
                continue
            if k == "ep_terms":
                flat.update(v)
            elif k == "eval":
                for kk, vv in v.items():
                    if kk == "terms":
                        flat.update({"eval_terms/" + t: y for t, y in vv.items()})
                    else:
                        flat["eval_" + kk] = vv
            else:
                flat[k] = v
        for k, v in flat.items():
            if k in cols or v is None or isinstance(v, bool):
                continue  # the CSV's number is the one written
            out.setdefault(group(k, terms), []).append((step, np.float32(v)))
            if step not in csv_steps:
                time_s[step] = x["time_s"]
        if step not in csv_steps:  # an iteration the CSV skipped: its counter too
            out.setdefault("time/iter", []).append((step, np.float32(x.get("update",
                                                                            x.get("iter")))))
    for v in out.values():
        v.sort(key=lambda p: p[0])
    return out, time_s


def start_of(run):
    with open(os.path.join(run, "provenance.json")) as f:
        date = json.load(f)["date"]
    return calendar.timegm(time.strptime(date, "%Y-%m-%dT%H:%M:%SZ"))


def read_back(out_dir):
    acc = event_accumulator.EventAccumulator(out_dir, size_guidance={"scalars": 0})
    acc.Reload()
    return acc, {t: acc.Scalars(t) for t in acc.Tags()["scalars"]}


def compare(label, run, out_dir):
    want, time_s = expected(run)
    acc, got = read_back(out_dir)
    check("%s: the tags are the files' columns and keys" % label, set(got) == set(want),
          (sorted(set(got) - set(want)), sorted(set(want) - set(got))))
    bad = []
    for tag in sorted(set(got) & set(want)):
        g = [(e.step, np.float32(e.value)) for e in got[tag]]
        if g != want[tag]:
            bad.append((tag, g[:3], want[tag][:3]))
    check("%s: every tag's (step, value) pairs, float32" % label, not bad, bad[:3])
    start = start_of(run)
    walls = {e.step: e.wall_time for evs in got.values() for e in evs}
    bad_wall = [s for s, w in walls.items() if abs(w - (start + time_s[s])) > 1e-3]
    check("%s: wall time = the run's start + time_s" % label, not bad_wall and walls,
          bad_wall[:5])
    return got


with tempfile.TemporaryDirectory() as tmp:
    def train(name, *args):
        d = os.path.join(tmp, name)
        p = subprocess.run([R, "train", "--env", "hopper", "--seed", "2", "--threads", "1",
                            "--quiet", "--out", d] + list(args), capture_output=True, text=True)
        check("rsoup train %s" % name, p.returncode == 0, p.stderr[-300:])
        return d

    ppo = train("ppo", "--reward", "risky", "--steps", "6144", "--n-envs", "2", "--n-steps",
                "512", "--epochs", "2", "--eval-every", "2", "--eval-episodes", "2")
    sac = train("sac", "--algo", "sac", "--steps", "1200", "--learning-starts", "400",
                "--log-every", "200", "--batch-size", "32", "--buffer-size", "2000", "--arch",
                "32,32", "--eval-every", "2", "--eval-episodes", "1")

    # ---- PPO: every column and key, read back by TensorBoard
    out = os.path.join(tmp, "tb", "ppo")
    path = rsoup.tensorboard_export(ppo, out)
    check("the file: out/events.out.tfevents.<start>.rsoup", path == os.path.join(
        out, "events.out.tfevents.%d.rsoup" % start_of(ppo)) and os.listdir(out) ==
        [os.path.basename(path)], (path, os.listdir(out)))
    got = compare("ppo", ppo, out)
    check("ppo: the losses, terms and evaluations are there",
          {"train/pg_loss", "terms/forward", "eval/return", "time/rollout_s",
           "eval/terms/forward"} <= set(got), sorted(got))
    blob = open(path, "rb").read()
    rsoup.tensorboard_export(ppo, out)
    check("the same run exports to the same bytes", open(path, "rb").read() == blob)

    # a flipped byte inside a record: TensorBoard's CRC check stops the read there
    bad_dir = os.path.join(tmp, "tb", "flipped")
    os.makedirs(bad_dir)
    flipped = bytearray(blob)
    flipped[len(blob) // 2] ^= 0x20
    open(os.path.join(bad_dir, os.path.basename(path)), "wb").write(bytes(flipped))
    n_good = sum(1 for _ in event_file_loader.EventFileLoader(path).Load())
    n_bad = sum(1 for _ in event_file_loader.EventFileLoader(
        os.path.join(bad_dir, os.path.basename(path))).Load())
    check("TensorBoard reads every record, and stops at a flipped byte",
          n_good == 1 + len(set(e.step for v in got.values() for e in v)) and n_bad < n_good,
          (n_good, n_bad))

    # ---- SAC: its own columns (alpha, q_loss) and keys (q1, q2, updates)
    out = os.path.join(tmp, "tb", "sac")
    rsoup.tensorboard_export(sac, out)
    got = compare("sac", sac, out)
    check("sac: alpha, q_loss, q1 and the evaluation are there",
          {"train/alpha", "train/q_loss", "train/q1", "eval/return"} <= set(got), sorted(got))

    # ---- a run cut mid-write: the partial lines are not exported
    cut = os.path.join(tmp, "cut")
    shutil.copytree(ppo, cut)
    for name in ("progress.csv", "log.jsonl"):
        f = os.path.join(cut, name)
        lines = open(f).read().splitlines(True)
        open(f, "w").write("".join(lines[:-1]) + lines[-1][:len(lines[-1]) // 2])
    out = os.path.join(tmp, "tb", "cut")
    rsoup.tensorboard_export(cut, out)
    got = compare("cut", cut, out)
    full = expected(ppo)[0]["time/steps_per_s"]
    check("cut: one step fewer than the whole run",
          len(got["time/steps_per_s"]) == len(full) - 1, (len(got["time/steps_per_s"]),
                                                          len(full)))

    # ---- refusals name the folder
    for label, d, setup in (("not a run folder", os.path.join(tmp, "empty"), None),
                            ("a run without curves", os.path.join(tmp, "nocurves"), "config")):
        os.makedirs(d)
        if setup:
            shutil.copy(os.path.join(ppo, "config.json"), d)
        try:
            rsoup.tensorboard_export(d, os.path.join(tmp, "tb", "x"))
            check("%s refused" % label, False)
        except rsoup.RsoupError as e:
            check("%s refused, naming it" % label, d in str(e), e)
    check("nothing written for a refused run", not glob.glob(os.path.join(tmp, "tb", "x", "*")))

    # the event file is replaced by a rename, never written through a link
    out = os.path.join(tmp, "tb", "link")
    os.makedirs(out)
    victim = os.path.join(tmp, "victim")
    open(victim, "w").write("keep")
    os.symlink(victim, os.path.join(out, "events.out.tfevents.%d.rsoup" % start_of(ppo)))
    try:
        rsoup.tensorboard_export(ppo, out)
        check("a link at the event file's name refused", False)
    except rsoup.RsoupError as e:
        check("a link at the event file's name refused, naming it", "link" in str(e) and
              open(victim).read() == "keep" and len(os.listdir(out)) == 1, (e, os.listdir(out)))

print("py_tensorboard: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
