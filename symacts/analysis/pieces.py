"""Split an expression at its kinks: the points where a Piecewise condition,
Max, Min, Abs, sign or Heaviside switches. Between two kinks the expression
equals one smooth *branch*, which the analysis differentiates and bounds.

>>> from sympy import Symbol, Max, oo
>>> x = Symbol('x', real=True)
>>> kinks(Max(0, x) + Max(0, x - 1), x)
[0, 1]
>>> [(p.lo, p.hi, p.branch) for p in pieces(Max(0, x), x)]
[(-oo, 0, 0), (0, oo, x)]
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import (Abs, DiracDelta, Heaviside, Max, Min, Piecewise, Poly,
                   Rational, S, sign)
from sympy.core.relational import Relational

from ..errors import DomainError, InputError
from .budget import attempt

__all__ = ["Piece", "kinks", "branch_at", "pieces", "check_input", "strip_dirac",
           "is_polynomial", "KINKED"]

KINKED = (Piecewise, Max, Min, Abs, Heaviside, sign, DiracDelta)


def check_input(expr, var=None, lo=S.NegativeInfinity, hi=S.Infinity):
    """Validate (expr, var, lo, hi); return them as SymPy objects.

    >>> from sympy import Symbol, sin
    >>> check_input(sin(Symbol('t')))[1]
    t
    >>> check_input(Symbol('a') * Symbol('b'))
    Traceback (most recent call last):
    ...
    symacts.errors.InputError: expected an expression in one variable, got the free variables a, b
    """
    expr = getattr(expr, "expr", expr)  # an Activation
    if isinstance(expr, sympy.MatrixBase):
        raise InputError("vector activations have no scalar analysis; pick one component")
    try:
        expr = sympy.sympify(expr, strict=True)
    except sympy.SympifyError:
        raise InputError(f"not a SymPy expression: {expr!r}") from None
    free = sorted(expr.free_symbols, key=str)
    if var is None:
        if len(free) > 1:
            raise InputError("expected an expression in one variable, got the free "
                             f"variables {', '.join(map(str, free))}")
        var = free[0] if free else sympy.Symbol("x", real=True)
    others = [s for s in free if s != var]
    if others:
        raise InputError(f"expression has free symbols {', '.join(map(str, others))} "
                         f"besides {var}; give them values")
    lo, hi = sympy.sympify(lo), sympy.sympify(hi)
    for end in (lo, hi):
        if not (end.is_extended_real and end.is_number) and end not in (S.Infinity, S.NegativeInfinity):
            raise InputError(f"interval end {end} is not a real number")
    if (lo > hi) is S.true or lo is S.Infinity or hi is S.NegativeInfinity:
        raise DomainError(f"empty interval: lo = {lo} > hi = {hi}")
    if not var.is_real:  # analysis is over the reals
        real = sympy.Symbol(var.name, real=True)
        expr, var = expr.xreplace({var: real}), real
    return expr, var, lo, hi


def strip_dirac(expr):
    """Drop DiracDelta terms: the derivative almost everywhere."""
    return expr.replace(lambda e: isinstance(e, DiracDelta), lambda e: S.Zero)


def is_polynomial(expr, var):
    """True when ``expr`` is a polynomial in ``var`` with exact number coefficients."""
    try:
        p = Poly(expr, var)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return False
    return all(c.is_number for c in p.coeffs()) and expr.is_polynomial(var)


def _switches(expr):
    """Expressions whose sign change switches a branch."""
    out = []
    for e in sympy.preorder_traversal(expr):
        if isinstance(e, Piecewise):
            for _, c in e.args:
                out.extend(r.lhs - r.rhs for r in c.atoms(Relational))
        elif isinstance(e, (Max, Min)):
            args = e.args
            out.extend(a - b for i, a in enumerate(args) for b in args[i + 1:])
        elif isinstance(e, (Abs, sign, Heaviside, DiracDelta)):
            out.append(e.args[0])
    return out


def _real_zeros(h, var):
    h = sympy.expand(h)
    if not h.has(var):
        return []
    if is_polynomial(h, var):
        return [r for r in Poly(h, var).real_roots()]
    # solveset over the reals, not solve: solve gives the roots of one period
    # of a periodic equation (solve(sin(x), x) is [0, pi]), and the pieces
    # beyond would be taken for one (red team, 2026-12-02); only a finite set
    # is a complete answer (an ImageSet or a ConditionSet is refused)
    out = attempt(sympy.solveset, h, var, S.Reals, seconds=2.0)
    if not out.ok:
        raise InputError(f"cannot locate where {h} changes sign ({out.reason})")
    if not isinstance(out.value, sympy.FiniteSet):
        raise InputError(f"cannot locate where {h} changes sign (its zeros are "
                         f"{sympy.sstr(out.value)[:80]}, not finitely many known points)")
    return [r for r in out.value if r.is_real]


def kinks(expr, var):
    """The sorted exact points where a branch of ``expr`` switches."""
    pts = set()
    for h in _switches(expr):
        pts.update(sympy.nsimplify(r) if r.is_Float else r for r in _real_zeros(h, var))
    return sorted(pts, key=lambda r: float(r))


def _pick(e, var, point):
    """Replace each kinked node of ``e`` by the branch it takes at ``point``."""
    if e.is_Atom or not e.has(*KINKED):
        return e
    at = lambda u: sympy.sympify(u).xreplace({var: point})  # noqa: E731
    if isinstance(e, Piecewise):
        for val, cond in e.args:
            c = at(cond)
            if c is S.true or c is True:
                return _pick(val, var, point)
            if c not in (S.false, False):
                raise InputError(f"cannot decide the condition {cond} at {var} = {point}")
        raise DomainError(f"{e} is undefined at {var} = {point}")
    if isinstance(e, (Max, Min)):
        vals = [(at(a), a) for a in e.args]
        best = vals[0]
        for v in vals[1:]:
            if (v[0] > best[0]) is S.true if isinstance(e, Max) else (v[0] < best[0]) is S.true:
                best = v
        return _pick(best[1], var, point)
    if isinstance(e, (Abs, sign, Heaviside, DiracDelta)):
        u = at(e.args[0])
        if not u.is_extended_real or u.is_zero is not False:
            raise InputError(f"{e} switches at {var} = {point}")
        pos = bool(u > 0)
        arg = _pick(e.args[0], var, point)
        if isinstance(e, Abs):
            return arg if pos else -arg
        if isinstance(e, sign):
            return S.One if pos else S.NegativeOne
        if isinstance(e, Heaviside):
            return S.One if pos else S.Zero
        return S.Zero
    return e.func(*[_pick(a, var, point) for a in e.args])


def branch_at(expr, var, point):
    """The smooth branch ``expr`` follows around ``point`` (not a kink).

    >>> from sympy import Symbol, Abs
    >>> x = Symbol('x', real=True)
    >>> branch_at(x / (1 + Abs(x)), x, -1)
    x/(1 - x)
    """
    return _pick(expr, var, sympy.sympify(point))


def _inside(a, b):
    """A simple rational strictly between a and b (either may be infinite)."""
    if a is S.NegativeInfinity and b is S.Infinity:
        return S.Zero
    if a is S.NegativeInfinity:
        return sympy.floor(b) - 1
    if b is S.Infinity:
        return sympy.ceiling(a) + 1
    mid = (a + b) / 2
    if mid.is_Rational:
        return mid
    q = sympy.nsimplify(sympy.N(mid, 30), rational=True, tolerance=float(b - a) / 8)
    return q if (a < q) is S.true and (q < b) is S.true else mid


@dataclass(frozen=True)
class Piece:
    """The open interval (lo, hi) on which ``expr`` equals ``branch``."""

    lo: object
    hi: object
    branch: object


def pieces(expr, var, lo=S.NegativeInfinity, hi=S.Infinity):
    """The branches of ``expr`` between its kinks, within ``[lo, hi]``."""
    lo, hi = sympy.sympify(lo), sympy.sympify(hi)
    cuts = [k for k in kinks(expr, var) if (lo < k) is S.true and (k < hi) is S.true]
    ends = [lo, *cuts, hi]
    out = []
    for a, b in zip(ends, ends[1:]):
        if a == b:
            continue
        out.append(Piece(a, b, branch_at(expr, var, _inside(a, b))))
    return out
