"""Tests of gan_lessons.training.loop: how runs are cut into chunks, the divergence stop, the
progress line, and that the result of a real trainer does not depend on the chunk size."""

import jax
import numpy as np
import pytest

from gan_lessons.training import GANConfig, make_trainer
from gan_lessons.training.loop import Chunk, first_nonfinite_step, run_chunks


def counting_train(calls, bad_step=None, seeds=None):
    """A stand-in trainer: the state is the step counter; losses are the step numbers, and
    NaN from ``bad_step`` on (per seed when ``bad_step`` is a list)."""
    def train(state, key, n):
        calls.append(n)
        steps = np.arange(state, state + n, dtype=np.float64)
        if seeds is None:
            loss = np.where(steps >= bad_step, np.nan, steps) if bad_step is not None else steps
        else:
            loss = np.stack([np.where(steps >= b, np.nan, steps) if b is not None else steps
                             for b in bad_step])
        return state + n, {"d_loss": loss, "g_loss": np.zeros_like(loss)}
    return train


def test_chunks_cover_the_total_with_a_shorter_last_call():
    calls = []
    chunks = list(run_chunks(counting_train(calls), 0, None, 10, chunk=4))
    assert calls == [4, 4, 2]
    assert [c.done for c in chunks] == [4, 8, 10] and all(c.total == 10 for c in chunks)
    assert chunks[-1].state == 10 and all(c.diverged_at is None for c in chunks)
    assert isinstance(chunks[0], Chunk) and isinstance(chunks[0].metrics["d_loss"], np.ndarray)


def test_stops_after_the_chunk_that_diverged_and_counts_from_start_step():
    calls = []
    chunks = list(run_chunks(counting_train(calls, bad_step=106), 100, None, 20, chunk=4,
                             start_step=100))
    assert calls == [4, 4]                  # steps 100-103, 104-107: 106 is NaN, stop
    assert chunks[-1].diverged_at == 106 and chunks[0].diverged_at is None


def test_seeds_stop_only_when_every_seed_has_diverged():
    calls = []
    train = counting_train(calls, bad_step=[2, None], seeds=2)
    chunks = list(run_chunks(train, 0, None, 9, chunk=3))
    assert calls == [3, 3, 3]
    assert chunks[0].diverged_at == [2, None]
    calls.clear()
    chunks = list(run_chunks(counting_train(calls, bad_step=[2, 4], seeds=2), 0, None, 9,
                             chunk=3))
    assert calls == [3, 3] and chunks[-1].diverged_at == [3, 4]  # a NaN run stays NaN


def test_progress_line_is_rewritten_in_place_and_ended(capsys):
    seen = []
    for chunk in run_chunks(counting_train([]), 0, None, 6, chunk=3, progress=True,
                            describe=lambda c: f"after {c.done}"):
        seen.append(chunk.done)
    out = capsys.readouterr().out
    assert out == "\rstep 3/6  after 3\rstep 6/6  after 6\n"
    for _ in run_chunks(counting_train([]), 0, None, 3, chunk=3, progress=True):
        pass
    assert capsys.readouterr().out == "\rstep 3/3  d_loss 2  g_loss 0\n"


def test_first_nonfinite_step_watches_the_named_metrics():
    metrics = {"d_loss": np.ones(4), "g_loss": np.ones(4), "kl": np.array([1, 1, np.inf, 1])}
    assert first_nonfinite_step(metrics) is None
    assert first_nonfinite_step(metrics, 10, names=("kl",)) == 12
    with pytest.raises(ValueError, match="loss"):
        first_nonfinite_step(metrics, names=("loss",))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"total_steps": 0, "chunk": 1}, ValueError, "total_steps"),
    ({"total_steps": 5, "chunk": 0}, ValueError, "chunk"),
    ({"total_steps": 5, "chunk": 2.5}, TypeError, "chunk"),
    ({"total_steps": 5, "chunk": 1, "start_step": -1}, ValueError, "start_step"),
    ({"total_steps": 5, "chunk": 1, "describe": "text"}, TypeError, "describe"),
])
def test_bad_arguments_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        list(run_chunks(counting_train([]), 0, None, **kwargs))
    with pytest.raises(TypeError, match="train"):
        list(run_chunks("train", 0, None, 5, chunk=1))


def test_a_real_run_does_not_depend_on_the_chunk_size():
    trainer = make_trainer(GANConfig(generator_hidden=(8,), discriminator_hidden=(8,),
                                     batch_size=16))
    key = jax.random.key(1)
    whole, metrics = trainer.train(trainer.init(jax.random.key(0)), key, 12)
    chunks = list(run_chunks(trainer.train, trainer.init(jax.random.key(0)), key, 12, chunk=5))
    assert [c.done for c in chunks] == [5, 10, 12]
    for a, b in zip(jax.tree.leaves(whole), jax.tree.leaves(chunks[-1].state)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    np.testing.assert_array_equal(np.concatenate([c.metrics["d_loss"] for c in chunks]),
                                  np.asarray(metrics["d_loss"]))
