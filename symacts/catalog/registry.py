"""The registry: canonical names and aliases to catalog definitions.

>>> from symacts.catalog.registry import lookup
>>> lookup("SiLU").name
'silu'
>>> lookup("sigmod")
Traceback (most recent call last):
...
symacts.errors.UnknownNameError: unknown activation 'sigmod'; did you mean sigmoid?
"""
from __future__ import annotations

from ..errors import UnknownNameError, closest
from .core import Activation, Definition, Param, Source

__all__ = ["activation", "lookup", "get", "names", "definitions"]

_DEFS: dict[str, Definition] = {}
_ALIASES: dict[str, str] = {}


def _key(name):
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def activation(name, *, params=(), aliases=(), source=None, note="",
               kind="scalar", family=""):
    """Decorator that registers a builder ``f(*param_values) -> expr``."""
    def register(build):
        d = Definition(name, build, tuple(params), tuple(aliases), source, note,
                       kind, family)
        for key in (name, *aliases):
            k = _key(key)
            if k in _ALIASES:
                raise ValueError(f"duplicate catalog name {key!r}")
            _ALIASES[k] = name
        _DEFS[name] = d
        return build
    return register


def lookup(name) -> Definition:
    """The definition registered under ``name`` or one of its aliases."""
    _load()
    if not isinstance(name, str):
        raise UnknownNameError(f"an activation name must be a string, got {name!r}")
    k = _key(name)
    if k in _ALIASES:
        return _DEFS[_ALIASES[k]]
    hint = closest(k, list(_ALIASES))
    hint = list(dict.fromkeys(_ALIASES[h] for h in hint))
    msg = f"unknown activation {name!r}"
    if hint:
        msg += f"; did you mean {' or '.join(hint)}?"
    else:
        msg += "; `symacts list` shows the catalog"
    raise UnknownNameError(msg)


def get(name, **params) -> Activation:
    """The activation ``name`` with its parameters (defaults for those not given).

    Values are checked against the parameter's domain; a SymPy symbol keeps the
    parameter symbolic.

    >>> get("leaky_relu", a=0.2).expr
    Max(0, x) + Min(0, x)/5
    >>> get("softplus", beta=-1)
    Traceback (most recent call last):
    ...
    symacts.errors.DomainError: softplus: beta=-1 is outside its domain beta > 0
    """
    d = lookup(name)
    values = {p.name: p.default for p in d.params}
    for k, v in params.items():
        values[d.param(k).name] = d.param(k).check(v, d.name)
    return Activation(d, values)


def names(kind=None):
    """The canonical names of the catalog, in catalog order.

    >>> "gelu" in names() and "softmax" in names("vector")
    True
    """
    _load()
    return [n for n, d in _DEFS.items() if kind is None or d.kind == kind]


def definitions():
    """Every catalog definition, in catalog order."""
    _load()
    return list(_DEFS.values())


def _load():
    # both, always: importing one module directly (scalar's SELU constants)
    # must not leave the other unregistered; a repeated import is a dict lookup
    from . import scalar, vector  # noqa: F401  (registers on import)
