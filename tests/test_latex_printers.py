"""Printers, the derive command, documents compiled by pdflatex, special derivations."""
import os
import shutil

import pytest
import sympy

from symacts.cli import main
from symacts.latex import derive, special
from symacts.latex.document import LatexError, code_latex, compile_pdf, derivation_document
from symacts.latex.printers import to_latex, to_markdown, to_text

needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex not installed (Debian: apt-get install texlive-latex-base); "
           ".ci/run installs it")


def test_text_latex_markdown():
    d = derive("softplus")
    t = to_text(d)
    assert "sigmoid(beta*x)" in t and "divide numerator and denominator" in t
    tex = to_latex(d, macros=True)
    assert r"\begin{align*}" in tex and r"\sigmoid" in tex
    md = to_markdown(d)
    assert md.count("$$") % 2 == 0 and r"\begin{aligned}" in md and r"\sigmoid" not in md


def test_latexify_renders_the_exported_code():
    rows = code_latex("gelu", 1)
    # each function is latexify's rendering: its definition line, alone or
    # closing an array of assignments
    assert rows and all(tex.startswith((r"\mathrm{", r"\begin{array}")) for _, tex in rows)
    for fname, tex in rows:
        assert "\\mathrm{%s}(x) = " % fname.replace("_", r"\_") in tex
    assert any("k\\_ndtr" in tex for _, tex in rows)


def test_cli_derive(tmp_path, capsys):
    assert main(["derive", "gelu", "--format", "markdown"]) == 0
    assert "$$" in capsys.readouterr().out
    out = tmp_path / "s.tex"
    assert main(["derive", "sigmoid", "--format", "latex", "-o", str(out)]) == 0
    assert out.read_text().startswith(r"\documentclass")
    assert main(["derive", "sigmoid", "--format", "latex", "--fragment"]) == 0
    assert r"\documentclass" not in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["derive", "sigmod"], ["derive", "sigmoid", "--order", "0"],
                                  ["derive", "gelu", "--fragment"],
                                  ["derive", "relu_gaussian_mean", "--order", "2"],
                                  ["derive", "sigmoid", "-o", "/no/such/dir/x.tex"]])
def test_cli_derive_bad_input(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err


def test_special_derivations_check():
    for name in ("sigmoid_slope_bound", "softplus_relu_gap", "sigmoid_inverse",
                 "relu_gaussian_mean"):
        d = special.build(name)
        assert d.checks() and all(c.ok for c in d.checks())
    assert special.build("relu_gaussian_mean").result == 1 / sympy.sqrt(2 * sympy.pi)


@pytest.mark.slow
def test_selu_fixed_point():
    d = special.build("selu_fixed_point")
    assert all(c.ok for c in d.checks())


@needs_pdflatex
@pytest.mark.parametrize("name,order", [("sigmoid", 2), ("selu", 1), ("gelu_tanh", 1)])
def test_documents_compile(tmp_path, name, order):
    pdf = compile_pdf(derivation_document(derive(name, order=order)), str(tmp_path), name)
    assert open(pdf, "rb").read(5) == b"%PDF-"


@needs_pdflatex
def test_special_document_compiles(tmp_path):
    d = special.build("sigmoid_slope_bound")
    pdf = compile_pdf(derivation_document(d), str(tmp_path), "bound")
    assert os.path.getsize(pdf) > 1000


@needs_pdflatex
def test_broken_latex_is_a_clear_error(tmp_path):
    with pytest.raises(LatexError, match="pdflatex failed"):
        compile_pdf(r"\documentclass{article}\begin{document}\undefinedmacro\end{document}",
                    str(tmp_path), "bad")


def test_jupyter_reprs():
    d = derive("tanh")
    assert r"\begin{align*}" in d._repr_latex_()


def test_fact_sheet_and_verdict_reprs():
    import symacts
    pytest.importorskip("symacts.analysis.profile")
    html = symacts.facts("relu")._repr_html_()
    assert html.startswith("<table>") and "forward gain" in html
    act = symacts.get("gelu")
    assert "\\Phi" in act._repr_latex_()
