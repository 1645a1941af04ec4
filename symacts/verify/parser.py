"""Parse a claim string into a :class:`~symacts.verify.claims.Statement`.

The text is read with :func:`ast.parse` and walked with a whitelist: numbers,
``+ - * / **``, comparisons (chained), ``and/or/not``, calls of known
functions by name, and names (which become real variables). Nothing reaches
``eval``, ``sympify`` or ``parse_expr``. Length, nesting, literal sizes and
exponents are bounded, so ``10**10**10**10`` is refused, not computed.

>>> s = parse("sigmoid(logit(p)) == p where 0 < p < 1")
>>> print(s.formula); s.domains
p == p
{p: Interval.open(0, 1)}
>>> print(parse("0 < diff(sigmoid(x), x) <= 1/4").formula)
0 < (1 - sigmoid(x))*sigmoid(x) and (1 - sigmoid(x))*sigmoid(x) <= 1/4
>>> parse("softplus(x, beta) > 0").domains[Symbol('beta', real=True)]
Interval.open(0, oo)
>>> parse("__import__('os').system('ls') == 0")
Traceback (most recent call last):
...
symacts.errors.InputError: attribute access (.): not part of the claim language
"""
from __future__ import annotations

import ast
import io
import math
import re
import tokenize

import sympy
from sympy.core.symbol import Str
from sympy import (Abs, Heaviside, Integer, Integral, LambertW, Max, Min,
                   Rational, S, Symbol)

from ..errors import InputError, SymactsError, closest
from ..functions import Phi, logit, phi
from . import claims as C
from .nodes import ArgMax, ArgMin, Expect, Inf, Jumps, LimitOp, Sup

__all__ = ["parse", "parse_formula", "MAX_LENGTH", "MAX_DEPTH", "FUNCTIONS",
           "CONSTANTS", "OPERATOR_NAMES"]

MAX_LENGTH = 2000
MAX_DEPTH = 60
MAX_NODES = 1500
MAX_INT_DIGITS = 200
MAX_EXPONENT = 1000
MAX_DECIMAL_EXPONENT = 500
MAX_RESULT_DIGITS = 5000
MAX_DIFF_ORDER = 8

FUNCTIONS = {
    "exp": (sympy.exp, 1), "log": (sympy.log, 1), "sqrt": (sympy.sqrt, 1),
    "Abs": (Abs, 1), "abs": (Abs, 1), "sin": (sympy.sin, 1), "cos": (sympy.cos, 1),
    "tanh": (sympy.tanh, 1), "sinh": (sympy.sinh, 1), "cosh": (sympy.cosh, 1),
    "erf": (sympy.erf, 1), "erfc": (sympy.erfc, 1), "LambertW": (LambertW, 1),
    "Heaviside": (Heaviside, (1, 2)), "Max": (Max, None), "Min": (Min, None),
    "max": (Max, None), "min": (Min, None),
    "logit": (logit, 1), "Phi": (Phi, 1), "phi": (phi, 1),
}
#: functions defined on part of the reals: the class of their value, and where
_PARTIAL = {
    "log": (sympy.log, lambda a: C.Rel(">", a, 0)),
    "sqrt": (sympy.Pow, lambda a: C.Rel(">=", a, 0)),
    "logit": (logit, lambda a: C.And((C.Rel(">", a, 0), C.Rel("<", a, 1)))),
    "LambertW": (LambertW, lambda a: C.Rel(">=", a, -sympy.exp(-1))),
}
CONSTANTS = {"pi": S.Pi, "E": S.Exp1, "oo": S.Infinity}
OPERATOR_NAMES = ("diff", "limit", "sup", "inf", "argmax", "argmin", "integrate",
                  "expect", "approx")
_RELOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
           ast.NotEq: "!="}
_SYNTAX_NAMES = {
    ast.Attribute: "attribute access (.)", ast.Subscript: "subscripts ([])",
    ast.Lambda: "lambda", ast.ListComp: "comprehensions", ast.GeneratorExp: "comprehensions",
    ast.DictComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.List: "lists", ast.Dict: "dicts", ast.Set: "sets", ast.Starred: "starred arguments",
    ast.IfExp: "conditional expressions", ast.NamedExpr: "assignment (:=)",
    ast.JoinedStr: "f-strings", ast.Await: "await", ast.Yield: "yield",
}


def _var(name):
    return Symbol(name, real=True)


class _Walker:
    """One walk of the tree; records the domains parameters impose."""

    def __init__(self):
        self.domains = {}
        self.nodes = 0
        self.partial = []   # (term, condition, text): where a part is defined

    def defined_where(self, term, cond):
        """Record that ``term`` (None: it simplified away as it was built) is
        defined only where the formula ``cond`` holds."""
        if C.symbols_of(cond):
            self.partial.append((term, cond, str(cond)))

    def lost(self, *formulas):
        """The recorded conditions whose term is no longer in ``formulas``:
        SymPy simplified it away (x/x -> 1, exp(log(x)) -> x), so nothing in
        the claim shows any more where it is undefined."""
        exprs = [e for f in formulas if f is not None for r in C.atoms(f)
                 for e in (r.lhs, r.rhs)]
        out, seen = [], set()
        for term, cond, text in self.partial:
            if text in seen or (term is not None and any(e.has(term) for e in exprs)):
                continue
            seen.add(text)
            out.append((cond, text))
        return tuple(out)

    # -- helpers ------------------------------------------------------------
    def restrict(self, sym, interval, why):
        old = self.domains.get(sym, S.Reals)
        new = old.intersect(interval)
        if new is S.EmptySet:
            raise InputError(f"{sym} has an empty domain ({why})")
        self.domains[sym] = new

    def count(self, depth):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputError(f"claim too large (more than {MAX_NODES} syntax nodes)")
        if depth > MAX_DEPTH:
            raise InputError(f"claim nested too deeply (more than {MAX_DEPTH} levels)")

    # -- formulas -------------------------------------------------------------
    def formula(self, node, depth=0):
        self.count(depth)
        if isinstance(node, ast.BoolOp):
            parts = tuple(self.formula(v, depth + 1) for v in node.values)
            kind = C.And if isinstance(node.op, ast.And) else C.Or
            flat = []
            for p in parts:  # a and (b and c) -> a and b and c
                flat.extend(p.args if isinstance(p, kind) else (p,))
            return kind(tuple(flat))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return C.Not(self.formula(node.operand, depth + 1))
        if isinstance(node, ast.Compare):
            return self.compare(node, depth)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "approx":
            return self.approx(node, depth)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            raise InputError("True/False are not claims; write a relation")
        self.reject(node)
        raise InputError("a claim must be a relation such as `f(x) <= 1/4` "
                         "(==, !=, <, <=, >, >=), possibly joined by and/or/not")

    def is_formula(self, node):
        return isinstance(node, (ast.Compare, ast.BoolOp)) or \
            (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)) or \
            (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
             and node.func.id == "approx")

    def compare(self, node, depth):
        operands = [node.left, *node.comparators]
        if any(self.is_formula(o) for o in operands):
            if len(node.ops) != 1 or type(node.ops[0]) not in (ast.Eq, ast.NotEq) \
                    or not all(self.is_formula(o) for o in operands):
                raise InputError("formulas can only be compared with == or != "
                                 "(both sides relations)")
            a, b = (self.formula(o, depth + 1) for o in operands)
            iff = C.Iff(a, b)
            return iff if isinstance(node.ops[0], ast.Eq) else C.Not(iff)
        sides = [self.expr(o, depth + 1) for o in operands]
        rels = []
        for op, lhs, rhs in zip(node.ops, sides, sides[1:]):
            if type(op) not in _RELOPS:
                raise InputError("only == != < <= > >= compare values "
                                 "(not `in`, `is`)")
            rels.append(C.Rel(_RELOPS[type(op)], lhs, rhs))
        return rels[0] if len(rels) == 1 else C.And(tuple(rels))

    def approx(self, node, depth):
        if node.keywords or len(node.args) != 3:
            raise InputError("approx takes three arguments: approx(a, b, tol)")
        a, b, tol = (self.expr(v, depth + 1) for v in node.args)
        # |a - b| <= tol, written as two relations (kink-free for the provers)
        return C.And((C.Rel("<=", a - b, tol), C.Rel(">=", a - b, -tol)))

    # -- expressions ----------------------------------------------------------
    def reject(self, node):
        for kind, what in _SYNTAX_NAMES.items():
            if isinstance(node, kind):
                raise InputError(f"{what}: not part of the claim language")

    def expr(self, node, depth):
        self.count(depth)
        if isinstance(node, ast.Constant):
            return self.constant(node.value, getattr(node, "literal", None))
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -self.expr(node.operand, depth + 1)
            if isinstance(node.op, ast.UAdd):
                return self.expr(node.operand, depth + 1)
            raise InputError("`not` applies to relations, and ~ is not supported")
        if isinstance(node, ast.BinOp):
            return self.binop(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if self.is_formula(node):
            raise InputError("a relation cannot be used as a number here")
        self.reject(node)
        raise InputError(f"{type(node).__name__} syntax is not part of the claim language")

    def constant(self, v, literal=None):
        if isinstance(v, bool) or v is None or isinstance(v, (str, bytes, complex)):
            raise InputError(f"{v!r} is not a real number")
        if isinstance(v, int):
            if len(str(abs(v))) > MAX_INT_DIGITS:
                raise InputError(f"integer literal too large (over {MAX_INT_DIGITS} digits)")
            return Integer(v)
        if isinstance(v, float):
            return _decimal_literal(literal, v)
        raise InputError(f"{v!r} is not a real number")

    def name(self, ident):
        if ident in CONSTANTS:
            return CONSTANTS[ident]
        if ident.startswith("_"):
            raise InputError(f"names starting with _ are not allowed ({ident!r})")
        if ident in FUNCTIONS or ident in OPERATOR_NAMES or _catalog_name(ident):
            raise InputError(f"{ident} is a function: call it, e.g. {ident}(x)")
        if ident in ("where", "lambda", "inf") or ident == "I":
            raise InputError(f"{ident!r} cannot be a variable name")
        if ident.lower() in ("nan", "zoo", "infinity"):
            raise InputError(f"{ident!r} cannot be a variable name (claims are about real "
                             "numbers; infinity is oo)")
        return _var(ident)

    def binop(self, node, depth):
        a, b = self.expr(node.left, depth + 1), self.expr(node.right, depth + 1)
        op = node.op
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div):
            if b == 0:
                raise InputError("division by zero")
            self.defined_where(1 / b, C.Rel("!=", b, 0))
            return a / b
        if isinstance(op, ast.Pow):
            r = _power(a, b)
            if a.free_symbols and b.is_number and b.is_Rational and not b.is_integer \
                    and b.q % 2 == 0:
                self.defined_where(r if r.is_Pow else None, C.Rel(">=" if b > 0 else ">", a, 0))
            elif a.free_symbols and b.is_number and b.is_negative:
                self.defined_where(r if r.is_Pow else None, C.Rel("!=", a, 0))
            elif a.free_symbols and b.free_symbols:
                self.defined_where(r if r.is_Pow else None, C.Rel(">", a, 0))
            return r
        raise InputError(f"operator {type(op).__name__} is not part of the claim "
                         "language (use + - * / **)")

    def call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            self.reject(node.func)
            raise InputError("only named functions can be called, e.g. sigmoid(x)")
        fname = node.func.id
        if any(isinstance(a, ast.Starred) for a in node.args) or \
                any(k.arg is None for k in node.keywords):
            raise InputError("starred arguments are not part of the claim language")
        if fname in OPERATOR_NAMES:
            r = self.operator(fname, node, depth)
            bound = set() if isinstance(r, Integral) else {r.args[1]} if len(r.args) > 1 else set()
            if isinstance(r, (Sup, Inf, ArgMax, ArgMin, LimitOp, Expect, Integral)) \
                    and not r.free_symbols - bound:  # (a free variable: diff's FTC takes it)
                # 0*integrate(sin(x), (x, 0, oo)) and sup(x, x) - sup(x, x) are 0
                # as they are read: the claim stands only if the value exists
                # and is finite
                finite = C.And((C.Rel(">", r, S.NegativeInfinity), C.Rel("<", r, S.Infinity)))
                self.partial.append((r, finite, f"{sympy.sstr(r)} is finite"))
            return r
        if fname in FUNCTIONS:
            fn, arity = FUNCTIONS[fname]
            if node.keywords:
                raise InputError(f"{fname} takes no keyword arguments")
            args = [self.expr(a, depth + 1) for a in node.args]
            ok = arity is None and len(args) >= 1 or arity == len(args) or \
                (isinstance(arity, tuple) and len(args) in arity)
            if not ok:
                want = ("at least 1" if arity is None else
                        " or ".join(map(str, arity)) if isinstance(arity, tuple) else str(arity))
                raise InputError(f"{fname} takes {want} argument(s), got {len(args)}")
            r = fn(*args)
            if fname in _PARTIAL:
                kind, cond = _PARTIAL[fname]
                self.defined_where(r if isinstance(r, kind) else None, cond(args[0]))
            return r
        definition = _catalog_name(fname)
        if definition is not None:
            return self.activation(definition, node, depth)
        known = list(FUNCTIONS) + list(OPERATOR_NAMES) + _catalog_keys()
        hint = closest(fname, known)
        msg = f"unknown function {fname!r}"
        msg += f"; did you mean {' or '.join(hint)}?" if hint else \
            " (see docs/claims.md for the names a claim may use)"
        raise InputError(msg)

    def activation(self, d, node, depth):
        if d.kind != "scalar":
            raise InputError(f"{d.name} is a vector activation; write its components "
                             "out, e.g. exp(z1)/(exp(z1) + exp(z2))")
        if not node.args:
            raise InputError(f"{d.name} needs its input, e.g. {d.name}(x)")
        if len(node.args) - 1 > len(d.params):
            raise InputError(f"{d.name} takes {len(d.params)} parameter(s) after its "
                             f"input, got {len(node.args) - 1}")
        arg = self.expr(node.args[0], depth + 1)
        given = {}
        for p, a in zip(d.params, node.args[1:]):
            given[p.name] = a
        for k in node.keywords:
            p = d.param(k.arg)  # raises UnknownNameError with a hint
            if p.name in given:
                raise InputError(f"{d.name}: parameter {p.name} given twice")
            given[p.name] = k.value
        values = []
        for p in d.params:
            if p.name not in given:
                values.append(p.default)
                continue
            v = self.expr(given[p.name], depth + 1)
            if isinstance(v, Symbol):
                self.restrict(v, p.domain, f"parameter {p.name} of {d.name}")
            elif v.is_number:
                v = p.check(v, d.name)
            values.append(v)
        from ..catalog.core import X
        return d.build(*values).xreplace({X: arg})

    # -- operators -----------------------------------------------------------
    def variable(self, node, what):
        if not isinstance(node, ast.Name) or node.id in CONSTANTS:
            raise InputError(f"{what} must be a variable name")
        v = self.name(node.id)
        return v

    def operator(self, fname, node, depth):
        args, kw = node.args, {k.arg: k.value for k in node.keywords}
        if fname == "approx":
            raise InputError("approx(a, b, tol) is a claim on its own; "
                             "combine it with and/or")
        if fname == "diff":
            if kw or not 2 <= len(args) <= 3:
                raise InputError("diff takes diff(e, x) or diff(e, x, n)")
            e = self.expr(args[0], depth + 1)
            x = self.variable(args[1], "the variable of diff")
            n = 1
            if len(args) == 3:
                nv = self.expr(args[2], depth + 1)
                if not (nv.is_Integer and 0 <= int(nv) <= MAX_DIFF_ORDER):
                    raise InputError(f"diff order must be an integer 0..{MAX_DIFF_ORDER}")
                n = int(nv)
            return _derivative(e, x, n, self.domains)
        if fname in ("sup", "inf", "argmax", "argmin"):
            if kw or len(args) != 2:
                raise InputError(f"{fname} takes {fname}(e, x)")
            e = self.expr(args[0], depth + 1)
            x = self.variable(args[1], f"the variable of {fname}")
            cls = {"sup": Sup, "inf": Inf, "argmax": ArgMax, "argmin": ArgMin}[fname]
            return cls(e, x)
        if fname == "limit":
            if kw or not 3 <= len(args) <= 4:
                raise InputError("limit takes limit(e, x, point) or "
                                 "limit(e, x, point, '+' or '-')")
            e = self.expr(args[0], depth + 1)
            x = self.variable(args[1], "the variable of limit")
            p = self.expr(args[2], depth + 1)
            if p.free_symbols:
                raise InputError("the point of a limit must be a number or oo/-oo")
            side = 0
            if len(args) == 4:
                a = args[3]
                if not (isinstance(a, ast.Constant) and a.value in ("+", "-")):
                    raise InputError("the side of a limit is '+' or '-'")
                side = 1 if a.value == "+" else -1
            return LimitOp(e, x, p, side)
        if fname == "integrate":
            if kw or len(args) != 2 or not isinstance(args[1], ast.Tuple) \
                    or len(args[1].elts) != 3:
                raise InputError("integrate takes integrate(e, (x, a, b))")
            e = self.expr(args[0], depth + 1)
            t, a, b = args[1].elts
            x = self.variable(t, "the variable of integrate")
            return Integral(e, (x, self.expr(a, depth + 1), self.expr(b, depth + 1)))
        if fname == "expect":
            if kw or len(args) not in (2, 4):
                raise InputError("expect takes expect(e, x) or expect(e, x, mu, sigma)")
            e = self.expr(args[0], depth + 1)
            x = self.variable(args[1], "the variable of expect")
            mu, sigma = (S.Zero, S.One) if len(args) == 2 else \
                (self.expr(args[2], depth + 1), self.expr(args[3], depth + 1))
            if isinstance(sigma, Symbol):
                self.restrict(sigma, sympy.Interval.open(0, S.Infinity),
                              "sigma of expect")
            elif sigma.is_number and not sigma.is_positive:
                raise InputError("sigma of expect must be positive")
            return Expect(e, x, mu, sigma)
        raise InputError(f"unknown operator {fname}")  # pragma: no cover


def _derivative(e, x, n, domains=None):
    """The n-th derivative as SymPy takes it, plus jump·DiracDelta(x - k) at
    each point k where ``e`` jumps because of a Piecewise: SymPy differentiates
    a Piecewise branch by branch and drops them (hardshrink' would be 0 at its
    jumps ±1/2), while Heaviside(x) already gives its delta (step' = δ).

    >>> x = Symbol("x", real=True)
    >>> _derivative(sympy.Piecewise((x, x > 1), (0, True)), x, 1)
    Piecewise((1, x > 1), (0, True)) + DiracDelta(x - 1)
    """
    for _ in range(n):
        bad = next((i for i in e.atoms(Integral) if _ftc_unsafe(i, x)), None)
        if bad is not None:
            return Jumps(Str(sympy.sstr(bad)[:80]), x, Str(
                "the integrand may jump, and where it does the integral has no "
                "derivative (SymPy's fundamental theorem of calculus would give the "
                "integrand's value there)"))
        e = sympy.diff(e, x) + _jumps(e, x, domains)
    return e


def _ftc_unsafe(integral, x):
    """True if ``integral``'s limits depend on ``x`` and its integrand may be
    discontinuous (a Piecewise, Heaviside, sign, floor, ...): d/dx of
    ∫_a^x step(t) dt = relu(x) does not exist at 0, while SymPy gives step(x)."""
    if not any(sympy.sympify(b).has(x) for lim in integral.limits for b in lim[1:]):
        return False
    f, t = integral.function, integral.limits[0][0]
    if f.has(Heaviside, sympy.sign, *_JUMPY):
        return True
    return f.has(sympy.Piecewise) and not _continuous(f, t, {})


def _jumps(e, x, domains=None):
    """Sum of (right - left limit)·DiracDelta(x - k) over the jumps k of the
    Piecewise parts of ``e`` (located exactly), or :class:`~.nodes.Jumps` when
    they cannot be located (a breakpoint that depends on a parameter), so that
    the claim is not decided: dropping them proved diff(hardshrink(x, l), x) <= 1
    and refuted integrate(diff(hardshrink(x, l), x), (x, 0, 1)) == 1."""
    if not any(p.has(x) for p in e.atoms(sympy.Piecewise)):
        return S.Zero
    from ..analysis.pieces import pieces
    try:
        ps = pieces(e, x)
    except Exception:  # noqa: BLE001 - kinks not located (symbolic)
        if _continuous(e, x, domains or {}):
            return S.Zero
        # a label, not e: Piecewise folds would open it
        return Jumps(Str(sympy.sstr(e)[:80]), x, Str(
            "it may jump at points that could not be located (a Piecewise breakpoint "
            "that depends on a parameter, or the zeros of a periodic condition), and "
            "SymPy's branch-by-branch derivative drops the DiracDelta terms there; the "
            "toolkit does not locate such jumps yet"))
    out = S.Zero
    for a, b in zip(ps, ps[1:]):
        k = a.hi
        jump = b.branch.xreplace({x: k}) - a.branch.xreplace({x: k})
        if jump.has(S.NaN, S.ComplexInfinity) or jump.is_finite is False:
            jump = S.One  # a pole beside the kink: only mark the point undefined
        if jump.is_zero is not True:
            out += jump * sympy.DiracDelta(x - k)
    return out


def _continuous(e, x, domains):
    """True if ``e`` is shown continuous in ``x`` at every breakpoint of its
    Piecewise parts, for every value of their parameters (softshrink(x, l) at
    ±l); False when that is not shown (a jump, or a side not decided).

    Each parameter is taken in the cases of its domain's sign (l >= 0: l > 0,
    and l = 0); each breakpoint k is a root of a condition's boundary (a
    polynomial in x of degree <= 4, so that solve finds every root), and the
    one-sided values are those at k ± eps with each relation decided as
    eps -> 0+ (by its sign at eps = 0, or by its slope in eps where that is 0).
    """
    from itertools import product
    from sympy.core.relational import Relational
    params = sorted(e.free_symbols - {x}, key=str)
    if len(params) > 2:
        return False
    cases = []
    for p in params:
        dom = domains.get(p, S.Reals)
        opts = []
        if dom.intersect(sympy.Interval.open(0, S.Infinity)) is not S.EmptySet:
            opts.append(sympy.Dummy(p.name, positive=True))
        if dom.intersect(sympy.Interval.open(S.NegativeInfinity, 0)) is not S.EmptySet:
            opts.append(sympy.Dummy(p.name, negative=True))
        if dom.contains(0) is S.true:
            opts.append(S.Zero)
        elif dom.contains(0) is not S.false:
            return False
        cases.append(opts)
    eps = sympy.Dummy("eps", positive=True)

    try:
        for vals in product(*cases):
            ee = e.xreplace(dict(zip(params, vals)))
            ks = set()
            for pw in ee.atoms(sympy.Piecewise):
                for _, c in pw.args:
                    for r in c.atoms(Relational):
                        if r.has(x):
                            d = r.lhs - r.rhs    # polynomial: solve has every root
                            if not d.is_polynomial(x) or sympy.degree(d, x) > 4:
                                return False
                            roots = sympy.solve(d, x)
                            if not isinstance(roots, list) or not all(k.is_finite for k in roots):
                                return False
                            ks |= set(roots)
            for k in ks:
                sides = [_side_value(ee, x, k, sgn, eps) for sgn in (1, -1)]
                jump = sympy.simplify(sides[0] - sides[1])
                if jump.is_zero is not True:
                    return False
    except Exception:  # noqa: BLE001 - undecided, or solve failed
        return False
    return True


def _side_value(e, x, k, sgn, eps):
    """lim e(x) as x -> k from the side ``sgn`` (+1: above), with ``eps`` a
    positive Dummy: e at k + sgn·eps with every relation that has eps decided
    as eps -> 0+ (by its sign at eps = 0, or by its slope in eps where that is
    0), then eps = 0. ValueError where a relation or a Piecewise is not decided."""
    from sympy.core.relational import Relational

    def decide(rel):
        d = rel.lhs - rel.rhs
        d0 = sympy.simplify(d.subs(eps, 0))
        if d0.is_zero:
            d0 = sympy.simplify(sympy.diff(d, eps).subs(eps, 0))
        sign = 1 if d0.is_positive else -1 if d0.is_negative else None
        if sign is None:
            raise ValueError("undecided")
        return {"<": sign < 0, "<=": sign < 0, ">": sign > 0, ">=": sign > 0,
                "==": False, "!=": True}[rel.rel_op]

    v = e.xreplace({x: k + sgn * eps})
    v = v.replace(lambda a: isinstance(a, Relational) and a.has(eps),
                  lambda a: S.true if decide(a) else S.false)
    if any(pw.has(eps) for pw in v.atoms(sympy.Piecewise)):
        raise ValueError("undecided")
    return v.subs(eps, 0)


#: functions whose jumps _side_value cannot see (Heaviside and sign are
#: rewritten as Piecewise first)
_JUMPY = (sympy.floor, sympy.ceiling, sympy.frac, sympy.Mod, sympy.DiracDelta,
          sympy.core.function.AppliedUndef, Jumps)


def continuous_at(e, x, k, sgn):
    """True if ``e`` (in ``x``, no other symbol) is shown finite at the number
    ``k`` and equal there to its limit from the side ``sgn`` (+1: from above);
    False when that is not shown.

    >>> x = Symbol("x", real=True)
    >>> continuous_at(Heaviside(x, 1), x, 0, -1), continuous_at(Heaviside(x, 1), x, 0, 1)
    (False, True)
    """
    try:
        e = e.rewrite(sympy.Piecewise) if e.has(Heaviside, sympy.sign) else e
        if e.has(*_JUMPY) or e.free_symbols - {x}:
            return False
        at = sympy.simplify(e.subs(x, k))
        if not at.is_finite:
            return False
        near = _side_value(e, x, k, sgn, sympy.Dummy("eps", positive=True))
        return sympy.simplify(near - at).is_zero is True
    except Exception:  # noqa: BLE001 - undecided
        return False


def _power(a, b):
    if b.is_number and b.is_Rational:
        if abs(b) > MAX_EXPONENT:
            raise InputError(f"exponent too large (|{b}| > {MAX_EXPONENT})")
        if a.is_number and a.is_Rational and a != 0:
            digits = abs(float(b)) * max(math.log10(abs(a.p) + 1), math.log10(a.q + 1))
            if digits > MAX_RESULT_DIGITS:
                raise InputError("number too large (a power with over "
                                 f"{MAX_RESULT_DIGITS} digits)")
        if a == 0 and b < 0:
            raise InputError("division by zero (0 to a negative power)")
    elif b.is_number and not b.free_symbols:
        # e.g. 2**pi: keep it, but refuse towers of huge size
        if b.is_extended_real and abs(float(b.evalf(15))) > MAX_EXPONENT:
            raise InputError(f"exponent too large (> {MAX_EXPONENT})")
    return sympy.Pow(a, b)


_CATALOG_CACHE = {}


def _catalog_keys():
    from ..catalog.registry import _ALIASES, _load
    _load()
    return list(_ALIASES)


def _catalog_name(ident):
    """The catalog Definition for ``ident`` (exact name or alias), or None."""
    if ident in _CATALOG_CACHE:
        return _CATALOG_CACHE[ident]
    from ..catalog.registry import lookup
    try:
        d = lookup(ident)
    except SymactsError:
        d = None
    _CATALOG_CACHE[ident] = d
    return d


def _split_where(text):
    """(claim, where-or-None) split at the top-level word ``where``."""
    depth, spots = 0, []
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except tokenize.TokenError:
        raise InputError("cannot read the claim: unbalanced brackets") from None
    except (IndentationError, SyntaxError) as e:
        raise InputError(f"cannot read the claim: {str(e).splitlines()[0]}") from None
    for tok in toks:
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif tok.type == tokenize.NAME and tok.string == "where":
            if depth != 0:
                raise InputError("`where` belongs at the end of the claim, outside brackets")
            spots.append(tok.start)
    if not spots:
        return text, None
    if len(spots) > 1:
        raise InputError("a claim has at most one `where` clause")
    (row, col), = spots
    lines = text.split("\n")
    offset = sum(len(l) + 1 for l in lines[:row - 1]) + col
    return text[:offset], text[offset + len("where"):]


def _check_text(text):
    if not isinstance(text, str):
        raise InputError(f"a claim is a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise InputError(f"claim too long ({len(text)} characters; at most {MAX_LENGTH})")
    if not text.strip():
        raise InputError("empty claim")
    depth = worst = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            worst = max(worst, depth)
        elif ch in ")]}":
            depth -= 1
    if worst > MAX_DEPTH // 2:
        raise InputError(f"claim nested too deeply (more than {MAX_DEPTH // 2} brackets)")
    if "\x00" in text:
        raise InputError("claim contains a NUL character")


_DECIMAL = re.compile(r"^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$")


def _decimal_literal(literal, v):
    """The exact value of a decimal literal as written (``0.1`` is 1/10, and
    ``1e-400`` is 10**-400, not the float 0.0), bounded like the integers.

    >>> _decimal_literal("-0.27846454276107379511".lstrip("-"), 0.0)
    27846454276107379511/100000000000000000000
    >>> _decimal_literal("1e-400", 0.0) == Rational(1, 10**400)
    True
    """
    m = _DECIMAL.match((literal or "").replace("_", ""))
    if literal is None or m is None or not (m.group(1) or m.group(2)):
        if not math.isfinite(v):
            raise InputError("number too large (not a finite float)")
        return Rational(repr(v))  # only when the source text is unavailable
    whole, frac, ex = m.group(1) or "", m.group(2) or "", int(m.group(3) or 0)
    if len(whole) + len(frac) > MAX_INT_DIGITS:
        raise InputError(f"number literal too long (over {MAX_INT_DIGITS} digits)")
    if abs(ex) > MAX_DECIMAL_EXPONENT:
        raise InputError(f"number too large or too small: {literal} "
                         f"(decimal exponents up to ±{MAX_DECIMAL_EXPONENT})")
    return Rational(int(whole + frac or "0")) * Rational(10) ** (ex - len(frac))


def _annotate_literals(tree, src):
    """Record the source text of every float literal (its exact decimal)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            node.literal = ast.get_source_segment(src, node)


def _ast(text, what):
    try:
        src = text.strip()
        body = ast.parse(src, mode="eval").body
        _annotate_literals(body, src)
        return body
    except SyntaxError as e:
        raise InputError(f"cannot read the {what}: {e.msg}"
                         + (f" at column {e.offset}" if e.offset else "")) from None
    except (RecursionError, MemoryError, ValueError):
        raise InputError(f"cannot read the {what}: too large or too deeply nested") from None


def parse_formula(text, walker=None):
    """Parse one formula (no ``where``); returns (formula, walker)."""
    _check_text(text)
    walker = walker or _Walker()
    node = _ast(text, "claim")
    try:
        return walker.formula(node), walker
    except RecursionError:
        raise InputError("claim nested too deeply") from None


def parse(text, where=None):
    """Parse ``text`` (and an optional extra ``where`` string) into a Statement."""
    _check_text(text)
    body, where_text = _split_where(text)
    if not body.strip():
        raise InputError("the claim before `where` is empty")
    walker = _Walker()
    formula, _ = parse_formula(body, walker)
    conds = []
    for w in (where_text, where):
        if w is None:
            continue
        if not isinstance(w, str) or not w.strip():
            raise InputError("`where` needs a condition, e.g. where 0 < p < 1")
        conds.append(parse_formula(w, walker)[0])
    cond = None if not conds else conds[0] if len(conds) == 1 else C.And(tuple(conds))
    domains = dict(walker.domains)
    if cond is not None:
        _narrow(cond, domains)
    return C.Statement(text.strip(), formula, cond, domains, walker.lost(formula, cond))


def _narrow(cond, domains):
    """Intersect domains with the simple bounds ``x op number`` in ``cond``."""
    parts = cond.args if isinstance(cond, C.And) else (cond,)
    for p in parts:
        if isinstance(p, C.And):
            _narrow(p, domains)
            continue
        if not isinstance(p, C.Rel) or p.op == "!=":
            continue
        for var, val, left in ((p.lhs, p.rhs, True), (p.rhs, p.lhs, False)):
            if isinstance(var, Symbol) and val.is_number and val.is_extended_real:
                iv = C.interval_of(p.op, val, left)
                new = domains.get(var, S.Reals).intersect(iv)
                if new is S.EmptySet:
                    raise InputError(f"the where clause leaves no value for {var}")
                domains[var] = new
