"""The image-GAN explorer of lesson 08: training, the latent walk, compilation, divergence, drawing.

As in STYLE.md, tests set ``.value`` on a control (or click a button) and assert on what the
panel computed. Expected values come from elsewhere: ``trainer.train`` and
``trainer.generate`` called directly with the panel's documented keys, and image sheets
built by hand with NumPy. Clicks are one ``CHUNK`` long: the machine is small and shared.
"""

from __future__ import annotations

import ipywidgets as widgets
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gan_lessons.training.gan import METRIC_NAMES
from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer
from gan_lessons.plots.images import draw_latent_strip, draw_live_tiles, strip_position, tile_images
from gan_lessons.plots.style import new_figure
from gan_lessons.widgets import image_gan as image_gan_panel
from gan_lessons.widgets.image_gan import (
    CHUNK,
    GRID_SEED,
    STEPS_PER_CLICK,
    STRIP,
    WALK_SEED,
    ImageGANExplorer,
)
from panel_helpers import assert_matches_full_render


@pytest.fixture(scope="module")
def panel() -> ImageGANExplorer:
    return ImageGANExplorer(seed=0, steps_per_click=CHUNK)


def _fresh(panel: ImageGANExplorer) -> ImageGANExplorer:
    """Digits, seed 0, one chunk per click, t = 1/2, the first endpoints, an empty run."""
    panel.dataset.value = "digits"
    panel.steps_per_click.value = CHUNK
    panel.walk.value = 0.5
    panel.seed.value = 0
    panel.new_endpoints(0)
    panel.reset()
    return panel


def _compiles(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "compil" in r.getMessage().lower()]


def _endpoints(draw: int, latent_dim: int = 16) -> np.ndarray:
    """The documented key schedule of the walk's endpoints, redone here."""
    key = jax.random.fold_in(jax.random.key(WALK_SEED), draw)
    return np.asarray(jax.random.normal(key, (2, latent_dim)))


# ------------------------------------------------------------------------ construction
@pytest.mark.parametrize("kwargs, error, name", [
    ({"dataset": "mnist"}, ValueError, "dataset"),
    ({"dataset": 3}, ValueError, "dataset"),
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 100_000}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"steps_per_click": 250}, ValueError, "steps_per_click"),
    ({"steps_per_click": "200"}, TypeError, "steps_per_click"),
    ({"t": 1.5}, ValueError, "t"),
    ({"t": -0.1}, ValueError, "t"),
    ({"t": "half"}, TypeError, "t"),
])
def test_constructor_validates_its_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        ImageGANExplorer(**kwargs)


# ------------------------------------------------------------------------ compilation
def test_numeric_controls_walk_and_buttons_never_compile(panel, compilations):
    # First in the file: the first click after the constructor's warm-up is in here too.
    mark = compilations.mark()
    panel.train_button.click()
    for t in (0.0, 0.01, 0.37, 0.99, 1.0, 0.5):
        panel.walk.value = t
    panel.endpoints_button.click()
    panel.endpoints_button.click()
    panel.seed.value = 99_999
    assert panel.steps_done == 0
    for n in STEPS_PER_CLICK:
        panel.steps_per_click.value = n
    panel.steps_per_click.value = CHUNK
    panel.reset_button.click()
    panel.train_button.click()
    panel.walk.value = 0.2
    panel.reset_button.click()
    panel.seed.value = 0
    assert compilations.since(mark) == []
    assert panel.error is None and panel.steps_done == 0


def test_dataset_switch_compiles_once_and_switching_back_does_not(panel, caplog):
    _fresh(panel)
    digits = panel.trainer
    first_time = not any(t.config.dataset == "galaxies" for t in image_gan_panel._warm)
    statuses = []
    panel.status.observe(lambda change: statuses.append(change["new"]), names="value")
    with jax.log_compiles(), caplog.at_level("WARNING"):
        panel.dataset.value = "galaxies"
    if first_time:  # (unless another panel of this process has been on galaxies)
        assert _compiles(caplog)  # a new data set compiles (and the check can see it)
        assert any("compiling" in s for s in statuses)
    assert panel.trainer is make_image_trainer(ImageGANConfig(dataset="galaxies"))
    assert panel.grid_images.shape == (64, 16, 16) and panel.walk_image.shape == (16, 16)
    assert "galaxies (16×16 pixels)" in panel.status.value

    caplog.clear()
    statuses.clear()
    with jax.log_compiles(), caplog.at_level("WARNING"):
        panel.dataset.value = "digits"
        assert panel.trainer is digits and panel.steps_done == 0
        panel.dataset.value = "galaxies"
        panel.walk.value = 0.9
        panel.dataset.value = "digits"
    assert _compiles(caplog) == []
    assert not any("compiling" in s for s in statuses)
    assert panel.grid_images.shape == (64, 8, 8)


# ------------------------------------------------------------------------ training
def test_history_equals_the_engine_run_with_the_documented_keys(panel):
    _fresh(panel)
    panel.steps_per_click.value = 2 * CHUNK
    assert panel.train_button.description == f"Train {2 * CHUNK} steps"
    seen = []
    panel.progress.observe(lambda change: seen.append(change["new"]), names="value")
    panel.train_button.click()
    assert seen == [0.5, 1.0]  # one step of the bar per chunk
    h = panel.history
    assert panel.steps_done == 2 * CHUNK and int(panel.state.step) == 2 * CHUNK
    np.testing.assert_array_equal(h["step"], np.arange(1, 2 * CHUNK + 1))

    trainer = make_image_trainer(ImageGANConfig())
    assert panel.trainer is trainer and panel.config == ImageGANConfig(dataset="digits")
    init_key, run_key = jax.random.split(jax.random.key(0))
    state, chunks = trainer.init(init_key), []
    for _ in range(2):
        state, metrics = trainer.train(state, run_key, CHUNK)
        chunks.append(metrics)
    for name in METRIC_NAMES:
        np.testing.assert_array_equal(h[name], np.concatenate([m[name] for m in chunks]))
    for a, b in zip(jax.tree.leaves(panel.state), jax.tree.leaves(state)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))

    # the grid: G at the fixed codes of the documented key
    codes = jax.random.normal(jax.random.key(GRID_SEED), (64, 16))
    np.testing.assert_allclose(panel.grid_images, trainer.generate(state, codes), atol=1e-6)
    probabilities = np.asarray(trainer.discriminator_probabilities(state, panel._real))
    assert panel.real_gap == pytest.approx(np.mean(np.abs(probabilities - 0.5)), abs=1e-6)
    assert f"{2 * CHUNK}</b> steps trained" in panel.status.value
    assert f"d_loss {h['d_loss'][-1]:.3f}" in panel.status.value
    assert panel.last_click_seconds > 0 and panel.error is None


# ------------------------------------------------------------------------ the latent walk
def test_walk_image_is_the_generator_at_the_interpolated_code(panel):
    _fresh(panel)
    trainer, state = panel.trainer, panel.state
    z_a, z_b = _endpoints(0)
    np.testing.assert_array_equal(panel.z_a, z_a)
    np.testing.assert_array_equal(panel.z_b, z_b)
    for t in (0.0, 0.37, 0.5, 1.0):
        panel.walk.value = t
        expected = np.asarray(trainer.generate(state, ((1 - t) * z_a + t * z_b)[None]))[0]
        np.testing.assert_allclose(panel.walk_image, expected, atol=1e-5)
    path = np.linspace(0.0, 1.0, STRIP)[:, None]
    expected_strip = trainer.generate(state, (1 - path) * z_a + path * z_b)
    np.testing.assert_allclose(panel.strip_images, expected_strip, atol=1e-5)
    panel.walk.value = 0.0
    np.testing.assert_allclose(panel.walk_image, panel.strip_images[0], atol=1e-6)
    np.testing.assert_allclose(panel.walk_image, trainer.generate(state, z_a[None])[0], atol=1e-5)
    panel.walk.value = 1.0
    np.testing.assert_allclose(panel.walk_image, panel.strip_images[-1], atol=1e-6)
    np.testing.assert_allclose(panel.walk_image, trainer.generate(state, z_b[None])[0], atol=1e-5)
    assert panel.walk_codes.shape == (STRIP + 1, 16)

    panel.endpoints_button.click()  # draw 1 of the documented schedule
    z_a, z_b = _endpoints(1)
    np.testing.assert_array_equal(panel.z_a, z_a)
    np.testing.assert_allclose(panel.walk_image, trainer.generate(state, z_b[None])[0], atol=1e-5)
    # the nearest training image, by brute force
    data = np.asarray(trainer.data).reshape(len(trainer.data), -1)
    l2 = np.sqrt(np.sum((data - panel.walk_image.reshape(1, -1)) ** 2, axis=1))
    assert panel.nearest_distance == pytest.approx(l2.min(), abs=1e-4)
    assert panel.typical_distance > 0


def test_fast_repaint_equals_full_repaint(panel):
    _fresh(panel)  # the step axis stays (0, MIN_STEP_AXIS): clicks repaint only what changed
    panel.train()
    assert panel.blit or panel.changed_axes
    assert_matches_full_render(panel)
    panel.walk.value = 0.83
    assert panel.blit
    assert_matches_full_render(panel)
    panel.endpoints_button.click()
    assert panel.blit
    assert_matches_full_render(panel)
    panel.train()
    assert panel.blit or panel.changed_axes
    assert_matches_full_render(panel)
    panel.walk.value = 0.0
    assert_matches_full_render(panel)


# ------------------------------------------------------------------------ robustness
def test_divergence_stops_training_until_reset(panel):
    _fresh(panel)
    # a NaN generator: the discriminator's loss on its fakes is NaN from the first step on
    panel.state = panel.state._replace(
        g_params=jax.tree.map(lambda p: p * jnp.nan, panel.state.g_params))
    panel.steps_per_click.value = max(STEPS_PER_CLICK)  # the longest click stops after a chunk
    panel.train()
    assert panel.diverged_at == 0 and panel.steps_done == CHUNK
    message = "training diverged at step 0"
    assert panel.error.startswith(message) and message in panel.status.value
    assert "press Reset" in panel.status.value and "color:#b3261e" in panel.status.value
    panel.train()
    panel.walk.value = 0.1
    panel.endpoints_button.click()
    assert panel.steps_done == CHUNK and message in panel.status.value
    assert bytes(panel.image.value).startswith(b"\x89PNG")
    panel.reset_button.click()
    assert panel.diverged_at is None and panel.error is None and panel.steps_done == 0
    assert "diverged" not in panel.status.value
    panel.steps_per_click.value = CHUNK
    panel.train()
    assert panel.diverged_at is None and np.all(np.isfinite(panel.history["d_loss"]))


def test_controls_at_their_extremes_never_raise(panel):
    _fresh(panel)
    assert isinstance(panel.widget, widgets.VBox)
    assert isinstance(panel.seed, widgets.BoundedIntText)
    assert isinstance(panel.walk, widgets.FloatSlider) and panel.walk.continuous_update
    assert panel.steps_per_click.options == STEPS_PER_CLICK
    assert all(n % CHUNK == 0 for n in STEPS_PER_CLICK)
    assert ImageGANExplorer.__doc__ and "teaches" in ImageGANExplorer.__doc__
    for value, expected in ((-5, 0), (10**6, 99_999), (0, 0)):
        panel.seed.value = value  # BoundedIntText clamps
        assert panel.seed.value == expected and panel.error is None
    for value, expected in ((-1.0, 0.0), (2.0, 1.0), (1.0, 1.0), (0.0, 0.0)):
        panel.walk.value = value
        assert panel.walk.value == expected and panel.error is None
        assert np.all(np.isfinite(panel.walk_image))
    for n in STEPS_PER_CLICK:
        panel.steps_per_click.value = n
        assert panel.train_button.description == f"Train {n:,} steps"
    for _ in range(3):
        panel.endpoints_button.click()
    assert panel.endpoint_draws == 3
    for bad, error in ((-1, ValueError), (1.5, TypeError)):
        with pytest.raises(error, match="draw"):
            panel.new_endpoints(bad)
    panel.dataset.value = "digits"  # the same data set: nothing to do
    assert panel.error is None and bytes(panel.image.value).startswith(b"\x89PNG")
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle


# ------------------------------------------------------------------------ plotting pieces
def test_tile_images_matches_a_sheet_built_by_hand():
    images = np.arange(5 * 2 * 3, dtype=np.float32).reshape(5, 2, 3)
    sheet = tile_images(images, 3, gap=1)
    expected = np.full((2 * 3 - 1, 3 * 4 - 1), np.nan, np.float32)
    for i in range(5):
        r, c = divmod(i, 3)
        expected[3 * r: 3 * r + 2, 4 * c: 4 * c + 3] = images[i]
    np.testing.assert_array_equal(sheet, expected)
    np.testing.assert_array_equal(tile_images(images[:1], 1, gap=0), images[0])
    with pytest.raises(ValueError, match="images"):
        tile_images(np.zeros((2, 2)), 1)
    with pytest.raises(ValueError, match="ncols"):
        tile_images(images, 0)
    with pytest.raises(ValueError, match="t must be in"):
        strip_position(1.5, 8, 8)
    # the marker is linear in t between the first and the last image's centre
    assert strip_position(0.5, 3, 4, gap=2) == pytest.approx((1.5 + 13.5) / 2)


def test_live_tiles_redraw_only_on_a_new_shape():
    _, (grid, strip) = new_figure(6, 3, ncols=2)
    images = np.zeros((4, 8, 8))
    assert draw_live_tiles(grid, images, ncols=2, note="step 0")
    assert grid.images[0].get_animated()
    assert not draw_live_tiles(grid, images + 0.5, ncols=2, note="step 1")
    np.testing.assert_array_equal(grid.images[0].get_array()[:8, :8], 0.5)
    assert draw_live_tiles(grid, np.zeros((4, 16, 16)), ncols=2)  # galaxies: a new sheet
    assert len(grid.images) == 1
    assert draw_latent_strip(strip, np.zeros((8, 8, 8)), 0.0)
    assert not draw_latent_strip(strip, np.ones((8, 8, 8)), 1.0)
    assert strip._strip_marker.get_xdata()[0] == pytest.approx(strip_position(1.0, 8, 8))
    low, high = sorted(strip.get_ylim())
    assert low <= strip._strip_marker.get_ydata()[0] <= high  # inside the axes: blit-safe
