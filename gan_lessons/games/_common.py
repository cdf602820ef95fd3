"""Private helpers shared by the :mod:`gan_lessons.games` submodules.

The tie tolerance, number formatting for ``repr`` and prose, read-only copies,
and the checks of strategies and step sizes done at the public boundary (random
keys are checked by :func:`gan_lessons._validate.check_key`). Nothing here is public API.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import jax
import numpy as np

from gan_lessons._validate import as_probability_vector, check_positive_float

__all__: list[str] = []

# Two numbers closer than _TIE_TOL * max(1, max |A|) count as equal when looking for
# best responses, saddle points, security-level maximisers and dominance.
_TIE_TOL = 1e-9


def _tol(payoff: np.ndarray) -> float:
    """The tie tolerance for ``payoff``: _TIE_TOL scaled by the size of its entries."""
    return _TIE_TOL * max(1.0, float(np.max(np.abs(payoff))))


def _fraction_hint(value: float) -> str:
    """`` (= 2/7)`` when ``value`` is a simple fraction, else an empty string."""
    frac = Fraction(value).limit_denominator(1000)
    if frac.denominator > 1 and abs(float(frac) - value) < 1e-9:
        return f" (= {frac.numerator}/{frac.denominator})"
    return ""


def _fmt_vector(vector: np.ndarray) -> str:
    return np.array2string(np.asarray(vector), precision=4, suppress_small=True,
                           separator=", ")


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64, copy=True)
    array.flags.writeable = False
    return array


def _row_strategy(payoff: np.ndarray, value: Any, name: str = "row_strategy") -> np.ndarray:
    return as_probability_vector(name, value, size=payoff.shape[0])


def _col_strategy(payoff: np.ndarray, value: Any, name: str = "col_strategy") -> np.ndarray:
    return as_probability_vector(name, value, size=payoff.shape[1])


def _check_eta(value: Any) -> float:
    """check_positive_float, also accepting a 0-d JAX array (as a widget may pass)."""
    if isinstance(value, jax.Array):
        value = np.asarray(value)
    return check_positive_float("eta", value)
