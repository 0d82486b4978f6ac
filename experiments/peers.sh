#!/usr/bin/env bash
# peers.sh [OUT] — rsoup beside its peers, as ratios measured in one run
# (experiments/peers.py says how each row is timed):
#   1. the Python binding's overhead: rsoup.make_vec(hopper, 16) stepped from
#      Python against the same librsoup vector env stepped from C
#      (experiments/peers_vec.c, built here against build/librsoup.so), same
#      seed and actions; rsoup bench env's rs_vecenv beside them;
#   2. the peers: EnvPool's and Gymnasium's MuJoCo Hopper and HalfCheetah
#      against rsoup.make_vec, same envs and threads. They run in a venv of
#      their own, build/py-peers-venv, made once from the lock
#      python/requirements-peers.txt (~1 GB: EnvPool's assets); without it
#      (offline, or PEERS_PEERS=0) the table has part 1 only.
# SB3's PPO against rsoup's PPO will join the same table.
# Run it on an idle machine: under load the thread-CPU row of part 1 still
# holds, the wall-clock rows do not (the header says when the load was above
# the cores).
#   PEERS_ENVS (16), PEERS_THREADS (all cores), PEERS_BATCHES (2000 vector
#   steps per timing), PEERS_ROUNDS (5), PEERS_ENV (hopper, part 1);
#   PYTHON: a python with numpy and gymnasium for part 1 alone (default: the
#   peers' venv, else the interop tests' or py_gym's)
# OUT: also write peers.txt and peers.json there.
set -euo pipefail
cd "$(dirname "$0")/.."
R=${RSOUP_BIN:-build/rsoup}
B=$(cd "$(dirname "$R")" && pwd)
LIB=${RSOUP_LIB:-$B/librsoup.so}
[ -e "$LIB" ] || { echo "peers: $LIB is missing (build first)" >&2; exit 1; }
PY=${PYTHON:-}
PEERS=()
if [ "${PEERS_PEERS:-1}" != 0 ] && [ -z "$PY" ]; then
  V=$B/py-peers-venv
  LOCK=python/requirements-peers.txt
  if [ ! -x "$V/bin/python" ] || ! cmp -s "$LOCK" "$V/requirements.stamp"; then
    rm -rf "$V"
    echo "peers: installing $LOCK into $V (once)" >&2
    if python3 -m venv "$V" && "$V/bin/python" -m pip install -q --disable-pip-version-check \
         --no-deps -r "$LOCK" > "$V.log" 2>&1; then
      cp "$LOCK" "$V/requirements.stamp"
    else
      echo "peers: cannot install $LOCK (log: $V.log): part 1 only" >&2
      rm -rf "$V"
    fi
  fi
  [ -x "$V/bin/python" ] && PY=$V/bin/python && PEERS=(--peers)
fi
for c in "$B/py-interop-venv/bin/python" "$B/py-venv/bin/python"; do
  [ -n "$PY" ] || { [ -x "$c" ] && PY=$c; } || true
done
[ -n "$PY" ] && "$PY" -c 'import numpy, gymnasium' 2>/dev/null || {
  echo "peers: no python with numpy and gymnasium: set PYTHON, or make the test venv" \
       "(cd build && ctest -R py_gym)" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/rs_peers.XXXXXX")
trap 'rm -rf "$T"' EXIT
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude experiments/peers_vec.c \
  -o "$T/peers_vec" "$LIB" -Wl,-rpath,"$(dirname "$LIB")"
ARGS=(--env "${PEERS_ENV:-hopper}" --envs "${PEERS_ENVS:-16}" --threads "${PEERS_THREADS:-$(nproc)}"
      --batches "${PEERS_BATCHES:-2000}" --rounds "${PEERS_ROUNDS:-5}" "${PEERS[@]}")
export RSOUP_LIB=$LIB OPENBLAS_NUM_THREADS=1
if [ $# -ge 1 ]; then
  mkdir -p "$1"
  "$PY" experiments/peers.py "$R" "$T/peers_vec" "${ARGS[@]}" --json > "$1/peers.json"
  "$PY" - "$1/peers.json" > "$1/peers.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["binding"]:
    print("threads %d (%s): C %.0f steps/s, Python %.0f steps/s, overhead %+.1f%%" % (
        r["threads"], r["clock"], r["c_steps_per_s"], r["py_steps_per_s"], 100 * r["overhead"]))
for r in d["peers"]:
    print("%s %s, threads %d (%s): %.0f steps/s, %.2fx rsoup.make_vec" % (
        r["env"], r["what"], r["threads"], r["clock"], r["env_steps_per_s"], r["vs_rsoup"]))
if d["peers_missing"]:
    print("peers: not measured (%s)" % d["peers_missing"])
print("load %.2f -> %.2f on %d cores" % (d["load_1min"][0], d["load_1min"][1], d["cores"]))
PY
  cat "$1/peers.txt"
else
  "$PY" experiments/peers.py "$R" "$T/peers_vec" "${ARGS[@]}"
fi
