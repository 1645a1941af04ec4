"""The audit of the PyTorch and JAX exports, beside the library's own op.

The same points and the same reference as :mod:`symacts.export.audit` (40-digit
mpmath values of the SymPy expression, never float code): the ULP error of
``export(name, backend=...)`` and of torch's op (``torch.nn.functional``) or
``jax.nn``'s, and for order 1 of the op's autograd derivative; then the
speed of both on 10⁶ values (best of several; JAX functions jitted).

>>> sorted(library_ops("torch"))[:4]
['arctan', 'celu', 'elu', 'gelu']
"""
from __future__ import annotations

import math
import time

import numpy as np

from . import export, limits_at_infinity, resolve
from .array_backend import need
from .audit import CONTRACT_ULP, audit_points
from .reference import reference_values, ulp_error

__all__ = ["audit_backend", "format_backend_report", "library_ops", "library_op"]

#: catalog name -> (label, builder(values) -> op on the library's arrays); the
#: builder returns None when the catalog's parameters are ones the op lacks
_TORCH = {
    "sigmoid": ("torch.sigmoid", lambda t, F, v: t.sigmoid),
    "tanh": ("torch.tanh", lambda t, F, v: t.tanh),
    "arctan": ("torch.atan", lambda t, F, v: t.atan),
    "softplus": ("F.softplus", lambda t, F, v: lambda x: F.softplus(x, beta=v["beta"])),
    "gelu": ("F.gelu", lambda t, F, v: F.gelu),
    "gelu_tanh": ("F.gelu(approximate='tanh')",
                  lambda t, F, v: lambda x: F.gelu(x, approximate="tanh")),
    "silu": ("F.silu", lambda t, F, v: F.silu),
    "swish": ("F.silu", lambda t, F, v: F.silu if v["beta"] == 1 else None),
    "mish": ("F.mish", lambda t, F, v: F.mish),
    "elu": ("F.elu", lambda t, F, v: lambda x: F.elu(x, alpha=v["alpha"])),
    "selu": ("F.selu", lambda t, F, v: F.selu),
    "celu": ("F.celu", lambda t, F, v: lambda x: F.celu(x, alpha=v["alpha"])),
    "relu": ("F.relu", lambda t, F, v: F.relu),
    "relu6": ("F.relu6", lambda t, F, v: F.relu6),
    "log_sigmoid": ("F.logsigmoid", lambda t, F, v: F.logsigmoid),
    "softsign": ("F.softsign", lambda t, F, v: F.softsign),
    "tanhshrink": ("F.tanhshrink", lambda t, F, v: F.tanhshrink),
    "hard_tanh": ("F.hardtanh", lambda t, F, v: F.hardtanh),
    "hard_sigmoid": ("F.hardsigmoid", lambda t, F, v: F.hardsigmoid),
    "hard_swish": ("F.hardswish", lambda t, F, v: F.hardswish),
    "leaky_relu": ("F.leaky_relu",
                   lambda t, F, v: lambda x: F.leaky_relu(x, negative_slope=v["a"])),
    "prelu": ("F.prelu", lambda t, F, v: lambda x: F.prelu(
        x, t.tensor([v["a"]], dtype=x.dtype))),
    "softshrink": ("F.softshrink", lambda t, F, v: lambda x: F.softshrink(x, v["lambd"])),
    "hardshrink": ("F.hardshrink", lambda t, F, v: lambda x: F.hardshrink(x, v["lambd"])),
}
_JAX = {
    "sigmoid": ("jax.nn.sigmoid", lambda j, v: j.nn.sigmoid),
    "tanh": ("jnp.tanh", lambda j, v: j.numpy.tanh),
    "softplus": ("jax.nn.softplus", lambda j, v: j.nn.softplus if v["beta"] == 1 else None),
    "gelu": ("jax.nn.gelu(approximate=False)",
             lambda j, v: lambda x: j.nn.gelu(x, approximate=False)),
    "gelu_tanh": ("jax.nn.gelu", lambda j, v: j.nn.gelu),
    "silu": ("jax.nn.silu", lambda j, v: j.nn.silu),
    "swish": ("jax.nn.silu", lambda j, v: j.nn.silu if v["beta"] == 1 else None),
    "mish": ("jax.nn.mish", lambda j, v: j.nn.mish),
    "elu": ("jax.nn.elu", lambda j, v: lambda x: j.nn.elu(x, alpha=v["alpha"])),
    "selu": ("jax.nn.selu", lambda j, v: j.nn.selu),
    "celu": ("jax.nn.celu", lambda j, v: lambda x: j.nn.celu(x, alpha=v["alpha"])),
    "relu": ("jax.nn.relu", lambda j, v: j.nn.relu),
    "relu6": ("jax.nn.relu6", lambda j, v: j.nn.relu6),
    "log_sigmoid": ("jax.nn.log_sigmoid", lambda j, v: j.nn.log_sigmoid),
    "softsign": ("jax.nn.soft_sign", lambda j, v: j.nn.soft_sign),
    "hard_tanh": ("jax.nn.hard_tanh", lambda j, v: j.nn.hard_tanh),
    "hard_sigmoid": ("jax.nn.hard_sigmoid", lambda j, v: j.nn.hard_sigmoid),
    "hard_swish": ("jax.nn.hard_swish", lambda j, v: j.nn.hard_swish),
    "leaky_relu": ("jax.nn.leaky_relu",
                   lambda j, v: lambda x: j.nn.leaky_relu(x, negative_slope=v["a"])),
}


def library_ops(backend):
    """Catalog names that have an op of their own in torch / jax.nn."""
    return dict(_TORCH if backend == "torch" else _JAX)


def _values(name, params):
    from ..catalog import get
    act = get(name, **params)
    return {k: float(v) for k, v in act.values.items()}


def library_op(backend, name, order=0, **params):
    """``(label, fn)``: the library's op (order 0) or its autograd derivative
    (order 1) on the library's arrays, or None."""
    table = library_ops(backend)
    if not isinstance(name, str) or name not in table or order > 1:
        return None
    lib = need(backend)
    label, build = table[name]
    vals = _values(name, params)
    if backend == "torch":
        op = build(lib, lib.nn.functional, vals)
    else:
        op = build(lib, vals)
    if op is None:
        return None
    if order == 0:
        return label, op
    if backend == "torch":
        def d_op(x):
            w = x.detach().clone().requires_grad_(True)
            (g,) = lib.autograd.grad(op(w).sum(), w)
            return g
        return f"autograd of {label}", d_op
    return f"jax.grad of {label}", lib.vmap(lib.grad(op))


def _to_lib(backend, xs):
    if backend == "torch":
        import torch
        return torch.from_numpy(np.ascontiguousarray(xs))
    import jax.numpy as jnp
    return jnp.asarray(xs)


def _to_np(y):
    if hasattr(y, "detach"):
        y = y.detach()
    return np.asarray(y, dtype=np.float64)


def _stats(xs, got, refs, dtype):
    errs = np.array([ulp_error(g, r, dtype) for g, r in zip(got, refs)])
    ok = ~np.isnan(errs)
    if not ok.any():
        return {"max_ulp": float("nan"), "median_ulp": float("nan"), "worst_x": None,
                "points": 0, "over_contract": 0}
    e = errs[ok]
    i = int(np.argmax(e))
    return {"max_ulp": float(e[i]), "median_ulp": float(np.median(e)),
            "worst_x": float(xs[ok][i]), "points": int(ok.sum()),
            "over_contract": int((e > CONTRACT_ULP).sum())}


def _best(fn, x, block, repeat):
    block(fn(x))
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        block(fn(x))
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def _speed(backend, ours, theirs, size, dtype, repeat=7):
    big = np.random.default_rng(1).standard_normal(size).astype(dtype) * 5
    x = _to_lib(backend, big)
    if backend == "torch":
        import torch
        block, copy = (lambda y: y), torch.clone
        sp = {"threads": torch.get_num_threads()}
    else:
        import jax
        block = jax.block_until_ready
        ours = jax.jit(ours)
        theirs = jax.jit(theirs[1]) if theirs else None
        copy = jax.jit(lambda v: v + 0)
        sp = {"jit": True}
        theirs = (None, theirs) if theirs else None
    sp.update({"size": size, "export_ms": _best(ours, x, block, repeat),
               "copy_ms": _best(copy, x, block, repeat)})
    if theirs:
        sp["library_ms"] = _best(theirs[1], x, block, repeat)
    return sp


def audit_backend(name_or_expr, order=0, backend="torch", dtype="float64", n=2000,
                  speed=True, size=10**6, **params):
    """Audit ``export(..., backend=backend)`` and the library's op; a dict."""
    need(backend)
    dt = np.dtype(dtype)
    expr, var, label = resolve(name_or_expr, order, **params)
    fn = export(name_or_expr, backend=backend, order=order, **params)
    xs = audit_points(expr, var, n)
    if dt == np.float32:
        with np.errstate(over="ignore"):
            xs = np.unique(xs.astype(np.float32)).astype(np.float64)
    refs = reference_values(expr, var, xs)
    got = _to_np(fn(_to_lib(backend, xs.astype(dt))))
    report = {"name": label, "backend": backend, "order": order, "dtype": dt.name,
              "contract_ulp": CONTRACT_ULP, "export": _stats(xs, got, refs, dt),
              "library": None, "speed": None}
    tiny = float(np.finfo(dt).tiny)
    normal = np.array([(x == 0 or abs(x) >= tiny) and r is not None and
                       (r == 0 or not abs(r) < tiny) for x, r in zip(xs, refs)])
    report["export_normal"] = _stats(xs[normal], got[normal],
                                     [r for r, m in zip(refs, normal) if m], dt)
    pinf, minf = limits_at_infinity(expr, var)
    sp = _to_np(fn(_to_lib(backend, np.array([np.nan, np.inf, -np.inf], dtype=dt))))
    report["specials_ok"] = all((math.isnan(w) and math.isnan(g)) or g == w
                                for g, w in zip(sp, [math.nan, pinf, minf]))
    lib = library_op(backend, name_or_expr, order, **params)
    if lib is not None:
        ly = _to_np(lib[1](_to_lib(backend, xs.astype(dt))))
        report["library"] = {"op": lib[0], **_stats(xs, ly, refs, dt)}
    if speed:
        report["speed"] = _speed(backend, fn, lib, size, dt)
    return report


def format_backend_report(r):
    """The backend audit as text, one fact a line."""
    def acc(d):
        if d.get("worst_x") is None:
            return "no reference values"
        return (f"max {d['max_ulp']:.3g} ULP at x = {d['worst_x']!r}, "
                f"median {d['median_ulp']:.3g} ULP, {d['over_contract']} points over "
                f"{CONTRACT_ULP:g} ULP")
    lines = [f"{r['name']} [{r['backend']}, {r['dtype']}, order {r['order']}]",
             f"  export ({r['backend']}): {acc(r['export'])}; {r['export']['points']} points",
             "  nan/±inf: " + ("as the limits" if r["specials_ok"] else "WRONG")]
    if r["backend"] == "jax":
        lines.insert(2, f"  export where input and result are normal: {acc(r['export_normal'])}"
                     " (XLA on CPU flushes subnormals to zero)")
    if r["library"]:
        lines.append(f"  {r['library']['op']}: {acc(r['library'])}")
    s = r.get("speed")
    if s:
        lines.append(f"  speed on {s['size']:,} values: export {s['export_ms']:.2f} ms, "
                     f"copy {s['copy_ms']:.2f} ms"
                     + (f", {r['library']['op']} {s['library_ms']:.2f} ms "
                        f"(export/op = {s['export_ms'] / s['library_ms']:.2f})"
                        if "library_ms" in s else ""))
    return "\n".join(lines)
