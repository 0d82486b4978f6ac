#!/usr/bin/env bash
# cli_names.sh — reward names as values: `rsoup front --names` writes the
# names as its columns and one '# reward NAME: SPEC' line each; without them
# the file is what it was (columns are the specs); every reader takes both
# (select by name, --refine, pareto, lmc, the report's runner); bad names
# are said by name; and the experiment runner's stamps ignore the names, so
# the committed record experiments/results/quick stays up to date.
set -u
R=${RSOUP_BIN:-build/rsoup}
SRC=${RSOUP_SRC:-.}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
. "$(dirname "$0")/lib.sh"
A=(--env hopper --n-envs 2 --n-steps 128 --minibatch 64 --epochs 1 --threads 1 --quiet)
"$R" train "${A[@]}" --steps 1024 --out "$T/pre" >/dev/null 2>&1
"$R" train "${A[@]}" --steps 512 --reward risky --seed 2 --init "$T/pre" --out "$T/a" >/dev/null 2>&1
"$R" train "${A[@]}" --steps 512 --reward cautious --seed 3 --init "$T/pre" --out "$T/b" >/dev/null 2>&1
F=(--grid 3 --episodes 1 --threads 1 --quiet)
RW='risky;forward=1.25,healthy=5,ctrl=1.8'
"$R" front "$T/a" "$T/b" "${F[@]}" --rewards "$RW" --names fast,calm --out "$T/n.csv" >/dev/null 2>&1 || bad "front --names failed"
"$R" front "$T/a" "$T/b" "${F[@]}" --rewards "$RW" --out "$T/o.csv" >/dev/null 2>&1 || bad "front failed"

# the named file: names in the columns, a spec line each, between the
# provenance and the header
grep -q '^kind,label,lambda:0,lambda:1,episodes,obj:fast,std:fast,obj:calm,std:calm,term:' "$T/n.csv" && ok || bad "named columns: $(grep ^kind "$T/n.csv")"
python3 - "$T/n.csv" <<'EOF' && ok || bad "the reward lines"
import sys
lines = open(sys.argv[1]).read().splitlines()
i = lines.index("# reward fast: risky")
assert lines[i + 1] == "# reward calm: forward=1.25,healthy=5,ctrl=1.8", lines[i + 1]
assert lines[i - 1].startswith("# seed: ") and lines[i + 2].startswith("kind,"), lines
EOF
# the file without names is the older kind: no reward line, spec columns,
# and the same numbers
! grep -q '^# reward' "$T/o.csv" && grep -q ',obj:risky,std:risky,obj:forward=1.25;healthy=5;ctrl=1.8,' "$T/o.csv" && ok || bad "unnamed file changed: $(grep -v '^# \(rsoup\|machine\)' "$T/o.csv" | head -3)"
cmp -s <(grep -v '^#' "$T/n.csv" | tail -n +2) <(grep -v '^#' "$T/o.csv" | tail -n +2) && ok || bad "named and unnamed rows differ"
# the JSON output names them too
"$R" front "$T/a" "$T/b" "${F[@]}" --rewards "$RW" --names fast,calm --out "$T/j.csv" --json 2>/dev/null |
  python3 -c 'import json, sys; o = json.load(sys.stdin); assert o["objectives"] == ["fast", "calm"], o["objectives"]; assert [x["reward"] for x in o["rows"][0]["rewards"]] == ["fast", "calm"]' && ok || bad "front --json names"

# bad names: exit 2 and a message naming what is wrong
expect dup 2 "rsoup front: --names: reward name 'a' is given twice" -- "$R" front "$T/a" "$T/b" "${F[@]}" --rewards "$RW" --names a,a --out "$T/x.csv"
expect sep 2 "reward name 'a;b' holds ';': names may hold letters, digits" -- "$R" front "$T/a" "$T/b" "${F[@]}" --rewards risky,cautious --names 'a;b,c' --out "$T/x.csv"
expect count 2 "3 names \('a,b,c'\) for 2 rewards" -- "$R" front "$T/a" "$T/b" "${F[@]}" --rewards "$RW" --names a,b,c --out "$T/x.csv"
expect count-own 2 "1 name \('a'\) for 2 rewards" -- "$R" front "$T/a" "$T/b" "${F[@]}" --names a --out "$T/x.csv"
[ ! -e "$T/x.csv" ] && ok || bad "a refused --names left a file"
# the experts' own rewards may be named too
"$R" front "$T/a" "$T/b" "${F[@]}" --names r,c --out "$T/own.csv" >/dev/null 2>&1 && grep -q '^# reward c: cautious$' "$T/own.csv" && ok || bad "--names over the experts' rewards"

# select: weights by name, on either kind of file; the same row as by position
pick() { "$R" select "$@" --json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["best"]["label"])'; }
want=$(pick "$T/o.csv" --weights 0.2,0.8)
[ -n "$want" ] && [ "$(pick "$T/n.csv" --weights calm=0.8,fast=0.2)" = "$want" ] && ok || bad "select by name on a named front"
[ "$(pick "$T/o.csv" --weights 'risky=0.2,forward=1.25;healthy=5;ctrl=1.8=0.8')" = "$want" ] && ok || bad "select by name on an older front"
expect select-unknown 2 "unknown objective 'slow' \(valid objectives in '.*n.csv': fast, calm\)" -- "$R" select "$T/n.csv" --weights slow=1
"$R" select "$T/n.csv" --weights fast=1 2>/dev/null | grep -q "on (fast, calm)" && ok || bad "select prints the names"

# --refine re-evaluates soups with the file's specs: the named front and the
# older one give the same search and the same fresh scores
rf() { "$R" select "$1" --weights 0.5,0.5 --refine --iters 2 --rescore 2 --threads 1 --json 2>/dev/null |
  python3 -c 'import json, sys; x = json.load(sys.stdin)["refined"]; print(x["lambda"], x["fresh"]["utility"])'; }
r1=$(rf "$T/n.csv"); r2=$(rf "$T/o.csv")
[ -n "$r1" ] && [ "$r1" = "$r2" ] && ok || bad "refine on a named front: '$r1', on the older one: '$r2'"
# a named front whose spec line says other weights is refined on those: a
# different fresh score than the column name would give if it were a spec
sed 's/^# reward calm: .*/# reward calm: forward=1/' "$T/n.csv" > "$T/n2.csv"
r3=$(rf "$T/n2.csv")
[ -n "$r3" ] && [ "$r3" != "$r1" ] && ok || bad "refine did not take the spec from the file ('$r3')"

# pareto and lmc read the names; a named and an older front of the same
# rewards compare as one set
"$R" pareto "$T/n.csv" 2>/dev/null | grep -q "2 objectives: fast, calm" && ok || bad "pareto names"
"$R" pareto "$T/n.csv" "$T/o.csv" >/dev/null 2>&1 && ok || bad "pareto of a named and an older front of the same rewards"
"$R" lmc --front "$T/n.csv" 2>/dev/null | grep -q "^reward calm" && ok || bad "lmc --front names"
# a resume of an older file with names keeps going (same rewards)
head -n -1 "$T/o.csv" > "$T/r.csv"
"$R" front "$T/a" "$T/b" "${F[@]}" --rewards "$RW" --names fast,calm --out "$T/r.csv" --resume >/dev/null 2>&1 &&
  cmp -s "$T/r.csv" "$T/o.csv" && ok || bad "resume of an older front with --names"
# but not with the same names on other rewards
head -n -1 "$T/n.csv" > "$T/r2.csv"
expect resume-other 1 "made with other experts or rewards" -- "$R" front "$T/a" "$T/b" "${F[@]}" --rewards risky,cautious --names fast,calm --out "$T/r2.csv" --resume

# the runner names its fronts, and leaves the names out of the stamps: the
# committed record made before names is still up to date
Q="$SRC/experiments/results/quick"
if [ -f "$Q/seed_1/front.csv.done" ]; then
  out=$("$R" experiment "$SRC/experiments/quick.json" --out "$Q" --dry-run 2>&1)
  n=$(grep -c "up to date" <<<"$out"); all=$(grep -c "^seed_" <<<"$out")
  [ "$n" -gt 0 ] && [ "$n" = "$all" ] && ok || bad "experiments/results/quick is no longer up to date: $(grep -v 'up to date' <<<"$out" | head -3)"
  grep -q "seed_1/front .*--names risky,cautious " <<<"$out" && ok || bad "the runner passes no --names: $(grep seed_1/front <<<"$out")"
else
  bad "no committed record experiments/results/quick"
fi

echo "cli_names: $pass passed, $fail failed"
[ "$fail" = 0 ]
