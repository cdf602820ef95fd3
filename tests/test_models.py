"""Tests for gan_lessons.models: the maxout layer and the PacGAN-paper networks."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from gan_lessons.models import BatchNormGenerator, Maxout, MaxoutDiscriminator


def test_maxout_shape_and_max_over_pieces_by_hand():
    layer = Maxout(3, 4, 5, rngs=nnx.Rngs(0))
    x = np.asarray(jax.random.normal(jax.random.key(1), (7, 3)), np.float64)
    out = np.asarray(layer(jnp.asarray(x, jnp.float32)))
    assert out.shape == (7, 4)
    kernel = np.asarray(layer.linear.kernel[...], np.float64)  # (3, 20)
    bias = np.asarray(layer.linear.bias[...], np.float64)
    pre = x @ kernel + bias                                     # (7, 20)
    expected = np.stack([pre[:, 5 * j:5 * j + 5].max(axis=1) for j in range(4)], axis=1)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_maxout_with_one_piece_is_linear():
    layer = Maxout(2, 3, 1, rngs=nnx.Rngs(0))
    x = jnp.ones((4, 2))
    np.testing.assert_allclose(layer(x), layer.linear(x), rtol=1e-6)


def test_maxout_rejects_bad_sizes():
    with pytest.raises(ValueError, match="pieces"):
        Maxout(2, 3, 0, rngs=nnx.Rngs(0))


def test_pacgan_networks_shapes_and_batch_stats():
    g = BatchNormGenerator(2, (8, 8), 2, rngs=nnx.Rngs(0))
    assert g(jnp.ones((5, 2))).shape == (5, 2)
    rest = nnx.split(g, nnx.Param, ...)[2]
    assert len(jax.tree.leaves(rest)) == 4  # mean and var of two batch norms
    d = MaxoutDiscriminator(2, (6, 6), 3, rngs=nnx.Rngs(0))
    assert d(jnp.ones((5, 2))).shape == (5,)
