"""The textbook SymPy functions: special values, textbook derivatives,
rewrites, inverses, assumptions, printing and high-precision evaluation."""
import mpmath
import pytest
import sympy
from sympy import (Rational, S, Symbol, diff, erf, exp, latex, log, pi, simplify,
                   sqrt, tanh)

from symacts.functions import (Phi, elementary, logit, phi, sigmoid, softplus)

x = Symbol("x", real=True)
b = Symbol("beta", positive=True)
p = Symbol("p", positive=True)


def test_textbook_derivatives():
    assert diff(sigmoid(x), x) == sigmoid(x) * (1 - sigmoid(x))
    assert diff(Phi(x), x) == phi(x)
    assert diff(phi(x), x) == -x * phi(x)
    assert diff(softplus(x), x) == sigmoid(x)
    assert diff(softplus(x, b), x) == sigmoid(b * x)
    assert diff(logit(p), p) == 1 / (p * (1 - p))


def test_derivatives_agree_with_elementary_forms():
    for f in (sigmoid(x), Phi(x), phi(x), softplus(x, b), softplus(x)):
        lhs = elementary(diff(f, x))
        rhs = diff(elementary(f), x)
        assert simplify(lhs - rhs) == 0, f
    # derivative in beta, checked numerically at a point
    d = diff(softplus(x, b), b).subs({x: Rational(3, 10), b: 2})
    ref = sympy.diff(log(1 + exp(b * x)) / b, b).subs({x: Rational(3, 10), b: 2})
    assert abs((d - ref).evalf(30)) < 1e-28


def test_rewrites():
    assert sigmoid(x).rewrite(exp) == 1 / (1 + exp(-x))
    assert simplify((sigmoid(x).rewrite(tanh) - 1 / (1 + exp(-x))).rewrite(exp)) == 0
    assert Phi(x).rewrite(erf) == (1 + erf(x / sqrt(2))) / 2
    assert phi(x).rewrite(exp) == exp(-x**2 / 2) / sqrt(2 * pi)
    assert softplus(x, b).rewrite(exp) == log(1 + exp(b * x)) / b
    assert logit(p).rewrite(log) == log(p / (1 - p))


def test_special_values_and_inverse():
    assert sigmoid(0) == S.Half and sigmoid(S.Infinity) == 1 and sigmoid(-S.Infinity) == 0
    assert Phi(0) == S.Half and phi(0) == 1 / sqrt(2 * pi)
    assert softplus(0) == log(2) and softplus(0, b) == log(2) / b
    assert logit(S.Half) == 0
    assert sigmoid(logit(p)) == p and logit(sigmoid(x)) == x
    assert sigmoid(x).inverse() is logit and logit(p).inverse() is sigmoid
    assert phi(-x) == phi(x)


def test_assumptions():
    assert sigmoid(x).is_real and sigmoid(x).is_positive
    assert Phi(x).is_positive and phi(x).is_positive
    assert softplus(x).is_positive
    assert sigmoid(Symbol("z")).is_positive is None


def test_printing():
    assert latex(sigmoid(x)) == r"\sigma\left(x\right)"
    assert latex(Phi(x)) == r"\Phi\left(x\right)"
    assert latex(sigmoid(x)**2) == r"\sigma^{2}\left(x\right)"
    assert r"\operatorname{softplus}_{\beta}" in latex(softplus(x, b))
    assert "σ" in sympy.pretty(sigmoid(x))


@pytest.mark.parametrize("fn,ref", [
    (sigmoid, lambda v: 1 / (1 + mpmath.exp(-v))),
    (Phi, lambda v: mpmath.ncdf(v)),
    (phi, lambda v: mpmath.npdf(v)),
    (softplus, lambda v: mpmath.log(1 + mpmath.exp(v))),
])
def test_evalf_against_mpmath(fn, ref):
    for v in ("-800", "-40", "-2.5", "0.001", "3", "40", "800"):
        got = fn(Rational(v)).evalf(40)
        with mpmath.workdps(2000):
            r = ref(mpmath.mpf(v))
        assert abs(got - sympy.Float(r, 60)) <= abs(r) * sympy.Float(10) ** -38, (fn, v)


def test_float_arguments_evaluate():
    assert abs(sigmoid(sympy.Float(2)) - 0.8807970779778823) < 1e-15
    assert logit(sympy.Float(0.25)).is_Float
    assert abs(logit(Rational(1, 4)).evalf(30) - sympy.log(Rational(1, 3)).evalf(30)) < 1e-29


def test_series():
    s = sigmoid(x).series(x, 0, 4).removeO()
    assert simplify(s - (S.Half + x / 4 - x**3 / 48)) == 0
