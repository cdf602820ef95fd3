r"""Solving and analysing a zero-sum matrix game: the row player's payoff matrix ``A``.

Payoffs of mixed strategies, best responses and exploitability (the duality gap),
pure saddle points, security levels (maximin and minimax), weak dominance, and the
value with optimal strategies by linear programming (:func:`solve_zero_sum`, HiGHS
via ``scipy.optimize.linprog``) or by the 2 x 2 closed form (:func:`solve_2x2`).
The theory is summarised in :mod:`gan_lessons.games`.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from jax.typing import ArrayLike
from scipy.optimize import linprog

from gan_lessons._validate import as_matrix
from gan_lessons.games._common import (
    check_col_strategy,
    check_row_strategy,
    dominators,
    format_vector,
    fraction_hint,
    readonly,
    tie_tolerance,
)

__all__ = [
    "ZeroSumSolution",
    "SecurityLevels",
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
]


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
        object.__setattr__(self, "row_strategy", readonly(self.row_strategy))
        object.__setattr__(self, "col_strategy", readonly(self.col_strategy))
        object.__setattr__(self, "value", float(self.value))
        if self.saddle_point is not None:
            i, j = self.saddle_point
            object.__setattr__(self, "saddle_point", (int(i), int(j)))

    def __repr__(self) -> str:
        return (
            f"ZeroSumSolution(value={self.value:.6g}{fraction_hint(self.value)}, "
            f"row_strategy={format_vector(self.row_strategy)}, "
            f"col_strategy={format_vector(self.col_strategy)}, "
            f"saddle_point={self.saddle_point})"
        )

    def __str__(self) -> str:
        kind = ("pure (saddle point at row %d, column %d)" % self.saddle_point
                if self.saddle_point is not None else "mixed")
        return (
            f"value of the game : {self.value:.6g}{fraction_hint(self.value)}\n"
            f"row player x*     : {format_vector(self.row_strategy)}\n"
            f"column player y*  : {format_vector(self.col_strategy)}\n"
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
    x = check_row_strategy(A, row_strategy)
    y = check_col_strategy(A, col_strategy)
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
    return A @ check_col_strategy(A, col_strategy)


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
    return check_row_strategy(A, row_strategy) @ A


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
    return _argmax_all(A @ check_col_strategy(A, col_strategy), tie_tolerance(A))


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
    return _argmax_all(-(check_row_strategy(A, row_strategy) @ A), tie_tolerance(A))


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
    x = check_row_strategy(A, row_strategy)
    y = check_col_strategy(A, col_strategy)
    return max(0.0, float(np.max(A @ y) - np.min(x @ A)))


# --------------------------------------------------------------------------- pure analysis


def _saddle_points(A: np.ndarray) -> tuple[tuple[int, int], ...]:
    tol = tie_tolerance(A)
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
    tol = tie_tolerance(A)
    row_mins = A.min(axis=1)
    col_maxs = A.max(axis=0)
    return SecurityLevels(
        maximin=float(row_mins.max()),
        minimax=float(col_maxs.min()),
        maximin_rows=_argmax_all(row_mins, tol),
        minimax_cols=_argmax_all(-col_maxs, tol),
    )


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
    return tuple(sorted(dominators(A, tie_tolerance(A))))


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
    return tuple(sorted(dominators(-A.T, tie_tolerance(A))))


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
