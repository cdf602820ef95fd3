"""The GAN training engine: objects built once, pure functions to train.

A :class:`GANConfig` (frozen, hashable) fixes every structural choice: data set, widths,
batch size, loss, k. :func:`make_trainer` turns it into a :class:`GANTrainer`, which splits
the Flax NNX generator and discriminator once into graph definitions and parameter states
and compiles the training loop::

    trainer = make_trainer(GANConfig(dataset="ring"))
    state = trainer.init(jax.random.key(0))
    key = jax.random.key(1)
    for chunk in range(10):
        state, metrics = trainer.train(state, key, 500)   # 500 steps, one compiled call
        points = trainer.sample(state, jax.random.key(2), 1000)

One call of :meth:`GANTrainer.train` runs ``num_steps`` training steps as a single
``jax.jit`` over ``jax.lax.scan``; real data and latent codes are sampled inside the compiled
function. A training step is Algorithm 1 of Goodfellow et al. (2014): ``k = d_steps``
discriminator updates, each on a fresh real batch and a fresh fake batch, then one
generator update. Both players use Adam through ``optax.inject_hyperparams``, so
:meth:`GANTrainer.set_learning_rates` changes the learning rates between calls without
recompiling.

Randomness: the key of training step t (counted from 0 over the life of the state) is
``jax.random.fold_in(key, t)``. The same state and key always give the same result, and
the result does not depend on how the steps are cut into calls: ``train(s, key, 300)``
equals ``train`` for 100 steps then for 200 steps with the same key.

The pure, unvalidated functions :meth:`GANTrainer.init_fn`, :meth:`GANTrainer.train_fn`,
:meth:`GANTrainer.sample_fn` and :meth:`GANTrainer.probability_fn` are exposed for composing
with ``jax.vmap`` and other transformations. :meth:`GANTrainer.init_many` and
:meth:`GANTrainer.train_many` do that for many seeds side by side: ``jax.jit(jax.vmap(...))``
over a leading seed axis.

Long runs: :meth:`GANTrainer.fit` drives :meth:`GANTrainer.train` chunk by chunk, shows an
optional progress line, calls an optional callback after every chunk (a panel redraws there),
and stops after the first chunk in which a loss is not finite, returning the absolute step
of the divergence (see :func:`first_nonfinite_step`) instead of raising. Checkpoints of a
state are in :mod:`gan_lessons.training.checkpoint`.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from gan_lessons._validate import (
    as_finite_array,
    check_choice,
    check_int,
    check_key,
    check_positive_float,
)
from gan_lessons.data import DATASETS, Mixture1D, Mixture2D, get_dataset, sample_dataset
from gan_lessons.densities import Gaussian, GaussianMixture
from gan_lessons.losses import GENERATOR_LOSSES, discriminator_loss, generator_loss
from gan_lessons.models import (
    BatchNormGenerator,
    Discriminator,
    Generator,
    MaxoutDiscriminator,
    _check_hidden,
    make_discriminator,
    make_generator,
)

__all__ = [
    "FitResult",
    "GANConfig",
    "GANState",
    "GANTrainer",
    "LOSS_NAMES",
    "METRIC_NAMES",
    "ARCHITECTURES",
    "PACGAN_RING",
    "PACGAN_GRID",
    "first_nonfinite_step",
    "make_trainer",
    "seed_sharding",
]

METRIC_NAMES = ("d_loss", "g_loss", "d_real", "d_fake", "value", "d_grad_norm", "g_grad_norm")
"""The per-step metrics returned by :meth:`GANTrainer.train`, in a fixed order."""

ARCHITECTURES = ("mlp", "pacgan")
"""The network families :attr:`GANConfig.architecture` accepts."""

LOSS_NAMES = ("d_loss", "g_loss")
"""The metrics watched for divergence by :func:`first_nonfinite_step` and :meth:`GANTrainer.fit`."""


def _check_beta(name: str, value: Any) -> float:
    number = check_positive_float(name, value, allow_zero=True)
    if number >= 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return number


def _check_training_fields(config: Any, put: Callable[[str, Any], None]) -> None:
    """Validate (and normalise with ``put``) the fields every GAN config shares: batch_size,
    loss, d_steps, generator_lr, discriminator_lr, b1 and b2."""
    put("batch_size", check_int("batch_size", config.batch_size, minimum=1))
    put("loss", check_choice("loss", config.loss, GENERATOR_LOSSES))
    put("d_steps", check_int("d_steps", config.d_steps, minimum=1))
    put("generator_lr", check_positive_float("generator_lr", config.generator_lr))
    put("discriminator_lr", check_positive_float("discriminator_lr", config.discriminator_lr))
    put("b1", _check_beta("b1", config.b1))
    put("b2", _check_beta("b2", config.b2))


@dataclass(frozen=True)
class GANConfig:
    """Everything structural about a GAN run on 1-D or 2-D toy data; frozen and hashable.

    Attributes:
      dataset: a name from :data:`gan_lessons.data.DATASETS` (``"ring"``, ``"grid"``,
        ``"bimodal_1d"``, ``"gaussian_1d"``), a :class:`~gan_lessons.data.Mixture2D` or
        :class:`~gan_lessons.data.Mixture1D`, or a concrete 1-D
        :class:`~gan_lessons.densities.Gaussian` / ``GaussianMixture``, which is stored as the
        equivalent (hashable) :class:`~gan_lessons.data.Mixture1D`. The data dimension
        (:attr:`data_dim`, 1 or 2) follows from it; the same engine trains both.
      latent_dim: the dimension of the latent code z ~ N(0, I).
      generator_hidden: hidden widths of the generator (for ``"pacgan"``: of its
        batch-norm layers).
      discriminator_hidden: hidden widths of the discriminator MLP (for ``"pacgan"``: the
        units of its maxout layers).
      batch_size: real and fake samples per update (each).
      loss: the generator loss, ``"non_saturating"`` or ``"saturating"``.
      d_steps: k, discriminator updates per generator update (>= 1).
      generator_lr, discriminator_lr: initial Adam learning rates (> 0); change them later with
        :meth:`GANTrainer.set_learning_rates`.
      b1, b2: Adam's decay rates, in [0, 1).
      architecture: ``"mlp"`` (ReLU MLPs for G and D) or ``"pacgan"``: the networks of
        Lin et al. (2018), a generator with ``Linear -> BatchNorm -> ReLU`` hidden layers
        (:class:`~gan_lessons.models.BatchNormGenerator`) and a maxout discriminator
        (:class:`~gan_lessons.models.MaxoutDiscriminator`); the widths still come from
        ``generator_hidden`` and ``discriminator_hidden`` (see :data:`PACGAN_RING` for the
        paper's values). The generator's batch-norm statistics live in ``GANState.g_rest``;
        training uses batch statistics, :meth:`GANTrainer.sample` the running averages.
      maxout_pieces: pieces per maxout unit (>= 1), used by ``"pacgan"`` only.

    Raises:
      ValueError or TypeError naming the field when a value is invalid.
    """

    dataset: Any = "ring"
    latent_dim: int = 2
    generator_hidden: tuple[int, ...] = (128, 128)
    discriminator_hidden: tuple[int, ...] = (128, 128)
    batch_size: int = 256
    loss: str = "non_saturating"
    d_steps: int = 1
    generator_lr: float = 1e-3
    discriminator_lr: float = 1e-3
    b1: float = 0.5
    b2: float = 0.999
    architecture: str = "mlp"
    maxout_pieces: int = 5

    def __post_init__(self) -> None:
        def put(field: str, value: Any) -> None:
            object.__setattr__(self, field, value)

        dataset = self.dataset
        if isinstance(dataset, (Gaussian, GaussianMixture)):
            try:
                dataset = Mixture1D.from_density(dataset, name="custom_1d")
            except (TypeError, ValueError, jax.errors.ConcretizationTypeError) as error:
                raise ValueError(f"dataset must be a concrete 1-D density, got {dataset!r}: "
                                 f"{error}") from error
        if not isinstance(dataset, (Mixture1D, Mixture2D)):
            if not isinstance(dataset, str):
                raise TypeError("dataset must be a name, a Mixture1D/Mixture2D or a 1-D "
                                f"Gaussian/GaussianMixture, got {type(dataset).__name__}")
            dataset = check_choice("dataset", dataset, DATASETS)
        put("dataset", dataset)
        put("latent_dim", check_int("latent_dim", self.latent_dim, minimum=1))
        put("generator_hidden", _check_hidden("generator_hidden", self.generator_hidden))
        put("discriminator_hidden",
            _check_hidden("discriminator_hidden", self.discriminator_hidden))
        _check_training_fields(self, put)
        put("architecture", check_choice("architecture", self.architecture, ARCHITECTURES))
        put("maxout_pieces", check_int("maxout_pieces", self.maxout_pieces, minimum=1))

    @property
    def mixture(self) -> Mixture1D | Mixture2D:
        """The data set of :attr:`dataset` (looked up when it is a name)."""
        return get_dataset(self.dataset) if isinstance(self.dataset, str) else self.dataset

    @property
    def data_dim(self) -> int:
        """The dimension of the data: 2 for the 2-D mixtures, 1 for the 1-D ones."""
        return self.mixture.data_dim


class GANState(NamedTuple):
    """The whole training state, a pytree of arrays (no Python objects).

    Attributes:
      g_params, d_params: the NNX parameter states (``nnx.Param`` variables) of G and D.
      g_opt_state, d_opt_state: the optax states; the learning rate lives in
        ``opt_state.hyperparams["learning_rate"]``.
      step: the number of training steps taken, an int32 scalar.
      g_rest, d_rest: the non-parameter NNX variables of G and D (for instance batch
        statistics); empty for the plain MLPs, threaded through training all the same.
    """

    g_params: nnx.State
    d_params: nnx.State
    g_opt_state: optax.OptState
    d_opt_state: optax.OptState
    step: jax.Array
    g_rest: nnx.State
    d_rest: nnx.State


def _check_state(state: Any) -> GANState:
    if not isinstance(state, GANState):
        raise TypeError(f"state must be a GANState from GANTrainer.init, got {type(state).__name__}")
    if any(getattr(leaf, "is_deleted", lambda: False)() for leaf in jax.tree.leaves(state)):
        raise ValueError("state was donated to an earlier GANTrainer.train call and its arrays "
                         "are gone; use the state that call returned")
    return state


def _check_keys(name: str, keys: Any) -> jax.Array:
    """Check that ``keys`` is a 1-D batch of typed keys, e.g. ``jax.random.split(key, n)``."""
    if not (isinstance(keys, jax.Array) and jax.dtypes.issubdtype(keys.dtype, jax.dtypes.prng_key)):
        raise TypeError(f"{name} must be a 1-D array of typed JAX keys such as "
                        f"jax.random.split(jax.random.key(0), 4), got {type(keys).__name__}")
    if keys.ndim != 1 or keys.shape[0] < 1:
        raise ValueError(f"{name} must be a 1-D array of at least one typed key (one per seed), "
                         f"got shape {tuple(keys.shape)}")
    return keys


def seed_sharding(num_seeds: int) -> jax.sharding.NamedSharding | None:
    """How :meth:`GANTrainer.init_many` and :meth:`GANTrainer.train_many` place seeds.

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


def _place_seeds(tree: Any, num_seeds: int) -> Any:
    sharding = seed_sharding(num_seeds)
    return tree if sharding is None else jax.device_put(tree, sharding)


def _check_states(states: Any, num_seeds: int) -> GANState:
    """Check a batch of states from :meth:`GANTrainer.init_many` against the number of keys."""
    _check_state(states)
    shape = tuple(states.step.shape)
    if shape != (num_seeds,):
        raise ValueError(f"states must have a leading seed axis of length {num_seeds} (one per "
                         f"key), got a step counter of shape {shape}; build them with "
                         f"GANTrainer.init_many")
    return states


def first_nonfinite_step(metrics: dict, start_step: int = 0) -> int | list[int | None] | None:
    """The absolute training step of the first non-finite ``d_loss`` or ``g_loss``.

    Args:
      metrics: the metrics of :meth:`GANTrainer.train` (arrays of shape (num_steps,)) or of
        :meth:`GANTrainer.train_many` (shape (num_seeds, num_steps)).
      start_step: the state's step counter *before* the call that produced ``metrics``
        (``int(state.step)``), so that the answer counts from the start of training.

    Returns:
      ``None`` when every loss is finite, else the step number ``start_step + i`` of the first
      offending step ``i``; with a seed axis, a list with one such answer per seed.

    Example:
      >>> metrics = {"d_loss": np.array([1.3, 1.2, np.nan, 1.0]), "g_loss": np.ones(4)}
      >>> first_nonfinite_step(metrics, start_step=100)
      102
      >>> first_nonfinite_step({"d_loss": np.ones(3), "g_loss": np.ones(3)}) is None
      True
    """
    start_step = check_int("start_step", start_step, minimum=0)
    missing = [name for name in LOSS_NAMES if name not in metrics]
    if missing:
        raise ValueError(f"metrics must contain {', '.join(LOSS_NAMES)}; missing {missing}")
    losses = [np.asarray(metrics[name]) for name in LOSS_NAMES]
    if losses[0].ndim not in (1, 2) or any(x.shape != losses[0].shape for x in losses):
        raise ValueError("metrics must hold arrays of shape (num_steps,) or (num_seeds, num_steps)"
                         f", got shapes {[x.shape for x in losses]}")
    bad = ~np.isfinite(losses[0]) | ~np.isfinite(losses[1])

    def first(row: np.ndarray) -> int | None:
        hits = np.flatnonzero(row)
        return start_step + int(hits[0]) if hits.size else None

    return first(bad) if bad.ndim == 1 else [first(row) for row in bad]


class FitResult(NamedTuple):
    """What :meth:`GANTrainer.fit` returns.

    Attributes:
      state: the state after the last chunk that ran (after a divergence it holds non-finite
        values: keep a checkpoint of an earlier state to go back to).
      metrics: the per-step metrics of every chunk that ran, concatenated, arrays of shape
        (steps_done,).
      steps_done: the number of training steps this call ran.
      diverged_at: ``None``, or the absolute step (``state.step`` counting) of the first
        non-finite ``d_loss`` or ``g_loss``; the run stopped at the end of that chunk.
    """

    state: GANState
    metrics: dict
    steps_done: int
    diverged_at: int | None


def _rows(name: str, value: Any, width: int) -> jax.Array:
    """``value`` as a float32 array of shape (N, width), or a ValueError naming ``name``."""
    array = as_finite_array(name, value, ndim=2)
    if array.shape[1] != width:
        raise ValueError(f"{name} must have shape (N, {width}), got shape {array.shape}")
    return jnp.asarray(array, dtype=jnp.float32)


def _global_norm(tree: Any) -> jax.Array:
    """The L2 norm of all the leaves of ``tree`` taken as one vector."""
    return jnp.sqrt(sum(jnp.sum(jnp.square(leaf)) for leaf in jax.tree.leaves(tree)))


def _with_learning_rate(opt_state: Any, value: float) -> Any:
    """A copy of an inject_hyperparams state with a new learning rate of the same aval.

    The new array has the dtype, shape and weak type of the old one, so a jitted function
    that receives it hits the same compiled executable.
    """
    old = opt_state.hyperparams["learning_rate"]
    new = jnp.full(old.shape, value, dtype=old.dtype)
    if getattr(old, "weak_type", False):  # optax makes strong arrays; keep weak ones weak
        new = old * 0 + value
    return opt_state._replace(hyperparams={**opt_state.hyperparams, "learning_rate": new})


class GANTrainer:
    """A compiled GAN trainer for one :class:`GANConfig`; build it with :func:`make_trainer`.

    Holds the graph definitions of G and D, the two optax optimisers and the jitted
    functions. It holds no training state: every method takes a :class:`GANState` and
    returns a new one.
    """

    def __init__(self, config: GANConfig):
        self.config = self._check_config(config)
        self._set_up_data()

        abstract_g = nnx.eval_shape(lambda: self._build_generator(nnx.Rngs(0)))
        abstract_d = nnx.eval_shape(lambda: self._build_discriminator(nnx.Rngs(0)))
        self.g_graphdef = nnx.split(abstract_g, nnx.Param, ...)[0]
        self.d_graphdef = nnx.split(abstract_d, nnx.Param, ...)[0]
        # Evaluation-mode graphs (batch norm uses its running statistics), for sample_fn and
        # probability_fn; the same parameter and rest states fit both graphs.
        abstract_g.eval()
        abstract_d.eval()
        self.g_eval_graphdef = nnx.split(abstract_g, nnx.Param, ...)[0]
        self.d_eval_graphdef = nnx.split(abstract_d, nnx.Param, ...)[0]

        adam = optax.inject_hyperparams(optax.adam)
        self.g_optimizer = adam(learning_rate=config.generator_lr, b1=config.b1, b2=config.b2)
        self.d_optimizer = adam(learning_rate=config.discriminator_lr, b1=config.b1, b2=config.b2)

        self._init_jit = jax.jit(self.init_fn)
        self._train_jit = jax.jit(self.train_fn, static_argnums=2, donate_argnums=0)
        self._init_many_jit = jax.jit(jax.vmap(self.init_fn))
        self._train_many_jit = jax.jit(jax.vmap(self.train_fn, in_axes=(0, 0, None, None)),
                                       static_argnums=2, donate_argnums=0)
        self._sample_jit = jax.jit(self.sample_fn, static_argnums=2)
        self._probability_jit = jax.jit(self.probability_fn)
        self._generate_jit = jax.jit(self.generate_fn)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config!r})"

    def _check_config(self, config: Any) -> GANConfig:
        if not isinstance(config, GANConfig):
            raise TypeError(f"config must be a GANConfig, got {type(config).__name__}")
        return config

    def _set_up_data(self) -> None:
        """Where real batches come from. Here: sampled from the config's mixture inside the
        compiled step, so ``self.data`` (the array passed to ``train_fn``) is ``None``.
        Subclasses training on stored data set ``self.data`` to the array of examples."""
        self.mixture = self.config.mixture
        self.data = None

    def _real_batch(self, key: jax.Array, n: int, data: Any) -> jax.Array:
        """n real examples: here drawn from the mixture (``data`` is None)."""
        return sample_dataset(key, self.mixture, n)

    # ----------------------------------------------------------------- building blocks
    def _build_generator(self, rngs: nnx.Rngs) -> Generator | BatchNormGenerator:
        c = self.config
        if c.architecture == "pacgan":
            return BatchNormGenerator(c.latent_dim, c.generator_hidden, c.data_dim, rngs=rngs)
        return make_generator(c.latent_dim, c.generator_hidden, c.data_dim, rngs)

    def _build_discriminator(self, rngs: nnx.Rngs) -> Discriminator | MaxoutDiscriminator:
        c = self.config
        if c.architecture == "pacgan":
            return MaxoutDiscriminator(c.data_dim, c.discriminator_hidden, c.maxout_pieces,
                                       rngs=rngs)
        return make_discriminator(c.data_dim, c.discriminator_hidden, rngs)

    def _generate(self, g_params, g_rest, z):
        """G(z) and G's updated non-parameter state."""
        g = nnx.merge(self.g_graphdef, g_params, g_rest, copy=True)
        fake = g(z)
        return fake, nnx.split(g, nnx.Param, ...)[2]

    def _discriminate(self, d_params, d_rest, x):
        """The logits l(x) and D's updated non-parameter state."""
        d = nnx.merge(self.d_graphdef, d_params, d_rest, copy=True)
        logits = d(x)
        return logits, nnx.split(d, nnx.Param, ...)[2]

    def _latents(self, key, n):
        return jax.random.normal(key, (n, self.config.latent_dim), dtype=jnp.float32)

    # ----------------------------------------------------------------- pure functions
    def init_fn(self, key: jax.Array) -> GANState:
        """Pure: a fresh state from a key (no validation; jit- and vmap-friendly)."""
        g_key, d_key = jax.random.split(key)
        _, g_params, g_rest = nnx.split(self._build_generator(nnx.Rngs(g_key)), nnx.Param, ...)
        _, d_params, d_rest = nnx.split(self._build_discriminator(nnx.Rngs(d_key)), nnx.Param, ...)
        return GANState(
            g_params=g_params,
            d_params=d_params,
            g_opt_state=self.g_optimizer.init(g_params),
            d_opt_state=self.d_optimizer.init(d_params),
            step=jnp.zeros((), jnp.int32),
            g_rest=g_rest,
            d_rest=d_rest,
        )

    def _d_update(self, state: GANState, key: jax.Array, data: Any = None):
        """One discriminator step on a fresh real batch and a fresh fake batch."""
        n = self.config.batch_size
        data_key, z_key = jax.random.split(key)
        real = self._real_batch(data_key, n, data)
        fake, g_rest = self._generate(state.g_params, state.g_rest, self._latents(z_key, n))

        def loss_fn(d_params, d_rest):
            # Two forward passes rather than one over [real; fake]: measured ~10 % faster on
            # CPU, and a later D with batch norm keeps separate real and fake statistics.
            # The rest state is an argument (not closed over) so that NNX may update batch
            # statistics at the trace level of the gradient.
            real_logits, d_rest = self._discriminate(d_params, d_rest, real)
            fake_logits, d_rest = self._discriminate(d_params, d_rest, fake)
            return discriminator_loss(real_logits, fake_logits), (d_rest, real_logits, fake_logits)

        (d_loss, (d_rest, real_logits, fake_logits)), grads = jax.value_and_grad(
            loss_fn, has_aux=True)(state.d_params, state.d_rest)
        updates, d_opt_state = self.d_optimizer.update(grads, state.d_opt_state, state.d_params)
        state = state._replace(d_params=optax.apply_updates(state.d_params, updates),
                               d_opt_state=d_opt_state, g_rest=g_rest, d_rest=d_rest)
        metrics = {
            "d_loss": d_loss,
            "d_real": jnp.mean(jax.nn.sigmoid(real_logits)),
            "d_fake": jnp.mean(jax.nn.sigmoid(fake_logits)),
            "value": -d_loss,
            "d_grad_norm": _global_norm(grads),
        }
        return state, metrics

    def _g_update(self, state: GANState, key: jax.Array):
        """One generator step on a fresh batch of latent codes."""
        z = self._latents(key, self.config.batch_size)

        def loss_fn(g_params, g_rest, d_rest):
            fake, g_rest = self._generate(g_params, g_rest, z)
            logits, d_rest = self._discriminate(state.d_params, d_rest, fake)
            return generator_loss(logits, self.config.loss), (g_rest, d_rest)

        (g_loss, (g_rest, d_rest)), grads = jax.value_and_grad(
            loss_fn, has_aux=True)(state.g_params, state.g_rest, state.d_rest)
        updates, g_opt_state = self.g_optimizer.update(grads, state.g_opt_state, state.g_params)
        state = state._replace(g_params=optax.apply_updates(state.g_params, updates),
                               g_opt_state=g_opt_state, g_rest=g_rest, d_rest=d_rest)
        return state, {"g_loss": g_loss, "g_grad_norm": _global_norm(grads)}

    def _train_step(self, state: GANState, key: jax.Array, data: Any = None):
        """One training step: k discriminator updates, then one generator update."""
        step_key = jax.random.fold_in(key, state.step)
        d_key, g_key = jax.random.split(step_key)
        k = self.config.d_steps
        if k == 1:
            state, d_metrics = self._d_update(state, d_key, data)
        else:
            state, d_metrics = jax.lax.scan(lambda s, kk: self._d_update(s, kk, data), state,
                                            jax.random.split(d_key, k))
            d_metrics = jax.tree.map(lambda m: m[-1], d_metrics)  # report the last D update
        state, g_metrics = self._g_update(state, g_key)
        state = state._replace(step=state.step + 1)
        return state, {**g_metrics, **d_metrics}

    def train_fn(self, state: GANState, key: jax.Array, num_steps: int, data: Any = None):
        """Pure: ``num_steps`` training steps with ``lax.scan`` (no validation, no jit).

        ``data`` is the trainer's ``data`` attribute: ``None`` for the mixtures (sampled inside),
        the array of examples for a trainer on stored data (a traced argument, not a constant).
        """
        state, metrics = jax.lax.scan(lambda s, _: self._train_step(s, key, data), state,
                                      length=num_steps)
        return state, {name: metrics[name] for name in METRIC_NAMES}

    def sample_fn(self, state: GANState, key: jax.Array, n: int) -> jax.Array:
        """Pure: n generator samples G(z), z ~ N(0, I), with G in evaluation mode.

        Batch norm (``"pacgan"``) uses its running statistics, so each sample depends on its
        own z only, and the state is not changed.
        """
        return self.generate_fn(state, self._latents(key, n))

    def generate_fn(self, state: GANState, z: jax.Array) -> jax.Array:
        """Pure: G(z) at given latent codes ``z`` of shape (N, latent_dim), G in evaluation mode."""
        g = nnx.merge(self.g_eval_graphdef, state.g_params, state.g_rest)
        return g(z)

    def probability_fn(self, state: GANState, points: jax.Array) -> jax.Array:
        """Pure: D(x) = sigmoid(l(x)) at each row of ``points`` (D in evaluation mode)."""
        d = nnx.merge(self.d_eval_graphdef, state.d_params, state.d_rest)
        return jax.nn.sigmoid(d(points))

    # ----------------------------------------------------------------- public methods
    def init(self, key: jax.Array) -> GANState:
        """A fresh training state; the same key gives the same state.

        Args:
          key: a typed key from ``jax.random.key(seed)``. G and D get independent subkeys.

        Returns:
          A :class:`GANState` with step 0.
        """
        return self._init_jit(check_key("key", key))

    def train(self, state: GANState, key: jax.Array, num_steps: int) -> tuple[GANState, dict]:
        """Run ``num_steps`` training steps in one compiled call.

        Each step does k = ``config.d_steps`` discriminator updates then one generator update;
        real data and latents are drawn inside from ``fold_in(key, global step)``.

        The buffers of ``state`` are *donated* to the computation: after the call the state you
        passed in (and any state sharing arrays with it, such as the input of
        :meth:`set_learning_rates`) is invalid and must not be used again. Keep only the
        returned state.

        ``num_steps`` is static: each distinct value compiles once, so use a fixed chunk size.

        Args:
          state: the current state.
          key: a typed key identifying the run's randomness; reusing it across calls is fine
            (each step folds in its own step number).
          num_steps: the number of training steps (>= 1).

        Returns:
          ``(new_state, metrics)`` where ``metrics`` maps each name in :data:`METRIC_NAMES` to a
          float32 array of shape (num_steps,): ``d_loss`` and ``value`` (= -d_loss), ``d_real``
          (mean D(x)) and ``d_fake`` (mean D(G(z))) from the last discriminator update of the
          step, measured before that update, and ``g_loss`` from the generator update, measured
          before it; ``d_grad_norm`` and ``g_grad_norm`` are the global L2 norms of the two
          players' gradients in those updates (before Adam rescales them).
        """
        _check_state(state)
        check_key("key", key)
        num_steps = check_int("num_steps", num_steps, minimum=1)
        return self._train_jit(state, key, num_steps, self.data)

    def init_many(self, keys: jax.Array) -> GANState:
        """Fresh states for many seeds side by side, one per key, stacked on a leading axis.

        Args:
          keys: a 1-D array of typed keys, e.g. ``jax.random.split(jax.random.key(0), 8)``.

        Returns:
          A :class:`GANState` whose every leaf has a leading axis of length ``len(keys)``;
          seed i equals ``init(keys[i])``.
        """
        keys = _check_keys("keys", keys)
        return self._init_many_jit(_place_seeds(keys, keys.shape[0]))

    def train_many(self, states: GANState, keys: jax.Array,
                   num_steps: int) -> tuple[GANState, dict]:
        """Train many seeds side by side: :meth:`train` under ``jax.jit(jax.vmap(...))``.

        Seed i of the result equals ``train(states[i], keys[i], num_steps)``. When JAX sees
        several devices, the seeds are split over them (see :func:`seed_sharding`). As in
        :meth:`train`, ``states`` is donated and ``num_steps`` is static. Learning rates set
        with :meth:`set_learning_rates` apply to every seed.

        Args:
          states: states from :meth:`init_many` (or an earlier :meth:`train_many`).
          keys: a 1-D array of typed keys, one per seed.
          num_steps: the number of training steps (>= 1).

        Returns:
          ``(new_states, metrics)`` with metrics of shape (num_seeds, num_steps); check them
          with :func:`first_nonfinite_step`.
        """
        _check_keys("keys", keys)
        _check_states(states, keys.shape[0])
        num_steps = check_int("num_steps", num_steps, minimum=1)
        states, keys = _place_seeds((states, keys), keys.shape[0])
        return self._train_many_jit(states, keys, num_steps, self.data)

    def fit(self, state: GANState, key: jax.Array, total_steps: int, *, chunk: int = 500,
            callback: Callable[[int, dict], Any] | None = None,
            progress: bool = False) -> FitResult:
        """Train for ``total_steps`` steps in chunks, stopping early if the losses diverge.

        Runs :meth:`train` with ``chunk`` steps per call (and one shorter call for a remainder,
        which compiles once more), so the result equals one long :meth:`train` call. After each
        chunk it checks ``d_loss`` and ``g_loss``; at the first non-finite value it stops and
        reports that step in :attr:`FitResult.diverged_at`; it does not raise.

        ``state`` is donated, as in :meth:`train`.

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
        _check_state(state)
        check_key("key", key)
        total_steps = check_int("total_steps", total_steps, minimum=1)
        chunk = check_int("chunk", chunk, minimum=1)
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be callable or None, got {type(callback).__name__}")
        chunks, done, diverged_at = [], 0, None
        while done < total_steps and diverged_at is None:
            n = min(chunk, total_steps - done)
            start = int(state.step)
            state, metrics = self._train_jit(state, key, n, self.data)
            metrics = {name: np.asarray(value) for name, value in metrics.items()}
            chunks.append(metrics)
            done += n
            diverged_at = first_nonfinite_step(metrics, start)
            if progress:
                note = "" if diverged_at is None else f"  diverged at step {diverged_at}"
                print(f"\rstep {done}/{total_steps}  d_loss {metrics['d_loss'][-1]:.4g}  "
                      f"g_loss {metrics['g_loss'][-1]:.4g}{note}", end="", file=sys.stdout,
                      flush=True)
            if callback is not None:
                callback(done, metrics)
        if progress:
            print(file=sys.stdout, flush=True)
        metrics = {name: np.concatenate([m[name] for m in chunks]) for name in METRIC_NAMES}
        return FitResult(state, metrics, done, diverged_at)

    def set_learning_rates(self, state: GANState, generator_lr: float | None = None,
                           discriminator_lr: float | None = None) -> GANState:
        """Return ``state`` with new Adam learning rates; ``None`` keeps a rate unchanged.

        The rates are written into the ``inject_hyperparams`` states as arrays of the same
        dtype, shape and weak type as before, so the next :meth:`train` reuses its compiled
        code. A rate of 0 freezes that player. The returned state shares its other arrays with
        ``state``; after it is passed to :meth:`train`, neither may be used again.

        Raises:
          ValueError or TypeError: if a rate is negative, not finite or not a number.
        """
        _check_state(state)
        g_opt_state, d_opt_state = state.g_opt_state, state.d_opt_state
        if generator_lr is not None:
            lr = check_positive_float("generator_lr", generator_lr, allow_zero=True)
            g_opt_state = _with_learning_rate(g_opt_state, lr)
        if discriminator_lr is not None:
            lr = check_positive_float("discriminator_lr", discriminator_lr, allow_zero=True)
            d_opt_state = _with_learning_rate(d_opt_state, lr)
        return state._replace(g_opt_state=g_opt_state, d_opt_state=d_opt_state)

    def learning_rates(self, state: GANState) -> tuple[float, float]:
        """The current ``(generator_lr, discriminator_lr)`` of ``state``, as Python floats."""
        _check_state(state)
        return (float(state.g_opt_state.hyperparams["learning_rate"]),
                float(state.d_opt_state.hyperparams["learning_rate"]))

    def sample(self, state: GANState, key: jax.Array, n: int) -> jax.Array:
        """n generator samples G(z), z ~ N(0, I); float32 array of shape (n, data_dim).

        ``n`` is static (each distinct value compiles once). ``state`` is not donated.
        """
        _check_state(state)
        check_key("key", key)
        n = check_int("n", n, minimum=1)
        return self._sample_jit(state, key, n)

    def generate(self, state: GANState, z: Any) -> jax.Array:
        """G(z) for given latent codes: the map z -> x that the generator has learned.

        Args:
          state: the current state (not donated).
          z: an array-like of shape (N, latent_dim).

        Returns:
          A float32 array of shape (N, data_dim). :meth:`sample` is ``generate`` at z ~ N(0, I).
        """
        _check_state(state)
        return self._generate_jit(state, _rows("z", z, self.config.latent_dim))

    def discriminator_probabilities(self, state: GANState, points: Any) -> jax.Array:
        """D(x), the probability the discriminator assigns to "real", at each point.

        Args:
          state: the current state (not donated).
          points: an array-like of shape (N, data_dim), e.g. a heat-map grid.

        Returns:
          A float32 array of shape (N,) with values in [0, 1].
        """
        _check_state(state)
        return self._probability_jit(state, _rows("points", points, self.config.data_dim))


PACGAN_RING = GANConfig(
    dataset="ring", architecture="pacgan", latent_dim=2,
    generator_hidden=(400, 400, 400, 400), discriminator_hidden=(200, 200, 200),
    maxout_pieces=5, batch_size=100, generator_lr=1e-4, discriminator_lr=1e-4,
    b1=0.8, b2=0.999, loss="non_saturating", d_steps=1)
"""The GAN row of PacGAN's Table 1 on the ring (Lin et al., 2018, Section 4).

Generator: 4 hidden layers of 400 units with batch norm and ReLU; discriminator: 3 maxout
layers of 200 units with 5 pieces; Adam with learning rate 1e-4 and beta1 0.8 for both;
batch 100. Not stated in the issue and chosen here: a 2-D Gaussian latent code (as we read
the paper), Adam's beta2 0.999, the non-saturating loss and one D step per G step. The paper
trained 400k steps.
"""

PACGAN_GRID = dataclasses.replace(PACGAN_RING, dataset="grid")
"""As :data:`PACGAN_RING`, on the 25-Gaussian grid."""


@functools.lru_cache(maxsize=32)
def _cached_trainer(config: GANConfig) -> GANTrainer:
    return GANTrainer(config)


def make_trainer(config: GANConfig) -> GANTrainer:
    """The trainer for ``config``, built once per config and reused.

    Trainers are cached by config (configs are hashable), so switching a panel back to a
    configuration it has used before reuses the compiled functions instead of recompiling.
    """
    if not isinstance(config, GANConfig):
        raise TypeError(f"config must be a GANConfig, got {type(config).__name__}")
    return _cached_trainer(config)
