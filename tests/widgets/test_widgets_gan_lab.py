"""The GAN-lab explorer of lesson 07: training, history, compilation, divergence, rendering.

As in STYLE.md, tests set ``.value`` on a control (or click a button) and assert on what the
panel computed. Expected numbers come from elsewhere: the engine's ``trainer.train`` run
directly with the panel's documented key schedule, and mode coverage recomputed here with
NumPy from its definition (nearest mean, within 3 standard deviations).
"""

from __future__ import annotations

import ipywidgets as widgets
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gan_lessons.data import GRID, RING
from gan_lessons.training.gan import METRIC_NAMES, GANConfig, make_trainer
from gan_lessons.widgets.gan_lab import (
    CHUNK,
    COVERAGE_SAMPLES,
    EVAL_SEED,
    STEPS_PER_CLICK,
    GANLabExplorer,
)
from panel_helpers import assert_matches_full_render

DEFAULTS = dict(dataset="ring", loss="non_saturating", d_steps=1, generator_width=128,
                discriminator_width=128)


@pytest.fixture(scope="module")
def panel() -> GANLabExplorer:
    return GANLabExplorer(seed=0, steps_per_click=100)


def _fresh(panel: GANLabExplorer, steps_per_click: int = 100) -> GANLabExplorer:
    """Back to the default config, seed 0, learning rates 1e-3 and an empty run."""
    panel.generator_lr.value = panel.discriminator_lr.value = 1e-3
    panel.steps_per_click.value = steps_per_click
    panel.configure(**DEFAULTS)
    panel.seed.value = 0
    panel.reset()
    return panel


def _compiles(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "compil" in r.getMessage().lower()]


def _coverage_by_hand(samples: np.ndarray, mixture) -> tuple[int, float]:
    """Modes reached by a sample within 3 std of its nearest mean, and the share of such samples."""
    distances = np.linalg.norm(samples[:, None, :] - mixture.means_array[None], axis=-1)
    good = distances.min(axis=1) <= 3 * mixture.std
    return len(np.unique(distances.argmin(axis=1)[good])), float(good.mean())


# ------------------------------------------------------------------------ construction
@pytest.mark.parametrize("kwargs, error, name", [
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 100_000}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"steps_per_click": 250}, ValueError, "steps_per_click"),
    ({"steps_per_click": "500"}, TypeError, "steps_per_click"),
])
def test_constructor_validates_its_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        GANLabExplorer(**kwargs)


def test_controls_widget_and_static_png(panel):
    assert all(n % CHUNK == 0 for n in STEPS_PER_CLICK)
    assert isinstance(panel.widget, widgets.VBox)
    assert isinstance(panel.progress, widgets.FloatProgress)
    for slider in (panel.generator_lr, panel.discriminator_lr):
        assert isinstance(slider, widgets.FloatLogSlider) and not slider.continuous_update
        assert (10 ** slider.min, 10 ** slider.max) == (1e-5, 1.0)
    assert isinstance(panel.seed, widgets.BoundedIntText)
    assert panel.generator_width.options == panel.discriminator_width.options == (32, 64, 128, 256)
    assert (panel.d_steps.min, panel.d_steps.max) == (1, 5)
    assert GANLabExplorer.__doc__ and "teaches" in GANLabExplorer.__doc__
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle
    with pytest.raises(TypeError, match="batch_size"):
        panel.configure(batch_size=64)
    with pytest.raises(ValueError, match="dataset"):
        panel.configure(dataset="moons")
    assert panel.dataset.value == "ring"


# ------------------------------------------------------------------------ training
def test_history_equals_the_engine_run_with_the_documented_keys(panel):
    _fresh(panel)
    panel.train()
    panel.train_button.click()
    panel.step()
    h = panel.history
    assert panel.steps_done == 201 and int(panel.state.step) == 201
    np.testing.assert_array_equal(h["step"], np.arange(1, 202))

    trainer = make_trainer(GANConfig())
    assert panel.trainer is trainer and panel.config == GANConfig()
    init_key, run_key = jax.random.split(jax.random.key(0))
    state = trainer.set_learning_rates(trainer.init(init_key), 1e-3, 1e-3)
    chunks = []
    for n in (CHUNK, CHUNK, 1):
        state, metrics = trainer.train(state, run_key, n)
        chunks.append(metrics)
    for name in METRIC_NAMES:
        np.testing.assert_array_equal(h[name], np.concatenate([m[name] for m in chunks]))
    for a, b in zip(jax.tree.leaves(panel.state), jax.tree.leaves(state)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))

    # mode coverage after reset, each chunk and the step, on 2,000 samples of fixed latents
    np.testing.assert_array_equal(h["coverage_step"], [0, CHUNK, 2 * CHUNK, 2 * CHUNK + 1])
    samples = np.asarray(trainer.sample(state, jax.random.key(EVAL_SEED), COVERAGE_SAMPLES))
    modes, high_quality = _coverage_by_hand(samples, RING)
    assert h["modes"][-1] == modes
    assert h["high_quality"][-1] == pytest.approx(high_quality, abs=1e-12)
    assert f"{modes}/8 modes" in panel.status.value and "201" in panel.status.value
    assert panel.last_click_seconds > 0 and panel.error is None


def test_progress_bar_advances_during_a_click(panel):
    _fresh(panel, steps_per_click=200)
    assert panel.train_button.description == "Train 200 steps"
    seen = []
    panel.progress.observe(lambda change: seen.append(change["new"]), names="value")
    panel.train()
    assert seen == [0.5, 1.0] and panel.steps_done == 200


def test_fast_repaint_equals_full_repaint(panel):
    _fresh(panel)
    for _ in range(4):  # 400 steps: the step axis keeps its limits (0, 500) on the 4th click
        panel.train()
    assert panel.blit or panel.changed_axes
    assert_matches_full_render(panel)
    panel.step()
    assert panel.blit or panel.changed_axes
    assert_matches_full_render(panel)


# ------------------------------------------------------------------------ compilation
def test_numeric_controls_and_buttons_never_compile(panel, compilations):
    _fresh(panel)
    trainer = panel.trainer
    mark = compilations.mark()
    for value in (1e-5, 1.0, 3e-4):
        panel.generator_lr.value = value
    for value in (1.0, 1e-5, 2e-3):
        panel.discriminator_lr.value = value
    assert trainer.learning_rates(panel.state) == pytest.approx((3e-4, 2e-3), rel=1e-6)
    panel.train_button.click()
    panel.step_button.click()
    panel.seed.value = 99_999  # a new seed starts a new run, with the same learning rates
    assert panel.steps_done == 0
    assert trainer.learning_rates(panel.state) == pytest.approx((3e-4, 2e-3), rel=1e-6)
    panel.steps_per_click.value = 200
    panel.train_button.click()
    panel.reset_button.click()
    panel.steps_per_click.value = 100
    panel.train_button.click()
    panel.step_button.click()
    panel.seed.value = 0
    assert compilations.since(mark) == []
    assert panel.error is None


def test_structural_switch_compiles_once_and_switching_back_does_not(panel, caplog):
    _fresh(panel)
    default = panel.trainer
    statuses = []
    panel.status.observe(lambda change: statuses.append(change["new"]), names="value")
    with jax.log_compiles(), caplog.at_level("WARNING"):
        panel.dataset.value = "grid"
    assert _compiles(caplog)  # a new config compiles (and the check can see it)
    assert any("compiling" in s for s in statuses)
    assert panel.config == GANConfig(dataset="grid")
    assert panel.trainer is make_trainer(GANConfig(dataset="grid"))
    assert panel.axes["plane"].get_xlim() == (-5.5, 5.5)
    panel.train()
    assert panel.steps_done == CHUNK and "/25 modes" in panel.status.value
    assert 0 <= panel.history["modes"][-1] <= GRID.num_modes

    caplog.clear()
    statuses.clear()
    with jax.log_compiles(), caplog.at_level("WARNING"):
        panel.dataset.value = "ring"
        assert panel.trainer is default and panel.steps_done == 0
        panel.train()
        panel.dataset.value = "grid"
        panel.train()
        panel.dataset.value = "ring"
    assert _compiles(caplog) == []
    assert not any("compiling" in s for s in statuses)
    assert panel.axes["plane"].get_xlim() == (-1.6, 1.6)


# ------------------------------------------------------------------------ robustness
def test_divergence_stops_training_until_reset(panel):
    _fresh(panel, steps_per_click=500)
    panel.train()
    # a NaN generator: the discriminator's loss on its fakes is NaN from the next step on
    panel.state = panel.state._replace(
        g_params=jax.tree.map(lambda p: p * jnp.nan, panel.state.g_params))
    panel.train()
    assert panel.diverged_at == 500
    assert panel.steps_done == 500 + CHUNK  # stopped after the chunk that diverged
    message = "training diverged at step 500"
    assert panel.error.startswith(message) and message in panel.status.value
    assert "press Reset or lower the learning rates" in panel.status.value
    assert "color:#b3261e" in panel.status.value
    assert panel.history["coverage_step"][-1] == 500  # no coverage record of NaN samples
    panel.train()
    panel.step()
    assert panel.steps_done == 500 + CHUNK and message in panel.status.value
    panel.reset_button.click()
    assert panel.diverged_at is None and panel.error is None and panel.steps_done == 0
    assert "diverged" not in panel.status.value
    panel.train()
    assert panel.diverged_at is None and np.all(np.isfinite(panel.history["d_loss"]))


@pytest.mark.parametrize("choices", [
    dict(dataset="grid", loss="saturating", d_steps=5, generator_width=32, discriminator_width=256),
    dict(dataset="ring", loss="saturating", d_steps=1, generator_width=256, discriminator_width=32),
])
def test_extreme_controls_never_raise(panel, choices):
    _fresh(panel)
    panel.configure(**choices)
    assert panel.config.d_steps == choices["d_steps"]
    assert panel.config.generator_hidden == (choices["generator_width"],) * 2
    for g_lr, d_lr in ((1e-5, 1e-5), (1.0, 1.0), (1e-5, 1.0), (1.0, 1e-5)):
        panel.generator_lr.value, panel.discriminator_lr.value = g_lr, d_lr
        panel.seed.value = 99_999 if panel.seed.value == 0 else 0
        panel.train()
        assert panel.error is None or panel.error.startswith("training diverged at step")
        assert bytes(panel.image.value).startswith(b"\x89PNG")
    panel.step()
    assert panel.error is None or panel.error.startswith("training diverged at step")


# ------------------------------------------------------------------------ plotting pieces
def test_live_curves_repaint_only_when_their_limits_change():
    from gan_lessons.plots.gan2d import draw_gan_2d, draw_live_curves
    from gan_lessons.plots.style import new_figure

    _, (ax, plane) = new_figure(8, 3, ncols=2)
    x = np.arange(1, 101)
    assert draw_live_curves(ax, x, {"a": np.linspace(0.2, 0.9, 100)}, xmax=100)  # first draw
    assert ax.get_ylim() == pytest.approx((0.2, 1.0))  # a 0.2 grid around [0.2, 0.9]
    assert ax.get_lines()[0].get_animated()
    assert not draw_live_curves(ax, x, {"a": np.linspace(0.3, 0.8, 100)}, xmax=100)
    assert draw_live_curves(ax, x, {"a": np.linspace(0.3, 3.1, 100)}, xmax=100)  # leaves them
    low, high = ax.get_ylim()
    assert low <= 0.3 and high >= 3.1
    assert draw_live_curves(ax, x, {"a": np.full(100, 2.0)}, xmax=200)  # new step axis
    y = np.full(100, np.nan)  # nothing finite: keep the limits, draw gaps
    assert not draw_live_curves(ax, x, {"a": y}, xmax=200)
    real = np.zeros((3, 2))
    draw_gan_2d(plane, real, real, heat=np.zeros((4, 4)), extent=(-1, 1, -1, 1))
    draw_gan_2d(plane, real, real, heat=np.zeros((4, 4)), extent=(-5, 5, -5, 5))
    assert plane.get_xlim() == (-5, 5) and len(plane.images) == 1  # a new extent redraws
