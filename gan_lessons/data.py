"""Two-dimensional toy data sets: the ring and the grid of the mode-collapse papers.

A *mixture* here is an equal-weight mixture of isotropic Gaussians in the plane,

.. math::

    p(x) = \\frac{1}{K} \\sum_{k=1}^{K} \\mathcal{N}(x;\\, \\mu_k,\\, \\sigma^2 I_2),

described by the tuple of means :math:`\\mu_k` and the common standard deviation
:math:`\\sigma`. Two of them are the standard benchmarks for mode collapse:

* :data:`RING`: 8 Gaussians equally spaced on the unit circle, :math:`\\sigma = 0.01`;
* :data:`GRID`: 25 Gaussians at :math:`\\{-4, -2, 0, 2, 4\\}^2`, :math:`\\sigma = 0.05`.

These are the constants used by VEEGAN (Srivastava et al., 2017) and PacGAN (Lin et al.,
2018) in their mode-coverage experiments.

:class:`Mixture2D` is a frozen, hashable dataclass, so a data set can be a static
argument of ``jax.jit``; :func:`sample_mixture` is a pure JAX function that can be
called inside a jitted training step.

Example::

    >>> import jax
    >>> from gan_lessons.data import RING, sample_mixture
    >>> x = sample_mixture(jax.random.key(0), RING, 512)
    >>> x.shape
    (512, 2)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from gan_lessons._validate import (
    as_finite_array,
    check_choice,
    check_int,
    check_positive_float,
)

__all__ = [
    "Mixture2D",
    "RING",
    "GRID",
    "DATASETS",
    "get_dataset",
    "ring_means",
    "grid_means",
    "sample_mixture",
]

Means = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Mixture2D:
    """An equal-weight mixture of isotropic 2-D Gaussians.

    Args:
      name: a short label (``"ring"``, ``"grid"``, or your own).
      means: the K component means, a tuple of ``(x, y)`` pairs. Any (K, 2) array-like is
        accepted and stored as a tuple of float pairs, which keeps the object hashable.
      std: the standard deviation of every component along each axis (> 0).

    The object is frozen and hashable, so it can be passed as a static argument to
    ``jax.jit``.
    """

    name: str
    means: Means
    std: float

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        array = as_finite_array("means", self.means, ndim=2)
        if array.shape[1] != 2:
            raise ValueError(
                f"means must have shape (K, 2): one (x, y) pair per mode, got shape {array.shape}"
            )
        std = check_positive_float("std", self.std)
        object.__setattr__(self, "means", tuple((float(x), float(y)) for x, y in array))
        object.__setattr__(self, "std", std)

    @property
    def means_array(self) -> np.ndarray:
        """The means as a float64 NumPy array of shape (K, 2)."""
        return np.asarray(self.means, dtype=np.float64)

    @property
    def num_modes(self) -> int:
        """K, the number of mixture components."""
        return len(self.means)


def ring_means(n_modes: int = 8, radius: float = 1.0) -> Means:
    """Means equally spaced on a circle: :math:`r(\\cos 2\\pi k/n, \\sin 2\\pi k/n)`, k = 0..n-1.

    Args:
      n_modes: the number of means n (>= 1).
      radius: the radius r of the circle (> 0).

    Returns:
      A tuple of n ``(x, y)`` pairs, starting at ``(r, 0)`` and going counter-clockwise.
    """
    n_modes = check_int("n_modes", n_modes, minimum=1)
    radius = check_positive_float("radius", radius)
    return tuple(
        (radius * math.cos(2.0 * math.pi * k / n_modes),
         radius * math.sin(2.0 * math.pi * k / n_modes))
        for k in range(n_modes)
    )


def grid_means(n_per_side: int = 5, spacing: float = 2.0) -> Means:
    """Means on a square grid centred at the origin.

    The coordinates along each axis are :math:`(i - (m - 1)/2)\\,s` for i = 0..m-1, so the
    defaults (m = 5, s = 2) give :math:`\\{-4, -2, 0, 2, 4\\}^2`.

    Args:
      n_per_side: m, the number of means along each axis (>= 1).
      spacing: s, the distance between neighbouring means (> 0).

    Returns:
      A tuple of m * m ``(x, y)`` pairs in row-major order (x outer, y inner).
    """
    n_per_side = check_int("n_per_side", n_per_side, minimum=1)
    spacing = check_positive_float("spacing", spacing)
    coords = [(i - (n_per_side - 1) / 2.0) * spacing for i in range(n_per_side)]
    return tuple((x, y) for x in coords for y in coords)


RING = Mixture2D("ring", ring_means(8, 1.0), 0.01)
"""8 Gaussians on the unit circle with std 0.01 (VEEGAN / PacGAN)."""

GRID = Mixture2D("grid", grid_means(5, 2.0), 0.05)
"""25 Gaussians at {-4, -2, 0, 2, 4}^2 with std 0.05 (VEEGAN / PacGAN)."""

DATASETS: dict[str, Mixture2D] = {"ring": RING, "grid": GRID}
"""The named 2-D data sets, by name."""


def get_dataset(name: str) -> Mixture2D:
    """Return the named 2-D data set (``"ring"`` or ``"grid"``).

    Raises:
      ValueError: if ``name`` is not one of the names in :data:`DATASETS`.
    """
    return DATASETS[check_choice("name", name, DATASETS)]


def sample_mixture(key: jax.Array, dataset: Mixture2D, n: int) -> jax.Array:
    """Draw n points from a 2-D Gaussian mixture with equal weights.

    Each sample picks a mode k uniformly from {0, ..., K-1} and returns
    :math:`\\mu_k + \\sigma \\varepsilon` with :math:`\\varepsilon \\sim \\mathcal{N}(0, I_2)`.
    The function is pure and may be called inside ``jax.jit`` (``dataset`` and ``n`` must
    then be static).

    Args:
      key: a JAX random key (``jax.random.key(seed)``).
      dataset: the mixture to sample from.
      n: the number of samples (>= 1).

    Returns:
      A float32 array of shape (n, 2).
    """
    if not isinstance(dataset, Mixture2D):
        raise TypeError(f"dataset must be a Mixture2D (see get_dataset), got {type(dataset).__name__}")
    n = check_int("n", n, minimum=1)
    return _sample_mixture(key, dataset, n)


@functools.partial(jax.jit, static_argnums=(1, 2))
def _sample_mixture(key: jax.Array, dataset: Mixture2D, n: int) -> jax.Array:
    # Compiled once per (dataset, n); inlined when called from traced code.
    mode_key, noise_key = jax.random.split(key)
    means = jnp.asarray(dataset.means, dtype=jnp.float32)
    modes = jax.random.randint(mode_key, (n,), 0, dataset.num_modes)
    noise = jax.random.normal(noise_key, (n, 2), dtype=jnp.float32)
    return means[modes] + jnp.float32(dataset.std) * noise
