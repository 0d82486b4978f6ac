#!/usr/bin/env bash
# cli_sac.sh — `rsoup train --algo sac` end to end on a tiny run: the run
# directory's files, bit-exact resume with the replay buffer, the refusal
# without it, --init, eval of the SAC policy, the refusal of its training
# checkpoint as a policy, --help and the SAC benchmark.
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d /tmp/rs_cli_sac.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
. "$(dirname "$0")/lib.sh"
TINY=(--algo sac --env hopper --steps 1200 --learning-starts 300 --arch 32,32 --batch-size 32
      --buffer-size 2000 --log-every 300 --threads 1 --quiet)
expect help 0 "policy_frequency.*2" -- "$R" train --help
expect help-memory 0 "halfcheetah +165 B/transition +165.0 MB" -- "$R" train --help
expect bad-key 2 "unknown SAC key" -- "$R" train --algo sac --lr 1e-3 --out "$T/x"
expect bad-algo 2 "ppo or sac" -- "$R" train --algo ddpg --out "$T/x"
expect train 0 "" -- "$R" train "${TINY[@]}" --save-replay --out "$T/full"
for f in config.json log.jsonl progress.csv policy.safetensors train.safetensors; do
  [ -s "$T/full/$f" ] && ok || bad "missing $f"
done
[ "$(wc -l < "$T/full/log.jsonl")" = 4 ] && ok || bad "log.jsonl lines: $(wc -l < "$T/full/log.jsonl")"
head -1 "$T/full/progress.csv" | grep -q "^iter,step,time_s,steps_per_s,ep_return" && ok || bad "csv header"
grep -qE '"algo":[[:space:]]*"sac"' "$T/full/config.json" && ok || bad "config.json algo"
# resume: 2 iterations, then the rest, must give the same files
expect half 0 "" -- "$R" train "${TINY[@]}" --save-replay --out "$T/half" --max-iters 2
expect resume 0 "" -- "$R" train --resume "$T/half" --quiet
cmp -s "$T/full/policy.safetensors" "$T/half/policy.safetensors" && ok || bad "resumed policy differs"
cmp -s "$T/full/train.safetensors" "$T/half/train.safetensors" && ok || bad "resumed train state differs"
expect resume-change 2 "cannot change when resuming" -- "$R" train --resume "$T/half" --gamma 0.9
# without the buffer: refused, with the way out in the message
expect nobuf 0 "" -- "$R" train "${TINY[@]}" --out "$T/nobuf" --max-iters 2
expect nobuf-resume 1 "without its replay buffer" -- "$R" train --resume "$T/nobuf"
expect nobuf-hint 1 "rsoup train --algo sac --init" -- "$R" train --resume "$T/nobuf"
expect init 0 "" -- "$R" train "${TINY[@]}" --reward "forward=1,healthy=1" --init "$T/nobuf" --steps 600 --out "$T/ft"
expect init-meta 0 "rs_cli_sac.*nobuf/train.safetensors@" -- strings "$T/ft/policy.safetensors"
expect ppo 0 "" -- "$R" train --env hopper --steps 256 --n-steps 128 --minibatch 64 --threads 1 --quiet --out "$T/ppo"
expect init-ppo 1 "it is a ppo policy" -- "$R" train --algo sac --env hopper --init "$T/ppo" --out "$T/y" --quiet
# a --config with "algo": "sac" selects SAC without --algo
printf '{"algo": "sac", "env": "swimmer", "arch": "16,16", "batch_size": 16, "learning_starts": 100,\n "log_every": 200, "total_steps": 400, "threads": 1}\n' > "$T/sac.json"
expect config 0 "" -- "$R" train --config "$T/sac.json" --quiet --out "$T/cfg"
grep -qE '"env":[[:space:]]*"swimmer"' "$T/cfg/config.json" && grep -qE '"batch_size":[[:space:]]*16' "$T/cfg/config.json" && ok || bad "--config not applied"
expect eval 0 '"episodes":[[:space:]]*2' -- "$R" eval "$T/full" --episodes 2 --json
# a training checkpoint is not a policy: every command that reads experts
# refuses it with the one message, naming the file
TC="$T/full/train.safetensors"
MSG="'$TC' is a training checkpoint \(the policy plus optimiser, env and RNG state\), not a policy"
expect train-front 1 "$MSG" -- "$R" front "$TC" "$TC" --grid 2 --episodes 1 --threads 1 --quiet --out "$T/f.csv"
expect train-soup 1 "$MSG" -- "$R" soup "$TC" "$T/full" --lambda 0.5 --out "$T/s.st"
expect train-eval 1 "$MSG" -- "$R" eval "$TC" --episodes 1
expect train-act 1 "$MSG" -- "$R" act "$TC" --obs /dev/null
expect train-view 1 "$MSG" -- env -u DISPLAY -u WAYLAND_DISPLAY "$R" view "$TC" "$T/full"
[ ! -e "$T/f.csv" ] && [ ! -e "$T/s.st" ] && ok || bad "a refused training checkpoint left a file"
expect bench 0 '"flops_per_update"' -- "$R" bench train --algo sac --env hopper --arch 32,32 --batch-size 32 --updates 5 --steps 0 --repeat 1 --threads 1 --json
expect bench_rounds 0 '"of_round_peak_median"' -- "$R" bench train --algo sac --env hopper --arch 32,32 --batch-size 32 --updates 5 --steps 0 --repeat 2 --threads 2 --json
echo "cli_sac: $pass passed, $fail failed"
[ "$fail" = 0 ]
