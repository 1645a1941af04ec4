"""Errors a person can act on: every message names what was wrong and what would do.

>>> raise UnknownNameError("unknown activation 'sigmod'; did you mean sigmoid?")
Traceback (most recent call last):
...
symacts.errors.UnknownNameError: unknown activation 'sigmod'; did you mean sigmoid?
"""
import difflib

__all__ = ["SymactsError", "UnknownNameError", "DomainError", "InputError",
           "closest"]


class SymactsError(Exception):
    """Base class of every error symacts raises on bad input."""


class UnknownNameError(SymactsError, LookupError):
    """An activation, parameter or function name that does not exist."""

    def __str__(self):  # LookupError would quote the message
        return str(self.args[0]) if self.args else ""


class DomainError(SymactsError, ValueError):
    """A value outside its domain (softplus beta=-1, an interval with lo > hi)."""


class InputError(SymactsError, ValueError):
    """Input that cannot be parsed or is of the wrong form."""


def closest(word, candidates, n=3):
    """The names among ``candidates`` closest to ``word``, best first.

    >>> closest('sigmod', ['sigmoid', 'silu', 'tanh'])
    ['sigmoid']
    """
    low = {c.lower(): c for c in candidates}
    w = word.lower()
    scored = sorted(((difflib.SequenceMatcher(None, w, c).ratio(), c) for c in low),
                    reverse=True)
    scored = [(r, c) for r, c in scored if r >= 0.6]
    if not scored:
        return []
    best = scored[0][0]
    return [low[c] for r, c in scored[:n] if r >= best - 0.1]
