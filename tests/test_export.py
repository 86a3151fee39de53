"""CSV and GeoJSON exports: exact bytes, spreadsheet safety, numbers untouched."""

import csv
import io
import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imu_geo.export import (
    EXPORT_COLUMNS,
    _neutralised,
    csv_header,
    csv_rows,
    export_columns,
    export_records,
    neutralise_formula,
    table_csv_bytes,
    to_csv_bytes,
    to_geojson_bytes,
    write_csv,
    write_geojson,
    write_selection,
)
from tests.helpers import make_events


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Tashkent", "Tashkent"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_formula(text, expected):
    assert neutralise_formula(text) == expected


EVENTS = make_events(
    [
        {
            "event_id": "1999-02-tashkent",
            "date_start": "1999-02-01",
            "date_end": "1999-02-28",
            "date_precision": "month",
            "title": '=HYPERLINK("http://evil","click")',
            "description": 'Five car bombs, "simultaneous", in Tashkent',
            "fatalities_low": "16",
            "fatalities_best": "16",
            "fatalities_high": "16",
            "place_id": "tashkent",
            "place_name": "Tashkent",
            "lat": 41.26465,
            "lon": 69.21627,
            "notes": "-> see also",
        },
        {
            "event_id": "2002-redesignation",
            "date_start": "2002-09-25",
            "date_end": "2002-09-25",
            "layer": "context",
            "event_type": "designation",
            "title": "Redesignated",
            "lon": -69.2,
            "lat": 1.5,
        },
    ]
)


def test_csv_is_rfc4180_and_spreadsheet_safe():
    payload = to_csv_bytes(EVENTS)
    text = payload.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == ",".join(EXPORT_COLUMNS)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 2
    first, second = rows
    assert first["title"] == '\'=HYPERLINK("http://evil","click")'
    assert first["description"] == 'Five car bombs, "simultaneous", in Tashkent'
    assert first["notes"] == "'-> see also"
    assert (first["fatalities_best"], first["lat"], first["lon"]) == (
        "16",
        "41.2647",
        "69.2163",
    )
    assert (first["date_start"], first["date_end"]) == ("1999-02-01", "1999-02-28")
    # Numbers are never prefixed, negative ones included; unknown is empty.
    assert (second["lon"], second["fatalities_best"]) == ("-69.2", "")
    assert '"\'=HYPERLINK(""http://evil"",""click"")"' in lines[1]


def test_geojson_points_and_null_geometry():
    document = json.loads(to_geojson_bytes(EVENTS))
    first, second = document["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [69.2163, 41.2647]}
    assert first["properties"]["fatalities_best"] == 16
    assert first["properties"]["title"] == '=HYPERLINK("http://evil","click")'
    assert second["properties"]["fatalities_best"] is None
    assert set(first["properties"]) == set(EXPORT_COLUMNS) - {"lat", "lon"}


def test_an_empty_selection_gives_a_header_only_csv():
    assert (
        to_csv_bytes(EVENTS.iloc[0:0]) == (",".join(EXPORT_COLUMNS) + "\r\n").encode()
    )


# --- properties: any text, any numbers ----------------------------------------

# Written out here rather than taken from the module: a spreadsheet runs a cell
# that starts with one of these.
SPREADSHEET_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER_COLUMNS = ("fatalities_low", "fatalities_best", "fatalities_high", "lat", "lon")
TEXT_FIELDS = (
    "date_precision",
    "date_origin",
    "layer",
    "event_type",
    "place_id",
    "geo_precision",
    "place_origin",
    "actors",
    "target",
    "attribution",
    "title",
    "description",
    "source_quote",
    "source",
    "notes",
    "place_name",
)
_text = st.text(max_size=30)
_cell_text = _text | st.builds(
    lambda prefix, rest: prefix + rest, st.sampled_from(SPREADSHEET_PREFIXES), _text
)
_count = st.none() | st.integers(min_value=0, max_value=10**7)
_day = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def _events(draw):
    rows = []
    for number in range(draw(st.integers(min_value=1, max_value=5))):
        start = draw(_day)
        end = start + timedelta(days=draw(st.integers(min_value=0, max_value=800)))
        located = draw(st.booleans())
        row = {column: draw(_cell_text) for column in TEXT_FIELDS}
        row |= {
            "event_id": f"e{number}",
            "date_start": start.isoformat(),
            "date_end": end.isoformat(),
            "fatalities_low": draw(_count),
            "fatalities_best": draw(_count),
            "fatalities_high": draw(_count),
            "lat": draw(st.floats(-90, 90)) if located else None,
            "lon": draw(st.floats(-180, 180)) if located else None,
        }
        rows.append(row)
    return rows


def _expected_text(value: str) -> str:
    return "'" + value if value.startswith(SPREADSHEET_PREFIXES) else value


@settings(max_examples=150, deadline=None)
@given(_events())
def test_csv_round_trips_every_cell_but_the_formula_prefix(rows):
    payload = to_csv_bytes(make_events(rows))
    read = list(csv.reader(io.StringIO(payload.decode("utf-8"), newline="")))
    assert read[0] == list(EXPORT_COLUMNS)
    assert len(read) == len(rows) + 1
    for row, cells in zip(rows, read[1:], strict=True):
        cell = dict(zip(EXPORT_COLUMNS, cells, strict=True))
        for column in TEXT_FIELDS:
            assert cell[column] == _expected_text(row[column]), column
        assert cell["event_id"] == row["event_id"]
        assert (cell["date_start"], cell["date_end"]) == (
            row["date_start"],
            row["date_end"],
        )
        for column in NUMBER_COLUMNS:
            value = row[column]
            if value is None:
                assert cell[column] == ""
            elif column.startswith("fatalities"):
                assert cell[column] == str(value)
            else:
                # A number, never prefixed (negative ones included), to 4 places.
                assert float(cell[column]) == round(value, 4)


@settings(max_examples=150, deadline=None)
@given(_events())
def test_geojson_parses_with_every_value_as_it_was(rows):
    document = json.loads(to_geojson_bytes(make_events(rows)).decode("utf-8"))
    assert document["type"] == "FeatureCollection"
    assert len(document["features"]) == len(rows)
    for row, feature in zip(rows, document["features"], strict=True):
        properties = feature["properties"]
        for column in TEXT_FIELDS:
            assert properties[column] == row[column], column  # no prefix in JSON
        for column in ("fatalities_low", "fatalities_best", "fatalities_high"):
            assert properties[column] == row[column]
        if row["lat"] is None:
            assert feature["geometry"] is None
        else:
            assert feature["geometry"] == {
                "type": "Point",
                "coordinates": [round(row["lon"], 4), round(row["lat"], 4)],
            }


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            _cell_text,
            st.none() | st.integers(min_value=-(10**9), max_value=10**9),
            st.none() | st.floats(allow_nan=False, allow_infinity=False),
        ),
        min_size=1,
        max_size=6,
    ),
    _cell_text.filter(lambda h: h not in ("count", "share")),
)
def test_any_table_round_trips_with_only_text_prefixed(rows, heading):
    import pandas as pd

    table = pd.DataFrame(
        {
            heading or "name": pd.Series([r[0] for r in rows], dtype=object),
            "count": pd.array([r[1] for r in rows], dtype="Int64"),
            "share": pd.Series([r[2] for r in rows], dtype=float),
        }
    )
    read = list(
        csv.reader(io.StringIO(table_csv_bytes(table).decode("utf-8"), newline=""))
    )
    assert read[0] == [_expected_text(heading or "name"), "count", "share"]
    for (text, count, share), cells in zip(rows, read[1:], strict=True):
        assert cells[0] == _expected_text(text)
        assert cells[1] == ("" if count is None else str(count))
        assert cells[2] == ("" if share is None else str(share))


# --- the streaming writers: batches, kept source columns, exact bytes ----------

SMALL = ("event_id", "date_start", "title", "fatalities_best", "lat", "source_row")


def _with_source_rows(frame, rows):
    frame = frame.copy()
    frame["source_row"] = pd.array(rows, dtype="Int64")
    return frame


FIRST = _with_source_rows(
    make_events(
        [
            {
                "event_id": "a",
                "date_start": "2001-05-03",
                "date_end": "2001-05-03",
                "title": "=cmd",
                "fatalities_best": "3",
                "lat": 41.123456,
                "lon": 69.0,
            }
        ]
    ),
    [7],
)
SECOND = _with_source_rows(
    make_events(
        [
            {
                "event_id": "b",
                "date_start": "2002-01-01",
                "date_end": "2002-01-02",
                "title": "plain, with comma",
                "lat": -0.5,
                "lon": 1.0,
            },
            {
                "event_id": "-c",
                "date_start": "2003-12-31",
                "date_end": "2003-12-31",
                "title": "Ташкент",
                "fatalities_best": "0",
            },
        ]
    ),
    [None, 12],
)
# Worked out by hand: text prefixed, numbers to four places and never prefixed,
# unknown empty, quoted only where a comma needs it, CRLF after every line.
SMALL_HEADER = "event_id,date_start,title,fatalities_best,lat,source_row\r\n"
SMALL_LINES = (
    "a,2001-05-03,'=cmd,3,41.1235,7\r\n",
    'b,2002-01-01,"plain, with comma",,-0.5,\r\n',
    "'-c,2003-12-31,Ташкент,0,,12\r\n",
)


@pytest.mark.parametrize(
    ("batches", "count"),
    [
        ([], 0),
        ([FIRST.iloc[0:0]], 0),
        ([FIRST], 1),
        ([FIRST, SECOND], 3),
        ([FIRST, SECOND.iloc[0:0], SECOND], 3),
        ([pd.concat([FIRST, SECOND], ignore_index=True)], 3),
    ],
)
def test_write_csv_streams_batches_to_the_same_bytes(batches, count):
    out = io.BytesIO()
    assert write_csv(out, batches, SMALL) == count
    assert out.getvalue().decode("utf-8") == SMALL_HEADER + "".join(SMALL_LINES[:count])


KEPT = pd.DataFrame({"Notes": ["@home", None], "=Sum": ["1", "-x"]})


def test_write_csv_adds_the_kept_columns_of_each_batch():
    out = io.BytesIO()
    written = write_csv(
        out,
        [(FIRST, KEPT.iloc[:1]), (SECOND.iloc[:1], KEPT.iloc[1:])],
        SMALL,
        ["Notes", "=Sum"],
    )
    assert written == 2
    assert out.getvalue().decode("utf-8") == (
        "event_id,date_start,title,fatalities_best,lat,source_row,"
        "source:Notes,source:=Sum\r\n"
        "a,2001-05-03,'=cmd,3,41.1235,7,'@home,1\r\n"
        'b,2002-01-01,"plain, with comma",,-0.5,,,\'-x\r\n'
    )


def test_write_csv_leaves_out_kept_columns_the_header_does_not_name():
    out = io.BytesIO()
    assert write_csv(out, [(FIRST, KEPT.iloc[:1])], SMALL) == 1
    assert out.getvalue().decode("utf-8") == SMALL_HEADER + SMALL_LINES[0]


@pytest.mark.parametrize(
    "batch",
    [
        FIRST,
        (FIRST, None),
        (FIRST, KEPT.iloc[:1, :1]),
        (FIRST, KEPT.iloc[:1, ::-1]),
    ],
    ids=["no-pair", "none", "one-missing", "reordered"],
)
def test_write_csv_refuses_a_batch_without_the_headers_kept_columns(batch):
    with pytest.raises(ValueError, match="^a batch lacks the kept source columns"):
        write_csv(io.BytesIO(), [batch], SMALL, ["Notes", "=Sum"])


def test_csv_rows_refuses_source_columns_of_another_length():
    with pytest.raises(ValueError, match="^1 row of source columns for 2 events$"):
        csv_rows(SECOND, SMALL, KEPT.iloc[:1])


def test_csv_rows_writes_kept_cells_verbatim_but_for_the_formula_prefix():
    # A NUL at the end of a cell is kept too (a fixed-width numpy string would
    # drop it).
    kept = pd.DataFrame({"Raw": ["ends in NUL\x00", "=1"]})
    assert csv_rows(SECOND, ("event_id",), kept).decode("utf-8") == (
        "b,ends in NUL\x00\r\n'-c,'=1\r\n"
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["=a", None, "b", "=a"], ["'=a", "", "b", "'=a"]),
        ([None], [""]),
        (["x\x00", "+"], ["x\x00", "'+"]),
        ([], []),
    ],
)
def test_neutralised_prefixes_each_cell_and_empties_a_missing_one(cells, expected):
    assert list(_neutralised(np.array(cells, dtype=object))) == expected


def test_csv_rows_ignores_source_columns_without_columns():
    empty = pd.DataFrame(index=range(5))
    assert csv_rows(SECOND, SMALL, empty).decode("utf-8") == "".join(SMALL_LINES[1:])


@pytest.mark.parametrize(
    ("columns", "sources", "line"),
    [
        ((), (), "\r\n"),
        (("=a", "b"), (), "'=a,b\r\n"),
        (("a",), ("c", "=d"), "a,source:c,source:=d\r\n"),
        (("x,y",), ("q",), '"x,y",source:q\r\n'),
    ],
)
def test_csv_header(columns, sources, line):
    assert csv_header(columns, sources) == line.encode("utf-8")


def test_to_csv_bytes_adds_kept_columns_and_source_event_columns():
    events = make_events(
        [
            {
                "event_id": "x",
                "date_start": "2010-01-01",
                "date_end": "2010-01-01",
                "title": "T",
            }
        ]
    )
    events["source_sub_event_type"] = ["@@#x.y"]
    events["source_id"] = ["+42"]
    payload = to_csv_bytes(events, pd.DataFrame({"Raw": ["=1"]}))
    header, line, end = payload.decode("utf-8").split("\r\n")
    assert header == ",".join(
        [*EXPORT_COLUMNS, "source_id", "source_sub_event_type", "source:Raw"]
    )
    assert line == (
        "x,2010-01-01,2010-01-01,day,,attack,bombing,,,,IMU,,,,,attributed,T,"
        ",,,,,,,'+42,'@@#x.y,'=1"
    )
    assert end == ""


def test_to_csv_bytes_treats_kept_columns_without_columns_as_none():
    empty = pd.DataFrame(index=range(len(EVENTS)))
    assert to_csv_bytes(EVENTS, empty) == to_csv_bytes(EVENTS)
    assert to_csv_bytes(EVENTS, empty).split(b"\r\n")[0] == ",".join(
        EXPORT_COLUMNS
    ).encode("utf-8")


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ((), ()),
        (("source_row",), ("source_row",)),
        (
            ("source_sub_event_type", "source_row", "source_id", "other"),
            ("source_id", "source_row", "source_sub_event_type"),
        ),
    ],
)
def test_export_columns_follow_with_the_source_event_columns_present(present, expected):
    events = pd.DataFrame(columns=["title", *present])
    assert export_columns(events) == (*EXPORT_COLUMNS, *expected)


def test_export_records_of_given_columns_and_missing_cells():
    events = make_events(
        [
            {
                "event_id": "m",
                "date_start": "2004-03-29",
                "date_end": "",
                "title": None,
                "lat": 40.0,
            }
        ]
    )
    events["source_row"] = [3.0]
    events["description"] = [float("nan")]
    records = export_records(
        events,
        [
            "date_end",
            "title",
            "description",
            "lat",
            "source_row",
            "absent",
            "date_start",
        ],
    )
    assert records == [
        {
            "date_end": "",
            "title": "",
            "description": "",
            "lat": "40.0",
            "source_row": "3",
            "absent": "",
            "date_start": "2004-03-29",
        }
    ]
    assert list(export_records(events)[0]) == list(EXPORT_COLUMNS) + ["source_row"]


def test_table_csv_bytes_exact():
    table = pd.DataFrame(
        {
            "=name": pd.Series(["+a", None, "x, y"], dtype=object),
            "when": pd.Series(
                [pd.Timestamp("2001-09-11 15:30"), None, -7], dtype=object
            ),
            "count": pd.array([3, None, -2], dtype="Int64"),
            "share": [0.5, float("nan"), -0.25],
        }
    )
    assert table_csv_bytes(table) == (
        b"'=name,when,count,share\r\n"
        b"'+a,2001-09-11,3,0.5\r\n"
        b",,,\r\n"
        b'"x, y",-7,-2,-0.25\r\n'
    )


GEO = ("event_id", "title", "fatalities_best", "lat", "lon", "source_row")


def _feature_of(event_id, title, best, point, source_row):
    return {
        "type": "Feature",
        "geometry": None if point is None else {"type": "Point", "coordinates": point},
        "properties": {
            "event_id": event_id,
            "title": title,
            "fatalities_best": best,
            "source_row": source_row,
        },
    }


# The document by hand; its text is json.dumps' with indent=1, not ASCII-escaped.
GEO_FEATURES = [
    _feature_of("a", "=cmd", 3, [69.0, 41.1235], 7),
    _feature_of("b", "plain, with comma", None, [1.0, -0.5], None),
    _feature_of("-c", "Ташкент", 0, None, 12),
]


@pytest.mark.parametrize(
    ("batches", "count"),
    [
        ([FIRST], 1),
        ([FIRST, SECOND], 3),
        ([FIRST.iloc[0:0], FIRST, SECOND.iloc[0:0], SECOND], 3),
    ],
)
def test_write_geojson_streams_batches_to_json_dumps_text(batches, count):
    out = io.BytesIO()
    assert write_geojson(out, batches, GEO) == count
    document = {"type": "FeatureCollection", "features": GEO_FEATURES[:count]}
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    assert out.getvalue() == text.encode("utf-8")


@pytest.mark.parametrize("batches", [[], [FIRST.iloc[0:0]]])
def test_write_geojson_of_no_event(batches):
    out = io.BytesIO()
    assert write_geojson(out, batches, GEO) == 0
    assert out.getvalue() == b'{\n "type": "FeatureCollection",\n "features": []\n}\n'


def test_geojson_keeps_a_newline_in_text_and_needs_both_coordinates():
    events = make_events(
        [
            {
                "event_id": "n",
                "date_start": "2000-08-01",
                "date_end": "2000-08-01",
                "title": "line one\nline two",
                "lat": 39.5,
            },
            {
                "event_id": "z",
                "date_start": "2000-08-02",
                "date_end": "2000-08-02",
                "lat": 0.0,
                "lon": 0.0,
            },
        ]
    )
    out = io.BytesIO()
    write_geojson(out, [events], ("event_id", "title", "lat", "lon"))
    text = out.getvalue().decode("utf-8")
    assert '"title": "line one\\nline two"' in text
    first, second = json.loads(text)["features"]
    assert first["geometry"] is None
    assert second["geometry"] == {"type": "Point", "coordinates": [0.0, 0.0]}


# --- write_selection, over a stand-in for the engine's source --------------------


class _Source:
    """What write_selection reads of an EventSource, with the calls it gets."""

    def __init__(self, batches, columns=(), kept=(), kept_frames=None):
        self._batches = batches
        self.columns = columns
        self.kept_columns = kept
        self._kept_frames = kept_frames or {}
        self.calls = []
        self.asked = []

    def batches(self, spec, columns, **options):
        self.calls.append((spec, tuple(columns), options))
        return iter(self._batches)

    def source_columns(self, row_ids):
        self.asked.append(list(row_ids))
        return pd.concat([self._kept_frames[r] for r in row_ids], ignore_index=True)


def _rows(*ids):
    frame = pd.concat([FIRST, SECOND], ignore_index=True).iloc[list(ids)]
    return frame.assign(row_id=[10 + i for i in ids]).reset_index(drop=True)


KEPT_BY_ROW = {
    10: pd.DataFrame({"Raw": ["=r10"]}),
    11: pd.DataFrame({"Raw": [None]}),
    12: pd.DataFrame({"Raw": ["r12"]}),
}
WITH_ROW = (*EXPORT_COLUMNS, "source_row")


def _csv_cells(out):
    return list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))


def test_write_selection_refuses_an_unknown_format():
    source = _Source([_rows(0)])
    with pytest.raises(ValueError, match="^format must be one of csv, geojson$"):
        write_selection(io.BytesIO(), source, "spec", "xlsx")
    assert source.calls == []


def test_write_selection_csv_by_default_without_kept_columns():
    source = _Source(
        [_rows(0), _rows(1, 2)],
        columns=("title", "source_row", "country"),
        kept=("Raw",),
        kept_frames=KEPT_BY_ROW,
    )
    out = io.BytesIO()
    assert write_selection(out, source, "the spec") == 3
    assert source.calls == [("the spec", WITH_ROW, {})]
    assert source.asked == []
    cells = _csv_cells(out)
    assert cells[0] == list(WITH_ROW)
    assert [row[0] for row in cells[1:]] == ["a", "b", "'-c"]
    assert [row[-1] for row in cells[1:]] == ["7", "", "12"]


def test_write_selection_csv_with_the_kept_columns_of_each_batch():
    source = _Source(
        [_rows(0), _rows(1, 2)],
        columns=("source_row",),
        kept=("Raw",),
        kept_frames=KEPT_BY_ROW,
    )
    out = io.BytesIO()
    written = write_selection(
        out, source, "s", "csv", source_columns=True, batch_rows=2
    )
    assert written == 3
    assert source.calls == [("s", WITH_ROW, {"batch_rows": 2})]
    assert source.asked == [[10], [11, 12]]
    cells = _csv_cells(out)
    assert cells[0] == [*WITH_ROW, "source:Raw"]
    assert [row[-2:] for row in cells[1:]] == [["7", "'=r10"], ["", ""], ["12", "r12"]]


def test_write_selection_csv_asks_for_kept_columns_only_when_there_are_some():
    source = _Source([_rows(0)], kept=())
    out = io.BytesIO()
    assert write_selection(out, source, "s", "csv", source_columns=True) == 1
    assert source.asked == []
    assert source.calls == [("s", EXPORT_COLUMNS, {})]
    assert _csv_cells(out)[0] == list(EXPORT_COLUMNS)


def test_write_selection_geojson():
    source = _Source(
        [_rows(0, 1), _rows(2)],
        columns=("source_row", "source_id"),
        kept=("Raw",),
        kept_frames=KEPT_BY_ROW,
    )
    out = io.BytesIO()
    assert write_selection(out, source, "g", "geojson", source_columns=True) == 3
    columns = (*EXPORT_COLUMNS, "source_id", "source_row")
    assert source.calls == [("g", columns, {})]
    assert source.asked == []
    features = json.loads(out.getvalue())["features"]
    assert [f["properties"]["event_id"] for f in features] == ["a", "b", "-c"]
    assert [f["properties"]["source_row"] for f in features] == [7, None, 12]
    assert [f["geometry"] for f in features] == [
        {"type": "Point", "coordinates": [69.0, 41.1235]},
        {"type": "Point", "coordinates": [1.0, -0.5]},
        None,
    ]
    assert set(features[0]["properties"]) == set(columns) - {"lat", "lon"}
