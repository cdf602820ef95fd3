"""Figures of image GANs: grids of samples and a latent walk, drawn for live panels.

:func:`tile_images` lays a batch of images out as one array (a contact sheet), so a whole
grid is a single ``imshow`` artist. :func:`draw_live_tiles` draws such a sheet on an axes,
or only swaps its pixels when called again, and :func:`draw_latent_strip` adds a marker that
shows where a point z(t) of a latent path lies among the images along the path. The artists
they make are *animated* (see :class:`gan_lessons.widgets.base.FigurePanel`): a panel can
blit new pixels or a moved marker without repainting the axes.

Values are shown on a fixed scale, -1 black and 1 white (the course's images are in
[-1, 1], -1 the background); the gaps between tiles and non-finite pixels are drawn in the
figure's background colour. :func:`draw_game_curves` adds the two small curve panels of a
run (both losses; what D believes).
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np

from gan_lessons._validate import check_int, check_positive_float
from gan_lessons.plots.gan2d import draw_live_curves
from gan_lessons.plots.style import PALETTE

__all__ = ["draw_game_curves", "draw_image_grid", "draw_latent_strip", "draw_live_tiles", "strip_position",
           "tile_images"]


def tile_images(images: Any, ncols: int, *, gap: int = 1) -> np.ndarray:
    """Lay out images of shape (N, H, W) in rows of ``ncols``, ``gap`` NaN pixels between them.

    Args:
      images: an array-like of shape (N, H, W).
      ncols: images per row (>= 1); the last row is padded with NaN.
      gap: pixels between neighbouring images (>= 0).

    Returns:
      A float32 array of shape (rows * (H + gap) - gap, ncols * (W + gap) - gap), rows =
      ceil(N / ncols); image i sits in row i // ncols, column i % ncols.

    Example:
      >>> sheet = tile_images(np.ones((3, 2, 2)), 2)
      >>> sheet.shape
      (5, 5)
      >>> np.isnan(sheet).astype(int)
      array([[0, 0, 1, 0, 0],
             [0, 0, 1, 0, 0],
             [1, 1, 1, 1, 1],
             [0, 0, 1, 1, 1],
             [0, 0, 1, 1, 1]])
    """
    array = np.asarray(images, dtype=np.float32)
    if array.ndim != 3 or array.shape[0] < 1:
        raise ValueError(f"images must have shape (N, H, W) with N >= 1, got shape {array.shape}")
    ncols = check_int("ncols", ncols, minimum=1)
    gap = check_int("gap", gap, minimum=0)
    n, h, w = array.shape
    rows = -(-n // ncols)
    sheet = np.full((rows * (h + gap) - gap, ncols * (w + gap) - gap), np.nan, np.float32)
    for i, image in enumerate(array):
        r, c = divmod(i, ncols)
        sheet[r * (h + gap): r * (h + gap) + h, c * (w + gap): c * (w + gap) + w] = image
    return sheet


def strip_position(t: float, n: int, width: int, *, gap: int = 1) -> float:
    """The x pixel coordinate of z(t) on a strip of ``n`` images at t = 0, 1/(n-1), ..., 1.

    Image k's centre is at ``k * (width + gap) + (width - 1) / 2``; between two centres the
    position is linear in t, so t = 0 and t = 1 point at the first and last image.

    Example:
      >>> [strip_position(t, 8, 8) for t in (0.0, 1 / 7, 1.0)]
      [3.5, 12.5, 66.5]
    """
    t = check_positive_float("t", t, allow_zero=True)
    if t > 1:
        raise ValueError(f"t must be in [0, 1], got {t!r}")
    n = check_int("n", n, minimum=1)
    return (width - 1) / 2 + t * (n - 1) * (width + gap)


def draw_live_tiles(ax, images: Any, *, ncols: int, title: str = "", note: str = "",
                    gap: int = 1, cmap: str = "gray") -> bool:
    """Draw images (N, H, W) as one tiled, animated ``imshow`` on ``ax``, or update its pixels.

    The first call (or one whose sheet has another shape) clears ``ax``, draws the sheet on
    the fixed scale [-1, 1], hides the ticks and sets ``title``. Later calls only set the
    pixels. ``note`` is an animated text in the upper left corner, on a white box.

    Returns:
      ``True`` when the axes were drawn anew and must be repainted whole; ``False`` when
      blitting the animated artists is enough.
    """
    sheet = tile_images(images, ncols, gap=gap)
    state = getattr(ax, "_live_tiles", None)
    new = state is None or state["image"].get_array().shape != sheet.shape
    if new:
        ax.clear()
        colours = mpl.colormaps[cmap].with_extremes(bad=ax.figure.get_facecolor())
        image = ax.imshow(sheet, cmap=colours, vmin=-1.0, vmax=1.0, interpolation="nearest",
                          animated=True)
        text = ax.text(0.02, 0.98, "", transform=ax.transAxes, ha="left", va="top",
                       fontsize="small", animated=True,
                       bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1.5))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(title, fontsize="medium")
        state = ax._live_tiles = {"image": image, "note": text}
    else:
        state["image"].set_data(sheet)
    state["note"].set_text(note)
    state["note"].set_visible(bool(note))
    return new


def draw_latent_strip(ax, images: Any, t: float, *, title: str = "", gap: int = 1) -> bool:
    """Images along a latent path in one row, and a triangle under the strip at z(t).

    ``images`` (n, H, W) are G at t = 0, 1/(n-1), ..., 1; the marker sits at
    :func:`strip_position`, below the images but inside the axes (so that blitting it
    leaves no trace when it moves).

    Returns:
      ``True`` when the axes were drawn anew (see :func:`draw_live_tiles`).
    """
    n, h, w = np.shape(images)
    new = draw_live_tiles(ax, images, ncols=n, title=title, gap=gap)
    if new:
        margin = 0.45 * h
        ax.set_ylim(h - 0.5 + margin, -0.5)
        ax._strip_marker = ax.plot([], [], marker="^", ms=9, color=PALETTE["vermillion"],
                                   ls="none", animated=True, clip_on=True)[0]
        ax._strip_marker_y = h - 0.5 + 0.5 * margin
    ax._strip_marker.set_data([strip_position(t, n, w, gap=gap)], [ax._strip_marker_y])
    return new


def draw_game_curves(loss_ax, belief_ax, history: dict, *, xmax: float,
                     max_points: int = 2000) -> list:
    """Two small panels of a GAN run: both losses, and mean D(x) on data vs D(G(z)) on fakes.

    Args:
      loss_ax, belief_ax: the two axes.
      history: arrays over training steps: ``step``, ``d_loss``, ``g_loss``, ``d_real`` and
        ``d_fake`` (as :meth:`gan_lessons.training.gan.GANTrainer.train` returns them).
      xmax: the right end of the step axis.
      max_points: longer curves are thinned (every n-th step) to draw fast.

    Returns:
      The axes that need a full repaint (see :func:`~gan_lessons.plots.gan2d.draw_live_curves`);
      D's panel has fixed limits (0, 1) and a dashed line at 1/2, where both curves end when D
      cannot tell real from fake.
    """
    stride = max(1, len(history["step"]) // max_points)
    h = {name: np.asarray(history[name])[::stride]
         for name in ("step", "d_loss", "g_loss", "d_real", "d_fake")}
    changed = []
    if draw_live_curves(loss_ax, h["step"], {"d_loss": h["d_loss"], "g_loss": h["g_loss"]},
                        xmax=xmax, xlabel=""):
        changed.append(loss_ax)
    if draw_live_curves(belief_ax, h["step"], {"D(x) on data": h["d_real"],
                                               "D(G(z)) on fakes": h["d_fake"]},
                        xmax=xmax, ylim=(0.0, 1.0), hline=0.5):
        changed.append(belief_ax)
    return changed


def draw_image_grid(ax, images: Any, *, columns: int = 8, title: str = "", gap: int = 1) -> None:
    """Draw images of shape (N, H, W) in [-1, 1] as one grid of ``columns`` per row (static).

    -1 is black, 1 white; the gaps between images take the figure's background colour.

    Example:
      >>> from gan_lessons.plots import new_figure
      >>> figure, ax = new_figure(3, 3)
      >>> draw_image_grid(ax, np.zeros((6, 8, 8)), columns=3)
      >>> ax.images[0].get_array().shape
      (17, 26)
    """
    sheet = tile_images(images, min(check_int("columns", columns, minimum=1), len(np.asarray(images))),
                        gap=gap)
    ax.clear()
    cmap = mpl.colormaps["gray"].with_extremes(bad=ax.figure.get_facecolor())
    ax.imshow(np.ma.masked_invalid(sheet), cmap=cmap, vmin=-1.0, vmax=1.0, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title)
