"""Tests for gan_lessons.training.checkpoint: round trip, exact resume, damage, mismatch, atomicity,
for the GAN, image-GAN and VAE trainers."""

import dataclasses
import os

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gan_lessons.training.checkpoint import MAGIC, load_checkpoint, save_checkpoint
from gan_lessons.training.gan import GANConfig, GANState, make_trainer
from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer
from gan_lessons.training.vae import VAEConfig, VAEState, make_vae_trainer

SMALL = GANConfig(generator_hidden=(32, 32), discriminator_hidden=(32, 32), batch_size=64)
CHUNK = 10  # the chunk length of tests/training/test_gan.py, so compiled code is shared


@pytest.fixture(scope="module")
def trainer():
    return make_trainer(SMALL)


def _assert_same(a, b):
    assert jax.tree.structure(a) == jax.tree.structure(b)
    for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b)):
        assert x.shape == y.shape and x.dtype == y.dtype and x.weak_type == y.weak_type
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


def _trained(trainer, steps=CHUNK, seed=0):
    state, _ = trainer.train(trainer.init(jax.random.key(seed)), jax.random.key(1), steps)
    return state


def test_round_trip_keeps_every_leaf(trainer, tmp_path):
    state = trainer.set_learning_rates(_trained(trainer), generator_lr=3e-4)
    path = tmp_path / "run.ckpt"
    save_checkpoint(path, state, SMALL)
    loaded = load_checkpoint(str(path), SMALL)
    assert isinstance(loaded, GANState)
    _assert_same(loaded, state)
    assert loaded.step.dtype == jnp.int32 and int(loaded.step) == CHUNK
    assert trainer.learning_rates(loaded) == trainer.learning_rates(state)
    assert path.read_bytes().startswith(MAGIC)
    # overwriting is fine, and leaves no temporary file behind
    save_checkpoint(path, loaded, SMALL)
    assert os.listdir(tmp_path) == ["run.ckpt"]


def test_resume_equals_an_uninterrupted_run(trainer, tmp_path):
    key = jax.random.key(3)
    whole, _ = trainer.train(trainer.init(jax.random.key(2)), key, CHUNK)
    whole, m_whole = trainer.train(whole, key, CHUNK)

    first, _ = trainer.train(trainer.init(jax.random.key(2)), key, CHUNK)
    save_checkpoint(tmp_path / "a.ckpt", first, SMALL)
    del first
    resumed, m_resumed = trainer.train(load_checkpoint(tmp_path / "a.ckpt", SMALL), key, CHUNK)
    _assert_same(resumed, whole)  # bit for bit
    for name in m_whole:
        np.testing.assert_array_equal(m_resumed[name], m_whole[name])


def test_batched_states_round_trip(trainer, tmp_path):
    keys = jax.random.split(jax.random.key(5), 2)
    states = trainer.init_many(keys)
    save_checkpoint(tmp_path / "seeds.ckpt", states, SMALL)
    loaded = load_checkpoint(tmp_path / "seeds.ckpt", SMALL)
    _assert_same(loaded, states)
    assert loaded.step.shape == (2,)


@pytest.mark.parametrize("damage", ["truncate", "flip_payload", "flip_header", "garbage"])
def test_damaged_file_is_reported(trainer, tmp_path, damage):
    path = tmp_path / "run.ckpt"
    save_checkpoint(path, trainer.init(jax.random.key(0)), SMALL)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip_payload":
        data[-5] ^= 0xFF
    elif damage == "flip_header":
        data[len(MAGIC) + 10] ^= 0x01
    else:
        data = bytearray(b"not a checkpoint at all")
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="damaged"):
        load_checkpoint(path, SMALL)


def test_config_mismatch_names_the_fields(trainer, tmp_path):
    path = tmp_path / "run.ckpt"
    save_checkpoint(path, trainer.init(jax.random.key(0)), SMALL)
    other = GANConfig(**{**SMALL.__dict__, "loss": "saturating", "generator_lr": 2e-3})
    with pytest.raises(ValueError, match="different config") as info:
        load_checkpoint(path, other)
    assert "loss" in str(info.value) and "generator_lr" in str(info.value)
    assert "batch_size" not in str(info.value)


def test_missing_file_and_bad_arguments(trainer, tmp_path):
    with pytest.raises(FileNotFoundError):
        load_checkpoint(tmp_path / "nothing.ckpt", SMALL)
    state = trainer.init(jax.random.key(0))
    with pytest.raises(FileNotFoundError):
        save_checkpoint(tmp_path / "no_dir" / "run.ckpt", state, SMALL)
    with pytest.raises(TypeError, match="config"):
        save_checkpoint(tmp_path / "run.ckpt", state, {"dataset": "ring"})
    with pytest.raises(TypeError, match="state"):
        save_checkpoint(tmp_path / "run.ckpt", {"step": 0}, SMALL)
    other = GANConfig(**{**SMALL.__dict__, "generator_hidden": (16,)})
    with pytest.raises(ValueError):  # a state of another architecture
        save_checkpoint(tmp_path / "run.ckpt", state, other)
    assert os.listdir(tmp_path) == []  # nothing half-written


def test_failed_write_leaves_the_old_file_and_no_temporary(trainer, tmp_path, monkeypatch):
    path = tmp_path / "run.ckpt"
    state = trainer.init(jax.random.key(0))
    save_checkpoint(path, state, SMALL)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(path, _trained(trainer), SMALL)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["run.ckpt"]


# ----------------------------------------------------------------------------- every trainer
IMAGE = ImageGANConfig(generator_channels=(8, 4), discriminator_channels=(4, 8), batch_size=16,
                       latent_dim=4)
VAE = VAEConfig("ring", encoder_hidden=(8,), decoder_hidden=(8,), batch_size=32)
KINDS = {"gan": (SMALL, make_trainer), "image": (IMAGE, make_image_trainer),
         "vae": (VAE, make_vae_trainer)}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_trainer_round_trips_and_resumes_bit_for_bit(kind, tmp_path):
    config, make = KINDS[kind]
    trainer, key = make(config), jax.random.key(3)
    whole, _ = trainer.train(trainer.init(jax.random.key(2)), key, 5)
    whole, m_whole = trainer.train(whole, key, 5)

    first, _ = trainer.train(trainer.init(jax.random.key(2)), key, 5)
    save_checkpoint(tmp_path / "a.ckpt", first, config)
    loaded = load_checkpoint(tmp_path / "a.ckpt", config)
    _assert_same(loaded, first)
    assert isinstance(loaded, VAEState if kind == "vae" else GANState)
    del first
    resumed, m_resumed = trainer.train(loaded, key, 5)
    _assert_same(resumed, whole)
    for name in m_whole:
        np.testing.assert_array_equal(m_resumed[name], m_whole[name])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_trainer_refuses_another_config_and_a_damaged_file(kind, tmp_path):
    config, make = KINDS[kind]
    path = tmp_path / "run.ckpt"
    save_checkpoint(path, make(config).init(jax.random.key(0)), config)
    other = dataclasses.replace(config, batch_size=8)
    with pytest.raises(ValueError, match="different config") as info:
        load_checkpoint(path, other)
    assert "batch_size: checkpoint" in str(info.value)
    for stranger in (c for c, _ in KINDS.values() if type(c) is not type(config)):
        with pytest.raises(ValueError, match=f"state of a {type(config).__name__}"):
            load_checkpoint(path, stranger)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="damaged"):
        load_checkpoint(path, config)


def test_image_seeds_and_custom_images_round_trip(tmp_path):
    trainer = make_image_trainer(IMAGE)
    keys = jax.random.split(jax.random.key(5), 2)
    states, _ = trainer.train_many(trainer.init_many(keys), keys, 3)
    save_checkpoint(tmp_path / "seeds.ckpt", states, IMAGE)
    loaded = load_checkpoint(tmp_path / "seeds.ckpt", IMAGE)
    _assert_same(loaded, states)
    assert loaded.step.shape == (2,)

    images = np.random.default_rng(0).uniform(-1, 1, (20, 12, 12)).astype(np.float32)
    custom = dataclasses.replace(IMAGE, dataset="custom")
    own = make_image_trainer(custom, images)
    state = own.init(jax.random.key(0))
    save_checkpoint(tmp_path / "own.ckpt", state, own)
    _assert_same(load_checkpoint(tmp_path / "own.ckpt", own), state)
    with pytest.raises(ValueError, match="make_image_trainer"):
        load_checkpoint(tmp_path / "own.ckpt", custom)  # its shapes come from the images
    other = make_image_trainer(custom, images[:, :8, :8])
    with pytest.raises(ValueError, match="image_shape"):
        load_checkpoint(tmp_path / "own.ckpt", other)
