"""Print the speed of GANTrainer.train for the default 2-D ring GAN.

Usage: python benchmarks/engine_speed.py [--steps 500] [--repeats 7]

Reports the time of the first call (tracing + compilation + one run) and the difference
from a warm call (tracing + compilation), the median and best wall time of later calls
(block_until_ready), steps per second, and XLA's FLOP estimate for one training step. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import jax

from gan_lessons.training.gan import GANConfig, make_trainer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    trainer = make_trainer(GANConfig())
    state = trainer.init(jax.random.key(0))
    jax.block_until_ready(state)
    key = jax.random.key(1)

    start = time.perf_counter()
    state, metrics = trainer.train(state, key, args.steps)
    jax.block_until_ready((state, metrics))
    first_call_s = time.perf_counter() - start

    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        state, metrics = trainer.train(state, key, args.steps)
        jax.block_until_ready((state, metrics))
        times.append(time.perf_counter() - start)

    cost = trainer._train_jit.lower(state, key, 1).compile().cost_analysis()
    cost = cost[0] if isinstance(cost, list) else cost
    median = statistics.median(times)
    print(json.dumps({
        "device": str(jax.devices()[0]),
        "num_steps": args.steps,
        "first_call_s": round(first_call_s, 3),
        "trace_and_compile_s": round(first_call_s - median, 3),
        "median_call_s": round(median, 4),
        "best_call_s": round(min(times), 4),
        "steps_per_s": round(args.steps / median, 1),
        "flops_per_step": (cost or {}).get("flops"),
    }, indent=2))


if __name__ == "__main__":
    main()
