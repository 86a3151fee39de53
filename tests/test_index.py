"""The time index selects exactly what the plain mask selects, in the same order."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from imu_geo.data import BUNDLED_DATA_DIR, assemble_dataset, load_dataset
from imu_geo.filters import FilterSpec, apply_filters, describe, describe_counts
from imu_geo.index import build_index, facet_rows, layer_counts, select
from imu_geo.schema import ATTRIBUTIONS, LAYERS
from imu_geo.synthetic import synthetic_events, synthetic_places


@pytest.fixture(scope="module")
def atlas():
    return load_dataset(BUNDLED_DATA_DIR).events


@pytest.fixture(scope="module")
def synthetic():
    places = synthetic_places(BUNDLED_DATA_DIR, seed=1)
    raw = synthetic_events(places, 20_000, seed=1)
    atlas = load_dataset(BUNDLED_DATA_DIR)
    return assemble_dataset(
        BUNDLED_DATA_DIR, raw, places.drop(columns="hub"), atlas.regions
    ).events


def _same(events, spec):
    index = build_index(events)
    rows = select(index, spec)
    expected = apply_filters(events, spec)
    got = index.events.iloc[rows].reset_index(drop=True)
    assert list(got["event_id"]) == list(expected["event_id"])
    return rows, index


ATLAS_SPECS = [
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31)),
    FilterSpec(date(1999, 1, 1), date(1999, 12, 31)),
    FilterSpec(date(1999, 2, 1), date(1999, 2, 28)),
    FilterSpec(date(2009, 1, 1), date(2015, 12, 31), layers=("base",)),
    FilterSpec(date(1991, 1, 1), date(2001, 12, 31), mode="cumulative"),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), event_types=("bombing",)),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), actors=("Taliban",)),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), countries=("KG", "TJ")),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), attributions=("claimed",)),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), text="tashkent"),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), layers=()),
    FilterSpec(date(2030, 1, 1), date(2030, 12, 31)),
]


@pytest.mark.parametrize("spec", ATLAS_SPECS)
def test_the_atlas_selection_matches_the_mask(atlas, spec):
    rows, _ = _same(atlas, spec)
    if spec.start.year < 2030 and spec.layers:
        assert len(rows) > 0  # each case selects something real


def test_random_selections_of_synthetic_events_match_the_mask(synthetic):
    rng = np.random.default_rng(5)
    index = build_index(synthetic)
    for _ in range(60):
        first = date(int(rng.integers(1991, 2016)), int(rng.integers(1, 13)), 1)
        months = int(rng.integers(1, 60))
        last = (pd.Timestamp(first) + pd.DateOffset(months=months)).date()
        spec = FilterSpec(
            first,
            last,
            mode=str(rng.choice(["window", "cumulative"])),
            layers=tuple(x for x in LAYERS if rng.random() < 0.8),
            attributions=tuple(x for x in ATTRIBUTIONS if rng.random() < 0.3),
            actors=("Taliban",) if rng.random() < 0.3 else (),
            text=str(rng.choice(["event 12", "SYNTHETIC EVENT 7", "nothing"]))
            if rng.random() < 0.1
            else "",
        )
        rows = select(index, spec)
        expected = apply_filters(synthetic, spec)
        assert list(index.events["event_id"].iloc[rows]) == list(expected["event_id"])


def test_counts_and_words_agree_with_describe(synthetic):
    spec = FilterSpec(date(2001, 1, 1), date(2004, 12, 31))
    index = build_index(synthetic)
    rows = select(index, spec)
    counts = layer_counts(index, rows)
    assert sum(counts.values()) == len(rows) > 1000
    assert describe_counts(len(rows), counts, spec) == describe(
        apply_filters(synthetic, spec), spec
    )


def test_facet_rows_ignore_time_only(synthetic):
    index = build_index(synthetic)
    spec = FilterSpec(date(2001, 1, 1), date(2001, 1, 31), layers=("attack",))
    rows = facet_rows(index, spec)
    assert len(rows) == int((synthetic["layer"] == "attack").sum())


# --- a small frame worked by hand ---------------------------------------------------
#
# Six events, not in date order in the frame. Days since 1970: 1999-12-31 is
# 10956, 2000-01-01 10957, 2000-01-10 10966, 2000-01-12 10968, 2000-02-15 11002,
# 2000-03-31 11047. In date order (start, end, event id) the positions are
# 3 (E1), 1 (E2), 4 (E0), 2 (E3), 5 (A9: same start as E0 and E3, ends later,
# so after them though its id sorts first), 0 (E5). The longest span is E2's,
# 11047 - 10957 = 90 days. The frame has no source type columns.

HAND = pd.DataFrame(
    {
        "event_id": ["E5", "E2", "E3", "E1", "E0", "A9"],
        "date_start": pd.to_datetime(
            ["2000-02-15", "2000-01-01", "2000-01-10", "1999-12-31", "2000-01-10"]
            + ["2000-01-10"]
        ),
        "date_end": pd.to_datetime(
            ["2000-02-15", "2000-03-31", "2000-01-10", "2000-01-01", "2000-01-10"]
            + ["2000-01-12"]
        ),
        "layer": ["context", "base", "attack", "attack", "attack", "attack"],
        "event_type": ["meeting", "camp", "bombing", "raid", "bombing", "raid"],
        "actors": ["", "IMU", "IMU;Taliban", " Taliban ", "IMU", "IMU Taliban"],
        "country": ["TJ", "AF|TJ", "UZ", "KG", "UZ", "UZTJ"],
        "attribution": ["", "claimed", "claimed", "suspected", "attributed", ""],
        "title": ["", "", "Tashkent blast", "", "Bukhara", ""],
        "description": ["", "", "", "", "market", "a.b"],
        "source_quote": ["", "", "", "", "", ""],
        "place_name": ["Straße", "", "", "", "", ""],
        "target": ["", "", "", "", "", ""],
        "notes": ["", "", "", "axb", "", ""],
    }
)


# Built for each test (it is small): a mutation run attributes a fixture's work
# to the tests that use it, and a module-wide one only to the first.
@pytest.fixture
def hand():
    return build_index(HAND)


def test_the_index_holds_the_date_order_days_and_longest_span(hand):
    assert list(hand.order) == [3, 1, 4, 2, 5, 0]
    assert list(hand.start) == [10956, 10957, 10966, 10966, 10966, 11002]
    assert list(hand.end) == [10957, 11047, 10966, 10966, 10968, 11002]
    assert hand.start.dtype.kind == hand.end.dtype.kind == "i"
    assert hand.longest == 90
    assert len(hand) == 6
    assert hand.events is HAND


def test_the_index_codes_each_facet_column(hand):
    # Distinct values sorted; each row's code points at its own value.
    assert hand.layer.values == ("attack", "base", "context")
    assert list(hand.layer.codes) == [2, 1, 0, 0, 0, 0]
    assert set(hand.facets) == {
        "layers",
        "types",
        "actors",
        "countries",
        "attribution",
        "source_types",
    }
    (types,) = hand.facets["types"]
    assert types.values == ("bombing", "camp", "meeting", "raid")
    assert list(types.codes) == [2, 1, 0, 3, 0, 3]
    # A column the events lack is empty text throughout.
    assert [(c.values, list(c.codes)) for c in hand.facets["source_types"]] == [
        (("",), [0] * 6),
        (("",), [0] * 6),
    ]


def test_an_empty_frame_makes_an_empty_index():
    index = build_index(HAND.iloc[:0])
    assert len(index) == 0
    assert index.longest == 0
    assert list(facet_rows(index, FilterSpec(date(2000, 1, 1), date(2000, 1, 1)))) == []
    assert list(select(index, FilterSpec(date(2000, 1, 1), date(2000, 1, 1)))) == []


D = date


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # Overlapping 10 Jan 2000: E2 began 9 days before (within the longest span).
        (FilterSpec(D(2000, 1, 10), D(2000, 1, 10)), [1, 4, 2, 5]),
        # E1 ends on the window's first day: it overlaps.
        (FilterSpec(D(2000, 1, 1), D(2000, 1, 9)), [3, 1]),
        # E1 begins on the window's last day: it overlaps.
        (FilterSpec(D(1999, 12, 1), D(1999, 12, 31)), [3]),
        # E2 began exactly the longest span (90 days) before the window.
        (FilterSpec(D(2000, 3, 31), D(2000, 3, 31)), [1]),
        (FilterSpec(D(2000, 3, 1), D(2000, 3, 30)), [1]),
        (FilterSpec(D(2000, 4, 1), D(2000, 12, 31)), []),
        (FilterSpec(D(1990, 1, 1), D(1999, 12, 30)), []),
        # Cumulative: everything begun by the end, however long ago it ended.
        (FilterSpec(D(2000, 2, 1), D(2000, 2, 14), mode="cumulative"), [3, 1, 4, 2, 5]),
        (
            FilterSpec(D(2000, 2, 1), D(2000, 2, 15), mode="cumulative"),
            [3, 1, 4, 2, 5, 0],
        ),
    ],
)
def test_the_time_window_by_hand(hand, spec, expected):
    assert list(select(hand, spec)) == expected


WHOLE = (D(1999, 1, 1), D(2000, 12, 31))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, [3, 1, 4, 2, 5, 0]),
        ({"layers": ("attack",)}, [3, 4, 2, 5]),
        ({"layers": ("base", "context")}, [1, 0]),
        ({"layers": ()}, []),
        ({"event_types": ("bombing",)}, [4, 2]),
        ({"event_types": ("camp", "meeting")}, [1, 0]),
        # Items split on ";" and trimmed; "IMU Taliban" is one item.
        ({"actors": ("Taliban",)}, [3, 2]),
        ({"actors": ("IMU",)}, [1, 4, 2]),
        # Items split on "|"; "UZTJ" is one item.
        ({"countries": ("TJ",)}, [1, 0]),
        ({"countries": ("AF", "KG")}, [3, 1]),
        ({"attributions": ("claimed",)}, [1, 2]),
        # Source types: the events lack the columns, so nothing matches.
        ({"source_types": ("raid",)}, []),
        # Facets combine with "and".
        ({"layers": ("attack",), "actors": ("IMU",)}, [4, 2]),
        ({"event_types": ("raid",), "countries": ("KG",)}, [3]),
    ],
)
def test_the_facets_by_hand(hand, fields, expected):
    assert list(select(hand, FilterSpec(*WHOLE, **fields))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [3, 1, 4, 2, 5, 0]),
        ("   ", [3, 1, 4, 2, 5, 0]),
        # Trimmed, and any case.
        ("  TASHKENT  ", [2]),
        # The columns are joined with a space: the title, then the description.
        ("bukhara market", [4]),
        ("bukharamarket", []),
        # The event id is searched too (the last column).
        ("a9", [5]),
        # Literal text, not a pattern: "a.b" is not "axb".
        ("a.b", [5]),
        # Full case folding: "Straße" and "STRASSE" are the same words.
        ("STRASSE", [0]),
        ("straße", [0]),
        ("nowhere", []),
    ],
)
def test_the_search_by_hand(hand, text, expected):
    assert list(select(hand, FilterSpec(*WHOLE, text=text))) == expected


def test_the_search_after_nothing_is_left(hand):
    spec = FilterSpec(D(2030, 1, 1), D(2030, 1, 31), text="tashkent")
    assert list(select(hand, spec)) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # Every event of the facets, at any time: the whole span, cumulative.
        ({}, [3, 1, 4, 2, 5, 0]),
        ({"layers": ("context",)}, [0]),
        ({"layers": ("attack",)}, [3, 4, 2, 5]),
        ({"actors": ("Taliban",)}, [3, 2]),
    ],
)
def test_facet_rows_by_hand(hand, fields, expected):
    spec = FilterSpec(D(2000, 1, 10), D(2000, 1, 10), **fields)
    assert list(facet_rows(hand, spec)) == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([3, 1], {"attack": 1, "base": 1, "context": 0}),
        ([0, 2, 3, 4, 5], {"attack": 4, "base": 0, "context": 1}),
        ([], {"attack": 0, "base": 0, "context": 0}),
    ],
)
def test_layer_counts_by_hand(hand, rows, expected):
    counts = layer_counts(hand, np.array(rows, dtype=int))
    assert counts == expected
    assert all(type(n) is int for n in counts.values())


def test_a_facet_column_with_no_value_matches_nothing():
    # Every cell missing: read as empty text, as the loaders make a missing
    # cell, which no choice names.
    events = HAND.assign(attribution=None)
    index = build_index(events)
    assert index.facets["attribution"][0].values == ("",)
    assert list(select(index, FilterSpec(*WHOLE, attributions=("claimed",)))) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # Either column of the source types: its type or its sub-type.
        ({"source_types": ("Raid",)}, [3, 5]),
        ({"source_types": ("Ambush",)}, [4]),
        ({"source_types": ("Ambush", "Camp")}, [1, 4]),
    ],
)
def test_a_facet_of_two_columns_matches_either(fields, expected):
    events = HAND.assign(
        source_event_type=["", "Camp", "", "Raid", "Attack", "Raid"],
        source_sub_event_type=["", "", "", "", "Ambush", "Night raid"],
    )
    assert list(select(build_index(events), FilterSpec(*WHOLE, **fields))) == expected


def test_facet_rows_of_one_event():
    index = build_index(HAND.iloc[[2]])
    assert list(facet_rows(index, FilterSpec(*WHOLE))) == [0]
    assert list(facet_rows(index, FilterSpec(*WHOLE, layers=("base",)))) == []


def test_facet_rows_keep_an_event_whatever_its_dates():
    # The earliest event ends before it begins (a mistake in the data): every
    # filter but time still keeps it.
    events = HAND.assign(
        date_end=HAND["date_end"].where(
            HAND["event_id"] != "E1", pd.Timestamp("1999-12-01")
        )
    )
    assert list(facet_rows(build_index(events), FilterSpec(*WHOLE))) == [
        3,
        1,
        4,
        2,
        5,
        0,
    ]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Days before 1970 count down from it: 31 Dec 1969 is day -1.
        (D(1969, 12, 31), D(1969, 12, 31), [1]),
        (D(1969, 12, 30), D(1969, 12, 30), [0]),
        (D(1970, 1, 1), D(1970, 1, 1), [2]),
        (D(1969, 12, 30), D(1970, 1, 1), [0, 1, 2]),
    ],
)
def test_days_before_and_after_1970(start, end, expected):
    events = HAND.iloc[:3].assign(
        date_start=pd.to_datetime(["1969-12-30", "1969-12-31", "1970-01-01"]),
        date_end=pd.to_datetime(["1969-12-30", "1969-12-31", "1970-01-01"]),
    )
    index = build_index(events)
    assert list(index.start) == [-2, -1, 0]
    assert list(select(index, FilterSpec(start, end))) == expected


def test_a_missing_facet_value_matches_nothing_chosen():
    # E1 is the one "suspected" event; A9's attribution is missing, which is no
    # choice's value (as the loaders' empty text is not), even though
    # "suspected" is the last value in sorted order.
    events = HAND.assign(attribution=["", "claimed", "claimed", "suspected", "", None])
    index = build_index(events)
    spec = FilterSpec(*WHOLE, attributions=("suspected",))
    assert list(select(index, spec)) == [3]
