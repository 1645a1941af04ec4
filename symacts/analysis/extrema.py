"""Global supremum and infimum of an expression on ℝ or an interval:
exact when SymPy closes it, otherwise certified with arb.

Candidates are the values at the interval's ends, at each kink (and the
one-sided limits there), the limits at ±∞, and the values at the critical
points of every smooth branch. Critical points are isolated rigorously
(:mod:`symacts.analysis.roots`) on ``[-R, R]`` and on doubling cells out to
``R·2^K``; beyond that the branch is monotone (checked symbolically when
SymPy's assumptions decide the sign of f′ there, otherwise from the sign of
f′ on the last cells and at infinity — the note then says so). A value is
never read off a grid.

>>> from sympy import Symbol
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> s = supremum(sigmoid(x) * (1 - sigmoid(x)), x)
>>> s.exact, s.argument, s.attained
(1/4, 0, True)
>>> m = infimum(x * sigmoid(x), x)
>>> m.exact, m.argument
(-LambertW(exp(-1)), -1 - LambertW(exp(-1)))
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy
from flint import arb
from sympy import Interval, Mul, S

from ..export.arb import arb_lambdify, workprec
from ..functions import elementary
from .budget import attempt
from .facts import Extremum, Fact, ball_decimal, digits_correct, enclose, exact_fact
from .limits import branch_limit
from .pieces import KINKED, check_input, is_polynomial, pieces, kinks, strip_dirac
from .roots import arb_point, isolate, refine, stable
from .tails import small_form, tail_bounds, tail_sign

__all__ = ["supremum", "infimum", "critical_points", "R", "DOUBLINGS",
           "simplify_lambert", "recognise", "is_even"]

#: half-width of the window searched by bisection
R = 16
#: budget for SymPy's solve when closing a critical point exactly
SOLVE_SECONDS = 1.6
#: doubling cells beyond the window: the search reaches |x| = R·2^DOUBLINGS
DOUBLINGS = 2


@dataclass
class _Cand:
    exact: object
    ball: object
    attained: object      # True, False, or None (undecided cell)
    where: object
    kind: str
    piece: object = None


def simplify_lambert(e, seconds=2.0):
    """Simplify, using exp(±W(z)) = (z/W(z))^±1 (SymPy lacks that rule).

    >>> from sympy import LambertW, exp, Symbol
    >>> w = LambertW(exp(-1))
    >>> simplify_lambert((-1 - w) / (1 + exp(1 + w)))
    -LambertW(exp(-1))
    """
    def rule(ex):
        u = ex.args[0]
        for t, k in u.as_coefficients_dict().items():
            if isinstance(t, sympy.LambertW) and k in (1, -1):
                z = t.args[0]
                return sympy.exp(u - k * t) * (z / t) ** k
        return ex
    e = e.replace(lambda a: isinstance(a, sympy.exp) and a.has(sympy.LambertW), rule)
    e = sympy.cancel(sympy.together(e))
    out = attempt(sympy.simplify, e, seconds=seconds)
    return out.value if out.ok else e


_BASIS = {"pi": mpmath.pi, "log(2)": mpmath.log(2), "sqrt(2)": mpmath.sqrt(2),
          "W": lambda: mpmath.lambertw(1 / mpmath.e).real}


def recognise(value, dps=30):
    """A closed form that matches the decimal ``value`` (numeric evidence only).

    >>> recognise(mpmath.mpf(2).sqrt() / 4, 20)
    '(sqrt(32)/16)'
    """
    with mpmath.workdps(dps):
        v = mpmath.mpf(value)
        if v == 0:
            return "0"
        consts = {k: (c() if callable(c) else +c) for k, c in _BASIS.items()}
        consts["W(1/e)"] = consts.pop("W")
        try:  # one constant at a time (cheaper than all together), then none
            found = None
            for k, c in consts.items():
                found = mpmath.identify(v, {k: c}, tol=mpmath.mpf(10) ** (-dps + 5),
                                        maxcoeff=30)
                if found:
                    break
            found = found or mpmath.identify(v, tol=mpmath.mpf(10) ** (-dps + 5),
                                             maxcoeff=60)
        except Exception:  # noqa: BLE001 - identify is heuristic
            return None
        return found or None


def _exact_at(h, var, p):
    v = h.xreplace({var: p})
    if v.has(S.NaN, S.ComplexInfinity) or not v.is_number:
        return None
    v = sympy.nsimplify(v) if v.is_Float else v
    if v.is_finite and v.is_extended_real:
        return v
    return None


def _cover(a, b):
    """Finite closed cells covering (a, b) out to R·2^DOUBLINGS, and the cut
    points where an infinite tail starts (None when that side is finite)."""
    big = R * 2**DOUBLINGS
    cells, left_cut, right_cut = [], None, None
    lo = a if a is not S.NegativeInfinity else S(-big)
    hi = b if b is not S.Infinity else S(big)
    if a is S.NegativeInfinity:
        left_cut = lo
    if b is S.Infinity:
        right_cut = hi
    mid_lo, mid_hi = sympy.Max(lo, -R), sympy.Min(hi, R)
    if (mid_lo < mid_hi) is S.true:
        cells.append((mid_lo, mid_hi))
    cells.extend(_doubling(sympy.Max(lo, R), hi))
    cells.extend((-e, -s) for s, e in _doubling(sympy.Max(-hi, R), -lo))
    return cells, left_cut, right_cut


def _doubling(s, hi):
    out = []
    while (s < hi) is S.true:
        e = sympy.Min(2 * s, hi)
        out.append((s, e))
        s = e
    return out


def _tail_sign_proved(dg, var, cut, side):
    """SymPy's assumptions decide the sign of dg beyond ``cut``: ±1 or 0."""
    y = sympy.Symbol("y", positive=True)
    at = cut + y if side > 0 else cut - y
    for form in (dg, stable(dg)):
        e = sympy.factor_terms(form.xreplace({var: at}))
        if e.is_positive:
            return 1
        if e.is_negative:
            return -1
    return 0


def _point_sign(f, p):
    for bits in (64, 256):
        with workprec(bits):
            v = f(arb_point(p))
        if v > 0:
            return 1
        if v < 0:
            return -1
    return 0


def _probe_tail(fdg, cut, side):
    """Signs of f′ at cut·2^k (k = 0..60): (far sign, last k with another sign)."""
    signs = [_point_sign(fdg, cut * 2**k) for k in range(61)]
    known = [(k, s) for k, s in enumerate(signs) if s]
    if not known:
        return 0, None
    far = known[-1][1]
    other = [k for k, s in known if s != far]
    return far, (max(other) if other else None)


def _isolate_cells(fdg, fd2, var, cells, far=None, prune=None):
    """Isolate on each cell; ``far(side)`` gives forms for cells beyond ±R."""
    roots, unknown, signs = [], [], {}
    for (a, b) in cells:
        f1, f2 = fdg, fd2
        if far is not None and ((a >= R) is S.true or (b <= -R) is S.true):
            f1, f2 = far(1 if (a >= R) is S.true else -1)
        iso = isolate(f1, f2, var, a, b, max_cells=800, prune=prune)
        if iso.unknown and iso.complete:  # cancellation: retry at a higher precision
            iso2 = isolate(f1, f2, var, a, b, bits=256, prune=prune)
            if len(iso2.unknown) <= len(iso.unknown):
                iso = iso2
        roots.extend(iso.roots)
        unknown.extend(iso.unknown)
        for l, r, s in iso.signs:
            signs[(a, b)] = signs.get((a, b), set()) | {s}
    return roots, unknown, signs


def _tight(e, var):
    """A form of ``e`` that arb encloses tightly: cancellation-free rewrites, and
    one fraction for algebraic expressions (x/√(x²+1) - ... cancels)."""
    e = stable(e)
    if any(isinstance(p, sympy.Pow) and p.exp.is_Rational and not p.exp.is_Integer
           and p.base.has(var) for p in e.atoms(sympy.Pow)) or e.is_rational_function(var):
        t = sympy.factor_terms(sympy.together(e))
        if sympy.count_ops(t) <= 2 * sympy.count_ops(e):
            return t
    return e


_SIGNS: dict = {}


def tail_proof(dg, var, cut, side, depth=2):
    """The sign of dg on the tail beyond ``cut`` (0: not proved), memoised
    (the inf of f asks for -dg what the sup asked for dg). ``depth`` as in
    :func:`~symacts.analysis.tails.tail_sign`: 0 encloses dg only (cheap),
    2 also tries its derivatives (costly when it fails)."""
    key = (dg, var, cut, side, depth)
    if key in _SIGNS:
        return _SIGNS[key]
    neg = (-dg, var, cut, side, depth)
    if neg in _SIGNS:
        return -_SIGNS[neg]
    out = _tail_sign_proved(dg, var, cut, side) or tail_sign(dg, var, cut, side, depth)
    if len(_SIGNS) > 256:
        _SIGNS.clear()
    _SIGNS[key] = out
    return out


_CRIT = {}


def critical_points(branch, var, lo, hi, digits=30):
    """Memoised :func:`_critical_points` (sup and inf share the work: the
    critical points of -g are those of g, the signs of f′ flip)."""
    key = (branch, var, lo, hi, digits)
    if key in _CRIT:
        return _CRIT[key]
    neg = (-branch, var, lo, hi, digits)
    if neg in _CRIT:
        pts, und, notes, tails = _CRIT[neg]
        notes = [n.replace("sign +1", "sign @").replace("sign -1", "sign +1")
                 .replace("sign @", "sign -1") for n in notes]
        out = (pts, und, notes, [(c, ok, -s) for c, ok, s in tails])
    else:
        out = _critical_points(branch, var, lo, hi, digits)
    if len(_CRIT) > 256:
        _CRIT.clear()
    _CRIT[key] = out
    return out


def _critical_points(branch, var, lo, hi, digits=30, prune=None):
    """Certified critical points of a smooth ``branch`` on ``(lo, hi)``.

    Returns ``(points, undecided, notes, tails)``: points are arb balls, each
    holding exactly one zero of the derivative; undecided are tiny cells
    (lo, hi); tails are (cut, proved, sign of f′) for each infinite side:
    proved is True when SymPy's assumptions establish the sign of f′ beyond
    the cut, None when that is left to :func:`tail_proof` (interval
    arithmetic on the tail, :mod:`symacts.analysis.tails`); the sign is then
    the one f′ has at |cut|·2^k, k ≤ 60 (numeric evidence only).
    """
    dg = sympy.diff(branch, var)
    d2g = sympy.diff(dg, var)
    lo, hi = sympy.sympify(lo), sympy.sympify(hi)
    notes, tails = [], []
    fdg = arb_lambdify(_tight(dg, var), var)
    fd2 = arb_lambdify(_tight(d2g, var), var)
    cuts = {}
    for side, end in ((1, hi), (-1, lo)):
        if end not in (S.Infinity, S.NegativeInfinity):
            continue
        other = lo if side > 0 else hi  # the finite end, if any: cuts stay inside

        def inside(c):
            if other in (S.Infinity, S.NegativeInfinity):
                return c
            return sympy.Max(c, other) if side > 0 else sympy.Min(c, other)
        cut = inside(S(R * side))  # first try the tail right after the window
        s = _tail_sign_proved(dg, var, cut, side)
        if not s:
            # f′ sampled at cut·2^k: a sign change further out moves the cut
            # beyond it; with none, a later cut is rarely easier (measured on
            # the catalog: never). The interval proof of the sign (costly) is
            # left to the caller, who needs it only when the values on the
            # tail could reach the top (see _resolve_tails)
            far, k = _probe_tail(fdg, cut, side)
            if k is not None:
                cut = inside(cut * 2**(k + 1))
                s = _tail_sign_proved(dg, var, cut, side)
        tails.append((cut, True, s) if s else (cut, None, far))
        cuts[side] = cut
    a = cuts.get(-1, lo)
    b = cuts.get(1, hi)
    cells, _, _ = _cover(a, b)
    memo = {}

    def far(side):  # σ(u) as 1 - σ(-u) etc. where u grows: no cancellation far out
        if side not in memo:
            memo[side] = tuple(arb_lambdify(stable(small_form(e, var, side * R, side,
                                                              mills=False)), var)
                               for e in (dg, d2g))
        return memo[side]
    roots, unknown, _ = _isolate_cells(fdg, fd2, var, cells, far, prune)
    points = [refine(dg, var, br, digits) for br in roots]
    return points, unknown, notes, tails


def _collect(h, var, lo, hi, digits, bits, sgn=1):
    cands, notes, pending = [], [], []
    complete = True
    for end, dirn in ((lo, "+"), (hi, "-")):
        if end in (S.Infinity, S.NegativeInfinity):
            ps = pieces(h, var)
            g = ps[-1].branch if end is S.Infinity else ps[0].branch
            L = branch_limit(sgn * g, var, end, dirn, digits)  # shared by sup and inf
            if L.exact is not None:
                L = exact_fact(L.name, sgn * L.exact, digits)
            if L.exact is S.Infinity:
                return [_Cand(S.Infinity, None, False, end, "limit")], [], True
            if L.exact is S.NegativeInfinity:
                continue
            if L.exact is not None:
                cands.append(_Cand(L.exact, L.enclosure, False, end, "limit"))
            else:  # no exact limit: enclose the values far out instead
                side = 1 if end is S.Infinity else -1
                tb = tail_bounds(g, var, side * R * 2**DOUBLINGS, side)
                if tb.finite:
                    cands.append(_Cand(None, tb.ball(), None, end, "tail"))
                    notes.append(f"limit at {end} unknown ({L.note}); the values beyond "
                                 f"|x| = {R * 2**DOUBLINGS} are enclosed instead")
                else:
                    complete = False
                    notes.append(f"limit at {end} unknown: {L.note}")
        else:
            v = _exact_at(h, var, end)
            if v is not None:
                cands.append(_Cand(v, None, True, end, "point"))
    for k in kinks(h, var):
        if (lo < k) is S.true and (k < hi) is S.true:
            v = _exact_at(h, var, k)
            if v is not None:
                cands.append(_Cand(v, None, True, k, "point"))
    for piece in pieces(h, var, lo, hi):
        g = piece.branch
        for end in (piece.lo, piece.hi):
            if end not in (S.Infinity, S.NegativeInfinity):
                v = _exact_at(g, var, end)
                if v is not None:
                    cands.append(_Cand(v, None, False, end, "side"))
                else:
                    complete = False
                    notes.append(f"branch {g} has no value at {end}")
        dg = sympy.diff(g, var)
        if dg == 0 or dg.is_zero:
            cands.append(_Cand(g, None, True, Interval.open(piece.lo, piece.hi), "constant"))
            continue
        if is_polynomial(g, var) and (sympy.Poly(dg, var).degree() < 1 or
                                      sympy.Poly(dg, var).domain.is_QQ or
                                      sympy.Poly(dg, var).domain.is_ZZ):
            roots = sympy.Poly(dg, var).real_roots() if sympy.Poly(dg, var).degree() >= 1 \
                else []
            for r in roots:
                if (piece.lo < r) is S.true and (r < piece.hi) is S.true:
                    cands.append(_Cand(sympy.expand(g.xreplace({var: r})), None, True,
                                       r, "critical", piece))
            continue
        pts, und, pnotes, tails = critical_points(g, var, piece.lo, piece.hi, digits)
        fg = arb_lambdify(stable(g), var)
        if und:  # branch and bound: skip cells whose values lie below a known value
            floor = _floor(fg, piece, cands)
            if floor is not None:
                fd = arb_lambdify(stable(sympy.diff(g, var)), var)

                def prune(l, r, fg=fg, fd=fd, floor=floor):
                    with workprec(64):
                        b = l.union(r)
                        if fg(b) < floor:
                            return True
                        d = fd(b)  # the mean-value form, tight on small cells
                        return d.is_finite() and fg(arb(b.mid())) + d * (b - b.mid()) < floor
                pts, und, pnotes, tails = _critical_points(g, var, piece.lo, piece.hi,
                                                           digits, prune)
        notes.extend(pnotes)
        with workprec(bits):
            for zb in pts:
                cands.append(_Cand(None, fg(zb), True, zb, "critical", piece))
            for (a, b) in und:
                cands.append(_Cand(None, fg(a.union(b)), None, a.union(b), "undecided"))
                notes.append(f"undecided cell near x ≈ {a.mid().str(6, radius=False)}")
            for cut, ok, far in tails:
                side = 1 if cut > 0 else -1
                if ok is None:  # decided below, once every other candidate is known
                    pending.append((g, fg, cut, side, far))
                elif far != side:  # the tail moves down and away: its top is at the cut
                    cands.append(_Cand(None, fg(arb_point(cut)), True, cut, "cut"))
    complete = _resolve_tails(pending, var, cands, notes, digits, bits) and complete
    return cands, notes, complete


def _resolve_tails(pending, var, cands, notes, digits, bits):
    """Candidates for the tails whose sign of f′ SymPy's assumptions left open.

    A proved sign makes the tail monotone (its top is at the cut or is the
    limit). The cheap proof (an enclosure of f′ on the tail) comes first; if
    it fails, the enclosure of the values of f on the tail: when it lies
    strictly below a value reached elsewhere the tail cannot hold the sup and
    the costly proof (through f″, f‴) is not needed; otherwise that proof is
    tried, and failing it the enclosure stands in. False when a tail is left
    neither proved nor enclosed."""
    complete = True
    with workprec(bits):
        known = [b.lower() for b in (_known_ball(c, digits) for c in cands)
                 if b is not None]
        top = max(known) if known else None
        for g, fg, cut, side, far in pending:
            dg = sympy.diff(g, var)
            s = tail_proof(dg, var, cut, side, depth=0)
            if not s:
                tb = tail_bounds(g, var, cut, side)
                if not (tb.finite and top is not None and tb.hi < top):
                    s = tail_proof(dg, var, cut, side)
            if s:
                if s != side:  # the tail moves down and away: its top is at the cut
                    cands.append(_Cand(None, fg(arb_point(cut)), True, cut, "cut"))
                continue
            if far != side:
                cands.append(_Cand(None, fg(arb_point(cut)), True, cut, "cut"))
            if tb.finite:
                cands.append(_Cand(None, tb.ball(), None, cut, "tail"))
                notes.append(f"beyond |x| = {abs(cut)} the values are enclosed "
                             f"in [{_end_text(tb.lo)}, {_end_text(tb.hi)}]")
            else:
                notes.append(f"beyond |x| = {abs(cut)} the sign of f′ is not proved "
                             f"(it has the sign {far:+d} at |x| = {abs(cut)}·2^k, k ≤ 60: "
                             "numeric evidence only)")
                complete = False
    return complete


def _known_ball(c, digits):
    """The enclosure of a candidate's value (None when there is none)."""
    try:
        b = _ball(c, digits)
    except (ArithmeticError, ValueError, TypeError, sympy.SympifyError):
        return None
    return b if b is not None and b.is_finite() else None


def _floor(fg, piece, cands):
    """A value the branch (or a candidate) reaches: a lower bound of the sup."""
    lo = max(float(piece.lo), -R) if piece.lo.is_finite else -R
    hi = min(float(piece.hi), R) if piece.hi.is_finite else R
    best = None
    with workprec(64):
        for c in cands:
            if c.attained is not False and c.ball is not None and c.ball.is_finite():
                best = c.ball.lower() if best is None else best.max(c.ball.lower())
        for k in range(1, 64):
            t = arb(lo + (hi - lo) * k / 64)
            v = fg(t)
            if v.is_finite():
                best = v.lower() if best is None else best.max(v.lower())
    return best


def _end_text(v):
    return str(v) if isinstance(v, float) else v.str(5, radius=False)


def _ball(c, digits):
    if c.ball is None and c.exact is not None:
        c.ball = enclose(c.exact, digits + 5) if not c.exact.is_zero else arb(0)
    return c.ball


def _solvable(e, var):
    """A quick structural test: SymPy's solve has a chance (transcendental
    functions of linear arguments only, as x·e^x → Lambert W, sin 2x = 1);
    Gaussians, erf and tanh of polynomials never close, so skip them."""
    rest = [f for f in Mul.make_args(sympy.factor_terms(e))
            if f.has(var) and not (f.is_positive or f.is_negative)]
    if len(rest) > 1:
        return all(_solvable(f, var) for f in rest)
    e = rest[0] if rest else e
    funcs = [a for a in e.atoms(sympy.Function) if a.has(var)]
    pows = [p for p in e.atoms(sympy.Pow) if p.base is S.Exp1 or
            (p.exp.has(var))]
    for a in funcs + pows:
        args = a.args if not isinstance(a, sympy.Pow) else (a.exp,)
        for u in args:
            if u.has(var) and not (u.is_polynomial(var) and sympy.degree(u, var) <= 1):
                return False
    return sympy.count_ops(e) < 60


def _exp_rate(e, var):
    """The rate k when every exponential in ``e`` is exp(n·k·var), n integer
    (σ(1.702x) gives k = 851/500); None otherwise or when k = ±1."""
    rates = []
    for p in e.atoms(sympy.exp):
        a = p.args[0]
        if not a.has(var):
            continue
        c = a.coeff(var)
        if not c.is_Rational or c == 0 or sympy.expand(a - c * var) != 0:
            return None
        rates.append(abs(c))
    if not rates:
        return None
    k = min(rates)
    if k == 1 or any(not (r / k).is_Integer for r in rates):
        return None
    return k


_U = sympy.Dummy("u", real=True)


def _solve_scaled(eq, var):
    """SymPy's solve under the budget; where every exponential runs at one rate
    k ≠ 1, in u = k·x (SymPy closes x·e^x = c through Lambert W, but not
    x·e^(1.702x) = c in time), the roots mapped back."""
    k = _exp_rate(eq, var)
    if k is None:
        return attempt(sympy.solve, eq, var, seconds=SOLVE_SECONDS)
    u = _U  # one symbol for every call: the budget's memo then knows the equation
    out = attempt(sympy.solve, eq.xreplace({var: u / k}), u, seconds=SOLVE_SECONDS)
    if not out.ok:
        return out
    return out._replace(value=[r / k for r in out.value])


def _close_exact(c, var, h, digits):
    """Try to give a critical point and its value exactly (SymPy solve)."""
    g = c.piece.branch
    dg = sympy.diff(g, var)
    if c.where.overlaps(arb(0)) and c.where.rad() < 1e-10:
        # the isolated cell holds one root; if f′(0) = 0 exactly, it is 0
        # (the even functions' maxima: gelu_tanh″, σ′, ...)
        d0 = _exact_at(dg, var, S.Zero)
        if d0 is not None and sympy.expand(elementary(d0)) == 0:
            v = _exact_at(g, var, S.Zero)
            if v is not None and enclose(v, digits).overlaps(c.ball):
                return S.Zero, v
    eq = elementary(dg)
    if not _solvable(eq, var):
        return None
    if eq.could_extract_minus_sign():  # one equation for the sup and the inf (-g)
        eq = -eq
    out = _solve_scaled(eq, var)
    if not out.ok:
        return None
    T = _period(dg, var)
    shifts = [k * T for k in range(-4, 5)] if T is not None else [S.Zero]
    for r in [r0 + t for r0 in out.value for t in shifts]:
        if not (r.is_number and r.is_real):
            continue
        try:
            rb = enclose(r, digits)
        except (ArithmeticError, ValueError, sympy.SympifyError):
            continue
        if rb.overlaps(c.where) and (c.where.rad() < 1e-10):
            val = simplify_lambert(elementary(g).xreplace({var: r}))
            vb = enclose(val, digits)
            if vb.overlaps(c.ball):
                return r, sympy.nsimplify(val) if val.is_Float else val
    return None


def _extremum(expr, var, lo, hi, digits, maximize):
    expr, var, lo, hi = check_input(expr, var, lo, hi)
    h = strip_dirac(expr) if maximize else -strip_dirac(expr)
    sgn = 1 if maximize else -1
    label = "sup" if maximize else "inf"
    name = f"{label} {sympy.sstr(strip_dirac(expr))}"
    bits = int(digits * 3.33) + 40
    off = _not_real_at(h, var, lo, hi)
    if off is not None:  # log(x) on x < 0: no real extremum to speak of over (lo, hi)
        return Extremum(name, None, None, "", "none", None,
                        f"not real-valued on the domain: f({off}) is not a real number "
                        "(give the domain where it is real)", attained=False)
    if lo == hi:
        v = _exact_at(h, var, lo)
        return _result(name, [_Cand(v, None, True, lo, "point")], sgn, digits, [], True,
                       var, h)
    period = _period(h, var) if (lo, hi) == (S.NegativeInfinity, S.Infinity) else None
    if period is not None:  # sup over ℝ = sup over one closed period
        start = period / 7  # an arbitrary window: critical points rarely sit at its ends
        cands, notes, complete = _collect(h, var, start, start + period, digits, bits, sgn)
        out = _result(name, cands, sgn, digits, notes, complete, var, h)
        out.note = "; ".join(filter(None, [f"periodic with period {period} (proved by "
                                           f"SymPy): attained again at every shift by "
                                           f"a multiple of {period}", out.note]))
        return out
    if (lo, hi) == (S.NegativeInfinity, S.Infinity) and is_even(h, var):
        # sup over ℝ = sup over [-1/7, ∞): half the cells, one tail; mirror the
        # places. 0 stays inside, where h′ (odd) vanishes: a root at an end of
        # the search would be undecided
        cands, notes, complete = _collect(h, var, -S.One / 7, S.Infinity, digits, bits,
                                          sgn)
        cands = cands + [_mirror(c) for c in cands]
        out = _result(name, cands, sgn, digits, notes, complete, var, h)
        out.note = "; ".join(filter(None, ["even (f(-x) = f(x) exactly): searched on "
                                           "[-1/7, oo) and mirrored", out.note]))
        return out
    cands, notes, complete = _collect(h, var, lo, hi, digits, bits, sgn)
    return _result(name, cands, sgn, digits, notes, complete, var, h)


#: functions that are not real on part of the line
_PARTIAL = (sympy.log, sympy.asin, sympy.acos, sympy.acosh, sympy.atanh, sympy.LambertW)
_PROBES = ("-1e6", "-1000", "-16", "-3", "-1", "-0.5", "-0.01", "0.01", "0.5", "1", "3",
           "16", "1000", "1e6")


def _not_real_at(h, var, lo, hi):
    """A probe point of (lo, hi) where ``h`` is not a real number, or None.

    >>> from sympy import Symbol, log, oo
    >>> x = Symbol('x', real=True)
    >>> _not_real_at(log(x) - x, x, -oo, oo), _not_real_at(log(x) - x, x, 0, oo)
    ('-1e6', None)
    """
    from ..functions import logit
    parts = [p for p in h.atoms(sympy.Pow) if not p.exp.is_integer and p.base.has(var)]
    if not (parts or h.has(*_PARTIAL, logit)):
        return None
    from ..export.mp import mp_lambdify
    try:
        f = mp_lambdify(h, var)
    except Exception:  # noqa: BLE001 - a node the mpmath backend lacks: nothing known
        return None
    with mpmath.workdps(30):
        for t in _PROBES:
            v = mpmath.mpf(t)
            if not ((lo < sympy.Float(t)) is S.true and (sympy.Float(t) < hi) is S.true):
                continue
            try:
                y = f(v)
            except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
                continue
            if isinstance(y, mpmath.mpc) and abs(y.imag) > mpmath.mpf(10) ** -20 * (1 + abs(y)):
                return t
    return None


def _parity_form(e):
    """``e`` with σ, Φ, φ, softplus written through odd/even elementary parts
    (σ(u) = (1 + tanh(u/2))/2, Φ(u) = (1 + erf(u/√2))/2, softplus_β(u) =
    u/2 + log(2 cosh(βu/2))/β), so that SymPy's automatic sign rules see parity."""
    from ..functions import Phi, phi, sigmoid, softplus

    def rule(f):
        u = f.args[0]
        if isinstance(f, sigmoid):
            return (1 + sympy.tanh(u / 2)) / 2
        if isinstance(f, Phi):
            return (1 + sympy.erf(u / sympy.sqrt(2))) / 2
        if isinstance(f, phi):
            return sympy.exp(-u**2 / 2) / sympy.sqrt(2 * sympy.pi)
        b = f.beta
        return u / 2 + sympy.log(2 * sympy.cosh(b * u / 2)) / b
    return e.replace(lambda f: isinstance(f, (sigmoid, Phi, phi, softplus)), rule)


def is_even(h, var):
    """True when ``h(-x) = h(x)`` is shown exactly (expansion to 0 of the
    parity form) and confirmed by arb at a few points; False when not shown.

    >>> from sympy import Symbol, tanh
    >>> x = Symbol('x', real=True)
    >>> is_even(1 - tanh(x)**2, x), is_even(tanh(x), x)
    (True, False)
    """
    if h.has(*KINKED) or not h.has(var) or sympy.count_ops(h) > 400:
        return False
    try:
        form = _parity_form(h)
        if sympy.expand(form.xreplace({var: -var}) - form) != 0:
            return False
        fh = arb_lambdify(stable(h), var)
        with workprec(128):
            for t in ("0.3183", "1.4142", "2.718", "7.389"):
                a, b = fh(arb(t)), fh(-arb(t))
                if a.is_finite() and b.is_finite() and not a.overlaps(b):
                    return False  # a wrong zero from SymPy: never use it
    except Exception:  # noqa: BLE001 - not shown even
        return False
    return True


def _mirror(c):
    """The candidate at -x (for an even function)."""
    w = c.where
    if isinstance(w, arb):
        with workprec(4096):  # negation rounds to the working precision: keep it exact
            w = -w
    elif w is S.Infinity or w is S.NegativeInfinity:
        w = -w
    elif isinstance(w, sympy.Set):
        t = sympy.Dummy("t")
        w = sympy.imageset(sympy.Lambda(t, -t), w)
    elif isinstance(w, sympy.Expr):
        w = -w
    return _Cand(c.exact, c.ball, c.attained, w, c.kind, c.piece)


def _period(h, var):
    """The period of a kink-free ``h`` when SymPy finds one and proves it."""
    if h.has(*KINKED) or not h.has(sympy.sin, sympy.cos, sympy.tan):
        return None
    out = attempt(sympy.periodicity, h, var, seconds=1.0)
    T = out.value if out.ok else None
    if T is None or not (T.is_positive and T.is_finite):
        return None
    d = sympy.expand_trig(sympy.expand(h.xreplace({var: var + T}) - h))
    if d != 0:
        chk = attempt(sympy.simplify, d, seconds=1.0)
        if not (chk.ok and chk.value == 0):
            return None
    return T


def _result(name, cands, sgn, digits, notes, complete, var, h):
    if any(c.exact is S.Infinity for c in cands):
        c = next(c for c in cands if c.exact is S.Infinity)
        val = S.Infinity * sgn
        return Extremum(name, val, None, str(val), "symbolic", c.where,
                        f"unbounded: tends to {val} as x → {c.where}",
                        attained=False, argument=c.where)
    if not cands:
        raise ValueError(f"no candidate values for {name}")
    bits = int(digits * 3.33) + 40
    with workprec(bits):
        blind = [c for c in cands if not _ball(c, digits).upper().is_finite()]
    if blind:
        # no upper bound on a cell (a pole, or a point where f is undefined):
        # the values there may exceed every other candidate, so nothing is known
        places = list(dict.fromkeys(_where_text(c.where) for c in blind))
        at = "; ".join(places[:3]) + (f" and {len(places) - 3} more cells"
                                      if len(places) > 3 else "")
        return Extremum(name, None, None, "", "none", None,
                        f"no finite enclosure of the function {at} (a pole, or a point "
                        "where it is undefined): the value is not known", attained=False)

    def leaders():
        with workprec(bits):
            balls = [_ball(c, digits) for c in cands]
            top_lo = max(b.lower() for b in balls)
            return [c for c, b in zip(cands, balls) if b.upper() >= top_lo]
    top = leaders()
    for c in top:
        if c.exact is None and c.kind == "critical":
            closed = _close_exact(c, var, h, digits)
            if closed:
                c.where, c.exact = closed
                c.ball = None
    top = leaders()
    exact = None
    if all(c.exact is not None for c in top):
        ref = max(top, key=lambda c: float(c.ball.mid())).exact
        if all(c.exact == ref or sympy.simplify(c.exact - ref) == 0 for c in top):
            exact = ref
    with workprec(bits):
        lower = max(c.ball.lower() for c in cands)
        upper = max(c.ball.upper() for c in top)
        enclosure = lower.union(upper) * sgn
    attained = any(c.attained is True for c in top)
    if any(c.attained is None for c in top) and not attained:
        # "not attained" would be a claim (strict inequalities rest on it): numeric
        notes.append("attainment undecided (an undecided cell reaches the top)")
        complete = False
    argument = _argument([c for c in top if c.attained is True] or top, digits)
    note = "; ".join(dict.fromkeys(notes))
    if exact is not None:
        exact = exact * sgn
        f = exact_fact(name, exact, digits)
        dec, ball, method = f.decimal, f.enclosure, "symbolic"
        if any(c.exact is None for c in cands):
            note = "; ".join(filter(None, ["the other candidates lie below it "
                                           "(arb enclosures)", note]))
    else:
        dec, ball = ball_decimal(enclosure, digits), enclosure
        ok = enclosure.is_zero() or enclosure.rel_accuracy_bits() >= digits * 3.32
        method = "certified" if ok and complete else "numeric"
        if not ok:
            note = "; ".join(filter(None, [note, f"only {len(dec.strip('-0.'))} digits "
                                                 "certified"]))
        if dec and dec != "nan":
            rec = recognise(mpmath.mpf(enclosure.mid().str(digits + 5, radius=False)), 20)
            if rec:
                note = "; ".join(filter(None, [note, f"recognised (numeric): {rec}"]))
    if not complete and method != "numeric":
        method = "numeric"
    return Extremum(name, exact, ball, dec, method, argument, note,
                    attained=bool(attained), argument=argument)


def _where_text(w):
    if isinstance(w, arb):
        return f"near x ≈ {w.mid().str(6, radius=False)}"
    return f"at x = {w}"


def _argument(cands, digits):
    """Where the value is attained (or approached): a point, a set, or Facts."""
    exact_parts, balls = [], []
    for c in cands:
        w = c.where
        if isinstance(w, arb):
            if not any(b.overlaps(w) for b in balls):
                balls.append(w)
        elif isinstance(w, sympy.Set):
            exact_parts.append(w)
        else:
            exact_parts.append(sympy.FiniteSet(w) if w not in (S.Infinity, S.NegativeInfinity)
                               else w)
    infs = [w for w in exact_parts if w in (S.Infinity, S.NegativeInfinity)]
    sets = [w for w in exact_parts if isinstance(w, sympy.Set)]
    out = []
    if sets:
        u = sympy.Union(*sets)
        out.append(next(iter(u)) if isinstance(u, sympy.FiniteSet) and len(u) == 1 else u)
    out.extend(dict.fromkeys(infs))
    out.extend(Fact("argument", None, b, ball_decimal(b, digits),
                    "certified" if digits_correct(b, min(digits, 15)) else "numeric",
                    note="" if digits_correct(b, min(digits, 15)) else
                    f"somewhere in [{b.lower().str(8, radius=False)}, "
                    f"{b.upper().str(8, radius=False)}]") for b in balls)
    return out[0] if len(out) == 1 else out


def supremum(expr, var=None, lo=S.NegativeInfinity, hi=S.Infinity, digits=30) -> Extremum:
    """The least upper bound of ``expr`` over ``[lo, hi]`` (default ℝ)."""
    return _extremum(expr, var, lo, hi, digits, True)


def infimum(expr, var=None, lo=S.NegativeInfinity, hi=S.Infinity, digits=30) -> Extremum:
    """The greatest lower bound of ``expr`` over ``[lo, hi]`` (default ℝ).

    >>> from sympy import Symbol, Max
    >>> x = Symbol('x', real=True)
    >>> infimum(Max(0, x), x).argument
    Interval(-oo, 0)
    """
    return _extremum(expr, var, lo, hi, digits, False)
