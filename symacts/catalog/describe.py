"""What ``symacts show`` prints about one activation: formula and first
derivative, as text and LaTeX, with its parameters, source and note.

>>> from symacts import get
>>> d = show_data(get("softplus", beta=2))
>>> d["formula"]["text"], d["derivative"]["text"]
('softplus(x, 2)', 'sigmoid(2*x)')
>>> d["general"]["text"]
'softplus(x, beta)'
"""
from __future__ import annotations

import sympy

from .core import Activation

__all__ = ["show_data", "show_text"]


def _both(expr):
    return {"text": sympy.sstr(expr), "latex": sympy.latex(expr)}


def _value(v):
    """A parameter value: exact text, plus a 30-digit decimal when irrational."""
    out = {"exact": sympy.sstr(v), "latex": sympy.latex(v)}
    if v.is_number and not v.is_Rational:
        out["decimal"] = sympy.N(v, 30).__str__()
    return out


def show_data(act: Activation) -> dict:
    """Formula and first derivative of ``act`` as plain data (for ``--json``)."""
    data = act.describe()
    data["params"] = [dict(p, **{"value": _value(act.values[p["name"]])})
                      for p in data["params"]]
    data["general"] = _both(act.general())
    data["formula"] = _both(act.expr)
    data["derivative"] = _both(act.diff(1))
    data["general_derivative"] = _both(
        act.general().jacobian(sympy.Matrix(act.variables)) if act.kind == "vector"
        else sympy.diff(act.general(), act.variable))
    data["derivative_kind"] = "jacobian" if act.kind == "vector" else "d/dx"
    return data


def show_text(act: Activation) -> str:
    """Readable text of :func:`show_data`."""
    d = show_data(act)
    lines = [d["name"] + (f"  (aliases: {', '.join(d['aliases'])})" if d["aliases"] else "")]
    if d["source"]:
        lines.append(f"  source:     {d['source']}")
    if d["note"]:
        lines.append(f"  note:       {d['note']}")
    for p in d["params"]:
        val = p["value"]
        dec = f" ≈ {val['decimal']}" if "decimal" in val else ""
        lines.append(f"  param:      {p['name']} = {val['exact']}{dec}   ({p['domain']}; {p['doc']})")
    lhs = "f(x)" if act.is_scalar else f"f({', '.join(d['variables'])})"
    dlhs = "f'(x)" if act.is_scalar else "J(f)"
    irrational = any("decimal" in p["value"] for p in d["params"])
    general = d["params"] and d["general"]["text"] != d["formula"]["text"]
    if general:
        lines.append(f"  general:    {lhs} = {d['general']['text']}")
        lines.append(f"              {dlhs} = {d['general_derivative']['text']}")
    if not irrational:
        lines.append(f"  formula:    {lhs} = {d['formula']['text']}")
        lines.append(f"  derivative: {dlhs} = {d['derivative']['text']}")
    key = "general" if irrational else "formula"
    dkey = "general_derivative" if irrational else "derivative"
    lines.append(f"  LaTeX:      {lhs} = {d[key]['latex']}")
    lines.append(f"              {dlhs} = {d[dkey]['latex']}")
    return "\n".join(lines)
