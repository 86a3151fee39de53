"""Where a point lies (``imu_geo.world.points``), on the hand-drawn world of
``tests/hand_world.py``: every expected answer is read off its drawing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from imu_geo.world.points import Location, locate, locate_points
from tests.hand_world import write_hand_world

NAN, INF = math.nan, math.inf
NOWHERE = ("", "", "")


@pytest.fixture(scope="module")
def hand_world(tmp_path_factory):
    return write_hand_world(tmp_path_factory.mktemp("hand_world"))


# lon, lat, (country, admin1, admin1_name)
POINTS = [
    # Inside one unit.
    (0.5, 1.0, ("AA", "AA-1", "Ay One")),
    (1.5, 0.5, ("AA", "AA-2", "Ay Two")),
    (3.0, 1.0, ("BB", "BB-1", "Bee One")),
    # On a unit's outer corner and edge: on the outline counts as in.
    (0.0, 0.0, ("AA", "AA-1", "Ay One")),
    (4.0, 0.5, ("BB", "BB-1", "Bee One")),
    # On the line between two units: the region_id that sorts first, although
    # the file lists AA-2 before AA-1 and BB-1 before AA-2.
    (1.0, 1.0, ("AA", "AA-1", "Ay One")),
    (2.0, 1.0, ("AA", "AA-2", "Ay Two")),
    # BB's unit inside CC's outline: the unit's own country, as for Crimea.
    (10.5, 0.5, ("BB", "BB-2", "Bee Two")),
    # In a country, in none of its units: the country alone.
    (0.5, 1.95, ("AA", "", "")),
    (3.0, 1.95, ("BB", "", "")),
    (11.5, 1.5, ("CC", "", "")),
    # On the AA/BB border above the units: AA sorts first (BB is first in the file).
    (2.0, 1.95, ("AA", "", "")),
    # The sea between the countries, and far away.
    (5.0, 1.0, NOWHERE),
    (-1.0, 1.0, NOWHERE),
    (1.0, 2.5, NOWHERE),
    # Not a coordinate.
    (NAN, 1.0, NOWHERE),
    (1.0, NAN, NOWHERE),
    (INF, 1.0, NOWHERE),
    (1.0, -INF, NOWHERE),
]


@pytest.mark.parametrize(("lon", "lat", "expected"), POINTS)
def test_locate_points_of_one_point(hand_world, lon, lat, expected):
    found = locate_points([lon], [lat], hand_world)
    assert list(found.columns) == ["country", "admin1", "admin1_name"]
    assert [tuple(row) for row in found.itertuples(index=False)] == [expected]


@pytest.mark.parametrize(("lon", "lat", "expected"), POINTS)
def test_locate_of_one_point(hand_world, lon, lat, expected):
    found = locate(lon, lat, hand_world)
    if expected == NOWHERE:
        assert found is None
    else:
        assert found == Location(*expected)


FORWARDS = list(range(len(POINTS)))


@pytest.mark.parametrize("order", [FORWARDS, FORWARDS[::-1]])
def test_locate_points_answers_every_point_in_its_own_row(hand_world, order):
    # All the points at once, forwards and backwards: row i answers point i.
    lon = [POINTS[i][0] for i in order]
    lat = [POINTS[i][1] for i in order]
    found = locate_points(np.array(lon), np.array(lat), hand_world)
    assert [tuple(row) for row in found.itertuples(index=False)] == [
        POINTS[i][2] for i in order
    ]
    assert list(found.index) == list(range(len(POINTS)))


# Several points whose answers come only from units, only from countries, or
# from nothing: each branch of the search alone.
GROUPS = [
    ([0.5, 3.0], [1.0, 1.0], [("AA", "AA-1", "Ay One"), ("BB", "BB-1", "Bee One")]),
    ([11.5, 0.5], [1.5, 1.95], [("CC", "", ""), ("AA", "", "")]),
    ([5.0, NAN], [1.0, 1.0], [NOWHERE, NOWHERE]),
    ([NAN, INF, -INF], [NAN, 0.0, 0.0], [NOWHERE] * 3),
    # The same point twice, and a point on a line twice.
    ([1.0, 1.0, 0.5], [1.0, 1.0, 1.0], [("AA", "AA-1", "Ay One")] * 3),
]


@pytest.mark.parametrize(("lon", "lat", "expected"), GROUPS)
def test_locate_points_of_several_points(hand_world, lon, lat, expected):
    found = locate_points(lon, lat, hand_world)
    assert [tuple(row) for row in found.itertuples(index=False)] == expected


def test_locate_points_of_missing_and_whole_number_coordinates(hand_world):
    # None, as a list read from JSON holds a missing value, is no coordinate;
    # whole numbers are degrees like any other.
    found = locate_points([None, 3, 0.5], [1, None, 1], hand_world)
    assert [tuple(row) for row in found.itertuples(index=False)] == [
        NOWHERE,
        NOWHERE,
        ("AA", "AA-1", "Ay One"),
    ]
    found = locate_points([3], [1], hand_world)
    assert [tuple(row) for row in found.itertuples(index=False)] == [
        ("BB", "BB-1", "Bee One")
    ]


def test_locate_points_of_no_point(hand_world):
    found = locate_points([], [], hand_world)
    assert list(found.columns) == ["country", "admin1", "admin1_name"]
    assert len(found) == 0
