"""CSV and GeoJSON exports: exact bytes, spreadsheet safety, numbers untouched."""

import csv
import io
import json

import pytest

from imu_geo.export import (
    EXPORT_COLUMNS,
    neutralise_formula,
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
