#!/usr/bin/env bash
# cli_basic.sh — the rsoup program's help, JSON output and bad-input errors.
set -u
R=${RSOUP_BIN:-build/rsoup}
fail=0; pass=0
expect() { # expect NAME WANT_RC PATTERN -- cmd...
  local name=$1 want=$2 pat=$3; shift 4
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ] || ! grep -qE -- "$pat" <<<"$out"; then
    echo "FAIL $name: rc=$rc (want $want), output:"; echo "$out" | head -20; fail=$((fail+1))
  else pass=$((pass+1)); fi
}
expect help 0 "commands:" -- "$R" --help
expect no-args 2 "usage" -- "$R"
expect unknown-cmd 2 "unknown command" -- "$R" frobnicate
expect envs 0 "humanoid +376 +17" -- "$R" envs
expect envs-one 0 "cautious" -- "$R" envs hopper
expect envs-json 0 '"obs_dim":[[:space:]]*376' -- "$R" envs --json
expect envs-bad 1 "unknown env 'hoper' \(valid: hopper" -- "$R" envs hoper
expect envs-help 0 "usage: rsoup envs" -- "$R" envs --help
expect rollout 0 "hopper +3 " -- "$R" rollout --env hopper --episodes 3 --threads 1
expect rollout-json 0 '"return_mean"' -- "$R" rollout --env swimmer --episodes 1 --json
expect rollout-badreward 1 "column 1" -- "$R" rollout --env hopper --episodes 1 --reward forwrd=1
expect rollout-badint 2 "expects an integer" -- "$R" rollout --episodes abc
expect rollout-badopt 2 "unknown option '--epsiodes'" -- "$R" rollout --epsiodes 3
expect rollout-missing 2 "needs a value" -- "$R" rollout --env
expect reward-warning 0 "already a cost" -- "$R" rollout --env hopper --episodes 1 --reward "forward=1,ctrl=-0.001"
expect bench-env 0 '"env_over_raw"' -- "$R" bench env --env hopper --steps 300 --repeat 1 --json
expect bench-what 2 "say what" -- "$R" bench
# --json puts one JSON object on stdout and nothing else
out=$("$R" rollout --env hopper --episodes 1 --json 2>/dev/null)
if [ "${out:0:1}" != "{" ] || [ "${out: -1}" != "}" ]; then echo "FAIL json-only: $out"; fail=$((fail+1)); else pass=$((pass+1)); fi
echo "cli_basic: $pass passed, $fail failed"
[ "$fail" = 0 ]
