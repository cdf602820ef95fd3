"""Gradient methods for two-player games, a guard against divergence, and Runge-Kutta.

A two-player game on :math:`z = (x, y)` gives a vector field :math:`F(z)`: each
player's direction of improvement, :math:`F = (-\\partial_x v, \\partial_y v)` when
:math:`x` minimises and :math:`y` maximises :math:`v`. With step size :math:`\\eta`
the methods of :data:`METHODS` are

* ``"simultaneous"``: :math:`z_{t+1} = z_t + \\eta F(z_t)`;
* ``"alternating"``: :math:`x_{t+1} = x_t + \\eta F_x(x_t, y_t)`, then
  :math:`y_{t+1} = y_t + \\eta F_y(x_{t+1}, y_t)` (the second player sees the first's move);
* ``"extragradient"`` (Korpelevich 1976): :math:`z_{t+1} = z_t + \\eta F(z_t + \\eta F(z_t))`,
  a look-ahead step, then the update with the field found there;
* ``"optimistic"`` (OGDA, Daskalakis et al. 2018):
  :math:`z_{t+1} = z_t + 2\\eta F(z_t) - \\eta F(z_{t-1})`, with :math:`F(z_{-1}) = F(z_0)`;
* ``"consensus"`` (Mescheder, Nowozin and Geiger 2017):
  :math:`z_{t+1} = z_t + \\eta (F - \\gamma \\nabla \\tfrac12 \\|F\\|^2)(z_t)`, which also
  descends the squared length of the field.

:func:`iterate` runs one of them inside ``jax.lax.scan`` with the guard of
:func:`guarded_scan`: once an iterate leaves the disc of radius
:data:`DIVERGENCE_RADIUS` (or overflows) the run is frozen, so a trajectory never
holds NaN or infinity, and :func:`diverged` reports where it left. :func:`rk4`
integrates the continuous flow :math:`\\dot z = F(z)`.

The step functions, :func:`guarded_scan`, :func:`iterate` and :func:`rk4` are
plain ``jnp`` code for use inside ``jax.jit``: they check the names of methods and
the step counts (static), not the traced arrays, which the public functions of
:mod:`gan_lessons.dynamics.bilinear` and :mod:`gan_lessons.dynamics.dirac` check.

References:
  Korpelevich, "The extragradient method for finding saddle points and other
  problems", Matecon 12 (1976). Daskalakis, Ilyas, Syrgkanis and Zeng, "Training
  GANs with Optimism", ICLR 2018. Mescheder, Nowozin and Geiger, "The Numerics of
  GANs", NeurIPS 2017.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from gan_lessons._validate import check_choice, check_int

__all__ = [
    "DIVERGENCE_RADIUS", "METHODS",
    "simultaneous_step", "alternating_step", "extragradient_step", "optimistic_step",
    "consensus_step", "guarded_scan", "iterate", "rk4", "diverged",
]

METHODS = ("simultaneous", "alternating", "extragradient", "optimistic", "consensus")
DIVERGENCE_RADIUS = 1e6
"""A run whose radius exceeds this is diverged; it is frozen at the first such point."""

Field = Callable[[jax.Array], jax.Array]


# --------------------------------------------------------------------------- one step


def simultaneous_step(field: Field, z: jax.Array, eta: jax.Array) -> jax.Array:
    """:math:`z + \\eta F(z)`: both players move at once."""
    return z + eta * field(z)


def alternating_step(field: Field, z: jax.Array, eta: jax.Array) -> jax.Array:
    """:math:`x' = x + \\eta F_x(x, y)`, then :math:`y' = y + \\eta F_y(x', y)`."""
    x = z[0] + eta * field(z)[0]
    return jnp.stack([x, z[1] + eta * field(jnp.stack([x, z[1]]))[1]])


def extragradient_step(field: Field, z: jax.Array, eta: jax.Array) -> jax.Array:
    """:math:`z + \\eta F(z + \\eta F(z))`: the field at a look-ahead point."""
    return z + eta * field(z + eta * field(z))


def optimistic_step(field: Field, state: tuple[jax.Array, jax.Array],
                    eta: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(z, F(z_prev))`` to ``(z + 2 eta F(z) - eta F(z_prev), F(z))``."""
    z, f_prev = state
    f = field(z)
    return z + eta * (2.0 * f - f_prev), f


def consensus_step(field: Field, z: jax.Array, eta: jax.Array, gamma: jax.Array) -> jax.Array:
    """:math:`z + \\eta (F(z) - \\gamma \\nabla_z \\tfrac12 \\|F(z)\\|^2)`, the gradient by ``jax.grad``."""
    return z + eta * (field(z) - gamma * jax.grad(lambda u: 0.5 * jnp.sum(field(u) ** 2))(z))


# --------------------------------------------------------------------------- many steps


def guarded_scan(step: Callable[[Any], Any], state: Any, steps: int,
                 point: Callable[[Any], jax.Array] = lambda s: s) -> jax.Array:
    """``steps`` applications of ``step`` by ``jax.lax.scan``, frozen once they diverge.

    Args:
      step: maps a state to the next one.
      state: the start; ``point(state)`` is its position, a ``(2,)`` array.
      steps: the number of steps (static).
      point: the position of a state (the identity by default).

    Returns:
      ``(steps + 1, 2)``: the start, then the position after each step. The first
      position outside the disc of radius :data:`DIVERGENCE_RADIUS` is kept (one that
      overflows is recorded as the previous position pushed out to twice the radius)
      and repeated to the end.
    """
    steps = check_int("steps", steps, minimum=0)

    def body(carry, _):
        state, done, last = carry
        new = step(state)
        z = point(new)
        finite = jnp.all(jnp.isfinite(z))
        out = ~finite | (jnp.sqrt(jnp.sum(jnp.square(z))) > DIVERGENCE_RADIUS)
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


def iterate(method: str, field: Field, start: jax.Array, eta: jax.Array, steps: int, *,
            gamma: jax.Array | float = 0.0) -> jax.Array:
    """``steps`` steps of ``method`` on ``field`` from ``start``, guarded by :func:`guarded_scan`.

    Args:
      method: one of :data:`METHODS` (static).
      field: the game's vector field, ``(2,)`` to ``(2,)``.
      start: the first iterate, ``(2,)``.
      eta: the step size. gamma: the consensus weight (``"consensus"`` only).
      steps: the number of steps (static).

    Returns:
      ``(steps + 1, 2)`` iterates, as :func:`guarded_scan` returns them.
    """
    method = check_choice("method", method, METHODS)
    if method == "optimistic":
        return guarded_scan(lambda s: optimistic_step(field, s, eta), (start, field(start)), steps,
                            point=lambda s: s[0])
    if method == "consensus":
        return guarded_scan(lambda z: consensus_step(field, z, eta, gamma), start, steps)
    step = {"simultaneous": simultaneous_step, "alternating": alternating_step,
            "extragradient": extragradient_step}[method]
    return guarded_scan(lambda z: step(field, z, eta), start, steps)


def rk4(field: Field, start: jax.Array, h: jax.Array, steps: int) -> jax.Array:
    """``steps`` classical Runge-Kutta steps of size ``h`` on :math:`\\dot z = F(z)`.

    .. math:: z_{t+1} = z_t + \\tfrac h6 (k_1 + 2k_2 + 2k_3 + k_4), \\quad
              k_1 = F(z_t),\\ k_2 = F(z_t + \\tfrac h2 k_1),\\ k_3 = F(z_t + \\tfrac h2 k_2),\\
              k_4 = F(z_t + h k_3)

    Returns ``(steps + 1, 2)``: the start, then the state after each step.
    """
    steps = check_int("steps", steps, minimum=0)

    def step(z, _):
        k1 = field(z)
        k2 = field(z + 0.5 * h * k1)
        k3 = field(z + 0.5 * h * k2)
        k4 = field(z + h * k3)
        z = z + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        return z, z
    _, zs = jax.lax.scan(step, start, None, length=steps)
    return jnp.concatenate([start[None], zs])


def diverged(trajectory: ArrayLike) -> tuple[bool, int]:
    """Whether a trajectory diverged, and the first step that left the safe disc.

    Args:
      trajectory: an array of shape ``(steps + 1, 2)`` as returned by
        :func:`~gan_lessons.dynamics.bilinear_trajectory` or
        :func:`~gan_lessons.dynamics.dirac_trajectory`.

    Returns:
      ``(True, t)`` with ``t`` the first index whose radius exceeds
      :data:`DIVERGENCE_RADIUS` (or that is not finite), else ``(False, -1)``.

    Example:
      >>> from gan_lessons.dynamics import bilinear_trajectory
      >>> diverged(bilinear_trajectory("simultaneous", 1.0, 60, [1.0, 0.0]))
      (True, 40)
    """
    array = np.asarray(trajectory, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"trajectory must have shape (steps + 1, 2), got {array.shape}")
    radius = np.hypot(array[:, 0], array[:, 1])
    bad = ~np.isfinite(radius) | (radius > DIVERGENCE_RADIUS)
    return (True, int(np.argmax(bad))) if bad.any() else (False, -1)
