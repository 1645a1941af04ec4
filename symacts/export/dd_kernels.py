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

__all__ = ["k_sigmoid_dd", "k_exp_dd", "k_tanh_dd", "k_erfcx_dd", "k_sech2_dd", "k_dd_mul",
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
DD_KERNELS = (k_sigmoid_dd, k_exp_dd, k_tanh_dd, k_erfcx_dd, k_sech2_dd, k_dd_mul, k_dd_add)
