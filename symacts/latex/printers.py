"""Print a :class:`~symacts.latex.derive.Derivation` as text, LaTeX or markdown.

Deriving and printing are separate: the printers only walk the checked
sections. LaTeX uses amsmath ``align*``; with ``macros=True`` the textbook
functions print as ``\\sigmoid``, ``\\Ncdf``, ``\\Npdf`` (defined by
:mod:`.document`); markdown uses ``$$`` blocks with plain commands, which
GitHub renders.

>>> from symacts.latex import derive
>>> print(to_text(derive("softplus")).splitlines()[0])
Derivative of softplus
>>> "\\\\begin{align*}" in to_latex(derive("tanh"))
True
"""
from __future__ import annotations

import re

import sympy
from sympy import Dummy, Symbol

__all__ = ["expr_latex", "expr_text", "to_text", "to_latex", "to_markdown", "tree_rows",
           "RULE_NAMES"]

#: How each rule is named in prose.
RULE_NAMES = {
    "constant": "constant", "variable": "identity", "sum": "sum rule",
    "constant factor": "constant factor", "product": "product rule",
    "quotient": "quotient rule", "reciprocal": "reciprocal rule",
    "power": "power rule", "exponential power": "exponential rule",
    "chain": "chain rule", "exp": "exponential", "log": "logarithm",
    "erf": "error function", "erfc": "complementary error function",
    "sigmoid": "derivative of σ", "softplus": "derivative of softplus",
    "Phi": "derivative of Φ", "phi": "derivative of φ", "logit": "derivative of logit",
    "tanh": "derivative of tanh", "sinh": "derivative of sinh", "cosh": "derivative of cosh",
    "sin": "derivative of sin", "cos": "derivative of cos", "atan": "derivative of arctan",
    "piecewise": "branch by branch", "definition": "definition",
    "rewrite": "rewrite as a piecewise expression",
}

_MACROS = [(re.compile(r"\\sigma(?=\^\{|\\left\()"), r"\\sigmoid"),
           (re.compile(r"\\Phi(?=\^\{|\\left\()"), r"\\Ncdf"),
           (re.compile(r"\\phi(?=\^\{|\\left\()"), r"\\Npdf")]


def _plain(e):
    """Dummies (the u of a chain rule) as ordinary symbols."""
    if isinstance(e, sympy.Basic):
        return e.xreplace({d: Symbol(d.name) for d in e.atoms(Dummy)})
    return e


def expr_latex(e, macros=False):
    """LaTeX of an expression; ``macros`` uses the document's macros.

    >>> from sympy import Symbol
    >>> from symacts.functions import sigmoid
    >>> x = Symbol('x', real=True)
    >>> expr_latex(sigmoid(x)**2, macros=True)
    '\\\\sigmoid^{2}\\\\left(x\\\\right)'
    """
    s = sympy.latex(_plain(e))
    if macros:
        for pat, rep in _MACROS:
            s = pat.sub(rep, s)
    return s


def expr_text(e):
    """Plain text of an expression."""
    return sympy.sstr(_plain(e))


def tree_rows(step, depth=0):
    """The rule tree flattened, top down: ``(depth, step)`` pairs."""
    rows = [(depth, step)]
    for s in step.substeps:
        rows += tree_rows(s, depth + 1)
    return rows


_GREEK_TEX = {"σ": r"\sigma", "Φ": r"\Phi", "φ": r"\phi"}


def _tex_name(name):
    """A rule name for ``\\text{}``: Greek letters go back to math mode."""
    out = r"\text{%s}" % name
    for g, t in _GREEK_TEX.items():
        out = out.replace(g, "}" + t + r"\text{")
    return out.replace(r"\text{}", "")


def where_text(where):
    """``x != 0, x != 3`` for a conjunction of exclusions (or the condition's text)."""
    parts = sympy.And.make_args(where)
    if all(isinstance(p, sympy.Ne) for p in parts):
        return ", ".join(f"{expr_text(p.lhs)} != {expr_text(p.rhs)}" for p in parts)
    return expr_text(where)


def _mark(check):
    if check is None or check.status == "proved":
        return ""
    return " [checked numerically]"


# -- text --------------------------------------------------------------------

def _tree_text(step):
    out = []
    for depth, st in tree_rows(step):
        pad = "  " * (depth + 1)
        v = expr_text(st.var)
        if st.rule in ("definition", "rewrite"):
            out.append(f"{pad}{expr_text(st.expr)} = {expr_text(st.rewritten)}   "
                       f"({RULE_NAMES[st.rule]}){_mark(st.check)}")
            continue
        extra = f", u = {expr_text(st.inner)}" if st.rule == "chain" else ""
        out.append(f"{pad}d/d{v} [{expr_text(st.expr)}] = {expr_text(st.result)}   "
                   f"({RULE_NAMES.get(st.rule, st.rule)}{extra}){_mark(st.check)}")
        if st.note:
            out.append(f"{pad}  note: {st.note}")
    return out


def _chain_text(c):
    out = []
    for i, ln in enumerate(c.lines):
        head = f"  {c.lhs_text} = " if i == 0 else " " * (len(c.lhs_text) + 3) + "= "
        why = f"   [{_untex(ln.reason)}]" if ln.reason else ""
        out.append(head + expr_text(ln.expr) + why + _mark(ln.check))
    if c.where is not None:
        out.append(f"  (for {where_text(c.where)})")
    return out


def _untex(s):
    s = s.replace("$", "").replace(r"\left", "").replace(r"\right", "")
    s = re.sub(r"\\tfrac(\d)(\d)", r"\1/\2", s)
    s = re.sub(r"\\le\b", "<=", s)
    s = re.sub(r"\\ge\b", ">=", s)
    s = re.sub(r"\\operatorname\{(\w+)\}", r"\1", s)
    for a, b in ((r"\sigma", "σ"), (r"\Phi", "Φ"), (r"\phi", "φ"), (r"\beta", "β"),
                 (r"\sqrt", "√"), (r"\pi", "π"), (r"\tfrac", ""), (r"\bigl", ""),
                 (r"\bigr", ""), (r"\ln", "ln"), (r"\tanh", "tanh"), (r"\cosh", "cosh"),
                 (r"\sinh", "sinh"), (r"\text", ""), (r"\le", "<="), (r"\ge", ">="),
                 (r"\infty", "∞"), (r"\to", "->"), (r"\pm", "±"), (r"\int", "∫"), (r"\,", " "), (r"\mathbb{E}", "E"),
                 (r"\lambda", "λ"), (r"\alpha", "α"), (r"\mu", "μ"), (r"\nu", "ν"),
                 (r"\frac", ""), (r"\cdot", "·"), (r"\iff", "<=>"), (r"\quad", " ")):
        s = s.replace(a, b)
    return s.replace("{", "").replace("}", "")


def to_text(d):
    """The derivation as plain text."""
    out = [d.title, "=" * len(d.title)]
    for s in d.sections:
        out += ["", s.heading]
        if s.prose:
            out.append("  " + _untex(s.prose))
        if s.tree is not None:
            out += _tree_text(s.tree)
        for c in s.chains:
            out += _chain_text(c)
        for stmt, text, chk in s.facts:
            out.append(f"  {text}   [{chk.status}]")
    return "\n".join(out)


# -- LaTeX -------------------------------------------------------------------

def _tree_latex(step, macros):
    rows = []
    for depth, st in tree_rows(step):
        pad = r"\quad " * depth
        v = expr_latex(st.var)
        name = RULE_NAMES.get(st.rule, st.rule)
        if st.rule in ("definition", "rewrite"):
            lhs = expr_latex(st.expr, macros)
            rhs = expr_latex(st.rewritten, macros)
            rows.append(rf"{pad}{lhs} &= {rhs} && {_tex_name(name)}")
            continue
        lhs = r"\frac{d}{d%s}\left[%s\right]" % (v, expr_latex(st.expr, macros))
        law = st.law if st.rule not in ("constant", "variable") else ""
        extra = r",\ u = %s" % expr_latex(st.inner, macros) if st.rule == "chain" else ""
        why = rf"{_tex_name(name)}{extra}" + (rf":\ {law}" if law and not law.startswith(r"\text") else "")
        rows.append(rf"{pad}{lhs} &= {expr_latex(st.result, macros)} && {why}"
                    + (r"\ \text{(numeric check)}" if _mark(st.check) else ""))
    return r"\begin{align*}" + "\n" + " \\\\\n".join(rows) + "\n" + r"\end{align*}"


def _chain_latex(c, macros):
    rows = []
    for i, ln in enumerate(c.lines):
        lhs = c.lhs if i == 0 else ""
        why = rf" && {ln.reason}" if ln.reason else ""
        mark = r"\ \text{(numeric check)}" if _mark(ln.check) else ""
        rows.append(rf"{lhs} &= {expr_latex(ln.expr, macros)}{why}{mark}")
    body = r"\begin{align*}" + "\n" + " \\\\\n".join(rows) + "\n" + r"\end{align*}"
    if c.where is not None:
        body += "\n" + rf"for ${expr_latex(c.where, macros)}$."
    return body


def _prose_latex(text):
    """Prose with its inline math: keep ``$...$`` and escape the rest."""
    parts = re.split(r"(\$[^$]*\$)", text)
    esc = []
    for p in parts:
        if p.startswith("$"):
            esc.append(p)
        else:
            p = p.replace("\\", r"\textbackslash{}")
            for a, b in (("_", r"\_"), ("%", r"\%"), ("&", r"\&"), ("#", r"\#")):
                p = p.replace(a, b)
            esc.append(p)
    return "".join(esc)


def to_latex(d, macros=False, notebook=False, level="section"):
    """The derivation as a LaTeX fragment (``align*`` blocks between headings).

    ``notebook`` gives what Jupyter renders (headings as bold text).
    """
    out = []
    if not notebook:
        out.append(rf"\{level}*{{{_prose_latex(d.title)}}}")
    else:
        out.append(rf"\textbf{{{_prose_latex(d.title)}}}")
    sub = "subsection" if level == "section" else "subsubsection"
    for s in d.sections:
        out.append(rf"\textit{{{_prose_latex(s.heading)}}}" if notebook
                   else rf"\{sub}*{{{_prose_latex(s.heading)}}}")
        if s.prose:
            out.append(_prose_latex(s.prose))
        if s.tree is not None:
            out.append(_tree_latex(s.tree, macros))
        for c in s.chains:
            out.append(_chain_latex(c, macros))
        for stmt, text, chk in s.facts:
            tag = "" if chk.status == "proved" else r"\ \text{(%s)}" % chk.status
            out.append(r"\[" + stmt + tag + r"\]")
    return "\n\n".join(out)


# -- markdown -----------------------------------------------------------------

def _md_block(latex_align):
    body = latex_align.replace(r"\begin{align*}", r"\begin{aligned}").replace(
        r"\end{align*}", r"\end{aligned}")
    return "$$\n" + body + "\n$$"


def _md_prose(text):
    return text


def to_markdown(d, level=2):
    """The derivation as GitHub markdown with ``$$`` math blocks."""
    h = "#" * level
    out = [f"{h} {d.title}"]
    for s in d.sections:
        out.append(f"{h}# {s.heading}")
        if s.prose:
            out.append(_md_prose(s.prose))
        if s.tree is not None:
            out.append(_md_block(_tree_latex(s.tree, False)))
        for c in s.chains:
            block = _chain_latex(c, False)
            main, _, tail = block.partition(r"\end{align*}")
            out.append(_md_block(main + r"\end{align*}"))
            if tail.strip():
                out.append(tail.strip())
        for stmt, text, chk in s.facts:
            tag = "" if chk.status == "proved" else rf" \quad \text{{({chk.status})}}"
            out.append(f"$$\n{stmt}{tag}\n$$")
    return "\n\n".join(out) + "\n"
