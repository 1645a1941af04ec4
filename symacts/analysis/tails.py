"""Rigorous bounds on an infinite tail [c, ∞) or (-∞, -c]: interval arithmetic
with infinite ends.

An :class:`XI` is a closed interval of the extended reals whose finite ends
are exact arb numbers rounded outwards. Monotone functions are evaluated at
the ends (their limits at ±∞ from a table), ``0·∞ = 0`` as in IEEE 1788's
set-based intervals. A product that is unbounded only because a factor
decays while another grows (``x·σ(-x)``) is bounded through its logarithmic
derivative: when Σ fᵢ′/fᵢ has one sign on the whole tail, |Π fᵢ| is monotone
there, so it lies between its value at the finite end and 0 (or ∞).

:func:`tail_sign` proves the sign of an expression on a tail (weakly: ≥ 0 or
≤ 0 everywhere there); :func:`tail_bounds` encloses its values. Both return
"undecided" rather than guess.

>>> from sympy import Symbol, exp
>>> from symacts.functions import sigmoid
>>> x = Symbol('x', real=True)
>>> tail_sign(sigmoid(x) + x * sigmoid(x) * sigmoid(-x), x, 64, 1)   # silu′
1
>>> b = tail_bounds(x * exp(-x), x, 64, 1)
>>> b.lo, b.hi < 1e-25
(0, True)
"""
from __future__ import annotations

import sympy
from flint import arb
from sympy import Mul, S

from ..export._tree import Compiler
from ..export.arb import ArbCompiler, to_arb, workprec

__all__ = ["XI", "TailCompiler", "tail_sign", "tail_bounds", "small_form", "Mills"]

NEG, POS = float("-inf"), float("inf")


class Mills(sympy.Function):
    """Mills' ratio R(t) = Φ(-t)/φ(t), for the tails only (t > 0): it lies in
    [t/(t² + 1), 1/t] and decreases; R′(t) = t·R(t) - 1."""

    def fdiff(self, argindex=1):
        t = self.args[0]
        return t * Mills(t) - 1
_BITS = 128
#: nesting of log-derivative bounds (a product inside a log-derivative ...)
MAX_DEPTH = 2


def _inf(v):
    return isinstance(v, float)


def _lt(a, b):
    """a < b for ends (arb exact or ±inf)."""
    if _inf(a) or _inf(b):
        return a == NEG and b != NEG or b == POS and a != POS
    return bool(a < b)


def _min(vals):
    out = vals[0]
    for v in vals[1:]:
        if _lt(v, out):
            out = v
    return out


def _max(vals):
    out = vals[0]
    for v in vals[1:]:
        if _lt(out, v):
            out = v
    return out


def _sgn(v):
    if _inf(v):
        return 1 if v > 0 else -1
    return 1 if v > 0 else (-1 if v < 0 else 0)


class XI:
    """The closed interval [lo, hi] of extended reals (lo, hi: arb or ±inf)."""

    __slots__ = ("lo", "hi")

    def __init__(self, lo, hi):
        if _lt(hi, lo):
            lo, hi = NEG, POS  # an inconsistent result: know nothing
        self.lo, self.hi = lo, hi

    @staticmethod
    def of(ball):
        """The interval of an arb ball (the whole line when it is not finite)."""
        if not ball.is_finite():
            return WHOLE
        return XI(ball.lower(), ball.upper())

    @property
    def finite(self):
        return not (_inf(self.lo) or _inf(self.hi))

    def ball(self):
        """The arb ball of a finite interval."""
        return self.lo.union(self.hi)

    def sign(self):
        """1 if ≥ 0 everywhere, -1 if ≤ 0 everywhere, 0 otherwise."""
        if _sgn(self.lo) >= 0 and _sgn(self.hi) > 0:
            return 1
        if _sgn(self.hi) <= 0 and _sgn(self.lo) < 0:
            return -1
        return 0

    def contains_zero(self):
        return _sgn(self.lo) <= 0 <= _sgn(self.hi)

    def __repr__(self):
        return f"XI({self.lo}, {self.hi})"


WHOLE = XI(NEG, POS)


def _lower(ball):
    return ball.lower() if ball.is_finite() else NEG


def _upper(ball):
    return ball.upper() if ball.is_finite() else POS


def _add_end(a, b, low):
    if _inf(a) or _inf(b):
        if _inf(a) and _inf(b) and a != b:
            return NEG if low else POS
        return a if _inf(a) else b
    return _lower(a + b) if low else _upper(a + b)


def _mul_end(a, b):
    """Products of two ends as (lower, upper) candidates; 0·∞ = 0."""
    if _inf(a) or _inf(b):
        s = _sgn(a) * _sgn(b)
        v = 0 if s == 0 else (POS if s > 0 else NEG)
        v = arb(0) if v == 0 else v
        return v, v
    p = a * b
    return _lower(p), _upper(p)


def _mul(x, y):
    cands = [_mul_end(a, b) for a in (x.lo, x.hi) for b in (y.lo, y.hi)]
    return XI(_min([c[0] for c in cands]), _max([c[1] for c in cands]))


def _apply(f, v, low):
    """A finite end through a point function, rounded outwards."""
    b = f(v)
    return _lower(b) if low else _upper(b)


def _monotone(f, at_neg, at_pos, increasing=True, domain=None):
    """Lift a monotone function given its limits at -∞ and +∞."""
    def lifted(x):
        if domain is not None:
            lo_ok, hi_ok = domain
            if lo_ok is not None and _lt(x.lo, lo_ok):
                return WHOLE
            if hi_ok is not None and _lt(hi_ok, x.hi):
                return WHOLE
        ends = []
        for e, low in ((x.lo, increasing), (x.hi, not increasing)):
            if _inf(e):
                lim = at_neg if e == NEG else at_pos
                ends.append(lim if _inf(lim) else arb(lim) if not isinstance(lim, arb) else lim)
            else:
                ends.append(_apply(f, e, low))
        lo, hi = ends if increasing else ends[::-1]
        if not _inf(lo) and isinstance(lo, arb) and not lo.is_exact():
            lo = lo.lower()
        if not _inf(hi) and isinstance(hi, arb) and not hi.is_exact():
            hi = hi.upper()
        return XI(lo, hi)
    return lifted


def _abs(x):
    if _sgn(x.lo) >= 0:
        return x
    if _sgn(x.hi) <= 0:
        return XI(_neg(x.hi), _neg(x.lo))
    a, b = _neg(x.lo), x.hi
    return XI(arb(0), _max([a, b]))


def _neg(v):
    return -v if not _inf(v) else (POS if v == NEG else NEG)


def _recip(x):
    if _sgn(x.lo) > 0 or _sgn(x.hi) < 0:
        ends = []
        for e, low in ((x.hi, True), (x.lo, False)):
            ends.append(arb(0) if _inf(e) else _apply(lambda t: 1 / t, e, low))
        return XI(*ends)
    if _sgn(x.lo) == 0 and _sgn(x.hi) > 0:
        return XI(arb(0) if _inf(x.hi) else _apply(lambda t: 1 / t, x.hi, True), POS)
    if _sgn(x.hi) == 0 and _sgn(x.lo) < 0:
        return XI(NEG, arb(0) if _inf(x.lo) else _apply(lambda t: 1 / t, x.lo, False))
    return WHOLE


def _ipow(x, n):
    if n == 0:
        return XI(arb(1), arb(1))
    if n < 0:
        return _recip(_ipow(x, -n))
    if n % 2 == 0:
        return _monotone(lambda t: t ** n, arb(0), POS)(_abs(x)) if True else None
    return _monotone(lambda t: t ** n, NEG, POS)(x)


_HALF_PI = None


def _sigmoid_pt(t):
    return 1 / (1 + (-t).exp())


def _softplus_pt(t):
    return t + (-t).exp().log1p() if t > 0 else t.exp().log1p()


_UNARY = {
    "exp": (lambda t: t.exp(), 0, POS, True, None),
    "log": (lambda t: t.log(), NEG, POS, True, (0, None)),
    "tanh": (lambda t: t.tanh(), -1, 1, True, None),
    "sinh": (lambda t: t.sinh(), NEG, POS, True, None),
    "asinh": (lambda t: t.asinh(), NEG, POS, True, None),
    "erf": (lambda t: t.erf(), -1, 1, True, None),
    "erfc": (lambda t: t.erfc(), 2, 0, False, None),
    "sigmoid": (_sigmoid_pt, 0, 1, True, None),
    "Phi": (lambda t: (-t / arb(2).sqrt()).erfc() / 2, 0, 1, True, None),
    "lambertw": (lambda t: t.lambertw(), None, POS, True, (-1 / arb.const_e(), None)),
}


class TailCompiler(Compiler):
    """Compile SymPy expressions to functions of :class:`XI` intervals."""

    name = "the tail interval backend"

    def __init__(self, var=None, depth=0):
        self.var = var
        self.depth = depth

    def const(self, e):
        if e is S.Infinity:
            return XI(POS, POS)
        if e is S.NegativeInfinity:
            return XI(NEG, NEG)
        return XI.of(ArbCompiler().const(e) if not e.is_Rational else to_arb(e))

    @staticmethod
    def add(a, b):
        return XI(_add_end(a.lo, b.lo, True), _add_end(a.hi, b.hi, False))

    mul = staticmethod(_mul)

    def _node(self, e, index):
        # the same subtrees (factors and their log-derivatives) recur across the
        # forms tried: compile each once (the closures are pure; a product's
        # lazily built log-derivative is shared with it)
        from flint import ctx  # constants are enclosed at the working precision
        key = (e, self.var, self.depth, tuple(index.items()), ctx.prec)
        try:
            return _NODES[key]
        except KeyError:
            pass
        fn = self._compile_node(e, index)
        if len(_NODES) >= _MEMO_MAX:
            _NODES.clear()
        _NODES[key] = fn
        return fn

    def _compile_node(self, e, index):
        if isinstance(e, Mills):
            a = self._node(e.args[0], index)
            return lambda v: _mills(a(v))
        if isinstance(e, Mul) and self.var is not None and self.depth < MAX_DEPTH \
                and e.has(self.var):
            return self._product(e, index)
        if isinstance(e, sympy.Add) and self.var is not None and e.has(self.var):
            poly = self._polynomial(e, index)
            if poly is not None:
                return poly
        return super()._node(e, index)

    def _polynomial(self, e, index):
        """Σ C_k x^k (C_k bounded functions) as x^n (C_n + C_(n-1)/x + ...) on a tail."""
        var = self.var
        try:
            parts = sympy.collect(e, var, evaluate=False)
        except Exception:  # noqa: BLE001 - collect gives up: no special form
            return None
        powers = {}
        for key, coeff in parts.items():
            k = 0 if key == 1 else (1 if key == var else None)
            if isinstance(key, sympy.Pow) and key.base == var and key.exp.is_Integer \
                    and key.exp > 0:
                k = int(key.exp)
            if k is None or k in powers:
                return None
            powers[k] = coeff
        if len(powers) < 2 or max(powers) < 1:
            return None
        n = max(powers)
        plain = super()._node(e, index)
        i = index[var]
        # x^n Σ C_k x^(k-n) = x^n (C_n + C_(n-1) r + ... + C_0 r^n), r = 1/x: Horner in r
        coeffs = [self._node(powers.get(k, S.Zero), index) for k in range(n + 1)]

        def f_poly(v):
            x = v[i]
            if x.finite or x.contains_zero():
                return plain(v)
            r = _recip(x)
            acc = coeffs[0](v)
            for c in coeffs[1:]:
                acc = self.add(_mul(acc, r), c(v))
            return _mul(_ipow(x, n), acc)
        return f_poly

    def _product(self, e, index):
        """A product, bounded through its log-derivative when it is 0·∞."""
        parts = [self._node(a, index) for a in e.args]
        var, depth = self.var, self.depth
        state = {}

        def logd():
            if "f" not in state:
                from .roots import stable
                ld = sympy.Add(*[sympy.diff(a, var) / a for a in e.args if a.has(var)])
                forms = [stable(ld)]
                if sympy.count_ops(ld) < 400:  # -x + x from φ′/φ and R′/R cancels
                    forms.append(stable(sympy.expand(ld)))
                fns = []
                for form in forms:
                    try:
                        fns.append(TailCompiler(var, depth + 1)._node(form, index))
                    except Exception:  # noqa: BLE001 - an unsupported node: no bound
                        pass
                state["f"] = fns
            return state["f"]

        def point(v, end):
            acc = None
            for p in parts:
                y = p(_point_args(v, end))
                acc = y if acc is None else _mul(acc, y)
            return acc

        def f_mul(v):
            vals = [p(v) for p in parts]
            acc = vals[0]
            for y in vals[1:]:
                acc = _mul(acc, y)
            if acc.finite or len(v) != 1 or v[0].finite:
                return acc
            sgn = 1
            for y in vals:
                s = y.sign()
                if s == 0:
                    return acc
                sgn *= s
            d = 0
            for ld in logd():
                d = ld(v).sign()
                if d:
                    break
            x = v[0]
            right = _inf(x.hi)
            end = x.lo if right else x.hi
            at = point(v, end)
            if not at.finite:
                return acc
            mag = _abs(at).hi
            if d == 0:
                return acc
            growing = (d > 0) == right  # |P| grows towards the infinite end
            mag_lo = _abs(at).lo
            bound = XI(arb(0), mag) if not growing else XI(mag_lo, POS)
            out = bound if sgn > 0 else XI(_neg(bound.hi), _neg(bound.lo))
            return XI(_max([acc.lo, out.lo]), _min([acc.hi, out.hi]))
        return f_mul

    @staticmethod
    def pow(base, e, exact):
        if exact is None:
            return TailCompiler.exp(_mul(TailCompiler.log(base), e))
        if exact.is_Integer:
            return _ipow(base, int(exact))
        p, q = int(exact.p), int(exact.q)
        if q == 2:
            root = _monotone(lambda t: t.sqrt(), arb(0), POS, domain=(0, None))(base)
            return _ipow(root, p)
        return TailCompiler.exp(_mul(TailCompiler.log(base), XI.of(arb(p) / q)))

    @staticmethod
    def _finite(fn, x, default):
        if x.finite:
            with workprec(_BITS):
                return XI.of(fn(x.ball()))
        return default

    sin = staticmethod(lambda t: TailCompiler._finite(lambda b: b.sin(), t,
                                                      XI(arb(-1), arb(1))))
    cos = staticmethod(lambda t: TailCompiler._finite(lambda b: b.cos(), t,
                                                      XI(arb(-1), arb(1))))
    tan = staticmethod(lambda t: TailCompiler._finite(lambda b: b.tan(), t, WHOLE))
    atan = staticmethod(lambda t: _monotone(lambda b: b.atan(), -arb.pi() / 2,
                                            arb.pi() / 2)(t))
    asin = staticmethod(lambda t: TailCompiler._finite(lambda b: b.asin(), t, WHOLE))
    acos = staticmethod(lambda t: TailCompiler._finite(lambda b: b.acos(), t, WHOLE))
    acosh = staticmethod(lambda t: _monotone(lambda b: b.acosh(), None, POS,
                                             domain=(1, None))(t))
    atanh = staticmethod(lambda t: TailCompiler._finite(lambda b: b.atanh(), t, WHOLE))
    logit = staticmethod(lambda t: _monotone(lambda p: p.log() - (-p).log1p(), NEG, POS,
                                             domain=(0, 1))(t))

    @staticmethod
    def cosh(t):
        return _monotone(lambda b: b.cosh(), None, POS)(_abs(t))

    @staticmethod
    def sech(t):
        return _recip(TailCompiler.cosh(t))

    @staticmethod
    def phi(t):
        sq = _ipow(t, 2)
        half = _mul(sq, XI(arb(-1) / 2, arb(-1) / 2))
        c = 1 / (2 * arb.pi()).sqrt()
        return _mul(TailCompiler.exp(half), XI(c.lower(), c.upper()))

    abs = staticmethod(_abs)

    @staticmethod
    def sign(t):
        if _sgn(t.lo) > 0:
            return XI(arb(1), arb(1))
        if _sgn(t.hi) < 0:
            return XI(arb(-1), arb(-1))
        return XI(arb(-1), arb(1))

    @staticmethod
    def dirac(t):
        if _sgn(t.lo) > 0 or _sgn(t.hi) < 0:
            return XI(arb(0), arb(0))
        return WHOLE

    @staticmethod
    def softplus(t, beta):
        if not (beta.finite and _sgn(beta.lo) > 0):
            return WHOLE
        inner = _mul(t, beta)
        return _mul(_monotone(_softplus_pt, arb(0), POS)(inner), _recip(beta))

    @staticmethod
    def heaviside(t, h0):
        if _sgn(t.lo) > 0:
            return XI(arb(1), arb(1))
        if _sgn(t.hi) < 0:
            return XI(arb(0), arb(0))
        return XI(_min([arb(0), h0.lo]), _max([arb(1), h0.hi]))

    @staticmethod
    def maximum(a, b):
        return XI(_max([a.lo, b.lo]), _max([a.hi, b.hi]))

    @staticmethod
    def minimum(a, b):
        return XI(_min([a.lo, b.lo]), _min([a.hi, b.hi]))

    @staticmethod
    def compare(op, a, b):
        d = TailCompiler.add(a, XI(_neg(b.hi), _neg(b.lo)))
        lo, hi = _sgn(d.lo), _sgn(d.hi)
        if op in ("lt", "le"):
            lo, hi = -hi, -lo
            op = "gt" if op == "lt" else "ge"
        if op == "gt":
            return True if lo > 0 else (False if hi <= 0 else None)
        if op == "ge":
            return True if lo >= 0 else (False if hi < 0 else None)
        return None

    @staticmethod
    def piecewise(pairs, v):
        possible = []
        for value, cond in pairs:
            c = cond(v)
            if c is False:
                continue
            possible.append(value(v))
            if c is True:
                break
        if not possible:
            return WHOLE
        return XI(_min([p.lo for p in possible]), _max([p.hi for p in possible]))


for _name, (_f, _a, _b, _inc, _dom) in _UNARY.items():
    setattr(TailCompiler, _name, staticmethod(_monotone(_f, _a, _b, _inc, _dom)))


def _mills(t):
    """Bounds of Mills' ratio on t ≥ t.lo > 0: [t_hi/(t_hi² + 1), 1/t_lo]."""
    if _sgn(t.lo) <= 0:
        return WHOLE
    hi = _recip(XI(t.lo, t.lo)).hi
    if _inf(t.hi):
        return XI(arb(0), hi)
    th = t.hi
    lo = _lower(th / (th * th + 1))
    return XI(lo, hi)


def _point_args(v, end):
    return (XI(end, end),)


def _tail_interval(cut, side):
    c = to_arb(cut)
    return XI(c.lower(), POS) if side > 0 else XI(NEG, c.upper())


def _forms(expr):
    """Equal forms of ``expr`` worth trying (cancellation-free, factored)."""
    from .roots import stable
    out = []
    st = stable(expr)
    forms = [st, sympy.factor_terms(st)]
    if len(sympy.Add.make_args(st)) > 1:
        forms.append(sympy.factor_terms(sympy.together(st)))
    for form in forms:
        if form not in out:
            out.append(form)
    return out


#: memo of tail_bounds / small_form: the same subexpressions recur in every
#: derivative and log-derivative of one activation (bounded; cleared when full)
_MEMO: dict = {}
_NODES: dict = {}
_MEMO_MAX = 20000


def _memoised(fn):
    def wrapper(expr, var, cut, side, *args):
        from flint import ctx
        key = (fn.__name__, expr, var, cut, side, args, ctx.prec)
        try:
            return _MEMO[key]
        except KeyError:
            pass
        except TypeError:  # unhashable: no memo
            return fn(expr, var, cut, side, *args)
        out = fn(expr, var, cut, side, *args)
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[key] = out
        return out
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


@_memoised
def tail_bounds(expr, var, cut, side) -> XI:
    """An interval holding every value of ``expr`` on [cut, ∞) (side = 1) or
    (-∞, cut] (side = -1): the tightest over a few equal forms."""
    c, rest = sympy.sympify(expr).as_independent(var, as_Add=True)
    if c != 0 and c.is_number and rest.has(var):  # the constant apart: it would meet x·(tiny) as x·(c/x)
        b = tail_bounds(rest, var, cut, side)
        if b.finite:
            with workprec(_BITS):
                return TailCompiler.add(b, TailCompiler().const(c))
    best = WHOLE
    x = _tail_interval(cut, side)
    forms = _forms(expr)
    with workprec(_BITS):
        for form in forms + [lambda: sympy.factor_terms(small_form(expr, var, cut, side)),
                             lambda: small_form(expr, var, cut, side, False)]:
            if callable(form):
                if best.finite:
                    break
                form = form()
            try:
                f = TailCompiler(var).compile(form, [var])
                y = f(x)
            except (ValueError, ZeroDivisionError, ArithmeticError, TypeError):
                continue
            if _lt(best.lo, y.lo) or _lt(y.hi, best.hi):
                best = XI(_max([best.lo, y.lo]), _min([best.hi, y.hi]))
    return best


def small_form(expr, var, cut, side, collect=True, mills=True):
    """``expr`` with σ, tanh, Φ, erf of arguments that grow on the tail written
    through their small complements (σ(u) = 1 - σ(-u), ...; Φ through Mills'
    ratio unless ``mills`` is false), expanded so that the constant parts
    cancel exactly, collected in ``var`` (if ``collect``)."""
    return _small_form(expr, var, cut, side, bool(collect), bool(mills))


@_memoised
def _small_form(expr, var, cut, side, collect, mills):
    from ..functions import Phi, phi, sigmoid

    def grows(u):
        b = tail_bounds(u, var, cut, side)
        return 1 if _sgn(b.lo) > 0 and b.hi == POS else \
            (-1 if _sgn(b.hi) < 0 and b.lo == NEG else 0)

    def rule(e):
        u = e.args[0]
        g = grows(u)
        if not g:
            return e
        if isinstance(e, sigmoid):
            return 1 - sigmoid(-u) if g > 0 else e
        if isinstance(e, sympy.tanh):
            return 1 - 2 * sigmoid(-2 * u) if g > 0 else -1 + 2 * sigmoid(2 * u)
        if isinstance(e, Phi) and not mills:
            return 1 - Phi(-u) if g > 0 else e
        if isinstance(e, Phi):  # Φ(-t) = φ(t)·R(t) for t → ∞
            return 1 - phi(u) * Mills(u) if g > 0 else phi(u) * Mills(-u)
        if isinstance(e, sympy.erf):
            return 1 - sympy.erfc(u) if g > 0 else sympy.erfc(-u) - 1
        return e
    def hyper(e):  # cosh(u)^(-2k) = (4σ(2u)σ(-2u))^k, sech likewise
        b, n = e.base.args[0], e.exp
        k = -n / 2 if isinstance(e.base, sympy.cosh) else n / 2
        return (4 * sigmoid(2 * b) * sigmoid(-2 * b)) ** k
    out = expr.replace(lambda e: isinstance(e, sympy.sinh),
                       lambda e: sympy.tanh(e.args[0]) * sympy.cosh(e.args[0]))
    out = out.replace(lambda e: isinstance(e, sympy.Pow) and
                       isinstance(e.base, (sympy.cosh, sympy.sech)) and e.exp.is_Integer
                       and (e.exp if isinstance(e.base, sympy.sech) else -e.exp) > 0
                       and e.exp % 2 == 0, hyper)
    out = out.replace(lambda e: isinstance(e, (sigmoid, sympy.tanh, Phi, sympy.erf))
                      and e.args[0].has(var), rule)
    out = sympy.expand(out)
    return sympy.collect(out, var) if collect else out


def _direct_sign(expr, var, cut, side):
    from .roots import stable
    seen = []
    expanded = stable(sympy.expand(expr))
    for prepared in (stable(expr), expanded, sympy.collect(expanded, var),
                     lambda: small_form(expr, var, cut, side)):
        if callable(prepared):
            prepared = prepared()
        ft = sympy.factor_terms(prepared)
        if ft in seen:
            continue
        seen.append(ft)
        sgn, rest = 1, []
        for fac in Mul.make_args(ft):
            if fac.is_positive or (fac.is_number and fac > 0):
                continue
            if fac.is_negative or (fac.is_number and fac < 0):
                sgn = -sgn
                continue
            rest.append(fac)
        if not rest:
            return sgn
        s = tail_bounds(Mul(*rest), var, cut, side).sign()
        if s:
            return sgn * s
    return tail_bounds(expr, var, cut, side).sign()


def _limit(expr, var, side):
    from .limits import exact_limit
    val, _ = exact_limit(expr, var, S.Infinity if side > 0 else S.NegativeInfinity,
                         "-" if side > 0 else "+")
    return val


def tail_sign(expr, var, cut, side, depth=2) -> int:
    """1 if ``expr`` ≥ 0 on the whole tail, -1 if ≤ 0 there, 0 if undecided.

    Factors whose sign SymPy's assumptions decide are split off; the rest is
    enclosed on the tail. Failing that, when the derivative has one sign on
    the tail (recursively, ``depth`` levels) the expression is monotone there,
    so it lies between its value at the cut and its limit (SymPy, budgeted).
    """
    if expr == 0:
        return 1
    s = _direct_sign(expr, var, cut, side)
    if s or depth <= 0:
        return s
    if not tail_sign(sympy.diff(expr, var), var, cut, side, depth - 1):
        return 0
    lim = _limit(expr, var, side)
    if lim is None or not (lim.is_extended_real and (lim.is_number or lim.is_infinite)):
        return 0
    c = to_arb(cut)
    with workprec(_BITS):
        try:
            at = TailCompiler(var).compile(stable_form(expr), [var])(XI(c, c))
        except (ValueError, ZeroDivisionError, ArithmeticError, TypeError):
            return 0
    if lim.is_nonnegative and _sgn(at.lo) >= 0:
        return 1
    if lim.is_nonpositive and _sgn(at.hi) <= 0:
        return -1
    return 0


def stable_form(expr):
    from .roots import stable
    return stable(expr)
