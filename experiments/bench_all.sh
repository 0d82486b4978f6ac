#!/usr/bin/env bash
# bench_all.sh [OUT=experiments/results/bench] — the benchmarks quoted in the
# README, each a ratio measured within one run. Run it on an idle machine.
#   env:    env API vs raw mj_step on the same trajectory; vecenv 1 vs T threads
#   train:  PPO training vs env-only throughput (hopper), peak memory
#   front:  a 21-point x 10-episode hopper front vs the vecenv's step rate
#   mpi:    data-parallel PPO at 1 and 2 ranks
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-experiments/results/bench}
R=${RSOUP_BIN:-build/rsoup}
mkdir -p "$OUT"
{ echo "# $(date -u +%Y-%m-%d) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"; } > "$OUT/machine.txt"
"$R" bench env --steps 20000 --repeat 3 | tee "$OUT/env.txt"
"$R" bench train --env hopper --steps 200000 | tee "$OUT/train.txt"
if [ -n "${EXPERTS:-}" ]; then
  T=$(mktemp -d)
  set -- $EXPERTS
  start=$(date +%s.%N)
  "$R" front "$1" "$2" --grid 21 --episodes 10 --out "$T/front.csv" --quiet > /dev/null
  end=$(date +%s.%N)
  steps=$(awk -F, 'NR > 1 { s += $NF * $5 } END { print s }' "$T/front.csv")
  vec=$("$R" bench env --env hopper --steps 20000 --repeat 2 --json | tr -d ' \n\t' | sed 's/.*"vec_threads_env_steps_per_s":\([0-9.]*\).*/\1/')
  awk -v s="$steps" -v a="$start" -v b="$end" -v v="$vec" 'BEGIN {
    r = s / (b - a); printf "front: %d env steps in %.1f s = %.0f steps/s; vecenv on all threads %.0f steps/s; ratio %.2f\n", s, b - a, r, v, r / v }' \
    | tee "$OUT/front.txt"
  rm -rf "$T"
fi
if command -v mpirun > /dev/null; then
  RSOUP_BIN=$R bash experiments/mpi_scaling.sh 200000 "1 2" | tee "$OUT/mpi.txt"
fi
