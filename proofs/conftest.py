"""pytest collects every proof module's CLAIMS as one test per claim."""
import pytest

from symacts.verify.prove import check, load


class ProofItem(pytest.Item):
    def __init__(self, *, claim, **kw):
        super().__init__(**kw)
        self.claim = claim

    def runtest(self):
        check(self.claim)

    def repr_failure(self, excinfo):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, 0, f"{self.claim.id}: {self.claim.text}"


class ProofModule(pytest.File):
    def collect(self):
        (_, claims), = load([str(self.path)])
        for c in claims:
            yield ProofItem.from_parent(self, name=c.id, claim=c)


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".py" and file_path.name not in ("conftest.py", "__init__.py") \
            and not file_path.name.startswith("test_"):
        return ProofModule.from_parent(parent, path=file_path)
