"""Explorer panels: every control position redraws without raising or recompiling.

Following STYLE.md, a test sets ``.value`` on a control and asserts on what the
callback computed. Expected numbers come from closed forms (the 2 x 2 formula).
"""

from __future__ import annotations

import itertools

import jax
import numpy as np
import pytest

from gan_lessons.widgets import WidgetCheck, ZeroSumExplorer
from gan_lessons.widgets.games import PRESETS
from panel_helpers import assert_matches_full_render


@pytest.fixture(scope="module")
def explorer():
    panel = ZeroSumExplorer()
    # warm up both dynamics once, as the lesson does before the student touches anything
    panel.dynamics.value = "fictitious play"
    panel.dynamics.value = "gradient play"
    return panel


def test_initial_panel_shows_the_donut_solution(explorer):
    explorer.preset.value = "donut game (lecture)"
    solution = explorer.result["solution"]
    # closed form for a=2, b=-2, c=-1, d=2: p = 3/7, q = 4/7, v = 2/7
    np.testing.assert_allclose(solution.row_strategy, [3 / 7, 4 / 7], atol=1e-9)
    np.testing.assert_allclose(solution.col_strategy, [4 / 7, 3 / 7], atol=1e-9)
    assert abs(solution.value - 2 / 7) < 1e-9
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    assert "2/7" in explorer.status.value or "0.2857" in explorer.status.value


def test_editing_an_entry_resolves_the_game(explorer):
    explorer.set_payoff([[1.0, -1.0], [-1.0, 1.0]])
    explorer.entries[0][0].value = 3.0  # a=3, b=-1, c=-1, d=1: den 6, p = 1/3, q = 1/3, v = 1/3
    assert explorer.preset.value == "custom"
    solution = explorer.result["solution"]
    np.testing.assert_allclose(solution.row_strategy[0], 2 / 6, atol=1e-9)
    np.testing.assert_allclose(solution.col_strategy[0], 2 / 6, atol=1e-9)
    assert abs(solution.value - (3 * 1 - 1) / 6) < 1e-9


def test_numeric_controls_do_not_recompile(explorer, compilations):
    mark = compilations.mark()
    for value in (0.01, 0.2, 0.45):
        explorer.eta.value = value
    for value in (1, 57, 400):
        explorer.steps.value = value
    explorer.p0.value, explorer.q0.value = 0.1, 0.9
    explorer.entries[1][1].value = -7.5
    explorer.dynamics.value = "fictitious play"
    explorer.entries[0][1].value = 4.0
    explorer.dynamics.value = "gradient play"
    assert compilations.since(mark) == []
    assert len(explorer.result["row_path"]) == explorer.steps.value + 1
    explorer.eta.value = 0.3  # a trajectory-only change repaints one axes: same picture as a full draw
    assert_matches_full_render(explorer)


def test_every_preset_and_dynamics_position_draws(explorer):
    for preset, dynamics in itertools.product(PRESETS, ("fictitious play", "gradient play")):
        explorer.preset.value = preset
        explorer.dynamics.value = dynamics
        assert explorer.error is None, (preset, dynamics, explorer.error)
        assert np.isfinite(explorer.result["exploitability"])


@pytest.mark.parametrize("corner", list(itertools.product((-20.0, 0.0, 20.0), repeat=2)))
def test_extreme_and_degenerate_matrices_draw(explorer, corner):
    lo, hi = corner
    explorer.set_payoff([[lo, hi], [hi, lo]])
    assert explorer.error is None
    explorer.eta.value, explorer.steps.value = explorer.eta.max and 10 ** explorer.eta.max, 400
    explorer.p0.value, explorer.q0.value = 0.0, 1.0
    assert explorer.error is None
    assert np.all(np.isfinite(explorer.result["row_path"]))


def test_saddle_game_is_explained(explorer):
    explorer.preset.value = "saddle point"
    assert explorer.result["solution"].saddle_point == (1, 1)
    assert "saddle" in explorer.status.value.lower()


def test_static_fallback_is_a_png(explorer):
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "image/png" in bundle and "widgets are not rendering" in bundle["text/plain"]


def test_widget_check_computes_in_kernel():
    check = WidgetCheck()
    check.slider.value = 7
    assert "49" in check.output.value
    assert "NOT rendering" in check._repr_mimebundle_()["text/plain"]


def test_taste_panel_trains_resets_and_never_recompiles(compilations):
    from gan_lessons.widgets import TastePanel
    from gan_lessons.widgets.taste import CHUNK

    panel = TastePanel(seconds=0.1, seed=3)  # the constructor compiles the chunk and draws once
    mark = compilations.mark()
    panel.train()
    assert panel.steps_done >= CHUNK and panel.error is None
    assert len(np.concatenate(panel.history["d_real"])) == panel.steps_done
    first = bytes(panel.image.value)
    panel.seed.value = 4          # a new seed resets the run
    assert panel.steps_done == 0
    panel.train_button.click()    # the button trains for panel.seconds
    assert panel.steps_done >= CHUNK
    assert_matches_full_render(panel)
    panel.reset_button.click()
    assert panel.steps_done == 0 and bytes(panel.image.value) != first
    assert compilations.since(mark) == []


def test_taste_panel_rejects_bad_seconds():
    from gan_lessons.widgets import TastePanel

    with pytest.raises(ValueError, match="seconds"):
        TastePanel(seconds=0)


def test_taste_panel_run_does_not_depend_on_the_chunk_size():
    from gan_lessons.widgets import TastePanel

    small, large = TastePanel(seconds=0.1, seed=5, chunk=40), TastePanel(seconds=0.1, seed=5,
                                                                         chunk=120)
    small.train_steps(120)
    large.train_steps(120)
    assert small.steps_done == large.steps_done == 120
    trainer = small.trainer
    init_key, run_key = jax.random.split(jax.random.key(5))
    expected, _ = trainer.train(trainer.init(init_key), run_key, 120)
    for a, b, c in zip(jax.tree.leaves(small.state), jax.tree.leaves(large.state),
                       jax.tree.leaves(expected)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
        np.testing.assert_array_equal(np.asarray(a), np.asarray(c))
    with pytest.raises(ValueError, match="chunk"):
        TastePanel(seconds=0.1, chunk=0)
