"""Data sets the course trains on, each generated or shipped with the package (nothing is
downloaded).

mixtures  the 2-D ring and grid of the mode-collapse papers and 1-D Gaussian mixtures
          (lessons 07, 09)
images    the scikit-learn digits, procedural galaxies and MNIST read from IDX files (08, 09)
"""

from gan_lessons.data.mixtures import (  # noqa: F401
    BIMODAL_1D,
    DATASETS,
    Dataset,
    GAUSSIAN_1D,
    GRID,
    Mixture1D,
    Mixture2D,
    RING,
    get_dataset,
    grid_means,
    ring_means,
    sample_dataset,
    sample_mixture,
)

from gan_lessons.data.images import (  # noqa: F401
    Digits,
    GalaxyParams,
    IMAGE_DATASETS,
    check_images,
    image_dataset,
    load_digits,
    load_idx,
    load_mnist,
    make_galaxies,
    write_idx,
)

__all__ = [
    "BIMODAL_1D",
    "DATASETS",
    "Dataset",
    "Digits",
    "GAUSSIAN_1D",
    "GRID",
    "GalaxyParams",
    "IMAGE_DATASETS",
    "Mixture1D",
    "Mixture2D",
    "RING",
    "check_images",
    "get_dataset",
    "grid_means",
    "image_dataset",
    "load_digits",
    "load_idx",
    "load_mnist",
    "make_galaxies",
    "ring_means",
    "sample_dataset",
    "sample_mixture",
    "write_idx",
]
