"""gan_lessons: the companion package of the gan-lessons course.

The package is organised by concept, not by lesson; the notebooks in ``notebooks/`` are its
clients. Its top level reads like the syllabus: one concept per module (a subpackage where a
concept has several parts: games, classifiers, dynamics), then three subpackages for the
families that share a skeleton, then the run time, the figures, the panels and the exercises.
Dependencies flow one way: ``widgets`` -> ``plots`` -> ``training`` / ``evaluation`` ->
``models`` / ``data`` -> the concepts (``losses`` among them) -> ``_validate`` / ``runtime``
(``tests/test_layout.py`` checks it).

Lessons and their modules
-------------------------
00 Start here               runtime (environment_report), training, widgets.taste
01 Zero-sum games           games
02 Information, divergences densities, divergences
03 Maximum likelihood, KL   fitting, divergences
04 Generative vs discriminative classifiers
                            classifiers (bayes, generative, logistic)
05 The optimal discriminator
                            optimal_discriminator, losses, training.discriminator
06 Game dynamics            dynamics (bilinear, dirac, integrators)
07 Training a GAN           models, losses, data.mixtures, training (gan, seeds,
                            checkpoint), evaluation.metrics
08 GANs on images           data.images, models (convolutional), training.image_gan,
                            evaluation (image_metrics, digit_classifier)
09 VAEs and GANs            training.vae, evaluation

Concepts
--------
games                 zero-sum matrix games: linear programming, security levels, learning
densities             1-D densities (Gaussian, GaussianMixture) as JAX pytrees
divergences           entropy, KL, JSD, KS: closed forms, quadrature and Monte Carlo
fitting               one Gaussian fitted by forward KL, reverse KL or JSD
classifiers           generative (Gaussian classes + Bayes) and logistic classifiers
optimal_discriminator D* = p_data / (p_data + p_g), the criterion C(G), generator gradients
dynamics              gradient methods on the bilinear game and the Dirac-GAN
losses                GAN losses written on logits
models                Flax NNX networks: MLPs, the PacGAN networks, DCGAN-style convolutions

Families
--------
data        the data sets: 2-D and 1-D mixtures, images (digits, galaxies, MNIST files)
training    trainers built from one kit: the GAN, the image GAN, the VAE, the 1-D
            discriminator; checkpoints; the host loop; seeds side by side
evaluation  mode coverage, 1-D metrics, image metrics, the digit classifier

Around them
-----------
runtime     quick mode (``GAN_LESSONS_QUICK=1``), one JAX CPU device per core
            (``GAN_LESSONS_CPU_DEVICES``), the persistent compilation cache
            (``GAN_LESSONS_COMPILATION_CACHE``), the lecture style
            (``GAN_LESSONS_LECTURE=1``) and the environment report
plots       matplotlib figures used by the lessons
widgets     the explorer panels (ipywidgets)
exercises   the lessons' exercises and their checks
"""

from gan_lessons.runtime import (
    by_mode,
    configure_compilation_cache,
    configure_cpu_devices,
    lecture_style_requested,
    quick_mode,
)

configure_cpu_devices()
configure_compilation_cache()
if lecture_style_requested():  # GAN_LESSONS_LECTURE=1; matplotlib is imported only then
    from gan_lessons.plots.style import use_lecture_style

    use_lecture_style()

__version__ = "0.1.0"

__all__ = ["__version__", "by_mode", "quick_mode"]
