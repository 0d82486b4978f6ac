#!/usr/bin/env python3
"""lmc_floor_table.py DIR [DIR ...] — the same-reward floor as a distribution
(experiments/lmc_floor.sh wrote each DIR = experiments/results/lmc_floor/<env>).

For each env and seed, every pair of its 2K experts is one of:
  within  two experts of the same reward (the floor: fine-tuning alone);
  across  one expert of each reward (what rewarded soups mix).
For each reward, the barrier on that reward (rsoup lmc's: the largest drop
below the straight line between the pair's returns) of the pairs of that
reward's floor against the across pairs; and, for every pair, whether it has
a barrier on either reward (rsoup lmc's rule: more than 2 standard errors and
0.1 x the reward's scale), H1's verdict.

Printed as markdown. Means over pairs, then over seeds, with a 95 %
percentile-bootstrap interval over the seeds' means (10000 resamples, fixed
seed). The p-value is a permutation test of "across pairs' barriers are no
larger than the floor's": labels shuffled within each seed, statistic the
mean over seeds of (mean across - mean within). Pairs that share an expert
are not independent, so it is a rough guide, said so wherever it is quoted.
"""
import glob
import json
import math
import os
import random
import sys

from rs_boot import boot


def load_env(d):
    seeds = {}
    for sd in sorted(glob.glob(os.path.join(d, "seed_*"))):
        mfile = os.path.join(sd, "members.json")
        if not os.path.exists(mfile):
            continue
        m = json.load(open(mfile))
        pairs = []
        for pj in sorted(glob.glob(os.path.join(sd, "pairs", "*.json"))):
            a, b = os.path.basename(pj)[:-5].split("~")
            j = json.load(open(pj))
            r = j["rewards"]
            pairs.append({"a": a, "b": b, "ta": a.rsplit("_", 1)[0], "tb": b.rsplit("_", 1)[0],
                          "barrier": [r[0]["barrier"], r[1]["barrier"]],
                          "connected": [r[0]["connected"], r[1]["connected"]]})
        same = []
        for pj in sorted(glob.glob(os.path.join(sd, "sameseed", "*.json"))):
            r = json.load(open(pj))["rewards"]
            same.append({"barrier": [r[0]["barrier"], r[1]["barrier"]],
                         "connected": [r[0]["connected"], r[1]["connected"]]})
        seeds[m["seed"]] = {"meta": m, "pairs": pairs, "same": same}
    return seeds


def mean(v):
    return sum(v) / len(v) if v else math.nan


def perm_p(groups, resamples=10000, seed=4321):
    """groups: per seed, (within values, across values); one-sided p of
    mean over seeds of (mean across - mean within) under shuffled labels"""
    def stat(gs):
        return mean([mean(a) - mean(w) for w, a in gs if w and a])
    obs = stat(groups)
    rng = random.Random(seed)
    hits = 0
    for _ in range(resamples):
        gs = []
        for w, a in groups:
            v = list(w) + list(a)
            rng.shuffle(v)
            gs.append((v[:len(w)], v[len(w):]))
        hits += stat(gs) >= obs - 1e-12
    return obs, (hits + 1) / (resamples + 1)


def fmt(iv, f="{:.0f}"):
    m, lo, hi = iv
    return f"{f.format(m)} [{f.format(lo)}, {f.format(hi)}]"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print("| env | reward | pairs per seed (floor / across) | floor: barrier | across: barrier | across − floor (permutation p) | floor pairs with a barrier | across pairs with a barrier |")
    print("|---|---|---|---|---|---|---|---|")
    verdicts = []
    for d in sys.argv[1:]:
        env = os.path.basename(os.path.normpath(d))
        seeds = load_env(d)
        if not seeds:
            print(f"lmc_floor_table.py: nothing finished in {d}", file=sys.stderr)
            continue
        meta = next(iter(seeds.values()))["meta"]
        tags = ["risky", "cautious"]
        for k, tag in enumerate(tags):
            groups, wm, am, wc, ac, nw, na = [], [], [], 0, 0, 0, 0
            for s, v in sorted(seeds.items()):
                w = [p["barrier"][k] for p in v["pairs"] if p["ta"] == tag and p["tb"] == tag]
                a = [p["barrier"][k] for p in v["pairs"] if p["ta"] != p["tb"]]
                groups.append((w, a))
                wm.append(mean(w))
                am.append(mean(a))
                wc += sum(not p["connected"][k] for p in v["pairs"] if p["ta"] == tag and p["tb"] == tag)
                ac += sum(not p["connected"][k] for p in v["pairs"] if p["ta"] != p["tb"])
                nw += len(w)
                na += len(a)
            obs, p = perm_p(groups)
            n = len(seeds)
            print(f"| {env} | {tag} (`{meta['rewards'][k]}`) | {nw // n} / {na // n} | {fmt(boot(wm))} | "
                  f"{fmt(boot(am))} | {obs:+.0f} (p = {p:.3f}) | {wc} of {nw} | {ac} of {na} |")
        # H1's verdict: a barrier on either reward
        wv = av = wn = an = 0
        for s, v in seeds.items():
            for p in v["pairs"]:
                bad = not (p["connected"][0] and p["connected"][1])
                if p["ta"] == p["tb"]:
                    wn += 1
                    wv += bad
                else:
                    an += 1
                    av += bad
        verdicts.append((env, len(seeds), meta["K"], wv, wn, av, an))
    same_rows = []
    for d in sys.argv[1:]:
        env = os.path.basename(os.path.normpath(d))
        seeds = load_env(d)
        if not any(v["same"] for v in seeds.values()):
            continue
        row = [env]
        for k in (0, 1):
            sm = [mean([p["barrier"][k] for p in v["same"]]) for v in seeds.values() if v["same"]]
            am = [mean([p["barrier"][k] for p in v["pairs"] if p["ta"] != p["tb"]]) for v in seeds.values() if v["same"]]
            row += [fmt(boot(sm)), fmt(boot(am))]
        sb = sum(not (p["connected"][0] and p["connected"][1]) for v in seeds.values() for p in v["same"])
        sn = sum(len(v["same"]) for v in seeds.values())
        ab = sum(not (p["connected"][0] and p["connected"][1]) for v in seeds.values() if v["same"]
                 for p in v["pairs"] if p["ta"] != p["tb"])
        an = sum(1 for v in seeds.values() if v["same"] for p in v["pairs"] if p["ta"] != p["tb"])
        row += [f"{sb} of {sn} ({100 * sb / sn:.0f} %)", f"{ab} of {an} ({100 * ab / an:.0f} %)"]
        same_rows.append(row)
    if same_rows:
        print("\nRisky-cautious pairs that share their fine-tuning seed (lmc_sameseed.sh) against those that do not:\n")
        print("| env | barrier on risky: same seed | different seeds | barrier on cautious: same seed | different seeds | pairs with a barrier (H1): same seed | different seeds |")
        print("|---|---|---|---|---|---|---|")
        for row in same_rows:
            print("| " + " | ".join(row) + " |")
    print("\nH1's verdict (no barrier on either reward) per pair, over every seed:\n")
    print("| env | seeds | experts per reward | floor pairs with a barrier | across pairs with a barrier |")
    print("|---|---|---|---|---|")
    for env, n, K, wv, wn, av, an in verdicts:
        print(f"| {env} | {n} | {K} | {wv} of {wn} ({100 * wv / wn:.0f} %) | {av} of {an} ({100 * av / an:.0f} %) |")


if __name__ == "__main__":
    main()
