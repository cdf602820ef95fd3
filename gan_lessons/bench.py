"""Training benchmark of the default 2-D ring GAN (issue 6, item 7).

Usage::

    python -m gan_lessons.bench [--steps 1000] [--repeats 7] [--quick]

Prints ONE JSON object. The required keys are:

* ``scan_steps_per_s``: training steps per second of :meth:`GANTrainer.train` with ``--steps``
  steps per call (one ``jax.jit`` over ``lax.scan``).
* ``per_step_jit_steps_per_s``: steps per second when every step is its own jitted call
  (``trainer.train(state, key, 1)`` in a Python loop).
* ``vmap8_steps_per_s``: per-GAN steps per second of :meth:`GANTrainer.train_many` on 8 seeds,
  i.e. ``8 * steps / time`` (total GAN-steps per second). ``train_many`` splits the seeds over
  every device JAX sees (:func:`gan_lessons.training.gan.seed_sharding`); on a CPU,
  :mod:`gan_lessons` sets up one device per core (:func:`gan_lessons.runtime.configure_cpu_devices`),
  so the seeds use all cores. For comparison ``vmap8_one_device_steps_per_s`` times the same
  vmapped function with all 8 seeds on one device.
* ``flops_per_step``: XLA's FLOP count for ONE training step (one D update and one G update),
  from the cost analysis of the compiled 1-step ``train_fn`` (see :func:`step_flops`).
* ``matmul_flops_per_s``: the machine's measured float32 matmul throughput: the best sustained
  rate ``2*m*n*k / time`` over several ``jnp.dot`` shapes, both model-sized
  ((256,128)x(128,128) chained inside one jit) and a large square one (1024^3); see
  :func:`matmul_throughput`. The per-shape rates are printed under ``matmul_rates``.
* ``scan_fraction_of_matmul`` and ``vmap8_fraction_of_matmul``: achieved FLOP/s
  (``steps_per_s * flops_per_step``) divided by ``matmul_flops_per_s``.

Timings are taken after a warm-up call, with ``jax.block_until_ready``, as the median of
``--repeats`` calls. Nothing is asserted: the figures are measured and printed.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import time
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

from gan_lessons.training.gan import GANConfig, make_trainer

NUM_SEEDS = 8


def bench_config() -> GANConfig:
    """The fixed benchmark config, every field set explicitly (equal to ``GANConfig()``):
    2-D ring, batch 256, G 2-128-128-2 and D 2-128-128-1 ReLU MLPs, Adam, non-saturating loss,
    one D step per G step."""
    return GANConfig(
        dataset="ring",
        latent_dim=2,
        generator_hidden=(128, 128),
        discriminator_hidden=(128, 128),
        batch_size=256,
        loss="non_saturating",
        d_steps=1,
        generator_lr=1e-3,
        discriminator_lr=1e-3,
        b1=0.5,
        b2=0.999,
    )


def analytic_matmul_flops_per_step(config: GANConfig) -> float:
    """A hand count of the matmul FLOPs of one step, to check XLA's figure.

    Forward of an MLP on a batch of n: ``2 n sum(a*b)`` over its layers; a backward pass costs
    about twice the forward. D update: G forward + D forward on real and fake + D backward on
    both. G update: G forward + D forward on fake + backward through D and G.
    """
    n = config.batch_size
    data_dim = 2

    def fwd(widths: Sequence[int]) -> float:
        return 2.0 * n * sum(a * b for a, b in zip(widths[:-1], widths[1:]))

    g = fwd((config.latent_dim, *config.generator_hidden, data_dim))
    d = fwd((data_dim, *config.discriminator_hidden, 1))
    d_update = g + 2 * d + 2 * (2 * d)
    g_update = (g + d) + 2 * (g + d)
    return config.d_steps * d_update + g_update


def _time_calls(call: Callable[[], Any], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(call())
        times.append(time.perf_counter() - start)
    return times


def step_flops(trainer, state, key) -> float:
    """XLA's FLOP count of ONE training step.

    We use the cost analysis of ``train_fn`` compiled with ``num_steps=1`` rather than the
    scanned K-step function divided by K: XLA's cost analysis counts the body of a ``while``
    loop (what ``lax.scan`` lowers to) once, not once per iteration, so dividing the scanned
    figure by K would understate the cost by a factor of K. The 1-step figure includes the
    (small) elementwise and Adam work as well as the matmuls.
    """
    compiled = jax.jit(trainer.train_fn, static_argnums=2).lower(state, key, 1).compile()
    cost = compiled.cost_analysis()
    cost = cost[0] if isinstance(cost, (list, tuple)) else cost
    flops = float((cost or {}).get("flops", float("nan")))
    return flops


def matmul_throughput(repeats: int, chain: int) -> tuple[float, dict[str, float]]:
    """Measured float32 matmul FLOP/s: the best over a few shapes, and every shape's rate.

    Model-sized shapes ((256,128)x(128,128), and (512,128)x(128,128) as for D on real + fake) are
    timed as a chain of ``chain`` dependent dots inside one jitted ``lax.fori_loop`` so that
    dispatch overhead does not count; the large square 1024^3 dot is timed one call at a time.
    Rate = 2*m*n*k * (dots per call) / median call time. The best of these is returned.
    """
    rates: dict[str, float] = {}
    key = jax.random.key(123)

    # Model-sized: x (256,128) @ w (128,128), chained so XLA cannot drop or fuse the calls.
    for m, k in ((256, 128), (512, 128)):
        x = jax.random.normal(key, (m, k), jnp.float32)
        w = jax.random.normal(jax.random.fold_in(key, 1), (k, k), jnp.float32) / math.sqrt(k)

        @jax.jit
        def chained(x, w):
            return jax.lax.fori_loop(0, chain, lambda _, y: jnp.dot(y, w), x)

        jax.block_until_ready(chained(x, w))
        median = statistics.median(_time_calls(lambda: chained(x, w), repeats))
        rates[f"({m},{k})x({k},{k}) chained"] = 2.0 * m * k * k * chain / median

    # Large square.
    size = 1024
    a = jax.random.normal(key, (size, size), jnp.float32)
    b = jax.random.normal(jax.random.fold_in(key, 2), (size, size), jnp.float32)
    dot = jax.jit(jnp.dot)
    jax.block_until_ready(dot(a, b))
    median = statistics.median(_time_calls(lambda: dot(a, b), repeats))
    rates[f"({size},{size})x({size},{size})"] = 2.0 * size ** 3 / median

    return max(rates.values()), rates


def run(steps: int = 1000, repeats: int = 7, per_step_calls: int = 200,
        matmul_chain: int = 200) -> dict[str, Any]:
    """Run the benchmark and return the result dict (the JSON that :func:`main` prints)."""
    config = bench_config()
    if config != GANConfig():
        # The benchmark is defined for the default config; flag a drift rather than fail.
        print("warning: bench_config() differs from GANConfig() defaults")
    trainer = make_trainer(config)
    key = jax.random.key(1)

    # (a) scanned trainer: `steps` steps per call. The state is donated, so keep the returned one.
    state = trainer.init(jax.random.key(0))
    holder = {"state": state}

    def scan_call():
        holder["state"], metrics = trainer.train(holder["state"], key, steps)
        return holder["state"], metrics

    jax.block_until_ready(scan_call())  # warm-up (compile)
    scan_times = _time_calls(scan_call, repeats)
    scan_sps = steps / statistics.median(scan_times)

    # FLOPs of one step (see step_flops) on a live state (train_fn is not jitted with donation).
    flops = step_flops(trainer, holder["state"], key)

    # (b) one jitted call per step: trainer.train(state, key, 1) in a Python loop.
    def per_step_call():
        for _ in range(per_step_calls):
            holder["state"], metrics = trainer.train(holder["state"], key, 1)
        return holder["state"], metrics

    jax.block_until_ready(per_step_call())  # warm-up (compiles the 1-step function)
    per_step_times = _time_calls(per_step_call, repeats)
    per_step_sps = per_step_calls / statistics.median(per_step_times)

    # (c) 8 seeds side by side with train_many (vmap); per-GAN steps/s = 8 * steps / time.
    keys = jax.random.split(jax.random.key(2), NUM_SEEDS)
    many = {"states": trainer.init_many(jax.random.split(jax.random.key(3), NUM_SEEDS))}

    def many_call():
        many["states"], metrics = trainer.train_many(many["states"], keys, steps)
        return many["states"], metrics

    jax.block_until_ready(many_call())  # warm-up
    many_times = _time_calls(many_call, repeats)
    vmap_sps = NUM_SEEDS * steps / statistics.median(many_times)

    # The same vmapped computation with every seed on the first device, for comparison.
    one_device = jax.devices()[0]
    single = {"states": jax.device_put(trainer.init_many(
        jax.random.split(jax.random.key(3), NUM_SEEDS)), one_device)}
    keys_one = jax.device_put(keys, one_device)

    def one_device_call():
        single["states"], metrics = trainer._train_many_jit(single["states"], keys_one, steps, None)
        return single["states"], metrics

    jax.block_until_ready(one_device_call())  # warm-up
    one_device_times = _time_calls(one_device_call, repeats)
    vmap_one_sps = NUM_SEEDS * steps / statistics.median(one_device_times)

    matmul, matmul_rates = matmul_throughput(repeats, matmul_chain)
    model_matmul = max(rate for name, rate in matmul_rates.items() if "chained" in name)

    return {
        "scan_steps_per_s": scan_sps,
        "per_step_jit_steps_per_s": per_step_sps,
        "vmap8_steps_per_s": vmap_sps,
        "flops_per_step": flops,
        "matmul_flops_per_s": matmul,
        "scan_fraction_of_matmul": scan_sps * flops / matmul,
        "vmap8_fraction_of_matmul": vmap_sps * flops / matmul,
        # Extra context.
        "devices": len(jax.devices()),
        "vmap8_one_device_steps_per_s": vmap_one_sps,
        "model_sized_matmul_flops_per_s": model_matmul,
        "scan_fraction_of_model_sized_matmul": scan_sps * flops / model_matmul,
        "analytic_matmul_flops_per_step": analytic_matmul_flops_per_step(config),
        "scan_flops_per_s": scan_sps * flops,
        "vmap8_flops_per_s": vmap_sps * flops,
        "matmul_rates": matmul_rates,
        "matmul_flops_per_s_source": "best of matmul_rates",
        "flops_per_step_source": "XLA cost_analysis of train_fn compiled with num_steps=1",
        "steps_per_call": steps,
        "per_step_calls": per_step_calls,
        "repeats": repeats,
        "median_call_s": {
            "scan": statistics.median(scan_times),
            "per_step_loop": statistics.median(per_step_times),
            "vmap8": statistics.median(many_times),
            "vmap8_one_device": statistics.median(one_device_times),
        },
        "config": {k: (list(v) if isinstance(v, tuple) else v)
                   for k, v in vars(config).items()},
        "device": str(jax.devices()[0]),
        "device_list": [str(d) for d in jax.devices()],
        "jax_version": jax.__version__,
        "python": platform.python_version(),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Parse options, run the benchmark, print one JSON object, and return it as a dict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=None,
                        help="steps per scanned call (default 1000; 50 with --quick)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed calls per measurement (default 7; 2 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="few steps and repeats, for tests (figures are noisy)")
    args = parser.parse_args(argv)
    for name in ("steps", "repeats"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name} must be >= 1")
    if args.quick:
        steps = args.steps or 50
        repeats = args.repeats or 2
        result = run(steps=steps, repeats=repeats, per_step_calls=20, matmul_chain=20)
    else:
        steps = args.steps or 1000
        repeats = args.repeats or 7
        result = run(steps=steps, repeats=repeats)
    result["quick"] = bool(args.quick)
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
