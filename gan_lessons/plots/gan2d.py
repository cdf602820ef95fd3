"""Figures of a 2-D GAN: real and generated samples over the discriminator's heat map.

Also the pieces of a live training panel (see :class:`gan_lessons.widgets.base.FigurePanel`
for how a panel repaints): :func:`animate_gan_2d` marks the moving artists of
:func:`draw_gan_2d` for blitting (:func:`draw_live_gan_2d` does both and adds a note),
:func:`draw_live_curves` draws training curves whose axis limits change only now and then,
and :func:`draw_training_curves` lays out the four curve panels of a GAN run.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from gan_lessons.plots.style import FAKE, PALETTE, REAL, large_type

__all__ = ["animate_gan_2d", "draw_gan_2d", "draw_live_curves", "draw_live_gan_2d",
           "draw_training_curves", "nice_ceiling"]


def draw_gan_2d(ax, real, fake, *, heat=None, extent=None, title: str = "") -> None:
    """Draw real samples, generated samples and, optionally, D(x) as a heat map.

    Args:
      ax: the axes.
      real: array (N, 2) of data samples.
      fake: array (M, 2) of generator samples.
      heat: optional array (H, W) of discriminator probabilities D(x) on a regular grid,
        drawn blue where D says "real" (near 1) and red where it says "fake" (near 0).
      extent: (xmin, xmax, ymin, ymax) of the grid and of the view.
      title: the axes title.

    Called again on the same axes with the same kind of ``heat`` and the same ``extent``, it
    only moves the existing artists (fast, for panels); a new extent redraws the axes.
    """
    real, fake = np.asarray(real), np.asarray(fake)
    artists = getattr(ax, "_gan_2d_artists", None)
    extent = None if extent is None else tuple(float(v) for v in extent)
    if (artists is not None and (heat is None) == (artists["heat"] is None)
            and extent == artists.get("extent", extent)):
        # Same axes again: update the artists in place (fast; used by the explorer panels).
        artists["real"].set_offsets(real)
        artists["fake"].set_offsets(fake)
        if heat is not None:
            artists["heat"].set_data(np.asarray(heat))
        ax.set_title(title)
        return
    ax.clear()
    image = None
    if heat is not None:
        image = ax.imshow(np.asarray(heat), origin="lower", extent=extent, cmap="RdBu",
                          vmin=0.0, vmax=1.0, alpha=0.55, interpolation="bilinear")
    real_points = ax.scatter(real[:, 0], real[:, 1], s=6, color=REAL, alpha=0.6, label="data", lw=0)
    fake_points = ax.scatter(fake[:, 0], fake[:, 1], s=6, color=FAKE, alpha=0.6, label="generator",
                             lw=0)
    ax._gan_2d_artists = {"real": real_points, "fake": fake_points, "heat": image, "extent": extent}
    if extent is not None:
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_title(title)
    legend = ax.legend(loc="upper right", fontsize="small", markerscale=3, framealpha=0.8)
    legend.get_frame().set_edgecolor(PALETTE["grey"])


def animate_gan_2d(ax) -> list:
    """Mark what :func:`draw_gan_2d` drew on ``ax`` (heat map, points, legend) as animated.

    Animated artists are left out of a normal paint and drawn on top of a saved background
    (matplotlib's blitting), so a panel can move the points and re-shade D(x) without
    repainting the axes, ticks and labels. Call it after every :func:`draw_gan_2d` (a redraw
    makes new artists); the order of drawing stays heat map, data, generator, legend.

    Returns:
      The artists now animated.
    """
    artists = getattr(ax, "_gan_2d_artists", None)
    if artists is None:
        raise ValueError("animate_gan_2d needs axes drawn by draw_gan_2d first")
    moving = [artists[name] for name in ("heat", "real", "fake") if artists[name] is not None]
    if ax.get_legend() is not None:
        moving.append(ax.get_legend())
    for artist in moving:
        artist.set_animated(True)
    return moving


def draw_live_gan_2d(ax, real, fake, heat, *, extent, title: str = "", note: str = "") -> bool:
    """:func:`draw_gan_2d` with its moving artists animated and a ``note`` in the lower left.

    Returns:
      ``True`` when the axes were drawn anew (first call, other extent) and must be repainted
      whole; ``False`` when the artists only moved and blitting them is enough.
    """
    before = getattr(ax, "_gan_2d_artists", None)
    draw_gan_2d(ax, real, fake, heat=heat, extent=extent, title=title)
    new = getattr(ax, "_gan_2d_artists", None) is not before
    if new:
        ax._gan_2d_note = ax.text(0.03, 0.03, "", transform=ax.transAxes, animated=True,
                                  fontsize="small")
    animate_gan_2d(ax)
    ax._gan_2d_note.set_text(note)
    return new


def nice_ceiling(value: float) -> float:
    """The smallest number of the form m * 10^k, m in {1, 2, 5}, that is >= ``value`` > 0.

    Example:
      >>> nice_ceiling(0.3), nice_ceiling(7), nice_ceiling(200)
      (0.5, 10.0, 200.0)
    """
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"value must be a finite number > 0, got {value!r}")
    exponent = math.floor(math.log10(value))
    for mantissa in (1, 2, 5, 10):
        candidate = float(f"{mantissa}e{exponent}")  # 5 * 10.0 ** -6 would be 1 ulp off
        if candidate >= value * (1 - 1e-12):
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _auto_limits(current, values: np.ndarray, log: bool) -> tuple[float, float]:
    """Round y-limits around ``values``; keep ``current`` while it still fits them well.

    Linear: bounds on a grid of 1-2-5 steps of about a quarter of the data's span. Log: whole
    decades. The current limits are kept while the data lie inside and fill at least 30 % of
    them (linear) or all but two decades (log), so most updates leave the axes alone.
    """
    if log:
        lo, hi = math.log10(values.min()), math.log10(values.max())
        new = (math.floor(lo), max(math.ceil(hi), math.floor(lo) + 1))
        if current is not None:
            c0, c1 = math.log10(current[0]), math.log10(current[1])
            if c0 <= lo and hi <= c1 and c1 - c0 <= new[1] - new[0] + 2:
                return current
        return (10.0 ** new[0], 10.0 ** new[1])
    lo, hi = float(values.min()), float(values.max())
    if current is not None and current[0] <= lo and hi <= current[1] \
            and hi - lo >= 0.3 * (current[1] - current[0]):
        return current
    step = nice_ceiling(max(hi - lo, 1e-3 * max(abs(lo), abs(hi), 1.0)) / 4)
    low, high = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if high - low < 2 * step:
        low, high = low - step, high + step
    return (low, high)


_SHORT_LABELS = 30
"""Characters: labels this short together fit one row above a curve panel in large type."""


def draw_live_curves(ax, x, curves: dict, *, xmax: float, ylim=None, log: bool = False,
                     colors=None, markers: bool = False, hline: float | None = None,
                     ylabel: str = "", xlabel: str = "training step") -> bool:
    """Draw training curves as animated lines on ``ax``, or update the lines already there.

    The first call (or one with other curve labels) clears ``ax`` and draws one line per
    entry of ``curves`` (label -> y values over ``x``), the axis labels, an optional dashed
    reference line at ``y = hline`` and a legend *above* the frame, where it stays out of the
    lines' way and need not be redrawn: in one row, or in large type (the lecture style) one
    entry per row unless the labels are short. Later calls only set the lines' data. The
    lines are animated (see :func:`animate_gan_2d`).

    The x-limits are ``(0, xmax)``. The y-limits are ``ylim`` when given, else rounded
    bounds around the finite values (positive values on a log axis), kept from call to call
    while the data still fit them (see ``_auto_limits``); non-finite values leave gaps.

    Returns:
      ``True`` when the axes changed beyond the lines' data (first draw, new limits) and must
      be repainted whole; ``False`` when blitting the animated lines is enough.
    """
    x = np.asarray(x, dtype=float)
    ys = {label: np.asarray(y, dtype=float) for label, y in curves.items()}
    colors = colors or [PALETTE[c] for c in ("blue", "vermillion", "green", "orange")]
    state = getattr(ax, "_live_curves", None)
    redraw = state is None or list(state["lines"]) != list(ys)
    if redraw:
        ax.clear()
        lines = {}
        for color, (label, y) in zip(colors, ys.items()):
            lines[label] = ax.plot(x, y, color=color, lw=1.0, label=label, animated=True,
                                   marker="o" if markers else None, ms=2.5)[0]
        if hline is not None:
            ax.axhline(hline, color=PALETTE["black"], ls="--", lw=0.8)
        if log:
            ax.set_yscale("log")
        elif ylim is None:  # short labels, no offset text ("1e7") colliding with the legend
            ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.3g}"))
        one_row = not large_type() or sum(len(label) for label in ys) <= _SHORT_LABELS
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(ys) if one_row else 1,
                  frameon=False, fontsize="small", borderaxespad=0.2, handlelength=1.5,
                  columnspacing=1.0)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if large_type():  # three ticks (0, xmax / 2, xmax): labels such as "20000" need room
            ax.xaxis.set_major_locator(MaxNLocator(nbins=2, steps=[1, 2, 2.5, 5, 10], integer=True))
        state = ax._live_curves = {"lines": lines, "xlim": None, "ylim": None}
    else:
        for label, y in ys.items():
            state["lines"][label].set_data(x, y)
    if ylim is None:
        values = np.concatenate([y.ravel() for y in ys.values()] or [np.zeros(0)])
        values = values[np.isfinite(values) & ((values > 0) if log else True)]
        default = (1e-3, 10.0) if log else (0.0, 1.0)
        ylim = (_auto_limits(state["ylim"], values, log) if values.size
                else state["ylim"] or default)
    xlim = (0.0, float(xmax))
    if redraw or xlim != state["xlim"] or tuple(ylim) != state["ylim"]:
        state["xlim"], state["ylim"] = xlim, tuple(ylim)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        return True
    return False


def draw_training_curves(axes, history: dict, *, num_modes: int, xmax: float,
                         max_points: int = 4000) -> list:
    """The curves of a GAN run: losses, what D believes, gradient norms, mode coverage.

    Args:
      axes: a mapping with the axes ``"loss"``, ``"belief"``, ``"grad"`` and ``"modes"``.
      history: arrays over training. Per step: ``step`` and ``d_loss``, ``g_loss``, ``d_real``
        (mean D(x) on data), ``d_fake`` (mean D(G(z)) on fakes), ``d_grad_norm``,
        ``g_grad_norm``. Per mode-coverage record: ``coverage_step``, ``modes`` and
        ``high_quality`` (see :func:`gan_lessons.evaluation.metrics.mode_coverage`).
      num_modes: K, so that the modes covered are shown as a fraction, next to the fraction
        of high-quality samples.
      xmax: the right end of the step axis.
      max_points: per-step curves longer than this are thinned (every n-th step) to draw fast.

    Returns:
      The axes that need a full repaint (see :func:`draw_live_curves`).
    """
    stride = max(1, len(history["step"]) // max_points)
    h = {name: np.asarray(history[name])[::stride] for name in (
        "step", "d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm")}
    records = np.asarray(history["coverage_step"])
    panels = {
        "loss": (h["step"], {"d_loss": h["d_loss"], "g_loss": h["g_loss"]}, {}),
        "belief": (h["step"], {"mean D(x) on data": h["d_real"],
                               "mean D(G(z)) on fakes": h["d_fake"]},
                   dict(ylim=(0.0, 1.0), hline=0.5)),
        "grad": (h["step"], {"|grad D|": h["d_grad_norm"], "|grad G|": h["g_grad_norm"]},
                 dict(log=True)),
        "modes": (records, {f"modes covered / {num_modes}":
                            np.asarray(history["modes"], dtype=float) / num_modes,
                            "high-quality samples": history["high_quality"]},
                  dict(ylim=(0.0, 1.05), markers=len(records) <= 60, ylabel="fraction")),
    }
    return [axes[name] for name, (x, curves, options) in panels.items()
            if draw_live_curves(axes[name], x, curves, xmax=xmax, **options)]
