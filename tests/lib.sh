# lib.sh — helpers the shell tests share; sourced by tests/cli_*.sh, which
# keep their own pass/fail counters.

# expect NAME WANT_RC PATTERN -- cmd...: the command exits WANT_RC and its
# output (stdout and stderr) matches the extended regex PATTERN
expect() {
  local name=$1 want=$2 pat=$3; shift 4
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ] || ! grep -qE -- "$pat" <<<"$out"; then
    echo "FAIL $name: rc=$rc (want $want), output:"; echo "$out" | head -20; fail=$((fail+1))
  else pass=$((pass+1)); fi
}

# a run's log.jsonl without what depends on the clock (keys ending in _s, steps_per_s)
untimed() { python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    for k in [k for k in o if k.endswith("_s") or k == "steps_per_s"]:
        del o[k]
    print(json.dumps(o, sort_keys=True))' "$1"; }
# the same for progress.csv: its clock columns dropped
untimed_csv() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) drop[i] = $i ~ /(_s|per_s)$/ }
  { o = ""; for (i = 1; i <= NF; i++) if (!drop[i]) o = o $i ","; print o }' "$1"; }
