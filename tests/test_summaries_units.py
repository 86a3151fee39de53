"""How an event finds its unit (``imu_geo.summaries.units``), called directly on
the hand-made polygons of tests/tiny_world.py and on small boxes drawn here:
places, points and events against units whose answer is worked out by hand.

These tests open no database, so mutation runs of the module take them alone
(tests/selection.py selects a test file by the module's name)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon, box

from imu_geo.summaries.units import (
    _code_of,
    _has_point,
    _point_place,
    _units,
    event_units,
    locate_xy,
    place_units,
    point_place_keys,
    point_units,
    unit_keys,
)
from tests.helpers import make_events
from tests.tiny_world import PLACES, REGIONS, tiny_events

# --- places on the tiny world -----------------------------------------------------


@pytest.mark.parametrize(
    ("place_id", "level", "status", "region_id"),
    [
        ("in", "country", "unit", "AA"),
        ("in", "admin1", "unit", "AA-1"),
        ("in", "valley", "outside", ""),
        ("edge", "admin1", "unit", "AA-1"),  # on the AA-1/AA-2 edge: counted once
        ("border", "country", "unit", "AA"),  # on the AA/BB border
        ("border", "admin1", "unit", "AA-2"),  # on the AA-2/BB-1 border
        ("border", "valley", "unit", "vale"),
        ("out", "country", "outside", ""),
        ("p2", "admin1", "unit", "AA-2"),
        ("p2", "country", "unit", "AA"),
        ("p2", "valley", "coarser", ""),
        ("aa", "country", "unit", "AA"),
        ("aa", "admin1", "coarser", ""),
        ("vale", "country", "coarser", ""),
        ("vale", "valley", "unit", "vale"),
        ("far", "admin1", "outside", ""),
    ],
)
def test_place_units(place_id, level, status, region_id):
    units = place_units(PLACES, REGIONS, level).set_index("place_id")
    assert (units.loc[place_id, "status"], units.loc[place_id, "region_id"]) == (
        status,
        region_id,
    )


# --- how a point finds its unit, on the tiny world ----------------------------------

# The admin-1 units in REGIONS' order: AA-1 (x 0..1), AA-2 (x 1..2), BB-1 (x 2..4),
# all y 0..2. A point on a shared edge goes to the first region_id.
POINTS = [
    ((0.25, 0.25), "AA-1"),
    ((1.0, 1.0), "AA-1"),  # the AA-1/AA-2 edge
    ((2.0, 1.0), "AA-2"),  # the AA-2/BB-1 edge
    ((1.5, 2.0), "AA-2"),  # AA-2's top edge
    ((3.0, 1.0), "BB-1"),
    ((4.0, 0.0), "BB-1"),  # BB-1's corner
    ((1.0, 1.5), "AA-1"),  # the same x as another point, higher
    ((10.0, 10.0), ""),
    ((-0.001, 1.0), ""),  # just left of AA-1
    ((3.0, 2.001), ""),  # just above BB-1
    ((0.0, 0.5), "AA-1"),  # AA-1's left edge, the first longitude of any unit
]


@pytest.mark.parametrize("reverse", [False, True])
def test_locate_xy_finds_each_points_unit(reverse):
    units = _units(REGIONS, "admin1")
    if reverse:
        units = units.iloc[::-1].reset_index(drop=True)
    x = np.array([p[0][0] for p in POINTS])
    y = np.array([p[0][1] for p in POINTS])
    found = locate_xy(x, y, units)
    assert found.dtype == np.int64
    ids = list(units["region_id"])
    assert [ids[i] if i >= 0 else "" for i in found] == [p[1] for p in POINTS]
    assert all(i == -1 for i, p in zip(found, POINTS, strict=True) if not p[1])


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        # Points near one unit only: the others find nothing and are passed by.
        ([0.5, 0.75], [0.5, 1.75], ["AA-1", "AA-1"]),
        ([3.5], [0.5], ["BB-1"]),
        ([1.5, 0.5], [0.5, 2.5], ["AA-2", ""]),
    ],
)
def test_locate_xy_of_points_near_one_unit(x, y, expected):
    units = _units(REGIONS, "admin1")
    found = locate_xy(np.array(x), np.array(y), units)
    ids = list(units["region_id"])
    assert [ids[i] if i >= 0 else "" for i in found] == expected


def test_locate_xy_looks_inside_each_units_outline_not_only_its_box():
    # A triangle (x + y <= 2, above y = 10) and a square far from the origin,
    # whose latitudes all lie beyond its longitudes.
    _, regions = _world(
        [
            ("T", Polygon([(0, 10), (2, 10), (0, 12)])),
            ("S", box(5, 20, 6, 21)),
        ],
        [],
    )
    units = _units(regions, "admin1")
    x = np.array([0.5, 1.5, 2.0, 5.5, 5.5, 0.0])
    y = np.array([10.5, 11.5, 10.0, 20.5, 19.5, 12.0])
    # In, out past the slope (inside the box), on a corner, in, below, on the apex.
    assert list(locate_xy(x, y, units)) == [0, -1, 0, 1, -1, 0]


def test_locate_xy_of_no_point_or_no_unit():
    units = _units(REGIONS, "admin1")
    assert locate_xy(np.array([]), np.array([]), units).tolist() == []
    none = _units(REGIONS.iloc[0:0], "admin1")
    assert locate_xy(np.array([0.5, 3.0]), np.array([0.5, 1.0]), none).tolist() == [
        -1,
        -1,
    ]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("admin1", ["AA-1", "AA-2", "AA-1", "", "AA-1"]),
        ("country", ["AA", "AA", "AA", "", "AA"]),
        ("valley", ["", "vale", "vale", "", ""]),
    ],
)
def test_point_units_keep_the_index_and_repeat_a_points_unit(level, expected):
    index = [30, 10, 20, 40, 50]
    lon = pd.Series([0.25, 2.0, 1.0, 10.0, 0.25], index=index)
    lat = pd.Series([0.25, 1.0, 1.0, 10.0, 0.25], index=index)
    units = point_units(lon, lat, REGIONS, level)
    assert list(units.index) == index
    assert list(units) == expected
    assert units.dtype == object


def test_point_units_of_no_point_or_no_unit():
    empty = pd.Series([], dtype=float)
    assert point_units(empty, empty, REGIONS, "admin1").tolist() == []
    lon = pd.Series([0.25, 3.0], index=[7, 8])
    none = point_units(lon, lon, REGIONS[REGIONS["level"] != "admin1"], "admin1")
    assert (list(none.index), list(none), none.dtype) == ([7, 8], ["", ""], object)


def test_point_units_of_coordinates_held_as_objects():
    # A column with a missing cell read as objects holds the same numbers.
    lon = pd.Series([0.25, 3.0, 1.5], dtype=object)
    lat = pd.Series([0.25, 1.0, 1.75], dtype=object)
    assert list(point_units(lon, lat, REGIONS, "admin1")) == ["AA-1", "BB-1", "AA-2"]


def test_point_place_keys_write_whole_coordinates_as_floats():
    # The same point gives the same key whether its column holds whole numbers.
    events = pd.DataFrame({"place_name": ["T"], "lat": [41], "lon": [69]})
    assert point_place_keys(events) == ["\x00point\x1fT\x1f\x1f41.0,69.0"]


def test_point_place_keys_and_back():
    events = pd.DataFrame(
        {
            "place_name": ["My town", None, "x"],
            "country": ["AA", "BB", None],
            "lat": [0.25, -1.5, 2.0],
            "lon": [0.5, 3.0, 1.0],
        }
    )
    keys = point_place_keys(events)
    assert keys == [
        "\x00point\x1fMy town\x1fAA\x1f0.25,0.5",
        "\x00point\x1f\x1fBB\x1f-1.5,3.0",
        "\x00point\x1fx\x1f\x1f2.0,1.0",
    ]
    assert [_point_place(k) for k in keys] == [("My town", "AA"), ("", "BB"), ("x", "")]
    bare = point_place_keys(events[["lat", "lon"]])
    assert bare[0] == "\x00point\x1f\x1f\x1f0.25,0.5"


@pytest.mark.parametrize(
    ("values", "value", "expected"),
    [
        (["a", "", "b"], "", 1),
        (["", "", "b"], "", 0),
        (["a", "b"], "", -2),
        ([], "", -2),
        (pd.Index(["p", "q"]), "q", 1),
    ],
)
def test_code_of(values, value, expected):
    assert _code_of(values, value) == expected


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"lat": [1.0, None, 2.0], "lon": [1.0, 1.0, None]}, [True, False, False]),
        ({"lat": [1.0, 1.0, 1.0]}, [False, False, False]),
        ({"lon": [1.0, 1.0, 1.0]}, [False, False, False]),
    ],
)
def test_has_point(columns, expected):
    events = pd.DataFrame(columns, index=[5, 6, 7])
    has = _has_point(events)
    assert (list(has.index), list(has)) == ([5, 6, 7], expected)


def _own_points(*rows):
    """Events with a point of their own and no place: (precision, lon, lat)."""
    return make_events(
        [
            {
                "event_id": f"p{n}",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "place_id": "",
                "geo_precision": precision,
                "lon": lon,
                "lat": lat,
                "place_name": f"Town {n}",
                "country": "AA",
            }
            for n, (precision, lon, lat) in enumerate(rows)
        ]
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (
            "admin1",
            [
                ("unit", "AA-1", "", ""),
                ("coarser", "", "\x00point\x1fTown 1\x1fAA\x1f0.25,0.25", "region"),
                ("outside", "", "", ""),
                ("unit", "AA-2", "", ""),
                ("coarser", "", "\x00point\x1fTown 4\x1fAA\x1f1.0,3.0", "country"),
                ("no_place", "", "", ""),
                ("unit", "AA-1", "", ""),
            ],
        ),
        (
            "country",
            [
                ("unit", "AA", "", ""),
                ("unit", "AA", "", ""),
                ("outside", "", "", ""),
                ("unit", "AA", "", ""),
                ("unit", "BB", "", ""),
                ("no_place", "", "", ""),
                ("unit", "AA", "", ""),
            ],
        ),
        (
            "valley",
            [
                ("outside", "", "", ""),
                ("coarser", "", "\x00point\x1fTown 1\x1fAA\x1f0.25,0.25", "region"),
                ("outside", "", "", ""),
                ("coarser", "", "\x00point\x1fTown 3\x1fAA\x1f1.0,1.5", "province"),
                ("coarser", "", "\x00point\x1fTown 4\x1fAA\x1f1.0,3.0", "country"),
                ("no_place", "", "", ""),
                ("outside", "", "", ""),
            ],
        ),
    ],
)
def test_unit_keys_of_own_points(level, expected):
    events = _own_points(
        ("near", 0.25, 0.25),
        ("region", 0.25, 0.25),
        ("exact", 10.0, 10.0),
        ("province", 1.5, 1.0),
        ("country", 3.0, 1.0),
        ("", None, None),  # no place and no point
        ("", 0.5, 0.25),  # no coding: as fine as a point
    )
    events.index = [9, 8, 7, 6, 5, 4, 3]
    keys = unit_keys(events, PLACES, REGIONS, level)
    assert list(keys.columns) == ["status", "region_id", "_place", "_precision"]
    assert list(keys.index) == [9, 8, 7, 6, 5, 4, 3]
    assert [tuple(r) for r in keys.itertuples(index=False)] == expected


# --- the units of a level -----------------------------------------------------------


def test_units_of_a_level_are_its_rows_numbered_from_zero():
    units = _units(REGIONS, "admin1")
    assert list(units.columns) == ["region_id", "name", "country", "geometry"]
    assert list(units.index) == [0, 1, 2]
    assert list(units["region_id"]) == ["AA-1", "AA-2", "BB-1"]
    assert list(units["name"]) == ["North A", "South A", "Only B"]
    assert list(units["country"]) == ["AA", "AA", "BB"]


@pytest.mark.parametrize("level", ["district", "", "Admin1"])
def test_an_unknown_level_is_refused_with_the_levels_named(level):
    message = "^level must be one of country, admin1, valley$"
    with pytest.raises(ValueError, match=message):
        _units(REGIONS, level)
    with pytest.raises(ValueError, match=message):
        place_units(PLACES, REGIONS, level)


# --- every place of the tiny world, with its share ------------------------------------


def _lat_share(south, north, low, high):
    """The share of a band of latitudes (low..high, in degrees) that lies between
    south and north, measured on an equal-area map: on the sphere the area
    between two latitudes grows with the difference of their sines (Archimedes),
    a plainer rule than the projection the code uses, equal to it within 1e-5 so
    near the equator."""
    sine = np.sin(np.radians([south, north, low, high]))
    return (sine[1] - sine[0]) / (sine[3] - sine[2])


# (place_id, point, status, region_id, share), in place_id order. The areas'
# shares are the share of their longitudes (a cylindrical equal-area map keeps
# them) times that of their latitudes.
PLACE_TABLES = {
    "admin1": [
        # Half of AA in AA-1, half in AA-2; it only touches BB-1.
        ("aa", False, "coarser", "", 0.5),
        ("border", True, "unit", "AA-2", 1.0),
        ("edge", True, "unit", "AA-1", 1.0),
        ("far", False, "outside", "", 0.0),
        ("in", True, "unit", "AA-1", 1.0),
        ("out", True, "outside", "", 0.0),
        ("p2", False, "unit", "AA-2", 1.0),
        # 0.5 of the vale's 2 degrees of longitude in AA-1, 1 in AA-2, 0.5 in BB-1.
        ("vale", False, "coarser", "", 0.5),
    ],
    "country": [
        ("aa", False, "unit", "AA", 1.0),
        ("border", True, "unit", "AA", 1.0),
        ("edge", True, "unit", "AA", 1.0),
        ("far", False, "outside", "", 0.0),
        ("in", True, "unit", "AA", 1.0),
        ("out", True, "outside", "", 0.0),
        ("p2", False, "unit", "AA", 1.0),
        ("vale", False, "coarser", "", 0.75),  # 1.5 of 2 degrees in AA
    ],
    "valley": [
        # x 0.5..2 of 0..2, y 0.5..1.5 of 0..2.
        ("aa", False, "coarser", "", 0.75 * _lat_share(0.5, 1.5, 0, 2)),
        ("border", True, "unit", "vale", 1.0),
        ("edge", True, "unit", "vale", 1.0),
        ("far", False, "outside", "", 0.0),
        ("in", True, "outside", "", 0.0),
        ("out", True, "outside", "", 0.0),
        ("p2", False, "coarser", "", _lat_share(0.5, 1.5, 0, 2)),  # x 1..2 all in
        ("vale", False, "unit", "vale", 1.0),
    ],
}


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("level", list(PLACE_TABLES))
def test_place_units_table(level, reverse):
    places = PLACES.iloc[::-1] if reverse else PLACES
    regions = REGIONS.iloc[::-1] if reverse else REGIONS
    table = place_units(places, regions, level)
    assert list(table.columns) == ["place_id", "point", "status", "region_id", "share"]
    assert list(table.index) == list(range(8))
    rows = [tuple(r) for r in table.drop(columns="share").itertuples(index=False)]
    expected = PLACE_TABLES[level]
    assert rows == [r[:4] for r in expected]
    assert table["share"].tolist() == pytest.approx([r[4] for r in expected], abs=1e-5)


def _world(units, places):
    """Regions of one level (admin1) and places, from (id, geometry) pairs."""
    regions = gpd.GeoDataFrame(
        {
            "region_id": [u[0] for u in units],
            "name": [f"Unit {u[0]}" for u in units],
            "level": ["admin1"] * len(units),
            "country": ["CC"] * len(units),
        },
        geometry=[u[1] for u in units],
        crs="EPSG:4326",
    )
    frame = gpd.GeoDataFrame(
        {"place_id": [p[0] for p in places]},
        geometry=[p[1] for p in places],
        crs="EPSG:4326",
    )
    return frame, regions


def test_a_place_in_two_overlapping_units_goes_to_the_first_region_id():
    # Two units drawn over each other (as two simplified outlines can overlap):
    # a point and an area inside both go to "A", whichever comes first.
    places, regions = _world(
        [("B", box(0, 0, 1, 1)), ("A", box(0, 0, 1, 1))],
        [("dot", Point(0.5, 0.5)), ("patch", box(0.25, 0.25, 0.75, 0.75))],
    )
    for order in (regions, regions.iloc[::-1]):
        table = place_units(places, order, "admin1")
        assert table[["place_id", "status", "region_id", "share"]].values.tolist() == [
            ["dot", "unit", "A", 1.0],
            ["patch", "unit", "A", 1.0],
        ]


def test_an_area_goes_to_the_unit_that_holds_most_of_it():
    # "wide" lies 3/4 in B and 1/4 in A; "mostly" 9/10 in A, exactly the share
    # that makes a unit hold a place; "touching" only shares an edge with B.
    places, regions = _world(
        [("A", box(0, 0, 9, 1)), ("B", box(9, 0, 10, 1))],
        [
            ("wide", box(8.5, 0, 10, 1)),
            ("mostly", box(0, 0, 10, 1)),
            ("touching", box(10, 0, 11, 1)),
        ],
    )
    table = place_units(places, regions, "admin1")
    rows = table[["place_id", "status", "region_id"]].values.tolist()
    assert rows == [
        ["mostly", "unit", "A"],
        ["touching", "outside", ""],
        ["wide", "coarser", ""],
    ]
    assert table["share"].tolist() == pytest.approx([0.9, 0.0, 1 / 1.5], abs=1e-9)
    assert table["share"].iloc[0] >= 0.9  # held, not just under


# --- which row each event is counted on -----------------------------------------------

# (status, region_id, _place, _precision) of tiny_events' e1..e9, from the drawing
# of tests/tiny_world.py; see TINY_TABLES there for why each goes where.
UNIT = "unit"
TINY_KEYS = {
    "admin1": [
        (UNIT, "AA-1", "", ""),  # e1 in
        (UNIT, "AA-1", "", ""),  # e2 on the AA-1/AA-2 edge
        (UNIT, "AA-2", "", ""),  # e3 p2, an area: its coding does not matter
        ("coarser", "", "aa", "country"),  # e4
        ("coarser", "", "vale", "region"),  # e5
        ("no_place", "", "", ""),  # e6
        ("outside", "", "", ""),  # e7 out
        (UNIT, "AA-2", "", ""),  # e8 border
        ("outside", "", "", ""),  # e9 far
    ],
    "country": [
        (UNIT, "AA", "", ""),
        (UNIT, "AA", "", ""),
        (UNIT, "AA", "", ""),
        (UNIT, "AA", "", ""),
        ("coarser", "", "vale", "region"),
        ("no_place", "", "", ""),
        ("outside", "", "", ""),
        (UNIT, "AA", "", ""),
        ("outside", "", "", ""),
    ],
    "valley": [
        ("outside", "", "", ""),
        (UNIT, "vale", "", ""),
        ("coarser", "", "p2", "province"),
        ("coarser", "", "aa", "country"),
        (UNIT, "vale", "", ""),
        ("no_place", "", "", ""),
        ("outside", "", "", ""),
        (UNIT, "vale", "", ""),
        ("outside", "", "", ""),
    ],
}


@pytest.mark.parametrize("level", list(TINY_KEYS))
def test_unit_keys_of_the_tiny_events(level):
    events = tiny_events()
    events.index = [90, 80, 70, 60, 50, 40, 30, 20, 10]
    keys = unit_keys(events, PLACES, REGIONS, level)
    assert list(keys.columns) == ["status", "region_id", "_place", "_precision"]
    assert list(keys.index) == [90, 80, 70, 60, 50, 40, 30, 20, 10]
    assert [tuple(r) for r in keys.itertuples(index=False)] == TINY_KEYS[level]
    assert {str(keys[c].dtype) for c in keys} == {"str"}
    units = event_units(events, PLACES, REGIONS, level)
    assert list(units.index) == [90, 80, 70, 60, 50, 40, 30, 20, 10]
    assert units.dtype == object
    assert list(units) == [k[1] for k in TINY_KEYS[level]]


def _named(*rows):
    """Events at named places: (place_id, geo_precision)."""
    return make_events(
        [
            {
                "event_id": f"n{n}",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "place_id": place,
                "geo_precision": precision,
            }
            for n, (place, precision) in enumerate(rows)
        ]
    )


@pytest.mark.parametrize(
    ("level", "place", "precision", "expected"),
    [
        # A point coded at province level is finer than an admin-1 unit...
        ("admin1", "in", "province", (UNIT, "AA-1", "", "")),
        # ... but not than a country in an admin-1 table, nor than the valley.
        ("admin1", "in", "region", ("coarser", "", "in", "region")),
        ("admin1", "in", "country", ("coarser", "", "in", "country")),
        ("valley", "border", "province", ("coarser", "", "border", "province")),
        ("valley", "border", "district", (UNIT, "vale", "", "")),
        ("country", "border", "country", (UNIT, "AA", "", "")),
        # No coding, or one the table does not know: as fine as a point.
        ("valley", "border", "", (UNIT, "vale", "", "")),
        ("valley", "border", "street", (UNIT, "vale", "", "")),
        # A place the places table does not have lies in no unit, however coded.
        ("admin1", "nowhere", "country", ("outside", "", "", "")),
        ("admin1", "nowhere", "exact", ("outside", "", "", "")),
        # An area's coding does not matter, only where it lies.
        ("admin1", "p2", "country", (UNIT, "AA-2", "", "")),
    ],
)
def test_unit_keys_of_a_named_place_and_its_coding(level, place, precision, expected):
    keys = unit_keys(_named((place, precision)), PLACES, REGIONS, level)
    assert [tuple(r) for r in keys.itertuples(index=False)] == [expected]


def test_unit_keys_of_missing_place_and_coding():
    events = _named(("in", "near"), ("in", "near"), ("in", "near"))
    events["place_id"] = pd.Series(["in", None, "in"], dtype=object)
    events["geo_precision"] = pd.Series(["near", "near", None], dtype=object)
    keys = unit_keys(events, PLACES, REGIONS, "valley")
    assert [tuple(r) for r in keys.itertuples(index=False)] == [
        ("outside", "", "", ""),
        ("no_place", "", "", ""),
        ("outside", "", "", ""),
    ]
    # An area coarser than the units with no coding: its row says none.
    events = _named(("aa", "country"), ("aa", "country"))
    events["geo_precision"] = pd.Series(["country", None], dtype=object)
    keys = unit_keys(events, PLACES, REGIONS, "admin1")
    assert [tuple(r) for r in keys.itertuples(index=False)] == [
        ("coarser", "", "aa", "country"),
        ("coarser", "", "aa", ""),
    ]


def test_unit_keys_of_named_places_and_own_points_together():
    # Named places, points of their own and no place, mixed and repeated: each
    # event keeps its own row, however the pairs and points are numbered.
    named = _named(
        ("edge", "exact"),
        ("aa", "country"),
        ("edge", "exact"),
        ("", ""),
        ("p2", "province"),
    )
    points = _named(("", "near"), ("", "region"), ("", "near"))
    points["lon"] = [3.0, 0.5, 0.5]
    points["lat"] = [1.0, 1.0, 0.5]
    points["place_name"] = ["B town", "Vague", "A town"]
    points["country"] = ["BB", "AA", "AA"]
    events = pd.concat(
        [named.iloc[:2], points.iloc[:1], named.iloc[2:], points.iloc[1:]]
    )
    events.index = range(100, 108)
    keys = unit_keys(events, PLACES, REGIONS, "admin1")
    assert list(keys.index) == list(range(100, 108))
    assert [tuple(r) for r in keys.itertuples(index=False)] == [
        (UNIT, "AA-1", "", ""),
        ("coarser", "", "aa", "country"),
        (UNIT, "BB-1", "", ""),
        (UNIT, "AA-1", "", ""),
        ("no_place", "", "", ""),
        (UNIT, "AA-2", "", ""),
        ("coarser", "", "\x00point\x1fVague\x1fAA\x1f1.0,0.5", "region"),
        (UNIT, "AA-1", "", ""),
    ]
    units = event_units(events, PLACES, REGIONS, "admin1")
    assert list(units) == ["AA-1", "", "BB-1", "AA-1", "", "AA-2", "", "AA-1"]


def test_unit_keys_of_no_event():
    keys = unit_keys(tiny_events().iloc[0:0], PLACES, REGIONS, "admin1")
    assert list(keys.columns) == ["status", "region_id", "_place", "_precision"]
    assert len(keys) == 0
    assert all(keys[c].dtype == object for c in keys)
    units = event_units(tiny_events().iloc[0:0], PLACES, REGIONS, "admin1")
    assert (len(units), units.dtype) == (0, object)
