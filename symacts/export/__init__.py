"""The export layer: the one numeric path from SymPy expressions to numbers.

:func:`export` turns an activation (or any expression in one variable) and
its derivatives into fast, accurate vectorised float code by stable rewrite
rules on the expression tree (:mod:`.rules`); ``mp`` evaluates at any
precision with mpmath; ``arb`` gives rigorous enclosures with python-flint.

>>> import numpy as np
>>> from symacts.export import export
>>> softplus = export("softplus")
>>> softplus(np.array([-800.0, 0.0, 710.0]))
array([0.00000000e+00, 6.93147181e-01, 7.10000000e+02])
>>> float(export("sigmoid", order=1)(40.0))
4.248354255291589e-18
"""
from __future__ import annotations

import sys
import types

import mpmath
import sympy

from ..errors import InputError

__all__ = ["export", "resolve", "limits_at_infinity", "BACKENDS"]

BACKENDS = ("numpy", "mpmath", "torch", "jax")


def resolve(name_or_expr, order=0, **params):
    """``(expr, variable, label)`` for a catalog name, an Activation or an expression.

    >>> resolve("silu", order=1)[0]
    x*(1 - sigmoid(x))*sigmoid(x) + sigmoid(x)
    """
    from ..catalog import Activation, X, get
    if order is None or int(order) != order or order < 0:
        raise InputError(f"derivative order must be a non-negative integer, got {order}")
    order = int(order)
    if isinstance(name_or_expr, str):
        act = get(name_or_expr, **params)
    elif isinstance(name_or_expr, Activation):
        act = name_or_expr.with_params(**params) if params else name_or_expr
    else:
        if params:
            raise InputError("parameters go with a catalog name; substitute them "
                             "into the expression yourself")
        expr = sympy.sympify(name_or_expr)
        free = sorted(expr.free_symbols, key=str)
        if len(free) > 1:
            raise InputError("export takes an expression in one variable, got "
                             + ", ".join(map(str, free)))
        var = free[0] if free else X
        label = "f" if order == 0 else f"f_d{order}"
        return (sympy.diff(expr, var, order) if order else expr), var, label
    if not act.is_scalar:
        raise InputError(f"{act.name} is a vector activation; export takes scalar ones")
    if act.expr.free_symbols - {act.variable}:
        raise InputError(f"{act.name} has a symbolic parameter; give it a value")
    label = act.name if order == 0 else f"{act.name}_d{order}"
    return act.diff(order), act.variable, label


def limits_at_infinity(expr, var):
    """``(f(+inf), f(-inf))`` as floats from the mpmath backend (nan: no limit).

    >>> from symacts.functions import sigmoid
    >>> x = sympy.Symbol('x', real=True)
    >>> limits_at_infinity(x * sigmoid(x), x)
    (inf, -0.0)
    """
    from .mp import mp_lambdify
    f = mp_lambdify(expr, var)
    out = []
    for s in (1, -1):
        out.append(_limit_one(f, s))
    return tuple(out)


def _limit_one(f, s):
    with mpmath.workdps(30):
        try:
            v = f(s * mpmath.inf)
            if isinstance(v, mpmath.mpc):
                return float("nan")  # not real out there (log, sqrt of x < 0)
            if not mpmath.isnan(v):
                return float(v)
        except (ArithmeticError, ValueError, TypeError):
            pass
        vals = []  # the value far out, at the first three magnitudes that evaluate
        for mag in ("1.7976931348623157e308", "4.49e307", "1e300", "1e200", "1e100",
                    "1e50", "1e30"):
            try:
                v = f(s * mpmath.mpf(mag))
            except (ArithmeticError, ValueError, TypeError):
                continue
            if isinstance(v, mpmath.mpc) or mpmath.isnan(v):
                return float("nan")
            vals.append(v)
            if len(vals) == 3:
                break
        fl = [float(v) for v in vals]
        if len(fl) >= 2 and all(v == fl[0] for v in fl):
            return fl[0]  # the same float far out (a finite limit, 1e305 too)
        if len(vals) >= 2 and all(abs(v) >= mpmath.mpf("1e300") for v in vals) \
                and len({mpmath.sign(v) for v in vals}) == 1 \
                and all(abs(a) > abs(b) for a, b in zip(vals, vals[1:])):
            return float(mpmath.sign(vals[0]) * mpmath.inf)  # huge and growing with |x|
        return float("nan")


def export(name_or_expr, backend="numpy", order=0, **params):
    """A vectorised function for the ``order``-th derivative of an activation.

    ``name_or_expr`` is a catalog name (parameters as keywords), an
    Activation, or a SymPy expression in one variable. The numpy backend
    returns float64 for float64 (and integer) input, float32 for float32, any
    shape, no warnings, with ±inf mapped to the limits; ``mpmath`` returns the
    high-precision function of :mod:`symacts.export.mp`; ``torch`` and ``jax``
    print the same stabilised tree with torch / jax.numpy ops, and their
    gradient (autograd, ``jax.grad``) is the exported derivative
    (:mod:`.torch_backend`, :mod:`.jax_backend`).

    >>> import numpy as np
    >>> gelu = export("gelu")
    >>> float(gelu(-10.0))
    -7.619853024160526e-23
    >>> export("tanh", order=1)(np.float32([0, 20])).dtype
    dtype('float32')
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    try:
        return _export(name_or_expr, backend, order, **params)
    except OverflowError as e:  # a constant of the float code past 1.8e308
        raise InputError(f"cannot export this in float64: a constant of its float code "
                         f"is out of the float range ({e}); try a less extreme parameter") from None


def _export(name_or_expr, backend, order, **params):
    if backend == "torch":
        from .torch_backend import compile_torch
        return compile_torch(name_or_expr, order, **params)
    if backend == "jax":
        from .jax_backend import compile_jax
        return compile_jax(name_or_expr, order, **params)
    expr, var, label = resolve(name_or_expr, order, **params)
    if backend == "mpmath":
        from .mp import mp_lambdify
        return mp_lambdify(expr, var)
    if backend == "numpy":
        from .numpy_backend import compile_numpy
        fn = compile_numpy(expr, var, label, limits=limits_at_infinity(expr, var))
    fn.expr = expr
    fn.variable = var
    return fn


class _CallableModule(types.ModuleType):
    """``symacts.export(...)`` calls :func:`export`; ``symacts.export.mp`` stays a module."""

    def __call__(self, *args, **kwargs):
        return export(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
