"""The partial-date parser: what it reads, and how it refuses what it cannot."""

from datetime import date

import pytest

from imu_geo.dates import (
    DateInterval,
    DateParseError,
    parse_partial_date,
    precision_problem,
)

D = date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("1999", D(1999, 1, 1), D(1999, 12, 31), "year"),
        ("1999-02", D(1999, 2, 1), D(1999, 2, 28), "month"),
        ("2000-02", D(2000, 2, 1), D(2000, 2, 29), "month"),
        ("2002-09-25", D(2002, 9, 25), D(2002, 9, 25), "day"),
        ("February 1999", D(1999, 2, 1), D(1999, 2, 28), "month"),
        ("Sept. 2001", D(2001, 9, 1), D(2001, 9, 30), "month"),
        ("25 September 2002", D(2002, 9, 25), D(2002, 9, 25), "day"),
        ("July 29, 2015", D(2015, 7, 29), D(2015, 7, 29), "day"),
        ("early 1992", D(1992, 1, 1), D(1992, 4, 30), "approximate"),
        ("mid-2015", D(2015, 5, 1), D(2015, 8, 31), "approximate"),
        ("late 2001", D(2001, 9, 1), D(2001, 12, 31), "approximate"),
        ("spring 2014", D(2014, 3, 1), D(2014, 5, 31), "season"),
        ("summer 2001", D(2001, 6, 1), D(2001, 8, 31), "season"),
        ("autumn 2001", D(2001, 9, 1), D(2001, 11, 30), "season"),
        ("fall 2001", D(2001, 9, 1), D(2001, 11, 30), "season"),
        ("winter 2003", D(2003, 12, 1), D(2004, 2, 29), "season"),
        (
            "the late 1990s".removeprefix("the "),
            D(1997, 1, 1),
            D(1999, 12, 31),
            "approximate",
        ),
        ("early 1990s", D(1990, 1, 1), D(1993, 12, 31), "approximate"),
        ("1990s", D(1990, 1, 1), D(1999, 12, 31), "range"),
        ("around 1998", D(1997, 1, 1), D(1999, 12, 31), "approximate"),
        ("c. 1998", D(1997, 1, 1), D(1999, 12, 31), "approximate"),
        ("1992-1997", D(1992, 1, 1), D(1997, 12, 31), "range"),
        ("1992 – 1997", D(1992, 1, 1), D(1997, 12, 31), "range"),
        ("2001-06..2002-09-25", D(2001, 6, 1), D(2002, 9, 25), "range"),
        ("1999/2002", D(1999, 1, 1), D(2002, 12, 31), "range"),
        ("late 2001 to 2014", D(2001, 9, 1), D(2014, 12, 31), "range"),
        ("  1999  ", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ],
)
def test_reads_partial_dates_as_intervals(text, start, end, precision):
    interval = parse_partial_date(text)
    assert (interval.start, interval.end, interval.precision) == (
        start,
        end,
        precision,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the date is empty"),
        (None, "the date is empty"),
        (float("nan"), "the date is empty"),
        ("2001-02-30", "day 30 does not exist in February 2001 (it has 28 days)"),
        ("2001-13", "month 13 does not exist (months run 1-12)"),
        ("2001-00-10", "month 0 does not exist (months run 1-12)"),
        (
            "03/04/2001",
            "'03/04/2001' is ambiguous: it can be day/month or month/day; "
            "write it as YYYY-MM-DD",
        ),
        ("13/04/2001", "'13/04/2001' is not an ISO date: write it as YYYY-MM-DD"),
        (
            "3/4/01",
            "'3/4/01' has a two-digit year: write the year in full, as YYYY-MM-DD",
        ),
        ("99", "'99' is a two-digit year: write the year in full"),
        (
            "36526",
            "'36526' looks like a spreadsheet serial number, not a date: "
            "write it as YYYY-MM-DD",
        ),
        ("0999", "year 0999 is outside 1000-2999"),
        ("Smarch 2001", "'smarch' is not a month name"),
        ("2005..2001", "'2005..2001' ends (2001-12-31) before it starts (2005-01-01)"),
        ("1999..", "'1999..' is a range with a missing end"),
        ("1999..2000..2001", "'1999..2000..2001' has more than two ends"),
        (
            "yesterday",
            "'yesterday' is not a date this parser reads (YYYY, YYYY-MM, "
            "YYYY-MM-DD, 'early|mid|late YYYY', a season and year, 'around YYYY', "
            "or a range A..B)",
        ),
    ],
)
def test_refuses_what_it_cannot_read_with_a_reason(text, message):
    with pytest.raises(DateParseError) as caught:
        parse_partial_date(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("start", "end", "precision", "problem"),
    [
        (D(1999, 2, 16), D(1999, 2, 16), "day", None),
        (D(1999, 2, 1), D(1999, 2, 28), "month", None),
        (D(1999, 1, 1), D(1999, 12, 31), "year", None),
        (D(2014, 3, 1), D(2014, 5, 31), "season", None),
        (D(1992, 1, 1), D(1997, 12, 31), "range", None),
        (D(2001, 9, 1), D(2001, 12, 31), "approximate", None),
        (
            D(1999, 2, 1),
            D(1999, 2, 2),
            "day",
            "a day-precision event must have date_start equal to date_end",
        ),
        (
            D(1999, 2, 1),
            D(1999, 3, 31),
            "month",
            "a month-precision event must span exactly one calendar month",
        ),
        (
            D(1999, 2, 1),
            D(1999, 12, 31),
            "year",
            "a year-precision event must span 1 January to 31 December of one year",
        ),
        (
            D(2014, 3, 1),
            D(2014, 6, 30),
            "season",
            "a season-precision event must span three whole consecutive months",
        ),
        (
            D(2001, 1, 2),
            D(2001, 1, 1),
            "range",
            "date_end 2001-01-01 is before date_start 2001-01-02",
        ),
        (
            D(2001, 1, 1),
            D(2001, 1, 1),
            "decade",
            "date_precision 'decade' is not one of day, month, season, year, range, "
            "approximate",
        ),
    ],
)
def test_checks_an_interval_against_its_precision(start, end, precision, problem):
    assert precision_problem(start, end, precision) == problem


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("1000", D(1000, 1, 1), D(1000, 12, 31), "year"),
        ("2999", D(2999, 1, 1), D(2999, 12, 31), "year"),
        ("2001-01", D(2001, 1, 1), D(2001, 1, 31), "month"),
        ("2001-12", D(2001, 12, 1), D(2001, 12, 31), "month"),
        ("2001-12-31", D(2001, 12, 31), D(2001, 12, 31), "day"),
        ("2001-01-01", D(2001, 1, 1), D(2001, 1, 1), "day"),
        ("mid 1990s", D(1994, 1, 1), D(1996, 12, 31), "approximate"),
        ("late-1980s", D(1987, 1, 1), D(1989, 12, 31), "approximate"),
        ("winter, of 1999", D(1999, 12, 1), D(2000, 2, 29), "season"),
        ("WINTER 2001", D(2001, 12, 1), D(2002, 2, 28), "season"),
        ("approximately 2000", D(1999, 1, 1), D(2001, 12, 31), "approximate"),
        ("Dec 2001", D(2001, 12, 1), D(2001, 12, 31), "month"),
        ("1 jan. 2001", D(2001, 1, 1), D(2001, 1, 1), "day"),
        # A range may be one day, or end in the period it starts in.
        ("2001-01-01..2001-01-01", D(2001, 1, 1), D(2001, 1, 1), "range"),
        ("2001-06..2001", D(2001, 6, 1), D(2001, 12, 31), "range"),
        ("2001—2003-02", D(2001, 1, 1), D(2003, 2, 28), "range"),
    ],
)
def test_reads_dates_at_the_edges_of_each_rule(text, start, end, precision):
    interval = parse_partial_date(text)
    assert (interval.start, interval.end, interval.precision) == (
        start,
        end,
        precision,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "the date is empty"),
        ("3000", "year 3000 is outside 1000-2999"),
        ("2001-00", "month 0 does not exist (months run 1-12)"),
        ("2001-01-00", "day 0 does not exist in January 2001 (it has 31 days)"),
        ("2001-12-32", "day 32 does not exist in December 2001 (it has 31 days)"),
        ("..1999", "'..1999' is a range with a missing end"),
        (
            "04/12/2001",
            "'04/12/2001' is ambiguous: it can be day/month or month/day; "
            "write it as YYYY-MM-DD",
        ),
        (
            "12/04/2001",
            "'12/04/2001' is ambiguous: it can be day/month or month/day; "
            "write it as YYYY-MM-DD",
        ),
        ("04/13/2001", "'04/13/2001' is not an ISO date: write it as YYYY-MM-DD"),
        ("05/05/2001", "'05/05/2001' is not an ISO date: write it as YYYY-MM-DD"),
        (
            "03/04.2001",
            "'03/04.2001' is ambiguous: it can be day/month or month/day; "
            "write it as YYYY-MM-DD",
        ),
        (
            "36526.25",
            "'36526.25' looks like a spreadsheet serial number, not a date: "
            "write it as YYYY-MM-DD",
        ),
        (
            "123",
            "'123' is not a date this parser reads (YYYY, YYYY-MM, "
            "YYYY-MM-DD, 'early|mid|late YYYY', a season and year, 'around YYYY', "
            "or a range A..B)",
        ),
    ],
)
def test_refuses_dates_past_the_edges_of_each_rule(text, message):
    with pytest.raises(DateParseError) as caught:
        parse_partial_date(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("start", "end", "precision", "message"),
    [
        (
            D(2001, 1, 2),
            D(2001, 1, 1),
            "day",
            "the end 2001-01-01 is before the start 2001-01-02",
        ),
        (D(2001, 1, 1), D(2001, 1, 1), "week", "unknown precision 'week'"),
    ],
)
def test_an_interval_cannot_end_before_it_starts_or_have_another_precision(
    start, end, precision, message
):
    with pytest.raises(DateParseError) as caught:
        DateInterval(start, end, precision)
    assert str(caught.value) == message
    assert DateInterval(start, start, "day").end == start


@pytest.mark.parametrize(
    ("start", "end", "precision", "problem"),
    [
        (D(2003, 12, 1), D(2004, 2, 29), "season", None),
        (D(1999, 12, 1), D(1999, 12, 31), "month", None),
        (D(1999, 12, 1), D(2000, 1, 31), "month", "month"),
        (D(1999, 2, 2), D(1999, 2, 28), "month", "month"),
        (D(1999, 2, 1), D(1999, 2, 27), "month", "month"),
        (D(1999, 1, 1), D(2000, 12, 31), "year", "year"),
        (D(1999, 1, 2), D(1999, 12, 31), "year", "year"),
        (D(1999, 1, 1), D(1999, 12, 30), "year", "year"),
        (D(2003, 12, 2), D(2004, 2, 29), "season", "season"),
        (D(2003, 12, 1), D(2004, 2, 28), "season", "season"),
        (D(2003, 11, 1), D(2004, 2, 29), "season", "season"),
        (D(2003, 12, 1), D(2004, 1, 31), "season", "season"),
        (D(2001, 3, 3), D(2001, 3, 3), "approximate", None),
        (D(2001, 3, 3), D(2001, 3, 3), "season", "season"),
    ],
)
def test_whole_months_are_counted_across_the_turn_of_a_year(
    start, end, precision, problem
):
    said = {
        "month": "a month-precision event must span exactly one calendar month",
        "year": "a year-precision event must span 1 January to 31 December of one year",
        "season": "a season-precision event must span three whole consecutive months",
    }
    assert precision_problem(start, end, precision) == said.get(problem)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2001-13-05", "month 13 does not exist (months run 1-12)"),
        (
            "2005-2001",
            "'2005-2001' ends (2001-12-31) before it starts (2005-01-01)",
        ),
        # A spreadsheet's serial number arrives as a number, not as text.
        (
            36526.0,
            "'36526.0' looks like a spreadsheet serial number, not a date: "
            "write it as YYYY-MM-DD",
        ),
    ],
)
def test_refuses_a_month_13_day_a_backward_year_range_and_a_serial_number(
    value, message
):
    with pytest.raises(DateParseError) as caught:
        parse_partial_date(value)
    assert str(caught.value) == message
