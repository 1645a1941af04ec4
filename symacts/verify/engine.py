"""The verification engine: claim string -> :class:`~.verdict.Verdict`.

Order of work: parse (bad input raises InputError at once); replace the
operators by values; look for a counterexample at many high-precision points
(arb confirms it); then try the provers — symbolic, exact extremum, interval
arithmetic — and cross-check a proof against the rigorous values at the
sampled points. The work runs in a forked child killed at ``timeout`` (CPU
seconds); the last provisional verdict (``numeric`` after sampling) stands if
time runs out.

>>> verify("0 < diff(tanh(x), x) < 1").status
'refuted'
>>> verify("diff(sigmoid(x), x) <= 1/4").status
'proved'
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from dataclasses import replace

import sympy

from ..analysis.budget import clock, may_run_on
from ..errors import InputError
from . import claims as C
from .evaluate import Evaluator, decimal
from .nodes import OPERATORS
from .operators import reduce_statement
from .parser import parse
from .verdict import Verdict

__all__ = ["verify", "verify_statement", "equal", "assert_holds", "TIMEOUT"]

TIMEOUT = 10.0


def _point_text(pt):
    out = {}
    for k, v in pt.items():
        s = sympy.sstr(v)
        out[str(k)] = s if len(s) <= 32 else f"≈ {sympy.N(v, 32)}"
    return out


def _counterexample(pt, failing, where=None):
    fails = [{"relation": str(rel), "lhs": decimal(a), "rhs": decimal(b)}
             for rel, a, b in failing]
    ce = {"point": _point_text(pt), "fails": fails}
    return ce


class _Run:
    """One verification; ``emit`` receives provisional and final verdicts."""

    def __init__(self, text, st, deadline, emit):
        self.text, self.st, self.deadline, self.emit = text, st, deadline, emit
        self.t0 = time.monotonic()
        self.evidence = []

    def verdict(self, status, method, counterexample=None, extra=()):
        return Verdict(self.text, status, method, list(self.evidence) + list(extra),
                       counterexample, time.monotonic() - self.t0)

    def left(self):
        return self.deadline - clock()

    def run(self):
        self.unfolded = list(self.st.lost)  # _run narrows it to those sampling did not take
        v = self._run()
        if v.status == "proved" and self.st.lost:
            return self.defined(v)
        if v.status == "refuted" and self.unfolded:
            # a counterexample was looked for without these conditions (0*sup(x, x)
            # == 1 is 0 == 1 as read): it stands only where the claim is defined.
            # Their variables are not the reduced claim's, so it fails at every
            # point where they hold: closed ones must be proved, and the others
            # must hold at some point (their negation refuted)
            bad = self.failing([ct for ct in self.unfolded if not C.symbols_of(ct[0])])
            opened = [c for c, _ in self.unfolded if C.symbols_of(c)]
            if opened and not bad:
                conj = opened[0] if len(opened) == 1 else C.And(tuple(opened))
                sub = C.Statement("not defined anywhere", C.Not(conj), self.st.where,
                                  self.st.domains)
                if _Run(sub.text, sub, self.deadline, lambda _: None).run().status != "refuted":
                    bad = [f"{conj}: no point shown where it holds"]
            if bad:
                return Verdict(self.text, "unknown", v.method, v.evidence + [
                    "fails as SymPy simplified it, but it may be undefined there: a part "
                    "it took away is defined only where " + "; ".join(bad)], None,
                    time.monotonic() - self.t0)
        return v

    def failing(self, conds):
        """'cond: verdict (fails at ...)' for each (cond, text) not proved."""
        bad = []
        for cond, text in conds:
            sub = C.Statement(text, cond, self.st.where, self.st.domains)
            r = _Run(text, sub, self.deadline, lambda _: None).run()
            if r.status != "proved":
                pt = (r.counterexample or {}).get("point") or {}
                at = " (fails at " + ", ".join(f"{k} = {w}" for k, w in pt.items()) + ")" \
                    if pt else ""
                bad.append(f"{text}: {r.status}{at}")
        return bad

    def defined(self, v):
        """``v`` proved the claim where its simplified-away parts are defined
        (:attr:`~.claims.Statement.lost`); it stands if each of their conditions
        is proved on the domain too, else the claim is only ``numeric``."""
        bad = self.failing(self.st.lost)
        texts = ", ".join(t for _, t in self.st.lost)
        if not bad:
            v.evidence.append(f"defined on the whole domain: {texts} proved (SymPy "
                              "simplified those parts away as the claim was read)")
            return v
        return Verdict(self.text, "numeric", v.method, v.evidence + [
            "holds wherever the claim is defined, but it is not defined everywhere: "
            "SymPy simplified away a part that is defined only where " + "; ".join(bad),
            "state the domain with `where`"], None, time.monotonic() - self.t0)

    def _run(self):
        red = reduce_statement(self.st, self.deadline)
        self.evidence += red.notes
        if red.level == "unresolved":
            return self.verdict("unknown", "operators", extra=[red.reason or
                                                              "an operator could not be evaluated"])
        st = red.statement
        if self.st.lost:  # search and prove where the simplified-away parts are defined
            free = set(st.variables)
            ops = OPERATORS + (sympy.Integral,)  # checked afterwards only (run's defined)
            taken = [(c, t) for c, t in self.st.lost if C.symbols_of(c) <= free and not any(
                side.has(*ops) for r in C.atoms(c) for side in (r.lhs, r.rhs))]
            self.unfolded = [ct for ct in self.st.lost if ct not in taken]
            inside = [c for c, _ in taken]
            if inside:
                st = replace(st, where=C.And(tuple(([st.where] if st.where is not None
                                                    else []) + inside)))
        variables = st.variables
        ev = Evaluator(st.formula, variables, red.constants)
        wev = Evaluator(st.where, variables, red.constants) if st.where is not None else None
        rigorous = red.level in ("exact", "certified")
        if not variables:
            return self.closed(st, ev, red, rigorous)
        if rigorous and not (C.symbols_of(st.formula) - set(red.constants)) and \
                Evaluator(st.formula, [], red.constants).arb_truth({}) is True:
            # the operators took the variables out (sup(swish(x, beta), x) == oo):
            # true whatever their values (a false one still needs a point of the
            # where clause: the search below finds it)
            return self.verdict("proved", "evaluation (arb)", extra=[
                "the reduced claim holds whatever the variables' values "
                "(decided by arb enclosures of both sides)"])
        from .sampling import search
        res = search(st, ev, wev, deadline=self.deadline - 0.2 * max(self.left(), 0))
        if res.counterexample is not None:
            if not rigorous:
                return self.verdict("unknown", "sampling", extra=[
                    "fails at a point, but a value in the claim is only numeric (a "
                    "quadrature estimate or an uncertified extremum), so the failure is "
                    "not rigorous"])
            how = "counterexample (exact)" if res.exact else "counterexample (arb)"
            note = ["the two sides are equal there exactly (SymPy's simplify; arb's "
                    "balls of them overlap at 2048 bits)"] if res.exact else []
            return self.verdict("refuted", how, _counterexample(res.counterexample, res.failing),
                                extra=note)
        held = (f"held at {res.held} high-precision points"
                + (f", {res.undecided} undecided" if res.undecided else "")
                + (f", {res.undefined} undefined" if res.undefined else "")
                + (f", {res.outside} outside the where clause" if res.outside else ""))
        if res.held == 0:
            return self.verdict("unknown", "sampling", extra=[
                held, "no point of the domain could be evaluated"])
        self.emit(self.verdict("numeric", "sampling", extra=[held, "not proved (budget)"]))
        if not rigorous:
            return self.verdict("numeric", "sampling", extra=[
                held, "not proved: a value in the claim is only numeric (a quadrature "
                "estimate or an uncertified extremum)"])
        proof = self.prove(st, ev, wev, red, res)
        if proof is not None:
            return proof
        return self.verdict("numeric", "sampling", extra=[held] + self.failed)

    # -- closed claims -------------------------------------------------------
    def closed(self, st, ev, red, rigorous):
        if not rigorous:
            t = ev.mp_truth({})
            if t is True:
                return self.verdict("numeric", "evaluation (mpmath)", extra=[
                    "holds at 50 digits, but a value in it is only numeric (a quadrature "
                    "estimate or an extremum whose tails are not certified): not an enclosure"])
            return self.verdict("unknown", "evaluation (mpmath)", extra=[
                "fails at 50 digits, but a value in it is only numeric (a quadrature estimate "
                "or an extremum whose tails are not certified), so the failure is not rigorous"])
        t = ev.arb_truth({}, exact_ops=("<", "<=", ">", ">=", "==", "!="))
        exact = ["SymPy's simplify shows two sides exactly equal (arb's balls of them "
                 "overlap at 2048 bits)"] if ev.last_exact else []
        if t is False:
            return self.verdict("refuted", "evaluation (exact)" if exact else "evaluation (arb)",
                                _counterexample({}, ev.failing({})), extra=exact)
        if t is True:
            if exact:
                return self.verdict("proved", "symbolic", extra=exact)
            return self.verdict("proved", "evaluation (arb)", extra=[
                "decided by arb enclosures of both sides"])
        from .symbolic import prove
        parts = st.formula.args if isinstance(st.formula, C.And) else (st.formula,)
        steps, p = [], None
        for part in parts:  # arb decides what it can; SymPy only the rest
            if ev.arb_truth({}, part) is True:
                steps.append(f"{part}: decided by arb enclosures")
                continue
            p = prove(part, st.domains, st.where, self.deadline)
            if not p.proved:
                break
            steps += p.steps + [f"{part}: cross-check: arb enclosures of both sides overlap"]
        else:
            return self.verdict("proved", "symbolic", extra=steps)
        if ev.mp_truth({}) is True:
            return self.verdict("numeric", "evaluation (mpmath)", extra=[
                "both sides agree to 40 digits, but arb cannot decide the relation "
                "and no exact argument closed it", p.reason])
        return self.verdict("unknown", "evaluation (arb)", extra=[
            "arb cannot separate the two sides and no exact argument closed it",
            p.reason])

    # -- provers ---------------------------------------------------------------
    failed = ()

    def prove(self, st, ev, wev, red, res):
        parts = st.formula.args if isinstance(st.formula, C.And) else (st.formula,)
        if len(parts) == 1:
            return self.prove_one(st, ev, wev, red, res)
        steps, methods = [], []
        for part in parts:
            sub = C.Statement(str(part), part, st.where, st.domains)
            if not C.symbols_of(part) - set(red.constants):
                sev = Evaluator(part, [], red.constants)
                v = self.closed(sub, sev, red, True)
            else:
                sev = Evaluator(part, st.variables, red.constants)
                v = self.prove_one(sub, sev, wev, red, res)
            if v is not None and v.status == "refuted":
                return v  # a part fails at a point: so does the conjunction
            if v is None or v.status != "proved":
                self.failed = [f"not proved: {part}"] + list(self.failed) + \
                    ([e for e in v.evidence if e not in self.evidence] if v else [])
                return None
            methods.append(v.method)
            steps += [f"[{part}] " + e for e in v.evidence if e not in self.evidence]
        return self.verdict("proved", " + ".join(dict.fromkeys(methods)), extra=steps)

    def prove_one(self, st, ev, wev, red, res):
        failed = []
        from .symbolic import prove
        if not red.constants:  # linear claims: exact Fourier–Motzkin, no SymPy
            from .linear import prove_linear
            p = prove_linear(st)
            if p.proved:
                return self.verdict("proved", "linear (exact)", extra=p.steps)
        one = len(st.variables) == 1
        # an inequality in one variable: a cheap symbolic pass, then the
        # extremum and interval provers, and the full simplification last
        order = (True, False) if one and _inequalities(st.formula) else (False,)
        p = None
        for cheap in order:
            if self.left() <= 0:
                break
            if not cheap:
                v = self.numeric_provers(st, red, failed) if len(order) == 2 else None
                if v is not None:
                    return v
            p = prove(st.formula, st.domains, st.where, self.deadline, cheap=cheap)
            if p.proved:
                bad = self.cross_check(ev, wev, res)
                if bad:
                    return self.verdict("unknown", "symbolic", extra=p.steps + [bad])
                return self.verdict("proved", "symbolic", extra=p.steps + [
                    f"cross-check: arb agrees at {min(len(res.points), 30)} sampled points"])
        if p is not None:
            failed.append(f"symbolic: {p.reason}")
        if len(order) == 1:
            v = self.numeric_provers(st, red, failed)
            if v is not None:
                return v
        self.failed = failed
        return None

    def witness(self, st, red, points):
        """Refuted, if the claim fails (arb) at one of ``points`` inside the
        where clause (the place where an extremum breaking the bound is
        attained, say), else None."""
        if not points or red.level not in ("exact", "certified"):
            return None
        ev = Evaluator(st.formula, st.variables, red.constants)
        wev = Evaluator(st.where, st.variables, red.constants) if st.where is not None else None
        for pt in points:
            try:
                if ev.arb_truth(pt, plain=False) is False and \
                        (wev is None or wev.arb_truth(pt) is True):
                    how = "exact" if ev.last_exact else "arb"
                    return self.verdict("refuted", f"counterexample ({how})",
                                        _counterexample(pt, ev.failing(pt, plain=False)), extra=[
                                            "at the point where the extremum is attained"] + (
                                            ["the two sides are equal there exactly (SymPy)"]
                                            if ev.last_exact else []))
            except Exception:  # noqa: BLE001 - a witness is a hint only
                continue
        return None

    def numeric_provers(self, st, red, failed):
        """The extremum and interval provers (one variable), or None."""
        if len(st.variables) == 1 and self.left() > 0:
            from .extremum import prove_by_extremum
            p = prove_by_extremum(st, red.constants, self.deadline)
            if p.proved:
                return self.verdict("proved", "extremum", extra=p.steps)
            v = self.witness(st, red, p.witnesses)
            if v is not None:
                return v
            if p.reason:
                failed.append(f"extremum: {p.reason}")
        if len(st.variables) == 1 and self.left() > 0:
            from .interval import prove_interval
            p = prove_interval(st, red.constants, self.deadline)
            if p.proved:
                return self.verdict("proved", "interval (arb)", extra=p.steps)
            failed.append(f"interval: {p.reason}")
        return None

    def cross_check(self, ev, wev, res):
        for pt in res.points[:30]:
            t = ev.arb_truth(pt)
            if t is False:
                return (f"BUG: the symbolic proof disagrees with arb at "
                        f"{_point_text(pt)}; not reported as proved")
        return ""


def _inequalities(f):
    """True when every relation of ``f`` is <, <=, > or >= (no == / !=)."""
    return all(r.op in ("<", "<=", ">", ">=") for r in C.atoms(f))


def _kill_group(proc):
    """Kill the child and everything it started (its process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        if proc.is_alive():
            proc.kill()


def verify_statement(text, st, timeout=TIMEOUT, fork=True):
    """Verify a parsed :class:`~.claims.Statement` (see :func:`verify`).

    ``timeout`` is CPU time (:func:`~symacts.analysis.budget.clock`): the
    child may run on past it in wall time while other processes hold the
    cores, up to ``STRETCH`` times it, so a verdict does not depend on the
    machine's load."""
    start = time.monotonic()
    if not fork:
        run = _Run(text, st, clock() + timeout, lambda v: None)
        v = run.run()
        v.seconds = time.monotonic() - start
        return v
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def child():
        recv.close()
        deadline = clock() + timeout     # this process's own CPU clock
        try:  # own process group: a time-out kills the budgeted SymPy calls too
            os.setpgid(0, 0)
        except OSError:
            pass
        try:
            v = _Run(text, st, deadline, lambda pv: send.send(("partial", pv))).run()
            send.send(("final", v))
        except BaseException as e:  # noqa: BLE001 - reported as unknown
            send.send(("error", f"{type(e).__name__}: {e}"[:300]))
        finally:
            send.close()

    proc = ctx.Process(target=child, daemon=False)
    proc.start()
    try:
        os.setpgid(proc.pid, proc.pid)
    except OSError:
        pass
    send.close()
    last, final = None, None
    try:
        while final is None:
            wait = start + timeout - time.monotonic()
            if wait <= 0:
                if not may_run_on(proc.pid, timeout, start):
                    break
                wait = 0.05
            if not recv.poll(wait):
                continue
            try:
                kind, val = recv.recv()
            except EOFError:
                break
            if kind == "partial":
                last = val
            elif kind == "final":
                final = val
            else:
                final = Verdict(text, "unknown", "error", [f"internal error: {val}"])
    finally:
        recv.close()
        _kill_group(proc)
        proc.join()
    if final is None:
        note = f"ran out of its {timeout:g} s budget"
        if last is not None:
            final = last
            final.evidence = [e for e in final.evidence if e != "not proved (budget)"] + \
                [f"not proved: the provers {note}"]
        else:
            final = Verdict(text, "unknown", "budget", [f"the verification {note}"])
    final.seconds = time.monotonic() - start
    return final


def verify(claim, where=None, timeout=TIMEOUT, fork=True) -> Verdict:
    """The verdict on ``claim`` (a string in the claim language, docs/claims.md).

    ``where`` adds a restriction (a string, like a trailing ``where``).
    Raises :class:`~symacts.errors.InputError` on a claim that cannot be read.
    """
    if timeout is None or not timeout > 0:
        raise InputError(f"timeout must be a positive number of seconds, got {timeout}")
    st = parse(claim, where)
    return verify_statement(st.text if where is None else f"{st.text} [where {where}]",
                            st, timeout, fork)


def equal(lhs, rhs, var=None, where=None, timeout=5, fork=True) -> Verdict:
    """Are the SymPy expressions ``lhs`` and ``rhs`` equal on the domain?

    ``var`` (a symbol or list) names the variables (informational: every free
    symbol is a real variable); ``where`` is a claim-language string.

    >>> from sympy import Symbol, tanh
    >>> from symacts.functions import sigmoid
    >>> x = Symbol('x', real=True)
    >>> equal(tanh(x), 2*sigmoid(2*x) - 1, x).status
    'proved'
    """
    lhs, rhs = sympy.sympify(lhs), sympy.sympify(rhs)
    subs = {s: sympy.Symbol(s.name, real=True) for s in (lhs.free_symbols | rhs.free_symbols)}
    lhs, rhs = lhs.xreplace(subs), rhs.xreplace(subs)
    formula = C.Rel("==", lhs, rhs)
    text = f"{sympy.sstr(lhs)} == {sympy.sstr(rhs)}"
    st = C.Statement(text, formula)
    if where is not None:
        from .parser import parse_formula, _narrow
        cond = parse_formula(where)[0]
        st.where = cond
        _narrow(cond, st.domains)
        text += f" where {where}"
    return verify_statement(text, st, timeout, fork)


def assert_holds(claim, where=None, timeout=TIMEOUT):
    """Raise AssertionError (with the evidence) unless ``claim`` is proved.

    >>> assert_holds("tanh(-x) == -tanh(x)").status
    'proved'
    """
    v = verify(claim, where=where, timeout=timeout)
    if v.status != "proved":
        raise AssertionError(v.text())
    return v
