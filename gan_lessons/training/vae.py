"""Variational autoencoders (Kingma and Welling, 2014), trained with the course's trainer kit.

A VAE is a latent-variable model p(z) = N(0, I), p(x|z) (the *decoder*) fitted together with
an approximate posterior q(z|x) = N(mu(x), diag sigma(x)^2) (the *encoder*) by maximising::

    ELBO(x) = E_q[ln p(x|z)] - KL(q(z|x) || p(z))  =  ln p(x) - KL(q(z|x) || p(z|x))  <=  ln p(x).

E_q is estimated with one reparameterised sample z = mu + sigma * eps, eps ~ N(0, I); the KL
to the prior is in closed form (:func:`kl_to_standard_normal`). :func:`iwae_bound` estimates
ln p(x) from K importance samples (Burda et al., 2016): ELBO <= IWAE_K <= ln p(x) and
IWAE_K -> ln p(x), so ``log_likelihood - elbo`` measures the gap KL(q(z|x) || p(z|x)).

Likelihoods (``VAEConfig.likelihood``), both proper, so that ELBO <= ln p(x) holds:

* ``"gaussian"``: p(x|z) = N(m(z), s^2 I), s learned (one global s, or one per output) or
  fixed. On digits it is a density on the [-1, 1] pixels; as some pixels are always -1, a
  per-output s may shrink without bound there, so the global s is the default. Start s small
  (``sigma_init=0.1``): with s = 1 on the ring, the decoder explains the data as noise, the
  KL drops to 0 and z is ignored (posterior collapse).
* ``"bernoulli"`` (digits only): pixels binarised, b = [x > 0], p(b|z) = prod Bernoulli(b;
  sigmoid(l(z))). A Bernoulli of grey values in [0, 1] is not normalised (Loaiza-Ganem and
  Cunningham, 2019) and would break the bound. Means are shown on [-1, 1] as 2 p - 1.

:meth:`VAETrainer.sample` shows the decoder *mean* m(z) at z ~ N(0, I), as VAE papers do: it
averages over every x the decoder finds plausible for z, which is why VAE samples look blurry
next to a GAN's. ``noise=True`` draws x ~ p(x|z) instead.

The model and the bounds are in :mod:`gan_lessons.training.vae_model`; :class:`VAETrainer` is
built on the trainer skeleton of the GANs (compiled ``jit(scan)`` chunks, donated states, step
t drawing its randomness from ``fold_in(key, t)``, :meth:`~VAETrainer.fit` over the host loop).

References: Kingma and Welling, "Auto-Encoding Variational Bayes", ICLR 2014; Rezende et al.,
"Stochastic Backpropagation and Approximate Inference...", ICML 2014; Burda, Grosse and
Salakhutdinov, "Importance Weighted Autoencoders", ICLR 2016.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from gan_lessons._validate import as_finite_array, check_int, check_key, check_positive_float
from gan_lessons.data import get_dataset, sample_dataset
from gan_lessons.models import check_hidden
from gan_lessons.runtime import jit
from gan_lessons.training._kit import (
    Config, Trainer, at_least, one_of, positive, setting, with_learning_rate)
from gan_lessons.training.vae_model import (
    LIKELIHOODS, SIGMA_MODES, VAE, elbo, iwae_bound, kl_to_standard_normal, sampled_log_px)

__all__ = ["DATA_NAMES", "LIKELIHOODS", "SIGMA_MODES", "VAE", "VAEConfig", "VAEState",
           "VAETrainer", "elbo", "iwae_bound", "kl_to_standard_normal", "make_vae_trainer"]

DATA_NAMES = ("ring", "grid", "digits")
"""The data sets a VAE trains on: two 2-D mixtures and the 8 x 8 digits."""
METRIC_NAMES = ("loss", "recon", "kl")
"""Per-step metrics of :meth:`VAETrainer.train`: loss = -ELBO = recon + kl (batch means)."""
_DIGITS_SHAPE = (8, 8)


@dataclass(frozen=True, repr=False)
class VAEConfig(Config):
    """Everything structural about a VAE run; frozen and hashable.

    Attributes:
      data: ``"ring"`` or ``"grid"`` (2-D mixtures of :mod:`gan_lessons.data.mixtures`, fresh samples
        every step) or ``"digits"`` (the 1,797 images of :func:`gan_lessons.data.images.load_digits`,
        flattened to 64 values in [-1, 1]).
      latent_dim: the dimension of z.
      encoder_hidden, decoder_hidden: hidden widths of the ReLU MLPs; ``()`` is an affine map.
      batch_size: examples per update.
      learning_rate: Adam's initial rate (> 0); see :meth:`VAETrainer.set_learning_rate`.
      likelihood: ``"gaussian"`` or ``"bernoulli"`` (digits only); see the module notes.
      sigma: the Gaussian's s: ``"global"`` or ``"per_output"`` (learned), or ``"fixed"``.
      sigma_init: s at initialisation (its value throughout for ``"fixed"``).

    Raises:
      ValueError or TypeError naming the field when a value is invalid.

    Example:
      >>> VAEConfig(data="mnist")
      Traceback (most recent call last):
      ...
      ValueError: data must be one of 'ring', 'grid', 'digits'; got 'mnist'
    """

    data: str = setting("ring", one_of(DATA_NAMES))
    latent_dim: int = setting(2, at_least(1))
    encoder_hidden: tuple[int, ...] = setting((128, 128), check_hidden)
    decoder_hidden: tuple[int, ...] = setting((128, 128), check_hidden)
    batch_size: int = setting(256, at_least(1))
    learning_rate: float = setting(1e-3, positive)
    likelihood: str = setting("gaussian", one_of(LIKELIHOODS))
    sigma: str = setting("global", one_of(SIGMA_MODES))
    sigma_init: float = setting(0.1, positive)

    def check_together(self) -> None:
        """A Bernoulli likelihood models binary pixels: it needs the digits."""
        if self.likelihood == "bernoulli" and self.data != "digits":
            raise ValueError(f"likelihood 'bernoulli' models binary pixels and needs "
                             f"data='digits', got data={self.data!r}")

    @property
    def data_shape(self) -> tuple[int, ...]:
        """The shape of one example: (2,) or (8, 8)."""
        return _DIGITS_SHAPE if self.data == "digits" else (2,)

    @property
    def data_dim(self) -> int:
        """The number of values in one example: 2 or 64."""
        return math.prod(self.data_shape)


class VAEState(NamedTuple):
    """The training state, a pytree of arrays: NNX parameters, Adam state, step counter."""

    params: nnx.State
    opt_state: optax.OptState
    step: jax.Array


@functools.lru_cache(maxsize=1)
def _digits_rows() -> jax.Array:
    from gan_lessons.data.images import load_digits
    images = load_digits().images
    return jnp.asarray(images.reshape(images.shape[0], -1))


class VAETrainer(Trainer):
    """A compiled VAE trainer for one :class:`VAEConfig`; build it with :func:`make_vae_trainer`.

    The VAE is split once (:attr:`graphdef`); methods take a :class:`VAEState` and merge inside
    the traced function. ``train`` is one ``jax.jit`` over ``lax.scan``; step t draws its batch
    and eps from ``fold_in(key, t)`` (t counted over the state's life), so the same key gives
    the same result and 300 steps equal 100 then 200. 2-D data are fresh mixture samples each
    step. Digits: the 1,797 x 64 images are one device array (:attr:`data`) passed to the
    compiled step as an *argument*, not folded in as a constant; each step draws
    ``batch_size`` rows uniformly with replacement (no epoch state). ``train(..., data=rows)``
    trains on your own rows instead (a training split, say). :meth:`fit` runs long trainings in
    chunks and stops once ``loss`` is not finite.
    """

    config_type = VAEConfig
    state_type = VAEState
    metric_names = METRIC_NAMES
    watched = ("loss",)

    def __init__(self, config: VAEConfig):
        super().__init__(config)
        self.graphdef = nnx.split(nnx.eval_shape(lambda: self.build(nnx.Rngs(0))))[0]
        self.optimizer = optax.inject_hyperparams(optax.adam)(learning_rate=config.learning_rate)
        self.mixture = None if config.data == "digits" else get_dataset(config.data)
        self.data = _digits_rows() if config.data == "digits" else None
        self._sample_jit = jit(self.sample_fn, static_argnums=(2, 3))
        self._elbo_jit = jit(self.elbo_fn, static_argnums=3)
        self._iwae_jit = jit(self.log_likelihood_fn, static_argnums=3)
        self._encode_jit = jit(lambda s, x: self.model(s).encode(x))
        self._decode_jit = jit(lambda s, z: (lambda m: m.mean(m.decode(z)))(self.model(s)))

    def build(self, rngs: nnx.Rngs) -> VAE:
        """A fresh :class:`VAE` for this config."""
        c = self.config
        return VAE(c.data_dim, c.latent_dim, c.encoder_hidden, c.decoder_hidden, rngs=rngs,
                   likelihood=c.likelihood, sigma=c.sigma, sigma_init=c.sigma_init)

    def model(self, state: VAEState) -> VAE:
        """The NNX :class:`VAE` holding ``state.params`` (pure; usable inside traced code)."""
        return nnx.merge(self.graphdef, state.params, copy=True)

    # ----------------------------------------------------------------- pure functions
    def init_fn(self, key: jax.Array) -> VAEState:
        """Pure: a fresh state from a key."""
        params = nnx.split(self.build(nnx.Rngs(key)))[1]
        return VAEState(params, self.optimizer.init(params), jnp.zeros((), jnp.int32))

    def _batch(self, key: jax.Array, data: jax.Array | None) -> jax.Array:
        n = self.config.batch_size
        if data is None:
            return sample_dataset(key, self.mixture, n)
        return data[jax.random.randint(key, (n,), 0, data.shape[0])]

    def _train_step(self, state: VAEState, key: jax.Array, data: jax.Array | None):
        data_key, eps_key = jax.random.split(jax.random.fold_in(key, state.step))
        x = self._batch(data_key, data)

        def loss_fn(params):
            vae = nnx.merge(self.graphdef, params)
            mean, log_var = vae.encode(x)
            recon = sampled_log_px(vae, eps_key, x, mean, log_var)
            kl = kl_to_standard_normal(mean, log_var)
            return jnp.mean(kl - recon), (-jnp.mean(recon), jnp.mean(kl))

        (loss, (recon, kl)), grads = jax.value_and_grad(loss_fn, has_aux=True)(state.params)
        updates, opt_state = self.optimizer.update(grads, state.opt_state, state.params)
        state = VAEState(optax.apply_updates(state.params, updates), opt_state, state.step + 1)
        return state, {"loss": loss, "recon": recon, "kl": kl}

    def train_fn(self, state: VAEState, key: jax.Array, num_steps: int,
                 data: jax.Array | None) -> tuple[VAEState, dict]:
        """Pure: ``num_steps`` steps with ``lax.scan``; ``data`` None samples the mixture."""
        return jax.lax.scan(lambda s, _: self._train_step(s, key, data), state,
                            length=num_steps)

    def sample_fn(self, state: VAEState, key: jax.Array, n: int, noise: bool) -> jax.Array:
        """Pure: n decoder means at z ~ N(0, I) (plus decoder noise if ``noise``), (n, dim)."""
        vae = self.model(state)
        z_key, x_key = jax.random.split(key)
        out = vae.decode(jax.random.normal(z_key, (n, self.config.latent_dim), jnp.float32))
        if not noise:
            return vae.mean(out)
        if self.config.likelihood == "bernoulli":
            return 2.0 * jax.random.bernoulli(x_key, jax.nn.sigmoid(out)).astype(out.dtype) - 1
        return out + vae.noise_std() * jax.random.normal(x_key, out.shape, out.dtype)

    def elbo_fn(self, state: VAEState, key: jax.Array, x: jax.Array, num_samples: int):
        """Pure: :func:`elbo` of the rows of x (N, data_dim)."""
        return elbo(self.model(state), key, x, num_samples)

    def log_likelihood_fn(self, state: VAEState, key: jax.Array, x: jax.Array,
                          num_samples: int):
        """Pure: :func:`iwae_bound` of the rows of x (N, data_dim)."""
        return iwae_bound(self.model(state), key, x, num_samples)

    # ----------------------------------------------------------------- public methods
    def _rows(self, name: str, value: Any) -> jax.Array:
        """``value`` of shape (N, data_dim) or (N, *data_shape) as float32 (N, data_dim)."""
        array = as_finite_array(name, value)
        dim, shape = self.config.data_dim, self.config.data_shape
        if array.shape[1:] not in ((dim,), shape) or array.ndim < 2:
            extra = f" or (N, {', '.join(map(str, shape))})" if len(shape) > 1 else ""
            raise ValueError(f"{name} must have shape (N, {dim}){extra}, got {array.shape}")
        return jnp.asarray(array.reshape(array.shape[0], dim), jnp.float32)

    def _as_data(self, rows: jax.Array) -> jax.Array:
        return rows.reshape(rows.shape[0], *self.config.data_shape)

    def train(self, state: VAEState, key: jax.Array, num_steps: int,
              data: Any = None) -> tuple[VAEState, dict]:
        """Run ``num_steps`` Adam steps on -ELBO in one compiled call.

        ``state`` is donated (keep only the returned one); ``num_steps`` is static, so use a
        fixed chunk size. ``data`` (optional) replaces the training rows, shape
        (N, data_dim) or (N, *data_shape); a new N compiles once more.

        Returns:
          ``(new_state, metrics)``: each name of :data:`METRIC_NAMES` maps to a float32 array
          (num_steps,) of batch means before the update: ``loss`` = -ELBO, ``recon`` =
          -ln p(x|z) (one sample), ``kl`` = KL(q(z|x) || p(z)), all in nats per example.
        """
        data = self.data if data is None else self._rows("data", data)
        return super().train(state, key, num_steps, data)

    def precompile(self, num_steps: int) -> None:
        """Compile :meth:`train` on the config's data for chunks of ``num_steps`` steps."""
        super().precompile(num_steps, self.data)

    def sample(self, state: VAEState, key: jax.Array, n: int, noise: bool = False) -> jax.Array:
        """n samples of shape (n, *data_shape): decoder means m(z), z ~ N(0, I).

        With ``noise=True``, draws x ~ p(x|z) instead (Gaussian noise of std s, or binary
        pixels as -1/+1). ``n`` is static.
        """
        self.check_state(state)
        check_key("key", key)
        n = check_int("n", n, minimum=1)
        if not isinstance(noise, bool):
            raise TypeError(f"noise must be True or False, got {noise!r}")
        return self._as_data(self._sample_jit(state, key, n, noise))

    def encode(self, state: VAEState, x: Any) -> tuple[jax.Array, jax.Array]:
        """The mean and standard deviation of q(z|x), each (N, latent_dim)."""
        mean, log_var = self._encode_jit(self.check_state(state), self._rows("x", x))
        return mean, jnp.exp(0.5 * log_var)

    def decode(self, state: VAEState, z: Any) -> jax.Array:
        """Decoder means at given codes z (N, latent_dim), shape (N, *data_shape)."""
        z = as_finite_array("z", z, ndim=2)
        if z.shape[1] != self.config.latent_dim:
            raise ValueError(f"z must have shape (N, {self.config.latent_dim}), got {z.shape}")
        z = jnp.asarray(z, jnp.float32)
        return self._as_data(self._decode_jit(self.check_state(state), z))

    def reconstruct(self, state: VAEState, x: Any) -> jax.Array:
        """m(mu(x)): the decoder mean at the encoder mean (deterministic); x's shape."""
        mean, _ = self.encode(state, x)
        return self.decode(state, mean).reshape(np.shape(x))

    def elbo(self, state: VAEState, key: jax.Array, x: Any, num_samples: int = 1) -> jax.Array:
        """The ELBO of each example, (N,), in nats; see :func:`elbo`."""
        return self._elbo_jit(self.check_state(state), check_key("key", key), self._rows("x", x),
                              check_int("num_samples", num_samples, minimum=1))

    def log_likelihood(self, state: VAEState, key: jax.Array, x: Any,
                       num_samples: int = 1000) -> jax.Array:
        """The IWAE estimate of ln p(x) with K = ``num_samples`` per example, (N,)."""
        return self._iwae_jit(self.check_state(state), check_key("key", key), self._rows("x", x),
                              check_int("num_samples", num_samples, minimum=1))

    def set_learning_rate(self, state: VAEState, learning_rate: float) -> VAEState:
        """``state`` with a new Adam rate, as an array of the old aval (no recompilation)."""
        lr = check_positive_float("learning_rate", learning_rate, allow_zero=True)
        return self.check_state(state)._replace(
            opt_state=with_learning_rate(state.opt_state, lr))


@functools.lru_cache(maxsize=32)
def _cached_trainer(config: VAEConfig) -> VAETrainer:
    return VAETrainer(config)


def make_vae_trainer(config: VAEConfig) -> VAETrainer:
    """The trainer for ``config``, built (and compiled) once per config and reused.

    Example:
      >>> trainer = make_vae_trainer(VAEConfig("ring", encoder_hidden=(16,), decoder_hidden=(16,)))
      >>> state, metrics = trainer.train(trainer.init(jax.random.key(0)), jax.random.key(1), 5)
      >>> sorted(metrics), metrics["loss"].shape, trainer.sample(state, jax.random.key(2), 3).shape
      (['kl', 'loss', 'recon'], (5,), (3, 2))
    """
    if not isinstance(config, VAEConfig):
        raise TypeError(f"config must be a VAEConfig, got {type(config).__name__}")
    return _cached_trainer(config)
