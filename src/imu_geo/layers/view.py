"""Where a map looks: the atlas's opening view, a view framed on events, and
the size a map is drawn at on the reader's screen."""

from __future__ import annotations

import math

import pandas as pd

__all__ = [
    "ATLAS_VIEW_SIZE",
    "DEFAULT_VIEW",
    "EQUATOR_M_PER_PX",
    "FRAME_MARGIN",
    "FRAME_MAX_ZOOM",
    "FRAME_MIN_ZOOM",
    "WORLD_PIXELS",
    "NEAR_SHARE",
    "PHONE_MAP_MIN_PX",
    "PHONE_MAX_PX",
    "WORLD_VIEW",
    "event_bounds",
    "fit_view",
    "frame_view",
    "kept_view",
    "map_box",
]

DEFAULT_VIEW = {"latitude": 36.5, "longitude": 68.5, "zoom": 3.7}
# The map size DEFAULT_VIEW was chosen for: the Map page's map in a 1,400-pixel
# window, which shows some 35 degrees of longitude (Caspian to Kashgar).
ATLAS_VIEW_SIZE = (640, 600)
# The style sheet's phone rule (ui/styles.css): at most this wide, a map is at
# most half the screen high, and never under PHONE_MAP_MIN_PX.
PHONE_MAX_PX = 640
PHONE_MAP_MIN_PX = 240
# A measured map within this share of its designed size, in both dimensions,
# is taken at the designed size: the view the page opened with then stands, so
# a zoom the reader made before the browser's measure came back is kept, and
# a few pixels more or less cut little.
NEAR_SHARE = 0.15
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


def fit_view(
    view: dict, designed: tuple[float, float], size: tuple[float, float]
) -> dict:
    """``view``, chosen for a map of ``designed`` (width, height) pixels, for a map
    of ``size``: zoomed out by as much as the map is smaller, in its tighter
    dimension, so that it shows at least what it showed; unchanged in a map as
    large or larger (which then shows more around it). Each zoom step halves
    the ground a pixel covers, hence the base-2 logarithm."""
    shrink = min(
        0.0,
        math.log2(max(size[0], 1) / designed[0]),
        math.log2(max(size[1], 1) / designed[1]),
    )
    if shrink == 0.0:
        return dict(view)
    zoom = max(view["zoom"] + shrink, FRAME_MIN_ZOOM)
    return {**view, "zoom": round(zoom, 2)}


def map_box(
    column_width: float | None,
    screen: tuple[float, float] | None,
    designed: tuple[float, float],
) -> tuple[float, float]:
    """The (width, height) in pixels a map of ``designed`` size is drawn at: the
    width of its column as the browser measured it, and the designed height,
    cut on a phone (a screen at most :data:`PHONE_MAX_PX` wide) to half the
    screen's height, never under :data:`PHONE_MAP_MIN_PX`, as the style sheet
    cuts it. ``designed`` until the browser has measured (None), and for a box
    within :data:`NEAR_SHARE` of it in both dimensions."""
    width, height = designed
    if column_width is not None and column_width > 0:
        width = column_width
    if screen is not None and 0 < screen[0] <= PHONE_MAX_PX:
        height = min(height, max(screen[1] / 2, PHONE_MAP_MIN_PX))
    near = all(
        abs(measured - planned) <= NEAR_SHARE * planned
        for measured, planned in zip((width, height), designed, strict=True)
    )
    if near:
        width, height = designed
    return (float(width), float(height))


# deck.gl's web-Mercator view: the latitudes it can show, its zoom levels, and
# the pitch it allows.
_VIEW_RANGES = {
    "latitude": (-85.06, 85.06),
    "zoom": (0.0, 24.0),
    "pitch": (0.0, 85.0),
}


def kept_view(value: object) -> dict[str, float] | None:
    """A view the reader's browser kept (``longitude``, ``latitude``, ``zoom``,
    and ``pitch`` and ``bearing`` when given), checked; None when there is
    none or it is not a view.

    Every value must be a finite number; the latitude, zoom and pitch within
    what the map can show. A longitude or bearing past a full turn (the map
    panned or turned round the world) is brought back within one.
    """
    if not isinstance(value, dict):
        return None
    names = ("longitude", "latitude", "zoom", "pitch", "bearing")
    view: dict[str, float] = {}
    for name in names:
        number = value.get(name, 0.0 if name in ("pitch", "bearing") else None)
        if isinstance(number, bool) or not isinstance(number, int | float):
            return None
        number = float(number)
        if not math.isfinite(number) or abs(number) > 1e6:
            return None
        low, high = _VIEW_RANGES.get(name, (-math.inf, math.inf))
        if not low <= number <= high:
            return None
        view[name] = number
    view["longitude"] = (view["longitude"] + 180.0) % 360.0 - 180.0
    view["bearing"] = (view["bearing"] + 180.0) % 360.0 - 180.0
    return view
