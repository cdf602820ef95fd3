r"""Two-player zero-sum matrix games (lesson 01).

A finite zero-sum game is a real payoff matrix :math:`A \in \mathbb{R}^{m \times n}`.
The *row player* picks a row :math:`i`, the *column player* a column :math:`j`;
the row player receives :math:`A_{ij}` and wants it large, the column player
receives :math:`-A_{ij}` and so wants :math:`A_{ij}` small. Every function in this
module uses that convention.

Pure strategies and security levels
    Playing row :math:`i` guarantees the row player :math:`\min_j A_{ij}`, so the
    best pure guarantee is the *maximin* :math:`\underline{v} = \max_i \min_j A_{ij}`.
    Symmetrically the column player can hold the row player to the *minimax*
    :math:`\overline{v} = \min_j \max_i A_{ij}`. Always
    :math:`\underline{v} \le \overline{v}`; when they are equal the game has a
    *saddle point*, an entry that is the smallest in its row and the largest in
    its column, and pure strategies are optimal.

Mixed strategies and the minimax theorem
    Mixed strategies are probability vectors :math:`x \in \Delta_m`,
    :math:`y \in \Delta_n`; the expected payoff is :math:`x^\top A y`. Von
    Neumann's minimax theorem (1928) says

    .. math:: \max_{x \in \Delta_m} \min_{y \in \Delta_n} x^\top A y
              = \min_{y \in \Delta_n} \max_{x \in \Delta_m} x^\top A y = v,

    the *value* of the game, and that optimal strategies :math:`(x^*, y^*)` exist:
    neither player can gain by changing strategy alone.

Linear programming
    Against a fixed :math:`x` the column player's best reply is a pure column, so
    the row player solves

    .. math:: \max_{x, v} \; v \quad \text{s.t.} \quad (A^\top x)_j \ge v \;\forall j,
              \quad \textstyle\sum_i x_i = 1, \quad x \ge 0,

    and the column player solves the dual,
    :math:`\min_{y, w} w` s.t. :math:`(A y)_i \le w \;\forall i`,
    :math:`\sum_j y_j = 1`, :math:`y \ge 0`. LP duality gives :math:`v = w`, which
    is exactly the minimax theorem. :func:`solve_zero_sum` solves both programs
    with HiGHS (``scipy.optimize.linprog``).

Learning in games
    :func:`fictitious_play` (Brown 1951; Robinson 1951) and :func:`gradient_play`
    run simple learning rules as jitted ``jax.lax.scan`` loops. Time averages of
    fictitious play converge to the value; simultaneous gradient play circles
    around the equilibrium of matching pennies instead of settling, the first
    glimpse of why GAN training oscillates. :func:`simulate_repeated_play` samples
    repeated play with JAX random keys.

References:
    J. von Neumann, *Zur Theorie der Gesellschaftsspiele*, Math. Annalen 100, 1928.
    J. Robinson, *An iterative method of solving a game*, Annals of Math. 54, 1951.
    J. Duchi et al., *Efficient projections onto the l1-ball for learning in high
    dimensions*, ICML 2008 (the sort-based simplex projection).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any, NamedTuple, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike
from scipy.optimize import linprog

from gan_lessons._validate import (
    as_finite_array,
    as_matrix,
    as_probability_vector,
    check_int,
    check_positive_float,
)

__all__ = [
    "ZeroSumSolution",
    "SecurityLevels",
    "NamedGame",
    "RepeatedPlay",
    "LearningTrajectory",
    "solve_zero_sum",
    "solve_2x2",
    "expected_payoff",
    "row_payoffs",
    "col_payoffs",
    "best_responses_row",
    "best_responses_col",
    "security_levels",
    "saddle_points",
    "dominated_rows",
    "dominated_cols",
    "exploitability",
    "describe_game",
    "simulate_repeated_play",
    "fictitious_play",
    "gradient_play",
    "project_simplex",
    "DONUT_GAME",
    "MATCHING_PENNIES",
    "ROCK_PAPER_SCISSORS",
]

# Two numbers closer than _TIE_TOL * max(1, max |A|) count as equal when looking for
# best responses, saddle points, security-level maximisers and dominance.
_TIE_TOL = 1e-9


# --------------------------------------------------------------------------- helpers


def _tol(payoff: np.ndarray) -> float:
    """The tie tolerance for ``payoff``: _TIE_TOL scaled by the size of its entries."""
    return _TIE_TOL * max(1.0, float(np.max(np.abs(payoff))))


def _fraction_hint(value: float) -> str:
    """`` (= 2/7)`` when ``value`` is a simple fraction, else an empty string."""
    frac = Fraction(value).limit_denominator(1000)
    if frac.denominator > 1 and abs(float(frac) - value) < 1e-9:
        return f" (= {frac.numerator}/{frac.denominator})"
    return ""


def _fmt_vector(vector: np.ndarray) -> str:
    return np.array2string(np.asarray(vector), precision=4, suppress_small=True,
                           separator=", ")


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64, copy=True)
    array.flags.writeable = False
    return array


def _row_strategy(payoff: np.ndarray, value: Any, name: str = "row_strategy") -> np.ndarray:
    return as_probability_vector(name, value, size=payoff.shape[0])


def _col_strategy(payoff: np.ndarray, value: Any, name: str = "col_strategy") -> np.ndarray:
    return as_probability_vector(name, value, size=payoff.shape[1])


def _check_eta(value: Any) -> float:
    """check_positive_float, also accepting a 0-d JAX array (as a widget may pass)."""
    if isinstance(value, jax.Array):
        value = np.asarray(value)
    return check_positive_float("eta", value)


def _check_key(key: Any) -> jax.Array:
    """A JAX PRNG key: a typed key from ``jax.random.key`` or a legacy uint32 (2,) key."""
    if isinstance(key, jax.Array):
        if jnp.issubdtype(key.dtype, jax.dtypes.prng_key) and key.shape == ():
            return key
        if key.dtype == jnp.uint32 and key.shape == (2,):
            return key
    raise TypeError(
        f"key must be a single JAX random key such as jax.random.key(0), got {key!r:.60}"
    )


# --------------------------------------------------------------------------- results


@dataclasses.dataclass(frozen=True, eq=False)
class ZeroSumSolution:
    """The value and a pair of optimal (minimax) strategies of a zero-sum game.

    Attributes:
      row_strategy: optimal mixed strategy of the row player, shape ``(m,)``.
      col_strategy: optimal mixed strategy of the column player, shape ``(n,)``.
      value: the value :math:`v = x^{*\\top} A y^*` of the game to the row player.
      saddle_point: ``(i, j)`` of a pure saddle point when the game has one (the
        strategies are then the pure strategies ``i`` and ``j``), else ``None``.

    The arrays are read-only copies. Instances compare by identity (``eq=False``);
    compare fields with ``np.allclose`` instead.
    """

    row_strategy: np.ndarray
    col_strategy: np.ndarray
    value: float
    saddle_point: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "row_strategy", _readonly(self.row_strategy))
        object.__setattr__(self, "col_strategy", _readonly(self.col_strategy))
        object.__setattr__(self, "value", float(self.value))
        if self.saddle_point is not None:
            i, j = self.saddle_point
            object.__setattr__(self, "saddle_point", (int(i), int(j)))

    def __repr__(self) -> str:
        return (
            f"ZeroSumSolution(value={self.value:.6g}{_fraction_hint(self.value)}, "
            f"row_strategy={_fmt_vector(self.row_strategy)}, "
            f"col_strategy={_fmt_vector(self.col_strategy)}, "
            f"saddle_point={self.saddle_point})"
        )

    def __str__(self) -> str:
        kind = ("pure (saddle point at row %d, column %d)" % self.saddle_point
                if self.saddle_point is not None else "mixed")
        return (
            f"value of the game : {self.value:.6g}{_fraction_hint(self.value)}\n"
            f"row player x*     : {_fmt_vector(self.row_strategy)}\n"
            f"column player y*  : {_fmt_vector(self.col_strategy)}\n"
            f"equilibrium       : {kind}"
        )


@dataclasses.dataclass(frozen=True)
class SecurityLevels:
    """What each player can guarantee with a *pure* strategy.

    Attributes:
      maximin: :math:`\\max_i \\min_j A_{ij}`, the row player's pure guarantee.
      minimax: :math:`\\min_j \\max_i A_{ij}`, the most the column player has to
        concede when playing purely.
      maximin_rows: the rows that attain ``maximin`` (within the tie tolerance).
      minimax_cols: the columns that attain ``minimax``.

    ``maximin <= value <= minimax`` always; equality means a saddle point.
    """

    maximin: float
    minimax: float
    maximin_rows: tuple[int, ...]
    minimax_cols: tuple[int, ...]

    @property
    def gap(self) -> float:
        """``minimax - maximin`` (>= 0): zero exactly when a saddle point exists."""
        return self.minimax - self.maximin


@dataclasses.dataclass(frozen=True, eq=False)
class NamedGame:
    """A payoff matrix with a name, labels and the story behind it.

    Attributes:
      name: short title, e.g. ``"Donut game"``.
      payoff: the row player's payoff matrix (read-only float64 array).
      row_labels: one label per row (the row player's options).
      col_labels: one label per column.
      row_player: who chooses the row.
      col_player: who chooses the column.
      description: the story and the sign convention in plain words.

    A ``NamedGame`` converts to its payoff matrix with ``np.asarray(game)``, so it
    can be passed wherever a ``payoff`` is expected: ``solve_zero_sum(DONUT_GAME)``.
    """

    name: str
    payoff: np.ndarray
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    row_player: str
    col_player: str
    description: str

    def __post_init__(self) -> None:
        payoff = _readonly(as_matrix("payoff", self.payoff))
        object.__setattr__(self, "payoff", payoff)
        for name, labels, size in (("row_labels", self.row_labels, payoff.shape[0]),
                                   ("col_labels", self.col_labels, payoff.shape[1])):
            labels = tuple(str(label) for label in labels)
            if len(labels) != size:
                raise ValueError(
                    f"{name} must have {size} entries to match the payoff matrix, "
                    f"got {len(labels)}: {labels!r}"
                )
            object.__setattr__(self, name, labels)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        array = self.payoff if dtype is None else self.payoff.astype(dtype)
        return np.array(array, copy=True) if copy else array

    def __repr__(self) -> str:
        return (f"NamedGame({self.name!r}, {self.row_player} (rows) vs "
                f"{self.col_player} (columns), payoff={self.payoff.tolist()})")

    def __str__(self) -> str:
        width = max(len(label) for label in self.row_labels)
        head = " " * width + " | " + " | ".join(self.col_labels)
        lines = [f"{self.name}: {self.row_player} (rows) vs {self.col_player} (columns); "
                 f"entries = {self.row_player}'s gain", head]
        for label, row in zip(self.row_labels, self.payoff, strict=True):
            cells = " | ".join(f"{value:>{len(c)}g}"
                               for value, c in zip(row, self.col_labels, strict=True))
            lines.append(f"{label:<{width}} | {cells}")
        return "\n".join(lines)


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


# --------------------------------------------------------------------------- payoffs


def expected_payoff(payoff: ArrayLike, row_strategy: ArrayLike,
                    col_strategy: ArrayLike) -> float:
    """The row player's expected payoff of a pair of mixed strategies.

    .. math:: u(x, y) = x^\\top A y = \\sum_{i,j} x_i A_{ij} y_j

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.
      row_strategy: ``x``, a probability vector of length ``m``.
      col_strategy: ``y``, a probability vector of length ``n``.

    Returns:
      ``x^T A y`` as a Python float (the column player receives its negative).

    Example:
      >>> expected_payoff([[1, -1], [-1, 1]], [0.5, 0.5], [1.0, 0.0])
      0.0
    """
    A = as_matrix("payoff", payoff)
    x = _row_strategy(A, row_strategy)
    y = _col_strategy(A, col_strategy)
    return float(x @ A @ y)


def row_payoffs(payoff: ArrayLike, col_strategy: ArrayLike) -> np.ndarray:
    """The row player's payoff of each pure row against a mixed column strategy.

    .. math:: (A y)_i = \\sum_j A_{ij} y_j

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.
      col_strategy: ``y``, a probability vector of length ``n``.

    Returns:
      ``A y``, float64 array of shape ``(m,)``.

    Example:
      >>> row_payoffs([[2, -2], [-1, 2]], [0.5, 0.5])
      array([0. , 0.5])
    """
    A = as_matrix("payoff", payoff)
    return A @ _col_strategy(A, col_strategy)


def col_payoffs(payoff: ArrayLike, row_strategy: ArrayLike) -> np.ndarray:
    """The row player's payoff for each pure column against a mixed row strategy.

    .. math:: (x^\\top A)_j = \\sum_i x_i A_{ij}

    These are the amounts the column player *pays*, so it wants them small.

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.
      row_strategy: ``x``, a probability vector of length ``m``.

    Returns:
      ``x^T A``, float64 array of shape ``(n,)``.

    Example:
      >>> col_payoffs([[2, -2], [-1, 2]], [1.0, 0.0])
      array([ 2., -2.])
    """
    A = as_matrix("payoff", payoff)
    return _row_strategy(A, row_strategy) @ A


def _argmax_all(values: np.ndarray, tol: float) -> tuple[int, ...]:
    return tuple(int(i) for i in np.flatnonzero(values >= values.max() - tol))


def best_responses_row(payoff: ArrayLike, col_strategy: ArrayLike) -> tuple[int, ...]:
    """All pure best responses of the row player to a column strategy.

    .. math:: BR_1(y) = \\arg\\max_i (A y)_i

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.
      col_strategy: ``y``, a probability vector of length ``n``.

    Returns:
      The maximising rows in increasing order; payoffs within
      ``1e-9 * max(1, max|A|)`` of the maximum count as ties.

    Example:
      >>> best_responses_row([[1, -1], [-1, 1]], [0.5, 0.5])
      (0, 1)
    """
    A = as_matrix("payoff", payoff)
    return _argmax_all(A @ _col_strategy(A, col_strategy), _tol(A))


def best_responses_col(payoff: ArrayLike, row_strategy: ArrayLike) -> tuple[int, ...]:
    """All pure best responses of the column player to a row strategy.

    .. math:: BR_2(x) = \\arg\\min_j (x^\\top A)_j

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.
      row_strategy: ``x``, a probability vector of length ``m``.

    Returns:
      The minimising columns in increasing order (ties within
      ``1e-9 * max(1, max|A|)``).

    Example:
      >>> best_responses_col([[2, -2], [-1, 2]], [1.0, 0.0])
      (1,)
    """
    A = as_matrix("payoff", payoff)
    return _argmax_all(-(_row_strategy(A, row_strategy) @ A), _tol(A))


def exploitability(payoff: ArrayLike, row_strategy: ArrayLike,
                   col_strategy: ArrayLike) -> float:
    """The duality gap of a strategy pair: how much best responses could gain.

    .. math:: \\varepsilon(x, y) = \\max_i (A y)_i - \\min_j (x^\\top A)_j
              = [\\max_i (Ay)_i - v] + [v - \\min_j (x^\\top A)_j] \\ge 0

    Both brackets are non-negative, so the gap is zero exactly when ``x`` and ``y``
    are both optimal (an equilibrium).

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.
      row_strategy: ``x``, a probability vector of length ``m``.
      col_strategy: ``y``, a probability vector of length ``n``.

    Returns:
      The gap as a non-negative float.

    Example:
      >>> exploitability([[1, -1], [-1, 1]], [1.0, 0.0], [0.5, 0.5])
      1.0
    """
    A = as_matrix("payoff", payoff)
    x = _row_strategy(A, row_strategy)
    y = _col_strategy(A, col_strategy)
    return max(0.0, float(np.max(A @ y) - np.min(x @ A)))


# --------------------------------------------------------------------------- pure analysis


def _saddle_points(A: np.ndarray) -> tuple[tuple[int, int], ...]:
    tol = _tol(A)
    is_row_min = A <= A.min(axis=1, keepdims=True) + tol
    is_col_max = A >= A.max(axis=0, keepdims=True) - tol
    return tuple((int(i), int(j)) for i, j in np.argwhere(is_row_min & is_col_max))


def saddle_points(payoff: ArrayLike) -> tuple[tuple[int, int], ...]:
    """All pure saddle points: entries smallest in their row and largest in their column.

    .. math:: A_{ij} = \\min_{l} A_{il} = \\max_{k} A_{kj}

    At a saddle point neither player gains by deviating, so ``(i, j)`` is an
    equilibrium in pure strategies and ``A[i, j]`` is the value. All saddle points
    of a game share the same value.

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.

    Returns:
      The ``(row, column)`` pairs in row-major order; empty when there is none.

    Example:
      >>> saddle_points([[4, 2], [3, 1]])
      ((0, 1),)
    """
    return _saddle_points(as_matrix("payoff", payoff))


def security_levels(payoff: ArrayLike) -> SecurityLevels:
    """The players' pure security levels (maximin and minimax).

    .. math:: \\underline{v} = \\max_i \\min_j A_{ij} \\;\\le\\;
              \\overline{v} = \\min_j \\max_i A_{ij}

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.

    Returns:
      A :class:`SecurityLevels` with both levels and the rows / columns that
      attain them.

    Example:
      >>> security_levels([[2, -2], [-1, 2]])
      SecurityLevels(maximin=-1.0, minimax=2.0, maximin_rows=(1,), minimax_cols=(0, 1))
    """
    A = as_matrix("payoff", payoff)
    tol = _tol(A)
    row_mins = A.min(axis=1)
    col_maxs = A.max(axis=0)
    return SecurityLevels(
        maximin=float(row_mins.max()),
        minimax=float(col_maxs.min()),
        maximin_rows=_argmax_all(row_mins, tol),
        minimax_cols=_argmax_all(-col_maxs, tol),
    )


def _dominators(B: np.ndarray, tol: float) -> dict[int, int]:
    """For each row of ``B`` weakly dominated by another row (>= everywhere, > somewhere,
    for a maximiser), the index of the first row that dominates it."""
    found = {}
    for i in range(B.shape[0]):
        for k in range(B.shape[0]):
            if k != i and np.all(B[k] >= B[i] - tol) and np.any(B[k] > B[i] + tol):
                found[i] = k
                break
    return found


def dominated_rows(payoff: ArrayLike) -> tuple[int, ...]:
    """Rows weakly dominated by another pure row.

    Row :math:`i` is weakly dominated by row :math:`k` when
    :math:`A_{kj} \\ge A_{ij}` for every column and :math:`>` for at least one:
    the row player never loses, and sometimes gains, by playing :math:`k` instead.
    Identical rows do not dominate each other.

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.

    Returns:
      The dominated row indices in increasing order.

    Example:
      >>> dominated_rows([[3, 1], [2, 1], [0, 4]])
      (1,)
    """
    A = as_matrix("payoff", payoff)
    return tuple(sorted(_dominators(A, _tol(A))))


def dominated_cols(payoff: ArrayLike) -> tuple[int, ...]:
    """Columns weakly dominated by another pure column (the column player minimises).

    Column :math:`j` is weakly dominated by column :math:`l` when
    :math:`A_{il} \\le A_{ij}` for every row and :math:`<` for at least one.

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``.

    Returns:
      The dominated column indices in increasing order.

    Example:
      >>> dominated_cols([[1, 2, 0], [3, 3, 5]])
      (1,)
    """
    A = as_matrix("payoff", payoff)
    return tuple(sorted(_dominators(-A.T, _tol(A))))


# --------------------------------------------------------------------------- solving


def _clean_strategy(p: np.ndarray, who: str) -> np.ndarray:
    """Clip LP round-off: tiny or negative entries to 0, then renormalise (sum within 1e-9)."""
    p = np.where(p < 1e-12, 0.0, p)
    total = p.sum()
    if abs(total - 1.0) > 1e-9:
        raise RuntimeError(
            f"the linear program returned a {who} strategy summing to {total!r}; "
            "this is a numerical failure, please report the payoff matrix"
        )
    return p / total


def _solve_lp(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Both players' LPs on the matrix rescaled to [0, 1] (value is affine-equivariant)."""
    m, n = A.shape
    low, span = float(A.min()), float(A.max() - A.min())
    if span == 0.0:  # constant game: everything is optimal
        return np.full(m, 1.0 / m), np.full(n, 1.0 / n), low
    B = (A - low) / span
    options = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}

    # Row player: max v  s.t.  v - (B^T x)_j <= 0,  sum x = 1,  x >= 0.
    row = linprog(
        c=np.r_[np.zeros(m), -1.0],
        A_ub=np.c_[-B.T, np.ones(n)], b_ub=np.zeros(n),
        A_eq=np.r_[np.ones(m), 0.0][None, :], b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)], method="highs", options=options,
    )
    # Column player (the dual): min w  s.t.  (B y)_i - w <= 0,  sum y = 1,  y >= 0.
    col = linprog(
        c=np.r_[np.zeros(n), 1.0],
        A_ub=np.c_[B, -np.ones(m)], b_ub=np.zeros(m),
        A_eq=np.r_[np.ones(n), 0.0][None, :], b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)], method="highs", options=options,
    )
    for who, res in (("row", row), ("column", col)):
        if res.status != 0:
            raise RuntimeError(f"the {who} player's linear program failed: {res.message}")
    x = _clean_strategy(row.x[:m], "row")
    y = _clean_strategy(col.x[:n], "column")
    value = 0.5 * (row.x[m] + col.x[n])
    return x, y, low + span * value


def _pure_solution(A: np.ndarray, saddle: tuple[int, int]) -> ZeroSumSolution:
    i, j = saddle
    x = np.zeros(A.shape[0])
    y = np.zeros(A.shape[1])
    x[i] = 1.0
    y[j] = 1.0
    return ZeroSumSolution(x, y, float(A[i, j]), (i, j))


def solve_zero_sum(payoff: ArrayLike) -> ZeroSumSolution:
    """The value and optimal strategies of any finite zero-sum game.

    If the game has a saddle point the pure solution at the first one (row-major
    order) is returned. Otherwise both linear programs are solved with HiGHS:

    .. math:: \\max_{x, v} v \\;\\text{s.t.}\\; A^\\top x \\ge v \\mathbf 1,\\;
              \\mathbf 1^\\top x = 1,\\; x \\ge 0
              \\qquad
              \\min_{y, w} w \\;\\text{s.t.}\\; A y \\le w \\mathbf 1,\\;
              \\mathbf 1^\\top y = 1,\\; y \\ge 0

    and by LP duality :math:`v = w` is the value. The matrix is first rescaled to
    ``[0, 1]`` (``(A - min A) / (max A - min A)``) which changes neither the
    optimal strategies nor, after mapping back, the value. When optimal strategies
    are not unique, one optimal vertex is returned.

    Args:
      payoff: the payoff matrix ``A``, shape ``(m, n)``; any finite real numbers.

    Returns:
      A :class:`ZeroSumSolution`; strategies are exact probability vectors (LP
      round-off below 1e-12 clipped, sums renormalised).

    Example:
      >>> sol = solve_zero_sum([[2, -2], [-1, 2]])   # the donut game
      >>> round(sol.value * 7, 9), np.round(sol.row_strategy * 7, 9)
      (2.0, array([3., 4.]))
    """
    A = as_matrix("payoff", payoff)
    saddles = _saddle_points(A)
    if saddles:
        return _pure_solution(A, saddles[0])
    x, y, value = _solve_lp(A)
    return ZeroSumSolution(x, y, value, None)


def solve_2x2(payoff: ArrayLike) -> ZeroSumSolution:
    """The closed-form solution of a 2 x 2 zero-sum game.

    With :math:`A = \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}` and no saddle
    point, each player mixes so that the opponent is indifferent:

    .. math:: p = \\frac{d - c}{a - b - c + d},\\quad
              q = \\frac{d - b}{a - b - c + d},\\quad
              v = \\frac{ad - bc}{a - b - c + d},

    where ``p`` is the probability of row 0 and ``q`` of column 0. Without a
    saddle point ``a - b - c + d`` is never zero. With a saddle point the pure
    solution is returned, as in :func:`solve_zero_sum`.

    Args:
      payoff: a 2 x 2 payoff matrix.

    Returns:
      A :class:`ZeroSumSolution`.

    Raises:
      ValueError: if ``payoff`` is not 2 x 2.

    Example:
      >>> solve_2x2([[1, -1], [-1, 1]]).row_strategy
      array([0.5, 0.5])
    """
    A = as_matrix("payoff", payoff)
    if A.shape != (2, 2):
        raise ValueError(f"payoff must be a 2 x 2 matrix for solve_2x2, got shape {A.shape}; "
                         "use solve_zero_sum for other sizes")
    saddles = _saddle_points(A)
    if saddles:
        return _pure_solution(A, saddles[0])
    (a, b), (c, d) = A
    denom = a - b - c + d
    p = (d - c) / denom
    q = (d - b) / denom
    value = (a * d - b * c) / denom
    return ZeroSumSolution(np.array([p, 1.0 - p]), np.array([q, 1.0 - q]), value, None)


# --------------------------------------------------------------------------- explanation


def _names(game: Any) -> tuple[str, str, tuple[str, ...] | None, tuple[str, ...] | None]:
    if isinstance(game, NamedGame):
        return game.row_player, game.col_player, game.row_labels, game.col_labels
    return "the row player", "the column player", None, None


def _strategy_name(kind: str, index: int, labels: Sequence[str] | None) -> str:
    return f"{kind} {index}" + (f" ({labels[index]!r})" if labels is not None else "")


def _list(kind: str, indices: Sequence[int], labels: Sequence[str] | None) -> str:
    names = [_strategy_name(kind, i, labels) for i in indices]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _describe_mix(kind: str, strategy: np.ndarray, labels: Sequence[str] | None) -> str:
    used = [f"{_strategy_name(kind, i, labels)} with probability {p:.4g}"
            f"{_fraction_hint(float(p))}" for i, p in enumerate(strategy) if p > 0]
    text = "plays " + (used[0] if len(used) == 1 else ", ".join(used[:-1]) + " and " + used[-1])
    unused = [i for i, p in enumerate(strategy) if p == 0]
    if unused:
        text += f", never {_list(kind, unused, labels)}"
    return text


def _identical_groups(A: np.ndarray, tol: float) -> list[list[int]]:
    groups: list[list[int]] = []
    for i in range(A.shape[0]):
        for group in groups:
            if np.all(np.abs(A[group[0]] - A[i]) <= tol):
                group.append(i)
                break
        else:
            groups.append([i])
    return [g for g in groups if len(g) > 1]


def describe_game(payoff: ArrayLike | NamedGame, *,
                  row_labels: Sequence[str] | None = None,
                  col_labels: Sequence[str] | None = None) -> str:
    """A plain-English account of a zero-sum game, for students.

    Covers the security levels, saddle points (or why the players must mix),
    dominated and duplicate strategies, the value with optimal strategies, and
    non-unique optimal strategies where that is cheap to detect (several saddle
    points, duplicate strategies in use, a constant matrix). Never raises on a
    valid matrix, however degenerate.

    Args:
      payoff: the payoff matrix ``A`` (or a :class:`NamedGame`, whose player names
        and labels are then used).
      row_labels: optional names of the rows (override the game's labels).
      col_labels: optional names of the columns.

    Returns:
      A few short paragraphs separated by newlines.

    Example:
      >>> "No saddle point" in describe_game(MATCHING_PENNIES)
      True
    """
    A = as_matrix("payoff", payoff)
    row_player, col_player, game_rows, game_cols = _names(payoff)
    rlab = tuple(row_labels) if row_labels is not None else game_rows
    clab = tuple(col_labels) if col_labels is not None else game_cols
    for name, labels, size in (("row_labels", rlab, A.shape[0]), ("col_labels", clab, A.shape[1])):
        if labels is not None and len(labels) != size:
            raise ValueError(f"{name} must have {size} entries to match the payoff matrix, "
                             f"got {len(labels)}: {labels!r}")
    m, n = A.shape
    tol = _tol(A)
    title = f"{payoff.name}: a" if isinstance(payoff, NamedGame) else "A"
    R, C = row_player[0].upper() + row_player[1:], col_player[0].upper() + col_player[1:]
    out = [f"{title} {m} x {n} zero-sum game. {R} chooses a row and receives A[i, j]; "
           f"{col_player} chooses a column and pays it, so {col_player} wants A[i, j] small."]

    if np.ptp(A) <= tol:
        out.append(f"Every entry equals {A.flat[0]:g}: nothing either player does changes the "
                   f"payoff, so every strategy is optimal and the value is {A.flat[0]:g}.")
        return "\n".join(out)
    if m == 1:
        out.append(f"{R} has a single option, so {col_player} simply picks the smallest entry.")
    if n == 1:
        out.append(f"{C} has a single option, so {row_player} simply picks the largest entry.")

    levels = security_levels(A)
    out.append(
        f"Security levels (pure strategies): {row_player} can guarantee at least "
        f"maximin = {levels.maximin:g} with {_list('row', levels.maximin_rows, rlab)}; "
        f"{col_player} can hold {row_player} to at most minimax = {levels.minimax:g} with "
        f"{_list('column', levels.minimax_cols, clab)}."
    )

    solution = solve_zero_sum(A)
    saddles = _saddle_points(A)
    if saddles:
        cells = ", ".join(f"(row {i}, column {j})" for i, j in saddles)
        out.append(
            f"Saddle point{'s' if len(saddles) > 1 else ''} at {cells}: the entry is the "
            f"smallest in its row and the largest in its column, so maximin = minimax = value "
            f"= {solution.value:g}. Pure strategies are optimal and neither player gains by "
            f"deviating alone."
        )
        rows = sorted({i for i, _ in saddles})
        cols = sorted({j for _, j in saddles})
        if len(saddles) > 1:
            parts = []
            if len(rows) > 1:
                parts.append(f"{row_player} may play any mixture of {_list('row', rows, rlab)}")
            if len(cols) > 1:
                parts.append(f"{col_player} any mixture of {_list('column', cols, clab)}")
            if parts:
                out.append("Optimal strategies are not unique: " + "; ".join(parts) + ".")
    else:
        out.append(
            f"No saddle point: maximin {levels.maximin:g} < minimax {levels.minimax:g}, so "
            f"every pure strategy can be exploited and both players must randomise. By von "
            f"Neumann's minimax theorem the mixed value lies in between: "
            f"v = {solution.value:.6g}{_fraction_hint(solution.value)}."
        )
        out.append(f"Optimal strategies x*, y*: "
                   f"{row_player} {_describe_mix('row', solution.row_strategy, rlab)}; "
                   f"{col_player} {_describe_mix('column', solution.col_strategy, clab)}.")

    dom_r = _dominators(A, tol)
    dom_c = _dominators(-A.T, tol)
    for kind, dom, labels in (("row", dom_r, rlab), ("column", dom_c, clab)):
        if dom:
            items = "; ".join(
                f"{_strategy_name(kind, i, labels)} by {_strategy_name(kind, k, labels)}"
                for i, k in sorted(dom.items()))
            out.append(f"Weakly dominated {kind}s (never better, sometimes worse than another "
                       f"pure {kind}): {items}. They can be removed without changing the value.")
    if not dom_r and not dom_c:
        out.append("No strategy is dominated by another pure strategy.")

    for kind, player, B, strategy, labels in (
            ("row", row_player, A, solution.row_strategy, rlab),
            ("column", col_player, A.T, solution.col_strategy, clab)):
        for group in _identical_groups(B, tol):
            listed = _list(kind, group, labels)
            note = f"{listed[0].upper()}{listed[1:]} are identical"
            if strategy[group].sum() > 0:
                note += (f", so {player}'s optimal strategy is not unique: probability can be "
                         f"moved freely between them.")
            else:
                note += "."
            out.append(note)
    return "\n".join(out)


# --------------------------------------------------------------------------- named games

_DONUT_DESCRIPTION = """\
The lecture's free-donut game. Eleven donuts are left in the common room each
morning. Prof. K always arrives first and takes 3; the second person to arrive
takes 3; the third takes whatever is left. At 8:50 Prof. K comes back and eats 3
more, but only if Student S is the one who will be third and has not arrived yet;
if Student M is third, or if neither student has come by 8:50, he eats no more.
Student S takes the 8:40 or the 8:59 bus, Student M the 8:30 or the 8:55 bus.
Each student only wants to eat more than the other.

Outcomes (S's donuts, M's donuts):
  S 8:40, M 8:30: M is second (3), S third (11 - 3 - 3 = 5)        -> (5, 3)
  S 8:40, M 8:55: S is second (3), M third (5)                     -> (3, 5)
  S 8:59, M 8:30: M second (3), S third after 8:50 (11-3-3-3 = 2)  -> (2, 3)
  S 8:59, M 8:55: nobody by 8:50, M second (3), S third (5)        -> (5, 3)

Sign convention: Student S is the ROW player and the entries are S's gain, S's
donuts minus M's donuts: A = [[2, -2], [-1, 2]]. The lecture slides print a
table with the same rows (S's buses) and columns (M's buses) whose entries are
M's gain instead: [[-2, +2], [+1, -2]] = -A. Always ask whose payoff a table
holds.
There is no saddle point (maximin -1 < minimax 2). S takes the 8:40 bus
with probability 3/7, M the 8:30 bus with probability 4/7, and S wins
2/7 of a donut per morning on average: the game favours S."""

DONUT_GAME = NamedGame(
    name="Donut game",
    payoff=np.array([[2.0, -2.0], [-1.0, 2.0]]),
    row_labels=("S: 8:40 bus", "S: 8:59 bus"),
    col_labels=("M: 8:30 bus", "M: 8:55 bus"),
    row_player="Student S",
    col_player="Student M",
    description=_DONUT_DESCRIPTION,
)
"""The lecture's free-donut game, Student S (rows) vs Student M (columns).

Payoff = S's donuts minus M's donuts, ``[[2, -2], [-1, 2]]``; value 2/7 with
S on the 8:40 bus with probability 3/7 and M on the 8:30 bus with probability
4/7. The slides show M's gain instead (the negative); see ``description``.
"""

MATCHING_PENNIES = NamedGame(
    name="Matching pennies",
    payoff=np.array([[1.0, -1.0], [-1.0, 1.0]]),
    row_labels=("heads", "tails"),
    col_labels=("heads", "tails"),
    row_player="Matcher",
    col_player="Mismatcher",
    description=("Both players show a coin. The Matcher (rows) wins 1 from the Mismatcher "
                 "(columns) if the coins agree and loses 1 if they differ. No saddle point; "
                 "both play (1/2, 1/2) and the value is 0."),
)
"""Matching pennies: ``[[1, -1], [-1, 1]]``, value 0, both players mix 50/50."""

ROCK_PAPER_SCISSORS = NamedGame(
    name="Rock-paper-scissors",
    payoff=np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]]),
    row_labels=("rock", "paper", "scissors"),
    col_labels=("rock", "paper", "scissors"),
    row_player="Player 1",
    col_player="Player 2",
    description=("Rock beats scissors, scissors beat paper, paper beats rock; the winner "
                 "receives 1 from the loser, a tie pays nothing. The matrix is "
                 "skew-symmetric (A = -A^T), so the game is fair: value 0, and both players "
                 "play uniformly (1/3, 1/3, 1/3)."),
)
"""Rock-paper-scissors with win = +1, loss = -1, tie = 0; value 0, uniform play."""


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
    key = _check_key(key)
    A = as_matrix("payoff", payoff)
    x = _row_strategy(A, row_strategy)
    y = _col_strategy(A, col_strategy)
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
    x0 = _row_strategy(A, row_start, "row_start")
    y0 = _col_strategy(A, col_start, "col_start")
    eta = _check_eta(eta)
    steps = check_int("steps", steps, minimum=1)
    return _gradient_play_core(jnp.asarray(A, jnp.float32), jnp.asarray(x0, jnp.float32),
                               jnp.asarray(y0, jnp.float32), jnp.asarray(eta, jnp.float32),
                               steps=steps)
