"""The catalog's data model: a parameter with its domain, a literature source,
and :class:`Activation`, one activation with concrete (or symbolic) parameters.

>>> from symacts import get
>>> sp = get("softplus", beta=2)
>>> sp
Activation('softplus', beta=2)
>>> sp.expr
softplus(x, 2)
>>> sp.diff()
sigmoid(2*x)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy
from sympy import Basic, Interval, Matrix, S, Symbol

from ..errors import DomainError, UnknownNameError, closest
from .values import to_exact

__all__ = ["Param", "Source", "Definition", "Activation", "X", "domain_text"]

#: The real variable every scalar activation is written in.
X = Symbol("x", real=True)


def domain_text(name, domain):
    """Readable domain of a parameter: ``beta > 0``, ``0 <= a < 1``.

    >>> from sympy import Interval, oo, S
    >>> domain_text("beta", Interval.open(0, oo))
    'beta > 0'
    >>> domain_text("a", Interval.Ropen(0, 1))
    '0 <= a < 1'
    >>> domain_text("n", S.Naturals)
    'n a positive integer'
    """
    if domain is S.Reals:
        return f"{name} real"
    if domain is S.Naturals:
        return f"{name} a positive integer"
    if isinstance(domain, Interval):
        lo, hi = domain.start, domain.end
        left = "" if lo is S.NegativeInfinity else \
            f"{lo} {'<' if domain.left_open else '<='} "
        right = "" if hi is S.Infinity else \
            f" {'<' if domain.right_open else '<='} {hi}"
        if left and not right:
            return f"{name} {'>' if domain.left_open else '>='} {lo}"
        return f"{left}{name}{right}"
    return f"{name} in {domain}"


_ASSUMPTIONS = {
    "positive": dict(positive=True),
    "nonnegative": dict(nonnegative=True),
    "real": dict(real=True),
    "integer": dict(integer=True, positive=True),
}


@dataclass(frozen=True)
class Param:
    """A parameter of an activation: name, exact default, domain, one-line doc."""

    name: str
    default: Basic
    domain: sympy.Set = S.Reals
    doc: str = ""

    @property
    def symbol(self):
        """The SymPy symbol, with assumptions that follow from the domain."""
        d = self.domain
        if d is S.Naturals:
            kind = "integer"
        elif isinstance(d, Interval) and d.start == 0 and d.left_open:
            kind = "positive"
        elif isinstance(d, Interval) and d.start == 0:
            kind = "nonnegative"
        elif isinstance(d, Interval) and d.start.is_positive:
            kind = "positive"
        else:
            kind = "real"
        return Symbol(self.name, **_ASSUMPTIONS[kind])

    @property
    def domain_text(self):
        return domain_text(self.name, self.domain)

    def check(self, value, owner):
        """Return ``value`` as an exact SymPy number, or raise DomainError."""
        val = to_exact(value)
        if isinstance(val, Symbol):
            return val
        if not val.is_number:
            return val  # a symbolic expression: the caller takes responsibility
        inside = self.domain.contains(val)
        if inside is not S.true:
            raise DomainError(f"{owner}: {self.name}={val} is outside its domain "
                              f"{self.domain_text}")
        return val


@dataclass(frozen=True)
class Source:
    """Where an activation comes from: authors, year, title."""

    authors: str
    year: int
    title: str

    def __str__(self):
        return f"{self.authors} ({self.year}), {self.title}"


@dataclass(frozen=True)
class Definition:
    """A catalog entry: the recipe that builds an activation's expression."""

    name: str
    build: Callable
    params: tuple = ()
    aliases: tuple = ()
    source: Source | None = None
    note: str = ""
    kind: str = "scalar"  # "scalar" or "vector"
    family: str = ""

    def param(self, name):
        for p in self.params:
            if p.name == name:
                return p
        raise UnknownNameError(self._unknown_param(name))

    def _unknown_param(self, name):
        names = [p.name for p in self.params]
        if not names:
            return f"{self.name} has no parameters (got {name!r})"
        hint = closest(name, names)
        msg = f"{self.name} has no parameter {name!r}"
        if hint:
            msg += f"; did you mean {' or '.join(hint)}?"
        return msg + f" (parameters: {', '.join(names)})"


class Activation:
    """One activation with its parameter values: a view of a SymPy expression.

    Build it with :func:`symacts.get`. Parameter values are exact SymPy numbers
    (or symbols, for a symbolic family).

    >>> from symacts import get
    >>> from sympy import Symbol
    >>> g = get("gelu")
    >>> g.expr, g.diff()
    (x*Phi(x), x*phi(x) + Phi(x))
    >>> g(Symbol('y'))
    y*Phi(y)
    >>> get("softplus", beta=Symbol("beta")).expr
    softplus(x, beta)
    """

    def __init__(self, definition: Definition, values: dict):
        self.definition = definition
        self.values = dict(values)
        # structural (integer) parameters such as a dimension stay concrete
        self._general_args = [self.values[p.name] if p.domain is S.Naturals
                              else p.symbol for p in definition.params]
        built = definition.build(*self._concrete_args())
        if definition.kind == "vector":
            self.variables, self.expr = built
            self.variable = None
        else:
            self.variable, self.variables, self.expr = X, (X,), built

    def _concrete_args(self):
        return [self.values[p.name] for p in self.definition.params]

    # -- identity ---------------------------------------------------------
    @property
    def name(self):
        return self.definition.name

    @property
    def aliases(self):
        return self.definition.aliases

    @property
    def params(self):
        return self.definition.params

    @property
    def source(self):
        return self.definition.source

    @property
    def note(self):
        return self.definition.note

    @property
    def kind(self):
        return self.definition.kind

    @property
    def is_scalar(self):
        return self.definition.kind == "scalar"

    def __repr__(self):
        vals = "".join(f", {k}={v}" for k, v in self.values.items()
                       if not self._is_default(k))
        return f"Activation({self.name!r}{vals})"

    def _is_default(self, name):
        return self.values[name] == self.definition.param(name).default

    def __eq__(self, other):
        return isinstance(other, Activation) and self.name == other.name \
            and self.values == other.values

    def __hash__(self):
        return hash((self.name, tuple(sorted((k, v) for k, v in self.values.items()))))

    # -- symbolic views ---------------------------------------------------
    def general(self):
        """The expression with every parameter left as its symbol.

        >>> from symacts import get
        >>> get("elu").general()
        Piecewise((x, x > 0), (alpha*(exp(x) - 1), True))
        """
        built = self.definition.build(*self._general_args)
        return built[1] if self.kind == "vector" else built

    def with_params(self, **params):
        """A copy with some parameters changed (checked against their domains)."""
        vals = dict(self.values)
        for k, v in params.items():
            vals[k] = self.definition.param(k).check(v, self.name)
        return Activation(self.definition, vals)

    def __call__(self, *args):
        """Apply the activation to SymPy expressions (one per input variable)."""
        if len(args) == 1 and self.kind == "vector" and not isinstance(args[0], Basic):
            args = tuple(args[0])
        if len(args) != len(self.variables):
            raise ValueError(f"{self.name} takes {len(self.variables)} input(s), "
                             f"got {len(args)}")
        if any(isinstance(a, str) for a in args):  # never parse a string
            raise TypeError(f"{self.name} takes SymPy expressions or numbers, not strings "
                            "(build the expression with sympy.Symbol, or use symacts.verify "
                            "for claims written as text)")
        subs = {v: sympy.sympify(a, strict=True) for v, a in zip(self.variables, args)}
        return self.expr.xreplace(subs) if len(subs) == 1 else self.expr.subs(subs, simultaneous=True)

    def diff(self, n=1):
        """The n-th derivative (scalar) or the Jacobian (vector, n = 1).

        >>> from symacts import get
        >>> get("tanh").diff(2)
        2*(tanh(x)**2 - 1)*tanh(x)
        """
        if n < 0 or int(n) != n:
            raise ValueError(f"derivative order must be a non-negative integer, got {n}")
        if self.kind == "vector":
            if n == 0:
                return self.expr
            if n != 1:
                raise ValueError("vector activations give the Jacobian (n = 1) only")
            return self.expr.jacobian(Matrix(self.variables))
        return sympy.diff(self.expr, self.variable, int(n)) if n else self.expr

    def latex(self, expr=None):
        """LaTeX of the expression (or of ``expr``)."""
        return sympy.latex(self.expr if expr is None else expr)

    def _repr_latex_(self):
        return f"$\\operatorname{{{self.name}}}(x) = {self.latex()}$" if self.is_scalar \
            else f"$\\operatorname{{{self.name}}} = {self.latex()}$"

    def describe(self):
        """A dict of what the catalog knows (used by ``symacts list/show --json``)."""
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "kind": self.kind,
            "family": self.definition.family,
            "params": [{"name": p.name, "value": str(self.values[p.name]),
                        "default": str(p.default), "domain": p.domain_text,
                        "doc": p.doc} for p in self.params],
            "variables": [str(v) for v in self.variables],
            "source": str(self.source) if self.source else None,
            "note": self.note,
        }
