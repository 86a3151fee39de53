"""The crosswalk of this project's own files, field by field, against section 2
of docs/import.md (*Native*) and the rules of ``events.csv`` in data/README.md:
texts kept as they are, counts read without surrounding spaces and emptied when
they break the count rule, full ISO days, the vocabulary of ``geo_precision``,
the download's ``lat``/``lon`` or a GeoJSON point's ``latitude``/``longitude``,
and the place rules once the rows' places are known. Every expected value is
written out by hand from those definitions."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from imu_geo.importers.crosswalk import _Issues
from imu_geo.importers.native import _native, _native_place_rules
from imu_geo.importers.places.placing import _Placed

from .crosswalk_rows import walk as walk_crosswalk
from .source_rows import native_row

ROW = native_row(place_id="")


def walk(*rows: dict):
    return walk_crosswalk(_native, *rows)


def test_texts_ids_and_dates_are_kept_as_they_are():
    row = ROW | {
        "event_id": "e-1",
        "actors": " IMU ",
        "target": "",
        "title": "  A title ",
        "description": "D",
        "source_quote": "Q ",
        "notes": " N",
        "date_precision": "month",
        "date_start": "2009-05-01",
        "date_end": "2009-05-31",
        "date_origin": "derived",
        "layer": "base",
        "event_type": "group_base",
        "country": " UZ ",
    }
    cross, issues = walk(row)
    assert issues == []
    assert cross.source_id.tolist() == ["e-1"]
    assert cross.id_column == "event_id"
    assert cross.actors.tolist() == [" IMU "]
    assert cross.target.tolist() == [""]
    assert cross.title.tolist() == ["  A title "]
    assert cross.description.tolist() == ["D"]
    assert cross.source_quote.tolist() == ["Q "]
    assert cross.notes.tolist() == [" N"]
    assert list(cross.date_start) == [date(2009, 5, 1)]
    assert list(cross.date_end) == [date(2009, 5, 31)]
    assert list(cross.date_precision) == ["month"]
    assert list(cross.date_origin) == ["derived"]
    assert cross.layer.tolist() == ["base"]
    assert cross.event_type.tolist() == ["group_base"]
    assert cross.country.tolist() == ["UZ"]
    assert cross.native["title"].tolist() == ["  A title "]


# (date_start, date_end) -> the days read and the issues: full ISO days only.
DATES = [
    ("2009-05-26", "2009-05-27", [date(2009, 5, 26)], [date(2009, 5, 27)], []),
    (
        "2009-02-30",
        "2009-05-26",
        [None],
        [date(2009, 5, 26)],
        [
            (
                0,
                "rejected",
                "date_start",
                "day 30 does not exist in February 2009 (it has 28 days)",
            )
        ],
    ),
]


@pytest.mark.parametrize(("start", "end", "first", "last", "issues"), DATES)
def test_dates_are_full_iso_days(start, end, first, last, issues):
    row = ROW | {"date_start": start, "date_end": end, "date_precision": "range"}
    cross, found = walk(row)
    assert [i for i in found if i[2].startswith("date")] == issues
    assert list(cross.date_start) == first
    assert list(cross.date_end) == last


def test_no_rows_give_no_days():
    cross, found = walk()
    assert found == []
    assert list(cross.date_start) == []
    assert list(cross.date_end) == []


# (low, best, high) -> (kept, issues): a count that breaks the count rule is
# emptied with the rule's message; counts out of order are rejected but kept.
COUNTS = [
    (("1", " 2 ", "3"), ("1", "2", "3"), []),
    (("", "", ""), ("", "", ""), []),
    (
        ("1", "x", "-1"),
        ("1", "", ""),
        [
            (
                0,
                "rejected",
                "fatalities_best",
                "'x' is not a whole number of people (0 or more)",
            ),
            (
                0,
                "rejected",
                "fatalities_high",
                "'-1' is not a whole number of people (0 or more)",
            ),
        ],
    ),
    (
        ("2.5", "3", "4"),
        ("", "3", "4"),
        [
            (
                0,
                "rejected",
                "fatalities_low",
                "'2.5' is not a whole number of people (0 or more)",
            )
        ],
    ),
    (
        ("5", "2", "3"),
        ("5", "2", "3"),
        [
            (
                0,
                "rejected",
                "fatalities_best",
                "fatalities must satisfy low <= best <= high",
            )
        ],
    ),
]


@pytest.mark.parametrize(("counts", "kept", "issues"), COUNTS)
def test_counts_follow_the_count_rule(counts, kept, issues):
    low, best, high = counts
    row = ROW | {
        "fatalities_low": low,
        "fatalities_best": best,
        "fatalities_high": high,
    }
    cross, found = walk(row)
    assert found == issues
    assert tuple(series.tolist()[0] for series in cross.fatalities) == kept


def test_each_row_keeps_its_own_counts():
    rows = [
        ROW
        | dict(
            zip(
                ("fatalities_low", "fatalities_best", "fatalities_high"),
                c[0],
                strict=True,
            )
        )
        for c in COUNTS
    ]
    cross, _ = walk(*rows)
    assert [
        tuple(series.tolist()[i] for series in cross.fatalities)
        for i in range(len(COUNTS))
    ] == [c[1] for c in COUNTS]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("exact", "exact"),
        ("near", "near"),
        ("country", "country"),
        ("", ""),
        ("Near", ""),
        ("city", ""),
    ],
)
def test_geo_precision_is_kept_only_from_the_vocabulary(value, expected):
    cross, _ = walk(ROW | {"geo_precision": value})
    assert cross.geo_precision.tolist() == [expected]


# (cells) -> (lat column, lon column, the name to place by, whether it needs a place).
PLACES = [
    ({}, ("lat", "lon", "Andijan", True)),
    (
        {"place_name": " Andijan ", "place_id": "andijan"},
        ("lat", "lon", "Andijan", True),
    ),
    ({"place_name": "", "place_id": " andijan "}, ("lat", "lon", "andijan", True)),
    ({"place_name": "", "lat": "", "lon": ""}, ("lat", "lon", "", False)),
    ({"place_name": "", "lat": "40.1", "lon": ""}, ("lat", "lon", "", True)),
    ({"place_name": "", "lat": "", "lon": "70.1"}, ("lat", "lon", "", True)),
    ({"place_name": "", "lat": " ", "lon": " "}, ("lat", "lon", "", False)),
]


@pytest.mark.parametrize(("cells", "expected"), PLACES)
def test_where_a_row_is_comes_from_its_point_or_its_names(cells, expected):
    cross, _ = walk(ROW | cells)
    assert (
        cross.lat_column,
        cross.lon_column,
        cross.place_name.tolist()[0],
        bool(cross.needs_place[0]),
    ) == expected


def geojson_row(**cells) -> dict:
    row = {k: v for k, v in ROW.items() if k not in ("lat", "lon")}
    return row | cells


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # The GeoJSON download: the point's latitude and longitude.
        (
            geojson_row(latitude="40.1", longitude="70.2", place_name=""),
            ("latitude", "longitude", True),
        ),
        (
            geojson_row(latitude="", longitude="", place_name=""),
            ("latitude", "longitude", False),
        ),
        # A file with both reads the download's lat and lon.
        (
            ROW
            | {
                "latitude": "1",
                "longitude": "2",
                "lat": "",
                "lon": "",
                "place_name": "",
            },
            ("lat", "lon", False),
        ),
        # Neither: no point.
        (geojson_row(place_name=""), ("lat", "lon", False)),
    ],
)
def test_a_geojson_point_is_read_from_latitude_and_longitude(row, expected):
    cross, _ = walk(row)
    assert (cross.lat_column, cross.lon_column, bool(cross.needs_place[0])) == expected


# --- the place rules ------------------------------------------------------------------

# (cells, has a place, the precision the place gave) -> issues.
PLACE_RULES = [
    # An attack with no place, no point and no name, but place details.
    (
        {"place_name": "", "lat": "", "lon": ""},
        False,
        "",
        [
            (0, "rejected", "place_id", "is empty, but an attack needs a place"),
            (0, "rejected", "geo_precision", "is given, but the row has no place"),
            (0, "rejected", "place_origin", "is given, but the row has no place"),
        ],
    ),
    (
        {
            "place_name": "",
            "lat": "",
            "lon": "",
            "layer": "base",
            "event_type": "group_base",
            "geo_precision": "",
            "place_origin": "",
        },
        False,
        "",
        [(0, "rejected", "place_id", "is empty, but a base needs a place")],
    ),
    (
        {
            "place_name": "",
            "lat": "",
            "lon": "",
            "layer": "context",
            "event_type": "statement",
            "geo_precision": "",
            "place_origin": "",
        },
        False,
        "",
        [],
    ),
    (
        {
            "place_name": "",
            "lat": "",
            "lon": "",
            "layer": "context",
            "event_type": "statement",
            "geo_precision": "",
            "place_origin": "source",
        },
        False,
        "",
        [(0, "rejected", "place_origin", "is given, but the row has no place")],
    ),
    # A detail of spaces only is not given.
    (
        {
            "place_name": "",
            "lat": "",
            "lon": "",
            "layer": "context",
            "event_type": "statement",
            "geo_precision": "",
            "place_origin": "  ",
        },
        False,
        "",
        [],
    ),
    (
        {"place_origin": " "},
        True,
        "near",
        [(0, "rejected", "place_origin", "is empty, but the row has a place")],
    ),
    # Placed: the details must be there, the precision as the place gave it.
    ({}, True, "near", []),
    (
        {"place_origin": ""},
        True,
        "near",
        [(0, "rejected", "place_origin", "is empty, but the row has a place")],
    ),
    (
        {},
        True,
        "",
        [(0, "rejected", "geo_precision", "is empty, but the row has a place")],
    ),
    ({"geo_precision": ""}, True, "district", []),
    # A name that was not found: the row asked for a place, which the import
    # reports where it looks the name up.
    ({"lat": "", "lon": ""}, False, "", []),
]


@pytest.mark.parametrize(("cells", "has_place", "precision", "issues"), PLACE_RULES)
def test_place_rules_use_what_the_import_made_of_the_row(
    cells, has_place, precision, issues
):
    cross, _ = walk(ROW | cells)
    placed = _Placed(
        lat=np.array([np.nan]),
        lon=np.array([np.nan]),
        gazetteer_position=np.array([-1]),
        geo_precision=np.array([precision], dtype=object),
        country=np.array([""], dtype=object),
        has_place=np.array([has_place]),
    )
    rules = _Issues()
    _native_place_rules(cross, placed, rules)
    frame = rules.frame()
    assert (
        list(
            zip(
                frame["position"].astype(int),
                frame["action"],
                frame["column"],
                frame["reason"],
                strict=True,
            )
        )
        == issues
    )
