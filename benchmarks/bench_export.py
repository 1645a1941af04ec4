"""Benchmark of the NumPy export: time on 10**6 float64 values (5·N(0, 1),
seed 1) of each exported function beside the fastest hand-written NumPy/SciPy
version, a one-pass copy and (when torch is installed) PyTorch's own CPU op,
all in one process: the export and its hand-written versions best of 11
rounds, interleaved (so a change of load on a shared machine hits both
alike), the others best of 7. The ratio is against NumPy/SciPy only:
torch's ops run multi-threaded and are a different yardstick.

    python benchmarks/bench_export.py [NAME ...]     # prints a Markdown table

PyTorch's ops are timed in a child process: importing torch changes how
NumPy's large temporaries are allocated (the hand-written baselines, which
allocate 8 MB arrays per pass, ran 1.5-2x faster in a process that had
imported torch: measured 2026-12-01), so the NumPy ratios are measured in a
process that never imports it.
"""
import json
import subprocess
import sys
import time

import numpy as np

import symacts
from symacts.export import export
from symacts.export.baselines import handwritten


def best(fn, x, repeat=7):
    fn(x)
    t = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(x)
        t = min(t, time.perf_counter() - t0)
    return t


def best_interleaved(fns, x, repeat=11):
    """Best time of each function, in rounds (export, hand, export, ...) so a
    change of load on a shared machine hits all of them alike; in each round a
    function runs once untimed first (right after another function's 8 MB
    temporaries were freed, the allocator hands back fresh pages, and the first
    call pays their page faults: 1 ms for the export, measured)."""
    ts = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            fn(x)
            t0 = time.perf_counter()
            fn(x)
            ts[k] = min(ts[k], time.perf_counter() - t0)
    return ts


def _input():
    return np.random.default_rng(1).standard_normal(10**6) * 5


def torch_times(names):
    """{name: ms} of PyTorch's own ops, timed in this process (the child)."""
    from symacts.export.baselines import torch_op
    x = _input()
    out = {}
    for name in names:
        top = torch_op(name, 0)
        if top is not None:
            out[name] = best(top, x) * 1e3
    return out


def _torch_column(names):
    try:
        run = subprocess.run([sys.executable, __file__, "--torch-times", *names],
                             capture_output=True, text=True, timeout=600, check=True)
        return json.loads(run.stdout)
    except (subprocess.SubprocessError, ValueError, OSError):
        return {}


def main(names):
    torch_ms = _torch_column(names)
    x = _input()
    copy = best(np.copy, x)
    print(f"copy of 10^6 float64: {copy * 1e3:.2f} ms\n")
    print("| function | export ms | x copy | fastest hand-written NumPy/SciPy | its ms "
          "| ratio export/hand | torch op ms |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        for k in (0, 1):
            hands = handwritten(name, k)
            tt = torch_ms.get(name) if k == 0 else None
            if not hands and tt is None:
                continue
            f = export(name, order=k)
            with np.errstate(all="ignore"):
                ts = best_interleaved([f] + list(hands.values()), x)
            t, timed = ts[0], dict(zip(hands, ts[1:]))
            label = name if k == 0 else f"{name}'"
            tcol = f"{tt:.2f}" if tt is not None else "-"
            if timed:
                lab, th = min(timed.items(), key=lambda kv: kv[1])
                lab = lab.replace("|", "\\|")  # a pipe inside a Markdown table cell
                print(f"| {label} | {t * 1e3:.2f} | {t / copy:.1f} | `{lab}` | {th * 1e3:.2f} | "
                      f"{t / th:.2f} | {tcol} |")
            else:
                print(f"| {label} | {t * 1e3:.2f} | {t / copy:.1f} | - | - | - | {tcol} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--torch-times"]:
        print(json.dumps(torch_times(sys.argv[2:])))
    else:
        main(sys.argv[1:] or symacts.names("scalar"))
