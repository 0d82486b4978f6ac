#!/usr/bin/env bash
# demo.sh — install what is missing, build, and run the project's main job:
# the quick rewarded-soups experiment (experiments/quick.json, halfcheetah,
# risky vs cautious), which leaves runs/quick/report.md and runs/quick/front.png.
# A second run reuses every finished stage; delete runs/quick to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo
build/rsoup envs
echo
echo "== quick rewarded-soups experiment (a few minutes on 2 cores) =="
build/rsoup experiment experiments/quick.json --out runs/quick
echo
echo "report: runs/quick/report.md   plot: runs/quick/front.png"
sed -n '/## Hypervolume/,/## Files/p' runs/quick/report.md | sed '$d'
