#!/usr/bin/env bash
# cli_lmc_simplex.sh — `rsoup lmc --front F` on fronts of three experts made
# here, whose dips are known by construction: the barrier of every edge and
# of the interior against the experts' plane, checked against the same
# quantities computed here from the soups' returns (brute force over the
# lattice), the verdicts in text and JSON, several fronts, a twin, and the
# refusals (a plain CSV, experts that do not match the front).
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
command -v python3 >/dev/null || { echo "cli_lmc_simplex: needs python3"; exit 77; }
. "$(dirname "$0")/lib.sh"

# front NAME SCALE: experts x y z; on reward a they score 100, 300, 200 and
# the soups dip by 60 at the middle of edge x-y and by 50 and 20 at two
# interior points (times SCALE); reward b is the plane itself. Every soup has
# std 8 over 4 episodes: s.e. 4
cat > "$T/make.py" <<'EOF'
import sys
name, scale, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
va, vb, k = [100, 300, 200], [50, 100, 150], 4
dips = {(2, 2, 0): 60, (2, 1, 1): 50, (1, 2, 1): 20}
rows = ["# experts: x.safetensors;y.safetensors;z.safetensors",
        "kind,label,lambda:0,lambda:1,lambda:2,episodes,obj:a,std:a,obj:b,std:b,length"]
for i, e in enumerate("xyz"):
    lam = [1 if j == i else 0 for j in range(3)]
    rows.append("expert,%s,%s,4,%r,8,%r,8,1000" % (e, ",".join(map(str, lam)), float(va[i]), float(vb[i])))
for c0 in range(k, -1, -1):
    for c1 in range(k - c0, -1, -1):
        c = (c0, c1, k - c0 - c1)
        lam = [x / k for x in c]
        a = sum(l * v for l, v in zip(lam, va)) - scale * dips.get(c, 0)
        b = sum(l * v for l, v in zip(lam, vb))
        rows.append("soup,s,%s,4,%r,8,%r,8,1000" % (",".join(repr(l) for l in lam), a, b))
open(out, "w").write("\n".join(rows) + "\n")
EOF
python3 "$T/make.py" three 1 "$T/three.csv"
python3 "$T/make.py" small 0.1 "$T/small.csv"  # dips of 6 and 5: under the tolerance of 20

# the expected barriers, brute force over the rows of the file
cat > "$T/expect.py" <<'EOF'
import csv, json, sys
rows = [r for r in csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")) if r["kind"] == "soup"]
lam = lambda r: [float(r["lambda:%d" % i]) for i in range(3)]
out = {}
for obj in "ab":
    vert = [next(float(r["obj:" + obj]) for r in rows if lam(r)[i] == 1) for i in range(3)]
    for a, b in [(0, 1), (0, 2), (1, 2)]:
        pts = [(lam(r)[b], float(r["obj:" + obj])) for r in rows if all(lam(r)[i] == 0 for i in range(3) if i not in (a, b))]
        out["%d-%d/%s" % (a, b, obj)] = max([0] + [((1 - t) * vert[a] + t * vert[b]) - v for t, v in pts])
    gaps = [float(r["obj:" + obj]) - sum(l * v for l, v in zip(lam(r), vert)) for r in rows if sum(x > 0 for x in lam(r)) >= 3]
    out["interior/" + obj] = max([0] + [-g for g in gaps])
    out["gap/" + obj] = sum(gaps) / len(gaps)
print(json.dumps(out))
EOF
want=$(python3 "$T/expect.py" "$T/three.csv")
js=$("$R" lmc --front "$T/three.csv" --json 2>"$T/err") || bad "lmc --json on three experts: $(cat "$T/err")"
python3 - "$js" "$want" <<'EOF' && ok || bad "three experts --json: $js"
import json, sys
o, w = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert o["experts"] == ["x", "y", "z"], o["experts"]
pairs = [e["experts"] for e in o["edges"]]
assert pairs == [["x", "y"], ["x", "z"], ["y", "z"]], pairs
names = {"x": 0, "y": 1, "z": 2}
for e in o["edges"]:
    key = "%d-%d" % (names[e["experts"][0]], names[e["experts"][1]])
    for r in e["rewards"]:
        assert abs(r["barrier"] - w[key + "/" + r["reward"]]) < 1e-9, (key, r)
        assert r["connected"] == (not (key == "0-1" and r["reward"] == "a")), (key, r)
edge = o["edges"][0]["rewards"][0]
assert edge["barrier_lambda"] == 0.5 and abs(edge["barrier_in_se"] - 15) < 1e-9 and abs(edge["tolerance"] - 20) < 1e-9, edge
inner = {r["reward"]: r for r in o["interior"]["rewards"]}
assert o["interior"]["soups"] == 3, o["interior"]
assert abs(inner["a"]["barrier"] - w["interior/a"]) < 1e-9 and inner["a"]["barrier_lambda"] == [0.5, 0.25, 0.25], inner["a"]
assert abs(inner["a"]["mean_gap_to_plane"] - w["gap/a"]) < 1e-9 and inner["a"]["connected"] is False, inner["a"]
assert inner["b"]["barrier"] < 1e-9 and inner["b"]["connected"] is True, inner["b"]
assert o["connected"] is False
EOF
out=$("$R" lmc --front "$T/three.csv" 2>&1)
grep -A2 "^edge x-y" <<<"$out" | grep -q "^  a .*barrier *60.00 at λ=0.5 .*BARRIER" && ok || bad "text, edge x-y: $out"
grep -A2 "^edge y-z" <<<"$out" | grep -q "BARRIER" && bad "text, edge y-z has a barrier: $out" || ok
grep -A2 "^interior (3 soups" <<<"$out" | grep -q "^  a .*barrier *50.00 at λ=(0.5, 0.25, 0.25) .*BARRIER" && ok || bad "text, interior: $out"
grep -q "^H1 fails here: at least one edge or the interior shows a barrier" <<<"$out" && ok || bad "text, verdict: $out"
# dips under the tolerance: H1 holds
"$R" lmc --front "$T/small.csv" 2>&1 | grep -q "^H1 holds here: no edge and no reward shows a barrier, nor the interior" && ok || bad "small dips"
# two fronts: per front, then each edge and the interior over fronts
{ echo "# seed: 2"; cat "$T/small.csv"; } > "$T/small2.csv"
out=$("$R" lmc --front "$T/three.csv" "$T/small2.csv" 2>&1)
grep -q "^  x-y *a *barrier 33 \[6, 60\], area above the line .*; a barrier in 1 of 2" <<<"$out" && ok || bad "two fronts, edge x-y: $out"
grep -q "^  interior *a *barrier 27.5 \[5, 50\], mean gap to the plane .*; a barrier in 1 of 2" <<<"$out" && ok || bad "two fronts, interior: $out"
grep -q "^H1 holds in 1 of 2 fronts" <<<"$out" && ok || bad "two fronts, count: $out"
js=$("$R" lmc --front "$T/three.csv" "$T/small2.csv" --json 2>/dev/null)
python3 -c '
import json, sys
o = json.loads(sys.argv[1])
v = {(x["where"], x["reward"]): x for x in o["aggregate"]["verdicts"]}
assert v[("x-y", "a")]["fronts_with_barrier"] == 1 and v[("interior", "a")]["barrier"]["mean"] == 27.5, v
assert [f["connected"] for f in o["fronts"]] == [False, True], o["fronts"]
' "$js" && ok || bad "two fronts --json: $js"
# a twin: the floor against every edge
{ echo "kind,label,lambda:0,lambda:1,episodes,obj:a,std:a,obj:b,std:b,length"
  echo "soup,0,1,0,4,100,8,100,8,1000"; echo "soup,0.5,0.5,0.5,4,90,8,100,8,1000"
  echo "soup,1,0,1,4,100,8,100,8,1000"; } > "$T/twin.csv"
"$R" lmc --front "$T/three.csv" --twin "$T/twin.csv" 2>&1 | grep -q "floor (twin $T/twin.csv, reward a): barrier 10 .*some edge's barrier EXCEEDS it" && ok || bad "twin"
# refusals: a plain CSV; experts that are not the front's (two for three)
printf 'a,b\n1,2\n' > "$T/plain.csv"
expect lmc-plain 1 "is not a front of 2 or more experts" -- "$R" lmc --front "$T/plain.csv"
mkdir -p "$T/x" "$T/y"
expect lmc-claimed 1 "was made from 'x.safetensors;y.safetensors;z.safetensors', not from the experts given" -- \
  "$R" lmc --front "$T/three.csv" "$T/x" "$T/y"

echo "cli_lmc_simplex: $pass passed, $fail failed"
[ "$fail" = 0 ]
