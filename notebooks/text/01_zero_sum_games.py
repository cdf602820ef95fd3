# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 01 — Zero-sum games
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/01_zero_sum_games.ipynb)
#
# A GAN is a game. The discriminator scores how well it tells real data from generated samples; the
# generator wins exactly what the discriminator loses. Before we train networks, we study such
# **two-player zero-sum games** in their simplest form, a payoff matrix, where everything can be
# computed exactly: the best strategies, the value of the game, and what happens when players *learn*
# instead of solving. The last part of the lesson shows that learning by gradient steps can circle
# around the solution forever: the first sign of why GAN training oscillates.
#
# **After this lesson you can**
# - write a game as a payoff matrix and say whose payoff its entries are;
# - compute security levels (maximin, minimax) and spot a saddle point;
# - explain mixed strategies, expected payoffs and von Neumann's minimax theorem;
# - solve any zero-sum matrix game by linear programming, and a 2 × 2 game by hand;
# - simulate repeated play, and compare fictitious play with gradient play;
# - write the GAN's objective as the value of a zero-sum game.

# %%
# On Colab only: install the course package, keeping Colab's own JAX (elsewhere this does nothing).
import sys

if "google.colab" in sys.modules:
    import subprocess
    from importlib.metadata import version

    from google.colab import output

    # Pinning the installed jax and jaxlib: pip keeps Colab's GPU/TPU build or stops with an error.
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "gan-lessons @ git+https://github.com/gan-lessons/gan-lessons",
                    f"jax=={version('jax')}", f"jaxlib=={version('jaxlib')}"], check=True)
    # Colab ships ipywidgets 7; the course brings 8, which Colab renders with this widget manager.
    output.enable_custom_widget_manager()

# %%
import numpy as np
import jax

from gan_lessons import games
from gan_lessons.plots import draw_payoff_lines, new_figure

donut = games.DONUT_GAME
solution = games.solve_zero_sum(donut.payoff)
figure, axes = new_figure(12, 4, ncols=2)
draw_payoff_lines(axes[0], axes[1], donut.payoff, value=solution.value,
                  row_strategy=solution.row_strategy, col_strategy=solution.col_strategy,
                  row_labels=list(donut.row_labels), col_labels=list(donut.col_labels))
figure

# %% [markdown]
# *The picture you will understand by the end of the lesson: each player's expected payoff as she
# mixes her two choices in the lecture's donut game; the stars mark the optimal mixtures and the value.*
#
# ## 1. Two players, one matrix
#
# In a **two-player zero-sum game** the row player chooses a row $i$ of a matrix $A$, the column
# player chooses a column $j$, both at the same time, and the row player receives $A_{ij}$ from the
# column player. Whatever one wins the other loses; the payoffs sum to zero. In this course the
# convention is always:
#
# > the **row player receives** $A_{ij}$ and wants it **large**; the **column player** receives
# > $-A_{ij}$, so she wants $A_{ij}$ **small**.
#
# ### The lecture's "free donut" game
#
# The lecture notes tell a story. Eleven donuts are left after a colloquium. Prof. K always arrives
# first and takes 3. The second person to arrive takes 3, and the third takes whatever is left, except
# that Prof. K eats 3 more at 8:50 if the third person is Student S and S has not arrived by then;
# if the third person is Student M he eats no more, and if nobody has come by 8:50 he waits. Student S
# can take the 8:40 or the 8:59 bus; Student M the 8:30 or the 8:55 bus. Each student only cares
# about eating more than the other: the payoff is the **difference** of donuts, so the game between the
# two students is zero-sum.
#
# Working through the four cases (S's donuts, M's donuts):
#
# | | M: 8:30 bus | M: 8:55 bus |
# |---|---|---|
# | **S: 8:40 bus** | M second (3), S third before 8:50 (11 − 6 = 5): S gains **+2** | S second (3), M third (5): S gains **−2** |
# | **S: 8:59 bus** | M second (3), S third after 8:50, Prof. K ate 3 more (2): S gains **−1** | nobody by 8:50; M second (3), S third (5): S gains **+2** |
#
# We make **S the row player**, so the entries are S's gain. (The slides print the same table with
# the opposite sign: their entries are M's gain. Always ask *whose* payoff a matrix holds.)

# %%
print(donut.description)
donut.payoff

# %% [markdown]
# ## 2. Pure strategies and security levels
#
# Suppose the row player must announce her choice and the column player answers knowing it. Choosing
# row $i$, she can be held to $\min_j A_{ij}$, so her best guarantee is the **maximin**
# $\underline{v} = \max_i \min_j A_{ij}$. Likewise the column player can guarantee to pay at most the
# **minimax** $\overline{v} = \min_j \max_i A_{ij}$. These are the players' **security levels**, and
# always $\underline{v} \le \overline{v}$ (the row player's guarantee cannot exceed what the column
# player can hold her to).
#
# When they are equal, an entry is at once the smallest of its row and the largest of its column: a
# **saddle point**. Then neither player gains by deviating, and the game is solved in pure strategies.

# %%
saddle_game = np.array([[3.0, 1.0], [4.0, 2.0]])
for name, payoff in [("saddle game", saddle_game), ("donut game", donut.payoff)]:
    levels = games.security_levels(payoff)
    print(f"{name}: maximin = {levels.maximin:g}, minimax = {levels.minimax:g}, "
          f"saddle points: {games.saddle_points(payoff)}")

# %% [markdown]
# The donut game has a gap: S can only guarantee −1 (take the 8:59 bus), M can hold S to at most +2.
# If S always took one bus, M would learn it and take the bus that beats it, and vice versa: "and so
# on", as the slides say. The way out is to **randomise**.
#
# ## 3. Mixed strategies
#
# A **mixed strategy** is a probability vector: the row player plays row $i$ with probability $x_i$,
# the column player column $j$ with probability $y_j$, independently. The **expected payoff** to the
# row player is
#
# $$ \mathbb{E}[A_{IJ}] = \sum_{i,j} x_i A_{ij} y_j = x^\top A y. $$
#
# With two rows, $x = (p, 1-p)$. Against column $j$ the row player expects $p A_{0j} + (1-p) A_{1j}$,
# a straight line in $p$; the column player picks the column whose line is lowest, so the row player
# can guarantee the **lower envelope** of the lines, and should pick the $p$ where it is highest.
#
# Before the formulas, explore. In the panel below, edit the four payoffs (or pick a preset) and
# watch: where do the lines cross? When does the star sit at an end of the interval (a pure strategy)?
# The right-hand plot shows two ways of *learning* to play, discussed in section 6.

# %%
from gan_lessons.widgets import ZeroSumExplorer

explorer = ZeroSumExplorer()
explorer

# %% [markdown]
# ## 4. Von Neumann's minimax theorem and linear programming
#
# With mixed strategies the gap closes. **Von Neumann's minimax theorem (1928)**: for every matrix $A$,
#
# $$ \max_{x \in \Delta_m} \min_{y \in \Delta_n} x^\top A y \;=\; \min_{y \in \Delta_n} \max_{x \in \Delta_m} x^\top A y \;=\; v, $$
#
# where $\Delta_m$ is the set of probability vectors of length $m$. The number $v$ is the **value** of
# the game; strategies $x^*, y^*$ reaching it form a **Nash equilibrium**: neither player gains by
# deviating alone.
#
# **Linear programming.** For a fixed $x$ the inner minimum is reached at a pure column, so
# $\min_y x^\top A y = \min_j (A^\top x)_j$. The row player's problem is therefore the linear program
#
# $$ \max_{x,\,v}\; v \quad\text{subject to}\quad (A^\top x)_j \ge v \;\;(j = 1..n),\qquad \textstyle\sum_i x_i = 1,\qquad x \ge 0, $$
#
# and the column player's problem is its dual. `games.solve_zero_sum` solves both with SciPy's HiGHS
# solver, for any $m \times n$ matrix.
#
# **The 2 × 2 closed form.** For $A = \begin{pmatrix} a & b \\ c & d \end{pmatrix}$ without a saddle
# point, each player mixes so as to make the *other* indifferent. The row player's $p$ equalises the
# two columns, $pa + (1-p)c = pb + (1-p)d$; the column player's $q$ equalises the two rows,
# $qa + (1-q)b = qc + (1-q)d$. Solving,
#
# $$ p = \frac{d - c}{a - b - c + d}, \qquad q = \frac{d - b}{a - b - c + d}, \qquad v = \frac{ad - bc}{a - b - c + d}. $$
#
# For the donut game, $a=2, b=-2, c=-1, d=2$ and $a-b-c+d = 7$: S takes the 8:40 bus with probability
# $p = 3/7$, M the 8:30 bus with probability $q = 4/7$, and S wins $v = (4 - 2)/7 = 2/7$ of a donut per
# game on average. Let us check the formula, the LP and the equilibrium property numerically.

# %%
a, b, c, d = donut.payoff.ravel()
den = a - b - c + d
print("closed form:  p =", (d - c) / den, " q =", (d - b) / den, " v =", (a * d - b * c) / den)
print("fractions:    p =", 3 / 7, " q =", 4 / 7, " v =", 2 / 7)
print("LP solution: ", solution)

# %%
x, y = solution.row_strategy, solution.col_strategy
print("x^T A y             =", games.expected_payoff(donut.payoff, x, y))
print("row deviations  A y =", games.row_payoffs(donut.payoff, y), "(no row beats v)")
print("col deviations x^TA =", games.col_payoffs(donut.payoff, x), "(no column goes below v)")

# %% [markdown]
# Every pure deviation earns exactly $v$: at a mixed equilibrium each player is indifferent between
# the strategies she mixes, which is the indifference principle we used to derive the closed form.
#
# The LP works for any size. Rock–paper–scissors is **skew-symmetric** ($A = -A^\top$: the game looks
# the same from both sides), so its value must be 0; its optimal strategy is uniform. And on random
# games, the LP's answer always passes the equilibrium test.

# %%
rps = games.ROCK_PAPER_SCISSORS
print(rps.name, games.solve_zero_sum(rps.payoff))
rng = np.random.default_rng(0)
worst = 0.0
for _ in range(200):
    A = rng.normal(size=rng.integers(1, 7, size=2))
    s = games.solve_zero_sum(A)
    worst = max(worst, games.exploitability(A, s.row_strategy, s.col_strategy))
print(f"largest exploitability over 200 random games: {worst:.2e}")

# %% [markdown]
# ## 5. Playing the game again and again
#
# The value is an *average*: "if both repeat this game 100 times during their PhD", S gains about
# $100 \cdot 2/7 \approx 29$ donuts. Any single game is random, and so is the running mean; by the law
# of large numbers it approaches $v$, with a standard error $\sigma/\sqrt{t}$ after $t$ games, where
# $\sigma^2 = x^\top (A \circ A) y - v^2$ is the variance of one game's payoff. We simulate with JAX
# random keys (so the run is reproducible) and draw the running mean with a band of two standard errors.

# %%
from gan_lessons.runtime import by_mode
from gan_lessons.plots import draw_running_mean

rounds = by_mode(100_000, 5_000)
play = games.simulate_repeated_play(jax.random.key(0), donut.payoff, x, y, rounds)
std = float(np.sqrt(games.expected_payoff(donut.payoff ** 2, x, y) - solution.value ** 2))
print(f"after 100 games S gained {100 * float(play.running_mean[99]):.0f} donuts "
      f"(expected {100 * solution.value:.1f}); after {rounds:,} games the mean is "
      f"{float(play.running_mean[-1]):.4f} (value {solution.value:.4f}, std of one game {std:.3f})")
figure, ax = new_figure(8, 3.6)
draw_running_mean(ax, play.running_mean, value=solution.value, std=std)
figure

# %% [markdown]
# ## 6. Learning to play: fictitious play and gradient play
#
# Players rarely solve an LP; they *learn*. Two classical learning rules, both implemented in
# `gan_lessons.games` as jitted `lax.scan` loops:
#
# - **Fictitious play** (Brown 1951; Robinson 1951): each round, each player best-responds to the
#   empirical frequencies of the opponent's past choices. Robinson proved that in zero-sum games these
#   *time averages* converge to optimal strategies.
# - **Simultaneous gradient play**: each player takes a small step $\eta$ along the gradient of her own
#   expected payoff, $x \leftarrow \Pi_\Delta(x + \eta A y)$, $y \leftarrow \Pi_\Delta(y - \eta A^\top x)$,
#   where $\Pi_\Delta$ projects back onto the probability simplex. This is exactly how GANs are trained:
#   two players, each following its own gradient.
#
# We measure progress by the **exploitability** $\max_i (Ay)_i - \min_j (x^\top A)_j \ge 0$: how much the
# two players together could gain by best-responding to the current strategies. It is 0 exactly at an
# equilibrium.

# %%
from gan_lessons.plots import draw_exploitability, draw_strategy_path

steps = by_mode(5_000, 1_000)
pennies = games.MATCHING_PENNIES.payoff
fictitious = games.fictitious_play(pennies, steps)
gradient = games.gradient_play(pennies, [0.8, 0.2], [0.3, 0.7], 0.05, steps)
eq = games.solve_zero_sum(pennies)
figure, axes = new_figure(13, 4.2, ncols=3)
draw_strategy_path(axes[0], fictitious.row, fictitious.col, row_strategy=eq.row_strategy,
                   col_strategy=eq.col_strategy, label="fictitious play (averages)")
draw_strategy_path(axes[1], gradient.row, gradient.col, row_strategy=eq.row_strategy,
                   col_strategy=eq.col_strategy, label="gradient play (last iterate)")
draw_exploitability(axes[2], {"fictitious play": fictitious.exploitability,
                              "gradient play": gradient.exploitability})
figure

# %% [markdown]
# In **matching pennies** (the row player wins 1 if the coins match, loses 1 otherwise; value 0,
# equilibrium $(1/2, 1/2)$), fictitious play's averages spiral in to the equilibrium and the
# exploitability falls. Simultaneous gradient play does **not** settle: each player chases the other,
# and the strategies circle around the equilibrium (here, discrete steps even push them outward until
# they hit the edges of the square). The game has a perfectly good solution; the *learning dynamics*
# fail to reach it. The same thing happens to GANs: lesson 06 shows why, and what fixes it.
#
# ## 7. The GAN as a zero-sum game
#
# Now the link to GANs, following the lecture notes (seed 000, after Goodfellow et al. 2014). The
# discriminator $d$ looks at a sample $x$ and outputs $d(x) \in (0, 1)$, its probability that $x$ is real.
# Give each sample a **truth label** $r$: $r = 1$ for real data, $r = 0$ for a sample made by the
# generator $g$. The label is a Bernoulli variable with success probability $d(x)$:
#
# $$ p(r \mid x) = d(x)^{\,r}\,\big(1 - d(x)\big)^{1 - r}. $$
#
# For a labelled batch $\{(x_k, r_k)\}_{k=1}^N$ the discriminator wants to **maximise the
# log-likelihood** of the labels; its mean is the game's payoff,
#
# $$ v(g, d) = \frac{1}{N} \sum_{k=1}^{N} \Big[ r_k \ln d(x_k) + (1 - r_k) \ln\big(1 - d(x_k)\big) \Big]. $$
#
# The discriminator receives $v$, the generator receives $-v$: it wants the discriminator to fail. So
# training a GAN means solving
#
# $$ g^* = \arg\min_g \max_d \; v(g, d). $$
#
# With half of the batch real and half generated, $v$ is half of Goodfellow's value function
# $V(G, D) = \mathbb{E}_{x \sim p_\text{data}}[\ln D(x)] + \mathbb{E}_{z}[\ln(1 - D(G(z)))]$ (lesson 05).
# The differences from a matrix game: the "strategies" are the parameters of two neural networks,
# a continuum rather than a few rows; the payoff is not bilinear; and the players learn by gradient
# steps — the dynamics we just watched circling.
#
# ## Exercises
#
# **Exercise 1 (whose payoff?).** Write the donut game with **Student M as the row player**: rows
# M's buses (8:30, 8:55), columns S's buses (8:40, 8:59), entries M's gain.

# %%
from gan_lessons.exercises import lesson01 as ex

payoff_for_m = ...  # a 2 x 2 list
ex.check_donut_matrix_for_m(payoff_for_m)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# Swapping the roles transposes the matrix (M's choices become the rows), and the zero-sum property
# negates it (M's gain is S's loss): $B = -A^\top$.
# ```python
# payoff_for_m = [[-2, 1], [2, -2]]      # = -donut.payoff.T
# ```
# Its value is $-2/7$: the same game, seen from the losing side.
# </details>
#
# **Exercise 2 (security levels).** For the matrix `ex.SECURITY_GAME` below, find the maximin, the
# minimax and the saddle point (as `(row, column)`, counting from 0). Try by hand first, then with numpy.

# %%
print(ex.SECURITY_GAME)
maximin, minimax, saddle_point = ..., ..., ...  # your answers
ex.check_security_levels(maximin, minimax, saddle_point)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# Row minima are (1, 0, 2), so maximin = 2 (row 2). Column maxima are (6, 2, 7), so minimax = 2
# (column 1). They are equal: the entry (2, 1), equal to 2, is a saddle point.
# ```python
# A = ex.SECURITY_GAME
# maximin, minimax, saddle_point = A.min(axis=1).max(), A.max(axis=0).min(), (2, 1)
# ```
# </details>
#
# **Exercise 3 (a mixed equilibrium by hand).** The game `ex.MIXED_GAME` has no saddle point. Find the
# probability `p` that the row player picks row 0, the probability `q` that the column player picks
# column 0, and the value, using the indifference principle.

# %%
print(ex.MIXED_GAME)
p, q, value = ..., ..., ...  # your answers
ex.check_mixed_equilibrium(p, q, value)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# With $a=3, b=-1, c=-2, d=1$: $a-b-c+d = 7$, so $p = (d-c)/7 = 3/7$, $q = (d-b)/7 = 2/7$ and
# $v = (ad-bc)/7 = 1/7$. Check: against column 0 the row player gets $3 \cdot 3/7 - 2 \cdot 4/7 = 1/7$,
# against column 1, $-3/7 + 4/7 = 1/7$: indifferent, as required.
# </details>
#
# **Exercise 4 (the GAN's payoff).** A discriminator outputs `ex.D_REAL` on three real samples and
# `ex.D_FAKE` on three generated ones. Compute $v$, the mean log-likelihood of the six labels.

# %%
print("D on real:", ex.D_REAL, " D on fake:", ex.D_FAKE)
v = ...  # your answer
ex.check_batch_value(v)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# Real samples contribute $\ln d(x)$, generated ones $\ln(1 - d(x))$:
# ```python
# v = (np.log(ex.D_REAL).sum() + np.log(1 - np.array(ex.D_FAKE)).sum()) / 6   # ≈ -0.2362
# ```
# </details>
#
# ## Summary
#
# - A zero-sum game is a payoff matrix; by our convention the row player receives $A_{ij}$. Always ask
#   whose payoff the entries are.
# - Pure security levels satisfy maximin ≤ minimax; equality means a saddle point.
# - With mixed strategies, von Neumann's theorem closes the gap: every matrix game has a value $v$ and
#   optimal strategies, found by linear programming (and, for 2 × 2 games, by the indifference principle).
# - Repeated optimal play earns $v$ on average, with fluctuations shrinking like $1/\sqrt{t}$.
# - Fictitious play's averages converge; simultaneous gradient play circles around the equilibrium.
# - A GAN is the zero-sum game $\min_g \max_d v(g, d)$, with $v$ the log-likelihood of real/fake labels.
#
# ## References
#
# - J. von Neumann, "Zur Theorie der Gesellschaftsspiele", *Mathematische Annalen* 100, 1928 — the
#   minimax theorem. Any game-theory text gives the LP formulation.
# - J. Robinson, "An iterative method of solving a game", *Annals of Mathematics* 54, 1951 — fictitious
#   play converges in zero-sum games.
# - I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 — the GAN value function.
# - I. Goodfellow, "NIPS 2016 Tutorial: Generative Adversarial Networks", arXiv:1701.00160 — GANs as games.
# - Lecture notes: Minje Kim, "Deep Learning Systems", lecture 13 (the donut game, minimax, linear
#   programming); S. Calderón Ramírez, "Redes generativas" (labels, Bernoulli likelihood, $v(g, d)$);
#   study notes on *Deep Learning*, ch. 20 (the zero-sum game and its default payoff).
