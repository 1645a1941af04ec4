"""Claims as formulas: relations between SymPy expressions joined by
``and``/``or``/``not``, with the variables' domains.

SymPy is never asked to decide a relation here: a :class:`Rel` only holds
its two sides, and the provers decide it.

>>> from sympy import Symbol, Interval, oo
>>> x = Symbol('x', real=True)
>>> f = And((Rel('<', 0, x), Rel('<=', x, 1)))
>>> print(f)
0 < x and x <= 1
>>> sorted(map(str, symbols_of(f)))
['x']
>>> print(negate(f))
0 >= x or x > 1
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy
from sympy import Interval, S

__all__ = ["Rel", "And", "Or", "Not", "Iff", "Statement", "OPS", "FLIP",
           "symbols_of", "map_exprs", "negate", "atoms", "is_closed"]

#: the relation symbols, and the relation that holds when one fails
OPS = ("<", "<=", ">", ">=", "==", "!=")
FLIP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


@dataclass(frozen=True)
class Rel:
    """``lhs op rhs`` with op in :data:`OPS`."""

    op: str
    lhs: object
    rhs: object

    def __post_init__(self):
        object.__setattr__(self, "lhs", sympy.sympify(self.lhs))
        object.__setattr__(self, "rhs", sympy.sympify(self.rhs))

    def __str__(self):
        return f"{sympy.sstr(self.lhs)} {self.op} {sympy.sstr(self.rhs)}"

    def latex(self):
        sym = {"<": "<", "<=": r"\le", ">": ">", ">=": r"\ge", "==": "=",
               "!=": r"\ne"}[self.op]
        return f"{sympy.latex(self.lhs)} {sym} {sympy.latex(self.rhs)}"


@dataclass(frozen=True)
class And:
    args: tuple

    def __str__(self):
        return " and ".join(_paren(a) for a in self.args)

    def latex(self):
        return r" \wedge ".join(_lparen(a) for a in self.args)


@dataclass(frozen=True)
class Or:
    args: tuple

    def __str__(self):
        return " or ".join(_paren(a) for a in self.args)

    def latex(self):
        return r" \vee ".join(_lparen(a) for a in self.args)


@dataclass(frozen=True)
class Not:
    arg: object

    def __str__(self):
        return f"not {_paren(self.arg)}"

    def latex(self):
        return rf"\neg {_lparen(self.arg)}"


@dataclass(frozen=True)
class Iff:
    """``a == b`` between two formulas (``a != b`` is ``Not(Iff(a, b))``)."""

    a: object
    b: object

    def __str__(self):
        return f"({self.a}) == ({self.b})"

    def latex(self):
        return rf"\left({self.a.latex()}\right) \Leftrightarrow \left({self.b.latex()}\right)"


def _paren(f):
    return f"({f})" if isinstance(f, (And, Or, Iff)) else str(f)


def _lparen(f):
    return rf"\left({f.latex()}\right)" if isinstance(f, (And, Or, Iff)) else f.latex()


def atoms(f):
    """Every :class:`Rel` in the formula ``f``."""
    if isinstance(f, Rel):
        return [f]
    if isinstance(f, (And, Or)):
        return [r for a in f.args for r in atoms(a)]
    if isinstance(f, Not):
        return atoms(f.arg)
    if isinstance(f, Iff):
        return atoms(f.a) + atoms(f.b)
    raise TypeError(f"not a formula: {f!r}")


def map_exprs(f, fn):
    """The formula with ``fn`` applied to every side of every relation."""
    if isinstance(f, Rel):
        return Rel(f.op, fn(f.lhs), fn(f.rhs))
    if isinstance(f, And):
        return And(tuple(map_exprs(a, fn) for a in f.args))
    if isinstance(f, Or):
        return Or(tuple(map_exprs(a, fn) for a in f.args))
    if isinstance(f, Not):
        return Not(map_exprs(f.arg, fn))
    if isinstance(f, Iff):
        return Iff(map_exprs(f.a, fn), map_exprs(f.b, fn))
    raise TypeError(f"not a formula: {f!r}")


def symbols_of(f):
    """The free symbols of every relation in ``f``."""
    out = set()
    for r in atoms(f):
        out |= r.lhs.free_symbols | r.rhs.free_symbols
    return out


def is_closed(f):
    """True when ``f`` has no variables (its truth is one number check)."""
    return not symbols_of(f)


def negate(f):
    """The negation of ``f`` pushed down to the relations (over the reals)."""
    if isinstance(f, Rel):
        return Rel(FLIP[f.op], f.lhs, f.rhs)
    if isinstance(f, And):
        return Or(tuple(negate(a) for a in f.args))
    if isinstance(f, Or):
        return And(tuple(negate(a) for a in f.args))
    if isinstance(f, Not):
        return f.arg
    if isinstance(f, Iff):
        return Not(f)
    raise TypeError(f"not a formula: {f!r}")


@dataclass
class Statement:
    """A parsed claim: its ``formula``, the ``where`` restriction (a formula or
    None), and ``domains`` (Symbol -> SymPy Interval) for every variable.

    ``text`` is the claim as written; ``variables`` are sorted by name.
    """

    text: str
    formula: object
    where: object = None
    domains: dict = field(default_factory=dict)
    #: (condition, text) for each part SymPy simplified away as the claim was
    #: read (x/x -> 1): the claim is undefined where a condition fails
    lost: tuple = ()

    @property
    def variables(self):
        syms = symbols_of(self.formula)
        if self.where is not None:
            syms |= symbols_of(self.where)
        # certified constants (Dummy placeholders) are values, not variables
        return sorted((s for s in syms if not isinstance(s, sympy.Dummy)),
                      key=lambda s: s.name)

    def domain(self, var):
        return self.domains.get(var, S.Reals)

    def domain_text(self):
        """``x real; 0 < p < 1`` style text of the domains."""
        from ..catalog.core import domain_text
        parts = [domain_text(v.name, self.domain(v)) for v in self.variables]
        text = "; ".join(parts)
        if self.where is not None:
            text += f"; where {self.where}"
        return text


def interval_of(op, value, var_on_left=True):
    """The set of ``v`` with ``v op value`` (or ``value op v``) as an Interval.

    >>> interval_of('<', 1)
    Interval.open(-oo, 1)
    >>> interval_of('<', 0, var_on_left=False)
    Interval.open(0, oo)
    """
    if not var_on_left:
        op = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}[op]
    if op == "<":
        return Interval.open(S.NegativeInfinity, value)
    if op == "<=":
        return Interval(S.NegativeInfinity, value)
    if op == ">":
        return Interval.open(value, S.Infinity)
    if op == ">=":
        return Interval(value, S.Infinity)
    if op == "==":
        return sympy.FiniteSet(value)
    return None
