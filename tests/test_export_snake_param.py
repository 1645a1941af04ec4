"""snake = x + sin²(ax)/a with a != 1: the argument a·x is never rounded
(``k_mul_reduce``), so 1 + sin 2ax keeps its digits next to its zeros and
nothing overflows past 1.8e308/a. References: mpmath at 40 digits plus the
digits of |a·x| (and the cancellation next to the zeros), never the float code."""
import warnings

import mpmath
import numpy as np
import pytest
from sympy import Rational

from symacts.export import export
from symacts.export.reference import ulp_error


def _ref(order, a, x):
    mag = int(mpmath.log10(abs(mpmath.mpf(x)) * a.p / a.q + 1))
    with mpmath.workdps(90 + max(mag, 0)):
        am, xm = mpmath.mpf(a.p) / a.q, mpmath.mpf(x)
        if order == 0:
            return xm + mpmath.sin(am * xm) ** 2 / am
        if order == 1:
            return 1 + mpmath.sin(2 * am * xm)
        return 2 * am * mpmath.cos(2 * am * xm)


def _zeros(a, ks):
    """The doubles nearest the zeros x = (-π/4 + kπ)/a of 1 + sin 2ax, and a neighbour."""
    out = []
    for k in ks:
        with mpmath.workdps(len(str(k)) + 60):
            r = float((-mpmath.pi / 4 + k * mpmath.pi) / (mpmath.mpf(a.p) / a.q))
        out += [r, float(np.nextafter(r, np.inf))]
    return out


def _max_ulp(a, order, xs):
    f = export("snake", order=order, a=a)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = f(np.array(xs))
    return max(ulp_error(g, _ref(order, a, x)) for g, x in zip(got, xs))


KS = [1, 2, -3, 17, 10 ** 5, -10 ** 9 - 7, 10 ** 15 + 1, 3 * 10 ** 40, 10 ** 100 + 9, 7 * 10 ** 290]
HUGE = [1.7976931348623157e308, -1.7976931348623157e308, 1e308, 6e307, -3.3e305]


@pytest.mark.parametrize("a", [Rational(3), Rational(3, 10), Rational(1, 3), Rational(100),
                               Rational(1, 100000)])
@pytest.mark.parametrize("order", [0, 1, 2])
def test_snake_with_a_next_to_the_zeros_and_past_the_overflow_of_ax(a, order):
    xs = [x for x in _zeros(a, KS) + HUGE if abs(x) <= 1.7976931348623157e308]
    xs += [0.0, 1e-300, -0.7, 2.5, 1e5]
    assert _max_ulp(a, order, xs) <= (1 if order < 2 else 2)


def test_snake_prime_with_a_3_keeps_the_tiny_value_next_to_a_zero():
    # 3x rounded to a double gave 4.8e-31 here, the truth is 4.2e-33
    x = -3.4033920413889427
    got = float(export("snake", order=1, a=3)(x))
    assert ulp_error(got, _ref(1, Rational(3), x)) <= 1


def test_snake_a_as_a_float_is_the_decimal_it_prints_as():
    xs = np.array(_zeros(Rational(3, 10), KS[:6]) + HUGE)
    f, g = export("snake", order=1, a=0.3), export("snake", order=1, a=Rational(3, 10))
    assert np.array_equal(f(xs), g(xs))


def test_snake_default_and_powers_of_two_keep_their_reduction():
    assert "k_sin_sq(x, 0, 0, (1.0, 0.0), x)" in export("snake").source
    assert "k_sin_sq(x, 1, 8, (2.0, 0.0), 0.0)" in export("snake", order=1, a=2).source
    assert "k_sin_sq(x, 0, 8, (2.0, 0.0), 0.0, (3.0, 0.0, 0.0, 3, 1))" in \
        export("snake", order=1, a=3).source
