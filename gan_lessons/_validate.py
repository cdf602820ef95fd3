"""Input validation shared by the public functions of :mod:`gan_lessons`.

Every public function checks its arguments here, at the boundary, so that a
mistake raises a ``ValueError`` or ``TypeError`` that names the argument, shows
the value received and says what was expected. Code inside ``jax.jit`` can then
assume clean inputs with fixed shapes.
"""

from __future__ import annotations

import numbers
from typing import Any, Iterable

import jax
import numpy as np

__all__ = [
    "as_matrix",
    "as_probability_vector",
    "as_finite_array",
    "check_choice",
    "check_positive_float",
    "check_int",
    "check_key",
]

_MAX_SHOWN = 60


def _show(value: Any) -> str:
    """A short ``repr`` of ``value`` for error messages."""
    text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _to_float_array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of real numbers, got {_show(value)}")
    try:
        array = np.asarray(value)
    except ValueError as err:  # numpy refuses ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular array of real numbers, got the ragged value "
            f"{_show(value)}"
        ) from err
    if array.dtype == object:
        raise ValueError(
            f"{name} must be a rectangular array of real numbers, got {_show(value)}"
        )
    if array.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got complex values {_show(value)}")
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold real numbers, got dtype {array.dtype} in {_show(value)}"
        )
    return array.astype(np.float64)


def as_finite_array(name: str, value: Any, *, ndim: int | None = None,
                    min_size: int = 1) -> np.ndarray:
    """Convert ``value`` to a finite float64 array, checking its rank and size."""
    array = _to_float_array(name, value)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array, got shape {array.shape} ({_show(value)})"
        )
    if array.size < min_size:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(
            f"{name} must hold finite numbers (no NaN or infinity), got {_show(value)}"
        )
    return array


def as_matrix(name: str, value: Any) -> np.ndarray:
    """Convert ``value`` to a non-empty, finite, 2-D float64 matrix."""
    array = _to_float_array(name, value)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D matrix (m rows x n columns), got an array of shape "
            f"{array.shape}: {_show(value)}"
        )
    if 0 in array.shape:
        raise ValueError(f"{name} must have at least one row and one column, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers (no NaN or infinity), got {_show(value)}")
    return array


def as_probability_vector(name: str, value: Any, *, size: int | None = None,
                          atol: float = 1e-6) -> np.ndarray:
    """Check that ``value`` is a probability vector: 1-D, finite, >= 0, summing to 1.

    Nothing is renormalised: a vector that is off by more than ``atol`` is an error.
    """
    array = as_finite_array(name, value, ndim=1)
    if size is not None and array.shape[0] != size:
        raise ValueError(
            f"{name} must have {size} entries to match the payoff matrix, got {array.shape[0]}: "
            f"{_show(value)}"
        )
    if np.any(array < -atol):
        raise ValueError(f"{name} must have no negative entries, got {_show(value)}")
    total = float(array.sum())
    if abs(total - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1 (a probability vector), got a sum of {total:.6g}: "
                         f"{_show(value)}")
    return np.clip(array, 0.0, None)


def check_choice(name: str, value: Any, options: Iterable[str]) -> str:
    """Check that ``value`` is one of the strings in ``options``."""
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        valid = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {valid}; got {_show(value)}")
    return value


def check_positive_float(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """Check that ``value`` is a finite real number > 0 (or >= 0 with ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray, np.generic)):
        raise TypeError(f"{name} must be a real number, got {_show(value)}")
    if np.ndim(value) != 0:
        raise ValueError(f"{name} must be a scalar, got an array of shape {np.shape(value)}")
    number = float(value)
    bad = number < 0 if allow_zero else number <= 0
    if not np.isfinite(number) or bad:
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {_show(value)}")
    return number


def check_int(name: str, value: Any, *, minimum: int | None = None,
              maximum: int | None = None) -> int:
    """Check that ``value`` is an integer within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {_show(value)}")
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum}, got {number}")
    return number


class _KeyShapeError(TypeError, ValueError):
    """A batch of keys where one key was expected.

    Both a ``TypeError`` (not a single key, like any other non-key) and a
    ``ValueError`` (a key array of the wrong shape, as ``jax.random`` reports it),
    so code that catches either keeps working; compare NumPy's ``AxisError``.
    """


def _describe_array(value: Any) -> str:
    """``a numpy.ndarray of dtype int64 and shape (2,)``: an array by type, dtype and shape."""
    kind = ("jax.Array" if isinstance(value, jax.Array)
            else f"{type(value).__module__.partition('.')[0]}.{type(value).__name__}")
    return f"a {kind} of dtype {value.dtype} and shape {tuple(value.shape)}"


def check_key(name: str, key: Any, *, allow_legacy: bool = False) -> jax.Array:
    """Check that ``key`` is one JAX random key, and return it unchanged.

    Accepts a typed key made by ``jax.random.key(seed)``: a ``jax.Array`` of a
    ``key<impl>`` dtype and shape ``()``, a tracer of one included, so the check
    also passes inside ``jax.jit``. With ``allow_legacy=True`` it also accepts a
    legacy raw key from ``jax.random.PRNGKey(seed)``, a ``uint32`` array of shape
    ``(2,)``.

    Args:
      name: the argument's name, for the error message.
      key: the value to check.
      allow_legacy: whether a legacy ``uint32`` key of shape ``(2,)`` is accepted too.

    Returns:
      ``key`` itself.

    Raises:
      TypeError: naming ``name`` for anything else: a seed, a NumPy array, a
        batch of keys such as ``jax.random.split(key, 2)`` (this error is also a
        ``ValueError``, the type ``jax.random`` raises for it), or, unless
        ``allow_legacy``, a legacy key.

    Example:
      >>> check_key("key", jax.random.key(0)).shape
      ()
      >>> check_key("key", 0)
      Traceback (most recent call last):
      ...
      TypeError: key must be a single JAX random key such as jax.random.key(0), got 0
    """
    if isinstance(key, jax.Array):
        if jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key):
            if key.shape == ():
                return key
            raise _KeyShapeError(
                f"{name} must be a single JAX random key (shape ()), got a batch of keys of "
                f"shape {key.shape}; pass one of them, such as {name}[0], or use jax.vmap")
        if key.dtype == np.uint32 and key.shape == (2,):
            if allow_legacy:
                return key
            raise TypeError(
                f"{name} must be a typed JAX random key such as jax.random.key(0), got a legacy "
                "uint32 key of shape (2,) as made by jax.random.PRNGKey; use jax.random.key(seed)")
    legacy = " (or a legacy uint32 key of shape (2,))" if allow_legacy else ""
    shown = _describe_array(key) if hasattr(key, "dtype") and hasattr(key, "shape") else _show(key)
    raise TypeError(
        f"{name} must be a single JAX random key such as jax.random.key(0){legacy}, got {shown}")
