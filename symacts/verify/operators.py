"""Replace the operator nodes of a claim (sup, inf, argmax, argmin, limit,
expect, integrate) by values: exact SymPy numbers when the analysis engine
(or SymPy, under a time budget) closes them, otherwise *certified constants*
— placeholder symbols carried with an arb enclosure (or, weaker, a
high-precision quadrature value, which caps the verdict at ``numeric``).

>>> from symacts.verify.parser import parse
>>> r = reduce_statement(parse("sup(diff(sigmoid(x), x), x) == 1/4"))
>>> print(r.statement.formula, r.level)
1/4 == 1/4 exact
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import mpmath
import sympy
from sympy import Dummy, Integral, S, Symbol

from ..errors import SymactsError
from ..functions import elementary
from . import claims as C
from .nodes import OPERATORS, ArgMax, ArgMin, Expect, Inf, Jumps, LimitOp, Sup

__all__ = ["Reduced", "Constant", "reduce_statement", "LEVELS", "assumed"]

#: rigor of a reduced claim, strongest first
LEVELS = ("exact", "certified", "numeric", "unresolved")
SECONDS = 3.0


@dataclass
class Constant:
    """A value known by an enclosure: ``ball`` (arb, or None) and ``value`` (mpf)."""

    symbol: Symbol
    label: str
    ball: object
    value: object
    level: str
    note: str = ""


@dataclass
class Reduced:
    """The statement with operators replaced, its constants, notes and level."""

    statement: object
    constants: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    level: str = "exact"
    reason: str = ""

    def lower(self, level, note=""):
        if LEVELS.index(level) > LEVELS.index(self.level):
            self.level = level
        if note:
            self.notes.append(note)


def _not_integrable(body, x, a, b):
    """'' when ``body`` is integrable on (a, b) for a reason this module can
    see, else why not: no factor can be infinite or undefined on the real
    line, or (a, b) is finite, x the only symbol and arb encloses ``body`` on
    [a, b] in a finite ball. SymPy returns principal values (the integral of
    e^{-x²/2}/x over ℝ is 0 to it), and quadrature cannot tell.

    >>> x = Symbol("x", real=True)
    >>> _not_integrable(1 / x, x, 1, 2), bool(_not_integrable(1 / x, x, -1, 1))
    ('', True)
    """
    from ..analysis.gaussian import _singular_free
    if _singular_free(body, x):
        return ""
    a, b = sympy.sympify(a), sympy.sympify(b)
    if a.is_finite and b.is_finite and body.free_symbols <= {x} and \
            not (a.free_symbols or b.free_symbols):
        from ..export.arb import arb_lambdify, to_arb, workprec
        try:
            with workprec(128):
                lo, hi = to_arb(a), to_arb(b)
                ball = arb_lambdify(body, x)(lo.union(hi))
            if ball.is_finite():
                return ""
        except Exception:  # noqa: BLE001 - no enclosure: not shown integrable
            pass
    return ("the integrand may be infinite or undefined in the range, and no "
            "bound on it is known: integrability is not established (SymPy gives "
            "principal values)")


def assumed(var, domain):
    """A symbol named like ``var`` carrying the sign that ``domain`` implies.

    >>> from sympy import Interval, oo
    >>> assumed(Symbol('b', real=True), Interval.open(0, oo)).is_positive
    True
    """
    kw = {"real": True}
    if isinstance(domain, sympy.Interval):
        lo, hi = domain.start, domain.end
        if (lo > 0) is S.true or (lo == 0 and domain.left_open):
            kw = {"positive": True}
        elif (lo >= 0) is S.true:
            kw = {"nonnegative": True}
        elif (hi < 0) is S.true or (hi == 0 and domain.right_open):
            kw = {"negative": True}
        elif (hi <= 0) is S.true:
            kw = {"nonpositive": True}
    return Symbol(var.name, **kw)


def _bounds(domain):
    if isinstance(domain, sympy.Interval):
        return domain.start, domain.end
    return S.NegativeInfinity, S.Infinity


def _may_be(arg, end):
    """Whether the extremum's argument ``arg`` (a number, or a certified Fact
    with an enclosure) may be the finite interval end ``end``."""
    if not getattr(end, "is_finite", False):
        return False
    ball = getattr(arg, "enclosure", None)
    if ball is not None:
        from flint import arb
        return bool(ball.overlaps(arb(str(sympy.N(end, 40)))))
    try:
        return bool(sympy.sympify(arg) == end)
    except (sympy.SympifyError, TypeError):
        return True


def _unplain(where, var):
    """The first condition on ``var`` in ``where`` that the parser's domain
    narrowing does not take (``parser._narrow``: ``var op number`` joined by
    and, op not !=), as text; '' if none."""
    if isinstance(where, C.And):
        return next((b for b in (_unplain(a, var) for a in where.args) if b), "")
    if isinstance(where, C.Rel):
        if not (where.lhs.has(var) or where.rhs.has(var)):
            return ""
        plain = where.op != "!=" and any(
            side == var and other.is_number and other.is_extended_real
            for side, other in ((where.lhs, where.rhs), (where.rhs, where.lhs)))
        return "" if plain else str(where)
    if any(r.lhs.has(var) or r.rhs.has(var) for r in C.atoms(where)):
        return str(where)
    return ""


def _analysis(name):
    import symacts.analysis as A
    return getattr(A, name)


class _Reducer:
    def __init__(self, statement, deadline=None):
        self.st = statement
        self.deadline = deadline
        self.out = Reduced(statement)
        self.count = 0

    def constant(self, label, fact):
        """Exact value, or a placeholder symbol with the fact's enclosure."""
        if fact.exact is not None:
            return fact.exact
        if fact.enclosure is not None and fact.method in ("symbolic", "certified") \
                and fact.enclosure.is_finite():
            level = "certified"
            value = mpmath.mpf(fact.enclosure.mid().str(60, radius=False))
        elif fact.decimal and fact.decimal not in ("nan", "unknown"):
            level = "numeric"
            value = mpmath.mpf(fact.decimal)
        else:
            self.out.lower("unresolved", f"{label}: no value ({fact.note or 'analysis gave none'})")
            self.out.reason = f"{label} could not be evaluated: {fact.note or 'no value'}"
            return None
        self.count += 1
        sym = Dummy(f"c{self.count}", real=True)
        ball = fact.enclosure if level == "certified" else None
        self.out.constants[sym] = Constant(sym, label, ball, value, level, fact.note)
        self.out.lower(level, f"{label} = {fact.decimal} ({fact.method}"
                       + (f"; {fact.note}" if fact.note else "") + ")")
        return sym

    # -- one node -------------------------------------------------------
    def node(self, e):
        label = sympy.sstr(e)
        if len(label) > 90:
            label = label[:60] + " ... " + label[-20:]
        inner, var = e.args[0], e.args[1]
        params = inner.free_symbols - {var}
        if inner.has(sympy.DiracDelta):
            # the analysis engine drops DiracDelta terms (the derivative almost
            # everywhere): sup δ(x) would be 0 and E[δ(Z)] 0, not φ(0)
            self.out.lower("unresolved")
            self.out.reason = (f"{label}: the operand has a DiracDelta, a distribution with "
                               "no value where its argument is 0; its sup/inf/limit/"
                               "expectation are not taken")
            return None
        if isinstance(e, Integral):
            return self.integral(e, label)
        if isinstance(e, Expect):
            return self.expect(e, label, params)
        if isinstance(e, (Sup, Inf, ArgMax, ArgMin)):
            why = self.domain_problem(inner, var)
            if why:
                self.out.lower("unresolved")
                self.out.reason = f"{label}: {why}"
                return None
        if params:
            if isinstance(e, LimitOp):
                return self.sympy_limit(e, label)
            scaled = self.scaled(e, label, inner, var, params)
            if scaled is not NotImplemented:
                return scaled
            self.out.lower("unresolved")
            self.out.reason = (f"{label}: the operand depends on "
                               f"{', '.join(sorted(map(str, params)))} as well as {var}; "
                               "sup/inf/argmax/argmin need one variable")
            return None
        try:
            return self.closed(e, label, inner, var)
        except (SymactsError, ValueError, ArithmeticError, TypeError) as err:
            self.out.lower("unresolved")
            self.out.reason = f"{label}: {err}"
            return None

    def domain_problem(self, inner, var):
        """'' when sup/inf/argmax/argmin of ``inner`` over ``var``'s domain can
        be taken over its closure, else why not. The domain is ``var``'s
        interval from the where clause's plain bounds (``x < 0``); any other
        condition on ``var`` (an or, !=, x**2 >= 1, x >= a) would be passed
        over, and at an open end the closure adds a point: the function must
        be continuous there (step(x) for x < 0 has sup 0, not 1)."""
        if self.st.where is not None:
            bad = _unplain(self.st.where, var)
            if bad:
                return (f"the where clause restricts {var} by {bad}, which the extremum "
                        f"cannot take (only plain bounds such as {var} < 0 joined by and)")
        dom = self.st.domain(var)
        if dom == S.Reals:
            return ""
        if not isinstance(dom, sympy.Interval):
            return f"{var} ranges over {dom}, not an interval"
        from .parser import continuous_at
        for end, is_open, side in ((dom.start, dom.left_open, 1), (dom.end, dom.right_open, -1)):
            if is_open and end.is_finite and not continuous_at(inner, var, end, side):
                return (f"{var} ranges over {dom}, and the operand is not shown continuous "
                        f"at the open end {end} (the extremum over the closed interval "
                        f"could differ)")
        return ""

    def scaled(self, e, label, inner, var, params):
        """sup/inf/argmax/argmin of f(x, p) = p^(-k)·g(p^m·x), p > 0, x over ℝ:
        p^(-k)·sup g (argmax: p^(-m)·argmax g). NotImplemented when it does
        not apply (see :mod:`symacts.verify.scaling`)."""
        from .scaling import scale_out
        if len(params) != 1 or not isinstance(e, (Sup, Inf, ArgMax, ArgMin)):
            return NotImplemented
        p, = params
        dom = self.st.domain(p)
        positive = isinstance(dom, sympy.Interval) and (
            (dom.start > 0) is S.true or (dom.start == 0 and dom.left_open))
        if not positive or self.st.domain(var) != S.Reals:
            return NotImplemented
        found = scale_out(inner, var, p)
        if found is None:
            return NotImplemented
        g, u, k, m = found
        self.out.notes.append(f"{label}: with u = {sympy.sstr(p**m * var)} ({p} > 0), "
                              f"the operand is {sympy.sstr(p**(-k))}·g(u), "
                              f"g(u) = {sympy.sstr(g.xreplace({u: Symbol('u')}))}")
        try:
            val = self.closed(type(e)(g, u), label, g, u)
        except (SymactsError, ValueError, ArithmeticError, TypeError) as err:
            self.out.lower("unresolved")
            self.out.reason = f"{label}: {err}"
            return None
        if val is None:
            return None
        if isinstance(e, (Sup, Inf)):  # a positive factor keeps ±oo as it is
            return val if val in (S.Infinity, S.NegativeInfinity) else val * p**(-k)
        return val * p**(-m)

    def closed(self, e, label, inner, var):
        if isinstance(e, LimitOp):
            point, side = e.args[2], int(e.args[3])
            direction = {1: "+", -1: "-", 0: "+-"}[side]
            if point in (S.Infinity, S.NegativeInfinity):
                direction = "+-"
            fact = _analysis("limit")(inner, var, point, direction)
            if fact.exact is None and not fact.decimal:
                self.out.lower("unresolved")
                self.out.reason = f"{label}: {fact.note or 'no limit found'}"
                return None
            if fact.exact is not None:  # SymPy's: cross-checked as for parameters
                from .crosscheck import limit_mismatch
                dirs = ["+"] if point in (S.Infinity, S.NegativeInfinity) else \
                    {1: ["+"], -1: ["-"], 0: ["+", "-"]}[side]
                for d in dirs:
                    bad = limit_mismatch(elementary(inner), var, point, d, fact.exact, {})
                    if bad:
                        self.out.lower("unresolved", bad)
                        self.out.reason = f"{label}: {bad}"
                        return None
            self.out.notes.append(f"{label} = {fact.value_text()} ({fact.method})")
            return self.constant(label, fact)
        lo, hi = _bounds(self.st.domain(var))
        maximize = isinstance(e, (Sup, ArgMax))
        fn = _analysis("supremum" if maximize else "infimum")
        ext = fn(inner, var, lo, hi)
        if ext.method in ("symbolic", "certified"):
            why = self.tails(e, inner, var, ext, maximize, lo, hi)
            if why:
                ext = dataclasses.replace(ext, method="numeric",
                                          note="; ".join(filter(None, [ext.note, why])))
                self.out.lower("numeric", f"{label}: {why}")
        dom = self.st.domain(var)
        if ext.attained and isinstance(dom, sympy.Interval) and (
                (dom.left_open and _may_be(ext.argument, dom.start)) or
                (dom.right_open and _may_be(ext.argument, dom.end))):
            ext = dataclasses.replace(ext, attained=False)  # the open end: approached only
        if isinstance(e, (Sup, Inf)):
            where = "" if ext.argument is None else \
                f" at {var} = {sympy.sstr(ext.argument) if not hasattr(ext.argument, 'value_text') else ext.argument.value_text()}"
            self.out.notes.append(f"{label} = {ext.value_text()} ({ext.method}"
                                  f"{'; attained' + where if ext.attained else '; not attained'}"
                                  f"{'; ' + ext.note if ext.note else ''})")
            if ext.method == "numeric" and ext.exact is not None:
                self.out.lower("numeric", f"{label}: the analysis says numeric")
            return self.constant(label, ext)
        arg = ext.argument
        if not ext.attained or arg is None or isinstance(arg, (list, sympy.Set)) \
                or arg in (S.Infinity, S.NegativeInfinity):
            self.out.lower("unresolved")
            self.out.reason = (f"{label}: the {'max' if maximize else 'min'} is not attained "
                               f"at a single point (argument: {sympy.sstr(arg)})")
            return None
        self.out.notes.append(f"{label} = {arg.value_text() if hasattr(arg, 'value_text') else sympy.sstr(arg)}")
        if hasattr(arg, "exact"):
            return self.constant(label, arg)
        return sympy.sympify(arg)

    def tails(self, e, inner, var, ext, maximize, lo, hi):
        """'' when the value holds beyond the analysis window (rigorously, by
        verify's own tail argument), else why not: the analysis engine's tails
        may rest on an asymptotic argument that arb has not checked."""
        from .extremum import _tails
        v = ext.exact
        if v in (S.Infinity, S.NegativeInfinity) or (lo.is_finite and hi.is_finite):
            return ""
        if v is None:
            b = ext.enclosure
            if b is None or not b.is_finite():
                return "no enclosure to check the tails against"
            from .extremum import ball_ends
            v = ball_ends(b)[1 if maximize else 0]
        strict = isinstance(e, (ArgMax, ArgMin))
        op = ("<" if strict else "<=") if maximize else (">" if strict else ">=")
        try:
            ok, why = _tails(inner, op, v, var, sympy.Interval(lo, hi), {}, self.deadline)
        except Exception as err:  # noqa: BLE001 - no tail proof
            ok, why = None, f"the tails could not be checked ({type(err).__name__})"
        if ok is None:
            return why + "; the value is not certified"
        self.out.notes.append("; ".join(ok))
        return ""

    def expect(self, e, label, params):
        inner, var, mu, sigma = e.args
        if not params and mu.is_number and sigma.is_number:
            try:
                fact = _analysis("expect")(inner, var, mu, sigma)
            except (SymactsError, ValueError, ArithmeticError) as err:
                self.out.lower("unresolved")
                self.out.reason = f"{label}: {err}"
                return None
            self.out.notes.append(f"{label} = {fact.value_text()} ({fact.method}"
                                  f"{'; ' + fact.note if fact.note else ''})")
            if fact.method == "quadrature":
                # quadrature with a checked error estimate: not an enclosure
                fact.method = "numeric"
            return self.constant(label, fact)
        z = Dummy("z", real=True)
        density = sympy.exp(-z**2 / 2) / sympy.sqrt(2 * sympy.pi)
        body = inner.xreplace({var: mu + sigma * z}) * density
        if not params:
            val = self.gaussian_closed_form(inner, var, mu, sigma, body, z, label)
            if val is not None:
                return val
        return self.sympy_integral(body, (z, S.NegativeInfinity, S.Infinity), label)

    def gaussian_closed_form(self, inner, var, mu, sigma, body, z, label):
        """E[f(X)], X ~ N(mu, sigma²) with symbolic mu, sigma > 0, from the
        analysis engine's closed form per branch (x^k·exp(quadratic)), checked
        against quadrature at sample parameter values; None otherwise."""
        from ..analysis.budget import attempt
        from ..analysis.gaussian import exp_poly_expectation
        from .crosscheck import integral_mismatch
        (inner2, mu2, s2), back = self._assume(sympy.Tuple(inner, mu, sigma))
        if not s2.is_positive:
            return None
        var2 = next((s for s in inner2.free_symbols if s.name == var.name), var)
        out = attempt(exp_poly_expectation, inner2, var2, mu2, s2, seconds=SECONDS)
        if not (out.ok and out.value is not None):
            return None
        val = out.value.xreplace(back)
        bad = integral_mismatch(elementary(body), z, S.NegativeInfinity, S.Infinity,
                                elementary(val), self.st.domains)
        if bad:
            return None
        self.out.notes.append(f"{label} = {sympy.sstr(val)} (Gaussian integrals of "
                              "x^k·exp(quadratic) per branch; quadrature agrees at sample "
                              "points)")
        return val

    def integral(self, e, label):
        (x, a, b), = e.limits
        return self.sympy_integral(e.function, (x, a, b), label)

    # -- SymPy under a budget, with the domains as assumptions ----------
    def _assume(self, expr, bound=()):
        """``expr`` with each free variable replaced by a symbol carrying its
        domain's assumptions (not the ``bound`` ones: an integration variable
        replaced in the integrand but not in the limits is another symbol, and
        SymPy integrated f·(b - a): red team), and the map back."""
        subs = {v: assumed(v, self.st.domain(v)) for v in expr.free_symbols
                if isinstance(v, Symbol) and not isinstance(v, Dummy) and v not in bound}
        back = {s: v for v, s in subs.items()}
        return expr.xreplace(subs), back

    def sympy_integral(self, body, limits, label):
        from ..analysis.budget import attempt
        x, a, b = limits
        why = _not_integrable(elementary(body), x, a, b)
        if why:
            self.out.lower("unresolved")
            self.out.reason = f"{label}: {why}"
            return None
        body2, back = self._assume(elementary(body), bound=(x,))
        a2, _ = self._assume(a)
        b2, _ = self._assume(b)
        out = attempt(sympy.integrate, body2, (x, a2, b2), seconds=SECONDS)
        if out.ok and not out.value.has(Integral, sympy.Limit, sympy.AccumBounds) and \
                not out.value.has(S.NaN, S.ComplexInfinity) and x not in out.value.free_symbols:
            val = out.value.xreplace(back)
            from .crosscheck import integral_mismatch
            bad = integral_mismatch(elementary(body), x, a, b, val, self.st.domains)
            if bad:
                self.out.lower("unresolved", bad)
                self.out.reason = f"{label}: {bad}"
                return None
            self.out.notes.append(f"{label} = {sympy.sstr(val)} (SymPy integrate; "
                                  "quadrature agrees at sample points)")
            return val
        self.out.lower("unresolved")
        self.out.reason = f"{label}: SymPy's integrate gave no closed form " \
                          f"({out.reason or 'unevaluated'})"
        return None

    def _bounded_limit(self, inner, var, point, d):
        subs, back = {}, {}
        for v in elementary(inner).free_symbols:
            dom = self.st.domain(v)
            if v == var or not isinstance(v, Symbol) or isinstance(v, Dummy) or \
                    not isinstance(dom, sympy.Interval) or \
                    not (dom.start.is_finite and dom.end.is_finite):
                continue
            t = Dummy(f"t_{v.name}", positive=True)
            a, b = dom.start, dom.end
            subs[v] = a + (b - a) / (1 + t)
            back[t] = (b - a) / (v - a) - 1
        if not subs:
            return None
        body, back2 = self._assume(elementary(inner).xreplace(subs))
        var2 = next((s for s in body.free_symbols if s.name == var.name), var)
        val, _ = _limit_cases(body, var2, point, d)
        if val is None or val.has(sympy.sign):
            return None
        val = sympy.simplify(val.xreplace(back2).xreplace(back))
        # t in (0, oo) covers the open interval: a closed end gets its own limit
        pieces = []
        for v in subs:
            dom = self.st.domain(v)
            for end, closed in ((dom.start, not dom.left_open), (dom.end, not dom.right_open)):
                if not closed:
                    continue
                b2, back3 = self._assume(elementary(inner).xreplace({v: end}))
                var3 = next((s for s in b2.free_symbols if s.name == var.name), var)
                lv, _ = _limit_cases(b2, var3, point, d)
                if lv is None or lv.has(sympy.sign):
                    # the open part is known but not this end: not the sign form
                    # (it is undefined there, which sampling would pass over)
                    raise _Unresolved(f"the limit at the closed end {v} = {end} "
                                      "did not close")
                pieces.append((lv.xreplace(back3), sympy.Eq(v, end)))
        return sympy.Piecewise(*pieces, (val, True)) if pieces else val

    def sympy_limit(self, e, label):
        from ..analysis.budget import attempt
        from .crosscheck import _periodic_in
        inner, var, point, side = e.args
        if _periodic_in(inner, var):
            # SymPy's limit of a sum with a periodic part can be wrong, and the
            # cross-check at three parameter values cannot show it where the
            # periodic part vanishes there (relu(a - 20)·sin(x): red team)
            self.out.lower("unresolved")
            self.out.reason = (f"{label}: a limit with parameters and a periodic part in "
                               f"{var} is not taken (SymPy's can be wrong, and sample "
                               "parameter values do not show it)")
            return None
        body, back = self._assume(elementary(inner))
        var2 = body.free_symbols and next((s for s in body.free_symbols if s.name == var.name), var)
        dirs = {1: ["+"], -1: ["-"], 0: ["+", "-"]}[int(side)]
        if point in (S.Infinity, S.NegativeInfinity):
            dirs = ["-" if point is S.Infinity else "+"]
        vals = []
        for d in dirs:
            val, why = _limit_cases(body, var2, point, d)
            if val is None or val.has(sympy.sign):
                # a parameter on a bounded interval (0 < s < 1): SymPy's
                # assumptions cannot say s < 1, so write s = a + (b - a)/(1 + t),
                # t > 0 (a bijection), take the limit, and map t back
                try:
                    val2 = self._bounded_limit(inner, var, point, d)
                except _Unresolved as err:
                    self.out.lower("unresolved")
                    self.out.reason = f"{label}: {err}"
                    return None
                if val2 is not None:
                    val, back = val2, {}
            if val is None:
                self.out.lower("unresolved")
                self.out.reason = f"{label}: SymPy's limit did not close ({why})"
                return None
            vals.append(val.xreplace(back))
        if len(vals) == 2 and sympy.simplify(vals[0] - vals[1]) != 0:
            self.out.lower("unresolved")
            self.out.reason = f"{label}: the one-sided limits differ"
            return None
        from .crosscheck import limit_mismatch
        for d in dirs:
            bad = limit_mismatch(elementary(inner), var, point, d, vals[0], self.st.domains)
            if bad:
                self.out.lower("unresolved", bad)
                self.out.reason = f"{label}: {bad}"
                return None
        self.out.notes.append(f"{label} = {sympy.sstr(vals[0])} (SymPy limit; the "
                              "function approaches it at sample points)")
        return vals[0]

    # -- the walk -------------------------------------------------------
    def expr(self, e):
        targets = OPERATORS + (Integral,)
        for _ in range(50):
            nodes = [n for n in e.atoms(*targets)
                     if not any(a.has(*targets) for a in n.args)]
            if not nodes:
                return e
            subs = {}
            for n in nodes:
                v = self.node(n)
                if v is None:
                    raise _Unresolved
                subs[n] = v
            e = e.xreplace(subs)
        raise _Unresolved


def _limit_value(body, var, point, d):
    from ..analysis.budget import attempt
    out = attempt(sympy.limit, body, var, point, d, seconds=SECONDS)
    if not out.ok or out.value.has(sympy.Limit, sympy.AccumBounds, S.NaN, S.ComplexInfinity):
        return None, out.reason or sympy.sstr(out.value)
    return out.value, ""


def _limit_cases(body, var, point, d):
    """SymPy's limit; when it fails, once more split on the sign of a parameter
    of unknown sign (the value is then a Piecewise in that parameter)."""
    val, why = _limit_value(body, var, point, d)
    if val is not None:
        return val, ""
    params = sorted((p for p in body.free_symbols - {var}
                     if p.is_positive is None and p.is_negative is None),
                    key=lambda p: p.name)
    if not params:
        return None, why
    p = params[0]
    q = Symbol(p.name, positive=True)
    parts = []
    for sub, back, cond in ((q, p, p > 0), (-q, -p, p < 0), (S.Zero, None, True)):
        v, _ = _limit_value(body.xreplace({p: sub}), var, point, d)
        if v is None:
            return None, why
        parts.append((v.xreplace({q: back}) if back is not None else v, cond))
    return sympy.Piecewise(*parts), ""


class _Unresolved(Exception):
    pass


_SWAP = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


def _map_rels(f, fn):
    """The formula with ``fn`` applied to every relation."""
    if isinstance(f, C.Rel):
        return fn(f)
    if isinstance(f, (C.And, C.Or)):
        return type(f)(tuple(_map_rels(a, fn) for a in f.args))
    if isinstance(f, C.Not):
        return C.Not(_map_rels(f.arg, fn))
    if isinstance(f, C.Iff):
        return C.Iff(_map_rels(f.a, fn), _map_rels(f.b, fn))
    raise TypeError(f"not a formula: {f!r}")


def _witness(rel, statement, notes):
    """``inf(f) < c`` and ``sup(f) > c`` (c closed) hold as soon as one point x0
    has f(x0) < c (> c): when arb shows that at a point next to the analysis
    engine's argument, the relation is replaced by that true closed relation
    (no tail argument needed). Otherwise ``rel`` is returned unchanged."""
    from .evaluate import Evaluator
    for op, a, b in ((rel.op, rel.lhs, rel.rhs), (_SWAP.get(rel.op), rel.rhs, rel.lhs)):
        if op not in ("<", ">") or not isinstance(a, (Inf, Sup)) or \
                isinstance(a, Inf) != (op == "<"):
            continue
        if b.has(*OPERATORS, Integral) or b.free_symbols:
            continue
        inner, var = a.args[0], a.args[1]
        if inner.free_symbols - {var} or inner.has(*OPERATORS, Integral):
            continue
        if statement.where is not None and _unplain(statement.where, var):
            continue  # a point of the domain might not satisfy the where clause
        dom = statement.domain(var)
        lo, hi = _bounds(dom)
        try:
            ext = _analysis("infimum" if isinstance(a, Inf) else "supremum")(inner, var, lo, hi)
        except (SymactsError, ValueError, ArithmeticError, TypeError):
            return rel
        arg = ext.argument
        cands = []
        for digits in (12, 40):  # a short point first: readable evidence
            if getattr(arg, "enclosure", None) is not None and arg.enclosure.is_finite():
                cands.append(sympy.Rational(arg.enclosure.mid().str(digits, radius=False)))
            elif arg is not None and getattr(arg, "is_number", False) and arg.is_finite:
                v = sympy.sympify(arg)
                cands.append(v if v.is_Rational else sympy.Rational(str(sympy.N(v, digits))))
        for x0 in cands:
            if dom.contains(x0) is not S.true:
                continue
            ev = Evaluator(C.Rel(op, inner, b), [var])
            if ev.arb_truth({var: x0}) is True:
                val = inner.xreplace({var: x0})
                notes.append(f"{sympy.sstr(a)} {op} {sympy.sstr(b)}: witnessed at {var} = "
                             f"{sympy.N(x0, 20)} (arb: the value there is already {op} "
                             f"{sympy.sstr(b)}; no tail argument needed)")
                return C.Rel(op, val, b)
    return rel


def reduce_statement(statement, deadline=None) -> Reduced:
    """Replace every operator node of ``statement`` by a value (see module doc)."""
    jumps = [j for f in (statement.formula, statement.where) if f is not None
             for rel in C.atoms(f) for side in (rel.lhs, rel.rhs) for j in side.atoms(Jumps)]
    if jumps:
        jumps.sort(key=lambda j: len(str(j.args[0])))  # the innermost diff's
        out = _Reducer(statement, deadline).out
        out.level = "unresolved"
        out.reason = f"diff of {jumps[0].args[0]} in {jumps[0].args[1]}: {jumps[0].args[2]}"
        return out
    notes = []
    try:
        statement = C.Statement(statement.text,
                                _map_rels(statement.formula,
                                          lambda rel: _witness(rel, statement, notes)),
                                statement.where, statement.domains)
    except Exception:  # noqa: BLE001 - the witness is only a shortcut
        notes = []
    r = _Reducer(statement, deadline)
    r.out.notes += notes
    targets = OPERATORS + (Integral,)
    if not any(side.has(*targets) for rel in C.atoms(statement.formula)
               for side in (rel.lhs, rel.rhs)):
        if statement.where is None or not any(
                side.has(*targets) for rel in C.atoms(statement.where)
                for side in (rel.lhs, rel.rhs)):
            return r.out
    try:
        formula = C.map_exprs(statement.formula, r.expr)
        where = None if statement.where is None else C.map_exprs(statement.where, r.expr)
    except _Unresolved:
        r.out.level = "unresolved"
        return r.out
    # a value may not bring in a variable of its own (a symbol with other
    # assumptions but the same name would be a different variable)
    before = C.symbols_of(statement.formula) | (C.symbols_of(statement.where)
                                                if statement.where is not None else set())
    after = C.symbols_of(formula) | (C.symbols_of(where) if where is not None else set())
    stray = {v for v in after - before if not isinstance(v, Dummy)}
    if stray:
        r.out.level = "unresolved"
        r.out.reason = (f"internal: an operator's value holds the symbol(s) "
                        f"{', '.join(sorted(map(str, stray)))} that the claim does not")
        return r.out
    # bound variables that no longer occur keep no domain
    st = C.Statement(statement.text, formula, where, dict(statement.domains))
    live = set(st.variables)
    st.domains = {v: d for v, d in st.domains.items() if v in live}
    r.out.statement = st
    return r.out
