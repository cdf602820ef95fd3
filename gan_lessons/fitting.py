"""Fitting one Gaussian to a 1-D density: the direction of KL, and Jensen-Shannon.

Lesson 03 fits a single Gaussian :math:`q_\\theta = \\mathcal N(\\mu, \\sigma^2)` to a
target density :math:`p` (usually a two-mode mixture) by gradient descent on one of
three divergences, and watches where each one puts the fit.

**Maximum likelihood is forward KL.** Given samples :math:`x_1, \\dots, x_n \\sim p`,
maximum likelihood maximises :math:`\\frac1n \\sum_i \\log q_\\theta(x_i)`, which
tends to :math:`\\mathbb E_p[\\log q_\\theta]` as :math:`n` grows. Since

.. math:: \\mathrm{KL}(p \\,\\|\\, q_\\theta)
          = \\mathbb E_p[\\log p] - \\mathbb E_p[\\log q_\\theta]

and the first term (minus the entropy of the data) does not depend on
:math:`\\theta`, maximising the expected log-likelihood and minimising the
*forward* KL are the same problem.

**Forward KL covers modes.** The integrand :math:`p \\log(p / q)` is huge wherever
the data have mass and the model has almost none, so the fit stretches to cover
every mode, filling the valley between them. For a Gaussian model the optimum is
known in closed form for *any* target with finite variance: setting the derivatives
of :math:`-\\mathbb E_p[\\log q] = \\tfrac12 \\log(2\\pi\\sigma^2)
+ \\mathbb E_p[(X - \\mu)^2] / (2\\sigma^2)` to zero gives moment matching,
:math:`\\mu^* = \\mathbb E_p[X]`, :math:`\\sigma^{*2} = \\mathrm{Var}_p[X]`.

**Reverse KL seeks modes.** :math:`\\mathrm{KL}(q \\,\\|\\, p) = \\mathbb E_q[\\log q
- \\log p]` is an average under the *model*: it punishes the model for putting mass
where the data have none and does not mind ignoring data. A single Gaussian
therefore settles on one mode of a well-separated mixture; which one depends on
where it starts (Bishop 2006, section 10.1.2). Reverse KL is not convex in
:math:`(\\mu, \\sigma)`: besides one minimum per mode it can have a broad local
minimum centred between the modes, and a start near the middle ends there (for two
unit-variance modes 8 apart and the default settings, starts within about 1 of the
centre do).
Note that reverse KL needs :math:`\\log p` at points drawn from the model, which
samples of the data alone do not provide; a GAN's discriminator is one way round this.

**Jensen-Shannon sits in between.** With :math:`m = \\tfrac12 (p + q)`,

.. math:: \\mathrm{JSD}(p, q) = \\tfrac12 \\mathrm{KL}(p \\,\\|\\, m)
          + \\tfrac12 \\mathrm{KL}(q \\,\\|\\, m) \\in [0, \\log 2].

It is symmetric and bounded, and it is the divergence the original GAN minimises
when its discriminator is optimal: the generator's criterion becomes
:math:`2\\,\\mathrm{JSD}(p_{data}, p_g) - \\log 4` (Goodfellow et al. 2014). Fitting
one Gaussian, it has a covering minimum (a little narrower than forward KL's) and a
minimum on each mode, and the start decides which is found. Because it saturates at
:math:`\\log 2`, its gradient fades when the two densities barely overlap, and in
float32 it is exactly zero once they are far apart: the fit then never moves
(Arjovsky and Bottou 2017 make this argument for GANs). Adam, which divides by a
running scale of the gradient, rescues gradients that are tiny but not zero.

**How the divergences are computed.** Each divergence is an integral, evaluated
by the trapezoidal rule with ``num`` points. Terms weighted by :math:`p` use a fixed
grid on ``[lo, hi]`` that covers the target. Terms weighted by :math:`q` use a grid
that moves with :math:`q`: substituting :math:`x = \\mu + \\sigma z`,

.. math:: \\int q(x) f(x)\\,dx = \\int \\varphi(z)\\, f(\\mu + \\sigma z)\\,dz,

with :math:`z` on a fixed grid over :math:`[-8, 8]` and :math:`\\varphi` the
standard normal density. This is the reparameterisation trick with quadrature in
place of sampling, and it keeps reverse KL honest however far :math:`q` wanders
from ``[lo, hi]``. The result is deterministic and smooth in
:math:`(\\mu, \\log\\sigma)`, so automatic differentiation gives the exact gradient
of the discretised objective. For integrands that are smooth and negligible at
both ends of the grid, as here, the trapezoidal rule converges exponentially fast
in the number of points (Trefethen and Weideman 2014), faster than Simpson's rule;
the spacing must still resolve the narrowest Gaussian involved, which the public
functions check at the start. Integrands are written from log densities; a term
whose weight underflows to zero contributes exactly zero, with a zero (not NaN)
gradient. All divergences are in nats; KL is :math:`+\\infty` where
:math:`q = 0 < p`, which cannot happen between Gaussians.

The optimiser is Adam (Kingma and Ba 2015) on :math:`(\\mu, \\log\\sigma)`, so
:math:`\\sigma = e^{\\log \\sigma}` stays positive. The loop is a ``jax.lax.scan``
inside the module-level jitted cores ``_fit_core`` and ``_fit_many_core``. The
target density, the initial values, the learning rate and the grid bounds are
traced arguments: moving a numeric slider never recompiles. ``divergence``,
``steps`` and ``num`` are static.

References:
  Goodfellow, I. et al. (2014). Generative adversarial nets. NeurIPS.
  Bishop, C. M. (2006). Pattern Recognition and Machine Learning, section 10.1.2.
  Arjovsky, M. and Bottou, L. (2017). Towards principled methods for training
  generative adversarial networks. ICLR.
  Kingma, D. P. and Ba, J. (2015). Adam: a method for stochastic optimization. ICLR.
  Trefethen, L. N. and Weideman, J. A. C. (2014). The exponentially convergent
  trapezoidal rule. SIAM Review 56(3).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.typing import ArrayLike

from gan_lessons._validate import (
    as_finite_array,
    check_choice,
    check_int,
    check_positive_float,
)
from gan_lessons.densities import Gaussian, GaussianMixture, check_density

# The doctest examples below fit two-mode mixtures.
from gan_lessons.densities import two_mode_mixture  # noqa: F401

__all__ = [
    "DIVERGENCES",
    "FitTrajectory",
    "fit_gaussian",
    "fit_gaussian_many",
    "maximum_likelihood_gaussian",
]

#: The divergences :func:`fit_gaussian` can minimise.
DIVERGENCES = ("forward_kl", "reverse_kl", "js")

#: Half-width of the default grid for p, in standard deviations of each component.
_GRID_HALF_WIDTH = 6.0
#: Half-width of the grid for q, in standard units z = (x - mu) / sigma.
_Z_HALF_WIDTH = 8.0

_LOG_2 = float(np.log(2.0))
_HALF_LOG_2PI = float(0.5 * np.log(2.0 * np.pi))


class FitTrajectory(NamedTuple):
    """The record of a Gaussian fit, one entry per iterate ``0..steps``.

    Attributes:
      means: :math:`\\mu_t`, shape ``(steps + 1,)`` (``(n, steps + 1)`` from
        :func:`fit_gaussian_many`); ``means[0]`` is the initial mean.
      stds: :math:`\\sigma_t`, same shape.
      losses: the divergence at :math:`(\\mu_t, \\sigma_t)` in nats, same shape
        (for forward KL the full KL, target entropy included).
      divergence: the name of the divergence minimised, one of :data:`DIVERGENCES`.
    """

    means: jax.Array
    stds: jax.Array
    losses: jax.Array
    divergence: str


# --------------------------------------------------------------------------- JAX: integrands


def _weighted_log_ratio(log_a: jax.Array, log_b: jax.Array) -> jax.Array:
    """``a * (log a - log b)`` with ``a = exp(log_a)``, exactly 0 (and 0 gradient) where a == 0.

    The double ``where`` keeps NaN out of the gradient too: where ``a`` is zero the
    live branch is evaluated at harmless values, so its derivative (multiplied by
    the zero cotangent ``where`` passes down) is finite.
    """
    a = jnp.exp(log_a)
    empty = a == 0
    safe_log_a = jnp.where(empty, 0.0, log_a)
    safe_log_b = jnp.where(empty, 0.0, log_b)
    return jnp.where(empty, 0.0, jnp.exp(safe_log_a) * (safe_log_a - safe_log_b))


def _log_two_over_one_plus(log_b_over_a: jax.Array) -> jax.Array:
    """``log(2a / (a + b))`` from ``log(b / a)``: ``log 2 - softplus(log b - log a)``."""
    return _LOG_2 - jax.nn.softplus(log_b_over_a)


def _trapezoid_weights(lo: jax.Array, hi: jax.Array, num: int) -> jax.Array:
    h = (hi - lo) / (num - 1)
    return jnp.full((num,), h).at[0].multiply(0.5).at[-1].multiply(0.5)


def _normal_log_prob(x: jax.Array, mu: jax.Array, log_sigma: jax.Array) -> jax.Array:
    z = (x - mu) * jnp.exp(-log_sigma)
    return -0.5 * z * z - log_sigma - _HALF_LOG_2PI


def _make_loss(target: Any, lo: jax.Array, hi: jax.Array, divergence: str, num: int):
    """The discretised divergence as a function of ``(mu, log_sigma)``.

    Terms weighted by p use a fixed grid over ``[lo, hi]`` (log p on it is computed
    once). Terms weighted by q use the grid ``x = mu + sigma * z`` with ``z`` fixed on
    ``[-_Z_HALF_WIDTH, _Z_HALF_WIDTH]``, so they follow q wherever it goes:
    ``int q(x) f(x) dx = int phi(z) f(mu + sigma z) dz``.
    """
    x = jnp.linspace(lo, hi, num)
    wx = _trapezoid_weights(lo, hi, num)
    log_p_x = target.log_prob(x)
    z = jnp.linspace(-_Z_HALF_WIDTH, _Z_HALF_WIDTH, num)
    log_phi = -0.5 * z * z - _HALF_LOG_2PI
    wz = _trapezoid_weights(-_Z_HALF_WIDTH, _Z_HALF_WIDTH, num) * jnp.exp(log_phi)

    def forward_kl(mu, log_sigma):
        # Only -p log q moves with the parameters; p log p rides along for the full KL.
        return jnp.sum(wx * _weighted_log_ratio(log_p_x, _normal_log_prob(x, mu, log_sigma)))

    def reverse_kl(mu, log_sigma):
        log_p_z = target.log_prob(mu + jnp.exp(log_sigma) * z)
        return jnp.sum(wz * (log_phi - log_sigma - log_p_z))

    def js(mu, log_sigma):
        log_q_x = _normal_log_prob(x, mu, log_sigma)
        p_part = jnp.sum(wx * jnp.exp(log_p_x) * _log_two_over_one_plus(log_q_x - log_p_x))
        log_p_z = target.log_prob(mu + jnp.exp(log_sigma) * z)
        q_part = jnp.sum(wz * _log_two_over_one_plus(log_p_z - (log_phi - log_sigma)))
        return 0.5 * (p_part + q_part)

    objective = {"forward_kl": forward_kl, "reverse_kl": reverse_kl, "js": js}[divergence]
    return lambda params: objective(*params)


# --------------------------------------------------------------------------- JAX: the fit


def _fit(target: Any, init_mean: jax.Array, init_std: jax.Array, learning_rate: jax.Array,
         lo: jax.Array, hi: jax.Array, *, divergence: str, steps: int,
         num: int) -> tuple[jax.Array, jax.Array, jax.Array]:
    loss = _make_loss(target, lo, hi, divergence, num)
    optimiser = optax.adam(learning_rate)
    params = (init_mean, jnp.log(init_std))

    def step(carry, _):
        params, opt_state = carry
        value, grads = jax.value_and_grad(loss)(params)
        updates, opt_state = optimiser.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state), (params[0], params[1], value)

    (final, _), (mus, log_sigmas, values) = jax.lax.scan(
        step, (params, optimiser.init(params)), length=steps)
    means = jnp.append(mus, final[0])
    stds = jnp.exp(jnp.append(log_sigmas, final[1]))
    return means, stds, jnp.append(values, loss(final))


_fit_core = jax.jit(_fit, static_argnames=("divergence", "steps", "num"))


def _fit_many(target: Any, init_means: jax.Array, init_std: jax.Array,
              learning_rate: jax.Array, lo: jax.Array, hi: jax.Array, *, divergence: str,
              steps: int, num: int) -> tuple[jax.Array, jax.Array, jax.Array]:
    def one(init_mean):
        return _fit(target, init_mean, init_std, learning_rate, lo, hi,
                    divergence=divergence, steps=steps, num=num)

    return jax.vmap(one)(init_means)


_fit_many_core = jax.jit(_fit_many, static_argnames=("divergence", "steps", "num"))


# --------------------------------------------------------------------------- validation


def _finite_scalar(name: str, value: Any) -> float:
    return float(as_finite_array(name, value, ndim=0))


def _target_components(target: Any) -> tuple[np.ndarray, np.ndarray]:
    """The means and standard deviations of the target's Gaussian components."""
    mixture = check_density("target", target).as_mixture()
    return np.asarray(mixture.means, np.float64), np.asarray(mixture.stds, np.float64)


def _prepare(target: Any, divergence: Any, init_std: Any, steps: Any, learning_rate: Any,
             lo: Any, hi: Any, num: Any) -> dict[str, Any]:
    """Validate the arguments the fits share; choose and check the quadrature grids."""
    comp_means, comp_stds = _target_components(target)
    divergence = check_choice("divergence", divergence, DIVERGENCES)
    init_std = check_positive_float("init_std", init_std)
    steps = check_int("steps", steps, minimum=1)
    learning_rate = check_positive_float("learning_rate", learning_rate)
    num = check_int("num", num, minimum=3)
    lo = (float(np.min(comp_means - _GRID_HALF_WIDTH * comp_stds)) if lo is None
          else _finite_scalar("lo", lo))
    hi = (float(np.max(comp_means + _GRID_HALF_WIDTH * comp_stds)) if hi is None
          else _finite_scalar("hi", hi))
    if not lo < hi:
        raise ValueError(f"lo must be smaller than hi, got lo={lo!r} and hi={hi!r}")

    # Both grids must resolve the narrowest Gaussian they meet (checked at the start).
    narrowest = float(min(comp_stds.min(), init_std))
    spacing = (hi - lo) / (num - 1)
    q_spacing = init_std * 2.0 * _Z_HALF_WIDTH / (num - 1)
    if max(spacing, q_spacing) > narrowest:
        raise ValueError(
            f"num={num} grid points are too few: the grid on [lo, hi] = [{lo:.4g}, {hi:.4g}] "
            f"has spacing {spacing:.3g} and the grid that follows q has spacing "
            f"{q_spacing:.3g}, but the narrowest standard deviation (of the target and "
            f"init_std) is {narrowest:.3g}; expected spacings <= {narrowest:.3g}: raise num "
            "or narrow [lo, hi]"
        )
    f32 = jnp.float32
    return dict(
        # One dtype for every leaf, however the density was built, so that new values
        # always reach the same compiled core.
        target=jax.tree.map(lambda leaf: jnp.asarray(leaf, f32), target),
        init_std=jnp.asarray(init_std, f32),
        learning_rate=jnp.asarray(learning_rate, f32),
        lo=jnp.asarray(lo, f32),
        hi=jnp.asarray(hi, f32),
        divergence=divergence,
        steps=steps,
        num=num,
    )


def _run(core: Any, init: jax.Array, args: dict[str, Any]) -> FitTrajectory:
    """Call ``_fit_core`` or ``_fit_many_core`` from ``init`` with the checked ``args``."""
    means, stds, losses = core(
        args["target"], init, args["init_std"], args["learning_rate"], args["lo"], args["hi"],
        divergence=args["divergence"], steps=args["steps"], num=args["num"])
    return FitTrajectory(means, stds, losses, args["divergence"])


# --------------------------------------------------------------------------- public API


def fit_gaussian(target: Gaussian | GaussianMixture, divergence: str, *,
                 init_mean: float = 0.0, init_std: float = 1.0, steps: int = 500,
                 learning_rate: float = 0.05, lo: float | None = None,
                 hi: float | None = None, num: int = 801) -> FitTrajectory:
    """Fit :math:`q = \\mathcal N(\\mu, \\sigma^2)` to ``target`` by minimising a divergence.

    Minimises, over :math:`\\theta = (\\mu, \\log\\sigma)`, one of

    .. math:: \\mathrm{KL}(p \\,\\|\\, q) = \\int p \\log\\frac{p}{q}\\,dx, \\qquad
              \\mathrm{KL}(q \\,\\|\\, p) = \\int q \\log\\frac{q}{p}\\,dx, \\qquad
              \\mathrm{JSD}(p, q) = \\tfrac12 \\mathrm{KL}(p \\,\\|\\, m)
              + \\tfrac12 \\mathrm{KL}(q \\,\\|\\, m),\\ m = \\tfrac{p + q}2,

    with ``steps`` Adam updates. Each integral is taken by the trapezoidal rule with
    ``num`` points: on ``[lo, hi]`` where the integrand is weighted by :math:`p`, on
    a grid that follows :math:`q` where it is weighted by :math:`q` (see the module
    docstring). Forward KL (maximum likelihood) converges to moment matching,
    :math:`\\mu = \\mathbb E_p[X]`, :math:`\\sigma^2 = \\mathrm{Var}_p[X]`, and so
    covers every mode; reverse KL settles on one mode, chosen by the
    initialisation; JSD lands in between.

    Adam's step is about ``learning_rate`` per update at first, and its memory of
    early, large gradients slows the last part of a long journey: a forward-KL fit
    that must widen a lot and travel far converges faster with ``learning_rate=0.1``
    (or more ``steps``) than with the default.

    Args:
      target: the density :math:`p`, a :class:`~gan_lessons.densities.Gaussian` or
        :class:`~gan_lessons.densities.GaussianMixture` (traced: new parameter values
        with the same number of components do not recompile).
      divergence: ``"forward_kl"`` (:math:`\\mathrm{KL}(p\\|q)`), ``"reverse_kl"``
        (:math:`\\mathrm{KL}(q\\|p)`) or ``"js"`` (static).
      init_mean: the initial mean :math:`\\mu_0`, a finite float (traced).
      init_std: the initial standard deviation :math:`\\sigma_0 > 0` (traced).
      steps: number of Adam updates, an int >= 1 (static).
      learning_rate: Adam's step size, a finite float > 0 (traced).
      lo: left end of the grid for the terms weighted by :math:`p` (traced); by
        default the smallest ``mean - 6 std`` over the target's components.
      hi: right end of that grid (traced); by default the largest ``mean + 6 std``.
      num: number of points in each grid, an int >= 3 (static). The spacing
        ``(hi - lo) / (num - 1)`` and the initial spacing ``16 init_std / (num - 1)``
        of the grid that follows :math:`q` must not exceed the smallest standard
        deviation of the target and ``init_std``.

    Returns:
      A :class:`FitTrajectory` of ``steps + 1`` iterates (float32): the means, the
      standard deviations and the divergence at each, in nats.

    Raises:
      TypeError: ``target`` is not a Gaussian or a Gaussian mixture, or a number
        has the wrong type.
      ValueError: an unknown ``divergence``, ``steps < 1``, a non-positive or
        non-finite ``learning_rate`` or ``init_std``, ``num < 3``, ``lo >= hi``, or a
        grid too coarse for the narrowest Gaussian.

    Example:
      >>> p = two_mode_mixture(8.0)                    # modes at -4 and +4, std 1
      >>> fit = fit_gaussian(p, "forward_kl")          # covers both: std = sqrt(1 + 16)
      >>> round(float(fit.stds[-1]), 3), abs(round(float(fit.means[-1]), 3))
      (4.123, 0.0)
      >>> fit = fit_gaussian(p, "reverse_kl", init_mean=2.0)   # seeks the nearer mode
      >>> round(float(fit.means[-1]), 2), round(float(fit.stds[-1]), 2)
      (4.0, 1.0)
      >>> fit.means.shape, fit.divergence
      ((501,), 'reverse_kl')
    """
    init_mean = _finite_scalar("init_mean", init_mean)
    args = _prepare(target, divergence, init_std, steps, learning_rate, lo, hi, num)
    return _run(_fit_core, jnp.asarray(init_mean, jnp.float32), args)


def fit_gaussian_many(target: Gaussian | GaussianMixture, divergence: str,
                      init_means: ArrayLike, *, init_std: float = 1.0, steps: int = 500,
                      learning_rate: float = 0.05, lo: float | None = None,
                      hi: float | None = None, num: int = 801) -> FitTrajectory:
    """Run :func:`fit_gaussian` from several initial means at once (``jax.vmap``).

    All fits share the target, ``init_std``, the learning rate and the grid on
    ``[lo, hi]``. Handy for showing that the reverse-KL answer depends on where
    the fit starts, while the forward-KL answer does not.

    Args:
      target: the density :math:`p`, as in :func:`fit_gaussian`.
      divergence: ``"forward_kl"``, ``"reverse_kl"`` or ``"js"`` (static).
      init_means: the initial means, a non-empty finite 1-D array (its length is a
        shape: a new length compiles once; new values do not).
      init_std, steps, learning_rate, lo, hi, num: as in :func:`fit_gaussian`.

    Returns:
      A :class:`FitTrajectory` whose arrays have shape ``(len(init_means), steps + 1)``.

    Example:
      >>> fits = fit_gaussian_many(two_mode_mixture(8.0), "reverse_kl", [-2.0, 0.5, 2.0])
      >>> [abs(round(m, 1)) for m in fits.means[:, -1].tolist()]   # left, middle, right
      [4.0, 0.0, 4.0]
      >>> fits.means.shape
      (3, 501)
    """
    starts = as_finite_array("init_means", init_means, ndim=1)
    args = _prepare(target, divergence, init_std, steps, learning_rate, lo, hi, num)
    return _run(_fit_many_core, jnp.asarray(starts, jnp.float32), args)


def maximum_likelihood_gaussian(samples: ArrayLike) -> tuple[float, float]:
    """The maximum-likelihood Gaussian for 1-D samples, in closed form.

    Maximising :math:`\\sum_i \\log \\mathcal N(x_i; \\mu, \\sigma^2)` gives the sample
    mean and the *biased* (divide by :math:`n`) standard deviation:

    .. math:: \\hat\\mu = \\frac1n \\sum_i x_i, \\qquad
              \\hat\\sigma = \\Big(\\frac1n \\sum_i (x_i - \\hat\\mu)^2\\Big)^{1/2}.

    This is the forward-KL fit to the empirical distribution of the samples; as
    :math:`n \\to \\infty` it tends to the moment-matched Gaussian that
    :func:`fit_gaussian` finds with ``divergence="forward_kl"``.

    Args:
      samples: a non-empty, finite 1-D array.

    Returns:
      ``(mean, std)`` as Python floats (computed in float64). ``std`` is 0 when all
      samples are equal.

    Example:
      >>> maximum_likelihood_gaussian([1.0, 2.0, 3.0, 6.0])
      (3.0, 1.8708286933869707)
    """
    x = as_finite_array("samples", samples, ndim=1)
    mean = float(x.mean())
    return mean, float(np.sqrt(np.mean((x - mean) ** 2)))
