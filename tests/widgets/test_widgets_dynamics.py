"""Lesson 06 explorer: every control position draws, divergence is reported, nothing recompiles."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from gan_lessons import dynamics as dy
from gan_lessons.widgets import DynamicsExplorer
from panel_helpers import assert_matches_full_render

@pytest.fixture(scope="module")
def panel():
    return DynamicsExplorer()


def test_simultaneous_radius_grows_by_the_closed_form(panel):
    panel.game.value = "bilinear a*b"
    panel.method.value = "simultaneous"
    panel.eta.value, panel.steps.value = 0.2, 30
    path = panel.result["path"]
    ratios = np.hypot(*path[1:].T) / np.hypot(*path[:-1].T)
    np.testing.assert_allclose(ratios, math.sqrt(1 + 0.2 ** 2), rtol=1e-5)
    assert panel.result["spectral_radius"] == pytest.approx(math.sqrt(1.04), rel=1e-9)
    assert "spirals out" in panel.status.value


def test_divergence_is_reported_not_raised(panel):
    panel.game.value = "bilinear a*b"
    panel.method.value = "simultaneous"
    panel.eta.value, panel.steps.value = 10 ** panel.eta.max, panel.steps.max
    assert panel.result["diverged"] and panel.result["diverged_at"] > 0
    assert np.all(np.isfinite(panel.result["path"]))
    assert "diverged" in panel.status.value and panel.error is None


def test_every_control_position_without_recompiling(panel, compilations):
    mark = compilations.mark()
    for game in ("bilinear a*b", "Dirac-GAN"):
        panel.game.value = game
        for method in panel.method.options:
            panel.method.value = method
            for eta, steps in itertools.product((10 ** panel.eta.min, 0.3, 10 ** panel.eta.max), (0, 400)):
                panel.eta.value, panel.steps.value = eta, steps
                assert panel.error is None and np.all(np.isfinite(panel.result["path"]))
        if game == "Dirac-GAN":
            for loss, regulariser in itertools.product(dy.DIRAC_LOSSES, dy.DIRAC_REGULARISERS):
                panel.loss.value, panel.regulariser.value = loss, regulariser
                for strength in (0.0, 3.0):
                    panel.strength.value = strength
                    assert panel.error is None and np.isfinite(panel.result["spectral_radius"])
    for start in ((-2.0, -2.0), (0.0, 0.0), (2.0, 2.0)):
        panel.a0.value, panel.b0.value = start
        assert panel.error is None
    assert compilations.since(mark) == []


def test_r1_converges_in_the_panel(panel):
    panel.game.value = "Dirac-GAN"
    panel.method.value = "simultaneous"
    panel.loss.value, panel.regulariser.value, panel.strength.value = "gan", "r1", 1.0
    panel.eta.value, panel.steps.value = 0.2, 400
    assert np.hypot(*panel.result["path"][-1]) < 1e-3
    assert panel.result["spectral_radius"] < 1
    assert_matches_full_render(panel)
    panel.eta.value = 0.25  # a blitted update matches a full repaint too
    assert_matches_full_render(panel)
