#!/usr/bin/env bash
# humanoid_paper_media.sh RUN OUT — the humanoid experiment's pictures:
#   OUT/sweep.gif   the humanoid while λ sweeps from the risky expert (λ = 0)
#                   to the cautious one (λ = 1), the live Pareto figure on
#   OUT/viewer.png  one viewer frame at λ = 0.5, panel and figure on
# RUN is the experiment's folder (expert_risky/, expert_cautious/, front.csv).
# Headless: runs the viewer under xvfb-run (Xvfb + Mesa), and needs
# ImageMagick's convert for the GIF (apt-get install xvfb imagemagick).
# Batch frames advance the simulation by exactly 1/fps s, so the pictures
# are the same on every run of the same policies.
#   FRAMES (default 100) and FPS (default 10) set the sweep's length: 10 s
#   of simulated time by default.
set -euo pipefail
run=${1:?usage: humanoid_paper_media.sh RUN OUT}
out=${2:?usage: humanoid_paper_media.sh RUN OUT}
R=${RSOUP:-$(dirname "$0")/../build/rsoup}
frames=${FRAMES:-100}
fps=${FPS:-10}
for f in "$run/expert_risky/policy.safetensors" "$run/expert_cautious/policy.safetensors"; do
  [ -r "$f" ] || { echo "humanoid_paper_media.sh: $f is missing (has the experiment finished its experts?)" >&2; exit 1; }
done
command -v xvfb-run >/dev/null || { echo "humanoid_paper_media.sh: xvfb-run not found (apt-get install xvfb)" >&2; exit 1; }
convert -version 2>/dev/null | grep -q ImageMagick ||
  { echo "humanoid_paper_media.sh: ImageMagick's convert not found (apt-get install imagemagick)" >&2; exit 1; }
front=()
[ -r "$run/front.csv" ] && front=(--front "$run/front.csv")
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xv=(xvfb-run -a -s "-screen 0 1280x800x24")
"${xv[@]}" "$R" view "$run/expert_risky" "$run/expert_cautious" "${front[@]}" --sweep \
  --frames "$frames" --fps "$fps" --record "$tmp/f" --png-frames >&2
# 1280x720 frames down to 400x225, 48 colours: about 2.5 MB for 100 frames
convert -delay $((100 / fps)) -loop 0 "$tmp"/f_*.png -resize 400x225 -fuzz 2% -colors 48 \
  -layers Optimize "$out/sweep.gif"
"${xv[@]}" "$R" view "$run/expert_risky" "$run/expert_cautious" "${front[@]}" --lambda 0.5 \
  --frames 90 --screenshot "$out/viewer.png" >&2
echo "humanoid_paper_media.sh: wrote $out/sweep.gif ($(du -k "$out/sweep.gif" | cut -f1) kB, $frames frames at $fps fps) and $out/viewer.png" >&2
