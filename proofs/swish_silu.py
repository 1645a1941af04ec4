"""Swish x sigma(beta x) and SiLU: minimum -W(1/e), non-monotone, the GLU variants.

Each claim gives its source and expected verdict; seed claims quote the seed
note (../shared/seeds/) and keep the id of /work/notes/seed_claims.md. Run
with ``symacts prove`` or pytest (proofs/conftest.py collects CLAIMS).
"""
from symacts.verify import Claim

CLAIMS = [
    Claim('swish(x, 1) == x*sigmoid(x) and inf(diff(silu(x), x), x) < 0 and limit(silu(x), x, -oo) == 0',
          'proved',
          id='S001-21',
          source='seed 001_927de86d67116e76.txt (S001-21): Swish 函数，定义为 $f(x) = x \\cdot \\sigma(x)$ … 是一个典型的平滑非单调激活函数。它在 $x<0$ 的某个区域内有轻微的下降（负斜率），然后在 $x \\to -\\infty$ 时趋近于 0'),
    Claim('swish(x, beta) == x*sigmoid(beta*x) and swish(x, beta) == x/(1 + exp(-beta*x)) and swish(x, 1) == silu(x)',
          'proved',
          id='S004-16',
          source='seed 004_2153f89338d14575.txt (S004-16): \\text{Swish}(x) = x \\cdot \\sigma(\\beta x) = \\frac{x}{1 + e^{-\\beta x}}` / `当 $\\beta=1$ 时称为 SiLU'),
    Claim('sup(swish(x, beta), x) == oo and inf(swish(x, beta), x) == -LambertW(exp(-1))/beta and inf(diff(swish(x, beta), x), x) < 0 where beta > 0',
          'proved',
          id='S004-17',
          source='seed 004_2153f89338d14575.txt (S004-17): 特性:无上界、有下界、平滑、非单调',
          note='true: beta scales out (swish_beta(x) = silu(beta x)/beta, beta > 0): unbounded above, minimum -W(1/e)/beta exactly, swish\' dips below 0; the beta = 2 instance is S004-17b'),
    Claim('sup(swish(x, 2), x) == oo and swish(x, 2) >= -0.14 and inf(diff(swish(x, 2), x), x) < 0',
          'proved',
          id='S004-17b',
          source='seed 004_2153f89338d14575.txt (S004-17): 特性:无上界、有下界、平滑、非单调',
          note='beta = 2: unbounded above, bounded below (the minimum is -W(1/e)/2 ≈ -0.13923), '
               'non-monotone (a point where the derivative is negative, checked with arb)'),
    Claim('swish(g, 1)*v == g/(1 + exp(-g))*v',
          'proved',
          id='S004-19',
          source='seed 004_2153f89338d14575.txt (S004-19): \\text{SwiGLU}(x) = \\text{Swish}_1(xW_g) \\otimes (xW_v) = \\left( \\frac{xW_g}{1 + e^{-xW_g}} \\right) \\otimes (xW_v)'),
    Claim('hard_swish(x) == x*relu6(x + 3)/6',
          'proved',
          id='S004-21',
          source='seed 004_2153f89338d14575.txt (S004-21): \\text{HardSwish}(x) = x \\cdot \\frac{\\text{ReLU6}(x+3)}{6}'),
    Claim('inf(silu(x), x) == -LambertW(exp(-1))',
          'proved',
          id='SWIS-L1',
          source='Elfwing et al. (2018); minimum -W(1/e) at x = -1 - W(1/e)'),
    Claim('silu(x) >= -0.28',
          'proved',
          id='SWIS-L2',
          source='the minimum -0.27846...'),
    Claim('silu(x) >= -0.27',
          'refuted',
          id='SWIS-L3',
          source='mutation of the bound above'),
]
