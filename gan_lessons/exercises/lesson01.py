"""Checks for the exercises of lesson 01 ("Zero-sum games").

The expected answers are worked out by hand in the docstrings, so a check
never relies on the solver it teaches.
"""

from __future__ import annotations

import math

import numpy as np

from gan_lessons.exercises.feedback import (
    Feedback,
    as_array,
    as_number,
    as_numbers,
    correct,
    is_unanswered,
    unanswered,
    wrong,
)

__all__ = [
    "SECURITY_GAME",
    "MIXED_GAME",
    "D_REAL",
    "D_FAKE",
    "check_donut_matrix_for_m",
    "check_security_levels",
    "check_mixed_equilibrium",
    "check_batch_value",
]

# Exercise 1 -------------------------------------------------------------------------------------
# The lesson's matrix: rows are Student S's buses (8:40, 8:59), columns Student M's (8:30, 8:55),
# entries S's gain (S's donuts minus M's), worked out case by case in the lesson.
_DONUT_S = np.array([[2.0, -2.0], [-1.0, 2.0]])
# The exercise asks for the same game with M as the row player: rows M's buses (8:30, 8:55),
# columns S's buses (8:40, 8:59), entries M's gain. Swapping the roles transposes the matrix and
# the zero-sum property flips the sign: B = -A^T.
_DONUT_M = -_DONUT_S.T


def check_donut_matrix_for_m(payoff) -> Feedback:
    """Exercise 1: the donut game with Student M as the row player (entries: M's gain)."""
    if is_unanswered(payoff):
        return unanswered("a 2 x 2 list such as [[a, b], [c, d]]")
    matrix = as_array(payoff)
    if matrix is None:
        return wrong(f"expected a 2 x 2 array of numbers, got {payoff!r}.")
    if matrix.shape != (2, 2):
        return wrong(f"each student has 2 choices, so the matrix is 2 x 2; got shape {matrix.shape}.")
    if np.allclose(matrix, _DONUT_M):
        return correct("B = -A^T: swapping the players transposes the matrix (M's buses become the "
                       "rows) and negates it (what S wins, M loses). Its value is -2/7: M loses "
                       "2/7 of a donut per game on average.")
    if np.allclose(matrix, _DONUT_S):
        return wrong("that is the lesson's matrix, from S's side. Make M the row player: rows are "
                     "M's buses (8:30, 8:55) and the entries are M's gain.")
    if np.allclose(matrix, -_DONUT_S):
        return wrong("the entries are M's gain now, but the rows are still S's buses (this is the "
                     "table printed on the slides). Transpose it so that rows are M's choices.")
    if np.allclose(matrix, _DONUT_S.T):
        return wrong("the rows are M's buses now, but the entries are still S's gain. In a zero-sum "
                     "game M's gain is minus S's gain: flip the signs.")
    return wrong("not yet. Start from the lesson's matrix A (S's gain, rows S's buses); M as the row "
                 "player needs rows = M's buses (transpose) and entries = M's gain (negate).")


# Exercise 2 -------------------------------------------------------------------------------------
#: The game of exercise 2. Row minima (1, 0, 2): maximin 2 at row 2. Column maxima (6, 2, 7):
#: minimax 2 at column 1. Equal, so (2, 1) is a saddle point and the value is 2.
SECURITY_GAME = np.array([[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [6.0, 2.0, 7.0]])
SECURITY_GAME.setflags(write=False)


def check_security_levels(maximin, minimax, saddle_point) -> Feedback:
    """Exercise 2: maximin, minimax and the saddle point (row, column) of ``SECURITY_GAME``."""
    if any(is_unanswered(a) for a in (maximin, minimax, saddle_point)):
        return unanswered("three answers: the maximin, the minimax and the saddle point as (row, column)")
    numbers = as_numbers(maximin, minimax)
    if numbers is None:
        return wrong("maximin and minimax are numbers (payoffs), not indices or lists.")
    lo, hi = numbers
    a = SECURITY_GAME
    mistakes = {
        float(a.min(axis=0).max()): "you took the minimum of each column, then the maximum: the row "
        "player chooses a ROW, so take each row's minimum (what the column player can hold her to), "
        "then the best of those.",
        float(a.max(axis=1).min()): "you took the maximum of each row, then the minimum: the column "
        "player chooses a COLUMN, so take each column's maximum, then the smallest of those.",
        float(a.max()): "that is the largest entry: no player can count on it.",
        float(a.min()): "that is the smallest entry: the row player can guarantee more than this.",
    }
    messages = []
    if lo != 2.0:
        messages.append(f"maximin {lo:g} is off: " + mistakes.get(lo, "compute max_i min_j A[i, j]."))
    if hi != 2.0:
        messages.append(f"minimax {hi:g} is off: " + mistakes.get(hi, "compute min_j max_i A[i, j]."))
    try:
        cell = tuple(int(v) for v in saddle_point)
    except (TypeError, ValueError):
        cell = None
    if cell != (2, 1):
        if cell == (1, 2):
            messages.append("the saddle point is given as (column, row); write (row, column).")
        elif cell == (3, 2):
            messages.append("Python counts from 0: the third row has index 2.")
        else:
            messages.append("a saddle point is an entry that is the smallest in its row and the largest "
                            "in its column; look for the entry equal to both security levels.")
    if messages:
        return wrong(" ".join(messages))
    return correct("maximin = minimax = 2, reached at row 2, column 1: a saddle point, so pure "
                   "strategies are optimal and the value is 2.")


# Exercise 3 -------------------------------------------------------------------------------------
#: The game of exercise 3: no saddle point (row minima -1, -2; column maxima 3, 1).
#: With a=3, b=-1, c=-2, d=1 and a-b-c+d = 7: p = (d-c)/7 = 3/7, q = (d-b)/7 = 2/7,
#: v = (ad-bc)/7 = (3-2)/7 = 1/7.
MIXED_GAME = np.array([[3.0, -1.0], [-2.0, 1.0]])
MIXED_GAME.setflags(write=False)


def check_mixed_equilibrium(p, q, value) -> Feedback:
    """Exercise 3: P(row 0) = p, P(column 0) = q and the value of ``MIXED_GAME``."""
    if any(is_unanswered(a) for a in (p, q, value)):
        return unanswered("three numbers: p, q and the value")
    numbers = as_numbers(p, q, value)
    if numbers is None:
        return wrong("p, q and the value are numbers.")
    p, q, value = numbers
    tol = 1e-3
    ok_p, ok_q, ok_v = (abs(p - 3 / 7) < tol, abs(q - 2 / 7) < tol, abs(value - 1 / 7) < tol)
    if ok_p and ok_q and ok_v:
        return correct("p = 3/7, q = 2/7, v = 1/7: each player's mix makes the other indifferent "
                       "between her two pure strategies.")
    if abs(p - 2 / 7) < tol and abs(q - 3 / 7) < tol:
        return wrong("p and q are swapped. p is chosen to make the COLUMN player indifferent: "
                     "3p - 2(1-p) = -p + (1-p).")
    messages = []
    if not ok_p:
        hint = ("that is 1 - p, the probability of row 1. " if abs(p - 4 / 7) < tol else "")
        messages.append(f"p = {p:.4g} is off: {hint}Solve 3p - 2(1 - p) = -p + 1(1 - p) "
                        "(the column player indifferent between her columns).")
    if not ok_q:
        hint = ("that is 1 - q, the probability of column 1. " if abs(q - 5 / 7) < tol else "")
        messages.append(f"q = {q:.4g} is off: {hint}Solve 3q - 1(1 - q) = -2q + 1(1 - q) "
                        "(the row player indifferent between her rows).")
    if not ok_v:
        hint = "the sign is flipped. " if abs(value + 1 / 7) < tol else ""
        messages.append(f"value = {value:.4g} is off: {hint}Plug p into either column: "
                        "v = 3p - 2(1 - p).")
    return wrong(" ".join(messages))


# Exercise 4 -------------------------------------------------------------------------------------
#: Discriminator outputs D(x) on a labelled batch: three real samples (label r = 1) and three
#: generated ones (r = 0).
D_REAL = (0.9, 0.6, 0.8)
D_FAKE = (0.2, 0.5, 0.1)
# Bernoulli log-likelihood of each label: ln D for r = 1, ln(1 - D) for r = 0; mean over the 6.
_BATCH_V = (sum(math.log(d) for d in D_REAL) + sum(math.log(1 - d) for d in D_FAKE)) / 6


def check_batch_value(v) -> Feedback:
    """Exercise 4: the mean Bernoulli log-likelihood v of the labelled batch (D_REAL, D_FAKE)."""
    if is_unanswered(v):
        return unanswered("a number: the mean of r ln D + (1 - r) ln(1 - D) over the 6 samples")
    v = as_number(v)
    if v is None:
        return wrong("the log-likelihood is a number.")
    tol = 1e-3
    if abs(v - _BATCH_V) < tol:
        return correct(f"v = {_BATCH_V:.4f}. The discriminator raises v by pushing D towards 1 on real "
                       "samples and towards 0 on fakes; the generator lowers it: a zero-sum game.")
    wrong_fake = (sum(math.log(d) for d in D_REAL) + sum(math.log(d) for d in D_FAKE)) / 6
    if abs(v - 6 * _BATCH_V) < tol:
        return wrong("that is the sum over the batch; the lesson's v is the mean (divide by 6).")
    if abs(v - 2 * _BATCH_V) < tol:
        return wrong("that is mean over real + mean over fake, Goodfellow's V(G, D), which is twice "
                     "the mean over the whole batch when half of it is real. Average over all 6 samples.")
    if abs(v - wrong_fake) < tol:
        return wrong("for a generated sample the label is r = 0, so its term is ln(1 - D(x)), not ln D(x).")
    if abs(v + _BATCH_V) < tol:
        return wrong("the sign is flipped: that is the cross-entropy loss, the negative log-likelihood.")
    return wrong("compute (1/6) * [ln 0.9 + ln 0.6 + ln 0.8 + ln(1 - 0.2) + ln(1 - 0.5) + ln(1 - 0.1)].")
