"""The optimal discriminator, the GAN value function and the generator's gradients.

Lesson 05 fixes the generator and asks what the best discriminator is. For two
1-D densities (:class:`~gan_lessons.densities.Gaussian` or
:class:`~gan_lessons.densities.GaussianMixture`) this module gives

* the GAN value of a discriminator given by its logits on a grid,
  :func:`value_on_grid`,

  .. math:: V(G, D) = \\int p_{data}(x) \\ln D(x) + p_g(x) \\ln(1 - D(x))\\, dx;

* the discriminator that maximises it, :func:`optimal_discriminator`
  :math:`D^*(x) = p_{data}(x) / (p_{data}(x) + p_g(x))`, and its logit,
  :func:`optimal_discriminator_logit`, the log density ratio;
* a grid that covers both densities, for plotting :math:`D` and :math:`D^*`,
  :func:`default_grid`;
* the maximum itself, :func:`criterion`
  :math:`C(G) = \\max_D V(G, D) = -\\ln 4 + 2\\,\\mathrm{JSD}(p_{data} \\| p_g)`;
* the generator's gradients under the saturating and the non-saturating loss,
  :func:`generator_gradients`, which show why the first stalls when
  :math:`D(G(z)) \\to 0`.

Every log quantity is computed from log-densities with ``jax.nn.log_sigmoid``:
:math:`\\ln D^* = \\ln\\sigma(r)` and :math:`\\ln(1 - D^*) = \\ln\\sigma(-r)` with
:math:`r = \\ln p_{data} - \\ln p_g`, so nothing overflows or divides 0 by 0
where the densities are tiny, and :math:`C(G)` stays finite for disjoint supports.

The densities are pytrees passed as *arguments* to module-level jitted
functions: a slider that moves a mean or a standard deviation reuses the
compiled code. Only the densities' structure (Gaussian or mixture, number of
components), grid sizes and the number of training steps are static.

References:
  Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, section 4
  (Proposition 1 and Theorem 1).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from gan_lessons._numerics import QUADRATURE_TAIL, covering_grid, trapezoid, trapezoid_nonuniform
from gan_lessons._validate import (
    as_finite_array,
    as_float32,
    as_increasing_grid,
    check_bounds,
    check_int,
    show,
)
from gan_lessons.densities import Gaussian, GaussianMixture, check_density
from gan_lessons.losses import generator_loss

__all__ = [
    "optimal_discriminator",
    "optimal_discriminator_logit",
    "value_on_grid",
    "criterion",
    "default_grid",
    "GeneratorGradients",
    "generator_gradients",
    "generator_gradients_from_logits",
    "generator_gradient_magnitudes",
]

Density = Gaussian | GaussianMixture

_PLOT_TAIL = 6.0  # default_grid: every component's mean +- 6 std


# --------------------------------------------------------------------------- pure maths


def _log_ratio(p_data: Density, p_g: Density, x: jax.Array) -> jax.Array:
    """r = ln p_data - ln p_g, and 0 where both log-densities are -inf."""
    log_d, log_g = p_data.log_prob_unchecked(x), p_g.log_prob_unchecked(x)
    both_zero = jnp.isneginf(log_d) & jnp.isneginf(log_g)
    return jnp.where(both_zero, 0.0, log_d - jnp.where(both_zero, 0.0, log_g))


def _weighted(log_density: jax.Array, log_term: jax.Array) -> jax.Array:
    """p * term with p = exp(log_density), and 0 where p is 0 (never 0 * -inf)."""
    prob = jnp.exp(log_density)
    return jnp.where(prob > 0, prob * jnp.where(prob > 0, log_term, 0.0), 0.0)


def _value_integrand(p_data: Density, p_g: Density, x: jax.Array,
                     logits: jax.Array) -> jax.Array:
    """p_data ln sigma(l) + p_g ln sigma(-l) at the points x."""
    return (_weighted(p_data.log_prob_unchecked(x), jax.nn.log_sigmoid(logits))
            + _weighted(p_g.log_prob_unchecked(x), jax.nn.log_sigmoid(-logits)))


def _criterion(p_data: Density, p_g: Density, bounds: Any, num: int) -> jax.Array:
    x = covering_grid(p_data, p_g, bounds, num, QUADRATURE_TAIL)
    return trapezoid(_value_integrand(p_data, p_g, x, _log_ratio(p_data, p_g, x)), x)


def _default_grid(p_data: Density, p_g: Density, num: int) -> jax.Array:
    return covering_grid(p_data, p_g, None, num, _PLOT_TAIL)


_optimal_core = jax.jit(lambda p_data, p_g, x: jax.nn.sigmoid(_log_ratio(p_data, p_g, x)))
_optimal_logit_core = jax.jit(_log_ratio)
_value_core = jax.jit(lambda p_data, p_g, x, logits: trapezoid_nonuniform(
    _value_integrand(p_data, p_g, x, logits), x))
_criterion_core = jax.jit(_criterion, static_argnames=("num",))
_default_grid_core = jax.jit(_default_grid, static_argnames=("num",))


# --------------------------------------------------------------------------- D*, V and C


def optimal_discriminator(p_data: Density, p_g: Density, x: ArrayLike) -> jax.Array:
    """The optimal discriminator :math:`D^*(x) = p_{data}(x) / (p_{data}(x) + p_g(x))`.

    For a fixed generator the value :math:`V(G, D) = \\int p_{data} \\ln D + p_g \\ln(1 - D)`
    can be maximised point by point: for :math:`a, b \\ge 0`, not both 0, the function
    :math:`y \\mapsto a \\ln y + b \\ln(1 - y)` on :math:`(0, 1)` has derivative
    :math:`a/y - b/(1 - y)`, which vanishes only at :math:`y = a/(a+b)`, and it is concave, so
    that is its maximum (Goodfellow et al. 2014, Proposition 1). With
    :math:`a = p_{data}(x)` and :math:`b = p_g(x)` this gives :math:`D^*`.

    Computed as :math:`\\sigma(\\ln p_{data}(x) - \\ln p_g(x))`, which is the same ratio but
    stays exact where both densities underflow to 0 in floating point (far in the tails the
    ratio of two tiny densities is still well defined). Only where both *log*-densities are
    :math:`-\\infty` is nothing known, and the result is 1/2.

    Args:
      p_data: the data density, a Gaussian or Gaussian mixture (traced: new parameter values
        do not recompile).
      p_g: the generator's density.
      x: points, an array of any shape, finite and non-empty.

    Returns:
      float32 values in :math:`[0, 1]`, the shape of ``x``; 1/2 everywhere when
      ``p_g`` equals ``p_data``.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> optimal_discriminator(Gaussian(0.0, 1.0), Gaussian(0.0, 1.0), [-3.0, 0.0, 5.0]).tolist()
      [0.5, 0.5, 0.5]
      >>> d = optimal_discriminator(Gaussian(-1.0, 1.0), Gaussian(1.0, 1.0), [0.0, 1.0])
      >>> [round(v, 4) for v in d.tolist()]  # sigmoid(-2x) for these two
      [0.5, 0.1192]
    """
    p_data, p_g = check_density("p_data", p_data), check_density("p_g", p_g)
    return _optimal_core(p_data, p_g, as_float32("x", x))


def optimal_discriminator_logit(p_data: Density, p_g: Density, x: ArrayLike) -> jax.Array:
    """The logit of :math:`D^*`: the log density ratio :math:`\\ln p_{data}(x) - \\ln p_g(x)`.

    :math:`D^*(x) = \\sigma(r(x))` with :math:`r = \\ln(p_{data}/p_g)`: a perfectly trained
    discriminator's logit *is* the log density ratio, the quantity density-ratio estimation
    and the f-GAN family build on. For two Gaussians it is a quadratic in :math:`x` (linear
    when the variances are equal). It is 0 where both log-densities are :math:`-\\infty`, and
    :math:`\\pm\\infty` where only one of them is.

    Args:
      p_data: the data density (traced).
      p_g: the generator's density (traced).
      x: points, an array of any shape, finite and non-empty.

    Returns:
      float32 values, the shape of ``x``.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> optimal_discriminator_logit(Gaussian(-1.0, 1.0), Gaussian(1.0, 1.0), [0.0, 1.0]).tolist()
      [0.0, -2.0]
    """
    p_data, p_g = check_density("p_data", p_data), check_density("p_g", p_g)
    return _optimal_logit_core(p_data, p_g, as_float32("x", x))


def value_on_grid(p_data: Density, p_g: Density, grid: ArrayLike,
                  logits: ArrayLike) -> jax.Array:
    """The GAN value :math:`V(G, D)` of a discriminator given by its logits on a grid.

    .. math:: V(G, D) = \\mathbb{E}_{p_{data}}[\\ln D(x)] + \\mathbb{E}_{p_g}[\\ln(1 - D(x))]
              = \\int p_{data}(x) \\ln\\sigma(l(x)) + p_g(x) \\ln\\sigma(-l(x))\\, dx

    with :math:`D = \\sigma(l)`, evaluated by the trapezoidal rule on ``grid`` (which may be
    non-uniform). ``jax.nn.log_sigmoid`` keeps the integrand finite for logits of any size;
    where a density underflows to 0 its term is 0. :math:`V \\le C(G)` for every
    discriminator, up to quadrature error, with equality for :math:`l = \\ln(p_{data}/p_g)`;
    :math:`V = -\\ln 4` for the undecided :math:`l = 0`. The grid should cover the mass of
    both densities; mass outside it is ignored.

    Args:
      p_data: the data density (traced).
      p_g: the generator's density (traced).
      grid: a 1-D, finite, strictly increasing array of at least 2 points. Its length is
        static (each new length compiles once).
      logits: the discriminator's logits :math:`l(x)` at the grid points, finite, same shape.

    Returns:
      The value in nats, a float32 JAX scalar (:math:`\\le 0`).

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> grid = np.linspace(-12.0, 12.0, 2001)
      >>> v = value_on_grid(Gaussian(0.0, 1.0), Gaussian(1.0, 1.0), grid, np.zeros(2001))
      >>> bool(abs(v + np.log(4)) < 1e-5)
      True
    """
    p_data, p_g = check_density("p_data", p_data), check_density("p_g", p_g)
    x = as_increasing_grid("grid", grid)
    values = as_finite_array("logits", logits)
    if values.shape != x.shape:
        raise ValueError(f"logits must have one value per grid point, shape {x.shape}, "
                         f"got shape {values.shape}")
    return _value_core(p_data, p_g, x, jnp.asarray(values, jnp.float32))


def criterion(p_data: Density, p_g: Density, *, lo: float | None = None,
              hi: float | None = None, num: int = 2001) -> jax.Array:
    """The virtual training criterion :math:`C(G) = \\max_D V(G, D) = V(G, D^*)`, by quadrature.

    .. math:: C(G) = \\int p_{data}(x) \\ln\\sigma(r(x)) + p_g(x) \\ln\\sigma(-r(x))\\, dx,
              \\qquad r = \\ln p_{data} - \\ln p_g

    Written with the log ratio, so the integrand stays finite (and the result tends to 0)
    when the supports separate, where :math:`p \\ln(p/(p+q))` computed naively would be
    :math:`0 \\cdot (-\\infty)`.

    Theorem 1 of Goodfellow et al. (2014): with :math:`m = \\tfrac12(p_{data} + p_g)`,

    .. math:: C(G) = \\int p_{data} \\ln\\frac{p_{data}}{2m} + p_g \\ln\\frac{p_g}{2m}
              = -\\ln 4 + \\mathrm{KL}(p_{data} \\| m) + \\mathrm{KL}(p_g \\| m)
              = -\\ln 4 + 2\\,\\mathrm{JSD}(p_{data} \\| p_g),

    since each density integrates to 1 and pulls out :math:`-\\ln 2`. As
    :math:`0 \\le \\mathrm{JSD} \\le \\ln 2`, :math:`-\\ln 4 \\le C(G) \\le 0`: the minimum
    :math:`-\\ln 4` is reached if and only if :math:`p_g = p_{data}` (where :math:`D^* = 1/2`),
    and :math:`C(G) = 0` for disjoint supports, where :math:`D^*` is a perfect classifier.

    The grid and trapezoidal rule are those of :func:`gan_lessons.divergences.js_quadrature`:
    by default every component of positive weight of both densities out to 10 standard
    deviations, ``num`` points.

    Args:
      p_data: the data density (traced: new values do not recompile).
      p_g: the generator's density (traced).
      lo: left end of the grid; with ``hi``, or both ``None`` for the default.
      hi: right end of the grid, > ``lo``.
      num: number of grid points, an int >= 3 (static).

    Returns:
      :math:`C(G)` in nats, a float32 JAX scalar in :math:`[-\\ln 4, 0]` up to quadrature
      error.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> c = criterion(Gaussian(0.0, 1.0), Gaussian(0.0, 1.0))
      >>> bool(abs(c + np.log(4)) < 1e-5)
      True
      >>> float(criterion(Gaussian(0.0, 0.1), Gaussian(20.0, 0.1)))  # disjoint: D* is perfect
      0.0

    References:
      Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Theorem 1.
    """
    p_data, p_g = check_density("p_data", p_data), check_density("p_g", p_g)
    bounds = check_bounds(lo, hi)
    num = check_int("num", num, minimum=3)
    return _criterion_core(p_data, p_g, bounds, num=num)


def default_grid(p_data: Density, p_g: Density, num: int = 601) -> jax.Array:
    """``num`` evenly spaced float32 points covering both densities, to plot :math:`D` and :math:`D^*`.

    The grid runs from the lowest :math:`\\mu_k - 6\\sigma_k` to the highest
    :math:`\\mu_k + 6\\sigma_k` over the components of positive weight of both densities,
    where each component has fallen to :math:`e^{-18} \\approx 1.5 \\cdot 10^{-8}` of its peak. The grid of
    :func:`gan_lessons.training.discriminator.train_discriminator` by default.

    Args:
      p_data: the data density (traced: new values do not recompile).
      p_g: the generator's density (traced).
      num: number of points, an int >= 2 (static).

    Returns:
      float32 ``(num,)``, increasing.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> default_grid(Gaussian(0.0, 1.0), Gaussian(2.0, 0.5), num=5).tolist()
      [-6.0, -3.0, 0.0, 3.0, 6.0]
    """
    p_data, p_g = check_density("p_data", p_data), check_density("p_g", p_g)
    num = check_int("num", num, minimum=2)
    return _default_grid_core(p_data, p_g, num=num)


# --------------------------------------------------------------------------- generator gradients


class GeneratorGradients(NamedTuple):
    """Derivatives of the two generator losses with respect to the discriminator's logit.

    Attributes:
      saturating: :math:`\\partial \\ln(1 - \\sigma(l)) / \\partial l = -D`.
      non_saturating: :math:`\\partial (-\\ln \\sigma(l)) / \\partial l = -(1 - D)`.
    """

    saturating: jax.Array
    non_saturating: jax.Array


def _per_sample_gradient(kind: str) -> Any:
    # generator_loss averages over its input; on a scalar logit it is the per-sample loss.
    return jax.vmap(jax.grad(lambda logit: generator_loss(logit, kind)))


def _gradients(logits: jax.Array) -> GeneratorGradients:
    flat = jnp.ravel(logits)
    return GeneratorGradients(
        saturating=_per_sample_gradient("saturating")(flat).reshape(logits.shape),
        non_saturating=_per_sample_gradient("non_saturating")(flat).reshape(logits.shape))


_gradients_core = jax.jit(_gradients)


def generator_gradients_from_logits(logits: ArrayLike) -> GeneratorGradients:
    """The generator's loss gradients at discriminator logits :math:`l` (``D = sigmoid(l)``).

    Uses ``jax.grad`` of :func:`gan_lessons.losses.generator_loss`, written with
    ``log_sigmoid``, so the gradients are finite for logits of any size (:math:`\\pm 10^4`
    included). See :func:`generator_gradients` for the meaning.

    Args:
      logits: finite logits, any shape, non-empty.

    Returns:
      A :class:`GeneratorGradients` of float32 arrays shaped like ``logits``.

    Example:
      >>> g = generator_gradients_from_logits([-1e4, 0.0, 1e4])
      >>> g.saturating.tolist(), g.non_saturating.tolist()
      ([-0.0, -0.5, -1.0], [-1.0, -0.5, -0.0])
    """
    return _gradients_core(as_float32("logits", logits))


def generator_gradients(d_fake: ArrayLike) -> GeneratorGradients:
    """Gradients of the saturating and non-saturating generator losses at :math:`D(G(z)) = d`.

    The generator moves its samples by back-propagating through the discriminator's logit
    :math:`l`, with :math:`d = \\sigma(l)`. Per sample,

    .. math:: \\frac{\\partial}{\\partial l} \\ln(1 - \\sigma(l)) = -\\sigma(l) = -d,
              \\qquad
              \\frac{\\partial}{\\partial l} \\big(-\\ln \\sigma(l)\\big) = -(1 - \\sigma(l))
              = -(1 - d).

    Both have the same sign (both push :math:`l` up, towards "real"), but early in training
    the discriminator rejects the fakes confidently, :math:`d \\to 0`: the saturating
    gradient of the minimax game vanishes with :math:`d`, while the non-saturating one tends
    to -1 and keeps the generator learning (Goodfellow et al. 2014, section 3).

    The logit is formed in float64 as :math:`\\ln d - \\ln(1 - d)` and the derivatives come
    from ``jax.grad`` of :func:`gan_lessons.losses.generator_loss`.

    Args:
      d_fake: discriminator outputs :math:`d \\in (0, 1)` (0 and 1 excluded), any shape.

    Returns:
      A :class:`GeneratorGradients` of float32 arrays shaped like ``d_fake``.

    Example:
      >>> g = generator_gradients(0.001)  # D confidently rejects the fake
      >>> round(float(g.saturating), 6), round(float(g.non_saturating), 6)
      (-0.001, -0.999)
    """
    d = as_finite_array("d_fake", d_fake)
    if np.any(d <= 0.0) or np.any(d >= 1.0):
        raise ValueError(f"d_fake must be strictly between 0 and 1 (a probability D(G(z))), "
                         f"got {show(d_fake)}")
    logits = np.log(d) - np.log1p(-d)
    return _gradients_core(jnp.asarray(logits, jnp.float32))


def generator_gradient_magnitudes(d_fake: ArrayLike) -> GeneratorGradients:
    """:math:`|\\partial L_G / \\partial l|` for both generator losses: :math:`d` and :math:`1 - d`.

    The absolute values of :func:`generator_gradients`, for plotting both curves against
    :math:`D(G(z))` (a slider or a whole ``np.linspace(0.001, 0.999, n)``).

    Args:
      d_fake: discriminator outputs in :math:`(0, 1)`, any shape.

    Returns:
      A :class:`GeneratorGradients` of non-negative float32 arrays.

    Example:
      >>> m = generator_gradient_magnitudes(0.01)
      >>> round(float(m.saturating), 6), round(float(m.non_saturating), 6)
      (0.01, 0.99)
    """
    gradients = generator_gradients(d_fake)
    return GeneratorGradients(jnp.abs(gradients.saturating), jnp.abs(gradients.non_saturating))
