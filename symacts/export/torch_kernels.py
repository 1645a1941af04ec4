"""PyTorch kernels for the primitives the stable rules produce: the formulas of
:mod:`symacts.export.kernels` written with torch ops, for float64 tensors.

Their source is copied verbatim into modules written by
``symacts export --backend torch``; this module imports without torch (the
kernels then cannot run, but their text can be printed).

>>> sorted(KERNELS)[:3]
['k_add_pair', 'k_dd_add', 'k_dd_mul']
"""
try:
    import torch
except ImportError:  # printing the source needs no torch
    torch = None

from .array_kernels import ARRAY_KERNELS
from .dd_kernels import DD_KERNELS

__all__ = ["KERNELS"]


def k_sigmoid(u):
    """σ(u) = A - A·e/(1 + e) with e = e^-|u|, A = 1 (u >= 0) or e (u < 0), as
    NumPy's ``k_sigmoid``: no overflow, the subnormal tail rounded once."""
    e = torch.exp(-torch.abs(u))
    a = torch.ones_like(u).copysign_(u)
    a = torch.maximum(a, e)          # A without a branchy where (-0.0: e = 1)
    d = e + 1.0
    e.mul_(a).div_(d)
    return a.sub_(e)


def k_softplus(u):
    """log(1 + e^u) = max(u, 0) + log1p(e^-|u|)."""
    return torch.clamp(u, min=0.0) + torch.log1p(torch.exp(-torch.abs(u)))


def k_log_sigmoid(u):
    """log σ(u) = min(u, 0) - log1p(e^-|u|)."""
    return torch.clamp(u, max=0.0) - torch.log1p(torch.exp(-torch.abs(u)))


def k_sech2(u):
    """sech(u)² = 4t/(1 + t)², t = e^(-2|u|), as NumPy's ``k_sech2``: 1 + t = h + d
    with h of 26 bits (h² exact), corrected to second order; where t is
    subnormal 4t is computed scaled by e^64."""
    t = torch.exp(torch.abs(u).mul_(-2.0))
    h = (t + 134217729.0).sub_(134217728.0)  # 1 + t rounded to a multiple of 2^-25
    d = t - (h - 1.0)                # h + d = 1 + t exactly
    g = (h + h).add_(d).mul_(d)      # (1 + t)² - h²
    h.mul_(h)                        # exact
    t.mul_(4.0).div_(h)              # Q
    h.add_(g)
    g.div_(h).mul_(t)
    t.sub_(g)
    low = float(t.min()) if t.numel() else 1.0  # one reduction: cheaper than a mask's any()
    if low != low or low < 1e-290:   # nan: look at the elements
        m = t < 1e-290
        w = 4.0 * torch.exp(-2.0 * torch.abs(u[m]) + 64.0)
        t[m] = w * 1.603810890548638e-28 + w * -7.361325221284214e-45  # e^-64
    return t


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
    return 1.2533141373155003 * k_erfcx(-u * 0.7071067811865476)


def k_gauss_scaled(u, c):
    """c·exp(-u²/2), accurate to the last subnormal (see ``k_expsq``)."""
    return k_expsq(u, c, 0.5)


def k_expsq(u, c, s):
    """c·exp(-s·u²), c a float or a double-double, rounded once (``k_expsq_pair``)."""
    return k_expsq_pair(u, c if isinstance(c, tuple) else (c, 0.0), s)


def k_expsq_float(u, c, s):
    """c·exp(-s·u²) for s = 1/2 or 1, as NumPy's ``k_expsq``: |u| = hi + lo with
    hi a multiple of 2^-20 (s·hi² exact), e^-(the small rest) by expm1, c
    applied before the final product; where the result is tiny it is redone
    scaled by e^64, keeping the sign of c. A double-double c:
    ``k_expsq_pair``, whose subnormal path this is."""
    a = torch.clamp(torch.abs(u), max=1e4)
    hi = (a + 4294967296.0).sub_(4294967296.0)   # a rounded to a multiple of 2^-20
    r = hi + a                       # 2·hi + lo
    a.sub_(hi)                       # lo, exact
    r = torch.expm1(r.mul_(a).mul_(-s))  # e^-(s·lo·(2hi + lo)) - 1
    hi.mul_(hi)
    if s != 1.0:
        hi.mul_(s)                   # h = s·hi², exact
    e = torch.exp(-hi).mul_(c)       # c·e^-h
    far = float(hi.max()) if hi.numel() else 0.0  # reductions: cheaper than a mask's any()
    low = float(torch.abs(e).min()) if e.numel() else 1.0
    tail = far != far or far > 700.0 or low != low or low < 1e-290
    if tail:
        m = (torch.abs(e) < 1e-290) | (hi > 700.0)
        tail = bool(m.any())
    if tail:
        h, m1 = hi[m], r[m]
    r.mul_(e).add_(e)
    if tail:
        cm = torch.as_tensor(c, dtype=r.dtype).broadcast_to(r.shape)[m]
        f = torch.exp(64.0 - h)      # h - 64 exact
        t = torch.where((f == 0.0) | (h >= 810.0), 0.0, cm * f)
        t = t + t * m1
        t = t * 1.603810890548638e-28 + t * -7.361325221284214e-45  # e^-64
        r[m] = torch.copysign(t, cm)  # an underflow keeps the sign of c
    return r


def k_zero_wins(small, prod):
    """``prod``, but 0 where its factor ``small`` underflowed to 0."""
    return torch.where(small == 0.0, 0.0, prod)


def k_dirac(u):
    """The derivative of a step: 0 off the jump, undefined (nan) at it."""
    return torch.where(u == 0, torch.full_like(u, float("nan")), torch.zeros_like(u))


def k_two_sum(a, b):
    """(s, e) with s = fl(a + b) and s + e = a + b exactly (Knuth's TwoSum)."""
    s = a + b
    c = s - a
    return s, (a - (s - c)) + (b - c)


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
    n = c.shape[1] - 1
    f = torch.floor((x - lo) * (1.0 / w)).clamp_(0, n)
    t = (x - (f * w + (lo + 0.5 * w))) * (2.0 / w)
    i = f.to(torch.int32).clamp_(0, n)   # nan -> some int -> clamped (the caller replaces it)
    q = c[0].index_select(0, i)
    for k in range(1, c.shape[0] - 2):
        q.mul_(t).add_(c[k].index_select(0, i))
    return c[-2].index_select(0, i), q.mul_(t).add_(c[-1].index_select(0, i))


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


def k_dd_poly(x, ch, cl):
    """Σ c_k x^k (coefficients highest first, each the double-double ch + cl) as
    a double-double (hi, lo), as NumPy's ``k_dd_poly`` (the same operations,
    in place): Horner with Dekker products and TwoSum; beyond |x| = 1e30 hi
    is the plain float value. b·x and a·x³ + b·x (a·b > 0) within |x| <= 1e30
    by ``k_dd_odd``, as NumPy's."""
    if x.numel() and k_odd_form(ch, cl) and float(torch.abs(x).max()) <= 1e30:  # nan: False
        return k_dd_odd(x, ch, cl)
    xc = torch.clamp(x, -1e30, 1e30)
    t = xc * 134217729.0
    xh = t - xc
    torch.sub(t, xh, out=xh)         # top 26 bits of x
    xl = xc - xh
    ph, pl = ch[0], cl[0]
    for h, l in zip(ch[1:], cl[1:]):
        if not torch.is_tensor(ph):  # a constant: split it once, as a scalar
            c = 134217729.0 * ph
            ah = c - (c - ph)
            al = ph - ah
            p = xc * ph
            e = xh * ah
            e.sub_(p)
            e.add_(torch.mul(xl, ah, out=t))
            e.add_(torch.mul(xh, al, out=t))
            e.add_(torch.mul(xl, al, out=t))
            e.add_(torch.mul(xc, pl, out=t))
        else:                        # (ph + pl)·x = p + e exactly, Dekker
            p = ph * xc
            torch.mul(ph, 134217729.0, out=t)
            ah = t - ph
            torch.sub(t, ah, out=ah)
            al = ph - ah
            e = ah * xh
            e.sub_(p)
            e.add_(torch.mul(ah, xl, out=t))
            e.add_(torch.mul(al, xh, out=t))
            e.add_(al.mul_(xl))
            e.add_(pl.mul_(xc))
        if h == 0.0 and l == 0.0:
            ph = p + e               # normalised: the callers take hi for round(u)
            pl = torch.sub(ph, p, out=p)
            torch.sub(e, pl, out=pl)
            continue
        s = p + h                    # + (h + l): TwoSum
        b = s - p
        torch.sub(s, b, out=t)
        torch.sub(p, t, out=t)       # p - (s - b)
        b.sub_(h)
        t.sub_(b)                    # + (h - b)
        t.add_(l)
        e.add_(t)
        ph = s + e
        pl = torch.sub(ph, s, out=s)
        torch.sub(e, pl, out=pl)
    if not torch.is_tensor(ph):
        ph, pl = ph + 0.0 * x, pl + 0.0 * x
    top = float(torch.abs(x).max()) if x.numel() else 0.0  # one reduction
    if top > 1e30:                   # (a nan element needs nothing: its ph is nan)
        far = torch.abs(x) > 1e30
        xf = x[far]
        plain = torch.full_like(xf, ch[0])  # (0·inf: x·2^e may overflow)
        for h in ch[1:]:
            plain = plain * xf + h
        ph[far] = plain
        pl[far] = 0.0
    return ph, pl






def k_odd_form(ch, cl):
    """True for the coefficients of b·x or a·x³ + b·x, a·b > 0 (NumPy's test)."""
    if len(ch) not in (2, 4) or not all(isinstance(v, float) for v in ch + cl):
        return False
    zero = (1, 3) if len(ch) == 4 else (1,)
    return all(ch[k] == 0.0 and cl[k] == 0.0 for k in zero) and (len(ch) == 2 or ch[0] * ch[2] > 0)


def k_dd_odd(x, ch, cl):
    """b·x or a·x³ + b·x as a double-double, as NumPy's ``k_dd_odd`` (the same
    operations): x split at 17 bits, exact partial products, ~2^-67 relative."""
    c = x * 68719476737.0            # 2^36 + 1
    xh = c - x
    torch.sub(c, xh, out=xh)
    xl = torch.sub(x, xh, out=c)
    if len(ch) == 4:
        ah, al, bh, bl = ch[0], cl[0], ch[2], cl[2]
        k = ah * 17179869185.0       # 2^34 + 1
        a1 = k - (k - ah)
        a2 = (ah - a1) + al
        y = xh * xh
        yl = xl * xh
        yl.add_(yl)
        t = xl * xl
        yl.add_(t)
        p = y * a1
        y.mul_(a2)
        yl.mul_(ah)
        y.add_(yl)
        s = p + bh                   # TwoSum
        torch.sub(s, p, out=t)
        e = s - t
        torch.sub(p, e, out=e)
        torch.sub(bh, t, out=t)
        e.add_(t)
        e.add_(y)
        e.add_(bl)
        torch.mul(s, 131073.0, out=t)  # 2^17 + 1
        s1 = torch.sub(t, s, out=p)
        torch.sub(t, s1, out=s1)
        s.sub_(s1)
        s.add_(e)
        u = torch.mul(xh, s1, out=t)
        torch.mul(s, x, out=s)
        s1.mul_(xl)
        s.add_(s1)
    else:
        k = ch[0] * 131073.0
        b1 = k - (k - ch[0])
        u = xh * b1
        s = x * ((ch[0] - b1) + cl[0])
        xl.mul_(b1)
        s.add_(xl)
    h = u + s
    torch.sub(h, u, out=u)
    torch.sub(s, u, out=s)
    return h, s


def k_mul_sigmoid(c, u, big=True):
    """c·σ(u) as c/(1 + e^-u) with the sum's rounding corrected, as NumPy's
    ``k_mul_sigmoid`` (the tail u < -700 is ``k_mul_tail``'s)."""
    e = torch.exp(-u)
    s = e + 1.0
    r = torch.sub(s, torch.clamp(e, min=1.0)).sub_(torch.clamp(e, max=1.0))  # s - (1 + e)
    q = torch.as_tensor(c, dtype=s.dtype) / s
    r.div_(s).mul_(q)
    if big and not bool(torch.isfinite(r.sum())):  # c = ±inf gives r = 0·inf
        r = torch.where(torch.isinf(q), 0.0, r)
    return k_mul_tail(c, q + r, u, 0)



def k_mul_tail(c, y, u, kind):
    """``y = c·F(u)`` recomputed where F(u) would be subnormal or nearly so
    (kind 0: F ~ e^u, σ, exp, tanh∘softplus; kind 1: sech², 4e^(-2|u|)) as
    c·e^(v + 64)·e^-64, so the product rounds once and keeps the sign of c."""
    h, l = u if isinstance(u, tuple) else (u, 0.0)
    if kind == 1:
        lo_, hi_ = torch.aminmax(h) if h.numel() else (torch.zeros(()), torch.zeros(()))
        tail = not (-350.0 <= float(lo_) and float(hi_) <= 350.0)   # nan: look closer
    else:
        lo_ = float(h.min()) if h.numel() else 0.0
        tail = not lo_ >= -700.0
    if not tail:                     # reductions: cheaper than a mask's any()
        return y
    m = torch.abs(h) > 350.0 if kind == 1 else h < -700.0
    if not bool(m.any()):
        return y
    y = torch.broadcast_to(y, m.shape).to(torch.float64, copy=True)
    cm = torch.as_tensor(c, dtype=torch.float64).broadcast_to(m.shape)[m]
    vm = h[m]
    vlm = torch.as_tensor(l, dtype=torch.float64).broadcast_to(m.shape)[m]
    if kind == 1:
        vm, vlm, cm = -2.0 * torch.abs(vm), -2.0 * torch.sign(vm) * vlm, 4.0 * cm
    e = torch.exp(vm + 64.0)
    t = torch.where(e == 0.0, 0.0, cm * e)  # 0 wins over an overflowed cofactor
    t = t + t * vlm
    t = t * 1.603810890548638e-28 + t * -7.361325221284214e-45  # e^-64, double-double
    y[m] = torch.copysign(t, cm)     # F > 0: an underflow keeps the sign of c
    return y


def k_exp_ratio(u, c0, r, w, k=1):
    """t^k·(c0 + t·R(t))/(1 + t·W(t)) with t = e^u (u < 0), as NumPy's
    ``k_exp_ratio`` (the same operations, in place): c0 + t·R by TwoSum,
    1/(1 + tW) as 1 - q, t·s by Dekker's product (one rounding beside the
    exponential's); u and c0 may be double-doubles (hi, lo); t·c0 scaled by
    e^64 where t is near the subnormals (u < -708), its sign kept where it
    underflows; t^k as e^(k·u), k·u a double-double."""
    ul = 0.0
    if isinstance(u, tuple):
        u, ul = u
    cl = None
    if isinstance(c0, tuple):
        c0, cl = c0
    t = torch.exp(u)
    b = torch.mul(t, r[0])
    for c in r[1:]:
        b.add_(c).mul_(t)            # t·R
    q = torch.mul(t, w[0])
    for c in w[1:]:
        q.add_(c).mul_(t)            # W' = t·W
    s = q + 1.0
    q.div_(s)                        # W'/(1 + W')
    torch.add(b, c0, out=s)          # TwoSum: s + e = c0 + t·R
    a = s - c0
    e = s - a
    e.neg_().add_(c0)                # c0 - (s - a)
    torch.sub(b, a, out=a)
    e.add_(a)
    if cl is not None:
        e.add_(cl)
    e.sub_(q.mul_(s))                # S/(1 + W') = s + e
    if k != 1:                       # t^k = e^(k·u), k·u = h + l exactly: e^h·(1 + l)
        if k & (k - 1):              # (below -1e6, t^k = 0: l unused)
            u, kl = k_two_prod(torch.clamp(u, min=-1e6), float(k))
            ul = kl + ul * float(k)
        else:                        # k·u exact
            u = u * float(k)
            ul = ul * float(k)
        t = torch.exp(u)
    c = t * 134217729.0              # Dekker: t·s = p + f exactly
    th = c - t
    torch.sub(c, th, out=th)
    tl = t - th
    torch.mul(s, 134217729.0, out=c)
    sh = c - s
    torch.sub(c, sh, out=sh)
    sl = s - sh
    p = t * s
    f = th * sh
    f.sub_(p)
    f.add_(th.mul_(sl))
    f.add_(sh.mul_(tl))
    f.add_(tl.mul_(sl))
    f.add_(e.mul_(t))
    dd = torch.is_tensor(ul) or ul != 0.0
    if dd:
        f.add_(p * ul)               # e^(h + l) = e^h + e^h·l
    p.add_(f)
    lo_ = float(u.min()) if u.numel() else 0.0
    m = u < -708.0 if not lo_ >= -708.0 else None   # one reduction first; nan: look closer
    if m is not None and bool(m.any()):
        ci = torch.clamp(torch.as_tensor(c0, dtype=torch.float64).broadcast_to(u.shape)[m],
                         -1e300, 1e300)
        ph, pl = k_two_prod(torch.exp(u[m] + 64.0), ci)
        if dd:
            pl = pl + ph * torch.as_tensor(ul, dtype=torch.float64).broadcast_to(u.shape)[m]
        qh, ql = k_two_prod(ph, 1.603810890548638e-28)  # e^-64 = this + the next
        v = qh + (ql + (pl * 1.603810890548638e-28 + ph * -7.361325221284214e-45))
        p[m] = torch.copysign(v, ci)  # an underflow keeps the sign of t·c0
    return p


def k_select(x, conds, branches):
    """Piecewise by masks: each branch is evaluated only where it is chosen
    (first true condition wins; nan goes to the last branch). The branch of
    each element is one small integer and a stable sort of those gives every
    branch's indices at once (two ``nonzero`` calls cost twice as much)."""
    xf = x.reshape(-1)
    nb = len(branches)
    sel = torch.full(xf.shape, nb - 1, dtype=torch.uint8)
    for j in reversed(range(len(conds))):   # the first true condition is set last
        c = conds[j](xf).to(torch.uint8)
        sel.sub_(c.mul_(sel - j))
    order = torch.sort(sel, stable=True).indices
    counts = torch.bincount(sel, minlength=nb).tolist()
    out = torch.empty_like(xf)
    start = 0
    for j, branch in enumerate(branches):
        k = counts[j]
        if k:
            i = order[start:start + k]
            out.index_copy_(0, i, torch.broadcast_to(branch(xf.index_select(0, i)), (k,)))
        start += k
    return out.reshape(x.shape)


def k_square_affine(g, a, q, k=0):
    """a·g² + c as A·(G² + Q), G = g·2^k (A, Q and k from the printer), as
    NumPy's ``k_square_affine``: G² = p + r exactly, p + Q_hi and r + Q_mid by
    TwoSum, S = h + e by a third, A_hi·h + (A_hi·e + A_lo·h): 1.0 ULP, also
    next to the root; ``k_square_far`` where that is not finite."""
    ah, al = a
    qh, qm, ql = q
    G = g * 2.0 ** (k // 2) * 2.0 ** (k - k // 2) if k else g
    t = G * 134217729.0
    h = t - (t - G)                  # gh: the top 26 bits of G
    e = G - h
    p = G * G
    r = ((h * h - p) + 2.0 * h * e) + e * e  # G² - p, exact
    s, t = k_two_sum(p, qh)
    if qm != 0.0:
        u, v = k_two_sum(r, qm)
        t = (t + u) + (v + ql)
    else:
        t = t + r
    h, e = k_two_sum(s, t)           # S = h + e
    y = h * ah + (e * ah + h * al)
    far = ~torch.isfinite(y)
    if bool(far.any()):
        y[far] = k_square_far(g[far], h[far], ah, al, k)
    return y


def k_square_far(g, s, ah, al, k):
    """As NumPy's ``k_square_far``: A·G² = ((A·m²)·2^n)·2^n for |G| >= 2^459
    (G = m·2^n), A·S (``s``: S rounded, its own overflow) below."""
    m, n = torch.frexp(g)
    n = n.to(torch.int64) + k
    p, r = k_two_prod(m, m)
    w = p * ah + (r * ah + p * al)
    c = torch.ldexp(torch.ones_like(m), n.clamp(0, 1023))
    w = (w * c) * c
    w = torch.where(n >= 460, w, s * ah + s * al)
    return torch.where(torch.isfinite(g), w, (g * g) * ah)


def k_erfcx(v):
    """erfcx(v) = e^(v²) erfc(v): the NumPy backend's table of polynomials on
    [0, 28) (``ERFCX_TABLE``, max 0.55 ULP); torch's erfcx off the table."""
    h, l = k_erfcx_pair(v)
    return l + h


def k_erfcx_pair(v):
    """erfcx(v) as h + l unrounded, v a float or a double-double, as NumPy's
    ``k_erfcx_pair`` (torch's erfcx off the table, l = 0 there)."""
    vh, vl = v if isinstance(v, tuple) else (v, 0.0)
    lo, w, c = ERFCX_TABLE
    h, l = k_poly_table(vh, lo, w, c)
    hi = lo + w * c.shape[1]
    a, b = torch.aminmax(vh) if vh.numel() else (torch.full((), lo), torch.full((), lo))
    if not (float(a) >= lo and float(b) < hi):   # off the table (or nan): those elements
        off = ~((vh >= lo) & (vh < hi))
        h, l = h.clone(), l.clone()
        h[off] = torch.special.erfcx(vh[off])
        l[off] = 0.0
    if torch.is_tensor(vl) or vl != 0.0:
        l = l + (2.0 * vh * (h + l) - 1.1283791670955126) * vl
    return h, l


def k_expsq_pair(u, c, s):
    """c·exp(-s·u²) for a double-double c, rounded once, as NumPy's
    ``k_expsq_pair``: h = s·hi² reduced by n·ln 2, 2^-n·(c_hi + (c_lo + c·m))
    with m = expm1 of the rest; ``k_expsq`` where the result is subnormal."""
    ch, cl = c
    a = torch.clamp(torch.abs(u), max=1e4)
    hi = (a + 4294967296.0).sub_(4294967296.0)   # a rounded to a multiple of 2^-20
    t = (hi + a).mul_(a - hi).mul_(s)            # s·lo·(2hi + lo)
    h = hi * hi
    if s != 1.0:
        h.mul_(s)                    # exact
    n = torch.round(h * 1.4426950408889634)
    r = h - n * 0.6931471805598903  # ln 2 to 42 bits: exact
    p = n * 5.497923018708371e-14
    z = r - p
    rl = (r - z) - p                 # z + rl = h - n·ln 2
    w = -z - t
    zl = ((-z - w) - t) - rl
    m = torch.expm1(w)
    m = m + zl * (m + 1.0)
    y = torch.ldexp(ch + ((cl + ch * m) + cl * m), -n)
    bad = (torch.abs(y) < 2.2250738585072014e-308) | ~(h <= 1400.0)
    if bool(bad.any()):
        cf = torch.as_tensor(ch + cl, dtype=y.dtype).broadcast_to(y.shape)
        y[bad] = k_expsq_float(u.broadcast_to(y.shape)[bad], cf[bad], s)
    return y



def k_pio_mul(p, q, _rows={}):  # noqa: B006 - the tables made, by multiplier
    """``PIO_TABLE`` for the multiplier a = p/q, as NumPy's ``k_pio_mul``."""
    t = _rows.get((p, q))
    if t is None:
        v = 32768 * q                # L <= log2(2^15/a), in integers: E0 = L - 55
        lg = (v // p).bit_length() - 1 if v >= p else -(p // v + 1).bit_length()
        e0 = min(PIO_E0, lg - 55)
        e0, w, rows = pio_rows(PIO_Q * p // q, PIO_B, PIO_F, e0, PIO_E1)
        t = _rows[(p, q)] = (e0, w, torch.tensor(rows, dtype=torch.float64))
    return t


def k_pio_reduce(a, k, table=None):
    """(n, fh, fl) with 2^k·a·32/π = n + fh + fl (mod 64), |fh + fl| <= 1/2,
    for finite a >= 1, as NumPy's ``k_pio_reduce`` (Payne–Hanek with
    ``PIO_TABLE``, or ``table``, the integer parts taken off exactly)."""
    e0, _, t = PIO_TABLE if table is None else table
    m, e = torch.frexp(a)
    m = m * 9007199254740992.0       # M = m·2^53, an integer
    i = e.to(torch.int64) + (k - 53 - int(e0))
    t0, t1, t2, t3 = (t[j][i] for j in range(4))
    p0, e0 = k_two_prod(m, t0)
    p1, e1 = k_two_prod(m, t1)
    p2, e2 = k_two_prod(m, t2)
    e2 = e2 + m * t3
    n = torch.round(p0)
    f = p0 - n                       # exact; p0, e0 are multiples of 2^-47
    n = n - 64.0 * torch.floor(n * 0.015625)
    g = torch.round(e0)
    n = n + g
    f = f + (e0 - g)                 # exact: |f| <= 1, a multiple of 2^-47
    g = torch.round(f)
    n = n + g
    f = f - g
    g = torch.round(p1)
    n = n + g
    f, err = k_two_sum(f, p1 - g)    # exact
    g = torch.round(f)
    n = n + g
    f = f - g
    r1, r1e = k_two_sum(p2, e1)      # the small rest as a double-double
    r2, r2e = k_two_sum(r1, err)
    fh, fl = k_two_sum(f, r2)
    fl = fl + ((r1e + r2e) + e2)
    h = fh + fl
    return n, h, fl - (h - fh)


def k_pio_split(u, k):
    """(n, b, h, t, d, p): 2^k·u = n·π/32 + b + h, as NumPy's ``k_pio_split``."""
    n = (u * (10.185916357881302 * 2.0 ** k)).round_()
    h = n * -0.09817477036267519     # -n·P1, exact
    h.add_(u * (2.0 ** k) if k else u)  # exact (Sterbenz)
    p = n * -6.200584869772013e-11   # -n·P2, exact
    t = h + p                        # TwoSum: t + h = h + p
    b = t - h
    p.sub_(b)
    torch.sub(t, b, out=b)
    h.sub_(b).add_(p)
    torch.mul(n, -3.231364361806406e-20, out=p)    # -n·P3, exact
    torch.add(t, p, out=b)           # TwoSum: b + t = t + p
    d = b - t
    p.sub_(d)
    torch.sub(b, d, out=d)
    t.sub_(d).add_(p)
    h.add_(t).add_(torch.mul(n, -1.8149099837371003e-29, out=p))  # r = b + h
    if u.numel():
        lo, hi = torch.aminmax(u)
        if not max(float(hi), -float(lo)) * 2.0 ** k < 32768.0:   # rare (nan too)
            a = torch.abs(u)
            big = (a * 2.0 ** k >= 32768.0) & (a < float("inf"))
            if bool(big.any()):
                ub = u[big]
                nb, fh, fl = k_pio_reduce(ub.abs(), k)
                ph, pe = k_two_prod(fh, 0.09817477042468103)   # r = f·π/32
                pe = pe + (fh * 3.827021247335479e-18 + fl * 0.09817477042468103)
                sg = torch.ones_like(ub).copysign_(ub)
                n[big], b[big], h[big] = nb * sg, ph * sg, pe * sg
    return n, b, h, t, d, p


def k_mul_reduce(u, m):
    """(n, b, h, t, d, p): a·u = n·π/32 + b + h for a = p/q = m1 + m2 + m3,
    as NumPy's ``k_mul_reduce`` (the product never rounded: Cody–Waite on
    its exact parts below |a·u| = 2^15, Payne–Hanek with ``k_pio_mul``'s
    table beyond)."""
    m1, m2, m3, pa, qa = m
    n = (u * (m1 * 10.185916357881302)).round_()
    p, e1 = k_two_prod(u, m1)
    h = n * -0.09817477036267519 + p  # exact (Sterbenz)
    p2, e2 = k_two_prod(u, m2)
    w, we = k_two_sum(e1, p2)
    we = ((we + e2) + u * m3) + n * -1.8149099837371003e-29  # the rest, below 2^-90
    t, d = k_two_sum(h, n * -6.200584869772013e-11)
    t, e = k_two_sum(t, w)
    b, f = k_two_sum(t, n * -3.231364361806406e-20)
    h = ((d + e) + f) + we           # r = b + h
    if u.numel():
        au = torch.abs(u)
        if not float(au.max()) * m1 < 32768.0:   # rare (nan too)
            big = (au * m1 >= 32768.0) & (au < float("inf"))
            if bool(big.any()):
                ub = u[big]
                nb, fh, fl = k_pio_reduce(ub.abs(), 0, k_pio_mul(pa, qa))
                ph, pe = k_two_prod(fh, 0.09817477042468103)   # r = f·π/32
                pe = pe + (fh * 3.827021247335479e-18 + fl * 0.09817477042468103)
                sg = torch.ones_like(ub).copysign_(ub)
                n[big], b[big], h[big] = nb * sg, ph * sg, pe * sg
    return n, b, h, w, e1, we


def k_sin_work(u, k, s, m=None):
    """(h, l, spare): sin(2^k·u + s·π/32) = h + l to about 2^-60 of itself,
    and five spare tensors, as NumPy's ``k_sin_work`` (the same operations,
    in place): Cody–Waite with π/32 in four parts below |2^k·u| = 2^15,
    ``k_pio_reduce`` beyond, ``SIN_TABLE`` and Taylor polynomials for
    sin(jπ/32 + r); ``m``: the argument a·u, ``k_mul_reduce``."""
    n, b, h, t, d, p = k_pio_split(u, k) if m is None else k_mul_reduce(u, m)
    rh = torch.add(b, h, out=t)      # renormalised: rh + rl
    torch.sub(rh, b, out=b)
    rl = h.sub_(b)
    n.add_(s).nan_to_num_(0.0)
    j = d.view(torch.int64)          # d's memory as the table index
    j.copy_(n).bitwise_and_(63)
    z = torch.mul(rh, rh, out=n)
    sp = torch.mul(z, 2.7557319223985893e-06, out=p)  # sin r - r
    sp.sub_(1.984126984126984e-04).mul_(z).add_(8.333333333333333e-03).mul_(z)
    sp.sub_(1.6666666666666666e-01).mul_(z).mul_(rh)
    cm = torch.mul(z, 2.48015873015873e-05, out=b)    # cos r - 1
    cm.sub_(1.3888888888888889e-03).mul_(z).add_(4.1666666666666664e-02).mul_(z)
    cm.sub_(0.5).mul_(z)
    sp.add_(torch.mul(rl, cm, out=z)).add_(rl)      # sin(rh + rl) - rh
    cm.sub_(torch.mul(rh, rl, out=z))               # cos(rh + rl) - 1
    torch.mul(rh, 134217729.0, out=z)
    r26 = torch.sub(z, rh, out=rl)
    torch.sub(z, r26, out=r26)       # rh's top 26 bits
    rr = torch.sub(rh, r26, out=z)   # the rest, exact
    tab = SIN_TABLE[2]
    g1 = tab[2].index_select(0, j)   # c26
    r26.mul_(g1)                     # c26·r26, exact
    rr.mul_(g1)
    g2 = tab[3].index_select(0, j)   # C - c26
    rr.add_(rh.mul_(g2))             # C·rh - c26·r26
    rr.add_(sp.mul_(g1.add_(g2)))    # + C·(sin r - rh)
    torch.index_select(tab[0], 0, j, out=g1)   # S_hi
    rr.add_(cm.mul_(g1))             # + S·(cos r - 1)
    rr.add_(torch.index_select(tab[1], 0, j, out=g2))   # S_lo
    hi = torch.add(g1, r26, out=rh)  # TwoSum: S_hi + c26·r26
    bb = torch.sub(hi, g1, out=sp)
    r26.sub_(bb)
    torch.sub(hi, bb, out=bb)
    g1.sub_(bb).add_(r26)
    rr.add_(g1)
    out = torch.add(hi, rr, out=cm)  # renormalised
    rr.sub_(torch.sub(out, hi, out=hi))
    return out, rr, (hi, sp, g1, g2, r26)


def k_sin_dd(u, k, s, m=None):
    """sin(2^k·u + s·π/32) as a double-double (hi, lo) (``k_sin_work``)."""
    h, l, _ = k_sin_work(u, k, s, m)
    return h, l


def k_sin_sq(u, k, s, c, v, m=None):
    """v + c·sin²(2^k·u + s·π/32) rounded once, as NumPy's ``k_sin_sq`` (in
    ``k_sin_work``'s spare tensors)."""
    h, l, (t, a, q, e, w) = k_sin_work(u, k, s, m)
    torch.mul(h, 134217729.0, out=t)
    torch.sub(t, h, out=a)
    torch.sub(t, a, out=a)           # h's top 26 bits
    torch.sub(h, a, out=t)           # the rest, exact
    torch.mul(h, h, out=q)
    torch.mul(a, a, out=e).sub_(q)
    e.add_(a.mul_(t).mul_(2.0)).add_(t.mul_(t))   # h² = q + e exactly
    e.add_(l.mul_(h).mul_(2.0))      # sin² = q + e
    ch, cl = c
    if cl == 0.0 and float(ch).hex().lstrip("-").startswith("0x1.0000000000000p"):
        if ch != 1.0:
            q.mul_(ch)               # a power of two: exact
            e.mul_(ch)
    else:
        p, f = k_two_prod(q, ch)
        q, e = p, f.add_(e.mul_(ch)).add_(q.mul_(cl))
    if torch.is_tensor(v) or v != 0.0:
        t = torch.add(q, v, out=t)   # TwoSum: v + q
        b = torch.sub(t, v, out=a)
        d = torch.sub(t, b, out=l)
        torch.sub(v, d, out=d) if torch.is_tensor(v) else d.neg_().add_(v)
        d.add_(q.sub_(b))
        e.add_(d)
        q = t
    return q.add_(e)


def k_exp(u):
    """e^u (torch.exp; called by the shared double-double kernels)."""
    return torch.exp(u)



def k_tanh(u):
    """tanh u (torch.tanh; called by the shared double-double kernels)."""
    return torch.tanh(u)

def k_add_pair(x, hi, lo):
    """x + c for a constant c = hi + lo that is not a float, as NumPy's ``k_add_pair``."""
    return (x + hi) + lo


def k_where(c, a, b):
    """a where c else b (torch.where; called by the shared array kernels)."""
    return torch.where(c, a, b)


def k_isfinite(u):
    """True where u is finite (torch.isfinite; called by the shared array kernels)."""
    return torch.isfinite(u)


#: name -> kernel, as the generated code calls them
KERNELS = {f.__name__: f for f in (k_sigmoid, k_softplus, k_log_sigmoid, k_sech2, k_recip1psq,
                                   k_hypot1, k_heaviside, k_ndtr, k_mills, k_gauss_scaled,
                                   k_expsq, k_zero_wins, k_dirac, k_two_prod, k_two_sum, k_root_patch,
                                   k_poly_table, k_dd_poly, k_odd_form, k_dd_odd, k_mul_tail, k_mul_sigmoid, k_erfcx_pair, k_expsq_pair, k_expsq_float, k_exp_ratio, k_select,
                                   k_square_affine, k_square_far, k_erfcx, k_exp, k_tanh, k_pio_reduce, k_pio_split, k_mul_reduce, k_pio_mul, k_sin_work,
                                   k_sin_dd, k_sin_sq, k_add_pair, k_where, k_isfinite, *ARRAY_KERNELS, *DD_KERNELS)}


#: data some kernels read: global name -> the kernel that needs it (the NumPy
#: backend's tables, symacts.export.kernels.TABLES, as float64 tensors)
TABLES = {"SOFTPLUS_TABLE": "k_softplus_dd", "ERFCX_TABLE": "k_erfcx_pair", "SIN_TABLE": "k_sin_work", "PIO_TABLE": "k_pio_reduce",
          "TANH_PAIR_TABLE": "k_tanh_sq"}


def table_source(name):
    """``NAME = (lo, w, torch.tensor([...]))``: one of the NumPy backend's tables as module text."""
    from .kernels import TABLES as NP, pio_table_source, tanh_pair_table
    if name == "PIO_TABLE":
        return pio_table_source("torch.tensor({}, dtype=torch.float64)")
    lo, w, cols = tanh_pair_table() if name == "TANH_PAIR_TABLE" else NP[name][1]()
    rows = ",\n    ".join("[" + ", ".join(repr(float(v)) for v in col) + "]" for col in cols)
    return f"{name} = ({lo!r}, {w!r}, torch.tensor([\n    {rows}], dtype=torch.float64))"
