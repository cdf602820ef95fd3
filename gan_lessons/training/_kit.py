"""The trainer kit: what every trainer of :mod:`gan_lessons.training` is built from.

* :class:`Config`, the base of the frozen configs, and :func:`setting`: each field declares its
  own check, ``check(name, value) -> normalised value``, and one ``__post_init__`` runs them
  all (then :meth:`Config.check_together` for rules that tie fields together).
* :class:`Trainer`, the skeleton: a config, a state type, ``init``/``train`` compiled once
  (``train`` as ``jax.jit`` with the state donated and ``num_steps`` static), the donation
  guard, :meth:`Trainer.precompile`, and :meth:`Trainer.fit` over the one host loop
  :func:`~gan_lessons.training.loop.run_chunks`. A trainer supplies the pure functions
  ``init_fn(key)`` and ``train_fn(state, key, num_steps, *inputs)``, where ``inputs`` are traced
  arguments such as an array of examples.
* :class:`Placement`: where states and batches live on the devices.
* Small shared checks: :func:`check_beta`, :func:`check_keys`, :func:`check_rows`, and
  :func:`with_learning_rate` for ``optax.inject_hyperparams`` states.

A private module (nothing here is re-exported as course API); its names are public so the
modules of the package may share them.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable, ClassVar, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from gan_lessons._validate import (
    as_finite_array, check_choice, check_int, check_key, check_positive_float)
from gan_lessons.runtime import jit
from gan_lessons.training.loop import run_chunks

Check = Callable[[str, Any], Any]


# ----------------------------------------------------------------------------- configs
def setting(default: Any, check: Check) -> Any:
    """A config field with its default and its check, ``check(name, value) -> value``."""
    return dataclasses.field(default=default, metadata={"check": check})


def redefault(config_type: type, name: str, default: Any) -> Any:
    """Field ``name`` of ``config_type`` (same check, same kind) with another default."""
    field = config_type.__dataclass_fields__[name]
    return dataclasses.field(default=default, metadata=field.metadata, kw_only=field.kw_only)


def at_least(minimum: int) -> Check:
    """The check of an integer field >= ``minimum``."""
    return lambda name, value: check_int(name, value, minimum=minimum)


def one_of(options: Any) -> Check:
    """The check of a field holding one of the strings ``options``."""
    return lambda name, value: check_choice(name, value, options)


def positive(name: str, value: Any) -> float:
    """The check of a finite float field > 0."""
    return check_positive_float(name, value)


def check_beta(name: str, value: Any) -> float:
    """An Adam decay rate: a float in [0, 1)."""
    number = check_positive_float(name, value, allow_zero=True)
    if number >= 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return number


class Config:
    """Base of the frozen config dataclasses: validates and normalises every field once.

    Each field made with :func:`setting` carries its check; ``__post_init__`` stores what the
    check returns (a tuple for a list, say), so equal settings give equal, hashable configs.
    Errors name the field, the value and what was expected. The repr lists the fields in the
    order of the constructor's signature.
    """

    def __post_init__(self) -> None:
        for field in self._signature_fields():
            check = field.metadata.get("check")
            if check is not None:
                object.__setattr__(self, field.name, check(field.name, getattr(self, field.name)))
        self.check_together()

    def check_together(self) -> None:
        """Rules that tie several fields together (none here); raise ValueError naming them."""

    def _signature_fields(self) -> list:
        return sorted(dataclasses.fields(self), key=lambda field: field.kw_only)

    def __repr__(self) -> str:
        body = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self._signature_fields())
        return f"{type(self).__name__}({body})"


# ----------------------------------------------------------------------------- small checks
def check_keys(name: str, keys: Any) -> jax.Array:
    """Check that ``keys`` is a 1-D batch of typed keys, e.g. ``jax.random.split(key, n)``."""
    if not (isinstance(keys, jax.Array) and jax.dtypes.issubdtype(keys.dtype, jax.dtypes.prng_key)):
        raise TypeError(f"{name} must be a 1-D array of typed JAX keys such as "
                        f"jax.random.split(jax.random.key(0), 4), got {type(keys).__name__}")
    if keys.ndim != 1 or keys.shape[0] < 1:
        raise ValueError(f"{name} must be a 1-D array of at least one typed key (one per seed), "
                         f"got shape {tuple(keys.shape)}")
    return keys


def check_rows(name: str, value: Any, width: int) -> jax.Array:
    """``value`` as a float32 array of shape (N, width), or a ValueError naming ``name``."""
    array = as_finite_array(name, value, ndim=2)
    if array.shape[1] != width:
        raise ValueError(f"{name} must have shape (N, {width}), got shape {array.shape}")
    return jnp.asarray(array, dtype=jnp.float32)


def with_learning_rate(opt_state: Any, value: float) -> Any:
    """A copy of an ``inject_hyperparams`` state with a new learning rate of the same aval.

    The new array has the dtype, shape and weak type of the old one, so a jitted function
    that receives it hits the same compiled executable.
    """
    old = opt_state.hyperparams["learning_rate"]
    new = jnp.full(old.shape, value, dtype=old.dtype)
    if getattr(old, "weak_type", False):  # optax makes strong arrays; keep weak ones weak
        new = old * 0 + value
    return opt_state._replace(hyperparams={**opt_state.hyperparams, "learning_rate": new})


# ----------------------------------------------------------------------------- devices
def seed_sharding(num_seeds: int) -> jax.sharding.NamedSharding | None:
    """How seeds side by side are placed (``init_many``, ``train_many``, ``sample_many``).

    With several devices (GPUs, TPU cores, or the CPU devices of
    :func:`gan_lessons.runtime.configure_cpu_devices`), the leading seed axis is split evenly
    over all of them, so independent seeds train in parallel; each seed's computation is the
    same as on one device. Returns ``None`` (everything on the default device) when there is
    one device or ``num_seeds`` is not a multiple of the device count.
    """
    devices = jax.devices()
    if len(devices) < 2 or num_seeds % len(devices):
        return None
    mesh = jax.sharding.Mesh(np.array(devices), ("seed",))
    return jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("seed"))


@dataclasses.dataclass(frozen=True)
class Placement:
    """Where a trainer's arrays live: a part of the trainer.

    Attributes:
      state: the sharding of one run's state and stored data (``None``: JAX's default device).
      batch: the sharding a batch of examples is constrained to inside the compiled step, split
        along its first axis (``None``: no constraint).

    ``Placement()`` leaves everything to JAX. :meth:`data_parallel` replicates the state over
    every device and splits each batch over them; XLA then sums the gradients across devices.
    Seeds side by side are split over the devices by seed (:func:`seed_sharding`), and the
    batch constraint is dropped inside them.
    """

    state: jax.sharding.Sharding | None = None
    batch: jax.sharding.Sharding | None = None

    @classmethod
    def data_parallel(cls, batch_size: int) -> Placement:
        """Replicated state, batches split over all of ``jax.devices()`` (if more than one)."""
        devices = jax.devices()
        if batch_size % len(devices):
            raise ValueError(f"batch_size must be a multiple of the {len(devices)} devices JAX "
                             f"sees (the batch is split evenly over them), got {batch_size}")
        mesh = jax.sharding.Mesh(np.array(devices), ("data",))
        split = jax.sharding.PartitionSpec("data")
        return cls(jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec()),
                   jax.sharding.NamedSharding(mesh, split) if len(devices) > 1 else None)

    def put(self, tree: Any) -> Any:
        """``tree`` on the devices of one run."""
        return tree if self.state is None else jax.device_put(tree, self.state)

    def put_seeds(self, tree: Any, num_seeds: int) -> Any:
        """``tree``, with a leading seed axis, split over the devices by seed where it can be."""
        sharding = seed_sharding(num_seeds) or self.state
        return tree if sharding is None else jax.device_put(tree, sharding)

    def split_batch(self, x: jax.Array) -> jax.Array:
        """Inside traced code: ``x`` constrained to be split along its first axis."""
        return x if self.batch is None else jax.lax.with_sharding_constraint(x, self.batch)


def unsplit(x: jax.Array) -> jax.Array:
    """The batch constraint of seeds side by side: none."""
    return x


# ----------------------------------------------------------------------------- the skeleton
class FitResult(NamedTuple):
    """What :meth:`Trainer.fit` returns.

    Attributes:
      state: the state after the last chunk that ran (after a divergence it holds non-finite
        values: keep a checkpoint of an earlier state to go back to).
      metrics: the per-step metrics of every chunk that ran, concatenated, arrays of shape
        (steps_done,).
      steps_done: the number of training steps this call ran.
      diverged_at: ``None``, or the absolute step (``state.step`` counting) of the first
        non-finite watched loss; the run stopped at the end of that chunk.
    """

    state: Any
    metrics: dict
    steps_done: int
    diverged_at: int | None


class Trainer:
    """The skeleton of every trainer: config, compiled ``init``/``train``, donation guard, fit.

    A subclass sets the class attributes, defines the pure ``init_fn(key)`` and
    ``train_fn(state, key, num_steps, *inputs)`` (no validation, no jit; ``inputs`` are traced
    arguments), and wraps :meth:`train` and :meth:`precompile` with its own signature. Step t
    of ``train_fn`` must draw its randomness from ``jax.random.fold_in(key, t)``, t the state's
    ``step``, so that a run does not depend on how its steps are cut into calls.
    """

    config_type: ClassVar[type] = object
    state_type: ClassVar[type] = tuple
    metric_names: ClassVar[tuple[str, ...]] = ()
    watched: ClassVar[tuple[str, ...]] = ()
    """The metrics whose first non-finite value stops :meth:`fit`."""

    def __init__(self, config: Any, placement: Placement = Placement()):
        if not isinstance(config, self.config_type):
            raise TypeError(f"config must be a {self.config_type.__name__}, "
                            f"got {type(config).__name__}")
        self.config = config
        self.placement = placement

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config!r})"

    @functools.cached_property
    def _init_jit(self):
        return jit(self.init_fn)

    @functools.cached_property
    def _train_jit(self):
        return jit(self.train_fn, static_argnums=2, donate_argnums=0)

    def check_state(self, state: Any) -> Any:
        """``state`` if it is a live state of this trainer: a TypeError for another type, a
        ValueError if its buffers were donated to an earlier ``train`` call."""
        name, owner = self.state_type.__name__, type(self).__name__
        if not isinstance(state, self.state_type):
            raise TypeError(f"state must be a {name} from {owner}.init, got {type(state).__name__}")
        if any(getattr(leaf, "is_deleted", lambda: False)() for leaf in jax.tree.leaves(state)):
            raise ValueError(f"state was donated to an earlier {owner}.train call and its arrays "
                             "are gone; use the state that call returned")
        return state

    def init(self, key: jax.Array) -> Any:
        """A fresh training state (step 0); the same typed key gives the same state."""
        return self.placement.put(self._init_jit(check_key("key", key)))

    def train(self, state: Any, key: jax.Array, num_steps: int, *inputs: Any) -> tuple[Any, Any]:
        """``num_steps`` training steps in one compiled call; ``state`` is donated.

        ``inputs`` are the trainer's traced arguments, already validated by the subclass.
        """
        self.check_state(state)
        check_key("key", key)
        num_steps = check_int("num_steps", num_steps, minimum=1)
        return self._train_jit(self.placement.put(state), key, num_steps, *inputs)

    def precompile(self, num_steps: int, *inputs: Any) -> None:
        """Compile ``train`` for chunks of ``num_steps`` steps ahead of time, without training.

        JAX keeps the executable, so the first ``train`` call of that length starts at once
        (a panel calls this while it shows a "compiling" note).
        """
        num_steps = check_int("num_steps", num_steps, minimum=1)
        key = jax.random.key(0)
        self._train_jit.lower(self.init(key), key, num_steps, *inputs).compile()

    def fit(self, state: Any, key: jax.Array, total_steps: int, *, chunk: int = 500,
            callback: Callable[[int, dict], Any] | None = None,
            progress: bool = False) -> FitResult:
        """Train for ``total_steps`` steps in chunks, stopping early if a watched loss diverges.

        Runs :meth:`train` with ``chunk`` steps per call (and one shorter call for a remainder,
        which compiles once more) through :func:`~gan_lessons.training.loop.run_chunks`, so the
        result equals one long :meth:`train` call. After each chunk it checks the watched
        losses; at the first non-finite value it stops and reports that step in
        :attr:`FitResult.diverged_at`; it does not raise. ``state`` is donated.

        Args:
          state: the state to start from.
          key: the run's typed key (the same key as earlier calls continues the same run).
          total_steps: the number of steps to run (>= 1).
          chunk: steps per compiled call (>= 1).
          callback: called as ``callback(steps_done, metrics_chunk)`` after every chunk, for
            instance to redraw a panel; its return value is ignored.
          progress: print a one-line progress report, rewritten in place.

        Returns:
          A :class:`FitResult` ``(state, metrics, steps_done, diverged_at)``.
        """
        self.check_state(state)
        check_key("key", key)
        total_steps = check_int("total_steps", total_steps, minimum=1)
        chunk = check_int("chunk", chunk, minimum=1)
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be callable or None, got {type(callback).__name__}")
        chunks, done, diverged_at = [], 0, None
        for item in run_chunks(self.train, state, key, total_steps, chunk=chunk,
                               start_step=int(state.step), names=self.watched,
                               progress=progress):
            state, done, diverged_at = item.state, item.done, item.diverged_at
            chunks.append(item.metrics)
            if callback is not None:
                callback(done, item.metrics)
        metrics = {name: np.concatenate([m[name] for m in chunks]) for name in self.metric_names}
        return FitResult(state, metrics, done, diverged_at)

