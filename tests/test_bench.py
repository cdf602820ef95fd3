"""The training benchmark runs in quick mode and prints one well-formed JSON object.

Speed is measured, never asserted: only the shape and sanity of the figures are checked.
"""

import json
import math

from gan_lessons import bench
from gan_lessons.training.gan import GANConfig

REQUIRED = ("scan_steps_per_s", "per_step_jit_steps_per_s", "vmap8_steps_per_s",
            "flops_per_step", "matmul_flops_per_s", "scan_fraction_of_matmul",
            "vmap8_fraction_of_matmul")


def test_bench_config_is_the_default_config():
    assert bench.bench_config() == GANConfig()


def test_quick_bench_prints_one_json_object_with_sane_figures(capsys):
    returned = bench.main(["--quick"])
    printed = json.loads(capsys.readouterr().out)  # exactly one JSON object on stdout
    assert printed == json.loads(json.dumps(returned))
    for key in REQUIRED:
        value = printed[key]
        assert isinstance(value, (int, float)) and math.isfinite(value) and value > 0, key
    for key in ("scan_fraction_of_matmul", "vmap8_fraction_of_matmul"):
        assert 0 < printed[key] < 2, key
    # XLA's count for one step is within a factor of 2 of the hand count of the matmul FLOPs.
    ratio = printed["flops_per_step"] / printed["analytic_matmul_flops_per_step"]
    assert 0.5 < ratio < 2, ratio
