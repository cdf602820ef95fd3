"""Figures for divergences between 1-D densities (lessons 02 and 03).

Like the other plot functions, each one updates its artists in place when it
is called again on the same axes, so an explorer panel can redraw quickly.
"""

from __future__ import annotations

import numpy as np

from gan_lessons.plots.style import PALETTE, legend

__all__ = ["draw_two_densities", "draw_kl_integrands", "draw_fit", "draw_convergence"]

P_COLOUR, Q_COLOUR = PALETTE["blue"], PALETTE["vermillion"]


def _lines(ax, key: str, series: list[tuple], styles: list[dict]) -> list:
    """Create the lines on first use (clearing ``ax``); update their data afterwards."""
    lines = getattr(ax, key, None)
    if lines is None:
        ax.clear()
        lines = [ax.plot(x, y, **style)[0] for (x, y), style in zip(series, styles)]
        setattr(ax, key, lines)
    else:
        for line, (x, y) in zip(lines, series):
            line.set_data(x, y)
    return lines


def draw_two_densities(ax, x, p, q, *, p_label: str = "p", q_label: str = "q",
                       ymax: float | None = None) -> list:
    """Draw two densities on the grid ``x`` (blue p, red q); return their two lines."""
    first = getattr(ax, "_two_density_lines", None) is None
    lines = _lines(ax, "_two_density_lines", [(x, p), (x, q)],
                   [dict(color=P_COLOUR, label=p_label), dict(color=Q_COLOUR, label=q_label)])
    lines[0].set_label(p_label)
    lines[1].set_label(q_label)
    if first:
        ax.set_xlim(float(x[0]), float(x[-1]))
        ax.set_xlabel("x")
        ax.set_ylabel("density")
        ax.set_title("The two densities")
    ax.set_ylim(0, ymax or 1.1 * float(max(np.max(p), np.max(q))))
    ax.legend(loc="upper right", fontsize="small")
    return lines


def draw_kl_integrands(ax, x, forward, reverse) -> list:
    """Draw the integrands p ln(p/q) (whose area is KL(p||q)) and q ln(q/p).

    Where an integrand is negative, that region pulls the divergence down; the
    areas (not the curves) are always >= 0.

    Returns:
      The artists that change from call to call: the two integrand lines and the two
      shaded areas (the zero line stays).
    """
    first = getattr(ax, "_kl_integrand_lines", None) is None
    lines = _lines(ax, "_kl_integrand_lines", [(x, forward), (x, reverse), (x, np.zeros_like(x))],
           [dict(color=P_COLOUR, label="p ln(p/q): area = KL(p||q)"),
            dict(color=Q_COLOUR, label="q ln(q/p): area = KL(q||p)"),
            dict(color=PALETTE["black"], lw=0.8)])
    for fill in getattr(ax, "_kl_fills", []):
        fill.remove()
    ax._kl_fills = [ax.fill_between(x, forward, color=P_COLOUR, alpha=0.2, lw=0),
                    ax.fill_between(x, reverse, color=Q_COLOUR, alpha=0.2, lw=0)]
    if first:
        ax.set_xlim(float(x[0]), float(x[-1]))
        ax.set_xlabel("x")
        ax.set_title("Integrands of the two KL divergences")
        legend(ax, loc="upper right", fontsize="small", below_ncol=1)
    values = np.concatenate([forward, reverse])
    ax.set_ylim(-_nice_ceiling(-min(float(np.min(values)), 0.0)), _nice_ceiling(float(np.max(values))))
    return [*lines[:2], *ax._kl_fills]


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k (k integer) that is >= 1.05 * value, at least 0.01.

    Rounding the limits up to such values keeps them unchanged while a slider moves a
    little, so a panel can redraw only the curves.
    """
    value = max(1.05 * value, 0.01)
    scale = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 2.0, 5.0, 10.0):
        if step * scale >= value:
            return step * scale
    return 10.0 * scale


def draw_fit(ax, x, target, fitted, *, label: str, history=None) -> None:
    """Draw a target density, a fitted Gaussian and (optionally) earlier iterates in grey."""
    ax.clear()
    if history is not None:
        for curve in history:
            ax.plot(x, curve, color=PALETTE["grey"], lw=0.8, alpha=0.5)
    ax.fill_between(x, target, color=P_COLOUR, alpha=0.25, lw=0)
    ax.plot(x, target, color=P_COLOUR, label="target p")
    ax.plot(x, fitted, color=Q_COLOUR, label=label)
    ax.set_xlim(float(x[0]), float(x[-1]))
    ax.set_ylim(0, 1.15 * float(max(np.max(target), np.max(fitted))))
    ax.set_xlabel("x")
    ax.legend(loc="upper right", fontsize="small")


def draw_convergence(ax, sizes, curves: dict, *, reference: float | None = None,
                     ylabel: str = "error") -> None:
    """Log-log plot of quantities against the sample size n, with a 1/sqrt(n) guide.

    Args:
      ax: the axes.
      sizes: the sample sizes n (1-D).
      curves: name -> values at each n.
      reference: if given, a dashed 1/sqrt(n) line through the first curve's first point
        scaled by ``reference`` (1.0 passes through it).
      ylabel: the y-axis label.
    """
    sizes = np.asarray(sizes, dtype=float)
    colours = [P_COLOUR, Q_COLOUR, PALETTE["green"], PALETTE["orange"]]
    for index, (name, values) in enumerate(curves.items()):
        ax.plot(sizes, np.asarray(values), "o-", color=colours[index % len(colours)], label=name)
    if reference is not None:
        first = float(np.asarray(next(iter(curves.values())))[0])
        ax.plot(sizes, reference * first * np.sqrt(sizes[0] / sizes), "--", color=PALETTE["black"],
                lw=1.2, label="slope of 1/sqrt(n)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("sample size n")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")
