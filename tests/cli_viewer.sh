#!/usr/bin/env bash
# cli_viewer.sh — `rsoup view` from the shell: its errors without a display
# (experts that do not mix are refused with `rsoup soup`'s words before any
# window; no display says how to run headless), and under xvfb-run the
# batch modes: a screenshot, a front for other experts (warning, still
# runs), recording through a stand-in ffmpeg (the exact bytes it is sent)
# and as PNG frames, the λ sweep and the benchmark. Checkpoints are written
# byte by byte here. Skips (exit 0) only when xvfb-run is missing.
set -u
R=${RSOUP_BIN:-build/rsoup}
R=$(cd "$(dirname "$R")" && pwd)/$(basename "$R")
SRC=${RSOUP_SRC:-.}
fail=0; pass=0
T=$(mktemp -d "${TMPDIR:-/tmp}/rs_cli_viewer.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
check() { # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then pass=$((pass+1)); else echo "FAIL $name"; fail=$((fail+1)); fi
}

if ! "$R" view --help >/dev/null 2>&1 || "$R" view --help 2>&1 | grep -q "built without the viewer"; then
  echo "cli_viewer: SKIP: rsoup was built without the viewer"; exit 0
fi

# ---- a hopper policy checkpoint: hidden layer of H units, all weights 0 ----
le64() { local n=$1 i; for i in 0 1 2 3 4 5 6 7; do printf "\\$(printf %03o $(( (n >> (8*i)) & 255 )))"; done; }
ckpt() { # ckpt FILE H REWARD
  local file=$1 h=$2 rew=$3
  local o=0 hdr t
  hdr='{"__metadata__":{"format":"rsoup-policy-1","env":"hopper","algo":"ppo","arch":"'$h'","activation":"tanh","obs_dim":"11","act_dim":"3","act_bound":"1","reward":"'$rew'"}'
  for t in "obs_norm.mean F64 11 88" "obs_norm.var F64 11 88" "obs_norm.count F64 1 8" \
           "pi.0.weight F32 $h,11 $((4*h*11))" "pi.0.bias F32 $h $((4*h))" \
           "pi.1.weight F32 3,$h $((12*h))" "pi.1.bias F32 3 12" "pi.log_std F32 3 12"; do
    set -- $t
    hdr+=',"'$1'":{"dtype":"'$2'","shape":['$3'],"data_offsets":['$o','$((o + $4))']}'
    o=$((o + $4))
  done
  hdr+='}'
  { le64 ${#hdr}; printf '%s' "$hdr"; head -c "$o" /dev/zero; } >"$file"
}
ckpt "$T/a.st" 2 default
ckpt "$T/b.st" 2 cautious
ckpt "$T/bad.st" 3 default
# the hopper with a 320x180 offscreen buffer (fast frames)
sed 's/offwidth="1280" offheight="720"/offwidth="320" offheight="180"/' "$SRC/envs/assets/hopper.xml" >"$T/small.xml"
grep -q 'offwidth="320"' "$T/small.xml" || { echo "FAIL small model"; exit 1; }
printf 'kind,label,lambda:0,lambda:1,lambda:2,episodes,obj:default,std:default,length\nsoup,x,1,0,0,2,100,1,50\n' >"$T/front3.csv"

# ---- without a display ----
expect help 0 "usage: rsoup view" -- "$R" view --help
expect no-experts 2 "give the expert checkpoints" -- "$R" view
expect bad-lambda 2 "lambda" -- "$R" view "$T/a.st" "$T/b.st" --lambda 1.5
expect bad-quality 2 "quality is auto, full, fast or plain, got 'best'" -- "$R" view "$T/a.st" "$T/b.st" --quality best
expect no-display 1 "no display.*" -- env -u DISPLAY -u WAYLAND_DISPLAY "$R" view "$T/a.st" "$T/b.st" --model "$T/small.xml"
expect no-display-hint 1 "xvfb-run -a -s" -- env -u DISPLAY -u WAYLAND_DISPLAY "$R" view "$T/a.st" "$T/b.st"
# mixing is checked first, with the words `rsoup soup` uses
view_err=$(env -u DISPLAY -u WAYLAND_DISPLAY "$R" view "$T/a.st" "$T/bad.st" 2>&1); view_rc=$?
soup_err=$("$R" soup "$T/a.st" "$T/bad.st" --lambda 0.5 --out "$T/s.st" 2>&1)
check mix-rc [ "$view_rc" = 1 ]
not_display() { [[ "$view_err" != *"no display"* ]]; }
check mix-not-display not_display
check mix-same-words [ "${view_err#rsoup view: }" = "${soup_err#rsoup soup: }" ]
check mix-names-arch grep -q "expert 1 ($T/bad.st): arch" <<<"$view_err"

# ---- under a virtual X server ----
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "cli_viewer: SKIP (display part): xvfb-run not found (install xvfb: scripts/setup.sh)"
  echo "cli_viewer: $pass passed, $fail failed"
  [ "$fail" = 0 ]; exit
fi
mkdir -p "$T/x" "$T/bin" "$T/nopath"
# sanitizer builds: the GL driver and X11 keep allocations for the process
# lifetime; add them to whatever suppressions LSAN_OPTIONS already names
supp="$T/lsan.supp"
printf 'leak:%s\n' libGLX libGL.so libGLdispatch swrast_dri libgallium libLLVM libX11 libxcb \
  libglfw libdrm libglapi _dri.so >"$supp"
old_supp=$(sed -n 's/.*suppressions=\([^:]*\).*/\1/p' <<<"${LSAN_OPTIONS:-}")
[ -n "$old_supp" ] && [ -f "$old_supp" ] && cat "$old_supp" >>"$supp"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$supp"
# a stand-in ffmpeg: keeps its arguments and counts the bytes it is sent
cat >"$T/bin/ffmpeg" <<EOF
#!/bin/sh
echo "\$@" >"$T/ffmpeg.args"
wc -c >"$T/ffmpeg.bytes"
EOF
chmod +x "$T/bin/ffmpeg"
cat >"$T/x/run.sh" <<EOF
#!/usr/bin/env bash
cd "$T"
V="$R view $T/a.st $T/b.st --model $T/small.xml"
\$V --screenshot shot.png --frames 5 >screenshot.out 2>&1; echo \$? >screenshot.rc
\$V --front front3.csv --screenshot shot3.png --frames 2 >front3.out 2>&1; echo \$? >front3.rc
PATH="$T/bin:\$PATH" \$V --record movie.mp4 --frames 3 >ffmpeg.out 2>&1; echo \$? >ffmpeg.rc
PATH="$T/nopath" \$V --record frames.mp4 --frames 3 >png.out 2>&1; echo \$? >png.rc
\$V --screenshot last.png --frames 3 >last.out 2>&1; echo \$? >last.rc
\$V --sweep --record sweep.mp4 --png-frames --frames 4 >sweep.out 2>&1; echo \$? >sweep.rc
$R view --bench --env hopper --model $T/small.xml --frames 3 --json >bench.out 2>bench.err; echo \$? >bench.rc
$R view --bench --env hopper --model $T/small.xml --frames 3 --json --quality full >benchfull.out 2>&1; echo \$? >benchfull.rc
EOF
chmod +x "$T/x/run.sh"
# a private TMPDIR: xvfb-run fails if it cannot clean up its own directory
TMPDIR="$T/x" xvfb-run -a -s "-screen 0 1280x800x24" "$T/x/run.sh" >"$T/xvfb.out" 2>&1 ||
  echo "cli_viewer: note: xvfb-run exited with $? ($(tail -1 "$T/xvfb.out"))"

rc() { cat "$T/$1.rc" 2>/dev/null || echo missing; }
png_ok() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
check screenshot-rc [ "$(rc screenshot)" = 0 ]
check screenshot-png png_ok "$T/shot.png"
check screenshot-msg grep -q "wrote shot.png (frame 5)" "$T/screenshot.out"
if command -v python3 >/dev/null 2>&1; then
  # an independent decoder: Python's zlib; the picture is not blank
  check screenshot-pixels python3 - "$T/shot.png" <<'EOF'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
pos, w, h, z = 8, 0, 0, b''
while pos < len(d):
    n, t = struct.unpack('>I4s', d[pos:pos + 8])
    body = d[pos + 8:pos + 8 + n]
    assert zlib.crc32(t + body) == struct.unpack('>I', d[pos + 8 + n:pos + 12 + n])[0]
    if t == b'IHDR': w, h = struct.unpack('>II', body[:8])
    if t == b'IDAT': z += body
    pos += 12 + n
raw = zlib.decompress(z)
assert (w, h) == (320, 180) and len(raw) == h * (1 + 3 * w), (w, h, len(raw))
vals = [b for i, b in enumerate(raw) if i % (1 + 3 * w)]  # filtered bytes: still varied if the image is
assert len(set(vals)) > 20, len(set(vals))
EOF
fi
check front3-rc [ "$(rc front3)" = 0 ]
check front3-warning grep -q "warning: --front front3.csv has 3 lambda columns but 2 experts" "$T/front3.out"
check front3-png png_ok "$T/shot3.png"
check ffmpeg-rc [ "$(rc ffmpeg)" = 0 ]
check ffmpeg-bytes [ "$(tr -d ' ' <"$T/ffmpeg.bytes" 2>/dev/null)" = $((320 * 180 * 3 * 3)) ]
check ffmpeg-args grep -q -- "-f rawvideo -pixel_format rgb24 -video_size 320x180 -framerate 30 -i -.*movie.mp4" "$T/ffmpeg.args"
check png-rc [ "$(rc png)" = 0 ]
check png-frames [ -s "$T/frames_000000.png" ] && check png-frames-3 [ -s "$T/frames_000002.png" ] &&
  check png-frames-only3 [ ! -e "$T/frames_000003.png" ]
check sweep-rc [ "$(rc sweep)" = 0 ]
check sweep-frames [ -s "$T/sweep_000003.png" ]
check sweep-differs bash -c "! cmp -s '$T/sweep_000000.png' '$T/sweep_000003.png'"
# --screenshot draws only its last frame: the same pixels as the third
# frame of a recording that drew all three
check last-rc [ "$(rc last)" = 0 ]
check last-equals-recorded cmp -s "$T/last.png" "$T/frames_000002.png"
check bench-rc [ "$(rc bench)" = 0 ]
# Xvfb's llvmpipe is a software renderer: the window defaults to the cheap
# settings, --quality full keeps shadows and reflections at full size
check bench-software grep -q '"software":.*true' "$T/bench.out"
check bench-auto-fast grep -q '"quality":.*"fast"' "$T/bench.out"
check bench-full-rc [ "$(rc benchfull)" = 0 ]
check bench-full grep -q '"quality":.*"full"' "$T/benchfull.out"
check bench-full-scale grep -qE '"scale":[[:space:]]*1[,}]?$' "$T/benchfull.out"
check bench-json grep -q '"slider_to_live_us_median"' "$T/bench.out"
if [ "$fail" != 0 ]; then
  for f in screenshot front3 ffmpeg png last sweep bench benchfull; do echo "--- $f"; head -5 "$T/$f.out" "$T/$f.err" 2>/dev/null; done
fi
echo "cli_viewer: $pass passed, $fail failed"
[ "$fail" = 0 ]
