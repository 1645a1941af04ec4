"""pytest collects every proof module's CLAIMS as one test per claim.

A module's claims are verified together on first use, in two processes
(``run_claims``), and each test then checks its own verdict.
"""
import pytest

from symacts.verify.prove import load, run_claims


class ProofItem(pytest.Item):
    def __init__(self, *, claim, **kw):
        super().__init__(**kw)
        self.claim = claim

    def runtest(self):
        v = self.parent.verdicts()[self.claim.id]
        if v.status != self.claim.expected:
            raise AssertionError(f"{self.claim.id}: expected {self.claim.expected}, "
                                 f"got {v.status}\n{v.text()}\nsource: {self.claim.source}")

    def repr_failure(self, excinfo):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, 0, f"{self.claim.id}: {self.claim.text}"


class ProofModule(pytest.File):
    _verdicts = None

    def collect(self):
        (_, self._claims), = load([str(self.path)])
        for c in self._claims:
            yield ProofItem.from_parent(self, name=c.id, claim=c)

    def verdicts(self):
        if self._verdicts is None:
            self._verdicts = {c.id: v for c, v in run_claims(self._claims, jobs=2)}
        return self._verdicts


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".py" and file_path.name not in ("conftest.py", "__init__.py") \
            and not file_path.name.startswith("test_"):
        return ProofModule.from_parent(parent, path=file_path)
