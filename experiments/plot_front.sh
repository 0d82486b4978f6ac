#!/usr/bin/env bash
# plot_front.sh DIR|FRONT.csv — plots of a rewarded-soups front:
#   front.png/.svg   reward space: soups as a line with λ labels, the experts,
#                    MORL (baseline) points, the experts' straight line, the
#                    pretrained init, and the control soups (control_front.csv)
#   lambda.png/.svg  each reward's return (± std) along λ (two experts)
#   curves.png/.svg  learning curves of every run folder under DIR
# With three or more rewards the front is drawn as its pairwise projections.
set -euo pipefail
arg=${1:?usage: plot_front.sh DIR|front.csv}
if [ -d "$arg" ]; then DIR=$arg; FRONT=$DIR/front.csv; else FRONT=$arg; DIR=$(dirname "$arg"); fi
[ -f "$FRONT" ] || { echo "plot_front: no $FRONT" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "plot_front: gnuplot is not installed (apt-get install gnuplot-nox)" >&2; exit 1; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

# split a front CSV into per-kind tables: lambda_last label obj1 obj2 ... std1 std2 ...
split_front() { # FILE PREFIX
  awk -F, -v pre="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) {
                if ($i ~ /^obj:/) { no++; oc[no] = i; name[no] = substr($i, 5) }
                if ($i ~ /^std:/) { ns++; sc[ns] = i }
                if ($i ~ /^lambda:/) lc = i }
              for (k = 1; k <= no; k++) print name[k] > (pre "names"); next }
    /^#/ || NF < 3 { next }
    { out = pre $1; line = $(lc) " \"" $2 "\""
      for (k = 1; k <= no; k++) line = line " " $(oc[k])
      for (k = 1; k <= no; k++) line = line " " $(sc[k])
      print line > out }' "$1"
  # soups sorted by λ
  if [ -f "${2}soup" ]; then sort -g -k1,1 "${2}soup" > "${2}soup.sorted"; fi
}
split_front "$FRONT" "$TMP/f_"
[ -f "$DIR/control_front.csv" ] && split_front "$DIR/control_front.csv" "$TMP/c_"
mapfile -t NAMES < "$TMP/f_names"
D=${#NAMES[@]}
(( D >= 2 )) || { echo "plot_front: need at least 2 objectives" >&2; exit 1; }

# expert line points (λ-weighted mix of the two expert rows), for 2 experts
if [ -f "$TMP/f_expert" ] && [ "$(wc -l < "$TMP/f_expert")" = 2 ] && [ -f "$TMP/f_soup.sorted" ]; then
  awk 'NR == FNR { for (k = 3; k <= NF; k++) e[FNR, k] = $k; next }
       { printf "%s", $1; for (k = 3; k < 3 + D; k++) printf " %.10g", (1 - $1) * e[1, k] + $1 * e[2, k]; printf "\n" }' \
      D="$D" "$TMP/f_expert" "$TMP/f_soup.sorted" > "$TMP/f_line"
fi

pair_plot() { # X Y (1-based objective indices) -> gnuplot commands
  local x=$1 y=$2 cx=$(( $1 + 2 )) cy=$(( $2 + 2 ))
  echo "set xlabel '${NAMES[$((x-1))]} return'; set ylabel '${NAMES[$((y-1))]} return'"
  local p="plot"
  [ -f "$TMP/f_line" ] && p="$p '$TMP/f_line' using $((x+1)):$((y+1)) with lines dt 2 lc rgb '#888888' title 'experts: straight line',"
  [ -f "$TMP/c_soup.sorted" ] && p="$p '$TMP/c_soup.sorted' using $cx:$cy with linespoints pt 6 ps 0.8 lc rgb '#aa8866' title 'control: independent inits',"
  [ -f "$TMP/f_soup.sorted" ] && p="$p '$TMP/f_soup.sorted' using $cx:$cy with linespoints pt 7 ps 0.9 lw 2 lc rgb '#1f6fb4' title 'rewarded soups',"
  [ -f "$TMP/f_soup.sorted" ] && [ "$D" = 2 ] && p="$p '$TMP/f_soup.sorted' using $cx:$cy:(sprintf('%.2g', \$1)) with labels offset 0.8,0.8 font ',8' tc rgb '#1f6fb4' notitle,"
  [ -f "$TMP/f_baseline" ] && p="$p '$TMP/f_baseline' using $cx:$cy with points pt 5 ps 1.3 lc rgb '#d62728' title 'MORL',"
  [ -f "$TMP/f_expert" ] && p="$p '$TMP/f_expert' using $cx:$cy with points pt 9 ps 2 lc rgb '#2ca02c' title 'experts',"
  [ -f "$TMP/f_init" ] && p="$p '$TMP/f_init' using $cx:$cy with points pt 13 ps 1.6 lc rgb '#000000' title 'shared init',"
  echo "${p%,}"
}

for fmt in png svg; do
  if [ $fmt = png ]; then term="pngcairo size 900,680 font ',10'"; else term="svg size 900,680"; fi
  {
    echo "set terminal $term"
    echo "set output '$DIR/front.$fmt'"
    echo "set grid; set key outside bottom center horizontal; set termoption noenhanced"
    if [ "$D" = 2 ]; then
      echo "set title 'Front in reward space (λ labels: weight of the second expert)'"
      pair_plot 1 2
    else
      echo "set multiplot layout 1,3 title 'Front: pairwise projections'"
      pair_plot 1 2; pair_plot 1 3; pair_plot 2 3
      echo "unset multiplot"
    fi
  } | gnuplot
done

# returns along λ (two experts)
if [ -f "$TMP/f_soup.sorted" ] && [ -f "$TMP/f_line" ]; then
  for fmt in png svg; do
    if [ $fmt = png ]; then term="pngcairo size $((420*D)),360 font ',10'"; else term="svg size $((420*D)),360"; fi
    {
      echo "set terminal $term"
      echo "set output '$DIR/lambda.$fmt'"
      echo "set grid; set key bottom center; set termoption noenhanced"
      echo "set multiplot layout 1,$D"
      for ((k = 1; k <= D; k++)); do
        echo "set title '${NAMES[$((k-1))]}'; set xlabel 'λ (weight of the second expert)'; set ylabel 'return'"
        p="plot '$TMP/f_soup.sorted' using 1:$((k+2)):$((k+2+D)) with yerrorlines pt 7 lc rgb '#1f6fb4' title 'soups (± std)',"
        p="$p '$TMP/f_line' using 1:$((k+1)) with lines dt 2 lc rgb '#888888' title 'straight line'"
        [ -f "$TMP/c_soup.sorted" ] && p="$p, '$TMP/c_soup.sorted' using 1:$((k+2)) with linespoints pt 6 lc rgb '#aa8866' title 'control'"
        echo "$p"
      done
      echo "unset multiplot"
    } | gnuplot
  done
fi

# learning curves, when run folders are there
if find "$DIR" -mindepth 2 -maxdepth 2 -name progress.csv | grep -q .; then
  bash "$(dirname "$0")/plot_curves.sh" "$DIR" || true
fi
echo "plot_front: wrote $DIR/front.png$([ -f "$DIR/lambda.png" ] && echo ", lambda.png")" >&2
