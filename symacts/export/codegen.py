"""Standalone modules: ``symacts export NAME -o FILE.py`` writes the function and
its derivative as a module that imports only NumPy and SciPy, with the
formula and the audit figures in its docstring. The text is the one
:func:`symacts.export.export` executes.

>>> text = module_text("softplus", audit_points=60)
>>> "import numpy as np" in text and "def softplus_d1(x):" in text
True
"""
from __future__ import annotations

import sympy

from ..errors import InputError
from . import limits_at_infinity, resolve
from .numpy_backend import IMPORTS, module_source

__all__ = ["module_text"]


def _audit_line(name, order, params, n):
    from .audit import audit
    r = audit(name, order=order, n=n, speed=False, **params)
    e = r["export"]
    return (f"max {e['max_ulp']:.3g} ULP (at x = {e['worst_x']!r}), median "
            f"{e['median_ulp']:.3g} ULP over {e['points']} points; naive sympy.lambdify: "
            f"max {r['naive']['max_ulp']:.3g} ULP")


def module_text(name, order=0, backend="numpy", audit_points=2000, **params):
    """The source of a standalone module for ``name`` (order and order + 1)."""
    if backend in ("torch", "jax"):
        from .array_codegen import array_module_text
        return array_module_text(name, order, backend, audit_points, **params)
    if backend != "numpy":
        raise InputError(f"unknown backend {backend!r}; choose numpy, torch or jax")
    parts, doc = [], []
    for k in (order, order + 1):
        expr, var, label = resolve(name, k, **params)
        audit_line = _audit_line(name, k, params, audit_points) if audit_points else "-"
        fdoc = (f"{label}({var}) = {sympy.sstr(expr)}\n\n    Audit (float64, against "
                f"40-digit mpmath): {audit_line}.")
        parts.append(module_source(expr, var, label, doc=fdoc,
                                   limits=limits_at_infinity(expr, var)))
        doc.append(f"{label}({var}) = {sympy.sstr(expr)}\n    audit: {audit_line}")
    head = ('"""' + f"{name} and its derivative, exported by symacts (float64 and "
            "float32, any shape, no warnings).\n\n" + "\n".join(doc) + '\n"""\n')
    return head + IMPORTS + "\n\n" + "\n\n".join(parts)
