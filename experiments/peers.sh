#!/usr/bin/env bash
# peers.sh [--parts env,train,front|all] [options] [OUT] — rsoup beside its
# peers, measured in one run; each part has a script that says how:
#   env   (experiments/peers.py, the default part)
#     1. the Python binding's overhead: rsoup.make_vec(hopper, 16) stepped from
#        Python against the same librsoup vector env stepped from C
#        (experiments/peers_vec.c, built here against build/librsoup.so), same
#        seed and actions; rsoup bench env's rs_vecenv beside them;
#     2. the peers: EnvPool's and Gymnasium's MuJoCo Hopper and HalfCheetah
#        against rsoup.make_vec, same envs and threads. They run in a venv of
#        their own, build/py-peers-venv, made once from the lock
#        python/requirements-peers.txt (~1 GB: EnvPool's assets); without it
#        (offline, or PEERS_PEERS=0) the table has part 1 only.
#   train (experiments/peers_train.py) rsoup's PPO against Stable-Baselines3's
#        PPO with CleanRL's MuJoCo settings, both on rsoup's hopper, the same
#        env steps, per seed: wall and CPU time, final deterministic return
#        (rsoup eval on both). -> OUT/train/
#   front (experiments/peers_front.py) rewarded soups (rsoup experiment:
#        pretrain + 2 experts + front) against MORL-Baselines' CAPQL on
#        hopper's mo_velocity/mo_height at the same total training steps:
#        hypervolume of both fronts on one reference point. -> OUT/front/
#   train and front run in the interop tests' venv, build/py-interop-venv,
#   made once from the lock python/requirements-interop.txt (torch CPU, SB3,
#   MORL-Baselines), as tests/py_interop.sh makes it; both need OUT.
# Options (the record's budgets are the defaults; tiny ones make a smoke run):
#   --parts P          env, train, front, comma-separated, or all     (env)
#   --train-steps N    env steps per training run                     (1000000)
#   --train-seeds S    seeds, e.g. 1,2,3                              (1,2,3)
#   --front-steps N    training env steps per method and seed         (1000000)
#   --front-seeds S                                                    (1)
#   --front-grid G     front points (λ grid, CAPQL weights)           (11)
#   --episodes K       evaluation episodes per policy / front point   (10)
#   --ref x,y          front hypervolume reference point   (rsoup pareto's:
#                      below every point of both methods' fronts, shared)
#   --threads T        threads of each training (rsoup env threads,
#                      torch threads), the same for both sides        (1)
# Run it on an idle machine: under load the thread-CPU row of part 1 still
# holds, the wall-clock rows do not (the header says when the load was above
# the cores). train's and front's tables judge their own runs: a one-thread
# run that had its core has CPU/wall near 1 (with more threads, the load
# sampled while they ran decides); `--retable DIR` on either script makes a
# part's tables again from its JSON without training.
#   PEERS_ENVS (16), PEERS_THREADS (all cores), PEERS_BATCHES (2000 vector
#   steps per timing), PEERS_ROUNDS (5), PEERS_ENV (hopper, part 1);
#   PYTHON: a python with numpy and gymnasium for the env part alone (default:
#   the peers' venv, else the interop tests' or py_gym's)
# OUT: also write peers.txt and peers.json there (env), OUT/train, OUT/front;
# each part's folder gets a README.md (env: OUT's): commit, machine,
# versions, commands.
set -euo pipefail
cd "$(dirname "$0")/.."
ARGV=("$0" "$@")
PARTS=env TRAIN_STEPS=1000000 TRAIN_SEEDS=1,2,3 FRONT_STEPS=1000000 FRONT_SEEDS=1
FRONT_GRID=11 EPISODES=10 REF="" THREADS=1 OUT=""
while [ $# -gt 0 ]; do
  case $1 in
    --parts) PARTS=$2; shift 2 ;;
    --train-steps) TRAIN_STEPS=$2; shift 2 ;;
    --train-seeds) TRAIN_SEEDS=$2; shift 2 ;;
    --front-steps) FRONT_STEPS=$2; shift 2 ;;
    --front-seeds) FRONT_SEEDS=$2; shift 2 ;;
    --front-grid) FRONT_GRID=$2; shift 2 ;;
    --episodes) EPISODES=$2; shift 2 ;;
    --ref) REF=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d;s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "peers: unknown option $1 (--help)" >&2; exit 2 ;;
    *) [ -z "$OUT" ] || { echo "peers: one OUT only" >&2; exit 2; }; OUT=$1; shift ;;
  esac
done
[ "$PARTS" = all ] && PARTS=env,train,front
for p in ${PARTS//,/ }; do
  case $p in
    env|train|front) ;;
    *) echo "peers: unknown part '$p' (env, train, front, all)" >&2; exit 2 ;;
  esac
done
has() { case ",$PARTS," in *",$1,"*) return 0 ;; esac; return 1; }
if { has train || has front; } && [ -z "$OUT" ]; then
  echo "peers: the train and front parts write into OUT: give one" >&2; exit 2
fi
R=${RSOUP_BIN:-build/rsoup}
B=$(cd "$(dirname "$R")" && pwd)
LIB=${RSOUP_LIB:-$B/librsoup.so}
[ -e "$LIB" ] || { echo "peers: $LIB is missing (build first)" >&2; exit 1; }
export RSOUP_LIB=$LIB OPENBLAS_NUM_THREADS=1
[ -n "$OUT" ] && mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)

# make_venv VENV LOCK: a venv of the lock's exact pins (--no-deps: pip
# resolves nothing), remade only when the lock changes; 1 when pip cannot
make_venv() {
  local V=$1 LOCK=$2
  [ -x "$V/bin/python" ] && cmp -s "$LOCK" "$V/requirements.stamp" && return 0
  rm -rf "$V"
  echo "peers: installing $LOCK into $V (once)" >&2
  if python3 -m venv "$V" && "$V/bin/python" -m pip install -q --disable-pip-version-check \
       --no-deps -r "$LOCK" > "$V.log" 2>&1; then
    cp "$LOCK" "$V/requirements.stamp"
  else
    echo "peers: cannot install $LOCK (log: $V.log)" >&2
    rm -rf "$V"; return 1
  fi
}

# readme DIR TITLE PY CMD...: what a part's numbers need beside them
PKGS='numpy|torch|gymnasium|stable.baselines3|morl.baselines|mo.gymnasium|envpool|mujoco|scipy'
readme() {
  local d=$1 title=$2 py=$3; shift 3
  {
    echo "# rsoup peers: $title"
    echo
    echo "- made: $(date -u +%Y-%m-%dT%H:%M:%SZ) by \`${ARGV[*]}\`"
    echo "- commit: $(git rev-parse HEAD 2>/dev/null || echo unknown)$(
      git diff --quiet HEAD 2>/dev/null || echo ' (working tree differs)')"
    echo "- machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)," \
         "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo "- rsoup: $("$R" --version | tr '\n' ';' | sed 's/;$//;s/;/; /g')"
    echo "- python: $("$py" -c 'import sys; print(sys.version.split()[0])') ($py)"
    echo "- packages: $("$py" -m pip list --format=freeze 2>/dev/null | grep -iE "^($PKGS)==" |
      tr '\n' ' ')"
    echo
    echo "Commands (from the checkout's root):"
    echo
    for c in "$@"; do echo "    $c"; done
  } > "$d/README.md"
}

env_part() {
  local PY=${PYTHON:-} PEERS=()
  if [ "${PEERS_PEERS:-1}" != 0 ] && [ -z "$PY" ]; then
    make_venv "$B/py-peers-venv" python/requirements-peers.txt || echo "peers: part 1 only" >&2
    [ -x "$B/py-peers-venv/bin/python" ] && PY=$B/py-peers-venv/bin/python && PEERS=(--peers)
  fi
  for c in "$B/py-interop-venv/bin/python" "$B/py-venv/bin/python"; do
    [ -n "$PY" ] || { [ -x "$c" ] && PY=$c; } || true
  done
  [ -n "$PY" ] && "$PY" -c 'import numpy, gymnasium' 2>/dev/null || {
    echo "peers: no python with numpy and gymnasium: set PYTHON, or make the test venv" \
         "(cd build && ctest -R py_gym)" >&2; exit 1; }
  T=$(mktemp -d "${TMPDIR:-/tmp}/rs_peers.XXXXXX")
  trap 'rm -rf "$T"' EXIT
  ${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude experiments/peers_vec.c \
    -o "$T/peers_vec" "$LIB" -Wl,-rpath,"$(dirname "$LIB")"
  local ARGS=(--env "${PEERS_ENV:-hopper}" --envs "${PEERS_ENVS:-16}"
        --threads "${PEERS_THREADS:-$(nproc)}" --batches "${PEERS_BATCHES:-2000}"
        --rounds "${PEERS_ROUNDS:-5}" "${PEERS[@]}")
  if [ -n "$OUT" ]; then
    "$PY" experiments/peers.py "$R" "$T/peers_vec" "${ARGS[@]}" --json > "$OUT/peers.json"
    "$PY" - "$OUT/peers.json" > "$OUT/peers.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["binding"]:
    print("threads %d (%s): C %.0f steps/s, Python %.0f steps/s, overhead %+.1f%%" % (
        r["threads"], r["clock"], r["c_steps_per_s"], r["py_steps_per_s"], 100 * r["overhead"]))
for r in d["peers"]:
    print("%s %s, threads %d (%s): %.0f steps/s, %.2fx rsoup.make_vec" % (
        r["env"], r["what"], r["threads"], r["clock"], r["env_steps_per_s"], r["vs_rsoup"]))
if d["peers_missing"]:
    print("peers: not measured (%s)" % d["peers_missing"])
print("load %.2f -> %.2f on %d cores" % (d["load_1min"][0], d["load_1min"][1], d["cores"]))
PY
    cat "$OUT/peers.txt"
    readme "$OUT" "the binding's overhead and the envs' throughput (peers.txt, peers.json)" "$PY" \
      "$PY experiments/peers.py $R PEERS_VEC ${ARGS[*]} --json > $OUT/peers.json" \
      "(PEERS_VEC: experiments/peers_vec.c built against $LIB)"
  else
    "$PY" experiments/peers.py "$R" "$T/peers_vec" "${ARGS[@]}"
  fi
}

# the interop venv, as tests/py_interop.sh makes it (its flock too, so a
# ctest run beside this one does not make it at the same time)
interop_py() {
  local V=$B/py-interop-venv
  exec 9> "$B/py-interop-venv.lock"
  flock 9
  make_venv "$V" python/requirements-interop.txt || {
    flock -u 9; echo "peers: the train and front parts need $V" >&2; exit 1; }
  flock -u 9
  IPY=$V/bin/python
}

train_part() {
  local d=$OUT/train cmd
  [ ! -e "$d" ] || { echo "peers: $d exists: give a new OUT" >&2; exit 1; }
  mkdir -p "$d"
  cmd=("$IPY" experiments/peers_train.py "$R" "$d" --steps "$TRAIN_STEPS" --seeds "$TRAIN_SEEDS"
       --threads "$THREADS" --episodes "$EPISODES")
  OMP_NUM_THREADS=$THREADS "${cmd[@]}"
  readme "$d" "rsoup's PPO against Stable-Baselines3's PPO (train.md, train.csv, train.json)" \
    "$IPY" "${cmd[*]}"
}

front_part() {
  local d=$OUT/front cmd
  [ ! -e "$d" ] || { echo "peers: $d exists: give a new OUT" >&2; exit 1; }
  mkdir -p "$d"
  cmd=("$IPY" experiments/peers_front.py "$R" "$d" --steps "$FRONT_STEPS" --seeds "$FRONT_SEEDS"
       --grid "$FRONT_GRID" --episodes "$EPISODES" --threads "$THREADS")
  [ -z "$REF" ] || cmd+=("--ref=$REF")
  OMP_NUM_THREADS=$THREADS WANDB_MODE=disabled WANDB_SILENT=true PYGAME_HIDE_SUPPORT_PROMPT=1 \
    "${cmd[@]}"
  readme "$d" "rewarded soups against MORL-Baselines' CAPQL (front.md, front.csv, front.json)" \
    "$IPY" "${cmd[*]}"
}

# each part in an if body, not after &&: set -e holds inside the part
if has env; then env_part; fi
if has train || has front; then interop_py; fi
if has train; then train_part; fi
if has front; then front_part; fi
