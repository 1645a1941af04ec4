"""Truth of a formula at a point, through the one numeric path: mpmath
(:mod:`symacts.export.mp`, fast, high precision, not rigorous) and arb
(:mod:`symacts.export.arb`, rigorous: True/False only when the enclosures
decide it; an equality is True only between exact balls).

>>> from sympy import Symbol, Rational
>>> from symacts.functions import sigmoid
>>> from symacts.verify.claims import Rel
>>> x = Symbol('x', real=True)
>>> ev = Evaluator(Rel('<', sigmoid(x), 1), [x])
>>> ev.mp_truth({x: 200}), ev.arb_truth({x: 200})
(None, True)
"""
from __future__ import annotations

import mpmath
import sympy
from flint import arb

from ..export.arb import ArbCompiler, arb_lambdify, to_arb, workprec
from ..export.mp import mp_lambdify
from . import claims as C

__all__ = ["Evaluator", "arb_number", "mp_number", "decimal"]

DPS = 50          # working digits of the fast mpmath pass
CLOSE = 40        # sides closer than 10^-CLOSE (relative) are left to arb
BITS = (128, 512, 2048)
EXACT_CALLS = 4   # exact (SymPy) equality tests per evaluator, where arb cannot decide
SMALL = 10**6     # ... at points whose coordinates have numerators and denominators below it


def mp_number(v):
    """An exact SymPy number as an mpf at the working precision."""
    v = sympy.sympify(v)
    if v.is_Rational:
        return mpmath.mpf(int(v.p)) / int(v.q)
    return mpmath.mpf(sympy.N(v, mpmath.mp.dps + 10)._mpf_) if v.is_Float else \
        mpmath.mpf(v.evalf(mpmath.mp.dps + 10)._mpf_)


def arb_number(v):
    """An exact SymPy number as an arb ball (exact for rationals)."""
    return to_arb(sympy.sympify(v))


def decimal(ball_or_mpf, digits=32):
    """Readable decimal of an arb ball or mpf."""
    if isinstance(ball_or_mpf, arb):
        if ball_or_mpf.is_exact():
            m = ball_or_mpf.mid()
            return m.str(digits, radius=False)
        return ball_or_mpf.str(digits, radius=False)
    return mpmath.nstr(ball_or_mpf, digits)


class Evaluator:
    """Compiled sides of every relation of ``formula`` in ``variables``.

    ``constants`` maps placeholder symbols to :class:`~.operators.Constant`.
    """

    def __init__(self, formula, variables, constants=None):
        self.formula = formula
        self.constants = dict(constants or {})
        self.variables = list(variables) + list(self.constants)
        self.rels = C.atoms(formula)
        self._mp = {}
        self._arb = {}
        self.last_exact = False  # the last arb_truth needed SymPy's exact equality
        self._exact_calls = 0

    def _mp_fns(self, rel):
        if rel not in self._mp:
            self._mp[rel] = (mp_lambdify(_stable(rel.lhs), self.variables),
                             mp_lambdify(_stable(rel.rhs), self.variables))
        return self._mp[rel]

    def _arb_fns(self, rel):
        if rel not in self._arb:
            self._arb[rel] = (arb_lambdify(_stable(rel.lhs), self.variables),
                              arb_lambdify(_stable(rel.rhs), self.variables))
        return self._arb[rel]

    # -- mpmath -----------------------------------------------------------
    def mp_values(self, rel, point):
        vals = [mp_number(point[v]) for v in self.variables if v not in self.constants]
        vals += [c.value for c in self.constants.values()]
        fl, fr = self._mp_fns(rel)
        return fl(*vals), fr(*vals)

    def mp_rel(self, rel, point):
        """True / False, or None when undefined or too close to call."""
        with mpmath.workdps(DPS):
            try:
                a, b = self.mp_values(rel, point)
            except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
                return None
            if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in (a, b)):
                if all(isinstance(v, mpmath.mpf) and not mpmath.isnan(v) for v in (a, b)):
                    return C_COMPARE[rel.op](a, b) if a != b else rel.op in ("==", "<=", ">=")
                return None
            # relative closeness: 0 vs 1e-40 is a difference, not noise
            tol = mpmath.mpf(10) ** (-CLOSE) * max(abs(a), abs(b))
            diff = a - b
            if abs(diff) <= tol:
                return True if rel.op == "==" else None  # arb decides the rest
            if rel.op == "==" and abs(diff) <= mpmath.mpf(10) ** (-CLOSE):
                # small sides: cancellation noise (2σ(2x) - 1 vs tanh x at
                # x = 1e-45) shrinks with the precision, a true difference
                # (1e-50·σ(x) vs 1e-50·tanh(x)) does not; False goes to arb
                return self._mp_noise(rel, point, diff)
            return C_COMPARE[rel.op](a, b)

    def _mp_noise(self, rel, point, diff):
        """True if a - b = ``diff`` at DPS digits is 1000 times smaller at 2·DPS."""
        with mpmath.workdps(2 * DPS):
            try:
                a, b = self.mp_values(rel, point)
            except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
                return None
            if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in (a, b)):
                return None
            return abs(a - b) * 1000 < abs(diff)

    def mp_truth(self, point, formula=None):
        return _logic(formula or self.formula, lambda r: self.mp_rel(r, point))

    # -- arb -----------------------------------------------------------------
    def arb_values(self, rel, point, bits):
        with workprec(bits):
            vals = [arb_number(point[v]) for v in self.variables if v not in self.constants]
            for c in self.constants.values():
                if c.ball is None:
                    return arb.nan(), arb.nan()
                vals.append(c.ball)
            fl, fr = self._arb_fns(rel)
            return fl(*vals), fr(*vals)

    def arb_rel(self, rel, point, bits):
        inf = _infinite(rel)
        if inf is not None:
            return inf
        ends = (sympy.S.Infinity, sympy.S.NegativeInfinity)
        if (rel.lhs in ends) != (rel.rhs in ends):
            # ±oo against a side with variables: a finite ball of that side decides
            side = rel.rhs if rel.lhs in ends else rel.lhs
            try:
                val, _ = self.arb_values(C.Rel("==", side, sympy.S.Zero), point, bits)
            except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
                return None
            if not val.is_finite():
                return None
            z = sympy.S.Zero
            return _infinite(C.Rel(rel.op, z, rel.rhs) if side is rel.lhs
                             else C.Rel(rel.op, rel.lhs, z))
        try:
            a, b = self.arb_values(rel, point, bits)
        except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
            return None
        if not (a.is_finite() and b.is_finite()):
            return None
        with workprec(bits):
            return ArbCompiler.compare(_ARB_OPS[rel.op], a, b)

    def arb_truth(self, point, formula=None, exact_ops=("<", ">", "!="), plain=True):
        """Rigorous truth at ``point``: True, False, or None (undecided).

        Relations with an operator in ``exact_ops`` that arb leaves undecided
        are tried by :meth:`exact_rel` (a strict relation fails where its sides
        are equal: that refutes; the default spends no SymPy time on ==, <=, >=,
        where equality only confirms)."""
        f = formula or self.formula
        self.last_exact = False
        for bits in BITS:
            t = _logic(f, lambda r: self.arb_rel(r, point, bits))
            if t is not None:
                return t
        # the sides' balls still overlap at 2048 bits: equal sides are shown
        # equal exactly (SymPy), so softplus(0, b) < log(2)/b is decided false
        def leaf(r):
            t = self.arb_rel(r, point, BITS[-1])
            if t is None and r.op in exact_ops and self._exact_calls < EXACT_CALLS:
                self._exact_calls += 1
                t = self.exact_rel(r, point, plain=plain)
                self.last_exact = self.last_exact or t is not None
            return t
        return _logic(f, leaf)

    def exact_rel(self, rel, point, seconds=0.5, plain=True):
        """A relation whose sides SymPy shows exactly equal at ``point``
        (rational coordinates, no certified constants): True for ==, <=, >=,
        False for <, >, !=; None otherwise. Called only where arb's balls of
        the two sides overlap at 2048 bits, so a zero from ``simplify`` is
        never taken against the enclosures.

        >>> from sympy import Symbol, log
        >>> from symacts.functions import softplus
        >>> from symacts.verify.claims import Rel
        >>> x = Symbol('x', real=True)
        >>> ev = Evaluator(Rel('<', softplus(x), log(2)), [x])
        >>> ev.arb_truth({x: 0}), ev.exact_rel(ev.rels[0], {x: 1})
        (False, None)
        """
        from ..analysis.budget import attempt
        if self.constants and (rel.lhs.free_symbols | rel.rhs.free_symbols) & set(self.constants):
            return None
        free = [v for v in self.variables if v not in self.constants]
        coords = [sympy.sympify(point[v]) for v in free]
        if plain and not all(c.is_Rational and abs(c.p) <= SMALL and c.q <= SMALL
                             for c in coords):
            return None  # sides equal exactly only at a plain point (0, 1/2, ...), not at 10^300
        if not all(c.is_number and not c.has(sympy.Float) for c in coords):
            return None  # (plain=False: any exact point, -1 - W(1/e) say)
        d = (rel.lhs - rel.rhs).xreplace({v: sympy.sympify(point[v]) for v in free})
        from ..analysis.facts import is_zero_cheaply
        zero = is_zero_cheaply(d)  # the analysis engine's exact test first: no fork
        if not zero:
            out = attempt(_is_zero, d, seconds=seconds if plain else 4 * seconds)
            zero = out.ok and out.value is True
        if not zero and d.has(sympy.LambertW):  # exp(W(z)) = z/W(z), which simplify lacks
            from ..analysis.extrema import simplify_lambert
            zero = simplify_lambert(d.rewrite(sympy.exp), seconds=4 * seconds) == 0
        return (rel.op in ("==", "<=", ">=")) if zero else None

    def failing(self, point, bits=BITS[-1], plain=True):
        """The relations that arb shows false at ``point``, with both sides."""
        out = []
        for rel in self.rels:
            for b in BITS:
                t = self.arb_rel(rel, point, b)
                if t is not None:
                    break
            if t is None and rel.op in ("<", ">", "!="):
                t = self.exact_rel(rel, point, plain=plain)
            if t is False:
                out.append((rel, *self.accurate_values(rel, point, b)))
        return out

    def accurate_values(self, rel, point, bits):
        """Both sides at ``point`` to 32+ significant digits when arb can
        (precision raised up to 8192 bits), for the counterexample report."""
        a, c = self.arb_values(rel, point, bits)
        while bits < 8192 and not (_accurate(a) and _accurate(c)):
            bits *= 4
            try:
                a2, c2 = self.arb_values(rel, point, bits)
            except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
                break
            if a2.is_finite() and c2.is_finite():
                a, c = a2, c2
        return a, c


def _is_zero(d):
    return d == 0 or sympy.simplify(d.rewrite(sympy.exp)) == 0


def _accurate(b, bits=110):
    """An exact ball, or one known to ``bits`` relative bits (33 digits)."""
    return b.is_exact() or (b.is_finite() and b.rel_accuracy_bits() >= bits)


def _stable(e):
    """Exact rewrites without cancellation (1 - σ(u) -> σ(-u), ...)."""
    from ..analysis.roots import stable
    try:
        return stable(e)
    except Exception:  # noqa: BLE001 - the plain form is still exact
        return e


def _infinite(rel):
    """Decide a relation with an exactly infinite side (arb has no ±∞ balls)."""
    oo, noo = sympy.S.Infinity, sympy.S.NegativeInfinity
    a, b = rel.lhs, rel.rhs
    if a not in (oo, noo) and b not in (oo, noo):
        return None
    if not (a.is_extended_real and b.is_extended_real):
        return None
    if a in (oo, noo) and b in (oo, noo):
        return C_COMPARE[rel.op](1 if a is oo else -1, 1 if b is oo else -1)
    finite = b if a in (oo, noo) else a
    if finite.free_symbols or finite.is_finite is not True:
        return None
    av = 1 if a is oo else (-1 if a is noo else 0)
    bv = 1 if b is oo else (-1 if b is noo else 0)
    return C_COMPARE[rel.op](av, bv)


C_COMPARE = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
             ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
             "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
_ARB_OPS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}


def _logic(f, leaf):
    """Three-valued evaluation of a formula (True, False, None)."""
    if isinstance(f, C.Rel):
        return leaf(f)
    if isinstance(f, C.And):
        vals = [_logic(a, leaf) for a in f.args]
        if any(v is False for v in vals):
            return False
        return True if all(v is True for v in vals) else None
    if isinstance(f, C.Or):
        vals = [_logic(a, leaf) for a in f.args]
        if any(v is True for v in vals):
            return True
        return False if all(v is False for v in vals) else None
    if isinstance(f, C.Not):
        v = _logic(f.arg, leaf)
        return None if v is None else not v
    if isinstance(f, C.Iff):
        a, b = _logic(f.a, leaf), _logic(f.b, leaf)
        return None if a is None or b is None else a == b
    raise TypeError(f"not a formula: {f!r}")
