"""Numeric primitives the stable rewrite rules produce: SymPy functions that
stand for one accurate float kernel each (``expm1``, ``log1p``, ``sech²``,
``erfcx``, ``log σ``, ``√(1 + u²)``, the Mills ratio, a scaled Gaussian).

They never simplify themselves; :func:`elementary` turns them back into the
formula they stand for, so a rewrite can be checked at high precision.

>>> from sympy import Symbol
>>> x = Symbol('x', real=True)
>>> elementary(Expm1(x) + Sech2(x))
exp(x) - 1 + cosh(x)**(-2)
"""
from __future__ import annotations

from sympy import Function, Max, Min, Piecewise, S, cosh, erfc, exp, log, pi, sin, sqrt

from ..functions import Phi, phi, sigmoid, softplus

__all__ = ["Clip", "Select", "SinSq", "SinShift", "Times", "DivPow", "Recip1pSq", "ExpNegSq", "Expm1", "Log1p", "Sech2", "Erfcx", "LogSigmoid", "SoftplusBeta", "Hypot1",
           "Mills", "GaussScaled", "ExpRatio", "NODES", "elementary"]


class _Node(Function):
    """A numeric primitive: printed as one kernel, never auto-simplified."""

    @classmethod
    def eval(cls, *args):
        return None

    def definition(self):  # pragma: no cover - every node overrides it
        raise NotImplementedError

    def _eval_is_real(self):
        return all(a.is_extended_real for a in self.args) or None


class Expm1(_Node):
    """exp(u) - 1 without cancellation near u = 0."""
    nargs = 1

    def definition(self):
        return exp(self.args[0]) - 1


class Log1p(_Node):
    """log(1 + u) without cancellation near u = 0."""
    nargs = 1

    def definition(self):
        return log(1 + self.args[0])


class Sech2(_Node):
    """sech(u)² = 1 - tanh(u)², computed without the cancellation."""
    nargs = 1

    def definition(self):
        return 1 / cosh(self.args[0])**2


class Erfcx(_Node):
    """The scaled complementary error function exp(u²) erfc(u)."""
    nargs = 1

    def definition(self):
        u = self.args[0]
        return exp(u**2) * erfc(u)


class LogSigmoid(_Node):
    """log σ(u) = -softplus(-u), without underflow of σ."""
    nargs = 1

    def definition(self):
        return log(sigmoid(self.args[0]))


class SoftplusBeta(_Node):
    """softplus(c·u)/c for a number c > 0 (PyTorch's ``Softplus(beta)``): its
    tail e^(c·u)/c needs c·u unrounded (26 ULP at c = 10, u = -3.25) and
    c·u may overflow where the value is u (c = 1e6, u = 8e302)."""
    nargs = 2

    def definition(self):
        u, c = self.args
        return softplus(c * u) / c


class Hypot1(_Node):
    """√(1 + u²) without overflow of u²."""
    nargs = 1

    def definition(self):
        return sqrt(1 + self.args[0]**2)


class Mills(_Node):
    """The ratio Φ(u)/φ(u) = √(π/2) erfcx(-u/√2), finite and smooth for u < 0."""
    nargs = 1

    def definition(self):
        return Phi(self.args[0]) / phi(self.args[0])


class GaussScaled(_Node):
    """c·exp(-u²/2) for a cofactor c, with u² split exactly and c applied
    before the result can underflow (subnormal results stay accurate)."""
    nargs = 2

    def definition(self):
        u, c = self.args
        return c * exp(-u**2 / 2)


class ExpNegSq(_Node):
    """c·exp(-u²), like :class:`GaussScaled` (u² split exactly, c first)."""
    nargs = 2

    def definition(self):
        u, c = self.args
        return c * exp(-u**2)


class Times(_Node):
    """c·v kept as written (SymPy would distribute 1/6·(x + 3) back into x/6 + 1/2)."""
    nargs = 2

    def definition(self):
        return self.args[0] * self.args[1]


class DivPow(_Node):
    """c/u^n (n a positive integer) as n divisions, ((c/u)/u)/..., so no power
    of u is formed: it cannot overflow while the value is a float, and it
    rounds n times (c/x³ as c·(1/x)³ reaches 3.2 ULP, as c/x/x/x 1.8,
    measured). The far-field form of a ratio of polynomials
    (``rules.far_field``)."""
    nargs = 3

    def definition(self):
        c, u, n = self.args
        return c / u**n


class Recip1pSq(_Node):
    """1/(1 + u²) without overflow of u² (then (1/u)²)."""
    nargs = 1

    def definition(self):
        return 1 / (1 + self.args[0]**2)


class ExpRatio(_Node):
    """t^k·(c0 + t·R(t))/(1 + t·W(t)) with t = e^u: a rational function of one
    exponential (``rules.exp_tails``). Args: u, c0 (an expression in x), R and
    W as Tuples of coefficients, highest power first (R's may hold x, W's
    are numbers), and k, the order of the zero in t (a fifth argument only
    where k > 1: mish''s right tail). Printed as ``k_exp_ratio``: one
    exponential's error, the sum c0 + t·R compensated, the product with t^k
    rounded once.

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> ExpRatio(x, 1, (0,), (0,), 2).definition()
    exp(2*x)
    """
    nargs = (4, 5)

    def definition(self):
        u, c0, r, w = self.args[:4]
        k = self.args[4] if len(self.args) > 4 else 1
        t = exp(u)
        rr = sum((c * t**j for j, c in enumerate(reversed(r))), S.Zero)
        ww = sum((c * t**j for j, c in enumerate(reversed(w))), S.Zero)
        return t**k * (c0 + t * rr) / (1 + t * ww)


class SinSq(_Node):
    """sin²(u + s·π/32) for an integer s (0 <= s < 32; sin² has period π):
    the shift is an argument, so it is not rounded (1 + sin 2x = 2 sin²(x +
    π/4) vanishes where x + π/4 is a multiple of π, which x + 0.785... in
    floats never is). Printed as ``k_sin_sq`` (NumPy: the argument reduced
    exactly, sin as a double-double, the square and the sums it meets
    rounded once); by its trigonometric expansion where that kernel is
    missing (``sin_sq_plain``).

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> SinSq(x, 8).definition()
    sin(x + pi/4)**2
    """
    nargs = 2

    def definition(self):
        u, s = self.args
        return sin(u + s * pi / 32)**2


class SinShift(_Node):
    """sin(u + s·π/32) for an integer s (0 <= s < 64), the shift not rounded
    (``rules.one_plus_sin``: sin²A - cos²A = sin(2A - π/2)). Printed with
    ``k_sin_dd`` (the argument reduced exactly); by its expansion where that
    kernel is missing (``sin_shift_plain``).

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> SinShift(2 * x, 48).definition()   # SymPy folds the shift: the node keeps it
    -cos(2*x)
    """
    nargs = 2

    def definition(self):
        u, s = self.args
        return sin(u + s * pi / 32)


def sin_shift_plain(u, s):
    """sin(u + sπ/32) without adding the shift to u: sin u·cos c + cos u·sin c.

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> sin_shift_plain(x, 48)
    -cos(x)
    """
    from sympy import cos
    c = (int(s) % 64) * pi / 32
    return sin(u) * cos(c) + cos(u) * sin(c)


def sin_sq_plain(u, s):
    """sin²(u + sπ/32) without adding the shift to u: sin(u)², cos(u)², (1 ±
    2 sin u cos u)/2 for s = 0, 16, ±8, else (sin u·cos c + cos u·sin c)².

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> sin_sq_plain(x, 24)
    -sin(x)*cos(x) + 1/2
    """
    from sympy import cos
    s = int(s) % 32
    if s == 0:
        return sin(u)**2
    if s == 16:
        return cos(u)**2
    if s in (8, 24):
        return S.Half + (1 if s == 8 else -1) * sin(u) * cos(u)
    c = s * pi / 32
    return (sin(u) * cos(c) + cos(u) * sin(c))**2


class Clip(_Node):
    """u clamped to [lo, hi] (numbers, or -oo/oo for one side), printed as
    ``np.clip``/``np.maximum``/``np.minimum``. ``mode`` picks which zero a
    tie returns (a comparison cannot tell ±0 apart; NumPy returns one of its
    operands): 0 ``np.clip``, 1 bound first (``np.maximum(lo, u)``: u at a
    tie), 2 u first (the bound at a tie); + 4, a bound 0 is printed -0.0
    (``NumpyPrinter.clip``; ``printer.fast_select`` tries them all).

    >>> from sympy import Symbol, oo
    >>> x = Symbol('x', real=True)
    >>> Clip(x, -1, oo, 0).definition()
    Max(-1, x)
    """
    nargs = 4

    def definition(self):
        u, lo, hi, _ = self.args
        return Max(lo, Min(hi, u))


class Select(_Node):
    """a where cond holds, else b (numbers; or b = 0 and any a): printed as
    arithmetic on the boolean mask (``mask * (a - b) + b``, ``a * mask + 0.0``),
    not a branchy ``np.where``.

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> Select(x > 1, 3, 0).definition()
    Piecewise((3, x > 1), (0, True))
    """
    nargs = 3

    def definition(self):
        c, a, b = self.args
        return Piecewise((a, c), (b, True))

    def _eval_is_real(self):
        return True


NODES = (Clip, Select, SinSq, SinShift, ExpRatio, Times, DivPow, Recip1pSq, ExpNegSq, Expm1, Log1p, Sech2, Erfcx, LogSigmoid, Hypot1, Mills, GaussScaled)


def elementary(expr):
    """Replace every numeric primitive by the formula it stands for."""
    return expr.replace(lambda e: isinstance(e, _Node), lambda e: e.definition())

