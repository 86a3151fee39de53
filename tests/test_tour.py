"""The guided tour: stops from the eras or equal periods, key events, the link."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imu_geo.filters import month_starts
from imu_geo.layers import DEFAULT_VIEW
from imu_geo.timeline import ERAS, Era
from imu_geo.tour import (
    Tour,
    _months_words,
    _share_inside,
    build_tour,
    equal_periods,
    key_events,
    stop_members,
    stop_number,
    view_for,
)
from tests.helpers import make_events


def months(first: str, last: str) -> list[date]:
    return month_starts(date.fromisoformat(first), date.fromisoformat(last))


def test_on_the_atlas_the_stops_are_the_eras_in_order():
    tour = build_tour(months("1991-01-01", "2015-12-01"), ERAS)
    assert tour.kind == "eras"
    assert [(s.number, s.name, s.start, s.end, s.reason) for s in tour.stops] == [
        (k, era.name, era.start, era.end, era.reason)
        for k, era in enumerate(ERAS, start=1)
    ]
    assert tour.note == (
        f"The tour follows the {len(ERAS)} eras of the group's history, each marked "
        "by a sentence of the source."
    )


@pytest.mark.parametrize(
    ("first", "last", "periods", "note"),
    [
        (
            "1991-01-01",
            "2015-12-01",
            [
                ("1991-01", "1995-12"),
                ("1996-01", "2000-12"),
                ("2001-01", "2005-12"),
                ("2006-01", "2010-12"),
                ("2011-01", "2015-12"),
            ],
            "This data has no eras, so the tour steps through 5 equal periods of "
            "5 years.",
        ),
        (
            "2018-01-01",
            "2019-02-01",  # 14 months: 5 periods of 3, the last of 2
            [
                ("2018-01", "2018-03"),
                ("2018-04", "2018-06"),
                ("2018-07", "2018-09"),
                ("2018-10", "2018-12"),
                ("2019-01", "2019-02"),
            ],
            "This data has no eras, so the tour steps through 5 equal periods of "
            "3 months (the last one 2 months, where the data ends).",
        ),
        (
            "2018-03-01",
            "2018-05-01",
            [("2018-03", "2018-03"), ("2018-04", "2018-04"), ("2018-05", "2018-05")],
            "This data has no eras, so the tour steps through 3 equal periods of "
            "1 month.",
        ),
    ],
)
def test_without_eras_the_tour_steps_through_equal_periods(first, last, periods, note):
    tour = build_tour(months(first, last), ())
    assert tour.kind == "periods"
    assert [(f"{s.start:%Y-%m}", f"{s.end:%Y-%m}") for s in tour.stops] == periods
    assert tour.note == note
    # The last period ends on the last day of the data's last month.
    last_days = {"2015-12-01": 31, "2019-02-01": 28, "2018-05-01": 31}
    assert tour.stops[-1].end == date.fromisoformat(last).replace(day=last_days[last])


def test_a_single_month_has_no_tour_and_says_so():
    tour = build_tour(months("2018-03-01", "2018-03-01"), ())
    assert tour.kind == "hidden" and len(tour) == 0
    assert "the tour is hidden" in tour.note


@given(st.integers(min_value=1, max_value=600), st.integers(min_value=1, max_value=8))
def test_equal_periods_cover_the_months_once_and_equally(n, count):
    span = months("1990-01-01", "2040-12-01")[:n]
    periods = equal_periods(span, count)
    covered = [m for first, last in periods for m in month_starts(first, last)]
    assert covered == span
    sizes = [len(month_starts(first, last)) for first, last in periods]
    assert len(periods) <= count
    assert all(size == sizes[0] for size in sizes[:-1]) and sizes[-1] <= sizes[0]


@pytest.mark.parametrize(
    ("raw", "number", "warned"),
    [
        (None, 1, False),
        ("", 1, False),
        ("3", 3, False),
        (" 5 ", 5, False),
        ("6", 1, True),
        ("0", 1, True),
        ("-1", 1, True),
        ("two", 1, True),
    ],
)
def test_the_stop_in_a_link(raw, number, warned):
    tour = build_tour(months("1991-01-01", "2015-12-01"), ERAS[:5])
    got, warning = stop_number(raw, tour)
    assert got == number
    assert bool(warning) == warned
    if warned:
        assert warning.endswith("(stops 1 to 5); showing the first.")


ERA = Era("test", "Test era", date(2000, 1, 1), date(2000, 12, 31), "because")


def event(event_id, start, end, layer="context", precision="year", killed=""):
    types = {"attack": "bombing", "base": "group_base", "context": "statement"}
    return {
        "event_id": event_id,
        "date_start": start,
        "date_end": end,
        "layer": layer,
        "event_type": types[layer],
        "date_precision": precision,
        "fatalities_best": killed,
    }


def test_key_events_bases_first_then_attacks_then_the_rest():
    events = make_events(
        [
            # In the period all along.
            event("c-month", "2000-05-01", "2000-05-31", precision="month"),
            event("a-year", "2000-01-01", "2000-12-31", "attack"),
            event("a-day-1", "2000-03-02", "2000-03-02", "attack", "day", "1"),
            event("a-day-9", "2000-07-04", "2000-07-04", "attack", "day", "9"),
            event("b-1", "2000-02-01", "2000-11-30", "base", "range"),
            event("b-2", "2000-06-01", "2000-06-30", "base", "month"),
            # Three quarters inside, and earlier than b-1: a member with less of
            # its span in the period than the other two bases.
            event("b-most", "1999-09-01", "2000-12-31", "base", "range"),
            # 182 of its 366 days in the period, just under half: not a member.
            event("b-half", "1999-07-01", "2000-06-30", "base", "range"),
            # Begins in the period, a third of its span inside: a member.
            event("c-begun", "2000-09-01", "2001-08-31", precision="range"),
            # Begins in the period but only a quarter inside: not a member.
            event("c-late", "2000-10-01", "2001-09-30", precision="range"),
            # Mostly before the period.
            event("a-before", "1999-01-01", "2000-02-28", "attack", "range"),
        ]
    )
    chosen = key_events(events, ERA.start, ERA.end, limit=5)
    # Two bases (all their span inside, so before b-most), then attacks: to
    # the day before the year, the deadliest first; shown in date order.
    assert list(chosen["event_id"]) == ["a-year", "b-1", "a-day-1", "b-2", "a-day-9"]
    assert list(key_events(events, ERA.start, ERA.end, limit=3)["event_id"]) == [
        "b-1",
        "b-2",
        "a-day-9",
    ]
    seven = key_events(events, ERA.start, ERA.end, limit=7)
    # Then the rest: the one dated to the month before the vaguer one.
    assert set(seven["event_id"]) - set(chosen["event_id"]) == {"c-month", "c-begun"}
    members = set(key_events(events, ERA.start, ERA.end, 20)["event_id"])
    assert members == set(seven["event_id"]) | {"b-most"}
    assert {"b-half", "c-late", "a-before"}.isdisjoint(members)


def test_no_events_no_key_events():
    events = make_events([event("x", "1995-01-01", "1995-12-31")])
    assert key_events(events, ERA.start, ERA.end).empty


def test_the_view_frames_the_points():
    assert view_for([], []) == dict(DEFAULT_VIEW)
    view = view_for([66.0, 72.0], [34.0, 41.0])
    assert view["longitude"] == 69.0
    # The middle of the two latitudes in Web Mercator lies north of 37.5.
    assert 37.5 < view["latitude"] < 37.8
    # 6° of longitude across 900 px with a 1.5 margin: log2(900 / (1.5 × 0.1047
    # rad × 512 / 2π)) = 6.14; 34° to 41° of latitude is 0.7859 - 0.6316 =
    # 0.1543 in Mercator, across 560 px: log2(560 / (1.5 × 0.1543 × 512 / 2π))
    # = 4.89, the smaller one.
    assert view["zoom"] == pytest.approx(4.89, abs=0.01)
    # One place alone: the closest zoom allowed.
    assert view_for([69.2], [41.3])["zoom"] == 6.5


# --- more by hand: the edges of each rule ---------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "1 month"), (2, "2 months"), (11, "11 months"), (12, "1 year")]
    + [(13, "13 months"), (24, "2 years"), (36, "3 years")],
)
def test_months_in_words(n, words):
    assert _months_words(n) == words


def test_equal_periods_never_more_than_the_months():
    # Three months, five periods asked for: one month each.
    span = months("2018-03-01", "2018-05-01")
    assert equal_periods(span, 5) == [(m, m) for m in span]
    # Ten months in four: sizes of ceil(10 / 4) = 3, the last of 1.
    ten = months("2018-01-01", "2018-10-01")
    assert equal_periods(ten, 4) == [
        (ten[0], ten[2]),
        (ten[3], ten[5]),
        (ten[6], ten[8]),
        (ten[9], ten[9]),
    ]


def test_periods_of_whole_years_with_a_shorter_last():
    # 1991-01 to 2014-03: 279 months in 5 periods of 56, the last of 55.
    tour = build_tour(months("1991-01-01", "2014-03-01"), ())
    assert tour.note == (
        "This data has no eras, so the tour steps through 5 equal periods of "
        "56 months (the last one 55 months, where the data ends)."
    )
    # 24 months in 5: periods of 5 months, the last of 4.
    tour = build_tour(months("2000-01-01", "2001-12-01"), ())
    assert [
        (s.number, s.name, s.start, s.end, s.period, s.reason) for s in tour.stops
    ] == [
        (
            1,
            "Period 1 of 5",
            date(2000, 1, 1),
            date(2000, 5, 31),
            "Jan 2000 – May 2000",
            "",
        ),
        (
            2,
            "Period 2 of 5",
            date(2000, 6, 1),
            date(2000, 10, 31),
            "Jun 2000 – Oct 2000",
            "",
        ),
        (
            3,
            "Period 3 of 5",
            date(2000, 11, 1),
            date(2001, 3, 31),
            "Nov 2000 – Mar 2001",
            "",
        ),
        (
            4,
            "Period 4 of 5",
            date(2001, 4, 1),
            date(2001, 8, 31),
            "Apr 2001 – Aug 2001",
            "",
        ),
        (
            5,
            "Period 5 of 5",
            date(2001, 9, 1),
            date(2001, 12, 31),
            "Sep 2001 – Dec 2001",
            "",
        ),
    ]
    assert len(tour) == 5


def test_one_month_periods_are_named_by_the_month():
    tour = build_tour(months("2018-03-01", "2018-04-01"), ())
    assert [s.period for s in tour.stops] == ["Mar 2018", "Apr 2018"]
    assert tour.note == (
        "This data has no eras, so the tour steps through 2 equal periods of 1 month."
    )


def test_the_hidden_tour_says_why():
    tour = build_tour(months("2018-03-01", "2018-03-01"), ())
    assert tour == Tour(
        "hidden",
        (),
        "This data has no eras and spans a single month, so there is nothing to "
        "step through: the tour is hidden.",
    )
    assert build_tour([], ()).kind == "hidden"


@pytest.mark.parametrize(
    ("raw", "number", "warning"),
    [
        ("1", 1, ""),
        ("5", 5, ""),
        (2, 2, ""),
        ("two", 1, "The tour has no stop “two” (stops 1 to 5); showing the first."),
        (
            " " + "9" * 25 + " ",
            1,
            "The tour has no stop “"
            + "9" * 20
            + "” (stops 1 to 5); showing the first.",
        ),
    ],
)
def test_the_stop_in_a_link_by_hand(raw, number, warning):
    tour = build_tour(months("1991-01-01", "2015-12-01"), ERAS[:5])
    assert stop_number(raw, tour) == (number, warning)


def test_share_inside_counts_whole_days_at_both_ends():
    events = make_events(
        [
            # 10 days, 5 inside (1 to 5 Jan); one day, inside; all after.
            event("a", "1999-12-27", "2000-01-05"),
            event("b", "2000-01-31", "2000-01-31"),
            event("c", "2000-02-01", "2000-02-10"),
            # The whole month: all 31 days.
            event("d", "2000-01-01", "2000-01-31"),
        ]
    )
    share = _share_inside(events, date(2000, 1, 1), date(2000, 1, 31))
    assert share.tolist() == [0.5, 1.0, 0.0, 1.0]


def test_members_at_the_thresholds():
    events = make_events(
        [
            # Exactly half inside (5 of 10 days, ending in the period): a member.
            event("half", "1999-12-27", "2000-01-05"),
            # Begins on the last day, 1 of its 10 days inside: not a member.
            event("last-day", "2000-01-31", "2000-02-09"),
            # Begins on the period's last day, 1 of 3 days inside (0.33): a member.
            event("begun-third", "2000-01-31", "2000-02-02"),
            # Begins 3 days before the end, 3 of its 10 days inside: a member.
            event("begun-0.3", "2000-01-29", "2000-02-07"),
            # 4 of 10 days inside but begun before the period: not a member.
            event("before-0.4", "1999-12-26", "2000-01-04"),
        ]
    )
    members = stop_members(events, date(2000, 1, 1), date(2000, 1, 31))
    assert list(members["event_id"]) == ["half", "begun-third", "begun-0.3"]
    assert members["_share"].tolist() == [0.5, pytest.approx(1 / 3), 0.3]


def test_members_of_no_events():
    events = make_events([event("x", "2000-01-01", "2000-01-01")]).iloc[:0]
    members = stop_members(events, date(2000, 1, 1), date(2000, 1, 31))
    assert members.empty
    assert "_share" in members.columns


def test_key_events_rank_the_rest_by_layer_vagueness_and_deaths():
    events = make_events(
        [
            event("b-1", "2000-01-01", "2000-12-31", "base", "range"),
            event("b-2", "2000-02-01", "2000-12-31", "base", "range"),
            event("b-3", "2000-03-01", "2000-12-31", "base", "range"),
            # Attacks: by vagueness (day and month 0, season and year 1, range
            # and approximate 2, anything else 2), then deaths (text that is
            # not a number counts as none), then date.
            event("a-season", "2000-04-01", "2000-06-30", "attack", "season", "50"),
            event(
                "a-approx", "2000-05-01", "2000-05-31", "attack", "approximate", "90"
            ),
            event("a-odd", "2000-05-02", "2000-05-02", "attack", "unknown", "99"),
            event("a-month", "2000-08-01", "2000-08-31", "attack", "month", "2"),
            event("a-day", "2000-09-01", "2000-09-01", "attack", "day", "2"),
            event("c-day", "2000-01-15", "2000-01-15", "context", "day"),
        ]
    )
    ranked = [
        ["b-1", "b-2"],
        ["b-1", "b-2", "a-month"],
        ["b-1", "b-2", "a-month", "a-day"],
        ["b-1", "b-2", "a-season", "a-month", "a-day"],
        ["b-1", "b-2", "a-season", "a-odd", "a-month", "a-day"],
        ["b-1", "b-2", "a-season", "a-approx", "a-odd", "a-month", "a-day"],
        # Then context, then the third base.
        ["b-1", "c-day", "b-2", "a-season", "a-approx", "a-odd", "a-month", "a-day"],
    ]
    for limit, expected in enumerate(ranked, start=2):
        got = list(key_events(events, ERA.start, ERA.end, limit)["event_id"])
        assert sorted(got) == sorted(expected), limit
    everything = key_events(events, ERA.start, ERA.end, 20)
    assert len(everything) == 9  # every one is a member
    assert list(key_events(events, ERA.start, ERA.end, 1)["event_id"]) == ["b-1"]
    assert "_share" not in everything.columns


def test_key_events_of_an_unknown_layer_come_last():
    events = make_events(
        [
            event("z-other", "2000-03-01", "2000-03-01", "context", "day"),
            event("a-1", "2000-04-01", "2000-04-01", "attack", "year"),
        ]
    ).assign(layer=["other", "attack"])
    assert list(key_events(events, ERA.start, ERA.end, 1)["event_id"]) == ["a-1"]


def test_key_events_prefer_bases_by_share_then_date():
    events = make_events(
        [
            # b-late has all its span inside, b-early too: same share, earlier first.
            event("b-late", "2000-06-01", "2000-06-30", "base", "month"),
            event("b-early", "2000-02-01", "2000-02-29", "base", "month"),
            event("b-early-long", "2000-02-01", "2000-03-31", "base", "month"),
            # Most inside, but not all.
            event("b-part", "1999-12-01", "2000-12-31", "base", "range"),
        ]
    )
    got = list(key_events(events, ERA.start, ERA.end, 2)["event_id"])
    assert got == ["b-early", "b-early-long"]


@pytest.mark.parametrize(
    ("lons", "lats", "expected"),
    [
        # Wide: log2(900 / (1.5 x 3.4907 rad x 81.49 px)) = 1.08, up to 3.
        (
            [-100.0, 100.0],
            [-10.0, 10.0],
            {"latitude": 0.0, "longitude": 0.0, "zoom": 3.0},
        ),
        # North of 85 degrees counts as 85; a degree across: closer than 6.5.
        ([0.0, 1.0], [89.0, 89.0], {"latitude": 85.0, "longitude": 0.5, "zoom": 6.5}),
        # 20 degrees on the equator: log2(900 / (1.5 x 0.34907 x 81.49)) = 4.40;
        # no height, so the width alone decides.
        ([60.0, 80.0], [0.0, 0.0], {"latitude": 0.0, "longitude": 70.0, "zoom": 4.4}),
        # A point missing either coordinate is left out.
        (
            [69.2, float("nan")],
            [41.3, 40.0],
            {"latitude": 41.3, "longitude": 69.2, "zoom": 6.5},
        ),
        ([float("nan"), 69.2], [41.3, float("nan")], dict(DEFAULT_VIEW)),
    ],
)
def test_the_view_by_hand(lons, lats, expected):
    assert view_for(lons, lats) == expected


def test_era_stops_carry_the_era_period():
    tour = build_tour(months("1991-01-01", "2015-12-01"), ERAS[:2])
    assert [s.period for s in tour.stops] == [ERAS[0].period, ERAS[1].period]
    assert all(s.period for s in tour.stops)


def test_share_inside_is_never_negative():
    events = make_events([event("far", "2000-03-01", "2000-03-10")])
    # Ends 29 days after the period: nothing inside, not less than nothing.
    share = _share_inside(events, date(2000, 1, 1), date(2000, 1, 31))
    assert share.tolist() == [0.0]


def test_members_of_no_events_have_a_float_share():
    events = make_events([event("x", "2000-01-01", "2000-01-01")]).iloc[:0]
    members = stop_members(events, date(2000, 1, 1), date(2000, 1, 31))
    assert members["_share"].dtype == "float64"


def test_an_event_begun_on_the_first_day_is_begun_in_the_period():
    # 1 Jan to 10 Mar 2000: 70 days, 31 in January (0.44, under half).
    events = make_events([event("x", "2000-01-01", "2000-03-10")])
    members = stop_members(events, date(2000, 1, 1), date(2000, 1, 31))
    assert list(members["event_id"]) == ["x"]


@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        # Same share and start: the one ending first, then by id.
        (("2000-02-10", "2000-02-05", "2000-02-05"), ["b-1", "b-2"]),
        (("2000-02-05", "2000-02-05", "2000-02-05"), ["b-0", "b-1"]),
    ],
)
def test_key_bases_tie_break_by_end_then_id(ends, expected):
    events = make_events(
        [
            event(f"b-{k}", "2000-02-01", end, "base", "month")
            for k, end in enumerate(ends)
        ]
    )
    assert list(key_events(events, ERA.start, ERA.end, 2)["event_id"]) == expected


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [
        # Unknown deaths count as none: 1 death first, whatever the date.
        (("", "1"), "a-late"),
        # None and 0 are equal: the earlier first.
        (("", "0"), "a-early"),
        # Text that is not a number counts as none too.
        (("many", "1"), "a-late"),
        (("many", "0"), "a-early"),
    ],
)
def test_key_attacks_count_unknown_deaths_as_none(deaths, expected):
    events = make_events(
        [
            event("a-early", "2000-03-01", "2000-03-01", "attack", "day"),
            event("a-late", "2000-06-01", "2000-06-01", "attack", "day"),
        ]
    )
    events = events.assign(fatalities_best=pd.Series(list(deaths), dtype=object))
    assert list(key_events(events, ERA.start, ERA.end, 1)["event_id"]) == [expected]


@pytest.mark.parametrize(
    ("lons", "lats", "expected"),
    [
        # South of -85 degrees counts as -85.
        (
            [0.0, 1.0],
            [-89.0, -89.0],
            {"latitude": -85.0, "longitude": 0.5, "zoom": 6.5},
        ),
        # Centre rounded to 3 decimals.
        (
            [69.12345],
            [41.12345],
            {"latitude": 41.123, "longitude": 69.123, "zoom": 6.5},
        ),
    ],
)
def test_the_view_edges(lons, lats, expected):
    assert view_for(lons, lats) == expected
