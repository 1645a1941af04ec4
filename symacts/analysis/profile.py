"""The fact sheet: every derived fact about one scalar activation — calculus,
extrema, shape, Gaussian statistics, gains, relations — as data and as a
readable table, cached on disk ($SYMACTS_CACHE or ~/.cache/symacts).

>>> import symacts
>>> sheet = fact_sheet(symacts.get("relu"), cache=False)
>>> sheet.data["shape"]["range"]
'[0, oo)'
>>> sheet.data["gains"]["forward"]["exact"]
'sqrt(2)'
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from pathlib import Path

import sympy
from sympy import S

from ..errors import InputError
from .calculus import asymptotes, derivative, fixed_points, inverse, kink_limits, \
    parity, smoothness
from .extrema import infimum, supremum
from .facts import Extremum, Fact, jsonable
from .gaussian import moments
from .init import gains
from .limits import limit
from .pieces import strip_dirac
from .relations import relations

__all__ = ["FactSheet", "fact_sheet", "sheet_data", "render_text", "cache_dir"]


def cache_dir():
    """Where fact sheets are cached: $SYMACTS_CACHE, else ~/.cache/symacts."""
    base = os.environ.get("SYMACTS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "symacts")
    return Path(base)


@functools.lru_cache(maxsize=1)
def _code_hash():
    """A digest of the package's sources: a sheet cached by other code is not reused."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        try:
            h.update(f.read_bytes())
        except OSError:
            continue
    return h.hexdigest()[:12]


def _key(act):
    from .. import __version__
    vals = ",".join(f"{k}={sympy.srepr(v)}" for k, v in sorted(act.values.items()))
    h = hashlib.sha256(f"{act.name}|{vals}|{__version__}|{_code_hash()}".encode()
                       ).hexdigest()[:16]
    return f"facts-{__version__}-{act.name}-{h}.json"


def _interval_text(lo, hi):
    """Range text with open/closed ends from two Extremum facts."""
    def end(f):
        return f.value_text() if f.exact is not None or f.decimal else "?"
    left = "[" if lo.attained else "("
    right = "]" if hi.attained else ")"
    return f"{left}{end(lo)}, {end(hi)}{right}"


def _monotone(dinf, dsup):
    """'increasing' / 'decreasing' / 'not monotone' from inf and sup of f′."""
    def sign(f):
        if f.exact is not None:
            return 1 if (f.exact > 0) is S.true else -1 if (f.exact < 0) is S.true else 0
        if f.enclosure is not None:
            return 1 if f.enclosure > 0 else -1 if f.enclosure < 0 else None
        return None
    lo, hi = sign(dinf), sign(dsup)
    if lo is None or hi is None:
        return "undetermined"
    if lo >= 0 and not (lo == 0 and hi == 0):
        return "non-decreasing" if dinf.attained and lo == 0 else "increasing"
    if hi <= 0 and not (lo == 0 and hi == 0):
        return "non-increasing" if dsup.attained and hi == 0 else "decreasing"
    if lo == 0 and hi == 0:
        return "constant"
    return "not monotone"


class FactSheet:
    """The facts about one activation: ``.data`` (plain data), ``.text()``."""

    def __init__(self, data, facts=None):
        self.data = data
        self.facts = facts or {}

    def to_dict(self):
        return self.data

    def text(self):
        return render_text(self.data)

    def __repr__(self):
        return f"FactSheet({self.data.get('name')!r})"

    def _repr_html_(self):
        """Jupyter: the text table as an HTML table (group, quantity, value)."""
        import html
        import re
        rows = [re.split(r"\s{2,}", ln.strip(), maxsplit=2) if not ln.startswith("    ")
                else [""] + re.split(r"\s{2,}", ln.strip(), maxsplit=1)
                for ln in self.text().splitlines() if ln.strip()]
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in (r + ["", ""])[:3])
                       + "</tr>" for r in rows)
        return (f"<table><caption>{html.escape(str(self.data.get('name')))}</caption>"
                f"<tr><th></th><th>quantity</th><th>value</th></tr>{body}</table>")


def _compute(act, digits):
    if not act.is_scalar:
        raise InputError(f"{act.name} is vector-valued; fact sheets are for scalar "
                         "activations")
    if any(getattr(v, "free_symbols", None) for v in act.values.values()):
        raise InputError(f"{act.name} has a symbolic parameter; give it a value")
    x, f = act.variable, act.expr
    t0 = time.perf_counter()
    d1 = derivative(f, x, 1)
    d2 = derivative(f, x, 2)
    ext = {}
    # extrema of the raw derivatives (the forms diff gives suit the tail proofs)
    r1 = strip_dirac(sympy.diff(f, x))
    r2 = strip_dirac(sympy.diff(r1, x))
    for label, e in (("f", f), ("f'", r1), ("f''", r2)):
        ext[label] = (infimum(e, x, digits=digits), supremum(e, x, digits=digits))
    lip = ext["f'"][1] if ext["f'"][1].exact is S.Infinity or ext["f'"][0].exact is \
        S.NegativeInfinity else _abs_max(*ext["f'"])
    mono = _monotone(*ext["f'"])
    convex = _monotone(*ext["f''"]).replace("increasing", "convex").replace(
        "decreasing", "concave").replace("not monotone", "neither convex nor concave")
    mom = moments(f, x, digits=digits)
    gain = gains(act, digits)
    sm = smoothness(f, x)
    lims = {"+oo": limit(f, x, S.Infinity, digits=digits),
            "-oo": limit(f, x, S.NegativeInfinity, digits=digits)}
    kinks = [{k: jsonable(v) for k, v in r.items() if k != "branches"}
             for r in kink_limits(f, x)]
    inv = inverse(f, x, monotone=mono in ("increasing", "decreasing")) \
        if mono in ("increasing", "decreasing") else None
    rel = relations(act, digits)
    bounded = all(e.exact not in (S.Infinity, S.NegativeInfinity) for e in ext["f"])
    pz = mom["prob_zero"]
    data = {
        "name": act.name,
        "params": {k: str(v) for k, v in act.values.items()},
        "calculus": {
            "derivative": sympy.sstr(d1), "second_derivative": sympy.sstr(d2),
            "derivative_latex": sympy.latex(d1),
            "smoothness": jsonable(sm), "parity": parity(f, x),
            "limits": {k: v.to_dict() for k, v in lims.items()},
            "kinks": kinks,
            "asymptotes": [str(a) for a in asymptotes(f, x)],
            "fixed_points": jsonable(fixed_points(f, x)),
            "inverse": None if inv is None else sympy.sstr(inv),
        },
        "extrema": {f"{k} {which}": v.to_dict() for k, (lo, hi) in ext.items()
                    for which, v in (("inf", lo), ("sup", hi))},
        "lipschitz": lip.to_dict(),
        "shape": {
            "range": _interval_text(*ext["f"]),
            "derivative_range": _interval_text(*ext["f'"]),
            "monotone": mono, "convexity": convex, "bounded": bounded,
            "zero_centred": mom["mean"].exact == 0,
            "saturates": {k: v.exact is not None and v.exact.is_finite for k, v in
                          lims.items()},
            "sparse": pz.exact is not None and pz.exact != 0,
            "prob_zero": pz.to_dict(),
        },
        "gaussian": {k: v.to_dict() for k, v in mom.items()},
        "gains": {k: v.to_dict() for k, v in gain.items()},
        "relations": jsonable(rel),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    return FactSheet(data, {"extrema": ext, "moments": mom, "gains": gain})


def _abs_max(lo, hi):
    """sup |f′| from inf f′ and sup f′ (the Lipschitz constant)."""
    a = hi
    if lo.enclosure is not None and hi.enclosure is not None and \
            (-lo.enclosure).upper() > hi.enclosure.upper():
        a = Extremum(lo.name, None if lo.exact is None else -lo.exact, -lo.enclosure,
                     lo.decimal.lstrip("-"), lo.method, lo.where, lo.note,
                     attained=lo.attained, argument=lo.argument)
    return Extremum("Lipschitz constant sup|f'|", a.exact, a.enclosure, a.decimal,
                    a.method, a.where, a.note, attained=a.attained, argument=a.argument)


def fact_sheet(act, digits=30, cache=True) -> FactSheet:
    """The fact sheet of ``act`` (an Activation or a catalog name)."""
    from ..catalog import get
    act = get(act) if isinstance(act, str) else act
    path = cache_dir() / _key(act) if cache else None
    if path is not None and path.exists() and digits == 30:
        try:
            return FactSheet(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass
    sheet = _compute(act, digits)
    if path is not None and digits == 30:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(sheet.data, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a read-only home: no cache, same answer
    return sheet


def sheet_data(act, cache=True):
    """The fact sheet as plain data (what ``symacts show --json`` adds)."""
    return fact_sheet(act, cache=cache).data


def _v(d):
    """One fact dict as ``value (method)``."""
    if d is None:
        return "-"
    if d.get("exact") is not None:
        ex = d["exact"]
        dec = d.get("decimal") or ""
        val = ex if dec in ("", ex, "oo", "-oo") else f"{ex} ≈ {dec}"
    else:
        val = d.get("decimal") or "unknown"
    return f"{val}   [{d.get('method')}]"


def _where(d):
    w = d.get("argument")
    if w is None:
        return ""
    if isinstance(w, dict) and "decimal" in w:
        w = w["decimal"]
    elif isinstance(w, list):
        w = ", ".join(x["decimal"] if isinstance(x, dict) and "decimal" in x else str(x)
                      for x in w)
    elif isinstance(w, dict) and "interval" in w:
        a, b = w["interval"]
        w = f"{'(' if w['left_open'] else '['}{a}, {b}{')' if w['right_open'] else ']'}"
    return f"  {'at' if d.get('attained') else 'approached at'} x = {w}"


def render_text(d):
    """The readable table of a fact sheet's data."""
    rows = []
    c, s, g = d["calculus"], d["shape"], d["gaussian"]
    rows.append(("calculus", "f'(x)", c["derivative"]))
    rows.append(("", "f''(x)", c["second_derivative"]))
    rows.append(("", "smoothness", f"{c['smoothness']['class']}  ({c['smoothness']['note']})"))
    rows.append(("", "parity", c["parity"]))
    for k, v in c["limits"].items():
        rows.append(("", f"limit x → {k}", _v(v)))
    for kk in c["kinks"]:
        rows.append(("", f"kink at {kk['at']}", f"f = {kk['value']}, left {kk['left']}, "
                     f"right {kk['right']}"))
    rows.append(("", "asymptotes", "; ".join(c["asymptotes"]) or "-"))
    fps = c["fixed_points"]
    rows.append(("", "fixed points", ", ".join(
        (x["decimal"] if isinstance(x, dict) and "decimal" in x else
         str(x.get("interval")) if isinstance(x, dict) else str(x)) for x in fps) or "none"))
    rows.append(("", "inverse", c["inverse"] or "-"))
    for k, v in d["extrema"].items():
        rows.append(("extrema" if k == "f inf" else "", k, _v(v) + _where(v)))
    rows.append(("", "Lipschitz sup|f'|", _v(d["lipschitz"])))
    rows.append(("shape", "range", s["range"]))
    rows.append(("", "range of f'", s["derivative_range"]))
    for k in ("monotone", "convexity", "bounded", "zero_centred", "sparse"):
        rows.append(("", k.replace("_", " "), str(s[k])))
    rows.append(("", "saturates", ", ".join(f"{k}: {v}" for k, v in s["saturates"].items())))
    for k, v in g.items():
        rows.append(("gaussian" if k == "mean" else "", v["name"] + " (Z~N(0,1))", _v(v)))
    for k in ("forward", "backward", "pytorch", "chi1"):
        v = d["gains"][k]
        rows.append(("gains" if k == "forward" else "", v["name"],
                     _v(v) if v.get("exact") or v.get("decimal") else v.get("note", "-")))
    rel = d["relations"]
    if rel.get("approximates"):
        ap = rel["approximates"]
        dist = ap.get("distance")
        rows.append(("relations", f"sup |f - {ap['of']}|",
                     (_v(dist) + _where(dist)) if dist else ap.get("note", "-")))
    for text, ok in rel.get("identities", []):
        rows.append(("relations" if not rel.get("approximates") else "", "identity",
                     f"{text}  [{'proved' if ok else 'not proved'}]"))
    w1 = max(len(r[0]) for r in rows)
    w2 = max(len(r[1]) for r in rows)
    return "\n".join(f"  {a:<{w1}}  {b:<{w2}}  {v}" for a, b, v in rows)
