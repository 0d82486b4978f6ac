#!/usr/bin/env bash
# cli_compare.sh — experiments/humanoid_paper_compare.sh on a hand-made front
# whose normalised coordinates are known: experts (10, 0) and (0, 10), the
# soup at λ = 0.5 at (7, 6), i.e. (0.70, 0.60) of the gaps, (+0.20, +0.10)
# above the line; the table of every term's return on a front with term
# columns (which rows, and the interval 1.96 · std / √episodes); and its
# errors on a missing file and a front without the risky/cautious objectives.
set -u
SRC=${RSOUP_SRC:-.}
. "$(dirname "$0")/lib.sh"
pass=0 fail=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S="$SRC/experiments/humanoid_paper_compare.sh"
cat > "$T/front.csv" <<'CSV'
# a comment line
kind,label,lambda:0,lambda:1,episodes,obj:risky,std:risky,obj:cautious,std:cautious,length
expert,expert_risky,1,0,4,10,2,0,1,1000
soup,0,1,0,4,10,2,0,1,1000
soup,0.5,0.5,0.5,4,7,2,6,1,1000
soup,1,0,1,4,0,1,10,1,1000
CSV
expect table 0 '\| 0\.5 \| \(6265, 3319\) \| \(7 ± 2, 6 ± 1\) \| \(0\.77, 0\.71\) \| \(0\.70 ± 0\.20, 0\.60 ± 0\.10\) \| \(0\.50, 0\.50\) \|' -- bash "$S" "$T/front.csv"
expect missing_point 0 '\| 0\.3 \| \(6600, 2830\) \| not evaluated' -- bash "$S" "$T/front.csv"
expect best 0 'λ = 0\.5, \(\+0\.20, \+0\.10\) of the gaps \(paper at λ = 0\.5: \(\+0\.27, \+0\.21\)\)' -- bash "$S" "$T/front.csv"
expect gaps 0 'paper \(783, 2601\), ours \(10, 10\)' -- bash "$S" "$T/front.csv"
# with term columns: the terms table (interval 1.96 · 2 / √4 = 1.96)
cat > "$T/terms.csv" <<'CSV'
kind,label,lambda:0,lambda:1,episodes,obj:risky,std:risky,obj:cautious,std:cautious,term:forward,termstd:forward,term:contact,termstd:contact,length
init,pretrain,,,4,5,2,5,1,5,2,-7.1e8,0,990
expert,expert_risky,1,0,4,10,2,0,1,10,2,-2,0,1000
baseline,morl_0,,,4,6,2,6,1,6,2,-3,0,1000
soup,0,1,0,4,10,2,0,1,10,2,-2,0,1000
soup,0.3,0.7,0.3,4,8,2,4,1,8,2,-2,0,1000
soup,0.5,0.5,0.5,4,7,2,6,1,7,2,-2,0,1000
soup,1,0,1,4,0,1,10,1,0,1,-2,0,1000
CSV
expect terms_header 0 '\| point \| forward \| contact \| length \|' -- bash "$S" "$T/terms.csv"
expect terms_init 0 '\| pretrain \| 5 ± 1\.96 \| -7\.1e\+08 ± 0 \| 990 \|' -- bash "$S" "$T/terms.csv"
expect terms_soup 0 '\| soup λ = 0\.5 \| 7 ± 1\.96 \| -2 ± 0 \| 1000 \|' -- bash "$S" "$T/terms.csv"
expect terms_morl 0 '\| MORL morl_0 \| 6 ± 1\.96' -- bash "$S" "$T/terms.csv"
bash "$S" "$T/terms.csv" > "$T/terms.out" 2>&1
if grep -q 'soup λ = 0\.3' "$T/terms.out"; then
  echo "FAIL terms_rows: the soup at λ = 0.3 is not one of the table's rows"; fail=$((fail + 1))
else pass=$((pass + 1)); fi
if bash "$S" "$T/front.csv" | grep -q '^| point'; then
  echo "FAIL no_terms: a front without term columns has no terms table"; fail=$((fail + 1))
else pass=$((pass + 1)); fi
expect no_file 1 'cannot read' -- bash "$S" "$T/nothing.csv"
sed 's/obj:risky/obj:fast/' "$T/front.csv" > "$T/other.csv"
expect no_columns 1 'no obj:risky' -- bash "$S" "$T/other.csv"
echo "cli_compare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
