#!/usr/bin/env bash
# cli_golden.sh — a recorded tiny run, checked by its sha256s: a change in the
# numbers anywhere (our code, build flags, MuJoCo, OpenBLAS, libm) fails this
# test on every x86-64 CPU with AVX2+FMA (the bit-exact set, common/rs_blas.h).
#
#   tests/cli_golden.sh            check against tests/golden/tiny.sha256
#   tests/cli_golden.sh --record   re-record it, when a change of numbers is intended
#
# Only numbers are hashed, so provenance can change freely: the data buffers
# of the policies (not their metadata, which holds the rsoup version), the
# front CSV without its '#' comment lines, the rollout JSON without timings.
set -u
R=${RSOUP_BIN:-build/rsoup}
case $R in /*) ;; *) R=$PWD/$R ;; esac
G=$(cd "$(dirname "$0")" && pwd)/golden/tiny.sha256
record=0
[ "${1:-}" = --record ] && record=1
unset RSOUP_BLAS OPENBLAS_CORETYPE
numerics=$("$R" --version | sed -n 's/^numerics: //p')
if [[ $numerics != *"portable bits"* ]]; then
  echo "cli_golden: SKIP: not the bit-exact configuration here: $numerics"
  [ $record = 1 ] && exit 1
  exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/rs_cli_golden.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

ppo=(--env hopper --n-steps 128 --minibatch 64 --arch 8,8 --threads 1 --quiet)
"$R" train "${ppo[@]}" --steps 1024 --seed 1 --out pre &&
"$R" train "${ppo[@]}" --reward risky --init pre --steps 512 --seed 2 --out ft &&
"$R" train --algo sac --env walker2d --steps 500 --learning-starts 200 --arch 16,16 \
  --batch-size 32 --buffer-size 500 --log-every 250 --threads 1 --quiet --out sac &&
"$R" front pre ft --grid 3 --episodes 2 --threads 1 --quiet --out front.csv >/dev/null &&
"$R" rollout --env all --episodes 2 --threads 1 --json >rollout.json ||
  { echo "FAIL cli_golden: a command failed"; exit 1; }

data() { local n; n=$(od -An -tu8 -N8 "$1" | tr -d ' '); tail -c +$((9 + n)) "$1"; }
{
  for f in pre/policy.safetensors ft/policy.safetensors sac/policy.safetensors; do
    echo "$(data "$f" | sha256sum | cut -d' ' -f1)  $f (data buffer)"
  done
  echo "$(grep -v '^#' front.csv | sha256sum | cut -d' ' -f1)  front.csv (without # lines)"
  echo "$(grep -v '_per_s"' rollout.json | sha256sum | cut -d' ' -f1)  rollout --env all (without timings)"
} >hashes

if [ $record = 1 ]; then
  { echo "# tests/cli_golden.sh --record, $numerics"; cat hashes; } >"$G"
  echo "cli_golden: recorded $G"
  cat hashes
  exit 0
fi
if diff <(grep -v '^#' "$G") hashes >diff.txt; then
  echo "cli_golden: 5 hashes match ($numerics)"
  exit 0
fi
echo "FAIL cli_golden: the numbers changed (< recorded, > now):"
cat diff.txt
echo "recorded with: $(sed -n 's/^# //p' "$G" | head -1)"
echo "if the change is intended: tests/cli_golden.sh --record (and commit tests/golden/tiny.sha256)"
exit 1
