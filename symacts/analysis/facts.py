"""Facts: a value with its exact form (when known), a rigorous enclosure or a
high-precision check, a decimal, and how it was obtained.

``method`` is one of ``symbolic`` (exact, derived by SymPy), ``certified``
(an arb ball encloses the value), ``quadrature`` (mpmath quadrature at raised
precision, error estimate checked) or ``numeric`` (anything weaker; ``note``
says why).

>>> from sympy import log
>>> f = exact_fact("gap", log(2))
>>> f.decimal
'0.693147180559945309417232121458'
>>> f.to_dict()["method"]
'symbolic'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy
from flint import arb
from sympy import S, Symbol

from ..export.arb import arb_value

__all__ = ["Fact", "Extremum", "METHODS", "exact_fact", "ball_fact", "mp_fact",
           "enclose", "ball_decimal", "digits_correct", "jsonable"]

#: how a value was obtained; "none": there is no value (the note says why)
METHODS = ("symbolic", "certified", "quadrature", "numeric", "none")
_DUMMY = Symbol("_u", real=True)


def enclose(value, digits=30):
    """An arb ball holding the exact SymPy number ``value`` to ``digits`` digits.

    >>> print(enclose(sympy.pi, 20).str(20))
    [3.1415926535897932385 +/- ...]
    """
    value = sympy.sympify(value)
    try:
        return arb_value(value, _DUMMY, 0, digits=digits, max_bits=4000)
    except ArithmeticError:
        pass
    from ..export.arb import arb_lambdify, workprec
    with workprec(4000):
        ball = arb_lambdify(value, _DUMMY)(arb(0))
    if ball.is_finite() and ball.contains(0):
        return ball  # |value| below 2^-4000 or so: the caller decides about zero
    raise ArithmeticError(f"could not enclose {sympy.sstr(value)[:80]}")


def ball_decimal(ball, digits=30):
    """The correct leading digits of an arb ball (at most ``digits``) as text."""
    if ball is None:
        return ""
    if ball.is_exact() and ball.is_zero():
        return "0"
    if not ball.is_finite():
        return "nan"
    if not ball.contains(0) and ball.rel_accuracy_bits() < 4:
        # not one correct digit: the midpoint, for a numeric fact only
        return ball.mid().str(6, radius=False)
    if ball.contains(0) and ball.rad() > 1e-20:
        return ball.mid().str(6, radius=False)
    return ball.str(digits, radius=False)


def digits_correct(ball, digits):
    """True when ``ball`` pins down ``digits`` significant digits (or is 0)."""
    return ball is not None and ball.is_finite() and (
        (ball.is_exact() and ball.is_zero()) or
        (not ball.contains(0) and ball.rel_accuracy_bits() >= digits * 3.32))


def is_zero_cheaply(value):
    """True when a cheap exact rewrite shows ``value`` (a finite number) is 0:
    textbook functions to erf/erfc/exp, one fraction, numerator expanded.
    False means only "not shown".

    >>> from sympy import sqrt, pi, exp, erfc
    >>> from symacts.functions import Phi
    >>> is_zero_cheaply(2 * Phi(-1) - erfc(sqrt(2) / 2))
    True
    """
    from ..functions import elementary
    if sympy.count_ops(value) > 2000:
        return False
    try:
        e = elementary(value).rewrite(sympy.erfc)
        return sympy.expand(sympy.fraction(sympy.together(e))[0]) == 0
    except (TypeError, ValueError, ArithmeticError):
        return False


def _as_decimal_exact(value, digits):
    if value is S.Infinity:
        return "oo", None
    if value is S.NegativeInfinity:
        return "-oo", None
    if value == 0:
        return "0", arb(0)
    ball = enclose(value, digits)
    if ball.contains(0) and not ball.is_zero():
        if is_zero_cheaply(value):
            return "0", arb(0)
        from .budget import attempt
        out = attempt(sympy.simplify, value, seconds=2.0)
        if out.ok and out.value == 0:
            return "0", arb(0)
        return f"0 (|value| < {ball.abs_upper().str(3, radius=False)})", ball
    return ball_decimal(ball, digits), ball


def jsonable(v):
    """Plain data for JSON: SymPy → text, arb → text, Facts → dicts."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if v == v and abs(v) != float("inf") else str(v)
    if isinstance(v, Fact):
        return v.to_dict()
    if isinstance(v, arb):
        return v.str(40)
    if isinstance(v, mpmath.mpf):
        return mpmath.nstr(v, 40)
    if isinstance(v, sympy.Interval):
        return {"interval": [jsonable(v.start), jsonable(v.end)],
                "left_open": bool(v.left_open), "right_open": bool(v.right_open)}
    if isinstance(v, sympy.Basic):
        return sympy.sstr(v)
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    return str(v)


@dataclass
class Fact:
    """One derived value: exact form, enclosure, decimal, method, where, note.

    >>> Fact("one", sympy.Integer(1), None, "1", "symbolic").text()
    'one = 1'
    """

    name: str
    exact: Any = None
    enclosure: Any = None
    decimal: str = ""
    method: str = "numeric"
    where: Any = None
    note: str = ""

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}")

    @property
    def known(self):
        """True when the fact holds a value (exact or decimal)."""
        return self.exact is not None or bool(self.decimal)

    def __float__(self):
        if self.exact is not None:
            return float(self.exact)
        return float(self.decimal) if self.decimal not in ("", "nan") else float("nan")

    def value_text(self):
        """``exact ≈ decimal``, or just one of them."""
        if self.exact is not None:
            ex = sympy.sstr(self.exact)
            if self.decimal and self.decimal not in (ex, "oo", "-oo") and \
                    not self.exact.is_Integer:
                return f"{ex} ≈ {self.decimal}"
            return ex
        return self.decimal or "unknown"

    def text(self):
        return f"{self.name} = {self.value_text()}"

    def to_dict(self):
        d = {"name": self.name,
             "exact": None if self.exact is None else sympy.sstr(self.exact),
             "latex": None if self.exact is None else sympy.latex(self.exact),
             "decimal": self.decimal, "method": self.method,
             "enclosure": None if self.enclosure is None else self.enclosure.str(40),
             "where": jsonable(self.where), "note": self.note}
        return d


@dataclass
class Extremum(Fact):
    """A supremum or infimum: ``attained`` and the ``argument`` where it is.

    ``argument`` is an exact point, a :class:`Fact` (certified point), an
    Interval (attained on all of it), ``oo``/``-oo`` (approached only in a
    limit), or a list of several of those.
    """

    attained: bool = False
    argument: Any = None

    def to_dict(self):
        d = super().to_dict()
        d["attained"] = self.attained
        d["argument"] = jsonable(self.argument)
        return d


def exact_fact(name, value, digits=30, method="symbolic", where=None, note=""):
    """A Fact for an exact SymPy value (decimal from an arb enclosure)."""
    value = sympy.sympify(value)
    dec, ball = _as_decimal_exact(value, digits)
    if dec == "0":  # shown exactly zero
        value = S.Zero
    elif ball is not None and sympy.count_ops(value) > 40:
        value = _plainer(value, ball)
    return Fact(name, value, ball, dec, method, where, note)


def _plainer(value, ball):
    """A long exact ``value`` that is a small rational (SELU's E[f(Z)²] = 1),
    when the difference is shown exactly zero; else ``value`` itself."""
    try:
        mid = mpmath.mpf(ball.mid().str(40, radius=False))
        if not mid or abs(mid) > 10**6 or abs(mid) < mpmath.mpf(10) ** -6:
            return value
        r = sympy.Rational(mpmath.nstr(mid, 15)).limit_denominator(64)
    except (ValueError, TypeError, ArithmeticError):
        return value
    if r == 0 or abs(mid - mpmath.mpf(r.p) / r.q) > abs(mid) * mpmath.mpf(10) ** -25:
        return value
    return r if is_zero_cheaply(value - r) else value


def ball_fact(name, ball, digits=30, method="certified", where=None, note="",
              exact=None):
    """A Fact for a value known as an arb ball."""
    return Fact(name, exact, ball, ball_decimal(ball, digits), method, where, note)


def mp_fact(name, value, digits=30, method="quadrature", where=None, note=""):
    """A Fact for an mpmath value computed (and checked) at raised precision."""
    if value == 0:
        dec = "0"
    else:
        dec = mpmath.nstr(value, digits, strip_zeros=False, min_fixed=-5,
                          max_fixed=digits + 1)
    return Fact(name, None, None, dec, method, where, note)
