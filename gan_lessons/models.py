"""Small Flax NNX networks for the toy GANs: an MLP, a generator and a discriminator.

The modules know nothing about training; :mod:`gan_lessons.training.gan` splits them once into a
graph definition and a parameter state and trains the state with plain JAX.

* :class:`MLP`: ``Linear -> activation -> ... -> Linear``, no activation after the last layer.
* :class:`Generator`: maps latent codes ``z`` of shape (batch, latent_dim) to points of shape
  (batch, data_dim).
* :class:`Discriminator`: maps points of shape (batch, data_dim) to one real-valued *logit*
  per point, shape (batch,). The probability that a point is real is
  :math:`D(x) = \\sigma(\\text{logit}(x))`; the losses in :mod:`gan_lessons.losses` take the logits.

The PacGAN-paper architecture (Lin et al., 2018, Section 4, after VEEGAN):

* :class:`BatchNormGenerator`: ``Linear -> BatchNorm -> ReLU`` per hidden layer (4 x 400 in the
  paper), then a linear output layer. Its batch-norm running statistics are ``nnx.BatchStat``
  variables, not parameters; call ``model.eval()`` to use them instead of the batch's.
* :class:`Maxout`: ``Linear(in, units * pieces)`` then the maximum over each group of
  ``pieces`` outputs (Goodfellow et al., 2013).
* :class:`MaxoutDiscriminator`: maxout hidden layers (3 x 200 units, 5 pieces in the paper)
  and a linear output unit giving one logit per point.

The DCGAN-style convolutional networks for images (Radford et al., 2016):

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
    >>> from gan_lessons.models import make_discriminator
    >>> d = make_discriminator(2, (16, 16), nnx.Rngs(0))
    >>> d(jax.numpy.zeros((5, 2))).shape
    (5,)
"""

from __future__ import annotations

from typing import Callable, Sequence

import jax
import jax.numpy as jnp
from flax import nnx

from gan_lessons._validate import check_int

__all__ = ["MLP", "Generator", "Discriminator", "Maxout", "BatchNormGenerator",
           "MaxoutDiscriminator", "make_generator", "make_discriminator", "ConvGenerator",
           "ConvDiscriminator", "check_channels", "check_hidden", "check_image_shape"]

Activation = Callable[[jax.Array], jax.Array]


def check_hidden(name: str, hidden: Sequence[int]) -> tuple[int, ...]:
    """Check a tuple of hidden-layer widths (each >= 1; an empty tuple means no hidden layer)."""
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise TypeError(f"{name} must be a tuple of layer widths, got {hidden!r}")
    return tuple(check_int(f"{name}[{i}]", width, minimum=1) for i, width in enumerate(hidden))


class MLP(nnx.Module):
    """A multi-layer perceptron: affine layers with ``activation`` between them.

    .. math::

        h_0 = x, \\quad h_{i+1} = a(W_i h_i + b_i) \\ (i < L), \\quad y = W_L h_L + b_L.

    Args:
      in_features: the input width.
      hidden: the hidden-layer widths, e.g. ``(128, 128)``; ``()`` gives an affine map.
      out_features: the output width.
      rngs: the NNX random streams used to initialise the weights.
      activation: the non-linearity a between layers (default ReLU).
    """

    def __init__(self, in_features: int, hidden: Sequence[int], out_features: int, *,
                 rngs: nnx.Rngs, activation: Activation = jax.nn.relu):
        in_features = check_int("in_features", in_features, minimum=1)
        out_features = check_int("out_features", out_features, minimum=1)
        hidden = check_hidden("hidden", hidden)
        if not callable(activation):
            raise TypeError(f"activation must be a function, got {activation!r}")
        widths = (in_features, *hidden)
        self.hidden_layers = nnx.List(
            [nnx.Linear(a, b, rngs=rngs) for a, b in zip(widths[:-1], widths[1:])]
        )
        self.output_layer = nnx.Linear(widths[-1], out_features, rngs=rngs)
        self.activation = activation

    def __call__(self, x: jax.Array) -> jax.Array:
        for layer in self.hidden_layers:
            x = self.activation(layer(x))
        return self.output_layer(x)


class Generator(nnx.Module):
    """G: latent codes (batch, latent_dim) -> samples (batch, data_dim), an MLP."""

    def __init__(self, latent_dim: int, hidden: Sequence[int], data_dim: int, *,
                 rngs: nnx.Rngs, activation: Activation = jax.nn.relu):
        self.latent_dim = check_int("latent_dim", latent_dim, minimum=1)
        self.data_dim = check_int("data_dim", data_dim, minimum=1)
        self.net = MLP(self.latent_dim, hidden, self.data_dim, rngs=rngs, activation=activation)

    def __call__(self, z: jax.Array) -> jax.Array:
        return self.net(z)


class Discriminator(nnx.Module):
    """D: samples (batch, data_dim) -> logits (batch,), an MLP with one output unit.

    The output is the logit l(x); the probability of "real" is ``jax.nn.sigmoid(l(x))``.
    """

    def __init__(self, data_dim: int, hidden: Sequence[int], *, rngs: nnx.Rngs,
                 activation: Activation = jax.nn.relu):
        self.data_dim = check_int("data_dim", data_dim, minimum=1)
        self.net = MLP(self.data_dim, hidden, 1, rngs=rngs, activation=activation)

    def __call__(self, x: jax.Array) -> jax.Array:
        return self.net(x)[..., 0]


def make_generator(latent_dim: int, hidden: Sequence[int], data_dim: int,
                   rngs: nnx.Rngs) -> Generator:
    """Build a ReLU-MLP generator ``latent_dim -> hidden... -> data_dim``."""
    return Generator(latent_dim, hidden, data_dim, rngs=rngs)


def make_discriminator(data_dim: int, hidden: Sequence[int], rngs: nnx.Rngs) -> Discriminator:
    """Build a ReLU-MLP discriminator ``data_dim -> hidden... -> 1`` returning logits (batch,)."""
    return Discriminator(data_dim, hidden, rngs=rngs)


class Maxout(nnx.Module):
    """A maxout layer: ``units`` outputs, each the maximum of ``pieces`` affine maps.

    .. math::

        h_j(x) = \\max_{p = 0..P-1} (W x + b)_{jP + p}, \\quad j = 0..U-1,

    where :math:`W x + b` is one ``nnx.Linear(in_features, units * pieces)`` (attribute
    ``linear``); output j takes the consecutive block of P pre-activations ``jP .. jP+P-1``.

    Args:
      in_features: the input width.
      units: U, the number of outputs (>= 1).
      pieces: P, the affine pieces per output (>= 1; P = 1 is a plain linear layer).
      rngs: the NNX random streams for the initialisation.

    Reference: Goodfellow, Warde-Farley, Mirza, Courville, Bengio, "Maxout Networks", ICML 2013.
    """

    def __init__(self, in_features: int, units: int, pieces: int, *, rngs: nnx.Rngs):
        in_features = check_int("in_features", in_features, minimum=1)
        self.units = check_int("units", units, minimum=1)
        self.pieces = check_int("pieces", pieces, minimum=1)
        self.linear = nnx.Linear(in_features, self.units * self.pieces, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        y = self.linear(x)
        y = y.reshape(*y.shape[:-1], self.units, self.pieces)
        return jnp.max(y, axis=-1)


class BatchNormGenerator(nnx.Module):
    """G with batch norm: ``(Linear -> BatchNorm -> ReLU) x len(hidden) -> Linear``.

    In training mode (the default) each batch norm normalises with the statistics of the
    current batch and updates its running averages (``nnx.BatchStat``, decay ``momentum``);
    after ``model.eval()`` it uses the running averages, so G becomes a fixed function.

    Args:
      latent_dim: the latent width.
      hidden: the hidden widths (the PacGAN paper: ``(400, 400, 400, 400)``).
      data_dim: the output width.
      rngs: the NNX random streams.
      momentum: the decay of the running statistics (flax convention: new = m old + (1-m) batch).
    """

    def __init__(self, latent_dim: int, hidden: Sequence[int], data_dim: int, *,
                 rngs: nnx.Rngs, momentum: float = 0.9):
        self.latent_dim = check_int("latent_dim", latent_dim, minimum=1)
        self.data_dim = check_int("data_dim", data_dim, minimum=1)
        hidden = check_hidden("hidden", hidden)
        widths = (self.latent_dim, *hidden)
        self.hidden_layers = nnx.List(
            [nnx.Linear(a, b, rngs=rngs) for a, b in zip(widths[:-1], widths[1:])])
        self.norms = nnx.List(
            [nnx.BatchNorm(b, momentum=momentum, rngs=rngs) for b in hidden])
        self.output_layer = nnx.Linear(widths[-1], self.data_dim, rngs=rngs)

    def __call__(self, z: jax.Array) -> jax.Array:
        for layer, norm in zip(self.hidden_layers, self.norms):
            z = jax.nn.relu(norm(layer(z)))
        return self.output_layer(z)


class MaxoutDiscriminator(nnx.Module):
    """D with maxout hidden layers: ``Maxout x len(hidden) -> Linear(., 1)``, logits (batch,).

    Args:
      data_dim: the input width.
      hidden: the units of each maxout layer (the PacGAN paper: ``(200, 200, 200)``).
      pieces: the pieces of every maxout unit (the PacGAN paper: 5).
      rngs: the NNX random streams.
    """

    def __init__(self, data_dim: int, hidden: Sequence[int], pieces: int, *, rngs: nnx.Rngs):
        self.data_dim = check_int("data_dim", data_dim, minimum=1)
        hidden = check_hidden("hidden", hidden)
        widths = (self.data_dim, *hidden)
        self.hidden_layers = nnx.List(
            [Maxout(a, b, pieces, rngs=rngs) for a, b in zip(widths[:-1], widths[1:])])
        self.output_layer = nnx.Linear(widths[-1], 1, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        for layer in self.hidden_layers:
            x = layer(x)
        return self.output_layer(x)[..., 0]


# --------------------------------------------------------------------------- convolutional

def check_image_shape(name: str, shape: Sequence[int]) -> tuple[int, int]:
    """``(H, W)`` with both sides positive multiples of 4, or a ValueError naming ``name``."""
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 2:
        raise ValueError(f"{name} must be (height, width), got {shape!r}")
    h, w = (check_int(f"{name}[{i}]", side, minimum=4) for i, side in enumerate(shape))
    if h % 4 or w % 4:
        raise ValueError(f"{name} must have sides that are multiples of 4 (two stride-2 layers), "
                         f"got {(h, w)}")
    return h, w


def check_channels(name: str, channels: Sequence[int]) -> tuple[int, int]:
    """Check the two channel counts of a convolutional network (each >= 1)."""
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
        c0, c1 = self.channels = check_channels("channels", channels)
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
        c0, c1 = self.channels = check_channels("channels", channels)
        h, w = self.image_shape
        self.down1 = nnx.Conv(1, c0, (3, 3), strides=(2, 2), padding="SAME", rngs=rngs)
        self.down2 = nnx.Conv(c0, c1, (3, 3), strides=(2, 2), padding="SAME", rngs=rngs)
        self.output_layer = nnx.Linear((h // 4) * (w // 4) * c1, 1, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        y = jax.nn.leaky_relu(self.down1(x[..., None]), 0.2)
        y = jax.nn.leaky_relu(self.down2(y), 0.2)
        return self.output_layer(y.reshape(y.shape[0], -1))[..., 0]
