"""What the training panels share: a run from a seed, trained in compiled chunks, its history.

A panel that trains a :class:`~gan_lessons.training.gan.GANTrainer` (``self.trainer``) from the
value of its ``seed`` control mixes in :class:`TrainingRun`. The key schedule is
``init_key, run_key = jax.random.split(jax.random.key(seed))``: the networks come from
``trainer.init(init_key)`` and every training call uses ``run_key`` (the engine folds in the
step number), so a run does not depend on how it is cut into clicks. A click of the
``steps per click`` control is :meth:`TrainingRun.train`: whole compiled chunks, a progress
bar, a live redraw of long clicks, and an early stop when the losses diverge.
"""

from __future__ import annotations

import time

import jax
import numpy as np

from gan_lessons.training.gan import METRIC_NAMES, first_nonfinite_step

__all__ = ["TrainingRun"]


class TrainingRun:
    """Mixin: ``state``, ``run_key``, ``steps_done``, ``diverged_at`` and the per-step metrics.

    A panel sets ``chunk_steps`` (the steps of one compiled call; every choice of steps per
    click is a multiple of it) and may override :meth:`_advance` (what one chunk does) and
    :meth:`_refresh` (what to recompute before a redraw that follows training).
    """

    chunk_steps: int
    redraw_every_s = 1.0  # a long click redraws at most this often, as a live view

    def _new_run(self) -> None:
        """Fresh networks from the seed control; empty metrics; progress at 0."""
        init_key, self.run_key = jax.random.split(jax.random.key(int(self.seed.value)))
        self.state = self.trainer.init(init_key)
        self._metrics = {name: [] for name in METRIC_NAMES}
        self._history, self.steps_done, self.diverged_at, self._click = None, 0, None, None
        self.progress.value = 0.0

    def _train_steps(self, num_steps: int) -> bool:
        """Train ``num_steps`` steps (one compiled call) and record their metrics; returns
        False once a loss is not finite (``diverged_at`` then holds the step)."""
        start = self.steps_done
        self.state, metrics = self.trainer.train(self.state, self.run_key, num_steps)
        metrics = {name: np.asarray(metrics[name]) for name in METRIC_NAMES}
        for name, values in metrics.items():
            self._metrics[name].append(values)
        self.steps_done += num_steps
        self._history = None
        self.diverged_at = first_nonfinite_step(metrics, start)
        return self.diverged_at is None

    def _step_history(self) -> dict:
        """Numpy arrays: ``step`` (1, 2, ...) and each name of ``METRIC_NAMES``."""
        out = {name: np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
               for name, chunks in self._metrics.items()}
        out["step"] = np.arange(1, self.steps_done + 1)
        return out

    def _advance(self, num_steps: int) -> bool:
        """One chunk of a click: by default just :meth:`_train_steps`."""
        return self._train_steps(num_steps)

    def _refresh(self) -> None:
        """Recompute what the figure shows of the networks, before a redraw after training."""

    def train(self) -> None:
        """Train ``steps per click`` steps in chunks; stop early if the losses diverge."""
        start = time.perf_counter()
        if self.diverged_at is None:
            total, first, last_draw = int(self.steps_per_click.value), self.steps_done, start
            self.progress.value, self._click = 0.0, None
            for done in range(self.chunk_steps, total + 1, self.chunk_steps):
                ok = self._advance(self.chunk_steps)
                self.progress.value = done / total
                if not ok:
                    break
                if done < total and time.perf_counter() - last_draw > self.redraw_every_s:
                    self._refresh()
                    self.update()  # a live view of long clicks
                    last_draw = time.perf_counter()
            self._refresh()
            self._click = (self.steps_done - first, time.perf_counter() - start)
        self.update()
        self.last_click_seconds = time.perf_counter() - start
