"""Smoke test of benchmarks/cost_curves.py: a tiny sweep prints one JSON object of the promised
shape, its --plot mode draws a PNG from the saved object, and a bad option is refused by name.

Speed is measured, never asserted: no figure below is compared with a time.
"""

import json
import math
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "cost_curves.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
POINT_FIGURES = ("steps_per_s", "median_call_s", "compile_s", "flops_per_step",
                 "analytic_matmul_flops_per_step", "flops_per_s", "fraction_of_matmul")


def run_script(*args: str, timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=timeout)


def test_quick_sweep_prints_the_curves_and_plots_them(tmp_path):
    out = tmp_path / "curves.json"
    result = run_script("--quick", "--configs", "benchmark", "--axes", "batch,seeds",
                        "--out", str(out), timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    printed = json.loads(result.stdout)  # the whole of stdout is one JSON object
    assert json.loads(out.read_text()) == printed  # --out holds the same object

    for key in ("machine", "matmul", "settings", "configs", "skipped", "notes", "complete"):
        assert key in printed, key
    assert printed["machine"]["cpu_count"] >= 1 and printed["machine"]["devices"]
    assert isinstance(printed["machine"]["compiler_options"], dict)
    assert printed["matmul"]["flops_per_s"] > 0
    assert printed["complete"] is True and printed["skipped"] == []
    assert set(printed["configs"]) == {"benchmark"}

    axes = printed["configs"]["benchmark"]["axes"]
    assert set(axes) == {"batch", "seeds"}
    assert [p["value"] for p in axes["batch"]] == printed["settings"]["axis_values"]["batch"]
    assert [p["value"] for p in axes["seeds"]] == printed["settings"]["axis_values"]["seeds"]
    for axis, points in axes.items():
        for point in points:
            assert "error" not in point, point
            assert point["method"] == ("train_many" if axis == "seeds" else "train")
            assert isinstance(point["steps_per_call"], int) and point["steps_per_call"] >= 1
            assert len(point["call_s"]) == printed["settings"]["repeats"]
            for key in POINT_FIGURES:
                value = point[key]
                assert isinstance(value, float) and math.isfinite(value), (axis, key, value)
                assert value > 0 or (key == "compile_s" and value >= 0), (axis, key, value)
            if axis == "batch":
                assert point["batch_size"] == point["value"] and point["seeds"] == 1
            else:
                assert point["seeds"] == point["value"] and point["batch_size"] == 256
            # XLA's count is within a factor of 2 of the hand count of the matmul FLOPs.
            ratio = point["flops_per_step"] / point["analytic_matmul_flops_per_step"]
            assert 0.5 < ratio < 2, (axis, ratio)

    figure = tmp_path / "curves.png"
    drawn = run_script("--plot", str(out), "--figure", str(figure), timeout=120)
    assert drawn.returncode == 0, drawn.stderr[-3000:]
    assert figure.read_bytes()[:8] == PNG_SIGNATURE


def test_an_unknown_config_is_refused_by_name():
    result = run_script("--configs", "benchmark,no_such_config", timeout=120)
    assert result.returncode != 0
    assert "--configs" in result.stderr and "no_such_config" in result.stderr
