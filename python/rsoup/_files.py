"""_files.py — rsoup's files through librsoup: safetensors read and written,
front CSVs, run folders, the generator.

The formats have one implementation, the C one (include/rsoup.h's files
section: rs_safetensors.c, rs_frontfile.c, rs_io.c's atomic write, rs_rng.c);
this module only turns its objects into numpy arrays and dicts, so a file
the rsoup program refuses is refused here with its message. Run folders are
the exception (load_run): no C reader of them exists, so they are read with
Python's json made as strict as rsoup's parser, their numbers through the C
number rule.
"""

import ctypes
import json
import os
import stat

import numpy as np

from . import RsoupError, _lib

READ_MAX = 256 << 20  # RS_READ_MAX: a run's files are read whole up to this size

_NP = {"F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64, "U8": np.uint8}
_NAMES = {np.dtype(v).newbyteorder("<") if np.dtype(v).itemsize > 1 else np.dtype(v): k
          for k, v in _NP.items()}


def _cstr(s, what):
    """s as a C string: UTF-8 without NUL (a C string cannot hold one)"""
    if not isinstance(s, str):
        raise RsoupError("%s must be a string, not %r" % (what, s))
    if "\0" in s:
        raise RsoupError("%s %r holds a NUL character" % (what, s))
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError as e:
        raise RsoupError("%s %r is not valid UTF-8 (%s)" % (what, s, e.reason)) from None


def _path(path):
    raw = os.fsencode(os.fspath(path))
    if b"\0" in raw:
        raise RsoupError("path %r holds a NUL character" % (path,))
    return raw


def _text(b):
    """a C string's bytes as str; what is not UTF-8 shows as U+FFFD"""
    return b.decode("utf-8", "replace")


def _fail():
    raise RsoupError(_lib.error())


class _Handle:
    """an owned librsoup object, freed with its free function when the last
    array that points into it goes"""

    def __init__(self, h, free):
        self.h, self._free = h, free
        if not h:
            _fail()

    def __del__(self):
        if self.h:
            self._free(self.h)
            self.h = None


def _view(owner, addr, nbytes, dtype, shape):
    """numpy's view of nbytes at addr (memory owner keeps), no copy"""
    if nbytes == 0:
        return np.zeros(shape, dtype=dtype)
    buf = (ctypes.c_char * nbytes).from_address(addr)
    buf._owner = owner  # the array's base is buf, buf keeps the C object alive
    return np.frombuffer(buf, dtype=dtype).reshape(shape)


# ---------------------------------------------------------------- safetensors

def read_safetensors(path):
    """(tensors, metadata) of a .safetensors file, read by librsoup's reader
    (rsoup_tensors_load: what rsoup refuses is refused, with its message):
    tensors is a dict name -> numpy array in the header's order, metadata a
    dict of strings. The arrays are views of the C object's memory (native
    byte order, writable; no copy), which lives as long as any of them."""
    so = _lib.lib()
    owner = _Handle(so.rsoup_tensors_load(_path(path)), so.rsoup_tensors_free)
    name, dt = ctypes.c_char_p(), ctypes.c_char_p()
    nd, data, nbytes = ctypes.c_int(), ctypes.c_void_p(), ctypes.c_size_t()
    shape = (ctypes.c_int64 * 4)()
    tensors = {}
    for i in range(so.rsoup_tensors_count(owner.h)):
        if so.rsoup_tensors_at(owner.h, i, ctypes.byref(name), ctypes.byref(dt), ctypes.byref(nd),
                               shape, ctypes.byref(data), ctypes.byref(nbytes)) != 0:
            _fail()
        tensors[_text(name.value)] = _view(owner, data.value, nbytes.value,
                                           _NP[dt.value.decode()], tuple(shape[:nd.value]))
    return tensors, _meta(so, owner.h, so.rsoup_tensors_meta_count, so.rsoup_tensors_meta_at)


def _meta(so, h, count, at):
    k, v = ctypes.c_char_p(), ctypes.c_char_p()
    meta = {}
    for i in range(count(h)):
        if at(h, i, ctypes.byref(k), ctypes.byref(v)) != 0:
            _fail()
        meta[_text(k.value)] = _text(v.value)
    return meta


def write_safetensors(path, tensors, metadata=None):
    """Write tensors (a dict name -> numpy array, in the order to store them)
    and metadata (a dict of strings) with librsoup's writer: the bytes rsoup
    writes (compact header, `__metadata__` first, padded to 8 bytes, data
    little-endian), to a temporary file renamed into place; the output must
    be a new name or a regular file (never a link, folder, FIFO or device).
    Each array is copied once, into the C object that is written."""
    so = _lib.lib()
    keep = _Handle(so.rsoup_tensors_new(), so.rsoup_tensors_free)
    for k, v in (metadata or {}).items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise RsoupError("metadata must map strings to strings (%r: %r)" % (k, v))
        if so.rsoup_tensors_set_meta(keep.h, _cstr(k, "metadata key"),
                                     _cstr(v, "metadata value")) != 0:
            _fail()
    for name, a in tensors.items():
        a = np.asarray(a)
        dt = a.dtype.newbyteorder("<") if a.dtype.itemsize > 1 else a.dtype
        if dt not in _NAMES:
            raise RsoupError("tensor '%s': dtype %s (rsoup stores F32, F64, I32, I64, U8)"
                             % (name, a.dtype))
        a = a.astype(a.dtype.newbyteorder("="), order="C", copy=False)  # C takes host order
        shape = (ctypes.c_int64 * max(1, a.ndim))(*a.shape)
        if so.rsoup_tensors_add(keep.h, _cstr(name, "tensor name"), _NAMES[dt].encode(), a.ndim,
                                shape, _lib.ptr(a)) != 0:
            _fail()
    if so.rsoup_tensors_save(keep.h, _path(path)) != 0:
        _fail()


# ---------------------------------------------------------------------- fronts

def load_front(path):
    """A front CSV (`rsoup front`, front.csv) read by librsoup's loader
    (rs_front_load, what `rsoup pareto` reads) as plain Python:
      meta      the '# key: value' provenance lines above the header (dict)
      columns   the header's column names, in order
      kind, label                       lists of str, one per row
      lambda    float array [rows, experts] (NaN for whole policies)
      episodes, length                  float arrays [rows]
      obj, std, term, termstd           dicts name -> float array [rows]
      rewards   dict objective name -> its reward spec, in column order (a
                front made with `--names` records them; an older front's
                names are their specs, ',' written ';'); named: True when
                the file names its rewards
      rows      the number of rows;  truncated: True when a partial last row
                (an interrupted run) was dropped, as rsoup does
    A CSV without a 'kind' column is a plain table of objectives: then only
    meta, columns, obj, rows, truncated (and plain=True) are set.
    What `rsoup pareto` refuses (unknown or repeated columns, a number that
    strtod would not read whole, NUL bytes, a file over 256 MiB, a device)
    raises RsoupError naming the file; like rsoup's, path may be a pipe.
    The columns are copies (a front is small; C holds it row by row)."""
    so = _lib.lib()
    f = _Handle(so.rsoup_front_load(_path(path)), so.rsoup_front_free)
    n, ne, no, nt, plain, trunc = (ctypes.c_int() for _ in range(6))
    so.rsoup_front_info(f.h, *(ctypes.byref(x) for x in (n, ne, no, nt, plain, trunc)))
    rows = n.value

    def names(fn, count):
        return [_text(fn(f.h, k)) for k in range(count)]

    def matrix(what, width):
        p = so.rsoup_front_values(f.h, what.encode())
        if not p or rows * width == 0:
            return np.zeros((rows, width))
        return np.ctypeslib.as_array(ctypes.cast(p, ctypes.POINTER(ctypes.c_double)),
                                     (rows, width)).copy()

    cols = []
    while so.rsoup_front_column(f.h, len(cols)) is not None:
        cols.append(_text(so.rsoup_front_column(f.h, len(cols))))
    out = {"meta": _meta(so, f.h, so.rsoup_front_meta_count, so.rsoup_front_meta_at),
           "columns": cols, "rows": rows, "truncated": bool(trunc.value),
           "plain": bool(plain.value)}
    obj_names = names(so.rsoup_front_obj_name, no.value)
    obj = matrix("obj", no.value)
    out["obj"] = {k: obj[:, j].copy() for j, k in enumerate(obj_names)}
    if plain.value:
        return out
    out["rewards"] = {k: _text(so.rsoup_front_obj_spec(f.h, j)) for j, k in enumerate(obj_names)}
    out["named"] = any(so.rsoup_front_obj_named(f.h, j) for j in range(no.value))
    term_names = names(so.rsoup_front_term_name, nt.value)
    std, term, termstd = (matrix(w, m) for w, m in
                          (("std", no.value), ("term", nt.value), ("termstd", nt.value)))
    out["std"] = {k: std[:, j].copy() for j, k in enumerate(obj_names)}
    out["term"] = {k: term[:, j].copy() for j, k in enumerate(term_names)}
    out["termstd"] = {k: termstd[:, j].copy() for j, k in enumerate(term_names)}
    ep = so.rsoup_front_episodes(f.h)
    fixed = {"kind": [so.rsoup_front_kind(f.h, i).decode() for i in range(rows)],
             "label": [_text(so.rsoup_front_label(f.h, i)) for i in range(rows)],
             "episodes": (np.ctypeslib.as_array(ctypes.cast(ep, ctypes.POINTER(ctypes.c_int)),
                                                (rows,)).astype(np.float64)
                          if rows else np.zeros(0)),
             "length": matrix("length", 1)[:, 0].copy()}
    for k in sorted(fixed, key=cols.index):  # in the file's order, as ever
        out[k] = fixed[k]
    out["lambda"] = matrix("lambda", ne.value)
    return out


def number(s):
    """the double s spells as a whole, as rsoup's CSV readers read one (C's
    strtod in the C locale: decimal, hex, inf, nan), or None"""
    if not isinstance(s, str) or "\0" in s:
        return None
    v = ctypes.c_double()
    try:
        raw = s.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return v.value if _lib.lib().rsoup_parse_number(raw, ctypes.byref(v)) == 0 else None


# ------------------------------------------------------------------ run folders
# Written by the trainer (lab/rs_trainrun.c) and read back by no C reader
# (a resume trims the logs as text), so read here: the rules are rsoup's
# for any input (a regular file, at most READ_MAX bytes, never waited on;
# JSON without NaN, Infinity or duplicate keys; numbers as strtod reads them).

def _read_file(path):
    """the bytes of a regular file of at most READ_MAX bytes, or RsoupError;
    O_NONBLOCK: a FIFO never holds the open"""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise RsoupError("cannot open '%s': %s" % (path, e.strerror)) from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RsoupError("'%s' is not a regular file" % path)
        too_big = "'%s' is larger than %d MiB: not a file rsoup reads whole" % (path,
                                                                                READ_MAX >> 20)
        if st.st_size > READ_MAX:
            raise RsoupError(too_big)
        os.set_blocking(fd, True)
        try:
            blob = f.read(READ_MAX + 1)  # a growing file: bounded all the same
        except OSError as e:
            raise RsoupError("error reading '%s': %s" % (path, e.strerror)) from None
    if len(blob) > READ_MAX:
        raise RsoupError(too_big)
    return blob


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


def _json(raw, where):
    """raw (bytes) as strict JSON, or RsoupError naming where"""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RsoupError("%s: not valid UTF-8 (byte %d)" % (where, e.start)) from None
    try:
        # strict=False: control characters inside strings pass, as in cJSON;
        # a number of over 40 digits is the double cJSON reads (Python would
        # refuse an int of over 4300)
        return json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant,
                          parse_int=lambda t: int(t) if len(t) <= 40 else float(t),
                          strict=False)
    except _JsonRefusal as e:
        raise RsoupError("%s: %s" % (where, e)) from None
    except json.JSONDecodeError as e:
        raise RsoupError("%s: not valid JSON (%s)" % (where, e)) from None
    except RecursionError:
        raise RsoupError("%s: JSON nested too deeply" % where) from None


def _lines(blob):
    """[(line, has_newline)]: cut at '\\n', one '\\r' before it dropped; a last
    line without '\\n' (cut while it was written) only when it holds bytes"""
    parts = blob.split(b"\n")
    out = [(p[:-1] if p.endswith(b"\r") else p, True) for p in parts[:-1]]
    if parts[-1]:
        out.append((parts[-1][:-1] if parts[-1].endswith(b"\r") else parts[-1], False))
    return out


def _progress(f):
    """progress.csv: dict column -> float array, 'columns' the order"""
    blob = _read_file(f)
    if b"\0" in blob:
        raise RsoupError("'%s': contains NUL bytes: not a CSV file" % f)
    cols, rows = None, []
    for k, (raw, nl) in enumerate(_lines(blob)):
        if not nl:  # rsoup writes whole lines: one without '\n' was cut mid-write
            break
        where = "'%s': line %d" % (f, k + 1)
        try:
            s = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise RsoupError("%s: not valid UTF-8 (byte %d)" % (where, e.start)) from None
        if not s.strip(" \t") or s.lstrip(" \t").startswith("#"):
            continue
        fields = [x.strip(" \t") for x in s.split(",")]
        if cols is None:
            for j, c in enumerate(fields):
                if not c or c in fields[:j]:
                    raise RsoupError("%s: column %d %s" % (
                        where, j + 1, "'%s' appears twice" % c if c else "has no name"))
            cols = fields
            continue
        if len(fields) != len(cols):
            raise RsoupError("%s has %d fields, the header has %d" % (where, len(fields),
                                                                       len(cols)))
        vals = [np.nan if x == "" else number(x) for x in fields]  # empty: no value
        if None in vals:
            j = vals.index(None)
            raise RsoupError("%s: column '%s': '%s' is not a number" % (where, cols[j],
                                                                         fields[j]))
        rows.append(vals)
    if cols is None:
        return None
    table = np.array(rows, dtype=np.float64).reshape(len(rows), len(cols))
    progress = {"columns": cols}
    for j, c in enumerate(cols):
        progress[c] = table[:, j].copy()
    if "update" in progress and "iter" not in progress:
        progress["iter"] = progress["update"]  # PPO's first column before "iter"
    return progress


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
        obj = _json(_read_file(f), "'%s'" % f)
        if not isinstance(obj, dict):
            raise RsoupError("'%s': not a JSON object" % f)
        return obj

    config = read_json("config.json")
    if config is None:
        raise RsoupError("'%s' has no config.json: not a run folder" % path)
    log = []
    f = p("log.jsonl")
    if f:
        for k, (raw, nl) in enumerate(_lines(_read_file(f))):
            if not raw.strip():
                continue
            where = "'%s': line %d" % (f, k + 1)
            try:
                o = _json(raw, where)
            except RsoupError:
                if not nl:  # cut mid-write (no '\n' yet)
                    break
                raise
            if not isinstance(o, dict):
                raise RsoupError("%s: not a JSON object" % where)
            log.append(o)
    f = p("progress.csv")

    def exists(name):
        f = os.path.join(path, name)
        return f if os.path.exists(f) else None

    return {"path": path, "config": config, "provenance": read_json("provenance.json"),
            "log": log, "progress": _progress(f) if f else None,
            "policy": exists("policy.safetensors"), "train": exists("train.safetensors")}


# ------------------------------------------------------------------------ RNG

class Rng:
    """rsoup's generator (common/rs_rng.c, through librsoup): xoshiro256**
    seeded through splitmix64 from (seed, stream), normals by Box-Muller with
    the second one cached. Same seed and stream, same numbers as the rsoup
    program, bit for bit (it is the same code; tests/fixtures/rng_streams.txt
    pins it). `rsoup eval --stochastic --seed S` samples episode i's action
    noise from Rng(S, i + 2**40), one normal per action component per step,
    in order."""

    def __init__(self, seed, stream=0):
        so = _lib.lib()
        self._so = so
        self._g = _Handle(so.rsoup_rng_new(int(seed) & (2 ** 64 - 1),
                                           int(stream) & (2 ** 64 - 1)), so.rsoup_rng_free)

    def u64(self):
        return self._so.rsoup_rng_u64(self._g.h)

    def uniform(self):
        """[0, 1), 53 bits"""
        return self._so.rsoup_rng_uniform(self._g.h)

    def normal(self):
        """N(0, 1)"""
        return float(self.normals(1)[0])

    def normals(self, shape):
        """an array of normals (float64), drawn in C (row-major) order"""
        out = np.empty(shape, dtype=np.float64)
        if self._so.rsoup_rng_normals(self._g.h, _lib.ptr(out), out.size) != 0:
            _fail()
        return out
