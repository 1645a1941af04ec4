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
    return k_mul_tail(0.25, (k_sech2((x / 2.0)) / 4.0), (x / 2.0), 1)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from ..errors import InputError
from . import limits_at_infinity, resolve
from .array_printer import array_source, kernel_sources

__all__ = ["Level", "value_source", "need", "kernels_for", "defined_name"]

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
        """The level of ``order``, printed as the NumPy backend prints it (its
        ``exp_tails`` form, tail kernels, root patches); where that needs a
        kernel ``dialect`` lacks, the plain stabilised tree, then its basic
        printing (no tail kernels), rather than an error."""
        from .rules import exp_tails, stabilize
        expr, var, label = resolve(name_or_expr, order, **params)
        plain = stabilize(expr, var)
        forms = [(exp_tails(plain, var), False), (plain, False), (plain, True)]
        error = None
        for i, (stable, basic) in enumerate(forms):
            if i and stable == forms[i - 1][0] and basic == forms[i - 1][1]:
                continue
            try:
                core = _core(expr, var, label, dialect, stable, basic)
            except InputError as e:
                error = error or e
                continue
            return cls(expr, var, label, order, limits_at_infinity(expr, var), core)
        raise error


def _core(expr, var, label, dialect, stable, basic):
    from .patch import root_patches
    text = array_source(expr, var, "_" + label, dialect, stable=stable, basic=basic)
    try:
        patches = root_patches(expr, var, stable)
    except InputError:
        patches = ()  # e.g. a node the NumPy core cannot print: no patch, same formula
    if not patches:
        return text
    # the NumPy backend's root patches, the same data
    return (array_source(expr, var, f"_{label}_g", dialect, stable=stable, basic=basic)
            + "\n\n" + patch_source(patches, "_" + label, dialect))


def patch_source(patches, name, dialect):
    """``name(x)``: the core ``name_g`` with root patches applied (``k_root_patch``)."""
    from .patch import PIECE, scaled_x, table_text
    # jax: a nested list, made an array of x's dtype by k_poly_table (an array made
    # at load time would be float32 if x64 was enabled only afterwards)
    arr = "torch.tensor" if dialect.name == "torch" else ""
    dt = ", dtype=torch.float64" if dialect.name == "torch" else ""
    lines = []
    for i, p in enumerate(patches):
        rows = table_text(p)  # the same table as the NumPy backend's
        lines.append(f"{name}_P{i} = ({p.lo!r}, {p.hi!r}, {p.root!r}, {p.root_lo!r}, "
                     f"{p.mult}, {PIECE!r}, {arr}([\n    {rows}]{dt}))\n")
    lines += [f"def {name}(x):", f"    y = {name}_g(x)"]
    lines += [f"    y = k_root_patch({scaled_x(p)}, y, {name}_P{i})" for i, p in enumerate(patches)]
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


def kernels_for(levels, module):
    """Kernel (and table) sources used by any level's core, each once, from the
    kernel ``module`` (:mod:`.torch_kernels` or :mod:`.jax_kernels`)."""
    return kernel_sources("\n".join(lv.core for lv in levels), module.KERNELS, module)


def defined_name(src):
    """The name a kernel's or table's source defines (``def k_x(`` or ``NAME = ``)."""
    head = src.split("(")[0].split("=")[0].split()
    return head[-1]


HEADER_CONSTANTS = '_NAN = float("nan")\n_INF = float("inf")\n'
