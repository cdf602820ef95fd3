"""Entropy, KL and Jensen-Shannon divergences, and the Kolmogorov-Smirnov statistic.

Three families of functions, all in nats:

* **Discrete distributions** (probability vectors along the last axis, batched
  over the leading axes): :func:`entropy`, :func:`kl_divergence`,
  :func:`js_divergence`. Small helpers computed exactly in float64 NumPy.
* **1-D Gaussians in closed form**: :func:`gaussian_kl`.
* **1-D densities** (:class:`~gan_lessons.densities.Gaussian` and
  :class:`~gan_lessons.densities.GaussianMixture`): Monte-Carlo estimators
  (:func:`kl_monte_carlo`, :func:`js_monte_carlo`), quadrature on a grid
  (:func:`kl_quadrature`, :func:`js_quadrature`) and the pointwise integrands
  (:func:`kl_integrand`, :func:`js_integrand`). These call module-level jitted
  cores that take the densities as pytree *arguments*: new parameter values
  (a slider moving a mean) reuse the compiled code; only the sample size
  ``n``, the grid size ``num`` and the densities' structure are static.

Two-sample and one-sample Kolmogorov-Smirnov statistics: :func:`ks_statistic`,
:func:`ks_statistic_to_cdf`.

Conventions, used throughout: a term with :math:`p = 0` contributes 0
(:math:`0 \\ln 0 = 0`, :math:`0 \\ln(0/q) = 0`); :math:`\\mathrm{KL}(p\\|q) = +\\infty`
as soon as :math:`q = 0 < p` somewhere; the Jensen-Shannon divergence is always
finite, :math:`0 \\le \\mathrm{JSD} \\le \\ln 2`.
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from gan_lessons._numerics import QUADRATURE_TAIL, covering_grid, pairwise_sum, trapezoid
from gan_lessons._validate import (
    as_finite_array,
    as_float32,
    check_bounds,
    check_int,
    check_key,
    show,
)
from gan_lessons.densities import Gaussian, GaussianMixture, check_density

__all__ = [
    "entropy",
    "kl_divergence",
    "js_divergence",
    "gaussian_kl",
    "ks_statistic",
    "ks_statistic_to_cdf",
    "MonteCarloEstimate",
    "kl_monte_carlo",
    "js_monte_carlo",
    "kl_quadrature",
    "js_quadrature",
    "kl_integrand",
    "js_integrand",
]

_LN2 = math.log(2.0)
_ATOL = 1e-6  # how far a probability vector's sum may be from 1 (never renormalised)

Density = Gaussian | GaussianMixture


# --------------------------------------------------------------------------- validation


def _distribution(name: str, value: Any) -> np.ndarray:
    """Probability vectors along the last axis: finite, >= 0, summing to 1 (float64)."""
    array = as_finite_array(name, value)
    if array.ndim == 0:
        raise ValueError(
            f"{name} must be a probability vector (at least 1-D, outcomes on the last axis), "
            f"got the scalar {show(value)}")
    if np.any(array < -_ATOL):
        raise ValueError(f"{name} must have no negative entries, got {show(value)}")
    sums = array.sum(axis=-1)
    worst = float(np.max(np.abs(sums - 1.0)))
    if worst > _ATOL:
        bad = float(np.ravel(sums)[np.argmax(np.abs(np.ravel(sums) - 1.0))])
        raise ValueError(
            f"{name} must sum to 1 along its last axis (probability vectors, not renormalised), "
            f"got a sum of {bad:.6g}: {show(value)}")
    return np.clip(array, 0.0, None)


def _distribution_pair(p: Any, q: Any) -> tuple[np.ndarray, np.ndarray]:
    p = _distribution("p", p)
    q = _distribution("q", q)
    if p.shape[-1] != q.shape[-1]:
        raise ValueError(
            f"q must have as many outcomes as p on the last axis: p has shape {p.shape}, "
            f"q has shape {q.shape}")
    try:
        np.broadcast_shapes(p.shape, q.shape)
    except ValueError as err:
        raise ValueError(
            f"q's shape {q.shape} does not broadcast against p's shape {p.shape} "
            f"(the leading, batch axes must be broadcastable)") from err
    return p, q


def _positive_array(name: str, value: Any) -> np.ndarray:
    array = as_finite_array(name, value)
    if np.any(array <= 0):
        raise ValueError(f"{name} must be > 0 (a standard deviation), got {show(value)}")
    return array


def _sample_1d(name: str, value: Any) -> np.ndarray:
    return as_finite_array(name, value, ndim=1)


def _result(values: np.ndarray) -> np.ndarray | np.float64:
    """A NumPy array of the batch shape, or a float64 scalar for a single distribution."""
    values = np.asarray(values, dtype=np.float64)
    return values[()] if values.ndim == 0 else values


# --------------------------------------------------------------------------- discrete


def entropy(p: ArrayLike) -> np.ndarray | np.float64:
    """Shannon entropy of discrete distributions, in nats.

    .. math:: H(p) = -\\sum_i p_i \\ln p_i, \\qquad 0 \\ln 0 = 0

    :math:`0 \\le H(p) \\le \\ln n` for :math:`n` outcomes, with the maximum at the
    uniform distribution.

    Args:
      p: probability vectors along the last axis (shape ``(..., n)``): finite,
        non-negative, each summing to 1 within 1e-6 (nothing is renormalised;
        entries above -1e-6 count as round-off and are read as 0).

    Returns:
      The entropies, float64 of shape ``p.shape[:-1]`` (a NumPy scalar for 1-D ``p``).

    Example:
      >>> round(float(entropy([0.5, 0.5])), 6), round(math.log(2), 6)
      (0.693147, 0.693147)
      >>> entropy([[1.0, 0.0], [0.25, 0.75]]).shape
      (2,)

    References:
      Cover and Thomas, *Elements of Information Theory* (2nd ed., 2006), section 2.1.
    """
    p = _distribution("p", p)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return _result(np.maximum(-terms.sum(axis=-1), 0.0))


def _kl_terms(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log(np.where(p > 0, p, 1.0)) - np.log(q)
        return np.where(p > 0, p * log_ratio, 0.0)


def kl_divergence(p: ArrayLike, q: ArrayLike) -> np.ndarray | np.float64:
    """Kullback-Leibler divergence :math:`\\mathrm{KL}(p \\| q)` of discrete distributions, in nats.

    .. math:: \\mathrm{KL}(p \\| q) = \\sum_i p_i \\ln \\frac{p_i}{q_i}

    Conventions: terms with :math:`p_i = 0` contribute 0, and the result is
    :math:`+\\infty` when some :math:`q_i = 0 < p_i`. Gibbs' inequality gives
    :math:`\\mathrm{KL} \\ge 0` with equality iff :math:`p = q`; round-off below 0
    is clipped to 0. Not symmetric.

    Args:
      p: probability vectors along the last axis, shape ``(..., n)``.
      q: probability vectors with the same ``n``; the leading (batch) axes of
        ``p`` and ``q`` broadcast.

    Returns:
      float64 of the broadcast batch shape (a NumPy scalar for 1-D inputs);
      ``inf`` where the support of ``p`` is not inside that of ``q``.

    Example:
      >>> round(float(kl_divergence([0.5, 0.5], [0.25, 0.75])), 6)
      0.143841
      >>> float(kl_divergence([0.5, 0.5], [1.0, 0.0]))
      inf

    References:
      Kullback and Leibler, "On information and sufficiency", *Ann. Math. Stat.* 22 (1951).
      Cover and Thomas (2006), section 2.3.
    """
    p, q = _distribution_pair(p, q)
    return _result(np.maximum(_kl_terms(p, q).sum(axis=-1), 0.0))


def js_divergence(p: ArrayLike, q: ArrayLike) -> np.ndarray | np.float64:
    """Jensen-Shannon divergence of discrete distributions, in nats.

    .. math:: \\mathrm{JSD}(p, q) = \\tfrac12 \\mathrm{KL}(p \\| m)
              + \\tfrac12 \\mathrm{KL}(q \\| m),
              \\qquad m = \\tfrac12 (p + q)

    Symmetric and always finite (:math:`m_i > 0` wherever :math:`p_i > 0` or
    :math:`q_i > 0`); :math:`0 \\le \\mathrm{JSD} \\le \\ln 2`, with :math:`\\ln 2`
    exactly for disjoint supports. :math:`\\sqrt{\\mathrm{JSD}}` is a metric. Terms
    with a zero probability contribute 0; round-off outside :math:`[0, \\ln 2]` is
    clipped.

    Args:
      p: probability vectors along the last axis, shape ``(..., n)``.
      q: probability vectors with the same ``n``; batch axes broadcast.

    Returns:
      float64 of the broadcast batch shape (a NumPy scalar for 1-D inputs).

    Example:
      >>> float(js_divergence([1.0, 0.0], [0.0, 1.0])) == math.log(2)
      True
      >>> float(js_divergence([0.3, 0.7], [0.3, 0.7]))
      0.0

    References:
      Lin, "Divergence measures based on the Shannon entropy", *IEEE Trans. Inf.
      Theory* 37 (1991). Endres and Schindelin, "A new metric for probability
      distributions", *IEEE Trans. Inf. Theory* 49 (2003).
    """
    p, q = _distribution_pair(p, q)
    m = 0.5 * (p + q)
    value = 0.5 * _kl_terms(p, m).sum(axis=-1) + 0.5 * _kl_terms(q, m).sum(axis=-1)
    return _result(np.clip(value, 0.0, _LN2))


# --------------------------------------------------------------------------- Gaussians


def gaussian_kl(mu_p: ArrayLike, sigma_p: ArrayLike, mu_q: ArrayLike,
                sigma_q: ArrayLike) -> np.ndarray | np.float64:
    """Closed-form KL divergence between two 1-D Gaussians, in nats.

    :math:`\\mathrm{KL}(\\mathcal N(\\mu_p, \\sigma_p^2) \\| \\mathcal N(\\mu_q, \\sigma_q^2))`:

    .. math:: \\mathrm{KL} = \\ln \\frac{\\sigma_q}{\\sigma_p}
              + \\frac{\\sigma_p^2 + (\\mu_p - \\mu_q)^2}{2 \\sigma_q^2} - \\frac12

    The arguments broadcast against each other (NumPy rules), so one call can
    tabulate the divergence over a grid of parameters.

    Args:
      mu_p: mean of :math:`p`, finite.
      sigma_p: standard deviation of :math:`p`, finite and > 0.
      mu_q: mean of :math:`q`, finite.
      sigma_q: standard deviation of :math:`q`, finite and > 0.

    Returns:
      float64 of the broadcast shape (a NumPy scalar for scalar inputs), in nats.

    Example:
      >>> float(gaussian_kl(0.0, 1.0, 0.0, 1.0))
      0.0
      >>> round(float(gaussian_kl(1.0, 1.0, 0.0, 2.0)), 6)  # ln 2 + 2/8 - 1/2
      0.443147

    References:
      Bishop, *Pattern Recognition and Machine Learning* (2006), exercise 1.30 and
      section 10.1; Cover and Thomas (2006), chapter 8.
    """
    mp = as_finite_array("mu_p", mu_p)
    sp = _positive_array("sigma_p", sigma_p)
    mq = as_finite_array("mu_q", mu_q)
    sq = _positive_array("sigma_q", sigma_q)
    try:
        np.broadcast_shapes(mp.shape, sp.shape, mq.shape, sq.shape)
    except ValueError as err:
        raise ValueError(
            f"mu_p, sigma_p, mu_q and sigma_q must broadcast together, got shapes "
            f"{mp.shape}, {sp.shape}, {mq.shape} and {sq.shape}") from err
    value = np.log(sq / sp) + (sp**2 + (mp - mq) ** 2) / (2.0 * sq**2) - 0.5
    return _result(np.maximum(value, 0.0))


# --------------------------------------------------------------------------- Kolmogorov-Smirnov


def ks_statistic(x: ArrayLike, y: ArrayLike) -> np.float64:
    """Two-sample Kolmogorov-Smirnov statistic of two 1-D samples.

    .. math:: D_{n,m} = \\sup_t |F_n(t) - G_m(t)|, \\qquad
              F_n(t) = \\frac1n \\#\\{i : x_i \\le t\\}

    Both empirical CDFs are right-continuous step functions that only change
    at data points, so the supremum is attained at a point of the pooled
    sample; evaluating both at every pooled point (``searchsorted`` with
    ``side="right"``) gives it exactly, ties included. Under the null
    hypothesis that both samples come from one continuous distribution,
    :math:`D` shrinks like :math:`\\sqrt{(n+m)/(nm)}`.

    Args:
      x: a non-empty 1-D sample of finite numbers.
      y: another non-empty 1-D sample; its size may differ from ``x``'s.

    Returns:
      :math:`D \\in [0, 1]`, a float64 scalar.

    Example:
      >>> float(ks_statistic([1, 2, 3], [1, 2, 3]))
      0.0
      >>> float(ks_statistic([0, 1], [2, 3, 4]))
      1.0

    References:
      Smirnov, "Table for estimating the goodness of fit of empirical
      distributions", *Ann. Math. Stat.* 19 (1948).
    """
    xs = np.sort(_sample_1d("x", x))
    ys = np.sort(_sample_1d("y", y))
    pooled = np.concatenate([xs, ys])
    f = np.searchsorted(xs, pooled, side="right") / xs.size
    g = np.searchsorted(ys, pooled, side="right") / ys.size
    return np.float64(np.max(np.abs(f - g)))


def ks_statistic_to_cdf(x: ArrayLike, cdf: Density | Callable[[np.ndarray], ArrayLike]
                        ) -> np.float64:
    """One-sample Kolmogorov-Smirnov statistic of a sample against a continuous CDF.

    .. math:: D_n = \\sup_t |F_n(t) - F(t)|
              = \\max_i \\max\\Big(\\frac in - F(x_{(i)}),\\; F(x_{(i)}) - \\frac{i-1}n\\Big)

    with :math:`x_{(1)} \\le \\dots \\le x_{(n)}` the sorted sample.

    Args:
      x: a non-empty 1-D sample of finite numbers.
      cdf: a :class:`~gan_lessons.densities.Gaussian` or
        :class:`~gan_lessons.densities.GaussianMixture` (its ``cdf`` is used), or
        a vectorised callable returning :math:`F` at an array of points.

    Returns:
      :math:`D_n \\in [0, 1]`, a float64 scalar.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> float(ks_statistic_to_cdf([0.0], Gaussian(0.0, 1.0)))
      0.5

    References:
      Kolmogorov, "Sulla determinazione empirica di una legge di distribuzione",
      *G. Ist. Ital. Attuari* 4 (1933).
    """
    xs = np.sort(_sample_1d("x", x))
    if isinstance(cdf, (Gaussian, GaussianMixture)):
        function = cdf.cdf
    elif callable(cdf):
        function = cdf
    else:
        raise TypeError(f"cdf must be a density or a callable CDF, got {show(cdf)}")
    values = np.asarray(function(xs), dtype=np.float64)
    if values.shape != xs.shape:
        raise ValueError(
            f"cdf must return one value per point: got shape {values.shape} for {xs.size} points")
    if not np.all(np.isfinite(values)) or np.any(values < -1e-6) or np.any(values > 1 + 1e-6):
        raise ValueError("cdf must return finite values in [0, 1]")
    n = xs.size
    i = np.arange(1, n + 1)
    return np.float64(max(np.max(i / n - values), np.max(values - (i - 1) / n)))


# --------------------------------------------------------------------------- JAX: integrands


def _kl_pointwise(p: Density, q: Density, x: jax.Array) -> jax.Array:
    log_p = p.log_prob_unchecked(x)
    log_q = q.log_prob_unchecked(x)
    prob_p = jnp.exp(log_p)
    # Where p underflows to 0 the term is 0, never 0 * (-inf) or NaN.
    return jnp.where(prob_p > 0, prob_p * (log_p - log_q), 0.0)


def _js_pointwise(p: Density, q: Density, x: jax.Array) -> jax.Array:
    log_p = p.log_prob_unchecked(x)
    log_q = q.log_prob_unchecked(x)
    log_m = jnp.logaddexp(log_p, log_q) - _LN2
    prob_p, prob_q = jnp.exp(log_p), jnp.exp(log_q)
    term_p = jnp.where(prob_p > 0, prob_p * (log_p - log_m), 0.0)
    term_q = jnp.where(prob_q > 0, prob_q * (log_q - log_m), 0.0)
    return 0.5 * (term_p + term_q)


def _kl_quadrature(p: Density, q: Density, bounds: Any, num: int) -> jax.Array:
    x = covering_grid(p, q, bounds, num, QUADRATURE_TAIL)
    return trapezoid(_kl_pointwise(p, q, x), x)


def _js_quadrature(p: Density, q: Density, bounds: Any, num: int) -> jax.Array:
    x = covering_grid(p, q, bounds, num, QUADRATURE_TAIL)
    return trapezoid(_js_pointwise(p, q, x), x)


_kl_integrand_core = jax.jit(_kl_pointwise)
_js_integrand_core = jax.jit(_js_pointwise)
_kl_quadrature_core = jax.jit(_kl_quadrature, static_argnames=("num",))
_js_quadrature_core = jax.jit(_js_quadrature, static_argnames=("num",))


def _integrand(core: Callable, p: Any, q: Any, x: Any) -> jax.Array:
    """Check the arguments of :func:`kl_integrand` or :func:`js_integrand` and call ``core``."""
    p, q = check_density("p", p), check_density("q", q)
    return core(p, q, as_float32("x", x, min_size=0))


def _quadrature(core: Callable, p: Any, q: Any, lo: Any, hi: Any, num: Any) -> jax.Array:
    """Check the arguments of :func:`kl_quadrature` or :func:`js_quadrature` and call ``core``."""
    p, q = check_density("p", p), check_density("q", q)
    bounds = check_bounds(lo, hi)
    num = check_int("num", num, minimum=3)
    return core(p, q, bounds, num=num)


def kl_integrand(p: Density, q: Density, x: ArrayLike) -> jax.Array:
    """The integrand of :math:`\\mathrm{KL}(p \\| q)` at the points ``x``.

    .. math:: f(x) = p(x) \\big(\\ln p(x) - \\ln q(x)\\big),
              \\qquad \\mathrm{KL}(p \\| q) = \\int f(x)\\, dx

    Computed from the log-densities, so it is finite everywhere; where
    :math:`p(x)` underflows to 0 the integrand is 0. It is negative where
    :math:`q > p`, but its integral is :math:`\\ge 0`.

    Args:
      p: a :class:`~gan_lessons.densities.Gaussian` or
        :class:`~gan_lessons.densities.GaussianMixture` (traced: new parameter
        values do not recompile).
      q: another density.
      x: points, an array of any shape.

    Returns:
      float32, the shape of ``x``.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> kl_integrand(Gaussian(0.0, 1.0), Gaussian(0.0, 1.0), [0.0, 1.0]).tolist()
      [0.0, 0.0]
    """
    return _integrand(_kl_integrand_core, p, q, x)


def js_integrand(p: Density, q: Density, x: ArrayLike) -> jax.Array:
    """The integrand of :math:`\\mathrm{JSD}(p, q)` at the points ``x``.

    .. math:: f(x) = \\tfrac12 p(x) \\ln\\frac{p(x)}{m(x)} + \\tfrac12 q(x) \\ln\\frac{q(x)}{m(x)},
              \\qquad m = \\tfrac12(p + q)

    with :math:`\\ln m` computed as ``logaddexp(log p, log q) - ln 2``. Terms whose
    density underflows to 0 are 0. Unlike the KL integrand it is never negative.

    Args:
      p: a Gaussian or Gaussian mixture (traced).
      q: another density.
      x: points, an array of any shape.

    Returns:
      float32, the shape of ``x``.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> f = js_integrand(Gaussian(-50.0, 1.0), Gaussian(50.0, 1.0), [-50.0])
      >>> bool(abs(f[0] - 0.5 * math.log(2) / math.sqrt(2 * math.pi)) < 1e-6)
      True
    """
    return _integrand(_js_integrand_core, p, q, x)


def kl_quadrature(p: Density, q: Density, *, lo: float | None = None,
                  hi: float | None = None, num: int = 2001) -> jax.Array:
    """:math:`\\mathrm{KL}(p \\| q)` between 1-D densities by quadrature on a grid.

    .. math:: \\mathrm{KL}(p \\| q) \\approx h \\sum_{j=0}^{N-1}{}' f(x_j), \\qquad
              x_j = \\mathrm{lo} + j h, \\quad h = \\frac{\\mathrm{hi} - \\mathrm{lo}}{N - 1}

    the trapezoidal rule (:math:`\\sum'` halves the end terms) applied to
    :func:`kl_integrand`. For smooth integrands that have decayed to almost 0 at
    both ends the trapezoidal rule converges faster than any power of
    :math:`h` (faster than Simpson's rule), provided :math:`h` is well below the
    narrowest standard deviation. The default range covers every component of
    positive weight of both densities out to 10 standard deviations.

    Args:
      p: a Gaussian or Gaussian mixture (traced: new values do not recompile).
      q: another density.
      lo: left end of the grid; with ``hi``, or both ``None`` for the default.
      hi: right end of the grid, > ``lo``.
      num: number of grid points, an int >= 3 (static).

    Returns:
      The estimate, a float32 JAX scalar.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> kl = kl_quadrature(Gaussian(1.0, 1.0), Gaussian(0.0, 2.0))
      >>> bool(abs(kl - gaussian_kl(1.0, 1.0, 0.0, 2.0)) < 1e-5)
      True

    References:
      Trefethen and Weideman, "The exponentially convergent trapezoidal rule",
      *SIAM Review* 56 (2014).
    """
    return _quadrature(_kl_quadrature_core, p, q, lo, hi, num)


def js_quadrature(p: Density, q: Density, *, lo: float | None = None,
                  hi: float | None = None, num: int = 2001) -> jax.Array:
    """:math:`\\mathrm{JSD}(p, q)` between 1-D densities by quadrature on a grid.

    The trapezoidal rule applied to :func:`js_integrand`, on the same grid as
    :func:`kl_quadrature`:

    .. math:: \\mathrm{JSD}(p, q) = \\int \\tfrac12 p \\ln\\frac{p}{m}
              + \\tfrac12 q \\ln\\frac{q}{m}\\, dx, \\qquad m = \\tfrac12 (p + q)

    Args:
      p: a Gaussian or Gaussian mixture (traced: new values do not recompile).
      q: another density.
      lo: left end of the grid; with ``hi``, or both ``None`` for the default.
      hi: right end of the grid, > ``lo``.
      num: number of grid points, an int >= 3 (static).

    Returns:
      The estimate, a float32 JAX scalar in :math:`[0, \\ln 2]` up to quadrature error.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> jsd = js_quadrature(Gaussian(-30.0, 1.0), Gaussian(30.0, 1.0))
      >>> bool(abs(jsd - math.log(2)) < 1e-5)
      True
    """
    return _quadrature(_js_quadrature_core, p, q, lo, hi, num)


# --------------------------------------------------------------------------- JAX: Monte Carlo


class MonteCarloEstimate(NamedTuple):
    """A Monte-Carlo estimate and its standard error.

    Attributes:
      estimate: the sample mean of the estimator's terms (float32 scalar).
      stderr: its standard error, the sample standard deviation of the terms
        over :math:`\\sqrt n` (float32 scalar). About 95 % of estimates fall
        within two standard errors of the true value.
    """

    estimate: jax.Array
    stderr: jax.Array


def _mean_var(terms: jax.Array) -> tuple[jax.Array, jax.Array]:
    n = terms.shape[0]
    mean = pairwise_sum(terms) / n
    return mean, pairwise_sum((terms - mean) ** 2) / (n - 1)


def _kl_monte_carlo(key: jax.Array, p: Density, q: Density, n: int) -> MonteCarloEstimate:
    x = p.sample_unchecked(key, n)
    mean, var = _mean_var(p.log_prob_unchecked(x) - q.log_prob_unchecked(x))
    return MonteCarloEstimate(mean, jnp.sqrt(var / n))


def _js_monte_carlo(key: jax.Array, p: Density, q: Density, n: int) -> MonteCarloEstimate:
    key_p, key_q = jax.random.split(key)

    def log_ratio_to_m(log_a: jax.Array, log_b: jax.Array) -> jax.Array:
        return _LN2 + log_a - jnp.logaddexp(log_a, log_b)  # ln(a / m), m = (a + b) / 2

    xp = p.sample_unchecked(key_p, n)
    xq = q.sample_unchecked(key_q, n)
    mean_p, var_p = _mean_var(log_ratio_to_m(p.log_prob_unchecked(xp), q.log_prob_unchecked(xp)))
    mean_q, var_q = _mean_var(log_ratio_to_m(q.log_prob_unchecked(xq), p.log_prob_unchecked(xq)))
    return MonteCarloEstimate(0.5 * (mean_p + mean_q), 0.5 * jnp.sqrt((var_p + var_q) / n))


_kl_monte_carlo_core = jax.jit(_kl_monte_carlo, static_argnames=("n",))
_js_monte_carlo_core = jax.jit(_js_monte_carlo, static_argnames=("n",))


def _monte_carlo(core: Callable, key: Any, p: Any, q: Any, n: Any) -> MonteCarloEstimate:
    """Check the arguments of :func:`kl_monte_carlo` or :func:`js_monte_carlo`; call ``core``."""
    key = check_key("key", key, allow_legacy=True)
    p, q = check_density("p", p), check_density("q", q)
    n = check_int("n", n, minimum=2)
    return core(key, p, q, n=n)


def kl_monte_carlo(key: jax.Array, p: Density, q: Density, n: int) -> MonteCarloEstimate:
    """Monte-Carlo estimate of :math:`\\mathrm{KL}(p \\| q)` from samples of ``p``.

    .. math:: \\widehat{\\mathrm{KL}}
              = \\frac1n \\sum_{i=1}^n \\big(\\ln p(X_i) - \\ln q(X_i)\\big),
              \\qquad X_i \\sim p

    Unbiased, with standard error :math:`s/\\sqrt n` (:math:`s` the sample
    standard deviation of the terms): the error shrinks like :math:`1/\\sqrt n`.
    Individual terms can be negative, and so, for small ``n``, can the estimate.
    The estimator needs :math:`\\ln p` *and* :math:`\\ln q` at the samples, which
    is why it cannot be computed from data samples alone.

    Args:
      key: a JAX random key (``jax.random.key(seed)``).
      p: the density sampled from, a Gaussian or Gaussian mixture (traced).
      q: the other density (traced).
      n: number of samples, an int >= 2 (static: a new value compiles once).

    Returns:
      A :class:`MonteCarloEstimate` ``(estimate, stderr)``.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> est = kl_monte_carlo(jax.random.key(0), Gaussian(1.0, 1.0), Gaussian(0.0, 2.0), 20_000)
      >>> bool(abs(est.estimate - gaussian_kl(1.0, 1.0, 0.0, 2.0)) < 5 * est.stderr)
      True

    References:
      Robert and Casella, *Monte Carlo Statistical Methods* (2nd ed., 2004), chapter 3.
    """
    return _monte_carlo(_kl_monte_carlo_core, key, p, q, n)


def js_monte_carlo(key: jax.Array, p: Density, q: Density, n: int) -> MonteCarloEstimate:
    """Monte-Carlo estimate of :math:`\\mathrm{JSD}(p, q)` from samples of both densities.

    .. math:: \\widehat{\\mathrm{JSD}}
              = \\frac1{2n} \\sum_{i=1}^n \\ln\\frac{2 p(X_i)}{p(X_i) + q(X_i)}
              + \\frac1{2n} \\sum_{i=1}^n \\ln\\frac{2 q(Y_i)}{p(Y_i) + q(Y_i)},
              \\qquad X_i \\sim p,\\; Y_i \\sim q

    ``n`` samples are drawn from *each* density (``2n`` in all); the log-ratios
    use ``logaddexp`` and stay finite even where a density underflows. The
    standard error is :math:`\\tfrac12 \\sqrt{(s_p^2 + s_q^2)/n}`.

    Args:
      key: a JAX random key; it is split once, one half per density.
      p: a Gaussian or Gaussian mixture (traced).
      q: another density (traced).
      n: samples from each density, an int >= 2 (static).

    Returns:
      A :class:`MonteCarloEstimate` ``(estimate, stderr)``.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> est = js_monte_carlo(jax.random.key(0), Gaussian(-1.0, 1.0), Gaussian(1.0, 1.0), 20_000)
      >>> bool(abs(est.estimate - js_quadrature(Gaussian(-1.0, 1.0), Gaussian(1.0, 1.0)))
      ...      < 5 * est.stderr)
      True
    """
    return _monte_carlo(_js_monte_carlo_core, key, p, q, n)
