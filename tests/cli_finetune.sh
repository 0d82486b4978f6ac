#!/usr/bin/env bash
# cli_finetune.sh — fine-tuning from an init: the anchors are listed by
# --help and refused where they cannot apply; the critic warm-up leaves the
# actor bit for bit as the init's; a run with every anchor on resumes bit
# for bit; a policy-only init says that the critic starts fresh; the
# return statistics come from the init only when asked.
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
command -v python3 >/dev/null || { echo "cli_finetune: needs python3 (safetensors checks)"; exit 77; }
. "$(dirname "$0")/lib.sh"

# the tensors NAME* of a safetensors file, bytes as hex, one per line
tensors() { python3 - "$1" "$2" <<'EOF'
import json, sys
b = open(sys.argv[1], "rb").read()
n = int.from_bytes(b[:8], "little")
head = json.loads(b[8:8 + n])
for k in sorted(k for k in head if k.startswith(sys.argv[2])):
    s, e = head[k]["data_offsets"]
    print(k, b[8 + n + s:8 + n + e].hex())
EOF
}

TINYV=(--env hopper --n-envs 2 --n-steps 64 --minibatch 32 --epochs 2 --threads 1)
TINY=("${TINYV[@]}" --quiet)
"$R" train "${TINY[@]}" --steps 1024 --seed 5 --out "$T/pre" >/dev/null 2>&1 || bad "pretrain failed"

# ---- help and bad input: a clear error naming the key, nothing trained ----
for k in finetune kl_init kl_init_means critic_warmup lr_warmup init_rscale; do
  "$R" train --help | grep -q "^  $k " && ok || bad "--help does not list $k"
done
expect kl-without-init 2 "kl_init .*needs --init" -- "$R" train "${TINY[@]}" --steps 512 --kl-init 0.1 --out "$T/x1"
expect warmup-without-init 2 "critic_warmup .*needs --init" -- "$R" train "${TINY[@]}" --steps 512 --critic-warmup 1 --out "$T/x2"
expect kl-negative 2 "kl_init must be in \[0, 1e6\]" -- "$R" train "${TINY[@]}" --steps 512 --init "$T/pre" --kl-init -1 --out "$T/x3"
expect warmup-negative 2 "critic_warmup must be >= 0" -- "$R" train "${TINY[@]}" --steps 512 --init "$T/pre" --critic-warmup -2 --out "$T/x4"
expect warmup-too-long 2 "critic_warmup \(4 updates\) must be shorter than the run \(4 updates" -- \
  "$R" train "${TINY[@]}" --steps 512 --init "$T/pre" --critic-warmup 4 --out "$T/x5"
expect kl-updated-norm 2 "kl_init needs the init's frozen observation normaliser" -- \
  "$R" train "${TINY[@]}" --steps 512 --init "$T/pre" --kl-init 0.1 --update-obs-norm --out "$T/x6"
expect kl-means-alone 2 "kl_init_means says how kl_init anchors" -- "$R" train "${TINY[@]}" --steps 512 --init "$T/pre" --kl-init-means true --out "$T/x8"
expect finetune-bad 2 "finetune must be auto or none" -- "$R" train "${TINY[@]}" --steps 512 --finetune maybe --out "$T/x7"
for d in x1 x2 x3 x4 x5 x6 x7 x8; do [ ! -e "$T/$d/policy.safetensors" ] && ok || bad "$d: a refused run wrote a policy"; done

# ---- the action head: a fine-tune keeps its init's (the same weights are other
# actions under the other head), and says so rather than switch silently ----
"$R" train "${TINY[@]}" --steps 512 --seed 5 --action-head tanh --out "$T/pre_tanh" >/dev/null 2>&1 || bad "tanh pretrain failed"
expect head-mismatch 1 "the init's action head is tanh and this run's is clip" -- \
  "$R" train "${TINY[@]}" --steps 512 --init "$T/pre_tanh" --out "$T/x9"
[ ! -e "$T/x9/policy.safetensors" ] && ok || bad "x9: a refused run wrote a policy"
expect head-mismatch-rev 1 "the init's action head is clip and this run's is tanh" -- \
  "$R" train "${TINY[@]}" --steps 512 --init "$T/pre" --action-head tanh --out "$T/x10"
"$R" train "${TINY[@]}" --steps 512 --init "$T/pre_tanh" --action-head tanh --out "$T/ft_tanh" >/dev/null 2>&1 \
  && ok || bad "a tanh fine-tune of a tanh init failed"
grep -a -q '"action_head":"tanh"' "$T/ft_tanh/policy.safetensors" && ok || bad "the tanh fine-tune's policy does not say tanh"

# ---- the critic warm-up: the actor and its log-std stay the init's, bit for bit ----
"$R" train "${TINY[@]}" --steps 1024 --seed 6 --reward risky --init "$T/pre" --critic-warmup 3 \
  --max-updates 3 --out "$T/warm" >/dev/null 2>&1 || bad "warm-up run failed"
[ -n "$(tensors "$T/pre/policy.safetensors" pi.)" ] && \
  [ "$(tensors "$T/pre/policy.safetensors" pi.)" = "$(tensors "$T/warm/policy.safetensors" pi.)" ] \
  && ok || bad "the actor moved during the critic warm-up"
[ "$(tensors "$T/pre/train.safetensors" vf.)" != "$(tensors "$T/warm/train.safetensors" vf.)" ] \
  && ok || bad "the value net did not move during the critic warm-up"
grep -c '"critic_warmup":true' "$T/warm/log.jsonl" | grep -qx 3 && ok || bad "log.jsonl does not flag the 3 warm-up updates"
"$R" train --resume "$T/warm" --quiet >/dev/null 2>&1 || bad "warm-up resume failed"
[ "$(tensors "$T/pre/policy.safetensors" pi.)" != "$(tensors "$T/warm/policy.safetensors" pi.)" ] \
  && ok || bad "the actor did not move after the critic warm-up"

# ---- every anchor on: a resume is bit for bit the uninterrupted run ----
ALL=("${TINY[@]}" --steps 1536 --seed 7 --reward risky --init "$T/pre" --kl-init 0.3 --critic-warmup 2
     --lr-warmup 3 --init-rscale true)
"$R" train "${ALL[@]}" --out "$T/full" >/dev/null 2>&1 || bad "anchored run failed"
"$R" train "${ALL[@]}" --max-updates 5 --out "$T/half" >/dev/null 2>&1 || bad "anchored half run failed"
"$R" train --resume "$T/half" --quiet >/dev/null 2>&1 || bad "anchored resume failed"
cmp -s "$T/full/policy.safetensors" "$T/half/policy.safetensors" && cmp -s "$T/full/train.safetensors" "$T/half/train.safetensors" \
  && ok || bad "anchored run: the resumed checkpoints differ from the uninterrupted run's"
diff -q <(untimed "$T/full/log.jsonl") <(untimed "$T/half/log.jsonl") >/dev/null \
  && ok || bad "anchored run: the resumed log.jsonl differs"
grep -q '"kl_init":' "$T/full/log.jsonl" && ok || bad "log.jsonl has no kl_init"
"$R" train "${TINY[@]}" --steps 1024 --seed 7 --reward risky --init "$T/pre" --kl-init 0.3 --kl-init-means true \
  --out "$T/means" >/dev/null 2>&1 && grep -q '"kl_init_means":' "$T/means/log.jsonl" && ok || bad "a means-only anchored run failed or logs no kl_init_means"
# the anchor is the init: it travels in the checkpoint, equal to the init's actor
[ "$(tensors "$T/pre/policy.safetensors" pi. | sed 's/^pi\./anchor./')" = \
  "$(tensors "$T/full/train.safetensors" anchor.)" ] \
  && ok || bad "the checkpoint's anchor is not the init's actor"

# ---- what the run says of its critic and return scale ----
expect critic-carried 0 "critic from the init, return scale from the init" -- \
  "$R" train "${TINYV[@]}" --steps 256 --reward risky --init "$T/pre" --init-rscale true --out "$T/c1"
expect critic-fresh 0 "critic fresh \(the init holds no value net\)" -- \
  "$R" train "${TINYV[@]}" --steps 256 --reward risky --init "$T/pre/policy.safetensors" --out "$T/c2"
# the return scale: the init's with init_rscale, else a fresh one (today's)
rms() { python3 - "$1" <<'EOF'
import json, struct, sys
b = open(sys.argv[1], "rb").read()
n = int.from_bytes(b[:8], "little")
h = json.loads(b[8:8 + n])["rscale.rms"]
s, e = h["data_offsets"]
print(struct.unpack("<3d", b[8 + n + s:8 + n + e])[2])
EOF
}
"$R" train "${TINY[@]}" --steps 128 --reward risky --init "$T/pre" --init-rscale true --out "$T/r1" >/dev/null 2>&1
"$R" train "${TINY[@]}" --steps 128 --reward risky --init "$T/pre" --out "$T/r0" >/dev/null 2>&1
pre=$(rms "$T/pre/train.safetensors"); r1=$(rms "$T/r1/train.safetensors"); r0=$(rms "$T/r0/train.safetensors")
python3 -c "import sys; a, b, c = map(float, sys.argv[1:]); sys.exit(0 if abs(b - a - 128) < 1e-3 and abs(c - 128) < 1e-3 else 1)" "$pre" "$r1" "$r0" \
  && ok || bad "return-scale counts: init $pre, carried $r1 (want init + 128), fresh $r0 (want 128)"

echo "cli_finetune: $pass passed, $fail failed"
[ "$fail" = 0 ]
