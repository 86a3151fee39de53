"""Which regions a dataset needs (``imu_geo.world.regions``), on the hand-drawn
world of ``tests/hand_world.py``: the expected regions are read off its drawing
(``ROWS`` below: its regions as ``regions.geojson`` has them, each label point
at its box's centre).
"""

from __future__ import annotations

import math
import warnings

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from imu_geo.world.regions import (
    REGION_COLUMNS,
    complete_regions,
    point_countries,
    regions_feature_collection,
    regions_for,
    regions_for_places,
)
from tests.hand_world import write_hand_world

NAN = math.nan

# region_id: (name, level, country, label_lat, label_lon), geometry
ROWS = {
    "AA": (("Aland", "country", "AA", 1.0, 1.0), box(0, 0, 2, 2)),
    "BB": (("Bland", "country", "BB", 1.0, 3.0), box(2, 0, 4, 2)),
    "CC": (("Cland", "country", "CC", 1.0, 11.0), box(10, 0, 12, 2)),
    "AA-1": (("Ay One", "admin1", "AA", 0.95, 0.5), box(0, 0, 1, 1.9)),
    "AA-2": (("Ay Two", "admin1", "AA", 0.95, 1.5), box(1, 0, 2, 1.9)),
    "BB-1": (("Bee One", "admin1", "BB", 0.95, 3.0), box(2, 0, 4, 1.9)),
    "BB-2": (("Bee Two", "admin1", "BB", 0.5, 10.5), box(10, 0, 11, 1)),
}
# The regions of each country: the country, then its units.
OF = {
    "AA": ["AA", "AA-1", "AA-2"],
    "BB": ["BB", "BB-1", "BB-2"],
    "CC": ["CC"],
}


def ids_of(*codes: str) -> list[str]:
    """The region ids of ``codes``' countries, as regions_for orders them:
    countries first, then units, each sorted by id."""
    chosen = sorted(codes)
    return chosen + sorted(r for c in chosen for r in OF[c][1:])


def assert_regions(frame: gpd.GeoDataFrame, ids: list[str]) -> None:
    assert list(frame.columns) == [*REGION_COLUMNS, "geometry"]
    assert list(frame.index) == list(range(len(ids)))
    assert frame.crs == "EPSG:4326"
    rows = [
        (r.region_id, r.name, r.level, r.country, r.label_lat, r.label_lon)
        for r in frame.itertuples(index=False)
    ]
    assert rows == [(i, *ROWS[i][0]) for i in ids]
    for geometry, region_id in zip(frame.geometry, ids, strict=True):
        assert shapely.equals(geometry, ROWS[region_id][1]), region_id


@pytest.fixture(scope="module")
def hand_world(tmp_path_factory):
    return write_hand_world(tmp_path_factory.mktemp("hand_world"))


# codes given, the countries whose regions come back
CODES = [
    ([], []),
    (["AA"], ["AA"]),
    (["CC"], ["CC"]),
    (["BB", "AA"], ["AA", "BB"]),
    # Split at "|", stripped, in capitals, repeated, empty parts left out.
    (["bb|aa"], ["AA", "BB"]),
    ([" aa | cc "], ["AA", "CC"]),
    (["AA", "aa", "AA|AA"], ["AA"]),
    (["|", "", " ", "||cc|"], ["CC"]),
    # No boundary: left out. Not text (a missing value): left out.
    (["ZZ", "AA-1"], []),
    (["ZZ|BB"], ["BB"]),
    ([None, NAN, "CC"], ["CC"]),
    (["AA", "BB", "CC"], ["AA", "BB", "CC"]),
]


@pytest.mark.parametrize(("codes", "countries"), CODES)
def test_regions_for(hand_world, codes, countries):
    assert_regions(regions_for(codes, hand_world), ids_of(*countries))


def test_regions_for_takes_any_iterable(hand_world):
    found = regions_for(iter(["cc", "AA"]), hand_world)
    assert_regions(found, ids_of("AA", "CC"))
    found = regions_for(pd.Series(["BB", None]), hand_world)
    assert_regions(found, ids_of("BB"))


# lon, lat, stated countries (None: none given), the countries found
POINT_COUNTRIES = [
    ([], [], None, set()),
    ([0.5], [1.0], ["AA"], {"AA"}),
    ([0.5], [1.0], None, {"AA"}),
    # Stated wrongly: found where it lies.
    ([3.0], [1.0], ["AA"], {"BB"}),
    # In CC's outline and BB's unit BB-2: CC when stated so (the outline is
    # tested alone), else where locate_points puts it (the unit's country).
    ([10.5], [0.5], ["CC"], {"CC"}),
    ([10.5], [0.5], [""], {"BB"}),
    ([10.5], [0.5], None, {"BB"}),
    ([10.5], [0.5], ["AA"], {"BB"}),
    # A stated country without a boundary.
    ([11.5], [1.5], ["ZZ"], {"CC"}),
    ([0.5], [1.95], ["ZZ"], {"AA"}),
    # A missing coordinate (None, as JSON gives it) is no point.
    ([None, 3.0], [1.0, None], ["AA", "BB"], set()),
    ([None, 3.0], [1.0, 1.0], [None, None], {"BB"}),
    # At sea, or not a point: nowhere.
    ([5.0], [1.0], [""], set()),
    ([5.0], [1.0], ["AA"], set()),
    ([NAN], [1.0], ["AA"], set()),
    ([0.5, math.inf], [NAN, 1.0], ["AA", "AA"], set()),
    # One stated country, one point in it and one not.
    ([0.5, 3.0], [1.0, 1.0], ["AA", "AA"], {"AA", "BB"}),
    ([5.0, 0.5], [1.0, 1.0], ["AA", "AA"], {"AA"}),
    ([10.5, 13.0], [0.5, 1.0], ["CC", "CC"], {"CC"}),
    # The same point twice, stated two ways.
    ([10.5, 10.5], [0.5, 0.5], ["CC", ""], {"BB", "CC"}),
    ([0.5, 0.5, 0.5], [1.0, 1.0, 1.0], ["AA", "AA", "AA"], {"AA"}),
    # Every way at once.
    (
        [0.5, 3.0, 10.5, 11.5, 5.0, NAN],
        [1.0, 1.0, 0.5, 1.5, 1.0, 1.0],
        ["AA", "BB", "", "ZZ", "", "AA"],
        {"AA", "BB", "CC"},
    ),
]


@pytest.mark.parametrize(("lon", "lat", "stated", "expected"), POINT_COUNTRIES)
def test_point_countries(hand_world, lon, lat, stated, expected):
    assert point_countries(lon, lat, stated, hand_world) == expected


def places_frame(rows: list[tuple[str, object]]) -> gpd.GeoDataFrame:
    """Places with the columns of ``places.geojson`` the regions read."""
    return gpd.GeoDataFrame(
        {
            "place_id": [f"p{i}" for i in range(len(rows))],
            "country": [r[0] for r in rows],
        },
        geometry=[r[1] for r in rows],
        crs="EPSG:4326",
    )


def points_frame(rows: list[tuple], country: bool = True) -> pd.DataFrame:
    """Events with a point of their own: lat, lon (as text, as read) and country."""
    frame = pd.DataFrame(
        {"lat": [r[0] for r in rows], "lon": [r[1] for r in rows]}, dtype=object
    )
    if country:
        frame["country"] = [r[2] for r in rows]
    return frame


# places (country, geometry), points (lat, lon, country) or None, countries
FOR_PLACES = [
    ([], None, []),
    ([("AA", Point(0.5, 1.0))], None, ["AA"]),
    # The country named and the country the point lies in.
    ([("AA", Point(3.0, 1.0))], None, ["AA", "BB"]),
    ([("", Point(3.0, 1.0))], None, ["BB"]),
    ([("ZZ", Point(50.0, 50.0))], None, []),
    # An area: where its representative point lies.
    ([("", box(11, 0, 12, 2))], None, ["CC"]),
    ([("", box(0.1, 0.1, 0.9, 0.9))], None, ["AA"]),
    ([("CC|aa", Point(5.0, 1.0))], None, ["AA", "CC"]),
    # Events' own points count: the country stated and the one they lie in.
    ([], [(1.0, 3.0, "AA")], ["AA", "BB"]),
    ([], [("1.0", "3.0", "AA")], ["AA", "BB"]),
    ([], [(0.5, 10.5, "")], ["BB"]),
    ([], [(0.5, 10.5, "CC")], ["CC"]),
    ([], [(0.5, 10.5, None)], ["BB"]),
    # A row without a point counts for nothing, its country neither.
    ([], [("", 3.0, "CC"), (None, None, "AA"), ("x", "y", "CC")], []),
    ([], [(NAN, 0.5, "CC"), (1.0, 3.0, "")], ["BB"]),
    (
        [("AA", Point(0.5, 1.0))],
        [(1.5, 11.5, "ZZ"), (1.0, 5.0, "")],
        ["AA", "CC"],
    ),
]


@pytest.mark.parametrize(("places", "points", "countries"), FOR_PLACES)
def test_regions_for_places(hand_world, places, points, countries):
    given = points_frame(points) if points is not None else None
    found = regions_for_places(places_frame(places), hand_world, given)
    assert_regions(found, ids_of(*countries))


def test_regions_for_places_of_points_without_a_country_column(hand_world):
    points = points_frame([(1.0, 3.0), (0.5, 10.5), (1.0, 5.0)], country=False)
    found = regions_for_places(places_frame([]), hand_world, points)
    assert_regions(found, ids_of("BB"))


def test_regions_for_places_of_no_points(hand_world):
    points = points_frame([])
    found = regions_for_places(places_frame([("", Point(0.5, 1))]), hand_world, points)
    assert_regions(found, ids_of("AA"))


# --- a dataset's regions completed with the world's ----------------------------

# A dataset's own regions: its country "AA", with an outline of its own that
# reaches past the world's AA into the world's BB (x 0..2.5), and one unit of
# it (x 0..1).
OWN = gpd.GeoDataFrame(
    {
        "region_id": ["AA", "own-1"],
        "name": ["Our A", "Our unit"],
        "level": ["country", "admin1"],
        "country": ["AA", "AA"],
        "label_lat": [1.0, 1.0],
        "label_lon": [1.25, 0.5],
    },
    geometry=[box(0, 0, 2.5, 2), box(0, 0, 1, 2)],
    crs="EPSG:4326",
)


# places, points, the world's regions added after OWN's (None: OWN itself)
COMPLETE = [
    ([], None, None),
    ([], [], None),
    ([("AA", Point(0.5, 1.0))], None, None),
    # On the outline of OWN's country: inside.
    ([("", Point(2.5, 1.0))], None, None),
    # In OWN's country, outside its unit, where the world has BB: inside, as
    # only the dataset's countries count.
    ([("", Point(2.2, 1.0))], None, None),
    ([], [(1.0, 2.2, "")], None),
    ([], [("1.0", "2.2", "BB")], None),
    ([("AA", Point(0.5, 1.0))], [(1.0, 0.5, "AA")], None),
    # Outside OWN's country, in the world's BB or CC: their regions come.
    ([("", Point(3.0, 1.0))], None, ids_of("BB")),
    ([("", Point(0.5, 1.0)), ("", Point(11.5, 1.0))], None, ids_of("CC")),
    ([], [(1.0, 3.0, "")], ids_of("BB")),
    # A point's stated country counts as well as the one it lies in.
    ([], [(1.0, 11.5, "BB")], ids_of("BB", "CC")),
    ([], [("1.0", "11.5", "")], ids_of("CC")),
    ([("", Point(0.5, 1.0))], [(1.0, 3.0, ""), (1.0, 0.5, "")], ids_of("BB")),
    # Naming AA outside AA: BB is added, AA is not again.
    ([("AA", Point(3.0, 1.0))], None, ids_of("BB")),
    # At sea, or rows without a point: nothing.
    ([("", Point(5.0, 1.0))], None, None),
    ([], [(NAN, 3.0, "BB"), ("", "", "CC"), ("x", "y", "CC")], None),
    ([], [("x", 3.0, "BB"), (1.0, "east", "BB"), (1.0, 3.0, "")], ids_of("BB")),
    ([], [(None, None, "BB")], None),
]


@pytest.mark.parametrize(("places", "points", "added"), COMPLETE)
def test_complete_regions(hand_world, places, points, added):
    given = points_frame(points) if points is not None else None
    found = complete_regions(OWN, places_frame(places), hand_world, given)
    if added is None:
        assert found is OWN
        return
    assert list(found.columns) == [*REGION_COLUMNS, "geometry"]
    assert list(found.index) == list(range(2 + len(added)))
    assert found.crs == "EPSG:4326"
    pd.testing.assert_frame_equal(
        pd.DataFrame(found.iloc[:2].drop(columns="geometry")),
        pd.DataFrame(OWN.drop(columns="geometry")),
    )
    extra = found.iloc[2:]
    rows = [
        (r.region_id, r.name, r.level, r.country, r.label_lat, r.label_lon)
        for r in extra.itertuples(index=False)
    ]
    assert rows == [(i, *ROWS[i][0]) for i in added]


def test_complete_regions_reads_shared_countries_as_covered(hand_world):
    # A region of two countries covers both: BB is not added for a place in it.
    shared = OWN.assign(country=["AA|BB", "AA"])
    places = places_frame([("", Point(3.0, 1.0))])
    assert complete_regions(shared, places, hand_world) is shared


def test_complete_regions_leaves_out_region_ids_the_dataset_has(hand_world):
    # The dataset names a region BB-1 (of its country XX): the world's BB-1 is
    # not added again, the rest of BB is.
    own = pd.concat(
        [OWN, OWN.iloc[[1]].assign(region_id="BB-1", country="XX")],
        ignore_index=True,
    )
    own = gpd.GeoDataFrame(own, geometry="geometry", crs="EPSG:4326")
    places = places_frame([("", Point(3.0, 1.0))])
    found = complete_regions(own, places, hand_world)
    assert list(found["region_id"]) == ["AA", "own-1", "BB-1", "BB", "BB-2"]


def test_complete_regions_when_nothing_new_can_be_added(hand_world):
    # The place lies in BB, whose regions the dataset has under its own ids
    # and countries: nothing to add, the same frame back.
    own = OWN.assign(country=["AA", "BB"])
    places = places_frame([("", Point(3.0, 1.0))])
    assert complete_regions(own, places, hand_world) is own


def test_complete_regions_without_a_country_of_its_own(hand_world):
    # Only a unit of AA: no outline to be inside, so every place is looked up.
    units = gpd.GeoDataFrame(OWN.iloc[[1]], geometry="geometry", crs="EPSG:4326")
    units = units.reset_index(drop=True)
    # A place in AA: AA is covered by the unit's country, nothing is added.
    places = places_frame([("", Point(0.5, 1.0))])
    assert complete_regions(units, places, hand_world) is units
    # A place in BB, and an event's point in CC: theirs are added.
    found = complete_regions(
        units,
        places_frame([("", Point(3.0, 1.0))]),
        hand_world,
        points_frame([(1.0, 11.5, "")]),
    )
    assert list(found["region_id"]) == ["own-1", *ids_of("BB", "CC")]
    found = complete_regions(
        units, places_frame([]), hand_world, points_frame([(1.0, 11.5, "")])
    )
    assert list(found["region_id"]) == ["own-1", *ids_of("CC")]


def test_complete_regions_keeps_the_datasets_crs_or_gives_the_worlds(hand_world):
    places = places_frame([("", Point(3.0, 1.0))])
    found = complete_regions(OWN, places, hand_world)
    assert found.crs == "EPSG:4326"
    # Shapes of their own, not OWN's column: that would bring OWN's CRS along.
    no_crs = gpd.GeoDataFrame(
        pd.DataFrame(OWN).assign(geometry=list(OWN.geometry)), geometry="geometry"
    )
    assert no_crs.crs is None
    # Given the world's CRS, said nowhere: a GeoJSON file's is always WGS 84.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = complete_regions(no_crs, places, hand_world)
    assert found.crs == "EPSG:4326"
    assert no_crs.crs is None  # the dataset's own frame is left as it was


def test_complete_regions_reads_only_the_points_columns(hand_world):
    points = points_frame([(1.0, 3.0, "")]).assign(other=["x"], lat=[1.0])
    found = complete_regions(OWN, places_frame([]), hand_world, points)
    assert list(found["region_id"]) == ["AA", "own-1", *ids_of("BB")]


# --- the GeoJSON written ----------------------------------------------------------


def test_regions_feature_collection_writes_rings_counter_clockwise():
    clockwise = Polygon([(0, 0), (0, 2), (2, 2), (2, 0)])
    with_hole = Polygon(
        [(10, 0), (14, 0), (14, 4), (10, 4)],
        [[(11, 1), (13, 1), (13, 3), (11, 3)]],  # counter-clockwise hole
    )
    frame = gpd.GeoDataFrame(
        {
            "region_id": ["AA", "AA-1"],
            "name": ["Aland", "Ay One"],
            "level": ["country", "admin1"],
            "country": ["AA", "AA"],
            "label_lat": [1.0, 0.5],
            "label_lon": [1.0, 11.5],
            "extra": ["left out", "left out"],
        },
        geometry=[clockwise, with_hole],
        crs="EPSG:4326",
    )
    collection = regions_feature_collection(frame)
    assert collection["type"] == "FeatureCollection"
    assert [f["type"] for f in collection["features"]] == ["Feature", "Feature"]
    assert [f["properties"] for f in collection["features"]] == [
        {
            "region_id": "AA",
            "name": "Aland",
            "level": "country",
            "country": "AA",
            "label_lat": 1.0,
            "label_lon": 1.0,
        },
        {
            "region_id": "AA-1",
            "name": "Ay One",
            "level": "admin1",
            "country": "AA",
            "label_lat": 0.5,
            "label_lon": 11.5,
        },
    ]
    first, second = (f["geometry"] for f in collection["features"])
    assert first["type"] == "Polygon"
    # The ring reversed: counter-clockwise (RFC 7946), from the same start.
    assert first["coordinates"] == [
        [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]]
    ]
    # The exterior already counter-clockwise; the hole made clockwise.
    assert second["coordinates"] == [
        [[10.0, 0.0], [14.0, 0.0], [14.0, 4.0], [10.0, 4.0], [10.0, 0.0]],
        [[11.0, 1.0], [11.0, 3.0], [13.0, 3.0], [13.0, 1.0], [11.0, 1.0]],
    ]


def test_regions_feature_collection_of_no_regions():
    empty = gpd.GeoDataFrame(
        {c: [] for c in REGION_COLUMNS}, geometry=[], crs="EPSG:4326"
    )
    assert regions_feature_collection(empty) == {
        "type": "FeatureCollection",
        "features": [],
    }
