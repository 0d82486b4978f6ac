#!/usr/bin/env bash
# py_install.sh — `pip install .` from the checkout builds librsoup.so and
# installs the package rsoup (pyproject.toml, scikit-build-core): into a venv
# beside the build (BUILD/py-install-venv, numpy pinned by
# python/requirements-test.txt, the build env by python/constraints-build.txt),
# then, from outside the source tree and without RSOUP_LIB, the installed
# package must load its own library, step an env and act as the in-tree
# library does, and carry the TensorBoard writer. A python3 without
# venv/ensurepip is a SKIP (exit 77).
set -u
R=${RSOUP_BIN:-build/rsoup}
SRC=${RSOUP_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
B=$(cd "$(dirname "$R")" && pwd)
VENV=$B/py-install-venv
PY=""
for c in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import venv, ensurepip' 2>/dev/null; then PY=$c; break; fi
done
if [ ! -x "$VENV/bin/python" ]; then
  [ -n "$PY" ] || { echo "py_install: SKIP: no python3 with venv and ensurepip"; exit 77; }
  "$PY" -m venv "$VENV" || { echo "py_install: FAIL: cannot make $VENV"; exit 1; }
fi
export PIP_CONSTRAINT=$SRC/python/constraints-build.txt PIP_DISABLE_PIP_VERSION_CHECK=1
"$VENV/bin/python" -m pip install -q -r "$SRC/python/requirements-test.txt" ||
  { echo "py_install: FAIL: pip install -r requirements-test.txt (is PyPI reachable?)"; exit 1; }
t0=$(date +%s)
if ! (cd "$SRC" && "$VENV/bin/python" -m pip install -q --force-reinstall --no-deps .) > "$B/py_install.log" 2>&1; then
  echo "py_install: FAIL: pip install . (log: $B/py_install.log)"; tail -30 "$B/py_install.log"; exit 1
fi
echo "py_install: pip install . took $(( $(date +%s) - t0 )) s"
W=$(mktemp -d "${TMPDIR:-/tmp}/rs_py_install.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W" && env -u RSOUP_LIB -u PYTHONPATH "$VENV/bin/python" - "$B/librsoup.so" <<'PY'
import os, sys
import numpy as np
import rsoup
lib = rsoup.library_path()
ok = [("the installed library is loaded", lib.startswith(sys.prefix) and
       os.path.dirname(lib) == os.path.dirname(rsoup.__file__), lib)]
env = rsoup.make_vec("hopper", 3, objectives=["risky", "cautious"], seed=1)
obs, _ = env.reset()
obs, rew, term, trunc, _ = env.step(np.zeros((3, 3), np.float32))
ok.append(("make_vec steps", obs.shape == (3, 11) and rew.shape == (3, 2), obs.shape))
g = np.random.default_rng(0)
pol = rsoup.make_policy("ppo", [g.standard_normal((8, 11)), g.standard_normal((3, 8))],
                        [np.zeros(8), np.zeros(3)], env="hopper")
a = pol.act(obs)
ok.append(("act", a.shape == (3, 3) and np.isfinite(a).all(), a))
# the files go through the installed library too (python/rsoup/_files.py)
rsoup.save_policy("p.safetensors", pol)
back = rsoup.load_policy("p.safetensors")
ok.append(("save_policy / load_policy", np.array_equal(back.act(obs), a), back))
import rsoup.tensorboard  # shipped with the package: CRC-32C's check value
ok.append(("rsoup.tensorboard installed", rsoup.tensorboard.__file__.startswith(sys.prefix) and
           rsoup.tensorboard.crc32c(b"123456789") == 0xE3069283, rsoup.tensorboard.__file__))
bad = [(n, d) for n, c, d in ok if not c]
for n, d in bad:
    print("FAIL %s: %s" % (n, d))
print("py_install: %d passed, %d failed" % (len(ok) - len(bad), len(bad)))
sys.exit(1 if bad else 0)
PY
