#!/usr/bin/env bash
# cli_soup.sh — `rsoup soup`, `rsoup pareto` and `rsoup select` from the shell:
# checkpoints written byte by byte here, results checked against values worked
# out by hand (tensor bytes, FNV-1a hashes, hypervolumes, utilities).
set -u
R=${RSOUP_BIN:-build/rsoup}
fail=0; pass=0
T=$(mktemp -d "${TMPDIR:-/tmp}/rs_cli_soup.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
check() { # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then pass=$((pass+1)); else echo "FAIL $name"; fail=$((fail+1)); fi
}

# ---- a safetensors writer: 8-byte LE header length, JSON header, raw data ----
le64() { local n=$1 i; for i in 0 1 2 3 4 5 6 7; do printf "\\$(printf %03o $(( (n >> (8*i)) & 255 )))"; done; }
# ckpt FILE ENV NORM_HEX W_SHAPE W_HEX [EXTRA_META]: obs_norm.mean F64 [1] and pi.0.weight
# F32 [W_SHAPE]; hex strings are the little-endian data bytes, e.g. 0000803f = 1.0f
ckpt() {
  local file=$1 env=$2 norm=$3 wshape=$4 w=$5 extra=${6:-}
  local wn=$(( ${#w} / 2 ))
  local hdr='{"__metadata__":{"format":"rsoup-policy-1","env":"'$env'","algo":"ppo","arch":"2","activation":"tanh","obs_dim":"1","act_dim":"1","reward":"forward=1"'$extra'},"obs_norm.mean":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"pi.0.weight":{"dtype":"F32","shape":['$wshape'],"data_offsets":[8,'$((8 + wn))']}}'
  { le64 ${#hdr}; printf '%s' "$hdr"; printf "$(sed 's/../\\x&/g' <<<"$norm$w")"; } >"$file"
}
# the data buffer of a safetensors file as hex
data_hex() {
  local hlen; hlen=$(od -An -tu8 -N8 "$1" | tr -d ' ')
  tail -c +$((9 + hlen)) "$1" | od -An -tx1 -v | tr -d ' \n'
}
meta() { # the JSON header of a safetensors file
  local hlen; hlen=$(od -An -tu8 -N8 "$1" | tr -d ' ')
  head -c $((8 + hlen)) "$1" | tail -c "$hlen"
}
fnv1a() { # FNV-1a 64 of a file, in bash's wrapping 64-bit arithmetic
  local h=$(( 0xcbf29ce484222325 )) b
  for b in $(od -An -tu1 -v "$1"); do h=$(( (h ^ b) * 0x100000001b3 )); done
  printf '%016x' "$h"
}

Z8=0000000000000000   # 0.0 as F64
O8=000000000000f03f   # 1.0 as F64
ckpt "$T/a.st" hopper $Z8 2 0000803f00000040            # w = (1, 2)
ckpt "$T/b.st" hopper $Z8 2 0000404000008040            # w = (3, 4)
ckpt "$T/c.st" walker $Z8 2 0000404000008040            # another env
ckpt "$T/d.st" hopper $Z8 3 000040400000804000000000    # another shape
ckpt "$T/e.st" hopper $O8 2 0000404000008040            # other normaliser stats
ckpt "$T/t.st" hopper $Z8 2 0000803f00000040 ',"train_config":"{}"'  # a trainer checkpoint
printf 'not a checkpoint' >"$T/bad.st"
mkdir "$T/run" && cp "$T/a.st" "$T/run/policy.safetensors"

# ---- soup ----
expect soup-help 0 "usage: rsoup soup" -- "$R" soup --help
expect soup-a 0 "mixed 2 experts" -- "$R" soup "$T/a.st" "$T/b.st" --lambda 0 --out "$T/s0.st"
check soup-lambda0-is-a [ "$(data_hex "$T/s0.st")" = "$(data_hex "$T/a.st")" ]
expect soup-b 0 "wrote|mixed" -- "$R" soup "$T/a.st" "$T/b.st" --lambda 1 --out "$T/s1.st"
check soup-lambda1-is-b [ "$(data_hex "$T/s1.st")" = "$(data_hex "$T/b.st")" ]
# (1,2) and (3,4) at 0.5 -> (2,3): 0x40000000, 0x40400000
expect soup-half 0 "normaliser: shared" -- "$R" soup "$T/a.st" "$T/b.st" --lambda 0.5 --out "$T/s5.st"
check soup-half-values [ "$(data_hex "$T/s5.st")" = "${Z8}0000004000004040" ]
check soup-meta-lambda grep -q '"lambda":"\[0.5,0.5\]"' <(meta "$T/s5.st")
check soup-meta-method grep -q '"soup_method":"linear"' <(meta "$T/s5.st")
ha=$(fnv1a "$T/a.st"); hb=$(fnv1a "$T/b.st")
check soup-parent-hashes grep -qF "{\\\"path\\\":\\\"$T/a.st\\\",\\\"fnv1a64\\\":\\\"$ha\\\"},{\\\"path\\\":\\\"$T/b.st\\\",\\\"fnv1a64\\\":\\\"$hb\\\"}" <(meta "$T/s5.st")
expect soup-json 0 '"normalizer_mixed":[[:space:]]*false' -- "$R" soup "$T/a.st" "$T/b.st" --lambda 0.25 --out "$T/s.st" --json
out=$("$R" soup "$T/a.st" "$T/b.st" --lambda 0.25 --out "$T/s.st" --json 2>/dev/null)
check soup-json-only [ "${out:0:1}${out: -1}" = "{}" ]
expect soup-json-hash 0 "\"fnv1a64\":[[:space:]]*\"$ha\"" -- "$R" soup "$T/a.st" "$T/b.st" --lambda 0.25 --out "$T/s.st" --json
expect soup-rundir 0 "run/policy.safetensors" -- "$R" soup "$T/run" "$T/b.st" --lambda 0 --out "$T/sd.st"
check soup-rundir-is-a [ "$(data_hex "$T/sd.st")" = "$(data_hex "$T/a.st")" ]
expect soup-trainckpt 1 "'$T/t.st' is a training checkpoint" -- "$R" soup "$T/t.st" "$T/b.st" --lambda 0.5 --out "$T/fail.st"
expect soup-three 0 "mixed 3 experts" -- "$R" soup "$T/a.st" "$T/b.st" "$T/a.st" --lambda 0.25,0.25,0.5 --out "$T/s3.st"
expect soup-norm-warning 0 "warning: .*normaliser statistics" -- "$R" soup "$T/a.st" "$T/e.st" --lambda 0.5 --out "$T/s.st"
expect soup-missing 1 "cannot open safetensors file '$T/nope.st'" -- "$R" soup "$T/a.st" "$T/nope.st" --lambda 0.5 --out "$T/fail.st"
expect soup-corrupt 1 "$T/bad.st" -- "$R" soup "$T/a.st" "$T/bad.st" --lambda 0.5 --out "$T/fail.st"
expect soup-env 1 "expert 1 \($T/c.st\): env is 'walker', expert 0 \($T/a.st\) has 'hopper'" -- "$R" soup "$T/a.st" "$T/c.st" --lambda 0.5 --out "$T/fail.st"
# experts of two different inits (by the init's content hash) do not mix;
# one init under two paths does, and so does a policy without an init (the
# init itself: an expert mixed back towards it)
ckpt "$T/i1.st" hopper $Z8 2 0000803f00000040 ',"init":"p/train.safetensors@00000000000000aa"'
ckpt "$T/i2.st" hopper $Z8 2 0000404000008040 ',"init":"q/train.safetensors@00000000000000bb"'
ckpt "$T/i3.st" hopper $Z8 2 0000404000008040 ',"init":"moved/train.safetensors@00000000000000aa"'
expect soup-two-inits 1 "expert 1 \\([^)]*i2.st\\) was fine-tuned from q/train.safetensors@00000000000000bb, expert 0 \\([^)]*i1.st\\) from p/train.safetensors@00000000000000aa: a soup mixes experts of one shared init" -- \
  "$R" soup "$T/i1.st" "$T/i2.st" --lambda 0.5 --out "$T/fail.st"
expect soup-one-init-moved 0 "mixed 2 experts" -- "$R" soup "$T/i1.st" "$T/i3.st" --lambda 0.5 --out "$T/si.st"
expect soup-with-its-init 0 "mixed 2 experts" -- "$R" soup "$T/i1.st" "$T/b.st" --lambda 0.5 --out "$T/si.st"
expect soup-shape 1 "tensor 'pi.0.weight' has shape \[3\], expert 0 \($T/a.st\) has \[2\]" -- "$R" soup "$T/a.st" "$T/d.st" --lambda 0.5 --out "$T/fail.st"
expect soup-lambda-range 2 "lambda '1.5'.*\[0, 1\]" -- "$R" soup "$T/a.st" "$T/b.st" --lambda 1.5 --out "$T/fail.st"
expect soup-lambda-sum 2 "lambda '0.2,0.3': weights sum to 0.5" -- "$R" soup "$T/a.st" "$T/b.st" --lambda 0.2,0.3 --out "$T/fail.st"
expect soup-lambda-count 2 "has 2 weights for 3 experts" -- "$R" soup "$T/a.st" "$T/b.st" "$T/a.st" --lambda 0.5,0.5 --out "$T/fail.st"
expect soup-lambda-junk 2 "'abc' is not a number" -- "$R" soup "$T/a.st" "$T/b.st" --lambda abc --out "$T/fail.st"
expect soup-no-lambda 2 "--lambda is required" -- "$R" soup "$T/a.st" "$T/b.st" --out "$T/fail.st"
expect soup-no-out 2 "--out is required" -- "$R" soup "$T/a.st" "$T/b.st" --lambda 0.5
expect soup-one 2 "at least two" -- "$R" soup "$T/a.st" --lambda 1 --out "$T/fail.st"
expect soup-method 2 "unknown --method 'fishr'" -- "$R" soup "$T/a.st" "$T/b.st" --lambda 0.5 --out "$T/fail.st" --method fishr
check soup-failed-no-file [ ! -e "$T/fail.st" ]
check soup-no-temp-files [ -z "$(ls "$T" | grep "\.tmp\.")" ]

# ---- pareto ----
printf 'x,y\n1,3\n2,2\n3,1\n' >"$T/pts.csv"
# the union of [0,1]x[0,3], [0,2]x[0,2], [0,3]x[0,1] has area 3 + 2 + 1
expect pareto-hv 0 "hypervolume: 6$" -- "$R" pareto "$T/pts.csv" --ref 0,0
expect pareto-ref-given 0 "reference point: \(0, 0\).*given" -- "$R" pareto "$T/pts.csv" --ref 0,0
printf '\xef\xbb\xbfa,b\n1,2\n2,1\n' > "$T/bom.csv"
expect pareto-bom 0 '"objectives":[[:space:]]*\["a", "b"\]' -- "$R" pareto "$T/bom.csv" --json
expect pareto-json-hv 0 '"hypervolume":[[:space:]]*6,' -- "$R" pareto "$T/pts.csv" --ref 0,0 --json
expect pareto-json-src 0 '"ref_source":[[:space:]]*"given"' -- "$R" pareto "$T/pts.csv" --ref 0,0 --json
out=$("$R" pareto "$T/pts.csv" --json 2>/dev/null)
check pareto-json-only [ "${out:0:1}${out: -1}" = "{}" ]
# default ref = min - 5% of range = (0.9, 0.9): 0.1*2.1 + 1*1.1 + 1*0.1 = 1.41
expect pareto-default-ref 0 "hypervolume: 1.41$" -- "$R" pareto "$T/pts.csv"
expect pareto-default-src 0 '"ref_source":[[:space:]]*"default: componentwise min minus 5% of the range"' -- "$R" pareto "$T/pts.csv" --json
expect pareto-default-refval 0 '"ref":[[:space:]]*\[0.9,[[:space:]]*0.9\]' -- "$R" pareto "$T/pts.csv" --json
# EUM, K=100: mean over t=i/100 of max(3-2t, 2, 1+2t) = (127.5 + 125.5) / 101
expect pareto-eum 0 "EUM: 2.50495049.* \(K = 100: 101 " -- "$R" pareto "$T/pts.csv" --ref 0,0
# sparsity: gaps 1,1 in x and in y -> 4 / (3 - 1)
expect pareto-sparsity 0 "sparsity: 2$" -- "$R" pareto "$T/pts.csv" --ref 0,0
expect pareto-card 0 "cardinality: 3 " -- "$R" pareto "$T/pts.csv" --ref 0,0
expect pareto-k 0 '"eum_k":[[:space:]]*7,' -- "$R" pareto "$T/pts.csv" --weights-k 7 --json
expect pareto-ref-dim 2 "--ref '0' has 1 value but .* has 2 objectives \(x, y\)" -- "$R" pareto "$T/pts.csv" --ref 0
expect pareto-ref-junk 2 "not a finite number" -- "$R" pareto "$T/pts.csv" --ref 0,abc
expect pareto-missing 1 "cannot open '$T/nope.csv'" -- "$R" pareto "$T/nope.csv"
printf 'x,y\n1,nan\n2,2\n' >"$T/nan.csv"
expect pareto-nan 1 "objective 'y' is nan" -- "$R" pareto "$T/nan.csv"
printf 'x,y\n' >"$T/none.csv"
expect pareto-empty 1 "no rows" -- "$R" pareto "$T/none.csv"
cat >"$T/front.csv" <<'EOF'
kind,label,lambda:0,lambda:1,episodes,obj:fwd,std:fwd,obj:jump,std:jump,term:forward,termstd:forward,term:ctrl,termstd:ctrl,length
expert,a,1,0,5,10,1,0,0,20,1,-1,0,1000
expert,b,0,1,5,0,0,10,1,5,1,-2,0,1000
soup,0,1,0,5,10,1,0,0,20,1,-1,0,1000
soup,0.5,0.5,0.5,5,6,1,6,1,12,1,-1.5,0,1000
soup,1,0,1,5,0,0,10,1,5,1,-2,0,1000
baseline,morl,nan,nan,5,4,1,4,1,8,1,-1,0,1000
EOF
# points on an axis add nothing above (0,0): only (6,6) counts; the baseline (4,4) alone
expect pareto-front 0 "hypervolume: 36$" -- "$R" pareto "$T/front.csv" --ref 0,0
expect pareto-baseline 0 '"baseline":.*"hypervolume":[[:space:]]*16,' -- bash -c "'$R' pareto '$T/front.csv' --ref 0,0 --json | tr -d '\n'"
# the soups at the ends repeat the experts: 5 non-dominated rows, 3 distinct points
expect pareto-card-front 0 "non-dominated: 5 of 5 rows \(3 distinct points\)" -- "$R" pareto "$T/front.csv" --ref 0,0
expect pareto-kinds 0 "^$T/front.csv: 3 points \(3 soup\)" -- "$R" pareto "$T/front.csv" --ref 0,0 --kinds soup
expect pareto-nokind 1 "no rows of kind init" -- "$R" pareto "$T/front.csv" --kinds init
expect pareto-badkind 2 "unknown kind 'soups'" -- "$R" pareto "$T/front.csv" --kinds soups
printf 'kind,label,lambda:0,lambda:1,episodes,obj:fwd,std:fwd,length\nsoup,0,1,0,5,1,0,9\nsoup,1,0,1,5,2,0' >"$T/cut.csv"
expect pareto-cut 0 "incomplete last row" -- "$R" pareto "$T/cut.csv"

# ---- select ----
expect select-mid 0 "label +0.5 " -- "$R" select "$T/front.csv" --weights 0.5,0.5
expect select-util 0 "utility +6$" -- "$R" select "$T/front.csv" --weights 0.5,0.5
expect select-a 0 "label +0 " -- "$R" select "$T/front.csv" --weights 1,0.2
expect select-neg 0 "label +1 " -- "$R" select "$T/front.csv" --weights -1,0
expect select-lambda 0 "lambda +\(0.5, 0.5\)" -- "$R" select "$T/front.csv" --weights 1,1
expect select-json 0 '"utility":[[:space:]]*6,' -- "$R" select "$T/front.csv" --weights 0.5,0.5 --json
expect select-expert-cmp 0 "best expert row \(a\) has utility 5" -- "$R" select "$T/front.csv" --weights 0.5,0.5
expect select-count 2 "--weights '1' has 1 value but .* has 2 objectives \(fwd, jump\)" -- "$R" select "$T/front.csv" --weights 1
# forward + ctrl: 19, 10.5, 3
expect select-reward 0 "utility +19$" -- "$R" select "$T/front.csv" --reward forward=1,ctrl=1
expect select-reward-bad 2 "unknown term 'fwd' \(valid terms in .*: forward, ctrl\)" -- "$R" select "$T/front.csv" --reward fwd=1
expect select-neither 2 "exactly one of --weights and --reward" -- "$R" select "$T/front.csv"
expect select-plain 0 "label +3 " -- "$R" select "$T/pts.csv" --weights 1,0.5
expect select-plain-reward 1 "no term:<t> columns" -- "$R" select "$T/pts.csv" --reward x=1
expect select-help 0 "usage: rsoup select" -- "$R" select --help
expect select-refine 2 "does not record its experts.*give --experts" -- "$R" select "$T/front.csv" --weights 1,1 --refine

echo "cli_soup: $pass passed, $fail failed"
[ "$fail" = 0 ]
