"""Accuracy and speed of the PyTorch and JAX exports beside the libraries' own ops.

    python benchmarks/bench_export_torch_jax.py [--points 1000] [--size 1000000]

Accuracy: max ULP against 40-digit mpmath on the audit points
(symacts.export.audit.audit_points) of the export and of torch's op
(torch.nn.functional / torch.*) or jax.nn's; for a derivative, the op's
autograd derivative. JAX figures are over the whole range and, in brackets,
over points where input and result are normal floats (XLA on CPU flushes
subnormals to zero).
Speed: 10^6 float64 values 5·N(0, 1) (seed 1), best of 7. Order 0: a forward
call. Order 1: the gradient of sum(f(x)) by autograd / jax.grad (forward and
backward), i.e. what training pays. JAX functions are jitted. Prints markdown.
"""
from __future__ import annotations

import argparse
import platform
import time

import numpy as np

CASES = [("sigmoid", 0), ("sigmoid", 1), ("tanh", 0), ("tanh", 1), ("softplus", 0),
         ("softplus", 1), ("log_sigmoid", 0), ("gelu", 0), ("gelu", 1), ("gelu_tanh", 0),
         ("silu", 0), ("silu", 1), ("mish", 0), ("mish", 1), ("elu", 0), ("selu", 0),
         ("celu", 0), ("hard_swish", 0), ("tanhshrink", 0), ("softsign", 0),
         ("leaky_relu", 0), ("relu", 0)]


def _best(fn, block, repeat=7):
    block(fn())
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        block(fn())
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def _torch_speed(name, order, x):
    import torch
    from symacts.export import export
    from symacts.export.array_audit import library_op
    ours = export(name, backend="torch")
    lib = library_op("torch", name, 0)
    if order == 0:
        t_ours = _best(lambda: ours(x), lambda y: y)
        t_lib = _best(lambda: lib[1](x), lambda y: y) if lib else None
        return t_ours, t_lib

    def grad(f):
        def run():
            w = x.detach().requires_grad_(True)
            (g,) = torch.autograd.grad(f(w).sum(), w)
            return g
        return run
    return (_best(grad(ours), lambda y: y),
            _best(grad(lib[1]), lambda y: y) if lib else None)


def _jax_speed(name, order, x):
    import jax
    from symacts.export import export
    from symacts.export.array_audit import library_op
    ours = export(name, backend="jax")
    lib = library_op("jax", name, 0)
    if order == 0:
        f_ours, f_lib = jax.jit(ours), (jax.jit(lib[1]) if lib else None)
    else:
        f_ours = jax.jit(jax.grad(lambda v: ours(v).sum()))
        f_lib = jax.jit(jax.grad(lambda v: lib[1](v).sum())) if lib else None
    block = jax.block_until_ready
    return (_best(lambda: f_ours(x), block),
            _best(lambda: f_lib(x), block) if f_lib else None)


def _fmt(v, digits=3):
    return "-" if v is None else f"{v:.{digits}g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1000)
    ap.add_argument("--size", type=int, default=10**6)
    args = ap.parse_args()
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import torch
    from symacts.export.array_audit import audit_backend
    big = np.random.default_rng(1).standard_normal(args.size) * 5
    xt, xj = torch.from_numpy(big), jnp.asarray(big)
    print(f"Machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), jax {jax.__version__}; "
          f"{time.strftime('%Y-%m-%d', time.gmtime())}")
    print(f"copy of 10^6 float64: torch {_best(lambda: xt.clone(), lambda y: y):.2f} ms, "
          f"jax {_best(lambda: jax.jit(lambda v: v + 0)(xj), jax.block_until_ready):.2f} ms\n")
    print("| function | torch export ULP | torch op | its ULP | export ms | op ms | ratio |"
          " jax export ULP (normal) | jax op | its ULP | export ms | op ms | ratio |")
    print("|---" * 13 + "|")
    for name, order in CASES:
        label = name + "'" * order
        row = [label]
        for backend, speed, x in (("torch", _torch_speed, xt), ("jax", _jax_speed, xj)):
            r = audit_backend(name, order, backend=backend, n=args.points, speed=False)
            acc = _fmt(r["export"]["max_ulp"])
            if backend == "jax":
                acc += f" ({_fmt(r['export_normal']['max_ulp'])})"
            lib = r["library"]
            t_ours, t_lib = speed(name, order, x)
            row += [acc, f"`{lib['op']}`" if lib else "-",
                    _fmt(lib["max_ulp"]) if lib else "-", f"{t_ours:.2f}",
                    _fmt(t_lib, 3) if t_lib else "-",
                    f"{t_ours / t_lib:.2f}" if t_lib else "-"]
        print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
