#!/usr/bin/env bash
# cli_python.sh — python/rsoup against the rsoup binary: a few tiny runs
# (a shared init, two PPO experts from it, their soup, a SAC run, a front),
# then tests/cli_python.py compares the Python reader/writer with `rsoup act`,
# `eval` and `soup` on them, and feeds it bad files (FIFOs, /dev/zero, a 3 GiB
# sparse file, damaged headers, fronts and run folders) and bad outputs (a FIFO,
# a device node, a symlink): each must raise RsoupError naming the file, and
# what rsoup refuses Python must refuse. Needs a python3 with numpy (Debian's
# python3-numpy; scripts/test.sh installs it and python3-torch); without one
# it is skipped (ctest SKIP, exit 77). Without torch only to_torch's checks
# are skipped.
set -u
R=${RSOUP_BIN:-build/rsoup}
SRC=${RSOUP_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
PY=""
# Debian's interpreter first: that is where apt puts python3-numpy
for c in ${PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import numpy' 2>/dev/null; then PY=$c; break; fi
done
if [ -z "$PY" ]; then
  echo "cli_python: SKIP: no python3 with numpy here (apt-get install python3-numpy; scripts/test.sh installs it)"
  exit 77
fi
# the library the package calls (act, forward, mix): the one built with this rsoup
export RSOUP_LIB=${RSOUP_LIB:-$(dirname "$R")/librsoup.so}
PRELOAD=""
if [ ! -e "$RSOUP_LIB" ]; then
  echo "cli_python: FAIL: $RSOUP_LIB is missing (built with RSOUP_LIBRARY=OFF?)"; exit 1
fi
# a sanitizer build's library needs its runtime loaded first into a plain python
if ldd "$RSOUP_LIB" | grep -q libasan; then
  PRELOAD=$(ldd "$RSOUP_LIB" | awk '/libasan/ {print $3}')
  PRELOAD="$PRELOAD $(ldd "$RSOUP_LIB" | awk '/libubsan/ {print $3}')"
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/rs_cli_python.XXXXXX")
trap 'rm -rf "$T"' EXIT
run() { # run NAME cmd...: the runs the checks read; a failure here is the test's failure
  local name=$1; shift
  if ! "$@" >"$T/$name.log" 2>&1; then
    echo "FAIL $name: $*"; head -20 "$T/$name.log"; exit 1
  fi
}
PPO=(--env hopper --n-steps 256 --epochs 2 --threads 1 --quiet)
run pre "$R" train "${PPO[@]}" --steps 2048 --out "$T/pre"
run risky "$R" train "${PPO[@]}" --steps 1024 --init "$T/pre" --reward risky --out "$T/risky"
run cautious "$R" train "${PPO[@]}" --steps 1024 --init "$T/pre" --reward cautious --out "$T/cautious"
run soup "$R" soup "$T/risky" "$T/cautious" --lambda 0.3 --out "$T/soup.safetensors"
run sac "$R" train --algo sac --env hopper --steps 600 --learning-starts 300 --arch 32,32 \
  --batch-size 32 --buffer-size 2000 --log-every 300 --threads 1 --quiet --out "$T/sac"
run front "$R" front "$T/risky" "$T/cautious" --grid 3 --episodes 1 --threads 1 --quiet \
  --out "$T/front.csv"
if [ -n "$PRELOAD" ]; then
  # Python's own allocations are not this test's leaks
  exec env LD_PRELOAD="$PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    "$PY" "$SRC/tests/cli_python.py" "$R" "$T" "$SRC"
fi
exec "$PY" "$SRC/tests/cli_python.py" "$R" "$T" "$SRC"
