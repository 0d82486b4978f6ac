#!/usr/bin/env bash
# cli_experiment.sh — experiment configs (validation errors name the JSON
# path), the whole protocol on a tiny budget, stage skipping and resume, and
# the plot script on a fixture front.
set -u
R=${RSOUP_BIN:-build/rsoup}
SRC=${RSOUP_SRC:-.}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
expect() { # NAME WANT_RC PATTERN -- cmd...
  local name=$1 want=$2 pat=$3; shift 4
  local out rc; out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ] || ! grep -qE -- "$pat" <<<"$out"; then
    bad "$name: rc=$rc (want $want)"; echo "$out" | tail -8
  else ok; fi
}
cfg() { printf '%s\n' "$1" > "$T/$2"; }

# ---- validation ----
cfg '{"env": "halfcheetah", "rewards": {"a": "risky", "b": "cautious"}, "pretrain": {"steps": 10}, "finetune": {"steps": 10}, "frobnicate": 1}' unknown.json
expect unknown-key 1 "frobnicate: unknown key \(valid here: name, env" -- "$R" experiment "$T/unknown.json" --out "$T/x"
cfg '{"env": "halfcheetah", "rewards": {"a": "risky", "b": "cautious"}, "pretrain": {"steps": "ten"}, "finetune": {"steps": 10}}' type.json
expect wrong-type 1 "pretrain.steps: expected an integer" -- "$R" experiment "$T/type.json" --out "$T/x"
cfg '{"env": "halfcheetah", "rewards": {"a": "risky", "b": "forwrd=1"}, "pretrain": {"steps": 10}, "finetune": {"steps": 10}}' reward.json
expect bad-reward 1 "rewards.b: bad reward 'forwrd=1'" -- "$R" experiment "$T/reward.json" --out "$T/x"
cfg '{"env": "halfcheetah", "rewards": {"a": "risky", "b": "cautious"}, "pretrain": {"steps": 10}, "finetune": {"steps": 10}, "ppo": {"lr": "fast"}}' ppo.json
expect bad-ppo 1 "ppo.lr: expected a number" -- "$R" experiment "$T/ppo.json" --out "$T/x"
cfg '{"env": "halfcheetah", "rewards": {"a": "risky", "b": "cautious"}, "pretrain": {"steps": 10}, "finetune": {"steps": 10}, "ppo": {"hparams": "zoo"}}' hp.json
expect bad-hparams 1 "ppo: hparams must be auto or cleanrl" -- "$R" experiment "$T/hp.json" --out "$T/x"
cfg '{"env": "halfcheetah", "rewards": {"a": "risky", "b": "cautious"}, "pretrain": {"steps": 10}, "finetune": {"steps": 10}, "ppo": {"minibatch": 1024}}' mb.json
expect bad-minibatch-envset 1 "ppo: minibatch must be in \[2, n_envs\*n_steps = 512\]" -- "$R" experiment "$T/mb.json" --out "$T/x"
cfg '{"env": "halfcheetah", "rewards": {"a": "risky", "b": "cautious"}, "pretrain": {"steps": 10}, "finetune": {"steps": 10}, "morl": {"mu": [0.5, 1.5]}}' mu.json
expect bad-mu 1 "morl.mu\[1\]" -- "$R" experiment "$T/mu.json" --out "$T/x"
cfg '{"env": "cheetah", "rewards": {"a": "risky"}}' env.json
expect bad-env 1 "env: unknown env 'cheetah'" -- "$R" experiment "$T/env.json" --out "$T/x"
cfg '{"env": ' broken.json
expect bad-json 1 "not valid JSON \(line" -- "$R" experiment "$T/broken.json" --out "$T/x"
expect missing-file 1 "cannot open" -- "$R" experiment "$T/nope.json"

# ---- the protocol on a tiny budget ----
cfg '{"name": "tiny", "env": "halfcheetah",
  "rewards": {"risky": "risky", "cautious": "cautious"},
  "pretrain": {"reward": "default", "steps": 2048},
  "finetune": {"steps": 1024},
  "ppo": {"n_steps": 256, "epochs": 1},
  "front": {"grid": 3, "episodes": 1},
  "morl": {"mu": [0.5], "steps": 1024},
  "control": {"steps": 1024}}' tiny.json
E="$T/exp"
# train jobs taking halfcheetah's own PPO set carry it in their stamps; pinned to cleanrl they do not
expect dry-envset 0 "halfcheetah's own hparams@" -- "$R" experiment "$T/tiny.json" --out "$T/dry" --dry-run
sed 's/"ppo": {/"ppo": {"hparams": "cleanrl", /' "$T/tiny.json" > "$T/tiny_generic.json"
out=$("$R" experiment "$T/tiny_generic.json" --out "$T/dry" --dry-run 2>&1)
grep -q "pretrain" <<<"$out" && ! grep -q "own hparams" <<<"$out" && ok || bad "cleanrl jobs stamped with the env set: $out"
expect run 0 "hypervolume: rewarded soups" -- "$R" experiment "$T/tiny.json" --out "$E" --quiet --threads 1
for f in report.md front.csv control_front.csv metrics.json front.png lambda.png curves.png \
         pretrain/policy.safetensors expert_risky/policy.safetensors morl_0/policy.safetensors; do
  [ -s "$E/$f" ] && ok || bad "missing $f"
done
grep -q "Soups vs MORL.*of MORL's" "$E/report.md" && ok || bad "report lacks the HV ratio"
grep -q "H1.* holds in \*\*[01] of 1\*\*" "$E/report.md" && ok || bad "report lacks the LMC verdict"
grep -q "Single seed" "$E/report.md" && ok || bad "a single-seed report does not say so"
# front.csv: 2 experts + init + 1 MORL + 3 soups, and a header
[ "$(grep -c . "$E/front.csv")" = 8 ] && ok || bad "front.csv rows: $(grep -c . "$E/front.csv")"
# a second run skips every stage
expect rerun-skips 0 "\[front\] up to date, skipped" -- "$R" experiment "$T/tiny.json" --out "$E" --quiet --threads 1
out=$("$R" experiment "$T/tiny.json" --out "$E" --quiet --threads 1 2>&1)
grep -q "started" <<<"$out" && bad "rerun started a job: $out" || ok
# a changed fine-tuning budget reruns experts, MORL and front but not the pretraining
sed 's/"finetune": {"steps": 1024}/"finetune": {"steps": 1280}/' "$T/tiny.json" > "$T/tiny2.json"
out=$("$R" experiment "$T/tiny2.json" --out "$E" --quiet --threads 1 2>&1)
grep -q "\[pretrain\] up to date" <<<"$out" && ok || bad "pretrain was not kept"
grep -q "\[expert_risky\] started" <<<"$out" && ok || bad "expert not retrained"
grep -q "\[front\] started" <<<"$out" && ok || bad "front not redone"
# a job killed mid-way (started stamp, no done stamp) resumes
rm "$E/expert_cautious/.done"
out=$("$R" experiment "$T/tiny2.json" --out "$E" --quiet --threads 1 2>&1)
grep -q "\[expert_cautious\] started (resuming)" <<<"$out" && ok || bad "no resume: $out"
# --dry-run lists the jobs without running them
expect dry-run 0 "expert_risky +up to date" -- "$R" experiment "$T/tiny2.json" --out "$E" --dry-run

# ---- select --refine on the tiny experiment's front ----
js=$("$R" select "$E/front.csv" --weights 0.5,0.5 --refine --experts "$E/expert_risky;$E/expert_cautious" --threads 1 --json 2>/dev/null)
lam=$(tr -d ' \n\t' <<<"$js" | sed -n 's/.*"refined":{"lambda":\[\([^]]*\)\].*/\1/p')
uref=$(tr -d ' \n\t' <<<"$js" | sed -n 's/.*"refined":{[^}]*"utility":\([^,}]*\).*/\1/p')
if [ -n "$lam" ] && [ -n "$uref" ]; then ok; else bad "select --refine gave no refined point: $js"; fi
# the refined utility is reproduced independently: rsoup soup at that λ, then rsoup eval
l2=${lam#*,}
"$R" soup "$E/expert_risky" "$E/expert_cautious" --lambda "$l2" --out "$T/refined.safetensors" >/dev/null 2>&1
ev=$("$R" eval "$T/refined.safetensors" --episodes 1 --seed 1000 --threads 1 --reward "risky;cautious" --json 2>/dev/null | tr -d ' \n\t')
u2=$(sed -n 's/.*"rewards":\[{"reward":"risky","mean":\([^,]*\),.*"reward":"cautious","mean":\([^,]*\),.*/\1 \2/p' <<<"$ev" | awk '{ printf "%.6f", 0.5 * $1 + 0.5 * $2 }')
awk -v a="$uref" -v b="$u2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-4 * (1 + (a < 0 ? -a : a))) }' && ok || bad "refined utility $uref not reproduced by soup+eval ($u2, lambda $l2)"

# ---- the plot script on a fixture ----
mkdir -p "$T/plot" && cp "$SRC/tests/fixtures/front2.csv" "$T/plot/front.csv"
bash "$SRC/experiments/plot_front.sh" "$T/plot" 2>/dev/null
[ -s "$T/plot/front.png" ] && [ "$(stat -c %s "$T/plot/front.png")" -gt 5000 ] && ok || bad "plot_front made no PNG"
[ -s "$T/plot/lambda.svg" ] && ok || bad "plot_front made no lambda.svg"
head -c 8 "$T/plot/front.png" | od -An -tx1 | grep -q "89 50 4e 47" && ok || bad "front.png is not a PNG"

echo "cli_experiment: $pass passed, $fail failed"
[ "$fail" = 0 ]
