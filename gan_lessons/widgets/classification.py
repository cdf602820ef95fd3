"""The explorer panel of lesson 04: Bayes' rule for two Gaussian classes in 1-D.

Sliders set the two class-conditional densities p(x | C_k) = N(mu_k, s_k^2)
and the prior P(C_1). Left: the joint densities p(x | C_k) P(C_k), whose sum is
p(x); middle: the log-odds a(x) = ln[p(x|C_1)P(C_1) / (p(x|C_2)P(C_2))], a
straight line when the two standard deviations are equal and a parabola
otherwise; right: the posterior P(C_1 | x) = sigmoid(a(x)).

Every axis limit is fixed, so each slider move only blits the curves.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from gan_lessons.densities import Gaussian
from gan_lessons.plots.style import PALETTE, large_type, legend, new_figure
from gan_lessons.widgets.base import FigurePanel

__all__ = ["BayesExplorer"]

X_RANGE = (-6.0, 6.0)
LOG_ODDS_RANGE = (-12.0, 12.0)


class BayesExplorer(FigurePanel):
    """Two Gaussian classes: joint densities, log-odds and the posterior."""

    def __init__(self, mu_1: float = 1.0, s_1: float = 1.0, mu_2: float = -1.0, s_2: float = 1.0,
                 prior_1: float = 0.5) -> None:
        slider = dict(continuous_update=False, readout_format=".2f")
        self.mu_1 = widgets.FloatSlider(value=mu_1, min=-3, max=3, step=0.1, description="mean C1", **slider)
        self.s_1 = widgets.FloatSlider(value=s_1, min=0.3, max=3, step=0.05, description="std C1", **slider)
        self.mu_2 = widgets.FloatSlider(value=mu_2, min=-3, max=3, step=0.1, description="mean C2", **slider)
        self.s_2 = widgets.FloatSlider(value=s_2, min=0.3, max=3, step=0.05, description="std C2", **slider)
        self.prior_1 = widgets.FloatSlider(value=prior_1, min=0.02, max=0.98, step=0.02,
                                           description="P(C1)", **slider)
        figure, axes = new_figure(13.0, 4.4 if large_type() else 3.8, ncols=3)  # large: legend below
        self.axes = axes
        super().__init__([widgets.HBox([widgets.VBox([self.mu_1, self.s_1]),
                                        widgets.VBox([self.mu_2, self.s_2]), self.prior_1])],
                         figure, title="Explorer: Bayes' rule for two classes", probe=self.mu_1)
        self.x = np.linspace(*X_RANGE, 601)
        joint, log_odds, post = axes
        style = dict(animated=True)
        self._lines = {
            "c1": joint.plot([], [], color=PALETTE["blue"], label="p(x|C1) P(C1)", **style)[0],
            "c2": joint.plot([], [], color=PALETTE["vermillion"], label="p(x|C2) P(C2)", **style)[0],
            "px": joint.plot([], [], color=PALETTE["black"], ls="--", lw=1.2, label="p(x)", **style)[0],
            "a": log_odds.plot([], [], color=PALETTE["purple"], label="a(x)", **style)[0],
            "post": post.plot([], [], color=PALETTE["blue"], label="P(C1 | x) = sigmoid(a)", **style)[0],
        }
        joint.set(xlim=X_RANGE, ylim=(0, 1.35), xlabel="x", title="Class densities times priors")
        joint.legend(fontsize="small", loc="upper left")
        log_odds.axhline(0, color=PALETTE["grey"], lw=0.8)
        log_odds.set(xlim=X_RANGE, ylim=LOG_ODDS_RANGE, xlabel="x", title="Log-odds a(x)")
        post.axhline(0.5, color=PALETTE["grey"], lw=0.8, ls=":")
        post.set(xlim=X_RANGE, ylim=(-0.02, 1.02), xlabel="x", title="Posterior P(C1 | x)")
        legend(post, fontsize="small", loc="upper left")
        self.result: dict = {}
        self.observe(self.mu_1, self.s_1, self.mu_2, self.s_2, self.prior_1)
        self.update()

    def draw(self) -> list[str]:
        x, pi = self.x, self.prior_1.value
        c1, c2 = Gaussian(self.mu_1.value, self.s_1.value), Gaussian(self.mu_2.value, self.s_2.value)
        log_1 = np.asarray(c1.log_prob(x), dtype=float) + math.log(pi)
        log_2 = np.asarray(c2.log_prob(x), dtype=float) + math.log(1 - pi)
        a = log_1 - log_2
        posterior = 1.0 / (1.0 + np.exp(-a))
        self._lines["c1"].set_data(x, np.exp(log_1))
        self._lines["c2"].set_data(x, np.exp(log_2))
        self._lines["px"].set_data(x, np.exp(log_1) + np.exp(log_2))
        self._lines["a"].set_data(x, a)
        self._lines["post"].set_data(x, posterior)
        self.blit = True
        s1, s2, m1, m2 = self.s_1.value, self.s_2.value, self.mu_1.value, self.mu_2.value
        # a(x) = alpha x^2 + beta x + gamma, from the two Gaussian log densities
        alpha = 1 / (2 * s2 ** 2) - 1 / (2 * s1 ** 2)
        beta = m1 / s1 ** 2 - m2 / s2 ** 2
        gamma = (m2 ** 2 / (2 * s2 ** 2) - m1 ** 2 / (2 * s1 ** 2) + math.log(s2 / s1)
                 + math.log(pi / (1 - pi)))
        self.result = {"log_odds": a, "posterior": posterior, "coefficients": (alpha, beta, gamma)}
        shape = ("a straight line: equal spreads make the posterior a logistic function of x, exactly "
                 "the model of logistic regression" if abs(alpha) < 1e-12 else
                 "a parabola: unequal spreads give a quadratic log-odds")
        return [f"a(x) = {alpha:+.3f} x&sup2; {beta:+.3f} x {gamma:+.3f} &mdash; {shape}."]
