"""The convolutional GAN on images: models, training through the engine, data parallelism."""

import os
import subprocess
import sys
import textwrap

import jax
import numpy as np
import pytest
from flax import nnx

from gan_lessons.models import ConvDiscriminator, ConvGenerator, check_image_shape
from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer

SMALL = ImageGANConfig(generator_channels=(16, 8), discriminator_channels=(8, 16), batch_size=32,
                       latent_dim=8)


@pytest.fixture(scope="module")
def trainer():
    return make_image_trainer(SMALL)


def test_conv_models_shapes_and_ranges():
    g = ConvGenerator(4, (28, 28), (8, 4), rngs=nnx.Rngs(0))
    x = g(jax.random.normal(jax.random.key(0), (3, 4)))
    assert x.shape == (3, 28, 28) and float(np.max(np.abs(x))) < 1.0  # tanh output
    assert ConvDiscriminator((28, 28), (4, 8), rngs=nnx.Rngs(0))(x).shape == (3,)
    # the generator doubles the resolution twice: its first feature maps are H/4 x W/4
    assert g.project.out_features == 7 * 7 * 8
    for bad in [(8, 6), (8,), (0, 8), "8x8"]:
        with pytest.raises((ValueError, TypeError), match="image_shape"):
            check_image_shape("image_shape", bad)
    with pytest.raises(ValueError, match="channels"):
        ConvGenerator(4, (8, 8), (8,), rngs=nnx.Rngs(0))


def test_image_trainer_trains_digits_and_compiles_once(trainer, compilations):
    assert trainer.image_shape == (8, 8) and trainer.data.shape == (1797, 8, 8)
    state = trainer.init(jax.random.key(0))
    key = jax.random.key(1)
    state, first = trainer.train(state, key, 50)
    mark = compilations.mark()
    state, metrics = trainer.train(state, key, 50)
    assert compilations.since(mark) == []
    assert all(np.all(np.isfinite(v)) for v in metrics.values())
    assert int(state.step) == 100
    images = np.asarray(trainer.sample(state, jax.random.key(2), 10))
    assert images.shape == (10, 8, 8) and np.all(np.abs(images) < 1)
    p = trainer.discriminator_probabilities(state, trainer.data[:5])
    assert p.shape == (5,) and np.all((p >= 0) & (p <= 1))


def test_same_key_same_result_and_chunking_does_not_matter(trainer):
    key = jax.random.key(3)
    a, _ = trainer.train(trainer.init(jax.random.key(4)), key, 50)
    b, _ = trainer.train(trainer.init(jax.random.key(4)), key, 25)
    b, _ = trainer.train(b, key, 25)
    for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b)):
        np.testing.assert_array_equal(x, y)


def test_training_moves_the_samples_towards_the_digits():
    """Default config, 1,000 steps: the generated images' mean brightness and ink fraction
    approach the digits' (computed directly from the data), and the samples differ from one
    another (per-pixel spread across samples, against 0.46 for the data; a collapsed generator
    with DCGAN's learning rate 2e-4 stays near 0.1)."""
    trainer = make_image_trainer(ImageGANConfig())
    data = np.asarray(trainer.data)
    state = trainer.init(jax.random.key(5))
    before = np.asarray(trainer.sample(state, jax.random.key(6), 1000))
    state, metrics = trainer.train(state, jax.random.key(7), 1000)
    after = np.asarray(trainer.sample(state, jax.random.key(6), 1000))
    gap = lambda x: abs(x.mean() - data.mean()) + abs((x > 0).mean() - (data > 0).mean())
    assert gap(after) < 0.3 * gap(before)
    assert gap(after) < 0.15
    assert after.std(axis=0).mean() > 0.2 > before.std(axis=0).mean()


def test_custom_images_and_validation():
    images = np.random.default_rng(0).uniform(-1, 1, (40, 16, 12)).astype(np.float32)
    config = ImageGANConfig(dataset="custom", batch_size=8, generator_channels=(8, 4),
                            discriminator_channels=(4, 8))
    trainer = make_image_trainer(config, images)
    assert trainer.image_shape == (16, 12)
    state, _ = trainer.train(trainer.init(jax.random.key(0)), jax.random.key(1), 3)
    assert trainer.sample(state, jax.random.key(2), 4).shape == (4, 16, 12)
    with pytest.raises(ValueError, match="images must be given"):
        make_image_trainer(config)
    with pytest.raises(ValueError, match="images must be None"):
        make_image_trainer(SMALL, images)
    with pytest.raises(ValueError, match=r"images must be a 3-D array of shape \(N, H, W\)"):
        make_image_trainer(config, images[0])
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        make_image_trainer(config, images * 3)
    with pytest.raises(ValueError, match="multiples of 4"):
        make_image_trainer(config, images[:, :10, :10])
    with pytest.raises(ValueError, match="dataset"):
        ImageGANConfig(dataset="cifar")
    with pytest.raises(ValueError, match="batch_size"):
        ImageGANConfig(batch_size=0)
    with pytest.raises(TypeError, match="ImageGANConfig"):
        make_image_trainer("digits")
    with pytest.raises(ValueError, match="points"):
        trainer.discriminator_probabilities(state, np.zeros((2, 8, 8)))


_RUN = textwrap.dedent("""
    import sys, jax, numpy as np
    from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer
    config = ImageGANConfig(generator_channels=(16, 8), discriminator_channels=(8, 16),
                            batch_size=32, latent_dim=8)
    trainer = make_image_trainer(config)
    state, metrics = trainer.train(trainer.init(jax.random.key(0)), jax.random.key(1), 12)
    sharding = trainer.batch_sharding
    np.savez(sys.argv[1], devices=len(jax.devices()),
             split=0 if sharding is None else len(sharding.device_set),
             d_loss=np.asarray(metrics["d_loss"]),
             **{f"leaf{i}": np.asarray(x) for i, x in enumerate(jax.tree.leaves(state))})
""")


def _run_with(devices: int, path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS", "GAN_LESSONS_CPU_DEVICES")}
    if devices == 1:
        env["GAN_LESSONS_CPU_DEVICES"] = "1"
    else:
        env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={devices}"
    result = subprocess.run([sys.executable, "-c", _RUN, str(path)], env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(np.load(path))


def test_four_devices_give_the_one_device_result(tmp_path):
    one = _run_with(1, tmp_path / "one.npz")
    four = _run_with(4, tmp_path / "four.npz")
    assert int(one["devices"]) == 1 and int(one["split"]) == 0
    assert int(four["devices"]) == 4 and int(four["split"]) == 4  # the batch was split 4 ways
    np.testing.assert_allclose(four["d_loss"], one["d_loss"], rtol=1e-4, atol=1e-5)
    leaves = [k for k in one if k.startswith("leaf")]
    assert leaves
    for name in leaves:
        np.testing.assert_allclose(four[name], one[name], rtol=1e-3, atol=1e-4, err_msg=name)


def test_a_batch_that_does_not_split_evenly_is_refused():
    code = textwrap.dedent("""
        from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer
        try:
            make_image_trainer(ImageGANConfig(batch_size=30))
        except ValueError as error:
            print(error)
    """)
    env = {k: v for k, v in os.environ.items() if k != "GAN_LESSONS_CPU_DEVICES"}
    env["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                            timeout=300)
    assert "batch_size must be a multiple of the 4 devices" in result.stdout, result.stderr[-2000:]


def test_transposed_convolution_is_the_adjoint_of_the_strided_convolution():
    """Lesson 08's check: <conv(x), v> = <x, conv_T(v)>, and conv_T is conv's vector-Jacobian
    product; also the generator's transposed layers double the side (2 -> 4 -> 8)."""
    from jax import lax

    x = jax.random.normal(jax.random.key(0), (1, 8, 8, 3))
    w = jax.random.normal(jax.random.key(1), (3, 3, 3, 5))
    layout = ("NHWC", "HWIO", "NHWC")
    conv = lambda x: lax.conv_general_dilated(x, w, (2, 2), "SAME", dimension_numbers=layout)
    v = jax.random.normal(jax.random.key(2), conv(x).shape)
    conv_t = lax.conv_transpose(v, w, (2, 2), "SAME", dimension_numbers=layout, transpose_kernel=True)
    np.testing.assert_allclose(float((conv(x) * v).sum()), float((x * conv_t).sum()), rtol=1e-5)
    np.testing.assert_allclose(jax.vjp(conv, x)[1](v)[0], conv_t, rtol=1e-5, atol=1e-5)
    g = ConvGenerator(16, (8, 8), (32, 16), rngs=nnx.Rngs(0))
    h = jax.nn.relu(g.project(jax.numpy.zeros((1, 16)))).reshape(1, 2, 2, 32)
    assert g.up1(h).shape == (1, 4, 4, 16) and g.up2(g.up1(h)).shape == (1, 8, 8, 1)


# ----------------------------------------------------------------------------- one trainer
def test_the_image_trainer_is_the_gan_trainer_with_image_parts(trainer):
    from gan_lessons.training.gan import GANConfig, GANTrainer, make_trainer
    from gan_lessons.training.image_gan import ImageGANTrainer

    assert type(trainer) is GANTrainer is ImageGANTrainer
    assert type(make_trainer(GANConfig(generator_hidden=(8,), discriminator_hidden=(8,)))) \
        is GANTrainer
    assert trainer.mixture is None and trainer.image_shape == (8, 8)


def test_the_images_are_an_argument_of_the_compiled_step_not_a_constant(trainer):
    state = trainer.init(jax.random.key(0))
    closed = jax.make_jaxpr(trainer.train_fn, static_argnums=2)(state, jax.random.key(1), 1,
                                                                 trainer.data)
    assert max((np.size(c) for c in closed.consts), default=0) < trainer.data.size
    assert any(v.aval.shape == trainer.data.shape for v in closed.jaxpr.invars)


def test_image_seeds_side_by_side_equal_separate_runs(trainer):
    keys = jax.random.split(jax.random.key(9), 2)
    states = trainer.init_many(keys)
    states, metrics = trainer.train_many(states, keys, 25)
    assert metrics["d_loss"].shape == (2, 25) and states.step.shape == (2,)
    samples = trainer.sample_many(states, jax.random.key(3), 4)
    assert samples.shape == (2, 4, 8, 8)
    for i in range(2):
        single, m = trainer.train(trainer.init(keys[i]), keys[i], 25)
        np.testing.assert_allclose(metrics["d_loss"][i], m["d_loss"], rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(samples[i], trainer.sample(single, jax.random.key(3), 4),
                                   rtol=1e-3, atol=1e-4)


def test_image_seeds_are_split_over_the_devices_by_seed():
    code = textwrap.dedent("""
        import jax, numpy as np
        from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer
        assert len(jax.devices()) == 2
        trainer = make_image_trainer(ImageGANConfig(generator_channels=(8, 4),
                                                    discriminator_channels=(4, 8), batch_size=16))
        keys = jax.random.split(jax.random.key(5), 2)
        states, metrics = trainer.train_many(trainer.init_many(keys), keys, 6)
        assert all(len(x.sharding.device_set) == 2 and x.shape[0] == 2
                   and x.addressable_shards[0].data.shape[0] == 1 for x in jax.tree.leaves(states))
        for i in (0, 1):
            single, m = trainer.train(trainer.init(keys[i]), keys[i], 6)
            np.testing.assert_allclose(metrics["d_loss"][i], m["d_loss"], rtol=1e-4, atol=1e-5)
        print("ok")
    """)
    env = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS", "GAN_LESSONS_CPU_DEVICES")}
    env["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
