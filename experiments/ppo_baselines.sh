#!/usr/bin/env bash
# ppo_baselines.sh — PPO with rsoup's default hyperparameters on hopper,
# walker2d and halfcheetah, 3 seeds each, then deterministic evaluation
# (10 episodes) and learning curves. Results: OUT/<env>_s<seed>/,
# OUT/summary.md (every run folder under OUT), OUT/curves.png
#   experiments/ppo_baselines.sh [STEPS=1e6] [OUT=experiments/results/ppo]
# ENVS, SEEDS choose runs (ENVS="" only rewrites the summary and plot);
# HPARAMS=cleanrl trains with the generic set even where an env has its own
# (folders <env>_cleanrl_s<seed>). Finished runs (eval.json present) are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-1e6}
OUT=${2:-experiments/results/ppo}
ENVS=${ENVS-"hopper walker2d halfcheetah"}
SEEDS=${SEEDS-"1 2 3"}
HPARAMS=${HPARAMS:-auto}
tag=""; [ "$HPARAMS" = auto ] || tag="_$HPARAMS"
R=build/rsoup
mkdir -p "$OUT"
for env in $ENVS; do
  for seed in $SEEDS; do
    d="$OUT/${env}${tag}_s${seed}"
    if [ -f "$d/eval.json" ]; then continue; fi
    rm -rf "$d"
    "$R" train --env "$env" --hparams "$HPARAMS" --steps "$STEPS" --seed "$seed" --out "$d" \
      --quiet --save-every 0
    "$R" eval "$d" --episodes 10 --reward default --json > "$d/eval.json"
    rm -f "$d/train.safetensors"   # large and not needed for the record
  done
done
# summary: one row per group of run folders <group>_s<seed> with an eval.json
field() { sed -n -e "s/^[[:space:]]*\"$2\":[[:space:]]*\"\([^\"]*\)\".*/\1/p" \
                -e "s/^[[:space:]]*\"$2\":[[:space:]]*\([^\",]*\),\{0,1\}$/\1/p" "$1/config.json" | head -1; }
{
  echo "| runs | hyperparameters | steps | seed returns (deterministic, 10 episodes) | mean | training steps/s |"
  echo "|---|---|---|---|---|---|"
  for group in $(ls -d "$OUT"/*_s[0-9]* 2>/dev/null | sed 's/_s[0-9]*$//' | sort -u); do
    rets=""; sps=""; first=""
    labels=""
    for d in $(ls -d "${group}"_s[0-9]* | sort -V); do
      [ -f "$d/eval.json" ] || continue
      [ -n "$first" ] || first=$d
      labels="$labels$(field "$d" hparams)/$(field "$d" arch)/$(field "$d" activation)/$(field "$d" lr)/$(field "$d" total_steps) "
      rets="$rets $(grep -A3 '"reward":[[:space:]]*"default"' "$d/eval.json" | grep '"mean"' | head -1 | sed 's/.*"mean":[[:space:]]*\([-0-9.e+]*\).*/\1/')"
      sps="$sps $(tail -1 "$d/log.jsonl" | sed 's/.*"steps_per_s":\([0-9.]*\).*/\1/')"
    done
    [ -n "$first" ] || continue
    hp=$(field "$first" hparams); hp=${hp:-cleanrl}  # runs older than the key used the generic set
    hp="$hp ($(field "$first" arch) $(field "$first" activation), lr $(field "$first" lr))"
    # seeds run with different settings are not one row: say so
    [ "$(tr ' ' '\n' <<<"$labels" | grep . | sort -u | wc -l)" = 1 ] || hp="MIXED SETTINGS: $labels"
    echo "$(basename "$group")|$hp|$(field "$first" total_steps)|$rets|$sps" | awk -F'|' '{
      n = split($4, r, " "); s = 0; rs = ""
      for (i = 1; i <= n; i++) { s += r[i]; rs = rs sprintf(" %.0f", r[i]) }
      m = split($5, p, " "); ps = ""
      for (i = 1; i <= m; i++) ps = ps sprintf(" %.0f", p[i])
      printf "| %s | %s | %s |%s | %.0f |%s |\n", $1, $2, $3, rs, s / n, ps }'
  done
} > "$OUT/summary.md"
cat "$OUT/summary.md"
experiments/plot_curves.sh "$OUT"
