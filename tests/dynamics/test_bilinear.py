"""Tests for gan_lessons.dynamics.bilinear: closed forms for the bilinear game min_a max_b ab."""

import numpy as np
import pytest

from gan_lessons import dynamics as dyn

START = [1.0, 0.5]


def radii(z):
    z = np.asarray(z, np.float64)
    return np.hypot(z[:, 0], z[:, 1])


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


# --------------------------------------------------------------------------- compilation


def test_changing_numbers_does_not_recompile(compilations):
    dyn.bilinear_trajectory("consensus", 0.1, 30, START)
    dyn.bilinear_flow(START, 1.0, 30)
    mark = compilations.mark()
    dyn.bilinear_trajectory("consensus", 0.7, 30, [-2.0, 3.0], gamma=0.2)
    dyn.bilinear_flow([5.0, 1.0], 7.5, 30)
    assert compilations.since(mark) == []
    dyn.bilinear_trajectory("consensus", 0.7, 31, [-2.0, 3.0], gamma=0.2)  # a new step count
    assert any("_bilinear" in name for name in compilations.since(mark))


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
])
def test_bad_input_raises_value_error_naming_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_unknown_method_lists_valid_options():
    with pytest.raises(ValueError) as info:
        dyn.bilinear_trajectory("newton", 0.1, 10, START)
    for method in dyn.BILINEAR_METHODS:
        assert repr(method) in str(info.value)
