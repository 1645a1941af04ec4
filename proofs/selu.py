"""ELU and SELU: saturation, the constants, the self-normalising fixed point.

Each claim gives its source and expected verdict; seed claims quote the seed
note (../shared/seeds/) and keep the id of /work/notes/seed_claims.md. Run
with ``symacts prove`` or pytest (proofs/conftest.py collects CLAIMS).
"""
from symacts.verify import Claim

CLAIMS = [
    Claim('elu(x, alpha) == alpha*(exp(x) - 1) where x <= 0 and alpha > 0',
          'proved',
          id='S004-09a',
          source='seed 004_2153f89338d14575.txt (S004-09): ELU(x) = x (x>0); \\alpha(e^x - 1) (x \\le 0)` / `负半轴具有软饱和性'),
    Claim('limit(elu(x, 2), x, -oo) == -2',
          'proved',
          id='S004-09b',
          source='seed 004_2153f89338d14575.txt (S004-09): ELU(x) = x (x>0); \\alpha(e^x - 1) (x \\le 0)` / `负半轴具有软饱和性'),
    Claim('Abs(expect(elu(x, 1), x)) < expect(relu(x), x)',
          'proved',
          id='S004-10',
          source='seed 004_2153f89338d14575.txt (S004-10): 使激活值均值接近 $0$'),
    Claim('approx(selu(1), 1.0507, 5e-5) and approx(-limit(selu(x), x, -oo)/selu(1), 1.67326, 5e-6)',
          'proved',
          id='S004-11',
          source='seed 004_2153f89338d14575.txt (S004-11): SELU(x) = \\lambda (x \\text{ if } x>0;\\ \\alpha(e^x - 1) \\text{ if } x \\le 0)` / `$\\alpha \\approx 1.67326$, $\\lambda \\approx 1.0507$'),
    Claim('expect(selu(x), x) == 0 and expect(selu(x)**2, x) == 1',
          'proved',
          id='S004-12',
          source='seed 004_2153f89338d14575.txt (S004-12): 证明了在特定条件下,深层全连接网络无需 BN 即可自动收敛到标准正态分布',
          note='true: with the closed-form alpha and lambda the Gaussian moments are shown exactly 0 and 1 (erf/erfc rewrite, one fraction, numerator expanded to 0)'),
    Claim('selu(x) > -1.7581',
          'proved',
          id='SELU-L1',
          source='Klambauer et al. (2017): selu >= -lambda alpha = -1.75809934...'),
    Claim('elu(x) >= -1',
          'proved',
          id='SELU-L2',
          source='Clevert et al. (2016): elu_1 saturates to -1'),
]
