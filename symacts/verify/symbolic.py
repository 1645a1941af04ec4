"""Symbolic proofs: exact simplification and sign arguments under time budgets.

Variables carry the sign their domain implies (``beta > 0`` makes ``beta``
positive); a relation ``lhs op rhs`` is proved when a rewrite of
``lhs - rhs`` (expand, cancel, simplify, the elementary form, factor) is 0 or
has the needed sign by SymPy's assumptions. Kinks (Max, Abs, Heaviside,
Piecewise) are split into cases on the sign of each variable they switch on.
Constraints of ``where`` that cannot be encoded are dropped — proving the
stronger claim is still a proof. Every result is cross-checked by the engine.

>>> from symacts.verify.parser import parse
>>> prove(parse("0 <= diff(sigmoid(x), x) <= 1/4").formula, {}).proved
True
>>> prove(parse("Abs(relu(x) - relu(y)) <= Abs(x - y)").formula, {}).proved
True
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import sympy
from sympy import (Abs, DiracDelta, Heaviside, Max, Min, Piecewise, S, Symbol,
                   sign)
from sympy.core.relational import Relational

from ..analysis.budget import clock
from ..functions import elementary
from . import claims as C
from .operators import assumed

__all__ = ["Proof", "prove", "zero", "sign_of", "SECONDS"]

SECONDS = 2.0
KINKED = (Piecewise, Max, Min, Abs, Heaviside, sign, DiracDelta)


@dataclass
class Proof:
    proved: bool
    steps: list = field(default_factory=list)
    reason: str = ""
    witnesses: list = field(default_factory=list)  # points where the claim may fail


def _budget(fn, *args, seconds=SECONDS):
    from ..analysis.budget import attempt
    out = attempt(fn, *args, seconds=seconds)
    return out.value if out.ok else None


#: set by :func:`prove` (``cheap=True``): no budgeted simplify/factor passes
_CHEAP = [False]


def _forms(d, deadline, cheap=False):
    """Rewrites of ``d``, cheap first: (name, expr); ``cheap`` stops before
    the budgeted simplifications (cancel, factor, simplify)."""
    cheap = cheap or _CHEAP[0]
    yield "as written", d
    yield "expanded", sympy.expand(d)
    el = elementary(d)
    if el != d:
        yield "elementary form", el
    if cheap:
        v = _budget(sympy.cancel, sympy.together(el), seconds=0.5)
        if v is not None:
            yield "cancel", v
        if el.has(sympy.tanh, sympy.sinh, sympy.cosh):
            v = _budget(sympy.cancel, sympy.together(el.rewrite(sympy.exp)), seconds=0.5)
            if v is not None:
                yield "exp form, cancelled", v
        return
    for name, fn, arg in (("cancel", sympy.cancel, sympy.together(el)),
                          ("factor", sympy.factor, sympy.together(el)),
                          ("simplify", sympy.simplify, d),
                          ("simplify of the elementary form", sympy.simplify, el),
                          ("exp form, simplified", sympy.simplify, el.rewrite(sympy.exp)),
                          ("erf form, simplified", sympy.simplify, el.rewrite(sympy.erf))):
        if deadline is not None and clock() > deadline:
            return
        v = _budget(fn, arg)
        if v is not None:
            yield name, v
            if name == "factor":
                yield "factor, exp(u) - 1 read as expm1(u)", _expm1(v)
    refl = _reflect(el)
    if refl != el:
        yield "log(1 + e^u) = u + log(1 + e^-u)", sympy.expand(refl)
        v = _budget(sympy.factor, sympy.together(refl))
        if v is not None:
            yield "reflected and factored", _expm1(v)


class Expm1(sympy.Function):
    """exp(u) - 1, with the sign of u (SymPy's assumptions miss it)."""

    nargs = 1

    def _eval_is_positive(self):
        return self.args[0].is_positive

    def _eval_is_negative(self):
        return self.args[0].is_negative

    def _eval_is_nonnegative(self):
        return self.args[0].is_nonnegative

    def _eval_is_nonpositive(self):
        return self.args[0].is_nonpositive

    def _eval_is_zero(self):
        return self.args[0].is_zero

    def _eval_is_real(self):
        return self.args[0].is_real


def _expm1(e):
    def is_pat(a):
        if not (a.is_Add and len(a.args) == 2):
            return False
        c, t = sorted(a.args, key=lambda u: not u.is_Number)
        return c in (S.One, S.NegativeOne) and (isinstance(t, sympy.exp) or
                                                 isinstance(-t, sympy.exp))

    def rep(a):
        c, t = sorted(a.args, key=lambda u: not u.is_Number)
        if c is S.NegativeOne and isinstance(t, sympy.exp):
            return Expm1(t.args[0])
        if c is S.One and isinstance(-t, sympy.exp):
            return -Expm1((-t).args[0])
        return a
    return e.replace(is_pat, rep)


def _reflect(e):
    """log(1 + exp(u)) -> u + log(1 + exp(-u))."""
    def is_pat(a):
        return isinstance(a, sympy.log) and a.args[0].is_Add and len(a.args[0].args) == 2 \
            and S.One in a.args[0].args and any(isinstance(t, sympy.exp) for t in a.args[0].args)

    def rep(a):
        t = next(t for t in a.args[0].args if isinstance(t, sympy.exp))
        u = t.args[0]
        return u + sympy.log(1 + sympy.exp(-u))
    return e.replace(is_pat, rep)


def zero(d, deadline=None):
    """A reason ``d`` is identically 0, or None."""
    if d == 0:
        return "both sides are the same expression"
    for name, form in _forms(d, deadline):
        if form == 0:
            return f"lhs - rhs = 0 ({name})"
    return None


_SIGN = {">": ("is_positive",), ">=": ("is_nonnegative",), "<": ("is_negative",),
         "<=": ("is_nonpositive",), "!=": ("is_nonzero",)}


def sign_of(d, op, deadline=None, cheap=False):
    """A reason ``d op 0`` holds for every value of its symbols, or None."""
    attr, = _SIGN[op]
    for name, form in _forms(d, deadline, cheap):
        if form.has(S.NaN, S.ComplexInfinity):
            continue
        if getattr(form, attr) is True:
            return f"lhs - rhs = {_short(form)} is {attr[3:]} ({name})"
        if op in (">=", "<=") and form == 0:
            return f"lhs - rhs = 0 ({name})"
    return None


def _short(e, n=80):
    s = sympy.sstr(e)
    return s if len(s) <= n else s[:n] + "..."


def _switch_symbols(expr):
    """Symbols whose sign switches a kink of ``expr`` (argument ±s)."""
    out = set()
    for e in sympy.preorder_traversal(expr):
        args = []
        if isinstance(e, Piecewise):
            for _, c in e.args:
                args += [r.lhs - r.rhs for r in c.atoms(Relational)]
        elif isinstance(e, (Max, Min)):
            args += [a - b for i, a in enumerate(e.args) for b in e.args[i + 1:]]
        elif isinstance(e, (Abs, sign, Heaviside, DiracDelta)):
            args.append(e.args[0])
        for a in args:
            for s in a.free_symbols:
                if isinstance(s, Symbol) and s.is_positive is None and s.is_negative is None:
                    out.add(s)
    return out


def _rel(rel, deadline):
    d = rel.lhs - rel.rhs
    if d.has(S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity):
        return None
    if rel.op == "==":
        return zero(d, deadline)
    if rel.op in (">=", "<="):
        return sign_of(d, rel.op, deadline)
    return sign_of(d, rel.op, deadline)


def _formula(f, deadline):
    """A list of reasons proving ``f``, or None."""
    if isinstance(f, C.Rel):
        r = _rel(f, deadline)
        return [f"{f}: {r}"] if r else None
    if isinstance(f, C.And):
        out = []
        for a in f.args:
            r = _formula(a, deadline)
            if r is None:
                return None
            out += r
        return out
    if isinstance(f, C.Or):
        for a in f.args:
            r = _formula(a, deadline)
            if r is not None:
                return r
        return None
    if isinstance(f, C.Not) and isinstance(f.arg, C.Iff):  # xor: one true, one false
        a, b = f.arg.a, f.arg.b
        for p, q in ((a, C.negate(b)), (C.negate(a), b)):
            rp = _formula(p, deadline)
            rq = rp is not None and _formula(q, deadline)
            if rp is not None and rq:
                return rp + rq
        return None
    if isinstance(f, C.Not):
        return _formula(C.negate(f.arg), deadline)
    if isinstance(f, C.Iff):  # both true everywhere, or both false everywhere
        for a, b in ((f.a, f.b), (C.negate(f.a), C.negate(f.b))):
            ra = _formula(a, deadline)
            rb = ra is not None and _formula(b, deadline)
            if ra is not None and rb:
                return ra + rb
        return None
    return None


def _linear_switch(f):
    """A kink argument a·v + rest (a = ±1, v a variable of unknown sign) of f."""
    for rel in C.atoms(f):
        for side in (rel.lhs, rel.rhs):
            for e in sympy.preorder_traversal(side):
                args = []
                if isinstance(e, (Max, Min)):
                    args += [a - b for i, a in enumerate(e.args) for b in e.args[i + 1:]]
                elif isinstance(e, (Abs, sign, Heaviside)):
                    args.append(e.args[0])
                elif isinstance(e, Piecewise):
                    for _, c in e.args:
                        args += [r.lhs - r.rhs for r in c.atoms(Relational)]
                for a in args:
                    if len(a.free_symbols) < 2:
                        continue
                    for v in sorted(a.free_symbols, key=lambda s: s.name):
                        c = a.coeff(v)
                        if c in (1, -1) and not (a - c * v).has(v) and \
                                v.is_positive is None and v.is_negative is None:
                            return a, v, c
    return None


def _linear_cases(f, deadline, depth=0):
    """Prove f by splitting on the sign of a linear kink argument (depth <= 3)."""
    if depth > 3:
        return None
    sw = _linear_switch(f)
    if sw is None:
        return None
    a, v, c = sw
    rest = a - c * v
    t = Symbol(f"s{depth}", positive=True)
    out = []
    for val, label in ((t, ">"), (-t, "<"), (S.Zero, "=")):
        g = C.map_exprs(f, lambda e: e.xreplace({v: (val - rest) / c}))
        r = _formula(g, deadline)
        if r is None:
            r = _linear_cases(g, deadline, depth + 1)
        if r is None:
            return None
        out.append(f"case {sympy.sstr(a)} {label} 0: " + "; ".join(r))
    return out


def _cases(f, limit=27, nonzero=()):
    """Sign cases for the symbols the kinks of ``f`` switch on: lists of subs."""
    syms = set(nonzero)
    for rel in C.atoms(f):
        syms |= _switch_symbols(rel.lhs) | _switch_symbols(rel.rhs)
    syms = sorted(syms, key=lambda s: s.name)
    if not syms or 3 ** len(syms) > limit:
        return None
    cases = []
    for signs in itertools.product((1, -1, 0), repeat=len(syms)):
        if any(g == 0 and s in nonzero for s, g in zip(syms, signs)):
            continue
        subs, label = {}, []
        for s, g in zip(syms, signs):
            if g == 0:
                subs[s] = S.Zero
                label.append(f"{s} = 0")
            else:
                t = Symbol(s.name, positive=True)
                subs[s] = t if g > 0 else -t
                label.append(f"{s} {'>' if g > 0 else '<'} 0")
        cases.append((subs, ", ".join(label)))
    return cases


def _encode_where(where, domains):
    """Substitutions that encode ``where`` constraints of the form a > b
    (a variable with coefficient ±1 and no domain of its own), with labels."""
    subs, notes = {}, []
    if where is None:
        return subs, notes
    parts = where.args if isinstance(where, C.And) else (where,)
    k = 0
    for p in parts:
        if not isinstance(p, C.Rel) or p.op not in ("<", "<=", ">", ">="):
            continue
        d = p.lhs - p.rhs if p.op in (">", ">=") else p.rhs - p.lhs
        if not d.free_symbols or d.is_number:
            continue
        if len(d.free_symbols) == 1 and (p.lhs.is_number or p.rhs.is_number):
            continue  # a plain bound: already in the domains
        for v in sorted(d.free_symbols, key=lambda s: s.name):
            if v in subs or domains.get(v, S.Reals) is not S.Reals:
                continue
            coeff = d.coeff(v)
            if coeff not in (1, -1) or (d - coeff * v).has(v):
                continue
            k += 1
            t = Symbol(f"t{k}", positive=True) if p.op in (">", "<") else \
                Symbol(f"t{k}", nonnegative=True)
            rest = d - coeff * v
            subs[v] = (t - rest) / coeff
            notes.append(f"{v} = {sympy.sstr(subs[v])} encodes {p}")
            break
    return subs, notes


def _by_pieces(f, var, deadline):
    """One variable with kinks: prove each relation branch by branch (between
    the kinks, x = lo + t or hi - t with t > 0) and exactly at each kink."""
    from ..analysis.pieces import KINKED, kinks, pieces
    from .evaluate import Evaluator
    parts = f.args if isinstance(f, C.And) else (f,)
    if not all(isinstance(p, C.Rel) for p in parts):
        return None
    out = []
    for rel in parts:
        d = rel.lhs - rel.rhs
        if not d.has(*KINKED):
            r = _rel(rel, deadline)
            if r is None:
                return None
            out.append(f"{rel}: {r}")
            continue
        try:
            ps = pieces(d, var)
            ks = kinks(d, var)
        except Exception:  # noqa: BLE001 - nested kinks: one flat Piecewise
            try:
                flat = sympy.piecewise_fold(d.rewrite(Piecewise))
                ps = pieces(flat, var)
                ks = kinks(flat, var)
            except Exception:  # noqa: BLE001
                return None
        for p in ps:
            t = Symbol("t", positive=True)
            if p.lo.is_finite:
                g = p.branch.xreplace({var: p.lo + t})
            elif p.hi.is_finite:
                g = p.branch.xreplace({var: p.hi - t})
            else:
                g = p.branch
            r = zero(g, deadline) if rel.op == "==" else sign_of(g, rel.op, deadline)
            if r is None and rel.op in (">=", "<="):
                r = zero(g, deadline)
            if r is None:
                return None
            out.append(f"{rel} on ({p.lo}, {p.hi}): {r}")
        ev = Evaluator(C.Rel(rel.op, d, 0), [var])
        for k in ks:
            if ev.arb_truth({var: k}) is not True:
                if not (rel.op in ("==", "<=", ">=") and zero(d.xreplace({var: k}), deadline)):
                    return None
            out.append(f"{rel} at the kink {var} = {k}: exact")
    return out


def prove(formula, domains, where=None, deadline=None, cheap=False) -> Proof:
    """Try to prove ``formula`` for all values (see the module docstring);
    ``cheap`` skips the budgeted simplifications (a fast first pass)."""
    _CHEAP[0] = cheap
    try:
        return _prove(formula, domains, where, deadline)
    finally:
        _CHEAP[0] = False


def _prove(formula, domains, where=None, deadline=None, depth=0) -> Proof:
    p = _prove_plain(formula, domains, where, deadline)
    if p.proved or depth >= 2:
        return p
    q = _bounded_cases(formula, domains, where, deadline, depth)
    return q if q is not None else p


def _bounded_cases(formula, domains, where, deadline, depth):
    """Prove ``formula`` for a variable on a bounded interval [lo, hi] case
    by case: v = lo and v = hi where closed, and the interior as
    v = lo + (hi - lo)·u/(1 + u) with u > 0 (a bijection onto (lo, hi)), so
    that SymPy's sign rules see both bounds (a - 1 = -1/(1 + u) < 0 for a in
    [0, 1]: Max(a·x, x) = x when x > 0). None when no variable is bounded or
    a case is not proved.

    >>> from sympy import Interval, Max, Symbol
    >>> a, x = Symbol("a", real=True), Symbol("x", real=True)
    >>> rel = C.Rel("==", Max(0, x) + a * sympy.Min(0, x), Max(a * x, x))
    >>> _bounded_cases(rel, {a: Interval(0, 1)}, None, None, 0) is not None
    True
    """
    syms = C.symbols_of(formula) | (C.symbols_of(where) if where is not None else set())
    for v in sorted(syms, key=lambda s: s.name):
        dom = domains.get(v)
        if not (isinstance(dom, sympy.Interval) and dom.start.is_finite and dom.end.is_finite
                and (dom.start < dom.end) is S.true):
            continue
        lo, hi = dom.start, dom.end
        u = Symbol(f"u_{v.name}", positive=True)
        cases = [(lo + (hi - lo) * u / (1 + u), f"{v} in ({lo}, {hi}) as {lo} + "
                  f"({hi - lo})·u/(1 + u), u > 0")]
        cases += [(lo, f"{v} = {lo}")] if not dom.left_open else []
        cases += [(hi, f"{v} = {hi}")] if not dom.right_open else []
        rest = {w: d for w, d in domains.items() if w != v}
        rest[u] = sympy.Interval.open(0, S.Infinity)
        steps = []
        for val, label in cases:
            if deadline is not None and clock() > deadline:
                return None
            sub = {v: val}
            f = C.map_exprs(formula, lambda e: e.xreplace(sub))
            w = C.map_exprs(where, lambda e: e.xreplace(sub)) if where is not None else None
            q = _prove(f, rest, w, deadline, depth + 1)
            if not q.proved:
                break
            steps.append(f"case {label}: " + "; ".join(q.steps))
        else:
            return Proof(True, steps)
    return None


def _prove_plain(formula, domains, where=None, deadline=None) -> Proof:
    syms = C.symbols_of(formula) | (C.symbols_of(where) if where is not None else set())
    base = {v: assumed(v, domains.get(v, S.Reals)) for v in syms
            if isinstance(v, Symbol) and not isinstance(v, sympy.Dummy)}
    wsubs, notes = _encode_where(where, domains)
    wsubs = {v: e.xreplace(base) for v, e in wsubs.items()}

    def sub(e):
        return e.xreplace(wsubs).xreplace(base) if wsubs else e.xreplace(base)
    try:
        f = C.map_exprs(formula, sub)
    except (TypeError, ValueError) as err:
        return Proof(False, reason=f"substitution failed ({err})")
    steps = _formula(f, deadline)
    if steps is not None:
        return Proof(True, notes + steps)
    free = [v for v in C.symbols_of(f) if not isinstance(v, sympy.Dummy)]
    if len(free) == 1 and where is None and free[0].is_positive is None \
            and free[0].is_negative is None:
        steps = _by_pieces(f, free[0], deadline)
        if steps is not None:
            return Proof(True, notes + steps)
    nonzero = set()
    for p in (where.args if isinstance(where, C.And) else (where,)) if where is not None else ():
        if isinstance(p, C.Rel) and p.op == "!=" and p.rhs == 0 and p.lhs in base:
            nonzero.add(base[p.lhs])
        elif isinstance(p, C.Rel) and p.op == "!=" and p.lhs == 0 and p.rhs in base:
            nonzero.add(base[p.rhs])
    nonzero = {s for s in nonzero if s.is_positive is None and s.is_negative is None}
    cases = _cases(f, nonzero=nonzero)
    if cases is None or not nonzero:
        lin = _linear_cases(f, deadline)
        if lin is not None:
            return Proof(True, notes + lin)
    if cases is None:
        return Proof(False, reason="no symbolic argument found")
    out = list(notes)
    for subs, label in cases:
        if deadline is not None and clock() > deadline:
            return Proof(False, reason="out of time in the case split")
        try:
            g = C.map_exprs(f, lambda e: e.xreplace(subs))
        except (TypeError, ValueError):
            return Proof(False, reason="case split failed")
        r = _formula(g, deadline)
        if r is None:
            r = _linear_cases(g, deadline)
        if r is None:
            return Proof(False, reason=f"no symbolic argument in the case {label}")
        out.append(f"case {label}: " + "; ".join(r))
    return Proof(True, out)
