"""The bilinear game :math:`\\min_a \\max_b\\, v(a, b) = ab`: trajectories, flow, radius factors.

Player ``a`` descends, player ``b`` ascends, so the vector field of the game is
:math:`F(a, b) = (-\\partial_a v, \\partial_b v) = (-b, a)`, a rotation. The flow
:math:`\\dot z = F(z)` circles the origin at a constant radius
(:func:`bilinear_flow`); the discrete methods of :func:`bilinear_trajectory`
spiral out, cycle or converge, with the per-step factors of
:func:`radius_factor` and the spectral radii of :func:`spectral_radius`.

Every iteration runs in a module-level jitted ``lax.scan`` core with the step
count and the method static and every number traced, so moving a slider never
recompiles.
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
from gan_lessons.dynamics.integrators import METHODS, iterate, rk4

__all__ = [
    "BILINEAR_METHODS", "RADIUS_FACTOR_METHODS",
    "bilinear_trajectory", "bilinear_flow", "radius_factor", "alternating_invariant",
    "spectral_radius",
]

BILINEAR_METHODS = METHODS
RADIUS_FACTOR_METHODS = ("flow", "simultaneous", "extragradient", "consensus")


def _bilinear_field(z: jax.Array) -> jax.Array:
    return jnp.stack([-z[1], z[0]])        # (-dv/da, +dv/db) for v = a * b


def _bilinear(method: str, eta: jax.Array, gamma: jax.Array, start: jax.Array,
              steps: int) -> jax.Array:
    return iterate(method, _bilinear_field, start, eta, steps, gamma=gamma)


_bilinear_core = jax.jit(_bilinear, static_argnames=("method", "steps"))
_bilinear_flow_core = jax.jit(lambda start, h, steps: rk4(_bilinear_field, start, h, steps),
                              static_argnames=("steps",))


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

    The steps are those of :mod:`gan_lessons.dynamics.integrators`.

    Args:
      method: one of :data:`BILINEAR_METHODS` (static).
      eta: step size, finite and > 0 (traced).
      steps: number of steps, an int >= 0 (static).
      start: the starting point ``(a_0, b_0)``.
      gamma: consensus weight, >= 0 (traced; used by ``"consensus"`` only).

    Returns:
      float32 array ``(steps + 1, 2)`` of :math:`(a_t, b_t)`. If a step leaves the disc
      of radius :data:`~gan_lessons.dynamics.DIVERGENCE_RADIUS`, that point is recorded
      (an overflow as the previous point pushed out to twice the radius) and repeated to
      the end; see :func:`~gan_lessons.dynamics.diverged`. The array never holds NaN or
      infinity.

    Example:
      >>> z = np.asarray(bilinear_trajectory("simultaneous", 0.5, 4, [1.0, 0.0]), np.float64)
      >>> np.round(np.hypot(z[:, 0], z[:, 1]) ** 2, 4).tolist()
      [1.0, 1.25, 1.5625, 1.9531, 2.4414]
    """
    method = check_choice("method", method, BILINEAR_METHODS)
    eta = as_positive_float32("eta", eta)
    steps = check_int("steps", steps, minimum=0)
    start = as_float32("start", start, shape=(2,))
    gamma = as_positive_float32("gamma", gamma, allow_zero=True)
    return _bilinear_core(method, eta, gamma, start, steps=steps)


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
    start = as_float32("start", start, shape=(2,))
    t_max = as_positive_float32("t_max", t_max)
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
    eta = float(as_positive_float32("eta", eta))
    gamma = float(as_positive_float32("gamma", gamma, allow_zero=True))
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
    eta = float(as_positive_float32("eta", eta))
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
    eta = float(as_positive_float32("eta", eta))
    gamma = float(as_positive_float32("gamma", gamma, allow_zero=True))
    eye, rot = np.eye(2), np.array([[0.0, -1.0], [1.0, 0.0]])
    matrix = {
        "simultaneous": eye + eta * rot,
        "alternating": np.array([[1.0, -eta], [eta, 1.0 - eta ** 2]]),
        "extragradient": eye + eta * rot + eta ** 2 * rot @ rot,
        "consensus": (1.0 - eta * gamma) * eye + eta * rot,
        "optimistic": np.block([[eye + 2 * eta * rot, -eta * rot], [eye, np.zeros((2, 2))]]),
    }[method]
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))
