#!/usr/bin/env bash
# plot_text.sh PLOT_COMMON — the helper of fuzz_paths: reads NUL-terminated
# texts on stdin and, for each, has one gnuplot (started once, in the
# current folder) print the literal that plot_str makes of it, then writes
# what gnuplot said (its errors included) and a NUL. The fuzz target checks
# that gnuplot printed the text itself and nothing else, and ran nothing.
set -u
# bytes, not characters: in a UTF-8 locale bash's read takes a stray lead
# byte (\xf9) and the line break after it as one character
export LC_ALL=C
# shellcheck source=../../experiments/plot_common.sh
. "$1"
coproc GP { exec gnuplot 2>&1; }
while IFS= read -r -d '' s; do
  # print goes to gnuplot's stderr, here its stdout; the end marker is a
  # fixed double-quoted string, which no text changes
  printf 'print %s\nprint "\\001end"\n' "$(plot_str "$s")" >&"${GP[1]}" || { printf 'gnuplot exited\0'; exit 0; }
  out=""
  while IFS= read -r line <&"${GP[0]}"; do
    [ "$line" = $'\001end' ] && break
    out+="$line"$'\n'
  done
  printf '%s\0' "$out"
done
