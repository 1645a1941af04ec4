r"""Derivations beyond derivatives: bounds, gaps, fixed points, inverses, means.

Each is a :class:`~symacts.latex.derive.Derivation` whose equalities are
checked line by line, whose facts about numbers are checked exactly, whose
Gaussian integrals are checked against :func:`symacts.analysis.gaussian.expect`
and whose conclusion is checked by :func:`symacts.verify.verify`.

>>> sorted(SPECIAL)[:2]
['relu_gaussian_mean', 'selu_fixed_point']
>>> d = build("sigmoid_slope_bound")
>>> d.result
1/4
"""
from __future__ import annotations

import sympy
from sympy import (Eq, Integral, Max, Piecewise, Rational, S, Symbol, exp, log, oo,
                   pi, sqrt)

from ..catalog import X as x
from ..catalog.scalar import SELU_ALPHA, SELU_LAMBDA
from ..errors import UnknownNameError, closest
from ..functions import Phi, logit, phi, sigmoid, softplus
from ._check import Check, StepError, checker
from .derive import Derivation, Section, make_chain
from .printers import expr_latex

__all__ = ["SPECIAL", "build", "is_special"]

_beta = Symbol("beta", positive=True)
_y = Symbol("y", real=True)
_z = Symbol("z", real=True)


# -- checked facts -------------------------------------------------------------

def _equal_fact(tex, text, a, b):
    """A fact ``a = b`` about numbers (or in x), checked by the equality checker."""
    chk = checker()(a, b, x)
    if not chk.ok:
        raise StepError(f"fact does not check ({chk.status}): {text}")
    return (tex, text, chk)


def _true_fact(tex, text, rel):
    """A relation between exact numbers that SymPy decides."""
    if sympy.simplify(rel) is not S.true:
        raise StepError(f"fact does not check: {text}")
    return (tex, text, Check("proved", "symbolic", "exact evaluation"))


def _claim_fact(tex, claim):
    """A claim in the claim language, checked by the verification engine."""
    from ..verify import verify
    v = verify(claim)
    if v.status not in ("proved", "numeric"):
        raise StepError(f"the conclusion does not check ({v.status}): {claim}")
    return (tex, claim, Check(v.status, "verify." + str(v.method), str(v.evidence)[:200]))


def _expect_fact(tex, text, g, value):
    """E[g(Z)] = value for Z ~ N(0, 1), checked against the analysis engine."""
    from ..analysis.gaussian import expect
    f = expect(g, x)
    if f.exact is not None:
        chk = checker()(f.exact, value, x)
    else:
        import mpmath
        from ..export.mp import mp_value
        ref = mp_value(value, x, 0, digits=30)
        good = abs(mpmath.mpf(f.decimal) - ref) <= mpmath.mpf(10) ** -25 * (1 + abs(ref))
        chk = Check("numeric" if good else "refuted", "quadrature", f.decimal[:32])
    if not chk.ok:
        raise StepError(f"fact does not check ({chk.status}): {text}")
    return (tex, text, chk)


def _L(e):
    return expr_latex(e)


# -- the derivations -------------------------------------------------------------

def sigmoid_slope_bound():
    """σ′(x) ≤ 1/4: critical point, second derivative, value, tails."""
    s = sigmoid(x)
    d1 = make_chain(r"\sigma'(x)", "sigmoid'(x)", [(sympy.diff(s, x), "")], x)
    d2 = make_chain(r"\sigma''(x)", "sigmoid''(x)",
                    [(sympy.diff(s * (1 - s), x), r"\text{product rule}"),
                     (s * (1 - s) * (1 - 2 * s), r"\text{factor}")], x)
    d3 = sympy.diff(s, x, 3)
    facts = [
        _true_fact(r"\sigma(0) = \tfrac12", "sigmoid(0) = 1/2", Eq(sigmoid(0), S.Half)),
        _equal_fact(r"\sigma'''(0) = -\tfrac18 < 0", "sigmoid'''(0) = -1/8 < 0",
                    d3.subs(x, 0), Rational(-1, 8)),
        _true_fact(r"\sigma'(0) = \sigma(0)\bigl(1 - \sigma(0)\bigr) = \tfrac14",
                   "sigmoid'(0) = 1/4", Eq((s * (1 - s)).subs(x, 0), Rational(1, 4))),
    ]
    concl = [_claim_fact(r"0 < \sigma'(x) \le \tfrac14 \quad \text{for every real } x",
                         "0 < diff(sigmoid(x), x) <= 1/4")]
    secs = [
        Section("The slope", "By the derivation of $\\sigma'$ (symacts derive sigmoid):",
                chains=(d1,)),
        Section("Critical points",
                "Differentiate once more. Since $0 < \\sigma < 1$, the factor "
                "$\\sigma(1 - \\sigma)$ is positive, so $\\sigma''(x) = 0$ exactly when "
                "$\\sigma(x) = 1/2$; $\\sigma$ is strictly increasing, so this happens "
                "only at $x = 0$.", chains=(d2,), facts=(facts[0],)),
        Section("Second derivative test",
                "The second derivative of $\\sigma'$ at the critical point is negative: "
                "a local maximum.", facts=(facts[1],)),
        Section("Value and conclusion",
                "At the only critical point $\\sigma'$ takes the value $1/4$; it tends "
                "to $0$ as $x \\to \\pm\\infty$ and is positive, so $1/4$ is its "
                "maximum over the whole line.", facts=(facts[2],) + tuple(concl)),
    ]
    return Derivation("The sigmoid's slope is at most 1/4", secs, Rational(1, 4),
                      subject="sigmoid")


def softplus_relu_gap():
    """0 < softplus_β(x) − relu(x) ≤ ln2/β, with equality at 0."""
    b = _beta
    sp = log(1 + exp(b * x)) / b
    pos = make_chain(r"\operatorname{softplus}_\beta(x) - x", "softplus(x, beta) - x",
                     [(sp - x, r"\text{definition}"),
                      (log(exp(-b * x) + 1) / b, r"x = \ln(e^{\beta x})/\beta"),
                      (softplus(-x, b), r"\text{definition}")], x)
    dpos = make_chain(r"\frac{d}{dx}\operatorname{softplus}_\beta(-x)", "d/dx softplus(-x, beta)",
                      [(sympy.diff(softplus(-x, b), x), r"\text{chain rule}")], x)
    gap0 = make_chain(r"\operatorname{softplus}_\beta(0) - \operatorname{relu}(0)",
                      "softplus(0, beta) - relu(0)",
                      [(softplus(0, b), ""), (log(2) / b, r"\ln(1 + e^{0}) = \ln 2")], x)
    concl = [_claim_fact(r"0 < \operatorname{softplus}_\beta(x) - \max(0, x) \le "
                         r"\frac{\ln 2}{\beta}",
                         "0 < softplus(x, beta) - max(0, x) <= log(2)/beta")]
    secs = [
        Section("The gap on each side",
                "For $x \\le 0$ the gap is $\\operatorname{softplus}_\\beta(x)$ itself; "
                "for $x \\ge 0$ it is:", chains=(pos,)),
        Section("It shrinks away from 0",
                "So the gap is $\\operatorname{softplus}_\\beta(-|x|)$. Its slope "
                "$-\\sigma(-\\beta x) < 0$ for $x > 0$ (and $\\sigma(\\beta x) > 0$ "
                "for $x < 0$): the gap is largest at $x = 0$, and tends to 0 as "
                "$|x| \\to \\infty$, so $\\operatorname{softplus}_\\beta \\to "
                "\\operatorname{relu}$ uniformly as $\\beta \\to \\infty$.",
                chains=(dpos,)),
        Section("The largest gap", "", chains=(gap0,), facts=tuple(concl)),
    ]
    return Derivation("The softplus-ReLU gap is at most ln 2 / beta", secs, log(2) / b,
                      subject="softplus")


def selu_fixed_point():
    """The SELU equations: E[selu(Z)] = 0 and E[selu(Z)²] = 1 give α₀₁ and λ₀₁."""
    a, lam = Symbol("alpha", positive=True), Symbol("lambda", positive=True)
    h = S.Half
    i1, i2 = 1 / sqrt(2 * pi), exp(h) * Phi(-1)       # ∫_0^∞ zφ, ∫_{-∞}^0 e^z φ
    i3, i4 = exp(2) * Phi(-2), h                      # ∫_{-∞}^0 e^{2z} φ, ∫_0^∞ z²φ
    pos = Piecewise((x, x > 0), (0, True))
    facts = [
        _expect_fact(r"\int_0^\infty z\,\phi(z)\,dz = \frac{1}{\sqrt{2\pi}}",
                     "int_0^oo z phi(z) dz = 1/sqrt(2 pi)", pos, i1),
        _expect_fact(r"\int_{-\infty}^0 e^{z}\phi(z)\,dz = e^{1/2}\,\Phi(-1)",
                     "int_-oo^0 e^z phi(z) dz = e^(1/2) Phi(-1)",
                     Piecewise((exp(x), x < 0), (0, True)), i2),
        _expect_fact(r"\int_{-\infty}^0 e^{2z}\phi(z)\,dz = e^{2}\,\Phi(-2)",
                     "int_-oo^0 e^(2z) phi(z) dz = e^2 Phi(-2)",
                     Piecewise((exp(2 * x), x < 0), (0, True)), i3),
        _expect_fact(r"\int_0^\infty z^2\phi(z)\,dz = \tfrac12",
                     "int_0^oo z^2 phi(z) dz = 1/2", pos**2, i4),
    ]
    mean = lam * (i1 + a * (i2 - h))
    second = lam**2 * (i4 + a**2 * (i3 - 2 * i2 + h))
    m_sel = Symbol("s", real=True)
    alpha01 = i1 / (h - i2)
    lam01 = 1 / sqrt(i4 + alpha01**2 * (i3 - 2 * i2 + h))
    sol_a = make_chain(r"\alpha_{01}", "alpha01",
                       [(alpha01, r"\text{solve } \mathbb{E}[\operatorname{selu}(Z)] = 0"),
                        (SELU_ALPHA, r"\text{the catalog's closed form (erfc)}")], x, timeout=2)
    sol_l = make_chain(r"\lambda_{01}", "lambda01",
                       [(lam01, r"\text{solve } \mathbb{E}[\operatorname{selu}(Z)^2] = 1"),
                        (SELU_LAMBDA, r"\text{the catalog's closed form (erfc)}")], x, timeout=2)
    checks = [
        _expect_fact(r"\mathbb{E}[\operatorname{selu}(Z)] = 0", "E[selu(Z)] = 0",
                     SELU_LAMBDA * Piecewise((x, x > 0), (SELU_ALPHA * (exp(x) - 1), True)),
                     S.Zero),
        _expect_fact(r"\mathbb{E}[\operatorname{selu}(Z)^2] = 1", "E[selu(Z)^2] = 1",
                     (SELU_LAMBDA * Piecewise((x, x > 0), (SELU_ALPHA * (exp(x) - 1), True)))**2,
                     S.One),
    ]
    del m_sel
    secs = [
        Section("The four Gaussian integrals",
                "For $Z \\sim N(0, 1)$ with density $\\phi$, completing the square "
                "($e^{kz}\\phi(z) = e^{k^2/2}\\phi(z - k)$) gives:", facts=tuple(facts)),
        Section("The moments",
                "$\\operatorname{selu}(z) = \\lambda z$ for $z > 0$ and "
                "$\\lambda\\alpha(e^{z} - 1)$ otherwise, so "
                f"$\\mathbb{{E}}[\\operatorname{{selu}}(Z)] = {_L(mean)}$ and "
                f"$\\mathbb{{E}}[\\operatorname{{selu}}(Z)^2] = {_L(second)}$."),
        Section("The fixed point",
                "Mean 0 fixes $\\alpha$ (the factor $\\lambda > 0$ drops out); "
                "variance 1 then fixes $\\lambda$:", chains=(sol_a, sol_l)),
        Section("Check", "With these constants the moments are 0 and 1:",
                facts=tuple(checks)),
    ]
    return Derivation("The SELU fixed-point equations", secs, (SELU_ALPHA, SELU_LAMBDA),
                      subject="selu")


def sigmoid_inverse():
    """y = σ(x) solved for x: x = logit(y) = ln(y/(1 − y)), 0 < y < 1."""
    y = _y
    where = sympy.And(y > 0, y < 1)
    solve = make_chain(r"\sigma\bigl(\ln\tfrac{y}{1-y}\bigr)", "sigmoid(log(y/(1-y)))",
                       [(sigmoid(log(y / (1 - y))), ""),
                        (1 / (1 + (1 - y) / y), r"e^{-\ln t} = 1/t"),
                        (y, r"\text{algebra}")], y, where=where)
    back = make_chain(r"\operatorname{logit}\bigl(\sigma(x)\bigr)", "logit(sigmoid(x))",
                      [(log(sigmoid(x) / (1 - sigmoid(x))), r"\text{definition}"),
                       (log(exp(x)), r"\sigma(x)/(1 - \sigma(x)) = e^{x}"),
                       (x, "")], x)
    slope = make_chain(r"\operatorname{logit}'(y)", "logit'(y)",
                       [(sympy.diff(log(y / (1 - y)), y), r"\text{chain rule}"),
                        (1 / (y * (1 - y)), r"\text{algebra}")], y, where=where)
    secs = [
        Section("Solving y = σ(x)",
                "From $y = 1/(1 + e^{-x})$: $1/y = 1 + e^{-x}$, so $e^{-x} = (1 - y)/y$ "
                "and $x = \\ln\\frac{y}{1 - y} = \\operatorname{logit}(y)$, for "
                "$0 < y < 1$. Check that it inverts $\\sigma$:", chains=(solve,)),
        Section("And the other way", "", chains=(back,)),
        Section("The slope of the inverse",
                "$\\operatorname{logit}'(y) = 1/\\sigma'(x)$ at $y = \\sigma(x)$, "
                "since $\\sigma' = \\sigma(1 - \\sigma)$:", chains=(slope,),
                facts=(_claim_fact(r"\sigma(\operatorname{logit}(p)) = p \quad (0 < p < 1)",
                                   "sigmoid(logit(p)) == p where 0 < p < 1"),)),
    ]
    return Derivation("The sigmoid and the logit are inverse", secs, logit(y),
                      subject="sigmoid")


def relu_gaussian_mean():
    """E[relu(Z)] = ∫_0^∞ zφ(z) dz = [−φ]_0^∞ = φ(0) = 1/√(2π)."""
    z = _z
    anti = make_chain(r"\frac{d}{dz}\bigl(-\phi(z)\bigr)", "d/dz (-phi(z))",
                      [(sympy.diff(-phi(z), z), r"\phi'(z) = -z\,\phi(z)")], z)
    value = make_chain(r"\bigl[-\phi(z)\bigr]_0^\infty", "[-phi(z)]_0^oo",
                       [(phi(0) - 0, r"\phi(z) \to 0 \text{ as } z \to \infty"),
                        (1 / sqrt(2 * pi), r"\phi(0) = 1/\sqrt{2\pi}")], z)
    facts = (
        _expect_fact(r"\mathbb{E}[\operatorname{relu}(Z)] = \frac{1}{\sqrt{2\pi}} "
                     r"\approx 0.39894", "E[relu(Z)] = 1/sqrt(2 pi)", Max(0, x),
                     1 / sqrt(2 * pi)),
        _claim_fact(r"\mathbb{E}[\max(0, Z)] = 1/\sqrt{2\pi}",
                    "expect(max(0, z), z) == 1/sqrt(2*pi)"),
    )
    secs = [
        Section("The integral",
                "For $Z \\sim N(0, 1)$, $\\mathbb{E}[\\operatorname{relu}(Z)] = "
                "\\int_0^\\infty z\\,\\phi(z)\\,dz$, and $-\\phi$ is an antiderivative "
                "of $z\\phi(z)$:", chains=(anti,)),
        Section("Its value", "", chains=(value,), facts=facts),
    ]
    return Derivation("The mean of relu under a standard normal", secs, 1 / sqrt(2 * pi),
                      subject="relu")


#: name -> builder
SPECIAL = {
    "sigmoid_slope_bound": sigmoid_slope_bound,
    "softplus_relu_gap": softplus_relu_gap,
    "selu_fixed_point": selu_fixed_point,
    "sigmoid_inverse": sigmoid_inverse,
    "relu_gaussian_mean": relu_gaussian_mean,
}


def is_special(name):
    return isinstance(name, str) and name.strip().lower().replace("-", "_") in SPECIAL


def build(name):
    """The named derivation (checked)."""
    key = name.strip().lower().replace("-", "_")
    if key not in SPECIAL:
        hint = closest(key, list(SPECIAL))
        raise UnknownNameError(f"unknown derivation {name!r}" +
                               (f"; did you mean {' or '.join(hint)}?" if hint else ""))
    return SPECIAL[key]()
