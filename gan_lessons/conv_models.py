"""Small DCGAN-style convolutional networks for image GANs (Radford et al., 2016), in Flax NNX.

* :class:`ConvGenerator` maps latent codes of shape (batch, latent_dim) to images of shape
  (batch, H, W) in (-1, 1): a linear layer to a (H/4) x (W/4) grid of feature maps, then two
  *transposed* convolutions of stride 2 (the "de-convolutional" generator of the lecture notes),
  each doubling the resolution, ReLU between them and ``tanh`` at the end.
* :class:`ConvDiscriminator` maps images of shape (batch, H, W) to one logit each: two strided
  convolutions (each halving the resolution) with leaky ReLU (slope 0.2), then a linear layer.

DCGAN's design rules kept here: strided (transposed) convolutions instead of pooling, ReLU in G
and leaky ReLU in D, ``tanh`` output. Left out, for simplicity and so that a data-parallel batch
needs no cross-device statistics: batch normalisation. H and W must be multiples of 4
(8 x 8 digits, 16 x 16 galaxies, 28 x 28 MNIST).

Example::

    >>> import jax
    >>> from flax import nnx
    >>> g = ConvGenerator(16, (8, 8), (32, 16), rngs=nnx.Rngs(0))
    >>> x = g(jax.numpy.zeros((5, 16)))
    >>> x.shape, ConvDiscriminator((8, 8), (16, 32), rngs=nnx.Rngs(1))(x).shape
    ((5, 8, 8), (5,))
"""

from __future__ import annotations

from typing import Sequence

import jax
import jax.numpy as jnp
from flax import nnx

from gan_lessons._validate import check_int

__all__ = ["ConvDiscriminator", "ConvGenerator", "check_image_shape"]


def check_image_shape(name: str, shape: Sequence[int]) -> tuple[int, int]:
    """``(H, W)`` with both sides positive multiples of 4, or a ValueError naming ``name``."""
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 2:
        raise ValueError(f"{name} must be (height, width), got {shape!r}")
    h, w = (check_int(f"{name}[{i}]", side, minimum=4) for i, side in enumerate(shape))
    if h % 4 or w % 4:
        raise ValueError(f"{name} must have sides that are multiples of 4 (two stride-2 layers), "
                         f"got {(h, w)}")
    return h, w


def _check_channels(name: str, channels: Sequence[int]) -> tuple[int, int]:
    if isinstance(channels, (str, bytes)) or not hasattr(channels, "__len__") or len(channels) != 2:
        raise ValueError(f"{name} must be two channel counts, got {channels!r}")
    return tuple(check_int(f"{name}[{i}]", c, minimum=1) for i, c in enumerate(channels))


class ConvGenerator(nnx.Module):
    """z -> Linear -> ReLU -> reshape (H/4, W/4, c0) -> ConvT(c1, stride 2) -> ReLU
    -> ConvT(1, stride 2) -> tanh, images of shape (batch, H, W)."""

    def __init__(self, latent_dim: int, image_shape: Sequence[int], channels: Sequence[int], *,
                 rngs: nnx.Rngs):
        self.latent_dim = check_int("latent_dim", latent_dim, minimum=1)
        self.image_shape = check_image_shape("image_shape", image_shape)
        c0, c1 = self.channels = _check_channels("channels", channels)
        h, w = self.image_shape
        self.project = nnx.Linear(self.latent_dim, (h // 4) * (w // 4) * c0, rngs=rngs)
        self.up1 = nnx.ConvTranspose(c0, c1, (4, 4), strides=(2, 2), padding="SAME", rngs=rngs)
        self.up2 = nnx.ConvTranspose(c1, 1, (4, 4), strides=(2, 2), padding="SAME", rngs=rngs)

    def __call__(self, z: jax.Array) -> jax.Array:
        h, w = self.image_shape
        x = jax.nn.relu(self.project(z)).reshape(z.shape[0], h // 4, w // 4, self.channels[0])
        x = jax.nn.relu(self.up1(x))
        return jnp.tanh(self.up2(x))[..., 0]


class ConvDiscriminator(nnx.Module):
    """x -> Conv(c0, stride 2) -> leaky ReLU -> Conv(c1, stride 2) -> leaky ReLU -> Linear,
    one logit per image, shape (batch,)."""

    def __init__(self, image_shape: Sequence[int], channels: Sequence[int], *, rngs: nnx.Rngs):
        self.image_shape = check_image_shape("image_shape", image_shape)
        c0, c1 = self.channels = _check_channels("channels", channels)
        h, w = self.image_shape
        self.down1 = nnx.Conv(1, c0, (3, 3), strides=(2, 2), padding="SAME", rngs=rngs)
        self.down2 = nnx.Conv(c0, c1, (3, 3), strides=(2, 2), padding="SAME", rngs=rngs)
        self.output_layer = nnx.Linear((h // 4) * (w // 4) * c1, 1, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        y = jax.nn.leaky_relu(self.down1(x[..., None]), 0.2)
        y = jax.nn.leaky_relu(self.down2(y), 0.2)
        return self.output_layer(y.reshape(y.shape[0], -1))[..., 0]
