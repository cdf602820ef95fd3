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

from gan_lessons.games.learning import (
    LearningTrajectory,
    RepeatedPlay,
    fictitious_play,
    gradient_play,
    project_simplex,
    simulate_repeated_play,
)
from gan_lessons.games.matrix import (
    SecurityLevels,
    ZeroSumSolution,
    best_responses_col,
    best_responses_row,
    col_payoffs,
    dominated_cols,
    dominated_rows,
    expected_payoff,
    exploitability,
    row_payoffs,
    saddle_points,
    security_levels,
    solve_2x2,
    solve_zero_sum,
)
from gan_lessons.games.named import (
    DONUT_GAME,
    MATCHING_PENNIES,
    ROCK_PAPER_SCISSORS,
    NamedGame,
    describe_game,
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
