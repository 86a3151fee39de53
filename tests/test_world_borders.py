"""The border check (``imu_geo.world.borders``) on a world of boxes written here
by hand, on the equator and at 60 degrees north, where the distances can be
worked out on paper: a degree of latitude is 111.32 km on the measure's plane
(:data:`KM_PER_DEGREE`), a degree of longitude that times the cosine of the
latitude (1 at the equator, 1/2 at 60 degrees), and past the limit the
great-circle distance on a sphere of 6,371 km.

    AA  x 0..1,  y -1..1   "Aland"
    BB  x 3..4,  y -1..1   "Bland"; its unit BB-X (x 1..1.5, y -1..-0.5) lies
                           outside both and is accepted for AA and CC ("also")
    NN  x 0..1,  y 59..61  "Northland"
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box, mapping

from imu_geo.world import borders
from imu_geo.world.borders import (
    INSIDE,
    NEAR_BORDER,
    OUTSIDE,
    UNCHECKED,
    BorderCheck,
    border_tolerance_km,
    check_borders,
    checked_countries,
    haversine_km,
)

R = 6371.0
DEGREE = 111.32  # km per degree on the measure's plane
ARC_DEGREE = R * math.pi / 180  # km per degree of a great circle
COS_61_1 = math.cos(math.radians(61.1))

COUNTRIES = [
    ("AA", "Aland", box(0, -1, 1, 1)),
    ("BB", "Bland", box(3, -1, 4, 1)),
    ("NN", "Northland", box(0, 59, 1, 61)),
]
UNITS = [
    ("BB-1", "BB", "", box(3, -1, 4, 1)),
    ("BB-X", "BB", "AA|CC", box(1, -1, 1.5, -0.5)),
]


def _feature(properties: dict, shape) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": mapping(shape)}


def _collection(features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("border_world")
    (directory / "countries.geojson").write_text(
        _collection(
            _feature({"region_id": c, "name": n, "level": "country", "country": c}, g)
            for c, n, g in COUNTRIES
        )
    )
    (directory / "admin1.geojson").write_text(
        _collection(
            _feature(
                {"region_id": r, "name": r, "level": "admin1", "country": c, "also": a},
                g,
            )
            for r, c, a, g in UNITS
        )
    )
    (directory / "countries.csv").write_text(
        "region_id,name,level,country,label_lat,label_lon\n"
        + "".join(f"{c},{n},country,{c},0,0\n" for c, n, _ in COUNTRIES)
    )
    return directory


def _allowance(tolerance, precision="", radius=0):
    words = f"the {tolerance} km allowed for the boundary's resolution (5 km)"
    if radius:
        words += f" and a place known to the {precision} level ({radius} km)"
    return words


# lon, lat, country, precision: status, distance_km, tolerance_km, note
CASES = [
    # Inside, and on the drawn line itself.
    (0.5, 0.0, "AA", "exact", INSIDE, 0.0, 5.0, ""),
    (1.0, 0.5, "AA", "exact", INSIDE, 0.0, 5.0, ""),
    (0.0, -1.0, "AA", "near", INSIDE, 0.0, 30.0, ""),
    # In a unit of another country that is accepted for this one.
    (1.25, -0.75, "AA", "exact", INSIDE, 0.0, 5.0, ""),
    # 0.04 degrees east of AA: 4.4528 km, within the boundary's 5 km.
    (
        1.04,
        0.0,
        "AA",
        "exact",
        NEAR_BORDER,
        4.5,
        5.0,
        "the point lies 4.5 km outside Aland's drawn boundary, within "
        f"{_allowance(5)}; kept",
    ),
    # 0.1 degrees east: 11.132 km, over 5 km but within 30 for "near".
    (
        1.1,
        0.0,
        "AA",
        "exact",
        OUTSIDE,
        11.1,
        5.0,
        f"the point lies 11 km outside Aland, more than {_allowance(5)}",
    ),
    (
        1.1,
        0.0,
        "AA",
        "near",
        NEAR_BORDER,
        11.1,
        30.0,
        "the point lies 11.1 km outside Aland's drawn boundary, within "
        f"{_allowance(30, 'near', 25)}; kept",
    ),
    # An unknown precision counts as exact; a blank one too.
    (
        1.1,
        0.0,
        "AA",
        "somewhere",
        OUTSIDE,
        11.1,
        5.0,
        f"the point lies 11 km outside Aland, more than {_allowance(5)}",
    ),
    (
        1.1,
        0.0,
        "AA",
        "",
        OUTSIDE,
        11.1,
        5.0,
        f"the point lies 11 km outside Aland, more than {_allowance(5)}",
    ),
    # Just within the tolerance: 29.99 km north of AA (29.99 / 111.32 degrees).
    (
        0.5,
        1 + 29.99 / DEGREE,
        "AA",
        "near",
        NEAR_BORDER,
        30.0,
        30.0,
        "the point lies 30.0 km outside Aland's drawn boundary, within "
        f"{_allowance(30, 'near', 25)}; kept",
    ),
    # 0.0849 degrees east: 9.451068 km on the plane, within the 10 km limit
    # (tolerance + 5 km), so measured there; the great circle would give 9.440.
    (
        1.0849,
        0.0,
        "AA",
        "exact",
        OUTSIDE,
        9.5,
        5.0,
        f"the point lies 9 km outside Aland, more than {_allowance(5)}",
    ),
    # 2 degrees west of AA: farther than the limit (tolerance + 5 km), so the
    # great-circle distance along the equator to AA's nearest point (0, 0).
    (
        -2.0,
        0.0,
        "AA",
        "exact",
        OUTSIDE,
        round(2 * ARC_DEGREE, 1),
        5.0,
        f"the point lies 222 km outside Aland, more than {_allowance(5)}",
    ),
    # 0.1 degrees of longitude east of NN at 60 degrees north: half of 11.132.
    (
        1.1,
        60.0,
        "NN",
        "exact",
        OUTSIDE,
        5.6,
        5.0,
        f"the point lies 6 km outside Northland, more than {_allowance(5)}",
    ),
    # 0.1698 degrees east of NN at 60 degrees north: 9.451068 km on the plane,
    # which reaches 10 km / 111.32 / cos 60 = 0.1797 degrees of longitude each
    # side of the point; the great circle would give 9.440.
    (
        1.1698,
        60.0,
        "NN",
        "exact",
        OUTSIDE,
        9.5,
        5.0,
        f"the point lies 9 km outside Northland, more than {_allowance(5)}",
    ),
    (
        1.1,
        60.0,
        "NN",
        "near",
        NEAR_BORDER,
        5.6,
        30.0,
        "the point lies 5.6 km outside Northland's drawn boundary, within "
        f"{_allowance(30, 'near', 25)}; kept",
    ),
    # No boundary for the country, or no point on earth: unchecked.
    (0.5, 0.0, "QQ", "exact", UNCHECKED, None, 5.0, ""),
    # CC has no outline, but a unit accepted for it: its points are checked there.
    (1.25, -0.75, "CC", "near", INSIDE, 0.0, 30.0, ""),
    (math.nan, 0.0, "AA", "exact", UNCHECKED, None, 5.0, ""),
    (0.5, math.inf, "AA", "exact", UNCHECKED, None, 5.0, ""),
    (180.5, 0.0, "AA", "exact", UNCHECKED, None, 5.0, ""),
    (-180.5, 0.0, "AA", "exact", UNCHECKED, None, 5.0, ""),
    (0.5, 90.5, "AA", "exact", UNCHECKED, None, 5.0, ""),
    (0.5, -90.5, "AA", "exact", UNCHECKED, None, 5.0, ""),
]


def _expected(status, distance, tolerance, note) -> BorderCheck:
    return BorderCheck(
        status, math.nan if distance is None else distance, tolerance, note
    )


def _same(found: BorderCheck, expected: BorderCheck) -> None:
    assert found.status == expected.status
    if math.isnan(expected.distance_km):
        assert math.isnan(found.distance_km)
    else:
        assert found.distance_km == pytest.approx(expected.distance_km, abs=1e-9)
    assert found.tolerance_km == expected.tolerance_km
    assert found.note == expected.note


@pytest.mark.parametrize(
    ("lon", "lat", "country", "precision", "status", "km", "tolerance", "note"), CASES
)
def test_one_point(folder, lon, lat, country, precision, status, km, tolerance, note):
    found = borders._check(lon, lat, country, precision, folder)
    _same(found, _expected(status, km, tolerance, note))
    assert found.kept == (status != OUTSIDE)


@pytest.mark.parametrize(
    ("lon", "lat", "country", "precision", "status", "km", "tolerance", "note"), CASES
)
def test_many_points_one_at_a_time(
    folder, lon, lat, country, precision, status, km, tolerance, note
):
    table = check_borders([lon], [lat], [country], [precision], folder)
    assert list(table.columns) == ["status", "distance_km", "tolerance_km", "note"]
    found = BorderCheck(*table.iloc[0])
    _same(found, _expected(status, km, tolerance, note))


@pytest.mark.parametrize("order", ["forwards", "backwards"])
def test_many_points_at_once_each_in_its_row(folder, order):
    cases = CASES if order == "forwards" else CASES[::-1]
    table = check_borders(
        np.array([c[0] for c in cases]),
        [c[1] for c in cases],
        [c[2] for c in cases],
        [c[3] for c in cases],
        str(folder),
    )
    assert len(table) == len(cases)
    for row, case in zip(table.itertuples(index=False), cases, strict=True):
        _same(BorderCheck(*row), _expected(*case[4:]))


def test_many_points_of_one_precision_given_once(folder):
    table = check_borders(
        [0.5, 1.1, 1.1], [0.0, 0.5, 60.0], ["AA", "AA", "NN"], "near", folder
    )
    assert table["status"].tolist() == [INSIDE, NEAR_BORDER, NEAR_BORDER]
    assert table["distance_km"].tolist() == [0.0, 11.1, 5.6]
    assert table["tolerance_km"].tolist() == [30.0, 30.0, 30.0]
    table = check_borders([1.1], [0.0], ["AA"], directory=folder)
    assert table["status"].tolist() == [OUTSIDE]
    assert table["tolerance_km"].tolist() == [5.0]


def test_a_missing_precision_counts_as_exact(folder):
    # None, as a column of the importer's holds where no precision was given,
    # next to a precision that is there: each row keeps its own tolerance.
    table = check_borders(
        [1.04, 1.1, 1.1, 1.04],
        [0.0, 0.0, 0.0, 0.0],
        ["AA"] * 4,
        [None, "near", None, "exact"],
        folder,
    )
    assert table["tolerance_km"].tolist() == [5.0, 30.0, 5.0, 5.0]
    assert table["status"].tolist() == [NEAR_BORDER, NEAR_BORDER, OUTSIDE, NEAR_BORDER]
    assert table["distance_km"].tolist() == [4.5, 11.1, 11.1, 4.5]
    table = check_borders([1.1], [0.0], ["AA"], [None], folder)
    assert table["tolerance_km"].tolist() == [5.0]
    assert table["status"].tolist() == [OUTSIDE]


def test_many_points_given_as_text_read_as_numbers(folder):
    # As check_border reads "69.27": the same rows, the coordinates as text.
    table = check_borders(
        ["0.5", "1.04", "1.1", "nan"],
        ("0", "0.0", "60", "0"),
        ["AA", "AA", "NN", "AA"],
        "exact",
        folder,
    )
    assert table["status"].tolist() == [INSIDE, NEAR_BORDER, OUTSIDE, UNCHECKED]
    assert table["distance_km"].tolist()[:3] == [0.0, 4.5, 5.6]


def test_no_point(folder):
    table = check_borders([], [], [], [], folder)
    assert list(table.columns) == ["status", "distance_km", "tolerance_km", "note"]
    assert len(table) == 0
    table = check_borders([], [], [], "near", folder)
    assert len(table) == 0


def test_the_countries_checked_are_those_with_an_accepted_area(folder):
    assert checked_countries(folder) == frozenset({"AA", "BB", "NN", "CC"})
    assert checked_countries(str(folder)) == frozenset({"AA", "BB", "NN", "CC"})


def test_the_bundled_world_checks_a_point_in_its_country():
    # Tashkent, 41 deg 18 min N, 69 deg 16 min E, in Uzbekistan.
    found = borders.check_border("69.27", "41.3", "UZ")
    assert found == BorderCheck(INSIDE, 0.0, 5.0)
    assert borders.check_border(69.27, 41.3, "XX", "near").status == UNCHECKED
    assert "UZ" in checked_countries()


@pytest.mark.parametrize(
    ("precision", "tolerance"),
    [
        ("exact", 5.0),
        ("near", 30.0),
        ("district", 55.0),
        ("province", 105.0),
        ("region", 205.0),
        ("country", 405.0),
        ("", 5.0),
        (None, 5.0),
        ("nowhere", 5.0),
    ],
)
def test_tolerance(precision, tolerance):
    assert border_tolerance_km(precision) == tolerance


@pytest.mark.parametrize(
    ("distance", "tolerance", "precision", "status", "note"),
    [
        (
            5.0,
            5.0,
            "exact",
            NEAR_BORDER,
            "the point lies 5.0 km outside Zed's drawn boundary, within "
            f"{_allowance(5)}; kept",
        ),
        (
            5.04,
            5.0,
            "exact",
            OUTSIDE,
            f"the point lies 5 km outside Zed, more than {_allowance(5)}",
        ),
        (
            104.5,
            105.0,
            "province",
            NEAR_BORDER,
            "the point lies 104.5 km outside Zed's drawn boundary, within "
            f"{_allowance(105, 'province', 100)}; kept",
        ),
        (
            405.5,
            405.0,
            "country",
            OUTSIDE,
            f"the point lies 406 km outside Zed, more than "
            f"{_allowance(405, 'country', 400)}",
        ),
        (
            12.25,
            12.5,
            "unknown",
            NEAR_BORDER,
            "the point lies 12.2 km outside Zed's drawn boundary, within "
            "the 12.5 km allowed for the boundary's resolution (5 km); kept",
        ),
    ],
)
def test_verdict_words(distance, tolerance, precision, status, note):
    assert borders._verdict(distance, tolerance, "Zed", precision) == (status, note)


def test_a_border_check_is_kept_unless_outside():
    assert BorderCheck(INSIDE, 0.0, 5.0).kept
    assert BorderCheck(NEAR_BORDER, 1.0, 5.0).kept
    assert BorderCheck(UNCHECKED, math.nan, 5.0).kept
    assert not BorderCheck(OUTSIDE, 9.0, 5.0).kept
    assert BorderCheck(INSIDE, 0.0, 5.0).note == ""


@pytest.mark.parametrize(
    ("lon1", "lat1", "lon2", "lat2", "km"),
    [
        (0.0, 0.0, 0.0, 0.0, 0.0),
        (10.0, 0.0, 10.0, 1.0, ARC_DEGREE),
        (0.0, 0.0, 1.0, 0.0, ARC_DEGREE),
        (0.0, 0.0, 90.0, 0.0, R * math.pi / 2),
        (0.0, 0.0, 180.0, 0.0, R * math.pi),
        (0.0, 90.0, 0.0, -90.0, R * math.pi),
        (-5.0, 0.0, 5.0, 0.0, 10 * ARC_DEGREE),
        # A degree of longitude at 60 degrees: 2 R asin(cos 60 sin 0.5 deg).
        (0.0, 60.0, 1.0, 60.0, 2 * R * math.asin(0.5 * math.sin(math.radians(0.5)))),
    ],
)
def test_haversine(lon1, lat1, lon2, lat2, km):
    assert haversine_km(lon1, lat1, lon2, lat2) == pytest.approx(
        km, rel=1e-12, abs=1e-9
    )
    assert haversine_km(lon2, lat2, lon1, lat1) == pytest.approx(
        km, rel=1e-12, abs=1e-9
    )


@pytest.mark.parametrize(
    ("lon", "lat", "limit", "km"),
    [
        # Within the limit: the plane's measure.
        (1.1, 0.0, 20.0, 0.1 * DEGREE),
        (0.5, -1.2, 30.0, 0.2 * DEGREE),
        (1.1, 60.0, 20.0, 0.05 * DEGREE),
        (0.5, 61.1, 20.0, 0.1 * DEGREE),
        (1.1, 61.1, 30.0, math.hypot(0.1 * COS_61_1, 0.1) * DEGREE),
        # Past the limit: the great circle to the nearest point.
        (1.1, 0.0, 10.0, 0.1 * ARC_DEGREE),
        (-2.0, 0.0, 10.0, 2 * ARC_DEGREE),
        (0.5, 63.0, 10.0, 2 * ARC_DEGREE),
    ],
)
def test_distance_to_one_area(lon, lat, limit, km):
    areas = {"AA": box(0, -1, 1, 1), "NN": box(0, 59, 1, 61)}
    area = areas["NN" if lat > 30 else "AA"]
    found = borders._distance_km(area, lon, lat, limit)
    assert found == pytest.approx(km, rel=1e-9)
    many = borders._distances_km(
        area, np.array([lon]), np.array([lat]), np.array([limit])
    )
    if km / DEGREE * DEGREE <= limit and found <= limit:
        assert many.tolist() == pytest.approx([km], rel=1e-9)
    else:
        assert np.isnan(many).all()


def test_distances_to_one_area_each_in_its_row():
    area = box(0, 59, 1, 61)
    lon = np.array([1.1, 3.0, 0.5, 1.2])
    lat = np.array([60.0, 60.0, 61.1, 60.0])
    limit = np.array([20.0, 20.0, 20.0, 5.0])
    found = borders._distances_km(area, lon, lat, limit)
    assert found[0] == pytest.approx(0.05 * DEGREE)
    assert np.isnan(found[1])  # two degrees away: nothing within the limit
    assert found[2] == pytest.approx(0.1 * DEGREE)
    assert np.isnan(found[3])  # 0.1 * 111.32 km > 5 km
    # Diagonally off AA's corner (1, 1): the square clipped around the point
    # (0.0898 degrees each side for 10 km) holds the corner, but the corner is
    # 0.08 * sqrt(2) degrees away, 12.6 km, past the limit: left to the caller.
    corner = borders._distances_km(
        box(0, -1, 1, 1), np.array([1.08, 1.05]), np.array([1.08, 1.0]),
        np.array([10.0, 10.0]),
    )  # fmt: skip
    assert np.isnan(corner[0])
    assert corner[1] == pytest.approx(0.05 * math.cos(math.radians(1.0)) * DEGREE)
    none = borders._distances_km(
        area, np.array([5.0]), np.array([0.0]), np.array([9.0])
    )
    assert np.isnan(none).all()
    assert (
        borders._distances_km(area, np.array([]), np.array([]), np.array([])).size == 0
    )


def test_on_earth_takes_the_edges_of_the_range():
    lon = np.array([180.0, -180.0, 0.0, 0.0, 180.001, 0.0, np.nan])
    lat = np.array([0.0, 0.0, 90.0, -90.0, 0.0, -90.001, 0.0])
    assert borders._on_earth(lon, lat).tolist() == [True] * 4 + [False] * 3


def test_many_points_in_the_bundled_world_by_default():
    table = check_borders(
        pd.Series([69.27, 0.5]), pd.Series([41.3, 0.0]), pd.Series(["UZ", "AA"])
    )
    assert table["status"].tolist() == [INSIDE, UNCHECKED]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(math.nan, 40.0), (70.0, math.nan), (math.inf, 40.0), (70.0, -math.inf)],
)
def test_a_point_that_is_not_a_finite_number_has_no_distance(lon, lat):
    # NaN as a longitude once sent the measure into a loop with no end.
    assert math.isnan(borders._distance_km(box(60, 35, 65, 45), lon, lat, 10.0))
