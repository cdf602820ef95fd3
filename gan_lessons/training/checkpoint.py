"""Checkpoints of training states: save, verify and restore, never pickle.

A checkpoint holds one training state and the config it was trained with: a
:class:`~gan_lessons.training.gan.GANState` of a :class:`~gan_lessons.training.gan.GANConfig` or an
:class:`~gan_lessons.training.image_gan.ImageGANConfig` (one seed, or a batch of seeds from
:meth:`~gan_lessons.training.gan.GANTrainer.init_many`), or a
:class:`~gan_lessons.training.vae.VAEState` of a :class:`~gan_lessons.training.vae.VAEConfig`.
The file is::

    MAGIC (8 bytes) | header length (4 bytes, little endian) | header (JSON, UTF-8)
    | SHA-256 (32 bytes) | payload (msgpack, flax.serialization)

The header records the format version, the config's type and fields (and the image shape of an
image GAN), the number of seeds and the step; the SHA-256 covers header and payload, so any damaged byte is detected. The payload
maps each leaf's path in the state to its array, written with
``flax.serialization.msgpack_serialize`` (plain arrays and numbers; no Python objects).

Files are written atomically: to a temporary file in the same directory, flushed and
``fsync``-ed, then renamed over the target with ``os.replace``. A crash leaves either the
old checkpoint or the new one, never half of one.

Resuming is exact: the training randomness depends only on the run's key and the step
counter stored in the state, so loading a state and training on with the *same key* gives
bit for bit the result of a run that was never interrupted (on the same device)::

    save_checkpoint("run.ckpt", state, config)
    state = load_checkpoint("run.ckpt", config)
    state, metrics = make_trainer(config).train(state, key, 500)

The key is not stored: keep the seed of the run beside the checkpoint. A checkpoint is keyed
on its config: loading it with another config, or a config of another type, is a ValueError
that names the difference.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import struct
import tempfile
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from flax import serialization

from gan_lessons.training._kit import Trainer
from gan_lessons.training.gan import GANConfig, make_trainer
from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer
from gan_lessons.training.vae import VAEConfig, make_vae_trainer

__all__ = ["FORMAT_VERSION", "MAGIC", "load_checkpoint", "save_checkpoint"]

MAGIC = b"GANLCKPT"
"""The first 8 bytes of every checkpoint file."""

FORMAT_VERSION = 1
"""The version of the file format written by :func:`save_checkpoint`."""

_LENGTH = struct.Struct("<I")
_DIGEST_SIZE = 32


_MAKERS = {GANConfig: make_trainer, ImageGANConfig: make_image_trainer,
           VAEConfig: make_vae_trainer}


def _trainer(config: Any) -> Trainer:
    """The trainer of ``config`` (a config, or a trainer built from one)."""
    if isinstance(config, Trainer) and type(config.config) in _MAKERS:
        return config
    if type(config) not in _MAKERS:
        raise TypeError("config must be a GANConfig, ImageGANConfig or VAEConfig (or the trainer "
                        f"built from one), got {type(config).__name__}")
    if isinstance(config, ImageGANConfig) and config.dataset == "custom":
        raise ValueError("config has dataset='custom', whose shapes come from its images: pass "
                         "the trainer from make_image_trainer(config, images) instead")
    return _MAKERS[type(config)](config)


def _config_dict(trainer: Trainer) -> dict:
    """The trainer's config as a JSON-ready dict (tuples become lists), with the image shape of
    an image GAN."""
    fields = dataclasses.asdict(trainer.config)
    if getattr(trainer, "image_shape", None) is not None:
        fields["image_shape"] = trainer.image_shape
    return json.loads(json.dumps(fields))


def _leaf_paths(tree: Any) -> list[tuple[str, Any]]:
    return [(jax.tree_util.keystr(path), leaf)
            for path, leaf in jax.tree_util.tree_leaves_with_path(tree)]


def _num_seeds(state: Any) -> int | None:
    shape = tuple(np.shape(state.step))
    return None if shape == () else int(shape[0])


def _template(trainer: Trainer, num_seeds: int | None) -> Any:
    """The abstract structure (shapes and dtypes, nothing computed) of a fresh state."""
    if num_seeds is None:
        return jax.eval_shape(trainer.init_fn, jax.random.key(0))
    keys = jax.random.split(jax.random.key(0), num_seeds)
    return jax.eval_shape(jax.vmap(trainer.init_fn), keys)


def save_checkpoint(path: str | os.PathLike, state: Any, config: Any) -> None:
    """Write ``state`` and ``config`` to ``path`` atomically.

    Args:
      path: the file to write; its directory must exist. An existing file is replaced.
      state: a state of the config's trainer: a ``GANState`` (one seed, or a batch of seeds from
        ``init_many``/``train_many``) or a ``VAEState``. It is only read, not donated.
      config: the :class:`GANConfig`, :class:`ImageGANConfig` or :class:`VAEConfig` the state
        was trained with, or the trainer built from it (needed for an image GAN on custom
        images, whose shapes come from the images).

    Raises:
      TypeError: if ``state`` or ``config`` has the wrong type.
      ValueError: if ``state`` does not have the structure ``config`` gives.
      FileNotFoundError: if the directory does not exist.
    """
    trainer = _trainer(config)
    trainer.check_state(state)
    num_seeds = _num_seeds(state)
    template = _template(trainer, num_seeds)
    if jax.tree.structure(template) != jax.tree.structure(state):
        raise ValueError("state does not have the structure of a state of this config")
    payload_dict = {}
    for (name, leaf), (_, spec) in zip(_leaf_paths(state), _leaf_paths(template)):
        array = np.asarray(jax.device_get(leaf))
        if array.shape != spec.shape or array.dtype != spec.dtype:
            raise ValueError(f"state leaf {name} has shape {array.shape} and dtype {array.dtype}"
                             f"; this config expects {spec.shape} and {spec.dtype}")
        payload_dict[name] = array
    payload = serialization.msgpack_serialize(payload_dict)
    header = json.dumps({
        "format": "gan_lessons.training.checkpoint",
        "version": FORMAT_VERSION,
        "config_type": type(trainer.config).__name__,
        "config": _config_dict(trainer),
        "num_seeds": num_seeds,
        "step": np.asarray(state.step).tolist(),
    }, sort_keys=True).encode("utf-8")
    digest = hashlib.sha256(header + payload).digest()
    data = MAGIC + _LENGTH.pack(len(header)) + header + digest + payload

    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"the directory of the checkpoint does not exist: {directory}")
    fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp",
                                dir=directory)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
    try:  # make the rename itself durable where the platform allows it
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _damaged(path: str, why: str) -> ValueError:
    return ValueError(f"the checkpoint {path} is damaged or not a gan_lessons checkpoint: {why}")


def _read(path: str) -> tuple[dict, bytes]:
    """The verified header and payload of the file at ``path``."""
    with open(path, "rb") as file:
        data = file.read()
    fixed = len(MAGIC) + _LENGTH.size
    if len(data) < fixed or data[:len(MAGIC)] != MAGIC:
        raise _damaged(path, "it does not start with the checkpoint signature")
    (length,) = _LENGTH.unpack_from(data, len(MAGIC))
    if len(data) < fixed + length + _DIGEST_SIZE:
        raise _damaged(path, f"it is truncated ({len(data)} bytes)")
    header = data[fixed:fixed + length]
    digest = data[fixed + length:fixed + length + _DIGEST_SIZE]
    payload = data[fixed + length + _DIGEST_SIZE:]
    if hashlib.sha256(header + payload).digest() != digest:
        raise _damaged(path, "its SHA-256 checksum does not match (truncated or altered)")
    try:
        header_dict = json.loads(header.decode("utf-8"))
    except ValueError as err:
        raise _damaged(path, "its header cannot be read") from err
    if not isinstance(header_dict, dict) or header_dict.get("format") != "gan_lessons.training.checkpoint":
        raise _damaged(path, "its header is not a gan_lessons checkpoint header")
    return header_dict, payload


def load_checkpoint(path: str | os.PathLike, config: Any) -> Any:
    """Read a checkpoint written by :func:`save_checkpoint` and check it against ``config``.

    Args:
      path: the checkpoint file.
      config: the config to resume with (or its trainer, as in :func:`save_checkpoint`); it
        must have the stored config's type and equal it field by field.

    Returns:
      The stored state, with the structure, shapes and dtypes of ``trainer.init(key)`` for the
      config's trainer (with a leading seed axis if a batch was saved), on the default device,
      ready for ``train`` (or ``train_many``).

    Raises:
      FileNotFoundError: if there is no file at ``path``.
      ValueError: if the file is damaged (the message says "damaged"), has another format
        version, or was saved with a config of another type or with other fields (the
        message names them).
      TypeError: if ``config`` is not one of the three configs (or a trainer of one).

    Example:
      >>> import os, tempfile
      >>> config = GANConfig(generator_hidden=(8,), discriminator_hidden=(8,), batch_size=16)
      >>> state = make_trainer(config).init(jax.random.key(0))
      >>> path = os.path.join(tempfile.mkdtemp(), "run.ckpt")
      >>> save_checkpoint(path, state, config)
      >>> int(load_checkpoint(path, config).step)
      0
      >>> load_checkpoint(path, GANConfig(generator_hidden=(8,), discriminator_hidden=(8,),
      ...                                 batch_size=32))
      Traceback (most recent call last):
      ...
      ValueError: the checkpoint ... was saved with a different config; differing fields: batch_size: checkpoint 16, given 32
    """
    trainer = _trainer(config)
    path = os.fspath(path)
    header, payload = _read(path)
    if header.get("version") != FORMAT_VERSION:
        raise ValueError(f"the checkpoint {path} has format version {header.get('version')!r}; "
                         f"this version of gan_lessons reads version {FORMAT_VERSION}")
    kind, given = header.get("config_type", "GANConfig"), type(trainer.config).__name__
    if kind != given:
        raise ValueError(f"the checkpoint {path} holds the state of a {kind}, not of the "
                         f"{given} given")
    stored, expected = header.get("config"), _config_dict(trainer)
    if stored != expected:
        stored = stored if isinstance(stored, dict) else {}
        fields = sorted(set(stored) | set(expected))
        diffs = [f"{name}: checkpoint {stored.get(name, '<missing>')!r}, "
                 f"given {expected.get(name, '<missing>')!r}"
                 for name in fields if stored.get(name) != expected.get(name)]
        raise ValueError(f"the checkpoint {path} was saved with a different config; "
                         f"differing fields: {'; '.join(diffs)}")
    num_seeds = header.get("num_seeds")
    if num_seeds is not None and (not isinstance(num_seeds, int) or num_seeds < 1):
        raise _damaged(path, f"its header has an invalid number of seeds {num_seeds!r}")
    try:
        arrays = serialization.msgpack_restore(payload)
    except Exception as err:  # noqa: BLE001 -- any decoding failure means a bad payload
        raise _damaged(path, "its payload cannot be decoded") from err
    template = _template(trainer, num_seeds)
    specs = _leaf_paths(template)
    if not isinstance(arrays, dict) or set(arrays) != {name for name, _ in specs}:
        raise _damaged(path, "its arrays do not match the state of this config")
    leaves = []
    for name, spec in specs:
        array = np.asarray(arrays[name])
        if array.shape != spec.shape or array.dtype != spec.dtype:
            raise _damaged(path, f"array {name} has shape {array.shape} and dtype "
                                 f"{array.dtype}; expected {spec.shape} and {spec.dtype}")
        leaves.append(jnp.asarray(array))
    return jax.tree.unflatten(jax.tree.structure(template), leaves)
