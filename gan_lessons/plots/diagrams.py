"""Schematic pictures: the GAN as two players."""

from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from gan_lessons.plots.style import FAKE, PALETTE, REAL

__all__ = ["draw_gan_diagram"]


def _box(ax, x, y, text, colour, width=0.19, height=0.2):
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02", fc=colour, ec=PALETTE["black"],
                                alpha=0.9, lw=1.5))
    ax.text(x, y, text, ha="center", va="center", fontsize="large", color="white", weight="bold")


def _arrow(ax, start, end, label="", offset=(0.0, 0.05)):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=18, lw=1.8,
                                 color=PALETTE["black"]))
    if label:
        ax.text((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1], label,
                ha="center", va="bottom", fontsize="medium")


def draw_gan_diagram(ax) -> None:
    """Draw noise -> generator -> fake sample, real sample, both -> discriminator -> P(real)."""
    ax.clear()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.text(0.06, 0.25, "noise\nz ~ p(z)", ha="center", va="center", fontsize="large")
    _box(ax, 0.3, 0.25, "generator\nG", FAKE)
    ax.text(0.52, 0.25, "fake x = G(z)", ha="center", va="center", fontsize="large", color=FAKE)
    ax.text(0.52, 0.78, "real x ~ p_data", ha="center", va="center", fontsize="large", color=REAL)
    _box(ax, 0.78, 0.5, "discriminator\nD", PALETTE["green"], width=0.22)
    ax.text(0.95, 0.5, "D(x) =\nP(real)", ha="center", va="center", fontsize="large")
    _arrow(ax, (0.12, 0.25), (0.2, 0.25))
    _arrow(ax, (0.4, 0.25), (0.44, 0.25))
    _arrow(ax, (0.61, 0.28), (0.68, 0.43))
    _arrow(ax, (0.61, 0.75), (0.68, 0.57))
    _arrow(ax, (0.89, 0.5), (0.9, 0.5))
    ax.text(0.5, 0.02, "D wants D(real) -> 1 and D(fake) -> 0;  G wants D(fake) -> 1",
            ha="center", va="bottom", fontsize="medium", style="italic")
