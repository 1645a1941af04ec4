"""Stable rewrite rules: pattern -> numerically stable node, on the SymPy tree.

Each rule looks at one node and returns a replacement or ``None``.
:func:`stabilize` applies them bottom-up until nothing changes, so any
expression benefits, not just the catalog's. The rules never change the
value (``tests/test_export_rules.py`` checks each at 40 digits); they only
trade a float-hostile form for one a float kernel evaluates accurately.

>>> from sympy import Symbol, exp, log, tanh
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> stabilize(sigmoid(x) * (1 - sigmoid(x)), x)
Sech2(x/2)/4
>>> stabilize(1 - tanh(x)**2, x)
Sech2(x)
>>> stabilize(log(1 + exp(x)) + exp(x) - 1, x)
Expm1(x) + softplus(x)
"""
from __future__ import annotations

import functools
import math

import mpmath
import sympy
from sympy import (Abs, Add, Mul, Piecewise, Pow, S, cos, erf, erfc, exp, log,
                   piecewise_fold, pi, sign, sin, sqrt, tanh)

from ..functions import Phi, phi, sigmoid, softplus
from .nodes import (DivPow, Expm1, ExpNegSq, ExpRatio, GaussScaled, Hypot1, Log1p, SoftplusBeta,
                    LogSigmoid, Mills, Recip1pSq, Sech2, SinShift, SinSq, Times)

__all__ = ["RULES", "stabilize", "trig_squares", "one_plus_sin", "sin_sq_difference", "far_field", "exp_tails", "TAIL", "EXP_TAIL", "Q_TAIL", "SIG_KAPPA"]

#: Below this argument Φ(u) is computed as φ(u)·Mills(u) (no erfc cancellation;
#: SciPy's ndtr is off by up to 3 ULP on [-1, 0], the erfcx table by 1).
TAIL = 0


def _split_add(e, pred):
    """Terms of Add ``e`` as (number n, list of (coeff, core) with pred(core))."""
    n = S.Zero
    hits, rest = [], []
    for t in e.args:
        if t.is_Number:
            n += t
            continue
        c, core = t.as_coeff_Mul()
        if pred(core):
            hits.append((c, core, t))
        else:
            rest.append(t)
    return n, hits, rest


def _complement(e, pred, make):
    """``n + c*core`` with ``c == ±n`` -> ``make(core, n, c)``; generic helper."""
    if not isinstance(e, Add):
        return None
    n, hits, rest = _split_add(e, pred)
    if n == 0:
        return None
    for c, core, term in hits:
        if c == -n or c == n:
            new = make(core, n, c)
            if new is None:
                continue
            others = [t for t in e.args if t is not term and not t.is_Number]
            return Add(new, *others)
    return None


# -- the rules ---------------------------------------------------------------

def one_minus_sigmoid(e):
    """n - n·σ(u) -> n·σ(-u)  (σ(x)(1 - σ(x)) is 0 at x = 40 otherwise)."""
    return _complement(e, lambda c: isinstance(c, sigmoid),
                       lambda core, n, c: n * sigmoid(-core.args[0]) if c == -n else None)


def one_minus_tanh_squared(e):
    """n - n·tanh(u)² -> n·sech²(u)."""
    def is_tanh2(c):
        return isinstance(c, Pow) and c.exp == 2 and isinstance(c.base, tanh)
    return _complement(e, is_tanh2,
                       lambda core, n, c: n * Sech2(core.base.args[0]) if c == -n else None)


def one_plus_tanh(e):
    """n ± n·tanh(u) -> 2n·σ(±2u)."""
    return _complement(e, lambda c: isinstance(c, tanh),
                       lambda core, n, c: 2 * n * sigmoid(2 * core.args[0] * (c / n)))


def expm1_rule(e):
    """n·exp(u) - n -> n·expm1(u)."""
    return _complement(e, lambda c: isinstance(c, exp),
                       lambda core, n, c: c * Expm1(core.args[0]) if c == -n else None)


def erf_complement(e):
    """n ± n·erf(u) -> n·erfc(∓u)."""
    return _complement(e, lambda c: isinstance(c, erf),
                       lambda core, n, c: n * erfc(-core.args[0] * (c / n)))


def log_rules(e):
    """log σ(u) -> log_sigmoid(u); log(1 + eᵘ) -> softplus(u); log(1 + v) -> log1p(v)."""
    if not isinstance(e, log):
        return None
    a = e.args[0]
    if isinstance(a, sigmoid):
        return LogSigmoid(a.args[0])
    if isinstance(a, Add) and S.One in a.args:
        v = Add(*[t for t in a.args if t is not S.One]) if len(a.args) > 2 else \
            [t for t in a.args if t is not S.One][0]
        if isinstance(v, exp):
            return softplus(v.args[0])
        if v.free_symbols:
            return Log1p(v)
    return None


def sigmoid_from_exp(e):
    """1/(1 + e^v) -> σ(-v); e^v·σ(-v) -> σ(v) (e^x/(1 + e^x): nan from x = 710)."""
    if isinstance(e, Pow) and e.exp == -1 and isinstance(e.base, Add) \
            and len(e.base.args) == 2 and S.One in e.base.args:
        v = [t for t in e.base.args if t is not S.One][0]
        if isinstance(v, exp):
            return sigmoid(-v.args[0])
    if isinstance(e, Mul):
        for f in e.args:
            if isinstance(f, exp) and sigmoid(-f.args[0]) in e.args:
                g = sigmoid(-f.args[0])
                return Mul(*[a for a in e.args if a is not f and a != g]) * sigmoid(f.args[0])
    return None


def softplus_beta(e):
    """softplus(u, β) -> :class:`SoftplusBeta` (u, β) for a number β ≠ 1
    (printed with β·u a double-double), else softplus(βu)/β."""
    if isinstance(e, softplus) and len(e.args) == 2:
        b = e.beta
        if b.is_number and b.is_positive and b != 1:
            return SoftplusBeta(e.args[0], b)
        return softplus(b * e.args[0]) / b
    return None


def hypot_rule(e):
    """√(1 + u²) -> hypot(u, 1) (u² would overflow)."""
    if isinstance(e, Pow) and e.exp == S.Half and isinstance(e.base, Add) \
            and len(e.base.args) == 2 and S.One in e.base.args:
        v = [t for t in e.base.args if t is not S.One][0]
        if isinstance(v, Pow) and v.exp == 2:
            return Hypot1(v.base)
    if isinstance(e, Pow) and e.exp == -S.Half:
        inner = hypot_rule(Pow(e.base, S.Half))
        if inner is not None:
            return 1 / inner
    return None


def hypot_minus_one(e):
    """n·hypot(u, 1) - n -> n·u²/(hypot(u, 1) + 1)  (bent identity near 0)."""
    return _complement(e, lambda c: isinstance(c, Hypot1),
                       lambda core, n, c: c * core.args[0]**2 / (core + 1) if c == -n else None)


def abs_sign(e):
    """u·sign(u) -> |u| (lets the rational cancellation below see it)."""
    if isinstance(e, Mul):
        for f in e.args:
            if isinstance(f, sign) and f.args[0] in e.args:
                rest = [a for a in e.args if a is not f and a != f.args[0]]
                return Mul(Abs(f.args[0]), *rest)
    return None


def sign_powers(e):
    """Exact identities of sign and Abs in a product, for real u:
    sign(u)^(k+2) -> sign(u)^k (k >= 1), sign(u)·|u| -> u, and sign(u)^2k·u^n
    -> u^n (n >= 1: both sides vanish at u = 0). softsign'' holds
    x·sign(x)²/(|x| + 1) beside sign(x); the rational cancellation below can
    only see that it is x/(|x| + 1) once the sign is gone."""
    if not isinstance(e, Mul):
        return None
    fs = list(e.args)
    for i, f in enumerate(fs):
        b, k = (f.base, f.exp) if isinstance(f, Pow) else (f, S.One)
        if not isinstance(b, sign) or not k.is_Integer or k < 1:
            continue
        u = b.args[0]
        rest = fs[:i] + fs[i + 1:]
        if k >= 3:
            return Mul(Pow(b, k - 2), *rest)
        for j, g in enumerate(rest):
            gb, gk = (g.base, g.exp) if isinstance(g, Pow) else (g, S.One)
            if isinstance(gb, Abs) and gb.args[0] == u and gk.is_Integer and gk >= 1:
                others = rest[:j] + rest[j + 1:]
                return Mul(Pow(b, k - 1), Pow(gb, gk - 1), u, *others)
            if k == 2 and (gb == u or isinstance(gb, Abs) and gb.args[0] == u) \
                    and gk.is_Integer and gk >= 1:
                return Mul(*rest)
    return None


def _finite_at(t, sym, r):
    try:
        v = t.subs(sym, r)
    except (ZeroDivisionError, TypeError, ValueError):  # pragma: no cover - sympy gives zoo
        return False
    return v.is_number and v.is_finite is True


def dirac_vanishing(e):
    """g·δ(u)·c -> 0 where the polynomial g (or |g|) vanishes at the root r of
    the linear u and c is finite there (x·δ(x) = 0 as distributions); in a
    product g·(δ(u)·c + h) the δ term of the sum goes (softsign'' holds
    x·(δ(x) - sign(x)²/(|x| + 1)): the δ hid the cancellation from the rules).
    Off r the dropped terms are 0; at r the function has no second derivative
    (the reference has no value there) and the rewritten form gives the
    remaining terms' value."""
    if not isinstance(e, Mul):
        return None
    fs = list(e.args)
    deltas = {f.args[0] for f in e.atoms(sympy.DiracDelta) if len(f.args) == 1}
    for u in deltas:
        syms = u.free_symbols
        if len(syms) != 1:
            continue
        (sym,) = syms
        try:
            pu = sympy.Poly(u, sym)
        except sympy.PolynomialError:
            continue
        if pu.degree() != 1:
            continue
        r = sympy.solve(u, sym)[0]
        delta = sympy.DiracDelta(u)

        def vanishes(g):
            g = g.args[0] if isinstance(g, Abs) else g
            base = g.base if isinstance(g, Pow) and g.exp.is_Integer and g.exp > 0 else g
            return base.has(sym) and base.is_polynomial(sym) and base.subs(sym, r) == 0
        zeros = [g for g in fs if vanishes(g)]
        if not zeros:
            continue
        if delta in fs:
            others = [g for g in fs if g != delta]
            if _finite_at(Mul(*[g for g in others if g not in zeros]), sym, r):
                return S.Zero
        for j, a in enumerate(fs):
            if not isinstance(a, Add):
                continue
            keep = []
            for t in a.args:
                ts = Mul.make_args(t)
                if delta in ts and _finite_at(Mul(*[g for g in ts if g != delta]), sym, r):
                    continue
                keep.append(t)
            if len(keep) < len(a.args):
                return Mul(*(fs[:j] + [Add(*keep)] + fs[j + 1:]))
    return None


def _sign_abs_terms(num):
    """Each term of the expanded ``num`` with :func:`sign_powers` and
    :func:`abs_sign` applied (sign(x)·|x| + sign(x) - x -> sign(x))."""
    return sympy.expand(Add(*[_rewrite(t, [sign_powers, abs_sign]) for t in Add.make_args(num)]))


def rational_cancel(e):
    """An Add of rational terms whose numerator cancels -> the cancelled ratio
    (softsign' = 1/(1 + |x|)² rather than 1/(1 + |x|) - |x|/(1 + |x|)²). The
    terms may hold |u| and sign(u) (as atoms, with sign(u)·|u| = u; softsign''
    = -2 sign(x)/(|x| + 1)³, not -2(sign(x) - x/(|x| + 1))/(|x| + 1)²) and
    :class:`Recip1pSq` (as the ratio it is: bent_identity'' = 1 - x²/(x² + 1)
    -> 1/(x² + 1), which loses every digit at |x| > 1e8)."""
    if not isinstance(e, Add) or len(e.args) > 6:
        return None
    r1 = {f: 1 / (1 + f.args[0]**2) for f in e.atoms(Recip1pSq)}
    if e.atoms(sympy.Function) - e.atoms(Abs, sign) - set(r1):
        return None
    e = e.xreplace(r1) if r1 else e
    if not any(isinstance(t, Pow) and t.exp.is_negative for a in e.args
               for t in Mul.make_args(a)):
        return None
    num, den = sympy.fraction(sympy.together(e))
    num = sympy.expand(num)
    if e.has(sign):
        num = _sign_abs_terms(num)
    if len(Add.make_args(num)) < len(e.args):
        return num / den
    return None


def linear_root(e):
    """a·u + b -> a·(u + b/a) when b/a is a small exact number: the root -b/a
    is then exact (hard_sigmoid = (x + 3)/6, not x/6 + 1/2, near -3)."""
    if not isinstance(e, Add) or len(e.args) != 2:
        return None
    b = [t for t in e.args if t.is_Number]
    u = [t for t in e.args if not t.is_Number]
    if len(b) != 1 or len(u) != 1:
        return None
    a, core = u[0].as_coeff_Mul()
    if a in (1, -1) or not a.is_Rational or not core.is_Symbol:
        return None
    r = b[0] / a
    if r.is_Integer and abs(r) < 2**20 or (r.is_Rational and r.q in (2, 4, 8)):
        return Times(a, Add(core, r))
    return None


def reciprocal_one_plus_square(e):
    """1/(1 + u²) -> a kernel that switches to (1/u)² before u² overflows."""
    if isinstance(e, Pow) and e.exp == -1 and isinstance(e.base, Add) \
            and len(e.base.args) == 2 and S.One in e.base.args:
        v = [t for t in e.base.args if t is not S.One][0]
        if isinstance(v, Pow) and v.exp == 2:
            return Recip1pSq(v.base)
    return None


def sech2_softplus(e):
    """sech²(softplus u) -> 4σ(-u)²/(1 + σ(-u)²)² (exact: e^{-2 softplus u} =
    σ(-u)², and sech² v = 4e^{-2v}/(1 + e^{-2v})²). softplus u rounds to about u for u > 0, and sech²(v) has
    condition number 2|v|: sech²(softplus x) lost |x| ULP (mish'' 54 ULP at
    x = 33, growing with x); σ(-u) is accurate to about 1 ULP at any u."""
    if isinstance(e, Sech2) and isinstance(e.args[0], softplus) and len(e.args[0].args) == 1:
        w = sigmoid(-e.args[0].args[0])
        # Times keeps the 4 with its factor: as a product's coefficient the
        # printer applies it first (4·x overflows at x = 4.5e307 in mish'
        # before σ(-x) = 0 can win)
        return Times(4, w**2 / (1 + w**2)**2)
    return None


def sigmoid_product(e):
    """σ(u)·σ(-u) -> sech²(u/2)/4 (one exponential, no underflow of either factor)."""
    if not isinstance(e, Mul):
        return None
    sig = [a for a in e.args if isinstance(a, sigmoid)]
    for a in sig:
        for b in sig:
            if a is not b and sympy.expand(a.args[0] + b.args[0]) == 0:
                rest = [f for f in e.args if f is not a and f is not b]
                return Mul(*rest) * Sech2(a.args[0] / 2) / 4
    return None


def exp_neg_square(e):
    """c·exp(-k·u²) for k = 1/2 or 1 -> a Gaussian with u² split exactly."""
    if isinstance(e, exp):
        e = Mul(S.One, e, evaluate=False)
    if not isinstance(e, Mul):
        return None
    for f in e.args:
        if isinstance(f, exp):
            k, core = f.args[0].as_coeff_Mul()
            if isinstance(core, Pow) and core.exp == 2 and k in (-1, -S.Half):
                rest = Mul(*[g for g in e.args if g is not f])
                u = core.base
                if k == -1:
                    return ExpNegSq(u, rest)
                return GaussScaled(u, rest)
    return None


def _sin_sq(u, s):
    """SinSq(u, s) with s reduced mod 32 and u's sign made positive
    (sin²(-v + c) = sin²(v - c))."""
    c, _ = u.as_coeff_Mul()
    if c.is_negative:
        u, s = -u, -s
    return SinSq(u, S(int(s) % 32))


def trig_squares(e):
    """sin(u)² -> SinSq(u, 0), cos(u)² -> SinSq(u, 16) (cos u = sin(u +
    π/2)): printed with sin as a double-double (``k_sin_sq``), so the square
    and a sum it meets round once (snake = x + sin²x cancels mildly on
    [-1.5, -0.5]: 2.92 ULP with sin, the square and the sum rounded)."""
    if isinstance(e, Pow) and e.exp == 2 and isinstance(e.base, (sin, cos)):
        return _sin_sq(e.base.args[0], 0 if isinstance(e.base, sin) else 16)
    return None


def _sin_cos(core):
    """u if ``core`` is sin(u)·cos(u), else None."""
    if isinstance(core, Mul) and len(core.args) == 2:
        a, b = core.args
        if isinstance(b, sin):
            a, b = b, a
        if isinstance(a, sin) and isinstance(b, cos) and a.args[0] == b.args[0]:
            return a.args[0]
    return None


def one_plus_sin(e):
    """n ± n·sin v -> 2n·sin²(v/2 ± π/4), n ± 2n·sin u·cos u -> 2n·sin²(u ±
    π/4), n + n·cos v -> 2n·cos²(v/2), n - n·cos v -> 2n·sin²(v/2) and
    n - n·sin²(u + c) -> n·cos²(u + c), all as :class:`SinSq` (the shift
    exact): 1 + sin 2x vanishes at x = -π/4 + kπ, and snake' = 1 + 2 sin x
    cos x lost every digit there (1e7 ULP and more); 2 sin²(x + π/4) is a
    product, its zeros those of sin(x + π/4), which ``k_sin_sq`` reduces
    exactly."""
    def make(core, n, c):
        q = c / n
        if isinstance(core, sin) and q in (1, -1):
            return 2 * n * _sin_sq(core.args[0] / 2, 8 * q)
        if isinstance(core, cos) and q in (1, -1):
            return 2 * n * _sin_sq(core.args[0] / 2, 16 if q == 1 else 0)
        if isinstance(core, SinSq) and q == -1:
            return n * _sin_sq(core.args[0], core.args[1] + 16)
        return None

    def make2(core, n, c):  # n ± 2n·sin u cos u
        u = _sin_cos(core)
        q = c / (2 * n)
        return 2 * n * _sin_sq(u, 8 * q) if u is not None and q in (1, -1) else None

    new = _complement(e, lambda c: isinstance(c, (sin, cos, SinSq)), make)
    if new is not None or not isinstance(e, Add):
        return new
    n, hits, _ = _split_add(e, lambda c: _sin_cos(c) is not None)
    for c, core, term in hits:
        if n != 0 and c in (2 * n, -2 * n):
            others = [t for t in e.args if t is not term and not t.is_Number]
            return Add(make2(core, n, c), *others)
    return None


def sin_sq_difference(e):
    """n·sin²A - n·cos²A -> n·sin(2A - π/2) for A = u + sπ/32 (SinSq(u, s)
    and SinSq(u, s + 16)), as :class:`SinShift`, the shift exact: snake'' =
    2(cos²x - sin²x) cancelled at the roots of cos 2x (6.4e15 ULP at
    -22.78); 2u is reduced from u itself (no overflow of 2x)."""
    if not isinstance(e, Add):
        return None
    terms = [(t, *t.as_coeff_Mul()) for t in e.args]
    sq = [(t, c, f) for t, c, f in terms if isinstance(f, SinSq)]
    for t1, c1, f1 in sq:
        for t2, c2, f2 in sq:
            if t1 is not t2 and c2 == -c1 and f1.args[0] == f2.args[0] \
                    and (int(f2.args[1]) - int(f1.args[1])) % 32 == 16:
                u, s = f1.args
                others = [t for t in e.args if t is not t1 and t is not t2]
                return Add(c1 * SinShift(2 * u, S((2 * int(s) - 16) % 64)), *others)
    return None


def gauss_cofactor(e):
    """c·GaussScaled(u, d) -> GaussScaled(u, c·d): the cofactor meets the tiny
    factor inside the kernel (no inf·0, no early underflow)."""
    if not isinstance(e, Mul):
        return None
    for f in e.args:
        if isinstance(f, (GaussScaled, ExpNegSq)):
            rest = [g for g in e.args if g is not f]
            return f.func(f.args[0], Mul(*rest) * f.args[1])
    return None


RULES = [softplus_beta, gauss_cofactor, linear_root, reciprocal_one_plus_square, sigmoid_product,
         exp_neg_square, one_minus_sigmoid, one_minus_tanh_squared, one_plus_tanh,
         expm1_rule, erf_complement, log_rules, sigmoid_from_exp, hypot_rule,
         hypot_minus_one, abs_sign, sign_powers, dirac_vanishing, rational_cancel,
         trig_squares, one_plus_sin, sin_sq_difference]


def _rewrite(e, rules):
    if e.is_Atom:
        return e
    args = tuple(_rewrite(a, rules) for a in e.args)
    if args != e.args:
        e = e.func(*args)
    for _ in range(20):
        for rule in rules:
            new = rule(e)
            if new is not None and new != e:
                e = _rewrite(new, rules) if not new.is_Atom else new
                break
        else:
            return e
    return e


# -- Gaussian tails: Φ and φ as scaled exponentials ---------------------------

def _gauss_tails(e, var):
    """Φ(u) for u < TAIL -> φ(u)·Mills(u); every φ(u)·c -> GaussScaled(u, c)."""
    phis = [p for p in e.atoms(Phi) if p.has(var)]
    if phis:
        for p in phis:
            u = p.args[0]
            e = e.xreplace({p: Piecewise((phi(u) * Mills(u), u < TAIL), (_PhiKeep(u), True))})
        e = piecewise_fold(e)
        e = e.replace(lambda t: isinstance(t, _PhiKeep), lambda t: Phi(t.args[0]))
    return _scale_gauss(e)


class _PhiKeep(sympy.Function):
    """Placeholder so the Φ on the safe branch is not rewritten again."""
    nargs = 1


def _scale_gauss(e):
    if e.is_Atom:
        return e
    if isinstance(e, Piecewise):
        return Piecewise(*[(_scale_gauss(v), c) for v, c in e.args])
    if isinstance(e, (Add, Mul)) or isinstance(e, phi):
        ps = [p for p in e.atoms(phi) if not p.args[0].has(phi)]
        for p in ps:
            u = p.args[0]
            if isinstance(e, Add):
                terms = Add.make_args(sympy.expand_mul(e))
                if all(t.has(p) for t in terms):
                    c = sympy.expand(e / p)
                    if not c.has(p):
                        return GaussScaled(u, _scale_gauss(c) / sqrt(2 * pi))
            c = e / p
            if not c.has(p) and (isinstance(e, Mul) or e == p):
                return GaussScaled(u, _scale_gauss(c) / sqrt(2 * pi))
    return e.func(*[_scale_gauss(a) for a in e.args])


def _fold_constants(e):
    """c·Piecewise(...) -> Piecewise(c·...) so constants meet and fold once."""
    if isinstance(e, Mul):
        pw = [a for a in e.args if isinstance(a, Piecewise)]
        rest = [a for a in e.args if not isinstance(a, Piecewise)]
        if len(pw) == 1 and all(not a.free_symbols for a in rest):
            c = Mul(*rest)
            return Piecewise(*[(_fold_constants(c * v), cond) for v, cond in pw[0].args])
    if e.is_Atom:
        return e
    return e.func(*[_fold_constants(a) for a in e.args])


# -- left tails as rational functions of t = e^x --------------------------------

#: Below this the compositions tanh(softplus x), sech²(softplus x) (and σ(x),
#: e^x beside them) are one rational function of t = e^x (``exp_tails``).
#: Measured: the ``k_exp_ratio`` form is within 1.3 ULP for x < -3 and 1.6 on
#: [-3, -2] (mish), where the three kernels and their products reached 3.4.
#: The tail reaches further, up to u = -1, where q is small enough (Q_TAIL).
EXP_TAIL = -2

#: The tail form rounds q = tW/(1 + tW) (its 1/(1 + tW) = 1 - q), an error
#: that counts about q/(1 - q) times: the tail u < u_end reaches up to u_end
#: = -1 where q <= Q_TAIL there, else down to the largest multiple of 1/8 where
#: it is (not below EXP_TAIL). x·σ(u) (W' = t): u < -1 (gelu_tanh 1.78, gelu_sigmoid
#: 1.48 ULP measured on [-1.25, -0.5]); σ + x·sech²(u/2) (W' = 2t + t²): -1.875.
Q_TAIL = 0.27

#: σ(v) in such a sum or product is 1/2 + tanh(v/2)/2 (``exp_tails``) where
#: the new sum's condition number Σ|terms|/|Σ terms| stays <= this: tanh(v/2)
#: is small beside the 1/2 that is added last, so its error counts a quarter
#: to a half (silu' 2.0 -> 0.9 ULP on [-0.5, 0], gelu_sigmoid 2.25 -> 1.14,
#: measured); further left 1/2 + tanh(v/2)/2 + ... cancels (silu' 2.16 at
#: x = -0.53, κ = 3).
SIG_KAPPA = 3
#: the tanh form's region is found on this grid (multiples of SIG_STEP in x,
#: scanned from SIG_SCAN down to the tail)
SIG_STEP = 1 / 64
SIG_SCAN = 8
#: how far below SIG_SCAN the grid is scanned at most
SIG_WIDTH = 64


def _rate(f, var):
    """v with ``f`` rational in e^v (σ(v), e^v, tanh(v/2), sech²(v/2),
    tanh/sech² of softplus(v)), or None if ``f`` is none of these."""
    if isinstance(f, (sigmoid, exp)):
        return f.args[0]
    if isinstance(f, (tanh, Sech2)):
        a = f.args[0]
        if isinstance(a, softplus):
            return a.args[0] if len(a.args) == 1 else None
        return 2 * a
    return None


def _in_t(f, s):
    """``f`` (see :func:`_rate`) as a rational function of s = e^v."""
    if isinstance(f, sigmoid):
        return s / (1 + s)
    if isinstance(f, exp):
        return s
    if isinstance(f.args[0], softplus):  # softplus v = log(1 + s)
        q = (1 + s)**2
        return (q - 1) / (q + 1) if isinstance(f, tanh) else 4 * q / (q + 1)**2
    return (s - 1) / (s + 1) if isinstance(f, tanh) else 4 * s / (1 + s)**2


def _base(rates, var):
    """(u, ks): one exponent u, a polynomial increasing on the whole line (a·x + b
    with a > 0, or √(2/π)(x + 0.044715x³)), and integers ks with rate_i =
    k_i·u (every rate a rational multiple of the first), or None."""
    first = sympy.expand(rates[0])
    try:
        p = sympy.Poly(first, var)
    except sympy.PolynomialError:
        return None
    if p.degree() < 1 or p.degree() % 2 == 0 or not all(c.is_number for c in p.all_coeffs()):
        return None
    if p.degree() > 1 and _real_roots(p.diff(var)):
        return None  # not monotone: no single tail u < EXP_TAIL
    ratios = []
    for v in rates:
        q = sympy.nsimplify(sympy.cancel(sympy.expand(v) / first))
        if not q.is_Rational:
            return None
        ratios.append(q)
    g = sympy.Rational(functools.reduce(math.gcd, [abs(q.p) for q in ratios]),
                       functools.reduce(math.lcm, [q.q for q in ratios]))
    if p.all_coeffs()[0] < 0:
        g = -g
    return sympy.expand(first * g), [int(q / g) for q in ratios]


def _real_roots(p):
    """The real roots of the polynomial p (numeric coefficients), as mpmath numbers."""
    import mpmath
    with mpmath.workdps(40):
        cs = [mpmath.mpf(sympy.Float(sympy.N(c, 40), 40)._mpf_) for c in p.all_coeffs()]
        if len(cs) < 2:
            return []
        rs = mpmath.polyroots(cs, maxsteps=200, extraprec=100) if len(cs) > 2 else [-cs[1] / cs[0]]
        return [mpmath.re(r) for r in rs if abs(mpmath.im(r)) < mpmath.mpf(10) ** -30]


def _tail_u(ww):
    """The tail's end u_end: the largest multiple of 1/8 in [EXP_TAIL, -1] with
    q = tW/(1 + tW) <= Q_TAIL at t = e^u_end (W's coefficients ``ww``)."""
    def q(u):
        t, w = math.exp(u), 0.0
        for c in ww:
            w = w * t + float(c)
        return w * t / (1 + w * t)
    u = -1.0
    while u > EXP_TAIL and q(u) > Q_TAIL:
        u -= 0.125
    return sympy.Rational(u)


#: k_exp_ratio splits c0 + t·R (Dekker) where e^u is not subnormal (u >= -708):
#: it must stay below this there (the split overflows past 1.3e300)
TAIL_REACH = 1e298


def _tail_in_range(u, var, lo, polys):
    """True if c0 and R's coefficients (polynomials in x) stay below TAIL_REACH
    where the tail's t = e^u is normal, u in [-708, u(lo)] (u = a·x + b):
    swish(x, β = 1e-300) has c0 = x out to -7e302 there (nan from -1e300).

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> _tail_in_range(x / 10**300, x, -10**300, (x,)), _tail_in_range(x, x, -37, (x + 1,))
    (False, True)
    """
    try:
        a, b = sympy.Poly(u, var).all_coeffs()
    except (ValueError, sympy.PolynomialError):
        return True  # a nonlinear u: the catalog's are near 1 (gelu_tanh's cubic)
    far = max(abs(float((-708 - b) / a)), abs(float(lo)))
    for c in polys:
        try:
            cs = sympy.Poly(c, var).all_coeffs()[::-1]
        except sympy.PolynomialError:
            return False
        if sum(abs(float(k)) * mpmath.mpf(far) ** i for i, k in enumerate(cs)) > TAIL_REACH:
            return False
    return True


def _tail_end(u, var, u_end=EXP_TAIL):
    """x0 with u(x0) = u_end (u increasing): exact for u = a·x + b, else the
    root rounded down to a multiple of 2^-20 (either branch is right there)."""
    p = sympy.Poly(u - u_end, var)
    if p.degree() == 1:
        a, b = p.all_coeffs()
        return -b / a
    (r,) = _real_roots(p)
    return sympy.Rational(math.floor(float(r) * 2**20), 2**20)


def _exact_rate(u, var):
    """True if u = c·x with c a power of two (x·2^k is exact in floats)."""
    c, core = u.as_coeff_Mul()
    if core != var or not c.is_Rational:
        return False
    c = abs(c)
    return (c.p & (c.p - 1)) == 0 and (c.q & (c.q - 1)) == 0


def _left_tail(e, var, force=False):
    """``e`` with its left tail ``u < u_end`` (Q_TAIL) as one :class:`ExpRatio`, if
    every function of ``var`` in ``e`` is rational in one exponential t = e^u
    (u = a·x + b, a > 0): σ(ku), e^{ku}, sech²(ku/2), tanh(ku/2) for integers
    k, and tanh, sech² of softplus(ku) (softplus v = log1p e^v), so

        σ(u) = t/(1 + t),  sech²(u/2) = 4t/(1 + t)²,
        tanh(softplus u) = (t² + 2t)/(t² + 2t + 2),

    and ``e`` = t^k·(c0 + t·R(t))/(1 + t·W(t)) over a common denominator, with
    c0 and R polynomials in x: one exponential's error instead of a few
    kernels' and their products (mish' 4.28 ULP at x = -8.2154, silu' 2.9
    at -7.43 before), and the sign of a sum whose terms all underflow is
    c0's (silu'(-800) = -0.0). Only where it pays: a sum of such terms, a
    composition with softplus, or an inexact u (1.702x); a single x·σ(x)
    keeps its two kernels. Where the sum stays well conditioned (SIG_KAPPA),
    σ(v) is 1/2 + tanh(v/2)/2 (a third branch). Else ``e`` unchanged.

    >>> from sympy import Symbol, tanh
    >>> x = Symbol('x', real=True)
    >>> exp_tails(x * tanh(softplus(x)), x)
    Piecewise((ExpRatio(x, x, (x/2,), (1/2, 1)), x < -5/4), (x*tanh(softplus(x)), True))
    >>> tail, old, mid = exp_tails(x * Sech2(x / 2) / 4 + sigmoid(x), x).args
    >>> tail, mid
    ((ExpRatio(x, x + 1, (1,), (1, 2)), x < -15/8), (x*Sech2(x/2)/4 + tanh(x/2)/2 + 1/2, True))
    >>> exp_tails(x * sigmoid(x), x)
    x*sigmoid(x)
    """
    if isinstance(e, Piecewise):
        return e
    kept = e
    e = e.replace(lambda f: isinstance(f, Times), lambda f: f.args[0] * f.args[1])
    fns = [f for f in e.atoms(sympy.Function) if f.has(var)]
    tops = [f for f in fns if not any(g is not f and g.has(f) for g in fns)]
    rates = [_rate(f, var) for f in tops]
    if not tops or any(v is None for v in rates):
        return kept  # something else of x is left (softplus itself, erf, ...)
    base = _base(rates, var)
    if base is None:
        return kept
    u, ks = base
    composed = any(isinstance(f.args[0], softplus) for f in tops if isinstance(f, (tanh, Sech2)))
    summed = any(isinstance(a, Add) and sum(1 for b in a.args if b.has(*tops)) >= 2
                 for a in sympy.preorder_traversal(e))
    if not (force or composed or summed or not _exact_rate(u, var)):
        return kept
    t = sympy.Dummy("t", positive=True)
    r = e.xreplace({f: _in_t(f, t**k) for f, k in zip(tops, ks)})
    num, den = sympy.fraction(sympy.cancel(sympy.together(r)))
    try:
        pn, pd = sympy.Poly(num, t, var), sympy.Poly(den, t)
    except sympy.PolynomialError:
        return kept
    if not all(c.is_number for c in pd.all_coeffs()):
        return kept
    d0 = pd.coeff_monomial(1)
    pn = sympy.Poly(sympy.expand(num), t)  # coefficients polynomial in x
    cs = pn.all_coeffs()[::-1]            # lowest power of t first
    k = next((i for i, c in enumerate(cs) if c != 0), 0)
    if d0 == 0 or k == 0:
        return kept  # the form t^k·(c0 + t·R) with c0 ≠ 0 (a zero of order k >= 1 in t)
    c0 = sympy.expand(cs[k] / d0)
    rr = tuple(sympy.expand(c / d0) for c in reversed(cs[k + 1:])) or (S.Zero,)
    ww = tuple(c / d0 for c in pd.all_coeffs()[:-1])  # highest first
    if not ww:
        ww = (S.Zero,)
    lo = _tail_end(u, var, _tail_u(ww))
    if not _tail_in_range(u, var, lo, (c0,) + rr):
        return kept
    # k > 1: sech²(softplus u)·(...) is ~ 4t² (mish''s right tail)
    ratio = ExpRatio(u, c0, sympy.Tuple(*rr), sympy.Tuple(*ww), *([k] if k > 1 else []))
    sig = {f: k for f, k in zip(tops, ks) if isinstance(f, sigmoid) and k > 0}
    terms = Add.make_args(sympy.expand_mul(e))
    if any(not (t / f).is_polynomial(var) for f in sig for t in terms if t.has(f)):
        sig = {}  # σ times another function (mish'): the 1/2 would not meet an exact term
    if not sig:
        return Piecewise((ratio, var < lo), (kept, True))
    # σ(v) = 1/2 + tanh(v/2)/2 where that sum is well conditioned: the 1/2 is added last
    mid = Add(*[_tanh_split(t, sig) for t in Add.make_args(e)])
    start = _well_conditioned_from(mid, var, float(lo))
    if start is None:
        return Piecewise((ratio, var < lo), (kept, True))
    if start - SIG_STEP < lo:  # well conditioned down to the tail: no middle branch
        return Piecewise((ratio, var < lo), (mid, True))
    return Piecewise((ratio, var < lo), (kept, var < start), (mid, True))


#: the right tail (x > X, ``_right_tail``) is rewritten only where the plain
#: form is measured over this many ULP at RIGHT_POINTS points of [X, X + 40]
RIGHT_ULP = 1.75
RIGHT_POINTS = 64


def _right_tail(e, var):
    """(ratio, X): ``e``'s right tail x > X as one :class:`ExpRatio` of e^-u,
    found as the left tail of e(-y) (every σ, e^u, tanh, sech² of x is as
    rational in e^-u as in e^u), or None. Only where the plain form is
    measured over RIGHT_ULP there (silu'' 3.9 ULP at 14.4: σ'(x)'s kernel and
    the products round apart); elsewhere the right tail costs a branch and
    gains nothing (silu' is 1.4 there)."""
    y = sympy.Dummy("y", real=True)
    left = _left_tail(e.xreplace({var: -y}), y, force=True)
    if not isinstance(left, Piecewise):
        return None
    ratio, cond = left.args[0]
    if not isinstance(ratio, ExpRatio) or not isinstance(cond, sympy.StrictLessThan):
        return None
    x0 = -cond.rhs
    if not abs(x0) < 1e300:  # (swish''(x, 1e-160): float(x0) overflowed at export)
        return None
    ratio = ratio.xreplace({y: -var})
    return (ratio, x0) if _plain_bad(e, var, float(x0)) else None


#: ... or where it breaks the 2 ULP contract at CONTRACT_POINTS points there
#: (its peaks are rare: sigmoid'' 2.05 ULP at -4.828, within 1.75 at 64 points)
CONTRACT_ULP = 2.0
CONTRACT_POINTS = 4096


def _plain_bad(e, var, x0, side=1):
    """True if the plain form of ``e`` needs the tail beyond x0 (``_plain_worse_than``
    RIGHT_ULP at RIGHT_POINTS, or the contract at CONTRACT_POINTS)."""
    return _plain_worse_than(e, var, x0, RIGHT_ULP, side) or \
        _plain_worse_than(e, var, x0, CONTRACT_ULP, side, CONTRACT_POINTS)


def _plain_worse_than(e, var, x0, ulps, side=1, points=RIGHT_POINTS):
    """True if the float code of ``e`` is off by more than ``ulps`` at one of
    ``points`` points of [x0, x0 + 40] (side -1: [x0 - 40, x0])."""
    import mpmath
    import numpy as np
    from .mp import mp_lambdify
    from .nodes import elementary
    from .numpy_backend import _kernel_sources, run_source
    from .printer import source
    from .reference import ulp_error
    body = source(e, var, "_g")
    core = run_source("\n\n".join(_kernel_sources(body) + [body]), "_g")
    xs = x0 + 40.0 * (np.arange(points) + 0.5) / points * (1 if side > 0 else -1)
    with np.errstate(all="ignore"):
        got = np.broadcast_to(np.asarray(core(xs), dtype=np.float64), xs.shape)
    f = mp_lambdify(elementary(e), var)
    with mpmath.workdps(40):
        return any(ulp_error(g, f(mpmath.mpf(float(v)))) > ulps for g, v in zip(got, xs))


@functools.lru_cache(maxsize=256)  # its tails are measured: once per expression
def exp_tails(e, var):
    """The left tail as :func:`_left_tail` rewrites it (where its structure
    test says the rewrite pays, or else where the plain form is measured over
    RIGHT_ULP there), and the right tail x > X the same way where it is
    measured to (``_right_tail``).

    >>> from sympy import Symbol, tanh
    >>> x = Symbol('x', real=True)
    >>> exp_tails(x * tanh(softplus(x)), x)
    Piecewise((ExpRatio(x, x, (x/2,), (1/2, 1)), x < -5/4), (x*tanh(softplus(x)), True))
    """
    left = _left_tail(e, var)
    if isinstance(e, Piecewise):
        return left
    if not isinstance(left, Piecewise):  # not "where it pays": where it is measured to
        forced = _left_tail(e, var, force=True)
        if isinstance(forced, Piecewise) and isinstance(forced.args[0][0], ExpRatio) and \
                abs(forced.args[0][1].rhs) < 1e300 and _plain_bad(e, var, float(forced.args[0][1].rhs), -1):
            left = forced
    right = _right_tail(e, var)
    if right is None:
        return left
    ratio, x0 = right
    if not isinstance(left, Piecewise):
        return Piecewise((ratio, var > x0), (e, True))
    pairs = list(left.args)
    if pairs[0][1].rhs >= x0:
        return left
    return Piecewise(pairs[0], (ratio, var > x0), *pairs[1:])


def _tanh_split(term, sig):
    """c·σ(v) -> c/2 + c·tanh(v/2)/2, c kept as it is (a polynomial cofactor of
    sech² stays one product); a term without σ unchanged."""
    for f in sig:
        if term.has(f):
            c = term / f
            return Add(c / 2, c * tanh(f.args[0] / 2) / 2)
    return term


def _well_conditioned_from(e, var, lo):
    """The least x0 >= lo on the grid SIG_STEP with Σ|terms|/|Σ terms| <= SIG_KAPPA
    for the top-level sum ``e`` on [x0, SIG_SCAN] (60-digit mpmath, every grid
    point), or None if there is none below 0."""
    import mpmath
    from .mp import mp_lambdify
    from .nodes import elementary
    fns = [mp_lambdify(elementary(t), var) for t in Add.make_args(e)]
    k = int(SIG_SCAN / SIG_STEP)
    # at most SIG_WIDTH below SIG_SCAN: swish(x, 1e-300) had ~2/β grid points
    # (an export that never returned: red team); stopping early only gives a
    # shorter well-conditioned range
    k_min = max(lo / SIG_STEP, k - SIG_WIDTH / SIG_STEP)
    with mpmath.workdps(60):
        while k >= k_min:
            x = mpmath.mpf(k * SIG_STEP)
            vals = [f(x) for f in fns]
            tot, mag = abs(mpmath.fsum(vals)), mpmath.fsum(abs(v) for v in vals)
            if mag > SIG_KAPPA * tot:   # (all terms 0, x·σ at 0: fine)
                break
            k -= 1
    k += 1
    return sympy.Rational(k, int(1 / SIG_STEP)) if k * SIG_STEP < 0 else None


#: the far-field form of a ratio of polynomials is used where it is within
#: 2^-FAR_BITS of the ratio (relative)
FAR_BITS = 60


def _far_one(e, var):
    """Piecewise((far, |x| > X), (e, True)) for a ratio P/Q of polynomials in
    ``var`` or in |var| (times powers of sign(var)), with numeric
    coefficients, deg Q >= 1 and max degree >= 2; or None."""
    if not isinstance(e, (Mul, Pow)) or e.free_symbols != {var}:
        return None
    if isinstance(e, Pow) and e.exp.is_Integer and -4 <= e.exp <= -2 \
            and isinstance(e.base, Add) and len(e.base.args) == 2 \
            and any(a.is_Number for a in e.base.args):
        return None  # printed as k_pow_sum, which switches to (1/s)^n itself
    signs = [f for f in Mul.make_args(e) if (f.base if isinstance(f, Pow) else f) == sign(var)]
    rest = Mul(*[f for f in Mul.make_args(e) if f not in signs])
    y = Abs(var) if rest.has(Abs(var)) else var
    d = sympy.Dummy("y")
    r = rest.xreplace({y: d})
    if r.has(var):
        return None
    num, den = sympy.fraction(sympy.together(r))
    try:
        pn, pd = sympy.Poly(num, d), sympy.Poly(den, d)
    except sympy.PolynomialError:
        return None
    p, q = pn.degree(), pd.degree()
    if q < 1 or max(p, q) < 2 or not all(c.is_number and c.is_real
                                         for c in pn.all_coeffs() + pd.all_coeffs()):
        return None
    a, b = pn.LC(), pd.LC()
    # |P/(a·x^p) - 1| <= A/|x| and the same for Q when |x| >= X >= 1
    spread = sum(abs(c) for c in pn.all_coeffs()[1:]) / abs(a) \
        + sum(abs(c) for c in pd.all_coeffs()[1:]) / abs(b)
    k = FAR_BITS + 1 + max(0, math.ceil(math.log2(float(spread) + 1)))
    top = max(abs(float(c)) for c in pn.all_coeffs() + pd.all_coeffs())
    if k * max(p, q) + math.log2(top + 1) > 1000:
        return None  # the near form would itself overflow below X
    c = a / b * Mul(*signs)
    far = DivPow(c, y, q - p) if q > p else c * y**(p - q)
    return Piecewise((far, Abs(var) > 2**k), (e, True))


def sech2_factors(e):
    """:func:`sech2_softplus` on the factors of ``e`` where ``e`` is a product
    (or a Piecewise of products): there sech²'s relative error is the
    result's (mish'' = -(x(...) - 2)·sech²(softplus x)·σ(x): 54 ULP at
    x = 33, growing with x). As a term of a sum beside a larger one (mish' =
    tanh(softplus x) + x·σ(x)·sech²(softplus x)) its error counts less, and
    there k_sech2(softplus) is measured as good or better (mish' on [0, 2]:
    1.47 ULP, 1.64 with the σ form), so it is left alone."""
    if isinstance(e, Piecewise):
        return Piecewise(*[(sech2_factors(v), c) for v, c in e.args])
    if isinstance(e, Mul):
        new = [sech2_softplus(f) or (sech2_factors(f) if isinstance(f, Mul) else f)
               for f in e.args]
        return Mul(*new)
    return e


def far_field(e, var):
    """Each ratio of polynomials P(x)/Q(x) in ``e`` -> its leading term
    c·x^(p-q) where |x| > X = 2^k, X large enough that the two agree to
    2^-FAR_BITS and small enough that no power of x in P or Q overflows
    below it. arctan'' = -2x/(x² + 1)² formed (x² + 1)² = inf from |x| >
    1.2e77, though the value (-2/x³) is a float up to 1e108: it is now
    -2/x/x/x there (:class:`DivPow`, one rounding per division);
    softsign'' = -2·sign(x)/(|x| + 1)³ is -2·sign(x)/|x|/|x|/|x| beyond 2^64
    (|x| and sign(x) are taken as the variable and a coefficient). Not a
    rule of RULES: its near branch is the ratio itself, which would match
    again.

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> far_field(-2 * x / (x**2 + 1)**2, x)
    Piecewise((DivPow(-2, x, 3), Abs(x) > 9223372036854775808), (-2*x/(x**2 + 1)**2, True))
    """
    if e.is_Atom:
        return e
    new = _far_one(e, var)
    if new is not None:
        return new
    args = tuple(far_field(a, var) for a in e.args)
    return e.func(*args) if args != e.args else e


def stabilize(expr, var):
    """Rewrite ``expr`` (in ``var``) into numerically stable nodes.

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> stabilize(x * Phi(x), x)
    Piecewise((GaussScaled(x, sqrt(2)*x*Mills(x)/(2*sqrt(pi))), x < 0), (x*Phi(x), True))
    """
    e = _fold_constants(sympy.sympify(expr))
    e = _rewrite(e, RULES)
    e = _gauss_tails(e, var)
    return far_field(sech2_factors(_rewrite(e, RULES)), var)
