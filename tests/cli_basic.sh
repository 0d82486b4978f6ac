#!/usr/bin/env bash
# cli_basic.sh — the rsoup program's help, JSON output and bad-input errors.
set -u
R=${RSOUP_BIN:-build/rsoup}
fail=0; pass=0
. "$(dirname "$0")/lib.sh"
expect help 0 "commands:" -- "$R" --help
expect no-args 2 "usage" -- "$R"
expect unknown-cmd 2 "unknown command" -- "$R" frobnicate
expect envs 0 "humanoid +376 +17" -- "$R" envs
expect envs-one 0 "cautious" -- "$R" envs hopper
expect envs-json 0 '"obs_dim":[[:space:]]*376' -- "$R" envs --json
expect envs-bad 2 "unknown env 'hoper' \(valid: hopper" -- "$R" envs hoper
expect envs-help 0 "usage: rsoup envs" -- "$R" envs --help
expect rollout 0 "hopper +3 " -- "$R" rollout --env hopper --episodes 3 --threads 1
expect rollout-json 0 '"rewards":' -- "$R" rollout --env swimmer --episodes 1 --json
expect rollout-badreward 2 "column 1" -- "$R" rollout --env hopper --episodes 1 --reward forwrd=1
expect rollout-badint 2 "expects an integer" -- "$R" rollout --episodes abc
expect rollout-badopt 2 "unknown option '--epsiodes'" -- "$R" rollout --epsiodes 3
expect rollout-missing 2 "needs a value" -- "$R" rollout --env
expect reward-warning 0 "already a cost" -- "$R" rollout --env hopper --episodes 1 --reward "forward=1,ctrl=-0.001"
expect bench-env 0 '"env_over_raw"' -- "$R" bench env --env hopper --steps 300 --repeat 1 --json
expect bench-what 2 "say what" -- "$R" bench
# PPO hyperparameters: generic defaults < the env's own set < --config < flags
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
key() { tr -d ' \t' < "$1/config.json" | grep -q "^\"$2\":$3,\?\$"; }
check() { if "$@"; then pass=$((pass+1)); else echo "FAIL config: $*"; fail=$((fail+1)); fi; }
echo '{"lr": 1e-4, "n_steps": 128}' > "$T/c.json"
expect train-envset 0 "halfcheetah uses its own hyperparameters" -- \
  "$R" train --env halfcheetah --steps 128 --epochs 1 --config "$T/c.json" --out "$T/a" --threads 1
check key "$T/a" arch '"256,256"'; check key "$T/a" n_envs 1; check key "$T/a" gamma 0.98
check key "$T/a" lr 0.0001; check key "$T/a" n_steps 128; check key "$T/a" epochs 1
# humanoid's own set: the KL-limited one (one 16 x 16-step update)
expect train-humanoid-set 0 "humanoid uses its own hyperparameters" -- \
  "$R" train --env humanoid --steps 256 --n-steps 16 --epochs 1 --out "$T/h" --threads 1
check key "$T/h" n_envs 16; check key "$T/h" target_kl 0.02; check key "$T/h" arch '"64,64"'
check key "$T/h" log_std_init -1
echo '{"env": "halfcheetah", "hparams": "cleanrl"}' > "$T/g.json"
expect train-generic 0 "" -- "$R" train --config "$T/g.json" --steps 128 --n-steps 64 --epochs 1 --out "$T/b" --threads 1 --quiet
check key "$T/b" arch '"64,64"'; check key "$T/b" n_envs 2; check key "$T/b" gamma 0.99
# an old run's whole config.json (no hparams, no weight_init) still means the generic set
grep -v '"hparams"\|"weight_init"' "$T/b/config.json" | sed 's/"total_steps":.*/"total_steps": 128,/' > "$T/old.json"
expect train-oldconfig 0 "" -- "$R" train --config "$T/old.json" --out "$T/e" --quiet
check key "$T/e" arch '"64,64"'; check key "$T/e" hparams '"cleanrl"'; check key "$T/e" weight_init '"orthogonal"'
# --init refuses a policy of another activation, and says which hyperparameters to give
expect train-init-act 1 "arch 256,256 relu.*arch 256,256 tanh.*--hparams cleanrl" -- \
  "$R" train --env halfcheetah --hparams cleanrl --arch 256,256 --init "$T/a" --steps 128 --out "$T/f" --quiet
# eval --per-episode: one row per episode; each row's default return is
# forward + 0.1 * ctrl of its own term columns (halfcheetah's default reward),
# and the rows' mean is the reported mean (both to the printed 2 decimals)
out=$("$R" eval "$T/a" --episodes 3 --reward default --per-episode --threads 1)
chk=$(awk '$1 == "R1" && $2 == "default" {mean = $3}
  /^  +episode +length/ {for (i = 1; i <= NF; i++) col[$i] = i; t = 1; next}
  t && NF > 3 && $1 ~ /^[0-9]+$/ {n++; s += $3; d = $3 - ($(col["forward"]) + 0.1 * $(col["ctrl"])); if (d > 0.011 || d < -0.011) bad++}
  END {d = s / n - mean; printf "%d %d %d", n, bad, (d < 0.011 && d > -0.011)}' <<<"$out")
[ "$chk" = "3 0 1" ] && pass=$((pass+1)) || { echo "FAIL per-episode: rows, bad rows, mean ok = $chk"; echo "$out"; fail=$((fail+1)); }
[ "$("$R" eval "$T/a" --episodes 3 --per-episode --json --threads 1 | grep -c '"length":')" = 3 ] && pass=$((pass+1)) || { echo "FAIL per-episode json"; fail=$((fail+1)); }
expect train-hparams-bad 2 "hparams must be auto or cleanrl" -- "$R" train --env hopper --hparams zoo --out "$T/c"
out=$("$R" train --env hopper --steps 128 --n-steps 64 --epochs 1 --out "$T/d" --threads 1 2>&1)
grep -q "own hyperparameters" <<<"$out" && { echo "FAIL hopper got a per-env set"; fail=$((fail+1)); } || pass=$((pass+1))
# --json puts one JSON object on stdout and nothing else
out=$("$R" rollout --env hopper --episodes 1 --json 2>/dev/null)
if [ "${out:0:1}" != "{" ] || [ "${out: -1}" != "}" ]; then echo "FAIL json-only: $out"; fail=$((fail+1)); else pass=$((pass+1)); fi
# resuming a finished run says so and changes no file; --steps N trains on
"$R" train --env hopper --steps 256 --n-steps 128 --out "$T/fin" --quiet >/dev/null 2>&1
before=$(cd "$T/fin" && sha1sum * | sort)
out=$("$R" train --resume "$T/fin" 2>&1); rc=$?
after=$(cd "$T/fin" && sha1sum * | sort)
if [ "$rc" = 0 ] && grep -q "is complete (step 256)" <<<"$out" && [ "$before" = "$after" ]; then pass=$((pass+1));
else echo "FAIL resume-finished: rc=$rc $out"; fail=$((fail+1)); fi
# every new run records what made it
if grep -q '"git_commit"' "$T/fin/provenance.json" && grep -q '"blas"' "$T/fin/provenance.json"; then pass=$((pass+1));
else echo "FAIL provenance.json"; fail=$((fail+1)); fi
# rows logged after the last checkpoint (a run killed between saves) are not duplicated by the resume
"$R" train --env hopper --steps 2560 --n-steps 128 --out "$T/tr" --quiet --max-updates 7 >/dev/null 2>&1
tail -1 "$T/tr/progress.csv" | sed 's/^7,1792,/8,2048,/' >> "$T/tr/progress.csv"
tail -1 "$T/tr/log.jsonl" | sed 's/"update":7,"step":1792/"update":8,"step":2048/' >> "$T/tr/log.jsonl"
printf '9,2304,partial' >> "$T/tr/progress.csv"
"$R" train --resume "$T/tr" --quiet >/dev/null 2>&1
rows=$(cut -d, -f1 "$T/tr/progress.csv" | tr '\n' ' '); logs=$(grep -o '"update":[0-9]*' "$T/tr/log.jsonl" | cut -d: -f2 | tr '\n' ' ')
if [ "$rows" = "iter 1 2 3 4 5 6 7 8 9 10 " ] && [ "$logs" = "1 2 3 4 5 6 7 8 9 10 " ]; then pass=$((pass+1));
else echo "FAIL resume-trims-logs: csv '$rows' log '$logs'"; fail=$((fail+1)); fi
# a training checkpoint whose RNG state is all zeros (no generator reaches it) is refused, not resumed forever
"$R" train --env hopper --steps 1024 --n-steps 128 --out "$T/zr" --quiet --max-updates 2 >/dev/null 2>&1
f="$T/zr/train.safetensors"; hl=$(od -An -t u8 -N8 "$f" | tr -d ' ')
a=$(head -c $((8 + hl)) "$f" | tail -c "$hl" | grep -o '"trainer.rng_step_update":{[^}]*}' | sed 's/.*"data_offsets":\[\([0-9]*\),.*/\1/')
dd if=/dev/zero of="$f" bs=1 seek=$((8 + hl + a)) count=32 conv=notrunc status=none
out=$(timeout 60 "$R" train --resume "$T/zr" --quiet 2>&1); rc=$?
if [ "$rc" = 1 ] && grep -q "damaged random-number state" <<<"$out"; then pass=$((pass+1));
else echo "FAIL zero-rng-state: rc=$rc $out"; fail=$((fail+1)); fi
# a FIFO policy or a device is refused at once, never waited on or read without end;
# a text input may be a pipe (process substitution), and a FIFO without a writer reads as empty
mkfifo "$T/fifo"
for c in "soup $T/fifo $T/fifo --lambda 0.5 --out $T/never.st" "pareto /dev/zero" "experiment /dev/zero --dry-run"; do
  out=$(timeout 30 "$R" $c 2>&1); rc=$?
  if [ "$rc" = 1 ] && grep -q "not a regular file" <<<"$out"; then pass=$((pass+1));
  else echo "FAIL not-regular ($c): rc=$rc $out"; fail=$((fail+1)); fi
done
expect negative-seed 2 "seed must be >= 0" -- "$R" train --env hopper --seed -1 --steps 128 --out "$T/negseed"
expect train-unknown-last 2 "unknown option '--bogus'" -- "$R" train --bogus
expect train-needs-value 2 "option '--lr' needs a value" -- "$R" train --lr
# results that cannot be written (a full stdout) are a failure
if [ -w /dev/full ]; then
  out=$("$R" envs --json 2>&1 >/dev/full); rc=$?
  if [ "$rc" = 1 ] && grep -q "cannot write the results" <<<"$out"; then pass=$((pass+1)); else echo "FAIL full-stdout: rc=$rc $out"; fail=$((fail+1)); fi
fi
# a NaN in an expert's normaliser: eval and act refuse it, soup writes nothing
"$R" train --env hopper --steps 256 --n-steps 128 --out "$T/nanx" --quiet >/dev/null 2>&1
cp "$T/nanx/policy.safetensors" "$T/nan.safetensors"
f="$T/nan.safetensors"; hl=$(od -An -t u8 -N8 "$f" | tr -d ' ')
a=$(head -c $((8 + hl)) "$f" | tail -c "$hl" | grep -o '"obs_norm.var":{[^}]*}' | sed 's/.*"data_offsets":\[\([0-9]*\),.*/\1/')
printf '\x00\x00\x00\x00\x00\x00\xf8\x7f' | dd of="$f" bs=1 seek=$((8 + hl + a)) conv=notrunc status=none
expect nan-norm-eval 1 "bad observation statistics" -- "$R" eval "$f" --episodes 1
expect nan-norm-soup 1 "nothing written.*non-finite" -- "$R" soup "$T/nanx" "$f" --lambda 0.5 --out "$T/nansoup.safetensors"
[ ! -e "$T/nansoup.safetensors" ] && pass=$((pass+1)) || { echo "FAIL a NaN soup was written"; fail=$((fail+1)); }
# reward metadata that names no reward of the env: every loader refuses it
# with the one message, and soup writes nothing (it wrote a soup eval refused)
cp "$T/nanx/policy.safetensors" "$T/badrew.safetensors"
perl -pi -e 's/"reward":"default"/"reward":"defaulx"/' "$T/badrew.safetensors"
expect badrew-eval 1 "its reward metadata is not a reward of hopper" -- "$R" eval "$T/badrew.safetensors" --episodes 1
expect badrew-soup 1 "badrew.safetensors'?: its reward metadata is not a reward of hopper" -- \
  "$R" soup "$T/nanx" "$T/badrew.safetensors" --lambda 0.5 --out "$T/badrewsoup.safetensors"
[ ! -e "$T/badrewsoup.safetensors" ] && pass=$((pass+1)) || { echo "FAIL a soup of bad reward metadata was written"; fail=$((fail+1)); }
out=$(timeout 30 "$R" pareto "$T/fifo" 2>&1); rc=$?
[ "$rc" = 1 ] && ok_pipe=1 || ok_pipe=0
out2=$(timeout 30 "$R" pareto <(printf 'a,b\n1,2\n2,1\n') 2>&1); rc2=$?
if [ $ok_pipe = 1 ] && [ "$rc2" = 0 ] && grep -q "hypervolume" <<<"$out2"; then pass=$((pass+1));
else echo "FAIL pipes: fifo rc=$rc $out / process substitution rc=$rc2 $out2"; fail=$((fail+1)); fi
# --resume --steps: config.json says the new budget, the clock continues
"$R" train --env hopper --steps 512 --n-steps 128 --threads 1 --quiet --out "$T/more" >/dev/null 2>&1
"$R" train --resume "$T/more" --steps 1024 --quiet >/dev/null 2>&1
key "$T/more" total_steps 1024 && pass=$((pass+1)) || { echo "FAIL config.json after --resume --steps"; fail=$((fail+1)); }
grep -o '"time_s":[0-9.e+-]*' "$T/more/log.jsonl" | cut -d: -f2 | awk 'NR > 1 && $1 < prev { bad = 1 } { prev = $1 } END { exit bad || NR != 4 }' \
  && pass=$((pass+1)) || { echo "FAIL time_s restarts after a resume: $(grep -o '"time_s":[0-9.]*' "$T/more/log.jsonl" | tr '\n' ' ')"; fail=$((fail+1)); }
# nothing is cut silently: a weight that overflows, a reward spec or a path
# too long for the buffers that hold them, an act input that is no text
expect reward-huge 2 "weights must lie in" -- "$R" rollout --env hopper --episodes 1 --reward "forward=1e308,healthy=1e308"
expect reward-sum-huge 2 "weight of forward is 2e\+300" -- "$R" rollout --env hopper --episodes 1 --reward "forward=1e300,forward=1e300"
long_reward=$(printf 'forward=1,%.0s' $(seq 60))forward=1
expect reward-long 2 "reward spec of 609 characters is too long" -- "$R" rollout --env hopper --episodes 1 --reward "$long_reward"
expect eval-reward-long 2 "too long \(at most 255\)" -- "$R" eval "$T/a" --episodes 1 --reward "$long_reward"
long_path=$T/$(printf 'd%.0s' $(seq 1030))
expect train-out-long 2 "at most 1024 are taken" -- "$R" train --env hopper --steps 128 --out "$long_path"
expect front-out-long 2 "at most 1024 are taken" -- "$R" front "$T/a" "$T/a" --out "$long_path"
expect act-float-overflow 1 "expected 17 finite numbers" -- bash -c "echo 1e39,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 | '$R' act '$T/a/policy.safetensors'"
expect act-devzero 1 "holds a NUL byte" -- timeout 20 "$R" act "$T/a/policy.safetensors" --obs /dev/zero
# ---- files nothing could read, and checkpoints that are not one run's (issue 27) ----
# a value a policy's reader refuses is refused by the config check first
expect obs-clip-negative 2 "obs_clip must be in \[0, 1e\+06\]" -- "$R" train --env hopper --obs-clip -1 --steps 128 --out "$T/oc1"
expect obs-clip-huge 2 "obs_clip must be in \[0, 1e\+06\]" -- "$R" train --env hopper --obs-clip 1e308 --steps 128 --out "$T/oc2"
expect sac-log-std-float 2 "log_std_min .* within float range" -- "$R" train --algo sac --env hopper --log-std-min -1e39 --steps 128 --out "$T/oc3"
[ ! -e "$T/oc1/policy.safetensors" ] && [ ! -e "$T/oc2/policy.safetensors" ] && pass=$((pass+1)) || { echo "FAIL obs-clip: a policy was written"; fail=$((fail+1)); }
# a JSON config holding a key twice: cJSON kept both, a lookup the first
printf '{"env": "hopper", "lr": 1e-4, "n_steps": 64, "lr": 3e-4}\n' > "$T/dupkey.json"
expect config-repeated-key 1 "dupkey.json: lr: given twice" -- "$R" train --config "$T/dupkey.json" --steps 128 --out "$T/dk"
printf '{"env": "hopper", "rewards": {"a": "risky", "b": "cautious"}, "seeds": [1, 2], "seeds": [3],\n "pretrain": {"steps": 64}, "finetune": {"steps": 64}}\n' > "$T/dupexp.json"
expect experiment-repeated-key 1 "dupexp.json: seeds: given twice" -- "$R" experiment "$T/dupexp.json" --out "$T/dx" --dry-run
# a checkpoint's train_config or policy metadata edited: set_meta FILE KEY VALUE
# (KEY "train_config.K" sets K inside train_config; VALUE is JSON)
set_meta() { python3 - "$@" <<'PY'
import json, struct, sys
path, key, value = sys.argv[1:4]
b = open(path, 'rb').read(); n = struct.unpack('<Q', b[:8])[0]
h = json.loads(b[8:8 + n]); m = h['__metadata__']
if key == 'train_config+':  # raw text appended inside the object
    m['train_config'] = m['train_config'].rstrip().rstrip('}') + value + '}'
elif key.startswith('train_config.'):
    c = json.loads(m['train_config']); c[key[13:]] = json.loads(value); m['train_config'] = json.dumps(c)
else:
    m[key] = value
s = json.dumps(h).encode(); s += b' ' * (-len(s) % 8)
open(path, 'wb').write(struct.pack('<Q', len(s)) + s + b[8 + n:])
PY
}
"$R" train --env hopper --steps 1024 --n-steps 128 --arch 8,8 --threads 1 --out "$T/rs" --quiet --max-updates 2 >/dev/null 2>&1
for c in "train_config.obs_clip -1|obs_clip must be in" "train_config.n_envs 64|train_config says n_envs 64 but it holds the state of 2 envs" \
         "activation relu|saved with activation 'relu' but its train_config says 'tanh'" \
         'train_config+ ,"lr":0.1|train_config: lr: given twice'; do
  rm -rf "$T/rs2"; cp -r "$T/rs" "$T/rs2"; set_meta "$T/rs2/train.safetensors" ${c%%|*}
  before=$(cd "$T/rs2" && sha1sum * | sort)
  out=$("$R" train --resume "$T/rs2" --quiet 2>&1); rc=$?
  if [ "$rc" = 1 ] && grep -q -- "${c#*|}" <<<"$out" && [ "$before" = "$(cd "$T/rs2" && sha1sum * | sort)" ]; then pass=$((pass+1));
  else echo "FAIL resume of a checkpoint with ${c%%|*}: rc=$rc $out"; fail=$((fail+1)); fi
done
# a policy's obs_clip read strictly: "abc" is not 0 (no clipping)
cp "$T/rs/policy.safetensors" "$T/clipabc.safetensors"; set_meta "$T/clipabc.safetensors" obs_clip abc
expect obs-clip-text 1 "bad obs_clip 'abc'" -- bash -c "echo 1,0,0,0,0,0,0,0,0,0,0 | '$R' act '$T/clipabc.safetensors'"
# ---- where outputs go: a regular file or a new name, nothing else (issue 27) ----
mkdir -p "$T/dev" "$T/outside"; mkfifo "$T/dev/fifo"; echo victim > "$T/outside/victim.txt"
ln -s ../outside/victim.txt "$T/dev/link"
outs="$T/dev/fifo $T/dev/link $T/dev"
mknod "$T/dev/null" c 1 3 2>/dev/null && outs="$outs $T/dev/null" # as root only
for o in $outs; do
  before=$(ls -l "$o" | cut -c1)
  out=$(timeout 30 "$R" soup "$T/rs" "$T/rs" --lambda 0.5 --out "$o" 2>&1); rc=$?
  if [ "$rc" = 1 ] && grep -qE "cannot write '.*': it is a (FIFO|symbolic link|folder|character device) \(rsoup writes only regular files" <<<"$out" &&
     [ "$(ls -l "$o" | cut -c1)" = "$before" ]; then pass=$((pass+1));
  else echo "FAIL soup --out $o: rc=$rc $out ($(ls -l "$o"))"; fail=$((fail+1)); fi
done
# a run's logs are never written through a link out of the folder, nor into a FIFO
for f in log.jsonl progress.csv; do
  rm -rf "$T/lk"; mkdir "$T/lk"; ln -s ../outside/victim.txt "$T/lk/$f"
  expect "train-link-$f" 1 "lk/$f': it is a symbolic link" -- "$R" train --env hopper --steps 128 --n-steps 64 --out "$T/lk" --quiet
done
rm -rf "$T/rs2"; cp -r "$T/rs" "$T/rs2"; rm "$T/rs2/log.jsonl"; ln -s ../outside/victim.txt "$T/rs2/log.jsonl"
expect train-resume-link 1 "rs2/log.jsonl': it is a symbolic link" -- "$R" train --resume "$T/rs2" --quiet
rm -rf "$T/lk"; mkdir "$T/lk"; mkfifo "$T/lk/progress.csv"
expect train-fifo-log 1 "progress.csv': it is a FIFO" -- timeout 60 "$R" train --env hopper --steps 128 --n-steps 64 --out "$T/lk" --quiet
[ "$(cat "$T/outside/victim.txt")" = victim ] && pass=$((pass+1)) || { echo "FAIL the file outside was written: $(head -c 200 "$T/outside/victim.txt")"; fail=$((fail+1)); }
# ---- inputs: models and observations that are not files, empty specs (issue 27) ----
expect eval-model-fifo 1 "model file: '.*fifo' is not a regular file" -- timeout 30 "$R" eval "$T/rs" --episodes 1 --model "$T/dev/fifo"
expect eval-reward-empty 2 "--reward needs a reward spec" -- "$R" eval "$T/rs" --episodes 1 --reward ''
expect eval-reward-eq 0 " risky " -- "$R" eval "$T/rs" --episodes 1 --threads 1 --reward=risky
# --reward reads a list as every command does: presets ','-separated are two rewards
out=$("$R" eval "$T/rs" --episodes 1 --threads 1 --reward risky,cautious 2>&1)
grep -qE '^  risky +[-0-9]' <<<"$out" && grep -qE '^  cautious +[-0-9]' <<<"$out" && pass=$((pass+1)) || { echo "FAIL eval-reward-list: $out"; fail=$((fail+1)); }
expect act-obs-folder 1 "is a folder, not a file of observations" -- "$R" act "$T/rs/policy.safetensors" --obs "$T/dev"
# a model the simulation cannot run: every return is NaN; eval says so, as train does
SRC=${RSOUP_SRC:-.}
H="$SRC/envs/assets/hopper.xml"
sed 's|timestep="0.002"|timestep="0"|' "$H" > "$T/ts0.xml"
sed 's|integrator="RK4"/>|integrator="RK4" gravity="0 0 nan"/>|' "$H" > "$T/gnan.xml"
sed 's|integrator="RK4"/>|integrator="RK4" gravity="0 0 1e30"/>|' "$H" > "$T/g30.xml"
sed '0,/<body name="torso" pos="[^"]*"/s//<body name="torso" pos="0 0 nan"/' "$H" > "$T/posnan.xml"
for m in ts0 gnan g30 posnan; do
  cmp -s "$H" "$T/$m.xml" && { echo "FAIL model variant $m not made"; fail=$((fail+1)); continue; }
  expect "eval-model-$m" 1 "the simulation of .*$m.xml diverged" -- "$R" eval "$T/rs" --episodes 2 --threads 1 --model "$T/$m.xml"
done
# ---- fronts: overflowing scores, empty specs, one front given twice (issue 27) ----
printf 'x,y\n1,2\n2,1\n' > "$T/p.csv"; cp "$T/p.csv" "$T/p2.csv"
expect pareto-margin-huge 1 "--margin 1e\+308 .* hypervolume is inf" -- "$R" pareto "$T/p.csv" --margin 1e308
expect pareto-ref-far 1 "hypervolume is inf" -- "$R" pareto "$T/p.csv" --ref -1e300,-1e300
expect pareto-same-file 2 "are the same file: each front counts as one seed" -- "$R" pareto "$T/p.csv" "$T/p.csv"
expect pareto-same-bytes 2 "are copies of one file" -- "$R" pareto "$T/p.csv" "$T/p2.csv"
printf 'kind,label,lambda:0,lambda:1,episodes,obj:a,std:a,term:forward,termstd:forward,length\nsoup,0,1,0,1,1,0,1,0,5\nsoup,1,0,1,1,2,0,2,0,5\n' > "$T/t.csv"
expect select-reward-empty 2 "--reward '' names no term" -- "$R" select "$T/t.csv" --reward ''
echo "cli_basic: $pass passed, $fail failed"
[ "$fail" = 0 ]
