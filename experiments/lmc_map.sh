#!/usr/bin/env bash
# lmc_map.sh — the fine-tuning map: for each env and fine-tuning protocol,
# one experiment (experiments/lmc_map/<env>_<protocol>.json) over seeds 1-3
# into experiments/results/lmc_map/<env>/<protocol>/. Every protocol of an
# env fine-tunes the same inits: the 'today' cell's pretraining
# (pretrain.from), so it runs first. Resumable: a rerun skips finished
# stages and resumes started ones. Then lmc_map_table.sh writes the table.
#   experiments/lmc_map.sh [ENV ...]          (default: hopper walker2d halfcheetah)
#   PROTOCOLS="today kl3" experiments/lmc_map.sh hopper
#   RSOUP=path/to/rsoup JOBS=2 experiments/lmc_map.sh
set -euo pipefail
cd "$(dirname "$0")/.."
R=${RSOUP:-build/rsoup}
JOBS=${JOBS:-2}
ENVS=("$@")
((${#ENVS[@]})) || ENVS=(hopper walker2d halfcheetah)
read -r -a PROTOS <<<"${PROTOCOLS:-today lr1e-4 tkl kl0.3 kl3 klm0.3 warm}"
for e in "${ENVS[@]}"; do
  for p in "${PROTOS[@]}"; do
    cfg=experiments/lmc_map/${e}_$p.json
    [ -f "$cfg" ] || { echo "lmc_map: no $cfg" >&2; exit 2; }
    echo "== $e / $p ==" >&2
    "$R" experiment "$cfg" --out "experiments/results/lmc_map/$e/$p" --jobs "$JOBS" --threads 1 --quiet
  done
done
