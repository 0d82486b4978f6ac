#!/usr/bin/env bash
# archive.sh RUN_DIR DEST — copy an experiment's record into DEST (for
# experiments/results/): report, fronts, metrics, per-λ statistics, plots,
# and per run its config, progress.csv and policy (no training checkpoints
# or stdout logs). Replicated experiments keep their seed_<s>/ folders.
set -euo pipefail
SRC=${1:?usage: archive.sh RUN_DIR DEST}; DEST=${2:?usage: archive.sh RUN_DIR DEST}
copy_level() { # FROM TO
  local from=$1 to=$2 f d n
  mkdir -p "$to"
  for f in report.md front.csv control_front.csv front_fisher.csv metrics.json ppo.json lambda_stats.csv \
           front.png front.svg front.pdf lambda.png lambda.svg lambda.pdf curves.png curves.svg curves.pdf; do
    [ -f "$from/$f" ] && cp "$from/$f" "$to/"
  done
  for d in "$from"/*/; do
    [ -d "$d" ] || continue
    n=$(basename "$d")
    if [ -f "$d/policy.safetensors" ]; then
      mkdir -p "$to/$n"
      for f in config.json provenance.json progress.csv policy.safetensors; do [ -f "$d/$f" ] && cp "$d/$f" "$to/$n/"; done
    elif [[ $n == seed_* ]]; then
      copy_level "$d" "$to/$n"
    fi
  done
}
copy_level "${SRC%/}" "$DEST"
echo "archive: $SRC -> $DEST ($(du -sh "$DEST" | cut -f1))" >&2
