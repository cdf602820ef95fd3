"""Tests of gan_lessons.training.vae: closed forms (scipy), training, determinism, validation."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from scipy import stats

from gan_lessons.training.vae import (VAE, VAEConfig, VAEState, iwae_bound,
                             kl_to_standard_normal, make_vae_trainer)

SMALL = VAEConfig("ring", encoder_hidden=(16,), decoder_hidden=(16,), batch_size=32)
LINEAR = VAEConfig("ring", latent_dim=2, encoder_hidden=(), decoder_hidden=())


# ------------------------------------------------------------------ closed forms
def test_kl_matches_the_general_gaussian_formula_and_monte_carlo():
    rng = np.random.default_rng(0)
    mean, log_var = rng.normal(size=3), rng.normal(size=3)
    ours = float(kl_to_standard_normal(jnp.asarray(mean), jnp.asarray(log_var)))
    # KL(N0 || N1) = 0.5 (tr(S1^-1 S0) + m^T S1^-1 m - k + ln det S1 / det S0), with N1 = N(0, I).
    cov = np.diag(np.exp(log_var))
    general = 0.5 * (np.trace(cov) + mean @ mean - 3 - np.log(np.linalg.det(cov)))
    assert ours == pytest.approx(general, rel=1e-5)
    z = stats.multivariate_normal(mean, cov).rvs(size=200_000, random_state=1)
    terms = stats.multivariate_normal(mean, cov).logpdf(z) - stats.multivariate_normal(
        np.zeros(3), np.eye(3)).logpdf(z)
    assert abs(ours - terms.mean()) < 4 * terms.std() / np.sqrt(len(terms))
    assert float(kl_to_standard_normal(jnp.zeros(4), jnp.zeros(4))) == 0.0


def test_decoder_likelihoods_match_scipy():
    rngs = nnx.Rngs(0)
    x = jnp.array([[0.3, -1.2], [2.0, 0.1]])
    out = jnp.array([[0.0, -1.0], [1.5, 0.5]])
    vae = VAE(2, 1, rngs=rngs, sigma="per_output", sigma_init=1.0)
    vae.log_sigma[...] = jnp.log(jnp.array([0.5, 2.0]))
    expected = stats.norm(np.asarray(out), [0.5, 2.0]).logpdf(np.asarray(x)).sum(1)
    np.testing.assert_allclose(vae.log_px_given_z(x, out), expected, rtol=1e-5)
    binary = VAE(2, 1, rngs=rngs, likelihood="bernoulli")
    p = 1 / (1 + np.exp(-np.asarray(out)))
    expected = stats.bernoulli(p).logpmf(np.asarray(x) > 0).sum(1)
    np.testing.assert_allclose(binary.log_px_given_z(x, out), expected, rtol=1e-5)


def _linear_gaussian(w, b, s, enc_mean=None, enc_var=None):
    """A trainer state whose decoder is p(x|z) = N(W z + b, s^2 I) and whose encoder is
    q(z|x) = N(A (x - b), diag v) for (A, v) = (enc_mean, enc_var), or the initial encoder."""
    trainer = make_vae_trainer(LINEAR)
    state = trainer.init(jax.random.key(0))
    vae = trainer.model(state)
    vae.decoder.output_layer.kernel[...] = jnp.asarray(w.T, jnp.float32)
    vae.decoder.output_layer.bias[...] = jnp.asarray(b, jnp.float32)
    vae.log_sigma[...] = jnp.asarray(np.log(s), jnp.float32)
    if enc_mean is not None:
        kernel = np.concatenate([enc_mean.T, np.zeros((2, 2))], axis=1)
        bias = np.concatenate([-enc_mean @ b, np.log(enc_var)])
        vae.encoder.output_layer.kernel[...] = jnp.asarray(kernel, jnp.float32)
        vae.encoder.output_layer.bias[...] = jnp.asarray(bias, jnp.float32)
    return trainer, state._replace(params=nnx.split(vae)[1]), vae


def _exact_elbo(x, w, b, s, mu, var):
    """E_q ln N(x; W z + b, s^2 I) - KL(q || N(0, I)), q = N(mu, diag var), by hand."""
    resid = x - mu @ w.T - b
    trace = np.einsum("ij,nj,ij->n", w, var, w)
    recon = -0.5 * (np.sum(resid**2, 1) + trace) / s**2 - 2 * np.log(s) - np.log(2 * np.pi)
    kl = 0.5 * np.sum(mu**2 + var - 1 - np.log(var), 1)
    return recon - kl


def test_elbo_is_below_the_known_evidence_and_iwae_approaches_it():
    w, b, s = np.array([[1.5, 0.4], [-0.3, 0.8]]), np.array([0.2, -0.5]), 0.3
    x = np.array([[0.0, 0.0], [1.0, -1.0], [-2.0, 0.5], [3.0, 2.0]])
    log_px = stats.multivariate_normal(b, w @ w.T + s**2 * np.eye(2)).logpdf(x)
    trainer, state, _ = _linear_gaussian(w, b, s)  # an arbitrary (initial) encoder
    mu, std = map(np.asarray, trainer.encode(state, x))
    exact = _exact_elbo(x, w, b, s, mu, std**2)
    mc = np.asarray(trainer.elbo(state, jax.random.key(1), x, num_samples=20_000))
    np.testing.assert_allclose(mc, exact, rtol=2e-2)
    assert np.all(exact < log_px) and np.all(mc < log_px)
    # The gap is KL(q(z|x) || p(z|x)), with the exact posterior N(C W^T (x - b) / s^2, C).
    post_cov = np.linalg.inv(np.eye(2) + w.T @ w / s**2)
    diff = (x - b) @ w @ post_cov / s**2 - mu
    prec = np.linalg.inv(post_cov)
    kl = 0.5 * (np.einsum("ij,nj->n", prec * np.eye(2), std**2) + np.einsum(
        "ni,ij,nj->n", diff, prec, diff) - 2 + np.log(np.linalg.det(post_cov))
        - np.sum(np.log(std**2), 1))
    np.testing.assert_allclose(exact + kl, log_px, rtol=1e-4)
    # A reasonable encoder (true posterior mean, doubled variance): IWAE_K -> ln p(x).
    cov = np.linalg.inv(np.eye(2) + w.T @ w / s**2)
    _, state, _ = _linear_gaussian(w, b, s, cov @ w.T / s**2, 2 * np.diag(cov))
    mu, std = map(np.asarray, trainer.encode(state, x))
    bound = np.asarray(trainer.log_likelihood(state, jax.random.key(2), x, 5000))
    assert np.all(_exact_elbo(x, w, b, s, mu, std**2) < bound - 0.05)
    np.testing.assert_allclose(bound, log_px, atol=0.02)


def test_the_exact_posterior_closes_the_elbo_gap():
    rotation = np.array([[np.cos(0.7), -np.sin(0.7)], [np.sin(0.7), np.cos(0.7)]])
    w, b, s = rotation @ np.diag([2.0, 0.5]), np.array([0.5, 1.0]), 0.4  # W^T W diagonal
    cov = np.linalg.inv(np.eye(2) + w.T @ w / s**2)  # so the posterior covariance is too
    assert abs(cov[0, 1]) < 1e-12
    x = np.array([[0.0, 0.0], [1.0, -1.0], [-2.0, 0.5], [3.0, 2.0]])
    log_px = stats.multivariate_normal(b, w @ w.T + s**2 * np.eye(2)).logpdf(x)
    trainer, state, vae = _linear_gaussian(w, b, s, cov @ w.T / s**2, np.diag(cov))
    mu, std = map(np.asarray, trainer.encode(state, x))
    np.testing.assert_allclose(_exact_elbo(x, w, b, s, mu, std**2), log_px, atol=1e-4)
    # Every importance weight equals p(x), so the IWAE estimate is exact already at K = 1.
    np.testing.assert_allclose(iwae_bound(vae, jax.random.key(3), jnp.asarray(x), 1), log_px,
                               atol=1e-4)
    np.testing.assert_allclose(trainer.log_likelihood(state, jax.random.key(4), x, 5000), log_px,
                               atol=1e-4)
    mc = trainer.elbo(state, jax.random.key(5), x, num_samples=20_000)
    np.testing.assert_allclose(mc, log_px, atol=0.02)


# ------------------------------------------------------------------ training
def test_training_on_the_ring_puts_samples_on_the_circle():
    trainer = make_vae_trainer(VAEConfig("ring"))
    state = trainer.init(jax.random.key(0))

    def median_distance(state):
        points = np.asarray(trainer.sample(state, jax.random.key(9), 2000))
        return np.median(np.abs(np.linalg.norm(points, axis=1) - 1))

    before = median_distance(state)
    state, metrics = trainer.train(state, jax.random.key(1), 2000)
    loss = np.asarray(metrics["loss"])
    np.testing.assert_allclose(loss, metrics["recon"] + metrics["kl"], rtol=1e-4, atol=1e-4)
    assert loss[-200:].mean() < loss[:200].mean() - 1.0
    assert median_distance(state) < min(0.1, before / 3)


def test_training_on_digits_beats_the_mean_image():
    config = VAEConfig("digits", latent_dim=8, encoder_hidden=(128,), decoder_hidden=(128,),
                       batch_size=128, sigma_init=1.0)
    trainer = make_vae_trainer(config)
    state, metrics = trainer.train(trainer.init(jax.random.key(0)), jax.random.key(1), 1500)
    loss = np.asarray(metrics["loss"])
    assert loss[-100:].mean() < loss[:100].mean() - 20
    images = np.asarray(trainer.data).reshape(-1, 8, 8)
    recon = np.asarray(trainer.reconstruct(state, images))
    assert recon.shape == images.shape
    assert np.mean((recon - images) ** 2) < 0.3 * np.mean((images - images.mean(0)) ** 2)


def test_bernoulli_digits_give_binary_noisy_samples():
    config = VAEConfig("digits", likelihood="bernoulli", encoder_hidden=(), decoder_hidden=())
    trainer = make_vae_trainer(config)
    state = trainer.init(jax.random.key(0))
    noisy = np.asarray(trainer.sample(state, jax.random.key(1), 4, noise=True))
    assert noisy.shape == (4, 8, 8) and set(np.unique(noisy)) <= {-1.0, 1.0}
    recon = np.asarray(trainer.reconstruct(state, np.zeros((3, 64))))
    assert recon.shape == (3, 64) and np.all(np.abs(recon) < 1)


# ------------------------------------------------------------------ engine properties
def test_same_key_same_state_and_chunking_does_not_matter():
    trainer = make_vae_trainer(SMALL)
    key = jax.random.key(7)
    one, m_one = trainer.train(trainer.init(jax.random.key(0)), key, 300)
    again, _ = trainer.train(trainer.init(jax.random.key(0)), key, 300)
    split, chunks = trainer.init(jax.random.key(0)), []
    for _ in range(3):  # 300 steps = 3 calls of 100 (one compiled function fewer than 100 + 200)
        split, metrics = trainer.train(split, key, 100)
        chunks.append(metrics["loss"])
    for a, b, c in zip(jax.tree.leaves(one), jax.tree.leaves(again), jax.tree.leaves(split)):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(a, c, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(m_one["loss"], np.concatenate(chunks), rtol=1e-5, atol=1e-5)
    assert int(split.step) == 300 and isinstance(split, VAEState)


def test_train_compiles_once_and_learning_rate_changes_do_not_recompile(compilations):
    trainer = make_vae_trainer(SMALL)
    assert make_vae_trainer(SMALL) is trainer
    state, _ = trainer.train(trainer.init(jax.random.key(0)), jax.random.key(1), 100)
    state = trainer.set_learning_rate(state, SMALL.learning_rate)  # warm its eager ops
    key = jax.random.key(2)
    mark = compilations.mark()
    state = trainer.set_learning_rate(state, 1e-4)
    state, _ = trainer.train(state, key, 100)
    assert compilations.since(mark) == []
    assert float(state.opt_state.hyperparams["learning_rate"]) == pytest.approx(1e-4)


def test_train_on_given_rows():
    trainer = make_vae_trainer(SMALL)
    rows = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    state, metrics = trainer.train(trainer.init(jax.random.key(0)), jax.random.key(1), 100,
                                   data=rows)
    assert metrics["loss"].shape == (100,) and np.all(np.isfinite(metrics["loss"]))
    with pytest.raises(ValueError, match="data"):
        trainer.train(state, jax.random.key(1), 5, data=np.zeros((4, 3)))


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize("field, value, error", [
    ("data", "mnist", ValueError), ("latent_dim", 0, ValueError),
    ("encoder_hidden", (8, 0), ValueError), ("decoder_hidden", "wide", TypeError),
    ("batch_size", -1, ValueError), ("learning_rate", 0.0, ValueError),
    ("likelihood", "poisson", ValueError), ("sigma", "learned", ValueError),
    ("sigma_init", -0.1, ValueError), ("latent_dim", 2.5, TypeError)])
def test_config_errors_name_the_field(field, value, error):
    with pytest.raises(error, match=field):
        VAEConfig(**{field: value})


def test_bernoulli_needs_digits_and_methods_check_arguments():
    with pytest.raises(ValueError, match="likelihood"):
        VAEConfig("ring", likelihood="bernoulli")
    with pytest.raises(TypeError, match="config"):
        make_vae_trainer({"data": "ring"})
    trainer = make_vae_trainer(SMALL)
    state = trainer.init(jax.random.key(0))
    key = jax.random.key(1)
    with pytest.raises(TypeError, match="key"):
        trainer.init(0)
    with pytest.raises(ValueError, match="num_steps"):
        trainer.train(state, key, 0)
    with pytest.raises(TypeError, match="state"):
        trainer.sample((), key, 3)
    with pytest.raises(ValueError, match="n must"):
        trainer.sample(state, key, 0)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 2\)"):
        trainer.elbo(state, key, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="x must"):
        trainer.encode(state, np.zeros(2))
    with pytest.raises(ValueError, match="num_samples"):
        trainer.log_likelihood(state, key, np.zeros((3, 2)), num_samples=0)
    with pytest.raises(ValueError, match="z must"):
        trainer.decode(state, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="x must"):
        trainer.reconstruct(state, [[np.nan, 0.0]])


def test_fit_equals_chunked_train_calls_and_stops_at_a_divergence(capsys):
    trainer = make_vae_trainer(SMALL)
    key = jax.random.key(12)
    result = trainer.fit(trainer.init(jax.random.key(11)), key, 250, chunk=100, progress=True)
    assert result.steps_done == 250 and result.diverged_at is None
    assert "\rstep 250/250" in capsys.readouterr().out
    state, chunks = trainer.init(jax.random.key(11)), []
    for n in (100, 100, 50):
        state, metrics = trainer.train(state, key, n)
        chunks.append(metrics)
    for a, b in zip(jax.tree.leaves(result.state), jax.tree.leaves(state)):
        np.testing.assert_array_equal(a, b)
    for name in ("loss", "recon", "kl"):
        np.testing.assert_array_equal(result.metrics[name],
                                      np.concatenate([m[name] for m in chunks]))
    # an infinite learning rate makes the parameters non-finite after the first update
    wild = trainer.set_learning_rate(trainer.init(jax.random.key(11)), 1e30)
    result = trainer.fit(wild, key, 300, chunk=100)
    assert result.diverged_at is not None and result.steps_done == 100
    assert np.all(np.isfinite(result.metrics["loss"][:result.diverged_at]))
