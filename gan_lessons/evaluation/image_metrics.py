"""Judging generated images: a digit classifier and the figures built on it.

A GAN reports no likelihood, so lesson 08 compares its digits with real ones:
:func:`train_digit_classifier` (in :mod:`gan_lessons.evaluation.digit_classifier`, re-exported here)
fits a small CNN whose 64-wide hidden layer is the feature
space of :func:`frechet_distance` (the FID of Heusel et al., 2017) and whose softmax is the
:math:`p(y \\mid x)` of :func:`classifier_score` (the Inception score of Salimans et al.,
2016): the roles Inception-v3 plays for ImageNet. :func:`pixel_ks` needs no network, and
:func:`nearest_training_distance` looks for copies of training images.
:func:`evaluate_images` puts every figure next to its real-vs-real baseline.

All the figures are estimates from finite samples, biased by the sample size (two samples
of one law have a positive Fréchet distance): compare at equal sample sizes and read each
figure against its baseline. The metrics are NumPy/SciPy in float64; only the classifier
runs in JAX (one jitted ``lax.scan`` to train; padded, jitted chunks to evaluate, so a new
number of images does not recompile).

References:
  Heusel, Ramsauer, Unterthiner, Nessler and Hochreiter, "GANs trained by a two time-scale
  update rule converge to a local Nash equilibrium", NeurIPS 2017.
  Salimans, Goodfellow, Zaremba, Cheung, Radford and Chen, "Improved techniques for
  training GANs", NeurIPS 2016.
  Dowson and Landau, "The Fréchet distance between multivariate normal distributions",
  J. Multivariate Anal. 12 (1982).
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg
from jax.typing import ArrayLike
from scipy.special import xlogy

from gan_lessons._validate import as_finite_array, as_gray_images
from gan_lessons.evaluation.digit_classifier import (  # noqa: F401  (re-exported: lessons import them here)
    NUM_CLASSES,
    DigitCNN,
    DigitClassifier,
    train_digit_classifier,
)
from gan_lessons.divergences import ks_statistic

__all__ = ["DigitCNN", "DigitClassifier", "train_digit_classifier", "frechet_distance",
           "frechet_from_stats", "classifier_score", "PixelKS", "pixel_ks", "NearestTraining",
           "nearest_training_distance", "ImageReport", "evaluate_images"]

_PAIRS = 1 << 22  # (generated, training) pairs per block in nearest_training_distance


def frechet_from_stats(mean_a: ArrayLike, cov_a: ArrayLike, mean_b: ArrayLike,
                       cov_b: ArrayLike) -> float:
    """The squared Fréchet (2-Wasserstein) distance between two Gaussians.

    .. math:: d^2 = \\lVert \\mu_a - \\mu_b \\rVert^2
              + \\mathrm{Tr}\\big(\\Sigma_a + \\Sigma_b - 2 (\\Sigma_a \\Sigma_b)^{1/2}\\big)

    (Dowson and Landau, 1982). :math:`\\Sigma_a \\Sigma_b` is not symmetric but is similar to
    the PSD :math:`\\Sigma_a^{1/2} \\Sigma_b \\Sigma_a^{1/2}`, so its principal root has real,
    non-negative eigenvalues. ``scipy.linalg.sqrtm`` computes it in float64 and may leave
    imaginary parts of round-off size: the real part is taken. Singular covariances (fewer
    samples than features) are fine, the trace of the root stays accurate to about 1e-8
    relative. Round-off can make :math:`d^2` a tiny negative number for equal Gaussians: the
    result is clipped at 0.

    Args:
      mean_a, mean_b: ``(d,)`` means. cov_a, cov_b: ``(d, d)`` symmetric PSD covariances.

    Example:
      >>> frechet_from_stats([0.0, 0.0], np.eye(2), [3.0, 4.0], 4 * np.eye(2))  # 25 + 2 (2-1)^2
      27.0
    """
    mu_a = as_finite_array("mean_a", mean_a, ndim=1)
    mu_b = as_finite_array("mean_b", mean_b, ndim=1)
    if mu_b.shape != mu_a.shape:
        raise ValueError(f"mean_b must have the shape of mean_a {mu_a.shape}, got {mu_b.shape}")
    covs = []
    for name, value in (("cov_a", cov_a), ("cov_b", cov_b)):
        c = as_finite_array(name, value, ndim=2)
        scale = max(np.abs(c).max(), 1e-300)
        if c.shape != (mu_a.size,) * 2 or not np.allclose(c, c.T, rtol=1e-6, atol=1e-8 * scale):
            raise ValueError(f"{name} must be a symmetric {(mu_a.size,) * 2} covariance matching "
                             f"the means, got shape {c.shape}")
        smallest = np.linalg.eigvalsh(c)[0]
        if smallest < -1e-8 * scale:
            raise ValueError(f"{name} must be positive semi-definite, got an eigenvalue "
                             f"{smallest:.4g}")
        covs.append(0.5 * (c + c.T))
    with warnings.catch_warnings():  # a singular product warns, yet its root is accurate
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
        root = scipy.linalg.sqrtm(covs[0] @ covs[1])
    diff = mu_a - mu_b
    value = diff @ diff + np.trace(covs[0]) + np.trace(covs[1]) - 2 * np.trace(root).real
    return max(float(value), 0.0)


def _feature_stats(name: str, features: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_finite_array(name, features, ndim=2)
    if x.shape[0] < 2:
        raise ValueError(f"{name} must have at least 2 rows (samples) to estimate a covariance, "
                         f"got shape {x.shape}")
    return x.mean(axis=0), np.atleast_2d(np.cov(x, rowvar=False))


def frechet_distance(features_a: ArrayLike, features_b: ArrayLike) -> float:
    """The squared Fréchet distance of Gaussians fitted to two samples of features (FID).

    Mean and covariance (``ddof=1``) of each sample, then :func:`frechet_from_stats`. The
    estimate is biased upwards, more so for small samples: compare equal sample sizes.

    Args:
      features_a, features_b: ``(n_a, d)`` and ``(n_b, d)``, at least 2 rows each.

    Example:
      >>> rows = np.random.default_rng(0).normal(size=(500, 3))
      >>> round(frechet_distance(rows, rows + [1.0, 0.0, 0.0]), 6)   # shifted mean: ||1||^2
      1.0
    """
    mu_a, cov_a = _feature_stats("features_a", features_a)
    mu_b, cov_b = _feature_stats("features_b", features_b)
    if mu_a.size != mu_b.size:
        raise ValueError(f"features_a and features_b must have the same width (columns), got "
                         f"{mu_a.size} and {mu_b.size}")
    return frechet_from_stats(mu_a, cov_a, mu_b, cov_b)


def classifier_score(probabilities: ArrayLike) -> float:
    """The Inception-score formula applied to a classifier's predictions.

    .. math:: \\mathrm{IS} = \\exp\\Big(\\frac1N \\sum_i \\mathrm{KL}\\big(p(y \\mid x_i)
              \\,\\big\\|\\, \\hat p(y)\\big)\\Big), \\qquad
              \\hat p(y) = \\frac1N \\sum_i p(y \\mid x_i),

    with :math:`0 \\ln 0 = 0` (Salimans et al., 2016). The mean KL is the mutual information
    of image and label, :math:`H(\\hat p) - \\overline{H(p(y \\mid x))}`, so
    :math:`1 \\le \\mathrm{IS} \\le K`: 1 when all predictions agree, :math:`K` for confident
    predictions spread evenly over :math:`K` classes. It sees neither diversity within a
    class nor realism. The result is clipped to ``[1, K]`` against round-off.

    Args:
      probabilities: ``(N, K)``, rows non-negative and summing to 1 (within ``1e-4``).

    Example:
      >>> classifier_score(np.eye(4)), classifier_score([[0.9, 0.1], [0.9, 0.1]])
      (4.0, 1.0)
    """
    p = as_finite_array("probabilities", probabilities, ndim=2)
    sums = p.sum(axis=1)
    if p.min() < -1e-6 or not np.allclose(sums, 1.0, atol=1e-4):
        raise ValueError(f"probabilities must have non-negative rows summing to 1, got row sums "
                         f"{sums.min():.6g}..{sums.max():.6g} and smallest entry {p.min():.4g}")
    p = np.clip(p, 0.0, None)
    kl = np.sum(xlogy(p, p) - xlogy(p, p.mean(axis=0)), axis=1)
    return float(np.clip(np.exp(kl.mean()), 1.0, p.shape[1]))


def _flat(name: str, value: Any, width: int | None = None) -> np.ndarray:
    x = as_finite_array(name, value)
    if x.ndim < 2 or x[0].size == 0 or (width is not None and x[0].size != width):
        need = f"{width} pixels" if width else "at least one pixel"
        raise ValueError(f"{name} must be a batch of images (N, ...) of {need} each, got shape "
                         f"{x.shape}")
    return x.reshape(x.shape[0], -1)


@dataclass(frozen=True)
class PixelKS:
    """Two-sample KS statistics of :func:`pixel_ks`, in ``[0, 1]``, 0 for identical samples.

    Attributes:
      pixels: of all pixel values pooled. mean, std: of each image's mean and standard
      deviation. ink: of each image's fraction of pixels above the ink threshold.
    """

    pixels: float
    mean: float
    std: float
    ink: float


def pixel_ks(real: ArrayLike, fake: ArrayLike, *, ink_threshold: float = 0.0) -> PixelKS:
    """Kolmogorov-Smirnov statistics of simple pixel statistics of two sets of images.

    :math:`D = \\sup_t |F_{real}(t) - F_{fake}(t)|`
    (:func:`gan_lessons.divergences.ks_statistic`) for four samples from each set: all pixel
    values, and per image the mean, the standard deviation and the fraction of pixels
    ``> ink_threshold`` (0 is mid-grey in ``[-1, 1]``). Grey or blurred images show in
    ``pixels`` and ``std``, too much or too little ink in ``mean`` and ``ink``.

    Args:
      real, fake: ``(N, ...)`` batches of images of one size (their ``N`` may differ).
      ink_threshold: the intensity above which a pixel counts as ink.

    Example:
      >>> pixel_ks([[-1.0, 1.0], [-1.0, -1.0]], [[1.0, 1.0], [1.0, 1.0]])  # some ink vs all
      PixelKS(pixels=0.75, mean=1.0, std=0.5, ink=1.0)
    """
    a = _flat("real", real)
    b = _flat("fake", fake, a.shape[1])
    t = float(as_finite_array("ink_threshold", ink_threshold, ndim=0))
    stats = [(x.ravel(), x.mean(axis=1), x.std(axis=1), np.mean(x > t, axis=1)) for x in (a, b)]
    return PixelKS(*(float(ks_statistic(u, v)) for u, v in zip(*stats)))


@dataclass(frozen=True, eq=False)
class NearestTraining:
    """The result of :func:`nearest_training_distance`; unpacks as ``distances, indices``.

    Attributes:
      distances: ``(N,)`` L2 distance of each generated image to its nearest training image.
      indices: ``(N,)`` the row of that training image.
      reference_distances: the same for the ``reference`` images, or ``None``.
      ratio: ``median(distances) / median(reference_distances)``; ``None`` without a
        reference, ``inf`` when the reference median is 0.
    """

    distances: np.ndarray
    indices: np.ndarray
    reference_distances: np.ndarray | None = None

    def __iter__(self):
        return iter((self.distances, self.indices))

    @property
    def ratio(self) -> float | None:
        if self.reference_distances is None:
            return None
        top, bottom = np.median(self.distances), np.median(self.reference_distances)
        return float(top / bottom) if bottom > 0 else float("inf")


def _nearest(x: np.ndarray, train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    index = np.empty(x.shape[0], np.int64)
    norms = np.sum(train ** 2, axis=1)
    rows = max(1, _PAIRS // train.shape[0])
    for i in range(0, x.shape[0], rows):  # argmin_t |t|^2 - 2 x.t, a block of rows at a time
        index[i:i + rows] = np.argmin(norms - 2.0 * x[i:i + rows] @ train.T, axis=1)
    return np.sqrt(np.sum((x - train[index]) ** 2, axis=1)), index  # direct: a copy gives 0


def nearest_training_distance(generated: ArrayLike, training: ArrayLike, *,
                              reference: ArrayLike | None = None) -> NearestTraining:
    """For each generated image, the L2 (pixel) distance to its nearest training image.

    A GAN that memorises returns near-copies of training images; fresh real images set the
    scale of "near". Pass held-out real images as ``reference``: a ``ratio`` of medians well
    below 1 means the samples sit closer to the training set than new real digits do, a sign
    of copying; about 1 is what novel samples from the data law give; above 1, the samples
    are further from every training image than real digits are (odd or poor images). The
    median overlooks a few copies among many novel images: look at the smallest
    ``distances`` and their ``indices`` too. Rows are handled in blocks so that memory stays
    small, and the distance to the chosen row is recomputed directly: a copy gives exactly 0.

    Args:
      generated: ``(N, ...)`` images. training: ``(M, ...)`` images of the same size.
      reference: optional ``(R, ...)`` held-out real images of the same size.

    Example:
      >>> train = np.array([[0.0, 0.0], [3.0, 4.0]])
      >>> near = nearest_training_distance([[3.0, 4.0], [0.0, 1.0]], train, reference=[[0, 2]])
      >>> near.distances.tolist(), near.indices.tolist(), near.ratio
      ([0.0, 1.0], [1, 0], 0.25)
    """
    x = _flat("generated", generated)
    train = _flat("training", training, x.shape[1])
    ref = None if reference is None else _nearest(_flat("reference", reference, x.shape[1]),
                                                  train)[0]
    return NearestTraining(*_nearest(x, train), ref)


@dataclass(frozen=True)
class ImageReport:
    """Figures of generated images beside real-vs-real baselines (:func:`evaluate_images`).

    Attributes:
      frechet, frechet_real_baseline: Fréchet distance of the classifier features, generated
        vs real test, and real train (subsample) vs real test.
      score, score_real: classifier score of the generated and of the real test images.
      pixel, pixel_real_baseline: :class:`PixelKS`, generated vs test and train vs test.
      memorisation_ratio: :attr:`NearestTraining.ratio`, the test images as reference (1 for
        real data by construction).
      num_generated, num_baseline: generated images, and real train images in the baselines.
    """

    frechet: float
    frechet_real_baseline: float
    score: float
    score_real: float
    pixel: PixelKS
    pixel_real_baseline: PixelKS
    memorisation_ratio: float
    num_generated: int
    num_baseline: int

    HEADER = ("figure", "generated", "real vs real")

    def rows(self) -> list[tuple[str, str, str]]:
        rows = [("Fréchet distance (lower)", self.frechet, self.frechet_real_baseline),
                (f"classifier score (max {NUM_CLASSES})", self.score, self.score_real)]
        rows += [(f"KS {label} (lower)", getattr(self.pixel, field),
                  getattr(self.pixel_real_baseline, field))
                 for field, label in (("pixels", "all pixels"), ("mean", "mean intensity"),
                                      ("std", "intensity std"), ("ink", "ink fraction"))]
        rows.append(("nearest-training ratio (<< 1: copies)", self.memorisation_ratio, 1.0))
        return [(name, f"{a:.3f}", f"{b:.3f}") for name, a, b in rows]

    def __str__(self) -> str:
        rows = [self.HEADER, *self.rows()]
        widths = [max(len(r[j]) for r in rows) for j in range(3)]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.HEADER)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                       for r in self.rows())
        return (f"<table><tr>{head}</tr>{body}</table><p>{self.num_generated} generated images; "
                f"baselines from {self.num_baseline} real training images.</p>")


def evaluate_images(classifier: DigitClassifier, real_train: ArrayLike, real_test: ArrayLike,
                    generated: ArrayLike) -> ImageReport:
    """Score generated images against real ones, each figure with a real-vs-real baseline.

    ``real_train`` are the images the GAN learnt from (the memorisation check looks for
    copies of them); ``real_test`` are real images it never saw, the reference of every
    figure. The baselines put real training images in the place of the generated ones: as
    many as there are generated images (evenly spaced rows), since the Fréchet distance and
    the KS statistics depend on the sample size. A perfect generator scores about the
    baseline. Use the classifier's held-out rows as ``real_test`` where possible.

    Args:
      classifier: from :func:`train_digit_classifier`.
      real_train, real_test, generated: ``(N, H, W)`` images, at least 2 in each set.
    """
    if not isinstance(classifier, DigitClassifier):
        raise TypeError(f"classifier must be a DigitClassifier from train_digit_classifier, got "
                        f"{type(classifier).__name__}")
    sets = []
    for name, value in (("real_train", real_train), ("real_test", real_test),
                        ("generated", generated)):
        sets.append(as_gray_images(name, value, classifier.image_shape))
        if len(sets[-1]) < 2:
            raise ValueError(f"{name} must hold at least 2 images, got {len(sets[-1])}")
    train, test, fake = sets
    base = train[np.linspace(0, len(train) - 1, min(len(train), len(fake))).round().astype(int)]
    (_, f_base), (p_test, f_test), (p_fake, f_fake) = map(classifier.outputs, (base, test, fake))
    return ImageReport(
        frechet=frechet_distance(f_fake, f_test),
        frechet_real_baseline=frechet_distance(f_base, f_test),
        score=classifier_score(p_fake.astype(np.float64)),
        score_real=classifier_score(p_test.astype(np.float64)),
        pixel=pixel_ks(test, fake), pixel_real_baseline=pixel_ks(test, base),
        memorisation_ratio=nearest_training_distance(fake, train, reference=test).ratio,
        num_generated=len(fake), num_baseline=len(base))
