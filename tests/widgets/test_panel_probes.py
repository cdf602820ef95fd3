"""Every explorer panel names a probe control, and moving it changes the figure.

The browser tests (tests/notebooks/test_browser.py) move each panel's probe in a real
JupyterLab; this checks the same contract in Python, without a browser, so a
panel that forgets its probe or whose probe is not wired fails here first.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.figure import Figure

from gan_lessons import widgets as panels
from gan_lessons.widgets.base import FIGURE_CLASS, PANEL_CLASS, PROBE_CLASS, FigurePanel
from panel_helpers import decode

PANELS = [panels.BayesExplorer, panels.OptimalDiscriminatorExplorer, panels.GeneratorGradientExplorer,
          panels.DivergenceExplorer, panels.DynamicsExplorer, panels.FitExplorer, panels.ZeroSumExplorer,
          panels.TastePanel, panels.GANLabExplorer, panels.ImageGANExplorer]


def descendants(widget: widgets.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def move(control: widgets.Widget) -> None:
    """What a user does to a control: click a button, pick another option, nudge a number."""
    if isinstance(control, widgets.Button):
        control.click()
    elif isinstance(control, (widgets.Dropdown, widgets.ToggleButtons)):
        options = list(control.options)
        values = [option[1] if isinstance(option, tuple) else option for option in options]
        control.value = values[(values.index(control.value) + 1) % len(values)]
    elif isinstance(control, widgets.FloatLogSlider):
        control.value = control.base ** min(control.max, np.log(control.value) / np.log(control.base)
                                            + 5 * control.step)
    else:
        control.value = min(control.max, control.value + 5 * (getattr(control, "step", None) or 1))


def test_every_figure_panel_is_listed():
    """A new panel class must join PANELS (and so the probe contract)."""
    exported = {getattr(panels, name) for name in panels.__all__}
    figure_panels = {cls for cls in exported if isinstance(cls, type) and issubclass(cls, FigurePanel)
                     and cls is not FigurePanel}
    assert figure_panels == set(PANELS)


def test_probe_must_be_a_widget():
    with pytest.raises(TypeError, match="probe"):
        FigurePanel([], Figure(), probe="slider")


@pytest.mark.parametrize("panel_class", PANELS, ids=[cls.__name__ for cls in PANELS])
def test_moving_the_probe_changes_the_figure(panel_class):
    panel = panel_class()
    assert PANEL_CLASS in panel.widget._dom_classes
    assert FIGURE_CLASS in panel.image._dom_classes
    assert panel.probe is not None, f"{panel_class.__name__} names no probe control"
    assert PROBE_CLASS in panel.probe._dom_classes
    tree = list(descendants(panel.widget))
    assert any(widget is panel.probe for widget in tree), "the probe is not one of the panel's widgets"
    assert sum(PROBE_CLASS in widget._dom_classes for widget in tree) == 1
    before = decode(panel.image.value)
    move(panel.probe)
    after = decode(panel.image.value)
    assert panel.error is None, panel.error
    assert before.shape == after.shape
    changed = np.any(before != after, axis=-1).mean()
    assert changed > 0.001, f"moving {type(panel.probe).__name__} changed {changed:.4%} of the figure"
