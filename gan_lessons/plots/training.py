"""Figures of lesson 07: the 1-D picture of Goodfellow et al. (2014), seeds side by side,
and training curves of several runs.

* :func:`draw_figure1` draws one moment of a 1-D GAN the way Figure 1 of the GAN paper does:
  the data density (black, dotted), the generator's density (green), the discriminator D(x)
  (blue, dashed) and, below, the map x = G(z) as arrows from a line of z values to the x axis.
* :func:`draw_seed_samples` draws one small scatter per seed with its mode-coverage score.
* :func:`draw_run_curves` draws a metric against the training step for several runs, one thin
  line per seed and a thick line for the mean over seeds.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from gan_lessons.evaluation.metrics import kde
from gan_lessons.plots.gan2d import draw_gan_2d
from gan_lessons.plots.style import FAKE, PALETTE, REAL

__all__ = ["draw_d_star_check", "draw_diagnostics", "draw_figure1", "draw_run_curves",
           "draw_seed_samples", "seed_figure"]


def draw_figure1(ax, snapshot, data_density, *, ymax: float | None = None,
                 title: str | None = None, legend: bool = True) -> None:
    """One panel of Goodfellow et al. (2014), Figure 1, from a
    :class:`~gan_lessons.training.seeds.Snapshot1D`.

    Args:
      ax: the axes.
      snapshot: the moment to draw (``xs``, ``d``, ``fake``, ``z``, ``gz``, ``step``).
      data_density: p_data on ``snapshot.xs`` (an array of the same length).
      ymax: the top of the density axis (the same for every panel of a row reads best).
      title: default "step N".
      legend: draw the legend.
    """
    xs = np.asarray(snapshot.xs)
    p_data = np.asarray(data_density, dtype=float)
    p_g = kde(snapshot.fake, xs)
    top = ymax or 1.1 * max(p_data.max(), min(p_g.max(), 3 * p_data.max()), 1.0)
    ax.clear()
    ax.plot(xs, p_data, color=PALETTE["black"], ls=":", lw=2.2, label="$p_{data}$")
    ax.plot(xs, p_g, color=PALETTE["green"], lw=2.0, label="$p_g$")
    ax.plot(xs, np.asarray(snapshot.d) * top, color=PALETTE["blue"], ls="--", lw=1.8,
            label="D(x) (1 = top)")
    # The map z -> x: z evenly spaced in probability on a lower line, arrows to G(z) on the x line.
    x_line, z_line = -0.12 * top, -0.5 * top
    lo, hi = xs[0], xs[-1]
    u = (np.arange(len(snapshot.z)) + 0.5) / len(snapshot.z)
    z_pos = lo + 0.1 * (hi - lo) + 0.8 * (hi - lo) * u
    ax.hlines([x_line, z_line], lo, hi, color=PALETTE["grey"], lw=1.0)
    for zp, gx in zip(z_pos, np.clip(snapshot.gz, lo, hi)):
        ax.annotate("", xy=(gx, x_line), xytext=(zp, z_line),
                    arrowprops=dict(arrowstyle="->", color=FAKE, lw=0.8, alpha=0.8))
    ax.text(lo, z_line, " z", va="bottom", ha="left", fontsize="small")
    ax.text(lo, x_line, " x = G(z)", va="bottom", ha="left", fontsize="small")
    ax.set_xlim(lo, hi)
    ax.set_ylim(z_line - 0.08 * top, top)
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(f"step {snapshot.step:,}" if title is None else title)
    if legend:
        ax.legend(loc="upper left", fontsize="small", framealpha=0.85)


def draw_seed_samples(axes: Sequence, real, samples, coverages, *, extent, label: str = "") -> None:
    """One scatter per seed: data (blue) and that seed's samples (red), titled with its score.

    Args:
      axes: one axes per seed.
      real: data samples, shape (N, 2).
      samples: generator samples per seed, shape (num_seeds, M, 2).
      coverages: one :class:`~gan_lessons.evaluation.metrics.ModeCoverage` per seed.
      extent: (xmin, xmax, ymin, ymax) of every view.
      label: a prefix of each title (e.g. the loss).
    """
    if not (len(axes) == len(samples) == len(coverages)):
        raise ValueError(f"need one axes, one sample array and one score per seed, got "
                         f"{len(axes)}, {len(samples)} and {len(coverages)}")
    for i, (ax, fake, score) in enumerate(zip(axes, samples, coverages)):
        draw_gan_2d(ax, real, fake, extent=extent,
                    title=f"{label}seed {i}: {score.modes}/{score.num_modes} modes, "
                          f"{100 * score.high_quality:.0f} % HQ")
        ax.get_legend().remove()
        ax.set_xticks([])
        ax.set_yticks([])


def seed_figure(run, real, *, extent, label: str = "", samples: int = 1000):
    """A new figure with :func:`draw_seed_samples` of a
    :class:`~gan_lessons.training.seeds.SeedRun`: one scatter per seed of its last evaluation
    (``samples`` points each) over the data ``real``."""
    from gan_lessons.plots.style import new_figure

    num_seeds = len(run.samples)
    figure, axes = new_figure(3.4 * num_seeds, 3.6, ncols=num_seeds)
    draw_seed_samples(list(np.atleast_1d(axes)), real, run.samples[:, :samples], run.final(), extent=extent,
                      label=label)
    return figure


def draw_run_curves(ax, runs: dict, field: str, *, scale: float = 1.0, ylabel: str = "",
                    ylim=None) -> None:
    """A metric of several runs against the training step: thin line per seed, thick mean.

    Args:
      ax: the axes.
      runs: label -> :class:`~gan_lessons.training.seeds.SeedRun`.
      field: ``"modes"``, ``"high_quality"`` or ``"reverse_kl"``.
      scale: multiply the values (e.g. 100 for per cent).
      ylabel, ylim: axis label and limits.
    """
    colours = [REAL, FAKE, PALETTE["green"], PALETTE["orange"], PALETTE["purple"]]
    ax.clear()
    for colour, (label, run) in zip(colours, runs.items()):
        values = scale * run.series(field)
        values = np.where(np.isfinite(values), values, np.nan)
        ax.plot(run.steps, values, color=colour, lw=0.8, alpha=0.45)
        ax.plot(run.steps, np.nanmean(values, axis=1), color=colour, lw=2.6,
                label=f"{label} (mean of {values.shape[1]} seeds)")
    ax.set_xlabel("training step")
    ax.set_ylabel(ylabel or field)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize="small")


def draw_diagnostics(axes: Sequence, metrics: dict, *, title: str = "", smooth: int = 25) -> None:
    """Three diagnostics of one run against the training step: the losses, what D believes
    (mean D(x) on data and D(G(z)) on fakes) and the two players' gradient norms (log scale).

    Args:
      axes: three axes.
      metrics: the engine's per-step metrics of one seed (arrays of shape (steps,)).
      title: a prefix of each axes title.
      smooth: the width of a running mean drawn over each raw (thin) curve.
    """
    if len(axes) != 3:
        raise ValueError(f"draw_diagnostics needs 3 axes, got {len(axes)}")
    steps = np.arange(1, len(np.asarray(metrics["d_loss"])) + 1)
    window = np.ones(max(1, int(smooth))) / max(1, int(smooth))
    panels = (
        (("d_loss", "D's loss"), ("g_loss", "G's loss"), "loss", False),
        (("d_real", "mean D(x), data"), ("d_fake", "mean D(G(z)), fakes"), "D", False),
        (("d_grad_norm", "|grad of D's loss|"), ("g_grad_norm", "|grad of G's loss|"),
         "gradient norm", True),
    )
    for ax, (first, second, ylabel, log) in zip(axes, panels):
        ax.clear()
        for (name, label), colour in zip((first, second), (REAL, FAKE)):
            y = np.asarray(metrics[name], dtype=float)
            ax.plot(steps, y, color=colour, lw=0.5, alpha=0.35)
            if y.size >= window.size:
                ax.plot(steps[window.size - 1:], np.convolve(y, window, mode="valid"),
                        color=colour, lw=2.0, label=label)
        if ylabel == "D":
            ax.axhline(0.5, color=PALETTE["black"], ls="--", lw=1.0)
            ax.set_ylim(0, 1)
        if log:
            ax.set_yscale("log")
        ax.set_xlabel("training step")
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title}{ylabel}")
        ax.legend(fontsize="small")


def draw_d_star_check(ax, xs, p_data, p_g, d_trained) -> None:
    """Figure 1(b) of the GAN paper, checked: a discriminator trained against a frozen generator
    (dashed) over the optimum D* = p_data / (p_data + p_g) of lesson 05 (thick, pale)."""
    p_data, p_g = np.asarray(p_data, float), np.asarray(p_g, float)
    d_star = p_data / np.maximum(p_data + p_g, 1e-300)
    ax.clear()
    ax.plot(xs, p_data, color=PALETTE["black"], ls=":", lw=2.2, label="$p_{data}$")
    ax.plot(xs, p_g, color=PALETTE["green"], lw=1.6, label="$p_g$ (G frozen)")
    ax.plot(xs, d_star, color=PALETTE["blue"], lw=5, alpha=0.3,
            label="$D^* = p_{data} / (p_{data} + p_g)$")
    ax.plot(xs, np.asarray(d_trained), color=PALETTE["blue"], ls="--", lw=1.8,
            label="D trained with G frozen")
    ax.set_xlabel("x")
    ax.legend(fontsize="small")
