#!/usr/bin/env bash
# plot_front.sh DIR|FRONT.csv — plots of a rewarded-soups experiment:
#   lambda.png  each reward's return along λ (two experts): the mean over
#               seeds (bold) in its 95% interval (shaded), every seed's own
#               soup path (thin), the experts' straight line (dashed) and the
#               control soups' mean
#   front.png   reward space: every seed's soup path (thin), the mean path
#               (bold) with standard-error crosses and λ labels, the experts
#               and MORL points (per seed faint, their mean bold, MORL labelled
#               with its μ), the shared init, the control soups, the
#               reference point and the hypervolume region of the mean path;
#               with three or more rewards, pairwise projections instead
#   three or more experts, from the experiment's lambda_stats.csv:
#   lambda.png  each reward's return along every edge of the λ simplex (the
#               soups of two experts): mean, 95% interval, the straight line
#   simplex.png per reward, the mean return over the λ lattice as colours on
#               the simplex (experts at the corners), the non-dominated soups
#               ringed and numbered, the soups below the shared init's return
#               crossed; below, each non-dominated soup's mean with its
#               interval, against the shared init's return
#   curves.png  learning curves of the run folders (plot_curves.sh)
# Each plot is also written as .svg, and as .pdf where gnuplot has pdfcairo.
#
# Layouts of DIR:
#   replicated   DIR/seed_<s>/front.csv (+ control_front.csv, run folders),
#                DIR/lambda_stats.csv, DIR/metrics.json ("seeds",
#                "reference_point"); a seed without front.csv is skipped
#   single seed  DIR/front.csv (+ control_front.csv, lambda_stats.csv, ...)
#   a bare FRONT.csv: plotted on its own (DIR/control_front.csv joins it);
#                the plots go beside it
#   a training run folder (rsoup train: progress.csv, no front), a folder of
#                them, or a run's progress.csv: its learning curves only
#                (plot_curves.sh, DIR/curves.png)
# Anything else (a policy file, a folder with neither fronts nor runs) is
# refused with a message naming what it takes.
# Environment: PLOT_INIT=0 leaves the shared init out of front.png.
set -euo pipefail
arg=${1:?usage: plot_front.sh DIR|front.csv}
HERE=$(cd "$(dirname "$0")" && pwd)
warn() { echo "plot_front: $*" >&2; }
command -v gnuplot >/dev/null || { warn "gnuplot is not installed (apt-get install gnuplot-nox)"; exit 1; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
# shellcheck source=plot_common.sh
. "$HERE/plot_common.sh"
# the folder's name reaches gnuplot nowhere (plot_render); find and awk get it as a path
plot_path arg "$arg"

# ---- which fronts: REPS (one front per replicate), CTLS (their controls) ----
REPS=(); CTLS=(); STATS=""; METRICS=""
TAKES="an experiment folder (rsoup experiment), a front CSV (rsoup front), or a training run folder (rsoup train)"
first_row() { grep -v '^#' "$1" 2>/dev/null | head -1 | tr -d '\r'; }
if [ -f "$arg" ] && [[ $(first_row "$arg") =~ ^(update|iter),step, ]]; then
  # a training run's progress.csv: the run's learning curves
  plot_dirname DIR "$arg"
  warn "$arg is a training log: learning curves of $DIR only"
  exec bash "$HERE/plot_curves.sh" "$DIR"
elif [ -f "$arg" ] && { [[ $arg != *.csv ]] || [[ $(first_row "$arg") != *,* ]]; }; then
  warn "$arg is not a CSV of points: give $TAKES"; exit 1
elif [ -f "$arg" ]; then
  LAYOUT="file"; plot_dirname DIR "$arg"; REPS=("$arg"); CTLS=("$DIR/control_front.csv")
  [ -f "$DIR/metrics.json" ] && METRICS=$DIR/metrics.json
elif [ -d "$arg" ]; then
  DIR=${arg%/}
  [ -f "$DIR/metrics.json" ] && METRICS=$DIR/metrics.json
  [ -f "$DIR/lambda_stats.csv" ] && STATS=$DIR/lambda_stats.csv
  if [ -f "$DIR/front.csv" ]; then
    LAYOUT=single; REPS=("$DIR/front.csv"); CTLS=("$DIR/control_front.csv")
  else
    LAYOUT=seeds
    mapfile -t SEEDS < <(plot_json_array "$METRICS" seeds)
    if ((${#SEEDS[@]} == 0)); then
      mapfile -t SEEDS < <(find "$DIR" -mindepth 1 -maxdepth 1 -type d -name 'seed_*' -printf '%f\n' | sed 's/^seed_//' | sort -V)
    fi
    for s in "${SEEDS[@]}"; do
      if [ -f "$DIR/seed_$s/front.csv" ]; then REPS+=("$DIR/seed_$s/front.csv"); CTLS+=("$DIR/seed_$s/control_front.csv")
      else warn "seed $s: no $DIR/seed_$s/front.csv, skipped"; fi
    done
    if ((${#REPS[@]} == 0)); then
      # a training run (or a folder of them) without a front: its learning curves only
      if [ -n "$(find "$DIR" -maxdepth 3 -name progress.csv -print -quit)" ]; then
        warn "no front in $DIR: learning curves only"
        exec bash "$HERE/plot_curves.sh" "$DIR"
      fi
      warn "no $DIR/front.csv, no $DIR/seed_*/front.csv and no run folder (progress.csv) under $DIR: give $TAKES"; exit 1
    fi
  fi
else
  warn "no $arg: give $TAKES"; exit 1
fi
NREP=${#REPS[@]}

# ---- split every front into per-replicate, per-kind tables ----
# s<i>_<kind> (front of replicate i) and c<i>_<kind> (its control front), one
# row per point: λ_last "label" obj_1..obj_D std_1..std_D; non-numbers -> NaN.
# A plain CSV (no kind column: every column an objective) gives kind "point".
awk_args=()
for ((i = 0; i < NREP; i++)); do
  awk_args+=("pre=s$((i+1))_" "${REPS[$i]}")
  [ -f "${CTLS[$i]}" ] && awk_args+=("pre=c$((i+1))_" "${CTLS[$i]}")
done
awk -F, -v T="$TMP/" '
  function num(s) { return (s ~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/) ? s + 0 : "NaN" }
  FNR == 1 { hdr = 1; skip = 0 }
  { sub(/\r$/, "") }
  /^[ \t]*#/ || /^[ \t]*$/ || skip { next }
  hdr {
    hdr = 0; kc = lbc = nl = no = 0; split("", sc); plain = 1
    for (i = 1; i <= NF; i++) if ($i == "kind") plain = 0
    if (plain) {
      allnum = 1
      for (i = 1; i <= NF; i++) if (num($i) == "NaN") allnum = 0
      for (i = 1; i <= NF; i++) { no++; oc[no] = i; nm[no] = allnum ? "f" i : $i }
    } else
      for (i = 1; i <= NF; i++) {
        if ($i == "kind") kc = i
        else if ($i == "label") lbc = i
        else if ($i ~ /^lambda:/) lcol[++nl] = i
        else if ($i ~ /^obj:/) { oc[++no] = i; nm[no] = substr($i, 5) }
        else if ($i ~ /^std:/) sc[substr($i, 5)] = i
      }
    ncol = NF; sig = ""
    for (k = 1; k <= no; k++) sig = sig "," nm[k]
    if (names == "") {
      names = sig; nexp = nl
      for (k = 1; k <= no; k++) print nm[k] > (T "names")
      print nl > (T "nexp")
    } else if (sig != names) {
      printf "plot_front: %s: rewards %s differ from %s, skipped\n", FILENAME, substr(sig, 2), substr(names, 2) > "/dev/stderr"
      skip = 1; next
    }
    if (!plain || !allnum) next
  }
  NF < ncol { next }
  {
    kind = plain ? "point" : $kc; label = plain ? FNR : $lbc; gsub(/"/, "'\''", label)
    line = (nl ? num($(lcol[nl])) : "NaN") " \"" label "\""
    for (k = 1; k <= no; k++) line = line " " num($(oc[k]))
    for (k = 1; k <= no; k++) line = line " " ((nm[k] in sc) ? num($(sc[nm[k]])) : "NaN")
    print line > (T pre kind)
  }' "${awk_args[@]}"
[ -f "$TMP/names" ] || { warn "no front rows in ${REPS[*]}"; exit 1; }
mapfile -t NAMES < "$TMP/names"
D=${#NAMES[@]}; NEXP=$(cat "$TMP/nexp")
(( D >= 2 )) || { warn "need at least 2 objectives"; exit 1; }
for f in "$TMP"/[sc]*_soup; do [ -f "$f" ] && sort -g -k1,1 "$f" > "$f.sorted"; done

# all replicates of one table in one file, one block (blank-line separated) each
blocks() { # PREFIX KIND OUT
  local i f; : > "$3"
  for ((i = 1; i <= NREP; i++)); do f=$TMP/$1${i}_$2; [ -s "$f" ] && { cat "$f"; echo; } >> "$3"; done
  [ -s "$3" ] || rm -f "$3"
}
blocks s soup.sorted "$TMP/all_soup"; blocks c soup.sorted "$TMP/all_ctl"
blocks s expert "$TMP/all_expert"; blocks s baseline "$TMP/all_morl"
blocks s init "$TMP/all_init"; blocks s point "$TMP/all_point"

# ---- the mean path: mean.dat = λ n, then per reward: mean lo hi se line control ----
# from lambda_stats.csv when the experiment wrote one, else from the fronts
# (n = 1: the front itself; n > 1: mean ± 1.96 s.e., the bootstrap is the
# experiment's job)
CI="95% bootstrap CI"
mean_from_stats() { # columns <R>:<stat> by the fronts' names, else by position
  awk -F, -v want="$(IFS=,; echo "${NAMES[*]}")" -v D="$D" -v namesout="$TMP/stat_names" '
    function num(s) { return (s ~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/) ? s + 0 : "NaN" }
    function complete(   k, j) { for (k = 1; k <= D; k++) for (j = 1; j <= nst; j++) if (!((w[k] ":" st[j]) in c)) return 0; return 1 }
    { sub(/\r$/, "") }
    /^[ \t]*#/ || /^[ \t]*$/ { next }
    !hdr { hdr = 1; for (i = 1; i <= NF; i++) c[$i] = i
           split(want, w, ","); nst = split("mean lo hi se line control", st, " ")
           if (!("lambda" in c)) exit 1
           if (!complete()) {
             nw = 0
             for (i = 1; i <= NF; i++) if ($i ~ /:mean$/) w[++nw] = substr($i, 1, length($i) - 5)
             if (nw != D || !complete()) exit 1 }
           for (k = 1; k <= D; k++) print w[k] > namesout
           next }
    { line = num($(c["lambda"])) " " (("n" in c) ? num($(c["n"])) : 1)
      for (k = 1; k <= D; k++) for (j = 1; j <= nst; j++) line = line " " num($(c[w[k] ":" st[j]]))
      print line }' "$STATS"
}
mean_from_fronts() {
  local files=() cfiles=() i
  for ((i = 1; i <= NREP; i++)); do [ -s "$TMP/s${i}_soup.sorted" ] && files+=("$TMP/s${i}_soup.sorted"); done
  ((${#files[@]})) || return 0
  for ((i = 1; i <= NREP; i++)); do [ -s "$TMP/c${i}_soup.sorted" ] && cfiles+=("ctl=1" "$TMP/c${i}_soup.sorted"); done
  awk -v D="$D" '
    FNR == 1 { r++; if (!ctl) nr++ }
    $1 == "NaN" { next }
    { key = sprintf("%.6g", $1); split($0, f, " ")
      if (ctl) { for (k = 1; k <= D; k++) if (f[2 + k] != "NaN") { cs[key, k] += f[2 + k]; cn[key, k]++ }; next }
      if (!(key in seen)) { seen[key]; keys[++nk] = key }
      n[key]++
      for (k = 1; k <= D; k++) { v[key, k, n[key]] = f[2 + k]; val[r, key, k] = f[2 + k] }
      if (!(r in lo) || $1 < lo[r]) { lo[r] = $1; klo[r] = key }
      if (!(r in hi) || $1 > hi[r]) { hi[r] = $1; khi[r] = key } }
    END {
      for (i = 1; i <= nk; i++) {
        key = keys[i]; m = n[key]; line = key " " m
        for (k = 1; k <= D; k++) {
          s = 0; bad = 0
          for (j = 1; j <= m; j++) { if (v[key, k, j] == "NaN") bad = 1; s += v[key, k, j] }
          mu = s / m; ss = 0
          for (j = 1; j <= m; j++) ss += (v[key, k, j] - mu) ^ 2
          se = m > 1 ? sqrt(ss / (m - 1) / m) : 0
          ls = 0; ln = 0
          for (q = 1; q <= nr; q++) if ((q, key, k) in val && hi[q] > lo[q]) {
            a = val[q, klo[q], k]; b = val[q, khi[q], k]
            if (a != "NaN" && b != "NaN") { ls += a + (key - lo[q]) / (hi[q] - lo[q]) * (b - a); ln++ } }
          ctlm = cn[key, k] ? cs[key, k] / cn[key, k] : "NaN"
          if (bad) line = line " NaN NaN NaN NaN"
          else line = line sprintf(" %.10g %.10g %.10g %.10g", mu, mu - 1.96 * se, mu + 1.96 * se, se)
          line = line " " (ln ? sprintf("%.10g", ls / ln) : "NaN") " " ctlm
        }
        print line } }' "${files[@]}" "${cfiles[@]}" | sort -g -k1,1
}
if [ "$NEXP" = 2 ]; then
  if [ -n "$STATS" ] && mean_from_stats > "$TMP/mean.dat" && [ -s "$TMP/mean.dat" ]; then :
  else
    [ -n "$STATS" ] && warn "$STATS does not match the fronts' rewards; the mean path is recomputed"
    mean_from_fronts > "$TMP/mean.dat"; CI="≈95% CI (mean ± 1.96 s.e.)"
  fi
  [ -s "$TMP/mean.dat" ] || rm -f "$TMP/mean.dat"
fi
# ---- three or more experts: the experiment's lambda_stats.csv of the simplex ----
# simplex.dat: x n, then per reward mean lo hi se plane control (mean.dat's
# columns, so col() finds them), then y and nondominated; edge<e>.dat: the
# points of edge e (only experts a and b weighted) as mean.dat, λ_b first;
# edge_names, corners.dat (x y per expert, the first again to close the
# polygon) and corner_names: the experts by their rewards' names
simplex_from_stats() {
  awk -F, -v K="$NEXP" -v D="$D" -v T="$TMP/" '
    function num(s) { return (s ~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/) ? s + 0 : "NaN" }
    { sub(/\r$/, "") }
    /^[ \t]*#/ || /^[ \t]*$/ { next }
    !hdr { hdr = 1; nl = nm = 0
           for (i = 1; i <= NF; i++) { c[$i] = i
             if ($i ~ /^lambda:/) { lc[++nl] = i; ln[nl] = substr($i, 8) }
             if ($i ~ /:mean$/) rn[++nm] = substr($i, 1, length($i) - 5) }
           if (nl != K || nm != D || !("x" in c) || !("y" in c) || !("nondominated" in c)) exit 1
           split("mean lo hi se plane control", st, " ")
           for (k = 1; k <= D; k++) for (j = 1; j <= 6; j++) if (!((rn[k] ":" st[j]) in c)) exit 1
           for (k = 1; k <= D; k++) print rn[k] > (T "stat_names")
           for (i = 1; i <= K; i++) print ln[i] > (T "corner_names")
           next }
    { stats = ""
      for (k = 1; k <= D; k++) for (j = 1; j <= 6; j++) stats = stats " " num($(c[rn[k] ":" st[j]]))
      n = num($(c["n"])); x = num($(c["x"])); y = num($(c["y"]))
      print x, n stats, y, num($(c["nondominated"])) > (T "simplex.dat")
      nz = 0; for (i = 1; i <= K; i++) if ($(lc[i]) + 0 != 0) { nz++; w[nz] = i }
      if (nz == 1) { cx[w[1]] = x; cy[w[1]] = y }
      # a vertex lies on every edge through it; a point of two experts on theirs
      for (a = 1; a <= K; a++) for (b = a + 1; b <= K; b++) {
        on = 1; for (i = 1; i <= K; i++) if (i != a && i != b && $(lc[i]) + 0 != 0) on = 0
        if (on) print num($(lc[b])), n stats > (T "edge_" a "_" b ".raw") } }
    END { if (!hdr) exit 1
          for (i = 1; i <= K; i++) print cx[i], cy[i] > (T "corners.dat")
          print cx[1], cy[1] > (T "corners.dat")
          for (a = 1; a <= K; a++) for (b = a + 1; b <= K; b++) print a, b, ln[a] "-" ln[b] > (T "edges") }' "$STATS"
}
KN=0
if [ "$NEXP" -ge 3 ] && [ -n "$STATS" ]; then
  if simplex_from_stats && [ -s "$TMP/simplex.dat" ]; then
    e=0
    while read -r a b _; do
      e=$((e + 1)); sort -g -k1,1 "$TMP/edge_${a}_$b.raw" > "$TMP/edge$e.dat" 2>/dev/null || rm -f "$TMP/edge$e.dat"
    done < "$TMP/edges"
    cut -d' ' -f3- "$TMP/edges" > "$TMP/edge_names"
    KN=$(awk '$2 > n { n = $2 } END { print n + 0 }' "$TMP/simplex.dat")
  else
    warn "$STATS does not match the fronts ($NEXP experts, $D rewards): no simplex figure"
    rm -f "$TMP/simplex.dat" "$TMP/stat_names"
  fi
fi
N=1; [ -f "$TMP/mean.dat" ] && N=$(awk '$2 > n { n = $2 } END { print n + 0 }' "$TMP/mean.dat")
(( N >= 1 )) || N=1
MULTI=0; (( N > 1 || NREP > 1 )) && MULTI=1
col() { echo $(( 3 + 6 * ($1 - 1) + $2 )); } # reward k (1-based), stat j: 0 mean 1 lo 2 hi 3 se 4 line 5 control
# axis names: the fronts' (the reward specs), with the experiment's own names
# (lambda_stats.csv) in front where those differ
# (a spec's ',' is ';' in a front's column names, where ';' also separates
# rewards: the axes show it as the spec was written)
LABELS=("${NAMES[@]//;/,}")
if { [ -f "$TMP/mean.dat" ] || [ -f "$TMP/simplex.dat" ]; } && [ -s "$TMP/stat_names" ]; then
  mapfile -t SN < "$TMP/stat_names"
  for ((k = 0; k < D; k++)); do [ "${SN[$k]}" != "${NAMES[$k]}" ] && LABELS[$k]="${SN[$k]} (${NAMES[$k]//;/,})"; done
fi
# a front with named rewards gives each name's spec in its header ("# reward
# NAME: SPEC"): the axes show both where they differ
declare -A SPEC_OF=()
while IFS= read -r line; do
  n=${line#"# reward "}; SPEC_OF[${n%%: *}]=${n#*: }
done < <(grep '^# reward [A-Za-z0-9_-]*: ' "${REPS[0]}" 2>/dev/null || true)
for ((k = 0; k < D; k++)); do
  sp=${SPEC_OF[${NAMES[$k]}]:-}
  [ -n "$sp" ] && [ "$sp" != "${NAMES[$k]}" ] && LABELS[$k]="${NAMES[$k]} ($sp)"
done

# ---- experts and MORL runs: mean over replicates by label ----
mean_by_label() { # FILE -> λ "label" obj_1..obj_D (mean over the rows of that label)
  awk -v D="$D" '
    NF == 0 { next }
    { lab = $2; if (!(lab in n)) { ord[++nl] = lab; lam[lab] = $1 }
      n[lab]++; for (k = 1; k <= D; k++) if ($(2 + k) != "NaN") { s[lab, k] += $(2 + k); c[lab, k]++ } }
    END { for (i = 1; i <= nl; i++) { lab = ord[i]; line = lam[lab] " " lab
            for (k = 1; k <= D; k++) line = line " " (c[lab, k] ? sprintf("%.10g", s[lab, k] / c[lab, k]) : "NaN")
            print line } }' "$1"
}
[ -f "$TMP/all_expert" ] && mean_by_label "$TMP/all_expert" > "$TMP/mean_expert"
[ -f "$TMP/all_morl" ] && mean_by_label "$TMP/all_morl" > "$TMP/mean_morl"

# μ of a MORL run (weight of the first reward), from the reward weights in the
# policies' metadata (plot_mu_of), tried in each replicate's folder
mu_of() { # LABEL
  local i rd e1 e2 mu
  [ "$D" = 2 ] && [ "$NEXP" = 2 ] || return 0
  for ((i = 1; i <= NREP; i++)); do
    plot_dirname rd "${REPS[$((i-1))]}"
    [ -f "$TMP/s${i}_expert" ] && [ -d "$rd/$1" ] || continue
    e1=$(awk '$1 == 0 { gsub(/"/, "", $2); print $2; exit }' "$TMP/s${i}_expert")
    e2=$(awk '$1 == 1 { gsub(/"/, "", $2); print $2; exit }' "$TMP/s${i}_expert")
    [ -n "$e1" ] && [ -n "$e2" ] || continue
    mu=$(plot_mu_of "$rd/$1" "$rd/$e1" "$rd/$e2")
    [ -n "$mu" ] && { echo "$mu"; return 0; }
  done
  return 0
}
if [ -f "$TMP/mean_morl" ]; then
  while read -r lam lab rest; do
    l=${lab//\"/}; mu=$(mu_of "$l"); [ -n "$mu" ] && l="μ = $mu"
    echo "$lam \"$l\" $rest"
  done < "$TMP/mean_morl" > "$TMP/mean_morl.lab"
fi

# ---- reference point and the hypervolume region of the mean path (2 rewards) ----
REF=""
if [ "$D" = 2 ] && [ -f "$TMP/mean.dat" ]; then
  mapfile -t rp < <(plot_json_array "$METRICS" reference_point)
  if ((${#rp[@]} == 2)); then REF="${rp[0]} ${rp[1]}"; REFSRC="reference point"
  else # as rsoup pareto does by default: componentwise min of the points minus 5% of the range
    REF=$({ cat "$TMP"/s*_soup "$TMP"/s*_expert "$TMP"/s*_baseline 2>/dev/null || true; } | awk '
      $3 != "NaN" && $4 != "NaN" { if (!n++ || $3 < x0) x0 = $3; if (n == 1 || $3 > x1) x1 = $3
                                   if (n == 1 || $4 < y0) y0 = $4; if (n == 1 || $4 > y1) y1 = $4 }
      END { if (n) printf "%.10g %.10g", x0 - 0.05 * (x1 - x0), y0 - 0.05 * (y1 - y0) }')
    REFSRC="reference point (min − 5% of range)"
  fi
fi
if [ -n "$REF" ]; then
  echo "$REF" > "$TMP/ref"
  # staircase polygon of the region the mean path dominates above REF, and its area
  awk -v rx="${REF% *}" -v ry="${REF#* }" -v c1="$(col 1 0)" -v c2="$(col 2 0)" '
    $c1 != "NaN" && $c2 != "NaN" && $c1 > rx && $c2 > ry { n++; x[n] = $c1; y[n] = $c2 }
    END {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && x[j] > x[j - 1]; j--) { t = x[j]; x[j] = x[j - 1]; x[j - 1] = t; t = y[j]; y[j] = y[j - 1]; y[j - 1] = t }
      m = 0; best = ry
      for (i = 1; i <= n; i++) if (y[i] > best) { m++; px[m] = x[i]; py[m] = y[i]; best = y[i] }
      if (!m) exit
      # px descending, py ascending: walk from the x axis up and left
      printf "%.10g %.10g\n%.10g %.10g\n", rx, ry, px[1], ry
      hv = 0
      for (i = 1; i <= m; i++) {
        printf "%.10g %.10g\n", px[i], py[i]
        nx = i < m ? px[i + 1] : rx; printf "%.10g %.10g\n", nx, py[i]
        hv += (px[i] - rx) * (py[i] - (i > 1 ? py[i - 1] : ry)) }
      printf "%.10g %.10g\n", rx, ry
      printf "%.4g\n", hv > hvfile }' hvfile="$TMP/hv.poly.hv" "$TMP/mean.dat" > "$TMP/hv.poly"
  [ -s "$TMP/hv.poly" ] || rm -f "$TMP/hv.poly"
fi

# ---- output formats ----
read -r -a FORMATS <<<"$(plot_formats | tr '\n' ' ')"
render() { plot_render "$TMP" "$DIR/$1" "$2" "$3" "$4" "${FORMATS[@]}"; }
SEED_COLOURS=("#1f6fb4" "#9467bd" "#17becf" "#8c564b" "#e377c2" "#bcbd22" "#ff7f0e" "#7f7f7f")
LIGHT_BLUE="#8fb4dc"; BLUE="#1f6fb4"; GREEN="#2ca02c"; LIGHT_GREEN="#a8d8a0"; RED="#d62728"
LIGHT_RED="#f0a8a8"; BROWN="#a0764c"; LIGHT_BROWN="#dcc8b0"; GREY="#888888"
SEEDS_TXT="$N seeds"; [ "$NREP" != "$N" ] && [ "$NREP" -gt 1 ] && SEEDS_TXT="$N seeds ($NREP fronts found)"

# ---- front.png ----
nonempty() { [ -s "$1" ]; }
if_multi() { if ((MULTI)); then echo "$1"; fi; }
if_n() { if ((N > 1)); then echo "$1"; fi; }
pair_plot() { # X Y (1-based objective indices) -> one plot command
  local x=$1 y=$2 cx=$(( $1 + 2 )) cy=$(( $2 + 2 )) p="plot" mx my sx sy
  echo "set xlabel $(plot_str "${LABELS[$((x-1))]} return"); set ylabel $(plot_str "${LABELS[$((y-1))]} return")"
  if [ "$D" = 2 ]; then
    [ -f "$TMP/hv.poly" ] && p="$p 'hv.poly' using 1:2 with filledcurves closed fs transparent solid 0.13 noborder lc rgb '$BLUE' title 'dominated by the $(if_n 'mean ')soup path (HV $(cat "$TMP/hv.poly.hv"))',"
  fi
  if nonempty "$TMP/all_ctl"; then
    if ((MULTI)); then p="$p 'all_ctl' using $cx:$cy with linespoints lw 1 pt 6 ps 0.5 lc rgb '$LIGHT_BROWN' title 'control soups (independent inits), each seed',"
    else p="$p 'all_ctl' using $cx:$cy with linespoints pt 6 ps 0.8 lc rgb '$BROWN' title 'control soups (independent inits)',"; fi
  fi
  if [ -f "$TMP/mean.dat" ]; then
    mx=$(col "$x" 0); my=$(col "$y" 0); sx=$(col "$x" 3); sy=$(col "$y" 3)
    p="$p 'mean.dat' using $(col "$x" 4):$(col "$y" 4) with lines dt 2 lw 1.5 lc rgb '$GREY' title 'experts: straight line$(if_multi ' (mean)')',"
  fi
  if ((MULTI)) && [ -f "$TMP/mean.dat" ] && nonempty "$TMP/all_soup"; then
    p="$p 'all_soup' using $cx:$cy with lines lw 1 lc rgb '$LIGHT_BLUE' title 'rewarded soups, each seed',"
  fi
  if ((MULTI)); then
    nonempty "$TMP/all_expert" && p="$p 'all_expert' using $cx:$cy with points pt 9 ps 1.1 lc rgb '$LIGHT_GREEN' title 'experts, each seed',"
    nonempty "$TMP/all_morl" && p="$p 'all_morl' using $cx:$cy with points pt 5 ps 0.8 lc rgb '$LIGHT_RED' title 'MORL, each seed',"
  fi
  if [ "${PLOT_INIT:-1}" != 0 ] && nonempty "$TMP/all_init"; then
    p="$p 'all_init' using $cx:$cy with points pt 13 ps 1.2 lc rgb '#aaaaaa' title 'shared init$(if_multi ', each seed')',"
  fi
  nonempty "$TMP/all_point" && p="$p 'all_point' using $cx:$cy with points pt 7 ps 0.8 lc rgb '$GREY' title 'points',"
  if [ -f "$TMP/mean.dat" ]; then
    ((N > 1)) && p="$p 'mean.dat' using $mx:$my:$sx:$sy with xyerrorbars pt 7 ps 0.6 lw 1.2 lc rgb '$BLUE' notitle,"
    p="$p 'mean.dat' using $mx:$my with linespoints pt 7 ps 0.9 lw 2.5 lc rgb '$BLUE' title 'rewarded soups$(if_n ": mean over $SEEDS_TXT (± s.e.)")',"
    # λ labels on about six points of the path, the ends included
    awk -v c1="$mx" -v c2="$my" '$c1 != "NaN" && $c2 != "NaN" { r[++n] = $0 }
      END { s = n > 6 ? int((n - 2) / 5) + 1 : 1; for (i = 1; i <= n; i++) if ((i - 1) % s == 0 || i == n) print r[i] }' "$TMP/mean.dat" > "$TMP/mean.lab"
    p="$p 'mean.lab' using $mx:$my:(sprintf('%.2g', \$1)) with labels offset 0.9,0.9 font ',8' tc rgb '$BLUE' notitle,"
  elif ! ((MULTI)) && nonempty "$TMP/all_soup"; then
    p="$p 'all_soup' using $cx:$cy with points pt 7 ps 0.9 lc rgb '$BLUE' title 'rewarded soups',"
  elif nonempty "$TMP/all_soup"; then # 3+ experts, several seeds: one colour per seed
    local i
    for ((i = 1; i <= NREP; i++)); do
      nonempty "$TMP/s${i}_soup" && p="$p 's${i}_soup' using $cx:$cy with points pt 7 ps 0.7 lc rgb '${SEED_COLOURS[$(( (i - 1) % ${#SEED_COLOURS[@]} ))]}' title $(plot_str "rewarded soups, $(basename "$(dirname "${REPS[$((i-1))]}")")"),"
    done
  fi
  if [ -f "$TMP/mean_expert" ]; then
    p="$p 'mean_expert' using $cx:$cy with points pt 9 ps 2 lc rgb '$GREEN' title 'experts$(if_multi ' (mean)')',"
  fi
  if [ -f "$TMP/mean_morl.lab" ]; then
    p="$p 'mean_morl.lab' using $cx:$cy with points pt 5 ps 1.3 lc rgb '$RED' title 'MORL$(if_multi ' (mean)')',"
    p="$p 'mean_morl.lab' using $cx:$cy:2 with labels offset 0,-1.2 font ',8' tc rgb '$RED' notitle,"
  fi
  [ -n "$REF" ] && [ "$D" = 2 ] && p="$p 'ref' using 1:2 with points pt 2 ps 1.8 lw 2 lc rgb '#000000' title '$REFSRC',"
  echo "${p%,}"
}
{
  echo "set grid; set offsets graph 0.04, graph 0.04, graph 0.04, graph 0.04"
  if [ "$D" = 2 ]; then
    echo "set key outside right top vertical Left reverse spacing 1.2"
    t="Front in reward space"
    ((N > 1)) && t="$t: mean over $SEEDS_TXT"
    ((N == 1)) && [ "$LAYOUT" != file ] && t="$t: single seed"
    [ -f "$TMP/mean.dat" ] && t="$t (λ labels: weight of the second expert)"
    echo "set title '$t'"
    pair_plot 1 2
  else
    # fixed margins, so that one key below all three panels leaves them equal
    echo "set multiplot layout 1,3 margins 0.05, 0.98, 0.3, 0.9 spacing 0.06, 0.1 title 'Front: pairwise projections$( ((NREP > 1)) && echo ", $NREP seeds overlaid" || true)'"
    echo "set key at screen 0.5, 0.02 bottom center horizontal Left reverse maxcols 3 samplen 2.5"
    pair_plot 1 2; echo "unset key"; pair_plot 1 3; pair_plot 2 3
    echo "unset multiplot"
  fi
} > "$TMP/front.gp"
if [ "$D" = 2 ]; then render front 1150 700 "$TMP/front.gp"; else render front 1500 620 "$TMP/front.gp"; fi

# ---- lambda.png: returns along λ (two experts) ----
if [ -f "$TMP/mean.dat" ]; then
  {
    echo "set grid; set key outside bottom center horizontal Left reverse maxcols 3 samplen 2.5 height 1; set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05; set autoscale xfix"
    if ((N > 1)); then echo "set multiplot layout 1,$D title 'Returns along λ: mean over $SEEDS_TXT, $CI'"
    else echo "set multiplot layout 1,$D title 'Returns along λ: single seed'"; fi
    for ((k = 1; k <= D; k++)); do
      echo "set title $(plot_str "${LABELS[$((k-1))]}"); set xlabel 'λ (weight of the second expert)'; set ylabel $(plot_str "${LABELS[$((k-1))]} return")"
      m=$(col "$k" 0); lo=$(col "$k" 1); hi=$(col "$k" 2)
      p="plot"
      if ((N > 1)); then
        awk -v lo="$lo" -v hi="$hi" '$lo != "NaN" && $hi != "NaN"' "$TMP/mean.dat" > "$TMP/band$k"
        [ -s "$TMP/band$k" ] && p="$p 'band$k' using 1:$lo:$hi with filledcurves fs transparent solid 0.18 noborder lc rgb '$BLUE' title '$CI',"
        nonempty "$TMP/all_soup" && p="$p 'all_soup' using 1:$((k+2)) with lines lw 1 lc rgb '$LIGHT_BLUE' title 'each seed',"
      fi
      p="$p 'mean.dat' using 1:$(col "$k" 4) with lines dt 2 lw 1.5 lc rgb '$GREY' title 'experts: straight line',"
      if awk -v c="$(col "$k" 5)" '$c != "NaN" { f = 1 } END { exit !f }' "$TMP/mean.dat"; then
        p="$p 'mean.dat' using 1:$(col "$k" 5) with linespoints pt 6 ps 0.8 lw 1.5 lc rgb '$BROWN' title 'control soups$(if_n ' (mean)')',"
      fi
      if ((N > 1)) || [ ! -s "$TMP/s1_soup.sorted" ]; then
        p="$p 'mean.dat' using 1:$m with linespoints pt 7 ps 0.8 lw 2.5 lc rgb '$BLUE' title 'rewarded soups$(if_n ' (mean)')',"
      else
        p="$p 's1_soup.sorted' using 1:$((k+2)):$((k+2+D)) with yerrorlines pt 7 ps 0.8 lw 2 lc rgb '$BLUE' title 'rewarded soups (± std over episodes)',"
      fi
      echo "${p%,}"
    done
    echo "unset multiplot"
  } > "$TMP/lambda.gp"
  render lambda $((480 * D)) 470 "$TMP/lambda.gp"
fi

# ---- three or more experts: lambda.png along each edge, simplex.png over it ----
if [ -f "$TMP/simplex.dat" ]; then
  mapfile -t EDGE_NAMES < "$TMP/edge_names"
  KTXT="single seed"; ((KN > 1)) && KTXT="mean over $KN seeds, 95% bootstrap CI"
  EDGE_COLOURS=("#1f6fb4" "#d62728" "#2ca02c" "#9467bd" "#ff7f0e" "#8c564b" "#e377c2" "#17becf" "#bcbd22" "#7f7f7f")
  {
    echo "set grid; set key outside bottom center horizontal Left reverse maxcols 3 samplen 2.5; set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05; set autoscale xfix"
    echo "set multiplot layout 1,$D title 'Returns along each edge of the λ simplex: $KTXT (dashed: the straight line between the two experts)'"
    for ((k = 1; k <= D; k++)); do
      echo "set title $(plot_str "${LABELS[$((k-1))]}"); set xlabel 'weight of the second expert of the edge'; set ylabel $(plot_str "${LABELS[$((k-1))]} return")"
      p="plot"
      for ((e = 1; e <= ${#EDGE_NAMES[@]}; e++)); do
        [ -s "$TMP/edge$e.dat" ] || continue
        c=${EDGE_COLOURS[$(( (e - 1) % ${#EDGE_COLOURS[@]} ))]}
        ((KN > 1)) && p="$p 'edge$e.dat' using 1:$(col "$k" 1):$(col "$k" 2) with filledcurves fs transparent solid 0.12 noborder lc rgb '$c' notitle,"
        p="$p 'edge$e.dat' using 1:$(col "$k" 4) with lines dt 2 lw 1.2 lc rgb '$c' notitle,"
        p="$p 'edge$e.dat' using 1:$(col "$k" 0) with linespoints pt 7 ps 0.7 lw 2 lc rgb '$c' title $(plot_str "${EDGE_NAMES[$((e-1))]}"),"
      done
      echo "${p%,}"
    done
    echo "unset multiplot"
  } > "$TMP/lambda.gp"
  render lambda $((480 * D)) 470 "$TMP/lambda.gp"

  # the init's mean return per reward (over the replicates' init rows), the
  # corners' labels pushed out from the centre, a dot size for the lattice
  mapfile -t INIT < <(awk -v D="$D" 'NF { for (k = 1; k <= D; k++) if ($(2 + k) != "NaN") { s[k] += $(2 + k); n[k]++ } }
    END { for (k = 1; k <= D; k++) print (n[k] ? sprintf("%.10g", s[k] / n[k]) : "NaN") }' "$TMP/all_init" 2>/dev/null || true)
  mapfile -t CORNER_NAMES < "$TMP/corner_names"
  awk 'NR <= K { x[NR] = $1; y[NR] = $2; cx += $1 / K; cy += $2 / K }
    END { for (i = 1; i <= K; i++) print x[i] + 0.17 * (x[i] - cx), y[i] + 0.17 * (y[i] - cy) }' K="$NEXP" "$TMP/corners.dat" > "$TMP/corner_xy"
  RES=$(( $(wc -l < "$TMP/edge1.dat") - 1 )); ((RES >= 1)) || RES=1
  PS=$(awk -v r="$RES" 'BEGIN { p = 24 / r; printf "%.2f", (p < 1.2 ? 1.2 : (p > 5 ? 5 : p)) }')
  Y=$((3 + 6 * D)); ND=$((4 + 6 * D))
  # nd.dat: the non-dominated points, numbered, then simplex.dat's columns
  awk -v c="$ND" '$c > 0 { print ++n, $0 }' "$TMP/simplex.dat" > "$TMP/nd.dat"
  NND=$(wc -l < "$TMP/nd.dat")
  {
    echo "set palette defined (0 '#313695', 1 '#74add1', 2 '#ffffbf', 3 '#f46d43', 4 '#a50026')"
    echo "set multiplot layout 2,$D title 'Mean return over the λ simplex: $KTXT (corners: the experts; rings: the non-dominated soups, numbered as below)'"
    # the top row: a map per reward
    echo "set size ratio -1; unset border; unset xtics; unset ytics; unset grid"
    echo "set key outside bottom center horizontal Left reverse samplen 1 spacing 1.2"
    echo "set offsets 0.1, 0.1, 0.1, 0.1; set colorbox vertical"
    for ((k = 1; k <= D; k++)); do
      m=$(col "$k" 0); init=${INIT[$((k-1))]:-NaN}
      t="${LABELS[$((k-1))]}"; [ "$init" != NaN ] && t="$t (shared init: $(awk -v v="$init" 'BEGIN { printf "%.4g", v }'))"
      echo "set title $(plot_str "$t")"
      echo "unset label"
      for ((i = 1; i <= NEXP; i++)); do
        read -r lx ly < <(sed -n "${i}p" "$TMP/corner_xy")
        echo "set label $i $(plot_str "${CORNER_NAMES[$((i-1))]}") at $lx, $ly center front"
      done
      p="plot 'corners.dat' using 1:2 with lines lw 1.5 lc rgb '#444444' notitle,"
      p="$p 'simplex.dat' using 1:$Y:$m with points pt 7 ps $PS lc palette notitle,"
      p="$p 'simplex.dat' using 1:(\$$ND > 0 ? \$$Y : NaN) with points pt 6 ps $(awk -v p="$PS" 'BEGIN { printf "%.2f", p * 1.15 }') lw 2 lc rgb '#000000' title 'non-dominated$( ((KN > 1)) && echo " (mean over seeds)" || true)',"
      p="$p 'nd.dat' using 2:$((Y + 1)):1 with labels offset 1.8,1.3 font ',8' notitle,"
      [ "$init" != NaN ] && p="$p 'simplex.dat' using 1:(\$$m < $init ? \$$Y : NaN) with points pt 2 ps 0.7 lc rgb '#222222' title 'below the shared init',"
      echo "${p%,}"
    done
    # the bottom row: the non-dominated soups' returns on each reward
    echo "unset label; set size noratio; set border; set grid; set ytics; set xtics 1; unset colorbox"
    echo "set offsets 0, 0, graph 0.08, graph 0.08; set xrange [0.5:$NND + 0.5]"
    echo "set xlabel 'non-dominated soup (its number on the map)'"
    for ((k = 1; k <= D; k++)); do
      m=$(( $(col "$k" 0) + 1 )); init=${INIT[$((k-1))]:-NaN}
      echo "set title $(plot_str "${LABELS[$((k-1))]}"); set ylabel $(plot_str "${LABELS[$((k-1))]} return")"
      if ((KN > 1)); then p="plot 'nd.dat' using 1:$m:$((m + 1)):$((m + 2)) with yerrorbars pt 7 ps 0.9 lw 1.5 lc rgb '$BLUE' title 'mean over seeds, $CI',"
      else p="plot 'nd.dat' using 1:$m with points pt 7 ps 0.9 lc rgb '$BLUE' title 'return (single seed)',"; fi
      [ "$init" != NaN ] && p="$p $init with lines dt 2 lw 1.2 lc rgb '#444444' title 'shared init',"
      echo "${p%,}"
    done
    echo "unset multiplot"
  } > "$TMP/simplex.gp"
  render simplex $((520 * D)) 900 "$TMP/simplex.gp"
fi

# ---- learning curves, when run folders are there ----
if [ -n "$(find "$DIR" -mindepth 2 -maxdepth 3 -name progress.csv -print -quit)" ]; then
  bash "$HERE/plot_curves.sh" "$DIR" || warn "plot_curves.sh failed"
fi
echo "plot_front: wrote $DIR/front.png$([ -f "$DIR/lambda.png" ] && echo ", lambda.png")$([ -f "$DIR/simplex.png" ] && echo ", simplex.png") ($NREP front$( ((NREP > 1)) && echo s || true))" >&2
