"""What ``symacts derive`` and ``symacts report`` do (the CLI only parses arguments).

>>> import io, contextlib
>>> buf = io.StringIO()
>>> with contextlib.redirect_stdout(buf):
...     code = run_derive("softplus", fmt="text")
>>> code, "sigmoid(beta*x)" in buf.getvalue()
(0, True)
"""
from __future__ import annotations

import os

from ..errors import InputError

__all__ = ["run_derive", "run_report", "render", "FORMATS"]

FORMATS = ("text", "latex", "markdown")


def _derivation(name, order=1, **params):
    from . import special
    from .derive import derive
    if special.is_special(name):
        if params or order != 1:
            raise InputError(f"{name} is a fixed derivation; it takes no --order or --param")
        return special.build(name)
    return derive(name, order=order, **params)


def render(d, fmt="text", fragment=False):
    """The derivation ``d`` in ``fmt`` (text, latex or markdown)."""
    from .document import derivation_document
    from .printers import to_markdown, to_text
    if fmt == "text":
        return to_text(d)
    if fmt == "markdown":
        return to_markdown(d)
    if fmt == "latex":
        return derivation_document(d, fragment=fragment)
    raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def run_derive(name, order=1, fmt="text", output=None, fragment=False, **params):
    """Print (or write to ``output``) the checked derivation of ``name``."""
    if fragment and fmt != "latex":
        raise InputError("--fragment goes with --format latex")
    text = render(_derivation(name, order, **params), fmt, fragment)
    if output in (None, "-"):
        print(text)
    else:
        d = os.path.dirname(os.path.abspath(output))
        if not os.path.isdir(d):
            raise InputError(f"cannot write {output}: folder {d} does not exist")
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        print(f"wrote {output}")
    return 0


def run_report(out, names=None, progress=True):
    """Write the catalog (pages, plots, index, comparison table) into ``out``."""
    from .report import write_report
    paths = write_report(out, names=names, progress=progress)
    print(f"wrote {len(paths)} files into {out}")
    return 0
