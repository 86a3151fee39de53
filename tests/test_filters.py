"""Window overlap, facets, the caption and the URL round trip."""

from datetime import date

import pytest

from imu_geo.filters import (
    FilterSpec,
    apply_filters,
    describe,
    play_position,
    spec_from_query,
    spec_to_query,
)
from tests.helpers import make_events

EVENTS = make_events(
    [
        {
            "event_id": "a-1999",
            "date_start": "1999-02-01",
            "date_end": "1999-02-28",
            "layer": "attack",
            "event_type": "bombing",
            "country": "UZ",
            "title": "Car bombs in Tashkent",
            "actors": "IMU",
        },
        {
            "event_id": "b-range",
            "date_start": "1992-01-01",
            "date_end": "1997-12-31",
            "layer": "base",
            "event_type": "leader_base",
            "country": "TJ",
            "title": "Namangani in Tajikistan",
            "actors": "IMU;UTO",
        },
        {
            "event_id": "c-2002",
            "date_start": "2002-09-25",
            "date_end": "2002-09-25",
            "layer": "context",
            "event_type": "designation",
            "country": "",
            "title": "Redesignation",
            "actors": "US government",
            "attribution": "attributed",
        },
        {
            "event_id": "a-2014",
            "date_start": "2014-06-01",
            "date_end": "2014-06-30",
            "layer": "attack",
            "event_type": "armed_assault",
            "country": "PK",
            "title": "Karachi airport",
            "attribution": "claimed",
        },
        {
            "event_id": "v-valley",
            "date_start": "2009-05-01",
            "date_end": "2009-05-31",
            "layer": "context",
            "event_type": "security_measure",
            "country": "UZ|KG|TJ",
            "title": "Border security",
        },
    ]
)
ALL = FilterSpec(start=date(1991, 1, 1), end=date(2015, 12, 31))


def ids(spec: FilterSpec) -> list[str]:
    return list(apply_filters(EVENTS, spec)["event_id"])


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ["b-range", "a-1999", "c-2002", "v-valley", "a-2014"]),
        # Overlap, not containment: a 1992-1997 base is in a 1995 window.
        ({"start": date(1995, 1, 1), "end": date(1995, 12, 31)}, ["b-range"]),
        ({"start": date(1997, 12, 1), "end": date(1999, 2, 28)}, ["b-range", "a-1999"]),
        ({"start": date(1999, 3, 1), "end": date(2002, 9, 24)}, []),
        ({"start": date(2002, 9, 25), "end": date(2002, 9, 25)}, ["c-2002"]),
        # Cumulative: everything that began up to the end.
        (
            {
                "start": date(2002, 1, 1),
                "end": date(2002, 12, 31),
                "mode": "cumulative",
            },
            ["b-range", "a-1999", "c-2002"],
        ),
        ({"layers": ("attack",)}, ["a-1999", "a-2014"]),
        ({"layers": ()}, []),
        ({"event_types": ("designation", "bombing")}, ["a-1999", "c-2002"]),
        ({"attributions": ("claimed",)}, ["a-2014"]),
        ({"actors": ("UTO",)}, ["b-range"]),
        ({"countries": ("KG",)}, ["v-valley"]),
        ({"countries": ("UZ",)}, ["a-1999", "v-valley"]),
        ({"text": "TASHKENT"}, ["a-1999"]),
        ({"text": "no such words"}, []),
    ],
)
def test_apply_filters_selects_by_overlap_and_facets(changes, expected):
    spec = FilterSpec(**(vars(ALL) | changes))
    assert ids(spec) == expected


def test_describe_says_what_is_shown():
    spec = FilterSpec(start=date(1999, 1, 1), end=date(2004, 12, 31))
    assert describe(apply_filters(EVENTS, spec), spec) == (
        "2 events — 1 attack, 0 bases, 1 context — from Jan 1999 to Dec 2004"
    )
    cumulative = FilterSpec(
        start=date(1999, 1, 1),
        end=date(2004, 12, 31),
        mode="cumulative",
        layers=("attack", "base"),
        text="namangani",
    )
    assert describe(apply_filters(EVENTS, cumulative), cumulative) == (
        "1 event — 0 attacks, 1 base — up to Dec 2004 (matching “namangani”)"
    )


CHOICES = {
    "types": ("bombing", "designation"),
    "actors": ("IMU",),
    "countries": ("UZ",),
}


def test_url_round_trip_restores_the_spec():
    spec = FilterSpec(
        start=date(1999, 1, 1),
        end=date(2004, 12, 31),
        mode="cumulative",
        layers=("attack", "base"),
        event_types=("bombing",),
        actors=("IMU",),
        countries=("UZ",),
        attributions=("claimed", "suspected"),
        text="Tashkent",
    )
    query = spec_to_query(spec, ALL)
    assert query == {
        "start": "1999-01-01",
        "end": "2004-12-31",
        "layers": "attack,base",
        "mode": "cumulative",
        "types": "bombing",
        "actors": "IMU",
        "countries": "UZ",
        "attribution": "claimed,suspected",
        "q": "Tashkent",
    }
    restored, warnings = spec_from_query(query, ALL, CHOICES)
    assert (restored, warnings) == (spec, [])


@pytest.mark.parametrize(
    ("params", "expected_window", "warning"),
    [
        (
            {"start": "1999-13-01"},
            (date(1991, 1, 1), date(2015, 12, 31)),
            "The start date “1999-13-01” is not an ISO date (YYYY-MM-DD); "
            "showing the default start.",
        ),
        (
            {"end": "soon"},
            (date(1991, 1, 1), date(2015, 12, 31)),
            "The end date “soon” is not an ISO date (YYYY-MM-DD); showing the default "
            "end.",
        ),
        (
            {"start": "1980-01-01"},
            (date(1991, 1, 1), date(2015, 12, 31)),
            "The start date 1980-01-01 is outside the data (1991-01-01 to 2015-12-31); "
            "using 1991-01-01.",
        ),
        (
            {"start": "2005-01-01", "end": "2001-01-01"},
            (date(1991, 1, 1), date(2015, 12, 31)),
            "The window ends (2001-01-31) before it starts (2005-01-01); showing the "
            "default window.",
        ),
        (
            {"end": "1985-01-01"},
            (date(1991, 1, 1), date(1991, 1, 31)),
            "The end date 1985-01-01 is outside the data (1991-01-01 to 2015-12-31); "
            "using 1991-01-01.",
        ),
    ],
)
def test_bad_dates_in_the_url_warn_and_fall_back(params, expected_window, warning):
    spec, warnings = spec_from_query(params, ALL, CHOICES)
    assert (spec.start, spec.end) == expected_window
    assert warnings == [warning]


def test_dates_snap_to_whole_months():
    spec, warnings = spec_from_query(
        {"start": "1999-02-16", "end": "2004-12-05"}, ALL, CHOICES
    )
    assert (spec.start, spec.end, warnings) == (
        date(1999, 2, 1),
        date(2004, 12, 31),
        [],
    )


@pytest.mark.parametrize(
    ("params", "field", "value", "warning"),
    [
        (
            {"layers": "attack,rockets"},
            "layers",
            ("attack",),
            "Unknown layers in the link: rockets; ignored.",
        ),
        (
            {"layers": "rockets"},
            "layers",
            ("attack", "base", "context"),
            "Unknown layers in the link: rockets; showing all.",
        ),
        ({"layers": ""}, "layers", (), None),
        (
            {"mode": "sideways"},
            "mode",
            "window",
            "The mode “sideways” is not one of window, cumulative; showing a moving "
            "window.",
        ),
        (
            {"types": "bombing,<script>"},
            "event_types",
            ("bombing",),
            "Unknown types in the link: <script>; ignored.",
        ),
        (
            {"attribution": "rumour"},
            "attributions",
            (),
            "Unknown attribution in the link: rumour; showing all.",
        ),
    ],
)
def test_bad_lists_in_the_url_warn_and_fall_back(params, field, value, warning):
    spec, warnings = spec_from_query(params, ALL, CHOICES)
    assert getattr(spec, field) == value
    assert warnings == ([warning] if warning else [])


def test_a_search_on_no_events_selects_nothing_without_error():
    spec = FilterSpec(**(vars(ALL) | {"text": "Tashkent"}))
    assert apply_filters(EVENTS.iloc[0:0], spec).empty


@pytest.mark.parametrize(
    ("first", "last", "step", "ticks", "cumulative", "expected"),
    [
        (0, 11, 3, 0, False, (0, 11, False)),
        (0, 11, 3, 1, False, (3, 14, False)),
        (0, 11, 3, 2, False, (6, 17, False)),
        (0, 11, 12, 1, True, (0, 23, False)),
        # Stops at the last month (index 29 of 30), keeping the width.
        (10, 25, 3, 1, False, (13, 28, False)),
        (10, 25, 3, 2, False, (14, 29, True)),
        (10, 25, 3, 9, False, (14, 29, True)),
        (0, 29, 3, 1, False, (0, 29, True)),
    ],
)
def test_play_position_follows_the_tick_count(
    first, last, step, ticks, cumulative, expected
):
    assert play_position(30, first, last, step, ticks, cumulative) == expected
