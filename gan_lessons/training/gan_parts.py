"""The parts a GAN trainer is built from: data, networks, losses, optimisers.

:class:`~gan_lessons.training.gan.GANTrainer` is one class; what it trains is decided by the
parts it is given:

* a **data source**: :class:`SampledData` draws real examples inside the compiled step with a
  sampler ``sample_real(key, n)`` (the toy mixtures, :func:`mixture_data`);
  :class:`ArrayData` holds a fixed array of examples and draws rows by uniform random index.
  The array is the trainer's ``data``, handed to the compiled functions as a traced argument,
  never baked into them as a constant;
* a **generator builder** and a **discriminator builder**, ``build(rngs) -> nnx.Module``
  (:func:`toy_networks`, :func:`conv_networks`);
* a **loss spec**, :class:`LossSpec`: the discriminator's and the generator's losses;
* the **optimisers** of the two players, :func:`adam_players`;
* a **device placement**, :class:`Placement`: where states live and how a batch is split over
  devices (``Placement()`` for JAX's default, ``Placement.data_parallel(batch_size)``).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import jax
import jax.numpy as jnp
import optax
from flax import nnx

from gan_lessons._validate import check_images
from gan_lessons.data import Mixture1D, Mixture2D, sample_dataset
from gan_lessons.losses import GENERATOR_LOSSES, discriminator_loss, generator_loss
from gan_lessons.models import (
    BatchNormGenerator, ConvDiscriminator, ConvGenerator, MaxoutDiscriminator,
    make_discriminator, make_generator)
from gan_lessons.training._kit import Placement, check_rows
from gan_lessons.training.gan_config import AdversarialConfig, GANConfig, ImageGANConfig

__all__ = ["ArrayData", "Builder", "LossSpec", "Placement", "SampledData", "adam_players",
           "conv_networks", "mixture_data", "toy_networks"]

Builder = Callable[[nnx.Rngs], nnx.Module]
"""A network builder: ``build(rngs)`` returns a fresh Flax NNX module."""


# ----------------------------------------------------------------------------- data sources
@dataclasses.dataclass(frozen=True, eq=False)
class SampledData:
    """Real examples sampled inside the compiled step: ``sample_real(key, n)`` -> (n, dim).

    Attributes:
      sample_real: the sampler; pure, with ``n`` static.
      dim: the width of one example.
      mixture: the mixture behind the sampler, if any (the trainer's ``mixture``).
    """

    sample_real: Callable[[jax.Array, int], jax.Array]
    dim: int
    mixture: Mixture1D | Mixture2D | None = None
    data = None  # nothing to pass to the compiled functions
    image_shape = None

    def real_batch(self, key: jax.Array, n: int, data: None) -> jax.Array:
        """n real examples, fresh from the sampler (``data`` is ``None``)."""
        return self.sample_real(key, n)

    def check_points(self, name: str, points: Any) -> jax.Array:
        """Points at which to evaluate D: float32 of shape (N, dim)."""
        return check_rows(name, points, self.dim)


def mixture_data(mixture: Mixture1D | Mixture2D) -> SampledData:
    """The data source of a toy mixture, sampled afresh at every step."""
    return SampledData(lambda key, n: sample_dataset(key, mixture, n), mixture.data_dim, mixture)


@dataclasses.dataclass(frozen=True, eq=False)
class ArrayData:
    """Real examples drawn from a fixed array by uniform random index, with replacement.

    Attributes:
      data: the examples, shape (N, H, W), already on the devices of the trainer's placement.
        The trainer passes it to its compiled functions as an argument.
    """

    data: jax.Array
    mixture = None

    @property
    def image_shape(self) -> tuple[int, int]:
        """(H, W), the shape of one example."""
        return tuple(int(s) for s in self.data.shape[1:])

    def real_batch(self, key: jax.Array, n: int, data: jax.Array) -> jax.Array:
        """n rows of ``data`` (the traced array) at indices uniform in [0, N)."""
        index = jax.random.randint(key, (n,), 0, data.shape[0])
        return data[index]

    def check_points(self, name: str, points: Any) -> jax.Array:
        """Images at which to evaluate D: shape (N, H, W), in [-1, 1]."""
        images = check_images(name, points)
        if images.shape[1:] != self.image_shape:
            raise ValueError(f"{name} must have shape (N, {self.image_shape[0]}, "
                             f"{self.image_shape[1]}), got shape {images.shape}")
        return jnp.asarray(images)


# ----------------------------------------------------------------------------- networks
def toy_networks(config: GANConfig) -> tuple[Builder, Builder]:
    """The generator and discriminator builders of a :class:`GANConfig` (``"mlp"`` or
    ``"pacgan"``); with packing m the discriminator's input is m x ``data_dim`` wide."""
    c = config
    d_in = c.data_dim * c.packing  # D judges `packing` samples side by side
    if c.architecture == "pacgan":
        return (lambda rngs: BatchNormGenerator(c.latent_dim, c.generator_hidden, c.data_dim,
                                                rngs=rngs),
                lambda rngs: MaxoutDiscriminator(d_in, c.discriminator_hidden,
                                                 c.maxout_pieces, rngs=rngs))
    return (lambda rngs: make_generator(c.latent_dim, c.generator_hidden, c.data_dim, rngs),
            lambda rngs: make_discriminator(d_in, c.discriminator_hidden, rngs))


def conv_networks(config: ImageGANConfig, image_shape: tuple[int, int]) -> tuple[Builder, Builder]:
    """The DCGAN-style builders of an :class:`ImageGANConfig` for images of ``image_shape``."""
    c = config
    return (lambda rngs: ConvGenerator(c.latent_dim, image_shape, c.generator_channels, rngs=rngs),
            lambda rngs: ConvDiscriminator(image_shape, c.discriminator_channels, rngs=rngs))


# ----------------------------------------------------------------------------- losses, optimisers
@dataclasses.dataclass(frozen=True)
class LossSpec:
    """The two players' losses, from the logits l of D (D = sigmoid(l)).

    Attributes:
      generator: ``"non_saturating"`` (-E log D(G(z))) or ``"saturating"`` (E log(1 - D(G(z))),
        the minimax form); see :func:`gan_lessons.losses.generator_loss`.

    The discriminator minimises the binary cross-entropy ``-V``
    (:func:`gan_lessons.losses.discriminator_loss`).
    """

    generator: str = "non_saturating"

    def __post_init__(self) -> None:
        if self.generator not in GENERATOR_LOSSES:
            raise ValueError(f"generator must be one of {GENERATOR_LOSSES}, got {self.generator!r}")

    def d_loss(self, real_logits: jax.Array, fake_logits: jax.Array) -> jax.Array:
        """The discriminator's loss on a real and a fake batch."""
        return discriminator_loss(real_logits, fake_logits)

    def g_loss(self, fake_logits: jax.Array) -> jax.Array:
        """The generator's loss on a fake batch."""
        return generator_loss(fake_logits, self.generator)


def adam_players(config: AdversarialConfig) -> tuple[optax.GradientTransformation,
                                                     optax.GradientTransformation]:
    """Adam for G and for D, with the config's learning rates and decay rates.

    Built with ``optax.inject_hyperparams``, so a learning rate lives in the optimiser state
    and can change between calls without recompiling.
    """
    adam = optax.inject_hyperparams(optax.adam)
    return (adam(learning_rate=config.generator_lr, b1=config.b1, b2=config.b2),
            adam(learning_rate=config.discriminator_lr, b1=config.b1, b2=config.b2))
