"""Tail enclosures (symacts.analysis.tails) against mpmath at 40 digits: every
sampled value of f, f′, f″, f‴ on [c, ∞) or (-∞, -c] lies in the enclosure,
and every proved sign agrees with the samples."""
import mpmath
import pytest
import sympy

import symacts
from symacts.analysis.pieces import pieces
from symacts.analysis.tails import tail_bounds, tail_sign
from symacts.catalog import X as x
from symacts.export.mp import mp_lambdify

NAMES = ["silu", "gelu", "mish", "gelu_tanh", "gelu_sigmoid", "tanh", "softplus",
         "log_sigmoid", "elu", "softsign", "arctan", "bent_identity", "gaussian",
         "tanhshrink"]


def _samples(cut, side):
    c = mpmath.mpf(abs(cut))
    pts = [c, c + mpmath.mpf(1) / 3, c * mpmath.mpf("1.7"), c * 3, c * 10, c * 1000,
           mpmath.mpf(10) ** 8]
    return [side * p for p in pts]


def _inside(iv, v):
    lo = -mpmath.inf if isinstance(iv.lo, float) else mpmath.mpf(iv.lo.str(40, radius=False))
    hi = mpmath.inf if isinstance(iv.hi, float) else mpmath.mpf(iv.hi.str(40, radius=False))
    slack = mpmath.mpf(10) ** -35 * (1 + abs(v))
    return lo - slack <= v <= hi + slack


@pytest.mark.parametrize("name", NAMES)
def test_tail_enclosures_hold_samples(name):
    f = symacts.get(name).expr
    ps = pieces(f, x)
    for side, g in ((1, ps[-1].branch), (-1, ps[0].branch)):
        for k in range(4):
            e = sympy.diff(g, x, k)
            fm = mp_lambdify(e, x)
            for cut in (16, 64):
                iv = tail_bounds(e, x, side * cut, side)
                s = tail_sign(e, x, side * cut, side) if k else 0
                with mpmath.workdps(40):
                    for t in _samples(cut, side):
                        v = fm(t)
                        assert _inside(iv, v), (name, k, side, cut, t, v, iv)
                        assert s == 0 or s * v >= 0, (name, k, side, cut, t, v, s)


def test_polynomial_at_infinity_is_tight_and_sound():
    p = sympy.Rational(8943, 200000) * x**3 + x - 5 * x**2
    iv = tail_bounds(p, x, -64, -1)
    ref = mpmath.mpf(-100830528) / 3125  # p(-64), the largest value on (-∞, -64]
    hi = mpmath.mpf(iv.hi.mid().str(40, radius=False)) + mpmath.mpf(iv.hi.rad())
    assert isinstance(iv.lo, float) and ref <= hi < ref + 1e-6


def test_decaying_product_bounded():
    iv = tail_bounds(x**3 * sympy.exp(-x), x, 64, 1)
    assert iv.lo == 0 and iv.hi < 64**3 * mpmath.exp(-64) * 1.0001


def test_undecided_is_zero_not_a_guess():
    # snake′ = 1 + sin 2x touches 0 infinitely often: no sign can be proved
    assert tail_sign(1 + sympy.sin(2 * x), x, 64, 1) == 1  # ≥ 0 holds (weakly)
    assert tail_sign(sympy.sin(x), x, 64, 1) == 0
