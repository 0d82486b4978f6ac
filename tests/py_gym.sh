#!/usr/bin/env bash
# py_gym.sh — the Python package's Gymnasium envs (python/rsoup/envs.py) on
# librsoup: makes a venv beside the build (BUILD/py-venv) with the pinned
# versions of python/requirements-test.txt (PyPI; reinstalled when the pins
# change), then runs tests/py_gym.py against this build's librsoup.so and
# rsoup. A python3 without venv/ensurepip is a SKIP (exit 77): Debian's
# python3-venv provides them (scripts/test.sh installs it).
set -u
R=${RSOUP_BIN:-build/rsoup}
SRC=${RSOUP_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
B=$(cd "$(dirname "$R")" && pwd)
export RSOUP_LIB=${RSOUP_LIB:-$B/librsoup.so}
[ -e "$RSOUP_LIB" ] || { echo "py_gym: FAIL: $RSOUP_LIB is missing"; exit 1; }
VENV=$B/py-venv
REQ=$SRC/python/requirements-test.txt
PY=""
for c in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import venv, ensurepip' 2>/dev/null; then PY=$c; break; fi
done
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/requirements.stamp"; then
  if [ -z "$PY" ]; then
    echo "py_gym: SKIP: no python3 with venv and ensurepip (apt-get install python3-venv)"; exit 77
  fi
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" || { echo "py_gym: FAIL: cannot make $VENV"; exit 1; }
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ" ||
    { echo "py_gym: FAIL: pip install -r $REQ (is PyPI reachable?)"; rm -rf "$VENV"; exit 1; }
  cp "$REQ" "$VENV/requirements.stamp"
fi
exec "$VENV/bin/python" "$SRC/tests/py_gym.py" "$R" "$SRC"
