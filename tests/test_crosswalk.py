"""What the format crosswalks share (``imu_geo.importers.crosswalk``), checked
helper by helper on values written here.

Every expected value comes from the codebooks (ACLED's time and geo precision,
UCDP GED's ``where_prec`` and ``type_of_violence``, GTD's ``specificity``), from
``docs/import.md`` (empty markers, HDX's HXL row, counts, estimates out of
order, unmapped types, precision codes) or is worked out by hand from the rule
the docstring states; none is computed by the code under test.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imu_geo.importers.crosswalk import (
    NO_TEXT,
    _at,
    _code_text,
    _codebook,
    _coded,
    _codes,
    _compose,
    _count_text,
    _counts,
    _dataset_crosswalk,
    _estimate_order,
    _imported_from,
    _isoformat,
    _Issues,
    _join_parts,
    _labelled,
    _parse_one,
    _place_precision,
    _published_estimates,
    _quote,
    _read_dates,
    _sentence,
    _Source,
    _text,
    _unmapped,
    _when,
    crosswalked_columns,
    skip_hxl_row,
    slugify,
)
from imu_geo.importers.reading import RawTable


def frame(**columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype="str")


def issues_of(issues: _Issues) -> list[tuple]:
    found = issues.frame()
    return [
        (int(p), a, c, r)
        for p, a, c, r in zip(
            found["position"],
            found["action"],
            found["column"],
            found["reason"],
            strict=True,
        )
    ]


def texts(series: pd.Series) -> list[str]:
    assert isinstance(series.index, pd.RangeIndex)
    assert series.index.start == 0
    return [str(v) for v in series]


# --- the codebooks ---------------------------------------------------------

CODEBOOKS = [
    (
        "acled",
        "time_precision",
        {1: "the day", 2: "event_date ± 3 days", 3: "the month"},
    ),
    ("acled", "geo_precision", {1: "near", 2: "district", 3: "province"}),
    (
        "ucdp",
        "where_prec",
        {
            1: "exact",
            2: "near",
            3: "district",
            4: "province",
            5: "region",
            6: "country",
            7: "region",
        },
    ),
    (
        "ucdp",
        "type_of_violence",
        {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"},
    ),
    (
        "gtd",
        "specificity",
        {1: "near", 2: "district", 3: "district", 4: "province", 5: "country"},
    ),
    ("gtd", "where_prec", {}),
    ("ucdp", "specificity", {}),
    ("native", "geo_precision", {}),
]


@pytest.mark.parametrize(("fmt", "column", "expected"), CODEBOOKS)
def test_codebook_gives_each_code_its_meaning(fmt, column, expected):
    book = _codebook(fmt, column)
    assert book == expected
    assert all(type(code) is int for code in book)


# --- the columns a crosswalk reads ----------------------------------------

COLUMN_CASES = [
    # UCDP GED 20.1 and later write both names of an estimate: best wins.
    (
        "ucdp",
        ["id", "best", "best_est", "low_est", "where_prec", "gwnoa"],
        {
            "id": "source_id, event_id",
            "best": "fatalities_best",
            "low_est": "fatalities_low",
            "where_prec": "geo_precision, notes",
        },
    ),
    # Names compared in lower case without spaces, returned as written, in order.
    (
        "ucdp",
        [" Best_Est ", "ID", "Side_A"],
        {
            " Best_Est ": "fatalities_best",
            "ID": "source_id, event_id",
            "Side_A": "actors",
        },
    ),
    (
        "gtd",
        ["attacktype1", "attacktype1_txt", "nkill", "nwound"],
        {
            "attacktype1_txt": (
                "event_type, source_event_type, title, description, notes"
            ),
            "nkill": "fatalities_best",
        },
    ),
    (
        "gtd",
        ["attacktype1", "iyear"],
        {
            "attacktype1": "event_type, source_event_type, title, description, notes",
            "iyear": "date_start, date_end, date_precision",
        },
    ),
    (
        "native",
        ["lat", "latitude", "longitude", "country"],
        {"lat": "place point", "longitude": "place point", "country": "place country"},
    ),
    ("acled", ["event_date", "tags", 7], {"event_date": "date_start, date_end"}),
    ("nonesuch", ["event_date", "id"], {}),
    ("acled", [], {}),
]


@pytest.mark.parametrize(("fmt", "columns", "expected"), COLUMN_CASES)
def test_crosswalked_columns(fmt, columns, expected):
    result = crosswalked_columns(fmt, columns)
    assert result == expected
    assert list(result) == list(expected)


def test_crosswalked_columns_takes_names_that_are_not_text():
    # A column named by a number (a header cell read as one) is compared as text.
    assert crosswalked_columns("ucdp", [1, "id"]) == {"id": "source_id, event_id"}


# --- text helpers ------------------------------------------------------------


def test_text_repeats_a_scalar_and_keeps_arrays_and_lists():
    assert texts(_text("x", 3)) == ["x", "x", "x"]
    assert texts(_text("", 0)) == []
    assert texts(_text(["a", "b"], 2)) == ["a", "b"]
    assert texts(_text(np.array(["a", "b"], dtype=object), 2)) == ["a", "b"]
    assert texts(_text(pd.Series(["a", "b"], index=[5, 9]), 2)) == ["a", "b"]
    assert texts(_text(pd.Series(["a", "b"], index=[5, 9]))) == ["a", "b"]
    assert texts(_text(["a"])) == ["a"]
    assert _text("x", 2).dtype == "str"
    assert _text(np.array([1, 2], dtype=object)).dtype == "str"
    assert texts(_text(np.array([1, 2], dtype=object))) == ["1", "2"]


def test_when_keeps_values_where_the_mask_holds():
    values = pd.Series(["a", "b", "c"], index=[4, 5, 6], dtype="str")
    mask = np.array([True, False, True])
    assert list(_when(mask, values)) == ["a", "", "c"]
    assert list(_when(mask, values, "-")) == ["a", "-", "c"]


SLUGS = [
    ("Kunduz Province", "-", "kunduz-province"),
    ("Qūrghonteppa", "-", "qurghonteppa"),
    ("Ōsh / Jalal-Abad", "-", "osh-jalal-abad"),
    ("Ōsh / Jalal-Abad", "_", "osh_jalal-abad"),
    ("  --North Waziristan!!  ", "-", "north-waziristan"),
    ("__a__", "-", "a"),
    ("A__B", "-", "a__b"),
    ("Straße", "-", "stra-e"),
    ("ﬁeld", "-", "field"),
    ("Tashkent", "+", "tashkent"),
    ("Sar-e Pol", "+", "sar-e+pol"),
    ("", "-", ""),
    ("Düşanbe", "-", "dusanbe"),
]


@pytest.mark.parametrize(("text", "separator", "expected"), SLUGS)
def test_slugify(text, separator, expected):
    assert list(slugify(pd.Series([text]), separator)) == [expected]


def test_slugify_default_separator_and_a_mixed_column():
    column = pd.Series(["Ürgüt", "Tashkent City", "Ürgüt", "Khost"], index=[3, 1, 7, 2])
    assert list(slugify(column)) == ["urgut", "tashkent-city", "urgut", "khost"]


def test_the_notes_say_the_dataset_and_the_rows_id_or_that_it_has_none():
    ids = pd.Series(["77", "", "XXXX"], index=[4, 9, 2])
    notes = _imported_from("UCDP GED", "id", ids)
    assert list(notes) == [
        "Imported from UCDP GED: id 77. ",
        "Imported from UCDP GED, with no id. ",
        "Imported from UCDP GED: id XXXX. ",
    ]
    assert list(notes.index) == [4, 9, 2]


def test_slugify_gives_an_empty_slug_for_a_missing_value():
    column = pd.Series(["Khost", None, np.nan, pd.NA], dtype="object")
    assert list(slugify(column)) == ["khost", "", "", ""]


@settings(max_examples=40)
@given(st.text(max_size=30))
def test_slugify_gives_lower_ascii_without_separators_at_the_ends(text):
    (slug,) = slugify(pd.Series([text], dtype="str"))
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789_-" for c in slug)
    assert not slug.startswith(("-", "_")) and not slug.endswith(("-", "_"))
    plain = "".join(c for c in text.lower() if c.isascii() and c.isalnum())
    # An ASCII letter or digit is never dropped.
    assert (
        "".join(c for c in slug if c.isalnum()).startswith(plain) or not text.isascii()
    )
    if text.isascii():
        assert "".join(c for c in slug if c.isalnum()) == plain


# --- HDX's HXL row -----------------------------------------------------------


def raw_table(first: list[str], unit: str = "row", notes=()) -> RawTable:
    columns = ["event_date", "latitude", "longitude", "fatalities", "notes", "x"]
    rows = [first, ["01/02/2015", "36.7", "69.1", "2", "text", "y"]]
    return RawTable(
        name="acled.csv",
        frame=pd.DataFrame(rows, columns=columns[: len(first)], dtype="str"),
        rows=np.array([2, 3]),
        notes=tuple(notes),
        unit=unit,
    )


def test_hxl_row_is_skipped_with_a_note():
    raw = raw_table(
        [" #date+occurred", "#geo +lat", "#geo+lon", "", "#description", ""],
        notes=("acled.csv: read as UTF-8",),
    )
    result = skip_hxl_row(raw)
    assert result.frame.to_dict("list") == {
        "event_date": ["01/02/2015"],
        "latitude": ["36.7"],
        "longitude": ["69.1"],
        "fatalities": ["2"],
        "notes": ["text"],
        "x": ["y"],
    }
    assert list(result.frame.index) == [0]
    assert list(result.rows) == [3]
    assert result.notes == (
        "acled.csv: read as UTF-8",
        "acled.csv: row 2 holds HXL hashtags (#date+occurred, #geo +lat, #geo+lon, "
        "#description), a header annotation that HDX adds under the header; it was "
        "skipped",
    )
    assert result.name == "acled.csv"


def test_hxl_row_with_more_than_four_tags_is_shown_cut():
    raw = raw_table(
        ["#date", "#geo+lat", "#geo+lon", "#affected+killed", "#x_1", ""],
        unit="feature",
    )
    (note,) = skip_hxl_row(raw).notes
    assert note == (
        "acled.csv: feature 2 holds HXL hashtags (#date, #geo+lat, #geo+lon, "
        "#affected+killed, ...), a header annotation that HDX adds under the header; "
        "it was skipped"
    )


@pytest.mark.parametrize(
    "first",
    [
        ["#date", "#geo+lat", "36.1", "", "", ""],  # a value among the tags
        ["", "", "", "", "", ""],  # an empty row is not an annotation
        ["#1date", "", "", "", "", ""],  # a tag begins with a letter
        ["#date+", "", "", "", "", ""],  # an attribute needs a name
        ["# date", "", "", "", "", ""],
        ["date", "", "", "", "", ""],
        ["#date #geo", "", "", "", "", ""],
        ["#date+lat x", "", "", "", "", ""],
    ],
)
def test_a_first_row_that_is_not_all_hashtags_is_kept(first):
    raw = raw_table(first)
    assert skip_hxl_row(raw) is raw


def test_a_table_without_rows_is_returned_as_it_is():
    raw = RawTable(
        name="x.csv",
        frame=pd.DataFrame({"a": pd.Series([], dtype="str")}),
        rows=np.array([], dtype=np.int64),
    )
    assert skip_hxl_row(raw) is raw


# --- issues ------------------------------------------------------------------


def test_issues_are_collected_as_positions_in_order():
    issues = _Issues()
    assert issues_of(issues) == []
    empty = issues.frame()
    assert list(empty.columns) == ["position", "action", "column", "reason", "order"]
    assert empty["position"].dtype == np.int64 and empty["order"].dtype == np.int64
    issues.add(np.array([False, False]), "rejected", "a", "never")
    issues.add(np.array([False, True, True]), "rejected", "a", "why")
    issues.add(np.array([True, False, True]), "repaired", "b", ["one", "two"])
    issues.add(
        np.array([True, False, True]), "repaired", "c", np.array(["x", "y", "z"])
    )
    found = issues.frame()
    assert issues_of(issues) == [
        (1, "rejected", "a", "why"),
        (2, "rejected", "a", "why"),
        (0, "repaired", "b", "one"),
        (2, "repaired", "b", "two"),
        (0, "repaired", "c", "x"),
        (2, "repaired", "c", "z"),
    ]
    assert list(found["order"]) == [0, 0, 1, 1, 2, 2]
    assert list(found.index) == [0, 1, 2, 3, 4, 5]


def test_issues_take_one_reason_for_one_position():
    issues = _Issues()
    issues.add(np.array([False, True]), "rejected", "a", ["only"])
    issues.add(np.array([True]), "rejected", "a", ["single"])
    assert issues_of(issues) == [
        (1, "rejected", "a", "only"),
        (0, "rejected", "a", "single"),
    ]
    assert list(issues.frame()["order"]) == [0, 1]


# --- the source's columns ------------------------------------------------------


def test_source_looks_columns_up_in_lower_case():
    source = _Source(frame(**{" Event_Date ": ["1"], "Notes": ["a"]}))
    assert source.n == 1
    assert source.has("event_date") and source.has("notes")
    assert not source.has("Notes") and not source.has("x")
    assert source.first("x", "notes", "event_date") == "notes"
    assert source.first("x", "y") == "y"
    assert source.first("event_date") == "event_date"
    assert list(source.rows) == [2]
    assert source.rows.dtype == np.int64
    assert source.read == set()


def test_source_rows_are_the_files_row_numbers():
    source = _Source(frame(a=["1", "2", "3"]))
    assert list(source.rows) == [2, 3, 4]
    given_rows = _Source(frame(a=["1", "2"]), rows=[7, 12])
    assert list(given_rows.rows) == [7, 12]
    assert given_rows.rows.dtype == np.int64


@pytest.mark.parametrize("dtype", [np.int32, np.uint16, np.float64])
def test_source_rows_are_64_bit_integers_whatever_they_were_given_as(dtype):
    # A row number past 2**31 (a file of billions of rows is refused long
    # before) still fits, and a number never prints as 7.0.
    source = _Source(frame(a=["1", "2"]), rows=np.array([7, 12], dtype=dtype))
    assert source.rows.dtype == np.int64
    assert [str(row) for row in source.rows] == ["7", "12"]


def test_source_reads_a_column_as_written_and_stripped():
    source = _Source(frame(Actor1=[" Taliban ", "IMU", ""], other=["a", "b", "c"]))
    assert texts(source.get("actor1")) == [" Taliban ", "IMU", ""]
    assert texts(source.stripped("actor1")) == ["Taliban", "IMU", ""]
    assert source.read == {"Actor1"}
    # A column the file lacks is empty, and not read.
    assert texts(source.get("actor2")) == ["", "", ""]
    assert texts(source.stripped("assoc_actor_1")) == ["", "", ""]
    assert source.read == {"Actor1"}
    assert source.markers == {}
    assert source.marker_note("f.csv") == ""


def test_source_reads_numbers_as_text():
    source = _Source(pd.DataFrame({"best": [3, 10]}))
    assert texts(source.stripped("best")) == ["3", "10"]
    assert source.stripped("best").dtype == "str"


MARKED = [
    "NA",
    " N/A ",
    "#N/A",
    "NULL",
    "None",
    "nan",
    "NaN",
    "Nan",
    ".",
    "na",
    "NATO",
    "..",
    "none",
]
BLANKED = ["", "", "", "", "", "", "", "", "", "na", "NATO", "..", "none"]


def test_empty_markers_are_read_as_empty_and_counted():
    source = _Source(
        frame(actor2=MARKED, country=["NA"] * len(MARKED)),
        literal=frozenset({"country"}),
    )
    assert texts(source.stripped("actor2")) == BLANKED
    assert texts(source.get("actor2")) == BLANKED
    assert texts(source.stripped("country")) == ["NA"] * len(MARKED)
    assert source.markers == {
        "actor2": {
            "NA": 1,
            "N/A": 1,
            "#N/A": 1,
            "NULL": 1,
            "None": 1,
            "nan": 1,
            "NaN": 1,
            "Nan": 1,
            ".": 1,
        }
    }


def test_a_column_is_read_once():
    source = _Source(frame(Actor2=["NA", "x", "NA"]))
    first = source.get("actor2")
    source.stripped("actor2")
    source.get("actor2")
    assert source.get("actor2") is first
    assert source.markers == {"Actor2": {"NA": 2}}
    source.release()
    assert source.markers == {"Actor2": {"NA": 2}}
    assert source.read == {"Actor2"}
    assert source._columns == {} and source._stripped == {}


def test_a_column_read_again_after_release_is_not_counted_twice():
    source = _Source(frame(Actor2=["NA", "x", "NA"], actor1=["NaN", "x", "y"]))
    source.get("actor2")
    source.release()
    assert texts(source.get("actor2")) == ["", "x", ""]
    source.stripped("actor1")
    assert source.markers == {"Actor2": {"NA": 2}, "actor1": {"NaN": 1}}
    assert source.marker_note("f.csv") == (
        "f.csv: 3 cells hold a marker for an empty value and were read as empty: "
        "'NA' (Actor2 2); 'NaN' (actor1 1)"
    )


def test_the_marker_note_counts_per_marker_and_column_in_the_files_order():
    source = _Source(
        frame(
            ally_actor_1=["NA", "x", "x"],
            actor2=["NA", "NaN", "x"],
            ally_actor_2=["NA", "NaN", "."],
        )
    )
    for column in ("ally_actor_2", "actor2", "ally_actor_1"):
        source.stripped(column)
    assert source.marker_note("acled.csv") == (
        "acled.csv: 6 cells hold a marker for an empty value and were read as empty: "
        "'.' (ally_actor_2 1); 'NA' (ally_actor_1 1, actor2 1, ally_actor_2 1); "
        "'NaN' (actor2 1, ally_actor_2 1)"
    )


def test_the_marker_note_of_one_cell_and_of_thousands():
    one = _Source(frame(actor2=["x", "NA"]))
    one.get("actor2")
    assert one.marker_note("a.csv") == (
        "a.csv: 1 cell holds a marker for an empty value and was read as empty: "
        "'NA' (actor2 1)"
    )
    many = _Source(frame(Location=["NULL"] * 1234 + ["Kabul"]))
    many.get("location")
    assert many.marker_note("b.csv") == (
        "b.csv: 1,234 cells hold a marker for an empty value and were read as empty: "
        "'NULL' (Location 1,234)"
    )


# --- dates, codes and counts ---------------------------------------------------


PARTIAL = [
    ("2015-03", (date(2015, 3, 1), date(2015, 3, 31), "month", "")),
    ("2002-09-25", (date(2002, 9, 25), date(2002, 9, 25), "day", "")),
    ("1999", (date(1999, 1, 1), date(1999, 12, 31), "year", "")),
]


@pytest.mark.parametrize(("text", "expected"), PARTIAL)
def test_parse_one(text, expected):
    assert _parse_one(text) == expected


@pytest.mark.parametrize("text", ["", "not a date", "2001-02-30"])
def test_parse_one_gives_the_reason_it_is_not_a_date(text):
    start, end, precision, reason = _parse_one(text)
    assert (start, end, precision) == (None, None, "")
    assert reason != ""
    if not text:
        assert reason == "the date is empty"


CODES = [
    (" 3 ", 3),
    ("3", 3),
    ("3.0", 3),
    ("-2", -2),
    ("0", 0),
    ("1e3", 1000),
    ("3.5", None),
    ("abc", None),
    ("", None),
    ("inf", None),
    ("-inf", None),
    ("nan", None),
    ("9007199254740991", 9007199254740991),
    ("-9007199254740991", -9007199254740991),
    ("9007199254740992", None),
    ("-9007199254740992", None),
    ("99999999999999999999", None),
]


def test_codes_reads_whole_numbers_only():
    values = pd.Series([text for text, _ in CODES] + [" 3 ", "abc"], dtype="str")
    expected = [code for _, code in CODES] + [3, None]
    result = _codes(values)
    assert result.dtype == "Int64"
    assert isinstance(result.index, pd.RangeIndex)
    assert [None if pd.isna(v) else int(v) for v in result] == expected


def test_codes_of_no_rows():
    result = _codes(pd.Series([], dtype="str"))
    assert result.dtype == "Int64" and len(result) == 0


def test_code_text():
    codes = pd.Series(pd.array([1, None, 3, 1, -4], dtype="Int64"))
    assert texts(_code_text(codes)) == ["1", "", "3", "1", "-4"]
    assert texts(_code_text(pd.Series(pd.array([None], dtype="Int64")))) == [""]


def not_whole(text: str) -> str:
    return f"{text!r} is not a whole number of people (0 or more)"


COUNTS = [
    ("", ("", "")),
    ("0", ("0", "")),
    ("3", ("3", "")),
    ("3.0", ("3", "")),
    ("1e2", ("100", "")),
    ("-0", ("0", "")),
    ("19.8", ("", not_whole("19.8"))),
    ("-1", ("", not_whole("-1"))),
    ("-0.5", ("", not_whole("-0.5"))),
    ("inf", ("", not_whole("inf"))),
    ("nan", ("", not_whole("nan"))),
    ("three", ("", not_whole("three"))),
    ("2,000", ("", not_whole("2,000"))),
]


@pytest.mark.parametrize(("text", "expected"), COUNTS)
def test_count_text(text, expected):
    assert _count_text(text) == expected


def test_counts_keep_the_event_without_a_figure_that_is_not_whole():
    source = _Source(frame(nkill=["3", " 19.8 ", "", "2.0", "19.8", "x"]))
    issues = _Issues()
    assert texts(_counts(source, "nkill", issues)) == ["3", "", "", "2", "", ""]
    kept = "; the event is kept with no count"
    assert issues_of(issues) == [
        (1, "repaired", "nkill", not_whole("19.8") + kept),
        (4, "repaired", "nkill", not_whole("19.8") + kept),
        (5, "repaired", "nkill", not_whole("x") + kept),
    ]


def test_counts_of_no_rows_and_of_a_missing_column():
    issues = _Issues()
    assert texts(_counts(_Source(frame(nkill=[])), "nkill", issues)) == []
    assert texts(_counts(_Source(frame(a=["1", "2"])), "nkill", issues)) == ["", ""]
    assert issues_of(issues) == []


# --- estimates out of order (UCDP GED) -------------------------------------------


ORDERS = [
    # (low, best, high) as published -> as kept, and the problem
    (("9", "9", "8"), ("9", "9", "", "high below best")),
    (("10", "9", "12"), ("", "9", "12", "low above best")),
    (("10", "9", "8"), ("", "9", "", "low above best and high below best")),
    (("9", "9", "9"), ("9", "9", "9", "")),
    (("8", "9", "10"), ("8", "9", "10", "")),
    (("", "9", ""), ("", "9", "", "")),
    (("", "9", "8"), ("", "9", "", "high below best")),
    (("10", "9", ""), ("", "9", "", "low above best")),
    (("5", "", "3"), ("", "", "", "low above high")),
    (("3", "", "5"), ("3", "", "5", "")),
    (("5", "", "5"), ("5", "", "5", "")),
    (("5", "", ""), ("5", "", "", "")),
    (("", "", "5"), ("", "", "5", "")),
    (("", "", ""), ("", "", "", "")),
    (("0", "0", "0"), ("0", "0", "0", "")),
    (("1", "0", "2"), ("", "0", "2", "low above best")),
    (("0", "1", "0"), ("0", "1", "", "high below best")),
    (("1", "", "0"), ("", "", "", "low above high")),
]


@pytest.mark.parametrize(("published", "expected"), ORDERS)
def test_estimate_order(published, expected):
    assert _estimate_order(*published) == expected


def test_published_estimates_quote_the_figures_out_of_order():
    low = pd.Series(["9", "10", "8", "5", "10", "9"], dtype="str")
    best = pd.Series(["9", "9", "9", "", "9", "9"], dtype="str")
    high = pd.Series(["8", "12", "10", "3", "8", "8"], dtype="str")
    issues = _Issues()
    kept_low, kept_best, kept_high, notes = _published_estimates(
        low, best, high, issues, ("low", "best", "high")
    )
    assert texts(kept_low) == ["9", "", "8", "", "", "9"]
    assert texts(kept_best) == ["9", "9", "9", "", "9", "9"]
    assert texts(kept_high) == ["", "12", "10", "", "", ""]
    assert texts(notes) == [
        "Published low 9, best 9, high 8 (out of order).",
        "Published low 10, best 9, high 12 (out of order).",
        "",
        "Published low 5, best (none), high 3 (out of order).",
        "Published low 10, best 9, high 8 (out of order).",
        "Published low 9, best 9, high 8 (out of order).",
    ]
    tail = "left empty so that low <= best <= high; the published figures are in notes"
    column = "low, best, high"
    assert issues_of(issues) == [
        (
            0,
            "repaired",
            column,
            "low 9, best 9, high 8 are out of order (high below best): "
            f"fatalities_high {tail}",
        ),
        (
            1,
            "repaired",
            column,
            "low 10, best 9, high 12 are out of order (low above best): "
            f"fatalities_low {tail}",
        ),
        (
            3,
            "repaired",
            column,
            "low 5, best (none), high 3 are out of order (low above high): "
            f"fatalities_low and fatalities_high {tail}",
        ),
        (
            4,
            "repaired",
            column,
            "low 10, best 9, high 8 are out of order (low above best and high below "
            f"best): fatalities_low and fatalities_high {tail}",
        ),
        (
            5,
            "repaired",
            column,
            "low 9, best 9, high 8 are out of order (high below best): "
            f"fatalities_high {tail}",
        ),
    ]


def test_published_estimates_of_no_rows():
    issues = _Issues()
    empty = pd.Series([], dtype="str")
    result = _published_estimates(empty, empty, empty, issues, ("a", "b", "c"))
    assert [texts(part) for part in result] == [[], [], [], []]
    assert issues_of(issues) == []


@given(
    st.lists(
        st.tuples(*[st.sampled_from(["", "0", "1", "2", "5", "9", "10"])] * 3),
        max_size=8,
    )
)
@settings(max_examples=40)
def test_published_estimates_keep_an_order_or_say_why(rows):
    low, best, high = (
        pd.Series([row[i] for row in rows], dtype="str") for i in range(3)
    )
    issues = _Issues()
    kept = _published_estimates(low, best, high, issues, ("low", "best", "high"))
    kept_low, kept_best, kept_high, notes = (texts(part) for part in kept)
    repaired = {position for position, *_ in issues_of(issues)}
    for i, (lo, be, hi) in enumerate(rows):
        assert kept_best[i] == be
        figures = [int(v) for v in (kept_low[i], kept_best[i], kept_high[i]) if v]
        assert figures == sorted(figures)
        changed = (kept_low[i], kept_high[i]) != (lo, hi)
        assert (i in repaired) == changed
        assert (notes[i] != "") == changed
        if changed:
            assert notes[i] == (
                f"Published low {lo}, best {be or '(none)'}, high {hi} (out of order)."
            )


# --- composing text -------------------------------------------------------------


def test_join_parts():
    a = pd.Series([" a ", "", "a", "", "x"], dtype="str")
    b = pd.Series(["b", "b", "", "", " "], dtype="str")
    c = pd.Series(["c", "c", "c", "", "y"], dtype="str")
    assert texts(_join_parts(a, b, c)) == ["a; b; c", "b; c", "a; c", "", "x; y"]
    assert texts(_join_parts(a, b, separator=" / ")) == ["a / b", "b", "a", "", "x"]
    assert texts(_join_parts(b)) == ["b", "b", "", "", ""]


def test_labelled():
    values = pd.Series([" Kunduz ", "", "  "], dtype="str")
    assert texts(_labelled("Place: ", values)) == ["Place: Kunduz. ", "", ""]
    assert texts(_labelled("Place: ", values, end="")) == ["Place: Kunduz", "", ""]


def test_compose_calls_the_function_per_distinct_combination():
    calls = []

    def join(a, b):
        calls.append((a, b))
        return f"{a}+{b}"

    a = pd.Series(["x", "x", "y", "x"], dtype="str")
    b = pd.Series(["1", "1", "1", "2"], dtype="str")
    assert texts(_compose(join, a, b)) == ["x+1", "x+1", "y+1", "x+2"]
    assert sorted(calls) == [("x", "1"), ("x", "2"), ("y", "1")]


def test_sentence_and_at():
    assert _sentence("Conflict: ", "Afghanistan") == "Conflict: Afghanistan."
    assert _sentence("Conflict: ", "") == ""
    assert _at("Attack", "Event", "Kunduz") == "Attack at Kunduz"
    assert _at("", "Event", "Kunduz") == "Event at Kunduz"
    assert _at("Attack", "Event", "") == "Attack"
    assert _at("", "Event", "") == "Event"


def test_quote_stands_in_for_an_empty_text():
    text = pd.Series(["A report. ", "  ", ""], dtype="str")
    assert list(_quote(text)) == ["A report. ", NO_TEXT, NO_TEXT]
    assert NO_TEXT == "[no text in the source row]"


def test_isoformat():
    days = np.array(
        [date(2015, 1, 2), None, date(1999, 12, 31), date(2015, 1, 2)], dtype=object
    )
    assert texts(_isoformat(days)) == ["2015-01-02", "", "1999-12-31", "2015-01-02"]
    assert texts(_isoformat(np.array([None, None], dtype=object))) == ["", ""]
    assert texts(_isoformat([date(2001, 9, 9)])) == ["2001-09-09"]


# --- a published dataset's crosswalk -----------------------------------------------


def fields(n: int) -> dict:
    blank = _text("", n)
    return {
        "event_type": _text("armed_clash", n),
        "geo_precision": blank,
        "actors": blank,
        "target": blank,
        "fatalities": (blank, blank, blank),
        "title": blank,
        "description": blank,
        "notes": blank,
        "place_name": blank,
    }


DATASETS = [
    # format, the file's columns, what each common field is read from
    (
        "acled",
        {
            "EVENT_ID_CNTY": [" AFG1 ", "AFG2"],
            "notes": ["On 2 January ...", " "],
            "country": [" Afghanistan", "NA"],
            "admin1": ["Kunduz", "Balkh"],
        },
        {
            "source_id": ["AFG1", "AFG2"],
            "id_column": "event_id_cnty",
            "source_quote": ["On 2 January ...", NO_TEXT],
            "country": ["Afghanistan", ""],
            "admin1_column": "admin1",
        },
    ),
    (
        "ucdp",
        {
            "id": ["1", "2"],
            "source_article": ["BBC", ""],
            "country": ["Tajikistan", "Uzbekistan "],
        },
        {
            "source_id": ["1", "2"],
            "id_column": "id",
            "source_quote": ["BBC", NO_TEXT],
            "country": ["Tajikistan", "Uzbekistan"],
            "admin1_column": "adm_1",
        },
    ),
    (
        "gtd",
        {
            "eventid": ["199908230001", "200001010002"],
            "summary": [" 08/23/1999: ", "."],
            "country_txt": ["Kyrgyzstan", "Uzbekistan"],
        },
        {
            "source_id": ["199908230001", "200001010002"],
            "id_column": "eventid",
            "source_quote": [" 08/23/1999: ", NO_TEXT],
            "country": ["Kyrgyzstan", "Uzbekistan"],
            "admin1_column": "provstate",
        },
    ),
]


@pytest.mark.parametrize(("fmt", "columns", "expected"), DATASETS)
def test_dataset_crosswalk_reads_the_formats_own_columns(fmt, columns, expected):
    source = _Source(frame(**columns))
    start = np.array([date(2015, 1, 2), None], dtype=object)
    end = np.array([date(2015, 1, 3), None], dtype=object)
    precision = np.array(["range", ""], dtype=object)
    cross = _dataset_crosswalk(source, fmt, (start, end, precision), **fields(2))
    assert texts(cross.source_id) == expected["source_id"]
    assert cross.id_column == expected["id_column"]
    assert texts(cross.source_quote) == expected["source_quote"]
    assert texts(cross.country) == expected["country"]
    assert cross.admin1_column == expected["admin1_column"]
    assert cross.date_start is start and cross.date_end is end
    assert cross.date_precision is precision
    assert (cross.lat_column, cross.lon_column) == ("latitude", "longitude")
    assert cross.needs_place.dtype == bool and list(cross.needs_place) == [True, True]
    assert list(cross.date_origin) == ["source", "source"]
    assert texts(cross.layer) == ["attack", "attack"]
    assert texts(cross.source_sub_event_type) == ["", ""]
    assert texts(cross.event_type) == ["armed_clash", "armed_clash"]
    assert cross.native is None and cross.merged_into is None
    assert cross.source_event_type is None
    assert cross.file_notes == []


def test_dataset_crosswalk_fields_win_over_the_defaults():
    source = _Source(frame(id=["1"]))
    given = fields(1) | {
        "layer": _text("context", 1),
        "date_origin": np.array(["inferred"], dtype=object),
        "source_sub_event_type": _text("Armed clash", 1),
        "file_notes": ["a note"],
    }
    none = np.array([None], dtype=object)
    cross = _dataset_crosswalk(source, "ucdp", (none, none, none), **given)
    assert texts(cross.layer) == ["context"]
    assert list(cross.date_origin) == ["inferred"]
    assert texts(cross.source_sub_event_type) == ["Armed clash"]
    assert cross.file_notes == ["a note"]
    assert texts(cross.source_quote) == [NO_TEXT]
    assert texts(cross.country) == [""]


def test_crosswalks_do_not_share_their_file_notes():
    source = _Source(frame(id=["1"]))
    none = np.array([None], dtype=object)
    first = _dataset_crosswalk(source, "ucdp", (none, none, none), **fields(1))
    first.file_notes.append("x")
    second = _dataset_crosswalk(source, "ucdp", (none, none, none), **fields(1))
    assert second.file_notes == []


# --- unmapped types ----------------------------------------------------------------


def test_unmapped_types_are_repaired_and_counted():
    issues = _Issues()
    described = pd.Series(
        ["'Looting'", "", "'Looting'", "'Riots'", "'Looting'", "'Ok'"], dtype="str"
    )
    mask = np.array([True, True, True, False, True, False])
    notes = _unmapped(
        issues, mask, "event_type", described, "context/statement", "ACLED"
    )
    assert notes == [
        "4 rows have an ACLED type that no crosswalk table knows (unmapped), read as "
        "context/statement: 'Looting' (3), (no type) (1)"
    ]
    looting = (
        "unmapped type: ACLED 'Looting' is in no crosswalk table; "
        "read as context/statement"
    )
    assert issues_of(issues) == [
        (0, "repaired", "event_type", looting),
        (
            1,
            "repaired",
            "event_type",
            "unmapped type: the row has no ACLED type; read as context/statement",
        ),
        (2, "repaired", "event_type", looting),
        (4, "repaired", "event_type", looting),
    ]


def test_one_unmapped_row_and_an_article_before_a_consonant():
    issues = _Issues()
    described = pd.Series(["'Vehicle Ramming'", "'Bombing'"], dtype="str")
    notes = _unmapped(
        issues,
        np.array([True, False]),
        "attacktype1_txt",
        described,
        "attack/armed_assault",
        "GTD",
    )
    assert notes == [
        "1 row has a GTD type that no crosswalk table knows (unmapped), read as "
        "attack/armed_assault: 'Vehicle Ramming' (1)"
    ]


def test_more_than_ten_unmapped_types_are_shown_cut():
    issues = _Issues()
    # Type k appears k + 1 times, so that the counts put them in one order.
    values = [f"T{k:02d}" for k in range(12) for _ in range(k + 1)]
    described = pd.Series(values, dtype="str")
    mask = np.ones(len(values), dtype=bool)
    (note,) = _unmapped(
        issues, mask, "event_type", described, "context/statement", "UCDP"
    )
    shown = ", ".join(f"T{k:02d} ({k + 1})" for k in range(11, 1, -1))
    assert note == (
        f"78 rows have an UCDP type that no crosswalk table knows (unmapped), read as "
        f"context/statement: {shown}, ..."
    )
    assert len(issues_of(issues)) == 78


@pytest.mark.parametrize(
    ("types", "ending"),
    [(10, "T01 (2), T00 (1)"), (11, "T02 (3), T01 (2), ..."), (9, "T00 (1)")],
)
def test_ten_unmapped_types_are_shown_and_no_more(types, ending):
    issues = _Issues()
    # Type k appears k + 1 times: the rarest, T00, is the one left out of 11.
    values = [f"T{k:02d}" for k in range(types) for _ in range(k + 1)]
    described = pd.Series(values, dtype="str")
    mask = np.ones(len(values), dtype=bool)
    (note,) = _unmapped(issues, mask, "event_type", described, "x", "GTD")
    assert note.endswith(ending)
    # Each type shown with its count, and "(unmapped)".
    assert note.count(" (") == min(types, 10) + 1


def test_thousands_of_unmapped_rows():
    issues = _Issues()
    described = pd.Series(["'Looting'"] * 1500, dtype="str")
    (note,) = _unmapped(
        issues, np.ones(1500, dtype=bool), "event_type", described, "x", "ACLED"
    )
    assert note == (
        "1,500 rows have an ACLED type that no crosswalk table knows (unmapped), "
        "read as x: 'Looting' (1,500)"
    )


def test_no_unmapped_row_and_no_type_column():
    issues = _Issues()
    described = pd.Series(["", ""], dtype="str")
    assert _unmapped(issues, np.zeros(2, bool), "c", described, "x", "GTD") == []
    assert (
        _unmapped(
            issues,
            np.zeros(2, bool),
            "attacktype1",
            described,
            "attack/armed_assault",
            "GTD",
            present=False,
        )
        == []
    )
    assert _unmapped(
        issues,
        np.ones(2, bool),
        "attacktype1",
        described,
        "attack/armed_assault",
        "GTD",
        present=False,
    ) == ["has no attacktype1 column; every event is read as attack/armed_assault"]
    assert issues_of(issues) == []


# --- date columns --------------------------------------------------------------------


def read_acled(dates, date_order=None, order=None, errors="reject", values=None):
    source = _Source(frame(event_date=dates))
    issues, notes = _Issues(), []
    read = _read_dates(
        source,
        issues,
        "acled",
        ("event_date",),
        date_order,
        notes,
        order=order,
        errors=errors,
        values=values,
    )
    return read, issues_of(issues), notes


def test_acled_dates_are_day_first_by_its_codebook():
    read, issues, _ = read_acled(["03/04/2015", "05/06/2015"])
    assert list(read) == ["event_date"]
    assert list(read["event_date"].dates) == ["2015-04-03", "2015-06-05"]
    assert issues == []


@pytest.mark.parametrize(
    ("date_order", "order", "expected"),
    [
        ("mdy", None, ["2015-03-04", "2015-05-06"]),
        (None, "mdy", ["2015-03-04", "2015-05-06"]),
        ("dmy", "mdy", ["2015-04-03", "2015-06-05"]),
        ("mdy", "dmy", ["2015-03-04", "2015-05-06"]),
    ],
)
def test_the_users_order_wins_then_the_callers(date_order, order, expected):
    read, issues, _ = read_acled(["03/04/2015", "05/06/2015"], date_order, order)
    assert list(read["event_date"].dates) == expected
    assert issues == []


def test_a_two_digit_year_takes_its_century_from_the_coverage():
    read, issues, notes = read_acled(["9-May-20", "9-May-98", "9-May-96"])
    this_year = date.today().year
    assert list(read["event_date"].dates) == ["2020-05-09", "1998-05-09", ""]
    assert [(p, a, c) for p, a, c, _ in issues] == [
        (0, "repaired", "event_date"),
        (1, "repaired", "event_date"),
        (2, "rejected", "event_date"),
    ]
    assert issues[0][3] == (
        "'9-May-20' has a two-digit year; read as 2020 by the dataset's coverage "
        f"1997–{this_year}"
    )
    assert "'9-May-96'" in issues[2][3]
    assert notes and all(note.startswith("event_date") for note in notes)


def test_gtd_resolution_is_month_first_from_1970():
    source = _Source(frame(resolution=["03/04/70", "12/31/1999"]))
    issues, notes = _Issues(), []
    read = _read_dates(source, issues, "gtd", ("resolution",), None, notes)
    assert list(read["resolution"].dates) == ["1970-03-04", "1999-12-31"]
    reasons = issues_of(issues)
    assert [(p, a, c) for p, a, c, _ in reasons] == [(0, "repaired", "resolution")]
    assert "1970–" in reasons[0][3]


def test_bad_and_empty_dates_reject_the_row_unless_the_caller_decides():
    dates = ["2015-01-02", "31 April 2015", "", "2015-02-03"]
    _, issues, _ = read_acled(dates)
    assert issues[:2] == [
        (1, "rejected", "event_date", issues[0][3]),
        (2, "rejected", "event_date", "the date is empty"),
    ]
    assert len(issues) == 2
    assert "'31 April 2015'" in issues[0][3]
    read, kept, _ = read_acled(dates, errors="keep")
    assert kept == []
    assert list(read["event_date"].dates) == ["2015-01-02", "", "", "2015-02-03"]
    assert list(read["event_date"].empty) == [False, False, True, False]


def test_ucdp_dates_are_read_together_and_notes_are_said_once():
    source = _Source(
        frame(
            date_start=["2001-03-04 00:00:00.000", "", "2001-03-05 00:00:00.000"],
            date_end=["2001-03-04 00:00:00.000", "2001-03-09 00:00:00.000", "x"],
        )
    )
    issues, notes = _Issues(), ["earlier note"]
    read = _read_dates(source, issues, "ucdp", ("date_start", "date_end"), None, notes)
    assert list(read) == ["date_start", "date_end"]
    assert list(read["date_start"].dates) == ["2001-03-04", "", "2001-03-05"]
    assert list(read["date_end"].dates) == ["2001-03-04", "2001-03-09", ""]
    found = issues_of(issues)
    assert [(p, a, c) for p, a, c, _ in found] == [
        (1, "rejected", "date_start"),
        (2, "rejected", "date_end"),
    ]
    assert found[0][3] == "the date is empty"
    # Each column's notes once, after what was there.
    assert notes[0] == "earlier note"
    assert len(notes) == len(set(notes)) > 1
    assert any(note.startswith("date_start") for note in notes)
    assert any(note.startswith("date_end") for note in notes)
    for column in read.values():
        assert all(note in notes for note in column.notes)


def test_two_columns_with_the_same_note_say_it_once():
    source = _Source(frame(date_start=["", ""], date_end=["", ""]))
    notes: list[str] = []
    issues = _Issues()
    read = _read_dates(
        source,
        issues,
        "ucdp",
        ("date_start", "date_end"),
        None,
        notes,
        values={
            "date_start": pd.Series(["03/04/2001", "13/04/2001"], dtype="str"),
            "date_end": pd.Series(["03/04/2001", "13/04/2001"], dtype="str"),
        },
    )
    assert list(read["date_start"].dates) == ["2001-04-03", "2001-04-13"]
    assert list(read["date_end"].dates) == ["2001-04-03", "2001-04-13"]
    shared = set(read["date_start"].notes) & set(read["date_end"].notes)
    for note in shared:
        assert notes.count(note) == 1
    assert issues_of(issues) == []


def test_values_replace_the_columns_cells():
    replaced = {"event_date": pd.Series(["", "01/02/2016"], dtype="str")}
    read, issues, _ = read_acled(["01/02/2015", ""], values=replaced)
    assert list(read["event_date"].dates) == ["", "2016-02-01"]
    assert issues == [(0, "rejected", "event_date", "the date is empty")]


# --- precision codes ---------------------------------------------------------


WHERE_PREC = _codebook("ucdp", "where_prec")


def test_coded_looks_a_code_up():
    source = _Source(frame(type_of_violence=["1", " 3 ", "4", "", "2.0", "x"]))
    issues = _Issues()
    raw, value = _coded(
        source,
        "type_of_violence",
        {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"},
        issues,
        "a type of violence",
    )
    assert texts(raw) == ["1", "3", "4", "", "2.0", "x"]
    assert texts(value) == [
        "state-based conflict",
        "one-sided violence",
        "",
        "",
        "non-state conflict",
        "",
    ]
    assert issues_of(issues) == [
        (2, "rejected", "type_of_violence", "'4' is not a type of violence"),
        (3, "rejected", "type_of_violence", "'' is not a type of violence"),
        (5, "rejected", "type_of_violence", "'x' is not a type of violence"),
    ]


def test_place_precision_from_ucdps_codebook():
    source = _Source(
        frame(
            where_prec=["1", "7", "8", "", "", "", " 4 ", "0"],
            latitude=["36.7", "36.7", "36.7", "36.7", "", "inf", "1", "1"],
            longitude=["69.1", "69.1", "69.1", "69.1", "69.1", "69.1", "x", "1"],
        )
    )
    issues, notes = _Issues(), []
    raw, value = _place_precision(
        source, "where_prec", WHERE_PREC, issues, "a where_prec code", notes
    )
    assert texts(raw) == ["1", "7", "8", "", "", "", "4", "0"]
    assert texts(value) == ["exact", "region", "", "country", "", "", "province", ""]
    assert issues_of(issues) == [
        (2, "rejected", "where_prec", "'8' is not a where_prec code"),
        (7, "rejected", "where_prec", "'0' is not a where_prec code"),
        (
            3,
            "repaired",
            "where_prec",
            "is empty; the point is taken to be of country precision, the coarsest its "
            "codebook gives",
        ),
    ]
    assert notes == []


def test_place_precision_coarsest_of_acled_is_province():
    source = _Source(frame(geo_precision=["", "2"], lat=["1.5", "1.5"], lon=["2", "2"]))
    issues, notes = _Issues(), []
    _, value = _place_precision(
        source,
        "geo_precision",
        {1: "near", 2: "district", 3: "province"},
        issues,
        "an ACLED geo_precision",
        notes,
        coordinates=("lat", "lon"),
    )
    assert texts(value) == ["province", "district"]
    assert issues_of(issues) == [
        (
            0,
            "repaired",
            "geo_precision",
            "is empty; the point is taken to be of province precision, the coarsest "
            "its codebook gives",
        )
    ]


def test_place_precision_of_a_copy_without_the_column():
    source = _Source(frame(latitude=["36.7", ""], longitude=["69.1", "69.1"]))
    issues, notes = _Issues(), []
    raw, value = _place_precision(
        source, "specificity", _codebook("gtd", "specificity"), issues, "x", notes
    )
    assert texts(raw) == ["", ""]
    assert texts(value) == ["country", ""]
    assert issues_of(issues) == []
    assert notes == [
        "has no specificity column; every point is taken to be of country precision, "
        "the coarsest its codebook gives"
    ]
    # Without a located row, nothing is said.
    unplaced = _Source(frame(latitude=["", "x"], longitude=["69.1", "1"]))
    more: list[str] = []
    _place_precision(unplaced, "specificity", {1: "near"}, _Issues(), "x", more)
    assert more == []
