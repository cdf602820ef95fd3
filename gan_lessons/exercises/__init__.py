"""Check functions for the lessons' exercises.

Each check takes the student's answer and returns a :class:`Feedback`, shown
in green when right and in orange with a specific hint when wrong: the hint
names the likely mistake (a transposed matrix, a sign, a swapped player), not
just "incorrect". An unanswered exercise (``None`` or ``...``) is reported as
such, so a notebook still runs top to bottom.
"""

from gan_lessons.exercises.feedback import Feedback

__all__ = ["Feedback"]
