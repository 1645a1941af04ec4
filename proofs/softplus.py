"""Softplus: a smooth ReLU with gap at most ln2/beta.

Each claim gives its source and expected verdict; seed claims quote the seed
note (../shared/seeds/) and keep the id of /work/notes/seed_claims.md. Run
with ``symacts prove`` or pytest (proofs/conftest.py collects CLAIMS).
"""
from symacts.verify import Claim

CLAIMS = [
    Claim('softplus(x, beta) == log(1 + exp(beta*x))/beta and diff(softplus(x, beta), x) == exp(beta*x)/(1 + exp(beta*x)) where beta > 0',
          'proved',
          id='S001-17',
          source="seed 001_927de86d67116e76.txt (S001-17): $f_{\\beta}(x) = \\frac{1}{\\beta}\\ln(1 + \\exp(\\beta x))$ … $f'_{\\beta}(x) = \\frac{\\exp(\\beta x)}{1+\\exp(\\beta x)}$"),
    Claim('limit(softplus(x, beta), beta, oo) == relu(x)',
          'proved',
          id='S001-18',
          source='seed 001_927de86d67116e76.txt (S001-18): 当 $\\beta \\to \\infty$ 时，Softplus 函数逐点收敛于 ReLU',
          note="SymPy's limit in beta depends on the sign of x: the engine splits on it"),
    Claim('softplus(x, beta) - relu(x) >= 0 where beta > 0',
          'proved',
          id='S001-19',
          source='seed 001_927de86d67116e76.txt (S001-19): 近似误差在所有点上都是非负的'),
    Claim('sup(softplus(x, beta) - relu(x), x) == log(2)/beta and argmax(softplus(x, beta) - relu(x), x) == 0 where beta > 0',
          'proved',
          id='S001-20',
          source='seed 001_927de86d67116e76.txt (S001-20): 其最大值发生在 $x=0$ 处，为 $\\sup_{x} |f_{\\beta}(x) - \\operatorname{ReLU}(x)| = \\frac{\\ln(2)}{\\beta}$',
          note='true: beta scales out (softplus_beta(x) - relu(x) = g(beta x)/beta, beta > 0), sup g = log 2 at 0 exactly; the beta = 1 instance is S001-20b'),
    Claim('sup(softplus(x) - relu(x), x) == log(2) and argmax(softplus(x) - relu(x), x) == 0',
          'proved',
          id='S001-20b',
          source='seed 001_927de86d67116e76.txt (S001-20): 其最大值发生在 $x=0$ 处，为 $\\sup_{x} |f_{\\beta}(x) - \\operatorname{ReLU}(x)| = \\frac{\\ln(2)}{\\beta}$'),
    Claim('softplus(x) - softplus(-x) == x',
          'proved',
          id='SOFT-L1',
          source='Dugas et al. (2001); softplus(x) - softplus(-x) = x'),
    Claim('diff(softplus(x), x) == sigmoid(x)',
          'proved',
          id='SOFT-L2',
          source='Dugas et al. (2001)'),
    Claim('softplus(x) > relu(x)',
          'proved',
          id='SOFT-L3',
          source='the gap log(1 + e^-|x|) is positive'),
]
