#!/usr/bin/env bash
# cli_blas_bits.sh — same seed, same bits, whichever kernels OpenBLAS would
# pick and whatever the thread count. A tiny pipeline (PPO init, a PPO expert
# fine-tuned from it and resumed, SAC resumed, eval, linear and Fisher soups,
# a front, lmc) runs once under every OPENBLAS_CORETYPE this CPU can execute,
# and once more on 2 threads (env threads, BLAS threads in SAC's update);
# every output is compared byte for byte with the first run's.
#
# Before rsoup pinned OpenBLAS's kernels (common/rs_blas.h) the Prescott,
# Nehalem, Sandybridge, Haswell and SkylakeX runs all differed on an AVX-512
# machine. A CPU without AVX2+FMA is outside the guarantee: the test skips.
set -u
R=${RSOUP_BIN:-build/rsoup}
case $R in /*) ;; *) R=$PWD/$R ;; esac # each run works in its own folder
T=$(mktemp -d "${TMPDIR:-/tmp}/rs_cli_blas_bits.XXXXXX")
trap 'rm -rf "$T"' EXIT
unset RSOUP_BLAS # the default: pinned
fail=0; pass=0

flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { local f; for f; do [[ $flags == *" $f "* ]] || return 1; done; }
if ! has avx2 fma; then
  echo "cli_blas_bits: SKIP: this CPU lacks AVX2+FMA, outside the bit-exact guarantee"
  exit 77
fi
# "auto" is OpenBLAS's own choice (on an avx512_bf16 CPU that is Cooperlake,
# which OpenBLAS 0.3.21 cannot be asked for by name); the rest are forced
cores=(auto)
has pni && cores+=(Prescott)
has ssse3 sse4_2 && cores+=(Nehalem)
has avx && cores+=(Sandybridge)
cores+=(Haswell Zen)
has avx512f avx512cd avx512bw avx512dq avx512vl && cores+=(SkylakeX)

# run NAME CORE THREADS: the pipeline in $T/NAME, with relative paths so the
# paths recorded in soups and fine-tunes are the same in every run
run() {
  local name=$1 core=$2 th=$3
  mkdir -p "$T/$name" && cd "$T/$name" || return 1
  if [ "$core" = auto ]; then unset OPENBLAS_CORETYPE; else export OPENBLAS_CORETYPE=$core; fi
  local ppo=(--env hopper --n-steps 128 --arch 8,8 --threads "$th" --quiet)
  # 64-wide layers on a 128 batch: large enough for OpenBLAS to split an
  # sgemm over 2 threads when --blas-threads 2
  local sac=(--algo sac --env hopper --steps 600 --learning-starts 200 --arch 64,64
             --batch-size 128 --buffer-size 600 --log-every 200 --save-replay
             --threads "$th" --blas-threads "$th" --quiet)
  "$R" train "${ppo[@]}" --steps 1024 --seed 1 --out pre &&
  "$R" train "${ppo[@]}" --reward risky --init pre --steps 768 --seed 2 --max-updates 1 --out ft &&
  "$R" train --resume ft --threads "$th" --quiet &&
  "$R" train "${sac[@]}" --max-iters 1 --out sac &&
  "$R" train --resume sac --threads "$th" --quiet &&
  "$R" eval pre --episodes 2 --threads "$th" --json | grep -v '_per_s"' >eval.json &&
  "$R" soup pre ft --lambda 0.3 --out linear.st >/dev/null &&
  "$R" soup pre ft --lambda 0.3 --method fisher --fisher-steps 256 --out fisher.st \
    >/dev/null 2>&1 &&
  "$R" front pre ft --init pre --grid 3 --episodes 2 --threads "$th" --quiet --out front.csv \
    >/dev/null &&
  "$R" lmc pre ft --grid 3 --episodes 2 --threads "$th" --quiet --json | grep -v '_per_s"' \
    >lmc.json
}

OUTS="pre/policy.safetensors pre/train.safetensors ft/policy.safetensors ft/train.safetensors
      sac/policy.safetensors sac/train.safetensors linear.st fisher.st eval.json front.csv lmc.json"
# the data buffer of a safetensors file: its numbers without the metadata
# (a run on other threads records its thread count there)
data() { local n; n=$(od -An -tu8 -N8 "$1" | tr -d ' '); tail -c +$((9 + n)) "$1"; }
# same NAME DATA_ONLY: every output of run NAME equals the reference run's
same() {
  local name=$1 data_only=$2 f differ=""
  for f in $OUTS; do
    if [ ! -s "$T/$name/$f" ]; then differ+=" $f(missing)"; continue; fi
    if [ "$data_only" = 1 ] && [[ $f == *.st || $f == *.safetensors ]]; then
      cmp -s <(data "$T/ref/$f") <(data "$T/$name/$f")
    elif [[ $f == *.csv ]]; then # '#' lines are provenance (threads, machine)
      cmp -s <(grep -v '^#' "$T/ref/$f") <(grep -v '^#' "$T/$name/$f")
    else
      cmp -s "$T/ref/$f" "$T/$name/$f"
    fi || differ+=" $f"
  done
  if [ -z "$differ" ]; then pass=$((pass+1)); else
    echo "FAIL $name: differs from the ${cores[0]} run in$differ"; fail=$((fail+1)); fi
}

t0=$SECONDS
run ref "${cores[0]}" 1 || { echo "FAIL the reference run failed"; exit 1; }
grep -q '^soup,0.5,' "$T/ref/front.csv" || { echo "FAIL front.csv has no soup row"; exit 1; }
for core in "${cores[@]:1}"; do
  if run "$core" "$core" 1; then same "$core" 0; else echo "FAIL $core: a command failed"; fail=$((fail+1)); fi
done
# two threads, on the first forced kernel
if run threads2 "${cores[1]}" 2; then same threads2 1; else echo "FAIL threads2: a command failed"; fail=$((fail+1)); fi
echo "cli_blas_bits: kernels ${cores[*]} and 2 threads, $((SECONDS - t0)) s: $pass passed, $fail failed"
[ "$fail" = 0 ]
