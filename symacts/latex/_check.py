"""Are two expressions equal? The derivation engine's step checker.

Until ``symacts.verify.equal`` is in the tree this private checker does what
it will do: an exact proof (the difference simplifies to 0, branch by branch
for piecewise expressions) under a time budget, else a rigorous cross-check
with arb enclosures at many points through :mod:`symacts.export.arb`.
Free parameters other than the variable are sampled inside their assumed
domains for the numeric route.

>>> from sympy import Symbol, exp
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> check_equal(exp(-x) / (1 + exp(-x))**2, sigmoid(x) * (1 - sigmoid(x)), x).status
'proved'
>>> check_equal(sigmoid(x), 1 - sigmoid(x), x).status
'refuted'
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import sympy
from sympy import Piecewise, Rational, S, piecewise_fold

from ..errors import SymactsError
from ..functions import elementary
from ._budget import within

__all__ = ["Check", "check_equal", "StepError"]


class StepError(SymactsError):
    """A derivation step that does not check: the derivation is not output."""


@dataclass(frozen=True)
class Check:
    """The outcome of one equality check."""

    status: str          # "proved", "numeric", "refuted" or "unknown"
    method: str          # "symbolic", "interval", ...
    detail: str = ""

    @property
    def ok(self):
        return self.status in ("proved", "numeric")


# points spread over the line, irrational-looking so they avoid branch points
_POINTS = [Rational(n, 7) + Rational(1, 13) for n in
           (-140, -60, -29, -20, -13, -9, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 9,
            13, 20, 29, 60, 140)] + [Rational(1, 1000) + Rational(1, 7919),
                                      Rational(-1, 1000) - Rational(1, 7919)]


def _samples(sym):
    if sym.is_integer:
        return [S(1), S(2), S(3)]
    if sym.is_positive:
        return [S(1), Rational(5, 2), Rational(1, 3)]
    if sym.is_nonnegative:
        return [S(0), Rational(1, 2), S(2)]
    return [Rational(-1, 2), Rational(1, 4), S(2)]


def _is_zero(d, deadline):
    """True when ``d`` simplifies to 0 (branch by branch for Piecewise)."""
    if d == 0:
        return True
    if d.has(sympy.Max, sympy.Min, sympy.Abs, sympy.Heaviside):
        d = d.rewrite(Piecewise)
    if d.has(Piecewise):
        d = piecewise_fold(d)
        if isinstance(d, Piecewise):
            d = within(lambda: sympy.piecewise_exclusive(d), 2, default=d)
        if isinstance(d, Piecewise):
            return all(_branch_zero(e, c, deadline) for e, c in d.args)
    for attempt in (sympy.expand, sympy.cancel,
                    lambda e: sympy.expand(e.rewrite(sympy.exp)),
                    sympy.simplify, lambda e: sympy.simplify(e.rewrite(sympy.exp))):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r = within(lambda: attempt(d), left, default=None)
        if r is not None and r == 0:
            return True
    return False


def _branch_zero(e, c, deadline):
    """A branch of a piecewise difference is 0 where its condition holds."""
    if c is S.false or _is_zero(e, deadline):
        return True
    if isinstance(c, sympy.Eq) and len(c.free_symbols) == 1:
        v = c.free_symbols.pop()
        sol = within(lambda: sympy.solve(c.lhs - c.rhs, v), 2, default=None)
        return sol is not None and all(_is_zero(e.subs(v, s), deadline) for s in sol)
    return False


def _numeric(lhs, rhs, var, where, params):
    from flint import arb
    from ..export.arb import arb_lambdify, workprec
    agree = 0
    combos = [{}]
    for p in params:
        combos = [{**c, p: v} for c in combos for v in _samples(p)]
    for values in combos[:9]:
        l, r = lhs.xreplace(values), rhs.xreplace(values)
        try:
            fl, fr = arb_lambdify(l, var), arb_lambdify(r, var)
        except Exception as e:  # an expression the arb backend cannot evaluate
            return Check("unknown", "interval", f"cannot evaluate: {e}")
        for pt in _POINTS:
            if where is not None:
                inside = where.xreplace(values).subs(var, pt)
                if inside is not S.true:
                    continue
            for bits in (128, 640):
                with workprec(bits):
                    try:
                        a, b = fl(arb(pt.p) / pt.q), fr(arb(pt.p) / pt.q)
                    except (ZeroDivisionError, ValueError, ArithmeticError):
                        a = b = None
                if a is None or not (a.is_finite() and b.is_finite()):
                    break
                if not a.overlaps(b):
                    where_txt = ", ".join(f"{k}={v}" for k, v in values.items())
                    return Check("refuted", "interval",
                                 f"differ at {var}={pt}" + (f" ({where_txt})" if where_txt else "")
                                 + f": {a.str(10)} vs {b.str(10)}")
                if (a - b).rad() < arb(10) ** -25 * (1 + abs(a).upper()):
                    agree += 1
                    break
    if agree >= 8:
        return Check("numeric", "interval", f"enclosures agree at {agree} points")
    return Check("unknown", "interval", f"only {agree} points decided")


def check_equal(lhs, rhs, var, where=None, timeout=5):
    """Check ``lhs == rhs`` for every real ``var`` (satisfying ``where``)."""
    lhs, rhs = sympy.sympify(lhs), sympy.sympify(rhs)
    el, er = elementary(lhs), elementary(rhs)
    deadline = time.monotonic() + timeout
    try:
        if _is_zero(el - er, deadline):
            return Check("proved", "symbolic", "the difference simplifies to 0")
    except Exception:  # SymPy failing on an odd tree: fall through to numbers
        pass
    params = sorted((lhs.free_symbols | rhs.free_symbols) - {var}, key=str)
    return _numeric(lhs, rhs, var, where, params)


_MEMO: dict = {}


def checker():
    """The equality checker in use: ``symacts.verify.equal`` once it exists.

    Outcomes are remembered per process (a derivation repeats many checks).
    """
    try:
        from ..verify import equal  # noqa: F401
    except ImportError:
        base = check_equal
    else:
        base = _via_verify

    def memo(lhs, rhs, var, where=None, timeout=5):
        key = (sympy.sympify(lhs), sympy.sympify(rhs), var, where, base)
        if key not in _MEMO:
            _MEMO[key] = base(lhs, rhs, var, where=where, timeout=timeout)
        return _MEMO[key]
    return memo


def _where_text(lhs, rhs, var, where):
    """The claim-language condition: ``where`` plus the parameters' assumed signs."""
    parts = []
    for sym in sorted((lhs.free_symbols | rhs.free_symbols) - {var}, key=str):
        if sym.is_positive:
            parts.append(f"{sym} > 0")
        elif sym.is_nonnegative:
            parts.append(f"{sym} >= 0")
    if where is not None:
        for c in sympy.And.make_args(where):
            op = {sympy.Ne: "!=", sympy.Gt: ">", sympy.Ge: ">=", sympy.Lt: "<",
                  sympy.Le: "<="}.get(type(c))
            if op is None:
                return None
            parts.append(f"{sympy.sstr(c.lhs)} {op} {sympy.sstr(c.rhs)}")
    return " and ".join(parts) if parts else ""


def _via_verify(lhs, rhs, var, where=None, timeout=5):
    """``symacts.verify.equal`` first; this module's checker when it cannot decide.

    The verification engine treats every free symbol as real, so a step that
    holds only under a parameter's assumption (beta > 0) may not be decided
    there; the exact route here uses the assumptions.
    """
    from ..errors import SymactsError
    from ..verify import equal
    lhs, rhs = sympy.sympify(lhs), sympy.sympify(rhs)
    cond = _where_text(lhs, rhs, var, where)
    v = None
    if cond is not None:
        try:
            v = equal(lhs, rhs, var, where=cond or None, timeout=timeout)
        except SymactsError:
            v = None
    status = getattr(v, "status", "unknown")
    if status in ("proved", "numeric"):
        return Check(status, "verify." + str(getattr(v, "method", "equal")),
                     str(getattr(v, "evidence", ""))[:200])
    own = check_equal(lhs, rhs, var, where=where, timeout=timeout)
    if own.status == "numeric" and status == "refuted":
        return Check("refuted", "verify", str(getattr(v, "evidence", ""))[:200])
    return own
