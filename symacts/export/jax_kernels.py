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
['k_dirac', 'k_expsq']
"""
try:
    import jax.numpy as jnp
    from jax import lax
    from jax.scipy import special as jsp
except ImportError:  # printing the source needs no jax
    jnp = jsp = lax = None

__all__ = ["KERNELS"]


def k_sigmoid(u):
    """σ(u) = e^min(u,0) / (1 + e^-|u|): no overflow."""
    return jnp.exp(jnp.minimum(u, 0.0)) / (1.0 + jnp.exp(-jnp.abs(u)))


def k_softplus(u):
    """log(1 + e^u) = max(u, 0) + log1p(e^-|u|)."""
    return jnp.maximum(u, 0.0) + jnp.log1p(jnp.exp(-jnp.abs(u)))


def k_log_sigmoid(u):
    """log σ(u) = min(u, 0) - log1p(e^-|u|)."""
    return jnp.minimum(u, 0.0) - jnp.log1p(jnp.exp(-jnp.abs(u)))


def k_tanh(u):
    """tanh(u) within 2 ULP (XLA's own tanh is off by up to 7 ULP near |u| = 20):
    XLA's tanh on |u| < 0.55, 1 - 2/(1 + e^2|u|) beyond, the sign copied back."""
    a = jnp.abs(u)
    return jnp.copysign(jnp.where(a < 0.55, jnp.tanh(a), 1.0 - 2.0 / (1.0 + jnp.exp(2.0 * a))), u)


def k_sech2(u):
    """sech(u)² = 4t/(1 + t)², t = e^(-2|u|), with 1 + t carried exactly."""
    t = jnp.exp(-2.0 * jnp.abs(u))
    t, s = lax.optimization_barrier((t, 1.0 + t))  # else XLA folds (1 + t) - 1 to t
    e = t - (s - 1.0)
    r = 4.0 * (t / s) / s
    return r - r * (2.0 * e / s)


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
    return 1.2533141373155003 * jsp.erfcx(-u * 0.7071067811865476)


def k_gauss_scaled(u, c):
    """c·exp(-u²/2) (see ``k_expsq``)."""
    return k_expsq(u, c, 0.5)


def k_expsq(u, c, s):
    """c·exp(-s·u²) for s = 1/2 or 1: u = hi + lo (Dekker) so s·hi² is exact;
    c is applied before the final, possibly tiny, product."""
    split = 134217729.0 if u.dtype == jnp.float64 else 4097.0
    a = jnp.minimum(jnp.abs(u), 1e4)
    p = split * a
    hi = p - (p - a)
    lo = a - hi
    h = s * hi * hi
    # the barrier keeps XLA from rewriting exp(a)·exp(b) as exp(a + b) under jit
    small, big = lax.optimization_barrier((c * jnp.exp(-s * (lo * (2.0 * hi + lo))),
                                           jnp.exp(-h)))
    return jnp.where(big == 0.0, 0.0, small * big)


def k_zero_wins(small, prod):
    """``prod``, but 0 where its factor ``small`` underflowed to 0."""
    return jnp.where(small == 0.0, 0.0, prod)


def k_dirac(u):
    """The derivative of a step: 0 off the jump, undefined (nan) at it."""
    return jnp.where(u == 0, jnp.nan, jnp.zeros_like(u))


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


def k_poly_table(x, lo, w, c):
    """Piecewise polynomial (table c[k, piece], highest power first, the constant
    term carried as c[-2] + c[-1]) in t = (x - centre)/(w/2): (h, l), value h + l."""
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


#: name -> kernel, as the generated code calls them
KERNELS = {f.__name__: f for f in (k_sigmoid, k_tanh, k_softplus, k_log_sigmoid, k_sech2, k_recip1psq,
                                   k_hypot1, k_heaviside, k_ndtr, k_mills, k_gauss_scaled,
                                   k_expsq, k_zero_wins, k_dirac, k_two_prod, k_root_patch,
                                   k_poly_table)}
