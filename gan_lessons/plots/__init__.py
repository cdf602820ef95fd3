"""Matplotlib figures used by the lessons and their explorer panels.

Every drawing function takes the axes to draw on, so a panel can keep one
figure and redraw it in place; ``new_figure`` makes a figure that is not
managed by pyplot (no stray windows, no memory growth in long sessions).
"""

from gan_lessons.plots.style import (
    PALETTE,
    figure_to_png,
    lecture_style,
    new_figure,
    use_course_style,
    use_lecture_style,
)
from gan_lessons.plots.diagrams import draw_gan_diagram
from gan_lessons.plots.games import (
    draw_exploitability,
    draw_payoff_lines,
    draw_running_mean,
    draw_strategy_path,
)
from gan_lessons.plots.gan2d import draw_gan_2d

__all__ = [
    "PALETTE",
    "draw_exploitability",
    "draw_gan_2d",
    "draw_gan_diagram",
    "draw_payoff_lines",
    "draw_running_mean",
    "draw_strategy_path",
    "figure_to_png",
    "lecture_style",
    "new_figure",
    "use_course_style",
    "use_lecture_style",
]
