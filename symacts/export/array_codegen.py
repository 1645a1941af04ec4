"""Standalone PyTorch / JAX modules: ``symacts export NAME --backend torch|jax
-o FILE.py`` writes the function and its derivative (and the next order, for
the derivative's own gradient) with the autograd wiring, importing only torch
or only jax, with the formula and the audit figures of that very code (run in
this process) in the docstrings.

>>> import sympy
>>> print(module_doc("silu", "torch", [("silu(x) = x*sigmoid(x)", "max 1 ULP")]))
silu and its derivative, exported by symacts for PyTorch.
<BLANKLINE>
Float tensors keep their dtype (computed in float64, rounded once); any shape;
nan and ±inf as the limits. Under autograd the gradient is the exported
derivative (the next function here), not autograd through this code.
<BLANKLINE>
silu(x) = x*sigmoid(x)
    audit: max 1 ULP
"""
from __future__ import annotations

import sympy

from .array_backend import need

__all__ = ["array_module_text", "module_doc"]

_ABOUT = {
    "torch": ("Float tensors keep their dtype (computed in float64, rounded once); any shape;\n"
              "nan and ±inf as the limits. Under autograd the gradient is the exported\n"
              "derivative (the next function here), not autograd through this code."),
    "jax": ("Float arrays keep their dtype; the work is in float64 when x64 is enabled\n"
            "(jax.config.update('jax_enable_x64', True)), else float32. XLA on CPU\n"
            "flushes subnormal numbers to zero. jax.grad uses the exported derivative\n"
            "(a custom_jvp), not differentiation of this code; jit and vmap work."),
}


def module_doc(name, backend, lines):
    """The module docstring text: what it is, then formula and audit per function."""
    lib = {"torch": "PyTorch", "jax": "JAX"}[backend]
    body = "\n".join(f"{f}\n    audit: {a}" for f, a in lines)
    return f"{name} and its derivative, exported by symacts for {lib}.\n\n{_ABOUT[backend]}\n\n{body}"


def _audit_line(name, order, backend, params, n):
    from .array_audit import audit_backend
    dtype = "float64"
    if backend == "jax":
        import jax.numpy as jnp
        dtype = str(jnp.result_type(float))
    r = audit_backend(name, order, backend=backend, dtype=dtype, n=n, speed=False, **params)
    e = r["export"]
    line = (f"{dtype}, against 40-digit mpmath: max {e['max_ulp']:.3g} ULP (at x = "
            f"{e['worst_x']!r}), median {e['median_ulp']:.3g} ULP over {e['points']} points")
    if r.get("export_normal") and backend == "jax":
        n_ = r["export_normal"]
        line += f"; {n_['max_ulp']:.3g} ULP where input and result are normal floats"
    if r["library"]:
        lb = r["library"]
        line += f"; {lb['op']}: max {lb['max_ulp']:.3g} ULP (at x = {lb['worst_x']!r})"
    return line


def array_module_text(name, order=0, backend="torch", audit_points=2000, **params):
    """The source of a standalone torch or jax module for ``name``."""
    need(backend)
    if backend == "torch":
        from .torch_backend import IMPORTS, module_body
    else:
        from .jax_backend import IMPORTS, module_body
    from . import resolve
    docs, lines = {}, []
    for k in (order, order + 1):
        expr, var, label = resolve(name, k, **params)
        audit = _audit_line(name, k, backend, params, audit_points) if audit_points else "-"
        formula = f"{label}({var}) = {sympy.sstr(expr)}"
        docs[label] = f"{formula}\n\n    Audit ({audit})."
        lines.append((formula, audit))
    body, _ = module_body(name, order, params, docs)
    return '"""' + module_doc(name, backend, lines) + '\n"""\n' + IMPORTS + "\n\n" + body
