"""Search for a counterexample at many high-precision points: 0, ±1, kinks,
critical points and zeros of each side's difference, huge |x| (±1e3, ±1e8,
±1e300), points near the domain's ends, and seeded random ones.

A point counts as a counterexample only when arb shows, rigorously, that the
``where`` clause holds there and the claim fails; mpmath only proposes.

>>> from symacts.verify.parser import parse
>>> from symacts.verify.evaluate import Evaluator
>>> st = parse("0 < diff(tanh(x), x) < 1")
>>> res = search(st, Evaluator(st.formula, st.variables))
>>> res.counterexample
{x: 0}
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

import mpmath
import sympy
from sympy import Rational, S

from ..analysis.budget import clock
from . import claims as C
from .evaluate import mp_number

__all__ = ["SampleResult", "search", "values_for", "special_points"]

_BASE = [0, 1, -1, Rational(1, 2), Rational(-1, 2), 2, -2, 3, -3, Rational(7, 10),
         Rational(-3, 4), Rational(3, 2), Rational(-5, 2), 5, -5, 6, -6, 10, -10, 30,
         -30, 100, -100, 1000, -1000, 10**8, -10**8, 10**300, -10**300,
         Rational(1, 10**30), Rational(-1, 10**30), Rational(1, 1000), Rational(-1, 1000)]
# the far field on a log scale: a claim can fail only where some scale 10^k is reached
_BASE += [s * 10**k for k in (4, 6, 12, 16, 20, 25, 30, 40, 50, 70, 100, 150, 200)
          for s in (1, -1)]
_SMALL = [0, 1, -1, Rational(1, 2), -2, 3, Rational(-3, 10), 10, -7, 1000]


@dataclass
class SampleResult:
    counterexample: dict | None = None
    failing: list = field(default_factory=list)
    held: int = 0            # mp says true (or arb, when mp was too close to call)
    undecided: int = 0       # neither mp nor arb could decide
    undefined: int = 0       # a side is undefined there (log of a negative, ...)
    outside: int = 0         # the where clause fails there
    points: list = field(default_factory=list)  # points where the claim held
    exact: bool = False      # the counterexample needed SymPy's exact equality of two sides


def _in(domain, v):
    try:
        return domain.contains(v) is S.true
    except (TypeError, ValueError):
        return False


def values_for(domain, small=False):
    """Exact sample values inside ``domain`` (an Interval or the reals)."""
    base = _SMALL if small else _BASE
    if domain is S.Reals or not isinstance(domain, sympy.Interval):
        vals = [sympy.sympify(v) for v in base]
        return [v for v in vals if _in(domain, v)] if domain is not S.Reals else vals
    lo, hi = domain.start, domain.end
    out = []
    if lo.is_finite and hi.is_finite:
        w = hi - lo
        fr = [Rational(1, 2), Rational(1, 10**30), 1 - Rational(1, 10**30), Rational(1, 10),
              Rational(9, 10), Rational(1, 3), Rational(1, 1000), Rational(999, 1000)]
        out = [lo + f * w for f in (fr[:5] if small else fr)] + [lo, hi]
    elif lo.is_finite:
        out = [lo + s for s in ([Rational(1, 10**30), Rational(1, 2), 1, 3, 1000] if small else
                                [Rational(1, 10**30), Rational(1, 1000), Rational(1, 2), 1, 2, 5,
                                 10, 100, 1000, 10**8, 10**300])] + [lo]
    elif hi.is_finite:
        out = [hi - s for s in ([Rational(1, 10**30), Rational(1, 2), 1, 3, 1000] if small else
                                [Rational(1, 10**30), Rational(1, 1000), Rational(1, 2), 1, 2, 5,
                                 10, 100, 1000, 10**8, 10**300])] + [hi]
    out += [sympy.sympify(v) for v in base]
    seen, keep = set(), []
    for v in out:
        v = sympy.nsimplify(v) if v.is_Float else v
        if v not in seen and _in(domain, v):
            seen.add(v)
            keep.append(v)
    return keep


def _mpf_to_rational(v):
    """The exact binary rational an mpf holds (sign included).

    >>> _mpf_to_rational(mpmath.mpf(-1.5))
    -3/2
    """
    sgn, man, exp, _ = mpmath.mpf(v)._mpf_
    return (-1) ** sgn * Rational(int(man)) * Rational(2) ** int(exp)


def special_points(formula, var, domain, budget=1.0):
    """Kinks, and numeric zeros/critical points of each relation's difference."""
    from ..analysis.pieces import kinks
    out = []
    for rel in C.atoms(formula):
        d = rel.lhs - rel.rhs
        if d.free_symbols != {var}:
            continue
        try:
            ks = kinks(d, var)
        except Exception:  # noqa: BLE001 - kinks are a hint only
            try:  # nested kinks (Max(-1, Min(1, x))): one flat Piecewise
                ks = kinks(sympy.piecewise_fold(d.rewrite(sympy.Piecewise)), var)
            except Exception:  # noqa: BLE001
                ks = []
        for k in ks:
            out.append(k)
            if k.is_Rational:
                out += [k + Rational(1, 10**20), k - Rational(1, 10**20)]
        out += _numeric_roots(d, var, domain)
        for den in {p.base for p in d.atoms(sympy.Pow) if p.exp.is_negative and p.base.has(var)}:
            for r in _numeric_roots(den, var, domain):  # a pole: look beside it
                out += [r + s * Rational(1, 10**k) for k in _NEAR for s in (-1, 1)]
        try:
            dd = sympy.diff(d, var)
            out += _numeric_roots(dd, var, domain)
        except Exception:  # noqa: BLE001
            pass
    return out


def _numeric_roots(h, var, domain, lo=-20, hi=20, n=161):
    from ..export.mp import mp_lambdify
    try:
        f = mp_lambdify(h, var)
    except Exception:  # noqa: BLE001
        return []
    roots = []
    with mpmath.workdps(40):
        xs = [mpmath.mpf(lo) + (mpmath.mpf(hi - lo) * i) / (n - 1) + mpmath.mpf(1) / 997
              for i in range(n)]
        ys = []
        for xv in xs:
            try:
                y = f(xv)
                ys.append(y if isinstance(y, mpmath.mpf) and mpmath.isfinite(y) else None)
            except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
                ys.append(None)
        for (a, fa), (b, fb) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
            if fa is None or fb is None or fa * fb > 0 or (fa == 0 and fb == 0):
                continue  # (zero at both ends: a flat piece, hard_swish' on x < -3)
            try:
                for _ in range(140):
                    m = (a + b) / 2
                    fm = f(m)
                    if fm == 0:
                        a = b = m
                        break
                    if fa * fm < 0:
                        b = m
                    else:
                        a, fa = m, fm
                roots.append(_mpf_to_rational((a + b) / 2))
            except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
                continue
            if len(roots) > 12:
                break
    return [r for r in roots if _in(domain, r)]


def _points(st, extra, cap, rng):
    vars_ = st.variables
    if not vars_:
        return [{}]
    if len(vars_) == 1:
        v = vars_[0]
        vals = values_for(st.domain(v)) + [e for e in extra.get(v, [])]
        vals += [Rational(rng.randint(-6000, 6000), 997) for _ in range(12)]
        vals = [x for x in vals if _in(st.domain(v), x)]
        return [{v: x} for x in dict.fromkeys(vals)]
    per = [values_for(st.domain(v), small=True) + extra.get(v, [])[:4] for v in vars_]
    total = 1
    for p in per:
        total *= len(p)
    if total <= cap:
        combos = itertools.product(*per)
    else:
        combos = (tuple(rng.choice(p) for p in per) for _ in range(cap))
    pts = [dict(zip(vars_, c)) for c in combos]
    # random points, so that a relation between variables is not always tight
    for _ in range(min(60, cap // 4)):
        pts.append({v: _random_in(st.domain(v), rng) for v in vars_})
    return pts


def _random_in(domain, rng):
    """A seeded random rational, moved inside ``domain`` when it can be
    (an interval with a finite end); the search skips it otherwise."""
    v = Rational(rng.randint(-4000, 4000), 1013)
    if domain is S.Reals or _in(domain, v) or not isinstance(domain, sympy.Interval):
        return v
    lo, hi = domain.start, domain.end
    if lo.is_finite and hi.is_finite:
        return lo + (hi - lo) * Rational(rng.randint(1, 1012), 1013)
    return lo + abs(v) + Rational(1, 1013) if lo.is_finite else hi - abs(v) - Rational(1, 1013)


def _in_domains(st, pt):
    """Every coordinate of ``pt`` inside its variable's domain."""
    return all(st.domains.get(v, S.Reals) is S.Reals or _in(st.domains[v], x)
               for v, x in pt.items())


#: undefined points whose neighbourhoods are searched, and how close they come
_PROBED = 4
_NEAR = (3, 6, 9, 13, 17, 25, 40)


def _beside(st, pt):
    """Points at 10^-k on either side of ``pt`` in each variable (inside its
    domain): a claim can fail just beside a pole, where it is undefined.

    >>> from sympy import Symbol, Rational
    >>> from symacts.verify.parser import parse
    >>> pts = _beside(parse("1/(x - 1) > -10**12"), {Symbol("x", real=True): 1})
    >>> len(pts), min(p[Symbol("x", real=True)] for p in pts) == 1 - Rational(1, 10**3)
    (14, True)
    """
    out = []
    for v in pt:
        for k in _NEAR:
            for s in (-1, 1):
                x = pt[v] + s * Rational(1, 10**k)
                if _in(st.domain(v), x):
                    out.append({**pt, v: x})
    return out


#: slices per variable searched for critical points (multi-variable claims)
_SLICES = 3


def _sliced_points(st, held, deadline=None):
    """Zeros and critical points of each relation in one variable with the
    others fixed at values where the claim held (so inside the where clause):
    a claim about ``swish(x, beta)`` fails near x = -1.28/beta, which a grid
    of both variables misses.

    >>> from sympy import Symbol, Rational
    >>> from symacts.verify.parser import parse
    >>> st = parse("x*(x - b) >= -1")
    >>> b, x = st.variables          # sorted by name
    >>> pts = _sliced_points(st, [{x: 0, b: 4}])
    >>> any(p[b] == 4 and abs(p[x] - 2) < Rational(1, 10**30) for p in pts)
    True
    """
    out = []
    if not any(r.op in ("<", "<=", ">", ">=") for r in C.atoms(st.formula)):
        return out  # an equality fails anywhere: critical points are no better
    for v in st.variables:
        others = [w for w in st.variables if w != v]
        slices = list(dict.fromkeys(tuple(p[w] for w in others) for p in held))[:_SLICES]
        for vals in slices:
            if deadline is not None and clock() > deadline:
                return out
            fixed = dict(zip(others, vals))
            try:
                rs = special_points(C.map_exprs(st.formula, lambda e: e.xreplace(fixed)),
                                    v, st.domain(v))
            except Exception:  # noqa: BLE001 - a hint only
                continue
            out += [{**fixed, v: r} for r in dict.fromkeys(rs)]
    return out


def search(st, ev, where_ev=None, deadline=None, cap=600, extra=None, seed=1):
    """Evaluate the claim at many points; stop at the first rigorous counterexample."""
    rng = random.Random(seed)
    extra = dict(extra or {})
    if len(st.variables) == 1:
        v = st.variables[0]
        extra.setdefault(v, [])
        extra[v] = extra[v] + special_points(st.formula, v, st.domain(v))
        if st.where is not None:
            extra[v] += special_points(st.where, v, st.domain(v))
    res = SampleResult()
    todo = _points(st, extra, cap, rng)
    probed, sliced = 0, len(st.variables) != 2  # (three or more: too many slices)
    while todo or not sliced:
        if not todo:  # then the critical points in each variable, the others fixed
            sliced, todo = True, _sliced_points(st, res.points, deadline)
            continue
        pt = todo.pop(0)
        if deadline is not None and clock() > deadline:
            break
        if not _in_domains(st, pt):  # a parameter's domain binds like a where clause
            res.outside += 1
            continue
        if where_ev is not None:
            w = where_ev.mp_truth(pt)
            if w is False:
                res.outside += 1
                continue
            if w is None and where_ev.arb_truth(pt) is not True:
                res.outside += 1
                continue
        t = ev.mp_truth(pt)
        if t is True:
            res.held += 1
            if len(res.points) < 40:
                res.points.append(pt)
            continue
        rig = ev.arb_truth(pt)
        if rig is False and (where_ev is None or where_ev.arb_truth(pt) is True):
            res.counterexample = pt
            res.exact = ev.last_exact
            res.failing = ev.failing(pt)
            return res
        if rig is True:
            res.held += 1
            if len(res.points) < 40:
                res.points.append(pt)
        elif t is None and rig is None:
            try:
                vals = [ev.mp_values(r, pt) for r in ev.rels]
                ok = all(isinstance(a, mpmath.mpf) and isinstance(b, mpmath.mpf)
                         for a, b in vals)
            except Exception:  # noqa: BLE001
                ok = False
            if ok:
                res.undecided += 1
            else:
                res.undefined += 1
                if probed < _PROBED:  # a pole or an edge of the domain: look beside it
                    probed += 1
                    todo[:0] = _beside(st, pt)
        else:  # mp says false, arb cannot confirm
            res.undecided += 1
    return res
