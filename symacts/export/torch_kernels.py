"""PyTorch kernels for the primitives the stable rules produce: the formulas of
:mod:`symacts.export.kernels` written with torch ops, for float64 tensors.

Their source is copied verbatim into modules written by
``symacts export --backend torch``; this module imports without torch (the
kernels then cannot run, but their text can be printed).

>>> sorted(KERNELS)[:3]
['k_dirac', 'k_expsq', 'k_gauss_scaled']
"""
try:
    import torch
except ImportError:  # printing the source needs no torch
    torch = None

__all__ = ["KERNELS"]


def k_sigmoid(u):
    """σ(u): torch's own sigmoid (1.7 ULP) where it is right, e^u below -36.75
    (there σ = e^u(1 - e^u + ...) to 2^-53, and torch's flushes the tail to 0)."""
    return torch.where(u < -36.75, torch.exp(u), torch.sigmoid(u))


def k_softplus(u):
    """log(1 + e^u): u above 36.75, e^u below -36.75 (exact to 2^-53 there),
    torch's log1p(e^u) between (1.3 ULP; its default switch to u at 20 is not)."""
    return torch.where(u > 36.75, u, torch.where(
        u < -36.75, torch.exp(u), torch.nn.functional.softplus(u, threshold=40.0)))


def k_log_sigmoid(u):
    """log σ(u) = -softplus(-u)."""
    return -k_softplus(-u)


def k_sech2(u):
    """sech(u)² = 4t/(1 + t)², t = e^(-2|u|), with 1 + t carried exactly."""
    t = torch.exp(-2.0 * torch.abs(u))
    s = 1.0 + t
    e = t - (s - 1.0)
    r = 4.0 * (t / s) / s
    return r - r * (2.0 * e / s)


def k_recip1psq(u):
    """1/(1 + u²), switching to (1/u)² before u² overflows."""
    a = torch.abs(u)
    r = 1.0 / torch.clamp(a, min=1e-300)
    return torch.where(a < 1e150, 1.0 / (1.0 + a * a), r * r)


def k_hypot1(u):
    """√(1 + u²) without overflow."""
    return torch.hypot(u, torch.ones_like(u))


def k_heaviside(u, h0):
    """The step: 0 below 0, h0 at 0, 1 above; nan for nan."""
    return torch.where(u > 0, 1.0, torch.where(u < 0, 0.0, h0 + 0.0 * u))


def k_ndtr(u):
    """Φ(u) for u >= -1 (the tail goes through ``k_gauss_scaled``)."""
    return torch.special.ndtr(u)


def k_mills(u):
    """Φ(u)/φ(u) = √(π/2) erfcx(-u/√2), for u < 0."""
    return 1.2533141373155003 * torch.special.erfcx(-u * 0.7071067811865476)


def k_gauss_scaled(u, c):
    """c·exp(-u²/2), accurate to the last subnormal (see ``k_expsq``)."""
    return k_expsq(u, c, 0.5)


def k_expsq(u, c, s):
    """c·exp(-s·u²) for s = 1/2 or 1: u = hi + lo (Dekker) so s·hi² is exact;
    c is applied before the final, possibly subnormal, product."""
    a = torch.clamp(torch.abs(u), max=1e4)
    p = 134217729.0 * a
    hi = p - (p - a)
    lo = a - hi
    h = s * hi * hi
    small = c * torch.exp(-s * (lo * (2.0 * hi + lo)))
    big = torch.exp(-h)
    out = torch.where(big == 0.0, 0.0, small * big)
    rescue = (torch.abs(out) < 1e-290) & (h < 810.0)  # subnormal: scale by e^64
    return torch.where(rescue, (small * torch.exp(64.0 - h)) * 1.603810890548638e-28, out)


def k_zero_wins(small, prod):
    """``prod``, but 0 where its factor ``small`` underflowed to 0."""
    return torch.where(small == 0.0, 0.0, prod)


def k_dirac(u):
    """The derivative of a step: 0 off the jump, undefined (nan) at it."""
    return torch.where(u == 0, torch.full_like(u, float("nan")), torch.zeros_like(u))


def k_two_prod(a, b):
    """(p, e) with p = fl(a·b) and p + e = a·b exactly (Dekker; |a|, |b| < 1e150)."""
    p = a * b
    c = 134217729.0 * a
    ah = c - (c - a)
    al = a - ah
    c = 134217729.0 * b
    bh = c - (c - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def k_poly_table(x, lo, w, c):
    """Piecewise polynomial (table c[k, piece], highest power first, the constant
    term carried as c[-2] + c[-1]) in t = (x - centre)/(w/2): (h, l), value h + l."""
    i = torch.clamp(((x - lo) * (1.0 / w)).long(), 0, c.shape[1] - 1)
    t = (x - (i.to(x.dtype) * w + (lo + 0.5 * w))) * (2.0 / w)
    q = c[0][i]
    for k in range(1, c.shape[0] - 2):
        q = q * t + c[k][i]
    return c[-2][i], q * t + c[-1][i]


def k_root_patch(x, y, p):
    """``y`` with the root patch ``p`` (the NumPy backend's patch data) applied:
    on [lo, hi), (x - r_hi - r_lo)^m times the piece's polynomial."""
    lo, hi, r, r_lo, m, w, c = p
    mask = (x >= lo) & (x < hi)
    if not bool(mask.any()):
        return y
    xm = x[mask]
    h, l = k_poly_table(xm, lo, w, c)
    d = xm - r                   # x - r_hi - r_lo with one rounding (TwoSum)
    b = d - xm
    d = d + (((xm - (d - b)) - (r + b)) - r_lo)
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
    y = y.clone()
    y[mask] = g
    return y


#: name -> kernel, as the generated code calls them
KERNELS = {f.__name__: f for f in (k_sigmoid, k_softplus, k_log_sigmoid, k_sech2, k_recip1psq,
                                   k_hypot1, k_heaviside, k_ndtr, k_mills, k_gauss_scaled,
                                   k_expsq, k_zero_wins, k_dirac, k_two_prod, k_root_patch,
                                   k_poly_table)}
