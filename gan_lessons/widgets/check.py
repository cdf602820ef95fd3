"""A widget that tells the student whether interactive widgets work (lesson 00)."""

from __future__ import annotations

import ipywidgets as widgets

__all__ = ["WidgetCheck"]


class WidgetCheck:
    """A slider whose square is computed by the kernel.

    If widgets render, the student sees a slider and, on moving it, the square
    of its value computed by Python. If they do not, the text fallback explains
    what to do instead of printing ``IntSlider(...)``.
    """

    FALLBACK = ("[widget check] If you are running this notebook and read this sentence instead of "
                "a slider, widgets are NOT rendering. In JupyterLab 4 they work out of the box once "
                "ipywidgets 8 is installed in the same environment as JupyterLab: run "
                "`pip install -e .` in the course folder, restart JupyterLab and reload the page. "
                "(In a static copy of the notebook, without a kernel, no slider can appear.)")

    def __init__(self, value: int = 3) -> None:
        self.slider = widgets.IntSlider(value=value, min=0, max=10, description="x",
                                        continuous_update=True)
        self.output = widgets.HTML()
        self.slider.observe(self._update, names="value")
        self._update()
        self.widget = widgets.HBox([self.slider, self.output])

    def _update(self, change=None) -> None:
        x = self.slider.value
        self.output.value = (f"<b>Widgets work:</b> the kernel computed x<sup>2</sup> = {x * x}. "
                             "Move the slider.")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = self.FALLBACK
        return bundle
