"""The GAN training step as pure functions of a state: Algorithm 1 of Goodfellow et al. (2014).

:class:`GANStep` holds the parts of :mod:`gan_lessons.training.gan_parts` (data source, the two
networks' graph definitions, loss spec, optimisers) and a batch constraint of the device
placement, and nothing that changes: every function takes a :class:`GANState` and returns a
new one. None of them validates or compiles; :class:`~gan_lessons.training.gan.GANTrainer`
does both.

One training step: ``k = d_steps`` discriminator updates, each on a fresh real batch and a
fresh fake batch, then one generator update. Keys: step t uses ``fold_in(key, t)``, split into
``(d_key, g_key)``; with k > 1, ``d_key`` is split into k keys, one per D update; each D
update's key splits into ``(data_key, z_key)``; the G update draws its latent codes from
``g_key``.

The random inputs of a step (real batches and latent codes, :class:`StepDraws`) depend on the
key and the step number only, never on the state, so :meth:`GANStep.train_fn` draws them for a
block of steps at once, one vectorised draw before the block runs, instead of one small draw
inside every step: drawing inside the sequential loop cost about 15 % of a step of the
benchmark config (``benchmarks/README.md``). ``vmap`` of JAX's counter-based generator gives
the same bits as drawing each step alone, so the results are bit-identical to per-step draws.
A block holds at most :data:`DRAW_BLOCK_BYTES` of draws (image batches are large); a longer
call refills the block every ``block`` steps.

References:
  Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 (Algorithm 1).
"""

from __future__ import annotations

import copy
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import optax
from flax import nnx

from gan_lessons.training._kit import unsplit
from gan_lessons.training.gan_parts import Builder, LossSpec

__all__ = ["DRAW_BLOCK_BYTES", "GANState", "GANStep", "METRIC_NAMES", "StepDraws"]

METRIC_NAMES = ("d_loss", "g_loss", "d_real", "d_fake", "value", "d_grad_norm", "g_grad_norm")
"""The per-step metrics returned by ``GANTrainer.train``, in a fixed order."""

DRAW_BLOCK_BYTES = 4 << 20
"""The most bytes of random inputs :meth:`GANStep.train_fn` draws ahead (4 MiB: about 680
steps of the benchmark config, 10 steps of a 64-image batch of 28 x 28 digits)."""


class StepDraws(NamedTuple):
    """The random inputs of one training step, drawn from the key and the step number alone.

    Attributes:
      real: the k real batches of the k discriminator updates, leading axis k = ``d_steps``.
      d_latents: the k batches of latent codes behind the fake batches, shape (k, n, latent).
      g_latents: the latent codes of the generator update, shape (n, latent).
    """

    real: Any
    d_latents: jax.Array
    g_latents: jax.Array


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


def _graphdefs(build: Builder) -> tuple[Any, Any]:
    """The training-mode and evaluation-mode graph definitions of a network (nothing computed).

    Evaluation mode makes batch norm use its running statistics; the same parameter and rest
    states fit both graphs.
    """
    abstract = nnx.eval_shape(lambda: build(nnx.Rngs(0)))
    train = nnx.split(abstract, nnx.Param, ...)[0]
    abstract.eval()
    return train, nnx.split(abstract, nnx.Param, ...)[0]


class GANStep:
    """The pure functions of GAN training for one set of parts.

    Args:
      config: the run's :class:`~gan_lessons.training.gan_config.AdversarialConfig` subclass
        (``batch_size``, ``d_steps``, ``latent_dim`` are read).
      source: the data source (``real_batch(key, n, data)``).
      generator, discriminator: the network builders.
      losses: the :class:`~gan_lessons.training.gan_parts.LossSpec`.
      optimizers: ``(g_optimizer, d_optimizer)``.
      split: the batch constraint of the placement, applied to every real batch and every
        batch of latent codes (identity for seeds side by side).
    """

    def __init__(self, config: Any, source: Any, generator: Builder, discriminator: Builder,
                 losses: LossSpec, optimizers: tuple, split: Callable = unsplit):
        self.batch_size, self.latent_dim = config.batch_size, config.latent_dim
        self.d_steps = config.d_steps
        self.packing = getattr(config, "packing", 1)
        self.source, self.losses, self.split = source, losses, split
        self.generator, self.discriminator = generator, discriminator
        self.g_optimizer, self.d_optimizer = optimizers
        self.g_graphdef, self.g_eval_graphdef = _graphdefs(generator)
        self.d_graphdef, self.d_eval_graphdef = _graphdefs(discriminator)

    def for_seeds(self) -> GANStep:
        """The same step without the batch constraint, for seeds side by side (``vmap``)."""
        other = copy.copy(self)
        other.split = unsplit
        return other

    # ----------------------------------------------------------------- building blocks
    def latents(self, key: jax.Array, n: int) -> jax.Array:
        """n latent codes z ~ N(0, I), float32 of shape (n, latent_dim)."""
        return jax.random.normal(key, (n, self.latent_dim), dtype=jnp.float32)

    def generate(self, g_params, g_rest, z):
        """G(z) (training mode) and G's updated non-parameter state."""
        g = nnx.merge(self.g_graphdef, g_params, g_rest, copy=True)
        fake = g(z)
        return fake, nnx.split(g, nnx.Param, ...)[2]

    def generate_packed(self, g_params, g_rest, z):
        """The packed fakes of ``z`` (m x n latent codes, m = packing) and G's new rest state.

        G runs m times, on ``z[i n:(i + 1) n]`` for i = 0..m-1, so a generator with batch norm
        normalises each call over its own n codes; row j of the result is the m fakes
        ``(G(z_j), G(z_{n+j}), ...)`` side by side, shape (n, m x dim). The running statistics
        after the m calls are the mean of the m calls' updates (as in the PacGAN authors' code).
        With m = 1 this is :meth:`generate`.
        """
        if self.packing == 1:
            return self.generate(g_params, g_rest, z)
        n = z.shape[0] // self.packing
        calls = [self.generate(g_params, g_rest, z[i * n:(i + 1) * n])
                 for i in range(self.packing)]
        fake = jnp.concatenate([f for f, _ in calls], axis=1)
        rest = jax.tree.map(lambda *r: sum(r) / self.packing, *[r for _, r in calls])
        return fake, rest

    def pack(self, x):
        """m x n real examples as n packed rows of m examples side by side (m = packing)."""
        return x if self.packing == 1 else x.reshape(x.shape[0] // self.packing, -1)

    def discriminate(self, d_params, d_rest, x):
        """The logits l(x) (training mode) and D's updated non-parameter state."""
        d = nnx.merge(self.d_graphdef, d_params, d_rest, copy=True)
        logits = d(x)
        return logits, nnx.split(d, nnx.Param, ...)[2]

    # ----------------------------------------------------------------- the step
    def draw(self, key: jax.Array, step: jax.Array, data: Any) -> StepDraws:
        """The random inputs of training step ``step`` under the run key ``key``: with packing
        m, every batch holds m x ``batch_size`` real samples or latent codes."""
        n = self.batch_size * self.packing
        d_key, g_key = jax.random.split(jax.random.fold_in(key, step))
        d_keys = d_key[None] if self.d_steps == 1 else jax.random.split(d_key, self.d_steps)

        def one_d_update(k):
            data_key, z_key = jax.random.split(k)
            return self.source.real_batch(data_key, n, data), self.latents(z_key, n)

        real, d_latents = jax.vmap(one_d_update)(d_keys)
        return StepDraws(real, d_latents, self.latents(g_key, n))

    def d_update(self, state: GANState, real: Any, z: jax.Array):
        """One discriminator step on the real batch ``real`` and the fake batch G(z) (packed
        when packing > 1)."""
        real = self.split(self.pack(real))
        fake, g_rest = self.generate_packed(state.g_params, state.g_rest, self.split(z))

        def loss_fn(d_params, d_rest):
            # Two forward passes rather than one over [real; fake]: a D with batch norm then
            # keeps separate real and fake statistics. The rest
            # state is an argument (not closed over) so that NNX may update batch statistics
            # at the trace level of the gradient.
            real_logits, d_rest = self.discriminate(d_params, d_rest, real)
            fake_logits, d_rest = self.discriminate(d_params, d_rest, fake)
            return self.losses.d_loss(real_logits, fake_logits), (d_rest, real_logits,
                                                                  fake_logits)

        (d_loss, (d_rest, real_logits, fake_logits)), grads = jax.value_and_grad(
            loss_fn, has_aux=True)(state.d_params, state.d_rest)
        updates, d_opt_state = self.d_optimizer.update(grads, state.d_opt_state, state.d_params)
        state = state._replace(d_params=optax.apply_updates(state.d_params, updates),
                               d_opt_state=d_opt_state, g_rest=g_rest, d_rest=d_rest)
        return state, {
            "d_loss": d_loss,
            "d_real": jnp.mean(jax.nn.sigmoid(real_logits)),
            "d_fake": jnp.mean(jax.nn.sigmoid(fake_logits)),
            "value": -d_loss,
            "d_grad_norm": optax.tree.norm(grads),
        }

    def g_update(self, state: GANState, z: jax.Array):
        """One generator step on the latent codes ``z``."""
        z = self.split(z)

        def loss_fn(g_params, g_rest, d_rest):
            fake, g_rest = self.generate_packed(g_params, g_rest, z)
            logits, d_rest = self.discriminate(state.d_params, d_rest, fake)
            return self.losses.g_loss(logits), (g_rest, d_rest)

        (g_loss, (g_rest, d_rest)), grads = jax.value_and_grad(
            loss_fn, has_aux=True)(state.g_params, state.g_rest, state.d_rest)
        updates, g_opt_state = self.g_optimizer.update(grads, state.g_opt_state, state.g_params)
        state = state._replace(g_params=optax.apply_updates(state.g_params, updates),
                               g_opt_state=g_opt_state, g_rest=g_rest, d_rest=d_rest)
        return state, {"g_loss": g_loss, "g_grad_norm": optax.tree.norm(grads)}

    def train_step(self, state: GANState, draws: StepDraws):
        """One training step on its random inputs: k discriminator updates, then one generator
        update."""
        if self.d_steps == 1:
            state, d_metrics = self.d_update(state, jax.tree.map(lambda a: a[0], draws.real),
                                             draws.d_latents[0])
        else:
            state, d_metrics = jax.lax.scan(lambda s, rz: self.d_update(s, *rz), state,
                                            (draws.real, draws.d_latents))
            d_metrics = jax.tree.map(lambda m: m[-1], d_metrics)  # report the last D update
        state, g_metrics = self.g_update(state, draws.g_latents)
        return state._replace(step=state.step + 1), {**g_metrics, **d_metrics}

    def draw_block(self, num_steps: int) -> int:
        """How many steps' random inputs :meth:`train_fn` draws at once: all ``num_steps`` when
        they fit in :data:`DRAW_BLOCK_BYTES`, else as many as fit (at least one)."""
        shapes = jax.eval_shape(self.draw, jax.random.key(0), jnp.zeros((), jnp.int32),
                                getattr(self.source, "data", None))
        per_step = sum(x.size * x.dtype.itemsize for x in jax.tree.leaves(shapes))
        return max(1, min(num_steps, DRAW_BLOCK_BYTES // max(per_step, 1)))

    # ----------------------------------------------------------------- pure functions
    def init_fn(self, key: jax.Array) -> GANState:
        """A fresh state from a key; G and D get independent subkeys."""
        g_key, d_key = jax.random.split(key)
        _, g_params, g_rest = nnx.split(self.generator(nnx.Rngs(g_key)), nnx.Param, ...)
        _, d_params, d_rest = nnx.split(self.discriminator(nnx.Rngs(d_key)), nnx.Param, ...)
        return GANState(g_params=g_params, d_params=d_params,
                        g_opt_state=self.g_optimizer.init(g_params),
                        d_opt_state=self.d_optimizer.init(d_params),
                        step=jnp.zeros((), jnp.int32), g_rest=g_rest, d_rest=d_rest)

    def train_fn(self, state: GANState, key: jax.Array, num_steps: int, data: Any = None):
        """``num_steps`` training steps with ``lax.scan``; ``data`` is the source's array
        (``None`` for a sampler). Metrics: arrays of shape (num_steps,), in METRIC_NAMES order.

        The steps' random inputs are drawn ahead, a block of :meth:`draw_block` steps at a time
        (``vmap`` of :meth:`draw` over the step numbers); with one block the scan runs over
        them, else the scan carries the block and draws the next one every ``block`` steps.
        """
        block = self.draw_block(num_steps)

        def draw_ahead(first_step, length):
            steps = first_step + jnp.arange(length, dtype=state.step.dtype)
            return jax.vmap(lambda t: self.draw(key, t, data))(steps)

        if block == num_steps:
            state, metrics = jax.lax.scan(self.train_step, state,
                                          draw_ahead(state.step, num_steps))
        else:
            def body(carry, i):
                state, draws = carry
                draws = jax.lax.cond(i % block == 0, lambda: draw_ahead(state.step, block),
                                     lambda: draws)
                state, metrics = self.train_step(
                    state, jax.tree.map(lambda a: a[i % block], draws))
                return (state, draws), metrics

            empty = jax.tree.map(lambda x: jnp.zeros(x.shape, x.dtype),
                                 jax.eval_shape(lambda t: draw_ahead(t, block), state.step))
            (state, _), metrics = jax.lax.scan(body, (state, empty), jnp.arange(num_steps))
        return state, {name: metrics[name] for name in METRIC_NAMES}

    def generate_fn(self, state: GANState, z: jax.Array) -> jax.Array:
        """G(z) at latent codes ``z`` of shape (N, latent_dim), G in evaluation mode."""
        g = nnx.merge(self.g_eval_graphdef, state.g_params, state.g_rest)
        return g(z)

    def sample_fn(self, state: GANState, key: jax.Array, n: int) -> jax.Array:
        """n samples G(z), z ~ N(0, I), G in evaluation mode (batch norm uses its running
        statistics, so each sample depends on its own z only)."""
        return self.generate_fn(state, self.split(self.latents(key, n)))

    def probability_fn(self, state: GANState, points: jax.Array) -> jax.Array:
        """D(x) = sigmoid(l(x)) at each example of ``points``, D in evaluation mode."""
        d = nnx.merge(self.d_eval_graphdef, state.d_params, state.d_rest)
        return jax.nn.sigmoid(d(points))
