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
    envs = rsoup.make_vec("hopper", 16, reward="risky", seed=1)    # gymnasium VectorEnv
    env = rsoup.make("hopper", objectives=["risky", "cautious"])   # MO-Gymnasium style

What runs in C (librsoup.so, include/rsoup.h, loaded with ctypes: see
_lib.py): the envs, the policies' forward pass and action head, the soup
mixer. `pip install .` in the checkout builds and installs the library with
the package; in the source tree, build/librsoup.so of a CMake build is used.
Without the library, reading and writing files (policies, fronts, run
folders), sampling noise (Rng) and to_torch() still work; acting, mixing and
the envs raise LibraryMissing (an ImportError): there is no numpy copy of
the forward pass any more.

The formats are described in docs/formats.md; the readers here follow the C
code (agents/rs_safetensors.c, agents/rs_policy.c, common/rs_rng.c,
soup/rs_frontfile.c) and tests/cli_python.sh checks them against the rsoup
binary. Nothing here needs the `safetensors` package; torch is imported only
by Policy.to_torch(), gymnasium only by the envs (rsoup.envs).
"""

import json
import math
import os
import re
import stat

import numpy as np

from . import _lib
from ._lib import LibraryMissing

__all__ = [
    "RsoupError", "Policy", "Rng", "load_policy", "make_policy", "save_policy",
    "read_safetensors", "write_safetensors", "load_front", "load_run",
    "POLICY_FORMAT", "TRAIN_FORMAT", "NORM_EPS", "LibraryMissing", "library_path", "mix",
    "make", "make_vec", "envs",
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
MAX_HEADER = 100000000             # RS_ST_MAX_HEADER
MAX_DIMS = 4                       # RS_ST_MAX_DIMS
READ_MAX = 256 << 20               # RS_READ_MAX: whole-file reads stop here
JSON_INT_MAX = 2 ** 53             # above it a JSON number may not be the integer written


class RsoupError(ValueError):
    """A file that rsoup would refuse, or arguments it cannot turn into one;
    also a file that cannot be read or written (the message names it and
    says why)."""


# -------------------------------------------------------------------- reading
# The rules of rsoup's C readers (common/rs_error.c, rs_safetensors.c,
# soup/rs_frontfile.c), so that a file one refuses the other refuses too.

def _open_input(path, what, allow_pipe):
    """(binary file object, os.stat_result) of path, or RsoupError. The kind
    is checked before the open and the open does not wait for a writer, so a
    FIFO or a device never blocks a reader; a pipe (allow_pipe, for text
    inputs as rsoup's rs_read_file) without a writer reads as empty."""
    def ok(mode):
        return stat.S_ISREG(mode) or (allow_pipe and stat.S_ISFIFO(mode))
    try:
        st = os.stat(path)
        if not ok(st.st_mode):
            raise RsoupError("%s'%s' is not a regular file" % (what, path))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise RsoupError("cannot open %s'%s': %s" % (what, path, e.strerror)) from None
    try:
        st = os.fstat(fd)  # what was opened, should the name have changed since
        if not ok(st.st_mode):
            raise RsoupError("%s'%s' is not a regular file" % (what, path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st
    except BaseException:
        os.close(fd)
        raise


def _read_file(path, allow_pipe=False):
    """the bytes of a file rsoup reads whole: at most READ_MAX of them"""
    f, st = _open_input(path, "", allow_pipe)
    too_big = "'%s' is larger than %d MiB: not a file rsoup reads whole" % (path, READ_MAX >> 20)
    with f:
        if st.st_size > READ_MAX:
            raise RsoupError(too_big)
        try:
            blob = f.read(READ_MAX + 1)  # a pipe or a growing file: bounded all the same
        except OSError as e:
            raise RsoupError("error reading '%s': %s" % (path, e.strerror)) from None
    if len(blob) > READ_MAX:
        raise RsoupError(too_big)
    return blob


def _utf8(raw, where):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RsoupError("%s: not valid UTF-8 (byte %d)" % (where, e.start)) from None


class _JsonRefusal(Exception):
    pass


def _json_object(pairs):
    d = {}
    for k, v in pairs:
        if k in d:  # rsoup's parser keeps the first, Python's the last: neither is right
            raise _JsonRefusal("duplicate key '%s'" % k)
        d[k] = v
    return d


def _json_constant(name):
    raise _JsonRefusal("%s is not JSON" % name)


def _json_int(text):
    # rsoup's parser reads every number as a double; Python refuses to turn
    # over 4300 digits into an int, and a double of them is inf (refused
    # wherever an integer is needed)
    return int(text) if len(text) <= 40 else float(text)


def _parse_json(text, where):
    """text as JSON, as strict as rsoup's parser (no NaN or Infinity, no
    duplicate keys, nesting bounded), or RsoupError naming where"""
    try:
        # strict=False: control characters inside strings pass, as in rsoup's parser
        return json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant,
                          parse_int=_json_int, strict=False)
    except _JsonRefusal as e:
        raise RsoupError("%s: %s" % (where, e)) from None
    except json.JSONDecodeError as e:
        raise RsoupError("%s: not valid JSON (%s)" % (where, e)) from None
    except RecursionError:
        raise RsoupError("%s: JSON nested too deeply" % where) from None


_SPACE = " \t\n\v\f\r"  # C's isspace: what strtod and strtol skip first
_NUM = re.compile(r"""[+-]?(?:
      (?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?
    | 0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?
    | (?i:inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?))""", re.VERBOSE)
_INT = re.compile(r"[ \t\n\v\f\r]*[+-]?[0-9]+")


def _strtod(s):
    """the double s spells as a whole, read as rsoup reads one (C's strtod in
    the C locale: decimal, hex, inf, nan; ASCII digits, no '_'), or None"""
    if not isinstance(s, str):
        return None
    t = s.lstrip(_SPACE)
    if not _NUM.fullmatch(t):
        return None
    body, neg = t.lstrip("+-"), t.startswith("-")
    low = body.lower()
    if low.startswith("nan"):
        return math.nan
    if low.startswith("inf"):
        v = math.inf
    elif low.startswith("0x"):
        try:
            v = float.fromhex(body)
        except OverflowError:  # strtod gives inf
            v = math.inf
    else:
        v = float(body)
    return -v if neg else v


def _strtol(s, pos=0):
    """(the integer at s[pos:] as strtol reads it, the end) or None; values
    beyond 64 bits saturate, as strtol's do"""
    m = _INT.match(s, pos)
    if not m:
        return None
    t = m.group().lstrip(_SPACE)
    digits = t.lstrip("+-").lstrip("0") or "0"
    v = int(digits) if len(digits) <= 19 else 2 ** 63
    v = min(v, 2 ** 63 - 1) if not t.startswith("-") else -min(v, 2 ** 63)
    return v, m.end()


def _whole_int(s):
    """an integer metadata value (rs_policy.c's meta_int) or None"""
    r = _strtol(s) if isinstance(s, str) else None
    return r[0] if r and r[1] == len(s) else None


# ---------------------------------------------------------------- safetensors

_DTYPES = {"F32": "<f4", "F64": "<f8", "I32": "<i4", "I64": "<i8", "U8": "u1"}
_DTYPE_NAMES = {np.dtype(v): k for k, v in _DTYPES.items()}


def _json_uint(x):
    """a non-negative JSON integer as rsoup reads one (an integral number up
    to 2^53, not a bool), or None"""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    if isinstance(x, float) and not (math.isfinite(x) and x.is_integer()):
        return None
    return int(x) if 0 <= x <= JSON_INT_MAX else None


def read_safetensors(path):
    """(tensors, metadata) of a .safetensors file: tensors is a dict name ->
    numpy array (native byte order, in the header's order), metadata a dict of
    strings. Checks what rsoup's reader checks: a regular file, a sane header,
    known dtypes, at most 4 dims, offsets that match the shapes and tile the
    data buffer exactly; the data is read only once the header says it fits."""
    path = os.fspath(path)
    where = "safetensors '%s'" % path
    f, st = _open_input(path, "safetensors file ", allow_pipe=False)
    with f:
        try:
            fsize = st.st_size
            len8 = f.read(8)
            if fsize < 8 or len(len8) != 8:
                raise RsoupError("%s: file is truncated: %d bytes, too short for the 8-byte "
                                 "header length" % (where, fsize))
            hlen = int.from_bytes(len8, "little")
            if hlen > MAX_HEADER:
                raise RsoupError("%s: header length %d is absurd (limit %d): not a safetensors "
                                 "file?" % (where, hlen, MAX_HEADER))
            if hlen > fsize - 8:
                raise RsoupError("%s: header length %d is larger than the %d bytes left in the "
                                 "file (truncated?)" % (where, hlen, fsize - 8))
            raw = f.read(hlen)
            if len(raw) != hlen:
                raise RsoupError("%s: truncated header: unexpected end of file" % where)
            header = _parse_json(_utf8(raw, where + ": header"), where + ": header")
            if not isinstance(header, dict):
                raise RsoupError("%s: header is not a JSON object" % where)
            meta = header.pop("__metadata__", {})
            if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
                raise RsoupError("%s: \"__metadata__\" must map keys to strings" % where)
            spans = [_st_entry(where, name, e) for name, e in header.items()]
            data_len = fsize - 8 - hlen
            pos = 0
            for begin, end, name, _, _ in sorted(spans):
                if begin != pos:
                    raise RsoupError("%s: tensor '%s' %s" % (
                        where, name, "overlaps another" if begin < pos
                        else "leaves a hole before it"))
                pos = end
            if pos != data_len:
                raise RsoupError("%s: the tensors cover %d bytes, the data buffer holds %d"
                                 % (where, pos, data_len))
            data = f.read(data_len)
            if len(data) != data_len:
                raise RsoupError("%s: truncated data: the file ended inside the tensors" % where)
        except OSError as e:
            raise RsoupError("%s: read error: %s" % (where, e.strerror)) from None
    tensors = {}
    for begin, end, name, dt, shape in spans:
        a = np.frombuffer(memoryview(data)[begin:end], dtype=dt).reshape(shape)
        tensors[name] = a.astype(np.dtype(dt).newbyteorder("="))  # a copy, native order
    return tensors, dict(meta)


def _st_entry(where, name, e):
    """(begin, end, name, numpy dtype, shape) of a header entry, checked as
    rs_safetensors.c's parse_entry checks it"""
    bad = RsoupError("%s: tensor '%s': needs a known dtype (F32, F64, I32, I64, U8), a shape "
                     "of at most %d non-negative integers and data_offsets [begin, end]"
                     % (where, name, MAX_DIMS))
    if not isinstance(e, dict) or not isinstance(e.get("dtype"), str) or \
            e["dtype"] not in _DTYPES or not isinstance(e.get("shape"), list) or \
            len(e["shape"]) > MAX_DIMS or not isinstance(e.get("data_offsets"), list) or \
            len(e["data_offsets"]) != 2:
        raise bad
    shape = [_json_uint(x) for x in e["shape"]]
    begin, end = (_json_uint(x) for x in e["data_offsets"])
    if None in shape or begin is None or end is None:
        raise bad
    dt = _DTYPES[e["dtype"]]
    need = np.dtype(dt).itemsize
    for n in shape:
        need *= n
    if need > 2 ** 63 - 1:
        raise RsoupError("%s: tensor '%s': shape %s is too large" % (where, name, shape))
    if end < begin or end - begin != need:
        raise RsoupError("%s: tensor '%s': data_offsets [%d, %d] do not match shape %s of %s"
                         % (where, name, begin, end, shape, e["dtype"]))
    return begin, end, name, dt, shape


def write_safetensors(path, tensors, metadata=None):
    """Write tensors (a dict name -> numpy array, in the order to store them)
    and metadata (a dict of strings) as rsoup does: compact JSON header with
    `__metadata__` first, padded with spaces to a multiple of 8 bytes, data
    little-endian, written to a temporary file and renamed into place."""
    head = {}
    if metadata:
        for k, v in metadata.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise RsoupError("metadata must map strings to strings (%r: %r)" % (k, v))
        head["__metadata__"] = dict(metadata)
    chunks, off = [], 0
    for name, a in tensors.items():
        if not name or name == "__metadata__":
            raise RsoupError("tensor name '%s' is not allowed" % name)
        a = np.asarray(a)
        dt = np.dtype(a.dtype).newbyteorder("<") if a.dtype.itemsize > 1 else a.dtype
        if np.dtype(dt) not in _DTYPE_NAMES:
            raise RsoupError("tensor '%s': dtype %s (rsoup stores F32, F64, I32, I64, U8)"
                             % (name, a.dtype))
        raw = np.ascontiguousarray(a, dtype=dt).tobytes()
        head[name] = {"dtype": _DTYPE_NAMES[np.dtype(dt)], "shape": list(a.shape),
                      "data_offsets": [off, off + len(raw)]}
        chunks.append(raw)
        off += len(raw)
    text = json.dumps(head, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    chunks.insert(0, len(text).to_bytes(8, "little") + text)
    _write_atomic(os.fspath(path), chunks)


# -------------------------------------------------------------------- writing

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _check_output(path):
    """where a file may be saved: a new name or a regular file. A rename over
    a device node, a FIFO or a symlink would replace it (and rsoup never
    writes through a symlink), so those are refused, as a folder is."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise RsoupError("save '%s': %s" % (path, e.strerror)) from None
    if stat.S_ISLNK(st.st_mode):
        raise RsoupError("save '%s': is a symbolic link: rsoup does not write through one (give "
                         "the file it points to, or a new name)" % path)
    if not stat.S_ISREG(st.st_mode):
        kind = next((k for test, k in _KINDS if test(st.st_mode)), "not a regular file")
        raise RsoupError("save '%s': exists and is %s, not a regular file: refusing to replace "
                         "it" % (path, kind))


def _write_atomic(path, chunks):
    """chunks (bytes) to path as rsoup's rs_write_atomic writes a file: to
    PATH.tmp.PID, flushed, fsynced, renamed over PATH, the folder fsynced;
    nothing half-written stays behind. The temporary name is created afresh
    (O_EXCL, O_NOFOLLOW): an entry already there, a leftover of a process
    that had this pid or a symlink planted there, is removed, never written
    through."""
    _check_output(path)
    tmp = "%s.tmp.%d" % (path, os.getpid())
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    what, created = "create", False
    try:
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            if stat.S_ISDIR(os.lstat(tmp).st_mode):
                raise
            os.unlink(tmp)
            fd = os.open(tmp, flags, 0o666)
        created = True
        with os.fdopen(fd, "wb") as f:
            what = "write"
            for c in chunks:
                f.write(c)
            what = "flush"
            f.flush()
            what = "fsync"
            os.fsync(f.fileno())
            what = "close"
        what = "rename"
        _check_output(path)  # again: the name may have changed while we wrote
        os.replace(tmp, path)
    except BaseException as e:
        if created:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(e, OSError):
            why = e.strerror or str(e)
            if what == "create":
                raise RsoupError("save '%s': cannot create temporary file '%s': %s"
                                 % (path, tmp, why)) from None
            raise RsoupError("save '%s': %s of '%s' failed: %s" % (path, what, tmp, why)) from None
        raise
    try:  # make the rename itself durable; a failure here loses nothing written
        dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


# ------------------------------------------------------------------------ RNG

_M64 = (1 << 64) - 1


def _splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & _M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return x, z ^ (z >> 31)


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & _M64


class Rng:
    """rsoup's generator (common/rs_rng.c): xoshiro256** seeded through
    splitmix64 from (seed, stream), normals by Box-Muller with the second one
    cached. Same seed and stream, same numbers as the C code, bit for bit
    (tests/fixtures/rng_streams.txt pins both). `rsoup eval --stochastic
    --seed S` samples episode i's action noise from Rng(S, i + 2**40), one
    normal per action component per step, in order."""

    def __init__(self, seed, stream=0):
        x = int(seed) & _M64
        x, h = _splitmix64(x)
        x = h ^ ((int(stream) * 0xD1B54A32D192ED03 + 0x8CB92BA72F3D8DD7) & _M64)
        s = []
        for _ in range(4):
            x, z = _splitmix64(x)
            s.append(z)
        self.s = s
        self.spare = None

    def u64(self):
        s0, s1, s2, s3 = self.s
        result = (_rotl((s1 * 5) & _M64, 7) * 9) & _M64
        t = (s1 << 17) & _M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def uniform(self):
        """[0, 1), 53 bits"""
        return (self.u64() >> 11) * (2.0 ** -53)

    def normal(self):
        """N(0, 1); Python's math calls the same libm as rsoup, so the bits agree"""
        if self.spare is not None:
            v, self.spare = self.spare, None
            return v
        u1 = self.uniform()
        tries = 0
        while u1 <= 0.0 and tries < 64:
            u1 = self.uniform()
            tries += 1
        if u1 <= 0.0:
            u1 = 2.0 ** -53
        u2 = self.uniform()
        rad = math.sqrt(-2.0 * math.log(u1))
        self.spare = rad * math.sin(2.0 * math.pi * u2)
        return rad * math.cos(2.0 * math.pi * u2)

    def normals(self, shape):
        """an array of normals, drawn in C (row-major) order"""
        n = int(np.prod(shape, dtype=np.int64))
        return np.array([self.normal() for _ in range(n)], dtype=np.float64).reshape(shape)


# --------------------------------------------------------------------- policy

def _parse_arch(text):
    """hidden sizes as rs_arch_parse reads them: integers joined by ','"""
    sizes, pos = [], 0
    while pos < len(text):
        r = _strtol(text, pos)
        if r is None or not 1 <= r[0] <= 65536 or len(sizes) >= MAX_HIDDEN:
            raise RsoupError("bad architecture '%s' (want hidden sizes like '64,64')" % text)
        sizes.append(r[0])
        pos = r[1]
        if pos < len(text):
            if text[pos] != ",":
                raise RsoupError("bad architecture '%s' (want hidden sizes like '64,64')" % text)
            pos += 1
    if not sizes:
        raise RsoupError("empty architecture (want hidden sizes like '64,64')")
    return tuple(sizes)


def _action_head(name, what):
    """PPO's action head named by a file's action_head metadata (None: clip);
    an unknown name is refused with rsoup's one message (rs_policy_st_head)"""
    if name is None:
        return "clip"
    if name not in ACTION_HEADS:
        raise RsoupError("%s: unknown action_head '%s' in its metadata (this rsoup knows clip "
                         "and tanh; a newer rsoup may have written it)" % (what, name[:64]))
    return name


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
    return _strtod(s)


def _float_or_none(s):
    v = _strtod(s)
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
    an rsoup policy, with the reason, as rsoup's loaders do."""
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
    for key in ("obs_dim", "act_dim"):
        if _whole_int(meta.get(key, "")) is None:
            raise RsoupError("%s: metadata '%s' missing or not an integer (is this an rsoup "
                             "policy?)" % (path, key))
    obs_dim, act_dim = _whole_int(meta["obs_dim"]), _whole_int(meta["act_dim"])
    algo = meta.get("algo")
    if algo not in ("ppo", "sac"):
        raise RsoupError("%s: unknown algo '%s'" % (path, algo if algo else "(none)"))
    head = _action_head(meta.get("action_head"), path)
    try:
        hidden = _parse_arch(meta.get("arch", ""))
    except RsoupError:
        raise RsoupError("%s: bad or missing 'arch' metadata" % path) from None
    if meta.get("activation", "").lower() not in ("tanh", "relu"):
        raise RsoupError("%s: bad or missing 'activation' metadata" % path)
    bound = _float_or_none(meta.get("act_bound", "1"))
    if bound is None or not (1 <= obs_dim <= 100000 and 1 <= act_dim <= 1000) or \
            not (bound > 0 and math.isfinite(bound)):
        raise RsoupError("%s: implausible sizes in metadata" % path)

    def get(name, dtype, shape):
        t = tensors.get(name)
        if t is None:
            raise RsoupError("%s: tensor '%s' not found" % (path, name))
        if t.dtype != np.dtype(dtype) or t.shape != tuple(shape):
            raise RsoupError("%s: tensor '%s': %s %s, expected %s %s" % (
                path, name, _DTYPE_NAMES.get(t.dtype.newbyteorder("<"), t.dtype), list(t.shape),
                _DTYPE_NAMES[np.dtype(dtype).newbyteorder("<")], list(shape)))
        return t

    sizes = (obs_dim,) + hidden + (2 * act_dim if algo == "sac" else act_dim,)
    layers = range(len(sizes) - 1)
    W = [get("pi.%d.weight" % l, np.float32, (sizes[l + 1], sizes[l])) for l in layers]
    b = [get("pi.%d.bias" % l, np.float32, (sizes[l + 1],)) for l in layers]
    clip = meta.get("obs_clip")
    if clip is not None and _float_or_none(clip) is None:
        raise RsoupError("%s: bad obs_clip '%s'" % (path, clip))
    bounds = []
    for key in ("log_std_min", "log_std_max"):
        v = _double_or_none(meta[key]) if key in meta else None
        if key in meta and (v is None or not math.isfinite(v)):
            raise RsoupError("%s: bad %s '%s'" % (path, key, meta[key]))
        bounds.append(v)
    try:
        pol = Policy(
            algo, W, b, meta["activation"],
            log_std=get("pi.log_std", np.float32, (act_dim,)) if algo == "ppo" else None,
            obs_mean=get("obs_norm.mean", np.float64, (obs_dim,)),
            obs_var=get("obs_norm.var", np.float64, (obs_dim,)),
            obs_count=get("obs_norm.count", np.float64, (1,))[0],
            act_bound=bound, obs_clip=None if clip is None else float(clip),
            env=meta.get("env", ""),
            log_std_min=bounds[0], log_std_max=bounds[1],
            metadata=meta, path=path, action_head=head if algo == "ppo" else None)
        if _lib.available():
            pol._c()  # what rsoup's own loader refuses is refused here too
    except RsoupError as e:
        raise RsoupError("%s: %s" % (path, e)) from None
    return pol


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


# ---------------------------------------------------------------------- fronts

_FRONT_KINDS = ("soup", "expert", "baseline", "init", "point")


def _text_lines(blob):
    """[(line, has_newline)] of a text file's bytes, cut as rs_frontfile.c's
    split_lines cuts them: at '\n', with one '\r' before it dropped; a last
    line without '\n' (cut while it was written) only when it holds bytes"""
    parts = blob.split(b"\n")
    out = [(p[:-1] if p.endswith(b"\r") else p, True) for p in parts[:-1]]
    if parts[-1]:
        p = parts[-1]
        out.append((p[:-1] if p.endswith(b"\r") else p, False))
    return out


def _blank_or_comment(s):
    s = s.lstrip(" \t")
    return not s or s.startswith("#")


def _fields(s):
    return [f.strip(" \t") for f in s.split(",")]


def _front_header(path, lineno, cols):
    """what each column of a front's header holds, [(type, key)]: ('kind' |
    'label' | 'episodes' | 'length', None), ('lambda', index), ('obj' |
    'std' | 'term' | 'termstd', name); refusing what rs_frontfile.c's
    parse_front_header refuses"""
    def bad(msg):
        return RsoupError("'%s': line %d: %s" % (path, lineno, msg))
    types = [None] * len(cols)
    fixed = {"kind": 0, "label": 0, "episodes": 0, "length": 0}
    lam, names = set(), {"obj": [], "term": []}
    for c, s in enumerate(cols):
        if s in fixed:
            fixed[s] += 1
            types[c] = (s, None)
        elif s.startswith("lambda:"):
            rest = s[7:]
            r = _strtol(rest)
            if r is None or r[1] != len(rest) or not 0 <= r[0] < len(cols):
                raise bad("bad column '%s' (expected lambda:<index>)" % s)
            if r[0] in lam:
                raise bad("column '%s' appears twice" % s)
            lam.add(r[0])
            types[c] = ("lambda", r[0])
        elif s.startswith("obj:") or s.startswith("term:"):
            key, _, rest = s.partition(":")
            if not rest:
                raise bad("column '%s' has no name" % s)
            if rest in names[key]:
                raise bad("column '%s' appears twice" % s)
            if "\r" in rest:  # a name rsoup writes back must stay on its line
                raise bad("column '%s': the name holds a line break" % s)
            names[key].append(rest)
            types[c] = (key, rest)
    for k in range(len(lam)):
        if k not in lam:
            raise bad("column lambda:%d is missing (there are %d lambda columns)" % (k, len(lam)))
    for name, n in fixed.items():
        if n != 1:
            raise bad("column '%s' %s" % (name, "appears twice" if n else "is missing"))
    stds = set()
    for c, s in enumerate(cols):
        if types[c] is not None:
            continue
        if not (s.startswith("std:") or s.startswith("termstd:")):
            raise bad("unknown column '%s' (a front has kind, label, lambda:<i>, episodes, "
                      "obj:<name>, std:<name>, term:<t>, termstd:<t>, length)" % s)
        key, _, rest = s.partition(":")
        base = "obj" if key == "std" else "term"
        if rest not in names[base]:
            raise bad("column '%s' has no matching '%s:%s'" % (s, base, rest))
        if (key, rest) in stds:
            raise bad("column '%s' appears twice" % s)
        stds.add((key, rest))
        types[c] = (key, rest)
    for base, key in (("obj", "std"), ("term", "termstd")):
        for name in names[base]:
            if (key, name) not in stds:
                raise bad("column '%s:%s' has no '%s:%s'" % (base, name, key, name))
    return types


def load_front(path):
    """A front CSV (`rsoup front`, front.csv) as plain Python:
      meta      the '# key: value' provenance lines above the header (dict)
      columns   the header's column names, in order
      kind, label                       lists of str, one per row
      lambda    float array [rows, experts] (NaN for whole policies)
      episodes, length                  float arrays [rows]
      obj, std, term, termstd           dicts name -> float array [rows]
      rows      the number of rows;  truncated: True when a partial last row
                (an interrupted run) was dropped, as rsoup does
    A CSV without a 'kind' column is a plain table of objectives: then only
    meta, columns, obj, rows, truncated (and plain=True) are set.
    What `rsoup pareto` refuses (unknown or repeated columns, a number that
    strtod would not read whole, NUL bytes, a file over 256 MiB, a device)
    raises RsoupError naming the file; like rsoup's, path may be a pipe."""
    path = os.fspath(path)
    blob = _read_file(path, allow_pipe=True)
    if b"\0" in blob:
        raise RsoupError("'%s': contains NUL bytes: not a CSV file" % path)
    if blob.startswith(b"\xef\xbb\xbf"):  # a byte-order mark (spreadsheets write one)
        blob = blob[3:]
    # labels are bytes to rsoup: what is not UTF-8 is shown as U+FFFD
    lines = [(s.decode("utf-8", errors="replace"), nl) for s, nl in _text_lines(blob)]
    h = next((i for i, (s, _) in enumerate(lines) if not _blank_or_comment(s)), None)
    if h is None:
        raise RsoupError("'%s': empty file (no header line)" % path)
    meta = {}
    for s, _ in lines[:h]:
        t = s.lstrip(" \t")
        if not t.startswith("#"):
            continue
        t = t[1:].lstrip(" ")
        k, sep, v = t.partition(": ")
        if sep and k and all(c == "_" or "a" <= c <= "z" for c in k):
            meta[k[:63]] = v
    cols = _fields(lines[h][0])
    nf = len(cols)
    plain = "kind" not in cols
    first = h + 1
    types = None
    if plain:
        if all(_strtod(c) is not None for c in cols):
            cols, first = ["f%d" % (j + 1) for j in range(nf)], h  # no header
        for j, c in enumerate(cols):
            if not c:
                raise RsoupError("'%s': line %d: column %d has an empty name"
                                 % (path, h + 1, j + 1))
            if c in cols[:j] or "\r" in c:
                raise RsoupError("'%s': line %d: objective name '%s' %s" % (
                    path, h + 1, c, "holds a line break" if "\r" in c else "appears twice"))
    else:
        if not lines[h][1]:
            raise RsoupError("'%s': the header line is incomplete (the file was cut while it was "
                             "written?)" % path)
        types = _front_header(path, h + 1, cols)
    last = len(lines) - 1
    while last >= first and _blank_or_comment(lines[last][0]):
        last -= 1
    rows, truncated = [], False
    for i in range(first, last + 1):
        s, nl = lines[i]
        if _blank_or_comment(s):
            continue
        if not plain and not nl:  # a front row without its '\n' was cut mid-write
            truncated = True
            break
        f = _fields(s)
        if len(f) != nf:
            if i == last:
                truncated = True
                break
            raise RsoupError("'%s': line %d has %d fields, the header has %d"
                             % (path, i + 1, len(f), nf))
        vals = []
        for j, x in enumerate(f):
            t = types[j][0] if types else "obj"
            if t == "kind" and x not in _FRONT_KINDS:
                raise RsoupError("'%s': line %d: unknown kind '%s' (valid: %s)"
                                 % (path, i + 1, x, ", ".join(_FRONT_KINDS)))
            if t in ("kind", "label"):
                vals.append(x)
                continue
            v = _strtod(x)
            if v is None:
                if plain and not nl:
                    break
                raise RsoupError("'%s': line %d: column '%s': '%s' is not a number"
                                 % (path, i + 1, cols[j], x))
            if t == "episodes" and not (0 <= v <= 2147483647 and v.is_integer()):
                raise RsoupError("'%s': line %d: column 'episodes': '%s' is not a count"
                                 % (path, i + 1, x))
            vals.append(v)
        if len(vals) < nf:  # a plain row cut mid-number
            truncated = True
            break
        rows.append(vals)
    out = {"meta": meta, "columns": cols, "rows": len(rows), "truncated": truncated,
           "plain": plain}

    def column(j):
        return np.array([r[j] for r in rows], dtype=np.float64)

    if plain:
        out["obj"] = {c: column(j) for j, c in enumerate(cols)}
        return out
    for key in ("obj", "std", "term", "termstd"):
        out[key] = {}
    lam = {}
    for j, (t, key) in enumerate(types):
        if t in ("kind", "label"):
            out[t] = [r[j] for r in rows]
        elif t in ("episodes", "length"):
            out[t] = column(j)
        elif t == "lambda":
            lam[key] = column(j)
        else:
            out[t][key] = column(j)
    out["lambda"] = (np.stack([lam[k] for k in sorted(lam)], axis=1) if lam
                     else np.zeros((len(rows), 0)))
    return out


# ------------------------------------------------------------------ run folders

def load_run(path):
    """A training run folder (`rsoup train --out DIR`) as plain Python:
      config      config.json (every hyperparameter the run used), a dict
      provenance  provenance.json (version, commit, CPU, BLAS, threads, date), or None
      log         log.jsonl: one dict per iteration (a partial last line is dropped);
                  PPO counts iterations as "update", SAC as "iter"; a line with an
                  evaluation (--eval-every) has an "eval" dict
      progress    progress.csv: dict column -> float array (and 'columns': the order);
                  the first column is "iter" (also for a file an older rsoup began
                  with "update"), eval_return / eval_length are NaN on rows without
                  an evaluation; a partial last row is dropped
      policy, train   the paths of policy.safetensors / train.safetensors, or None
    The files must be regular files of at most 256 MiB, the JSON as strict as
    rsoup's parser; anything else raises RsoupError naming the file."""
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise RsoupError("'%s' is not a run folder" % path)

    def p(name):
        f = os.path.join(path, name)
        return f if os.path.lexists(f) else None

    def read_json(name):
        f = p(name)
        if f is None:
            return None
        where = "'%s'" % f
        obj = _parse_json(_utf8(_read_file(f), where), where)
        if not isinstance(obj, dict):
            raise RsoupError("%s: not a JSON object" % where)
        return obj

    config = read_json("config.json")
    if config is None:
        raise RsoupError("'%s' has no config.json: not a run folder" % path)
    log = []
    f = p("log.jsonl")
    if f:
        for k, (raw, nl) in enumerate(_text_lines(_read_file(f))):
            if not raw.strip():
                continue
            where = "'%s': line %d" % (f, k + 1)
            try:
                o = _parse_json(_utf8(raw, where), where)
            except RsoupError:
                if not nl:  # cut mid-write (no '\n' yet)
                    break
                raise
            if not isinstance(o, dict):
                raise RsoupError("%s: not a JSON object" % where)
            log.append(o)
    progress = None
    f = p("progress.csv")
    if f:
        blob = _read_file(f)
        if b"\0" in blob:
            raise RsoupError("'%s': contains NUL bytes: not a CSV file" % f)
        cols, rows = None, []
        for k, (raw, nl) in enumerate(_text_lines(blob)):
            if not nl:  # rsoup writes whole lines: one without '\n' was cut mid-write
                break
            where = "'%s': line %d" % (f, k + 1)
            s = _utf8(raw, where)
            if _blank_or_comment(s):
                continue
            fields = _fields(s)
            if cols is None:
                for j, c in enumerate(fields):
                    if not c or c in fields[:j]:
                        raise RsoupError("%s: column %d %s" % (where, j + 1, "'%s' appears twice"
                                                                % c if c else "has no name"))
                cols = fields
                continue
            if len(fields) != len(cols):
                raise RsoupError("%s has %d fields, the header has %d"
                                 % (where, len(fields), len(cols)))
            vals = [math.nan if x == "" else _strtod(x) for x in fields]  # empty: no value
            if None in vals:
                j = vals.index(None)
                raise RsoupError("%s: column '%s': '%s' is not a number"
                                 % (where, cols[j], fields[j]))
            rows.append(vals)
        if cols is not None:
            progress = {"columns": cols}
            for j, c in enumerate(cols):
                progress[c] = np.array([r[j] for r in rows], dtype=np.float64)
            if "update" in progress and "iter" not in progress:
                progress["iter"] = progress["update"]  # PPO's first column before "iter"

    def exists(name):
        f = os.path.join(path, name)
        return f if os.path.exists(f) else None

    return {"path": path, "config": config, "provenance": read_json("provenance.json"),
            "log": log, "progress": progress, "policy": exists("policy.safetensors"),
            "train": exists("train.safetensors")}


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
