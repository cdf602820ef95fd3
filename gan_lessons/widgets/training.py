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

from gan_lessons.training.gan import METRIC_NAMES
from gan_lessons.training.loop import run_chunks

__all__ = ["TrainingRun"]


class TrainingRun:
    """Mixin: ``state``, ``run_key``, ``steps_done``, ``diverged_at`` and the per-step metrics.

    A panel sets ``chunk_steps`` (the steps of one compiled call; every choice of steps per
    click is a multiple of it) and may override :meth:`_after_chunk` (what to do after each
    chunk, besides recording its metrics) and :meth:`_refresh` (what to recompute before a
    redraw that follows training).
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

    def _chunks(self, total: int):
        """Train ``total`` steps as compiled calls of ``chunk_steps`` (the course's one host
        loop, :func:`~gan_lessons.training.loop.run_chunks`), recording each chunk's metrics
        and calling :meth:`_after_chunk`; yields each :class:`~gan_lessons.training.loop.Chunk`.
        Stops after a chunk in which a loss is not finite (``diverged_at`` then holds the step).
        """
        for chunk in run_chunks(self.trainer.train, self.state, self.run_key, total,
                                chunk=min(self.chunk_steps, total), start_step=self.steps_done):
            self.state = chunk.state
            for name in METRIC_NAMES:
                self._metrics[name].append(chunk.metrics[name])
            self.steps_done += chunk.metrics[METRIC_NAMES[0]].shape[-1]
            self._history = None
            self.diverged_at = chunk.diverged_at
            self._after_chunk()
            yield chunk

    def _step_history(self) -> dict:
        """Numpy arrays: ``step`` (1, 2, ...) and each name of ``METRIC_NAMES``."""
        out = {name: np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
               for name, chunks in self._metrics.items()}
        out["step"] = np.arange(1, self.steps_done + 1)
        return out

    def _after_chunk(self) -> None:
        """What a panel does after each trained chunk besides recording its metrics."""

    def _refresh(self) -> None:
        """Recompute what the figure shows of the networks, before a redraw after training."""

    def train(self) -> None:
        """Train ``steps per click`` steps in chunks; stop early if the losses diverge."""
        start = time.perf_counter()
        if self.diverged_at is None:
            total, first, last_draw = int(self.steps_per_click.value), self.steps_done, start
            self.progress.value, self._click = 0.0, None
            for chunk in self._chunks(total):
                self.progress.value = chunk.done / total
                if (chunk.diverged_at is None and chunk.done < total
                        and time.perf_counter() - last_draw > self.redraw_every_s):
                    self._refresh()
                    self.update()  # a live view of long clicks
                    last_draw = time.perf_counter()
            self._refresh()
            self._click = (self.steps_done - first, time.perf_counter() - start)
        self.update()
        self.last_click_seconds = time.perf_counter() - start
