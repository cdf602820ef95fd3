"""Tests for gan_lessons.games.

Oracles: hand-derived values and fractions, the closed-form 2 x 2 solution,
optimality certificates (no pure deviation helps either player), brute force over
a grid for 2 x n games, scipy root finding for the simplex projection, and the
central limit theorem for sampled play. The code under test is never its own oracle.
"""

from __future__ import annotations

from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.optimize import brentq

from gan_lessons.games import (
    DONUT_GAME,
    MATCHING_PENNIES,
    ROCK_PAPER_SCISSORS,
    LearningTrajectory,
    NamedGame,
    RepeatedPlay,
    SecurityLevels,
    ZeroSumSolution,
    best_responses_col,
    best_responses_row,
    col_payoffs,
    describe_game,
    dominated_cols,
    dominated_rows,
    expected_payoff,
    exploitability,
    fictitious_play,
    gradient_play,
    project_simplex,
    row_payoffs,
    saddle_points,
    security_levels,
    simulate_repeated_play,
    solve_2x2,
    solve_zero_sum,
)

FP_STEPS = 4000  # one compiled length shared by the fictitious-play tests


def random_games(seed: int, count: int, max_size: int = 7):
    """Random m x n games: half Gaussian with random scales, half small integers (many ties)."""
    rng = np.random.default_rng(seed)
    for k in range(count):
        m, n = (int(s) for s in rng.integers(1, max_size + 1, size=2))
        if k % 2:
            yield rng.integers(-3, 4, size=(m, n)).astype(float)
        else:
            yield rng.normal(size=(m, n)) * 10.0 ** rng.uniform(-2, 2)


def assert_optimal(A, sol, rtol=1e-8):
    """The certificate of optimality: no pure deviation helps either player."""
    A = np.asarray(A, float)
    tol = rtol * max(1.0, np.abs(A).max())
    x, y, v = sol.row_strategy, sol.col_strategy, sol.value
    assert x.shape == (A.shape[0],) and y.shape == (A.shape[1],)
    assert np.all(x >= 0) and np.all(y >= 0)
    assert abs(x.sum() - 1) < 1e-12 and abs(y.sum() - 1) < 1e-12
    assert np.max(A @ y) <= v + tol          # the row player cannot beat v against y
    assert np.min(x @ A) >= v - tol          # the column player cannot push below v against x
    assert abs(x @ A @ y - v) <= tol


# ------------------------------------------------------------------ saddle points


@pytest.mark.parametrize(
    "payoff, saddle, value",
    [
        ([[4, 2], [3, 1]], (0, 1), 2.0),
        ([[3, 1, 4], [1, 0, 2], [5, 2, 6]], (2, 1), 2.0),
        ([[-1, -3], [0, -2], [-5, -4]], (1, 1), -2.0),
        ([[7]], (0, 0), 7.0),
        ([[1, 4, 2, 3]], (0, 0), 1.0),          # 1 x n: column player takes the smallest entry
        ([[1], [4], [2], [3]], (1, 0), 4.0),    # m x 1: row player takes the largest entry
        ([[0.5, 0.25], [0.75, 0.5]], (1, 1), 0.5),
    ],
)
def test_saddle_point_games_are_solved_in_pure_strategies(payoff, saddle, value):
    sol = solve_zero_sum(payoff)
    assert sol.saddle_point == saddle
    assert sol.value == value
    expected_x = np.eye(len(payoff))[saddle[0]]
    expected_y = np.eye(len(payoff[0]))[saddle[1]]
    np.testing.assert_array_equal(sol.row_strategy, expected_x)
    np.testing.assert_array_equal(sol.col_strategy, expected_y)
    assert saddle in saddle_points(payoff)
    levels = security_levels(payoff)
    assert levels.maximin == levels.minimax == value


def test_all_saddle_points_are_found():
    A = [[3, 5, 3], [1, 6, 2], [3, 4, 3]]
    assert saddle_points(A) == ((0, 0), (0, 2), (2, 0), (2, 2))
    assert solve_zero_sum(A).value == 3.0
    assert saddle_points([[1, 1], [0, 0]]) == ((0, 0), (0, 1))
    assert saddle_points(MATCHING_PENNIES) == ()
    assert saddle_points([[2, 2], [2, 2]]) == ((0, 0), (0, 1), (1, 0), (1, 1))


# ------------------------------------------------------------------ closed forms


def test_donut_game_matches_the_hand_derived_solution():
    A = DONUT_GAME.payoff
    np.testing.assert_array_equal(A, [[2, -2], [-1, 2]])
    for sol in (solve_zero_sum(DONUT_GAME), solve_2x2(DONUT_GAME)):
        assert sol.saddle_point is None
        assert Fraction(sol.value).limit_denominator(100) == Fraction(2, 7)
        np.testing.assert_allclose(sol.value, 2 / 7, atol=1e-12)
        np.testing.assert_allclose(sol.row_strategy, [3 / 7, 4 / 7], atol=1e-12)
        np.testing.assert_allclose(sol.col_strategy, [4 / 7, 3 / 7], atol=1e-12)
    # The slides' matrix (M's gain, rows = S) is the negative: same strategies, value -2/7.
    slides = solve_zero_sum([[-2, 2], [1, -2]])
    np.testing.assert_allclose(slides.value, -2 / 7, atol=1e-12)
    # In the slides' matrix the row player is still S but minimising is M's interest:
    # M, as a row player of -A^T, gets value -2/7 playing 8:30 with probability 4/7.
    m_view = solve_zero_sum(-A.T)
    np.testing.assert_allclose(m_view.value, -2 / 7, atol=1e-12)
    np.testing.assert_allclose(m_view.row_strategy, [4 / 7, 3 / 7], atol=1e-12)


def test_donut_outcomes_rebuild_the_matrix():
    # (S's donuts, M's donuts) for (S bus, M bus), from the story in the docstring.
    outcomes = {("8:40", "8:30"): (5, 3), ("8:40", "8:55"): (3, 5),
                ("8:59", "8:30"): (11 - 3 - 3 - 3, 3), ("8:59", "8:55"): (5, 3)}
    rebuilt = [[s - m for (s, m) in (outcomes[(sb, "8:30")], outcomes[(sb, "8:55")])]
               for sb in ("8:40", "8:59")]
    np.testing.assert_array_equal(DONUT_GAME.payoff, rebuilt)
    assert "M's gain" in DONUT_GAME.description
    assert DONUT_GAME.row_labels == ("S: 8:40 bus", "S: 8:59 bus")
    assert DONUT_GAME.col_labels == ("M: 8:30 bus", "M: 8:55 bus")


def test_solve_2x2_matches_linear_programming_on_random_games():
    rng = np.random.default_rng(1)
    mixed = 0
    for _ in range(200):
        A = rng.normal(size=(2, 2))
        lp, closed = solve_zero_sum(A), solve_2x2(A)
        mixed += closed.saddle_point is None
        np.testing.assert_allclose(closed.value, lp.value, atol=1e-9)
        np.testing.assert_allclose(closed.row_strategy, lp.row_strategy, atol=1e-8)
        np.testing.assert_allclose(closed.col_strategy, lp.col_strategy, atol=1e-8)
        assert_optimal(A, closed)
    assert mixed > 40  # both branches were exercised


def test_solve_2x2_closed_form_by_hand():
    # a=3, b=-1, c=-2, d=1: denominator 7, p = 3/7, q = 2/7, v = (3 - 2)/7.
    sol = solve_2x2([[3, -1], [-2, 1]])
    np.testing.assert_allclose(sol.row_strategy, [3 / 7, 4 / 7])
    np.testing.assert_allclose(sol.col_strategy, [2 / 7, 5 / 7])
    np.testing.assert_allclose(sol.value, 1 / 7)
    assert solve_2x2([[4, 2], [3, 1]]).saddle_point == (0, 1)


def test_solve_2x2_rejects_other_shapes():
    with pytest.raises(ValueError, match="payoff"):
        solve_2x2([[1, 2, 3], [4, 5, 6]])


def test_matching_pennies_and_rock_paper_scissors():
    sol = solve_zero_sum(MATCHING_PENNIES)
    assert abs(sol.value) < 1e-12
    np.testing.assert_allclose(sol.row_strategy, [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(sol.col_strategy, [0.5, 0.5], atol=1e-12)
    sol = solve_zero_sum(ROCK_PAPER_SCISSORS)
    assert abs(sol.value) < 1e-12
    np.testing.assert_allclose(sol.row_strategy, np.full(3, 1 / 3), atol=1e-12)
    np.testing.assert_allclose(sol.col_strategy, np.full(3, 1 / 3), atol=1e-12)


def test_weighted_rock_paper_scissors_by_hand():
    # Rock beats scissors for 2: x^T A = 0 gives x = (1, 2, 1) / 4 for both players.
    A = [[0, -1, 2], [1, 0, -1], [-2, 1, 0]]
    sol = solve_zero_sum(A)
    assert abs(sol.value) < 1e-12
    np.testing.assert_allclose(sol.row_strategy, [0.25, 0.5, 0.25], atol=1e-12)
    np.testing.assert_allclose(sol.col_strategy, [0.25, 0.5, 0.25], atol=1e-12)


def test_skew_symmetric_games_have_value_zero():
    rng = np.random.default_rng(2)
    for _ in range(40):
        n = int(rng.integers(1, 9))
        B = rng.normal(size=(n, n))
        A = B - B.T
        sol = solve_zero_sum(A)
        assert abs(sol.value) < 1e-9
        assert_optimal(A, sol)


# ------------------------------------------------------------------ general games


def test_strategies_are_optimal_on_random_games():
    for A in random_games(seed=3, count=250):
        sol = solve_zero_sum(A)
        assert_optimal(A, sol)
        tol = 1e-8 * max(1, np.abs(A).max())
        np.testing.assert_allclose(expected_payoff(A, sol.row_strategy, sol.col_strategy),
                                   sol.value, atol=tol)
        assert exploitability(A, sol.row_strategy, sol.col_strategy) <= tol


def test_value_of_2xn_games_matches_brute_force():
    rng = np.random.default_rng(4)
    p = np.linspace(0.0, 1.0, 20_001)
    for _ in range(40):
        n = int(rng.integers(1, 7))
        A = rng.uniform(-5, 5, size=(2, n))
        guaranteed = np.min(np.outer(p, A[0]) + np.outer(1 - p, A[1]), axis=1)
        grid_value = guaranteed.max()
        lipschitz = np.max(np.abs(A[0] - A[1]))
        v = solve_zero_sum(A).value
        assert grid_value <= v + 1e-9
        assert grid_value >= v - lipschitz * (p[1] - p[0])


def test_value_shifts_and_scales_with_the_payoffs():
    rng = np.random.default_rng(5)
    for A in random_games(seed=6, count=40):
        v = solve_zero_sum(A).value
        c, k = rng.normal() * 10, float(rng.uniform(0.01, 100))
        scale = max(1.0, np.abs(A).max())
        np.testing.assert_allclose(solve_zero_sum(A + c).value, v + c, atol=1e-8 * (scale + abs(c)))
        np.testing.assert_allclose(solve_zero_sum(k * A).value, k * v, atol=1e-8 * k * scale)


def test_security_levels_bracket_the_value():
    for A in random_games(seed=7, count=60):
        levels = security_levels(A)
        v = solve_zero_sum(A).value
        tol = 1e-9 * max(1, np.abs(A).max())
        assert levels.maximin - tol <= v <= levels.minimax + tol
        assert levels.maximin == np.max(np.min(A, axis=1))
        assert levels.minimax == np.min(np.max(A, axis=0))


def test_security_levels_of_the_donut_game():
    assert security_levels(DONUT_GAME) == SecurityLevels(
        maximin=-1.0, minimax=2.0, maximin_rows=(1,), minimax_cols=(0, 1))
    assert security_levels(DONUT_GAME).gap == 3.0


@pytest.mark.parametrize(
    "payoff",
    [
        [[3.0, 3.0], [3.0, 3.0]],                 # all equal
        [[0.0]],                                  # 1 x 1
        [[1.0, -2.0, 5.0]],                       # 1 x n
        [[1.0], [-2.0], [5.0]],                   # m x 1
        [[1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]],  # duplicate rows, no saddle point
        [[2.0, -1.0, 5.0], [-1.0, 2.0, 5.0]],     # dominated column, no saddle point
        [[2.0, -1.0], [-1.0, 2.0], [-2.0, -3.0]], # dominated row
        [[1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0]],  # cyclic ties
        [[1e9, -1e9], [-1e9, 1e9]],               # large magnitudes
        [[1e-9, -1e-9], [-1e-9, 1e-9]],           # tiny magnitudes
    ],
)
def test_degenerate_games_are_solved_and_explained(payoff):
    sol = solve_zero_sum(payoff)
    assert_optimal(payoff, sol)
    text = describe_game(payoff)
    assert isinstance(text, str) and "zero-sum" in text


def test_degenerate_values_by_hand():
    assert solve_zero_sum([[3, 3], [3, 3]]).value == 3.0
    assert solve_zero_sum([[1, -2, 5]]).value == -2.0
    assert solve_zero_sum([[1], [-2], [5]]).value == 5.0
    np.testing.assert_allclose(solve_zero_sum([[2, -1, 5], [-1, 2, 5]]).value, 0.5)
    np.testing.assert_allclose(solve_zero_sum([[1, 1, 0], [0, 1, 1], [1, 0, 1]]).value, 2 / 3)


# ------------------------------------------------------------------ payoffs and responses


def test_payoff_helpers_by_hand():
    A = [[2, -2], [-1, 2]]
    assert expected_payoff(A, [1, 0], [0, 1]) == -2.0
    assert expected_payoff(A, [0.5, 0.5], [0.5, 0.5]) == 0.25
    np.testing.assert_array_equal(row_payoffs(A, [0.5, 0.5]), [0.0, 0.5])
    np.testing.assert_array_equal(col_payoffs(A, [0.5, 0.5]), [0.5, 0.0])
    assert best_responses_row(A, [0.5, 0.5]) == (1,)
    assert best_responses_col(A, [0.5, 0.5]) == (1,)
    # Against the optimal strategies every pure strategy is a best response.
    assert best_responses_row(A, [4 / 7, 3 / 7]) == (0, 1)
    assert best_responses_col(A, [3 / 7, 4 / 7]) == (0, 1)
    assert best_responses_row(ROCK_PAPER_SCISSORS, [1, 0, 0]) == (1,)   # paper beats rock
    assert best_responses_col(ROCK_PAPER_SCISSORS, [1, 0, 0]) == (1,)


def test_exploitability_by_hand():
    A = MATCHING_PENNIES
    assert exploitability(A, [0.5, 0.5], [0.5, 0.5]) == 0.0
    # x = (1, 0), y = (1/2, 1/2): max(Ay) = 0, min(x^T A) = -1.
    assert exploitability(A, [1, 0], [0.5, 0.5]) == 1.0
    assert exploitability(A, [1, 0], [1, 0]) == 2.0
    assert exploitability(DONUT_GAME, [3 / 7, 4 / 7], [4 / 7, 3 / 7]) < 1e-12


def test_dominated_strategies_by_hand():
    assert dominated_rows([[3, 1], [2, 1], [0, 4]]) == (1,)
    assert dominated_rows([[1, 2], [1, 2]]) == ()                  # identical rows
    assert dominated_rows(DONUT_GAME) == () and dominated_cols(DONUT_GAME) == ()
    # Column player minimises: column 1 (>= column 0 everywhere) is dominated.
    assert dominated_cols([[1, 2, 0], [3, 3, 5]]) == (1,)
    assert dominated_cols([[1, 2, 3]]) == (1, 2)
    assert dominated_rows([[2, -1], [-1, 2], [-2, -3]]) == (2,)


# ------------------------------------------------------------------ named games and text


def test_named_games_are_read_only_and_convert_to_arrays():
    for game in (DONUT_GAME, MATCHING_PENNIES, ROCK_PAPER_SCISSORS):
        assert isinstance(game, NamedGame)
        assert not game.payoff.flags.writeable
        with pytest.raises(ValueError):
            game.payoff[0, 0] = 99.0
        np.testing.assert_array_equal(np.asarray(game), game.payoff)
        assert len(game.row_labels) == game.payoff.shape[0]
        assert len(game.col_labels) == game.payoff.shape[1]
        assert game.name in str(game)
    np.testing.assert_array_equal(MATCHING_PENNIES.payoff, [[1, -1], [-1, 1]])
    A = ROCK_PAPER_SCISSORS.payoff
    np.testing.assert_array_equal(A, -A.T)
    assert A[1, 0] == 1 and A[0, 2] == 1 and A[2, 1] == 1   # paper>rock, rock>scissors, ...


def test_named_game_label_lengths_are_checked():
    with pytest.raises(ValueError, match="row_labels"):
        NamedGame("x", [[1, 2]], ("a", "b"), ("c", "d"), "R", "C", "")


def test_solution_is_frozen_and_prints_fractions():
    sol = solve_zero_sum(DONUT_GAME)
    assert isinstance(sol, ZeroSumSolution)
    with pytest.raises(AttributeError):
        sol.value = 1.0
    assert not sol.row_strategy.flags.writeable
    assert "2/7" in repr(sol) and "2/7" in str(sol)


def test_describe_game_explains_the_cases():
    donut = describe_game(DONUT_GAME)
    assert "No saddle point" in donut and "2/7" in donut and "S: 8:40 bus" in donut
    assert "Student S" in donut
    many = describe_game([[3, 5, 3], [1, 6, 2], [3, 4, 3]])
    assert "Saddle points" in many and "not unique" in many
    assert "dominated" in describe_game([[3, 1], [2, 1], [0, 4]])
    assert "Every entry equals 4" in describe_game([[4, 4], [4, 4]])
    assert "identical" in describe_game([[1, -1], [1, -1], [-1, 1]])
    labelled = describe_game([[1, -1], [-1, 1]], row_labels=("up", "down"))
    assert "'up'" in labelled
    with pytest.raises(ValueError, match="col_labels"):
        describe_game([[1, 2]], col_labels=("only one",))


# ------------------------------------------------------------------ repeated play


def test_repeated_optimal_play_averages_to_the_value():
    x, y, v = np.array([3, 4]) / 7, np.array([4, 3]) / 7, 2 / 7
    A = DONUT_GAME.payoff
    rounds = 200_000
    play = simulate_repeated_play(jax.random.key(0), DONUT_GAME, x, y, rounds)
    assert isinstance(play, RepeatedPlay)
    assert play.rows.shape == play.cols.shape == play.payoffs.shape == (rounds,)
    rows, cols = np.asarray(play.rows), np.asarray(play.cols)
    np.testing.assert_array_equal(np.asarray(play.payoffs), A[rows, cols])
    # CLT: the mean of i.i.d. payoffs has standard error sqrt(Var / rounds).
    variance = x @ (A ** 2) @ y - v ** 2
    stderr = np.sqrt(variance / rounds)
    assert abs(float(play.running_mean[-1]) - v) < 4 * stderr
    np.testing.assert_allclose(float(play.running_mean[-1]), A[rows, cols].mean(), atol=1e-5)
    np.testing.assert_allclose(float(play.running_mean[0]), A[rows[0], cols[0]])
    # Each player's empirical frequency is within a few standard errors of its strategy.
    assert abs(np.mean(rows == 0) - x[0]) < 4 * np.sqrt(x[0] * x[1] / rounds)
    assert abs(np.mean(cols == 0) - y[0]) < 4 * np.sqrt(y[0] * y[1] / rounds)


def test_repeated_play_is_reproducible_and_respects_pure_strategies():
    key = jax.random.key(42)
    a = simulate_repeated_play(key, ROCK_PAPER_SCISSORS, [0.2, 0.3, 0.5], [1 / 3] * 3, 500)
    b = simulate_repeated_play(key, ROCK_PAPER_SCISSORS, [0.2, 0.3, 0.5], [1 / 3] * 3, 500)
    c = simulate_repeated_play(jax.random.key(43), ROCK_PAPER_SCISSORS, [0.2, 0.3, 0.5],
                               [1 / 3] * 3, 500)
    for field_a, field_b in zip(a, b, strict=True):
        np.testing.assert_array_equal(field_a, field_b)
    assert not np.array_equal(a.rows, c.rows)
    pure = simulate_repeated_play(key, DONUT_GAME, [0, 1], [1, 0], 50)
    assert set(np.asarray(pure.rows).tolist()) == {1}
    assert set(np.asarray(pure.cols).tolist()) == {0}
    np.testing.assert_array_equal(pure.running_mean, np.full(50, -1.0))


# ------------------------------------------------------------------ fictitious play


def test_fictitious_play_first_rounds_by_hand():
    traj = fictitious_play(MATCHING_PENNIES, 2)
    assert isinstance(traj, LearningTrajectory)
    # Round 0: (0, 0). Round 1: row best-responds to column 0 with row 0, column to row 0
    # with column 1. Round 2: row 0 (tie, lowest index), column 1 again.
    np.testing.assert_allclose(traj.row, [[1, 0], [1, 0], [1, 0]])
    np.testing.assert_allclose(traj.col, [[1, 0], [0.5, 0.5], [1 / 3, 2 / 3]], rtol=1e-6)
    np.testing.assert_allclose(traj.exploitability, [2, 1, 4 / 3], rtol=1e-6)
    traj = fictitious_play(DONUT_GAME, 1, first_row=1, first_col=1)
    np.testing.assert_allclose(traj.row[0], [0, 1])
    np.testing.assert_allclose(traj.col[0], [0, 1])


@pytest.mark.parametrize("game", [ROCK_PAPER_SCISSORS, MATCHING_PENNIES, DONUT_GAME],
                         ids=lambda game: game.name)
def test_fictitious_play_converges_to_the_lp_solution(game):
    traj = fictitious_play(game, FP_STEPS)
    gap = np.asarray(traj.exploitability)
    assert gap.shape == (FP_STEPS + 1,)
    assert gap[-1] < 0.05
    assert gap[-1] < gap[100] < gap[10]
    sol = solve_zero_sum(game)
    np.testing.assert_allclose(traj.row[-1], sol.row_strategy, atol=0.05)
    np.testing.assert_allclose(traj.col[-1], sol.col_strategy, atol=0.05)
    value_estimate = float(traj.row[-1] @ game.payoff @ traj.col[-1])
    assert abs(value_estimate - sol.value) < 0.05
    np.testing.assert_allclose(np.asarray(traj.row).sum(axis=1), 1.0, atol=1e-5)


def test_fictitious_play_on_a_random_game_gets_close_to_the_value():
    A = np.random.default_rng(8).normal(size=(4, 5))
    traj = fictitious_play(A, FP_STEPS)
    sol = solve_zero_sum(A)
    assert float(traj.exploitability[-1]) < 0.1
    x, y = np.asarray(traj.row[-1], float), np.asarray(traj.col[-1], float)
    assert np.min(x @ A) - 1e-5 <= sol.value <= np.max(A @ y) + 1e-5  # value inside the gap


# ------------------------------------------------------------------ gradient play


def test_project_simplex_matches_a_root_finding_oracle():
    rng = np.random.default_rng(9)
    for _ in range(30):
        n = int(rng.integers(1, 10))
        v = rng.normal(size=n) * 3
        # theta solves sum(max(v - theta, 0)) = 1 (KKT conditions), found by bisection.
        theta = brentq(lambda t, v=v: np.maximum(v - t, 0).sum() - 1, v.min() - 1, v.max())
        np.testing.assert_allclose(project_simplex(v), np.maximum(v - theta, 0), atol=2e-6)
    np.testing.assert_allclose(project_simplex([0.2, 0.3, 0.5]), [0.2, 0.3, 0.5], atol=1e-7)


def test_gradient_play_first_steps_by_hand():
    # A y0 = 0 so x1 = x0; A^T x0 = (0.2, -0.2) so y1 = (0.48, 0.52); then
    # A y1 = (-0.04, 0.04) gives x2 = (0.596, 0.404) and y2 = (0.46, 0.54).
    traj = gradient_play(MATCHING_PENNIES, [0.6, 0.4], [0.5, 0.5], 0.1, 2)
    np.testing.assert_allclose(traj.row, [[0.6, 0.4], [0.6, 0.4], [0.596, 0.404]], atol=1e-6)
    np.testing.assert_allclose(traj.col, [[0.5, 0.5], [0.48, 0.52], [0.46, 0.54]], atol=1e-6)
    np.testing.assert_allclose(traj.row_average[-1], [(0.6 + 0.6 + 0.596) / 3,
                                                      (0.4 + 0.4 + 0.404) / 3], atol=1e-6)
    np.testing.assert_allclose(traj.exploitability[0], 0.2, atol=1e-6)  # max(Ay)=0, min(xA)=-0.2


def test_gradient_play_cycles_in_matching_pennies_while_averages_converge():
    steps = 3000
    traj = gradient_play(MATCHING_PENNIES, [0.6, 0.4], [0.5, 0.5], 0.05, steps)
    assert traj.row.shape == (steps + 1, 2) and traj.col.shape == (steps + 1, 2)
    distance = np.hypot(np.asarray(traj.row[:, 0]) - 0.5, np.asarray(traj.col[:, 0]) - 0.5)
    assert distance[0] == pytest.approx(0.1, abs=1e-6)
    # The last iterate spirals out to the edge of the square and stays far from (1/2, 1/2).
    assert np.all(np.diff(distance[:200]) > -1e-6)
    assert distance[steps // 3:].min() > 0.3
    assert float(traj.exploitability[steps // 3:].min()) > 0.5
    avg_distance = np.hypot(np.asarray(traj.row_average[-1, 0]) - 0.5,
                            np.asarray(traj.col_average[-1, 0]) - 0.5)
    assert avg_distance < 0.02
    assert float(traj.average_exploitability[-1]) < 0.05
    # Iterates stay on the simplex.
    np.testing.assert_allclose(np.asarray(traj.row).sum(axis=1), 1, atol=1e-5)
    assert float(jnp.min(traj.row)) >= 0 and float(jnp.min(traj.col)) >= 0


def test_gradient_play_on_rock_paper_scissors_stays_on_the_simplex():
    traj = gradient_play(ROCK_PAPER_SCISSORS, [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], 0.1, 500)
    np.testing.assert_allclose(np.asarray(traj.col).sum(axis=1), 1, atol=1e-5)
    assert float(jnp.min(traj.col)) >= 0


# ------------------------------------------------------------------ compilation


def test_jitted_cores_do_not_recompile_for_new_values(compilations):
    A1 = np.arange(12.0).reshape(3, 4) % 5 - 2
    A2 = -A1 * 0.5
    fictitious_play(A1, 17)
    mark = compilations.mark()
    fictitious_play(A2, 17, first_row=2, first_col=3)
    assert compilations.since(mark) == []

    gradient_play(A1, [0.2, 0.3, 0.5], [0.25] * 4, 0.1, 13)
    eta = jnp.asarray(0.3)  # made before the mark: creating it runs JAX operations of its own
    mark = compilations.mark()
    gradient_play(A2, [1.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4], 0.37, 13)
    gradient_play(A2, [1.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4], np.float32(0.2), 13)
    gradient_play(A2, [1.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4], eta, 13)
    gradient_play(A2, [1.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4], 1, 13)
    assert compilations.since(mark) == []

    simulate_repeated_play(jax.random.key(0), A1, [0.2, 0.3, 0.5], [0.25] * 4, 11)
    key = jax.random.key(1)
    mark = compilations.mark()
    simulate_repeated_play(key, A2, [1, 0, 0], [0.1, 0.2, 0.3, 0.4], 11)
    assert compilations.since(mark) == []
    simulate_repeated_play(key, A2, [1, 0, 0], [0.1, 0.2, 0.3, 0.4], 12)  # a new length
    assert any("_simulate" in name for name in compilations.since(mark))


# ------------------------------------------------------------------ validation


BAD_PAYOFFS = [
    ([[1, 2], [3]], ValueError),            # ragged
    ([1, 2, 3], ValueError),                # 1-D
    ([], ValueError),                       # empty
    (np.zeros((0, 3)), ValueError),         # no rows
    (np.zeros((2, 2, 2)), ValueError),      # 3-D
    ([[1, np.nan], [0, 1]], ValueError),
    ([[1, np.inf], [0, 1]], ValueError),
    ("abc", TypeError),
    ([["a", "b"], ["c", "d"]], TypeError),
    (None, TypeError),
]

PAYOFF_CALLS = [
    lambda A: solve_zero_sum(A),
    lambda A: solve_2x2(A),
    lambda A: expected_payoff(A, [1, 0], [1, 0]),
    lambda A: row_payoffs(A, [1, 0]),
    lambda A: col_payoffs(A, [1, 0]),
    lambda A: best_responses_row(A, [1, 0]),
    lambda A: best_responses_col(A, [1, 0]),
    lambda A: security_levels(A),
    lambda A: saddle_points(A),
    lambda A: dominated_rows(A),
    lambda A: dominated_cols(A),
    lambda A: exploitability(A, [1, 0], [1, 0]),
    lambda A: describe_game(A),
    lambda A: simulate_repeated_play(jax.random.key(0), A, [1, 0], [1, 0], 5),
    lambda A: fictitious_play(A, 5),
    lambda A: gradient_play(A, [1, 0], [1, 0], 0.1, 5),
]


@pytest.mark.parametrize("bad, error", BAD_PAYOFFS)
@pytest.mark.parametrize("call", PAYOFF_CALLS)
def test_bad_payoffs_are_rejected_with_the_argument_name(call, bad, error):
    with pytest.raises(error, match="payoff"):
        call(bad)


BAD_STRATEGIES = [[1.5, -0.5], [0.5, 0.4], [0.5, 0.25, 0.25], [np.nan, 1.0], [[0.5, 0.5]], "ab"]
A22 = [[1.0, -1.0], [-1.0, 1.0]]


@pytest.mark.parametrize("bad", BAD_STRATEGIES, ids=repr)
@pytest.mark.parametrize(
    "name, call",
    [
        ("row_strategy", lambda s: expected_payoff(A22, s, [1, 0])),
        ("col_strategy", lambda s: expected_payoff(A22, [1, 0], s)),
        ("col_strategy", lambda s: row_payoffs(A22, s)),
        ("row_strategy", lambda s: col_payoffs(A22, s)),
        ("col_strategy", lambda s: best_responses_row(A22, s)),
        ("row_strategy", lambda s: best_responses_col(A22, s)),
        ("row_strategy", lambda s: exploitability(A22, s, [1, 0])),
        ("col_strategy", lambda s: exploitability(A22, [1, 0], s)),
        ("row_strategy", lambda s: simulate_repeated_play(jax.random.key(0), A22, s, [1, 0], 5)),
        ("col_strategy", lambda s: simulate_repeated_play(jax.random.key(0), A22, [1, 0], s, 5)),
        ("row_start", lambda s: gradient_play(A22, s, [1, 0], 0.1, 5)),
        ("col_start", lambda s: gradient_play(A22, [1, 0], s, 0.1, 5)),
    ],
)
def test_bad_strategies_are_rejected_with_the_argument_name(name, call, bad):
    with pytest.raises((ValueError, TypeError), match=name):
        call(bad)


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-3, ValueError), (1.5, TypeError),
                                        ("10", TypeError), (True, TypeError), (None, TypeError)])
def test_bad_lengths_are_rejected(bad, error):
    with pytest.raises(error, match="steps"):
        fictitious_play(A22, bad)
    with pytest.raises(error, match="steps"):
        gradient_play(A22, [1, 0], [1, 0], 0.1, bad)
    with pytest.raises(error, match="rounds"):
        simulate_repeated_play(jax.random.key(0), A22, [1, 0], [1, 0], bad)


@pytest.mark.parametrize("bad, error", [(0.0, ValueError), (-0.1, ValueError),
                                        (np.nan, ValueError), (np.inf, ValueError),
                                        ("0.1", TypeError), (None, TypeError),
                                        (np.array([0.1, 0.2]), ValueError)])
def test_bad_step_sizes_are_rejected(bad, error):
    with pytest.raises(error, match="eta"):
        gradient_play(A22, [1, 0], [1, 0], bad, 5)


@pytest.mark.parametrize("name, kwargs, error", [
    ("first_row", {"first_row": 2}, ValueError),
    ("first_row", {"first_row": -1}, ValueError),
    ("first_row", {"first_row": 0.5}, TypeError),
    ("first_col", {"first_col": 2}, ValueError),
    ("first_col", {"first_col": "0"}, TypeError),
])
def test_bad_first_moves_are_rejected(name, kwargs, error):
    with pytest.raises(error, match=name):
        fictitious_play(A22, 5, **kwargs)


@pytest.mark.parametrize("bad", [0, np.array([0, 1]), "key", None])
def test_bad_keys_are_rejected(bad):
    with pytest.raises(TypeError, match="key"):
        simulate_repeated_play(bad, A22, [1, 0], [1, 0], 5)


def test_legacy_uint32_keys_are_accepted():
    play = simulate_repeated_play(jax.random.PRNGKey(0), A22, [0.5, 0.5], [0.5, 0.5], 5)
    assert play.rows.shape == (5,)
