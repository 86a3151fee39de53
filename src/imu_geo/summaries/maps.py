"""The choropleth: the units of a level coloured by one measure, as a pydeck map."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from imu_geo.layers import (
    ATLAS_BASEMAP,
    DEFAULT_VIEW,
    DISPLAY_TOLERANCE_DEG,
    LAYER_IDS,
    TOOLTIP_PLACE_CHARS,
    CompactDeck,
    Coordinates,
    basemap_deck,
    basemap_layers,
    polygon_layer,
    polygon_rings,
)
from imu_geo.summaries.table import (
    COUNT_COLUMNS,
    _format_value,
)
from imu_geo.summaries.units import (
    _units,
)
from imu_geo.text import counted, plain

__all__ = [
    "CHOROPLETH_ALPHA",
    "CHOROPLETH_LAYER_ID",
    "DISPLAY_TOLERANCE_DEG",
    "MEASURES",
    "SEQUENTIAL_STOPS",
    "choropleth_deck",
    "choropleth_frame",
    "sequential_colour",
]

# The measures a choropleth can show, with the words for them.
MEASURES: dict[str, str] = {
    "events": "Events",
    "attacks": "Attacks",
    "killed": "Killed (best estimate, else low figure)",
    "bases": "Bases active",
    "context": "Context events",
}

CHOROPLETH_LAYER_ID = "region-choropleth"
# ColorBrewer YlOrRd (Brewer & Harrower), five classes: light yellow for few, dark
# red for many. ColorBrewer rates it colour-blind safe; its lightness falls
# steadily, so it also reads in greyscale, and it stays clear of the basemap's
# grey land and green valley.
SEQUENTIAL_STOPS: tuple[tuple[int, int, int], ...] = (
    (255, 255, 178),
    (254, 204, 92),
    (253, 141, 60),
    (240, 59, 32),
    (189, 0, 38),
)
CHOROPLETH_ALPHA = 190


def sequential_colour(value: float, maximum: float) -> list[int]:
    """The fill for ``value`` on a 0..``maximum`` scale (YlOrRd, RGBA)."""
    t = 0.0 if maximum <= 0 else min(max(value / maximum, 0.0), 1.0)
    position = t * (len(SEQUENTIAL_STOPS) - 1)
    i = min(int(position), len(SEQUENTIAL_STOPS) - 2)
    f = position - i
    low, high = SEQUENTIAL_STOPS[i], SEQUENTIAL_STOPS[i + 1]
    # Equivalent if strict is mutated: every stop has three channels.
    pairs = zip(low, high, strict=True)  # pragma: no mutate
    return [round(a + (b - a) * f) for a, b in pairs] + [CHOROPLETH_ALPHA]


def _tooltip(unit: Mapping[str, object], measure: str) -> str:
    """Plain text for hovering a unit: its name, the measure, the counts."""
    counts = (
        f"{counted(int(unit['events']), 'event')} — "
        f"{counted(int(unit['attacks']), 'attack')}, "
        f"{counted(int(unit['bases']), 'base')}, "
        f"{int(unit['context'])} context"
    )
    lines = [plain(unit["name"], TOOLTIP_PLACE_CHARS)]
    if measure != "events":
        lines.append(f"{MEASURES[measure]}: {_format_value(unit['value'])}")
    lines.append(counts)
    return "\n".join(lines)


# The same units are drawn at every step: their simplified outlines and the
# rings a deck holds are made once per geometry and kept (a few MB at most).
_DISPLAY_CACHE_UNITS = 4096


@lru_cache(maxsize=_DISPLAY_CACHE_UNITS)
def _display_geometry(wkb: bytes, tolerance: float):
    return shapely.from_wkb(wkb).simplify(tolerance, preserve_topology=True)


def _display_geometries(geometries: np.ndarray, tolerance: float) -> np.ndarray:
    """Each geometry simplified for display (``preserve_topology``), as
    ``GeoSeries.simplify`` gives it; a geometry seen before is not simplified
    again."""
    found = [_display_geometry(wkb, tolerance) for wkb in shapely.to_wkb(geometries)]
    # Equivalent if the dtype is mutated: numpy holds geometries as objects,
    # and geopandas makes even an empty array a geometry column.
    return np.array(found, dtype=object)  # pragma: no mutate


@lru_cache(maxsize=_DISPLAY_CACHE_UNITS)
def _display_rings(wkb: bytes) -> tuple[Coordinates, ...]:
    """:func:`imu_geo.layers.polygon_rings` of a geometry, per polygon, kept
    per geometry; the caller must not change the lists."""
    return tuple(Coordinates(rings) for rings in polygon_rings(shapely.from_wkb(wkb)))


def choropleth_frame(
    summary: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    level: str,
    measure: str,
    tolerance: float = DISPLAY_TOLERANCE_DEG,
) -> gpd.GeoDataFrame:
    """The units to colour: geometry (simplified for display) and value.

    Only units with a known, non-zero value are returned; the basemap shows the
    others. Marked rows (coarser, outside, no place) have no unit to colour.

    Returns
    -------
    geopandas.GeoDataFrame
        ``region_id``, ``name``, ``value``, ``fill`` (RGBA), ``tooltip`` (plain
        text) and ``geometry``, sorted by ``region_id``.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}")
    units = _units(regions, level)
    # Equivalent if this line is mutated: the inner join below drops a row with
    # no region_id too, and "> 0" an unknown value.
    known = (summary["region_id"] != "") & summary[measure].notna()  # pragma: no mutate
    rows = summary[known]
    rows = rows[rows[measure] > 0]
    wanted = ["region_id", *dict.fromkeys([*COUNT_COLUMNS, measure])]
    frame = units.merge(
        rows[wanted],
        # Equivalent if dropped or None: region_id is the one column the two
        # have in common, and an inner join is the default.
        on="region_id",  # pragma: no mutate
        how="inner",  # pragma: no mutate
    )
    frame["value"] = frame[measure]
    maximum = (
        float(frame["value"].max())
        if len(frame)
        # Equivalent if mutated: with no unit, no colour is made.
        else 0.0  # pragma: no mutate
    )
    frame["fill"] = [sequential_colour(float(v), maximum) for v in frame["value"]]
    frame["tooltip"] = [
        _tooltip(r._asdict(), measure)
        # Equivalent if the index is mutated: the fields are read by name.
        for r in frame.itertuples(index=False)  # pragma: no mutate
    ]
    frame["geometry"] = _display_geometries(frame.geometry.to_numpy(), tolerance)
    columns = ["region_id", "name", "value", "fill", "tooltip", "geometry"]
    return gpd.GeoDataFrame(
        frame[columns].sort_values("region_id").reset_index(drop=True),
        # Equivalent if dropped or None: the frame is the units' already, with
        # their geometry column and CRS.
        geometry="geometry",  # pragma: no mutate
        crs=regions.crs,  # pragma: no mutate
    )


def choropleth_deck(
    frame: gpd.GeoDataFrame,
    view: Mapping[str, float] = DEFAULT_VIEW,
    basemap: str = ATLAS_BASEMAP,
    layer_id: str = CHOROPLETH_LAYER_ID,
) -> pdk.Deck:
    """A map of :func:`choropleth_frame` over the offline basemap.

    The units are drawn between the basemap and its labels, so names stay
    readable; the tooltip is plain text. ``view`` and ``basemap`` as for
    :func:`imu_geo.layers.build_deck`; ``layer_id`` names the units' layer (a
    page that handles clicks changes it once a click is handled).
    """
    records = [
        {
            "region_id": r.region_id,
            "polygon": rings,
            "fill": r.fill,
            "tooltip": r.tooltip,
        }
        # Equivalent if the index is mutated: the fields are read by name.
        for r in frame.itertuples(index=False)  # pragma: no mutate
        for rings in _display_rings(shapely.to_wkb(r.geometry))
    ]
    choropleth = polygon_layer(records, layer_id, [60, 60, 60, 200], 1)
    drawn = basemap_layers(basemap)
    labels = [layer for layer in drawn if layer.id == LAYER_IDS["labels"]]
    below = [layer for layer in drawn if layer.id != LAYER_IDS["labels"]]
    return CompactDeck(
        layers=[*below, choropleth, *labels],
        initial_view_state=pdk.ViewState(**view),
        tooltip={"text": "{tooltip}"},
        **basemap_deck(basemap),
    )
