"""The GTD crosswalk, field by field, against GTD's codebook and section 2 of
docs/import.md: ``iyear``/``imonth``/``iday`` with 0 for unknown, ``approxdate``
read as an interval, extended incidents and their ``resolution``,
``specificity`` 1 to 5, attack types (``tables/gtd_attack_types.csv``) with
``suicide``, groups, targets and notes. Every expected value is written out by
hand from those definitions."""

from __future__ import annotations

from datetime import date

import pytest

from imu_geo.importers.gtd import _gtd, _gtd_date, _whole, parse_approxdate

from .crosswalk_rows import walk as walk_crosswalk

BASE = {
    "eventid": "199910200001",
    "iyear": "1999",
    "imonth": "10",
    "iday": "20",
    "latitude": "40.1",
    "longitude": "71.2",
    "specificity": "1",
    "attacktype1_txt": "Armed Assault",
}
HEAD = "Imported from GTD: eventid 199910200001. "
CODES = "attacktype1_txt Armed Assault; specificity 1 (near)."
D = date


def walk(*rows: dict, **options):
    return walk_crosswalk(_gtd, *rows, **options)


# --- iyear, imonth, iday ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("0", 0),
        ("3", 3),
        ("3.0", 3),
        ("-1", -1),
        ("3.5", None),
        ("x", None),
        ("inf", None),
        ("nan", None),
    ],
)
def test_a_date_part_is_a_whole_number_or_zero_when_empty(text, expected):
    assert _whole(text) == expected


# (iyear, imonth, iday, approxdate) -> (start, end, precision, column, reason).
GTD_DATES = [
    (("1999", "2", "16", ""), (D(1999, 2, 16), D(1999, 2, 16), "day", "", "")),
    (("1999", "2", "0", ""), (D(1999, 2, 1), D(1999, 2, 28), "month", "", "")),
    (("2000", "2", "", ""), (D(2000, 2, 1), D(2000, 2, 29), "month", "", "")),
    (("1999", "0", "0", ""), (D(1999, 1, 1), D(1999, 12, 31), "year", "", "")),
    (("1999", "", "", ""), (D(1999, 1, 1), D(1999, 12, 31), "year", "", "")),
    (("1999.0", "2.0", "16.0", ""), (D(1999, 2, 16), D(1999, 2, 16), "day", "", "")),
    (
        ("1999", "2", "16", "approximate"),
        (D(1999, 2, 16), D(1999, 2, 16), "approximate", "", ""),
    ),
    (("", "2", "16", ""), (None, None, "", "iyear", "'' is not a year")),
    (("0", "2", "16", ""), (None, None, "", "iyear", "'0' is not a year")),
    (("-5", "2", "16", ""), (None, None, "", "iyear", "'-5' is not a year")),
    # A year above 0 is a year, but the dates read run from 1000 to 2999.
    (
        ("1", "2", "16", ""),
        (None, None, "", "iyear", "year 0001 is outside 1000-2999"),
    ),
    (("19x9", "2", "16", ""), (None, None, "", "iyear", "'19x9' is not a year")),
    (
        ("1999", "x", "16", ""),
        (None, None, "", "imonth", "'x' is not a month (0 when unknown)"),
    ),
    (
        ("1999", "-1", "16", ""),
        (None, None, "", "imonth", "'-1' is not a month (0 when unknown)"),
    ),
    (
        ("1999", "2", "1.5", ""),
        (None, None, "", "iday", "'1.5' is not a day (0 when unknown)"),
    ),
    (
        ("1999", "2", "-1", ""),
        (None, None, "", "iday", "'-1' is not a day (0 when unknown)"),
    ),
    (
        ("1999", "0", "5", ""),
        (None, None, "", "iday", "iday is 5 but imonth is 0 (unknown)"),
    ),
    (
        ("1999", "13", "0", ""),
        (None, None, "", "imonth", "month 13 does not exist (months run 1-12)"),
    ),
    (
        ("1999", "2", "29", ""),
        (
            None,
            None,
            "",
            "iday",
            "day 29 does not exist in February 1999 (it has 28 days)",
        ),
    ),
    (
        ("10000", "1", "1", ""),
        (
            None,
            None,
            "",
            "iyear",
            "'10000-01-01' is not a date this parser reads (YYYY, YYYY-MM, "
            "YYYY-MM-DD, 'early|mid|late YYYY', a season and year, 'around YYYY', "
            "or a range A..B)",
        ),
    ),
]


@pytest.mark.parametrize(("parts", "expected"), GTD_DATES)
def test_iyear_imonth_iday_give_the_interval_or_the_column_at_fault(parts, expected):
    assert _gtd_date(*parts) == expected


def test_a_bad_date_part_rejects_the_row_on_its_column():
    rows = [
        BASE | {"iyear": "0"},
        BASE | {"imonth": "13", "iday": "0"},
        BASE | {"iday": "32"},
        BASE,
    ]
    cross, issues = walk(*rows)
    assert issues == [
        (0, "rejected", "iyear", "'0' is not a year"),
        (1, "rejected", "imonth", "month 13 does not exist (months run 1-12)"),
        (
            2,
            "rejected",
            "iday",
            "day 32 does not exist in October 1999 (it has 31 days)",
        ),
    ]
    assert list(cross.date_start) == [None, None, None, D(1999, 10, 20)]
    assert list(cross.date_precision) == ["", "", "", "day"]


# --- approxdate ---------------------------------------------------------------------

# approxdate -> the interval it states (docs/import.md, GTD), None when not read.
APPROXDATES = [
    ("June 1978", (D(1978, 6, 1), D(1978, 6, 30))),
    ("mid-September 1975", (D(1975, 9, 1), D(1975, 9, 30))),
    ("late-June 1999", (D(1999, 6, 1), D(1999, 6, 30))),
    ("first half of 1978", (D(1978, 1, 1), D(1978, 6, 30))),
    ("second half of 1978", (D(1978, 7, 1), D(1978, 12, 31))),
    ("Sept. 3, 1993", (D(1993, 9, 3), D(1993, 9, 3))),
    ("June 3rd, 1999", (D(1999, 6, 3), D(1999, 6, 3))),
    ("3 September 1993", (D(1993, 9, 3), D(1993, 9, 3))),
    ("July 25 - 26, 1993", (D(1993, 7, 25), D(1993, 7, 26))),
    ("January 1-3, 2015", (D(2015, 1, 1), D(2015, 1, 3))),
    ("January 30-February 2, 2015", (D(2015, 1, 30), D(2015, 2, 2))),
    ("30 June - 2 July 2001", (D(2001, 6, 30), D(2001, 7, 2))),
    ("between March and May 1997", (D(1997, 3, 1), D(1997, 5, 31))),
    ("Between 07/05/1993 and 07/10/1993", (D(1993, 7, 5), D(1993, 7, 10))),
    ("August/September 1993", (D(1993, 8, 1), D(1993, 9, 30))),
    ("June–July 1999", (D(1999, 6, 1), D(1999, 7, 31))),
    ("June—July 1999", (D(1999, 6, 1), D(1999, 7, 31))),
    ("March through May 1997", (D(1997, 3, 1), D(1997, 5, 31))),
    ("March thru May 1997", (D(1997, 3, 1), D(1997, 5, 31))),
    ("1999 until 2001", (D(1999, 1, 1), D(2001, 12, 31))),
    ("2015-01-01 to 2015-01-05", (D(2015, 1, 1), D(2015, 1, 5))),
    ("December 30, 1999 - January 2, 2000", (D(1999, 12, 30), D(2000, 1, 2))),
    ("  June   1978. ", (D(1978, 6, 1), D(1978, 6, 30))),
    ("spring 1993", (D(1993, 3, 1), D(1993, 5, 31))),
    ("early 1993", (D(1993, 1, 1), D(1993, 4, 30))),
    ("around 1993", (D(1992, 1, 1), D(1994, 12, 31))),
    ("1992-1997", (D(1992, 1, 1), D(1997, 12, 31))),
    ("", None),
    (".", None),
    ("unknown", None),
    ("Foo 1999", None),
    ("February 30, 1993", None),
    ("March 5-2, 1993", None),
    ("Between 13/05/1993 and 07/10/1993", None),
    ("June 5 - July", None),
    ("5 - 6", None),
    ("June - 5 - 6, 1999", None),
    ("5, 1999", None),
    ("June - 5", None),
    ("1999 - June 5", (D(1999, 6, 1), D(1999, 6, 5))),
    # A month's abbreviation with its full stop, at either end of a range (the
    # project's own date parser reads none of these).
    ("Sept. 3 - 5, 1993", (D(1993, 9, 3), D(1993, 9, 5))),
    ("Sept.-Oct. 1993", (D(1993, 9, 1), D(1993, 10, 31))),
    ("Jan. 5 - Feb. 2, 1999", (D(1999, 1, 5), D(1999, 2, 2))),
    # A day without a month, at either end, is not read.
    ("5 - 1999", None),
    ("1999 - 5", None),
]


@pytest.mark.parametrize(("text", "expected"), APPROXDATES)
def test_approxdate_reads_as_the_interval_it_states(text, expected):
    assert parse_approxdate(text) == expected


# (the row's approxdate, extended, resolution) -> (start, end, precision, the notes
# after the codes, issues). The row began on 1999-10-20.
WIDENING = [
    (
        {"approxdate": "October 18-22, 1999"},
        (D(1999, 10, 18), D(1999, 10, 22), "approximate"),
        " approxdate: October 18-22, 1999 (read as 1999-10-18 to 1999-10-22).",
        [],
    ),
    (
        {"approxdate": "October 1999"},
        (D(1999, 10, 1), D(1999, 10, 31), "approximate"),
        " approxdate: October 1999 (read as 1999-10-01 to 1999-10-31).",
        [],
    ),
    # An interval that only touches the day still meets it.
    (
        {"approxdate": "October 20-25, 1999"},
        (D(1999, 10, 20), D(1999, 10, 25), "approximate"),
        " approxdate: October 20-25, 1999 (read as 1999-10-20 to 1999-10-25).",
        [],
    ),
    (
        {"approxdate": "October 15-20, 1999"},
        (D(1999, 10, 15), D(1999, 10, 20), "approximate"),
        " approxdate: October 15-20, 1999 (read as 1999-10-15 to 1999-10-20).",
        [],
    ),
    (
        {"approxdate": "October 21-25, 1999"},
        (D(1999, 10, 20), D(1999, 10, 20), "approximate"),
        " approxdate: October 21-25, 1999 (reads as 1999-10-21 to 1999-10-25, which "
        "does not meet iyear/imonth/iday; not used).",
        [],
    ),
    (
        {"approxdate": "June 1978"},
        (D(1999, 10, 20), D(1999, 10, 20), "approximate"),
        " approxdate: June 1978 (reads as 1978-06-01 to 1978-06-30, which does not "
        "meet iyear/imonth/iday; not used).",
        [],
    ),
    (
        {"approxdate": "sometime"},
        (D(1999, 10, 20), D(1999, 10, 20), "approximate"),
        " approxdate: sometime (not read as dates; the interval is "
        "iyear/imonth/iday's).",
        [],
    ),
    (
        {"extended": "1", "resolution": "10/25/1999"},
        (D(1999, 10, 20), D(1999, 10, 25), "range"),
        " Extended incident resolved on 1999-10-25.",
        [],
    ),
    # Resolved the day it began: the interval does not change.
    (
        {"extended": "1", "resolution": "10/20/1999"},
        (D(1999, 10, 20), D(1999, 10, 20), "day"),
        " Extended incident resolved on 1999-10-20.",
        [],
    ),
    (
        {"extended": "1", "resolution": "10/15/1999"},
        (D(1999, 10, 20), D(1999, 10, 20), "day"),
        "",
        [
            (
                0,
                "repaired",
                "resolution",
                "1999-10-15 is before the incident began (1999-10-20); the event's "
                "interval is iyear/imonth/iday's",
            )
        ],
    ),
    (
        {"extended": "1", "resolution": "soon"},
        (D(1999, 10, 20), D(1999, 10, 20), "day"),
        "",
        [
            (
                0,
                "repaired",
                "resolution",
                "'soon' is not a date in a format read here; the event's interval "
                "is iyear/imonth/iday's",
            )
        ],
    ),
    (
        {"extended": "0", "resolution": "10/25/1999"},
        (D(1999, 10, 20), D(1999, 10, 20), "day"),
        " Resolution '10/25/1999' is given but extended is not 1; not used.",
        [],
    ),
    (
        {"extended": "1"},
        (D(1999, 10, 20), D(1999, 10, 20), "day"),
        "",
        [],
    ),
    (
        {
            "approxdate": "October 18-22, 1999",
            "extended": "1",
            "resolution": "10/30/1999",
        },
        (D(1999, 10, 18), D(1999, 10, 30), "approximate"),
        " approxdate: October 18-22, 1999 (read as 1999-10-18 to 1999-10-22). "
        "Extended incident resolved on 1999-10-30.",
        [],
    ),
    (
        {
            "approxdate": "October 18-22, 1999",
            "extended": "1",
            "resolution": "10/21/1999",
        },
        (D(1999, 10, 18), D(1999, 10, 22), "approximate"),
        " approxdate: October 18-22, 1999 (read as 1999-10-18 to 1999-10-22). "
        "Extended incident resolved on 1999-10-21.",
        [],
    ),
    (
        {"approxdate": "June 1978", "extended": "1", "resolution": "10/15/1999"},
        (D(1999, 10, 20), D(1999, 10, 20), "approximate"),
        " approxdate: June 1978 (reads as 1978-06-01 to 1978-06-30, which does not "
        "meet iyear/imonth/iday; not used).",
        [
            (
                0,
                "repaired",
                "resolution",
                "1999-10-15 is before the incident began (1999-10-20); the event's "
                "interval is iyear/imonth/iday's and approxdate's",
            )
        ],
    ),
    (
        {"approxdate": "sometime", "extended": "1", "resolution": "10/15/1999"},
        (D(1999, 10, 20), D(1999, 10, 20), "approximate"),
        " approxdate: sometime (not read as dates; the interval is "
        "iyear/imonth/iday's).",
        [
            (
                0,
                "repaired",
                "resolution",
                "1999-10-15 is before the incident began (1999-10-20); the event's "
                "interval is iyear/imonth/iday's",
            )
        ],
    ),
]


@pytest.mark.parametrize(("cells", "dates", "notes", "issues"), WIDENING)
def test_approxdate_and_resolution_widen_the_interval(cells, dates, notes, issues):
    cross, found = walk(BASE | cells)
    assert found == issues
    assert (
        list(cross.date_start)[0],
        list(cross.date_end)[0],
        list(cross.date_precision)[0],
    ) == dates
    assert cross.notes.tolist() == [HEAD + CODES + notes]


def test_rows_keep_their_own_widening():
    rows = [BASE | case[0] for case in WIDENING]
    cross, _ = walk(*rows)
    days = zip(cross.date_start, cross.date_end, cross.date_precision, strict=True)
    assert list(days) == [case[1] for case in WIDENING]
    assert cross.notes.tolist() == [HEAD + CODES + case[2] for case in WIDENING]


def test_a_rejected_date_is_not_widened():
    row = BASE | {
        "iday": "32",
        "approxdate": "October 1999",
        "extended": "1",
        "resolution": "10/25/1999",
    }
    cross, found = walk(row)
    assert [issue[2] for issue in found] == ["iday"]
    assert list(cross.date_end) == [None]
    assert cross.notes.tolist() == [HEAD + CODES + " approxdate: October 1999."]


# (approxdates of the rows) -> the file note on those not read.
UNREAD = [
    (
        ["sometime"],
        "1 row has an approxdate that is not read as dates ('sometime'); "
        "its interval is iyear/imonth/iday's, marked approximate",
    ),
    (
        ["b", "a", "b", "October 1999"],
        "3 rows have an approxdate that is not read as dates ('a', 'b'); their "
        "interval is iyear/imonth/iday's, marked approximate",
    ),
    (
        ["f", "e", "d", "c", "b", "a"],
        "6 rows have an approxdate that is not read as dates ('a', 'b', 'c', 'd', "
        "'e', ...); their interval is iyear/imonth/iday's, marked approximate",
    ),
    (
        ["e", "d", "c", "b", "a", "a"],
        "6 rows have an approxdate that is not read as dates ('a', 'b', 'c', 'd', "
        "'e'); their interval is iyear/imonth/iday's, marked approximate",
    ),
]


@pytest.mark.parametrize(("texts", "note"), UNREAD)
def test_approxdates_not_read_are_named_in_a_file_note(texts, note):
    cross, _ = walk(*(BASE | {"approxdate": text} for text in texts))
    assert cross.file_notes == [note]


def test_a_resolution_column_of_both_orders_is_read_month_first():
    rows = [
        BASE | {"extended": "1", "resolution": "10/25/1999"},
        BASE | {"extended": "1", "resolution": "25/10/1999"},
        # Not an extended incident: its resolution is not read, so its
        # two-digit year is not repaired.
        BASE | {"extended": "0", "resolution": "10/26/99"},
    ]
    cross, found = walk(*rows)
    assert list(cross.date_end) == [D(1999, 10, 25), D(1999, 10, 20), D(1999, 10, 20)]
    assert [issue[:3] for issue in found] == [(1, "repaired", "resolution")]
    assert found[0][3].startswith("'25/10/1999' is not a date read as M/D/YYYY")
    assert found[0][3].endswith("; the event's interval is iyear/imonth/iday's")
    assert cross.file_notes[0].startswith("resolution: some values read only as")
    assert cross.file_notes[0].endswith("; read month first, as GTD writes dates")


def test_only_an_extended_incidents_resolution_is_read():
    # GTD's codebook: resolution is the end of an extended incident (extended
    # 1). Another row's resolution is not read, so it neither decides the
    # column's day/month order nor is repaired.
    rows = [
        BASE | {"extended": "0", "resolution": "25/10/1999"},
        BASE | {"extended": "1", "resolution": "10/11/1999"},
    ]
    cross, found = walk(*rows)
    # 10/11/1999 alone reads both ways: month first, as GTD writes it, is 11
    # October, before the incident began on 20 October.
    assert list(cross.date_end) == [D(1999, 10, 20), D(1999, 10, 20)]
    assert found == [
        (
            1,
            "repaired",
            "resolution",
            "1999-10-11 is before the incident began (1999-10-20); the event's "
            "interval is iyear/imonth/iday's",
        )
    ]
    assert len(cross.file_notes) == 1
    assert cross.file_notes[0].startswith(
        "resolution: every value reads both as D/M/YYYY and as M/D/YYYY"
    )
    rows = [
        BASE | {"extended": "0", "resolution": "10/25/99"},
        BASE | {"extended": "1", "resolution": "10/25/1999"},
    ]
    cross, found = walk(*rows)
    # A two-digit year not read is not repaired.
    assert found == []
    assert list(cross.date_end) == [D(1999, 10, 20), D(1999, 10, 25)]


def test_the_users_order_reads_the_resolution():
    row = BASE | {"extended": "1", "resolution": "11/12/1999"}
    cross, _ = walk(row, date_order="dmy")
    assert list(cross.date_end) == [D(1999, 12, 11)]
    cross, _ = walk(row)
    assert list(cross.date_end) == [D(1999, 11, 12)]


# --- specificity, types, words ------------------------------------------------------

# specificity -> (geo_precision, issues): GTD's codebook, 1 to 5.
SPECIFICITY = [
    ("1", "near", []),
    ("2", "district", []),
    ("3", "district", []),
    ("4", "province", []),
    ("5", "country", []),
    (
        "6",
        "",
        [(0, "rejected", "specificity", "'6' is not a GTD specificity (1 to 5)")],
    ),
    (
        "",
        "country",
        [
            (
                0,
                "repaired",
                "specificity",
                "is empty; the point is taken to be of country precision, the "
                "coarsest its codebook gives",
            )
        ],
    ),
]


@pytest.mark.parametrize(("code", "geo", "issues"), SPECIFICITY)
def test_specificity_follows_the_codebook(code, geo, issues):
    cross, found = walk(BASE | {"specificity": code})
    assert found == issues
    assert cross.geo_precision.tolist() == [geo]


def test_a_copy_without_specificity_says_once_how_its_points_are_taken():
    # A reduced copy without the column: one file note, not a repair per row;
    # 5 (the country) is the coarsest specificity GTD's codebook gives.
    rows = [{k: v for k, v in BASE.items() if k != "specificity"}] * 2
    cross, found = walk(*rows)
    assert found == []
    assert cross.geo_precision.tolist() == ["country", "country"]
    assert cross.file_notes == [
        "has no specificity column; every point is taken to be of country "
        "precision, the coarsest its codebook gives"
    ]


# (attack cells, suicide) -> (event_type, source_event_type, title).
ATTACKS = [
    ({"attacktype1_txt": "Bombing/Explosion"}, "", "bombing", "Bombing/Explosion"),
    (
        {"attacktype1_txt": "Bombing/Explosion"},
        "1",
        "suicide_bombing",
        "Bombing/Explosion",
    ),
    (
        {"attacktype1_txt": "Bombing/Explosion"},
        "1.0",
        "suicide_bombing",
        "Bombing/Explosion",
    ),
    ({"attacktype1_txt": "Bombing/Explosion"}, "0", "bombing", "Bombing/Explosion"),
    (
        {"attacktype1_txt": "bombing/explosion"},
        "1",
        "suicide_bombing",
        "bombing/explosion",
    ),
    ({"attacktype1_txt": "Armed Assault"}, "1", "armed_assault", "Armed Assault"),
    (
        {"attacktype1_txt": "Hostage Taking (Kidnapping)"},
        "",
        "hostage_taking",
        "Hostage Taking (Kidnapping)",
    ),
    (
        {"attacktype1_txt": "Hostage Taking (Barricade Incident)"},
        "",
        "hostage_taking",
        "Hostage Taking (Barricade Incident)",
    ),
    ({"attacktype1_txt": "Hijacking"}, "", "hijacking", "Hijacking"),
    ({"attacktype1_txt": "Assassination"}, "", "armed_assault", "Assassination"),
    (
        {"attacktype1_txt": "Facility/Infrastructure Attack"},
        "",
        "armed_assault",
        "Facility/Infrastructure Attack",
    ),
    ({"attacktype1_txt": "Unarmed Assault"}, "", "armed_assault", "Unarmed Assault"),
    ({"attacktype1_txt": "Unknown"}, "", "armed_assault", "Unknown"),
    # Without the text column, the code stands in for it.
    (
        {"attacktype1_txt": None, "attacktype1": "3"},
        "1",
        "suicide_bombing",
        "Bombing/Explosion",
    ),
    ({"attacktype1_txt": None, "attacktype1": "4"}, "", "hijacking", "Hijacking"),
    (
        {"attacktype1_txt": None, "attacktype1": "6.0"},
        "",
        "hostage_taking",
        "Hostage Taking (Kidnapping)",
    ),
    (
        {"attacktype1_txt": None, "attacktype1": "1"},
        "",
        "armed_assault",
        "Assassination",
    ),
    ({"attacktype1_txt": None, "attacktype1": "9"}, "", "armed_assault", "Unknown"),
]


def row_with(cells: dict, suicide: str) -> dict:
    row = BASE | {"suicide": suicide} | cells
    return {key: value for key, value in row.items() if value is not None}


@pytest.mark.parametrize(("cells", "suicide", "kind", "text"), ATTACKS)
def test_attack_types_follow_the_table(cells, suicide, kind, text):
    cross, found = walk(row_with(cells, suicide))
    assert found == []
    assert cross.event_type.tolist() == [kind]
    assert cross.source_event_type.tolist() == [text]
    assert cross.title.tolist() == [text]
    assert cross.layer.tolist() == ["attack"]
    assert cross.file_notes == []


# (attack cells of the rows) -> (issues, file notes).
UNMAPPED_ATTACKS = [
    (
        [{"attacktype1_txt": "Arson"}, {"attacktype1_txt": ""}],
        [
            (
                0,
                "repaired",
                "attacktype1_txt",
                "unmapped type: GTD 'Arson' is in no crosswalk table; read as "
                "attack/armed_assault",
            ),
            (
                1,
                "repaired",
                "attacktype1_txt",
                "unmapped type: the row has no GTD type; read as attack/armed_assault",
            ),
        ],
        [
            "2 rows have a GTD type that no crosswalk table knows (unmapped), read "
            "as attack/armed_assault: 'Arson' (1), (no type) (1)"
        ],
    ),
    (
        [{"attacktype1_txt": None, "attacktype1": "12"}],
        [
            (
                0,
                "repaired",
                "attacktype1",
                "unmapped type: GTD code '12' is in no crosswalk table; read as "
                "attack/armed_assault",
            )
        ],
        [
            "1 row has a GTD type that no crosswalk table knows (unmapped), read "
            "as attack/armed_assault: code '12' (1)"
        ],
    ),
    # The code is not read when the text column is there.
    (
        [{"attacktype1_txt": "", "attacktype1": "3"}],
        [
            (
                0,
                "repaired",
                "attacktype1_txt",
                "unmapped type: the row has no GTD type; read as attack/armed_assault",
            )
        ],
        [
            "1 row has a GTD type that no crosswalk table knows (unmapped), read "
            "as attack/armed_assault: (no type) (1)"
        ],
    ),
    (
        [{"attacktype1_txt": None}, {"attacktype1_txt": None}],
        [],
        ["has no attacktype1 column; every event is read as attack/armed_assault"],
    ),
]


@pytest.mark.parametrize(("cells", "issues", "notes"), UNMAPPED_ATTACKS)
def test_unmapped_attack_types_are_repairs_and_a_file_note(cells, issues, notes):
    cross, found = walk(*(row_with(c, "") for c in cells))
    assert found == issues
    assert cross.file_notes == notes
    assert set(cross.event_type) == {"armed_assault"}


# (cells) -> (title, description, notes after the eventid).
WORDS = [
    (
        {
            "attacktype1_txt": "Bombing/Explosion",
            "suicide": "1",
            "city": "Tashkent",
            "provstate": "Tashkent",
        },
        "Bombing/Explosion",
        "Bombing/Explosion at Tashkent",
        "attacktype1_txt Bombing/Explosion; suicide 1; specificity 1 (near). "
        "provstate: Tashkent.",
    ),
    (
        {"attacktype1_txt": "", "specificity": "", "suicide": "0"},
        "GTD attack",
        "GTD attack",
        "suicide 0; specificity empty (country).",
    ),
    (
        {"attacktype1_txt": "", "specificity": "9", "city": "Osh"},
        "GTD attack",
        "GTD attack at Osh",
        "specificity 9.",
    ),
]


@pytest.mark.parametrize(("cells", "title", "description", "notes"), WORDS)
def test_each_row_says_what_and_where(cells, title, description, notes):
    cross, _ = walk(BASE | cells)
    assert cross.title.tolist() == [title]
    assert cross.description.tolist() == [description]
    assert cross.notes.tolist() == [HEAD + notes]


def test_columns_go_where_the_crosswalk_says():
    rows = [
        BASE
        | {
            "gname": "Islamic Movement of Uzbekistan (IMU)",
            "gname2": " Taliban ",
            "gname3": "Al-Qaida",
            "target1": "Police station",
            "targtype1_txt": "Police",
            "city": " Tashkent ",
            "country_txt": "Uzbekistan",
            "summary": "02/16/1999: Six car bombs exploded.",
            "nkill": "16",
        },
        BASE
        | {
            "eventid": "2",
            "gname": "",
            "gname2": "IMU",
            "target1": "",
            "targtype1_txt": "Government (General)",
            "nkill": "19.8",
        },
        BASE | {"eventid": "3", "nkill": "0.0"},
    ]
    cross, found = walk(*rows)
    assert found == [
        (
            1,
            "repaired",
            "nkill",
            "'19.8' is not a whole number of people (0 or more); the event is kept "
            "with no count",
        )
    ]
    assert cross.source_id.tolist() == ["199910200001", "2", "3"]
    assert cross.id_column == "eventid"
    assert cross.actors.tolist() == [
        "Islamic Movement of Uzbekistan (IMU); Taliban; Al-Qaida",
        "IMU",
        "",
    ]
    assert cross.target.tolist() == ["Police station", "Government (General)", ""]
    assert [s.tolist() for s in cross.fatalities] == [
        ["", "", ""],
        ["16", "", "0"],
        ["", "", ""],
    ]
    assert cross.place_name.tolist() == ["Tashkent", "", ""]
    assert cross.country.tolist() == ["Uzbekistan", "", ""]
    assert cross.source_quote.tolist() == [
        "02/16/1999: Six car bombs exploded.",
        "[no text in the source row]",
        "[no text in the source row]",
    ]
    assert cross.source_sub_event_type.tolist() == ["", "", ""]
    assert cross.admin1_column == "provstate"
    assert list(cross.date_origin) == ["source"] * 3
