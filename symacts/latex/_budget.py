"""Time budgets for SymPy calls that can run away (simplify, solve, limit).

:func:`within` runs a function under a wall-clock budget and returns
``default`` when the budget runs out. On the main thread of a Unix process
it interrupts the call with ``SIGALRM``; elsewhere it runs the call in a
daemon thread and abandons it after the budget (the answer is then ignored).

>>> import sympy
>>> x = sympy.Symbol('x')
>>> within(lambda: sympy.simplify(sympy.sin(x)**2 + sympy.cos(x)**2), 5)
1
>>> def forever():
...     while True:
...         pass
>>> within(forever, 0.05, default="out of time")
'out of time'
"""
from __future__ import annotations

import signal
import threading

__all__ = ["within", "OutOfTime"]


class OutOfTime(Exception):
    """Raised inside a call whose budget has run out."""


def _alarm(signum, frame):
    raise OutOfTime()


def within(fn, seconds, default=None):
    """``fn()`` if it finishes within ``seconds``, else ``default``."""
    usable = (hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if usable:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fn()
        except OutOfTime:
            return default
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    box = []
    t = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    t.start()
    t.join(seconds)
    return box[0] if box else default
