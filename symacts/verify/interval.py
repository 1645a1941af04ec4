"""Interval proofs of one-variable claims with arb: bisection of a window
[-R, R] (cut at the kinks and at the points where a side touches), a Taylor
argument at each touching point, and rigorous tails.

* A cell is proved when the arb enclosure of the whole formula over the cell
  is True (three-valued: the ``where`` clause false on the cell also proves it).
* At a point c where ``d = lhs - rhs`` is exactly 0 (checked exactly), the
  cell [c, c + w] is proved from the first derivative order k with
  d(c) = … = d^(k-1)(c) = 0 and d^(k) of one sign on the cell: then
  d(x) = d^(k)(ξ)(x - c)^k / k! has that sign on (c, c + w] (and the sign times
  (-1)^k on [c - w, c)).
* A tail [R, ∞) (or (-∞, -R]) is proved only by a rigorous argument: the
  sign of d there symbolically (x = R + t, t > 0), or d monotone there (the
  sign of d′, proved the same way) together with d(R) in arb and the exact
  limit of d at infinity. If neither closes, the claim is not proved.

>>> from symacts.verify.parser import parse
>>> prove_interval(parse("x**2 - x + 1/4 >= 0"), {}).proved
True
"""
from __future__ import annotations

import sympy
from flint import arb
from sympy import S, Symbol

from ..analysis.budget import clock
from ..export.arb import arb_lambdify, workprec
from . import claims as C
from .evaluate import _logic, arb_number
from .symbolic import Proof, sign_of, zero

__all__ = ["prove_interval", "R", "MAX_CELLS"]

R = 16
MAX_CELLS = 6000
_TOUCH = [0, 1, -1, S.Half, -S.Half, 2, -2, 3, -3]
_JUMPS = (sympy.Heaviside, sympy.sign, sympy.Piecewise, sympy.DiracDelta, sympy.floor,
          sympy.ceiling)
_OPS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}


def _cmp(op, a, b):
    from ..export.arb import ArbCompiler
    if not (a.is_finite() and b.is_finite()):
        return None
    return ArbCompiler.compare(_OPS[op], a, b)


class _Cells:
    def __init__(self, formula, var, constants, bits=64):
        self.formula, self.var, self.bits = formula, var, bits
        self.consts = list(constants)
        self.cvals = [constants[c].ball for c in self.consts]
        self.fns = {}
        for rel in C.atoms(formula):
            self.fns[rel] = (arb_lambdify(rel.lhs, [var] + self.consts),
                             arb_lambdify(rel.rhs, [var] + self.consts))

    def truth(self, ball):
        def leaf(rel):
            fl, fr = self.fns[rel]
            try:
                return _cmp(rel.op, fl(ball, *self.cvals), fr(ball, *self.cvals))
            except (ArithmeticError, ValueError, ZeroDivisionError):
                return None
        with workprec(self.bits):
            return _logic(self.formula, leaf)


def _exact_zero(e, var, c, deadline):
    """True when e(c) = 0 exactly (arb exact zero, or SymPy simplification)."""
    try:
        v = e.xreplace({var: c})
    except (TypeError, ValueError):
        return False
    if v == 0:
        return True
    if v.has(S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity):
        return False
    # SymPy decides an exact zero only where arb agrees (contains 0)
    try:
        with workprec(128):
            b = arb_lambdify(v, [])()
        if b.is_exact() and b.is_zero():
            return True
        if not b.is_finite() or not b.contains(0):
            return False
    except Exception:  # noqa: BLE001 - no enclosure, no exact-zero claim
        return False
    return zero(v, deadline) is not None


def _branch(d, var, c, side):
    """The smooth branch of ``d`` just right (side=1) or left (-1) of c."""
    from ..analysis.pieces import KINKED, branch_at
    if not d.has(*KINKED):
        return d
    probe = c + side * sympy.Rational(1, 10**12)
    try:
        return branch_at(d, var, probe)
    except Exception:  # noqa: BLE001
        return None


def _taylor(rel, var, c, cell, side, deadline, consts):
    """Sign of d = lhs - rhs on the cell next to c (excluding c): +1/-1 or None."""
    if consts:
        return None
    full = rel.lhs - rel.rhs
    from ..analysis.pieces import KINKED, kinks
    if full.has(*KINKED):  # the branch at c holds only up to the next kink
        try:
            ks = kinks(full, var)
        except Exception:  # noqa: BLE001
            return None
        with workprec(64):
            if any(k != c and cell.overlaps(arb_number(k)) for k in ks):
                return None
    d = _branch(full, var, c, side)
    if d is None or not _exact_zero(d, var, c, deadline):
        return None
    if not d.has(var) or zero(d, deadline):
        return 0  # the branch is identically 0 next to c
    g = d
    for k in range(1, 5):
        g = sympy.diff(g, var)
        try:
            f = arb_lambdify(g, [var])
            with workprec(64):
                b = f(cell)
        except Exception:  # noqa: BLE001
            return None
        if b.is_finite() and (b > 0 or b < 0):
            s = 1 if b > 0 else -1
            return s if side > 0 else s * (-1) ** k
        if not _exact_zero(g, var, c, deadline):
            return None
    return None


def _holds_sign(op, s, at_zero):
    """Does a value of sign s (and 0 at the touch point itself) satisfy op 0?"""
    return {">": s > 0, ">=": s >= 0, "<": s < 0, "<=": s <= 0, "!=": s != 0,
            "==": s == 0}[op]


# -- tails -------------------------------------------------------------------

#: offsets beyond a cut where a symbolic tail argument is cross-checked by arb
_FAR = [sympy.Rational(1, 8), 1, 3, 10] + [10**k for k in (2, 3, 4, 6, 8, 12, 16, 20, 25, 30,
                                                          40, 50, 70, 100, 150, 200, 300)]


def _far_values(d, var, cut, side):
    """arb enclosures of d at cut ± each offset of ``_FAR`` (None if undefined)."""
    from .evaluate import _stable
    try:
        f = arb_lambdify(_stable(d), [var])
    except Exception:  # noqa: BLE001
        return []
    out = []
    for off in _FAR:
        b = None
        for bits in (128, 1024):
            try:
                with workprec(bits):
                    b = f(arb_number(cut + side * off))
            except Exception:  # noqa: BLE001
                b = None
            if b is not None and b.is_finite() and b.rad() < 1e-6 * (1 + abs(b.mid())):
                break
        out.append(b if b is not None and b.is_finite() else None)
    return out


def _tail_sign(d, var, cut, side, op, deadline):
    """A reason that d op 0 for every x beyond ``cut`` on ``side``, or None.

    The sign comes from SymPy's assumptions, so it is cross-checked with arb
    far out on the tail (up to 10^300 beyond the cut): any disagreement and
    the tail is not proved.
    """
    from .tails import exp_poly_sign
    sg = exp_poly_sign(d, var, cut, side)
    if sg is not None and _holds_sign(op, sg, False):
        r = ("exponentials bounded by polynomials in positive symbols, "
             "every coefficient of one sign (arb)")
    else:
        t = Symbol("t", positive=True)
        sub = d.xreplace({var: cut + t} if side > 0 else {var: cut - t})
        r = sign_of(sub, op, deadline, cheap=True)
    if not r and (deadline is None or clock() < deadline):
        r = _enclosed_sign(d, var, cut, side, op)
    if not r:
        return None
    for b in _far_values(d, var, cut, side):
        if b is not None and _cmp(op, b, arb(0)) is False:
            return None  # SymPy's sign is wrong somewhere: not a proof
    return f"on the tail: {r}; arb agrees at {len(_FAR)} points out to 10^300"


def _enclosed_sign(d, var, cut, side, op):
    """A reason from an arb enclosure of every value of ``d`` on the whole tail
    (:func:`symacts.analysis.tails.tail_bounds`: interval arithmetic with
    infinite ends, small complements σ(-u), Mills' ratio far out), or None."""
    from ..analysis.tails import tail_bounds
    try:
        b = tail_bounds(d, var, cut, side)
    except Exception:  # noqa: BLE001 - an unsupported node: no enclosure
        return None

    def sgn(v):
        if isinstance(v, float):
            return 1 if v > 0 else -1
        return 1 if v > 0 else (-1 if v < 0 else 0)
    lo, hi = sgn(b.lo), sgn(b.hi)
    ok = {"<": hi < 0, "<=": hi <= 0, ">": lo > 0, ">=": lo >= 0,
          "!=": hi < 0 or lo > 0}.get(op, False)
    if not ok:
        return None
    ends = [e if isinstance(e, float) else e.str(5, radius=False) for e in (b.lo, b.hi)]
    return f"every value on the tail lies in [{ends[0]}, {ends[1]}] (arb, infinite ends)"


def _tail_branch(d, var, cut, side):
    """``d`` beyond ``cut``: the smooth branch it follows there when every kink
    lies inside the window (kinks located exactly: polynomial switches only)."""
    from ..analysis.pieces import KINKED, _switches, branch_at, is_polynomial, kinks
    if not d.has(*KINKED):
        return d
    try:
        if not all(is_polynomial(h, var) or not h.has(var) for h in _switches(d)):
            return d
        ks = kinks(d, var)
        if any((k >= cut) is not S.false if side > 0 else (k <= cut) is not S.false
               for k in ks):
            return d
        return branch_at(d, var, cut + side)
    except Exception:  # noqa: BLE001 - keep the kinked form
        return d


def _tail(rel, var, cut, side, deadline, depth=0):
    """A reason that ``rel`` holds on [cut, ∞) (side 1) or (-∞, cut] (side -1)."""
    d = _tail_branch(rel.lhs - rel.rhs, var, cut, side)
    op = rel.op
    if op == "==" or (deadline is not None and clock() > deadline):
        return None
    r = _tail_sign(d, var, cut, side, op, deadline)
    if r or depth >= 2:
        return r
    if d.has(*_JUMPS):
        return None  # a monotonicity argument needs d continuous on the tail
    from ..analysis import limit
    try:
        lim = limit(d, var, S.Infinity if side > 0 else S.NegativeInfinity)
    except Exception:  # noqa: BLE001
        return None
    if lim.exact is None and lim.method != "certified":
        return None
    dd = sympy.diff(d, var)
    for mono in (">", "<"):
        # d strictly monotone on the tail: sign of d' (x increasing)
        why = _tail(C.Rel(mono, dd, 0), var, cut, side, deadline, depth + 1)
        if not why:
            continue
        # moving outwards d increases when (d' > 0 and side > 0) or (d' < 0 and side < 0)
        outward_up = (mono == ">") == (side > 0)
        with workprec(128):
            try:
                at_cut = arb_lambdify(d, [var])(arb_number(cut))
            except Exception:  # noqa: BLE001
                return None
            if lim.exact is not None:
                if lim.exact in (S.Infinity, S.NegativeInfinity):
                    lb = None
                else:
                    lb = arb_number(lim.exact)
            else:
                lb = lim.enclosure
        # sanity: far out, d lies between d(cut) and the limit (arb); else the
        # monotonicity or the limit is wrong and nothing is proved
        if not _between(_far_values(d, var, cut, side), at_cut, lim, lb):
            continue
        # values lie strictly between d(cut) (attained) and the limit (not attained)
        if op in (">", ">="):
            if outward_up:
                ok = at_cut > 0 or (op == ">=" and at_cut >= 0)
            else:
                # (decreasing outwards towards +oo is impossible: no proof)
                ok = lb is not None and (lb >= 0) and (at_cut > 0 or op == ">=")
        elif op in ("<", "<="):
            if not outward_up:
                ok = at_cut < 0 or (op == "<=" and at_cut <= 0)
            else:
                ok = lb is not None and (lb <= 0) and (at_cut < 0 or op == "<=")
        else:  # != : strictly monotone and never crossing 0
            ok = False
            if lb is not None and (at_cut > 0 and lb >= 0 or at_cut < 0 and lb <= 0):
                ok = True
        if ok:
            return (f"d = {sympy.sstr(d)[:60]} is monotone beyond {cut} ({why}); "
                    f"d({cut}) = {at_cut.str(8)} and the limit is {lim.value_text()}")
    return None


def _between(values, at_cut, lim, lb):
    """No enclosure in ``values`` lies wholly outside the hull of d(cut) and the limit."""
    for b in values:
        if b is None:
            continue
        if lim.exact is S.Infinity:
            if b < at_cut:
                return False
        elif lim.exact is S.NegativeInfinity:
            if b > at_cut:
                return False
        elif lb is not None:
            if (b < at_cut and b < lb) or (b > at_cut and b > lb):
                return False
    return True


def _touch_points(formula, var, lo, hi, deadline):
    from ..analysis.budget import attempt
    cands = set(_TOUCH) | {lo, hi}  # the window's ends too (a domain end can touch)
    for rel in C.atoms(formula):
        d = rel.lhs - rel.rhs
        try:
            from ..analysis.pieces import kinks
            cands.update(kinks(d, var))
        except Exception:  # noqa: BLE001
            pass
        from ..functions import elementary
        out = attempt(sympy.solve, elementary(sympy.diff(d, var)), var, seconds=1.0)
        if out.ok and isinstance(out.value, list):
            cands.update(r for r in out.value if getattr(r, "is_real", False) and len(r.free_symbols) == 0)
    pts = []
    for c in cands:
        c = sympy.sympify(c)
        if not c.is_real or not ((lo <= c) is S.true and (c <= hi) is S.true):
            continue
        if any(_exact_zero(rel.lhs - rel.rhs, var, c, deadline) for rel in C.atoms(formula)):
            pts.append(c)
    return sorted(set(pts), key=lambda v: float(v))


def prove_interval(st, constants, deadline=None) -> Proof:
    """Prove a one-variable claim by arb bisection (see the module docstring)."""
    var, = st.variables
    if any(c.ball is None for c in constants.values()):
        return Proof(False, reason="a value in the claim has no enclosure")
    dom = st.domain(var)
    if not isinstance(dom, sympy.Interval):
        return Proof(False, reason=f"domain {dom} is not an interval")
    from .extremum import _simple_where
    formula = st.formula if st.where is None or _simple_where(st, var) else \
        C.Or((C.negate(st.where), st.formula))
    lo, hi = dom.start, dom.end
    steps = []
    wlo = lo if lo.is_finite else -R
    whi = hi if hi.is_finite else S(R)
    if (wlo >= whi) is S.true:
        wlo, whi = (lo, lo + 1) if lo.is_finite else (hi - 1, hi)
    # tails
    for end, side, cut in ((hi, 1, whi), (lo, -1, wlo)):
        if end.is_finite:
            continue
        rels = C.atoms(formula)
        if not isinstance(formula, (C.Rel, C.And)) or \
                (isinstance(formula, C.And) and not all(isinstance(a, C.Rel) for a in formula.args)):
            return Proof(False, reason="tails are bounded only for relations joined by and")
        for rel in rels:
            if consts_in(rel, constants):
                return Proof(False, reason="tails with certified constants are not supported")
            why = _tail(rel, var, cut, side, deadline)
            if not why:
                return Proof(False, reason=f"cannot bound the tail {'[' + str(cut) + ', oo)' if side > 0 else '(-oo, ' + str(cut) + ']'} of {rel}")
            steps.append(f"tail {'x >= ' if side > 0 else 'x <= '}{cut}: {rel}: {why}")
    # window
    touches = _touch_points(formula, var, wlo, whi, deadline)
    # at a touching point of the domain itself a strict relation fails (d = 0)
    for c in touches:
        if dom.contains(c) is not S.false:
            for rel in C.atoms(formula):
                if rel.op in ("<", ">", "!=") and \
                        _exact_zero(rel.lhs - rel.rhs, var, c, deadline):
                    return Proof(False, reason=f"{rel} has lhs = rhs at {var} = {c}")
    cells_def = _Cells(formula, var, constants)
    ends = sorted({wlo, whi, *touches}, key=lambda v: float(v))
    stack = []
    with workprec(64):
        for a, b in zip(ends, ends[1:]):
            stack.append((arb_number(a), arb_number(b), a if a in touches else None,
                          b if b in touches else None))
    count, checked = 0, 0
    touch_used = set()
    while stack:
        if deadline is not None and clock() > deadline:
            return Proof(False, reason=f"out of time after {count} cells")
        a, b, ta, tb = stack.pop()
        count += 1
        if count > MAX_CELLS:
            return Proof(False, reason=f"more than {MAX_CELLS} cells without a decision")
        with workprec(64):
            ball = a.union(b)
        t = cells_def.truth(ball)
        if t is True:
            checked += 1
            continue
        if t is False:
            return Proof(False, reason=f"the claim fails on the whole cell {ball.str(10)}")
        # touching end: Taylor argument for every relation
        done = False
        for c, side in ((ta, 1), (tb, -1)):
            if c is None or not isinstance(formula, (C.Rel, C.And)):
                continue
            rels = C.atoms(formula)
            ok = True
            for rel in rels:
                with workprec(64):
                    sub = cells_def.truth(ball) if False else _cmp(
                        rel.op, *[f(ball, *cells_def.cvals) for f in cells_def.fns[rel]])
                if sub is True:
                    continue
                s = _taylor(rel, var, c, ball, side, deadline, constants)
                if s is None or not _holds_sign(rel.op, s, True):
                    ok = False
                    break
            if ok:
                done = True
                touch_used.add(c)
                break
        if done:
            checked += 1
            continue
        with workprec(64):
            width = (b - a).upper()
            if width < 1e-10 * (1 + abs(float(a.mid()))):
                return Proof(False, reason=f"undecided near {var} = {a.mid().str(12)} "
                                           "(cells too small)")
            m = a + (b - a) / 2
            if not m.is_exact():
                m = arb(m.mid())
        stack.append((m, b, None, tb))
        stack.append((a, m, ta, None))
    steps.append(f"[{wlo}, {whi}] covered by {checked} arb cells"
                 + (f"; touching at {', '.join(map(str, sorted(touch_used, key=float)))} "
                    "(Taylor argument, exact zeros)" if touch_used else ""))
    return Proof(True, steps)


def consts_in(rel, constants):
    return bool((rel.lhs.free_symbols | rel.rhs.free_symbols) & set(constants))
