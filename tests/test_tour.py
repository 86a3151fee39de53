"""The guided tour: stops from the eras or equal periods, key events, the link."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imu_geo.filters import month_starts
from imu_geo.layers import DEFAULT_VIEW
from imu_geo.timeline import ERAS, Era
from imu_geo.tour import build_tour, equal_periods, key_events, stop_number, view_for
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
