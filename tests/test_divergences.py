"""Tests of gan_lessons.divergences against scipy, closed forms and known properties."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import integrate, special, stats
from scipy.spatial.distance import jensenshannon

from gan_lessons import divergences as dv
from gan_lessons.densities import Gaussian, GaussianMixture, two_mode_mixture
from gan_lessons.divergences import (
    entropy,
    gaussian_kl,
    js_divergence,
    js_integrand,
    js_monte_carlo,
    js_quadrature,
    kl_divergence,
    kl_integrand,
    kl_monte_carlo,
    kl_quadrature,
    ks_statistic,
    ks_statistic_to_cdf,
)

LN2 = math.log(2.0)
KEY = jax.random.key(0)


def _random_distributions(rng, batch, n, zero_fraction=0.0):
    """Dirichlet draws, some entries set to exactly 0 and the rest renormalised."""
    p = rng.dirichlet(np.full(n, 0.7), size=batch)
    if zero_fraction:
        p[rng.random(p.shape) < zero_fraction] = 0.0
        p[:, 0] += p.sum(axis=1) == 0  # keep every row a distribution
        p /= p.sum(axis=1, keepdims=True)
    return p


# --------------------------------------------------------------------------- discrete vs scipy


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20])
def test_entropy_and_kl_match_scipy(n):
    rng = np.random.default_rng(n)
    p = _random_distributions(rng, 60, n, zero_fraction=0.2)
    q = _random_distributions(rng, 60, n)  # strictly positive: KL finite
    np.testing.assert_allclose(entropy(p), stats.entropy(p, axis=1), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(kl_divergence(p, q), stats.entropy(p, q, axis=1),
                               rtol=1e-10, atol=1e-13)
    expected_js = jensenshannon(p, q, axis=1) ** 2  # scipy returns sqrt(JSD), base e
    np.testing.assert_allclose(js_divergence(p, q), expected_js, rtol=1e-8, atol=1e-13)
    for i in range(5):  # single vectors give scalars
        assert float(entropy(p[i])) == pytest.approx(stats.entropy(p[i]), abs=1e-13)
        assert float(kl_divergence(p[i], q[i])) == pytest.approx(stats.entropy(p[i], q[i]),
                                                                  rel=1e-10, abs=1e-13)


def test_jsd_with_zeros_matches_scipy():
    rng = np.random.default_rng(1)
    p = _random_distributions(rng, 100, 6, zero_fraction=0.4)
    q = _random_distributions(rng, 100, 6, zero_fraction=0.4)
    np.testing.assert_allclose(js_divergence(p, q), jensenshannon(p, q, axis=1) ** 2,
                               rtol=1e-8, atol=1e-13)


def test_scalar_for_vectors_and_batch_shapes():
    value = kl_divergence([0.2, 0.8], [0.5, 0.5])
    assert np.ndim(value) == 0 and isinstance(value, np.floating)
    rng = np.random.default_rng(2)
    p = _random_distributions(rng, 12, 5).reshape(4, 3, 5)[:, :1, :]  # (4, 1, 5)
    q = _random_distributions(rng, 3, 5)  # (3, 5)
    for fn in (kl_divergence, js_divergence):
        out = fn(p, q)
        assert out.shape == (4, 3)
        for i in range(4):
            for j in range(3):
                assert out[i, j] == pytest.approx(fn(p[i, 0], q[j]), rel=1e-12)
    assert entropy(p).shape == (4, 1)


# --------------------------------------------------------------------------- discrete properties


def test_kl_and_jsd_properties_on_random_inputs():
    rng = np.random.default_rng(3)
    p = _random_distributions(rng, 500, 8, zero_fraction=0.3)
    q = _random_distributions(rng, 500, 8, zero_fraction=0.3)
    kl = kl_divergence(p, q)
    assert np.all(kl >= 0)
    assert np.all(kl_divergence(p, p) == 0)
    js = js_divergence(p, q)
    np.testing.assert_array_equal(js, js_divergence(q, p))
    assert np.all((js >= 0) & (js <= LN2)) and np.all(np.isfinite(js))
    assert np.all(js_divergence(p, p) == 0)
    # sqrt(JSD) satisfies the triangle inequality.
    r = _random_distributions(rng, 500, 8)
    d = lambda a, b: np.sqrt(js_divergence(a, b))  # noqa: E731
    assert np.all(d(p, r) <= d(p, q) + d(q, r) + 1e-12)
    # Entropy is at most ln n, reached by the uniform distribution.
    assert np.all(entropy(p) <= math.log(8) + 1e-12)
    assert float(entropy(np.full(8, 1 / 8))) == pytest.approx(math.log(8), rel=1e-14)
    assert float(entropy([0.0, 1.0, 0.0])) == 0.0


def test_conventions_zero_terms_and_infinity():
    # p = 0 terms are ignored, wherever q is.
    assert float(kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])) == pytest.approx(LN2)
    assert float(kl_divergence([0.5, 0.5, 0.0], [0.5, 0.5, 0.0])) == 0.0
    # q = 0 < p gives +inf; the reverse direction stays finite.
    assert float(kl_divergence([0.5, 0.5], [1.0, 0.0])) == math.inf
    assert np.isfinite(kl_divergence([1.0, 0.0], [0.5, 0.5]))
    out = kl_divergence([[0.5, 0.5], [1.0, 0.0]], [1.0, 0.0])
    assert out[0] == math.inf and out[1] == 0.0
    # Disjoint supports: JSD = ln 2 exactly, never inf or NaN.
    assert float(js_divergence([0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.3, 0.7])) == pytest.approx(
        LN2, abs=1e-15)
    assert float(js_divergence([1.0, 0.0], [0.0, 1.0])) == pytest.approx(LN2, abs=1e-15)


def test_kl_is_not_symmetric():
    p, q = [0.9, 0.1], [0.5, 0.5]
    assert float(kl_divergence(p, q)) != pytest.approx(float(kl_divergence(q, p)))


# --------------------------------------------------------------------------- Gaussians


def _kl_by_quad(mp, sp, mq, sq):
    def log_normal(x, m, s):
        return -0.5 * ((x - m) / s) ** 2 - math.log(s) - 0.5 * math.log(2 * math.pi)

    def f(x):
        lp = log_normal(x, mp, sp)
        return math.exp(lp) * (lp - log_normal(x, mq, sq))

    assert log_normal(0.3, 1.0, 2.0) == pytest.approx(stats.norm.logpdf(0.3, 1.0, 2.0))
    return integrate.quad(f, mp - 40 * sp, mp + 40 * sp, points=[mp], limit=200)[0]


def test_gaussian_kl_matches_quad_and_quadrature():
    rng = np.random.default_rng(4)
    for _ in range(12):
        mp, mq = rng.uniform(-3, 3, size=2)
        sp, sq = rng.uniform(0.3, 3, size=2)
        closed = float(gaussian_kl(mp, sp, mq, sq))
        assert closed == pytest.approx(_kl_by_quad(mp, sp, mq, sq), rel=1e-7, abs=1e-10)
        grid = float(kl_quadrature(Gaussian(mp, sp), Gaussian(mq, sq)))
        assert grid == pytest.approx(closed, rel=2e-5, abs=2e-6)


def test_gaussian_kl_broadcasts_and_properties():
    mu = np.linspace(-2, 2, 5)[:, None]
    sigma = np.array([0.5, 1.0, 2.0])
    out = gaussian_kl(mu, sigma, 0.0, 1.0)
    assert out.shape == (5, 3)
    expected = np.log(1.0 / sigma) + (sigma**2 + mu**2) / 2 - 0.5
    np.testing.assert_allclose(out, expected, rtol=1e-14)
    assert np.all(out >= 0)
    assert float(gaussian_kl(1.3, 0.7, 1.3, 0.7)) == 0.0
    assert float(gaussian_kl(0, 1, 1, 2)) != pytest.approx(float(gaussian_kl(1, 2, 0, 1)))


# --------------------------------------------------------------------------- Kolmogorov-Smirnov


@pytest.mark.parametrize("n,m,shift", [(50, 50, 0.0), (37, 120, 0.3), (500, 80, 1.0),
                                       (1, 9, 0.0)])
def test_ks_matches_scipy_continuous(n, m, shift):
    rng = np.random.default_rng(n * 1000 + m)
    for _ in range(10):
        x = rng.normal(size=n)
        y = rng.normal(shift, 1.0, size=m)
        assert ks_statistic(x, y) == pytest.approx(stats.ks_2samp(x, y).statistic, abs=1e-12)


def test_ks_matches_scipy_with_ties():
    rng = np.random.default_rng(5)
    for _ in range(40):
        n, m = rng.integers(1, 60, size=2)
        x = rng.integers(0, 6, size=n).astype(float)
        y = rng.integers(1, 8, size=m)
        assert ks_statistic(x, y) == pytest.approx(stats.ks_2samp(x, y).statistic, abs=1e-12)
    assert float(ks_statistic([1, 1, 2, 2], [2, 1, 2, 1])) == 0.0
    assert float(ks_statistic([0.0, 1.0], [5.0, 6.0, 7.0])) == 1.0
    x = rng.normal(size=30)
    assert float(ks_statistic(x, x)) == 0.0
    assert ks_statistic(x, x + 0.1) == ks_statistic(x + 0.1, x)


def test_ks_to_cdf_matches_scipy_kstest():
    rng = np.random.default_rng(6)
    mix = GaussianMixture([-1.0, 2.0], [0.5, 1.0], [0.4, 0.6])

    def scipy_cdf(t):
        return 0.4 * stats.norm.cdf(t, -1.0, 0.5) + 0.6 * stats.norm.cdf(t, 2.0, 1.0)

    for n in (5, 100, 1000):
        x = rng.normal(0.5, 1.5, size=n)
        expected = stats.kstest(x, scipy_cdf).statistic
        assert ks_statistic_to_cdf(x, mix) == pytest.approx(expected, abs=1e-6)  # float32 cdf
        assert ks_statistic_to_cdf(x, scipy_cdf) == pytest.approx(expected, abs=1e-12)
    ties = np.array([0.0, 0.0, 1.0, 1.0, 1.0])
    assert ks_statistic_to_cdf(ties, stats.norm.cdf) == pytest.approx(
        stats.kstest(ties, stats.norm.cdf).statistic, abs=1e-12)


# --------------------------------------------------------------------------- quadrature


def _mixture_logpdf(mix):
    """A float64 NumPy log-density of ``mix``, written from the textbook formula."""
    mix = mix.as_mixture()
    means, stds, weights = (np.asarray(a, np.float64) for a in (mix.means, mix.stds, mix.weights))

    def logpdf(x):
        x = np.asarray(x, np.float64)[..., None]
        comps = -0.5 * ((x - means) / stds) ** 2 - np.log(stds) - 0.5 * np.log(2 * np.pi)
        return special.logsumexp(comps, axis=-1, b=weights)

    return logpdf


def _quad(f, p, q):
    pts = sorted(np.concatenate([np.asarray(p.as_mixture().means),
                                 np.asarray(q.as_mixture().means)]).tolist())
    return integrate.quad(f, -40.0, 40.0, points=pts, limit=400, epsabs=1e-12)[0]


# Two structures only (each new structure compiles the cores once more).
PAIRS = [
    (GaussianMixture([-3.0, 0.0, 2.5], [0.4, 1.0, 0.7], [0.2, 0.5, 0.3]),
     GaussianMixture([-1.0, 1.0], [1.0, 1.5], [0.6, 0.4])),
    (two_mode_mixture(4.0, weight=0.3), Gaussian(0.5, 2.0)),
    (two_mode_mixture(8.0), Gaussian(-4.0, 1.0)),
    (two_mode_mixture(2.0, weight=0.9, std=0.3), Gaussian(6.0, 0.5)),
]


@pytest.mark.parametrize("p,q", PAIRS)
def test_quadrature_matches_scipy_quad_for_mixtures(p, q):
    log_p, log_q = _mixture_logpdf(p), _mixture_logpdf(q)

    def kl_f(x):
        lp, lq = log_p(x), log_q(x)
        return np.exp(lp) * (lp - lq)

    def js_f(x):
        lp, lq = log_p(x), log_q(x)
        lm = np.logaddexp(lp, lq) - LN2
        return 0.5 * (np.exp(lp) * (lp - lm) + np.exp(lq) * (lq - lm))

    kl_ref, js_ref = _quad(kl_f, p, q), _quad(js_f, p, q)
    assert float(kl_quadrature(p, q)) == pytest.approx(kl_ref, rel=5e-5, abs=5e-6)
    assert float(js_quadrature(p, q)) == pytest.approx(js_ref, rel=5e-5, abs=5e-6)
    assert 0 <= float(js_quadrature(p, q)) <= LN2 + 1e-6
    assert float(js_quadrature(p, q)) == pytest.approx(float(js_quadrature(q, p)), abs=2e-6)


def test_quadrature_custom_range_and_num():
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.5)
    exact = float(gaussian_kl(0.0, 1.0, 1.0, 1.5))
    assert float(kl_quadrature(p, q, lo=-12.0, hi=12.0, num=801)) == pytest.approx(exact, rel=1e-5)
    # A range that misses most of p gives a poor value: the range really is used.
    assert float(kl_quadrature(p, q, lo=2.0, hi=3.0)) < 0.5 * exact
    assert float(js_quadrature(p, p)) == pytest.approx(0.0, abs=1e-7)
    assert float(kl_quadrature(p, p)) == 0.0


def test_integrands_match_numpy_and_stay_finite():
    p, q = two_mode_mixture(3.0, weight=0.4, std=0.8), Gaussian(1.0, 0.5)
    x = np.linspace(-6, 6, 121)
    lp, lq = _mixture_logpdf(p)(x), stats.norm.logpdf(x, 1.0, 0.5)
    np.testing.assert_allclose(kl_integrand(p, q, x), np.exp(lp) * (lp - lq),
                               rtol=2e-5, atol=1e-6)
    lm = np.logaddexp(lp, lq) - LN2
    js_ref = 0.5 * (np.exp(lp) * (lp - lm) + np.exp(lq) * (lq - lm))
    np.testing.assert_allclose(js_integrand(p, q, x), js_ref, rtol=2e-5, atol=1e-7)
    far = jnp.array([[-1e4, -300.0], [300.0, 1e4]])
    for f in (kl_integrand(p, q, far), kl_integrand(q, p, far), js_integrand(p, q, far)):
        assert f.shape == (2, 2) and np.all(np.asarray(f) == 0.0)
    assert np.all(np.asarray(js_integrand(p, q, x)) >= 0)
    assert np.any(np.asarray(kl_integrand(p, q, x)) < 0)  # KL's integrand can be negative


# --------------------------------------------------------------------------- Monte Carlo


@pytest.mark.parametrize("p,q", [(Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)),
                                 (Gaussian(1.0, 2.0), Gaussian(0.0, 1.0)),
                                 (Gaussian(-0.5, 0.7), Gaussian(0.3, 0.9))])
def test_kl_monte_carlo_within_a_few_stderr(p, q):
    closed = float(gaussian_kl(p.mean, p.std, q.mean, q.std))
    for seed in range(3):
        est = kl_monte_carlo(jax.random.key(seed), p, q, 4096)
        assert abs(float(est.estimate) - closed) < 4.5 * float(est.stderr)
        assert float(est.stderr) > 0


@pytest.mark.parametrize("p,q", PAIRS[:1])
def test_js_and_kl_monte_carlo_for_mixtures(p, q):
    est_js = js_monte_carlo(jax.random.key(1), p, q, 4096)
    est_kl = kl_monte_carlo(jax.random.key(2), p, q, 4096)
    assert abs(float(est_js.estimate) - float(js_quadrature(p, q))) < 4.5 * float(est_js.stderr)
    assert abs(float(est_kl.estimate) - float(kl_quadrature(p, q))) < 4.5 * float(est_kl.stderr)


def test_monte_carlo_same_key_same_estimate():
    p, q = PAIRS[0]
    a = js_monte_carlo(jax.random.key(9), p, q, 4096)
    b = js_monte_carlo(jax.random.key(9), p, q, 4096)
    assert a == b
    assert kl_monte_carlo(KEY, p, q, 4096) == kl_monte_carlo(KEY, p, q, 4096)


def test_monte_carlo_error_shrinks_like_inverse_sqrt_n():
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.5)
    truth = float(gaussian_kl(0.0, 1.0, 1.0, 1.5))
    keys = jax.random.split(jax.random.key(42), 64)
    rms, mean_stderr = {}, {}
    for n in (256, 4096):
        batched = jax.jit(jax.vmap(lambda k, n=n: dv._kl_monte_carlo(k, p, q, n)))
        est = batched(keys)
        rms[n] = float(np.sqrt(np.mean((np.asarray(est.estimate, np.float64) - truth) ** 2)))
        mean_stderr[n] = float(np.mean(est.stderr))
    # 16 times the samples: about 4 times smaller error. RMS over 64 seeds is
    # accurate to roughly 10 %, so a band of about 3 standard deviations.
    assert 2.8 < rms[256] / rms[4096] < 5.7
    # The reported standard error tracks the actual error.
    for n in rms:
        assert 0.7 < rms[n] / mean_stderr[n] < 1.4


# --------------------------------------------------------------------------- no recompilation


def test_slider_moves_do_not_recompile(compilations):
    x = jnp.linspace(-5, 5, 64)

    def panel(mp, sp, mq, sq):
        p, q = Gaussian(mp, sp), Gaussian(mq, sq)
        kl_quadrature(p, q), kl_quadrature(q, p), js_quadrature(p, q)
        kl_integrand(p, q, x), js_integrand(p, q, x)
        kl_monte_carlo(KEY, p, q, 4096), js_monte_carlo(KEY, p, q, 4096)

    panel(0.0, 1.0, 1.0, 2.0)  # warm-up
    mark = compilations.mark()
    for values in [(0.5, 1.0, 1.0, 2.0), (-2.0, 0.3, 3.0, 1.7), (1, 1, 1, 1)]:
        panel(*values)
    assert compilations.since(mark) == []
    # Mixtures with a fixed number of components: the same.
    kl_quadrature(two_mode_mixture(2.0), Gaussian(0.0, 1.0))
    mark = compilations.mark()
    for sep, w in [(4.0, 0.3), (0.0, 1.0), (9.5, 0.05)]:
        kl_quadrature(two_mode_mixture(sep, weight=w), Gaussian(sep / 3, 1.2))
    assert compilations.since(mark) == []
    kl_quadrature(two_mode_mixture(2.0), Gaussian(0.0, 1.0), num=999)  # a new grid size
    assert any("_kl_quadrature" in name for name in compilations.since(mark))


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("fn", [kl_divergence, js_divergence])
@pytest.mark.parametrize("p,q,name", [
    ([0.5, -0.1, 0.6], [0.3, 0.3, 0.4], "p"),
    ([0.5, 0.5], [1.2, -0.2], "q"),
    ([0.5, 0.6], [0.5, 0.5], "p"),
    ([0.5, 0.5], [0.3, 0.3], "q"),
    ([0.5, 0.5], [0.2, 0.3, 0.5], "q"),
    ([[0.5, 0.5]] * 3, [[0.5, 0.5]] * 2, "q"),
    ([], [], "p"),
    ([0.5, 0.5], np.zeros((2, 0)), "q"),
    ([np.nan, 0.5], [0.5, 0.5], "p"),
    ([0.5, 0.5], [np.inf, 0.5], "q"),
    (0.5, [1.0], "p"),
])
def test_discrete_bad_input(fn, p, q, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        fn(p, q)


def test_discrete_bad_input_more():
    with pytest.raises(ValueError, match="p"):
        entropy([0.2, 0.2])
    with pytest.raises(ValueError, match="p"):
        entropy([1.5, -0.5])
    with pytest.raises(TypeError, match="p"):
        entropy("uniform")
    with pytest.raises(ValueError, match="q"):
        kl_divergence([[0.5, 0.5], [0.4, 0.6]], [[0.5, 0.5], [0.5, 0.6]])
    with pytest.raises(ValueError, match="sum to 1"):
        kl_divergence([1.0, 1.0], [0.5, 0.5])  # no silent renormalisation
    assert float(kl_divergence([0.5, 0.5 + 5e-7], [0.5, 0.5])) >= 0  # tolerance 1e-6


@pytest.mark.parametrize("args,name", [
    ((0.0, 0.0, 0.0, 1.0), "sigma_p"),
    ((0.0, 1.0, 0.0, -1.0), "sigma_q"),
    ((np.nan, 1.0, 0.0, 1.0), "mu_p"),
    ((0.0, 1.0, np.inf, 1.0), "mu_q"),
    ((0.0, [1.0, 0.0], 0.0, 1.0), "sigma_p"),
    (([0.0, 1.0], 1.0, [0.0, 1.0, 2.0], 1.0), "mu_p, sigma_p, mu_q and sigma_q"),
])
def test_gaussian_kl_bad_input(args, name):
    with pytest.raises(ValueError, match=name):
        gaussian_kl(*args)


@pytest.mark.parametrize("x,y,name", [
    ([], [1.0], "x"),
    ([1.0], [], "y"),
    ([[1.0, 2.0]], [1.0], "x"),
    ([1.0], 2.0, "y"),
    ([1.0, np.nan], [1.0], "x"),
    ([1.0], [np.inf], "y"),
])
def test_ks_bad_input(x, y, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        ks_statistic(x, y)


def test_ks_to_cdf_bad_input():
    with pytest.raises(ValueError, match="x"):
        ks_statistic_to_cdf([], stats.norm.cdf)
    with pytest.raises(TypeError, match="cdf"):
        ks_statistic_to_cdf([1.0], 3.0)
    with pytest.raises(ValueError, match="cdf"):
        ks_statistic_to_cdf([1.0, 2.0], lambda t: 2.0 * np.ones_like(t))


def test_estimators_bad_input():
    g = Gaussian(0.0, 1.0)
    with pytest.raises(TypeError, match="key"):
        kl_monte_carlo(0, g, g, 100)
    with pytest.raises(TypeError, match=r"\bp\b"):
        kl_monte_carlo(KEY, (0.0, 1.0), g, 100)
    with pytest.raises(TypeError, match=r"\bq\b"):
        js_monte_carlo(KEY, g, stats.norm(), 100)
    with pytest.raises(ValueError, match=r"\bn\b"):
        js_monte_carlo(KEY, g, g, 1)
    with pytest.raises(TypeError, match=r"\bn\b"):
        kl_monte_carlo(KEY, g, g, 100.0)
    with pytest.raises(TypeError, match=r"\bq\b"):
        kl_quadrature(g, None)
    with pytest.raises(ValueError, match="lo and hi"):
        kl_quadrature(g, g, lo=-1.0)
    with pytest.raises(ValueError, match="hi"):
        js_quadrature(g, g, lo=1.0, hi=1.0)
    with pytest.raises(ValueError, match="lo"):
        js_quadrature(g, g, lo=np.nan, hi=1.0)
    with pytest.raises(ValueError, match="num"):
        kl_quadrature(g, g, num=2)
    with pytest.raises(TypeError, match=r"\bp\b"):
        kl_integrand("gaussian", g, [0.0])
    with pytest.raises(ValueError, match=r"\bx\b"):
        js_integrand(g, g, [np.nan])
