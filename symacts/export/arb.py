"""The arb backend: rigorous enclosures of a SymPy expression with python-flint.

A compiled function maps arb balls to an arb ball that is guaranteed to hold
every value of the expression over the input ball. Monotone functions are
evaluated at the ball's end points (tight for wide balls); Piecewise, Max,
Min, Abs and Heaviside split on conditions that arb decides, and take the
union of every branch that may apply when it cannot. A NaN ball means "no
enclosure" (a branch undefined on part of the ball, a pole): callers must
treat it as undecided, never as a value.

>>> from sympy import Symbol
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> f = arb_lambdify(sigmoid(x) * (1 - sigmoid(x)), x)
>>> with workprec(64):
...     y = f(interval(-1, 1))
>>> y.contains(arb(1) / 4) and y.upper() < 0.54  # encloses σ' on [-1, 1]
True
>>> print(arb_value(sigmoid(x), x, 2, digits=20).str(20))
[0.88079707797788244406 +/- ...]
"""
from __future__ import annotations

import contextlib

import sympy
from flint import arb, ctx, fmpq
from sympy import S

from ._tree import Compiler

__all__ = ["ArbCompiler", "arb_lambdify", "arb_value", "interval", "workprec",
           "to_arb", "is_finite_ball"]


@contextlib.contextmanager
def workprec(bits):
    """Run arb arithmetic at ``bits`` bits of working precision."""
    old = ctx.prec
    ctx.prec = int(bits)
    try:
        yield
    finally:
        ctx.prec = old


def to_arb(value):
    """An exact number (SymPy, int, str decimal, fraction) as an arb ball.

    >>> to_arb("1/3").contains(arb(1) / 3)
    True
    """
    if isinstance(value, arb):
        return value
    v = sympy.nsimplify(value, rational=True) if isinstance(value, float) \
        else sympy.Rational(value) if isinstance(value, (int, str)) else sympy.sympify(value)
    if v.is_Rational:
        return arb(fmpq(int(v.p), int(v.q)))
    f = ArbCompiler().compile(v, [])
    return f()


def interval(lo, hi):
    """The smallest ball (at the working precision) holding ``[lo, hi]``.

    >>> b = interval(0, 1)
    >>> b.contains(0) and b.contains(1)
    True
    """
    a, b = to_arb(lo), to_arb(hi)
    return a.union(b)


def is_finite_ball(b):
    """True when ``b`` is a finite ball (not NaN, not infinite)."""
    return b.is_finite()


def _hull(*balls):
    out = balls[0]
    for b in balls[1:]:
        out = out.union(b)
    return out


def _monotone(f):
    """Lift a monotone point function to balls via the end points."""
    def lifted(x):
        if x.is_exact() or x.rad() < 1e-30 * (abs(x.mid()) + 1):
            return f(x)
        if not x.is_finite():
            return arb.nan()
        return _hull(f(x.lower()), f(x.upper()))
    return lifted


def _square(x):
    """x² for a ball; around 0 the ball [0, m²] (its lower end may dip a hair
    below 0 in midpoint-radius form: use it through monotone functions)."""
    if not x.is_finite():
        return x * x
    if x >= 0 or x <= 0:  # monotone in |x|: the squares of the ends
        lo, hi = x.lower(), x.upper()
        return _hull(lo * lo, hi * hi)
    m = x.abs_upper()
    return arb(0).union(m * m)


def _sqrt_ball(b):
    """√b for a ball whose lower end may dip a hair below 0 only through the
    midpoint-radius form of [0, a] (as from _square: a relative 2^-24 or less)."""
    if b.is_finite() and not b >= 0 and b.upper() > 0 and \
            b.lower() > -b.upper() * arb(2) ** -24:
        return _hull(arb(0), b.upper().sqrt())
    return _monotone(lambda t: t.sqrt())(b)


def _sigmoid_point(x):
    return 1 / (1 + (-x).exp())


def _softplus_point(t):
    if t > 0:
        return t + (-t).exp().log1p()
    return t.exp().log1p()


class ArbCompiler(Compiler):
    """Compile SymPy expressions to closures over arb balls."""

    name = "the arb backend"

    def const(self, e):
        if e is S.Infinity:
            return arb("inf")
        if e is S.NegativeInfinity:
            return arb("-inf")
        if e.is_Rational:
            return arb(fmpq(int(e.p), int(e.q)))
        if e.is_Float:
            r = sympy.Rational(e)
            return arb(fmpq(int(r.p), int(r.q)))
        if e is S.Pi:
            return arb.pi()
        if e is S.Exp1:
            return arb.const_e()
        if e is S.EulerGamma:
            return arb.const_euler()
        if e is S.Catalan:
            return arb.const_catalan()
        raise ValueError(f"no arb constant for {e}")

    add = staticmethod(lambda a, b: a + b)
    mul = staticmethod(lambda a, b: a * b)

    @staticmethod
    def pow(base, e, exact):
        if exact is None:
            return (base.log() * e).exp()
        if exact.is_Integer:
            n = int(exact)
            if n == 0:
                return arb(1)
            if n % 2 == 0:
                sq = _square(base)
                out = sq ** (abs(n) // 2)
            else:
                out = base ** abs(n)
            return 1 / out if n < 0 else out
        p, q = int(exact.p), int(exact.q)
        if q == 2:
            root = _sqrt_ball(base)
            return ArbCompiler.pow(root, None, sympy.Integer(p))
        return (base.log() * arb(fmpq(p, q))).exp()

    exp = staticmethod(_monotone(lambda t: t.exp()))
    log = staticmethod(_monotone(lambda t: t.log()))
    tanh = staticmethod(_monotone(lambda t: t.tanh()))
    sinh = staticmethod(_monotone(lambda t: t.sinh()))
    atan = staticmethod(_monotone(lambda t: t.atan()))
    asin = staticmethod(_monotone(lambda t: t.asin()))
    acos = staticmethod(_monotone(lambda t: t.acos()))
    asinh = staticmethod(_monotone(lambda t: t.asinh()))
    acosh = staticmethod(_monotone(lambda t: t.acosh()))
    atanh = staticmethod(_monotone(lambda t: t.atanh()))
    erf = staticmethod(_monotone(lambda t: t.erf()))
    erfc = staticmethod(_monotone(lambda t: t.erfc()))
    sigmoid = staticmethod(_monotone(_sigmoid_point))
    logit = staticmethod(_monotone(lambda p: p.log() - (-p).log1p()))
    Phi = staticmethod(_monotone(lambda t: (-t / arb(2).sqrt()).erfc() / 2))
    lambertw = staticmethod(_monotone(lambda t: t.lambertw()))
    sin = staticmethod(lambda t: t.sin())
    cos = staticmethod(lambda t: t.cos())
    tan = staticmethod(lambda t: t.tan())

    @staticmethod
    def cosh(t):
        if t >= 0 or t <= 0:
            return _monotone(lambda u: u.cosh())(t.abs_lower().union(t.abs_upper())
                                                  if t.is_finite() else t)
        # a ball around 0: cosh is ≥ 1 there and largest at the farther end
        return arb(1).union(t.abs_upper().cosh()) if t.is_finite() else arb.nan()

    @staticmethod
    def sech(t):
        return 1 / ArbCompiler.cosh(t)

    @staticmethod
    def phi(t):
        c = 1 / (2 * arb.pi()).sqrt()
        if not t.is_finite():
            return arb.nan()
        if t >= 0 or t <= 0:  # decreasing in |t|
            return _monotone(lambda u: (-u * u / 2).exp() * c)(
                t.abs_lower().union(t.abs_upper()))
        # around 0: φ is largest (1/√(2π)) at 0 and smallest at the farther end
        return c.union((-(t.abs_upper() ** 2) / 2).exp() * c)

    @staticmethod
    def abs(t):
        if t >= 0:
            return t
        if t <= 0:
            return -t
        return arb(0).union(t.abs_upper())

    @staticmethod
    def sign(t):
        if t > 0:
            return arb(1)
        if t < 0:
            return arb(-1)
        if t.is_zero():
            return arb(0)
        return arb(-1).union(arb(1))

    @staticmethod
    def dirac(t):
        if t > 0 or t < 0:
            return arb(0)
        return arb.nan()

    @staticmethod
    def softplus(t, beta):
        if not beta > 0:
            return arb.nan()
        return _monotone(_softplus_point)(t * beta) / beta

    @staticmethod
    def heaviside(t, h0):
        if t > 0:
            return arb(1)
        if t < 0:
            return arb(0)
        if t.is_zero():
            return h0
        return _hull(arb(0), arb(1), h0)

    @staticmethod
    def maximum(a, b):
        if a >= b:
            return a
        if b >= a:
            return b
        return _hull(a.lower().max(b.lower()), a.upper().max(b.upper()))

    @staticmethod
    def minimum(a, b):
        if a <= b:
            return a
        if b <= a:
            return b
        return _hull(a.lower().min(b.lower()), a.upper().min(b.upper()))

    @staticmethod
    def compare(op, a, b):
        if op == "lt":
            return True if a < b else (False if a >= b else None)
        if op == "le":
            return True if a <= b else (False if a > b else None)
        if op == "gt":
            return True if a > b else (False if a <= b else None)
        if op == "ge":
            return True if a >= b else (False if a < b else None)
        if op == "eq":
            return True if (a == b and a.is_exact()) else (False if a != b else None)
        if op == "ne":
            return True if a != b else (False if (a == b and a.is_exact()) else None)
        raise ValueError(op)

    @staticmethod
    def piecewise(pairs, v):
        possible = []
        for value, cond in pairs:
            c = cond(v)
            if c is False:
                continue
            possible.append(value(v))
            if c is True:
                break
        else:
            if not possible:
                return arb.nan()
        if not possible:
            return arb.nan()
        return _hull(*possible)


def arb_lambdify(expr, var):
    """A function from arb balls to an arb enclosure of ``expr``.

    >>> from sympy import Symbol, Max
    >>> x = Symbol('x', real=True)
    >>> f = arb_lambdify(Max(0, x), x)
    >>> f(interval(-1, 2)).contains(0) and f(interval(-1, 2)).contains(2)
    True
    """
    variables = list(var) if isinstance(var, (list, tuple)) else [var]
    return ArbCompiler().compile(expr, variables)


def arb_value(expr, var, at, digits=30, max_bits=20000):
    """A ball for ``expr`` at ``var = at`` with at least ``digits`` correct digits.

    The working precision doubles until the ball is that narrow (relative to
    its value); an exact zero is returned as the ball 0.

    >>> from sympy import Symbol
    >>> from symacts.functions import Phi
    >>> x = Symbol('x', real=True)
    >>> print(arb_value(Phi(x), x, -10, digits=15).str(15))
    [7.61985302416053e-24 +/- ...]
    """
    f = arb_lambdify(expr, var) if not callable(expr) else expr
    want = int(digits * 3.33) + 4
    bits = want + 30
    while bits <= max_bits:
        with workprec(bits):
            point = [to_arb(a) for a in at] if isinstance(at, (list, tuple)) \
                else [to_arb(at)]
            val = f(*point)
            if val.is_finite() and (val.is_zero() or val.rel_accuracy_bits() >= want):
                return val
        bits *= 2
    raise ArithmeticError(f"could not enclose {expr} at {at} to {digits} digits "
                          f"within {max_bits} bits")
