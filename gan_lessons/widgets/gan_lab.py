"""Lesson 07's explorer: train a 2-D GAN and watch every number that matters (after GAN Lab).

One training step (Goodfellow et al., 2014, Algorithm 1) takes k Adam steps on the
discriminator's loss ``-[log D(x) + log(1 - D(G(z)))]``, averaged over a batch of data x and
fakes G(z), then one Adam step on the generator's loss: non-saturating ``-log D(G(z))`` or
saturating ``log(1 - D(G(z)))``. The panel shows, as training goes:

* the data (blue), 1,000 generator samples (red) and D(x) as a shading of the plane
  (blue: "real", red: "fake", white: D = 1/2, what an optimal D shows once p_g = p_data);
* both losses; at the equilibrium d_loss = 2 ln 2 and the non-saturating g_loss = ln 2;
* mean D(x) on data and D(G(z)) on fakes, which both tend to 1/2, and the two gradient norms;
* mode coverage (VEEGAN / PacGAN): of 2,000 samples, the fraction within 3 standard
  deviations of a mode, and the fraction of the K modes such a sample reaches.

The engine trains in compiled chunks of ``CHUNK`` steps, and every choice of steps per click
is a whole number of chunks, so no click compiles:

>>> [n // CHUNK for n in STEPS_PER_CLICK]
[1, 2, 5, 10, 20]

The learning rates live in the training state (``GANTrainer.set_learning_rates``), so moving
them or the seed never recompiles either. Data set, loss, k and widths make a new
:class:`~gan_lessons.training.gan.GANConfig`: its first use compiles (a few seconds), later uses
reuse the cached trainer (:func:`~gan_lessons.training.gan.make_trainer`).
"""

from __future__ import annotations

import time
import weakref

import ipywidgets as widgets
import jax
import jax.numpy as jnp
import numpy as np

from gan_lessons._validate import check_int
from gan_lessons.data import sample_mixture
from gan_lessons.training.gan import GANConfig, make_trainer
from gan_lessons.losses import GENERATOR_LOSSES
from gan_lessons.evaluation.metrics import mode_coverage
from gan_lessons.plots.gan2d import draw_live_gan_2d, draw_training_curves, nice_ceiling
from gan_lessons.plots.style import PALETTE, CourseFigure
from gan_lessons.widgets.base import FigurePanel
from gan_lessons.widgets.training import TrainingRun

__all__ = ["GANLabExplorer"]

CHUNK = 100
"""Training steps per compiled call: every Train click is a whole number of such calls."""
STEPS_PER_CLICK = (100, 200, 500, 1000, 2000)
WIDTHS = (32, 64, 128, 256)
DATASETS = ("ring", "grid")
COVERAGE_SAMPLES = 2000
EVAL_SEED = 7
"""Generator samples for the plot and the metrics use ``jax.random.key(EVAL_SEED)``: the
same latent codes every time, so one sees how G moves them."""
EXTENTS = {"ring": 1.6, "grid": 5.5}
_STRUCTURAL = ("dataset", "loss", "d_steps", "generator_width", "discriminator_width")
_GRID, _SHOWN = 64, 1000
_warm: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # trainer -> compiled step counts


class GANLabExplorer(TrainingRun, FigurePanel):
    """Train a GAN on the ring or the grid and watch samples, D(x), losses and mode coverage.

    What it teaches: GAN training is a two-player game that oscillates rather than descends;
    the discriminator's landscape D(x) pushes the fakes toward the data; the saturating loss
    stalls while D wins; k and the two learning rates tip the balance between the players;
    the losses say little about quality, while mode coverage shows collapse (a generator
    that puts all its samples on a few modes) directly.

    Randomness: ``init_key, run_key = jax.random.split(jax.random.key(seed))``; the networks
    come from ``trainer.init(init_key)`` and every training call uses ``run_key`` (the engine
    folds in the step number), so a run does not depend on how it was cut into clicks.

    Args:
      seed: the seed of the networks and of the run (0 to 99,999).
      steps_per_click: training steps per press of Train, one of ``STEPS_PER_CLICK``.

    Attributes:
      widget: the ipywidgets box to display; the controls are attributes too (``dataset``,
        ``loss``, ``d_steps``, ``generator_width``, ``discriminator_width``, ``generator_lr``,
        ``discriminator_lr``, ``seed``, ``steps_per_click``, the three buttons, ``progress``).
      config, trainer, state: the current GANConfig (learning rates: see the sliders), its
        trainer and the training state. history: see :attr:`history`. steps_done: steps so far.
      diverged_at: None, or the step at which a loss became non-finite (training then stops
        until Reset). last_click_seconds: the wall time of the last Train or Step press.
    """

    chunk_steps = CHUNK

    divergence_advice = "press Reset or lower the learning rates"

    def __init__(self, seed: int = 0, steps_per_click: int = 500) -> None:
        seed = check_int("seed", seed, minimum=0, maximum=99_999)
        steps_per_click = check_int("steps_per_click", steps_per_click)
        if steps_per_click not in STEPS_PER_CLICK:
            raise ValueError(f"steps_per_click must be one of {STEPS_PER_CLICK}, "
                             f"got {steps_per_click}")

        def dropdown(options, value, description):
            return widgets.Dropdown(options=options, value=value, description=description,
                                    layout=widgets.Layout(width="15em"))

        def rate(description):
            return widgets.FloatLogSlider(
                value=1e-3, base=10, min=-5, max=0, step=0.25, readout_format=".1e",
                description=description, continuous_update=False,
                style={"description_width": "7em"}, layout=widgets.Layout(width="24em"))

        self.dataset = dropdown(DATASETS, "ring", "data")
        self.loss = dropdown(GENERATOR_LOSSES, "non_saturating", "G loss")
        self.d_steps = widgets.IntSlider(value=1, min=1, max=5, description="k (D steps)",
                                         continuous_update=False, layout=self.loss.layout)
        self.generator_width = dropdown(WIDTHS, 128, "G width")
        self.discriminator_width = dropdown(WIDTHS, 128, "D width")
        self.generator_lr, self.discriminator_lr = rate("G learning rate"), rate("D learning rate")
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=99_999, description="seed",
                                           layout=widgets.Layout(width="15em"))
        self.steps_per_click = dropdown(STEPS_PER_CLICK, steps_per_click, "steps/click")
        self.train_button = widgets.Button(button_style="primary", icon="play")
        self.step_button = widgets.Button(description="Step", icon="step-forward")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.progress = widgets.FloatProgress(value=0.0, min=0.0, max=1.0, description="progress")
        rows = [widgets.HBox([self.dataset, self.loss, self.d_steps, self.seed]),
                widgets.HBox([self.generator_width, self.discriminator_width, self.generator_lr,
                              self.discriminator_lr]),
                widgets.HBox([self.train_button, self.step_button, self.reset_button,
                              self.steps_per_click, self.progress])]
        figure = CourseFigure(figsize=(12.0, 5.8), layout="constrained")
        figure.get_layout_engine().set(w_pad=0.08, wspace=0.08)
        self.axes = figure.subplot_mosaic([["plane", "loss", "belief"], ["plane", "grad", "modes"]],
                                          width_ratios=(1.25, 1.0, 1.0))
        super().__init__(rows, figure, title="GAN lab: train a GAN and watch the game",
                         probe=self.step_button)
        self.config, self.diverged_at, self.last_click_seconds = None, None, float("nan")
        self._xmax, self._holding, self._eval_key = None, False, jax.random.key(EVAL_SEED)
        self.train_button.on_click(lambda _: self.train())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.seed.observe(lambda _: self.reset(), names="value")
        self.steps_per_click.observe(self._set_train_label, names="value")
        self.generator_lr.observe(self._set_learning_rates, names="value")
        self.discriminator_lr.observe(self._set_learning_rates, names="value")
        for name in _STRUCTURAL:
            getattr(self, name).observe(self._rebuild, names="value")
        self._set_train_label()
        self._rebuild(warm_step=True)  # compiles the default config's chunk and single step

    # ----------------------------------------------------------------- controls
    def _set_train_label(self, change=None) -> None:
        self.train_button.description = f"Train {self.steps_per_click.value:,} steps"

    def _set_learning_rates(self, change=None) -> None:
        self.state = self.trainer.set_learning_rates(
            self.state, float(self.generator_lr.value), float(self.discriminator_lr.value))

    def configure(self, **choices) -> None:
        """Set several structural controls at once, with one rebuild (and compilation), e.g.
        ``configure(dataset="grid", loss="saturating", d_steps=5, generator_width=32)``."""
        for name, value in choices.items():
            if name not in _STRUCTURAL:
                raise TypeError(f"configure() takes {', '.join(_STRUCTURAL)}; got {name!r}")
            control = getattr(self, name)
            options = getattr(control, "options", None) or range(control.min, control.max + 1)
            if value not in options:
                raise ValueError(f"{name} must be one of {tuple(options)}, got {value!r}")
        self._holding = True
        try:
            for name, value in choices.items():
                getattr(self, name).value = value
        finally:
            self._holding = False
        self._rebuild()

    def _rebuild(self, change=None, *, warm_step: bool = False) -> None:
        """Switch to the trainer of the structural controls' config and start a fresh run."""
        if self._holding:
            return
        config = GANConfig(dataset=self.dataset.value, loss=self.loss.value,
                           d_steps=int(self.d_steps.value),
                           generator_hidden=(int(self.generator_width.value),) * 2,
                           discriminator_hidden=(int(self.discriminator_width.value),) * 2)
        if config == self.config:
            return
        self.trainer, self.config = make_trainer(config), config
        r = EXTENTS[config.mixture.name]
        xs, self._extent = np.linspace(-r, r, _GRID), (-r, r, -r, r)
        self._grid = jnp.asarray(np.stack(np.meshgrid(xs, xs), -1).reshape(-1, 2), jnp.float32)
        self._real = np.asarray(sample_mixture(jax.random.key(12345), config.mixture, 512))
        self._warm_up((CHUNK, 1) if warm_step else (CHUNK,))
        self.reset()

    def _warm_up(self, step_counts) -> None:
        """Compile ``trainer.train`` for these step counts (and sampling), once per trainer."""
        done = _warm.setdefault(self.trainer, set())
        todo = [n for n in step_counts if n not in done]
        if not todo:
            return
        self.status.value = (f"<i>compiling the training step of this configuration (a few "
                             f"seconds, once): {self._describe()}…</i>")
        key = jax.random.key(0)
        state = self.trainer.init(key)
        self.trainer.sample(state, key, COVERAGE_SAMPLES)
        self.trainer.discriminator_probabilities(state, jnp.zeros((_GRID * _GRID, 2), jnp.float32))
        for n in todo:
            state, metrics = self.trainer.train(state, key, n)
            jax.block_until_ready(metrics)
            done.add(n)

    def _describe(self) -> str:
        c = self.config
        return (f"{c.mixture.name}, {c.loss.replace('_', '-')} loss, k = {c.d_steps}, G "
                f"{c.generator_hidden[0]}-{c.generator_hidden[1]}, D {c.discriminator_hidden[0]}-"
                f"{c.discriminator_hidden[1]}")

    # ----------------------------------------------------------------- training
    def reset(self) -> None:
        """Fresh networks from the seed; the learning rates of the sliders; empty history."""
        self._new_run()
        self._set_learning_rates()
        self._coverage = {"coverage_step": [], "modes": [], "high_quality": [], "reverse_kl": []}
        self._record_coverage()
        self.update()

    @property
    def history(self) -> dict:
        """Numpy arrays over training: per step ``step`` (1, 2, ...) and each name of
        :data:`~gan_lessons.training.gan.METRIC_NAMES`; per record ``coverage_step``, ``modes``,
        ``high_quality`` and ``reverse_kl`` (mode coverage after each chunk, Step and reset)."""
        if self._history is None:
            out = self._step_history()
            out.update({name: np.asarray(v) for name, v in self._coverage.items()})
            self._history = out
        return self._history

    def _after_chunk(self) -> None:
        self._record_coverage()

    def _record_coverage(self) -> None:
        """Sample G (fixed latents), keep 1,000 samples for the plot, score mode coverage."""
        samples = np.asarray(self.trainer.sample(self.state, self._eval_key, COVERAGE_SAMPLES))
        self._fake = samples[:_SHOWN]
        if self.diverged_at is None and np.all(np.isfinite(samples)):
            mixture = self.config.mixture
            result = mode_coverage(samples, mixture.means_array, mixture.std)
            for name, value in (("coverage_step", self.steps_done), ("modes", result.modes),
                                ("high_quality", result.high_quality),
                                ("reverse_kl", result.reverse_kl)):
                self._coverage[name].append(value)

    def step(self) -> None:
        """Exactly one training step (k discriminator updates, one generator update)."""
        start = time.perf_counter()
        if self.diverged_at is None:
            self._warm_up((1,))
            for _ in self._chunks(1):
                pass
            self._click = (1, time.perf_counter() - start)
        self.update()
        self.last_click_seconds = time.perf_counter() - start

    # ----------------------------------------------------------------- drawing
    def draw(self) -> list[str]:
        heat = np.asarray(self.trainer.discriminator_probabilities(self.state, self._grid))
        plane = self.axes["plane"]
        changed = [plane] if draw_live_gan_2d(
            plane, self._real, self._fake, heat.reshape(_GRID, _GRID), extent=self._extent,
            title="data, generator and D(x)", note=f"step {self.steps_done:,}") else []
        xmax = nice_ceiling(max(self.steps_done, 10))
        changed += draw_training_curves(self.axes, self.history, xmax=xmax,
                                        num_modes=self.config.mixture.num_modes)
        if xmax != self._xmax:  # new step ticks may be wider than the frozen layout measured:
            self._xmax = xmax   # paint everything (rare: at 10, 20, 50, 100, ... steps)
        elif changed:
            self.changed_axes = changed
        else:
            self.blit = True
        return self._status_lines()

    def _status_lines(self) -> list[str]:
        lines = [f"<b>{self.steps_done:,}</b> steps trained · {self._describe()}"]
        h = self.history
        if self.steps_done:
            lines.append(f"last step: d_loss {h['d_loss'][-1]:.3f}, g_loss {h['g_loss'][-1]:.3f}, "
                         f"D(x) {h['d_real'][-1]:.2f} on data, "
                         f"D(G(z)) {h['d_fake'][-1]:.2f} on fakes")
        if len(h["coverage_step"]):
            k = self.config.mixture.num_modes
            lines.append(f"mode coverage at step {h['coverage_step'][-1]:,}: {h['modes'][-1]}/{k} "
                         f"modes, {100 * h['high_quality'][-1]:.0f}% high-quality samples")
        outside = np.mean(np.any(np.abs(self._fake) > self._extent[1], axis=1))
        if outside >= 0.01:
            lines.append(f"{100 * outside:.0f}% of the generator's samples lie outside the view")
        if self._click is not None:
            steps, seconds = self._click
            lines.append(f"<span style='color:{PALETTE['grey']}'>last click: {steps:,} step"
                         f"{'s' * (steps != 1)} in {seconds:.2f} s "
                         f"({steps / seconds:,.0f}/s)</span>")
        return lines
