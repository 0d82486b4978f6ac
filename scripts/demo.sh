#!/usr/bin/env bash
# demo.sh — install what is missing, build, and run the project's main job:
# the quick rewarded-soups experiment (experiments/quick.json) over 3 seeds,
# which leaves runs/quick/report.md (means, 95% intervals, verdict counts)
# and runs/quick/front.png, lambda.png, curves.png.
# A second run reuses every finished stage; delete runs/quick to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo
build/rsoup envs
echo
JOBS=$(nproc 2>/dev/null || echo 2)
echo "== quick rewarded-soups experiment: 3 seeds, $JOBS trainings at once (minutes on 2 cores) =="
build/rsoup experiment experiments/quick.json --out runs/quick --jobs "$JOBS" --quiet
echo
echo "report: runs/quick/report.md   plots: runs/quick/front.png lambda.png curves.png"
sed -n '/## Verdicts/,/!\[front\]/p' runs/quick/report.md | sed '$d'
