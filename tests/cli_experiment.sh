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
printf '%s trailing\n' '{"env": "hopper", "rewards": {"a": "risky", "b": "cautious"}, "pretrain": {"steps": 10}, "finetune": {"steps": 10}}' > "$T/trail.json"
expect trailing-text 1 "text after the JSON object" -- "$R" experiment "$T/trail.json" --out "$T/x" --dry-run
cfg '{"env": "hopper", "rewards": {"a": "risky", "b": "cautious"}, "pretrain": {"steps": 10}, "finetune": {"steps": 10}, "ppo": {"arch": "64,abc"}}' arch.json
expect bad-arch 1 "ppo: bad architecture '64,abc'" -- "$R" experiment "$T/arch.json" --out "$T/x" --dry-run
# every shipped config parses and plans its jobs (running them is an experiment);
# one whose init is another experiment's (pretrain.from) starts at its experts
for f in "$SRC"/experiments/*.json; do
  first="pretrain"
  grep -q '"from"' "$f" && first="expert_[a-z]+"
  expect "shipped-$(basename "$f")" 0 "(^|/)$first +run" -- "$R" experiment "$f" --out "$T/shipped" --dry-run
done

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
# a ppo block that gives every key of the env's set leaves the set out of the stamps (it changes
# nothing); one that gives only some keys keeps it in
sed 's/"env": "halfcheetah"/"env": "humanoid"/; s/"ppo": {[^}]*}/"ppo": {"n_envs": 16, "n_steps": 256, "minibatches": 32, "log_std_init": -1, "arch": "64,64", "target_kl": 0.02}/' \
  "$T/tiny.json" > "$T/hum_full.json"
sed 's/"env": "halfcheetah"/"env": "humanoid"/' "$T/tiny.json" > "$T/hum_part.json"
out=$("$R" experiment "$T/hum_full.json" --out "$T/dry" --dry-run 2>&1)
grep -q "pretrain" <<<"$out" && ! grep -q "own hparams" <<<"$out" && ok || bad "a fully overridden set is in the stamps: $out"
expect dry-partset 0 "humanoid's own hparams@" -- "$R" experiment "$T/hum_part.json" --out "$T/dry" --dry-run
expect run 0 "hypervolume: rewarded soups" -- "$R" experiment "$T/tiny.json" --out "$E" --quiet --threads 1
for f in report.md front.csv control_front.csv metrics.json front.png lambda.png curves.png \
         pretrain/policy.safetensors expert_risky/policy.safetensors morl_0/policy.safetensors; do
  [ -s "$E/$f" ] && ok || bad "missing $f"
done
grep -q "Soups vs MORL.*of MORL's" "$E/report.md" && ok || bad "report lacks the HV ratio"
grep -q "H1.* holds in \*\*[01] of 1\*\*" "$E/report.md" && ok || bad "report lacks the LMC verdict"
grep -q "Single seed" "$E/report.md" && ok || bad "a single-seed report does not say so"
# front.csv: 2 experts + init + 1 MORL + 3 soups, and a header
[ "$(grep -v "^#" "$E/front.csv" | grep -c .)" = 8 ] && ok || bad "front.csv rows: $(grep -v "^#" "$E/front.csv" | grep -c .)"
grep -q "^# experts: .*expert_risky/policy.safetensors;.*expert_cautious" "$E/front.csv" && grep -q "^# mixing: linear" "$E/front.csv" && ok || bad "front.csv lacks its provenance"
# a second run skips every stage
expect rerun-skips 0 "\[front\] up to date, skipped" -- "$R" experiment "$T/tiny.json" --out "$E" --quiet --threads 1
out=$("$R" experiment "$T/tiny.json" --out "$E" --quiet --threads 1 2>&1)
grep -q "started" <<<"$out" && bad "rerun started a job: $out" || ok
# --json: one summary object on stdout (the headline goes to stderr)
js=$("$R" experiment "$T/tiny.json" --out "$E" --quiet --threads 1 --json 2>/dev/null)
fl=$(tr -d ' \n\t' <<<"$js")
[ "${js:0:1}" = "{" ] && grep -q "\"out\":\"$E\",\"status\":\"ok\",\"jobs\":[0-9]*,\"jobs_done\":0,\"jobs_skipped\":[1-9][0-9]*,\"jobs_failed\":0," <<<"$fl" &&
  grep -q "\"replicates_finished\":1,\"metrics\":\"$E/metrics.json\",\"report\":\"$E/report.md\"" <<<"$fl" && ok || bad "experiment --json: $js"
js=$("$R" experiment "$T/tiny.json" --out "$E" --dry-run --json 2>/dev/null | tr -d ' \n\t')
grep -q '"jobs":\[{"name":"pretrain","state":"uptodate","command":' <<<"$js" && ok || bad "experiment --dry-run --json: $js"
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
# stamps name the experiment's folder relatively: a record moved elsewhere is up to date there
grep -q -- "--out <out>/expert_risky --config <out>/ppo" "$E/expert_risky/.done" && ok || bad "stamp not relative: $(cat "$E/expert_risky/.done")"
cp -a "$E" "$T/moved"
out=$("$R" experiment "$T/tiny2.json" --out "$T/moved" --dry-run 2>&1)
! grep -qE " (run|resume) " <<<"$out" && grep -q "^front  *up to date" <<<"$out" && ok || bad "a moved record is not up to date: $out"
# stamps written before (the folder named as --out gave it, inputs hashed so)
# still match, in place or moved: rewrite every stamp the old way, hashes too
legacy() { # DIR OLD_OUT: the stamps of DIR as rsoup wrote them under --out OLD_OUT
  python3 - "$1" "$2" <<'PY'
import os, re, sys
d, old = sys.argv[1], sys.argv[2]
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b: h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
    return h
done = {}
def conv(text):
    text = text.replace("<out>", old)
    return re.sub(r"\[after ([^@\]]+)@[0-9a-f]{16}\]",
                  lambda m: "[after %s@%016x]" % (m.group(1), fnv(done[m.group(1)].encode())), text)
# a dependency's stamp is converted before its dependents': the pretraining,
# the other trainings, then the fronts
jobs = sorted(os.listdir(d), key=lambda n: (os.path.isfile(os.path.join(d, n)), n != "pretrain"))
for n in jobs:
    for w in ("done", "started"):
        p = os.path.join(d, n, "." + w) if os.path.isdir(os.path.join(d, n)) else os.path.join(d, n)
        if not os.path.isdir(os.path.join(d, n)) and not n.endswith("." + w): continue
        if not os.path.isfile(p): continue
        # the old runner wrote a job's .started as its .done
        q = p[: -len("started")] + "done"
        t = conv(open(q if w == "started" and os.path.isfile(q) else p).read())
        open(p, "w").write(t)
        if w == "done" and os.path.isdir(os.path.join(d, n)): done[n] = t
PY
}
cp -a "$E" "$T/old_here" && legacy "$T/old_here" "$T/old_here"
grep -q -- "--out $T/old_here/expert_risky " "$T/old_here/expert_risky/.done" && ok || bad "legacy stamps not written"
out=$("$R" experiment "$T/tiny2.json" --out "$T/old_here" --dry-run 2>&1)
! grep -qE " (run|resume) " <<<"$out" && ok || bad "old stamps in place are not up to date: $out"
cp -a "$E" "$T/old_moved" && legacy "$T/old_moved" "runs/elsewhere"
out=$("$R" experiment "$T/tiny2.json" --out "$T/old_moved" --dry-run 2>&1)
! grep -qE " (run|resume) " <<<"$out" && ok || bad "old stamps made under another --out are not up to date: $out"
# and an old stamp of another command does not match
sed -i 's/--steps 1280 /--steps 1024 /' "$T/old_moved/expert_risky/.done" "$T/old_moved/expert_risky/.started"
out=$("$R" experiment "$T/tiny2.json" --out "$T/old_moved" --dry-run 2>&1)
grep -q "^expert_risky  *run " <<<"$out" && grep -q "^expert_cautious  *up to date" <<<"$out" &&
  ok || bad "a changed old stamp matched: $out"
# a front cut short resumes where it started, and starts over in a moved record (its
# partial file names its experts where they were)
rm "$T/old_here/front.csv.done" "$T/moved/front.csv.done"
out=$("$R" experiment "$T/tiny2.json" --out "$T/old_here" --dry-run 2>&1)
grep -q "^front  *resume " <<<"$out" && ok || bad "a partial front in place does not resume: $out"
out=$("$R" experiment "$T/tiny2.json" --out "$T/moved" --dry-run 2>&1)
grep -q "^front  *run " <<<"$out" && ok || bad "a partial front in a moved record resumes: $out"

# ---- select --refine on the tiny experiment's front ----
js=$("$R" select "$E/front.csv" --weights 0.5,0.5 --refine --experts "$E/expert_risky;$E/expert_cautious" --threads 1 --json 2>/dev/null)
lam=$(tr -d ' \n\t' <<<"$js" | sed -n 's/.*"refined":{"lambda":\[\([^]]*\)\].*/\1/p')
uref=$(python3 -c 'import json, sys; print(repr(json.loads(sys.argv[1])["refined"]["utility"]))' "$js" 2>/dev/null)
if [ -n "$lam" ] && [ -n "$uref" ]; then ok; else bad "select --refine gave no refined point: $js"; fi
# the refined utility is reproduced independently: rsoup soup at that λ, then rsoup eval
l2=${lam#*,}
"$R" soup "$E/expert_risky" "$E/expert_cautious" --lambda "$l2" --out "$T/refined.safetensors" >/dev/null 2>&1
ev=$("$R" eval "$T/refined.safetensors" --episodes 1 --seed 1000 --threads 1 --reward "risky;cautious" --json 2>/dev/null | tr -d ' \n\t')
u2=$(sed -n 's/.*"rewards":\[{"reward":"risky","mean":\([^,]*\),.*"reward":"cautious","mean":\([^,]*\),.*/\1 \2/p' <<<"$ev" | awk '{ printf "%.6f", 0.5 * $1 + 0.5 * $2 }')
awk -v a="$uref" -v b="$u2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-4 * (1 + (a < 0 ? -a : a))) }' && ok || bad "refined utility $uref not reproduced by soup+eval ($u2, lambda $l2)"

# ---- seeds: replicates in one graph ----
cfg '{"name": "seeds", "env": "hopper",
  "rewards": {"risky": "risky", "cautious": "cautious"},
  "pretrain": {"reward": "default", "steps": 1024},
  "finetune": {"steps": 512},
  "ppo": {"n_steps": 128, "epochs": 1},
  "front": {"grid": 3, "episodes": 2},
  "morl": {"mu": [0.5], "steps": 512},
  "control": {"steps": 512}, "seeds": [1, 2]}' seeds.json
S="$T/seeds"
expect seeds-run 0 "replicates: 2 of 2 finished" -- "$R" experiment "$T/seeds.json" --out "$S" --quiet --jobs 2
for f in seed_1/front.csv seed_2/front.csv metrics.json report.md lambda_stats.csv; do
  [ -s "$S/$f" ] && ok || bad "seeds: missing $f"
done
# every seed of replicate s is the config's plus 10000 s
grep -q -- "--seed 10001 " "$S/seed_1/pretrain/.done" && grep -q -- "--seed 20002 " "$S/seed_2/expert_risky/.done" && ok || bad "replicate seeds not derived"
grep -q '"replicates_finished":	2' "$S/metrics.json" && grep -q '"h1_of":	2' "$S/metrics.json" && ok || bad "metrics.json aggregates"
grep -q "^| 2 | ok |" "$S/report.md" && grep -q "holds in \*\*[0-2] of 2\*\*" "$S/report.md" && ok || bad "report: per-seed rows and counts"
# adding a seed trains only the new replicate; dropping one retrains nothing
out=$("$R" experiment "$T/seeds.json" --out "$S" --quiet --jobs 2 --seeds 1,2,3 2>&1)
n_new=$(grep -c "started" <<<"$out")
grep -q "\[seed_1/front\] up to date" <<<"$out" && grep -q "\[seed_2/pretrain\] up to date" <<<"$out" && \
  ! grep -q "seed_[12]/.*started" <<<"$out" && [ "$n_new" = 8 ] && ok || bad "adding seed 3 redid other replicates ($n_new started): $out"
grep -q "replicates: 3 of 3 finished" <<<"$out" && ok || bad "three replicates not reported"
out=$("$R" experiment "$T/seeds.json" --out "$S" --quiet --seeds 1,3 2>&1)
grep -q "started" <<<"$out" && bad "dropping a seed retrained: $out" || ok
grep -q "replicates: 2 of 2 finished (seeds 1, 3)" <<<"$out" && ok || bad "seeds 1,3 not reported: $out"
# a failed replicate: the others are reported, the report names it, nothing finished is redone
# (seed 3's init is damaged and its cautious expert must retrain from it: that training fails)
for f in policy train; do
  head -c 100 "$S/seed_3/pretrain/$f.safetensors" > "$T/cut" && cat "$T/cut" > "$S/seed_3/pretrain/$f.safetensors"
done
rm -f "$S/seed_3/expert_cautious/.done" "$S/seed_3/expert_cautious/train.safetensors"
out=$("$R" experiment "$T/seeds.json" --out "$S" --quiet --seeds 1,2,3 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "replicates: 2 of 3 finished" <<<"$out" && ok || bad "failed replicate: rc=$rc $out"
grep -q "Replicate seed 3 did not finish" "$S/report.md" && grep -q "^| 3 | expert_cautious failed" "$S/report.md" && ok || bad "report does not name the failed replicate"
grep -q '"replicates_finished":	2' "$S/metrics.json" && ok || bad "aggregates not over 2 of 3"
grep -q "seed_[12]/.*started" <<<"$out" && bad "a failed replicate retrained others: $out" || ok
[ -f "$S/seed_3/expert_risky/.done" ] && ok || bad "a finished job of the failed replicate was lost"
# --json after a failed job: its status, the failed job named, 2 of 3 replicates
js=$("$R" experiment "$T/seeds.json" --out "$S" --quiet --seeds 1,2,3 --json 2>/dev/null); rc=$?
fl=$(tr -d ' \n\t' <<<"$js")
[ "$rc" = 1 ] && grep -q '"status":"failed"' <<<"$fl" && grep -q '"jobs_failed":[1-9]' <<<"$fl" &&
  grep -q '"failed":\[[^]]*"seed_3/expert_cautious"' <<<"$fl" && grep -q '"replicates":3,"replicates_finished":2,' <<<"$fl" &&
  ok || bad "experiment --json after a failure: rc=$rc $js"
# lmc over several fronts: each one's verdict, then aggregates with intervals
out=$("$R" lmc --front "$S/seed_1/front.csv" "$S/seed_2/front.csv" "$S/seed_3/front.csv" 2>&1); rc=$?
[ "$rc" = 0 ] && grep -q "over 3 fronts" <<<"$out" && grep -qE "H1 holds in [0-3] of 3 fronts" <<<"$out" && grep -q "barrier .* \[.*\], area above the line" <<<"$out" && ok || bad "lmc over fronts: rc=$rc $out"
js=$("$R" lmc --front "$S/seed_1/front.csv" "$S/seed_2/front.csv" --json 2>/dev/null | tr -d ' \n\t')
grep -q '"aggregate":{"rewards":\[{"reward":"risky","barrier":{"mean":' <<<"$js" && grep -q '"fronts":2' <<<"$js" && ok || bad "lmc --json aggregate: $js"
# pareto over several fronts: one shared reference point; each front's hypervolume equals a
# single-front score against that point, and the mean is theirs
out=$("$R" pareto "$S/seed_1/front.csv" "$S/seed_2/front.csv" 2>&1)
ref=$(sed -n 's/^2 fronts, one reference point (\([^)]*\)).*/\1/p' <<<"$out" | tr -d ' ')
h1=$("$R" pareto "$S/seed_1/front.csv" --ref "$ref" | sed -n 's/^hypervolume: //p')
h2=$("$R" pareto "$S/seed_2/front.csv" --ref "$ref" | sed -n 's/^hypervolume: //p')
m=$(sed -n 's/^  hypervolume \([^ ]*\) \[.*/\1/p' <<<"$out")
awk -v a="$h1" -v b="$h2" -v m="$m" 'BEGIN { e = (a + b) / 2 - m; if (e < 0) e = -e; exit !(a > 0 && e <= 1e-5 * (1 + m)) }' && \
  grep -q "seed_1/front.csv: hypervolume $(printf '%.6g' "$h1")" <<<"$out" && ok || bad "pareto over fronts: $out (singles $h1 $h2 at $ref)"
# the experts a front was made from are recorded: select --refine needs no --experts, and others are refused
out=$("$R" select "$S/seed_1/front.csv" --weights 0.5,0.5 --refine --iters 2 --threads 1 2>&1); rc=$?
[ "$rc" = 0 ] && grep -q "refined" <<<"$out" && ok || bad "select --refine without --experts: rc=$rc $out"
# a copy of the experts (an archived record) is still them; files that are gone let --experts stand in
mkdir -p "$T/copy" && cp -r "$S/seed_1/expert_risky" "$S/seed_1/expert_cautious" "$T/copy/"
expect refine-copied-experts 0 "refined" -- "$R" select "$S/seed_1/front.csv" --weights 0.5,0.5 --refine --iters 2 --threads 1 --experts "$T/copy/expert_risky;$T/copy/expert_cautious"
sed "s|^# experts: .*|# experts: $T/gone/a/policy.safetensors;$T/gone/b/policy.safetensors|" "$S/seed_1/front.csv" > "$T/moved_front.csv"
expect refine-moved-front 0 "not on this machine; using --experts as given" -- "$R" select "$T/moved_front.csv" --weights 0.5,0.5 --refine --iters 2 --threads 1 --experts "$S/seed_1/expert_risky;$S/seed_1/expert_cautious"
expect refine-wrong-experts 2 "are not the experts this front was made from" -- "$R" select "$S/seed_1/front.csv" --weights 0.5,0.5 --refine --experts "$S/seed_2/expert_risky;$S/seed_2/expert_cautious"
expect lmc-wrong-experts 1 "was made from .*not from the experts given" -- "$R" lmc "$S/seed_2/expert_risky" "$S/seed_2/expert_cautious" --front "$S/seed_1/front.csv"
expect lmc-right-experts 0 "H1 (holds|fails) here" -- "$R" lmc "$S/seed_1/expert_risky/" "$S/seed_1/expert_cautious/policy.safetensors" --front "$S/seed_1/front.csv"
# bad seeds
expect seeds-dup 2 "seed 2 is listed twice" -- "$R" experiment "$T/seeds.json" --out "$S" --seeds 1,2,2 --dry-run
expect seeds-zero 2 "give 1 to 64 replicates" -- "$R" experiment "$T/seeds.json" --out "$S" --seeds 0 --dry-run
sed 's/"seeds": \[1, 2\]/"seeds": 0/' "$T/seeds.json" > "$T/seeds0.json"
expect seeds-zero-config 1 "seeds: 0 replicates" -- "$R" experiment "$T/seeds0.json" --out "$S" --dry-run
sed 's/"seeds": \[1, 2\]/"seeds": [4, 4]/' "$T/seeds.json" > "$T/seedsdup.json"
expect seeds-dup-config 1 "seeds\[1\]: seed 4 is listed twice" -- "$R" experiment "$T/seedsdup.json" --out "$S" --dry-run
# duplicate reward names would train two experts into one folder
cfg '{"env": "hopper", "rewards": {"risky": "risky", "risky": "cautious"}, "pretrain": {"steps": 10}, "finetune": {"steps": 10}}' dupname.json
expect dup-reward-name 1 "rewards.risky: (named|given) twice" -- "$R" experiment "$T/dupname.json" --out "$T/x" --dry-run
# a front with 16 dependencies (2 experts, the init and 13 MORL runs): the old fixed table overflowed
mus=$(seq -s, 0 12 | sed 's/[0-9]*/0.5/g')
sed "s/\"mu\": \[0.5\]/\"mu\": [$mus]/" "$T/seeds.json" > "$T/many.json"
out=$("$R" experiment "$T/many.json" --out "$T/many" --seeds 1 --dry-run 2>&1); rc=$?
[ "$rc" = 0 ] && grep "seed_1/front " <<<"$out" | grep -q "after morl_12@" && ok || bad "front lost a dependency: rc=$rc $(grep front <<<"$out" | head -2)"
# dry-run lines are shell-safe: the ';' in --rewards is quoted
grep "seed_1/front " <<<"$out" | grep -q -- "--rewards 'risky;cautious'" && ok || bad "dry-run not shell-safe"
# a folder the experiment did not make is never deleted
P="$T/precious"; mkdir -p "$P/pretrain" && echo keep > "$P/pretrain/precious.txt"
out=$("$R" experiment "$T/tiny_generic.json" --out "$P" --quiet --threads 1 2>&1); rc=$?
[ "$rc" = 1 ] && [ -f "$P/pretrain/precious.txt" ] && grep -q "did not make" <<<"$out" && ok || bad "deleted or took an unstamped folder: rc=$rc $out"
# --out that the shell would have read as a command: no shell is involved
Q="$T/q';touch $T/PWNED;'"; mkdir -p "$Q/pretrain"; echo x > "$Q/pretrain/.started"
"$R" experiment "$T/tiny_generic.json" --out "$Q" --quiet --threads 1 --dry-run >/dev/null 2>&1
"$R" experiment "$T/tiny_generic.json" --out "$Q" --quiet --threads 1 >/dev/null 2>&1
[ ! -e "$T/PWNED" ] && ok || bad "--out ran a shell command"

# a config "name" is one plain folder name: it is runs/<name>, and reaches reports and plots
# (the names as JSON strings: \\n is a line break)
for nm in '..' '../../x' 'a/b' "o'; system 'touch $T/PWNED'; print '" 'nl\\n!touch PWNED' '-rf' ''; do
  sed "s|\"name\": \"seeds\"|\"name\": \"${nm//|/\\|}\"|" "$T/seeds.json" > "$T/badname.json"
  expect "bad-name $nm" 1 "badname.json: name: " -- "$R" experiment "$T/badname.json" --out "$T/x" --dry-run
done
[ ! -e "$T/PWNED" ] && ok || bad "a config name ran a command"
# an experiment never writes inside another experiment's folder, a job's folder, or a folder a
# running rsoup process writes (a second runner on seed_1 of a running one trained into it)
expect nested-in-experiment 1 "is inside .*/seeds, an experiment's folder" -- "$R" experiment "$T/tiny.json" --out "$S/seed_1" --dry-run
expect nested-in-job 1 "is inside .*/seeds/seed_1/pretrain, a job's folder" -- "$R" experiment "$T/tiny.json" --out "$S/seed_1/pretrain/x" --dry-run
expect nested-is-job 1 "is a job's folder of another experiment" -- "$R" experiment "$T/tiny.json" --out "$S/seed_1/pretrain" --dry-run
mkdir -p "$T/held"; flock -o "$T/held" sleep 5 & hp=$!
for _ in $(seq 100); do flock -n "$T/held" true || break; sleep 0.05; done
expect nested-in-running 1 "is inside .*/held, a folder that a running rsoup process writes" -- "$R" experiment "$T/tiny.json" --out "$T/held/exp" --dry-run
kill $hp 2>/dev/null; wait $hp 2>/dev/null
mkdir -p "$T/outer/seed_1" && echo other > "$T/outer/seed_1/.experiment"
expect holds-experiment 1 "outer/seed_1 is another experiment's folder" -- "$R" experiment "$T/seeds.json" --out "$T/outer" --dry-run
expect not-nested 0 "pretrain +run" -- "$R" experiment "$T/seeds.json" --out "$T/outer2" --dry-run

# SIGTERM to the runner reaches its jobs: they save a checkpoint (what a rerun resumes
# from), the runner says "interrupted", blocks nothing and leaves no job running
sed 's/"pretrain": {"reward": "default", "steps": 1024}/"pretrain": {"reward": "default", "steps": 400000}/' "$T/seeds.json" > "$T/longpre.json"
"$R" experiment "$T/longpre.json" --out "$T/term" --quiet --seeds 1 > "$T/term.out" 2>&1 &
rp=$!
for _ in $(seq 100); do [ -s "$T/term/seed_1/pretrain/progress.csv" ] && break; sleep 0.1; done
sleep 1; kill -TERM $rp; wait $rp; rc=$?
grep -q "\[seed_1/pretrain\] interrupted" "$T/term.out" && ! grep -q "not run" "$T/term.out" && [ "$rc" = 1 ] && \
  [ -s "$T/term/seed_1/pretrain/train.safetensors" ] && ok || bad "SIGTERM: rc=$rc $(cat "$T/term.out")"
pgrep -f "$T/term/" >/dev/null && bad "a job outlived its runner" || ok
# ---- the plot script on a fixture ----
mkdir -p "$T/plot" && cp "$SRC/tests/fixtures/front2.csv" "$T/plot/front.csv"
bash "$SRC/experiments/plot_front.sh" "$T/plot" 2>/dev/null
[ -s "$T/plot/front.png" ] && [ "$(stat -c %s "$T/plot/front.png")" -gt 5000 ] && ok || bad "plot_front made no PNG"
[ -s "$T/plot/lambda.svg" ] && ok || bad "plot_front made no lambda.svg"
head -c 8 "$T/plot/front.png" | od -An -tx1 | grep -q "89 50 4e 47" && ok || bad "front.png is not a PNG"

# no folder name or label becomes a gnuplot command: an experiment folder whose name holds
# gnuplot syntax (a quote, a line break), and a front whose reward names do
# (and one named like an option and an awk assignment, given relative: a path all the same)
ASRC=$(cd "$SRC" && pwd)
for q in "o'; system \"touch $T/PWNED1\"; print '" "nl"$'\n'"!touch $T/PWNED2"$'\n' "-x=1"; do
  mkdir -p "$T/$q" && cp -r "$E/." "$T/$q/"
  rm -f "$T/$q"/*.png
  (cd "$T" && bash "$ASRC/experiments/plot_front.sh" "$q" 2>/dev/null)
  [ -s "$T/$q/front.png" ] && [ -s "$T/$q/lambda.png" ] && [ -s "$T/$q/curves.png" ] && ok || bad "no plots in a folder named $(printf %q "$q")"
done
mkdir -p "$T/plotq"
sed "1s|obj:risky|obj:r'; system \"touch $T/PWNED3\"; print '|g; 1s|std:risky|std:r'; system \"touch $T/PWNED3\"; print '|" \
  "$SRC/tests/fixtures/front2.csv" > "$T/plotq/front.csv"
bash "$SRC/experiments/plot_front.sh" "$T/plotq" 2>/dev/null
[ -s "$T/plotq/front.png" ] && ok || bad "no plot of a front whose reward names hold quotes"
for f in PWNED1 PWNED2 PWNED3; do [ ! -e "$T/$f" ] && ok || bad "a path or a label ran a gnuplot command ($f)"; done

echo "cli_experiment: $pass passed, $fail failed"
[ "$fail" = 0 ]
