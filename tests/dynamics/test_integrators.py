"""Tests for gan_lessons.dynamics.integrators: one step of each method against its matrix,
Runge-Kutta against its closed form, and the divergence guard."""

import jax.numpy as jnp
import numpy as np
import pytest

from gan_lessons import dynamics as dyn
from gan_lessons.dynamics import integrators as it

START = [1.0, 0.5]
ROTATION = np.array([[0.0, -1.0], [1.0, 0.0]])


def radii(z):
    z = np.asarray(z, np.float64)
    return np.hypot(z[:, 0], z[:, 1])


def rotation_field(z):
    return jnp.stack([-z[1], z[0]])          # F(a, b) = (-b, a) of the bilinear game


# --------------------------------------------------------------------------- one step


@pytest.mark.parametrize("eta", [0.1, 0.6, 1.5])
def test_each_step_is_its_matrix_on_the_rotation_field(eta):
    z = np.array([0.7, -1.3])
    eye = np.eye(2)
    gamma = 0.4
    expected = {
        it.simultaneous_step: (eye + eta * ROTATION) @ z,
        it.alternating_step: np.array([[1.0, -eta], [eta, 1.0 - eta ** 2]]) @ z,
        it.extragradient_step: (eye + eta * ROTATION + eta ** 2 * ROTATION @ ROTATION) @ z,
    }
    for step, value in expected.items():
        got = step(rotation_field, jnp.asarray(z, jnp.float32), jnp.float32(eta))
        np.testing.assert_allclose(got, value, rtol=1e-6, atol=1e-6)
    got = it.consensus_step(rotation_field, jnp.asarray(z, jnp.float32), jnp.float32(eta),
                            jnp.float32(gamma))
    np.testing.assert_allclose(got, ((1 - eta * gamma) * eye + eta * ROTATION) @ z,
                               rtol=1e-6, atol=1e-6)


def test_optimistic_step_uses_the_previous_field():
    z, z_prev, eta = np.array([0.7, -1.3]), np.array([0.2, 0.9]), 0.3
    state = (jnp.asarray(z, jnp.float32), jnp.asarray(ROTATION @ z_prev, jnp.float32))
    new_z, field = it.optimistic_step(rotation_field, state, jnp.float32(eta))
    np.testing.assert_allclose(new_z, z + 2 * eta * ROTATION @ z - eta * ROTATION @ z_prev,
                               rtol=1e-6)
    np.testing.assert_allclose(field, ROTATION @ z, rtol=1e-6)


def test_rk4_step_is_the_fourth_order_taylor_polynomial_of_exp():
    h = 0.3                                  # on z' = -z one step multiplies by this factor
    factor = 1 - h + h ** 2 / 2 - h ** 3 / 6 + h ** 4 / 24
    z = it.rk4(lambda z: -z, jnp.array([1.0, -2.0]), jnp.float32(h), 3)
    np.testing.assert_allclose(z, np.array([1.0, -2.0]) * factor ** np.arange(4)[:, None],
                               rtol=1e-6)


def test_iterate_rejects_an_unknown_method():
    with pytest.raises(ValueError, match="method"):
        it.iterate("newton", rotation_field, jnp.zeros(2), jnp.float32(0.1), 3)


# --------------------------------------------------------------------------- divergence guard


def test_divergence_guard_keeps_arrays_finite_and_reports_step():
    eta = 1.0
    z = np.asarray(dyn.bilinear_trajectory("simultaneous", eta, 200, START))
    assert np.all(np.isfinite(z))
    hit, step = dyn.diverged(z)
    # radius r0 * 2^(t/2) first exceeds 1e6 at this step
    expected = int(np.floor(2 * np.log2(1e6 / np.hypot(*START)))) + 1
    assert hit and step == expected
    assert radii(z)[step] > dyn.DIVERGENCE_RADIUS
    np.testing.assert_array_equal(z[step:], np.broadcast_to(z[step], z[step:].shape))


def test_overflowing_step_is_marked_not_nan():
    z = np.asarray(dyn.bilinear_trajectory("simultaneous", 1e38, 5, [1e5, 1e5]))
    assert np.all(np.isfinite(z))
    assert dyn.diverged(z) == (True, 1)


def test_converging_run_not_diverged():
    assert dyn.diverged(dyn.bilinear_trajectory("extragradient", 0.5, 50, START)) == (False, -1)


def test_diverged_checks_the_shape():
    with pytest.raises(ValueError, match="trajectory"):
        dyn.diverged(np.zeros((3, 3)))
