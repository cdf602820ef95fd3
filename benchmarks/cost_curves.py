"""Measure how the cost of GAN training grows with batch size, network width and seeds side by side.

Usage::

    python benchmarks/cost_curves.py [--configs benchmark,pacgan_ring_pack1,pacgan_ring_pack4]
                                     [--axes batch,width,seeds] [--repeats 3] [--target-s 0.4]
                                     [--max-seconds 900] [--matmul-size 1024] [--quick]
                                     [--out cost_curves.json]
    python benchmarks/cost_curves.py --plot cost_curves.json --figure cost_curves.png

``benchmarks/train_speed.py`` stays the headline benchmark (one configuration, one size); this
script sweeps sizes around three configurations and prints ONE JSON object (progress lines go
to stderr). Nothing is asserted. With ``--out PATH`` the same object is also written to PATH,
again after every point, so a long sweep can be read while it runs. ``--plot JSON --figure PNG``
measures nothing: it reads a saved object and draws the curves (one row per axis; steps per
second on log-log axes on the left, the fraction of the matmul rate on the right; one line per
configuration).

The configurations (``--configs``):

* ``benchmark``: ``GANConfig()``, the ring with batch 256 and 2-128-128 MLPs for G and D, as in
  ``train_speed.py``;
* ``pacgan_ring_pack1``: ``PACGAN_RING``, batch 100, G with 4 batch-norm layers of 400, D with
  3 maxout layers of 200 units x 5 pieces;
* ``pacgan_ring_pack4``: the same with ``packing=4`` (D judges 4 samples side by side). It is
  recorded as ``{"skipped": ...}`` when the installed ``GANConfig`` has no ``packing`` field.

The axes (``--axes``), each changing one thing of a configuration and keeping the rest:

* ``batch``: the batch size, 64 to 4096, one run with ``GANTrainer.train``;
* ``width``: every hidden layer of G and D set to one width, 64 to 1024, keeping the number of
  layers (for PacGAN's D the width is the number of maxout units; the pieces stay), one run;
* ``seeds``: 1 to 64 seeds side by side with ``GANTrainer.train_many`` (which spreads the seeds
  over every device JAX sees, one CPU device per core after ``import gan_lessons``).

How a point is measured: the trainer is built with ``make_trainer`` and XLA's FLOPs of one step
are counted. A calibration call is compiled and timed (twice, keeping the faster, unless the
first took over 2 x ``--target-s``); its length is a guess of ``--target-s`` worth of steps
from those FLOPs at 40 % of the matmul rate. If it took between half and twice ``--target-s``
its length is kept, else ``steps_per_call`` is rescaled to about ``--target-s`` (at least 1
step) and compiled.
``compile_s`` is ``GANTrainer.precompile`` of the timed length for ``train``; ``train_many`` has
no precompile, so there it is its first call on throw-away states minus the median call
(``first_call_s`` is the raw figure). ``calibration`` records the calibration call. After one
warm-up call, ``--repeats`` calls are timed with ``jax.block_until_ready`` and the median is
kept. Between points the trainers and states are dropped and ``jax.clear_caches()`` is called.
Once ``--max-seconds`` have passed no new point is started (a point already running finishes);
the points left are listed under ``skipped``.

The keys of the printed object:

* ``machine``: core count, platform, Python, JAX and jaxlib versions, the devices JAX sees, the
  ``compiler_options()`` the package compiles with, and the persistent compilation cache folder
  (a cache hit makes ``compile_s`` a load time; ``GAN_LESSONS_COMPILATION_CACHE=0`` avoids it).
* ``matmul``: ``_timing.numpy_matmul_rate()``, the machine's float32 matmul rate (NumPy, one
  ``--matmul-size`` square product, in a fresh process); ``flops_per_s`` is the reference.
* ``configs``: per configuration its ``description``, its ``config`` fields and ``axes``, a list
  of points per axis. A point holds the values varied (``batch_size``, ``generator_hidden``,
  ``discriminator_hidden``, ``seeds``), ``method`` (``train`` or ``train_many``),
  ``steps_per_call``, ``median_call_s`` and every timed ``call_s``, ``compile_s``,
  ``steps_per_s`` (for seeds: GAN-steps per second, seeds x steps / time), ``flops_per_step``
  (XLA's count for one step of ONE run, ``train_speed.step_flops``; per GAN for seeds),
  ``analytic_matmul_flops_per_step`` (a hand count of the matmul FLOPs, counting maxout pieces
  and packing), ``flops_per_s`` (steps_per_s x flops_per_step) and ``fraction_of_matmul``
  (flops_per_s / the matmul rate). A point that failed holds ``error`` instead.
* ``settings``: the options and the axis values used; ``skipped``: points not measured and why;
  ``elapsed_s``; ``complete`` (false while running, or when a point was skipped or failed);
  ``notes``: what each number is, in words.

Figures from a small shared CPU are noisy: run the sweep twice before comparing.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import jax

from gan_lessons.runtime import compiler_options, package_version
from gan_lessons.training.gan import make_trainer
from gan_lessons.training.gan_config import PACGAN_RING, GANConfig

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/, for the two below
from _timing import numpy_matmul_rate  # noqa: E402  (benchmarks/_timing.py)
from train_speed import step_flops  # noqa: E402  (the headline benchmark's FLOP count)

AXES = ("batch", "width", "seeds")
AXIS_VALUES = {"batch": (64, 128, 256, 512, 1024, 2048, 4096),
               "width": (64, 128, 256, 512, 1024),
               "seeds": (1, 2, 4, 8, 16, 32, 64)}
QUICK_AXIS_VALUES = {"batch": (64, 128), "width": (64, 128), "seeds": (1, 2)}
CONFIG_NAMES = ("benchmark", "pacgan_ring_pack1", "pacgan_ring_pack4")
DESCRIPTIONS = {
    "benchmark": "GANConfig(): ring, batch 256, G and D 2-128-128 ReLU MLPs",
    "pacgan_ring_pack1": "PACGAN_RING: batch 100, G 4x400 with batch norm, D 3 maxout layers "
                         "of 200 units x 5 pieces",
    "pacgan_ring_pack4": "PACGAN_RING with packing=4 (D judges 4 samples side by side)",
}
LABELS = {"benchmark": "benchmark (MLP 128-128, batch 256)",
          "pacgan_ring_pack1": "PacGAN ring, packing 1 (batch 100)",
          "pacgan_ring_pack4": "PacGAN ring, packing 4 (batch 100)"}
DEFAULTS = {"repeats": 3, "target_s": 0.4, "max_seconds": 900.0, "matmul_size": 1024}
QUICK = {"repeats": 2, "target_s": 0.05, "max_seconds": 900.0, "matmul_size": 256}
MAX_STEPS_PER_CALL = 100_000
GUESS_FRACTION = 0.4  # of the matmul rate, for the length of the calibration call
NOTES = {
    "steps_per_s": "training steps (k D updates + 1 G update) per second, steps_per_call / "
                   "median_call_s; for the seeds axis GAN-steps per second, "
                   "seeds x steps_per_call / median_call_s",
    "median_call_s": "median of the timed calls (after a warm-up), waited for with "
                     "jax.block_until_ready; call_s lists them all",
    "steps_per_call": "chosen so that a call takes about target_s, from one timed calibration "
                      "call (calibration: its steps, guessed from flops_per_step at 40% of the "
                      "matmul rate, its time and compile time); kept when that call took "
                      "between half and twice target_s",
    "compile_s": "train: GANTrainer.precompile(steps_per_call) (trace and compile); train_many: "
                 "its first call on throw-away states minus median_call_s (an estimate; "
                 "first_call_s is the raw figure)",
    "flops_per_step": "XLA cost analysis of train_fn compiled for one step of ONE run "
                      "(train_speed.step_flops): matmuls, elementwise and Adam work",
    "analytic_matmul_flops_per_step": "hand count of the matmul FLOPs of one step (forward "
                                      "2 n sum w_in w_out, backward twice that; maxout "
                                      "layers count every piece, packing m runs G on m x n "
                                      "codes)",
    "flops_per_s": "steps_per_s x flops_per_step",
    "fraction_of_matmul": "flops_per_s / matmul.flops_per_s (NumPy's float32 rate for one "
                          "square product on this machine)",
    "width": "every hidden layer of G and D set to that width, same number of layers",
    "seeds": "GANTrainer.train_many with that many seeds side by side; JAX sees one CPU "
             "device per core (at most 8), and the seeds are split over the devices when "
             "their number is a multiple of the device count",
}


# ----------------------------------------------------------------------------- arguments
def positive_int(text: str) -> int:
    """An argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {value}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value


def name_list(allowed: Sequence[str], what: str) -> Callable[[str], tuple[str, ...]]:
    """An argparse type: a comma list of names from ``allowed`` (duplicates dropped)."""
    def parse(text: str) -> tuple[str, ...]:
        names = [part.strip() for part in text.split(",")]
        for name in names:
            if name not in allowed:
                raise argparse.ArgumentTypeError(
                    f"unknown {what} {name!r} in {text!r}; allowed: {', '.join(allowed)}")
        return tuple(dict.fromkeys(names))
    return parse


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=name_list(CONFIG_NAMES, "config"), default=CONFIG_NAMES,
                        help=f"comma list of {', '.join(CONFIG_NAMES)} (default: all)")
    parser.add_argument("--axes", type=name_list(AXES, "axis"), default=AXES,
                        help=f"comma list of {', '.join(AXES)} (default: all)")
    parser.add_argument("--repeats", type=positive_int, default=None,
                        help=f"timed calls per point (default {DEFAULTS['repeats']}, "
                             f"{QUICK['repeats']} with --quick)")
    parser.add_argument("--target-s", type=positive_float, default=None,
                        help=f"seconds one timed call should take (default "
                             f"{DEFAULTS['target_s']}, {QUICK['target_s']} with --quick)")
    parser.add_argument("--max-seconds", type=positive_float, default=None,
                        help="start no new point after this many seconds (default "
                             f"{DEFAULTS['max_seconds']:g})")
    parser.add_argument("--matmul-size", type=positive_int, default=None,
                        help=f"side of NumPy's reference matmul (default "
                             f"{DEFAULTS['matmul_size']}, {QUICK['matmul_size']} with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sweep for a smoke test: two values per axis, short calls")
    parser.add_argument("--out", type=Path, default=None,
                        help="also write the JSON object here (rewritten after every point)")
    parser.add_argument("--plot", type=Path, default=None, metavar="JSON",
                        help="measure nothing: draw the curves of a saved JSON object")
    parser.add_argument("--figure", type=Path, default=None, metavar="PNG",
                        help="where --plot saves its figure (default: the JSON path with .png)")
    args = parser.parse_args(argv)
    if args.figure is not None and args.plot is None:
        parser.error("--figure is only used with --plot JSON")
    if args.out is not None and not args.out.resolve().parent.is_dir():
        parser.error(f"--out: no such folder: {str(args.out.parent)!r}")
    if args.plot is not None and not args.plot.is_file():
        parser.error(f"--plot: no such file: {str(args.plot)!r}")
    for name in DEFAULTS:
        if getattr(args, name) is None:
            setattr(args, name, (QUICK if args.quick else DEFAULTS)[name])
    return args


# ----------------------------------------------------------------------------- measuring
def plain(value: Any) -> Any:
    """``value`` as JSON: tuples as lists, non-finite floats as None, other objects as text."""
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def config_fields(config) -> dict[str, Any]:
    return {f.name: plain(getattr(config, f.name)) for f in dataclasses.fields(config)}


def base_configs() -> dict[str, Any]:
    """The three configurations by name; a string (why) where one cannot be built."""
    configs: dict[str, Any] = {"benchmark": GANConfig(), "pacgan_ring_pack1": PACGAN_RING}
    if "packing" in {f.name for f in dataclasses.fields(GANConfig)}:
        configs["pacgan_ring_pack4"] = dataclasses.replace(PACGAN_RING, packing=4)
    else:
        configs["pacgan_ring_pack4"] = "GANConfig has no packing field"
    return configs


def vary(config, axis: str, value: int):
    """``config`` with one thing changed along ``axis`` (the seeds axis changes nothing)."""
    if axis == "batch":
        return dataclasses.replace(config, batch_size=value)
    if axis == "width":
        return dataclasses.replace(config,
                                   generator_hidden=(value,) * len(config.generator_hidden),
                                   discriminator_hidden=(value,) * len(config.discriminator_hidden))
    return config


def analytic_matmul_flops_per_step(config) -> float:
    """A hand count of the matmul FLOPs of one training step, for MLP and PacGAN networks.

    Forward through widths w_0..w_L on n rows costs ``2 n sum w_(l-1) w_l`` and a backward pass
    about twice that (as in ``train_speed.analytic_matmul_flops_per_step``, which this equals
    for an MLP without packing). A maxout layer of u units with p pieces is a product to u x p
    outputs. With packing m, G runs on m x n codes and D on n rows m x data_dim wide.
    """
    n, m = config.batch_size, getattr(config, "packing", 1)
    pieces = config.maxout_pieces if config.architecture == "pacgan" else 1
    g_widths = (config.latent_dim, *config.generator_hidden, config.data_dim)
    g = 2.0 * m * n * sum(a * b for a, b in zip(g_widths[:-1], g_widths[1:]))
    d_in = (m * config.data_dim, *config.discriminator_hidden)
    d_out = (*(u * pieces for u in config.discriminator_hidden), 1)
    d = 2.0 * n * sum(a * b for a, b in zip(d_in, d_out))
    d_update = g + 2 * d + 2 * (2 * d)   # G forward, D forward on real and fake, D backward
    g_update = (g + d) + 2 * (g + d)     # G and D forward, backward through both
    return config.d_steps * d_update + g_update


def timed_call(call: Callable[[], Any]) -> float:
    """Seconds taken by ``call()``, waiting for its result."""
    start = time.perf_counter()
    jax.block_until_ready(call())
    return time.perf_counter() - start


def clamp_steps(steps: float) -> int:
    return int(min(MAX_STEPS_PER_CALL, max(1, round(steps))))


def first_guess(flops: float, seeds: int, matmul_rate: float, target_s: float) -> int:
    """Steps for the calibration call: ``target_s`` worth if training ran at ``GUESS_FRACTION``
    of the matmul rate (1 step when XLA gave no FLOP count)."""
    if not (math.isfinite(flops) and flops > 0):
        return 1
    return clamp_steps(target_s * GUESS_FRACTION * matmul_rate / (seeds * flops))


def time_point(compile_for: Callable[[int], float], call_for: Callable[[int], Callable],
               guess: int, repeats: int, target_s: float) -> dict[str, Any]:
    """Calibrate the steps per call, compile that length, time ``repeats`` calls.

    ``compile_for(k)`` compiles calls of k steps and returns the seconds it took;
    ``call_for(k)`` returns a function that runs one call of k steps. The calibration call of
    ``guess`` steps is run twice (the first call after compiling also pays one-time costs)
    unless it already took over 2 x ``target_s``; when it took between half and twice the
    target, its length is kept and nothing more is compiled.
    """
    compile_guess = compile_for(guess)
    seconds = timed_call(call_for(guess))
    if seconds < 2 * target_s:
        seconds = min(seconds, timed_call(call_for(guess)))
    if target_s / 2 <= seconds <= 2 * target_s:
        steps, compile_s = guess, compile_guess
    else:
        steps = clamp_steps(guess * target_s / max(seconds, 1e-9))
        compile_s = compile_for(steps) if steps != guess else compile_guess
    timed_call(call_for(steps))  # warm-up
    times = [timed_call(call_for(steps)) for _ in range(repeats)]
    return {"steps_per_call": steps, "compile_s": compile_s, "times": times,
            "calibration": {"steps": guess, "call_s": seconds, "compile_s": compile_guess}}


def measure_train(trainer, guess: int, repeats: int, target_s: float) -> dict[str, Any]:
    """One run with ``GANTrainer.train``; compile time is that of ``precompile``."""
    key = jax.random.key(1)
    held = {"state": trainer.init(jax.random.key(0))}

    def compile_for(steps: int) -> float:
        start = time.perf_counter()
        trainer.precompile(steps)
        return time.perf_counter() - start

    def call_for(steps: int):
        def run():
            held["state"], metrics = trainer.train(held["state"], key, steps)
            return held["state"], metrics
        return run

    timing = time_point(compile_for, call_for, guess, repeats, target_s)
    del held["state"]
    timing["method"] = "train"
    timing["steps_per_s"] = timing["steps_per_call"] / statistics.median(timing["times"])
    return timing


def measure_train_many(trainer, seeds: int, guess: int, repeats: int,
                       target_s: float) -> dict[str, Any]:
    """``seeds`` runs side by side with ``GANTrainer.train_many``; a length is compiled by its
    first call on throw-away states (compile and one run)."""
    keys = jax.random.split(jax.random.key(2), seeds)
    fresh = lambda: trainer.init_many(jax.random.split(jax.random.key(3), seeds))  # noqa: E731
    held = {"states": fresh()}

    def compile_for(steps: int) -> float:
        return timed_call(lambda: trainer.train_many(fresh(), keys, steps))

    def call_for(steps: int):
        def run():
            held["states"], metrics = trainer.train_many(held["states"], keys, steps)
            return held["states"], metrics
        return run

    timing = time_point(compile_for, call_for, guess, repeats, target_s)
    del held["states"]
    median = statistics.median(timing["times"])
    timing["first_call_s"] = timing["compile_s"]
    timing["compile_s"] = max(0.0, timing["compile_s"] - median)
    timing["method"] = "train_many"
    timing["steps_per_s"] = seeds * timing["steps_per_call"] / median
    return timing


def measure_point(config, axis: str, value: int, repeats: int, target_s: float,
                  matmul_rate: float, flops_cache: dict) -> dict[str, Any]:
    """One point of a curve: ``config`` changed along ``axis`` to ``value``, measured."""
    varied = vary(config, axis, value)
    seeds = value if axis == "seeds" else 1
    point: dict[str, Any] = {
        "axis": axis, "value": value, "batch_size": varied.batch_size,
        "generator_hidden": list(varied.generator_hidden),
        "discriminator_hidden": list(varied.discriminator_hidden), "seeds": seeds}
    trainer = make_trainer(varied)
    try:
        if varied not in flops_cache:  # the seeds axis reuses its config's figure
            flops_cache[varied] = step_flops(trainer, trainer.init(jax.random.key(0)),
                                             jax.random.key(1))
        flops = flops_cache[varied]
        guess = first_guess(flops, seeds, matmul_rate, target_s)
        if axis == "seeds":
            timing = measure_train_many(trainer, seeds, guess, repeats, target_s)
        else:
            timing = measure_train(trainer, guess, repeats, target_s)
    finally:
        del trainer
        jax.clear_caches()
    times = timing.pop("times")
    sps = timing.pop("steps_per_s")
    point.update(timing)
    point.update(median_call_s=statistics.median(times), call_s=times, steps_per_s=sps,
                 flops_per_step=flops,
                 analytic_matmul_flops_per_step=analytic_matmul_flops_per_step(varied),
                 flops_per_s=sps * flops, fraction_of_matmul=sps * flops / matmul_rate)
    return point


def machine_info() -> dict[str, Any]:
    return {"cpu_count": os.cpu_count(), "platform": platform.platform(),
            "machine": platform.machine(), "python": platform.python_version(),
            "jax_version": jax.__version__, "jaxlib_version": package_version("jaxlib"),
            "devices": [str(d) for d in jax.devices()],
            "compiler_options": compiler_options(),
            "compilation_cache_dir": jax.config.jax_compilation_cache_dir or None}


def write_json(result: dict[str, Any], path: Path | None) -> None:
    if path is None:
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(plain(result), indent=2) + "\n")
    os.replace(tmp, path)


def sweep(args: argparse.Namespace) -> dict[str, Any]:
    """Every point of the chosen configs and axes, as the JSON object :func:`main` prints."""
    start = time.perf_counter()
    axis_values = QUICK_AXIS_VALUES if args.quick else AXIS_VALUES
    result: dict[str, Any] = {
        "machine": machine_info(),
        "matmul": None,
        "settings": {"configs": list(args.configs), "axes": list(args.axes),
                     "axis_values": {a: list(axis_values[a]) for a in args.axes},
                     "repeats": args.repeats, "target_s": args.target_s,
                     "max_seconds": args.max_seconds, "matmul_size": args.matmul_size,
                     "quick": bool(args.quick)},
        "configs": {}, "skipped": [], "elapsed_s": 0.0, "complete": False, "notes": NOTES}
    write_json(result, args.out)  # fails early on a bad --out path
    result["matmul"] = numpy_matmul_rate(size=args.matmul_size)
    rate = result["matmul"]["flops_per_s"]
    configs = base_configs()
    flops_cache: dict = {}
    for name in args.configs:
        config = configs[name]
        if isinstance(config, str):
            result["configs"][name] = {"skipped": config}
            continue
        entry = {"description": DESCRIPTIONS[name], "config": config_fields(config),
                 "axes": {axis: [] for axis in args.axes}}
        result["configs"][name] = entry
        for axis in args.axes:
            for value in axis_values[axis]:
                elapsed = time.perf_counter() - start
                if elapsed > args.max_seconds:
                    result["skipped"].append({"config": name, "axis": axis, "value": value,
                                              "reason": f"--max-seconds {args.max_seconds:g} "
                                                        f"passed ({elapsed:.1f} s)"})
                    continue
                try:
                    point = measure_point(config, axis, value, args.repeats, args.target_s,
                                          rate, flops_cache)
                    line = (f"{point['steps_per_s']:,.0f} steps/s, "
                            f"{point['fraction_of_matmul']:.1%} of matmul, "
                            f"{point['steps_per_call']} steps/call")
                except Exception as error:  # record it and go on with the sweep
                    point = {"axis": axis, "value": value,
                             "error": f"{type(error).__name__}: {error}"}
                    line = point["error"]
                entry["axes"][axis].append(point)
                elapsed = time.perf_counter() - start
                print(f"[{elapsed:6.1f} s] {name} {axis}={value}: {line}", file=sys.stderr,
                      flush=True)
                result["elapsed_s"] = elapsed
                write_json(result, args.out)
    result["elapsed_s"] = time.perf_counter() - start
    result["complete"] = not result["skipped"] and not any(
        "error" in point for entry in result["configs"].values()
        for points in entry.get("axes", {}).values() for point in points)
    write_json(result, args.out)
    return plain(result)


# ----------------------------------------------------------------------------- the figure
def log_label(y: float, _pos=None) -> str:
    """A tick of a log axis as a plain number: 2,000 rather than 2 x 10^3."""
    return f"{y:,.0f}" if y >= 1 else f"{y:g}"


def leading_digit(y: float) -> int:
    return round(y / 10 ** math.floor(math.log10(y))) if y > 0 else 0

def plot(data: dict[str, Any], figure: Path) -> None:
    """Draw the saved curves: one row per axis, steps/s (log-log) and fraction of matmul."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator, PercentFormatter

    titles = {"batch": "batch size (one run)", "width": "hidden width of G and D (one run)",
              "seeds": "seeds side by side (train_many)"}
    colours = {"benchmark": "tab:blue", "pacgan_ring_pack1": "tab:orange",
               "pacgan_ring_pack4": "tab:green"}
    plt.rcParams.update({"font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12,
                         "legend.fontsize": 11})
    fig, grid = plt.subplots(len(AXES), 2, figsize=(12, 13), squeeze=False)
    configs = data.get("configs", {})
    for row, axis in enumerate(AXES):
        left, right = grid[row]
        ticks: set[int] = set()
        for name, entry in configs.items():
            points = [p for p in entry.get("axes", {}).get(axis, []) if p.get("steps_per_s")]
            if not points:
                continue
            xs = [p["value"] for p in points]
            ticks.update(xs)
            style = dict(marker="o", linewidth=2, markersize=6, label=LABELS.get(name, name),
                         color=colours.get(name))
            left.plot(xs, [p["steps_per_s"] for p in points], **style)
            fractions = [p.get("fraction_of_matmul") for p in points]
            right.plot(xs, [math.nan if f is None else f for f in fractions], **style)
        for ax in (left, right):
            ax.set_xlabel(titles[axis])
            ax.grid(True, which="both", alpha=0.3)
            if not ticks:
                ax.text(0.5, 0.5, "not measured", transform=ax.transAxes, ha="center",
                        va="center", color="0.5")
                continue
            ax.set_xscale("log", base=2)
            ax.xaxis.set_major_locator(FixedLocator(sorted(ticks)))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.set_xticklabels([str(t) for t in sorted(ticks)])
        if ticks:
            left.set_yscale("log")
            left.yaxis.set_major_formatter(FuncFormatter(log_label))
            left.yaxis.set_minor_formatter(FuncFormatter(
                lambda y, pos: log_label(y, pos) if leading_digit(y) in (2, 5) else ""))
            right.set_ylim(bottom=0)
        left.set_ylabel("GAN-steps / s" if axis == "seeds" else "steps / s")
        right.set_ylabel("fraction of matmul rate")
        right.yaxis.set_major_formatter(PercentFormatter(1.0))
    grid[0][0].set_title("training steps per second (log-log)")
    grid[0][1].set_title("achieved FLOP/s / NumPy matmul FLOP/s")
    handles, labels = [], []
    for ax in grid.flat:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    if handles:
        fig.legend(handles, labels, loc="upper center", ncol=len(labels),
                   bbox_to_anchor=(0.5, 0.945), frameon=False)
    machine, matmul = data.get("machine", {}), data.get("matmul") or {}
    rate = matmul.get("flops_per_s")
    rate_text = f"{rate / 1e9:.0f} GFLOP/s" if rate else "?"
    quick = " (quick run)" if data.get("settings", {}).get("quick") else ""
    devices = len(machine.get("devices", [])) or "?"
    fig.suptitle(f"GAN training cost curves{quick}: {machine.get('cpu_count', '?')} cores "
                 f"({devices} JAX devices), "
                 f"NumPy float32 matmul {rate_text} ({matmul.get('size', '?')}²), "
                 f"JAX {machine.get('jax_version', '?')}", fontsize=14)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    fig.savefig(figure, dpi=110)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> dict[str, Any] | None:
    """Parse the options; draw a saved sweep (--plot) or run one and print its JSON object."""
    args = parse_args(argv)
    if args.plot is not None:
        figure = args.figure or args.plot.with_suffix(".png")
        plot(json.loads(args.plot.read_text()), figure)
        print(f"wrote {figure}", file=sys.stderr)
        return None
    result = sweep(args)
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
