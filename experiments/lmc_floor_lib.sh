# lmc_floor_lib.sh — what lmc_floor.sh and lmc_sameseed.sh share; sourced,
# not run. floor_setup WHO ENV [K] sets env, K, R, SEEDS, cell, cfg, out,
# rewards (the map cell's two, risky first) and steps; floor_train and
# floor_pair train one expert and measure one pair, each skipped when done.

floor_setup() {
  who=$1
  env=${2:?usage: $who.sh ENV [K]}
  K=${3:-4}
  R=${RSOUP:-build/rsoup}
  read -r -a SEEDS <<<"${SEEDS:-1 2 3}"
  cell=experiments/results/lmc_map/$env/today
  cfg=experiments/lmc_map/${env}_today.json
  out=experiments/results/lmc_floor/$env
  [ -f "$cell/ppo_finetune.json" ] || { echo "$who: $cell has not run (experiments/lmc_map.sh $env)" >&2; exit 1; }
  mapfile -t rewards < <(/usr/bin/env python3 -c '
import json, sys
for v in json.load(open(sys.argv[1]))["rewards"].values(): print(v)' "$cfg")
  ((${#rewards[@]} == 2)) || { echo "$who: $cfg has ${#rewards[@]} rewards, not 2" >&2; exit 1; }
  steps=$(/usr/bin/env python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["finetune"]["steps"])' "$cfg")
}

# floor_train DIR REWARD SEED PRE: one fine-tune from the cell's init with
# its settings; a finished one is skipped, a stopped one resumes
floor_train() {
  local d=$1 reward=$2 seed=$3 pre=$4 resume=()
  [ -f "$d/policy.safetensors" ] && return 0
  [ -f "$d/train.safetensors" ] && resume=(--resume)
  "$R" train --env "$env" --reward "$reward" --steps "$steps" --seed "$seed" --out "$d" \
    --config "$cell/ppo_finetune.json" --init "$pre" --threads 1 --quiet "${resume[@]}"
}

# floor_pair A B P EVAL_SEED: the path between two experts on both rewards
# (P.csv, the front) and rsoup lmc's verdicts on it (P.json); skipped when done
floor_pair() {
  local a=$1 b=$2 p=$3 eval_seed=$4
  [ -s "$p.json" ] && return 0
  "$R" front "$a" "$b" --grid 11 --episodes 10 --seed "$eval_seed" \
    --rewards "${rewards[0]};${rewards[1]}" --threads 1 --quiet --out "$p.csv" >/dev/null
  "$R" lmc --front "$p.csv" --json > "$p.json.tmp" && mv "$p.json.tmp" "$p.json"
}
