"""JSON and GeoJSON read piece by piece: the shape counted before parsing, the
cells as text, and what a whole read gives for features and records.

Every expectation is worked out by hand from the text of the example.
"""

from __future__ import annotations

import json

import pytest

from imu_geo.importers import ImportFailure, Limits, read_table
from imu_geo.importers.reading.jsonfile import (
    _json_cell,
    _json_cost,
    _json_shape,
)
from imu_geo.importers.reading.table import _CHUNK

BIG = 10**15


def _shape(data: bytes, budget: int = BIG) -> tuple[int, int, int, int, int]:
    s = _json_shape(data, budget)
    return (s.objects, s.arrays, s.separators, s.depth, s.scanned)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", (0, 0, 0, 0, 0)),
        (b"1", (0, 0, 0, 0, 1)),
        (b'[{"a":1},{"b":"x,y"}]', (2, 1, 3, 2, 21)),
        # A quote after one backslash is inside the string.
        (b'["a\\"[,",{}]', (1, 1, 1, 2, 12)),
        # A quote after two backslashes ends the string.
        (b'["a\\\\",[]]', (0, 2, 1, 2, 10)),
        (b'["a\\\\\\"]"]', (0, 1, 0, 1, 10)),
        (b'{"k":[[],{}]}', (2, 2, 2, 3, 13)),
        (b"[] [] []", (0, 3, 0, 1, 8)),
    ],
)
def test_json_shape_counts_outside_strings(data, expected):
    assert _shape(data) == expected


def test_json_shape_counts_a_whole_large_text():
    data = b"[" + b"{}," * (_CHUNK // 3) + b"{}]"
    n = _CHUNK // 3 + 1
    assert _shape(data) == (n, 1, n - 1, 2, len(data))


@pytest.mark.parametrize(
    ("tail", "objects", "separators"),
    [
        # One backslash ends the first chunk: the quote after it is escaped.
        (b'\\",{}"]', 0, 0),
        # Two backslashes, one on either side: the quote ends the string.
        (b'\\\\",{}]', 1, 1),
    ],
)
def test_json_shape_carries_a_run_of_backslashes_across_chunks(
    tail, objects, separators
):
    head = b'["' + b"x" * (_CHUNK - 3)
    data = head + tail
    assert len(head + tail[:1]) == _CHUNK
    assert _shape(data)[:3] == (objects, 1, separators)


def test_json_shape_carries_two_backslashes_ending_a_chunk():
    data = b'["' + b"x" * (_CHUNK - 4) + b"\\\\" + b'",{}]'
    assert len(data) == _CHUNK + 5
    assert _shape(data)[:3] == (1, 1, 1)


def test_json_shape_carries_a_string_across_chunks():
    data = b'["' + b"x" * (_CHUNK - 2) + b',{}"]'
    assert _shape(data)[:4] == (0, 1, 0, 1)


def test_json_shape_carries_the_depth_across_chunks():
    data = b"[[" + b" " * (_CHUNK - 2) + b"[]]]"
    assert _shape(data)[:4] == (0, 3, 0, 3)


def test_json_shape_stops_after_the_chunk_that_goes_over_the_budget():
    data = b"[" + b" " * _CHUNK + b"]"
    # The cost of the whole text's bytes, with one list: 64 MiB + 6 per byte + 128.
    cost = 64 * 2**20 + 6 * len(data) + 128
    assert _shape(data, cost)[4] == len(data)
    assert _shape(data, cost - 1)[4] == _CHUNK


def test_json_shape_stops_after_the_chunk_that_goes_too_deep():
    data = b"[" * 65 + b" " * _CHUNK + b"]" * 65
    assert _shape(data)[3:] == (65, _CHUNK)
    shallow = b"[" * 64 + b" " * _CHUNK + b"]" * 64
    assert _shape(shallow)[3:] == (64, len(shallow))


def test_json_cost():
    # 64 MiB, 6 bytes per byte of text, 128 per container, 64 per separator.
    assert _json_cost(10, 2, 1, 3) == 67_108_864 + 60 + 384 + 192
    assert _json_cost(0, 0, 0, 0) == 67_108_864


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (12, "12"),
        (1.5, "1.5"),
        ("", ""),
        ("x y", "x y"),
        ([1, "é"], '[1, "é"]'),
        ({"a": None}, '{"a": null}'),
    ],
)
def test_json_cell(value, text):
    assert _json_cell(value) == text


def _read(document, name: str = "f.json", limits: Limits | None = None):
    text = document if isinstance(document, bytes) else json.dumps(document).encode()
    return read_table(name, text, limits)


def test_a_list_of_records_is_read_with_every_key_as_a_column():
    table = _read([{"a": 1, "b": None}, 7, {"c": True, "a": "x"}])
    assert table.frame.to_dict("list") == {
        "a": ["1", "x"],
        "b": ["", ""],
        "c": ["", "true"],
    }
    assert table.rows.tolist() == [1, 3]
    assert table.bad_rows == ((2, "record 2 is not a JSON object"),)
    assert table.unit == "record"
    assert table.notes == ()


def test_records_under_data_are_read():
    table = _read({"data": [{"a": 1}], "meta": {"n": 1}})
    assert table.frame.to_dict("list") == {"a": ["1"]}
    assert table.unit == "record"


def _feature(geometry, properties):
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def test_features_take_their_points_coordinates():
    document = {
        "type": "FeatureCollection",
        "features": [
            _feature({"type": "Point", "coordinates": [69.5, 40.25]}, {"n": 1}),
            _feature(None, {"n": 2}),
            _feature({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, {}),
            _feature({"type": "Point", "coordinates": [1]}, None),
            "x",
            {"type": "Feature", "properties": {"n": 6}},
        ],
    }
    table = _read(document, "f.geojson")
    assert table.frame.to_dict("list") == {
        "n": ["1", "2", "", "", "6"],
        "longitude": ["69.5", "", "", "", ""],
        "latitude": ["40.25", "", "", "", ""],
    }
    assert table.rows.tolist() == [1, 2, 3, 4, 6]
    assert table.bad_rows == ((5, "feature 5 is not a JSON object"),)
    assert table.unit == "feature"
    assert table.notes == (
        "f.geojson: 2 feature(s) have a geometry that is not a Point; their "
        "coordinates are not used (feature 3, 4)",
    )


def test_the_features_not_points_are_listed_up_to_ten():
    line = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    document = {
        "type": "FeatureCollection",
        "features": [_feature(line, {"n": i}) for i in range(11)],
    }
    assert _read(document).notes == (
        "f.json: 11 feature(s) have a geometry that is not a Point; their "
        "coordinates are not used (feature 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...)",
    )
    document["features"] = document["features"][:10]
    assert _read(document).notes[0].endswith("(feature 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)")


@pytest.mark.parametrize(
    "names", [(" Latitude ", "LONGITUDE"), ("lat", "lon"), ("Lat", " Lon")]
)
def test_features_with_their_own_coordinate_columns_keep_them(names):
    point = {"type": "Point", "coordinates": [1, 2]}
    document = {
        "type": "FeatureCollection",
        "features": [_feature(point, {names[0]: "5", names[1]: "6"})],
    }
    table = _read(document)
    assert list(table.frame.columns) == list(names)


@pytest.mark.parametrize("names", [("lat", "longitude"), ("latitude", "x")])
def test_features_with_half_a_pair_of_coordinate_columns_get_the_points(names):
    point = {"type": "Point", "coordinates": [1, 2]}
    document = {
        "type": "FeatureCollection",
        "features": [_feature(point, {names[0]: "5", names[1]: "6"})],
    }
    table = _read(document)
    assert table.frame["latitude"].tolist() == ["2"]
    assert table.frame["longitude"].tolist() == ["1"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"type": "FeatureCollection", "features": {"a": 1}},
            "f.json: is a FeatureCollection without a list of features",
        ),
        (
            {"type": "FeatureCollection"},
            "f.json: is a FeatureCollection without a list of features",
        ),
        (
            {"type": "Feature", "data": 1},
            "f.json: is JSON but not a GeoJSON FeatureCollection or a list of records",
        ),
        (
            "x",
            "f.json: is JSON but not a GeoJSON FeatureCollection or a list of records",
        ),
        ([], "f.json: has no features or records"),
        (
            {"type": "FeatureCollection", "features": []},
            "f.json: has no features or records",
        ),
        (b"[1,", "f.json: is not valid JSON (line 1, column 4)"),
        (b'{"a":\n x}', "f.json: is not valid JSON (line 2, column 2)"),
        (b"   ", "f.json: is empty"),
    ],
)
def test_json_refusals(document, message):
    with pytest.raises(ImportFailure) as caught:
        _read(document)
    assert str(caught.value) == message


def test_json_nested_deeper_than_64_levels_is_refused_with_its_depth():
    with pytest.raises(ImportFailure) as caught:
        _read(b"[" * 65 + b"]" * 65)
    assert str(caught.value) == (
        "f.json: nests JSON 65 levels deep; a table of events needs a few, and "
        "the limit is 64"
    )
    # 64 levels are parsed: one record that is not an object.
    table = _read(b"[" * 64 + b"]" * 64)
    assert table.bad_rows == ((1, "record 1 is not a JSON object"),)


def test_the_json_budget_says_what_it_counted():
    # [{},{}]: 2 objects, 1 list, 1 separator in 7 bytes: 64 MiB + 42 + 384 + 64.
    need = 67_108_864 + 42 + 384 + 64
    with pytest.raises(ImportFailure) as caught:
        _read(b"[{},{}]", limits=Limits(max_memory=need - 1))
    assert "(2 JSON objects and 1 list in 7 bytes of text)" in str(caught.value)
    assert "about 64.0 MB" in str(caught.value)
    with pytest.raises(ImportFailure) as caught:
        _read(b'{"a":1}', limits=Limits(max_memory=67_108_864))
    assert "(1 JSON object in 7 bytes of text)" in str(caught.value)


def test_the_json_budget_of_a_text_counted_in_part_says_at_least():
    data = b"[" + b"{}," * (_CHUNK // 3 + 10) + b"{}]"
    with pytest.raises(ImportFailure) as caught:
        _read(data, limits=Limits(max_memory=64 * 2**20))
    message = str(caught.value)
    # The first chunk of 2 MiB holds 699,050 "{}," and the first "{" of the next.
    assert "more than" in message
    assert "(at least 699,051 JSON objects in its first 2.0 MB of 2.0 MB)" in message


def test_the_budget_of_the_cells_counts_rows_times_columns_plus_two():
    # [{"a":1,"b":2}]: 1 object, 1 list, 3 separators in 15 bytes.
    text = b'[{"a":1,"b":2}]'
    parse = 67_108_864 + 6 * 15 + 128 * 2 + 64 * 3
    cells = 80 * 1 * (2 + 2)
    table = _read(text, limits=Limits(max_memory=parse + cells))
    assert table.frame.to_dict("list") == {"a": ["1"], "b": ["2"]}
    with pytest.raises(ImportFailure) as caught:
        _read(text, limits=Limits(max_memory=parse + cells - 1))
    assert "(1 record × 2 columns from 15 bytes of JSON)" in str(caught.value)


def test_the_column_limit_counts_the_keys_of_every_record():
    records = [{"a": 1, "b": 2}, {"c": 3}]
    assert list(_read(records, limits=Limits(max_columns=3)).frame.columns) == [
        "a",
        "b",
        "c",
    ]
    with pytest.raises(ImportFailure, match="columns"):
        _read(records, limits=Limits(max_columns=2))


def test_the_json_budget_of_one_object_counted_in_part():
    data = b"[{}" + b" " * _CHUNK + b"]"
    with pytest.raises(ImportFailure) as caught:
        _read(data, limits=Limits(max_memory=64 * 2**20))
    assert "(at least 1 JSON object in its first 2.0 MB of 2.0 MB)" in str(caught.value)


def test_the_budget_of_the_cells_is_refused_in_one_line_with_its_advice():
    # [{"a":1}]: 1 object, 1 list, 1 separator in 9 bytes; 80 bytes for each of
    # 1 record x (1 + 2) columns.
    need = 67_108_864 + 6 * 9 + 128 * 2 + 64 * 1 + 80 * 3
    assert _read(b'[{"a":1}]', limits=Limits(max_memory=need)).rows.tolist() == [1]
    with pytest.raises(ImportFailure) as caught:
        _read(b'[{"a":1}]', limits=Limits(max_memory=need - 1))
    assert str(caught.value) == (
        "f.json: importing it would take about 64.0 MB of memory (1 record × 1 "
        "column from 9 bytes of JSON); one import may take 64 MB: save it as CSV, "
        "which takes far less, or split it"
    )


def test_the_column_limit_counts_the_new_keys_of_a_record_one_by_one():
    records = [{"a": 1, "b": 2}, {"c": 3, "d": 4}]
    with pytest.raises(ImportFailure) as caught:
        _read(records, limits=Limits(max_columns=3))
    assert str(caught.value) == "f.json: has 4 columns; the limit is 3 columns"


def test_json_keys_that_differ_only_in_case_or_spaces_are_refused():
    with pytest.raises(ImportFailure) as caught:
        _read([{"a": 1, "A ": 2}])
    assert str(caught.value) == "f.json: the column 'A ' appears more than once"


def test_the_json_row_limit_names_the_file():
    with pytest.raises(ImportFailure) as caught:
        _read([{"a": 1}, {"a": 2}], limits=Limits(max_rows=1))
    assert str(caught.value) == "f.json: has 2 rows; the limit is 1 row"


def test_records_that_are_no_objects_leave_integer_rows():
    table = _read([1, "x"])
    assert table.rows.dtype == "int64"
    assert table.rows.tolist() == []
    assert table.bad_rows == (
        (1, "record 1 is not a JSON object"),
        (2, "record 2 is not a JSON object"),
    )


def test_a_long_json_field_is_named_by_its_record():
    records = [5, {"a": "x"}, {"a": "xyz"}]
    with pytest.raises(ImportFailure) as caught:
        _read(records, limits=Limits(max_field_bytes=2))
    assert str(caught.value) == (
        "f.json: row 3 has a field longer than 2 bytes (column 'a'); that is the "
        "limit for one field"
    )


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RecursionError("deep"), "f.json: is not valid JSON (nested too deeply)"),
        (ValueError("bad value.\nmore"), "f.json: is not valid JSON (bad value)"),
        (
            UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
            "f.json: is not valid JSON ('utf-8' codec can't decode byte 0xff in "
            "position 0: invalid start byte)",
        ),
    ],
)
def test_an_error_of_the_json_parser_is_one_line(monkeypatch, error, message):
    def fails(data):
        raise error

    monkeypatch.setattr(json, "loads", fails)
    with pytest.raises(ImportFailure) as caught:
        _read(b"[1]")
    assert str(caught.value) == message


def test_json_shape_carries_an_odd_run_only_to_the_first_byte_of_a_chunk():
    # "\n" split after its backslash; then an escaped quote: all one string.
    data = b'["' + b"x" * (_CHUNK - 3) + b"\\" + b'n\\",{}"]'
    assert _shape(data)[:3] == (0, 1, 0)


def test_json_shape_a_chunk_with_a_backslash_not_at_its_end_carries_no_run():
    # The string ends in the first byte of the next chunk.
    data = b'["\\n' + b"x" * (_CHUNK - 4) + b'",{}]'
    assert _shape(data)[:3] == (1, 1, 1)


def test_json_shape_a_chunk_without_a_backslash_carries_no_run():
    data = b'["' + b"x" * (_CHUNK - 2) + b'",{}]'
    assert _shape(data)[:3] == (1, 1, 1)
    # ... and one with a backslash after it counts from nothing.
    data = b'["' + b"x" * (_CHUNK - 2) + b'\\n",{}]'
    assert _shape(data)[:3] == (1, 1, 1)


def test_json_shape_adds_the_depth_of_every_chunk():
    data = b"[" + b" " * (_CHUNK - 1) + b"[" + b" " * (_CHUNK - 1) + b"[]]]"
    assert _shape(data)[:4] == (0, 3, 0, 3)
