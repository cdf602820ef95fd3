"""Small timing helpers shared by the panel benchmarks (run as scripts from this folder)."""

from __future__ import annotations

import statistics
import time


def summary(seconds: list[float], scale: float = 1.0, digits: int = 3) -> dict:
    """Median, maximum and count of ``seconds`` (times ``scale``), rounded."""
    values = sorted(scale * s for s in seconds)
    return {"median": round(statistics.median(values), digits), "max": round(values[-1], digits),
            "n": len(values)}


def timed(action) -> float:
    """Seconds taken by ``action()``."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


class CompileCounter:
    """Counts XLA compilations while it is entered, through the public ``jax.monitoring`` API.

    JAX reports ``/jax/core/compile/backend_compile_duration`` once for every executable it
    builds or takes from the persistent cache; ``names`` keeps the compiled functions' names::

        with CompileCounter() as compiled:
            move_the_slider()
        recompiled = bool(compiled.names)
    """

    EVENT = "/jax/core/compile/backend_compile_duration"

    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, event: str, duration: float, **kwargs) -> None:
        if event == self.EVENT:
            self.names.append(str(kwargs.get("fun_name", "?")))

    def __enter__(self) -> "CompileCounter":
        import jax

        jax.monitoring.register_event_duration_secs_listener(self)
        return self

    def __exit__(self, *exc) -> None:
        import jax

        jax.monitoring.unregister_event_duration_listener(self)


_NUMPY_MATMUL = """
import json, statistics, sys, time
import numpy as np
size, repeats = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(0)
a = rng.standard_normal((size, size), dtype=np.float32)
b = rng.standard_normal((size, size), dtype=np.float32)
a @ b
times = []
for _ in range(repeats):
    start = time.perf_counter()
    a @ b
    times.append(time.perf_counter() - start)
try:
    from threadpoolctl import threadpool_info
    pools = [{k: p.get(k) for k in ("internal_api", "architecture", "num_threads", "version")}
             for p in threadpool_info() if p.get("user_api") == "blas"]
except ImportError:
    pools = None
print(json.dumps({"flops_per_s": 2.0 * size ** 3 / statistics.median(times), "blas": pools}))
"""


def numpy_matmul_rate(size: int = 1024, repeats: int = 7) -> dict:
    """The machine's float32 matmul rate as NumPy measures it: ``2 n^3 / median time`` of one
    ``size`` x ``size`` product, the reference the speed targets are stated against.

    It runs in a fresh Python with ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` removed from
    the environment for that process alone: some machines set them so that old OpenBLAS builds
    run safely, and they slow a current NumPy. Returns ``flops_per_s``, the BLAS library and the
    kernel it ran (``blas``, from threadpoolctl when installed), and the variables removed.
    """
    import json
    import os
    import subprocess
    import sys

    removed = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
               if k in os.environ}
    env = {k: v for k, v in os.environ.items() if k not in removed}
    result = subprocess.run([sys.executable, "-c", _NUMPY_MATMUL, str(size), str(repeats)],
                            env=env, capture_output=True, text=True, timeout=300, check=True)
    out = json.loads(result.stdout.strip().splitlines()[-1])
    out.update(size=size, repeats=repeats, unset_for_this_measurement=removed)
    return out
