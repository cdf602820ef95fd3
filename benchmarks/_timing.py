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
