"""What the training panels share: a run from a seed, trained in compiled chunks, its history.

A panel that trains a :class:`~gan_lessons.engine.GANTrainer` (``self.trainer``) from the
value of its ``seed`` control mixes in :class:`TrainingRun`. The key schedule is
``init_key, run_key = jax.random.split(jax.random.key(seed))``: the networks come from
``trainer.init(init_key)`` and every training call uses ``run_key`` (the engine folds in the
step number), so a run does not depend on how it is cut into clicks.
"""

from __future__ import annotations

import jax
import numpy as np

from gan_lessons.engine import METRIC_NAMES, first_nonfinite_step

__all__ = ["TrainingRun"]


class TrainingRun:
    """Mixin: ``state``, ``run_key``, ``steps_done``, ``diverged_at`` and the per-step metrics."""

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
