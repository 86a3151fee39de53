"""Every published layout of ACLED, UCDP GED and GTD, read from fixtures in their
real header and value spellings (``tests/fixtures/layouts/``), with the expected
values worked out by hand from the codebooks and the crosswalk tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from imu_geo.importers import RowIssue, import_file

FIXTURES = Path(__file__).parent / "fixtures" / "layouts"


def fixture(name: str):
    """Import one fixture file with the bundled gazetteer and borders."""
    return import_file(name, (FIXTURES / name).read_bytes())


def rows_of(result, columns) -> list[tuple]:
    """The given event columns of every imported row, as tuples of text."""
    return [
        tuple(str(value) for value in record)
        for record in result.events[list(columns)].itertuples(index=False)
    ]


def csv_bytes(header: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[row.get(c, "") for c in header] for row in rows])
    return buffer.getvalue().encode("utf-8")


# --- ACLED ----------------------------------------------------------------------

ACLED_TYPE_COLUMNS = (
    "event_id",
    "layer",
    "event_type",
    "actors",
    "target",
    "source_event_type",
    "source_sub_event_type",
)


def test_acled_before_2019_through_the_api_resaved_by_pandas():
    # Lower case, alphabetical, an unnamed index column first, ally_actor_*,
    # ISO dates and the nine old event types (two spelt as a real export does).
    result = fixture("acled_2016_api.csv")
    assert result.format == "acled"
    assert result.summary() == "acled: 9 rows — 8 accepted, 1 repaired, 0 rejected"
    assert result.issues == [
        RowIssue(
            10,
            "repaired",
            "event_type",
            "unmapped type: ACLED 'Looting' is in no crosswalk table; read as "
            "context/statement",
        )
    ]
    taliban = "Taliban"
    army = "Military Forces of Afghanistan (2014-)"
    assert rows_of(result, ACLED_TYPE_COLUMNS) == [
        (
            "acled-101afg",
            "attack",
            "armed_assault",
            "Taliban; IMU: Islamic Movement of Uzbekistan",
            army,
            "Battle-No change of territory",
            "",
        ),
        (
            "acled-102pak",
            "attack",
            "bombing",
            "Unidentified Armed Group (Pakistan)",
            "Civilians (Pakistan)",
            "Remote violence",
            "",
        ),
        (
            "acled-103pak",
            "context",
            "statement",
            "Protesters (Pakistan)",
            "",
            "Riots/Protests",
            "",
        ),
        (
            "acled-104pak",
            "base",
            "group_base",
            "IMU: Islamic Movement of Uzbekistan",
            "",
            "Headquarters or base established",
            "",
        ),
        (
            "acled-105afg",
            "context",
            "statement",
            taliban,
            "",
            "Non-violent transfer of territory",
            "",
        ),
        (
            "acled-106afg",
            "attack",
            "armed_assault",
            taliban,
            f"{army}; Police Forces of Afghanistan (2014-)",
            "Battle-Non-state actors overtake territory",
            "",
        ),
        (
            "acled-107afg",
            "attack",
            "armed_assault",
            "Unidentified Armed Group (Afghanistan)",
            "",
            "Violence Against Civilians",
            "",
        ),
        (
            "acled-108afg",
            "context",
            "statement",
            "Military Forces of Afghanistan (2014-)",
            "",
            "Strategic development",
            "",
        ),
        (
            "acled-109pak",
            "context",
            "statement",
            "Rioters (Pakistan)",
            "",
            "Looting",
            "",
        ),
    ]
    assert rows_of(
        result, ("date_start", "date_end", "date_precision", "geo_precision")
    )[1:4] == [
        ("2016-06-30", "2016-07-06", "approximate", "near"),
        ("2016-07-04", "2016-07-04", "day", "near"),
        ("2016-07-01", "2016-07-31", "month", "district"),
    ]
    assert result.events.loc[0, "notes"] == (
        "Imported from ACLED: event_id_cnty 101AFG. ACLED type: Battle-No change of "
        "territory. ACLED's type before 2019, read as its 2019 type Battles / Armed "
        "clash. time_precision 1 (the day); geo_precision 1 (near). ACLED source: "
        "Fixture."
    )
    assert result.file_notes == [
        "acled_2016_api.csv: 1 row has an ACLED type that no crosswalk table knows "
        "(unmapped), read as context/statement: 'Looting' (1)",
        "acled_2016_api.csv: 3 cells hold a marker for an empty value and were read "
        "as empty: 'NA' (actor2 1, ally_actor_1 1, ally_actor_2 1)",
    ]


@pytest.mark.parametrize(
    ("event_type", "layer", "our_type", "read_as"),
    [
        (
            "Battle-No change of territory",
            "attack",
            "armed_assault",
            "Battles / Armed clash",
        ),
        (
            "Battle-Government regains territory",
            "attack",
            "armed_assault",
            "Battles / Government regains territory",
        ),
        (
            "battle-non-state actor overtakes territory",
            "attack",
            "armed_assault",
            "Battles / Non-state actor overtakes territory",
        ),
        ("Remote violence", "attack", "bombing", "Explosions/Remote violence"),
        ("RIOTS/PROTESTS", "context", "statement", "Protests or Riots"),
        ("Strategic development", "context", "statement", "Strategic developments"),
        (
            "Headquarters or base established",
            "base",
            "group_base",
            "Strategic developments / Headquarters or base established",
        ),
        (
            "Non-violent transfer of territory",
            "context",
            "statement",
            "Strategic developments / Non-violent transfer of territory",
        ),
    ],
)
def test_acled_types_before_2019_follow_the_old_to_new_table(
    event_type, layer, our_type, read_as
):
    header = ["event_id_cnty", "event_date", "time_precision", "event_type"]
    header += ["latitude", "longitude", "geo_precision", "country", "location"]
    row = {
        "event_id_cnty": "1AFG",
        "event_date": "2015-01-01",
        "time_precision": "1",
        "event_type": event_type,
        "latitude": "36.7289",
        "longitude": "68.857",
        "geo_precision": "1",
        "country": "Afghanistan",
        "location": "Kunduz",
    }
    result = import_file("old.csv", csv_bytes(header, [row]))
    assert result.issues == []
    assert rows_of(result, ("layer", "event_type", "source_event_type")) == [
        (layer, our_type, event_type)
    ]
    assert f"read as its 2019 type {read_as}." in result.events.loc[0, "notes"]


# --- empty markers ----------------------------------------------------------------

MARKER_ROW = {
    "event_id_cnty": "1AFG",
    "event_date": "2015-01-01",
    "time_precision": "1",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Taliban",
    "latitude": "36.7289",
    "longitude": "68.857",
    "geo_precision": "1",
    "country": "Afghanistan",
    "location": "Kunduz",
    "fatalities": "3",
}
MARKER_HEADER = [*MARKER_ROW, "actor2", "assoc_actor_1"]


@pytest.mark.parametrize(
    "marker", ["NA", "N/A", "#N/A", "NULL", "None", "nan", "NaN", "Nan", ".", " NA "]
)
def test_empty_markers_are_read_as_empty_cells(marker):
    rows = [MARKER_ROW | {"actor2": marker, "assoc_actor_1": marker}]
    result = import_file("markers.csv", csv_bytes(MARKER_HEADER, rows))
    assert rows_of(result, ("actors", "target")) == [("Taliban", "")]
    assert result.file_notes == [
        "markers.csv: 2 cells hold a marker for an empty value and were read as "
        f"empty: {marker.strip()!r} (actor2 1, assoc_actor_1 1)"
    ]


@pytest.mark.parametrize("text", ["NATO", "na", "n/a", "null", "NONE", "..", "#NA"])
def test_text_that_only_resembles_a_marker_is_kept(text):
    rows = [MARKER_ROW | {"actor2": text}]
    result = import_file("markers.csv", csv_bytes(MARKER_HEADER, rows))
    assert rows_of(result, ("target",)) == [(text,)]
    assert result.file_notes == []


def test_a_marker_in_a_fatality_count_is_an_unknown_count_not_an_error():
    rows = [MARKER_ROW | {"fatalities": "NA", "actor2": "NULL"}]
    result = import_file("markers.csv", csv_bytes(MARKER_HEADER, rows))
    assert result.issues == []
    assert rows_of(result, ("fatalities_best", "target")) == [("", "")]
