"""The mpmath backend: any SymPy expression as a function of mpmath numbers,
evaluated at the current mpmath precision, with the accurate kernels of
:mod:`symacts.functions` for σ, softplus, Φ, φ, logit.

:func:`mp_value` evaluates to a requested number of correct digits by
repeating at rising precision until two results agree (cancellation such as
``x - tanh(x)`` near 0 is then caught); for a rigorous enclosure use
:mod:`symacts.export.arb`.

>>> from sympy import Symbol, tanh
>>> from symacts.functions import Phi
>>> x = Symbol('x', real=True)
>>> f = mp_lambdify(x * Phi(x), x)
>>> mpmath.nstr(f(mpmath.mpf(-10)), 12)
'-7.61985302416e-23'
>>> mpmath.nstr(mp_value(x - tanh(x), x, "1e-8", digits=20), 20)
'3.3333333333333332e-25'
"""
from __future__ import annotations

import mpmath
from sympy import S

from ..functions import mp_Phi, mp_logit, mp_phi, mp_sigmoid, mp_softplus
from ._tree import Compiler

__all__ = ["MpCompiler", "mp_lambdify", "mp_value"]


class MpCompiler(Compiler):
    """Compile SymPy expressions to closures over mpmath numbers."""

    name = "the mpmath backend"

    def const(self, e):
        if e is S.Infinity:
            return mpmath.inf
        if e is S.NegativeInfinity:
            return -mpmath.inf
        if e.is_Integer:
            return mpmath.mpf(int(e))
        if e.is_Rational:
            return mpmath.mpf(int(e.p)) / int(e.q)
        if e.is_Float:
            return mpmath.mpf(e._mpf_)
        return mpmath.mpf(e._to_mpmath(mpmath.mp.prec + 10))  # pi, E, ...

    add = staticmethod(lambda a, b: a + b)
    mul = staticmethod(lambda a, b: a * b)

    @staticmethod
    def pow(base, e, exact):
        if exact is not None:
            if exact.is_Integer:
                return base ** int(exact)
            if exact.p == 1 and exact.q == 2:
                return mpmath.sqrt(base)
            return mpmath.power(base, mpmath.mpf(int(exact.p)) / int(exact.q))
        return mpmath.power(base, e)

    exp = staticmethod(mpmath.exp)
    log = staticmethod(mpmath.log)
    sin = staticmethod(mpmath.sin)
    cos = staticmethod(mpmath.cos)
    tan = staticmethod(mpmath.tan)
    tanh = staticmethod(mpmath.tanh)
    sinh = staticmethod(mpmath.sinh)
    cosh = staticmethod(mpmath.cosh)
    sech = staticmethod(mpmath.sech)
    atan = staticmethod(mpmath.atan)
    asin = staticmethod(mpmath.asin)
    acos = staticmethod(mpmath.acos)
    asinh = staticmethod(mpmath.asinh)
    acosh = staticmethod(mpmath.acosh)
    atanh = staticmethod(mpmath.atanh)
    erf = staticmethod(mpmath.erf)
    erfc = staticmethod(mpmath.erfc)
    abs = staticmethod(abs)
    sigmoid = staticmethod(mp_sigmoid)
    logit = staticmethod(mp_logit)
    Phi = staticmethod(mp_Phi)
    phi = staticmethod(mp_phi)

    @staticmethod
    def lambertw(a):
        return mpmath.lambertw(a).real

    @staticmethod
    def sign(a):
        return mpmath.mpf(mpmath.sign(a))

    @staticmethod
    def dirac(a):
        if a == 0:
            raise ValueError("DiracDelta at 0 has no value")
        return mpmath.mpf(0)

    @staticmethod
    def softplus(a, beta):
        return mp_softplus(a, beta)

    @staticmethod
    def heaviside(a, h0):
        return mpmath.mpf(1) if a > 0 else (mpmath.mpf(0) if a < 0 else h0)

    maximum = staticmethod(lambda a, b: max(a, b))
    minimum = staticmethod(lambda a, b: min(a, b))

    @staticmethod
    def compare(op, a, b):
        return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b,
                "eq": a == b, "ne": a != b}[op]

    @staticmethod
    def piecewise(pairs, v):
        for value, cond in pairs:
            if cond(v):
                return value(v)
        return mpmath.nan


def mp_lambdify(expr, var):
    """A function of one mpmath number (or several, if ``var`` is a list).

    >>> from sympy import Symbol
    >>> from symacts.functions import softplus
    >>> x = Symbol('x')
    >>> mpmath.nstr(mp_lambdify(softplus(x), x)(mpmath.mpf(-800)), 10)
    '3.667874584e-348'
    """
    variables = list(var) if isinstance(var, (list, tuple)) else [var]
    return MpCompiler().compile(expr, variables)


def mp_value(expr, var, at, digits=30, max_digits=4000):
    """``expr`` at ``var = at`` to ``digits`` significant digits (adaptive).

    ``at`` is converted exactly (a string such as ``"1e-8"`` is the decimal it
    names). Precision rises until two evaluations agree to ``digits`` digits;
    a value that is exactly 0 at every precision is returned as 0.

    >>> from sympy import Symbol, sin
    >>> x = Symbol('x')
    >>> mp_value(sin(x), x, 0)
    mpf('0.0')
    """
    f = mp_lambdify(expr, var) if not callable(expr) else expr
    dps = digits + 15
    prev = None
    while dps <= max_digits:
        with mpmath.workdps(dps):
            point = mpmath.mpf(at) if not isinstance(at, (list, tuple)) \
                else [mpmath.mpf(a) for a in at]
            val = f(*point) if isinstance(point, list) else f(point)
        if prev is not None:
            if val == prev or (val != 0 and
                               abs(val - prev) <= abs(val) * mpmath.mpf(10) ** (-digits - 2)):
                with mpmath.workdps(digits + 5):
                    return +val
        prev = val
        dps *= 2
    raise ArithmeticError(f"no {digits}-digit agreement up to {max_digits} digits "
                          f"(value near {mpmath.nstr(prev, 10)})")
