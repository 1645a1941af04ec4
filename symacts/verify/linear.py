"""Exact proofs of linear claims by Fourier–Motzkin elimination.

A claim whose relations are all linear in its variables (rational
coefficients) holds everywhere exactly when its negation is infeasible. The
negation is put in disjunctive normal form; each disjunct is a system of
linear constraints ``a·v + c > 0`` or ``>= 0`` (with the variables' domain
bounds, and the ``where`` clause when it is linear too), and eliminating the
variables one by one in exact rational arithmetic either leaves a false
constant constraint (infeasible: that case cannot happen) or not. No SymPy
simplification is involved, only exact rationals.

>>> from symacts.verify.parser import parse
>>> st = parse("not (b <= 0 and w1 + w2 + b <= 0 and w1 + b > 0 and w2 + b > 0)")
>>> prove_linear(st).proved
True
>>> prove_linear(parse("x + y > 0 where x > 0")).proved
False
"""
from __future__ import annotations

import itertools

import sympy
from sympy import Rational, S

from . import claims as C
from .symbolic import Proof

__all__ = ["prove_linear"]

MAX_DISJUNCTS = 64
MAX_CONSTRAINTS = 4000


class _NotLinear(Exception):
    pass


def _linear(e, variables):
    """{var: coeff}, const of a linear expression with rational coefficients."""
    e = sympy.expand(e)
    if not e.free_symbols <= set(variables):
        raise _NotLinear
    try:
        poly = sympy.Poly(e, *variables) if variables else None
    except sympy.PolynomialError:
        raise _NotLinear from None
    if poly is None:
        if not e.is_Rational:
            raise _NotLinear
        return {}, Rational(e)
    coeffs, const = {}, S.Zero
    for monom, c in poly.terms():
        if not c.is_Rational or sum(monom) > 1:
            raise _NotLinear
        if sum(monom) == 0:
            const = Rational(c)
        else:
            coeffs[variables[monom.index(1)]] = Rational(c)
    return coeffs, const


def _atoms_of(rel, variables):
    """Constraints (coeffs, const, strict) whose conjunction is ``rel``;
    a list of alternatives when ``rel`` is ``!=``."""
    a, c = _linear(rel.lhs - rel.rhs, variables)
    neg = ({v: -k for v, k in a.items()}, -c)
    pos = (a, c)
    if rel.op == ">":
        return [[(*pos, True)]]
    if rel.op == ">=":
        return [[(*pos, False)]]
    if rel.op == "<":
        return [[(*neg, True)]]
    if rel.op == "<=":
        return [[(*neg, False)]]
    if rel.op == "==":
        return [[(*pos, False), (*neg, False)]]
    return [[(*pos, True)], [(*neg, True)]]  # !=


def _dnf(f, variables):
    """Disjuncts (lists of constraints) of a formula in negation normal form."""
    if isinstance(f, C.Rel):
        return _atoms_of(f, variables)
    if isinstance(f, C.Not):
        g = f.arg
        if isinstance(g, C.Iff):  # (a and not b) or (not a and b)
            return _dnf(C.Or((C.And((g.a, C.Not(g.b))), C.And((C.Not(g.a), g.b)))), variables)
        return _dnf(C.negate(g), variables)
    if isinstance(f, C.Or):
        out = []
        for a in f.args:
            out += _dnf(a, variables)
        if len(out) > MAX_DISJUNCTS:
            raise _NotLinear
        return out
    if isinstance(f, C.And):
        out = [[]]
        for a in f.args:
            out = [x + y for x in out for y in _dnf(a, variables)]
            if len(out) > MAX_DISJUNCTS:
                raise _NotLinear
        return out
    if isinstance(f, C.Iff):  # (a and b) or (not a and not b)
        return _dnf(C.Or((C.And((f.a, f.b)), C.And((C.Not(f.a), C.Not(f.b))))), variables)
    raise _NotLinear


def _infeasible(cons, variables):
    """True when the constraints have no real solution (Fourier–Motzkin)."""
    cons = list(cons)
    for v in variables:
        pos = [k for k in cons if k[0].get(v, 0) > 0]
        neg = [k for k in cons if k[0].get(v, 0) < 0]
        rest = [k for k in cons if k[0].get(v, 0) == 0]
        if len(pos) * len(neg) + len(rest) > MAX_CONSTRAINTS:
            return False
        for (ap, cp, sp), (an, cn, sn) in itertools.product(pos, neg):
            p, n = ap[v], -an[v]
            coeffs = {}
            for u in set(ap) | set(an):
                k = ap.get(u, 0) / p + an.get(u, 0) / n
                if u != v and k != 0:
                    coeffs[u] = k
            rest.append((coeffs, cp / p + cn / n, sp or sn))
        cons = rest
    return any(c < 0 or (c == 0 and strict) for a, c, strict in cons if not a)


def _domain_constraints(st, variables):
    out = []
    for v in variables:
        dom = st.domain(v)
        if isinstance(dom, sympy.Interval):
            if dom.start.is_finite and dom.start.is_Rational:
                out.append(({v: S.One}, -dom.start, bool(dom.left_open)))
            if dom.end.is_finite and dom.end.is_Rational:
                out.append(({v: S.NegativeOne}, dom.end, bool(dom.right_open)))
    return out


def prove_linear(st) -> Proof:
    """Prove a claim whose relations are all linear (see the module docstring)."""
    variables = sorted(st.variables, key=lambda s: s.name)
    try:
        disjuncts = _dnf(C.negate(st.formula), variables)
    except _NotLinear:
        return Proof(False, reason="not a linear claim")
    extra = _domain_constraints(st, variables)
    if st.where is not None:
        try:
            w = _dnf(st.where, variables)
        except _NotLinear:
            w = [[]]  # dropped: proving the stronger claim is still a proof
        if len(w) == 1:
            extra += w[0]
        else:  # where is a disjunction: every branch must be infeasible
            disjuncts = [d + wd for d in disjuncts for wd in w]
            if len(disjuncts) > MAX_DISJUNCTS:
                return Proof(False, reason="too many cases")
    for d in disjuncts:
        if not _infeasible(d + extra, variables):
            return Proof(False, reason="Fourier–Motzkin finds the negation feasible")
    return Proof(True, [f"linear: the negation ({len(disjuncts)} case"
                        f"{'s' if len(disjuncts) != 1 else ''}) is infeasible "
                        "(Fourier–Motzkin elimination in exact rationals)"])
