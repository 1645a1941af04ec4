"""Root patches: accurate float values next to a root where the formula cancels.

Near a simple root ``r`` of ``f = a + b`` with ``a ≈ -b`` (gelu', silu',
mish', star_relu, x - tanh x at 0) every formula in float64 loses
``log2 κ`` bits, ``κ = (|a| + |b|)/|a + b|`` the condition number of the sum,
and ``κ`` falls only like ``1/|x - r|``. A patch replaces the formula on the
band around ``r`` where the condition number of the stabilised expression's
top-level sum exceeds :data:`KAPPA` by

    f(x) = (x - r)^m · g(x),   g = f/(x - r)^m smooth and free of zeros,

with ``r`` carried as a double-double ``r_hi + r_lo`` (so ``x - r`` has one
rounding) and ``g`` a polynomial per piece of width :data:`PIECE` whose
coefficients come from the mpmath backend at 60 digits (Chebyshev
interpolation, degree chosen until the dropped terms are below :data:`FIT_TOL` of g).
The root is bracketed by a sign change verified at 60 digits and refined by
bisection there, so it is a root (intermediate value theorem), not a guess.
A root where nothing cancels gets a band too where the float code's
roundings are measured over :data:`ROUND_ULP` (``_rounding_band``: mish at
0), and a band ends where a piece does not fit (fitted out from the root).
Everything is derived from the SymPy expression: new expressions get patches
too. Expressions with periodic functions (sin, cos, tan) are left alone:
their roots are infinitely many (snake'), a finite table of patches would not
cover them.

>>> from sympy import Symbol, tanh
>>> x = Symbol('x', real=True)
>>> (p,) = root_patches(x - tanh(x), x)
>>> p.root, p.mult, p.lo < 0 < p.hi
(0.0, 3, True)
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy
from sympy import Abs, Add, Heaviside, Max, Min, Mul, Piecewise, sign

__all__ = ["Patch", "root_patches", "table", "patch_source", "scaled_x", "KAPPA", "WIDTH", "PIECE", "SCAN", "ULP_OK"]

#: patch where the top-level sum's condition number exceeds this
KAPPA = 1.5
#: bands are multiples of WIDTH, fitted piece by piece
WIDTH = 0.125
#: width of one polynomial piece of a patch's table (1/16: degree 7-9 where
#: 1/8 needed 10-12)
PIECE = 0.0625
#: outer pieces of a band are dropped where the float code is measured within this
ULP_OK = 1.0
#: a root without cancellation is patched where the float code is measured
#: over this (``_rounding_band``): the roundings of a product of kernels
ROUND_ULP = 1.5
#: points per piece there: roundings peak rarely (mish on [-0.625, -0.5): 0.9
#: ULP at 24 points, 2.3 at 4000)
ROUND_POINTS = 256
#: the export's contract: a band is not ended next to a piece over it (``_fit_band``)
CONTRACT_ULP = 2.0
#: points per piece for that test: peaks over the contract are rare (tanh'' on
#: [0.5, 1): 65 of 20000 points over 2 ULP)
CONTRACT_POINTS = 1024
#: points per piece of the band fit (``_piece_ok``)
PIECE_POINTS = 24
#: Chebyshev terms below this fraction of the piece's values are dropped (2^-60:
#: 1/128 ULP)
FIT_TOL = 2.0 ** -60
#: roots are looked for on [-SCAN, SCAN] (beyond, the catalog's functions are
#: monotone tails; a root out there would simply not be patched)
SCAN = 40.0
_MAX_HALF_BAND = 8.0
#: ``_scale`` changes the coordinate where the functions' arguments are c·x with
#: c outside [2^-2, 2^2] (swish' is within 2 ULP for β in [0.05, 20] unscaled)
_SCALE_FROM = 2.0
_NODES = 28
_DPS = 60


@dataclass(frozen=True)
class Patch:
    """``f(x) = (x - (r_hi + r_lo))^mult · poly_i((x - c_i)/(PIECE/2))`` on [lo, hi)."""
    root: float
    root_lo: float
    mult: int
    lo: float
    hi: float
    coeffs: tuple  # one tuple of monomial coefficients (highest first) per piece
    const_lo: tuple = ()  # per piece, the low part of the constant term (hi + lo)
    #: the patch lives in the coordinate v = scale·x (a power of 2, so exact):
    #: root, lo and hi are values of v (``_scale``)
    scale: float = 1.0


def _scale(expr, var):
    """2^k with the functions' arguments all c·x, |log2 c| > _SCALE_FROM and
    k = round(log2 c); else 1. The patch is made in v = 2^k·x, where the root
    and the band have the size they have for c near 1 (swish'(x, β) = silu'(βx)
    has its root at -1.28/β: outside [-SCAN, SCAN] for β < 0.032, and pieces of
    width PIECE too wide to fit for β > 20).

    >>> from sympy import Symbol
    >>> from symacts.functions import sigmoid
    >>> x = Symbol('x', real=True)
    >>> _scale(x*sigmoid(100*x), x), _scale(x*sigmoid(x), x), _scale(sigmoid(x/1000), x)
    (128.0, 1.0, 0.0009765625)
    """
    cs = set()
    for fn in expr.atoms(sympy.Function):
        for a in fn.args:
            if not isinstance(a, sympy.Expr):
                return 1.0  # Piecewise (its conditions)
            if not a.has(var):
                continue
            c = a / var
            if not (c.is_number and c.is_finite and c != 0):
                return 1.0
            cs.add(abs(float(c)))
    if len(cs) != 1:
        return 1.0
    k = math.log2(cs.pop())
    return 2.0 ** round(k) if _SCALE_FROM < abs(k) < 1000 else 1.0


def _real(f):
    """f with a complex value (log, sqrt of a negative number) as nan."""
    def g(x):
        v = f(x)
        return mpmath.nan if isinstance(v, mpmath.mpc) else v
    return g


def _periodic(expr):
    return bool(expr.atoms(sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc))


def _kinks(expr, var):
    """Points where the expression stops being analytic (conditions, Max, |u|, ...)."""
    pts = set()
    diffs = []
    for rel in expr.atoms(sympy.core.relational.Relational):
        diffs.append(rel.lhs - rel.rhs)
    for m in expr.atoms(Max, Min):
        a = m.args
        diffs += [a[i] - a[j] for i in range(len(a)) for j in range(i + 1, len(a))]
    for fn in expr.atoms(Abs, Heaviside, sign, sympy.DiracDelta):
        diffs.append(fn.args[0])
    for d in diffs:
        try:
            p = sympy.Poly(d, var)
        except sympy.PolynomialError:
            continue
        if p.degree() == 1:
            a, b = p.all_coeffs()
            pts.add(float(-b / a))
    return sorted(pts)


def _branch_terms(stable, var):
    """[(condition or None, [[term functions] per sum])] of the stabilised
    expression: every sum in each top-level Piecewise branch (a sum inside a
    cofactor, x + Mills(x), cancels as well as one at the top)."""
    from .mp import mp_lambdify
    from .nodes import ExpRatio, elementary
    pairs = stable.args if isinstance(stable, Piecewise) else [(stable, sympy.true)]
    out = []
    for v, c in pairs:
        ratios = list(v.atoms(ExpRatio))
        hidden = v.xreplace({q: sympy.Dummy() for q in ratios})
        sums = [a.args for a in sympy.preorder_traversal(hidden) if isinstance(a, Add) and a.has(var)]
        for q in ratios:  # the sum the kernel forms, c0 + t·R(t) (its coefficients' are exact)
            u, c0, r = q.args[:3]
            t = sympy.exp(u)
            sums.append((c0, t * sum((a * t**k for k, a in enumerate(reversed(r))), sympy.S.Zero)))
        fns = [[mp_lambdify(elementary(t), var) for t in s] for s in sums]
        cond = None if c in (True, sympy.true) else mp_lambdify(Piecewise((1, c), (0, True)), var)
        out.append((cond, fns))
    return out


def _kappa(branches, x):
    """The largest condition number Σ|terms|/|Σ terms| of the sums at x."""
    for cond, sums in branches:
        if cond is None or cond(x) == 1:
            k = mpmath.mpf(1)
            for fns in sums:
                try:
                    vals = [f(x) for f in fns]
                except (ArithmeticError, ValueError):
                    continue
                s = abs(sum(vals))
                t = sum(abs(v) for v in vals)
                k = max(k, mpmath.inf if s == 0 else t / s)
            return k
    return mpmath.mpf(1)


def _bisect(f, a, b):
    """A root of f in [a, b] (signs of f(a), f(b) opposite at 60 digits)."""
    with mpmath.workdps(_DPS):
        a, b = mpmath.mpf(a), mpmath.mpf(b)
        fa = f(a)
        for _ in range(240):
            m = (a + b) / 2
            fm = f(m)
            if fm == 0:
                return m
            if (fm > 0) == (fa > 0):
                a, fa = m, fm
            else:
                b = m
            if b - a < mpmath.mpf(2) ** -180:
                break
        return (a + b) / 2


def _multiplicity(f, r):
    """m with f(r + ε) ~ ε^m (1, 2 or 3), from f(r + 2ε)/f(r + ε) at 60 digits."""
    with mpmath.workdps(_DPS):
        eps = mpmath.mpf(2) ** -40
        a, b = f(r + eps), f(r + 2 * eps)
        if a == 0:
            return None
        q = b / a
        for m in (1, 2, 3):
            if abs(q - 2 ** m) < mpmath.mpf(2) ** -20:
                return m
    return None


def _roots(core, f, var):
    """Roots of f in [-SCAN, SCAN]: float sign changes on a grid, each verified and
    refined at 60 digits."""
    grid = np.arange(-SCAN, SCAN + 1e-9, 1.0 / 32)
    with np.errstate(all="ignore"):
        y = np.asarray(core(grid), dtype=np.float64)
    y = np.broadcast_to(y, grid.shape)
    found = []
    for i in range(1, len(grid) - 1):
        if not np.isfinite(y[i - 1]) or not np.isfinite(y[i + 1]):
            continue
        try:  # the reference has no value at a point (DiracDelta at 0): no root there
            if y[i] == 0 and y[i - 1] != 0 and y[i + 1] != 0 and \
                    (y[i - 1] > 0) != (y[i + 1] > 0):
                with mpmath.workdps(_DPS):
                    if f(mpmath.mpf(float(grid[i]))) == 0:
                        found.append(mpmath.mpf(float(grid[i])))
                        continue
                a, b = grid[i - 1], grid[i + 1]
            elif grid[i] == 0 and y[i] == 0 and y[i - 1] != 0 and y[i + 1] != 0:
                with mpmath.workdps(_DPS):  # a root of even order at 0 (x - log1p x)
                    if f(mpmath.mpf(0)) == 0:
                        found.append(mpmath.mpf(0))
                continue
            elif y[i] != 0 and y[i + 1] != 0 and (y[i] > 0) != (y[i + 1] > 0):
                a, b = grid[i], grid[i + 1]
            else:
                continue
            with mpmath.workdps(_DPS):
                fa, fb = f(mpmath.mpf(float(a))), f(mpmath.mpf(float(b)))
            if fa == 0 or fb == 0 or (fa > 0) == (fb > 0):
                continue  # the float sign change was rounding noise
            found.append(_bisect(f, float(a), float(b)))
        except (ValueError, ZeroDivisionError):
            continue
    return found


def _piece_ok(core, f, a, ok=ULP_OK, n=PIECE_POINTS):
    """True if the float code is within ``ok`` ULP at ``n`` points of [a, a + WIDTH)
    (6 missed mish''s 3.2 ULP at -0.2286 and gelu_tanh''s 2.0 at -1.274)."""
    from .reference import ulp_error
    xs = a + WIDTH * (np.arange(n) + 0.513) / n
    with np.errstate(all="ignore"):
        got = np.broadcast_to(np.asarray(core(xs), dtype=np.float64), xs.shape)
    with mpmath.workdps(40):
        refs = [f(mpmath.mpf(float(v))) for v in xs]
        return all(ulp_error(g, r) <= ok for g, r in zip(got, refs) if not mpmath.isnan(r))


def _fit_band(core, f, r, lo, hi, limit_lo, limit_hi, ok=ULP_OK, n=PIECE_POINTS):
    """Adjust [lo, hi) to the measurement: drop outer pieces where the float code
    is within ``ok`` ULP already (each piece costs time on every call), and grow
    the band while the next piece out is not (up to the limits)."""
    while hi - lo > 2 * WIDTH and lo + WIDTH < r and _piece_ok(core, f, lo, ok, n):
        lo += WIDTH
    while hi - lo > 2 * WIDTH and hi - WIDTH > r and _piece_ok(core, f, hi - WIDTH, ok, n):
        hi -= WIDTH
    # growing, a piece that passes does not end the band where the one beyond
    # it breaks the contract (at CONTRACT_POINTS): the float code's error peaks
    # are rare, a piece passes or fails at n points by chance (mish'' on
    # [2.875, 3): 0.98 ULP at 24 points, [3, 3.125): 2.02 at 256, 2.4 at 6000)
    def passes(a, step):
        return _piece_ok(core, f, a, ok, n) and (
            not limit_lo <= a + step <= limit_hi - WIDTH
            or _piece_ok(core, f, a + step, CONTRACT_ULP, CONTRACT_POINTS))
    while lo - WIDTH >= limit_lo and not passes(lo - WIDTH, -WIDTH):
        lo -= WIDTH
    while hi + WIDTH <= limit_hi and not passes(hi, WIDTH):
        hi += WIDTH
    return lo, hi


def _rounding_band(core, f, r, lim):
    """[lo, hi) around a root without cancellation where the float code's
    roundings still add up past ROUND_ULP (mish = x·tanh(softplus x): 2.3 ULP
    on [-0.625, 0.25), three rounded kernels and a product), fitted as
    ``_fit_band`` with that threshold; None if both pieces beside r are within it."""
    a = math.floor(r / WIDTH) * WIDTH
    lo, hi = (a - WIDTH, a + WIDTH) if a == r else (a, a + WIDTH)
    if all(_piece_ok(core, f, b, ROUND_ULP, ROUND_POINTS) for b in np.arange(lo, hi, WIDTH)):
        return None
    return _fit_band(core, f, r, lo, hi, *lim, ok=ROUND_ULP, n=ROUND_POINTS)


def _accurate_near(core, f, r):
    """True if the float code is within 1 ULP at floats 2^-12 .. 2^-40 off r."""
    from .reference import ulp_error
    xs = [float(r) + s * 2.0 ** -k for k in (12, 20, 30, 40) for s in (-1, 1)]
    with np.errstate(all="ignore"):
        got = np.broadcast_to(np.asarray(core(np.array(xs)), dtype=np.float64), (len(xs),))
    with mpmath.workdps(_DPS):
        return all(ulp_error(g, f(mpmath.mpf(x))) <= 1 for g, x in zip(got, xs))


@functools.lru_cache(maxsize=4)
def _cos_table(n):
    """cos(kπ(j + 1/2)/n) at 60 digits, [k][j]."""
    with mpmath.workdps(_DPS):
        return [[mpmath.cos(k * mpmath.pi * (j + mpmath.mpf(1) / 2) / n) for j in range(n)]
                for k in range(n)]


def table(fn, lo, hi, width=WIDTH):
    """(lo, width, coefficient columns) of ``fn`` (an mpmath function) on [lo, hi):
    one polynomial per piece, as the root patches (see :func:`k_table`)."""
    pieces = []
    for i in range(int(round((hi - lo) / width))):
        fit = _cheb_fit(fn, lo + (i + 0.5) * width, width / 2)
        if fit is None:
            raise ArithmeticError(f"no polynomial fit on piece {i} of [{lo}, {hi})")
        pieces.append(fit)
    deg = max(len(p) for p in pieces)
    pieces = [(0.0,) * (deg - len(p)) + p for p in pieces]
    return lo, width, [list(col) for col in zip(*pieces)]


def _cheb_fit(g, c, half):
    """Monomial coefficients (highest first) in t = (x - c)/half of the Chebyshev
    interpolant of g on [c - half, c + half], then the low part of the constant
    term (it is carried as a double-double); None if it does not converge."""
    n = _NODES
    cos = _cos_table(n)
    with mpmath.workdps(_DPS):
        vals = [g(mpmath.mpf(c) + half * t) for t in cos[1]]
        a = []
        for k in range(n):
            s = mpmath.fsum(v * ck for v, ck in zip(vals, cos[k]))
            a.append(s * (1 if k == 0 else 2) / n)
        top = max(abs(v) for v in vals)
        if top == 0:
            return None
        keep = [k for k in range(n) if abs(a[k]) > top * FIT_TOL]
        d = max(keep) if keep else 0
        if d > n - 6:
            return None
        # Chebyshev -> monomial in t (T_{k+1} = 2t T_k - T_{k-1}), at 60 digits
        mono = [mpmath.mpf(0)] * (d + 1)
        cheb = [[mpmath.mpf(1)], [mpmath.mpf(0), mpmath.mpf(1)]]
        while len(cheb) <= d:
            nxt = [mpmath.mpf(0)] + [2 * v for v in cheb[-1]]
            for i, v in enumerate(cheb[-2]):
                nxt[i] -= v
            cheb.append(nxt)
        for k in range(d + 1):
            for i, v in enumerate(cheb[k]):
                mono[i] += a[k] * v
        c0 = mono[0]
        c0_lo = float(c0 - mpmath.mpf(float(c0)))
        return tuple(float(v) for v in reversed(mono)) + (c0_lo,)


def _band_limits(r, kinks, others):
    """How far a band around r may grow: 2·_MAX_HALF_BAND, not past a kink or
    halfway to another root (multiples of WIDTH)."""
    lo = math.ceil((r - 2 * _MAX_HALF_BAND) / WIDTH) * WIDTH
    hi = math.floor((r + 2 * _MAX_HALF_BAND) / WIDTH) * WIDTH
    for k in kinks + [(o + r) / 2 for o in others]:
        if lo <= k <= r:
            lo = math.ceil(k / WIDTH) * WIDTH + (WIDTH if math.ceil(k / WIDTH) * WIDTH == k else 0.0)
        if r <= k < hi:
            hi = math.floor(k / WIDTH) * WIDTH
    return lo, hi


def _band(branches, r, kinks, others):
    """[lo, hi] around r (multiples of WIDTH) where κ > KAPPA; not past a kink or
    halfway to another root."""
    step = WIDTH / 4
    with mpmath.workdps(30):
        ends = []
        for s in (-1, 1):
            d = step
            while d < _MAX_HALF_BAND and _kappa(branches, r + s * mpmath.mpf(d)) > KAPPA:
                d += step
            ends.append(float(r) + s * (d + step))
    lo = math.floor(ends[0] / WIDTH) * WIDTH
    hi = math.ceil(ends[1] / WIDTH) * WIDTH
    rf = float(r)
    for k in kinks + [float(o + r) / 2 for o in others]:
        if lo <= k <= rf:  # [lo, hi) must not hold the kink itself
            lo = math.ceil(k / WIDTH) * WIDTH
            lo += WIDTH if lo == k else 0.0
        if rf <= k < hi:
            hi = math.floor(k / WIDTH) * WIDTH
    return lo, hi


@functools.lru_cache(maxsize=256)
def root_patches(expr, var, stable=None):
    """The patches of ``expr`` (a tuple of :class:`Patch`; empty if none needed).

    ``stable`` is the stabilised expression the float code evaluates (default:
    :func:`symacts.export.rules.stabilize` of ``expr``).
    """
    from .mp import mp_lambdify
    from .printer import source
    from .numpy_backend import run_source, _kernel_sources
    from .rules import stabilize
    if _periodic(expr) or not expr.free_symbols:
        return ()
    stable = stabilize(expr, var) if stable is None else stable
    body = source(stable, var, "_g")
    core = run_source("\n\n".join(_kernel_sources(body) + [body]), "_g")
    s = _scale(expr, var)
    if s != 1.0:  # everything below in v = s·x: the float code at v/s (exact)
        x_core, to_x = core, sympy.Integer(2) ** -round(math.log2(s))
        core = lambda v: x_core(np.asarray(v, dtype=np.float64) / s)  # noqa: E731
        expr, stable = expr.xreplace({var: var * to_x}), stable.xreplace({var: var * to_x})
    f = _real(mp_lambdify(expr, var))
    roots = _roots(core, f, var)
    if not roots:
        return ()
    branches = _branch_terms(stable, var)
    kinks = _kinks(expr, var)
    out = []
    for r in roots:
        with mpmath.workdps(30):
            near = max(_kappa(branches, r + mpmath.mpf(2) ** -10),
                       _kappa(branches, r - mpmath.mpf(2) ** -10))
        others = [o for o in roots if o is not r]
        lim = _band_limits(float(r), kinks, [float(o) for o in others])
        m = _multiplicity(f, r)
        if m is None or (m > 1 and r != 0) or (r == 0 and s < 1):
            continue  # (v = s·x underflows where x is tiny: the band at 0 would lose bits)
        if near <= KAPPA:  # no cancellation at this root (x·Φ(x) at 0, tanh at 0)...
            band = _rounding_band(core, f, float(r), lim)  # ...but maybe roundings
            if band is None:
                continue
            lo, hi = band
        else:
            if _accurate_near(core, f, r):
                continue  # the formula is exact there already ((x + 3)/6 at -3)
            lo, hi = _band(branches, r, kinks, others)
            lo, hi = _fit_band(core, f, float(r), lo, hi, *lim)
        if not lo < float(r) < hi:
            continue

        def g(x, r=r, m=m):
            d = (x - r) ** m
            return f(x) / d if d != 0 else mpmath.nan
        n = int(round((hi - lo) / PIECE))
        k0 = min(max(int((float(r) - lo) // PIECE), 0), n - 1)
        fits = {}
        for ks in (range(k0, n), range(k0 - 1, -1, -1)):
            for i in ks:  # out from r's piece; the band ends where a fit fails
                fit = _cheb_fit(g, lo + (i + 0.5) * PIECE, PIECE / 2)
                if fit is None:
                    break  # (gelu_tanh'' beyond 10.6, where g falls like e^(-x³))
                fits[i] = fit
        if k0 not in fits:
            continue
        a, b = min(fits), max(fits) + 1
        pieces = [fits[i] for i in range(a, b)]
        lo, hi = lo + a * PIECE, lo + b * PIECE
        if not lo < float(r) < hi:
            continue
        with mpmath.workdps(_DPS):
            r_hi = float(r)
            r_lo = float(r - mpmath.mpf(r_hi))
        deg = max(len(p) for p in pieces)
        mono = tuple((0.0,) * (deg - len(p)) + p[:-1] for p in pieces)
        out.append(Patch(r_hi, r_lo, m, lo, hi, mono, tuple(p[-1] for p in pieces), s))
    return tuple(out)


#: bits of the top part of x - r in ``k_root_patch`` for multiplicity m: (x - r)^m
#: of those times the constant term h (53 - m·bits) is exact
_SPLIT_BITS = {1: 26, 2: 17, 3: 13}


def _short_constant(hi, lo, bits):
    """The constant terms hi + lo as h + l with h rounded to ``bits`` bits (so
    ``k_root_patch`` multiplies it exactly) and l = (hi - h) + lo."""
    hs, ls = [], []
    for a, b in zip(hi, lo):
        if a == 0.0 or not math.isfinite(a):
            hs.append(a)
            ls.append(b)
            continue
        f, e = math.frexp(a)
        h = math.ldexp(round(f * 2.0 ** bits), e - bits)
        hs.append(h)
        ls.append((a - h) + b)   # a - h exact
    return hs, ls


def table_rows(p):
    """The patch's table as ``k_root_patch`` reads it (every backend): rows
    c[k, piece], highest power first, the constant term last as two rows h, l
    (h short enough that d^m·h is exact)."""
    cols = list(zip(*p.coeffs))
    hs, los = _short_constant(cols[-1], p.const_lo, 53 - p.mult * _SPLIT_BITS[p.mult])
    return cols[:-1] + [hs, los]


def table_text(p):
    """``table_rows(p)`` as the text of a nested list literal's rows."""
    return ",\n    ".join("[" + ", ".join(repr(c) for c in col) + "]" for col in table_rows(p))


def scaled_x(p):
    """The patch's coordinate as printed: ``x`` or ``x * 2^k`` (exact)."""
    return "x" if p.scale == 1.0 else f"x * {p.scale!r}"


def patch_source(patches, name):
    """Source of ``name(x)``: the generic core ``name_g`` with the patches applied."""
    lines = []
    for i, p in enumerate(patches):
        rows = table_text(p)
        lines.append(f"{name}_P{i} = ({p.lo!r}, {p.hi!r}, {p.root!r}, {p.root_lo!r}, {p.mult}, "
                     f"{PIECE!r}, np.array([\n    {rows}]))")
    lines.append(f"def {name}(x):")
    lines.append(f"    y = {name}_g(x)")
    for i, p in enumerate(patches):
        lines.append(f"    y = k_root_patch({scaled_x(p)}, y, {name}_P{i})")
    lines.append("    return y")
    return "\n".join(lines)
