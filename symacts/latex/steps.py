"""Differentiation, step by step: a tree of named rules, separate from printing.

Like SymPy Gamma's ``diffsteps``: :func:`diff_steps` returns a :class:`Step`
whose ``rule`` names the rule applied to ``expr`` (sum, constant factor,
product, quotient, reciprocal, power, chain, exp, log, erf, σ, Φ, ...),
whose ``result`` is the derivative that rule produces from the results of
its ``substeps``, computed here, not by ``sympy.diff``; :func:`check_tree`
then checks every node against ``sympy.diff`` with the equality checker.

>>> from sympy import Symbol
>>> from symacts.functions import Phi
>>> x = Symbol('x', real=True)
>>> s = diff_steps(x * Phi(x), x)
>>> s.rule, [t.rule for t in s.substeps], s.result
('product', ['variable', 'Phi'], x*phi(x) + Phi(x))
>>> diff_steps(sigmoid(x), x, open_definition=True).substeps[0].rule
'reciprocal'
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy
from sympy import (Abs, Add, Dummy, Heaviside, Max, Min, Mul, Piecewise, Pow, S,
                   Symbol, cos, cosh, erf, erfc, exp, log, pi, sign, sin, sinh,
                   sqrt, tanh, atan)

from ..functions import Phi, logit, phi, sigmoid, softplus
from ._check import Check, StepError, checker

__all__ = ["Step", "diff_steps", "check_tree", "LAWS", "definition_of"]

#: The rule each step applies, in LaTeX (primes on f, g, u; c a constant).
LAWS = {
    "constant": r"\frac{d}{dx}\, c = 0",
    "variable": r"\frac{d}{dx}\, x = 1",
    "sum": r"(f + g)' = f' + g'",
    "constant factor": r"(c f)' = c f'",
    "product": r"(f g)' = f' g + f g'",
    "quotient": r"\left(\frac{f}{g}\right)' = \frac{f' g - f g'}{g^{2}}",
    "reciprocal": r"\left(\frac{1}{g}\right)' = -\frac{g'}{g^{2}}",
    "power": r"\left(u^{n}\right)' = n u^{n-1}",
    "exponential power": r"\left(a^{u}\right)' = a^{u} \ln a",
    "chain": r"\bigl(f(u)\bigr)' = f'(u)\, u'",
    "exp": r"\left(e^{u}\right)' = e^{u}",
    "log": r"(\ln u)' = \frac{1}{u}",
    "erf": r"\operatorname{erf}'(u) = \frac{2}{\sqrt{\pi}} e^{-u^{2}}",
    "erfc": r"\operatorname{erfc}'(u) = -\frac{2}{\sqrt{\pi}} e^{-u^{2}}",
    "sigmoid": r"\sigma'(u) = \sigma(u)\bigl(1 - \sigma(u)\bigr)",
    "softplus": r"\operatorname{softplus}_{\beta}'(u) = \sigma(\beta u)",
    "Phi": r"\Phi'(u) = \phi(u)",
    "phi": r"\phi'(u) = -u\, \phi(u)",
    "logit": r"\operatorname{logit}'(p) = \frac{1}{p(1 - p)}",
    "tanh": r"\tanh'(u) = 1 - \tanh^{2}(u)",
    "sinh": r"\sinh'(u) = \cosh(u)",
    "cosh": r"\cosh'(u) = \sinh(u)",
    "sin": r"\sin'(u) = \cos(u)",
    "cos": r"\cos'(u) = -\sin(u)",
    "atan": r"\arctan'(u) = \frac{1}{1 + u^{2}}",
    "piecewise": r"\text{branch by branch, on the open pieces}",
    "definition": r"\text{write the function by its definition}",
    "rewrite": r"\text{rewrite as a piecewise expression}",
}

#: The outer derivative of each one-argument function, as f'(u).
_OUTER = {
    exp: ("exp", lambda u: exp(u)),
    log: ("log", lambda u: 1 / u),
    erf: ("erf", lambda u: 2 / sqrt(pi) * exp(-u**2)),
    erfc: ("erfc", lambda u: -2 / sqrt(pi) * exp(-u**2)),
    sigmoid: ("sigmoid", lambda u: sigmoid(u) * (1 - sigmoid(u))),
    Phi: ("Phi", lambda u: phi(u)),
    phi: ("phi", lambda u: -u * phi(u)),
    logit: ("logit", lambda u: 1 / (u * (1 - u))),
    tanh: ("tanh", lambda u: 1 - tanh(u)**2),
    sinh: ("sinh", lambda u: cosh(u)),
    cosh: ("cosh", lambda u: sinh(u)),
    sin: ("sin", lambda u: cos(u)),
    cos: ("cos", lambda u: -sin(u)),
    atan: ("atan", lambda u: 1 / (1 + u**2)),
}


@dataclass(frozen=True)
class Step:
    """One rule applied: d/d``var`` of ``expr`` is ``result``, from ``substeps``.

    ``inner`` is the inner function u of a chain rule (its outer step is in
    the variable ``u``); ``rewritten`` is the new form after a definition or
    rewrite step; ``note`` says what holds at break points.
    """

    rule: str
    expr: sympy.Expr
    var: Symbol
    result: sympy.Expr
    substeps: tuple = ()
    inner: sympy.Expr | None = None
    rewritten: sympy.Expr | None = None
    note: str = ""
    check: Check | None = field(default=None, compare=False)

    @property
    def law(self):
        return LAWS.get(self.rule, "")

    def walk(self):
        """This step and all its substeps, depth first."""
        yield self
        for s in self.substeps:
            yield from s.walk()


def definition_of(expr, var):
    """The definition of a textbook function applied at the top, or None.

    >>> x = Symbol('x', real=True)
    >>> definition_of(tanh(x), x)
    sinh(x)/cosh(x)
    """
    if isinstance(expr, sigmoid):
        u = expr.args[0]
        return 1 / (1 + exp(-u))
    if isinstance(expr, softplus):
        u, b = expr.args[0], expr.beta
        return log(1 + exp(b * u)) / b
    if isinstance(expr, Phi):
        u = expr.args[0]
        return (1 + erf(u / sqrt(2))) / 2
    if isinstance(expr, phi):
        u = expr.args[0]
        return exp(-u**2 / 2) / sqrt(2 * pi)
    if isinstance(expr, tanh):
        u = expr.args[0]
        return sinh(u) / cosh(u)
    return None


def _needs_piecewise(expr):
    return expr.has(Abs, Max, Min, Heaviside, sign)


def diff_steps(expr, var, open_definition=False):
    """The rule tree of d/d``var`` ``expr``.

    With ``open_definition`` a textbook function at the top (σ, softplus,
    Φ, φ, tanh) is first written by its definition, and differentiated from
    there: the derivation of the textbook rule itself.
    """
    expr = sympy.sympify(expr)
    if open_definition:
        body = definition_of(expr, var)
        if body is not None:
            sub = diff_steps(body, var)
            return Step("definition", expr, var, sub.result, (sub,), rewritten=body)
    if not expr.has(var):
        return Step("constant", expr, var, S.Zero)
    if expr == var:
        return Step("variable", expr, var, S.One)
    if _needs_piecewise(expr):
        body = sympy.piecewise_fold(expr.rewrite(Piecewise))
        body = _tidy_piecewise(body)
        if body != expr and not _needs_piecewise(body):
            sub = diff_steps(body, var)
            return Step("rewrite", expr, var, sub.result, (sub,), rewritten=body)
    if isinstance(expr, Piecewise):
        return _piecewise(expr, var)
    if isinstance(expr, Add):
        subs = tuple(diff_steps(a, var) for a in expr.args)
        return Step("sum", expr, var, Add(*[s.result for s in subs]), subs)
    if isinstance(expr, Mul):
        return _mul(expr, var)
    if isinstance(expr, Pow):
        return _pow(expr, var)
    if isinstance(expr, softplus):
        u, b = expr.args[0], expr.beta
        if b.has(var):
            raise StepError(f"no rule for softplus with a sharpness depending on {var}")
        return _chain(expr, var, u, "softplus", lambda t: sigmoid(b * t),
                      lambda t: softplus(t, b) if len(expr.args) > 1 else softplus(t))
    if expr.func in _OUTER and len(expr.args) == 1:
        name, outer = _OUTER[expr.func]
        return _chain(expr, var, expr.args[0], name, outer, expr.func)
    raise StepError(f"no differentiation rule for {expr.func.__name__} in {expr}")


def _chain(expr, var, u, name, outer, func):
    """f(u): the rule for f at u = var, or the chain rule around it."""
    if u == var:
        return Step(name, expr, var, outer(var))
    t = Dummy("u", real=True)
    outer_step = Step(name, func(t), t, outer(t))
    inner_step = diff_steps(u, var)
    return Step("chain", expr, var, outer(u) * inner_step.result,
                (outer_step, inner_step), inner=u)


def _mul(expr, var):
    const, rest = expr.as_independent(var, as_Add=False)
    if const != 1:
        sub = diff_steps(rest, var)
        return Step("constant factor", expr, var, const * sub.result, (sub,))
    num, den = [], []
    for f in expr.args:
        if f.is_Pow and f.exp.is_negative and f.exp.is_number:
            den.append(Pow(f.base, -f.exp))
        else:
            num.append(f)
    if den and num:
        f, g = Mul(*num), Mul(*den)
        fs, gs = diff_steps(f, var), diff_steps(g, var)
        return Step("quotient", expr, var, (fs.result * g - f * gs.result) / g**2,
                    (fs, gs))
    subs = tuple(diff_steps(f, var) for f in expr.args)
    terms = []
    for i, s in enumerate(subs):
        others = [f for j, f in enumerate(expr.args) if j != i]
        terms.append(Mul(s.result, *others))
    return Step("product", expr, var, Add(*terms), subs)


def _pow(expr, var):
    base, e = expr.args
    if not e.has(var):
        if e == -1:
            sub = diff_steps(base, var)
            return Step("reciprocal", expr, var, -sub.result / base**2, (sub,))
        if base == var:
            return Step("power", expr, var, e * var**(e - 1))
        t = Dummy("u", real=True)
        outer = Step("power", t**e, t, e * t**(e - 1))
        inner = diff_steps(base, var)
        return Step("chain", expr, var, e * base**(e - 1) * inner.result,
                    (outer, inner), inner=base)
    if not base.has(var):
        if e == var:
            return Step("exponential power", expr, var, expr * log(base))
        t = Dummy("u", real=True)
        outer = Step("exponential power", base**t, t, base**t * log(base))
        inner = diff_steps(e, var)
        return Step("chain", expr, var, expr * log(base) * inner.result,
                    (outer, inner), inner=e)
    body = exp(e * log(base))
    sub = diff_steps(body, var)
    return Step("definition", expr, var, sub.result, (sub,), rewritten=body)


def _tidy_piecewise(pw):
    """A piecewise expression with its conditions simplified (under a budget)."""
    from ._budget import within
    if not isinstance(pw, Piecewise):
        return pw
    tidy = within(lambda: sympy.piecewise_exclusive(
        sympy.functions.elementary.piecewise.piecewise_simplify(pw)), 3, default=None)
    return tidy if tidy is not None else pw


def _boundaries(pw, var):
    """The break points of a piecewise expression: where a condition flips."""
    pts = set()
    for _, c in pw.args:
        for rel in c.atoms(sympy.core.relational.Relational):
            sol = sympy.solve(rel.lhs - rel.rhs, var)
            pts.update(s for s in sol if s.is_real is not False)
    return sorted(pts, key=lambda p: (not p.is_number, sympy.default_sort_key(p)))


def _piecewise(expr, var):
    subs = tuple(diff_steps(e, var) for e, _ in expr.args)
    result = Piecewise(*[(s.result, c) for s, (_, c) in zip(subs, expr.args)])
    pts = _boundaries(expr, var)
    notes = []
    for b in pts:
        notes.append(_one_sided(expr, result, var, b))
    return Step("piecewise", expr, var, result, subs, note="; ".join(n for n in notes if n))


def _one_sided(f, df, var, b):
    """What happens at the break point ``b``: one-sided derivatives, if numeric."""
    if not b.is_number:
        return f"at {var} = {b} the derivative exists only where the branches join smoothly"
    nums = [q for q in _boundaries(f, var) if q.is_number]
    gaps = [abs(p - q) for p in nums for q in nums if p != q]
    d = min(gaps) / 4 if gaps else S.Half
    vals = []
    for side in (-d, d):
        for e, c in df.args:
            if c.subs(var, b + side) is S.true:
                vals.append(sympy.nsimplify(e.subs(var, b)))
                break
        else:
            return ""
    cont = []
    for side in (-d, d):
        for e, c in f.args:
            if c.subs(var, b + side) is S.true:
                cont.append(e.subs(var, b))
                break
    jump = len(cont) == 2 and sympy.simplify(cont[0] - cont[1]) != 0
    if jump:
        return f"at {var} = {b} the function jumps, so it has no derivative there"
    left, right = vals
    if sympy.simplify(left - right) == 0:
        return f"at {var} = {b} both one-sided derivatives equal {left}"
    return f"at {var} = {b} the one-sided derivatives differ ({left} from the left, " \
           f"{right} from the right): no derivative there"


def check_tree(step, timeout=5):
    """Check every node: ``result`` equals ``sympy.diff(expr)``; rewrites keep the value.

    Returns the tree with each node's :class:`Check`; raises :class:`StepError`
    on a node that does not check.
    """
    equal = checker()
    subs = tuple(check_tree(s, timeout) for s in step.substeps)
    if step.rule in ("definition", "rewrite"):
        chk = equal(step.expr, step.rewritten, step.var, timeout=timeout)
        what = f"{step.expr} = {step.rewritten}"
    else:
        ref = sympy.diff(step.expr, step.var)
        chk = equal(step.result, ref, step.var, timeout=timeout)
        what = f"d/d{step.var} {step.expr} = {step.result}"
    if not chk.ok:
        raise StepError(f"the {step.rule} step does not check ({chk.status}: "
                        f"{chk.detail}): {what}")
    return Step(step.rule, step.expr, step.var, step.result, subs, step.inner,
                step.rewritten, step.note, chk)
