"""Unevaluated operator nodes of the claim language: ``sup``, ``inf``,
``argmax``, ``argmin``, ``limit``, ``expect`` (``integrate`` is SymPy's
``Integral``). The parser builds them; :mod:`.operators` replaces each by an
exact value or a certified constant before any prover runs.

>>> from sympy import Symbol
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> Sup(sigmoid(x), x)
sup(sigmoid(x), x)
"""
from __future__ import annotations

from sympy import Function, S

__all__ = ["Sup", "Inf", "ArgMax", "ArgMin", "LimitOp", "Expect", "OPERATORS",
           "Certified", "Jumps"]


class _Op(Function):
    _label = "op"

    def _sympystr(self, printer):
        return f"{self._label}({', '.join(printer._print(a) for a in self.args)})"

    def _latex(self, printer, exp=None):
        body = rf"\operatorname{{{self._label}}}\left({', '.join(printer._print(a) for a in self.args)}\right)"
        return body if exp is None else rf"{body}^{{{exp}}}"

    def _eval_is_real(self):
        return True

    def _eval_is_extended_real(self):
        return True


class Sup(_Op):
    """sup of args[0] over args[1] (in the variable's domain)."""
    nargs = 2
    _label = "sup"


class Inf(_Op):
    nargs = 2
    _label = "inf"


class ArgMax(_Op):
    nargs = 2
    _label = "argmax"


class ArgMin(_Op):
    nargs = 2
    _label = "argmin"


class LimitOp(_Op):
    """limit(e, x, point, side) with side 1 ('+'), -1 ('-') or 0 (both)."""
    nargs = 4
    _label = "limit"

    def _sympystr(self, printer):
        e, x, p, side = self.args
        s = {1: ", '+'", -1: ", '-'"}.get(int(side), "")
        return f"limit({printer._print(e)}, {x}, {printer._print(p)}{s})"


class Expect(_Op):
    """E[e] over x ~ N(mu, sigma^2): args (e, x, mu, sigma)."""
    nargs = 4
    _label = "expect"

    def _sympystr(self, printer):
        e, x, mu, sigma = self.args
        tail = "" if (mu, sigma) == (S.Zero, S.One) else \
            f", {printer._print(mu)}, {printer._print(sigma)}"
        return f"expect({printer._print(e)}, {x}{tail})"


class Certified(_Op):
    """A constant known by an enclosure only: args (index,). See operators."""
    nargs = 1
    _label = "c"


class Jumps(_Op):
    """What ``diff`` in args[1] of the function labelled args[0] (a ``Str``)
    could not take, for the reason args[2] (a ``Str``): jumps that could not be
    located (the breakpoints of a Piecewise depend on a parameter:
    hardshrink(x, l) at ±l), or an integral whose integrand may jump (its
    derivative does not exist there). A claim that has one is not decided
    (:func:`~.operators.reduce_statement`)."""
    nargs = 3
    _label = "jumps"

    def _eval_derivative(self, s):
        return self  # its derivative is no better located


OPERATORS = (Sup, Inf, ArgMax, ArgMin, LimitOp, Expect)
