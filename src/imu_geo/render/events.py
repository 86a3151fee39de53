"""The events on the map: the columns a picture reads, and their markers,
halos, bases and arcs, or the density shading of very many."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from imu_geo.engine.source import Selection

from imu_geo.layers import (
    ATTACK_COLOURS,
    BASE_COLOUR,
    CONTEXT_COLOUR,
    HALO_COLOUR,
    HALO_RADIUS_M,
    HOLLOW_ALPHA,
    MARK_COLUMNS,
    PRECISE_DATES,
    SOLID_ALPHA,
    MapOptions,
    marker_radius,
    relocation_pairs,
)
from imu_geo.render.basemap import Basemap
from imu_geo.render.figure import Scene
from imu_geo.render.legend import DENSITY_CMAP
from imu_geo.render.style import _marker_area, _pt, _rgba

__all__ = [
    "ALL_LAYERS",
    "DATE_ORDER",
    "DENSITY_COLUMNS",
    "DENSITY_HEXAGONS",
    "DENSITY_LIMIT",
    "RENDER_COLUMNS",
    "density_count",
    "density_max",
    "draw_events",
    "picture_columns",
    "selection_picture_events",
]

# The event columns a picture reads.
RENDER_COLUMNS: tuple[str, ...] = (
    *MARK_COLUMNS,
    "fatalities_best",
    "lat",
    "lon",
)
DATE_ORDER = ["date_start", "date_end", "event_id"]
# All a picture shaded by density reads: the layer (for the title) and the place.
DENSITY_COLUMNS: tuple[str, ...] = ("layer", "lat", "lon")

ALL_LAYERS = MapOptions()  # arcs and halos on, as the map opens
# Above this many events with a place, dots only cover each other: the picture
# shades the density of events instead (see the legend's note).
DENSITY_LIMIT = 20_000
DENSITY_HEXAGONS = 70


def picture_columns(located: int) -> tuple[str, ...]:
    """The columns a picture of events reads, ``located`` of which have a
    point. When so many have one that the picture will shade their density,
    only the layer and the point: at a million events, copying the text
    columns would cost more than the drawing."""
    return DENSITY_COLUMNS if located > DENSITY_LIMIT else RENDER_COLUMNS


def selection_picture_events(rows: Selection) -> pd.DataFrame:
    """The columns a picture reads, of the events an engine selected (the Map
    page's downloads and ``imu-geo render``), as :func:`picture_columns` says."""
    points = rows.frame(["lat", "lon"])
    located = int((points["lat"].notna() & points["lon"].notna()).sum())
    return rows.frame(picture_columns(located)).drop(columns="row_id")


def _located(selected: pd.DataFrame) -> pd.DataFrame:
    return selected[selected["lat"].notna() & selected["lon"].notna()]


def _alphas(precisions: pd.Series) -> np.ndarray:
    return np.where(precisions.isin(PRECISE_DATES), SOLID_ALPHA, HOLLOW_ALPHA) / 255


def _dots(
    axes,
    basemap: Basemap,
    events: pd.DataFrame,
    colours: np.ndarray,
    radii: np.ndarray,
    line_px: float,
    zorder: float,
):
    """Event dots, the largest drawn first so that small ones stay visible."""
    order = np.argsort(-radii, kind="stable")
    x, y = basemap.project(events["lon"].to_numpy(), events["lat"].to_numpy())
    fill = np.column_stack([colours, _alphas(events["date_precision"])])
    line = np.column_stack([colours, np.ones(len(events))])
    return axes.scatter(
        x[order],
        y[order],
        s=[_marker_area(r) for r in radii[order]],
        facecolors=fill[order],
        edgecolors=line[order],
        linewidths=_pt(line_px),
        zorder=zorder,
    )


def _halos(axes, basemap: Basemap, events: pd.DataFrame):
    """One faint disc per place and precision (as on the map), in metres."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Circle

    radius = events["geo_precision"].map(HALO_RADIUS_M).fillna(0)
    rough = events[radius > 0].assign(_r=radius[radius > 0])
    discs = rough.drop_duplicates(["lon", "lat", "_r"]).sort_values(
        ["lon", "lat", "_r"]
    )
    if discs.empty:
        return None
    x, y = basemap.project(discs["lon"].to_numpy(), discs["lat"].to_numpy())
    patches = [
        Circle((float(a), float(b)), float(r))
        for a, b, r in zip(x, y, discs["_r"], strict=True)
    ]
    return axes.add_collection(
        PatchCollection(
            patches,
            facecolors=[_rgba(HALO_COLOUR, 22)],
            edgecolors=[_rgba(HALO_COLOUR, 110)],
            linewidths=_pt(1),
            zorder=3,
        )
    )


def _bases(axes, basemap: Basemap, bases: pd.DataFrame, arcs: bool) -> list:
    from matplotlib.collections import PathCollection
    from matplotlib.patches import FancyArrowPatch

    artists = []
    in_area = bases["place_id"].isin(list(basemap.areas))
    areas = bases[in_area].drop_duplicates("place_id")
    if len(areas):
        artists.append(
            axes.add_collection(
                PathCollection(
                    [basemap.areas[p] for p in areas["place_id"]],
                    facecolors=[_rgba(BASE_COLOUR, 45)],
                    edgecolors=[_rgba(BASE_COLOUR, 220)],
                    linewidths=_pt(2),
                    zorder=4,
                )
            )
        )
    towns = _located(bases[~in_area])
    if len(towns):
        x, y = basemap.project(towns["lon"].to_numpy(), towns["lat"].to_numpy())
        fill = [_rgba(BASE_COLOUR, a * 255) for a in _alphas(towns["date_precision"])]
        artists.append(
            axes.scatter(
                x,
                y,
                s=_marker_area(11),
                facecolors=fill,
                edgecolors=[_rgba(BASE_COLOUR)],
                linewidths=_pt(3),
                zorder=5,
            )
        )
    if arcs and len(bases) > 1:
        where = bases.set_index("event_id")
        for source, target in relocation_pairs(bases):
            a, b = where.loc[source], where.loc[target]
            if pd.isna(a["lon"]) or pd.isna(b["lon"]):
                continue
            (ax_, bx_), (ay_, by_) = basemap.project(
                [a["lon"], b["lon"]], [a["lat"], b["lat"]]
            )
            artists.append(
                axes.add_patch(
                    FancyArrowPatch(
                        (float(ax_), float(ay_)),
                        (float(bx_), float(by_)),
                        connectionstyle="arc3,rad=-0.25",
                        arrowstyle="-|>,head_length=6,head_width=3.5",
                        color=_rgba(BASE_COLOUR, 210),
                        linewidth=_pt(2),
                        shrinkA=4,
                        shrinkB=6,
                        zorder=6,
                    )
                )
            )
    return artists


def density_count(selected: pd.DataFrame) -> int:
    """How many events of ``selected`` have a place (what the map would draw)."""
    return int((selected["lat"].notna() & selected["lon"].notna()).sum())


def _hexbin_grid(scene: Scene) -> tuple[int, int]:
    x0, x1 = scene.map_axes.get_xlim()
    y0, y1 = scene.map_axes.get_ylim()
    nx = DENSITY_HEXAGONS
    return nx, max(1, round(nx * (y1 - y0) / (x1 - x0) / math.sqrt(3)))


def _hexbin(scene: Scene, located: pd.DataFrame, top: int):
    from matplotlib.colors import LogNorm

    x, y = scene.basemap.project(located["lon"].to_numpy(), located["lat"].to_numpy())
    return scene.map_axes.hexbin(
        x,
        y,
        gridsize=_hexbin_grid(scene),
        extent=_limits(scene),
        mincnt=1,
        norm=LogNorm(1, max(top, 2)),
        cmap=DENSITY_CMAP,
        linewidths=0,
        zorder=3,
    )


def density_max(scene: Scene, selected: pd.DataFrame) -> int:
    """The most events in one hexagon of the density shading of ``selected``:
    the top of the colour scale that an animation keeps for all its frames."""
    located = _located(selected)
    if located.empty:
        return 1
    probe = _hexbin(scene, located, 2)
    counts = probe.get_array()
    probe.remove()
    return int(counts.max()) if counts.size else 1


def _limits(scene: Scene) -> tuple[float, float, float, float]:
    return (*scene.map_axes.get_xlim(), *scene.map_axes.get_ylim())


def draw_events(
    scene: Scene,
    selected: pd.DataFrame,
    options: MapOptions = ALL_LAYERS,
    shade_up_to: int | None = None,
) -> list:
    """Draw ``selected`` on the scene's map; return the artists (to remove later).

    With ``shade_up_to`` every event with a place becomes a count in a hexagon
    instead of a dot, shaded up to that many events (0: up to the fullest
    hexagon of this drawing).
    """
    from matplotlib.colors import LogNorm

    axes = scene.map_axes
    located = _located(selected)
    if shade_up_to is not None:
        if located.empty:
            return []
        shading = _hexbin(scene, located, shade_up_to)
        if not shade_up_to:
            counts = shading.get_array()
            shading.set_norm(LogNorm(1, max(int(counts.max()), 2)))
        return [shading]
    selected = selected.sort_values(DATE_ORDER, kind="stable")
    located = _located(selected)
    artists: list = []
    if options.halos:
        artists.append(_halos(axes, scene.basemap, located[located["layer"] != "base"]))
    artists.extend(
        _bases(
            axes,
            scene.basemap,
            selected[selected["layer"] == "base"],
            options.relocation,
        )
    )
    context = located[located["layer"] == "context"]
    if len(context):
        artists.append(
            _dots(
                axes,
                scene.basemap,
                context,
                np.tile(np.array(CONTEXT_COLOUR) / 255, (len(context), 1)),
                np.full(len(context), 5.0),
                1.5,
                7,
            )
        )
    attacks = located[located["layer"] == "attack"]
    if len(attacks):
        colours = (
            np.array(
                [ATTACK_COLOURS.get(t, CONTEXT_COLOUR) for t in attacks["event_type"]]
            )
            / 255
        )
        radii = np.array([marker_radius(v) for v in attacks["fatalities_best"]])
        artists.append(_dots(axes, scene.basemap, attacks, colours, radii, 2, 8))
    return [a for a in artists if a is not None]
