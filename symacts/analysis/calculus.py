"""Calculus facts: derivatives, smoothness class, parity, asymptotes, fixed
points and the inverse — each derived, with a time budget on SymPy.

>>> import symacts
>>> from symacts.catalog import X as x
>>> smoothness(symacts.get("relu").expr, x)["class"], smoothness(symacts.get("squared_relu").expr, x)["class"]
('C^0', 'C^1')
>>> parity(symacts.get("tanh").expr, x)
'odd'
>>> inverse(symacts.get("sigmoid").expr, x)
logit(x)
>>> [str(a) for a in asymptotes(symacts.get("softplus").expr, x)]
['y = x as x → oo', 'y = 0 as x → -oo']
"""
from __future__ import annotations

import sympy
from sympy import S

from ..functions import elementary
from .budget import attempt
from .facts import Fact, exact_fact
from .limits import branch_limit, limit
from .pieces import check_input, kinks, pieces, strip_dirac

__all__ = ["derivative", "smoothness", "parity", "asymptotes", "Asymptote",
           "fixed_points", "inverse", "limit", "kink_limits"]

MAX_ORDER = 6


#: trigonometric and hyperbolic functions: the ones SymPy's trigsimp works on
_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.sinh, sympy.cosh, sympy.tanh,
         sympy.sech, sympy.csch, sympy.coth)


def _hopeless(e):
    """A structural test: simplify would not finish within a short budget.

    SymPy's trigsimp (inside simplify) factors the polynomials it meets in
    the arguments of trigonometric and hyperbolic functions; with an argument
    of degree ≥ 2 (tanh(c(x + a x³)), gelu_tanh's f′ and f″) that took 0.5 to
    more than 3 s in every case measured, against 0.1-0.3 s for linear ones.

    >>> from sympy import Symbol, tanh
    >>> x = Symbol('x')
    >>> _hopeless(1 - tanh(x + x**3)**2), _hopeless(1 - tanh(2*x)**2)
    (True, False)
    """
    for f in e.atoms(*_TRIG):
        u = f.args[0]
        syms = u.free_symbols
        if len(syms) == 1 and u.is_polynomial(*syms) and sympy.degree(u, *syms) >= 2:
            return True
    return False


def _tidy(e, seconds=0.5):
    """A shorter equal form under a budget (the input when nothing is shorter,
    or when :func:`_hopeless` says simplify could not finish in time)."""
    if _hopeless(e):
        return e
    out = attempt(sympy.simplify, e, seconds=seconds)
    if out.ok and sympy.count_ops(out.value) <= sympy.count_ops(e):
        return out.value
    return e


def derivative(expr, var=None, n=1, simplify=True):
    """The n-th derivative (almost everywhere: no DiracDelta), tidied up.

    >>> from symacts.functions import sigmoid
    >>> from symacts.catalog import X as x
    >>> derivative(sigmoid(x), x, 2)
    (sigmoid(x) - 1)*(2*sigmoid(x) - 1)*sigmoid(x)
    """
    expr, var, _, _ = check_input(expr, var)
    if int(n) != n or n < 0:
        raise sympy.SympifyError(f"derivative order must be a non-negative integer, got {n}")
    d = strip_dirac(sympy.diff(expr, var, int(n))) if n else expr
    if simplify and n:
        d = _tidy(sympy.factor_terms(d))
        f = sympy.factor(d) if not d.has(sympy.Piecewise) else d
        d = f if sympy.count_ops(f) <= sympy.count_ops(d) else d
    return d


def _equal(a, b):
    d = a - b
    if d == 0:
        return True
    out = attempt(sympy.simplify, elementary(d), seconds=1.0)
    return out.ok and out.value == 0


def kink_limits(expr, var):
    """Per kink: the exact point, the value there and the one-sided limits."""
    rows = []
    ps = pieces(expr, var)
    for k in kinks(expr, var):
        left = next(p for p in reversed(ps) if (p.lo < k) is S.true)
        right = next(p for p in ps if (p.hi > k) is S.true)
        rows.append({"at": k, "value": expr.xreplace({var: k}),
                     "left": left.branch.xreplace({var: k}),
                     "right": right.branch.xreplace({var: k}),
                     "branches": (left.branch, right.branch)})
    return rows


def smoothness(expr, var=None):
    """The class C^k: k is the order of the first derivative that jumps at a
    kink (∞ without kinks; branches are analytic), ``-1`` if f itself jumps.

    >>> from sympy import Abs
    >>> from symacts.catalog import X as x
    >>> smoothness(x / (1 + Abs(x)), x)["k"]
    1
    """
    expr, var, _, _ = check_input(expr, var)
    rows = kink_limits(expr, var)
    if not rows:
        return {"class": "C^oo", "k": S.Infinity, "kinks": [],
                "note": "no kinks; every branch is analytic on ℝ"}
    worst, why = S.Infinity, ""
    for r in rows:
        gl, gr = r["branches"]
        k0 = r["at"]
        if not (_equal(r["left"], r["right"]) and _equal(r["value"], r["left"])):
            worst, why = S.NegativeOne, f"jumps at {k0}"
            break
        for j in range(1, MAX_ORDER + 1):
            dl = sympy.diff(gl, var, j).xreplace({var: k0})
            dr = sympy.diff(gr, var, j).xreplace({var: k0})
            if not _equal(dl, dr):
                if j - 1 < worst:
                    worst, why = j - 1, f"derivative {j} jumps at {k0}"
                break
    if worst is S.NegativeOne:
        return {"class": "discontinuous", "k": -1, "kinks": [r["at"] for r in rows],
                "note": why}
    if worst is S.Infinity:
        return {"class": f"C^{MAX_ORDER}+", "k": S(MAX_ORDER),
                "kinks": [r["at"] for r in rows],
                "note": f"derivatives up to order {MAX_ORDER} agree at every kink"}
    return {"class": f"C^{worst}", "k": S(worst), "kinks": [r["at"] for r in rows],
            "note": why}


def parity(expr, var=None, seconds=2.0):
    """'even', 'odd', 'odd + c' (f(x) + f(-x) = 2c, as σ with c = 1/2) or 'neither'.

    A numeric difference at one point settles 'neither'; the rest is proved
    by SymPy under a time budget ('unknown' when it runs out).
    """
    expr, var, _, _ = check_input(expr, var)
    flip = expr.xreplace({var: -var})
    t = sympy.Rational(7, 10)
    fe, fo = (expr - flip).xreplace({var: t}), (expr + flip).xreplace({var: t})
    tests = []
    if abs(sympy.N(fe, 30)) < 1e-25:
        tests.append(("even", expr - flip))
    if abs(sympy.N(fo, 30)) < 1e-25:
        tests.append(("odd", expr + flip))
    for name, d in tests:
        if _equal(d, 0):
            return name
    c = fo / 2
    fo2 = (expr + flip).xreplace({var: sympy.Rational(13, 10)})
    if not tests and abs(sympy.N(fo - fo2, 30)) < 1e-25:
        cs = sympy.nsimplify(sympy.N(c, 40), [sympy.pi, sympy.E], tolerance=1e-30)
        if _equal(expr + flip, 2 * cs):
            return f"odd + {cs}"
    return "neither" if not tests else "unknown"


class Asymptote(tuple):
    """(slope, intercept, side): the line y = a x + b as x → side."""

    def __str__(self):
        a, b, side = self
        line = sympy.sstr(a * sympy.Symbol("x") + b) if a != 0 else sympy.sstr(b)
        return f"y = {line} as x → {side}"


def asymptotes(expr, var=None):
    """Horizontal and oblique asymptotes at ±∞ (exact limits only)."""
    expr, var, _, _ = check_input(expr, var)
    out = []
    ps = pieces(expr, var)
    for side, g, dirn in ((S.Infinity, ps[-1].branch, "-"),
                          (S.NegativeInfinity, ps[0].branch, "+")):
        L = branch_limit(g, var, side, dirn, digits=15)
        if L.exact is not None and L.exact.is_finite:
            out.append(Asymptote((S.Zero, L.exact, side)))
            continue
        a = branch_limit(g / var, var, side, dirn, digits=15).exact
        if a is None or not a.is_finite or a == 0:
            continue
        b = branch_limit(g - a * var, var, side, dirn, digits=15).exact
        if b is not None and b.is_finite:
            out.append(Asymptote((a, b, side)))
    return out


def _zero_free_tail(h, var, cut, side):
    """True when h has no zero beyond ``cut`` (proved: h is monotone there and
    its value at the cut and its limit have one strict sign, or h is signed)."""
    from .tails import tail_bounds, tail_sign
    from .limits import exact_limit
    b = tail_bounds(h, var, cut, side)
    if b.sign() and not b.contains_zero():
        return True
    if not tail_sign(sympy.diff(h, var), var, cut, side):
        return False
    at = tail_bounds(h.xreplace({var: cut}), var, cut, side)
    point = S.Infinity if side > 0 else S.NegativeInfinity
    lim, _ = exact_limit(h, var, point, "-" if side > 0 else "+")
    if lim is None or at.contains_zero():
        return False
    s = at.sign()  # monotone between h(cut) (≠ 0) and the limit: strictly, as
    return bool((s > 0 and lim.is_nonnegative) or (s < 0 and lim.is_nonpositive))


def fixed_points(expr, var=None):
    """Solutions of f(x) = x: exact points and intervals where SymPy closes
    them per branch (budgeted), else certified balls from the root isolator;
    a cell where a zero could not be excluded is reported as a numeric Fact.

    >>> import symacts
    >>> from symacts.catalog import X as x
    >>> fixed_points(symacts.get("relu").expr, x)
    [Interval(0, oo)]
    >>> fixed_points(symacts.get("tanh").expr, x)
    [0]
    >>> fixed_points(symacts.get("softplus").expr, x)
    []
    """
    from .roots import arb_point, isolate, refine, stable
    from .extrema import _cover, R
    expr, var, _, _ = check_input(expr, var)
    out = []
    for p in pieces(expr, var):
        h = p.branch - var
        if sympy.expand(h) == 0:
            out.append(sympy.Interval(p.lo, p.hi))
            continue
        sol = attempt(sympy.solveset, elementary(h), var,
                      sympy.Interval.open(p.lo, p.hi), seconds=1.5)
        if sol.ok and isinstance(sol.value, sympy.FiniteSet) and \
                all(v.is_real for v in sol.value):
            out.extend(sol.value)
            continue
        if sol.ok and isinstance(sol.value, (sympy.ImageSet, sympy.Union)) and \
                not sol.value.has(sympy.ConditionSet, sympy.Complement):
            out.append(sol.value)  # infinitely many, as a pattern (snake: x = nπ)
            continue
        exact = [q for q in (S.Zero, S.One, S.NegativeOne)
                 if (p.lo < q) is S.true and (q < p.hi) is S.true
                 and h.xreplace({var: q}) == 0]
        out.extend(exact)
        at_end = [e for e in (p.lo, p.hi) if e.is_finite and h.xreplace({var: e}) == 0]
        if (exact or at_end) and _monotone_piece(h, var, p.lo, p.hi):
            continue  # strictly monotone on the piece: no zero besides the known one
        lo, hi = p.lo, p.hi
        for side, end in ((1, p.hi), (-1, p.lo)):
            if end in (S.Infinity, S.NegativeInfinity):
                for cut in (R * side, 4 * R * side):
                    if _zero_free_tail(h, var, S(cut), side):
                        break
                else:
                    out.append(Fact("fixed point", None, None, "", "numeric",
                                    note=f"not excluded beyond |x| = {4 * R}"))
                if side > 0:
                    hi = S(cut)
                else:
                    lo = S(cut)
        cells, _, _ = _cover(lo, hi)
        dh = sympy.diff(h, var)
        for a, b in cells:
            iso = isolate(stable(h), stable(dh), var, a, b, max_cells=400)
            for br in iso.roots:
                ball = refine(h, var, br)
                near = [q for q in (*exact, p.lo, p.hi) if q.is_finite]
                if any((ball - arb_point(q)).abs_upper() < 1e-4 for q in near):
                    continue  # a multiple zero at a known point, not a new one
                if ball.is_exact():
                    man, ex = ball.man_exp()
                    q = sympy.Integer(int(man)) * sympy.Integer(2)**int(ex)
                    if (p.lo < q) is S.true and (q < p.hi) is S.true:
                        out.append(q)
                    continue
                ok = ball.rad() < 1e-25 * (1 + abs(ball.mid()))
                out.append(Fact("fixed point", None, ball,
                                ball.str(30, radius=False) if ok else
                                ball.mid().str(6, radius=False),
                                "certified" if ok else "numeric",
                                note="" if ok else f"one zero of f(x) - x in "
                                                   f"{_cell_text(ball)}"))
            for cell in _clusters(iso.unknown):
                if any((cell - arb_point(q)).abs_upper() < 1e-4 for q in exact):
                    continue  # the multiple zero at a known point (as above)
                out.append(Fact("fixed point", None, cell,
                                cell.mid().str(6, radius=False), "numeric",
                                note=f"undecided cell {_cell_text(cell)}: a zero of "
                                     "f(x) - x may lie here"))
    for k in kinks(expr, var):
        if expr.xreplace({var: k}) == k:
            out.append(k)
    merged = []
    for item in out:
        if isinstance(item, sympy.Basic) and any(
                isinstance(m, sympy.Interval) and m.contains(item) is S.true for m in merged):
            continue
        merged = [m for m in merged if not (isinstance(item, sympy.Interval) and
                                            isinstance(m, sympy.Basic) and
                                            item.contains(m) is S.true)]
        if item not in merged:
            merged.append(item)
    ints = [m for m in merged if isinstance(m, sympy.Interval)]
    if len(ints) > 1:
        u = sympy.Union(*ints)
        merged = [m for m in merged if not isinstance(m, sympy.Interval)] + \
            (list(u.args) if isinstance(u, sympy.Union) else [u])
    return merged


def _monotone_piece(h, var, lo, hi):
    """SymPy's assumptions prove h′ ≥ 0 (or ≤ 0) on the open piece (lo, hi)."""
    y = sympy.Symbol("y", positive=True)
    d = sympy.diff(h, var)
    subs = [var] if lo is S.NegativeInfinity and hi is S.Infinity else []
    if lo is not S.NegativeInfinity:
        subs.append(lo + y)
    if hi is not S.Infinity:
        subs.append(hi - y)
    for at in subs:
        for form in (d, sympy.together(d), sympy.factor(d)):
            e = form.xreplace({var: at}) if at is not var else form
            if e.is_nonnegative or e.is_nonpositive:  # on a half-line ⊇ the piece
                return True
    return False


def _clusters(cells, gap=1e-6):
    """Undecided cells (lo, hi) merged when they (nearly) touch, as balls."""
    out = []
    for l, r in sorted(cells, key=lambda c: float(c[0].mid())):
        b = l.union(r)
        if out and float((b.lower() - out[-1].upper()).mid()) < gap:
            out[-1] = out[-1].union(b)
        else:
            out.append(b)
    return out


def _cell_text(ball):
    """A cell as text: [lo, hi] with a few digits."""
    return f"[{ball.lower().str(6, radius=False)}, {ball.upper().str(6, radius=False)}]"


def inverse(expr, var=None, seconds=2.0, monotone=None):
    """The inverse function (in ``var``) where f is one-to-one and SymPy can
    solve ``y = f(x)``; ``None`` otherwise."""
    from .extrema import infimum, supremum
    expr, var, _, _ = check_input(expr, var)
    if kinks(expr, var):
        return None
    if monotone is False:
        return None
    d = derivative(expr, var, 1, simplify=False)
    lo, hi = (infimum(d, var, digits=10), supremum(d, var, digits=10)) \
        if monotone is None else (None, None)
    if monotone is None and not ((lo.exact is not None and lo.exact >= 0 and lo.attained is False) or
            (hi.exact is not None and hi.exact <= 0 and hi.attained is False) or
            (lo.enclosure is not None and lo.enclosure > 0) or
            (hi.enclosure is not None and hi.enclosure < 0)):
        return None  # not proved one-to-one
    y = sympy.Symbol("y", real=True)
    out = attempt(sympy.solve, expr - y, var, seconds=seconds)
    if not out.ok or len(out.value) != 1:
        return None
    return out.value[0].xreplace({y: var})
