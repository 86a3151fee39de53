"""Is a point in the country its row names: inside, near the border (within
the boundary's resolution and what the place's precision allows), outside,
or unchecked where the country has no boundary here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely import affinity
from shapely.geometry import Point

from imu_geo.schema import GEO_PRECISION_KM
from imu_geo.world.files import WORLD_DIR, _accepted_areas, country_name

# How far a point may lie outside a country's drawn line and still count as in
# it, from the boundary data alone: the countries are Natural Earth's 1:10m
# lines (drawn for maps at 1:10 million, where 0.4 mm is 4 km) simplified with a
# 0.01 degree tolerance (about 1.1 km). A judgement, not a published accuracy.
BOUNDARY_KM = 5.0


# How far from the event a point of each place precision may lie.
PRECISION_KM: dict[str, float] = GEO_PRECISION_KM


KM_PER_DEGREE = 111.32


INSIDE, NEAR_BORDER, OUTSIDE, UNCHECKED = (
    "inside",
    "near_border",
    "outside",
    "unchecked",
)


@dataclass(frozen=True)
class BorderCheck:
    """How a point stands to the country its row names.

    ``status`` is ``inside``, ``near_border``, ``outside`` or ``unchecked``;
    ``distance_km`` is how far outside the drawn line the point lies (0 inside;
    NaN when unchecked); ``tolerance_km`` is what was allowed; ``note`` says it in
    a sentence for the import report (empty inside).
    """

    status: str
    distance_km: float
    tolerance_km: float
    note: str = ""

    @property
    def kept(self) -> bool:
        """True unless the point clearly lies outside its country."""
        return self.status != OUTSIDE


def border_tolerance_km(precision: str) -> float:
    """The tolerance for a row of this place precision (an unknown one counts as
    ``exact``, the strictest)."""
    return BOUNDARY_KM + PRECISION_KM.get(precision or "", 0.0)


def _distance_km(area, lon: float, lat: float, limit_km: float) -> float:
    """Distance from a point to an area, in km (0 inside).

    Measured on a local equirectangular plane (longitudes shrunk by the cosine of
    the latitude), accurate to well under 1% at these distances. Only the part of
    the area within ``limit_km`` of the point is looked at; farther than that,
    the distance is estimated from the nearest point in degrees (an upper bound).
    A point that is not a finite number has no distance: NaN.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return math.nan
    shrink = max(math.cos(math.radians(lat)), 0.01)
    reach_lat = limit_km / KM_PER_DEGREE
    reach_lon = min(reach_lat / shrink, 360.0)
    piece = shapely.clip_by_rect(
        area, lon - reach_lon, lat - reach_lat, lon + reach_lon, lat + reach_lat
    )
    if not piece.is_empty:
        flat = affinity.scale(piece, xfact=shrink, yfact=1.0, origin=(0, 0))
        distance = flat.distance(Point(lon * shrink, lat)) * KM_PER_DEGREE
        if distance <= limit_km:
            return distance
    nearest = shapely.ops.nearest_points(area, Point(lon, lat))[0]
    return haversine_km(lon, lat, nearest.x, nearest.y)


def _distances_km(area, lon: np.ndarray, lat: np.ndarray, limit_km: np.ndarray):
    """:func:`_distance_km` for many points outside one area, in km.

    The same measure: each point's piece of the area is clipped one by one
    (``clip_by_rect`` takes one rectangle), then the pieces are shrunk and
    measured together. Where a piece is empty or farther than its limit the
    result is NaN, and the caller measures that point with
    :func:`_distance_km`.
    """
    shrink = np.maximum(np.cos(np.radians(lat)), 0.01)
    reach_lat = limit_km / KM_PER_DEGREE
    reach_lon = np.minimum(reach_lat / shrink, 360.0)
    pieces = np.array(
        [
            shapely.clip_by_rect(area, x - rx, y - ry, x + rx, y + ry)
            for x, y, rx, ry in zip(lon, lat, reach_lon, reach_lat, strict=True)
        ],
        dtype=object,
    )
    result = np.full(lon.size, np.nan)
    full = ~shapely.is_empty(pieces)
    if not full.any():
        return result
    coordinates, which = shapely.get_coordinates(pieces[full], return_index=True)
    coordinates[:, 0] *= shrink[full][which]
    # pieces[full] is a new array, so the pieces are replaced there, not here.
    flat = shapely.set_coordinates(pieces[full], coordinates)
    distance = (
        shapely.distance(flat, shapely.points(lon[full] * shrink[full], lat[full]))
        * KM_PER_DEGREE
    )
    near = distance <= limit_km[full]
    rows = np.flatnonzero(full)[near]
    result[rows] = distance[near]
    return result


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance on a sphere of radius 6,371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _verdict(distance: float, tolerance: float, name: str, precision: str) -> tuple:
    allowance = (
        f"the {tolerance:g} km allowed for the boundary's resolution "
        f"({BOUNDARY_KM:g} km)"
        + (
            f" and a place known to the {precision} level "
            f"({PRECISION_KM[precision]:g} km)"
            if PRECISION_KM.get(precision)
            else ""
        )
    )
    if distance <= tolerance:
        return NEAR_BORDER, (
            f"the point lies {distance:.1f} km outside {name}'s drawn boundary, "
            f"within {allowance}; kept"
        )
    return OUTSIDE, (
        f"the point lies {distance:.0f} km outside {name}, more than {allowance}"
    )


def check_border(
    lon: float, lat: float, country: str, precision: str = "exact"
) -> BorderCheck:
    """How a point stands to the country (ISO alpha-2) its row names, against
    the world's boundaries."""
    return _check(float(lon), float(lat), country, precision, WORLD_DIR)


def _on_earth(lon, lat):
    """True for finite coordinates in range (works on arrays too)."""
    with np.errstate(invalid="ignore"):
        return (
            np.isfinite(lon)
            & np.isfinite(lat)
            & (np.abs(lon) <= 180)
            & (np.abs(lat) <= 90)
        )


def checked_countries(directory: Path = WORLD_DIR) -> frozenset[str]:
    """The countries (ISO alpha-2) whose points :func:`check_borders` checks."""
    return frozenset(_accepted_areas(Path(directory)))


def _check(lon, lat, country, precision, directory) -> BorderCheck:
    tolerance = border_tolerance_km(precision)
    areas = _accepted_areas(directory)
    if country not in areas or not _on_earth(lon, lat):
        return BorderCheck(UNCHECKED, math.nan, tolerance)
    area = areas[country]
    if shapely.contains_xy(area, lon, lat):
        return BorderCheck(INSIDE, 0.0, tolerance)
    distance = _distance_km(area, lon, lat, tolerance + BOUNDARY_KM)
    if distance == 0.0:  # on the line itself
        return BorderCheck(INSIDE, 0.0, tolerance)
    status, note = _verdict(
        distance, tolerance, country_name(country, directory), precision
    )
    return BorderCheck(status, round(distance, 1), tolerance, note)


def check_borders(
    lon: Sequence[float],
    lat: Sequence[float],
    country: Sequence[str],
    precision: Sequence[str] | str = "exact",
    directory: Path = WORLD_DIR,
) -> pd.DataFrame:
    """:func:`check_border` for many rows at once (for the importer).

    Returns
    -------
    pandas.DataFrame
        One row per point, in order: ``status``, ``distance_km``,
        ``tolerance_km``, ``note``.
    """
    directory = Path(directory)
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    codes = np.asarray(country, dtype=object)
    n = x.size
    precisions = (
        np.full(n, precision, dtype=object)
        if isinstance(precision, str)
        else np.asarray(precision, dtype=object)
    )
    # Each distinct precision once (a million rows hold a handful).
    which, distinct = pd.factorize(precisions, use_na_sentinel=False)
    tolerance = np.array([border_tolerance_km(p) for p in distinct], dtype=float)
    tolerance = tolerance[which] if len(distinct) else np.zeros(n)
    status = np.full(n, UNCHECKED, dtype=object)
    distance = np.full(n, math.nan)
    notes = np.full(n, "", dtype=object)
    areas = _accepted_areas(directory)
    finite = _on_earth(x, y)
    for code in pd.unique(codes):
        if code not in areas:
            continue
        rows = np.flatnonzero((codes == code) & finite)
        inside = shapely.contains_xy(areas[code], x[rows], y[rows])
        status[rows[inside]] = INSIDE
        distance[rows[inside]] = 0.0
        out = rows[~inside]
        if not out.size:
            continue
        # As _check does point by point, with the near points measured at once.
        measured = _distances_km(
            areas[code], x[out], y[out], tolerance[out] + BOUNDARY_KM
        )
        name = country_name(code, directory)
        for i, km in zip(out, measured, strict=True):
            if np.isnan(km):
                km = _distance_km(areas[code], x[i], y[i], tolerance[i] + BOUNDARY_KM)
            if km == 0.0:  # on the line itself
                status[i], distance[i] = INSIDE, 0.0
                continue
            status[i], notes[i] = _verdict(km, tolerance[i], name, precisions[i])
            distance[i] = round(km, 1)
    return pd.DataFrame(
        {
            "status": status,
            "distance_km": distance,
            "tolerance_km": tolerance,
            "note": notes,
        }
    )
