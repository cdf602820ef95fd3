"""Helpers shared by the :mod:`gan_lessons.games` submodules.

The tie tolerance, number formatting for ``repr`` and prose, read-only copies,
the checks of strategies done at the public boundary (random keys and step sizes
are checked by :mod:`gan_lessons._validate`) and the dominance search. Nothing here
is public API of the course; the names are public so that the submodules can share them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from gan_lessons._validate import as_probability_vector

__all__ = ["tie_tolerance", "fraction_hint", "format_vector", "readonly", "check_row_strategy",
           "check_col_strategy", "dominators"]

# Two numbers closer than _TIE_TOL * max(1, max |A|) count as equal when looking for
# best responses, saddle points, security-level maximisers and dominance.
_TIE_TOL = 1e-9


def tie_tolerance(payoff: np.ndarray) -> float:
    """The tie tolerance for ``payoff``: _TIE_TOL scaled by the size of its entries."""
    return _TIE_TOL * max(1.0, float(np.max(np.abs(payoff))))


def fraction_hint(value: float) -> str:
    """`` (= 2/7)`` when ``value`` is a simple fraction, else an empty string."""
    frac = Fraction(value).limit_denominator(1000)
    if frac.denominator > 1 and abs(float(frac) - value) < 1e-9:
        return f" (= {frac.numerator}/{frac.denominator})"
    return ""


def format_vector(vector: np.ndarray) -> str:
    return np.array2string(np.asarray(vector), precision=4, suppress_small=True,
                           separator=", ")


def readonly(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64, copy=True)
    array.flags.writeable = False
    return array


def check_row_strategy(payoff: np.ndarray, value: Any, name: str = "row_strategy") -> np.ndarray:
    return as_probability_vector(name, value, size=payoff.shape[0])


def check_col_strategy(payoff: np.ndarray, value: Any, name: str = "col_strategy") -> np.ndarray:
    return as_probability_vector(name, value, size=payoff.shape[1])


def dominators(B: np.ndarray, tol: float) -> dict[int, int]:
    """For each row of ``B`` weakly dominated by another row (>= everywhere, > somewhere,
    for a maximiser), the index of the first row that dominates it."""
    found = {}
    for i in range(B.shape[0]):
        for k in range(B.shape[0]):
            if k != i and np.all(B[k] >= B[i] - tol) and np.any(B[k] > B[i] + tol):
                found[i] = k
                break
    return found
