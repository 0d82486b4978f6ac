#!/usr/bin/env bash
# cli_faults.sh — the disk gives way under a save: fsync, rename or fopen
# fail (an LD_PRELOAD shim, tests/fault_inject.c), or the disk is full (a
# small tmpfs, when this machine lets us mount one). Every command must exit
# non-zero with a message naming the file and the cause, and the previous
# checkpoint, front and stamps must survive byte for byte.
set -u
R=${RSOUP_BIN:-build/rsoup}
LIB=${RSOUP_FAULT_LIB:-build/librs_fault_inject.so}
T=$(mktemp -d); MNT=""
cleanup() { [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
[ -f "$LIB" ] || { echo "cli_faults: no fault shim at $LIB"; exit 77; }
# the shim is not instrumented: ASan must not insist on coming first
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# run a command with a fault: OP ERRNO PATH -- cmd...
faulty() { local op=$1 e=$2 p=$3; shift 4
  LD_PRELOAD="$LIB" FAULT_OP="$op" FAULT_ERRNO="$e" FAULT_PATH="$p" "$@"; }
# expect a failure whose message matches: NAME PATTERN -- cmd...
expect_fail() { local name=$1 pat=$2; shift 3
  local out rc; out=$("$@" 2>&1); rc=$?
  if [ "$rc" = 0 ] || ! grep -qE -- "$pat" <<<"$out"; then bad "$name: rc=$rc, output: $(tail -3 <<<"$out")"; else ok; fi; }
same_files() { # NAME DIR BACKUP FILE...
  local name=$1 d=$2 b=$3 f; shift 3
  for f in "$@"; do cmp -s "$d/$f" "$b/$f" || { bad "$name: $f changed"; return; }; done; ok
  ls "$d" | grep -q '\.tmp' && bad "$name: temporary file left: $(ls "$d" | grep '\.tmp')" || ok
}

# the shim works at all (else every check below would pass for nothing)
out=$(faulty fopen EACCES probe.txt -- "$R" soup --help 2>&1) && ok || bad "the shim breaks a plain command: $out"

# ---- a training's save ----
"$R" train --env hopper --steps 1024 --n-steps 256 --threads 1 --quiet --seed 3 --out "$T/a" >/dev/null 2>&1 || bad "setup run"
cp -a "$T/a" "$T/a.bak"
CK=(policy.safetensors train.safetensors config.json)
expect_fail train-fsync "train.safetensors.*fsync.*Input/output error" -- \
  faulty fsync EIO train.safetensors -- "$R" train --resume "$T/a" --steps 2048 --quiet
# the resume point survives; the policy, saved first, may be ahead of it, and loads
same_files train-fsync "$T/a" "$T/a.bak" train.safetensors config.json
"$R" act "$T/a/policy.safetensors" </dev/null && ok || bad "train-fsync: policy.safetensors does not load"
expect_fail train-rename "policy.safetensors.*rename.*No space left" -- \
  faulty rename ENOSPC policy.safetensors -- "$R" train --resume "$T/a" --steps 2048 --quiet
same_files train-rename "$T/a" "$T/a.bak" train.safetensors config.json
expect_fail train-log "log.jsonl" -- faulty fopen EACCES log.jsonl -- "$R" train --resume "$T/a" --steps 2048 --quiet
expect_fail train-config "config.json" -- faulty rename EIO config.json -- \
  "$R" train --env hopper --steps 512 --threads 1 --quiet --out "$T/newrun"
# after the faults the run resumes and ends where an unfaulted run does
"$R" train --resume "$T/a" --steps 2048 --quiet >/dev/null 2>&1 && ok || bad "resume after the faults"
cp -a "$T/a.bak" "$T/clean" && "$R" train --resume "$T/clean" --steps 2048 --quiet >/dev/null 2>&1
cmp -s "$T/a/policy.safetensors" "$T/clean/policy.safetensors" && cmp -s "$T/a/train.safetensors" "$T/clean/train.safetensors" \
  && ok || bad "after the faults the run ends elsewhere than an unfaulted one"

# ---- soup and front ----
expect_fail soup-fsync "fsync.*Input/output error" -- faulty fsync EIO soup.safetensors -- \
  "$R" soup "$T/a" "$T/a.bak" --lambda 0.5 --out "$T/soup.safetensors"
[ ! -e "$T/soup.safetensors" ] && ok || bad "soup-fsync left an output"
FRONT=("$T/a" "$T/a.bak" --grid 3 --episodes 1 --threads 1 --quiet --rewards "risky;cautious")
expect_fail front-open "cannot write .*f.csv" -- faulty fopen EACCES f.csv -- "$R" front "${FRONT[@]}" --out "$T/f.csv"
"$R" front "${FRONT[@]}" --out "$T/f.csv" >/dev/null 2>&1 || bad "front setup"
cp "$T/f.csv" "$T/f.bak"
expect_fail front-resume-open "cannot write .*f.csv" -- faulty fopen EACCES f.csv -- "$R" front "${FRONT[@]}" --out "$T/f.csv" --resume
cmp -s "$T/f.csv" "$T/f.bak" && ok || bad "front-resume-open changed the front"

# a front file without a header (a start cut short: a kill, or a full disk under an older
# rsoup left a 0-byte or comments-only file) is a front not yet started: both a plain run and
# --resume make it, the same as a new file
for cut in empty comments; do
  if [ $cut = empty ]; then : > "$T/h_$cut.csv"; else grep '^#' "$T/f.bak" > "$T/h_$cut.csv"; fi
  cp "$T/h_$cut.csv" "$T/p_$cut.csv"
  out=$("$R" front "${FRONT[@]}" --out "$T/h_$cut.csv" --resume 2>&1) && ok || bad "front --resume on a $cut file: $out"
  diff -q <(grep -v '^#' "$T/f.bak") <(grep -v '^#' "$T/h_$cut.csv") >/dev/null && ok || bad "front --resume on a $cut file: rows differ"
  out=$("$R" front "${FRONT[@]}" --out "$T/p_$cut.csv" 2>&1) && ok || bad "front on a $cut file: $out"
  diff -q <(grep -v '^#' "$T/f.bak") <(grep -v '^#' "$T/p_$cut.csv") >/dev/null && ok || bad "front on a $cut file: rows differ"
done

# ---- experiment stamps ----
cat > "$T/exp.json" <<'EOF'
{"name": "faults", "env": "hopper", "rewards": {"risky": "risky", "cautious": "cautious"},
 "pretrain": {"steps": 512}, "finetune": {"steps": 256}, "ppo": {"n_steps": 128, "epochs": 1},
 "front": {"grid": 3, "episodes": 1}}
EOF
expect_fail exp-stamp "stamp .*could not be written" -- faulty rename EIO .done -- \
  "$R" experiment "$T/exp.json" --out "$T/e" --quiet --threads 1
[ ! -e "$T/e/pretrain/.done" ] && ok || bad "exp-stamp: a done stamp was written"
out=$("$R" experiment "$T/exp.json" --out "$T/e" --quiet --threads 1 2>&1) && [ -s "$T/e/front.csv" ] && ok || bad "experiment after the fault: $(tail -3 <<<"$out")"
# an experiment whose front was left empty by a killed or starved start (its started stamp
# matches): the rerun completes it
cp "$T/e/front.csv" "$T/e.front.bak"
: > "$T/e/front.csv"; rm "$T/e/front.csv.done"
out=$("$R" experiment "$T/exp.json" --out "$T/e" --quiet --threads 1 2>&1) && ok || bad "experiment with an empty front: $(tail -3 <<<"$out")"
diff -q <(grep -v '^#' "$T/e.front.bak") <(grep -v '^#' "$T/e/front.csv") >/dev/null && ok || bad "experiment with an empty front: rows differ"

# ---- a full disk (a 1 MiB tmpfs) ----
mkdir -p "$T/mnt"
if { [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=1m tmpfs "$T/mnt" 2>/dev/null; }; then
  MNT="$T/mnt"
  cp -a "$T/a.bak" "$MNT/a"
  cp -a "$MNT/a" "$T/full.bak"
  # fill what is left
  dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
  expect_fail full-train "No space left on device" -- "$R" train --resume "$MNT/a" --steps 2048 --quiet
  same_files full-train "$MNT/a" "$T/full.bak" train.safetensors config.json
  expect_fail full-soup "No space left on device" -- "$R" soup "$T/a" "$T/a.bak" --lambda 0.5 --out "$MNT/s.safetensors"
  [ ! -e "$MNT/s.safetensors" ] && ok || bad "full-soup left an output"
  expect_fail full-front "No space left|cannot write" -- "$R" front "${FRONT[@]}" --out "$MNT/f.csv"
  # nothing is left that a rerun would refuse: no file, or one without a header
  { [ ! -e "$MNT/f.csv" ] || [ "$(grep -vc '^#' "$MNT/f.csv")" = 0 ]; } && ok || bad "full-front left rows: $(cat "$MNT/f.csv")"
  cp "$MNT/f.csv" "$T/full-front.left" 2>/dev/null
  expect_fail full-exp "No space left|cannot (write|create)" -- "$R" experiment "$T/exp.json" --out "$MNT/e" --quiet --threads 1
  rm -f "$MNT/filler"
  # once space is back, the front that the full disk stopped completes, resumed or rerun
  out=$("$R" front "${FRONT[@]}" --out "$MNT/f.csv" --resume 2>&1) && ok || bad "front --resume once space is back: $out"
  diff -q <(grep -v '^#' "$T/f.bak") <(grep -v '^#' "$MNT/f.csv") >/dev/null && ok || bad "front --resume once space is back: rows differ"
  rm -f "$MNT/f.csv"
  [ -e "$T/full-front.left" ] && cp "$T/full-front.left" "$MNT/f.csv"
  out=$("$R" front "${FRONT[@]}" --out "$MNT/f.csv" 2>&1) && ok || bad "front rerun once space is back: $out"
  rm -f "$MNT/f.csv"
  # the disk fills while a run trains without checkpoints: it stops at the
  # next log line, not at the final save
  "$R" train --env hopper --steps 4000000 --n-steps 256 --save-every 0 --threads 1 --quiet --out "$MNT/logrun" >"$T/logrun.out" 2>&1 &
  lp=$!
  for _ in $(seq 600); do [ -s "$MNT/logrun/log.jsonl" ] && break; sleep 0.05; done
  dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
  wait $lp; rc=$?
  [ "$rc" = 1 ] && grep -q "cannot write .*log.jsonl or progress.csv: No space left" "$T/logrun.out" && ok || bad "a full disk mid-run: rc=$rc $(tail -2 "$T/logrun.out")"
  rm -f "$MNT/filler"; rm -rf "$MNT/logrun"
  out=$("$R" train --resume "$MNT/a" --steps 2048 --quiet 2>&1) && ok || bad "resume once space is back: $out"
else
  echo "cli_faults: cannot mount a tmpfs here (not root?): the full-disk cases are skipped"
fi

echo "cli_faults: $pass passed, $fail failed"
[ "$fail" = 0 ]
