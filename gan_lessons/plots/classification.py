"""Figures of two-class problems in the plane (lesson 04)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from gan_lessons.plots.style import PALETTE

__all__ = ["draw_posterior_2d"]

_CLASS_COLOURS = (PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"])


def draw_posterior_2d(ax, x, y, posterior: Callable | None = None, *, extent=(-4, 4, -4, 4),
                      title: str = "", resolution: int = 120) -> None:
    """Scatter labelled points and shade P(class 0 | x) with its 0.5 contour (the decision boundary).

    Args:
      ax: the axes.
      x: points (n, 2); y: integer labels (n,).
      posterior: a function mapping points (m, 2) to class probabilities (m, K), or None.
      extent: (xmin, xmax, ymin, ymax) of the view.
      title: the axes title.
      resolution: grid points per side for the shading.
    """
    x, y = np.asarray(x), np.asarray(y)
    ax.clear()
    if posterior is not None:
        xs = np.linspace(extent[0], extent[1], resolution)
        ys = np.linspace(extent[2], extent[3], resolution)
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        p0 = np.asarray(posterior(grid))[:, 0].reshape(resolution, resolution)
        ax.imshow(p0, origin="lower", extent=extent, cmap="RdBu", vmin=0, vmax=1, alpha=0.45,
                  aspect="auto")
        ax.contour(xs, ys, p0, levels=[0.5], colors=[PALETTE["black"]], linewidths=1.8)
    for label in np.unique(y):
        points = x[y == label]
        ax.scatter(points[:, 0], points[:, 1], s=9, color=_CLASS_COLOURS[int(label) % 3], alpha=0.7,
                   lw=0, label=f"class {int(label)}")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize="small", markerscale=2)
