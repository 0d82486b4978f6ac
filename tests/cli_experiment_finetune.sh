#!/usr/bin/env bash
# cli_experiment_finetune.sh — an experiment's fine-tuning stage: the
# finetune.ppo block reaches the experts', MORL runs' and twin's config.json
# and not the pretraining's or the controls'; the anchors are refused where
# they cannot apply; the twin (a same-reward floor) added to a finished
# experiment trains nothing else, and the report gives the floor and each
# expert's gain over its init; pretrain.from fine-tunes another
# experiment's inits.
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
command -v python3 >/dev/null || { echo "cli_experiment_finetune: needs python3"; exit 77; }
. "$(dirname "$0")/lib.sh"
key() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]))' "$1" "$2"; }

base='"env": "hopper", "rewards": {"risky": "risky", "cautious": "cautious"},
  "pretrain": {"steps": 1024}, "ppo": {"n_steps": 256, "epochs": 1, "lr": 0.0003},
  "front": {"grid": 3, "episodes": 1}, "morl": {"mu": [0.5], "steps": 1024}'
printf '{%s, "finetune": {"steps": 1536, "ppo": {"lr": 0.0001, "kl_init": 0.2, "critic_warmup": 1}}, "control": {"steps": 512}}\n' "$base" > "$T/ft.json"

# ---- bad input: a clear error naming the key, nothing run ----
printf '{%s, "finetune": {"steps": 1536}, "control": false}\n' "${base/\"epochs\": 1/\"epochs\": 1, \"kl_init\": 0.1}" > "$T/b1.json"
expect base-kl 1 "ppo.kl_init: anchors a fine-tuning to its init.*give it in finetune.ppo" -- "$R" experiment "$T/b1.json" --out "$T/x" --dry-run
printf '{%s, "finetune": {"steps": 1536, "ppo": {"kl_beta": 1}}, "control": false}\n' "$base" > "$T/b2.json"
expect ft-unknown-key 1 "finetune.ppo.kl_beta" -- "$R" experiment "$T/b2.json" --out "$T/x" --dry-run
printf '{%s, "finetune": {"steps": 1536, "ppo": {"kl_init": -1}}, "control": false}\n' "$base" > "$T/b3.json"
expect ft-negative 1 "finetune.ppo: kl_init must be in \[0, 1e6\]" -- "$R" experiment "$T/b3.json" --out "$T/x" --dry-run
printf '{%s, "finetune": {"steps": 1536, "ppo": {"critic_warmup": 3}}, "control": false}\n' "$base" > "$T/b4.json"
expect ft-warmup-long 1 "finetune.ppo: critic_warmup \(3 updates\) must be shorter than the run \(3 updates" -- "$R" experiment "$T/b4.json" --out "$T/x" --dry-run
printf '{%s, "finetune": {"steps": 1536, "twin": 1}, "control": false}\n' "$base" > "$T/b5.json"
expect twin-not-bool 1 "finetune.twin: expected true or false" -- "$R" experiment "$T/b5.json" --out "$T/x" --dry-run
printf '{%s, "finetune": {"steps": 1536, "shared_seed": "yes"}, "control": false}\n' "$base" > "$T/b7.json"
expect shared-seed-not-bool 1 "finetune.shared_seed: expected true or false" -- "$R" experiment "$T/b7.json" --out "$T/x" --dry-run
# finetune.shared_seed: every expert takes the first expert's seed; the twin keeps its own
seed_of() { sed -n "s|^$1 .* --seed \([0-9]*\) .*|\1|p" "$2"; }
for ss in false true; do
  printf '{%s, "finetune": {"steps": 1536, "twin": true, "shared_seed": %s}, "control": false}\n' "$base" "$ss" > "$T/ss.json"
  "$R" experiment "$T/ss.json" --out "$T/ss" --dry-run > "$T/ss.txt" 2>&1
  a=$(seed_of expert_risky "$T/ss.txt") b=$(seed_of expert_cautious "$T/ss.txt") t=$(seed_of twin_risky "$T/ss.txt")
  if [ "$ss" = true ]; then [ -n "$a" ] && [ "$a" = "$b" ] && [ "$t" != "$a" ]; else [ -n "$a" ] && [ "$a" != "$b" ]; fi \
    && ok || bad "shared_seed $ss: experts' seeds $a and $b, twin's $t"
done
printf '{%s, "finetune": {"steps": 1536, "ppo": {"init": "elsewhere"}}, "control": false}\n' "$base" > "$T/b6.json"
expect ft-managed 1 "finetune.ppo.init: set by the experiment itself" -- "$R" experiment "$T/b6.json" --out "$T/x" --dry-run
[ ! -e "$T/x" ] && ok || bad "a refused experiment made its folder"

# ---- the finetune block reaches the fine-tuning stages only ----
E="$T/e"
expect run 0 "hypervolume: rewarded soups" -- "$R" experiment "$T/ft.json" --out "$E" --quiet --threads 1
for j in expert_risky expert_cautious morl_0; do
  [ "$(key "$E/$j/config.json" lr)" = 0.0001 ] && [ "$(key "$E/$j/config.json" kl_init)" = 0.2 ] && \
    [ "$(key "$E/$j/config.json" critic_warmup)" = 1 ] && [ "$(key "$E/$j/config.json" finetune)" = none ] \
    && ok || bad "$j: the finetune block did not reach its config.json"
done
for j in pretrain control_risky; do
  [ "$(key "$E/$j/config.json" lr)" = 0.0003 ] && [ "$(key "$E/$j/config.json" kl_init)" = 0 ] \
    && ok || bad "$j: took the fine-tuning settings"
done
grep -q '"critic_warmup":true' "$E/expert_risky/log.jsonl" && ok || bad "the expert did not warm its critic up"
grep -q "Fine-tuning settings (experts, MORL): .*\"kl_init\":0.2" "$E/report.md" && ok || bad "report does not name the fine-tuning settings"
grep -q "## Experts against their init" "$E/report.md" && grep -q "| risky | .* of 1 |" "$E/report.md" \
  && ok || bad "report lacks the experts' gains"
python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
g = {e["reward"]: e for e in m["expert_gain"]}
r = m["per_replicate"][0]
for k, name in enumerate(["risky", "cautious"]):
    l = r["lmc"][k]
    want = l["expert_own_return"] - l["init_return"]
    assert abs(g[name]["gain"]["mean"] - want) < 1e-9 * max(1, abs(want)), (name, g[name], want)
' "$E/metrics.json" && ok || bad "metrics.json: expert_gain is not expert minus init"
# the trade-off rule, recomputed from front.csv: on each reward the span is
# the best minus the worst soup or expert; expert i gives up, on reward k,
# expert k's return there minus its own, as a fraction of the span
python3 -c '
import csv, json, sys
m = json.load(open(sys.argv[1]))
rows = [r for r in csv.reader(open(sys.argv[2])) if r and not r[0].startswith("#")]
head, rows = rows[0], rows[1:]
obj = [j for j, h in enumerate(head) if h.startswith("obj:")]
pts = [[float(r[j]) for j in obj] for r in rows if r[0] in ("soup", "expert")]
ex = [[float(r[j]) for j in obj] for r in rows if r[0] == "expert"]
d = len(obj)
span = [max(p[k] for p in pts) - min(p[k] for p in pts) for k in range(d)]
r = m["per_replicate"][0]
want_ok = True
for i in range(d):
    for k in range(d):
        got = r["expert_loss_of_span"][i][k]
        if i == k:
            assert got is None, got
            continue
        want = (ex[k][k] - ex[i][k]) / span[k]
        assert abs(got - want) < 1e-9, (i, k, got, want)
        want_ok = want_ok and want >= 0.1
assert r["experts_trade_off"] == want_ok
assert m["verdicts"]["experts_trade_off"] == int(want_ok) and m["verdicts"]["experts_trade_off_of"] == 1
' "$E/metrics.json" "$E/front.csv" && ok || bad "metrics.json: the experts' trade-off is not what front.csv says"
# the trainings' own time survives a report made later: the sum of every
# training's last progress.csv time_s
python3 -c '
import glob, json, os, sys
m = json.load(open(sys.argv[1]))
runs = [d for d in glob.glob(os.path.join(sys.argv[2], "*")) if os.path.exists(os.path.join(d, "progress.csv"))]
t = sum(float(open(os.path.join(d, "progress.csv")).read().split()[-1].split(",")[2]) for d in runs)
assert m["trainings"] == len(runs) > 0, (m["trainings"], runs)
assert abs(m["trainings_wall_time_s"] - t) < 1e-6 * max(1, t), (m["trainings_wall_time_s"], t)
' "$E/metrics.json" "$E" && grep -q "trainings' own times add to" "$E/report.md" \
  && ok || bad "metrics.json: trainings_wall_time_s is not the trainings' progress.csv time"
grep -q "Experts trade off.* in \*\*[01] of 1\*\* replicates" "$E/report.md" && grep -q "## Do the experts trade off?" "$E/report.md" \
  && ok || bad "report lacks the trade-off verdict"

# ---- the report says when its reference point moved since the folder's last report ----
out=$("$R" experiment "$T/ft.json" --out "$E" --quiet --threads 1 2>&1)
! grep -q "reference point moved" <<<"$out" && ! grep -q "reference point moved" "$E/report.md" && ok || bad "an unchanged rerun says the reference point moved"
# metrics.json keeps 15 significant digits, so a point read back may differ
# from the one computed in its last bits: that is not a move
python3 -c '
import json, sys
m = json.load(open(sys.argv[1])); m["reference_point"] = [r * (1 + 3e-15) for r in m["reference_point"]]
json.dump(m, open(sys.argv[1], "w"))' "$E/metrics.json"
out=$("$R" experiment "$T/ft.json" --out "$E" --quiet --threads 1 2>&1)
! grep -q "reference point moved" <<<"$out" && ok || bad "a point off in its last digits reads as moved: $out"
python3 -c '
import json, sys
m = json.load(open(sys.argv[1])); m["reference_point"] = [r - 1 for r in m["reference_point"]]
json.dump(m, open(sys.argv[1], "w"))' "$E/metrics.json"
out=$("$R" experiment "$T/ft.json" --out "$E" --quiet --threads 1 2>&1)
grep -q "note: the reference point moved since this folder's last report" <<<"$out" && \
  grep -q "The reference point moved" "$E/report.md" \
  && ok || bad "a moved reference point is not reported: $out"
# an expert that beats the other on the other's own reward is flagged (the front edited so)
cp "$E/front.csv" "$T/front.keep"
python3 -c '
import sys
lines = open(sys.argv[1]).read().split("\n")
h = next(i for i, l in enumerate(lines) if l and not l.startswith("#"))
cols = lines[h].split(","); k, lab, r = cols.index("kind"), cols.index("label"), cols.index("obj:risky")
for i in range(h + 1, len(lines)):
    f = lines[i].split(",")
    if len(f) > r and f[k] == "expert" and f[lab] == "expert_cautious":
        f[r] = "1e6"; lines[i] = ",".join(f)
open(sys.argv[1], "w").write("\n".join(lines))' "$E/front.csv"
"$R" experiment "$T/ft.json" --out "$E" --quiet --threads 1 >/dev/null 2>&1
grep -q "The \*\*cautious\*\* expert scores at least as well as the risky expert on \`risky\`" "$E/report.md" \
  && ok || bad "an expert beating the other on its own reward is not flagged"
cp "$T/front.keep" "$E/front.csv"
# --seeds with a trailing comma is a list of one seed
"$R" experiment "$T/ft.json" --seeds 5, --out "$T/s5" --dry-run 2>&1 | grep -q "^seed_5/pretrain" && ok || bad "--seeds 5, refused"

# ---- settings that change no training bit (evaluations, checkpoints, threads) redo nothing ----
sed 's/"lr": 0.0003}/"lr": 0.0003, "eval_every": 1, "save_every": 3}/; s/"critic_warmup": 1}/"critic_warmup": 1, "eval_episodes": 2}/' "$T/ft.json" > "$T/ft_eval.json"
grep -q '"eval_every": 1' "$T/ft_eval.json" && grep -q '"eval_episodes": 2' "$T/ft_eval.json" || bad "ft_eval.json was not made"
out=$("$R" experiment "$T/ft_eval.json" --out "$E" --dry-run 2>&1)
! grep -qE " +run " <<<"$out" && grep -q "pretrain *up to date" <<<"$out" && ok || bad "evaluation settings redo finished stages: $out"
# ... while one that does (a budget) still does
sed 's/"lr": 0.0003}/"lr": 0.0003, "gamma": 0.98}/' "$T/ft.json" > "$T/ft_gamma.json"
"$R" experiment "$T/ft_gamma.json" --out "$E" --dry-run 2>&1 | grep -qE "^pretrain +run" && ok || bad "a changed gamma did not redo the pretraining"

# ---- the twin, added to the finished experiment, trains nothing else ----
sed 's/"finetune": {"steps": 1536,/"finetune": {"steps": 1536, "twin": true,/' "$T/ft.json" > "$T/ft_twin.json"
out=$("$R" experiment "$T/ft_twin.json" --out "$E" --dry-run 2>&1)
grep -E " +run " <<<"$out" | awk '{print $1}' | sort | tr '\n' ' ' | grep -qx "twin_front twin_risky " \
  && ok || bad "adding the twin plans more than its own jobs: $out"
expect run-twin 0 "hypervolume" -- "$R" experiment "$T/ft_twin.json" --out "$E" --quiet --threads 1
[ "$(key "$E/twin_risky/config.json" kl_init)" = 0.2 ] && [ "$(key "$E/twin_risky/config.json" reward)" = risky ] \
  && [ "$(key "$E/twin_risky/config.json" seed)" != "$(key "$E/expert_risky/config.json" seed)" ] \
  && ok || bad "the twin is not a fine-tuning on the first reward with another seed"
grep -q "same-reward twin (the floor) | risky |" "$E/report.md" && grep -q "H1 against the same-reward floor" "$E/report.md" \
  && ok || bad "report lacks the twin floor"
python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
t = m["twin"]; assert t["reward"] == "risky" and t["of"] == 1, t
assert "twin" in m["per_replicate"][0]
' "$E/metrics.json" && ok || bad "metrics.json lacks the twin"
# the twin's barrier is what rsoup lmc finds on its front
want=$("$R" lmc --front "$E/twin_front.csv" --json 2>/dev/null | python3 -c 'import json, sys; o = json.load(sys.stdin); print(round(o["rewards"][0]["barrier"], 6))' 2>/dev/null)
got=$(python3 -c 'import json, sys; print(round(json.load(open(sys.argv[1]))["per_replicate"][0]["twin"]["barrier"], 6))' "$E/metrics.json")
[ -n "$want" ] && [ "$want" = "$got" ] && ok || bad "twin barrier $got, rsoup lmc says '$want'"

# ---- pretrain.from: another experiment's init, no pretraining of its own ----
printf '{%s, "finetune": {"steps": 1536, "ppo": {"lr": 0.00005}}, "control": false}\n' "${base/\"pretrain\": {\"steps\": 1024\}/\"pretrain\": {\"from\": \"$E\"\}}" > "$T/from.json"
out=$("$R" experiment "$T/from.json" --out "$T/f" --dry-run 2>&1)
! grep -q "^pretrain" <<<"$out" && grep -q -- "--init $E/pretrain" <<<"$out" && ok || bad "pretrain.from: $out"
expect from-run 0 "hypervolume" -- "$R" experiment "$T/from.json" --out "$T/f" --quiet --threads 1
expect from-rerun 0 "\[front\] up to date" -- "$R" experiment "$T/from.json" --out "$T/f" --threads 1
mv "$E/pretrain/.done" "$E/pretrain/.done.x"
expect from-unfinished 1 "pretrain.from: .*pretrain/.done is missing" -- "$R" experiment "$T/from.json" --out "$T/f" --dry-run
mv "$E/pretrain/.done.x" "$E/pretrain/.done"

echo "cli_experiment_finetune: $pass passed, $fail failed"
[ "$fail" = 0 ]
