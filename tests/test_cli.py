"""The command line: outputs, JSON, exit code 2 with one line for bad input."""
import json
import subprocess
import sys

import pytest

from symacts.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(capsys):
    code, out, err = run(capsys, "list")
    assert code == 0 and "gelu" in out and "Hendrycks" in out
    code, out, _ = run(capsys, "list", "--json")
    rows = json.loads(out)
    names = {r["name"] for r in rows}
    assert {"relu", "softmax", "swiglu", "selu"} <= names
    sp = next(r for r in rows if r["name"] == "softplus")
    assert sp["params"][0] == {"name": "beta", "default": "1", "domain": "beta > 0"}


def test_show_gelu_json(capsys):
    code, out, _ = run(capsys, "show", "gelu", "--json")
    d = json.loads(out)
    assert code == 0
    assert d["formula"]["text"] == "x*Phi(x)"
    assert d["derivative"]["text"] == "x*phi(x) + Phi(x)"
    assert d["derivative"]["latex"] == r"x \phi\left(x\right) + \Phi\left(x\right)"


def test_show_with_param(capsys):
    code, out, _ = run(capsys, "show", "softplus", "--param", "beta=2")
    assert code == 0 and "sigmoid(2*x)" in out


@pytest.mark.parametrize("argv,needle", [
    (["show", "sigmod"], "did you mean sigmoid"),
    (["show", "softplus", "--param", "beta=-1"], "beta > 0"),
    (["show", "softplus", "--param", "beta"], "NAME=VALUE"),
    (["show", "softplus", "--param", "beta=__import__('os')"], "number"),
    (["show", "softplus", "--param", "bta=1"], "did you mean beta"),
    (["frobnicate"], "invalid choice"),
    (["export", "relu", "-o", "/nonexistent-symacts-dir/relu.py"], "cannot write"),
    (["show"], "required"),
    ([], "COMMAND"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, needle):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    if argv:
        assert needle in err and len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err


def test_console_script_runs():
    r = subprocess.run([sys.executable, "-m", "symacts.cli", "show", "nope"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_an_internal_error_is_one_line_not_a_traceback(capsys, monkeypatch):
    import symacts.cli as cli

    def broken(args):
        raise AttributeError("'Str' object has no attribute 'diff'")
    monkeypatch.setattr(cli, "cmd_list", broken)  # build_parser looks it up afresh
    monkeypatch.delenv("SYMACTS_DEBUG", raising=False)
    assert cli.main(["list"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: AttributeError" in err
    assert "Traceback" not in err
