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
from typing import Any, Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, IdentityTransform
from PIL import Image

__all__ = ["FigurePanel", "status_html"]

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
    Every control change calls :meth:`update`; it records how long the redraw
    took in ``last_update_seconds`` (the latency a user feels, minus transport).

    Rendering is the expensive part on a small CPU, so it is done with care:
    the figure's layout is solved once (on the first render) and then frozen,
    and :meth:`draw` may set ``self.changed_axes`` to the axes it touched when
    their limits are fixed: only those are repainted (over a blank of their
    previous extent), instead of the whole figure.
    """

    def __init__(self, controls: list[widgets.Widget], figure: Figure, *, title: str = "",
                 footer: list[widgets.Widget] | None = None) -> None:
        self.figure = figure
        width_px = int(figure.get_figwidth() * figure.dpi)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%",
                                                                       max_width=f"{width_px}px"))
        self.status = widgets.HTML()
        header = [widgets.HTML(f"<h3 style='margin:0.2em 0'>{html.escape(title)}</h3>")] if title else []
        self.widget = widgets.VBox(header + list(controls) + [self.image, self.status] + (footer or []))
        self.last_update_seconds = float("nan")
        self.error: str | None = None
        self.changed_axes: Sequence | None = None
        self._canvas = FigureCanvasAgg(figure)
        self._extents: dict | None = None
        self._png = b""

    def draw(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def update(self, change: Any = None) -> None:
        """Recompute and redraw. Invalid input is shown in the status line, never raised."""
        start = time.perf_counter()
        self.changed_axes = None
        try:
            lines = self.draw()
            self.error = None
        except ValueError as err:  # a control combination the maths does not allow
            lines, self.error, self.changed_axes = [], str(err), None
        self.render(self.changed_axes)
        self.image.value = self._png
        self.last_update_seconds = time.perf_counter() - start
        lines = lines + [f"<span style='color:#777'>redrawn in {1000 * self.last_update_seconds:.0f} ms</span>"]
        self.status.value = status_html(lines, error=self.error)

    def render(self, axes: Sequence | None = None) -> bytes:
        """Paint the figure (or only ``axes``) and encode it as PNG; returns the bytes."""
        canvas = self._canvas
        if axes is None or self._extents is None or len(set(axes)) == len(self.figure.axes):
            canvas.draw()
            if self.figure.get_layout_engine() is not None:
                # Solved once; later renders keep these positions (and skip the solver).
                self.figure.set_layout_engine("none")
            renderer = canvas.get_renderer()
            self._extents = {ax: ax.get_tightbbox(renderer) for ax in self.figure.axes}
        else:
            renderer = canvas.get_renderer()
            colour = self.figure.get_facecolor()
            for ax in axes:
                # The extent measured at the last full render, with a margin for labels that
                # grow a little (a longer legend entry, say); the axes' limits are fixed.
                box = self._extents[ax].padded(3)
                Rectangle((box.x0, box.y0), box.width, box.height, transform=IdentityTransform(),
                          facecolor=colour, edgecolor="none").draw(renderer)
                ax.draw(renderer)
                # Titles and legends may grow (a longer step count): widen the blank for next time.
                grown = [ax.title.get_window_extent(renderer)]
                if ax.get_legend() is not None:
                    grown.append(ax.get_legend().get_window_extent(renderer))
                self._extents[ax] = Bbox.union([self._extents[ax], *grown])
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        self._png = buffer.getvalue()
        return self._png

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
