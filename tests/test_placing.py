"""Placing imported rows (``imu_geo.importers.places.placing``).

Rows are placed against a gazetteer and country outlines written in the test:
squares whose distances are worked out by hand (a degree of latitude is
6371.0088 km x pi / 180 = 111.195 km), a few named places, and, for countries
the outlines leave out and names the gazetteer does not hold, the bundled
world's boundaries and gazetteer (``data/world``: Osh is GeoNames 1527534, in
Kyrgyzstan's Osh region, KG-O, GeoNames code KG.08, at 40.5283 N 72.7985 E).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from imu_geo.importers.crosswalk import _Crosswalk, _Issues, _Source, _text
from imu_geo.importers.places.gazetteer import Gazetteer
from imu_geo.importers.places.placing import (
    _admin1_known,
    _coarser,
    _coordinate,
    _located,
    _peek,
    _place_rows,
    _place_table,
    _Placed,
    _point_names,
    _which,
    _world_place,
)

KM_PER_DEGREE = 6371.0088 * math.pi / 180  # 111.195 km

# Country outlines: plain boxes (lon from, lat from, lon to, lat to).
COUNTRIES = {
    "UZ": box(56.0, 37.0, 73.0, 46.0),
    "KG": box(73.0, 39.0, 80.0, 43.0),
    "CN": box(80.0, 18.0, 135.0, 54.0),
}

TASHKENT_FEATURE = {
    "type": "Feature",
    "properties": {
        "place_id": "tashkent",
        "name": "Tashkent",
        "alt_names": "Toshkent",
        "kind": "city",
        "country": "UZ",
        "admin1": "UZ-TK",
        "geometry_source": "places.geojson",
    },
    "geometry": {"type": "Point", "coordinates": [69.2163, 41.2647]},
}
GAZETTEER_ROWS = [
    # Row 2: a city; row 3: a province; rows 4 and 5 share a name.
    {
        "name": "Andijan",
        "kind": "city",
        "lat": "40.7834",
        "lon": "72.3507",
        "country_iso2": "UZ",
        "source_1": "atlas",
    },
    {
        "name": "Batken",
        "kind": "province",
        "lat": "40.06",
        "lon": "74.5",
        "country_iso2": "KG",
        "source_1": "atlas",
    },
    {
        "name": "Chorsu",
        "kind": "city",
        "lat": "41.0",
        "lon": "60.0",
        "country_iso2": "UZ",
        "source_1": "a",
    },
    {
        "name": "Chorsu",
        "kind": "city",
        "lat": "41.5",
        "lon": "61.0",
        "country_iso2": "UZ",
        "source_1": "b",
    },
]
# Positions: 0 Tashkent, 1 Andijan, 2 Batken, 3 and 4 Chorsu.
GAZETTEER = Gazetteer.build([TASHKENT_FEATURE], GAZETTEER_ROWS)


def _cross(
    source: _Source,
    precision: list[str] | None = None,
    needs_place: list[bool] | None = None,
    native: pd.DataFrame | None = None,
) -> _Crosswalk:
    n = source.n
    blank = _text("", n)
    return _Crosswalk(
        source_id=blank,
        id_column="id",
        date_start=np.full(n, None, dtype=object),
        date_end=np.full(n, None, dtype=object),
        date_precision=np.full(n, "day", dtype=object),
        date_origin=np.full(n, "source", dtype=object),
        layer=blank,
        event_type=blank,
        geo_precision=_text(precision if precision is not None else ["near"] * n),
        actors=blank,
        target=blank,
        fatalities=(blank, blank, blank),
        title=blank,
        description=blank,
        source_quote=blank,
        notes=blank,
        lat_column="latitude",
        lon_column="longitude",
        place_name=source.stripped("location"),
        country=source.stripped("country"),
        needs_place=np.asarray(
            needs_place if needs_place is not None else [True] * n, dtype=bool
        ),
        native=native,
        admin1_column="admin1",
    )


def _rows(rows: list[dict]) -> pd.DataFrame:
    columns = ["latitude", "longitude", "location", "country", "admin1"]
    return pd.DataFrame(
        [dict.fromkeys(columns, "") | row for row in rows], columns=columns, dtype="str"
    )


def _place(rows: list[dict], precision=None, needs_place=None, gazetteer=GAZETTEER):
    source = _Source(_rows(rows))
    cross = _cross(source, precision, needs_place)
    issues = _Issues()
    notes: list[str] = []
    placed = _place_rows(cross, source, issues, gazetteer, COUNTRIES, notes, "a.csv")
    found = issues.frame()
    reported = [
        (int(p), a, c, r)
        for p, a, c, r in found.sort_values(["position", "order"], kind="stable")[
            ["position", "action", "column", "reason"]
        ].itertuples(index=False, name=None)
    ]
    return placed, reported, notes


PAIR = "latitude, longitude"


# --- _coarser, _coordinate, _point_names, _which, _located -----------------------


@pytest.mark.parametrize(
    ("first", "second", "coarser"),
    [
        ("exact", "near", "near"),
        ("near", "exact", "near"),
        ("region", "district", "region"),
        ("district", "country", "country"),
        ("province", "province", "province"),
        ("", "near", "near"),
        ("near", "", "near"),
        ("unknown", "city", "city"),
        ("country", "exact", "country"),
    ],
)
def test_coarser(first, second, coarser):
    assert _coarser(first, second) == coarser


@pytest.mark.parametrize(
    ("text", "value", "comma", "empty", "not_number", "not_finite"),
    [
        ("41.25", 41.25, False, False, False, False),
        ("-41,25", -41.25, True, False, False, False),
        ("+7,5", 7.5, True, False, False, False),
        ("41,2,5", None, False, False, True, False),
        ("1,000.5", None, False, False, True, False),
        # Only a whole number, a comma and digits is read with a decimal comma.
        ("1,5e3", None, False, False, True, False),
        (",5", None, False, False, True, False),
        ("", None, False, True, False, False),
        ("abc", None, False, False, True, False),
        ("nan", None, False, False, False, True),
        ("-NaN", None, False, False, False, True),
        ("+Inf", math.inf, False, False, False, True),
        ("-infinity", -math.inf, False, False, False, True),
        ("1e999", math.inf, False, False, False, True),
        ("1e2", 100.0, False, False, False, False),
        ("nanx", None, False, False, True, False),
    ],
)
def test_coordinate(text, value, comma, empty, not_number, not_finite):
    got = _coordinate(pd.Series(["0", text], dtype="str"))
    parsed = got[0][1]
    if value is None:
        assert math.isnan(parsed)
    else:
        assert parsed == value
    assert [bool(flags[1]) for flags in got[1:]] == [
        comma,
        empty,
        not_number,
        not_finite,
    ]
    assert [bool(flags[0]) for flags in got[1:]] == [False] * 4
    assert got[0][0] == 0.0


@pytest.mark.parametrize(
    ("names", "lat", "lon", "shown"),
    [
        (
            ["Osh", ""],
            [40.5, 41.26471],
            [72.8, -69.21634],
            ["Osh", "41.2647, -69.2163"],
        ),
        (
            ["", ""],
            [1.0, 0.00004],
            [2.5, 100.0],
            ["1.0000, 2.5000", "0.0000, 100.0000"],
        ),
        (["A", "B"], [np.nan, 1.0], [np.nan, 2.0], ["A", "B"]),
    ],
)
def test_point_names(names, lat, lon, shown):
    given_names = np.array(names, dtype=object)
    got = _point_names(given_names, np.array(lat), np.array(lon))
    assert list(got) == shown
    assert list(given_names) == names  # a copy is written, not the names


@pytest.mark.parametrize(
    ("ref", "which"),
    [
        ("geonames:1527534", "world gazetteer"),
        ("bundled:tashkent", "gazetteer"),
        ("gazetteer:2", "gazetteer"),
        ("xgeonames:1", "gazetteer"),
    ],
)
def test_which(ref, which):
    assert _which(ref) == which


def test_located_names_a_world_place_and_its_geonames_id():
    places = pd.DataFrame(
        {
            "ref": ["bundled:tashkent", "geonames:1527534", "geonames:7:8"],
            "where": ["", "Osh, KG", "Here"],
        },
        index=[0, 1, 2],
    )
    assert _located(places, 0) == ""
    assert _located(places, 1) == " (Osh, KG; GeoNames 1527534)"
    assert _located(places, 2) == " (Here; GeoNames 7:8)"


# --- _peek ---------------------------------------------------------------------


def test_peek_reads_a_column_without_counting_it():
    frame = pd.DataFrame(
        {"Admin1": [" Osh ", "NA", "", " NULL "], "x": ["1", "2", "3", "4"]},
        index=[10, 11, 12, 13],
        dtype="str",
    )
    source = _Source(frame)
    got = _peek(source, "admin1")
    assert got.tolist() == ["Osh", "", "", ""]
    assert list(got.index) == [0, 1, 2, 3]
    assert source.read == set()
    assert source.markers == {}
    assert _peek(source, "").tolist() == ["", "", "", ""]
    assert _peek(source, "province").tolist() == ["", "", "", ""]


# --- the world gazetteer ---------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "admin1", "known"),
    [
        ("KG", "KG-O", True),
        ("KG", "kg-o", True),
        ("KG", "KG.08", True),
        ("KG", "kg.08", True),
        ("KG", "Osh", True),
        ("KG", "  osh ", True),
        ("KG", "Batken", True),
        ("KG", "Nowhere", False),
        ("UZ", "KG-O", False),
        ("UZ", "Osh", False),
        ("KG", "", False),
        ("KG", "!!", False),
    ],
)
def test_admin1_known(country, admin1, known):
    assert _admin1_known(country, admin1) is known


OSH_NOTE = (
    "; the admin-1 {!r} is not a unit the world gazetteer knows in Kyrgyzstan, "
    "so the name was looked up in the country alone"
)


@pytest.mark.parametrize(
    ("admin1", "note"),
    [
        ("", ""),
        ("Osh", ""),
        ("KG-O", ""),
        (" Osh ", ""),
        ("Nowhere", OSH_NOTE.format("Nowhere")),
        ("  Nowhere  ", OSH_NOTE.format("Nowhere")),
        ("Osh (Och)", ""),
        ("Och (Osh)", ""),
        ("Nowhere (Neverland)", OSH_NOTE.format("Nowhere (Neverland)")),
    ],
)
def test_world_place_narrowed_by_a_known_admin1(admin1, note):
    place, said = _world_place("Osh", "KG", admin1)
    assert (place.geonameid, place.name, place.country) == (1527534, "Osh", "KG")
    assert (place.admin1, place.lat, place.lon) == ("KG-O", 40.5283, 72.7985)
    assert said == note


def test_world_place_refusals():
    place, why = _world_place("Osh", "KG", "Batken")
    assert place is None
    assert why.startswith("names no place in Kyrgyzstan in the admin-1 unit 'Batken'")
    place, why = _world_place("Nowhere Town Xyz", "KG", "")
    assert (place, why) == (None, "is not in the world gazetteer")
    # No country: the admin-1 is not looked for, and the note says so.
    place, why = _world_place("Osh", "", "Nowhere")
    assert (place.geonameid, why) == (
        1527534,
        "; the row names no country, so its admin-1 'Nowhere' was not used and the "
        "name was looked up in the whole world",
    )
    place, why = _world_place("Osh", "", " ")
    assert (place.geonameid, why) == (1527534, "")


# --- _place_rows: own points -------------------------------------------------------


def test_a_point_inside_its_country_is_kept_as_given():
    placed, reported, notes = _place(
        [
            {"latitude": "41.26471", "longitude": "69.21634", "country": "Uzbekistan"},
            {"latitude": "41", "longitude": "75", "country": "KG"},
            {"latitude": "40", "longitude": "100", "country": "china"},
        ]
    )
    assert reported == []
    assert notes == []
    assert placed.lat.tolist() == [41.2647, 41.0, 40.0]
    assert placed.lon.tolist() == [69.2163, 75.0, 100.0]
    assert placed.country.tolist() == ["UZ", "KG", "CN"]
    assert placed.has_place.tolist() == [True, True, True]
    assert placed.gazetteer_position.tolist() == [-1, -1, -1]
    assert placed.geo_precision.tolist() == ["near"] * 3
    assert placed.gazetteer is GAZETTEER


def test_a_decimal_comma_is_read_and_said():
    placed, reported, _ = _place(
        [{"latitude": "41,5", "longitude": "65,25", "country": "UZ"}]
    )
    assert reported == [
        (0, "repaired", "latitude", "'41,5' read as 41.5 (decimal comma)"),
        (0, "repaired", "longitude", "'65,25' read as 65.25 (decimal comma)"),
    ]
    assert (placed.lat[0], placed.lon[0]) == (41.5, 65.25)


@pytest.mark.parametrize(
    ("lat", "precision", "reason"),
    [
        # 0.02 degrees north of the box: 2.2 km, within 3.7 km for "near".
        (
            "46.02",
            "near",
            "the point lies 2.2 km outside Uzbekistan's outline, within the 3.7 km "
            "allowed for a near-precision point; kept",
        ),
        (
            "46.0003",
            "exact",
            "the point lies less than 0.1 km outside Uzbekistan's outline, within "
            "the 3.7 km allowed for an exact-precision point; kept",
        ),
        # 0.05 degrees: 5.6 km, within the 7.4 km of a region's point.
        (
            "46.05",
            "region",
            "the point lies 5.6 km outside Uzbekistan's outline, within the 7.4 km "
            "allowed for a region-precision point; kept",
        ),
        (
            "46.02",
            "",
            "the point lies 2.2 km outside Uzbekistan's outline, within the 3.7 km "
            "allowed for an unknown-precision point; kept",
        ),
        (
            "46.02",
            "somewhere",
            "the point lies 2.2 km outside Uzbekistan's outline, within the 3.7 km "
            "allowed for a somewhere-precision point; kept",
        ),
        # A precision the tables do not know, said as it is, with its article.
        (
            "46.02",
            "XL",
            "the point lies 2.2 km outside Uzbekistan's outline, within the 3.7 km "
            "allowed for a XL-precision point; kept",
        ),
    ],
)
def test_a_point_just_over_the_border_is_kept_and_said(lat, precision, reason):
    placed, reported, _ = _place(
        [{"latitude": lat, "longitude": "65", "country": "UZ"}], precision=[precision]
    )
    assert reported == [(0, "repaired", PAIR, reason)]
    assert placed.has_place.tolist() == [True]
    assert placed.lat[0] == float(lat)


def test_the_outlines_resolution_sets_the_tolerance():
    # Outlines drawn to 1 km: a near point 2.2 km out (0.02 degrees) is over.
    source = _Source(_rows([{"latitude": "46.02", "longitude": "65", "country": "UZ"}]))
    issues = _Issues()
    placed = _place_rows(
        _cross(source), source, issues, GAZETTEER, COUNTRIES, [], "a.csv", 1.0
    )
    assert placed.has_place.tolist() == [False]
    assert issues.frame()["reason"].tolist() == [
        "latitude 46.02, longitude 65 lies 2.2 km outside Uzbekistan (more than the "
        "1 km allowed), and swapping them does not put it inside"
    ]


def test_a_point_over_the_tolerance_is_rejected():
    # 0.05 degrees north: 5.6 km, more than the 3.7 km of a near point; swapped,
    # the point is at 65 N, far outside.
    placed, reported, _ = _place(
        [
            {"latitude": "46.05", "longitude": "65", "country": "UZ"},
            {"latitude": "46.05", "longitude": "65", "country": "UZ", "location": "X"},
        ],
        needs_place=[True, True],
    )
    reason = (
        "latitude 46.05, longitude 65 lies 5.6 km outside Uzbekistan (more than the "
        "3.7 km allowed), and swapping them does not put it inside"
    )
    assert reported == [(0, "rejected", PAIR, reason), (1, "rejected", PAIR, reason)]
    assert placed.has_place.tolist() == [False, False]
    assert placed.gazetteer_position.tolist() == [-1, -1]


def test_a_large_distance_is_written_with_thousands():
    # From 80 N down to the box's 46 N: 34 degrees, 3,780.6 km.
    _, reported, _ = _place([{"latitude": "80", "longitude": "65", "country": "UZ"}])
    assert reported == [
        (
            0,
            "rejected",
            PAIR,
            "latitude 80, longitude 65 lies 3,780.6 km outside Uzbekistan (more than "
            "the 3.7 km allowed), and swapping them does not put it inside",
        )
    ]


@pytest.mark.parametrize(
    ("lat", "lon", "country", "new"),
    [
        ("65.5", "41.2", "UZ", (41.2, 65.5)),
        ("75.5", "41", "KG", (41.0, 75.5)),
        # Out of range as given (latitude 100), inside China swapped.
        ("100", "40", "CN", (40.0, 100.0)),
        ("-100", "40", "CN", None),
    ],
)
def test_a_swapped_pair_that_lands_inside_is_repaired(lat, lon, country, new):
    placed, reported, _ = _place(
        [{"latitude": lat, "longitude": lon, "country": country}]
    )
    if new is None:
        assert reported == [
            (
                0,
                "rejected",
                PAIR,
                f"latitude {lat}, longitude {lon} is out of range (latitude runs -90 "
                "to 90, longitude -180 to 180)",
            )
        ]
        assert placed.has_place.tolist() == [False]
        return
    name = {"UZ": "Uzbekistan", "KG": "Kyrgyzstan", "CN": "China"}[country]
    assert reported == [
        (
            0,
            "repaired",
            PAIR,
            f"latitude and longitude were swapped: latitude {lat}, longitude {lon} "
            f"lies outside {name}, the swapped point inside it",
        )
    ]
    assert (placed.lat[0], placed.lon[0]) == new
    assert placed.has_place.tolist() == [True]


def test_a_swapped_pair_just_over_the_border_is_kept_and_said():
    # Swapped: 46.02 N 65 E, 2.2 km north of the box.
    placed, reported, _ = _place(
        [{"latitude": "65", "longitude": "46.02", "country": "UZ"}]
    )
    assert [r[3] for r in reported] == [
        "latitude and longitude were swapped: latitude 65, longitude 46.02 lies "
        "outside Uzbekistan, the swapped point inside it",
        "the point lies 2.2 km outside Uzbekistan's outline, within the 3.7 km "
        "allowed for a near-precision point; kept",
    ]
    assert (placed.lat[0], placed.lon[0]) == (46.02, 65.0)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [("95", "65"), ("45", "200"), ("-91", "0.5"), ("45", "-181")],
)
def test_out_of_range_is_rejected(lat, lon):
    placed, reported, _ = _place([{"latitude": lat, "longitude": lon, "country": "UZ"}])
    assert reported == [
        (
            0,
            "rejected",
            PAIR,
            f"latitude {lat}, longitude {lon} is out of range (latitude runs -90 to "
            "90, longitude -180 to 180)",
        )
    ]
    assert placed.has_place.tolist() == [False]


@pytest.mark.parametrize(
    ("lat", "lon", "kept"),
    [
        ("90", "180", True),
        ("-90", "-180", True),
        ("90.00001", "0.5", True),  # rounds to 90.0
        ("95", "65", False),
    ],
)
def test_the_range_without_a_country(lat, lon, kept):
    placed, reported, notes = _place([{"latitude": lat, "longitude": lon}])
    # No country named: none to say is unmapped.
    assert notes == []
    assert placed.has_place.tolist() == [kept]
    assert len(reported) == (not kept)
    assert placed.country.tolist() == [""]


def test_one_coordinate_at_zero_is_a_location():
    placed, reported, _ = _place(
        [{"latitude": "0", "longitude": "10"}, {"latitude": "10", "longitude": "0"}]
    )
    assert reported == []
    assert placed.has_place.tolist() == [True, True]
    assert placed.lat.tolist() == [0.0, 10.0]


def test_a_country_without_an_outline_or_a_code_is_not_checked():
    placed, reported, notes = _place(
        [
            # The world has no outline called ZZ, and Narnia is no country.
            {"latitude": "10", "longitude": "10", "country": "ZZ"},
            {"latitude": "10", "longitude": "10", "country": "Narnia"},
            {"latitude": "12", "longitude": "10", "country": "Narnia"},
            {"latitude": "10", "longitude": "10", "country": "Atlantis"},
        ]
    )
    assert reported == []
    assert placed.has_place.tolist() == [True] * 4
    assert placed.country.tolist() == ["ZZ", "", "", ""]
    assert notes == [
        "a.csv: country names not mapped to an ISO code, so their places have no "
        "country and are not checked against a border: Atlantis, Narnia"
    ]


def test_more_than_ten_unmapped_countries_are_cut_short():
    names = [f"Nowhereland {chr(ord('A') + i)}" for i in range(11)]
    _, _, notes = _place(
        [{"country": n, "latitude": "1", "longitude": "1"} for n in names]
    )
    assert notes == [
        "a.csv: country names not mapped to an ISO code, so their places have no "
        "country and are not checked against a border: "
        + ", ".join(names[:10])
        + ", ..."
    ]
    _, _, notes = _place(
        [{"country": n, "latitude": "1", "longitude": "1"} for n in names[:10]]
    )
    assert notes[0].endswith(": " + ", ".join(names[:10]))


def test_the_worlds_outlines_check_countries_without_one_of_their_own():
    # Dushanbe lies inside Tajikistan; 10 N 10 E lies far from it.
    placed, reported, _ = _place(
        [
            {"latitude": "38.5598", "longitude": "68.787", "country": "TJ"},
            {"latitude": "10", "longitude": "10", "country": "Tajikistan"},
        ]
    )
    assert placed.has_place.tolist() == [True, False]
    assert len(reported) == 1
    position, action, column, reason = reported[0]
    assert (position, action, column) == (1, "rejected", PAIR)
    # The world's check gives the tolerance (its boundaries are coarser).
    assert reason.startswith("latitude 10, longitude 10 lies ")
    assert " km outside Tajikistan (more than the " in reason
    assert "3.7 km" not in reason
    assert reason.endswith(" km allowed), and swapping them does not put it inside")


def test_the_worlds_note_is_the_reason_near_its_border():
    # The world's own outline of Tajikistan: its southernmost corner, moved
    # 0.01 degrees (1.1 km) south, is just over the line it draws.
    from imu_geo import world

    outline = world.countries().set_index("country").loc["TJ", "geometry"]
    lon, lat = min(shapely.get_coordinates(outline.boundary), key=lambda p: p[1])
    lat = round(lat - 0.01, 4)
    lon = round(lon, 4)
    placed, reported, _ = _place(
        [{"latitude": str(lat), "longitude": str(lon), "country": "TJ"}]
    )
    assert placed.has_place.tolist() == [True]
    (row,) = reported
    assert row[:3] == (0, "repaired", PAIR)
    assert row[3].startswith("the point lies ")
    assert "Tajikistan's drawn boundary" in row[3]
    assert row[3].endswith("; kept")


# --- _place_rows: rows looked up by name ---------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "cause"),
    [
        ("", "", "no coordinates"),
        ("", "65", "latitude is empty"),
        ("41", "", "longitude is empty"),
        ("abc", "65", "latitude 'abc' is not a number"),
        ("41", "abc", "longitude 'abc' is not a number"),
        ("x", "y", "latitude 'x' is not a number"),
        ("x", "", "latitude 'x' is not a number"),
        ("", "y", "longitude 'y' is not a number"),
        ("NAN", "65", "latitude 'NAN' is not a finite number"),
        # "nan" is a marker for an empty cell.
        ("nan", "65", "latitude is empty"),
        ("41", "-Inf", "longitude '-Inf' is not a finite number"),
        ("1e999", "65", "latitude '1e999' is not a finite number"),
        ("inf", "y", "latitude 'inf' is not a finite number"),
        ("x", "inf", "latitude 'x' is not a number"),
        ("0", "0", "(0, 0) is not a location"),
        ("0,0", "-0", "(0, 0) is not a location"),
    ],
)
def test_a_row_without_a_point_is_placed_by_name(lat, lon, cause):
    rows = [
        {"latitude": lat, "longitude": lon, "location": "Tashkent", "country": "UZ"},
        {"latitude": lat, "longitude": lon},
    ]
    placed, reported, _ = _place(rows)
    placed_from = f"{cause}; placed from the gazetteer: Tashkent"
    no_name = f"{cause}, and no place name to look up"
    assert [r for r in reported if r[2] == PAIR] == [
        (0, "repaired", PAIR, placed_from),
        (1, "rejected", PAIR, no_name),
    ]
    assert placed.lat.tolist()[0] == 41.2647
    assert placed.lon.tolist()[0] == 69.2163
    assert placed.gazetteer_position.tolist() == [0, -1]
    assert placed.has_place.tolist() == [True, False]
    assert placed.country.tolist() == ["UZ", ""]


def test_a_place_found_by_name_gives_its_point_precision_and_country():
    rows = [
        {"location": "Andijan"},
        {"location": "Batken", "country": "Kyrgyzstan"},
        {"location": "Batken", "country": "KG"},
        {"location": "toshkent"},
    ]
    placed, reported, _ = _place(
        rows, precision=["exact", "district", "region", "somewhere"]
    )
    assert placed.gazetteer_position.tolist() == [1, 2, 2, 0]
    assert placed.lat.tolist() == [40.7834, 40.06, 40.06, 41.2647]
    assert placed.lon.tolist() == [72.3507, 74.5, 74.5, 69.2163]
    # The coarser of the row's precision and the place's.
    assert placed.geo_precision.tolist() == ["near", "province", "region", "near"]
    assert placed.country.tolist() == ["UZ", "KG", "KG", "UZ"]
    assert [r[3] for r in reported] == [
        "no coordinates; placed from the gazetteer: Andijan",
        "no coordinates; placed from the gazetteer: Batken",
        "no coordinates; placed from the gazetteer: Batken",
        "no coordinates; placed from the gazetteer: Tashkent",
    ]


def test_rows_that_need_no_place_are_not_looked_up():
    placed, reported, _ = _place(
        [{"location": "Tashkent"}, {"location": ""}, {"location": "Tashkent"}],
        needs_place=[False, False, True],
    )
    assert [r[0] for r in reported] == [2]
    assert placed.gazetteer_position.tolist() == [-1, -1, 0]
    assert placed.has_place.tolist() == [False, False, True]
    assert math.isnan(placed.lat[0])


def test_a_name_the_gazetteers_refuse_is_rejected_with_why():
    placed, reported, _ = _place(
        [
            {"location": "Chorsu"},
            {"location": "Andijan", "country": "KG"},
            {"location": "Nowhere Town Xyz", "latitude": "0", "longitude": "0"},
        ]
    )
    assert placed.has_place.tolist() == [False, False, False]
    assert placed.gazetteer_position.tolist() == [-1, -1, -1]
    first, second, third = (r[3] for r in reported)
    assert [r[:3] for r in reported] == [(i, "rejected", PAIR) for i in range(3)]
    assert first.startswith(
        "no coordinates, and 'Chorsu' names more than one place in the gazetteer: "
        "Chorsu (UZ), Chorsu (UZ); and in the world gazetteer it "
    )
    assert second.startswith(
        "no coordinates, and 'Andijan' is in the gazetteer only outside Kyrgyzstan: "
        "Andijan (UZ); and in the world gazetteer it "
    )
    assert third == (
        "(0, 0) is not a location, and 'Nowhere Town Xyz' is not in the world gazetteer"
    )


def test_a_name_only_the_world_knows_is_placed_from_it():
    rows = [
        {"location": "Osh", "country": "Kyrgyzstan"},
        {"location": "Tashkent"},
        {"location": "Osh", "country": "KG", "admin1": "Osh"},
        {"location": "Osh", "country": "KG", "admin1": "Nowhere"},
        {"location": "Nowhere Town Xyz"},
    ]
    placed, reported, _ = _place(rows, precision=["exact", "near", "region", "", ""])
    n = len(GAZETTEER.places)
    assert placed.gazetteer_position.tolist() == [n, 0, n, n, -1]
    assert placed.has_place.tolist() == [True, True, True, True, False]
    assert placed.lat.tolist()[:4] == [40.5283, 41.2647, 40.5283, 40.5283]
    assert placed.lon.tolist()[:4] == [72.7985, 69.2163, 72.7985, 72.7985]
    assert placed.geo_precision.tolist() == ["near", "near", "region", "near", ""]
    assert placed.country.tolist()[:4] == ["KG", "UZ", "KG", "KG"]
    osh = (
        "no coordinates; placed from the world gazetteer: Osh (Osh, KG; "
        "GeoNames 1527534)"
    )
    assert [r[3] for r in reported] == [
        osh,
        "no coordinates; placed from the gazetteer: Tashkent",
        osh,
        osh + OSH_NOTE.format("Nowhere"),
        "no coordinates, and 'Nowhere Town Xyz' is not in the world gazetteer",
    ]
    # The gazetteer the positions index: the given one and the place added.
    gazetteer = placed.gazetteer
    assert gazetteer is not GAZETTEER
    assert len(GAZETTEER.places) == n
    assert len(gazetteer.places) == n + 1
    assert gazetteer.index is GAZETTEER.index
    added = gazetteer.places.iloc[n].to_dict()
    geometry = added.pop("geometry")
    assert (geometry.x, geometry.y) == (72.7985, 40.5283)
    assert added == {
        "ref": "geonames:1527534",
        "place_id": "geonames-1527534",
        "name": "Osh",
        "alt_names": "",
        "kind": "city",
        "country": "KG",
        "admin1": "KG-O",
        "precision": "near",
        "lon": 72.7985,
        "lat": 40.5283,
        "geometry_source": "GeoNames 1527534 (Osh, Osh, KG), from the world "
        "gazetteer (GeoNames, CC BY 4.0)",
        "where": "Osh, KG",
    }
    assert gazetteer.places["where"].tolist()[:n] == [""] * n
    pd.testing.assert_frame_equal(
        gazetteer.places.iloc[:n].drop(columns="where"), GAZETTEER.places
    )


def test_two_world_places_are_added_once_each():
    # After a name neither gazetteer holds, which does not stop the others.
    rows = [
        {"location": "Nowhere Town Xyz", "country": "KG"},
        {"location": "Uzgen", "country": "KG"},
        {"location": "Osh", "country": "KG"},
        {"location": "Uzgen", "country": "KG"},
    ]
    placed, _, _ = _place(rows)
    n = len(GAZETTEER.places)
    assert placed.gazetteer_position.tolist() == [-1, n, n + 1, n]
    assert placed.gazetteer.places["name"].tolist()[n:] == ["Uzgen", "Osh"]
    assert placed.gazetteer.places["ref"].tolist()[n:] == [
        "geonames:1527513",
        "geonames:1527534",
    ]


def test_an_empty_gazetteer_places_from_the_world():
    empty = Gazetteer.build([], [])
    placed, reported, _ = _place(
        [{"location": "Osh", "country": "KG"}], gazetteer=empty
    )
    assert placed.gazetteer_position.tolist() == [0]
    assert reported[0][3] == (
        "no coordinates; placed from the world gazetteer: Osh (Osh, KG; GeoNames "
        "1527534)"
    )


# --- _place_table -------------------------------------------------------------


def _table(
    rows: list[dict],
    lat: list[float],
    lon: list[float],
    position: list[int],
    country: list[str],
    precision: list[str],
    has_place: list[bool] | None = None,
    native: pd.DataFrame | None = None,
    keep: list[int] | None = None,
    fmt: str = "acled",
):
    source = _Source(_rows(rows))
    cross = _cross(source, precision, native=native)
    placed = _Placed(
        lat=np.array(lat, dtype=float),
        lon=np.array(lon, dtype=float),
        gazetteer_position=np.array(position, dtype=np.int64),
        geo_precision=np.array(precision, dtype=object),
        country=np.array(country, dtype=object),
        has_place=np.array(
            has_place if has_place is not None else [True] * len(rows), dtype=bool
        ),
    )
    k = np.arange(len(rows)) if keep is None else np.array(keep, dtype=np.int64)
    return _place_table(fmt, "a.csv", cross, placed, GAZETTEER, k)


def _properties(table) -> list[dict]:
    columns = ["place_id", "name", "alt_names", "kind", "country", "admin1"]
    return table.places[[*columns, "geometry_source", "note"]].to_dict("records")


def test_rows_with_own_points_keep_them_and_make_no_place():
    table = _table(
        [{"location": "Chinoz"}, {"location": ""}, {"location": "Lost"}],
        lat=[40.9362, 41.26471, np.nan],
        lon=[68.7661, -69.21634, np.nan],
        position=[-1, -1, -1],
        country=["UZ", "", "UZ"],
        precision=["near", "exact", "near"],
        has_place=[True, True, False],
    )
    assert len(table.places) == 0
    assert list(table.places.columns) == [
        "place_id",
        "name",
        "alt_names",
        "kind",
        "country",
        "admin1",
        "geometry_source",
        "note",
        "geometry",
    ]
    assert table.places.crs == "EPSG:4326"
    assert table.index.tolist() == [-1, -1, -1]
    assert table.point.tolist() == [True, True, False]
    assert table.lat[:2].tolist() == [40.9362, 41.26471]
    assert table.lon[:2].tolist() == [68.7661, -69.21634]
    assert math.isnan(table.lat[2]) and math.isnan(table.lon[2])
    assert table.name.tolist() == ["Chinoz", "41.2647, -69.2163", ""]
    assert table.country.tolist() == ["UZ", "", ""]
    assert table.changes == []
    assert table.anchor_lat.size == 0


def test_rows_placed_from_the_gazetteer_share_its_places():
    table = _table(
        [{"location": "Tashkent"}, {"location": "Andijan"}, {"location": "toshkent"}],
        lat=[41.2647, 40.7834, 41.2647],
        lon=[69.2163, 72.3507, 69.2163],
        position=[0, 1, 0],
        country=["UZ", "UZ", "UZ"],
        precision=["near", "near", "exact"],
    )
    assert table.index.tolist() == [0, 1, 0]
    assert table.point.tolist() == [False, False, False]
    assert table.name.tolist() == ["", "", ""]
    assert table.country.tolist() == ["", "", ""]
    assert all(math.isnan(v) for v in table.lat)
    assert _properties(table) == [
        {
            "place_id": "tashkent",
            "name": "Tashkent",
            "alt_names": "Toshkent",
            "kind": "city",
            "country": "UZ",
            "admin1": "UZ-TK",
            "geometry_source": "places.geojson",
            "note": "",
        },
        {
            # A gazetteer.csv row has no place_id: one is made from its name.
            "place_id": "andijan",
            "name": "Andijan",
            "alt_names": "",
            "kind": "city",
            "country": "UZ",
            "admin1": "",
            "geometry_source": "gazetteer.csv row 2 (atlas)",
            "note": "",
        },
    ]
    assert table.anchor_lat.tolist() == [41.2647, 40.7834]
    assert table.anchor_lon.tolist() == [69.2163, 72.3507]
    assert [(g.x, g.y) for g in table.places.geometry] == [
        (69.2163, 41.2647),
        (72.3507, 40.7834),
    ]


def test_only_the_kept_rows_are_placed():
    table = _table(
        [{"location": "Tashkent"}, {"location": "Andijan"}, {"location": "Osh"}],
        lat=[41.2647, 40.7834, 40.53],
        lon=[69.2163, 72.3507, 72.8],
        position=[0, 1, -1],
        country=["UZ", "UZ", "KG"],
        precision=["near", "near", "near"],
        keep=[1, 2],
    )
    assert table.index.tolist() == [0, -1]
    assert table.point.tolist() == [False, True]
    assert table.places["place_id"].tolist() == ["andijan"]
    assert table.name.tolist() == ["", "Osh"]
    assert table.country.tolist() == ["", "KG"]


def _native(place_ids: list[str], place_names: list[str] | None = None):
    return pd.DataFrame(
        {
            "place_id": place_ids,
            "place_name": place_names or [""] * len(place_ids),
        },
        dtype="str",
    )


def test_native_rows_name_their_places():
    # Rows 0 and 1 name one place at one point; row 2 names Tashkent at its
    # own point (within 2e-4 degrees); row 3 a slug that is Tashkent's but at
    # another point; row 4 an id that is no slug.
    rows = [
        {"location": "Chinoz"},
        {"location": "Chinoz"},
        {"location": "Tashkent"},
        {"location": "Elsewhere"},
        {"location": "Bad Place"},
    ]
    native = _native(["chinoz", " chinoz ", "tashkent", "tashkent", "Bad Id"])
    table = _table(
        rows,
        lat=[40.9362, 40.9362, 41.2648, 42.0, 40.0],
        lon=[68.7661, 68.7661, 69.2162, 69.0, 70.0],
        position=[-1, -1, -1, -1, -1],
        country=["UZ", "UZ", "UZ", "UZ", "UZ"],
        precision=["near", "exact", "near", "district", "region"],
        native=native,
        fmt="native",
    )
    assert table.point.tolist() == [False] * 5
    assert table.index.tolist() == [0, 0, 1, 2, 3]
    assert _properties(table) == [
        {
            "place_id": "chinoz",
            "name": "Chinoz",
            "alt_names": "",
            # The finest precision of its rows: exact, a city.
            "kind": "city",
            "country": "UZ",
            "admin1": "",
            "geometry_source": "IMU Geo events coordinates in a.csv",
            "note": "",
        },
        {
            "place_id": "tashkent",
            "name": "Tashkent",
            "alt_names": "Toshkent",
            "kind": "city",
            "country": "UZ",
            "admin1": "UZ-TK",
            "geometry_source": "places.geojson",
            "note": "",
        },
        {
            "place_id": "tashkent_2",
            "name": "Elsewhere",
            "alt_names": "",
            "kind": "district",
            "country": "UZ",
            "admin1": "",
            "geometry_source": "IMU Geo events coordinates in a.csv",
            "note": "",
        },
        {
            "place_id": "bad_place",
            "name": "Bad Place",
            "alt_names": "",
            "kind": "region",
            "country": "UZ",
            "admin1": "",
            "geometry_source": "IMU Geo events coordinates in a.csv",
            "note": "",
        },
    ]
    assert table.changes == [
        (3, "'tashkent' also names another place; this row's place is tashkent_2"),
        (4, "'Bad Id' is not a slug; this row's place is bad_place"),
    ]
    assert table.anchor_lat.tolist() == [40.9362, 41.2647, 42.0, 40.0]
    assert table.anchor_lon.tolist() == [68.7661, 69.2163, 69.0, 70.0]


def test_a_bundled_place_is_matched_only_near_its_point():
    # Within 2e-4 degrees of Tashkent's 69.2163 E, 41.2647 N either way, and
    # past it.
    rows = [{"location": "T"}] * 6
    native = _native(["tashkent"] * 6)
    table = _table(
        rows,
        lat=[41.26485, 41.26455, 41.2647, 41.2647, 41.2650, 41.2647],
        lon=[69.2163, 69.2163, 69.21645, 69.21615, 69.2163, 69.2160],
        position=[-1] * 6,
        country=["UZ"] * 6,
        precision=["near"] * 6,
        native=native,
        fmt="native",
    )
    assert table.places["place_id"].tolist() == ["tashkent", "tashkent_2", "tashkent_3"]
    assert table.index.tolist() == [0, 0, 0, 0, 1, 2]


def test_native_rows_without_an_id_keep_their_points():
    rows = [{"location": "Chinoz"}, {"location": "chinoz"}, {"location": "X"}]
    native = _native(["", "", ""])
    table = _table(
        rows,
        lat=[40.9362, 40.9362, 40.0],
        lon=[68.7661, 68.7661, 70.0],
        position=[-1, -1, 0],
        country=["UZ", "UZ", "UZ"],
        precision=["near", "near", "near"],
        native=native,
        fmt="native",
    )
    assert table.point.tolist() == [True, True, False]
    assert table.index.tolist() == [-1, -1, 0]
    assert table.name.tolist() == ["Chinoz", "chinoz", ""]
    assert table.places["place_id"].tolist() == ["tashkent"]


def test_a_native_place_name_that_is_its_id_is_no_name():
    rows = [{"location": "chinoz"}, {"location": "point_a"}]
    native = _native(["chinoz", ""])
    source = _Source(_rows(rows))
    cross = _cross(source, ["near", "near"], native=native)
    # The crosswalk's place name is the native place_name; one equal to the
    # row's place_id says nothing more than the id.
    cross.place_name = _text(["chinoz", "point_a"])
    placed = _Placed(
        lat=np.array([40.9362, 40.5]),
        lon=np.array([68.7661, 70.25]),
        gazetteer_position=np.array([-1, -1]),
        geo_precision=np.array(["near", "near"], dtype=object),
        country=np.array(["UZ", "UZ"], dtype=object),
        has_place=np.array([True, True]),
    )
    table = _place_table("native", "a.csv", cross, placed, GAZETTEER, np.arange(2))
    assert table.places["name"].tolist() == ["40.9362, 68.7661"]
    assert table.places["place_id"].tolist() == ["chinoz"]
    assert table.name.tolist() == ["", "point_a"]


@pytest.mark.parametrize(
    ("names", "ids"),
    [
        (["Chinoz", "Chinoz", "Chinoz"], ["chinoz", "chinoz_2", "chinoz_3"]),
        (["Qo'qon", "Qo‘qon", "Ōsh"], ["qo_qon", "qo_qon_2", "osh"]),
        # No name: named by the point; nothing left of the name: "place".
        (["", "!!", "-"], ["40_0000_70_0000", "place", "place_2"]),
    ],
)
def test_place_ids_are_made_from_names_and_numbered(names, ids):
    n = len(names)
    native = _native(["x y"] * n, place_names=names)
    table = _table(
        [{"location": name} for name in names],
        lat=[40.0 + i for i in range(n)],
        lon=[70.0] * n,
        position=[-1] * n,
        country=["UZ"] * n,
        precision=["near"] * n,
        native=native,
        fmt="native",
    )
    assert table.places["place_id"].tolist() == ids


def test_a_made_id_steps_around_a_bundled_one():
    # A native row names "tashkent" at another point, and another row is at
    # the bundled Tashkent: the bundled place keeps its id.
    rows = [{"location": "Tashkent"}, {"location": "Tashkent"}, {"location": "X"}]
    native = _native(["tashkent", "", "tashkent_2"])
    table = _table(
        rows,
        lat=[40.0, 41.2647, 39.0],
        lon=[70.0, 69.2163, 70.0],
        position=[-1, 0, -1],
        country=["UZ"] * 3,
        precision=["near"] * 3,
        native=native,
        fmt="native",
    )
    # The third row's own id is taken by then: it is numbered in its turn.
    assert table.places["place_id"].tolist() == [
        "tashkent_2",
        "tashkent",
        "tashkent_2_2",
    ]
    assert table.changes == [
        (0, "'tashkent' also names another place; this row's place is tashkent_2"),
        (
            2,
            "'tashkent_2' also names another place; this row's place is tashkent_2_2",
        ),
    ]


def test_an_unnamed_point_place_is_named_by_its_point():
    native = _native(["spot"])
    table = _table(
        [{"location": ""}],
        lat=[40.12346],
        lon=[-70.5],
        position=[-1],
        country=[""],
        precision=[""],
        native=native,
        fmt="native",
    )
    assert _properties(table) == [
        {
            "place_id": "spot",
            "name": "40.1235, -70.5000",
            "alt_names": "",
            # No precision: the coarsest kind.
            "kind": "country",
            "country": "",
            "admin1": "",
            "geometry_source": "IMU Geo events coordinates in a.csv",
            "note": "",
        }
    ]
    assert (table.places.geometry[0].x, table.places.geometry[0].y) == (-70.5, 40.12346)


def test_the_kind_is_the_finest_precision_of_a_places_rows():
    rows = [{"location": "P"}] * 4 + [{"location": "Q"}] * 2
    native = _native(["p"] * 4 + ["q"] * 2)
    table = _table(
        rows,
        lat=[40.0] * 4 + [41.0] * 2,
        lon=[70.0] * 6,
        position=[-1] * 6,
        country=["UZ"] * 6,
        precision=["region", "province", "odd", "district", "country", "region"],
        native=native,
        fmt="native",
    )
    assert table.places["kind"].tolist() == ["district", "region"]


def test_a_gazetteer_place_keeps_its_own_geometry():
    area = {
        "type": "Feature",
        "properties": {"place_id": "valley", "name": "Valley", "kind": "valley"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[70, 40], [72, 40], [72, 41], [70, 41], [70, 40]]],
        },
    }
    gazetteer = Gazetteer.build([area], [])
    source = _Source(_rows([{"location": "Valley"}]))
    cross = _cross(source, ["near"])
    placed = _Placed(
        lat=np.array([40.5]),
        lon=np.array([71.0]),
        gazetteer_position=np.array([0]),
        geo_precision=np.array(["region"], dtype=object),
        country=np.array([""], dtype=object),
        has_place=np.array([True]),
    )
    table = _place_table("gtd", "b.csv", cross, placed, gazetteer, np.arange(1))
    assert table.places.geometry[0].geom_type == "Polygon"
    assert table.places["kind"].tolist() == ["valley"]
    assert table.places["geometry_source"].tolist() == [""]
    assert table.anchor_lat.tolist() == [40.5]
    assert table.anchor_lon.tolist() == [71.0]


def test_point_places_of_a_format_say_where_their_coordinates_are_from():
    native = _native(["p"])
    for fmt, label in (("acled", "ACLED"), ("ucdp", "UCDP GED"), ("gtd", "GTD")):
        table = _table(
            [{"location": "P"}],
            lat=[40.0],
            lon=[70.0],
            position=[-1],
            country=["UZ"],
            precision=["near"],
            native=native,
            fmt=fmt,
        )
        assert table.places["geometry_source"].tolist() == [
            f"{label} coordinates in a.csv"
        ]


@settings(max_examples=25)
@given(
    st.lists(
        st.tuples(st.sampled_from(["Chinoz", "Osh", ""]), st.integers(0, 2)),
        min_size=1,
        max_size=8,
    )
)
def test_place_ids_are_unique_and_each_row_is_at_its_place(rows):
    # Rows naming a place (id "p") at one of three points: one place per name
    # and point, each with an id of its own.
    names = [name for name, _ in rows]
    native = _native(["p"] * len(rows), place_names=names)
    table = _table(
        [{"location": name} for name in names],
        lat=[40.0 + at for _, at in rows],
        lon=[70.0] * len(rows),
        position=[-1] * len(rows),
        country=["UZ"] * len(rows),
        precision=["near"] * len(rows),
        native=native,
        fmt="native",
    )
    ids = table.places["place_id"].tolist()
    assert len(set(ids)) == len(ids) == len(set(rows))
    for (name, at), index in zip(rows, table.index, strict=True):
        place = table.places.iloc[index]
        assert place.geometry.y == 40.0 + at
        assert place["name"] == (name or f"{40.0 + at:.4f}, 70.0000")


def test_a_gazetteer_csv_place_takes_its_id_in_its_turn():
    # Places of gazetteer.csv have no place_id of their own: one is made from
    # the name, after the ids of the places before it.
    rows = [{"location": "Somewhere"}, {"location": "Andijan"}]
    native = _native(["andijan", ""])
    table = _table(
        rows,
        lat=[39.0, 40.7834],
        lon=[70.0, 72.3507],
        position=[-1, 1],
        country=["UZ", "UZ"],
        precision=["near", "near"],
        native=native,
        fmt="native",
    )
    assert table.places["place_id"].tolist() == ["andijan", "andijan_2"]
    assert table.places["name"].tolist() == ["Somewhere", "Andijan"]
    assert table.changes == []


def test_changes_name_the_rows_of_the_file_not_of_those_kept():
    rows = [{"location": "A"}, {"location": "B"}, {"location": "C"}]
    native = _native(["a", "Not Slug", "a"])
    table = _table(
        rows,
        lat=[40.0, 41.0, 42.0],
        lon=[70.0, 70.0, 70.0],
        position=[-1, -1, -1],
        country=["UZ"] * 3,
        precision=["near"] * 3,
        native=native,
        keep=[1, 2],
        fmt="native",
    )
    assert table.places["place_id"].tolist() == ["b", "a"]
    assert table.changes == [(1, "'Not Slug' is not a slug; this row's place is b")]


def test_a_world_place_is_rounded_to_four_places(monkeypatch):
    # A world gazetteer written in the test, whose point has more figures
    # than the bundled file's four: the place added is rounded as those are.
    from imu_geo import world
    from imu_geo.importers.places.placing import _world_lookup

    small = world.WorldGazetteer.from_frame(
        pd.DataFrame(
            {
                "geonameid": ["1114"],
                "name": ["Qarshi"],
                "alt_names": [""],
                "country": ["UZ"],
                "admin1": ["UZ-QA"],
                "admin1_name": ["Qashqadaryo"],
                "gn_admin1": ["UZ.03"],
                "lat": [38.86012345],
                "lon": [65.78987654],
                "population": [100],
            }
        )
    )
    monkeypatch.setattr(world, "gazetteer", lambda directory=None: small)
    gazetteer, found, why = _world_lookup(
        GAZETTEER,
        np.array([None], dtype=object),
        np.array(["is not in the gazetteer"], dtype=object),
        np.array([True]),
        _text(["Qarshi"]),
        _text(["UZ"]),
        _text([""]),
    )
    n = len(GAZETTEER.places)
    assert found.tolist() == [n]
    assert why.tolist() == [""]
    added = gazetteer.places.iloc[n]
    assert (added["lon"], added["lat"]) == (65.7899, 38.8601)
    assert (added["geometry"].x, added["geometry"].y) == (65.7899, 38.8601)
    assert added["where"] == "Qashqadaryo, UZ"


def _bundled(place_id: str, lon: float, lat: float) -> dict:
    return {
        "type": "Feature",
        "properties": {"place_id": place_id, "name": place_id.title(), "kind": "city"},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def _native_table(gazetteer, ids, lat, lon, position):
    n = len(ids)
    source = _Source(_rows([{"location": "P"}] * n))
    cross = _cross(source, ["near"] * n, native=_native(ids))
    placed = _Placed(
        lat=np.array(lat, dtype=float),
        lon=np.array(lon, dtype=float),
        gazetteer_position=np.array(position, dtype=np.int64),
        geo_precision=np.array(["near"] * n, dtype=object),
        country=np.array(["UZ"] * n, dtype=object),
        has_place=np.ones(n, dtype=bool),
    )
    return _place_table("native", "a.csv", cross, placed, gazetteer, np.arange(n))


def test_a_bundled_place_within_2e_4_degrees_counts_the_bound():
    # At 0.0002 N 0.0002 E, so that the differences are exactly 2e-4.
    gazetteer = Gazetteer.build([_bundled("post", 0.0002, 0.0002)], [])
    table = _native_table(
        gazetteer,
        ["post", "post", "post"],
        lat=[0.0, 0.0002, 0.0002],
        lon=[0.0002, 0.0, 0.0002],
        position=[-1, -1, -1],
    )
    assert table.places["place_id"].tolist() == ["post"]
    assert table.index.tolist() == [0, 0, 0]
    assert table.changes == []


def test_a_row_placed_from_the_gazetteer_stays_at_that_place():
    # Two bundled places at one point: the row found the first by name, and
    # names the second; it stays where the gazetteer placed it.
    gazetteer = Gazetteer.build(
        [_bundled("tashkent", 69.2163, 41.2647), _bundled("shahar", 69.2163, 41.2647)],
        [],
    )
    table = _native_table(
        gazetteer, ["shahar"], lat=[41.2647], lon=[69.2163], position=[0]
    )
    assert table.places["place_id"].tolist() == ["tashkent"]
    assert table.changes == [
        (0, "'shahar' also names another place; this row's place is tashkent")
    ]


def test_places_without_a_gazetteer():
    table = _native_table(
        Gazetteer.build([], []),
        ["a", "a", ""],
        lat=[40.0, 41.0, 42.0],
        lon=[70.0, 70.0, 70.0],
        position=[-1, -1, -1],
    )
    assert _properties(table) == [
        {
            "place_id": place_id,
            "name": "P",
            "alt_names": "",
            "kind": "city",
            "country": "UZ",
            "admin1": "",
            "geometry_source": "IMU Geo events coordinates in a.csv",
            "note": "",
        }
        for place_id in ("a", "a_2")
    ]
    assert table.point.tolist() == [False, False, True]


def test_a_bundled_place_keeps_its_own_id_whatever_its_name():
    feature = _bundled("tsh", 69.2163, 41.2647)
    feature["properties"]["name"] = "Tashkent"
    gazetteer = Gazetteer.build([feature], [])
    table = _native_table(
        gazetteer,
        ["", "other"],
        lat=[41.2647, 40.0],
        lon=[69.2163, 70.0],
        position=[0, -1],
    )
    assert table.places["place_id"].tolist() == ["tsh", "other"]
    assert table.places["name"].tolist() == ["Tashkent", "P"]


def _south_of_tajikistan(degrees: float) -> tuple[float, float]:
    """The world outline of Tajikistan's southernmost corner, moved south."""
    from imu_geo import world

    outline = world.countries().set_index("country").loc["TJ", "geometry"]
    lon, lat = min(shapely.get_coordinates(outline.boundary), key=lambda p: p[1])
    return round(lat - degrees, 4), round(lon, 4)


def test_the_worlds_check_takes_the_rows_precision():
    # 0.1 degrees (11 km) south of the outline: within the world's 30 km for
    # a near point, over its 5 km for an exact one.
    lat, lon = _south_of_tajikistan(0.1)
    row = {"latitude": str(lat), "longitude": str(lon), "country": "TJ"}
    placed, reported, _ = _place([row, row], precision=["near", "exact"])
    assert placed.has_place.tolist() == [True, False]
    assert [r[:2] for r in reported] == [(0, "repaired"), (1, "rejected")]


def test_a_swapped_pair_near_the_worlds_border_keeps_its_note():
    lat, lon = _south_of_tajikistan(0.01)
    placed, reported, _ = _place(
        [{"latitude": str(lon), "longitude": str(lat), "country": "TJ"}]
    )
    assert placed.has_place.tolist() == [True]
    assert (placed.lat[0], placed.lon[0]) == (lat, lon)
    first, second = (r[3] for r in reported)
    assert first.startswith("latitude and longitude were swapped")
    assert "Tajikistan's drawn boundary" in second


def test_a_point_inside_either_way_is_not_swapped():
    # A box whose latitudes and longitudes overlap (as Georgia's, 41-43.6 N,
    # 40-46.7 E): 42 N 42.5 E is inside, and so would 42.5 N 42 E be.
    countries = COUNTRIES | {"GE": box(40.0, 41.0, 46.7, 43.6)}
    source = _Source(_rows([{"latitude": "42", "longitude": "42.5", "country": "GE"}]))
    issues = _Issues()
    placed = _place_rows(
        _cross(source), source, issues, GAZETTEER, countries, [], "a.csv"
    )
    assert len(issues.frame()) == 0
    assert (placed.lat[0], placed.lon[0]) == (42.0, 42.5)
