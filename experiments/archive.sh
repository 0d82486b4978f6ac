#!/usr/bin/env bash
# archive.sh RUN_DIR DEST — copy an experiment's record into DEST (for
# experiments/results/): report, fronts, metrics, plots, and per run its
# config, progress.csv and policy (no training checkpoints or logs of stdout).
set -euo pipefail
SRC=${1:?usage: archive.sh RUN_DIR DEST}; DEST=${2:?usage: archive.sh RUN_DIR DEST}
mkdir -p "$DEST"
for f in report.md front.csv control_front.csv front_fisher.csv metrics.json ppo.json \
         front.png front.svg lambda.png lambda.svg curves.png curves.svg; do
  [ -f "$SRC/$f" ] && cp "$SRC/$f" "$DEST/"
done
for d in "$SRC"/*/; do
  [ -f "$d/policy.safetensors" ] || continue
  n=$(basename "$d"); mkdir -p "$DEST/$n"
  for f in config.json progress.csv policy.safetensors; do [ -f "$d/$f" ] && cp "$d/$f" "$DEST/$n/"; done
done
echo "archive: $SRC -> $DEST ($(du -sh "$DEST" | cut -f1))" >&2
