"""Run-time settings read from the environment.

``GAN_LESSONS_QUICK=1`` switches the course to *quick mode*: every notebook
cuts its training lengths and sample counts so the whole course executes in a
few minutes (the test suite runs every notebook this way). Lessons never read
the variable themselves; they ask :func:`quick_mode` or :func:`by_mode`.
"""

from __future__ import annotations

import os
from typing import TypeVar

__all__ = ["QUICK_ENV", "quick_mode", "by_mode"]

QUICK_ENV = "GAN_LESSONS_QUICK"
_TRUE = {"1", "true", "yes", "on"}

T = TypeVar("T")


def quick_mode() -> bool:
    """True when the environment variable ``GAN_LESSONS_QUICK`` is set to 1/true/yes/on."""
    return os.environ.get(QUICK_ENV, "").strip().lower() in _TRUE


def by_mode(full: T, quick: T) -> T:
    """Return ``quick`` in quick mode and ``full`` otherwise.

    Example: ``steps = by_mode(full=5_000, quick=200)``.
    """
    return quick if quick_mode() else full
