#!/usr/bin/env bash
# ppo_baselines.sh — PPO with default hyperparameters on hopper, walker2d and
# halfcheetah, 3 seeds each, then deterministic evaluation (10 episodes) and
# learning curves. Results: OUT/<env>_s<seed>/, OUT/summary.md, OUT/curves.png
#   experiments/ppo_baselines.sh [STEPS=1e6] [OUT=experiments/results/ppo]
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-1e6}
OUT=${2:-experiments/results/ppo}
ENVS=${ENVS:-"hopper walker2d halfcheetah"}
SEEDS=${SEEDS:-"1 2 3"}
R=build/rsoup
mkdir -p "$OUT"
for env in $ENVS; do
  for seed in $SEEDS; do
    d="$OUT/${env}_s${seed}"
    if [ -f "$d/eval.json" ]; then continue; fi
    rm -rf "$d"
    "$R" train --env "$env" --steps "$STEPS" --seed "$seed" --out "$d" --quiet --save-every 0
    "$R" eval "$d" --episodes 10 --reward default --json > "$d/eval.json"
    rm -f "$d/train.safetensors"   # large and not needed for the record
  done
done
# summary table: each seed's deterministic return and the mean
{
  echo "| env | steps | seed returns (deterministic, 10 episodes) | mean | training steps/s |"
  echo "|---|---|---|---|---|"
  for env in $ENVS; do
    rets=""; sps=""
    for seed in $SEEDS; do
      d="$OUT/${env}_s${seed}"
      rets="$rets $(grep -A3 '"reward":[[:space:]]*"default"' "$d/eval.json" | grep '"mean"' | head -1 | sed 's/.*"mean":[[:space:]]*\([-0-9.e+]*\).*/\1/')"
      sps="$sps $(tail -1 "$d/log.jsonl" | sed 's/.*"steps_per_s":\([0-9.]*\).*/\1/')"
    done
    echo "$env $STEPS $rets | $sps" | awk '{ s = 0; n = 0; r = ""; i = 3
      while ($i != "|") { s += $i; n++; r = r sprintf(" %.0f", $i); i++ }
      p = ""; for (j = i + 1; j <= NF; j++) p = p sprintf(" %.0f", $j)
      printf "| %s | %s |%s | %.0f |%s |\n", $1, $2, r, s / n, p }'
  done
} > "$OUT/summary.md"
cat "$OUT/summary.md"
experiments/plot_curves.sh "$OUT"
