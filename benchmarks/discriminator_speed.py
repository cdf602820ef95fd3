"""Print the speed of the lesson-05 discriminator trainer.

Usage: python benchmarks/discriminator_speed.py [--steps 1000] [--repeats 7]

Reports, for the default DiscriminatorConfig:

* the first call of ``train_discriminator`` (tracing + compilation + one run);
* training steps per second of ``DiscriminatorTrainer.train`` after warm-up (median of
  ``--repeats`` calls of ``--steps`` steps, block_until_ready);
* the wall time of one ``train_discriminator`` call with the default steps, as the
  explorer's "Retrain" button makes it, with p_g moved to a new position before each call;
* whether those moves compiled anything (every compilation, counted with ``jax.monitoring``).

Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import jax

from _timing import CompileCounter
from gan_lessons.training import discriminator as dm_training
from gan_lessons.densities import Gaussian


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    config = dm_training.DiscriminatorConfig()
    trainer = dm_training.make_discriminator_trainer(config)
    p_data = Gaussian(0.0, 1.0)

    start = time.perf_counter()
    jax.block_until_ready(dm_training.train_discriminator(jax.random.key(0), p_data, Gaussian(1.5, 0.7)))
    first_call_s = time.perf_counter() - start

    # steps per second of the compiled loop alone
    state = trainer.init(jax.random.key(1))
    key = jax.random.key(2)
    state, losses = trainer.train(state, key, p_data, Gaussian(1.5, 0.7), args.steps)  # warm-up
    jax.block_until_ready((state, losses))
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        state, losses = trainer.train(state, key, p_data, Gaussian(1.5, 0.7), args.steps)
        jax.block_until_ready((state, losses))
        times.append(time.perf_counter() - start)
    train_median = statistics.median(times)

    # the panel's retraining: a new p_g each time
    keys = [jax.random.key(10 + i) for i in range(args.repeats)]
    retrain = []
    with CompileCounter() as compiled:
        for i, retrain_key in enumerate(keys):
            p_g = Gaussian(-2.0 + 0.6 * i, 0.5 + 0.2 * i)
            start = time.perf_counter()
            jax.block_until_ready(dm_training.train_discriminator(retrain_key, p_data, p_g))
            retrain.append(time.perf_counter() - start)
    recompiled = bool(compiled.names)

    print(json.dumps({
        "device": str(jax.devices()[0]),
        "config": repr(config),
        "first_train_discriminator_call_s": round(first_call_s, 3),
        "train_steps_per_call": args.steps,
        "train_median_call_s": round(train_median, 4),
        "train_steps_per_s": round(args.steps / train_median, 1),
        "retrain_steps": dm_training.DEFAULT_STEPS,
        "retrain_median_s": round(statistics.median(retrain), 3),
        "retrain_max_s": round(max(retrain), 3),
        "retrain_recompiled": recompiled,
    }, indent=2))


if __name__ == "__main__":
    main()
