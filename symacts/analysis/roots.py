"""Certified zeros of a smooth function on a closed interval.

:func:`isolate` bisects with arb enclosures (:mod:`symacts.export.arb`): each
cell either has a sign, holds exactly one simple zero (the derivative keeps
one sign and the ends differ), or is a tiny cell left *undecided*.
:func:`refine` narrows a bracket with mpmath (:mod:`symacts.export.mp`) and
proves the result with arb: two points of opposite sign around it.

>>> from sympy import Symbol, cos
>>> x = Symbol('x', real=True)
>>> iso = isolate(cos(x), -sin_(x), x, 0, 3)
>>> len(iso.roots), iso.unknown
(1, [])
>>> ball = refine(cos(x), x, iso.roots[0], digits=25)
>>> print(ball.str(25, radius=False))
1.570796326794896619231322
"""
from __future__ import annotations

from dataclasses import dataclass, field

import mpmath
import sympy
from flint import arb
from sympy import Add, Pow, S, erf, erfc, tanh
from sympy import sin as sin_  # noqa: F401  (doctest)

from ..export.arb import arb_lambdify, to_arb, workprec
from ..export.mp import mp_lambdify
from ..functions import Phi, sigmoid

__all__ = ["Isolation", "isolate", "refine", "stable", "arb_point"]


def _complement(e):
    """``n + k*F(u)`` with ``k = ±n`` -> a form without cancellation."""
    if not isinstance(e, Add):
        return None
    n = sum((t for t in e.args if t.is_Number), S.Zero)
    if n == 0:
        return None
    for t in e.args:
        k, core = t.as_coeff_Mul()
        if k != -n and k != n:
            continue
        u = core.args[0] if core.args else None
        new = None
        if k == -n and isinstance(core, sigmoid):
            new = n * sigmoid(-u)
        elif k == -n and isinstance(core, Phi):
            new = n * Phi(-u)
        elif k == -n and isinstance(core, Pow) and isinstance(core.base, tanh) \
                and core.exp == 2:
            w = 2 * core.base.args[0]  # sech²u = 4σ(2u)σ(-2u), positive in arb
            new = 4 * n * sigmoid(w) * sigmoid(-w)
        elif isinstance(core, tanh):
            new = 2 * n * sigmoid(2 * u if k == n else -2 * u)
        elif isinstance(core, erf):
            new = n * erfc(-u if k == n else u)
        if new is not None:
            rest = [a for a in e.args if a is not t and not a.is_Number]
            return Add(new, *rest)
    return None


def stable(expr):
    """Rewrite ``1 - σ(u)``, ``1 - Φ(u)``, ``1 - tanh²u`` (as 4σ(2u)σ(-2u)), ``1 ± tanh u``,
    ``1 ± erf u`` into forms that arb encloses tightly far in the tails.

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> stable(sigmoid(x) * (1 - sigmoid(x)))
    sigmoid(-x)*sigmoid(x)
    """
    return expr.replace(lambda e: isinstance(e, Add) and _complement(e) is not None,
                        _complement)


def arb_point(v):
    """An arb ball for an exact SymPy number, an mpf or an arb."""
    if isinstance(v, arb):
        return v
    if isinstance(v, mpmath.mpf):
        return arb(v)
    return to_arb(v)


@dataclass
class Isolation:
    """Cells of [lo, hi]: ``signs`` (lo, hi, ±1), ``roots`` (lo, hi) with exactly
    one zero each (or a zero at an end), ``unknown`` tiny undecided cells."""

    signs: list = field(default_factory=list)
    roots: list = field(default_factory=list)
    unknown: list = field(default_factory=list)
    complete: bool = True
    pruned: list = field(default_factory=list)


_SPLIT = arb(1) / 2 + arb(1) / 64 + arb(1) / 1024  # off-centre: avoid nice points


def _sign(b):
    return 1 if b > 0 else (-1 if b < 0 else 0)


def _exact_zero(b):
    return b.is_exact() and b.is_zero()


def isolate(h, dh, var, lo, hi, bits=64, min_width=1e-12, max_cells=3000,
            max_unknown=200, prune=None):
    """Isolate the zeros of ``h`` (derivative ``dh``) on the closed ``[lo, hi]``.

    ``prune(l, r)`` may declare a cell irrelevant (``pruned``: the caller has
    shown that nothing there matters, e.g. its values lie below a known one).

    ``h`` must be real-analytic on the interval (a smooth branch): a cell where
    ``dh`` is ≥ 0 (or ≤ 0) then holds at most one zero.
    """
    fh = h if callable(h) else arb_lambdify(stable(h), var)
    fd = dh if callable(dh) else arb_lambdify(stable(dh), var)
    out = Isolation()
    with workprec(bits):
        stack = [(arb_point(lo), arb_point(hi))]
        count = 0
        while stack:
            l, r = stack.pop()
            count += 1
            if count > max_cells:
                out.unknown.append((l, r))
                out.complete = False
                continue
            if prune is not None and prune(l, r):
                out.pruned.append((l, r))  # irrelevant to the caller (checked by it)
                continue
            ball = l.union(r)
            s = _sign(fh(ball))
            db = fd(ball)
            if not s and db.is_finite():  # the mean-value form: h(m) + h′(cell)·(x - m)
                m = ball.mid()
                s = _sign(fh(arb(m)) + db * (ball - m))
            if s:
                out.signs.append((l, r, s))
                continue
            d = 1 if db >= 0 else (-1 if db <= 0 else 0)
            if d:  # h′ ≥ 0 (or ≤ 0): h is monotone on the cell, and being analytic
                # and not constant there (it changes sign or has none), strictly so
                vl, vr = fh(l), fh(r)
                sl, sr = _sign(vl), _sign(vr)
                if sl and sl == sr:
                    out.signs.append((l, r, sl))
                    continue
                if (sl and sr) or _exact_zero(vl) or _exact_zero(vr):
                    out.roots.append((l, r))  # a sign change (or a zero at an end)
                    continue
                # an end's sign is unknown: no proof that a zero exists; split on
            width = (r - l).upper()
            if width < min_width * (1 + max(abs(l.mid()), abs(r.mid()))).upper() \
                    or len(out.unknown) >= max_unknown:
                out.unknown.append((l, r))
                continue
            m = l + (r - l) * _SPLIT
            stack.append((m, r))
            stack.append((l, m))
    return out


def refine(h, var, bracket, digits=30):
    """A tight arb ball holding the zero of ``h`` in ``bracket`` (h monotone there).

    Returns the original bracket's hull when the zero cannot be pinned down
    (the caller then reports fewer digits).
    """
    l, r = bracket
    fh_arb = arb_lambdify(stable(h), var)
    fh_mp = mp_lambdify(h, var)
    dps = digits + 15
    bits = int(dps * 3.33) + 16
    with workprec(bits):
        for end in (l, r):  # a zero exactly at an end of the bracket
            if end.is_exact():
                v = fh_arb(end)
                if v.is_exact() and v.is_zero():
                    return end
    with mpmath.workdps(dps):
        a, b = mpmath.mpf(l.mid().str(dps + 5, radius=False)), \
            mpmath.mpf(r.mid().str(dps + 5, radius=False))
        try:
            fa, fb = fh_mp(a), fh_mp(b)
            if fa == 0:
                z = a
            elif fb == 0:
                z = b
            elif fa * fb > 0:
                z = (a + b) / 2
            else:
                z = mpmath.findroot(fh_mp, (a, b), solver="anderson")
        except (ValueError, ZeroDivisionError, ArithmeticError):
            z = (a + b) / 2
    with workprec(bits):
        zc = arb(z)
        v = fh_arb(zc)
        if v.is_exact() and v.is_zero():
            return zc
        scale = max(1.0, abs(float(z)))
        for shift in (8, 24, 48, 96):
            eps = arb(2) ** (-(bits - shift)) * arb(scale)
            s1, s2 = _sign(fh_arb(zc - eps)), _sign(fh_arb(zc + eps))
            if s1 and s2 and s1 != s2:
                return (zc - eps).union(zc + eps)
    return l.union(r)
