"""The verification engine: claims written as strings, proved or refuted.

``symacts.verify`` is this subpackage and, called, the function
:func:`~symacts.verify.engine.verify` (the module is callable, like
``symacts.export``), so ``symacts.verify("...")`` and
``symacts.verify.equal(lhs, rhs, x)`` both work. The claim language is
documented in docs/claims.md, the provers in docs/proofs.md.

>>> import symacts
>>> symacts.verify("0 < diff(tanh(x), x) < 1").counterexample["point"]
{'x': '0'}
>>> symacts.verify.equal(symacts.sigmoid(-symacts.catalog.X),
...                      1 - symacts.sigmoid(symacts.catalog.X)).status
'proved'
"""
from __future__ import annotations

import sys
import types

from .engine import TIMEOUT, assert_holds, equal, verify, verify_statement
from .parser import parse
from .verdict import EXIT_CODES, STATUSES, Verdict
from .prove import Claim, run_claims

__all__ = ["verify", "equal", "assert_holds", "parse", "Verdict", "STATUSES",
           "EXIT_CODES", "TIMEOUT", "Claim", "run_claims", "verify_statement"]


class _CallableModule(types.ModuleType):
    """``symacts.verify(claim)`` calls :func:`verify`."""

    def __call__(self, *args, **kwargs):
        return verify(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
