#!/usr/bin/env bash
# humanoid_seeds_paper_plot.sh FRAME.dat OUT.png — the humanoid fronts of
# every seed and the paper's in one picture, in the init-expert frame
# (experiments/humanoid_seeds_paper.py writes FRAME.dat): on each axis the
# init is 0 and the expert of that reward is 1, so the paper's points and
# each seed's share the frame whether or not the experts trade off.
set -euo pipefail
dat=${1:?usage: humanoid_seeds_paper_plot.sh FRAME.dat OUT.png}
out=${2:?usage: humanoid_seeds_paper_plot.sh FRAME.dat OUT.png}
[ -r "$dat" ] || { echo "humanoid_seeds_paper_plot.sh: cannot read $dat" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "humanoid_seeds_paper_plot.sh: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 1; }
# one file per run and kind (soup, baseline, init), in FRAME.dat's order
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v d="$tmp" '!/^#/ && NF { f = d "/" $1 "." $2; print $4, $5 > f; if (!($1 in s)) { s[$1]; print $1 } }' "$dat" > "$tmp/who"
mapfile -t who < "$tmp/who"
plots=()
colours=(black "#1f77b4" "#d62728" "#2ca02c" "#9467bd" "#ff7f0e")
for i in "${!who[@]}"; do
  w=${who[$i]} c=${colours[$((i % ${#colours[@]}))]}
  t=${w/seed_/seed }
  [ -s "$tmp/$w.soup" ] && plots+=("'$tmp/$w.soup' with linespoints lw 2 pt 7 ps 0.6 lc rgb '$c' title '$t: soups'")
  [ -s "$tmp/$w.baseline" ] && plots+=("'$tmp/$w.baseline' with points pt 2 ps 1.4 lw 2 lc rgb '$c' title '$t: MORL'")
done
cat "$tmp"/*.init > "$tmp/all_init" 2>/dev/null || true
[ -s "$tmp/all_init" ] && plots+=("'$tmp/all_init' with points pt 5 ps 1.5 lc rgb 'gray40' title 'init (every run)'")
gnuplot <<GP
set terminal pngcairo size 900,700 font ",11"
set output "$out"
set title "Humanoid: the paper's front and ours, init at 0 and each reward's expert at 1" noenhanced
set xlabel "risky: (return − init) / (risky expert − init)" noenhanced
set ylabel "cautious: (return − init) / (cautious expert − init)" noenhanced
set key outside right top noenhanced
set grid
set arrow from 0,1 to 1.6,1 nohead dt 2 lc rgb 'gray60'
set arrow from 1,0 to 1,1.2 nohead dt 2 lc rgb 'gray60'
plot $(IFS=,; echo "${plots[*]}")
GP
echo "humanoid_seeds_paper_plot.sh: wrote $out" >&2
