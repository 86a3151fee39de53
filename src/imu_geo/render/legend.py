"""The legend in the panel beside the map: what the page's legend says, or
the key of the density shading."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from imu_geo.layers import (
    ATTACK_COLOURS,
    BASE_COLOUR,
    CONTEXT_COLOUR,
    HALO_COLOUR,
    HOLLOW_ALPHA,
    SOLID_ALPHA,
    Colour,
    marker_radius,
)
from imu_geo.render.figure import Scene
from imu_geo.render.style import INK, MUTED, _marker_area, _pt, _rgba, _text

__all__ = [
    "DENSITY_CMAP",
    "LEGEND_FONT_PT",
    "NOTE_FONT_PT",
    "SIZE_EXAMPLES",
    "draw_legend",
]

DENSITY_CMAP = "magma_r"
LEGEND_FONT_PT = 8.5
NOTE_FONT_PT = 7.5
SIZE_EXAMPLES = (0, 10, 50)


def _wrap(text: str, width: int = 50) -> list[str]:
    return textwrap.wrap(text, width) or [""]


class _LegendPen:
    """Writes the legend top to bottom in pixels; markers are drawn together."""

    def __init__(self, axes):
        self.axes = axes
        self.y = 14.0
        self.markers: list[tuple] = []

    def heading(self, label: str) -> None:
        _text(
            self.axes,
            4,
            self.y,
            label,
            fontsize=9.5,
            fontweight="bold",
            color=INK,
            va="center",
        )
        self.y += 20

    def label(self, x: float, y: float, text: str, small: bool = False) -> None:
        _text(
            self.axes,
            x,
            y,
            text,
            fontsize=NOTE_FONT_PT if small else LEGEND_FONT_PT,
            color=MUTED if small else INK,
            va="center",
        )

    def row(self, text: str) -> None:
        self.label(30, self.y, text)
        self.y += 19

    def marker(self, x, y, radius, face, edge="none", width_px=0.0, shape="o"):
        self.markers.append((shape, x, y, _marker_area(radius), face, edge, width_px))

    def dot(self, colour: Colour, text: str, alpha: float, radius: float = 6) -> None:
        self.marker(14, self.y, radius, _rgba(colour, alpha), _rgba(colour), 2)
        self.row(text)

    def note(self, text: str) -> None:
        for line in _wrap(text):
            self.label(4, self.y, line, small=True)
            self.y += 13
        self.y += 4

    def finish(self) -> None:
        for shape in sorted({m[0] for m in self.markers}):
            chosen = [m for m in self.markers if m[0] == shape]
            self.axes.scatter(
                [m[1] for m in chosen],
                [m[2] for m in chosen],
                s=[m[3] for m in chosen],
                facecolors=[m[4] for m in chosen],
                edgecolors=[m[5] for m in chosen],
                linewidths=[_pt(m[6]) for m in chosen],
                marker=shape,
            )


def draw_legend(scene: Scene, density_max: int = 0, notes: Iterable[str] = ()) -> None:
    """The legend in the panel beside the map, in pixels from its top left:
    what :func:`imu_geo.layers.map_legend_svg` says beside the page's map, or the
    key of the density shading when ``density_max`` (its top) is given."""
    from matplotlib import colormaps
    from matplotlib.colors import LogNorm
    from matplotlib.patches import FancyArrowPatch, Rectangle

    axes = scene.legend_axes
    pen = _LegendPen(axes)
    if density_max:
        pen.heading("Events per hexagon")
        cmap = colormaps[DENSITY_CMAP]
        norm = LogNorm(1, max(density_max, 2))
        for value in sorted({1, *_round_steps(density_max)}):
            pen.marker(14, pen.y, 7, cmap(norm(value)), shape="h")
            pen.row(f"{value:,}")
        pen.y += 4
        pen.note(
            "Too many events to draw one by one: each hexagon is shaded by the "
            "number of events in it (log scale). Colours by type and the marks of "
            "uncertainty are drawn for smaller selections."
        )
    else:
        pen.heading("Attacks (colour: type)")
        for event_type, colour in ATTACK_COLOURS.items():
            pen.dot(colour, event_type.replace("_", " "), SOLID_ALPHA)
        pen.y += 2
        pen.heading("Size: people killed (best count)")
        grey = _rgba(CONTEXT_COLOUR, 60), _rgba(CONTEXT_COLOUR)
        for x, killed, text in (
            (14, 0, "none or unknown"),
            (150, 10, "10"),
            (210, 50, "50"),
        ):
            radius = marker_radius(killed)
            pen.marker(x + radius - 5, pen.y + 6, radius, *grey, 1.5)
            pen.label(x + 2 * radius + 1, pen.y + 6, text)
        pen.y += 38
        pen.heading("Bases and context")
        axes.add_patch(
            Rectangle(
                (7, pen.y - 6),
                14,
                12,
                facecolor=_rgba(BASE_COLOUR, 45),
                edgecolor=_rgba(BASE_COLOUR, 220),
                linewidth=_pt(2),
            )
        )
        pen.row("base (an area)")
        pen.marker(14, pen.y, 7, _rgba(BASE_COLOUR, SOLID_ALPHA), _rgba(BASE_COLOUR), 3)
        pen.row("base (a town)")
        axes.add_patch(
            FancyArrowPatch(
                (4, pen.y + 4),
                (24, pen.y + 4),
                connectionstyle="arc3,rad=0.5",
                arrowstyle="-|>,head_length=4,head_width=2.5",
                color=_rgba(BASE_COLOUR, 210),
                linewidth=_pt(2),
            )
        )
        pen.row("the base moved to the next")
        pen.dot(CONTEXT_COLOUR, "context event", SOLID_ALPHA, radius=5)
        pen.y += 2
        pen.heading("How sure")
        pen.dot(CONTEXT_COLOUR, "solid: date to the day or month", SOLID_ALPHA)
        pen.dot(CONTEXT_COLOUR, "hollow: season, year or range", HOLLOW_ALPHA)
        pen.marker(14, pen.y, 11, _rgba(HALO_COLOUR, 22), _rgba(HALO_COLOUR, 110), 1)
        pen.marker(14, pen.y, 3, _rgba(CONTEXT_COLOUR))
        pen.row("halo: place known only roughly")
        pen.label(30, pen.y - 6, "(25 km “near” to 400 km “country”)", small=True)
        pen.y += 14
    for note in notes:
        pen.note(note)
    pen.finish()


def _round_steps(maximum: int) -> list[int]:
    """A few round values from 1 up to ``maximum`` for the density key."""
    steps, value = [], 1
    while value * 10 <= maximum:
        value *= 10
        steps.append(value)
    steps.append(int(maximum))
    return steps
