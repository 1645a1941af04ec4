"""Float64 NumPy kernels for the primitives the stable rules produce.

Each kernel is a small NumPy function of float64 arrays that is accurate over
the whole float64 range (subnormal results included) and raises no warning
when called inside ``np.errstate(all="ignore")``, as the export wrapper does.
Their source is copied verbatim into modules written by ``symacts export``.

>>> import numpy as np
>>> float(k_sigmoid(np.array([-740.0]))[0])
4.2e-322
>>> float(k_softplus(np.array([800.0]))[0]), float(k_softplus(np.array([-40.0]))[0])
(800.0, 4.248354255291589e-18)
"""
import functools

import numpy as np
from scipy import special as sc

from .dd_kernels import (DD_KERNELS, k_dd_add, k_dd_mul, k_erfcx_dd, k_exp_dd,  # noqa: F401 (re-exported)
                         k_sech2_dd, k_sigmoid_dd, k_tanh_dd)

__all__ = ["k_sigmoid", "k_softplus", "k_log_sigmoid", "k_sech2", "k_recip1psq", "k_ndtr",
           "k_mills", "k_gauss_scaled", "k_expsq", "k_zero_wins", "k_dirac", "k_select", "k_root_patch", "k_two_prod", "k_dd_poly", "k_sigmoid_dd", "k_exp_dd",
           "k_sech2_dd", "k_tanh_dd", "k_mul_tail", "k_mul_sigmoid", "k_exp_ratio", "k_two_sum", "k_pow_sum", "k_erfcx_dd", "k_poly_table", "k_square_affine", "k_square_far", "k_tiny_linear",
           "k_erfcx", "k_erfcx_pair", "k_expsq_pair", "k_expsq_float", "k_sin_work", "k_pio_reduce",
           "k_sin_dd", "k_sin_sq", "k_tanh_sq", "k_add_pair", "KERNELS", "TABLES"]


def k_sigmoid(u):
    """σ(u) = A - A·e/(1 + e) with e = e^-|u| and A = 1 (u >= 0) or e (u < 0):
    the rounding of 1 + e only touches the smaller term, so max 1.5 ULP
    measured, where SciPy's ``expit`` reaches 2.26 ULP (x = -36.738...) and
    flushes x < -709.78 to 0; no overflow, the subnormal tail rounded once."""
    e = np.abs(u)
    np.negative(e, out=e)
    np.exp(e, out=e)
    a = np.copysign(1.0, u)
    np.maximum(a, e, out=a)          # A without a branchy np.where (-0.0: e = 1)
    d = e + 1.0
    e *= a
    e /= d
    np.subtract(a, e, out=a)
    return a


def k_dd_poly(x, ch, cl):
    """Σ c_k x^k (coefficients highest first, each the double-double ch + cl) as
    a double-double (hi, lo): Horner with Dekker products and TwoSum, so an
    exponential's argument is not rounded (e^u with |u| = 600 would lose 9 bits).
    Beyond |x| = 1e30 (the split would overflow) hi is the plain float value.
    In-place passes; a constant coefficient is split once, as a scalar (the
    same values as the general Dekker product). Two reductions decide whether
    any |x| > 1e30 (or nan) is present; only then are x clipped and the far
    values redone (the clip, the mask and its indices cost three passes)."""
    near = np.size(x) == 0 or (np.max(x) <= 1e30 and np.min(x) >= -1e30)  # nan: False
    if near and np.size(x) and k_odd_form(ch, cl):
        return k_dd_odd(x, ch, cl)
    xc = x if near else np.clip(x, -1e30, 1e30)
    xh = xc * 134217729.0
    t = xh - xc
    xh -= t                              # top 26 bits of x
    xl = xc - xh
    ph, pl = ch[0], cl[0]
    for h, l in zip(ch[1:], cl[1:]):
        if np.ndim(ph) == 0:             # a constant: split it once, as a scalar
            c = 134217729.0 * ph
            ah = c - (c - ph)
            al = ph - ah
            p = xc * ph
            e = xh * ah
            e -= p
            np.multiply(xl, ah, out=t)
            e += t
            np.multiply(xh, al, out=t)
            e += t
            np.multiply(xl, al, out=t)
            e += t
            np.multiply(xc, pl, out=t)
            e += t                       # (ph + pl)·x = p + e
        else:                            # (ph + pl)·x = p + e exactly, Dekker
            p = ph * xc
            np.multiply(ph, 134217729.0, out=t)
            ah = t - ph
            np.subtract(t, ah, out=ah)
            al = np.subtract(ph, ah, out=ph)  # ph is not needed again
            e = ah * xh
            e -= p
            np.multiply(ah, xl, out=t)
            e += t
            np.multiply(al, xh, out=t)
            e += t
            al *= xl
            e += al
            pl *= xc
            e += pl
        if h == 0.0 and l == 0.0:
            ph = p + e                   # normalised: the callers take hi for round(u)
            pl = np.subtract(ph, p, out=p)
            np.subtract(e, pl, out=pl)
            continue
        s = p + h                        # + (h + l): TwoSum
        b = s - p
        np.subtract(s, b, out=t)
        np.subtract(p, t, out=t)         # p - (s - b)
        b -= h
        t -= b                           # + (h - b)
        t += l
        e += t
        ph = np.add(s, e, out=p)         # p is not needed again
        pl = np.subtract(ph, s, out=s)
        np.subtract(e, pl, out=pl)
    if np.ndim(ph) == 0:
        ph, pl = ph + 0.0 * x, pl + 0.0 * x
    if near:
        return ph, pl
    far = np.flatnonzero(np.abs(x) > 1e30)
    if far.size:
        xf = x.take(far)
        plain = np.full(xf.shape, ch[0])  # (not ch[0] + 0·xf: x·2^e may be inf)
        for h in ch[1:]:
            plain = plain * xf + h
        ph[far] = plain
        pl[far] = 0.0
    return ph, pl


def k_odd_form(ch, cl):
    """True for the coefficients of b·x or a·x³ + b·x (numbers; see ``k_dd_odd``)."""
    if len(ch) not in (2, 4) or not all(isinstance(v, float) for v in ch + cl):
        return False
    zero = (1, 3) if len(ch) == 4 else (1,)  # a·x² + b must not cancel: a·b > 0
    return all(ch[k] == 0.0 and cl[k] == 0.0 for k in zero) and (len(ch) == 2 or ch[0] * ch[2] > 0)


def k_dd_odd(x, ch, cl):
    """b·x or a·x³ + b·x (``k_dd_poly``'s coefficients (a, 0, b, 0) or (b, 0),
    numbers, each hi + lo; |x| <= 1e30) as a double-double (hi, lo), to about
    2^-67 of the value, measured (every exponential's argument needs ~2^-60
    absolute for |u| < 750): x = xh + xl with xh of 17 bits (Veltkamp,
    2^36 + 1), so xh² (34 bits) times a's top 19 bits and xh times the top
    36 bits of a·x² + b are exact products; only terms 2^-16 of the value or
    smaller are rounded. 11 passes for b·x and 31 for the cubic, where the
    Horner of Dekker products took 18 and 65.

    >>> h, l = k_dd_odd(np.array([3.0]), (0.1, 0.0, 1.5, 0.0), (-5.551115123125783e-18, 0.0, 0.0, 0.0))
    >>> float(h[0]), float(l[0])     # 7.2 = hi + lo, lo exactly -1.7763568394002505e-16
    (7.2, -1.776355145334356e-16)
    """
    c = x * 68719476737.0            # 2^36 + 1
    xh = c - x
    np.subtract(c, xh, out=xh)       # the top 17 bits of x
    xl = np.subtract(x, xh, out=c)   # x - xh, exact (36 bits)
    if len(ch) == 4:
        ah, al, bh, bl = ch[0], cl[0], ch[2], cl[2]
        k = ah * 17179869185.0       # 2^34 + 1: a1 = the top 19 bits of a
        a1 = k - (k - ah)
        a2 = (ah - a1) + al
        y = xh * xh                  # exact: 34 bits
        yl = xl * xh                 # exact: 36 + 17 bits
        yl += yl
        t = xl * xl
        yl += t                      # x² = y + yl, to 2^-68
        p = y * a1                   # exact: 34 + 19 bits
        y *= a2
        yl *= ah
        y += yl                      # a·x² = p + y
        s = p + bh                   # TwoSum: s + e = p + bh exactly
        np.subtract(s, p, out=t)
        e = s - t
        np.subtract(p, e, out=e)
        np.subtract(bh, t, out=t)
        e += t
        e += y
        e += bl                      # a·x² + b = s + e
        np.multiply(s, 131073.0, out=t)  # 2^17 + 1: s1 = the top 36 bits of s
        s1 = np.subtract(t, s, out=p)
        np.subtract(t, s1, out=s1)
        s -= s1                      # s2, exact (17 bits)
        s += e
        u = np.multiply(xh, s1, out=t)   # exact: 17 + 36 bits
        np.multiply(s, x, out=s)     # x·(s2 + e)
        s1 *= xl
        s += s1                      # the rest of x·(s + e)
    else:
        k = ch[0] * 131073.0         # the top 36 bits of b, and its rest
        b1 = k - (k - ch[0])
        u = xh * b1                  # exact: 17 + 36 bits
        s = x * ((ch[0] - b1) + cl[0])
        xl *= b1
        s += xl
    h = u + s                        # Fast2Sum: |s| < 2^-15 |u|
    np.subtract(h, u, out=u)
    np.subtract(s, u, out=s)
    return h, s


def k_mul_sigmoid(c, u, big=True):
    """c·σ(u) as c/(1 + e^-u) with 1 + e^-u = s - r, r = (s - 1) - e^-u exact
    while e^-u < 2^53 (u > -36.7), and c/(s - r) = q + q·r/s: one
    exponential's error and two roundings (silu: max 1.72 ULP on 200000
    random points of [-745, 40], where c·σ(u) with σ rounded first reaches
    2.29). Below u = -36.5 (rare) c·σ(u) = c·t - c·t·t with t = e^u, and
    below -700 ``k_mul_tail``'s subnormal path. ``big``: c may be ±inf for a
    finite input (then r = 0·inf there, set to 0); False for c linear in x.

    >>> float(k_mul_sigmoid(np.array([2.0]), np.array([2.0]))[0])  # 2σ(2), correctly rounded
    1.7615941559557649
    """
    e = np.negative(u)
    np.exp(e, out=e)
    s = e + 1.0
    r = s - 1.0
    r -= e                   # s - (1 + e), exact for e < 2^53
    q = np.divide(c, s)
    r /= s
    r *= q
    if big and not np.isfinite(r.sum()):  # one reduction: c = ±inf gives r = 0·inf
        r[np.isinf(q)] = 0.0
    q += r                   # added, so that c = -0.0 gives -0.0
    lo = np.fmin.reduce(u) if np.size(u) else 0.0  # one reduction for both tails (fmin: nan ignored)
    if lo < -36.5:           # the few elements by index
        i = np.flatnonzero(u < -36.5)
        t = np.exp(u.take(i))
        ct = np.broadcast_to(c, q.shape).take(i) * t
        q[i] = ct - ct * t   # σ(u) = t - t² + ..., t < 2^-52
    return k_mul_tail(c, q, u, 0) if lo < -700.0 else q  # (k_mul_tail's own test)


def k_mul_tail(c, y, u, kind):
    """``y = c·F(u)`` recomputed where F(u) would be subnormal or nearly so:
    F ~ e^v (kind 0: σ, exp, tanh∘softplus with v = u; kind 1: sech², 4e^v
    with v = -2|u|), as c·e^(v + 64)·e^-64, so the product rounds once."""
    h, l = u if isinstance(u, tuple) else (u, 0.0)
    # reductions, cheaper than a mask and any(); fmin/fmax skip nan (np.min
    # returned nan for a block holding one, and the tail was not redone)
    lo = np.fmin.reduce(h) if np.size(h) else 0.0
    if not (lo < -700.0 or (kind == 1 and (lo < -350.0 or np.fmax.reduce(h) > 350.0))):
        return y
    m = np.abs(h) > 350.0 if kind == 1 else h < -700.0
    y = np.array(np.broadcast_to(y, np.shape(m)), dtype=np.float64)
    cm = np.broadcast_to(c, m.shape)[m]  # few elements: boolean masks are fine
    vm = h[m]
    vlm = np.broadcast_to(l, m.shape)[m]
    if kind == 1:
        vm, vlm, cm = -2.0 * np.abs(vm), -2.0 * np.sign(vm) * vlm, 4.0 * cm
    e = np.exp(vm + 64.0)
    t = np.where(e == 0.0, 0.0, cm * e)  # 0 wins over an overflowed cofactor
    t = t + t * vlm
    t = t * 1.603810890548638e-28 + t * -7.361325221284214e-45  # e^-64, double-double
    y[m] = np.copysign(t, cm)        # F > 0: an underflow keeps the sign of c
    return y


def k_exp_ratio(u, c0, r, w, k=1):
    """t^k·(c0 + t·R(t))/(1 + t·W(t)) with t = e^u (u < 0: t < 1), R and W
    polynomials (coefficients highest first; R's may be arrays): c0 + t·R by
    TwoSum (s + err), 1/(1 + tW) as 1 - q with q = tW/(1 + tW), so S/(1 + tW)
    = s + (err - s·q), and t·s by Dekker's product: one rounding at the end
    beside the exponential's (max 1.3 ULP measured for mish' on x < -3, the
    exp's 0.64 ULP counting up to twice across binades). u and c0 may be
    double-doubles (hi, lo): e^(h + l) = e^h·(1 + l), c0's lo joins the
    TwoSum's error. Where t is near the subnormals (u < -708) t·c0 is
    computed scaled by e^64, its sign kept where it underflows. For k > 1
    (a zero of order k in t: mish'' = -8(x - 1)e^(-2x) far right) the
    factor t^k is e^(k·u) itself, k·u a double-double: one exponential's
    error still, and the subnormal tail where k·u < -708 (t^k formed as a
    product of subnormal factors lost up to 353 ULP there).

    >>> v = k_exp_ratio(np.array([-800.0, -3.0]), np.array([-799.0, -2.0]), (1.0,), (1.0, 2.0))
    >>> float(v[0]), float(v[1])     # silu' = t·(1 + x + t)/(1 + t)² at x = -800, -3
    (-0.0, -0.08810410601516962)
    >>> float(k_exp_ratio(np.array([-370.0]), 4.0, (0.0,), (0.0,), 2)[0])  # 4e^-740
    1.675e-321
    """
    ul = 0.0
    if isinstance(u, tuple):
        u, ul = u
    cl = None
    if isinstance(c0, tuple):
        c0, cl = c0
    t = np.exp(u)                    # in place below: seven arrays (fresh ones page-fault)
    b = np.multiply(t, r[0])
    for c in r[1:]:
        b += c
        b *= t                       # t·R
    q = np.multiply(t, w[0])
    for c in w[1:]:
        q += c
        q *= t                       # W' = t·W
    s = q + 1.0
    q /= s                           # q = W'/(1 + W')
    np.add(c0, b, out=s)             # TwoSum: s + e = c0 + t·R
    a = s - c0
    e = s - a
    np.subtract(c0, e, out=e)
    np.subtract(b, a, out=a)
    e += a
    if cl is not None:
        e += cl
    q *= s
    e -= q                           # S/(1 + W') = s + e
    if k != 1:                       # t^k = e^(k·u), k·u = h + l exactly: e^h·(1 + l)
        if k & (k - 1):              # (below -1e6, t^k = 0: l unused)
            u, kl = k_two_prod(np.maximum(u, -1e6), float(k))
            ul = kl + ul * float(k)
        else:                        # k·u exact
            u = u * float(k)
            ul = ul * float(k)
        np.exp(u, out=t)
    np.multiply(t, 134217729.0, out=a)   # Dekker: t·s = p + f exactly
    th = np.subtract(a, t, out=b)
    np.subtract(a, th, out=th)
    tl = np.subtract(t, th, out=q)
    np.multiply(s, 134217729.0, out=a)
    sh = a - s
    np.subtract(a, sh, out=sh)
    sl = np.subtract(s, sh, out=a)
    e *= t
    p = np.multiply(t, s, out=t)
    f = np.multiply(th, sh, out=s)
    f -= p
    np.multiply(th, sl, out=th)
    f += th
    np.multiply(tl, sh, out=sh)
    f += sh
    tl *= sl
    f += tl
    f += e
    if np.ndim(ul) or ul != 0.0:
        np.multiply(p, ul, out=e)
        f += e                       # e^(h + l) = e^h + e^h·l
    p += f
    i = np.flatnonzero(u < -708.0) if np.fmin.reduce(u) < -708.0 else ()  # a reduction first
    if len(i):                       # t near or below the subnormals: S = c0 there
        ci = np.clip(np.broadcast_to(c0, u.shape).take(i), -1e300, 1e300)  # e^(u+64) = 0 beyond
        ph, pl = k_two_prod(np.exp(u.take(i) + 64.0), ci)
        if np.ndim(ul) or ul != 0.0:
            pl = pl + ph * np.broadcast_to(ul, u.shape).take(i)
        qh, ql = k_two_prod(ph, 1.603810890548638e-28)   # e^-64 = this + the next, double-double
        v = qh + (ql + (pl * 1.603810890548638e-28 + ph * -7.361325221284214e-45))
        p[i] = np.copysign(v, ci)    # an underflow keeps the sign of t·c0 (-0.0 for c0 < 0)
    return p


def k_softplus(u):
    """log(1 + e^u) = max(u, 0) + log1p(e^-|u|)."""
    return np.maximum(u, 0.0) + np.log1p(np.exp(-np.abs(u)))


def k_log_sigmoid(u):
    """log σ(u) = min(u, 0) - log1p(e^-|u|)."""
    return np.minimum(u, 0.0) - np.log1p(np.exp(-np.abs(u)))


def k_sech2(u):
    """sech(u)² = 4t/(1 + t)² with t = e^(-2|u|): 1 + t = h + d exactly with h
    of 26 bits (h² exact), so (1 + t)² = h²(1 + δ), δ = d(2h + d)/h² < 2^-24,
    and 4t/(1 + t)² = Q - Q·δ/(1 + δ), Q = 4t/h²: only the exponential and one
    division round (max 1.7 ULP measured on 32000 points of [-400, 400], at
    u = 1.7191..., NumPy's exp included; 4(t/s)/s reached 2.16 at u =
    1.3445...), in 16 in-place passes (two divisions: δ/(1 + δ) as
    d(2h + d)/(h² + d(2h + d))); where t is subnormal 4t is computed
    scaled by e^64 (×4 would quadruple its rounding)."""
    t = np.abs(u)
    t *= -2.0
    np.exp(t, out=t)
    h = t + 134217729.0              # 2^27 + 1: rounds 1 + t to a multiple of 2^-25
    h -= 134217728.0
    d = h - 1.0
    np.subtract(t, d, out=d)         # h + d = 1 + t exactly (Sterbenz)
    g = h + h
    g += d
    g *= d                           # (1 + t)² - h² = d(2h + d), to 2^-78 relative
    h *= h                           # exact: h has 26 bits
    t *= 4.0
    t /= h                           # Q
    h += g
    g /= h                           # δ/(1 + δ) = d(2h + d)/(h² + d(2h + d))
    g *= t
    t -= g
    i = np.flatnonzero(t < 1e-290) if np.fmin.reduce(t) < 1e-290 else ()  # a reduction (nan skipped)
    if len(i):
        v = -2.0 * np.abs(u.take(i)) + 64.0   # exact: |u| > 333
        w = 4.0 * np.exp(v)
        t[i] = w * 1.603810890548638e-28 + w * -7.361325221284214e-45  # e^-64
    return t


def k_recip1psq(u):
    """1/(1 + u²), switching to (1/u)² before u² overflows."""
    a = np.abs(u)
    r = 1.0 / np.maximum(a, 1e-300)
    return np.where(a < 1e150, 1.0 / (1.0 + a * a), r * r)


def k_ndtr(u):
    """Φ(u) for u >= -1 (the caller routes the tail through ``gauss_scaled``)."""
    return sc.ndtr(u)


def k_mills(u):
    """Φ(u)/φ(u) = √(π/2) erfcx(-u/√2), for u < 0."""
    return 1.2533141373155003 * k_erfcx(-u * 0.7071067811865476)  # √(π/2), 1/√2


def k_gauss_scaled(u, c):
    """c·exp(-u²/2), accurate to the last subnormal (see ``k_expsq``)."""
    return k_expsq(u, c, 0.5)


def k_expsq(u, c, s):
    """c·exp(-s·u²) for s = 1/2 or 1, c a float or a double-double (hi, lo),
    rounded once (``k_expsq_pair``; gaussian reached 2.32 ULP at 26.41 and
    gaussian' 2.68 at 26.59 with the exponential and c rounded apart)."""
    return k_expsq_pair(u, c if isinstance(c, tuple) else (c, 0.0), s)


def k_expsq_float(u, c, s):
    """c·exp(-s·u²) for s = 1/2 or 1: |u| = hi + lo with hi a multiple of 2^-20
    (so s·hi² is exact wherever the result is not 0) and e^-(the small rest)
    by expm1; c is applied before the final, possibly subnormal, product.
    Only where the factor e^-s·hi² is subnormal or 0 (s·hi² > 700) or the
    result is tiny is it redone, scaled by e^64 (0 there even if c
    overflowed): in-place passes over the whole array, the tail on its few
    elements (``k_expsq_pair``'s path for subnormal results)."""
    a = np.abs(u)
    np.minimum(a, 1e4, out=a)
    hi = a + 4294967296.0            # 2^32: a rounded to a multiple of 2^-20
    hi -= 4294967296.0
    r = hi + a                       # 2·hi + lo
    a -= hi                          # lo, exact
    r *= a
    r *= -s
    np.expm1(r, out=r)               # e^-(s·lo·(2hi + lo)) - 1
    hi *= hi
    if s != 1.0:
        hi *= s                      # h = s·hi², exact
    e = np.negative(hi)
    np.exp(e, out=e)
    e *= c                           # c·e^-h
    m = np.abs(e) < 1e-290
    m |= hi > 700.0
    i = np.flatnonzero(m)
    if i.size:
        h = hi.take(i)
        m1 = r.take(i)
    r *= e
    r += e
    if i.size:
        cm = np.broadcast_to(c, r.shape).take(i)
        f = np.exp(64.0 - h)         # h - 64 exact
        t = np.where((f == 0.0) | (h >= 810.0), 0.0, cm * f)
        t += t * m1
        t = t * 1.603810890548638e-28 + t * -7.361325221284214e-45  # e^-64
        r[i] = np.copysign(t, cm)    # an underflow keeps the sign of c (-0.0 for c < 0)
    return r


def k_expsq_pair(u, c, s):
    """c·exp(-s·u²) for a double-double c = (hi, lo), rounded once: with |u| =
    hi + lo as in ``k_expsq``, h = s·hi² (exact) is reduced to r = h - n·ln 2
    (ln 2 in two parts, n·L1 exact for n < 2^11, r + rl exact to 2^-100),
    so exp(-s·u²) = 2^-n·(1 + m) with m = expm1(-r - s·lo·(2hi + lo)) (NumPy's
    expm1: 0.51 ULP measured, |m| < 0.42) and c·(1 + m) = c_hi + (c_lo + c·m)
    is the one rounding before the exact scaling by 2^-n (gelu's tail: max
    1.21 ULP on 40000 random points of [-37, -0.5], 3.3 with c and the
    exponential rounded apart). Where the result is subnormal or n >= 2000,
    ``k_expsq_float`` of c_hi + c_lo (its subnormal path)."""
    ch, cl = c
    a = np.abs(u)                    # five fresh arrays in all, the rest in place
    np.minimum(a, 1e4, out=a)        # (a fresh 128 KB array page-faults: 25 us)
    hi = a + 4294967296.0            # 2^32: a rounded to a multiple of 2^-20
    hi -= 4294967296.0
    t = hi + a                       # 2·hi + lo
    a -= hi                          # lo, exact
    t *= a
    if s != 1.0:
        t *= s                       # s·lo·(2hi + lo)
    hi *= hi
    if s != 1.0:
        hi *= s                      # h = s·hi², exact
    n = np.multiply(hi, 1.4426950408889634, out=a)
    np.rint(n, out=n)
    # the reduction carried negated (rounding is symmetric: the same values
    # as r = h - n·L1, z = r - p, rl = (r - z) - p, one negation fewer)
    r = np.multiply(n, 0.6931471805598903)  # L1 = ln 2 to 42 bits: n·L1 exact
    r -= hi                          # -(h - n·L1), exact (Sterbenz)
    w = np.multiply(n, 5.497923018708371e-14)  # p = n·L2, L2 = ln 2 - L1
    np.add(r, w, out=hi)             # -z, z = (h - n·L1) - p (h is not needed again)
    r -= hi
    r += w                           # -rl: z + rl = h - n·ln 2
    np.subtract(hi, t, out=w)        # w = -z - t, rounded...
    hi -= w
    hi -= t
    hi += r                          # ...and what that rounding lost (zl)
    np.expm1(w, out=w)               # m
    np.add(w, 1.0, out=t)
    hi *= t
    w += hi                          # m = e^(w + zl) - 1
    one = isinstance(ch, float) and ch == 1.0 and isinstance(cl, float) and cl == 0.0
    y = w if one else np.multiply(w, ch, out=r)  # (w·1.0 = w)
    if np.ndim(cl) or cl != 0.0:
        np.multiply(w, cl, out=hi)
        y += hi
        y += cl
    y += ch                          # c·(1 + m), one rounding
    top = n.max()
    ok = top < 2000.0                # n < 2000 (h < 1386: n·L1 exact), and no nan
    # a number c: |y| >= 0.707·|c|·2^-n (w > -0.347), normal for n <= 1019 + e
    # with |c| >= 2^(e - 1); then the test of every |y| below is not needed
    normal = ok and np.ndim(ch) == 0 and np.ndim(cl) == 0 and ch != 0.0 and np.isfinite(ch) \
        and top <= 1019 + np.frexp(ch)[1]
    np.negative(n, out=n)
    np.ldexp(y, n.astype(np.int32), out=y)  # int32: NumPy's fast path (int64: 8x slower)
    if normal:
        return y
    np.abs(y, out=t)
    if not (t.min() >= 2.2250738585072014e-308 and ok):  # reductions
        # subnormal or 0, n >= 2^11 (and nan): the float path scales by e^64
        bad = np.flatnonzero((t < 2.2250738585072014e-308) | ~(n > -2000.0))
        cf = np.broadcast_to(ch + cl, y.shape)
        y[bad] = k_expsq_float(np.broadcast_to(u, y.shape).take(bad), cf.take(bad), s)
    return y


def k_clip0(u, lo, hi):
    """``np.clip(u, lo, hi)`` with a -0.0 result made +0.0 (+ 0.0, in place):
    the values of ``np.minimum(np.maximum(u, 0.0), hi)`` (relu6 at x = -0.0)
    in one clipping pass instead of two (``printer.fast_select`` keeps it only
    where it is bit for bit the np.where printing).

    >>> [float(v) for v in k_clip0(np.array([-0.0, -1.0, 3.0, 7.0]), 0.0, 6.0)]
    [0.0, 0.0, 3.0, 6.0]
    """
    y = np.clip(u, lo, hi)
    y += 0.0
    return y


def k_zero_wins(small, prod):
    """``prod`` (which has the factor ``small``), but 0 where ``small`` underflowed
    to 0 (the rest of the product may have overflowed to inf there)."""
    return np.where(small == 0.0, 0.0, prod)


def k_dirac(u):
    """The derivative of a step: 0 off the jump, undefined (nan) at it."""
    return np.where(u == 0, np.nan, 0.0)


def k_select(x, conds, branches):
    """Piecewise by masks: each branch is evaluated only where it is chosen
    (first true condition wins; nan goes to the last branch). Two branches:
    one mask, negated in place for the second (nan: False, then True); a
    branch that holds every element runs on x itself (no gather, no scatter)."""
    if len(conds) == 1:
        m = conds[0](x)
        if isinstance(m, np.ndarray) and m.dtype == bool and m.shape == x.shape:
            i = np.flatnonzero(m)
            if i.size in (0, x.size):
                y = (branches[0] if i.size else branches[1])(x)
                if np.shape(y) == x.shape:
                    return y
                return np.array(np.broadcast_to(y, x.shape), dtype=x.dtype)
            out = np.empty_like(x)
            out[i] = branches[0](x.take(i))
            np.logical_not(m, out=m)
            i = np.flatnonzero(m)
            out[i] = branches[1](x.take(i))
            return out
    out = np.empty_like(x)
    todo = np.ones(x.shape, dtype=bool)
    for cond, branch in zip(conds, branches[:-1]):
        m = todo & cond(x)
        i = np.flatnonzero(m)        # indices: take/put cost less than boolean masks
        if i.size:
            out[i] = branch(x.take(i))
        todo &= ~m
    i = np.flatnonzero(todo)
    if i.size:
        out[i] = branches[-1](x.take(i))
    return out




def k_square_affine(g, a, q, k=0):
    """a·g² + c as A·(G² + Q), G = g·2^k, A = a·4^-k = (hi, lo) and Q =
    c/a·4^k = (hi, mid, lo), k chosen by the printer so that A and the root
    sqrt(-Q) are well inside the float range (``square_affine_constants``; k =
    0 unless a or c/a is extreme). G² = p + r exactly (Dekker); p + Q_hi by
    TwoSum and r + Q_mid by another, so S = G² + Q rounds once even one float
    off the root, where it is ~2^-52·|Q| and the old e = gl·(g + gh) was off
    by 2^-78·|Q| (5.7e14 ULP for s = 3, b = -1e10), and S = h + e by one more
    TwoSum: A·S = A_hi·h + (A_hi·e + A_lo·h) rounds twice, 1.0 ULP at most
    (rounding S first had 1.56; the root patch is not needed). 33-41 in-place
    passes; where G² overflows ``k_square_far``.

    >>> g = np.array([1.4142135623730951, 1.4e154, 0.0])  # 0.5·g² - 1
    >>> with np.errstate(all="ignore"):  # as in the exported wrapper: g² = inf at 1.4e154
    ...     y = k_square_affine(g, (0.5, 0.0), (-2.0, 0.0, 0.0))
    >>> [float(v) for v in y]
    [1.3671617315323846e-16, 9.8e+307, -1.0]
    """
    ah, al = a
    qh, qm, ql = q
    g0 = g
    if k:
        g = g * 2.0 ** (k // 2)      # two factors: |k| may pass 1023
        g *= 2.0 ** (k - k // 2)     # exact, or G so small that Q is all of G² + Q
    t = g * 134217729.0              # 2^27 + 1
    h = t - g
    np.subtract(t, h, out=h)         # gh: the top 26 bits of G
    e = g - h                        # gl, exact
    p = g * g
    r = h * h
    r -= p
    h *= e
    h += h
    r += h
    e *= e
    r += e                           # r = ((gh² - p) + 2gh·gl) + gl² = G² - p exactly
    s = p + qh                       # TwoSum: s + t = p + qh exactly (t = 0 near the root)
    np.subtract(s, p, out=t)
    np.subtract(s, t, out=h)
    np.subtract(p, h, out=p)
    np.subtract(qh, t, out=t)
    t += p
    if qm != 0.0:                    # TwoSum: r + qm = h + e exactly
        h = np.add(r, qm, out=h)
        np.subtract(h, r, out=p)
        np.subtract(h, p, out=e)
        np.subtract(r, e, out=e)
        np.subtract(qm, p, out=p)
        e += p
        e += ql
        t += h                       # exact next to the root (t = 0 there)
        t += e
    else:
        t += r
    h = s + t                        # TwoSum: S = G² + Q = h + e, h rounded once
    np.subtract(h, s, out=p)
    np.subtract(h, p, out=r)
    np.subtract(s, r, out=s)
    np.subtract(t, p, out=t)
    s += t                           # e
    s *= ah
    np.multiply(h, al, out=t)
    s += t
    np.multiply(h, ah, out=t)
    t += s                           # A_hi·h rounded, + (A_hi·e + A_lo·h): 1.0 ULP
    if not np.isfinite(np.sum(t)):   # a reduction first: G² or a split overflowed, the value, or nan
        far = np.flatnonzero(~np.isfinite(t))
        t[far] = k_square_far(g0.take(far), h.take(far), ah, al, k)
    return t


def k_square_far(g, s, ah, al, k):
    """``k_square_affine`` where its value is not finite (``s``: S rounded).
    For |G| >= 2^459 (G = g·2^k = m·2^n, frexp; Q <= 2^800 is below 2^-110 of
    G² there) A·G² = ((A·m²)·2^n)·2^n, m² exact and A·m² normal: one
    rounding, overflow only with the value; below, A·S overflowed itself."""
    m, n = np.frexp(g)
    n = n.astype(np.int64) + k
    p, r = k_two_prod(m, m)
    w = p * ah + (r * ah + p * al)
    c = np.ldexp(1.0, np.clip(n, 0, 1023))
    w *= c
    w *= c
    w = np.where(n >= 460, w, s * ah + s * al)
    return np.where(np.isfinite(g), w, (g * g) * ah)


def k_pow_sum(a, c, n):
    """(a + c)^n, c = (c_hi, c_lo) a number as a double-double, n = ±2, ±3,
    ±4, and ``a`` an array or a pair (a_hi, a_lo) (x² from ``k_two_prod``):
    a + c_hi = s + e by TwoSum, e += c_lo (+ a_lo), and (s + e)^n = s^n·(1 +
    n·e/s) to first order, so the sum's rounding does not grow n-fold
    (softsign' = (1 + |x|)^-2 was 2.85 ULP at x = -31.2). For n > 0 the
    products' roundings go into the same correction (Dekker's residuals, s^n =
    p·(1 + Σ residual/product)), so s^n rounds once: softsign'' = -2/(1 +
    |x|)^3 went from 2.8 to 1.4 ULP, arctan'' = -2x/(x² + 1)² from 3.2 to 1.4.
    For n < 0, s^n with one division (its rounding stays: 1.47 ULP for
    softsign', which needs the speed). Where s^n is not finite, or a residual
    overflowed (|s| > 1e150), the correction is left out.

    >>> x = np.array([-31.2, 0.0, 1e300, -1.0])
    >>> with np.errstate(over="ignore"):  # as in the exported wrapper: s² = inf at 1e300
    ...     y = k_pow_sum(np.abs(x), (1.0, 0.0), -2)
    >>> [float(v) for v in y]
    [0.0009644689633887582, 1.0, 0.0, 0.25]
    """
    a, a_lo = a if isinstance(a, tuple) else (a, None)
    c, c_lo = c
    s = a + c
    z = s - a
    e = a - (s - z)
    e += c - z                   # s + e = a + c_hi exactly
    if a_lo is not None:
        if not np.isfinite(np.sum(a_lo)):  # a reduction: x² overflowed somewhere
            a_lo = np.where(np.isfinite(a_lo), a_lo, 0.0)
        e += a_lo
    if c_lo != 0.0 or a_lo is not None:  # renormalised by TwoSum (near a root e ~ s)
        if c_lo != 0.0:
            e += c_lo
        t = s + e
        z = t - s
        np.subtract(s, t - z, out=s)
        np.subtract(e, z, out=e)
        e += s
        s = t
    m = abs(n)
    if n > 0:
        p, d = k_two_prod(s, s)
        d /= p                   # s² = p·(1 + d)
        for _ in range(m - 2):
            q, r = k_two_prod(p, s)
            r /= q
            d += r               # s^k = q·(1 + d), to first order
            p = q
        e /= s
        e *= n
        e += d
        e *= p
        e[~np.isfinite(e)] = 0.0
        p += e
        return p
    p = s * s
    if m >= 3:
        p *= s
    if m == 4:
        p *= s
    np.divide(1.0, p, out=p)
    if not p.all():  # s^m overflowed (|s| > 1e77 .. 1e154): (1/s)^m there
        i = np.flatnonzero(p == 0)
        p[i] = (1.0 / s.take(i)) ** m
    e /= s                       # (0/0 where a + c = 0 exactly: e = 0 there)
    e *= n
    e *= p
    e[~np.isfinite(e)] = 0.0
    p += e
    return p


def k_two_sum(a, b):
    """(s, e) with s = fl(a + b) and s + e = a + b exactly (Knuth's TwoSum).

    >>> s, e = k_two_sum(np.array([-0.3]), 1.0)
    >>> float(s[0]), float(e[0])
    (0.7, 5.551115123125783e-17)
    """
    s = a + b
    c = s - a
    e = s - c
    np.subtract(a, e, out=e)
    np.subtract(b, c, out=c)
    e += c
    return s, e


def k_two_prod(a, b):
    """(p, e) with p = fl(a·b) and p + e = a·b exactly (Dekker; |a|, |b| < 1e150);
    in place for arrays (the same operations as the scalar expression below)."""
    p = a * b
    if np.ndim(p) and (np.ndim(a) == 0 or np.shape(a) == p.shape) and (np.ndim(b) == 0 or np.shape(b) == p.shape):
        ah, al = k_split(a)
        bh, bl = k_split(b)
        e = np.multiply(ah, bh)
        e -= p
        t = np.multiply(ah, bl)
        e += t
        np.multiply(al, bh, out=t)
        e += t
        np.multiply(al, bl, out=t)
        e += t                       # ((ah·bh - p) + ah·bl + al·bh) + al·bl
        return p, e
    c = 134217729.0 * a
    ah = c - (c - a)
    al = a - ah
    c = 134217729.0 * b
    bh = c - (c - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def k_split(a):
    """Veltkamp's split of a float or an array into (hi, lo), hi of 26 bits
    (``c - (c - a)``, c = (2^27 + 1)·a; in place for arrays)."""
    c = 134217729.0 * a
    if np.ndim(c) == 0:
        ah = c - (c - a)
        return ah, a - ah
    h = c - a
    np.subtract(c, h, out=h)
    return h, np.subtract(a, h, out=c)


def k_poly_table(x, lo, w, c):
    """Piecewise polynomial: on [lo + i·w, lo + (i+1)·w) (w a power of 2) the
    polynomial with coefficients c[:-1, i] (highest power first) in t = (x -
    centre)/(w/2), the constant term carried as c[-2, i] + c[-1, i]. Returns
    (h, l) with the value h + l: h the constant term, l the small rest (one
    rounding less). t comes from s = x/w (exact) as 2(s - floor(s)) - 1, off
    by at most 2^-53 (a point error of 2^-54·w); the coefficients are gathered
    with ``take(mode="clip")`` (no bounds check, half the cost), so an x off
    the table gets the end piece's polynomial (the caller replaces it)."""
    s = x * (1.0 / w)
    i = np.floor(s)
    s -= i
    s *= 2.0
    s -= 1.0                     # t in [-1, 1)
    i -= lo / w
    i = i.astype(np.intp)
    q = c[0].take(i, mode="clip")
    b = np.empty_like(q)
    for k in range(1, c.shape[0] - 2):
        q *= s
        q += c[k].take(i, out=b, mode="clip")
    q *= s
    q += c[-1].take(i, out=b, mode="clip")
    return c[-2].take(i, mode="clip"), q


def k_tanh_sq(u):
    """tanh(u)², rounded once (tanh(x)² from NumPy's tanh reached 2.67 ULP:
    its error counted twice). For |u| >= 1.25, (1 - q)² = 1 - q(2 - q) with q
    = 2/(e^2|u| + 1) (≤ 1.03 ULP measured). Below, on those elements only,
    tanh = h + l from ``TANH_SQ_TABLE`` (a polynomial per 1/16 of [1/8, 1.25),
    its constant term h with h² stored exactly as two doubles), so tanh² =
    h² + l·(2h + l) rounds once; below 1/8, tanh = a + a·y·Q(y), y = a², the
    series through a^15 (the next term is below 2^-60 of the value), and a²
    by Dekker's product; a·a where the square is subnormal. Max 1.13 ULP on
    55000 random points of [-25, 25] and magnitudes 1e-320..100 (2026-12-02).
    (``TANH_SQ_TABLE`` is written into the exported module.)

    >>> from symacts.export import export
    >>> float(export("tanhshrink", order=1)(np.array([0.5]))[0])  # tanh(1/2)²
    0.2135522670340726
    """
    a = np.abs(u)
    np.minimum(a, 20.0, out=a)       # tanh² rounds to 1 from 19.1; nan stays nan
    i = np.flatnonzero(a < 1.25)
    v = a.take(i)
    e = a + a
    np.exp(e, out=e)
    e += 1.0
    np.divide(2.0, e, out=e)         # q
    np.subtract(2.0, e, out=a)
    e *= a
    np.subtract(1.0, e, out=e)       # 1 - q(2 - q)
    if not i.size:
        return e
    lo, w, c = TANH_SQ_TABLE         # rows: polynomial, h, its low part, h² (hi, lo)
    s = v * (1.0 / w)
    k = np.floor(s)
    s -= k
    s += s
    s -= 1.0                         # t in [-1, 1), exact (s >= 1)
    k -= lo / w
    j = k.astype(np.intp)
    l = c[0].take(j, mode="clip")    # v < 1/8 gets piece 0, replaced below
    for r in c[1:-4]:
        l *= s
        l += r.take(j, out=k, mode="clip")
    l *= s
    l += c[-3].take(j, out=k, mode="clip")   # l = tanh - h
    h = c[-4].take(j, out=s, mode="clip")
    h += h
    h += l
    l *= h                           # l·(2h + l)
    l += c[-1].take(j, out=k, mode="clip")
    l += c[-2].take(j, out=k, mode="clip")   # h² + l·(2h + l): one rounding
    n = np.flatnonzero(v < 0.125)
    if n.size:
        z = v.take(n)
        y = z * z
        r = y * -0.0014558343870513183
        for q in (0.003592128036572481, -0.008863235529902197, 0.021869488536155203,
                  -0.05396825396825397, 0.13333333333333333):
            r += q
            r *= y
        r += -0.3333333333333333
        r *= y
        r *= z                       # tanh z - z
        p, q = k_two_prod(z, z)
        g = z + z
        g += r
        r *= g
        r += q
        r += p                       # z² + r·(2z + r)
        t = np.flatnonzero(z < 1e-150)
        r[t] = y.take(t)             # subnormal squares: tanh z = z to 2^-300
        l[n] = r
    e[i] = l
    return e


def k_erfcx(v):
    """erfcx(v) = e^(v²) erfc(v): on [0, 28) a table of polynomials fitted to
    mpmath (``ERFCX_TABLE``: degree 10 on pieces of 1/8, max 0.55 ULP
    measured); SciPy's erfcx elsewhere (it is off by up to 5 ULP on [0.7, 8],
    measured)."""
    h, l = k_erfcx_pair(v)
    return h + l


def k_erfcx_pair(v):
    """erfcx(v) as h + l unrounded (the table's constant term and the small
    rest); v may be a double-double (hi, lo): erfcx(hi + lo) = erfcx(hi) +
    (2·hi·erfcx(hi) - 2/√π)·lo, added to l. Off the table (SciPy's erfcx)
    l = 0. (``ERFCX_TABLE`` is written into the exported module.)"""
    vh, vl = v if isinstance(v, tuple) else (v, 0.0)
    lo, w, c = ERFCX_TABLE
    h, l = k_poly_table(vh, lo, w, c)
    top = lo + w * c.shape[1]
    on = vh.min() >= lo and vh.max() < top   # reductions (nan: False); the mask only if not
    i = () if on else np.flatnonzero(~((vh >= lo) & (vh < top)))  # rare: off the table
    if len(i):
        h[i] = sc.erfcx(vh.take(i))
        l[i] = 0.0
    if np.ndim(vl) or vl != 0.0:
        l += (2.0 * vh * (h + l) - 1.1283791670955126) * vl
    return h, l


def k_root_patch(x, y, p):
    """``y`` with the root patch ``p`` (see :mod:`symacts.export.patch`) applied:
    on [lo, hi), d^m·(h + l) with d = x - r_hi - r_lo (TwoSum: one rounding;
    d = x when r = 0) and h + l the piece's polynomial (``k_poly_table``),
    its constant term h rounded to 53 - m·k bits. d = dh + e with dh of k
    bits (k = 26, 17, 13 for m = 1, 2, 3; Veltkamp split) makes dh^m·h exact,
    d^m = dh^m + e_m with e_m = d^m - dh^m small, so
    d^m·(h + l) = dh^m·h + (dh^m·l + e_m·(h + l)) rounds once at the end
    and in the small rest: in-place passes on the band's elements only."""
    lo, hi, r, r_lo, m, w, c = p
    i = np.flatnonzero((x >= lo) & (x < hi))
    if not i.size:
        return y
    d = x.take(i)
    h, l = k_poly_table(d, lo, w, c)
    if r != 0.0 or r_lo != 0.0:
        a = d.copy()
        d -= r                   # TwoSum: d + e = a - r exactly
        b = d - a
        e = d - b
        np.subtract(a, e, out=e)
        b += r
        e -= b
        e -= r_lo
        d += e                   # a - r_hi - r_lo, one rounding
    e = d * (134217729.0, 68719476737.0, 1099511627777.0)[m - 1]  # 2^27+1, 2^36+1, 2^40+1
    dh = e - d
    np.subtract(e, dh, out=dh)   # the top 26, 17 or 13 bits of d
    np.subtract(d, dh, out=e)    # d - dh, exact
    if m == 2:
        d += dh
        e *= d                   # e_2 = e·(dh + d)
        dh *= dh
    elif m == 3:
        a = dh * d
        a *= 3.0
        d = np.multiply(e, e, out=d)
        a += d
        e *= a                   # e_3 = e·(3dh·d + e²)
        a = dh * dh
        dh *= a
    a = dh * h                   # dh^m·h, exact
    h += l
    e *= h
    dh *= l
    dh += e
    a += dh
    if y is x:
        y = y.copy()
    y[i] = a
    return y


def k_sin_work(u, k, s, m=None):
    """(h, l, spare): sin(2^k·u + s·π/32) = h + l (``k_sin_dd``), and five
    arrays of u's size the caller may overwrite (``k_sin_sq`` works in them:
    every fresh 128 KB temporary page-faults, about 2 ns per value each).

    The argument: 2^k·u = n·π/32 + r, |r| <= π/64, r as a double-double to
    about 2^-104 of itself (2^-74 at worst on the 300 doubles nearest a
    multiple of π/32 among 2 million below 2^15, measured): Cody–Waite for |2^k·u| <
    2^15 with π/32 in four parts (three of 30 bits, so n·P1, n·P2, n·P3 are
    exact for |n| < 2^23; each subtraction by TwoSum), ``k_pio_reduce``
    (Payne–Hanek) on the few elements beyond. A multiple s of π/32 added to
    the argument is an exact shift of n: sin(x + π/4) is not rounded at x +
    π/4. Then j = n + s mod 64 and sin(jπ/32 + r) = S + C·r + (C·(sin r -
    r) + S·(cos r - 1)) with S, C from ``SIN_TABLE`` (S = sin(jπ/32) as hi +
    lo, C = cos(jπ/32) as c26 + rest, c26 of 26 bits so that c26·r26 is
    exact for r's top 26 bits r26) and sin r - r, cos r - 1 by Taylor
    polynomials (degree 9 and 8: |r| <= π/64); S_hi + c26·r26 by TwoSum, the
    rest (below 0.05 of it) added to its error. nan and ±inf give nan.
    ``m`` = (m1, m2, m3, p, q): the argument is a·u + s·π/32 instead, a =
    p/q = m1 + m2 + m3 (k = 0), never rounded to a double (``k_mul_reduce``)."""
    if m is not None:
        n, b, h, t, d, p = k_mul_reduce(u, m)
    else:
        n, b, h, t, d, p = k_pio_split(u, k)
    rh = np.add(b, h, out=t)         # renormalised: rh + rl
    np.subtract(rh, b, out=b)
    rl = np.subtract(h, b, out=h)
    if s:
        n += s
    j = d.view(np.intp)              # d's memory as the table index
    np.copyto(j, n, casting="unsafe")
    j &= 63                          # n + s mod 64 (nan: any index; the value is nan)
    z = np.multiply(rh, rh, out=n)
    sp = np.multiply(z, 2.7557319223985893e-06, out=p)  # sin r - r = r·z·(-1/6 + z/120 - ...)
    sp -= 1.984126984126984e-04
    sp *= z
    sp += 8.333333333333333e-03
    sp *= z
    sp -= 1.6666666666666666e-01
    sp *= z
    sp *= rh
    cm = np.multiply(z, 2.48015873015873e-05, out=b)  # cos r - 1 = z·(-1/2 + z/24 - ...)
    cm -= 1.3888888888888889e-03
    cm *= z
    cm += 4.1666666666666664e-02
    cm *= z
    cm -= 0.5
    cm *= z
    np.multiply(rl, cm, out=z)
    sp += z
    sp += rl                         # sin(rh + rl) - rh
    np.multiply(rh, rl, out=z)
    cm -= z                          # cos(rh + rl) - 1
    np.multiply(rh, 134217729.0, out=z)
    r26 = np.subtract(z, rh, out=rl)
    np.subtract(z, r26, out=r26)     # rh's top 26 bits
    rr = np.subtract(rh, r26, out=z)  # the rest, exact
    tab = SIN_TABLE[2]
    g1 = tab[2].take(j, mode="clip")  # c26
    r26 *= g1                        # c26·r26, exact
    rr *= g1
    g2 = tab[3].take(j, mode="clip")  # C - c26
    rh *= g2
    rr += rh                         # C·rh - c26·r26
    g1 += g2
    sp *= g1
    rr += sp                         # + C·(sin r - rh)
    tab[0].take(j, out=g1, mode="clip")  # S_hi
    cm *= g1
    rr += cm                         # + S·(cos r - 1)
    tab[1].take(j, out=g2, mode="clip")  # S_lo
    rr += g2
    hi = np.add(g1, r26, out=rh)     # TwoSum: S_hi + c26·r26
    bb = np.subtract(hi, g1, out=sp)
    r26 -= bb
    np.subtract(hi, bb, out=bb)
    g1 -= bb
    g1 += r26
    rr += g1
    out = np.add(hi, rr, out=cm)     # renormalised
    np.subtract(out, hi, out=hi)
    rr -= hi
    return out, rr, (hi, sp, g1, g2, r26)


def k_pio_far(a, sg, k, table=None):
    """(n, b, h) of the Payne–Hanek path for |u| = a >= 0 with signs sg:
    2^k·a·(the table's multiplier) = n·π/32 + b + h with b + h = f·π/32 as a
    double-double (|u| was reduced: sin(-v) = -sin(v), so each part takes sg)."""
    nb, fh, fl = k_pio_reduce(a, k, table)
    ph, pe = k_two_prod(fh, 0.09817477042468103)  # r = f·π/32 (π/32 = hi + lo)
    pe += fh * 3.827021247335479e-18 + fl * 0.09817477042468103
    return nb * sg, ph * sg, pe * sg


def k_pio_split(u, k):
    """(n, b, h, t, d, p): 2^k·u = n·π/32 + b + h (``k_sin_work``'s
    reduction of a double), and three arrays of u's size to work in."""
    c = 10.185916357881302 * 2.0 ** k   # 2^k·32/π (a power of two times 32/π: the same rounding)
    n = u * c
    np.rint(n, out=n)
    h = n * -0.09817477036267519     # -n·P1, exact
    if k:
        p = u * (2.0 ** k)           # exact where |2^k·u| < 2^15
        h += p                       # exact (Sterbenz)
        np.multiply(n, -6.200584869772013e-11, out=p)  # -n·P2, exact
    else:
        h += u
        p = n * -6.200584869772013e-11
    t = h + p                        # TwoSum: t + h = h + p
    b = t - h
    p -= b
    np.subtract(t, b, out=b)
    h -= b
    h += p
    np.multiply(n, -3.231364361806406e-20, out=p)  # -n·P3, exact
    np.add(t, p, out=b)              # TwoSum: b + t = t + p
    d = b - t
    p -= d
    np.subtract(b, d, out=d)
    t -= d
    t += p
    h += t                           # the two TwoSums' errors
    np.multiply(n, -1.8149099837371003e-29, out=p)  # -n·P4, rounded (< 2^-120·n)
    h += p                           # r = b + h
    if np.size(u) and not (max(np.max(u), -np.min(u)) * 2.0 ** k < 32768.0):  # rare (nan too)
        big = np.flatnonzero((np.abs(u) * 2.0 ** k >= 32768.0) & (np.abs(u) < np.inf))
        if big.size:
            ub = u.take(big)
            n[big], b[big], h[big] = k_pio_far(np.abs(ub), np.copysign(1.0, ub), k)
    return n, b, h, t, d, p


def k_mul_reduce(u, m):
    """(n, b, h, t, d, p): a·u = n·π/32 + b + h (mod 2π), |b + h| <= π/64
    (about), for a = p/q > 0 given as m = (m1, m2, m3, p, q), m1 + m2 + m3
    = a to 2^-159 of itself: the product is never rounded, so 1 + sin 2au
    keeps its digits next to its zeros, and a·u may exceed 1.8e308.

    Below |a·u| = 2^15 Cody–Waite: u·m1 = p1 + e1 and u·m2 = p2 + e2 by
    Dekker's product (exact), p1 - n·P1 exact (Sterbenz), then the exact
    terms -n·P2, e1 + p2 (TwoSum), -n·P3 added by TwoSum, their errors and
    the small rest (e2, u·m3, -n·P4, all below 2^-90) summed: r to about
    2^-140 absolute where r itself is 2^-62 or more (the nearest a double
    comes to a zero, measured for a = 1). Beyond, Payne–Hanek on u itself
    with the table of 2^E·a·32/π mod 64 (``k_pio_mul``).

    >>> n, b, h, _, _, _ = k_mul_reduce(np.array([1.0]), (3.0, 0.0, 0.0, 3, 1))
    >>> float(n[0]), round(float(b[0] + h[0]), 6)   # 3 = 31·π/32 - 0.0434...
    (31.0, -0.043418)
    """
    m1, m2, m3, pa, qa = m
    n = u * (m1 * 10.185916357881302)   # a·32/π, rounded: n may be off by one near a half
    np.rint(n, out=n)
    p, e1 = k_two_prod(u, m1)        # a·u = p + e1 + p2 + e2 + u·m3
    h = n * -0.09817477036267519     # -n·P1, exact
    h += p                           # exact (Sterbenz)
    p2, e2 = k_two_prod(u, m2)
    w, we = k_two_sum(e1, p2)        # |w| < 2^-37
    we += e2
    e2 = np.multiply(u, m3, out=e2)
    we += e2
    np.multiply(n, -1.8149099837371003e-29, out=e2)  # -n·P4, rounded (< 2^-120·n)
    we += e2                         # the rest, below 2^-90
    np.multiply(n, -6.200584869772013e-11, out=p)    # -n·P2, exact
    t, d = k_two_sum(h, p)
    t, e = k_two_sum(t, w)
    d += e
    np.multiply(n, -3.231364361806406e-20, out=p)    # -n·P3, exact
    b, e = k_two_sum(t, p)
    d += e
    h = np.add(d, we, out=h)         # r = b + h
    au = np.abs(u)
    if np.size(u) and not (np.max(au) * m1 < 32768.0):  # rare (nan too)
        big = np.flatnonzero((au * m1 >= 32768.0) & (au < np.inf))
        if big.size:
            ub = u.take(big)
            n[big], b[big], h[big] = k_pio_far(au.take(big), np.copysign(1.0, ub), 0,
                                               k_pio_mul(pa, qa))
    return n, b, h, w, e1, we


def k_pio_mul(p, q, _rows={}):  # noqa: B006 - the tables made, by multiplier
    """``PIO_TABLE`` for the multiplier a = p/q (positive integers), for
    ``k_mul_reduce``: T(E) = 2^E·a·32/π mod 64 (``pio_rows``) from
    PIO_Q·p // q, a·32/π to (a + 1)·2^-PIO_B (T to 2^-200 at the largest E:
    the Payne–Hanek sum needs 2^-150), from an E0 whose 2^(E0 + 53) lies
    below 2^15/a (where the Payne–Hanek path starts); made once per a (2 ms;
    k_pio_mul(1, 1) is ``PIO_TABLE`` again, row for row, from E0 = -64)."""
    t = _rows.get((p, q))
    if t is None:
        v = 32768 * q                # L <= log2(2^15/a), in integers: E0 = L - 55
        lg = (v // p).bit_length() - 1 if v >= p else -(p // v + 1).bit_length()
        e0 = min(PIO_E0, lg - 55)
        e0, w, rows = pio_rows(PIO_Q * p // q, PIO_B, PIO_F, e0, PIO_E1)
        t = _rows[(p, q)] = (e0, w, np.array(rows))
    return t


def k_pio_reduce(a, k, table=None):
    """(n, fh, fl) with 2^k·a·32/π = n + fh + fl (mod 64), |fh + fl| <= 1/2,
    for finite a >= 1 (Payne–Hanek): a = M·2^E with M an integer < 2^53,
    and ``PIO_TABLE`` holds T(E) = 2^E·32/π mod 64 as t0 + t1 + t2 + t3 (t0 a
    multiple of 2^-47, t1 of 2^-100, t2 of 2^-153; 2^E·32/π - T(E) is a
    multiple of 64, so M·T(E) ≡ 2^k·a·32/π). M·t_i by Dekker's product
    (exact); the integer parts are taken off each exactly before the
    fractions are summed (TwoSum), so f is known to about 2^-150 absolute
    (the nearest a double comes to a multiple of π/32 is about 2^-61).
    ``table``: another multiplier's (``k_pio_mul``), 2^k·a·c for its c."""
    e0, _, t = PIO_TABLE if table is None else table
    m, e = np.frexp(a)
    m *= 9007199254740992.0          # M = m·2^53, an integer
    i = e.astype(np.intp)
    i += k - 53 - int(e0)
    t0, t1, t2, t3 = (t[j].take(i) for j in range(4))
    p0, e0 = k_two_prod(m, t0)
    p1, e1 = k_two_prod(m, t1)
    p2, e2 = k_two_prod(m, t2)
    e2 += m * t3
    n = np.rint(p0)
    f = p0 - n                       # exact; p0, e0 are multiples of 2^-47
    n -= 64.0 * np.floor(n * 0.015625)
    g = np.rint(e0)
    n += g
    f += e0 - g                      # exact: |f| <= 1, a multiple of 2^-47
    g = np.rint(f)
    n += g
    f -= g
    g = np.rint(p1)
    n += g
    f, err = k_two_sum(f, p1 - g)    # exact
    g = np.rint(f)
    n += g
    f -= g
    r1, r1e = k_two_sum(p2, e1)      # the small rest, |.| < 2^-46, as a double-double
    r2, r2e = k_two_sum(r1, err)
    r1e += r2e
    r1e += e2
    fh, fl = k_two_sum(f, r2)
    fl += r1e
    h = fh + fl
    fl -= h - fh
    return n, h, fl


def k_sin_dd(u, k, s, m=None):
    """sin(2^k·u + s·π/32) as a double-double (hi, lo), to about 2^-60 of
    itself: measured 2^-60.2 at worst on 5500 points of every magnitude and
    six shifts, and to 2^-74 next to its zeros, where r is tiny
    (``k_sin_work``; ``m``: sin(a·u + s·π/32), ``k_mul_reduce``)."""
    h, l, _ = k_sin_work(u, k, s, m)
    return h, l


def k_sin_sq(u, k, s, c, v, m=None):
    """v + c·sin²(2^k·u + s·π/32), rounded once: sin = h + l (``k_sin_work``,
    2^-60), h² = q + e by Dekker's product, sin² = q + (e + 2hl), c = (hi,
    lo) a number as a double-double (exact when c is a power of two), and
    v (an array, or a number; 0.0: none) added by TwoSum. snake = x + sin²x
    cancels mildly (κ up to 6 on [-1.5, -0.5]; 2.92 ULP with sin, the square
    and the sum rounded apart), snake' = 2 sin²(x + π/4) vanishes at x =
    -π/4 + kπ (1 + 2 sin x cos x: 1e7 ULP there and more): both 0.51 ULP
    measured. In the five spare arrays: no fresh temporary. ``m``: the
    argument a·u (a = p/q, ``k_mul_reduce``) for snake with a != 1."""
    h, l, (t, a, q, e, w) = k_sin_work(u, k, s, m)
    np.multiply(h, 134217729.0, out=t)
    np.subtract(t, h, out=a)
    np.subtract(t, a, out=a)         # h's top 26 bits
    np.subtract(h, a, out=t)         # the rest, exact
    np.multiply(h, h, out=q)
    np.multiply(a, a, out=e)
    e -= q
    a *= t
    a *= 2.0
    e += a
    t *= t
    e += t                           # h² = q + e exactly
    l *= h
    l *= 2.0
    e += l                           # sin² = q + e
    ch, cl = c
    if cl == 0.0 and abs(np.frexp(ch)[0]) == 0.5:
        if ch != 1.0:
            q *= ch                  # a power of two: exact
            e *= ch
    else:
        w1 = 134217729.0 * ch        # Dekker: ch·q = p + f
        bh = w1 - (w1 - ch)
        bl = ch - bh
        np.multiply(q, 134217729.0, out=t)
        np.subtract(t, q, out=a)
        np.subtract(t, a, out=a)     # q's top 26 bits
        np.subtract(q, a, out=t)
        p = np.multiply(q, ch, out=h)
        f = np.multiply(a, bh, out=w)
        f -= p
        a *= bl
        f += a
        np.multiply(t, bh, out=a)
        f += a
        t *= bl
        f += t
        e *= ch
        f += e
        q *= cl
        f += q
        q, e = p, f
    if not (np.ndim(v) == 0 and v == 0.0):
        t = np.add(q, v, out=t)      # TwoSum: v + q
        b = np.subtract(t, v, out=a)
        d = np.subtract(t, b, out=l)
        np.subtract(v, d, out=d)
        np.subtract(q, b, out=b)
        d += b
        e += d
        q = t
    q += e
    return q



def k_tiny_linear(w, y, cd, t):
    """``y`` = c·expm1(d·w) with (c·d)·w where |w| < t = 2^-54/|d|: expm1(u) =
    u to 2^-55 there, so d·w's underflow (celu's α·expm1(x/α), α = 10 at
    subnormal x: 5 ULP; α = 1e100: -0.0 for x = -1.5e-269) does not reach
    the value.

    >>> w = np.array([-5.6982865784785e-310, -1.0])
    >>> [float(v) for v in k_tiny_linear(w, 10.0 * np.expm1(w / 10.0), 1.0, 2.0 ** -54 * 10.0)]
    [-5.6982865784785e-310, -0.9516258196404043]
    """
    return np.where(np.abs(w) < t, cd * w, y)


def k_exp(u):
    """e^u (np.exp; called by the shared double-double kernels)."""
    return np.exp(u)


def k_tanh(u):
    """tanh u (np.tanh; called by the shared double-double kernels)."""
    return np.tanh(u)


def k_add_pair(x, hi, lo):
    """x + c for a constant c = hi + lo that is not a float: (x + hi) + lo.
    Where x + c cancels (x near -c) x + hi is exact and the result is
    rounded once; elsewhere twice (measured max 1.0 ULP: softshrink with
    λ = 0.3, where x - fl(λ) was 1.8e15 ULP off next to λ).

    >>> float(k_add_pair(np.array([0.30000000000000004]), -0.3, -1.1102230246251566e-17)[0])
    4.4408920985006264e-17
    """
    s = x + hi
    s += lo
    return s


def k_where(c, a, b):
    """np.where (called by the shared double-double kernels)."""
    return np.where(c, a, b)


#: name -> kernel, as the generated code calls them
KERNELS = {f.__name__: f for f in (k_sigmoid, k_softplus, k_log_sigmoid, k_sech2, k_recip1psq,
                                   k_ndtr, k_mills, k_gauss_scaled, k_expsq, k_zero_wins, k_clip0, k_dirac, k_split, k_dd_odd, k_odd_form,
                                   k_select, k_root_patch, k_two_prod, k_two_sum, k_pow_sum, k_square_affine, k_square_far, k_tiny_linear, k_dd_poly,
                                   k_mul_tail, k_mul_sigmoid, k_exp_ratio,
                                   k_poly_table, k_erfcx, k_erfcx_pair, k_expsq_pair, k_expsq_float, k_exp, k_tanh,
                                   k_sin_work, k_pio_split, k_pio_far, k_mul_reduce, k_pio_mul, k_pio_reduce, k_sin_dd, k_sin_sq, k_tanh_sq, k_add_pair, k_where, *DD_KERNELS)}


@functools.lru_cache(maxsize=None)
def _erfcx_table():
    import mpmath
    from .patch import table
    return table(lambda v: mpmath.exp(v * v) * mpmath.erfc(v), 0.0, 28.0, 0.125)  # degree 10


@functools.lru_cache(maxsize=None)
def tanh_pair_table():
    """tanh on [1/8, 1.25) as ``k_poly_table`` reads it (PyTorch and JAX read it too)."""
    import mpmath
    from .patch import table
    return table(mpmath.tanh, 0.125, 1.25, 0.0625)


@functools.lru_cache(maxsize=None)
def _tanh_sq_table():
    lo, w, cols = tanh_pair_table()
    p, e = k_two_prod(np.array(cols[-2]), np.array(cols[-2]))  # h² exactly (h < 1)
    return lo, w, cols + [list(map(float, p)), list(map(float, e))]



@functools.lru_cache(maxsize=None)
def _sin_table():
    """(0, 1, rows) for ``k_sin_dd``: for j = 0..63, sin(jπ/32) as hi and lo,
    cos(jπ/32) as c26 (its top 26 bits) and the rest (to 2^-80)."""
    import mpmath
    rows = [[], [], [], []]
    with mpmath.workdps(60):
        for j in range(64):
            s, c = mpmath.sin(j * mpmath.pi / 32), mpmath.cos(j * mpmath.pi / 32)
            sh, ch = float(s), float(c)
            t = ch * 134217729.0
            c26 = t - (t - ch)
            for row, v in zip(rows, (sh, float(s - sh), c26, float(c - c26))):
                row.append(v)
    return 0.0, 1.0, np.array(rows)


#: the exponents E of ``PIO_TABLE`` (x = M·2^E, M < 2^53): from 2^-64·2^53 <
#: 2^15·2^-k (the Payne–Hanek path starts at |2^k·x| = 2^15) to 2^1024·2^5
PIO_E0, PIO_E1 = -64, 977
#: bits of 32/π kept (PIO_Q = floor(32/π·2^PIO_B)) and below T(E)'s binary point
PIO_B, PIO_F = 1240, 260


def pio_rows(q, b, f, e0, e1):
    """(e0, 1, rows): T(E) = 2^E·32/π mod 64 for E = e0 .. e1 - 1 as t0 + t1 +
    t2 + t3 (t0 a multiple of 2^-47, t1 of 2^-100, t2 of 2^-153, exact; t3
    the rest, rounded), from q = floor(32/π·2^b) in integer arithmetic (f
    bits kept below the point); rows as lists of floats. Its source and q are
    what the exported module holds (``table_source``: 1 KB, not the 140 KB
    of the rows), for every backend."""
    rows = [[], [], [], []]
    for e in range(e0, e1):
        t = (q >> (b - e - f)) % (64 << f)   # floor(2^(E+f)·32/π) mod 64·2^f
        for i, g in enumerate((47, 100, 153)):
            p = t >> (f - g)
            rows[i].append(float(p) * 2.0 ** -g)
            t -= p << (f - g)
        rows[3].append(float(t) * 2.0 ** -f)
    return float(e0), 1.0, rows


@functools.lru_cache(maxsize=None)
def _pio_q():
    """floor(32/π·2^PIO_B), from mpmath."""
    import mpmath
    with mpmath.workprec(PIO_B + 64):
        return int(mpmath.floor(mpmath.ldexp(32 / mpmath.pi, PIO_B)))


@functools.lru_cache(maxsize=None)
def _pio_table():
    """``PIO_TABLE`` for ``k_pio_reduce`` (``pio_rows``)."""
    e0, w, rows = pio_rows(_pio_q(), PIO_B, PIO_F, PIO_E0, PIO_E1)
    return e0, w, np.array(rows)


def pio_table_source(array="np.array({})"):
    """The text of ``PIO_TABLE`` for an exported module: ``pio_rows``, the bits
    of 32/π (PIO_Q, and the constants ``k_pio_mul`` reads), and the rows made
    an array by ``array`` (a format of one field)."""
    import inspect
    return (inspect.getsource(pio_rows) + "\n\n"
            f"PIO_Q = {hex(_pio_q())}\n"
            f"PIO_B, PIO_F, PIO_E0, PIO_E1 = {PIO_B}, {PIO_F}, {PIO_E0}, {PIO_E1}\n"
            "PIO_ROWS = pio_rows(PIO_Q, PIO_B, PIO_F, PIO_E0, PIO_E1)\n"
            f"PIO_TABLE = (PIO_ROWS[0], PIO_ROWS[1], {array.format('PIO_ROWS[2]')})")


@functools.lru_cache(maxsize=None)
def _softplus_table():
    import mpmath
    from .patch import table
    return table(lambda v: mpmath.log1p(mpmath.exp(v)), -8.0, 1.0, 0.125)


#: data some kernels read: global name -> (kernel that needs it, builder of
#: (lo, w, coefficient columns)); the NumPy backend writes it into the module
TABLES = {"SOFTPLUS_TABLE": ("k_softplus_dd", _softplus_table),
          "ERFCX_TABLE": ("k_erfcx_pair", _erfcx_table), "SIN_TABLE": ("k_sin_work", _sin_table),
          "PIO_TABLE": ("k_pio_reduce", _pio_table), "TANH_SQ_TABLE": ("k_tanh_sq", _tanh_sq_table)}


def table_source(name):
    """``NAME = (lo, w, np.array([...]))``: a table as module text (PIO_TABLE:
    the function that builds it, and the bits of 32/π it reads)."""
    if name == "PIO_TABLE":
        return pio_table_source()
    lo, w, cols = TABLES[name][1]()
    rows = ",\n    ".join("[" + ", ".join(repr(v) for v in col) + "]" for col in cols)
    return f"{name} = ({lo!r}, {w!r}, np.array([\n    {rows}]))"
