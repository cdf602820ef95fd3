"""Convolutional GANs on images: the course's GAN trainer with image parts, data-parallel.

:func:`make_image_trainer` returns a :class:`~gan_lessons.training.gan.GANTrainer`, the same
class as for the toy data: the same Algorithm 1 (k discriminator updates, one generator
update), the same ``jit(scan)`` training call, the same keys, learning-rate changes, ``fit``
with divergence detection, seeds side by side and checkpoints. Only its parts differ:

* **Data** (:class:`~gan_lessons.training.gan_parts.ArrayData`). Real batches are drawn from a
  stored array of images (``trainer.data``), passed to the compiled loop as an argument (not
  baked in as a constant), by uniform random indices from the step's key. ``"digits"`` are the
  8 x 8 scikit-learn digits, ``"galaxies"`` the course's 16 x 16 procedural galaxies;
  ``"custom"`` trains on images you give (for instance MNIST from
  :func:`gan_lessons.data.images.load_mnist`).
* **Networks**: the DCGAN-style convolutional generator and discriminator of
  :mod:`gan_lessons.models` (:func:`~gan_lessons.training.gan_parts.conv_networks`).
* **Devices** (:meth:`~gan_lessons.training.gan_parts.Placement.data_parallel`). Every batch
  is sharded over all the devices JAX sees (``jax.sharding``, data parallel): real images and
  latent codes are split along the batch axis, the parameters are replicated, and XLA's
  partitioner sums the gradients across devices. The same code runs on one CPU, several GPUs
  or a TPU; the batch size must be a multiple of the number of devices. The result equals a
  one-device run up to floating-point reordering. Seeds side by side (``init_many``,
  ``train_many``, ``sample_many``) are split over the devices by seed instead.

Example::

    trainer = make_image_trainer(ImageGANConfig(dataset="digits"))
    state = trainer.init(jax.random.key(0))
    state, metrics = trainer.train(state, jax.random.key(1), 500)
    images = trainer.sample(state, jax.random.key(2), 64)      # (64, 8, 8) in (-1, 1)

References:
  Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep Convolutional
  Generative Adversarial Networks" (DCGAN), ICLR 2016.
"""

from __future__ import annotations

import functools
from typing import Any

import jax.numpy as jnp
import numpy as np

from gan_lessons.training.gan_parts import Placement
from gan_lessons.training.gan import GANTrainer
from gan_lessons.training.gan_config import IMAGE_DATASETS, ImageGANConfig
from gan_lessons._validate import check_images
from gan_lessons.training.gan_parts import ArrayData, LossSpec, conv_networks

__all__ = ["IMAGE_DATASETS", "ImageGANConfig", "ImageGANTrainer", "make_image_trainer"]

ImageGANTrainer = GANTrainer
"""The trainer :func:`make_image_trainer` returns: the one GAN trainer class."""


def _build(config: ImageGANConfig, images: np.ndarray) -> GANTrainer:
    placement = Placement.data_parallel(config.batch_size)
    data = ArrayData(placement.put(jnp.asarray(images)))
    generator, discriminator = conv_networks(config, data.image_shape)
    return GANTrainer(config, data=data, generator=generator, discriminator=discriminator,
                      losses=LossSpec(config.loss), placement=placement)


@functools.lru_cache(maxsize=8)
def _cached_image_trainer(config: ImageGANConfig) -> GANTrainer:
    from gan_lessons.data.images import image_dataset

    return _build(config, check_images("images", image_dataset(config.dataset)))


def make_image_trainer(config: ImageGANConfig, images: Any = None) -> GANTrainer:
    """The image trainer for ``config``: a :class:`~gan_lessons.training.gan.GANTrainer`.

    Args:
      config: an :class:`ImageGANConfig`.
      images: for ``dataset="custom"``, the training images, shape (N, H, W) in [-1, 1] with
        H and W multiples of 4; must be ``None`` for the built-in data sets, loaded here.

    Trainers of the built-in data sets are cached per config (no recompilation when a config
    comes back); a custom trainer is new each call.

    Raises:
      TypeError: if ``config`` is not an ImageGANConfig.
      ValueError: for missing, unexpected or malformed images, or a batch size that does not
        split evenly over the devices.
    """
    if not isinstance(config, ImageGANConfig):
        raise TypeError(f"config must be an ImageGANConfig, got {type(config).__name__}")
    if config.dataset == "custom":
        if images is None:
            raise ValueError("images must be given for dataset='custom'")
        return _build(config, check_images("images", images))
    if images is not None:
        raise ValueError(f"images must be None for dataset={config.dataset!r} (it is built in)")
    return _cached_image_trainer(config)

