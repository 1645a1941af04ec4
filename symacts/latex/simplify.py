r"""The algebra from a raw derivative to its textbook form, one named move per line.

:func:`textbook_chain` starts from the raw result of the rules and applies,
in order, the moves that change it (hyperbolic Pythagoras, sech, dividing by
e^u, recognising σ, φ, Φ, softplus, multiplying into the branches of a
piecewise expression), then ends on the textbook target, saying which
identities close the gap. The lines are checked by the caller.

>>> from sympy import Symbol, exp
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> for e, why in textbook_chain(exp(x) / (1 + exp(x)), sigmoid(x), x):
...     print(e, '|', why)
exp(x)/(exp(x) + 1) | 
1/(1 + exp(-x)) | \text{divide numerator and denominator by } e^{x}
sigmoid(x) | \sigma(u) = 1/(1 + e^{-u})
"""
from __future__ import annotations

import sympy
from sympy import (Add, Mul, Piecewise, Pow, S, Wild, cosh, erf, exp, log, pi,
                   sech, sinh, sqrt, tanh)

from ..functions import Phi, phi, sigmoid, softplus
from ._budget import within

__all__ = ["textbook_chain", "IDENTITIES", "recognise"]

#: Identities cited when the chain reaches the textbook form (LaTeX).
IDENTITIES = {
    sigmoid: r"\sigma(u) = 1/(1 + e^{-u})",
    Phi: r"\Phi(u) = \tfrac{1}{2}\bigl(1 + \operatorname{erf}(u/\sqrt{2})\bigr)",
    phi: r"\phi(u) = e^{-u^{2}/2}/\sqrt{2\pi}",
    softplus: r"\operatorname{softplus}_{\beta}(u) = \ln(1 + e^{\beta u})/\beta",
    tanh: r"\operatorname{sech}^{2} u = 1 - \tanh^{2} u",
}

_u, _v = Wild("u"), Wild("v")


def _pythagoras(e, var):
    """cosh² − sinh² = 1."""
    if not (e.has(cosh) and e.has(sinh)):
        return None
    r = within(lambda: sympy.trigsimp(e), 3)
    return r if r is not None and not r.has(sinh) else None


def _sech(e, var):
    """1/cosh(u)ⁿ = sechⁿ(u)."""
    return e.replace(lambda t: t.is_Pow and isinstance(t.base, cosh) and t.exp.is_negative,
                     lambda t: sech(t.base.args[0]) ** (-t.exp))


def _divide_by_exp(e, var):
    """e^u/(1 + e^u) = 1/(1 + e^(−u))."""
    num, den = e.as_numer_denom()
    if isinstance(num, exp) and isinstance(den, Add) and len(den.args) == 2 \
            and 1 in den.args and num in den.args:
        return 1 / (1 + exp(-num.args[0]))
    return None


def recognise(e):
    """Replace elementary forms of σ, φ, Φ, softplus by the textbook functions.

    >>> from sympy import Symbol, exp, erf, sqrt, pi
    >>> x = Symbol('x', real=True)
    >>> recognise(1 / (1 + exp(-2*x)) + exp(-x**2/2) / sqrt(2*pi))
    phi(x) + sigmoid(2*x)
    """
    def sig(t):
        if t.is_Pow and t.exp == -1 and isinstance(t.base, Add) and len(t.base.args) == 2 \
                and 1 in t.base.args:
            other = [a for a in t.base.args if a != 1][0]
            if isinstance(other, exp):
                return sigmoid(-other.args[0])
        return None

    def gauss(t):
        if isinstance(t, Mul):
            c, rest = t.as_coeff_Mul()
            for f in Mul.make_args(t):
                if isinstance(f, exp):
                    u2 = -2 * f.args[0]
                    u = sqrt(u2).replace(sympy.Abs, lambda a: a)  # φ is even
                    if sympy.expand(u**2 - u2) == 0 and u.is_polynomial():
                        k = sympy.simplify(t / f * sqrt(2 * pi))
                        if not k.has(exp) and not k.has(pi):
                            return k * phi(sympy.factor_terms(u))
        return None

    out = e.replace(lambda t: sig(t) is not None, sig)
    out = out.replace(lambda t: gauss(t) is not None, gauss)
    out = out.replace(
        lambda t: isinstance(t, log) and isinstance(t.args[0], Add) and 1 in t.args[0].args
        and len(t.args[0].args) == 2 and any(isinstance(a, exp) for a in t.args[0].args),
        lambda t: softplus([a for a in t.args[0].args if a != 1][0].args[0]))
    erf_half = lambda t: (isinstance(t, Add) and len(t.args) == 2 and S.Half in t.args
                          and any(a.is_Mul and S.Half in a.args and any(isinstance(f, erf) for f in a.args)
                                  for a in t.args))

    def Phi_of(t):
        a = [a for a in t.args if a != S.Half][0]
        er = [f for f in a.args if isinstance(f, erf)][0]
        return Phi(sympy.simplify(er.args[0] * sqrt(2)))
    out = out.replace(erf_half, Phi_of)
    return out


def _fold(e, var):
    """c·Piecewise(...) = Piecewise(c·...): multiply into each branch."""
    if e.has(Piecewise) and not isinstance(e, Piecewise):
        r = sympy.piecewise_fold(e)
        return Piecewise(*[(sympy.expand(b) if b.is_Add else b, c) for b, c in r.args]) \
            if isinstance(r, Piecewise) else r
    return None


def _factor(e, var):
    """Factor a form in textbook functions when that makes it shorter."""
    if e.has(Piecewise) or e.has(exp):
        return None
    r = within(lambda: sympy.factor(e), 3)
    if r is None or sympy.count_ops(r) >= sympy.count_ops(e):
        return None
    return r


#: (reason, move) in the order they are tried; each applies at most once.
MOVES = [
    (r"\cosh^{2} u - \sinh^{2} u = 1", _pythagoras),
    (r"\operatorname{sech} u = 1/\cosh u", _sech),
    (None, _divide_by_exp),
    (None, lambda e, var: recognise(e)),
    (r"\text{multiply into each branch}", _fold),
    (r"\text{factor}", _factor),
]


def _reason_for(before, after):
    """Which textbook identities turn ``before`` into ``after``."""
    funcs = [f for f in IDENTITIES if after.has(f) and not before.has(f)]
    if isinstance(after, sympy.Basic) and after.has(tanh) and before.has(sech):
        funcs.append(tanh)
    return ", ".join(dict.fromkeys(IDENTITIES[f] for f in funcs))


def textbook_chain(raw, target, var, factor=True):
    """Lines ``[(expr, reason)]`` from ``raw`` to ``target`` (the first reason is empty)."""
    lines = [(raw, "")]
    cur = raw
    for reason, move in MOVES:
        if move is _factor and not factor:
            continue
        new = move(cur, var)
        if new is None or new == cur:
            continue
        if move is _divide_by_exp:
            num = cur.as_numer_denom()[0]
            reason = r"\text{divide numerator and denominator by } " + "e^{%s}" % sympy.latex(num.args[0])
        elif reason is None:
            reason = _reason_for(cur, new) or r"\text{rewrite}"
        lines.append((new, reason))
        cur = new
    if target is not None and cur != target:
        why = _reason_for(cur, target)
        if why or sympy.count_ops(target) < sympy.count_ops(cur):
            lines.append((target, why or r"\text{algebra}"))
    return lines
