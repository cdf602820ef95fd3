"""The Dirac-GAN: its vector field, losses, regularisers, trajectories and Jacobian.

The Dirac-GAN of Mescheder, Geiger and Nowozin (2018): data :math:`\\delta_0`,
generator :math:`\\delta_\\theta`, discriminator :math:`D(x) = \\psi x`. In the
paper's convention the objective is

.. math:: L(\\theta, \\psi) = f(\\psi\\theta) + f(0),

maximised by the discriminator (in :math:`\\psi`) and minimised by the generator
(in :math:`\\theta`), with :math:`f(t) = -\\log(1 + e^{-t})` for the GAN. Its field
is :math:`v = (-\\psi f'(\\psi\\theta),\\ \\theta f'(\\psi\\theta))` and the Jacobian
at the equilibrium :math:`(0, 0)` has eigenvalues :math:`\\pm i f'(0)`: the
unregularised dynamics circle and never converge. The R1 penalty and instance
noise add damping (:func:`dirac_eigenvalues`).

Every computation runs in a module-level jitted core with the step count and the
method, loss and regulariser names static and every number traced, so moving a
slider never recompiles.

References:
  Mescheder, Geiger, Nowozin, "Which Training Methods for GANs do actually
  Converge?", ICML 2018.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from gan_lessons._validate import (
    as_finite_array,
    as_float32,
    as_positive_float32,
    check_choice,
    check_int,
)
from gan_lessons.dynamics.integrators import alternating_step, guarded_scan, rk4, simultaneous_step

__all__ = [
    "DIRAC_LOSSES", "DIRAC_METHODS", "DIRAC_REGULARISERS",
    "dirac_vector_field", "dirac_trajectory", "dirac_flow", "dirac_jacobian",
    "dirac_eigenvalues", "dirac_spectral_radius",
]

DIRAC_LOSSES = ("gan", "non_saturating", "wgan")
DIRAC_REGULARISERS = ("none", "instance_noise", "r1")
DIRAC_METHODS = ("simultaneous", "alternating")

# Gauss-Hermite rule for E[g(eps)], eps ~ N(0, 1): sum(w * g(x)) with weights summing to 1.
_GH_NODES, _GH_WEIGHTS = np.polynomial.hermite_e.hermegauss(40)
_GH_NODES = jnp.asarray(_GH_NODES, jnp.float32)
_GH_WEIGHTS = jnp.asarray(_GH_WEIGHTS / np.sqrt(2.0 * np.pi), jnp.float32)


def _f(loss: str, t: jax.Array) -> jax.Array:
    return t if loss == "wgan" else jax.nn.log_sigmoid(t)


def _objectives(theta, psi, noise_std, loss: str, regulariser: str):
    """Per-element (discriminator objective, generator loss) of the Dirac-GAN.

    With instance noise the expectation over eps ~ N(0, noise_std^2) is taken
    with the Gauss-Hermite rule on a trailing axis.
    """
    if regulariser == "instance_noise":
        eps, th, ps = noise_std * _GH_NODES, theta[..., None], psi[..., None]
        mean = lambda values: jnp.sum(_GH_WEIGHTS * values, axis=-1)
    else:
        eps, th, ps = 0.0, theta, psi
        mean = lambda values: values
    fake = mean(_f(loss, ps * (th + eps)))           # generated samples theta + eps
    real = mean(_f(loss, -ps * eps))                 # data 0 + eps
    disc = fake + real
    gen = mean(-_f(loss, -ps * (th + eps))) if loss == "non_saturating" else fake
    return disc, gen


def _dirac_field(theta, psi, gamma, noise_std, loss: str, regulariser: str):
    theta, psi = jnp.broadcast_arrays(jnp.asarray(theta, jnp.float32),
                                      jnp.asarray(psi, jnp.float32))

    def disc_objective(p):      # maximised by the discriminator
        value = _objectives(theta, p, noise_std, loss, regulariser)[0]
        if regulariser == "r1":  # grad_x D(x) = psi at the data point x = 0
            value = value - 0.5 * gamma * p ** 2
        return jnp.sum(value)

    def gen_objective(t):       # minimised by the generator
        return jnp.sum(_objectives(t, psi, noise_std, loss, regulariser)[1])

    return -jax.grad(gen_objective)(theta), jax.grad(disc_objective)(psi)


def _field_of_z(gamma, noise_std, loss: str, regulariser: str):
    """The field as a map of z = (theta, psi), for the integrators."""
    return lambda z: jnp.stack(_dirac_field(z[0], z[1], gamma, noise_std, loss, regulariser))


def _dirac_step(z, eta, gamma, noise_std, method, loss, regulariser):
    """One step; an alternating step moves the generator (theta) first."""
    step = simultaneous_step if method == "simultaneous" else alternating_step
    return step(_field_of_z(gamma, noise_std, loss, regulariser), z, eta)


def _dirac(start, eta, gamma, noise_std, steps, method, loss, regulariser):
    return guarded_scan(
        lambda z: _dirac_step(z, eta, gamma, noise_std, method, loss, regulariser), start, steps)


def _dirac_flow(start, h, gamma, noise_std, steps, loss, regulariser):
    return rk4(_field_of_z(gamma, noise_std, loss, regulariser), start, h, steps)


def _dirac_jac(gamma, noise_std, loss, regulariser):
    return jax.jacfwd(_field_of_z(gamma, noise_std, loss, regulariser))(jnp.zeros(2, jnp.float32))


def _dirac_step_jac(eta, gamma, noise_std, method, loss, regulariser):
    step = lambda z: _dirac_step(z, eta, gamma, noise_std, method, loss, regulariser)
    return jax.jacfwd(step)(jnp.zeros(2, jnp.float32))


_dirac_field_core = jax.jit(_dirac_field, static_argnames=("loss", "regulariser"))
_dirac_core = jax.jit(_dirac, static_argnames=("steps", "method", "loss", "regulariser"))
_dirac_flow_core = jax.jit(_dirac_flow, static_argnames=("steps", "loss", "regulariser"))
_dirac_jacobian_core = jax.jit(_dirac_jac, static_argnames=("loss", "regulariser"))
_dirac_step_jacobian_core = jax.jit(_dirac_step_jac,
                                    static_argnames=("method", "loss", "regulariser"))


def _dirac_args(loss, regulariser, gamma, noise_std):
    loss = check_choice("loss", loss, DIRAC_LOSSES)
    regulariser = check_choice("regulariser", regulariser, DIRAC_REGULARISERS)
    return (loss, regulariser, as_positive_float32("gamma", gamma, allow_zero=True),
            as_positive_float32("noise_std", noise_std, allow_zero=True))


def dirac_vector_field(theta: ArrayLike, psi: ArrayLike, *, loss: str = "gan",
                       regulariser: str = "none", gamma: float = 1.0,
                       noise_std: float = 0.5) -> tuple[jax.Array, jax.Array]:
    """The Dirac-GAN field :math:`(\\dot\\theta, \\dot\\psi)`, elementwise over arrays.

    The discriminator ascends its objective in :math:`\\psi`, the generator descends
    its own in :math:`\\theta`; both are differentiated with ``jax.grad``:

    * ``"gan"``: both use :math:`f(\\psi\\theta) + f(0)`, :math:`f = \\log\\sigma`, so
      :math:`v = (-\\psi f'(\\psi\\theta),\\ \\theta f'(\\psi\\theta))` with
      :math:`f'(t) = \\sigma(-t)`, :math:`f'(0) = 1/2`.
    * ``"non_saturating"``: the generator minimises :math:`-f(-\\psi\\theta)` instead,
      so :math:`\\dot\\theta = -\\psi f'(-\\psi\\theta)`; same Jacobian at the equilibrium.
    * ``"wgan"``: :math:`f(t) = t`, the bilinear field :math:`(-\\psi, \\theta)`
      (no weight clipping).
    * ``"r1"`` subtracts :math:`\\tfrac\\gamma2 \\psi^2` (the squared input gradient of
      :math:`D` at the data) from the discriminator's objective: :math:`\\dot\\psi
      \\mathrel{-}= \\gamma\\psi`.
    * ``"instance_noise"`` adds :math:`\\epsilon \\sim N(0, \\sigma^2)` to real and
      fake samples: :math:`E_\\epsilon[f(\\psi(\\theta + \\epsilon)) + f(-\\psi\\epsilon)]`,
      computed with 40-point Gauss-Hermite quadrature.

    Args:
      theta, psi: generator and discriminator parameters (broadcast together).
      loss: one of :data:`DIRAC_LOSSES` (static).
      regulariser: one of :data:`DIRAC_REGULARISERS` (static).
      gamma: R1 weight, >= 0 (traced). noise_std: instance-noise std, >= 0 (traced).

    Returns:
      ``(d_theta, d_psi)``, float32 arrays of the broadcast shape.

    Example:
      >>> dt, dp = dirac_vector_field(1.0, 0.0)
      >>> float(dt), float(dp)
      (-0.0, 0.5)
    """
    theta = as_finite_array("theta", theta, min_size=0)
    psi = as_finite_array("psi", psi, min_size=0)
    loss, regulariser, gamma, noise_std = _dirac_args(loss, regulariser, gamma, noise_std)
    return _dirac_field_core(theta, psi, gamma, noise_std, loss=loss, regulariser=regulariser)


def dirac_trajectory(start: ArrayLike, eta: float, steps: int, *, method: str = "simultaneous",
                     loss: str = "gan", regulariser: str = "none", gamma: float = 1.0,
                     noise_std: float = 0.5) -> jax.Array:
    """Gradient steps on the Dirac-GAN from ``start = (theta_0, psi_0)``.

    ``"simultaneous"``: :math:`z_{t+1} = z_t + \\eta v(z_t)`. ``"alternating"``: the
    generator steps first, then the discriminator steps using the new
    :math:`\\theta`. Without regularisation the GAN field is orthogonal to
    :math:`z`, so simultaneous steps grow the radius every step:
    :math:`|z_{t+1}|^2 = |z_t|^2 + \\eta^2 |v(z_t)|^2`.

    Args: as :func:`dirac_vector_field`, plus ``eta`` (> 0, traced), ``steps``
    (>= 0, static) and ``method`` (one of :data:`DIRAC_METHODS`, static).

    Returns:
      float32 ``(steps + 1, 2)`` of :math:`(\\theta_t, \\psi_t)`, guarded against
      divergence as in :func:`~gan_lessons.dynamics.bilinear_trajectory`.

    Example:
      >>> z = dirac_trajectory([1.0, 1.0], 0.5, 300, regulariser="r1", gamma=1.0)
      >>> bool(np.abs(z[-1]).max() < 1e-3)
      True
    """
    start = as_float32("start", start, shape=(2,))
    eta = as_positive_float32("eta", eta)
    steps = check_int("steps", steps, minimum=0)
    method = check_choice("method", method, DIRAC_METHODS)
    loss, regulariser, gamma, noise_std = _dirac_args(loss, regulariser, gamma, noise_std)
    return _dirac_core(start, eta, gamma, noise_std, steps=steps, method=method, loss=loss,
                       regulariser=regulariser)


def dirac_flow(start: ArrayLike, t_max: float, steps: int, *, loss: str = "gan",
               regulariser: str = "none", gamma: float = 1.0,
               noise_std: float = 0.5) -> jax.Array:
    """The continuous Dirac-GAN dynamics :math:`\\dot z = v(z)` by RK4, like
    :func:`~gan_lessons.dynamics.bilinear_flow`.

    Without regularisation (``"gan"`` or ``"wgan"``) :math:`z \\cdot v = 0`, so the
    flow conserves :math:`\\theta^2 + \\psi^2` and circles forever.
    """
    start = as_float32("start", start, shape=(2,))
    t_max = as_positive_float32("t_max", t_max)
    steps = check_int("steps", steps, minimum=1)
    loss, regulariser, gamma, noise_std = _dirac_args(loss, regulariser, gamma, noise_std)
    return _dirac_flow_core(start, t_max / steps, gamma, noise_std, steps=steps, loss=loss,
                            regulariser=regulariser)


def dirac_jacobian(loss: str = "gan", regulariser: str = "none", gamma: float = 1.0,
                   noise_std: float = 0.5) -> np.ndarray:
    """Jacobian of the Dirac-GAN field at the equilibrium :math:`(0, 0)` (``jax.jacfwd``).

    Closed forms: :math:`[[0, -f'(0)], [f'(0), -\\gamma]]` with R1 and
    :math:`[[0, -f'(0)], [f'(0), 2\\sigma^2 f''(0)]]` with instance noise
    (:math:`\\gamma = 0`, :math:`\\sigma = 0` without).

    Example:
      >>> dirac_jacobian("gan").tolist()
      [[0.0, -0.5], [0.5, 0.0]]
    """
    loss, regulariser, gamma, noise_std = _dirac_args(loss, regulariser, gamma, noise_std)
    return np.asarray(_dirac_jacobian_core(gamma, noise_std, loss=loss, regulariser=regulariser),
                      np.float64) + 0.0   # + 0.0 turns -0.0 into 0.0


def dirac_eigenvalues(loss: str = "gan", regulariser: str = "none", gamma: float = 1.0,
                      noise_std: float = 0.5) -> np.ndarray:
    """Eigenvalues of :func:`dirac_jacobian`, sorted by imaginary part.

    :math:`\\pm i f'(0)` without regularisation (no convergence: the flow circles);
    :math:`-\\gamma/2 \\pm \\sqrt{\\gamma^2/4 - f'(0)^2}` with R1 (real parts < 0 for
    :math:`\\gamma > 0`: locally convergent).

    Example:
      >>> dirac_eigenvalues("wgan").tolist()
      [-1j, 1j]
    """
    values = np.linalg.eigvals(dirac_jacobian(loss, regulariser, gamma, noise_std))
    return values[np.lexsort((values.real, values.imag))] + 0.0


def dirac_spectral_radius(eta: float, *, method: str = "simultaneous", loss: str = "gan",
                          regulariser: str = "none", gamma: float = 1.0,
                          noise_std: float = 0.5) -> float:
    """Spectral radius of one Dirac-GAN step linearised at the equilibrium.

    For simultaneous steps without regularisation this is
    :math:`\\sqrt{1 + \\eta^2 f'(0)^2} > 1` (Mescheder et al. 2018); < 1 means the
    discrete iteration converges locally.

    Example:
      >>> round(dirac_spectral_radius(1.0), 5)
      1.11803
    """
    eta = as_positive_float32("eta", eta)
    method = check_choice("method", method, DIRAC_METHODS)
    loss, regulariser, gamma, noise_std = _dirac_args(loss, regulariser, gamma, noise_std)
    jac = _dirac_step_jacobian_core(eta, gamma, noise_std, method=method, loss=loss,
                                    regulariser=regulariser)
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(jac, np.float64)))))
