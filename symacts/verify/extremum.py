"""Proofs by an exact or certified extremum: ``f(x) <= c`` holds on the
domain when sup f <= c (from :func:`symacts.analysis.supremum`), ``f(x) < c``
when sup f < c or sup f = c is not attained; likewise with inf for >= and >.
This is how a touching bound such as σ′(x) <= 1/4 (equal at 0) is proved.

>>> from symacts.verify.parser import parse
>>> prove_by_extremum(parse("diff(sigmoid(x), x) <= 1/4"), {}).proved
True
"""
from __future__ import annotations

import time

import sympy
from sympy import S

from ..errors import SymactsError
from . import claims as C
from .evaluate import arb_number
from .symbolic import Proof, zero

__all__ = ["prove_by_extremum"]


def _simple_where(st, var):
    if st.where is None:
        return True
    parts = st.where.args if isinstance(st.where, C.And) else (st.where,)
    for p in parts:
        if not isinstance(p, C.Rel) or p.op in ("==", "!="):
            return False
        if not ((p.lhs == var and p.rhs.is_number) or (p.rhs == var and p.lhs.is_number)):
            return False
    return True


def _ball(e, constants, bits=256):
    from ..export.arb import arb_lambdify, workprec
    syms = list(constants)
    f = arb_lambdify(e, syms)
    with workprec(bits):
        vals = [constants[s].ball for s in syms]
        if any(v is None for v in vals):
            return None
        return f(*vals)


def _compare(ext, c, constants, deadline):
    """-1, 0, 1 for ext <, =, > c (0 only when proved equal); None if undecided."""
    if ext.exact is not None and not (c.free_symbols & set(constants)):
        if ext.exact in (S.Infinity, S.NegativeInfinity):
            return 1 if ext.exact is S.Infinity else -1
        d = sympy.sympify(c) - ext.exact
        if zero(d, deadline):
            return 0
        b = _ball(d, {})
    else:
        if ext.enclosure is None or not ext.enclosure.is_finite():
            return None
        cb = _ball(sympy.sympify(c), constants)
        if cb is None:
            return None
        b = cb - ext.enclosure
    if b is None or not b.is_finite():
        return None
    if b > 0:
        return -1
    if b < 0:
        return 1
    return None


def prove_by_extremum(st, constants, deadline=None) -> Proof:
    """Prove each relation of a one-variable claim from sup/inf (see module doc)."""
    from ..analysis import infimum, supremum
    var, = st.variables
    if not _simple_where(st, var):
        return Proof(False, reason="the where clause is not a plain bound on the variable")
    dom = st.domain(var)
    if not isinstance(dom, sympy.Interval):
        return Proof(False, reason=f"domain {dom} is not an interval")
    rels = st.formula.args if isinstance(st.formula, C.And) else (st.formula,)
    steps = []
    for rel in rels:
        if deadline is not None and time.monotonic() > deadline:
            return Proof(False, reason="out of time")
        if not isinstance(rel, C.Rel) or rel.op in ("==", "!="):
            return Proof(False, reason="only <, <=, >, >= relations")
        lhs, rhs, op = rel.lhs, rel.rhs, rel.op
        if lhs.has(var) and rhs.has(var):
            f, c = lhs - rhs, S.Zero
        elif lhs.has(var):
            f, c = lhs, rhs
        else:
            f, c = rhs, lhs
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
        if f.free_symbols - {var}:
            return Proof(False, reason="the variable side holds other symbols")
        upper = op in ("<", "<=")
        try:
            ext = (supremum if upper else infimum)(f, var, dom.start, dom.end)
        except (SymactsError, ValueError, ArithmeticError, TypeError) as e:
            return Proof(False, reason=f"no extremum ({e})")
        if ext.method not in ("symbolic", "certified"):
            return Proof(False, reason=f"{ext.name} is only {ext.method}")
        cmp = _compare(ext, c, constants, deadline)
        if cmp is None:
            return Proof(False, reason=f"cannot compare {ext.value_text()} with {c}")
        name = "sup" if upper else "inf"
        want = -1 if upper else 1
        open_ends = (dom.left_open and dom.start.is_finite) or (dom.right_open and dom.end.is_finite)
        if cmp == want:
            ok = True
        elif cmp == 0 and op in ("<=", ">="):
            ok = True
        elif cmp == 0 and not ext.attained and not open_ends:
            ok = True
        else:
            return Proof(False, reason=f"{name} {sympy.sstr(f)} = {ext.value_text()} "
                                       f"does not give {op} {c}")
        steps.append(f"{rel}: {name} over {dom} = {ext.value_text()} ({ext.method}"
                     f"{'' if ext.attained else ', not attained'}) {op} {sympy.sstr(c)}")
    return Proof(True, steps)
