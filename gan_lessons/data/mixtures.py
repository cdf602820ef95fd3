"""Toy data sets: the 2-D ring and grid of the mode-collapse papers, and 1-D mixtures.

A *mixture* here is an equal-weight mixture of isotropic Gaussians in the plane,

.. math::

    p(x) = \\frac{1}{K} \\sum_{k=1}^{K} \\mathcal{N}(x;\\, \\mu_k,\\, \\sigma^2 I_2),

described by the tuple of means :math:`\\mu_k` and the common standard deviation
:math:`\\sigma`. Two of them are the standard benchmarks for mode collapse:

* :data:`RING`: 8 Gaussians equally spaced on the unit circle, :math:`\\sigma = 0.01`;
* :data:`GRID`: 25 Gaussians at :math:`\\{-4, -2, 0, 2, 4\\}^2`, :math:`\\sigma = 0.05`.

These are the constants used by VEEGAN (Srivastava et al., 2017) and PacGAN (Lin et al.,
2018) in their mode-coverage experiments.

For the 1-D picture of Goodfellow et al. (2014), Figure 1, :class:`Mixture1D` is a weighted
mixture of 1-D Gaussians stored as tuples of floats (frozen and hashable, unlike the pytree
densities of :mod:`gan_lessons.densities`, which it converts to with
:meth:`Mixture1D.density`): :data:`BIMODAL_1D` and :data:`GAUSSIAN_1D`. Its samples have shape
(n, 1), so the training engine treats them as data of dimension 1.

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
    as_probability_vector,
    check_choice,
    check_int,
    check_positive_float,
)

__all__ = [
    "Mixture1D",
    "Mixture2D",
    "Dataset",
    "BIMODAL_1D",
    "GAUSSIAN_1D",
    "RING",
    "GRID",
    "DATASETS",
    "get_dataset",
    "ring_means",
    "grid_means",
    "sample_mixture",
    "sample_dataset",
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

    @property
    def data_dim(self) -> int:
        """2: the dimension of the samples."""
        return 2

    def sample(self, key: jax.Array, n: int) -> jax.Array:
        """n samples, float32 of shape (n, 2); the same as :func:`sample_mixture`."""
        return sample_mixture(key, self, n)


@dataclass(frozen=True)
class Mixture1D:
    """A weighted mixture of 1-D Gaussians, frozen and hashable (a static ``jax.jit`` argument).

    .. math::

        p(x) = \\sum_{k=1}^{K} w_k\\, \\mathcal{N}(x;\\, \\mu_k,\\, \\sigma_k^2).

    Args:
      name: a short label.
      means: the K component means.
      stds: the K standard deviations (each > 0).
      weights: the K weights, a probability vector (>= 0, summing to 1).

    Array-likes are accepted and stored as tuples of Python floats.

    Example::

        >>> import jax
        >>> BIMODAL_1D.sample(jax.random.key(0), 4).shape
        (4, 1)
        >>> BIMODAL_1D.mean, round(BIMODAL_1D.std, 4)   # sqrt(0.25 + 4)
        (0.0, 2.0616)
    """

    name: str
    means: tuple[float, ...]
    stds: tuple[float, ...]
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        means = as_finite_array("means", self.means, ndim=1)
        if means.shape[0] < 1:
            raise ValueError("means must hold at least one component mean, got none")
        stds = as_finite_array("stds", self.stds, ndim=1)
        if stds.shape != means.shape:
            raise ValueError(f"stds must have one entry per mean ({means.shape[0]}), "
                             f"got {stds.shape[0]}")
        if np.any(stds <= 0):
            raise ValueError(f"stds must all be > 0, got {tuple(stds.tolist())}")
        weights = as_probability_vector("weights", self.weights)
        if weights.shape != means.shape:
            raise ValueError(f"weights must have one entry per mean ({means.shape[0]}), "
                             f"got {weights.shape[0]}")
        for field, array in (("means", means), ("stds", stds), ("weights", weights)):
            object.__setattr__(self, field, tuple(float(v) for v in array))

    @classmethod
    def from_density(cls, density, name: str = "custom_1d") -> "Mixture1D":
        """The spec of a concrete :class:`~gan_lessons.densities.Gaussian` or ``GaussianMixture``."""
        from gan_lessons.densities import Gaussian, GaussianMixture

        if not isinstance(density, (Gaussian, GaussianMixture)):
            raise TypeError("density must be a gan_lessons.densities.Gaussian or GaussianMixture, "
                            f"got {type(density).__name__}")
        mix = density.as_mixture()
        return cls(name, tuple(np.asarray(mix.means, np.float64).tolist()),
                   tuple(np.asarray(mix.stds, np.float64).tolist()),
                   tuple(np.asarray(mix.weights, np.float64).tolist()))

    @property
    def num_modes(self) -> int:
        """K, the number of mixture components."""
        return len(self.means)

    @property
    def data_dim(self) -> int:
        """1: the dimension of the samples."""
        return 1

    @property
    def means_array(self) -> np.ndarray:
        """The means as a float64 NumPy array of shape (K, 1), as for :class:`Mixture2D`."""
        return np.asarray(self.means, dtype=np.float64)[:, None]

    @property
    def mean(self) -> float:
        """The mixture's mean, :math:`\\sum_k w_k \\mu_k` (closed form)."""
        return float(np.dot(self.weights, self.means))

    @property
    def std(self) -> float:
        """The mixture's standard deviation, from :math:`\\sum_k w_k(\\sigma_k^2 + \\mu_k^2) - m^2`."""
        w, mu, sd = (np.asarray(v, np.float64) for v in (self.weights, self.means, self.stds))
        second = float(np.sum(w * (sd ** 2 + mu ** 2)))
        return math.sqrt(max(second - self.mean ** 2, 0.0))

    def density(self):
        """The same mixture as a :class:`gan_lessons.densities.GaussianMixture` (a pytree)."""
        from gan_lessons.densities import GaussianMixture

        return GaussianMixture(self.means, self.stds, self.weights)

    def sample(self, key: jax.Array, n: int) -> jax.Array:
        """n samples, float32 of shape (n, 1); pure, callable inside ``jax.jit`` (n static)."""
        n = check_int("n", n, minimum=1)
        return _sample_1d(key, self, n)


@functools.partial(jax.jit, static_argnums=(1, 2))
def _sample_1d(key: jax.Array, dataset: Mixture1D, n: int) -> jax.Array:
    mode_key, noise_key = jax.random.split(key)
    means = jnp.asarray(dataset.means, dtype=jnp.float32)
    stds = jnp.asarray(dataset.stds, dtype=jnp.float32)
    logits = jnp.log(jnp.asarray(dataset.weights, dtype=jnp.float32))
    modes = jax.random.categorical(mode_key, logits, shape=(n,))
    noise = jax.random.normal(noise_key, (n, 1), dtype=jnp.float32)
    return means[modes][:, None] + stds[modes][:, None] * noise


Dataset = "Mixture1D | Mixture2D"


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

BIMODAL_1D = Mixture1D("bimodal_1d", (-2.0, 2.0), (0.5, 0.5), (0.5, 0.5))
"""Two 1-D Gaussians N(-2, 0.5^2) and N(2, 0.5^2) with equal weights (the target of lesson 03)."""

GAUSSIAN_1D = Mixture1D("gaussian_1d", (1.0,), (0.5,), (1.0,))
"""One 1-D Gaussian N(1, 0.5^2), the data of Goodfellow et al. (2014), Figure 1, in spirit."""

DATASETS: dict = {"ring": RING, "grid": GRID, "bimodal_1d": BIMODAL_1D,
                  "gaussian_1d": GAUSSIAN_1D}
"""The named data sets, by name: two 2-D (:class:`Mixture2D`) and two 1-D (:class:`Mixture1D`)."""


def get_dataset(name: str):
    """Return the named data set: ``"ring"``, ``"grid"``, ``"bimodal_1d"`` or ``"gaussian_1d"``.

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


def sample_dataset(key: jax.Array, dataset, n: int) -> jax.Array:
    """n samples of a :class:`Mixture2D` (shape (n, 2)) or :class:`Mixture1D` (shape (n, 1)).

    Pure; inside ``jax.jit`` the data set and ``n`` must be static.
    """
    if not isinstance(dataset, (Mixture1D, Mixture2D)):
        raise TypeError("dataset must be a Mixture1D or Mixture2D (see get_dataset), "
                        f"got {type(dataset).__name__}")
    return dataset.sample(key, n)
