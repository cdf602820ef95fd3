"""The host loop: long runs cut into compiled chunks, with progress and a divergence stop.

Every trainer of the course trains ``num_steps`` steps in one compiled call,
``train(state, key, num_steps) -> (state, metrics)``, and draws the randomness of training step
t from ``jax.random.fold_in(key, t)``, with t the state's own step counter. So a run is fixed
by its first state and its key alone: it does not matter how its steps are cut into calls.
:func:`run_chunks` is the one loop that cuts them, for ``fit``, the seed experiments and every
training panel::

    for chunk in run_chunks(trainer.train, state, key, 5_000, chunk=500, progress=True):
        state = chunk.state            # redraw a panel here
    # chunk.diverged_at is None unless a loss stopped being finite

Each chunk passes the *same* key to ``train``; the step counter inside the state does the
rest. After every chunk the losses are checked (:func:`first_nonfinite_step`), and the loop
stops after the first chunk in which one is not finite. With seeds side by side
(``trainer.train_many``) the metrics carry a leading seed axis and the loop stops only when
every seed has diverged.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Iterator, NamedTuple, Sequence

import numpy as np

from gan_lessons._validate import check_int

__all__ = ["Chunk", "LOSS_NAMES", "first_nonfinite_step", "run_chunks"]

LOSS_NAMES = ("d_loss", "g_loss")
"""The metrics watched for divergence by default: the two players' losses."""


def first_nonfinite_step(metrics: dict, start_step: int = 0,
                         names: Sequence[str] = LOSS_NAMES) -> int | list[int | None] | None:
    """The absolute training step of the first non-finite value among the watched losses.

    Args:
      metrics: per-step metrics of one call, arrays of shape (num_steps,) or, for seeds side
        by side, (num_seeds, num_steps).
      start_step: the state's step counter *before* the call that produced ``metrics``
        (``int(state.step)``), so that the answer counts from the start of training.
      names: the metrics to watch (by default ``d_loss`` and ``g_loss``).

    Returns:
      ``None`` when every watched value is finite, else the step number ``start_step + i`` of
      the first offending step ``i``; with a seed axis, a list with one such answer per seed.

    Example:
      >>> metrics = {"d_loss": np.array([1.3, 1.2, np.nan, 1.0]), "g_loss": np.ones(4)}
      >>> first_nonfinite_step(metrics, start_step=100)
      102
      >>> first_nonfinite_step({"d_loss": np.ones(3), "g_loss": np.ones(3)}) is None
      True
    """
    start_step = check_int("start_step", start_step, minimum=0)
    names = tuple(names)
    missing = [name for name in names if name not in metrics]
    if not names or missing:
        raise ValueError(f"metrics must contain {', '.join(names) or 'a watched loss'}; "
                         f"missing {missing}")
    losses = [np.asarray(metrics[name]) for name in names]
    if losses[0].ndim not in (1, 2) or any(x.shape != losses[0].shape for x in losses):
        raise ValueError("metrics must hold arrays of shape (num_steps,) or (num_seeds, num_steps)"
                         f", got shapes {[x.shape for x in losses]}")
    bad = np.zeros(losses[0].shape, dtype=bool)
    for values in losses:
        bad |= ~np.isfinite(values)

    def first(row: np.ndarray) -> int | None:
        hits = np.flatnonzero(row)
        return start_step + int(hits[0]) if hits.size else None

    return first(bad) if bad.ndim == 1 else [first(row) for row in bad]


class Chunk(NamedTuple):
    """One chunk of a run, as :func:`run_chunks` yields it.

    Attributes:
      state: the state after the chunk (the one passed in was donated to ``train``).
      metrics: the chunk's per-step metrics as NumPy arrays, shape (steps,) or
        (num_seeds, steps).
      done: the steps this loop has run so far, this chunk included.
      total: the steps the loop was asked for.
      diverged_at: ``None``, or the absolute step of the first non-finite loss in this chunk
        (with seeds: a list, one entry per seed, ``None`` for the seeds still finite).
    """

    state: Any
    metrics: dict
    done: int
    total: int
    diverged_at: int | list[int | None] | None


def _progress_line(chunk: Chunk, describe: Callable[[Chunk], str] | None) -> str:
    text = f"\rstep {chunk.done:,}/{chunk.total:,}"
    if describe is not None:
        text += f"  {describe(chunk)}"
    else:
        for name in LOSS_NAMES:
            values = chunk.metrics.get(name)
            if values is not None and np.ndim(values) == 1:
                text += f"  {name} {float(values[-1]):.4g}"
    per_seed = chunk.diverged_at if isinstance(chunk.diverged_at, list) else [chunk.diverged_at]
    if any(step is not None for step in per_seed):
        text += f"  diverged at step {chunk.diverged_at}"
    return text


def run_chunks(train: Callable[[Any, Any, int], tuple[Any, dict]], state: Any, key: Any,
               total_steps: int, *, chunk: int, start_step: int | Sequence[int] = 0,
               names: Sequence[str] = LOSS_NAMES, progress: bool = False,
               describe: Callable[[Chunk], str] | None = None) -> Iterator[Chunk]:
    """Run ``total_steps`` training steps as calls of ``chunk`` steps, yielding after each.

    The last call is shorter when ``chunk`` does not divide ``total_steps`` (it compiles once
    more). The loop stops early after the first chunk in which a watched loss is not finite
    (for seeds side by side: once every seed has diverged).

    Args:
      train: ``train(state, key, num_steps) -> (state, metrics)``, for instance
        ``trainer.train`` or ``trainer.train_many``; it must fold the state's step counter
        into ``key``, as every trainer of the course does.
      state: the state to start from (donated to ``train``).
      key: the run's key, passed unchanged to every call.
      total_steps: steps to run (>= 1).
      chunk: steps per compiled call (>= 1).
      start_step: the state's step counter before the first chunk, so that ``diverged_at``
        counts from the start of training.
      names: the metrics watched for divergence.
      progress: print one progress line, rewritten in place, and end it with a newline.
      describe: what the progress line says after the step count (by default the last
        ``d_loss`` and ``g_loss``); called with the chunk after the caller has handled it.

    Yields:
      A :class:`Chunk` after every call.
    """
    total_steps = check_int("total_steps", total_steps, minimum=1)
    chunk = check_int("chunk", chunk, minimum=1)
    if not callable(train):
        raise TypeError(f"train must be callable, got {type(train).__name__}")
    if describe is not None and not callable(describe):
        raise TypeError(f"describe must be callable or None, got {type(describe).__name__}")
    done, step = 0, check_int("start_step", start_step, minimum=0)
    try:
        while done < total_steps:
            n = min(chunk, total_steps - done)
            state, metrics = train(state, key, n)
            metrics = {name: np.asarray(value) for name, value in metrics.items()}
            diverged_at = first_nonfinite_step(metrics, step, names)
            done, step = done + n, step + n
            item = Chunk(state, metrics, done, total_steps, diverged_at)
            yield item
            if progress:  # after the caller's work on the chunk, so describe sees it
                print(_progress_line(item, describe), end="", file=sys.stdout, flush=True)
            if diverged_at is not None and (not isinstance(diverged_at, list)
                                            or all(d is not None for d in diverged_at)):
                break
    finally:
        if progress:
            print(file=sys.stdout, flush=True)
