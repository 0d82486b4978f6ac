"""rsoup — rewarded soups on MuJoCo locomotion, from Python.

    import rsoup
    pi = rsoup.load_policy("runs/risky")          # a policy file or a run folder
    a = pi.act(obs)                                # = `rsoup act`, float32 (librsoup)
    a = pi.act(obs, deterministic=False, rng=rsoup.Rng(1000, 2**40))
    net = pi.to_torch()                            # torch.nn.Module: obs -> action
    rsoup.save_policy("mine.safetensors", algo="ppo", env="hopper",
                      weights=[W0, W1, W2], biases=[b0, b1, b2], activation="tanh")
    rsoup.mix(["runs/risky", "runs/cautious"], [0.7, 0.3], "soup.safetensors")
    front = rsoup.load_front("runs/quick/seed_1/front.csv")
    run = rsoup.load_run("runs/risky")             # config, provenance, log, progress
    rsoup.tensorboard_export("runs/risky", "tb/risky")  # its curves as TensorBoard events
    envs = rsoup.make_vec("hopper", 16, reward="risky", seed=1)    # gymnasium VectorEnv
    env = rsoup.make("hopper", objectives=["risky", "cautious"])   # MO-Gymnasium style

What runs in C (librsoup.so, include/rsoup.h, loaded with ctypes: see
_lib.py): the envs, the policies' forward pass and action head, the soup
mixer, and every file format: safetensors read and written, fronts read,
the generator (Rng) (_files.py turns their objects into numpy arrays).
`pip install .` in the checkout builds and installs the library with the
package; in the source tree, build/librsoup.so of a CMake build is used.
Without the library only make_policy and to_torch() work; everything that
reads or writes a file, acts, mixes or steps an env raises LibraryMissing
(an ImportError) saying where it looked: there is no numpy copy of any of
it.

The formats are described in docs/formats.md; tests/cli_python.sh checks
the package against the rsoup binary. Nothing here needs the `safetensors`
package; torch is imported only by Policy.to_torch(), gymnasium only by the
envs (rsoup.envs).
"""

import json
import math
import os

import numpy as np

from . import _lib
from ._lib import LibraryMissing

__all__ = [
    "RsoupError", "Policy", "Rng", "load_policy", "make_policy", "save_policy",
    "read_safetensors", "write_safetensors", "load_front", "load_run",
    "POLICY_FORMAT", "TRAIN_FORMAT", "NORM_EPS", "LibraryMissing", "library_path", "mix",
    "make", "make_vec", "envs", "tensorboard_export", "from_sb3",
]

POLICY_FORMAT = "rsoup-policy-1"   # metadata `format` of a policy file
TRAIN_FORMAT = "rsoup-train-1"     # ... of a PPO training checkpoint (train.safetensors)
NORM_EPS = 1e-8                    # added to the variance before the square root
NORM_INIT_COUNT = 1e-4             # the count of a fresh normaliser (gym's RunningMeanStd)
SAC_LOG_STD_MIN = -5.0             # SAC's log-std range when the file does not say
SAC_LOG_STD_MAX = 2.0
PPO_OBS_CLIP = 10.0                # obs_clip when the metadata lacks it: PPO clips at 10,
SAC_OBS_CLIP = 0.0                 # SAC does not clip (0)
MAX_HIDDEN = 7                     # RS_MLP_MAX_LAYERS - 1
ACTION_HEADS = ("clip", "tanh")    # PPO's action head (metadata action_head; absent: clip)


class RsoupError(ValueError):
    """A file that rsoup would refuse, or arguments it cannot turn into one;
    also a file that cannot be read or written (the message names it and
    says why)."""


# --------------------------------------------------------------------- files
# Every file format has one implementation, librsoup's (_files.py: reading
# and writing safetensors, fronts, the generator; run folders), imported
# here after RsoupError, which they raise.

from ._files import Rng, load_front, load_run, read_safetensors, write_safetensors  # noqa: E402
from ._files import number as _number  # noqa: E402


# --------------------------------------------------------------------- policy

def _fmt_g9(x):
    """C's "%.9g" of a float (how rsoup writes act_bound and obs_clip)"""
    return "%.9g" % float(np.float32(x))


class Policy:
    """An rsoup policy: observation normaliser, actor MLP, action head.

    Attributes: algo ('ppo' or 'sac'), env, obs_dim, act_dim, act_bound,
    obs_clip, activation ('tanh' or 'relu'), hidden (tuple of widths),
    weights / biases (lists of float32 arrays, W[l] is [out, in]), log_std
    (PPO: float32 [act_dim]; None for SAC), log_std_min / log_std_max (SAC's
    range), action_head (PPO's: 'clip' or 'tanh'; SAC always squashes),
    obs_mean / obs_var (float64 [obs_dim]), obs_count, metadata (the file's
    metadata, every key, in order), path (where it was read from)."""

    def __init__(self, algo, weights, biases, activation, log_std=None, obs_mean=None,
                 obs_var=None, obs_count=None, act_bound=1.0, obs_clip=None, env="",
                 log_std_min=None, log_std_max=None, metadata=None, path=None,
                 action_head=None):
        if algo not in ("ppo", "sac"):
            raise RsoupError("unknown algo '%s' (ppo or sac)" % algo)
        act = str(activation).lower()
        if act not in ("tanh", "relu"):
            raise RsoupError("unknown activation '%s' (choose tanh or relu)" % activation)
        W = [np.array(w, dtype=np.float32) for w in weights]
        b = [np.array(x, dtype=np.float32) for x in biases]
        if not W or len(W) != len(b) or len(W) > MAX_HIDDEN + 1:
            raise RsoupError("need 1..%d layers, as many weights as biases (got %d and %d)"
                             % (MAX_HIDDEN + 1, len(W), len(b)))
        for l, (w, x) in enumerate(zip(W, b)):
            if w.ndim != 2 or x.shape != (w.shape[0],) or \
                    (l > 0 and w.shape[1] != W[l - 1].shape[0]):
                raise RsoupError("layer %d: weight %s and bias %s do not chain (weights are "
                                 "[out, in], biases [out])" % (l, w.shape, x.shape))
            if not 1 <= min(w.shape) or max(w.shape) > 65536:
                raise RsoupError("layer %d: size %s outside 1..65536" % (l, w.shape))
        n_out = W[-1].shape[0]
        if algo == "sac" and n_out % 2:
            raise RsoupError("a SAC actor outputs [mu, log-std] (2 x act_dim): %d outputs" % n_out)
        self.algo, self.activation, self.env = algo, act, env or ""
        self.weights, self.biases = W, b
        self.obs_dim = W[0].shape[1]
        self.act_dim = n_out // 2 if algo == "sac" else n_out
        self.hidden = tuple(w.shape[0] for w in W[:-1])
        if not (1 <= self.obs_dim <= 100000 and 1 <= self.act_dim <= 1000):
            raise RsoupError("implausible sizes: obs %d, act %d" % (self.obs_dim, self.act_dim))
        D, A = self.obs_dim, self.act_dim
        if algo == "ppo":
            self.log_std = (np.zeros(A, np.float32) if log_std is None
                            else np.array(log_std, dtype=np.float32).reshape(-1))
            if self.log_std.shape != (A,):
                raise RsoupError("log_std has %d values, act_dim is %d" % (self.log_std.size, A))
        else:
            if log_std is not None:
                raise RsoupError("a SAC policy has no log_std tensor (its actor outputs it)")
            self.log_std = None
        self.log_std_min = SAC_LOG_STD_MIN if log_std_min is None else float(log_std_min)
        self.log_std_max = SAC_LOG_STD_MAX if log_std_max is None else float(log_std_max)
        if not self.log_std_min < self.log_std_max:
            raise RsoupError("log_std_min (%g) must be < log_std_max (%g)"
                             % (self.log_std_min, self.log_std_max))
        self.obs_mean = (np.zeros(D) if obs_mean is None
                         else np.array(obs_mean, dtype=np.float64).reshape(-1))
        self.obs_var = (np.ones(D) if obs_var is None
                        else np.array(obs_var, dtype=np.float64).reshape(-1))
        self.obs_count = (NORM_INIT_COUNT if obs_count is None
                          else float(np.asarray(obs_count, dtype=np.float64).reshape(-1)[0]))
        if self.obs_mean.shape != (D,) or self.obs_var.shape != (D,):
            raise RsoupError("obs_mean / obs_var need obs_dim = %d values" % D)
        self.act_bound = float(np.float32(act_bound))
        clip = (PPO_OBS_CLIP if algo == "ppo" else SAC_OBS_CLIP) if obs_clip is None else obs_clip
        self.obs_clip = float(np.float32(clip))
        if action_head not in (None,) + ACTION_HEADS:
            raise RsoupError("unknown action_head '%s' (clip or tanh)" % (action_head,))
        self.action_head = action_head or "clip"
        self.metadata = dict(metadata or {})
        self.path = path
        self.check()
        # librsoup's copy is made from these arrays once (Policy._c): they
        # stay as they are; change a policy by making another (make_policy)
        for a in self.weights + self.biases + [self.log_std, self.obs_mean, self.obs_var]:
            if a is not None:
                a.flags.writeable = False

    # -- what every rsoup loader checks
    def check(self):
        for l, (w, x) in enumerate(zip(self.weights, self.biases)):
            if not (np.isfinite(w).all() and np.isfinite(x).all()):
                raise RsoupError("non-finite actor weight in layer %d" % l)
        if self.log_std is not None and not np.isfinite(self.log_std).all():
            raise RsoupError("non-finite pi.log_std")
        if not (np.isfinite(self.obs_mean).all() and np.isfinite(self.obs_var).all()
                and (self.obs_var >= 0).all()):
            raise RsoupError("bad observation statistics (mean must be finite, var >= 0)")
        if not (math.isfinite(self.obs_count) and self.obs_count >= 0):
            raise RsoupError("bad observation count %g" % self.obs_count)
        if not (math.isfinite(self.act_bound) and self.act_bound > 0):
            raise RsoupError("act_bound %g is not a positive number" % self.act_bound)
        if not (math.isfinite(self.obs_clip) and self.obs_clip >= 0):
            raise RsoupError("bad obs_clip %g" % self.obs_clip)

    def __repr__(self):
        return "<rsoup %s policy for %s: obs %d, act %d, arch %s %s%s>" % (
            self.algo, self.env or "?", self.obs_dim, self.act_dim,
            ",".join(map(str, self.hidden)) or "(linear)", self.activation,
            ", from " + self.path if self.path else "")

    # -- the forward pass: librsoup's, the code `rsoup act` and `eval` run
    def _obs(self, obs):
        x = np.asarray(obs, dtype=np.float64)
        one = x.ndim == 1
        x = np.atleast_2d(x)
        if x.ndim != 2 or x.shape[1] != self.obs_dim:
            raise RsoupError("observations must be [obs_dim] or [batch, obs_dim] with obs_dim = "
                             "%d, got shape %s" % (self.obs_dim, np.shape(obs)))
        if not np.isfinite(x).all():
            raise RsoupError("observations must be finite (rsoup act refuses others)")
        return np.ascontiguousarray(x, dtype=np.float32), one  # rsoup reads observations as float

    def _c(self):
        """this policy inside librsoup, made from this object's arrays (read-only
        for that reason) and remade when an attribute the C policy reads changes"""
        key = (tuple(map(id, self.weights)), tuple(map(id, self.biases)), id(self.log_std),
               id(self.obs_mean), id(self.obs_var), self.obs_count, self.act_bound,
               self.obs_clip, self.action_head, self.log_std_min, self.log_std_max,
               self.activation, self.algo)
        h = self.__dict__.get("_handle")
        if h is None or h.key != key:
            h = _CPolicy(self.tensors(), self.file_metadata(), key)
            self._handle = h
        return h

    def forward(self, obs):
        """the actor's raw output, normaliser included: mu (PPO, [act_dim]) or
        [mu, raw log-std] (SAC); computed by librsoup"""
        x, one = self._obs(obs)
        out = self._c().run(x, "rsoup_policy_forward", self.weights[-1].shape[0])
        return out[0] if one else out

    def mean_log_std(self, obs):
        """(mu, log sigma) of the Gaussian the actions are drawn from (for SAC,
        before the tanh squash: log sigma = min + (max - min)/2 (tanh(raw) + 1))"""
        out = np.atleast_2d(self.forward(obs))
        A = self.act_dim
        mu = out[:, :A]
        if self.algo == "ppo":
            ls = np.broadcast_to(self.log_std, mu.shape).copy()
        else:
            half = np.float32(0.5 * (np.float32(self.log_std_max) - np.float32(self.log_std_min)))
            ls = np.float32(self.log_std_min) + half * (np.tanh(out[:, A:2 * A]) + np.float32(1))
        if np.asarray(obs).ndim == 1:
            return mu[0], ls[0]
        return mu, ls.astype(np.float32)

    def act(self, obs, deterministic=True, rng=None):
        """Actions (float32, within +-act_bound) for one observation [obs_dim]
        or a batch [B, obs_dim] of raw observations.

        deterministic=True is `rsoup act` itself: librsoup's forward pass and
        action head (PPO: clip(mu), or act_bound * tanh(mu) with action_head
        tanh; SAC: act_bound * tanh(mu)). deterministic=False samples as
        `rsoup eval --stochastic`: PPO u = mu + exp(log_std) eps (through the
        same head), SAC act_bound * tanh(mu + exp(log sigma) eps). The noise
        eps comes from rng: an rsoup.Rng (rsoup's own stream, one normal per
        action component, row by row), a numpy Generator, or None (a fresh
        numpy Generator). Needs librsoup (see rsoup.library_path)."""
        if deterministic:
            x, one = self._obs(obs)
            a = self._c().run(x, "rsoup_policy_act", self.act_dim)
            return a[0] if one else a
        mu, ls = self.mean_log_std(obs)
        mu, ls = np.atleast_2d(mu), np.atleast_2d(ls)
        bound = np.float32(self.act_bound)
        if rng is None:
            rng = np.random.default_rng()
        eps = rng.normals(mu.shape) if isinstance(rng, Rng) else rng.standard_normal(mu.shape)
        z = (mu + np.exp(ls) * eps.astype(np.float32)).astype(np.float32)
        a = bound * np.tanh(z) if self.algo == "sac" or self.action_head == "tanh" else z
        a = np.clip(a, -bound, bound).astype(np.float32)
        return a[0] if np.asarray(obs).ndim == 1 else a

    __call__ = act

    # -- the file
    def tensors(self):
        """the policy file's tensors, in rsoup's order"""
        t = {"obs_norm.mean": self.obs_mean.astype(np.float64),
             "obs_norm.var": self.obs_var.astype(np.float64),
             "obs_norm.count": np.array([self.obs_count], dtype=np.float64)}
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            t["pi.%d.weight" % l] = w
            t["pi.%d.bias" % l] = b
        if self.log_std is not None:
            t["pi.log_std"] = self.log_std
        return t

    def file_metadata(self):
        """the metadata save_policy writes: self.metadata with the keys that
        describe the tensors made to agree with them (a value that already
        says the same thing is kept as written)"""
        m = dict(self.metadata)

        def put(key, text, same=None):
            old = m.get(key)  # None: absent, or a slot make_policy keeps for the order
            if old is None or not (same(old) if same else old == text):
                m[key] = text

        def num_eq(v):
            return lambda s: _float_or_none(s) == v

        put("format", POLICY_FORMAT)
        put("env", self.env)
        put("algo", self.algo)
        put("arch", ",".join(map(str, self.hidden)))
        put("activation", self.activation)
        put("obs_dim", str(self.obs_dim))
        put("act_dim", str(self.act_dim))
        put("act_bound", _fmt_g9(self.act_bound), num_eq(self.act_bound))
        put("obs_clip", _fmt_g9(self.obs_clip), num_eq(self.obs_clip))
        if self.algo == "sac":
            for key, v, dflt in (("log_std_min", self.log_std_min, SAC_LOG_STD_MIN),
                                 ("log_std_max", self.log_std_max, SAC_LOG_STD_MAX)):
                if m.get(key) is not None or v != dflt:
                    put(key, repr(v), lambda s, v=v: _double_or_none(s) == v)
        elif self.action_head != "clip" or m.get("action_head") is not None:
            put("action_head", self.action_head)  # rsoup writes it only when tanh
        for key in ("train_config", "format_train", "replay"):
            m.pop(key, None)
        return {k: v for k, v in m.items() if v is not None}

    def save(self, path):
        save_policy(path, self)
        return path

    # -- torch
    def to_torch(self):
        """a torch.nn.Module whose forward(obs) is the deterministic action
        (normaliser included): see _torch_module below"""
        return _torch_module(self)


class _CPolicy:
    """an rsoup_policy of librsoup, made from a policy's tensors and metadata
    (rsoup_policy_from_tensors: read as a file holding them would be)"""

    _DT = {np.dtype("<f4"): "F32", np.dtype("<f8"): "F64", np.dtype("<i4"): "I32",
           np.dtype("<i8"): "I64", np.dtype("u1"): "U8"}

    def __init__(self, tensors, metadata, key=None):
        import ctypes
        so = _lib.lib()
        self.key, self.h, self._so = key, None, so
        arrs = [np.ascontiguousarray(a, dtype=np.dtype(a.dtype).newbyteorder("<"))
                for a in tensors.values()]
        names, keep1 = _lib.cstrings(list(tensors))
        dts, keep2 = _lib.cstrings([self._DT[a.dtype] for a in arrs])
        nd = np.array([a.ndim for a in arrs], dtype=np.intc)
        shapes = np.array([d for a in arrs for d in a.shape] or [0], dtype=np.int64)
        data = (ctypes.c_void_p * max(1, len(arrs)))(*[a.ctypes.data for a in arrs])
        keys, keep3 = _lib.cstrings(list(metadata))
        vals, keep4 = _lib.cstrings(list(metadata.values()))
        h = so.rsoup_policy_from_tensors(len(arrs), names, dts, _lib.ptr(nd), _lib.ptr(shapes),
                                         data, len(metadata), keys, vals)
        if not h:
            raise RsoupError(_lib.error())
        self.h = h

    def run(self, x, fn, width):
        out = np.empty((x.shape[0], width), dtype=np.float32)
        if getattr(self._so, fn)(self.h, _lib.ptr(x), x.shape[0], _lib.ptr(out)) != 0:
            raise RsoupError(_lib.error())
        return out

    def __del__(self):
        if self.h:
            self._so.rsoup_policy_free(self.h)
            self.h = None


def library_path():
    """where librsoup.so was loaded from; LibraryMissing (an ImportError)
    saying where it was looked for when it is absent"""
    return _lib.lib().path


def mix(paths, lam, out):
    """θ(λ) = Σ λ_i θ_i of policy files or run folders, written to `out` as
    `rsoup soup --lambda` writes it (librsoup's mixer: the same tensors and
    metadata, lambda and parents included). lam: one weight per policy, on
    the simplex. Returns (out, norm_mixed): norm_mixed is True when the
    experts' normaliser statistics differed and were interpolated too."""
    import ctypes
    so = _lib.lib()
    paths = [os.fspath(p) for p in paths]
    lam = np.ascontiguousarray(lam, dtype=np.float64).reshape(-1)
    if len(lam) != len(paths):
        raise RsoupError("mix: %d policies and %d lambda values" % (len(paths), len(lam)))
    arr, keep = _lib.cstrings(paths)
    nm = ctypes.c_int(0)
    if so.rsoup_soup_save(arr, len(paths), _lib.ptr(lam), os.fspath(out).encode(),
                          ctypes.byref(nm)) != 0:
        raise RsoupError(_lib.error())
    return out, bool(nm.value)


def _double_or_none(s):
    return _number(s)


def _float_or_none(s):
    v = _number(s)
    if v is None:
        return None
    with np.errstate(over="ignore"):  # beyond float range: inf, as strtof
        return float(np.float32(v))


def policy_path(path):
    """the rule of rsoup's CLI (rs_cli_policy_path): a folder means its policy.safetensors"""
    path = os.fspath(path)
    return os.path.join(path, "policy.safetensors") if os.path.isdir(path) else path


def load_policy(path):
    """A Policy from a policy file or a run folder (its policy.safetensors).
    Refuses training checkpoints (train.safetensors) and anything that is not
    an rsoup policy, with the reason: librsoup reads the file and checks
    every metadata key and tensor as rsoup's loader does (its message, after
    the path); Python refuses besides numbers that do not read whole."""
    path = policy_path(path)
    tensors, meta = read_safetensors(path)
    fmt = meta.get("format")
    if fmt == TRAIN_FORMAT or "train_config" in meta or "format_train" in meta:
        raise RsoupError("%s: is a training checkpoint (metadata format '%s'%s): it holds the "
                         "value nets, optimiser and env state too; give the run's "
                         "policy.safetensors or its folder"
                         % (path, fmt, ", format_train '%s'" % meta["format_train"]
                            if "format_train" in meta else ""))
    if fmt != POLICY_FORMAT:
        raise RsoupError("%s: not an rsoup policy (metadata format is '%s', expected '%s')"
                         % (path, fmt if fmt is not None else "(none)", POLICY_FORMAT))
    try:
        _CPolicy(tensors, meta)  # rsoup's own checks (rs_policy_from_st)
    except RsoupError as e:
        # from tensors the C calls it "policy"; rsoup act names the file there
        why = str(e)[len("policy: "):] if str(e).startswith("policy: ") else str(e)
        raise RsoupError("%s: %s" % (path, why)) from None
    # what rsoup reads with strtof and no end check must read whole here
    bound = _float_or_none(meta.get("act_bound", "1"))
    if bound is None:
        raise RsoupError("%s: implausible sizes in metadata" % path)
    clip = meta.get("obs_clip")
    if clip is not None and _float_or_none(clip) is None:
        raise RsoupError("%s: bad obs_clip '%s'" % (path, clip))
    bounds = []
    for key in ("log_std_min", "log_std_max"):
        v = _double_or_none(meta[key]) if key in meta else None
        if key in meta and (v is None or not math.isfinite(v)):
            raise RsoupError("%s: bad %s '%s'" % (path, key, meta[key]))
        bounds.append(v)
    algo = meta["algo"]
    # an arch librsoup read: integers joined by ',' (one more may end it)
    layers = range(len([x for x in meta["arch"].split(",") if x]) + 1)
    try:
        return Policy(
            algo, [tensors["pi.%d.weight" % l] for l in layers],
            [tensors["pi.%d.bias" % l] for l in layers], meta["activation"],
            log_std=tensors["pi.log_std"] if algo == "ppo" else None,
            obs_mean=tensors["obs_norm.mean"], obs_var=tensors["obs_norm.var"],
            obs_count=tensors["obs_norm.count"][0], act_bound=bound,
            obs_clip=None if clip is None else _float_or_none(clip), env=meta.get("env", ""),
            log_std_min=bounds[0], log_std_max=bounds[1], metadata=meta, path=path,
            action_head=meta.get("action_head", "clip") if algo == "ppo" else None)
    except RsoupError as e:
        raise RsoupError("%s: %s" % (path, e)) from None


def make_policy(algo, weights, biases, activation="tanh", env="", log_std=None, obs_mean=None,
                obs_var=None, obs_count=None, act_bound=1.0, obs_clip=None, log_std_min=None,
                log_std_max=None, metadata=None, action_head=None):
    """A Policy from weights trained elsewhere. weights[l] is layer l's matrix
    [out, in] (torch.nn.Linear's layout), biases[l] its [out] vector; the last
    layer is linear and outputs act_dim (PPO: the mean) or 2 x act_dim (SAC:
    [mean, raw log-std]). Without obs_mean / obs_var the normaliser is the
    identity (mean 0, var 1, count 1e-4); obs_clip defaults to rsoup's (PPO
    10, SAC 0); PPO's log_std to 0 and its action_head to 'clip' ('tanh':
    actions act_bound * tanh(u)). `env` (an `rsoup envs` name) is what eval,
    soup and view need. metadata adds keys (reward, steps, seed, init, ...);
    numbers become decimal text, dicts and lists JSON."""
    meta = {k: None for k in ("format", "env", "algo", "arch", "activation", "obs_dim",
                              "act_dim", "act_bound", "obs_clip")}
    for k, v in (metadata or {}).items():
        meta[k] = v if isinstance(v, str) else (
            json.dumps(v) if isinstance(v, (dict, list, tuple)) else str(v))
    pol = Policy(algo, weights, biases, activation, log_std=log_std, obs_mean=obs_mean,
                 obs_var=obs_var, obs_count=obs_count, act_bound=act_bound, obs_clip=obs_clip,
                 env=env, log_std_min=log_std_min, log_std_max=log_std_max,
                 action_head=action_head)
    pol.metadata = meta
    pol.metadata = pol.file_metadata()  # the canonical keys first, filled in
    return pol


def save_policy(path, policy=None, **fields):
    """Write an rsoup policy file that `rsoup act`, `eval`, `soup` and `view`
    accept. Give a Policy (from load_policy or make_policy), the module
    Policy.to_torch() made (its current weights are saved), or make_policy's
    arguments as keywords:
        save_policy("p.safetensors", algo="ppo", env="hopper", weights=[...], biases=[...])
    A policy read with load_policy and saved unchanged gives the same bytes."""
    if policy is None:
        policy = make_policy(**fields)
    elif fields:
        raise TypeError("save_policy: give a policy or make_policy's keywords, not both")
    if hasattr(policy, "to_rsoup_policy"):
        policy = policy.to_rsoup_policy()
    if not isinstance(policy, Policy):
        raise TypeError("save_policy: %r is not an rsoup Policy" % (policy,))
    policy.check()
    write_safetensors(os.fspath(path), policy.tensors(), policy.file_metadata())
    return path


def from_sb3(model, env=None, vec_normalize=None, metadata=None):
    """An rsoup Policy from a Stable-Baselines3 PPO/A2C model (or its
    policy) that acts as model.predict(obs, deterministic=True): the actor,
    its log-std and the VecNormalize statistics it trained behind (found
    around the model's env, or given). env: the rsoup env name, read from
    the model's env when it is rsoup's. Save it with save_policy, mix it
    with mix. Needs torch (SB3 brings it)."""
    from . import sb3
    return sb3.policy(model, env=env, vec_normalize=vec_normalize, metadata=metadata)


# ---------------------------------------------------------------------- torch

def _torch_module(pol):
    try:
        import torch
        from torch import nn
    except ImportError as e:
        raise ImportError("Policy.to_torch() needs PyTorch (Debian: apt-get install "
                          "python3-torch): %s" % e) from None

    class RsoupTorchPolicy(nn.Module):
        """An rsoup policy as a torch module. forward(obs) is the deterministic
        action, the normaliser included (float32, within +-act_bound, through
        the policy's action head);
        mean_log_std(obs) gives the Gaussian's (mu, log sigma) for training
        (SAC: before the tanh squash). The normaliser's statistics are buffers
        (obs_mean, obs_var: float64), the actor is `layers` (nn.Linear) and,
        for PPO, the parameter `log_std`. save_policy(path, module) writes the
        current weights back as an rsoup policy."""

        def __init__(self, p):
            super().__init__()
            self.algo, self.env, self.activation = p.algo, p.env, p.activation
            self.obs_dim, self.act_dim = p.obs_dim, p.act_dim
            self.act_bound, self.obs_clip = p.act_bound, p.obs_clip
            self.log_std_min, self.log_std_max = p.log_std_min, p.log_std_max
            self.action_head = p.action_head
            self.rsoup_metadata = dict(p.metadata)
            self.register_buffer("obs_mean", torch.tensor(p.obs_mean, dtype=torch.float64))
            self.register_buffer("obs_var", torch.tensor(p.obs_var, dtype=torch.float64))
            self.register_buffer("obs_count", torch.tensor(p.obs_count, dtype=torch.float64))
            self.layers = nn.ModuleList()
            for w, b in zip(p.weights, p.biases):
                lin = nn.Linear(w.shape[1], w.shape[0])
                with torch.no_grad():
                    lin.weight.copy_(torch.from_numpy(w.copy()))
                    lin.bias.copy_(torch.from_numpy(b.copy()))
                self.layers.append(lin)
            if p.log_std is not None:
                self.log_std = nn.Parameter(torch.from_numpy(p.log_std.copy()))
            else:
                self.log_std = None

        def normalize(self, obs):
            x = torch.as_tensor(obs).to(torch.float32).to(torch.float64)
            y = (x - self.obs_mean) / torch.sqrt(self.obs_var + NORM_EPS)
            if self.obs_clip > 0:
                y = y.clamp(-self.obs_clip, self.obs_clip)
            return y.to(torch.float32)

        def actor(self, obs):
            h = self.normalize(obs)
            for i, lin in enumerate(self.layers):
                h = lin(h)
                if i < len(self.layers) - 1:
                    h = torch.tanh(h) if self.activation == "tanh" else torch.relu(h)
            return h

        def mean_log_std(self, obs):
            out = self.actor(obs)
            A = self.act_dim
            mu = out[..., :A]
            if self.algo == "ppo":
                return mu, self.log_std.expand_as(mu)
            half = 0.5 * (self.log_std_max - self.log_std_min)
            return mu, self.log_std_min + half * (torch.tanh(out[..., A:2 * A]) + 1.0)

        def forward(self, obs):
            mu = self.actor(obs)[..., :self.act_dim]
            squash = self.algo == "sac" or self.action_head == "tanh"
            a = self.act_bound * torch.tanh(mu) if squash else mu
            return a.clamp(-self.act_bound, self.act_bound)

        def to_rsoup_policy(self):
            def arr(t):
                return t.detach().cpu().numpy()
            return Policy(
                self.algo, [arr(lin.weight) for lin in self.layers],
                [arr(lin.bias) for lin in self.layers], self.activation,
                log_std=None if self.log_std is None else arr(self.log_std),
                obs_mean=arr(self.obs_mean), obs_var=arr(self.obs_var),
                obs_count=float(self.obs_count), act_bound=self.act_bound,
                obs_clip=self.obs_clip, env=self.env, log_std_min=self.log_std_min,
                log_std_max=self.log_std_max, metadata=self.rsoup_metadata,
                action_head=self.action_head)

    return RsoupTorchPolicy(pol)


# ------------------------------------------------------------------- the envs

def make_vec(env, num_envs=1, **kw):
    """rsoup.envs.VectorEnv: a gymnasium VectorEnv of num_envs envs stepped by
    librsoup's threads (see there for the arguments)"""
    from . import envs
    return envs.VectorEnv(env, num_envs, **kw)


def make(env, **kw):
    """rsoup.envs.Env: one env as a gymnasium Env (see there)"""
    from . import envs
    return envs.Env(env, **kw)


def tensorboard_export(run_dir, out_dir):
    """A run folder's curves (progress.csv, log.jsonl) as a TensorBoard event
    file in out_dir (made if missing); returns its path. Needs neither
    tensorboard nor protobuf: see rsoup.tensorboard for the tags and steps."""
    from . import tensorboard
    return tensorboard.export(run_dir, out_dir)
