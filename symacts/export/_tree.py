"""A compiler from SymPy expression trees to Python closures, shared by the
high-precision backends (mpmath, arb). A backend subclass says how to build
constants and apply each operation; the walk and the name table live here.

>>> import mpmath
>>> from sympy import Symbol, exp
>>> from symacts.export.mp import MpCompiler
>>> x = Symbol('x')
>>> f = MpCompiler().compile(exp(x) + 1, [x])
>>> f(mpmath.mpf(0))
mpf('2.0')
"""
from __future__ import annotations

import sympy
from sympy import (Abs, Add, DiracDelta, Heaviside, LambertW, Max, Min, Mul,
                   Piecewise, Pow, Symbol, sign)
from sympy.logic.boolalg import And, BooleanFalse, BooleanTrue, Not, Or

from ..errors import InputError
from ..functions import Phi, logit, phi, sigmoid, softplus

__all__ = ["Compiler", "UnsupportedExpression"]


class UnsupportedExpression(InputError):
    """The expression holds a node the numeric backends cannot evaluate."""


#: SymPy function class -> backend method name (one argument each)
UNARY = {
    sympy.exp: "exp", sympy.log: "log", sympy.sin: "sin", sympy.cos: "cos",
    sympy.tan: "tan", sympy.tanh: "tanh", sympy.sinh: "sinh", sympy.cosh: "cosh",
    sympy.atan: "atan", sympy.asinh: "asinh", sympy.acosh: "acosh",
    sympy.atanh: "atanh", sympy.asin: "asin", sympy.acos: "acos",
    sympy.sech: "sech", sympy.erf: "erf", sympy.erfc: "erfc",
    Abs: "abs", sign: "sign", sigmoid: "sigmoid", logit: "logit", Phi: "Phi",
    phi: "phi", LambertW: "lambertw", DiracDelta: "dirac",
}

_RELATIONS = {sympy.StrictLessThan: "lt", sympy.LessThan: "le",
              sympy.StrictGreaterThan: "gt", sympy.GreaterThan: "ge",
              sympy.Equality: "eq", sympy.Unequality: "ne"}


class Compiler:
    """Walk a SymPy tree once; return a closure of the variables' values.

    Subclasses implement ``const(expr)``, ``add(a, b)``, ``mul(a, b)``,
    ``pow(base, e, exact_exponent)``, one method per name in :data:`UNARY`,
    ``softplus(x, beta)``, ``heaviside(x, h0)``, ``maximum``/``minimum``,
    ``compare(op, a, b)`` returning True/False/None (undecided), and
    ``piecewise(pairs, x_values)``.
    """

    def compile(self, expr, variables):
        expr = sympy.sympify(expr)
        variables = list(variables)
        free = expr.free_symbols - set(variables)
        if free:
            names = ", ".join(sorted(str(s) for s in free))
            raise InputError(f"expression has free symbols {names} besides "
                             f"{', '.join(map(str, variables)) or 'none'}")
        index = {v: i for i, v in enumerate(variables)}
        fn = self._node(expr, index)

        def evaluate(*values):
            return fn(values)
        evaluate.expr = expr
        return evaluate

    # -- the walk ----------------------------------------------------------
    def _node(self, e, index):
        if isinstance(e, Symbol):
            i = index[e]
            return lambda v: v[i]
        if e.is_Number or e.is_NumberSymbol or e in (sympy.S.Infinity,
                                                      sympy.S.NegativeInfinity):
            return self._constant(e)
        if isinstance(e, Add):
            parts = [self._node(a, index) for a in e.args]
            add = self.add
            def f_add(v):
                acc = parts[0](v)
                for p in parts[1:]:
                    acc = add(acc, p(v))
                return acc
            return f_add
        if isinstance(e, Mul):
            parts = [self._node(a, index) for a in e.args]
            mul = self.mul
            def f_mul(v):
                acc = parts[0](v)
                for p in parts[1:]:
                    acc = mul(acc, p(v))
                return acc
            return f_mul
        if isinstance(e, Pow):
            base = self._node(e.base, index)
            ex = e.exp
            if ex.is_Rational:
                pw = self.pow
                return lambda v: pw(base(v), None, ex)
            expo = self._node(ex, index)
            pw = self.pow
            return lambda v: pw(base(v), expo(v), None)
        if isinstance(e, softplus):
            a = self._node(e.args[0], index)
            b = self._node(e.beta, index)
            sp = self.softplus
            return lambda v: sp(a(v), b(v))
        if isinstance(e, Heaviside):
            a = self._node(e.args[0], index)
            h0 = e.args[1] if len(e.args) > 1 else sympy.S.Half
            h0c = self._node(h0, index)
            hv = self.heaviside
            return lambda v: hv(a(v), h0c(v))
        if isinstance(e, (Max, Min)):
            parts = [self._node(a, index) for a in e.args]
            op = self.maximum if isinstance(e, Max) else self.minimum
            def f_ext(v):
                acc = parts[0](v)
                for p in parts[1:]:
                    acc = op(acc, p(v))
                return acc
            return f_ext
        if isinstance(e, Piecewise):
            pairs = [(self._node(ex, index), self._cond(c, index)) for ex, c in e.args]
            pw = self.piecewise
            return lambda v: pw(pairs, v)
        func = type(e)
        if func in UNARY and len(e.args) == 1:
            a = self._node(e.args[0], index)
            method = getattr(self, UNARY[func])
            return lambda v: method(a(v))
        raise UnsupportedExpression(
            f"cannot evaluate {func.__name__}(...) numerically in {self.name} "
            f"(in {sympy.sstr(e)[:80]})")

    def _constant(self, e):
        c = self.const
        return lambda v: c(e)

    def _cond(self, c, index):
        if isinstance(c, BooleanTrue) or c is True:
            return lambda v: True
        if isinstance(c, BooleanFalse) or c is False:
            return lambda v: False
        rel = _RELATIONS.get(type(c))
        if rel is not None:
            a, b = self._node(c.lhs, index), self._node(c.rhs, index)
            cmp = self.compare
            return lambda v: cmp(rel, a(v), b(v))
        if isinstance(c, (And, Or)):
            parts = [self._cond(a, index) for a in c.args]
            return (lambda v: _and([p(v) for p in parts])) if isinstance(c, And) \
                else (lambda v: _or([p(v) for p in parts]))
        if isinstance(c, Not):
            p = self._cond(c.args[0], index)
            return lambda v: _not(p(v))
        raise UnsupportedExpression(f"cannot evaluate the condition {c}")

    name = "this backend"


def _and(vals):
    if any(v is False for v in vals):
        return False
    if all(v is True for v in vals):
        return True
    return None


def _or(vals):
    if any(v is True for v in vals):
        return True
    if all(v is False for v in vals):
        return False
    return None


def _not(v):
    return None if v is None else not v
