#!/usr/bin/env bash
# cli_first_checkpoint.sh — a run killed (SIGKILL) after its first update,
# long before its first save_every checkpoint, keeps a checkpoint and
# resumes to the bytes of an uninterrupted run.
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'kill -9 $pid 2>/dev/null; rm -rf "$T"' EXIT
fail=0; pass=0; pid=
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }

A=(train --env hopper --n-envs 2 --n-steps 64 --minibatch 32 --epochs 2 --threads 1 --steps 40960
   --save-every 1000 --seed 9 --quiet)
"$R" "${A[@]}" --out "$T/full" >/dev/null 2>&1 || bad "uninterrupted run failed"
"$R" "${A[@]}" --out "$T/k" >/dev/null 2>&1 & pid=$!
# the first update's checkpoint is written before the second update's log line
for _ in $(seq 1 600); do
  n=$(grep -c . "$T/k/log.jsonl" 2>/dev/null); [ "${n:-0}" -ge 3 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.05
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
if [ -f "$T/k/train.safetensors" ] && [ ! -f "$T/k/.done" ]; then ok; else bad "no checkpoint after the first update"; fi
"$R" train --resume "$T/k" --quiet >/dev/null 2>&1 && ok || bad "resume after the kill failed"
cmp -s "$T/full/policy.safetensors" "$T/k/policy.safetensors" && cmp -s "$T/full/train.safetensors" "$T/k/train.safetensors" \
  && ok || bad "the resumed run's checkpoints differ from the uninterrupted run's"
# --save-every 0 still means at the end only
"$R" train --env hopper --n-envs 2 --n-steps 64 --minibatch 32 --epochs 2 --threads 1 --steps 40960 \
  --save-every 0 --seed 9 --quiet --out "$T/z" >/dev/null 2>&1 & pid=$!
for _ in $(seq 1 600); do
  n=$(grep -c . "$T/z/log.jsonl" 2>/dev/null); [ "${n:-0}" -ge 3 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.05
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ ! -f "$T/z/train.safetensors" ] && ok || bad "--save-every 0 saved before the end"

echo "cli_first_checkpoint: $pass passed, $fail failed"
[ "$fail" = 0 ]
