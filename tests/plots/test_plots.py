"""The figures draw what they claim: lines, envelopes and markers at the right places."""

import numpy as np
import pytest

from gan_lessons import plots
from gan_lessons.plots import style


def test_payoff_lines_for_the_donut_game():
    # Donut game from S's side: a=2, b=-2, c=-1, d=2 -> p = 3/7, q = 4/7, v = 2/7 (closed form).
    payoff = np.array([[2.0, -2.0], [-1.0, 2.0]])
    figure, axes = plots.new_figure(10, 4, ncols=2)
    plots.draw_payoff_lines(axes[0], axes[1], payoff, value=2 / 7, row_strategy=[3 / 7, 4 / 7],
                            col_strategy=[4 / 7, 3 / 7])
    lines = [line for line in axes[0].get_lines() if len(line.get_xdata()) > 2]
    # the line against column 0 runs from c = -1 at p = 0 to a = 2 at p = 1
    np.testing.assert_allclose([lines[0].get_ydata()[0], lines[0].get_ydata()[-1]], [-1.0, 2.0])
    star = [line for line in axes[0].get_lines() if line.get_marker() == "*"][0]
    np.testing.assert_allclose([star.get_xdata()[0], star.get_ydata()[0]], [3 / 7, 2 / 7])
    # the star sits on the crossing of the two lines: both equal the value there
    assert abs((3 / 7) * 2 + (4 / 7) * -1 - 2 / 7) < 1e-12 and abs((3 / 7) * -2 + (4 / 7) * 2 - 2 / 7) < 1e-12
    png = figure._repr_png_()
    assert png.startswith(b"\x89PNG")


def test_strategy_path_and_running_mean():
    figure, axes = plots.new_figure(10, 4, ncols=3)
    path = np.stack([np.linspace(0.8, 0.5, 11), 1 - np.linspace(0.8, 0.5, 11)], axis=1)
    plots.draw_strategy_path(axes[0], path, path, row_strategy=[0.5, 0.5], col_strategy=[0.5, 0.5],
                             label="test")
    np.testing.assert_allclose(axes[0].get_lines()[0].get_xdata(), path[:, 0])
    plots.draw_running_mean(axes[1], np.full(100, 0.3), value=0.3, std=1.0)
    plots.draw_exploitability(axes[2], {"a": np.geomspace(1, 1e-3, 50)})
    plots.draw_gan_diagram(axes[2])
    assert plots.figure_to_png(figure).startswith(b"\x89PNG")


def test_gan_2d_draws_points_and_heat_map():
    figure, ax = plots.new_figure(5, 5)
    real, fake = np.random.default_rng(0).normal(size=(2, 50, 2))
    plots.draw_gan_2d(ax, real, fake, heat=np.full((8, 8), 0.5), extent=(-2, 2, -2, 2), title="t")
    offsets = [c.get_offsets() for c in ax.collections]
    np.testing.assert_allclose(offsets[0], real)
    np.testing.assert_allclose(offsets[1], fake)
    assert len(ax.images) == 1


def test_lecture_style_is_larger():
    assert style.LECTURE_RC["font.size"] >= 1.5 * style.COURSE_RC["font.size"]
    assert style.LECTURE_RC["lines.linewidth"] > style.COURSE_RC["lines.linewidth"]
    import matplotlib as mpl
    with style.lecture_style():
        assert mpl.rcParams["font.size"] == style.LECTURE_RC["font.size"]


def test_trajectory_animation_needs_no_network():
    """matplotlib's player links Font Awesome from a CDN; ours draws its buttons with characters."""
    import re

    from gan_lessons.plots.dynamics import offline_jshtml, trajectory_animation

    t = np.linspace(0, 6, 40)
    html = trajectory_animation(np.stack([np.cos(t), np.sin(t)], axis=1), limit=1.5, frames=5).data
    assert not re.search(r"https?://", html), "the animation still loads something from the web"
    assert "fa fa-" not in html
    assert html.count("<button") == 9 and html.count("\u25b6\ufe0e") == 2  # play, last frame
    with pytest.raises(ValueError, match="fa-rocket"):
        offline_jshtml('<button><i class="fa fa-rocket"></i></button>')
    with pytest.raises(TypeError, match="html"):
        offline_jshtml(None)
