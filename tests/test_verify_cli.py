"""``symacts verify`` and ``symacts prove``: outputs, JSON keys, exit codes."""
import json
import os
import subprocess
import sys

import pytest

from symacts.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_codes(capsys):
    assert run(capsys, "verify", "diff(sigmoid(x), x) <= 1/4")[0] == 0
    code, out, _ = run(capsys, "verify", "0 < diff(tanh(x), x) < 1")
    assert code == 1 and "x = 0" in out
    code, out, _ = run(capsys, "verify", "sup(relu(x) * a, x) == oo")
    assert code == 4 and "UNKNOWN" in out


def test_json_keys(capsys):
    code, out, _ = run(capsys, "verify", "tanh(x) == 2*sigmoid(2*x) - 1", "--json")
    d = json.loads(out)
    assert code == 0 and set(d) == {"claim", "status", "method", "counterexample",
                                    "evidence", "seconds"}
    assert d["status"] == "proved"


def test_file_with_comments(capsys, tmp_path):
    f = tmp_path / "claims.txt"
    f.write_text("# sigmoid\nsigmoid(x) > 0\n\ntanh(-x) == -tanh(x)\n", encoding="utf-8")
    code, out, _ = run(capsys, "verify", "--file", str(f), "--json")
    rows = [json.loads(l) for l in out.splitlines()]
    assert code == 0 and [r["status"] for r in rows] == ["proved", "proved"]


def test_bad_file_line_names_the_line(capsys, tmp_path):
    f = tmp_path / "claims.txt"
    f.write_text("sigmoid(x) > 0\n__import__('os').system('x') == 0\n", encoding="utf-8")
    code, out, err = run(capsys, "verify", "--file", str(f))
    assert code == 2 and ":2:" in err and out == "" and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["verify"], ["verify", "x >"], ["verify", "x > 0", "--timeout", "-1"],
    ["verify", "--file", "/nonexistent/claims.txt"], ["prove", "/nonexistent"],
])
def test_bad_input_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_hostile_claim_subprocess(tmp_path):
    marker = tmp_path / "pwned"
    claim = f"__import__('os').system('touch {marker}') == 0"
    p = subprocess.run([sys.executable, "-m", "symacts.cli", "verify", claim],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert not marker.exists()


def test_prove_runs_a_folder(capsys, tmp_path):
    (tmp_path / "mini.py").write_text(
        "from symacts.verify import Claim\n"
        "CLAIMS = [Claim('tanh(-x) == -tanh(x)', 'proved', source='odd'),\n"
        "          Claim('0 < diff(tanh(x), x) < 1', 'refuted', source='seed 002')]\n",
        encoding="utf-8")
    code, out, _ = run(capsys, "prove", str(tmp_path), "--jobs", "1")
    assert code == 0 and "mini-01" in out and "0 differ" in out, _
    (tmp_path / "mini.py").write_text(
        "from symacts.verify import Claim\n"
        "CLAIMS = [Claim('sigmoid(x) > 0', 'refuted')]\n", encoding="utf-8")
    code, out, _ = run(capsys, "prove", str(tmp_path), "--jobs", "1")
    assert code == 1 and "differs" in out


@pytest.mark.parametrize("claim", [
    "x > 1e99999", "x > 2**-2000", "Max() > 0", "Heaviside(x, 1, 2) > 0", "x > 0;import os",
    "x > 0 where x > 1 where x > 2", "print(1) > 0", "diff(sigmoid(x), x, 100) > 0",
])
def test_bad_claims_exit_2_with_one_line(capsys, claim):
    code, out, err = run(capsys, "verify", claim)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_files_exit_2_with_one_line(capsys, tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text("sigmoid(x) > 0\n# c\nsigmod(x) > 0\nx >\n", encoding="utf-8")
    code, out, err = run(capsys, "verify", "--file", str(f))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert ":3:" in err and "did you mean sigmoid" in err and "1 more bad line" in err
    b = tmp_path / "binary.txt"
    b.write_bytes(bytes(range(128, 256)))
    code, _, err = run(capsys, "verify", "--file", str(b))
    assert code == 2 and "not UTF-8" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "verify", "--file", str(tmp_path))
    assert code == 2 and len(err.strip().splitlines()) == 1
