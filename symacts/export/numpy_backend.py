"""The NumPy backend: a stabilised expression -> the source of a small module
(kernels, core, a dtype-preserving wrapper) -> a compiled function.

The text compiled here is exactly what ``symacts export -o FILE.py`` writes,
minus the import lines (the names are supplied to ``exec`` instead).

>>> from sympy import Symbol
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> f = compile_numpy(sigmoid(x), x, "sigmoid")
>>> float(f(-740.0)), f(np.float32(0)).dtype.name
(4.2e-322, 'float32')
"""
from __future__ import annotations

import builtins
import inspect
import re

import numpy as np
import sympy
from scipy import special as sc

from . import kernels
from .printer import source
from .patch import patch_source, root_patches
from .rules import exp_tails, stabilize

__all__ = ["module_source", "compile_numpy", "run_source", "drop_patched_branches", "IMPORTS"]

#: elements per block of the wrapper's loop: the core's temporaries (up to a
#: dozen arrays of BLOCK doubles) stay in a 2 MB L2 cache, and the few large
#: arrays a call allocates are not page-faulted in again on every call
BLOCK = 16384
#: the block of a core that works on subsets (``k_select``'s branches, a root
#: patch's band): its ufunc calls see a fraction of the block, so their fixed
#: cost per call weighs more; 32768 measured 5-11% faster for gelu, gelu',
#: gelu_tanh, silu', tanhshrink (2026-12-02; 4-9% slower for the streaming
#: kernels of gaussian and silu, which keep BLOCK; 49152 and 65536: no better)
#: (k_tanh_sq too: tanhshrink' 17.1 -> 15.4 ms, its [0, 1.25) subset)
BLOCK_SUBSETS = 32768

IMPORTS = "import numpy as np\nfrom scipy import special as sc\n"

_WRAPPER = '''
def {name}(x):
    """{doc}"""
    a = np.asarray(x)
    if a.dtype.kind not in "fiub":
        raise TypeError("{name} takes real numbers, got dtype " + str(a.dtype))
    dt = a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)
    w = np.ascontiguousarray(a, dtype=np.float64).reshape(-1)
    if not w.size:  # the kernels' reductions need an element
        return np.empty(a.shape, dtype=dt)
    with np.errstate(all="ignore"):
        if w.size <= {block}:
            y = np.asarray(_{name}(w), dtype=np.float64)
            if y is w or y is a:  # (the identity) not the caller's own array
                y = y.copy()
            if y.shape != w.shape:
                y = np.broadcast_to(y, w.shape).copy()
        else:  # blocks that stay in cache: each pass of the core reads L2, not memory
            y = np.empty(w.shape)
            for i in range(0, w.size, {block}):
                y[i:i + {block}] = _{name}(w[i:i + {block}])
{patches}    y = y.reshape(a.shape)
    if dt != np.float64:
        with np.errstate(over="ignore"):  # a float32 inf is the right value
            y = y.astype(dt)
    return y[()] if a.ndim == 0 else y
'''

_SAFE_BUILTINS = {k: getattr(builtins, k) for k in
                  ("abs", "bool", "float", "int", "len", "range", "zip", "str", "TypeError",
                   "ValueError", "True", "False", "None", "isinstance", "tuple",
                   "list", "min", "max", "any", "all", "enumerate")}


def _numpy_only_import(name, *args, **kwargs):
    """NumPy imports its own submodules lazily; nothing else may be imported."""
    if name.split(".")[0] not in ("numpy", "scipy"):
        raise ImportError(f"exported code may not import {name}")
    return builtins.__import__(name, *args, **kwargs)


_SAFE_BUILTINS["__import__"] = _numpy_only_import


def _kernel_sources(text):
    """Source of every kernel the text calls, and of the kernels those call."""
    used, todo = set(), [text]
    while todo:
        for k in re.findall(r"\b(k_[a-z0-9_]+)\(", todo.pop()):
            if k in kernels.KERNELS and k not in used:
                used.add(k)
                todo.append(inspect.getsource(kernels.KERNELS[k]))
    tables = [kernels.table_source(n) for n, (k, _) in sorted(kernels.TABLES.items()) if k in used]
    return tables + [inspect.getsource(kernels.KERNELS[k]) for k in sorted(used)]


def run_source(text, name):
    """Compile module text (without its imports) with only NumPy/SciPy in scope."""
    ns = {"__builtins__": _SAFE_BUILTINS, "np": np, "sc": sc, "__name__": "symacts_export"}
    exec(compile(text, f"<symacts export {name}>", "exec"), ns)  # noqa: S102 - our own printed code
    return ns[name]


def _patches(core, limits):
    """Lines fixing nan/±inf inputs where the core's own answer is wrong."""
    want = {"nan": np.nan, "inf": limits[0], "-inf": limits[1]}
    with np.errstate(all="ignore"):
        got = np.asarray(core(np.array([np.nan, np.inf, -np.inf])), dtype=np.float64)
        got = np.broadcast_to(got, (3,))
    lines = []
    for (label, val), g in zip(want.items(), got):
        if val is None:
            continue
        same = (np.isnan(val) and np.isnan(g)) or g == val
        if not same:
            test = "wb != wb" if label == "nan" else f"wb == {'-' if label[0] == '-' else ''}np.inf"
            lines.append(f"            yb[{test}] = {_lit(val)}\n")
    if not lines:
        return ""
    # one reduction finds non-finite inputs (a sum that overflows only sends
    # the call down the exact path: 0.28 ms per 10^6 values, isfinite().all()
    # 0.34); the fixes touch only those
    return ("        if not np.isfinite(w.sum()):\n"
            "            bad = ~np.isfinite(w)\n"
            "            if y is w:\n"
            "                y = y.copy()\n"
            "            wb, yb = w[bad], y[bad]\n" + "".join(lines) +
            "            y[bad] = yb\n")


def _block(core):
    r"""BLOCK, or no blocks at all for a core that is one NumPy call on x (a
    single pass gains nothing from blocking and would pay the copy).

    >>> _block("def _f(x):\n    return np.clip(x, (-1.0), 1.0)") > BLOCK
    True
    >>> _block("def _f(x):\n    return np.exp(x) + 1.0") == BLOCK
    True
    >>> _block("def _f(x):\n    return k_clip0(x, 0.0, 6.0)") > BLOCK  # a clip and an in-place add
    True
    >>> _block("def _f(x):\n    return k_select(x, [lambda x: x < 0], [np.exp, np.sin])")
    32768
    """
    c = r"[-+.\w]+"
    one = re.fullmatch(rf"def _\w+\(x\):\n    return (x|(np\.\w+|k_clip0)\(({c}, )?x(, \(?{c}\)?)*\))", core.strip())
    if one:
        return 1 << 62
    return BLOCK_SUBSETS if re.search(r"\bk_(select|root_patch|tanh_sq)\(", core) else BLOCK


def _lit(v):
    if np.isnan(v):
        return "np.nan"
    if np.isinf(v):
        return "np.inf" if v > 0 else "-np.inf"
    return repr(float(v))


def drop_patched_branches(stable, var, patches):
    """``stable`` without the Piecewise branches (conditions ``var < c`` in
    order) whose whole interval lies in a root patch's band: the patch
    overwrites every value there, so the next branch is evaluated instead
    (silu''s branch on [-2, -33/64) inside the patch [-2, -1/2)).

    >>> from sympy import Symbol, Piecewise, sin, cos
    >>> from symacts.export.patch import Patch
    >>> x = Symbol('x', real=True)
    >>> pw = Piecewise((sin(x), x < -2), (cos(x), x < -1), (x, True))
    >>> drop_patched_branches(pw, x, (Patch(-1.5, 0.0, 1, -2.0, -0.5, ()),))
    Piecewise((sin(x), x < -2), (x, True))
    """
    if not isinstance(stable, sympy.Piecewise) or not patches:
        return stable
    pairs, prev = [], -np.inf
    for v, c in stable.args:
        if c in (True, sympy.true):
            pairs.append((v, c))
            break
        if not (isinstance(c, sympy.StrictLessThan) and c.lhs == var and c.rhs.is_number):
            return stable
        end = float(c.rhs)
        if not any(p.lo / p.scale <= prev and end <= p.hi / p.scale for p in patches):
            pairs.append((v, c))
        prev = end
    if len(pairs) == len(stable.args):
        return stable
    return sympy.Piecewise(*pairs) if len(pairs) > 1 else pairs[0][0]


def module_source(expr, var, name, doc="", limits=(None, None), stable=None, fast=True):
    """The module text (no imports): kernels used, ``_name`` core, ``name`` wrapper.

    ``limits`` are the values at +inf and -inf (None: keep the core's answer);
    ``fast=False`` prints every Piecewise as ``np.where`` (see ``printer.source``).
    """
    stable = exp_tails(stabilize(expr, var), var) if stable is None else stable
    patches = root_patches(expr, var, stable)
    if patches:
        stable = drop_patched_branches(stable, var, patches)
        core = source(stable, var, "_" + name + "_g", fast) + "\n\n\n" + patch_source(patches, "_" + name)
    else:
        core = source(stable, var, "_" + name, fast)
    kern = _kernel_sources(core)
    body = "\n\n".join(kern + [core])
    core_fn = run_source(body, "_" + name)
    patches = _patches(core_fn, limits)
    wrapper = _WRAPPER.format(name=name, doc=doc or f"{name} (float64 in/out; float32 in/out)",
                              patches=patches, block=_block(core))
    return body + "\n\n" + wrapper.lstrip("\n")


def compile_numpy(expr, var, name="f", doc="", limits=(None, None)):
    """A vectorised NumPy function of ``expr`` (see :func:`symacts.export.export`)."""
    text = module_source(expr, var, name, doc, limits)
    fn = run_source(text, name)
    fn.source = text
    return fn
