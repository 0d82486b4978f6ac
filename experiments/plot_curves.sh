#!/usr/bin/env bash
# plot_curves.sh DIR — learning curves (recent mean training return vs env
# steps) of every run folder under DIR that has a progress.csv, one panel
# per env, into DIR/curves.png and DIR/curves.svg.
set -euo pipefail
DIR=${1:?usage: plot_curves.sh DIR}
runs=$(find "$DIR" -name progress.csv | sort)
[ -n "$runs" ] || { echo "plot_curves: no progress.csv under $DIR" >&2; exit 1; }
# group runs by the env in their config.json
env_of() { sed -n 's/.*"env":[[:space:]]*"\([^"]*\)".*/\1/p' "$(dirname "$1")/config.json" 2>/dev/null | head -1; }
envs=$(for r in $runs; do env_of "$r"; done | sort -u)
n=$(echo "$envs" | wc -w)
for fmt in png svg; do
  {
    if [ $fmt = png ]; then echo "set terminal pngcairo size $((420*n)),360 font ',10'"; else echo "set terminal svg size $((420*n)),360"; fi
    echo "set output '$DIR/curves.$fmt'"
    echo "set datafile separator ','"
    echo "set multiplot layout 1,$n"
    echo "set key bottom right"
    echo "set xlabel 'env steps (millions)'"
    echo "set termoption noenhanced"
    echo "set ylabel 'training return (recent episodes)'"
    echo "set grid"
    for env in $envs; do
      echo "set title '$env'"
      plot="plot"
      for r in $runs; do
        name=$(basename "$(dirname "$r")")
        [ "$(env_of "$r")" = "$env" ] || continue
        plot="$plot '$r' using (\$2/1e6):5 every ::1 with lines title '$name',"
      done
      echo "${plot%,}"
    done
    echo "unset multiplot"
  } | gnuplot 2>/dev/null
done
echo "plot_curves: wrote $DIR/curves.png" >&2
