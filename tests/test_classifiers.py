"""Tests for gan_lessons.classifiers.

Oracles: Bayes' rule computed directly with ``scipy.stats.multivariate_normal`` and
``scipy.special`` (softmax, logsumexp, expit); numpy's per-class means, biased
covariances (``np.cov(..., bias=True)``) and label frequencies for the maximum-
likelihood fit; ``scipy.integrate.quad`` for the normalisation of p(x);
``scipy.optimize.minimize`` (BFGS, float64) on an independently written logistic
loss; the closed-form Bayes accuracy Phi(Delta / 2) of two equally likely Gaussian
classes with a shared covariance; the central limit theorem for sample moments.
The code under test is never its own oracle.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import integrate, optimize, special, stats

from gan_lessons.classifiers import (
    GenerativeClassifier,
    LabelledData,
    LogisticFit,
    accuracy,
    fit_generative,
    fit_logistic,
    gaussian_classes,
    linear_log_odds_coefficients,
    log_odds,
    posterior,
)

# Sample sizes shared by the tests, so that each compiled shape is reused.
N = 400
N_LARGE = 20_000

# Two shared-covariance classes used by several tests (a non-separable problem).
MEANS_2 = np.array([[0.0, 0.0], [1.5, 0.8]])
COV_2 = np.array([[1.0, 0.4], [0.4, 0.8]])
PRIORS_2 = np.array([0.4, 0.6])


def random_problem(seed, k, d, *, shared=False):
    """Random means (K, d), SPD covariances (K, d, d) and priors (K,), float64."""
    rng = np.random.default_rng(seed)
    means = rng.normal(0.0, 2.0, size=(k, d))
    a = rng.normal(size=(k, d, d))
    covs = a @ np.swapaxes(a, 1, 2) + 0.3 * np.eye(d)
    if shared:
        covs = np.broadcast_to(covs[0], (k, d, d)).copy()
    priors = rng.dirichlet(np.full(k, 2.0))
    return means, covs, priors


def scipy_log_joint(x, means, covs, priors):
    """ln N(x; mu_k, Sigma_k) + ln pi_k for every point and class, by scipy."""
    x = np.asarray(x, np.float64).reshape(len(x), -1)
    return np.stack([stats.multivariate_normal(m, c).logpdf(x).reshape(-1) + np.log(p)
                     for m, c, p in zip(means, covs, priors)], axis=1)


def f32(array):
    """The float32 rounding of a float64 problem, as the code under test sees it."""
    return np.asarray(array, np.float32).astype(np.float64)


def logistic_loss(theta, x, y, l2):
    """Mean binary cross-entropy plus l2/2 |w|^2, float64, written with scipy."""
    w, b = theta[:-1], theta[-1]
    a = x @ w + b
    return -np.mean(y * special.log_expit(a) + (1 - y) * special.log_expit(-a)) + 0.5 * l2 * w @ w


def logistic_gradient(theta, x, y, l2):
    """The gradient of logistic_loss: mean (sigma(a) - y) [x, 1] + l2 [w, 0]."""
    w, b = theta[:-1], theta[-1]
    r = special.expit(x @ w + b) - y
    return np.append(x.T @ r / len(y) + l2 * w, np.mean(r))


# ------------------------------------------------------------------ Bayes' rule


@pytest.mark.parametrize("k, d, seed", [(2, 1, 0), (2, 2, 1), (3, 1, 2), (3, 2, 3)])
def test_posterior_matches_bayes_rule_by_scipy(k, d, seed):
    means, covs, priors = random_problem(seed, k, d)
    x = np.random.default_rng(100 + seed).normal(0.0, 3.0, size=(50, d))
    want_log_joint = scipy_log_joint(f32(x), f32(means), f32(covs), f32(priors))
    want = special.softmax(want_log_joint, axis=1)

    got = np.asarray(posterior(x, means, covs, priors), np.float64)
    assert got.shape == (50, k) and got.dtype == np.float64
    np.testing.assert_allclose(got, want, atol=2e-5)
    np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-5)

    model = GenerativeClassifier(means, covs, priors)
    np.testing.assert_allclose(model.log_joint(x), want_log_joint, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(model.log_marginal(x), special.logsumexp(want_log_joint, axis=1),
                               rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(model.predict(x), np.argmax(want_log_joint, axis=1))


def test_one_dimensional_shorthand_matches_scipy_norm():
    means, variances, priors = [-1.0, 0.5, 2.0], [0.5, 1.5, 0.8], [0.2, 0.5, 0.3]
    x = np.linspace(-4.0, 5.0, 41)
    log_joint = np.stack([stats.norm(m, math.sqrt(v)).logpdf(x) + math.log(p)
                          for m, v, p in zip(means, variances, priors)], axis=1)
    np.testing.assert_allclose(posterior(x, means, variances, priors),
                               special.softmax(log_joint, axis=1), atol=1e-5)
    # The same problem written in full matrix form, and a shared variance as a scalar.
    full = posterior(x[:, None], np.array(means)[:, None],
                     np.array(variances)[:, None, None], priors)
    np.testing.assert_allclose(full, posterior(x, means, variances, priors), atol=1e-6)
    shared = posterior(x, means, 0.7, priors)
    np.testing.assert_allclose(shared, posterior(x, means, [0.7, 0.7, 0.7], priors), atol=1e-6)


@pytest.mark.parametrize("d, seed", [(1, 4), (2, 5)])
def test_two_classes_give_a_sigmoid_of_the_log_odds(d, seed):
    means, covs, priors = random_problem(seed, 2, d)
    x = np.random.default_rng(seed).normal(0.0, 3.0, size=(40, d))
    joint = scipy_log_joint(f32(x), f32(means), f32(covs), f32(priors))
    a = np.asarray(log_odds(x, means, covs, priors), np.float64)
    np.testing.assert_allclose(a, joint[:, 1] - joint[:, 0], rtol=1e-5, atol=1e-4)
    p = np.asarray(posterior(x, means, covs, priors), np.float64)
    np.testing.assert_allclose(p[:, 1], special.expit(a), atol=1e-6)
    np.testing.assert_allclose(p[:, 0], special.expit(-a), atol=1e-6)


@pytest.mark.parametrize("d, seed", [(1, 6), (2, 7), (3, 8)])
def test_linear_coefficients_reproduce_the_shared_covariance_log_odds(d, seed):
    means, covs, priors = random_problem(seed, 2, d, shared=True)
    w, b = linear_log_odds_coefficients(means[0], means[1], covs[0], priors[0], priors[1])
    assert w.shape == (d,) and b.shape == ()
    x = np.random.default_rng(seed).normal(0.0, 3.0, size=(30, d))
    direct = (stats.multivariate_normal(means[0], covs[0]).logpdf(x).reshape(-1)
              + math.log(priors[0])
              - stats.multivariate_normal(means[1], covs[1]).logpdf(x).reshape(-1)
              - math.log(priors[1]))
    linear = x @ np.asarray(w, np.float64) + float(b)
    np.testing.assert_allclose(linear, direct, rtol=1e-5, atol=1e-4)
    # With the class labelled 1 first they give log_odds (class 1 against class 0).
    w10, b10 = linear_log_odds_coefficients(means[1], means[0], covs[0], priors[1], priors[0])
    np.testing.assert_allclose(x @ np.asarray(w10, np.float64) + float(b10),
                               log_odds(x, means, covs, priors), rtol=1e-4, atol=1e-4)


def test_linear_coefficients_closed_form_in_one_dimension():
    # Shared variance s2: w = (m1 - m2) / s2, b = (m2^2 - m1^2) / (2 s2) + ln(p1 / p2).
    m1, m2, s2, p1 = 1.5, -0.5, 2.0, 0.3
    w, b = linear_log_odds_coefficients(m1, m2, s2, p1, 1 - p1)
    assert float(w[0]) == pytest.approx((m1 - m2) / s2, rel=1e-6)
    assert float(b) == pytest.approx((m2**2 - m1**2) / (2 * s2) + math.log(p1 / (1 - p1)),
                                     rel=1e-6)


def test_shared_covariance_log_odds_is_affine_and_separate_ones_are_not():
    t = np.linspace(-5.0, 5.0, 21)
    line = np.array([0.3, -0.2]) + t[:, None] * np.array([0.6, 0.8])
    shared = np.asarray(log_odds(line, MEANS_2, COV_2, PRIORS_2), np.float64)
    assert abs(np.polyfit(t, shared, 2)[0]) < 1e-5
    quadratic = np.asarray(log_odds(line, MEANS_2, [COV_2, 2.0 * np.eye(2)], PRIORS_2))
    assert abs(np.polyfit(t, quadratic, 2)[0]) > 0.1


def test_posterior_stays_finite_far_from_every_class():
    far = np.array([[1e3, -1e3], [-5e3, 2e3], [0.0, 1e4]])
    p = np.asarray(posterior(far, MEANS_2, [COV_2, 0.5 * COV_2], PRIORS_2))
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)
    model = GenerativeClassifier(MEANS_2, COV_2, PRIORS_2)
    assert np.all(np.isfinite(np.asarray(model.log_marginal(far))))


def test_a_zero_prior_class_is_never_predicted():
    x = np.linspace(-3.0, 3.0, 13)
    p = np.asarray(posterior(x, [-1.0, 0.0, 1.0], 1.0, [0.5, 0.0, 0.5]))
    np.testing.assert_array_equal(p[:, 1], 0.0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)
    data = gaussian_classes(jax.random.key(0), [-1.0, 0.0, 1.0], 1.0, [0.5, 0.0, 0.5], N)
    assert not np.any(np.asarray(data.y) == 1)


# ------------------------------------------------------------------ sampling


def test_gaussian_classes_shapes_determinism_and_moments():
    means, covs, priors = random_problem(9, 3, 2)
    n = 30_000
    data = gaussian_classes(jax.random.key(3), means, covs, priors, n)
    assert isinstance(data, LabelledData)
    assert data.x.shape == (n, 2) and data.x.dtype == jnp.float32
    assert data.y.shape == (n,) and data.y.dtype == jnp.int32
    again = gaussian_classes(jax.random.key(3), means, covs, priors, n)
    np.testing.assert_array_equal(data.x, again.x)
    np.testing.assert_array_equal(data.y, again.y)
    other = gaussian_classes(jax.random.key(4), means, covs, priors, n)
    assert not np.array_equal(np.asarray(data.x), np.asarray(other.x))
    assert_moments_match(np.asarray(data.x, np.float64), np.asarray(data.y), means, covs, priors)


def assert_moments_match(x, y, means, covs, priors, z=5.0):
    """Frequencies, class means and class covariances within z standard errors (CLT)."""
    n = len(y)
    freq = np.bincount(y, minlength=len(priors)) / n
    np.testing.assert_array_less(np.abs(freq - priors), z * np.sqrt(priors * (1 - priors) / n)
                                 + 1e-12)
    for k, (m, c) in enumerate(zip(means, covs)):
        xk = x[y == k]
        nk = len(xk)
        np.testing.assert_array_less(np.abs(xk.mean(axis=0) - m), z * np.sqrt(np.diag(c) / nk))
        # Var of a sample covariance entry of Gaussian data: (c_ij^2 + c_ii c_jj) / n.
        se = np.sqrt((c**2 + np.outer(np.diag(c), np.diag(c))) / nk)
        np.testing.assert_array_less(np.abs(np.cov(xk.T, bias=True).reshape(c.shape) - c),
                                     z * se)


# ------------------------------------------------------------------ the generative fit


def numpy_fit(x, y, k):
    """Per-class frequencies, means and biased covariances by numpy."""
    x = x.reshape(len(x), -1)
    priors = np.array([np.mean(y == j) for j in range(k)])
    means = np.stack([x[y == j].mean(axis=0) for j in range(k)])
    covs = np.stack([np.cov(x[y == j].T, bias=True).reshape(x.shape[1], x.shape[1])
                     for j in range(k)])
    return priors, means, covs


@pytest.mark.parametrize("k, d, seed", [(2, 1, 10), (2, 2, 11), (3, 2, 12)])
def test_fit_generative_is_numpys_per_class_maximum_likelihood(k, d, seed):
    means, covs, priors = random_problem(seed, k, d)
    data = gaussian_classes(jax.random.key(seed), means, covs, priors, N)
    x, y = np.asarray(data.x, np.float64), np.asarray(data.y)
    want_priors, want_means, want_covs = numpy_fit(x, y, k)

    model = fit_generative(x, y, k)
    assert isinstance(model, GenerativeClassifier)
    assert (model.num_classes, model.dim) == (k, d)
    np.testing.assert_allclose(model.priors, want_priors, rtol=1e-6)
    np.testing.assert_allclose(model.means, want_means, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model.covariances, want_covs, rtol=1e-4, atol=1e-5)

    pooled = np.einsum("k,kij->ij", want_priors, want_covs)
    shared = fit_generative(x, y, k, shared_covariance=True)
    np.testing.assert_allclose(shared.means, want_means, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(shared.priors, want_priors, rtol=1e-6)
    for j in range(k):
        np.testing.assert_allclose(shared.covariances[j], pooled, rtol=1e-4, atol=1e-5)


def test_fit_generative_accepts_one_dimensional_points_and_jax_arrays():
    x = np.array([0.0, 2.0, 5.0, 7.0, 9.0, 1.0])
    y = np.array([0, 0, 1, 1, 1, 0])
    model = fit_generative(jnp.asarray(x), jnp.asarray(y), 2)
    np.testing.assert_allclose(model.means[:, 0], [1.0, 7.0], rtol=1e-6)
    np.testing.assert_allclose(model.covariances[:, 0, 0],
                               [np.var([0.0, 2.0, 1.0]), np.var([5.0, 7.0, 9.0])], rtol=1e-6)
    np.testing.assert_allclose(model.priors, [0.5, 0.5])


def test_samples_of_a_fitted_model_have_its_moments():
    means, covs, priors = random_problem(13, 3, 2)
    data = gaussian_classes(jax.random.key(13), means, covs, priors, N)
    model = fit_generative(data.x, data.y, 3)
    fresh = model.sample(jax.random.key(14), 30_000)
    assert_moments_match(np.asarray(fresh.x, np.float64), np.asarray(fresh.y),
                         np.asarray(model.means, np.float64),
                         np.asarray(model.covariances, np.float64),
                         np.asarray(model.priors, np.float64))
    same = model.sample(jax.random.key(14), 30_000)
    np.testing.assert_array_equal(fresh.x, same.x)
    np.testing.assert_array_equal(fresh.y, same.y)


def test_log_marginal_is_a_normalised_density_in_one_dimension():
    data = gaussian_classes(jax.random.key(5), [-2.0, 0.5, 3.0], [0.3, 1.0, 0.6],
                            [0.3, 0.3, 0.4], N)
    model = fit_generative(data.x, data.y, 3)

    def density(t):
        return math.exp(float(model.log_marginal(np.array([t]))[0]))

    total, err = integrate.quad(density, -np.inf, np.inf, limit=200)
    assert total == pytest.approx(1.0, abs=1e-4)
    # p(x) is the prior-weighted sum of the class densities (scipy.stats.norm).
    m = np.asarray(model.means[:, 0], np.float64)
    s = np.sqrt(np.asarray(model.covariances[:, 0, 0], np.float64))
    pi = np.asarray(model.priors, np.float64)
    grid = np.linspace(-5.0, 6.0, 23)
    want = special.logsumexp(stats.norm.logpdf(grid[:, None], m, s), b=pi, axis=1)
    np.testing.assert_allclose(model.log_marginal(grid), want, rtol=1e-5, atol=1e-5)


def test_generative_classifier_is_an_immutable_pytree():
    model = GenerativeClassifier(MEANS_2, COV_2, PRIORS_2)
    assert model.covariances.shape == (2, 2, 2)
    with pytest.raises(AttributeError):
        model.priors = jnp.array([0.5, 0.5])
    leaves, treedef = jax.tree.flatten(model)
    assert len(leaves) == 3 and all(leaf.dtype == jnp.float32 for leaf in leaves)
    x = np.array([[0.2, -0.1], [1.0, 1.0]])
    inside = jax.jit(lambda m, pts: m.posterior(pts))(model, jnp.asarray(x, jnp.float32))
    np.testing.assert_allclose(inside, model.posterior(x), atol=1e-7)
    moved = jax.tree.map(lambda leaf: leaf, model)
    assert isinstance(moved, GenerativeClassifier)
    assert "num_classes=2" in repr(model)


# ------------------------------------------------------------------ logistic regression


@pytest.fixture(scope="module")
def overlapping():
    """A non-separable two-class data set (float64 numpy copies of float32 samples)."""
    data = gaussian_classes(jax.random.key(21), MEANS_2, COV_2, PRIORS_2, N)
    return np.asarray(data.x, np.float64), np.asarray(data.y)


@pytest.mark.parametrize(
    "optimizer, learning_rate, l2",
    [("adam", 0.1, 0.0), ("adam", 0.05, 0.1), ("sgd", 1.0, 0.0), ("sgd", 0.5, 0.01)],
)
def test_fit_logistic_reaches_the_scipy_bfgs_minimum(overlapping, optimizer, learning_rate, l2):
    x, y = overlapping
    best = optimize.minimize(logistic_loss, np.zeros(3), args=(x, y, l2), method="BFGS",
                             jac=logistic_gradient, options=dict(gtol=1e-9))
    assert np.linalg.norm(logistic_gradient(best.x, x, y, l2)) < 1e-8
    fit = fit_logistic(x, y, learning_rate=learning_rate, l2=l2, optimizer=optimizer)
    assert isinstance(fit, LogisticFit)
    assert fit.w.shape == (2,) and fit.b.shape == () and fit.losses.shape == (2000,)
    theta = np.append(np.asarray(fit.w, np.float64), float(fit.b))
    np.testing.assert_allclose(theta, best.x, atol=2e-3)
    assert logistic_loss(theta, x, y, l2) == pytest.approx(best.fun, abs=1e-6)
    # The last loss belongs to the returned parameters; the first follows one step
    # from w = 0, b = 0, where every posterior is 1/2 and the loss is ln 2.
    assert float(fit.losses[-1]) == pytest.approx(logistic_loss(theta, x, y, l2), rel=1e-5)
    assert float(fit.losses[0]) < math.log(2.0)
    assert np.all(np.isfinite(np.asarray(fit.losses)))


def test_softmax_regression_reaches_the_scipy_bfgs_minimum():
    means, covs, priors = random_problem(22, 3, 2)
    data = gaussian_classes(jax.random.key(22), means, covs, priors, N)
    x, y = np.asarray(data.x, np.float64), np.asarray(data.y)
    l2 = 0.05

    def loss(theta):
        w, b = theta[:6].reshape(2, 3), theta[6:]
        logits = x @ w + b
        nll = -np.mean(logits[np.arange(len(y)), y] - special.logsumexp(logits, axis=1))
        return nll + 0.5 * l2 * np.sum(w * w)

    best = optimize.minimize(loss, np.zeros(9), method="BFGS", options=dict(gtol=1e-9))
    fit = fit_logistic(x, y, num_classes=3, l2=l2)
    assert fit.w.shape == (2, 3) and fit.b.shape == (3,) and fit.num_classes == 3
    theta = np.concatenate([np.asarray(fit.w, np.float64).ravel(), np.asarray(fit.b, np.float64)])
    assert loss(theta) == pytest.approx(best.fun, abs=1e-5)
    assert float(fit.losses[-1]) == pytest.approx(loss(theta), rel=1e-5)
    assert float(fit.losses[0]) < math.log(3.0)  # the loss at zero parameters
    # The bias is defined up to a constant shift; the posterior is not.
    bw, bb = best.x[:6].reshape(2, 3), best.x[6:]
    np.testing.assert_allclose(fit.posterior(x), special.softmax(x @ bw + bb, axis=1), atol=2e-3)
    np.testing.assert_array_equal(fit.predict(x), np.argmax(fit.logits(x), axis=1))


def test_logistic_posterior_logits_and_predictions_agree(overlapping):
    x, y = overlapping
    fit = fit_logistic(x, y)
    a = np.asarray(x @ np.asarray(fit.w, np.float64) + float(fit.b))
    np.testing.assert_allclose(fit.logits(x), a, rtol=1e-5, atol=1e-5)
    p = np.asarray(fit.posterior(x), np.float64)
    assert p.shape == (len(y), 2)
    np.testing.assert_allclose(p[:, 1], special.expit(a), atol=1e-6)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(fit.predict(x), (a > 0).astype(int))
    assert accuracy(fit.predict(x), y) == pytest.approx(np.mean((a > 0) == y))


def test_the_discriminator_loss_is_minus_half_the_gan_value():
    # Real samples labelled 1, generated ones 0, equally many of each: the mean
    # cross-entropy at parameters theta is -(1/2) [mean ln D(real) + mean ln(1 - D(fake))].
    key_real, key_fake = jax.random.split(jax.random.key(30))
    half = N // 2
    real = np.asarray(jax.random.normal(key_real, (half, 2)), np.float64) + [1.0, 0.5]
    fake = 0.7 * np.asarray(jax.random.normal(key_fake, (half, 2)), np.float64) - 0.5
    x = np.concatenate([real, fake])
    y = np.concatenate([np.ones(half, int), np.zeros(half, int)])
    fit = fit_logistic(x, y)
    d_real = np.asarray(fit.posterior(real)[:, 1], np.float64)
    d_fake = np.asarray(fit.posterior(fake)[:, 1], np.float64)
    value = np.mean(np.log(d_real)) + np.mean(np.log1p(-d_fake))
    assert float(fit.losses[-1]) == pytest.approx(-0.5 * value, rel=1e-5)


@pytest.fixture(scope="module")
def large_problem():
    """Training and held-out sets from the two shared-covariance classes."""
    train = gaussian_classes(jax.random.key(40), MEANS_2, COV_2, [0.5, 0.5], N_LARGE)
    test = gaussian_classes(jax.random.key(41), MEANS_2, COV_2, [0.5, 0.5], N_LARGE)
    return train, test


def test_logistic_regression_approaches_the_bayes_linear_boundary(large_problem):
    train, _ = large_problem
    fit = fit_logistic(train.x, train.y)
    w, b = linear_log_odds_coefficients(MEANS_2[1], MEANS_2[0], COV_2, 0.5, 0.5)
    np.testing.assert_allclose(fit.w, w, atol=0.1)
    assert float(fit.b) == pytest.approx(float(b), abs=0.1)
    cosine = float(np.dot(fit.w, w) / (np.linalg.norm(fit.w) * np.linalg.norm(w)))
    assert cosine > 0.998
    # The shared-covariance generative fit lands near the same line.
    model = fit_generative(train.x, train.y, 2, shared_covariance=True)
    m, c, p = (np.asarray(a, np.float64) for a in (model.means, model.covariances, model.priors))
    wg, bg = linear_log_odds_coefficients(m[1], m[0], c[0], p[1], p[0])
    np.testing.assert_allclose(wg, w, atol=0.1)
    assert float(bg) == pytest.approx(float(b), abs=0.1)


def test_both_classifiers_reach_the_bayes_accuracy(large_problem):
    train, test = large_problem
    x_test, y_test = np.asarray(test.x, np.float64), np.asarray(test.y)
    # Closed form for equal priors and a shared covariance: Phi(Delta / 2), with Delta
    # the Mahalanobis distance between the means.
    diff = MEANS_2[1] - MEANS_2[0]
    bayes = stats.norm.cdf(0.5 * math.sqrt(diff @ np.linalg.solve(COV_2, diff)))
    bayes_rule = np.argmax(scipy_log_joint(x_test, MEANS_2, [COV_2, COV_2], [0.5, 0.5]), axis=1)
    held_out_bayes = np.mean(bayes_rule == y_test)
    assert held_out_bayes == pytest.approx(bayes, abs=4 * math.sqrt(bayes * (1 - bayes) / N_LARGE))

    generative = fit_generative(train.x, train.y, 2, shared_covariance=True)
    logistic = fit_logistic(train.x, train.y)
    for predictions in (generative.predict(x_test), logistic.predict(x_test)):
        assert accuracy(predictions, y_test) == pytest.approx(held_out_bayes, abs=0.005)


def test_three_quadratic_classes_reach_the_bayes_accuracy():
    means, covs, priors = random_problem(50, 3, 2)
    train = gaussian_classes(jax.random.key(50), means, covs, priors, N_LARGE)
    test = gaussian_classes(jax.random.key(51), means, covs, priors, N_LARGE)
    x_test, y_test = np.asarray(test.x, np.float64), np.asarray(test.y)
    bayes = np.mean(np.argmax(scipy_log_joint(x_test, means, covs, priors), axis=1) == y_test)
    model = fit_generative(train.x, train.y, 3)
    assert accuracy(model.predict(x_test), y_test) == pytest.approx(bayes, abs=0.005)


def test_accuracy_matches_numpy():
    rng = np.random.default_rng(60)
    a, b = rng.integers(0, 4, 1000), rng.integers(0, 4, 1000)
    assert accuracy(a, b) == pytest.approx(np.mean(a == b))
    assert accuracy(jnp.asarray(a), b.astype(float)) == pytest.approx(np.mean(a == b))
    assert accuracy([True, False], [1, 1]) == 0.5
    assert isinstance(accuracy(a, b), float)


# ------------------------------------------------------------------ compilation


def test_new_values_do_not_recompile(overlapping, compilations):
    x, y = overlapping
    fit_logistic(x, y)
    # JAX inputs are made first: creating them runs (and compiles) JAX operations of its own.
    jax_inputs = (jnp.asarray(x, jnp.float32), jnp.asarray(y), jnp.asarray(0.07), jnp.asarray(0.5))
    mark = compilations.mark()
    rng = np.random.default_rng(70)
    fit_logistic(x + rng.normal(size=x.shape), rng.integers(0, 2, len(y)))
    fit_logistic(x, y, learning_rate=0.03)
    fit_logistic(x, y, learning_rate=np.float64(0.2), l2=1e-3)
    x32, y32, rate, decay = jax_inputs
    fit_logistic(x32, y32, learning_rate=rate, l2=decay)
    fit_logistic(x.astype(np.float32), y.astype(np.int64), learning_rate=1, l2=0)
    assert compilations.since(mark) == []

    fit_generative(x, y, 2)
    mark = compilations.mark()
    fit_generative(2.0 * x + 1.0, 1 - y, 2)
    assert compilations.since(mark) == []

    posterior(x, MEANS_2, COV_2, PRIORS_2)
    mark = compilations.mark()
    posterior(x - 1.0, MEANS_2 + 0.5, [COV_2, 2 * COV_2], [0.9, 0.1])
    assert compilations.since(mark) == []

    gaussian_classes(jax.random.key(0), MEANS_2, COV_2, PRIORS_2, N)
    mark = compilations.mark()
    gaussian_classes(jax.random.key(1), -MEANS_2, 3 * COV_2, [0.1, 0.9], N)
    assert compilations.since(mark) == []
    gaussian_classes(jax.random.key(1), -MEANS_2, 3 * COV_2, [0.1, 0.9], N + 1)  # a new n
    assert any("_sample" in name for name in compilations.since(mark))


# ------------------------------------------------------------------ bad input

KEY = jax.random.key(0)
GOOD = dict(means=MEANS_2, covariances=COV_2, priors=PRIORS_2)


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        (dict(key=0), TypeError, "key"),
        (dict(key=np.zeros(2, np.uint32)), TypeError, "key"),
        (dict(means=[[0.0, float("nan")], [1.0, 1.0]]), ValueError, "means"),
        (dict(means=np.zeros((2, 2, 2))), ValueError, "means"),
        (dict(means="origin"), TypeError, "means"),
        (dict(covariances=[[1.0, 0.5], [0.0, 1.0]]), ValueError, "covariances"),
        (dict(covariances=[[1.0, 2.0], [2.0, 1.0]]), ValueError, "covariances"),
        (dict(covariances=[[1.0, 0.0], [0.0, 0.0]]), ValueError, "covariances"),
        (dict(covariances=[[1.0, 0.0], [0.0, 1e-9]]), ValueError, "covariances"),
        (dict(covariances=np.eye(3)), ValueError, "covariances"),
        (dict(covariances=np.stack([np.eye(2)] * 3)), ValueError, "covariances"),
        (dict(covariances=[[1.0, 0.0], [0.0, float("inf")]]), ValueError, "covariances"),
        (dict(priors=[0.5, 0.6]), ValueError, "priors"),
        (dict(priors=[1.5, -0.5]), ValueError, "priors"),
        (dict(priors=[0.2, 0.3, 0.5]), ValueError, "priors"),
        (dict(n=0), ValueError, "n"),
        (dict(n=2.5), TypeError, "n"),
        (dict(means=[0.0, 1.0], covariances=[1.0, 1.0, 1.0]), ValueError, "covariances"),
        (dict(means=[0.0, 1.0], covariances=[1.0, 0.0]), ValueError, "covariances"),
        (dict(means=[0.0, 1.0], covariances=-1.0), ValueError, "covariances"),
    ],
)
def test_bad_class_parameters_are_named(kwargs, error, name):
    args = dict(key=KEY, n=10, **GOOD)
    args.update(kwargs)
    with pytest.raises(error, match=name):
        gaussian_classes(args["key"], args["means"], args["covariances"], args["priors"],
                         args["n"])


@pytest.mark.parametrize(
    "x, error",
    [(np.zeros((3, 3)), ValueError), ([[0.0, float("nan")]], ValueError), (np.zeros(3), ValueError),
     ("points", TypeError), (np.zeros((2, 2, 2)), ValueError), (np.zeros((0, 2)), ValueError)],
)
def test_bad_points_are_named(x, error):
    with pytest.raises(error, match="x"):
        posterior(x, **GOOD)
    model = GenerativeClassifier(**GOOD)
    for method in (model.posterior, model.predict, model.log_marginal, model.log_joint):
        with pytest.raises(error, match="x"):
            method(x)


def test_log_odds_needs_two_classes():
    means, covs, priors = random_problem(0, 3, 2)
    with pytest.raises(ValueError, match="means"):
        log_odds(np.zeros((2, 2)), means, covs, priors)
    with pytest.raises(ValueError, match="2 classes"):
        GenerativeClassifier(means, covs, priors).log_odds(np.zeros((2, 2)))


def test_sample_method_checks_its_arguments():
    model = GenerativeClassifier(**GOOD)
    with pytest.raises(TypeError, match="key"):
        model.sample(1, 10)
    with pytest.raises(ValueError, match="n"):
        model.sample(KEY, -1)


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        (dict(mean2=[0.0, 1.0, 2.0]), ValueError, "mean2"),
        (dict(mean1=[[0.0, 1.0]]), ValueError, "mean1"),
        (dict(mean1=[0.0, float("nan")]), ValueError, "mean1"),
        (dict(cov=np.eye(3)), ValueError, "cov"),
        (dict(cov=[[1.0, 3.0], [3.0, 1.0]]), ValueError, "cov"),
        (dict(cov=[[1.0, 0.1], [0.2, 1.0]]), ValueError, "cov"),
        (dict(prior1=0.0, prior2=1.0), ValueError, "prior1"),
        (dict(prior2=-0.5), ValueError, "prior2"),
        (dict(prior1=0.3, prior2=0.3), ValueError, "prior1"),
        (dict(prior1="half"), TypeError, "prior1"),
    ],
)
def test_bad_linear_coefficient_arguments_are_named(kwargs, error, name):
    args = dict(mean1=[1.0, 0.0], mean2=[0.0, 1.0], cov=np.eye(2), prior1=0.5, prior2=0.5)
    args.update(kwargs)
    with pytest.raises(error, match=name):
        linear_log_odds_coefficients(**args)


X4 = np.array([[0.0, 0.0], [1.0, 0.5], [2.0, 2.0], [3.0, 1.0], [0.5, 1.5], [2.5, 0.0]])
Y4 = np.array([0, 0, 1, 1, 0, 1])


@pytest.mark.parametrize(
    "x, y, kwargs, error, name",
    [
        (X4, [0, 0, 1, 1, 0, 2], {}, ValueError, "y"),
        (X4, [0, 0, 1, 1, 0, -1], {}, ValueError, "y"),
        (X4, [0, 0, 1, 1, 0, 0.5], {}, ValueError, "y"),
        (X4, Y4[:5], {}, ValueError, "y"),
        (X4, Y4[None], {}, ValueError, "y"),
        (X4, "labels", {}, TypeError, "y"),
        (np.where(X4 == 3.0, np.inf, X4), Y4, {}, ValueError, "x"),
        (X4[None], Y4, {}, ValueError, "x"),
        (X4, Y4, dict(num_classes=1), ValueError, "num_classes"),
        (X4, Y4, dict(num_classes=2.0), TypeError, "num_classes"),
    ],
)
def test_bad_training_data_are_named(x, y, kwargs, error, name):
    with pytest.raises(error, match=name):
        fit_logistic(x, y, **kwargs)
    with pytest.raises(error, match=name):
        fit_generative(x, y, kwargs.get("num_classes", 2))


def test_bad_generative_fits_are_named():
    with pytest.raises(ValueError, match="y"):  # class 2 has no points
        fit_generative(X4, Y4, 3)
    with pytest.raises(ValueError, match="x"):  # one point cannot give a 2-D covariance
        fit_generative(X4, [0, 0, 0, 0, 0, 1], 2)
    with pytest.raises(ValueError, match="x"):  # all points on a line
        fit_generative(np.stack([np.arange(6.0), 2 * np.arange(6.0)], axis=1), Y4, 2,
                       shared_covariance=True)
    with pytest.raises(TypeError, match="shared_covariance"):
        fit_generative(X4, Y4, 2, shared_covariance="yes")


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        (dict(steps=0), ValueError, "steps"),
        (dict(steps=1.5), TypeError, "steps"),
        (dict(learning_rate=0.0), ValueError, "learning_rate"),
        (dict(learning_rate=-0.1), ValueError, "learning_rate"),
        (dict(learning_rate=float("nan")), ValueError, "learning_rate"),
        (dict(learning_rate=float("inf")), ValueError, "learning_rate"),
        (dict(learning_rate="0.1"), TypeError, "learning_rate"),
        (dict(learning_rate=[0.1, 0.2]), TypeError, "learning_rate"),
        (dict(l2=-1.0), ValueError, "l2"),
        (dict(l2=float("nan")), ValueError, "l2"),
        (dict(optimizer="lbfgs"), ValueError, "optimizer"),
    ],
)
def test_bad_training_settings_are_named(kwargs, error, name):
    with pytest.raises(error, match=name):
        fit_logistic(X4, Y4, **kwargs)


def test_fitted_logistic_methods_check_points():
    fit = LogisticFit(jnp.zeros(2), jnp.zeros(()), jnp.zeros(1))  # w for d = 2
    with pytest.raises(ValueError, match="x"):
        fit.posterior(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="x"):
        fit.predict([[float("nan"), 0.0]])


@pytest.mark.parametrize(
    "predictions, y, name",
    [([0, 1], [0, 1, 1], "y"), ([0.5, 1.0], [0, 1], "predictions"), ([[0, 1]], [0, 1],
                                                                      "predictions"),
     ([], [], "predictions")],
)
def test_bad_accuracy_arguments_are_named(predictions, y, name):
    with pytest.raises(ValueError, match=name):
        accuracy(predictions, y)
