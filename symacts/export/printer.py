"""Print a stabilised SymPy tree as the source of a NumPy function.

The same source is executed by :func:`symacts.export` and written by
``symacts export``. Products are ordered so that nothing overflows or
underflows early (ratios first, factors that can underflow last); integer
powers are repeated products; constants are rounded once from 30 digits.

>>> from sympy import Symbol
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> print(source(x / (1 + x**2), x, "f"))
def f(x):
    return x / ((x * x) + 1.0)

A product c·σ(u) whose σ can be subnormal is rounded once (``k_mul_tail``);
the polynomial argument of σ, exp or sech² is a double-double (``k_dd_poly``):

>>> print(source(x * sigmoid(x), x, "f"))
def f(x):
    return k_mul_tail(x, x * k_sigmoid(x), x, 0)
"""
from __future__ import annotations

import sympy
from sympy import (Abs, Add, DiracDelta, Heaviside, Max, Min, Mul, Piecewise,
                   Pow, S, Symbol, sign)
from sympy.logic.boolalg import And, BooleanFalse, BooleanTrue, Not, Or

from ..errors import InputError
from ..functions import Phi, phi, sigmoid, softplus
from . import nodes as N

__all__ = ["source", "NumpyPrinter"]


class NumpyPrinter:
    """SymPy tree -> NumPy/SciPy expression text (``np``, ``sc``, ``k_*`` kernels)."""

    UNARY = {
        sympy.exp: "np.exp", sympy.log: "np.log", sympy.sin: "np.sin",
        sympy.cos: "np.cos", sympy.tan: "np.tan", sympy.tanh: "np.tanh",
        sympy.sinh: "np.sinh", sympy.cosh: "np.cosh", sympy.atan: "np.arctan",
        sympy.asinh: "np.arcsinh", sympy.atanh: "np.arctanh",
        sympy.asin: "np.arcsin", sympy.acos: "np.arccos",
        sympy.erf: "sc.erf", sympy.erfc: "sc.erfc", Abs: "np.abs", sign: "np.sign",
        sigmoid: "k_sigmoid", Phi: "k_ndtr", DiracDelta: "k_dirac",
        N.Expm1: "np.expm1", N.Log1p: "np.log1p", N.Sech2: "k_sech2",
        N.Erfcx: "k_erfcx", N.LogSigmoid: "k_log_sigmoid", N.Mills: "k_mills",
    }
    #: functions whose value can underflow: multiplied last in a product
    SMALL = (sympy.exp, sigmoid, N.Sech2, N.GaussScaled, N.ExpNegSq, phi, Phi)

    def const(self, e):
        v = float(sympy.N(e, 30))
        if v != v:
            return "np.nan"
        if v in (float("inf"), float("-inf")):
            return "np.inf" if v > 0 else "(-np.inf)"
        return repr(v) if v >= 0 else f"({v!r})"

    def p(self, e):
        if isinstance(e, Symbol):
            return e.name
        if not e.free_symbols:
            return self.const(e)
        if isinstance(e, Add):  # a - b, not a + (-b): one pass less
            terms = _add_order(e)
            out = self.p(terms[0])
            for a in terms[1:]:
                c, rest = a.as_coeff_Mul()
                out += f" - {self.p(rest)}" if c == -1 else f" + {self.p(a)}"
            return "(" + out + ")"
        if isinstance(e, Mul):
            return self.mul(e)
        if isinstance(e, Pow):
            return self.pow(e.base, e.exp)
        if isinstance(e, softplus):
            return f"k_softplus({self.p(e.args[0])})" if len(e.args) == 1 else \
                self.p(softplus(e.beta * e.args[0]) / e.beta)
        if isinstance(e, DDArg):
            return dd_poly_text(*e.args)
        if isinstance(e, DDValue):
            return dd_poly_text(*e.args) + "[0]"
        if isinstance(e, (sigmoid, sympy.exp, N.Sech2, N.Erfcx, sympy.tanh)) and (
                isinstance(e.args[0], DDArg) or e.args[0] in getattr(self, "dd_names", ())):
            fn = {sigmoid: "k_sigmoid_dd", sympy.exp: "k_exp_dd", N.Sech2: "k_sech2_dd",
                  N.Erfcx: "k_erfcx_dd", sympy.tanh: "k_tanh_dd"}[e.func]
            return f"{fn}({self.p(e.args[0])})"
        if isinstance(e, phi):
            return self.p(N.GaussScaled(e.args[0], 1 / sympy.sqrt(2 * sympy.pi)))
        if isinstance(e, N.GaussScaled):
            return f"k_gauss_scaled({self.p(e.args[0])}, {self.p_array(e.args[1])})"
        if isinstance(e, N.Times):
            c, v = e.args
            if c.is_Rational and c.p == 1:
                return f"({self.p(v)} / {float(c.q)!r})"
            return f"({self.p_array(c)} * {self.p(v)})"
        if isinstance(e, N.ExpRatio):
            u, c0, r, w = e.args
            rs = "".join(f"{self.p_array(c)}, " for c in r)
            ws = "".join(f"{self.p_array(c)}, " for c in w)
            var = getattr(self, "var", None)
            c0s = self.p_array(c0)
            if _dd_sum(c0, var):
                a, b = sympy.Poly(c0, var).all_coeffs() if sympy.Poly(c0, var).degree() == 1 \
                    else (None, None)
                c0s = (f"k_two_sum({self.p(a * var)}, {self.const(b)})"
                       if a is not None and b != 0 and _exact_arg(a * var, var)
                       else dd_poly_text(c0, var))
            return f"k_exp_ratio({self.p(u)}, {c0s}, ({rs}), ({ws}))"
        if isinstance(e, N.Recip1pSq):
            return f"k_recip1psq({self.p(e.args[0])})"
        if isinstance(e, N.ExpNegSq):
            return f"k_expsq({self.p(e.args[0])}, {self.p_array(e.args[1])}, 1.0)"
        if isinstance(e, N.Hypot1):
            return f"np.hypot({self.p(e.args[0])}, 1.0)"
        if isinstance(e, Heaviside):
            h0 = e.args[1] if len(e.args) > 1 else S.Half
            return f"np.heaviside({self.p(e.args[0])}, {self.const(h0)})"
        if isinstance(e, (Max, Min)):
            fn = "np.maximum" if isinstance(e, Max) else "np.minimum"
            out = self.p(e.args[0])
            for a in e.args[1:]:
                out = f"{fn}({out}, {self.p(a)})"
            return out
        if isinstance(e, Piecewise):
            return self.where(e)
        fn = self.UNARY.get(type(e))
        if fn and len(e.args) == 1:
            return f"{fn}({self.p(e.args[0])})"
        raise InputError(f"cannot export {type(e).__name__}(...) to float code "
                         f"(in {sympy.sstr(e)[:80]})")

    def p_array(self, e):
        return self.p(e) if e.free_symbols else self.const(e)

    def mul(self, e):
        tail = _tail_factor(e)
        if tail is not None:
            f, kind = tail
            rest = e / f
            u = f.args[0].args[0] if kind == 2 else f.args[0]
            return (f"k_mul_tail({self.p_array(rest)}, {self.mul_plain(e)}, {self.p(u)}, "
                    f"{min(kind, 1) if kind != 2 else 0})")
        return self.mul_plain(e)

    def mul_plain(self, e):
        coeff, factors = e.as_coeff_mul()
        consts = [f for f in factors if not f.free_symbols]
        if consts:  # sqrt(2)/sqrt(pi)/2 and the like: one constant, rounded once
            coeff = sympy.Float(sympy.N(coeff * Mul(*consts), 30), 30)
            factors = [f for f in factors if f.free_symbols]
        factors, coeff = _dd_cofactor(factors, coeff, self)
        num, den = [], []
        for f in factors:
            if isinstance(f, Pow) and f.exp.is_Integer and f.exp < 0:
                den.append(f.base if f.exp == -1 else Pow(f.base, -f.exp))
            else:
                num.append(f)
        if den:  # x**2/d -> (x/d)*x: the ratio first, so nothing overflows early
            num = [g for f in num for g in ([f.base] * int(f.exp)
                   if isinstance(f, Pow) and f.exp.is_Integer and 1 < f.exp <= 4 else [f])]
        num.sort(key=lambda f: isinstance(f, self.SMALL))
        small = [f for f in num if isinstance(f, self.SMALL)]
        big = [f for f in num if not isinstance(f, self.SMALL) and _grows(f)]
        parts = [self.p(f) for f in num]
        text = parts[0] if parts else "1.0"
        for i, d in enumerate(den):
            text = f"{text} / {self.p(d)}"
            if i == 0 and len(parts) > 1:
                text = f"({text})"
        for t in parts[1:]:
            text = f"{text} * {t}"
        if small and big:  # a factor that underflows to 0 wins over one that overflows
            text = f"k_zero_wins({self.p(Mul(*small))}, {text})"
        if coeff == 1:
            return text
        if coeff == -1:
            return f"(-{text})"
        if coeff == -1:
            return f"(-{text})"
        c = sympy.Rational(coeff) if coeff.is_Rational else None
        if c is not None and c.p in (1, -1) and c.q > 1:
            return f"({'-' if c.p < 0 else ''}{text} / {float(c.q)!r})"
        return f"({self.const(coeff)} * {text})"

    def pow(self, base, ex):
        if ex.is_Integer and 2 <= abs(int(ex)) <= 4 and isinstance(base, sympy.Add) \
                and len(base.args) == 2 and any(a.is_Number for a in base.args) \
                and base.free_symbols:
            # (a + c)^n: the sum's rounding would count n times (compensated)
            c = next(a for a in base.args if a.is_Number)
            a = next(t for t in base.args if t is not c)
            return f"k_pow_sum({self.p_array(a)}, {_dd_pair(c)}, {int(ex)})"
        b = self.p(base)
        if ex.is_Integer:
            n = int(ex)
            if n < 0:
                b, n = f"(1.0 / {b})", -n
            if n == 1:
                return b
            if n <= 4:
                return "(" + " * ".join([b] * n) + ")"
            return f"np.power({b}, {float(n)!r})"
        if ex == S.Half:
            return f"np.sqrt({b})"
        if ex == -S.Half:
            return f"(1.0 / np.sqrt({b}))"
        return f"np.power({b}, {self.p_array(ex)})"

    def cond(self, c):
        if isinstance(c, BooleanTrue) or c is True:
            return "True"
        if isinstance(c, BooleanFalse) or c is False:
            return "False"
        if isinstance(c, And):
            return "(" + " & ".join(self.cond(a) for a in c.args) + ")"
        if isinstance(c, Or):
            return "(" + " | ".join(self.cond(a) for a in c.args) + ")"
        if isinstance(c, Not):
            return f"(~{self.cond(c.args[0])})"
        ops = {sympy.StrictLessThan: "<", sympy.LessThan: "<=",
               sympy.StrictGreaterThan: ">", sympy.GreaterThan: ">=",
               sympy.Equality: "==", sympy.Unequality: "!="}
        op = ops.get(type(c))
        if op is None:
            raise InputError(f"cannot export the condition {c}")
        return f"({self.p(c.lhs)} {op} {self.p(c.rhs)})"

    def where(self, e):
        pairs = list(e.args)
        last_v, last_c = pairs[-1]
        out = self.p(last_v) if last_c in (True, S.true) else "np.nan"
        if last_c not in (True, S.true):
            pairs = pairs + [(S.NaN, S.true)]
        for v, c in reversed(pairs[:-1]):
            out = f"np.where({self.cond(c)}, {self.p(v)}, {out})"
        return out


class DDArg(sympy.Function):
    """DDArg(u, x): the polynomial argument u of an exponential-like function,
    evaluated as a double-double (a (hi, lo) pair) by ``k_dd_poly``."""
    nargs = 2


class DDValue(sympy.Function):
    """DDValue(u, x): a polynomial cofactor u of a special function with
    inexact coefficients, evaluated by ``k_dd_poly`` and rounded once (hi)."""
    nargs = 2


def _dd_cofactor(factors, coeff, printer):
    """In a product with σ, exp, sech²..., the polynomial factors (and the
    constant) with inexact coefficients and two or more terms as one
    :class:`DDValue`: gelu_tanh''s (√2/(2√π))·x·(0.134145x² + 1) rounded
    five times (4.3 ULP at x = -4.974 with sech²), once as a double-double."""
    var = getattr(printer, "var", None)
    if var is None or not any(isinstance(f, NumpyPrinter.SMALL) for f in factors):
        return factors, coeff
    polys = [f for f in factors if f.has(var) and not isinstance(f, NumpyPrinter.SMALL)
             and f.is_polynomial(var) and not f.has(DDArg, DDValue)]
    if not polys:
        return factors, coeff
    u = sympy.expand(coeff * Mul(*polys))
    try:
        p = sympy.Poly(u, var)
    except sympy.PolynomialError:
        return factors, coeff
    cs = [c for c in p.coeffs() if c != 0]
    if len(cs) < 2 or not all(c.is_number for c in cs) or all(_exact_float(c) for c in cs):
        return factors, coeff
    rest = [f for f in factors if f not in polys]
    return [DDValue(u, var)] + rest, S.One


def _dd_sum(c, var):
    """True if the polynomial c rounds in floats (two or more terms, or an
    inexact coefficient): ``ExpRatio``'s c0 is then a double-double."""
    if var is None or not c.has(var):
        return False
    try:
        cs = [a for a in sympy.Poly(c, var).all_coeffs() if a != 0]
    except sympy.PolynomialError:
        return False
    return all(a.is_number for a in cs) and (len(cs) >= 2 or not all(_exact_float(a) for a in cs))


def _exact_arg(u, var):
    """True if u is computed exactly in floats: x, -x, 2^k·x."""
    c, core = u.as_coeff_Mul()
    if core != var:
        return u == var
    q = abs(sympy.Rational(c)) if c.is_Rational else None
    return q is not None and (q.p & (q.p - 1)) == 0 and (q.q & (q.q - 1)) == 0


def dd_arguments(expr, var, extra=()):
    """Wrap the inexact polynomial arguments of σ, exp and sech² (and of the
    functions ``extra``: tanh, ExpRatio for NumPy) in :class:`DDArg`."""
    kinds = (sigmoid, sympy.exp, N.Sech2, N.Erfcx) + tuple(extra)

    def need(e):
        if not isinstance(e, kinds):
            return False
        u = e.args[0]
        if isinstance(u, DDArg) or not u.has(var) or _exact_arg(u, var):
            return False
        try:
            return sympy.Poly(u, var).degree() >= 1
        except sympy.PolynomialError:
            return False
    return expr.replace(need, lambda e: e.func(DDArg(e.args[0], var), *e.args[1:]))


def dd_poly_text(u, var):
    """``k_dd_poly(x, (hi...), (lo...))`` for the polynomial u (coefficients to 50 digits)."""
    import mpmath
    hi, lo = [], []
    with mpmath.workdps(50):
        for c in sympy.Poly(u, var).all_coeffs():
            m = mpmath.mpf(sympy.Float(sympy.N(c, 50), 50)._mpf_)
            h = float(m)
            hi.append(repr(h))
            lo.append(repr(float(m - mpmath.mpf(h))))
    return f"k_dd_poly({var.name}, ({', '.join(hi)},), ({', '.join(lo)},))"


def _tail_factor(e):
    """(factor, kind) of a product c·F(u) whose F ~ e^v can be subnormal while c
    is not small: σ (kind 0), exp (0), sech² (1), tanh(softplus u) (2)."""
    order = [(sigmoid, 0), (sympy.exp, 0), (N.Sech2, 1)]
    fs = Mul.make_args(e)
    if len(fs) < 2:
        return None
    for f in fs:
        if isinstance(f, sympy.tanh) and isinstance(f.args[0], softplus) \
                and len(f.args[0].args) == 1:
            return f, 2
    for cls, kind in order:
        for f in fs:
            if isinstance(f, cls):
                return f, kind
    return None


def _grows(e):
    """True if ``e`` can overflow for finite input (a power or polynomial of degree >= 2)."""
    return any(isinstance(a, Pow) and a.exp.is_Integer and a.exp >= 2
               for a in sympy.preorder_traversal(e))


def _add_order(e):
    """Terms of a sum: non-constant terms first, the constant last."""
    return sorted(e.args, key=lambda a: a.is_Number)


def _expensive(e):
    return any(isinstance(a, tuple(NumpyPrinter.UNARY) + (N.GaussScaled, N.ExpNegSq, N.ExpRatio,
                                                         softplus))
               and not isinstance(a, (Abs, sign)) for a in sympy.preorder_traversal(e))


def _exact_float(c):
    """True if the number c is a float exactly (a dyadic rational in range)."""
    q = sympy.Rational(c) if c.is_Rational else None
    return q is not None and (q.q & (q.q - 1)) == 0 and abs(q) < 2 ** 1000


def square_affine(expr, var):
    """(g, a, c) if ``expr`` is a·g² + c with numbers a, c ≠ 0 and g = x or
    max/min(x, const) (star_relu: (2/√5)·max(0, x)² - 1/√5), not all exact.
    Printed as ``k_square_affine``: the plain a·(g·g) + c rounds four times."""
    gens = [var] + [m for m in expr.atoms(Max, Min)
                    if m.has(var) and all(a == var or a.is_number for a in m.args)]
    d = sympy.Dummy("g")
    for g in gens:
        e = expr.xreplace({g: d})
        if e.has(var):
            continue
        try:
            p = sympy.Poly(e, d)
        except sympy.PolynomialError:
            continue
        cs = p.all_coeffs()
        if p.degree() != 2 or cs[1] != 0 or cs[2] == 0 or not all(c.is_number for c in cs):
            continue
        if _exact_float(cs[0]) and _exact_float(cs[2]):
            continue
        return g, cs[0], cs[2]
    return None


def _dd_pair(c):
    import mpmath
    with mpmath.workdps(50):
        m = mpmath.mpf(sympy.Float(sympy.N(c, 50), 50)._mpf_)
        h = float(m)
        return f"({h!r}, {float(m - mpmath.mpf(h))!r})"


def _body(expr, var, printer, indent="    "):
    sq = square_affine(expr, var)
    if sq is not None:
        g, a, c = sq
        return [f"{indent}return k_square_affine({printer.p(g)}, {_dd_pair(a)}, {_dd_pair(c / a)})"]
    lines = []
    dds = sorted(expr.atoms(DDArg), key=sympy.default_sort_key)
    if dds:  # each double-double argument computed once, as a (hi, lo) pair
        names = {d: Symbol(f"dd{i}") for i, d in enumerate(dds)}
        for d, n in names.items():
            lines.append(f"{indent}{n} = {dd_poly_text(*d.args)}")
        printer.dd_names = getattr(printer, "dd_names", set()) | set(names.values())
        expr = expr.xreplace(names)
    subs, (reduced,) = sympy.cse([expr], symbols=sympy.numbered_symbols("t"),
                                 ignore=[var])
    for s, v in subs:
        lines.append(f"{indent}{s} = {printer.p(v)}")
    lines.append(f"{indent}return {printer.p(reduced) if reduced.free_symbols else printer.const(reduced) + ' + 0.0 * ' + var.name}")
    return lines


def fold_constants(e):
    """Every constant subexpression -> one Float, rounded once from 30 digits."""
    if e.is_Atom or isinstance(e, (sympy.core.relational.Relational,)):
        return e
    if not e.free_symbols and not e.is_Number and isinstance(e, sympy.Expr):
        return sympy.Float(sympy.N(e, 30), 30)
    return e.func(*[fold_constants(a) for a in e.args])


def source(expr, var, name="f"):
    """Source of ``def name(x): ...`` computing ``expr`` on float64 arrays.

    A Piecewise with two or more branches that call special functions is
    evaluated by masks (``k_select``): each branch sees only its own inputs;
    with at most one such branch ``np.where`` over both is cheaper (every
    branch is finite or inf/nan off its own region, and ``where`` drops that).
    """
    expr = expr.replace(lambda e: isinstance(e, N.Mills),  # constants meet φ's and cancel
                        lambda e: sympy.sqrt(sympy.pi / 2) * N.Erfcx(-e.args[0] / sympy.sqrt(2)))
    pr = NumpyPrinter()
    pr.var = var
    if square_affine(expr, var) is not None:
        return "\n".join([f"def {name}({var.name}):", *_body(expr, var, pr)])
    expr = dd_arguments(fold_constants(expr), var, (sympy.tanh, N.ExpRatio))
    x = var.name
    if isinstance(expr, Piecewise) and sum(_expensive(v) for v, _ in expr.args) >= 2:
        lines, conds, names = [], [], []
        for i, (v, c) in enumerate(expr.args):
            fn = f"_{name}_{i}"
            lines += [f"def {fn}({x}):", *_body(v, var, pr), ""]
            names.append(fn)
            if c not in (True, S.true):
                conds.append(f"lambda {x}: {pr.cond(c)}")
        if expr.args[-1][1] not in (True, S.true):
            lines += [f"def _{name}_nan({x}):", f"    return np.nan + 0.0 * {x}", ""]
            names.append(f"_{name}_nan")
        lines += [f"def {name}({x}):",
                  f"    return k_select({x}, [{', '.join(conds)}], [{', '.join(names)}])"]
        return "\n".join(lines)
    return "\n".join([f"def {name}({x}):", *_body(expr, var, pr)])
