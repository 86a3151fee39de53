"""The validator on whole folders and on each of its parts, message by message.

Every expected message here is written out by hand from the file it is about:
the GeoJSON documents and features, the raw bytes of a CSV file, the counts of a
report.
"""

from __future__ import annotations

import errno
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from imu_geo import validate
from imu_geo.schema import EVENT_COLUMNS
from imu_geo.validate import (
    Problem,
    Report,
    check_event_frame,
    check_event_rows,
    check_places,
    check_regions,
    missing_quote_segments,
    quote_segments,
    read_and_validate,
    read_and_validate_all,
    read_csv_rows,
    read_events_frame,
    read_feature_collection,
    validate_read_events,
)
from tests.helpers import SQUARE_KG, SQUARE_UZ, write_dataset
from tests.helpers import event_row as _event
from tests.helpers import place_feature as _place
from tests.helpers import region_feature as _region

# --- problems and reports --------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("f.csv", None, None, "is missing"), "f.csv: is missing"),
        (Problem("f.csv", 3, None, "bad"), "f.csv, row 3: bad"),
        (Problem("f.csv", 0, None, "bad"), "f.csv, row 0: bad"),
        (Problem("f.csv", 4, "layer", "bad"), "f.csv, row 4, column layer: bad"),
        (Problem("f.csv", None, "layer", "bad"), "f.csv, column layer: bad"),
        (
            Problem("p.geojson", 2, "kind", "bad", "feature"),
            "p.geojson, feature 2, column kind: bad",
        ),
        (Problem("f.csv", 5, "", "bad"), "f.csv, row 5: bad"),
    ],
)
def test_a_problem_says_file_row_and_column(problem, text):
    assert str(problem) == text


def test_a_report_counts_its_problems_in_words():
    report = Report(Path("data"))
    assert report.ok is True
    assert report.summary() == "OK: 0 events, 0 places and 0 regions in data"
    report.n_events, report.n_places, report.n_regions = 7, 3, 2
    assert report.summary() == "OK: 7 events, 3 places and 2 regions in data"
    report.problems.append(Problem("events.csv", None, None, "is missing"))
    assert report.ok is False
    assert report.summary() == "1 problem in data"
    report.problems.append(Problem("places.geojson", None, None, "is missing"))
    assert report.summary() == "2 problems in data"


# --- quotes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "segments"),
    [
        ("one", ["one"]),
        ("one [...] two", ["one ", " two"]),
        ("one[...]two", ["one", "two"]),
        ("[...] one [...]   [...]", [" one "]),
        ("  ", []),
        ("", []),
    ],
)
def test_a_quote_splits_at_its_separators(quote, segments):
    assert quote_segments(quote) == segments


@pytest.mark.parametrize(
    ("quote", "source", "missing"),
    [
        ("a b", "x a\t\nb y", []),
        ("a  b [...] c", "a b and c", []),
        ("a b [...] d", "a b c", ["d"]),
        ("x [...] y", "a", ["x", "y"]),
        ("A b", "a b", ["A b"]),
    ],
)
def test_each_missing_passage_is_named_with_its_space_collapsed(quote, source, missing):
    assert missing_quote_segments(quote, source) == missing


# --- the row reader ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf", "is empty"),
        (b"a,b\n\x001,2\n", "is not a text file (it contains NUL bytes)"),
        (b"x" * 4095 + b"\x00", "is not a text file (it contains NUL bytes)"),
        (b"a,b\n\xe9,2\n", "is not UTF-8 text (undecodable byte at offset 4)"),
        # The offset is the byte's in the file, byte-order mark included.
        (b"\xef\xbb\xbfa,\xff\n", "is not UTF-8 text (undecodable byte at offset 5)"),
        (
            b'a,b\n"x"y,1\n',
            "is not valid CSV (',' expected after '\"')",
        ),
    ],
)
def test_the_row_reader_refuses_with_one_reason(tmp_path, raw, reason):
    path = tmp_path / "events.csv"
    path.write_bytes(raw)
    with pytest.raises(ValueError) as caught:
        read_csv_rows(path)
    assert str(caught.value) == reason


def test_a_nul_byte_past_the_first_4096_is_read_as_text(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"a\n" + b"x" * 4094 + b"\x00\n")
    assert read_csv_rows(path) == (["a"], [["x" * 4094 + "\x00"]])


def test_the_fast_reader_looks_for_nul_bytes_in_the_same_4096_bytes(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"a\n" + b"x" * 4094 + b"\x00\n")
    frame = read_events_frame(path)
    assert frame is not None
    assert frame.to_dict("list") == {"a": ["x" * 4094 + "\x00"]}


@pytest.mark.parametrize(
    ("raw", "header", "rows"),
    [
        (b"\xef\xbb\xbfa,b\r\n1,2\r\n", ["a", "b"], [["1", "2"]]),
        (b"a,b\n1\n\n3,4,5", ["a", "b"], [["1"], [], ["3", "4", "5"]]),
        (b'a\n"x\xe2\x80\xa8y"\n', ["a"], [["x\u2028y"]]),
    ],
)
def test_the_row_reader_keeps_every_row_as_written(tmp_path, raw, header, rows):
    path = tmp_path / "events.csv"
    path.write_bytes(raw)
    assert read_csv_rows(path) == (header, rows)


# --- the fast reader's refusals ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "is empty"),
        (b"a\n\x00\n", "is not a text file (it contains NUL bytes)"),
        (b"y" * 4095 + b"\x00", "is not a text file (it contains NUL bytes)"),
        (b"a,b\n\xe9,2\n", "is not UTF-8 text (undecodable byte at offset 4)"),
        (
            b"\xef\xbb\xbfab\n\xc3(\n",
            "is not UTF-8 text (undecodable byte at offset 6)",
        ),
    ],
)
def test_the_fast_reader_refuses_what_is_not_text(tmp_path, raw, reason):
    path = tmp_path / "events.csv"
    path.write_bytes(raw)
    with pytest.raises(ValueError) as caught:
        read_events_frame(path)
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    ("raw", "rows"),
    [
        (b"\xef\xbb\xbfa,b\n1,2\n", [["a", "b"], ["1", "2"]]),
        (b"a,b\n1,2", [["a", "b"], ["1", "2"]]),
        (b"a,b", [["a", "b"]]),
        (b"a\r\n\xc3\xa9\r\n", [["a"], ["\u00e9"]]),
        (b"a,b\n,\n", [["a", "b"], ["", ""]]),
    ],
)
def test_the_fast_reader_reads_plain_files(tmp_path, raw, rows):
    path = tmp_path / "events.csv"
    path.write_bytes(raw)
    frame = read_events_frame(path)
    assert frame is not None
    assert [list(frame.columns), *frame.to_numpy().tolist()] == rows


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf",  # a byte-order mark and nothing else
        b'"a,b\n',  # a header whose quote never closes
        b'a,"b\n1,2\n',
        b"a,b,a\n1,2,3\n",
        b",b\n1,2\n",
        b"a,Unnamed: 0\n1,2\n",
        b"a,x.y\n1,2\n",
        b"a,b\n1,2\n3\n",
        b"a,b\n1,2,3\n",
    ],
)
def test_the_fast_reader_steps_aside(tmp_path, raw):
    path = tmp_path / "events.csv"
    path.write_bytes(raw)
    assert read_events_frame(path) is None


# --- events: header and rows -----------------------------------------------------


def _text_rows(*overrides):
    header = list(EVENT_COLUMNS)
    rows = []
    for number, changes in enumerate(overrides):
        row = _event(event_id=f"e{number}") | changes
        rows.append([row[c] for c in header])
    return header, rows


def test_a_column_named_twice_is_named_and_the_rows_are_left():
    header, rows = _text_rows({"layer": "raid"})
    header = [*header, "notes"]
    rows = [[*row, ""] for row in rows]
    assert [str(p) for p in check_event_rows(header, rows)] == [
        "events.csv, row 1, column notes: the column appears more than once"
    ]


def test_a_column_named_twice_and_one_missing_are_both_named():
    header, rows = _text_rows({})
    header = ["title" if c == "notes" else c for c in header]
    assert [str(p) for p in check_event_rows(header, rows, "x.csv")] == [
        "x.csv, row 1, column title: the column appears more than once",
        "x.csv, row 1: missing columns: notes",
    ]


def test_rows_are_numbered_as_a_spreadsheet_does_and_reported_in_order():
    header, rows = _text_rows({}, {"layer": "raid"}, {}, {"attribution": "maybe"})
    rows[2] = rows[2][:5]
    assert [str(p) for p in check_event_rows(header, rows)] == [
        "events.csv, row 3, column layer: 'raid' is not one of attack, base, context",
        "events.csv, row 4: has 5 fields where the header has 21",
        "events.csv, row 5, column attribution: 'maybe' is not one of claimed, "
        "attributed, suspected",
    ]


def test_the_frame_check_stops_at_missing_columns():
    header, rows = _text_rows({"layer": "raid"})
    frame = pd.DataFrame(rows, columns=header, dtype="str").drop(columns=["title"])
    assert [str(p) for p in check_event_frame(frame, "f.csv")] == [
        "f.csv, row 1: missing columns: title"
    ]


def test_the_frame_check_numbers_rows_from_2():
    header, rows = _text_rows({}, {}, {"layer": "raid"})
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    assert [str(p) for p in check_event_frame(frame)] == [
        "events.csv, row 4, column layer: 'raid' is not one of attack, base, context"
    ]


LONG = "word " * 30  # 150 characters, 80 of them named


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("   ", ["row 2, column source_quote: is empty"]),
        ("Here. [...] There.", []),
        (
            "Here. [...] Nowhere. [...] Elsewhere.",
            [
                "row 2, column source_quote: this passage is not in the source "
                "text: 'Nowhere.'",
                "row 2, column source_quote: this passage is not in the source "
                "text: 'Elsewhere.'",
            ],
        ),
        (
            LONG,
            [
                "row 2, column source_quote: this passage is not in the source "
                "text: '" + "word " * 16 + "'"
            ],
        ),
    ],
)
def test_each_passage_missing_from_the_source_is_named(quote, expected):
    header, rows = _text_rows({"source_quote": quote})
    source = "Here. And There."
    by_rows = [str(p) for p in check_event_rows(header, rows, source_text=source)]
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    by_frame = [str(p) for p in check_event_frame(frame, source_text=source)]
    expected = [f"events.csv, {line}" for line in expected]
    assert by_rows == expected
    assert by_frame == expected


def test_a_missing_passage_follows_the_rules_of_its_row_and_precedes_the_next():
    header, rows = _text_rows(
        {"source_quote": "Gone.", "layer": "raid"}, {"layer": "raid"}
    )
    assert [str(p) for p in check_event_rows(header, rows, source_text="Here.")] == [
        "events.csv, row 2, column layer: 'raid' is not one of attack, base, context",
        "events.csv, row 2, column source_quote: this passage is not in the source "
        "text: 'Gone.'",
        "events.csv, row 3, column layer: 'raid' is not one of attack, base, context",
        "events.csv, row 3, column source_quote: this passage is not in the source "
        "text: 'It then moved to Tashkent in 1999.'",
    ]


# --- GeoJSON documents ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"type": "FeatureCollection", "features": ["\xe9"]}', "is not UTF-8 text"),
        (
            b'{"type": "FeatureCollection",\n "features": [}',
            "is not valid JSON (line 2, column 15)",
        ),
        (b"[]", "is not a GeoJSON FeatureCollection"),
        (b'{"type": "Feature", "features": []}', "is not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection"}', "has no list of features"),
        (b'{"type": "FeatureCollection", "features": {}}', "has no list of features"),
    ],
)
def test_a_geojson_file_that_is_not_a_collection_is_refused(tmp_path, raw, reason):
    path = tmp_path / "places.geojson"
    path.write_bytes(raw)
    with pytest.raises(ValueError) as caught:
        read_feature_collection(path)
    assert str(caught.value) == reason


def test_a_collection_gives_its_features_as_written(tmp_path):
    path = tmp_path / "places.geojson"
    features = [{"type": "Feature", "n": 1}, "odd", 3]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert read_feature_collection(path) == features


def _point(coordinates, geometry_type="Point"):
    return {
        "type": "Feature",
        "properties": _place()["properties"],
        "geometry": {"type": geometry_type, "coordinates": coordinates},
    }


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        ({"type": "Point", "coordinates": [69.2, 41.3]}, None),
        ({"type": "Point", "coordinates": [69, 41]}, None),
        ({"type": "Point", "coordinates": [72.0, 40.0, 300.0]}, None),
        # The edges of the ranges are in them.
        ({"type": "Point", "coordinates": [-180, -90]}, None),
        ({"type": "Point", "coordinates": [180.0, 90.0]}, None),
        ({"type": "Point", "coordinates": []}, "geometry has malformed coordinates"),
        ({"type": "Point"}, "geometry has malformed coordinates"),
        (
            {"type": "Point", "coordinates": "69,41"},
            "geometry has malformed coordinates",
        ),
        (
            {"type": "Point", "coordinates": [True, False]},
            "geometry has malformed coordinates",
        ),
        (
            {"type": "Point", "coordinates": [69.2]},
            "geometry has a position with fewer than two numbers",
        ),
        (
            {"type": "Point", "coordinates": [math.nan, 41.3]},
            "geometry has a coordinate that is not a finite number",
        ),
        (
            {"type": "Point", "coordinates": [69.2, math.inf]},
            "geometry has a coordinate that is not a finite number",
        ),
        (
            {"type": "Point", "coordinates": [-180.5, 0.0]},
            "geometry has a coordinate out of range (lon -180.5, lat 0.0); GeoJSON "
            "is longitude first, latitude second",
        ),
        (
            {"type": "Point", "coordinates": [180.5, 0.0]},
            "geometry has a coordinate out of range (lon 180.5, lat 0.0); GeoJSON "
            "is longitude first, latitude second",
        ),
        (
            {"type": "Point", "coordinates": [0.0, -90.5]},
            "geometry has a coordinate out of range (lon 0.0, lat -90.5); GeoJSON "
            "is longitude first, latitude second",
        ),
        (
            {"type": "Point", "coordinates": [0.0, 90.5]},
            "geometry has a coordinate out of range (lon 0.0, lat 90.5); GeoJSON "
            "is longitude first, latitude second",
        ),
        (
            {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
            "geometry type 'LineString' is not one of Point, Polygon, MultiPolygon",
        ),
        (
            {"type": None},
            "geometry type None is not one of Point, Polygon, MultiPolygon",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[60, 38], [61, 38], [61, 39], [60, 39], [60, 38]]],
            },
            None,
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[60, 38], [61, 38], [61, "x"], [60, 38]]],
            },
            "geometry has malformed coordinates",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[60, 38], [62, 40], [62, 38], [60, 40], [60, 38]]],
            },
            "geometry is not valid",
        ),
    ],
)
def test_each_geometry_fault_of_a_place_is_named(geometry, reason):
    feature = _point(None) | {"geometry": geometry}
    problems, ids = check_places([feature], None)
    expected = [] if reason is None else [f"places.geojson, feature 1: {reason}"]
    assert [str(p) for p in problems] == expected
    assert ids == {"tashkent"}


def test_a_geometry_shapely_cannot_build_is_named():
    feature = _point([[60, 38]], "MultiPolygon")
    (problem,) = check_places([feature], None)[0]
    assert str(problem).startswith(
        "places.geojson, feature 1: geometry cannot be read ("
    )


@pytest.mark.parametrize(
    ("feature", "reason"),
    [
        ("Tashkent", "is not a JSON object"),
        ([1, 2], "is not a JSON object"),
        ({"type": "Feature", "properties": {}}, "has no geometry"),
        ({"type": "Feature", "geometry": "Point"}, "has no geometry"),
    ],
)
def test_a_feature_without_a_geometry_is_named_once(feature, reason):
    problems, ids = check_places([feature], None)
    assert [str(p) for p in problems][:1] == [f"places.geojson, feature 1: {reason}"]
    regions, countries = check_regions([feature])
    assert [str(p) for p in regions][:1] == [f"regions.geojson, feature 1: {reason}"]
    assert countries == {}


# --- places -----------------------------------------------------------------------


def _with(**properties):
    feature = _place()
    feature["properties"] = feature["properties"] | properties
    return feature


def _without(name):
    feature = _place()
    del feature["properties"][name]
    return feature


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        ([_place() | {"properties": None}], ["feature 1: has no properties"]),
        ([_place() | {"properties": ["x"]}], ["feature 1: has no properties"]),
        ([_without("alt_names")], ["feature 1, column alt_names: is missing"]),
        ([_without("admin1")], ["feature 1, column admin1: is missing"]),
        (
            [_without("place_id")],
            [
                "feature 1, column place_id: is missing",
                "feature 1, column place_id: '' is not a slug",
            ],
        ),
        (
            [_with(place_id="Tash kent")],
            ["feature 1, column place_id: 'Tash kent' is not a slug"],
        ),
        (
            [_place(), _place(), _place()],
            [
                "feature 2, column place_id: 'tashkent' is a duplicate",
                "feature 3, column place_id: 'tashkent' is a duplicate",
            ],
        ),
        ([_with(name=" ")], ["feature 1, column name: is empty"]),
        ([_with(name=None)], ["feature 1, column name: is empty"]),
        (
            [_with(kind=None)],
            [
                "feature 1, column kind: None is not one of city, airport, "
                "border_town, district, province, region, valley, country"
            ],
        ),
        (
            # A bad code is named, and the place is not then checked against it.
            [_place(lon=75.0, lat=41.0, country="uz")],
            ["feature 1, column country: 'uz' is not ISO 3166-1 alpha-2 (e.g. UZ)"],
        ),
        (
            [_place(country="uz"), _place("osh", 59.0, 40.0)],
            [
                "feature 1, column country: 'uz' is not ISO 3166-1 alpha-2 (e.g. UZ)",
                "feature 2: lies outside its stated country UZ (at lon 59.0000, "
                "lat 40.0000)",
            ],
        ),
        (
            [_place(country="TJ"), _place("osh", 59.0, 40.0)],
            [
                "feature 2: lies outside its stated country UZ "
                "(at lon 59.0000, lat 40.0000)"
            ],
        ),
        (
            [_point([], "Point"), _place("osh", 59.0, 40.0)],
            [
                "feature 1: geometry has malformed coordinates",
                "feature 2: lies outside its stated country UZ (at lon 59.0000, "
                "lat 40.0000)",
            ],
        ),
        ([_place(lon=59.98, lat=40.0)], []),
        (
            [_place(lon=59.95, lat=40.0)],
            [
                "feature 1: lies outside its stated country UZ "
                "(at lon 59.9500, lat 40.0000)"
            ],
        ),
        (
            [_place(lon=75.0, lat=41.0, country="KG"), _place("osh", 69.2, 41.3, "KG")],
            [
                "feature 2: lies outside its stated country KG "
                "(at lon 69.2000, lat 41.3000)"
            ],
        ),
        # An area is placed by a point inside it.
        (
            [
                _place()
                | {
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[50, 30], [52, 30], [52, 32], [50, 32], [50, 30]]
                        ],
                    }
                }
            ],
            [
                "feature 1: lies outside its stated country UZ "
                "(at lon 51.0000, lat 31.0000)"
            ],
        ),
        (
            [
                _place()
                | {
                    "geometry": {
                        "type": "MultiPolygon",
                        "coordinates": [
                            [[[61, 39], [63, 39], [63, 41], [61, 41], [61, 39]]]
                        ],
                    }
                }
            ],
            [],
        ),
    ],
)
def test_each_fault_of_a_place_is_named(features, expected):
    countries = {"UZ": _shape(SQUARE_UZ), "KG": _shape(SQUARE_KG)}
    problems, ids = check_places(features, countries)
    assert [str(p) for p in problems] == [f"places.geojson, {e}" for e in expected]


@pytest.mark.parametrize(
    ("lon", "problems"),
    [
        (0.0, []),  # 0.03 degrees from the border: at the tolerance, accepted
        (-0.0001, ["lies outside its stated country UZ (at lon -0.0001, lat 0.5000)"]),
    ],
)
def test_a_place_is_accepted_up_to_the_border_tolerance(lon, problems):
    # A square whose western edge is 0.03 degrees east of the meridian, so that
    # the distance is exactly the tolerance for a point on the meridian.
    countries = {"UZ": _shape([[[0.03, 0], [1, 0], [1, 1], [0.03, 1], [0.03, 0]]])}
    found, _ = check_places([_place(lon=lon, lat=0.5)], countries)
    assert [p.message for p in found] == problems


def _shape(coordinates):
    from shapely.geometry import Polygon

    return Polygon(coordinates[0])


def test_places_are_not_located_without_country_boundaries():
    problems, ids = check_places([_place(lon=10.0, lat=10.0), _place("osh")], None)
    assert problems == []
    assert ids == {"tashkent", "osh"}


def test_the_place_ids_are_those_of_the_features_with_properties():
    features = [_place("a"), "x", _place() | {"properties": None}, _place("b")]
    problems, ids = check_places(features, None)
    assert ids == {"a", "b"}
    assert [p.row for p in problems] == [2, 3]


# --- regions -------------------------------------------------------------------


def _region_with(**properties):
    feature = _region("UZ", "UZ", SQUARE_UZ)
    feature["properties"] = feature["properties"] | properties
    return feature


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        ([_region_with(region_id="")], ["feature 1, column region_id: is missing"]),
        ([_region_with(name=" ")], ["feature 1, column name: is missing"]),
        ([_region_with(level=None)], ["feature 1, column level: is missing"]),
        ([_region_with(country=None)], ["feature 1, column country: is missing"]),
        (
            [_region("UZ", "UZ", SQUARE_UZ) | {"properties": None}],
            [
                "feature 1, column region_id: is missing",
                "feature 1, column name: is missing",
                "feature 1, column level: is missing",
                "feature 1, column country: is missing",
            ],
        ),
        (
            [_region_with(level="oblast")],
            ["feature 1, column level: 'oblast' is not one of country, admin1, valley"],
        ),
        (
            [
                _region("UZ", "UZ", SQUARE_UZ),
                _region("KG", "KG", SQUARE_KG),
                _region("UZ", "UZ", SQUARE_UZ, "admin1"),
            ],
            ["feature 3, column region_id: is a duplicate"],
        ),
        ([_region("fergana", "UZ", SQUARE_UZ, "valley")], []),
        (
            # A missing id is missing, not a duplicate of any id a region has.
            [_region_with(region_id="XXXX"), _region_with(region_id=None)],
            ["feature 2, column region_id: is missing"],
        ),
        (
            # Regions without an id: each is missing, none a duplicate.
            [
                _region_with(region_id=None),
                _region_with(region_id=""),
                _region_with(region_id=" "),
                _region_with(region_id=" "),
            ],
            [f"feature {i}, column region_id: is missing" for i in range(1, 5)],
        ),
        (
            ["UZ", _region_with(level="oblast")],
            [
                "feature 1: is not a JSON object",
                "feature 2, column level: 'oblast' is not one of country, admin1, "
                "valley",
            ],
        ),
    ],
)
def test_each_fault_of_a_region_is_named(features, expected):
    problems, _ = check_regions(features)
    assert [str(p) for p in problems] == [f"regions.geojson, {e}" for e in expected]


def test_only_readable_country_regions_are_borders():
    features = [
        _region("UZ", "UZ", SQUARE_UZ),
        _region("fergana", "KG", SQUARE_KG, "valley"),
        _region("KZ", "KZ", [[[0, 0], [1, 1]]]),
        _region("TJ", "TJ", [[[67, 37], [70, 37], [70, 39], [67, 39], [67, 37]]]),
    ]
    problems, countries = check_regions(features)
    assert sorted(countries) == ["TJ", "UZ"]
    assert countries["UZ"].bounds == (60.0, 38.0, 72.0, 44.0)
    assert countries["TJ"].bounds == (67.0, 37.0, 70.0, 39.0)
    assert [p.row for p in problems] == [3]


# --- whole folders --------------------------------------------------------------


def test_a_path_that_is_not_a_folder_is_named(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("x")
    report, frame, kept = read_and_validate_all(path)
    assert [str(p) for p in report.problems] == [f"{path}: is not a folder"]
    assert (frame, kept) == (None, None)
    report, frame = read_and_validate(tmp_path / "nowhere")
    assert [str(p) for p in report.problems] == [
        f"{tmp_path / 'nowhere'}: is not a folder"
    ]
    assert frame is None


def test_a_folder_given_as_text_is_read(tmp_path):
    folder = write_dataset(tmp_path)
    report, frame, kept = read_and_validate_all(str(folder))
    assert report.directory == folder
    assert report.summary() == f"OK: 1 events, 1 places and 2 regions in {folder}"
    assert frame["event_id"].tolist() == ["1999-tashkent"]
    assert kept is None


def test_the_counts_come_from_each_file(tmp_path):
    events = [_event(event_id=f"e{n}") for n in range(3)]
    places = [_place(), _place("andijan", 71.5, 40.8)]
    regions = [_region("UZ", "UZ", SQUARE_UZ)]
    folder = write_dataset(tmp_path, events, places, regions)
    report = read_and_validate(folder)[0]
    assert report.summary() == f"OK: 3 events, 2 places and 1 regions in {folder}"


def test_places_of_the_events_come_from_places_geojson(tmp_path):
    folder = write_dataset(tmp_path, places=[_place("andijan", 71.5, 40.8)])
    report, _ = read_and_validate(folder)
    assert [str(p) for p in report.problems] == [
        "events.csv, row 2, column place_id: 'tashkent' is not a place in "
        "places.geojson"
    ]


def test_an_unreadable_places_file_skips_the_place_check(tmp_path):
    folder = write_dataset(tmp_path, places=[_place("andijan", 71.5, 40.8)])
    (folder / "places.geojson").write_text("[]")
    (folder / "regions.geojson").write_bytes(b"\xff")
    report, _ = read_and_validate(folder)
    assert [str(p) for p in report.problems] == [
        "regions.geojson: is not UTF-8 text",
        "places.geojson: is not a GeoJSON FeatureCollection",
    ]
    assert (report.n_events, report.n_places, report.n_regions) == (1, 0, 0)


def test_places_outside_their_country_need_the_regions(tmp_path):
    folder = write_dataset(tmp_path, places=[_place(lon=59.0, lat=40.0)])
    assert [str(p) for p in read_and_validate(folder)[0].problems] == [
        "places.geojson, feature 1: lies outside its stated country UZ "
        "(at lon 59.0000, lat 40.0000)"
    ]
    (folder / "regions.geojson").unlink()
    assert [str(p) for p in read_and_validate(folder)[0].problems] == [
        "regions.geojson: is missing"
    ]


def test_a_folder_read_row_by_row_counts_every_row_and_gives_no_frame(tmp_path):
    folder = write_dataset(
        tmp_path, events=[_event(event_id=f"e{n}") for n in range(2)]
    )
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("a,b\n")
    report, frame, kept = read_and_validate_all(folder)
    assert [str(p) for p in report.problems] == [
        "events.csv, row 4: has 2 fields where the header has 21"
    ]
    assert report.n_events == 3
    assert (frame, kept) == (None, None)


def test_source_columns_are_checked_against_the_rows_read_one_by_one(tmp_path):
    folder = write_dataset(
        tmp_path, events=[_event(event_id=f"e{n}") for n in range(2)]
    )
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("e9,b\n")
    (folder / "source_columns.csv").write_text("event_id,note\ne1,x\ne9,y\n")
    report, frame, kept = read_and_validate_all(folder)
    assert [str(p) for p in report.problems] == [
        "events.csv, row 4: has 2 fields where the header has 21",
        "source_columns.csv, row 3, column event_id: 'e9' is not an event of "
        "events.csv",
    ]
    assert frame is None
    assert kept.to_dict("list") == {"event_id": ["e1", "e9"], "note": ["x", "y"]}


def test_source_columns_are_checked_against_the_frame(tmp_path):
    folder = write_dataset(
        tmp_path, events=[_event(event_id=f"e{n}") for n in range(2)]
    )
    (folder / "source_columns.csv").write_text("event_id,note\ne1,x\ne7,y\n")
    report, frame, kept = read_and_validate_all(folder)
    assert [str(p) for p in report.problems] == [
        "source_columns.csv, row 3, column event_id: 'e7' is not an event of "
        "events.csv",
    ]
    assert frame["event_id"].tolist() == ["e0", "e1"]
    assert kept.to_dict("list") == {"event_id": ["e1", "e7"], "note": ["x", "y"]}


@pytest.mark.parametrize(
    "events",
    [
        None,  # no events.csv
        b"\xff",  # not text
        b"title,layer\nx,y\n\n",  # no event_id column, read row by row
    ],
)
def test_source_columns_without_event_ids_are_still_read(tmp_path, events):
    folder = write_dataset(tmp_path)
    if events is None:
        (folder / "events.csv").unlink()
    else:
        (folder / "events.csv").write_bytes(events)
    (folder / "source_columns.csv").write_text("event_id,note,note\n")
    report, frame, kept = read_and_validate_all(folder)
    assert str(report.problems[-1]) == (
        "source_columns.csv, row 1, column note: the column appears more than once"
    )
    assert (frame, kept) == (None, None)


@pytest.mark.parametrize("source_columns", [None, "event_id,note\ne1,x\n"])
def test_a_table_without_event_ids_is_named_not_a_crash(tmp_path, source_columns):
    folder = write_dataset(tmp_path)
    (folder / "events.csv").write_text("title,layer\nx,y\n")
    if source_columns is not None:
        (folder / "source_columns.csv").write_text(source_columns)
    report, frame, kept = read_and_validate_all(folder)
    missing = ", ".join(c for c in EVENT_COLUMNS if c not in ("title", "layer"))
    assert [str(p) for p in report.problems] == [
        f"events.csv, row 1: missing columns: {missing}"
    ]
    assert frame.to_dict("list") == {"title": ["x"], "layer": ["y"]}
    expected = None if source_columns is None else {"event_id": ["e1"], "note": ["x"]}
    assert (kept if kept is None else kept.to_dict("list")) == expected


def test_a_source_columns_file_that_cannot_be_opened_is_named(tmp_path, monkeypatch):
    def refuse(path, event_ids):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(validate, "read_source_columns", refuse)
    folder = write_dataset(tmp_path)
    (folder / "source_columns.csv").write_text("event_id\n")
    report, frame, kept = read_and_validate_all(folder)
    assert [str(p) for p in report.problems] == [
        "source_columns.csv: cannot be read (Permission denied)"
    ]
    assert kept is None


def test_a_frame_just_written_is_checked_without_reading_it(tmp_path):
    folder = write_dataset(tmp_path, places=[_place(), _place("andijan", 71.5, 40.8)])
    (folder / "events.csv").write_text("not read")
    header, rows = _text_rows({}, {"layer": "raid", "place_id": "osh"})
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    report = validate_read_events(str(folder), frame)
    assert report.directory == folder
    assert [str(p) for p in report.problems] == [
        "events.csv, row 3, column layer: 'raid' is not one of attack, base, context",
        "events.csv, row 3, column place_id: 'osh' is not a place in places.geojson",
    ]
    assert (report.n_events, report.n_places, report.n_regions) == (2, 2, 2)


def test_a_folder_read_row_by_row_is_checked_against_its_places_and_source(
    tmp_path,
):
    folder = write_dataset(tmp_path, events=[_event(place_id="osh")])
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")  # a blank line: the row reader reads the file
    report, frame, _ = read_and_validate_all(folder, "The IMU moved.")
    assert frame is None
    assert [str(p) for p in report.problems] == [
        "events.csv, row 2, column place_id: 'osh' is not a place in places.geojson",
        "events.csv, row 2, column source_quote: this passage is not in the source "
        "text: 'It then moved to Tashkent in 1999.'",
        "events.csv, row 3: has 0 fields where the header has 21",
    ]


def test_places_of_unknown_country_are_read_without_regions(tmp_path):
    folder = write_dataset(tmp_path, places=[_place(country="")])
    (folder / "regions.geojson").unlink()
    report = read_and_validate(folder)[0]
    assert [str(p) for p in report.problems] == ["regions.geojson: is missing"]
    assert (report.n_events, report.n_places, report.n_regions) == (1, 1, 0)


def test_every_unknown_column_is_named_in_one_line():
    header, rows = _text_rows({})
    header, rows = [*header, "colour", "size"], [[*rows[0], "red", "big"]]
    assert [str(p) for p in check_event_rows(header, rows)] == [
        "events.csv, row 1: unknown columns: colour, size"
    ]


def test_a_blank_quote_does_not_end_the_check_of_the_quotes_after_it():
    header, rows = _text_rows({"source_quote": " "}, {"source_quote": "Gone."})
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    assert [str(p) for p in check_event_frame(frame, source_text="Here.")] == [
        "events.csv, row 2, column source_quote: is empty",
        "events.csv, row 3, column source_quote: this passage is not in the source "
        "text: 'Gone.'",
    ]


@pytest.mark.parametrize(
    ("raw", "needs"),
    [
        (b"\na,b\n1,2\n", True),  # a blank first line, LF
        (b"\ra,b\r1,2\r", True),  # CR
        (b"\r\na,b\r\n", True),
        (b"\x0ba,b\n", False),  # a vertical tab is text
        (b"\x0ea,b\n", False),
    ],
)
def test_a_blank_first_line_needs_the_row_reader(raw, needs):
    assert validate._needs_row_reader(raw) is needs
