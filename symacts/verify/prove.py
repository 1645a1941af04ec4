"""Proof scripts: the literature's claims with their expected verdicts.

A proof module (see ``proofs/``) defines ``CLAIMS``, a list of :class:`Claim`.
:func:`run_claims` verifies them (in parallel processes), :func:`table`
prints claim id, expected, got and time; ``symacts prove`` and pytest (via
``proofs/conftest.py``) both run them.

>>> c = Claim("tanh(-x) == -tanh(x)", "proved", source="odd function", id="t1")
>>> [(claim.id, v.status) for claim, v in run_claims([c], jobs=1)]
[('t1', 'proved')]
"""
from __future__ import annotations

import importlib.util
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from ..errors import InputError
from .verdict import STATUSES, Verdict

__all__ = ["Claim", "run_claims", "load", "table", "default_paths", "check"]


@dataclass
class Claim:
    """One claim of a proof script: ``text`` in the claim language, the
    ``expected`` verdict, its ``source`` (paper, seed note and quote) and a note."""

    text: str
    expected: str = "proved"
    source: str = ""
    note: str = ""
    id: str = ""
    timeout: float = 10.0

    def __post_init__(self):
        if self.expected not in STATUSES:
            raise ValueError(f"expected must be one of {STATUSES}, got {self.expected!r}")


def default_paths():
    """The bundled proofs/ folder (next to the package, in a source checkout)."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return [os.path.join(here, "proofs")]


def _module_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p)
                            if f.endswith(".py") and not f.startswith(("_", "conftest", "test_")))
        elif os.path.isfile(p) and p.endswith(".py"):
            files.append(p)
        else:
            raise InputError(f"no proof module or folder at {p!r}")
    return files


def load(paths=None):
    """``[(module name, [Claim, ...]), ...]`` from proof files or folders."""
    out = []
    for f in _module_files(paths or default_paths()):
        name = os.path.splitext(os.path.basename(f))[0]
        spec = importlib.util.spec_from_file_location(f"symacts_proofs_{name}", f)
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except Exception as e:  # noqa: BLE001 - a broken proof file is bad input
            raise InputError(f"cannot load {f}: {type(e).__name__}: {e}") from None
        claims = getattr(mod, "CLAIMS", None)
        if not isinstance(claims, list):
            raise InputError(f"{f} defines no CLAIMS list")
        for i, c in enumerate(claims, 1):
            if not c.id:
                c.id = f"{name}-{i:02d}"
        out.append((name, claims))
    return out


def _one(claim, timeout):
    from .engine import verify
    try:
        return verify(claim.text, timeout=timeout or claim.timeout)
    except InputError as e:
        return Verdict(claim.text, "unknown", "parse", [f"bad claim: {e}"])


def run_claims(claims, jobs=None, timeout=None, progress=None):
    """``[(claim, verdict), ...]`` in order; ``progress(done, total, claim)``."""
    jobs = jobs or min(2, os.cpu_count() or 1)
    out = [None] * len(claims)
    if jobs <= 1:
        for i, c in enumerate(claims):
            out[i] = (c, _one(c, timeout))
            if progress:
                progress(i + 1, len(claims), c)
        return out
    import multiprocessing
    with ProcessPoolExecutor(max_workers=jobs,
                             mp_context=multiprocessing.get_context("fork")) as ex:
        futs = {ex.submit(_one, c, timeout): i for i, c in enumerate(claims)}
        done = 0
        from concurrent.futures import as_completed
        for f in as_completed(futs):
            i = futs[f]
            out[i] = (claims[i], f.result())
            done += 1
            if progress:
                progress(done, len(claims), claims[i])
    return out


def table(results):
    """A text table: id, expected, got, seconds, and the claim (shortened)."""
    rows = [("id", "expected", "got", "time", "claim")]
    for c, v in results:
        mark = "" if v.status == c.expected else "  <-- differs"
        text = c.text if len(c.text) <= 70 else c.text[:67] + "..."
        rows.append((c.id, c.expected, v.status + mark, f"{v.seconds:.2f}s", text))
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(r[i].ljust(w[i]) for i in range(4)) + "  " + r[4] for r in rows]
    return "\n".join(lines)


def check(claim, timeout=None):
    """Verify one Claim; raise AssertionError when the verdict differs."""
    v = _one(claim, timeout)
    if v.status != claim.expected:
        raise AssertionError(f"{claim.id}: expected {claim.expected}, got {v.status}\n"
                             f"{v.text()}\nsource: {claim.source}")
    return v
