"""Functions of a double-double argument u = (hi, lo), corrected to first
order in lo, and double-double products and sums: one text for every array
backend. Each calls the backend's own ``k_sigmoid``, ``k_exp``, ``k_tanh``,
``k_erfcx``, ``k_sech2``, ``k_two_prod`` and ``k_two_sum``, which are
resolved where the generated code runs (the kernel sources are collected into
the exported module, see ``kernel_sources``), so the NumPy, PyTorch and JAX
exports cannot drift apart here.

>>> import inspect
>>> "k_exp(h)" in inspect.getsource(k_exp_dd)
True
"""
# The k_* names below are the backend's kernels, defined beside these in the
# namespace of the exported code; this module is never called directly.
# ruff: noqa: F821

__all__ = ["k_sigmoid_dd", "k_exp_dd", "k_tanh_dd", "k_erfcx_dd", "k_sech2_dd", "k_softplus_dd", "k_dd_mul",
           "k_dd_add", "DD_KERNELS"]


def k_sigmoid_dd(u):
    """σ(hi + lo) = σ(hi)·(1 + σ(-hi)·lo) for a double-double argument."""
    h, l = u
    s = k_sigmoid(h)
    return s + s * ((1.0 - s) * l)  # σ(-h) = 1 - σ(h) is enough for the correction


def k_exp_dd(u):
    """e^(hi + lo) = e^hi·(1 + lo)."""
    h, l = u
    e = k_exp(h)
    return e + e * l


def k_tanh_dd(u):
    """tanh(hi + lo) = tanh(hi) + sech²(hi)·lo."""
    h, l = u
    t = k_tanh(h)
    return t + (1.0 - t * t) * l


def k_erfcx_dd(u):
    """erfcx(hi + lo) = erfcx(hi) + (2·hi·erfcx(hi) - 2/√π)·lo."""
    h, l = u
    e = k_erfcx(h)
    return e + (2.0 * h * e - 1.1283791670955126) * l


def k_sech2_dd(u):
    """sech²(hi + lo) = sech²(hi)·(1 - 2 tanh(hi)·lo)."""
    h, l = u
    s = k_sech2(h)
    return s - s * (2.0 * k_tanh(h) * l)


def k_softplus_dd(x, u, r, lc):
    """softplus(c·x)/c from u = c·x as a double-double (hi, lo), 1/c = r and
    log c = lc (each hi, lo), by three forms, each where it is accurate:

    - h < -8: e^(u - log c)·(1 - t/2 + t²/3 - t³/4 + t⁴/5 - t⁵/6), t = e^h
      (log1p(t)/t to 2^-60): one exponential's rounding, not three;
    - -8 <= h < 1: ``SOFTPLUS_TABLE``'s polynomial, its value unrounded,
      plus σ(h)·lo, times 1/c as a double-double product, rounded once (the
      log1p of a rounded e^h, then ·1/c: 2.7 ULP);
    - h >= 1: x + (log1p(e^-h) - σ(-h)·lo)/c; where c·x overflowed (h = ±inf)
      the value is x or 0.
    """
    h, l = u
    a = -abs(h)
    up = h > 0
    s = k_sigmoid(a) * l
    g = k_softplus(a) + (s - 2.0 * s * up)
    y = x * up + (g * r[0] + g * r[1])
    lo, w, c = SOFTPLUS_TABLE
    th, tl = k_poly_table(h, lo, w, c)
    tl = tl + k_sigmoid(h) * l
    p, e = k_two_prod(th, r[0])
    e = e + (th * r[1] + tl * r[0])
    y = k_where((h >= lo) & (h < 1.0), p + e, y)
    v, vl = k_two_sum(h, -lc[0])
    vl = vl + (l - lc[1])
    vl = k_where(vl == vl, vl, 0.0)  # h = -inf (c·x overflowed): -inf - log c left nan
    q = k_exp(v)
    q = q + q * vl
    t = k_exp(h)
    m = t * (0.5 - t * (0.3333333333333333 - t * (0.25 - t * (0.2 - t * 0.16666666666666666))))
    return k_where(h < lo, q - q * m, y)


def k_dd_mul(a, b):
    """a·b as a double-double (p, e) for floats or pairs (hi, lo): Dekker's
    product of the high parts, the low parts to first order (|a|, |b| < 1e150);
    a float power of two scales exactly."""
    if isinstance(b, float) and b.hex().lstrip("-").startswith("0x1.0000000000000p"):
        a, b = b, a                  # a power of two first: the product is exact
    if isinstance(a, float) and a.hex().lstrip("-").startswith("0x1.0000000000000p"):
        return (a * b[0], a * b[1]) if isinstance(b, tuple) else (a * b, 0.0)
    ah, al = a if isinstance(a, tuple) else (a, 0.0)
    bh, bl = b if isinstance(b, tuple) else (b, 0.0)
    p, e = k_two_prod(ah, bh)
    if not (isinstance(bl, float) and bl == 0.0):
        e = e + ah * bl
    if not (isinstance(al, float) and al == 0.0):
        e = e + al * bh
    return p, e


def k_dd_add(a, b):
    """a + b as a double-double (s, e) for floats or pairs (TwoSum of the high
    parts, the low parts added to e)."""
    ah, al = a if isinstance(a, tuple) else (a, 0.0)
    bh, bl = b if isinstance(b, tuple) else (b, 0.0)
    s, e = k_two_sum(ah, bh)
    return s, e + (al + bl)


#: the kernels, for each backend's KERNELS table
DD_KERNELS = (k_sigmoid_dd, k_exp_dd, k_tanh_dd, k_erfcx_dd, k_sech2_dd, k_softplus_dd, k_dd_mul,
              k_dd_add)
