"""Limits at ±∞ and one-sided limits at a point, exact when SymPy's limit
closes within its time budget, otherwise a numeric estimate that says so.

>>> from sympy import Symbol, Max, oo
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> limit(sigmoid(x), x, -oo).exact
0
>>> limit(Max(0, x) / x, x, 0, "+").exact
1
>>> limit(Max(0, x) / x, x, 0).note
'one-sided limits differ: 0 from the left, 1 from the right'
"""
from __future__ import annotations

import mpmath
import sympy
from sympy import S

from ..export.mp import mp_lambdify
from ..functions import elementary
from .budget import attempt
from .facts import Fact, exact_fact, mp_fact
from .pieces import check_input, pieces, strip_dirac

__all__ = ["limit", "branch_limit", "exact_limit", "SECONDS"]

#: budget for one SymPy limit
SECONDS = 2.0
#: |x| where the tail of the squeeze (:func:`_squeeze_limit`) starts
TAIL_CUT = 64
#: the squeeze gives up on small forms with more terms than this
MAX_TERMS = 40


def _sympy_limit(g, var, point, dirn):
    out = attempt(sympy.limit, elementary(g), var, point, dirn, seconds=SECONDS)
    if out.ok and (out.value.is_number or out.value in (S.Infinity, S.NegativeInfinity)) \
            and not out.value.has(sympy.AccumBounds, S.NaN, S.ComplexInfinity) \
            and out.value.is_extended_real is not False:
        return out.value, ""
    return None, out.reason or f"SymPy's limit gave {out.value}"


def _polynomial_limit(p, var, sign):
    """The limit of a polynomial at sign·∞ (its leading term decides)."""
    poly = sympy.Poly(p, var)
    n, lc = poly.degree(), poly.LC()
    if n <= 0:
        return lc
    s = lc.is_positive, lc.is_negative
    if not any(s):
        return None
    up = s[0] == (sign > 0 or n % 2 == 0)
    return S.Infinity if up else S.NegativeInfinity


def _squeeze_limit(g, var, sign):
    """The limit of ``g`` at sign·∞ by a rigorous squeeze, or None.

    In the small form of ``g`` (σ(u) = 1 - σ(-u), tanh, Φ, erf likewise where
    u grows on the tail: an exact rewrite, expanded), every term T for which
    ``var·T`` has a finite enclosure on the whole tail |x| ≥ 64
    (:func:`~symacts.analysis.tails.tail_bounds`) tends to 0, since
    |T(x)| ≤ M/|x| there. The limit is then that of the other terms when they
    form a polynomial (a constant included): exact, without SymPy's limit.

    >>> from sympy import Symbol, tanh
    >>> x = Symbol('x', real=True)
    >>> _squeeze_limit(x * (1 + tanh(x**3)) / 2, x, 1), _squeeze_limit(1 - tanh(x)**2, x, -1)
    (oo, 0)
    """
    from .tails import small_form, tail_bounds
    cut = S(TAIL_CUT * sign)
    try:
        form = small_form(g, var, cut, sign, collect=False)
    except Exception:  # noqa: BLE001 - no small form: SymPy's limit decides
        return None
    terms = sympy.Add.make_args(form)
    if len(terms) > MAX_TERMS:
        return None
    rest = []
    for t in terms:
        if not t.has(var) or t.is_polynomial(var):
            rest.append(t)
            continue
        try:
            if tail_bounds(var * t, var, cut, sign).finite:
                continue  # |t| ≤ M/|x| on the tail: t → 0
        except Exception:  # noqa: BLE001 - not enclosed: the term stays
            pass
        return None  # a term that neither vanishes nor is polynomial
    rest = sympy.Add(*rest)
    if not rest.is_polynomial(var):
        return None
    val = _polynomial_limit(rest, var, sign)
    if val is None or val.has(S.NaN, S.ComplexInfinity) or \
            not (val.is_number or val in (S.Infinity, S.NegativeInfinity)) or \
            val.is_extended_real is not True:
        return None
    return val


def exact_limit(g, var, point, dirn):
    """The exact limit of a smooth branch ``g`` (the squeeze at ±∞, then
    SymPy's limit under its budget): (value, "") or (None, reason)."""
    if point in (S.Infinity, S.NegativeInfinity) and g.has(var):
        val = _squeeze_limit(g, var, 1 if point is S.Infinity else -1)
        if val is not None:
            return val, ""
    return _sympy_limit(g, var, point, dirn)


def _numeric_at_infinity(g, var, sign, digits):
    """The value far out, accepted only when it has settled (numeric)."""
    f = mp_lambdify(g, var)
    vals = []
    with mpmath.workdps(digits + 20):
        for mag in (10**8, 10**16, 10**32):
            try:
                vals.append(f(sign * mpmath.mpf(mag)))
            except (ArithmeticError, ValueError):
                return None
    a, b, c = vals
    tol = mpmath.mpf(10) ** (-digits)
    if abs(c - b) <= tol * (1 + abs(c)) and abs(b - a) <= tol * (1 + abs(c)):
        return c
    return None


def branch_limit(g, var, point, dirn, digits=30, name="limit"):
    """Limit of one smooth branch ``g`` (no kinks) as a Fact."""
    if point not in (S.Infinity, S.NegativeInfinity):
        v = g.xreplace({var: point})
        if v.is_number and v.is_finite and v.is_extended_real:
            return exact_fact(name, sympy.nsimplify(v) if v.is_Float else v, digits)
    val, reason = exact_limit(g, var, point, dirn)
    if val is not None:
        return exact_fact(name, val, digits)
    if point in (S.Infinity, S.NegativeInfinity):
        num = _numeric_at_infinity(g, var, 1 if point is S.Infinity else -1, digits)
        if num is not None:
            return mp_fact(name, num, digits, "numeric",
                           note=f"value settled at |x| = 1e8..1e32; {reason}")
    return Fact(name, note=f"no limit found ({reason})")


def limit(expr, var=None, point=S.Infinity, direction="+-", digits=30):
    """The limit of ``expr`` as ``var`` → ``point`` from ``direction``
    ("+", "-" or "+-" for both sides) as a :class:`~symacts.analysis.facts.Fact`."""
    expr, var, _, _ = check_input(expr, var)
    expr = strip_dirac(expr)
    point = sympy.sympify(point)
    if direction not in ("+", "-", "+-"):
        raise ValueError(f"direction must be '+', '-' or '+-', got {direction!r}")
    name = f"lim {var}→{point}{'' if direction == '+-' else direction}"
    if point is S.Infinity or point is S.NegativeInfinity:
        ps = pieces(expr, var)
        g = ps[-1].branch if point is S.Infinity else ps[0].branch
        dirn = "-" if point is S.Infinity else "+"
        return branch_limit(g, var, point, dirn, digits, name)
    sides = []
    ps = pieces(expr, var)
    for d in ("-", "+"):
        if d not in direction:
            continue
        if d == "+":
            piece = next(p for p in ps if (p.hi > point) is S.true)
        else:
            piece = next(p for p in reversed(ps) if (p.lo < point) is S.true)
        sides.append((d, branch_limit(piece.branch, var, point, d, digits, name)))
    if len(sides) == 1:
        return sides[0][1]
    (_, left), (_, right) = sides
    if left.exact is not None and right.exact is not None:
        if sympy.simplify(left.exact - right.exact) == 0:
            return left
        return Fact(name, note=f"one-sided limits differ: {left.exact} from the left, "
                               f"{right.exact} from the right")
    return Fact(name, note="one-sided limits: "
                           f"{left.value_text()} from the left, {right.value_text()} "
                           "from the right")
