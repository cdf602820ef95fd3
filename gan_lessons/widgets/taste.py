"""Lesson 00's "taste": a 2-D GAN trained live on the 8-Gaussian ring.

The panel trains in chunks: each chunk is one call of the engine's jitted,
scanned trainer (``CHUNK`` training steps), after which the figure is redrawn,
so the student watches the generator's samples (red) move onto the data (blue)
while the discriminator's belief D(x) shades the plane. The chunks come from the
course's one host loop (:func:`~gan_lessons.training.loop.run_chunks`) with one
run key, so the run does not depend on the chunk size: after n steps the state is
``trainer.train(trainer.init(init_key), run_key, n)``.
"""

from __future__ import annotations

import time

import ipywidgets as widgets
import jax
import jax.numpy as jnp
import numpy as np

from gan_lessons._validate import check_int
from gan_lessons.runtime import by_mode
from gan_lessons.data import get_dataset, sample_mixture
from gan_lessons.training.gan import GANConfig, make_trainer
from gan_lessons.training.loop import run_chunks
from gan_lessons.plots.gan2d import draw_gan_2d
from gan_lessons.plots.style import PALETTE, new_figure
from gan_lessons.widgets.base import FigurePanel

__all__ = ["TastePanel"]

CHUNK = 500
_MAX_STEPS = 10**9  # a press of Train is bounded by its seconds, not by a step count
_GRID_SIZE = 64
_EXTENT = (-1.6, 1.6, -1.6, 1.6)


class TastePanel(FigurePanel):
    """Train a small GAN on the ring for a few seconds and watch it learn.

    Args:
      seconds: how long one press of "Train" trains (20 s by default, 3 s in quick mode).
      seed: the initial seed of the run.
      chunk: training steps per compiled call, between two redraws (``CHUNK`` by default).
    """

    def __init__(self, seconds: float | None = None, seed: int = 0, chunk: int = CHUNK) -> None:
        self.seconds = float(seconds if seconds is not None else by_mode(20.0, 3.0))
        if not np.isfinite(self.seconds) or self.seconds <= 0:
            raise ValueError(f"seconds must be a positive number, got {seconds!r}")
        self.chunk = check_int("chunk", chunk, minimum=1)
        self.config = GANConfig(dataset="ring")
        self.trainer = make_trainer(self.config)
        self.dataset = get_dataset(self.config.dataset)
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=10_000, description="seed",
                                           layout=widgets.Layout(width="12em"))
        self.train_button = widgets.Button(description=f"Train {self.seconds:g} s",
                                           button_style="primary", icon="play")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.progress = widgets.FloatProgress(value=0.0, min=0.0, max=1.0, description="progress")
        figure, axes = new_figure(11.0, 4.6, ncols=2, width_ratios=(1.0, 1.25))
        self.axes = axes
        self._beliefs = None
        super().__init__([widgets.HBox([self.train_button, self.reset_button, self.seed, self.progress])],
                         figure, title="A GAN learning the ring of 8 Gaussians", probe=self.seed)
        xs = np.linspace(_EXTENT[0], _EXTENT[1], _GRID_SIZE)
        self._grid = jnp.asarray(np.stack(np.meshgrid(xs, xs), axis=-1).reshape(-1, 2), jnp.float32)
        self._real = np.asarray(sample_mixture(jax.random.key(12345), self.dataset, 512))
        self.train_button.on_click(lambda _: self.train())
        self.reset_button.on_click(lambda _: self.reset())
        self.seed.observe(lambda _: self.reset(), names="value")
        # Compile the training chunk now, on a throw-away state, so that the first press of
        # "Train" spends its seconds training rather than compiling.
        self.trainer.train(self.trainer.init(jax.random.key(0)), jax.random.key(0), self.chunk)
        self.reset()

    def reset(self) -> None:
        """Start again from fresh random networks (seeded)."""
        key = jax.random.key(int(self.seed.value))
        self._init_key, self.run_key = jax.random.split(key)
        self.state = self.trainer.init(self._init_key)
        self.history = {"d_loss": [], "g_loss": [], "d_real": [], "d_fake": []}
        self._beliefs = None
        self.steps_done, self.diverged_at = 0, None
        self.progress.value = 0.0
        self.update()

    def _chunks(self, total_steps: int):
        """Train up to ``total_steps`` steps in chunks, recording each; yields each chunk."""
        for chunk in run_chunks(self.trainer.train, self.state, self.run_key, total_steps,
                                chunk=self.chunk, start_step=self.steps_done):
            self.state = chunk.state
            for name in self.history:
                self.history[name].append(chunk.metrics[name])
            self.steps_done += chunk.metrics["d_loss"].shape[-1]
            self.diverged_at = chunk.diverged_at
            yield chunk

    def train_steps(self, num_steps: int) -> None:
        """Train exactly ``num_steps`` more steps (redrawing once at the end)."""
        num_steps = check_int("num_steps", num_steps, minimum=1)
        if self.diverged_at is None:
            for _ in self._chunks(num_steps):
                pass
        self.update()

    def train(self, seconds: float | None = None) -> None:
        """Train for ``seconds`` of wall-clock time in whole chunks, redrawing after each."""
        budget = self.seconds if seconds is None else float(seconds)
        start = time.perf_counter()
        self.train_button.disabled = True
        try:
            if self.diverged_at is None:
                for _ in self._chunks(_MAX_STEPS):
                    elapsed = time.perf_counter() - start
                    self.progress.value = min(1.0, elapsed / budget)
                    self.update()
                    if elapsed >= budget:
                        break
            else:
                self.update()
        finally:
            self.train_button.disabled = False
        self.train_seconds = time.perf_counter() - start

    def _draw_beliefs(self, ax) -> None:
        """Mean D(x) on data and on fakes against the training step (lines kept and updated)."""
        steps = np.arange(1, self.steps_done + 1)
        d_real = np.concatenate(self.history["d_real"]) if self.steps_done else np.zeros(0)
        d_fake = np.concatenate(self.history["d_fake"]) if self.steps_done else np.zeros(0)
        if self._beliefs is None:
            ax.clear()
            self._beliefs = (
                ax.plot(steps, d_real, color=PALETTE["blue"], lw=1.2, label="mean D(x) on data")[0],
                ax.plot(steps, d_fake, color=PALETTE["vermillion"], lw=1.2,
                        label="mean D(G(z)) on fakes")[0],
            )
            ax.axhline(0.5, color=PALETTE["black"], ls="--", lw=1, label="D = 1/2 (cannot tell)")
            ax.legend(loc="upper right", fontsize="small")
            ax.set_ylim(0, 1)
            ax.set_xlabel("training step")
            ax.set_title("What the discriminator believes")
        else:
            self._beliefs[0].set_data(steps, d_real)
            self._beliefs[1].set_data(steps, d_fake)
        ax.set_xlim(0, max(self.steps_done, self.chunk))

    def draw(self) -> list[str]:
        fake = np.asarray(self.trainer.sample(self.state, jax.random.key(7), 512))
        heat = np.asarray(self.trainer.discriminator_probabilities(self.state, self._grid))
        draw_gan_2d(self.axes[0], self._real, fake, heat=heat.reshape(_GRID_SIZE, _GRID_SIZE),
                    extent=_EXTENT, title=f"after {self.steps_done:,} training steps")
        self._draw_beliefs(self.axes[1])
        lines = [f"{self.steps_done:,} steps trained"]
        if self.steps_done:
            d_real, d_fake = self.history["d_real"][-1], self.history["d_fake"][-1]
            lines.append(f"last chunk: D(x) = {float(d_real[-1]):.2f} on data, "
                         f"D(G(z)) = {float(d_fake[-1]):.2f} on fakes")
        return lines
