"""The catalog of activations: one symbolic definition each.

>>> from symacts.catalog import get, names
>>> get("silu").expr
x*sigmoid(x)
>>> len(names()) >= 38
True
"""
from .core import Activation, Definition, Param, Source, X, domain_text
from .registry import definitions, get, lookup, names

__all__ = ["Activation", "Definition", "Param", "Source", "X", "domain_text",
           "definitions", "get", "lookup", "names"]
