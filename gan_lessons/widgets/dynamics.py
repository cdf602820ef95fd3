"""The explorer panel of lesson 06: gradient methods on the bilinear game and the Dirac-GAN.

Controls: the game, the method, the Dirac-GAN's loss and regulariser (with its
strength), the step size, the number of steps and the start. Left: the
trajectory over the game's vector field; right: the distance from the
equilibrium against the step. The status line gives the spectral radius of one
step linearised at the equilibrium (below 1: converges locally) and, for the
Dirac-GAN, the eigenvalues of the continuous dynamics' Jacobian.

Trajectories are always computed for ``MAX_STEPS`` steps (the "steps" slider
only chooses how many are drawn) and every compiled combination of method, loss
and regulariser is built once when the panel is made, so no control recompiles.
A run that diverges is reported as such, never as an error or a NaN plot.
"""

from __future__ import annotations

import html
import itertools

import ipywidgets as widgets
import numpy as np

from gan_lessons import dynamics as dy
from gan_lessons.plots.dynamics import phase_axes
from gan_lessons.plots.style import PALETTE, large_type, legend, new_figure
from gan_lessons.widgets.base import FigurePanel

__all__ = ["DynamicsExplorer", "MAX_STEPS"]

MAX_STEPS = 400
LIMIT = 2.5
GAMES = ("bilinear a*b", "Dirac-GAN")


class DynamicsExplorer(FigurePanel):
    """Method, step size, steps, start, loss and regulariser; trajectory, radius, spectral radius."""

    def __init__(self, game: str = "bilinear a*b", method: str = "simultaneous") -> None:
        if game not in GAMES:
            raise ValueError(f"game must be one of {GAMES}; got {game!r}")
        slider = dict(continuous_update=False, readout_format=".2f")
        self.game = widgets.ToggleButtons(options=GAMES, value=game, description="game")
        self.method = widgets.Dropdown(options=dy.BILINEAR_METHODS, value=method, description="method")
        self.loss = widgets.Dropdown(options=dy.DIRAC_LOSSES, value="gan", description="loss")
        self.regulariser = widgets.Dropdown(options=dy.DIRAC_REGULARISERS, value="none",
                                            description="regulariser")
        self.strength = widgets.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.05,
                                            description="gamma / noise", **slider)
        self.eta = widgets.FloatLogSlider(value=0.1, base=10, min=-2, max=0.3, step=0.02,
                                          description="step size", continuous_update=False,
                                          readout_format=".3f")
        self.steps = widgets.IntSlider(value=200, min=0, max=MAX_STEPS, description="steps",
                                       continuous_update=False)
        self.a0 = widgets.FloatSlider(value=1.0, min=-2.0, max=2.0, step=0.05, description="start x",
                                      **slider)
        self.b0 = widgets.FloatSlider(value=0.5, min=-2.0, max=2.0, step=0.05, description="start y",
                                      **slider)
        figure, axes = new_figure(12.0, 5.2 if large_type() else 4.8, ncols=2,  # large: legend below
                                  width_ratios=(1.0, 1.2))
        self.axes = axes
        super().__init__([self.game, widgets.HBox([self.method, self.loss, self.regulariser]),
                          widgets.HBox([self.eta, self.strength]),
                          widgets.HBox([self.steps, self.a0, self.b0])], figure,
                         title="Explorer: gradient methods on a game", probe=self.eta)
        grid = np.linspace(-LIMIT, LIMIT, 15)
        self._grid = np.meshgrid(grid, grid)
        self.result: dict = {}
        self._artists: dict | None = None
        self._artists_game: str | None = None
        self._warm_up()
        self.game.observe(self._on_game, names="value")
        self.observe(self.method, self.loss, self.regulariser, self.strength, self.eta, self.steps,
                     self.a0, self.b0)
        self._on_game()

    def _warm_up(self) -> None:
        """Compile every method, loss and regulariser once, before a student moves anything."""
        start = [1.0, 0.5]
        for method in dy.BILINEAR_METHODS:
            dy.bilinear_trajectory(method, 0.1, MAX_STEPS, start)
        for method, loss, regulariser in itertools.product(dy.DIRAC_METHODS, dy.DIRAC_LOSSES,
                                                           dy.DIRAC_REGULARISERS):
            dy.dirac_trajectory(start, 0.1, MAX_STEPS, method=method, loss=loss, regulariser=regulariser)
            dy.dirac_spectral_radius(0.1, method=method, loss=loss, regulariser=regulariser)
        for loss, regulariser in itertools.product(dy.DIRAC_LOSSES, dy.DIRAC_REGULARISERS):
            dy.dirac_vector_field(*self._grid, loss=loss, regulariser=regulariser)
            dy.dirac_eigenvalues(loss, regulariser)

    def _on_game(self, change=None) -> None:
        dirac = self.game.value == "Dirac-GAN"
        options = dy.DIRAC_METHODS if dirac else dy.BILINEAR_METHODS
        self._holding = True
        try:
            if self.method.value not in options:
                self.method.value = options[0]
            self.method.options = options
        finally:
            self._holding = False
        for control in (self.loss, self.regulariser):
            control.disabled = not dirac
        self.update()

    def _run(self) -> tuple[np.ndarray, tuple, str, float, list[str]]:
        start = [self.a0.value, self.b0.value]
        eta, strength = self.eta.value, self.strength.value
        if self.game.value == "bilinear a*b":
            method = self.method.value
            path = dy.bilinear_trajectory(method, eta, MAX_STEPS, start, gamma=strength)
            field = (-self._grid[1], self._grid[0])          # F(a, b) = (-b, a)
            rho = dy.spectral_radius(method, eta, gamma=strength)
            extra = []
            if method == "alternating":
                extra.append("alternating steps conserve a&sup2; &minus; &eta;ab + b&sup2;: the iterates "
                             "cycle on an ellipse (for &eta; &lt; 2).")
            return np.asarray(path), field, f"{method} steps on v(a, b) = ab", rho, extra
        kwargs = dict(loss=self.loss.value, regulariser=self.regulariser.value, gamma=strength,
                      noise_std=strength)
        path = dy.dirac_trajectory(start, eta, MAX_STEPS, method=self.method.value, **kwargs)
        field = dy.dirac_vector_field(*self._grid, **kwargs)
        rho = dy.dirac_spectral_radius(eta, method=self.method.value, **kwargs)
        eigenvalues = dy.dirac_eigenvalues(**{k: kwargs[k] for k in ("loss", "regulariser", "gamma",
                                                                     "noise_std")})
        shown = ", ".join(f"{complex(e).real:+.3f}{complex(e).imag:+.3f}i" for e in eigenvalues)
        verdict = ("negative real parts: the continuous dynamics converge" if np.max(np.real(eigenvalues)) < -1e-9
                   else "zero real parts: the continuous dynamics circle, they do not converge")
        title = f"Dirac-GAN, {self.loss.value} loss, {self.regulariser.value}, {self.method.value}"
        return (np.asarray(path), tuple(np.asarray(c) for c in field), title, rho,
                [f"Jacobian eigenvalues at the equilibrium: {shown} ({verdict})."])

    def _create(self, labels, title) -> None:
        """Build the artists once per game; later redraws only move their data."""
        left, right = self.axes
        left.clear()
        right.clear()
        zeros = np.zeros_like(self._grid[0])
        a = {"field": left.quiver(*self._grid, zeros, zeros, color=PALETTE["grey"], alpha=0.8,
                                  pivot="mid", scale=28, width=0.004, animated=True)}
        a["path"] = left.plot([], [], color=PALETTE["blue"], lw=1.4, animated=True)[0]
        a["start"] = left.plot([], [], "o", color=PALETTE["green"], ms=8, label="start", animated=True)[0]
        a["end"] = left.plot([], [], "s", color=PALETTE["vermillion"], ms=8, label="last step",
                             animated=True)[0]
        phase_axes(left, limit=LIMIT, labels=labels, title=title)
        legend(left, loc="upper right", fontsize="small", framealpha=0.85, below_ncol=3)
        a["radius"] = right.plot([], [], color=PALETTE["blue"], animated=True)[0]
        right.set(yscale="log", xlim=(0, MAX_STEPS), xlabel="step",
                  ylabel="distance from equilibrium", title="Radius against step")
        self._artists = a

    def draw(self) -> list[str]:
        if getattr(self, "_holding", False):
            return []
        full, field, title, rho, extra = self._run()
        n = self.steps.value
        path = full[: n + 1]
        diverged, at = dy.diverged(path)
        dirac = self.game.value == "Dirac-GAN"
        labels = ("theta (generator)", "psi (discriminator)") if dirac else ("a (minimises)", "b (maximises)")
        first = self._artists is None or self._artists_game != self.game.value
        if first:
            self._create(labels, "Dirac-GAN" if dirac else "Bilinear game v(a, b) = ab")
            self._artists_game = self.game.value
        a = self._artists
        u, v = (np.asarray(c) for c in field)
        norm = np.hypot(u, v)
        scale = 1.0 / np.maximum(norm, 1e-12)
        a["field"].set_UVC(u * scale, v * scale)  # directions only: the field's size varies a lot
        a["path"].set_data(path[:, 0], path[:, 1])
        a["start"].set_data(path[:1, 0], path[:1, 1])
        a["end"].set_data(path[-1:, 0], path[-1:, 1])
        radius = np.maximum(np.hypot(path[:, 0], path[:, 1]), 1e-12)
        a["radius"].set_data(np.arange(len(radius)), radius)
        lo = 10.0 ** np.floor(np.log10(radius.min()))
        hi = 10.0 ** np.ceil(np.log10(radius.max() * 1.01))
        right = self.axes[1]
        if right.get_ylim() != (lo, hi):
            right.set_ylim(lo, hi)
            self.changed_axes = None if first else [right]
        elif not first:
            self.blit = True
        self.result = {"path": path, "diverged": diverged, "diverged_at": at, "spectral_radius": rho}
        verdict = ("converges (locally)" if rho < 1 - 1e-9 else
                   "neither grows nor shrinks to first order" if rho < 1 + 1e-9 else "spirals out")
        lines = [f"<b>{html.escape(title)}</b>: spectral radius of one step at the equilibrium "
                 f"{rho:.5f} &rarr; {verdict}."]
        lines += extra
        if diverged:
            lines.append(f"<b style='color:#b3261e'>diverged</b> at step {at}: the distance from the "
                         f"equilibrium passed {dy.DIVERGENCE_RADIUS:.0e}; the run stops there.")
        else:
            lines.append(f"distance from the equilibrium after {n} steps: {float(radius[-1]):.4g}")
        return lines
