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
