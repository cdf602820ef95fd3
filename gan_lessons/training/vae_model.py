"""The variational autoencoder itself: encoder, decoder, likelihoods and the bounds on ln p(x).

:class:`VAE` is the model, knowing nothing about training; :func:`elbo` and :func:`iwae_bound`
are the two bounds, :func:`kl_to_standard_normal` the closed-form KL term. The trainer is in
:mod:`gan_lessons.training.vae`, which explains the likelihoods.

References: Kingma and Welling, "Auto-Encoding Variational Bayes", ICLR 2014; Burda, Grosse and
Salakhutdinov, "Importance Weighted Autoencoders", ICLR 2016.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
from flax import nnx

from gan_lessons._validate import check_choice, check_int, check_positive_float
from gan_lessons.models import MLP

__all__ = ["LIKELIHOODS", "SIGMA_MODES", "VAE", "elbo", "iwae_bound", "kl_to_standard_normal",
           "sampled_log_px"]

LIKELIHOODS = ("gaussian", "bernoulli")
"""The decoder likelihoods p(x|z): a Gaussian, or a Bernoulli of binarised pixels."""
SIGMA_MODES = ("global", "per_output", "fixed")
"""How the Gaussian decoder's s is set: one learned s, one per output, or fixed."""
_LOG_2PI = math.log(2.0 * math.pi)


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


def sampled_log_px(vae: VAE, key: jax.Array, x: jax.Array, mean: jax.Array,
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
    recon = jax.lax.map(lambda k: sampled_log_px(vae, k, x, mean, log_var),
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
