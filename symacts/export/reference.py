"""High-precision reference values and ULP errors, independent of the float code.

The reference is the SymPy expression itself evaluated by the mpmath backend
(:mod:`symacts.export.mp`) at rising precision until two evaluations agree to
40 digits, starting at 50 digits plus one per decade of |x| below 1 (so that
1 + x keeps x); a value that is 0 at two precisions is re-checked at 400
digits, so a subnormal result hidden under cancellation (1 - tanh(370)²) is
not lost.

>>> from sympy import Symbol, tanh
>>> x = Symbol('x', real=True)
>>> r = reference_values(1 - tanh(x)**2, x, [370.0])[0]
>>> mpmath.nstr(r, 8)
'1.675496e-321'
>>> ulp_error(1.6e-321, r), ulp_error(float(r), r)
(15.124156095967638, 0.0)
"""
from __future__ import annotations

import math

import mpmath
import numpy as np

__all__ = ["reference_values", "ulp_error", "DIGITS"]

DIGITS = 40
_MAX_DPS = 3200
_ZERO_CHECK_DPS = 400


def _at(f, v, dps):
    with mpmath.workdps(dps):
        return f(mpmath.mpf(v))


def _one(f, v):
    if math.isnan(v):
        return mpmath.nan
    try:
        # 1 + v absorbs v below 10^-dps at every precision tried: x - log(1 + x)
        # at 5e-138 agreed at 50 and 100 digits on x (the truth is x²/2)
        dps = DIGITS + 10 + (max(0, -math.floor(math.log10(abs(v)))) if 0 < abs(v) < 1 else 0)
        prev = _at(f, v, dps)
        while dps <= _MAX_DPS:
            dps *= 2
            cur = _at(f, v, dps)
            if mpmath.isnan(cur) or mpmath.isinf(cur):
                return cur if cur == prev or (mpmath.isnan(cur) and mpmath.isnan(prev)) else None
            if cur == 0 and prev == 0:
                return _at(f, v, max(dps, _ZERO_CHECK_DPS)) if dps < _ZERO_CHECK_DPS else cur
            if cur != 0 and abs(cur - prev) <= abs(cur) * mpmath.mpf(10) ** (-DIGITS):
                return cur
            prev = cur
    except (ArithmeticError, ValueError, TypeError):
        return None
    return None


def reference_values(expr, var, xs, f=None):
    """mpmath values of ``expr`` at the floats ``xs`` (None where it has none).

    ``f`` may pass an already compiled mpmath function of ``expr``.
    """
    if f is None:
        from .mp import mp_lambdify
        f = mp_lambdify(expr, var)
    return [_one(f, float(v)) for v in xs]


def _ulp(r, dtype):
    info = np.finfo(dtype)
    tiny = mpmath.mpf(float(info.tiny))
    mant = info.nmant
    a = abs(r)
    if a < tiny:
        return mpmath.mpf(2) ** (int(np.log2(float(info.tiny))) - mant)
    e = int(mpmath.floor(mpmath.log(a, 2)))
    if mpmath.mpf(2) ** e > a:  # guard the log's rounding at powers of two
        e -= 1
    elif mpmath.mpf(2) ** (e + 1) <= a:
        e += 1
    return mpmath.mpf(2) ** (e - mant)


def ulp_error(got, ref, dtype=np.float64):
    """|got - ref| in units in the last place of ``ref`` (in ``dtype``).

    nan vs nan and equal infinities count 0; any other mismatch with a
    non-finite value is ``inf``.
    """
    got = float(got)
    if ref is None:
        return float("nan")
    if mpmath.isnan(ref):
        return 0.0 if math.isnan(got) else float("inf")
    rounded = float(np.asarray(float(ref), dtype=np.float64).astype(dtype))
    if got == rounded:
        return 0.0
    if math.isnan(got) or math.isinf(got) or math.isinf(rounded):
        return float("inf")
    with mpmath.workdps(60):
        return float(abs(mpmath.mpf(got) - ref) / _ulp(ref, dtype))
