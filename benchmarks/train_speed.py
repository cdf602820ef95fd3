"""Print the training throughput of the default 2-D ring GAN against the machine's matmul rate.

Usage::

    python benchmarks/train_speed.py [--steps 100] [--repeats 3] [--per-step-calls 50]
                                     [--matmul-chain 50] [--matmul-size 512] [--quick]
                                     [--torch-python PYTHON | --no-torch]

Prints ONE JSON object; nothing is asserted. Its main keys:

* ``scan_steps_per_s``: training steps per second of ``GANTrainer.train`` with ``--steps`` steps
  per call (one ``jax.jit`` around ``lax.scan``), compiled with the package's
  ``compiler_options`` (Eigen's CPU matmul kernels); ``scan_xla_default_dots_steps_per_s``: the
  same call compiled with XLA's own choice of kernels (YNNPACK on current CPUs).
* ``per_step_jit_steps_per_s``: steps per second when every step is its own compiled call
  (``trainer.train(state, key, 1)`` in a Python loop, ``--per-step-calls`` times).
* ``vmap8_steps_per_s``: GAN-steps per second of ``GANTrainer.train_many`` on 8 seeds, i.e.
  ``8 * steps / time``. ``train_many`` spreads the seeds over every device JAX sees; importing
  :mod:`gan_lessons` gives JAX one CPU device per core, so on a CPU the seeds use every core.
  ``vmap8_one_device_steps_per_s`` times the same vmapped computation with all 8 seeds on one
  device, for comparison.
* ``flops_per_step``: XLA's FLOP count for one training step (one D update and one G update),
  from the cost analysis of ``train_fn`` compiled for one step (see :func:`step_flops`), beside
  ``analytic_matmul_flops_per_step``, a hand count of the matmul FLOPs.
* ``matmul_flops_per_s``: the best measured float32 matmul rate ``2 m n k / time`` over a few
  shapes, model-sized ones chained inside one jit and one large square product
  (``--matmul-size``); every shape's rate is under ``matmul_rates``.
* ``scan_fraction_of_matmul`` and ``vmap8_fraction_of_matmul``: achieved FLOP/s
  (``steps_per_s * flops_per_step``) over ``matmul_flops_per_s``.
* ``numpy_matmul_flops_per_s``: the machine's matmul rate as NumPy measures it (one 1,024 x
  1,024 float32 product in a fresh Python, with ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE``
  unset for that process; details and the BLAS kernel under ``numpy_matmul``), the reference of
  the speed targets: ``scan_fraction_of_numpy_matmul`` and ``vmap8_fraction_of_numpy_matmul``.
* ``torch``: the JSON of ``torch_step.py`` (the same step in eager PyTorch), run after the JAX
  measurements with the same ``--steps`` and ``--repeats``, by this Python when it has torch
  or by ``--torch-python``; ``{"skipped": reason}`` otherwise. ``scan_over_torch``: the ratio
  of the scanned trainer's steps per second to PyTorch's (``null`` without PyTorch).
* ``targets``: the figures the course aims at, printed beside the measurements, never asserted.
* ``warm_up_s``: what each measurement spent before its timed calls: ``GANTrainer.precompile``
  for the scanned and the one-step calls (tracing and compilation), and a first call on a
  throw-away state for the two vmapped ones (tracing, compilation and one run); beside them
  ``median_call_s`` and ``best_call_s`` of the timed calls.

Each timing is the median of ``--repeats`` calls after the warm-up, with
``jax.block_until_ready``. The figures of one run on a small shared CPU are noisy: run it twice.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import numpy_matmul_rate  # noqa: E402  (benchmarks/_timing.py)

from gan_lessons.runtime import compiler_options  # noqa: E402
from gan_lessons.training.gan import GANConfig, make_trainer  # noqa: E402

TORCH_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_step.py")
TARGETS = {"scan_over_torch": 3.0, "scan_fraction_of_numpy_matmul": 0.45,
           "vmap8_fraction_of_numpy_matmul": 0.75}
"""The speed targets the figures are read against (printed beside them, never asserted)."""

NUM_SEEDS = 8
DEFAULTS = {"steps": 100, "repeats": 3, "per_step_calls": 50, "matmul_chain": 50,
            "matmul_size": 512}
QUICK = {"steps": 20, "repeats": 2, "per_step_calls": 5, "matmul_chain": 5, "matmul_size": 64}


def analytic_matmul_flops_per_step(config: GANConfig) -> float:
    """A hand count of the matmul FLOPs of one training step, to check XLA's figure.

    The forward pass of an MLP with widths w_0, ..., w_L on a batch of n costs
    ``2 n sum_l w_(l-1) w_l``; a backward pass costs about twice its forward pass. A D update is
    G forward, D forward on the real and the fake batch, and D backward on both; a G update is
    G and D forward on a fake batch and the backward pass through both.
    """
    n = config.batch_size

    def forward(widths: Sequence[int]) -> float:
        return 2.0 * n * sum(a * b for a, b in zip(widths[:-1], widths[1:]))

    g = forward((config.latent_dim, *config.generator_hidden, config.data_dim))
    d = forward((config.data_dim, *config.discriminator_hidden, 1))
    d_update = g + 2 * d + 2 * (2 * d)
    g_update = (g + d) + 2 * (g + d)
    return config.d_steps * d_update + g_update


def time_calls(call: Callable[[], Any], repeats: int) -> list[float]:
    """Seconds taken by each of ``repeats`` calls of ``call``, waiting for its result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(call())
        times.append(time.perf_counter() - start)
    return times


def step_flops(trainer, state, key) -> float:
    """XLA's FLOP count of one training step.

    ``train_fn`` is compiled for one step rather than dividing the K-step figure by K: XLA's
    cost analysis counts the body of a ``while`` loop (what ``lax.scan`` becomes) once, not once
    per iteration. The figure includes the elementwise and Adam work besides the matmuls.
    """
    compiled = jax.jit(trainer.train_fn, static_argnums=2).lower(state, key, 1, trainer.data)
    cost = compiled.compile().cost_analysis()
    cost = cost[0] if isinstance(cost, (list, tuple)) else cost
    return float((cost or {}).get("flops", float("nan")))


def matmul_throughput(repeats: int, chain: int, size: int) -> dict[str, float]:
    """Measured float32 matmul FLOP/s for each of a few shapes.

    The model-sized products, (256,128)x(128,128) and (512,128)x(128,128) as for D on a real and
    a fake batch together, are chained ``chain`` times inside one jitted ``fori_loop`` so that
    dispatching a call does not count; the square ``size`` x ``size`` product is timed one call
    at a time. Rate = 2 m n k x (products per call) / median call time.
    """
    rates: dict[str, float] = {}
    key = jax.random.key(123)
    for m, k in ((256, 128), (512, 128)):
        x = jax.random.normal(key, (m, k), jnp.float32)
        w = jax.random.normal(jax.random.fold_in(key, 1), (k, k), jnp.float32) / math.sqrt(k)
        chained = jax.jit(lambda x, w: jax.lax.fori_loop(0, chain, lambda _, y: jnp.dot(y, w), x))
        jax.block_until_ready(chained(x, w))
        median = statistics.median(time_calls(lambda: chained(x, w), repeats))
        rates[f"({m},{k})x({k},{k}) chained"] = 2.0 * m * k * k * chain / median
    a = jax.random.normal(key, (size, size), jnp.float32)
    b = jax.random.normal(jax.random.fold_in(key, 2), (size, size), jnp.float32)
    dot = jax.jit(jnp.dot)
    jax.block_until_ready(dot(a, b))
    median = statistics.median(time_calls(lambda: dot(a, b), repeats))
    rates[f"({size},{size})x({size},{size})"] = 2.0 * size ** 3 / median
    return rates


def measure(warm_up: Callable[[], Any], call: Callable[[], Any], repeats: int):
    """(warm-up seconds, timed call seconds): ``warm_up()`` once, then ``repeats`` calls."""
    first = time_calls(warm_up, 1)[0]
    return first, time_calls(call, repeats)


def run(steps: int, repeats: int, per_step_calls: int, matmul_chain: int,
        matmul_size: int) -> dict[str, Any]:
    """Run every measurement and return the figures that :func:`main` prints."""
    config = GANConfig()
    trainer = make_trainer(config)
    key = jax.random.key(1)
    fresh = lambda: trainer.init(jax.random.key(0))  # noqa: E731  (a throw-away state)
    fresh_many = lambda: trainer.init_many(  # noqa: E731
        jax.random.split(jax.random.key(3), NUM_SEEDS))
    held: dict[str, Any] = {"state": fresh()}

    # (a) the scanned trainer, `steps` steps per call; the state is donated, so keep the new one.
    def scan_call():
        held["state"], metrics = trainer.train(held["state"], key, steps)
        return held["state"], metrics

    first_scan, scan_times = measure(lambda: trainer.precompile(steps), scan_call, repeats)
    scan_sps = steps / statistics.median(scan_times)
    flops = step_flops(trainer, held["state"], key)

    # (a') the same scanned call compiled with XLA's own choice of CPU matmul kernels (the
    # package asks for Eigen's, gan_lessons.runtime.compiler_options).
    xla_default = jax.jit(trainer.train_fn, static_argnums=2, donate_argnums=0)
    held["xla"] = fresh()

    def xla_call():
        held["xla"], metrics = xla_default(held["xla"], key, steps, trainer.data)
        return held["xla"], metrics

    first_xla, xla_times = measure(lambda: xla_default(fresh(), key, steps, trainer.data),
                                   xla_call, repeats)
    xla_sps = steps / statistics.median(xla_times)

    # (b) one compiled call per step.
    def per_step_call():
        for _ in range(per_step_calls):
            held["state"], metrics = trainer.train(held["state"], key, 1)
        return held["state"], metrics

    first_step, step_times = measure(lambda: trainer.precompile(1), per_step_call, repeats)
    per_step_sps = per_step_calls / statistics.median(step_times)

    # (c) 8 seeds side by side with train_many, spread over the devices.
    keys = jax.random.split(jax.random.key(2), NUM_SEEDS)
    held["states"] = fresh_many()

    def many_call():
        held["states"], metrics = trainer.train_many(held["states"], keys, steps)
        return held["states"], metrics

    first_many, many_times = measure(lambda: trainer.train_many(fresh_many(), keys, steps),
                                     many_call, repeats)
    vmap_sps = NUM_SEEDS * steps / statistics.median(many_times)

    # (d) the same vmapped computation with every seed on the first device (the 2-D trainer
    # puts no constraint on its batches, so vmap of its train_fn is what train_many runs).
    one_device = jax.devices()[0]
    many_on_one = jax.jit(jax.vmap(trainer.train_fn, in_axes=(0, 0, None, None)),
                          static_argnums=2, donate_argnums=0)
    keys_one = jax.device_put(keys, one_device)
    held["one"] = jax.device_put(fresh_many(), one_device)

    def one_device_call():
        held["one"], metrics = many_on_one(held["one"], keys_one, steps, trainer.data)
        return held["one"], metrics

    first_one, one_times = measure(
        lambda: many_on_one(jax.device_put(fresh_many(), one_device), keys_one, steps,
                            trainer.data), one_device_call, repeats)
    vmap_one_sps = NUM_SEEDS * steps / statistics.median(one_times)

    matmul_rates = matmul_throughput(repeats, matmul_chain, matmul_size)
    matmul = max(matmul_rates.values())
    model_matmul = max(rate for name, rate in matmul_rates.items() if "chained" in name)
    timings = {"scan": scan_times, "per_step_loop": step_times, "vmap8": many_times,
               "vmap8_one_device": one_times, "scan_xla_default_dots": xla_times}
    numpy_rate = numpy_matmul_rate(1024 if matmul_size >= 256 else matmul_size, 2 * repeats + 1)
    reference = numpy_rate["flops_per_s"]
    return {
        "scan_steps_per_s": scan_sps,
        "scan_xla_default_dots_steps_per_s": xla_sps,
        "numpy_matmul_flops_per_s": reference,
        "scan_fraction_of_numpy_matmul": scan_sps * flops / reference,
        "vmap8_fraction_of_numpy_matmul": vmap_sps * flops / reference,
        "numpy_matmul": numpy_rate,
        "compiler_options": compiler_options(),
        "per_step_jit_steps_per_s": per_step_sps,
        "vmap8_steps_per_s": vmap_sps,
        "flops_per_step": flops,
        "matmul_flops_per_s": matmul,
        "scan_fraction_of_matmul": scan_sps * flops / matmul,
        "vmap8_fraction_of_matmul": vmap_sps * flops / matmul,
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
        "warm_up_s": {"scan": first_scan, "per_step_loop": first_step, "vmap8": first_many,
                      "vmap8_one_device": first_one, "scan_xla_default_dots": first_xla},
        "median_call_s": {name: statistics.median(t) for name, t in timings.items()},
        "best_call_s": {name: min(t) for name, t in timings.items()},
        "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(config).items()},
        "device": str(jax.devices()[0]),
        "device_list": [str(d) for d in jax.devices()],
        "jax_version": jax.__version__,
        "python": platform.python_version(),
    }


def torch_comparison(python: str | None, steps: int, repeats: int, quick: bool) -> dict[str, Any]:
    """Run ``torch_step.py`` (eager PyTorch, the same step) under ``python`` in a subprocess,
    after the JAX measurements so the two never share the cores; its JSON, or a reason why not.

    ``python`` is ``None`` for "this interpreter, if it has torch"."""
    if python is None:
        if importlib.util.find_spec("torch") is None:
            return {"skipped": "PyTorch is not installed for this Python (pass --torch-python "
                               "to use another interpreter that has it)"}
        python = sys.executable
    command = [python, TORCH_SCRIPT, "--steps", str(steps), "--repeats", str(repeats)]
    if quick:
        command.append("--quick")
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        return {"skipped": f"{python} could not run torch_step.py: {error}"}
    if result.returncode != 0:
        return {"skipped": f"torch_step.py failed under {python}: {result.stderr[-500:]}"}
    return json.loads(result.stdout)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Parse the options, run the benchmark, print one JSON object and return it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in DEFAULTS.items():
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=None,
                            help=f"default {default} ({QUICK[name]} with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, for a smoke test (the figures mean little)")
    parser.add_argument("--torch-python", default=None, metavar="PYTHON",
                        help="an interpreter with PyTorch for the eager comparison (default: this "
                             "one, if it has torch)")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    args = parser.parse_args(argv)
    sizes = {}
    for name in DEFAULTS:
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name.replace('_', '-')} must be an integer >= 1, got {value}")
        sizes[name] = value if value is not None else (QUICK if args.quick else DEFAULTS)[name]
    result = run(**sizes)
    result["quick"] = bool(args.quick)
    torch = ({"skipped": "--no-torch"} if args.no_torch else
             torch_comparison(args.torch_python, sizes["steps"], sizes["repeats"], args.quick))
    result["torch"] = torch
    result["scan_over_torch"] = (result["scan_steps_per_s"] / torch["torch_steps_per_s"]
                                 if "torch_steps_per_s" in torch else None)
    result["targets"] = TARGETS
    result["cores"] = os.cpu_count()
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
