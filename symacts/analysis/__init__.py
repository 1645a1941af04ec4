"""The analysis engine: every fact about an activation, derived — exact where
a closed form exists, certified (arb) or by quadrature where none does, and
each fact says which.

>>> from symacts.analysis import supremum
>>> from symacts.catalog import X as x
>>> from symacts.functions import sigmoid
>>> supremum(sigmoid(x) * (1 - sigmoid(x)), x).exact
1/4
"""
from __future__ import annotations

import importlib

from .facts import Extremum, Fact

__all__ = ["Fact", "Extremum", "supremum", "infimum", "limit", "expect",
           "fact_sheet", "gains", "selu_constants", "derivative"]

_LAZY = {"supremum": "extrema", "infimum": "extrema", "limit": "limits",
         "derivative": "calculus", "expect": "gaussian", "fact_sheet": "profile",
         "gains": "init", "selu_constants": "selu"}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
