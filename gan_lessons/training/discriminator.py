"""A Flax NNX discriminator trained on samples of two 1-D densities (lesson 05).

:func:`train_discriminator` trains the classifier of Goodfellow et al. (2014), section 4,
on fresh samples of p_data (label 1) and p_g (label 0) and evaluates the learned
:math:`D(x)` on a grid, where it can be set beside the optimal discriminator
:math:`D^*(x) = p_{data}(x) / (p_{data}(x) + p_g(x))` of
:mod:`gan_lessons.optimal_discriminator`; :func:`make_discriminator_trainer` gives the
compiled trainer behind it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax
from flax import nnx
from jax.typing import ArrayLike

from gan_lessons._validate import (
    as_float32,
    as_increasing_grid,
    check_int,
    check_key,
    show,
)
from gan_lessons.densities import Gaussian, GaussianMixture, check_density
from gan_lessons.losses import discriminator_loss
from gan_lessons.models import Discriminator, check_hidden, make_discriminator
from gan_lessons.optimal_discriminator import criterion, default_grid, value_on_grid
from gan_lessons.runtime import jit
from gan_lessons.training._kit import Config, Trainer, at_least, check_beta, positive, setting

__all__ = [
    "DiscriminatorConfig",
    "DiscriminatorState",
    "DiscriminatorTrainer",
    "make_discriminator_trainer",
    "DiscriminatorFit",
    "DEFAULT_STEPS",
    "train_discriminator",
]

Density = Gaussian | GaussianMixture

# --------------------------------------------------------------------------- the trainer


@dataclass(frozen=True, repr=False)
class DiscriminatorConfig(Config):
    """Structural choices of the 1-D discriminator and its Adam optimiser; frozen, hashable.

    The learning rate follows a cosine decay over the state's step count,

    .. math:: \\eta_t = \\eta_{final} + (\\eta_0 - \\eta_{final})
              \\cdot \\tfrac12\\big(1 + \\cos(\\pi \\min(t, T)/T)\\big),

    from ``learning_rate`` to ``final_learning_rate`` over ``decay_steps`` steps, then
    constant. A large early rate finds the shape of :math:`D^*` quickly; the small final
    rate averages out the noise of the minibatches, which with a constant rate leaves the
    learned curve wobbling a few hundredths around :math:`D^*`. The defaults converge on
    the lesson's 1-D pairs in the default 2000 steps of :func:`train_discriminator`.
    Three hidden layers of 32 rather than two: with two, about one seed in three missed
    the shallow dip of :math:`D^*` between the modes of a two-mode :math:`p_{data}` under
    a broad :math:`p_g`.

    Attributes:
      hidden: hidden widths of the ReLU MLP (input 1, output one logit).
      batch_size: samples drawn from *each* density per step.
      learning_rate: Adam's initial learning rate :math:`\\eta_0 > 0`.
      final_learning_rate: :math:`\\eta_{final}`, in :math:`(0, \\eta_0]`
        (equal to ``learning_rate`` for a constant rate).
      decay_steps: :math:`T \\ge 1`, the length of the decay in steps.
      b1, b2: Adam's decay rates, in [0, 1).

    Raises:
      ValueError or TypeError naming the field when a value is invalid.
    """

    hidden: tuple[int, ...] = setting((32, 32, 32), check_hidden)
    batch_size: int = setting(256, at_least(1))
    learning_rate: float = setting(1e-2, positive)
    final_learning_rate: float = setting(5e-4, positive)
    decay_steps: int = setting(2000, at_least(1))
    b1: float = setting(0.9, check_beta)
    b2: float = setting(0.999, check_beta)

    def check_together(self) -> None:
        """The rate decays: the final learning rate is at most the initial one."""
        if self.final_learning_rate > self.learning_rate:
            raise ValueError(f"final_learning_rate must be <= learning_rate "
                             f"({self.learning_rate!r}), got {self.final_learning_rate!r}")


class DiscriminatorState(NamedTuple):
    """The discriminator's training state, a pytree of arrays.

    Attributes:
      params: the NNX parameter state of the MLP.
      opt_state: the optax (Adam) state.
      step: training steps taken, an int32 scalar.
      shift, scale: the input standardisation, float32 scalars: the MLP sees
        :math:`(x - \\text{shift}) / \\text{scale}`. Set by each :meth:`DiscriminatorTrainer.train`
        call to the mean and standard deviation of :math:`\\tfrac12(p_{data} + p_g)`.
    """

    params: nnx.State
    opt_state: optax.OptState
    step: jax.Array
    shift: jax.Array
    scale: jax.Array


def _standardiser(p_data: Density, p_g: Density) -> tuple[jax.Array, jax.Array]:
    """Mean and standard deviation of the equal mixture of the two densities."""
    mean_d, var_d = p_data.moments_unchecked()
    mean_g, var_g = p_g.moments_unchecked()
    shift = 0.5 * (mean_d + mean_g)
    var = 0.5 * (var_d + var_g) + 0.25 * (mean_d - mean_g) ** 2
    return shift, jnp.sqrt(var)


class DiscriminatorTrainer(Trainer):
    """A discriminator for two fixed 1-D densities, trained with Adam in compiled chunks.

    Build it with :func:`make_discriminator_trainer`. It holds the MLP's graph definition
    (split once), the optimiser and the jitted functions, and no training state::

        trainer = make_discriminator_trainer(DiscriminatorConfig())
        state = trainer.init(jax.random.key(0))
        state, losses = trainer.train(state, jax.random.key(1), p_data, p_g, 1000)
        d = trainer.probabilities(state, np.linspace(-4, 4, 200))

    Each training step draws ``batch_size`` points from ``p_data`` (label 1) and as many
    from ``p_g`` (label 0) inside the compiled function and takes one Adam step on
    :func:`gan_lessons.losses.discriminator_loss`, the binary cross-entropy :math:`-\\hat V`.
    Minimising it over all functions gives :math:`D^*`; a flexible enough MLP approaches it
    where the densities have mass, and is unconstrained (extrapolates) where they have none.

    Input standardisation: the MLP sees :math:`(x - \\text{shift})/\\text{scale}`, the mean
    and standard deviation of :math:`\\tfrac12(p_{data} + p_g)`, computed from the
    densities inside :meth:`train` and stored in the state. Inputs of order 1 keep ReLU
    units and Adam's steps well scaled whether the densities sit near 0 or far from it,
    with the same learning rate for every slider position.

    Randomness: step :math:`t` (counted over the life of the state) uses
    ``jax.random.fold_in(key, t)``, so the same state and key give the same result, however
    the steps are cut into calls.

    The unvalidated pure functions :meth:`init_fn`, :meth:`train_fn` and :meth:`logits_fn`
    compose with ``jax.vmap`` (several seeds side by side).
    """

    config_type = DiscriminatorConfig
    state_type = DiscriminatorState

    def __init__(self, config: DiscriminatorConfig):
        super().__init__(config)
        abstract = nnx.eval_shape(lambda: self._build(nnx.Rngs(0)))
        self.graphdef = nnx.split(abstract, nnx.Param)[0]
        schedule = optax.cosine_decay_schedule(
            config.learning_rate, config.decay_steps,
            alpha=config.final_learning_rate / config.learning_rate)
        self.optimizer = optax.inject_hyperparams(optax.adam)(
            learning_rate=schedule, b1=config.b1, b2=config.b2)
        self._logits_jit = jit(self.logits_fn)

    def _build(self, rngs: nnx.Rngs) -> Discriminator:
        return make_discriminator(1, self.config.hidden, rngs)

    # ----------------------------------------------------------------- pure functions
    def init_fn(self, key: jax.Array) -> DiscriminatorState:
        """Pure: a fresh state from a key (no validation)."""
        params = nnx.split(self._build(nnx.Rngs(key)), nnx.Param)[1]
        return DiscriminatorState(params=params, opt_state=self.optimizer.init(params),
                                  step=jnp.zeros((), jnp.int32),
                                  shift=jnp.zeros((), jnp.float32),
                                  scale=jnp.ones((), jnp.float32))

    def _apply(self, params: nnx.State, shift: jax.Array, scale: jax.Array,
               x: jax.Array) -> jax.Array:
        model = nnx.merge(self.graphdef, params)
        return model(((x - shift) / scale)[:, None])

    def _step(self, state: DiscriminatorState, key: jax.Array, p_data: Density,
              p_g: Density) -> tuple[DiscriminatorState, jax.Array]:
        n = self.config.batch_size
        data_key, g_key = jax.random.split(jax.random.fold_in(key, state.step))
        points = jnp.concatenate([p_data.sample_unchecked(data_key, n),
                                  p_g.sample_unchecked(g_key, n)])

        def loss_fn(params: nnx.State) -> jax.Array:
            logits = self._apply(params, state.shift, state.scale, points)
            return discriminator_loss(logits[:n], logits[n:])

        loss, grads = jax.value_and_grad(loss_fn)(state.params)
        updates, opt_state = self.optimizer.update(grads, state.opt_state, state.params)
        return state._replace(params=optax.apply_updates(state.params, updates),
                              opt_state=opt_state, step=state.step + 1), loss

    def train_fn(self, state: DiscriminatorState, key: jax.Array, num_steps: int,
                 p_data: Density, p_g: Density) -> tuple[DiscriminatorState, jax.Array]:
        """Pure: ``num_steps`` Adam steps under ``lax.scan`` (no validation, no jit)."""
        shift, scale = _standardiser(p_data, p_g)
        state = state._replace(shift=shift, scale=scale)
        return jax.lax.scan(lambda s, _: self._step(s, key, p_data, p_g), state,
                            length=num_steps)

    def logits_fn(self, state: DiscriminatorState, x: jax.Array) -> jax.Array:
        """Pure: the logits l(x) at the points of a float32 array of any shape."""
        return self._apply(state.params, state.shift, state.scale, jnp.ravel(x)).reshape(x.shape)

    # ----------------------------------------------------------------- public methods
    def train(self, state: DiscriminatorState, key: jax.Array, p_data: Density, p_g: Density,
              num_steps: int) -> tuple[DiscriminatorState, jax.Array]:
        """Train for ``num_steps`` Adam steps in one compiled call.

        The densities are traced arguments: new means, standard deviations or weights reuse
        the compiled code (a new structure, such as a mixture in place of a Gaussian, compiles
        once). ``num_steps`` is static: use a fixed chunk length.

        The buffers of ``state`` are *donated*: after the call the state passed in is invalid.
        Keep only the returned one.

        Args:
          state: the current state.
          key: a typed key for the run's randomness (reusable across calls: each step folds
            in its own step number).
          p_data: the data density (label 1), a Gaussian or Gaussian mixture.
          p_g: the generator's density (label 0).
          num_steps: the number of steps, an int >= 1.

        Returns:
          ``(new_state, losses)``: ``losses`` is float32 of shape ``(num_steps,)``, the batch
          loss :math:`-\\hat V` of each step, measured before its update.
        """
        self.check_state(state)
        p_data, p_g = check_density("p_data", p_data), check_density("p_g", p_g)
        return super().train(state, key, num_steps, p_data, p_g)

    def precompile(self, num_steps: int, p_data: Density, p_g: Density) -> None:
        """Compile :meth:`train` for chunks of ``num_steps`` steps on densities of the kinds
        of ``p_data`` and ``p_g`` (their values do not matter), without training."""
        p_data, p_g = check_density("p_data", p_data), check_density("p_g", p_g)
        super().precompile(num_steps, p_data, p_g)

    def logits(self, state: DiscriminatorState, x: ArrayLike) -> jax.Array:
        """The learned logits :math:`l(x)` at finite points of any shape (float32, same shape).

        ``state`` is not donated. Each new shape of ``x`` compiles once.
        """
        self.check_state(state)
        return self._logits_jit(state, as_float32("x", x))

    def probabilities(self, state: DiscriminatorState, x: ArrayLike) -> jax.Array:
        """The learned :math:`D(x) = \\sigma(l(x))` at finite points of any shape."""
        return jax.nn.sigmoid(self.logits(state, x))


@functools.lru_cache(maxsize=16)
def _cached_trainer(config: DiscriminatorConfig) -> DiscriminatorTrainer:
    return DiscriminatorTrainer(config)


def make_discriminator_trainer(config: DiscriminatorConfig | None = None
                               ) -> DiscriminatorTrainer:
    """The :class:`DiscriminatorTrainer` for ``config`` (default :class:`DiscriminatorConfig`).

    Trainers are cached by config, so a panel that returns to a configuration reuses its
    compiled functions.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> trainer = make_discriminator_trainer(DiscriminatorConfig(batch_size=64))
      >>> state = trainer.init(jax.random.key(0))
      >>> state, losses = trainer.train(state, jax.random.key(1), Gaussian(0.0, 1.0),
      ...                               Gaussian(3.0, 1.0), 200)
      >>> losses.shape, bool(losses[-1] < losses[0])
      ((200,), True)
    """
    config = DiscriminatorConfig() if config is None else config
    if not isinstance(config, DiscriminatorConfig):
        raise TypeError(f"config must be a DiscriminatorConfig, got {show(config)}")
    return _cached_trainer(config)


class DiscriminatorFit(NamedTuple):
    """What :func:`train_discriminator` returns.

    Attributes:
      grid: the 1-D grid, float32.
      probabilities: the learned :math:`D(x)` on the grid.
      losses: the training loss :math:`-\\hat V` of every step, shape ``(steps,)``.
      value: :math:`V(G, D_{learned})`, by quadrature on the grid (float32 scalar).
      criterion: :math:`C(G) = V(G, D^*)`, by :func:`criterion` (float32 scalar);
        ``value <= criterion`` up to quadrature error and the gap measures how far the
        learned discriminator is from the optimum.
    """

    grid: jax.Array
    probabilities: jax.Array
    losses: jax.Array
    value: jax.Array
    criterion: jax.Array


DEFAULT_STEPS = 2000
"""Default number of training steps of :func:`train_discriminator`."""


def train_discriminator(key: jax.Array, p_data: Density, p_g: Density, *,
                        steps: int = DEFAULT_STEPS, config: DiscriminatorConfig | None = None,
                        grid: ArrayLike | None = None) -> DiscriminatorFit:
    """Train a fresh discriminator on samples of two fixed densities and compare it with D*.

    The convenience used by lesson 05 and its explorer's "Retrain" button: initialise,
    train for ``steps`` steps in one compiled call, then evaluate the learned
    :math:`D` on ``grid``, its value :math:`V(G, D)` by quadrature there, and :math:`C(G)`.

    Args:
      key: a typed key; split into an initialisation key and a training key. The same key
        gives the same fit.
      p_data: the data density, a Gaussian or Gaussian mixture.
      p_g: the generator's density.
      steps: training steps, an int >= 1 (static: keep it fixed in a panel).
      config: a :class:`DiscriminatorConfig`; by default ``DiscriminatorConfig(decay_steps=steps)``,
        so that the learning rate decays over exactly the steps taken.
      grid: 1-D, finite, strictly increasing points; default 601 points spanning every
        component of both densities out to 6 standard deviations.

    Returns:
      A :class:`DiscriminatorFit`.

    Example:
      >>> from gan_lessons.densities import Gaussian
      >>> fit = train_discriminator(jax.random.key(0), Gaussian(0.0, 1.0), Gaussian(2.0, 1.0))
      >>> bool(fit.value <= fit.criterion + 1e-4), bool(fit.criterion - fit.value < 0.02)
      (True, True)
    """
    key = check_key("key", key)
    p_data, p_g = check_density("p_data", p_data), check_density("p_g", p_g)
    steps = check_int("steps", steps, minimum=1)
    if config is None:
        config = DiscriminatorConfig(decay_steps=steps)
    trainer = make_discriminator_trainer(config)
    x = default_grid(p_data, p_g) if grid is None else as_increasing_grid("grid", grid)

    init_key, train_key = jax.random.split(key)
    state = trainer.init(init_key)
    state, losses = trainer.train(state, train_key, p_data, p_g, steps)
    logits = trainer.logits(state, x)
    return DiscriminatorFit(
        grid=x,
        probabilities=jax.nn.sigmoid(logits),
        losses=losses,
        value=value_on_grid(p_data, p_g, x, logits),
        criterion=criterion(p_data, p_g),
    )
