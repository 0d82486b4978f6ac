#!/usr/bin/env bash
# cli_experiment_3obj.sh — a three-reward experiment end to end, on
# experiments/hopper_3obj.json with tiny budgets and two seeds: the report's
# H1 over every edge and the interior, lambda_stats.csv of three experts
# recomputed here from the replicates' fronts (brute force over the
# lattice), metrics.json's verdicts, the figures; then the same folder's
# report made again with one front of another λ lattice, which leaves that
# replicate out naming both counts.
set -u
R=${RSOUP_BIN:-build/rsoup}
SRC=${RSOUP_SRC:-.}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
command -v python3 >/dev/null || { echo "cli_experiment_3obj: needs python3"; exit 77; }

python3 - "$SRC/experiments/hopper_3obj.json" "$T/tiny3.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["pretrain"]["steps"] = 2048
c["finetune"]["steps"] = 1024
c["ppo"] = {"n_steps": 256, "epochs": 1}
c["front"] = {"grid": 4, "episodes": 2, "seed": 1000}
c["morl"] = {"mu": c["morl"]["mu"][:2], "steps": 1024}
c["control"] = {"steps": 1024}
c["seeds"] = [1, 2]
json.dump(c, open(sys.argv[2], "w"))
EOF
X=$T/x
"$R" experiment "$T/tiny3.json" --out "$X" --jobs 1 --threads 1 >"$T/run.out" 2>&1 || bad "experiment: $(tail -5 "$T/run.out")"

grep -q "^- \*\*H1\*\* (experts fine-tuned from a shared init are linearly connected: no barrier along any edge of the λ simplex.*holds in \*\*[0-2] of 2\*\*" "$X/report.md" && ok || bad "report: the H1 verdict of three experts"
grep -q "^## Linear mode connectivity on the simplex" "$X/report.md" && ok || bad "report: the simplex's LMC table"
grep -q "^| shared init | velocity-height | energy | " "$X/report.md" && ok || bad "report: an edge's row by the rewards' names"
grep -q "^| shared init | interior | height | " "$X/report.md" && ok || bad "report: the interior's row"
grep -q "^## Soups over the λ simplex" "$X/report.md" && ok || bad "report: the best λ and the non-dominated soups"
grep -qE "^\| [12] \| ok \| .* \| (holds|fails \(first barrier: .*\)) \|$" "$X/report.md" && ok || bad "report: the per-replicate H1 column"
grep -q "H1 (no LMC barrier, shared init) holds in [0-2] of 2 replicates" "$T/run.out" && ok || bad "headline"

# lambda_stats.csv against the fronts: each point's mean over the seeds,
# the plane from the vertices, the non-dominated points, by brute force
python3 - "$X" <<'EOF' && ok || bad "lambda_stats.csv against the fronts"
import csv, sys
X = sys.argv[1]
names = ["velocity", "height", "energy"]
specs = ["mo_velocity", "mo_height", "mo_energy"]
def rows(p):
    return list(csv.DictReader(l for l in open(p) if not l.startswith("#")))
# the fronts' columns carry the config's names, each spec on a reward line
for s in (1, 2):
    head = [l.strip() for l in open("%s/seed_%d/front.csv" % (X, s)) if l.startswith("# reward ")]
    assert head == ["# reward %s: %s" % ns for ns in zip(names, specs)], head
fronts = [[r for r in rows("%s/seed_%d/front.csv" % (X, s)) if r["kind"] == "soup"] for s in (1, 2)]
st = rows(X + "/lambda_stats.csv")
assert list(st[0])[:6] == ["lambda:velocity", "lambda:height", "lambda:energy", "x", "y", "n"], list(st[0])
assert len(st) == 10, len(st)  # C(3 + 2, 2) points: grid 4, the lattice of resolution 3
lam = lambda r, key: tuple(float(r[key % i]) for i in range(3))
mean = {}
for r in st:
    l = tuple(float(r["lambda:" + n]) for n in names)
    assert int(r["n"]) == 2, r["n"]
    for k, n in enumerate(names):
        v = [float(f["obj:" + names[k]]) for fr in fronts for f in fr if sum(abs(a - b) for a, b in zip(lam(f, "lambda:%d"), l)) < 1e-9]
        assert len(v) == 2, (l, v)
        m = sum(v) / 2
        assert abs(float(r[n + ":mean"]) - m) <= 1e-8 * max(1, abs(m)), (l, n, r[n + ":mean"], m)
        assert float(r[n + ":lo"]) <= float(r[n + ":mean"]) + 1e-8 <= float(r[n + ":hi"]) + 2e-8, r
        mean[l, k] = m
for r in st:
    l = tuple(float(r["lambda:" + n]) for n in names)
    for k, n in enumerate(names):
        plane = sum(l[i] * mean[tuple(1.0 if j == i else 0.0 for j in range(3)), k] for i in range(3))
        assert abs(float(r[n + ":plane"]) - plane) <= 1e-8 * max(1, abs(plane)), (l, n)
    dom = any(all(mean[q, k] >= mean[l, k] for k in range(3)) and any(mean[q, k] > mean[l, k] for k in range(3))
              for q in {key[0] for key in mean} if q != l)
    assert int(r["nondominated"]) == (not dom), (l, r["nondominated"])
    assert abs(float(r["x"]) - (l[1] + l[2] / 2)) < 1e-9 and abs(float(r["y"]) - l[2] * 3 ** 0.5 / 2) < 1e-9
EOF

python3 - "$X/metrics.json" <<'EOF' && ok || bad "metrics.json"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["verdicts"]["h1_of"] == 2, m["verdicts"]
v = m["lmc_simplex"]["verdicts"]
assert len(v) == 12 and {x["where"] for x in v} == {"velocity-height", "velocity-energy", "height-energy", "interior"}, v
assert [b["reward"] for b in m["lambda"]["best"]] == ["velocity", "height", "energy"], m["lambda"]["best"]
assert len(m["lambda"]["nondominated"]) >= 1
for r in m["per_replicate"]:
    assert len(r["lmc_simplex"]) == 12 and isinstance(r["h1_holds"], bool), r
EOF
if command -v gnuplot >/dev/null; then
  for f in front lambda simplex; do [ -s "$X/$f.png" ] && ok || bad "no $f.png"; done
fi

# the report again, on a folder whose second front has a λ lattice of two experts
python3 - "$X/seed_2/front.csv" <<'EOF'
import sys
p = sys.argv[1]
out = []
for line in open(p):
    if line.startswith("#"):
        out.append(line)
        continue
    f = line.rstrip("\n").split(",")
    del f[4]  # lambda:2
    out.append(",".join(f) + "\n")
open(p, "w").write("".join(out))
EOF
"$R" experiment "$T/tiny3.json" --out "$X" --jobs 1 --threads 1 >"$T/rerun.out" 2>&1 || bad "rerun: $(tail -5 "$T/rerun.out")"
grep -q "front.csv mixes 2 experts (its λ columns), the config has 3 rewards (one expert each)" "$X/report.md" && ok || bad "a front of 2 experts in a 3-reward experiment: $(grep '^| 2 ' "$X/report.md")"
grep -q "2 replicates\*\* (seeds 1, 2; .*), 1 finished" "$X/report.md" && ok || bad "the replicate is left out"
grep -q ",n," "$X/lambda_stats.csv" && awk -F, '!/^#/ && NR > 2 && $6 != 1 { bad = 1 } END { exit bad }' "$X/lambda_stats.csv" && ok || bad "lambda_stats.csv over the one front left"

echo "cli_experiment_3obj: $pass passed, $fail failed"
[ "$fail" = 0 ]
