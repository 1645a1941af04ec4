"""The PyTorch backend: the stabilised tree printed with torch ops, wrapped in a
``torch.autograd.Function`` whose backward is the *exported derivative* (the
next order, itself exported the same way), not autograd through the
stabilised code. So ``torch.autograd.grad`` gives the stable symbolic
derivative, at every order (``create_graph=True`` chains the next levels).

Float tensors keep their dtype (computed in float64, rounded once), integer
and bool input gives float64, any shape, no warnings, nan/±inf as the NumPy
backend. ``symacts export --backend torch`` writes the same text as a module
importing only torch. Printing needs no torch:

>>> print(function_source("silu", "silu_d1"))
class _SiluFn(torch.autograd.Function):
    \"\"\"silu on float64 tensors; its backward is the exported silu_d1.\"\"\"
<BLANKLINE>
    @staticmethod
    def forward(ctx, w):
        ctx.save_for_backward(w)
        return _blocks(_silu_value, w)
<BLANKLINE>
    @staticmethod
    def backward(ctx, g):
        (w,) = ctx.saved_tensors
        return g * _silu_grad(w)
"""
from __future__ import annotations

from ..errors import InputError
from . import torch_kernels
from .array_backend import (HEADER_CONSTANTS, Level, defined_name, kernels_for, need,
                            value_source)
from .array_printer import TORCH

__all__ = ["compile_torch", "module_body", "function_source", "IMPORTS", "CALL"]

IMPORTS = "import torch\n"

#: the public entry: dtype handling around an autograd Function; the core run by blocks
CALL = '''
def _call(fn, x):
    """Apply ``fn`` in float64; float in -> same dtype out, int/bool -> float64."""
    t = torch.as_tensor(x)
    if t.is_complex():
        raise TypeError("takes real numbers, got dtype " + str(t.dtype))
    dt = t.dtype if t.is_floating_point() else torch.float64
    y = fn.apply(t.to(torch.float64))
    return y if dt == torch.float64 else y.to(dt)


_BLOCK = 32768


def _blocks(f, w):
    """``f`` on ``w`` flattened, block by block: the cores are elementwise, so
    the values are the same, but each pass then reads cache and no fresh 8 MB
    temporary is page-faulted in."""
    wf = w.reshape(-1)
    n = wf.numel()
    if n <= _BLOCK:
        return torch.broadcast_to(f(wf), wf.shape).reshape(w.shape)
    out = torch.empty_like(wf)
    for i in range(0, n, _BLOCK):
        out[i:i + _BLOCK] = f(wf[i:i + _BLOCK])
    return out.reshape(w.shape)
'''.lstrip("\n")


def _cls(label):
    return "_" + "".join(p.capitalize() for p in label.split("_")) + "Fn"


def function_source(label, next_label):
    """The autograd Function of one level; backward calls ``_label_grad``."""
    return (f"class {_cls(label)}(torch.autograd.Function):\n"
            f'    """{label} on float64 tensors; its backward is the exported '
            f'{next_label}."""\n\n'
            "    @staticmethod\n    def forward(ctx, w):\n        ctx.save_for_backward(w)\n"
            f"        return _blocks(_{label}_value, w)\n\n"
            "    @staticmethod\n    def backward(ctx, g):\n        (w,) = ctx.saved_tensors\n"
            f"        return g * _{label}_grad(w)")


def _core_at_specials(level, ns):
    torch = ns["torch"]
    with torch.no_grad():
        y = ns["_" + level.label](torch.tensor([float("nan"), float("inf"), float("-inf")],
                                               dtype=torch.float64))
        y = torch.broadcast_to(y, (3,))
    return [float(v) for v in y]


def _run(text, ns):
    exec(compile(text, "<symacts torch export>", "exec"), ns)  # noqa: S102 - our own printed code
    return ns


def _namespace():
    torch = need("torch")
    ns = {"torch": torch, "__name__": "symacts_torch_export"}
    _run(HEADER_CONSTANTS, ns)
    return ns


def level_source(level, ns):
    """Kernels (not yet in ``ns``), core and value function of ``level``, run in ``ns``."""
    kern = [k for k in kernels_for([level], torch_kernels) if defined_name(k) not in ns]
    text = "\n\n".join(kern + [level.core])
    _run(text, ns)
    value = value_source(level, "torch.where", _core_at_specials(level, ns))
    _run(value, ns)
    return "\n\n".join(kern + [level.core, value])


def module_body(name_or_expr, order, params, docs):
    """Module text after the imports: levels order, order + 1 (public, with
    docstrings ``docs[label]``) and order + 2 (the derivative's backward)."""
    ns = _namespace()
    parts = [HEADER_CONSTANTS.rstrip("\n"), CALL.rstrip("\n")]
    levels, last_error = [], ""
    for k in (order, order + 1, order + 2):
        try:
            levels.append(Level.of(name_or_expr, k, params, TORCH))
        except InputError as e:
            if k < order + 2:
                raise
            last_error = str(e)
    for i, lv in enumerate(levels):
        parts.append(level_source(lv, ns))
        nxt = levels[i + 1].label if i + 1 < len(levels) else None
        parts.append(function_source(lv.label, nxt or f"order {lv.order + 1}"))
        if nxt:
            parts.append(f"def _{lv.label}_grad(w):\n    return {_cls(nxt)}.apply(w)")
        else:
            why = (f"order {lv.order + 1} is not in this module; export with "
                   f"--order {lv.order}" if len(levels) == 3 else last_error)
            parts.append(f"def _{lv.label}_grad(w):\n    raise RuntimeError({why!r})")
        if i < 2 and lv.label in docs:
            parts.append(f'def {lv.label}(x):\n    """{docs[lv.label]}"""\n'
                         f"    return _call({_cls(lv.label)}, x)")
    return "\n\n\n".join(parts) + "\n", levels


class _Chain:
    """Levels compiled on demand: the backward of order k calls order k + 1."""

    def __init__(self, name_or_expr, params):
        self.what, self.params, self.fns, self.ns = name_or_expr, params, {}, _namespace()
        _run(CALL, self.ns)
        self.sources = {}

    def fn(self, order):
        if order not in self.fns:
            lv = Level.of(self.what, order, self.params, TORCH)
            self.sources[order] = level_source(lv, self.ns)
            _run(function_source(lv.label, f"order {order + 1}"), self.ns)
            self.ns[f"_{lv.label}_grad"] = self._grad(order + 1)
            self.fns[order] = (self.ns[_cls(lv.label)], lv)
        return self.fns[order]

    def _grad(self, order):
        def grad(w):
            try:
                f = self.fn(order)[0]
            except InputError as e:
                raise RuntimeError(f"the derivative of order {order} cannot be exported: "
                                   f"{e}") from None
            return f.apply(w)
        return grad


def compile_torch(name_or_expr, order=0, **params):
    """The exported function of order ``order`` on tensors (see the module doc)."""
    chain = _Chain(name_or_expr, params)
    cls, lv = chain.fn(order)
    call = chain.ns["_call"]

    def fn(x):
        return call(cls, x)
    fn.__name__ = lv.label
    fn.__doc__ = f"{lv.label}({lv.var}) = {lv.expr} (PyTorch, exact derivative under autograd)"
    fn.expr, fn.variable, fn.source = lv.expr, lv.var, chain.sources[order]
    fn.autograd_function = cls
    return fn
