"""Scale a positive parameter out of an operand: many activations depend on
β only through βx (softplus_β(x) = softplus(βx)/β, swish_β(x) = swish(βx)/β,
celu_α(x) = α·celu(x/α)). When ``f(x, p) = p^(-k)·g(p^m·x)`` exactly, with
p > 0 and x ranging over ℝ, then sup_x f = p^(-k)·sup_u g(u) and
argmax_x f = p^(-m)·argmax_u g(u): a one-variable problem for the analysis
engine.

>>> from sympy import Symbol, Max
>>> from symacts.functions import softplus
>>> x, b = Symbol('x', real=True), Symbol('beta', positive=True)
>>> g, u, k, m = scale_out(softplus(x, b) - Max(0, x), x, b)
>>> g.subs(u, Symbol('u')), k, m
(log(exp(u) + 1) - Max(0, u), 1, 1)
"""
from __future__ import annotations

import sympy
from sympy import Dummy, S

from ..functions import elementary

__all__ = ["scale_out"]

#: powers tried for k and m
_POWERS = (1, -1, 2, -2)


def _pull(e, p):
    """Max/Min/Abs/Heaviside with a common positive factor p^j taken out (p > 0)."""
    def rule(t):
        args = t.args if not isinstance(t, sympy.Heaviside) else t.args[:1]
        for j in (1, -1):
            scaled = [sympy.expand(a * p**j) for a in args]
            if any(s.has(p) for s in scaled):
                continue
            if isinstance(t, sympy.Heaviside):  # H(c·a) = H(a) for c > 0
                return sympy.Heaviside(scaled[0], *t.args[1:])
            return type(t)(*scaled) * p**(-j)
        return t
    def rel(t):  # a·c > 0 ⟺ a > 0 for c > 0 (Piecewise conditions)
        side = t.lhs - t.rhs
        for j in (1, -1):
            s = sympy.expand(side * p**j)
            if not s.has(p):
                return type(t)(s, 0)
        return t
    e = e.replace(lambda t: isinstance(t, sympy.core.relational.Relational) and t.has(p),
                  rel)
    return e.replace(lambda t: isinstance(t, (sympy.Max, sympy.Min, sympy.Abs,
                                              sympy.Heaviside)) and t.has(p), rule)


def _agrees(f, g, var, u, p, k, m):
    """f(x, p) = p^(-k)·g(p^m·x) at a few points, by mpmath at 40 digits."""
    import mpmath
    with mpmath.workdps(40):
        for pv, xv in ((S(7) / 10, S(9) / 10), (S(23) / 10, -S(13) / 10), (S(3), S(1) / 3)):
            a = f.xreplace({var: xv, p: pv})
            b = pv**(-k) * g.xreplace({u: pv**m * xv})
            try:
                da, db = sympy.N(a, 40), sympy.N(b, 40)
            except (TypeError, ValueError, ArithmeticError):
                return False
            if not (da.is_real and db.is_real):
                return False
            if abs(da - db) > S(10)**-30 * (1 + abs(db)):
                return False
    return True


def scale_out(f, var, p):
    """``(g, u, k, m)`` with f(x, p) = p^(-k)·g(p^m·x) exactly for p > 0, or None.

    ``g`` is free of ``p``; ``u`` is a fresh real symbol. The identity is exact
    algebra (p > 0 assumed where a factor is taken out of Max, Min, Abs,
    Heaviside) and checked by mpmath at three points.
    """
    if not f.has(p) or not f.has(var):
        return None
    u = Dummy("u", real=True)
    e0 = elementary(f)
    for m in (1, -1):
        e = _pull(e0.xreplace({var: u * p**(-m)}), p)
        for k in (0,) + _POWERS:
            try:
                g = sympy.expand(sympy.piecewise_fold(e * p**k))
            except (TypeError, ValueError):
                return None
            if not g.has(p):
                g = sympy.powsimp(g)
                return (g, u, k, m) if _agrees(e0, g, var, u, p, k, m) else None
    return None
