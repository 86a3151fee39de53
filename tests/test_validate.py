"""The validator: a clean directory passes; each kind of bad input is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu_geo.cli import main
from imu_geo.data import DataError, load_dataset
from imu_geo.schema import EVENT_COLUMNS
from imu_geo.validate import missing_quote_segments, validate_directory
from tests.helpers import event_row as _event
from tests.helpers import place_feature as _place
from tests.helpers import write_dataset

SOURCE = "The IMU was founded. It then moved to Tashkent in 1999."


def problems_of(folder: Path, source: str | None = None) -> list[str]:
    return [str(p) for p in validate_directory(folder, source).problems]


def test_a_clean_directory_has_no_problems(tmp_path):
    report = validate_directory(write_dataset(tmp_path), SOURCE)
    assert report.problems == []
    assert report.summary() == f"OK: 1 events, 1 places and 2 regions in {tmp_path}"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"date_start": "1999"},
            "events.csv, row 2, column date_start: '1999' is not a full ISO date "
            "YYYY-MM-DD",
        ),
        (
            {"date_start": "1999-02-30"},
            "events.csv, row 2, column date_start: day 30 does not exist in "
            "February 1999 (it has 28 days)",
        ),
        (
            {"date_start": "16/02/1999"},
            "events.csv, row 2, column date_start: '16/02/1999' is not an ISO "
            "date: write it as YYYY-MM-DD",
        ),
        (
            {"date_start": "2000-01-01", "date_precision": "range"},
            "events.csv, row 2, column date_end: date_end 1999-12-31 is before "
            "date_start 2000-01-01",
        ),
        (
            {"date_precision": "month"},
            "events.csv, row 2, column date_precision: a month-precision event "
            "must span exactly one calendar month",
        ),
        (
            {"date_precision": "decade"},
            "events.csv, row 2, column date_precision: 'decade' is not one of day, "
            "month, season, year, range, approximate",
        ),
        (
            {"layer": "raid"},
            "events.csv, row 2, column layer: 'raid' is not one of attack, base, "
            "context",
        ),
        (
            {"event_type": "group_base"},
            "events.csv, row 2, column event_type: 'group_base' is not an attack "
            "type (bombing, suicide_bombing, hostage_taking, hijacking, "
            "armed_assault, armed_incursion, foiled_plot)",
        ),
        (
            {"geo_precision": "city"},
            "events.csv, row 2, column geo_precision: 'city' is not one of exact, "
            "near, district, province, region, country",
        ),
        (
            {"attribution": "rumoured"},
            "events.csv, row 2, column attribution: 'rumoured' is not one of "
            "claimed, attributed, suspected",
        ),
        (
            {"place_id": "samarkand"},
            "events.csv, row 2, column place_id: 'samarkand' is not a place in "
            "places.geojson",
        ),
        (
            {"place_id": "", "geo_precision": "", "place_origin": ""},
            "events.csv, row 2, column place_id: is empty, but an attack needs a place",
        ),
        (
            {"source_quote": ""},
            "events.csv, row 2, column source_quote: is empty",
        ),
        (
            {"source_quote": "The IMU was founded in 1998."},
            "events.csv, row 2, column source_quote: this passage is not in the "
            "source text: 'The IMU was founded in 1998.'",
        ),
        (
            {"fatalities_best": "about 16"},
            "events.csv, row 2, column fatalities_best: 'about 16' is not a whole "
            "number of people (0 or more)",
        ),
        (
            {"fatalities_low": "-1"},
            "events.csv, row 2, column fatalities_low: '-1' is not a whole number "
            "of people (0 or more)",
        ),
        (
            {"fatalities_low": "20"},
            "events.csv, row 2, column fatalities_best: fatalities must satisfy "
            "low <= best <= high",
        ),
        (
            {"event_id": "Tashkent 1999"},
            "events.csv, row 2, column event_id: 'Tashkent 1999' is not a slug "
            "(lower-case letters, digits, - and _)",
        ),
    ],
)
def test_each_bad_value_is_named_with_file_row_and_column(
    tmp_path, overrides, expected
):
    folder = write_dataset(tmp_path, events=[_event(**overrides)])
    assert problems_of(folder, SOURCE) == [expected]


def test_quotes_may_join_passages_each_found_verbatim():
    quote = "The IMU was founded. [...] It then moved to Tashkent in 1999."
    assert missing_quote_segments(quote, SOURCE) == []
    assert missing_quote_segments("The  IMU\nwas founded.", SOURCE) == []
    assert missing_quote_segments("the IMU was founded.", SOURCE) == [
        "the IMU was founded."
    ]


def test_duplicate_ids_name_the_first_row(tmp_path):
    folder = write_dataset(tmp_path, events=[_event(), _event()])
    assert problems_of(folder) == [
        "events.csv, row 3, column event_id: '1999-tashkent' is a duplicate of row 2"
    ]


def test_a_context_event_may_have_no_place(tmp_path):
    row = _event(
        layer="context",
        event_type="designation",
        place_id="",
        geo_precision="",
        place_origin="",
    )
    assert problems_of(write_dataset(tmp_path, events=[row])) == []


def test_missing_and_unknown_columns_are_reported(tmp_path):
    row = _event()
    del row["attribution"]
    row["colour"] = "red"
    assert problems_of(write_dataset(tmp_path, events=[row])) == [
        "events.csv, row 1: missing columns: attribution",
        "events.csv, row 1: unknown columns: colour",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "events.csv: is empty"),
        (b"\x00\x01binary", "events.csv: is not a text file (it contains NUL bytes)"),
        (
            "event_id\nAndiján\n".encode("latin-1"),
            "events.csv: is not UTF-8 text (undecodable byte at offset 14)",
        ),
    ],
)
def test_unreadable_events_files_get_one_clear_line(tmp_path, content, expected):
    folder = write_dataset(tmp_path)
    (folder / "events.csv").write_bytes(content)
    assert problems_of(folder) == [expected]


def test_a_row_with_too_many_fields_is_reported(tmp_path):
    folder = write_dataset(tmp_path)
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write(",".join(["x"] * (len(EVENT_COLUMNS) + 2)) + "\n")
    assert problems_of(folder) == [
        "events.csv, row 3: has 23 fields where the header has 21"
    ]


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        (
            _place(lon=41.3, lat=69.2),
            "places.geojson, feature 1: lies outside its stated country UZ "
            "(at lon 41.3000, lat 69.2000)",
        ),
        (
            _place(lon=200.0, lat=41.3),
            "places.geojson, feature 1: geometry has a coordinate out of range "
            "(lon 200.0, lat 41.3); GeoJSON is longitude first, latitude second",
        ),
        (
            _place(lon=74.6, lat=42.9),
            "places.geojson, feature 1: lies outside its stated country UZ "
            "(at lon 74.6000, lat 42.9000)",
        ),
        (
            _place(country="Uzbekistan"),
            "places.geojson, feature 1, column country: 'Uzbekistan' is not ISO "
            "3166-1 alpha-2 (e.g. UZ)",
        ),
        (
            _place(kind="hamlet"),
            "places.geojson, feature 1, column kind: 'hamlet' is not one of city, "
            "airport, border_town, district, province, region, valley, country",
        ),
    ],
)
def test_bad_places_are_named(tmp_path, place, expected):
    folder = write_dataset(tmp_path, places=[place])
    assert problems_of(folder) == [expected]


@pytest.mark.parametrize(
    ("place", "problems"),
    [
        # No boundary for TJ (or SY) here, so there is nothing to check against.
        (_place(country="TJ"), []),
        (_place(lon=37.15, lat=36.2, country="SY"), []),
        # Unknown country: allowed, as imports from elsewhere need it.
        (_place(country=""), []),
        # A country with a boundary is still checked, even beside one without.
        (
            _place(lon=41.3, lat=69.2, country="UZ|TJ"),
            [
                "places.geojson, feature 1: lies outside its stated country UZ|TJ "
                "(at lon 41.3000, lat 69.2000)"
            ],
        ),
    ],
)
def test_countries_without_a_boundary_are_not_checked(tmp_path, place, problems):
    assert problems_of(write_dataset(tmp_path, places=[place])) == problems


def test_a_point_just_across_a_generalised_border_is_accepted(tmp_path):
    # 0.02 degrees (about 2 km) into Kyrgyzstan, within the border tolerance.
    folder = write_dataset(tmp_path, places=[_place(lon=72.02, lat=40.0)])
    assert problems_of(folder) == []


def test_a_point_for_several_countries_may_lie_in_any(tmp_path):
    folder = write_dataset(
        tmp_path, places=[_place(lon=75.0, lat=41.0, country="UZ|KG")]
    )
    assert problems_of(folder) == []


def test_missing_files_are_each_reported(tmp_path):
    assert problems_of(tmp_path) == [
        "regions.geojson: is missing",
        "places.geojson: is missing",
        "events.csv: is missing",
    ]


def test_malformed_geojson_is_reported(tmp_path):
    folder = write_dataset(tmp_path)
    (folder / "places.geojson").write_text('{"type": "FeatureCollection", ')
    assert problems_of(folder)[0] == (
        "places.geojson: is not valid JSON (line 1, column 31)"
    )


def test_loading_refuses_a_directory_with_problems(tmp_path):
    folder = write_dataset(tmp_path, events=[_event(layer="raid")])
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    assert "events.csv, row 2, column layer: 'raid' is not one of" in str(caught.value)


def test_loading_types_the_columns_and_joins_places(tmp_path):
    dataset = load_dataset(write_dataset(tmp_path))
    row = dataset.events.iloc[0]
    assert str(dataset.events["date_start"].dtype).startswith("datetime64")
    assert str(dataset.events["fatalities_best"].dtype) == "Int64"
    assert (row["place_name"], row["lat"], row["lon"], row["country"]) == (
        "Tashkent",
        41.3,
        69.2,
        "UZ",
    )
    assert dataset.places.crs.to_epsg() == 4326


def test_cli_validate_exit_codes_and_output(tmp_path, capsys):
    clean = write_dataset(tmp_path / "clean")
    assert main(["validate", str(clean)]) == 0
    assert capsys.readouterr().out == (
        f"OK: 1 events, 1 places and 2 regions in {clean}\n"
    )
    broken = write_dataset(tmp_path / "broken", events=[_event(layer="raid")])
    assert main(["validate", str(broken)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "events.csv, row 2, column layer: 'raid' is not one of attack, base, context",
        f"1 problem in {broken}",
    ]


def test_a_line_separator_inside_a_field_does_not_split_the_row(tmp_path):
    folder = write_dataset(
        tmp_path, events=[_event(description="one\u2028two\x0cthree")]
    )
    assert problems_of(folder) == []
