r"""Complete LaTeX documents: preamble with macros for σ, Φ, φ, and pdflatex.

Needs only amsmath and amssymb (in Debian's texlive-latex-base). The code
section renders the exported Python functions with latexify-py, so a reader
sees that the float code computes the formula.

>>> from symacts.latex import derive
>>> tex = derivation_document(derive("sigmoid"), code=False)
>>> tex.startswith(r"\documentclass") and r"\newcommand{\sigmoid}" in tex
True
"""
from __future__ import annotations

import importlib.util
import inspect
import os
import re
import shutil
import subprocess
import tempfile

from ..errors import SymactsError
from .printers import _prose_latex, expr_latex, to_latex

__all__ = ["PREAMBLE", "document", "derivation_document", "code_latex",
           "have_pdflatex", "compile_pdf", "LatexError"]

#: Macros the printers use with ``macros=True``; Unicode letters that may appear in prose.
PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[utf8]{inputenc}
\usepackage{amsmath,amssymb}
\setlength{\textwidth}{6.6in}\setlength{\oddsidemargin}{-0.1in}
\setlength{\textheight}{9in}\setlength{\topmargin}{-0.5in}
\allowdisplaybreaks
\newcommand{\sigmoid}{\sigma}  % logistic sigmoid 1/(1 + e^{-x})
\newcommand{\Ncdf}{\Phi}       % standard normal CDF
\newcommand{\Npdf}{\phi}       % standard normal density
\DeclareUnicodeCharacter{03C3}{\ensuremath{\sigma}}
\DeclareUnicodeCharacter{03A6}{\ensuremath{\Phi}}
\DeclareUnicodeCharacter{03C6}{\ensuremath{\phi}}
\DeclareUnicodeCharacter{03B2}{\ensuremath{\beta}}
\DeclareUnicodeCharacter{03B1}{\ensuremath{\alpha}}
\DeclareUnicodeCharacter{03BB}{\ensuremath{\lambda}}
\DeclareUnicodeCharacter{03C0}{\ensuremath{\pi}}
\DeclareUnicodeCharacter{221A}{\ensuremath{\surd}}
\DeclareUnicodeCharacter{221E}{\ensuremath{\infty}}
\DeclareUnicodeCharacter{2192}{\ensuremath{\to}}
\DeclareUnicodeCharacter{2264}{\ensuremath{\le}}
\DeclareUnicodeCharacter{2265}{\ensuremath{\ge}}
\DeclareUnicodeCharacter{2248}{\ensuremath{\approx}}
\DeclareUnicodeCharacter{2212}{\ensuremath{-}}
\DeclareUnicodeCharacter{2032}{\ensuremath{'}}
"""


class LatexError(SymactsError):
    """pdflatex is missing or rejected a document."""


def document(body, title=""):
    """Wrap a LaTeX fragment into a complete document."""
    head = rf"\title{{{_prose_latex(title)}}}\date{{}}" + "\n" if title else ""
    top = r"\maketitle" + "\n" if title else ""
    return PREAMBLE + head + r"\begin{document}" + "\n" + top + body + "\n" + r"\end{document}" + "\n"


def code_latex(name, order=0):
    """``[(function name, LaTeX)]``: the exported NumPy code, rendered by latexify-py.

    Functions latexify cannot render (the branch selector) are left out.

    >>> [n for n, _ in code_latex("softplus", 1)]
    ['_softplus_d1']
    """
    import latexify
    from ..export import export
    fn = export(name, backend="numpy", order=order)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "exported.py")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("import numpy as np\nimport scipy.special as sc\n" + fn.source)
        spec = importlib.util.spec_from_file_location("_symacts_exported", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out = []
        for fname, f in vars(mod).items():
            if not inspect.isfunction(f) or not fname.startswith("_") or fname.startswith("k_"):
                continue
            try:
                out.append((fname, latexify.get_latex(f, use_math_symbols=True)))
            except Exception:  # latexify does not render every construct
                continue
    return out


def _code_section(d):
    name, order = d.subject, d.meta.get("order", 1)
    out = [r"\subsection*{The exported code}",
           "The float code of \\texttt{symacts.export(\"%s\", order=%d)} "
           "(default parameters), rendered by latexify-py from its Python source; "
           "\\texttt{k\\_*} are the library's stable kernels." % (_prose_latex(name), order)]
    rows = code_latex(name, order)
    if not rows:
        return ""
    out.append(r"\begin{align*}" + "\n" + " \\\\\n".join(
        r"&" + tex for _, tex in rows) + "\n" + r"\end{align*}")
    return "\n\n".join(out)


def derivation_document(d, code=True, fragment=False):
    """The derivation as a complete LaTeX document (or a fragment)."""
    body = to_latex(d, macros=not fragment)
    if code and d.subject and d.subject != "f":
        try:
            sec = _code_section(d)
        except SymactsError:
            sec = ""
        if sec:
            body += "\n\n" + sec
    return body if fragment else document(body)


def have_pdflatex():
    """The path of pdflatex, or None."""
    return shutil.which("pdflatex")


def compile_pdf(tex, outdir=None, name="doc", timeout=60):
    """Compile ``tex`` with pdflatex; return the PDF path. Raises LatexError with the first error."""
    exe = have_pdflatex()
    if exe is None:
        raise LatexError("pdflatex not found; install texlive-latex-base (Debian) to compile")
    outdir = outdir or tempfile.mkdtemp(prefix="symacts-tex-")
    src = os.path.join(outdir, name + ".tex")
    with open(src, "w", encoding="utf-8") as fh:
        fh.write(tex)
    try:
        r = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", name + ".tex"],
                           cwd=outdir, capture_output=True, text=True, timeout=timeout,
                           errors="replace")
    except subprocess.TimeoutExpired:
        raise LatexError(f"pdflatex took longer than {timeout} s on {src}") from None
    pdf = os.path.join(outdir, name + ".pdf")
    if r.returncode != 0 or not os.path.exists(pdf):
        err = [ln for ln in r.stdout.splitlines() if ln.startswith("!")]
        raise LatexError(f"pdflatex failed on {src}: {err[0] if err else 'see the log'}")
    return pdf
