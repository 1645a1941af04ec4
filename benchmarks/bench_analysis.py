"""Benchmark: every scalar fact sheet of the catalog from scratch (empty cache),
then again from the cache. Prints a markdown table for docs/benchmarks.md.

Usage: python benchmarks/bench_analysis.py [--jobs 2]
"""
import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor


def one(name):
    import symacts
    t = time.perf_counter()
    sheet = symacts.facts(name)
    methods = {}
    for group in ("extrema", "gaussian", "gains"):
        for v in sheet.data[group].values():
            if isinstance(v, dict) and v.get("method"):
                methods[v["method"]] = methods.get(v["method"], 0) + 1
    return name, time.perf_counter() - t, methods


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    os.environ["SYMACTS_CACHE"] = tempfile.mkdtemp(prefix="symacts-bench-")
    import symacts
    names = symacts.names("scalar")
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as ex:
        rows = list(ex.map(one, names))
    cold = time.perf_counter() - t0
    t1 = time.perf_counter()
    for n in names:
        symacts.facts(n)
    warm = time.perf_counter() - t1
    print(f"{len(names)} fact sheets, {args.jobs} processes: {cold:.1f} s wall (cold cache); "
          f"second run from the cache {warm * 1000:.0f} ms in all")
    print("\n| activation | seconds (cold) | methods in extrema/gaussian/gains |")
    print("|---|---|---|")
    for n, s, m in sorted(rows, key=lambda r: -r[1]):
        print(f"| {n} | {s:.2f} | {', '.join(f'{k} {v}' for k, v in sorted(m.items()))} |")
    print(f"\nslowest: {max(r[1] for r in rows):.2f} s; sum of per-sheet times "
          f"{sum(r[1] for r in rows):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
