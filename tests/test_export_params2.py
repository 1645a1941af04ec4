"""Parameters far from their defaults (the second parameter red team): star_relu
near its root and where x² overflows, celu with a tiny x/α, celu'' with α < 1,
swish'' with β² past the float range. References: mpmath formulas at 60 digits."""
import warnings

import mpmath
import numpy as np
import pytest

from symacts.export import export
from symacts.export.patch import root_patches
from symacts.export import resolve
from symacts.export.reference import ulp_error

CONTRACT_ULP = 2.0


def _errs(fn, xs, ref):
    xs = np.asarray(xs, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = fn(xs)
    with mpmath.workdps(60):
        return [ulp_error(g, ref(mpmath.mpf(float(v)))) for g, v in zip(got, xs)]


def _around_root(r, n=6):
    out, lo, hi = [r], r, r
    for _ in range(n):
        lo, hi = np.nextafter(lo, -np.inf), np.nextafter(hi, np.inf)
        out += [lo, hi]
    return out + [r * (1 + d) for d in (1e-14, -1e-12, 1e-9, -1e-6, 1e-3, -0.1, 0.5)]


@pytest.mark.parametrize("s, b", [("1e-3", "-5"), ("1e8", "-1e-3"), ("3", "-1e10"),
                                  ("1e-200", "-1"), ("1e200", "-1"), ("1e300", "-1e-300"),
                                  ("0.5", "-1")])
def test_star_relu_next_to_its_root_and_where_x2_overflows(s, b):
    # was up to 5.7e14 ULP next to sqrt(-b/s) (e = gl·(g + gh) off by 2^-78·|q|,
    # the plain formula for float s, b), and inf for s = 0.5 at 1.4e154
    f = export("star_relu", s=s, b=b)
    with mpmath.workdps(60):
        sm, bm = mpmath.mpf(s), mpmath.mpf(b)
        r = float(mpmath.sqrt(-bm / sm))
    xs = _around_root(r) + [1.4e154, 1.3e154, 1e300, 1.7976931348623157e308, -3.0, 0.0, 1e-300]

    def ref(v):
        return sm * max(v, 0) ** 2 + bm
    errs = _errs(f, xs, ref)
    finite = [e for e, v in zip(errs, xs) if abs(float(ref(mpmath.mpf(v)))) < 1.7976931348623157e308]
    assert max(finite) <= 1.25


def test_star_relu_default_needs_no_root_patch():
    expr, var, _ = resolve("star_relu")
    assert root_patches(expr, var) == ()
    f = export("star_relu")
    with mpmath.workdps(60):
        sm, bm = 2 / mpmath.sqrt(5), -1 / mpmath.sqrt(5)
    errs = _errs(f, _around_root(0.7071067811865476) + [1.9113640159526584e47, 1.377e154],
                 lambda v: sm * max(v, 0) ** 2 + bm)
    assert max(errs) <= 1.05


@pytest.mark.parametrize("alpha", ["10", "1e100", "1e300", "0.3", "1e-3"])
def test_celu_with_a_tiny_x_over_alpha(alpha):
    # x/α rounded into the subnormals (α = 10: 5 ULP) or to 0 (α = 1e100: -0.0)
    f = export("celu", alpha=alpha)
    with mpmath.workdps(60):
        a = mpmath.mpf(alpha)
    xs = [-5e-324, -1e-310, -2.5e-308, -1e-300, -1.5e-269, -1e-100, -0.5, -3.0, -40.0, 2.0]
    errs = _errs(f, xs, lambda v: v if v > 0 else a * mpmath.expm1(v / a))
    assert max(errs) <= CONTRACT_ULP


@pytest.mark.parametrize("alpha", ["0.3", "3", "1e-300", "1e100"])
def test_celu_second_derivative_rounds_once(alpha):
    # e^(x/α)/α as e^(x/α - ln α) (a double-double argument): 2.25 ULP for α = 0.3
    # at -2.252, 0 for α = 1e-300 at -1.0878e-297 (e^(x/α) underflowed)
    f = export("celu", order=2, alpha=alpha)
    with mpmath.workdps(60):
        a = mpmath.mpf(alpha)
    af = float(alpha)
    xs = [v * af for v in (-2.252024314507369 / 0.3, -1087.8369981278962, -700.0, -1.0, -1e-5)]
    errs = _errs(f, xs, lambda v: mpmath.exp(v / a) / a)
    assert max(errs) <= 1.25


def test_swish_second_derivative_with_a_huge_beta():
    # β²/2 = 5e319 was printed as inf: nan at 0, inf·0 elsewhere
    f = export("swish", order=2, beta="1e160")
    with mpmath.workdps(60):
        bm = mpmath.mpf("1e160")

    def ref(v):
        s = 1 / (1 + mpmath.exp(-bm * v))
        return bm * s * (1 - s) * (2 + bm * v * (1 - 2 * s))
    xs = [0.0, 1e-161, -1e-161, 2.5e-160, -2.5e-160, 1e-159, 1.0, -1.0]
    errs = _errs(f, xs, ref)
    assert max(errs) <= 2.5  # 2.41 measured (the β = 1e100 shape: docs/export.md)
