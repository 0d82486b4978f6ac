#!/usr/bin/env bash
# mpi_scaling.sh — data-parallel PPO throughput at 1, 2, ... ranks (one env
# thread per rank), and the share of each update spent in MPI_Allreduce.
#   [MB=64] experiments/mpi_scaling.sh [STEPS=200000] [RANKS="1 2"] [ENV=hopper]
# MB is the global minibatch: each of R ranks computes MB/R samples of it.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-200000}; RANKS=${2:-"1 2"}; ENV=${3:-hopper}; MB=${MB:-64}
R=${RSOUP_BIN:-build/rsoup}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
echo "| ranks | env steps/s | speedup | update time in allreduce |"
echo "|---|---|---|---|"
base=""
for r in $RANKS; do
  mpirun -np "$r" --oversubscribe "$R" train --env "$ENV" --steps "$STEPS" --threads 1 --n-envs 2 \
      --minibatch "$MB" --save-every 0 --quiet --out "$T/r$r" >/dev/null 2>&1
  # steady state: the mean over the second half of the updates
  sps=$(awk -F'"steps_per_s":' 'NF > 1 { split($2, a, ","); v[NR] = a[1] } END { print v[NR] }' "$T/r$r/log.jsonl")
  comm=$(awk '{ u = 0; c = 0
           if (match($0, /"update_s":[0-9.e-]+/)) u = substr($0, RSTART + 11, RLENGTH - 11)
           if (match($0, /"comm_s":[0-9.e-]+/)) c = substr($0, RSTART + 9, RLENGTH - 9)
           su += u; sc += c } END { if (su > 0) printf "%.1f%%", 100 * sc / su; else print "-" }' "$T/r$r/log.jsonl")
  [ -z "$base" ] && base=$sps
  printf "| %s | %.0f | %.2fx | %s |\n" "$r" "$sps" "$(echo "$sps $base" | awk '{ print $1 / $2 }')" "$comm"
done
