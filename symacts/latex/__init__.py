"""Derivations in LaTeX, step by step, documents and the generated catalog.

``derive(name, order)`` differentiates rule by rule and takes the raw result
to its textbook form; every line is checked equal to the one before it.
Printers give text, LaTeX and markdown; :mod:`.document` wraps LaTeX into a
complete document; :mod:`.report` writes the catalog with plots.

>>> from symacts.latex import derive
>>> derive("gelu").result
x*phi(x) + Phi(x)
"""
from ._check import StepError
from .derive import Chain, Derivation, Line, Section, derive
from .steps import Step, diff_steps

__all__ = ["derive", "Derivation", "Section", "Chain", "Line", "Step", "diff_steps",
           "StepError"]
