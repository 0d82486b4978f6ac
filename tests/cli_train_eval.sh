#!/usr/bin/env bash
# cli_train_eval.sh — `rsoup train --eval-every K`: the evaluations leave
# the training's bits as they were (PPO and SAC); they come every K
# iterations and at the end, with the episodes asked for; the last one is
# what `rsoup eval` says of the saved policy with the evaluation seed; a
# resume evaluates where the uninterrupted run does, with the settings the
# checkpoint recorded (or new ones given to the resume). PPO's squashed
# action head is recorded, trains other bits than the clipped one and
# resumes bit for bit. And progress.csv:
# the same first column for every algorithm, PPO's losses, and a file in
# the older layout gets today's header when its run is resumed.
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
command -v python3 >/dev/null || { echo "cli_train_eval: needs python3 (JSON checks)"; exit 77; }
. "$(dirname "$0")/lib.sh"

# two training checkpoints hold the same tensors and metadata, byte for
# byte, but for the evaluation keys of their train_config
same_training() { python3 - "$1" "$2" <<'EOF'
import json, sys
def parts(path):
    b = open(path, "rb").read()
    n = int.from_bytes(b[:8], "little")
    head = json.loads(b[8:8 + n])
    meta = head.pop("__metadata__")
    cfg = json.loads(meta.pop("train_config"))
    for k in ("eval_every", "eval_episodes"):
        cfg.pop(k, None)
    return head, meta, cfg, b[8 + n:]
sys.exit(0 if parts(sys.argv[1]) == parts(sys.argv[2]) else 1)
EOF
}
# "ITER:EPISODES:SEED ..." of the log's evaluations (KEY: its iteration key)
evals() { python3 -c '
import json, sys
out = []
for line in open(sys.argv[1]):
    o = json.loads(line)
    if "eval" in o:
        e = o["eval"]
        out.append("%d:%d:%d" % (o[sys.argv[2]], e["episodes"], e["seed"]))
print(" ".join(out))' "$1" "$2"; }
# the iterations whose progress.csv row has an eval_return
csv_evals() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "eval_return") c = i; next }
  $c != "" { printf "%s ", $1 }' "$1"; }

# ---- PPO: 10 updates, evaluated every 4 and at the end ----
PPO=(--env hopper --steps 2560 --n-steps 128 --minibatch 64 --epochs 2 --seed 5 --threads 1 --quiet)
"$R" train "${PPO[@]}" --out "$T/off" >/dev/null 2>&1 || bad "ppo: the run without evaluations failed"
"$R" train "${PPO[@]}" --eval-every 4 --eval-episodes 3 --out "$T/on" >/dev/null 2>&1 || bad "ppo: the run with evaluations failed"
cmp -s "$T/off/policy.safetensors" "$T/on/policy.safetensors" && ok || bad "ppo: evaluations changed policy.safetensors"
same_training "$T/off/train.safetensors" "$T/on/train.safetensors" && ok || bad "ppo: evaluations changed train.safetensors beyond its eval keys"
grep -q eval "$T/off/config.json" && bad "ppo: a run without evaluations records eval keys" || ok
tr -d ' \t' < "$T/on/config.json" | grep -q '^"eval_every":4,$' && ok || bad "ppo: config.json lacks eval_every"
[ "$(evals "$T/on/log.jsonl" update)" = "4:3:1000005 8:3:1000005 10:3:1000005" ] && ok || bad "ppo: evaluations at $(evals "$T/on/log.jsonl" update)"
[ "$(csv_evals "$T/on/progress.csv")" = "4 8 10 " ] && ok || bad "ppo: progress.csv eval rows $(csv_evals "$T/on/progress.csv")"
diff -q <(untimed "$T/off/log.jsonl") <(untimed "$T/on/log.jsonl" | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line); o.pop("eval", None); print(json.dumps(o, sort_keys=True))') >/dev/null \
  && ok || bad "ppo: evaluations changed the training numbers of log.jsonl"
# the last evaluation is `rsoup eval` of the saved policy, bit for bit
last=$(tail -1 "$T/on/log.jsonl" | python3 -c 'import json, sys; e = json.load(sys.stdin)["eval"]; print(repr(e["return"]), repr(e["length"]))')
again=$("$R" eval "$T/on" --episodes 3 --seed 1000005 --reward default --threads 2 --json | python3 -c '
import json, sys; o = json.load(sys.stdin); print(repr(o["rewards"][0]["mean"]), repr(o["length_mean"]))')
[ -n "$last" ] && [ "$last" = "$again" ] && ok || bad "ppo: the last evaluation ($last) is not rsoup eval's ($again)"

# ---- resume: where the uninterrupted run evaluates, with the recorded settings ----
"$R" train "${PPO[@]}" --eval-every 4 --eval-episodes 3 --out "$T/half" --max-updates 5 >/dev/null 2>&1
"$R" train --resume "$T/half" --quiet >/dev/null 2>&1 || bad "ppo: resume failed"
cmp -s "$T/on/policy.safetensors" "$T/half/policy.safetensors" && cmp -s "$T/on/train.safetensors" "$T/half/train.safetensors" \
  && ok || bad "ppo: the resumed run's checkpoints differ from the uninterrupted run's"
diff -q <(untimed "$T/on/log.jsonl") <(untimed "$T/half/log.jsonl") >/dev/null && \
  diff -q <(untimed_csv "$T/on/progress.csv") <(untimed_csv "$T/half/progress.csv") >/dev/null \
  && ok || bad "ppo: the resumed run's log.jsonl/progress.csv differ from the uninterrupted run's"
# a resume may start evaluations (they change nothing of the training)
"$R" train "${PPO[@]}" --out "$T/late" --max-updates 5 >/dev/null 2>&1
"$R" train --resume "$T/late" --eval-every 2 --eval-episodes 2 --quiet >/dev/null 2>&1 || bad "ppo: resume --eval-every failed"
[ "$(evals "$T/late/log.jsonl" update)" = "6:2:1000005 8:2:1000005 10:2:1000005" ] && ok || bad "ppo: evaluations after a resume at $(evals "$T/late/log.jsonl" update)"
cmp -s "$T/off/policy.safetensors" "$T/late/policy.safetensors" && same_training "$T/off/train.safetensors" "$T/late/train.safetensors" \
  && ok || bad "ppo: a resume that evaluates trained other bits"
tr -d ' \t' < "$T/late/config.json" | grep -q '^"eval_every":2,$' && ok || bad "ppo: config.json after resume --eval-every"
expect bad-every 2 "eval_every must be >= 0" -- "$R" train --env hopper --eval-every -1 --out "$T/x"
expect bad-episodes 2 "eval_episodes must be in \[1, 100000\]" -- "$R" train --env hopper --eval-every 1 --eval-episodes 0 --out "$T/x"
expect help 0 "--eval-every K" -- "$R" train --help

# ---- PPO with the tanh-squashed head ----
# a policy file's metadata value for KEY ("(absent)" when it has none)
meta_of() { python3 -c '
import json, sys
b = open(sys.argv[1], "rb").read()
m = json.loads(b[8:8 + int.from_bytes(b[:8], "little")])["__metadata__"]
print(m.get(sys.argv[2], "(absent)"))' "$1" "$2"; }
"$R" train "${PPO[@]}" --action-head tanh --eval-every 4 --eval-episodes 3 --out "$T/tanh" >/dev/null 2>&1 || bad "tanh: the run failed"
[ "$(meta_of "$T/tanh/policy.safetensors" action_head)" = tanh ] && [ "$(meta_of "$T/tanh/train.safetensors" action_head)" = tanh ] \
  && ok || bad "tanh: the policy/checkpoint does not record action_head tanh"
[ "$(meta_of "$T/on/policy.safetensors" action_head)" = "(absent)" ] && ok || bad "clip: the policy records an action_head"
tr -d ' \t' < "$T/tanh/config.json" | grep -q '"action_head":"tanh"' && ok || bad "tanh: config.json lacks action_head"
grep -q action_head "$T/on/config.json" && bad "clip: config.json records the default action_head" || ok
cmp -s "$T/on/policy.safetensors" "$T/tanh/policy.safetensors" && bad "tanh: trained the same bits as clip" || ok
"$R" train "${PPO[@]}" --action-head tanh --eval-every 4 --eval-episodes 3 --out "$T/thalf" --max-updates 5 >/dev/null 2>&1
"$R" train --resume "$T/thalf" --quiet >/dev/null 2>&1 || bad "tanh: resume failed"
cmp -s "$T/tanh/policy.safetensors" "$T/thalf/policy.safetensors" && cmp -s "$T/tanh/train.safetensors" "$T/thalf/train.safetensors" \
  && diff -q <(untimed "$T/tanh/log.jsonl") <(untimed "$T/thalf/log.jsonl") >/dev/null \
  && ok || bad "tanh: the resumed run differs from the uninterrupted run"
# its evaluations are rsoup eval's of the squashed policy
last=$(tail -1 "$T/tanh/log.jsonl" | python3 -c 'import json, sys; e = json.load(sys.stdin)["eval"]; print(repr(e["return"]))')
again=$("$R" eval "$T/tanh" --episodes 3 --seed 1000005 --reward default --threads 2 --json | python3 -c '
import json, sys; print(repr(json.load(sys.stdin)["rewards"][0]["mean"]))')
[ -n "$last" ] && [ "$last" = "$again" ] && ok || bad "tanh: the last evaluation ($last) is not rsoup eval's ($again)"
"$R" train "${PPO[@]}" --out "$T/tx" --max-updates 1 >/dev/null 2>&1
expect tanh-resume-switch 2 "cannot change when resuming" -- "$R" train --resume "$T/tx" --action-head tanh
expect bad-head 2 "action_head must be clip or tanh \(got 'softsign'\)" -- "$R" train --env hopper --action-head softsign --out "$T/x"
expect help-head 0 "action_head +clip, or tanh" -- "$R" train --help

# ---- SAC: 6 iterations, evaluated every 2 ----
SAC=(--algo sac --env hopper --steps 600 --learning-starts 200 --arch 32,32 --batch-size 32 --buffer-size 2000
     --log-every 100 --save-replay --seed 7 --threads 1 --quiet)
"$R" train "${SAC[@]}" --out "$T/soff" >/dev/null 2>&1 || bad "sac: the run without evaluations failed"
"$R" train "${SAC[@]}" --eval-every 2 --eval-episodes 2 --out "$T/son" >/dev/null 2>&1 || bad "sac: the run with evaluations failed"
cmp -s "$T/soff/policy.safetensors" "$T/son/policy.safetensors" && ok || bad "sac: evaluations changed policy.safetensors"
same_training "$T/soff/train.safetensors" "$T/son/train.safetensors" && ok || bad "sac: evaluations changed train.safetensors beyond its eval keys"
[ "$(evals "$T/son/log.jsonl" iter)" = "2:2:1000007 4:2:1000007 6:2:1000007" ] && ok || bad "sac: evaluations at $(evals "$T/son/log.jsonl" iter)"
"$R" train "${SAC[@]}" --eval-every 2 --eval-episodes 2 --out "$T/shalf" --max-iters 3 >/dev/null 2>&1
"$R" train --resume "$T/shalf" --quiet >/dev/null 2>&1 || bad "sac: resume failed"
cmp -s "$T/son/train.safetensors" "$T/shalf/train.safetensors" && diff -q <(untimed "$T/son/log.jsonl") <(untimed "$T/shalf/log.jsonl") >/dev/null \
  && ok || bad "sac: the resumed run differs from the uninterrupted run"

# ---- progress.csv: one first column, each algorithm's own columns last ----
ph=$(head -1 "$T/off/progress.csv"); sh=$(head -1 "$T/soff/progress.csv")
[[ $ph == iter,step,time_s,steps_per_s,ep_return,ep_length,*,eval_return,eval_length,lr,pg_loss,v_loss,entropy,approx_kl,clipfrac,grad_norm,explained_var ]] \
  && ok || bad "ppo csv header: $ph"
[[ $sh == iter,step,time_s,steps_per_s,ep_return,ep_length,*,eval_return,eval_length,alpha,q_loss,updates_per_s ]] \
  && ok || bad "sac csv header: $sh"
[ "${ph%%,*}" = "${sh%%,*}" ] && ok || bad "the first columns differ: ${ph%%,*} and ${sh%%,*}"
# PPO's losses in progress.csv are log.jsonl's (both %.6g of the same numbers)
python3 - "$T/off" <<'EOF' && ok || bad "ppo: progress.csv's losses are not log.jsonl's"
import csv, json, sys
log = [json.loads(l) for l in open(sys.argv[1] + "/log.jsonl")]
rows = list(csv.DictReader(open(sys.argv[1] + "/progress.csv")))
assert len(rows) == len(log) == 10
for o, r in zip(log, rows):
    assert int(r["iter"]) == o["update"]
    for k in ("lr", "pg_loss", "v_loss", "entropy", "approx_kl", "clipfrac", "grad_norm"):
        assert float(r[k]) == float("%.6g" % o[k]), k
    assert r["explained_var"] == ("%.6g" % o["explained_var"] if "explained_var" in o else "")
EOF
# a run whose progress.csv an older rsoup began ("update" first, no eval or
# loss columns): the resume rewrites it to today's header, values kept by name
"$R" train "${PPO[@]}" --out "$T/old" --max-updates 6 >/dev/null 2>&1
awk -F, 'BEGIN { OFS = "," } NR == 1 { $1 = "update" } { NF = 11; print }' "$T/old/progress.csv" > "$T/old.csv"
cp "$T/old.csv" "$T/old/progress.csv"
"$R" train --resume "$T/old" --quiet >/dev/null 2>&1 || bad "resume of an older progress.csv failed"
[ "$(head -1 "$T/old/progress.csv")" = "$ph" ] && ok || bad "older progress.csv: header after resume: $(head -1 "$T/old/progress.csv")"
awk -F, -v n="$(awk -F, 'NR == 1 { print NF }' "$T/off/progress.csv")" 'NF != n { exit 1 } END { exit NR != 11 }' "$T/old/progress.csv" \
  && ok || bad "older progress.csv: ragged or missing rows after resume"
diff -q <(tail -n +2 "$T/old.csv" | cut -d, -f1,2,5-11) <(sed -n 2,7p "$T/old/progress.csv" | cut -d, -f1,2,5-11) >/dev/null \
  && [ "$(sed -n 2,7p "$T/old/progress.csv" | cut -d, -f12-14 | sort -u)" = ",," ] \
  && [ "$(diff <(sed -n 8,11p "$T/off/progress.csv" | cut -d, -f1,2,5-) <(sed -n 8,11p "$T/old/progress.csv" | cut -d, -f1,2,5-))" = "" ] \
  && ok || bad "older progress.csv: values moved or lost in the rewrite"

echo "cli_train_eval: $pass passed, $fail failed"
[ "$fail" = 0 ]
