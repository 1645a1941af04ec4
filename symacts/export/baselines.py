"""Hand-written NumPy/SciPy versions of activations (and PyTorch's CPU ops), the
speed and accuracy yardsticks of ``symacts audit`` and the benchmark.

They are what people write by hand, not what symacts exports: the fastest
float64 formula each library offers, good or bad in the tails.

>>> import numpy as np
>>> sorted(handwritten("sigmoid"))
['scipy.special.expit']
>>> float(handwritten("softplus")["np.logaddexp(0, x)"](np.array([1000.0]))[0])
1000.0
"""
from __future__ import annotations

import numpy as np
from scipy import special as sc

__all__ = ["handwritten", "torch_op"]

_R2 = 0.7071067811865476  # 1/√2
_SELU_L = 1.0507009873554805   # selu's λ
_SELU_LA = 1.7580993408473768  # λα

_HAND = {
    ("sigmoid", 0): {"scipy.special.expit": sc.expit},
    ("sigmoid", 1): {"expit(x)*expit(-x)": lambda x: sc.expit(x) * sc.expit(-x)},
    ("softplus", 0): {"np.logaddexp(0, x)": lambda x: np.logaddexp(0.0, x)},
    ("softplus", 1): {"scipy.special.expit": sc.expit},
    ("log_sigmoid", 0): {"scipy.special.log_expit": sc.log_expit},
    ("tanh", 0): {"np.tanh": np.tanh},
    ("tanh", 1): {"1 - np.tanh(x)**2": lambda x: 1.0 - np.tanh(x) ** 2},
    ("gelu", 0): {"0.5*x*erfc(-x/√2)": lambda x: 0.5 * x * sc.erfc(-x * _R2),
                  "x*scipy.special.ndtr(x)": lambda x: x * sc.ndtr(x)},
    ("gelu", 1): {"ndtr(x) + x*φ(x)": lambda x: sc.ndtr(x) + x * np.exp(-0.5 * x * x)
                  * 0.3989422804014327},
    ("silu", 0): {"x*expit(x)": lambda x: x * sc.expit(x)},
    ("silu", 1): {"s*(1 + x*(1 - s))": lambda x: (lambda s: s * (1 + x * (1 - s)))(sc.expit(x))},
    ("mish", 0): {"x*tanh(logaddexp(0, x))": lambda x: x * np.tanh(np.logaddexp(0.0, x))},
    ("elu", 0): {"where(x > 0, x, expm1(x))": lambda x: np.where(x > 0, x, np.expm1(x)),
                 "where(x > 0, x, expm1(min(x, 0)))": lambda x: np.where(
                     x > 0, x, np.expm1(np.minimum(x, 0.0)))},
    ("elu", 1): {"where(x > 0, 1, exp(x))": lambda x: np.where(x > 0, 1.0, np.exp(x))},
    ("celu", 0): {"where(x > 0, x, expm1(x))": lambda x: np.where(x > 0, x, np.expm1(x)),
                  "where(x > 0, x, expm1(min(x, 0)))": lambda x: np.where(
                      x > 0, x, np.expm1(np.minimum(x, 0.0)))},
    ("celu", 1): {"where(x > 0, 1, exp(x))": lambda x: np.where(x > 0, 1.0, np.exp(x))},
    ("selu", 0): {"where(x > 0, λx, λα·expm1(x))": lambda x: np.where(
                      x > 0, _SELU_L * x, _SELU_LA * np.expm1(x)),
                  "where(x > 0, λx, λα·expm1(min(x, 0)))": lambda x: np.where(
                      x > 0, _SELU_L * x, _SELU_LA * np.expm1(np.minimum(x, 0.0)))},
    ("selu", 1): {"where(x > 0, λ, λα·exp(x))": lambda x: np.where(x > 0, _SELU_L, _SELU_LA * np.exp(x))},
    ("hard_tanh", 0): {"np.clip(x, -1, 1)": lambda x: np.clip(x, -1.0, 1.0)},
    ("hard_tanh", 1): {"(np.abs(x) < 1) * 1.0": lambda x: (np.abs(x) < 1.0) * 1.0,
                       "where(|x| < 1, 1, 0)": lambda x: np.where(np.abs(x) < 1.0, 1.0, 0.0)},
    ("relu6", 0): {"np.clip(x, 0, 6)": lambda x: np.clip(x, 0.0, 6.0)},
    ("relu6", 1): {"((x > 0) & (x < 6)) * 1.0": lambda x: ((x > 0.0) & (x < 6.0)) * 1.0},
    ("hard_sigmoid", 0): {"np.clip(x/6 + 0.5, 0, 1)": lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),
                          "np.clip(x + 3, 0, 6)/6": lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0},
    ("hard_sigmoid", 1): {"(np.abs(x) < 3) / 6": lambda x: (np.abs(x) < 3.0) / 6.0},
    ("hard_swish", 0): {"x*np.clip(x + 3, 0, 6)/6": lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0},
    ("hard_swish", 1): {"where(x < -3, 0, where(x <= 3, x/3 + 0.5, 1))": lambda x: np.where(
        x < -3.0, 0.0, np.where(x <= 3.0, x / 3.0 + 0.5, 1.0))},
    ("leaky_relu", 0): {"np.maximum(x, 0.01*x)": lambda x: np.maximum(x, 0.01 * x),
                        "where(x > 0, x, 0.01*x)": lambda x: np.where(x > 0, x, 0.01 * x)},
    ("leaky_relu", 1): {"where(x > 0, 1, 0.01)": lambda x: np.where(x > 0, 1.0, 0.01)},
    ("softshrink", 0): {"x - np.clip(x, -0.5, 0.5)": lambda x: x - np.clip(x, -0.5, 0.5),
                        "where(x > l, x - l, where(x < -l, x + l, 0))": lambda x: np.where(
                            x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0))},
    ("softshrink", 1): {"(np.abs(x) > 0.5) * 1.0": lambda x: (np.abs(x) > 0.5) * 1.0},
    ("hardshrink", 0): {"where(|x| > 0.5, x, 0)": lambda x: np.where(np.abs(x) > 0.5, x, 0.0)},
    ("hardshrink", 1): {"(np.abs(x) > 0.5) * 1.0": lambda x: (np.abs(x) > 0.5) * 1.0},
    ("relu", 0): {"np.maximum(x, 0)": lambda x: np.maximum(x, 0.0)},
    ("gelu_tanh", 0): {"0.5*x*(1 + tanh(...))": lambda x: 0.5 * x * (1.0 + np.tanh(
        0.7978845608028654 * (x + 0.044715 * x * x * x)))},
    ("softsign", 0): {"x/(1 + |x|)": lambda x: x / (1.0 + np.abs(x))},
    ("tanhshrink", 0): {"x - np.tanh(x)": lambda x: x - np.tanh(x)},
    ("arctan", 0): {"np.arctan": np.arctan},
    ("gaussian", 0): {"np.exp(-x*x)": lambda x: np.exp(-x * x)},
    ("snake", 0): {"x + np.sin(x)**2": lambda x: x + np.sin(x) ** 2},
    ("snake", 1): {"1 + np.sin(2*x)": lambda x: 1.0 + np.sin(2.0 * x)},
}

_TORCH = {"sigmoid": "sigmoid", "tanh": "tanh", "softplus": "softplus", "gelu": "gelu",
          "silu": "silu", "mish": "mish", "elu": "elu", "selu": "selu", "celu": "celu",
          "relu": "relu", "relu6": "relu6", "log_sigmoid": "logsigmoid",
          "softsign": "softsign", "tanhshrink": "tanhshrink", "hard_tanh": "hardtanh",
          "hard_sigmoid": "hardsigmoid", "hard_swish": "hardswish",
          "leaky_relu": "leaky_relu", "softshrink": "softshrink",
          "hardshrink": "hardshrink"}


def handwritten(name, order=0):
    """``{label: function}`` of hand-written float64 versions (may be empty)."""
    return dict(_HAND.get((name, order), {}))


def torch_op(name, order=0):
    """PyTorch's own CPU op for ``name`` as a NumPy-in/NumPy-out function, or None
    (no torch, no such op, or a derivative: those go through autograd)."""
    if order != 0 or name not in _TORCH:
        return None
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None
    op = getattr(F, _TORCH[name], None) or getattr(torch, _TORCH[name])
    if name == "gelu_tanh":
        return None

    def run(x):
        return op(torch.from_numpy(np.ascontiguousarray(x))).numpy()
    run.__name__ = f"torch.nn.functional.{_TORCH[name]}"
    return run
