"""Kernels written once for the PyTorch and JAX backends: each calls the
backend's own ``k_where``, ``k_isfinite``, ``k_exp``, ``k_tanh``,
``k_poly_table`` and ``k_two_prod`` (and reads ``TANH_PAIR_TABLE``), resolved
where the generated code runs, as in :mod:`.dd_kernels`. NumPy has its own
in-place versions (``kernels.py``).

>>> import inspect
>>> "k_where(" in inspect.getsource(k_pow_sum)
True
"""
# The k_* names below are the backend's kernels, defined beside these in the
# namespace of the exported code; this module is never called directly.
# ruff: noqa: F821

__all__ = ["k_pow_sum", "k_tanh_sq", "k_tiny_linear", "ARRAY_KERNELS"]


def k_pow_sum(a, c, n):
    """(a + c)^n with the sum's rounding compensated, as NumPy's ``k_pow_sum``
    (c = (c_hi, c_lo) a number, n = ±2..±4, ``a`` an array or a pair
    (a_hi, a_lo); for n > 0 the products' roundings compensated too)."""
    a, a_lo = a if isinstance(a, tuple) else (a, None)
    c, c_lo = c
    s = a + c
    z = s - a
    e = (a - (s - z)) + (c - z)  # s + e = a + c_hi exactly
    if a_lo is not None:
        e = e + k_where(k_isfinite(a_lo), a_lo, 0.0)
    if c_lo != 0.0 or a_lo is not None:
        if c_lo != 0.0:
            e = e + c_lo
        t = s + e
        z = t - s
        e = (s - (t - z)) + (e - z)
        s = t
    m = abs(n)
    if n > 0:
        p, d = k_two_prod(s, s)
        d = d / p
        for _ in range(m - 2):
            q, r = k_two_prod(p, s)
            d = d + r / q
            p = q
        e = (e / s * n + d) * p
        return p + k_where(k_isfinite(e), e, 0.0)
    p = s * s
    if m >= 3:
        p = p * s
    if m == 4:
        p = p * s
    p = 1.0 / p
    p = k_where(p == 0, (1.0 / s) ** m, p)  # s^m overflowed
    e = e / s * n * p
    return p + k_where(k_isfinite(e), e, 0.0)


def k_tiny_linear(w, y, cd, t):
    """``y`` = c·expm1(d·w) with (c·d)·w where |w| < t, as NumPy's ``k_tiny_linear``."""
    return k_where(abs(w) < t, cd * w, y)


def k_tanh_sq(u):
    """tanh(u)², rounded once, as NumPy's ``k_tanh_sq``: 1 - q(2 - q), q = 2/(e^2|u| + 1)
    from |u| = 1.25; below, tanh = h + l (``TANH_PAIR_TABLE`` on [1/8, 1.25), the
    series through u^15 below 1/8) and h² + l·(2h + l) with h² by Dekker's product.
    Outside float64 (JAX with x64 off) ``k_tanh(u)²``: the split constant is float64's."""
    if not str(u.dtype).endswith("float64"):
        t = k_tanh(u)
        return t * t
    a = abs(u)
    a = k_where(a > 20.0, 20.0, a)   # tanh² rounds to 1 from 19.1; nan stays nan
    q = 2.0 / (k_exp(a + a) + 1.0)
    big = 1.0 - q * (2.0 - q)
    h, l = k_poly_table(a, *TANH_PAIR_TABLE)
    y = a * a
    r = y * -0.0014558343870513183
    for c in (0.003592128036572481, -0.008863235529902197, 0.021869488536155203,
              -0.05396825396825397, 0.13333333333333333):
        r = (r + c) * y
    r = (r - 0.3333333333333333) * y * a
    small = a < 0.125
    h = k_where(small, a, h)
    l = k_where(small, r, l)
    p, e = k_two_prod(h, h)
    mid = p + (e + l * (h + h + l))
    # below 1e-9, tanh(u)² = u²(1 - 2u²/3 + ...) rounds as u·u does (the
    # correction is < 2^-60), and Dekker's cross terms would be subnormal, which
    # XLA flushes (tanhshrink' under JAX was 6e7 ULP at 2e-150: red team)
    return k_where(a < 1.25, k_where(a < 1e-9, y, mid), big)


ARRAY_KERNELS = (k_pow_sum, k_tanh_sq, k_tiny_linear)
