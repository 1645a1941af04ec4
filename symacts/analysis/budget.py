"""Time budgets for SymPy calls that can run away (simplify, solve, integrate,
limit): the call runs in a forked child that is killed when its time is up.

Results (and time-outs) are remembered per process, so a call is never paid
for twice. Where ``fork`` is unavailable the call runs in a daemon thread and
is abandoned (not killed) at the deadline.

>>> from sympy import Symbol, sin, limit
>>> x = Symbol('x')
>>> out = attempt(limit, sin(x) / x, x, 0, seconds=5)
>>> out.ok, out.value
(True, 1)
>>> attempt(sorted, None, seconds=1).ok
False
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from typing import Any, NamedTuple

__all__ = ["Outcome", "attempt", "clock", "may_run_on", "DEFAULT", "STRETCH"]

#: default budget in seconds for one SymPy call
DEFAULT = 2.0

_MEMO: dict = {}


class Outcome(NamedTuple):
    """``ok`` with ``value``, or not ok with a ``reason`` a person can read."""

    ok: bool
    value: Any = None
    reason: str = ""


def _child(conn, fn, args, kwargs):
    try:
        res = ("ok", fn(*args, **kwargs))
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        res = ("error", f"{type(e).__name__}: {e}"[:200])
    try:
        conn.send(res)
    except Exception as e:  # noqa: BLE001 - an unpicklable result
        conn.send(("error", f"result could not be returned ({e})"))
    conn.close()


def _fork_call(fn, args, kwargs, seconds):
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, kwargs), daemon=True)
    proc.start()
    send.close()
    try:
        if recv.poll(seconds) or _starved(proc.pid, seconds, recv):
            try:
                kind, val = recv.recv()
            except EOFError:
                return Outcome(False, None, f"{_name(fn)} crashed")
            return Outcome(True, val) if kind == "ok" else Outcome(False, None, val)
        return Outcome(False, None, f"{_name(fn)} ran out of its {seconds:g} s budget")
    finally:
        recv.close()
        if proc.is_alive():
            proc.kill()
        proc.join()


#: a child that used less CPU than its budget (the machine was busy) may run
#: on for up to this many times the budget in wall time
STRETCH = 4.0


def clock():
    """CPU seconds (user + system) used by this process and by its children
    that have been waited for (the forked SymPy calls): the clock of the
    verifier's deadlines, so that a claim gets the same work on a busy machine
    as on an idle one.

    >>> t = clock(); _ = sum(range(10 ** 5)); clock() >= t
    True
    """
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _cpu_seconds(pid):
    """CPU seconds (user + system) the process ``pid`` and its waited-for
    children have used (:func:`clock` of that process), or None where /proc is
    not there."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def may_run_on(pid, seconds, started):
    """Whether the child ``pid``, started at ``started`` (``time.monotonic``)
    with a budget of ``seconds``, may run on past it: it has used less CPU than
    that (other processes held the cores), and the wall time is under STRETCH
    times the budget. False where its CPU time cannot be read."""
    if time.monotonic() - started >= STRETCH * seconds:
        return False
    used = _cpu_seconds(pid)
    return used is not None and used < seconds


def _starved(pid, seconds, recv):
    """After the wall budget: wait on while :func:`may_run_on`; True if the
    answer came. So a budget means the same work on a loaded machine (CI beside
    other jobs) as on an idle one."""
    start = time.monotonic() - seconds
    while may_run_on(pid, seconds, start):
        if recv.poll(min(0.05, seconds)):
            return True
    return False


def _thread_call(fn, args, kwargs, seconds):
    box = {}

    def run():
        try:
            box["ok"] = fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001
            box["error"] = f"{type(e).__name__}: {e}"[:200]
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    if "ok" in box:
        return Outcome(True, box["ok"])
    if "error" in box:
        return Outcome(False, None, box["error"])
    return Outcome(False, None, f"{_name(fn)} ran out of its {seconds:g} s budget")


def _name(fn):
    return f"SymPy's {getattr(fn, '__name__', 'call')}"


def _key(fn, args, kwargs):
    if getattr(fn, "__closure__", None) or "<" in getattr(fn, "__qualname__", "<"):
        return None  # a lambda or closure: its name does not say what it computes
    try:
        key = (getattr(fn, "__module__", ""), getattr(fn, "__qualname__", repr(fn)),
               args, tuple(sorted(kwargs.items())))
        hash(key)
        return key
    except TypeError:
        return None


def attempt(fn, *args, seconds=DEFAULT, **kwargs) -> Outcome:
    """``fn(*args, **kwargs)`` within ``seconds``: an :class:`Outcome`, never a hang."""
    key = _key(fn, args, kwargs)
    if key is not None and key in _MEMO:
        out, spent = _MEMO[key]
        if out.ok or spent >= seconds:
            return out
    start = time.perf_counter()
    if "fork" in multiprocessing.get_all_start_methods():
        out = _fork_call(fn, args, kwargs, seconds)
    else:  # pragma: no cover - non-POSIX
        out = _thread_call(fn, args, kwargs, seconds)
    if key is not None:
        _MEMO[key] = (out, seconds if not out.ok else time.perf_counter() - start)
    return out
