"""The ``symacts`` command: one subcommand per capability, no logic of its own.

Bad input exits with code 2 and one line on stderr, never a traceback.

>>> main(["show", "sigmoid"])  # doctest: +ELLIPSIS
sigmoid  (aliases: logistic, expit)
...
0
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from . import __version__
from .catalog import definitions, get
from .catalog.values import to_exact
from .errors import InputError, SymactsError
from .catalog.describe import show_data, show_text

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line and exits 2."""

    def error(self, message):
        raise _UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


class _UsageError(Exception):
    pass


def parse_params(items):
    """``["beta=2", "a=1/3"]`` -> ``{"beta": 2, "a": 1/3}`` (values parsed safely).

    >>> parse_params(["beta=2", "a=1/3"])
    {'beta': 2, 'a': 1/3}
    """
    out = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--param takes NAME=VALUE, got {item!r}")
        out[name.strip()] = to_exact(value)
    return out


def _emit(data, as_json, text):
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(text)


def cmd_list(args):
    rows = []
    for d in definitions():
        if args.kind and d.kind != args.kind:
            continue
        rows.append({
            "name": d.name, "aliases": list(d.aliases), "kind": d.kind,
            "family": d.family,
            "params": [{"name": p.name, "default": str(p.default),
                        "domain": p.domain_text} for p in d.params],
            "source": str(d.source) if d.source else None,
            "cite": f"{d.source.authors} ({d.source.year})" if d.source else "-",
            "note": d.note,
        })
    if args.json:
        for r in rows:
            r.pop("cite")
        _emit(rows, True, "")
        return 0
    width = max(len(r["name"]) for r in rows) + 2
    for r in rows:
        params = ", ".join(f"{p['name']}={p['default']}" for p in r["params"])
        print(f"{r['name']:<{width}}{params or '-':<22}{r.pop('cite')}")
        if r["aliases"]:
            print(f"{'':<{width}}aliases: {', '.join(r['aliases'])}")
    return 0


def cmd_show(args):
    act = get(args.name, **parse_params(args.param))
    facts = act.is_scalar and not args.brief and not (act.expr.free_symbols - {act.variable})
    if facts:
        from .analysis.profile import fact_sheet
        sheet = fact_sheet(act, cache=not args.no_cache)
    if args.json:
        data = show_data(act)
        if facts:
            data["facts"] = sheet.data
        _emit(data, True, "")
    else:
        print(show_text(act))
        if facts:
            print("  facts (exact where a closed form exists; [method] says how):")
            print(sheet.text())
    return 0


def cmd_gain(args):
    from .analysis.init import gains
    from .analysis.facts import jsonable
    act = get(args.name, **parse_params(args.param))
    g = gains(act)
    if args.json:
        _emit({"name": act.name, **{k: v.to_dict() for k, v in g.items()}}, True, "")
        return 0
    print(act.name)
    for k in ("forward", "backward", "pytorch", "chi1"):
        print(f"  {g[k].name:<22} {g[k].value_text() if g[k].known else g[k].note}"
              f"   [{g[k].method}]" if g[k].known else f"  {g[k].name:<22} {g[k].note}")
    return 0


def cmd_selu(args):
    from .analysis.selu import selu_constants
    r = selu_constants(mean=to_exact(args.mean), var=to_exact(args.var), digits=args.digits)
    if args.json:
        _emit({"alpha": r["alpha"].to_dict(), "lambda": r["lambda"].to_dict(),
               "closed_form": r["closed_form"],
               "jacobian": [[e.to_dict() for e in row] for row in r["jacobian"]],
               "jacobian_norm": r["jacobian_norm"].to_dict()}, True, "")
        return 0
    print(f"SELU fixed point: mean {args.mean}, variance {args.var}")
    print(f"  alpha  = {r['alpha'].decimal}")
    print(f"  lambda = {r['lambda'].decimal}")
    cf = r["closed_form"]
    print(f"  closed form: alpha = {cf['alpha']}, lambda = {cf['lambda']}")
    print(f"    with {cf['where']}")
    J = r["jacobian"]
    print("  Jacobian of (mean, variance) map: "
          f"[[{J[0][0].decimal[:12]}, {J[0][1].decimal[:12]}], "
          f"[{J[1][0].decimal[:12]}, {J[1][1].decimal[:12]}]]")
    print(f"  spectral norm = {r['jacobian_norm'].decimal}  (< 1: the fixed point attracts)")
    return 0


def _jax_x64(backend):
    """The CLI owns its process: JAX works in float64 there, as the other backends."""
    if backend == "jax":
        from .export.array_backend import need
        need("jax").config.update("jax_enable_x64", True)


def cmd_audit(args):
    if args.backend != "numpy":
        from .export.array_audit import audit_backend, format_backend_report
        _jax_x64(args.backend)
        r = audit_backend(args.name, order=args.order, backend=args.backend, dtype=args.dtype,
                          n=args.points, speed=not args.no_speed, **parse_params(args.param))
        _emit(r, args.json, format_backend_report(r) if not args.json else "")
        return 0
    from .export.audit import audit, format_report
    r = audit(args.name, order=args.order, dtype=args.dtype, n=args.points,
              speed=not args.no_speed, **parse_params(args.param))
    _emit(r, args.json, format_report(r) if not args.json else "")
    return 0


def cmd_export(args):
    from .export.codegen import module_text
    _jax_x64(args.backend)
    text = module_text(args.name, order=args.order, backend=args.backend,
                       audit_points=args.points, **parse_params(args.param))
    if args.output in (None, "-"):
        print(text)
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote {args.output}")
    return 0


def cmd_verify(args):
    from .verify.commands import read_claims, run_verify
    if bool(args.claim) == bool(args.file):
        raise InputError("give one claim in quotes or --file FILE")
    claims = [args.claim] if args.claim else read_claims(args.file)
    return run_verify(claims, as_json=args.json, timeout=args.timeout,
                      progress=bool(args.file) and not args.json, where=args.where)


def cmd_prove(args):
    from .verify.commands import run_prove
    return run_prove(args.paths, as_json=args.json, jobs=args.jobs,
                     timeout=args.timeout, progress=not args.json)


def cmd_derive(args):
    from .latex.commands import run_derive
    return run_derive(args.name, order=args.order, fmt=args.format, output=args.output,
                      fragment=args.fragment, **parse_params(args.param))


def cmd_report(args):
    from .latex.commands import run_report
    return run_report(args.out, names=args.names or None, progress=not args.quiet)


def _seconds(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < v <= 3600:
        raise argparse.ArgumentTypeError("timeout must be between 0 and 3600 seconds")
    return v


def build_parser():
    p = _Parser(prog="symacts",
                description="Symbolic math and verification for activation functions.")
    p.add_argument("--version", action="version", version=f"symacts {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    s = sub.add_parser("list", help="the catalog: names, aliases, parameters, sources")
    s.add_argument("--kind", choices=["scalar", "vector"])
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="formula and derivative of one activation")
    s.add_argument("name")
    s.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="set a parameter, e.g. --param beta=2 (repeatable)")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.add_argument("--brief", action="store_true", help="formula only, no fact sheet")
    s.add_argument("--no-cache", action="store_true", help="recompute the fact sheet")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("gain", help="initialisation gains (forward, backward, PyTorch's)")
    s.add_argument("name")
    s.add_argument("--param", action="append", metavar="NAME=VALUE")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_gain)

    s = sub.add_parser("selu", help="SELU's alpha and lambda for a fixed point (mean, var)")
    s.add_argument("--digits", type=int, default=30, help="significant digits (default 30)")
    s.add_argument("--mean", default="0", help="target mean (default 0)")
    s.add_argument("--var", default="1", help="target variance (default 1)")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_selu)

    s = sub.add_parser("audit", help="ULP error of the exported float code, beside "
                       "naive lambdify and hand-written code, and its speed")
    s.add_argument("name")
    s.add_argument("--order", type=int, default=0, help="derivative order (default 0)")
    s.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    s.add_argument("--points", type=int, default=2000, help="about how many inputs")
    s.add_argument("--no-speed", action="store_true", help="skip the timings")
    s.add_argument("--backend", choices=["numpy", "torch", "jax"], default="numpy",
                   help="audit the torch or jax export beside the library's own op")
    s.add_argument("--param", action="append", metavar="NAME=VALUE")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_audit)

    s = sub.add_parser("export", help="write a standalone module with the function "
                       "and its derivative")
    s.add_argument("name")
    s.add_argument("--order", type=int, default=0, help="derivative order (default 0)")
    s.add_argument("--backend", choices=["numpy", "torch", "jax"], default="numpy")
    s.add_argument("--points", type=int, default=2000,
                   help="audit points for the docstring (0: no audit)")
    s.add_argument("--param", action="append", metavar="NAME=VALUE")
    s.add_argument("-o", "--output", metavar="FILE.py", help="output file (default: stdout)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("verify", help="prove or refute a claim, e.g. "
                       "\"diff(sigmoid(x), x) <= 1/4\" (see docs/claims.md)")
    s.add_argument("claim", nargs="?", help="the claim, in quotes")
    s.add_argument("--file", metavar="FILE", help="claims, one a line (# comments)")
    s.add_argument("--where", metavar="COND", help="restrict the variables, e.g. \"x > 0\"")
    s.add_argument("--timeout", type=_seconds, default=10.0, metavar="S",
                   help="CPU seconds per claim (default 10)")
    s.add_argument("--json", action="store_true", help="one JSON object a line")
    s.set_defaults(func=cmd_verify)

    s = sub.add_parser("prove", help="run the proof scripts (default: the bundled "
                       "proofs/) and print a table of verdicts")
    s.add_argument("paths", nargs="*", metavar="PATH", help="proof modules or folders")
    s.add_argument("--jobs", type=int, default=None, help="parallel processes (default 2)")
    s.add_argument("--timeout", type=_seconds, default=None, metavar="S",
                   help="CPU seconds per claim (default: each claim's own, 10)")
    s.add_argument("--json", action="store_true", help="one JSON object a line")
    s.set_defaults(func=cmd_prove)

    s = sub.add_parser("derive", help="a checked step-by-step derivation (derivative of "
                       "an activation, or a named derivation such as sigmoid_slope_bound)")
    s.add_argument("name")
    s.add_argument("--order", type=int, default=1, help="derivative order (default 1)")
    s.add_argument("--format", choices=["text", "latex", "markdown"], default="text")
    s.add_argument("--fragment", action="store_true",
                   help="LaTeX body only, not a complete document")
    s.add_argument("--param", action="append", metavar="NAME=VALUE")
    s.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    s.set_defaults(func=cmd_derive)

    s = sub.add_parser("report", help="write the catalog as documentation: one page per "
                       "activation with plots, an index and a comparison table")
    s.add_argument("--out", required=True, metavar="DIR", help="output folder")
    s.add_argument("names", nargs="*", metavar="NAME", help="only these activations")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_report)
    return p


def main(argv=None):
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return args.func(args)
    except _UsageError as e:
        print(str(e), file=sys.stderr)
        return 2
    except (SymactsError, ValueError, TypeError) as e:
        print(f"symacts: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise
    except OSError as e:  # an output file or folder that cannot be written
        where = f" {e.filename}" if getattr(e, "filename", None) else ""
        print(f"symacts: error: cannot write{where}: {e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symacts: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - a bug: one line, not a traceback
        if os.environ.get("SYMACTS_DEBUG"):
            raise
        print(f"symacts: internal error: {type(e).__name__}: {str(e)[:200]} (a bug in "
              "symacts; SYMACTS_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 70


def entry():  # pragma: no cover - console script
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `symacts list | head`
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
