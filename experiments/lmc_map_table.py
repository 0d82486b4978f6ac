#!/usr/bin/env python3
"""lmc_map_table.py — the fine-tuning map's table and figure data.

Reads experiments/results/lmc_map/<env>/<protocol>/metrics.json (the
experiment reports of experiments/lmc_map.sh) and writes, into
experiments/results/lmc_map/:
  table.md   one row per env and protocol: H1 count, the pair's barrier on
             each reward and the same-reward twin's (the floor), in how
             many seeds the pair's barrier exceeds the floor, each expert's
             gain over its init, soups' hypervolume over MORL's, compute;
             means over seeds with 95 % bootstrap intervals as the reports
             give them
  map.dat    the same numbers, whitespace-separated, for lmc_map_plot.sh
Standard library only.
  experiments/lmc_map_table.py [RESULTS_DIR]
"""
import json
import os
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "experiments/results/lmc_map"
ENVS = ["hopper", "hopper1m", "walker2d", "halfcheetah"]
# a cell folder that is not an env's own name: the env and what differs
LABELS = {"hopper1m": "hopper, 1M-step init"}
PROTOS = ["today", "lr1e-4", "tkl", "kl0.3", "kl3", "klm0.3", "warm", "best"]


def iv(o, fmt="%.4g", scale=1.0):
    """'m [lo, hi]' of a {mean, lo, hi, n} object"""
    if not o or o.get("n", 0) == 0 or o.get("mean") is None:
        return "—"
    m = o["mean"] * scale
    if o["n"] == 1 or o.get("lo") is None:
        return fmt % m
    return "%s [%s, %s]" % (fmt % m, fmt % (o["lo"] * scale), fmt % (o["hi"] * scale))


def num(o, key="mean", scale=1.0):
    v = o.get(key) if o else None
    return "nan" if v is None else "%.6g" % (v * scale)


def cells():
    for e in ENVS:
        for p in PROTOS:
            f = os.path.join(ROOT, e, p, "metrics.json")
            if os.path.isfile(f):
                with open(f) as fh:
                    yield e, p, json.load(fh)


def finetune_time_s(cell):
    """the cell's fine-tuning trainings' own time (experts, twin, MORL runs;
    every seed), summed: each run's progress.csv's last time_s, which
    carries on across resumes. A run's wall time of the experiment would
    say 0 s for a report remade later, and mixes in the fronts."""
    total, any_run = 0.0, False
    for sd in sorted(os.listdir(cell)):
        if not sd.startswith("seed_") or not os.path.isdir(os.path.join(cell, sd)):
            continue
        for run in sorted(os.listdir(os.path.join(cell, sd))):
            f = os.path.join(cell, sd, run, "progress.csv")
            if run.split("_")[0] not in ("expert", "twin", "morl") or not os.path.isfile(f):
                continue
            with open(f) as fh:
                lines = [l for l in fh if l[:1].isdigit()]
            if lines:
                total += float(lines[-1].split(",")[2])
                any_run = True
    return total if any_run else None


def main():
    rows, dat = [], []
    for e, p, m in cells():
        v = m["verdicts"]
        lmc = {x["reward"]: x for x in m["lmc"]}
        names = [x["reward"] for x in m["lmc"]]
        gain = {g["reward"]: g for g in m.get("expert_gain", [])}
        tw = m.get("twin")
        n = m["replicates_finished"]
        wall = finetune_time_s(os.path.join(ROOT, e, p))
        cfg = m.get("config", "")
        steps = ""
        try:
            with open(cfg) as fh:
                c = json.load(fh)
            k = len(c["rewards"]) + (1 if c["finetune"].get("twin") else 0)
            steps = "%d × %dk + %d × %dk" % (k, c["finetune"]["steps"] // 1000,
                                             len(c.get("morl", {}).get("mu", [])),
                                             c.get("morl", {}).get("steps", c["finetune"]["steps"]) // 1000)
        except (OSError, KeyError, ValueError):
            pass
        bars = " / ".join(iv(lmc[r]["barrier"]) for r in names)
        gains = " / ".join(iv(gain[r]["gain_relative"], "%+.0f", 100) for r in names if r in gain)
        g20 = " / ".join("%d" % gain[r]["replicates_gaining_20_percent"] for r in names if r in gain)
        rows.append("| %s | %s | %d of %d | %s | %s | %s | %s %% (≥ +20 %%: %s) | %s | %s, %s s |" % (
            LABELS.get(e, e), p, v["h1_holds"], v["h1_of"], bars,
            iv(tw["barrier"]) if tw else "—",
            "%d of %d" % (tw["pair_exceeds_floor"], tw["of"]) if tw else "—",
            gains, g20,
            iv(m["aggregate"]["hv_ratio_rs_over_morl"], "%.3f"),
            steps, "%.0f" % wall if wall else "?"))
        pair_max = max((lmc[r]["barrier"]["mean"] or 0) for r in names)
        dat.append(" ".join([e, p, str(n), str(v["h1_holds"]),
                             num(lmc[names[0]]["barrier"]), num(lmc[names[0]]["barrier"], "lo"),
                             num(lmc[names[0]]["barrier"], "hi"),
                             num(lmc[names[1]]["barrier"]), num(lmc[names[1]]["barrier"], "lo"),
                             num(lmc[names[1]]["barrier"], "hi"),
                             num(tw["barrier"] if tw else None), num(tw["barrier"] if tw else None, "lo"),
                             num(tw["barrier"] if tw else None, "hi"),
                             num(gain[names[0]]["gain_relative"], scale=100),
                             num(gain[names[0]]["gain_relative"], "lo", 100),
                             num(gain[names[0]]["gain_relative"], "hi", 100),
                             num(gain[names[1]]["gain_relative"], scale=100),
                             num(gain[names[1]]["gain_relative"], "lo", 100),
                             num(gain[names[1]]["gain_relative"], "hi", 100),
                             num(m["aggregate"]["hv_ratio_rs_over_morl"]),
                             num(m["aggregate"]["hv_ratio_rs_over_morl"], "lo"),
                             num(m["aggregate"]["hv_ratio_rs_over_morl"], "hi"),
                             "%.6g" % pair_max]))
    if not rows:
        print("lmc_map_table: no finished cell under %s" % ROOT, file=sys.stderr)
        return 1
    head = ("| env | protocol | H1 holds | pair's barrier (risky / cautious) | twin's barrier (the floor, "
            "risky) | pair above the floor | experts' gain over the init (risky / cautious) | "
            "soups' HV / MORL's | fine-tuning compute per seed; its trainings' own time, 3 seeds summed |\n"
            "|---|---|---|---|---|---|---|---|---|")
    with open(os.path.join(ROOT, "table.md"), "w") as fh:
        fh.write("Means over seeds 1-3 with 95 % percentile-bootstrap intervals (10000 resamples); "
                 "barriers in return units, gains in % of the init's return on that reward. "
                 "Made by experiments/lmc_map_table.py from each cell's metrics.json.\n\n")
        fh.write(head + "\n" + "\n".join(rows) + "\n")
    with open(os.path.join(ROOT, "map.dat"), "w") as fh:
        fh.write("# env protocol n h1 bar1 bar1_lo bar1_hi bar2 bar2_lo bar2_hi twin twin_lo twin_hi "
                 "gain1 gain1_lo gain1_hi gain2 gain2_lo gain2_hi hv_ratio hv_lo hv_hi pair_max\n")
        fh.write("\n".join(dat) + "\n")
    print("\n".join([head] + rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
