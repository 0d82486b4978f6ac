#!/usr/bin/env bash
# cli_pareto_mixed.sh — `rsoup pareto FRONT.csv PLAIN.csv`: a front file
# and a plain CSV (a peer's points) scored on one reference point, each
# hypervolume checked against a brute-force 2-D computation here; a plain
# CSV naming other objectives is refused.
set -u
R=${RSOUP_BIN:-build/rsoup}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
command -v python3 >/dev/null || { echo "cli_pareto_mixed: needs python3"; exit 77; }
. "$(dirname "$0")/lib.sh"
F=tests/fixtures/front2.csv
printf 'risky,cautious\n0.1,-9\n-0.3,-12\n-0.2,-10\n' > "$T/peer.csv"
js=$("$R" pareto "$F" "$T/peer.csv" --ref -1,-30 --json 2>/dev/null)
python3 - "$js" "$F" "$T/peer.csv" <<'EOF' && ok || bad "hypervolumes on one reference point: $js"
import json, sys
o = json.loads(sys.argv[1])
ref = (-1.0, -30.0)
def hv(pts):
    # brute force: the dominated area on a grid of every point's coordinates
    xs = sorted({ref[0]} | {p[0] for p in pts}); ys = sorted({ref[1]} | {p[1] for p in pts})
    a = 0.0
    for i in range(len(xs) - 1):
        for j in range(len(ys) - 1):
            cx, cy = xs[i + 1], ys[j + 1]
            if any(p[0] >= cx and p[1] >= cy for p in pts):
                a += (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j])
    return a
def soups(path):
    rows = [l.rstrip("\n").split(",") for l in open(path) if not l.startswith("#")]
    h = rows[0]; k, r, c = h.index("kind"), h.index("obj:risky"), h.index("obj:cautious")
    return [(float(x[r]), float(x[c])) for x in rows[1:] if x[k] == "soup"]
peer = [tuple(map(float, l.split(","))) for l in open(sys.argv[3]).read().split("\n")[1:] if l]
got = [f["hypervolume"] for f in o["fronts"]]
want = [hv(soups(sys.argv[2])), hv(peer)]
assert all(abs(g - w) <= 1e-9 * max(1, w) for g, w in zip(got, want)), (got, want)
EOF
printf 'a,b\n0.1,-9\n' > "$T/other.csv"
expect other-objectives 1 "they score different objectives: \(risky,cautious\) and \(a,b\)" -- "$R" pareto "$F" "$T/other.csv"
# a front whose rewards have names: a plain CSV may name its columns by the
# names or by the specs (a peer's file written before fronts had names)
sed -e '/^kind,/s/:risky/:fast/g' -e '/^kind,/s/:cautious/:calm/g' \
    -e '/^kind,/i # reward fast: risky' -e '/^kind,/i # reward calm: cautious' "$F" > "$T/named.csv"
printf 'fast,calm\n0.1,-9\n' > "$T/by_name.csv"
expect plain-by-name 0 "hypervolume" -- "$R" pareto "$T/named.csv" "$T/by_name.csv" --ref -1,-30
expect plain-by-spec 0 "hypervolume" -- "$R" pareto "$T/named.csv" "$T/peer.csv" --ref -1,-30
expect plain-other 1 "they score different objectives" -- "$R" pareto "$T/named.csv" "$T/other.csv"
echo "cli_pareto_mixed: $pass passed, $fail failed"
[ "$fail" = 0 ]
