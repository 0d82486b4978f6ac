#!/usr/bin/env bash
# lmc_floor.sh ENV [K] — is a pair's barrier the rewards' or fine-tuning's?
#
# The fine-tuning map (experiments/results/lmc_map) judges each pair of
# experts against ONE same-reward twin per seed: one draw of the floor. This
# measures the floor as a distribution. From each seed's init of the map's
# `today` cell (ENV in hopper, walker2d, halfcheetah), K experts per reward
# (risky, and the cell's cautious reward), all fine-tuned with the cell's own
# settings (its ppo_finetune.json, 300k steps, one thread), then every pair's
# path: the K(K-1) same-reward pairs (the floor, K(K-1)/2 per reward) and the
# K² pairs across the rewards. The map's expert_risky, twin_risky and
# expert_cautious are members 1, 2 and 1: only the others are trained here.
# Each pair's path is `rsoup front A B --grid 11 --episodes 10` on both
# rewards (the cell's evaluation seed), judged by `rsoup lmc --front`.
# experiments/lmc_floor_table.py summarises (within against across).
#
#   experiments/lmc_floor.sh hopper 4       (default K: 4)
#   RSOUP=path/to/rsoup SEEDS="1 2 3" experiments/lmc_floor.sh walker2d
#
# Resumable: finished trainings (policy.safetensors) and pairs (their .json)
# are skipped; a training stopped midway resumes from its checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
env=${1:?usage: lmc_floor.sh ENV [K]}
K=${2:-4}
R=${RSOUP:-build/rsoup}
read -r -a SEEDS <<<"${SEEDS:-1 2 3}"
cell=experiments/results/lmc_map/$env/today
cfg=experiments/lmc_map/${env}_today.json
out=experiments/results/lmc_floor/$env
[ -f "$cell/ppo_finetune.json" ] || { echo "lmc_floor: $cell has not run (experiments/lmc_map.sh $env)" >&2; exit 1; }
((K >= 2)) || { echo "lmc_floor: K must be at least 2" >&2; exit 2; }
# the cell's two rewards, as its config names them (risky first)
mapfile -t rewards < <(/usr/bin/env python3 -c '
import json, sys
for v in json.load(open(sys.argv[1]))["rewards"].values(): print(v)' "$cfg")
((${#rewards[@]} == 2)) || { echo "lmc_floor: $cfg has ${#rewards[@]} rewards, not 2" >&2; exit 1; }
steps=$(/usr/bin/env python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["finetune"]["steps"])' "$cfg")
tags=(risky cautious)
mkdir -p "$out"
for s in "${SEEDS[@]}"; do
  d=$out/seed_$s
  pre=$cell/seed_$s/pretrain
  mkdir -p "$d/pairs"
  # members: name -> folder
  declare -A member=()
  for t in 0 1; do
    for k in $(seq 1 "$K"); do
      name=${tags[$t]}_$k
      if [ "$t" = 0 ] && [ "$k" = 1 ]; then member[$name]=$cell/seed_$s/expert_risky; continue; fi
      if [ "$t" = 0 ] && [ "$k" = 2 ]; then member[$name]=$cell/seed_$s/twin_risky; continue; fi
      if [ "$t" = 1 ] && [ "$k" = 1 ]; then member[$name]=$cell/seed_$s/expert_cautious; continue; fi
      member[$name]=$d/$name
      [ -f "$d/$name/policy.safetensors" ] && continue
      seed=$((10000 * s + 200 + 100 * t + k))
      resume=()
      [ -f "$d/$name/train.safetensors" ] && resume=(--resume)
      echo "lmc_floor: $env seed $s: training $name (seed $seed)" >&2
      "$R" train --env "$env" --reward "${rewards[$t]}" --steps "$steps" --seed "$seed" --out "$d/$name" \
        --config "$cell/ppo_finetune.json" --init "$pre" --threads 1 --quiet "${resume[@]}"
    done
  done
  # every pair, once: a < b in the order risky_1..K, cautious_1..K
  names=()
  for t in 0 1; do for k in $(seq 1 "$K"); do names+=("${tags[$t]}_$k"); done; done
  eval_seed=$((1000 + 10000 * s))
  for ((i = 0; i < ${#names[@]}; i++)); do
    for ((j = i + 1; j < ${#names[@]}; j++)); do
      a=${names[$i]} b=${names[$j]} p=$d/pairs/${names[$i]}~${names[$j]}
      [ -s "$p.json" ] && continue
      "$R" front "${member[$a]}" "${member[$b]}" --grid 11 --episodes 10 --seed "$eval_seed" \
        --rewards "${rewards[0]};${rewards[1]}" --threads 1 --quiet --out "$p.csv" >/dev/null
      "$R" lmc --front "$p.csv" --json > "$p.json.tmp" && mv "$p.json.tmp" "$p.json"
    done
  done
  {
    echo "{\"env\": \"$env\", \"seed\": $s, \"K\": $K, \"steps\": $steps,"
    echo " \"rewards\": [\"${rewards[0]}\", \"${rewards[1]}\"], \"init\": \"$pre\","
    printf ' "members": {'
    first=1
    for n in "${names[@]}"; do
      ((first)) || printf ', '
      first=0
      printf '"%s": "%s"' "$n" "${member[$n]}"
    done
    echo '}}'
  } > "$d/members.json"
  unset member
done
echo "lmc_floor: $out done; summary: experiments/lmc_floor_table.py $out" >&2
