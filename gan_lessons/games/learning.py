"""Repeated play and learning in zero-sum games, as jitted JAX loops.

:func:`simulate_repeated_play` samples rounds with fixed mixed strategies;
:func:`fictitious_play` and :func:`gradient_play` run the two classic learning
rules as ``jax.lax.scan`` loops and record :class:`LearningTrajectory` objects;
:func:`project_simplex` is the Euclidean projection gradient play needs. The
public functions validate their inputs and call module-level jitted cores
(``_simulate_core``, ``_fictitious_play_core``, ``_gradient_play_core``,
``_project_simplex_core``), compiled once per shape: new numbers reuse the
compiled code.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from gan_lessons._validate import (
    as_finite_array,
    as_matrix,
    check_int,
    check_key,
    check_positive_float,
)
from gan_lessons.games._common import check_col_strategy, check_row_strategy

# The doctest examples below play the named games.
from gan_lessons.games.named import (  # noqa: F401
    DONUT_GAME,
    MATCHING_PENNIES,
    ROCK_PAPER_SCISSORS,
)

__all__ = [
    "RepeatedPlay",
    "LearningTrajectory",
    "simulate_repeated_play",
    "fictitious_play",
    "gradient_play",
    "project_simplex",
]


class RepeatedPlay(NamedTuple):
    """The record of :func:`simulate_repeated_play`.

    Attributes:
      rows: the row played in each round, int32 ``(rounds,)``.
      cols: the column played in each round, int32 ``(rounds,)``.
      payoffs: the row player's payoff ``A[rows[t], cols[t]]`` in each round.
      running_mean: the average payoff over rounds ``0..t``.
    """

    rows: jax.Array
    cols: jax.Array
    payoffs: jax.Array
    running_mean: jax.Array


class LearningTrajectory(NamedTuple):
    """The record of a learning rule, one entry per time step ``0..steps``.

    Attributes:
      row: the row player's strategy at each step, ``(steps + 1, m)``. For
        fictitious play this is the empirical frequency of the rows played so far.
      col: the column player's strategy at each step, ``(steps + 1, n)``.
      exploitability: :func:`exploitability` of ``(row[t], col[t])``, ``(steps + 1,)``.
      row_average: running time average of ``row``, ``(steps + 1, m)``.
      col_average: running time average of ``col``, ``(steps + 1, n)``.
      average_exploitability: exploitability of ``(row_average[t], col_average[t])``.

    For fictitious play the strategies already are time averages, so the
    ``*_average`` fields equal ``row``, ``col`` and ``exploitability``.
    """

    row: jax.Array
    col: jax.Array
    exploitability: jax.Array
    row_average: jax.Array
    col_average: jax.Array
    average_exploitability: jax.Array


# --------------------------------------------------------------------------- JAX: sampling


def _simulate(key: jax.Array, payoff: jax.Array, x: jax.Array, y: jax.Array,
              rounds: int) -> RepeatedPlay:
    row_key, col_key = jax.random.split(key)
    rows = jax.random.categorical(row_key, jnp.log(x), shape=(rounds,))
    cols = jax.random.categorical(col_key, jnp.log(y), shape=(rounds,))
    payoffs = payoff[rows, cols]
    running_mean = jnp.cumsum(payoffs) / jnp.arange(1, rounds + 1, dtype=payoffs.dtype)
    return RepeatedPlay(rows, cols, payoffs, running_mean)


_simulate_core = jax.jit(_simulate, static_argnames=("rounds",))


def simulate_repeated_play(key: jax.Array, payoff: ArrayLike, row_strategy: ArrayLike,
                           col_strategy: ArrayLike, rounds: int) -> RepeatedPlay:
    """Play a game ``rounds`` times with fixed mixed strategies.

    In every round the players sample independently,
    :math:`i_t \\sim x`, :math:`j_t \\sim y`, and the row player receives
    :math:`A_{i_t j_t}`. By the law of large numbers the running mean
    :math:`\\frac1t \\sum_{s \\le t} A_{i_s j_s}` tends to :math:`x^\\top A y`, with a
    standard error of order :math:`t^{-1/2}`.

    Args:
      key: a JAX random key (``jax.random.key(seed)``); it is split once, one
        half per player, so the same key always gives the same record.
      payoff: the payoff matrix ``A``, shape ``(m, n)`` (float32 inside JAX).
      row_strategy: ``x``, a probability vector of length ``m``.
      col_strategy: ``y``, a probability vector of length ``n``.
      rounds: number of rounds, an int >= 1 (static: a new value compiles once).

    Returns:
      A :class:`RepeatedPlay` with the rows, columns, payoffs and running mean.

    Example:
      >>> play = simulate_repeated_play(jax.random.key(0), DONUT_GAME,
      ...                               [3/7, 4/7], [4/7, 3/7], rounds=100)
      >>> play.running_mean.shape
      (100,)
    """
    key = check_key("key", key, allow_legacy=True)
    A = as_matrix("payoff", payoff)
    x = check_row_strategy(A, row_strategy)
    y = check_col_strategy(A, col_strategy)
    rounds = check_int("rounds", rounds, minimum=1)
    return _simulate_core(key, jnp.asarray(A, jnp.float32), jnp.asarray(x, jnp.float32),
                          jnp.asarray(y, jnp.float32), rounds=rounds)


# --------------------------------------------------------------------------- JAX: learning


def _gap(A: jax.Array, x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.max(A @ y) - jnp.min(x @ A)


def _fictitious_play(payoff: jax.Array, first_row: jax.Array, first_col: jax.Array,
                     steps: int) -> LearningTrajectory:
    m, n = payoff.shape
    row_counts = jax.nn.one_hot(first_row, m, dtype=payoff.dtype)
    col_counts = jax.nn.one_hot(first_col, n, dtype=payoff.dtype)

    def record(rc, cc, t):
        x, y = rc / t, cc / t
        return x, y, _gap(payoff, x, y)

    def step(carry, t):
        rc, cc = carry
        # Best responses to the opponent's counts (same argmax as to the frequencies;
        # integer payoffs give exact ties, broken by the lowest index).
        i = jnp.argmax(payoff @ cc)
        j = jnp.argmin(rc @ payoff)
        rc = rc + jax.nn.one_hot(i, m, dtype=rc.dtype)
        cc = cc + jax.nn.one_hot(j, n, dtype=cc.dtype)
        return (rc, cc), record(rc, cc, t)

    ts = jnp.arange(2, steps + 2, dtype=payoff.dtype)
    _, (xs, ys, gaps) = jax.lax.scan(step, (row_counts, col_counts), ts)
    x0, y0, gap0 = record(row_counts, col_counts, 1.0)
    xs = jnp.concatenate([x0[None], xs])
    ys = jnp.concatenate([y0[None], ys])
    gaps = jnp.concatenate([gap0[None], gaps])
    return LearningTrajectory(xs, ys, gaps, xs, ys, gaps)


_fictitious_play_core = jax.jit(_fictitious_play, static_argnames=("steps",))


def fictitious_play(payoff: ArrayLike, steps: int, *, first_row: int = 0,
                    first_col: int = 0) -> LearningTrajectory:
    """Simultaneous fictitious play: each player best-responds to the other's history.

    Round 0 plays ``(first_row, first_col)``. In round :math:`t \\ge 1` both players
    look at the opponent's empirical frequencies :math:`\\bar x_t, \\bar y_t` of
    rounds :math:`0..t-1` and play

    .. math:: i_t = \\arg\\max_i (A \\bar y_t)_i, \\qquad
              j_t = \\arg\\min_j (\\bar x_t^\\top A)_j

    (ties to the lowest index). Robinson (1951) proved that in zero-sum games
    :math:`\\bar x_t^\\top A \\bar y_t \\to v` and the exploitability of
    :math:`(\\bar x_t, \\bar y_t)` tends to 0, typically about as fast as
    :math:`t^{-1/2}`. The strategies actually played keep jumping between pure
    strategies; only their averages converge.

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)`` (traced: new values with the
        same shape do not recompile).
      steps: number of rounds after round 0, an int >= 1 (static).
      first_row: the row played in round 0.
      first_col: the column played in round 0.

    Returns:
      A :class:`LearningTrajectory` of ``steps + 1`` empirical frequencies (index
      ``t`` covers rounds ``0..t``) and their exploitability; the ``*_average``
      fields repeat them.

    Example:
      >>> traj = fictitious_play(ROCK_PAPER_SCISSORS, steps=2000)
      >>> bool(traj.exploitability[-1] < 0.05)
      True
    """
    A = as_matrix("payoff", payoff)
    m, n = A.shape
    steps = check_int("steps", steps, minimum=1)
    first_row = check_int("first_row", first_row, minimum=0, maximum=m - 1)
    first_col = check_int("first_col", first_col, minimum=0, maximum=n - 1)
    return _fictitious_play_core(jnp.asarray(A, jnp.float32),
                                 jnp.asarray(first_row, jnp.int32),
                                 jnp.asarray(first_col, jnp.int32), steps=steps)


def _project_simplex(v: jax.Array) -> jax.Array:
    """Euclidean projection of ``v`` onto the probability simplex (sort-based)."""
    n = v.shape[-1]
    u = jnp.sort(v)[::-1]
    css = jnp.cumsum(u)
    k = jnp.arange(1, n + 1, dtype=v.dtype)
    active = u - (css - 1.0) / k > 0
    rho = jnp.max(jnp.where(active, jnp.arange(1, n + 1), 0))  # >= 1 always
    theta = (css[rho - 1] - 1.0) / rho.astype(v.dtype)
    return jnp.maximum(v - theta, 0.0)


_project_simplex_core = jax.jit(_project_simplex)


def project_simplex(vector: ArrayLike) -> jax.Array:
    """Euclidean projection onto the probability simplex.

    .. math:: \\Pi_\\Delta(v) = \\arg\\min_{w \\ge 0,\\, \\mathbf 1^\\top w = 1} \\|w - v\\|_2
              = \\max(v - \\theta, 0)

    where :math:`\\theta` is found by sorting :math:`v` in decreasing order
    :math:`u_1 \\ge \\dots \\ge u_n`, taking the largest :math:`\\rho` with
    :math:`u_\\rho - (\\sum_{k \\le \\rho} u_k - 1)/\\rho > 0` and setting
    :math:`\\theta = (\\sum_{k \\le \\rho} u_k - 1)/\\rho` (Duchi et al. 2008).

    Args:
      vector: a finite 1-D array of any length >= 1.

    Returns:
      The projection, a float32 JAX array of the same length.

    Example:
      >>> project_simplex([2.0, 0.0]).tolist(), project_simplex([0.25, 0.25]).tolist()
      ([1.0, 0.0], [0.5, 0.5])
    """
    v = as_finite_array("vector", vector, ndim=1)
    return _project_simplex_core(jnp.asarray(v, jnp.float32))


def _gradient_play(payoff: jax.Array, x0: jax.Array, y0: jax.Array, eta: jax.Array,
                   steps: int) -> LearningTrajectory:
    def step(carry, t):
        x, y, x_sum, y_sum = carry
        x_new = _project_simplex(x + eta * (payoff @ y))
        y_new = _project_simplex(y - eta * (payoff.T @ x))
        x_sum, y_sum = x_sum + x_new, y_sum + y_new
        x_avg, y_avg = x_sum / t, y_sum / t
        out = (x_new, y_new, _gap(payoff, x_new, y_new), x_avg, y_avg,
               _gap(payoff, x_avg, y_avg))
        return (x_new, y_new, x_sum, y_sum), out

    ts = jnp.arange(2, steps + 2, dtype=payoff.dtype)
    _, outs = jax.lax.scan(step, (x0, y0, x0, y0), ts)
    gap0 = _gap(payoff, x0, y0)
    first = (x0, y0, gap0, x0, y0, gap0)
    return LearningTrajectory(*(jnp.concatenate([f[None], o])
                                for f, o in zip(first, outs, strict=True)))


_gradient_play_core = jax.jit(_gradient_play, static_argnames=("steps",))


def gradient_play(payoff: ArrayLike, row_start: ArrayLike, col_start: ArrayLike,
                  eta: float | ArrayLike, steps: int) -> LearningTrajectory:
    """Simultaneous projected gradient play on mixed strategies.

    The row player ascends and the column player descends
    :math:`u(x, y) = x^\\top A y`, both at once, projecting back onto the simplex:

    .. math:: x_{t+1} = \\Pi_\\Delta(x_t + \\eta A y_t), \\qquad
              y_{t+1} = \\Pi_\\Delta(y_t - \\eta A^\\top x_t)

    In matching pennies the gradient field rotates around the equilibrium
    :math:`(\\tfrac12, \\tfrac12)`: each simultaneous step multiplies the distance
    to it by :math:`\\sqrt{1 + 4\\eta^2} > 1`, so the last iterate spirals outwards
    to the edge of the strategy square and keeps cycling there, while the time
    averages :math:`\\frac1{t+1}\\sum_{s \\le t} x_s` do approach the equilibrium.
    This is the bilinear cartoon of oscillating GAN training.

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)`` (traced).
      row_start: ``x_0``, a probability vector of length ``m``.
      col_start: ``y_0``, a probability vector of length ``n``.
      eta: step size, a finite float > 0 (traced: new values do not recompile).
      steps: number of updates, an int >= 1 (static).

    Returns:
      A :class:`LearningTrajectory` of ``steps + 1`` iterates ``x_t, y_t`` (float32),
      their exploitability, their running averages and the averages' exploitability.

    Example:
      >>> traj = gradient_play(MATCHING_PENNIES, [0.6, 0.4], [0.5, 0.5], eta=0.1, steps=500)
      >>> traj.row.shape, traj.row_average.shape
      ((501, 2), (501, 2))
    """
    A = as_matrix("payoff", payoff)
    x0 = check_row_strategy(A, row_start, "row_start")
    y0 = check_col_strategy(A, col_start, "col_start")
    eta = check_positive_float("eta", eta)
    steps = check_int("steps", steps, minimum=1)
    return _gradient_play_core(jnp.asarray(A, jnp.float32), jnp.asarray(x0, jnp.float32),
                               jnp.asarray(y0, jnp.float32), jnp.asarray(eta, jnp.float32),
                               steps=steps)
