"""Every catalog entry against an independent mpmath evaluation of its source's
defining formula (written here from the papers / PyTorch docs, not from the
catalog), at several points including large |x|.

The reference is evaluated at 2500 digits, so that the textbook formulas
(1 + erf, log(1 + e^x), ...) can be used as written.
"""
import mpmath
import pytest
import sympy
from sympy import Rational

import symacts
from symacts.catalog import X

mp = mpmath.mp


def _relu(x):
    return max(x, 0)


def _sig(x):
    return 1 / (1 + mpmath.exp(-x))


def _Phi(x):
    return (1 + mpmath.erf(x / mpmath.sqrt(2))) / 2


# Klambauer et al. (2017), quoted to 30 digits in their code/appendix; checked
# against the closed form independently in test_selu_constants.
SELU_A = "1.6732632423543772848170429916717"
SELU_L = "1.0507009873554804934193349852946"

REFERENCE = {
    "identity": lambda x: x,
    "step": lambda x: mpmath.mpf(1) if x >= 0 else mpmath.mpf(0),
    "sigmoid": _sig,
    "hard_sigmoid": lambda x: min(max(x + 3, 0), 6) / 6,
    "tanh": lambda x: (mpmath.exp(x) - mpmath.exp(-x)) / (mpmath.exp(x) + mpmath.exp(-x)),
    "hard_tanh": lambda x: min(max(x, -1), 1),
    "softsign": lambda x: x / (1 + abs(x)),
    "arctan": mpmath.atan,
    "log_sigmoid": lambda x: mpmath.log(_sig(x)),
    "relu": _relu,
    "relu6": lambda x: min(max(x, 0), 6),
    "leaky_relu": lambda x: x if x >= 0 else mpmath.mpf("0.01") * x,
    "prelu": lambda x: x if x >= 0 else mpmath.mpf("0.25") * x,
    "squared_relu": lambda x: _relu(x) ** 2,
    "star_relu": lambda x: mpmath.mpf("0.8944271909999158785636694674925104941762")
    * _relu(x) ** 2 - mpmath.mpf("0.4472135954999579392818347337462552470881"),
    "elu": lambda x: x if x > 0 else mpmath.exp(x) - 1,
    "selu": lambda x: mpmath.mpf(SELU_L) * (
        x if x > 0 else mpmath.mpf(SELU_A) * (mpmath.exp(x) - 1)),
    "celu": lambda x: max(0, x) + min(0, mpmath.exp(x) - 1),
    "softplus": lambda x: mpmath.log(1 + mpmath.exp(x)),
    "gelu": lambda x: x * _Phi(x),
    "gelu_tanh": lambda x: x / 2 * (1 + mpmath.tanh(mpmath.sqrt(2 / mpmath.pi)
                                                    * (x + mpmath.mpf("0.044715") * x**3))),
    "gelu_sigmoid": lambda x: x * _sig(mpmath.mpf("1.702") * x),
    "silu": lambda x: x * _sig(x),
    "swish": lambda x: x * _sig(x),
    "mish": lambda x: x * mpmath.tanh(mpmath.log(1 + mpmath.exp(x))),
    "hard_swish": lambda x: x * min(max(x + 3, 0), 6) / 6,
    "tanhshrink": lambda x: x - mpmath.tanh(x),
    "softshrink": lambda x: x - mpmath.mpf(0.5) if x > 0.5 else (
        x + mpmath.mpf(0.5) if x < -0.5 else mpmath.mpf(0)),
    "hardshrink": lambda x: x if abs(x) > 0.5 else mpmath.mpf(0),
    "gaussian": lambda x: mpmath.exp(-x * x),
    "snake": lambda x: x + mpmath.sin(x) ** 2,
    "bent_identity": lambda x: (mpmath.sqrt(x * x + 1) - 1) / 2 + x,
}

POINTS = ["-40", "-7.25", "-3", "-1.5", "-0.5", "-0.3", "0", "0.25", "0.5",
          "0.7", "1", "2.5", "3", "6", "9.5", "40"]


def test_reference_covers_every_scalar_entry():
    assert set(REFERENCE) == set(symacts.names("scalar"))


def _close(a, b, digits=30):
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    if b == 0:
        return a == 0
    return abs(a - b) <= abs(b) * mpmath.mpf(10) ** (-digits)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_entry_matches_defining_formula(name):
    act = symacts.get(name)
    for p in POINTS:
        xv = Rational(p)
        got = act.expr.subs(X, xv).evalf(40, maxn=20000)
        with mpmath.workdps(2500):
            ref = REFERENCE[name](mpmath.mpf(p))
        assert got.is_number and got.is_real, (name, p, got)
        assert _close(got, ref), (name, p, got, mpmath.nstr(ref, 35))


def test_selu_constants_closed_form():
    """Klambauer et al. report α ≈ 1.6732632423543772848170429916717 and
    λ ≈ 1.0507009873554804934193349852946; the catalog holds closed forms."""
    a = symacts.get("selu").values["alpha"]
    lam = symacts.get("selu").values["scale"]
    assert not a.is_Float and not a.is_Rational
    assert _close(a.evalf(40), "1.6732632423543772848170429916717", 31)
    assert _close(lam.evalf(40), "1.0507009873554804934193349852946", 31)


def test_parameters_change_the_function():
    lr = symacts.get("leaky_relu", a=0.2)
    assert lr.expr.subs(X, -5) == -1
    sp = symacts.get("softplus", beta=3)
    with mpmath.workdps(50):
        ref = mpmath.log(1 + mpmath.exp(3 * mpmath.mpf("0.7"))) / 3
    assert _close(sp.expr.subs(X, Rational("0.7")).evalf(40), ref)
    assert symacts.get("elu", alpha="1/2").expr.subs(X, -sympy.oo) == -Rational(1, 2)
    sw = symacts.get("swish", beta=2)
    assert sw.expr == X * symacts.sigmoid(2 * X)


@pytest.mark.parametrize("name,n", [("softmax", 3), ("log_softmax", 4),
                                    ("gumbel_softmax", 3), ("glu", 2),
                                    ("swiglu", 2), ("geglu", 2), ("reglu", 2)])
def test_vector_entries(name, n):
    key = "d" if name.endswith("glu") else "n"
    act = symacts.get(name, **{key: n})
    vals = [mpmath.mpf(v) for v in ("1.5", "-2", "0.25", "3", "-0.75", "2", "-1", "0.5")]
    vals = vals[:len(act.variables)]
    subs = dict(zip(act.variables, [Rational(str(v)) for v in vals]))
    got = [e.evalf(40, subs=subs) for e in act.expr]
    with mpmath.workdps(60):
        if name in ("softmax", "log_softmax", "gumbel_softmax"):
            z = vals[:n]
            if name == "gumbel_softmax":
                z = [zi + gi for zi, gi in zip(vals[:n], vals[n:])]
            s = mpmath.fsum(mpmath.exp(v) for v in z)
            ref = [mpmath.exp(v) / s for v in z] if name != "log_softmax" \
                else [v - mpmath.log(s) for v in z]
        else:
            a, b = vals[:n], vals[n:]
            gate = {"glu": _sig, "swiglu": lambda v: v * _sig(v),
                    "geglu": lambda v: v * _Phi(v), "reglu": _relu}[name]
            ref = [ai * gate(bi) for ai, bi in zip(a, b)]
    assert len(got) == len(ref)
    for g, r in zip(got, ref):
        assert _close(g, r), (name, g, r)


def test_gumbel_softmax_temperature():
    act = symacts.get("gumbel_softmax", n=2, tau=Rational(1, 2))
    z1, z2, g1, g2 = act.variables
    out = act.expr[0].subs({z1: 1, z2: 0, g1: 0, g2: 0})
    assert sympy.simplify(out - sympy.exp(2) / (sympy.exp(2) + 1)) == 0


def test_activation_call_and_diff():
    s = symacts.get("sigmoid")
    y = sympy.Symbol("y")
    assert s(y) == symacts.sigmoid(y)
    assert s.diff(0) == s.expr
    assert sympy.simplify(s.diff(1) - s.expr * (1 - s.expr)) == 0
    sm = symacts.get("softmax", n=2)
    assert sm.diff().shape == (2, 2)
    with pytest.raises(ValueError):
        s.diff(-1)
    with pytest.raises(ValueError):
        s(1, 2)


def test_unknown_names_and_domains():
    with pytest.raises(symacts.UnknownNameError, match="did you mean sigmoid"):
        symacts.get("sigmod")
    with pytest.raises(symacts.UnknownNameError, match="did you mean gelu"):
        symacts.get("geluu")
    with pytest.raises(symacts.DomainError, match="beta > 0"):
        symacts.get("softplus", beta=-1)
    with pytest.raises(symacts.DomainError, match="0 <= a < 1"):
        symacts.get("leaky_relu", a=2)
    with pytest.raises(symacts.UnknownNameError, match="did you mean beta"):
        symacts.get("softplus", bta=2)
    with pytest.raises(symacts.InputError):
        symacts.get("softplus", beta="__import__('os').system('true')")
    with pytest.raises(symacts.DomainError):
        symacts.get("softmax", n=0)


def test_aliases_resolve():
    assert symacts.get("SiLU").name == "silu"
    assert symacts.get("logistic").name == "sigmoid"
    assert symacts.get("gelu-tanh").name == "gelu_tanh"


def test_every_entry_has_metadata():
    for d in symacts.catalog.definitions():
        assert d.note, d.name
        for p in d.params:
            assert p.domain.contains(p.default) == sympy.true, (d.name, p.name)


def test_registry_complete_whatever_is_imported_first():
    # importing the scalar module directly (as symacts.latex.special does for the
    # SELU constants) must not leave the vector activations unregistered
    import subprocess
    import sys
    code = ("import symacts.catalog.scalar; import symacts; "
            "print(symacts.get('softmax').name, len(symacts.names('vector')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    name, count = out.stdout.split()
    assert name == "softmax" and int(count) >= 7


def test_calling_an_activation_never_parses_a_string():
    with pytest.raises(TypeError, match="not strings"):
        symacts.get("sigmoid")("__import__('os').system('true')")
