"""Tests for gan_lessons.losses against optax's cross-entropy and hand-derived closed forms."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from scipy.special import expit

from gan_lessons.losses import discriminator_loss, generator_loss, value_function

LN2 = math.log(2.0)


@pytest.fixture
def logits():
    key_r, key_f = jax.random.split(jax.random.key(0))
    return 3 * jax.random.normal(key_r, (64,)), 3 * jax.random.normal(key_f, (48,))


def test_discriminator_loss_is_binary_cross_entropy(logits):
    real, fake = logits
    bce = optax.sigmoid_binary_cross_entropy
    expected = bce(real, jnp.ones_like(real)).mean() + bce(fake, jnp.zeros_like(fake)).mean()
    np.testing.assert_allclose(discriminator_loss(real, fake), expected, rtol=1e-6)
    np.testing.assert_allclose(value_function(real, fake), -expected, rtol=1e-6)


def test_generator_losses_match_cross_entropy(logits):
    _, fake = logits
    bce = optax.sigmoid_binary_cross_entropy
    # non-saturating: -mean log D(G(z)) is the cross-entropy with label 1
    np.testing.assert_allclose(generator_loss(fake, "non_saturating"),
                               bce(fake, jnp.ones_like(fake)).mean(), rtol=1e-6)
    # saturating: mean log(1 - D(G(z))) is minus the cross-entropy with label 0
    np.testing.assert_allclose(generator_loss(fake, "saturating"),
                               -bce(fake, jnp.zeros_like(fake)).mean(), rtol=1e-6)
    np.testing.assert_allclose(generator_loss(fake), generator_loss(fake, "non_saturating"))


def test_value_is_minus_discriminator_loss(logits):
    real, fake = logits
    np.testing.assert_array_equal(value_function(real, fake), -discriminator_loss(real, fake))


def test_closed_forms_at_logit_zero():
    """D = 1/2 everywhere: every log term is -ln 2."""
    z = jnp.zeros(5)
    np.testing.assert_allclose(discriminator_loss(z, z), 2 * LN2, rtol=1e-6)
    np.testing.assert_allclose(value_function(z, z), -2 * LN2, rtol=1e-6)
    np.testing.assert_allclose(generator_loss(z, "non_saturating"), LN2, rtol=1e-6)
    np.testing.assert_allclose(generator_loss(z, "saturating"), -LN2, rtol=1e-6)


def test_closed_forms_hand_values():
    # real logit l = ln 3 -> D = 3/4; fake logit -ln 3 -> D = 1/4, 1 - D = 3/4
    real, fake = jnp.array([math.log(3.0)]), jnp.array([-math.log(3.0)])
    np.testing.assert_allclose(discriminator_loss(real, fake), -2 * math.log(0.75), rtol=1e-6)
    np.testing.assert_allclose(generator_loss(fake, "non_saturating"), -math.log(0.25), rtol=1e-6)
    np.testing.assert_allclose(generator_loss(fake, "saturating"), math.log(0.75), rtol=1e-6)


@pytest.mark.parametrize("big", [1e4, -1e4])
def test_finite_values_and_gradients_for_huge_logits(big):
    x = jnp.full((4,), big, dtype=jnp.float32)
    funcs = {
        "d": lambda r, f: discriminator_loss(r, f),
        "v": lambda r, f: value_function(r, f),
        "ns": lambda r, f: generator_loss(f, "non_saturating"),
        "sat": lambda r, f: generator_loss(f, "saturating"),
    }
    for name, f in funcs.items():
        for r, fk in [(x, x), (x, -x)]:
            value = f(r, fk)
            grads = jax.grad(f, argnums=(0, 1))(r, fk)
            assert np.isfinite(value), name
            assert all(np.all(np.isfinite(g)) for g in grads), name
    # the worst discriminator (confident and wrong on both batches) pays about 2 * |l|
    np.testing.assert_allclose(discriminator_loss(-abs(x), abs(x)), 2e4, rtol=1e-6)


def test_generator_gradients_closed_forms():
    """d/dl log(1 - sigmoid(l)) = -sigmoid(l); d/dl -log sigmoid(l) = -(1 - sigmoid(l))."""
    l = jnp.array([-50.0, -20.0, -10.0, -3.0, 0.0, 2.0], dtype=jnp.float32)
    m = l.shape[0]
    sig = expit(np.asarray(l, dtype=np.float64))
    g_sat = jax.grad(lambda v: generator_loss(v, "saturating"))(l)
    g_ns = jax.grad(lambda v: generator_loss(v, "non_saturating"))(l)
    np.testing.assert_allclose(g_sat, -sig / m, rtol=1e-5, atol=0)
    np.testing.assert_allclose(g_ns, -(1 - sig) / m, rtol=1e-5)
    # As D(G(z)) -> 0 the saturating gradient vanishes, the non-saturating one tends to -1/m.
    assert abs(float(g_sat[0])) < 1e-20
    np.testing.assert_allclose(g_ns[0], -1.0 / m, rtol=1e-6)


def test_discriminator_gradients_closed_forms(logits):
    """dL_D/dl_real = -(1 - sigmoid(l)) / n and dL_D/dl_fake = sigmoid(l) / m."""
    real, fake = logits
    g_real, g_fake = jax.grad(discriminator_loss, argnums=(0, 1))(real, fake)
    np.testing.assert_allclose(g_real, -(1 - expit(np.asarray(real, np.float64))) / real.size,
                               rtol=1e-4, atol=1e-9)
    np.testing.assert_allclose(g_fake, expit(np.asarray(fake, np.float64)) / fake.size,
                               rtol=1e-4, atol=1e-9)


def test_jit_and_bad_kind():
    fake = jnp.linspace(-2, 2, 7)
    jitted = jax.jit(generator_loss, static_argnames="kind")
    np.testing.assert_allclose(jitted(fake, kind="saturating"), generator_loss(fake, "saturating"),
                               rtol=1e-6)
    with pytest.raises(ValueError, match="kind.*'non_saturating'.*'saturating'"):
        generator_loss(fake, "wasserstein")
