"""Proofs by an exact or certified extremum: ``f(x) <= c`` holds on the
domain when sup f <= c (from :func:`symacts.analysis.supremum`), ``f(x) < c``
when sup f < c or sup f = c is not attained; likewise with inf for >= and >.
This is how a touching bound such as σ′(x) <= 1/4 (equal at 0) is proved.

The analysis engine checks critical points with arb only on a finite window
(|x| <= 64); beyond it its monotonicity may rest on an asymptotic argument.
So this prover does not take the tails on trust: on every infinite side the
relation itself is proved beyond the window rigorously (the interval
prover's tail argument, cross-checked by arb far out), or the claim is not
proved here. An exact comparison ``sup f = c`` is accepted only when arb
agrees (the ball of c - sup contains 0).

>>> from symacts.verify.parser import parse
>>> prove_by_extremum(parse("diff(sigmoid(x), x) <= 1/4"), {}).proved
True
"""
from __future__ import annotations


import sympy
from sympy import S

from ..analysis.budget import clock
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
        try:
            b = _ball(d, {})
        except Exception:  # noqa: BLE001 - undecided without an enclosure
            return None
        if b is not None and b.is_finite() and (b > 0 or b < 0):
            return -1 if b > 0 else 1
        # arb cannot separate them: equal only if SymPy shows it AND arb agrees
        if b is not None and b.is_finite() and b.contains(0) and zero(d, deadline):
            return 0
        return None
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


def _window():
    """Half-width of the analysis engine's arb-checked window."""
    from ..analysis import extrema
    return sympy.Integer(getattr(extrema, "R", 16) * 2 ** getattr(extrema, "DOUBLINGS", 0))


def _rational_bound(c, constants, upper):
    """An exact number below (``upper`` False: above) every value of ``c``:
    c itself when it holds no certified constant, else an end of its ball."""
    if not (c.free_symbols & set(constants)):
        return c
    b = _ball(sympy.sympify(c), constants)
    if b is None or not b.is_finite():
        return None
    lo, hi = ball_ends(b)
    return lo if upper else hi


def ball_ends(b):
    """Exact rationals lo <= every point of the arb ball ``b`` <= hi
    (midpoint ∓ radius, both exact: no rounding in the wrong direction)."""
    def rat(a):
        man, exp = a.man_exp()
        return sympy.Integer(man) * sympy.Integer(2) ** exp
    rad = b.rad()  # an arb holding the radius (itself a tiny ball): round it up
    r = rat(rad.mid())
    if rad.rad() > rad.mid() / 2**30:
        raise ArithmeticError("the radius of the ball is not known to 30 bits")
    r = r * (1 + sympy.Rational(1, 2**20))
    return rat(b.mid()) - r, rat(b.mid()) + r


def _tails(f, op, c, var, dom, constants, deadline):
    """Reasons that ``f op c`` holds beyond the analysis window on every
    infinite side of ``dom`` (rigorously), or (None, why)."""
    from .interval import _tail
    cut = _window()
    reasons = []
    for end, side in ((dom.end, 1), (dom.start, -1)):
        if end.is_finite:
            continue
        other = dom.start if side > 0 else dom.end
        start = cut if side > 0 else -cut
        if other.is_finite and ((side > 0 and (other > cut) is S.true) or
                                (side < 0 and (other < -cut) is S.true)):
            start = other  # the whole domain lies beyond the window
        cb = _rational_bound(c, constants, op in ("<", "<="))
        if cb is None:
            return None, "no exact bound for the constant on the tail"
        rel = C.Rel(op, f, cb)
        why = _tail(rel, var, start, side, deadline)
        # the cut point itself (the tail argument covers x beyond it)
        from .evaluate import Evaluator
        if why and Evaluator(rel, [var]).arb_truth({var: start}) is not True and \
                not (other.is_finite and start == other and
                     (dom.left_open if side > 0 else dom.right_open)):
            why = None
        if not why:
            return None, (f"the analysis engine's tail beyond |x| = {cut} is not "
                          f"interval-checked, and {rel} could not be bounded rigorously "
                          f"for {var} {'>=' if side > 0 else '<='} {start}")
        shown = sympy.sstr(cb) if len(sympy.sstr(cb)) <= 40 else f"{sympy.N(cb, 25)} (a rational end of its enclosure)"
        reasons.append(f"tail {var} {'>=' if side > 0 else '<='} {start}: "
                       f"{sympy.sstr(f)} {op} {shown}: {why}")
    return reasons, ""


def _points_of(argument):
    """Exact points (rationals inside a certified ball) where an extremum is
    attained: where a bound it breaks may fail (the caller checks by arb).

    >>> from sympy import Rational
    >>> _points_of(Rational(-3, 2)), _points_of(None)
    ([-3/2], [])
    """
    from ..analysis.facts import Fact
    out = []
    for a in argument if isinstance(argument, list) else [argument]:
        if isinstance(a, Fact) and a.enclosure is not None:
            m = a.enclosure.mid()
            a = sympy.Rational(m.man_exp()[0]) * sympy.Integer(2) ** m.man_exp()[1] \
                if m.is_finite() else None
        if isinstance(a, sympy.FiniteSet):
            out += [p for p in a if p.is_real and p.is_finite]
        elif isinstance(a, sympy.Expr) and a.is_real and a.is_finite:
            out.append(a)
    return out[:4]


_DIRAC = ("a DiracDelta: the analysis engine's sup/inf drop it (the derivative almost "
          "everywhere), but it has no finite value where its argument is 0")


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
        if deadline is not None and clock() > deadline:
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
        if f.has(sympy.DiracDelta):  # the analysis engine drops it (f' a.e.)
            return Proof(False, reason=_DIRAC)
        upper = op in ("<", "<=")
        try:
            ext = (supremum if upper else infimum)(f, var, dom.start, dom.end)
        except (SymactsError, ValueError, ArithmeticError, TypeError) as e:
            return Proof(False, reason=f"no extremum ({e})")
        if ext.method not in ("symbolic", "certified"):
            return Proof(False, reason=f"{ext.name} is not known: {ext.note}"
                         if ext.method == "none" else f"{ext.name} is only {ext.method}")
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
                                       f"does not give {op} {c}",
                         witnesses=[{var: w} for w in _points_of(ext.argument)])
        tails, why = _tails(f, op, c, var, dom, constants, deadline)
        if tails is None:
            return Proof(False, reason=why)
        steps.append(f"{rel}: {name} over {dom} = {ext.value_text()} ({ext.method}"
                     f"{'' if ext.attained else ', not attained'}) {op} {sympy.sstr(c)}"
                     + (f"; the analysis notes: {ext.note}" if ext.note else ""))
        steps += tails
    return Proof(True, steps)
