"""Pictures: the whole picture of a selection, and its PNG or SVG bytes."""

from __future__ import annotations

import io

import pandas as pd

from imu_geo.filters import FilterSpec
from imu_geo.layers import MapOptions
from imu_geo.render.basemap import Basemap
from imu_geo.render.events import (
    ALL_LAYERS,
    DENSITY_LIMIT,
    density_count,
    draw_events,
)
from imu_geo.render.figure import Scene, new_scene
from imu_geo.render.legend import draw_legend
from imu_geo.render.style import DPI, DRAWING_LOCK, PICTURE_SIZE, RC
from imu_geo.render.words import PictureText, layer_counts_of, title_lines

__all__ = [
    "FORMATS",
    "draw_picture",
    "picture_bytes",
    "save",
    "unplaced_note",
]

FORMATS = ("png", "svg")


def unplaced_note(total: int, located: int) -> list[str]:
    """The legend's note on events the map cannot draw (no place), if any."""
    missing = total - located
    if missing <= 0:
        return []
    return [
        f"{missing:,} of the {total:,} events have no place: they are counted in "
        "the title, not drawn."
    ]


def draw_picture(
    selected: pd.DataFrame,
    spec: FilterSpec,
    basemap: Basemap,
    text: PictureText,
    options: MapOptions = ALL_LAYERS,
    size: tuple[int, int] = PICTURE_SIZE,
) -> Scene:
    """The whole picture of ``selected`` (the events ``spec`` selects)."""
    title = title_lines(text.heading, spec, len(selected), layer_counts_of(selected))
    located = density_count(selected)
    notes = unplaced_note(len(selected), located)
    scene = new_scene(basemap, title, text, size)
    if located > DENSITY_LIMIT:
        (shading,) = draw_events(scene, selected, options, shade_up_to=0)
        draw_legend(scene, int(shading.norm.vmax), notes)
        return scene
    draw_events(scene, selected, options)
    draw_legend(scene, 0, notes)
    return scene


def save(scene: Scene, fmt: str) -> bytes:
    """The scene as PNG or SVG bytes, the same bytes for the same scene."""
    buffer = io.BytesIO()
    if fmt == "png":
        scene.figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    elif fmt == "svg":
        scene.figure.savefig(
            buffer,
            format="svg",
            dpi=DPI,
            metadata={"Date": None, "Creator": "imu-geo"},
        )
    else:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    return buffer.getvalue()


def picture_bytes(
    selected: pd.DataFrame,
    spec: FilterSpec,
    basemap: Basemap,
    text: PictureText,
    fmt: str = "png",
    options: MapOptions = ALL_LAYERS,
    size: tuple[int, int] = PICTURE_SIZE,
) -> bytes:
    """The picture of ``selected`` as PNG or SVG bytes: what *Download map* gives
    and ``imu-geo render`` writes for the same data and filters."""
    import matplotlib

    with DRAWING_LOCK, matplotlib.rc_context(RC):
        return save(draw_picture(selected, spec, basemap, text, options, size), fmt)
