#!/usr/bin/env bash
# cli_kill.sh — kill -9 at seeded random moments: `rsoup train` (PPO, SAC,
# PPO with evaluations), `rsoup front` and `rsoup experiment`. After each
# kill every file is absent or complete and valid, the resume finishes, and
# the result equals an uninterrupted run byte for byte. Also: one writer per
# folder (a second `train` on a folder in use is refused), and an
# experiment's jobs do not outlive a runner killed with -9.
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'pkill -KILL -f "$T/" 2>/dev/null; rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
command -v python3 >/dev/null || { echo "cli_kill: needs python3 (JSON checks)"; exit 77; }
RANDOM=20261202   # the kill moments are random but the same on every run

# ms since the epoch
now_ms() { date +%s%3N; }
# a delay in [0, max_ms) as "s.mmm"
delay() { local ms=$(( (RANDOM * 32768 + RANDOM) % $1 )); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }

# every file a run folder may hold is absent or complete: policies load,
# JSON parses, CSV rows have the header's width; no temporary file is left
check_folder() { # NAME DIR
  local name=$1 d=$2 f
  [ -e "$d/policy.safetensors" ] && { "$R" act "$d/policy.safetensors" </dev/null >/dev/null 2>&1 || bad "$name: policy.safetensors does not load"; }
  for f in config.json provenance.json; do
    [ -e "$d/$f" ] && { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$d/$f" 2>/dev/null || bad "$name: $f is not valid JSON"; }
  done
  [ -e "$d/log.jsonl" ] && { python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    json.loads(line)' "$d/log.jsonl" 2>/dev/null || bad "$name: log.jsonl has a line that is not JSON"; }
  [ -e "$d/progress.csv" ] && { awk -F, 'NR == 1 { n = NF } NF != n { exit 1 }' "$d/progress.csv" || bad "$name: progress.csv has a ragged row"; }
  ok
}

. "$(dirname "$0")/lib.sh"

# kill -9 a training at random moments, resume, compare with the reference
kill_train() { # NAME TRIALS ARGS...
  local name=$1 trials=$2; shift 2
  local ref="$T/$name.ref" t0 t1 span i d
  t0=$(now_ms); "$R" train "$@" --out "$ref" >/dev/null 2>&1 || { bad "$name: reference run failed"; return; }
  t1=$(now_ms); span=$(( t1 - t0 + 1 ))
  for i in $(seq "$trials"); do
    d="$T/$name.$i"
    "$R" train "$@" --out "$d" >/dev/null 2>&1 &
    local pid=$! at; at=$(delay "$span")
    sleep "$at"; kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    check_folder "$name kill $i at ${at}s" "$d"
    # what a user does next: resume when there is a checkpoint, else start over
    if [ -e "$d/train.safetensors" ]; then
      "$R" train --resume "$d" --quiet >"$T/out" 2>&1 || { bad "$name $i: resume failed: $(tail -2 "$T/out")"; continue; }
    else
      rm -rf "$d"; "$R" train "$@" --out "$d" >"$T/out" 2>&1 || { bad "$name $i: rerun failed: $(tail -2 "$T/out")"; continue; }
    fi
    check_folder "$name $i resumed" "$d"
    cmp -s "$ref/policy.safetensors" "$d/policy.safetensors" && cmp -s "$ref/train.safetensors" "$d/train.safetensors" \
      && ok || bad "$name $i (killed at ${at}s): resumed checkpoint differs from the uninterrupted run"
    diff -q <(untimed "$ref/log.jsonl") <(untimed "$d/log.jsonl") >/dev/null && \
      diff -q <(untimed_csv "$ref/progress.csv") <(untimed_csv "$d/progress.csv") >/dev/null \
      && ok || bad "$name $i (killed at ${at}s): log.jsonl/progress.csv differ from the uninterrupted run"
    ls "$d" | grep -q '\.tmp' && bad "$name $i: temporary files left: $(ls "$d")" || ok
  done
}

PPO=(--env hopper --steps 6144 --n-steps 256 --minibatch 64 --epochs 2 --save-every 1 --seed 7 --threads 1 --quiet)
SAC=(--algo sac --env hopper --steps 1500 --learning-starts 200 --arch 32,32 --batch-size 32 --buffer-size 2000
     --log-every 100 --save-every 1 --save-replay --seed 7 --threads 1 --quiet)
kill_train ppo 4 "${PPO[@]}"
kill_train sac 3 "${SAC[@]}"
# with evaluations (--eval-every): their lines and rows come back the same too
kill_train ppo_eval 3 "${PPO[@]}" --eval-every 4 --eval-episodes 2

# ---- one writer per folder ----
"$R" train --env hopper --steps 400000 --n-steps 256 --save-every 1 --threads 1 --quiet --out "$T/busy" >/dev/null 2>&1 &
bp=$!
for _ in $(seq 400); do [ -s "$T/busy/train.safetensors" ] && break; sleep 0.05; done
out=$("$R" train --resume "$T/busy" --quiet 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "in use by another rsoup process" <<<"$out" && ok || bad "second writer on a busy folder: rc=$rc $out"
out=$("$R" train --env hopper --steps 256 --threads 1 --quiet --out "$T/busy" 2>&1); rc=$?
[ "$rc" = 1 ] && ok || bad "a new run into a busy folder: rc=$rc $out"
kill -TERM $bp; wait $bp
"$R" train --resume "$T/busy" --max-iters 1 --quiet >/dev/null 2>&1 && ok || bad "the folder stayed locked after its writer exited"

# ---- front ----
"$R" train --env hopper --steps 2048 --n-steps 256 --threads 1 --quiet --seed 1 --out "$T/ea" >/dev/null 2>&1
"$R" train --env hopper --steps 2048 --n-steps 256 --threads 1 --quiet --seed 1 --reward cautious --init "$T/ea" --out "$T/eb" >/dev/null 2>&1
FRONT=("$T/ea" "$T/eb" --grid 9 --episodes 2 --threads 1 --rewards "risky;cautious")
t0=$(now_ms); "$R" front "${FRONT[@]}" --out "$T/front.ref.csv" >/dev/null 2>&1 || bad "front reference failed"
t1=$(now_ms); span=$(( t1 - t0 + 1 ))
for i in 1 2 3; do
  f="$T/front.$i.csv"
  "$R" front "${FRONT[@]}" --out "$f" >/dev/null 2>&1 &
  fp=$!; at=$(delay "$span"); sleep "$at"; kill -KILL $fp 2>/dev/null; wait $fp 2>/dev/null
  if [ -e "$f" ]; then
    awk -F, '!/^#/ { if (!n) n = NF; else if (NF != n) exit 1 }' "$f" && ok || bad "front $i: ragged CSV after kill at ${at}s"
    "$R" front "${FRONT[@]}" --out "$f" --resume >/dev/null 2>&1 || bad "front $i: --resume failed"
  else
    "$R" front "${FRONT[@]}" --out "$f" >/dev/null 2>&1 || bad "front $i: rerun failed"
  fi
  diff -q <(grep -v '^#' "$T/front.ref.csv") <(grep -v '^#' "$f") >/dev/null && ok || bad "front $i (killed at ${at}s): rows differ from the uninterrupted front"
  ls "$T" | grep -q "front\.$i\.csv\.tmp" && bad "front $i: temporary file left" || ok
done

# ---- experiment: kill -9 the runner; its jobs stop too, a rerun finishes ----
cat > "$T/exp.json" <<'EOF'
{"name": "kill", "env": "hopper",
 "rewards": {"risky": "risky", "cautious": "cautious"},
 "pretrain": {"reward": "default", "steps": 3072},
 "finetune": {"steps": 1024},
 "ppo": {"n_steps": 256, "epochs": 1, "save_every": 1},
 "front": {"grid": 3, "episodes": 1},
 "morl": {"mu": [0.5], "steps": 1024}}
EOF
t0=$(now_ms); "$R" experiment "$T/exp.json" --out "$T/exp.ref" --quiet --threads 1 >/dev/null 2>&1 || bad "experiment reference failed"
t1=$(now_ms); span=$(( t1 - t0 + 1 ))
for i in 1 2; do
  e="$T/exp.$i"
  "$R" experiment "$T/exp.json" --out "$e" --quiet --threads 1 --jobs 2 >/dev/null 2>&1 &
  ep=$!; at=$(delay "$span"); sleep "$at"; kill -KILL $ep 2>/dev/null; wait $ep 2>/dev/null
  # the jobs get SIGTERM when their runner dies: they save and exit
  for _ in $(seq 300); do pgrep -f "$e/" >/dev/null || break; sleep 0.05; done
  pgrep -f "$e/" >/dev/null && bad "experiment $i: a job outlived its runner (killed at ${at}s)" || ok
  for d in "$e"/*/; do [ -d "$d" ] && check_folder "experiment $i $(basename "$d")" "$d"; done
  out=$("$R" experiment "$T/exp.json" --out "$e" --quiet --threads 1 2>&1) || bad "experiment $i: rerun failed: $(tail -3 <<<"$out")"
  diff -q <(grep -v '^#' "$T/exp.ref/front.csv") <(grep -v '^#' "$e/front.csv") >/dev/null && ok || bad "experiment $i (killed at ${at}s): front differs from the uninterrupted run"
  cmp -s "$T/exp.ref/pretrain/policy.safetensors" "$e/pretrain/policy.safetensors" && ok || bad "experiment $i: pretrain differs"
done
# a second runner on a folder in use is refused
"$R" experiment "$T/exp.json" --out "$T/exp.busy" --quiet --threads 1 >/dev/null 2>&1 &
ep=$!
for _ in $(seq 200); do [ -d "$T/exp.busy/pretrain" ] && break; sleep 0.05; done
out=$("$R" experiment "$T/exp.json" --out "$T/exp.busy" --quiet --threads 1 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "in use by another rsoup process" <<<"$out" && ok || bad "second runner: rc=$rc $out"
kill -TERM $ep; wait $ep

echo "cli_kill: $pass passed, $fail failed"
[ "$fail" = 0 ]
