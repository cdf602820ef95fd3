"""The optimal discriminator, the GAN value function, and a discriminator trainer.

Lesson 05 fixes the generator and asks what the best discriminator is. For two
1-D densities (:class:`~gan_lessons.densities.Gaussian` or
:class:`~gan_lessons.densities.GaussianMixture`) this module gives

* the GAN value of a discriminator given by its logits on a grid,
  :func:`value_on_grid`,

  .. math:: V(G, D) = \\int p_{data}(x) \\ln D(x) + p_g(x) \\ln(1 - D(x))\\, dx;

* the discriminator that maximises it, :func:`optimal_discriminator`
  :math:`D^*(x) = p_{data}(x) / (p_{data}(x) + p_g(x))`, and its logit,
  :func:`optimal_discriminator_logit`, the log density ratio;
* the maximum itself, :func:`criterion`
  :math:`C(G) = \\max_D V(G, D) = -\\ln 4 + 2\\,\\mathrm{JSD}(p_{data} \\| p_g)`;
* a Flax NNX discriminator trained on samples of the two densities,
  :func:`make_discriminator_trainer` and the one-call :func:`train_discriminator`,
  whose learned curve can be set beside :math:`D^*`;
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

import functools
from dataclasses import dataclass
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx
from jax.typing import ArrayLike

from gan_lessons._validate import (
    as_finite_array,
    check_int,
    check_key,
    check_positive_float,
)
from gan_lessons.densities import Gaussian, GaussianMixture
from gan_lessons.divergences import _bounds, _density, _pairwise_sum, _short, _trapezoid
from gan_lessons.divergences import _grid as _quadrature_grid
from gan_lessons.losses import discriminator_loss, generator_loss
from gan_lessons.models import Discriminator, _check_hidden, make_discriminator

__all__ = [
    "optimal_discriminator",
    "optimal_discriminator_logit",
    "value_on_grid",
    "criterion",
    "GeneratorGradients",
    "generator_gradients",
    "generator_gradients_from_logits",
    "generator_gradient_magnitudes",
    "DiscriminatorConfig",
    "DiscriminatorState",
    "DiscriminatorTrainer",
    "make_discriminator_trainer",
    "DiscriminatorFit",
    "DEFAULT_STEPS",
    "train_discriminator",
]

Density = Gaussian | GaussianMixture

_PLOT_TAIL = 6.0  # default grid of train_discriminator: every component's mean +- 6 std


# --------------------------------------------------------------------------- validation


def _points(name: str, x: Any) -> jax.Array:
    """Evaluation points of any shape: finite and non-empty (tracers pass unchecked)."""
    if isinstance(x, jax.core.Tracer):
        return x.astype(jnp.float32)
    return jnp.asarray(as_finite_array(name, x), jnp.float32)


def _grid_argument(grid: Any) -> jax.Array:
    """A 1-D, finite, strictly increasing grid of at least two points."""
    array = as_finite_array("grid", grid, ndim=1)
    if array.size < 2:
        raise ValueError(f"grid must have at least 2 points, got {array.size}")
    if not np.all(np.diff(array) > 0):
        raise ValueError(f"grid must be strictly increasing, got {_short(grid)}")
    single = array.astype(np.float32)
    if not np.all(np.diff(single) > 0):
        raise ValueError("grid must stay strictly increasing in float32 "
                         f"(points closer than float32 resolution), got {_short(grid)}")
    return jnp.asarray(single)


# --------------------------------------------------------------------------- pure maths


def _log_ratio(p_data: Density, p_g: Density, x: jax.Array) -> jax.Array:
    """r = ln p_data - ln p_g, and 0 where both log-densities are -inf."""
    log_d, log_g = p_data._log_prob(x), p_g._log_prob(x)
    both_zero = jnp.isneginf(log_d) & jnp.isneginf(log_g)
    return jnp.where(both_zero, 0.0, log_d - jnp.where(both_zero, 0.0, log_g))


def _weighted(log_density: jax.Array, log_term: jax.Array) -> jax.Array:
    """p * term with p = exp(log_density), and 0 where p is 0 (never 0 * -inf)."""
    prob = jnp.exp(log_density)
    return jnp.where(prob > 0, prob * jnp.where(prob > 0, log_term, 0.0), 0.0)


def _value_integrand(p_data: Density, p_g: Density, x: jax.Array,
                     logits: jax.Array) -> jax.Array:
    """p_data ln sigma(l) + p_g ln sigma(-l) at the points x."""
    return (_weighted(p_data._log_prob(x), jax.nn.log_sigmoid(logits))
            + _weighted(p_g._log_prob(x), jax.nn.log_sigmoid(-logits)))


def _trapezoid_nonuniform(values: jax.Array, x: jax.Array) -> jax.Array:
    return 0.5 * _pairwise_sum((values[1:] + values[:-1]) * (x[1:] - x[:-1]))


def _criterion(p_data: Density, p_g: Density, bounds: Any, num: int) -> jax.Array:
    x = _quadrature_grid(p_data, p_g, bounds, num)
    return _trapezoid(_value_integrand(p_data, p_g, x, _log_ratio(p_data, p_g, x)), x)


def _default_grid(p_data: Density, p_g: Density, num: int) -> jax.Array:
    lo, hi = jnp.inf, -jnp.inf
    for density in (p_data, p_g):
        mix = density.as_mixture()
        used = mix.weights > 0
        lo = jnp.minimum(lo, jnp.min(jnp.where(used, mix.means - _PLOT_TAIL * mix.stds, jnp.inf)))
        hi = jnp.maximum(hi, jnp.max(jnp.where(used, mix.means + _PLOT_TAIL * mix.stds, -jnp.inf)))
    return jnp.linspace(lo, hi, num, dtype=jnp.float32)


_optimal_core = jax.jit(lambda p_data, p_g, x: jax.nn.sigmoid(_log_ratio(p_data, p_g, x)))
_optimal_logit_core = jax.jit(_log_ratio)
_value_core = jax.jit(lambda p_data, p_g, x, logits: _trapezoid_nonuniform(
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
    p_data, p_g = _density("p_data", p_data), _density("p_g", p_g)
    return _optimal_core(p_data, p_g, _points("x", x))


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
    p_data, p_g = _density("p_data", p_data), _density("p_g", p_g)
    return _optimal_logit_core(p_data, p_g, _points("x", x))


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
    p_data, p_g = _density("p_data", p_data), _density("p_g", p_g)
    x = _grid_argument(grid)
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
    p_data, p_g = _density("p_data", p_data), _density("p_g", p_g)
    bounds = _bounds(lo, hi)
    num = check_int("num", num, minimum=3)
    return _criterion_core(p_data, p_g, bounds, num=num)


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
    return _gradients_core(_points("logits", logits))


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
                         f"got {_short(d_fake)}")
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


# --------------------------------------------------------------------------- the trainer


@dataclass(frozen=True)
class DiscriminatorConfig:
    """Structural choices of the 1-D discriminator and its Adam optimiser; frozen, hashable.

    The learning rate follows a cosine decay over the state's step count,

    .. math:: \\eta_t = \\eta_{final} + (\\eta_0 - \\eta_{final})
              \\cdot \\tfrac12\\big(1 + \\cos(\\pi \\min(t, T)/T)\\big),

    from ``learning_rate`` to ``final_learning_rate`` over ``decay_steps`` steps, then
    constant. A large early rate finds the shape of :math:`D^*` quickly; the small final
    rate averages out the noise of the minibatches, which with a constant rate leaves the
    learned curve wobbling a few hundredths around :math:`D^*`. The defaults converge on
    the lesson's 1-D pairs in the default 2000 steps of :func:`train_discriminator`
    (about 0.3-0.5 s on two CPU cores). Three hidden layers of 32 rather than two: with
    two, about one seed in three missed the shallow dip of :math:`D^*` between the modes
    of a two-mode :math:`p_{data}` under a broad :math:`p_g`; the third layer costs about
    40 % more time per step.

    Attributes:
      hidden: hidden widths of the ReLU MLP (input 1, output one logit).
      batch_size: samples drawn from *each* density per step.
      learning_rate: Adam's initial learning rate :math:`\\eta_0 > 0`.
      final_learning_rate: :math:`\\eta_{final}`, in :math:`(0, \\eta_0]`
        (equal to ``learning_rate`` for a constant rate).
      decay_steps: :math:`T \\ge 1`, the length of the decay in steps.
      b1, b2: Adam's decay rates, in [0, 1).

    Raises:
      ValueError or TypeError naming the field when a value is invalid.
    """

    hidden: tuple[int, ...] = (32, 32, 32)
    batch_size: int = 256
    learning_rate: float = 1e-2
    final_learning_rate: float = 5e-4
    decay_steps: int = 2000
    b1: float = 0.9
    b2: float = 0.999

    def __post_init__(self) -> None:
        def put(field: str, value: Any) -> None:
            object.__setattr__(self, field, value)

        put("hidden", _check_hidden("hidden", self.hidden))
        put("batch_size", check_int("batch_size", self.batch_size, minimum=1))
        put("learning_rate", check_positive_float("learning_rate", self.learning_rate))
        put("final_learning_rate",
            check_positive_float("final_learning_rate", self.final_learning_rate))
        if self.final_learning_rate > self.learning_rate:
            raise ValueError(f"final_learning_rate must be <= learning_rate "
                             f"({self.learning_rate!r}), got {self.final_learning_rate!r}")
        put("decay_steps", check_int("decay_steps", self.decay_steps, minimum=1))
        for name in ("b1", "b2"):
            value = check_positive_float(name, getattr(self, name), allow_zero=True)
            if value >= 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {getattr(self, name)!r}")
            put(name, value)


class DiscriminatorState(NamedTuple):
    """The discriminator's training state, a pytree of arrays.

    Attributes:
      params: the NNX parameter state of the MLP.
      opt_state: the optax (Adam) state.
      step: training steps taken, an int32 scalar.
      shift, scale: the input standardisation, float32 scalars: the MLP sees
        :math:`(x - \\text{shift}) / \\text{scale}`. Set by each :meth:`DiscriminatorTrainer.train`
        call to the mean and standard deviation of :math:`\\tfrac12(p_{data} + p_g)`.
    """

    params: nnx.State
    opt_state: optax.OptState
    step: jax.Array
    shift: jax.Array
    scale: jax.Array


def _check_state(state: Any) -> DiscriminatorState:
    if not isinstance(state, DiscriminatorState):
        raise TypeError("state must be a DiscriminatorState from DiscriminatorTrainer.init, got "
                        f"{type(state).__name__}")
    if any(getattr(leaf, "is_deleted", lambda: False)() for leaf in jax.tree.leaves(state)):
        raise ValueError("state was donated to an earlier DiscriminatorTrainer.train call and "
                         "its arrays are gone; use the state that call returned")
    return state


def _standardiser(p_data: Density, p_g: Density) -> tuple[jax.Array, jax.Array]:
    """Mean and standard deviation of the equal mixture of the two densities."""
    mean_d, var_d = p_data._moments()
    mean_g, var_g = p_g._moments()
    shift = 0.5 * (mean_d + mean_g)
    var = 0.5 * (var_d + var_g) + 0.25 * (mean_d - mean_g) ** 2
    return shift, jnp.sqrt(var)


class DiscriminatorTrainer:
    """A discriminator for two fixed 1-D densities, trained with Adam in compiled chunks.

    Build it with :func:`make_discriminator_trainer`. It holds the MLP's graph definition
    (split once), the optimiser and the jitted functions, and no training state::

        trainer = make_discriminator_trainer(DiscriminatorConfig())
        state = trainer.init(jax.random.key(0))
        state, losses = trainer.train(state, jax.random.key(1), p_data, p_g, 1000)
        d = trainer.probabilities(state, np.linspace(-4, 4, 200))

    Each training step draws ``batch_size`` points from ``p_data`` (label 1) and as many
    from ``p_g`` (label 0) inside the compiled function and takes one Adam step on
    :func:`gan_lessons.losses.discriminator_loss`, the binary cross-entropy :math:`-\\hat V`.
    Minimising it over all functions gives :math:`D^*`; a flexible enough MLP approaches it
    where the densities have mass, and is unconstrained (extrapolates) where they have none.

    Input standardisation: the MLP sees :math:`(x - \\text{shift})/\\text{scale}`, the mean
    and standard deviation of :math:`\\tfrac12(p_{data} + p_g)`, computed from the
    densities inside :meth:`train` and stored in the state. Inputs of order 1 keep ReLU
    units and Adam's steps well scaled whether the densities sit near 0 or far from it,
    with the same learning rate for every slider position.

    Randomness: step :math:`t` (counted over the life of the state) uses
    ``jax.random.fold_in(key, t)``, so the same state and key give the same result, however
    the steps are cut into calls.

    The unvalidated pure functions :meth:`init_fn`, :meth:`train_fn` and :meth:`logits_fn`
    compose with ``jax.vmap`` (several seeds side by side).
    """

    def __init__(self, config: DiscriminatorConfig):
        if not isinstance(config, DiscriminatorConfig):
            raise TypeError(f"config must be a DiscriminatorConfig, got {_short(config)}")
        self.config = config
        abstract = nnx.eval_shape(lambda: self._build(nnx.Rngs(0)))
        self.graphdef = nnx.split(abstract, nnx.Param)[0]
        schedule = optax.cosine_decay_schedule(
            config.learning_rate, config.decay_steps,
            alpha=config.final_learning_rate / config.learning_rate)
        self.optimizer = optax.inject_hyperparams(optax.adam)(
            learning_rate=schedule, b1=config.b1, b2=config.b2)
        self._init_jit = jax.jit(self.init_fn)
        self._train_jit = jax.jit(self.train_fn, static_argnames=("num_steps",),
                                  donate_argnums=0)
        self._logits_jit = jax.jit(self.logits_fn)

    def __repr__(self) -> str:
        return f"DiscriminatorTrainer({self.config!r})"

    def _build(self, rngs: nnx.Rngs) -> Discriminator:
        return make_discriminator(1, self.config.hidden, rngs)

    # ----------------------------------------------------------------- pure functions
    def init_fn(self, key: jax.Array) -> DiscriminatorState:
        """Pure: a fresh state from a key (no validation)."""
        params = nnx.split(self._build(nnx.Rngs(key)), nnx.Param)[1]
        return DiscriminatorState(params=params, opt_state=self.optimizer.init(params),
                                  step=jnp.zeros((), jnp.int32),
                                  shift=jnp.zeros((), jnp.float32),
                                  scale=jnp.ones((), jnp.float32))

    def _apply(self, params: nnx.State, shift: jax.Array, scale: jax.Array,
               x: jax.Array) -> jax.Array:
        model = nnx.merge(self.graphdef, params)
        return model(((x - shift) / scale)[:, None])

    def _step(self, state: DiscriminatorState, key: jax.Array, p_data: Density,
              p_g: Density) -> tuple[DiscriminatorState, jax.Array]:
        n = self.config.batch_size
        data_key, g_key = jax.random.split(jax.random.fold_in(key, state.step))
        points = jnp.concatenate([p_data._sample(data_key, n), p_g._sample(g_key, n)])

        def loss_fn(params: nnx.State) -> jax.Array:
            logits = self._apply(params, state.shift, state.scale, points)
            return discriminator_loss(logits[:n], logits[n:])

        loss, grads = jax.value_and_grad(loss_fn)(state.params)
        updates, opt_state = self.optimizer.update(grads, state.opt_state, state.params)
        return state._replace(params=optax.apply_updates(state.params, updates),
                              opt_state=opt_state, step=state.step + 1), loss

    def train_fn(self, state: DiscriminatorState, key: jax.Array, p_data: Density,
                 p_g: Density, num_steps: int) -> tuple[DiscriminatorState, jax.Array]:
        """Pure: ``num_steps`` Adam steps under ``lax.scan`` (no validation, no jit)."""
        shift, scale = _standardiser(p_data, p_g)
        state = state._replace(shift=shift, scale=scale)
        return jax.lax.scan(lambda s, _: self._step(s, key, p_data, p_g), state,
                            length=num_steps)

    def logits_fn(self, state: DiscriminatorState, x: jax.Array) -> jax.Array:
        """Pure: the logits l(x) at the points of a float32 array of any shape."""
        return self._apply(state.params, state.shift, state.scale, jnp.ravel(x)).reshape(x.shape)

    # ----------------------------------------------------------------- public methods
    def init(self, key: jax.Array) -> DiscriminatorState:
        """A fresh state (step 0, identity standardisation); the same key gives the same state.

        Args:
          key: a typed key from ``jax.random.key(seed)``.
        """
        return self._init_jit(check_key("key", key))

    def train(self, state: DiscriminatorState, key: jax.Array, p_data: Density, p_g: Density,
              num_steps: int) -> tuple[DiscriminatorState, jax.Array]:
        """Train for ``num_steps`` Adam steps in one compiled call.

        The densities are traced arguments: new means, standard deviations or weights reuse
        the compiled code (a new structure, such as a mixture in place of a Gaussian, compiles
        once). ``num_steps`` is static: use a fixed chunk length.

        The buffers of ``state`` are *donated*: after the call the state passed in is invalid.
        Keep only the returned one.

        Args:
          state: the current state.
          key: a typed key for the run's randomness (reusable across calls: each step folds
            in its own step number).
          p_data: the data density (label 1), a Gaussian or Gaussian mixture.
          p_g: the generator's density (label 0).
          num_steps: the number of steps, an int >= 1.

        Returns:
          ``(new_state, losses)``: ``losses`` is float32 of shape ``(num_steps,)``, the batch
          loss :math:`-\\hat V` of each step, measured before its update.
        """
        _check_state(state)
        check_key("key", key)
        p_data, p_g = _density("p_data", p_data), _density("p_g", p_g)
        num_steps = check_int("num_steps", num_steps, minimum=1)
        return self._train_jit(state, key, p_data, p_g, num_steps=num_steps)

    def logits(self, state: DiscriminatorState, x: ArrayLike) -> jax.Array:
        """The learned logits :math:`l(x)` at finite points of any shape (float32, same shape).

        ``state`` is not donated. Each new shape of ``x`` compiles once.
        """
        _check_state(state)
        return self._logits_jit(state, _points("x", x))

    def probabilities(self, state: DiscriminatorState, x: ArrayLike) -> jax.Array:
        """The learned :math:`D(x) = \\sigma(l(x))` at finite points of any shape."""
        return jax.nn.sigmoid(self.logits(state, x))


@functools.lru_cache(maxsize=16)
def _cached_trainer(config: DiscriminatorConfig) -> DiscriminatorTrainer:
    return DiscriminatorTrainer(config)


def make_discriminator_trainer(config: DiscriminatorConfig | None = None
                               ) -> DiscriminatorTrainer:
    """The :class:`DiscriminatorTrainer` for ``config`` (default :class:`DiscriminatorConfig`).

    Trainers are cached by config, so a panel that returns to a configuration reuses its
    compiled functions.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> trainer = make_discriminator_trainer(DiscriminatorConfig(batch_size=64))
      >>> state = trainer.init(jax.random.key(0))
      >>> state, losses = trainer.train(state, jax.random.key(1), Gaussian(0.0, 1.0),
      ...                               Gaussian(3.0, 1.0), 200)
      >>> losses.shape, bool(losses[-1] < losses[0])
      ((200,), True)
    """
    config = DiscriminatorConfig() if config is None else config
    if not isinstance(config, DiscriminatorConfig):
        raise TypeError(f"config must be a DiscriminatorConfig, got {_short(config)}")
    return _cached_trainer(config)


class DiscriminatorFit(NamedTuple):
    """What :func:`train_discriminator` returns.

    Attributes:
      grid: the 1-D grid, float32.
      probabilities: the learned :math:`D(x)` on the grid.
      losses: the training loss :math:`-\\hat V` of every step, shape ``(steps,)``.
      value: :math:`V(G, D_{learned})`, by quadrature on the grid (float32 scalar).
      criterion: :math:`C(G) = V(G, D^*)`, by :func:`criterion` (float32 scalar);
        ``value <= criterion`` up to quadrature error and the gap measures how far the
        learned discriminator is from the optimum.
    """

    grid: jax.Array
    probabilities: jax.Array
    losses: jax.Array
    value: jax.Array
    criterion: jax.Array


DEFAULT_STEPS = 2000
"""Default number of training steps of :func:`train_discriminator` (~0.4 s on 2 CPU cores)."""


def train_discriminator(key: jax.Array, p_data: Density, p_g: Density, *,
                        steps: int = DEFAULT_STEPS, config: DiscriminatorConfig | None = None,
                        grid: ArrayLike | None = None) -> DiscriminatorFit:
    """Train a fresh discriminator on samples of two fixed densities and compare it with D*.

    The convenience used by lesson 05 and its explorer's "Retrain" button: initialise,
    train for ``steps`` steps in one compiled call, then evaluate the learned
    :math:`D` on ``grid``, its value :math:`V(G, D)` by quadrature there, and :math:`C(G)`.

    Args:
      key: a typed key; split into an initialisation key and a training key. The same key
        gives the same fit.
      p_data: the data density, a Gaussian or Gaussian mixture.
      p_g: the generator's density.
      steps: training steps, an int >= 1 (static: keep it fixed in a panel).
      config: a :class:`DiscriminatorConfig`; by default ``DiscriminatorConfig(decay_steps=steps)``,
        so that the learning rate decays over exactly the steps taken.
      grid: 1-D, finite, strictly increasing points; default 601 points spanning every
        component of both densities out to 6 standard deviations.

    Returns:
      A :class:`DiscriminatorFit`.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> fit = train_discriminator(jax.random.key(0), Gaussian(0.0, 1.0), Gaussian(2.0, 1.0))
      >>> bool(fit.value <= fit.criterion + 1e-4), bool(fit.criterion - fit.value < 0.02)
      (True, True)
    """
    key = check_key("key", key)
    p_data, p_g = _density("p_data", p_data), _density("p_g", p_g)
    steps = check_int("steps", steps, minimum=1)
    if config is None:
        config = DiscriminatorConfig(decay_steps=steps)
    trainer = make_discriminator_trainer(config)
    x = _default_grid_core(p_data, p_g, num=601) if grid is None else _grid_argument(grid)

    init_key, train_key = jax.random.split(key)
    state = trainer.init(init_key)
    state, losses = trainer.train(state, train_key, p_data, p_g, steps)
    logits = trainer._logits_jit(state, x)
    return DiscriminatorFit(
        grid=x,
        probabilities=jax.nn.sigmoid(logits),
        losses=losses,
        value=_value_core(p_data, p_g, x, logits),
        criterion=_criterion_core(p_data, p_g, None, num=2001),
    )
