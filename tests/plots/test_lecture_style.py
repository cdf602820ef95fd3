"""Every explorer panel stays readable in the lecture style, and in the default ones.

``use_lecture_style()`` makes fonts much larger; a panel built afterwards must still lay out
its figure: every text inside the canvas, no text of one axes running into another axes (its
texts or its frame), no two texts of one axes on top of each other, no legend hiding the data,
and tick labels large enough to read on a projector. The classroom case is JupyterLab at
1280 x 720, where the output area is ``DISPLAY_WIDTH`` pixels wide and a wider figure is shown
scaled down (see ``FigurePanel``).

Three styles: "default" is matplotlib's own (what the lessons show: no lesson sets a style),
"course" is ``COURSE_RC`` (``use_course_style()``) and "lecture" is ``lecture_style()``. The
lecture style is layered on matplotlib's defaults here, so that a test that changed rcParams
earlier in the session cannot change what this one measures.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.style
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.legend import Legend
from matplotlib.text import Text

from gan_lessons import widgets as panels
from gan_lessons.plots import style

PANELS = [panels.BayesExplorer, panels.OptimalDiscriminatorExplorer, panels.GeneratorGradientExplorer,
          panels.DivergenceExplorer, panels.DynamicsExplorer, panels.FitExplorer, panels.ZeroSumExplorer,
          panels.TastePanel, panels.GANLabExplorer, panels.ImageGANExplorer]
STYLES = ("default", "course", "lecture")
DISPLAY_WIDTH = 848
"""Pixels: the width of a notebook's output area in JupyterLab on a 1280 x 720 screen."""
MIN_TICK_PX = 12.0
"""The smallest tick label the lecture style may show on that screen, in screen pixels."""
TOLERANCE = 1.5
"""Pixels by which two boxes may overlap, or a box may leave the canvas (antialiasing)."""
SLACK = 0.2
"""Within one axes, the overlap allowed between two texts' boxes, as a fraction of the
smaller font size (the boxes' empty room above and below the glyphs)."""
MAX_HIDDEN = 0.02
"""The largest fraction of a curve's drawn length that a legend inside the axes may cover."""


@contextmanager
def style_named(name: str):
    """The rcParams of the style ``name`` (see the module docstring), for the block."""
    with mpl.style.context("default"):
        if name == "course":
            mpl.rcParams.update(style.COURSE_RC)
        if name == "lecture":
            with style.lecture_style():
                yield
        else:
            yield


def visible_texts(figure) -> list[tuple[object, object, object]]:
    """``(artist, axes, window extent)`` of every visible, non-empty text of ``figure``.

    Axes titles, axis labels, offset texts ("1e7"), the tick labels drawn (inside the view
    interval), texts and annotations, legends (one box each) per axes, with ``axes`` None
    for figure-level texts and legends. Call it after the figure has been drawn.
    """
    renderer = figure.canvas.get_renderer()
    found = []

    def add(artist, ax):
        if not artist.get_visible():
            return
        if isinstance(artist, Text) and not artist.get_text().strip():
            return
        found.append((artist, ax, artist.get_window_extent(renderer)))

    for ax in figure.axes:
        if not ax.get_visible():
            continue
        for artist in (ax.title, ax._left_title, ax._right_title):
            add(artist, ax)
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.get_visible():
                continue
            add(axis.label, ax)
            add(axis.offsetText, ax)
            for tick in axis._update_ticks():  # the ticks inside the view interval: those drawn
                for label, on in ((tick.label1, tick.label1.get_visible()),
                                  (tick.label2, tick.label2.get_visible())):
                    if on:
                        add(label, ax)
        for text in ax.texts:
            add(text, ax)
        legend = ax.get_legend()
        if legend is not None:
            add(legend, ax)
    for text in figure.texts:
        add(text, None)
    for legend in figure.legends:
        add(legend, None)
    for title in (getattr(figure, "_suptitle", None), getattr(figure, "_supxlabel", None),
                  getattr(figure, "_supylabel", None)):
        if title is not None:
            add(title, None)
    return found


def describe(artist, ax, figure) -> str:
    """A short name for a text in a failure message: which axes, which text."""
    where = f"axes {figure.axes.index(ax)}" if ax is not None else "figure"
    if ax is not None and ax.get_title():
        where += f" ({ax.get_title()[:30]!r})"
    if isinstance(artist, Legend):
        return f"{where}: legend"
    kind = ("title" if ax is not None and artist in (ax.title, ax._left_title, ax._right_title)
            else "x label" if ax is not None and artist is ax.xaxis.label
            else "y label" if ax is not None and artist is ax.yaxis.label else "text")
    return f"{where}: {kind} {artist.get_text()!r}"


def _size_px(artist, figure) -> float:
    """The font size of a text or legend, in pixels of the figure."""
    text = artist.get_texts()[0] if isinstance(artist, Legend) and artist.get_texts() else artist
    return text.get_fontsize() * figure.dpi / 72


def overlap(a, b, tolerance: float = TOLERANCE) -> bool:
    """Whether two boxes share more than ``tolerance`` pixels both ways."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


def is_label(artist, ax) -> bool:
    """An axes' title or axis label (not a tick label, legend or other text)."""
    return ax is not None and artist in (ax.title, ax._left_title, ax._right_title,
                                         ax.xaxis.label, ax.yaxis.label)


def layout_problems(figure) -> list[str]:
    """What makes a figure hard to read, one line each: a text (partly) outside the canvas; a
    text of one axes on a text of another, or on another axes' frame; two texts of one axes
    on top of each other (tick labels too close, a title on a label)."""
    texts = visible_texts(figure)
    canvas = figure.bbox
    problems = []
    for artist, ax, box in texts:
        if (box.x0 < canvas.x0 - TOLERANCE or box.y0 < canvas.y0 - TOLERANCE
                or box.x1 > canvas.x1 + TOLERANCE or box.y1 > canvas.y1 + TOLERANCE):
            problems.append(f"outside the canvas ({canvas.width:.0f} x {canvas.height:.0f} px): "
                            f"{describe(artist, ax, figure)} at x {box.x0:.0f}..{box.x1:.0f}, "
                            f"y {box.y0:.0f}..{box.y1:.0f}")
    for (a, ax_a, box_a), (b, ax_b, box_b) in itertools.combinations(texts, 2):
        names = f"{describe(a, ax_a, figure)} and {describe(b, ax_b, figure)}"
        if ax_a is not ax_b or ax_a is None:
            if overlap(box_a, box_b):
                kind = "labels" if is_label(a, ax_a) and is_label(b, ax_b) else "texts"
                problems.append(f"{kind} collide: {names}")
        else:
            # A text's box has room for ascenders and descenders: within one axes, where tick
            # labels meet at a corner, boxes may overlap by that much with no ink touching.
            slack = max(TOLERANCE, SLACK * min(_size_px(a, figure), _size_px(b, figure)))
            if overlap(box_a, box_b, slack):
                problems.append(f"texts of one axes overlap: {names}")
    visible_axes = [ax for ax in figure.axes if ax.get_visible()]
    for artist, ax, box in texts:
        for other in visible_axes:
            if other is not ax and overlap(box, other.bbox):
                problems.append(f"{describe(artist, ax, figure)} runs into the frame of axes "
                                f"{figure.axes.index(other)} ({other.get_title()[:30]!r})")
    return problems


def hidden_data(figure) -> list[str]:
    """Legends that hide data: a marker, or more than ``MAX_HIDDEN`` of a curve's length
    (as drawn inside the frame) under a legend that lies inside its axes."""
    renderer = figure.canvas.get_renderer()
    problems = []
    for ax in figure.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible() or not ax.get_visible():
            continue
        box, frame = legend.get_window_extent(renderer), ax.bbox
        if not overlap(box, frame):
            continue
        for line in ax.get_lines():
            xy = np.asarray(line.get_xydata(), dtype=float)
            if not line.get_visible() or len(xy) == 0:
                continue
            xy = line.get_transform().transform(xy)
            xy = xy[np.all(np.isfinite(xy), axis=1)]
            name = line.get_label() if not line.get_label().startswith("_") else "a line"
            if line.get_marker() not in (None, "", " ", "None", "none"):
                inside = ((xy[:, 0] > box.x0) & (xy[:, 0] < box.x1) & (xy[:, 1] > box.y0)
                          & (xy[:, 1] < box.y1))
                if inside.any():
                    problems.append(f"{describe(legend, ax, figure)} hides a marker of {name!r}")
            if line.get_linestyle() in ("None", "", " ") or len(xy) < 2:
                continue
            # the curve, sampled every pixel along its length, inside the frame
            steps = np.maximum(1, np.ceil(np.hypot(*np.diff(xy, axis=0).T)).astype(int))
            points = np.concatenate([a + np.linspace(0, 1, n, endpoint=False)[:, None] * (b - a)
                                     for a, b, n in zip(xy[:-1], xy[1:], steps)])
            points = points[(points[:, 0] >= frame.x0) & (points[:, 0] <= frame.x1)
                            & (points[:, 1] >= frame.y0) & (points[:, 1] <= frame.y1)]
            if not len(points):
                continue
            hidden = np.mean((points[:, 0] > box.x0) & (points[:, 0] < box.x1)
                             & (points[:, 1] > box.y0) & (points[:, 1] < box.y1))
            if hidden > MAX_HIDDEN:
                problems.append(f"{describe(legend, ax, figure)} hides {hidden:.0%} of {name!r}")
    return problems


def smallest_tick_font(figure) -> float:
    """Points: the smallest font among the tick labels drawn."""
    sizes = [label.get_fontsize()
             for ax in figure.axes if ax.get_visible()
             for axis in (ax.xaxis, ax.yaxis) if axis.get_visible()
             for tick in axis._update_ticks()
             for label in (tick.label1, tick.label2)
             if label.get_visible() and label.get_text().strip()]
    return min(sizes)


def on_screen_px(points: float, figure, display_width: float = DISPLAY_WIDTH) -> float:
    """Screen pixels of a ``points`` font when the figure is shown at most ``display_width`` wide."""
    width = figure.get_figwidth() * figure.dpi
    return points * min(display_width, width) / width * figure.dpi / 72


def _build(panel_class, style_name):
    with style_named(style_name):
        return panel_class()


@pytest.fixture(scope="module", params=PANELS, ids=[cls.__name__ for cls in PANELS])
def built(request):
    """Each panel, built once per style (the training panels compile for seconds)."""
    return {name: _build(request.param, name) for name in STYLES}


@pytest.mark.parametrize("style_name", STYLES)
def test_texts_fit_the_canvas_and_do_not_collide(built, style_name):
    panel = built[style_name]
    with style_named(style_name):  # matplotlib picks the ticks to draw from the rcParams
        problems = layout_problems(panel.figure)
    assert not problems, (f"{type(panel).__name__} in the {style_name} style:\n  "
                          + "\n  ".join(problems))


def test_lecture_legends_hide_no_data(built):
    """In the lecture style a legend inside the axes would cover much of the data."""
    panel = built["lecture"]
    problems = hidden_data(panel.figure)
    assert not problems, f"{type(panel).__name__}:\n  " + "\n  ".join(problems)


def test_lecture_ticks_are_readable_on_a_projector(built):
    name = type(built["lecture"]).__name__
    px = {}
    for style_name, panel in built.items():
        with style_named(style_name):
            px[style_name] = on_screen_px(smallest_tick_font(panel.figure), panel.figure)
    assert px["lecture"] >= MIN_TICK_PX, (f"{name}: the smallest tick labels show at "
                                          f"{px['lecture']:.1f} px on a {DISPLAY_WIDTH} px wide "
                                          f"output area")
    assert px["lecture"] > max(px["default"], px["course"]), (
        f"{name}: the lecture style's tick labels are not larger on screen than the default ones: {px}")


def test_a_panel_keeps_the_style_it_was_built_in():
    """Controls move long after ``with lecture_style():`` ended; the redraws stay lecture-sized."""
    with style_named("default"):
        with style.lecture_style():
            panel = panels.ZeroSumExplorer()
        panel.preset.value = "matching pennies"  # new payoff lines, titles and legends
        assert panel.axes[0].title.get_fontsize() == style.LECTURE_RC["axes.titlesize"]
        assert panel.axes[0].get_lines()[0].get_linewidth() == style.LECTURE_RC["lines.linewidth"]
        assert panel.axes[0].get_legend().get_texts()[0].get_text() == "vs heads"
    with style_named("lecture"):
        problems = layout_problems(panel.figure) + hidden_data(panel.figure)
    assert not problems, "\n".join(problems)


def test_the_check_sees_collisions():
    """The checks themselves: titles that overlap, a label off the canvas, tick labels on top
    of each other, a legend over a curve."""
    figure, axes = style.new_figure(4.0, 2.0, ncols=2)
    axes[0].set_title("a title far too long for half of a small figure")
    axes[1].set_title("and another one, also far too long")
    axes[0].set_ylabel("y", labelpad=400)
    axes[1].set_xticks(np.linspace(0, 1, 30))
    axes[1].plot([0, 1], [0.9, 0.9], label="a curve under its legend")
    axes[1].set_ylim(0, 1)
    axes[1].legend(loc="upper center")
    figure.set_layout_engine("none")
    FigureCanvasAgg(figure).draw()
    problems = layout_problems(figure)
    assert any(p.startswith("labels collide") and "title" in p for p in problems), problems
    assert any(p.startswith("outside the canvas") and "y label" in p for p in problems), problems
    assert any(p.startswith("texts of one axes overlap") for p in problems), problems
    assert any("hides" in p and "a curve under its legend" in p for p in hidden_data(figure))
