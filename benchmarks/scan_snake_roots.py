"""ULP scan of snake and snake' next to the roots -π/4 + kπ of snake' = 1 + sin 2x.

    python benchmarks/scan_snake_roots.py [--backend numpy|torch|jax] [--tries 2]

Points: in every binade 2^e, e = -1..1023, the doubles x = M·2^(e-52) with
M·α + 1/4 nearest an integer (α = 2^(e-52)/π: x + π/4 then lies within
about 2^-47..2^-60 of a multiple of π), found by Gauss-reducing the 2-D
lattice of (M, M·α mod 1) and rounding the target (Babai), a few lattice
neighbours each (``--tries``); every seventh negated; and the double nearest
-π/4 + kπ with its two neighbours for |k| < 300. Reference: the catalog's
expression through ``reference_values`` (mpmath at rising precision until 40
digits agree), never the float code.
"""
from __future__ import annotations

import argparse
import sys
import time

import mpmath
import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from scan_export import _exported  # noqa: E402

from symacts.export import resolve  # noqa: E402
from symacts.export.mp import mp_lambdify  # noqa: E402
from symacts.export.reference import reference_values, ulp_error  # noqa: E402


def near_roots(e, tries=2):
    """Doubles of the binade 2^e whose x + π/4 is nearest a multiple of π."""
    with mpmath.workprec(max(e, 0) + 400):
        alpha = mpmath.ldexp(1, e - 52) / mpmath.pi
        alpha -= mpmath.floor(alpha)
        a = int(mpmath.floor(mpmath.ldexp(alpha, 200)))
    b = 2 ** 198                      # 1/4 at the same scale
    s = 2 ** 96                       # M ~ 2^52 and the residue ~ 2^-52 balanced
    b1, b2 = [s, a], [0, 2 ** 200]

    def dot(u, v):
        return u[0] * v[0] + u[1] * v[1]
    while True:                       # Gauss reduction
        if dot(b1, b1) > dot(b2, b2):
            b1, b2 = b2, b1
        mu = (2 * dot(b1, b2) + dot(b1, b1)) // (2 * dot(b1, b1))
        if mu == 0:
            break
        b2 = [b2[0] - mu * b1[0], b2[1] - mu * b1[1]]
    det = b1[0] * b2[1] - b1[1] * b2[0]
    out = set()
    for c in (1.25, 1.5, 1.75):
        t = [int(c * 2 ** 52) * s, -b]
        x1 = mpmath.mpf(t[0] * b2[1] - t[1] * b2[0]) / det
        x2 = mpmath.mpf(b1[0] * t[1] - b1[1] * t[0]) / det
        for d1 in range(-tries, tries + 1):
            for d2 in range(-2, 3):
                k1, k2 = int(mpmath.nint(x1)) + d1, int(mpmath.nint(x2)) + d2
                m = (k1 * b1[0] + k2 * b2[0]) // s
                if 2 ** 52 <= m < 2 ** 53:
                    out.add(float(mpmath.ldexp(m, e - 52)))
    return sorted(out)


def points(tries=2):
    xs = [x for e in range(-1, 1024) for x in near_roots(e, tries)]
    xs = xs + [-x for x in xs[::7]]
    with mpmath.workprec(200):
        for k in range(-300, 300):
            r = float(-mpmath.pi / 4 + k * mpmath.pi)
            xs += [r, float(np.nextafter(r, np.inf)), float(np.nextafter(r, -np.inf))]
    return np.array(xs)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", default="numpy", choices=["numpy", "torch", "jax"])
    p.add_argument("--tries", type=int, default=2)
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    xs = points(a.tries)
    for order in (1, 0):
        expr, var, _ = resolve("snake", order)
        got = _exported("snake", order, a.backend)(xs)
        refs = reference_values(expr, var, xs, f=mp_lambdify(expr, var))
        errs = np.array([ulp_error(g, r) for g, r in zip(got, refs)])
        i = int(np.nanargmax(errs))
        print(f"snake order {order}: {xs.size} points, max {errs[i]:.3g} ULP at {xs[i]!r}, "
              f"{int((errs > 0).sum())} not correctly rounded, {int((errs > 2).sum())} > 2")
    print(f"{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
