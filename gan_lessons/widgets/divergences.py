"""The explorer panel of lesson 02: two Gaussians, their KL divergences, JSD and KS.

Four sliders set p = N(mu_p, sigma_p^2) and q = N(mu_q, sigma_q^2). The left
plot shows the densities, the right one the two KL integrands, whose areas are
KL(p||q) and KL(q||p). The status line compares each divergence three ways:
the closed form, numerical quadrature, and a Monte-Carlo estimate with its
standard error; and gives the Kolmogorov-Smirnov statistic of two samples.

Samples are drawn as mu + sigma * z with fixed standard-normal draws z, so the
Monte-Carlo and KS numbers move smoothly with the sliders instead of jumping,
and all JAX functions see arrays of fixed shapes: nothing recompiles.
"""

from __future__ import annotations

import ipywidgets as widgets
import jax
import numpy as np

from gan_lessons import divergences as dv
from gan_lessons.densities import Gaussian
from gan_lessons.plots.divergences import draw_kl_integrands, draw_two_densities
from gan_lessons.plots.style import large_type, new_figure
from gan_lessons.widgets.base import FigurePanel

__all__ = ["DivergenceExplorer"]

X_RANGE = (-8.0, 8.0)
SAMPLE_SIZES = (50, 200, 1000, 5000)
MC_SAMPLES = 4000


class DivergenceExplorer(FigurePanel):
    """Sliders for two Gaussians; densities, KL integrands, KL both ways, JSD and KS."""

    def __init__(self, mu_p: float = 0.0, sigma_p: float = 1.0, mu_q: float = 1.0,
                 sigma_q: float = 1.5) -> None:
        slider = dict(step=0.05, continuous_update=False, readout_format=".2f")
        self.mu_p = widgets.FloatSlider(value=mu_p, min=-3.0, max=3.0, description="mean p", **slider)
        self.sigma_p = widgets.FloatSlider(value=sigma_p, min=0.3, max=3.0, description="std p", **slider)
        self.mu_q = widgets.FloatSlider(value=mu_q, min=-3.0, max=3.0, description="mean q", **slider)
        self.sigma_q = widgets.FloatSlider(value=sigma_q, min=0.3, max=3.0, description="std q", **slider)
        self.sample_size = widgets.Dropdown(options=SAMPLE_SIZES, value=200,
                                            description="KS sample")
        figure, axes = new_figure(12.0, 4.8 if large_type() else 4.0, ncols=2)  # large: legend below
        self.axes = axes
        super().__init__([widgets.HBox([widgets.VBox([self.mu_p, self.sigma_p]),
                                        widgets.VBox([self.mu_q, self.sigma_q]),
                                        self.sample_size])],
                         figure, title="Explorer: how different are two Gaussians?", probe=self.mu_p)
        self.grid = np.linspace(*X_RANGE, 801)
        keys = jax.random.split(jax.random.key(2024), 3)
        self._z_p = np.asarray(jax.random.normal(keys[0], (max(SAMPLE_SIZES),)))
        self._z_q = np.asarray(jax.random.normal(keys[1], (max(SAMPLE_SIZES),)))
        self._mc_key = keys[2]
        self.result: dict = {}
        self._drawn_once = False
        self.observe(self.mu_p, self.sigma_p, self.mu_q, self.sigma_q, self.sample_size)
        self.update()
        self._warm_up()

    def _warm_up(self) -> None:
        """Compile the Monte-Carlo estimators once before a student touches anything."""
        p = Gaussian(0.0, 1.0)
        dv.kl_monte_carlo(self._mc_key, p, p, MC_SAMPLES)
        dv.js_monte_carlo(self._mc_key, p, p, MC_SAMPLES)

    def compute(self) -> dict:
        """Every number the panel shows, for the current slider positions."""
        p = Gaussian(self.mu_p.value, self.sigma_p.value)
        q = Gaussian(self.mu_q.value, self.sigma_q.value)
        x = self.grid
        n = self.sample_size.value
        sample_p = self.mu_p.value + self.sigma_p.value * self._z_p[:n]
        sample_q = self.mu_q.value + self.sigma_q.value * self._z_q[:n]
        mc_pq = dv.kl_monte_carlo(self._mc_key, p, q, MC_SAMPLES)
        mc_qp = dv.kl_monte_carlo(self._mc_key, q, p, MC_SAMPLES)
        mc_js = dv.js_monte_carlo(self._mc_key, p, q, MC_SAMPLES)
        return {
            "p_density": np.asarray(p.prob(x)),
            "q_density": np.asarray(q.prob(x)),
            "forward_integrand": np.asarray(dv.kl_integrand(p, q, x)),
            "reverse_integrand": np.asarray(dv.kl_integrand(q, p, x)),
            "kl_pq": float(dv.gaussian_kl(p.mean, p.std, q.mean, q.std)),
            "kl_qp": float(dv.gaussian_kl(q.mean, q.std, p.mean, p.std)),
            "kl_pq_quadrature": float(dv.kl_quadrature(p, q)),
            "kl_qp_quadrature": float(dv.kl_quadrature(q, p)),
            "js_quadrature": float(dv.js_quadrature(p, q)),
            "kl_pq_mc": (float(mc_pq.estimate), float(mc_pq.stderr)),
            "kl_qp_mc": (float(mc_qp.estimate), float(mc_qp.stderr)),
            "js_mc": (float(mc_js.estimate), float(mc_js.stderr)),
            "ks": float(dv.ks_statistic(sample_p, sample_q)),
            "n": n,
        }

    def draw(self) -> list[str]:
        r = self.result = self.compute()
        x = self.grid
        limits = self.axes[1].get_ylim()
        moving = [*draw_two_densities(self.axes[0], x, r["p_density"], r["q_density"], ymax=1.45),
                  *draw_kl_integrands(self.axes[1], x, r["forward_integrand"],
                                      r["reverse_integrand"])]
        # Curves and fills move with the sliders: mark them animated so that, while the axis
        # limits stay put, the panel only blits them over the saved backgrounds.
        for artist in moving:
            artist.set_animated(True)
        if self._drawn_once:
            if self.axes[1].get_ylim() == limits:
                self.blit = True
            else:
                self.changed_axes = [self.axes[1]]
        self._drawn_once = True
        mc = lambda pair: f"{pair[0]:.4f} &plusmn; {pair[1]:.4f}"  # noqa: E731
        return [
            "<table style='border-collapse:collapse'>"
            "<tr><th></th><th style='padding:0 1em'>closed form</th><th style='padding:0 1em'>quadrature</th>"
            f"<th style='padding:0 1em'>Monte Carlo ({MC_SAMPLES:,} samples)</th></tr>"
            f"<tr><td><b>KL(p||q)</b></td><td align=center>{r['kl_pq']:.4f}</td>"
            f"<td align=center>{r['kl_pq_quadrature']:.4f}</td><td align=center>{mc(r['kl_pq_mc'])}</td></tr>"
            f"<tr><td><b>KL(q||p)</b></td><td align=center>{r['kl_qp']:.4f}</td>"
            f"<td align=center>{r['kl_qp_quadrature']:.4f}</td><td align=center>{mc(r['kl_qp_mc'])}</td></tr>"
            f"<tr><td><b>JSD(p, q)</b></td><td align=center>&ndash;</td>"
            f"<td align=center>{r['js_quadrature']:.4f}</td><td align=center>{mc(r['js_mc'])}</td></tr>"
            "</table>",
            f"JSD / ln 2 = {r['js_quadrature'] / np.log(2):.3f} (0: identical, 1: no overlap). "
            f"Kolmogorov-Smirnov statistic of {r['n']} samples from each: KS = {r['ks']:.3f}.",
        ]
