"""Figures for zero-sum matrix games (lesson 01).

For a game with two rows the row player's mixed strategy is one number,
p = P(row 0), and her expected payoff against each pure column j is the line
p * A[0, j] + (1 - p) * A[1, j]. The column player answers with the worst of
these lines for her, so she can count on their *lower envelope*; its highest
point is her maximin mixed strategy and the game's value. Symmetrically, with
two columns and q = P(column 0), the column player looks at the lines
q * A[i, 0] + (1 - q) * A[i, 1] and minimises their *upper envelope*.
"""

from __future__ import annotations

import numpy as np

from gan_lessons.plots.style import PALETTE, fit, legend

__all__ = ["draw_payoff_lines", "draw_strategy_path", "draw_running_mean", "draw_exploitability"]

_GRID = np.linspace(0.0, 1.0, 201)


def _envelope_plot(ax, lines: np.ndarray, labels, envelope: np.ndarray, best_x: float,
                   best_y: float, xlabel: str, title: str, envelope_label: str) -> None:
    colours = [PALETTE[k] for k in ("blue", "vermillion", "green", "orange", "purple", "sky")]
    for index, (line, label) in enumerate(zip(lines, labels)):
        ax.plot(_GRID, line, color=colours[index % len(colours)], label=label)
    ax.fill_between(_GRID, envelope, np.min(lines) - 0.05 * (np.ptp(lines) + 1),
                    color=PALETTE["grey"], alpha=0.15, lw=0)
    ax.plot(_GRID, envelope, color=PALETTE["black"], lw=1.2, ls="--", label=envelope_label)
    ax.plot([best_x], [best_y], marker="*", ms=16, color=PALETTE["yellow"], mec=PALETTE["black"],
            zorder=5, ls="none", label=f"optimum ({best_x:.2f}, {best_y:.2f})")
    ax.set_xlim(0, 1)
    ax.set_xlabel(xlabel)
    ax.set_title(fit(title))
    legend(ax, fontsize="small", loc="best", below_ncol=1)


def draw_payoff_lines(ax_row, ax_col, payoff, *, value: float, row_strategy, col_strategy,
                      row_labels=None, col_labels=None) -> None:
    """Draw both players' expected-payoff lines for a 2 x 2 game.

    Args:
      ax_row: axes for the row player's view (x axis: p = P(row 0)).
      ax_col: axes for the column player's view (x axis: q = P(column 0)).
      payoff: the 2 x 2 payoff matrix (payments to the row player).
      value, row_strategy, col_strategy: the solution of the game, marked by a star.
      row_labels, col_labels: names of the pure strategies.
    """
    a = np.asarray(payoff, dtype=float)
    row_labels = row_labels or [f"row {i}" for i in range(a.shape[0])]
    col_labels = col_labels or [f"column {j}" for j in range(a.shape[1])]
    p, q = float(row_strategy[0]), float(col_strategy[0])
    # Row player's view: one line per pure column, payoff as a function of p.
    row_lines = np.stack([_GRID * a[0, j] + (1 - _GRID) * a[1, j] for j in range(a.shape[1])])
    ax_row.clear()
    _envelope_plot(ax_row, row_lines, [f"vs {c}" for c in col_labels], row_lines.min(axis=0),
                   p, value, "p = P(row player picks row 0)",
                   "Row player: payoff\nagainst each column", "guaranteed (min)")
    ax_row.set_ylabel(fit("expected payoff\nto the row player"))
    # Column player's view: one line per pure row, payoff (to the row player) as a function of q.
    col_lines = np.stack([_GRID * a[i, 0] + (1 - _GRID) * a[i, 1] for i in range(a.shape[0])])
    ax_col.clear()
    _envelope_plot(ax_col, col_lines, [f"vs {r}" for r in row_labels], col_lines.max(axis=0),
                   q, value, "q = P(column player picks column 0)",
                   "Column player:\nwhat each row wins", "worst case (max)")


def draw_strategy_path(ax, row_path, col_path, *, row_strategy, col_strategy, label: str) -> None:
    """Draw a learning trajectory in the unit square of (p, q) for a 2 x 2 game.

    Called again on the same axes, it updates the existing lines in place (no
    clearing), which is what keeps an explorer panel fast.

    Args:
      ax: the axes.
      row_path, col_path: arrays (T, 2): the players' mixed strategies over time; the
        first coordinates p_t = P(row 0) and q_t = P(column 0) are drawn.
      row_strategy, col_strategy: an equilibrium, marked by a star.
      label: the name of the dynamics, for the legend.
    """
    p = np.asarray(row_path)[:, 0]
    q = np.asarray(col_path)[:, 0]
    data = [(p, q), (p[:1], q[:1]), (p[-1:], q[-1:]), ([row_strategy[0]], [col_strategy[0]])]
    labels = [label, "start", f"after {len(p) - 1} steps", "equilibrium"]
    artists = getattr(ax, "_strategy_path_artists", None)
    if artists is not None:
        for artist, (x, y), text in zip(artists, data, labels):
            artist.set_data(x, y)
            artist.set_label(text)
        for legend_text, text in zip(ax.get_legend().get_texts(), labels):
            legend_text.set_text(text)
        return
    ax.clear()
    artists = [
        ax.plot(*data[0], color=PALETTE["blue"], lw=1.4, alpha=0.9)[0],
        ax.plot(*data[1], "o", color=PALETTE["green"], ms=8)[0],
        ax.plot(*data[2], "s", color=PALETTE["vermillion"], ms=8)[0],
        ax.plot(*data[3], marker="*", ms=18, color=PALETTE["yellow"], mec=PALETTE["black"],
                ls="none", zorder=5)[0],
    ]
    for artist, text in zip(artists, labels):
        artist.set_label(text)
    ax._strategy_path_artists = artists
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel("p = P(row 0)")
    ax.set_ylabel("q = P(column 0)")
    ax.set_title(fit("Learning dynamics\nin strategy space"))
    legend(ax, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
           frameon=False, below_ncol=2)


def draw_running_mean(ax, running_mean, *, value: float, std: float, label: str = "") -> None:
    """Running mean payoff of repeated play against the value, with a +-2 standard-error band.

    Args:
      ax: the axes.
      running_mean: array (T,), the mean payoff after 1, ..., T rounds.
      value: the game's value, the limit of the running mean under optimal play.
      std: the standard deviation of one round's payoff; the band is value +- 2 std / sqrt(t).
    """
    running_mean = np.asarray(running_mean)
    t = np.arange(1, running_mean.shape[0] + 1)
    band = 2.0 * std / np.sqrt(t)
    ax.fill_between(t, value - band, value + band, color=PALETTE["sky"], alpha=0.3, lw=0,
                    label="value +- 2 standard errors")
    ax.plot(t, running_mean, color=PALETTE["blue"], lw=1.5, label=label or "mean payoff so far")
    ax.axhline(value, color=PALETTE["black"], ls="--", lw=1.2, label=f"value v = {value:.3f}")
    ax.set_xscale("log")
    ax.set_xlabel("rounds played")
    ax.set_ylabel("mean payoff to the row player")
    ax.legend(fontsize="small", loc="upper right")


def draw_exploitability(ax, curves: dict, *, log: bool = True) -> None:
    """Exploitability (duality gap) of learning dynamics against the step, one curve per name."""
    colours = [PALETTE[k] for k in ("blue", "vermillion", "green", "orange", "purple")]
    for index, (name, gap) in enumerate(curves.items()):
        gap = np.asarray(gap)
        steps = np.arange(gap.shape[0])
        ax.plot(steps[1:], np.maximum(gap[1:], 1e-12), color=colours[index % len(colours)], label=name)
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("exploitability (duality gap)")
    ax.set_title("Distance from equilibrium")
    ax.legend(fontsize="small")
