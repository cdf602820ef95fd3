"""The shared machinery of the explorer panels.

A panel is a row of controls, one figure redrawn in place, and a status line.
The figure is a plain matplotlib ``Figure`` rendered to PNG into an
``ipywidgets.Image``: this works in JupyterLab, Notebook 7, VS Code and Colab
alike and needs no extra front-end extension. When a notebook is read without
a kernel (on GitHub, or as a static HTML page), the panel's output falls back
to a PNG of the same figure, so the lesson still reads well.
"""

from __future__ import annotations

import base64
import html
import io
import time
from contextlib import nullcontext
from typing import Any, Sequence

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, IdentityTransform
from PIL import Image

__all__ = ["FigurePanel", "status_html", "PANEL_CLASS", "FIGURE_CLASS", "PROBE_CLASS"]

#: CSS classes of a panel's box, of its figure and of its probe control (see ``FigurePanel``).
PANEL_CLASS, FIGURE_CLASS, PROBE_CLASS = "gan-lessons-panel", "gan-lessons-figure", "gan-lessons-probe"

#: rcParams that are no part of a figure's look (those ``matplotlib.style`` leaves alone too).
_NOT_STYLE = frozenset({"backend", "backend_fallback", "interactive", "toolbar", "timezone", "date.epoch",
                        "docstring.hardcopy", "figure.max_open_warning", "figure.raise_window",
                        "savefig.directory", "tk.window_focus", "webagg.address", "webagg.port",
                        "webagg.port_retries", "webagg.open_in_browser"})

NOT_RENDERED = ("[explorer panel] If you are running this notebook and read this text instead of "
                "sliders and a figure, interactive widgets are not rendering here: open the notebook "
                "in JupyterLab (pip install -e . installs ipywidgets), or see lesson 00.")


def status_html(lines: list[str], *, error: str | None = None) -> str:
    """The panel's status line as HTML: an optional error in red, then the lines."""
    parts = []
    if error:
        parts.append(f"<div style='color:#b3261e'><b>{html.escape(error)}</b></div>")
    parts += [f"<div>{line}</div>" for line in lines]
    return "<div style='font-size:0.95em;line-height:1.45'>" + "".join(parts) + "</div>"


class FigurePanel:
    """Base class: controls, a figure redrawn in place, a status line.

    Subclasses build their controls, call ``super().__init__`` and implement
    :meth:`draw`, which updates ``self.figure`` and returns the status lines.
    Each subclass names a ``probe``: a control whose change visibly changes the
    figure, which the browser tests move to prove the panel is live.
    Every control change calls :meth:`update`; it records how long the redraw
    took in ``last_update_seconds`` (the latency a user feels, minus transport).

    Rendering is the expensive part on a small CPU, so it is done with care:
    the figure's layout is solved once (on the first render) and then frozen,
    :meth:`draw` may set ``self.changed_axes`` to the axes it touched (only those
    are repainted) or, when only the data of *animated* artists moved, set
    ``self.blit`` (see :meth:`render`).

    A panel keeps the matplotlib style it was built in (the rcParams of its first
    :meth:`update`, e.g. inside ``with lecture_style():``): every later redraw, made
    when a control moves, long after that block ended, uses the same sizes and layout.
    """

    def __init__(self, controls: list[widgets.Widget], figure: Figure, *, title: str = "",
                 footer: list[widgets.Widget] | None = None,
                 probe: widgets.Widget | None = None) -> None:
        if probe is not None and not isinstance(probe, widgets.Widget):
            raise TypeError(f"probe must be one of the panel's widgets, got {probe!r}")
        self.figure = figure
        width_px = int(figure.get_figwidth() * figure.dpi)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%",
                                                                       max_width=f"{width_px}px"))
        self.status = widgets.HTML()
        header = [widgets.HTML(f"<h3 style='margin:0.2em 0'>{html.escape(title)}</h3>")] if title else []
        self.widget = widgets.VBox(header + list(controls) + [self.image, self.status] + (footer or []))
        # Names the browser tests (tests/browser/) find the panel by: the panel, its figure, and
        # the one control whose change must visibly change the figure.
        self.widget.add_class(PANEL_CLASS)
        self.image.add_class(FIGURE_CLASS)
        self.probe = probe
        if probe is not None:
            probe.add_class(PROBE_CLASS)
        self.last_update_seconds = float("nan")
        self.error: str | None = None
        self.changed_axes: Sequence | None = None
        self.blit = False
        self._backgrounds: dict = {}
        self._canvas = FigureCanvasAgg(figure)
        self._extents: dict | None = None
        self._png = b""

    divergence_advice = "press Reset"
    """What the red message says to do when a training panel's ``diverged_at`` is set."""

    def draw(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def update(self, change: Any = None) -> None:
        """Recompute and redraw. Invalid input is shown in the status line, never raised."""
        start = time.perf_counter()
        self.changed_axes, self.blit = None, False
        with self._own_style():
            try:
                lines = self.draw()
                self.error = None
                if getattr(self, "diverged_at", None) is not None:
                    self.error = (f"training diverged at step {self.diverged_at}: a loss is not "
                                  f"finite; {self.divergence_advice}")
            except ValueError as err:  # a control combination the maths does not allow
                lines, self.error, self.changed_axes, self.blit = [], str(err), None, False
            self.render(self.changed_axes)
        self.image.value = self._png
        self.last_update_seconds = time.perf_counter() - start
        lines = lines + [f"<span style='color:#777'>redrawn in {1000 * self.last_update_seconds:.0f} ms</span>"]
        self.status.value = status_html(lines, error=self.error)

    def render(self, axes: Sequence | None = None) -> bytes:
        """Paint the figure, or only ``axes``, and encode it as PNG; returns the bytes.

        Three levels of work, cheapest first:

        - ``self.blit`` set by :meth:`draw`: only the *animated* artists changed (lines
          whose data moved while every axis limit stayed put). Each axes' background,
          saved at its last full paint, is restored and the animated artists are drawn
          on it: matplotlib's blitting, which repaints no axes, ticks or labels.
        - ``axes`` given: those axes are repainted whole (new limits, new ticks), each
          over a blank of its cell (see :meth:`_cell`).
        - otherwise the whole figure is drawn.
        """
        with self._own_style():
            return self._render(axes)

    def _own_style(self):
        """A context with the rcParams of the panel's first update (see the class docstring):
        a redraw creates artists (a new legend, ticks) and matplotlib styles them, and picks
        how many ticks fit, from the rcParams in force."""
        style = getattr(self, "_style", None)
        if style is None:
            style = self._style = {key: value for key, value in mpl.rcParams.items()
                                   if key not in _NOT_STYLE}
        changed = {key: value for key, value in style.items() if mpl.rcParams[key] != value}
        return mpl.rc_context(changed) if changed else nullcontext()

    def _render(self, axes: Sequence | None) -> bytes:
        canvas = self._canvas
        if self.blit and self._backgrounds:
            for ax, background in self._backgrounds.items():
                canvas.restore_region(background)
                self._draw_animated(ax)
        elif axes is None or self._extents is None or len(set(axes)) == len(self.figure.axes):
            canvas.draw()
            if self.figure.get_layout_engine() is not None:
                # Solved once; later renders keep these positions (and skip the solver).
                self.figure.set_layout_engine("none")
            renderer = canvas.get_renderer()
            self._extents = {ax: ax.get_tightbbox(renderer) for ax in self.figure.axes}
            self._backgrounds = {}
            for ax in self.figure.axes:
                self._save_background(ax)
        else:
            renderer = canvas.get_renderer()
            colour = self.figure.get_facecolor()
            for ax in axes:
                cell = self._cell(ax)
                Rectangle((cell.x0, cell.y0), cell.width, cell.height, transform=IdentityTransform(),
                          facecolor=colour, edgecolor="none").draw(renderer)
                ax.draw(renderer)
                self._save_background(ax)
            for ax, background in self._backgrounds.items():  # the others' animated artists
                if ax not in axes:
                    canvas.restore_region(background)
                    self._draw_animated(ax)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        self._png = buffer.getvalue()
        return self._png

    @staticmethod
    def _animated(ax) -> list:
        return [artist for artist in ax.get_children() if artist.get_animated()]

    def _draw_animated(self, ax) -> None:
        for artist in self._animated(ax):
            ax.draw_artist(artist)

    def _save_background(self, ax) -> None:
        """After a paint (which skips animated artists): keep the axes' background, then
        draw its animated artists on top."""
        if self._animated(ax):
            # a few pixels beyond the frame: antialiased curves touching the edge bleed out
            self._backgrounds[ax] = self._canvas.copy_from_bbox(ax.bbox.padded(3))
            self._draw_animated(ax)
        else:
            self._backgrounds.pop(ax, None)

    def _cell(self, ax) -> Bbox:
        """The box around ``ax`` that its repaint may blank without touching a neighbour.

        Starting from the whole figure, the box is cut back at every other axes: a
        neighbour whose frame lies to the left (right, below, above) of this one's
        cuts it at the edge of the neighbour's drawing (tick labels, titles and
        legends included, as measured at the last full render), but never inside
        this axes' own frame. Blanking this box leaves no trace of longer labels
        drawn earlier and never erases a neighbour.
        """
        frame = ax.bbox
        x0, y0, x1, y1 = self.figure.bbox.extents
        for other, extent in self._extents.items():
            if other is ax or not other.get_visible():
                continue
            if other.bbox.x1 <= frame.x0:
                x0 = max(x0, min(extent.x1 + 1, frame.x0 - 1))
            elif other.bbox.x0 >= frame.x1:
                x1 = min(x1, max(extent.x0 - 1, frame.x1 + 1))
            elif other.bbox.y1 <= frame.y0:
                y0 = max(y0, min(extent.y1 + 1, frame.y0 - 1))
            elif other.bbox.y0 >= frame.y1:
                y1 = min(y1, max(extent.y0 - 1, frame.y1 + 1))
        return Bbox.from_extents(x0, y0, x1, y1)

    def observe(self, *controls: widgets.Widget) -> None:
        """Redraw whenever one of ``controls`` changes value."""
        for control in controls:
            control.observe(self.update, names="value")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = NOT_RENDERED
        if self._png:
            bundle["image/png"] = base64.b64encode(self._png).decode("ascii")
        return bundle
