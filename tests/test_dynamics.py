"""Tests for gan_lessons.dynamics: closed forms for the bilinear game and the Dirac-GAN."""

import numpy as np
import pytest
from scipy.special import expit

from gan_lessons import dynamics as dyn

START = [1.0, 0.5]


def radii(z):
    z = np.asarray(z, np.float64)
    return np.hypot(z[:, 0], z[:, 1])


# --------------------------------------------------------------------------- bilinear game


@pytest.mark.parametrize("eta", [0.05, 0.3, 1.0])
def test_simultaneous_radius_grows_by_exact_factor_every_step(eta):
    r = radii(dyn.bilinear_trajectory("simultaneous", eta, 30, START))
    np.testing.assert_allclose(r[1:] / r[:-1], np.sqrt(1 + eta ** 2), rtol=1e-5)
    assert dyn.radius_factor("simultaneous", eta) == pytest.approx(np.sqrt(1 + eta ** 2))


@pytest.mark.parametrize("eta", [0.1, 0.5, 0.9, 1.3])
def test_extragradient_radius_factor(eta):
    factor = np.sqrt(1 - eta ** 2 + eta ** 4)
    r = radii(dyn.bilinear_trajectory("extragradient", eta, 30, START))
    np.testing.assert_allclose(r[1:] / r[:-1], factor, rtol=1e-5)
    assert dyn.radius_factor("extragradient", eta) == pytest.approx(factor)
    assert dyn.spectral_radius("extragradient", eta) == pytest.approx(factor)


def test_extragradient_converges_below_one():
    assert radii(dyn.bilinear_trajectory("extragradient", 0.5, 400, START))[-1] < 1e-6


def test_flow_conserves_radius_and_rotates():
    z = np.asarray(dyn.bilinear_flow(START, 4 * np.pi, 2000), np.float64)
    r0 = np.hypot(*START)
    np.testing.assert_allclose(radii(z), r0, rtol=5e-6)
    # exact solution: rotation by the angle t
    t = np.linspace(0, 4 * np.pi, 2001)
    a0, b0 = START
    exact = np.stack([a0 * np.cos(t) - b0 * np.sin(t), a0 * np.sin(t) + b0 * np.cos(t)], 1)
    np.testing.assert_allclose(z, exact, atol=1e-5)
    assert dyn.radius_factor("flow", 0.1) == 1.0


@pytest.mark.parametrize("eta", [0.1, 0.8, 1.5, 1.95])
def test_alternating_conserves_quadratic_and_stays_bounded(eta):
    z = np.asarray(dyn.bilinear_trajectory("alternating", eta, 400, START), np.float64)
    q = dyn.alternating_invariant(z[:, 0], z[:, 1], eta)
    np.testing.assert_allclose(q, q[0], rtol=1e-4)
    # the other sign of the cross term is not conserved
    q_wrong = z[:, 0] ** 2 + eta * z[:, 0] * z[:, 1] + z[:, 1] ** 2
    assert np.ptp(q_wrong) > 1e-2
    # bounded: the ellipse Q = q0 lies inside the disc of radius^2 q0 / (1 - eta/2)
    assert radii(z).max() ** 2 <= q[0] / (1 - eta / 2) * (1 + 1e-4)
    assert dyn.spectral_radius("alternating", eta) == pytest.approx(1.0)


def test_alternating_diverges_above_two():
    assert dyn.spectral_radius("alternating", 2.1) > 1
    assert dyn.diverged(dyn.bilinear_trajectory("alternating", 2.1, 400, START))[0]


def test_optimistic_converges_below_one_over_sqrt3_only():
    assert radii(dyn.bilinear_trajectory("optimistic", 0.5, 400, START))[-1] < 1e-6
    r = radii(dyn.bilinear_trajectory("optimistic", 0.7, 400, START))
    assert r[-1] > r[0]
    threshold = 1 / np.sqrt(3)
    for eta in (0.1, 0.3, 0.5, threshold - 1e-3):
        assert dyn.spectral_radius("optimistic", eta) < 1
    for eta in (threshold + 1e-3, 0.6, 0.7, 1.0):
        assert dyn.spectral_radius("optimistic", eta) > 1
    assert dyn.spectral_radius("optimistic", threshold) == pytest.approx(1.0)


def test_optimistic_spectral_radius_matches_closed_form():
    for eta in (0.2, 0.45, 0.7):
        s = np.sqrt(complex(1 - 4 * eta ** 2))
        roots = [(1 + 2j * eta + s) / 2, (1 + 2j * eta - s) / 2]
        assert dyn.spectral_radius("optimistic", eta) == pytest.approx(max(map(abs, roots)))


@pytest.mark.parametrize("gamma", [0.5, 1.0])
def test_consensus_converges(gamma):
    eta = 0.3
    factor = np.sqrt((1 - eta * gamma) ** 2 + eta ** 2)
    r = radii(dyn.bilinear_trajectory("consensus", eta, 50, START, gamma=gamma))
    np.testing.assert_allclose(r[1:] / r[:-1], factor, rtol=1e-5)
    assert factor < 1 and r[-1] < r[0] * factor ** 49
    assert dyn.radius_factor("consensus", eta, gamma=gamma) == pytest.approx(factor)
    assert dyn.spectral_radius("consensus", eta, gamma=gamma) == pytest.approx(factor)


def test_simultaneous_spectral_radius():
    assert dyn.spectral_radius("simultaneous", 0.4) == pytest.approx(np.sqrt(1.16))


def test_zero_steps_returns_start():
    z = dyn.bilinear_trajectory("optimistic", 0.1, 0, START)
    assert z.shape == (1, 2)
    np.testing.assert_array_equal(z[0], np.float32(START))


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


# --------------------------------------------------------------------------- Dirac-GAN


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


def test_changing_numbers_does_not_recompile():
    dyn.bilinear_trajectory("consensus", 0.1, 30, START)
    dyn.dirac_trajectory(START, 0.1, 30, regulariser="r1", gamma=1.0)
    dyn.dirac_vector_field(np.zeros((2, 3)), np.ones((2, 3)), regulariser="instance_noise")
    dyn.bilinear_flow(START, 1.0, 30)
    cores = (dyn._bilinear_core, dyn._dirac_core, dyn._dirac_field_core, dyn._bilinear_flow_core)
    sizes = [core._cache_size() for core in cores]
    dyn.bilinear_trajectory("consensus", 0.7, 30, [-2.0, 3.0], gamma=0.2)
    dyn.dirac_trajectory([0.3, -4.0], 0.9, 30, regulariser="r1", gamma=0.01)
    dyn.dirac_vector_field(np.ones((2, 3)), np.zeros((2, 3)), regulariser="instance_noise",
                           noise_std=2.0)
    dyn.bilinear_flow([5.0, 1.0], 7.5, 30)
    assert [core._cache_size() for core in cores] == sizes


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call,name", [
    (lambda: dyn.bilinear_trajectory("gradient", 0.1, 10, START), "method"),
    (lambda: dyn.bilinear_trajectory("simultaneous", 0.0, 10, START), "eta"),
    (lambda: dyn.bilinear_trajectory("simultaneous", -0.1, 10, START), "eta"),
    (lambda: dyn.bilinear_trajectory("simultaneous", float("nan"), 10, START), "eta"),
    (lambda: dyn.bilinear_trajectory("simultaneous", float("inf"), 10, START), "eta"),
    (lambda: dyn.bilinear_trajectory("simultaneous", 0.1, -1, START), "steps"),
    (lambda: dyn.bilinear_trajectory("simultaneous", 0.1, 10, [1.0, 2.0, 3.0]), "start"),
    (lambda: dyn.bilinear_trajectory("simultaneous", 0.1, 10, [[1.0, 2.0]]), "start"),
    (lambda: dyn.bilinear_trajectory("simultaneous", 0.1, 10, [1.0, np.nan]), "start"),
    (lambda: dyn.bilinear_trajectory("consensus", 0.1, 10, START, gamma=-1.0), "gamma"),
    (lambda: dyn.bilinear_flow(START, 0.0, 10), "t_max"),
    (lambda: dyn.bilinear_flow(START, 1.0, 0), "steps"),
    (lambda: dyn.radius_factor("alternating", 0.1), "method"),
    (lambda: dyn.dirac_trajectory(START, 0.1, 10, loss="hinge"), "loss"),
    (lambda: dyn.dirac_trajectory(START, 0.1, 10, regulariser="r2"), "regulariser"),
    (lambda: dyn.dirac_trajectory(START, 0.1, 10, method="extragradient"), "method"),
    (lambda: dyn.dirac_trajectory(START, 0.1, 10, regulariser="r1", gamma=-0.5), "gamma"),
    (lambda: dyn.dirac_vector_field(0.0, 0.0, noise_std=-1.0), "noise_std"),
    (lambda: dyn.dirac_eigenvalues("gan", "r1", gamma=float("nan")), "gamma"),
    (lambda: dyn.diverged(np.zeros((3, 3))), "trajectory"),
])
def test_bad_input_raises_value_error_naming_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_unknown_name_lists_valid_options():
    with pytest.raises(ValueError) as info:
        dyn.bilinear_trajectory("newton", 0.1, 10, START)
    for method in dyn.BILINEAR_METHODS:
        assert repr(method) in str(info.value)
    with pytest.raises(ValueError, match="'non_saturating'"):
        dyn.dirac_vector_field(0.0, 0.0, loss="ns")
