"""Vector-valued activations, written out on a concrete dimension.

Each builder returns ``(variables, Matrix)``: the input symbols and the column
of outputs. The GLU family splits its input in two halves ``a`` (values) and
``b`` (gates) and returns ``a ⊙ g(b)``, PyTorch's ``F.glu`` convention.

>>> from symacts import get
>>> sm = get("softmax", n=2)
>>> sm.variables
(z1, z2)
>>> sm.expr.T
Matrix([[exp(z1)/(exp(z1) + exp(z2)), exp(z2)/(exp(z1) + exp(z2))]])
>>> get("glu", d=1).expr
Matrix([[a1*sigmoid(b1)]])
"""
from sympy import Add, Interval, Matrix, Max, S, Symbol, exp, log

from ..errors import DomainError
from ..functions import Phi, sigmoid
from .core import Param, Source
from .registry import activation

POSITIVE = Interval.open(0, S.Infinity)


def _vars(prefix, n):
    n = int(n)
    return tuple(Symbol(f"{prefix}{i}", real=True) for i in range(1, n + 1))


def _dimension(default=3, doc="dimension of the input vector"):
    return Param("n", S(default), S.Naturals, doc)


MAX_DIMENSION = 64


def _require_int(n, name="n"):
    if not getattr(n, "is_Integer", False):
        raise DomainError(f"{name} must be a concrete positive integer, got {n}")
    if not 1 <= int(n) <= MAX_DIMENSION:
        raise DomainError(f"{name}={n} is outside 1..{MAX_DIMENSION}: vector "
                          "activations are written out symbolically")
    return int(n)


@activation("softmax", kind="vector", family="normalising", params=[_dimension()],
            source=Source("Bridle", 1990,
                          "Probabilistic interpretation of feedforward classification "
                          "network outputs"),
            note="exp(z_i)/Σ exp(z_j): a point of the probability simplex")
def _softmax(n):
    z = _vars("z", _require_int(n))
    total = Add(*[exp(v) for v in z])
    return z, Matrix([exp(v) / total for v in z])


@activation("log_softmax", aliases=("logsoftmax",), kind="vector", family="normalising",
            params=[_dimension()],
            note="z_i - log Σ exp(z_j)")
def _log_softmax(n):
    z = _vars("z", _require_int(n))
    lse = log(Add(*[exp(v) for v in z]))
    return z, Matrix([v - lse for v in z])


@activation("gumbel_softmax", aliases=("concrete",), kind="vector",
            family="normalising",
            params=[_dimension(), Param("tau", S.One, POSITIVE, "temperature τ")],
            source=Source("Jang, Gu & Poole", 2017,
                          "Categorical reparameterization with Gumbel-softmax"),
            note="softmax((z + g)/τ) with the Gumbel noise g = -log(-log u) as "
                 "inputs g1..gn")
def _gumbel_softmax(n, tau):
    k = _require_int(n)
    z, g = _vars("z", k), _vars("g", k)
    terms = [exp((zi + gi) / tau) for zi, gi in zip(z, g)]
    total = Add(*terms)
    return z + g, Matrix([t / total for t in terms])


def _glu_family(d, gate):
    k = _require_int(d, "d")
    a, b = _vars("a", k), _vars("b", k)
    return a + b, Matrix([ai * gate(bi) for ai, bi in zip(a, b)])


_SHAZEER = Source("Shazeer", 2020, "GLU variants improve transformer")


def _half(doc="output dimension d (the input has 2d components)"):
    return Param("d", S(2), S.Naturals, doc)


@activation("glu", kind="vector", family="gated", params=[_half()],
            source=Source("Dauphin, Fan, Auli & Grangier", 2017,
                          "Language modeling with gated convolutional networks"),
            note="a ⊙ σ(b) on the two halves of the input")
def _glu(d):
    return _glu_family(d, sigmoid)


@activation("swiglu", kind="vector", family="gated", params=[_half()],
            source=_SHAZEER, note="a ⊙ silu(b)")
def _swiglu(d):
    return _glu_family(d, lambda v: v * sigmoid(v))


@activation("geglu", kind="vector", family="gated", params=[_half()],
            source=_SHAZEER, note="a ⊙ gelu(b)")
def _geglu(d):
    return _glu_family(d, lambda v: v * Phi(v))


@activation("reglu", kind="vector", family="gated", params=[_half()],
            source=_SHAZEER, note="a ⊙ relu(b)")
def _reglu(d):
    return _glu_family(d, lambda v: Max(0, v))
