"""Every published layout of ACLED, UCDP GED and GTD, read from fixtures in their
real header and value spellings (``tests/fixtures/layouts/``), with the expected
values worked out by hand from the codebooks and the crosswalk tables."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import shapely

from imu_geo.importers import RowIssue, crosswalked_columns, import_file, read_table
from imu_geo.importers.gtd import parse_approxdate
from imu_geo.importers.places import (
    REGIONS_BOUNDARY_KM,
    border_tolerance_km,
    distance_outside_km,
)

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


# --- UCDP GED -----------------------------------------------------------------------

FIGURES = ("fatalities_low", "fatalities_best", "fatalities_high")


def test_ucdp_hdx_copy_of_the_22_layout():
    # HDX's copy: the 49 GED columns plus iso3, best/high/low in that order, the
    # HXL row under the header, dates with a time of day.
    result = fixture("ucdp_ged_hdx_22.csv")
    assert result.format == "ucdp"
    assert result.summary() == "ucdp: 7 rows — 1 accepted, 5 repaired, 1 rejected"
    assert result.file_notes == [
        "ucdp_ged_hdx_22.csv: row 2 holds HXL hashtags (#date+year, "
        "#group+name+first, #group+name+second, #meta+source, ...), a header "
        "annotation that HDX adds under the header; it was skipped",
        "ucdp_ged_hdx_22.csv: date_start: 7 values carry a time of day (e.g. "
        "'1990-10-04 00:00:00.000'); only the day is kept",
        "ucdp_ged_hdx_22.csv: date_end: 7 values carry a time of day (e.g. "
        "'1990-10-04 00:00:00.000'); only the day is kept",
    ]
    out_of_order = (
        "are out of order ({}): fatalities_{} left empty so that low <= best <= "
        "high; the published figures are in notes"
    )
    geo = "latitude, longitude"
    assert result.issues == [
        RowIssue(
            4,
            "repaired",
            "low, best, high",
            "low 2, best 2, high 1 " + out_of_order.format("high below best", "high"),
        ),
        RowIssue(
            5,
            "repaired",
            "low, best, high",
            "low 9, best 9, high 8 " + out_of_order.format("high below best", "high"),
        ),
        RowIssue(
            6,
            "repaired",
            "low, best, high",
            "low 4, best 3, high 3 " + out_of_order.format("low above best", "low"),
        ),
        # UCDP's where_prec 5 point on the Line of Control.
        RowIssue(
            7,
            "repaired",
            geo,
            "the point lies 3.1 km outside Pakistan's outline, within the 7.4 km "
            "allowed for a region-precision point; kept",
        ),
        RowIssue(
            8,
            "rejected",
            geo,
            "latitude 32.835456, longitude 74.391840 lies 6.4 km outside Pakistan "
            "(more than the 3.7 km allowed), and swapping them does not put it inside",
        ),
        RowIssue(
            9,
            "repaired",
            geo,
            "the point lies 3.3 km outside Pakistan's outline, within the 3.7 km "
            "allowed for an exact-precision point; kept",
        ),
    ]
    columns = ("source_id", "date_start", "date_end", "date_precision")
    columns += ("geo_precision", *FIGURES, "source_event_type")
    conflict = "state-based conflict"
    assert rows_of(result, columns) == [
        ("59553", "1990-10-04", "1990-10-04", "day", "near", "2", "2", "2", conflict),
        ("370168", "2000-02-21", "2000-02-21", "day", "region", "2", "2", "", conflict),
        (
            "55988",
            "2007-11-23",
            "2007-11-23",
            "day",
            "district",
            "9",
            "9",
            "",
            conflict,
        ),
        ("192761", "2008-08-24", "2008-08-24", "day", "near", "", "3", "3", conflict),
        (
            "372703",
            "1994-01-01",
            "1994-06-28",
            "range",
            "region",
            "16",
            "16",
            "16",
            conflict,
        ),
        (
            "57680",
            "2009-08-27",
            "2009-08-27",
            "day",
            "exact",
            "23",
            "23",
            "23",
            conflict,
        ),
    ]
    assert result.events.loc[1, "notes"].endswith(
        "Where: six villages in Neelum valley. Published low 2, best 2, high 1 (out "
        "of order)."
    )


def test_ucdp_191_layout_low_best_high_in_that_order():
    result = fixture("ucdp_ged_191.csv")
    # Row 6, on the Moei River (17.785833 N, 97.7425 E), lies 2.5 km outside
    # Natural Earth's Myanmar (measured independently in UTM zone 47N: 2.53 km),
    # within the 205 km a region-precision point is allowed: kept, with a note.
    assert result.summary() == "ucdp: 5 rows — 2 accepted, 3 repaired, 0 rejected"
    assert [issue.reason[:22] for issue in result.issues] == [
        "low 0, best 3, high 0 ",
        "low 1, best 0, high 3 ",
        "the point lies 2.5 km ",
    ]
    columns = ("source_id", "date_precision", "geo_precision", *FIGURES)
    columns += ("source_event_type",)
    assert rows_of(result, columns) == [
        ("84006", "year", "country", "0", "3", "", "state-based conflict"),
        ("224479", "range", "region", "", "0", "3", "state-based conflict"),
        ("71694", "year", "country", "25", "25", "25", "state-based conflict"),
        ("50348", "range", "province", "32", "32", "32", "non-state conflict"),
        ("49340", "day", "region", "6", "6", "6", "non-state conflict"),
    ]


@pytest.mark.parametrize(
    ("low", "best", "high", "kept", "problem"),
    [
        ("1", "2", "3", ("1", "2", "3"), ""),
        ("2", "2", "1", ("2", "2", ""), "high below best"),
        ("4", "3", "3", ("", "3", "3"), "low above best"),
        ("5", "3", "1", ("", "3", ""), "low above best and high below best"),
        ("5", "", "1", ("", "", ""), "low above high"),
        ("1", "", "5", ("1", "", "5"), ""),
        ("", "3", "1", ("", "3", ""), "high below best"),
        ("", "", "", ("", "", ""), ""),
    ],
)
def test_ucdp_estimates_out_of_order_keep_best_and_empty_what_contradicts_it(
    low, best, high, kept, problem
):
    header = ["id", "date_start", "date_end", "where_prec", "latitude", "longitude"]
    header += ["low", "best", "high"]
    row = {
        "id": "1",
        "date_start": "2001-01-01",
        "date_end": "2001-01-01",
        "where_prec": "1",
        "latitude": "36.7289",
        "longitude": "68.857",
        "low": low,
        "best": best,
        "high": high,
    }
    result = import_file("ged.csv", csv_bytes(header, [row]))
    assert rows_of(result, FIGURES) == [kept]
    reasons = [issue.reason for issue in result.issues]
    assert reasons == ([reasons[0]] if problem else [])
    if problem:
        assert f"are out of order ({problem})" in reasons[0]


def test_ucdp_hxl_row_only_when_every_cell_is_a_hashtag():
    header = ["id", "date_start", "date_end", "where_prec", "latitude", "longitude"]
    row = {
        "id": "1",
        "date_start": "2001-01-01",
        "date_end": "2001-01-01",
        "where_prec": "1",
        "latitude": "36.7289",
        "longitude": "68.857",
    }
    tags = {"date_start": "#date+start", "latitude": "#geo +lat", "id": ""}
    result = import_file("ged.csv", csv_bytes(header, [tags, row]))
    assert result.summary() == "ucdp: 1 row — 1 accepted, 0 repaired, 0 rejected"
    assert result.events["source_row"].tolist() == [3]
    # A data row with one cell starting with # is data.
    not_tags = row | {"id": "#1"}
    result = import_file("ged.csv", csv_bytes(header, [not_tags]))
    assert result.events["source_id"].tolist() == ["#1"]
    assert result.file_notes == []


# --- trailing delimiters -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "columns", "values", "note"),
    [
        (
            "a,b\n1,2,\n3,4,\n",
            ["a", "b"],
            [["1", "2"], ["3", "4"]],
            "t.csv: every data row ends with a delimiter the header does not have; "
            "that last field is empty on every row and was dropped",
        ),
        (
            "a,b,\n1,2,\n3,4,\n",
            ["a", "b"],
            [["1", "2"], ["3", "4"]],
            "t.csv: 1 column has no name in the header and nothing in any row; "
            "dropped (column 3)",
        ),
        (
            "a,b\n1,2,x\n3,4,\n",
            ["a", "b", "(column 3)"],
            [["1", "2", "x"], ["3", "4", ""]],
            "t.csv: every data row has one field more than the header; the last is "
            "read as the column '(column 3)'",
        ),
        (",a\n0,1\n1,2\n", ["(column 1)", "a"], [["0", "1"], ["1", "2"]], None),
    ],
)
def test_trailing_delimiters_and_empty_unnamed_columns(text, columns, values, note):
    raw = read_table("t.csv", text.encode())
    assert list(raw.frame.columns) == columns
    assert raw.frame.to_numpy().tolist() == values
    assert raw.bad_rows == ()
    assert [n for n in raw.notes if "column" in n or "delimiter" in n] == (
        [note] if note else []
    )


# --- borders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("precision", "boundary_km", "expected"),
    [
        ("exact", 3.7, 3.7),
        ("near", 3.7, 3.7),
        ("district", 3.7, 3.7),
        ("province", 3.7, 3.7),
        ("region", 3.7, 7.4),
        ("country", 3.7, 7.4),
        ("", 3.7, 3.7),
        ("country", 0.5, 1.0),
    ],
)
def test_border_tolerance_by_the_outline_and_the_precision(
    precision, boundary_km, expected
):
    assert border_tolerance_km(precision, boundary_km) == pytest.approx(expected)


def test_the_default_tolerance_is_the_bundled_outlines_resolution():
    # 1.1 km simplification + 0.6 km reference simplification + 2 km Natural Earth.
    assert REGIONS_BOUNDARY_KM == pytest.approx(1.1 + 0.6 + 2.0)
    assert border_tolerance_km("near") == pytest.approx(3.7)


def test_distance_outside_a_polygon_in_km():
    box = shapely.box(0.0, 0.0, 1.0, 1.0)
    lon = np.array([0.5, 1.1, 0.5, 1.0])
    lat = np.array([0.5, 0.5, -0.2, 1.0])
    # 0.1 degree of longitude at 0.5 N; 0.2 degree of latitude; on the corner.
    expected = [0.0, 0.1 * 111.1951 * np.cos(np.radians(0.5)), 0.2 * 111.1951, 0.0]
    assert distance_outside_km(box, lon, lat) == pytest.approx(expected, abs=0.01)


# --- GTD ------------------------------------------------------------------------------


def test_gtd_full_layout():
    # All 135 columns of the current releases; "." in empty text columns as
    # older releases write them; -99 and -9 for unknowns GTD codes.
    result = fixture("gtd_full.csv")
    assert result.format == "gtd"
    assert result.summary() == "gtd: 9 rows — 6 accepted, 3 repaired, 0 rejected"
    assert result.issues == [
        RowIssue(
            7,
            "repaired",
            "nkill",
            "'19.8' is not a whole number of people (0 or more); the event is kept "
            "with no count",
        ),
        RowIssue(
            7,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Kunduz",
        ),
        RowIssue(
            8,
            "repaired",
            "resolution",
            "1999-01-01 is before the incident began (1999-03-05); the event's "
            "interval is iyear/imonth/iday's",
        ),
        RowIssue(
            10,
            "repaired",
            "attacktype1_txt",
            "unmapped type: GTD 'Vehicle Ramming' is in no crosswalk table; read as "
            "attack/armed_assault",
        ),
    ]
    columns = ("source_id", "date_start", "date_end", "date_precision")
    columns += ("event_type", "geo_precision", "fatalities_best", "source_event_type")
    assert rows_of(result, columns) == [
        # extended 1: from the day it began to its resolution
        (
            "199908230001",
            "1999-08-23",
            "1999-10-25",
            "range",
            "hostage_taking",
            "near",
            "0",
            "Hostage Taking (Kidnapping)",
        ),
        # approxdate March 28-29 around iday 28
        (
            "200403280001",
            "2004-03-28",
            "2004-03-29",
            "approximate",
            "suicide_bombing",
            "near",
            "2",
            "Bombing/Explosion",
        ),
        # imonth 7, iday 0, approxdate July 30 to August 2: July and then some
        (
            "200407000001",
            "2004-07-01",
            "2004-08-02",
            "approximate",
            "armed_assault",
            "near",
            "3",
            "Armed Assault",
        ),
        # first half of 2001 lies inside 2001
        (
            "200100000001",
            "2001-01-01",
            "2001-12-31",
            "approximate",
            "armed_assault",
            "district",
            "",
            "Facility/Infrastructure Attack",
        ),
        # an approxdate in words not read: the day, marked approximate
        (
            "201406080001",
            "2014-06-08",
            "2014-06-08",
            "approximate",
            "armed_assault",
            "near",
            "36",
            "Armed Assault",
        ),
        (
            "201001010001",
            "2010-01-01",
            "2010-01-01",
            "day",
            "bombing",
            "near",
            "",
            "Bombing/Explosion",
        ),
        (
            "199903050001",
            "1999-03-05",
            "1999-03-05",
            "day",
            "hostage_taking",
            "near",
            "0",
            "Hostage Taking (Kidnapping)",
        ),
        # a resolution without extended 1 is not used
        (
            "200008110001",
            "2000-08-11",
            "2000-08-11",
            "day",
            "armed_assault",
            "near",
            "5",
            "Armed Assault",
        ),
        (
            "200911110001",
            "2009-11-11",
            "2009-11-11",
            "day",
            "armed_assault",
            "near",
            "1",
            "Vehicle Ramming",
        ),
    ]
    notes = result.events["notes"].tolist()
    assert "Extended incident resolved on 1999-10-25." in notes[0]
    assert (
        "approxdate: between July 30 and August 2, 2004 (read as 2004-07-30 to "
        in (notes[2])
    )
    assert (
        "approxdate: night of June 8 into June 9 (not read as dates; the interval is "
        "iyear/imonth/iday's)."
    ) in notes[4]
    assert (
        "Resolution '2000-08-13' is given but extended is not 1; not used."
        in (notes[7])
    )
    assert result.file_notes[0] == (
        "gtd_full.csv: 1 row has an approxdate that is not read as dates ('night of "
        "June 8 into June 9'); its interval is iyear/imonth/iday's, marked approximate"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the GTD codebook's examples
        ("June 1978", ("1978-06-01", "1978-06-30")),
        ("first half of 1978", ("1978-01-01", "1978-06-30")),
        # spellings in GTD's 1993 file
        ("March 1993", ("1993-03-01", "1993-03-31")),
        ("Between 07/05/1993 and 07/10/1993", ("1993-07-05", "1993-07-10")),
        ("July 25 - 26, 1993", ("1993-07-25", "1993-07-26")),
        ("August/September 1993", ("1993-08-01", "1993-09-30")),
        # other forms
        ("January 1-3, 2015", ("2015-01-01", "2015-01-03")),
        ("between March and May 1997", ("1997-03-01", "1997-05-31")),
        ("2015-01-01 to 2015-01-05", ("2015-01-01", "2015-01-05")),
        ("January 30-February 2, 2015", ("2015-01-30", "2015-02-02")),
        ("December 2014 - January 2015", ("2014-12-01", "2015-01-31")),
        ("30 June - 2 July 2001", ("2001-06-30", "2001-07-02")),
        ("mid-September 1975", ("1975-09-01", "1975-09-30")),
        ("Sept. 3, 1993", ("1993-09-03", "1993-09-03")),
        ("second half of 1980", ("1980-07-01", "1980-12-31")),
        ("spring 1993", ("1993-03-01", "1993-05-31")),
        # not read
        ("night of June 8 into June 9", None),
        ("June", None),
        ("between 5 and 9", None),
        ("02/30/1993", None),
        ("between March 5 and March 2, 2004", None),
        ("", None),
    ],
)
def test_gtd_approxdate_spellings(text, expected):
    found = parse_approxdate(text)
    assert (tuple(d.isoformat() for d in found) if found else None) == expected


# --- which columns the crosswalks read --------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("acled_2016_api.csv", "acled"),
        ("acled_pre2019.csv", "acled"),
        ("acled_2019_resaved.csv", "acled"),
        ("acled_2023.csv", "acled"),
        ("acled_2023_monadic.csv", "acled"),
        ("ucdp_ged_hdx_22.csv", "ucdp"),
        ("ucdp_ged_est_trailing.csv", "ucdp"),
        ("ucdp_ged_191.csv", "ucdp"),
        ("gtd_full.csv", "gtd"),
    ],
)
def test_columns_csv_lists_exactly_the_columns_each_crosswalk_reads(
    monkeypatch, name, fmt
):
    from imu_geo.importers import crosswalk

    read: set[str] = set()
    original = crosswalk._Source._read

    def recording(self, column):
        if column in self.names:
            read.add(str(self.names[column]))
        return original(self, column)

    monkeypatch.setattr(crosswalk._Source, "_read", recording)
    result = fixture(name)
    header = next(csv.reader(io.StringIO((FIXTURES / name).read_text())))
    assert result.format == fmt
    assert set(crosswalked_columns(fmt, header)) == read


def test_crosswalked_columns_keeps_the_files_spelling_and_order():
    header = ["EVENT_ID_CNTY", "GWNO", "Event_Date", "ALLY_ACTOR_1", "inter1"]
    assert crosswalked_columns("acled", header) == {
        "EVENT_ID_CNTY": "source_id, event_id",
        "Event_Date": "date_start, date_end",
        "ALLY_ACTOR_1": "actors",
    }
    # best_est is read only when best is not there
    assert crosswalked_columns("ucdp", ["best", "best_est", "low_est"]) == {
        "best": "fatalities_best",
        "low_est": "fatalities_low",
    }
    assert crosswalked_columns("native", ["lat", "latitude"]) == {"lat": "place point"}


def test_columns_csv_lists_the_columns_a_native_download_is_read_by(monkeypatch):
    from imu_geo.data import load_dataset
    from imu_geo.export import to_csv_bytes
    from imu_geo.importers import crosswalk

    from .conftest import DATA_DIR

    read: set[str] = set()
    original = crosswalk._Source._read

    def recording(self, column):
        if column in self.names:
            read.add(str(self.names[column]))
        return original(self, column)

    monkeypatch.setattr(crosswalk._Source, "_read", recording)
    payload = to_csv_bytes(load_dataset(DATA_DIR).events)
    result = import_file("download.csv", payload)
    header = next(csv.reader(io.StringIO(payload.decode("utf-8"))))
    assert result.format == "native"
    assert set(crosswalked_columns("native", header)) == read


def test_ucdp_download_with_est_columns_dates_in_figures_and_trailing_delimiters():
    result = fixture("ucdp_ged_est_trailing.csv")
    # Row 6 is the Moei River point 2.5 km over Myanmar's drawn border (above).
    assert result.summary() == "ucdp: 5 rows — 2 accepted, 3 repaired, 0 rejected"
    assert [(i.row, i.column) for i in result.issues] == [
        (2, "low_est, best_est, high_est"),
        (3, "low_est, best_est, high_est"),
        (6, "latitude, longitude"),
    ]
    columns = ("source_id", "date_start", "date_end", "date_precision", *FIGURES)
    assert rows_of(result, columns) == [
        ("84006", "1991-01-01", "1991-12-31", "year", "0", "3", ""),
        ("224479", "2016-05-05", "2016-05-20", "range", "", "0", "3"),
        ("71694", "1992-01-01", "1992-12-31", "year", "25", "25", "25"),
        ("50348", "1990-02-01", "1990-02-14", "range", "32", "32", "32"),
        ("49340", "1996-09-23", "1996-09-23", "day", "6", "6", "6"),
    ]
    name = "ucdp_ged_est_trailing.csv"
    assert result.file_notes[:2] == [
        f"{name}: every data row ends with a delimiter the header does not have; "
        "that last field is empty on every row and was dropped",
        # 12/31/1991, 05/20/2016, 12/31/1992, 02/14/1990 and twice 09/23/1996
        f"{name}: date_start, date_end: read month first (M/D/YYYY), since 6 "
        "values such as '09/23/1996 00:00:00' have a second number above 12 and "
        "none a first",
    ]


# --- ACLED layouts with their own date spellings ------------------------------------

THIS_YEAR = date.today().year
ACLED_ROW_COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "geo_precision",
    "layer",
    "event_type",
    "actors",
    "target",
    "fatalities_best",
)


def two_digit(row: int, text: str, year: int) -> RowIssue:
    return RowIssue(
        row,
        "repaired",
        "event_date",
        f"{text!r} has a two-digit year; read as {year} by the dataset's coverage "
        f"1997–{THIS_YEAR}",
    )


def test_acled_before_2019_upper_case_with_day_month_year_dates():
    # GWNO ... FATALITIES in upper case, EVENT_DATE as 01-January-2015, the old
    # types, ALLY_ACTOR_*, and 'Nan' for an empty LOCATION as ACLED's Asia 2015
    # export writes it.
    result = fixture("acled_pre2019.csv")
    assert result.summary() == "acled: 5 rows — 5 accepted, 0 repaired, 0 rejected"
    assert result.file_notes == [
        "acled_pre2019.csv: 1 cell holds a marker for an empty value and was read "
        "as empty: 'Nan' (LOCATION 1)"
    ]
    ttp = "TTP: Tehreek-i-Taliban Pakistan"
    imu = "IMU: Islamic Movement of Uzbekistan"
    assert rows_of(result, ACLED_ROW_COLUMNS) == [
        (
            "acled-1pak",
            "2015-01-01",
            "2015-01-01",
            "day",
            "near",
            "attack",
            "armed_assault",
            "Military Forces of Pakistan (2013-)",
            f"{ttp}; {imu}",
            "5",
        ),
        # TIME_PRECISION 2: 15 February 2015 +/- 3 days
        (
            "acled-2pak",
            "2015-02-12",
            "2015-02-18",
            "approximate",
            "near",
            "attack",
            "bombing",
            "Unidentified Armed Group (Pakistan)",
            "Civilians (Pakistan)",
            "3",
        ),
        # TIME_PRECISION 3: the month
        (
            "acled-3afg",
            "2015-02-01",
            "2015-02-28",
            "month",
            "near",
            "context",
            "statement",
            "Protesters (Afghanistan)",
            "",
            "0",
        ),
        # LOCATION 'Nan': the point is kept, the place has no name
        (
            "acled-4afg",
            "2015-03-07",
            "2015-03-07",
            "day",
            "district",
            "base",
            "group_base",
            imu,
            "",
            "0",
        ),
        (
            "acled-5afg",
            "2015-03-31",
            "2015-03-31",
            "day",
            "near",
            "attack",
            "armed_assault",
            "Taliban",
            "Civilians (Afghanistan); Teachers (Afghanistan)",
            "10",
        ),
    ]
    assert result.events.loc[3, "place_name"] == "36.7289, 68.8570"


def test_acled_2019_layout_resaved_by_a_spreadsheet_with_two_digit_years():
    result = fixture("acled_2019_resaved.csv")
    assert result.summary() == "acled: 4 rows — 0 accepted, 4 repaired, 0 rejected"
    assert result.issues == [
        two_digit(2, "9-May-20", 2020),
        two_digit(3, "10-May-20", 2020),
        two_digit(4, "10-May-20", 2020),
        # no coordinates and no geo_precision: the gazetteer's place says it
        RowIssue(
            4,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Kunduz",
        ),
        two_digit(5, "31-May-20", 2020),
    ]
    assert rows_of(
        result,
        ("date_start", "date_end", "geo_precision", "layer", "event_type"),
    ) == [
        ("2020-05-09", "2020-05-09", "district", "attack", "armed_assault"),
        ("2020-05-10", "2020-05-10", "near", "attack", "bombing"),
        ("2020-05-07", "2020-05-13", "near", "context", "statement"),
        ("2020-05-31", "2020-05-31", "near", "attack", "foiled_plot"),
    ]
    assert rows_of(result, ("source_event_type", "source_sub_event_type")) == [
        ("Battles", "Armed clash"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Protests", "Peaceful protest"),
        ("Strategic developments", "Disrupted weapons use"),
    ]


def test_acled_2023_dyadic_layout():
    # disorder_type, text inter1/interaction, civilian_targeting, tags.
    result = fixture("acled_2023.csv")
    assert result.summary() == "acled: 5 rows — 5 accepted, 0 repaired, 0 rejected"
    assert rows_of(result, ("layer", "event_type", "target")) == [
        ("attack", "bombing", "TTP: Tehreek-i-Taliban Pakistan"),
        ("context", "statement", ""),
        ("context", "statement", "Protesters (Pakistan)"),
        ("attack", "hostage_taking", "Civilians (Pakistan); Journalists (Pakistan)"),
        ("context", "alliance", "TTP: Tehreek-i-Taliban Pakistan"),
    ]
    assert result.events.loc[2, "notes"].startswith(
        "Imported from ACLED: event_id_cnty PAK90003. ACLED type: Political "
        "violence; Demonstrations / Protests / Excessive force against protesters."
    )


def test_acled_2023_monadic_layout_makes_one_event_per_event():
    # One row per actor: rows 2-3 are one event with two actors, rows 4-5 one
    # event listed twice with the same actor, rows 7-8 share an id but not their
    # fatalities, so they are two events.
    result = fixture("acled_2023_monadic.csv")
    assert result.summary() == "acled: 7 rows — 0 accepted, 7 repaired, 0 rejected"
    merged = (
        "the same event as row {} (ACLED's monadic layout lists an event once per "
        "actor); this row's actor joins that event's actors"
    )
    assert result.issues == [
        two_digit(2, "5-Aug-24", 2024),
        two_digit(3, "5-Aug-24", 2024),
        RowIssue(3, "repaired", "event_id_cnty", merged.format(2)),
        two_digit(4, "6-Aug-24", 2024),
        two_digit(5, "6-Aug-24", 2024),
        RowIssue(5, "repaired", "event_id_cnty", merged.format(4)),
        two_digit(6, "7-Aug-24", 2024),
        two_digit(7, "8-Aug-24", 2024),
        two_digit(8, "8-Aug-24", 2024),
        RowIssue(
            8,
            "repaired",
            "event_id_cnty",
            "the event_id acled-pak91004 is already used by row 7; this row's is "
            "acled-pak91004-2",
        ),
    ]
    assert rows_of(result, ("event_id", "actors", "fatalities_best", "source_row")) == [
        (
            "acled-pak91001",
            "Rioters (Pakistan); Civilians (Pakistan); Christian Group (Pakistan)",
            "0",
            "2",
        ),
        ("acled-pak91002", "Rioters (Pakistan)", "2", "4"),
        ("acled-pak91003", "Protesters (Pakistan)", "0", "6"),
        ("acled-pak91004", "Military Forces of Pakistan (2024-)", "4", "7"),
        ("acled-pak91004-2", "Military Forces of Pakistan (2024-)", "6", "8"),
    ]
    assert result.events.loc[0, "notes"].endswith(
        "ACLED's monadic layout lists this event once per actor (rows 2, 3); their "
        "actors are joined."
    )


def test_gtd_reduced_copy_without_eventid_specificity_or_attack_type():
    # A copy with nine of GTD's columns, as shared on the web, nkill as floats.
    header = "iyear,imonth,iday,region_txt,country_txt,latitude,longitude,nwound,nkill"
    rows = [
        "2014,6,8,South Asia,Pakistan,24.9065,67.1608,18.0,36.0",
        "2014,6,8,South Asia,Pakistan,24.9065,67.1608,18.0,36.0",
        "2014,6,9,South Asia,Pakistan,24.9065,67.1608,0.0,0.0",
    ]
    payload = "\r\n".join([header, *rows, ""]).encode()
    result = import_file("gtd_reduced.csv", payload)
    assert result.format == "gtd"
    assert result.summary() == "gtd: 3 rows — 2 accepted, 1 repaired, 0 rejected"
    assert result.issues == [
        RowIssue(
            3,
            "repaired",
            "",
            "identical to row 2; the file has no eventid to tell them apart, so it is "
            "kept as an event of its own",
        )
    ]
    assert rows_of(
        result,
        ("event_id", "date_start", "event_type", "geo_precision", "fatalities_best"),
    ) == [
        ("gtd-row-2", "2014-06-08", "armed_assault", "country", "36"),
        ("gtd-row-3", "2014-06-08", "armed_assault", "country", "36"),
        ("gtd-row-4", "2014-06-09", "armed_assault", "country", "0"),
    ]
    assert result.file_notes == [
        "gtd_reduced.csv: has no specificity column; every point is taken to be of "
        "country precision, the coarsest its codebook gives",
        "gtd_reduced.csv: has no attacktype1 column; every event is read as "
        "attack/armed_assault",
        "gtd_reduced.csv: has no eventid column; each event's id is made from its row "
        "number (gtd-row-N)",
    ]


def test_na_in_a_native_country_column_is_namibia_not_empty():
    from imu_geo.data import load_dataset
    from imu_geo.export import to_csv_bytes

    from .conftest import DATA_DIR

    events = load_dataset(DATA_DIR).events.head(1).copy()
    events["actors"] = "NA"
    text = to_csv_bytes(events).decode("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text)))
    payload = csv_bytes(
        [*header, "country"],
        [dict(zip(header, row, strict=True)) | {"country": "NA"} for row in rows],
    )
    result = import_file("download.csv", payload)
    # actors is emptied (and the row rejected for it); country is a code
    assert [i.reason for i in result.issues if i.column == "actors"] == ["is empty"]
    assert result.file_notes[-1].endswith("read as empty: 'NA' (actors 1)")


@pytest.mark.parametrize("code", ["99999999999999999999", "1e400", "-0.5", "2.5", "x"])
def test_a_code_that_is_no_whole_number_is_named_not_a_crash(code):
    # Found by the property test: a huge code once overflowed a 64-bit integer.
    rows = [MARKER_ROW | {"time_precision": code}]
    result = import_file("codes.csv", csv_bytes(MARKER_HEADER, rows))
    assert result.issues == [
        RowIssue(
            2,
            "rejected",
            "time_precision",
            f"{code!r} is not an ACLED time_precision (1, 2 or 3)",
        )
    ]
