"""Tests of gan_lessons.optimal_discriminator: D*, V and C(G) against scipy and closed forms,
the generator gradients against their closed forms, and errors at the boundary."""

import math

import numpy as np
import pytest
from scipy import integrate, special

from oracles import RANDOM_PAIRS, jsd_by_quad, logpdf, pdf, quad
from gan_lessons.densities import Gaussian, GaussianMixture
from gan_lessons.optimal_discriminator import (
    criterion,
    default_grid,
    generator_gradient_magnitudes,
    generator_gradients,
    generator_gradients_from_logits,
    optimal_discriminator,
    optimal_discriminator_logit,
    value_on_grid,
)
from gan_lessons.training.discriminator import (
    DiscriminatorConfig,
)

LN4 = math.log(4.0)
CHUNK = 16
# structural tests: cheap to compile, and a learning-rate decay short enough to observe
SMALL = DiscriminatorConfig(hidden=(8,), batch_size=32, learning_rate=1e-2,
                            final_learning_rate=1e-3, decay_steps=2 * CHUNK)



# --------------------------------------------------------------------------- D*


@pytest.mark.parametrize("p_data, p_g", RANDOM_PAIRS)
def test_optimal_discriminator_matches_scipy_density_ratio(p_data, p_g):
    x = np.linspace(-8.0, 8.0, 321)
    a, b = pdf(p_data, x), pdf(p_g, x)
    expected = a / (a + b)
    d_star = np.asarray(optimal_discriminator(p_data, p_g, x))
    assert d_star.dtype == np.float32 and d_star.shape == x.shape
    np.testing.assert_allclose(d_star, expected, atol=2e-5)
    assert np.all((d_star >= 0) & (d_star <= 1))
    both = (a > 1e-6) & (b > 1e-6)  # where neither ratio term is negligible in float32
    assert np.any(both) and np.all((d_star[both] > 0) & (d_star[both] < 1))
    # any shape of x
    grid = x[:320].reshape(4, 8, 10)
    np.testing.assert_array_equal(optimal_discriminator(p_data, p_g, grid),
                                  d_star[:320].reshape(4, 8, 10))


def test_optimal_discriminator_logit_is_the_gaussian_log_ratio_even_where_pdfs_underflow():
    """For two Gaussians ln p_data - ln p_g is a quadratic, exact even at x = +-40 (where
    both densities underflow float32 and float64 alike) and D* = sigmoid of it."""
    md, sd, mg, sg = 0.5, 1.3, -1.0, 0.8
    x = np.linspace(-40.0, 40.0, 81)
    expected = math.log(sg / sd) - (x - md) ** 2 / (2 * sd**2) + (x - mg) ** 2 / (2 * sg**2)
    logit = optimal_discriminator_logit(Gaussian(md, sd), Gaussian(mg, sg), x)
    np.testing.assert_allclose(logit, expected, rtol=1e-5, atol=1e-4)
    d_star = optimal_discriminator(Gaussian(md, sd), Gaussian(mg, sg), x)
    np.testing.assert_allclose(d_star, special.expit(expected), rtol=1e-4, atol=1e-7)
    assert np.all(np.isfinite(d_star))


def test_optimal_discriminator_is_one_half_when_the_densities_are_equal():
    x = np.concatenate([np.linspace(-50.0, 50.0, 101), [1e4, -1e30]])
    for density in (Gaussian(0.3, 0.7), GaussianMixture([-2.0, 1.0], [0.5, 1.0], [0.4, 0.6])):
        np.testing.assert_array_equal(optimal_discriminator(density, density, x), 0.5)
        np.testing.assert_array_equal(optimal_discriminator_logit(density, density, x), 0.0)
    # where both log-densities are -inf (x = 1e30 squares to inf) nothing is known: 1/2
    assert float(optimal_discriminator(Gaussian(0.0, 1.0), Gaussian(5.0, 1.0), 1e30)) == 0.5


# --------------------------------------------------------------------------- C(G)


@pytest.mark.parametrize("p_data, p_g", RANDOM_PAIRS)
def test_criterion_is_minus_ln4_plus_twice_jsd(p_data, p_g):
    """Theorem 1 of Goodfellow et al. (2014), with the JSD from scipy quad of its definition."""
    jsd = jsd_by_quad(p_data, p_g)
    assert 0.0 < jsd < math.log(2.0)
    assert float(criterion(p_data, p_g)) == pytest.approx(-LN4 + 2 * jsd, abs=2e-6)


@pytest.mark.parametrize("p_data, p_g", RANDOM_PAIRS[:3])
def test_criterion_is_the_value_of_d_star_by_scipy_quad(p_data, p_g):
    """C(G) = int p_data ln D* + p_g ln(1 - D*) with D* built from scipy pdfs."""
    def integrand(x):
        lp, lq = logpdf(p_data, x), logpdf(p_g, x)
        log_d = lp - np.logaddexp(lp, lq)  # ln D*
        log_1md = lq - np.logaddexp(lp, lq)  # ln (1 - D*)
        return np.exp(lp) * log_d + np.exp(lq) * log_1md
    assert float(criterion(p_data, p_g)) == pytest.approx(quad(integrand, p_data, p_g),
                                                          abs=2e-6)


def test_criterion_minimum_at_equal_densities_and_zero_for_disjoint_supports():
    for density in (Gaussian(1.0, 2.0), GaussianMixture([-1.0, 3.0], [0.3, 1.0], [0.5, 0.5])):
        assert float(criterion(density, density)) == pytest.approx(-LN4, abs=1e-5)
    assert abs(float(criterion(Gaussian(0.0, 0.1), Gaussian(20.0, 0.1)))) < 1e-6
    # C grows with the separation from -ln 4 towards 0
    values = [float(criterion(Gaussian(0.0, 1.0), Gaussian(m, 1.0))) for m in (0, 1, 2, 4, 8)]
    assert values[0] == pytest.approx(-LN4, abs=1e-5)
    assert all(a < b for a, b in zip(values, values[1:]))
    assert -5e-3 < values[-1] < 0  # N(0, 1) vs N(8, 1): JSD within 2.5e-3 of ln 2


def test_criterion_custom_range():
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)
    wide = float(criterion(p, q))
    assert float(criterion(p, q, lo=-15.0, hi=16.0, num=3001)) == pytest.approx(wide, abs=2e-6)
    # a range that cuts off mass misses part of the (negative) integral
    assert float(criterion(p, q, lo=0.0, hi=1.0)) > wide + 0.1


# --------------------------------------------------------------------------- V(G, D) on a grid


def _value_float64(p, q, grid, logits):
    """The trapezoidal rule in float64 numpy, log-sigmoid from scipy."""
    f = pdf(p, grid) * special.log_expit(logits) + pdf(q, grid) * special.log_expit(-logits)
    return integrate.trapezoid(f, grid)


@pytest.mark.parametrize("p_data, p_g", RANDOM_PAIRS[:3])
def test_value_on_grid_matches_float64_trapezoid_and_is_at_most_c(p_data, p_g):
    rng = np.random.default_rng(7)
    uniform = np.linspace(-16.0, 16.0, 1601)
    nonuniform = np.sort(np.concatenate([[-16.0, 16.0], rng.uniform(-16.0, 16.0, 3000)]))
    for grid in (uniform, nonuniform):
        logits = 3 * np.sin(grid) + 0.5 * grid - 1.0  # an arbitrary discriminator
        got = float(value_on_grid(p_data, p_g, grid, logits))
        assert got == pytest.approx(_value_float64(p_data, p_g, grid, logits), abs=2e-6)
        assert got < float(criterion(p_data, p_g))
    # the undecided discriminator l = 0 has V = -ln 4; D* has V = C(G)
    assert float(value_on_grid(p_data, p_g, uniform, np.zeros_like(uniform))) == pytest.approx(
        -LN4, abs=2e-6)
    d_star_logits = optimal_discriminator_logit(p_data, p_g, uniform)
    assert float(value_on_grid(p_data, p_g, uniform, d_star_logits)) == pytest.approx(
        float(criterion(p_data, p_g)), abs=2e-6)


def test_value_on_grid_is_finite_for_huge_logits():
    grid = np.linspace(-10.0, 10.0, 801)
    p, q = Gaussian(-1.0, 1.0), Gaussian(1.0, 1.0)
    for logits in (np.full_like(grid, 1e4), np.full_like(grid, -1e4), 1e4 * np.sign(-grid)):
        got = float(value_on_grid(p, q, grid, logits))
        assert np.isfinite(got)
        assert got == pytest.approx(_value_float64(p, q, grid, logits), rel=1e-5, abs=1e-5)


# --------------------------------------------------------------------------- generator gradients


def test_default_grid_covers_every_component_to_six_standard_deviations():
    p_data = GaussianMixture([-3.0, 1.0, 50.0], [0.5, 2.0, 1.0], [0.4, 0.6, 0.0])  # last: weight 0
    p_g = Gaussian(4.0, 0.25)
    grid = np.asarray(default_grid(p_data, p_g, num=11), np.float64)
    lo, hi = min(-3.0 - 6 * 0.5, 1.0 - 12.0), max(1.0 + 12.0, 4.0 + 1.5)
    np.testing.assert_allclose(grid, np.linspace(lo, hi, 11), rtol=1e-6, atol=1e-6)
    assert default_grid(p_data, p_g).shape == (601,)
    with pytest.raises(ValueError, match="num"):
        default_grid(p_data, p_g, num=1)
    with pytest.raises(TypeError, match="p_g"):
        default_grid(p_data, [0.0, 1.0])


def test_generator_gradients_match_closed_forms():
    d = np.array([1e-30, 1e-12, 1e-6, 0.01, 0.2, 0.5, 0.9, 0.99, 1 - 1e-6, 1 - 1e-12])
    grads = generator_gradients(d)
    assert grads.saturating.shape == d.shape
    # d(ln(1 - D))/dl = -d and d(-ln D)/dl = -(1 - d), in float32
    np.testing.assert_allclose(grads.saturating, -d, rtol=1e-5, atol=0)
    np.testing.assert_allclose(grads.non_saturating, -(1 - d), rtol=1e-5, atol=1e-10)
    # as d -> 0 the saturating gradient vanishes, the non-saturating stays near -1
    assert abs(float(grads.saturating[0])) < 1e-29
    assert float(grads.non_saturating[0]) == -1.0
    magnitudes = generator_gradient_magnitudes(d.reshape(2, 5))
    np.testing.assert_allclose(magnitudes.saturating, d.reshape(2, 5), rtol=1e-5)
    np.testing.assert_allclose(magnitudes.non_saturating, 1 - d.reshape(2, 5), rtol=1e-5,
                               atol=1e-10)
    scalar = generator_gradients(0.25)
    assert scalar.saturating.shape == () and float(scalar.saturating) == pytest.approx(-0.25)


def test_generator_gradients_from_logits_are_finite_for_huge_logits():
    logits = np.array([-1e4, -50.0, -3.0, 0.0, 2.0, 50.0, 1e4])
    grads = generator_gradients_from_logits(logits)
    assert np.all(np.isfinite(grads.saturating)) and np.all(np.isfinite(grads.non_saturating))
    np.testing.assert_allclose(grads.saturating, -special.expit(logits), rtol=1e-5, atol=1e-30)
    np.testing.assert_allclose(grads.non_saturating, -special.expit(-logits), rtol=1e-5,
                               atol=1e-30)


# --------------------------------------------------------------------------- bad input


def test_bad_densities_points_and_grids_name_the_argument():
    g = Gaussian(0.0, 1.0)
    with pytest.raises(TypeError, match="p_data"):
        optimal_discriminator((0.0, 1.0), g, [0.0])
    with pytest.raises(TypeError, match="p_g"):
        optimal_discriminator_logit(g, "N(0, 1)", [0.0])
    with pytest.raises(TypeError, match="p_g"):
        criterion(g, None)
    with pytest.raises(ValueError, match="x"):
        optimal_discriminator(g, g, [0.0, np.nan])
    with pytest.raises(ValueError, match="x"):
        optimal_discriminator(g, g, [])
    with pytest.raises(ValueError, match="x"):
        optimal_discriminator_logit(g, g, [np.inf])
    with pytest.raises(ValueError, match="grid"):
        value_on_grid(g, g, np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="grid"):
        value_on_grid(g, g, [], [])
    with pytest.raises(ValueError, match="grid"):
        value_on_grid(g, g, [0.0], [0.0])
    with pytest.raises(ValueError, match="grid"):
        value_on_grid(g, g, [0.0, np.nan, 2.0], [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="grid"):
        value_on_grid(g, g, [0.0, 2.0, 1.0], [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="logits"):
        value_on_grid(g, g, [0.0, 1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="logits"):
        value_on_grid(g, g, [0.0, 1.0], [0.0, np.nan])
    with pytest.raises(ValueError, match="num"):
        criterion(g, g, num=2)
    with pytest.raises(ValueError, match="lo and hi"):
        criterion(g, g, lo=-1.0)
    with pytest.raises(ValueError, match="hi"):
        criterion(g, g, lo=1.0, hi=-1.0)
    with pytest.raises(ValueError, match="d_fake"):
        generator_gradients([0.5, 0.0])
    with pytest.raises(ValueError, match="d_fake"):
        generator_gradients(1.0)
    with pytest.raises(ValueError, match="d_fake"):
        generator_gradient_magnitudes([np.nan])
    with pytest.raises(ValueError, match="logits"):
        generator_gradients_from_logits([np.inf])
    # the densities themselves refuse bad parameters
    with pytest.raises(ValueError, match="std"):
        Gaussian(0.0, -1.0)
    with pytest.raises(ValueError, match="weights"):
        GaussianMixture([0.0, 1.0], [1.0, 1.0], [0.5, 0.6])
