"""The result of checking an exercise answer."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

__all__ = ["Feedback", "correct", "wrong", "unanswered", "is_unanswered"]


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
