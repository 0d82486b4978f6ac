#!/usr/bin/env bash
# lmc_map_plot.sh — the fine-tuning map's figure from map.dat (written by
# lmc_map_table.py): top, for each env and protocol, the pair's barrier on
# each reward against the same-reward twin's (the floor), means over seeds
# with 95 % intervals; bottom, each expert's gain over its init (% of the
# init's return), with the +20 % line the protocol must clear.
#   experiments/lmc_map_plot.sh [RESULTS_DIR]   -> RESULTS_DIR/map.png
set -euo pipefail
D=${1:-experiments/results/lmc_map}
[ -s "$D/map.dat" ] || { echo "lmc_map_plot: no $D/map.dat (run experiments/lmc_map_table.py)" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "lmc_map_plot: gnuplot not found" >&2; exit 1; }
# the data file is read by a fixed name inside the folder: no path reaches gnuplot's text
cd "$D"
gnuplot <<'GP'
set terminal pngcairo size 1400,900 font ",11"
set output "map.png"
set datafile commentschars "#"
set multiplot layout 2,1 title "Fine-tuning map: what keeps rewarded soups' experts in one basin (seeds 1-3, mean and 95% interval)"
set style data points
set grid ytics
set xtics rotate by -35 noenhanced
set key outside right top noenhanced
stats "map.dat" using 3 nooutput
set xrange [-0.6:STATS_records - 0.4]
set ylabel "barrier (return)"
plot "map.dat" using ($0-0.2):5:6:7:xtic(sprintf("%s/%s", stringcolumn(1), stringcolumn(2))) with yerrorbars pt 7 lc rgb "#d62728" title "pair, risky", \
     "" using ($0):8:9:10 with yerrorbars pt 5 lc rgb "#1f77b4" title "pair, cautious", \
     "" using ($0+0.2):11:12:13 with yerrorbars pt 9 lc rgb "#555555" title "twin (the floor), risky"
set ylabel "expert's gain over the init (%)"
# an init that earns about nothing on a reward makes its percentage huge
# (walker2d's cautious: +15549 %): such points sit above the range, and
# table.md has them
set yrange [-100:450]
set label 1 "points above +450 % are off the scale: see table.md" at graph 0.01, graph 0.95 left font ",10"
plot "map.dat" using ($0-0.1):14:15:16:xtic(sprintf("%s/%s", stringcolumn(1), stringcolumn(2))) with yerrorbars pt 7 lc rgb "#d62728" title "risky expert", \
     "" using ($0+0.1):17:18:19 with yerrorbars pt 5 lc rgb "#1f77b4" title "cautious expert", \
     20 with lines dt 2 lc rgb "#2ca02c" title "+20%"
unset multiplot
GP
echo "lmc_map_plot: $D/map.png" >&2
