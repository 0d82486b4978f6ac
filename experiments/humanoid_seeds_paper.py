#!/usr/bin/env python3
"""humanoid_seeds_paper.py RUN [OUT] — the humanoid experiment over seeds,
side by side with the paper's humanoid front.

RUN is the folder of `rsoup experiment experiments/humanoid_seeds.json`
(seed_<s>/front.csv and metrics.json). Prints a markdown table on stdout
and writes, into OUT (default RUN/..):

  paper_compare.csv   every figure per seed, and the paper's
  paper_frame.dat     each seed's points in the init-expert frame (below),
                      and the paper's, for experiments/humanoid_seeds_paper.gp

Every figure is computed per seed, then given as the mean over seeds with a
95 % percentile-bootstrap interval (10000 resamples, fixed seed), the
statistic every rsoup report uses; with 3 seeds the interval mostly shows
how far the seeds disagree.

The figures (the paper's from its repository's figure data: init (3598,
-560), experts (6447, 1461) and (5664, 4062) on (risky, cautious)):
  - soups / line hypervolume with the init as the reference point: the
    soups and the experts against the straight line between the experts
    (the line sampled at 20001 points, so within 1e-4 of exact);
  - soups / MORL hypervolume, the same reference point;
  - each expert's gain over the init on its own reward;
  - the trade-off gaps: what each expert gives up on the other's reward;
  - the same-reward twin's barrier against the pair's (metrics.json).

The init-expert frame puts the init at 0 and the expert of that reward at
1 on each axis: x = (risky - init) / (risky expert - init) on risky, y the
same on cautious. It needs no trade-off between the experts (the experts'
own frame, the other expert at 0, breaks when an expert beats the other on
its reward), so seeds and the paper share one picture.
"""
import csv
import json
import math
import os
import sys

from rs_boot import boot

PAPER_INIT = (3598.0, -560.0)
PAPER_RISKY = (6447.0, 1461.0)
PAPER_CAUTIOUS = (5664.0, 4062.0)
# the paper's soups read off its figure, by lambda (the cautious expert's weight)
PAPER_SOUPS = {0.0: (6447, 1461), 0.3: (6600, 2830), 0.5: (6265, 3319), 0.7: (6040, 3766), 1.0: (5664, 4062)}
PAPER_HV_SOUPS_OVER_LINE = 1.14
PAPER_HV_SOUPS_OVER_MORL = 0.83
PAPER_BEST_MORL = (6917.0, 4221.0)


def load_front(path):
    """rows of a front CSV as dicts (kind, label, risky, cautious, lam)"""
    rows = [r for r in csv.reader(open(path)) if r and not r[0].startswith("#")]
    head, body = rows[0], rows[1:]
    obj = [j for j, h in enumerate(head) if h.startswith("obj:")]
    if len(obj) != 2:
        sys.exit(f"humanoid_seeds_paper.py: {path}: {len(obj)} rewards, not 2")
    lam = head.index("lambda:1")
    out = []
    for r in body:
        out.append({"kind": r[0], "label": r[1], "p": (float(r[obj[0]]), float(r[obj[1]])),
                    "lam": float(r[lam])})
    return out


def hv2(points, ref):
    """hypervolume of 2-D points (larger is better) above ref: a sweep"""
    pts = sorted((p for p in points if p[0] > ref[0] and p[1] > ref[1]), key=lambda p: -p[0])
    area, ymax = 0.0, ref[1]
    for x, y in pts:
        if y > ymax:
            area += (x - ref[0]) * (y - ymax)
            ymax = y
    return area


def line(a, b, n=20001):
    return [(a[0] + (b[0] - a[0]) * t / (n - 1), a[1] + (b[1] - a[1]) * t / (n - 1)) for t in range(n)]


def fmt(iv, f="{:.3g}"):
    m, lo, hi = iv
    return f"{f.format(m)} [{f.format(lo)}, {f.format(hi)}]"


def frame(p, init, er, ec):
    return ((p[0] - init[0]) / (er[0] - init[0]), (p[1] - init[1]) / (ec[1] - init[1]))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    run = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(run))
    m = json.load(open(os.path.join(run, "metrics.json")))
    per = {}
    frame_rows = []
    for rep in m["per_replicate"]:
        if rep.get("status") != "ok":
            continue
        s = rep["seed"]
        f = load_front(os.path.join(run, f"seed_{s}", "front.csv"))
        init = next(r["p"] for r in f if r["kind"] == "init")
        er = next(r["p"] for r in f if r["kind"] == "expert" and r["label"] == "expert_risky")
        ec = next(r["p"] for r in f if r["kind"] == "expert" and r["label"] == "expert_cautious")
        soups = [r["p"] for r in f if r["kind"] in ("soup", "expert")]
        morl = [r["p"] for r in f if r["kind"] == "baseline"]
        hs, hl, hm = hv2(soups, init), hv2(line(er, ec), init), hv2(morl, init)
        span = [max(p[k] for p in soups) - min(p[k] for p in soups) for k in (0, 1)]
        lmc = {l["reward"]: l for l in rep["lmc"]}
        per[s] = {
            "init_risky": init[0], "init_cautious": init[1],
            "risky_expert_risky": er[0], "risky_expert_cautious": er[1],
            "cautious_expert_risky": ec[0], "cautious_expert_cautious": ec[1],
            "gain_risky_pct": 100 * (er[0] - init[0]) / abs(init[0]),
            "gain_cautious_pct": 100 * (ec[1] - init[1]) / abs(init[1]),
            "gap_risky": er[0] - ec[0], "gap_cautious": ec[1] - er[1],
            "gap_risky_of_span": (er[0] - ec[0]) / span[0], "gap_cautious_of_span": (ec[1] - er[1]) / span[1],
            "hv_soups_over_line": hs / hl if hl > 0 else math.nan,
            "hv_soups_over_morl": hs / hm if hm > 0 else math.nan,
            "pair_barrier_risky": lmc["risky"]["barrier"], "pair_barrier_cautious": lmc["cautious"]["barrier"],
            "twin_barrier": rep.get("twin", {}).get("barrier", math.nan),
            "h1": rep.get("h1_holds"),
        }
        for r in f:
            if r["kind"] in ("soup", "expert", "init", "baseline"):
                x, y = frame(r["p"], init, er, ec)
                frame_rows.append((f"seed_{s}", r["kind"], r["lam"] if r["kind"] == "soup" else math.nan, x, y))
    if not per:
        sys.exit("humanoid_seeds_paper.py: no finished replicate in " + run)
    for lam, p in sorted(PAPER_SOUPS.items()):
        x, y = frame(p, PAPER_INIT, PAPER_RISKY, PAPER_CAUTIOUS)
        frame_rows.append(("paper", "soup", lam, x, y))
    frame_rows.append(("paper", "init", math.nan, 0.0, 0.0))
    x, y = frame(PAPER_BEST_MORL, PAPER_INIT, PAPER_RISKY, PAPER_CAUTIOUS)
    frame_rows.append(("paper", "baseline", math.nan, x, y))

    seeds = sorted(per)
    keys = list(per[seeds[0]])
    with open(os.path.join(out, "paper_compare.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["seed"] + keys)
        for s in seeds:
            w.writerow([s] + [per[s][k] for k in keys])
    with open(os.path.join(out, "paper_frame.dat"), "w") as fh:
        fh.write("# who kind lambda x y  (x = (risky - init)/(risky expert - init), y likewise on cautious)\n")
        for who in sorted({r[0] for r in frame_rows}):
            for r in frame_rows:
                if r[0] == who:
                    fh.write(f"{r[0]} {r[1]} {r[2]:.3g} {r[3]:.6g} {r[4]:.6g}\n")
            fh.write("\n\n")

    def col(k):
        return boot([per[s][k] for s in seeds])

    pi, pr, pc = PAPER_INIT, PAPER_RISKY, PAPER_CAUTIOUS
    ph = hv2(list(PAPER_SOUPS.values()), pi)
    n = len(seeds)
    print(f"Seeds {', '.join(map(str, seeds))}: mean over the {n} seeds [95 % percentile-bootstrap interval]; "
          f"the paper: one run.\n")
    print("| figure | paper | ours |")
    print("|---|---|---|")
    print(f"| soups / line hypervolume, init as reference | {PAPER_HV_SOUPS_OVER_LINE} "
          f"(its 5 soups read off the figure: {ph / hv2(line(pr, pc), pi):.2f}) | {fmt(col('hv_soups_over_line'))} |")
    print(f"| soups / MORL hypervolume, init as reference | {PAPER_HV_SOUPS_OVER_MORL} (2 against 11 runs) | "
          f"{fmt(col('hv_soups_over_morl'))} (2 against 5 runs) |")
    print(f"| risky expert's gain on risky over the init | +{100 * (pr[0] - pi[0]) / pi[0]:.0f} % "
          f"({pi[0]:.0f} → {pr[0]:.0f}) | {fmt(col('gain_risky_pct'), '{:+.0f}')} % |")
    print(f"| cautious expert's gain on cautious over the init | {pi[1]:.0f} → {pc[1]:.0f} "
          f"| {fmt(col('gain_cautious_pct'), '{:+.0f}')} % ({fmt(col('init_cautious'), '{:.0f}')} → "
          f"{fmt(col('cautious_expert_cautious'), '{:.0f}')}) |")
    print(f"| trade-off gap on risky (risky expert − cautious expert) | {pr[0] - pc[0]:.0f} "
          f"| {fmt(col('gap_risky'), '{:.0f}')} |")
    print(f"| trade-off gap on cautious (cautious expert − risky expert) | {pc[1] - pr[1]:.0f} "
          f"| {fmt(col('gap_cautious'), '{:.0f}')} |")
    print(f"| pair's barrier, risky / cautious | 0 / 0 (every soup at or above the line) | "
          f"{fmt(col('pair_barrier_risky'), '{:.0f}')} / {fmt(col('pair_barrier_cautious'), '{:.0f}')} |")
    print(f"| same-reward twin's barrier (the floor) | not measured | {fmt(col('twin_barrier'), '{:.0f}')} |")
    print("\nPer seed:\n")
    print("| seed | init (risky, cautious) | risky expert | cautious expert | gap risky / cautious "
          "(% of the soups' span) | soups/line HV | soups/MORL HV | pair's barrier risky / cautious | twin | H1 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s in seeds:
        q = per[s]
        print(f"| {s} | ({q['init_risky']:.0f}, {q['init_cautious']:.0f}) | ({q['risky_expert_risky']:.0f}, "
              f"{q['risky_expert_cautious']:.0f}) | ({q['cautious_expert_risky']:.0f}, {q['cautious_expert_cautious']:.0f}) "
              f"| {q['gap_risky']:.0f} ({100 * q['gap_risky_of_span']:+.0f} %) / {q['gap_cautious']:.0f} "
              f"({100 * q['gap_cautious_of_span']:+.0f} %) | {q['hv_soups_over_line']:.3f} | {q['hv_soups_over_morl']:.3f} "
              f"| {q['pair_barrier_risky']:.0f} / {q['pair_barrier_cautious']:.0f} | {q['twin_barrier']:.0f} "
              f"| {'holds' if q['h1'] else 'fails'} |")


if __name__ == "__main__":
    main()
