"""rsoup.tensorboard — a run folder's curves as a TensorBoard event file.

    import rsoup
    path = rsoup.tensorboard_export("runs/risky", "tb/risky")
    # tensorboard --logdir tb        (or: python -m rsoup.tensorboard RUN OUT)

What is written: one event per iteration of the run (progress.csv's rows and
log.jsonl's lines, matched by their iteration number), at step = the run's
env steps (`step`), wall time = the run's start (provenance.json's `date`)
plus `time_s`. Each number of the iteration is one scalar, tagged by group
as TensorBoard's UI folds them:

    rollout/  ep_return, ep_length, episodes, last_return
    terms/    each reward term's mean episode return (progress.csv's term
              columns, log.jsonl's ep_terms)
    eval/     return, length (and from log.jsonl: return_std, episodes, seed,
              terms/<term>)
    time/     iter, time_s, steps_per_s and every other clock reading (*_s)
    train/    everything else: lr, pg_loss, v_loss, ..., SAC's q_loss, alpha

Where both files give a number of one name for one iteration, progress.csv's
is written (it is what rsoup's own plots read); log.jsonl adds the iterations
that progress.csv skips (no episode finished yet) and the keys it has no
column for. Empty CSV fields and JSON nulls write nothing. Scalars are
float32, as TensorBoard stores them.

Why our own writer: an event file is TFRecord framing (length, CRC-32C,
payload, CRC-32C) around a few protobuf fields (Event: wall_time, step,
file_version, summary; Summary.Value: tag, simple_value); the ~80 lines
below write them, so exporting needs neither tensorboard, tensorflow nor
protobuf (the package stays numpy-only). tests/py_tensorboard.py reads the
files back with TensorBoard's own reader, so the two are checked against
each other, not against this code.

The file is events.out.tfevents.<start>.rsoup (start: the run's start in
Unix seconds, 0 without provenance), written atomically: exporting a run
again replaces it, and the same run gives the same bytes.
"""

import calendar
import math
import os
import stat
import struct
import sys
import time

from . import RsoupError, load_run

__all__ = ["export", "write_events", "crc32c"]

FILE_VERSION = b"brain.Event:2"

# ---------------------------------------------------------------- the format

_CRC_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1  # Castagnoli, reflected
    _CRC_TABLE.append(_c)


def crc32c(data):
    """CRC-32C (Castagnoli) of bytes, as TFRecord frames use it"""
    c = 0xFFFFFFFF
    t = _CRC_TABLE
    for b in data:
        c = t[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def _masked_crc(data):
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def _record(payload):
    """one TFRecord: u64 length, masked CRC of the length, payload, masked CRC"""
    n = struct.pack("<Q", len(payload))
    return n + struct.pack("<I", _masked_crc(n)) + payload + struct.pack("<I", _masked_crc(payload))


def _varint(v):
    out = bytearray()
    v &= (1 << 64) - 1  # int64 fields: a negative value is its two's complement
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field_bytes(num, data):
    return _varint(num << 3 | 2) + _varint(len(data)) + data


def _event(wall_time, step, file_version=None, scalars=()):
    """an Event message: wall_time (1, double), step (2, int64), file_version
    (3, string) or summary (5) with one Value per (tag (1), simple_value (2,
    float)) pair"""
    out = _varint(1 << 3 | 1) + struct.pack("<d", wall_time)
    if step:
        out += _varint(2 << 3 | 0) + _varint(step)
    if file_version is not None:
        out += _field_bytes(3, file_version)
    if scalars:
        summary = b"".join(_field_bytes(1, _field_bytes(1, tag.encode("utf-8")) +
                                        _varint(2 << 3 | 5) + struct.pack("<f", value))
                           for tag, value in scalars)
        out += _field_bytes(5, summary)
    return out


def _write_atomic(path, chunks):
    """chunks to path as rsoup writes a file (rs_write_atomic): a temporary
    file beside it, created afresh (never through a link), fsynced, renamed
    over path, the folder fsynced; path must be a new name or a regular file"""
    def refuse_odd():
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return
        if not stat.S_ISREG(st.st_mode):
            raise RsoupError("save '%s': exists and is not a regular file (a link, folder or "
                             "device): refusing to replace it" % path)
    refuse_odd()
    tmp = "%s.tmp.%d" % (path, os.getpid())
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        if os.path.lexists(tmp) and not os.path.isdir(tmp):
            os.unlink(tmp)  # a leftover of a process that had this pid, or a planted link
        fd = os.open(tmp, flags, 0o666)
    except OSError as e:
        raise RsoupError("save '%s': cannot create '%s': %s" % (path, tmp, e.strerror)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            for c in chunks:
                f.write(c)
            f.flush()
            os.fsync(f.fileno())
        refuse_odd()  # again: the name may have changed while we wrote
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise RsoupError("save '%s': %s" % (path, e.strerror or e)) from None
        raise
    try:  # the rename itself made durable; a failure here loses nothing written
        dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def write_events(path, events, start=0.0):
    """an event file at path (atomically) from events: (step, wall_time,
    [(tag, value), ...]) in order; start is the first record's wall time"""
    chunks = [_record(_event(float(start), 0, file_version=FILE_VERSION))]
    for step, wall, scalars in events:
        chunks.append(_record(_event(float(wall), int(step), scalars=scalars)))
    _write_atomic(path, chunks)


# ----------------------------------------------------------- a run's numbers

_ROLLOUT = {"ep_return", "ep_length", "episodes", "last_return"}
_TIME = {"iter", "steps_per_s", "updates_per_s"}


def _tag(name, terms):
    if name in terms:
        return "terms/" + name
    if name.startswith("eval_") and name != "eval_s":
        return "eval/" + name[5:]
    if name in _ROLLOUT:
        return "rollout/" + name
    if name in _TIME or name.endswith("_s"):
        return "time/" + name
    return "train/" + name


def _number(v):
    """a finite-or-not float of a JSON value, None for what is not a number"""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def _log_row(line):
    """a log.jsonl line as (iteration, {name: value}) in progress.csv's names:
    update -> iter, ep_terms.<t> -> <t>, eval.<k> -> eval_<k> (eval.terms.<t>
    -> eval_terms/<t>)"""
    it = line.get("update", line.get("iter"))
    row = {}
    for k, v in line.items():
        if k in ("update", "iter"):
            continue
        if isinstance(v, dict) and k in ("ep_terms", "eval"):
            for kk, vv in v.items():
                if k == "eval" and kk == "terms" and isinstance(vv, dict):
                    for t, x in vv.items():  # the evaluation's term returns
                        if _number(x) is not None:
                            row["eval_terms/" + t] = _number(x)
                    continue
                x = _number(vv)
                if x is not None:
                    row[kk if k == "ep_terms" else "eval_" + kk] = x
            continue
        x = _number(v)
        if x is not None:
            row[k] = x
    return _number(it), row


def _start_time(provenance):
    date = (provenance or {}).get("date")
    if isinstance(date, str):
        try:
            return float(calendar.timegm(time.strptime(date, "%Y-%m-%dT%H:%M:%SZ")))
        except ValueError:
            pass
    return 0.0


def export(run_dir, out_dir):
    """Writes run_dir's curves (progress.csv and log.jsonl, read by
    rsoup.load_run) to out_dir/events.out.tfevents.<start>.rsoup; returns
    that path. out_dir is made if missing. RsoupError when the folder is not
    a run folder, has neither file, or a row has no step."""
    run = load_run(run_dir)
    prog, log = run["progress"], run["log"]
    if not prog and not log:
        raise RsoupError("'%s' has neither progress.csv nor log.jsonl: no curves to export"
                         % run_dir)
    terms = set()
    rows = {}   # iteration -> {name: value}
    order = []  # iterations in the order the files give them
    for line in log:
        it, row = _log_row(line)
        terms.update((line.get("ep_terms") or {}).keys())
        if it is None:
            raise RsoupError("'%s': a line of log.jsonl has no 'update' or 'iter'"
                             % os.path.join(run_dir, "log.jsonl"))
        if it not in rows:
            order.append(it)
        rows.setdefault(it, {}).update(row)
    if prog:
        cols = prog["columns"]
        if "iter" not in prog or "step" not in prog:
            raise RsoupError("'%s': progress.csv has no 'iter' or 'step' column"
                             % os.path.join(run_dir, "progress.csv"))
        # the term columns: between ep_length and the first column after them
        # that is not a term (eval_return, or an older file's lr)
        if "ep_length" in cols:
            for c in cols[cols.index("ep_length") + 1:]:
                if c.startswith("eval_") or c in ("lr", "alpha"):
                    break
                terms.add(c)
        for r in range(len(prog["iter"])):
            it = float(prog["iter"][r])
            row = {c: float(prog[c][r]) for c in cols if c != "update"
                   and not math.isnan(prog[c][r])}
            if it not in rows:
                order.append(it)
            rows.setdefault(it, {}).update(row)  # the CSV's number where both have one
    order.sort()
    start = _start_time(run["provenance"])
    events = []
    for it in order:
        row = rows[it]
        if "step" not in row:
            raise RsoupError("'%s': iteration %g has no step" % (run_dir, it))
        row["iter"] = it
        wall = start + row.get("time_s", 0.0)
        scalars = sorted((_tag(k, terms), v) for k, v in row.items() if k != "step")
        events.append((int(row["step"]), wall, scalars))
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        raise RsoupError("cannot make '%s': %s" % (out_dir, e.strerror)) from None
    path = os.path.join(out_dir, "events.out.tfevents.%d.rsoup" % int(start))
    write_events(path, events, start)
    return path


def main(argv):
    if len(argv) != 2:
        print("usage: python -m rsoup.tensorboard RUN_DIR OUT_DIR", file=sys.stderr)
        return 2
    try:
        print(export(argv[0], argv[1]))
    except RsoupError as e:
        print("rsoup.tensorboard: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
