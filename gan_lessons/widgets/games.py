"""The explorer panel of lesson 01: edit a 2 x 2 zero-sum game and watch it being solved.

Left: the row player's expected payoff against each pure column as she mixes
her rows (her guaranteed payoff is the lower envelope); middle: the same for
the column player; right: a learning-dynamics trajectory (fictitious play or
simultaneous gradient play) in the square of mixed strategies.

Trajectories are always computed for ``MAX_STEPS`` steps with a fixed shape,
so moving any numeric control reuses the compiled JAX code; the "steps"
slider only chooses how much of the trajectory is drawn.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from gan_lessons import games
from gan_lessons.plots.games import draw_payoff_lines, draw_strategy_path
from gan_lessons.plots.style import large_type, new_figure
from gan_lessons.widgets.base import FigurePanel

__all__ = ["PRESETS", "ZeroSumExplorer"]

MAX_STEPS = 400

#: Example games offered by the panel: (payoff, row labels, column labels).
PRESETS: dict[str, tuple[list[list[float]], tuple[str, str], tuple[str, str]]] = {
    "donut game (lecture)": (games.DONUT_GAME.payoff.tolist(), tuple(games.DONUT_GAME.row_labels),
                             tuple(games.DONUT_GAME.col_labels)),
    "matching pennies": ([[1.0, -1.0], [-1.0, 1.0]], ("heads", "tails"), ("heads", "tails")),
    "saddle point": ([[3.0, 1.0], [4.0, 2.0]], ("row 0", "row 1"), ("column 0", "column 1")),
    "dominated row": ([[1.0, 3.0], [0.0, 2.0]], ("row 0", "row 1"), ("column 0", "column 1")),
    "all ties": ([[1.0, 1.0], [1.0, 1.0]], ("row 0", "row 1"), ("column 0", "column 1")),
}
DYNAMICS = ("fictitious play", "gradient play")


class ZeroSumExplorer(FigurePanel):
    """Edit a 2 x 2 payoff matrix; see payoff lines, the equilibrium, the value and learning."""

    def __init__(self, preset: str = "donut game (lecture)", *, dynamics: str = "gradient play") -> None:
        if preset not in PRESETS:
            raise ValueError(f"preset must be one of {', '.join(map(repr, PRESETS))}; got {preset!r}")
        if dynamics not in DYNAMICS:
            raise ValueError(f"dynamics must be one of {', '.join(map(repr, DYNAMICS))}; got {dynamics!r}")
        cell = dict(min=-20.0, max=20.0, step=0.5, layout=widgets.Layout(width="9em"))
        self.preset = widgets.Dropdown(options=list(PRESETS) + ["custom"], value=preset,
                                       description="game")
        self.entries = [[widgets.BoundedFloatText(description=f"A[{i},{j}]", **cell) for j in range(2)]
                        for i in range(2)]
        self.dynamics = widgets.ToggleButtons(options=DYNAMICS, value=dynamics, description="dynamics")
        self.eta = widgets.FloatLogSlider(value=0.05, base=10, min=-2.5, max=-0.3, step=0.05,
                                          description="step size", continuous_update=False,
                                          readout_format=".3f")
        self.steps = widgets.IntSlider(value=200, min=1, max=MAX_STEPS, description="steps",
                                       continuous_update=False)
        self.p0 = widgets.FloatSlider(value=0.8, min=0.0, max=1.0, step=0.05, description="start p",
                                      continuous_update=False)
        self.q0 = widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.05, description="start q",
                                      continuous_update=False)
        # large type: room for two-line titles and the legends below the axes
        figure, axes = new_figure(14.0, 5.6 if large_type() else 4.4, ncols=3)
        self.axes = axes
        matrix = widgets.VBox([widgets.HBox(row) for row in self.entries])
        controls = [
            widgets.HBox([self.preset, matrix]),
            self.dynamics,
            widgets.HBox([self.eta, self.steps]),
            widgets.HBox([self.p0, self.q0]),
        ]
        super().__init__(controls, figure, title="Explorer: a 2 x 2 zero-sum game", probe=self.eta)
        self.labels = PRESETS[preset][1:]
        self.result: dict = {}
        self._drawn_game: tuple | None = None
        self._loading = False
        self._load_preset()
        self.preset.observe(self._on_preset, names="value")
        for row in self.entries:
            for entry in row:
                entry.observe(self._on_entry, names="value")
        self.observe(self.dynamics, self.eta, self.steps, self.p0, self.q0)
        self.update()

    # -- controls -------------------------------------------------------------------------------
    @property
    def payoff(self) -> np.ndarray:
        return np.array([[entry.value for entry in row] for row in self.entries], dtype=float)

    def set_payoff(self, payoff) -> None:
        """Set all four entries at once (one redraw)."""
        payoff = np.asarray(payoff, dtype=float)
        self._loading = True
        try:
            for i in range(2):
                for j in range(2):
                    self.entries[i][j].value = float(payoff[i, j])
        finally:
            self._loading = False
        self.update()

    def _load_preset(self) -> None:
        payoff, rows, cols = PRESETS[self.preset.value]
        self.labels = (rows, cols)
        self._loading = True
        try:
            for i in range(2):
                for j in range(2):
                    self.entries[i][j].value = payoff[i][j]
        finally:
            self._loading = False

    def _on_preset(self, change) -> None:
        if change["new"] == "custom":
            return
        self._load_preset()
        self.update()

    def _on_entry(self, change) -> None:
        if self._loading:
            return
        if self.preset.value != "custom":
            self.labels = (("row 0", "row 1"), ("column 0", "column 1"))
            self._loading = True
            self.preset.value = "custom"
            self._loading = False
        self.update()

    # -- drawing --------------------------------------------------------------------------------
    def _trajectory(self, payoff: np.ndarray):
        if self.dynamics.value == "fictitious play":
            first_row = 0 if self.p0.value >= 0.5 else 1
            first_col = 0 if self.q0.value >= 0.5 else 1
            return games.fictitious_play(payoff, MAX_STEPS, first_row=first_row, first_col=first_col)
        p, q = self.p0.value, self.q0.value
        return games.gradient_play(payoff, [p, 1.0 - p], [q, 1.0 - q], self.eta.value, MAX_STEPS)

    def draw(self) -> list[str]:
        if self._loading:
            return []
        payoff = self.payoff
        rows, cols = self.labels
        game_key = (payoff.tobytes(), rows, cols)
        if game_key == self._drawn_game:
            # Only the learning dynamics changed: the payoff lines stay as they are.
            solution = self.result["solution"]
            self.changed_axes = [self.axes[2]]
        else:
            solution = games.solve_zero_sum(payoff)
            draw_payoff_lines(self.axes[0], self.axes[1], payoff, value=solution.value,
                              row_strategy=solution.row_strategy, col_strategy=solution.col_strategy,
                              row_labels=list(rows), col_labels=list(cols))
            if self._drawn_game is not None:
                # Other payoffs, other y tick labels (wider for -17.5 than for -2): solve the
                # layout again in this full render, or the y label may leave the figure.
                self.figure.set_layout_engine("constrained")
            self._drawn_game = game_key
        path = self._trajectory(payoff)
        n = self.steps.value
        row_path, col_path = np.asarray(path.row)[: n + 1], np.asarray(path.col)[: n + 1]
        draw_strategy_path(self.axes[2], row_path, col_path, row_strategy=solution.row_strategy,
                           col_strategy=solution.col_strategy, label=self.dynamics.value)
        gap = float(np.asarray(path.exploitability)[n])
        self.result = {"solution": solution, "row_path": row_path, "col_path": col_path,
                       "exploitability": gap}
        x, y = solution.row_strategy, solution.col_strategy
        return [
            f"<b>value</b> v = {solution.value:.4g} &nbsp; <b>row player</b> x* = "
            f"({x[0]:.3f}, {x[1]:.3f}) &nbsp; <b>column player</b> y* = ({y[0]:.3f}, {y[1]:.3f})",
            html.escape(games.describe_game(payoff)).replace("\n", "<br>"),
            f"{self.dynamics.value}: after {n} steps the exploitability (duality gap) is {gap:.3g}",
        ]
