"""Lesson 08's explorer: a convolutional GAN learns digits or galaxies; a walk in its latent space.

The generator G maps a latent code z ~ N(0, I) (16 numbers) to an image. The panel shows:

* **64 samples from fixed latent codes.** The codes never change, so from click to click one
  watches the *same* 64 codes turn from noise into digits (or galaxies): G is a function that
  training reshapes, not a source of fresh pictures.
* **A latent walk.** The slider t moves along the straight line
  ``z(t) = (1 - t) z_a + t z_b`` between two fixed codes; the large image is G(z(t)) and the
  strip shows G at eight points of the line, a marker at t. A trained G is continuous: nearby
  codes give similar images, and the walk morphs one image into another through plausible
  in-between images. "new endpoints" draws another pair.
* **The game.** Both losses and what D believes, mean D(x) on data and D(G(z)) on fakes, which
  tend to 1/2 when D cannot tell them apart (the status line also reports mean |D(x) - 1/2| on
  256 real images).
* **Memorisation is not the goal.** The status line gives the distance from G(z(t)) to its
  nearest training image, next to the typical distance between a training image and its
  nearest neighbour in the data: a G that copied its data would sit at distance 0, a G that
  generalises makes new images about as far from the data as the data are from each other.

Training runs in compiled chunks of ``CHUNK`` steps, and every choice of steps per click is a
whole number of chunks, so no click compiles:

>>> [n // CHUNK for n in STEPS_PER_CLICK]
[1, 2, 4, 10, 20]

The seed, the walk and new endpoints change arrays, never shapes: the walk always asks
``trainer.generate`` for one (9, latent_dim) array (eight strip codes, then z(t)), so the walk
slider can update continuously (a blitted redraw that compiles nothing). A data set's trainer
(cached by :func:`~gan_lessons.training.image_gan.make_image_trainer`) compiles when first chosen.
"""

from __future__ import annotations

import weakref

import ipywidgets as widgets
import jax
import numpy as np

from gan_lessons._validate import check_choice, check_int, check_positive_float
from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer
from gan_lessons.evaluation.image_metrics import nearest_training_distance
from gan_lessons.plots.gan2d import nice_ceiling
from gan_lessons.plots.images import draw_game_curves, draw_latent_strip, draw_live_tiles
from gan_lessons.plots.style import PALETTE, CourseFigure, fit
from gan_lessons.widgets.base import FigurePanel
from gan_lessons.widgets.training import TrainingRun

__all__ = ["ImageGANExplorer"]

CHUNK = 50
"""Training steps per compiled call: every Train click is a whole number of such calls."""
STEPS_PER_CLICK = (50, 100, 200, 500, 1000)
DATASETS = ("digits", "galaxies")
GRID_SEED, WALK_SEED, REAL_SEED = 7, 8, 9
"""Keys of the fixed grid codes, of the walk's endpoints and of the real images D scores."""
GRID, STRIP, REAL_SCORED = 64, 8, 256
MIN_STEP_AXIS = 500
"""The step axis of the curves starts as (0, 500) and grows to 1,000, 2,000, 5,000, ... steps:
each new axis means a full repaint, so it should not change at every click."""
_warm: weakref.WeakSet = weakref.WeakSet()  # trainers whose functions are compiled


class ImageGANExplorer(TrainingRun, FigurePanel):
    """Train a DCGAN-style GAN on 8 x 8 digits or 16 x 16 galaxies and walk its latent space.

    What it teaches: see the module docstring (samples improve on fixed codes, a continuous
    latent space, D's belief drifting to 1/2, new images rather than copies).

    Randomness (documented, so that a test can redo the run):

    * networks and run: ``init_key, run_key = jax.random.split(jax.random.key(seed))``; the
      state is ``trainer.init(init_key)`` and every training call is
      ``trainer.train(state, run_key, CHUNK)`` (the engine folds in the step number);
    * the grid's codes: ``jax.random.normal(jax.random.key(GRID_SEED), (64, latent_dim))``;
    * endpoints, draw i (0 at start, +1 per "new endpoints"): ``z_a, z_b =
      jax.random.normal(jax.random.fold_in(jax.random.key(WALK_SEED), i), (2, latent_dim))``.
      Reset and the seed keep the codes, so runs can be compared on the same codes.

    Args:
      dataset: ``"digits"`` or ``"galaxies"`` (``ImageGANConfig(dataset=...)`` defaults).
      seed: the seed of the networks and of the run (0 to 99,999).
      steps_per_click: training steps per press of Train, one of ``STEPS_PER_CLICK``.
      t: the walk's starting position in [0, 1].

    Attributes:
      widget: the box to display; controls: ``dataset``, ``seed``, ``steps_per_click``,
        ``train_button``, ``reset_button``, ``progress``, ``walk`` (t), ``endpoints_button``.
      trainer, state, steps_done, history (see :attr:`history`), diverged_at (None or the
        step of the first non-finite loss; training then stops until Reset).
      grid_codes, grid_images; z_a, z_b, walk_codes (9, latent_dim: the strip's codes, then
        z(t)), strip_images, walk_image; real_gap (mean |D(x) - 1/2| on 256 real images);
        nearest_distance, typical_distance (L2 pixel distances, see the module docstring);
        last_click_seconds.
    """

    chunk_steps = CHUNK

    def __init__(self, dataset: str = "digits", seed: int = 0, steps_per_click: int = 200,
                 t: float = 0.5) -> None:
        dataset = check_choice("dataset", dataset, DATASETS)
        seed = check_int("seed", seed, minimum=0, maximum=99_999)
        steps_per_click = check_int("steps_per_click", steps_per_click)
        if steps_per_click not in STEPS_PER_CLICK:
            raise ValueError(f"steps_per_click must be one of {STEPS_PER_CLICK}, "
                             f"got {steps_per_click}")
        t = check_positive_float("t", t, allow_zero=True)
        if t > 1:
            raise ValueError(f"t must be in [0, 1], got {t!r}")
        short = dict(layout=widgets.Layout(width="14em"))
        self.dataset = widgets.Dropdown(options=DATASETS, value=dataset, description="data",
                                        **short)
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=99_999, description="seed",
                                           **short)
        self.steps_per_click = widgets.Dropdown(options=STEPS_PER_CLICK, value=steps_per_click,
                                                description="steps/click", **short)
        self.train_button = widgets.Button(button_style="primary", icon="play")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.progress = widgets.FloatProgress(value=0.0, min=0.0, max=1.0, description="progress")
        self.walk = widgets.FloatSlider(value=t, min=0.0, max=1.0, step=0.01, readout_format=".2f",
                                        description="walk t", continuous_update=True,
                                        layout=widgets.Layout(width="30em"))
        self.endpoints_button = widgets.Button(description="new endpoints", icon="random")
        rows = [widgets.HBox([self.dataset, self.seed, self.steps_per_click]),
                widgets.HBox([self.train_button, self.reset_button, self.progress]),
                widgets.HBox([self.walk, self.endpoints_button])]
        figure = CourseFigure(figsize=(12.0, 5.6), layout="constrained")
        self.axes = figure.subplot_mosaic(
            [["grid", "walk", "loss"], ["grid", "walk", "belief"], ["grid", "strip", "strip"]],
            width_ratios=(1.25, 0.9, 1.0), height_ratios=(1.0, 1.0, 0.62))
        super().__init__(rows, figure, title="GANs on images: samples and a latent walk",
                         probe=self.walk)
        self.config, self.diverged_at, self.last_click_seconds = None, None, float("nan")
        self.endpoint_draws, self._xmax, self._click = 0, None, None
        self.train_button.on_click(lambda _: self.train())
        self.reset_button.on_click(lambda _: self.reset())
        self.endpoints_button.on_click(lambda _: self.new_endpoints())
        self.seed.observe(lambda _: self.reset(), names="value")
        self.steps_per_click.observe(self._set_train_label, names="value")
        self.dataset.observe(self._switch, names="value")
        self.observe(self.walk)
        self._set_train_label()
        self._switch()  # compiles the first data set's chunk, sampling and D

    # ----------------------------------------------------------------- set-up
    def _set_train_label(self, change=None) -> None:
        self.train_button.description = f"Train {self.steps_per_click.value:,} steps"

    def _switch(self, change=None) -> None:
        """Use the trainer of the chosen data set (compiled the first time) and start afresh."""
        config = ImageGANConfig(dataset=self.dataset.value)
        if config == self.config:
            return
        self.trainer, self.config = make_image_trainer(config), config
        self._data = np.asarray(self.trainer.data)
        pick = np.asarray(jax.random.permutation(jax.random.key(REAL_SEED), len(self._data)))
        self._real = self._data[pick[:REAL_SCORED]]
        # The data's own scale: from 256 real images to their nearest among the others.
        self.typical_distance = float(np.median(nearest_training_distance(
            self._real, self._data[pick[REAL_SCORED:]]).distances))
        self.grid_codes = np.asarray(jax.random.normal(jax.random.key(GRID_SEED),
                                                       (GRID, config.latent_dim)))
        self._set_endpoints()
        self._warm_up()
        self._xmax = None  # new image sizes: paint everything
        self.reset()

    def _warm_up(self) -> None:
        """Compile the training chunk, init, both generate shapes and D, once per trainer.

        The chunk is compiled ahead of time (``trainer.precompile``) rather than run: JAX
        keeps the executable in its compilation cache, and the first Train click reuses it.
        """
        if self.trainer in _warm:
            return
        self.status.value = (f"<i>compiling the {self.config.dataset} GAN (once per data set, "
                             f"seconds to a minute)…</i>")
        key, trainer = jax.random.key(0), self.trainer
        state = trainer.init(key)
        trainer.precompile(CHUNK)
        jax.block_until_ready((trainer.generate(state, self.grid_codes),
                               trainer.generate(state, self.walk_codes),
                               trainer.discriminator_probabilities(state, self._real)))
        _warm.add(trainer)

    def _set_endpoints(self) -> None:
        key = jax.random.fold_in(jax.random.key(WALK_SEED), self.endpoint_draws)
        self.z_a, self.z_b = np.asarray(jax.random.normal(key, (2, self.config.latent_dim)))
        s = np.linspace(0.0, 1.0, STRIP, dtype=np.float32)[:, None]
        self._strip_codes = (1 - s) * self.z_a + s * self.z_b
        self._set_walk_codes()

    def _set_walk_codes(self) -> None:
        t = float(self.walk.value)
        self.walk_codes = np.vstack([self._strip_codes, (1 - t) * self.z_a + t * self.z_b])

    def new_endpoints(self, draw: int | None = None) -> None:
        """Use the next pair of endpoints z_a, z_b (or pair number ``draw``) and redraw.

        Pairs are numbered from 0 (the pair at start) by the key schedule of the class
        docstring, so ``new_endpoints(0)`` goes back to the first pair.
        """
        draw = self.endpoint_draws + 1 if draw is None else check_int("draw", draw, minimum=0)
        self.endpoint_draws = draw
        self._set_endpoints()
        self.update()

    # ----------------------------------------------------------------- training
    def reset(self) -> None:
        """Fresh networks from the seed and an empty history; the codes stay."""
        self._new_run()
        self._refresh()
        self.update()

    @property
    def history(self) -> dict:
        """Numpy arrays over training: ``step`` (1, 2, ...) and each of ``METRIC_NAMES``."""
        if self._history is None:
            self._history = self._step_history()
        return self._history

    def _refresh(self) -> None:
        """The grid's images and D on the real images, after every change of the state."""
        self.grid_images = np.asarray(self.trainer.generate(self.state, self.grid_codes))
        probabilities = self.trainer.discriminator_probabilities(self.state, self._real)
        self.real_gap = float(np.mean(np.abs(np.asarray(probabilities) - 0.5)))

    # ----------------------------------------------------------------- drawing
    def draw(self) -> list[str]:
        t = float(self.walk.value)
        self._set_walk_codes()
        images = np.asarray(self.trainer.generate(self.state, self.walk_codes))
        self.strip_images, self.walk_image = images[:STRIP], images[STRIP]
        self.nearest_distance = (float(nearest_training_distance(
            self.walk_image[None], self._data).distances[0])
            if np.all(np.isfinite(self.walk_image)) else float("nan"))
        ax, note = self.axes, f"step {self.steps_done:,}"
        changed = [ax[name] for name, new in (
            ("grid", draw_live_tiles(ax["grid"], self.grid_images, ncols=8, note=note,
                                     title="G(z) at 64 fixed codes z")),
            ("walk", draw_live_tiles(ax["walk"], self.walk_image[None], ncols=1,
                                     title=fit("G(z(t)),\nz(t) = (1-t) z_a + t z_b"),
                                     note=f"t = {t:.2f}")),
            ("strip", draw_latent_strip(ax["strip"], self.strip_images, t,
                                        title="the path from z_a (t = 0) to z_b (t = 1)")),
        ) if new]
        xmax = nice_ceiling(max(self.steps_done, MIN_STEP_AXIS))
        changed += draw_game_curves(ax["loss"], ax["belief"], self.history, xmax=xmax)
        if xmax != self._xmax:  # new step ticks (or image sizes): paint everything
            self._xmax = xmax
        elif changed:
            self.changed_axes = changed
        else:
            self.blit = True
        return self._status_lines()

    def _status_lines(self) -> list[str]:
        size = "×".join(map(str, self.trainer.image_shape))
        lines = [f"<b>{self.steps_done:,}</b> steps trained · {self.config.dataset} ({size} "
                 f"pixels) · seed {self.seed.value}"]
        h = self.history
        if self.steps_done:
            lines.append(f"last step: d_loss {h['d_loss'][-1]:.3f}, g_loss {h['g_loss'][-1]:.3f}, "
                         f"D(x) {h['d_real'][-1]:.2f} on data, D(G(z)) {h['d_fake'][-1]:.2f} on "
                         f"fakes; mean |D(x) − 1/2| on {REAL_SCORED} real images: "
                         f"{self.real_gap:.3f}")
        lines.append(f"G(z(t)) to its nearest training image: distance {self.nearest_distance:.2f}"
                     f" (real images to theirs: {self.typical_distance:.2f}; a copy: 0)")
        if self._click is not None:
            steps, seconds = self._click
            lines.append(f"<span style='color:{PALETTE['grey']}'>last click: {steps:,} steps in "
                         f"{seconds:.2f} s ({steps / seconds:,.0f}/s)</span>")
        return lines

