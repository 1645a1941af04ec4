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

A product c·σ(u) is c/(1 + e^-u) with the sum's rounding corrected
(``k_mul_sigmoid``); other products c·F(u) whose F can be subnormal are
rounded once (``k_mul_tail``); the polynomial argument of σ, exp or sech² is
a double-double (``k_dd_poly``):

>>> print(source(x * sigmoid(x), x, "f"))
def f(x):
    return k_mul_sigmoid(x, x, False)
"""
from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import sympy
from sympy import (Abs, Add, DiracDelta, Heaviside, Max, Min, Mul, Piecewise,
                   Pow, S, Symbol, sign)
from sympy.logic.boolalg import And, BooleanFalse, BooleanTrue, Not, Or

from ..errors import InputError
from ..functions import Phi, phi, sigmoid, softplus
from . import nodes as N
from .rules import stabilize as _stabilize

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
    #: SinSq by ``k_sin_sq`` (the torch/jax printers: by its expansion)
    SIN_SQ = True
    #: functions whose value can underflow: multiplied last in a product
    SMALL = (sympy.exp, sigmoid, N.Sech2, N.GaussScaled, N.ExpNegSq, phi, Phi)

    def softplus_beta(self, u, c):
        """``k_softplus_dd(u, c·u as a double-double, 1/c as (hi, lo))``, or
        softplus(c·u)/c where u is not a polynomial of the variable."""
        import mpmath
        var = getattr(self, "var", None)
        try:
            poly = var is not None and sympy.Poly(u, var).degree() >= 1
        except sympy.PolynomialError:
            poly = False
        if not poly:
            return self.p(softplus(c * u) / c)
        with mpmath.workdps(50):
            cm = mpmath.mpf(sympy.Float(sympy.N(c, 50), 50)._mpf_)
            r, lc = 1 / cm, mpmath.log(cm)
            rh, lch = float(r), float(lc)
            rl, lcl = float(r - mpmath.mpf(rh)), float(lc - mpmath.mpf(lch))
        dd = dd_poly_text(sympy.expand(c * u), var)
        return f"k_softplus_dd({self.p(u)}, {dd}, ({rh!r}, {rl!r}), ({lch!r}, {lcl!r}))"

    def const_like(self, x, c):
        """Text of an array of the constant ``c`` shaped like ``x``."""
        return f"{self.const(c)} + 0.0 * {x}"

    def nan_like(self, x):
        """Text of an array of nan shaped like ``x`` (a Piecewise's missing branch)."""
        return f"np.nan + 0.0 * {x}"

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
        if isinstance(e, Add) and self.SIN_SQ and e.has(N.SinSq):
            text = self.sin_sq_sum(e)
            if text is not None:
                return text
        if isinstance(e, Add) and len(e.args) == 2 and getattr(self, "var", None) in e.args:
            c = e.args[0] if e.args[1] == self.var else e.args[1]
            if c.is_number and c.is_finite and abs(c) < 1e300 and _float_of(c) is None:
                # x + c with c = hi + lo not a float: x + hi is exact where it cancels
                hi, lo = _dd_parts(c)  # (softshrink's x - λ near λ = 0.3)
                return f"k_add_pair({self.var.name}, {self.const(hi)}, {self.const(lo)})"
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
        if isinstance(e, N.SoftplusBeta):
            return self.softplus_beta(*e.args)
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
            c = e.args[1]
            cd = self.dd_text(c) if self.DD_COFACTOR and c.has(N.Erfcx) else self.dd_poly_cofactor(c)
            return f"k_gauss_scaled({self.p(e.args[0])}, {cd or self.p_array(c)})"
        if isinstance(e, N.Times):
            c, v = e.args
            if c.is_Rational and c.p == 1:
                return f"({self.p(v)}{_by(c.q, self.POW2_BY_MUL)})"
            return f"({self.p_array(c)} * {self.p(v)})"
        if isinstance(e, N.ExpRatio):
            u, c0, r, w = e.args[:4]
            k = f", {int(e.args[4])}" if len(e.args) > 4 else ""
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
            return f"k_exp_ratio({self.p(u)}, {c0s}, ({rs}), ({ws}){k})"
        if isinstance(e, N.SinSq):
            return self.sin_sq(e) if self.SIN_SQ else self.p(N.sin_sq_plain(*e.args))
        if isinstance(e, N.SinShift):
            if not self.SIN_SQ:
                return self.p(N.sin_shift_plain(*e.args))
            arg, k, s, m = self.sin_arg(*e.args, 64)
            return f"k_sin_dd({arg}, {k}, {s}{m})[0]"
        if isinstance(e, N.Recip1pSq):
            return f"k_recip1psq({self.p(e.args[0])})"
        if isinstance(e, N.DivPow):  # c/u/u/...: n divisions, no power of u
            c, u, n = e.args
            return "(" + self.p_array(c) + f" / {self.p(u)}" * int(n) + ")"
        if isinstance(e, N.ExpNegSq):
            c = self.dd_poly_cofactor(e.args[1]) or self.p_array(e.args[1])
            return f"k_expsq({self.p(e.args[0])}, {c}, 1.0)"
        if isinstance(e, N.Hypot1):
            return f"np.hypot({self.p(e.args[0])}, 1.0)"
        if isinstance(e, Heaviside):
            h0 = e.args[1] if len(e.args) > 1 else S.Half
            if h0 == S.Half and not getattr(self, "plain", False):
                # sign(u)/2 + 1/2: the values 0, 1/2, 1 and nan exactly, 4x faster
                return f"(np.sign({self.p(e.args[0])}) * 0.5 + 0.5)"
            return f"np.heaviside({self.p(e.args[0])}, {self.const(h0)})"
        if isinstance(e, N.Clip):
            return self.clip(*e.args)
        if isinstance(e, N.Select):
            return self.select(*e.args)
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

    def clip(self, u, lo, hi, mode):
        """u clamped (see :class:`~.nodes.Clip`): mode 0 ``np.clip`` (one
        bound: ``np.maximum(u, lo)``), 1 ``np.maximum(lo, np.minimum(hi, u))``,
        2 ``np.minimum(np.maximum(u, lo), hi)``, 3 ``k_clip0`` (np.clip, then
        + 0.0 in place: -0.0 becomes +0.0; one bound: as 2); + 4: a bound 0 is -0.0."""
        kind, neg = int(mode) & 3, int(mode) & 4

        def b(v):
            return "(-0.0)" if neg and v == 0 else self.const(v)
        t = self.p(u)
        if lo.is_finite and hi.is_finite and kind == 0:
            return f"np.clip({t}, {b(lo)}, {b(hi)})"
        if lo.is_finite and hi.is_finite and kind == 3:
            return f"k_clip0({t}, {b(lo)}, {b(hi)})"
        if kind == 1:
            t = f"np.minimum({b(hi)}, {t})" if hi.is_finite else t
            return f"np.maximum({b(lo)}, {t})" if lo.is_finite else t
        t = f"np.maximum({t}, {b(lo)})" if lo.is_finite else t
        return f"np.minimum({t}, {b(hi)})" if hi.is_finite else t

    def select(self, c, a, b):
        """a where c else b (numbers, or b = 0) as arithmetic on the mask c."""
        m = self.cond(c)
        if a.free_symbols:  # a·[c] + 0.0: +0.0 (not ±0) off c, nan stays nan
            return f"({self.p(a)} * {m} + {self.const(b)})"
        fa, fb = float(a), float(b)
        d = fa - fb
        if fb == 0 and fa > 0:  # False * a is +0.0
            return f"({m} * {self.const(a)})"
        if fa == 0 and fb > 0:  # not-c (false at nan: the wrapper puts nan there)
            return f"({self.cond(_negated(c))} * {self.const(b)})"
        if d == 1:
            return f"({m} + {self.const(b)})"
        if d == -1:
            return f"({self.const(b)} - {m})"
        return f"({m} * {d!r} + {self.const(b)})"

    def sin_arg(self, u, s, period):
        """(text, k, s, m) for the kernels' sin(2^k·text + s·π/32): u = ±2^k·x
        is reduced from x itself, exactly (k <= 5: PIO_TABLE reaches
        2^1024·2^5); u = ±a·x for any other rational a as a·x, the product
        never rounded (m = ``, (m1, m2, m3, p, q)``: ``k_mul_reduce``;
        snake with a = 3: 3x rounded lost the digits of 1 + sin 6x next to
        its zeros, and overflowed past 6e307); any other u as printed (k = 0).

        >>> x = Symbol('x', real=True)
        >>> pr = NumpyPrinter(); pr.var = x
        >>> pr.sin_arg(-3 * x, 8, 32)
        ('x', 0, 24, ', (3.0, 0.0, 0.0, 3, 1)')
        """
        var = getattr(self, "var", None)
        a, core = u.as_coeff_Mul()
        if var is not None and core == var and (a.is_Rational or a.is_Float) and a != 0:
            q = abs(sympy.Rational(a))
            k = q.p.bit_length() - q.q.bit_length()
            if a < 0:  # sin²(-v + c) = sin²(v - c); sin(-v + c) = sin(v - c + π)
                s = -s if period == 32 else 32 - s
            if (q.p & (q.p - 1)) == 0 and (q.q & (q.q - 1)) == 0 and k <= 5:
                return var.name, k, int(s) % period, ""
            return var.name, 0, int(s) % period, f", {_mul_parts(q)}"
        return self.p(u), 0, int(s) % period, ""

    def sin_sq(self, e, c=S.One, v=None):
        """``k_sin_sq``: v + c·SinSq(u, s) rounded once (c a number)."""
        arg, k, s, m = self.sin_arg(*e.args, 32)
        vt = "0.0" if v is None else self.p_array(v)
        return f"k_sin_sq({arg}, {k}, {s}, {_dd_pair(c)}, {vt}{m})"

    def sin_sq_sum(self, e):
        """A sum with a term c·SinSq (c a number): the rest of the sum v, then
        ``k_sin_sq``'s v + c·sin² with one rounding (snake = x + sin²x)."""
        for t in e.args:
            c, core = t.as_coeff_Mul()
            if isinstance(core, N.SinSq) and c.is_number:
                rest = Add(*[a for a in e.args if a is not t])
                return self.sin_sq(core, c, None if rest == 0 else rest)
        return None

    def mul(self, e):
        small = _scaled_expm1(e)
        if small is not None:        # c·expm1(d·w), |d| < 1: (c·d)·w where d·w underflows
            w, cd, t = small
            return f"k_tiny_linear({self.p_array(w)}, {self.mul_plain(e)}, {cd!r}, {t!r})"
        if self.SIN_SQ:
            c, core = e.as_coeff_Mul()
            if isinstance(core, N.SinSq) and c.is_number:  # c·sin², rounded once
                return self.sin_sq(core, c)
        tail = _tail_factor(e)
        if tail is not None:
            f, kind = tail
            rest = e / f
            u = f.args[0].args[0] if kind == 2 else f.args[0]
            if isinstance(f, sigmoid) and not self._dd_arg(u) \
                    and sum(1 for g in Mul.make_args(e) if isinstance(g, sigmoid)) == 1:
                var = getattr(self, "var", None)  # c = a·x, |a| <= 1, or a number: finite
                a = rest / var if var is not None else None
                lin = (rest.is_Number and rest.is_finite) or (
                    a is not None and a.is_Number and abs(a) <= 1)
                return (f"k_mul_sigmoid({self.p_array(rest)}, {self.p(u)})" if not lin else
                        f"k_mul_sigmoid({self.p_array(rest)}, {self.p(u)}, False)")
            return (f"k_mul_tail({self.p_array(rest)}, {self.mul_plain(e)}, {self.p(u)}, "
                    f"{min(kind, 1) if kind != 2 else 0})")
        return self.mul_plain(e)

    #: the cofactor of a Gaussian that holds an erfcx as a double-double (``dd_text``)
    DD_COFACTOR = True
    #: a division by 2^k printed as a multiplication by 2^-k (``_by``)
    POW2_BY_MUL = True

    def dd_text(self, e):
        """Text of ``e`` as a double-double pair, or None: sums and products of
        x, numbers and erfcx (``k_dd_add``, ``k_dd_mul``, ``k_erfcx_pair``),
        for a cofactor whose roundings would add to the exponential's (gelu's
        tail (x/2)·erfcx(-x/√2)·e^{-x²/2}: 3.3 ULP rounded apart, 1.2 as one
        double-double times ``k_expsq_pair``)."""
        var = getattr(self, "var", None)
        if e == var:
            return self.p(e)
        if e.is_Number:
            h, l = _dd_parts(e)
            # a float, or one within the 30 digits constants are folded to (1/2)
            return repr(h) if l == 0 or abs(l) <= 1e-29 * abs(h) else f"({h!r}, {l!r})"
        if isinstance(e, N.Erfcx):
            return f"k_erfcx_pair({self.p(e.args[0])})"
        if isinstance(e, (Add, Mul)):
            parts = [self.dd_text(a) for a in e.args]
            if any(t is None for t in parts):
                return None
            op = "k_dd_add" if isinstance(e, Add) else "k_dd_mul"
            text = parts[0]
            for t in parts[1:]:
                text = f"{op}({text}, {t})"
            return text
        return None

    def dd_poly_cofactor(self, c):
        """``k_dd_poly`` text of a Gaussian's cofactor c that is a polynomial of
        two or more terms (numeric coefficients), else None: its roundings
        would add to the exponential's (gelu'' = (2 - x²)φ(x): 2.59 ULP at
        x = 9.65 with x², the products and the sum rounded apart); the pair
        meets ``k_expsq_pair``'s one rounding. A single term c·x keeps its
        one product (gelu' unchanged)."""
        var = getattr(self, "var", None)
        if not self.DD_COFACTOR or var is None or not c.has(var):
            return None
        try:
            cs = [a for a in sympy.Poly(c, var).all_coeffs() if not a.is_zero]  # (0.0 != 0)
        except sympy.PolynomialError:
            return None
        if len(cs) < 2 or not all(a.is_number and a.is_real for a in cs):
            return None
        return dd_poly_text(sympy.expand(c), var)

    def _dd_arg(self, u):
        return isinstance(u, DDArg) or u in getattr(self, "dd_names", ())

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
        small = [f for f in num if _small_factor(f, self.SMALL)]
        big = [f for f in num if not _small_factor(f, self.SMALL) and _grows(f)]
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
            return f"({'-' if c.p < 0 else ''}{text}{_by(c.q, self.POW2_BY_MUL)})"
        big = _split_constant(coeff)
        if big is not None:          # c past 2^±1000 (swish'' with β = 1e160: β²/2 = inf)
            return f"({self.const(big[0])} * ({self.const(big[1])} * {text}))"
        return f"({self.const(coeff)} * {text})"

    def pow_sum(self, base, ex):
        """``k_pow_sum`` text for (a + c)^n, n = ±2..±4 and c a number (the sum's
        rounding would count n times), else None."""
        if ex.is_Integer and 2 <= abs(int(ex)) <= 4 and isinstance(base, sympy.Add) \
                and len(base.args) == 2 and any(a.is_Number for a in base.args) \
                and base.free_symbols:
            c = next(a for a in base.args if a.is_Number)
            a = next(t for t in base.args if t is not c)
            if a.is_Pow and a.exp == 2 and not a.base.is_Number:  # x²: its rounding too
                b = self.p_array(a.base)
                return f"k_pow_sum(k_two_prod({b}, {b}), {_dd_pair(c)}, {int(ex)})"
            return f"k_pow_sum({self.p_array(a)}, {_dd_pair(c)}, {int(ex)})"
        return None

    def tanh_square(self, base, ex):
        """``k_tanh_sq`` text for tanh(u)² (rounded once: tanh's error is not
        doubled; tanhshrink' was 2.67 ULP), else None."""
        if isinstance(base, sympy.tanh) and ex == 2 and not (
                isinstance(base.args[0], DDArg) or base.args[0] in getattr(self, "dd_names", ())):
            return f"k_tanh_sq({self.p(base.args[0])})"
        return None

    def pow(self, base, ex):
        compensated = self.tanh_square(base, ex) or self.pow_sum(base, ex)
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
        sym = None if getattr(self, "plain", False) else _abs_condition(c)
        if sym is not None:  # (x > l) | (x < -l) -> |x| > l: one comparison, exact
            return self.cond(sym)
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


def _side(c, var):
    """(kind, b, strict) of a condition ``var < b`` ("lo": the left end, also
    ``<=``, ``b > var``) or ``var > b`` ("hi"); None for any other condition."""
    rel = {sympy.StrictLessThan: ("lo", True), sympy.LessThan: ("lo", False),
           sympy.StrictGreaterThan: ("hi", True), sympy.GreaterThan: ("hi", False)}
    if type(c) not in rel:
        return None
    kind, strict = rel[type(c)]
    lhs, rhs = c.lhs, c.rhs
    if rhs == var and lhs.is_number:
        lhs, rhs, kind = rhs, lhs, {"lo": "hi", "hi": "lo"}[kind]
    if lhs != var or not rhs.is_number or not rhs.is_finite:
        return None
    return kind, rhs, strict


def _abs_condition(c):
    """|x| > l for (x > l) | (x < -l), |x| < l for (x < l) & (x > -l) (and
    the non-strict pairs), l > 0: the same truth value for every float x
    (nan included), with one comparison instead of three passes.

    >>> x = Symbol('x', real=True)
    >>> _abs_condition((x > S.Half) | (x < -S.Half))
    Abs(x) > 1/2
    """
    if not isinstance(c, (Or, And)) or len(c.args) != 2:
        return None
    (v,) = c.free_symbols if len(c.free_symbols) == 1 else (None,)
    sides = [_side(a, v) for a in c.args] if v is not None else [None]
    if None in sides:
        return None
    (k1, b1, s1), (k2, b2, s2) = sorted(sides, key=lambda t: t[0])  # "hi" first
    if s1 != s2 or b1 != -b2 or not b1.is_number:
        return None
    if isinstance(c, Or) and k1 == "hi" and k2 == "lo" and b1 > 0:
        return (Abs(v) > b1) if s1 else (Abs(v) >= b1)
    if isinstance(c, And) and k1 == "hi" and k2 == "lo" and b2 > 0:
        return (Abs(v) < b2) if s1 else (Abs(v) <= b2)
    return None


def _negated(c):
    """The condition true exactly where c is false, for every x but nan (De
    Morgan; x >= b for not x < b): at x = nan both are false.

    >>> x = Symbol('x', real=True)
    >>> _negated((x >= 6) | (x <= 0))
    (x > 0) & (x < 6)
    """
    flip = {sympy.StrictLessThan: sympy.GreaterThan, sympy.LessThan: sympy.StrictGreaterThan,
            sympy.StrictGreaterThan: sympy.LessThan, sympy.GreaterThan: sympy.StrictLessThan}
    if type(c) in flip:
        return flip[type(c)](c.lhs, c.rhs, evaluate=False)
    if isinstance(c, (And, Or)):
        return (Or if isinstance(c, And) else And)(*[_negated(a) for a in c.args])
    return Not(c)


# -- Piecewise without np.where: each form checked bit-for-bit when printed --

def _pieces(e, var):
    """The Piecewise ``e`` as (value, side) pairs (side None: the last, True
    branch), or None if a condition is not one comparison of var with a number."""
    out = []
    for i, (v, c) in enumerate(e.args):
        if c in (True, S.true):
            if i != len(e.args) - 1:
                return None
            out.append((v, None))
            continue
        sd = _side(c, var)
        if sd is None:
            return None
        out.append((v, sd))
    return out if out and out[-1][1] is None else None


def _clip_for(kind, b, mode):
    lo, hi = (b, S.Infinity) if kind == "hi" else (S.NegativeInfinity, b)
    return lambda var: N.Clip(var, lo, hi, mode)


def _clamped_argument(e, var):
    """Constant end branches equal to the last branch B at their breakpoints:
    B(clip(x, b1, b2)) (hard_tanh = clip(x, -1, 1), relu6, elu' =
    exp(min(x, 0)), hard_sigmoid = (clip(x, -3, 3) + 3)/6)."""
    pcs = _pieces(e, var)
    if pcs is None or len(pcs) not in (2, 3) or not pcs[-1][0].has(var):
        return
    ends = pcs[:-1]
    if any(v.has(var) for v, _ in ends) or len({sd[0] for _, sd in ends}) != len(ends):
        return
    bounds = {sd[0]: sd[1] for _, sd in ends}
    lo, hi = bounds.get("lo", S.NegativeInfinity), bounds.get("hi", S.Infinity)
    if lo.is_finite and hi.is_finite and not lo < hi:
        return
    for mode in _MODES:
        yield pcs[-1][0].xreplace({var: N.Clip(var, lo, hi, mode)})


def _clipped_value(e, var):
    """Constant end branches lo, hi and a last branch B linear in x with a
    positive slope (monotone in floats): clip(B, lo, hi) (hard_sigmoid =
    clip((x + 3)/6, 0, 1))."""
    pcs = _pieces(e, var)
    if pcs is None or len(pcs) not in (2, 3):
        return
    v = pcs[-1][0]
    try:
        slope = sympy.Poly(N.elementary(v), var)
    except sympy.PolynomialError:
        return
    if slope.degree() != 1 or not slope.LC() > 0 or v.count(var) != 1:
        return
    ends = {sd[0]: c for c, sd in pcs[:-1]}
    if len(ends) != len(pcs) - 1 or any(c.has(var) for c in ends.values()):
        return
    lo, hi = ends.get("lo", S.NegativeInfinity), ends.get("hi", S.Infinity)
    for mode in _MODES:
        yield N.Clip(v, lo, hi, mode)


def _sum_of_sides(e, var):
    """Piecewise((A, x > b), (B, True)) with A(b) = B(b) = 0:
    A(max(x, b)) + B(min(x, b)) (elu = max(x, 0) + expm1(min(x, 0)): two
    cheap passes for the where's unpredictable branch)."""
    pcs = _pieces(e, var)
    if pcs is None or len(pcs) != 2 or not all(v.has(var) for v, _ in pcs):
        return
    (a, (kind, b, _)), (bb, _) = pcs
    other = "lo" if kind == "hi" else "hi"
    for ma in _MODES:
        for mb in _MODES:
            yield (a.xreplace({var: _clip_for(kind, b, ma)(var)})
                   + bb.xreplace({var: _clip_for(other, b, mb)(var)}))


def _shifted(e, var):
    """x - Q(x) where Q = x - e is a clamped argument (softshrink = x - clip(x, -l, l))."""
    q = Piecewise(*[(var - v, c) for v, c in e.args])
    if not isinstance(q, Piecewise):
        return
    for f in _clamped_argument(q, var):
        yield var - f


def _constant_select(e, var):
    """Piecewise((a, C), (b, True)) of numbers: mask arithmetic (``Select``)."""
    if len(e.args) == 2 and not any(v.has(var) for v, _ in e.args) \
            and e.args[1][1] in (True, S.true) and all(v.is_finite for v, _ in e.args):
        yield N.Select(e.args[0][1], e.args[0][0], e.args[1][0])


def _masked_product(e, var):
    """Piecewise((A, C), (0, True)): A·[C] + 0.0 (hardshrink = x·[|x| > l] + 0.0;
    nan stays nan, where np.where gave 0 and the wrapper one more pass)."""
    if len(e.args) == 2 and e.args[0][0].has(var) and e.args[1] == (S.Zero, S.true):
        yield N.Select(e.args[0][1], e.args[0][0], S.Zero)


def _common_factor(e, var):
    """x·P' where every branch of e is x·a_i (0 = x·0): hard_swish =
    x·clip((x + 3)/6, 0, 1), x clamped where P' is 0 so that the zero keeps
    its sign (and -inf·0 is not nan)."""
    vals = [v for v, _ in e.args]
    if not any(v.has(var) for v in vals) or e.args[-1][1] not in (True, S.true):
        return
    inner = []
    for v, c in e.args:
        a = sympy.cancel(v / var)
        if sympy.denom(a).has(var):
            return
        inner.append((_stabilize(a, var), c))
    pw = Piecewise(*inner, evaluate=False)
    if not any(a.has(var) for a, _ in inner) or all(a.is_number for a, _ in inner):
        return
    pcs = _pieces(pw, var)
    zero_ends = [sd for a, sd in (pcs or [])[:-1] if a == 0]
    factors = [var]
    for mode in _MODES:
        for kind, b, _ in zero_ends:  # x where P' = 0 replaced by the breakpoint
            other = "hi" if kind == "lo" else "lo"
            factors.append(_clip_for(other, b, mode)(var))
    for f in (*_clipped_value(pw, var), *_clamped_argument(pw, var)):
        for g in factors:
            yield Mul(g, f, evaluate=False), Mul(var, pw, evaluate=False)


_MODES = (0, 3, 1, 2, 4, 5, 6)  # 3 before 1, 2: one pass and an in-place add, not two passes
_RULES = (_constant_select, _clamped_argument, _clipped_value, _sum_of_sides, _shifted,
          _masked_product, _common_factor)


def _probe(e, var):
    """Inputs on which two forms of ``e`` must agree bit for bit: ±0, ±inf,
    nan, subnormals, huge values, every number in ``e`` (the breakpoints and
    the roots of its branches) with both signs and five float neighbours each
    side, and 20000 random values of scales 1e-3 to 1e12."""
    nums = {abs(float(n)) for n in e.atoms(sympy.Number) if n.is_finite and n.is_real}
    base = [0.0, 5e-324, 1e-320, 2.2250738585072014e-308, 1e-300, 1e-8, 0.5, 1.0, 2.0,
            1e8, 1e300, 1.7976931348623157e308, np.inf] + sorted(nums)
    pts = []
    for v in base:
        for s in (1.0, -1.0):
            y = s * v
            pts.append(y)
            lo = hi = y
            with np.errstate(all="ignore"):
                for _ in range(5):
                    lo, hi = np.nextafter(lo, -np.inf), np.nextafter(hi, np.inf)
                    pts += [lo, hi]
    rng = np.random.default_rng(0)
    rnd = np.concatenate([rng.standard_normal(4000) * s for s in (1e-3, 1.0, 5.0, 1e3, 1e12)])
    pts = np.array(pts + [np.nan], dtype=np.float64)
    return np.concatenate([pts, rnd, pts[::-1]]), pts


def _values(e, var, x, plain=False, singles=()):
    """``e`` printed (``plain``: without the printing rules above) and run on
    x, then on each of ``singles`` alone (NumPy's loops for one element are
    not its SIMD loops: a tie of ±0 may go either way)."""
    from scipy import special as sc

    from . import kernels
    pr = NumpyPrinter()
    pr.var, pr.plain = var, plain
    text = "\n".join([f"def _f({var.name}):", *_body(e, var, pr)])
    ns = dict(vars(kernels), np=np, sc=sc)
    exec(compile(text, "<symacts fast select check>", "exec"), ns)  # noqa: S102 - our printed code
    f = ns["_f"]
    with np.errstate(all="ignore"):
        out = [np.broadcast_to(np.asarray(f(x), dtype=np.float64), x.shape)]
        out += [np.broadcast_to(np.asarray(f(np.array([v])), dtype=np.float64), (1,))
                for v in singles]
    return np.concatenate(out)


def _by(q, mul=True):
    """`` / q`` for an integer q > 1, or (``mul``) `` * 2^-k`` where q = 2^k:
    the same real number correctly rounded, so the same bits, and a
    multiplication costs a third of a division (0.25 against 0.65 ns per
    value, measured). The array printers keep the division: XLA factors
    x*0.5 + y*0.5 into (x + y)*0.5, which overflows (gelu_tanh at 1.8e308).

    >>> _by(2), _by(4), _by(6), _by(2, mul=False)
    (' * 0.5', ' * 0.25', ' / 6.0', ' / 2.0')
    """
    q = int(q)
    if mul and q & (q - 1) == 0 and q < 2 ** 1000:
        return f" * {1.0 / q!r}"
    return f" / {float(q)!r}"


def _same_bits(got, want, x):
    """Bit for bit (every nan alike) wherever x is not nan (at nan the
    NumPy wrapper returns nan whatever the core gives: ``numpy_backend._patches``)."""
    nan = (np.isnan(got) & np.isnan(want)) | np.isnan(x)
    return bool(np.all(nan | (got.view(np.int64) == want.view(np.int64))))


def fast_select(e, var, rules=None):
    """The first form of the Piecewise ``e`` without ``np.where`` (a clip, a
    sum of clamped sides, x - clip, mask arithmetic, x·clip) whose values are
    those of the ``np.where`` printing bit for bit on :func:`_probe`'s points
    (the signs of zeros and ±inf included; not at x = nan, where the NumPy
    wrapper puts nan); ``e`` itself otherwise. ``rules``: only these generators.

    >>> x = Symbol('x', real=True)
    >>> fast_select(Piecewise((-1, x <= -1), (1, x >= 1), (x, True)), x)
    Clip(x, -1, 1, 0)
    >>> fast_select(Piecewise((x - S.Half, x > S.Half), (x + S.Half, x < -S.Half), (0, True)), x)
    x - Clip(x, -1/2, 1/2, 0)

    For x·P' (:func:`_common_factor`) the reference is x·P' as ``np.where``
    prints it (the product rounds once more or less than the branch did),
    with e's own zeros, nan and infinities.
    """
    if not isinstance(e, Piecewise) or e.has(DDArg, DDValue) \
            or sum(_expensive(v) for v, _ in e.args) >= 2:  # masked by k_select
        return e
    x, singles = _probe(e, var)
    xs = np.concatenate([x, singles])
    try:
        ref = _values(e, var, x, plain=True, singles=singles)
    except Exception:  # noqa: BLE001 - a branch the check cannot run: keep np.where
        return e
    for rule in _RULES if rules is None else rules:
        for cand in rule(e, var):
            want = ref
            if isinstance(cand, tuple):  # a re-associated product: its own reference
                cand, factored = cand
                alt = _values(factored, var, x, plain=True, singles=singles)
                keep = (ref == 0) | ~np.isfinite(ref)
                want = np.where(keep, ref, alt)
            try:
                got = _values(cand, var, x, singles=singles)
            except Exception:  # noqa: BLE001
                continue
            if _same_bits(got, want, xs):
                return cand
    return e


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


def exp_log_constant(expr, var):
    """c·e^u -> ±e^(u + ln|c|) for a number c that is not ±2^k and u a
    polynomial in ``var`` (its argument a double-double, ``DDArg``): the
    product's rounding goes into the argument's low part (celu'' = e^(x/α)/α
    was 2.25 ULP for α = 0.3), and e^u does not underflow where c·e^u is a
    float (α = 1e-300: 0 for 3.6e-173). Constants folded first (``fold_constants``).

    >>> from sympy import Symbol, exp, Float
    >>> x = Symbol('x')
    >>> exp_log_constant(Float(10, 30) * exp(10 * x), x)
    exp(DDArg(10*x + 2.30258509299404568401799145468, x))
    """
    def need(e):
        if not isinstance(e, Mul):
            return False
        c, core = e.as_coeff_Mul()
        if not (c.is_Number and c.is_finite and c != 0 and isinstance(core, sympy.exp)):
            return False
        m, _ = math.frexp(abs(float(c)))
        if m == 0.5 and sympy.Rational(float(c)) == c:
            return False             # ±2^k: the product is exact
        u = core.args[0]
        try:
            p = sympy.Poly(u, var)
        except sympy.PolynomialError:
            return False
        if not u.has(var) or p.degree() < 1:
            return False
        lc = abs(float(p.LC()))
        exact_u = p.degree() == 1 and p.all_coeffs()[1] == 0 and math.frexp(lc)[0] == 0.5 \
            and sympy.Rational(lc) == abs(p.LC())
        # u = ±2^k·x is exact and c·e^u rounds only twice (selu' = λα·e^x: 1.42
        # ULP, within the contract; the double-double form costs 1.8x its time)
        return not (exact_u and abs(math.frexp(abs(float(c)))[1]) < 900)

    def rewrite(e):
        c, core = e.as_coeff_Mul()
        arg = DDArg(core.args[0] + sympy.Float(sympy.N(sympy.log(abs(c)), 30), 30), var)
        return sympy.exp(arg) if c > 0 else -sympy.exp(arg)
    return expr.replace(need, rewrite)


def dd_poly_text(u, var):
    """``k_dd_poly(x, (hi...), (lo...))`` for the polynomial u (coefficients to 50 digits).

    A product b·x (or b·x + c) with |b| outside [1/16, 16] is printed as (2^e·x)·(b/2^e),
    b/2^e in [1/2, 1): 2^e·x is exact, and its split stays in range where
    x's would overflow (swish's β·x with β = 1e-100 and x = -8e101, where the
    plain product lost 9 bits in e^(βx); b = 1e300 overflowed the split).

    >>> from sympy import Symbol, Rational
    >>> x = Symbol('x')
    >>> dd_poly_text(x / 1000, x)
    'k_dd_poly(x * 0.001953125, (0.512, 0.0,), (-1.0658141036401503e-17, 0.0,))'
    """
    import mpmath
    hi, lo = [], []
    arg = var.name
    with mpmath.workdps(50):
        cs = [mpmath.mpf(sympy.Float(sympy.N(c, 50), 50)._mpf_) for c in sympy.Poly(u, var).all_coeffs()]
        if len(cs) == 2 and cs[0] != 0 and not 2 ** -4 <= abs(cs[0]) <= 16:  # (b·x + c too)
            e = min(max(int(mpmath.floor(mpmath.log(abs(cs[0]), 2))) + 1, -1000), 1000)
            cs[0] = mpmath.ldexp(cs[0], -e)
            arg = f"{var.name} * {2.0 ** e!r}"
        for m in cs:
            h = float(m)
            hi.append(repr(h))
            lo.append(repr(float(m - mpmath.mpf(h))))
    return f"k_dd_poly({arg}, ({', '.join(hi)},), ({', '.join(lo)},))"


def _scaled_expm1(e):
    """(w, c·d, 2^-54/|d|) for e = c·expm1(d·w) with numbers c, d and |d| < 1
    (celu's α·expm1(x/α), α > 1), where d·w can underflow; else None."""
    c, core = e.as_coeff_Mul()
    if not (c.is_Number and isinstance(core, N.Expm1)):
        return None
    d, w = core.args[0].as_coeff_Mul()
    if not (d.is_Number and w.free_symbols and 0 < abs(d) < 1):
        return None
    return w, float(c * d), 2.0 ** -54 / abs(float(d))


def _split_constant(c):
    """(2^k, c/2^k), both near sqrt|c|, for a number c with |c| outside
    [2^-1000, 2^1000] (inf, or subnormal, as one float); else None. The
    product's other factors meet c/2^k first, so c·t is finite where it is.

    >>> [float(v) for v in _split_constant(sympy.Float("1e320"))]
    [7.029552803973744e+159, 1.4225655996704495e+160]
    """
    c = sympy.Float(sympy.N(c, 30), 30)
    if c == 0 or 2.0 ** -1000 <= abs(c) <= 2.0 ** 1000:
        return None
    e = int(sympy.floor(sympy.log(abs(c), 2))) // 2
    p = sympy.Integer(2) ** e
    return p, c / p


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
    """True if ``e`` can overflow for finite input: a power or polynomial of
    degree >= 2, or a symbol times a factor that can exceed 1 (mish'' holds
    x·(2 tanh(softplus x)·σ(x) - σ(-x)), inf from 9e307)."""
    for a in sympy.preorder_traversal(e):
        if isinstance(a, Pow) and a.exp.is_Integer and a.exp >= 2:
            return True
        if isinstance(a, Mul) and any(f.is_Symbol for f in a.args) and \
                any(f.free_symbols and not f.is_Symbol for f in a.args):
            return True
    return False


def _small_factor(f, small):
    """True if ``f`` underflows with one of the SMALL functions: one of them,
    a positive power of one, or a product (``Times``) holding one."""
    if isinstance(f, small):
        return True
    if isinstance(f, Pow) and f.exp.is_positive:
        return _small_factor(f.base, small)
    if isinstance(f, N.Times):
        return any(_small_factor(g, small) for g in Mul.make_args(f.args[1]))
    if isinstance(f, Mul):
        return any(_small_factor(g, small) for g in f.args)
    return False


def _add_order(e):
    """Terms of a sum: non-constant terms first, the constant last."""
    return sorted(e.args, key=lambda a: a.is_Number)


def _expensive(e):
    return any(isinstance(a, tuple(NumpyPrinter.UNARY) + (N.GaussScaled, N.ExpNegSq, N.ExpRatio,
                                                         softplus))
               and not isinstance(a, (Abs, sign)) for a in sympy.preorder_traversal(e))


def _exact_float(c):
    """True if the number c is a float exactly (10^200 is not: 53 bits)."""
    return bool(c.is_Rational) and abs(c) < 2 ** 1000 and _float_of(c) is not None


def square_affine(expr, var):
    """(g, a, c) if ``expr`` is a·g² + c with numbers a, c ≠ 0 and g = x or
    max/min(x, const) (star_relu: (2/√5)·max(0, x)² - 1/√5). Printed as
    ``k_square_affine`` also where a and c are floats: the plain a·(g·g) + c
    cancels next to a root (3x² - 1e10 was 0 for -1.5e-7 there) and overflows
    with g² (0.5x² - 1 at 1.4e154)."""
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
        return g, cs[0], cs[2]
    return None


def _dd_parts(c):
    """(hi, lo) floats of the number c to 50 digits."""
    import mpmath
    with mpmath.workdps(50):
        m = mpmath.mpf(sympy.Float(sympy.N(c, 50), 50)._mpf_)
        h = float(m)
        return h, float(m - mpmath.mpf(h))


def _dd_pair(c):
    return "({!r}, {!r})".format(*_dd_parts(c))


def _mul_parts(q):
    """``(m1, m2, m3, p, q)``: the rational q > 0 as three doubles (their sum
    q to 2^-159 of itself: ``k_mul_reduce``'s Cody–Waite) and as p/q (its
    Payne–Hanek table, ``k_pio_mul``).

    >>> _mul_parts(sympy.Rational(1, 3))
    '(0.3333333333333333, 1.850371707708594e-17, 1.0271626370065257e-33, 1, 3)'
    """
    m, r = [], q
    for _ in range(3):
        f = float(Fraction(r.p, r.q))  # the nearest double (a Fraction is rounded correctly)
        m.append(f)
        r -= sympy.Rational(f)
    return f"({m[0]!r}, {m[1]!r}, {m[2]!r}, {q.p}, {q.q})"


def square_affine_constants(a, c):
    """``((A_hi, A_lo), (Q_hi, Q_mid, Q_lo), k)`` for ``k_square_affine``:
    a·g² + c = A·((g·2^k)² + Q), A = a·4^-k, Q = c/a·4^k (Q to 3 doubles: one
    float off the root G² + Q is ~2^-52·|Q|, a double-double Q is off by
    2^-107·|Q|). k is the one nearest 0 with 2^-800 <= |Q| <= 2^800 (the root
    sqrt(-Q) where G² = p + r is exact) and 2^-960 <= |A| <= 2^1020 (A normal,
    A·G² finite where the value is).

    >>> square_affine_constants(sympy.Integer(3), -sympy.Integer(10)**10)
    ((3.0, 0.0), (-3333333333.3333335, 1.5894571940104166e-07, 8.823259867232295e-24), 0)
    >>> square_affine_constants(sympy.Integer(10)**300, -sympy.Integer(10)**-300)[2]  # Q = -1e-600·4^k
    597
    """
    import mpmath
    with mpmath.workdps(80):
        am = mpmath.mpf(sympy.Float(sympy.N(a, 80), 80)._mpf_)
        qm = mpmath.mpf(sympy.Float(sympy.N(c / a, 80), 80)._mpf_)
        la, lq = float(mpmath.log(abs(am), 2)), float(mpmath.log(abs(qm), 2))
        lo = max(math.ceil((-800 - lq) / 2), math.ceil((la - 1020) / 2))
        hi = min(math.floor((800 - lq) / 2), math.floor((la + 960) / 2))
        k = min(max(0, lo), hi) if lo <= hi else lo
        big_a, big_q = am * mpmath.mpf(4) ** -k, qm * mpmath.mpf(4) ** k
        ah = float(big_a)
        qh = float(big_q)
        qmid = float(big_q - qh)
        return (ah, float(big_a - ah)), (qh, qmid, float(big_q - qh - qmid)), k


def _body(expr, var, printer, indent="    "):
    """The lines of one function body (a·g² + c, double-double arguments
    computed once, CSE), for the NumPy printer and the torch/jax one."""
    sq = None if getattr(printer, "basic", False) else square_affine(expr, var)
    if sq is not None:
        g, a, c = sq
        big_a, big_q, k = square_affine_constants(a, c)
        return [f"{indent}return k_square_affine({printer.p(g)}, {big_a!r}, {big_q!r}, {k})"]
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
    if isinstance(reduced, N.Select) and tuple(reduced.args[1:]) in ((1, 0), (0, 1)):
        # the mask itself: the wrapper's float64 output takes it as 1.0/0.0 (no pass)
        c = reduced.args[0] if reduced.args[1] == 1 else _negated(reduced.args[0])
        lines.append(f"{indent}return {printer.cond(c)}")
        return lines
    ret = printer.p(reduced) if reduced.free_symbols else printer.const_like(var.name, reduced)
    shared, ret = hoist_calls(ret)
    lines += [f"{indent}{n} = {c}" for n, c in shared]
    lines.append(f"{indent}return {ret}")
    return lines


_CALL = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*)\(")


def _calls(text):
    """Every call ``name(...)`` in ``text`` (balanced parentheses), outermost first."""
    out = []
    for m in _CALL.finditer(text):
        depth = 0
        for j in range(m.end() - 1, len(text)):
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            if depth == 0:
                out.append(text[m.start():j + 1])
                break
    return out


def hoist_calls(text, prefix="cs"):
    """([(name, call)], text): a call that ``text`` makes more than once is
    computed once (np.tanh(x) * np.tanh(x) -> cs0 = np.tanh(x); cs0 * cs0).
    Every printed function and kernel is pure, so this changes no value;
    text with a lambda (``k_select``'s conditions, whose x is another
    array) is left alone.

    >>> hoist_calls("(np.tanh(x) * np.tanh(x)) + np.abs(x)")
    ([('cs0', 'np.tanh(x)')], '(cs0 * cs0) + np.abs(x)')
    """
    shared = []
    if "lambda" in text:
        return shared, text
    while True:
        counts = {}
        for c in _calls(text):
            counts[c] = counts.get(c, 0) + 1
        rep = [c for c, k in counts.items() if k > 1]
        if not rep:
            return shared, text
        c = max(rep, key=len)  # the outermost: its inner calls go with it
        name = f"{prefix}{len(shared)}"
        shared.append((name, c))
        text = re.sub(r"(?<![\w.])" + re.escape(c), name, text)


def _float_of(c):
    """The float equal to the real number c, or None if c is not one."""
    f = float(sympy.N(c, 40))
    if f in (float("inf"), float("-inf")) or f != f:
        return None
    if not (c.is_Rational or c.is_Float):  # √2, π, ...: irrational
        return None
    return f if sympy.Rational(f) == sympy.Rational(c) else None


def exact_thresholds(e, var):
    """Every comparison of ``var`` with a number c that is not a float, as a
    comparison with a float that has the same truth value for every float x:
    x > c and x >= c as x > rd(c), x < c and x <= c as x < ru(c) (rd, ru:
    the floats next below and above c). The printer's fl(c) can be on the
    wrong side of c: hardshrink with λ = 1e-8 dropped x = 1e-8 > λ.

    >>> x = Symbol('x', real=True)
    >>> exact_thresholds(x > sympy.Rational(3, 10), x)
    x > 0.2999999999999999888977697537484345957636833190918
    """
    ops = {sympy.StrictGreaterThan: ">", sympy.GreaterThan: ">",
           sympy.StrictLessThan: "<", sympy.LessThan: "<"}

    def exact(r):
        if type(r) not in ops:
            return r
        lhs, rhs, op = r.lhs, r.rhs, ops[type(r)]
        if rhs == var and lhs.is_number:
            lhs, rhs, op = rhs, lhs, {">": "<", "<": ">"}[op]
        if lhs != var or not rhs.is_number or not rhs.is_real or not rhs.is_finite \
                or _float_of(rhs) is not None:
            return r
        f = float(sympy.N(rhs, 40))
        if f in (float("inf"), float("-inf")):
            return r
        above = sympy.Rational(f) > rhs
        if op == ">":  # the largest float below c
            t = float(np.nextafter(f, -np.inf)) if above else f
            return sympy.StrictGreaterThan(var, sympy.Float(sympy.Rational(t), 50))
        t = f if above else float(np.nextafter(f, np.inf))
        return sympy.StrictLessThan(var, sympy.Float(sympy.Rational(t), 50))
    return e.replace(lambda a: isinstance(a, sympy.core.relational.Relational), exact)


def fold_constants(e):
    """Every constant subexpression -> one Float, rounded once from 30 digits."""
    if e.is_Atom or isinstance(e, (sympy.core.relational.Relational,)):
        return e
    if not e.free_symbols and not e.is_Number and isinstance(e, sympy.Expr):
        return sympy.Float(sympy.N(e, 30), 30)
    return e.func(*[fold_constants(a) for a in e.args])


def source(expr, var, name="f", fast=True):
    """Source of ``def name(x): ...`` computing ``expr`` on float64 arrays.

    A Piecewise with two or more branches that call special functions is
    evaluated by masks (``k_select``): each branch sees only its own inputs;
    with at most one such branch ``np.where`` over both is cheaper (every
    branch is finite or inf/nan off its own region, and ``where`` drops that).
    """
    pr = NumpyPrinter()
    pr.var, pr.plain = var, not fast
    return function_source(expr, var, name, pr, fast_select_piecewise=fast)


def function_source(expr, var, name, pr, fast_select_piecewise=False, basic=False):
    """``def name(x)`` for the stabilised ``expr`` printed by ``pr`` (the NumPy
    printer, or the torch/jax one that subclasses it): Mills as erfcx, a·g² + c,
    double-double arguments, Piecewise without ``where`` (``fast_select``,
    NumPy only), a Piecewise of two or more expensive branches by ``k_select``.
    ``basic``: only the plain tree after folding constants."""
    expr = expr.replace(lambda e: isinstance(e, N.Mills),  # constants meet φ's and cancel
                        lambda e: sympy.sqrt(sympy.pi / 2) * N.Erfcx(-e.args[0] / sympy.sqrt(2)))
    x = var.name
    expr = exact_thresholds(expr, var)
    if not basic and square_affine(expr, var) is not None:
        return "\n".join([f"def {name}({x}):", *_body(expr, var, pr)])
    expr = fold_constants(expr)
    if basic:
        return "\n".join([f"def {name}({x}):", *_body(expr, var, pr)])
    expr = exp_log_constant(expr, var)
    expr = dd_arguments(expr, var, (sympy.tanh, N.ExpRatio))
    if fast_select_piecewise:  # a Piecewise without np.where where a form is bit-for-bit the same
        expr = expr.replace(lambda e: isinstance(e, Piecewise), lambda e: fast_select(e, var))
    if isinstance(expr, Piecewise) and sum(_expensive(v) for v, _ in expr.args) >= 2:
        lines, conds, names = [], [], []
        for i, (v, c) in enumerate(expr.args):
            fn = f"_{name}_{i}"
            lines += [f"def {fn}({x}):", *_body(v, var, pr), ""]
            names.append(fn)
            if c not in (True, S.true):
                conds.append(f"lambda {x}: {pr.cond(c)}")
        if expr.args[-1][1] not in (True, S.true):
            lines += [f"def _{name}_nan({x}):", f"    return {pr.nan_like(x)}", ""]
            names.append(f"_{name}_nan")
        lines += [f"def {name}({x}):",
                  f"    return k_select({x}, [{', '.join(conds)}], [{', '.join(names)}])"]
        return "\n".join(lines)
    return "\n".join([f"def {name}({x}):", *_body(expr, var, pr)])
