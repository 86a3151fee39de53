"""What every map shares: the colours, the layer ids, the map's options and
the way a layer's data travels inside the deck.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pydeck as pdk
import shapely

from imu_geo.schema import GEO_PRECISION_KM
from imu_geo.text import deck_text

__all__ = [
    "ATTACK_COLOURS",
    "BASE_COLOUR",
    "CONTEXT_COLOUR",
    "DISPLAY_TOLERANCE_DEG",
    "EVENT_LAYER_IDS",
    "HALO_RADIUS_M",
    "HOLLOW_ALPHA",
    "LAYER_IDS",
    "MARK_COLUMNS",
    "PRECISE_DATES",
    "SOLID_ALPHA",
    "Colour",
    "Coordinates",
    "PICKABLE_SHAPES",
    "PIXEL_DOTS",
    "MapOptions",
    "deck_data",
    "gpu_date_filter",
    "inline_layer",
    "polygon_layer",
    "polygon_rings",
]

Colour = tuple[int, int, int]

# Okabe & Ito (2008), "Color Universal Design".
ATTACK_COLOURS: dict[str, Colour] = {
    "bombing": (213, 94, 0),
    "suicide_bombing": (204, 121, 167),
    "hostage_taking": (230, 159, 0),
    "hijacking": (86, 180, 233),
    "armed_assault": (0, 114, 178),
    "armed_incursion": (0, 158, 115),
    "foiled_plot": (240, 228, 66),
}
BASE_COLOUR: Colour = (94, 60, 153)
CONTEXT_COLOUR: Colour = (110, 110, 110)
# An uncertainty halo's radius: as far from the event as the place's point may lie.
HALO_RADIUS_M: dict[str, int] = {
    precision: round(km * 1000) for precision, km in GEO_PRECISION_KM.items()
}
PRECISE_DATES = frozenset({"day", "month"})
# Areas (places and units) are drawn from geometry simplified this much
# (degrees), on every map and picture, so that they match wherever they appear.
DISPLAY_TOLERANCE_DEG = 0.02
SOLID_ALPHA = 225
HOLLOW_ALPHA = 40

LAYER_IDS = {
    "basemap": "basemap",
    "admin1_lines": "admin1-lines",
    "labels": "labels",
    "halos": "uncertainty-halos",
    "base_areas": "base-areas",
    "base_points": "base-points",
    "relocation": "base-relocation",
    "context": "context-events",
    "attacks": "attacks",
}
# pydeck reads every string argument as a data accessor expression; a constant
# string must be quoted inside the string ('"pixels"') to reach deck.gl as text.

# The columns that say where an event's mark goes and how it looks, on every
# map and picture (each reads a few more of its own).
MARK_COLUMNS: tuple[str, ...] = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "layer",
    "event_type",
    "place_id",
    "place_name",
    "geo_precision",
)

# Layers whose picked objects are events (they carry an ``event_id``).
EVENT_LAYER_IDS = (
    LAYER_IDS["attacks"],
    LAYER_IDS["context"],
    LAYER_IDS["base_points"],
    LAYER_IDS["base_areas"],
)


class Coordinates(list):
    """Nested lists of numbers only (a polygon's rings): :func:`deck_data` has
    no text to look for in them and passes them as they are."""


def deck_data(value: object) -> object:
    """Layer data for the deck with every string passed through
    :func:`imu_geo.text.deck_text` (in nested lists and dicts too), so that no
    text from the data reaches deck.gl's JSON converter as code."""
    if type(value) is Coordinates:
        return value
    if isinstance(value, str):
        return deck_text(value)
    if isinstance(value, dict):
        return {key: deck_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [deck_data(item) for item in value]
    return value


def inline_layer(kind: str, records: list[dict], **props) -> pdk.Layer:
    """A pydeck layer whose data travels inside the deck: the one way this
    package builds such a layer, so every string in it goes through
    :func:`deck_data`. (Layers that load a URL are not converted: deck.gl
    fetches their data itself.)"""
    return pdk.Layer(kind, data=deck_data(records), **props)


# How every layer that can be clicked is drawn: filled, outlined, and lit up
# under the pointer.
PICKABLE_SHAPES: dict[str, object] = {
    "stroked": True,
    "filled": True,
    "pickable": True,
    "auto_highlight": True,
}
# Dots keep their size in pixels at every zoom.
PIXEL_DOTS: dict[str, object] = {"radius_units": '"pixels"', **PICKABLE_SHAPES}


def polygon_layer(
    records: list[dict], layer_id: str, line_colour: list[int], line_width: float
) -> pdk.Layer:
    """Clickable polygons, each record with its rings in ``polygon`` and its
    own ``fill``, all outlined in ``line_colour``."""
    return inline_layer(
        "PolygonLayer",
        records,
        id=layer_id,
        get_polygon="polygon",
        get_fill_color="fill",
        get_line_color=line_colour,
        line_width_min_pixels=line_width,
        **PICKABLE_SHAPES,
    )


def gpu_date_filter(filter_range: list) -> dict[str, object]:
    """The props with which deck.gl's DataFilterExtension keeps, on the GPU,
    the points whose ``[s, e]`` (first and last day) fall in ``filter_range``
    (:func:`imu_geo.layers.large.date_filter_range`)."""
    return {
        "extensions": [{"@@type": "DataFilterExtension", "filterSize": 2}],
        "get_filter_value": ["s", "e"],
        "filter_range": filter_range,
    }


@dataclass(frozen=True)
class MapOptions:
    """Which optional layers to draw."""

    relocation: bool = True
    halos: bool = True


def polygon_rings(geometry) -> list[list[list[list[float]]]]:
    """Each polygon of a (Multi)Polygon as [outer ring, *holes], 4-decimal lon/lat."""
    parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    # The coordinates leave GEOS as one array per ring and are rounded as an
    # array: a Python loop per point was most of the time of a dataset's
    # clickable units file.
    return [
        [
            np.round(shapely.get_coordinates(ring), 4).tolist()
            for ring in (part.exterior, *part.interiors)
        ]
        for part in parts
    ]
