"""Tests for gan_lessons.dynamics.dirac: the Dirac-GAN field, trajectories and Jacobian."""

import numpy as np
import pytest
from scipy.special import expit

from gan_lessons import dynamics as dyn

START = [1.0, 0.5]


def radii(z):
    z = np.asarray(z, np.float64)
    return np.hypot(z[:, 0], z[:, 1])


def test_dirac_gan_field_matches_closed_form():
    theta = np.array([0.7, -1.2, 2.0, 0.0])
    psi = np.array([0.4, 0.9, -1.5, 1.0])
    fp = lambda t: expit(-t)            # f'(t) for f(t) = log sigmoid(t)
    dt, dp = dyn.dirac_vector_field(theta, psi)
    np.testing.assert_allclose(dt, -psi * fp(psi * theta), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(dp, theta * fp(psi * theta), rtol=1e-5, atol=1e-7)
    dt, dp = dyn.dirac_vector_field(theta, psi, loss="non_saturating")
    np.testing.assert_allclose(dt, -psi * fp(-psi * theta), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(dp, theta * fp(psi * theta), rtol=1e-5, atol=1e-7)
    dt, dp = dyn.dirac_vector_field(theta, psi, loss="wgan", regulariser="r1", gamma=0.3)
    np.testing.assert_allclose(dt, -psi, rtol=1e-6)
    np.testing.assert_allclose(dp, theta - 0.3 * psi, rtol=1e-6, atol=1e-7)


def test_dirac_field_broadcasts_over_a_grid():
    grid = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 1, 3))
    dt, dp = dyn.dirac_vector_field(*grid, regulariser="instance_noise", noise_std=0.3)
    assert dt.shape == dp.shape == (3, 5)


def test_instance_noise_field_matches_scipy_quadrature():
    from scipy.integrate import quad
    from scipy.stats import norm

    theta, psi, sigma = 0.8, -0.6, 0.7
    fp = lambda t: expit(-t)
    dens = norm(scale=sigma).pdf
    d_psi = (quad(lambda e: (theta + e) * fp(psi * (theta + e)) * dens(e), -10, 10)[0]
             + quad(lambda e: -e * fp(-psi * e) * dens(e), -10, 10)[0])
    d_theta = -quad(lambda e: psi * fp(psi * (theta + e)) * dens(e), -10, 10)[0]
    dt, dp = dyn.dirac_vector_field(theta, psi, regulariser="instance_noise", noise_std=sigma)
    assert float(dt) == pytest.approx(d_theta, abs=1e-6)
    assert float(dp) == pytest.approx(d_psi, abs=1e-6)


def test_dirac_simultaneous_radius_increases_every_step():
    r = radii(dyn.dirac_trajectory([1.0, 1.0], 0.1, 300))
    assert np.all(np.diff(r) > 0)


def test_dirac_flow_conserves_radius():
    r = radii(dyn.dirac_flow([1.0, 1.0], 20.0, 2000))
    np.testing.assert_allclose(r, np.sqrt(2), rtol=1e-5)


@pytest.mark.parametrize("method", dyn.DIRAC_METHODS)
@pytest.mark.parametrize("loss", dyn.DIRAC_LOSSES)
def test_r1_converges(method, loss):
    z = dyn.dirac_trajectory([1.0, 1.0], 0.3, 1000, method=method, loss=loss,
                             regulariser="r1", gamma=1.0)
    assert radii(z)[-1] < 1e-3


@pytest.mark.parametrize("loss", ["gan", "non_saturating"])
def test_instance_noise_converges(loss):
    z = dyn.dirac_trajectory([1.0, 1.0], 0.3, 1000, loss=loss, regulariser="instance_noise",
                             noise_std=1.0)
    assert radii(z)[-1] < 1e-3


def test_dirac_eigenvalues_without_regularisation():
    np.testing.assert_allclose(dyn.dirac_eigenvalues("gan"), [-0.5j, 0.5j], atol=1e-7)
    np.testing.assert_allclose(dyn.dirac_eigenvalues("non_saturating"), [-0.5j, 0.5j], atol=1e-7)
    np.testing.assert_allclose(dyn.dirac_eigenvalues("wgan"), [-1j, 1j], atol=1e-7)


@pytest.mark.parametrize("gamma", [0.3, 2.0])
@pytest.mark.parametrize("loss,fprime", [("gan", 0.5), ("wgan", 1.0)])
def test_dirac_eigenvalues_with_r1(gamma, loss, fprime):
    root = np.sqrt(complex(gamma ** 2 / 4 - fprime ** 2))
    expected = np.array([-gamma / 2 - root, -gamma / 2 + root])
    got = dyn.dirac_eigenvalues(loss, "r1", gamma=gamma)
    key = lambda v: (v.imag.round(6), v.real.round(6))
    np.testing.assert_allclose(sorted(got, key=key), sorted(expected, key=key), atol=1e-6)
    assert np.all(got.real < 0)


def test_dirac_jacobian_with_instance_noise():
    sigma = 0.5     # f''(0) = -1/4, so the damping entry is 2 sigma^2 f''(0)
    np.testing.assert_allclose(dyn.dirac_jacobian("gan", "instance_noise", noise_std=sigma),
                               [[0, -0.5], [0.5, 2 * sigma ** 2 * -0.25]], atol=1e-6)
    # a linear f has f'' = 0: instance noise cannot help the WGAN
    np.testing.assert_allclose(dyn.dirac_jacobian("wgan", "instance_noise", noise_std=sigma),
                               [[0, -1], [1, 0]], atol=1e-6)


def test_dirac_step_spectral_radius():
    eta = 0.4
    assert dyn.dirac_spectral_radius(eta) == pytest.approx(np.sqrt(1 + eta ** 2 / 4), rel=1e-6)
    assert dyn.dirac_spectral_radius(eta, method="alternating") == pytest.approx(1.0, rel=1e-6)
    assert dyn.dirac_spectral_radius(eta, regulariser="r1", gamma=1.0) < 1


# --------------------------------------------------------------------------- compilation


def test_changing_numbers_does_not_recompile(compilations):
    dyn.dirac_trajectory(START, 0.1, 30, regulariser="r1", gamma=1.0)
    dyn.dirac_vector_field(np.zeros((2, 3)), np.ones((2, 3)), regulariser="instance_noise")
    mark = compilations.mark()
    dyn.dirac_trajectory([0.3, -4.0], 0.9, 30, regulariser="r1", gamma=0.01)
    dyn.dirac_vector_field(np.ones((2, 3)), np.zeros((2, 3)), regulariser="instance_noise",
                           noise_std=2.0)
    assert compilations.since(mark) == []
    dyn.dirac_vector_field(np.ones((3, 3)), np.zeros((3, 3)), regulariser="instance_noise")
    assert any("_dirac_field" in name for name in compilations.since(mark))  # a new shape


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call,name", [
    (lambda: dyn.dirac_trajectory(START, 0.1, 10, loss="hinge"), "loss"),
    (lambda: dyn.dirac_trajectory(START, 0.1, 10, regulariser="r2"), "regulariser"),
    (lambda: dyn.dirac_trajectory(START, 0.1, 10, method="extragradient"), "method"),
    (lambda: dyn.dirac_trajectory(START, 0.1, 10, regulariser="r1", gamma=-0.5), "gamma"),
    (lambda: dyn.dirac_trajectory([1.0], 0.1, 10), "start"),
    (lambda: dyn.dirac_flow(START, -1.0, 10), "t_max"),
    (lambda: dyn.dirac_vector_field(0.0, 0.0, noise_std=-1.0), "noise_std"),
    (lambda: dyn.dirac_eigenvalues("gan", "r1", gamma=float("nan")), "gamma"),
])
def test_bad_input_raises_value_error_naming_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_unknown_loss_lists_valid_options():
    with pytest.raises(ValueError, match="'non_saturating'"):
        dyn.dirac_vector_field(0.0, 0.0, loss="ns")
