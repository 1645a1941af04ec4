"""Derivation steps: every rule node and every algebra line checks; known textbook forms.

References are independent of the derivation engine: SymPy's own ``diff`` and
closed forms written out by hand; a wrong step must be refused.
"""
import pytest
import sympy
from sympy import Piecewise, Symbol, exp, log, sqrt, pi, tanh

import symacts
from symacts.catalog import X as x
from symacts.functions import Phi, phi, sigmoid
from symacts.latex import StepError, derive
from symacts.latex.derive import make_chain
from symacts.latex.steps import Step, check_tree, diff_steps
from symacts.latex._check import check_equal


def exprs(d, k=1):
    sec = [s for s in d.sections if s.heading == f"Order {k}: to the textbook form"][0]
    return sec.chains[0].exprs()


def test_sigmoid_textbook_chain():
    e = exprs(derive("sigmoid"))
    assert e[0] == exp(-x) / (1 + exp(-x))**2
    assert e[-1] == sigmoid(x) * (1 - sigmoid(x))


def test_tanh_goes_through_sech():
    e = exprs(derive("tanh"))
    assert sympy.sech(x)**2 in e and e[-1] == 1 - tanh(x)**2


def test_softplus_beta_and_gelu_and_selu():
    beta = Symbol("beta", positive=True)
    assert derive("softplus").result == sigmoid(beta * x)
    assert derive("gelu").result == Phi(x) + x * phi(x)
    sel = derive("selu").result
    assert isinstance(sel, Piecewise) and len(sel.args) == 2  # branch by branch


@pytest.mark.parametrize("name", symacts.names("scalar"))
def test_every_scalar_derivation_checks(name):
    d = derive(name)
    checks = d.checks()
    assert checks and all(c.ok for c in checks)
    # the final form equals SymPy's derivative (independent of the rules), off break points
    act = symacts.get(name)
    ref = sympy.diff(act.general(), x)
    sec = [s for s in d.sections if s.heading.startswith("Order 1: to")][0]
    where = sec.chains[0].where
    assert check_equal(d.result, ref, x, where=where).ok


def test_second_order_sigmoid_factorises():
    d = derive("sigmoid", order=2)
    s = sigmoid(x)
    assert sympy.simplify(d.result - s * (1 - s) * (1 - 2 * s)) == 0


def test_rule_names():
    t = diff_steps(sigmoid(x), x, open_definition=True)
    assert t.rule == "definition" and t.substeps[0].rule == "reciprocal"
    assert {s.rule for s in t.walk()} >= {"sum", "chain", "exp", "constant factor"}
    t = diff_steps(log(1 + exp(x)) / (1 + x**2), x)
    assert t.rule == "quotient"


def test_piecewise_note_names_the_kink():
    t = diff_steps(symacts.get("elu").general(), x)
    assert t.rule == "piecewise" and "one-sided derivatives differ" in t.note


def test_a_wrong_step_is_refused():
    bad = Step("product", x * sigmoid(x), x, sigmoid(x))  # forgot a term
    with pytest.raises(StepError):
        check_tree(bad)
    with pytest.raises(StepError):
        make_chain("f", "f", [(sigmoid(x), ""), (1 - sigmoid(x), "wrong")], x)


def test_checker_refutes_with_a_point():
    c = check_equal(sqrt(x**2), x, x)
    assert c.status == "refuted"


def test_bad_order_and_vector():
    with pytest.raises(symacts.InputError):
        derive("sigmoid", order=0)
    with pytest.raises(symacts.InputError):
        derive("softmax")
