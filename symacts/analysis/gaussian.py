"""Gaussian statistics of an activation: E[g(Z)] for Z ~ N(μ, σ²).

Exact routes first: parity (μ = 0), a closed-form engine for branches that
are sums of ``c·x^k·exp(q(x))`` (q of degree ≤ 2: relu, elu, selu, hard_*,
squared_relu, the Gaussian bump ...), then SymPy's integrate under a short
budget for Φ/erf integrands (gelu). Otherwise mpmath quadrature split at the
kinks, at raised precision, with its error estimate checked.

>>> from sympy import Max, tanh
>>> from symacts.catalog import X as x
>>> expect(Max(0, x), x).exact
sqrt(2)/(2*sqrt(pi))
>>> f = expect(tanh(x)**2, x)
>>> f.method, f.decimal[:12]
('quadrature', '0.3942944903')
"""
from __future__ import annotations

import mpmath
import sympy
from sympy import Mul, Poly, S, binomial, exp, oo, sqrt

from ..catalog.values import to_exact
from ..errors import DomainError, InputError
from ..export.mp import mp_lambdify
from ..functions import Phi, elementary, phi, sigmoid, softplus, logit
from .budget import attempt
from .facts import Fact, exact_fact, mp_fact
from .pieces import check_input, kinks, pieces, strip_dirac

__all__ = ["expect", "moments", "prob_zero", "exp_poly_expectation"]

#: budget for SymPy's integrate
SECONDS = 1.5


def _params(mu, sigma):
    mu, sigma = to_exact(mu), to_exact(sigma)
    if sigma.is_positive is False or sigma == 0:
        raise DomainError(f"sigma must be > 0, got {sigma}")
    return mu, sigma


def _T(j, al, be, memo):
    """∫_al^be t^j φ(t) dt for the standard normal density."""
    if j in memo:
        return memo[j]
    if j == 0:
        v = Phi(be) - Phi(al)
    elif j == 1:
        v = phi(al) - phi(be)
    else:
        def edge(t):
            return S.Zero if t in (oo, -oo) else t**(j - 1) * phi(t)
        v = (j - 1) * _T(j - 2, al, be, memo) + edge(al) - edge(be)
    memo[j] = v
    return v


def _term(t, var):
    """t = c·x^k·exp(q) -> (c, k, q) or None."""
    c, rest = t.as_independent(var, as_Add=False)
    k, q = 0, S.Zero
    for f in Mul.make_args(rest):
        if f == 1:
            continue
        b, e = f.as_base_exp()
        if b == var and e.is_Integer and e >= 0:
            k += int(e)
        elif isinstance(b, exp) and not e.has(var):
            q += e * b.args[0]
        elif b is S.Exp1 and e.has(var):
            q += e
        else:
            return None
    try:
        p = Poly(sympy.expand(q), var)
    except sympy.PolynomialError:
        return None
    if p.degree() > 2 or any(cf.has(var) for cf in p.coeffs()):
        return None
    return c, k, sympy.expand(q)


def _piece_integral(g, var, a, b, mu, sigma):
    """E[g(Z) 1{a < Z < b}] in closed form, or None."""
    g = sympy.expand(elementary(g))
    total = S.Zero
    if g == 0:
        return total
    for t in sympy.Add.make_args(g):
        parts = _term(t, var)
        if parts is None:
            return None
        c, k, q = parts
        p = Poly(q, var)
        q2, q1, q0 = (p.coeff_monomial(var**2), p.coeff_monomial(var), p.coeff_monomial(1))
        A = q2 - 1 / (2 * sigma**2)
        if A.is_negative is not True:
            return None
        B = q1 + mu / sigma**2
        C = q0 - mu**2 / (2 * sigma**2)
        h = -B / (2 * A)
        s = sqrt(-1 / (2 * A))
        const = exp(C - B**2 / (4 * A)) * s / sigma
        al = (a - h) / s if a is not -oo else -oo
        be = (b - h) / s if b is not oo else oo
        memo = {}
        mk = sum(binomial(k, j) * h**(k - j) * s**j * _T(j, al, be, memo)
                 for j in range(k + 1))
        total += c * const * mk
    return total


def exp_poly_expectation(expr, var, mu=S.Zero, sigma=S.One):
    """E[expr(Z)] exactly when every branch is a sum of c·x^k·exp(quadratic);
    ``None`` otherwise. ``mu`` and ``sigma`` may be symbols (sigma positive).

    >>> from sympy import Symbol, Piecewise, exp
    >>> from symacts.catalog import X as x
    >>> a = Symbol('a', positive=True)
    >>> exp_poly_expectation(Piecewise((x, x > 0), (a * (exp(x) - 1), True)), x)
    a*(-1/2 + exp(1/2)*Phi(-1)) + sqrt(2)/(2*sqrt(pi))
    """
    total = S.Zero
    for p in pieces(expr, var):
        v = _piece_integral(p.branch, var, p.lo, p.hi, mu, sigma)
        if v is None:
            return None
        total += v
    if total.free_symbols:
        return sympy.collect(sympy.expand(total), sorted(total.free_symbols, key=str))
    return _tidy(total) if sympy.count_ops(total) < 60 else total


def _tidy(v):
    if sympy.count_ops(v) > 300:  # SymPy's simplify does not finish on these in time
        return v
    out = attempt(sympy.simplify, v, seconds=1.0)
    return out.value if out.ok and sympy.count_ops(out.value) <= sympy.count_ops(v) else v


_HARD = (sigmoid, softplus, logit, sympy.tanh, sympy.log, sympy.atan, sympy.sin,
         sympy.cos, sympy.LambertW)


def _erf_degree(e, var):
    """The highest total power of erf/erfc factors of ``var`` in a term of ``e``."""
    if sympy.count_ops(e) > 500:
        return 0
    top = 0
    for term in sympy.Add.make_args(sympy.expand(e)):
        n = 0
        for f in Mul.make_args(term):
            b, k = f.as_base_exp()
            if isinstance(b, (sympy.erf, sympy.erfc)) and b.has(var) and k.is_Integer:
                n += int(k)
        top = max(top, n)
    return top


def _sympy_integral(expr, var, mu, sigma):
    if not expr.has(Phi, phi, sympy.erf, sympy.erfc) or expr.has(*_HARD) or any(isinstance(p, sympy.Pow) and p.exp.is_Rational and
                               not p.exp.is_Integer and p.base.has(var)
                               for p in expr.atoms(sympy.Pow)):
        return None, "integrand outside SymPy's closed forms"
    if _erf_degree(elementary(expr), var) >= 2:
        return None, "a product of two error functions: SymPy's integrate has no rule"
    dens = exp(-(var - mu)**2 / (2 * sigma**2)) / (sqrt(2 * sympy.pi) * sigma)
    total = S.Zero
    for p in pieces(expr, var):
        out = attempt(sympy.integrate, elementary(p.branch) * dens, (var, p.lo, p.hi),
                      seconds=SECONDS)
        if not out.ok or out.value.has(sympy.Integral) or not out.value.is_number:
            return None, out.reason or "SymPy's integrate did not close"
        total += out.value
    return _tidy(total), ""


def _quadrature(expr, var, mu, sigma, digits):
    f = mp_lambdify(expr, var)
    ks = kinks(expr, var)
    dps = digits + 12
    with mpmath.workdps(dps):
        m, s = mpmath.mpf(mu._to_mpmath(dps * 4)) if mu else mpmath.mpf(0), \
            mpmath.mpf(sigma._to_mpmath(dps * 4))
        c = 1 / mpmath.sqrt(2 * mpmath.pi)
        cuts = sorted({(mpmath.mpf(k._to_mpmath(dps * 4)) - m) / s for k in ks} | {0})
        pts = [-mpmath.inf, *cuts, mpmath.inf]

        def integrand(t):
            return f(m + s * t) * mpmath.exp(-t * t / 2) * c
        val, err = mpmath.quad(integrand, pts, error=True, maxdegree=10)
        tol = mpmath.mpf(10) ** (-digits - 2) * max(abs(val), mpmath.mpf(10) ** (-dps))
        if err > tol:
            with mpmath.workdps(dps + 20):
                val2, err = mpmath.quad(integrand, pts, error=True, maxdegree=14)
            if abs(val2 - val) > tol * 10:
                return val2, False, err
            val = val2
        return val, True, err


def _singular_free(expr, var):
    """True when no factor of ``expr`` can be infinite or undefined at a real
    point (structurally: negative powers of positive bases only, roots of
    nonnegative ones, no log, logit, inverse trigonometric or Lambert W).

    >>> from sympy import Symbol, exp, sqrt
    >>> x = Symbol('x', real=True)
    >>> _singular_free(x / (1 + exp(x)), x), _singular_free(1 / x, x), _singular_free(sqrt(x), x)
    (True, False, False)
    >>> from sympy import log
    >>> _singular_free(log(1 + exp(x)), x), _singular_free(log(x), x)
    (True, False)
    """
    from ..functions import logit
    from .extrema import _PARTIAL
    if any(not (isinstance(f, sympy.log) and f.args[0].is_positive)
           for f in expr.atoms(*_PARTIAL, logit, sympy.tan, sympy.cot, sympy.sec,
                               sympy.csc, sympy.gamma, sympy.zeta)):
        return False  # (log of a positive argument, log σ(x), is fine)
    for p in expr.atoms(sympy.Pow):
        if not p.base.has(var) or (p.exp.is_integer and p.exp.is_nonnegative):
            continue
        if p.exp.is_negative and p.base.is_positive:
            continue
        if p.exp.is_positive and p.base.is_nonnegative:
            continue
        return False
    return True


def _dominated(expr, var):
    """f(x)·e^{-x²/4} has finite limits at ±oo (SymPy, under a budget), so
    |f|·φ is integrable where f is locally bounded: the condition for the
    odd-integrand shortcut (E[x·e^{x²}] does not exist, though x·e^{x²} is odd).

    >>> from sympy import Symbol, exp, tanh
    >>> x = Symbol('x', real=True)
    >>> _dominated(x * tanh(x), x), _dominated(x * exp(x**2), x)
    (True, False)
    """
    from .budget import attempt
    g = expr * sympy.exp(-var**2 / 4)
    for end in (oo, -oo):
        out = attempt(sympy.limit, g, var, end, seconds=2.0)
        if not (out.ok and out.value.is_finite):
            return False
    return True


def expect(expr, var=None, mu=0, sigma=1, digits=30, name=None, exact=True) -> Fact:
    """E[expr(Z)] for Z ~ N(mu, sigma²) as a :class:`Fact`."""
    expr, var, _, _ = check_input(expr, var)
    expr = strip_dirac(expr)
    mu, sigma = _params(mu, sigma)
    name = name or f"E[{sympy.sstr(expr)}]"
    if not _singular_free(expr, var):
        # 1/x is odd and SymPy's integrate gives 0 (a principal value), but
        # E[1/Z] does not exist: no shortcut, no closed form, no quadrature
        return Fact(name, method="none", note=(
            "the integrand may be infinite or undefined at a real point: "
            "integrability is not established, so no value is given"))
    if exact:
        if mu == 0 and sigma == 1 and _dominated(expr, var):
            from .calculus import parity
            par = parity(expr, var)
            if par == "odd":
                return exact_fact(name, S.Zero, digits, note="odd integrand")
            if par.startswith("odd + "):
                return exact_fact(name, sympy.sympify(par[6:]), digits,
                                  note="f - c is odd")
        v = exp_poly_expectation(expr, var, mu, sigma)
        if v is not None:
            return exact_fact(name, v, digits, note="closed form (Gaussian integrals of "
                              "x^k·exp(quadratic) per branch)")
        v, why = _sympy_integral(expr, var, mu, sigma)
        if v is not None:
            try:
                return exact_fact(name, v, digits, note="SymPy integrate")
            except (InputError, ArithmeticError):
                pass  # a closed form arb cannot evaluate (meijerg ...): quadrature
    val, ok, err = _quadrature(expr, var, mu, sigma, digits)
    note = f"mpmath.quad split at the kinks, error estimate {mpmath.nstr(err, 3)}"
    return mp_fact(name, val, digits, "quadrature" if ok else "numeric",
                   note=note if ok else note + " (two precisions disagree)")


def prob_zero(expr, var=None, mu=0, sigma=1, digits=30) -> Fact:
    """P(f(Z) = 0): the Gaussian mass of the intervals where f vanishes.

    >>> from sympy import Max
    >>> from symacts.catalog import X as x
    >>> prob_zero(Max(0, x), x, mu=1, sigma=2).exact
    Phi(-1/2)
    """
    expr, var, _, _ = check_input(expr, var)
    mu, sigma = _params(mu, sigma)
    total = S.Zero
    for p in pieces(expr, var):
        if sympy.expand(p.branch) == 0:
            hi = S.One if p.hi is oo else Phi((p.hi - mu) / sigma)
            lo = S.Zero if p.lo is -oo else Phi((p.lo - mu) / sigma)
            total += hi - lo
    return exact_fact("P(f(Z) = 0)", total, digits,
                      note="isolated zeros carry no mass")


def _mpf(fact, digits):
    if fact.exact is not None:
        return mpmath.mpf(str(sympy.N(fact.exact, digits + 10)))
    return mpmath.mpf(fact.decimal)


def moments(expr, var=None, mu=0, sigma=1, digits=30) -> dict:
    """E[f], E[f²], Var, E[f′], E[f′²] and P(f = 0) under N(mu, sigma²)."""
    expr, var, _, _ = check_input(expr, var)
    d = strip_dirac(sympy.diff(expr, var))
    m1 = expect(expr, var, mu, sigma, digits, "E[f(Z)]")
    m2 = expect(expr**2, var, mu, sigma, digits, "E[f(Z)^2]")
    if m1.exact is not None and m2.exact is not None:
        var_f = exact_fact("Var[f(Z)]", _tidy(m2.exact - m1.exact**2), digits)
    elif "none" in (m1.method, m2.method):
        var_f = Fact("Var[f(Z)]", method="none", note="E[f] or E[f²] has no value")
    else:
        with mpmath.workdps(digits + 10):
            a, b = _mpf(m1, digits), _mpf(m2, digits)
            method = "quadrature" if "numeric" not in (m1.method, m2.method) else "numeric"
            var_f = mp_fact("Var[f(Z)]", b - a * a, digits, method,
                            note="E[f²] - E[f]² from the two facts above")
    return {"mean": m1, "second_moment": m2, "variance": var_f,
            "mean_derivative": expect(d, var, mu, sigma, digits, "E[f'(Z)]"),
            "second_moment_derivative": expect(d**2, var, mu, sigma, digits,
                                               "E[f'(Z)^2]"),
            "prob_zero": prob_zero(expr, var, mu, sigma, digits)}
