#!/usr/bin/env bash
# plot_selftest.sh — checks plot_front.sh and plot_curves.sh on the fixtures in
# tests/fixtures/ (no rsoup binary needed): the replicated layout (a seed
# without front.csv, MORL μ labels from the policies' metadata), the
# single-seed layout, a bare front CSV, a three-objective front, nan values,
# a replicated folder without lambda_stats.csv or metrics.json, a three-reward
# experiment (the λ figure along the edges, the simplex figure), and a run's
# evaluations (a dashed curve). It reads the figures' text back from the
# SVGs. Exit status 0 when every check passes.
#   experiments/plot_selftest.sh [SRC]   (SRC: the source tree, default: beside this script)
set -u
SRC=${1:-$(cd "$(dirname "$0")/.." && pwd)}
PF=$SRC/experiments/plot_front.sh
FX=$SRC/tests/fixtures
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
has() { # FILE TEXT NAME
  if [ -s "$1" ] && grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; fi
}
png() { # FILE NAME
  if [ -s "$1" ] && head -c 8 "$1" | od -An -tx1 | grep -q "89 50 4e 47"; then ok; else bad "$2: $1 is not a PNG"; fi
}
run() { # NAME ARG -> stderr in $T/NAME.err; fails on a non-zero exit (no time limit: a
  # loaded machine is slow, not wrong)
  if bash "$PF" "$2" 2> "$T/$1.err"; then ok; else bad "$1: plot_front.sh $2 failed: $(tail -3 "$T/$1.err")"; fi
}

# ---- replicated: seed_1, seed_2 with fronts, seed_3 without ----
cp -r "$FX/plots/seeds" "$T/rep"
run rep "$T/rep"
for f in front lambda curves; do png "$T/rep/$f.png" rep; [ -s "$T/rep/$f.svg" ] && ok || bad "rep: no $f.svg"; done
has "$T/rep.err" "seed 3: no" rep-skip-warning
has "$T/rep/lambda.svg" "mean over 3 seeds (2 fronts found), 95% bootstrap CI" rep-lambda-title
has "$T/rep/lambda.svg" "each seed" rep-lambda-seeds
has "$T/rep/lambda.svg" "control soups (mean)" rep-lambda-control
has "$T/rep/front.svg" "(± s.e.)" rep-front-mean
has "$T/rep/front.svg" "μ = 0.75" rep-front-mu
has "$T/rep/front.svg" "μ = 0.25" rep-front-mu2
has "$T/rep/front.svg" "dominated by the mean soup path (HV" rep-front-hv
has "$T/rep/front.svg" "reference point" rep-front-ref
has "$T/rep/front.svg" "shared init, each seed" rep-front-init
has "$T/rep/curves.svg" "expert_risky (3 seeds)" rep-curves-band
has "$T/rep/curves.svg" "morl_0 (μ = 0.75)" rep-curves-mu
has "$T/rep/curves.svg" "fine-tunes start where their init ended" rep-curves-offset
has "$T/rep/curves.svg" "expert_risky (eval)" rep-curves-eval
has "$T/rep/curves.svg" "dashed: deterministic eval" rep-curves-eval-label
PLOT_INIT=0 bash "$PF" "$T/rep" 2>/dev/null
grep -qF "shared init" "$T/rep/front.svg" && bad "PLOT_INIT=0 still draws the init" || ok

# ---- single seed (old layout): seed_1 as the experiment folder ----
cp -r "$FX/plots/seeds/seed_1" "$T/one"
run one "$T/one"
png "$T/one/front.png" one; png "$T/one/curves.png" one
has "$T/one/lambda.svg" "Returns along λ: single seed" one-lambda-title
has "$T/one/lambda.svg" "± std over episodes" one-lambda-std
grep -qF "each seed" "$T/one/front.svg" && bad "one: per-seed entries in a single-seed front" || ok
has "$T/one/curves.svg" "expert_risky (eval)" one-curves-eval
has "$T/one/front.svg" "reference point (min − 5% of range)" one-front-ref

# ---- a bare front CSV, the tests' fixture, a 3-objective front ----
mkdir -p "$T/bare" && cp "$FX/plots/seeds/seed_2/front.csv" "$T/bare/f.csv"
run bare "$T/bare/f.csv"
png "$T/bare/front.png" bare; [ -s "$T/bare/lambda.svg" ] && ok || bad "bare: no lambda.svg"
# a spec with ',' is written with ';' in the front's columns: the axis shows the ','
mkdir -p "$T/spec" && sed '/^kind,/s/:risky/:forward=1;ctrl=0.1/g' "$FX/plots/seeds/seed_2/front.csv" > "$T/spec/f.csv"
run spec "$T/spec/f.csv"
has "$T/spec/front.svg" "forward=1,ctrl=0.1 return" spec-comma
# a front with named rewards: its "# reward NAME: SPEC" lines put the spec beside the name
mkdir -p "$T/named" && sed -e '/^kind,/s/:risky/:fast/g' -e '/^kind,/i # reward fast: forward=1,ctrl=0.1' \
  "$FX/plots/seeds/seed_2/front.csv" > "$T/named/f.csv"
run named "$T/named/f.csv"
has "$T/named/front.svg" "fast (forward=1,ctrl=0.1) return" named-spec
mkdir -p "$T/fix" && cp "$FX/front2.csv" "$T/fix/front.csv"
run fix "$T/fix"
png "$T/fix/front.png" fix; has "$T/fix/front.svg" "morl_0" fix-morl-label
mkdir -p "$T/three" && cp "$FX/plots/front3.csv" "$T/three/front.csv"
run three "$T/three/front.csv"
has "$T/three/front.svg" "pairwise projections" three-projections
[ -e "$T/three/lambda.png" ] && bad "three: lambda.png for three experts" || ok

# ---- three rewards with the experiment's lambda_stats.csv: edges and the simplex ----
cp -r "$FX/plots/simplex" "$T/sx"
run sx "$T/sx"
for f in front lambda simplex; do png "$T/sx/$f.png" sx; done
has "$T/sx/lambda.svg" "Returns along each edge of the λ simplex: mean over 2 seeds" sx-lambda-title
has "$T/sx/lambda.svg" "height-energy" sx-lambda-edge
has "$T/sx/simplex.svg" "non-dominated (mean over seeds)" sx-simplex-nondominated
has "$T/sx/simplex.svg" "numbered as below" sx-simplex-numbered
has "$T/sx/simplex.svg" "non-dominated soup (its number on the map)" sx-simplex-intervals
has "$T/sx/simplex.svg" "energy (mo_energy) (shared init: " sx-simplex-init
has "$T/sx/simplex.svg" "below the shared init" sx-simplex-below-init
has "$T/sx/front.svg" "velocity (mo_velocity) return" sx-front-names
has "$T/sx.err" "lambda.png, simplex.png" sx-said
# a lambda_stats.csv of other rewards: no simplex figure, said
cp -r "$FX/plots/simplex" "$T/sx2"
sed -i '2s/energy:mean/power:mean/' "$T/sx2/lambda_stats.csv"
run sx2 "$T/sx2"
has "$T/sx2.err" "no simplex figure" sx2-warning
[ -e "$T/sx2/simplex.png" ] && bad "sx2: a simplex figure from mismatched statistics" || ok

# ---- nan values; no lambda_stats.csv, no metrics.json ----
cp -r "$FX/plots/seeds" "$T/nan"
rm "$T/nan/lambda_stats.csv" "$T/nan/metrics.json"
awk -F, 'BEGIN { OFS = "," } $1 == "soup" && $2 == "0.5" { $6 = "nan" } $1 == "baseline" { $8 = "-nan" } { print }' \
  "$FX/plots/seeds/seed_1/front.csv" > "$T/nan/seed_1/front.csv"
run nan "$T/nan"
has "$T/nan/lambda.svg" "≈95% CI (mean ± 1.96 s.e.)" nan-ci
has "$T/nan/lambda.svg" "mean over 2 seeds" nan-seeds
png "$T/nan/front.png" nan

echo "plot_selftest: $pass passed, $fail failed"
[ "$fail" = 0 ]
