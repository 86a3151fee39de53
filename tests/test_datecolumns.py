"""Date columns as datasets write them: formats, order, two-digit years, refusals.

Expected dates and messages are written by hand. The property tests format real
dates with formatters written here (not the module's) and read them back; they
have no deadline, since speed is measured by ``benchmarks/datecolumns.py``.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imu_geo.datecolumns import (
    DateColumn,
    DateColumnError,
    read_date_column,
    read_date_columns,
)

ACLED = (1997, 2026)


def read(values, **options) -> DateColumn:
    return read_date_column(values, column="event_date", **options)


# --- every format ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "options", "dates", "label"),
    [
        # ISO, with and without a time of day
        (["2015-01-01", "2015-12-31"], {}, ["2015-01-01", "2015-12-31"], "YYYY-MM-DD"),
        (
            ["2009-05-26 00:00:00.000", "2009-05-27T13:45:10Z", "2009-05-28T13:45"],
            {},
            ["2009-05-26", "2009-05-27", "2009-05-28"],
            "YYYY-MM-DD",
        ),
        # an offset does not move the day written
        (
            ["2009-05-26T23:30:00-05:00", "2009-05-27 01:00:00+0530"],
            {},
            ["2009-05-26", "2009-05-27"],
            "YYYY-MM-DD",
        ),
        (["2001-6-5"], {}, ["2001-06-05"], "YYYY-MM-DD"),
        (["2015/01/31", "2015/2/1"], {}, ["2015-01-31", "2015-02-01"], "YYYY/MM/DD"),
        # month names
        (
            ["1 January 2015", "25 SEPTEMBER 2002", "3 Sept 2001"],
            {},
            ["2015-01-01", "2002-09-25", "2001-09-03"],
            "D Month YYYY",
        ),
        (["9 May, 2020"], {}, ["2020-05-09"], "D Mon YYYY"),
        (
            ["01-January-2015", "15-february-2015"],
            {},
            ["2015-01-01", "2015-02-15"],
            "D-Month-YYYY",
        ),
        (
            ["9-May-20", "31-Dec-19", "1-sep-97"],
            {"coverage": ACLED},
            ["2020-05-09", "2019-12-31", "1997-09-01"],
            "D-Mon-YY",
        ),
        (["09-Jun-2015", "1-JUL-2015"], {}, ["2015-06-09", "2015-07-01"], "D-Mon-YYYY"),
        # a month name followed by a time keeps its spelling in the label
        (["1 Jan 2015 10:00"], {}, ["2015-01-01"], "D Mon YYYY"),
        (["July 29, 2015 8:15 PM"], {}, ["2015-07-29"], "Month D, YYYY"),
        (
            ["July 29, 2015", "sept. 3, 2001", "Jan 1st, 2000"],
            {},
            ["2015-07-29", "2001-09-03", "2000-01-01"],
            "Month D, YYYY",
        ),
        # numbers, the order decided by the column
        (
            ["03/27/1990 00:00:00", "3/27/1990 0:00", "12/31/1990 11:59:59 PM"],
            {},
            ["1990-03-27", "1990-03-27", "1990-12-31"],
            "M/D/YYYY",
        ),
        (
            ["04/01/1990 12:00 AM", "1/13/1990 1:05 p.m."],
            {},
            ["1990-04-01", "1990-01-13"],
            "M/D/YYYY",
        ),
        (["27/03/1990", "1/4/1990"], {}, ["1990-03-27", "1990-04-01"], "D/M/YYYY"),
        (
            ["27.03.1990", "01.04.1990"],
            {},
            ["1990-03-27", "1990-04-01"],
            "D.M.YYYY",
        ),
        (["27-03-1990", "01-04-1990"], {}, ["1990-03-27", "1990-04-01"], "D-M-YYYY"),
        (
            ["3/27/90", "4/1/89"],
            {"coverage": (1989, 2025)},
            ["1990-03-27", "1989-04-01"],
            "M/D/YY",
        ),
        (
            ["27/3/90", "1/4/05"],
            {"coverage": (1989, 2025)},
            ["1990-03-27", "2005-04-01"],
            "D/M/YY",
        ),
        # numbers year first with a two-digit year: only when asked
        (
            ["20/05/09", "19/12/31"],
            {"order": "ymd", "coverage": ACLED},
            ["2020-05-09", "2019-12-31"],
            "YY/MM/DD",
        ),
        (
            ["20/05/09 10:00", "19/12/31 23:59:59"],
            {"order": "ymd", "coverage": ACLED},
            ["2020-05-09", "2019-12-31"],
            "YY/MM/DD",
        ),
    ],
)
def test_reads_every_format(values, options, dates, label):
    result = read(values, **options)
    assert list(result.dates) == dates
    assert list(result.errors) == [""] * len(values)
    assert result.format == label
    assert result.formats == ((label, len(values)),)


def test_empty_values_are_empty_not_errors():
    result = read(["", "   ", None, math.nan, pd.NA, "2015-01-01"])
    assert list(result.empty) == [True, True, True, True, True, False]
    assert list(result.dates) == ["", "", "", "", "", "2015-01-01"]
    assert list(result.errors) == [""] * 6
    assert result.format == "YYYY-MM-DD"


def test_an_empty_column_has_no_format():
    result = read(pd.Series(["", ""]))
    assert result.format == ""
    assert result.formats == ()
    assert result.order == ""
    assert result.notes == ()
    assert list(result.empty) == [True, True]


def test_reads_a_pandas_series_and_keeps_row_alignment():
    values = pd.Series(
        ["9-May-20", "", "10-Jun-21", "9-May-20"], index=[10, 3, 7, 1], dtype="str"
    )
    result = read(values, coverage=ACLED)
    assert list(result.dates) == ["2020-05-09", "", "2021-06-10", "2020-05-09"]
    assert len(result) == 4
    assert (result.n_dated, result.n_repaired, result.n_errors) == (3, 3, 0)


@pytest.mark.parametrize(
    "make",
    [
        list,
        tuple,
        lambda v: np.array(v, dtype=object),
        lambda v: pd.Series(v, dtype=object),
        lambda v: pd.Series(v, dtype="str"),
        lambda v: pd.Series(v, dtype="string"),
        lambda v: pd.Series(v, dtype="category"),
        pd.Index,
    ],
)
def test_any_container_of_cells_reads_alike(make):
    result = read(
        make(["9-May-20", None, "9-May-20", "", "10-May-2020"]), coverage=ACLED
    )
    assert list(result.dates) == ["2020-05-09", "", "2020-05-09", "", "2020-05-10"]
    assert list(result.empty) == [False, True, False, True, False]


def test_columns_of_different_dtypes_read_together():
    result = read_date_columns(
        {
            "date_start": pd.Series(["27/03/1990", None], dtype="str"),
            "date_end": ["28/03/1990", "03/04/1990"],
        }
    )
    assert list(result["date_start"].dates) == ["1990-03-27", ""]
    assert list(result["date_end"].dates) == ["1990-03-28", "1990-04-03"]


def test_result_arrays_are_read_only():
    result = read(["2015-01-01"])
    with pytest.raises(ValueError):
        result.dates[0] = "1999-01-01"


def test_result_arrays_hold_python_texts_and_booleans():
    result = read(["9-May-20", "junk", ""], coverage=ACLED)
    assert result.column == "event_date"
    for texts in (result.dates, result.repairs, result.errors):
        assert texts.dtype == object
        assert all(type(text) is str for text in texts)
    assert result.empty.dtype == bool


def test_a_single_cell_or_a_number_is_one_value():
    # A spreadsheet's day number read as a number, not as text.
    serial = (
        "{!r} looks like a spreadsheet's day number, not a date: save the column "
        "with its dates as text"
    )
    assert list(read(43960).errors) == [serial.format("43960")]
    assert list(read(None).empty) == [True]
    result = read([43960, 43960.5, None])
    assert list(result.errors) == [
        serial.format("43960"),
        serial.format("43960.5"),
        "",
    ]
    assert list(result.dates) == ["", "", ""]


def test_no_columns_read_to_nothing():
    assert read_date_columns({}) == {}


def test_columns_are_named_date_unless_named():
    assert read_date_column(["2015-01-01"]).column == "date"
    with pytest.raises(DateColumnError) as refused:
        read_date_column(["03/04/2001"])
    assert str(refused.value).startswith("date: every value reads both")
    assert str(refused.value).endswith("say which with --date-order dmy|mdy")
    with pytest.raises(DateColumnError) as refused:
        read_date_columns({"start": ["03/04/2001"]})
    assert str(refused.value).endswith("say which with --date-order dmy|mdy")


# --- the order of day and month -------------------------------------------------


@pytest.mark.parametrize(
    ("values", "options", "dates", "order", "order_from", "note"),
    [
        (
            ["03/04/2001", "27/06/2001"],
            {},
            ["2001-04-03", "2001-06-27"],
            "dmy",
            "column",
            "event_date: read day first (D/M/YYYY), since '27/06/2001' has a first "
            "number above 12 and none a second",
        ),
        (
            ["03/04/2001", "06/27/2001", "06/27/2001", "06/28/2001"],
            {},
            ["2001-03-04", "2001-06-27", "2001-06-27", "2001-06-28"],
            "mdy",
            "column",
            "event_date: read month first (M/D/YYYY), since 3 values such as "
            "'06/27/2001' have a second number above 12 and none a first",
        ),
        # the column wins over the layout's documented order, and says so
        (
            ["03/04/2001", "27/06/2001"],
            {"default_order": "mdy"},
            ["2001-04-03", "2001-06-27"],
            "dmy",
            "column",
            "event_date: read day first (D/M/YYYY), since '27/06/2001' has a first "
            "number above 12 and none a second, although the layout documents the "
            "other order",
        ),
        # the layout's order decides a column that does not
        (
            ["03/04/2001", "05/06/2001"],
            {"default_order": "mdy"},
            ["2001-03-04", "2001-05-06"],
            "mdy",
            "default",
            "event_date: every value reads both as D/M/YYYY and as M/D/YYYY (e.g. "
            "'03/04/2001'); read as M/D/YYYY, the layout's documented order",
        ),
        # the user's order wins over everything
        (
            ["03/04/2001", "05/06/2001"],
            {"order": "dmy", "default_order": "mdy"},
            ["2001-04-03", "2001-06-05"],
            "dmy",
            "override",
            "event_date: numbers read as D/M/YYYY, as asked",
        ),
        (
            ["03/04/2001", "27/06/2001", "06/27/2001"],
            {"order": "mdy"},
            ["2001-03-04", "", "2001-06-27"],
            "mdy",
            "override",
            "event_date: numbers read as M/D/YYYY, as asked; '27/06/2001' can only "
            "be day first, so is rejected",
        ),
        # equal day and month read alike: no order needed, none claimed
        (
            ["05/05/2001", "1/1/2000"],
            {},
            ["2001-05-05", "2000-01-01"],
            "",
            "",
            "event_date: every value has equal day and month numbers (e.g. "
            "'05/05/2001'), so day first and month first read alike",
        ),
        # named months and year-first numbers need no order
        (["9 May 2020", "2020-05-10"], {"order": "mdy"}, None, "", "", None),
        # the user's order quotes the values it rejects, one or many
        (
            ["03/04/2001", "06/27/2001"],
            {"order": "dmy"},
            ["2001-04-03", ""],
            "dmy",
            "override",
            "event_date: numbers read as D/M/YYYY, as asked; '06/27/2001' can only "
            "be month first, so is rejected",
        ),
        (
            ["27/06/2001", "28/06/2001", "03/04/2001"],
            {"order": "mdy"},
            ["", "", "2001-03-04"],
            "mdy",
            "override",
            "event_date: numbers read as M/D/YYYY, as asked; 2 values such as "
            "'27/06/2001' can only be day first, so are rejected",
        ),
        # the largest day either way decides: 31 first, 31 second
        (
            ["31/01/2001"],
            {},
            ["2001-01-31"],
            "dmy",
            "column",
            "event_date: read day first (D/M/YYYY), since '31/01/2001' has a first "
            "number above 12 and none a second",
        ),
        (
            ["01/31/2001"],
            {},
            ["2001-01-31"],
            "mdy",
            "column",
            "event_date: read month first (M/D/YYYY), since '01/31/2001' has a "
            "second number above 12 and none a first",
        ),
        # numbers no order can read say nothing of the order
        (["32/01/2001"], {}, [""], "", "", None),
        (["01/32/2001", "13/13/2001"], {}, ["", ""], "", "", None),
        # equal day and month: the layout's order, with nothing to say
        (
            ["05/05/2001"],
            {"default_order": "dmy"},
            ["2001-05-05"],
            "dmy",
            "default",
            None,
        ),
        # numbers of different separators share one order
        (
            ["13.02.2001", "03/04/2001"],
            {},
            ["2001-02-13", "2001-04-03"],
            "dmy",
            "column",
            "event_date: read day first (D.M.YYYY), since '13.02.2001' has a first "
            "number above 12 and none a second",
        ),
    ],
)
def test_decides_the_order_from_the_column(
    values, options, dates, order, order_from, note
):
    result = read(values, **options)
    if dates is not None:
        assert list(result.dates) == dates
    assert (result.order, result.order_from) == (order, order_from)
    others = [n for n in result.notes if "values are written in" not in n]
    assert others == ([note] if note else [])


def test_an_order_override_rejects_values_it_cannot_read_quoting_them():
    result = read(["03/04/2001", "27/06/2001"], order="mdy")
    assert list(result.errors) == [
        "",
        "'27/06/2001' is not a date read as M/D/YYYY: there is no month 27",
    ]


def test_refuses_a_column_that_stays_ambiguous_naming_the_candidates():
    with pytest.raises(DateColumnError) as refused:
        read(["03/04/2001", "05/06/2001", "", "05/05/2001"])
    assert str(refused.value) == (
        "event_date: every value reads both as D/M/YYYY and as M/D/YYYY (e.g. "
        "'03/04/2001'); say which with --date-order dmy|mdy"
    )
    assert refused.value.reason == "ambiguous"
    assert refused.value.candidates == ("D/M/YYYY", "M/D/YYYY")
    assert refused.value.columns == ("event_date",)


def test_ambiguous_refusal_names_the_two_digit_formats_and_the_given_hint():
    with pytest.raises(DateColumnError) as refused:
        read_date_column(
            ["3/4/01"], column="fecha", coverage=ACLED, override_hint="the order box"
        )
    assert str(refused.value) == (
        "fecha: every value reads both as D/M/YY and as M/D/YY (e.g. '3/4/01'); "
        "say which with the order box dmy|mdy"
    )


def test_ambiguous_refusal_in_a_mixed_column_says_which_values():
    with pytest.raises(DateColumnError) as refused:
        read(["9 May 2020", "2020-05-10", "03/04/2001", "", "03/04/2001"])
    assert str(refused.value) == (
        "event_date: every value written in numbers (2 of 4) reads both as "
        "D/M/YYYY and as M/D/YYYY (e.g. '03/04/2001'); say which with "
        "--date-order dmy|mdy"
    )


def test_refuses_a_column_that_shows_both_orders():
    values = ["27/06/2001", "28/06/2001", "06/29/2001", "03/04/2001"]
    with pytest.raises(DateColumnError) as refused:
        read(values)
    assert str(refused.value) == (
        "event_date: some values read only as D/M/YYYY (2 values such as "
        "'27/06/2001') and others only as M/D/YYYY ('06/29/2001'); say which with "
        "--date-order dmy|mdy, and the values that do not fit are rejected"
    )
    assert refused.value.reason == "inconsistent"
    assert refused.value.columns == ("event_date",)
    assert refused.value.candidates == ("D/M/YYYY", "M/D/YYYY")
    assert "\n" not in str(refused.value)


def test_the_refusal_is_a_value_error():
    assert issubclass(DateColumnError, ValueError)


def test_columns_read_together_share_one_order():
    result = read_date_columns(
        {"date_start": ["03/04/1990", "01/02/1990"], "date_end": ["03/27/1990", ""]}
    )
    start, end = result["date_start"], result["date_end"]
    assert list(start.dates) == ["1990-03-04", "1990-01-02"]
    assert list(end.dates) == ["1990-03-27", ""]
    assert (start.order, start.order_from) == ("mdy", "column")
    assert start.notes == (
        "date_start, date_end: read month first (M/D/YYYY), since '03/27/1990' has "
        "a second number above 12 and none a first",
    )
    assert end.formats == (("M/D/YYYY", 1),)


def test_columns_read_alone_would_be_ambiguous():
    with pytest.raises(DateColumnError):
        read_date_column(["03/04/1990", "01/02/1990"], column="date_start")


# --- two-digit years ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "coverage", "day", "message"),
    [
        ("1-Jan-97", ACLED, "1997-01-01", ""),
        ("31-Dec-26", ACLED, "2026-12-31", ""),
        ("31-Dec-99", ACLED, "1999-12-31", ""),
        ("1-Jan-00", ACLED, "2000-01-01", ""),
        (
            "31-Dec-96",
            ACLED,
            "",
            "'31-Dec-96' has a two-digit year and no century puts 96 inside the "
            "dataset's coverage 1997–2026",
        ),
        (
            "1-Jan-27",
            ACLED,
            "",
            "'1-Jan-27' has a two-digit year and no century puts 27 inside the "
            "dataset's coverage 1997–2026",
        ),
        ("1-Jan-27", (1900, 2026), "1927-01-01", ""),
        (
            "1-Jan-26",
            (1900, 2026),
            "",
            "'1-Jan-26' has a two-digit year that fits the dataset's coverage "
            "1900–2026 more than once (1926 and 2026)",
        ),
        ("1-Jan-50", (1950, 2049), "1950-01-01", ""),
        ("1-Jan-49", (1950, 2049), "2049-01-01", ""),
        ("27/3/90", (1989, 2025), "1990-03-27", ""),
        (
            "9-May-20",
            None,
            "",
            "'9-May-20' has a two-digit year and the dataset's coverage is not "
            "known, so neither is its century",
        ),
    ],
)
def test_two_digit_years_take_the_century_of_the_coverage(
    value, coverage, day, message
):
    result = read([value], coverage=coverage)
    assert list(result.dates) == [day]
    assert list(result.errors) == [message]
    if day:
        first, last = coverage
        assert list(result.repairs) == [
            f"{value!r} has a two-digit year; read as {day[:4]} by the dataset's "
            f"coverage {first}–{last}"
        ]
    else:
        assert list(result.repairs) == [""]


def test_two_digit_years_are_repairs_with_a_column_note():
    result = read(["9-May-20", "9-May-20", "2020-05-10"], coverage=ACLED)
    assert list(result.repairs) == [
        "'9-May-20' has a two-digit year; read as 2020 by the dataset's coverage "
        "1997–2026",
    ] * 2 + [""]
    assert (
        "event_date: 2 values have a two-digit year, given its century by the "
        "dataset's coverage 1997–2026 and counted as repaired"
    ) in result.notes


# --- errors quote the value as written --------------------------------------------


@pytest.mark.parametrize(
    ("values", "options", "message"),
    [
        (
            ["31/04/2001", "13/04/2001"],
            {},
            "'31/04/2001' is not a date read as D/M/YYYY: April 2001 has 30 days",
        ),
        (["29-Feb-2001"], {}, "'29-Feb-2001' is not a date: February 2001 has 28 days"),
        (["2001-02-29"], {}, "'2001-02-29' is not a date: February 2001 has 28 days"),
        (["29.02.1900", "13.01.1900"], {}, None),
        (["2001-13-01"], {}, "'2001-13-01' is not a date: there is no month 13"),
        (["2001-00-10"], {}, "'2001-00-10' is not a date: there is no month 0"),
        (["2001-01-00"], {}, "'2001-01-00' is not a date: there is no day 0"),
        (["2001-01-32"], {}, "'2001-01-32' is not a date: there is no day 32"),
        (
            ["0999-01-01"],
            {},
            "'0999-01-01' is not a date: the year 0999 is outside 1000-2999",
        ),
        (
            ["  9 MAI 2020 "],
            {},
            "'  9 MAI 2020 ' is not a date: 'MAI' is not an English month name",
        ),
        (["soon"], {}, "'soon' is not a date in a format read here"),
        (["20200509"], {}, "'20200509' is not a date in a format read here"),
        (
            ["43960"],
            {},
            "'43960' looks like a spreadsheet's day number, not a date: save the "
            "column with its dates as text",
        ),
        (
            ["2020-05-09 25:00"],
            {},
            "'2020-05-09 25:00' is not a date and time: the time of day does not exist",
        ),
        (
            ["03/27/1990 13:00 PM"],
            {},
            "'03/27/1990 13:00 PM' is not a date and time: the time of day does not "
            "exist",
        ),
        (
            ["03/04/2001"],
            {"order": "ymd"},
            "'03/04/2001' is not a date read year first: its year is last",
        ),
        (
            ["9/05/09"],
            {"order": "ymd", "coverage": ACLED},
            "'9/05/09' is not a date read as YY/MM/DD: the year has one digit",
        ),
        (
            ["32/01/2001"],
            {},
            "'32/01/2001' is not a date read as D/M/YYYY or M/D/YYYY: there is no "
            "day 32",
        ),
        (
            ["9 May 2020 25:00"],
            {},
            "'9 May 2020 25:00' is not a date and time: the time of day does not exist",
        ),
    ],
)
def test_errors_quote_the_value_as_written(values, options, message):
    result = read(values, **options)
    if message is None:  # 1900 was not a leap year
        assert list(result.errors) == [
            "'29.02.1900' is not a date read as D.M.YYYY: February 1900 has 28 days",
            "",
        ]
        return
    assert result.errors[0] == message
    assert result.dates[0] == ""
    assert not result.empty[0]


def test_year_first_override_counts_year_last_values_under_their_own_label():
    result = read(["03/04/2001", "20/05/09"], order="ymd", coverage=ACLED)
    assert result.formats == (("D/M/YYYY or M/D/YYYY", 1), ("YY/MM/DD", 1))
    assert result.notes[0] == (
        "event_date: numbers read as YY/MM/DD, as asked; '03/04/2001' has the year "
        "last, so is rejected"
    )


def test_29_february_of_a_leap_year_is_a_date():
    result = read(["29-Feb-2000", "29/02/2004", "2400-02-29"])
    assert list(result.dates) == ["2000-02-29", "2004-02-29", "2400-02-29"]


def test_a_bad_value_does_not_stop_the_others():
    result = read(["9-May-2020", "junk", "", "10-May-2020"])
    assert list(result.dates) == ["2020-05-09", "", "", "2020-05-10"]
    assert list(result.errors != "") == [False, True, False, False]
    assert list(result.empty) == [False, False, True, False]


# --- mixed formats, times -------------------------------------------------------


def test_a_mixed_column_is_read_value_by_value_and_counted():
    result = read(
        ["9-May-20", "10-May-20", "2020-05-11", "May 12, 2020", "9-May-20"],
        coverage=ACLED,
    )
    assert list(result.dates) == [
        "2020-05-09",
        "2020-05-10",
        "2020-05-11",
        "2020-05-12",
        "2020-05-09",
    ]
    assert result.format == "D-Mon-YY"
    assert result.formats == (
        ("D-Mon-YY", 3),
        ("Mon D, YYYY", 1),
        ("YYYY-MM-DD", 1),
    )
    assert (
        "event_date: values are written in 3 formats: D-Mon-YY (3), Mon D, YYYY "
        "(1), YYYY-MM-DD (1)"
    ) in result.notes


def test_a_time_of_day_is_dropped_with_one_note_and_no_repair():
    result = read(["03/27/1990 00:00:00", "3/28/1990 0:00", "3/28/1990 0:00"])
    assert list(result.repairs) == ["", "", ""]
    assert [n for n in result.notes if "time" in n] == [
        "event_date: 3 values carry a time of day (e.g. '03/27/1990 00:00:00'); "
        "only the day is kept"
    ]


def test_a_time_zone_is_not_applied_and_the_note_says_so():
    result = read(["2020-05-09T23:30:00-05:00"])
    assert list(result.dates) == ["2020-05-09"]
    assert result.notes == (
        "event_date: 1 value carries a time of day (e.g. '2020-05-09T23:30:00-05:00'"
        "); only the day is kept, as written (not shifted to UTC)",
    )


@pytest.mark.parametrize(
    "options",
    [
        {"order": "ydm"},
        {"default_order": "ymd"},
        {"coverage": (2026, 1997)},
        {"coverage": (1997,)},
    ],
)
def test_invalid_options_are_refused(options):
    with pytest.raises((ValueError, TypeError)) as refused:
        read(["2015-01-01"], **options)
    assert not isinstance(refused.value, DateColumnError)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"order": "ydm"}, "order must be one of dmy, mdy, ymd, not 'ydm'"),
        ({"default_order": "ymd"}, "default_order must be one of dmy, mdy, not 'ymd'"),
        (
            {"coverage": (2026, 1997)},
            "coverage must be two years within 1000-2999, first not after last, "
            "not (2026, 1997)",
        ),
        (
            {"coverage": (999, 2000)},
            "coverage must be two years within 1000-2999, first not after last, "
            "not (999, 2000)",
        ),
    ],
)
def test_invalid_options_are_refused_saying_what_is_allowed(options, message):
    with pytest.raises(ValueError) as refused:
        read(["2015-01-01"], **options)
    assert str(refused.value) == message


# --- times of day -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2016-12-31 23:59:59", "2016-12-31"),
        ("2016-12-31 23:59:60", "2016-12-31"),  # a leap second
        ("2016-12-31 23:59:61", ""),
        ("2020-05-09 24:00", ""),  # the end of the day is refused, not moved
        ("2020-05-09 23:60", ""),
        ("2020-05-09 12:00 AM", "2020-05-09"),
        ("2020-05-09 0:30 AM", ""),
        ("2020-05-09 13:00 PM", ""),
        ("2020-05-09 10:00+05", "2020-05-09"),
        ("2020-05-09 10:00+14:00", "2020-05-09"),  # Kiribati
        ("2020-05-09 10:00-14:00", "2020-05-09"),
        ("2020-05-09 10:00+15:00", ""),
        ("2020-05-09 10:00+05:59", "2020-05-09"),
        ("2020-05-09 10:00+05:60", ""),
        ("2020-05-09 10:00+0560", ""),
        ("2020-05-09 25:00+05:00", ""),
        ("2020-05-09 10:60+05:00", ""),
        ("9 May 2020 23:59", "2020-05-09"),
        ("May 9, 2020 24:00", ""),
    ],
)
def test_a_time_of_day_must_exist(value, day):
    result = read([value])
    assert list(result.dates) == [day]
    if day:
        assert list(result.errors) == [""]
    else:
        assert list(result.errors) == [
            f"{value!r} is not a date and time: the time of day does not exist"
        ]


# --- formats and notes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "formats"),
    [
        # most common first, then by label
        (
            ["2020-05-11", "9 May 2020", "2020-05-12"],
            (("YYYY-MM-DD", 2), ("D Mon YYYY", 1)),
        ),
        (
            ["May 9, 2020", "2020-05-11", "9 May 2020"],
            (("D Mon YYYY", 1), ("Mon D, YYYY", 1), ("YYYY-MM-DD", 1)),
        ),
        # values in no known format, and empty ones, have none
        (["soon", "", "2015-01-01", None, "43960"], (("YYYY-MM-DD", 1),)),
        (["soon", ""], ()),
        # a value that is not a date still counts for the format it is written in
        (["2001-02-29", "2001-02-28"], (("YYYY-MM-DD", 2),)),
    ],
)
def test_formats_are_counted_most_common_first(values, formats):
    result = read(values)
    assert result.formats == formats
    assert result.format == (formats[0][0] if formats else "")


def test_columns_read_together_count_only_their_own_formats():
    result = read_date_columns(
        {"start": ["2015-01-01", "2015-01-02"], "end": ["9 May 2015", ""]}
    )
    assert result["start"].formats == (("YYYY-MM-DD", 2),)
    assert result["end"].formats == (("D Mon YYYY", 1),)
    assert result["start"].notes == ()
    assert result["end"].notes == ()
    assert [result[name].column for name in result] == ["start", "end"]


@pytest.mark.parametrize(
    ("values", "coverage", "notes"),
    [
        # one format, no time, no two-digit year: nothing to say
        (["2015-01-01", "2015-01-02"], ACLED, ()),
        (
            ["2020-05-11", "9 May 2020"],
            None,
            (
                "event_date: values are written in 2 formats: D Mon YYYY (1), "
                "YYYY-MM-DD (1)",
            ),
        ),
        (
            ["9-May-20", "2020-05-11", "2020-05-11"],
            ACLED,
            (
                "event_date: values are written in 2 formats: YYYY-MM-DD (2), "
                "D-Mon-YY (1)",
                "event_date: 1 value has a two-digit year, given its century by the "
                "dataset's coverage 1997–2026 and counted as repaired",
            ),
        ),
        (
            ["2020-05-11 10:00", "2020-05-12"],
            None,
            (
                "event_date: 1 value carries a time of day (e.g. '2020-05-11 "
                "10:00'); only the day is kept",
            ),
        ),
    ],
)
def test_notes_say_what_the_column_needed(values, coverage, notes):
    assert read(values, coverage=coverage).notes == notes


# --- properties -----------------------------------------------------------------

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTH_ABBREVIATIONS = [name[:3] for name in MONTH_NAMES]

# Formatters written independently of the module: (name, function, two-digit year).
FORMATTERS = {
    "iso": (lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}", False),
    "iso_time": (
        lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}T08:15:00.000Z",
        False,
    ),
    "ymd_slash": (lambda d: f"{d.year:04d}/{d.month:02d}/{d.day:02d}", False),
    "d_month_yyyy": (lambda d: f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}", False),
    "d-month-yyyy": (
        lambda d: f"{d.day:02d}-{MONTH_NAMES[d.month - 1]}-{d.year}",
        False,
    ),
    "d-mon-yy": (
        lambda d: f"{d.day}-{MONTH_ABBREVIATIONS[d.month - 1]}-{d.year % 100:02d}",
        True,
    ),
    "d-mon-yyyy": (
        lambda d: f"{d.day}-{MONTH_ABBREVIATIONS[d.month - 1]}-{d.year}",
        False,
    ),
    "month_d_yyyy": (
        lambda d: f"{MONTH_NAMES[d.month - 1].upper()} {d.day}, {d.year}",
        False,
    ),
}
NUMBER_FORMATTERS = {
    # (order, function, two-digit year)
    "m/d/yyyy time": (
        "mdy",
        lambda d: f"{d.month:02d}/{d.day:02d}/{d.year} 00:00:00",
        False,
    ),
    "m/d/yyyy 12h": ("mdy", lambda d: f"{d.month}/{d.day}/{d.year} 3:07 PM", False),
    "d/m/yyyy": ("dmy", lambda d: f"{d.day}/{d.month}/{d.year}", False),
    "d.m.yyyy": ("dmy", lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}", False),
    "m/d/yy": ("mdy", lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}", True),
    "d-m-yy": ("dmy", lambda d: f"{d.day:02d}-{d.month:02d}-{d.year % 100:02d}", True),
}


@st.composite
def dated_columns(draw, two_digit: bool):
    """Real dates, and a coverage of fewer than 100 years that holds them."""
    if two_digit:
        first = draw(st.integers(1000, 2900))
        last = first + draw(st.integers(0, 99))
    else:
        first, last = 1000, 2999
    days = st.dates(date(first, 1, 1), date(last, 12, 31))
    return draw(st.lists(days, min_size=1, max_size=30)), (first, last)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(sorted(FORMATTERS)))
def test_formatted_dates_read_back_the_same(data, name):
    formatter, two_digit = FORMATTERS[name]
    days, coverage = data.draw(dated_columns(two_digit))
    result = read([formatter(d) for d in days], coverage=coverage)
    assert list(result.dates) == [d.isoformat() for d in days]
    assert result.n_repaired == (len(days) if two_digit else 0)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(sorted(NUMBER_FORMATTERS)))
def test_numbers_read_back_the_same_in_the_order_the_column_shows(data, name):
    order, formatter, two_digit = NUMBER_FORMATTERS[name]
    days, coverage = data.draw(dated_columns(two_digit))
    values = [formatter(d) for d in days]
    expected = [d.isoformat() for d in days]

    # The oracle: a day above 12 shows the order; else the column is ambiguous,
    # unless every day equals its month.
    if any(d.day > 12 for d in days):
        result = read(values, coverage=coverage)
        assert (result.order, result.order_from) == (order, "column")
        assert list(result.dates) == expected
    elif any(d.day != d.month for d in days):
        with pytest.raises(DateColumnError) as refused:
            read(values, coverage=coverage)
        assert refused.value.reason == "ambiguous"
    else:
        assert list(read(values, coverage=coverage).dates) == expected

    result = read(values, order=order, coverage=coverage)
    assert list(result.dates) == expected
    result = read(values, default_order=order, coverage=coverage)
    assert list(result.dates) == expected


def _account_for_every_row(result: DateColumn, n: int) -> None:
    assert len(result.dates) == len(result.errors) == len(result.repairs) == n
    assert len(result.empty) == n
    dated = result.dates != ""
    failed = result.errors != ""
    repaired = result.repairs != ""
    # Each row is exactly one of: empty, an error, a date.
    assert (
        dated.astype(int) + failed.astype(int) + result.empty.astype(int) == 1
    ).all()
    assert not (repaired & ~dated).any()
    for text in result.dates[dated]:
        assert date.fromisoformat(text).isoformat() == text


def _mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    for kind, position, character in edits:
        at = position % (len(text) + 1)
        if kind == 0:
            text = text[:at] + character + text[at:]
        elif kind == 1:
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + character + text[at + 1 :]
    return text


date_texts = st.builds(
    lambda day, name: (
        FORMATTERS[name][0](day)
        if name in FORMATTERS
        else NUMBER_FORMATTERS[name][1](day)
    ),
    st.dates(date(1000, 1, 1), date(2999, 12, 31)),
    st.sampled_from(sorted(FORMATTERS) + sorted(NUMBER_FORMATTERS)),
)
mutated = st.builds(
    _mutate,
    date_texts,
    st.lists(
        st.tuples(
            st.integers(0, 2),
            st.integers(0, 40),
            st.sampled_from(list("0123456789/-.: ,TZaApPmM\t\u00a0\u0663x")),
        ),
        min_size=1,
        max_size=3,
    ),
)
cells = st.one_of(
    st.text(max_size=25),
    date_texts,
    mutated,
    st.sampled_from(["", " ", "NA", "nan", "13/13/2001", "00/00/0000", "29-Feb-00"]),
    st.none(),
    st.just(math.nan),
)
orders = st.sampled_from([None, "dmy", "mdy", "ymd"])
default_orders = st.sampled_from([None, "dmy", "mdy"])
coverages = st.one_of(
    st.none(),
    st.tuples(st.integers(1000, 2999), st.integers(0, 300)).map(
        lambda pair: (pair[0], min(2999, pair[0] + pair[1]))
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(cells, max_size=25),
    order=orders,
    default_order=default_orders,
    coverage=coverages,
)
def test_any_column_is_read_or_refused_and_every_row_is_accounted_for(
    values, order, default_order, coverage
):
    try:
        result = read(
            values, order=order, default_order=default_order, coverage=coverage
        )
    except DateColumnError as refused:
        assert order is None
        assert "\n" not in str(refused)
        assert str(refused).startswith("event_date: ")
        return
    _account_for_every_row(result, len(values))
    for value, error in zip(values, result.errors, strict=True):
        if error:
            assert repr(str(value)) in error


@settings(max_examples=50, deadline=None)
@given(values=st.lists(mutated, min_size=1, max_size=25), coverage=coverages)
def test_mutated_dates_read_with_an_order_never_refuse(values, coverage):
    for order in ("dmy", "mdy", "ymd"):
        result = read(np.array(values, dtype=object), order=order, coverage=coverage)
        _account_for_every_row(result, len(values))


def test_many_rows_map_back_to_their_rows():
    start = date(2015, 1, 1)
    days = [start + timedelta(days=i % 400) for i in range(5000)]
    values = [
        f"{d.day}-{MONTH_ABBREVIATIONS[d.month - 1]}-{d.year % 100}" for d in days
    ]
    result = read(pd.Series(values), coverage=ACLED)
    assert list(result.dates) == [d.isoformat() for d in days]


# An independent reading of a time of day: which written parts exist.
def _time_exists(hour, minute, second, half, offset, offset_minutes) -> bool:
    hours = range(1, 13) if half else range(24)
    return (
        hour in hours
        and minute in range(60)
        and (second is None or second in range(61))
        and (offset is None or abs(offset) in range(15))
        and (offset_minutes is None or offset_minutes in range(60))
    )


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(date(1000, 1, 1), date(2999, 12, 31)),
    hour=st.integers(0, 30),
    minute=st.integers(0, 65),
    second=st.none() | st.integers(0, 65),
    half=st.sampled_from(["", " AM", " pm", "a.m."]),
    offset=st.none() | st.integers(-19, 19),
    offset_minutes=st.none() | st.integers(0, 65),
    separator=st.sampled_from(["T", " "]),
)
def test_any_time_of_day_keeps_the_day_written_or_is_refused(
    day, hour, minute, second, half, offset, offset_minutes, separator
):
    text = f"{day.isoformat()}{separator}{hour}:{minute:02d}"
    if second is not None:
        text += f":{second:02d}"
    text += half
    if offset is not None:
        text += f"{offset:+03d}"
        if offset_minutes is not None:
            text += f":{offset_minutes:02d}"
    else:
        offset_minutes = None
    result = read([text])
    if _time_exists(hour, minute, second, half, offset, offset_minutes):
        assert list(result.dates) == [day.isoformat()]
        assert result.notes[0].startswith("event_date: 1 value carries a time of day")
        assert result.notes[0].endswith(
            "(not shifted to UTC)" if offset is not None else "only the day is kept"
        )
    else:
        assert list(result.dates) == [""]
        assert list(result.errors) == [
            f"{text!r} is not a date and time: the time of day does not exist"
        ]


@settings(max_examples=200, deadline=None)
@given(
    first=st.integers(1000, 2999),
    span=st.integers(0, 250),
    short=st.integers(0, 99),
)
def test_a_two_digit_year_takes_the_only_century_of_the_coverage(first, span, short):
    last = min(2999, first + span)
    # The oracle: every year of the coverage, looked at one by one.
    fits = [year for year in range(first, last + 1) if year % 100 == short]
    value = f"1-Jan-{short:02d}"
    result = read([value], coverage=(first, last))
    if len(fits) == 1:
        assert list(result.dates) == [f"{fits[0]}-01-01"]
        assert result.repairs[0] == (
            f"{value!r} has a two-digit year; read as {fits[0]} by the dataset's "
            f"coverage {first}–{last}"
        )
    elif fits:
        assert list(result.dates) == [""]
        assert result.errors[0].endswith(
            f"more than once ({' and '.join(map(str, fits))})"
        )
    else:
        assert list(result.dates) == [""]
        assert result.errors[0] == (
            f"{value!r} has a two-digit year and no century puts {short:02d} inside "
            f"the dataset's coverage {first}–{last}"
        )
