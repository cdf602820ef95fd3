"""Bayes' rule for Gaussian classes in closed form, from the class parameters.

For classes :math:`C_1, \\dots, C_K` with :math:`p(x \\mid C_k) = \\mathcal N(x; \\mu_k, \\Sigma_k)`
and priors :math:`\\pi_k`: :func:`gaussian_classes` samples labelled data,
:func:`posterior` gives :math:`p(C_k \\mid x)` and :func:`log_odds` the log-odds of two
classes. With two classes the softmax of Bayes' rule collapses to a logistic
sigmoid of the log-odds,

.. math:: p(C_1 \\mid x) = \\frac{1}{1 + e^{-a}} = \\sigma(a), \\qquad
          a = \\ln \\frac{p(x \\mid C_1)\\, \\pi_1}{p(x \\mid C_2)\\, \\pi_2}.

When the classes share one covariance :math:`\\Sigma`, the quadratic terms
:math:`x^\\top \\Sigma^{-1} x` cancel and the log-odds is *linear* in :math:`x`,
:math:`a(x) = w^\\top x + b` (:func:`linear_log_odds_coefficients`): the model family of
logistic regression (:mod:`gan_lessons.classifiers.logistic`).

References:
  Bishop, *Pattern Recognition and Machine Learning* (2006), section 4.2.
"""

from __future__ import annotations

import math

import jax
import numpy as np
from jax.typing import ArrayLike

from gan_lessons._validate import (
    as_finite_array,
    as_float32,
    check_key,
    check_positive_float,
    show_numbers,
)
from gan_lessons.classifiers._common import spd_problem
from gan_lessons.classifiers.generative import GenerativeClassifier, LabelledData

__all__ = ["gaussian_classes", "posterior", "log_odds", "linear_log_odds_coefficients"]


def gaussian_classes(key: jax.Array, means: ArrayLike, covariances: ArrayLike,
                     priors: ArrayLike, n: int) -> LabelledData:
    """Sample ``n`` labelled points from ``K`` Gaussian classes.

    Each point first draws its class, :math:`y \\sim \\mathrm{Categorical}(\\pi)`, then
    its position, :math:`x \\mid y \\sim \\mathcal N(\\mu_y, \\Sigma_y)` (computed as
    :math:`\\mu_y + L_y z` with :math:`\\Sigma_y = L_y L_y^\\top` and
    :math:`z \\sim \\mathcal N(0, I)`). The class counts are therefore random, with
    expectations :math:`n \\pi_k`.

    Args:
      key: a JAX random key (``jax.random.key(seed)``); the same key gives the same data.
      means: :math:`\\mu_k`, shape ``(K, d)``; or ``(K,)`` for 1-D data.
      covariances: symmetric positive definite ``(K, d, d)`` or a shared ``(d, d)``;
        for 1-D means, ``K`` variances or one shared variance.
      priors: :math:`\\pi`, a probability vector of length ``K``.
      n: number of points, an int >= 1 (static).

    Returns:
      A :class:`LabelledData`: ``x`` float32 ``(n, d)``, ``y`` int32 ``(n,)``.

    Raises:
      TypeError: ``key`` is not a JAX key, or an argument has the wrong type.
      ValueError: inconsistent shapes, non-finite values, a covariance that is not
        symmetric positive definite, priors that are not a probability vector, ``n < 1``.

    Example:
      >>> data = gaussian_classes(jax.random.key(0), [[0.0, 0.0], [2.0, 1.0]],
      ...                         [[1.0, 0.3], [0.3, 0.5]], [0.3, 0.7], n=5)
      >>> data.x.shape, data.y.shape, data.y.dtype
      ((5, 2), (5,), dtype('int32'))
    """
    key = check_key("key", key, allow_legacy=True)
    model = GenerativeClassifier(means, covariances, priors)
    return model.sample(key, n)


def posterior(x: ArrayLike, means: ArrayLike, covariances: ArrayLike,
              priors: ArrayLike) -> jax.Array:
    """Bayes' rule for Gaussian classes: :math:`p(C_k \\mid x)` in closed form.

    .. math:: p(C_k \\mid x) = \\frac{\\exp a_k}{\\sum_j \\exp a_j}, \\qquad
              a_k = \\ln \\mathcal N(x; \\mu_k, \\Sigma_k) + \\ln \\pi_k,

    evaluated as :math:`\\exp(a_k - \\mathrm{logsumexp}_j a_j)` so that points far from
    every mean (where each :math:`p(x \\mid C_k)` underflows) still get a posterior.

    Args:
      x: points, ``(n, d)``, or ``(n,)`` for 1-D data.
      means, covariances, priors: the classes, as in :func:`gaussian_classes`.

    Returns:
      float32 ``(n, K)``; each row is a probability vector.

    Example:
      >>> np.asarray(posterior([[0.0], [10.0]], [[-1.0], [1.0]], [[1.0]], [0.5, 0.5]), float
      ...            ).round(4).tolist()
      [[0.5, 0.5], [0.0, 1.0]]
    """
    return GenerativeClassifier(means, covariances, priors).posterior(x)


def log_odds(x: ArrayLike, means: ArrayLike, covariances: ArrayLike,
             priors: ArrayLike) -> jax.Array:
    """The log-odds of two Gaussian classes: class 1 against class 0.

    .. math:: a(x) = \\ln \\frac{p(x \\mid y{=}1)\\, \\pi_1}{p(x \\mid y{=}0)\\, \\pi_0},
              \\qquad p(y{=}1 \\mid x) = \\sigma(a(x)) = \\frac{1}{1 + e^{-a(x)}}.

    In Bishop's notation :math:`C_1` is the class labelled 1 and :math:`C_2` the one
    labelled 0. The sign of :math:`a` decides the Bayes classification; with a
    shared covariance :math:`a` is linear in :math:`x`
    (:func:`linear_log_odds_coefficients`), otherwise quadratic.

    Args:
      x: points, ``(n, d)``, or ``(n,)`` for 1-D data.
      means, covariances, priors: two classes (``K = 2``), as in :func:`gaussian_classes`.

    Returns:
      float32 ``(n,)``.

    Example:
      >>> np.asarray(log_odds([0.0, 0.5], [-1.0, 1.0], 1.0, [0.5, 0.5]), float).round(5)
      array([0., 1.])
    """
    model = GenerativeClassifier(means, covariances, priors)
    if model.num_classes != 2:
        raise ValueError(f"means must describe exactly 2 classes for log_odds, got "
                         f"{model.num_classes}: use posterior for K classes")
    return model.log_odds(x)


def linear_log_odds_coefficients(mean1: ArrayLike, mean2: ArrayLike, cov: ArrayLike,
                                 prior1: float, prior2: float) -> tuple[jax.Array, jax.Array]:
    """The linear log-odds of two Gaussian classes with a shared covariance.

    For :math:`p(x \\mid C_i) = \\mathcal N(x; \\mu_i, \\Sigma)` the log-odds
    :math:`a(x) = \\ln [p(x \\mid C_1) \\pi_1 / (p(x \\mid C_2) \\pi_2)]` is exactly
    :math:`w^\\top x + b` with

    .. math:: w = \\Sigma^{-1}(\\mu_1 - \\mu_2), \\qquad
              b = -\\tfrac12 \\mu_1^\\top \\Sigma^{-1} \\mu_1
              + \\tfrac12 \\mu_2^\\top \\Sigma^{-1} \\mu_2 + \\ln\\frac{\\pi_1}{\\pi_2},

    so :math:`p(C_1 \\mid x) = \\sigma(w^\\top x + b)`: the model family of logistic
    regression. Computed in float64, returned as float32.

    To match :func:`log_odds` and :func:`fit_logistic` (class 1 against class 0), pass
    the class labelled 1 first: ``linear_log_odds_coefficients(means[1], means[0],
    cov, priors[1], priors[0])``.

    Args:
      mean1: :math:`\\mu_1`, shape ``(d,)`` (a scalar for 1-D data).
      mean2: :math:`\\mu_2`, shape ``(d,)``.
      cov: :math:`\\Sigma`, symmetric positive definite ``(d, d)`` (a scalar variance
        for 1-D data).
      prior1: :math:`\\pi_1 > 0`.
      prior2: :math:`\\pi_2 > 0`, with :math:`\\pi_1 + \\pi_2 = 1`.

    Returns:
      ``(w, b)``: float32 ``(d,)`` and a float32 scalar.

    Example:
      >>> w, b = linear_log_odds_coefficients([1.0, 0.0], [-1.0, 0.0], [[1.0, 0.0], [0.0, 4.0]],
      ...                                     0.5, 0.5)
      >>> w.tolist(), float(b)
      ([2.0, 0.0], 0.0)
    """
    mu1 = np.atleast_1d(as_finite_array("mean1", mean1))
    mu2 = np.atleast_1d(as_finite_array("mean2", mean2))
    if mu1.ndim != 1:
        raise ValueError(f"mean1 must be a vector of shape (d,), got shape {mu1.shape}")
    if mu2.shape != mu1.shape:
        raise ValueError(f"mean2 must have the shape of mean1 {mu1.shape}, got {mu2.shape}")
    d = mu1.shape[0]
    sigma = as_finite_array("cov", cov)
    if sigma.ndim == 0 and d == 1:
        sigma = sigma.reshape(1, 1)
    if sigma.shape != (d, d):
        raise ValueError(f"cov must be a ({d}, {d}) matrix to match the means, got shape "
                         f"{sigma.shape}")
    problem = spd_problem(sigma)
    if problem is not None:
        raise ValueError(f"cov must be symmetric positive definite, but it {problem}: "
                         f"{show_numbers(sigma, digits=4)}")
    p1, p2 = check_positive_float("prior1", prior1), check_positive_float("prior2", prior2)
    if abs(p1 + p2 - 1.0) > 1e-6:
        raise ValueError(f"prior1 and prior2 must sum to 1, got {p1!r} + {p2!r} = {p1 + p2:.6g}")
    sigma = 0.5 * (sigma + sigma.T)
    s1, s2 = np.linalg.solve(sigma, mu1), np.linalg.solve(sigma, mu2)
    w = s1 - s2
    b = -0.5 * mu1 @ s1 + 0.5 * mu2 @ s2 + math.log(p1 / p2)
    return as_float32("w", w), as_float32("b", np.asarray(b))
