"""Relations between activations: sup-norm distances of approximations and
identities, each derived (extrema of the difference; SymPy under a budget).

>>> d = distance("softplus", "relu")
>>> d.exact, d.argument
(log(2), 0)
"""
from __future__ import annotations

import sympy

from ..catalog import get
from ..functions import elementary, sigmoid
from .budget import attempt
from .extrema import infimum, supremum
from .facts import Extremum

__all__ = ["APPROXIMATES", "distance", "identities", "relations"]

#: activation -> the one it approximates (or tends to)
APPROXIMATES = {"softplus": "relu", "gelu_tanh": "gelu", "gelu_sigmoid": "gelu",
                "hard_sigmoid": "sigmoid", "hard_swish": "silu", "hard_tanh": "tanh",
                "swish": "silu", "celu": "elu"}


def _act(a, params=None):
    return get(a, **(params or {})) if isinstance(a, str) else a


def distance(f, g, digits=30, lo=-sympy.oo, hi=sympy.oo) -> Extremum:
    """sup of |f - g| over [lo, hi] (default ℝ; exact or certified), and where."""
    f, g = _act(f), _act(g)
    h = f.expr - g.expr
    hi, lo = supremum(h, f.variable, lo, hi, digits=digits), \
        infimum(h, f.variable, lo, hi, digits=digits)
    best = hi if lo.enclosure is None or hi.enclosure is None or \
        hi.enclosure.abs_upper() >= (-lo.enclosure).abs_upper() else lo
    if best is lo:
        best = Extremum(lo.name, None if lo.exact is None else -lo.exact,
                        None if lo.enclosure is None else -lo.enclosure,
                        lo.decimal.lstrip("-"), lo.method, lo.where, lo.note,
                        attained=lo.attained, argument=lo.argument)
    best.name = f"sup |{f.name} - {g.name}|"
    return best


_IDENTITIES = {
    "tanh": [("tanh(x) = 2σ(2x) - 1",
              lambda x: sympy.tanh(x) - (2 * sigmoid(2 * x) - 1))],
    "sigmoid": [("σ(-x) = 1 - σ(x)", lambda x: sigmoid(-x) - (1 - sigmoid(x))),
                ("σ' = σ(1 - σ)", lambda x: sympy.diff(sigmoid(x), x)
                 - sigmoid(x) * (1 - sigmoid(x)))],
    "silu": [("silu' = silu + σ(1 - silu)",
              lambda x: sympy.diff(x * sigmoid(x), x)
              - (x * sigmoid(x) + sigmoid(x) * (1 - x * sigmoid(x))))],
    "softplus": [("softplus' = σ", lambda x: sympy.diff(sympy.log(1 + sympy.exp(x)), x)
                  - sigmoid(x))],
}


def _holds(d):
    d = sympy.expand(d)
    if d == 0:
        return True
    out = attempt(sympy.simplify, elementary(d).rewrite(sympy.exp), seconds=2.0)
    return out.ok and out.value == 0


def identities(name):
    """The catalog identities for ``name``: [(text, proved: bool)]."""
    x = sympy.Symbol("x", real=True)
    return [(text, _holds(fn(x))) for text, fn in _IDENTITIES.get(name, [])]


def relations(act, digits=30):
    """Distances (over the whole line) and identities for a catalog activation."""
    out = {"approximates": None, "identities": identities(act.name)}
    target = APPROXIMATES.get(act.name)
    if target:
        d = distance(act, get(target), digits)
        out["approximates"] = {"of": target, "distance": d,
                               "interval": ["-oo", "oo"]}
        if act.name == "softplus":
            out["approximates"]["limit"] = "→ relu as beta → oo (gap log(2)/beta)"
    return out
