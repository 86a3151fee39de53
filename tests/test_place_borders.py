"""The border check's measures (``imu_geo.importers.places.borders``): the
tolerance per precision, distances on the sphere, how far a point lies outside
an outline, and how a distance is written.

Distances are checked against figures worked out by hand: along a meridian, or
along the equator, an arc of d degrees is R * d * pi / 180 km (R = 6371.0088 km,
the mean radius), and two antipodes are pi * R apart. Elsewhere the expected
distance is the angle between the two points' unit vectors, a plainer formula
than the haversine the code uses.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import Polygon, box

from imu_geo.importers.places.borders import (
    REGIONS_BOUNDARY_KM,
    _distances_outside,
    _km,
    border_tolerance_km,
    distance_outside_km,
    haversine_km,
)

R = 6371.0088
DEGREE_KM = R * math.pi / 180  # 111.19508... km


def arc_km(lat1, lon1, lat2, lon2) -> float:
    """The great-circle distance as the angle between two unit vectors."""

    def unit(lat, lon):
        la, lo = math.radians(lat), math.radians(lon)
        return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))

    u, v = unit(lat1, lon1), unit(lat2, lon2)
    cross = (
        u[1] * v[2] - u[2] * v[1],
        u[2] * v[0] - u[0] * v[2],
        u[0] * v[1] - u[1] * v[0],
    )
    dot = sum(a * b for a, b in zip(u, v, strict=True))
    return R * math.atan2(math.hypot(*cross), dot)


# geo_precision, boundary_km (None: the default), expected km
TOLERANCES = [
    # tables/border_tolerance.csv: region and country 2 outlines, others 1.
    ("exact", None, 3.7),
    ("near", None, 3.7),
    ("district", None, 3.7),
    ("province", None, 3.7),
    ("region", None, 7.4),
    ("country", None, 7.4),
    # An unknown precision, or none, counts one outline.
    ("", None, 3.7),
    ("bogus", None, 3.7),
    ("Country", None, 3.7),
    # Another boundary layer's own resolution.
    ("exact", 1.0, 1.0),
    ("country", 1.0, 2.0),
    ("region", 0.25, 0.5),
    ("bogus", 5.0, 5.0),
    ("country", 0.0, 0.0),
]


@pytest.mark.parametrize(("precision", "boundary", "expected"), TOLERANCES)
def test_border_tolerance_km(precision, boundary, expected):
    if boundary is None:
        found = border_tolerance_km(precision)
    else:
        found = border_tolerance_km(precision, boundary)
    assert found == pytest.approx(expected, abs=1e-12)


def test_the_bundled_outlines_resolution_is_the_sum_of_its_three_errors():
    # 1.1 km of simplification, 0.6 km of the reference layer, 2 km of Natural
    # Earth's generalisation.
    assert REGIONS_BOUNDARY_KM == pytest.approx(1.1 + 0.6 + 2)


# lat1, lon1, lat2, lon2, expected km
ARCS = [
    (0.0, 0.0, 0.0, 0.0, 0.0),
    (10.0, 20.0, 10.0, 20.0, 0.0),
    # Along a meridian: one degree, two, across the equator, pole to pole.
    (0.0, 0.0, 1.0, 0.0, DEGREE_KM),
    (40.0, 69.0, 42.0, 69.0, 2 * DEGREE_KM),
    (-3.0, 15.0, 4.5, 15.0, 7.5 * DEGREE_KM),
    (90.0, 0.0, -90.0, 0.0, math.pi * R),
    (42.0, 69.0, 40.0, 69.0, 2 * DEGREE_KM),
    # Along the equator, either way, and across the antimeridian.
    (0.0, 0.0, 0.0, 1.0, DEGREE_KM),
    (0.0, 3.0, 0.0, -2.0, 5 * DEGREE_KM),
    (0.0, 179.5, 0.0, -179.5, DEGREE_KM),
    # Antipodes: pi R; at 12 degrees the haversine's term rounds just above 1.
    (0.0, 0.0, 0.0, 180.0, math.pi * R),
    (12.0, 0.0, -12.0, 180.0, math.pi * R),
    # Elsewhere: the angle between the unit vectors.
    (41.3, 69.2, 38.6, 68.8, arc_km(41.3, 69.2, 38.6, 68.8)),  # Tashkent-Dushanbe
    (60.0, 0.0, 60.0, 1.0, arc_km(60.0, 0.0, 60.0, 1.0)),
    (-33.9, 18.4, 51.5, -0.1, arc_km(-33.9, 18.4, 51.5, -0.1)),
]


@pytest.mark.parametrize(("lat1", "lon1", "lat2", "lon2", "expected"), ARCS)
def test_haversine_km_of_one_pair(lat1, lon1, lat2, lon2, expected):
    found = haversine_km(np.array([lat1]), np.array([lon1]), np.array([lat2]), [lon2])
    assert found.shape == (1,)
    assert found[0] == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_haversine_km_of_arrays_pair_by_pair():
    lat1 = np.array([row[0] for row in ARCS])
    lon1 = np.array([row[1] for row in ARCS])
    lat2 = np.array([row[2] for row in ARCS])
    lon2 = [row[3] for row in ARCS]
    found = haversine_km(lat1, list(lon1), lat2, lon2)
    expected = [row[4] for row in ARCS]
    assert found == pytest.approx(expected, rel=1e-9, abs=1e-9)


# The box x 0..1, y 0..1; lon, lat, km outside it
SQUARE = box(0, 0, 1, 1)
OUTSIDE = [
    # Inside and on the outline: 0.
    (0.5, 0.5, 0.0),
    (0.0, 0.5, 0.0),
    (1.0, 1.0, 0.0),
    # Due north and south: the nearest point is straight across the edge.
    (0.5, 3.0, 2 * DEGREE_KM),
    (0.25, -0.5, 0.5 * DEGREE_KM),
    # Due west at the equator (the box's bottom edge): along the equator.
    (-2.0, 0.0, 2 * DEGREE_KM),
    # Due east: the nearest point is (1, 0.5), on the same parallel.
    (4.0, 0.5, arc_km(0.5, 4.0, 0.5, 1.0)),
    # Off a corner: the corner is nearest.
    (2.0, 3.0, arc_km(3.0, 2.0, 1.0, 1.0)),
    (-1.0, -1.0, arc_km(-1.0, -1.0, 0.0, 0.0)),
]


@pytest.mark.parametrize(("lon", "lat", "expected"), OUTSIDE)
def test_distance_outside_km_of_one_point(lon, lat, expected):
    found = distance_outside_km(SQUARE, np.array([lon]), np.array([lat]))
    assert found.tolist() == pytest.approx([expected], rel=1e-9, abs=1e-9)


def test_distance_outside_km_of_many_points_in_order():
    lon = [row[0] for row in OUTSIDE]
    lat = [row[1] for row in OUTSIDE]
    found = distance_outside_km(SQUARE, lon, lat)
    assert found.tolist() == pytest.approx(
        [row[2] for row in OUTSIDE], rel=1e-9, abs=1e-9
    )


def test_distance_outside_km_measures_to_the_outline_not_its_box():
    # An L: the box x 0..2, y 0..2 without its top-right quarter. The point
    # (1.5, 1.4) lies in the box but outside the L, 0.4 degree north of its
    # nearest edge (and 0.5 east of the other).
    ell = Polygon([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)])
    found = distance_outside_km(ell, [1.5, 1.5, 0.5], [1.4, 1.05, 1.5])
    assert found.tolist() == pytest.approx(
        [0.4 * DEGREE_KM, 0.05 * DEGREE_KM, 0.0], rel=1e-9
    )


def test_distance_outside_km_of_no_point():
    assert distance_outside_km(SQUARE, [], []).tolist() == []


# km, as a message writes it
WRITTEN = [
    (0.0, "less than 0.1 km"),
    (0.01, "less than 0.1 km"),
    (0.0499, "less than 0.1 km"),
    (0.05, "0.1 km"),
    (0.06, "0.1 km"),
    (0.94, "0.9 km"),
    (1.0, "1.0 km"),
    (3.74, "3.7 km"),
    (12.35, "12.3 km"),  # 12.35 is stored just under itself
    (999.96, "1,000.0 km"),
    (1234.56, "1,234.6 km"),
    (1234567.0, "1,234,567.0 km"),
]


@pytest.mark.parametrize(("km", "text"), WRITTEN)
def test_km_writes_a_distance(km, text):
    assert _km(km) == text


OUTLINES = {"AA": box(0, 0, 1, 1), "BB": box(10, 0, 11, 1)}


# codes, lon, lat, expected km: each point measured against its own country
DISTANCES = [
    ([], [], [], []),
    (["AA"], [0.5], [0.5], [0.0]),
    (["AA"], [0.5], [2.0], [DEGREE_KM]),
    # A country without an outline: not measured, 0.
    (["ZZ"], [50.0], [50.0], [0.0]),
    (["", "ZZ"], [50.0, 0.5], [50.0, 3.0], [0.0, 0.0]),
    # One without an outline before one with (codes are taken in sorted order).
    (["", "AA"], [50.0, 0.5], [50.0, 2.0], [0.0, DEGREE_KM]),
    (["AB", "BB"], [0.5, 10.5], [2.0, 2.0], [0.0, DEGREE_KM]),
    # The same point against each country's outline.
    (["AA", "BB"], [10.5, 10.5], [2.0, 2.0], [arc_km(2.0, 10.5, 1.0, 1.0), DEGREE_KM]),
    # Codes mixed: each row keeps its own answer.
    (
        ["BB", "AA", "ZZ", "AA", "BB"],
        [10.5, 0.5, 0.5, 0.5, 10.5],
        [3.0, 0.5, 3.0, -1.0, 0.5],
        [2 * DEGREE_KM, 0.0, 0.0, DEGREE_KM, 0.0],
    ),
]


@pytest.mark.parametrize(("codes", "lon", "lat", "expected"), DISTANCES)
def test_distances_outside_each_points_own_country(codes, lon, lat, expected):
    found = _distances_outside(
        OUTLINES,
        np.array(codes, dtype=object),
        np.array(lon, dtype=float),
        np.array(lat, dtype=float),
    )
    assert found.tolist() == pytest.approx(expected, rel=1e-9, abs=1e-9)
