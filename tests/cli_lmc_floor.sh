#!/usr/bin/env bash
# cli_lmc_floor.sh — `rsoup lmc --front F --twin T`: the same-reward floor
# on hand-made fronts whose barriers and standard errors are known, against
# the rule computed here: the pair's barrier exceeds the twin's when their
# difference is more than 2 * sqrt(se_pair^2 + se_twin^2).
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
command -v python3 >/dev/null || { echo "cli_lmc_floor: needs python3"; exit 77; }
. "$(dirname "$0")/lib.sh"

# front NAME MID_A STD_A: experts at 100 on reward a and b, the soup at
# λ = 0.5 scores MID_A (std STD_A over 4 episodes: s.e. STD_A/2) on a, 100 on b
front() {
  { echo "# experts: x.safetensors;y.safetensors"
    echo "kind,label,lambda:0,lambda:1,episodes,obj:a,std:a,obj:b,std:b,length"
    echo "expert,x,1,0,4,100,8,100,8,1000"
    echo "expert,y,0,1,4,100,8,100,8,1000"
    echo "soup,0,1,0,4,100,8,100,8,1000"
    echo "soup,0.5,0.5,0.5,4,$2,$3,100,8,1000"
    echo "soup,1,0,1,4,100,8,100,8,1000"; } > "$T/$1.csv"
}
front pair 60 8    # barrier 40, s.e. 4
front near 70 8    # barrier 30: 40 - 30 = 10 < 2 sqrt(32) = 11.3
front far 90 8     # barrier 10: 30 > 11.3
front exact 60 8   # the same barrier: 0 > 11.3 is false

want() { python3 -c 'import math, sys; bp, sp, bt, st = map(float, sys.argv[1:]); print("EXCEEDS" if bp - bt > 2 * math.sqrt(sp * sp + st * st) else "does not exceed")' "$@"; }
for c in "near 30 4" "far 10 4" "exact 40 4"; do
  set -- $c
  w=$(want 40 4 "$2" "$3")
  out=$("$R" lmc --front "$T/pair.csv" --twin "$T/$1.csv" 2>&1)
  grep -q "floor (twin $T/$1.csv, reward a): barrier $2 .*the pair's barrier $w it" <<<"$out" && ok || bad "$1: want '$w': $out"
done
# several fronts: one twin each, in order; the count and the twins' mean barrier
for i in 2 3; do { echo "# seed: $i"; cat "$T/pair.csv"; } > "$T/pair$i.csv"; done  # one front per seed
out=$("$R" lmc --front "$T/pair.csv" "$T/pair2.csv" "$T/pair3.csv" --twin "$T/near.csv;$T/far.csv;$T/exact.csv" 2>&1)
grep -q "same-reward floor: twin barrier 26.67 .* exceeds it in 1 of 3 fronts" <<<"$out" && ok || bad "three fronts: $out"
js=$("$R" lmc --front "$T/pair.csv" --twin "$T/far.csv" --json 2>/dev/null)
python3 -c '
import json, sys
o = json.loads(sys.argv[1])
assert o["twin"]["barrier"] == 10 and o["twin"]["pair_exceeds_floor"] is True, o["twin"]
assert o["floor"]["pair_exceeds_floor"] == 1 and o["floor"]["fronts"] == 1, o["floor"]
' "$js" && ok || bad "--json: $js"
# bad input: a count that does not match, --twin without --front, a twin that is no 2-expert front
expect twin-count 2 "--twin: 2 twin fronts for 1 front" -- "$R" lmc --front "$T/pair.csv" --twin "$T/near.csv;$T/far.csv"
expect twin-no-front 2 "--twin goes with --front" -- "$R" lmc a b --twin "$T/near.csv"
printf 'a,b\n1,2\n' > "$T/plain.csv"
expect twin-plain 1 "is not a 2-expert front" -- "$R" lmc --front "$T/pair.csv" --twin "$T/plain.csv"

echo "cli_lmc_floor: $pass passed, $fail failed"
[ "$fail" = 0 ]
