"""Dense random ULP scan of the NumPy export against the 40-digit reference.

The audit (``symacts audit``) and tests/test_export.py check fixed points; this
scan draws many random float64 inputs per range (fixed seed, the same inputs
for every function) and reports, per function and derivative order, the
largest ULP error and where it is, the largest error in each range, the mean
and how many points exceed the 2 ULP contract.

    python benchmarks/scan_export.py [NAME ...] [--order 0 1] [--points N] [--json]
                                     [--backend numpy|torch|jax] [--baselines]

``--baselines`` scans the hand-written NumPy/SciPy versions of the speed
benchmark (``symacts.export.baselines.handwritten``) instead of the export,
on the same inputs: how accurate is what the export is timed against.

NAME defaults to every scalar catalog activation (``symacts.names("scalar")``);
``--points`` is the number of points per range (default 2500, 11 ranges).

Reference: the catalog's SymPy expression (``resolve(name, order)``) through
``symacts.export.reference.reference_values``, i.e. mpmath at rising
precision until two evaluations agree to 40 digits (so cancellation inside
the reference expression is caught), and ``ulp_error`` against it. Every
point uses it (about 0.05-0.3 ms per point, measured 2026-12; no 40-digit
shortcut needed). Points where the reference is undefined (None: no
convergence or a domain error; nan, e.g. DiracDelta at its jump) are skipped
and counted in ``undefined``. RuntimeWarnings of the export are counted too.

``--backend torch`` scans the torch export (float64 tensors), ``jax`` the
jitted JAX export with x64 enabled, where points whose input or reference
is subnormal are counted as undefined (XLA on CPU flushes subnormals).

Ranges: uniform on [-750, -40], [-40, -8], [-8, -2], [-2, -0.5],
[-0.5, 0.5], [0.5, 2], [2, 8], [8, 40], [40, 750], and log-uniform
magnitudes 1e-320..1e308 of either sign.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings

import mpmath
import numpy as np

import symacts
from symacts.errors import InputError
from symacts.export import export, resolve
from symacts.export.mp import mp_lambdify
from symacts.export.reference import reference_values, ulp_error

CONTRACT = 2.0
SEED = 20261205

LINEAR = [(-750, -40), (-40, -8), (-8, -2), (-2, -0.5), (-0.5, 0.5),
          (0.5, 2), (2, 8), (8, 40), (40, 750)]
RANGES = [f"[{a:g}, {b:g}]" for a, b in LINEAR] + ["-log", "+log"]


def sample(points, seed=SEED):
    """{range label: sorted float64 inputs}; each range has its own stream."""
    out = {}
    for i, label in enumerate(RANGES):
        rng = np.random.default_rng([seed, i])
        if i < len(LINEAR):
            a, b = LINEAR[i]
            xs = rng.uniform(a, b, points)
        else:
            sign = -1.0 if label == "-log" else 1.0
            xs = sign * 10.0 ** rng.uniform(-320, 308, points)
        out[label] = np.sort(xs)
    return out


TINY = 2.2250738585072014e-308


def _exported(name, order, backend):
    """export(name, order) as a function of a float64 NumPy array."""
    if backend == "numpy":
        return export(name, order=order)
    if backend == "torch":
        import torch
        f = export(name, order=order, backend="torch")
        return lambda xs: f(torch.tensor(xs, dtype=torch.float64)).numpy()
    import jax
    jax.config.update("jax_enable_x64", True)
    f = jax.jit(export(name, order=order, backend="jax"))
    return lambda xs: np.asarray(f(jax.numpy.asarray(xs)))


def scan(name, order, inputs, backend="numpy", fn=None):
    """The ULP scan of one exported function (or of ``fn``, a function of a
    float64 array computing the same): a dict (JSON-ready)."""
    t0 = time.perf_counter()
    expr, var, _ = resolve(name, order)
    fn = fn or _exported(name, order, backend)
    f_mp = mp_lambdify(expr, var)  # compiled once, shared by all ranges
    res = {"name": name, "order": order, "max_ulp": 0.0, "at": None, "range": None,
           "points": 0, "over_2": 0, "undefined": 0, "warnings": 0, "ranges": {}}
    total = 0.0
    for label, xs in inputs.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = np.asarray(fn(xs), dtype=np.float64)
        res["warnings"] += sum(issubclass(w.category, RuntimeWarning) for w in caught)
        refs = reference_values(expr, var, xs, f=f_mp)
        errs = np.array([ulp_error(g, r) for g, r in zip(got, refs)])
        # no reference (None), or nan (ulp_error counts a nan matching it as 0)
        undefined = np.array([r is None or mpmath.isnan(r) for r in refs], dtype=bool)
        if backend == "jax":  # subnormal inputs or results: XLA flushes them
            undefined |= np.array([abs(v) < TINY or (r is not None and 0 < abs(r) < TINY)
                                   for v, r in zip(xs, refs)], dtype=bool)
        ok = errs[~undefined]
        rr = {"points": int(ok.size), "undefined": int(undefined.sum()),
              "max_ulp": None, "at": None, "over_2": int((ok > CONTRACT).sum())}
        if ok.size:
            k = int(np.argmax(np.where(undefined, -1.0, errs)))
            rr["max_ulp"], rr["at"] = float(errs[k]), float(xs[k])
            total += float(ok[np.isfinite(ok)].sum())
            if errs[k] > res["max_ulp"] or res["at"] is None:
                res["max_ulp"], res["at"], res["range"] = rr["max_ulp"], rr["at"], label
        res["ranges"][label] = rr
        res["points"] += rr["points"]
        res["over_2"] += rr["over_2"]
        res["undefined"] += rr["undefined"]
    res["mean_ulp"] = total / res["points"] if res["points"] else None
    res["seconds"] = round(time.perf_counter() - t0, 2)
    return res


def _fmt(v):
    if v is None:
        return "-"
    if not math.isfinite(v):
        return str(v)
    return f"{v:.3g}" if v >= 1e4 else f"{v:.2f}"


def markdown(results):
    head = ["function", "order", "max ULP", "at x", "range", "mean", "> 2 ULP",
            "undef", "warn"] + RANGES
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        row = [r["name"], str(r["order"]), _fmt(r["max_ulp"]),
               repr(r["at"]) if r["max_ulp"] else "-", r["range"] if r["max_ulp"] else "-",
               _fmt(r["mean_ulp"]), str(r["over_2"]), str(r["undefined"]),
               str(r["warnings"])]
        row += [_fmt(r["ranges"][k]["max_ulp"]) for k in RANGES]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("names", nargs="*", help="catalog activations (default: all scalar)")
    p.add_argument("--order", type=int, nargs="+", default=[0, 1])
    p.add_argument("--points", type=int, default=2500, help="points per range")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--json", action="store_true", help="JSON instead of Markdown")
    p.add_argument("--backend", default="numpy", choices=["numpy", "torch", "jax"])
    p.add_argument("--baselines", action="store_true",
                   help="scan the hand-written versions of the speed benchmark instead")
    a = p.parse_args(argv)
    names = a.names or symacts.names("scalar")
    inputs = sample(a.points, a.seed)
    results = []
    t0 = time.perf_counter()
    for name in names:
        for order in a.order:
            if a.baselines:
                from symacts.export.baselines import handwritten
                for lab, h in handwritten(name, order).items():
                    with np.errstate(all="ignore"):
                        r = scan(name, order, inputs, fn=h)
                    r["name"] = f"{name} `{lab}`"
                    results.append(r)
                    print(f"{r['name']} order {order}: max {_fmt(r['max_ulp'])} ULP at "
                          f"{r['at']!r}", file=sys.stderr, flush=True)
                continue
            try:
                r = scan(name, order, inputs, a.backend)
            except InputError as e:  # no float code for it (step'' = δ'): said, not scanned
                print(f"{name} order {order}: not exported ({e})", file=sys.stderr, flush=True)
                continue
            results.append(r)
            print(f"{name} order {order}: max {_fmt(r['max_ulp'])} ULP at {r['at']!r}, "
                  f"{r['over_2']} > 2, {r['seconds']} s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - t0
    if a.json:
        print(json.dumps({"points_per_range": a.points, "seed": a.seed,
                          "seconds": round(elapsed, 1), "results": results}, indent=1))
    else:
        print(f"{a.points} random points per range, seed {a.seed}, "
              f"{elapsed:.0f} s\n")
        print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
