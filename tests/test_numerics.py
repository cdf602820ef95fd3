"""Tests for gan_lessons._numerics against math.fsum, scipy and closed forms."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import integrate

from gan_lessons._numerics import (
    covering_grid,
    pairwise_sum,
    safe_log,
    trapezoid,
    trapezoid_nonuniform,
)
from gan_lessons.densities import Gaussian, GaussianMixture


@pytest.mark.parametrize("size", [1, 2, 7, 1000, 100_001])
def test_pairwise_sum_is_close_to_the_exact_sum(size):
    values = np.random.default_rng(size).uniform(0.0, 1.0, size).astype(np.float32)
    exact = math.fsum(values.astype(np.float64))
    got = float(jax.jit(pairwise_sum)(jnp.asarray(values)))
    # pairwise summation: error ~ log2(n) * eps * sum, far below the n * eps of a plain loop
    assert abs(got - exact) <= (math.log2(size) + 1) * 6e-8 * exact


def test_trapezoid_rules_match_scipy():
    x = np.linspace(-2.0, 3.0, 101)
    y = np.exp(-x ** 2) * np.cos(3 * x)
    expected = integrate.trapezoid(y, x)
    assert float(trapezoid(jnp.asarray(y, jnp.float32), jnp.asarray(x, jnp.float32))) == \
        pytest.approx(expected, abs=1e-6)
    xs = np.sort(np.random.default_rng(0).uniform(-2.0, 3.0, 200))
    ys = np.exp(-xs ** 2)
    assert float(trapezoid_nonuniform(jnp.asarray(ys, jnp.float32), jnp.asarray(xs, jnp.float32))) \
        == pytest.approx(integrate.trapezoid(ys, xs), abs=1e-6)


def test_safe_log_is_minus_infinity_at_zero_with_a_finite_gradient():
    p = jnp.array([0.0, 0.5, 1.0])
    np.testing.assert_allclose(safe_log(p), [-np.inf, math.log(0.5), 0.0])
    gradient = jax.grad(lambda q: jnp.sum(jnp.where(q > 0, safe_log(q), 0.0)))(p)
    assert np.all(np.isfinite(gradient))
    np.testing.assert_allclose(gradient, [0.0, 2.0, 1.0])


def test_covering_grid_spans_the_components_of_positive_weight():
    p = GaussianMixture([-1.0, 30.0], [2.0, 1.0], [1.0, 0.0])
    q = Gaussian(3.0, 0.5)
    grid = covering_grid(p, q, None, 5, tail=10.0)
    np.testing.assert_allclose(grid, np.linspace(-21.0, 19.0, 5), rtol=1e-6)
    np.testing.assert_allclose(covering_grid(p, q, (jnp.float32(0.0), jnp.float32(1.0)), 3, 10.0),
                               [0.0, 0.5, 1.0])
