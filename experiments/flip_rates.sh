#!/usr/bin/env bash
# flip_rates.sh RUN A B [EPISODES=200] [LAMBDAS="0.05 0.25 0.5 0.75 0.95"] —
# how often the halfcheetah ends up on its back along the soup path from
# RUN/expert_A to RUN/expert_B (λ = the weight of B) of a two-reward
# experiment folder (`rsoup experiment`). A flip is an episode whose `jump`
# term (torso height against the start, summed over the episode) is below
# JUMP (default -280: a run on the back sums to about -500, upright runs to
# -20..-200; an episode that flips late lands in between). Prints a markdown
# table: flips, the mean return on REWARD and the mean over the other episodes.
# Environment: REWARD (spec to score; default A, which must then be a preset),
# JUMP, SEED (evaluation seed, default 5000), RSOUP_BIN (default build/rsoup).
set -euo pipefail
RUN=$(cd "${1:?usage: flip_rates.sh RUN A B [EPISODES] [LAMBDAS]}" && pwd)
A=$RUN/expert_${2:?give the two reward names, e.g. risky cautious}
B=$RUN/expert_${3:?give the two reward names, e.g. risky cautious}
EPISODES=${4:-200}
LAMBDAS=${5:-"0.05 0.25 0.5 0.75 0.95"}
REWARD=${REWARD:-$2}
JUMP=${JUMP:--280}
SEED=${SEED:-5000}
R=${RSOUP_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/rsoup}
for d in "$A" "$B"; do [ -d "$d" ] || { echo "flip_rates: no $d" >&2; exit 1; }; done
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
row() { # row LABEL POLICY
  "$R" eval "$2" --episodes "$EPISODES" --seed "$SEED" --reward "$REWARD" --per-episode > "$T/eval.txt"
  awk -v label="$1" -v jump="$JUMP" '
    /^  +episode +length/ { for (i = 1; i <= NF; i++) if ($i == "jump") col = i; t = 1; next }
    t && NF > 3 { n++; s += $3; if ($col + 0 < jump + 0) f++; else { u += $3; nu++ } }
    END {
      if (!col || !n) { print "flip_rates: no jump column or no episodes in the eval table" > "/dev/stderr"; exit 1 }
      printf "| %s | %d / %d | %.0f | %.0f |\n", label, f, n, s / n, nu ? u / nu : 0 }' "$T/eval.txt"
}
echo "| policy | flipped episodes | mean return ($REWARD) | mean of the other episodes |"
echo "|---|---|---|---|"
row "${A##*/} (λ = 0)" "$A"
for l in $LAMBDAS; do
  "$R" soup "$A" "$B" --lambda "$l" --out "$T/s.safetensors" >/dev/null
  row "soup λ = $l" "$T/s.safetensors"
done
row "${B##*/} (λ = 1)" "$B"
if [ -d "$RUN/pretrain" ]; then row "pretrain (the shared init)" "$RUN/pretrain"; fi
