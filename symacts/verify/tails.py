"""A sign certificate for exponential expressions on a tail x = cut ± t, t > 0.

Each ``exp(c + a1·t + a2·t² + …)`` becomes ``e^c · Π E_i`` where, for a
monomial ``a·t^i`` with a > 0, ``E = 1 + a·t^i + s`` (s > 0 a fresh symbol:
e^u > 1 + u for u > 0), and for a < 0, ``E = 1/(1 + |a|·t^i + s)``. Proving the
result positive (or negative) for *all* positive t and s proves it for the
original (a stronger statement). The result is put over one denominator and
numerator and denominator are read as polynomials in the positive symbols:
when every coefficient has the same sign — decided by arb, rigorously — the
polynomial has that sign. No simplification is trusted.

>>> from sympy import Symbol, Rational
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> exp_poly_sign(x * sigmoid(x) + Rational(7, 25), x, -64, -1)   # silu(x) > -0.28 far left
1
>>> exp_poly_sign(sigmoid(x) - 1, x, 64, 1)
-1
"""
from __future__ import annotations

import sympy
from sympy import S, Symbol

__all__ = ["exp_poly_sign"]

MAX_TERMS = 400


def _coeff_sign(c):
    """+1, -1 (arb decides), 0 for an exact zero, None if undecided."""
    from ..export.arb import arb_lambdify, workprec
    if c == 0:
        return 0
    try:
        with workprec(256):
            b = arb_lambdify(sympy.sympify(c), [])()
    except Exception:  # noqa: BLE001
        return None
    if not b.is_finite():
        return None
    return 1 if b > 0 else (-1 if b < 0 else None)


def _coefficients(p, gens):
    """The coefficients of ``p`` as a polynomial in ``gens`` (None if it is not one)."""
    p = sympy.expand(p)
    if not p.free_symbols <= set(gens):
        return None
    try:
        poly = sympy.Poly(p, *gens)
    except sympy.PolynomialError:
        return None
    terms = poly.terms()
    return None if len(terms) > MAX_TERMS else [c for _, c in terms]


def _num_den(e, gens):
    """Coefficient lists of the numerator and denominator of ``e`` (one fraction)."""
    if sympy.count_ops(e) > 400:
        return None
    num, den = sympy.fraction(sympy.together(e))
    a = _coefficients(num, gens)
    b = _coefficients(den, gens) if a is not None else None
    return None if b is None else (a, b)


def _sign_of_all(coeffs):
    """+1 / -1 when every nonzero coefficient has that sign (arb), else None."""
    signs = {_coeff_sign(c) for c in coeffs} - {0}
    if len(signs) != 1 or None in signs:
        return None
    return signs.pop()


def exp_poly_sign(d, var, cut, side):
    """+1 / -1 when ``d`` has that sign for every x = cut + side·t, t > 0;
    None when this certificate does not apply (see the module docstring)."""
    from ..analysis.budget import attempt
    from ..functions import elementary
    t = Symbol("t", positive=True)
    try:
        e = elementary(sympy.sympify(d)).rewrite(sympy.exp)
    except Exception:  # noqa: BLE001
        return None
    bad = (sympy.log, sympy.erf, sympy.erfc, sympy.LambertW, sympy.Piecewise, sympy.Max,
           sympy.Min, sympy.Abs, sympy.Heaviside, sympy.sin, sympy.cos, sympy.sign)
    if any(a.has(var) for a in e.atoms(*bad)):
        return None
    if e.atoms(sympy.Function) - e.atoms(sympy.exp, *bad):
        if any(a.has(var) for a in e.atoms(sympy.Function) - e.atoms(sympy.exp, *bad)):
            return None  # an unknown function of x
    e = e.xreplace({var: cut + side * t})
    gens = [t]

    def rep(ex):
        arg = sympy.expand(ex.args[0])
        try:
            poly = sympy.Poly(arg, t)
        except sympy.PolynomialError:
            raise ValueError("exponent not polynomial in t") from None
        if poly.free_symbols - {t}:
            raise ValueError("exponent holds other symbols")
        out = sympy.exp(poly.coeff_monomial(1))
        for (i,), a in poly.terms():
            if i == 0:
                continue
            sg = _coeff_sign(a)
            if sg is None or sg == 0:
                raise ValueError("undecided exponent coefficient")
            s = Symbol(f"s{len(gens)}", positive=True)
            gens.append(s)
            grow = 1 + abs(a) * t**i + s  # = e^(|a| t^i) for some s > 0
            out *= grow if sg > 0 else 1 / grow
        return out
    try:
        e = e.replace(lambda a: isinstance(a, sympy.exp), rep)
    except ValueError:
        return None
    if any(a.args[0].has(t) for a in e.atoms(sympy.exp)):
        return None
    # a budget: expansion can blow up (attempt memoises by function and args)
    out = attempt(_num_den, e, tuple(gens), seconds=1.0)
    if not out.ok or out.value is None:
        return None
    num, den = out.value
    sn = _sign_of_all(num)
    sd = _sign_of_all(den) if sn else None
    if not sn or not sd:
        return None
    return sn * sd
