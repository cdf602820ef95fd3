"""The GAN configs: frozen, hashable descriptions of a run, checked field by field.

:class:`AdversarialConfig` declares the optimisation settings every GAN shares (batch size,
loss, k, the two learning rates, Adam's decay rates); :class:`GANConfig` adds the toy data and
the MLP or PacGAN networks, :class:`ImageGANConfig` the image data and the convolutional
networks. The shared settings are keyword-only, so the positional order of a config's own
fields is what it always was. Each field declares its check, and one ``__post_init__`` runs
them all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import jax

from gan_lessons._validate import check_choice
from gan_lessons.data import DATASETS, Mixture1D, Mixture2D, get_dataset
from gan_lessons.densities import Gaussian, GaussianMixture
from gan_lessons.losses import GENERATOR_LOSSES
from gan_lessons.models import check_channels, check_hidden
from gan_lessons.training._kit import (
    Config, at_least, check_beta, one_of, positive, redefault, setting)

__all__ = ["ARCHITECTURES", "IMAGE_DATASETS", "PACGAN_GRID", "PACGAN_RING", "AdversarialConfig",
           "GANConfig", "ImageGANConfig"]

ARCHITECTURES = ("mlp", "pacgan")
"""The network families :attr:`GANConfig.architecture` accepts."""

IMAGE_DATASETS = ("digits", "galaxies", "custom")
"""``"digits"``: the scikit-learn digits (8 x 8); ``"galaxies"``: the course's procedural galaxy
images (16 x 16, :func:`gan_lessons.data.images.image_dataset`); ``"custom"``: images given to
:func:`~gan_lessons.training.image_gan.make_image_trainer`."""


@dataclass(frozen=True, repr=False, kw_only=True)
class AdversarialConfig(Config):
    """The settings of the two players' optimisation, shared by every GAN config.

    Attributes:
      batch_size: real and fake samples per update (each).
      loss: the generator loss, ``"non_saturating"`` or ``"saturating"``.
      d_steps: k, discriminator updates per generator update (>= 1).
      generator_lr, discriminator_lr: initial Adam learning rates (> 0); change them later with
        :meth:`~gan_lessons.training.gan.GANTrainer.set_learning_rates`.
      b1, b2: Adam's decay rates, in [0, 1).
    """

    batch_size: int = setting(256, at_least(1))
    loss: str = setting("non_saturating", one_of(GENERATOR_LOSSES))
    d_steps: int = setting(1, at_least(1))
    generator_lr: float = setting(1e-3, positive)
    discriminator_lr: float = setting(1e-3, positive)
    b1: float = setting(0.5, check_beta)
    b2: float = setting(0.999, check_beta)


def _check_dataset(name: str, dataset: Any) -> Mixture1D | Mixture2D | str:
    if isinstance(dataset, (Gaussian, GaussianMixture)):
        try:
            dataset = Mixture1D.from_density(dataset, name="custom_1d")
        except (TypeError, ValueError, jax.errors.ConcretizationTypeError) as error:
            raise ValueError(f"{name} must be a concrete 1-D density, got {dataset!r}: "
                             f"{error}") from error
    if isinstance(dataset, (Mixture1D, Mixture2D)):
        return dataset
    if not isinstance(dataset, str):
        raise TypeError(f"{name} must be a name, a Mixture1D/Mixture2D or a 1-D "
                        f"Gaussian/GaussianMixture, got {type(dataset).__name__}")
    return check_choice(name, dataset, DATASETS)


@dataclass(frozen=True, repr=False)
class GANConfig(AdversarialConfig):
    """Everything structural about a GAN run on 1-D or 2-D toy data; frozen and hashable.

    Attributes:
      dataset: a name from :data:`gan_lessons.data.DATASETS` (``"ring"``, ``"grid"``,
        ``"bimodal_1d"``, ``"gaussian_1d"``), a :class:`~gan_lessons.data.Mixture2D` or
        :class:`~gan_lessons.data.Mixture1D`, or a concrete 1-D
        :class:`~gan_lessons.densities.Gaussian` / ``GaussianMixture``, which is stored as the
        equivalent (hashable) :class:`~gan_lessons.data.Mixture1D`. The data dimension
        (:attr:`data_dim`, 1 or 2) follows from it; the same engine trains both.
      latent_dim: the dimension of the latent code z ~ N(0, I).
      generator_hidden: hidden widths of the generator (for ``"pacgan"``: of its
        batch-norm layers).
      discriminator_hidden: hidden widths of the discriminator MLP (for ``"pacgan"``: the
        units of its maxout layers).
      batch_size, loss, d_steps, generator_lr, discriminator_lr, b1, b2: the players'
        optimisation (keyword-only), see :class:`AdversarialConfig`.
      architecture: ``"mlp"`` (ReLU MLPs for G and D) or ``"pacgan"``: the networks of
        Lin et al. (2018), a generator with ``Linear -> BatchNorm -> ReLU`` hidden layers
        (:class:`~gan_lessons.models.BatchNormGenerator`) and a maxout discriminator
        (:class:`~gan_lessons.models.MaxoutDiscriminator`); the widths still come from
        ``generator_hidden`` and ``discriminator_hidden`` (see :data:`PACGAN_RING` for the
        paper's values). The generator's batch-norm statistics live in ``GANState.g_rest``;
        training uses batch statistics, ``sample`` the running averages.
      maxout_pieces: pieces per maxout unit (>= 1), used by ``"pacgan"`` only.
      packing: m, the number of samples the discriminator judges jointly (>= 1; 1 is a plain
        GAN). With m > 1, D takes m samples side by side (input width m x data_dim), each of
        the ``batch_size`` examples of a batch is m independent real samples, or m fakes from
        m generator calls on ``batch_size`` latent codes each (PacGAN, Lin et al., 2018).

    Raises:
      ValueError or TypeError naming the field when a value is invalid.
    """

    dataset: Any = setting("ring", _check_dataset)
    latent_dim: int = setting(2, at_least(1))
    generator_hidden: tuple[int, ...] = setting((128, 128), check_hidden)
    discriminator_hidden: tuple[int, ...] = setting((128, 128), check_hidden)
    architecture: str = setting("mlp", one_of(ARCHITECTURES))
    maxout_pieces: int = setting(5, at_least(1))
    packing: int = setting(1, at_least(1))

    @property
    def mixture(self) -> Mixture1D | Mixture2D:
        """The data set of :attr:`dataset` (looked up when it is a name)."""
        return get_dataset(self.dataset) if isinstance(self.dataset, str) else self.dataset

    @property
    def data_dim(self) -> int:
        """The dimension of the data: 2 for the 2-D mixtures, 1 for the 1-D ones."""
        return self.mixture.data_dim


@dataclass(frozen=True, repr=False)
class ImageGANConfig(AdversarialConfig):
    """Everything structural about an image GAN; frozen and hashable.

    Attributes:
      dataset: ``"digits"``, ``"galaxies"`` or ``"custom"`` (see :data:`IMAGE_DATASETS`).
      latent_dim: the dimension of z ~ N(0, I).
      generator_channels, discriminator_channels: the two channel counts of each network
        (see :mod:`gan_lessons.models`).
      batch_size: real and fake images per update (each), 64 by default; a multiple of the
        device count.
      loss, d_steps, generator_lr, discriminator_lr, b1, b2: as in :class:`AdversarialConfig`.
        DCGAN used Adam with learning rate 2e-4 and b1 0.5; for these small networks without
        batch norm, 2e-4 collapsed on the digits (the samples' per-pixel spread stayed at
        0.12-0.14 against the data's 0.46 over 3,000 steps), while 1e-3 for both players
        reached 0.45, so 1e-3 is the default.

    Reference: Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep
    Convolutional Generative Adversarial Networks" (DCGAN), ICLR 2016.
    """

    dataset: str = setting("digits", one_of(IMAGE_DATASETS))
    latent_dim: int = setting(16, at_least(1))
    generator_channels: tuple[int, int] = setting((32, 16), check_channels)
    discriminator_channels: tuple[int, int] = setting((16, 32), check_channels)
    batch_size: int = redefault(AdversarialConfig, "batch_size", 64)


PACGAN_RING = GANConfig(
    dataset="ring", architecture="pacgan", latent_dim=2,
    generator_hidden=(400, 400, 400, 400), discriminator_hidden=(200, 200, 200),
    maxout_pieces=5, batch_size=100, generator_lr=1e-4, discriminator_lr=1e-4,
    b1=0.8, b2=0.999, loss="non_saturating", d_steps=1)
"""The GAN row of PacGAN's Table 1 on the ring (Lin et al., 2018, Section 4).

Generator: 4 hidden layers of 400 units with batch norm and ReLU; discriminator: 3 maxout
layers of 200 units with 5 pieces; Adam with learning rate 1e-4 and beta1 0.8 for both;
batch 100. Our own choices where the paper gives no value: a 2-D Gaussian latent code (our
reading of the setup), Adam's beta2 0.999, the non-saturating loss and one D step per G step.
The paper trained 400k steps.
"""

PACGAN_GRID = dataclasses.replace(PACGAN_RING, dataset="grid")
"""As :data:`PACGAN_RING`, on the 25-Gaussian grid."""
