"""Filters, case by case: refused link values, Play's end, source types, regions.

Expected warnings are written out by hand from the rules in ``spec_from_query``'s
docstring: a warning quotes at most five refused values of one list, each on one
line and cut to 80 characters (``…`` last), then says how many more there were.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from imu_geo.filters import (
    FilterSpec,
    Unit,
    Window,
    apply_filters,
    describe_counts,
    facet_choices,
    filter_mask,
    play_position,
    source_type_mask,
    spec_from_query,
    split_list,
)
from imu_geo.schema import SOURCE_TYPE_COLUMNS
from tests.helpers import make_events

ALL = FilterSpec(start=date(1991, 1, 1), end=date(2015, 12, 31))
CHOICES = {"types": ("bombing",), "actors": ("IMU",), "countries": ("UZ",)}
LONG = "x" * 100


@pytest.mark.parametrize(
    ("types", "warning"),
    [
        ("a,b", "Unknown types in the link: a, b; showing all."),
        ("a,b,c,d,e", "Unknown types in the link: a, b, c, d, e; showing all."),
        (
            "a,b,c,d,e,f",
            "Unknown types in the link: a, b, c, d, e and 1 more; showing all.",
        ),
        (
            "bombing,a,b,c,d,e,f,g",
            "Unknown types in the link: a, b, c, d, e and 2 more; ignored.",
        ),
        # 79 x's and the ellipsis: 80 characters.
        (LONG, "Unknown types in the link: " + "x" * 79 + "…; showing all."),
        (
            "a\nb\tc",
            "Unknown types in the link: a b c; showing all.",
        ),
    ],
)
def test_a_warning_quotes_five_refused_values_and_counts_the_rest(types, warning):
    spec, warnings = spec_from_query({"types": types}, ALL, CHOICES)
    assert warnings == [warning]
    assert spec.event_types == (("bombing",) if types.startswith("bombing") else ())


def test_a_link_of_thousands_of_values_says_how_many_with_a_separator():
    values = ",".join(f"v{i}" for i in range(1_005))
    _, warnings = spec_from_query({"actors": values}, ALL, CHOICES)
    assert warnings == [
        "Unknown actors in the link: v0, v1, v2, v3, v4 and 1,000 more; showing all."
    ]


@pytest.mark.parametrize(
    ("n_months", "first", "last", "step", "ticks", "cumulative", "expected"),
    [
        # No tick yet: not done, though one step would reach the end.
        (30, 0, 27, 3, 0, False, (0, 27, False)),
        # One step lands exactly on the last month (index 29): done.
        (30, 0, 26, 3, 1, False, (3, 29, True)),
        (30, 0, 26, 3, 1, True, (0, 29, True)),
        # One month short of the end: not done.
        (30, 0, 25, 3, 1, False, (3, 28, False)),
        # A negative tick count counts as none.
        (30, 4, 10, 3, -2, False, (4, 10, False)),
        # A window already at the end is done at once, and stays.
        (30, 20, 29, 12, 0, False, (20, 29, True)),
        (30, 20, 29, 12, 5, True, (20, 29, True)),
    ],
)
def test_play_stops_exactly_at_the_last_month(
    n_months, first, last, step, ticks, cumulative, expected
):
    assert play_position(n_months, first, last, step, ticks, cumulative) == expected


def _typed(rows: list[tuple[str, str, str]], columns=SOURCE_TYPE_COLUMNS):
    """Events, each with its source type and sub-type where ``columns`` has them."""
    frame = make_events(
        [
            {"event_id": event_id, "date_start": "2009-05-01", "date_end": "2009-05-01"}
            for event_id, _, _ in rows
        ]
    )
    for number, column in enumerate(SOURCE_TYPE_COLUMNS):
        if column in columns:
            frame[column] = [row[1 + number] for row in rows]
    return frame


SOURCE_TYPED = [
    ("a", "Battles", "Armed clash"),
    ("b", "Explosions", "Suicide bomb"),
    ("c", "Explosions", "Remote explosive"),
    ("d", "Riots", ""),
]


@pytest.mark.parametrize(
    ("wanted", "columns", "expected"),
    [
        (("Explosions",), SOURCE_TYPE_COLUMNS, [False, True, True, False]),
        # A sub-type alone selects too: either column may hold the value.
        (("Armed clash",), SOURCE_TYPE_COLUMNS, [True, False, False, False]),
        (
            ("Riots", "Suicide bomb"),
            SOURCE_TYPE_COLUMNS,
            [False, True, False, True],
        ),
        (
            ("Remote explosive",),
            ("source_sub_event_type",),
            [False, False, True, False],
        ),
        (("Explosions",), ("source_sub_event_type",), [False, False, False, False]),
        (("Explosions",), ("source_event_type",), [False, True, True, False]),
        # A dataset without the columns (the atlas) has no source types.
        (("Explosions",), (), [False, False, False, False]),
        ((), SOURCE_TYPE_COLUMNS, [False, False, False, False]),
    ],
)
def test_source_types_match_the_type_or_the_sub_type(wanted, columns, expected):
    events = _typed(SOURCE_TYPED, columns)
    assert source_type_mask(events, iter(wanted)).tolist() == expected
    spec = FilterSpec(**(vars(ALL) | {"source_types": wanted}))
    picked = [row[0] for row, keep in zip(SOURCE_TYPED, expected, strict=True) if keep]
    if wanted:
        assert list(apply_filters(events, spec)["event_id"]) == picked


REGION = FilterSpec(
    start=date(1991, 1, 1), end=date(2015, 12, 31), region=Unit("UZ-TK", "admin1")
)


def _three(index: list[int]) -> pd.DataFrame:
    events = make_events(
        [
            {"event_id": e, "date_start": "2009-05-01", "date_end": "2009-05-01"}
            for e in ("x", "y", "z")
        ]
    )
    events.index = index
    return events


@pytest.mark.parametrize("index", [[0, 1, 2], [7, 3, 5]])
def test_a_region_keeps_the_events_of_its_unit_whatever_the_index(index):
    events = _three(index)
    units = pd.Series(["UZ-TK", "", "UZ-AN"])
    assert filter_mask(events, REGION, units).tolist() == [True, False, False]
    assert filter_mask(events, REGION, units).index.tolist() == index
    events["admin1_status"] = ["unit", "unit", "coarser"]
    events["admin1_region"] = ["UZ-AN", "UZ-TK", "UZ-TK"]
    assert filter_mask(events, REGION).tolist() == [False, True, False]


@pytest.mark.parametrize(
    "columns", [(), ("admin1_status",), ("admin1_region",), ("country_status",)]
)
def test_a_region_without_the_units_of_its_level_is_refused(columns):
    events = _three([0, 1, 2])
    for column in columns:
        events[column] = "unit"
    message = (
        "a region filter needs each event's unit: pass units, or the columns "
        "admin1_status and admin1_region"
    )
    with pytest.raises(ValueError) as refused:
        filter_mask(events, REGION)
    assert str(refused.value) == message


def test_units_for_another_number_of_events_are_refused():
    with pytest.raises(ValueError) as refused:
        filter_mask(_three([0, 1, 2]), REGION, pd.Series(["UZ-TK", "UZ-TK"]))
    assert str(refused.value) == "units must give one unit per event"


@pytest.mark.parametrize(
    ("total", "counts", "changes", "expected"),
    [
        (
            1,
            {"attack": 1},
            {},
            "1 event — 1 attack, 0 bases, 0 context — from Jan 1991 to Dec 2015",
        ),
        (
            2_345,
            {"attack": 1_000, "base": 1, "context": 1_344},
            {"start": date(1999, 2, 1), "end": date(1999, 2, 28)},
            "2,345 events — 1,000 attacks, 1 base, 1,344 context — "
            "from Feb 1999 to Feb 1999",
        ),
        (
            0,
            {},
            {"layers": ()},
            "0 events from Jan 1991 to Dec 2015",
        ),
        (
            3,
            {"rockets": 3},
            {"layers": ("rockets",), "mode": "cumulative"},
            "3 events — 3 rockets — up to Dec 2015",
        ),
        (
            4,
            {"base": 4},
            {
                "layers": ("base",),
                "region": Unit("UZ-TK", "admin1", "Tashkent\nCity"),
                "event_types": ("leader_base", "camp"),
                "actors": ("IMU", "IJU"),
                "countries": ("UZ",),
                "attributions": ("claimed",),
                "source_types": ("Battles", "Riots"),
                "text": "  Tashkent ",
            },
            "4 events — 4 bases — from Jan 1991 to Dec 2015 (in Tashkent City; "
            "types: leader_base, camp; actors: IMU, IJU; countries: UZ; "
            "attribution: claimed; source types: Battles, Riots; "
            "matching “Tashkent”)",
        ),
        (
            1,
            {"context": 1},
            {"layers": ("context",), "region": Unit("UZ", "country"), "text": "  "},
            "1 event — 1 context — from Jan 1991 to Dec 2015 (in UZ)",
        ),
    ],
)
def test_the_caption_names_every_filter_in_use(total, counts, changes, expected):
    spec = FilterSpec(**(vars(ALL) | changes))
    assert describe_counts(total, counts, spec) == expected


@pytest.mark.parametrize(
    ("region_id", "level", "message"),
    [
        ("UZ", "district", "level must be one of country, admin1, valley"),
        ("", "country", "a unit needs a region_id"),
    ],
)
def test_a_unit_names_a_region_of_a_known_level(region_id, level, message):
    with pytest.raises(ValueError) as refused:
        Unit(region_id, level)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("params", "default", "choices", "window", "warnings"),
    [
        # Empty dates in a link are no dates at all.
        ({"start": "", "end": ""}, ALL, CHOICES, (ALL.start, ALL.end), []),
        # A bad start still lets the end be read.
        (
            {"start": "bad", "end": "2004-12-05"},
            ALL,
            CHOICES,
            (ALL.start, date(2004, 12, 31)),
            [
                "The start date “bad” is not an ISO date (YYYY-MM-DD); "
                "showing the default start."
            ],
        ),
        # A one-day default window is not a window that ends before it starts.
        (
            {},
            FilterSpec(start=date(2001, 1, 1), end=date(2001, 1, 1)),
            CHOICES,
            (date(2001, 1, 1), date(2001, 1, 1)),
            [],
        ),
    ],
)
def test_dates_in_a_link_are_read_each_on_its_own(
    params, default, choices, window, warnings
):
    spec, said = spec_from_query(params, default, choices)
    assert ((spec.start, spec.end), said) == (window, warnings)


def test_a_list_with_no_choices_given_refuses_every_value():
    spec, warnings = spec_from_query({"source_types": "Riots"}, ALL, CHOICES)
    assert spec.source_types == ()
    assert warnings == ["Unknown source_types in the link: Riots; showing all."]


@pytest.mark.parametrize(
    ("times", "message"),
    [
        (
            {"start": date(2001, 2, 1), "end": date(2001, 1, 31)},
            "the window ends before it starts",
        ),
        (
            {"start": date(2001, 1, 1), "end": date(2001, 1, 31), "mode": "moving"},
            "mode must be one of window, cumulative",
        ),
    ],
)
def test_a_window_refuses_an_end_before_its_start_and_an_unknown_mode(times, message):
    with pytest.raises(ValueError) as refused:
        Window(**times)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("IMU;Taliban", ["IMU", "Taliban"]),
        (" IMU ; ;Taliban; ", ["IMU", "Taliban"]),
        ("IMU,Taliban", ["IMU,Taliban"]),
        ("", []),
        (None, []),
        (float("nan"), []),
        (pd.NA, []),
        ("nan", ["nan"]),
        (12, ["12"]),  # a cell that is a number is read as its text
    ],
)
def test_a_list_cell_splits_on_semicolons_by_default(cell, expected):
    assert split_list(cell) == expected


def test_the_choices_of_each_kind_of_facet():
    day = {"date_start": "2001-05-01", "date_end": "2001-05-01"}
    events = make_events(
        [
            day | {"event_type": "bombing", "country": "UZ|KG"},
            day | {"event_type": "raid", "country": "TJ"},
        ]
    )
    events["source_sub_event_type"] = ["Suicide bomb", "Armed clash"]
    choices = facet_choices(events)
    # One column, no separator: its values as they are.
    assert choices["types"] == ("bombing", "raid")
    # Countries split on their own separator, "|".
    assert choices["countries"] == ("KG", "TJ", "UZ")
    # Source types from the sub-type column alone: the type column is absent.
    assert "source_event_type" not in events
    assert choices["source_types"] == ("Armed clash", "Suicide bomb")


def test_a_missing_actors_cell_is_no_actor_to_choose_or_match():
    day = {"date_start": "2001-05-01", "date_end": "2001-05-01"}
    events = make_events([day, day, day])
    events["actors"] = pd.Series(["IMU;Taliban", None, float("nan")], dtype=object)
    assert facet_choices(events)["actors"] == ("IMU", "Taliban")
    for wanted in (("nan",), ("None",)):
        spec = FilterSpec(start=date(1991, 1, 1), end=date(2015, 12, 31), actors=wanted)
        assert filter_mask(events, spec).tolist() == [False, False, False]


# Every search column of an event spelt out, so that a search can be checked
# against what the event says (and a match across two fields ruled out).
SEARCHED = make_events(
    [
        {
            "event_id": "e-dot",
            "date_start": "2001-05-01",
            "date_end": "2001-05-01",
            "title": "Raid in Osh",
            "description": "Three held (one released).",
            "source_quote": "U.S. officials said",
            "place_name": "Osh",
            "actors": "IMU",
            "target": "police",
            "notes": "",
        },
        {
            "event_id": "e-plain",
            "date_start": "2001-06-01",
            "date_end": "2001-06-01",
            "title": "Ambush near Batken",
            "description": "Soldiers killed",
            "source_quote": "officials said",
            "place_name": "Batken",
            "actors": "IMU",
            "target": "army",
            "notes": "",
        },
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Searched as written, not as a pattern: a dot is a dot.
        ("U.S.", ["e-dot"]),
        (".", ["e-dot"]),
        ("(one", ["e-dot"]),
        ("released)", ["e-dot"]),
        ("a+", []),
        ("officials said", ["e-dot", "e-plain"]),
        # Letters that no field of either event holds.
        ("xx", []),
        ("qz", []),
    ],
)
def test_a_search_matches_the_words_as_written(text, expected):
    spec = FilterSpec(start=date(2001, 1, 1), end=date(2001, 12, 31), text=text)
    assert apply_filters(SEARCHED, spec)["event_id"].tolist() == expected


def test_the_selected_events_keep_their_columns_under_a_new_index():
    spec = FilterSpec(start=date(2001, 6, 1), end=date(2001, 12, 31))
    shown = apply_filters(SEARCHED, spec)
    assert list(shown.columns) == list(SEARCHED.columns)
    assert shown.index.tolist() == [0]
    assert shown["event_id"].tolist() == ["e-plain"]


@pytest.mark.parametrize(
    ("length", "warnings"),
    [
        (199, []),
        (200, []),
        (
            201,
            [
                "The search in the link is longer than 200 characters; "
                "searching for its first 200."
            ],
        ),
    ],
)
def test_a_search_longer_than_two_hundred_characters_is_cut_with_a_warning(
    length, warnings
):
    spec, said = spec_from_query({"q": "k" * length}, ALL, CHOICES)
    assert spec.text == "k" * min(length, 200)
    assert said == warnings


@pytest.mark.parametrize(
    "times",
    [{}, {"start": date(2001, 1, 1)}, {"end": date(2001, 1, 31)}, {"mode": "window"}],
)
def test_a_spec_without_a_window_needs_both_its_start_and_its_end(times):
    with pytest.raises(TypeError) as refused:
        FilterSpec(**times)
    assert str(refused.value) == "a FilterSpec needs a window, or its start and end"


def test_a_spec_names_an_attribute_it_does_not_have():
    with pytest.raises(AttributeError) as refused:
        _ = ALL.colour
    assert str(refused.value) == "FilterSpec has no attribute 'colour'"
