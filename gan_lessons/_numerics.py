"""Numerical building blocks shared by the density modules, for use inside ``jax.jit``.

Plain ``jnp`` functions with no checks of their own: the public functions that call
them validate their inputs first. Nothing here is public API of the course; the
names are public so that :mod:`~gan_lessons.densities`,
:mod:`~gan_lessons.divergences`, :mod:`~gan_lessons.optimal_discriminator` and
:mod:`~gan_lessons.classifiers` can share them.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

__all__ = ["QUADRATURE_TAIL", "safe_log", "pairwise_sum", "trapezoid", "trapezoid_nonuniform",
           "covering_grid"]

QUADRATURE_TAIL = 10.0
"""The default quadrature range: every component's mean +- 10 standard deviations."""


def safe_log(p: jax.Array) -> jax.Array:
    """:math:`\\ln p` with :math:`\\ln 0 = -\\infty` and no NaN in the gradient at :math:`p = 0`.

    (``jnp.log`` alone gives the right value at 0 but a NaN gradient through ``where``.)
    """
    positive = p > 0
    return jnp.where(positive, jnp.log(jnp.where(positive, p, 1.0)), -jnp.inf)


def pairwise_sum(values: jax.Array) -> jax.Array:
    """Sum of a 1-D float32 array by pairwise (tree) summation.

    A plain float32 reduction can lose several digits over 10^4-10^6 terms
    (round-off grows like the number of terms); adding neighbours level by level
    makes it grow like the logarithm (Higham, *Accuracy and Stability of Numerical
    Algorithms*, 2nd ed. 2002, section 4.2). The length is static, so the levels unroll.
    """
    size = values.shape[0]
    width = 1 << max(size - 1, 0).bit_length()
    values = jnp.pad(values, (0, width - size))
    while values.shape[0] > 1:
        values = values[0::2] + values[1::2]
    return values[0]


def trapezoid(values: jax.Array, x: jax.Array) -> jax.Array:
    """The trapezoidal rule :math:`h(\\sum_j f_j - \\tfrac12(f_0 + f_{N-1}))` on a uniform grid ``x``."""
    h = (x[-1] - x[0]) / (x.shape[0] - 1)
    return h * (pairwise_sum(values) - 0.5 * (values[0] + values[-1]))


def trapezoid_nonuniform(values: jax.Array, x: jax.Array) -> jax.Array:
    """The trapezoidal rule :math:`\\tfrac12 \\sum_j (f_{j+1} + f_j)(x_{j+1} - x_j)` on any grid."""
    return 0.5 * pairwise_sum((values[1:] + values[:-1]) * (x[1:] - x[:-1]))


def covering_grid(p: Any, q: Any, bounds: tuple[Any, Any] | None, num: int,
                  tail: float) -> jax.Array:
    """``num`` evenly spaced float32 points on ``bounds``, or covering two densities.

    Without bounds the range runs from the lowest :math:`\\mu_k - \\text{tail}\\,\\sigma_k`
    to the highest :math:`\\mu_k + \\text{tail}\\,\\sigma_k` over the components of
    positive weight of both densities (:class:`~gan_lessons.densities.Gaussian` or
    :class:`~gan_lessons.densities.GaussianMixture`).
    """
    if bounds is None:
        lo, hi = jnp.inf, -jnp.inf
        for density in (p, q):
            mix = density.as_mixture()
            used = mix.weights > 0
            lo = jnp.minimum(lo, jnp.min(jnp.where(used, mix.means - tail * mix.stds, jnp.inf)))
            hi = jnp.maximum(hi, jnp.max(jnp.where(used, mix.means + tail * mix.stds, -jnp.inf)))
    else:
        lo, hi = bounds
    return jnp.linspace(lo, hi, num, dtype=jnp.float32)
