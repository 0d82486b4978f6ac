#!/usr/bin/env bash
# demo.sh — install what is missing, build, and run the project's main job.
# For now: list the environments and run a short random-policy rollout on
# each, printing a summary table.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo
build/rsoup envs
echo
echo "random policy, 10 episodes per env (default rewards):"
build/rsoup rollout --env all --episodes 10
