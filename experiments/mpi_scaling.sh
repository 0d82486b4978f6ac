#!/usr/bin/env bash
# mpi_scaling.sh — data-parallel PPO throughput at 1, 2, ... ranks (one env
# thread per rank), the share of each update spent in MPI calls, and the
# machine's ceiling: the summed rate of R independent 1-rank runs at once.
#   [MB=64 | MBS=K] [REPEAT=3] experiments/mpi_scaling.sh [STEPS=200000] [RANKS="1 2"] [ENV=hopper]
# Without MB or MBS the runs take rsoup's defaults (32 minibatches per epoch).
# MB is a global minibatch size: each of R ranks computes MB/R samples of it
# (strong scaling of the update). MBS=K fixes the number of minibatches per
# epoch (CleanRL's num_minibatches, the default K = 32): the global minibatch
# grows with the global batch and each rank computes 2048/K samples of every
# minibatch.
# Every figure is the median of REPEAT runs; the runs of one repeat follow
# each other, so slow phases of a shared machine hit all columns alike.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-200000}; RANKS=${2:-"1 2"}; ENV=${3:-hopper}; MB=${MB:-0}; MBS=${MBS:-0}
REPEAT=${REPEAT:-3}
MBFLAG=""
if [ "$MBS" -gt 0 ]; then MBFLAG="--minibatches $MBS"; elif [ "$MB" -gt 0 ]; then MBFLAG="--minibatch $MB"; fi
R=${RSOUP_BIN:-build/rsoup}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
train() { # train NP DIR [mpirun or plain]
  local np=$1 dir=$2
  if [ "$np" -gt 1 ]; then set -- mpirun -np "$np" --oversubscribe "$R"; else set -- "$R"; fi
  "$@" train --env "$ENV" --steps "$STEPS" --threads 1 --n-envs 2 $MBFLAG --save-every 0 --quiet \
      --out "$dir" >/dev/null 2>&1
}
sps() { awk -F'"steps_per_s":' 'NF > 1 { split($2, a, ","); v = a[1] } END { print v }' "$1/log.jsonl"; }
comm() { awk '{ u = 0; c = 0
           if (match($0, /"update_s":[0-9.e-]+/)) u = substr($0, RSTART + 11, RLENGTH - 11)
           if (match($0, /"comm_s":[0-9.e-]+/)) c = substr($0, RSTART + 9, RLENGTH - 9)
           su += u; sc += c } END { if (su > 0) printf "%.1f", 100 * sc / su; else print 0 }' "$1/log.jsonl"; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A S C I
for rep in $(seq "$REPEAT"); do
  for r in $RANKS; do
    rm -rf "$T/r$r"; train "$r" "$T/r$r"
    S[$r]="${S[$r]:-} $(sps "$T/r$r")"; C[$r]="${C[$r]:-} $(comm "$T/r$r")"
    if [ "$r" -gt 1 ]; then # the ceiling: r independent single-process runs at once
      for k in $(seq "$r"); do rm -rf "$T/i$k"; train 1 "$T/i$k" & done; wait
      tot=0; for k in $(seq "$r"); do tot=$(echo "$tot $(sps "$T/i$k")" | awk '{ print $1 + $2 }'); done
      I[$r]="${I[$r]:-} $tot"
    fi
  done
done
base=$(echo "${S[${RANKS%% *}]}" | median)
echo "| ranks | env steps/s | speedup | MPI time per iteration (% of update time) | $((REPEAT))-run speedups | independent runs at once: speedup | MPI / independent |"
echo "|---|---|---|---|---|---|---|"
for r in $RANKS; do
  s=$(echo "${S[$r]}" | median); c=$(echo "${C[$r]}" | median)
  all=$(echo "${S[$r]}" | awk -v b="$base" '{ for (i = 1; i <= NF; i++) printf "%s%.2f", (i > 1 ? " " : ""), $i / b }')
  if [ -n "${I[$r]:-}" ]; then
    i=$(echo "${I[$r]}" | median)
    ind=$(echo "$i $base" | awk '{ printf "%.2fx", $1 / $2 }'); eff=$(echo "$s $i" | awk '{ printf "%.2f", $1 / $2 }')
  else ind="-"; eff="-"; fi
  printf "| %s | %.0f | %.2fx | %s%% | %s | %s | %s |\n" "$r" "$s" "$(echo "$s $base" | awk '{ print $1 / $2 }')" "$c" "$all" "$ind" "$eff"
done
