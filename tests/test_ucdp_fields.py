"""The UCDP GED crosswalk, field by field, against the GED codebook and section
2 of docs/import.md: the span of ``date_start``/``date_end`` and its precision,
``where_prec`` 1 to 7, the low/best/high estimates by either name, the type of
violence, sides, title, description and notes. Every expected value is written
out by hand from those definitions."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from imu_geo.importers.crosswalk import NO_TEXT
from imu_geo.importers.ucdp import _around, _span_precision, _ucdp

from .crosswalk_rows import walk as walk_crosswalk

# One GED row with only what the codebook requires, at a known point.
BASE = {
    "id": "7",
    "date_start": "2000-08-11",
    "date_end": "2000-08-11",
    "where_prec": "2",
    "latitude": "39.1",
    "longitude": "70.5",
}


def walk(*rows: dict):
    return walk_crosswalk(_ucdp, *rows)


# --- the span and its precision -------------------------------------------------

# (date_start, date_end) -> precision: one day, one calendar month, one calendar
# year, else a range (docs/import.md, UCDP GED).
SPANS = [
    ("2000-08-11", "2000-08-11", "day"),
    ("1999-08-01", "1999-08-31", "month"),
    ("2000-02-01", "2000-02-29", "month"),
    ("2001-02-01", "2001-02-28", "month"),
    ("2001-01-01", "2001-12-31", "year"),
    ("2000-01-01", "2000-12-31", "year"),
    ("2001-01-01", "2001-01-30", "range"),
    ("1999-08-02", "1999-08-31", "range"),
    ("2001-02-01", "2001-02-27", "range"),
    ("2001-01-02", "2001-12-31", "range"),
    ("2001-01-01", "2001-12-30", "range"),
    ("2001-01-01", "2002-12-31", "range"),
    ("2001-12-01", "2002-01-31", "range"),
    ("2001-11-20", "2001-11-26", "range"),
    ("2000-12-31", "2001-01-01", "range"),
    ("2001-01-01", "2001-01-02", "range"),
]


@pytest.mark.parametrize(("start", "end", "expected"), SPANS)
def test_span_precision_follows_from_the_days(start, end, expected):
    assert _span_precision(start, end) == (expected,)


@pytest.mark.parametrize(("start", "end", "expected"), SPANS)
def test_each_row_keeps_its_days_and_their_precision(start, end, expected):
    cross, issues = walk(BASE | {"date_start": start, "date_end": end})
    assert issues == []
    assert list(cross.date_start) == [date.fromisoformat(start)]
    assert list(cross.date_end) == [date.fromisoformat(end)]
    assert list(cross.date_precision) == [expected]


def test_rows_of_one_file_keep_their_own_spans():
    rows = [BASE | {"date_start": s, "date_end": e} for s, e, _ in SPANS]
    cross, issues = walk(*rows)
    assert issues == []
    assert list(cross.date_precision) == [p for _, _, p in SPANS]


# (date_start, date_end) -> the issues of the row; its precision stays empty.
BAD_SPANS = [
    (
        "2000-08-11",
        "2000-08-10",
        [
            (
                0,
                "rejected",
                "date_end",
                "date_end 2000-08-10 is before date_start 2000-08-11",
            )
        ],
    ),
    (
        "2001-01-01",
        "2000-12-31",
        [
            (
                0,
                "rejected",
                "date_end",
                "date_end 2000-12-31 is before date_start 2001-01-01",
            )
        ],
    ),
    ("2000-08-11", "", [(0, "rejected", "date_end", "the date is empty")]),
    ("", "2000-08-11", [(0, "rejected", "date_start", "the date is empty")]),
]


@pytest.mark.parametrize(("start", "end", "expected"), BAD_SPANS)
def test_a_span_that_cannot_stand_rejects_the_row(start, end, expected):
    cross, issues = walk(BASE | {"date_start": start, "date_end": end})
    assert issues == expected
    assert list(cross.date_precision) == [""]


def test_a_reversed_span_rejects_only_its_own_row():
    rows = [
        BASE | {"id": "1"},
        BASE | {"id": "2", "date_start": "2000-08-12", "date_end": "2000-08-10"},
        BASE | {"id": "3", "date_start": "1999-08-01", "date_end": "1999-08-31"},
    ]
    cross, issues = walk(*rows)
    assert issues == [
        (
            1,
            "rejected",
            "date_end",
            "date_end 2000-08-10 is before date_start 2000-08-12",
        )
    ]
    assert list(cross.date_precision) == ["day", "", "month"]


# --- where_prec -------------------------------------------------------------------

# where_prec -> (geo_precision, issues): the codebook's 1 to 7; an empty code with
# a point is taken at the coarsest precision (country), a code outside 1-7 rejects.
WHERE_PREC = [
    ("1", "exact", []),
    ("2", "near", []),
    ("3", "district", []),
    ("4", "province", []),
    ("5", "region", []),
    ("6", "country", []),
    ("7", "region", []),
    ("1.0", "exact", []),
    (
        "",
        "country",
        [
            (
                0,
                "repaired",
                "where_prec",
                "is empty; the point is taken to be of country precision, the "
                "coarsest its codebook gives",
            )
        ],
    ),
    ("0", "", [(0, "rejected", "where_prec", "'0' is not a UCDP where_prec (1 to 7)")]),
    ("8", "", [(0, "rejected", "where_prec", "'8' is not a UCDP where_prec (1 to 7)")]),
    ("x", "", [(0, "rejected", "where_prec", "'x' is not a UCDP where_prec (1 to 7)")]),
]


@pytest.mark.parametrize(("code", "geo", "expected"), WHERE_PREC)
def test_where_prec_codes_follow_the_codebook(code, geo, expected):
    cross, issues = walk(BASE | {"where_prec": code})
    assert list(cross.geo_precision) == [geo]
    assert issues == expected


# --- estimates ------------------------------------------------------------------


# (the row's estimate cells) -> (low, best, high) as kept, the issue's column.
ESTIMATES = [
    ({"low": "1", "best": "2", "high": "3"}, ("1", "2", "3")),
    ({"low_est": "1", "best_est": "2", "high_est": "3"}, ("1", "2", "3")),
    # The plain name wins when a file has both.
    (
        {
            "low": "1",
            "best": "2",
            "high": "3",
            "low_est": "7",
            "best_est": "8",
            "high_est": "9",
        },
        ("1", "2", "3"),
    ),
    ({"low": "4", "best_est": "5", "high_est": "6"}, ("4", "5", "6")),
    ({"best": "0"}, ("", "0", "")),
    ({"low": "2.0", "best": "2", "high": "12"}, ("2", "2", "12")),
    ({}, ("", "", "")),
]


@pytest.mark.parametrize(("cells", "expected"), ESTIMATES)
def test_estimates_are_read_by_name(cells, expected):
    cross, issues = walk(BASE | cells)
    assert issues == []
    assert tuple(series.tolist()[0] for series in cross.fatalities) == expected


# (estimate cells) -> (low, best, high) kept, the issue, the notes' last sentence.
OUT_OF_ORDER = [
    (
        {"low": "9", "best": "9", "high": "8"},
        ("9", "9", ""),
        (
            "low, best, high",
            "low 9, best 9, high 8 are out of order (high below best): "
            "fatalities_high left empty so that low <= best <= high; the published "
            "figures are in notes",
        ),
        "Published low 9, best 9, high 8 (out of order).",
    ),
    (
        {"low_est": "4", "best_est": "3", "high_est": "5"},
        ("", "3", "5"),
        (
            "low_est, best_est, high_est",
            "low 4, best 3, high 5 are out of order (low above best): "
            "fatalities_low left empty so that low <= best <= high; the published "
            "figures are in notes",
        ),
        "Published low 4, best 3, high 5 (out of order).",
    ),
]


@pytest.mark.parametrize(("cells", "kept", "issue", "published"), OUT_OF_ORDER)
def test_estimates_out_of_order_are_kept_as_published_in_notes(
    cells, kept, issue, published
):
    cross, issues = walk(BASE | cells)
    assert issues == [(0, "repaired", *issue)]
    assert tuple(series.tolist()[0] for series in cross.fatalities) == kept
    assert cross.notes.tolist() == [
        "Imported from UCDP GED: id 7. where_prec 2 (near). " + published
    ]


def test_a_count_that_is_not_whole_is_a_repair_naming_its_column():
    cross, issues = walk(BASE | {"best_est": "2.5", "low_est": "1"})
    assert issues == [
        (
            0,
            "repaired",
            "best_est",
            "'2.5' is not a whole number of people (0 or more); the event is kept "
            "with no count",
        )
    ]
    assert tuple(series.tolist()[0] for series in cross.fatalities) == ("1", "", "")


# --- type of violence, sides, title, description, notes -----------------------------

# (cells) -> (title, description, source_event_type, notes after "id 7. ").
WORDS = [
    (
        {
            "type_of_violence": "1",
            "dyad_name": "Government of Uzbekistan - IMU",
            "where_coordinates": "Batken town",
        },
        "State-based conflict",
        "Government of Uzbekistan - IMU at Batken town",
        "state-based conflict",
        "type_of_violence 1 (state-based conflict). where_prec 2 (near). "
        "Dyad: Government of Uzbekistan - IMU.",
    ),
    (
        {"type_of_violence": "2", "where_coordinates": "Kunduz"},
        "Non-state conflict",
        "Non-state conflict at Kunduz",
        "non-state conflict",
        "type_of_violence 2 (non-state conflict). where_prec 2 (near).",
    ),
    (
        {"type_of_violence": "3", "dyad_name": "IMU - civilians"},
        "One-sided violence",
        "IMU - civilians",
        "one-sided violence",
        "type_of_violence 3 (one-sided violence). where_prec 2 (near). "
        "Dyad: IMU - civilians.",
    ),
    (
        {"type_of_violence": " 3.0 "},
        "One-sided violence",
        "One-sided violence",
        "one-sided violence",
        "type_of_violence 3.0 (one-sided violence). where_prec 2 (near).",
    ),
    # A code the codebook does not give is kept as the source's type, in words
    # nowhere: the title falls back to the dataset's name.
    (
        {"type_of_violence": "9", "where_coordinates": "Tavildara"},
        "UCDP GED event",
        "UCDP GED event at Tavildara",
        "9",
        "type_of_violence 9. where_prec 2 (near).",
    ),
    (
        {
            "date_prec": "3",
            "conflict_name": "Uzbekistan: Government",
            "where_description": "near the pass",
        },
        "UCDP GED event",
        "UCDP GED event",
        "",
        "date_prec 3; where_prec 2 (near). Conflict: Uzbekistan: Government. "
        "Where: near the pass.",
    ),
]


@pytest.mark.parametrize(("cells", "title", "description", "kind", "notes"), WORDS)
def test_type_of_violence_names_the_event(cells, title, description, kind, notes):
    cross, issues = walk(BASE | cells)
    assert issues == []
    assert cross.title.tolist() == [title]
    assert cross.description.tolist() == [description]
    assert cross.source_event_type.tolist() == [kind]
    assert cross.notes.tolist() == ["Imported from UCDP GED: id 7. " + notes]
    # Every GED event is organised violence with deaths: an attack, an armed assault.
    assert cross.layer.tolist() == ["attack"]
    assert cross.event_type.tolist() == ["armed_assault"]


def test_rows_keep_their_own_words():
    rows = [BASE | {"id": str(i)} | case[0] for i, case in enumerate(WORDS)]
    cross, _ = walk(*rows)
    assert cross.title.tolist() == [case[1] for case in WORDS]
    assert cross.description.tolist() == [case[2] for case in WORDS]
    assert cross.source_event_type.tolist() == [case[3] for case in WORDS]


def test_sides_place_and_ids_go_to_their_columns():
    row = BASE | {
        "id": " 4001 ",
        "side_a": " Government of Uzbekistan ",
        "side_b": "IMU",
        "where_coordinates": " Batken province ",
        "country": " Kyrgyzstan ",
        "source_article": '"Reuters,1999-08-25,Kyrgyz troops fight rebels"',
    }
    cross, issues = walk(row, BASE | {"id": "4002"})
    assert issues == []
    assert cross.source_id.tolist() == ["4001", "4002"]
    assert cross.id_column == "id"
    assert cross.actors.tolist() == ["Government of Uzbekistan", ""]
    assert cross.target.tolist() == ["IMU", ""]
    assert cross.place_name.tolist() == ["Batken province", ""]
    assert cross.country.tolist() == ["Kyrgyzstan", ""]
    assert cross.source_quote.tolist() == [
        '"Reuters,1999-08-25,Kyrgyz troops fight rebels"',
        NO_TEXT,
    ]
    assert cross.source_sub_event_type.tolist() == ["", ""]
    assert cross.admin1_column == "adm_1"
    assert list(cross.date_origin) == ["source", "source"]
    assert list(cross.needs_place) == [True, True]
    assert cross.file_notes == []


# --- _around ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Kunduz", "", "Batken"], [" at Kunduz!", "", " at Batken!"]),
        ([""], [""]),
    ],
)
def test_around_wraps_only_values_that_are_there(values, expected):
    assert _around(" at ", pd.Series(values, dtype="str"), "!").tolist() == expected


def test_a_copy_without_where_prec_says_once_how_its_points_are_taken():
    # The import asks a UCDP file for where_prec; the crosswalk itself says in
    # one file note, not on every row, what a copy without it gives.
    rows = [{k: v for k, v in BASE.items() if k != "where_prec"}] * 2
    cross, issues = walk(*rows)
    assert issues == []
    assert cross.geo_precision.tolist() == ["country", "country"]
    assert cross.file_notes == [
        "has no where_prec column; every point is taken to be of country "
        "precision, the coarsest its codebook gives"
    ]
