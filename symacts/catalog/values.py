"""Safe conversion of user-given parameter values to exact SymPy numbers.

Strings are parsed with :mod:`ast` and a whitelist (numbers, ``+ - * / **``,
``pi``, ``E``, ``sqrt``, ``exp``, ``log``); nothing reaches ``eval`` or
``sympify``. Python floats are read as the decimal they print as, so
``0.2`` becomes ``1/5`` exactly.

>>> to_exact("1/3"), to_exact(0.2), to_exact("sqrt(2)/2"), to_exact(3)
(1/3, 1/5, sqrt(2)/2, 3)
"""
from __future__ import annotations

import ast
import numbers
from fractions import Fraction

import sympy
from sympy import Basic, Integer, Rational, S

from ..errors import InputError

__all__ = ["to_exact"]

_NAMES = {"pi": S.Pi, "E": S.Exp1, "oo": S.Infinity, "inf": S.Infinity}
_CALLS = {"sqrt": sympy.sqrt, "exp": sympy.exp, "log": sympy.log}
_MAX_LEN = 200


def _number(text):
    try:
        return Rational(text)
    except (TypeError, ValueError):
        raise InputError(f"cannot read {text!r} as a number") from None


def _convert(node, depth=0):
    if depth > 20:
        raise InputError("value is nested too deeply")
    if isinstance(node, ast.Expression):
        return _convert(node.body, depth + 1)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        if isinstance(node.value, int):
            return Integer(node.value)
        return _number(repr(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        val = _convert(node.operand, depth + 1)
        return -val if isinstance(node.op, ast.USub) else val
    if isinstance(node, ast.BinOp):
        a, b = _convert(node.left, depth + 1), _convert(node.right, depth + 1)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if isinstance(node.op, ast.Div):
            if b == 0:
                raise InputError("division by zero in a parameter value")
            return a / b
        if isinstance(node.op, ast.Pow):
            if not (b.is_Rational and abs(b) <= 64):
                raise InputError("exponents in parameter values must be small rationals")
            return a ** b
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in _CALLS and len(node.args) == 1 and not node.keywords:
        return _CALLS[node.func.id](_convert(node.args[0], depth + 1))
    raise InputError("a parameter value must be a number such as 2, 0.5, 1/3 "
                     "or sqrt(2)")


def to_exact(value):
    """Convert ``value`` (number, string or SymPy expression) to an exact SymPy number.

    SymPy symbols are passed through unchanged (a symbolic parameter).

    >>> to_exact("2*pi")
    2*pi
    >>> to_exact("__import__('os')")
    Traceback (most recent call last):
    ...
    symacts.errors.InputError: a parameter value must be a number such as 2, 0.5, 1/3 or sqrt(2)
    """
    if isinstance(value, Basic):
        if value.is_Float:
            return _number(str(value))
        return value
    if isinstance(value, bool):
        raise InputError("a parameter value must be a number, not a boolean")
    if isinstance(value, numbers.Integral):
        return Integer(int(value))
    if isinstance(value, Fraction):
        return Rational(value.numerator, value.denominator)
    if isinstance(value, numbers.Real):
        f = float(value)
        if f != f or f in (float("inf"), float("-inf")):
            raise InputError(f"a parameter value must be finite, not {f}")
        return _number(repr(f))
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > _MAX_LEN:
            raise InputError("a parameter value must be a short number such as 2 or 1/3")
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError:
            raise InputError(f"cannot read {value!r} as a number") from None
        return _convert(tree)
    raise InputError(f"cannot use {value!r} of type {type(value).__name__} "
                     "as a parameter value")
