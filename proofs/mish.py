"""Mish x tanh(softplus(x)): smooth, non-monotone, minimum about -0.3088.

Each claim gives its source and expected verdict; seed claims quote the seed
note (../shared/seeds/) and keep the id of /work/notes/seed_claims.md. Run
with ``symacts prove`` or pytest (proofs/conftest.py collects CLAIMS).
"""
from symacts.verify import Claim

CLAIMS = [
    Claim('mish(x) == x*tanh(log(1 + exp(x))) and inf(diff(mish(x), x), x) < 0',
          'proved',
          id='S004-18',
          source='seed 004_2153f89338d14575.txt (S004-18): \\text{Mish}(x) = x \\cdot \\tanh(\\ln(1 + e^x))'),
    Claim('mish(x) >= -0.31',
          'proved',
          id='MISH-L1',
          source='Misra (2019): minimum about -0.3088'),
    Claim('mish(x) >= -0.30',
          'refuted',
          id='MISH-L2',
          source='mutation: the minimum is -0.30884...'),
    Claim('mish(x) < x where x > 0',
          'proved',
          id='MISH-L3',
          source='tanh(softplus(x)) < 1'),
]
