"""Functions of a double-double argument u = (hi, lo), corrected to first
order in lo: one text for every array backend. Each calls the backend's own
``k_sigmoid``, ``k_exp``, ``k_tanh``, ``k_erfcx`` and ``k_sech2``, which are
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

__all__ = ["k_sigmoid_dd", "k_exp_dd", "k_tanh_dd", "k_erfcx_dd", "k_sech2_dd", "DD_KERNELS"]


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


#: the five kernels, for each backend's KERNELS table
DD_KERNELS = (k_sigmoid_dd, k_exp_dd, k_tanh_dd, k_erfcx_dd, k_sech2_dd)
