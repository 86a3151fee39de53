"""The figure: the basemap's regions and labels, the title, the credits, and
an empty panel for the legend, laid out in pixels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from imu_geo.layers import LEVEL_STYLE
from imu_geo.render.basemap import Basemap
from imu_geo.render.style import (
    DPI,
    FONT,
    FRAME,
    INK,
    MUTED,
    PICTURE_SIZE,
    _pt,
    _rgba,
    _text,
)
from imu_geo.render.words import PictureText

__all__ = [
    "FOOTER_PX",
    "HEADER_PX",
    "LABEL_MAX_PX",
    "LABEL_MIN_PX",
    "LEGEND_PX",
    "MARGIN_PX",
    "Scene",
    "metres_per_pixel",
    "new_scene",
]

# Page layout in pixels.
HEADER_PX = 74
FOOTER_PX = 42
LEGEND_PX = 290
MARGIN_PX = 14
# The TextLayer's largest label on the map, in pixels; smaller ones stay small.
LABEL_MAX_PX = 16
LABEL_MIN_PX = 7


@dataclass
class Scene:
    """A figure with the basemap, title, legend and credits drawn, ready for events.

    ``map_axes`` holds the map in projected metres; the events drawn on it by
    :func:`draw_events` can be removed again, so an animation draws the rest once.
    """

    figure: Figure
    map_axes: object
    legend_axes: object
    basemap: Basemap
    size: tuple[int, int]


def _fitted_limits(
    extent: tuple[float, float, float, float], width_px: float, height_px: float
) -> tuple[float, float, float, float]:
    """The extent grown along one axis so that one metre is as wide as it is tall."""
    x0, x1, y0, y1 = extent
    scale = max((x1 - x0) / width_px, (y1 - y0) / height_px)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = scale * width_px / 2, scale * height_px / 2
    return cx - half_w, cx + half_w, cy - half_h, cy + half_h


def metres_per_pixel(scene: Scene) -> float:
    """The map's scale: how many metres one pixel of the picture spans."""
    x0, x1 = scene.map_axes.get_xlim()
    return (x1 - x0) / (scene.map_axes.get_position().width * scene.size[0])


def _draw_regions(axes, basemap: Basemap) -> None:
    from matplotlib.collections import PathCollection

    for level in ("country", "admin1", "valley"):
        paths = basemap.region_paths.get(level) or []
        if not paths:
            continue
        style = LEVEL_STYLE[level]
        axes.add_collection(
            PathCollection(
                paths,
                facecolors=[_rgba(style["fill"][:3], style["fill"][3])],
                edgecolors=[_rgba(style["line"][:3], style["line"][3])],
                linewidths=_pt(style["width"]),
                zorder=1,
            )
        )


def _draw_labels(axes, basemap: Basemap, metres_px: float) -> None:
    # Sizes in metres become pixels at the picture's scale, at most as large as
    # on the map; names that would be too small to read are left out.
    for x, y, name, size_m, colour in basemap.labels:
        size_px = min(size_m / metres_px, LABEL_MAX_PX)
        if size_px < LABEL_MIN_PX:
            continue
        _text(
            axes,
            x,
            y,
            name,
            fontsize=_pt(size_px),
            color=colour,
            ha="center",
            va="center",
            fontfamily=FONT,
            fontweight="bold" if size_px >= LABEL_MAX_PX else "normal",
            zorder=2,
            clip_on=True,
        )


def new_scene(
    basemap: Basemap,
    title: tuple[str, str],
    text: PictureText,
    size: tuple[int, int] = PICTURE_SIZE,
) -> Scene:
    """A figure with the basemap, labels, title and credits, and an empty panel
    for the legend (:func:`draw_legend`, once the events are known)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    width, height = size
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    map_w = width - LEGEND_PX - 2 * MARGIN_PX
    map_h = height - HEADER_PX - FOOTER_PX
    map_axes = figure.add_axes(
        (MARGIN_PX / width, FOOTER_PX / height, map_w / width, map_h / height)
    )
    map_axes.set_axis_off()
    x0, x1, y0, y1 = _fitted_limits(basemap.extent, map_w, map_h)
    map_axes.set_xlim(x0, x1)
    map_axes.set_ylim(y0, y1)
    map_axes.set_autoscale_on(False)
    figure.patches.append(
        Rectangle(
            (MARGIN_PX / width, FOOTER_PX / height),
            map_w / width,
            map_h / height,
            transform=figure.transFigure,
            fill=False,
            edgecolor=FRAME,
            linewidth=_pt(1),
            zorder=5,
        )
    )
    _draw_regions(map_axes, basemap)
    _draw_labels(map_axes, basemap, (x1 - x0) / map_w)

    first, second = title
    _text(
        figure,
        MARGIN_PX / width,
        1 - 14 / height,
        first,
        fontsize=15,
        fontweight="bold",
        color=INK,
        va="top",
        fontfamily=FONT,
    )
    _text(
        figure,
        MARGIN_PX / width,
        1 - 46 / height,
        second,
        fontsize=10.5,
        color=INK,
        va="top",
        fontfamily=FONT,
    )
    for line, offset in ((text.source, 25), (text.credits, 10)):
        _text(
            figure,
            MARGIN_PX / width,
            offset / height,
            line,
            fontsize=7.5,
            color=MUTED,
            va="baseline",
            fontfamily=FONT,
        )

    legend_axes = figure.add_axes(
        (
            (width - LEGEND_PX - MARGIN_PX / 2) / width,
            FOOTER_PX / height,
            (LEGEND_PX) / width,
            map_h / height,
        )
    )
    legend_axes.set_axis_off()
    legend_axes.set_xlim(0, LEGEND_PX)
    legend_axes.set_ylim(map_h, 0)
    return Scene(figure, map_axes, legend_axes, basemap, size)
