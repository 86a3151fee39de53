"""Where a map looks: the atlas's opening view and a view framed on events."""

from __future__ import annotations

import math

import pandas as pd

__all__ = [
    "DEFAULT_VIEW",
    "EQUATOR_M_PER_PX",
    "FRAME_MARGIN",
    "FRAME_MAX_ZOOM",
    "FRAME_MIN_ZOOM",
    "WORLD_PIXELS",
    "WORLD_VIEW",
    "event_bounds",
    "frame_view",
]

DEFAULT_VIEW = {"latitude": 36.5, "longitude": 68.5, "zoom": 3.7}
# Web Mercator: metres per pixel at the equator at zoom 0 (512-pixel world).
EQUATOR_M_PER_PX = 2 * math.pi * 6_378_137 / 512
WORLD_VIEW = {"latitude": 20.0, "longitude": 0.0, "zoom": 1.0}
# deck.gl's Web Mercator: the whole world is 512 pixels wide at zoom 0.
WORLD_PIXELS = 512
# Framing: no closer than a town's surroundings, a margin around the data.
FRAME_MAX_ZOOM = 9.0
FRAME_MIN_ZOOM = 0.5
FRAME_MARGIN = 0.12


def _mercator_y(lat: float) -> float:
    """Web Mercator y of a latitude, 0 at the equator, in units of 2 pi."""
    lat = min(max(lat, -85.0511), 85.0511)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def frame_view(
    bounds: tuple[float, float, float, float] | None,
    width: float = 640,
    height: float = 600,
) -> dict:
    """The view that shows ``bounds`` (west, south, east, north) whole in a map of
    ``width`` x ``height`` pixels, with a margin; :data:`WORLD_VIEW` without
    bounds. A single place is shown at :data:`FRAME_MAX_ZOOM`, a town and its
    surroundings."""
    if bounds is None or not all(math.isfinite(v) for v in bounds):
        return dict(WORLD_VIEW)
    west, south, east, north = bounds
    usable = 1 - 2 * FRAME_MARGIN
    x_share = max(east - west, 1e-9) / 360
    y_share = max(_mercator_y(north) - _mercator_y(south), 1e-9)
    zoom = min(
        math.log2(width * usable / (WORLD_PIXELS * x_share)),
        math.log2(height * usable / (WORLD_PIXELS * y_share)),
    )
    middle = (_mercator_y(north) + _mercator_y(south)) / 2
    latitude = math.degrees(2 * math.atan(math.exp(middle * 2 * math.pi)) - math.pi / 2)
    return {
        "latitude": round(latitude, 4),
        "longitude": round((west + east) / 2, 4),
        "zoom": round(min(max(zoom, FRAME_MIN_ZOOM), FRAME_MAX_ZOOM), 2),
    }


def event_bounds(events: pd.DataFrame) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the events that have a point, or None."""
    lon = pd.to_numeric(events["lon"], errors="coerce")
    lat = pd.to_numeric(events["lat"], errors="coerce")
    located = lon.notna() & lat.notna()
    if not located.any():
        return None
    lon, lat = lon[located], lat[located]
    return (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
