"""The explorer panel of lesson 03: one Gaussian fitted to two modes, three ways.

Sliders set the target, a mixture of two unit-variance Gaussians (their
separation and the weight of the left one), and where the fits start. For each
divergence (forward KL, reverse KL, JSD) a Gaussian is fitted by Adam on a
quadrature of the divergence: a jitted ``lax.scan`` of ``STEPS`` steps whose
whole trajectory comes back in one call. The "step" slider (or its play button)
replays the fits; the chosen divergence is drawn solid, the others dashed.

All target and start values are traced arguments of the compiled fit, so
moving a slider never recompiles.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from gan_lessons.densities import Gaussian, two_mode_mixture
from gan_lessons.fitting import fit_gaussian
from gan_lessons.plots.style import PALETTE, fit, large_type, legend, new_figure
from gan_lessons.widgets.base import FigurePanel

__all__ = ["FitExplorer", "DIVERGENCE_NAMES"]

STEPS = 400
LEARNING_RATE = 0.05
X_RANGE = (-9.0, 9.0)
DIVERGENCE_NAMES = {"forward KL": "forward_kl", "reverse KL": "reverse_kl", "JSD": "js"}
_COLOURS = {"forward_kl": PALETTE["blue"], "reverse_kl": PALETTE["vermillion"], "js": PALETTE["green"]}
_LABELS = {"forward_kl": "forward KL(p||q)", "reverse_kl": "reverse KL(q||p)", "js": "JSD(p, q)"}


class FitExplorer(FigurePanel):
    """Mode separation, weights, start and divergence; watch the fitted Gaussians move."""

    def __init__(self, separation: float = 6.0, weight: float = 0.5, init_mean: float = 2.0) -> None:
        slider = dict(continuous_update=False, readout_format=".2f")
        self.separation = widgets.FloatSlider(value=separation, min=0.0, max=8.0, step=0.25,
                                              description="separation", **slider)
        self.weight = widgets.FloatSlider(value=weight, min=0.1, max=0.9, step=0.05,
                                          description="left weight", **slider)
        self.init_mean = widgets.FloatSlider(value=init_mean, min=-5.0, max=5.0, step=0.25,
                                             description="start mean", **slider)
        self.divergence = widgets.ToggleButtons(options=list(DIVERGENCE_NAMES), value="reverse KL",
                                                description="highlight")
        self.step = widgets.IntSlider(value=STEPS, min=0, max=STEPS, step=5, description="step",
                                      continuous_update=True)
        self.play = widgets.Play(min=0, max=STEPS, step=10, interval=120, description="replay")
        widgets.jslink((self.play, "value"), (self.step, "value"))
        figure, axes = new_figure(12.0, 5.2 if large_type() else 4.2, ncols=2,  # large: legend below
                                  width_ratios=(1.6, 1.0))
        self.axes = axes
        super().__init__([widgets.HBox([widgets.VBox([self.separation, self.weight]),
                                        widgets.VBox([self.init_mean, self.divergence])]),
                          widgets.HBox([self.play, self.step])],
                         figure, title="Explorer: fitting one Gaussian to two modes", probe=self.separation)
        self.grid = np.linspace(*X_RANGE, 721)
        self.fits: dict = {}
        self._fit_key: tuple | None = None
        self._artists: dict | None = None
        self.observe(self.separation, self.weight, self.init_mean, self.divergence, self.step)
        self.update()

    def target(self):
        """The current target density p."""
        return two_mode_mixture(self.separation.value, weight=self.weight.value, std=1.0)

    def _refit(self) -> None:
        key = (self.separation.value, self.weight.value, self.init_mean.value)
        if key == self._fit_key:
            return
        target = self.target()
        self.fits = {name: fit_gaussian(target, name, init_mean=self.init_mean.value, init_std=1.0,
                                        steps=STEPS, learning_rate=LEARNING_RATE,
                                        lo=X_RANGE[0] - 3.0, hi=X_RANGE[1] + 3.0)
                     for name in DIVERGENCE_NAMES.values()}
        self.fits = {name: {"means": np.asarray(f.means), "stds": np.asarray(f.stds),
                            "losses": np.asarray(f.losses)} for name, f in self.fits.items()}
        self._target_density = np.asarray(target.prob(self.grid))
        self._fit_key = key

    def _create_artists(self) -> None:
        left, right = self.axes
        left.clear()
        right.clear()
        artists = {"target_fill": None,
                   "target": left.plot([], [], color=PALETTE["black"], lw=2.5, label="target p")[0]}
        for name in DIVERGENCE_NAMES.values():
            artists[name] = left.plot([], [], color=_COLOURS[name], label=_LABELS[name])[0]
            artists[name + "_path"] = right.plot([], [], color=_COLOURS[name], lw=1.5,
                                                 label=_LABELS[name])[0]
            artists[name + "_dot"] = right.plot([], [], "o", color=_COLOURS[name], ms=8)[0]
        artists["start"] = right.plot([], [], "s", color=PALETTE["black"], ms=7, label="start")[0]
        left.set_xlim(*X_RANGE)
        left.set_ylim(0, 0.75)
        left.set_xlabel("x")
        left.set_ylabel("density")
        left.legend(loc="upper left", fontsize="small")
        right.set_xlim(-5.5, 5.5)
        right.set_ylim(0, 5.0)
        right.set_xlabel("mean of q")
        right.set_ylabel("standard deviation of q")
        right.set_title(fit("Paths of the fits\nin parameter space"))
        legend(right, loc="upper right", fontsize="small", below_ncol=2)
        self._artists = artists

    def draw(self) -> list[str]:
        self._refit()
        if self._artists is None:
            self._create_artists()
        a, left = self._artists, self.axes[0]
        t = self.step.value
        chosen = DIVERGENCE_NAMES[self.divergence.value]
        x = self.grid
        a["target"].set_data(x, self._target_density)
        if a["target_fill"] is not None:
            a["target_fill"].remove()
        a["target_fill"] = left.fill_between(x, self._target_density, color=PALETTE["grey"],
                                             alpha=0.25, lw=0)
        rows = []
        for name, run in self.fits.items():
            mean, std = run["means"][t], run["stds"][t]
            a[name].set_data(x, np.asarray(Gaussian(mean, std).prob(x)))
            a[name].set_linestyle("-" if name == chosen else "--")
            a[name].set_linewidth(3.0 if name == chosen else 1.5)
            a[name + "_path"].set_data(run["means"][: t + 1], run["stds"][: t + 1])
            a[name + "_dot"].set_data([mean], [std])
            rows.append(f"<tr><td><b>{_LABELS[name]}</b></td><td align=center>{mean:+.3f}</td>"
                        f"<td align=center>{std:.3f}</td><td align=center>{run['losses'][t]:.4f}</td></tr>")
        a["start"].set_data([self.init_mean.value], [1.0])
        left.set_title(f"Fits after {t} of {STEPS} Adam steps")
        target = self.target()
        mix_mean = float(target.mean_value)
        mix_std = float(np.sqrt(target.variance))
        return [
            "<table style='border-collapse:collapse'><tr><th></th><th style='padding:0 1em'>mean</th>"
            "<th style='padding:0 1em'>std</th><th style='padding:0 1em'>divergence (nats)</th></tr>"
            + "".join(rows) + "</table>",
            f"The target's own mean and std are {mix_mean:+.3f} and {mix_std:.3f}: forward KL "
            "(maximum likelihood) converges to exactly these (moment matching).",
        ]
