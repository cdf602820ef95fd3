"""Tests for gan_lessons.training.checkpoint: round trip, exact resume, damage, mismatch, atomicity."""

import os

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gan_lessons.training.checkpoint import MAGIC, load_checkpoint, save_checkpoint
from gan_lessons.training.gan import GANConfig, GANState, make_trainer

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
