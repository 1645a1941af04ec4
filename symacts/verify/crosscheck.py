"""Numeric cross-checks of values SymPy computed in closed form (``integrate``,
``limit``): SymPy has wrong results, so a closed form is compared at a few
parameter points with an independent mpmath computation (quadrature split at
the kinks; the function evaluated ever closer to the limit point). A clear
disagreement is a BUG in the evidence and the value is not used.

>>> from sympy import Symbol, exp, sqrt, pi, oo
>>> t = Symbol('t', real=True)
>>> integral_mismatch(exp(-t**2/2), t, -oo, oo, sqrt(2*pi), {})
''
>>> integral_mismatch(exp(-t**2/2), t, -oo, oo, sqrt(pi), {}) != ''
True
"""
from __future__ import annotations

import mpmath
import sympy
from sympy import S

__all__ = ["integral_mismatch", "limit_mismatch", "parameter_points"]


def parameter_points(symbols, domains, n=3):
    """Up to ``n`` assignments of sample values to ``symbols`` (inside their domains)."""
    from .sampling import values_for
    symbols = sorted(symbols, key=lambda s: s.name)
    per = []
    for s in symbols:
        vals = values_for(domains.get(s, S.Reals), small=True)
        # simple values first (small denominators, moderate size): not the
        # points 10^-30 from an end, where a limit converges too slowly to check
        nice = sorted((v for v in vals if v != 0 and abs(v) < 100),
                      key=lambda v: (sympy.Rational(v).q if v.is_Rational else 10**9, abs(v)))
        per.append(nice or vals)
    return [{s: vals[i % len(vals)] for s, vals in zip(symbols, per)} for i in range(n)] \
        if symbols else [{}]


def _mp(e):
    from ..export.mp import mp_lambdify
    return mp_lambdify(e, [])()


def _mp_bound(v):
    if v is S.Infinity:
        return mpmath.inf
    if v is S.NegativeInfinity:
        return -mpmath.inf
    return _mp(v)


def _quad(body, f, x, lo, hi):
    """(∫_lo^hi f, error estimate) split at the kinks of ``body`` and 0;
    hi < lo integrates over [hi, lo] and negates (the kinks were dropped, and
    relu from 1 to -1 was a BUG of SymPy's by 1.3e-5). A bump far narrower
    than the range (e^-(x - 10^5)² over [0, 10^6]) is still missed."""
    if (hi < lo) is S.true:
        q, err = _quad(body, f, x, hi, lo)
        return -q, err
    cuts = [lo, hi]
    try:
        from ..analysis.pieces import kinks
        cuts += [k for k in kinks(body, x) if (lo < k) is S.true and (k < hi) is S.true]
    except Exception:  # noqa: BLE001 - kinks only help the quadrature
        pass
    if (lo < 0) is S.true and (0 < hi) is S.true:
        cuts.append(S.Zero)
    cuts = sorted(set(cuts), key=lambda v: float(v))
    return mpmath.quad(f, [_mp_bound(c) for c in cuts], error=True)


def integral_mismatch(body, x, a, b, value, domains):
    """'' when quadrature agrees with ``value`` (or cannot be computed, or
    cannot tell: its error estimate is as large as the difference), else why not.

    >>> from sympy import Max, S, Symbol
    >>> t = Symbol('t', real=True)
    >>> integral_mismatch(Max(0, t), t, 1, -1, -S.Half, {})  # reversed bounds
    ''
    """
    from ..export.mp import mp_lambdify
    params = (body.free_symbols | sympy.sympify(a).free_symbols |
              sympy.sympify(b).free_symbols | sympy.sympify(value).free_symbols) - {x}
    for pt in parameter_points(params, domains):
        try:
            with mpmath.workdps(30):
                g = body.xreplace(pt)
                f = mp_lambdify(g, x)
                lo, hi = sympy.sympify(a).xreplace(pt), sympy.sympify(b).xreplace(pt)
                q, err = _quad(g, f, x, lo, hi)
                v = _mp(sympy.sympify(value).xreplace(pt))
        except Exception:  # noqa: BLE001 - no independent value at this point
            continue
        if not (mpmath.isfinite(q) and mpmath.isfinite(v)):
            continue
        diff = abs(q - v)
        if diff > mpmath.mpf(10) ** -8 * (1 + abs(v)):
            if not diff > 100 * err:
                return (f"quadrature cannot confirm SymPy's integrate ({mpmath.nstr(v, 15)}; "
                        f"quadrature {mpmath.nstr(q, 15)} ± {mpmath.nstr(err, 3)}) at "
                        f"{_show(pt)}; the closed form is not used")
            return (f"BUG: SymPy's integrate gives {mpmath.nstr(v, 15)} but quadrature gives "
                    f"{mpmath.nstr(q, 15)} at {_show(pt)}; the closed form is not used")
    return ""


def limit_mismatch(inner, var, point, direction, value, domains):
    """'' unless the function, evaluated ever closer to ``point``, clearly
    moves away from ``value`` (a wrong closed form); else why."""
    from ..export.mp import mp_lambdify
    params = (inner.free_symbols | sympy.sympify(value).free_symbols) - {var}
    for pt in parameter_points(params, domains):
        try:
            with mpmath.workdps(60):
                f = mp_lambdify(inner.xreplace(pt), var)
                v = sympy.sympify(value).xreplace(pt)
                if point in (S.Infinity, S.NegativeInfinity):
                    sg = 1 if point is S.Infinity else -1
                    xs = [sg * mpmath.mpf(10) ** k for k in (6, 12, 24)]
                else:
                    p0, d = _mp(point), (1 if direction != "-" else -1)
                    xs = [p0 + d * mpmath.mpf(10) ** -k for k in (6, 12, 24)]
                ys = [f(t) for t in xs]
                if v in (S.Infinity, S.NegativeInfinity):
                    sg = 1 if v is S.Infinity else -1
                    if all(mpmath.isfinite(y) for y in ys) and sg * ys[-1] < 0:
                        return (f"BUG: SymPy's limit is {v} but the function is "
                                f"{mpmath.nstr(ys[-1], 10)} near the point at {_show(pt)}")
                    continue
                vv = _mp(v)
        except Exception:  # noqa: BLE001
            continue
        if not all(mpmath.isfinite(y) for y in ys) or not mpmath.isfinite(vv):
            continue
        far, near = abs(ys[0] - vv), abs(ys[-1] - vv)
        if near > mpmath.mpf(10) ** -3 * (1 + abs(vv)) and near >= far / 2:
            return (f"BUG: SymPy's limit is {mpmath.nstr(vv, 15)} but the function stays at "
                    f"{mpmath.nstr(ys[-1], 15)} near the point at {_show(pt)}; not used")
        if _periodic_in(inner, var):
            bad = _oscillation(f, point, direction, vv)
            if bad:
                return f"{bad} at {_show(pt)}; not used"
    return ""


_PERIODIC = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)


def _periodic_in(e, var):
    return any(a.has(var) for a in e.atoms(*_PERIODIC))


def _oscillation(f, point, direction, vv):
    """'' if ``f`` is within 10^-3 (relative) of ``vv`` at 6 points ever closer
    to ``point`` with unrelated phases (10^k·(1 + k/√2), not 10^k: sin(πx)² is
    0 at every integer), else why not. SymPy's limit of a sum with a periodic
    part can be wrong (limit(sin(x) + x·(1 - sigmoid(x)), x, oo) is 0), and
    three points at powers of ten do not show it."""
    tol = mpmath.mpf(10) ** -3 * (1 + abs(vv))
    with mpmath.workdps(60):
        for k in (8, 10, 12, 16, 20, 24):
            u = mpmath.mpf(10) ** k * (1 + k / mpmath.sqrt(2))
            if point in (S.Infinity, S.NegativeInfinity):
                t = u if point is S.Infinity else -u
            else:
                t = _mp(point) + (1 if direction != "-" else -1) / u
            y = f(t)
            if not mpmath.isfinite(y) or abs(y - vv) > tol:
                return (f"BUG: SymPy's limit is {mpmath.nstr(vv, 15)} but the function "
                        f"is {mpmath.nstr(y, 15)} at {mpmath.nstr(t, 6)} (a periodic part "
                        "does not settle)")
    return ""


def _show(pt):
    return ", ".join(f"{k} = {v}" for k, v in pt.items()) or "no parameters"
