"""Smoke test of benchmarks/train_speed.py: at a tiny size it prints one JSON object with the
figures it promises, each of the right type.

Speed is measured, never asserted: no figure below is compared with a time.
"""

import json
import math
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from gan_lessons.training.gan import GANConfig

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "train_speed.py"
TINY = ["--steps", "2", "--repeats", "1", "--per-step-calls", "2", "--matmul-chain", "2",
        "--matmul-size", "16"]

FIGURES = ("scan_steps_per_s", "per_step_jit_steps_per_s", "vmap8_steps_per_s",
           "vmap8_one_device_steps_per_s", "flops_per_step", "analytic_matmul_flops_per_step",
           "matmul_flops_per_s", "model_sized_matmul_flops_per_s", "scan_fraction_of_matmul",
           "vmap8_fraction_of_matmul", "scan_fraction_of_model_sized_matmul", "scan_flops_per_s",
           "vmap8_flops_per_s", "scan_xla_default_dots_steps_per_s", "numpy_matmul_flops_per_s",
           "scan_fraction_of_numpy_matmul", "vmap8_fraction_of_numpy_matmul")
TIMINGS = ("warm_up_s", "median_call_s", "best_call_s")


def test_tiny_run_prints_one_json_object_with_every_figure():
    result = subprocess.run([sys.executable, str(SCRIPT), *TINY, "--no-torch"], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    printed = json.loads(result.stdout)  # the whole of stdout is one JSON object
    for key in FIGURES:
        assert isinstance(printed[key], float) and math.isfinite(printed[key]), key
        assert printed[key] > 0, key
    for key in TIMINGS:
        assert set(printed[key]) == {"scan", "per_step_loop", "vmap8", "vmap8_one_device",
                                    "scan_xla_default_dots"}, key
        assert all(isinstance(v, float) for v in printed[key].values()), key
    assert printed["torch"] == {"skipped": "--no-torch"} and printed["scan_over_torch"] is None
    assert all(isinstance(v, float) for v in printed["matmul_rates"].values())
    assert any("(16,16)x(16,16)" in name for name in printed["matmul_rates"])
    assert (printed["steps_per_call"], printed["per_step_calls"], printed["repeats"]) == (2, 2, 1)
    assert printed["quick"] is False
    assert isinstance(printed["devices"], int) and printed["devices"] == len(printed["device_list"])
    for key in ("device", "jax_version", "python", "matmul_flops_per_s_source",
                "flops_per_step_source"):
        assert isinstance(printed[key], str), key
    # The benchmark is defined on the default configuration.
    default = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(GANConfig()).items()}
    assert printed["config"] == default
    # XLA's count of one step is within a factor of 2 of the hand count of its matmul FLOPs
    # (the rest is elementwise and Adam work).
    ratio = printed["flops_per_step"] / printed["analytic_matmul_flops_per_step"]
    assert 0.5 < ratio < 2, ratio


def test_a_size_below_one_is_refused_by_name():
    result = subprocess.run([sys.executable, str(SCRIPT), "--steps", "0"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert "--steps" in result.stderr and "got 0" in result.stderr
