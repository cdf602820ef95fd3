"""Named example games and a plain-English account of any zero-sum game.

:class:`NamedGame` attaches a title, player names and option labels to a payoff
matrix; :data:`DONUT_GAME` (the lecture's free-donut game), :data:`MATCHING_PENNIES`
and :data:`ROCK_PAPER_SCISSORS` are the course's examples. :func:`describe_game`
explains security levels, saddle points, dominance and the optimal strategies of a
game to students.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Sequence

import numpy as np
from jax.typing import ArrayLike

from gan_lessons._validate import as_matrix
from gan_lessons.games._common import dominators, fraction_hint, readonly, tie_tolerance
from gan_lessons.games.matrix import saddle_points, security_levels, solve_zero_sum

__all__ = [
    "NamedGame",
    "describe_game",
    "DONUT_GAME",
    "MATCHING_PENNIES",
    "ROCK_PAPER_SCISSORS",
]


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
        payoff = readonly(as_matrix("payoff", self.payoff))
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
            f"{fraction_hint(float(p))}" for i, p in enumerate(strategy) if p > 0]
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
    tol = tie_tolerance(A)
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
    saddles = saddle_points(A)
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
            f"v = {solution.value:.6g}{fraction_hint(solution.value)}."
        )
        out.append(f"Optimal strategies x*, y*: "
                   f"{row_player} {_describe_mix('row', solution.row_strategy, rlab)}; "
                   f"{col_player} {_describe_mix('column', solution.col_strategy, clab)}.")

    dom_r = dominators(A, tol)
    dom_c = dominators(-A.T, tol)
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
