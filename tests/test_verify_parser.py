"""The claim parser: the language, and hostile strings refused before any work."""
import pytest
from sympy import Interval, Symbol, oo

from symacts.errors import InputError, SymactsError
from symacts.verify import claims as C
from symacts.verify.parser import MAX_LENGTH, parse

x = Symbol("x", real=True)


def test_chained_relations_and_where():
    st = parse("0 < diff(sigmoid(x), x) <= 1/4")
    assert isinstance(st.formula, C.And) and [r.op for r in st.formula.args] == ["<", "<="]
    st = parse("sigmoid(logit(p)) == p where 0 < p < 1")
    assert st.domains[Symbol("p", real=True)] == Interval.open(0, 1)


def test_parameters_positional_keyword_and_domains():
    st = parse("softplus(x, beta) > 0")
    assert st.domains[Symbol("beta", real=True)] == Interval.open(0, oo)
    st = parse("leaky_relu(x, a=0.2) <= x")
    assert "Min(0, x)/5" in str(st.formula)
    with pytest.raises(SymactsError, match="outside its domain"):
        parse("softplus(x, -1) > 0")
    with pytest.raises(SymactsError, match="no parameter"):
        parse("softplus(x, gamma=2) > 0")


def test_operators_and_booleans():
    st = parse("(relu(x) == x) == (x >= 0)")
    assert isinstance(st.formula, C.Iff)
    st = parse("not (b <= 0 and w + b > 0)")
    assert isinstance(st.formula, C.Not)
    st = parse("limit(step(x), x, 0, '-') != 1")
    assert "limit(" in str(st.formula)
    st = parse("approx(selu(1), 1.0507, 5e-5)")
    assert isinstance(st.formula, C.And)


@pytest.mark.parametrize("text,msg", [
    ("__import__('os').system('touch /tmp/symacts_pwned') == 0", "attribute|relation"),
    ("().__class__.__bases__[0] == x", "attribute|subscript"),
    ("(lambda: 1)() > 0", "lambda"),
    ("[x for x in y] == 1", "comprehension"),
    ("exec('1') == 1", "unknown function"),
    ("eval('1') == 1", "unknown function"),
    ("open('/etc/passwd') == 1", "unknown function"),
    ("10**10**10**10 > x", "exponent too large"),
    ("9**9**9 > x", "too large"),
    ("1" * 400 + " > x", "too large"),
    ("1e999 > x", "too large"),
    ("(" * 200 + "x" + ")" * 200 + " > 0", "nested"),
    ("x" + " + x" * 1000 + " > 0", "too long|nested|too large"),
    ("x > 0 " * 400, "too long"),
    ("sigmoid > 0", "is a function"),
    ("x > 0 where", "where"),
    ("x +* 2", "cannot read"),
    ("f'{x}' == 1", "not a real number|f-strings|relation"),
    ("x if x else 1 > 0", "conditional|relation"),
    ("_x > 0", "not allowed"),
    ("x ** (x := 2) > 0", "assignment|cannot read"),
    ("softmax(x) > 0", "vector"),
    ("sigmod(x) > 0", "did you mean sigmoid"),
    ("x", "relation"),
    ("", "empty"),
    ("nan == nan", "cannot be a variable"),     # was a variable named nan: 'proved'
    ("zoo == 1", "cannot be a variable"),
    ("sup(x, x > 0", "unbalanced brackets"),
])
def test_hostile_and_bad_strings(text, msg, tmp_path):
    with pytest.raises(InputError, match=msg):
        parse(text)
    assert not (tmp_path / "symacts_pwned").exists()


def test_length_bound_is_documented():
    with pytest.raises(InputError, match=str(MAX_LENGTH)):
        parse("x" * (MAX_LENGTH + 1) + " > 0")


def test_not_a_string():
    with pytest.raises(InputError):
        parse(42)
