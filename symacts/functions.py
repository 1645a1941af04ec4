"""Textbook functions as first-class SymPy functions: σ, logit, softplus, Φ, φ.

They follow the pattern of SymPy's own ``exp`` and ``erf``: ``eval`` for
special values, ``fdiff`` for textbook derivatives, ``_eval_rewrite_as_*``
for the elementary form, assumptions, LaTeX/pretty printing, and
``_eval_evalf`` through the mpmath kernels below (accurate over the whole
range: no cancellation in ``1 + exp(x)`` or ``1 + erf(x)``).

>>> from sympy import Symbol, diff, exp, erf
>>> x = Symbol('x', real=True)
>>> diff(sigmoid(x), x)
(1 - sigmoid(x))*sigmoid(x)
>>> diff(Phi(x), x)
phi(x)
>>> sigmoid(x).rewrite(exp)
1/(1 + exp(-x))
>>> Phi(x).rewrite(erf)
erf(sqrt(2)*x/2)/2 + 1/2
>>> sigmoid(logit(x))
x
"""
from __future__ import annotations

import mpmath
from sympy import (Expr, Function, Integer, Rational, S, exp, erf, erfc, log,
                   pi, sqrt, tanh)
from sympy.core.function import ArgumentIndexError

__all__ = ["sigmoid", "logit", "softplus", "Phi", "phi",
           "mp_sigmoid", "mp_logit", "mp_softplus", "mp_Phi", "mp_phi"]


# ---------------------------------------------------------------------------
# mpmath kernels (precision from the mpmath context, like mpmath's own functions)
# ---------------------------------------------------------------------------

def mp_sigmoid(x):
    """Logistic sigmoid 1/(1 + e^(-x)) in mpmath, accurate for any x.

    >>> import mpmath
    >>> mpmath.nstr(mp_sigmoid(-800), 15)
    '3.66787458417769e-348'
    """
    x = mpmath.mpf(x)
    if x >= 0:
        return 1 / (1 + mpmath.exp(-x))
    e = mpmath.exp(x)
    return e / (1 + e)


def mp_logit(p):
    """Log-odds log(p/(1 - p)) in mpmath.

    >>> mp_logit(mpmath.mpf(1)/2)
    mpf('0.0')
    """
    p = mpmath.mpf(p)
    return mpmath.log(p) - mpmath.log1p(-p)


def mp_softplus(x, beta=1):
    """Softplus log(1 + e^(βx))/β in mpmath, without overflow or cancellation.

    >>> mpmath.nstr(mp_softplus(-1000), 10)
    '5.075958898e-435'
    """
    t = mpmath.mpf(beta) * mpmath.mpf(x)
    return (max(t, 0) + mpmath.log1p(mpmath.exp(-abs(t)))) / beta


def mp_Phi(x):
    """Standard normal CDF Φ(x) = erfc(-x/√2)/2 in mpmath.

    >>> mpmath.nstr(mp_Phi(-40), 10)
    '3.655893541e-350'
    """
    return mpmath.erfc(-mpmath.mpf(x) / mpmath.sqrt(2)) / 2


def mp_phi(x):
    """Standard normal density φ(x) = e^(-x²/2)/√(2π) in mpmath.

    >>> mpmath.nstr(mp_phi(0), 10)
    '0.3989422804'
    """
    x = mpmath.mpf(x)
    return mpmath.exp(-x * x / 2) / mpmath.sqrt(2 * mpmath.pi)


def _evalf_with(fn, args, prec):
    """Evaluate an mpmath kernel at numeric SymPy args to ``prec`` bits."""
    try:
        vals = [a._to_mpmath(prec + 20) for a in args]
    except (ValueError, TypeError, AttributeError):
        return None
    if any(isinstance(v, mpmath.mpc) for v in vals):
        return None
    with mpmath.workprec(prec + 20):
        res = fn(*vals)
    return Expr._from_mpmath(res, prec)


class _TextbookFunction(Function):
    """Shared printing for the textbook functions."""

    _latex_name = None
    _pretty_name = None

    def _latex(self, printer, exp=None):
        args = ", ".join(printer._print(a) for a in self.args[:1])
        name = self._latex_name
        if exp is not None:
            return r"%s^{%s}\left(%s\right)" % (name, exp, args)
        return r"%s\left(%s\right)" % (name, args)

    def _pretty(self, printer):
        return printer._print_Function(self, func_name=self._pretty_name)

    def _eval_is_real(self):
        return self.args[0].is_extended_real

    def _eval_is_finite(self):
        return self.args[0].is_finite


# ---------------------------------------------------------------------------
# sigmoid and logit
# ---------------------------------------------------------------------------

class sigmoid(_TextbookFunction):
    r"""The logistic sigmoid σ(x) = 1/(1 + e^(-x)).

    >>> from sympy import Symbol, latex
    >>> x = Symbol('x', real=True)
    >>> sigmoid(0), sigmoid(S.Infinity), sigmoid(-S.Infinity)
    (1/2, 1, 0)
    >>> latex(sigmoid(x).diff(x))
    '\\left(1 - \\sigma\\left(x\\right)\\right) \\sigma\\left(x\\right)'
    >>> sigmoid(x).inverse()
    logit
    >>> sigmoid(2).evalf(20)
    0.88079707797788244406
    """

    nargs = 1
    _latex_name = r"\sigma"
    _pretty_name = "σ"

    @classmethod
    def eval(cls, arg):
        if arg is S.Zero:
            return S.Half
        if arg is S.Infinity:
            return S.One
        if arg is S.NegativeInfinity:
            return S.Zero
        if arg.is_Float:
            return _evalf_with(mp_sigmoid, [arg], arg._prec)
        if isinstance(arg, logit):
            return arg.args[0]

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return self * (1 - self)

    def inverse(self, argindex=1):
        return logit

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + exp(-arg))

    def _eval_rewrite_as_tanh(self, arg, **kwargs):
        return (1 + tanh(arg / 2)) / 2

    def _eval_evalf(self, prec):
        return _evalf_with(mp_sigmoid, self.args, prec)

    def _eval_is_positive(self):
        if self.args[0].is_extended_real:
            return self.args[0] is not S.NegativeInfinity or None

    def _eval_is_nonnegative(self):
        if self.args[0].is_extended_real:
            return True

    def _eval_is_finite(self):
        if self.args[0].is_extended_real:
            return True

    def _eval_as_leading_term(self, x, logx=None, cdir=0):
        return self.rewrite(exp).as_leading_term(x, logx=logx, cdir=cdir)

    def _eval_nseries(self, x, n, logx, cdir=0):
        return self.rewrite(exp)._eval_nseries(x, n, logx, cdir)


class logit(_TextbookFunction):
    r"""The log-odds logit(p) = log(p/(1 - p)), inverse of σ on (0, 1).

    >>> from sympy import Symbol
    >>> p = Symbol('p', positive=True)
    >>> logit(p).diff(p)
    1/(p*(1 - p))
    >>> logit(S.Half), logit(0), logit(1)
    (0, -oo, oo)
    """

    nargs = 1
    _latex_name = r"\operatorname{logit}"
    _pretty_name = "logit"

    @classmethod
    def eval(cls, arg):
        if arg is S.Half:
            return S.Zero
        if arg is S.Zero:
            return S.NegativeInfinity
        if arg is S.One:
            return S.Infinity
        if arg.is_Float and 0 < arg < 1:
            return _evalf_with(mp_logit, [arg], arg._prec)
        if isinstance(arg, sigmoid) and arg.args[0].is_extended_real:
            return arg.args[0]

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        p = self.args[0]
        return 1 / (p * (1 - p))

    def inverse(self, argindex=1):
        return sigmoid

    def _eval_rewrite_as_log(self, arg, **kwargs):
        return log(arg / (1 - arg))

    def _eval_evalf(self, prec):
        try:
            p = self.args[0]._to_mpmath(prec + 20)
        except (ValueError, TypeError, AttributeError):
            return None
        if isinstance(p, mpmath.mpc) or not 0 < p < 1:
            return None
        return _evalf_with(mp_logit, self.args, prec)

    def _eval_is_real(self):
        p = self.args[0]
        if p.is_extended_positive and (1 - p).is_extended_positive:
            return True

    def _eval_is_finite(self):
        return self._eval_is_real()


# ---------------------------------------------------------------------------
# softplus
# ---------------------------------------------------------------------------

class softplus(_TextbookFunction):
    r"""Softplus log(1 + e^(βx))/β, with β = 1 when omitted.

    >>> from sympy import Symbol, exp, log
    >>> x = Symbol('x', real=True); b = Symbol('beta', positive=True)
    >>> softplus(x).diff(x)
    sigmoid(x)
    >>> softplus(x, b).diff(x)
    sigmoid(beta*x)
    >>> softplus(x).rewrite(exp)
    log(exp(x) + 1)
    >>> softplus(0, 2)
    log(2)/2
    >>> softplus(-1000).evalf(5)
    5.0760e-435
    """

    nargs = (1, 2)
    _latex_name = r"\operatorname{softplus}"
    _pretty_name = "softplus"

    @classmethod
    def eval(cls, arg, beta=None):
        if beta is not None and beta is S.One:
            return cls(arg)
        b = S.One if beta is None else beta
        if arg is S.Zero:
            return log(2) / b
        if arg is S.Infinity and b.is_positive:
            return S.Infinity
        if arg is S.NegativeInfinity and b.is_positive:
            return S.Zero
        if arg.is_Float and (b.is_Float or b.is_Rational):
            return _evalf_with(mp_softplus, [arg, b], arg._prec)

    @property
    def beta(self):
        return self.args[1] if len(self.args) > 1 else S.One

    def fdiff(self, argindex=1):
        x, b = self.args[0], self.beta
        if argindex == 1:
            return sigmoid(b * x)
        if argindex == 2 and len(self.args) == 2:
            return (x * sigmoid(b * x) - self) / b
        raise ArgumentIndexError(self, argindex)

    def _eval_rewrite_as_exp(self, arg, beta=S.One, **kwargs):
        return log(1 + exp(beta * arg)) / beta

    _eval_rewrite_as_log = _eval_rewrite_as_exp

    def _eval_evalf(self, prec):
        return _evalf_with(mp_softplus, [self.args[0], self.beta], prec)

    def _eval_is_positive(self):
        if self.args[0].is_finite and self.args[0].is_real and self.beta.is_positive:
            return True

    def _eval_is_real(self):
        if self.args[0].is_extended_real and self.beta.is_positive:
            return True

    def _latex(self, printer, exp=None):
        name = self._latex_name
        if len(self.args) > 1:
            name += "_{%s}" % printer._print(self.args[1])
        arg = printer._print(self.args[0])
        if exp is not None:
            return r"%s^{%s}\left(%s\right)" % (name, exp, arg)
        return r"%s\left(%s\right)" % (name, arg)

    def _eval_nseries(self, x, n, logx, cdir=0):
        return self.rewrite(exp)._eval_nseries(x, n, logx, cdir)


# ---------------------------------------------------------------------------
# standard normal CDF and density
# ---------------------------------------------------------------------------

class Phi(_TextbookFunction):
    r"""The standard normal CDF Φ(x) = (1 + erf(x/√2))/2.

    >>> from sympy import Symbol, erfc
    >>> x = Symbol('x', real=True)
    >>> Phi(x).diff(x)
    phi(x)
    >>> Phi(x).rewrite(erfc)
    1 - erfc(sqrt(2)*x/2)/2
    >>> Phi(-10).evalf(10)
    7.619853024e-24
    """

    nargs = 1
    _latex_name = r"\Phi"
    _pretty_name = "Φ"

    @classmethod
    def eval(cls, arg):
        if arg is S.Zero:
            return S.Half
        if arg is S.Infinity:
            return S.One
        if arg is S.NegativeInfinity:
            return S.Zero
        if arg.is_Float:
            return _evalf_with(mp_Phi, [arg], arg._prec)

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return phi(self.args[0])

    def _eval_rewrite_as_erf(self, arg, **kwargs):
        return (1 + erf(arg / sqrt(2))) / 2

    def _eval_rewrite_as_erfc(self, arg, **kwargs):
        return erfc(-arg / sqrt(2)) / 2

    def _eval_evalf(self, prec):
        return _evalf_with(mp_Phi, self.args, prec)

    def _eval_is_positive(self):
        if self.args[0].is_finite and self.args[0].is_real:
            return True

    def _eval_is_nonnegative(self):
        if self.args[0].is_extended_real:
            return True

    def _eval_is_finite(self):
        if self.args[0].is_extended_real:
            return True

    def _eval_nseries(self, x, n, logx, cdir=0):
        return self.rewrite(erf)._eval_nseries(x, n, logx, cdir)


class phi(_TextbookFunction):
    r"""The standard normal density φ(x) = e^(-x²/2)/√(2π).

    >>> from sympy import Symbol, exp
    >>> x = Symbol('x', real=True)
    >>> phi(x).diff(x)
    -x*phi(x)
    >>> phi(x).rewrite(exp)
    sqrt(2)*exp(-x**2/2)/(2*sqrt(pi))
    >>> phi(0)
    sqrt(2)/(2*sqrt(pi))
    """

    nargs = 1
    _latex_name = r"\phi"
    _pretty_name = "φ"

    @classmethod
    def eval(cls, arg):
        if arg is S.Zero:
            return 1 / sqrt(2 * pi)
        if arg in (S.Infinity, S.NegativeInfinity):
            return S.Zero
        if arg.is_Float:
            return _evalf_with(mp_phi, [arg], arg._prec)
        if arg.could_extract_minus_sign():
            return cls(-arg)

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return -self.args[0] * self

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return exp(-arg**2 / 2) / sqrt(2 * pi)

    def _eval_evalf(self, prec):
        return _evalf_with(mp_phi, self.args, prec)

    def _eval_is_positive(self):
        if self.args[0].is_finite and self.args[0].is_real:
            return True

    def _eval_is_nonnegative(self):
        if self.args[0].is_extended_real:
            return True

    def _eval_is_finite(self):
        if self.args[0].is_extended_real:
            return True

    def _eval_nseries(self, x, n, logx, cdir=0):
        return self.rewrite(exp)._eval_nseries(x, n, logx, cdir)


#: Map used by rewrite helpers and parsers: name -> SymPy function class.
TEXTBOOK = {"sigmoid": sigmoid, "logit": logit, "softplus": softplus,
            "Phi": Phi, "phi": phi}


def elementary(expr):
    """Rewrite every textbook function into elementary SymPy functions.

    >>> from sympy import Symbol
    >>> x = Symbol('x', real=True)
    >>> elementary(sigmoid(x) + Phi(x))
    erf(sqrt(2)*x/2)/2 + 1/2 + 1/(1 + exp(-x))
    """
    return expr.replace(
        lambda e: isinstance(e, (sigmoid, softplus, phi)),
        lambda e: e.rewrite(exp)).replace(
        lambda e: isinstance(e, logit), lambda e: e.rewrite(log)).replace(
        lambda e: isinstance(e, Phi), lambda e: e.rewrite(erf))
