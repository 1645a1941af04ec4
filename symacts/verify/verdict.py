"""The answer to a claim: status, method, evidence, counterexample, seconds.

``status`` is one of ``proved`` (for every value of the domain, by a sound
method), ``refuted`` (a counterexample checked with arb enclosures),
``numeric`` (held at every high-precision point tried, not proved) and
``unknown`` (out of budget or unsupported; the evidence says why).

>>> v = Verdict("0 < sigmoid(x)", "proved", "symbolic", ["sign of sigmoid(x)"])
>>> v
<proved: 0 < sigmoid(x)  [symbolic, 0.00 s]>
>>> v.to_dict()["status"], bool(v)
('proved', True)
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Verdict", "STATUSES", "EXIT_CODES"]

STATUSES = ("proved", "refuted", "numeric", "unknown")
#: exit code of ``symacts verify`` for the worst status seen
EXIT_CODES = {"proved": 0, "refuted": 1, "numeric": 3, "unknown": 4}


@dataclass
class Verdict:
    """The verdict on one claim (see the module docstring)."""

    claim: str
    status: str
    method: str = ""
    evidence: list = field(default_factory=list)
    counterexample: dict | None = None
    seconds: float = 0.0

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if isinstance(self.evidence, str):
            self.evidence = [self.evidence]

    def __bool__(self):
        """True only when proved."""
        return self.status == "proved"

    def __repr__(self):
        return f"<{self.status}: {self.claim}  [{self.method or '-'}, {self.seconds:.2f} s]>"

    def text(self):
        """A readable multi-line report."""
        lines = [f"{self.status.upper()}: {self.claim}",
                 f"  method: {self.method or '-'}   ({self.seconds:.2f} s)"]
        if self.counterexample:
            ce = self.counterexample
            at = ", ".join(f"{k} = {v}" for k, v in ce.get("point", {}).items())
            lines.append(f"  counterexample: {at or '(no variables)'}")
            for f in ce.get("fails", []):
                lines.append(f"    {f['relation']} fails: lhs = {f['lhs']}, rhs = {f['rhs']}")
        for e in self.evidence:
            lines.append(f"  - {e}")
        return "\n".join(lines)

    __str__ = text

    def to_dict(self):
        """Plain data for JSON (keys: claim, status, method, counterexample,
        evidence, seconds)."""
        return {"claim": self.claim, "status": self.status, "method": self.method,
                "counterexample": self.counterexample, "evidence": list(self.evidence),
                "seconds": round(self.seconds, 4)}

    def _repr_latex_(self):
        from .parser import parse
        try:
            st = parse(self.claim)
            body = st.formula.latex()
            if st.where is not None:
                body += r" \quad \text{where } " + st.where.latex()
        except Exception:  # noqa: BLE001 - display only
            body = r"\text{%s}" % self.claim.replace("_", r"\_")
        return rf"$\textbf{{{self.status}}}\colon\ {body}$"
