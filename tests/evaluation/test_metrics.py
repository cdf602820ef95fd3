"""Tests for gan_lessons.evaluation.metrics: the VEEGAN/PacGAN mode-coverage protocol, KS and W1."""

import math

import jax
import numpy as np
import pytest
from scipy import stats

from gan_lessons.data import GRID, RING, sample_mixture
from gan_lessons.evaluation.metrics import ModeCoverage, marginal_ks, mode_coverage, wasserstein_1d

# P(chi-square with 2 dof <= 9): the chance that a 2-D isotropic Gaussian lands within 3 std.
P_WITHIN_3_STD = 1.0 - math.exp(-4.5)


def _clt_tol(p, n, z=5.0):
    return z * math.sqrt(p * (1.0 - p) / n)


# ----------------------------------------------------------------------------- true samples
@pytest.mark.parametrize("n, seed", [(2_500, 0), (20_000, 1)])
def test_true_ring_samples(n, seed):
    x = np.asarray(sample_mixture(jax.random.key(seed), RING, n))
    result = mode_coverage(x, RING.means_array, RING.std)
    assert isinstance(result, ModeCoverage)
    assert result.modes == 8 and result.num_modes == 8 and result.num_samples == n
    assert abs(result.high_quality - P_WITHIN_3_STD) < _clt_tol(P_WITHIN_3_STD, n)
    assert 0.0 <= result.reverse_kl < (0.01 if n >= 20_000 else 0.02)
    assert result.counts.shape == (8,) and result.counts.sum() == round(result.high_quality * n)


def test_true_grid_samples():
    n = 20_000
    x = np.asarray(sample_mixture(jax.random.key(2), GRID, n))
    result = mode_coverage(x, GRID.means_array, GRID.std)
    assert result.modes == 25 and result.num_modes == 25
    assert abs(result.high_quality - P_WITHIN_3_STD) < _clt_tol(P_WITHIN_3_STD, n)
    assert 0.0 <= result.reverse_kl < 0.01


def test_jax_array_accepted():
    x = sample_mixture(jax.random.key(3), RING, 2_500)  # a float32 jax.Array
    assert mode_coverage(x, RING.means_array, RING.std).modes == 8


# ----------------------------------------------------------------------------- known answers
def test_collapsed_generator_one_mode():
    means = RING.means_array
    rng = np.random.default_rng(0)
    x = means[3] + 0.5 * RING.std * rng.standard_normal((2_500, 2)).clip(-2, 2)
    result = mode_coverage(x, means, RING.std)
    assert result.modes == 1
    assert result.high_quality == 1.0
    assert result.reverse_kl == math.log(8)
    assert result.counts.tolist() == [0, 0, 0, 2_500, 0, 0, 0, 0]


def test_samples_far_from_every_mode():
    x = np.full((100, 2), 10.0)
    result = mode_coverage(x, RING.means_array, RING.std)
    assert result.modes == 0
    assert result.high_quality == 0.0
    assert result.reverse_kl == math.inf
    assert result.counts.sum() == 0


def test_ring_centre_is_low_quality():
    # The origin is at distance 1 from every ring mean: assigned (to mode 0) but not good.
    result = mode_coverage([[0.0, 0.0]], RING.means_array, RING.std)
    assert (result.modes, result.high_quality, result.reverse_kl) == (0, 0.0, math.inf)


def test_hand_made_case():
    means = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]]
    std = 1.0
    samples = [
        [0.5, 0.5],    # mode 0, distance 0.71: good
        [2.9, 0.0],    # mode 0, distance 2.9: good
        [3.1, 0.0],    # mode 0, distance 3.1: low quality
        [10.0, 1.0],   # mode 1: good
        [9.0, 9.0],    # mode 3, distance 1.41: good
        [5.0, 5.1],    # nearest mode 2 (distance 5.1 > 3): low quality
    ]
    result = mode_coverage(samples, means, std)
    assert result.counts.tolist() == [2, 1, 0, 1]
    assert result.modes == 3
    assert result.high_quality == pytest.approx(4 / 6)
    q = np.array([0.5, 0.25, 0.25])
    assert result.reverse_kl == pytest.approx(float(np.sum(q * np.log(4 * q))), rel=1e-12)


def test_threshold_is_inclusive_and_scales_with_std():
    means = [[0.0], [100.0]]
    assert mode_coverage([[3.0]], means, 1.0).high_quality == 1.0
    assert mode_coverage([[3.0]], means, 0.999).high_quality == 0.0
    assert mode_coverage([[-30.0]], means, 10.0).modes == 1


def test_uniform_spread_gives_zero_kl():
    means = GRID.means_array
    x = np.repeat(means, 7, axis=0)
    result = mode_coverage(x, means, GRID.std)
    assert result.modes == 25 and result.high_quality == 1.0 and result.reverse_kl == 0.0
    assert result.counts.tolist() == [7] * 25


def test_two_of_eight_modes():
    means = RING.means_array
    x = np.concatenate([np.repeat(means[[0]], 30, 0), np.repeat(means[[5]], 10, 0)])
    result = mode_coverage(x, means, RING.std)
    q = np.array([0.75, 0.25])
    assert result.modes == 2
    assert result.reverse_kl == pytest.approx(float(np.sum(q * np.log(8 * q))), rel=1e-12)
    assert 0.0 < result.reverse_kl < math.log(8)


def test_chunking_matches_single_block(monkeypatch):
    import gan_lessons.evaluation.metrics as metrics

    x = np.array(sample_mixture(jax.random.key(4), GRID, 3_000))
    x[::7] += 0.3  # push some samples out of their 3-std ball
    whole = mode_coverage(x, GRID.means_array, GRID.std)
    monkeypatch.setattr(metrics, "_CHUNK", 256)
    chunked = mode_coverage(x, GRID.means_array, GRID.std)
    assert whole.counts.tolist() == chunked.counts.tolist()
    assert whole.high_quality == chunked.high_quality < P_WITHIN_3_STD


def test_result_is_frozen():
    result = mode_coverage([[0.0, 0.0]], [[0.0, 0.0]], 1.0)
    with pytest.raises(AttributeError):
        result.modes = 3
    with pytest.raises(ValueError):
        result.counts[0] = 5


# ----------------------------------------------------------------------------- 1-D distances
@pytest.mark.parametrize("n, m, seed", [(1, 1, 0), (7, 13, 1), (500, 333, 2), (1000, 1000, 3)])
def test_wasserstein_matches_scipy(n, m, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, n)
    y = rng.gamma(2.0, 1.0, m)
    assert wasserstein_1d(x, y) == pytest.approx(stats.wasserstein_distance(x, y), rel=1e-10,
                                                 abs=1e-12)


def test_wasserstein_known_values():
    assert wasserstein_1d([1.0, 2.0, 3.0], [3.0, 2.0, 1.0]) == 0.0
    assert wasserstein_1d([0.0], [5.0]) == 5.0
    assert wasserstein_1d([0.0, 0.0, 1.0], [0.0, 1.0]) == pytest.approx(1 / 6)
    x = np.random.default_rng(5).normal(size=50)
    assert wasserstein_1d(x, x + 0.25) == pytest.approx(0.25)
    assert wasserstein_1d(x, -x) == pytest.approx(wasserstein_1d(-x, x))


@pytest.mark.parametrize("n, m, seed", [(10, 10, 0), (40, 17, 1), (800, 1200, 2)])
def test_marginal_ks_matches_scipy(n, m, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    y = rng.normal(0.2, 1.3, size=(m, 3))
    y[:, 1] = np.round(y[:, 1], 1)  # ties
    x[:, 1] = np.round(x[:, 1], 1)
    expected = [stats.ks_2samp(x[:, j], y[:, j]).statistic for j in range(3)]
    got = marginal_ks(x, y)
    assert got.shape == (3,) and got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_marginal_ks_on_ring():
    a = np.asarray(sample_mixture(jax.random.key(6), RING, 4_000))
    b = np.asarray(sample_mixture(jax.random.key(7), RING, 4_000))
    assert np.all(marginal_ks(a, b) < 0.05)
    assert np.all(marginal_ks(a, b + 1.0) > 0.5)


# ----------------------------------------------------------------------------- bad input
GOOD_X = np.zeros((4, 2))
GOOD_MU = np.zeros((3, 2))


@pytest.mark.parametrize("kwargs, name", [
    (dict(samples=np.zeros(4)), "samples"),
    (dict(samples=np.zeros((0, 2))), "samples"),
    (dict(samples=np.zeros((2, 2, 2))), "samples"),
    (dict(samples=np.array([[0.0, np.nan]])), "samples"),
    (dict(samples=np.array([[0.0, np.inf]])), "samples"),
    (dict(means=np.zeros(2)), "means"),
    (dict(means=np.zeros((0, 2))), "means"),
    (dict(means=np.array([[np.nan, 0.0]])), "means"),
    (dict(samples=np.zeros((4, 3))), "samples"),
    (dict(std=0.0), "std"),
    (dict(std=-0.01), "std"),
    (dict(std=float("nan")), "std"),
    (dict(std=float("inf")), "std"),
])
def test_mode_coverage_bad_input(kwargs, name):
    args = dict(samples=GOOD_X, means=GOOD_MU, std=0.1) | kwargs
    with pytest.raises(ValueError, match=name):
        mode_coverage(**args)


@pytest.mark.parametrize("x, y, name", [
    ([], [1.0], "x"),
    ([[1.0]], [1.0], "x"),
    ([1.0, np.nan], [1.0], "x"),
    ([1.0], [], "y"),
    ([1.0], [np.inf], "y"),
    ([1.0], [[1.0, 2.0]], "y"),
])
def test_wasserstein_bad_input(x, y, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        wasserstein_1d(x, y)


@pytest.mark.parametrize("samples, reference, name", [
    (np.zeros(3), np.zeros((3, 1)), "samples"),
    (np.zeros((0, 1)), np.zeros((3, 1)), "samples"),
    (np.zeros((3, 1)), np.zeros(3), "reference"),
    (np.zeros((3, 1)), np.array([[np.nan]]), "reference"),
    (np.zeros((3, 2)), np.zeros((3, 1)), "reference"),
])
def test_marginal_ks_bad_input(samples, reference, name):
    with pytest.raises(ValueError, match=name):
        marginal_ks(samples, reference)
