"""The border check: how far a point lies outside its country's outline, and
how far it may, by the outline's resolution and the point's precision."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import shapely

from imu_geo.importers.crosswalk import _table_rows

# How far, in km, the country outlines of the bundled regions.geojson may lie
# from the true border. The sum of three figures: the outlines are simplified at
# 0.01 degree (measured: the largest distance between each regions.geojson
# country outline and the same country in places.geojson, which keeps the
# reference resolution, is 0.0099-0.0100 degree, 1.1 km); the reference layer
# is itself simplified at 0.005 degree (0.6 km, scripts/build_places.py); and
# Natural Earth's 1:10m borders are generalised by up to about 2 km (the
# figure behind the validator's BORDER_TOLERANCE_DEG). 1.1 + 0.6 + 2 = 3.7 km.
REGIONS_BOUNDARY_KM = 3.7


# How many outlines' worth of error a point of each precision may show: a point
# standing for a region or a whole country may sit on a border line of the
# coder's own map (tables/border_tolerance.csv says why, row by row).
BORDER_MAPS: dict[str, int] = {
    row["geo_precision"]: int(row["maps"])
    for row in _table_rows("border_tolerance.csv")
}


_EARTH_RADIUS_KM = 6371.0088


def border_tolerance_km(
    geo_precision: str, boundary_km: float = REGIONS_BOUNDARY_KM
) -> float:
    """How far outside its country's outline a point may lie and still be kept.

    ``boundary_km`` is the outline's own resolution (:data:`REGIONS_BOUNDARY_KM`
    for the bundled ``regions.geojson``; another boundary layer passes its own
    figure); the row's ``geo_precision`` multiplies it by :data:`BORDER_MAPS`
    (2 for ``region`` and ``country``, 1 otherwise and for an unknown precision).
    A point farther out than this is outside the country.
    """
    return boundary_km * BORDER_MAPS.get(geo_precision, 1)


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distances in km between two arrays of points (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_outside_km(polygon, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """How far each point lies outside ``polygon``, in km (0 inside or on it).

    The nearest point of the outline is found in degrees, and the distance to it
    measured on the sphere, which is exact enough at the few km that matter.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    km = np.zeros(lon.size)
    points = shapely.points(lon, lat)
    outside = ~shapely.intersects(polygon, points)
    if outside.any():
        lines = shapely.shortest_line(polygon.boundary, points[outside])
        nearest = shapely.get_coordinates(lines)[0::2]
        km[outside] = haversine_km(
            lat[outside], lon[outside], nearest[:, 1], nearest[:, 0]
        )
    return km


def _km(distance: float) -> str:
    """A distance for a message: one decimal, and never a misleading 0.0 km."""
    return "less than 0.1 km" if distance < 0.05 else f"{distance:,.1f} km"


def _distances_outside(
    countries: Mapping[str, object], codes: np.ndarray, x: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """How far each point lies outside its country's outline, in km."""
    result = np.zeros(codes.size)
    for code in np.unique(codes):
        if code not in countries:
            continue
        rows = np.flatnonzero(codes == code)
        result[rows] = distance_outside_km(countries[code], x[rows], y[rows])
    return result
