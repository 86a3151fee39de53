"""What every map shares: the colours, the layer ids, the map's options and
the way a layer's data travels inside the deck.
"""

from __future__ import annotations

from dataclasses import dataclass

import pydeck as pdk
import shapely

from imu_geo.text import deck_text

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
HALO_RADIUS_M: dict[str, int] = {
    "exact": 0,
    "near": 25_000,
    "district": 50_000,
    "province": 100_000,
    "region": 200_000,
    "country": 400_000,
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


@dataclass(frozen=True)
class MapOptions:
    """Which optional layers to draw."""

    relocation: bool = True
    halos: bool = True


def polygon_rings(geometry) -> list[list[list[list[float]]]]:
    """Each polygon of a (Multi)Polygon as [outer ring, *holes], 4-decimal lon/lat."""
    parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    # The coordinates leave GEOS as one array per ring (iterating a ring's
    # coords makes a tuple per point); each is rounded as before.
    return [
        [
            [
                [round(x, 4), round(y, 4)]
                for x, y in shapely.get_coordinates(ring).tolist()
            ]
            for ring in (part.exterior, *part.interiors)
        ]
        for part in parts
    ]
