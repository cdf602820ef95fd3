"""The explorer panels of lesson 05: the optimal discriminator, and the generator's gradients.

``OptimalDiscriminatorExplorer``: p_data is fixed; sliders move and widen p_g.
The left plot shows both densities, D*(x) = p_data / (p_data + p_g), and the
discriminator a small network learned from samples (press "Retrain" after
moving p_g). The right plot shows C(G) = max_D V(G, D) as p_g's mean slides,
with its minimum -ln 4 where p_g = p_data. The status line compares V of the
trained network with C(G) and with -ln 4 + 2 JSD.

``GeneratorGradientExplorer``: a slider for D(G(z)); both generator losses and
the size of their gradients with respect to the discriminator's logit.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import jax
import numpy as np

from gan_lessons import optimal_discriminator as disc
from gan_lessons.training import discriminator as disc_training
from gan_lessons import divergences as dv
from gan_lessons.runtime import by_mode
from gan_lessons.densities import Gaussian, GaussianMixture
from gan_lessons.plots.style import PALETTE, fit, large_type, legend, new_figure
from gan_lessons.widgets.base import FigurePanel

__all__ = ["OptimalDiscriminatorExplorer", "GeneratorGradientExplorer", "P_DATA"]

#: The data distribution of the panel (fixed): a two-mode mixture.
P_DATA = GaussianMixture(means=[-1.5, 1.5], stds=[0.6, 0.8], weights=[0.4, 0.6])
X_RANGE = (-6.0, 6.0)
SHIFTS = np.linspace(-4.0, 4.0, 81)


class OptimalDiscriminatorExplorer(FigurePanel):
    """Move p_g; see D*, a trained D (on "Retrain"), V, JSD and C(G)."""

    def __init__(self, shift: float = 1.0, std: float = 1.2, *, retrain_steps: int | None = None,
                 train_now: bool = True) -> None:
        slider = dict(continuous_update=False, readout_format=".2f")
        self.shift = widgets.FloatSlider(value=shift, min=-4.0, max=4.0, step=0.1,
                                         description="mean of p_g", **slider)
        self.std = widgets.FloatSlider(value=std, min=0.3, max=3.0, step=0.05,
                                       description="std of p_g", **slider)
        self.retrain_button = widgets.Button(description="Retrain D", icon="refresh",
                                             button_style="primary")
        self.retrain_steps = retrain_steps or by_mode(2000, 600)
        # large type: room for the legends below the axes
        figure, axes = new_figure(12.5, 5.4 if large_type() else 4.2, ncols=2, width_ratios=(1.5, 1.0))
        self.axes = axes
        super().__init__([widgets.HBox([self.shift, self.std, self.retrain_button])], figure,
                         title="Explorer: the optimal discriminator", probe=self.shift)
        # Wider than the view, so that V(G, D) by quadrature sees (nearly) all of p_g's mass.
        self.grid = np.linspace(-10.0, 10.0, 1001)
        self.trained = None          # DiscriminatorFit of the last retraining
        self.trained_for = None      # the (shift, std) it was trained for
        self.result: dict = {}
        self._artists = None
        self._seed = 0
        self.retrain_button.on_click(lambda _: self.retrain())
        self.observe(self.shift, self.std)
        if train_now:
            self.retrain()
        else:
            self.update()

    def p_g(self) -> Gaussian:
        return Gaussian(self.shift.value, self.std.value)

    def retrain(self) -> None:
        """Train a fresh discriminator on samples of p_data and the current p_g."""
        self.retrain_button.disabled = True
        try:
            self._seed += 1
            self.trained = disc_training.train_discriminator(jax.random.key(self._seed), P_DATA, self.p_g(),
                                                    steps=self.retrain_steps, grid=self.grid)
            self.trained_for = (self.shift.value, self.std.value)
        finally:
            self.retrain_button.disabled = False
        self.update()

    def _criterion_curve(self) -> np.ndarray:
        return np.array([float(disc.criterion(P_DATA, Gaussian(s, self.std.value))) for s in SHIFTS])

    def _create(self) -> None:
        left, right = self.axes
        a = {}
        a["p_data"] = left.plot([], [], color=PALETTE["blue"], label="p_data")[0]
        a["p_g"] = left.plot([], [], color=PALETTE["vermillion"], label="p_g")[0]
        a["d_star"] = left.plot([], [], color=PALETTE["black"], lw=2.5, label="D*(x)")[0]
        a["d_trained"] = left.plot([], [], color=PALETTE["green"], lw=2.0, ls="--",
                                   label="trained D(x)")[0]
        left.axhline(0.5, color=PALETTE["grey"], lw=0.8, ls=":")
        left.set_xlim(*X_RANGE)
        left.set_ylim(0, 1.05)
        left.set_xlabel("x")
        left.set_title("Densities and discriminators")
        legend(left, loc="upper left", fontsize="small")
        a["curve"] = right.plot([], [], color=PALETTE["purple"], label="C(G) = max_D V(G, D)")[0]
        right.axhline(-math.log(4), color=PALETTE["black"], ls="--", lw=1, label="-ln 4")
        a["here"] = right.plot([], [], "o", color=PALETTE["vermillion"], ms=14, mfc="none", mew=2.5,
                               label="current p_g", zorder=5)[0]
        a["trained_value"] = right.plot([], [], "s", color=PALETTE["green"], ms=8,
                                        label="V(G, trained D)")[0]
        right.set_xlim(SHIFTS[0], SHIFTS[-1])
        right.set_ylim(-math.log(4) - 0.08, 0.05)
        right.set_xlabel("mean of p_g")
        right.set_title("The criterion C(G) as p_g slides")
        legend(right, loc="upper center", fontsize="small", below_ncol=1)
        self._artists = a
        self._curve_std = None

    def draw(self) -> list[str]:
        if self._artists is None:
            self._create()
        a, x = self._artists, self.grid
        p_g = self.p_g()
        d_star = np.asarray(disc.optimal_discriminator(P_DATA, p_g, x))
        c = float(disc.criterion(P_DATA, p_g))
        js = float(dv.js_quadrature(P_DATA, p_g))
        a["p_data"].set_data(x, np.asarray(P_DATA.prob(x)))
        a["p_g"].set_data(x, np.asarray(p_g.prob(x)))
        a["d_star"].set_data(x, d_star)
        if self._curve_std != self.std.value:
            a["curve"].set_data(SHIFTS, self._criterion_curve())
            self._curve_std = self.std.value
        a["here"].set_data([self.shift.value], [c])
        lines = [f"<b>C(G)</b> = {c:.4f} by quadrature; &minus;ln 4 + 2 JSD = {-math.log(4) + 2 * js:.4f} "
                 f"(JSD = {js:.4f}); the minimum &minus;ln 4 = {-math.log(4):.4f} needs p_g = p_data."]
        stale = self.trained_for != (self.shift.value, self.std.value)
        if self.trained is not None:
            a["d_trained"].set_data(np.asarray(self.trained.grid), np.asarray(self.trained.probabilities))
            a["d_trained"].set_alpha(0.35 if stale else 1.0)
            a["d_trained"].set_label("trained D (old p_g: press Retrain)" if stale else "trained D(x)")
            legend(self.axes[0], loc="upper left", fontsize="small")
            value = float(self.trained.value)
            a["trained_value"].set_data([self.trained_for[0]], [value])
            lines.append(
                f"<b>trained D</b> ({self.retrain_steps} steps): V(G, D) = {value:.4f}"
                + (f", {c - value:.4f} below C(G)" if not stale else " for the previous p_g")
                + f"; max |D - D*| where the densities have mass: {self._max_gap(d_star):.3f}"
                + (" &mdash; <i>p_g moved: press Retrain</i>" if stale else ""))
        self.result = {"criterion": c, "js": js, "d_star": d_star, "stale": stale}
        return lines

    def _max_gap(self, d_star: np.ndarray) -> float:
        mass = np.asarray(P_DATA.prob(self.grid)) + np.asarray(self.p_g().prob(self.grid))
        gap = np.abs(np.asarray(self.trained.probabilities) - d_star)
        return float(np.max(gap[mass > 0.05])) if np.any(mass > 0.05) else 0.0


class GeneratorGradientExplorer(FigurePanel):
    """A slider for D(G(z)): the two generator losses and the size of their gradients."""

    def __init__(self, d: float = 0.1) -> None:
        self.d = widgets.FloatLogSlider(value=d, base=10, min=-4, max=math.log10(0.999), step=0.01,
                                        description="D(G(z))", readout_format=".4f",
                                        continuous_update=True)
        figure, axes = new_figure(12.0, 4.6 if large_type() else 3.8, ncols=2)  # large: legends below
        self.axes = axes
        super().__init__([self.d], figure, title="Explorer: saturating vs non-saturating generator loss",
                         probe=self.d)
        grid = np.geomspace(1e-4, 0.999, 400)
        saturating, non_saturating = (np.asarray(g) for g in disc.generator_gradient_magnitudes(grid))
        left, right = axes
        left.plot(grid, np.log1p(-grid), color=PALETTE["vermillion"], label="saturating: ln(1 - D)")
        left.plot(grid, -np.log(grid), color=PALETTE["blue"], label="non-saturating: -ln D")
        left.set_xscale("log")
        left.set_xlabel("D(G(z))")
        left.set_title(fit("Generator losses\n(the generator minimises them)"))
        legend(left, fontsize="small", below_ncol=1)
        right.plot(grid, saturating, color=PALETTE["vermillion"], label="|d/dl ln(1 - D)| = D")
        right.plot(grid, non_saturating, color=PALETTE["blue"], label="|d/dl (-ln D)| = 1 - D")
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_ylim(5e-5, 2)
        right.set_xlabel("D(G(z))")
        right.set_title(fit("Gradient size with respect\nto the logit l"))
        legend(right, fontsize="small", loc="lower right", below_ncol=1)
        self._markers = [ax.axvline(d, color=PALETTE["black"], lw=1.2, ls="--", animated=True)
                         for ax in axes]
        self._points = [right.plot([], [], "o", color=c, ms=8, animated=True)[0]
                        for c in (PALETTE["vermillion"], PALETTE["blue"])]
        self.result: dict = {}
        self.observe(self.d)
        self.update()

    def draw(self) -> list[str]:
        d = float(self.d.value)
        saturating, non_saturating = (float(np.asarray(g)) for g in disc.generator_gradients(d))
        for marker in self._markers:
            marker.set_xdata([d, d])
        self._points[0].set_data([d], [abs(saturating)])
        self._points[1].set_data([d], [abs(non_saturating)])
        self.blit = True
        self.result = {"saturating": saturating, "non_saturating": non_saturating}
        return [f"At D(G(z)) = {d:.4f}: saturating gradient {saturating:+.4f}, non-saturating "
                f"{non_saturating:+.4f} (ratio {abs(non_saturating) / max(abs(saturating), 1e-12):,.0f} : 1). "
                "Early in training, when the discriminator easily spots fakes (D(G(z)) near 0), only the "
                "non-saturating loss still gives the generator a useful gradient."]
