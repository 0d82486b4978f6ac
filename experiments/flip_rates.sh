#!/usr/bin/env bash
# flip_rates.sh RUN A B [EPISODES=200] [LAMBDAS="0.05 0.25 0.5 0.75 0.95"] —
# how often the halfcheetah ends up on its back along the soup path from
# RUN/expert_A to RUN/expert_B (λ = the weight of B) of a two-reward
# experiment folder (`rsoup experiment`): a flip
# is an episode whose `jump` term (torso height against the start, summed
# over the episode) is below JUMP (default -280; upright runs are -20..-200,
# on the back about -500). Prints a markdown table of flips, the mean return
# on the first expert's reward and the mean over upright episodes only.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${1:?usage: flip_rates.sh RUN A B [EPISODES] [LAMBDAS]}
A=$RUN/expert_${2:?give the two rewards, e.g. risky cautious}
B=$RUN/expert_${3:?give the two rewards, e.g. risky cautious}
EPISODES=${4:-200}
LAMBDAS=${5:-"0.05 0.25 0.5 0.75 0.95"}
JUMP=${JUMP:--280}
SEED=${SEED:-5000}
R=build/rsoup
reward=$2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
row() { # row LABEL POLICY
  "$R" eval "$2" --episodes "$EPISODES" --seed "$SEED" --reward "$reward" --per-episode |
    awk -v label="$1" -v jump="$JUMP" '
      /^  +episode +length/ { for (i = 1; i <= NF; i++) if ($i == "jump") col = i; t = 1; next }
      t && NF > 3 { n++; s += $3; if ($col < jump) f++; else { u += $3; nu++ } }
      END { printf "| %s | %d / %d | %.0f | %.0f |\n", label, f, n, s / n, nu ? u / nu : 0 }'
}
echo "| policy | flipped episodes | mean return ($reward) | mean of the upright episodes |"
echo "|---|---|---|---|"
row "${A##*/} (λ = 0)" "$A"
for l in $LAMBDAS; do
  "$R" soup "$A" "$B" --lambda "$l" --out "$T/s.safetensors" >/dev/null
  row "soup λ = $l" "$T/s.safetensors"
done
row "${B##*/} (λ = 1)" "$B"
[ -d "$RUN/pretrain" ] && row "pretrain (the shared init)" "$RUN/pretrain"
