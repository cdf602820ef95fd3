"""Tests for gan_lessons.data: constants from the papers, sampling statistics, validation."""

import itertools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from gan_lessons.data import (
    DATASETS,
    GRID,
    RING,
    Mixture2D,
    get_dataset,
    grid_means,
    ring_means,
    sample_mixture,
)


def _nearest(samples, means):
    """Index of and offset from the nearest mean, for each sample (numpy, float64)."""
    samples = np.asarray(samples, dtype=np.float64)
    d2 = ((samples[:, None, :] - means[None, :, :]) ** 2).sum(-1)
    idx = d2.argmin(axis=1)
    return idx, samples - means[idx]


# ----------------------------------------------------------------------------- constants
def test_ring_constants():
    assert RING.name == "ring" and RING.num_modes == 8 and RING.std == 0.01
    means = RING.means_array
    assert means.shape == (8, 2) and means.dtype == np.float64
    angles = 2 * np.pi * np.arange(8) / 8
    np.testing.assert_allclose(means, np.stack([np.cos(angles), np.sin(angles)], 1), atol=1e-15)
    np.testing.assert_allclose(np.hypot(means[:, 0], means[:, 1]), 1.0, rtol=1e-15)
    s = math.sqrt(0.5)
    expected = [(1, 0), (s, s), (0, 1), (-s, s), (-1, 0), (-s, -s), (0, -1), (s, -s)]
    np.testing.assert_allclose(means, expected, atol=1e-15)


def test_grid_constants():
    assert GRID.name == "grid" and GRID.num_modes == 25 and GRID.std == 0.05
    expected = set(itertools.product([-4.0, -2.0, 0.0, 2.0, 4.0], repeat=2))
    assert set(GRID.means) == expected
    assert GRID.means_array.shape == (25, 2)


def test_helpers_closed_forms():
    np.testing.assert_allclose(ring_means(4, 2.0), [(2, 0), (0, 2), (-2, 0), (0, -2)], atol=1e-15)
    assert set(grid_means(2, 1.0)) == {(-0.5, -0.5), (-0.5, 0.5), (0.5, -0.5), (0.5, 0.5)}
    assert grid_means(1) == ((0.0, 0.0),)


def test_get_dataset_and_hashable():
    assert get_dataset("ring") is RING and get_dataset("grid") is GRID
    assert set(DATASETS) == {"ring", "grid", "bimodal_1d", "gaussian_1d"}
    same = Mixture2D("ring", np.asarray(RING.means), 0.01)  # arrays are stored as tuples
    assert same == RING and hash(same) == hash(RING)
    with pytest.raises(Exception):
        RING.std = 1.0  # frozen


def test_get_dataset_bad_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"name.*'ring'.*'grid'"):
        get_dataset("spiral")


@pytest.mark.parametrize("kwargs, field", [
    (dict(means=((0.0, 0.0),), std=0.0), "std"),
    (dict(means=((0.0, 0.0),), std=-1.0), "std"),
    (dict(means=((0.0, 0.0, 0.0),), std=0.1), "means"),
    (dict(means=(), std=0.1), "means"),
    (dict(means=((np.nan, 0.0),), std=0.1), "means"),
])
def test_mixture_validation(kwargs, field):
    with pytest.raises(ValueError, match=field):
        Mixture2D("bad", **kwargs)


# ----------------------------------------------------------------------------- sampling
@pytest.mark.parametrize("dataset", [RING, GRID], ids=lambda d: d.name)
def test_sample_statistics(dataset):
    n = 40_000
    x = sample_mixture(jax.random.key(0), dataset, n)
    assert x.shape == (n, 2) and x.dtype == jnp.float32
    idx, offset = _nearest(x, dataset.means_array)
    # Per-axis spread around the nearest mean matches std (modes are >= 100 std apart).
    np.testing.assert_allclose(offset.std(axis=0), dataset.std, rtol=0.1)
    np.testing.assert_allclose(offset.mean(axis=0), 0.0, atol=0.05 * dataset.std)
    # Modes are chosen uniformly: a chi-square goodness-of-fit test does not reject.
    counts = np.bincount(idx, minlength=dataset.num_modes)
    assert stats.chisquare(counts).pvalue > 1e-3
    assert counts.min() > 0.8 * n / dataset.num_modes


def test_sample_same_key_same_samples_and_jit():
    key = jax.random.key(3)
    a = sample_mixture(key, RING, 100)
    b = jax.jit(sample_mixture, static_argnums=(1, 2))(key, RING, 100)
    np.testing.assert_array_equal(a, sample_mixture(key, RING, 100))
    np.testing.assert_allclose(a, b, atol=1e-6)
    assert not np.array_equal(a, sample_mixture(jax.random.key(4), RING, 100))


def test_sample_bad_arguments():
    key = jax.random.key(0)
    with pytest.raises(ValueError, match="n must be"):
        sample_mixture(key, RING, 0)
    with pytest.raises(TypeError, match="n must be"):
        sample_mixture(key, RING, 2.5)
    with pytest.raises(TypeError, match="dataset"):
        sample_mixture(key, "ring", 10)
    with pytest.raises(ValueError, match="n_modes"):
        ring_means(0)
    with pytest.raises(ValueError, match="spacing"):
        grid_means(5, -1.0)


# ----------------------------------------------------------------------------- 1-D data
from gan_lessons.data import BIMODAL_1D, GAUSSIAN_1D, Mixture1D, sample_dataset  # noqa: E402
from gan_lessons.densities import GaussianMixture, two_mode_mixture  # noqa: E402


def test_1d_constants_and_names():
    assert get_dataset("bimodal_1d") is BIMODAL_1D and get_dataset("gaussian_1d") is GAUSSIAN_1D
    assert BIMODAL_1D.means == (-2.0, 2.0) and BIMODAL_1D.stds == (0.5, 0.5)
    assert hash(BIMODAL_1D) == hash(Mixture1D("bimodal_1d", [-2, 2], [0.5, 0.5], [0.5, 0.5]))
    assert BIMODAL_1D.data_dim == 1 and RING.data_dim == 2
    # closed-form moments: mean sum w mu, variance sum w (s^2 + mu^2) - mean^2
    assert BIMODAL_1D.mean == 0.0 and BIMODAL_1D.std == pytest.approx(math.sqrt(4.25))
    assert GAUSSIAN_1D.mean == 1.0 and GAUSSIAN_1D.std == pytest.approx(0.5)


def test_1d_sample_shape_and_statistics():
    x = np.asarray(sample_dataset(jax.random.key(0), BIMODAL_1D, 20000))
    assert x.shape == (20000, 1) and x.dtype == np.float32
    # KS test against the mixture's CDF (scipy, not the code under test)
    cdf = lambda t: 0.5 * stats.norm.cdf(t, -2, 0.5) + 0.5 * stats.norm.cdf(t, 2, 0.5)
    assert stats.kstest(x[:, 0], cdf).pvalue > 1e-3


def test_1d_density_round_trip():
    density = BIMODAL_1D.density()
    assert isinstance(density, GaussianMixture)
    np.testing.assert_allclose(density.means, [-2, 2])
    assert Mixture1D.from_density(two_mode_mixture(4.0)).means == (-2.0, 2.0)


@pytest.mark.parametrize("kwargs, field", [
    (dict(means=(0.0,), stds=(0.0,), weights=(1.0,)), "stds"),
    (dict(means=(0.0, 1.0), stds=(1.0, 1.0), weights=(0.7, 0.7)), "weights"),
    (dict(means=(0.0, 1.0), stds=(1.0,), weights=(0.5, 0.5)), "stds"),
])
def test_1d_bad_input(kwargs, field):
    with pytest.raises(ValueError, match=field):
        Mixture1D("bad", **kwargs)
