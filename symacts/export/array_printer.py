"""Print the stabilised tree (the same one the NumPy backend prints) as
PyTorch or JAX source: one numeric path, two more array libraries.

:class:`ArrayPrinter` is the NumPy printer with the library's names: element
functions, ``where`` (every Piecewise branch is evaluated on the whole array
and selected; gradients never flow through this code, so a branch's inf or nan
where it is not selected is harmless), ``maximum``/``clamp``, ``heaviside``,
``hypot``, and kernels named like the NumPy ones (``k_sigmoid``, the tail
kernels ``k_mul_tail``, ``k_exp_ratio``, the double-double ``k_dd_poly``...)
taken from :mod:`.torch_kernels` or :mod:`.jax_kernels`. No torch or jax
import is needed to print.

>>> from sympy import Symbol
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> print(array_source(x * sigmoid(x), x, "_f", TORCH))
def _f(x):
    return k_mul_sigmoid(x, x, False)
>>> print(array_source(x * sigmoid(x), x, "_f", JAX, basic=True))
def _f(x):
    return x * k_sigmoid(x)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy
from sympy import Heaviside, Max, Min, Piecewise, S

from ..errors import InputError
from ..functions import Phi, sigmoid
from . import nodes as N
from .printer import NumpyPrinter, function_source
from .rules import stabilize

__all__ = ["Dialect", "TORCH", "JAX", "ArrayPrinter", "array_source"]


@dataclass(frozen=True)
class Dialect:
    """The names one array library gives the operations the printer needs."""

    name: str
    unary: dict
    where: str
    full_like: str
    pow: str
    sqrt: str
    maximum: str
    minimum: str
    clamp: str  # "torch.clamp" (min=/max= keywords) or "" (use maximum/minimum)
    prefix: tuple = field(default_factory=tuple)  # the only module names the text may use


def _unary(lib, sp, erf):
    return {
        sympy.exp: f"{lib}.exp", sympy.log: f"{lib}.log", sympy.sin: f"{lib}.sin",
        sympy.cos: f"{lib}.cos", sympy.tan: f"{lib}.tan", sympy.tanh: f"{lib}.tanh",
        sympy.sinh: f"{lib}.sinh", sympy.cosh: f"{lib}.cosh",
        sympy.atan: f"{lib}.{'atan' if lib == 'torch' else 'arctan'}",
        sympy.asinh: f"{lib}.{'asinh' if lib == 'torch' else 'arcsinh'}",
        sympy.atanh: f"{lib}.{'atanh' if lib == 'torch' else 'arctanh'}",
        sympy.asin: f"{lib}.{'asin' if lib == 'torch' else 'arcsin'}",
        sympy.acos: f"{lib}.{'acos' if lib == 'torch' else 'arccos'}",
        sympy.erf: f"{erf}.erf", sympy.erfc: f"{erf}.erfc", sympy.Abs: f"{lib}.abs",
        sympy.sign: f"{lib}.sign", sigmoid: "k_sigmoid", Phi: "k_ndtr",
        sympy.DiracDelta: "k_dirac", N.Expm1: f"{lib}.expm1", N.Log1p: f"{lib}.log1p",
        N.Sech2: "k_sech2", N.Erfcx: "k_erfcx", N.LogSigmoid: "k_log_sigmoid",
        N.Mills: "k_mills",
    }


TORCH = Dialect("torch", _unary("torch", "torch.special", "torch.special"),
                where="torch.where", full_like="torch.full_like", pow="torch.pow",
                sqrt="torch.sqrt", maximum="torch.maximum", minimum="torch.minimum",
                clamp="torch.clamp", prefix=("torch",))
JAX = Dialect("jax", {**_unary("jnp", "jsp", "jsp"), sympy.tanh: "k_tanh", N.Expm1: "k_expm1",
                     N.Log1p: "k_log1p"}, where="jnp.where",
              full_like="jnp.full_like", pow="jnp.power", sqrt="jnp.sqrt",
              maximum="jnp.maximum", minimum="jnp.minimum", clamp="",
              prefix=("jnp", "jsp", "jax", "lax"))


class ArrayPrinter(NumpyPrinter):
    """The NumPy printer speaking torch or jax.numpy (see the module docstring)."""

    POW2_BY_MUL = False  # XLA would factor x*0.5 + y*0.5 into an overflowing (x + y)*0.5

    def __init__(self, dialect, var, basic=False):
        from .jax_kernels import KERNELS as JK
        from .torch_kernels import KERNELS as TK
        self.d = dialect
        # SinSq by k_sin_sq where the dialect has it, else by its trigonometric expansion
        self.SIN_SQ = not basic and "k_sin_sq" in (TK if dialect.name == "torch" else JK)
        self.x = var.name
        self.UNARY = dialect.unary
        self.basic = basic
        self.var = None if basic else var  # the printer's double-double cofactors need it

    def nan_like(self, x):
        return f"{self.d.full_like}({x}, _NAN)"

    def const_like(self, x, c):
        return f"{self.d.full_like}({x}, {self.const(c)})"

    def const(self, e):
        v = float(sympy.N(e, 30))
        if v != v:
            return "_NAN"
        if v in (float("inf"), float("-inf")):
            return "_INF" if v > 0 else "(-_INF)"
        return repr(v) if v >= 0 else f"({v!r})"

    def p(self, e):
        if isinstance(e, N.Hypot1):
            return f"k_hypot1({self.p(e.args[0])})"
        if isinstance(e, Heaviside):
            h0 = e.args[1] if len(e.args) > 1 else S.Half
            return f"k_heaviside({self.p(e.args[0])}, {self.const(h0)})"
        if isinstance(e, (Max, Min)) and e.free_symbols:
            return self.extremum(e)
        if isinstance(e, Piecewise):
            return self.where(e)
        return super().p(e)

    def mul(self, e):
        # ``basic``: the product ordering only, without the tail kernels (a fallback)
        return self.mul_plain(e) if self.basic else super().mul(e)

    def extremum(self, e):
        big = isinstance(e, Max)
        consts = [a for a in e.args if not a.free_symbols]
        out = None
        for a in e.args:
            if not a.free_symbols:
                continue
            t = self.p(a)
            out = t if out is None else \
                f"{self.d.maximum if big else self.d.minimum}({out}, {t})"
        for c in consts:
            if self.d.clamp:
                out = f"{self.d.clamp}({out}, {'min' if big else 'max'}={self.const(c)})"
            else:
                out = f"{self.d.maximum if big else self.d.minimum}({out}, {self.const(c)})"
        return out

    def pow(self, base, ex):
        compensated = None if self.basic else (self.tanh_square(base, ex)
                                               or self.pow_sum(base, ex))
        if compensated is not None:
            return compensated
        b = self.p(base)
        if ex.is_Integer:
            n = int(ex)
            if n < 0:
                b, n = f"(1.0 / {b})", -n
            if n == 1:
                return b
            if n <= 4:
                return "(" + " * ".join([b] * n) + ")"
            return f"{self.d.pow}({b}, {float(n)!r})"
        if ex == S.Half:
            return f"{self.d.sqrt}({b})"
        if ex == -S.Half:
            return f"(1.0 / {self.d.sqrt}({b}))"
        if ex.free_symbols:
            return f"{self.d.pow}({b}, {self.p(ex)})"
        return f"{self.d.pow}({b}, {self.const(ex)})"

    def branch(self, v):
        """A Piecewise value as an array (a constant is filled to x's shape)."""
        if v.free_symbols:
            return self.p(v)
        return f"{self.d.full_like}({self.x}, {self.const(v)})"

    def where(self, e):
        pairs = list(e.args)
        last_v, last_c = pairs[-1]
        if last_c in (True, S.true):
            out = self.branch(last_v)
            pairs = pairs[:-1]
        else:
            out = self.branch(S.NaN)
        for v, c in reversed(pairs):
            out = f"{self.d.where}({self.cond(c)}, {self.branch(v)}, {out})"
        return out


def array_source(expr, var, name, dialect, stable=None, basic=False):
    """Source of ``def name(x): ...`` in ``dialect`` computing ``expr``.

    ``expr`` is stabilised by :func:`symacts.export.rules.stabilize` (the
    NumPy backend's rules) unless ``stable`` passes the stabilised tree; it
    is printed as the NumPy printer prints it (``basic``: the plain tree).
    The text calls only the dialect's modules and ``k_*`` kernels; an
    InputError names a kernel the dialect lacks.
    """
    from .jax_kernels import KERNELS as JK
    from .torch_kernels import KERNELS as TK
    stable = stabilize(expr, var) if stable is None else stable
    text = function_source(stable, var, name, ArrayPrinter(dialect, var, basic=basic),
                           basic=basic)
    known = TK if dialect.name == "torch" else JK
    for k in re.findall(r"\b(k_[a-z0-9_]+)\(", text):
        if k not in known:
            raise InputError(f"cannot export {sympy.sstr(expr)[:80]} to {dialect.name}: "
                             f"no {dialect.name} kernel {k}")
    for mod in re.findall(r"\b([a-z_]+)\.[a-z_]", text):
        if mod not in dialect.prefix:
            raise InputError(f"cannot export {sympy.sstr(expr)[:80]} to {dialect.name}: "
                             f"the printed code uses {mod}")
    return text


def kernel_sources(text, kernels, tables=None):
    """Source of every kernel ``text`` calls, and of the kernels those call;
    first the tables they read, if ``tables`` is a kernel module (its
    ``TABLES``: name -> kernel, and ``table_source``)."""
    import inspect
    used, todo = set(), [text]
    while todo:
        for k in re.findall(r"\b(k_[a-z0-9_]+)\(", todo.pop()):
            if k in kernels and k not in used:
                used.add(k)
                todo.append(inspect.getsource(kernels[k]))
    data = [tables.table_source(n) for n, k in sorted(getattr(tables, "TABLES", {}).items())
            if k in used]
    return data + [inspect.getsource(kernels[k]) for k in sorted(used)]
