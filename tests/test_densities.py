"""Tests of gan_lessons.densities against scipy.stats and closed forms."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import integrate, stats

from gan_lessons.densities import Gaussian, GaussianMixture, check_density, two_mode_mixture

KEY = jax.random.key(0)
# One grid shape and one sample size throughout keep the number of compilations down.
GRID = np.linspace(-8.0, 12.0, 201)
N = 20_000


def _mixture_pdf(x, means, stds, weights):
    return sum(w * stats.norm.pdf(x, m, s) for m, s, w in zip(means, stds, weights))


def _mixture_cdf(x, means, stds, weights):
    return sum(w * stats.norm.cdf(x, m, s) for m, s, w in zip(means, stds, weights))


MIXTURES = [
    ([-2.0, 2.0], [1.0, 0.5], [0.3, 0.7]),
    ([0.0], [2.0], [1.0]),
    ([-5.0, 0.0, 3.0], [0.3, 1.0, 2.5], [0.2, 0.5, 0.3]),
    ([1.0, 10.0], [1.0, 1.0], [1.0, 0.0]),  # a weight-0 component
]


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize("mean,std", [(0.0, 1.0), (1.5, 0.2), (-3.0, 4.0)])
def test_gaussian_matches_scipy(mean, std):
    g = Gaussian(mean, std)
    x = mean + std * (GRID - 2.0)
    np.testing.assert_allclose(g.log_prob(x), stats.norm.logpdf(x, mean, std),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(g.prob(x), stats.norm.pdf(x, mean, std), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(g.cdf(x), stats.norm.cdf(x, mean, std), rtol=1e-5, atol=1e-6)
    assert g.log_prob(x).dtype == jnp.float32


@pytest.mark.parametrize("means,stds,weights", MIXTURES)
def test_mixture_matches_scipy(means, stds, weights):
    mix = GaussianMixture(means, stds, weights)
    x = GRID
    pdf = _mixture_pdf(x, means, stds, weights)
    np.testing.assert_allclose(mix.prob(x), pdf, rtol=1e-5, atol=1e-7)
    mask = pdf > 1e-30
    np.testing.assert_allclose(mix.log_prob(x)[mask], np.log(pdf[mask]), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(mix.cdf(x), _mixture_cdf(x, means, stds, weights),
                               rtol=1e-5, atol=1e-6)


def test_broadcasting_any_shape():
    mix = GaussianMixture([-1.0, 1.0], [1.0, 2.0], [0.5, 0.5])
    x = GRID.reshape(3, 67)
    for method in (mix.log_prob, mix.cdf, Gaussian(0.0, 1.0).log_prob):
        out = method(x)
        assert out.shape == (3, 67)
        np.testing.assert_allclose(np.ravel(out), method(GRID), rtol=1e-6)
    assert mix.log_prob(0.5).shape == ()


def test_log_prob_finite_far_in_the_tails():
    mix = GaussianMixture([-2.0, 2.0], [0.5, 0.5], [0.5, 0.5])
    out = mix.log_prob(np.array([-300.0, 300.0]))
    assert np.all(np.isfinite(out))
    expected = stats.norm.logpdf(300.0, 2.0, 0.5) + np.log(0.5)
    np.testing.assert_allclose(out[1], expected, rtol=1e-5)


@pytest.mark.parametrize("means,stds,weights", MIXTURES)
def test_prob_integrates_to_one(means, stds, weights):
    mix = GaussianMixture(means, stds, weights)
    f = lambda t: float(mix.prob(t))  # noqa: E731
    # quad on the whole line can miss narrow peaks; integrate over a generous finite range.
    total, _ = integrate.quad(f, -40.0, 40.0, points=list(means), limit=200)
    assert total == pytest.approx(1.0, abs=1e-5)


def test_weight_zero_component_is_harmless():
    mix = GaussianMixture([0.0, 100.0], [1.0, 1.0], [1.0, 0.0])
    x = np.concatenate([[0.0, 100.0, -50.0], GRID[3:]])
    np.testing.assert_allclose(mix.log_prob(x), stats.norm.logpdf(x), rtol=1e-5)
    grads = jax.jit(jax.grad(lambda m, t: m.log_prob(t), argnums=(0, 1)))(mix, 100.0)
    assert all(np.all(np.isfinite(leaf)) for leaf in jax.tree_util.tree_leaves(grads))
    samples = mix.sample(KEY, N)
    assert np.all(np.abs(np.asarray(samples)) < 10)  # never from the weight-0 component


# --------------------------------------------------------------------------- moments, samples


@pytest.mark.parametrize("means,stds,weights", MIXTURES)
def test_moments_closed_form(means, stds, weights):
    mix = GaussianMixture(means, stds, weights)
    m = np.dot(weights, means)
    var = np.dot(weights, np.square(stds) + np.square(means)) - m**2
    assert float(mix.mean_value) == pytest.approx(m, rel=1e-5, abs=1e-6)
    assert float(mix.variance) == pytest.approx(var, rel=1e-5)
    g = Gaussian(1.5, 0.5)
    assert float(g.mean_value) == 1.5 and float(g.variance) == 0.25


@pytest.mark.parametrize("means,stds,weights", MIXTURES)
def test_sample_moments_and_ks(means, stds, weights):
    mix = GaussianMixture(means, stds, weights)
    n = N
    x = np.asarray(mix.sample(jax.random.key(1), n), np.float64)
    assert x.shape == (n,) and mix.sample(KEY, n).dtype == jnp.float32
    m = np.dot(weights, means)
    var = np.dot(weights, np.square(stds) + np.square(means)) - m**2
    # CLT: the sample mean has sd sqrt(var / n); allow 5 of them.
    assert abs(x.mean() - m) < 5 * np.sqrt(var / n)
    # sample variance: sd about sqrt((mu4 - var^2) / n); a loose 10 % band is many sds wide.
    assert x.var() == pytest.approx(var, rel=0.1)
    p_value = stats.kstest(x, lambda t: _mixture_cdf(t, means, stds, weights)).pvalue
    assert p_value > 1e-3


def test_gaussian_samples_ks():
    x = np.asarray(Gaussian(2.0, 3.0).sample(jax.random.key(3), N), np.float64)
    assert stats.kstest(x, stats.norm(2.0, 3.0).cdf).pvalue > 1e-3


def test_same_key_same_samples_and_different_keys_differ():
    mix = two_mode_mixture(4.0)
    a = mix.sample(jax.random.key(7), N)
    b = mix.sample(jax.random.key(7), N)
    c = mix.sample(jax.random.key(8), N)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(Gaussian(0.0, 1.0).sample(KEY, N),
                                  Gaussian(0.0, 1.0).sample(KEY, N))


# --------------------------------------------------------------------------- pytrees, jit


def test_pytree_leaves_are_float32_parameters():
    leaves = jax.tree_util.tree_leaves(GaussianMixture([0.0, 1.0], [1.0, 2.0], [0.5, 0.5]))
    assert len(leaves) == 3
    assert all(leaf.dtype == jnp.float32 and leaf.shape == (2,) for leaf in leaves)
    g_leaves = jax.tree_util.tree_leaves(Gaussian(1, 2))
    assert [leaf.shape for leaf in g_leaves] == [(), ()]
    assert all(leaf.dtype == jnp.float32 for leaf in g_leaves)


def test_jit_over_new_parameter_values_does_not_recompile(compilations):
    @jax.jit
    def total(density, x):
        return jnp.sum(density.log_prob(x)) + density.cdf(0.0)

    x = jnp.linspace(-3, 3, 11)
    mark = compilations.mark()
    total(GaussianMixture([0.0, 1.0], [1.0, 2.0], [0.5, 0.5]), x)
    for mean in (0.5, 1.0, -2.0):
        total(GaussianMixture([mean, 1.0], [1.0, 0.3], [0.25, 0.75]), x)
        total(two_mode_mixture(abs(mean) * 3, weight=0.1), x)
    assert [name for name in compilations.since(mark) if "total" in name] == ["jit(total)"]
    mark = compilations.mark()
    total(Gaussian(0.0, 1.0), x)
    total(Gaussian(3.0, 0.5), x)
    assert compilations.since(mark) == ["jit(total)"]  # a new structure compiles once


def test_module_cores_compile_once_per_structure(compilations):
    x = jnp.zeros(5)
    key = jax.random.key(5)
    first = compilations.mark()
    Gaussian(0.0, 1.0).log_prob(x)
    Gaussian(0.0, 1.0).sample(KEY, 9)
    mark = compilations.mark()
    for mean, std in [(1.0, 2.0), (-4.0, 0.1)]:
        Gaussian(mean, std).log_prob(x)
        Gaussian(mean, std).sample(key, 9)
    assert compilations.since(mark) == []
    assert len([name for name in compilations.since(first) if "_log_prob" in name]) <= 1


def test_constructors_accept_tracers_and_vmap():
    @jax.jit
    def f(mu, sigma):
        return Gaussian(mu, sigma).log_prob(0.0)

    assert float(f(0.0, 1.0)) == pytest.approx(stats.norm.logpdf(0.0), rel=1e-6)
    out = jax.vmap(lambda mu: Gaussian(mu, 1.0).log_prob(0.0))(jnp.arange(3.0))
    np.testing.assert_allclose(out, stats.norm.logpdf(0.0, np.arange(3.0)), rtol=1e-5)
    grad = jax.grad(lambda mu: Gaussian(mu, 2.0).log_prob(1.0))(0.0)
    assert float(grad) == pytest.approx(0.25)


def test_as_mixture_and_two_mode():
    g = Gaussian(1.0, 2.0)
    mix = g.as_mixture()
    assert isinstance(mix, GaussianMixture) and mix.num_components == 1
    np.testing.assert_allclose(mix.log_prob(GRID), g.log_prob(GRID), rtol=1e-6)
    assert mix.as_mixture() is mix and g.num_components == 1
    t = two_mode_mixture(6.0, weight=0.2, std=0.5)
    np.testing.assert_allclose(t.means, [-3.0, 3.0])
    np.testing.assert_allclose(t.stds, [0.5, 0.5])
    np.testing.assert_allclose(t.weights, [0.2, 0.8])
    assert float(t.variance) == pytest.approx(0.25 + 0.2 * 0.8 * 36, rel=1e-5)
    assert two_mode_mixture(0.0, weight=1.0).num_components == 2


def test_repr_is_readable():
    assert repr(Gaussian(0.5, 2)) == "Gaussian(mean=0.5, std=2)"
    assert repr(GaussianMixture([0, 1], [1, 1], [0.5, 0.5])) == (
        "GaussianMixture(means=[0, 1], stds=[1, 1], weights=[0.5, 0.5])")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("args,name,error", [
    ((0.0, 0.0), "std", ValueError),
    ((0.0, -1.0), "std", ValueError),
    ((np.nan, 1.0), "mean", ValueError),
    ((0.0, np.inf), "std", ValueError),
    (([0.0, 1.0], 1.0), "mean", ValueError),
    (("a", 1.0), "mean", TypeError),
    ((0.0, None), "std", TypeError),
    ((0.0, 1e-50), "std", ValueError),  # underflows to 0 in float32
])
def test_gaussian_bad_input(args, name, error):
    with pytest.raises(error, match=name):
        Gaussian(*args)


@pytest.mark.parametrize("args,name,error", [
    (([], [], []), "means", ValueError),
    (([[0.0, 1.0]], [1.0, 1.0], [0.5, 0.5]), "means", ValueError),
    ((0.0, [1.0], [1.0]), "means", ValueError),
    (([0.0, 1.0], [1.0], [0.5, 0.5]), "stds", ValueError),
    (([0.0, 1.0], [1.0, 0.0], [0.5, 0.5]), "stds", ValueError),
    (([0.0, 1.0], [1.0, np.nan], [0.5, 0.5]), "stds", ValueError),
    (([0.0, 1.0], [1.0, 1.0], [0.5, 0.6]), "weights", ValueError),
    (([0.0, 1.0], [1.0, 1.0], [1.5, -0.5]), "weights", ValueError),
    (([0.0, 1.0], [1.0, 1.0], [1.0]), "weights", ValueError),
    (([0.0, 1.0], [1.0, 1.0], [np.nan, 0.5]), "weights", ValueError),
    (([0.0, np.inf], [1.0, 1.0], [0.5, 0.5]), "means", ValueError),
    ((["a", "b"], [1.0, 1.0], [0.5, 0.5]), "means", TypeError),
])
def test_mixture_bad_input(args, name, error):
    with pytest.raises(error, match=name):
        GaussianMixture(*args)


def test_weights_are_not_renormalised():
    with pytest.raises(ValueError, match="weights"):
        GaussianMixture([0.0, 1.0], [1.0, 1.0], [1.0, 1.0])
    GaussianMixture([0.0, 1.0], [1.0, 1.0], [0.5, 0.5 + 5e-7])  # within 1e-6 is fine


@pytest.mark.parametrize("kwargs,name,error", [
    (dict(separation=-1.0), "separation", ValueError),
    (dict(separation=np.nan), "separation", ValueError),
    (dict(separation="far"), "separation", TypeError),
    (dict(separation=2.0, weight=1.5), "weight", ValueError),
    (dict(separation=2.0, weight=-0.1), "weight", ValueError),
    (dict(separation=2.0, std=0.0), "std", ValueError),
])
def test_two_mode_bad_input(kwargs, name, error):
    with pytest.raises(error, match=name):
        two_mode_mixture(**kwargs)


@pytest.mark.parametrize("density", [Gaussian(0.0, 1.0), two_mode_mixture(2.0)])
def test_sample_and_eval_bad_input(density):
    with pytest.raises(TypeError, match="key"):
        density.sample(0, 10)
    with pytest.raises(TypeError, match="key"):
        density.sample(jax.random.split(KEY, 2), 10)
    with pytest.raises(ValueError, match="n"):
        density.sample(KEY, 0)
    with pytest.raises(TypeError, match="n"):
        density.sample(KEY, 2.5)
    with pytest.raises(TypeError, match="x"):
        density.log_prob("x")
    with pytest.raises(TypeError, match="x"):
        density.cdf(None)


def test_legacy_uint32_key_works():
    assert Gaussian(0.0, 1.0).sample(jax.random.PRNGKey(0), N).shape == (N,)


def test_check_density_returns_a_density_and_names_anything_else():
    g, mix = Gaussian(0.0, 1.0), two_mode_mixture(2.0)
    assert check_density("p", g) is g and check_density("q", mix) is mix
    for bad in (0.5, "gauss", None, [0.0, 1.0]):
        with pytest.raises(TypeError, match="p_data must be a gan_lessons.densities.Gaussian"):
            check_density("p_data", bad)


def test_unchecked_methods_are_the_checked_ones_without_the_checks():
    mix = GaussianMixture([-1.0, 2.0], [0.5, 1.5], [0.3, 0.7])
    x = jnp.linspace(-4.0, 4.0, 9)
    # eager (op by op) against jitted: equal up to float32 rounding
    np.testing.assert_allclose(mix.log_prob_unchecked(x), mix.log_prob(x), rtol=1e-6)
    np.testing.assert_allclose(mix.cdf_unchecked(x), mix.cdf(x), rtol=1e-6)
    np.testing.assert_allclose(mix.sample_unchecked(KEY, 5), mix.sample(KEY, 5), rtol=1e-6)
    mean, var = mix.moments_unchecked()
    assert float(mean) == pytest.approx(0.3 * -1.0 + 0.7 * 2.0)
    assert float(var) == pytest.approx(0.3 * (0.25 + 1.0) + 0.7 * (2.25 + 4.0) - 1.1 ** 2, rel=1e-6)
    traced = jax.jit(lambda d, x: d.log_prob_unchecked(x))(mix, x)   # usable inside jax.jit
    np.testing.assert_allclose(traced, stats_mixture_logpdf(x), rtol=1e-5)


def stats_mixture_logpdf(x):
    x = np.asarray(x, np.float64)
    return np.log(0.3 * stats.norm.pdf(x, -1.0, 0.5) + 0.7 * stats.norm.pdf(x, 2.0, 1.5))
