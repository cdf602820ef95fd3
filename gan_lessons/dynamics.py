"""Game dynamics: gradient methods on the bilinear game and on the Dirac-GAN.

Two small games show why GAN training circles instead of converging.

**The bilinear game** :math:`\\min_a \\max_b\\, v(a, b) = ab`. Player ``a``
descends, player ``b`` ascends, so the vector field of the game is
:math:`F(a, b) = (-\\partial_a v, \\partial_b v) = (-b, a)`, a rotation. The flow
:math:`\\dot z = F(z)` circles the origin at a constant radius
(:func:`bilinear_flow`); the discrete methods of :func:`bilinear_trajectory`
spiral out, cycle or converge, with the per-step factors of
:func:`radius_factor` and the spectral radii of :func:`spectral_radius`.

**The Dirac-GAN** of Mescheder, Geiger and Nowozin (2018): data
:math:`\\delta_0`, generator :math:`\\delta_\\theta`, discriminator
:math:`D(x) = \\psi x`. In the paper's convention the objective is

.. math:: L(\\theta, \\psi) = f(\\psi\\theta) + f(0),

maximised by the discriminator (in :math:`\\psi`) and minimised by the generator
(in :math:`\\theta`), with :math:`f(t) = -\\log(1 + e^{-t})` for the GAN. Its
field is :math:`v = (-\\psi f'(\\psi\\theta),\\ \\theta f'(\\psi\\theta))` and the
Jacobian at the equilibrium :math:`(0, 0)` has eigenvalues :math:`\\pm i f'(0)`.

Every iteration runs in a module-level jitted ``lax.scan`` core with the step
count and the method/loss/regulariser names static and every number traced, so
moving a slider never recompiles. Iterates never become NaN or infinite: once a
step leaves the disc of radius :data:`DIVERGENCE_RADIUS` (or overflows) the run
is frozen and marked, and :func:`diverged` reports where.

References:
  Mescheder, Geiger, Nowozin, "Which Training Methods for GANs do actually
  Converge?", ICML 2018. Mescheder, Nowozin, Geiger, "The Numerics of GANs",
  NeurIPS 2017 (consensus optimisation). Korpelevich 1976 (extragradient).
  Daskalakis et al., "Training GANs with Optimism", ICLR 2018.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from gan_lessons._validate import (
    as_finite_array,
    check_choice,
    check_int,
    check_positive_float,
)

__all__ = [
    "BILINEAR_METHODS", "DIRAC_LOSSES", "DIRAC_METHODS", "DIRAC_REGULARISERS",
    "DIVERGENCE_RADIUS", "RADIUS_FACTOR_METHODS",
    "bilinear_trajectory", "bilinear_flow", "radius_factor", "alternating_invariant",
    "spectral_radius", "diverged",
    "dirac_vector_field", "dirac_trajectory", "dirac_flow", "dirac_jacobian",
    "dirac_eigenvalues", "dirac_spectral_radius",
]

BILINEAR_METHODS = ("simultaneous", "alternating", "extragradient", "optimistic", "consensus")
RADIUS_FACTOR_METHODS = ("flow", "simultaneous", "extragradient", "consensus")
DIRAC_LOSSES = ("gan", "non_saturating", "wgan")
DIRAC_REGULARISERS = ("none", "instance_noise", "r1")
DIRAC_METHODS = ("simultaneous", "alternating")
DIVERGENCE_RADIUS = 1e6
"""A run whose radius exceeds this is diverged; it is frozen at the first such point."""

# Gauss-Hermite rule for E[g(eps)], eps ~ N(0, 1): sum(w * g(x)) with weights summing to 1.
_GH_NODES, _GH_WEIGHTS = np.polynomial.hermite_e.hermegauss(40)
_GH_NODES = jnp.asarray(_GH_NODES, jnp.float32)
_GH_WEIGHTS = jnp.asarray(_GH_WEIGHTS / np.sqrt(2.0 * np.pi), jnp.float32)


# --------------------------------------------------------------------------- validation


def _number(name: str, value, *, allow_zero: bool = False) -> jax.Array:
    if isinstance(value, jax.Array):
        value = np.asarray(value)
    return jnp.asarray(check_positive_float(name, value, allow_zero=allow_zero), jnp.float32)


def _point(name: str, value) -> jax.Array:
    array = as_finite_array(name, value, ndim=1)
    if array.shape != (2,):
        raise ValueError(f"{name} must be a point (x, y) of length 2, got shape {array.shape}")
    return jnp.asarray(array, jnp.float32)


# --------------------------------------------------------------------------- divergence guard


def _guarded_scan(step, state, steps: int, point=lambda s: s):
    """Scan ``step`` over ``state``; freeze (and record) the first out-of-bounds point."""

    def body(carry, _):
        state, done, last = carry
        new = step(state)
        z = point(new)
        finite = jnp.all(jnp.isfinite(z))
        out = ~finite | (jnp.sqrt(jnp.sum(jnp.square(z))) > DIVERGENCE_RADIUS)
        # An overflow is recorded as the previous point pushed out to twice the radius.
        norm = jnp.sqrt(jnp.sum(jnp.square(last)))
        direction = jnp.where(norm > 0, last / jnp.where(norm > 0, norm, 1.0),
                              jnp.array([1.0, 0.0], last.dtype))
        z = jnp.where(done, last, jnp.where(finite, z, 2.0 * DIVERGENCE_RADIUS * direction))
        stop = done | out
        new = jax.tree.map(lambda n, s: jnp.where(stop, s, n), new, state)
        return (new, stop, z), z

    first = point(state)
    _, zs = jax.lax.scan(body, (state, jnp.asarray(False), first), None, length=steps)
    return jnp.concatenate([first[None], zs])


def diverged(trajectory: ArrayLike) -> tuple[bool, int]:
    """Whether a trajectory diverged, and the first step that left the safe disc.

    Args:
      trajectory: an array of shape ``(steps + 1, 2)`` as returned by
        :func:`bilinear_trajectory` or :func:`dirac_trajectory`.

    Returns:
      ``(True, t)`` with ``t`` the first index whose radius exceeds
      :data:`DIVERGENCE_RADIUS` (or that is not finite), else ``(False, -1)``.

    Example:
      >>> diverged(bilinear_trajectory("simultaneous", 1.0, 60, [1.0, 0.0]))
      (True, 40)
    """
    array = np.asarray(trajectory, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"trajectory must have shape (steps + 1, 2), got {array.shape}")
    radius = np.hypot(array[:, 0], array[:, 1])
    bad = ~np.isfinite(radius) | (radius > DIVERGENCE_RADIUS)
    return (True, int(np.argmax(bad))) if bad.any() else (False, -1)


# --------------------------------------------------------------------------- bilinear game


def _bilinear_field(z: jax.Array) -> jax.Array:
    return jnp.stack([-z[1], z[0]])        # (-dv/da, +dv/db) for v = a * b


def _bilinear(method: str, eta: jax.Array, gamma: jax.Array, start: jax.Array,
              steps: int) -> jax.Array:
    F = _bilinear_field
    if method == "optimistic":
        def step(state):
            z, f_prev = state
            f = F(z)
            return z + eta * (2.0 * f - f_prev), f
        return _guarded_scan(step, (start, F(start)), steps, point=lambda s: s[0])

    def step(z):
        if method == "simultaneous":
            return z + eta * F(z)
        if method == "alternating":
            a = z[0] - eta * z[1]
            return jnp.stack([a, z[1] + eta * a])
        if method == "extragradient":
            return z + eta * F(z + eta * F(z))
        # consensus: follow F - gamma * grad(1/2 |F|^2)
        return z + eta * (F(z) - gamma * jax.grad(lambda u: 0.5 * jnp.sum(F(u) ** 2))(z))
    return _guarded_scan(step, start, steps)


_bilinear_core = jax.jit(_bilinear, static_argnames=("method", "steps"))


def bilinear_trajectory(method: str, eta: float, steps: int, start: ArrayLike, *,
                        gamma: float = 1.0) -> jax.Array:
    """Iterates of a gradient method on :math:`\\min_a \\max_b ab`.

    With :math:`z = (a, b)` and field :math:`F(z) = (-b, a)`:

    * ``"simultaneous"``: :math:`z_{t+1} = z_t + \\eta F(z_t)`; radius times
      :math:`\\sqrt{1 + \\eta^2}` every step.
    * ``"alternating"``: :math:`a_{t+1} = a_t - \\eta b_t`, then
      :math:`b_{t+1} = b_t + \\eta a_{t+1}`; conserves
      :func:`alternating_invariant` and stays bounded for :math:`\\eta < 2`.
    * ``"extragradient"``: :math:`z_{t+1} = z_t + \\eta F(z_t + \\eta F(z_t))`;
      radius times :math:`\\sqrt{1 - \\eta^2 + \\eta^4}`, converging for :math:`\\eta < 1`.
    * ``"optimistic"`` (OGDA): :math:`z_{t+1} = z_t + 2\\eta F(z_t) - \\eta F(z_{t-1})`
      with :math:`F(z_{-1}) = F(z_0)`; converges for :math:`\\eta < 1/\\sqrt3`.
    * ``"consensus"``: :math:`z_{t+1} = z_t + \\eta (F - \\gamma \\nabla \\tfrac12
      \\|F\\|^2)(z_t)`; here :math:`\\nabla \\tfrac12\\|F\\|^2 = (a, b)`, so the step is
      :math:`((1 - \\eta\\gamma) I + \\eta R) z` with radius factor
      :math:`\\sqrt{(1 - \\eta\\gamma)^2 + \\eta^2}`.

    Args:
      method: one of :data:`BILINEAR_METHODS` (static).
      eta: step size, finite and > 0 (traced).
      steps: number of steps, an int >= 0 (static).
      start: the starting point ``(a_0, b_0)``.
      gamma: consensus weight, >= 0 (traced; used by ``"consensus"`` only).

    Returns:
      float32 array ``(steps + 1, 2)`` of :math:`(a_t, b_t)`. If a step leaves the disc
      of radius :data:`DIVERGENCE_RADIUS`, that point is recorded (an overflow as the
      previous point pushed out to twice the radius) and repeated to the end; see
      :func:`diverged`. The array never holds NaN or infinity.

    Example:
      >>> z = np.asarray(bilinear_trajectory("simultaneous", 0.5, 4, [1.0, 0.0]), np.float64)
      >>> np.round(np.hypot(z[:, 0], z[:, 1]) ** 2, 4).tolist()
      [1.0, 1.25, 1.5625, 1.9531, 2.4414]
    """
    method = check_choice("method", method, BILINEAR_METHODS)
    eta = _number("eta", eta)
    steps = check_int("steps", steps, minimum=0)
    start = _point("start", start)
    gamma = _number("gamma", gamma, allow_zero=True)
    return _bilinear_core(method, eta, gamma, start, steps=steps)


def _rk4(field, start: jax.Array, h: jax.Array, steps: int) -> jax.Array:
    def step(z, _):
        k1 = field(z)
        k2 = field(z + 0.5 * h * k1)
        k3 = field(z + 0.5 * h * k2)
        k4 = field(z + h * k3)
        z = z + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        return z, z
    _, zs = jax.lax.scan(step, start, None, length=steps)
    return jnp.concatenate([start[None], zs])


_bilinear_flow_core = jax.jit(lambda start, h, steps: _rk4(_bilinear_field, start, h, steps),
                              static_argnames=("steps",))


def bilinear_flow(start: ArrayLike, t_max: float, steps: int) -> jax.Array:
    """The continuous flow :math:`\\dot a = -b,\\ \\dot b = a`, by classical Runge-Kutta.

    The exact flow is a rotation, :math:`|z(t)| = |z(0)|`. One RK4 step of size
    :math:`h` multiplies the radius by :math:`\\sqrt{1 - h^6/72 + h^8/576}`, so for
    :math:`h \\le 0.01` the truncation error is far below float32 rounding; the
    radius drifts by rounding only (about ``1e-6`` relative over a few revolutions).

    Args:
      start: the point ``(a_0, b_0)``.
      t_max: the final time, > 0 (traced).
      steps: number of RK4 steps, an int >= 1 (static); ``h = t_max / steps``.

    Returns:
      float32 array ``(steps + 1, 2)`` at the times ``linspace(0, t_max, steps + 1)``.

    Example:
      >>> z = bilinear_flow([1.0, 0.0], np.pi / 2, 100)
      >>> (np.round(z[-1], 5) + 0.0).tolist()
      [0.0, 1.0]
    """
    start = _point("start", start)
    t_max = _number("t_max", t_max)
    steps = check_int("steps", steps, minimum=1)
    return _bilinear_flow_core(start, t_max / steps, steps=steps)


def radius_factor(method: str, eta: float, *, gamma: float = 1.0) -> float:
    """The exact factor :math:`|z_{t+1}| / |z_t|` of one step on the bilinear game.

    ``"flow"``: 1; ``"simultaneous"``: :math:`\\sqrt{1 + \\eta^2}`;
    ``"extragradient"``: :math:`\\sqrt{1 - \\eta^2 + \\eta^4}`; ``"consensus"``:
    :math:`\\sqrt{(1 - \\eta\\gamma)^2 + \\eta^2}`. These steps are a multiple of a
    rotation, so the factor is the same for every :math:`z`. Alternating and
    optimistic steps are not; use :func:`spectral_radius` for them.

    Example:
      >>> round(radius_factor("extragradient", 0.5), 6)
      0.901388
    """
    method = check_choice("method", method, RADIUS_FACTOR_METHODS)
    eta = float(_number("eta", eta))
    gamma = float(_number("gamma", gamma, allow_zero=True))
    return float({"flow": 1.0,
            "simultaneous": np.sqrt(1 + eta ** 2),
            "extragradient": np.sqrt(1 - eta ** 2 + eta ** 4),
            "consensus": np.sqrt((1 - eta * gamma) ** 2 + eta ** 2)}[method])


def alternating_invariant(a: ArrayLike, b: ArrayLike, eta: float) -> np.ndarray:
    """The quadratic :math:`Q(a, b) = a^2 - \\eta ab + b^2` that alternating steps conserve.

    For the order of :func:`bilinear_trajectory` (``a`` moves first, then ``b`` sees
    the new ``a``): with :math:`a' = a - \\eta b` and :math:`b' = b + \\eta a'`,
    :math:`Q(a', b') = a'^2 + \\eta a' b + b^2 = a^2 - \\eta ab + b^2`. For
    :math:`\\eta < 2` the form is positive definite: its level sets are ellipses and
    the iterates cycle on one of them. (If ``b`` moved first the sign of the cross
    term would flip.)

    Example:
      >>> z = bilinear_trajectory("alternating", 0.5, 3, [1.0, 0.0])
      >>> np.round(alternating_invariant(z[:, 0], z[:, 1], 0.5), 5).tolist()
      [1.0, 1.0, 1.0, 1.0]
    """
    a = as_finite_array("a", a, min_size=0)
    b = as_finite_array("b", b, min_size=0)
    eta = float(_number("eta", eta))
    return a ** 2 - eta * a * b + b ** 2


def spectral_radius(method: str, eta: float, *, gamma: float = 1.0) -> float:
    """Spectral radius of the linear map of one step on the bilinear game.

    The step matrices (with :math:`R = [[0, -1], [1, 0]]`) are :math:`I + \\eta R`
    (simultaneous), :math:`[[1, -\\eta], [\\eta, 1 - \\eta^2]]` (alternating),
    :math:`I + \\eta R + \\eta^2 R^2` (extragradient),
    :math:`(1 - \\eta\\gamma) I + \\eta R` (consensus), and for the optimistic method
    the 4x4 map :math:`(z_t, z_{t-1}) \\mapsto (z_{t+1}, z_t)`,
    :math:`[[I + 2\\eta R, -\\eta R], [I, 0]]`. The iterates converge from every start
    iff the value is < 1. For optimistic steps the eigenvalues are
    :math:`\\tfrac12(1 + 2i\\eta \\pm \\sqrt{1 - 4\\eta^2})`, whose largest modulus is
    < 1 exactly when :math:`\\eta < 1/\\sqrt3`.

    Example:
      >>> round(spectral_radius("alternating", 1.0), 6)
      1.0
    """
    method = check_choice("method", method, BILINEAR_METHODS)
    eta = float(_number("eta", eta))
    gamma = float(_number("gamma", gamma, allow_zero=True))
    eye, rot = np.eye(2), np.array([[0.0, -1.0], [1.0, 0.0]])
    matrix = {
        "simultaneous": eye + eta * rot,
        "alternating": np.array([[1.0, -eta], [eta, 1.0 - eta ** 2]]),
        "extragradient": eye + eta * rot + eta ** 2 * rot @ rot,
        "consensus": (1.0 - eta * gamma) * eye + eta * rot,
        "optimistic": np.block([[eye + 2 * eta * rot, -eta * rot], [eye, np.zeros((2, 2))]]),
    }[method]
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


# --------------------------------------------------------------------------- Dirac-GAN


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


_dirac_field_core = jax.jit(_dirac_field, static_argnames=("loss", "regulariser"))


def _dirac_args(loss, regulariser, gamma, noise_std):
    loss = check_choice("loss", loss, DIRAC_LOSSES)
    regulariser = check_choice("regulariser", regulariser, DIRAC_REGULARISERS)
    return (loss, regulariser, _number("gamma", gamma, allow_zero=True),
            _number("noise_std", noise_std, allow_zero=True))


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


def _dirac_step(z, eta, gamma, noise_std, method, loss, regulariser):
    field = lambda t, p: _dirac_field(t, p, gamma, noise_std, loss, regulariser)
    if method == "simultaneous":
        dt, dp = field(z[0], z[1])
        return z + eta * jnp.stack([dt, dp])
    theta = z[0] + eta * field(z[0], z[1])[0]       # the generator moves first
    return jnp.stack([theta, z[1] + eta * field(theta, z[1])[1]])


def _dirac(start, eta, gamma, noise_std, steps, method, loss, regulariser):
    return _guarded_scan(
        lambda z: _dirac_step(z, eta, gamma, noise_std, method, loss, regulariser), start, steps)


_dirac_core = jax.jit(_dirac, static_argnames=("steps", "method", "loss", "regulariser"))


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
      divergence as in :func:`bilinear_trajectory`.

    Example:
      >>> z = dirac_trajectory([1.0, 1.0], 0.5, 300, regulariser="r1", gamma=1.0)
      >>> bool(np.abs(z[-1]).max() < 1e-3)
      True
    """
    start = _point("start", start)
    eta = _number("eta", eta)
    steps = check_int("steps", steps, minimum=0)
    method = check_choice("method", method, DIRAC_METHODS)
    loss, regulariser, gamma, noise_std = _dirac_args(loss, regulariser, gamma, noise_std)
    return _dirac_core(start, eta, gamma, noise_std, steps=steps, method=method, loss=loss,
                       regulariser=regulariser)


def _dirac_flow(start, h, gamma, noise_std, steps, loss, regulariser):
    field = lambda z: jnp.stack(_dirac_field(z[0], z[1], gamma, noise_std, loss, regulariser))
    return _rk4(field, start, h, steps)


_dirac_flow_core = jax.jit(_dirac_flow, static_argnames=("steps", "loss", "regulariser"))


def dirac_flow(start: ArrayLike, t_max: float, steps: int, *, loss: str = "gan",
               regulariser: str = "none", gamma: float = 1.0,
               noise_std: float = 0.5) -> jax.Array:
    """The continuous Dirac-GAN dynamics :math:`\\dot z = v(z)` by RK4, like :func:`bilinear_flow`.

    Without regularisation (``"gan"`` or ``"wgan"``) :math:`z \\cdot v = 0`, so the
    flow conserves :math:`\\theta^2 + \\psi^2` and circles forever.
    """
    start = _point("start", start)
    t_max = _number("t_max", t_max)
    steps = check_int("steps", steps, minimum=1)
    loss, regulariser, gamma, noise_std = _dirac_args(loss, regulariser, gamma, noise_std)
    return _dirac_flow_core(start, t_max / steps, gamma, noise_std, steps=steps, loss=loss,
                            regulariser=regulariser)


def _dirac_jac(gamma, noise_std, loss, regulariser):
    field = lambda z: jnp.stack(_dirac_field(z[0], z[1], gamma, noise_std, loss, regulariser))
    return jax.jacfwd(field)(jnp.zeros(2, jnp.float32))


_dirac_jacobian_core = jax.jit(_dirac_jac, static_argnames=("loss", "regulariser"))


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


def _dirac_step_jac(eta, gamma, noise_std, method, loss, regulariser):
    step = lambda z: _dirac_step(z, eta, gamma, noise_std, method, loss, regulariser)
    return jax.jacfwd(step)(jnp.zeros(2, jnp.float32))


_dirac_step_jacobian_core = jax.jit(_dirac_step_jac,
                                    static_argnames=("method", "loss", "regulariser"))


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
    eta = _number("eta", eta)
    method = check_choice("method", method, DIRAC_METHODS)
    loss, regulariser, gamma, noise_std = _dirac_args(loss, regulariser, gamma, noise_std)
    jac = _dirac_step_jacobian_core(eta, gamma, noise_std, method=method, loss=loss,
                                    regulariser=regulariser)
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(jac, np.float64)))))
