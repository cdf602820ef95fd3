"""gan_lessons: the companion package of the gan-lessons course.

The package is organised by concept, not by lesson; the notebooks in
``notebooks/`` are its clients.

Modules
-------
games       zero-sum matrix games: linear programming, security levels,
            repeated play, fictitious play, gradient play (lesson 01)
densities   1-D densities (Gaussian, GaussianMixture) as JAX pytrees
divergences entropy, KL, JSD, KS; closed forms, quadrature and Monte Carlo (02)
fitting     one Gaussian fitted by forward KL, reverse KL or JSD with optax (03)
classifiers generative (Gaussian classes + Bayes) and discriminative (logistic) classifiers (04)
discriminator the optimal discriminator D*, the criterion C(G), a trained 1-D discriminator (05)
dynamics    gradient methods on the bilinear game and the Dirac-GAN: trajectories, flows,
            radius factors, Jacobian eigenvalues (06)
data        2-D toy data sets: the ring and grid of the mode-collapse papers
models      small Flax NNX networks (MLP generator and discriminator)
conv_models DCGAN-style convolutional generator and discriminator (08)
images      image data: the scikit-learn digits, procedural galaxies, MNIST from IDX files (08)
image_gan   convolutional GANs on images, trained by the engine, data-parallel over devices (08)
digit_classifier a small CNN digit classifier, the feature space of the image metrics (08)
image_metrics Frechet distance, classifier score, pixel KS, memorisation (08)
vae         variational autoencoders: ELBO, reparameterisation, IWAE estimate of ln p(x) (09)
losses      GAN losses written on logits
engine      the functional training core: jit(scan(step)) over K steps, seeds with vmap,
            a chunked fit driver that stops and reports divergence
checkpoint  atomic, hashed checkpoints of the training state (msgpack, never pickle)
metrics     mode coverage (VEEGAN/PacGAN protocol), marginal KS, 1-D Wasserstein, KDE
experiments seeds side by side scored over time, PacGAN's Table 1, 1-D snapshots (07)
plots       matplotlib figures used by the lessons
widgets     the explorer panels (ipywidgets)
config      quick mode (``GAN_LESSONS_QUICK=1``); one JAX CPU device per core
            (``GAN_LESSONS_CPU_DEVICES``), see :func:`config.configure_cpu_devices`; a
            persistent compilation cache (``GAN_LESSONS_COMPILATION_CACHE``); the lecture
            style for a whole session (``GAN_LESSONS_LECTURE=1``)
"""

from gan_lessons.config import (
    by_mode,
    configure_compilation_cache,
    configure_cpu_devices,
    configure_lecture_style,
    quick_mode,
)

configure_cpu_devices()
configure_compilation_cache()
configure_lecture_style()

__version__ = "0.1.0"

__all__ = ["__version__", "by_mode", "quick_mode"]
