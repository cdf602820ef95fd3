"""Figures of a 2-D GAN: real and generated samples over the discriminator's heat map."""

from __future__ import annotations

import numpy as np

from gan_lessons.plots.style import FAKE, PALETTE, REAL

__all__ = ["draw_gan_2d"]


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
    """
    real, fake = np.asarray(real), np.asarray(fake)
    artists = getattr(ax, "_gan_2d_artists", None)
    if artists is not None and (heat is None) == (artists["heat"] is None):
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
    ax._gan_2d_artists = {"real": real_points, "fake": fake_points, "heat": image}
    if extent is not None:
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_title(title)
    legend = ax.legend(loc="upper right", fontsize="small", markerscale=3, framealpha=0.8)
    legend.get_frame().set_edgecolor(PALETTE["grey"])
