"""JAX kernels for the primitives the stable rules produce: the formulas of
:mod:`symacts.export.kernels` written with jax.numpy, jit- and vmap-safe.

They run in float64 when JAX has x64 enabled; without it JAX has no float64
and they run in float32, with the float32 constants where the formula needs
them (the Dekker split, overflow thresholds). ``lax.optimization_barrier``
keeps XLA's algebraic simplifier, under jit, from undoing the error terms. XLA on CPU flushes subnormal
numbers to zero, so subnormal results come out 0 (docs/export.md).
Their source is copied verbatim into modules written by
``symacts export --backend jax``; this module imports without jax.

>>> sorted(KERNELS)[:2]
['k_add_pair', 'k_dd_add']
"""
import functools

try:
    import jax
    import jax.numpy as jnp
    from jax import lax
    from jax.scipy import special as jsp
except ImportError:  # printing the source needs no jax
    jax = jnp = jsp = lax = None

from .array_kernels import ARRAY_KERNELS
from .dd_kernels import DD_KERNELS

__all__ = ["KERNELS"]


def k_sigmoid(u):
    """σ(u) = A - A·e/(1 + e) with e = e^-|u|, A = 1 (u >= 0) or e (u < 0), as
    NumPy's ``k_sigmoid``: no overflow."""
    e = jnp.exp(-jnp.abs(u))
    a = jnp.maximum(jnp.copysign(1.0, u), e)
    return a - (e * a) / (e + 1.0)


def k_softplus(u):
    """log(1 + e^u) = max(u, 0) + log1p(e^-|u|) (log1p by ``k_log1p``)."""
    return jnp.maximum(u, 0.0) + k_log1p(jnp.exp(-jnp.abs(u)))


def k_log_sigmoid(u):
    """log σ(u) = min(u, 0) - log1p(e^-|u|) (log1p by ``k_log1p``)."""
    return jnp.minimum(u, 0.0) - k_log1p(jnp.exp(-jnp.abs(u)))


def k_log1p(v):
    """log(1 + v) = log(u) + (v - (u - 1))/u with u = 1 + v rounded (the rounding
    error corrected to first order): XLA's log is within 0.5 ULP, its log1p
    off by up to 128 ULP on (-0.5, 0) (measured); barriers keep XLA from
    folding (1 + v) - 1 to v."""
    u = lax.optimization_barrier(1.0 + v)
    c = (v - lax.optimization_barrier(u - 1.0)) / u
    y = jnp.log(u) + jnp.where(jnp.isfinite(c), c, 0.0)  # u = 0 or inf: log's own limit
    return jnp.where(v == 0.0, v, y)                     # -0.0 stays -0.0


def k_expm1(v):
    """e^v - 1 by Kahan's (u - 1)·v/log(u), u = e^v: the error of u cancels to
    first order (XLA's expm1 is off by up to 3 ULP on (-0.5, 0.5), measured)."""
    u = lax.optimization_barrier(jnp.exp(v))
    d = u - 1.0
    r = d * v / jnp.log(u)
    return jnp.where((u == 1.0) | (v == 0.0), v, jnp.where(d == -1.0, -1.0,
                     jnp.where(jnp.isinf(u), u, r)))


def k_tanh(u):
    """tanh(u): on |u| < 1/16 |u|(1 + u²·Q(u²)), the series through u^15 (the next
    term is below 2^-60 of the value); on [1/16, 2) a table of polynomials
    fitted to mpmath (``TANH_TABLE``, pieces of 1/16); 1 - 2/(1 + e^2|u|)
    beyond; the sign copied back (XLA's own tanh is off by up to 2.7 ULP on
    [-3, 3] and 7 near |u| = 20, measured)."""
    a = jnp.abs(u)
    y = a * a
    q = -0.0014558343870513183
    for c in (0.003592128036572481, -0.008863235529902197, 0.021869488536155203,
              -0.05396825396825397, 0.13333333333333333, -0.3333333333333333):
        q = q * y + c
    lo, w, c = TANH_TABLE
    on = (a >= lo) & (a < lo + w * len(c[0]))
    h, l = k_poly_table(jnp.where(on, a, lo), lo, w, c)
    big = 1.0 - 2.0 / (1.0 + jnp.exp(2.0 * a))
    return jnp.copysign(jnp.where(a < lo, a + a * (y * q), jnp.where(on, h + l, big)), u)



def k_sech2(u):
    """sech(u)² = 4t/(1 + t)², t = e^(-2|u|), as NumPy's ``k_sech2``: 1 + t = h + d
    with h of 26 bits (h² exact), corrected to second order; where t is tiny
    4t is computed scaled by e^64 (barriers keep XLA from folding 1 + t - 1)."""
    f64 = u.dtype == jnp.float64
    big, c1 = (134217729.0, 134217728.0) if f64 else (4097.0, 4096.0)
    a = -2.0 * jnp.abs(u)
    t = jnp.exp(a)
    h = lax.optimization_barrier(t + big) - c1   # 1 + t rounded to 26 (12) bits
    h = lax.optimization_barrier(h)
    d = t - (h - 1.0)                # h + d = 1 + t exactly
    g = ((h + h) + d) * d            # (1 + t)² - h²
    h2 = h * h                       # exact
    q = (t * 4.0) / h2
    out = q - (g / (h2 + g)) * q
    w = 4.0 * jnp.exp(a + 64.0)
    w = w * 1.603810890548638e-28 + w * -7.361325221284214e-45  # e^-64
    return jnp.where(out < (1e-290 if f64 else 1e-30), w, out)


def k_recip1psq(u):
    """1/(1 + u²), switching to (1/u)² before u² overflows."""
    big, tiny = (1e150, 1e-300) if u.dtype == jnp.float64 else (1e18, 1e-36)
    a = jnp.abs(u)
    r = 1.0 / jnp.maximum(a, tiny)
    return jnp.where(a < big, 1.0 / (1.0 + a * a), r * r)


def k_hypot1(u):
    """√(1 + u²) without overflow."""
    return jnp.hypot(u, 1.0)


def k_heaviside(u, h0):
    """The step: 0 below 0, h0 at 0, 1 above; nan for nan."""
    return jnp.heaviside(u, h0)


def k_ndtr(u):
    """Φ(u) for u >= -1 (the tail goes through ``k_gauss_scaled``)."""
    return jsp.ndtr(u)


def k_mills(u):
    """Φ(u)/φ(u) = √(π/2) erfcx(-u/√2), for u < 0."""
    return 1.2533141373155003 * k_erfcx(-u * 0.7071067811865476)


def k_gauss_scaled(u, c):
    """c·exp(-u²/2) (see ``k_expsq``)."""
    return k_expsq(u, c, 0.5)


def k_expsq(u, c, s):
    """c·exp(-s·u²), c a float or a double-double, rounded once (``k_expsq_pair``)."""
    return k_expsq_pair(u, c if isinstance(c, tuple) else (c, 0.0), s)


def k_expsq_float(u, c, s):
    """c·exp(-s·u²) for s = 1/2 or 1, as NumPy's ``k_expsq``: |u| = hi + lo with
    hi a multiple of 2^-20 (s·hi² exact), e^-(the small rest) by expm1, c
    applied before the final product; where the result is tiny it is redone
    scaled by e^64, keeping the sign of c (0 where c overflowed). A
    double-double c takes ``k_expsq_pair``."""
    f64 = u.dtype == jnp.float64
    big = 4294967296.0 if f64 else 32768.0  # hi: a multiple of 2^-20 (2^-8 in float32)
    a = jnp.minimum(jnp.abs(u), 1e4)
    hi = lax.optimization_barrier(lax.optimization_barrier(a + big) - big)
    r = jnp.expm1(((hi + a) * (a - hi)) * -s)   # e^-(s·lo·(2hi + lo)) - 1
    h = hi * hi
    if s != 1.0:
        h = h * s                    # exact
    # barriers keep XLA from rewriting exp(a)·exp(b) as exp(a + b) under jit
    e, r = lax.optimization_barrier((jnp.exp(-h) * c, r))
    out = r * e + e
    f = jnp.exp(64.0 - h)
    t = jnp.where((f == 0.0) | (h >= 810.0), 0.0, c * f)
    t = t + t * r
    t = t * 1.603810890548638e-28 + t * -7.361325221284214e-45  # e^-64
    tail = (jnp.abs(e) < (1e-290 if f64 else 1e-30)) | (h > (700.0 if f64 else 80.0))
    return jnp.where(tail, jnp.copysign(t, c), out)


def k_zero_wins(small, prod):
    """``prod``, but 0 where its factor ``small`` underflowed to 0."""
    return jnp.where(small == 0.0, 0.0, prod)


def k_dirac(u):
    """The derivative of a step: 0 off the jump, undefined (nan) at it."""
    return jnp.where(u == 0, jnp.nan, jnp.zeros_like(u))


def k_two_sum(a, b):
    """(s, e) with s = fl(a + b) and s + e = a + b exactly (Knuth's TwoSum;
    barriers keep XLA from folding (a + b) - a to b)."""
    s = lax.optimization_barrier(a + b)
    c = lax.optimization_barrier(s - a)
    return s, (a - (s - c)) + (b - c)


def k_two_prod(a, b):
    """(p, e) with p = fl(a·b) and p + e = a·b exactly (Dekker; |a|, |b| < 1e150)."""
    p = a * b
    c = 134217729.0 * a
    ah = c - (c - a)
    c = 134217729.0 * b
    bh = c - (c - b)
    ah, bh, p = lax.optimization_barrier((ah, bh, p))
    al = a - ah
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def k_poly_table(x, lo, w, c, _arrays={}):  # noqa: B006 - the cache of the tables as arrays
    """Piecewise polynomial (table c[k, piece], highest power first, the constant
    term carried as c[-2] + c[-1]) in t = (x - centre)/(w/2): (h, l), value h + l.
    The table is a nested list, made an array of x's dtype here once (an array
    made when the module is loaded would be float32 if x64 was enabled later)."""
    key = (id(c), str(x.dtype))
    hit = _arrays.get(key)
    if hit is None or hit[0] is not c:  # made once per table and dtype, outside any trace
        with jax.ensure_compile_time_eval():
            hit = _arrays[key] = (c, jnp.asarray(c, dtype=x.dtype))
    c = hit[1]
    i = jnp.clip(jnp.floor((x - lo) * (1.0 / w)), 0, c.shape[1] - 1)
    t = (x - (i * w + (lo + 0.5 * w))) * (2.0 / w)
    i = i.astype(jnp.int32)
    q = c[0][i]
    for k in range(1, c.shape[0] - 2):
        q = q * t + c[k][i]
    return c[-2][i], q * t + c[-1][i]


def k_root_patch(x, y, p):
    """``y`` with the root patch ``p`` (the NumPy backend's patch data) applied:
    on [lo, hi), (x - r_hi - r_lo)^m times the piece's polynomial; jit-safe
    (evaluated everywhere, selected), barriers keep XLA from folding the
    error terms."""
    lo, hi, r, r_lo, m, w, c = p
    mask = (x >= lo) & (x < hi)
    h, l = k_poly_table(jnp.where(mask, x, lo), lo, w, c)
    d = x - r                    # x - r_hi - r_lo with one rounding (TwoSum)
    d = lax.optimization_barrier(d)
    b = lax.optimization_barrier(d - x)
    d = d + (((x - (d - b)) - (r + b)) - r_lo)
    if m == 1:
        P, q = k_two_prod(d, h)
        g = P + (q + d * l)
    else:  # d^m as a double-double, then one rounding
        ph, pl = k_two_prod(d, d)
        if m == 3:
            ph, e = k_two_prod(ph, d)
            pl = e + pl * d
        P, q = k_two_prod(ph, h)
        g = P + (q + ph * l + pl * h)
    return jnp.where(mask, g, y)


def k_dd_poly(x, ch, cl):
    """Σ c_k x^k (coefficients highest first, each the double-double ch + cl) as
    a double-double (hi, lo), as NumPy's ``k_dd_poly``: Horner with Dekker
    products and TwoSum (barriers keep XLA from folding the error terms);
    beyond |x| = 1e30 hi is the plain float value. In float64, b·x and a·x³ +
    b·x (a·b > 0) by ``k_dd_odd``, as NumPy's (|x| > 1e30 as here)."""
    if x.dtype == jnp.float64 and k_odd_form(ch, cl):
        h, l = k_dd_odd(jnp.clip(x, -1e30, 1e30), ch, cl)
        plain = jnp.full_like(x, ch[0])  # (0·inf: x·2^e may overflow)
        for c in ch[1:]:
            plain = plain * x + c
        far = jnp.abs(x) > 1e30
        return jnp.where(far, plain, h), jnp.where(far, 0.0, l)
    split = 134217729.0 if x.dtype == jnp.float64 else 4097.0
    xc = jnp.clip(x, -1e30, 1e30)
    t = lax.optimization_barrier(xc * split)
    xh = lax.optimization_barrier(t - (t - xc))
    xl = xc - xh
    ph, pl = ch[0], cl[0]
    for h, l in zip(ch[1:], cl[1:]):
        if isinstance(ph, float):    # a constant: split it once, as a scalar
            c = split * ph
            ah = c - (c - ph)
            al = ph - ah
            p = lax.optimization_barrier(xc * ph)
            e = xh * ah - p + xl * ah + xh * al + xl * al + xc * pl
        else:                        # (ph + pl)·x = p + e exactly, Dekker
            p = lax.optimization_barrier(ph * xc)
            t = lax.optimization_barrier(ph * split)
            ah = lax.optimization_barrier(t - (t - ph))
            al = ph - ah
            e = ah * xh - p + ah * xl + al * xh + al * xl + pl * xc
        if h == 0.0 and l == 0.0:
            ph = lax.optimization_barrier(p + e)
            pl = e - (ph - p)
            continue
        s = lax.optimization_barrier(p + h)   # + (h + l): TwoSum
        b = lax.optimization_barrier(s - p)
        e = e + (((p - (s - b)) - (b - h)) + l)
        ph = lax.optimization_barrier(s + e)
        pl = e - (ph - s)
    if isinstance(ph, float):
        ph, pl = ph + 0.0 * x, pl + 0.0 * x
    plain = jnp.full_like(x, ch[0])
    for h in ch[1:]:
        plain = plain * x + h
    far = jnp.abs(x) > 1e30
    return jnp.where(far, plain, ph), jnp.where(far, 0.0, pl)










def k_odd_form(ch, cl):
    """True for the coefficients of b·x or a·x³ + b·x, a·b > 0 (NumPy's test)."""
    if len(ch) not in (2, 4) or not all(isinstance(v, float) for v in ch + cl):
        return False
    zero = (1, 3) if len(ch) == 4 else (1,)
    return all(ch[k] == 0.0 and cl[k] == 0.0 for k in zero) and (len(ch) == 2 or ch[0] * ch[2] > 0)


def k_dd_odd(x, ch, cl):
    """b·x or a·x³ + b·x as a double-double (float64), as NumPy's ``k_dd_odd``:
    x split at 17 bits, exact partial products (barriers keep XLA from
    folding the splits and error terms)."""
    c = lax.optimization_barrier(x * 68719476737.0)   # 2^36 + 1
    xh = lax.optimization_barrier(c - (c - x))
    xl = x - xh
    if len(ch) == 4:
        ah, al, bh, bl = ch[0], cl[0], ch[2], cl[2]
        k = ah * 17179869185.0       # 2^34 + 1 (Python floats: exact IEEE arithmetic)
        a1 = k - (k - ah)
        a2 = (ah - a1) + al
        y = lax.optimization_barrier(xh * xh)
        yl = xl * xh
        yl = yl + yl + xl * xl
        p = lax.optimization_barrier(y * a1)
        y = y * a2 + yl * ah
        s = lax.optimization_barrier(p + bh)   # TwoSum
        t = lax.optimization_barrier(s - p)
        e = (p - (s - t)) + (bh - t)
        e = e + y + bl
        t = lax.optimization_barrier(s * 131073.0)   # 2^17 + 1
        s1 = lax.optimization_barrier(t - (t - s))
        u = lax.optimization_barrier(xh * s1)
        s = (s - s1 + e) * x + s1 * xl
    else:
        k = ch[0] * 131073.0
        b1 = k - (k - ch[0])
        u = lax.optimization_barrier(xh * b1)
        s = x * ((ch[0] - b1) + cl[0]) + xl * b1
    h = lax.optimization_barrier(u + s)
    return h, s - (h - u)


def k_mul_sigmoid(c, u, big=True):
    """c·σ(u) as c/(1 + e^-u) with the sum's rounding corrected, as NumPy's
    ``k_mul_sigmoid`` (the tail, where e^-u overflows, is ``k_mul_tail``'s)."""
    e = jnp.exp(-u)
    s = e + 1.0
    r = (s - jnp.maximum(e, 1.0)) - jnp.minimum(e, 1.0)  # s - (1 + e), exact
    q = c / s
    r = jnp.where(jnp.isinf(q), 0.0, q * (r / s))  # c = ±inf: not 0·inf
    return k_mul_tail(c, q + r, u, 0)



def k_mul_tail(c, y, u, kind):
    """``y = c·F(u)`` recomputed where F(u) would be tiny (kind 0: F ~ e^u, σ,
    exp, tanh∘softplus; kind 1: sech², 4e^(-2|u|)) as c·e^(v + 64)·e^-64, so
    the product rounds once and an underflow keeps the sign of c; evaluated
    everywhere and selected (jit-safe)."""
    h, l = u if isinstance(u, tuple) else (u, 0.0)
    f64 = h.dtype == jnp.float64
    if kind == 1:
        m = jnp.abs(h) > (350.0 if f64 else 40.0)
        v, vl, c4 = -2.0 * jnp.abs(h), -2.0 * jnp.sign(h) * l, 4.0 * c
    else:
        m = h < (-700.0 if f64 else -80.0)
        v, vl, c4 = h, l, c
    e = jnp.exp(jnp.minimum(v, -600.0 if f64 else -60.0) + 64.0)
    t = jnp.where(e == 0.0, 0.0, c4 * e)  # 0 wins over an overflowed cofactor
    t = t + t * vl
    t = t * 1.603810890548638e-28 + t * -7.361325221284214e-45  # e^-64, double-double
    return jnp.where(m, jnp.copysign(t, c4), y)


def k_exp_ratio(u, c0, r, w, k=1):
    """t^k·(c0 + t·R(t))/(1 + t·W(t)) with t = e^u (u < 0), as NumPy's
    ``k_exp_ratio``: c0 + t·R by TwoSum, 1/(1 + tW) as 1 - q, t·s by Dekker's
    product (one rounding beside the exponential's); u and c0 may be
    double-doubles (hi, lo); t·c0 scaled by e^64 where t is near the
    subnormals (u < -708), its sign kept where it underflows; t^k as
    e^(k·u), k·u a double-double. Barriers keep
    XLA from folding the error terms; both forms are computed and selected."""
    ul = 0.0
    if isinstance(u, tuple):
        u, ul = u
    cl = 0.0
    if isinstance(c0, tuple):
        c0, cl = c0
    f64 = u.dtype == jnp.float64
    split = 134217729.0 if f64 else 4097.0
    t = jnp.exp(u)
    b = r[0] + 0.0 * t
    for c in r[1:]:
        b = b * t + c
    b = b * t                        # t·R
    q = w[0] + 0.0 * t
    for c in w[1:]:
        q = q * t + c
    q = q * t                        # W' = t·W
    q = q / (q + 1.0)                # W'/(1 + W')
    c0, b = lax.optimization_barrier((c0 + 0.0 * t, b))
    s = lax.optimization_barrier(c0 + b)   # TwoSum: s + e = c0 + t·R
    a = lax.optimization_barrier(s - c0)
    e = ((c0 - (s - a)) + (b - a)) + cl
    e = e - q * s                    # S/(1 + W') = s + e
    if k != 1:                       # t^k = e^(k·u), k·u = h + l exactly: e^h·(1 + l)
        if k & (k - 1):              # (below -1e6, t^k = 0: l unused)
            u, kl = k_two_prod(jnp.maximum(u, -1e6), float(k))
            ul = kl + ul * float(k)
        else:                        # k·u exact
            u = u * float(k)
            ul = ul * float(k)
        t = jnp.exp(u)
    # Dekker: t·s = p + f exactly, with t scaled by 2^300: XLA flushes subnormal
    # numbers to 0, and error terms of a product near 1e-300 would be subnormal
    # (flushing some and not others leaves an error of 2^-27 of p)
    up, down = (2.037035976334486e+90, 4.909093465297727e-91) if f64 else (2.0 ** 40, 2.0 ** -40)
    t = t * up                       # 2^300 (2^40 in float32), exact
    c = lax.optimization_barrier(t * split)
    th = lax.optimization_barrier(c - (c - t))
    tl = t - th
    c = lax.optimization_barrier(s * split)
    sh = lax.optimization_barrier(c - (c - s))
    sl = s - sh
    p = lax.optimization_barrier(t * s)
    f = th * sh - p + th * sl + tl * sh + tl * sl
    f = f + e * t
    p = (p + (f + p * ul)) * down    # e^(h + l) = e^h + e^h·l; scaled back
    # t near the subnormals: S = c0, t·c0 as e^(u + 64)·c0 times e^-64 (hi + lo),
    # each product rounded once (no Dekker products of tiny numbers: see above)
    ci = jnp.clip(c0, -1e300, 1e300)
    ph = jnp.exp(jnp.minimum(u, -600.0 if f64 else -70.0) + 64.0) * ci
    ph = ph + ph * ul
    v = ph * 1.603810890548638e-28 + ph * -7.361325221284214e-45
    return jnp.where(u < (-708.0 if f64 else -80.0), jnp.copysign(v, ci), p)


def k_select(x, conds, branches):
    """Piecewise: every branch evaluated on the whole array and selected (first
    true condition wins; nan goes to the last branch); jit- and vmap-safe."""
    out = branches[-1](x)
    for cond, branch in reversed(list(zip(conds, branches[:-1]))):
        out = jnp.where(cond(x), branch(x), out)
    return out


def k_square_affine(g, a, q, k=0):
    """a·g² + c as A·(G² + Q), G = g·2^k (A, Q and k from the printer), as
    NumPy's ``k_square_affine``: G² = p + r exactly, p + Q_hi and r + Q_mid by
    TwoSum, S = h + e by a third, A_hi·h + (A_hi·e + A_lo·h): 1.0 ULP, also
    next to the root; ``k_square_far`` where that is not finite. In float32
    (x64 off) the same with float32's split (the constants rounded to it)."""
    ah, al = a
    qh, qm, ql = q
    G = g * 2.0 ** (k // 2) * 2.0 ** (k - k // 2) if k else g
    split = 134217729.0 if g.dtype == jnp.float64 else 4097.0
    t = lax.optimization_barrier(G * split)
    h = lax.optimization_barrier(t - (t - G))  # gh: the top bits of G
    e = G - h
    p = lax.optimization_barrier(G * G)
    r = ((h * h - p) + 2.0 * h * e) + e * e  # G² - p, exact
    s, t = k_two_sum(p, qh)
    if qm != 0.0:
        u, v = k_two_sum(r, qm)
        t = (t + u) + (v + ql)
    else:
        t = t + r
    h, e = k_two_sum(s, t)           # S = h + e
    y = h * ah + (e * ah + h * al)
    return jnp.where(jnp.isfinite(y), y, k_square_far(g, h, ah, al, k))


def k_square_far(g, s, ah, al, k):
    """As NumPy's ``k_square_far``: A·G² = ((A·m²)·2^n)·2^n for |G| >= 2^459
    (G = m·2^n), A·S (``s``: S rounded, its own overflow) below."""
    m, n = jnp.frexp(g)
    n = n.astype(jnp.int32) + k
    p, r = k_two_prod(m, m)
    w = p * ah + (r * ah + p * al)
    c = jnp.ldexp(jnp.ones_like(m), jnp.clip(n, 0, 1023))
    w = (w * c) * c
    w = jnp.where(n >= 460, w, s * ah + s * al)
    return jnp.where(jnp.isfinite(g), w, (g * g) * ah)


def k_erfcx(v):
    """erfcx(v) = e^(v²) erfc(v): the NumPy backend's table of polynomials on
    [0, 28) (``ERFCX_TABLE``, max 0.55 ULP); jax's erfcx off the table."""
    h, l = k_erfcx_pair(v)
    return l + h


def k_erfcx_pair(v):
    """erfcx(v) as h + l unrounded, v a float or a double-double, as NumPy's
    ``k_erfcx_pair`` (jax's erfcx off the table, l = 0 there)."""
    vh, vl = v if isinstance(v, tuple) else (v, 0.0)
    lo, w, c = ERFCX_TABLE
    on = (vh >= lo) & (vh < lo + w * len(c[0]))
    h, l = k_poly_table(jnp.where(on, vh, lo), lo, w, c)
    h, l = jnp.where(on, h, jsp.erfcx(vh)), jnp.where(on, l, 0.0)
    if not isinstance(vl, float) or vl != 0.0:
        l = l + (2.0 * vh * (h + l) - 1.1283791670955126) * vl
    return h, l


def k_expsq_pair(u, c, s):
    """c·exp(-s·u²) for a double-double c, rounded once, as NumPy's
    ``k_expsq_pair`` (expm1 by ``k_expm1``; barriers keep XLA from folding the
    error terms); ``k_expsq`` where the result is subnormal, and in float32."""
    ch, cl = c
    if u.dtype != jnp.float64:
        return k_expsq_float(u, ch + cl, s)
    a = jnp.minimum(jnp.abs(u), 1e4)
    hi = lax.optimization_barrier(lax.optimization_barrier(a + 4294967296.0) - 4294967296.0)
    t = ((hi + a) * (a - hi)) * s    # s·lo·(2hi + lo)
    h = hi * hi
    if s != 1.0:
        h = h * s                    # exact
    n = jnp.round(h * 1.4426950408889634)
    r = lax.optimization_barrier(h - n * 0.6931471805598903)  # ln 2 to 42 bits: exact
    p = n * 5.497923018708371e-14
    z = lax.optimization_barrier(r - p)
    rl = (r - z) - p                 # z + rl = h - n·ln 2
    w = lax.optimization_barrier(-z - t)
    zl = ((-z - w) - t) - rl
    m = k_expm1(w)
    m = lax.optimization_barrier(m + zl * (m + 1.0))
    p1, p2 = lax.optimization_barrier((ch * m, cl * m))  # no fused multiply-adds under jit
    y = jnp.ldexp(ch + ((cl + p1) + p2), -n.astype(jnp.int32))
    bad = (jnp.abs(y) < 2.2250738585072014e-308) | ~(h <= 1400.0)
    return jnp.where(bad, k_expsq_float(u, ch + cl, s), y)




def k_exp(u):
    """e^u (jnp.exp; called by the shared double-double kernels)."""
    return jnp.exp(u)


def k_table_array(c, dtype, _arrays={}):  # noqa: B006 - the cache of the tables as arrays
    """A table (nested lists) as an array of ``dtype``, made once outside any trace."""
    key = (id(c), str(dtype))
    hit = _arrays.get(key)
    if hit is None or hit[0] is not c:
        with jax.ensure_compile_time_eval():
            hit = _arrays[key] = (c, jnp.asarray(c, dtype=dtype))
    return hit[1]


def k_pio_mul(p, q, _rows={}):  # noqa: B006 - the tables made, by multiplier
    """``PIO_TABLE`` for the multiplier a = p/q, as NumPy's ``k_pio_mul``."""
    t = _rows.get((p, q))
    if t is None:
        v = 32768 * q                # L <= log2(2^15/a), in integers: E0 = L - 55
        lg = (v // p).bit_length() - 1 if v >= p else -(p // v + 1).bit_length()
        t = _rows[(p, q)] = pio_rows(PIO_Q * p // q, PIO_B, PIO_F, min(PIO_E0, lg - 55), PIO_E1)
    return t


def k_pio_reduce(a, k, table=None):
    """(n, fh, fl) with 2^k·a·32/π = n + fh + fl (mod 64), |fh + fl| <= 1/2,
    for finite a >= 1, as NumPy's ``k_pio_reduce`` (Payne–Hanek with
    ``PIO_TABLE``, or ``table``, the integer parts taken off exactly); any
    value elsewhere."""
    e0, _, rows = PIO_TABLE if table is None else table
    t = k_table_array(rows, a.dtype)
    m, e = jnp.frexp(a)
    m = m * 9007199254740992.0       # M = m·2^53, an integer
    i = jnp.clip(e.astype(jnp.int32) + (k - 53 - int(e0)), 0, t.shape[1] - 1)
    p0, e0 = k_two_prod(m, t[0][i])
    p1, e1 = k_two_prod(m, t[1][i])
    p2, e2 = k_two_prod(m, t[2][i])
    e2 = e2 + m * t[3][i]
    n = jnp.round(p0)
    f = p0 - n                       # exact; p0, e0 are multiples of 2^-47
    n = n - 64.0 * jnp.floor(n * 0.015625)
    g = jnp.round(e0)
    f = f + (e0 - g)                 # exact: |f| <= 1, a multiple of 2^-47
    n = n + g
    g = jnp.round(f)
    f = lax.optimization_barrier(f - g)
    n = n + g
    g = jnp.round(p1)
    n = n + g
    f, err = k_two_sum(f, p1 - g)    # exact
    g = jnp.round(f)
    f = lax.optimization_barrier(f - g)
    n = n + g
    r1, r1e = k_two_sum(p2, e1)      # the small rest as a double-double
    r2, r2e = k_two_sum(r1, err)
    fh, fl = k_two_sum(f, r2)
    fl = fl + ((r1e + r2e) + e2)
    h, fl = k_two_sum(fh, fl)
    return n, h, fl


def k_pio_split(u, k):
    """(n, b, h): 2^k·u = n·π/32 + b + h, as NumPy's ``k_pio_split`` (both
    paths computed, Payne–Hanek selected beyond |2^k·u| = 2^15)."""
    n = jnp.round(u * (10.185916357881302 * 2.0 ** k))
    h = u * (2.0 ** k) + n * -0.09817477036267519
    t, h = k_two_sum(h, n * -6.200584869772013e-11)
    b, d = k_two_sum(t, n * -3.231364361806406e-20)
    h = (h + d) + n * -1.8149099837371003e-29      # r = b + h
    au = jnp.abs(u)
    big = (au * 2.0 ** k >= 32768.0) & (au < jnp.inf)
    nb, fh, fl = k_pio_reduce(jnp.where(big, au, 1.0), k)
    return k_pio_select(u, big, n, b, h, nb, fh, fl)


def k_pio_select(u, big, n, b, h, nb, fh, fl):
    """(n, b, h) with Payne–Hanek's n + f (f = fh + fl turns of π/32, signed
    like u) where ``big``."""
    ph, pe = k_two_prod(fh, 0.09817477042468103)   # r = f·π/32
    pe = pe + (fh * 3.827021247335479e-18 + fl * 0.09817477042468103)
    sg = jnp.copysign(1.0, u)
    n = jnp.where(big, nb * sg, n)
    b = jnp.where(big, ph * sg, b)
    h = jnp.where(big, pe * sg, h)
    return n, b, h


def k_mul_reduce(u, m):
    """(n, b, h): a·u = n·π/32 + b + h for a = p/q = m1 + m2 + m3, as
    NumPy's ``k_mul_reduce`` (the product never rounded: Cody–Waite on its
    exact parts, Payne–Hanek with ``k_pio_mul``'s table beyond |a·u| = 2^15)."""
    m1, m2, m3, pa, qa = m
    n = jnp.round(u * (m1 * 10.185916357881302))
    p, e1 = k_two_prod(u, m1)
    h = p + n * -0.09817477036267519  # exact (Sterbenz)
    p2, e2 = k_two_prod(u, m2)
    w, we = k_two_sum(e1, p2)
    we = ((we + e2) + u * m3) + n * -1.8149099837371003e-29  # the rest, below 2^-90
    t, d = k_two_sum(h, n * -6.200584869772013e-11)
    t, e = k_two_sum(t, w)
    b, f = k_two_sum(t, n * -3.231364361806406e-20)
    h = ((d + e) + f) + we           # r = b + h
    au = jnp.abs(u)
    big = (au * m1 >= 32768.0) & (au < jnp.inf)
    nb, fh, fl = k_pio_reduce(jnp.where(big, au, 1.0), 0, k_pio_mul(pa, qa))
    return k_pio_select(u, big, n, b, h, nb, fh, fl)


def k_sin_dd(u, k, s, m=None):
    """sin(2^k·u + s·π/32) as a double-double (hi, lo), to about 2^-60 of
    itself, as NumPy's ``k_sin_work`` (Cody–Waite below |2^k·u| = 2^15,
    ``k_pio_reduce`` beyond, both computed and selected; ``SIN_TABLE`` and
    Taylor polynomials for sin(jπ/32 + r)). float32: (sin, 0) with the
    shift by the expansion sin u·cos c + cos u·sin c. ``m``: the argument
    a·u (``k_mul_reduce``)."""
    if u.dtype != jnp.float64:
        v = u * (2.0 ** k) if m is None else u * m[0]
        a = s * 0.09817477042468103
        return jnp.sin(v) * jnp.cos(a) + jnp.cos(v) * jnp.sin(a), jnp.zeros_like(u)
    n, b, h = k_pio_split(u, k) if m is None else k_mul_reduce(u, m)
    rh, rl = k_two_sum(b, h)
    j = jnp.nan_to_num(n + s).astype(jnp.int32) & 63
    tab = k_table_array(SIN_TABLE[2], u.dtype)
    z = rh * rh
    sp = (((z * 2.7557319223985893e-06 - 1.984126984126984e-04) * z + 8.333333333333333e-03) * z
          - 1.6666666666666666e-01) * z * rh          # sin r - r
    cm = (((z * 2.48015873015873e-05 - 1.3888888888888889e-03) * z + 4.1666666666666664e-02) * z
          - 0.5) * z                                   # cos r - 1
    sp = (sp + rl * cm) + rl         # sin(rh + rl) - rh
    cm = cm - rh * rl                # cos(rh + rl) - 1
    w = rh * 134217729.0
    r26 = lax.optimization_barrier(w - lax.optimization_barrier(w - rh))  # rh's top 26 bits
    rr = rh - r26
    c26, cr, sh, sl = tab[2][j], tab[3][j], tab[0][j], tab[1][j]
    p1, p2, p3, p4 = lax.optimization_barrier((c26 * r26, c26 * rr, rh * cr, (c26 + cr) * sp))
    rr = (((p2 + p3) + p4) + cm * sh) + sl
    hi, e = k_two_sum(sh, p1)
    rr = rr + e
    return k_two_sum(hi, rr)


def k_sin_sq(u, k, s, c, v, m=None):
    """v + c·sin²(2^k·u + s·π/32) rounded once, as NumPy's ``k_sin_sq``."""
    h, l = k_sin_dd(u, k, s, m)
    q, e = k_two_prod(h, h)
    e = e + 2.0 * (h * l)            # sin² = q + e
    ch, cl = c
    if ch != 1.0 or cl != 0.0:
        p, f = k_two_prod(q, ch)
        q, e = p, f + (e * ch + q * cl)
    if not (isinstance(v, float) and v == 0.0):
        q, d = k_two_sum(v, q)
        e = e + d
    return q + e

def k_add_pair(x, hi, lo):
    """x + c for a constant c = hi + lo that is not a float, as NumPy's
    ``k_add_pair`` (a barrier keeps XLA from folding hi + lo first)."""
    return lax.optimization_barrier(x + hi) + lo


def k_where(c, a, b):
    """a where c else b (jnp.where; called by the shared array kernels)."""
    return jnp.where(c, a, b)


def k_isfinite(u):
    """True where u is finite (jnp.isfinite; called by the shared array kernels)."""
    return jnp.isfinite(u)


#: name -> kernel, as the generated code calls them
KERNELS = {f.__name__: f for f in (k_sigmoid, k_tanh, k_log1p, k_expm1, k_softplus, k_log_sigmoid, k_sech2, k_recip1psq,
                                   k_hypot1, k_heaviside, k_ndtr, k_mills, k_gauss_scaled,
                                   k_expsq, k_zero_wins, k_dirac, k_two_prod, k_two_sum, k_root_patch,
                                   k_poly_table, k_dd_poly, k_odd_form, k_dd_odd, k_mul_tail, k_mul_sigmoid, k_erfcx_pair, k_expsq_pair, k_expsq_float, k_exp_ratio, k_select,
                                   k_square_affine, k_square_far, k_erfcx, k_exp, k_table_array, k_pio_reduce, k_pio_split, k_pio_select, k_mul_reduce, k_pio_mul, k_sin_dd,
                                   k_sin_sq, k_add_pair, k_where, k_isfinite, *ARRAY_KERNELS, *DD_KERNELS)}


#: data some kernels read: global name -> the kernel that needs it (the NumPy
#: backend's tables, symacts.export.kernels.TABLES, and one for tanh, as nested lists)
TABLES = {"SOFTPLUS_TABLE": "k_softplus_dd", "ERFCX_TABLE": "k_erfcx_pair", "TANH_TABLE": "k_tanh", "SIN_TABLE": "k_sin_dd",
          "PIO_TABLE": "k_pio_reduce", "TANH_PAIR_TABLE": "k_tanh_sq"}


@functools.lru_cache(maxsize=None)
def _own_table(name):
    import mpmath
    from .patch import table
    return table(mpmath.tanh, 0.0625, 2.0, 0.0625)  # TANH_TABLE


def table_source(name):
    """``NAME = (lo, w, [[...], ...])``: a kernel's table as module text (a
    nested list: ``k_poly_table`` makes it an array of its argument's dtype)."""
    from .kernels import TABLES as NP, pio_table_source, tanh_pair_table
    if name == "PIO_TABLE":
        return pio_table_source("{}")
    lo, w, cols = (_own_table(name) if name == "TANH_TABLE" else
                   tanh_pair_table() if name == "TANH_PAIR_TABLE" else NP[name][1]())
    rows = ",\n    ".join("[" + ", ".join(repr(float(v)) for v in col) + "]" for col in cols)
    return f"{name} = ({lo!r}, {w!r}, [\n    {rows}])"
