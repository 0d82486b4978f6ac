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
. experiments/lmc_floor_lib.sh
floor_setup lmc_floor "$@"
((K >= 2)) || { echo "lmc_floor: K must be at least 2" >&2; exit 2; }
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
      echo "lmc_floor: $env seed $s: training $name (seed $seed)" >&2
      floor_train "$d/$name" "${rewards[$t]}" "$seed" "$pre"
    done
  done
  # every pair, once: a < b in the order risky_1..K, cautious_1..K
  names=()
  for t in 0 1; do for k in $(seq 1 "$K"); do names+=("${tags[$t]}_$k"); done; done
  eval_seed=$((1000 + 10000 * s))
  for ((i = 0; i < ${#names[@]}; i++)); do
    for ((j = i + 1; j < ${#names[@]}; j++)); do
      floor_pair "${member[${names[$i]}]}" "${member[${names[$j]}]}" \
        "$d/pairs/${names[$i]}~${names[$j]}" "$eval_seed"
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
