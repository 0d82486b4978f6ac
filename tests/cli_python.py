"""cli_python.py — the checks of tests/cli_python.sh (which makes the runs):
python/rsoup against the rsoup binary.
    python3 tests/cli_python.py RSOUP_BIN RUNS_DIR SOURCE_DIR
Deterministic actions must match `rsoup act` to float rounding (1e-5) on
random observations, some far beyond obs_clip; the RNG must match rsoup's bit
for bit (through tests/fixtures/rng_streams.txt, which tests/test_rng.c pins
to the C code); files save_policy writes must load in `rsoup act`, `eval`, `soup`
and `view`, and a read-save round trip must give the same bytes."""
import glob
import json
import os
import shutil
import stat
import subprocess
import sys

import numpy as np

R, T, SRC = sys.argv[1:4]
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(SRC, "python"))  # the package rsoup/
import rsoup  # noqa: E402

TOL = 1e-5
passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (name, ": " + str(detail) if detail != "" else ""))


def rsoup_run(*args, want=0):
    p = subprocess.run([R] + [str(a) for a in args], capture_output=True, text=True)
    if p.returncode != want:
        print("rsoup %s: rc %d (want %d)\n%s%s" % (" ".join(map(str, args)), p.returncode, want,
                                                  p.stdout[-2000:], p.stderr[-2000:]))
    return p


def rsoup_act(path, obs):
    """`rsoup act` on float32 observations, written exactly (%.9g reads back the float)"""
    f = os.path.join(T, "obs.csv")
    with open(f, "w") as fh:
        for row in obs:
            fh.write(",".join("%.9g" % v for v in row) + "\n")
    p = rsoup_run("act", path, "--obs", f)
    if p.returncode != 0:
        return None
    return np.array([[float(x) for x in line.split(",")] for line in p.stdout.split()],
                    dtype=np.float32)


def observations(pol, n, seed, scale):
    """raw observations around the policy's statistics: most within a few
    std, a quarter at 30 std (beyond PPO's obs_clip of 10), a few at 1e3 std"""
    g = np.random.default_rng(seed)
    sd = np.sqrt(pol.obs_var + rsoup.NORM_EPS)
    z = g.standard_normal((n, pol.obs_dim)) * scale
    z[: n // 4] *= 30.0
    z[: 4] *= 30.0
    return (pol.obs_mean + z * sd).astype(np.float32)


def same_act(name, path, pol, seed, scale=1.0, n=256):
    obs = observations(pol, n, seed, scale)
    c = rsoup_act(path, obs)
    if c is None:
        check(name + " act runs", False)
        return
    py = pol.act(obs)
    d = float(np.abs(c - py).max())
    print("cli_python: %-28s max |act - rsoup act| = %.3g" % (name, d))
    check(name + " act matches rsoup act", c.shape == py.shape and d <= TOL,
          "max |diff| %g, shapes %s %s" % (d, c.shape, py.shape))
    # not a vacuous match: the actions vary and are not all at the bounds
    spread = float(c.std(axis=0).min())
    check(name + " actions vary", spread > 1e-4, "std over rows %g" % spread)
    one = pol.act(obs[5])
    check(name + " act of one row", one.shape == (pol.act_dim,) and
          np.allclose(one, py[5], rtol=0, atol=1e-6))
    return obs


def raises(name, fn, text):
    try:
        fn()
    except rsoup.RsoupError as e:
        check(name, text in str(e), "message: %s" % e)
        return
    check(name, False, "no error")


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


# ---- the RNG, against the fixture that tests/test_rng.c checks the C against
with open(os.path.join(SRC, "tests", "fixtures", "rng_streams.txt")) as fh:
    lines = [l.split() for l in fh if l.strip() and not l.startswith("#")]
for kind, seed, stream, *vals in lines:
    g = rsoup.Rng(int(seed), int(stream))
    if kind == "u64":
        got, want = [g.u64() for _ in vals], [int(v, 16) for v in vals]
    elif kind == "uniform":
        got, want = [g.uniform() for _ in vals], [float.fromhex(v) for v in vals]
    else:
        got, want = [g.normal() for _ in vals], [float.fromhex(v) for v in vals]
    check("rng %s (%s, %s) bit for bit" % (kind, seed, stream), got == want,
          "got %r want %r" % (got[:3], want[:3]))

# ---- deterministic actions: PPO, SAC, a soup of two PPO experts
risky = rsoup.load_policy(os.path.join(T, "risky"))  # a run folder
check("run folder resolves to its policy",
      risky.path == os.path.join(T, "risky", "policy.safetensors"), risky.path)
sac = rsoup.load_policy(os.path.join(T, "sac", "policy.safetensors"))
soup = rsoup.load_policy(os.path.join(T, "soup.safetensors"))
cautious = rsoup.load_policy(os.path.join(T, "cautious"))
check("algos", (risky.algo, sac.algo, soup.algo) == ("ppo", "sac", "ppo"))
check("sac head is 2 x act_dim", sac.weights[-1].shape[0] == 2 * sac.act_dim and
      sac.log_std is None and (sac.log_std_min, sac.log_std_max) == (-5.0, 2.0))
check("sac does not clip observations", sac.obs_clip == 0 and risky.obs_clip == 10)
same_act("ppo", risky.path, risky, 1)
same_act("sac", sac.path, sac, 2, scale=3.0)
same_act("soup", soup.path, soup, 3)
# the soup is the experts' weights mixed 0.7 / 0.3 in double, rounded once
mix_ok = all(np.allclose(t, (0.7 * risky.tensors()[k].astype(np.float64) +
                             0.3 * cautious.tensors()[k].astype(np.float64)).astype(t.dtype),
                         rtol=1e-6, atol=1e-7)
             for k, t in soup.tensors().items())
check("soup = 0.7 risky + 0.3 cautious", mix_ok)

# ---- librsoup's mixer: rsoup.mix writes what `rsoup soup` wrote, byte for byte
mixed = os.path.join(T, "mix_py.safetensors")
out, norm_mixed = rsoup.mix([os.path.join(T, "risky"), os.path.join(T, "cautious")], [0.7, 0.3],
                            mixed)
check("rsoup.mix = rsoup soup, same bytes", same_bytes(mixed, soup.path))
raises("rsoup.mix: lambda off the simplex",
       lambda: rsoup.mix([risky.path, cautious.path], [0.7, 0.4], mixed), "0.4")
check("policy arrays are read-only (librsoup's copy is made from them)",
      not risky.weights[0].flags.writeable)
# without the library: make_policy still works; reading a file says where it looked
p = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r); import rsoup\n"
                    "import numpy as np\n"
                    "pol = rsoup.make_policy('ppo', [np.zeros((3, 11))], [np.zeros(3)])\n"
                    "print(pol.act_dim)\n"
                    "try:\n    rsoup.load_policy(%r)\nexcept rsoup.LibraryMissing as e:\n"
                    "    print('missing', e)" % (os.path.join(SRC, "python"), risky.path)],
                   capture_output=True, text=True,
                   env=dict(os.environ, RSOUP_LIB="/nonexistent/librsoup.so", LD_PRELOAD=""))
check("no librsoup: make_policy works, load_policy raises LibraryMissing naming the path",
      p.stdout.startswith("3\nmissing") and "/nonexistent/librsoup.so" in p.stdout,
      p.stdout + p.stderr[-300:])

# ---- sampled actions
obs = observations(risky, 4, 4, 1.0)
a1 = risky.act(obs, deterministic=False, rng=rsoup.Rng(1000, 2 ** 40))
a2 = risky.act(obs, deterministic=False, rng=rsoup.Rng(1000, 2 ** 40))
a3 = risky.act(obs, deterministic=False, rng=rsoup.Rng(1000, 2 ** 40 + 1))
check("ppo sampling: same Rng seed, same actions", np.array_equal(a1, a2))
check("ppo sampling: another stream, other actions", not np.array_equal(a1, a3))
# the noise is one rsoup normal per action component, row by row
mu, ls = risky.mean_log_std(obs)
eps = rsoup.Rng(1000, 2 ** 40).normals(mu.shape).astype(np.float32)
want = np.clip(mu + np.exp(ls) * eps, -risky.act_bound, risky.act_bound)
check("ppo sampling: mu + exp(log_std) eps, clipped", np.allclose(a1, want, atol=1e-6))
# distribution: 20000 draws for one observation (numpy's generator), from
# risky's Gaussian with a bound wide enough that the clip never acts
wide = rsoup.make_policy("ppo", risky.weights, risky.biases, risky.activation,
                         log_std=risky.log_std, obs_mean=risky.obs_mean, obs_var=risky.obs_var,
                         act_bound=1000.0)
x = obs[0]
s = wide.act(np.tile(x, (20000, 1)), deterministic=False, rng=np.random.default_rng(7))
m, sd = risky.mean_log_std(x)
sd = np.exp(sd)
err_m = np.abs(s.mean(0) - m) / (sd / np.sqrt(len(s)))
err_s = np.abs(s.std(0) / sd - 1)
check("ppo sampling: mean", (err_m < 5).all(), err_m)
check("ppo sampling: std", (err_s < 0.05).all(), err_s)
# SAC: bound * tanh(mu + sigma eps), sigma from the squashed raw output
obs = observations(sac, 64, 5, 1.0)
a = sac.act(obs, deterministic=False, rng=rsoup.Rng(9, 3))
mu, ls = sac.mean_log_std(obs)
check("sac log_std within [-5, 2]", (ls >= -5).all() and (ls <= 2).all())
eps = rsoup.Rng(9, 3).normals(mu.shape).astype(np.float32)
want = sac.act_bound * np.tanh(mu + np.exp(ls) * eps)
check("sac sampling: bound tanh(mu + sigma eps)", np.allclose(a, want, atol=1e-6) and
      (np.abs(a) <= sac.act_bound).all())
check("sac sampling differs from the mean", not np.allclose(a, sac.act(obs)))

# ---- PPO's tanh-squashed head: a run trained with it, as rsoup acts
p = rsoup_run("train", "--env", "hopper", "--n-steps", 256, "--epochs", 2, "--threads", 1,
              "--quiet", "--steps", 1024, "--action-head", "tanh", "--out", os.path.join(T, "tanh"))
tanh = rsoup.load_policy(os.path.join(T, "tanh"))
check("a file without action_head reads as clip", risky.action_head == "clip" and
      "action_head" not in risky.metadata and sac.action_head == "clip")
check("the tanh run's policy says tanh", tanh.action_head == "tanh" and
      tanh.metadata.get("action_head") == "tanh", tanh.metadata.get("action_head"))
obs = same_act("tanh", tanh.path, tanh, 12, scale=3.0)
mu, ls = tanh.mean_log_std(obs)
b = np.float32(tanh.act_bound)
check("tanh deterministic: bound tanh(mu)", np.allclose(tanh.act(obs), b * np.tanh(mu),
                                                        rtol=0, atol=1e-7))
check("tanh is not clip here", not np.allclose(tanh.act(obs), np.clip(mu, -b, b), rtol=0,
                                               atol=1e-6))
a = tanh.act(obs, deterministic=False, rng=rsoup.Rng(9, 3))
eps = rsoup.Rng(9, 3).normals(mu.shape).astype(np.float32)
check("tanh sampling: bound tanh(mu + exp(log_std) eps)",
      np.allclose(a, b * np.tanh(mu + np.exp(ls) * eps), rtol=0, atol=1e-6))
# saturating outputs (the last layer x 100), written from Python with the head
big = rsoup.make_policy("ppo", tanh.weights[:-1] + [100 * tanh.weights[-1]],
                        tanh.biases[:-1] + [100 * tanh.biases[-1]], tanh.activation, env="hopper",
                        log_std=tanh.log_std, obs_mean=tanh.obs_mean, obs_var=tanh.obs_var,
                        act_bound=tanh.act_bound, action_head="tanh")
mine_tanh = os.path.join(T, "mine_tanh.safetensors")
rsoup.save_policy(mine_tanh, big)
pb = rsoup.load_policy(mine_tanh)
check("save_policy writes action_head tanh", pb.action_head == "tanh")
obs = same_act("saturating tanh", mine_tanh, pb, 13, scale=3.0)
if obs is not None:
    a = pb.act(obs)
    check("saturating tanh reaches into the bound", float(np.abs(a).max()) > 0.99 * b and
          (np.abs(a) <= b).all())
# a squashed expert does not mix with a clipped one
p = rsoup_run("soup", tanh.path, risky.path, "--lambda", 0.5, "--out",
              os.path.join(T, "no.safetensors"), want=1)
check("rsoup soup refuses tanh with clip", "do not mix" in p.stderr, p.stderr[-300:])
# an unknown head: refused by rsoup.load_policy and rsoup act with one message
bad = os.path.join(T, "badhead.safetensors")
t, m = rsoup.read_safetensors(tanh.path)
rsoup.write_safetensors(bad, t, dict(m, action_head="softsign"))
msg = "unknown action_head 'softsign' in its metadata"
raises("unknown action_head refused", lambda: rsoup.load_policy(bad), msg)
p = rsoup_run("act", bad, "--obs", os.path.join(T, "obs.csv"), want=1)
check("rsoup act refuses the unknown action_head with the same message", msg in p.stderr,
      p.stderr[-300:])

# ---- refusals
raises("ppo training checkpoint refused",
       lambda: rsoup.load_policy(os.path.join(T, "risky", "train.safetensors")),
       "training checkpoint")
raises("sac training checkpoint refused (its format says policy)",
       lambda: rsoup.load_policy(os.path.join(T, "sac", "train.safetensors")),
       "training checkpoint")
raises("missing file", lambda: rsoup.load_policy(os.path.join(T, "nope.safetensors")),
       "cannot open")
bad = os.path.join(T, "other.safetensors")
t, m = rsoup.read_safetensors(risky.path)
rsoup.write_safetensors(bad, t, dict(m, format="something-else"))
raises("other format refused", lambda: rsoup.load_policy(bad), "not an rsoup policy")
t2 = dict(t)
t2["pi.0.weight"] = t["pi.0.weight"][:, :5]
rsoup.write_safetensors(bad, t2, m)
raises("wrong shape refused", lambda: rsoup.load_policy(bad), "pi.0.weight")
rsoup_run("act", bad, want=1)  # rsoup refuses it too

# ---- read -> save round trips: the same bytes
for name, pol in (("ppo", risky), ("sac", sac), ("soup", soup), ("tanh", tanh),
                  ("pre", rsoup.load_policy(os.path.join(T, "pre")))):
    out = os.path.join(T, "rt_%s.safetensors" % name)
    rsoup.save_policy(out, pol)
    check("round trip %s: same bytes" % name, same_bytes(out, pol.path))

# ---- weights from elsewhere: random weights of hopper's shapes
g = np.random.default_rng(11)
sizes = [risky.obs_dim, 64, 64, risky.act_dim]
W = [g.standard_normal((sizes[l + 1], sizes[l])) / np.sqrt(sizes[l]) for l in range(3)]
b = [0.1 * g.standard_normal(sizes[l + 1]) for l in range(3)]
mine = os.path.join(T, "mine.safetensors")
rsoup.save_policy(mine, algo="ppo", env="hopper", weights=W, biases=b, activation="tanh",
                  log_std=[-0.5, -0.5, -0.5], obs_mean=risky.obs_mean, obs_var=risky.obs_var,
                  metadata={"reward": "default", "steps": 0})
pm = rsoup.load_policy(mine)
check("saved policy reads back", np.array_equal(pm.weights[0], W[0].astype(np.float32)) and
      pm.metadata["reward"] == "default" and pm.metadata["steps"] == "0")
same_act("saved ppo", mine, pm, 6)
p = rsoup_run("eval", mine, "--episodes", 2, "--threads", 1, "--json")
check("rsoup eval accepts the saved policy", p.returncode == 0 and
      json.loads(p.stdout).get("episodes") == 2, p.stderr[-300:])
mix = os.path.join(T, "mix.safetensors")
p = rsoup_run("soup", risky.path, mine, "--lambda", 0.5, "--out", mix)
check("rsoup soup mixes it with an rsoup expert", p.returncode == 0, p.stderr[-300:])
if p.returncode == 0:
    same_act("soup with the saved policy", mix, rsoup.load_policy(mix), 7)
# the viewer mixes it with an rsoup expert too (headless, when xvfb-run is here)
shot = os.path.join(T, "shot.png")
if not shutil.which("xvfb-run"):
    print("cli_python: xvfb-run not found: skipping the rsoup view check")
else:
    # GL and X11 keep allocations to the end: no leak report for this one
    p = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x720x24", R, "view", risky.path,
                        mine, "--lambda", "0.5", "--screenshot", shot, "--frames", "2"],
                       capture_output=True, text=True,
                       env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    if "built without the viewer" in p.stderr:
        print("cli_python: this rsoup has no viewer: skipping the rsoup view check")
    else:
        check("rsoup view accepts the saved policy", p.returncode == 0 and os.path.getsize(shot) > 0,
              p.stderr[-300:])
# SAC weights, with the log-std range written
sizes = [sac.obs_dim, 32, 32, 2 * sac.act_dim]
W = [g.standard_normal((sizes[l + 1], sizes[l])) / np.sqrt(sizes[l]) for l in range(3)]
b = [0.1 * g.standard_normal(sizes[l + 1]) for l in range(3)]
mine_sac = os.path.join(T, "mine_sac.safetensors")
rsoup.save_policy(mine_sac, algo="sac", env="hopper", weights=W, biases=b, activation="relu",
                  log_std_min=-4, log_std_max=1)
ps = rsoup.load_policy(mine_sac)
check("sac log-std range written and read back", (ps.log_std_min, ps.log_std_max) == (-4, 1)
      and ps.metadata.get("log_std_min") == "-4.0", ps.metadata)
same_act("saved sac", mine_sac, ps, 8)
p = rsoup_run("eval", mine_sac, "--episodes", 1, "--threads", 1, "--json")
check("rsoup eval accepts the saved sac policy", p.returncode == 0, p.stderr[-300:])
try:
    rsoup.make_policy("ppo", [np.zeros((64, 11)), np.zeros((3, 32))], [np.zeros(64), np.zeros(3)])
    check("shapes that do not chain refused", False)
except rsoup.RsoupError:
    check("shapes that do not chain refused", True)

# ---- torch
try:
    import torch
except ImportError:
    torch = None
    print("cli_python: torch is not importable here: skipping the to_torch checks "
          "(apt-get install python3-torch)")
if torch is not None:
    torch.set_num_threads(1)
    for name, pol, scale in (("ppo", risky, 1.0), ("sac", sac, 3.0), ("soup", soup, 1.0),
                             ("saved ppo", pm, 1.0), ("tanh", tanh, 3.0),
                             ("saturating tanh", pb, 3.0)):
        net = pol.to_torch()
        obs = observations(pol, 256, 9, scale)
        with torch.no_grad():
            a = net(torch.from_numpy(obs)).numpy()
        d = float(np.abs(a - pol.act(obs)).max())
        check("torch %s = act" % name, isinstance(net, torch.nn.Module) and a.dtype == np.float32
              and d <= TOL, "max |diff| %g" % d)
        out = os.path.join(T, "torch_%s.safetensors" % name.replace(" ", "_"))
        rsoup.save_policy(out, net)
        check("torch %s saves back to the same bytes" % name, same_bytes(out, pol.path))
    net = risky.to_torch()
    n_params = sum(p.numel() for p in net.parameters())
    check("torch parameters: layers and log_std",
          n_params == sum(w.size + b.size for w, b in zip(risky.weights, risky.biases)) + 3)
    with torch.no_grad():
        net.layers[0].weight.mul_(2.0)
    changed = os.path.join(T, "changed.safetensors")
    rsoup.save_policy(changed, net)
    pc = rsoup.load_policy(changed)
    check("torch weights edited and saved", np.array_equal(pc.weights[0], 2 * risky.weights[0]))
    same_act("edited in torch", changed, pc, 10)

# ---- fronts and run folders
fr = rsoup.load_front(os.path.join(T, "front.csv"))
check("front meta", fr["meta"].get("episodes") == "1" and fr["meta"].get("mixing") == "linear"
      and "experts" in fr["meta"], fr["meta"])
check("front rows", fr["rows"] == 5 and fr["kind"].count("expert") == 2
      and fr["kind"].count("soup") == 3 and fr["lambda"].shape == (5, 2), fr.get("kind"))
check("front objectives", set(fr["obj"]) == {"risky", "cautious"} and
      "forward" in fr["term"] and fr["length"].shape == (5,), list(fr["obj"]))
with open(os.path.join(T, "front.csv")) as fh:
    text = fh.read()
rows = [l.split(",") for l in text.splitlines() if l and not l.startswith("#")]
col = rows[0].index("obj:risky")
check("front values", np.array_equal(fr["obj"]["risky"], [float(r[col]) for r in rows[1:]]))
check("front rewards: an unnamed front's names are its specs",
      fr["rewards"] == {"risky": "risky", "cautious": "cautious"} and not fr["named"], fr.get("rewards"))
# a front that names its rewards: the names, and each one's spec from its line
named = os.path.join(T, "named.csv")
with open(named, "w") as fh:
    fh.write("# reward fast: risky\n# reward calm: forward=1.25,healthy=5,ctrl=1.8\n" +
             text.replace("obj:risky", "obj:fast").replace("std:risky", "std:fast")
             .replace("obj:cautious", "obj:calm").replace("std:cautious", "std:calm"))
fn = rsoup.load_front(named)
check("front rewards: a named front's names and specs",
      list(fn["rewards"].items()) == [("fast", "risky"), ("calm", "forward=1.25,healthy=5,ctrl=1.8")]
      and fn["named"] and list(fn["obj"]) == ["fast", "calm"]
      and np.array_equal(fn["obj"]["fast"], fr["obj"]["risky"]), fn.get("rewards"))
cut = os.path.join(T, "cut.csv")
with open(cut, "w") as fh:
    fh.write(text[: len(text) - 7])  # the last row cut mid-write
fc = rsoup.load_front(cut)
check("front: a partial last row is dropped", fc["rows"] == 4 and fc["truncated"])
plain = rsoup.load_front(os.path.join(SRC, "tests", "fixtures", "front2.csv"))
check("front fixture", plain["rows"] == 7 and plain["label"][0] == "expert_risky" and
      np.isnan(plain["lambda"][2]).all())

run = rsoup.load_run(os.path.join(T, "risky"))
with open(os.path.join(T, "risky", "log.jsonl")) as fh:
    n_log = len(fh.read().splitlines())
check("run config", run["config"]["env"] == "hopper" and run["config"]["reward"] == "risky")
check("run log", len(run["log"]) == n_log == 2 and run["log"][-1]["step"] == 1024,
      len(run["log"]))
check("run progress", run["progress"]["columns"][:2] == ["iter", "step"] and
      run["progress"]["step"][-1] == 1024 and len(run["progress"]["iter"]) == n_log and
      np.isnan(run["progress"]["eval_return"]).all() and "pg_loss" in run["progress"])
check("run provenance and files", "git_commit" in run["provenance"] and
      run["policy"].endswith("policy.safetensors") and run["train"] is not None)


# ---- the files are librsoup's (rsoup_tensors_*, rsoup_front_*): what they give
# equals the format read by hand
t, m = rsoup.read_safetensors(risky.path)
w = t["pi.0.weight"]
check("read_safetensors: arrays are views of librsoup's memory, writable, native order",
      not w.flags.owndata and w.flags.writeable and w.dtype == np.float32 and
      np.array_equal(w, risky.weights[0]))
del t
import gc  # noqa: E402
gc.collect()
check("a view outlives its dict (it keeps the C object)", np.array_equal(w, risky.weights[0]))
g = np.random.default_rng(3)
arrays = {"f32": g.standard_normal((3, 4)).astype(np.float32),
          "f64 big-endian": g.standard_normal(5).astype(">f8"),
          "i32 strided": np.arange(20, dtype=np.int32).reshape(4, 5)[:, ::2],
          "i64": np.array([-2 ** 62, 2 ** 62 + 1], dtype=np.int64),
          "u8": np.frombuffer(b"rsoup", dtype=np.uint8),
          "scalar": np.array(2.5, dtype=np.float32),
          "empty": np.zeros((0, 3)),
          "4 dims": np.ones((1, 2, 1, 2), dtype=np.float32)}
meta = {"k": "v", "unicode": "\u03bb \u00fcn\u00ef \"q\"\n"}
rt = os.path.join(T, "rt.safetensors")
rsoup.write_safetensors(rt, arrays, meta)
t, m = rsoup.read_safetensors(rt)
check("write / read round trip: names in order, dtypes, shapes, values, metadata",
      list(t) == list(arrays) and m == meta and
      all(t[k].dtype == arrays[k].dtype.newbyteorder("=") and t[k].shape == arrays[k].shape and
          np.array_equal(t[k], arrays[k]) for k in arrays), (list(t), m))
with open(rt, "rb") as fh:
    raw = fh.read()
n = int.from_bytes(raw[:8], "little")
head = json.loads(raw[8:8 + n])
pos, tiled = 0, True
for k, a in arrays.items():
    e = head[k]
    le = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")).tobytes()
    tiled &= e["data_offsets"] == [pos, pos + len(le)] and e["shape"] == list(a.shape) and \
        raw[8 + n + pos: 8 + n + pos + len(le)] == le
    pos += len(le)
check("the bytes, read by hand: metadata first, header padded to 8, data little-endian and tiled",
      list(head)[0] == "__metadata__" and head["__metadata__"] == meta and n % 8 == 0 and
      tiled and len(raw) == 8 + n + pos and head["f64 big-endian"]["dtype"] == "F64")
for name, tens, md, text in (
        ("a NUL in a name", {"a\0b": arrays["f32"]}, {}, "NUL"),
        ("a bool array", {"b": np.zeros(3, dtype=bool)}, {}, "dtype bool"),
        ("5 dims", {"d": np.zeros((1, 1, 1, 1, 2), np.float32)}, {}, "ndim 5"),
        ("the reserved name", {"__metadata__": arrays["f32"]}, {}, "not allowed"),
        ("a metadata number", {"a": arrays["f32"]}, {"n": 1}, "strings")):
    out = os.path.join(T, "refused.safetensors")
    raises("write_safetensors refuses %s" % name,
           lambda: rsoup.write_safetensors(out, tens, md), text)
    check("write_safetensors: %s leaves nothing" % name, not os.path.lexists(out))


def front_by_hand(path):
    """a committed front read with the csv module and float(): provenance,
    header, rows (the files are whole, so nothing needs rsoup's rules)"""
    meta, rows, header = {}, [], None
    with open(path) as fh:
        for line in fh.read().splitlines():
            if line.startswith("# ") and header is None and ": " in line:
                k, v = line[2:].split(": ", 1)
                meta[k] = v
            elif line and not line.startswith("#"):
                if header is None:
                    header = line.split(",")
                else:
                    rows.append(line.split(","))
    return meta, header, rows


fronts = sorted(glob.glob(os.path.join(SRC, "experiments", "results", "quick", "seed_*",
                                       "*front.csv")))
check("the committed quick fronts are there", len(fronts) >= 6, fronts)
for path in fronts:
    meta, header, rows = front_by_hand(path)
    fr = rsoup.load_front(path)
    col = {c: [r[j] for r in rows] for j, c in enumerate(header)}
    same = fr["meta"] == meta and fr["columns"] == header and fr["rows"] == len(rows) and \
        fr["kind"] == col["kind"] and fr["label"] == col["label"] and not fr["truncated"]
    for c in header:
        key, _, name = c.partition(":")
        want = np.array([float(x) for x in col[c]]) if key not in ("kind", "label") else None
        if key in ("obj", "std", "term", "termstd"):
            same &= np.array_equal(fr[key][name], want, equal_nan=True)
        elif key == "lambda":
            same &= np.array_equal(fr["lambda"][:, int(name)], want, equal_nan=True)
        elif key in ("episodes", "length"):
            same &= np.array_equal(fr[key], want, equal_nan=True)
    check("load_front = the file read by hand: %s" % os.path.relpath(path, SRC), same)
run_dir = os.path.join(SRC, "experiments", "results", "quick", "seed_1", "expert_risky")
rq = rsoup.load_run(run_dir)
with open(os.path.join(run_dir, "progress.csv")) as fh:
    lines = fh.read().splitlines()
cols = lines[0].split(",")
by_hand = np.array([[float(x) if x else np.nan for x in l.split(",")] for l in lines[1:]])
with open(os.path.join(run_dir, "config.json")) as fh:
    cfg = json.load(fh)
check("load_run = the committed run read by hand", rq["config"] == cfg and
      rq["progress"]["columns"] == cols and len(by_hand) > 1 and
      all(np.array_equal(rq["progress"][c], by_hand[:, j], equal_nan=True)
          for j, c in enumerate(cols)))

# ---- bad inputs: RsoupError naming the file, never another exception, a hang
# or an unbounded read; refused where rsoup refuses them (issue 27)

def refused(name, fn, where, text=""):
    """fn() must raise RsoupError whose message names `where` (and holds text)"""
    try:
        fn()
    except rsoup.RsoupError as e:
        check(name, where in str(e) and text in str(e), "message: %s" % e)
        return
    except BaseException as e:  # what else it raises is the finding
        check(name, False, "%s instead of RsoupError: %s" % (type(e).__name__, str(e)[:200]))
        return
    check(name, False, "accepted")


def in_child(name, call, want, limit_mb=0):
    """`call` (an expression using rsoup) in a fresh interpreter, which must
    print `want` ("RsoupError: ...<text>" or "ok <result>"). The child is
    killed after 60 s, so that a read that waits for ever fails the test
    instead of stalling it; with limit_mb its address space is that small, so
    that an unbounded read fails at once instead of filling the machine."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if limit_mb and env.get("LD_PRELOAD"):
        # a sanitizer's shadow memory does not fit a small address space:
        # there the child runs unlimited (the release build checks the bound)
        limit_mb = 0
    code = ("import os, sys, resource\n"
            "if %d: resource.setrlimit(resource.RLIMIT_AS, (%d << 20, %d << 20))\n"
            "sys.path.insert(0, %r)\nsys.dont_write_bytecode = True\nimport rsoup\n"
            "try:\n    print('ok', %s)\n"
            "except rsoup.RsoupError as e:\n    print('RsoupError:', e)\n"
            "except BaseException as e:\n    print('%%s: %%s' %% (type(e).__name__, e))\n"
            % (limit_mb, limit_mb, limit_mb, os.path.join(SRC, "python"), call))
    try:
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=60, env=env)
    except subprocess.TimeoutExpired:
        check(name, False, "no answer in 60 s: it waits for ever")
        return
    out = (p.stdout.strip().splitlines() or [p.stderr.strip()[-300:]])[-1]
    check(name, out.startswith(want.split("...")[0]) and want.split("...")[-1] in out, out)


def put(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w") as fh:
        fh.write(data)
    return path


def st_file(name, header, data=b""):
    """a safetensors file of a raw header text (padded to 8 bytes) and data"""
    raw = header.encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    return put(os.path.join(T, name), len(raw).to_bytes(8, "little") + raw + data)


def run_copy(name):
    """a copy of the risky run's folder to damage"""
    d = os.path.join(T, "run_" + name)
    shutil.copytree(os.path.join(T, "risky"), d)
    return d


# hangs: FIFOs without a writer. A front (a text input, as for rsoup) may be
# a pipe: one without a writer reads as empty; a run's files must be regular
fifo = os.path.join(T, "fifo")
os.mkfifo(fifo)
in_child("front: a FIFO is not waited on", "rsoup.load_front(%r)" % fifo,
         "RsoupError: ...'%s'" % fifo)
in_child("front: a pipe with data reads (as rsoup's process substitution)",
         "(lambda r, w: (os.write(w, b'a,b\\n1,2\\n2,1\\n'), os.close(w), "
         "rsoup.load_front('/dev/fd/%d' % r)['rows'])[-1])(*os.pipe())", "ok 2")
for fname in ("config.json", "log.jsonl", "progress.csv", "provenance.json"):
    d = run_copy("fifo_" + fname.split(".")[0])
    os.unlink(os.path.join(d, fname))
    os.mkfifo(os.path.join(d, fname))
    in_child("run: %s a FIFO" % fname, "rsoup.load_run(%r)" % d,
             "RsoupError: ...%s' is not a regular file" % fname)
in_child("policy: a FIFO", "rsoup.load_policy(%r)" % fifo, "RsoupError: ...is not a regular file")

# unbounded reads: /dev/zero and a 3 GiB (sparse) file are refused before
# they are read, under 1 GiB of address space
in_child("front: /dev/zero", "rsoup.load_front('/dev/zero')",
         "RsoupError: ...'/dev/zero' is not a regular file", limit_mb=1024)
d = run_copy("zero")
os.unlink(os.path.join(d, "config.json"))
os.symlink("/dev/zero", os.path.join(d, "config.json"))
in_child("run: config.json -> /dev/zero", "rsoup.load_run(%r)" % d,
         "RsoupError: ...config.json' is not a regular file", limit_mb=1024)
big = os.path.join(T, "big.csv")
with open(big, "wb") as fh:
    fh.truncate(3 << 30)
in_child("front: a 3 GiB file", "rsoup.load_front(%r)" % big,
         "RsoupError: ...big.csv' is larger than 256 MiB", limit_mb=1024)
in_child("policy: a 3 GiB file", "rsoup.load_policy(%r)" % big,
         "RsoupError: ...big.csv", limit_mb=1024)
d = run_copy("biglog")
os.unlink(os.path.join(d, "log.jsonl"))
os.link(big, os.path.join(d, "log.jsonl"))
in_child("run: a 3 GiB log.jsonl", "rsoup.load_run(%r)" % d,
         "RsoupError: ...log.jsonl' is larger than 256 MiB", limit_mb=1024)

# safetensors headers rsoup's reader refuses
W44 = ',"data_offsets":[0,44]}}'
for name, head, data in (
        ("shape Infinity", '{"w":{"dtype":"F32","shape":[Infinity,11]' + W44, bytes(44)),
        ("shape 1e400", '{"w":{"dtype":"F32","shape":[1e400,11]' + W44, bytes(44)),
        ("shape NaN", '{"w":{"dtype":"F32","shape":[NaN,11]' + W44, bytes(44)),
        ("shape whose bytes overflow 64 bits",
         '{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}', b""),
        ("shape beyond 2^53", '{"w":{"dtype":"F32","shape":[9007199254740993,0],'
                              '"data_offsets":[0,0]}}', b""),
        ("shape of 5 dims", '{"w":{"dtype":"F32","shape":[1,1,1,1,11]' + W44, bytes(44)),
        ("an integer of 5000 digits",
         '{"w":{"dtype":"F32","shape":[' + "9" * 5000 + ',11]' + W44, bytes(44)),
        ("nested 100000 deep", '{"__metadata__":' + "[" * 100000 + "]" * 100000 + "}", b""),
        ("a duplicate tensor", '{"w":{"dtype":"F32","shape":[11],"data_offsets":[0,44]},'
                               '"w":{"dtype":"F32","shape":[11],"data_offsets":[0,44]}}',
         bytes(44))):
    f = st_file("bad_header.safetensors", head, data)
    refused("safetensors: " + name, lambda: rsoup.read_safetensors(f), f)
    refused("policy: " + name, lambda: rsoup.load_policy(f), f)

# policy metadata: numbers as rsoup reads them (ASCII digits, no '_')
t, m = rsoup.read_safetensors(risky.path)
# (rsoup reads obs_clip with strtof and no end check: '１０' is 0 there, no clip;
# issue 27 item 13 has it refused)
for key, val, c_refuses in (("obs_dim", "\u00b2", 1), ("obs_dim", "\u0661\u0661", 1),
                            ("act_bound", "0_5", 1), ("arch", "\u0666\u0664,\u0666\u0664", 1),
                            ("obs_clip", "\uff11\uff10", 0)):
    f = os.path.join(T, "badmeta.safetensors")
    rsoup.write_safetensors(f, t, dict(m, **{key: val}))
    refused("policy metadata %s %r" % (key, val), lambda: rsoup.load_policy(f), f)
    if c_refuses:
        check("policy metadata %s %r: rsoup refuses it too" % (key, val),
              rsoup_run("act", f, "--obs", os.path.join(T, "obs.csv"), want=1).returncode == 1)

# fronts: what rs_front_load refuses, with the file's name
head = "kind,label,lambda:0,lambda:1,episodes,obj:a,std:a,obj:b,std:b,length\n"
row = "soup,s,0.5,0.5,1,1,0,2,0,10\n"
f = put(os.path.join(T, "good_front.csv"), head + row)
check("front: the good one reads", rsoup.load_front(f)["rows"] == 1 and
      rsoup_run("pareto", f).returncode == 0)
for name, text in (
        ("'0_5' is not a number", head + row.replace("0.5,", "0_5,", 1)),
        ("a fullwidth digit is not a number", head + row.replace("0.5,", "\uff10,", 1)),
        ("a plain CSV's '0_5'", "a,b\n1,2\n0_5,3\n"),
        ("duplicate lambda:0", head.replace("lambda:1", "lambda:0") + row),
        ("lambda:x", head.replace("lambda:1", "lambda:x") + row),
        ("lambda:1 without lambda:0", head.replace("lambda:0", "lambda:2") + row),
        ("no label column", head.replace("label,", "") + row.replace("s,", "", 1)),
        ("obj without its std", head.replace(",std:a", "") + row.replace(",1,0,", ",1,", 1)),
        ("an unknown kind", head + row.replace("soup", "sop")),
        ("episodes not a count", head + row.replace(",1,1,", ",1.5,1,")),
        ("a NUL byte", "# note \0\n" + head + row),
        ("a short row inside", head + row.replace(",0,2,", ",2,") + row),
        ("a plain CSV's duplicate name", "a,a\n1,2\n")):
    f = put(os.path.join(T, "bad_front.csv"), text)
    refused("front: " + name, lambda: rsoup.load_front(f), f)
    check("front: %s: rsoup refuses it too" % name, rsoup_run("pareto", f, want=1).returncode == 1)
# and reads what rsoup reads: a byte-order mark, hex numbers, a cut last row
f = put(os.path.join(T, "bom.csv"),
        "\ufeff" + head + row + "expert,e,0x1p-1,0.5,2,0x10,nan,3,0,0X.8\n")
try:
    fb = rsoup.load_front(f)
    check("front: a byte-order mark and hex numbers", fb["rows"] == 2 and fb["kind"] ==
          ["soup", "expert"] and fb["lambda"][1, 0] == 0.5 and fb["length"][1] == 0.5 and
          fb["obj"]["a"][1] == 16 and np.isnan(fb["std"]["a"][1]), fb)
    check("front: rsoup reads it too", rsoup_run("pareto", f).returncode == 0)
except Exception as e:
    check("front: a byte-order mark and hex numbers", False, "%s: %s" % (type(e).__name__, e))

# run folders: config.json, log.jsonl, progress.csv
bad_runs = (
    ("config.json not JSON", "config.json", b"{\"env\": \"hopper\",", ""),
    ("config.json bad UTF-8", "config.json", b"{\"env\": \"hop\xffper\"}", "UTF-8"),
    ("config.json nested", "config.json", b"{\"a\":" + b"[" * 100000 + b"]" * 100000 + b"}", ""),
    ("config.json NaN", "config.json", b"{\"env\": \"hopper\", \"lr\": NaN}", ""),
    ("config.json a duplicate key", "config.json", b"{\"env\": \"hopper\", \"env\": \"ant\"}",
     "env"),
    ("config.json not an object", "config.json", b"[1, 2]", ""),
    ("log.jsonl bad UTF-8", "log.jsonl", b"{\"step\": 1, \"a\": \"\xff\"}\n{\"step\": 2}\n", ""),
    ("log.jsonl nested", "log.jsonl", b"[" * 100000 + b"]" * 100000 + b"\n{\"step\": 2}\n", ""),
    ("log.jsonl a line not an object", "log.jsonl", b"{\"step\": 1}\n[2]\n", "line 2"),
    ("progress.csv a short row inside", "progress.csv", b"iter,step,x\n1,10,0.5\n2,20\n3,30,1\n",
     "line 3"),
    ("progress.csv '0_5'", "progress.csv", b"iter,step,x\n1,10,0_5\n", "0_5"),
    ("progress.csv junk", "progress.csv", b"iter,step,x\n1,10,abc\n", "abc"),
    ("progress.csv a duplicate column", "progress.csv", b"iter,step,step\n1,10,10\n", "step"))
for name, fname, data, text in bad_runs:
    d = run_copy("bad")
    put(os.path.join(d, fname), data)
    refused("run: " + name, lambda: rsoup.load_run(d), os.path.join(d, fname), text)
    shutil.rmtree(d)
# a last line cut mid-write (inside a UTF-8 character, inside a number) is dropped
d = run_copy("cut")
put(os.path.join(d, "log.jsonl"), b"{\"step\": 1}\n{\"step\": 2, \"a\": \"\xc3")
put(os.path.join(d, "progress.csv"), b"iter,step,x,eval_return\n1,10,0.5,\n2,20,0.2,1")
try:
    rc = rsoup.load_run(d)
    check("run: cut last lines are dropped", len(rc["log"]) == 1 and
          list(rc["progress"]["step"]) == [10] and np.isnan(rc["progress"]["eval_return"][0]),
          (rc["log"], rc["progress"]))
except Exception as e:
    check("run: cut last lines are dropped", False, "%s: %s" % (type(e).__name__, e))

# outputs: a new name or a regular file, never a device, FIFO, folder or symlink
keep = os.path.join(T, "keep.txt")
put(keep, "not yours")
link = os.path.join(T, "link.safetensors")
os.symlink(keep, link)
folder = os.path.join(T, "a_folder")
os.mkdir(folder)
targets = [("a FIFO", fifo, stat.S_ISFIFO), ("a folder", folder, stat.S_ISDIR),
           ("a symlink", link, stat.S_ISLNK)]
if os.geteuid() == 0:  # a character device of our own (/dev/full's numbers), never /dev/full
    dev = os.path.join(T, "mynull")
    os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    targets.append(("a character device", dev, stat.S_ISCHR))
else:
    print("cli_python: not root: skipping save_policy onto a device node")
for name, target, kind in targets:
    refused("save_policy onto %s" % name, lambda: rsoup.save_policy(target, risky), target)
    check("save_policy left %s as it was" % name, kind(os.lstat(target).st_mode))
check("save_policy did not write through the symlink", open(keep, "rb").read() == b"not yours")
# a symlink planted at the temporary name is not written through either
out = os.path.join(T, "planted.safetensors")
os.symlink(keep, "%s.tmp.%d" % (out, os.getpid()))
try:
    rsoup.save_policy(out, risky)
except Exception as e:
    check("save_policy past a planted temporary symlink", False, "%s: %s" % (type(e).__name__, e))
check("save_policy: the planted symlink's target untouched",
      open(keep, "rb").read() == b"not yours")
check("save_policy: the policy saved, no temporary left", os.path.isfile(out) and
      not os.path.islink(out) and same_bytes(out, risky.path) and
      not os.path.lexists("%s.tmp.%d" % (out, os.getpid())))

print("cli_python: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
