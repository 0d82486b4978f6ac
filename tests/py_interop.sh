#!/usr/bin/env bash
# py_interop.sh NAME — one of the Python ecosystem's tests on this build's
# librsoup: tests/py_NAME.py (sb3: Stable-Baselines3's PPO; morl:
# MORL-Baselines' CAPQL; tensorboard: rsoup.tensorboard_export read back by
# TensorBoard; peers: experiments/peers_train.py and peers_front.py at tiny
# budgets). They share one venv beside the build, BUILD/py-interop-venv,
# made once from the lock python/requirements-interop.txt (torch's CPU build
# among it: a few minutes the first time) and remade only when the lock
# changes; a flock keeps two tests from making it at once.
# A SKIP (exit 77), so that the C suite passes offline: no python3 with
# venv/ensurepip, or a pinned package that pip cannot install (no network,
# no wheel for this Python). PY_INTEROP_VENV=DIR uses another venv as is.
set -u
NAME=${1:?usage: py_interop.sh sb3|morl|tensorboard|peers}
R=${RSOUP_BIN:-build/rsoup}
SRC=${RSOUP_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
B=$(cd "$(dirname "$R")" && pwd)
TEST=$SRC/tests/py_$NAME.py
[ -f "$TEST" ] || { echo "py_interop: FAIL: no test '$NAME' ($TEST)"; exit 1; }
export RSOUP_LIB=${RSOUP_LIB:-$B/librsoup.so}
[ -e "$RSOUP_LIB" ] || { echo "py_$NAME: FAIL: $RSOUP_LIB is missing"; exit 1; }
# one thread each for OpenBLAS and torch: the tests' numbers do not depend on
# the core count, and they stay light on a shared machine
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
export WANDB_MODE=disabled WANDB_SILENT=true PYGAME_HIDE_SUPPORT_PROMPT=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

VENV=${PY_INTEROP_VENV:-$B/py-interop-venv}
LOCK=$SRC/python/requirements-interop.txt
make_venv() {
  [ -x "$VENV/bin/python" ] && cmp -s "$LOCK" "$VENV/requirements.stamp" && return 0
  local py=""
  for c in ${PYTHON:-} python3 /usr/bin/python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import venv, ensurepip' 2>/dev/null; then
      py=$c; break
    fi
  done
  [ -n "$py" ] || { echo "py_$NAME: SKIP: no python3 with venv and ensurepip (apt-get install python3-venv)"; return 77; }
  rm -rf "$VENV"
  "$py" -m venv "$VENV" || { echo "py_$NAME: FAIL: cannot make $VENV"; return 1; }
  echo "py_$NAME: installing $LOCK into $VENV (once)"
  if ! "$VENV/bin/python" -m pip install -q --no-deps -r "$LOCK" > "$VENV.log" 2>&1; then
    echo "py_$NAME: SKIP: pip cannot install the pinned packages of $LOCK (offline?); log: $VENV.log"
    tail -5 "$VENV.log"
    rm -rf "$VENV"
    return 77
  fi
  cp "$LOCK" "$VENV/requirements.stamp"
}
if [ -z "${PY_INTEROP_VENV:-}" ]; then
  mkdir -p "$B"
  exec 9> "$B/py-interop-venv.lock"
  flock 9
  make_venv; rc=$?
  flock -u 9
  [ $rc = 0 ] || exit $rc
fi
exec "$VENV/bin/python" "$TEST" "$R" "$SRC"
