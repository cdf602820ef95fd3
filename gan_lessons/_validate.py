"""Input validation shared by the public functions of :mod:`gan_lessons`.

Every public function checks its arguments here, at the boundary, so that a
mistake raises a ``ValueError`` or ``TypeError`` that names the argument, shows
the value received and says what was expected. Code inside ``jax.jit`` can then
assume clean inputs with fixed shapes.

The kit: arrays (:func:`as_finite_array`, :func:`as_matrix`,
:func:`as_probability_vector`, :func:`as_float32`, :func:`as_increasing_grid`),
scalars and names (:func:`check_positive_float`, :func:`check_int`,
:func:`check_choice`, :func:`check_bounds`), JAX values (:func:`check_key`,
:func:`is_traced`), images
(:func:`check_images`, :func:`as_gray_images`) and the two formatters that error
messages and ``repr`` use (:func:`show`, :func:`show_numbers`). Nothing here is
public API of the course; the names are public so that every module can share them.
"""

from __future__ import annotations

import numbers
from typing import Any, Iterable

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "as_matrix",
    "as_probability_vector",
    "as_finite_array",
    "as_float32",
    "as_increasing_grid",
    "as_gray_images",
    "as_positive_float32",
    "check_bounds",
    "check_choice",
    "check_images",
    "check_positive_float",
    "check_int",
    "check_key",
    "is_traced",
    "show",
    "show_numbers",
]

_MAX_SHOWN = 60


# --------------------------------------------------------------------------- formatting


def show(value: Any) -> str:
    """A short ``repr`` of ``value`` for error messages: one line, at most 60 characters.

    Example:
      >>> show(list(range(30)))
      '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16...'
    """
    text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def show_numbers(values: Any, digits: int = 6) -> str:
    """Numbers in ``%g`` style with ``digits`` significant digits; more than 8 are elided.

    A 0-d value prints as a bare number, an array as a flat list, for ``repr`` and
    error messages.

    Example:
      >>> show_numbers(2.0), show_numbers([1.0, 2.5, -3.0]), show_numbers(np.arange(10.0))
      ('2', '[1, 2.5, -3]', '[0, 1, 2, ..., 7, 8, 9]')
      >>> show_numbers([1 / 3], digits=4)
      '[0.3333]'
    """
    flat = np.ravel(np.asarray(values, dtype=np.float64))
    parts = [f"{v:.{digits}g}" for v in flat]
    if len(parts) > 8:
        parts = parts[:3] + ["..."] + parts[-3:]
    text = "[" + ", ".join(parts) + "]"
    return text if np.ndim(values) > 0 else parts[0]


def is_traced(value: Any) -> bool:
    """Whether ``value`` is a JAX tracer (inside ``jax.jit``, ``grad``, ``vmap``...).

    A tracer has a shape and a dtype but no values: checks of values must skip it.
    """
    return isinstance(value, jax.core.Tracer)


# --------------------------------------------------------------------------- arrays


def _to_float_array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of real numbers, got {show(value)}")
    try:
        array = np.asarray(value)
    except ValueError as err:  # numpy refuses ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular array of real numbers, got the ragged value "
            f"{show(value)}"
        ) from err
    if array.dtype == object:
        raise ValueError(
            f"{name} must be a rectangular array of real numbers, got {show(value)}"
        )
    if array.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got complex values {show(value)}")
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold real numbers, got dtype {array.dtype} in {show(value)}"
        )
    return array.astype(np.float64)


def as_finite_array(name: str, value: Any, *, ndim: int | None = None,
                    min_size: int = 1) -> np.ndarray:
    """Convert ``value`` to a finite float64 array, checking its rank and size."""
    array = _to_float_array(name, value)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array, got shape {array.shape} ({show(value)})"
        )
    if array.size < min_size:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(
            f"{name} must hold finite numbers (no NaN or infinity), got {show(value)}"
        )
    return array


def as_matrix(name: str, value: Any) -> np.ndarray:
    """Convert ``value`` to a non-empty, finite, 2-D float64 matrix."""
    array = _to_float_array(name, value)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D matrix (m rows x n columns), got an array of shape "
            f"{array.shape}: {show(value)}"
        )
    if 0 in array.shape:
        raise ValueError(f"{name} must have at least one row and one column, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers (no NaN or infinity), got {show(value)}")
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
            f"{show(value)}"
        )
    if np.any(array < -atol):
        raise ValueError(f"{name} must have no negative entries, got {show(value)}")
    total = float(array.sum())
    if abs(total - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1 (a probability vector), got a sum of {total:.6g}: "
                         f"{show(value)}")
    return np.clip(array, 0.0, None)


def _check_shape(name: str, actual: tuple[int, ...], ndim: int | None,
                 shape: tuple[int, ...] | None) -> None:
    if ndim is not None and len(actual) != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {actual}")
    if shape is not None and tuple(actual) != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got shape {actual}")


def as_float32(name: str, value: Any, *, ndim: int | None = None,
               shape: tuple[int, ...] | None = None, min_size: int = 1,
               finite: bool = True) -> jax.Array:
    """``value`` as a float32 JAX array, checked at the boundary of a jitted core.

    A concrete value goes through :func:`as_finite_array` (real numbers, rank
    ``ndim``, at least ``min_size`` entries, no NaN or infinity), must have ``shape``
    when one is given, and must fit in float32 (``|x| < 3.4e38``). With
    ``finite=False`` NaN and infinities pass (a density may be evaluated at
    ``inf``), and so does an overflow to infinity. A tracer (inside ``jax.jit``)
    has only its dtype, rank and shape checked: its values cannot be inspected.

    Example:
      >>> as_float32("start", [1, 2], shape=(2,))
      Array([1., 2.], dtype=float32)
      >>> as_float32("start", [1.0, 2.0, 3.0], shape=(2,))
      Traceback (most recent call last):
      ...
      ValueError: start must have shape (2,), got shape (3,)
    """
    if is_traced(value):
        if not (jnp.issubdtype(value.dtype, jnp.floating) or jnp.issubdtype(value.dtype, jnp.integer)
                or value.dtype == jnp.bool_):
            raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
        _check_shape(name, value.shape, ndim, shape)
        return value.astype(jnp.float32)
    if finite:
        array = as_finite_array(name, value, ndim=ndim, min_size=min_size)
    else:
        array = _to_float_array(name, value)
        _check_shape(name, array.shape, ndim, None)
        if array.size < min_size:
            raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    _check_shape(name, array.shape, None, shape)
    with np.errstate(over="ignore"):  # an overflow to infinity is reported below
        single = array.astype(np.float32)
    if finite and not np.all(np.isfinite(single)):
        raise ValueError(f"{name} must fit in float32 (|value| < 3.4e38), got {show_numbers(array)}")
    return jnp.asarray(single)


def as_increasing_grid(name: str, value: Any) -> jax.Array:
    """A 1-D, finite, strictly increasing float32 grid of at least two points.

    Points that are distinct in float64 but collapse in float32 are refused too.

    Example:
      >>> as_increasing_grid("grid", [0, 1, 3])
      Array([0., 1., 3.], dtype=float32)
    """
    array = as_finite_array(name, value, ndim=1)
    if array.size < 2:
        raise ValueError(f"{name} must have at least 2 points, got {array.size}")
    if not np.all(np.diff(array) > 0):
        raise ValueError(f"{name} must be strictly increasing, got {show(value)}")
    single = array.astype(np.float32)
    if not np.all(np.diff(single) > 0):
        raise ValueError(f"{name} must stay strictly increasing in float32 "
                         f"(points closer than float32 resolution), got {show(value)}")
    return jnp.asarray(single)


# --------------------------------------------------------------------------- scalars and names


def check_choice(name: str, value: Any, options: Iterable[str]) -> str:
    """Check that ``value`` is one of the strings in ``options``."""
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        valid = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {valid}; got {show(value)}")
    return value


def check_positive_float(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """Check that ``value`` is a finite real number > 0 (or >= 0 with ``allow_zero``).

    A Python or NumPy number, or a concrete 0-d array (a JAX scalar included, as a
    widget or a jitted function may hand back); returns a Python float.

    Example:
      >>> check_positive_float("eta", jax.numpy.float32(0.5))
      0.5
    """
    if isinstance(value, jax.Array) and not is_traced(value):
        value = np.asarray(value)
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray, np.generic)):
        raise TypeError(f"{name} must be a real number, got {show(value)}")
    if np.ndim(value) != 0:
        raise ValueError(f"{name} must be a scalar, got an array of shape {np.shape(value)}")
    number = float(value)
    bad = number < 0 if allow_zero else number <= 0
    if not np.isfinite(number) or bad:
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {show(value)}")
    return number


def as_positive_float32(name: str, value: Any, *, allow_zero: bool = False) -> jax.Array:
    """:func:`check_positive_float`, returned as a float32 JAX scalar for a jitted core.

    Example:
      >>> as_positive_float32("eta", 0.1)
      Array(0.1, dtype=float32)
    """
    return jnp.asarray(check_positive_float(name, value, allow_zero=allow_zero), jnp.float32)


def check_int(name: str, value: Any, *, minimum: int | None = None,
              maximum: int | None = None) -> int:
    """Check that ``value`` is an integer within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {show(value)}")
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum}, got {number}")
    return number


def check_bounds(lo: Any, hi: Any) -> tuple[Any, Any] | None:
    """Optional integration bounds: both ``None`` (a default range) or scalars with lo < hi.

    Concrete bounds become float32 JAX scalars; tracers pass unchecked.

    Example:
      >>> check_bounds(None, None) is None
      True
      >>> check_bounds(2.0, 1.0)
      Traceback (most recent call last):
      ...
      ValueError: hi must be greater than lo, got lo=2.0, hi=1.0
    """
    if (lo is None) != (hi is None):
        raise ValueError(
            f"lo and hi must be given together (or both left as None for the default range), "
            f"got lo={show(lo)}, hi={show(hi)}")
    if lo is None:
        return None
    bounds = []
    for name, value in (("lo", lo), ("hi", hi)):
        if not is_traced(value):
            array = as_finite_array(name, value)
            if array.ndim != 0:
                raise ValueError(f"{name} must be a scalar, got shape {array.shape}")
            value = jnp.asarray(array, jnp.float32)
        bounds.append(value)
    lo_, hi_ = bounds
    if not (is_traced(lo_) or is_traced(hi_)) and not float(lo_) < float(hi_):
        raise ValueError(f"hi must be greater than lo, got lo={show(lo)}, hi={show(hi)}")
    return lo_, hi_


# --------------------------------------------------------------------------- JAX keys


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
    shown = _describe_array(key) if hasattr(key, "dtype") and hasattr(key, "shape") else show(key)
    raise TypeError(
        f"{name} must be a single JAX random key such as jax.random.key(0){legacy}, got {shown}")



# --------------------------------------------------------------------------- images


def check_images(name: str, images: Any, *, ndim: int = 3,
                 value_range: tuple[float, float] | None = (-1.0, 1.0)) -> np.ndarray:
    """Check a batch of images, (N, H, W) or, with ``ndim=4``, (N, H, W, C); return float32.

    Raises ``TypeError`` (non-numbers) or ``ValueError`` (wrong rank, no images, NaN or infinity,
    values outside the closed interval ``value_range``; ``None``: no bound) naming ``name``.

    Example:
      >>> check_images("images", np.zeros((2, 8, 8))).dtype
      dtype('float32')
      >>> check_images("fake", np.zeros((8, 8)))
      Traceback (most recent call last):
      ...
      ValueError: fake must be a 3-D array of shape (N, H, W), got shape (8, 8)
    """
    layout = {3: "(N, H, W)", 4: "(N, H, W, C)"}
    if ndim not in layout:
        raise ValueError(f"ndim must be 3 (N, H, W) or 4 (N, H, W, C), got {show(ndim)}")
    if isinstance(images, (str, bytes)) or images is None:
        raise TypeError(f"{name} must be an array of images, got {show(images)}")
    try:
        array = np.asarray(images)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array {layout[ndim]}") from err
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array of shape {layout[ndim]}, "
                         f"got shape {array.shape}")
    if 0 in array.shape:
        raise ValueError(f"{name} must hold at least one image of at least one pixel, "
                         f"got shape {array.shape}")
    bad = ~np.isfinite(array)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} must hold finite numbers (no NaN or infinity), got "
                         f"{int(bad.sum())} non-finite value(s), the first at index {first}")
    array = array.astype(np.float32)
    if value_range is not None:
        low, high = (float(v) for v in value_range)
        lo, hi = float(array.min()), float(array.max())
        if lo < low or hi > high:
            where = tuple(int(i) for i in np.argwhere((array < low) | (array > high))[0])
            raise ValueError(f"{name} must hold values in [{low:g}, {high:g}], got values from "
                             f"{lo:g} to {hi:g} (the first outside at index {where})")
    return array


def as_gray_images(name: str, value: Any, shape: tuple[int, int] | None = None) -> np.ndarray:
    """One-channel images as float32 ``(N, H, W)``.

    Accepts ``(N, H, W)``, ``(N, H, W, 1)`` and, when ``shape = (H, W)`` is given, flat
    rows ``(N, H * W)``; the values must be finite (any range).

    Example:
      >>> as_gray_images("images", np.zeros((5, 64)), (8, 8)).shape
      (5, 8, 8)
    """
    x = as_finite_array(name, value)
    if shape is not None and x.ndim == 2 and x.shape[1] == shape[0] * shape[1]:
        x = x.reshape(-1, *shape)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or (shape is not None and x.shape[1:] != tuple(shape)):
        h, w = shape or ("H", "W")
        raise ValueError(f"{name} must be images of shape (N, {h}, {w}) (or with a trailing "
                         f"channel of 1), got shape {x.shape}")
    return x.astype(np.float32)
