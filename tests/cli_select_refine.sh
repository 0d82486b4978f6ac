#!/usr/bin/env bash
# cli_select_refine.sh — `select --refine` scores its winner again on fresh
# episodes (with the grid's best beside it, on the same episodes) and can
# write the refined soup; both figures are reproduced independently by
# `rsoup eval` of the soup at that λ on that seed.
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
command -v python3 >/dev/null || { echo "cli_select_refine: needs python3"; exit 77; }
. "$(dirname "$0")/lib.sh"
A=(--env hopper --n-envs 2 --n-steps 128 --minibatch 64 --epochs 1 --threads 1 --quiet)
"$R" train "${A[@]}" --steps 2048 --out "$T/pre" >/dev/null 2>&1
"$R" train "${A[@]}" --steps 1024 --reward risky --seed 2 --init "$T/pre" --out "$T/a" >/dev/null 2>&1
"$R" train "${A[@]}" --steps 1024 --reward cautious --seed 3 --init "$T/pre" --out "$T/b" >/dev/null 2>&1
"$R" front "$T/a" "$T/b" --grid 5 --episodes 2 --threads 1 --quiet --out "$T/f.csv" >/dev/null 2>&1 || bad "front failed"

js=$("$R" select "$T/f.csv" --weights 0.5,0.5 --refine --iters 4 --rescore 3 --threads 1 --out "$T/soup.safetensors" --json 2>/dev/null)
read -r lam1 fseed fu gu glam1 <<<"$(python3 -c '
import json, sys
o = json.loads(sys.argv[1]); x = o["refined"]; f = x["fresh"]
assert f["episodes"] == 3, f
print(x["lambda"][1], f["seed"], f["utility"], f["grid_best_utility"], o["best"]["lambda"][1])' "$js" 2>/dev/null)"
[ -n "${fu:-}" ] && ok || bad "select --refine --json has no fresh score: $js"
[ -s "$T/soup.safetensors" ] && ok || bad "--out wrote no soup"
# the written soup is θ(λ*): the same bytes as rsoup soup at that λ (less provenance)
"$R" soup "$T/a" "$T/b" --lambda "$(python3 -c "print(1 - $lam1)"),$lam1" --out "$T/again.safetensors" >/dev/null 2>&1
"$R" act "$T/soup.safetensors" <<<"0.1,0.2,0.3,0,0,0,0,0,0,0,0" > "$T/x1" 2>&1
"$R" act "$T/again.safetensors" <<<"0.1,0.2,0.3,0,0,0,0,0,0,0,0" > "$T/x2" 2>&1
[ -s "$T/x1" ] && cmp -s "$T/x1" "$T/x2" && ok || bad "the --out soup acts unlike rsoup soup at lambda $lam1"
# the fresh figures, by rsoup eval on the reported seed
util() { "$R" eval "$1" --episodes 3 --seed "$fseed" --threads 1 --reward "risky;cautious" --json 2>/dev/null |
  python3 -c 'import json, sys; o = json.load(sys.stdin); print(0.5 * o["rewards"][0]["mean"] + 0.5 * o["rewards"][1]["mean"])'; }
close() { python3 -c 'import sys; a, b = map(float, sys.argv[1:]); sys.exit(0 if abs(a - b) <= 1e-6 * (1 + abs(a)) else 1)' "$1" "$2"; }
e1=$(util "$T/soup.safetensors")
close "$fu" "$e1" && ok || bad "fresh utility $fu, rsoup eval says $e1"
"$R" soup "$T/a" "$T/b" --lambda "$(python3 -c "print(1 - $glam1)"),$glam1" --out "$T/grid.safetensors" >/dev/null 2>&1
e2=$(util "$T/grid.safetensors")
close "$gu" "$e2" && ok || bad "the grid's best on fresh episodes: $gu, rsoup eval says $e2"
# the fresh stream is not the front's (seed 1000)
[ "$fseed" != 1000 ] && ok || bad "rescored on the front's own episodes"
expect out-without-refine 2 "--out writes the refined soup: it goes with --refine" -- "$R" select "$T/f.csv" --weights 0.5,0.5 --out "$T/y.safetensors"
txt=$("$R" select "$T/f.csv" --weights 0.5,0.5 --refine --iters 4 --rescore 3 --threads 1 2>/dev/null)
grep -q "on 3 fresh episodes: utility" <<<"$txt" && grep -q "biased upwards" <<<"$txt" && ok || bad "text output: $txt"

echo "cli_select_refine: $pass passed, $fail failed"
[ "$fail" = 0 ]
