"""The GAN trainer: one class, configured by its parts; pure functions compiled once.

A :class:`~gan_lessons.training.gan_config.GANConfig` (frozen, hashable) fixes every structural
choice: data set, widths, batch size, loss, k. :func:`make_trainer` turns it into a
:class:`GANTrainer`, which holds the graph definitions of G and D and compiles the training
loop::

    trainer = make_trainer(GANConfig(dataset="ring"))
    state = trainer.init(jax.random.key(0))
    key = jax.random.key(1)
    for chunk in range(10):
        state, metrics = trainer.train(state, key, 500)   # 500 steps, one compiled call
        points = trainer.sample(state, jax.random.key(2), 1000)

The same class trains the image GANs of :func:`~gan_lessons.training.image_gan.make_image_trainer`:
a trainer is built from parts (:mod:`gan_lessons.training.gan_parts`): a data source, a
generator builder, a discriminator builder, a loss spec and a device placement.

One call of :meth:`GANTrainer.train` runs ``num_steps`` training steps as a single
``jax.jit`` over ``jax.lax.scan``; real data and latent codes are drawn inside the compiled
function. A training step is Algorithm 1 of Goodfellow et al. (2014), written out in
:mod:`gan_lessons.training.gan_step`: ``k = d_steps`` discriminator updates, each on a fresh
real batch and a fresh fake batch, then one generator update. Both players use Adam through
``optax.inject_hyperparams``, so :meth:`GANTrainer.set_learning_rates` changes the learning
rates between calls without recompiling.

Randomness: the key of training step t (counted from 0 over the life of the state) is
``jax.random.fold_in(key, t)``. The same state and key always give the same result, and
the result does not depend on how the steps are cut into calls: ``train(s, key, 300)``
equals ``train`` for 100 steps then for 200 steps with the same key.

The pure, unvalidated functions ``init_fn``, ``train_fn``, ``sample_fn``, ``generate_fn`` and
``probability_fn`` compose with ``jax.vmap`` and other transformations.
:meth:`GANTrainer.init_many`, :meth:`GANTrainer.train_many` and :meth:`GANTrainer.sample_many`
do that for many seeds side by side: ``jax.jit(jax.vmap(...))`` over a leading seed axis, split
over the devices by seed.

Long runs: :meth:`GANTrainer.fit` drives :meth:`GANTrainer.train` chunk by chunk through the
host loop :func:`~gan_lessons.training.loop.run_chunks`, and stops after the first chunk in
which a loss is not finite, returning the absolute step of the divergence (see
:func:`first_nonfinite_step`) instead of raising. Checkpoints of a state are in
:mod:`gan_lessons.training.checkpoint`.
"""

from __future__ import annotations

import functools
from typing import Any

import jax

from gan_lessons._validate import check_int, check_key, check_positive_float
from gan_lessons.training._kit import (
    FitResult, Placement, Trainer, check_keys, check_rows, seed_sharding, with_learning_rate)
from gan_lessons.training.gan_config import (
    ARCHITECTURES, PACGAN_GRID, PACGAN_RING, AdversarialConfig, GANConfig)
from gan_lessons.training.gan_parts import (
    Builder, LossSpec, adam_players, mixture_data, toy_networks)
from gan_lessons.runtime import jit
from gan_lessons.training.gan_step import METRIC_NAMES, GANState, GANStep
from gan_lessons.training.loop import LOSS_NAMES, first_nonfinite_step

__all__ = [
    "ARCHITECTURES",
    "FitResult",
    "GANConfig",
    "GANState",
    "GANTrainer",
    "LOSS_NAMES",
    "METRIC_NAMES",
    "PACGAN_GRID",
    "PACGAN_RING",
    "first_nonfinite_step",
    "make_trainer",
    "seed_sharding",
]


class GANTrainer(Trainer):
    """A compiled GAN trainer; build it with :func:`make_trainer` or
    :func:`~gan_lessons.training.image_gan.make_image_trainer`.

    It holds no training state: every method takes a :class:`GANState` and returns a new one.

    Args:
      config: a :class:`~gan_lessons.training.gan_config.GANConfig` or ``ImageGANConfig``.
      data: the data source, a :class:`~gan_lessons.training.gan_parts.SampledData` or
        :class:`~gan_lessons.training.gan_parts.ArrayData`.
      generator, discriminator: the network builders, ``build(rngs) -> nnx.Module``.
      losses: the :class:`~gan_lessons.training.gan_parts.LossSpec`.
      placement: the :class:`~gan_lessons.training.gan_parts.Placement` of states and batches.

    Attributes:
      data: the array of examples passed to the compiled functions, or ``None`` (sampler).
      mixture: the toy mixture trained on, or ``None``; image_shape: (H, W) or ``None``.
      g_graphdef, d_graphdef, g_eval_graphdef, d_eval_graphdef: the networks' graph
        definitions in training and evaluation mode (merge them with a state's parameters).
      batch_sharding: how a batch is split over devices inside the step, or ``None``.
    """

    config_type = AdversarialConfig
    state_type = GANState
    metric_names = METRIC_NAMES
    watched = LOSS_NAMES

    def __init__(self, config: AdversarialConfig, *, data: Any, generator: Builder,
                 discriminator: Builder, losses: LossSpec, placement: Placement = Placement()):
        super().__init__(config, placement)
        self.source, self.data = data, data.data
        self.mixture, self.image_shape = data.mixture, data.image_shape
        self.batch_sharding = placement.batch
        self.g_optimizer, self.d_optimizer = adam_players(config)
        step = GANStep(config, data, generator, discriminator, losses,
                       (self.g_optimizer, self.d_optimizer), placement.split_batch)
        self.g_graphdef, self.d_graphdef = step.g_graphdef, step.d_graphdef
        self.g_eval_graphdef, self.d_eval_graphdef = step.g_eval_graphdef, step.d_eval_graphdef
        self.gan_step = step  # the pure step functions, GANStep
        # The pure functions (no validation, no jit).
        self.init_fn, self.train_fn, self.sample_fn = step.init_fn, step.train_fn, step.sample_fn
        self.generate_fn, self.probability_fn = step.generate_fn, step.probability_fn
        seeds = step.for_seeds()
        self._init_many_jit = jit(jax.vmap(seeds.init_fn))
        self._train_many_jit = jit(jax.vmap(seeds.train_fn, in_axes=(0, 0, None, None)),
                                   static_argnums=2, donate_argnums=0)
        self._sample_many_jit = jit(jax.vmap(seeds.sample_fn, in_axes=(0, None, None)),
                                    static_argnums=2)
        self._sample_jit = jit(self.sample_fn, static_argnums=2)
        self._probability_jit = jit(self.probability_fn)
        self._generate_jit = jit(self.generate_fn)

    # ----------------------------------------------------------------- one run
    def train(self, state: GANState, key: jax.Array, num_steps: int) -> tuple[GANState, dict]:
        """Run ``num_steps`` training steps in one compiled call.

        Each step does k = ``config.d_steps`` discriminator updates then one generator update;
        real data and latents are drawn inside from ``fold_in(key, global step)``.

        The buffers of ``state`` are *donated* to the computation: after the call the state you
        passed in (and any state sharing arrays with it, such as the input of
        :meth:`set_learning_rates`) is invalid and must not be used again. Keep only the
        returned state. ``num_steps`` is static: each distinct value compiles once, so use a
        fixed chunk size (and :meth:`precompile` to compile it ahead of time).

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
          before it; ``d_grad_norm`` and ``g_grad_norm`` are the global L2 norms
          (``optax.tree.norm``) of the two players' gradients in those updates (before Adam
          rescales them).
        """
        return super().train(state, key, num_steps, self.data)

    def precompile(self, num_steps: int) -> None:
        """Compile :meth:`train` for chunks of ``num_steps`` steps now, without training."""
        super().precompile(num_steps, self.data)

    def sample(self, state: GANState, key: jax.Array, n: int) -> jax.Array:
        """n generator samples G(z), z ~ N(0, I): float32 of shape (n, data_dim) or (n, H, W).

        ``n`` is static (each distinct value compiles once). ``state`` is not donated.
        """
        self.check_state(state)
        check_key("key", key)
        return self._sample_jit(state, key, check_int("n", n, minimum=1))

    def generate(self, state: GANState, z: Any) -> jax.Array:
        """G(z) for given latent codes (N, latent_dim): the map z -> x the generator learned.

        :meth:`sample` is ``generate`` at z ~ N(0, I). ``state`` is not donated.
        """
        self.check_state(state)
        return self._generate_jit(state, check_rows("z", z, self.config.latent_dim))

    def discriminator_probabilities(self, state: GANState, points: Any) -> jax.Array:
        """D(x), the probability the discriminator assigns to "real", at each point.

        Args:
          state: the current state (not donated).
          points: shape (N, data_dim) (e.g. a heat-map grid), or images (N, H, W) in [-1, 1];
            with packing m > 1, shape (N, m x data_dim): each row m points side by side.

        Returns:
          A float32 array of shape (N,) with values in [0, 1].
        """
        self.check_state(state)
        packing = getattr(self.config, "packing", 1)
        if packing > 1:  # D judges m samples side by side
            points = check_rows("points", points, packing * self.config.data_dim)
        else:
            points = self.source.check_points("points", points)
        return self._probability_jit(state, points)

    def set_learning_rates(self, state: GANState, generator_lr: float | None = None,
                           discriminator_lr: float | None = None) -> GANState:
        """Return ``state`` with new Adam learning rates; ``None`` keeps a rate unchanged.

        The rates are written into the ``inject_hyperparams`` states as arrays of the same
        dtype, shape and weak type as before, so the next :meth:`train` reuses its compiled
        code. A rate of 0 freezes that player. The returned state shares its other arrays with
        ``state``; after it is passed to :meth:`train`, neither may be used again. With seeds
        side by side, the rate applies to every seed.
        """
        self.check_state(state)
        g_opt_state, d_opt_state = state.g_opt_state, state.d_opt_state
        if generator_lr is not None:
            lr = check_positive_float("generator_lr", generator_lr, allow_zero=True)
            g_opt_state = with_learning_rate(g_opt_state, lr)
        if discriminator_lr is not None:
            lr = check_positive_float("discriminator_lr", discriminator_lr, allow_zero=True)
            d_opt_state = with_learning_rate(d_opt_state, lr)
        return state._replace(g_opt_state=g_opt_state, d_opt_state=d_opt_state)

    def learning_rates(self, state: GANState) -> tuple[float, float]:
        """The current ``(generator_lr, discriminator_lr)`` of ``state``, as Python floats."""
        self.check_state(state)
        return (float(state.g_opt_state.hyperparams["learning_rate"]),
                float(state.d_opt_state.hyperparams["learning_rate"]))

    # ----------------------------------------------------------------- seeds side by side
    def _check_states(self, states: Any, num_seeds: int) -> GANState:
        self.check_state(states)
        shape = tuple(states.step.shape)
        if shape != (num_seeds,):
            raise ValueError(f"states must have a leading seed axis of length {num_seeds} (one "
                             f"per key), got a step counter of shape {shape}; build them with "
                             f"GANTrainer.init_many")
        return states

    def init_many(self, keys: jax.Array) -> GANState:
        """Fresh states for many seeds side by side, one per key, stacked on a leading axis.

        Args:
          keys: a 1-D array of typed keys, e.g. ``jax.random.split(jax.random.key(0), 8)``.

        Returns:
          A :class:`GANState` whose every leaf has a leading axis of length ``len(keys)``;
          seed i equals ``init(keys[i])``.
        """
        keys = check_keys("keys", keys)
        return self._init_many_jit(self.placement.put_seeds(keys, keys.shape[0]))

    def train_many(self, states: GANState, keys: jax.Array,
                   num_steps: int) -> tuple[GANState, dict]:
        """Train many seeds side by side: :meth:`train` under ``jax.jit(jax.vmap(...))``.

        Seed i of the result equals ``train(states[i], keys[i], num_steps)`` (up to
        floating-point reordering where a batch was split over devices). When JAX sees several
        devices, the seeds are split over them (see :func:`seed_sharding`). As in
        :meth:`train`, ``states`` is donated and ``num_steps`` is static.

        Args:
          states: states from :meth:`init_many` (or an earlier :meth:`train_many`).
          keys: a 1-D array of typed keys, one per seed.
          num_steps: the number of training steps (>= 1).

        Returns:
          ``(new_states, metrics)`` with metrics of shape (num_seeds, num_steps); check them
          with :func:`first_nonfinite_step`.
        """
        check_keys("keys", keys)
        self._check_states(states, keys.shape[0])
        num_steps = check_int("num_steps", num_steps, minimum=1)
        states, keys = self.placement.put_seeds((states, keys), keys.shape[0])
        return self._train_many_jit(states, keys, num_steps, self.data)

    def sample_many(self, states: GANState, key: jax.Array, n: int) -> jax.Array:
        """n samples of every seed, all from the same latent codes (drawn with ``key``).

        Returns:
          float32 of shape (num_seeds, n, ...): seed i equals ``sample(states[i], key, n)``.
          ``states`` is not donated; ``n`` is static.
        """
        self.check_state(states)
        if states.step.ndim != 1:
            raise ValueError("states must have a leading seed axis (from GANTrainer.init_many), "
                             f"got a step counter of shape {tuple(states.step.shape)}")
        check_key("key", key)
        n = check_int("n", n, minimum=1)
        states = self.placement.put_seeds(states, states.step.shape[0])
        return self._sample_many_jit(states, key, n)


@functools.lru_cache(maxsize=32)
def _cached_trainer(config: GANConfig) -> GANTrainer:
    generator, discriminator = toy_networks(config)
    return GANTrainer(config, data=mixture_data(config.mixture), generator=generator,
                      discriminator=discriminator, losses=LossSpec(config.loss))


def make_trainer(config: GANConfig) -> GANTrainer:
    """The trainer for a :class:`GANConfig`, built once per config and reused.

    Its parts: the config's mixture sampled inside the step
    (:func:`~gan_lessons.training.gan_parts.mixture_data`), the MLP or PacGAN networks
    (:func:`~gan_lessons.training.gan_parts.toy_networks`), the config's loss, and JAX's
    default placement. Trainers are cached by config (configs are hashable), so switching a
    panel back to a configuration it has used before reuses the compiled functions.
    """
    if not isinstance(config, GANConfig):
        raise TypeError(f"config must be a GANConfig, got {type(config).__name__}")
    return _cached_trainer(config)
