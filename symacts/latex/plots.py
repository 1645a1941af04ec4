"""Plots of the catalog: data first (tested against mpmath), then matplotlib.

Every curve is computed by the numpy export (``symacts.export.export``);
break points of piecewise activations split the curves so no vertical
segment is drawn where a derivative jumps.

>>> d = function_curves("sigmoid")
>>> sorted(d["curves"])
["f''(x)", "f'(x)", 'f(x)']
>>> float(d["curves"]["f'(x)"][len(d["x"]) // 2])  # x = 0
0.25
"""
from __future__ import annotations

import numpy as np
import sympy

from ..catalog import get
from ..errors import SymactsError

__all__ = ["function_curves", "family_curves", "gelu_curves", "FAMILIES",
           "save_function_plot", "save_family_plot", "save_gelu_plot", "break_points"]

#: Families drawn over several parameter values: name -> (parameter, values, limit name)
FAMILIES = {
    "softplus": ("beta", ["1/2", "1", "2", "5"], "relu"),
    "swish": ("beta", ["1/2", "1", "2", "5"], "relu"),
    "elu": ("alpha", ["1/2", "1", "2"], None),
    "leaky_relu": ("a", ["0", "1/10", "1/4", "1/2"], None),
    "celu": ("alpha", ["1/2", "1", "2"], None),
    "snake": ("a", ["1/2", "1", "2"], None),
}


def break_points(act):
    """Numeric break points of an activation's piecewise form (may be empty)."""
    from .steps import _boundaries
    e = act.expr
    if e.has(sympy.Max, sympy.Min, sympy.Abs, sympy.Heaviside, sympy.sign):
        e = sympy.piecewise_fold(e.rewrite(sympy.Piecewise))
    pw = [p for p in e.atoms(sympy.Piecewise)] + ([e] if isinstance(e, sympy.Piecewise) else [])
    pts = set()
    for p in pw:
        pts.update(float(b) for b in _boundaries(p, act.variable) if b.is_number)
    return sorted(pts)


def _grid(lo, hi, n, breaks):
    """A grid on [lo, hi] with a NaN gap at each break point."""
    x = np.linspace(lo, hi, n)
    x = x[~np.isin(x, breaks)]
    if not breaks:
        return x
    out = []
    for b in breaks:
        out.append(x[x < b])
        out.append(np.array([np.nan]))
        x = x[x > b]
    out.append(x)
    return np.concatenate(out)


def _eval(fn, x):
    y = np.full_like(x, np.nan)
    m = ~np.isnan(x)
    y[m] = fn(x[m])
    return y


def function_curves(name, lo=-5.0, hi=5.0, n=801, **params):
    """``{"x": grid, "curves": {"f(x)": ..., "f'(x)": ..., "f''(x)": ...}}``."""
    from ..export import export
    act = get(name, **params)
    x = _grid(lo, hi, n, break_points(act))
    curves = {}
    for k, label in enumerate(("f(x)", "f'(x)", "f''(x)")):
        try:
            fn = export(act, backend="numpy", order=k)
        except SymactsError:  # e.g. a DiracDelta: use the derived form, valid off the breaks
            fn = export(_derived(act, k), backend="numpy")
        curves[label] = _eval(fn, x)
    return {"x": x, "curves": curves, "name": act.name}


def _derived(act, k):
    """The k-th derivative from the checked derivation, at the activation's values."""
    from .derive import derive
    e = derive(act, order=k, general=False).result
    return e.xreplace({p.symbol: act.values[p.name] for p in act.params})


def family_curves(name, lo=-4.0, hi=4.0, n=801):
    """The family ``name`` over the parameter values of :data:`FAMILIES` (and its limit)."""
    from ..export import export
    param, values, limit = FAMILIES[name]
    act0 = get(name)
    x = np.linspace(lo, hi, n)
    curves = {}
    for v in values:
        act = get(name, **{param: v})
        curves[f"{param} = {v}"] = _eval(export(act, backend="numpy"), x)
    if limit:
        curves[limit] = _eval(export(limit, backend="numpy"), x)
    return {"x": x, "curves": curves, "name": act0.name, "param": param}


def gelu_curves(lo=-5.0, hi=5.0, n=801):
    """GELU beside its tanh and sigmoid approximations, and the two error curves."""
    from ..export import export
    x = np.linspace(lo, hi, n)
    g = export("gelu")(x)
    t = export("gelu_tanh")(x)
    s = export("gelu_sigmoid")(x)
    return {"x": x, "curves": {"gelu": g, "gelu_tanh": t, "gelu_sigmoid": s},
            "errors": {"gelu_tanh - gelu": t - g, "gelu_sigmoid - gelu": s - g}}


def _figure(width=6.0, height=3.6, rows=1):
    try:
        import matplotlib
    except ImportError:
        from ..errors import SymactsError
        raise SymactsError("plots need matplotlib: pip install -e '.[plots]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(rows, 1, figsize=(width, height * rows if rows > 1 else height),
                             squeeze=False, constrained_layout=True)
    return plt, fig, [a[0] for a in axes]


def _save(plt, fig, path, dpi):
    fig.savefig(path, dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return path


def save_function_plot(data, path, dpi=80):
    """The function with its first and second derivatives."""
    plt, fig, (ax,) = _figure()
    styles = {"f(x)": "-", "f'(x)": "--", "f''(x)": ":"}
    for label, y in data["curves"].items():
        ax.plot(data["x"], y, styles[label], label=label, lw=1.6)
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.set_title(f"{data['name']}: f, f', f''")
    ax.set_xlabel("x")
    ax.legend(loc="best", fontsize=8)
    _clip(ax, data["curves"].values())
    return _save(plt, fig, path, dpi)


def _clip(ax, ys):
    vals = np.concatenate([np.asarray(y)[np.isfinite(y)] for y in ys])
    if vals.size:
        lo, hi = np.percentile(vals, [1, 99])
        pad = 0.1 * (hi - lo or 1.0)
        ax.set_ylim(max(lo - pad, -12), min(hi + pad, 12))


def save_family_plot(data, path, dpi=80):
    """A family over several parameter values (and its limit, dashed)."""
    plt, fig, (ax,) = _figure()
    for label, y in data["curves"].items():
        if "=" in label:
            ax.plot(data["x"], y, label=label, lw=1.4)
        else:
            ax.plot(data["x"], y, "k--", label=f"{label} (limit)", lw=1.2)
    ax.set_title(f"{data['name']} over {data['param']}")
    ax.set_xlabel("x")
    ax.legend(loc="best", fontsize=8)
    return _save(plt, fig, path, dpi)


def save_gelu_plot(data, path, dpi=80):
    """GELU and its approximations (top), their errors (bottom)."""
    plt, fig, (top, bottom) = _figure(height=2.8, rows=2)
    for label, y in data["curves"].items():
        top.plot(data["x"], y, label=label, lw=1.4)
    top.set_title("gelu and its tanh and sigmoid approximations")
    top.legend(loc="best", fontsize=8)
    for label, y in data["errors"].items():
        bottom.plot(data["x"], y, label=label, lw=1.2)
    bottom.axhline(0, color="0.8", lw=0.8)
    bottom.set_title("approximation error")
    bottom.set_xlabel("x")
    bottom.legend(loc="best", fontsize=8)
    return _save(plt, fig, path, dpi)
