#!/usr/bin/env bash
# test.sh — install what is missing, build, and run every test twice: on a
# sanitizer build (ASan + UBSan, -Werror) and on the release build; then a
# few seconds of each parser's fuzz target (clang's libFuzzer, ASan + UBSan).
#   scripts/test.sh [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)

scripts/setup.sh
# test-only dependencies (the demo needs none of them): clang for the fuzz
# targets; numpy and torch for tests/cli_python.sh, which checks
# python/rsoup against the binary (python3-torch: ~170 packages, ~1 min);
# python3-venv for the venvs of tests/py_gym.sh and py_install.sh (PyPI pins)
test_pkgs=()
command -v clang >/dev/null || test_pkgs+=(clang)
# libFuzzer's runtime comes in its own package (clang only recommends it)
compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null ||
  test_pkgs+=(libclang-rt-dev)
for p in python3-numpy python3-torch python3-venv; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || test_pkgs+=("$p")
done
if ((${#test_pkgs[@]})); then
  SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  echo "test: installing ${test_pkgs[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${test_pkgs[@]}" >&2 || \
    { DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -q >&2 && \
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${test_pkgs[@]}" >&2; }
fi

echo "== sanitizer build (build-asan) ==" >&2
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRSOUP_SANITIZE=ON -DRSOUP_WERROR=ON \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g" >/dev/null
cmake --build build-asan -j "$JOBS" >&2
# OpenBLAS keeps per-thread buffers for the process lifetime: not our leaks
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
(cd build-asan && ctest --output-on-failure -j "$JOBS" "$@")

echo "== release build (build) ==" >&2
cmake -S . -B build -DRSOUP_WERROR=ON >/dev/null
cmake --build build -j "$JOBS" >&2
(cd build && ctest --output-on-failure -j "$JOBS" "$@")

echo "== fuzz targets, a few seconds each (build-fuzz; scripts/fuzz.sh for long runs) ==" >&2
scripts/fuzz.sh --short
