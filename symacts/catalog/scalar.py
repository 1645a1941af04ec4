"""Scalar activations: one small definition each, in the variable ``x`` (real).

Each builder receives the parameter values (numbers or symbols) in catalog
order and returns a SymPy expression in :data:`~symacts.catalog.core.X`.

>>> from symacts import get
>>> get("mish").expr
x*tanh(softplus(x))
>>> get("hard_swish").expr
Piecewise((0, x <= -3), (x, x >= 3), (x*(x + 3)/6, True))
"""
from sympy import (Abs, Heaviside, Interval, Max, Min, Piecewise, Rational, S,
                   atan, exp, log, pi, sin, sqrt, tanh)

from ..functions import Phi, sigmoid, softplus
from .core import Param, Source, X as x
from .registry import activation

__all__ = ["SELU_ALPHA", "SELU_LAMBDA"]

POSITIVE = Interval.open(0, S.Infinity)
NONNEGATIVE = Interval(0, S.Infinity)


def _erfc(v):
    from sympy import erfc
    return erfc(v)


#: Klambauer et al. (2017), eq. (14): the exact α₀₁ and λ₀₁ of SELU.
SELU_ALPHA = -sqrt(2 / pi) / (_erfc(1 / sqrt(2)) * exp(S.Half) - 1)
SELU_LAMBDA = (1 - _erfc(1 / sqrt(2)) * sqrt(S.Exp1)) * sqrt(2 * pi) / sqrt(
    2 * _erfc(sqrt(2)) * exp(2) + pi * _erfc(1 / sqrt(2))**2 * S.Exp1
    - 2 * (2 + pi) * _erfc(1 / sqrt(2)) * sqrt(S.Exp1) + pi + 2)


def relu(v):
    return Max(0, v)


# --- identity and threshold ------------------------------------------------

@activation("identity", aliases=("linear",), family="linear",
            note="the identity map: what a network without activations is")
def _identity():
    return x


@activation("step", aliases=("heaviside", "binary_step", "threshold"),
            family="threshold",
            source=Source("McCulloch & Pitts", 1943,
                          "A logical calculus of the ideas immanent in nervous activity"),
            note="1 for x >= 0, 0 for x < 0; derivative 0 almost everywhere")
def _step():
    return Heaviside(x, 1)


# --- sigmoidal ---------------------------------------------------------------

@activation("sigmoid", aliases=("logistic", "expit"), family="sigmoidal",
            source=Source("Rumelhart, Hinton & Williams", 1986,
                          "Learning representations by back-propagating errors"),
            note="σ(x) = 1/(1 + e^-x): range (0, 1), σ' = σ(1 - σ) <= 1/4")
def _sigmoid():
    return sigmoid(x)


@activation("hard_sigmoid", aliases=("hardsigmoid",), family="sigmoidal",
            source=Source("Howard et al.", 2019, "Searching for MobileNetV3"),
            note="relu6(x + 3)/6, PyTorch's piecewise-linear stand-in for σ")
def _hard_sigmoid():
    return Piecewise((0, x <= -3), (1, x >= 3), (x / 6 + S.Half, True))


@activation("tanh", aliases=("hyperbolic_tangent",), family="sigmoidal",
            source=Source("LeCun, Bottou, Orr & Müller", 1998, "Efficient BackProp"),
            note="zero-centred sigmoid: tanh(x) = 2σ(2x) - 1, range (-1, 1)")
def _tanh():
    return tanh(x)


@activation("hard_tanh", aliases=("hardtanh",), family="sigmoidal",
            source=Source("Collobert", 2004, "Large scale machine learning (PhD thesis)"),
            note="clip(x, -1, 1)")
def _hard_tanh():
    return Piecewise((-1, x <= -1), (1, x >= 1), (x, True))


@activation("softsign", family="sigmoidal",
            source=Source("Glorot & Bengio", 2010,
                          "Understanding the difficulty of training deep "
                          "feedforward neural networks"),
            note="x/(1 + |x|): range (-1, 1), polynomial (not exponential) tails")
def _softsign():
    return x / (1 + Abs(x))


@activation("arctan", aliases=("atan",), family="sigmoidal",
            note="arctan(x): range (-π/2, π/2)")
def _arctan():
    return atan(x)


@activation("log_sigmoid", aliases=("logsigmoid",), family="sigmoidal",
            note="log σ(x) = -softplus(-x): range (-∞, 0)")
def _log_sigmoid():
    return log(sigmoid(x))


# --- rectifiers ----------------------------------------------------------------

@activation("relu", aliases=("rectifier",), family="rectifier",
            source=Source("Nair & Hinton", 2010,
                          "Rectified linear units improve restricted Boltzmann machines"),
            note="max(0, x): piecewise linear, sparse, C^0")
def _relu():
    return relu(x)


@activation("relu6", family="rectifier",
            source=Source("Krizhevsky", 2010, "Convolutional deep belief networks on CIFAR-10"),
            note="min(max(0, x), 6)")
def _relu6():
    return Piecewise((0, x <= 0), (6, x >= 6), (x, True))


@activation("leaky_relu", aliases=("leakyrelu", "lrelu"), family="rectifier",
            params=[Param("a", Rational(1, 100), Interval.Ropen(0, 1),
                          "slope for x < 0 (PyTorch's negative_slope)")],
            source=Source("Maas, Hannun & Ng", 2013,
                          "Rectifier nonlinearities improve neural network acoustic models"),
            note="max(0, x) + a min(0, x) = max(a x, x) for 0 <= a < 1")
def _leaky_relu(a):
    return relu(x) + a * Min(0, x)


@activation("prelu", family="rectifier",
            params=[Param("a", Rational(1, 4), S.Reals,
                          "learned slope for x < 0 (PyTorch initialises it to 0.25)")],
            source=Source("He, Zhang, Ren & Sun", 2015,
                          "Delving deep into rectifiers: surpassing human-level "
                          "performance on ImageNet classification"),
            note="max(0, x) + a min(0, x) with a learned")
def _prelu(a):
    return relu(x) + a * Min(0, x)


@activation("squared_relu", aliases=("relu2", "relu_squared"), family="rectifier",
            source=Source("So et al.", 2021,
                          "Primer: searching for efficient transformers for language modeling"),
            note="max(0, x)^2: sparse and C^1")
def _squared_relu():
    return relu(x)**2


@activation("star_relu", aliases=("starrelu",), family="rectifier",
            params=[Param("s", 2 / sqrt(5), S.Reals, "scale (learned; initial 2/√5 ≈ 0.8944)"),
                    Param("b", -1 / sqrt(5), S.Reals, "bias (learned; initial -1/√5 ≈ -0.4472)")],
            source=Source("Yu et al.", 2022, "MetaFormer baselines for vision"),
            note="s relu(x)^2 + b; the initial s, b give mean 0 and variance 1 "
                 "under x ~ N(0, 1)")
def _star_relu(s, b):
    return s * relu(x)**2 + b


# --- exponential linear -------------------------------------------------------

@activation("elu", family="exponential",
            params=[Param("alpha", S.One, POSITIVE, "value approached as x → -∞ is -alpha")],
            source=Source("Clevert, Unterthiner & Hochreiter", 2016,
                          "Fast and accurate deep network learning by exponential "
                          "linear units (ELUs)"),
            note="x for x > 0, alpha (e^x - 1) otherwise; C^1 only when alpha = 1")
def _elu(alpha):
    return Piecewise((x, x > 0), (alpha * (exp(x) - 1), True))


@activation("selu", family="exponential",
            params=[Param("alpha", SELU_ALPHA, POSITIVE, "α₀₁ of Klambauer et al., exact"),
                    Param("scale", SELU_LAMBDA, POSITIVE, "λ₀₁ of Klambauer et al., exact")],
            source=Source("Klambauer, Unterthiner, Mayr & Hochreiter", 2017,
                          "Self-normalizing neural networks"),
            note="λ elu_α(x) with the exact α ≈ 1.6733, λ ≈ 1.0507 that make "
                 "(mean 0, variance 1) a fixed point")
def _selu(alpha, scale):
    return scale * Piecewise((x, x > 0), (alpha * (exp(x) - 1), True))


@activation("celu", family="exponential",
            params=[Param("alpha", S.One, POSITIVE, "scale of the negative branch")],
            source=Source("Barron", 2017, "Continuously differentiable exponential linear units"),
            note="max(0, x) + min(0, alpha (e^(x/alpha) - 1)): C^1 for every alpha")
def _celu(alpha):
    return Piecewise((x, x > 0), (alpha * (exp(x / alpha) - 1), True))


@activation("softplus", aliases=("smooth_relu",), family="exponential",
            params=[Param("beta", S.One, POSITIVE, "sharpness; softplus → relu as beta → ∞")],
            source=Source("Dugas, Bengio, Bélisle, Nadeau & Garcia", 2001,
                          "Incorporating second-order functional knowledge for "
                          "better option pricing"),
            note="log(1 + e^(βx))/β: smooth relu, gap to relu at most ln2/β (at 0)")
def _softplus(beta):
    return softplus(x, beta)


# --- self-gated (x times a gate) ---------------------------------------------

_GELU_SRC = Source("Hendrycks & Gimpel", 2016, "Gaussian error linear units (GELUs)")


@activation("gelu", aliases=("gelu_exact", "gelu_erf"), family="self-gated",
            source=_GELU_SRC,
            note="x Φ(x), Φ the standard normal CDF; minimum ≈ -0.1700 at x ≈ -0.7518")
def _gelu():
    return x * Phi(x)


@activation("gelu_tanh", aliases=("gelu_new", "approx_gelu"), family="self-gated",
            source=_GELU_SRC,
            note="x/2 (1 + tanh(√(2/π)(x + 0.044715 x^3))): the tanh approximation of GELU")
def _gelu_tanh():
    c = Rational(44715, 10**6)
    return x / 2 * (1 + tanh(sqrt(2 / pi) * (x + c * x**3)))


@activation("gelu_sigmoid", aliases=("quick_gelu",), family="self-gated",
            source=_GELU_SRC,
            note="x σ(1.702 x): the sigmoid approximation of GELU")
def _gelu_sigmoid():
    return x * sigmoid(Rational(1702, 1000) * x)


@activation("silu", aliases=("swish1", "sigmoid_linear_unit"), family="self-gated",
            source=Source("Elfwing, Uchibe & Doya", 2018,
                          "Sigmoid-weighted linear units for neural network function "
                          "approximation in reinforcement learning"),
            note="x σ(x); minimum -W(1/e) at x = -1 - W(1/e)")
def _silu():
    return x * sigmoid(x)


@activation("swish", family="self-gated",
            params=[Param("beta", S.One, POSITIVE, "gate sharpness; swish_1 = silu")],
            source=Source("Ramachandran, Zoph & Le", 2017, "Searching for activation functions"),
            note="x σ(βx): → relu as β → ∞, → x/2 as β → 0")
def _swish(beta):
    return x * sigmoid(beta * x)


@activation("mish", family="self-gated",
            source=Source("Misra", 2019,
                          "Mish: a self regularized non-monotonic activation function"),
            note="x tanh(softplus(x)): smooth, non-monotone, minimum ≈ -0.3088")
def _mish():
    return x * tanh(softplus(x))


@activation("hard_swish", aliases=("hardswish", "h_swish"), family="self-gated",
            source=Source("Howard et al.", 2019, "Searching for MobileNetV3"),
            note="x relu6(x + 3)/6: piecewise-polynomial stand-in for silu")
def _hard_swish():
    return Piecewise((0, x <= -3), (x, x >= 3), (x * (x + 3) / 6, True))


# --- shrinkage ---------------------------------------------------------------

@activation("tanhshrink", family="shrinkage", note="x - tanh(x)")
def _tanhshrink():
    return x - tanh(x)


@activation("softshrink", aliases=("soft_threshold",), family="shrinkage",
            params=[Param("lambd", S.Half, NONNEGATIVE, "threshold")],
            source=Source("Donoho", 1995, "De-noising by soft-thresholding"),
            note="x - λ for x > λ, x + λ for x < -λ, 0 between")
def _softshrink(lambd):
    return Piecewise((x - lambd, x > lambd), (x + lambd, x < -lambd), (0, True))


@activation("hardshrink", aliases=("hard_threshold",), family="shrinkage",
            params=[Param("lambd", S.Half, NONNEGATIVE, "threshold")],
            source=Source("Donoho & Johnstone", 1994,
                          "Ideal spatial adaptation by wavelet shrinkage"),
            note="x for |x| > λ, 0 otherwise (discontinuous at ±λ)")
def _hardshrink(lambd):
    return Piecewise((x, x > lambd), (x, x < -lambd), (0, True))


# --- others --------------------------------------------------------------------

@activation("gaussian", aliases=("gaussian_rbf",), family="radial",
            source=Source("Broomhead & Lowe", 1988,
                          "Multivariable functional interpolation and adaptive networks"),
            note="exp(-x^2): bump, range (0, 1]")
def _gaussian():
    return exp(-x**2)


@activation("snake", family="periodic",
            params=[Param("a", S.One, POSITIVE, "frequency")],
            source=Source("Ziyin, Hartwig & Ueda", 2020,
                          "Neural networks fail to learn periodic functions and how to fix it"),
            note="x + sin^2(a x)/a: monotone, with a periodic ripple")
def _snake(a):
    return x + sin(a * x)**2 / a


@activation("bent_identity", aliases=("bent",), family="other",
            note="(√(x^2 + 1) - 1)/2 + x: smooth, unbounded, monotone")
def _bent_identity():
    return (sqrt(x**2 + 1) - 1) / 2 + x
