"""Initialisation gains derived from Gaussian moments, beside PyTorch's
``calculate_gain``, and the mean-field variance map.

forward gain 1/√E[f(Z)²] keeps the second moment of pre-activations at 1;
backward gain 1/√E[f′(Z)²] keeps the gradients' (Z ~ N(0, 1)).

>>> import symacts
>>> g = gains(symacts.get("relu"))
>>> g["forward"].exact, g["backward"].exact, g["pytorch"].exact
(sqrt(2), sqrt(2), sqrt(2))
>>> gains(symacts.get("leaky_relu", a=0.2))["forward"].exact
5*sqrt(13)/13
"""
from __future__ import annotations

import mpmath
import sympy
from sympy import Rational, S, sqrt

from .facts import Fact, exact_fact, mp_fact
from .gaussian import _mpf, _quadrature, expect
from .pieces import check_input, strip_dirac

__all__ = ["gains", "pytorch_gain", "mean_field"]


def pytorch_gain(act):
    """``torch.nn.init.calculate_gain`` for this activation, or None (no entry).

    PyTorch's table: linear/identity 1, sigmoid 1, tanh 5/3, relu √2,
    leaky_relu √(2/(1 + a²)), selu 3/4; nothing for gelu, silu, mish, elu ...
    """
    name = getattr(act, "name", None)
    table = {"identity": S.One, "sigmoid": S.One, "tanh": Rational(5, 3),
             "relu": sqrt(2), "selu": Rational(3, 4)}
    if name == "leaky_relu":
        a = act.values["a"]
        return sqrt(2 / (1 + a**2))
    return table.get(name)


def _inv_sqrt(fact, name, digits):
    if fact.exact is not None:
        if fact.exact == 0:
            return Fact(name, method="none", note="undefined: the moment is 0")
        return exact_fact(name, sympy.radsimp(1 / sqrt(fact.exact)), digits,
                          note=f"1/sqrt({fact.name})")
    with mpmath.workdps(digits + 10):
        v = _mpf(fact, digits)
        return mp_fact(name, 1 / mpmath.sqrt(v), digits, fact.method,
                       note=f"1/sqrt({fact.name}); {fact.note}")


def gains(act, digits=30):
    """Forward and backward gains (Facts), PyTorch's value and χ₁ = E[f′²]/E[f²]
    (the slope of the mean-field variance map at its fixed point q* = 1 when
    σ_w² = forward gain², σ_b = 0: > 1 chaotic, < 1 ordered)."""
    expr, var, _, _ = check_input(act)
    d = strip_dirac(sympy.diff(expr, var))
    m2 = expect(expr**2, var, digits=digits, name="E[f(Z)^2]")
    d2 = expect(d**2, var, digits=digits, name="E[f'(Z)^2]")
    out = {"second_moment": m2, "second_moment_derivative": d2,
           "forward": _inv_sqrt(m2, "forward gain", digits),
           "backward": _inv_sqrt(d2, "backward gain", digits)}
    pt = pytorch_gain(act)
    out["pytorch"] = exact_fact("torch calculate_gain", pt, digits) if pt is not None \
        else Fact("torch calculate_gain", method="none",
                  note="PyTorch has no entry for this activation")
    if m2.exact is not None and d2.exact is not None and m2.exact != 0:
        out["chi1"] = exact_fact("chi_1 at q* = 1", sympy.simplify(d2.exact / m2.exact)
                                 if sympy.count_ops(d2.exact / m2.exact) < 40
                                 else d2.exact / m2.exact, digits)
    else:
        with mpmath.workdps(digits + 10):
            a, b = _mpf(d2, digits), _mpf(m2, digits)
            out["chi1"] = mp_fact("chi_1 at q* = 1", a / b if b else mpmath.nan, digits,
                                  "quadrature" if "numeric" not in (m2.method, d2.method)
                                  else "numeric", note="E[f'²]/E[f²]")
    return out


def mean_field(act, sigma_w2, sigma_b2=0, digits=20):
    """Fixed point q* of q ↦ σ_w² E[f(√q Z)²] + σ_b² and its slope
    χ₁ = σ_w² E[f′(√q* Z)²] (quadrature; q* > 0 sought from q = 1).

    >>> import symacts
    >>> r = mean_field(symacts.get("tanh"), 2, 0.1)
    >>> r["q_star"].decimal[:8], r["chi1"].decimal[:6]
    ('0.814644', '1.0030')
    """
    expr, var, _, _ = check_input(act)
    d = strip_dirac(sympy.diff(expr, var))
    sw, sb = sympy.nsimplify(sigma_w2), sympy.nsimplify(sigma_b2)
    dps = digits + 10

    def E(e, q):
        s = sympy.Rational(str(q)) if not isinstance(q, sympy.Basic) else q
        return _quadrature(e, var, S.Zero, sympy.sqrt(s), digits)[0]

    with mpmath.workdps(dps):
        w, b = mpmath.mpf(str(sympy.N(sw, dps))), mpmath.mpf(str(sympy.N(sb, dps)))
        q = mpmath.mpf(1)
        for _ in range(200):  # fixed-point iteration, then a secant polish
            qn = w * E(expr**2, mpmath.nstr(q, dps)) + b
            if abs(qn - q) < mpmath.mpf(10) ** (-8):
                q = qn
                break
            q = qn
        q = mpmath.findroot(lambda t: w * E(expr**2, mpmath.nstr(t, dps)) + b - t, q,
                            tol=mpmath.mpf(10) ** (-digits - 2))
        chi = w * E(d**2, mpmath.nstr(q, dps))
    note = f"σ_w² = {sw}, σ_b² = {sb}; mpmath quadrature and findroot"
    return {"q_star": mp_fact("q*", q, digits, "numeric", note=note),
            "chi1": mp_fact("chi_1", chi, digits, "numeric", note=note)}
