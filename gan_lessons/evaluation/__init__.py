"""Evaluation without a likelihood.

metrics           mode coverage (VEEGAN/PacGAN protocol), marginal KS, 1-D Wasserstein, KDE (07)
image_metrics     Frechet distance, classifier score, pixel KS, memorisation (08)
digit_classifier  a small CNN digit classifier, the feature space of the image metrics (08)
"""

from gan_lessons.evaluation.metrics import (  # noqa: F401
    ModeCoverage,
    histogram_density,
    kde,
    marginal_ks,
    mode_coverage,
    wasserstein_1d,
)

from gan_lessons.evaluation.image_metrics import (  # noqa: F401
    DigitCNN,
    DigitClassifier,
    ImageReport,
    NearestTraining,
    PixelKS,
    classifier_score,
    evaluate_images,
    frechet_distance,
    frechet_from_stats,
    nearest_training_distance,
    pixel_ks,
    train_digit_classifier,
)

from gan_lessons.evaluation.digit_classifier import (  # noqa: F401
    NUM_CLASSES,
)

__all__ = [
    "DigitCNN",
    "DigitClassifier",
    "ImageReport",
    "ModeCoverage",
    "NUM_CLASSES",
    "NearestTraining",
    "PixelKS",
    "classifier_score",
    "evaluate_images",
    "frechet_distance",
    "frechet_from_stats",
    "histogram_density",
    "kde",
    "marginal_ks",
    "mode_coverage",
    "nearest_training_distance",
    "pixel_ks",
    "train_digit_classifier",
    "wasserstein_1d",
]
