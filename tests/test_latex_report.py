"""The report: plot data against mpmath, valid PNGs, pages, index and comparison table."""
import os
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import symacts
from symacts.export.mp import mp_value
from symacts.functions import mp_Phi, mp_softplus

pytest.importorskip("matplotlib", reason="matplotlib not installed (pip install '.[plots]')")

from symacts.latex.plots import (family_curves, function_curves, gelu_curves,  # noqa: E402
                                 save_family_plot, save_function_plot, save_gelu_plot)
from symacts.latex.report import write_report  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def png_ok(path):
    import matplotlib.image as mpimg
    with open(path, "rb") as fh:
        assert fh.read(8) == PNG
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    assert img[..., :3].std() > 0.05  # not a blank image
    return img


# squared_relu: f'' = 2(δ(x)·relu(x) + H(x)²) holds a DiracDelta (the export's
# root search must not stop at the point where it has no value)
@pytest.mark.parametrize("name", ["sigmoid", "selu", "hard_swish", "gelu", "squared_relu"])
def test_function_curves_match_mpmath(name):
    d = function_curves(name)
    act = symacts.get(name)
    x = d["x"]
    idx = [i for i in range(0, len(x), 97) if np.isfinite(x[i])]
    for k, label in enumerate(("f(x)", "f'(x)", "f''(x)")):
        expr = act.diff(k)
        for i in idx:
            ref = float(mp_value(expr, act.variable, mpmath.mpf(float(x[i])), digits=20))
            assert d["curves"][label][i] == pytest.approx(ref, rel=1e-12, abs=1e-14), (label, x[i])


def test_break_points_leave_gaps():
    d = function_curves("relu")
    assert np.isnan(d["x"]).sum() == 1  # one gap, at 0
    assert not (d["x"] == 0).any()


def test_softplus_family_converges_to_relu():
    d = family_curves("softplus")
    relu = d["curves"]["relu"]
    gaps = {k: np.max(np.abs(v - relu)) for k, v in d["curves"].items() if "=" in k}
    for beta in ("1/2", "1", "2", "5"):
        b = mpmath.mpf(float(Fraction(beta)))
        assert gaps[f"beta = {beta}"] == pytest.approx(float(mpmath.log(2) / b), rel=1e-12)
    i = len(d["x"]) // 3
    assert d["curves"]["beta = 2"][i] == pytest.approx(float(mp_softplus(d["x"][i], 2)), rel=1e-13)


def test_gelu_approximation_errors():
    d = gelu_curves()
    x = d["x"]
    for i in range(0, len(x), 50):
        g = float(x[i] * mp_Phi(x[i]))
        assert d["curves"]["gelu"][i] == pytest.approx(g, rel=1e-13, abs=1e-300)
    assert np.max(np.abs(d["errors"]["gelu_tanh - gelu"])) < 1e-3
    assert 0.01 < np.max(np.abs(d["errors"]["gelu_sigmoid - gelu"])) < 0.03


def test_pngs(tmp_path):
    png_ok(save_function_plot(function_curves("silu"), str(tmp_path / "a.png")))
    png_ok(save_family_plot(family_curves("swish"), str(tmp_path / "b.png")))
    img = png_ok(save_gelu_plot(gelu_curves(), str(tmp_path / "c.png")))
    assert img.shape[0] > 400  # two panels, stacked (the single plots are 288 high)


def test_report_pages(tmp_path):
    out = str(tmp_path)
    paths = write_report(out, names=["relu", "softplus"], progress=False)
    names = sorted(os.path.basename(p) for p in paths)
    assert names == ["comparison.md", "index.md", "relu.md", "relu.png", "softplus.md",
                     "softplus.png", "softplus_family.png"]
    page = open(os.path.join(out, "softplus.md"), encoding="utf-8").read()
    for part in ("## Formula", "## Derivatives", "![softplus", "## Derivation", "$$"):
        assert part in page
    try:
        import symacts.analysis.profile  # noqa: F401
    except ImportError:
        pass
    else:
        relu = open(os.path.join(out, "relu.md"), encoding="utf-8").read()
        assert "## Gaussian statistics" in relu and "## Gains" in relu
    index = open(os.path.join(out, "index.md"), encoding="utf-8").read()
    assert "(relu.md)" in index and "(comparison.md)" in index
    for p in paths:
        if p.endswith(".png"):
            png_ok(p)


def test_cli_report_bad_name(tmp_path, capsys):
    from symacts.cli import main
    assert main(["report", "--out", str(tmp_path), "relux", "--quiet"]) == 2
    assert "did you mean relu" in capsys.readouterr().err
