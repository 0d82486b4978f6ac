#!/usr/bin/env bash
# cli_outputs.sh — what the commands say on a tiny pipeline (a shared init,
# two experts fine-tuned from it, one from scratch): the one JSON shape for
# per-reward and per-term numbers, soups evaluated on their experts' rewards,
# warnings for experts of different inits, the front's banner against its rows,
# lmc's path between two experts against front's soups.
set -u
R=${RSOUP_BIN:-build/rsoup}
case $R in /*) ;; *) R=$PWD/$R ;; esac
SRC=$(cd "${RSOUP_SRC:-.}" && pwd)
fail=0; pass=0
T=$(mktemp -d "${TMPDIR:-/tmp}/rs_cli_outputs.XXXXXX")
trap 'rm -rf "$T"' EXIT
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $*"; fail=$((fail+1)); }
. "$(dirname "$0")/lib.sh"
flat() { tr -d ' \n\t'; }
cd "$T" || exit 1
ppo=(--env hopper --n-steps 128 --arch 8,8 --threads 1 --quiet)
"$R" train "${ppo[@]}" --steps 512 --seed 1 --out pre &&
"$R" train "${ppo[@]}" --reward risky --init pre --steps 256 --seed 2 --out a &&
"$R" train "${ppo[@]}" --reward cautious --init pre --steps 256 --seed 3 --out b &&
"$R" train "${ppo[@]}" --reward cautious --steps 256 --seed 4 --out c ||
  { echo "FAIL cli_outputs: training the tiny experts failed"; exit 1; }

# ---- soups: the label of the method, a warning when the inits differ ----
expect soup-fisher-label 0 "mixed 2 experts \(Fisher-weighted;" -- \
  "$R" soup a b --lambda 0.5 --method fisher --fisher-steps 200 --out f.safetensors
expect soup-linear-label 0 "mixed 2 experts \(linear;" -- "$R" soup a b --lambda 0.5 --out s.safetensors
expect soup-other-init 0 "warning: the experts do not share an init" -- "$R" soup a c --lambda 0.5 --out x.safetensors
for pair in "a b" "pre a" "b pre"; do
  out=$("$R" soup $pair --lambda 0.5 --out x.safetensors 2>&1)
  grep -q "share an init" <<<"$out" && bad "soup $pair warned about inits: $out" || ok
done
out=$("$R" front a c --grid 2 --episodes 1 --threads 1 --quiet --out fc.csv 2>&1)
[ "$(grep -c "do not share an init" <<<"$out")" = 1 ] && ok || bad "front of other inits: $out"

# ---- eval of a soup scores it on each expert's reward, then the default ----
js=$("$R" eval s.safetensors --episodes 1 --threads 1 --json | flat)
grep -q '"rewards":\[{"reward":"risky","mean":[^}]*},{"reward":"cautious","mean":[^}]*},{"reward":"default","mean":[^}]*}\]' <<<"$js" &&
  ok || bad "eval of a soup: not its experts' rewards: $js"
js=$("$R" eval a --episodes 1 --threads 1 --json | flat)
grep -q '"rewards":\[{"reward":"risky","mean":[^}]*},{"reward":"default",' <<<"$js" && ok || bad "eval of an expert: $js"

# ---- front: the banner counts the rows it writes ----
out=$("$R" front a b --grid 3 --episodes 1 --threads 1 --init pre --baseline c --out fr.csv --json 2>&1 >fr.json)
n=$(sed -n 's/.* \([0-9]*\) rows to evaluate.*/\1/p' <<<"$out")
rows=$(grep -v '^#' fr.csv | tail -n +2 | wc -l)
[ -n "$n" ] && [ "$n" = "$rows" ] && [ "$rows" = 7 ] && ok || bad "front banner says '$n' rows, $rows written: $out"

# ---- JSON: per-reward and per-term numbers are lists of named objects ----
js=$(flat <fr.json)
grep -q '"rewards":\[{"reward":"risky","mean":[-0-9.e]*,"std":[-0-9.e]*},{"reward":"cautious",' <<<"$js" &&
  grep -q '"terms":\[{"name":"forward","mean":' <<<"$js" && ! grep -q '"returns"' <<<"$js" && ok ||
  bad "front --json rows: $js"
js=$("$R" lmc --front fr.csv --json | flat)
grep -q '"rewards":\[{"reward":"risky","path":\[{"lambda":0,"mean":[-0-9.e]*},{"lambda":0.5,' <<<"$js" &&
  ! grep -q '"returns"' <<<"$js" && ok || bad "lmc --json: $js"
js=$("$R" eval a --episodes 2 --threads 1 --per-episode --json | flat)
grep -q '"terms":\[{"name":"forward","mean":[-0-9.e]*,"std":' <<<"$js" &&
  grep -q '"per_episode":\[{"episode":0,"length":[0-9]*,"rewards":\[{"reward":"risky","return":[-0-9.e]*},' <<<"$js" &&
  grep -q '"terms":\[{"name":"forward","return":' <<<"$js" && ok || bad "eval --json: $js"
js=$("$R" select fr.csv --weights 0.5,0.5 --json | flat)
grep -q '"rewards":\[{"reward":"risky","mean":[-0-9.e]*,"std":[-0-9.e]*},{"reward":"cautious",' <<<"$js" &&
  grep -q '"terms":\[{"name":"forward","mean":' <<<"$js" && ! grep -q '"objectives"' <<<"$js" && ok || bad "select --json: $js"
js=$("$R" rollout --env swimmer --episodes 2 --threads 1 --json | flat)
grep -q '"rewards":\[{"reward":"default","mean":[-0-9.e]*,"std":[-0-9.e]*}\],"terms":\[{"name":"forward","mean":' <<<"$js" &&
  ok || bad "rollout --json: $js"

# ---- act --json: one object per row answered (JSON Lines), the CSV's numbers ----
obs='1.25,0,0,0,0,0,0,0,0,0,0'
csv=$(printf '%s\n# a comment\n%s\n' "$obs" "$obs" | "$R" act a/policy.safetensors | head -1)
out=$(printf '%s\n# a comment\n%s\n' "$obs" "$obs" | "$R" act a/policy.safetensors --json)
[ "$(wc -l <<<"$out")" = 2 ] && [ "$(head -1 <<<"$out")" = "{\"line\": 1, \"action\": [${csv//,/, }]}" ] &&
  grep -q '^{"line": 3, "action": \[' <<<"$out" && ok || bad "act --json: $out (csv $csv)"

# ---- --model (a user's MJCF variant) for rollout and bench env ----
sed 's|<option timestep="0.002" integrator="RK4"/>|<option timestep="0.002" integrator="RK4" gravity="0 0 -3"/>|' \
  "$SRC/envs/assets/hopper.xml" > low.xml
sed 's/name="thigh_joint"/name="thighs"/' "$SRC/envs/assets/hopper.xml" > bad.xml
grep -q 'gravity="0 0 -3"' low.xml || bad "low-gravity variant not made"
l0=$("$R" rollout --env hopper --policy zero --episodes 2 --threads 1 | awk 'NR == 2 {print $5}')
l1=$("$R" rollout --env hopper --policy zero --episodes 2 --threads 1 --model low.xml | awk 'NR == 2 {print $5}')
awk -v a="$l0" -v b="$l1" 'BEGIN { exit !(b > a + 10) }' && ok || bad "rollout --model: lengths $l0 then $l1 under low gravity"
expect rollout-model-json 0 '"model":[[:space:]]*"low.xml"' -- "$R" rollout --env hopper --episodes 1 --threads 1 --model low.xml --json
expect rollout-model-bad 1 "bad.xml" -- "$R" rollout --env hopper --episodes 1 --model bad.xml
out=$("$R" rollout --env hopper --episodes 1 --model bad.xml 2>/dev/null)
[ -z "$out" ] && ok || bad "rollout printed a table before refusing its model: $out"
expect rollout-model-all 2 "give --env too" -- "$R" rollout --model low.xml
expect bench-model 0 '"model":[[:space:]]*"low.xml"' -- "$R" bench env --env hopper --steps 300 --repeat 1 --threads 1 --model low.xml --json
expect bench-model-bad 1 "bad.xml" -- "$R" bench env --env hopper --steps 300 --repeat 1 --threads 1 --model bad.xml

# ---- benches warn when the machine is busier than its cores ----
echo "9999.00 1.00 1.00 1/100 1" > busy; echo "0.00 0.00 0.00 1/100 1" > idle
out=$(RSOUP_LOADAVG_FILE=busy "$R" bench env --env hopper --steps 300 --repeat 1 --threads 1 --json 2>err)
[ "$(grep -c "warning: the 1-minute load average is 9999.00" err)" = 1 ] &&
  grep -q '"load_over_cores":[[:space:]]*true' <<<"$out" && grep -q '"load_1min":[[:space:]]*9999' <<<"$out" && ok ||
  bad "bench env under load: $out $(cat err)"
out=$(RSOUP_LOADAVG_FILE=idle "$R" bench train --env hopper --steps 2048 --threads 1 --json 2>err)
! grep -q "load average" err && grep -q '"load_over_cores":[[:space:]]*false' <<<"$out" && ok || bad "bench train idle: $out $(cat err)"
RSOUP_LOADAVG_FILE=busy "$R" bench train --env hopper --steps 2048 --threads 1 >/dev/null 2>err
grep -q "warning: the 1-minute load average" err && ok || bad "bench train under load: $(cat err)"

# ---- progress: experiment jobs name themselves; bars fit the terminal ----
cat > mini.json <<'JSON'
{"name": "mini", "env": "hopper", "rewards": {"risky": "risky", "cautious": "cautious"},
 "pretrain": {"reward": "default", "steps": 512}, "finetune": {"steps": 256},
 "ppo": {"n_steps": 128, "epochs": 1, "arch": "8,8"}, "front": {"grid": 2, "episodes": 1}, "control": false}
JSON
out=$("$R" experiment mini.json --out mini --jobs 2 --threads 2 2>&1 >/dev/null)
grep -q '^\[expert_risky\] train hopper: 100%' <<<"$out" && grep -q '^\[front\] front: 100%' <<<"$out" && ok ||
  bad "experiment jobs' progress lines do not name their job: $out"
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
  # on a 50-column terminal no redraw of the bar is wider than 49 columns
  script -qec "stty cols 50; '$R' train ${ppo[*]/--quiet/} --steps 4096 --out tty1" /dev/null > tty.out 2>&1
  long=$(tr '\r' '\n' < tty.out | sed 's/\x1b\[K//g' | grep 'train hopper' | awk 'length > 49' | head -3)
  n=$(tr '\r' '\n' < tty.out | grep -c 'train hopper')
  [ "$n" -ge 1 ] && [ -z "$long" ] && ok || bad "bars wider than a 50-column terminal ($n bars): $long"
  # jobs side by side on one terminal write lines, not bars over each other
  rm -rf mini
  script -qec "'$R' experiment mini.json --out mini --jobs 2 --threads 2" /dev/null > tty2.out 2>&1
  ! grep -q $'\x1b\\[K' tty2.out && grep -q '\[expert_cautious\] train hopper: 100%' tty2.out && ok ||
    bad "parallel jobs drew bars on the terminal: $(cat -v tty2.out | head -20)"
else
  echo "cli_outputs: no working 'script' here: skipping the terminal checks"
fi

# ---- plot_front.sh: a training run folder gets its learning curves, a policy a message ----
if command -v gnuplot >/dev/null; then
  P="$SRC/experiments/plot_front.sh"
  bash "$P" a >/dev/null 2>err && [ -s a/curves.png ] && grep -q "learning curves only" err && ok || bad "plot_front.sh on a run folder: $(cat err)"
  rm -f a/curves.*
  bash "$P" a/progress.csv >/dev/null 2>err && [ -s a/curves.png ] && [ ! -e a/front.png ] && ok || bad "plot_front.sh on progress.csv: $(cat err)"
  bash "$P" a/policy.safetensors >/dev/null 2>err; rc=$?
  [ "$rc" = 1 ] && grep -q "is not a CSV of points: give an experiment folder" err && ! grep -q multiplot err && ok || bad "plot_front.sh on a policy: rc=$rc $(cat err)"
  mkdir empty; bash "$P" empty >/dev/null 2>err; rc=$?
  [ "$rc" = 1 ] && grep -q "give an experiment folder" err && ok || bad "plot_front.sh on an empty folder: rc=$rc $(cat err)"
else
  echo "cli_outputs: gnuplot not found: skipping the plot_front.sh checks"
fi

# ---- lmc A B evaluates the path as rsoup front evaluates its soups: the
# report equals the one over front's file of the same grid, episodes, seed ----
"$R" front a b --grid 3 --episodes 2 --seed 5 --threads 1 --quiet --out path3.csv >/dev/null 2>&1
p1=$("$R" lmc a b --grid 3 --episodes 2 --seed 5 --threads 1 --quiet 2>&1)
p2=$("$R" lmc --front path3.csv 2>&1)
[ -n "$p1" ] && [ "$p1" = "$p2" ] && ok ||
  bad "lmc a b and lmc --front of its front differ: $p1 /// $p2"

# ---- lmc and view read a front as pareto does (issue 27) ----
# a NaN, inf or 1e400 return in a soup row: every comparison false said
# "linearly connected"; pareto's check refuses it, alone or among fronts
for v in nan inf 1e400; do
  awk -F, -v v=$v 'BEGIN { OFS = "," } $1 == "soup" && $2 == "0.5" { $6 = v } { print }' fr.csv > fr_$v.csv
  cmp -s fr.csv fr_$v.csv && { bad "front with $v not made"; continue; }
  expect "lmc-front-$v" 1 "fr_$v.csv': soup row '0.5': objective 'risky' is (nan|inf)" -- "$R" lmc --front fr_$v.csv
  expect "lmc-fronts-$v" 1 "fr_$v.csv': soup row '0.5'" -- "$R" lmc --front fr.csv fr_$v.csv
  expect "pareto-front-$v" 1 "fr_$v.csv': soup row '0.5': objective 'risky' is (nan|inf)" -- "$R" pareto fr_$v.csv
done
expect lmc-same-front 2 "are the same file: each front counts as one seed" -- "$R" lmc --front fr.csv fr.csv
cp fr.csv fr_copy.csv
expect lmc-front-copy 2 "are copies of one file" -- "$R" lmc --front fr.csv fr_copy.csv
# view: a front of other experts, or holding a NaN, is not drawn as this soup's
# (checked before any window: no display needed)
if ! "$R" view --help 2>&1 | grep -q "built without the viewer"; then
  "$R" front a c --grid 3 --episodes 1 --threads 1 --quiet --out frac.csv >/dev/null 2>&1
  expect view-front-other 1 "warning: --front frac.csv was made from 'a/policy.safetensors;c/policy.safetensors', not from the experts given: it is not drawn" -- \
    env -u DISPLAY -u WAYLAND_DISPLAY "$R" view a b --front frac.csv --screenshot v.png --frames 1
  expect view-front-nan 1 "warning: --front 'fr_nan.csv': soup row '0.5'.*: it is not drawn" -- \
    env -u DISPLAY -u WAYLAND_DISPLAY "$R" view a b --front fr_nan.csv --screenshot v.png --frames 1
  out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$R" view a b --front fr.csv --screenshot v.png --frames 1 2>&1)
  ! grep -q "warning: --front" <<<"$out" && ok || bad "view warned about its own front: $out"
  mkfifo model.fifo
  expect view-model-fifo 1 "model file: 'model.fifo' is not a regular file" -- \
    timeout 60 env -u DISPLAY -u WAYLAND_DISPLAY "$R" view a b --model model.fifo --screenshot v.png --frames 1
fi

# ---- exit codes: 2 when the command line is wrong, 1 when the run fails ----
code() { # code WANT cmd...: the exit status only
  local want=$1; shift
  "$@" >/dev/null 2>&1; local rc=$?
  [ "$rc" = "$want" ] && ok || bad "exit $rc, want $want: $*"
}
code 2 "$R" envs hoper
code 2 "$R" rollout --env hoper
code 2 "$R" rollout --env hopper --reward forwrd=1
code 2 "$R" bench env --env hoper
code 2 "$R" bench train --env hoper
code 2 "$R" train --env hoper --out t1
code 2 "$R" train --env hopper --reward forwrd=1 --out t2
code 2 "$R" train --env hopper --bogus
code 2 "$R" eval a --reward forwrd=1
code 2 "$R" eval a --episodes 0
code 1 "$R" eval nope
code 2 "$R" act a/policy.safetensors --bogus
code 1 "$R" act nope.safetensors
code 2 "$R" soup a b --lambda 2 --out x.safetensors
code 1 "$R" soup a nope --lambda 0.5 --out x.safetensors
code 2 "$R" front a b --rewards forwrd=1 --out f2.csv
code 2 "$R" front a b --method bogus --out f2.csv
code 1 "$R" front a nope --out f2.csv
code 2 "$R" lmc a b --rewards forwrd=1
code 2 "$R" lmc a
code 1 "$R" lmc --front nope.csv
code 2 "$R" pareto fr.csv --ref 1
code 1 "$R" pareto nope.csv
code 2 "$R" select fr.csv --weights 1,2,3
code 1 "$R" select nope.csv --weights 1,0
code 2 "$R" experiment
out=$(env -u DISPLAY "$R" view --bench --env hoper --frames 1 2>&1); rc=$?
grep -q "built without the viewer" <<<"$out" || { [ "$rc" = 2 ] && ok || bad "view --bench --env hoper: exit $rc: $out"; }
code 2 "$R" view --bogus
code 1 "$R" experiment nope.json
[ ! -e t1 ] && [ ! -e t2 ] && [ ! -e f2.csv ] && ok || bad "a refused command line left files behind"

echo "cli_outputs: $pass passed, $fail failed"
[ "$fail" = 0 ]
