"""The course's look: a colour-blind-safe palette, a default and a lecture style.

The palette is Okabe and Ito's (2008), distinguishable under the common forms
of colour blindness. ``use_lecture_style()`` switches every later figure to
large fonts and thick lines, readable from the back of a lecture room.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Iterator

import matplotlib as mpl
from matplotlib.figure import Figure

__all__ = ["PALETTE", "COURSE_RC", "LECTURE_RC", "use_course_style", "use_lecture_style",
           "lecture_style", "new_figure", "figure_to_png", "CourseFigure"]

#: Okabe-Ito colours by role.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
#: Colours of the two players / the two distributions, used consistently across lessons.
REAL, FAKE = PALETTE["blue"], PALETTE["vermillion"]

_CYCLE = mpl.cycler(color=[PALETTE[k] for k in ("blue", "vermillion", "green", "orange", "purple",
                                                  "sky", "black")])

COURSE_RC = {
    "axes.prop_cycle": _CYCLE,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
    "axes.titlesize": 12,
    "lines.linewidth": 2.0,
    "figure.dpi": 100,
    "savefig.dpi": 100,
}

LECTURE_RC = {
    **COURSE_RC,
    "font.size": 17,
    "axes.titlesize": 19,
    "axes.labelsize": 17,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 15,
    "lines.linewidth": 3.5,
    "lines.markersize": 11,
    "axes.linewidth": 1.6,
}


def use_course_style() -> None:
    """Apply the default course style to all later figures."""
    mpl.rcParams.update(COURSE_RC)


def use_lecture_style() -> None:
    """Apply the lecture style (large fonts, thick lines) to all later figures."""
    mpl.rcParams.update(LECTURE_RC)


@contextmanager
def lecture_style() -> Iterator[None]:
    """Context manager: the lecture style for the figures made inside the block."""
    with mpl.rc_context(LECTURE_RC):
        yield


class CourseFigure(Figure):
    """A matplotlib figure that displays itself as a PNG in any notebook front end.

    It is not managed by pyplot: no stray windows and no figures accumulating in
    a long session. Make it the last expression of a cell to show it.
    """

    def _repr_png_(self) -> bytes:
        return figure_to_png(self)


def new_figure(width: float = 10.0, height: float = 4.0, *, ncols: int = 1, nrows: int = 1,
               **subplots_kw) -> tuple[CourseFigure, object]:
    """A :class:`CourseFigure` with a grid of axes; returns ``(figure, axes)``.

    Extra keyword arguments go to ``Figure.subplots`` (``width_ratios``, ``sharey``, ...).
    """
    figure = CourseFigure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(nrows, ncols, squeeze=True, **subplots_kw)
    return figure, axes


def figure_to_png(figure: Figure, *, dpi: float | None = None) -> bytes:
    """Render ``figure`` to PNG bytes (for an ``ipywidgets.Image`` or a static output)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi or figure.dpi)
    return buffer.getvalue()
