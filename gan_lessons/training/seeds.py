"""Training runs with evaluation: seeds side by side, metrics over time, the paper's Table 1.

Lesson 07 trains many GANs and scores them. The pieces here sit on top of the engine
(:mod:`gan_lessons.training.gan`) and the metrics (:mod:`gan_lessons.evaluation.metrics`):

* :func:`train_seeds` trains several seeds side by side (``train_many``, one compiled call per
  chunk) and, after every chunk, scores each seed with the VEEGAN/PacGAN mode-coverage protocol
  on 2,500 generator samples, so the metrics can be drawn against the training step.
* :func:`summarise` reduces one score per seed to the mean and spread that papers report, and
  :class:`Table1` sets our figures beside the GAN row of PacGAN's Table 1
  (:data:`PACGAN_TABLE1`).
* :func:`snapshots_1d` records, at chosen moments of a 1-D run, what Figure 1 of Goodfellow et
  al. (2014) draws: the data density, the generator's samples, D(x) and the map z -> G(z).

References:
  Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 (Figure 1).
  Srivastava et al., "VEEGAN", NeurIPS 2017 (the protocol: 2,500 samples).
  Lin, Khetan, Fanti and Oh, "PacGAN", NeurIPS 2018 (Table 1).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, NamedTuple, Sequence

import jax
import numpy as np

from gan_lessons._validate import check_int, check_key
from gan_lessons.data import Mixture1D, Mixture2D
from gan_lessons.training.gan import (
    METRIC_NAMES,
    GANState,
    GANTrainer,
)
from gan_lessons.evaluation.metrics import ModeCoverage, mode_coverage
from gan_lessons.training.loop import Chunk, run_chunks

__all__ = [
    "EVAL_SAMPLES",
    "PACGAN_STEPS",
    "PACGAN_TABLE1",
    "PACGAN_TRIALS",
    "CoverageSummary",
    "PaperRow",
    "SeedRun",
    "Snapshot1D",
    "Table1",
    "seed_state",
    "snapshots_1d",
    "summarise",
    "train_seeds",
]

EVAL_SAMPLES = 2_500
"""Generator samples scored per evaluation (the VEEGAN protocol, followed by PacGAN)."""

PACGAN_STEPS = 400_000
"""Training steps of each run behind PacGAN's Table 1."""

PACGAN_TRIALS = 10
"""Independent runs averaged in PacGAN's Table 1."""


class PaperRow(NamedTuple):
    """One row of a paper's table: modes covered (mean and spread), high-quality fraction
    (in [0, 1]) and reverse KL (nats)."""

    modes: float
    modes_spread: float
    high_quality: float
    reverse_kl: float


PACGAN_TABLE1 = {
    "ring": PaperRow(modes=6.3, modes_spread=0.5, high_quality=0.982, reverse_kl=0.45),
    "grid": PaperRow(modes=17.3, modes_spread=0.8, high_quality=0.948, reverse_kl=0.70),
}
"""The GAN row of Table 1 of Lin et al. (2018): the plain GAN (no packing) on the ring of 8 and
the grid of 25 Gaussians, averaged over :data:`PACGAN_TRIALS` runs of :data:`PACGAN_STEPS`
steps each."""


def seed_state(states: GANState, i: int) -> GANState:
    """Seed ``i`` of a batch of states from :meth:`GANTrainer.init_many` / ``train_many``."""
    num_seeds = int(np.shape(states.step)[0]) if np.ndim(states.step) == 1 else 0
    if num_seeds == 0:
        raise ValueError("states must carry a leading seed axis (from GANTrainer.init_many), "
                         f"got a step counter of shape {np.shape(states.step)}")
    i = check_int("i", i, minimum=-num_seeds)
    if i >= num_seeds:
        raise ValueError(f"i must be in [-{num_seeds}, {num_seeds}), got {i}")
    return jax.tree.map(lambda leaf: leaf[i], states)


def _mixture_2d(trainer: GANTrainer) -> Mixture2D:
    if not isinstance(trainer.mixture, Mixture2D):
        raise ValueError("mode coverage needs a 2-D mixture data set (ring or grid), got "
                         f"{trainer.mixture.name!r}")
    return trainer.mixture


def score_seeds(trainer: GANTrainer, states: GANState, key: jax.Array,
                n: int = EVAL_SAMPLES) -> list[ModeCoverage]:
    """The mode coverage of each seed in ``states`` on ``n`` samples drawn with ``key``."""
    mixture = _mixture_2d(trainer)
    samples = np.asarray(trainer.sample_many(states, key, n))
    return [mode_coverage(x, mixture.means, mixture.std) for x in samples]


@dataclass(frozen=True)
class SeedRun:
    """What :func:`train_seeds` returns.

    Attributes:
      states: the final states, with a leading seed axis.
      steps: the training step after each chunk, shape (T,).
      coverage: ``coverage[t][i]``, the :class:`~gan_lessons.evaluation.metrics.ModeCoverage` of seed i
        after chunk t.
      metrics: the engine's per-step metrics, arrays of shape (num_seeds, steps_done).
      diverged_at: per seed, ``None`` or the first step whose loss was not finite.
      samples: the last evaluation's samples, shape (num_seeds, n, 2).
    """

    states: GANState
    steps: np.ndarray
    coverage: list
    metrics: dict
    diverged_at: list
    samples: np.ndarray

    def series(self, field: str) -> np.ndarray:
        """``modes``, ``high_quality`` or ``reverse_kl`` as an array of shape (T, num_seeds)."""
        if field not in ("modes", "high_quality", "reverse_kl"):
            raise ValueError(f"field must be 'modes', 'high_quality' or 'reverse_kl', got {field!r}")
        return np.array([[getattr(c, field) for c in row] for row in self.coverage], float)

    def final(self) -> list[ModeCoverage]:
        """The last evaluation, one :class:`~gan_lessons.evaluation.metrics.ModeCoverage` per seed."""
        return list(self.coverage[-1])


def train_seeds(trainer: GANTrainer, keys: jax.Array, total_steps: int, *, every: int,
                eval_key: jax.Array | None = None, n: int = EVAL_SAMPLES,
                progress: bool = False) -> SeedRun:
    """Train one seed per key side by side, scoring mode coverage after every ``every`` steps.

    Seed i starts from ``trainer.init(keys[i])`` and trains with ``keys[i]``, exactly as
    ``trainer.train_many`` does (which spreads the seeds over every device). After each chunk of
    ``every`` steps every seed draws ``n`` samples from the same latent codes (``eval_key``) and
    is scored with :func:`~gan_lessons.evaluation.metrics.mode_coverage`.

    Args:
      trainer: a trainer on a 2-D mixture (ring or grid).
      keys: a 1-D array of typed keys, one per seed.
      total_steps: training steps per seed; a multiple of ``every``.
      every: steps per chunk (static: one compilation for all chunks).
      eval_key: the key of the evaluation samples (default ``jax.random.key(2500)``).
      n: samples per evaluation (2,500 in the protocol).
      progress: print a progress line, rewritten in place.

    Returns:
      A :class:`SeedRun`. A seed whose loss stops being finite is reported in ``diverged_at``;
      the others keep training.
    """
    _mixture_2d(trainer)
    every = check_int("every", every, minimum=1)
    total_steps = check_int("total_steps", total_steps, minimum=1)
    if total_steps % every:
        raise ValueError(f"total_steps must be a multiple of every={every}, got {total_steps}")
    n = check_int("n", n, minimum=1)
    eval_key = jax.random.key(2500) if eval_key is None else check_key("eval_key", eval_key)
    states = trainer.init_many(keys)
    num_seeds = int(keys.shape[0])
    steps, coverage, chunks = [], [], []
    diverged: list[int | None] = [None] * num_seeds
    mixture = trainer.mixture

    def modes_per_seed(_chunk: Chunk) -> str:
        return "modes per seed: " + ", ".join(str(c.modes) for c in coverage[-1])

    for chunk in run_chunks(trainer.train_many, states, keys, total_steps, chunk=every,
                            progress=progress, describe=modes_per_seed):
        states = chunk.state
        chunks.append(chunk.metrics)
        diverged = [old if old is not None else new
                    for old, new in zip(diverged, chunk.diverged_at)]
        samples = np.asarray(trainer.sample_many(states, eval_key, n))
        coverage.append([mode_coverage(np.nan_to_num(x, nan=1e6), mixture.means, mixture.std)
                         for x in samples])
        steps.append(chunk.done)
    metrics = {name: np.concatenate([m[name] for m in chunks], axis=1) for name in METRIC_NAMES}
    return SeedRun(states, np.asarray(steps), coverage, metrics, diverged, samples)


@dataclass(frozen=True)
class CoverageSummary:
    """Mean and spread over seeds of a list of :class:`~gan_lessons.evaluation.metrics.ModeCoverage`.

    ``modes_sem`` is the standard error of the mean, ``std / sqrt(n)`` with the sample standard
    deviation (ddof = 1; 0 for one seed). ``reverse_kl`` is the mean over the seeds that have
    at least one high-quality sample (``inf`` if none has).
    """

    seeds: int
    modes: float
    modes_std: float
    modes_sem: float
    high_quality: float
    reverse_kl: float


def summarise(results: Sequence[ModeCoverage]) -> CoverageSummary:
    """Reduce one :class:`~gan_lessons.evaluation.metrics.ModeCoverage` per seed to means and spreads.

    Example:
      >>> from gan_lessons.data import RING
      >>> means = np.asarray(RING.means)
      >>> s = summarise([mode_coverage(means, means, RING.std),
      ...                mode_coverage(means[:6], means, RING.std)])
      >>> s.modes, round(s.modes_std, 4), s.high_quality
      (7.0, 1.4142, 1.0)
    """
    results = list(results)
    if not results or not all(isinstance(r, ModeCoverage) for r in results):
        raise ValueError("results must be a non-empty sequence of ModeCoverage")
    modes = np.array([r.modes for r in results], float)
    std = float(np.std(modes, ddof=1)) if len(modes) > 1 else 0.0
    finite = [r.reverse_kl for r in results if math.isfinite(r.reverse_kl)]
    return CoverageSummary(
        seeds=len(results), modes=float(modes.mean()), modes_std=std,
        modes_sem=std / math.sqrt(len(modes)),
        high_quality=float(np.mean([r.high_quality for r in results])),
        reverse_kl=float(np.mean(finite)) if finite else math.inf)


@dataclass(frozen=True, repr=False)
class Table1:
    """Our figures beside the GAN row of PacGAN's Table 1; renders as a table in a notebook.

    Attributes:
      ours: data-set name -> :class:`CoverageSummary` of our seeds.
      steps: the training steps each of our seeds ran.
    """

    ours: dict
    steps: int

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        out = []
        for name, summary in self.ours.items():
            paper = PACGAN_TABLE1[name]
            out.append((f"{name}: PacGAN Table 1, GAN", f"{paper.modes:.1f} ± {paper.modes_spread:.1f}",
                        f"{100 * paper.high_quality:.1f} %", f"{paper.reverse_kl:.2f}",
                        f"{PACGAN_TRIALS} x {PACGAN_STEPS:,}"))
            out.append((f"{name}: this course", f"{summary.modes:.1f} ± {summary.modes_sem:.1f}",
                        f"{100 * summary.high_quality:.1f} %", f"{summary.reverse_kl:.2f}",
                        f"{summary.seeds} x {self.steps:,}"))
        return out

    HEADER = ("run", "modes (mean ± s.e.)", "high quality", "reverse KL", "seeds x steps")

    def __str__(self) -> str:
        rows = [self.HEADER, *self.rows()]
        widths = [max(len(r[j]) for r in rows) for j in range(len(self.HEADER))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.HEADER)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                       for r in self.rows())
        return f"<table><tr>{head}</tr>{body}</table>"


class Snapshot1D(NamedTuple):
    """One moment of a 1-D run, as Figure 1 of Goodfellow et al. (2014) draws it.

    Attributes:
      step: the training step.
      xs: the x grid, shape (G,); ``d``: D(x) on it, shape (G,).
      fake: generator samples G(z), shape (N,).
      z, gz: a few evenly spaced latent codes (their normal quantiles) and their images G(z),
        shape (L,), for the arrows of the map z -> x.
    """

    step: int
    xs: np.ndarray
    d: np.ndarray
    fake: np.ndarray
    z: np.ndarray
    gz: np.ndarray


def snapshots_1d(trainer: GANTrainer, state: GANState, key: jax.Array, moments: Sequence[int], *,
                 xs: Any, n: int = 20_000, lines: int = 25,
                 chunk: int = 100) -> tuple[GANState, list[Snapshot1D]]:
    """Train a 1-D GAN and record a :class:`Snapshot1D` at each step in ``moments``.

    Args:
      trainer: a trainer on a 1-D data set with ``latent_dim == 1``.
      state: the state to start from (donated, as in :meth:`GANTrainer.train`).
      key: the run's key.
      moments: increasing step numbers (counted from ``state.step``; 0 records the start),
        each a multiple of ``chunk``.
      xs: the grid on which D is drawn.
      n: generator samples per snapshot; lines: latent codes drawn as arrows.
      chunk: training steps per compiled call.

    Returns:
      ``(state, snapshots)``: the state after the last moment and one snapshot per moment.
    """
    if not isinstance(trainer.mixture, Mixture1D) or trainer.config.latent_dim != 1:
        raise ValueError("snapshots_1d needs a trainer on a 1-D data set with latent_dim=1")
    chunk = check_int("chunk", chunk, minimum=1)
    moments = [check_int("moments[i]", m, minimum=0) for m in moments]
    if not moments or any(b <= a for a, b in zip(moments, moments[1:])):
        raise ValueError(f"moments must be a non-empty increasing sequence, got {moments}")
    if any(m % chunk for m in moments):
        raise ValueError(f"moments must be multiples of chunk={chunk}, got {moments}")
    grid = np.asarray(xs, np.float32).reshape(-1, 1)
    # Evenly spaced normal quantiles stand for "z drawn uniformly in probability".
    from scipy.stats import norm

    z = norm.ppf((np.arange(lines) + 0.5) / lines).astype(np.float32)
    sample_key = jax.random.key(7)
    snapshots, done = [], 0
    for moment in moments:
        while done < moment:
            state, _ = trainer.train(state, key, chunk)
            done += chunk
        fake = np.asarray(trainer.sample(state, sample_key, n))[:, 0]
        gz = np.asarray(trainer.generate(state, z[:, None]))[:, 0]
        d = np.asarray(trainer.discriminator_probabilities(state, grid))
        snapshots.append(Snapshot1D(moment, grid[:, 0].copy(), d, fake, z, gz))
    return state, snapshots

