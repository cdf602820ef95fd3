"""Figures of game dynamics (lesson 06): vector fields, trajectories, radii, animations."""

from __future__ import annotations

import re

import numpy as np

from gan_lessons.plots.style import PALETTE

__all__ = ["draw_field_and_path", "draw_radius", "phase_axes", "trajectory_animation", "offline_jshtml"]


def phase_axes(ax, *, limit: float, labels, title: str) -> None:
    """Square view [-limit, limit]^2 with the equilibrium (0, 0) marked by a star."""
    ax.plot([0], [0], marker="*", ms=16, color=PALETTE["yellow"], mec=PALETTE["black"], ls="none",
            label="equilibrium")
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(title)


def draw_field_and_path(ax, grid, field, path, *, limit: float, labels=("a", "b"), title: str = "",
                        diverged_at: int = -1) -> None:
    """A quiver plot of a 2-D vector field with a trajectory on top.

    Args:
      ax: the axes.
      grid: (X, Y) meshgrid arrays where the field is evaluated.
      field: (U, V) arrays of the field's components on the grid.
      path: (T, 2) iterates.
      limit: the view is [-limit, limit]^2.
      labels: the names of the two coordinates.
      title: the axes title.
      diverged_at: the first diverged step, or -1.
    """
    path = np.asarray(path)
    ax.clear()
    u, v = (np.asarray(c) for c in field)
    norm = np.hypot(u, v)
    scale = np.where(norm > 0, 1.0 / np.maximum(norm, 1e-12), 0.0)
    ax.quiver(grid[0], grid[1], u * scale, v * scale, color=PALETTE["grey"], alpha=0.8, pivot="mid",
              scale=28, width=0.004)
    ax.plot(path[:, 0], path[:, 1], color=PALETTE["blue"], lw=1.4)
    ax.plot(path[:1, 0], path[:1, 1], "o", color=PALETTE["green"], ms=8, label="start")
    end_label = "diverged" if diverged_at >= 0 else f"after {len(path) - 1} steps"
    ax.plot(path[-1:, 0], path[-1:, 1], "s", color=PALETTE["vermillion"], ms=8, label=end_label)
    phase_axes(ax, limit=limit, labels=labels, title=title)
    ax.legend(loc="upper right", fontsize="small", framealpha=0.85)


def draw_radius(ax, paths: dict, *, factors: dict | None = None) -> None:
    """Distance from the equilibrium against the step (log scale), one curve per name.

    ``factors`` optionally maps a name to a constant per-step factor rho, drawn as the dashed
    line r_0 * rho^t for comparison.
    """
    ax.clear()
    colours = [PALETTE[k] for k in ("blue", "vermillion", "green", "orange", "purple")]
    for index, (name, path) in enumerate(paths.items()):
        radius = np.hypot(*np.asarray(path).T)
        colour = colours[index % len(colours)]
        ax.plot(np.maximum(radius, 1e-12), color=colour, label=name)
        if factors and name in factors:
            t = np.arange(len(radius))
            ax.plot(radius[0] * factors[name] ** t, color=colour, ls="--", lw=1,
                    label=f"{name}: factor {factors[name]:.4f} per step")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("distance from equilibrium")
    ax.set_title("Radius against step")
    ax.legend(fontsize="small")


def trajectory_animation(path, *, limit: float, frames: int = 60, labels=("a", "b"),
                         title: str = "", interval_ms: int = 80):
    """An HTML/JavaScript animation of a trajectory (plays in any notebook viewer, no kernel).

    Returns an ``IPython.display.HTML`` object.
    """
    from IPython.display import HTML
    from matplotlib.animation import FuncAnimation

    from gan_lessons.plots.style import new_figure

    path = np.asarray(path)
    figure, ax = new_figure(4.6, 4.6)
    phase_axes(ax, limit=limit, labels=labels, title=title)
    line, = ax.plot([], [], color=PALETTE["blue"], lw=1.4)
    point, = ax.plot([], [], "o", color=PALETTE["vermillion"], ms=9)
    ends = np.linspace(1, len(path), frames).astype(int)

    def frame(index):
        end = ends[index]
        line.set_data(path[:end, 0], path[:end, 1])
        point.set_data(path[end - 1:end, 0], path[end - 1:end, 1])
        return line, point

    animation = FuncAnimation(figure, frame, frames=frames, interval=interval_ms, blit=True)
    return HTML(offline_jshtml(animation.to_jshtml(default_mode="once")))


# matplotlib's player draws its buttons with Font Awesome 4 icons fetched from a CDN; these
# characters (geometric shapes that common fonts have; U+FE0E asks for text, not emoji) need no
# network.
_BUTTON_TEXT = {"fa-minus": "\u2212", "fa-fast-backward": "|\u25c0\ufe0e", "fa-step-backward": "\u25c2",
                "fa-play fa-flip-horizontal": "\u25c0\ufe0e", "fa-pause": "<b>||</b>",
                "fa-play": "\u25b6\ufe0e", "fa-step-forward": "\u25b8", "fa-fast-forward": "\u25b6\ufe0e|",
                "fa-plus": "+"}


def offline_jshtml(html: str) -> str:
    """matplotlib's ``to_jshtml`` output without its stylesheet link to a CDN.

    The player's icons become plain characters, so the animation looks the same
    offline, in a static HTML page and in a browser test that refuses requests
    leaving the machine.
    """
    if not isinstance(html, str):
        raise TypeError(f"html must be a str, got {type(html).__name__}")
    html = re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">', "", html)

    def button(match: re.Match) -> str:
        name = match.group(1)
        if name not in _BUTTON_TEXT:
            raise ValueError(f"unknown player icon {name!r} in matplotlib's animation HTML")
        return f'<span style="font-size:1.1em">{_BUTTON_TEXT[name]}</span>'

    return re.sub(r'<i class="fa ((?:fa-[a-z-]+ ?)+?)"></i>', button, html)
