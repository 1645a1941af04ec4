"""The accuracy audit: ULP errors of an exported function over the whole float
range, against 40-digit mpmath values of the SymPy expression, beside naive
``sympy.lambdify`` and the hand-written versions, with their speeds.

Points: log-spaced magnitudes of both signs from the smallest subnormal to the
largest float, a dense core on [-40, 40], edge cases (±0, the exp overflow and
underflow thresholds, the conditions of every Piecewise, ±1, ±max), and the
float neighbours of the function's roots and its critical points.

>>> r = audit("sigmoid", n=200, speed=False)
>>> r["export"]["max_ulp"] <= 2, r["naive"]["max_ulp"] > 1e6
(True, True)
"""
from __future__ import annotations

import math
import time
import warnings

import mpmath
import numpy as np
import sympy

from . import export, resolve
from .baselines import handwritten, torch_op
from .reference import reference_values, ulp_error

__all__ = ["audit", "audit_points", "format_report", "CONTRACT_ULP"]

#: the contract: max error of every exported function, in ULP
CONTRACT_ULP = 2.0

_EDGES = [0.0, 5e-324, 1e-310, 2.2250738585072014e-308, 1e-200, 1e-20, 1e-8,
          0.5, 1.0, 2.0, 3.0, 6.0, 10.0, 20.0, 36.0, 37.5, 38.5, 40.0, 354.9,
          372.5, 700.0, 708.39, 709.78, 710.0, 740.0, 744.44, 745.13, 746.0,
          800.0, 1e5, 1e10, 1e100, 1e154, 1e200, 1.7976931348623157e308]


def _neighbours(v, k=2):
    out = [v]
    lo = hi = v
    for _ in range(k):
        lo, hi = np.nextafter(lo, -np.inf), np.nextafter(hi, np.inf)
        out += [float(lo), float(hi)]
    return out


def _critical(expr, var, core):
    """Floats next to the roots of ``expr`` and of its derivative in [-40, 40]
    (sign changes on a grid, refined by mpmath at 40 digits)."""
    from .mp import mp_lambdify
    pts = []
    grid = np.linspace(-40, 40, 8001)
    for e in (expr, sympy.diff(expr, var)):
        try:
            f = mp_lambdify(e, var)
            with mpmath.workdps(20):
                vals = [f(mpmath.mpf(float(g))) for g in grid]
        except (ArithmeticError, ValueError, TypeError):
            continue
        for a, b, fa, fb in zip(grid, grid[1:], vals, vals[1:]):
            if mpmath.isnan(fa) or mpmath.isnan(fb) or fa * fb > 0 or fa == 0:
                continue
            with mpmath.workdps(40):
                try:
                    r = mpmath.findroot(f, (mpmath.mpf(float(a)), mpmath.mpf(float(b))),
                                        solver="anderson")
                except (ValueError, ZeroDivisionError, ArithmeticError):
                    r = mpmath.mpf(float((a + b) / 2))
            pts += _neighbours(float(r), 3)
            if len(pts) > 120:
                return pts
    return pts


def _conditions(expr):
    vals = []
    for rel in expr.atoms(sympy.core.relational.Relational):
        for side in (rel.lhs, rel.rhs):
            if side.is_number:
                vals += _neighbours(float(side), 1)
    return vals


def audit_points(expr, var, n=2000, seed=0):
    """The float64 inputs of an audit (about ``n`` of them, deterministic)."""
    rng = np.random.default_rng(seed)
    m = max(n // 2, 8)
    mags = 10.0 ** np.linspace(-323.3, 308.25, m // 2)
    with np.errstate(over="ignore"):
        mags = np.minimum(mags * rng.uniform(1, 1.9, mags.size), 1.7976931348623157e308)
    core = np.concatenate([np.linspace(-40, 40, m // 4), rng.uniform(-40, 40, m // 4)])
    edges = [s * v for v in _EDGES for s in (1, -1)]
    extra = _conditions(expr) + _critical(expr, var, core)
    pts = np.concatenate([mags, -mags, core, edges, extra])
    pts = np.unique(pts[np.isfinite(pts)])
    return np.concatenate([pts, [-0.0]])


def _stats(xs, got, refs, dtype):
    errs = np.array([ulp_error(g, r, dtype) for g, r in zip(got, refs)])
    ok = ~np.isnan(errs)
    if not ok.any():
        return {"max_ulp": float("nan"), "median_ulp": float("nan"), "worst_x": None,
                "points": 0}
    e = errs[ok]
    i = int(np.argmax(e))
    return {"max_ulp": float(e[i]), "median_ulp": float(np.median(e)),
            "worst_x": float(xs[ok][i]), "points": int(ok.sum()),
            "over_contract": int((e > CONTRACT_ULP).sum())}


def _naive(expr, var):
    from ..functions import elementary
    return sympy.lambdify(var, elementary(expr), ["scipy", "numpy"])


def _warned(fn, x):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            y = np.asarray(fn(x), dtype=np.float64)
            y = np.broadcast_to(y, x.shape)
        except Exception:  # noqa: BLE001 - a naive formula may fail in any way
            y = np.full(x.shape, np.nan)
    return y, sum(issubclass(i.category, RuntimeWarning) for i in w)


def _time(fn, x, repeat=7):
    fn(x)
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(x)
        best = min(best, time.perf_counter() - t)
    return best


def _specials(fn, expr, var):
    """nan, ±inf and ±0 in, checked against the mpmath limits."""
    from . import limits_at_infinity
    pinf, minf = limits_at_infinity(expr, var)
    x = np.array([np.nan, np.inf, -np.inf])
    y = fn(x)
    want = [np.nan, pinf, minf]
    bad = [str(a) for a, g, w in zip(x, y, want)
           if not ((math.isnan(w) and math.isnan(g)) or g == w)]
    return {"ok": not bad, "wrong_at": bad}


def audit(name_or_expr, order=0, dtype="float64", n=2000, speed=True, size=10**6,
          **params):
    """Audit the exported function; a dict (see :func:`format_report`)."""
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"dtype must be float64 or float32, got {dtype}")
    expr, var, label = resolve(name_or_expr, order, **params)
    fn = export(name_or_expr, order=order, **params)
    xs = audit_points(expr, var, n)
    if dt == np.float32:
        with np.errstate(over="ignore"):
            xs = np.unique(xs.astype(np.float32)).astype(np.float64)
        xs = xs[np.isfinite(xs)]  # far points cast to ±inf: _specials checks those
    refs = reference_values(expr, var, xs)
    got = fn(xs.astype(dt))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fn(xs.astype(dt))
    ours = _stats(xs, got, refs, dt)
    ours["warnings"] = len(w)
    naive = _naive(expr, var)
    ny, nwarn = _warned(naive, xs.astype(dt))
    theirs = _stats(xs, ny, refs, dt)
    theirs["warnings"] = nwarn
    report = {"name": label, "expr": sympy.sstr(expr), "order": order, "dtype": dt.name,
              "contract_ulp": CONTRACT_ULP, "export": ours, "naive": theirs,
              "specials": _specials(fn, expr, var), "baselines": {}, "speed": None}
    name = name_or_expr if isinstance(name_or_expr, str) else None
    if name and params and resolve(name, order)[0] != expr:
        # the hand-written versions and torch's op are written for the defaults
        report["baselines_skipped"] = "they are written for the default parameters"
        name = None
    others = handwritten(name, order) if name else {}
    if speed:  # NumPy first: importing torch changes how NumPy's big temporaries
        # are allocated (hand-written baselines ran 1.5-2x faster after it)
        big = np.random.default_rng(1).standard_normal(size) * 5
        big = big.astype(dt)
        t_ours = _time(fn, big)
        t_copy = _time(np.copy, big)
        sp = {"size": size, "export_ms": t_ours * 1e3, "copy_ms": t_copy * 1e3,
              "vs_copy": t_ours / t_copy, "naive_ms": _time(lambda v: _warned(naive, v)[0], big) * 1e3,
              "baselines_ms": {}}
        for lab, h in others.items():
            with np.errstate(all="ignore"):
                sp["baselines_ms"][lab] = _time(h, big) * 1e3
        report["speed"] = sp
    top = torch_op(name, order) if name else None
    if top is not None:
        others[top.__name__] = top
        if speed:
            report["speed"]["baselines_ms"][top.__name__] = _time(top, big) * 1e3
    for lab, h in others.items():
        hy, hw = _warned(h, xs)
        st = _stats(xs, hy, refs, np.float64) if dt == np.float64 else None
        report["baselines"][lab] = {"accuracy": st, "warnings": hw}
    return report


def _fmt_acc(d):
    if d is None:
        return "-"
    if d.get("worst_x") is None:
        return "no reference values"
    return (f"max {d['max_ulp']:.3g} ULP at x = {d['worst_x']!r}, "
            f"median {d['median_ulp']:.3g} ULP")


def format_report(r):
    """The audit as text, one fact a line.

    >>> print(format_report(audit("relu", n=50, speed=False)).splitlines()[0])
    relu: Max(0, x)  [float64, order 0]
    """
    e = r["export"]
    verdict = "meets" if e["max_ulp"] <= r["contract_ulp"] and r["specials"]["ok"] \
        and e["warnings"] == 0 else "DOES NOT MEET"
    lines = [f"{r['name']}: {r['expr']}  [{r['dtype']}, order {r['order']}]",
             f"  export  {_fmt_acc(e)}; {e['points']} points, {e['warnings']} warnings",
             f"  naive   {_fmt_acc(r['naive'])}; {r['naive']['warnings']} warnings "
             "(sympy.lambdify)"]
    for lab, b in r["baselines"].items():
        lines.append(f"  {lab}: {_fmt_acc(b['accuracy'])}; {b['warnings']} warnings")
    if r.get("baselines_skipped"):
        lines.append(f"  (no hand-written versions: {r['baselines_skipped']})")
    sp = r["specials"]
    lines.append("  nan/±inf: " + ("as the limits" if sp["ok"] else
                                   "WRONG at " + ", ".join(sp["wrong_at"])))
    lines.append(f"  contract (<= {r['contract_ulp']:g} ULP, no warnings, limits): {verdict}"
                 + ("" if verdict == "meets" else
                    f" ({e.get('over_contract', 0)} points over {r['contract_ulp']:g} ULP)"))
    s = r.get("speed")
    if s:
        lines.append(f"  speed on {s['size']:,} values: export {s['export_ms']:.2f} ms "
                     f"({s['vs_copy']:.1f}x a copy), naive {s['naive_ms']:.2f} ms")
        for lab, t in s["baselines_ms"].items():
            lines.append(f"    {lab}: {t:.2f} ms (export/this = {s['export_ms'] / t:.2f})")
    return "\n".join(lines)
