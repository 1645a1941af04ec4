"""What the PyTorch and JAX backends share: one *level* per derivative order
(the printed core of the stabilised tree, and a value function that sets
nan/±inf inputs to the mpmath limits where the core gets them wrong), and the
header of a standalone module.

>>> from symacts.export.array_printer import TORCH
>>> lv = Level.of("sigmoid", 1, {}, TORCH)
>>> lv.label, lv.limits
('sigmoid_d1', (0.0, 0.0))
>>> print(lv.core)
def _sigmoid_d1(x):
    return (k_sech2((x / 2.0)) / 4.0)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from ..errors import InputError
from . import limits_at_infinity, resolve
from .array_printer import array_source, kernel_sources

__all__ = ["Level", "value_source", "need"]

_INSTALL = {"torch": "pip install torch==2.13.0 (or pip install 'symacts[torch]')",
            "jax": "pip install jax jaxlib (or pip install 'symacts[jax]')"}


def need(backend):
    """Import torch or jax, or raise an InputError that says how to install it."""
    try:
        if backend == "torch":
            import torch
            return torch
        import jax
        return jax
    except ImportError:
        raise InputError(f"the {backend} backend needs {backend}: {_INSTALL[backend]}") from None


@dataclass
class Level:
    """One derivative order: expression, label, limits at ±inf and printed core."""

    expr: sympy.Expr
    var: sympy.Symbol
    label: str
    order: int
    limits: tuple
    core: str

    @classmethod
    def of(cls, name_or_expr, order, params, dialect):
        from .patch import root_patches
        from .rules import stabilize
        expr, var, label = resolve(name_or_expr, order, **params)
        stable = stabilize(expr, var)
        try:
            patches = root_patches(expr, var, stable)
        except InputError:
            patches = ()  # e.g. a node the NumPy core cannot print: no patch, same formula
        if patches:  # the NumPy backend's root patches, the same data
            core = (array_source(expr, var, f"_{label}_g", dialect, stable=stable) + "\n\n"
                    + patch_source(patches, "_" + label, dialect))
        else:
            core = array_source(expr, var, "_" + label, dialect, stable=stable)
        return cls(expr, var, label, order, limits_at_infinity(expr, var), core)


def patch_source(patches, name, dialect):
    """``name(x)``: the core ``name_g`` with root patches applied (``k_root_patch``)."""
    from .patch import PIECE, table_text
    arr = "torch.tensor" if dialect.name == "torch" else "jnp.array"
    dt = ", dtype=torch.float64" if dialect.name == "torch" else ""
    lines = []
    for i, p in enumerate(patches):
        rows = table_text(p)  # the same table as the NumPy backend's
        lines.append(f"{name}_P{i} = ({p.lo!r}, {p.hi!r}, {p.root!r}, {p.root_lo!r}, "
                     f"{p.mult}, {PIECE!r}, {arr}([\n    {rows}]{dt}))\n")
    lines += [f"def {name}(x):", f"    y = {name}_g(x)"]
    lines += [f"    y = k_root_patch(x, y, {name}_P{i})" for i in range(len(patches))]
    lines.append("    return y")
    return "\n".join(lines)


def _lit(v):
    if math.isnan(v):
        return "_NAN"
    if math.isinf(v):
        return "_INF" if v > 0 else "-_INF"
    return repr(float(v))


def value_source(level, where, core_at_specials):
    """``def _label_value(w)``: the core, then the nan/±inf patches it needs.

    ``core_at_specials`` is the core's own output at (nan, inf, -inf), from
    running it; a patch is printed only where that differs from the limit.
    """
    want = (float("nan"),) + tuple(level.limits)
    tests = ("w != w", "w == _INF", "w == -_INF")
    lines = [f"def _{level.label}_value(w):", f"    y = _{level.label}(w)"]
    for val, got, test in zip(want, core_at_specials, tests):
        if val is None:
            continue
        same = (math.isnan(val) and math.isnan(got)) or got == val
        if not same:
            lines.append(f"    y = {where}({test}, {_lit(val)}, y)")
    lines.append("    return y")
    return "\n".join(lines)


def kernels_for(levels, kernels):
    """Kernel sources used by any level's core (each once)."""
    return kernel_sources("\n".join(lv.core for lv in levels), kernels)


HEADER_CONSTANTS = '_NAN = float("nan")\n_INF = float("inf")\n'
