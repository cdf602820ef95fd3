"""The GAN training step as pure functions of a state: Algorithm 1 of Goodfellow et al. (2014).

:class:`GANStep` holds the parts of :mod:`gan_lessons.training.gan_parts` (data source, the two
networks' graph definitions, loss spec, optimisers) and a batch constraint of the device
placement, and nothing that changes: every function takes a :class:`GANState` and returns a
new one. None of them validates or compiles; :class:`~gan_lessons.training.gan.GANTrainer`
does both.

One training step: ``k = d_steps`` discriminator updates, each on a fresh real batch and a
fresh fake batch, then one generator update. Keys: step t uses ``fold_in(key, t)``, split into
``(d_key, g_key)``; each D update splits its key into ``(data_key, z_key)``; the G update draws
its latent codes from ``g_key``.

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

__all__ = ["GANState", "GANStep", "METRIC_NAMES"]

METRIC_NAMES = ("d_loss", "g_loss", "d_real", "d_fake", "value", "d_grad_norm", "g_grad_norm")
"""The per-step metrics returned by ``GANTrainer.train``, in a fixed order."""


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

    def discriminate(self, d_params, d_rest, x):
        """The logits l(x) (training mode) and D's updated non-parameter state."""
        d = nnx.merge(self.d_graphdef, d_params, d_rest, copy=True)
        logits = d(x)
        return logits, nnx.split(d, nnx.Param, ...)[2]

    # ----------------------------------------------------------------- the step
    def d_update(self, state: GANState, key: jax.Array, data: Any):
        """One discriminator step on a fresh real batch and a fresh fake batch."""
        n = self.batch_size
        data_key, z_key = jax.random.split(key)
        real = self.split(self.source.real_batch(data_key, n, data))
        fake, g_rest = self.generate(state.g_params, state.g_rest,
                                     self.split(self.latents(z_key, n)))

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

    def g_update(self, state: GANState, key: jax.Array):
        """One generator step on a fresh batch of latent codes."""
        z = self.split(self.latents(key, self.batch_size))

        def loss_fn(g_params, g_rest, d_rest):
            fake, g_rest = self.generate(g_params, g_rest, z)
            logits, d_rest = self.discriminate(state.d_params, d_rest, fake)
            return self.losses.g_loss(logits), (g_rest, d_rest)

        (g_loss, (g_rest, d_rest)), grads = jax.value_and_grad(
            loss_fn, has_aux=True)(state.g_params, state.g_rest, state.d_rest)
        updates, g_opt_state = self.g_optimizer.update(grads, state.g_opt_state, state.g_params)
        state = state._replace(g_params=optax.apply_updates(state.g_params, updates),
                               g_opt_state=g_opt_state, g_rest=g_rest, d_rest=d_rest)
        return state, {"g_loss": g_loss, "g_grad_norm": optax.tree.norm(grads)}

    def train_step(self, state: GANState, key: jax.Array, data: Any):
        """One training step: k discriminator updates, then one generator update."""
        d_key, g_key = jax.random.split(jax.random.fold_in(key, state.step))
        if self.d_steps == 1:
            state, d_metrics = self.d_update(state, d_key, data)
        else:
            state, d_metrics = jax.lax.scan(lambda s, k: self.d_update(s, k, data), state,
                                            jax.random.split(d_key, self.d_steps))
            d_metrics = jax.tree.map(lambda m: m[-1], d_metrics)  # report the last D update
        state, g_metrics = self.g_update(state, g_key)
        return state._replace(step=state.step + 1), {**g_metrics, **d_metrics}

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
        (``None`` for a sampler). Metrics: arrays of shape (num_steps,), in METRIC_NAMES order."""
        state, metrics = jax.lax.scan(lambda s, _: self.train_step(s, key, data), state,
                                      length=num_steps)
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
