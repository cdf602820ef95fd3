"""One-dimensional densities: a Gaussian and a mixture of Gaussians.

Lessons 02, 03, 05 and 07 need a few 1-D densities whose log-density, density,
CDF and samples are exact and cheap. :class:`Gaussian` and
:class:`GaussianMixture` provide them. Both are JAX *pytrees* whose numeric
parameters are float32 leaves, so a density can be passed as an ordinary
argument to a ``jax.jit`` function: a slider that moves a mean hands the same
compiled code new leaf values and never recompiles. Only a new *structure* (a
Gaussian instead of a mixture, or a mixture with a different number of
components) compiles again.

The public constructors check their arguments (finite numbers, positive
standard deviations, weights that form a probability vector). Inside traced
code the values cannot be inspected, so the constructors then check shapes
only; JAX rebuilds densities from their leaves without any check at all.

:func:`two_mode_mixture` builds the symmetric two-mode target of lesson 03.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import logsumexp, ndtr
from jax.typing import ArrayLike

from gan_lessons._numerics import safe_log
from gan_lessons._validate import (
    as_finite_array,
    as_float32,
    as_probability_vector,
    check_int,
    check_key,
    check_positive_float,
    is_traced,
    show,
    show_numbers,
)

__all__ = ["Gaussian", "GaussianMixture", "two_mode_mixture", "check_density"]

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


# --------------------------------------------------------------------------- private helpers


def _parameter(name: str, value: Any, ndim: int) -> tuple[jax.Array, np.ndarray | None]:
    """A float32 leaf for ``value`` and, when it is concrete, its checked float64 copy."""
    if is_traced(value):
        return as_float32(name, value, ndim=ndim), None
    array = as_finite_array(name, value, ndim=ndim)
    return as_float32(name, array), array


def _check_std(name: str, array: np.ndarray | None, leaf: jax.Array) -> None:
    if array is None:
        return
    if np.any(array <= 0) or np.any(np.asarray(leaf) <= 0):
        raise ValueError(
            f"{name} must be > 0 (a standard deviation, representable in float32), "
            f"got {show_numbers(array)}"
        )


def _normal_log_prob(x: jax.Array, mean: jax.Array, std: jax.Array) -> jax.Array:
    z = (jnp.asarray(x) - mean) / std
    return -0.5 * z * z - jnp.log(std) - _HALF_LOG_2PI


# --------------------------------------------------------------------------- jitted cores
# Module level, so that every density shares them. The density is an ordinary (traced)
# argument: new parameter values reuse the compiled code.


def _log_prob(density: _Density1D, x: jax.Array) -> jax.Array:
    return density.log_prob_unchecked(x)


def _cdf(density: _Density1D, x: jax.Array) -> jax.Array:
    return density.cdf_unchecked(x)


def _sample(density: _Density1D, key: jax.Array, n: int) -> jax.Array:
    return density.sample_unchecked(key, n)


def _moments(density: _Density1D) -> tuple[jax.Array, jax.Array]:
    return density.moments_unchecked()


_log_prob_core = jax.jit(_log_prob)
_moments_core = jax.jit(_moments)
_prob_core = jax.jit(lambda density, x: jnp.exp(density.log_prob_unchecked(x)))
_cdf_core = jax.jit(_cdf)
_sample_core = jax.jit(_sample, static_argnames=("n",))


# --------------------------------------------------------------------------- shared base


class _Density1D:
    """What :class:`Gaussian` and :class:`GaussianMixture` share.

    A subclass lists its float32 parameter leaves in ``__slots__`` (they are the
    pytree's children, in that order), validates them in ``__init__``, registers
    itself with ``jax.tree_util.register_pytree_node_class``, and supplies the
    maths as plain ``jnp`` methods: :meth:`log_prob_unchecked`,
    :meth:`cdf_unchecked`, :meth:`sample_unchecked` and :meth:`moments_unchecked`.
    The checked methods (``log_prob``, ``cdf``, ``sample``, ``mean_value``...)
    validate their arguments and call module-level jitted cores that run the
    unchecked maths on the density passed as a traced argument.

    For a mixture :math:`p = \\sum_k w_k \\mathcal N(\\mu_k, \\sigma_k^2)`; a Gaussian is
    the case :math:`K = 1`, :math:`w_1 = 1`.
    """

    __slots__ = ()

    # pytree protocol: unflattening never validates (the leaves may be tracers).
    @classmethod
    def _from_leaves(cls, *leaves: Any) -> Any:
        """An instance holding ``leaves`` (in ``__slots__`` order), built without any check."""
        obj = object.__new__(cls)
        for field, leaf in zip(cls.__slots__, leaves, strict=True):
            setattr(obj, field, leaf)
        return obj

    def tree_flatten(self) -> tuple[tuple[jax.Array, ...], None]:
        return tuple(getattr(self, field) for field in self.__slots__), None

    @classmethod
    def tree_unflatten(cls, aux_data: None, children: Any) -> Any:
        return cls._from_leaves(*children)

    def __repr__(self) -> str:
        leaves = self.tree_flatten()[0]
        if any(is_traced(leaf) for leaf in leaves):
            shown = ["<traced>"] * len(leaves)
        else:
            shown = [show_numbers(leaf) for leaf in leaves]
        fields = ", ".join(f"{field}={text}" for field, text in zip(self.__slots__, shown))
        return f"{type(self).__name__}({fields})"

    # --- the maths, unchecked: plain jnp, traceable; subclasses supply them ---
    def log_prob_unchecked(self, x: jax.Array) -> jax.Array:
        """:math:`\\ln p(x)` elementwise, with no check of ``x`` and no ``jax.jit`` of its own.

        For code that is itself traced (a jitted loss, a ``lax.scan`` body) and has
        already checked its inputs: ``x`` must be a float array. Outside such code,
        use :meth:`log_prob`.
        """
        raise NotImplementedError

    def cdf_unchecked(self, x: jax.Array) -> jax.Array:
        """:math:`P(X \\le x)` elementwise, unchecked and traceable (see :meth:`log_prob_unchecked`)."""
        raise NotImplementedError

    def sample_unchecked(self, key: jax.Array, n: int) -> jax.Array:
        """``n`` draws, float32 ``(n,)``, unchecked and traceable; ``n`` must be a static int.

        ``key`` must be a JAX random key; :meth:`sample` is the checked form.
        """
        raise NotImplementedError

    def moments_unchecked(self) -> tuple[jax.Array, jax.Array]:
        """``(mean, variance)`` as traceable float32 scalars (:attr:`mean_value`, :attr:`variance`)."""
        raise NotImplementedError

    # --- the checked methods ---
    @property
    def mean_value(self) -> jax.Array:
        """The mean :math:`E[X] = \\sum_k w_k \\mu_k` (float32 scalar); :math:`\\mu` for a Gaussian."""
        return _moments_core(self)[0]

    @property
    def variance(self) -> jax.Array:
        """The variance :math:`\\mathrm{Var}[X] = \\sum_k w_k (\\sigma_k^2 + (\\mu_k - E[X])^2)`.

        A float32 scalar; :math:`\\sigma^2` for a Gaussian.
        """
        return _moments_core(self)[1]

    def log_prob(self, x: ArrayLike) -> jax.Array:
        """The log-density :math:`\\ln p(x)` elementwise; float32, same shape as ``x``."""
        return _log_prob_core(self, as_float32("x", x, min_size=0, finite=False))

    def prob(self, x: ArrayLike) -> jax.Array:
        """The density :math:`p(x)` elementwise; float32, same shape as ``x``."""
        return _prob_core(self, as_float32("x", x, min_size=0, finite=False))

    def cdf(self, x: ArrayLike) -> jax.Array:
        """The distribution function :math:`P(X \\le x)` elementwise; float32."""
        return _cdf_core(self, as_float32("x", x, min_size=0, finite=False))

    def sample(self, key: jax.Array, n: int) -> jax.Array:
        """``n`` independent draws, float32 ``(n,)``; the same key gives the same draws.

        Each draw picks a component :math:`k \\sim w`, then :math:`x = \\mu_k + \\sigma_k z`
        with :math:`z \\sim \\mathcal N(0, 1)`; a Gaussian draws :math:`\\mu + \\sigma z`
        directly.

        Args:
          key: a JAX random key (``jax.random.key(seed)``; a legacy
            ``jax.random.PRNGKey(seed)`` works too).
          n: number of draws, an int >= 1 (static: a new value compiles once).
        """
        key = check_key("key", key, allow_legacy=True)
        n = check_int("n", n, minimum=1)
        return _sample_core(self, key, n=n)


# --------------------------------------------------------------------------- Gaussian


@jax.tree_util.register_pytree_node_class
class Gaussian(_Density1D):
    """A 1-D Gaussian density :math:`\\mathcal N(\\mu, \\sigma^2)`.

    .. math:: p(x) = \\frac{1}{\\sigma\\sqrt{2\\pi}}
              \\exp\\Big(-\\frac{(x-\\mu)^2}{2\\sigma^2}\\Big), \\qquad
              F(x) = \\Phi\\Big(\\frac{x-\\mu}{\\sigma}\\Big)

    A pytree with leaves ``mean`` and ``std`` (float32 scalars): pass it into
    ``jax.jit`` functions as an argument, and new values do not recompile.
    Its mean is :math:`\\mu` and its variance :math:`\\sigma^2`.

    Args:
      mean: :math:`\\mu`, a finite real number.
      std: :math:`\\sigma`, a finite real number > 0.

    Attributes:
      mean: float32 0-d array.
      std: float32 0-d array.

    Example:
      >>> g = Gaussian(1.0, 2.0)
      >>> g
      Gaussian(mean=1, std=2)
      >>> round(float(g.cdf(1.0)), 6), g.sample(jax.random.key(0), 3).shape
      (0.5, (3,))

    References:
      Bishop, *Pattern Recognition and Machine Learning* (2006), section 2.3.
    """

    __slots__ = ("mean", "std")
    mean: jax.Array
    std: jax.Array

    def __init__(self, mean: ArrayLike, std: ArrayLike) -> None:
        mean_leaf, _ = _parameter("mean", mean, 0)
        std_leaf, std_array = _parameter("std", std, 0)
        _check_std("std", std_array, std_leaf)
        self.mean = mean_leaf
        self.std = std_leaf

    # --- the maths (plain jnp, also used inside the jitted cores) ---
    def log_prob_unchecked(self, x: jax.Array) -> jax.Array:
        return _normal_log_prob(x, self.mean, self.std)

    def cdf_unchecked(self, x: jax.Array) -> jax.Array:
        return ndtr((x - self.mean) / self.std)

    def sample_unchecked(self, key: jax.Array, n: int) -> jax.Array:
        return self.mean + self.std * jax.random.normal(key, (n,), jnp.float32)

    def moments_unchecked(self) -> tuple[jax.Array, jax.Array]:
        return self.mean, self.std * self.std

    @property
    def num_components(self) -> int:
        """1: a Gaussian is a mixture with a single component."""
        return 1

    def as_mixture(self) -> GaussianMixture:
        """The same density as a one-component :class:`GaussianMixture`."""
        return GaussianMixture._from_leaves(
            jnp.reshape(self.mean, (1,)), jnp.reshape(self.std, (1,)),
            jnp.ones((1,), jnp.float32))


# --------------------------------------------------------------------------- mixture


@jax.tree_util.register_pytree_node_class
class GaussianMixture(_Density1D):
    """A 1-D mixture of Gaussians.

    .. math:: p(x) = \\sum_{k=1}^K w_k\\, \\mathcal N(x; \\mu_k, \\sigma_k^2), \\qquad
              \\ln p(x) = \\operatorname{logsumexp}_k
                          \\big(\\ln w_k + \\ln \\mathcal N(x; \\mu_k, \\sigma_k^2)\\big)

    with mean :math:`m = \\sum_k w_k \\mu_k` and variance
    :math:`\\sum_k w_k(\\sigma_k^2 + \\mu_k^2) - m^2`. The log-density is computed in
    log space, so it stays finite far in the tails; a component of weight 0
    contributes nothing (and no NaN, in values or gradients).

    A pytree with leaves ``means``, ``stds`` and ``weights`` (float32 ``(K,)``):
    new values with the same ``K`` do not recompile a jitted function that
    takes the mixture as an argument.

    Args:
      means: :math:`\\mu_k`, a non-empty 1-D array of finite numbers.
      stds: :math:`\\sigma_k > 0`, same length as ``means``.
      weights: :math:`w_k \\ge 0` summing to 1 (within 1e-6; never renormalised),
        same length as ``means``.

    Example:
      >>> mix = GaussianMixture([-2.0, 2.0], [1.0, 0.5], [0.25, 0.75])
      >>> mix.num_components, float(mix.mean_value)
      (2, 1.0)
      >>> float(mix.cdf(100.0))
      1.0

    References:
      McLachlan and Peel, *Finite Mixture Models* (2000), chapter 1.
    """

    __slots__ = ("means", "stds", "weights")
    means: jax.Array
    stds: jax.Array
    weights: jax.Array

    def __init__(self, means: ArrayLike, stds: ArrayLike, weights: ArrayLike) -> None:
        means_leaf, _ = _parameter("means", means, 1)
        k = means_leaf.shape[0]
        if k == 0:
            raise ValueError("means must not be empty: a mixture needs at least one component")
        stds_leaf, stds_array = _parameter("stds", stds, 1)
        if stds_leaf.shape[0] != k:
            raise ValueError(
                f"stds must have one entry per component ({k}, the length of means), "
                f"got {stds_leaf.shape[0]}")
        _check_std("stds", stds_array, stds_leaf)
        if is_traced(weights):
            weights_leaf, _ = _parameter("weights", weights, 1)
            n_weights = weights_leaf.shape[0]
        else:
            weights_array = as_finite_array("weights", weights, ndim=1)
            n_weights = weights_array.shape[0]
        if n_weights != k:
            raise ValueError(
                f"weights must have one entry per component ({k}, the length of means), "
                f"got {n_weights}")
        if not is_traced(weights):
            weights_leaf = jnp.asarray(
                as_probability_vector("weights", weights_array).astype(np.float32))
        self.means = means_leaf
        self.stds = stds_leaf
        self.weights = weights_leaf

    # --- the maths (plain jnp, also used inside the jitted cores) ---
    def log_prob_unchecked(self, x: jax.Array) -> jax.Array:
        per_component = _normal_log_prob(jnp.asarray(x)[..., None], self.means, self.stds)
        return logsumexp(per_component + safe_log(self.weights), axis=-1)

    def cdf_unchecked(self, x: jax.Array) -> jax.Array:
        z = (jnp.asarray(x)[..., None] - self.means) / self.stds
        return jnp.sum(self.weights * ndtr(z), axis=-1)

    def sample_unchecked(self, key: jax.Array, n: int) -> jax.Array:
        pick_key, noise_key = jax.random.split(key)
        k = jax.random.categorical(pick_key, safe_log(self.weights), shape=(n,))
        z = jax.random.normal(noise_key, (n,), jnp.float32)
        return self.means[k] + self.stds[k] * z

    def moments_unchecked(self) -> tuple[jax.Array, jax.Array]:
        mean = jnp.sum(self.weights * self.means)
        centred = self.means - mean
        return mean, jnp.sum(self.weights * (self.stds * self.stds + centred * centred))

    @property
    def num_components(self) -> int:
        """The number of components :math:`K` (static: part of the pytree structure)."""
        return int(self.means.shape[-1])

    def as_mixture(self) -> GaussianMixture:
        """The mixture itself (so code can accept a Gaussian or a mixture alike)."""
        return self


# --------------------------------------------------------------------------- helpers


def two_mode_mixture(separation: float, weight: float = 0.5,
                     std: float = 1.0) -> GaussianMixture:
    """A two-mode mixture centred on 0, the target of lesson 03.

    .. math:: p(x) = w\\, \\mathcal N(x; -d/2, s^2) + (1 - w)\\, \\mathcal N(x; d/2, s^2)

    Args:
      separation: :math:`d \\ge 0`, the distance between the two modes.
      weight: :math:`w \\in [0, 1]`, the weight of the left mode (at :math:`-d/2`).
      std: :math:`s > 0`, the standard deviation of both modes.

    Returns:
      A :class:`GaussianMixture` with two components. Its mean is
      :math:`(1 - 2w)\\, d/2` and its variance :math:`s^2 + w(1-w) d^2`.

    Example:
      >>> two_mode_mixture(4.0, weight=0.25)
      GaussianMixture(means=[-2, 2], stds=[1, 1], weights=[0.25, 0.75])
    """
    d = check_positive_float("separation", separation, allow_zero=True)
    w = check_positive_float("weight", weight, allow_zero=True)
    if w > 1.0:
        raise ValueError(f"weight must be in [0, 1] (the weight of the left mode), got {weight!r}")
    s = check_positive_float("std", std)
    return GaussianMixture([-d / 2.0, d / 2.0], [s, s], [w, 1.0 - w])


def check_density(name: str, value: Any) -> Gaussian | GaussianMixture:
    """Check that ``value`` is a :class:`Gaussian` or a :class:`GaussianMixture`; return it.

    The functions that take densities as arguments (divergences, the optimal
    discriminator, the fits) call it first, so a wrong argument is named.

    Raises:
      TypeError: naming ``name``, for anything else.

    Example:
      >>> check_density("p", Gaussian(0.0, 1.0))
      Gaussian(mean=0, std=1)
      >>> check_density("p", 0.5)
      Traceback (most recent call last):
      ...
      TypeError: p must be a gan_lessons.densities.Gaussian or GaussianMixture, got 0.5
    """
    if not isinstance(value, (Gaussian, GaussianMixture)):
        raise TypeError(
            f"{name} must be a gan_lessons.densities.Gaussian or GaussianMixture, got "
            f"{show(value)}")
    return value
