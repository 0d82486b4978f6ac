"""py_gym.py — rsoup.envs (Gymnasium envs stepped by librsoup) checked from
Python: gymnasium's env checker, next-step autoreset step by step, the
same trajectories as `rsoup rollout` for the same seed, arrays without
copies, objectives as vector rewards, the registered ids.
    python tests/py_gym.py RSOUP_BIN SOURCE_DIR     (tests/py_gym.sh runs it)
"""
import json
import os
import subprocess
import sys
import warnings

import numpy as np

R, SRC = sys.argv[1:3]
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, "python"))
import gymnasium as gym  # noqa: E402
from gymnasium.utils.env_checker import check_env  # noqa: E402

import rsoup  # noqa: E402
import rsoup.envs  # noqa: E402

passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (name, ": " + str(detail) if detail != "" else ""))


def quiet(fn, *a, **kw):
    """fn without gymnasium's advisory warnings (an unbounded Box, no render modes)"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*a, **kw)


# ---- the registry, as `rsoup envs` has it
names = rsoup.envs.env_names()
check("six robots", names == ["hopper", "halfcheetah", "walker2d", "ant", "humanoid",
                              "swimmer"] or sorted(names) == sorted(rsoup.envs.ENV_IDS.values()),
      names)
info = rsoup.envs.env_info("hopper")
check("hopper's sizes and terms", (info["obs_dim"], info["act_dim"], info["max_steps"]) ==
      (11, 3, 1000) and info["terms"][0] == "forward" and info["presets"][0] == "default", info)
try:
    rsoup.make_vec("hoper", 2)
    check("unknown env refused", False)
except rsoup.RsoupError as e:
    check("unknown env refused, naming the valid ones", "hopper" in str(e), e)
try:
    rsoup.make_vec("hopper", 2, reward="forwrd=1")
    check("bad reward refused", False)
except rsoup.RsoupError as e:
    check("bad reward refused, naming the token", "forwrd" in str(e), e)

# ---- gymnasium's env checker on single envs (direct, and through gym.make)
for env in ("hopper", "swimmer", "ant"):
    try:
        quiet(check_env, rsoup.make(env), skip_render_check=True)
        check("check_env %s" % env, True)
    except Exception as e:  # noqa: BLE001 (any failure of the checker is the test's)
        check("check_env %s" % env, False, repr(e))
try:
    e = gym.make("rsoup/HalfCheetah-v0", reward="risky")
    quiet(check_env, e.unwrapped, skip_render_check=True)
    check("gym.make('rsoup/HalfCheetah-v0') + check_env", e.spec.id == "rsoup/HalfCheetah-v0")
except Exception as e:  # noqa: BLE001
    check("gym.make('rsoup/HalfCheetah-v0') + check_env", False, repr(e))
try:
    quiet(check_env, rsoup.make("hopper", objectives=["risky", "cautious"]),
          skip_render_check=True)
    check("check_env with vector rewards", True)
except Exception as e:  # noqa: BLE001
    check("check_env with vector rewards", False, repr(e))
v = gym.make_vec("rsoup/Walker2d-v0", num_envs=3, vectorization_mode="vector_entry_point",
                 seed=4)
check("gym.make_vec: librsoup's VectorEnv", isinstance(v, rsoup.envs.VectorEnv) and
      v.num_envs == 3 and v.reset()[0].shape == (3, 17))
v.close()


# ---- next-step autoreset, step by step (hopper falls fast under random actions)
def random_actions(n, A, seed):
    g = np.random.default_rng(seed)
    return lambda: g.uniform(-1, 1, (n, A)).astype(np.float32)


N = 4
envs = rsoup.make_vec("hopper", N, seed=7, threads=2, info_terms=True)
twin = rsoup.make_vec("hopper", N, seed=7, threads=1, copy=True)
check("metadata says next-step",
      envs.metadata["autoreset_mode"] == gym.vector.AutoresetMode.NEXT_STEP)
obs, _ = envs.reset()
obs2, _ = twin.reset()
check("same seed, same first obs (threads 2 and 1)", np.array_equal(obs, obs2))
draw = random_actions(N, 3, 1)
ended = np.zeros(N, bool)
resets = terminal = mismatch = 0
w = rsoup.envs.reward_weights("hopper", "default")
bad_r = bad_pending = 0
for t in range(300):
    a = draw()
    pending = envs.resetting()
    bad_pending += not np.array_equal(pending, ended)
    b = a.copy()
    b[pending] = 1e3 * np.sign(b[pending] + 0.5)  # an ended env ignores its action
    prev = obs.copy()
    obs, rew, term, trunc, info = envs.step(a)
    o2, r2, te2, tr2, _ = twin.step(b)
    if not (np.array_equal(obs, o2) and np.array_equal(rew, r2) and np.array_equal(term, te2)
            and np.array_equal(trunc, tr2)):
        mismatch += 1
    for i in np.flatnonzero(pending):
        resets += 1
        ok = (rew[i] == 0 and not term[i] and not trunc[i] and not (info["terms"][i] != 0).any()
              and not np.array_equal(obs[i], prev[i]))
        check("reset step of env %d at %d: first obs, reward 0, flags false" % (i, t), ok,
              (rew[i], term[i], trunc[i]))
    stepped = ~pending
    # a step's reward is the reward's weights applied to its terms
    bad_r += not np.allclose(rew[stepped], info["terms"][stepped] @ w, rtol=1e-6, atol=1e-5)
    terminal += int((term | trunc).sum())
    ended = term | trunc
check("resetting() is the last step's term | trunc", bad_pending == 0, bad_pending)
check("reward = the reward's weights . terms", bad_r == 0, bad_r)
check("hopper default: forward + healthy - 0.001 sum(a^2)", list(w) == [1, 1, 0.001, 0, 0], w)
check("episodes ended and were reset", terminal >= 4 and resets >= terminal - N,
      (terminal, resets))
check("an ended env ignores its action on the reset step", mismatch == 0, mismatch)

# no copies: the env's own arrays, overwritten by the next step
o1 = envs.step(draw())[0]
o2 = envs.step(draw())[0]
check("step returns the env's array (no copy)", o1 is o2 and np.shares_memory(o1, envs._core.obs))
c1 = twin.step(draw())[0]
c2 = twin.step(draw())[0]
check("copy=True returns copies", c1 is not c2 and not np.shares_memory(c1, c2))
try:
    bad = draw()
    bad[0, 0] = np.nan
    envs.step(bad)
    check("NaN action refused", False)
except rsoup.RsoupError as e:
    check("NaN action refused", "non-finite" in str(e), e)
envs.close()
twin.close()

# ---- truncation at the time limit (swimmer never terminates)
sw = rsoup.make_vec("swimmer", 2, seed=3, threads=1)
sw.reset()
for t in range(1000):
    _, _, term, trunc, _ = sw.step(np.zeros((2, 2), np.float32))
check("swimmer truncates at step 1000, not before", t == 999 and trunc.all() and not term.any()
      and sw.resetting().all())
_, rew, term, trunc, _ = sw.step(np.ones((2, 2), np.float32))
check("and the next step is the reset step", (rew == 0).all() and not (term | trunc).any())
_, rew, term, trunc, _ = sw.step(np.ones((2, 2), np.float32))
check("then the new episode steps", (rew != 0).all() and not (term | trunc).any())
sw.close()

# ---- env 0 of a vector env is the single env with the same seed (stream 0)
one = rsoup.make("walker2d", seed=11)
vec = rsoup.make_vec("walker2d", 3, seed=11)
o, _ = one.reset()
ov, _ = vec.reset()
same = np.array_equal(o, ov[0])
g = np.random.default_rng(2)
for t in range(40):
    a = g.uniform(-1, 1, 6).astype(np.float32)
    o, r, te, tr, _ = one.step(a)
    ov, rv, tev, trv, _ = vec.step(np.stack([a, -a, a]))
    same &= np.array_equal(o, ov[0]) and np.float32(r) == rv[0] and te == tev[0]
    if te or tr:
        break
check("Env(seed) = env 0 of VectorEnv(seed)", same)
o_a, _ = one.reset(seed=5)
o_b, _ = one.reset(seed=5)
o_c, _ = one.reset()
check("reset(seed) is reproducible, reset() goes on", np.array_equal(o_a, o_b) and
      not np.array_equal(o_a, o_c))
one.close()
vec.close()

# ---- objectives: vector rewards, MO-Gymnasium's reward_space
mo = rsoup.make_vec("hopper", 3, objectives=["risky", "cautious", "forward=1"], seed=2)
sc = [rsoup.make_vec("hopper", 3, reward=s, seed=2) for s in ("risky", "cautious", "forward=1")]
check("reward_space [3] and reward_dim", mo.reward_space.shape == (3,) and mo.reward_dim == 3
      and not hasattr(sc[0], "reward_space"))
mo.reset()
for e in sc:
    e.reset()
draw = random_actions(3, 3, 5)
ok = True
for t in range(120):
    a = draw()
    _, rm, _, _, _ = mo.step(a)
    for j, e in enumerate(sc):
        _, rj, _, _, _ = e.step(a)
        ok &= rm.shape == (3, 3) and np.array_equal(rm[:, j], rj)
check("objective j's rewards = a scalar env's with reward j, bit for bit", ok)
mo.close()
for e in sc:
    e.close()

# ---- the same episodes as `rsoup rollout` (its random actions, its seed)
SEED, K, NE = 5, 6, 2
p = subprocess.run([R, "rollout", "--env", "hopper", "--episodes", str(K), "--envs", str(NE),
                    "--threads", "1", "--seed", str(SEED), "--json"], capture_output=True,
                   text=True)
ro = json.loads(p.stdout)["rollouts"][0] if p.returncode == 0 else None
check("rsoup rollout runs", ro is not None, p.stderr[-300:])
if ro is not None:
    # rollout draws NE x act_dim uniforms per vecenv step from Rng(seed, 2^20);
    # env i's k-th simulated step takes row i of draw k (here: the reset steps
    # take no draw of their own, since next-step autoreset spends a step there)
    rng = rsoup.Rng(SEED, 1 << 20)
    blocks = []

    def block(k):
        while len(blocks) <= k:
            blocks.append(np.array([[-1 + 2 * rng.uniform() for _ in range(3)]
                                    for _ in range(NE)], dtype=np.float32))
        return blocks[k]

    env = rsoup.make_vec("hopper", NE, seed=SEED, threads=1, info_terms=True)
    env.reset()
    k = np.zeros(NE, int)
    acc = np.zeros((NE, 5))
    start = np.zeros(NE, int)  # k at the episode's first step
    episodes = []  # (vecenv step at which it ended, env, terms, length)
    while len(episodes) < 4 * K:
        pending = env.resetting()
        a = np.stack([block(k[i])[i] for i in range(NE)])
        _, _, term, trunc, info = env.step(a)
        for i in range(NE):
            if pending[i]:
                continue
            acc[i] += info["terms"][i]
            k[i] += 1
            if term[i] or trunc[i]:
                episodes.append((k[i] - 1, i, acc[i].copy(), k[i] - start[i]))
                acc[i] = 0
                start[i] = k[i]
    episodes.sort(key=lambda e: (e[0], e[1]))
    first = episodes[:K]
    terms = np.array([e[2] for e in first])
    names = [t["name"] for t in ro["terms"]]
    want = np.array([t["mean"] for t in ro["terms"]])
    # rollout's order: each episode's return divided by K, summed in episode order
    got = np.array([sum(terms[e, j] / K for e in range(K)) for j in range(terms.shape[1])])
    check("rollout's term means, same seed", names == rsoup.envs.env_info("hopper")["terms"] and
          np.allclose(got, want, rtol=1e-12, atol=1e-12), (got, want))
    check("rollout's mean length", np.mean([e[3] for e in first]) == ro["length_mean"],
          (np.mean([e[3] for e in first]), ro["length_mean"]))
    env.close()

# ---- bad input: the package's own exception, naming what was expected and given
def refused(name, fn, *words):
    try:
        fn()
        check(name + " refused", False)
    except Exception as e:  # noqa: BLE001 (the type is what is checked)
        check(name + " refused as an RsoupError, naming " + " and ".join(words),
              isinstance(e, rsoup.RsoupError) and all(w in str(e) for w in words), repr(e))


bv = rsoup.make_vec("hopper", 2, seed=5, threads=1)
bv.reset()
for what, a, words in [("transposed actions", np.zeros((3, 2), np.float32), ("(2, 3)", "(3, 2)")),
                       ("flat actions", np.zeros(6, np.float32), ("(2, 3)", "(6,)")),
                       ("complex actions", np.zeros((2, 3), complex), ("float32", "complex128")),
                       ("bool actions", np.zeros((2, 3), bool), ("float32", "bool")),
                       ("string actions", np.full((2, 3), "a"), ("float32", "<U1"))]:
    refused(what, lambda: bv.step(a), *words)
# any layout and real dtype is the same action: a strided float64 view steps
# as its C-contiguous float32 copy does
acts = np.random.default_rng(0).uniform(-1, 1, (2, 6)).astype(np.float32)[:, ::2]
twin_v = rsoup.make_vec("hopper", 2, seed=5, threads=1)
twin_v.reset()
o_view = bv.step(np.asfortranarray(acts.astype(np.float64)))[0].copy()
o_copy = twin_v.step(np.ascontiguousarray(acts))[0]
check("a strided float64 array steps as its float32 copy", np.array_equal(o_view, o_copy))
bv.close()
twin_v.close()
refused("step on a closed vector env", lambda: bv.step(np.zeros((2, 3), np.float32)), "closed")
refused("reset on a closed vector env", lambda: bv.reset(), "closed")
be = rsoup.make("hopper", seed=5)
be.reset()
refused("a single env's action of the wrong size", lambda: be.step(np.zeros(4)), "(3,)", "(4,)")
be.close()
refused("step on a closed env", lambda: be.step(np.zeros(3)), "closed")
# a library that cannot be loaded: LibraryMissing, and nothing else on stderr
p = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                    "import rsoup.envs as e\ntry:\n e.VectorEnv('hopper', 2)\n"
                    "except ImportError as x:\n print(type(x).__name__)",
                    os.path.join(SRC, "python")], capture_output=True, text=True,
                   env=dict(os.environ, RSOUP_LIB=os.path.join(SRC, "no-such-librsoup.so")))
check("a missing library: LibraryMissing, no traceback after it",
      p.stdout.strip() == "LibraryMissing" and "Exception" not in p.stderr, (p.stdout, p.stderr))

print("py_gym: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
