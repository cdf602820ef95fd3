"""Small Flax NNX networks for the toy GANs: an MLP, a generator and a discriminator.

The modules know nothing about training; :mod:`gan_lessons.engine` splits them once into a
graph definition and a parameter state and trains the state with plain JAX.

* :class:`MLP`: ``Linear -> activation -> ... -> Linear``, no activation after the last layer.
* :class:`Generator`: maps latent codes ``z`` of shape (batch, latent_dim) to points of shape
  (batch, data_dim).
* :class:`Discriminator`: maps points of shape (batch, data_dim) to one real-valued *logit*
  per point, shape (batch,). The probability that a point is real is
  :math:`D(x) = \\sigma(\\text{logit}(x))`; the losses in :mod:`gan_lessons.losses` take the logits.

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
from flax import nnx

from gan_lessons._validate import check_int

__all__ = ["MLP", "Generator", "Discriminator", "make_generator", "make_discriminator"]

Activation = Callable[[jax.Array], jax.Array]


def _check_hidden(name: str, hidden: Sequence[int]) -> tuple[int, ...]:
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
        hidden = _check_hidden("hidden", hidden)
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
