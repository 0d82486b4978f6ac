#!/usr/bin/env bash
# setup.sh — install the Debian packages rsoup needs (only those missing),
# then configure and build the release build into build/.
#   scripts/setup.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config
  libmujoco-dev libqhull-dev      # MuJoCo 2.2.2; its CMake config names qhull's headers
  libopenblas-dev libcjson-dev
  libglfw3-dev                    # the viewer
  xvfb xauth                      # headless viewer tests
  gnuplot-nox                     # experiment plots
  libopenmpi-dev openmpi-bin      # scale-out
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >&2
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

if [ "${1:-}" = "--no-build" ]; then exit 0; fi

JOBS=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$JOBS" >&2
echo "setup: built build/rsoup" >&2
