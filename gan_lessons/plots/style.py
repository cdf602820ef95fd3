"""The course's look: a colour-blind-safe palette, a default and a lecture style.

The palette is Okabe and Ito's (2008), distinguishable under the common forms
of colour blindness. ``use_lecture_style()`` switches every later figure to
large fonts and thick lines, readable from the back of a lecture room.

Large type needs its own layout here and there: a title that fits one line in the
default style may need two, and a legend inside the axes would hide much of the
data. :func:`large_type` tells which style is in force when a figure is made;
:func:`fit` wraps a text in large type only, and :func:`legend` puts a legend
below the axes in large type only, so the default style looks as it always did.
"""

from __future__ import annotations

import io
import textwrap
from contextlib import contextmanager
from typing import Iterator

import matplotlib as mpl
from matplotlib.figure import Figure

__all__ = ["PALETTE", "COURSE_RC", "LECTURE_RC", "use_course_style", "use_lecture_style",
           "lecture_style", "large_type", "fit", "legend", "new_figure", "figure_to_png",
           "CourseFigure"]

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

#: Sizes for a projector: a 1280 x 720 screen shows a notebook's figures about 850 pixels
#: wide, so a 12-inch figure at 15 points shows its tick labels 14.7 pixels high. Titles are
#: no larger than the axis labels (three titles in a row must fit side by side), and legends
#: and notes (``fontsize="small"``: 14.2 points) a little smaller than tick labels.
LECTURE_RC = {
    **COURSE_RC,
    "font.size": 17,
    "axes.titlesize": 17,
    "axes.labelsize": 16,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 14,
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


def large_type() -> bool:
    """Whether the matplotlib settings now in force use large type (the lecture style).

    Figures ask when they are made: a panel lays out its figure for the style in force
    when it was built (see :class:`gan_lessons.widgets.base.FigurePanel`).
    """
    return float(mpl.rcParams["font.size"]) >= (COURSE_RC["font.size"] + LECTURE_RC["font.size"]) / 2


def fit(text: str, width: int | None = None) -> str:
    """A title or label that must fit its axes: as it reads in the default style, on several
    lines in large type.

    In large type the line breaks written in ``text`` are kept and, given ``width``, longer
    lines are wrapped at spaces to at most ``width`` characters; in the default style the text
    is one line (its line breaks become spaces), as it always was.

    Example:
      >>> fit("Row player: payoff\\nagainst each column")
      'Row player: payoff against each column'
      >>> with lecture_style():
      ...     print(fit("Row player: payoff against each column", 22))
      Row player: payoff
      against each column
    """
    if not large_type():
        return " ".join(text.split("\n"))
    if width is None:
        return text
    return "\n".join(textwrap.fill(line, width, break_long_words=False) for line in text.split("\n"))


def legend(ax, *, loc: str = "best", ncol: int = 1, below_ncol: int | None = None, **kwargs):
    """The legend of ``ax``: in the default style where ``loc`` (and ``bbox_to_anchor``, if
    given) put it; in large type centred below the axes, under the x label (set that
    first), where it hides no data and constrained layout makes room for it.

    ``below_ncol`` is its number of columns there (default: 2, or 1 for a single entry);
    other keyword arguments go to ``Axes.legend``.
    """
    if not large_type():
        return ax.legend(loc=loc, ncol=ncol, **kwargs)
    labels = ax.get_legend_handles_labels()[1]
    rc = mpl.rcParams
    # Points from the frame's bottom to the x label's: tick, tick label, label and their pads.
    below = max(rc["xtick.major.size"], 0.0) + rc["xtick.major.pad"]
    if ax.xaxis.get_visible() and rc["xtick.labelbottom"] and len(ax.get_xticks()):
        below += 1.2 * _points(rc["xtick.labelsize"])
    label = ax.xaxis.label
    if label.get_text().strip():
        below += ax.xaxis.labelpad + 1.2 * label.get_size() * (label.get_text().count("\n") + 1)
    size = _points(kwargs.get("fontsize", rc["legend.fontsize"]))
    kwargs.pop("bbox_to_anchor", None)
    kwargs.setdefault("frameon", False)
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), borderaxespad=below / size,
                     ncol=below_ncol or min(2, max(1, len(labels))), **kwargs)


def _points(size) -> float:
    """A font size (points, or a name such as ``"small"``) in points."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=size).get_size_in_points()


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
