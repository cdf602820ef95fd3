"""Variational autoencoders (Kingma and Welling, 2014), trained the engine's functional way.

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

from gan_lessons._validate import (
    as_finite_array, check_choice, check_int, check_key, check_positive_float)
from gan_lessons.data import get_dataset, sample_dataset
from gan_lessons.training.gan import _with_learning_rate
from gan_lessons.models import MLP, _check_hidden

__all__ = ["DATA_NAMES", "LIKELIHOODS", "METRIC_NAMES", "SIGMA_MODES", "VAE", "VAEConfig",
           "VAEState", "VAETrainer", "elbo", "iwae_bound", "kl_to_standard_normal",
           "make_vae_trainer"]

DATA_NAMES = ("ring", "grid", "digits")
LIKELIHOODS = ("gaussian", "bernoulli")
SIGMA_MODES = ("global", "per_output", "fixed")
METRIC_NAMES = ("loss", "recon", "kl")
"""Per-step metrics of :meth:`VAETrainer.train`: loss = -ELBO = recon + kl (batch means)."""
_DIGITS_SHAPE = (8, 8)
_LOG_2PI = math.log(2.0 * math.pi)


@dataclass(frozen=True)
class VAEConfig:
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

    data: str = "ring"
    latent_dim: int = 2
    encoder_hidden: tuple[int, ...] = (128, 128)
    decoder_hidden: tuple[int, ...] = (128, 128)
    batch_size: int = 256
    learning_rate: float = 1e-3
    likelihood: str = "gaussian"
    sigma: str = "global"
    sigma_init: float = 0.1

    def __post_init__(self) -> None:
        def put(field: str, value: Any) -> None:
            object.__setattr__(self, field, value)

        put("data", check_choice("data", self.data, DATA_NAMES))
        put("latent_dim", check_int("latent_dim", self.latent_dim, minimum=1))
        put("encoder_hidden", _check_hidden("encoder_hidden", self.encoder_hidden))
        put("decoder_hidden", _check_hidden("decoder_hidden", self.decoder_hidden))
        put("batch_size", check_int("batch_size", self.batch_size, minimum=1))
        put("learning_rate", check_positive_float("learning_rate", self.learning_rate))
        put("likelihood", check_choice("likelihood", self.likelihood, LIKELIHOODS))
        put("sigma", check_choice("sigma", self.sigma, SIGMA_MODES))
        put("sigma_init", check_positive_float("sigma_init", self.sigma_init))
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


class VAE(nnx.Module):
    """Encoder q(z|x) and decoder p(x|z) as two MLPs; it knows nothing about training.

    The encoder maps x (batch, data_dim) to (mu, ln sigma^2), each (batch, latent_dim). The
    decoder maps z to m(z) (Gaussian mean) or l(z) (Bernoulli logits); the Gaussian's log s is
    the ``nnx.Param`` ``log_sigma`` of shape () or (data_dim,), or a float when fixed. With
    ``()`` hidden widths both maps are affine (e.g. the linear-Gaussian model).
    """

    def __init__(self, data_dim: int, latent_dim: int, encoder_hidden=(), decoder_hidden=(),
                 *, rngs: nnx.Rngs, likelihood: str = "gaussian", sigma: str = "global",
                 sigma_init: float = 0.1):
        self.latent_dim = check_int("latent_dim", latent_dim, minimum=1)
        self.likelihood = check_choice("likelihood", likelihood, LIKELIHOODS)
        self.encoder = MLP(data_dim, encoder_hidden, 2 * latent_dim, rngs=rngs)
        self.decoder = MLP(latent_dim, decoder_hidden, data_dim, rngs=rngs)
        log_s = math.log(check_positive_float("sigma_init", sigma_init))
        if check_choice("sigma", sigma, SIGMA_MODES) == "fixed":
            self.log_sigma = log_s  # a static float, not trained
        else:
            shape = () if sigma == "global" else (data_dim,)
            self.log_sigma = nnx.Param(jnp.full(shape, log_s, jnp.float32))

    def encode(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        """(mu(x), ln sigma(x)^2) of q(z|x)."""
        h = self.encoder(x)
        return h[..., :self.latent_dim], h[..., self.latent_dim:]

    def decode(self, z: jax.Array) -> jax.Array:
        """The decoder output: the Gaussian mean m(z) or the Bernoulli logits l(z)."""
        return self.decoder(z)

    def mean(self, out: jax.Array) -> jax.Array:
        """E[x|z] on the data's scale from a decoder output (2 sigmoid(l) - 1 for Bernoulli)."""
        return 2.0 * jax.nn.sigmoid(out) - 1.0 if self.likelihood == "bernoulli" else out

    def noise_std(self) -> jax.Array:
        """The decoder's s (Gaussian only), shape () or (data_dim,)."""
        log_s = self.log_sigma
        return jnp.exp(log_s[...] if isinstance(log_s, nnx.Variable) else jnp.float32(log_s))

    def log_px_given_z(self, x: jax.Array, out: jax.Array) -> jax.Array:
        """ln p(x|z) per example, summed over the data dimensions; ``out = decode(z)``."""
        if self.likelihood == "bernoulli":  # stable: ln sigmoid(l) and ln sigmoid(-l)
            b = (x > 0).astype(out.dtype)
            return jnp.sum(b * jax.nn.log_sigmoid(out) + (1 - b) * jax.nn.log_sigmoid(-out), -1)
        s = jnp.broadcast_to(self.noise_std(), out.shape)
        return jnp.sum(-0.5 * jnp.square((x - out) / s) - jnp.log(s) - 0.5 * _LOG_2PI, -1)


def kl_to_standard_normal(mean: jax.Array, log_var: jax.Array) -> jax.Array:
    """KL(N(mean, diag exp(log_var)) || N(0, I)), summed over the last axis.

    .. math:: \\mathrm{KL} = \\tfrac12 \\sum_j (\\mu_j^2 + \\sigma_j^2 - 1 - \\ln \\sigma_j^2).

    Example:
      >>> float(kl_to_standard_normal(jnp.array([1.0]), jnp.array([0.0])))
      0.5
    """
    return 0.5 * jnp.sum(jnp.square(mean) + jnp.exp(log_var) - 1.0 - log_var, axis=-1)


def _recon(vae: VAE, key: jax.Array, x: jax.Array, mean: jax.Array,
           log_var: jax.Array) -> jax.Array:
    """One-sample ln p(x|z) per example at z = mu + sigma eps, eps ~ N(0, I)."""
    eps = jax.random.normal(key, mean.shape, mean.dtype)
    return vae.log_px_given_z(x, vae.decode(mean + jnp.exp(0.5 * log_var) * eps))


def elbo(vae: VAE, key: jax.Array, x: jax.Array, num_samples: int = 1) -> jax.Array:
    """The ELBO of each row of x, shape (N,): E_q[ln p(x|z)] - KL(q(z|x) || N(0, I)).

    The expectation is the mean of ``num_samples`` reparameterised samples (1 in training;
    run 32 at a time); the KL is exact. Unbiased for the ELBO, which is <= ln p(x).
    """
    mean, log_var = vae.encode(x)
    recon = jax.lax.map(lambda k: _recon(vae, k, x, mean, log_var),
                        jax.random.split(key, num_samples), batch_size=min(num_samples, 32))
    return jnp.mean(recon, axis=0) - kl_to_standard_normal(mean, log_var)


def iwae_bound(vae: VAE, key: jax.Array, x: jax.Array, num_samples: int) -> jax.Array:
    """The importance-weighted estimate of ln p(x) with K = ``num_samples``, shape (N,).

    .. math:: \\ln \\frac1K \\sum_{k=1}^K \\frac{p(x|z_k)\\, p(z_k)}{q(z_k|x)},
              \\quad z_k \\sim q(z|x),

    a log-mean-exp. In expectation ELBO <= IWAE_K <= IWAE_{K+1} <= ln p(x), and IWAE_K -> ln p(x)
    as K -> infinity (Burda et al., 2016). With the exact posterior as q every weight equals
    p(x), so even K = 1 gives ln p(x). The K samples run in batches of 32 (``lax.map``), so
    memory grows with N, not with N K.
    """
    mean, log_var = vae.encode(x)
    std = jnp.exp(0.5 * log_var)

    def log_weight(k):
        eps = jax.random.normal(k, mean.shape, mean.dtype)
        z = mean + std * eps
        log_q = jnp.sum(-0.5 * jnp.square(eps) - 0.5 * log_var - 0.5 * _LOG_2PI, -1)
        log_prior = jnp.sum(-0.5 * jnp.square(z) - 0.5 * _LOG_2PI, -1)
        return vae.log_px_given_z(x, vae.decode(z)) + log_prior - log_q

    log_w = jax.lax.map(log_weight, jax.random.split(key, num_samples),
                        batch_size=min(num_samples, 32))
    return jax.nn.logsumexp(log_w, axis=0) - math.log(num_samples)


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


def _check_state(state: Any) -> VAEState:
    if not isinstance(state, VAEState):
        raise TypeError(f"state must be a VAEState from VAETrainer.init, "
                        f"got {type(state).__name__}")
    if any(getattr(leaf, "is_deleted", lambda: False)() for leaf in jax.tree.leaves(state)):
        raise ValueError("state was donated to an earlier VAETrainer.train call; use the state "
                         "that call returned")
    return state


class VAETrainer:
    """A compiled VAE trainer for one :class:`VAEConfig`; build it with :func:`make_vae_trainer`.

    The VAE is split once (:attr:`graphdef`); methods take a :class:`VAEState` and merge inside
    the traced function. ``train`` is one ``jax.jit`` over ``lax.scan``; step t draws its batch
    and eps from ``fold_in(key, t)`` (t counted over the state's life), so the same key gives
    the same result and 300 steps equal 100 then 200. 2-D data are fresh mixture samples each
    step. Digits: the 1,797 x 64 images are one device array (:attr:`data`) passed to the
    compiled step as an *argument*, not folded in as a constant; each step draws
    ``batch_size`` rows uniformly with replacement (no epoch state). ``train(..., data=rows)``
    trains on your own rows instead (a training split, say).
    """

    def __init__(self, config: VAEConfig):
        if not isinstance(config, VAEConfig):
            raise TypeError(f"config must be a VAEConfig, got {type(config).__name__}")
        self.config = config
        self.graphdef = nnx.split(nnx.eval_shape(lambda: self.build(nnx.Rngs(0))))[0]
        self.optimizer = optax.inject_hyperparams(optax.adam)(learning_rate=config.learning_rate)
        self.mixture = None if config.data == "digits" else get_dataset(config.data)
        self.data = _digits_rows() if config.data == "digits" else None
        self._init_jit = jax.jit(self.init_fn)
        self._train_jit = jax.jit(self.train_fn, static_argnums=3, donate_argnums=0)
        self._sample_jit = jax.jit(self.sample_fn, static_argnums=(2, 3))
        self._elbo_jit = jax.jit(self.elbo_fn, static_argnums=3)
        self._iwae_jit = jax.jit(self.log_likelihood_fn, static_argnums=3)
        self._encode_jit = jax.jit(lambda s, x: self.model(s).encode(x))
        self._decode_jit = jax.jit(lambda s, z: (lambda m: m.mean(m.decode(z)))(self.model(s)))

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
            recon = _recon(vae, eps_key, x, mean, log_var)
            kl = kl_to_standard_normal(mean, log_var)
            return jnp.mean(kl - recon), (-jnp.mean(recon), jnp.mean(kl))

        (loss, (recon, kl)), grads = jax.value_and_grad(loss_fn, has_aux=True)(state.params)
        updates, opt_state = self.optimizer.update(grads, state.opt_state, state.params)
        state = VAEState(optax.apply_updates(state.params, updates), opt_state, state.step + 1)
        return state, {"loss": loss, "recon": recon, "kl": kl}

    def train_fn(self, state: VAEState, key: jax.Array, data: jax.Array | None,
                 num_steps: int) -> tuple[VAEState, dict]:
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

    def init(self, key: jax.Array) -> VAEState:
        """A fresh state (step 0); the same typed key gives the same state."""
        return self._init_jit(check_key("key", key))

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
        _check_state(state)
        check_key("key", key)
        num_steps = check_int("num_steps", num_steps, minimum=1)
        data = self.data if data is None else self._rows("data", data)
        return self._train_jit(state, key, data, num_steps)

    def sample(self, state: VAEState, key: jax.Array, n: int, noise: bool = False) -> jax.Array:
        """n samples of shape (n, *data_shape): decoder means m(z), z ~ N(0, I).

        With ``noise=True``, draws x ~ p(x|z) instead (Gaussian noise of std s, or binary
        pixels as -1/+1). ``n`` is static.
        """
        _check_state(state)
        check_key("key", key)
        n = check_int("n", n, minimum=1)
        if not isinstance(noise, bool):
            raise TypeError(f"noise must be True or False, got {noise!r}")
        return self._as_data(self._sample_jit(state, key, n, noise))

    def encode(self, state: VAEState, x: Any) -> tuple[jax.Array, jax.Array]:
        """The mean and standard deviation of q(z|x), each (N, latent_dim)."""
        mean, log_var = self._encode_jit(_check_state(state), self._rows("x", x))
        return mean, jnp.exp(0.5 * log_var)

    def decode(self, state: VAEState, z: Any) -> jax.Array:
        """Decoder means at given codes z (N, latent_dim), shape (N, *data_shape)."""
        z = as_finite_array("z", z, ndim=2)
        if z.shape[1] != self.config.latent_dim:
            raise ValueError(f"z must have shape (N, {self.config.latent_dim}), got {z.shape}")
        return self._as_data(self._decode_jit(_check_state(state), jnp.asarray(z, jnp.float32)))

    def reconstruct(self, state: VAEState, x: Any) -> jax.Array:
        """m(mu(x)): the decoder mean at the encoder mean (deterministic); x's shape."""
        mean, _ = self.encode(state, x)
        return self.decode(state, mean).reshape(np.shape(x))

    def elbo(self, state: VAEState, key: jax.Array, x: Any, num_samples: int = 1) -> jax.Array:
        """The ELBO of each example, (N,), in nats; see :func:`elbo`."""
        return self._elbo_jit(_check_state(state), check_key("key", key), self._rows("x", x),
                              check_int("num_samples", num_samples, minimum=1))

    def log_likelihood(self, state: VAEState, key: jax.Array, x: Any,
                       num_samples: int = 1000) -> jax.Array:
        """The IWAE estimate of ln p(x) with K = ``num_samples`` per example, (N,)."""
        return self._iwae_jit(_check_state(state), check_key("key", key), self._rows("x", x),
                              check_int("num_samples", num_samples, minimum=1))

    def set_learning_rate(self, state: VAEState, learning_rate: float) -> VAEState:
        """``state`` with a new Adam rate, as an array of the old aval (no recompilation)."""
        lr = check_positive_float("learning_rate", learning_rate, allow_zero=True)
        return _check_state(state)._replace(
            opt_state=_with_learning_rate(state.opt_state, lr))


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
