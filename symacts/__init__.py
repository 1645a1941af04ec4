"""symacts: symbolic math and verification for neural-network activation functions.

Every activation is defined once, as a SymPy expression; derivatives, facts,
proofs and fast numeric code are derived from that one definition.

>>> import symacts
>>> symacts.get("sigmoid").diff()
(1 - sigmoid(x))*sigmoid(x)
>>> symacts.get("sigmod")
Traceback (most recent call last):
...
symacts.errors.UnknownNameError: unknown activation 'sigmod'; did you mean sigmoid?
"""
from .catalog import Activation, Param, Source, get, names
from .errors import DomainError, InputError, SymactsError, UnknownNameError
from .functions import Phi, logit, phi, sigmoid, softplus
from . import export  # the subpackage, callable: symacts.export(name, ...)
from . import verify  # the subpackage, callable: symacts.verify(claim)
from .verify import assert_holds
from .latex import derive  # checked step-by-step derivations

__version__ = "0.1.0"


def facts(name, cache=True, **params):
    """The fact sheet of a catalog activation (:mod:`symacts.analysis.profile`)."""
    from .analysis.profile import fact_sheet
    return fact_sheet(get(name, **params), cache=cache)


__all__ = ["Activation", "Param", "Source", "get", "names",
           "SymactsError", "UnknownNameError", "DomainError", "InputError",
           "sigmoid", "logit", "softplus", "Phi", "phi", "export", "verify",
           "assert_holds", "facts", "derive"]
