"""The SELU fixed point: (α, λ) that make (mean μ, variance ν) a fixed point
of the moment map of λ·elu_α, solved in closed form from the catalog's own
``selu`` expression (Gaussian integrals per branch), to any digits.

For z ~ N(μω, ντ) the mean is λ(P₀ + αP₁) and the second moment λ²(Q₀ + α²Q₂)
(the branches are disjoint); the fixed-point equations are linear in λ and
quadratic in α.

>>> r = selu_constants(digits=40)
>>> r["alpha"].decimal[:32], r["lambda"].decimal[:32]
('1.673263242354377284817042991671', '1.050700987355480493419334985294')
>>> r["jacobian_norm"].decimal[:7]  # Klambauer et al.: about 0.7877
'0.78767'
"""
from __future__ import annotations

import sympy
from sympy import Symbol, sqrt

from ..catalog import get
from ..catalog.values import to_exact
from ..errors import DomainError
from ..export.arb import arb_lambdify, workprec
from .facts import ball_fact, enclose
from .gaussian import exp_poly_expectation

__all__ = ["selu_constants", "moment_map"]

_A, _L = Symbol("alpha", positive=True), Symbol("scale", positive=True)
_M, _V = Symbol("mu", real=True), Symbol("nu", positive=True)


def moment_map(omega=0, tau=1):
    """(E[f(z)], Var[f(z)]) for z ~ N(μω, ντ), f = λ elu_α: SymPy in
    (alpha, scale, mu, nu), derived from the catalog's selu."""
    act = get("selu", alpha=_A, scale=_L)
    x = act.variable
    om, ta = to_exact(omega), to_exact(tau)
    mean = exp_poly_expectation(act.expr, x, _M * om, sqrt(_V * ta))
    second = exp_poly_expectation(act.expr**2, x, _M * om, sqrt(_V * ta))
    return mean, second - mean**2, second


def _coeffs(mean, second):
    m = sympy.expand(mean)
    s = sympy.expand(second)
    p1 = m.coeff(_L).coeff(_A)
    p0 = sympy.expand(m.coeff(_L) - p1 * _A)
    q2 = s.coeff(_L, 2).coeff(_A, 2)
    q0 = sympy.expand(s.coeff(_L, 2) - q2 * _A**2)
    return p0, p1, q0, q2


def selu_constants(mean=0, var=1, omega=0, tau=1, digits=30):
    """α, λ for the fixed point (mean, var) with weights (ω, τ) = (Σw, Σw²),
    their closed forms, and the Jacobian of the moment map there with its
    spectral norm (< 1: the fixed point attracts)."""
    mu, nu = to_exact(mean), to_exact(var)
    if not 1 <= int(digits) <= 5000:
        raise DomainError(f"digits must be between 1 and 5000, got {digits}")
    if not nu.is_positive:
        raise DomainError(f"the target variance must be > 0, got {nu}")
    m_map, v_map, second = moment_map(omega, tau)
    at = {_M: mu, _V: nu}
    P0, P1, Q0, Q2 = sympy.symbols("P0 P1 Q0 Q2", real=True)
    vals = dict(zip((P0, P1, Q0, Q2),
                    (sympy.sympify(c).xreplace(at) for c in _coeffs(m_map, second))))
    if mu == 0:
        roots = [(-P0 / P1, sqrt(nu / (Q0 + (P0 / P1)**2 * Q2)))]
    else:
        a = mu**2 * Q2 - (nu + mu**2) * P1**2
        b = -2 * (nu + mu**2) * P0 * P1
        c = mu**2 * Q0 - (nu + mu**2) * P0**2
        roots = []
        for sgn in (1, -1):
            al = (-b + sgn * sqrt(b**2 - 4 * a * c)) / (2 * a)
            roots.append((al, mu / (P0 + al * P1)))
    bits = int(digits * 3.33) + 64
    cvals = [enclose(vals[s], digits + 10) for s in (P0, P1, Q0, Q2)]
    chosen = None
    for al, lam in roots:
        with workprec(bits):
            fa = arb_lambdify(al, [P0, P1, Q0, Q2])(*cvals)
            fl = arb_lambdify(lam, [P0, P1, Q0, Q2])(*cvals)
        if fa > 0 and fl > 0:
            chosen = (al, lam, fa, fl)
            break
    if chosen is None:
        raise DomainError(f"no SELU with alpha > 0, lambda > 0 has the fixed point "
                          f"(mean {mu}, variance {nu})")
    al, lam, fa, fl = chosen
    with sympy.evaluate(False):
        alpha_exact, lam_exact = al.xreplace(vals), lam.xreplace(vals)
    J = [[sympy.diff(m_map, _M), sympy.diff(m_map, _V)],
         [sympy.diff(v_map, _M), sympy.diff(v_map, _V)]]
    with workprec(bits):
        Jb = [[arb_lambdify(sympy.sympify(e).xreplace(at), [_A, _L])(fa, fl) for e in row]
              for row in J]
        fro = sum(e * e for row in Jb for e in row)
        det = Jb[0][0] * Jb[1][1] - Jb[0][1] * Jb[1][0]
        norm = ((fro + (fro * fro - 4 * det * det).sqrt()) / 2).sqrt()
    note = f"fixed point (mean {mu}, variance {nu}), ω = {omega}, τ = {tau}"
    closed = (f"P0 = {sympy.sstr(vals[P0])}, P1 = {sympy.sstr(vals[P1])}, "
              f"Q0 = {sympy.sstr(vals[Q0])}, Q2 = {sympy.sstr(vals[Q2])}")
    return {"alpha": ball_fact("alpha", fa, digits, "symbolic", exact=alpha_exact,
                               note=note),
            "lambda": ball_fact("lambda", fl, digits, "symbolic", exact=lam_exact,
                                note=note),
            "closed_form": {"alpha": sympy.sstr(al), "lambda": sympy.sstr(lam),
                            "where": closed},
            "jacobian": [[ball_fact(f"J[{i}{j}]", Jb[i][j], digits, note="d(mean, var)"
                                    "/d(mu, nu) at the fixed point")
                          for j in range(2)] for i in range(2)],
            "jacobian_norm": ball_fact("spectral norm of J", norm, digits,
                                       note="largest singular value; < 1 attracts")}
