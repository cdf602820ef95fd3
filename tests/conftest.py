"""Shared pytest set-up."""

import os

import matplotlib

# Tests count compilations (the `compilations` fixture below) and must not depend on what an
# earlier run left in the persistent compilation cache: switch it off for the test session
# (and the notebook kernels it starts). tests/test_runtime.py checks the cache itself.
os.environ["GAN_LESSONS_COMPILATION_CACHE"] = "0"

# Figures are drawn off-screen in tests; the notebooks choose their own backend.
matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")


# --------------------------------------------------------------------------- compilation counter

import jax  # noqa: E402  (after the environment set-up above)
import pytest  # noqa: E402

BACKEND_COMPILE_EVENT = "/jax/core/compile/backend_compile_duration"

# gan_lessons.runtime.compiler_options() compiles one tiny function, once per process, the first
# time a trainer is built; do it now so that no test's compilation count includes it.
from gan_lessons.runtime import compiler_options  # noqa: E402

compiler_options()


class CompileCounter:
    """Records every XLA compilation, through the public ``jax.monitoring`` API.

    JAX reports the duration event ``/jax/core/compile/backend_compile_duration`` once
    for each executable it builds (a persistent-cache hit included), with the name of
    the compiled function as ``fun_name``; this listener keeps those names in order.
    Eager operations compile too (once per new shape), so "nothing compiled" is a
    stronger claim than "this jitted function's cache did not grow".

    Use :meth:`mark` before the calls and :meth:`since` after them::

        mark = compilations.mark()
        f(new_values)
        assert compilations.since(mark) == []
    """

    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, event: str, duration: float, **kwargs) -> None:
        if event == BACKEND_COMPILE_EVENT:
            self.names.append(str(kwargs.get("fun_name", "?")))

    @property
    def count(self) -> int:
        """How many compilations were recorded so far."""
        return len(self.names)

    def mark(self) -> int:
        """A position to pass to :meth:`since`."""
        return len(self.names)

    def since(self, mark: int) -> list[str]:
        """The names of the functions compiled after ``mark``."""
        return self.names[mark:]


@pytest.fixture
def compilations():
    """A :class:`CompileCounter` listening for the duration of one test."""
    counter = CompileCounter()
    jax.monitoring.register_event_duration_secs_listener(counter)
    try:
        yield counter
    finally:
        jax.monitoring.unregister_event_duration_listener(counter)
