#!/usr/bin/env bash
# plot_curves.sh DIR — learning curves (recent mean training return against
# env steps) of the run folders under DIR (those with a progress.csv), into
# DIR/curves.png and .svg (and .pdf where gnuplot has pdfcairo). Runs that
# evaluated (rsoup train --eval-every) add their evaluations' returns, dashed
# in the run's colour.
#
# An experiment folder (runs pretrain, expert_<R>, morl_<k>, control_<R>,
# directly in DIR or replicated in DIR/seed_<s>/): one panel per reward R
# (the pretraining, expert_R and control_R) and one for the MORL runs (with
# the pretraining). A run that starts from another run's checkpoint (its
# config.json "init") is drawn from that run's final step, so a fine-tune
# continues the curve of its init. With several seeds each run kind is drawn
# as the mean over seeds (bold) in its min–max band, every seed thin.
#
# Any other folder: one panel per env; runs named <name>_s<N> are the seeds
# of <name> and are drawn as one mean with its band.
set -euo pipefail
DIR=${1:?usage: plot_curves.sh DIR}; DIR=${DIR%/}
HERE=$(cd "$(dirname "$0")" && pwd)
warn() { echo "plot_curves: $*" >&2; }
command -v gnuplot >/dev/null || { warn "gnuplot is not installed (apt-get install gnuplot-nox)"; exit 1; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
# shellcheck source=plot_common.sh
. "$HERE/plot_common.sh"
# the folder's name reaches gnuplot nowhere (plot_render); find and awk get it as a path
plot_path DIR "$DIR"

# NUL-separated: a folder's name may hold a newline
mapfile -d '' -t ALL < <(find "$DIR" -name progress.csv -printf '%h\0' | sort -z -V)
((${#ALL[@]})) || { warn "no progress.csv under $DIR"; exit 1; }

# ---- layout ----
is_protocol_run() { [[ ${1##*/} =~ ^(pretrain|expert_.+|morl_[0-9]+|control_.+)$ ]]; }
PROTOCOL=0
for r in "${ALL[@]}"; do
  if is_protocol_run "$r"; then PROTOCOL=1; break; fi
done
RUNS=()
if ((PROTOCOL)); then
  # replicates: DIR itself, or the seeds metrics.json names (else every seed_*)
  mapfile -t SEEDS < <(plot_json_array "$DIR/metrics.json" seeds)
  REPDIRS=("$DIR")
  if [ ! -f "$DIR/front.csv" ] || [ -d "$DIR/seed_${SEEDS[0]:-}" ]; then
    if ((${#SEEDS[@]})); then for s in "${SEEDS[@]}"; do REPDIRS+=("$DIR/seed_$s"); done
    else mapfile -d '' -t -O 1 REPDIRS < <(find "$DIR" -mindepth 1 -maxdepth 1 -type d -name 'seed_*' -print0 | sort -z -V); fi
  fi
  for r in "${ALL[@]}"; do
    is_protocol_run "$r" || continue
    for d in "${REPDIRS[@]}"; do [ "${r%/*}" = "$d" ] && RUNS+=("$r"); done
  done
  # a run folder itself, or runs deeper down: drawn as they are
  ((${#RUNS[@]})) || PROTOCOL=0
fi
((PROTOCOL)) || RUNS=("${ALL[@]}")

# ---- one curve file per run: x (env steps, from its init's end) and return ----
final_step() { # RUN_DIR
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "step") c = i; if (!c) c = 2; next }
           $c ~ /^[0-9.eE+]+$/ { last = $c } END { printf "%.0f\n", last + 0 }' "$1/progress.csv"
}
offset_of() { # RUN_DIR [DEPTH] -> env steps before the run: its init run's offset + final step
  local run=$1 depth=${2:-0} init cand
  init=$(plot_config_value "$run" init); init=${init%@*}
  case $init in *.safetensors) init=$(dirname "$init") ;; esac
  if [ -n "$init" ] && (( depth < 8 )); then
    for cand in "$(dirname "$run")/$(basename "$init")" "$init"; do
      if [ -f "$cand/progress.csv" ] && [ "$(cd "$cand" && pwd)" != "$(cd "$run" && pwd)" ]; then
        echo $(( $(offset_of "$cand" $((depth + 1))) + $(final_step "$cand") )); return 0
      fi
    done
  fi
  echo 0
}
GROUPS_ORDER=()
declare -A MEMBERS=() GENV=()
i=0
for r in "${RUNS[@]}"; do
  i=$((i + 1))
  name=${r##*/}
  if ((PROTOCOL)); then g=$name; else g=$(sed 's/_s[0-9][0-9]*$//' <<<"$name"); fi
  env=$(plot_config_value "$r" env); env=${env:-runs}
  ((PROTOCOL)) || g="$env/$g"
  awk -F, -v off="$(offset_of "$r")" '
    { sub(/\r$/, "") }
    NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "step") s = i; if ($i == "ep_return") y = i }
              if (!s) s = 2; if (!y) y = 5; next }
    $s ~ /^[-+0-9.eE]+$/ && $y ~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/ { printf "%.10g %s\n", $s + off, $y }' \
    "$r/progress.csv" | sort -g -k1,1 > "$TMP/run$i"
  [ -s "$TMP/run$i" ] || { warn "$r: no returns in progress.csv yet"; continue; }
  # its deterministic evaluations (rsoup train --eval-every), where there are any
  awk -F, -v off="$(offset_of "$r")" '
    { sub(/\r$/, "") }
    NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "step") s = i; if ($i == "eval_return") y = i }
              if (!s) s = 2; next }
    y && $s ~ /^[-+0-9.eE]+$/ && $y ~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/ { printf "%.10g %s\n", $s + off, $y }' \
    "$r/progress.csv" | sort -g -k1,1 > "$TMP/eval$i"
  if [ -z "${MEMBERS[$g]+x}" ]; then GROUPS_ORDER+=("$g"); MEMBERS[$g]=""; GENV[$g]=$env; fi
  MEMBERS[$g]="${MEMBERS[$g]} $TMP/run$i"
done
((${#GROUPS_ORDER[@]})) || { warn "no returns under $DIR"; exit 1; }

# per group: seeds (blank-line separated blocks), and with 2+ seeds the mean
# with its min–max band on the union of their steps, where every seed has data
# (linear interpolation between a seed's own rows)
NMAX=1 EVALS=0
declare -A NSEEDS=()
gi=0
for g in "${GROUPS_ORDER[@]}"; do
  gi=$((gi + 1))
  read -r -a m <<<"${MEMBERS[$g]}"
  NSEEDS[$g]=${#m[@]}; (( ${#m[@]} > NMAX )) && NMAX=${#m[@]}
  for f in "${m[@]}"; do cat "$f"; echo; done > "$TMP/g$gi.seeds"
  # the evaluations of every seed, each its own line (drawn as they are)
  for f in "${m[@]}"; do e=${f%/*}/eval${f##*/run}; [ -s "$e" ] && { cat "$e"; echo; }; done > "$TMP/g$gi.eval"
  [ -s "$TMP/g$gi.eval" ] && EVALS=1
  if (( ${#m[@]} > 1 )); then
    cut -d' ' -f1 "${m[@]}" | sort -g -u > "$TMP/g$gi.grid"
    awk 'FNR == 1 { f++ }
         !last { n[f]++; X[f, n[f]] = $1; Y[f, n[f]] = $2; next }
         { x = $1; c = 0; s = 0
           for (j = 1; j < f; j++) {
             if (x < X[j, 1] || x > X[j, n[j]]) continue
             if (!(j in p)) p[j] = 1
             while (p[j] < n[j] && X[j, p[j] + 1] <= x) p[j]++
             k = p[j]
             if (k < n[j] && X[j, k + 1] > X[j, k]) v = Y[j, k] + (x - X[j, k]) / (X[j, k + 1] - X[j, k]) * (Y[j, k + 1] - Y[j, k])
             else v = Y[j, k]
             if (!c || v < lo) lo = v; if (!c || v > hi) hi = v; s += v; c++ }
           if (c == f - 1) printf "%.10g %.10g %.10g %.10g\n", x, s / c, lo, hi }' \
      "${m[@]}" last=1 "$TMP/g$gi.grid" > "$TMP/g$gi.mean"
  else
    awk '{ print $1, $2, $2, $2 }' "${m[0]}" > "$TMP/g$gi.mean"
  fi
done

# x in thousands or millions of env steps
XMAX=$(cat "$TMP"/run* | awk '$1 > m { m = $1 } END { printf "%.0f\n", m }')
if (( XMAX < 200000 )); then XS=1e3; XL="env steps (thousands)"; else XS=1e6; XL="env steps (millions)"; fi

# ---- panels: PANEL_TITLE[p], PANEL_GROUPS[p] (space-separated group indices) ----
gindex() { local j=0 g; for g in "${GROUPS_ORDER[@]}"; do j=$((j + 1)); [ "$g" = "$1" ] && { echo $j; return 0; }; done; return 0; }
PANEL_TITLE=(); PANEL_GROUPS=()
declare -A USED=()
add_panel() { # TITLE GROUP_NAME...
  local t=$1 gs="" g j; shift
  for g in "$@"; do j=$(gindex "$g"); [ -n "$j" ] && { gs="$gs $j"; USED[$g]=1; }; done
  [ -n "$gs" ] && { PANEL_TITLE+=("$t"); PANEL_GROUPS+=("$gs"); }
  return 0
}
LABEL=()
if ((PROTOCOL)); then
  # the rewards: the experts' folders (expert_<R>) in the fronts' order, else
  # in the order of the folders; SPEC[R]: the front's name for R where it differs
  REWARDS=()
  declare -A SPEC=()
  for d in "${REPDIRS[@]}"; do
    [ -f "$d/front.csv" ] || continue
    mapfile -t objs < <(plot_front_rewards "$d/front.csv")
    while read -r k lab; do
      [[ $lab == expert_* ]] || continue
      R=${lab#expert_}; REWARDS+=("$R")
      [ -n "${objs[$k]:-}" ] && [ "${objs[$k]}" != "$R" ] && SPEC[$R]=${objs[$k]}
    done < <(plot_front_experts "$d/front.csv")
    ((${#REWARDS[@]})) && break
  done
  for g in "${GROUPS_ORDER[@]}"; do
    case $g in expert_*|control_*) R=${g#*_}; [[ " ${REWARDS[*]} " == *" $R "* ]] || REWARDS+=("$R") ;; esac
  done
  for R in "${REWARDS[@]}"; do add_panel "$R${SPEC[$R]:+ (${SPEC[$R]})}" pretrain "expert_$R" "control_$R"; done
  morls=()
  for g in "${GROUPS_ORDER[@]}"; do [[ $g == morl_* ]] && morls+=("$g"); done
  if ((${#REWARDS[@]} == 2)); then mt="MORL (μ·${REWARDS[0]} + (1 − μ)·${REWARDS[1]})"; else mt="MORL (scalarised rewards)"; fi
  ((${#morls[@]})) && add_panel "$mt" pretrain "${morls[@]}"
  rest=()
  for g in "${GROUPS_ORDER[@]}"; do [ -n "${USED[$g]:-}" ] || rest+=("$g"); done
  ((${#rest[@]})) && add_panel "other runs" "${rest[@]}"
  # legend labels: the pretraining's reward, MORL's μ (from the policies' metadata)
  for g in "${GROUPS_ORDER[@]}"; do
    l=$g; first=""
    for r in "${RUNS[@]}"; do [ "${r##*/}" = "$g" ] && { first=$r; break; }; done
    if [ "$g" = pretrain ] && [ -n "$first" ]; then rw=$(plot_config_value "$first" reward); [ -n "$rw" ] && l="pretrain ($rw)"; fi
    if [[ $g == morl_* ]] && ((${#REWARDS[@]} == 2)); then
      for r in "${RUNS[@]}"; do
        [ "${r##*/}" = "$g" ] || continue
        mu=$(plot_mu_of "$r" "${r%/*}/expert_${REWARDS[0]}" "${r%/*}/expert_${REWARDS[1]}")
        [ -n "$mu" ] && { l="$g (μ = $mu)"; break; }
      done
    fi
    LABEL+=("$l")
  done
else
  mapfile -t ENVS < <(for g in "${GROUPS_ORDER[@]}"; do echo "${GENV[$g]}"; done | awk '!s[$0]++')
  for e in "${ENVS[@]}"; do
    sel=(); for g in "${GROUPS_ORDER[@]}"; do [ "${GENV[$g]}" = "$e" ] && sel+=("$g"); done
    add_panel "$e" "${sel[@]}"
  done
  for g in "${GROUPS_ORDER[@]}"; do LABEL+=("${g#*/}"); done
fi

# ---- the figure ----
PALETTE=("#1f6fb4" "#d62728" "#2ca02c" "#9467bd" "#ff7f0e" "#17becf" "#8c564b" "#e377c2" "#7f7f7f" "#bcbd22")
colour_of() { # GROUP_NAME SLOT -> #rrggbb
  case $1 in
    pretrain) echo "#333333" ;;
    expert_*) echo "#1f6fb4" ;;
    control_*) echo "#a0764c" ;;
    *) echo "${PALETTE[$(( $2 % ${#PALETTE[@]} ))]}" ;;
  esac
}
NP=${#PANEL_TITLE[@]}
COLS=$(( NP < 3 ? NP : (NP == 4 ? 2 : 3) )); ROWS=$(( (NP + COLS - 1) / COLS ))
{
  if ((NMAX > 1)); then t="Learning curves: mean over seeds (bold), min–max band, each seed thin"
  else t="Learning curves"; ((PROTOCOL)) && t="$t: single seed"; fi
  ((PROTOCOL)) && t="$t; fine-tunes start where their init ended"
  echo "set multiplot layout $ROWS,$COLS title '$t'"
  echo "set grid; set key outside bottom center horizontal Left reverse maxcols 2 samplen 2.5 height 1"
  if ((EVALS)); then yl="return, own reward (dashed: deterministic eval)"
  else yl="training return (own reward, recent episodes)"; fi
  echo "set xlabel '$XL'; set ylabel '$yl'"
  echo "set offsets 0, 0, graph 0.05, graph 0.05"
  for ((p = 0; p < NP; p++)); do
    echo "set title $(plot_str "${PANEL_TITLE[$p]}")"
    plot="plot"; slot=0; lines=""
    for j in ${PANEL_GROUPS[$p]}; do
      g=${GROUPS_ORDER[$((j - 1))]}; c=$(colour_of "$g" "$slot"); slot=$((slot + 1))
      n=${NSEEDS[$g]}; lab=${LABEL[$((j - 1))]}
      if ((n > 1)); then
        plot="$plot 'g$j.mean' using (\$1/$XS):3:4 with filledcurves fs transparent solid 0.18 noborder lc rgb '$c' notitle,"
        plot="$plot 'g$j.seeds' using (\$1/$XS):2 with lines lw 0.8 lc rgb '#80${c#\#}' notitle,"
        lines="$lines 'g$j.mean' using (\$1/$XS):2 with lines lw 2.2 lc rgb '$c' title $(plot_str "$lab ($n seeds)"),"
      else
        lines="$lines 'g$j.mean' using (\$1/$XS):2 with lines lw 1.8 lc rgb '$c' title $(plot_str "$lab"),"
      fi
      [ -s "$TMP/g$j.eval" ] && lines="$lines 'g$j.eval' using (\$1/$XS):2 with linespoints dt 2 lw 1.4 pt 7 ps 0.45 lc rgb '$c' title $(plot_str "$lab (eval)"),"
    done
    plot="$plot$lines"
    echo "${plot%,}"
  done
  echo "unset multiplot"
} > "$TMP/curves.gp"
read -r -a FORMATS <<<"$(plot_formats | tr '\n' ' ')"
plot_render "$TMP" "$DIR/curves" $((500 * COLS)) $((430 * ROWS)) "$TMP/curves.gp" "${FORMATS[@]}"
warn "wrote $DIR/curves.png ($NP panels, up to $NMAX seeds a run)"
