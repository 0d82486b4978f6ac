"""_lib.py — librsoup (include/rsoup.h) through ctypes.

Why ctypes: the API is a few dozen plain C functions on pointers and ints;
ctypes is in the standard library, so the package needs no compiler for the
binding (only CMake for librsoup itself) and the same file works under any
CPython 3 and in the source tree without installing. A call costs about a
microsecond, nothing next to one batched env step (tens of microseconds and
up). Arrays go in as their data pointers: the C code reads and writes numpy's
memory, no copies.

Where the library is looked for, first found wins:
  1. $RSOUP_LIB (a path to librsoup.so)
  2. next to this file (what `pip install .` installs)
  3. build/librsoup.so of the source tree this file sits in (a CMake build)
"""

import ctypes
import os

import numpy as np

API_VERSION = 1  # RSOUP_API_VERSION this binding was written for

_P = ctypes.c_void_p
_I = ctypes.c_int
_S = ctypes.c_char_p
_U64 = ctypes.c_uint64
_D = ctypes.c_double

_SIGNATURES = {
    # name: (restype, argtypes)
    "rsoup_api_version": (_I, []),
    "rsoup_version": (_S, []),
    "rsoup_last_error": (_S, []),
    "rsoup_env_count": (_I, []),
    "rsoup_env_name": (_S, [_I]),
    "rsoup_env_info": (_I, [_S, _P, _P, _P, _P, _P]),
    "rsoup_env_term": (_S, [_S, _I]),
    "rsoup_env_preset": (_S, [_S, _I]),
    "rsoup_reward_weights": (_I, [_S, _S, _P]),
    "rsoup_vec_new": (_P, [_S, _I, _P, _I, _U64, _I]),
    "rsoup_vec_free": (None, [_P]),
    "rsoup_vec_bind": (_I, [_P, _P, _P, _P, _P, _P]),
    "rsoup_vec_seed": (_I, [_P, _U64]),
    "rsoup_vec_reset": (_I, [_P]),
    "rsoup_vec_step": (_I, [_P, _P]),
    "rsoup_vec_resetting": (_I, [_P, _I]),
    "rsoup_vec_episode_step": (_I, [_P, _I]),
    "rsoup_policy_load": (_P, [_S]),
    "rsoup_policy_from_tensors": (_P, [_I, _P, _P, _P, _P, _P, _I, _P, _P]),
    "rsoup_policy_free": (None, [_P]),
    "rsoup_policy_dims": (_I, [_P, _P, _P, _P]),
    "rsoup_policy_env": (_S, [_P]),
    "rsoup_policy_act": (_I, [_P, _P, _I, _P]),
    "rsoup_policy_forward": (_I, [_P, _P, _I, _P]),
    "rsoup_soup_save": (_I, [_P, _I, _P, _S, _P]),
    # files (python/rsoup/_files.py)
    "rsoup_tensors_load": (_P, [_S]),
    "rsoup_tensors_new": (_P, []),
    "rsoup_tensors_free": (None, [_P]),
    "rsoup_tensors_count": (_I, [_P]),
    "rsoup_tensors_at": (_I, [_P, _I, _P, _P, _P, _P, _P, _P]),
    "rsoup_tensors_add": (_I, [_P, _S, _S, _I, _P, _P]),
    "rsoup_tensors_meta_count": (_I, [_P]),
    "rsoup_tensors_meta_at": (_I, [_P, _I, _P, _P]),
    "rsoup_tensors_set_meta": (_I, [_P, _S, _S]),
    "rsoup_tensors_save": (_I, [_P, _S]),
    "rsoup_front_load": (_P, [_S]),
    "rsoup_front_free": (None, [_P]),
    "rsoup_front_info": (_I, [_P, _P, _P, _P, _P, _P, _P]),
    "rsoup_front_column": (_S, [_P, _I]),
    "rsoup_front_obj_name": (_S, [_P, _I]),
    "rsoup_front_obj_spec": (_S, [_P, _I]),
    "rsoup_front_obj_named": (_I, [_P, _I]),
    "rsoup_front_term_name": (_S, [_P, _I]),
    "rsoup_front_meta_count": (_I, [_P]),
    "rsoup_front_meta_at": (_I, [_P, _I, _P, _P]),
    "rsoup_front_kind": (_S, [_P, _I]),
    "rsoup_front_label": (_S, [_P, _I]),
    "rsoup_front_values": (_P, [_P, _S]),
    "rsoup_front_episodes": (_P, [_P]),
    "rsoup_parse_number": (_I, [_S, _P]),
    "rsoup_rng_new": (_P, [_U64, _U64]),
    "rsoup_rng_free": (None, [_P]),
    "rsoup_rng_u64": (_U64, [_P]),
    "rsoup_rng_uniform": (_D, [_P]),
    "rsoup_rng_normals": (_I, [_P, _P, ctypes.c_size_t]),
}


class LibraryMissing(ImportError):
    """librsoup.so was not found (or is not one this binding can use)"""


def _candidates():
    env = os.environ.get("RSOUP_LIB")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    return [os.path.join(here, "librsoup.so"),
            os.path.join(here, os.pardir, os.pardir, "build", "librsoup.so")]


_lib = None
_why = None


def lib():
    """the loaded library (ctypes.CDLL), or LibraryMissing saying where it looked"""
    global _lib, _why
    if _lib is not None:
        return _lib
    if _why is not None:
        raise LibraryMissing(_why)
    tried = []
    for path in _candidates():
        path = os.path.normpath(path)
        if not os.path.exists(path):
            tried.append("%s (absent)" % path)
            continue
        try:
            so = ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
            continue
        missing = [name for name in _SIGNATURES if not hasattr(so, name)]
        if missing:  # a library from before these functions were added
            tried.append("%s (lacks %s: older than this binding; rebuild it)"
                         % (path, ", ".join(missing[:3])))
            continue
        for name, (res, args) in _SIGNATURES.items():
            f = getattr(so, name)
            f.restype, f.argtypes = res, args
        if so.rsoup_api_version() != API_VERSION:
            tried.append("%s (API version %d, this binding needs %d)"
                         % (path, so.rsoup_api_version(), API_VERSION))
            continue
        so.path = path
        _lib = so
        return so
    _why = ("librsoup.so not found: `pip install .` in the rsoup checkout, or build it "
            "(cmake -S . -B build && cmake --build build) and/or set RSOUP_LIB; tried: "
            + "; ".join(tried))
    raise LibraryMissing(_why)


def available():
    try:
        lib()
        return True
    except LibraryMissing:
        return False


def error():
    return lib().rsoup_last_error().decode("utf-8", "replace")


def ptr(a):
    """the data pointer of a C-contiguous array (no copy)"""
    return a.ctypes.data


def cstrings(items):
    """a (char *)[] of str items, and what keeps its memory alive"""
    raw = [s.encode("utf-8") for s in items]
    arr = (ctypes.c_char_p * max(1, len(raw)))(*raw)
    return arr, raw


def f32(a, shape=None):
    """a as a C-contiguous float32 array (a copy only when it is not one)"""
    a = np.ascontiguousarray(a, dtype=np.float32)
    if shape is not None and a.shape != shape:
        a = a.reshape(shape)
    return a
