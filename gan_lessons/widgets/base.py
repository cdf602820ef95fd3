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
import time
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from gan_lessons.plots.style import figure_to_png

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

    def draw(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def update(self, change: Any = None) -> None:
        """Recompute and redraw. Invalid input is shown in the status line, never raised."""
        start = time.perf_counter()
        try:
            lines = self.draw()
            self.error = None
        except ValueError as err:  # a control combination the maths does not allow
            lines, self.error = [], str(err)
        self.image.value = figure_to_png(self.figure)
        self.last_update_seconds = time.perf_counter() - start
        lines = lines + [f"<span style='color:#777'>redrawn in {1000 * self.last_update_seconds:.0f} ms</span>"]
        self.status.value = status_html(lines, error=self.error)

    def observe(self, *controls: widgets.Widget) -> None:
        """Redraw whenever one of ``controls`` changes value."""
        for control in controls:
            control.observe(self.update, names="value")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = NOT_RENDERED
        if self.image.value:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle
