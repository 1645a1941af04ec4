"""One regression test per stable-rewrite rule: the rule fires on its pattern,
produces the stable node, and keeps the value (40-digit mpmath, the
rewritten tree turned back into plain formulas)."""
import mpmath
import pytest
from sympy import Abs, Rational, Symbol, erf, exp, log, sign, sqrt, tanh

from symacts.export import rules as R
from symacts.export.mp import mp_lambdify
from symacts.export.nodes import (Expm1, ExpNegSq, GaussScaled, Hypot1, Log1p,
                                  LogSigmoid, Mills, Recip1pSq, Sech2, Times,
                                  elementary)
from symacts.functions import Phi, phi, sigmoid, softplus

x = Symbol("x", real=True)
POINTS = ["-30", "-2.5", "-0.75", "-1e-5", "0.3", "1", "7", "25"]

CASES = [
    # (rule, pattern, node expected in the result)
    (R.one_minus_sigmoid, 3 - 3 * sigmoid(x), sigmoid),
    (R.one_minus_tanh_squared, 1 - tanh(x)**2, Sech2),
    (R.one_plus_tanh, 1 + tanh(x / 3), sigmoid),
    (R.expm1_rule, 2 * exp(x) - 2, Expm1),
    (R.erf_complement, 1 + erf(x), None),
    (R.log_rules, log(sigmoid(x)), LogSigmoid),
    (R.log_rules, log(1 + exp(x)), softplus),
    (R.log_rules, log(1 + x**2), Log1p),
    (R.sigmoid_from_exp, 1 / (1 + exp(-2 * x)), sigmoid),
    (R.softplus_beta, softplus(x, 3), softplus),
    (R.hypot_rule, sqrt(1 + x**2), Hypot1),
    (R.hypot_minus_one, Hypot1(x) - 1, Hypot1),
    (R.abs_sign, x * sign(x) * 2, Abs),
    (R.rational_cancel, 1 / (Abs(x) + 1) - Abs(x) / (Abs(x) + 1)**2, None),
    (R.linear_root, x / 6 + Rational(1, 2), Times),
    (R.reciprocal_one_plus_square, 1 / (1 + x**2), Recip1pSq),
    (R.sigmoid_product, x * sigmoid(x) * sigmoid(-x), Sech2),
    (R.exp_neg_square, 3 * exp(-x**2), ExpNegSq),
    (R.exp_neg_square, exp(-x**2 / 2), GaussScaled),
    (R.gauss_cofactor, x * GaussScaled(x, 2), GaussScaled),
]


def _same_value(a, b):
    fa, fb = mp_lambdify(elementary(a), x), mp_lambdify(elementary(b), x)
    with mpmath.workdps(60):
        for p in POINTS:
            va, vb = fa(mpmath.mpf(p)), fb(mpmath.mpf(p))
            assert abs(va - vb) <= mpmath.mpf(10)**-40 * max(abs(va), 1), (p, va, vb)


@pytest.mark.parametrize("rule, expr, node", CASES, ids=[c[0].__name__ for c in CASES])
def test_rule_fires_and_keeps_the_value(rule, expr, node):
    new = rule(expr)
    assert new is not None and new != expr
    if node is not None:
        assert new.has(node) or isinstance(new, node)
    _same_value(expr, new)


def test_rules_leave_other_shapes_alone():
    assert R.one_minus_sigmoid(2 - sigmoid(x)) is None
    assert R.expm1_rule(exp(x) - 2) is None
    assert R.linear_root(x / 7 + 1 / sqrt(2)) is None


def test_gaussian_tails_route_phi_through_mills():
    e = R.stabilize(x * phi(x) + Phi(x), x)
    assert e.has(Mills) and e.has(GaussScaled)
    _same_value(x * phi(x) + Phi(x), e)


def test_stabilize_catalog_derivatives_keep_their_values():
    import symacts
    for name in ("silu", "mish", "gelu", "softsign", "bent_identity", "tanh", "selu"):
        act = symacts.get(name)
        d = act.diff(1)
        _same_value(d, R.stabilize(d, act.variable))
