"""The catalog as documentation: one markdown page per activation, plots, an
index and a comparison table (``symacts report --out DIR``).

A page holds the formula, the derivatives, the fact sheet, Gaussian
statistics and gains (from :mod:`symacts.analysis`, when those modules are
in the tree), the proofs that mention the activation (from ``proofs/``), its
checked derivation, and plots (the function with f' and f''; families over a
parameter; GELU beside its approximations).

>>> import tempfile, os
>>> out = tempfile.mkdtemp()
>>> paths = write_report(out, names=["sigmoid"], progress=False)
>>> sorted(os.path.basename(p) for p in paths)
['comparison.md', 'index.md', 'sigmoid.md', 'sigmoid.png']
"""
from __future__ import annotations

import os
import re
import sys

import sympy

from ..catalog import get, names as catalog_names
from ..errors import InputError
from .derive import derive
from .plots import (FAMILIES, family_curves, function_curves, gelu_curves,
                    save_family_plot, save_function_plot, save_gelu_plot)
from .printers import expr_latex, to_markdown

__all__ = ["write_report", "page", "optional_sections", "proofs_mentioning"]


def _progress(i, n, label, stream=None, width=28):
    stream = stream or sys.stderr
    done = int(width * i / n) if n else width
    stream.write(f"\r[{'#' * done}{'.' * (width - done)}] {i}/{n} {label:<16}")
    if i == n:
        stream.write("\n")
    stream.flush()


def _math(tex):
    return f"$$\n{tex}\n$$"


def _table(rows, header):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ")
                                      for c in r) + " |")
    return "\n".join(out)


def proofs_mentioning(name):
    """``[(id, text, expected, source)]`` of the bundled proofs that call ``name`` (or an alias).

    >>> any("leaky_relu(" in t for _, t, _, _ in proofs_mentioning("relu"))
    False
    """
    try:
        from ..verify.prove import load
    except ImportError:  # the verification engine is not in the tree
        return []
    act = get(name)
    words = "|".join(re.escape(w) for w in (act.name, *act.aliases))
    called = re.compile(rf"(?<![A-Za-z0-9_])(?:{words})\s*\(")
    out = []
    for _, claims in load(None):
        for c in claims:
            if called.search(c.text):
                out.append((c.id, c.text, c.expected, c.source))
    return out


_GROUPS = ("calculus", "extrema", "shape", "gaussian", "gains", "relations")


def sheet_rows(text):
    """``[(group, quantity, value)]`` from a fact sheet's text table (groups carried down)."""
    lines = [ln[2:] for ln in text.splitlines() if ln.strip()]
    w1 = max((len(g) for g in _GROUPS if any(ln.startswith(g) for ln in lines)), default=0)
    rows, group = [], ""
    for ln in lines:
        group = ln[:w1].strip() or group
        key, _, value = ln[w1 + 2:].partition("  ")
        rows.append((group, key.strip(), value.strip()))
    return rows


def optional_sections(act):
    """``[(heading, markdown)]`` from the analysis engine, when it is importable."""
    try:
        from ..analysis.profile import fact_sheet
    except ImportError:
        return []
    try:  # the analysis engine budgets its own SymPy calls, and caches the sheet
        rows = sheet_rows(fact_sheet(act).text())
    except Exception as e:  # a fact sheet the engine cannot build: say so
        return [("Fact sheet", f"(not available: {type(e).__name__}: {e})")]
    out = []
    for heading, groups in (("Fact sheet", ("calculus", "extrema", "shape", "relations")),
                            ("Gaussian statistics", ("gaussian",)),
                            ("Gains", ("gains",))):
        sel = [(k, v) for g, k, v in rows if g in groups]
        if sel:
            intro = "For $Z \\sim N(0, 1)$.\n\n" if heading != "Fact sheet" else ""
            out.append((heading, intro + _table([(f"`{k}`" if heading == "Fact sheet" and
                                                  False else k, v) for k, v in sel],
                                                ["quantity", "value"])))
    return out


def _cell(v):
    if hasattr(v, "decimal") and hasattr(v, "method"):
        exact = f"${sympy.latex(v.exact)}$ ≈ " if getattr(v, "exact", None) is not None else ""
        return f"{exact}{v.decimal[:20]} ({v.method})"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_cell(x)}" for k, x in v.items())
    return str(v)


def _dict_table(d):
    return _table([(k, _cell(v)) for k, v in d.items()], ["quantity", "value"])


def page(act, out, derivation=None):
    """Write ``out/<name>.md`` and its plots; return the paths written."""
    name = act.name
    paths = []
    d = derivation or derive(act, order=2)
    first = next(s for s in d.sections if s.heading.startswith("Order 1: to"))
    second = [s for s in d.sections if s.heading.startswith("Order 2: to")]
    lines = [f"# {name}", ""]
    if act.source:
        lines += [f"*{act.source}*", ""]
    if act.note:
        lines += [act.note, ""]
    if act.aliases:
        lines += ["Aliases: " + ", ".join(f"`{a}`" for a in act.aliases), ""]
    if act.params:
        lines += ["## Parameters", "", _table(
            [(f"${sympy.latex(p.symbol)}$", f"${sympy.latex(p.default)}$",
              p.domain_text, p.doc) for p in act.params],
            ["parameter", "default", "domain", "meaning"]), ""]
    from .steps import definition_of
    gen = act.general()
    body = definition_of(gen, act.variable)
    lines += ["## Formula", "", _math(rf"\operatorname{{{_tex_name(name)}}}(x) = "
                                      + expr_latex(gen)
                                      + (f" = {expr_latex(body)}" if body is not None else "")), ""]
    lines += ["## Derivatives", "", _math(rf"f'(x) = {expr_latex(first.chains[0].lines[-1].expr)}")]
    if second:
        lines += [_math(rf"f''(x) = {expr_latex(second[0].chains[0].lines[-1].expr)}")]
    notes = first.prose.partition(" These equalities hold")[2]
    if notes:
        lines += ["", "These hold" + notes]
    img = f"{name}.png"
    paths.append(save_function_plot(function_curves(name), os.path.join(out, img)))
    lines += ["", f"![{name}, its first and second derivatives on [-5, 5]]({img})", ""]
    if name in FAMILIES:
        fam = f"{name}_family.png"
        param, values, limit = FAMILIES[name]
        paths.append(save_family_plot(family_curves(name), os.path.join(out, fam)))
        cap = f"{name} for {param} in {', '.join(values)}" + (
            f", beside its limit {limit}" if limit else "")
        lines += [f"![{cap}]({fam})", ""]
    if name == "gelu":
        paths.append(save_gelu_plot(gelu_curves(), os.path.join(out, "gelu_approximations.png")))
        lines += ["![gelu beside gelu_tanh and gelu_sigmoid, and their errors]"
                  "(gelu_approximations.png)", ""]
    at = ", ".join(f"{p.name} = {act.values[p.name]}" for p in act.params)
    for heading, md in optional_sections(act):
        intro = f"At the default parameters ({at}), from `symacts.analysis`.\n\n" if at else ""
        lines += [f"## {heading}", "", intro + md, ""]
    proofs = proofs_mentioning(name)
    if proofs:
        lines += ["## Proofs that mention it", "", _table(
            [(f"`{i}`", f"`{t}`", e, s) for i, t, e, s in proofs],
            ["id", "claim", "expected verdict", "source"]), "",
            "Run them with `symacts prove` (see [how proofs work](../proofs.md)).", ""]
    lines += ["## Derivation", "", "Every line below was checked equal to the line "
              "before it (`symacts derive " + name + " --order 2`).", "",
              to_markdown(d, level=3)]
    path = os.path.join(out, f"{name}.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    paths.append(path)
    return paths, d


def _tex_name(name):
    return name.replace("_", r"\_")


def write_report(out, names=None, progress=True):
    """Write the catalog into ``out``; return the paths written."""
    todo = list(names) if names else catalog_names("scalar")
    acts = []
    for n in todo:
        a = get(n)
        if not a.is_scalar:
            raise InputError(f"{a.name} is a vector activation; the report covers scalar ones")
        acts.append(a)
    os.makedirs(out, exist_ok=True)
    paths, rows = [], []
    for i, act in enumerate(acts):
        if progress:
            _progress(i, len(acts), act.name)
        p, d = page(act, out)
        paths += p
        first = next(s for s in d.sections if s.heading.startswith("Order 1: to"))
        rows.append((act, first.chains[0].lines[-1].expr))
    if progress:
        _progress(len(acts), len(acts), "done")
    paths.append(_index(out, rows))
    paths.append(_comparison(out, rows))
    return paths


def _index(out, rows):
    lines = ["# The activation catalog", "",
             "Generated by `symacts report --out docs/catalog`; do not edit by hand. "
             "Each page has the formula, derivatives, plots and a checked derivation. "
             "See also the [comparison table](comparison.md).", "",
             _table([(f"[{a.name}]({a.name}.md)", a.definition.family,
                      f"${expr_latex(a.general())}$") for a, _ in rows],
                    ["activation", "family", "formula"]), ""]
    path = os.path.join(out, "index.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return path


def _comparison(out, rows):
    table = []
    for a, d1 in rows:
        src = f"{a.source.authors} ({a.source.year})" if a.source else "-"
        params = ", ".join(f"{p.name} = {p.default}" for p in a.params) or "-"
        table.append((f"[{a.name}]({a.name}.md)", a.definition.family, params,
                      f"${expr_latex(a.general())}$", f"${expr_latex(d1)}$", src))
    lines = ["# Comparison of the activations", "",
             "Formula and first derivative (textbook form, checked step by step) of every "
             "scalar activation in the catalog.", "",
             _table(table, ["activation", "family", "parameters", "f(x)", "f'(x)",
                            "source"]), ""]
    path = os.path.join(out, "comparison.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return path
