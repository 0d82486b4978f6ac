#!/usr/bin/env bash
# fuzz.sh — build the libFuzzer targets (clang, ASan + UBSan) and run each
# parser's target from the committed seed corpus (tests/fuzz/corpus/<name>).
#   scripts/fuzz.sh                 1,000,000 executions per target (RUNS=N to change)
#   scripts/fuzz.sh --short         a few seconds per target (what scripts/test.sh runs)
#   scripts/fuzz.sh TARGET...       only these (safetensors reward front experiment paths config lambda act mjcf)
# Inputs that crash are kept in build-fuzz/crashes/<target>/ and the script
# exits non-zero; the corpus grown by a run stays in build-fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
short=0
if [ "${1:-}" = "--short" ]; then short=1; shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(safetensors reward front experiment paths config lambda act mjcf)
RUNS=${RUNS:-1000000}
JOBS=$(nproc 2>/dev/null || echo 2)
if ! command -v clang >/dev/null; then
  echo "fuzz: clang is not installed (apt-get install clang)" >&2
  exit 1
fi
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DRSOUP_FUZZ=ON -DRSOUP_VIEWER=OFF -DRSOUP_MPI=OFF \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" >/dev/null
cmake --build build-fuzz -j "$JOBS" --target fuzz_all >&2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0 n_ok=0 n_bad=0
for t in "${targets[@]}"; do
  bin=build-fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz: no target '$t'" >&2; exit 2; }
  corpus=build-fuzz/corpus/$t crashes=build-fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  if [ $short = 1 ]; then limit=(-max_total_time=4); else limit=(-runs="$RUNS"); fi
  log=build-fuzz/fuzz_$t.log
  if "$bin" "${limit[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/" \
       -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "fuzz $t: ${execs:-?} executions, no crash (corpus $(ls "$corpus" | wc -l) inputs)"
    n_ok=$((n_ok + 1))
  else
    echo "fuzz $t: FAILED — see $log; reproduce with $bin $crashes/<file>" >&2
    tail -30 "$log" >&2
    failed=1 n_bad=$((n_bad + 1))
  fi
done
echo "fuzz: $n_ok passed, $n_bad failed"
exit $failed
