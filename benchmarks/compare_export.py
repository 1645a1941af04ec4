"""Before/after timing of the NumPy export in one process: the exported source
of each function from another checkout (``--base``, e.g. a ``git worktree``
of the commit before a change) beside this checkout's, timed in interleaved
rounds with the fastest hand-written NumPy/SciPy version (as
``bench_export.py``: 10**6 float64 values, 5·N(0, 1), seed 1; best of
``--rounds``, each call after an untimed one), so that a machine whose speed
drifts (±15% over hours, measured) hits both versions alike.

    python benchmarks/compare_export.py --base /tmp/wt_base [NAME ...]   # NAME' for order 1

Prints a Markdown table. The base's sources are printed by a child process
run with PYTHONPATH=BASE; both are compiled here with only NumPy and SciPy
in scope, as ``export`` does.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
from scipy import special as sc

DEFAULT = ["relu6", "tanh'", "gaussian", "gelu", "gelu'", "gelu_tanh", "silu", "silu'",
           "tanhshrink", "tanh", "hard_tanh", "arctan", "relu", "hard_sigmoid'"]

_CHILD = """
import json, sys
from symacts.export import export
out = {}
for spec in sys.argv[1:]:
    name, k = (spec[:-1], 1) if spec.endswith("'") else (spec, 0)
    f = export(name, order=k)
    out[spec] = (f.source, f.__name__)
print(json.dumps(out))
"""


def sources(tree, specs):
    """{spec: (module text, function name)} as the checkout ``tree`` exports them."""
    env = dict(os.environ, PYTHONPATH=tree)
    run = subprocess.run([sys.executable, "-c", _CHILD, *specs], env=env, cwd=tree,
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def _load(text, name):
    ns = {"np": np, "sc": sc}
    exec(compile(text, f"<export {name}>", "exec"), ns)  # noqa: S102 - symacts' own printed code
    return ns[name]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", default=DEFAULT)
    p.add_argument("--base", required=True, help="the other checkout (its repository root)")
    p.add_argument("--rounds", type=int, default=21)
    a = p.parse_args(argv)
    from symacts.export.baselines import handwritten
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    old, new = sources(a.base, a.names), sources(here, a.names)
    x = np.random.default_rng(1).standard_normal(10**6) * 5
    print("| function | base ms | new ms | hand-written ms | base ratio | new ratio |")
    print("|---|---|---|---|---|---|")
    for spec in a.names:
        name, k = (spec[:-1], 1) if spec.endswith("'") else (spec, 0)
        fns = [_load(*old[spec]), _load(*new[spec])] + list(handwritten(name, k).values())
        ts = [float("inf")] * len(fns)
        with np.errstate(all="ignore"):
            for _ in range(a.rounds):
                for j, f in enumerate(fns):
                    f(x)
                    t0 = time.perf_counter()
                    f(x)
                    ts[j] = min(ts[j], time.perf_counter() - t0)
        th = min(ts[2:]) if len(fns) > 2 else float("nan")
        print(f"| {spec} | {ts[0] * 1e3:.2f} | {ts[1] * 1e3:.2f} | {th * 1e3:.2f} | "
              f"{ts[0] / th:.2f} | {ts[1] / th:.2f} |", flush=True)


if __name__ == "__main__":
    main()
