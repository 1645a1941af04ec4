"""The ``symacts verify`` and ``symacts prove`` commands (cli.py only dispatches).

Exit codes of ``verify``: 0 all proved, 1 any refuted, 4 any unknown,
3 any only numeric (in that order of precedence), 2 bad input.
``prove`` exits 0 when every verdict is the expected one, 1 otherwise.

>>> exit_code(["proved", "numeric"]), exit_code(["proved", "refuted", "unknown"])
(3, 1)
"""
from __future__ import annotations

import json
import sys

from ..errors import InputError
from .verdict import EXIT_CODES

__all__ = ["exit_code", "read_claims", "run_verify", "run_prove"]


def exit_code(statuses):
    """The exit code for a list of statuses (see the module docstring)."""
    statuses = set(statuses)
    for s in ("refuted", "unknown", "numeric"):
        if s in statuses:
            return EXIT_CODES[s]
    return 0


MAX_FILE_BYTES = 5 * 10**6


def read_claims(path):
    """Claims of a file, one a line; blank lines and ``#`` comments skipped.
    Every line is parsed first, so a bad line stops the run before any work."""
    from .parser import parse
    try:
        with open(path, encoding="utf-8") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise InputError(f"cannot read {path}: not UTF-8 text (byte {e.start})") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path} is too large (over {MAX_FILE_BYTES // 10**6} MB of claims)")
    claims, bad = [], []
    for n, line in enumerate(data.splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            parse(text)
        except InputError as e:
            bad.append(f"{path}:{n}: {e}")
            continue
        claims.append(text)
    if bad:
        more = f" (and {len(bad) - 1} more bad line{'s' if len(bad) > 2 else ''})" \
            if len(bad) > 1 else ""
        raise InputError(bad[0] + more)
    if not claims:
        raise InputError(f"{path} holds no claims")
    return claims


def _bar(done, total, label, stream=None, width=24):
    stream = stream or sys.stderr
    filled = int(width * done / total) if total else width
    text = label if len(label) <= 40 else label[:37] + "..."
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {text:<40}")
    if done == total:
        stream.write("\n")
    stream.flush()


def run_verify(claims, as_json=False, timeout=10.0, progress=False, where=None):
    """Verify each claim, print each verdict; return the exit code."""
    from .engine import verify
    from .parser import parse
    for c in claims:  # bad input first, before any work
        parse(c, where)
    statuses = []
    for i, c in enumerate(claims):
        if progress:
            _bar(i, len(claims), c)
        v = verify(c, where=where, timeout=timeout)
        statuses.append(v.status)
        if as_json:
            print(json.dumps(v.to_dict(), ensure_ascii=False))
        else:
            if progress:
                sys.stderr.write("\r" + " " * 72 + "\r")
            print(v.text())
        sys.stdout.flush()
    if progress:
        _bar(len(claims), len(claims), "done")
    return exit_code(statuses)


def run_prove(paths=None, as_json=False, jobs=None, timeout=None, progress=True):
    """Run the proof scripts; print the table; 0 when every verdict is as expected."""
    import time
    from .prove import load, run_claims, table
    t0 = time.monotonic()
    groups = load(paths or None)
    claims = [c for _, cs in groups for c in cs]
    cb = (lambda d, n, c: _bar(d, n, c.id)) if progress else None
    results = run_claims(claims, jobs=jobs, timeout=timeout, progress=cb)
    bad = [(c, v) for c, v in results if v.status != c.expected]
    if as_json:
        for c, v in results:
            d = v.to_dict()
            d.update(id=c.id, expected=c.expected, source=c.source)
            print(json.dumps(d, ensure_ascii=False))
    else:
        print(table(results))
        counts = {}
        for _, v in results:
            counts[v.status] = counts.get(v.status, 0) + 1
        summary = ", ".join(f"{k} {counts[k]}" for k in ("proved", "refuted", "numeric",
                                                          "unknown") if k in counts)
        print(f"\n{len(results)} claims in {len(groups)} modules ({summary}); "
              f"{len(bad)} differ from the expected verdict; "
              f"{time.monotonic() - t0:.1f} s")
        for c, v in bad:
            print(f"\n{c.id} (expected {c.expected}):\n{v.text()}")
    return 0 if not bad else 1
