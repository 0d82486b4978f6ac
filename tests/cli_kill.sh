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

# one writer per front: a front another process holds is refused, not written twice
f="$T/front.held.csv"
grep -v '^[a-z]*,[^,]*,0\.[1-9]' "$T/front.ref.csv" > "$f"   # the experts and λ = 0, 1 only
flock -o "$f" sleep 3 & hp=$!
for _ in $(seq 100); do flock -n "$f" true || break; sleep 0.05; done  # held
out=$("$R" front "${FRONT[@]}" --out "$f" --resume 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "in use by another rsoup process" <<<"$out" && ok || bad "front --resume on a front in use: rc=$rc $out"
kill $hp 2>/dev/null; wait $hp 2>/dev/null
# two at once on one partial front: one completes it, the other is refused or finds it done;
# every row is there once (the missing ones after the others: sorted to compare)
for w in 1 2; do "$R" front "${FRONT[@]}" --out "$f" --resume >"$T/front.w$w" 2>&1 & done; wait
diff -q <(grep -v '^#' "$T/front.ref.csv" | sort) <(grep -v '^#' "$f" | sort) >/dev/null && ok || bad "two front --resume on one file: $(grep -vc '^#' "$f") lines, $(cat "$T/front.w1" "$T/front.w2")"
# a front that does not name its experts is not resumed: its rows may be other experts'
grep -v '^# experts:' "$T/front.ref.csv" | head -8 > "$T/front.noexp.csv"; cp "$T/front.noexp.csv" "$T/front.noexp.bak"
out=$("$R" front "$T/eb" "$T/ea" --grid 9 --episodes 2 --threads 1 --rewards "risky;cautious" --out "$T/front.noexp.csv" --resume 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "does not record its experts" <<<"$out" && cmp -s "$T/front.noexp.csv" "$T/front.noexp.bak" && ok || bad "front --resume without '# experts:', experts swapped: rc=$rc $out"
# and one that names others (the same experts, swapped) neither
head -12 "$T/front.ref.csv" > "$T/front.swap.csv"
out=$("$R" front "$T/eb" "$T/ea" --grid 9 --episodes 2 --threads 1 --rewards "risky;cautious" --out "$T/front.swap.csv" --resume 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "was made with experts" <<<"$out" && ok || bad "front --resume with the experts swapped: rc=$rc $out"

# ---- experiment: kill -9 the runner again and again; every rerun finishes the same ----
# Two replicates, --jobs 2, tiny budgets: the runner is killed at >= 50 random
# moments, in chains (kill, rerun, kill the rerun, ...: a kill of a rerun is
# what once left a folder no rerun would take), each chain then rerun to the
# end and compared with an uninterrupted run byte for byte. Half the reruns
# start while the killed runner's jobs are still stopping (they must be
# waited for, not refused); after the other half the jobs are checked to
# stop, and the folders to hold only complete files. The plots are left out
# (no gnuplot on the runner's PATH): they take most of a tiny run's time and
# are not what is tested here.
cat > "$T/exp.json" <<'EOF2'
{"name": "kill", "env": "hopper", "seeds": [1, 2],
 "rewards": {"risky": "risky", "cautious": "cautious"},
 "pretrain": {"reward": "default", "steps": 256},
 "finetune": {"steps": 256},
 "ppo": {"n_steps": 64, "epochs": 1, "save_every": 1},
 "front": {"grid": 3, "episodes": 1},
 "morl": {"mu": [0.5], "steps": 256},
 "control": {"steps": 256}}
EOF2
mkdir -p "$T/nogp" && ln -s "$(command -v bash)" "$T/nogp/bash"
EXP=(experiment "$T/exp.json" --quiet --threads 2 --jobs 2)
runexp() { PATH="$T/nogp" "$R" "${EXP[@]}" --out "$1"; }
# in the background: rsoup itself, so that $! is the runner (not a subshell)
# the folders' names all have the length of the reference's, exp.00: a
# fine-tune's checkpoint records its init's path, so the bytes of exp.NN's
# equal the reference's with exp.00 read as exp.NN
t0=$(now_ms); runexp "$T/exp.00" >/dev/null 2>&1 || bad "experiment reference failed"
t1=$(now_ms); span=$(( t1 - t0 + 1 ))
# what an experiment made: every checkpoint, the fronts' rows, the λ table and the metrics
# (less their clock), all equal to the reference's; no temporary file left
same_experiment() { # NAME DIR
  local out
  out=$(python3 - "$T/exp.00" "$2" <<'PY'
import os, re, sys
ref, run = sys.argv[1], sys.argv[2]
mine = ("/" + os.path.basename(run) + "/").encode()
def content(path, csv):
    b = open(path, "rb").read()
    if csv:  # rows, not the provenance lines above them; metrics without their clock
        b = b"".join(l for l in b.splitlines(True)
                     if not l.startswith(b"#") and b"wall_time_s" not in l and b'"date":' not in l)
    return b
files = []
for d, _, fs in os.walk(ref):
    files += [os.path.relpath(os.path.join(d, f), ref) for f in fs if f.endswith(".safetensors")]
files += [f"seed_{s}/{n}.csv" for s in (1, 2) for n in ("front", "control_front")]
files += ["lambda_stats.csv", "metrics.json"]
for f in sorted(files):
    if not os.path.exists(os.path.join(run, f)):
        print(f"{f} is missing"); sys.exit(1)
    a = content(os.path.join(ref, f), not f.endswith(".safetensors"))
    b = content(os.path.join(run, f), not f.endswith(".safetensors"))
    if b != a and b != a.replace(b"/exp.00/", mine):
        print(f"{f} differs from the uninterrupted run"); sys.exit(1)
for d, _, fs in os.walk(run):
    for f in fs:
        if re.search(r"\.tmp\.[0-9]+$", f):
            print(f"temporary file left: {os.path.join(d, f)}"); sys.exit(1)
PY
  ) && ok || bad "$1: $out"
}
# check_folder for every run folder under DIR at once (one python, not three per folder)
check_tree() { # NAME DIR
  local out p
  out=$(python3 - "$2" <<'PY'
import json, os, sys
for d, _, fs in os.walk(sys.argv[1]):
    try:
        for f in ("config.json", "provenance.json"):
            if f in fs: json.load(open(os.path.join(d, f)))
        if "log.jsonl" in fs:
            for line in open(os.path.join(d, "log.jsonl")): json.loads(line)
        if "progress.csv" in fs:
            widths = {len(l.split(",")) for l in open(os.path.join(d, "progress.csv"))}
            if len(widths) > 1: raise ValueError("progress.csv has a ragged row")
    except Exception as e:
        print(f"{d}: {e}"); sys.exit(1)
PY
  ) || { bad "$1: $out"; return; }
  while IFS= read -r p; do
    "$R" act "$p" </dev/null >/dev/null 2>&1 || { bad "$1: $p does not load"; return; }
  done < <(find "$2" -name policy.safetensors)
  ok
}
landed=0 chains=0 kills=0
while (( landed < 50 && chains < 120 )); do
  chains=$((chains + 1)); e=$(printf '%s/exp.%02d' "$T" "$chains"); k=0
  while (( k < 8 )); do
    k=$((k + 1)); kills=$((kills + 1))
    PATH="$T/nogp" "$R" "${EXP[@]}" --out "$e" >"$T/exp.out" 2>&1 &
    ep=$!
    # a rerun has less left to do: the later kills of a chain come sooner
    if (( k == 1 )); then at=$(delay "$span"); else at=$(delay $(( span / 4 + 1 ))); fi
    sleep "$at"; kill -KILL $ep 2>/dev/null; wait $ep; rc=$?
    if [ "$rc" != 137 ]; then
      # it finished before the kill came: the machine is faster now than
      # when span was measured, so later chains aim earlier
      (( k == 1 )) && span=$(( span * 2 / 3 + 1 ))
      [ "$rc" = 0 ] || bad "experiment chain $chains, run $k: exit $rc: $(tail -3 "$T/exp.out")"
      break
    fi
    landed=$((landed + 1))
    if (( kills % 2 == 0 )); then
      # the jobs get SIGTERM when their runner dies: they save and exit
      for _ in $(seq 300); do pgrep -f "$e/" >/dev/null || break; sleep 0.05; done
      pgrep -f "$e/" >/dev/null && bad "experiment chain $chains: a job outlived its runner (killed at ${at}s)" || ok
      check_tree "experiment chain $chains kill $k" "$e"
    fi
  done
  out=$(runexp "$e" 2>&1) || { bad "experiment chain $chains: the rerun after $k kills failed: $(tail -3 <<<"$out")"; continue; }
  same_experiment "experiment chain $chains ($k runs)" "$e"
done
(( landed >= 50 )) && ok || bad "only $landed of $kills kills of the experiment runner landed in $chains chains"
echo "cli_kill: the experiment runner was killed at $landed moments in $chains chains"

# a runner killed between making a job's folder and stamping it leaves the
# stamp's temporary file alone in the folder: a rerun takes it over
cp -a "$T/exp.00" "$T/exp.s1"
rm -rf "$T/exp.s1/seed_2/control_risky"
mkdir "$T/exp.s1/seed_2/control_risky" && echo "train" > "$T/exp.s1/seed_2/control_risky/.started.tmp.99999999"
rm "$T/exp.s1/seed_2/control_front.csv.done"
out=$(runexp "$T/exp.s1" 2>&1) && ok || bad "a folder holding only a temporary stamp: $(tail -3 <<<"$out")"
same_experiment "stale temporary stamp" "$T/exp.s1"
# a rerun while a job of the killed runner still holds its folder waits for it
cp -a "$T/exp.00" "$T/exp.b1"
rm "$T/exp.b1/seed_1/expert_risky/.done"
flock -o "$T/exp.b1/seed_1/expert_risky" sleep 2 &
fp=$!
for _ in $(seq 100); do flock -n "$T/exp.b1/seed_1/expert_risky" true || break; sleep 0.05; done
out=$(runexp "$T/exp.b1" 2>&1) && grep -q "waits for" <<<"$out" && ok || bad "a rerun beside a stopping job: $(tail -3 <<<"$out")"
wait $fp
same_experiment "rerun beside a stopping job" "$T/exp.b1"
# and for a job of the killed runner that has not locked anything yet (one
# that the kill caught while it made its front's header): the jobs share a
# lock with their runner, and a rerun waits until the last of them is gone,
# then sweeps what it left half written
cp -a "$T/exp.00" "$T/exp.b2"
rm "$T/exp.b2/seed_2/front.csv.done" "$T/exp.b2/seed_2/front.csv"
flock -o "$T/exp.b2/.jobs.lock" sleep 2 &
fp=$!
echo "# half a header" > "$T/exp.b2/seed_2/front.csv.tmp.$fp"
for _ in $(seq 100); do flock -n "$T/exp.b2/.jobs.lock" true || break; sleep 0.05; done
out=$(runexp "$T/exp.b2" 2>&1) && grep -q "waiting for the jobs of a stopped run" <<<"$out" && ok || bad "a rerun beside a job that holds no folder yet: $(tail -3 <<<"$out")"
wait $fp
same_experiment "rerun beside a job that holds no folder yet" "$T/exp.b2"
# a job of a killed runner that died but is not yet reaped (a zombie, until
# init collects it: slow on a loaded machine) answers kill(pid, 0) as if it
# ran; what it left half written is swept all the same
cp -a "$T/exp.00" "$T/exp.b3"
rm "$T/exp.b3/seed_2/control_front.csv.done" "$T/exp.b3/seed_2/control_front.csv"
( sleep 0.1 & echo $! > "$T/zombie.pid"; exec sleep 30 ) &
zp=$!
for _ in $(seq 100); do [ -s "$T/zombie.pid" ] && [ "$(ps -o stat= -p "$(cat "$T/zombie.pid")" 2>/dev/null | cut -c1)" = Z ] && break; sleep 0.05; done
zpid=$(cat "$T/zombie.pid")
echo "# half a header" > "$T/exp.b3/seed_2/control_front.csv.tmp.$zpid"
[ "$(ps -o stat= -p "$zpid" | cut -c1)" = Z ] && ok || bad "no zombie to test with"
runexp "$T/exp.b3" >/dev/null 2>&1 || bad "a rerun beside a zombie job failed"
same_experiment "rerun beside a zombie job" "$T/exp.b3"
kill $zp 2>/dev/null; wait $zp 2>/dev/null

# a second runner on a folder in use is refused
PATH="$T/nogp" "$R" "${EXP[@]}" --out "$T/exp.busy" >/dev/null 2>&1 &
ep=$!
# its mark is written once it holds the folder
for _ in $(seq 200); do [ -e "$T/exp.busy/.experiment" ] && break; sleep 0.05; done
out=$(runexp "$T/exp.busy" 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "in use by another rsoup process" <<<"$out" && ok || bad "second runner: rc=$rc $out"
kill -TERM $ep; wait $ep

echo "cli_kill: $pass passed, $fail failed"
[ "$fail" = 0 ]
