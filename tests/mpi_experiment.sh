#!/usr/bin/env bash
# mpi_experiment.sh — a 2-rank experiment on a tiny budget writes the same
# files as the 1-rank run (jobs spread over ranks by rank 0's work queue);
# train under mpirun: SAC refused, an unwritable folder stops every rank,
# evaluations on rank 0 leave the ranks in step.
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cat > "$T/tiny.json" <<'JSON'
{"name": "tiny", "env": "halfcheetah",
 "rewards": {"risky": "risky", "cautious": "cautious"},
 "pretrain": {"steps": 1024}, "finetune": {"steps": 512},
 "ppo": {"n_steps": 256, "epochs": 1},
 "front": {"grid": 3, "episodes": 1},
 "morl": {"mu": [0.5], "steps": 512}, "control": {"steps": 512}}
JSON
mkdir -p "$T/one" "$T/two"
(cd "$T/one" && "$R" experiment ../tiny.json --out exp --quiet --threads 1 >/dev/null 2>"$T/one.log") || { cat "$T/one.log"; echo "mpi_experiment: 0 passed, 1 failed"; exit 1; }
(cd "$T/two" && mpirun -np 2 --oversubscribe "$R" experiment ../tiny.json --out exp --quiet --threads 1 >/dev/null 2>"$T/two.log") || { cat "$T/two.log"; echo "mpi_experiment: 0 passed, 1 failed"; exit 1; }
pass=0; fail=0
grep -q "started on rank 1" "$T/two.log" && pass=$((pass+1)) || { echo "FAIL: no job ran on rank 1"; fail=$((fail+1)); }
# metrics.json: the same numbers; its provenance (time, date, threads) may differ
prov='"([a-z_]*wall_time_s|date|threads)":'
if cmp -s <(grep -vE "$prov" "$T/one/exp/metrics.json") <(grep -vE "$prov" "$T/two/exp/metrics.json"); then pass=$((pass+1));
else echo "FAIL: metrics.json differs"; diff "$T/one/exp/metrics.json" "$T/two/exp/metrics.json" | head; fail=$((fail+1)); fi
for f in front.csv control_front.csv pretrain/policy.safetensors expert_risky/policy.safetensors \
         expert_cautious/policy.safetensors morl_0/policy.safetensors control_risky/policy.safetensors; do
  if cmp -s "$T/one/exp/$f" "$T/two/exp/$f"; then pass=$((pass+1)); else echo "FAIL: $f differs"; fail=$((fail+1)); fi
done
# SAC is not data-parallel: under mpirun it is refused before any rank writes
out=$(mpirun -np 2 --oversubscribe "$R" train --algo sac --env hopper --steps 100 --out "$T/sac" 2>&1)
if [ $? != 0 ] && grep -q "SAC is not data-parallel" <<<"$out" && [ ! -e "$T/sac" ]; then pass=$((pass+1));
else echo "FAIL: SAC under mpirun: $out"; fail=$((fail+1)); fi
# a run directory rank 0 cannot write: every rank stops (none waits in a collective)
mkdir -p "$T/bad/config.json/x"
out=$(timeout 120 mpirun -np 2 --oversubscribe "$R" train --env hopper --steps 20000 --n-steps 128 --epochs 1 --out "$T/bad" 2>&1); rc=$?
if [ $rc != 0 ] && [ $rc != 124 ] && grep -q "cannot write .*config.json" <<<"$out" && [ ! -e "$T/bad/config.json.tmp" ]; then pass=$((pass+1));
else echo "FAIL: unwritable run dir under mpirun: rc=$rc $out"; fail=$((fail+1)); fi
# data-parallel PPO with evaluations: rank 0 alone evaluates, between two
# of its collectives; the ranks finish (none waits forever) with the
# evaluations in the log, and the same policy as without them
E=(--env hopper --steps 2048 --n-steps 128 --epochs 1 --threads 1 --quiet)
out=$(timeout 300 mpirun -np 2 --oversubscribe "$R" train "${E[@]}" --eval-every 2 --eval-episodes 2 --out "$T/ev" 2>&1); rc=$?
timeout 300 mpirun -np 2 --oversubscribe "$R" train "${E[@]}" --out "$T/noev" >/dev/null 2>&1
evals=$(grep -o '"update":[0-9]*,.*"eval":{"episodes":2' "$T/ev/log.jsonl" 2>/dev/null | cut -d, -f1 | tr '\n' ' ')
if [ $rc = 0 ] && [ "$evals" = '"update":2 "update":4 ' ] && cmp -s "$T/ev/policy.safetensors" "$T/noev/policy.safetensors"; then pass=$((pass+1));
else echo "FAIL: evaluations under mpirun: rc=$rc evals '$evals' $out"; fail=$((fail+1)); fi
echo "mpi_experiment: $pass passed, $fail failed"
[ "$fail" = 0 ]
