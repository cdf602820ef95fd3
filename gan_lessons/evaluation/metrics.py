"""Sample-quality metrics for the GANs of the course.

Two families of numbers that only need samples, never a density:

* :func:`mode_coverage`, the mode-collapse protocol of the 2-D benchmarks
  (ring and grid, see :mod:`gan_lessons.data.mixtures`) used by VEEGAN (Srivastava et
  al., 2017) and PacGAN (Lin et al., 2018): how many modes the generator
  reaches, how many of its samples land close to a mode, and how evenly the
  good samples are spread over the modes.
* :func:`marginal_ks` and :func:`wasserstein_1d`, distances between two
  samples along one axis, for the 1-D lesson and for a quick look at each
  coordinate of a 2-D generator.

Everything here is plain NumPy on float64 arrays: the metrics are computed
between training calls, outside ``jax.jit``, so JAX arrays are accepted and
converted.

References:
  Srivastava, Valkov, Russell, Gutmann and Sutton, "VEEGAN: Reducing mode
  collapse in GANs using implicit variational learning", NeurIPS 2017.

  Lin, Khetan, Fanti and Oh, "PacGAN: The power of two samples in generative
  adversarial networks", NeurIPS 2018.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gan_lessons._validate import as_finite_array, check_positive_float
from gan_lessons.divergences import ks_statistic

__all__ = ["ModeCoverage", "histogram_density", "kde", "mode_coverage", "marginal_ks",
           "wasserstein_1d"]

# Rows of ``samples`` handled at once when computing distances to the means, so
# that the (rows, K, d) array of differences stays small for millions of samples.
_CHUNK = 65_536


@dataclass(frozen=True)
class ModeCoverage:
    """The result of :func:`mode_coverage`.

    Attributes:
      modes: the number of covered modes, those with at least one high-quality
        sample assigned to them (an ``int`` in ``[0, num_modes]``).
      high_quality: the fraction of *all* samples that are high quality, that
        is within 3 standard deviations of their nearest mean (in ``[0, 1]``).
      reverse_kl: :math:`\\mathrm{KL}(q \\,\\|\\, u)`, with :math:`q` the
        normalised per-mode histogram of the high-quality samples and :math:`u`
        uniform over the modes; ``0`` when the good samples are spread evenly,
        :math:`\\ln K` when they all sit on one mode, and ``inf`` when there is
        no high-quality sample at all (:math:`q` is then undefined).
      counts: the number of high-quality samples assigned to each mode, an
        ``int64`` array of shape ``(K,)`` (read-only).
      num_modes: ``K``, the number of means.
      num_samples: ``N``, the number of samples scored.
    """

    modes: int
    high_quality: float
    reverse_kl: float
    counts: np.ndarray
    num_modes: int
    num_samples: int


def _check_points(samples: Any, means: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_finite_array("samples", samples, ndim=2)
    mu = as_finite_array("means", means, ndim=2)
    if x.shape[1] != mu.shape[1]:
        raise ValueError(
            f"samples and means must have the same number of columns (the dimension d), got "
            f"samples of shape {x.shape} and means of shape {mu.shape}")
    return x, mu


def _nearest(x: np.ndarray, mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest mean and the Euclidean distance to it, for every row of x."""
    index = np.empty(x.shape[0], dtype=np.int64)
    dist = np.empty(x.shape[0], dtype=np.float64)
    for start in range(0, x.shape[0], _CHUNK):
        block = x[start:start + _CHUNK]
        sq = np.sum((block[:, None, :] - mu[None, :, :]) ** 2, axis=-1)  # (rows, K)
        k = np.argmin(sq, axis=1)
        index[start:start + _CHUNK] = k
        dist[start:start + _CHUNK] = np.sqrt(sq[np.arange(block.shape[0]), k])
    return index, dist


def mode_coverage(samples: Any, means: Any, std: float) -> ModeCoverage:
    """Modes covered, fraction of high-quality samples and reverse KL (VEEGAN / PacGAN).

    Let :math:`x_1, \\dots, x_N \\in \\mathbb{R}^d` be generated samples and
    :math:`\\mu_1, \\dots, \\mu_K` the means of a Gaussian mixture whose
    components all have standard deviation :math:`\\sigma` along each axis.

    1. Each sample is assigned to its nearest mean,
       :math:`k(i) = \\arg\\min_k \\lVert x_i - \\mu_k \\rVert_2` (ties go to the
       lowest index).
    2. It is *high quality* when :math:`\\lVert x_i - \\mu_{k(i)} \\rVert_2 \\le 3\\sigma`.
    3. A mode is *covered* when at least one high-quality sample is assigned to it.
    4. With :math:`c_k` the number of high-quality samples assigned to mode
       :math:`k` and :math:`q_k = c_k / \\sum_j c_j`,

       .. math:: \\mathrm{KL}(q \\,\\|\\, u) = \\sum_k q_k \\ln \\frac{q_k}{1/K}
                 = \\sum_k q_k \\ln (K q_k),

       with :math:`0 \\ln 0 = 0`. It lies in :math:`[0, \\ln K]`. If no sample
       is high quality, :math:`q` is undefined and ``reverse_kl`` is ``inf``,
       the limit of a histogram that has lost all its mass.

    On true samples of a 2-D isotropic Gaussian mixture with well-separated
    modes, :math:`\\lVert x - \\mu \\rVert^2 / \\sigma^2` follows a chi-square
    law with 2 degrees of freedom, so the expected high-quality fraction is
    :math:`1 - e^{-9/2} \\approx 0.98889`. The papers score 2,500 samples.

    Args:
      samples: generated points, a finite array of shape ``(N, d)``, ``N >= 1``.
      means: the mixture means, a finite array of shape ``(K, d)``, ``K >= 1``
        (``dataset.means_array`` for the sets of :mod:`gan_lessons.data.mixtures`).
      std: the standard deviation :math:`\\sigma > 0` of every component.

    Returns:
      A :class:`ModeCoverage`.

    Raises:
      ValueError: naming ``samples``, ``means`` or ``std`` for arrays that are
        not 2-D, empty or not finite, for a mismatch of dimensions, or for
        ``std <= 0``.

    Example:
      >>> means = [[0.0, 0.0], [1.0, 0.0]]
      >>> result = mode_coverage([[0.01, 0.0], [0.02, 0.0], [0.5, 0.5]], means, 0.1)
      >>> result.modes, round(result.high_quality, 4), result.counts.tolist()
      (1, 0.6667, [2, 0])
      >>> round(result.reverse_kl, 6) == round(float(np.log(2)), 6)
      True

    References:
      Srivastava et al., "VEEGAN", NeurIPS 2017 (the protocol: nearest mean,
      3 standard deviations, a mode covered by one good sample).
      Lin et al., "PacGAN", NeurIPS 2018, Table 1 (modes, high-quality
      fraction and reverse KL on the ring and grid).
    """
    x, mu = _check_points(samples, means)
    sigma = check_positive_float("std", std)
    num_samples, num_modes = x.shape[0], mu.shape[0]

    index, dist = _nearest(x, mu)
    good = dist <= 3.0 * sigma
    counts = np.bincount(index[good], minlength=num_modes).astype(np.int64)
    counts.setflags(write=False)
    total = int(counts.sum())

    if total == 0:
        reverse_kl = float("inf")
    else:
        q = counts[counts > 0] / total
        reverse_kl = float(np.sum(q * np.log(q * num_modes)))
        reverse_kl = max(reverse_kl, 0.0)  # clip rounding below the true minimum 0
    return ModeCoverage(
        modes=int(np.count_nonzero(counts)),
        high_quality=total / num_samples,
        reverse_kl=reverse_kl,
        counts=counts,
        num_modes=num_modes,
        num_samples=num_samples,
    )


def marginal_ks(samples: Any, reference: Any) -> np.ndarray:
    """Two-sample Kolmogorov-Smirnov statistic of each coordinate.

    For every column :math:`j`,

    .. math:: D_j = \\sup_t \\big| F^{(j)}_N(t) - G^{(j)}_M(t) \\big|,

    with :math:`F^{(j)}_N` and :math:`G^{(j)}_M` the empirical CDFs of column
    :math:`j` of ``samples`` and ``reference`` (computed by
    :func:`gan_lessons.divergences.ks_statistic`). Marginals only: two
    distributions with the same marginals, such as a ring and a rotated ring,
    can score 0 on every axis.

    Args:
      samples: a finite array of shape ``(N, d)``, ``N >= 1``.
      reference: a finite array of shape ``(M, d)``, ``M >= 1``; ``M`` may differ from ``N``.

    Returns:
      A float64 array of shape ``(d,)`` with entries in ``[0, 1]``.

    Example:
      >>> samples = [[0.0, 5.0], [1.0, 6.0], [2.0, 7.0], [3.0, 8.0]]
      >>> reference = [[2.0, 9.0], [3.0, 9.0], [4.0, 9.0], [5.0, 9.0]]
      >>> marginal_ks(samples, reference).tolist()
      [0.5, 1.0]
    """
    x = as_finite_array("samples", samples, ndim=2)
    y = as_finite_array("reference", reference, ndim=2)
    if x.shape[1] != y.shape[1]:
        raise ValueError(
            f"samples and reference must have the same number of columns, got shapes "
            f"{x.shape} and {y.shape}")
    return np.array([ks_statistic(x[:, j], y[:, j]) for j in range(x.shape[1])],
                    dtype=np.float64)


def wasserstein_1d(x: Any, y: Any) -> float:
    """Exact Wasserstein-1 distance between two 1-D empirical distributions.

    In one dimension the optimal transport cost has a closed form, the area
    between the two CDFs:

    .. math:: W_1(P_n, Q_m) = \\int_{-\\infty}^{\\infty} |F_n(t) - G_m(t)| \\, dt.

    Both empirical CDFs are step functions that change only at data points, so
    with :math:`z_{(1)} \\le \\dots \\le z_{(n+m)}` the pooled sorted sample the
    integral is the finite sum
    :math:`\\sum_i |F_n(z_{(i)}) - G_m(z_{(i)})| \\,(z_{(i+1)} - z_{(i)})`.
    The sizes :math:`n` and :math:`m` may differ; for equal sizes this equals
    the mean of :math:`|x_{(i)} - y_{(i)}|` over the sorted samples.

    Args:
      x: a non-empty 1-D sample of finite numbers.
      y: another non-empty 1-D sample of finite numbers.

    Returns:
      :math:`W_1 \\ge 0`, a Python float.

    Example:
      >>> wasserstein_1d([0.0, 1.0], [2.0, 3.0])
      2.0
      >>> wasserstein_1d([0.0], [1.0, 3.0])
      2.0
    """
    xs = np.sort(as_finite_array("x", x, ndim=1))
    ys = np.sort(as_finite_array("y", y, ndim=1))
    pooled = np.sort(np.concatenate([xs, ys]))
    widths = np.diff(pooled)
    f = np.searchsorted(xs, pooled[:-1], side="right") / xs.size
    g = np.searchsorted(ys, pooled[:-1], side="right") / ys.size
    return float(np.sum(np.abs(f - g) * widths))


def kde(samples, xs) -> np.ndarray:
    """A Gaussian kernel density estimate of 1-D ``samples`` on the grid ``xs``.

    SciPy's ``gaussian_kde`` with Scott's bandwidth. Samples that are (nearly) all equal, as
    from a collapsed generator, get a narrow bump two grid steps wide instead of failing.

    Example:
      >>> xs = np.linspace(-4, 4, 401)
      >>> p = kde(np.random.default_rng(0).normal(size=20_000), xs)
      >>> round(float(np.sum(p) * (xs[1] - xs[0])), 3)
      1.0
    """
    from scipy.stats import gaussian_kde

    x = np.asarray(samples, dtype=float).ravel()
    x = x[np.isfinite(x)]
    xs = np.asarray(xs, dtype=float)
    if x.size < 2 or xs.ndim != 1:
        raise ValueError(f"kde needs at least 2 finite samples and a 1-D grid, got {x.size} "
                         f"samples and a grid of shape {xs.shape}")
    if np.std(x) < 1e-6:
        h = max(1e-3, 2 * float(np.median(np.diff(xs)))) if xs.size > 1 else 1e-3
        return np.exp(-0.5 * ((xs - x.mean()) / h) ** 2) / (h * np.sqrt(2 * np.pi))
    return gaussian_kde(x)(xs)


def histogram_density(samples: Any, edges: Any) -> np.ndarray:
    """The density of 1-D ``samples`` estimated by a histogram on the bins ``edges``.

    Returns count / (N * bin width) per bin, shape ``(len(edges) - 1,)``, where N counts all
    finite samples (mass outside the bins is lost, not renormalised). Unlike :func:`kde` it does
    not smooth, so the jumps of a ReLU generator's density survive; with N = 10^6 samples and
    200 bins the relative error in a bin of probability p is about sqrt((1 - p) / (N p)).

    Example:
      >>> histogram_density([0.1, 0.2, 0.6, 0.7], [0.0, 0.5, 1.0]).tolist()
      [1.0, 1.0]
    """
    x = np.asarray(samples, dtype=float).ravel()
    x = x[np.isfinite(x)]
    edges = np.asarray(edges, dtype=float)
    if x.size == 0 or edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"histogram_density needs finite samples and increasing bin edges, got "
                         f"{x.size} samples and edges of shape {edges.shape}")
    counts, _ = np.histogram(x, edges)
    return counts / (x.size * np.diff(edges))
