"""Tests for gan_lessons.fitting.

Oracles: the closed-form forward-KL optimum (moment matching: mean and variance of
the mixture), the component parameters of well-separated modes, the target itself
for a Gaussian target, ``scipy.integrate.quad`` for every divergence value, and
numpy / ``scipy.stats.norm.fit`` for the maximum-likelihood Gaussian. The code under
test is never its own oracle.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import logsumexp

from gan_lessons import fitting
from gan_lessons.densities import Gaussian, GaussianMixture, two_mode_mixture
from gan_lessons.fitting import (
    DIVERGENCES,
    FitTrajectory,
    fit_gaussian,
    fit_gaussian_many,
    maximum_likelihood_gaussian,
)

STEPS = 500  # the default: one compiled length shared by (almost) every test
LOG_2 = math.log(2.0)

THREE_MODES = dict(means=[-3.0, 1.0, 4.0], stds=[0.7, 1.2, 0.5], weights=[0.2, 0.5, 0.3])


def components(target):
    """(means, stds, weights) of a density, as float64 numpy arrays."""
    if isinstance(target, Gaussian):
        return (np.array([float(target.mean)]), np.array([float(target.std)]), np.ones(1))
    return tuple(np.asarray(a, np.float64) for a in (target.means, target.stds, target.weights))


def moments(target):
    """The closed-form mean and standard deviation of a Gaussian mixture."""
    m, s, w = components(target)
    mean = float(np.sum(w * m))
    return mean, float(np.sqrt(np.sum(w * (s**2 + m**2)) - mean**2))


def quad_divergence(target, divergence, mu, sigma):
    """The divergence between the target p and N(mu, sigma^2), by scipy.integrate.quad."""
    m, s, w = components(target)

    def log_p(x):
        return float(logsumexp(stats.norm.logpdf(x, m, s), b=w))

    def integrand(x):
        lp, lq = log_p(x), float(stats.norm.logpdf(x, mu, sigma))
        if divergence == "forward_kl":
            return math.exp(lp) * (lp - lq)
        if divergence == "reverse_kl":
            return math.exp(lq) * (lq - lp)
        lm = float(np.logaddexp(lp, lq)) - LOG_2
        return 0.5 * (math.exp(lp) * (lp - lm) + math.exp(lq) * (lq - lm))

    lo = min(float(np.min(m - 12 * s)), mu - 12 * sigma)
    hi = max(float(np.max(m + 12 * s)), mu + 12 * sigma)
    value, _ = integrate.quad(integrand, lo, hi, points=sorted({*m.tolist(), mu}), limit=400)
    return value


def final(fit):
    return float(fit.means[-1]), float(fit.stds[-1]), float(fit.losses[-1])


# ------------------------------------------------------------------ divergence values


@pytest.mark.parametrize("divergence", DIVERGENCES)
@pytest.mark.parametrize(
    "target, init_mean, init_std",
    [
        (two_mode_mixture(6.0), 1.0, 1.0),
        (GaussianMixture(**THREE_MODES), -0.5, 2.5),
        # q starts far outside the grid on [lo, hi] = [-10, 10] that covers p
        (two_mode_mixture(8.0, weight=0.3), 12.0, 0.5),
        (Gaussian(0.5, 2.0), -1.0, 0.7),
    ],
    ids=["two-modes", "three-modes", "q-far-away", "gaussian"],
)
def test_losses_are_the_divergence_computed_by_scipy_quad(target, init_mean, init_std,
                                                          divergence):
    fit = fit_gaussian(target, divergence, init_mean=init_mean, init_std=init_std)
    # losses[0] is the divergence at the initial Gaussian, before any update
    expected = quad_divergence(target, divergence, init_mean, init_std)
    assert float(fit.losses[0]) == pytest.approx(expected, rel=2e-5, abs=2e-6)
    # and the last entry is the divergence at the last iterate
    mu, sigma, loss = final(fit)
    assert loss == pytest.approx(quad_divergence(target, divergence, mu, sigma),
                                 rel=2e-5, abs=2e-6)
    if divergence == "js":
        assert -1e-6 <= loss <= LOG_2


# ------------------------------------------------------------------ forward KL = moment matching


@pytest.mark.parametrize(
    "target",
    [two_mode_mixture(8.0), two_mode_mixture(6.0, weight=0.3),
     two_mode_mixture(5.0, weight=0.8, std=0.6), GaussianMixture(**THREE_MODES)],
    ids=["symmetric", "weight-0.3", "weight-0.8", "three-modes"],
)
@pytest.mark.parametrize("init_mean", [-2.0, 2.0])
def test_forward_kl_converges_to_moment_matching(target, init_mean):
    mean, std = moments(target)
    fit = fit_gaussian(target, "forward_kl", init_mean=init_mean, learning_rate=0.1)
    mu, sigma, loss = final(fit)
    assert mu == pytest.approx(mean, abs=1e-4)
    assert sigma == pytest.approx(std, rel=1e-4)
    # the loss is the full KL(p || q*), target entropy included
    assert loss == pytest.approx(quad_divergence(target, "forward_kl", mean, std),
                                 rel=1e-4, abs=1e-6)


def test_maximum_likelihood_on_samples_approaches_the_forward_kl_fit():
    target = two_mode_mixture(6.0, weight=0.3)
    n = 100_000
    samples = np.asarray(target.sample(jax.random.key(3), n), np.float64)
    mle_mean, mle_std = maximum_likelihood_gaussian(samples)
    mu, sigma, _ = final(fit_gaussian(target, "forward_kl", learning_rate=0.1))
    _, std = moments(target)
    # central limit theorem: the sample mean is off by about std / sqrt(n)
    assert abs(mle_mean - mu) < 5 * std / math.sqrt(n)
    assert abs(mle_std - sigma) < 0.02 * sigma


# ------------------------------------------------------------------ covering vs seeking


SEPARATED = two_mode_mixture(8.0)  # modes at -4 and +4, std 1


def test_forward_kl_covers_both_modes_from_any_start():
    fits = fit_gaussian_many(SEPARATED, "forward_kl", [-2.0, 0.5, 2.0])
    _, std = moments(SEPARATED)  # sqrt(1 + 16)
    np.testing.assert_allclose(np.asarray(fits.stds[:, -1]), std, rtol=1e-3)
    np.testing.assert_allclose(np.asarray(fits.means[:, -1]), 0.0, atol=5e-3)
    assert np.all(np.asarray(fits.stds[:, -1]) > 4.0)  # wider than half the separation


def test_reverse_kl_locks_onto_the_mode_it_starts_near():
    # modes of different widths, so the std tells which component was found
    target = GaussianMixture([-4.0, 4.0], [0.7, 1.5], [0.5, 0.5])
    left = fit_gaussian(target, "reverse_kl", init_mean=-2.0)
    right = fit_gaussian(target, "reverse_kl", init_mean=2.0)
    mu, sigma, loss = final(left)
    assert abs(mu + 4.0) < 0.1 and abs(sigma - 0.7) < 0.05
    # on one mode of weight 1/2, KL(q || p) is close to -log(1/2)
    assert loss == pytest.approx(LOG_2, abs=0.01)
    mu, sigma, loss = final(right)
    assert abs(mu - 4.0) < 0.1 and abs(sigma - 1.5) < 0.05
    assert loss == pytest.approx(LOG_2, abs=0.01)


def test_reverse_kl_from_many_starts_depends_on_the_start():
    fits = fit_gaussian_many(SEPARATED, "reverse_kl", [-3.0, -2.0, 2.5])
    np.testing.assert_allclose(np.asarray(fits.means[:, -1]), [-4, -4, 4], atol=0.1)
    np.testing.assert_allclose(np.asarray(fits.stds[:, -1]), 1.0, atol=0.05)


@pytest.mark.parametrize("init_mean", [-2.0, 0.5, 2.0])
def test_js_lands_between_forward_and_reverse_kl(init_mean):
    stds = {d: final(fit_gaussian(SEPARATED, d, init_mean=init_mean))[1] for d in DIVERGENCES}
    assert stds["reverse_kl"] < stds["js"] < stds["forward_kl"]


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_every_divergence_recovers_a_gaussian_target(divergence):
    fit = fit_gaussian(Gaussian(1.5, 0.8), divergence, init_mean=-1.0, init_std=2.0)
    mu, sigma, loss = final(fit)
    assert mu == pytest.approx(1.5, abs=1e-4)
    assert sigma == pytest.approx(0.8, rel=1e-4)
    assert abs(loss) < 1e-6


# ------------------------------------------------------------------ the trajectory


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_trajectory_shapes_progress_and_determinism(divergence):
    target = two_mode_mixture(6.0, weight=0.4)
    fit = fit_gaussian(target, divergence, init_mean=1.5, init_std=0.5)
    assert isinstance(fit, FitTrajectory) and fit.divergence == divergence
    for name in ("means", "stds", "losses"):
        values = np.asarray(getattr(fit, name))
        assert values.shape == (STEPS + 1,) and values.dtype == np.float32
        assert np.all(np.isfinite(values))
    assert float(fit.means[0]) == 1.5 and float(fit.stds[0]) == pytest.approx(0.5)
    losses = np.asarray(fit.losses)
    assert losses[-1] < losses[0]
    assert losses[-1] <= losses.min() + 1e-5  # Adam may wobble, but ends at the bottom
    assert np.all(np.asarray(fit.stds) > 0)
    again = fit_gaussian(target, divergence, init_mean=1.5, init_std=0.5)
    for a, b in zip(fit[:3], again[:3], strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_short_runs_and_the_first_entry():
    fit = fit_gaussian(two_mode_mixture(6.0), "reverse_kl", init_mean=0.7, steps=1)
    assert fit.means.shape == (2,)
    assert float(fit.means[0]) == pytest.approx(0.7)
    # Adam's first step moves every parameter by about the learning rate
    assert abs(float(fit.means[1]) - 0.7) == pytest.approx(0.05, rel=1e-3)


def test_fit_many_equals_separate_fits():
    target = GaussianMixture(**THREE_MODES)
    starts = [-2.0, 0.3, 3.5]
    fits = fit_gaussian_many(target, "js", starts, init_std=1.5)
    assert fits.means.shape == (3, STEPS + 1) and fits.divergence == "js"
    for i, start in enumerate(starts):
        one = fit_gaussian(target, "js", init_mean=start, init_std=1.5)
        for a, b in zip(fits[:3], one[:3], strict=True):
            np.testing.assert_allclose(np.asarray(a[i]), np.asarray(b), rtol=1e-5, atol=1e-6)


def test_gradients_stay_finite_when_densities_underflow():
    # a zero-weight component, and q starting far out where p underflows to 0 on the grid
    target = two_mode_mixture(10.0, weight=0.0)  # all the mass at +5
    for divergence in DIVERGENCES:
        fit = fit_gaussian(target, divergence, init_mean=-30.0, init_std=0.5)
        assert all(np.all(np.isfinite(np.asarray(a))) for a in fit[:3])
        if divergence == "js":
            # no overlap: JSD sits at log 2 and its gradient is exactly 0, so q never moves
            np.testing.assert_allclose(np.asarray(fit.losses), LOG_2, rtol=1e-6)
            np.testing.assert_array_equal(np.asarray(fit.means), -30.0)
        else:
            assert float(fit.losses[-1]) < float(fit.losses[0])

    def term(log_a, log_b):
        return jnp.sum(fitting._weighted_log_ratio(log_a, log_b))

    log_a = jnp.array([-jnp.inf, -200.0, -1.0, 0.0])
    log_b = jnp.array([-jnp.inf, -jnp.inf, -2.0, 0.0])
    assert float(term(log_a, log_b)) == pytest.approx(math.exp(-1.0))
    grads = jax.grad(term, argnums=(0, 1))(log_a, log_b)
    assert all(np.all(np.isfinite(np.asarray(g))) for g in grads)


# ------------------------------------------------------------------ compilation


def test_new_values_do_not_recompile(compilations):
    fit_gaussian(two_mode_mixture(6.0), "forward_kl")
    # JAX inputs are made first: creating them runs (and compiles) JAX operations of its own.
    init_mean, learning_rate = jnp.asarray(0.3), jnp.asarray(0.2)
    mark = compilations.mark()
    fit_gaussian(two_mode_mixture(3.0, weight=0.2, std=0.7), "forward_kl", init_mean=np.float32(1))
    fit_gaussian(GaussianMixture(np.array([-1.0, 2.0]), [0.5, 1.0], [0.9, 0.1]), "forward_kl",
                 init_mean=2, init_std=3, learning_rate=1)
    fit_gaussian(two_mode_mixture(9.0), "forward_kl", init_mean=init_mean,
                 learning_rate=learning_rate, lo=-10, hi=np.float64(11.0))
    assert compilations.since(mark) == []

    fit_gaussian_many(two_mode_mixture(6.0), "reverse_kl", [-1.0, 0.5, 1.0])
    mark = compilations.mark()
    fit_gaussian_many(two_mode_mixture(4.0, weight=0.7), "reverse_kl", np.array([2, 5, -3]),
                      init_std=0.5, learning_rate=0.01)
    assert compilations.since(mark) == []


# ------------------------------------------------------------------ maximum likelihood


@pytest.mark.parametrize("seed", range(5))
def test_maximum_likelihood_gaussian_matches_numpy_and_scipy(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(rng.uniform(-5, 5), rng.uniform(0.1, 10), size=int(rng.integers(2, 500)))
    mean, std = maximum_likelihood_gaussian(x)
    assert mean == pytest.approx(np.mean(x), rel=1e-12, abs=1e-12)
    assert std == pytest.approx(np.std(x, ddof=0), rel=1e-12)
    loc, scale = stats.norm.fit(x)  # scipy's maximum-likelihood fit
    assert (mean, std) == pytest.approx((loc, scale), rel=1e-9, abs=1e-12)
    assert isinstance(mean, float) and isinstance(std, float)


# ------------------------------------------------------------------ bad input


TARGET = two_mode_mixture(6.0)


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        (dict(divergence="kl"), ValueError, "divergence"),
        (dict(divergence="JS"), ValueError, "forward_kl"),
        (dict(divergence=None), ValueError, "divergence"),
        (dict(steps=0), ValueError, "steps"),
        (dict(steps=2.5), TypeError, "steps"),
        (dict(steps=True), TypeError, "steps"),
        (dict(learning_rate=0.0), ValueError, "learning_rate"),
        (dict(learning_rate=-0.1), ValueError, "learning_rate"),
        (dict(learning_rate=float("nan")), ValueError, "learning_rate"),
        (dict(learning_rate=float("inf")), ValueError, "learning_rate"),
        (dict(learning_rate="0.1"), TypeError, "learning_rate"),
        (dict(init_std=0.0), ValueError, "init_std"),
        (dict(init_std=-1.0), ValueError, "init_std"),
        (dict(init_mean=float("nan")), ValueError, "init_mean"),
        (dict(init_mean="left"), TypeError, "init_mean"),
        (dict(init_mean=[0.0, 1.0]), ValueError, "init_mean"),
        (dict(num=2), ValueError, "num"),
        (dict(num=801.0), TypeError, "num"),
        (dict(lo=1.0, hi=0.0), ValueError, "lo"),
        (dict(lo=2.0, hi=2.0), ValueError, "lo"),
        (dict(lo=float("-inf")), ValueError, "lo"),
        (dict(hi="right"), TypeError, "hi"),
        (dict(num=11), ValueError, "num"),  # too coarse for the unit-width modes
        (dict(init_std=0.01), ValueError, "num"),  # too coarse for the initial q
        (dict(target=GaussianMixture([0.0, 1.0], [0.001, 1.0], [0.5, 0.5])), ValueError, "num"),
        (dict(target=np.zeros(3)), TypeError, "target"),
        (dict(target=stats.norm(0, 1)), TypeError, "target"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, name):
    args = dict(target=TARGET, divergence="forward_kl")
    args.update(kwargs)
    target, divergence = args.pop("target"), args.pop("divergence")
    with pytest.raises(error, match=name):
        fit_gaussian(target, divergence, **args)


@pytest.mark.parametrize(
    "init_means, error",
    [([], ValueError), ([[0.0, 1.0]], ValueError), ([0.0, float("nan")], ValueError),
     ("abc", TypeError), (None, TypeError)],
)
def test_bad_init_means_are_named(init_means, error):
    with pytest.raises(error, match="init_means"):
        fit_gaussian_many(TARGET, "reverse_kl", init_means)


def test_fit_many_checks_the_shared_arguments_too():
    with pytest.raises(ValueError, match="divergence"):
        fit_gaussian_many(TARGET, "forward", [0.0])
    with pytest.raises(TypeError, match="target"):
        fit_gaussian_many("mixture", "js", [0.0])
    with pytest.raises(ValueError, match="steps"):
        fit_gaussian_many(TARGET, "js", [0.0], steps=0)


@pytest.mark.parametrize(
    "samples, error",
    [([], ValueError), ([[1.0, 2.0]], ValueError), ([1.0, float("nan")], ValueError),
     ([1.0, float("inf")], ValueError), ("abc", TypeError), ([1 + 2j], TypeError)],
)
def test_bad_samples_are_named(samples, error):
    with pytest.raises(error, match="samples"):
        maximum_likelihood_gaussian(samples)
