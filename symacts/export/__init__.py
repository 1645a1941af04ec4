"""The export layer: the one numeric path from SymPy expressions to numbers.

``mp`` evaluates at any precision with mpmath; ``arb`` gives rigorous
enclosures with python-flint.
"""
