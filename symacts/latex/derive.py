"""``derive(name, order)``: a checked, step-by-step derivation of a derivative.

A :class:`Derivation` holds sections; each section has prose, an optional
rule tree (:class:`~symacts.latex.steps.Step`) and chains of equalities
(:class:`Chain`), every line of which was checked equal to the line before
it. A step that does not check raises :class:`StepError`: such a derivation
is never returned, so never printed.

>>> from symacts.latex import derive
>>> d = derive("sigmoid")
>>> [str(e) for e in d.sections[-1].chains[0].exprs()]
['exp(-x)/(1 + exp(-x))**2', '(1 - sigmoid(x))*sigmoid(x)']
>>> d.result
(1 - sigmoid(x))*sigmoid(x)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy
from sympy import DiracDelta, Heaviside, S, sign

from ..catalog import Activation, X, get
from ..errors import InputError
from ._check import Check, StepError, checker
from .simplify import textbook_chain
from .steps import Step, check_tree, diff_steps

__all__ = ["Line", "Chain", "Section", "Derivation", "derive", "make_chain"]


@dataclass(frozen=True)
class Line:
    """One line of a chain: ``expr``, equal to the previous line because of ``reason``."""

    expr: sympy.Basic
    reason: str = ""
    check: Check | None = None


@dataclass(frozen=True)
class Chain:
    """``lhs = lines[0] = lines[1] = ...``, each line checked against the one before.

    ``lhs`` is LaTeX (and ``lhs_text`` plain text); ``where`` a condition on
    the variable under which the chain holds (None: every real value).
    """

    lhs: str
    lhs_text: str
    lines: tuple
    var: sympy.Symbol
    where: sympy.Basic | None = None

    def exprs(self):
        return [ln.expr for ln in self.lines]

    @property
    def statuses(self):
        return [ln.check.status for ln in self.lines if ln.check is not None]


@dataclass(frozen=True)
class Section:
    """A heading, prose, an optional rule tree, and checked chains."""

    heading: str
    prose: str = ""
    tree: Step | None = None
    chains: tuple = ()
    facts: tuple = ()  # (LaTeX statement, plain text, Check) for claims about numbers


@dataclass
class Derivation:
    """A checked derivation: title, sections and the final expression.

    Print it with :mod:`symacts.latex.printers` (``str(d)`` is the text form;
    in Jupyter it renders as math).
    """

    title: str
    sections: list
    result: sympy.Basic = None
    subject: str = ""
    var: sympy.Symbol = X
    meta: dict = field(default_factory=dict)

    def __str__(self):
        from .printers import to_text
        return to_text(self)

    def _repr_latex_(self):
        from .printers import to_latex
        return to_latex(self, notebook=True)

    def _repr_markdown_(self):
        from .printers import to_markdown
        return to_markdown(self)

    def checks(self):
        """Every check made (tree nodes, chain lines, facts)."""
        out = []
        for s in self.sections:
            if s.tree is not None:
                out += [st.check for st in s.tree.walk()]
            for c in s.chains:
                out += [ln.check for ln in c.lines if ln.check is not None]
            out += [f[2] for f in s.facts]
        return out


def make_chain(lhs, lhs_text, items, var, where=None, timeout=5):
    """A :class:`Chain` from ``[(expr, reason), ...]``, every consecutive pair checked.

    Repeated lines are dropped; a pair that does not check raises StepError.

    >>> from sympy import Symbol, tanh, sech
    >>> x = Symbol('x', real=True)
    >>> c = make_chain("f", "f", [(sech(x)**2, ""), (1 - tanh(x)**2, "")], x)
    >>> c.statuses
    ['proved']
    """
    equal = checker()
    lines = []
    for expr, reason in items:
        expr = sympy.sympify(expr)
        if lines and expr == lines[-1].expr:
            continue
        chk = None
        if lines:
            chk = equal(lines[-1].expr, expr, var, where=where, timeout=timeout)
            if not chk.ok:
                raise StepError(f"step does not check ({chk.status}: {chk.detail}): "
                                f"{lines[-1].expr} = {expr}")
        lines.append(Line(expr, reason, chk))
    return Chain(lhs, lhs_text, tuple(lines), var, where)


def _resolve(name_or_expr, params, general):
    if isinstance(name_or_expr, str):
        act = get(name_or_expr, **params)
    elif isinstance(name_or_expr, Activation):
        act = name_or_expr
    else:
        expr = sympy.sympify(name_or_expr)
        free = sorted(expr.free_symbols, key=str)
        var = X if X in free or not free else free[0]
        if not free and not expr.is_number:
            raise InputError(f"cannot derive {expr!r}")
        return "f", expr, var, None
    if not act.is_scalar:
        raise InputError(f"{act.name} is a vector activation; derive takes scalar ones "
                         f"(its Jacobian is `symacts show {act.name}`)")
    expr = act.general() if general and not params else act.expr
    return act.name, expr, act.variable, act


def _textbook(expr, var, fallback):
    """SymPy's derivative, in textbook functions; ``fallback`` where it uses distributions."""
    d = sympy.diff(expr, var)
    if d.has(Heaviside, DiracDelta, sign) or d.has(sympy.Derivative):
        return fallback
    return sympy.piecewise_fold(d) if d.has(sympy.Piecewise) else d


def _break_points(tree, var):
    """The break points of every piecewise node of a rule tree."""
    from .steps import _boundaries
    pts = []
    for st in tree.walk():
        if st.rule == "piecewise" and st.var == var:
            pts += [b for b in _boundaries(st.expr, var) if b not in pts]
    return pts


def _prime(name, k, latex=True):
    if latex:
        base = r"\operatorname{%s}" % name.replace("_", r"\_") if len(name) > 1 else name
        marks = "'" * k if k <= 3 else "^{(%d)}" % k
        return f"{base}{marks}(x)"
    return f"{name}{chr(39) * k if k <= 3 else f'^({k})'}(x)"


def derive(name_or_expr, order=1, general=True, timeout=5, **params):
    """Derive the ``order``-th derivative of an activation (or expression), rule by rule.

    With ``general`` (default) parameters stay symbols (softplus_β′ = σ(βx));
    parameters given as keywords are substituted first.

    >>> derive("softplus").result
    sigmoid(beta*x)
    >>> derive("tanh").result
    1 - tanh(x)**2
    """
    if order is None or int(order) != order or order < 1:
        raise InputError(f"derivative order must be a positive integer, got {order}")
    name, expr, var, act = _resolve(name_or_expr, params, general)
    sections = []
    if act is not None:
        from .steps import definition_of
        body = definition_of(expr, var)
        if body is not None:  # the activation is a textbook function: show its definition
            defn = make_chain(sympy.latex(expr), sympy.sstr(expr),
                              [(body, r"\text{definition}")], var)
        else:
            defn = make_chain(_prime(name, 0), _prime(name, 0, latex=False), [(expr, "")], var)
        sections.append(Section("Definition", "", chains=(defn,)))
    cur = expr
    for k in range(1, int(order) + 1):
        tree = diff_steps(cur, var, open_definition=(k == 1))
        tree = check_tree(tree, timeout=timeout)
        target = _textbook(cur, var, fallback=None)
        items = textbook_chain(tree.result, target, var, factor=k >= 2)
        lhs = _prime(name, k)
        breaks = _break_points(tree, var)
        where = sympy.And(*[sympy.Ne(var, b) for b in breaks]) if breaks else None
        chain = make_chain(lhs, _prime(name, k, latex=False), items, var, where=where,
                           timeout=timeout)
        what = "derivative" if k == 1 else f"derivative of order {k}"
        prose = (f"The {what}, rule by rule, of " +
                 ("the definition" if tree.rule == "definition" and k == 1 else
                  f"{_prime(name, k - 1, latex=False) if k > 1 else name + '(x)'}") + ".")
        sections.append(Section(f"Order {k}: the rules", prose, tree=tree))
        notes = [st.note for st in tree.walk() if st.note]
        prose = "From the raw result of the rules to the textbook form."
        if breaks:
            prose += (" These equalities hold off the break points " +
                      ", ".join(f"{var} = {b}" for b in breaks) + "; " +
                      "; ".join(notes) + ".")
        sections.append(Section(f"Order {k}: to the textbook form", prose,
                                chains=(chain,)))
        cur = chain.lines[-1].expr
    title = f"Derivative of {name}" if order == 1 else f"Derivatives of {name} up to order {order}"
    return Derivation(title, sections, cur, subject=name, var=var,
                      meta={"order": int(order), "expr": expr})
