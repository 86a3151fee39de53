"""CSV and GeoJSON exports: exact bytes, spreadsheet safety, numbers untouched."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imu_geo.export import (
    EXPORT_COLUMNS,
    neutralise_formula,
    table_csv_bytes,
    to_csv_bytes,
    to_geojson_bytes,
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
