#!/usr/bin/env bash
# cli_plots.sh — the experiment plots on committed fixtures (single seed,
# three seeds with one missing, three rewards): experiments/plot_selftest.sh.
set -u
SRC=${RSOUP_SRC:-.}
exec bash "$SRC/experiments/plot_selftest.sh" "$SRC"
