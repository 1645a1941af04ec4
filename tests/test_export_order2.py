"""Second derivatives within the export contract (2 ULP, subnormal results
included, no RuntimeWarning), where they were not: mish'' (353 ULP at
subnormal results past x = 355, 4.5 on [8, 40]), gelu'' (2.59 at 9.65),
tanh'' (2.55 at 0.69), sigmoid'' (2.05 at -4.83). References are 40-digit
mpmath values of the SymPy expression, computed here.
"""
import warnings

import numpy as np
import pytest

from symacts.export import export, resolve
from symacts.export.reference import reference_values, ulp_error

BOUND = 2.0

#: name -> (dense ranges of the former worst errors, single points)
CASES = {
    "mish": ([(2.875, 3.25), (8.0, 40.0), (355.0, 372.0)],
             [369.9708558036291, 3.004098954302659, 21.271235419437446, 745.0]),
    "gelu": ([(8.0, 14.0), (-14.0, -8.0), (1.3, 1.5)], [9.65327104326516, 2.0 ** 0.5]),
    "tanh": ([(0.375, 1.0)], [0.6925606899749188, 0.6517430562940594]),
    "sigmoid": ([(-5.0, -3.0), (8.0, 20.0)], [-4.828001152239935, -3.359089351991713]),
}


def _points(ranges, singles, n=100):
    rng = np.random.default_rng(2026)
    xs = [rng.uniform(a, b, n) for a, b in ranges] + [np.array(singles, dtype=np.float64)]
    return np.concatenate(xs)


@pytest.mark.parametrize("name", sorted(CASES))
def test_order2_within_contract(name):
    xs = _points(*CASES[name])
    expr, var, _ = resolve(name, 2)
    refs = reference_values(expr, var, xs)
    f = export(name, order=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = f(xs)
    errs = np.array([ulp_error(g, r) for g, r in zip(got, refs)])
    k = int(np.argmax(errs))
    assert errs[k] <= BOUND, f"{name}'': {errs[k]} ULP at x = {xs[k]!r}"


def test_mish_d2_subnormal_tail_and_limits():
    """-8(x - 1)e^(-2x) far right: subnormal from x = 355, -0.0 from 377."""
    f = export("mish", order=2)
    xs = np.array([360.0, 370.0, 374.0, 376.0, 380.0, 1e300, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = f(xs)
    expr, var, _ = resolve("mish", 2)
    refs = reference_values(expr, var, xs[:5])
    assert all(ulp_error(g, r) <= BOUND for g, r in zip(got[:5], refs))
    assert 0 < -got[0] < 2.2250738585072014e-308
    assert np.all(got[4:] == 0.0) and np.all(np.signbit(got[4:]))


def test_exp_ratio_order_k_kernel_matches_definition():
    """k_exp_ratio with k = 2 and 3 (t^k = e^(k·u), k·u a double-double)."""
    import mpmath
    from symacts.export.kernels import k_exp_ratio
    u = np.array([-0.7, -3.3, -40.0, -300.0])
    for k in (2, 3):
        got = k_exp_ratio(u, 2.5, (1.0, -0.5), (0.25, 1.0), k)
        with mpmath.workdps(40):
            for g, v in zip(got, u):
                t = mpmath.exp(mpmath.mpf(float(v)))
                ref = t**k * (2.5 + t * (t - 0.5)) / (1 + t * (0.25 * t + 1))
                assert ulp_error(g, ref) <= 1.5, (k, v, g)


def test_torch_agrees_on_mish_d2_tail():
    torch = pytest.importorskip("torch")
    xs = np.array([2.5, 3.004098954302659, 21.27, 120.0, 369.97, 800.0])
    a = export("mish", order=2)(xs)
    b = export("mish", order=2, backend="torch")(torch.tensor(xs, dtype=torch.float64)).numpy()
    assert np.array_equal(a, b)
