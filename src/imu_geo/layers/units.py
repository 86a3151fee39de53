"""Clickable units: the countries and admin-1 units a click on the map chooses."""

from __future__ import annotations

import json

import geopandas as gpd
import pydeck as pdk
import shapely

from imu_geo.layers.common import (
    DISPLAY_TOLERANCE_DEG,
    polygon_rings,
)
from imu_geo.text import plain

__all__ = [
    "PICK_HINT",
    "PICK_ORDER",
    "region_pick_layer",
    "units_geojson",
    "units_geojson_bytes",
]

# Coarse to fine: deck.gl picks the object drawn last, so a click on the map
# finds the admin-1 unit under it, and the country only where no admin-1 unit
# is drawn. The valley lies under its provinces (choose it on the Regions page).
PICK_ORDER = {"country": 0, "valley": 1, "admin1": 2}
PICK_HINT = "Click to show only its events; click again to show all."


def units_geojson(
    regions: gpd.GeoDataFrame, tolerance: float = DISPLAY_TOLERANCE_DEG
) -> dict:
    """A dataset's units as GeoJSON to click on: simplified for display, coarse
    to fine (:data:`PICK_ORDER`), each with its ``id`` and a plain-text tooltip
    under every name the maps' tooltips read (``tooltip``, ``n``, ``t``)."""
    wanted = regions[regions["level"].isin(list(PICK_ORDER))]
    ordered = wanted.assign(_order=wanted["level"].map(PICK_ORDER)).sort_values(
        ["_order", "region_id"]
    )
    geometries = ordered.geometry.values
    # Equivalent if ``preserve_topology`` is dropped: shapely's default is True.
    simplified = shapely.simplify(
        geometries,
        tolerance,
        preserve_topology=True,  # pragma: no mutate
    )
    features = []
    # Equivalent if ``index`` is mutated: the fields are read by name, and the
    # index, when there, is one more field before them (None reads as False).
    rows = ordered.itertuples(index=False)  # pragma: no mutate
    # Equivalent if ``strict`` is mutated: ``simplified`` is made from ``ordered``.
    for row, geometry in zip(rows, simplified, strict=True):  # pragma: no mutate
        text = f"{plain(row.name)}\n{PICK_HINT}"
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": str(row.region_id),
                    "tooltip": text,
                    "n": text,
                    "t": text,
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": polygon_rings(geometry),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def units_geojson_bytes(regions: gpd.GeoDataFrame) -> bytes:
    """:func:`units_geojson` as compact UTF-8 JSON, for a static file."""
    document = units_geojson(regions)
    text = json.dumps(document, separators=(",", ":"))
    # Equivalent if the codec's name is mutated: Python reads "UTF-8" as "utf-8".
    return text.encode("utf-8")  # pragma: no mutate


def region_pick_layer(url: str, layer_id: str) -> pdk.Layer:
    """The units file at ``url`` as an invisible layer that can be clicked
    (and highlights the unit under the pointer)."""
    return pdk.Layer(
        "GeoJsonLayer",
        data=url,
        id=layer_id,
        stroked=False,
        filled=True,
        get_fill_color=[0, 0, 0, 0],
        pickable=True,
        auto_highlight=True,
        highlight_color=[0, 114, 178, 40],
    )
