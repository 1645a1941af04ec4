"""The high-precision backends (mpmath and arb) against independent references:
SymPy's own evalf at high precision and mpmath's built-in functions."""
import random

import mpmath
import pytest
import sympy
from flint import arb
from sympy import Rational, Symbol

import symacts
from symacts.catalog import X
from symacts.export.arb import arb_lambdify, arb_value, interval, workprec
from symacts.export.mp import mp_lambdify, mp_value

SCALARS = symacts.names("scalar")
POINTS = ["-30", "-4.75", "-1", "-0.2", "0.3", "1.5", "2", "7", "25"]


def _ref(expr, p):
    return sympy.Float(expr.subs(X, Rational(p)).evalf(60, maxn=40000), 60)


@pytest.mark.parametrize("name", SCALARS)
def test_mp_value_matches_sympy_evalf(name):
    act = symacts.get(name)
    for order in (0, 1):
        e = act.diff(order)
        if e.has(sympy.DiracDelta):
            continue
        f = mp_lambdify(e, X)
        for p in POINTS:
            got = mp_value(f, X, p, digits=40)
            ref = _ref(e, p)
            tol = abs(ref) * sympy.Float("1e-39") + sympy.Float("1e-300")
            assert abs(sympy.Float(got, 60) - ref) <= tol, (name, order, p, got, ref)


@pytest.mark.parametrize("name", SCALARS)
def test_arb_point_balls_contain_reference(name):
    act = symacts.get(name)
    for order in (0, 1):
        e = act.diff(order)
        if e.has(sympy.DiracDelta):
            continue
        for p in POINTS:
            ball = arb_value(e, X, p, digits=25)
            ref = _ref(e, p)
            assert ball.contains(arb(str(ref))) or abs(ref) < 1e-50 and ball.contains(0) \
                or _within(ball, ref), (name, order, p, ball, ref)


def _within(ball, ref, rel="1e-24"):
    mid = sympy.Float(ball.mid().str(40, radius=False), 40)
    return abs(mid - ref) <= abs(ref) * sympy.Float(rel)


@pytest.mark.parametrize("name", SCALARS)
def test_arb_interval_encloses_samples(name):
    """Every sampled value of f and f' on an interval lies in the enclosure."""
    rng = random.Random(name)
    act = symacts.get(name)
    for order in (0, 1):
        e = act.diff(order)
        if e.has(sympy.DiracDelta):
            continue
        f, g = arb_lambdify(e, X), mp_lambdify(e, X)
        for lo, hi in [(-3, -1), (-0.5, 0.25), (0.4, 2), (-8, 8), (5, 40)]:
            with workprec(80):
                enc = f(interval(lo, hi))
            if not enc.is_finite():
                continue  # no enclosure is allowed (undecided), never a wrong one
            for _ in range(25):
                t = Rational(rng.uniform(lo, hi)).limit_denominator(10**6)
                with mpmath.workdps(40):
                    val = g(mpmath.mpf(t.p) / t.q)
                assert enc.contains(arb(mpmath.nstr(val, 30))) or \
                    enc.overlaps(arb(mpmath.nstr(val, 30), 1e-25)), (name, order, lo, hi, t, enc, val)


def test_mp_value_is_adaptive():
    x = Symbol("x", real=True)
    v = mp_value(x - sympy.tanh(x), x, "1e-30", digits=25)
    with mpmath.workdps(200):
        ref = mpmath.mpf("1e-30") - mpmath.tanh(mpmath.mpf("1e-30"))
    assert abs(v - ref) <= abs(ref) * mpmath.mpf("1e-24")


def test_arb_piecewise_and_kinks():
    x = Symbol("x", real=True)
    f = arb_lambdify(symacts.get("relu").expr, x)
    with workprec(64):
        b = f(interval(-1, 1))
    assert b.contains(0) and b.contains(1) and not b.contains(2)
    h = arb_lambdify(sympy.Heaviside(x), x)
    assert h(arb(0.5)) == 1 and h(arb(-0.5)) == 0
    assert h(interval(-1, 1)).contains(0) and h(interval(-1, 1)).contains(1)
    # an undefined branch on part of the ball gives no enclosure, not a value
    lg = arb_lambdify(sympy.log(x), x)
    assert not lg(interval(-1, 1)).is_finite()


def test_free_symbols_rejected():
    x, y = Symbol("x"), Symbol("y")
    with pytest.raises(symacts.InputError, match="free symbols y"):
        mp_lambdify(x + y, x)


@pytest.mark.parametrize("expr", ["cosh(x)", "sech(x)", "sqrt(x**2 + 1)", "phi(x)",
                                  "exp(-x**2/2)", "cosh(x)**2 - sinh(x)**2"])
def test_even_functions_on_balls_around_zero(expr):
    """Regression: balls holding 0 gave NaN (the square's lower end dipped below
    0 before a square root); every enclosure must be finite and hold the
    values mpmath computes at 40 digits at sampled points."""
    x = Symbol("x", real=True)
    e = sympy.sympify(expr, locals={"x": x, "phi": symacts.phi})
    f, g = arb_lambdify(e, x), mp_lambdify(e, x)
    for lo, hi in [(-1, 1), (-0.001, 2), (-3, 0), (-5, -1), (0, 0.5)]:
        with workprec(64):
            enc = f(interval(lo, hi))
        assert enc.is_finite(), (expr, lo, hi, enc)
        for t in (lo, hi, (lo + hi) / 2, lo + (hi - lo) / 7, 0 if lo <= 0 <= hi else hi):
            with mpmath.workdps(40):
                val = g(mpmath.mpf(t))
            assert enc.contains(arb(mpmath.nstr(val, 35))) or \
                enc.overlaps(arb(mpmath.nstr(val, 35), 1e-30)), (expr, lo, hi, t, enc, val)
    with workprec(64):
        c = arb_lambdify(sympy.cosh(x), x)(interval(-1, 1))
    assert c.lower() > 0.99 and c.upper() < 1.55  # [1, cosh 1], not a wide ball
