#!/usr/bin/env bash
# lmc_sameseed.sh ENV [K] — do experts that share their fine-tuning noise
# stay connected?
#
# experiments/lmc_floor.sh found that two PPO fine-tunes from one init part
# as far on the same reward as on different rewards: the barriers are the
# fine-tuning's noise (env resets, action noise, minibatch order), not the
# rewards. Linear-connectivity studies of supervised nets find copies
# trained under the SAME noise stay connected where copies under different
# noise do not. Here: for each risky expert k of lmc_floor's population
# (ENV's map `today` cell, seeds 1-3), a cautious expert fine-tuned from the
# same init with the SAME seed (so the same env seeds and the same random
# stream; the runs part only as far as their rewards make them), and the
# path between the two. lmc_floor_table.py --sameseed compares these K
# pairs per seed with lmc_floor's across pairs (different seeds).
#
#   experiments/lmc_sameseed.sh hopper 4     (needs lmc_floor.sh hopper 4 first)
#   RSOUP=path/to/rsoup SEEDS="1 2 3" experiments/lmc_sameseed.sh walker2d
#
# Resumable: finished trainings and pairs are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
. experiments/lmc_floor_lib.sh
floor_setup lmc_sameseed "$@"
for s in "${SEEDS[@]}"; do
  d=$out/seed_$s
  [ -f "$d/members.json" ] || { echo "lmc_sameseed: $d/members.json missing (run experiments/lmc_floor.sh $env $K first)" >&2; exit 1; }
  pre=$cell/seed_$s/pretrain
  mkdir -p "$d/sameseed"
  eval_seed=$((1000 + 10000 * s))
  for k in $(seq 1 "$K"); do
    # risky_k's folder and seed, from its config.json
    rk=$(/usr/bin/env python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["members"][sys.argv[2]])' "$d/members.json" "risky_$k")
    seed=$(/usr/bin/env python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["seed"])' "$rk/config.json")
    name=cautious_seedof_risky_$k
    if [ ! -f "$d/$name/policy.safetensors" ]; then
      echo "lmc_sameseed: $env seed $s: training $name (seed $seed, as risky_$k)" >&2
      floor_train "$d/$name" "${rewards[1]}" "$seed" "$pre"
    fi
    floor_pair "$rk" "$d/$name" "$d/sameseed/risky_$k~$name" "$eval_seed"
  done
done
echo "lmc_sameseed: $out done; summary: experiments/lmc_floor_table.py $out" >&2
