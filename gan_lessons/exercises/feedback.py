"""The result of checking an exercise answer, and helpers to read answers."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Feedback", "correct", "wrong", "unanswered", "is_unanswered", "read_number",
           "as_number", "as_numbers", "as_array"]


@dataclass(frozen=True)
class Feedback:
    """Whether an answer is right, and a message saying why (or what went wrong)."""

    passed: bool
    message: str
    answered: bool = True

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        mark = "Correct" if self.passed else ("Not answered yet" if not self.answered else "Not yet")
        return f"{mark}: {self.message}"

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else ("#6e6e6e" if not self.answered else "#b35900")
        icon = "&#10004;" if self.passed else ("&#9998;" if not self.answered else "&#10008;")
        mark = "Correct" if self.passed else ("Not answered yet" if not self.answered else "Not yet")
        return (f"<div style='border-left:4px solid {colour};padding:0.3em 0.8em;margin:0.3em 0'>"
                f"<b style='color:{colour}'>{icon} {mark}.</b> {html.escape(self.message)}</div>")


def correct(message: str) -> Feedback:
    return Feedback(True, message)


def wrong(message: str) -> Feedback:
    return Feedback(False, message)


def unanswered(what: str) -> Feedback:
    return Feedback(False, f"replace the placeholder with {what}, then run the cell again.", answered=False)


def is_unanswered(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


# Reading answers: each returns None for an answer that is not a number (or an array of
# numbers), so a check can reply with a helpful `wrong(...)` instead of raising.


def as_number(answer: Any) -> float | None:
    """The answer as a Python float, or None if ``float(answer)`` fails."""
    try:
        return float(answer)
    except (TypeError, ValueError):
        return None


def as_numbers(*answers: Any) -> tuple[float, ...] | None:
    """All the answers as Python floats, or None if any one is not a number."""
    numbers = tuple(as_number(answer) for answer in answers)
    return None if None in numbers else numbers


def as_array(answer: Any) -> np.ndarray | None:
    """The answer as a float64 NumPy array, or None if it is not an array of numbers."""
    try:
        return np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None


def read_number(answer: Any, what: str = "a number") -> float | Feedback:
    """The answer as a float, or the :class:`Feedback` to return for it.

    Replaces the usual preamble of a numeric check: an unanswered placeholder gives
    :func:`unanswered`, an answer that is not a number gives :func:`wrong`::

        value = read_number(answer)
        if isinstance(value, Feedback):
            return value
    """
    if is_unanswered(answer):
        return unanswered(what)
    value = as_number(answer)
    if value is None or not np.isfinite(value):
        return wrong(f"the answer is {what}; got {answer!r}.")
    return value
