# shellcheck shell=bash
# plot_common.sh — helpers sourced by plot_front.sh and plot_curves.sh (not
# run on its own). Bash + awk only; every function returns 0 so that the
# callers can run under `set -euo pipefail`.

# the numbers of a flat JSON array "KEY": [...] (its first occurrence), one a
# line; nothing when FILE or KEY is missing
plot_json_array() { # FILE KEY
  [ -n "$1" ] && [ -f "$1" ] || return 0
  tr -d ' \t\r\n' < "$1" | grep -o "\"$2\":\[[^]]*\]" \
    | awk -F'[][]' 'NR == 1 { n = split($2, a, ","); for (i = 1; i <= n; i++) print a[i] }' || true
  return 0
}

# the string value of "KEY" in a run's config.json (first occurrence)
plot_config_value() { # RUN_DIR KEY
  [ -f "$1/config.json" ] || return 0
  sed -n "s/.*\"$2\":[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$1/config.json" | awk 'NR == 1' || true
  return 0
}

# the reward names (obj:<R> columns) of a front CSV, one a line
plot_front_rewards() { # FRONT.csv
  [ -f "$1" ] || return 0
  awk -F, '{ sub(/\r$/, "") } /^[ \t]*#/ || /^[ \t]*$/ { next }
           { for (i = 1; i <= NF; i++) if ($i ~ /^obj:/) print substr($i, 5); exit }' "$1" || true
  return 0
}

# the expert rows of a front CSV, in the order of the rewards: "i label" with
# i the (0-based) lambda column that is 1 in that row
plot_front_experts() { # FRONT.csv
  [ -f "$1" ] || return 0
  awk -F, '{ sub(/\r$/, "") } /^[ \t]*#/ || /^[ \t]*$/ { next }
    !h { h = 1; for (i = 1; i <= NF; i++) { if ($i == "kind") kc = i; if ($i == "label") lc = i
                                           if ($i ~ /^lambda:/) L[substr($i, 8)] = i }
         if (!kc || !lc) exit; next }
    $kc == "expert" { for (k in L) if ($(L[k]) ~ /^1([.]0*)?$/) print k, $lc }' "$1" | sort -n -k1,1 || true
  return 0
}

# a run's reward as term weights, term=w,term=w,..., from the reward_weights
# entry of its policy's safetensors metadata (the header: an 8-byte
# little-endian length, then that many bytes of JSON)
plot_weights_of() { # RUN_DIR
  local f=$1/policy.safetensors n
  [ -f "$f" ] || return 0
  n=$(od -An -tu8 -N8 "$f" 2>/dev/null | tr -d ' \n' || true)
  [[ $n =~ ^[0-9]+$ ]] && (( n > 0 && n < 1048576 )) || return 0
  head -c $((8 + n)) "$f" | tail -c "$n" | tr -d '\\' | grep -o '"reward_weights":"{[^}]*}' \
    | sed 's/.*{//; s/"//g; s/[[:space:]]//g; s/:/=/g' | awk 'NR == 1' || true
  return 0
}

# μ of a run trained on μ·R1 + (1 − μ)·R2, where R1 and R2 are the rewards of
# two other runs (the experts); empty unless the weights fit that form
plot_mu_of() { # RUN_DIR EXPERT1_DIR EXPERT2_DIR
  local m r c
  m=$(plot_weights_of "$1"); r=$(plot_weights_of "$2"); c=$(plot_weights_of "$3")
  [ -n "$m" ] && [ -n "$r" ] && [ -n "$c" ] || return 0
  awk -v r="$r" -v c="$c" -v m="$m" '
    function load(s, A,   a, n, i, kv) { n = split(s, a, ","); for (i = 1; i <= n; i++) { split(a[i], kv, "="); A[kv[1]] = kv[2] + 0; T[kv[1]] } }
    BEGIN { load(r, R); load(c, C); load(m, M)
      for (t in T) { d = R[t] - C[t]; num += (M[t] - C[t]) * d; den += d * d; sc += M[t] ^ 2 + R[t] ^ 2 + C[t] ^ 2 }
      if (den <= 0) exit
      mu = num / den
      for (t in T) { e = M[t] - mu * R[t] - (1 - mu) * C[t]; res += e * e }
      if (res <= 1e-8 * (sc + 1)) printf "%.3g\n", (mu < 0 && mu > -1e-9) ? 0 : mu }' || true
  return 0
}

# the output formats: png and svg, and pdf where gnuplot has pdfcairo
plot_formats() {
  local terms
  terms=$(gnuplot -e 'set terminal' 2>&1 < /dev/null || true)
  echo png svg
  if grep -qw pdfcairo <<<"$terms"; then echo pdf; fi
  return 0
}

# TEXT as a gnuplot string literal. Text that comes from files or folder
# names (rewards, labels, seeds) must never become a gnuplot command: inside
# single quotes gnuplot expands nothing (no `command`, no @macro, no
# backslash escape, no ';'), so the literal is safe once it holds no single
# quote (gnuplot's '' escape is unreliable: a second one in a string ends
# it) and no line break (which ends the command). A ' becomes ’ and a control
# character a space, byte by byte whatever the locale.
plot_str() { # TEXT
  local LC_ALL=C s=$1
  s=${s//[$'\001'-$'\037'$'\177']/ }
  s=${s//\'/$'\xe2\x80\x99'}
  printf "'%s'" "$s"
}

# VAR = PATH as the tools below read a path: one that starts with '-' would
# be an option (find -delete), one like x=y an awk assignment; ./ in front
# keeps its meaning. (A variable, not $(...), which would drop a trailing
# newline of the name.)
plot_path() { # VAR PATH
  case $2 in
    -* | [A-Za-z_]*=*) printf -v "$1" './%s' "$2" ;;
    *) printf -v "$1" '%s' "$2" ;;
  esac
}

# VAR = the folder of PATH, as dirname says, keeping a trailing newline
plot_dirname() { # VAR PATH
  case $2 in
    */*) local d=${2%/*}; printf -v "$1" '%s' "${d:-/}" ;;
    *) printf -v "$1" '.' ;;
  esac
}

# render a gnuplot body (no terminal, no output) into OUT_BASE.{png,svg,pdf}.
# No path is ever part of a gnuplot command: gnuplot runs in WORK, where the
# body names its data files by fixed relative names, writes a fixed file name
# there, and the shell moves it to OUT_BASE.FORMAT
plot_render() { # WORK OUT_BASE W H BODY_FILE FORMAT...
  local work=$1 out=$2 w=$3 h=$4 body=$5 fmt term
  shift 5
  for fmt in "$@"; do
    case $fmt in
      png) term="pngcairo size $w,$h font ',10'" ;;
      svg) term="svg size $w,$h font 'Sans,10'" ;;
      pdf) term="pdfcairo size $(awk -v w="$w" -v h="$h" 'BEGIN { printf "%.2fin,%.2fin", w / 100, h / 100 }') font ',8'" ;;
      *) continue ;;
    esac
    rm -f "$work/render.out"
    { echo "set encoding utf8; set terminal $term; set termoption noenhanced"
      echo "set output 'render.out'"
      cat "$body"
      echo "unset output"; } | (cd "$work" && gnuplot) || true
    if [ -s "$work/render.out" ]; then
      mv -f -- "$work/render.out" "$out.$fmt" || echo "plot: cannot write $out.$fmt" >&2
    fi
  done
  return 0
}
