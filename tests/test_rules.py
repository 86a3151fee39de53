"""The rules of ``events.csv``, one table-driven case (or more) per rule.

Each case is a valid row changed so that it breaks one rule, with the message
written out by hand, and a change that keeps the row valid. The validator must
report exactly that message for the row, and nothing for the valid row.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imu_geo.dates import precision_problem
from imu_geo.rules import RULES, RULES_BY_ID, Rows, degrees_problem
from imu_geo.schema import EVENT_COLUMNS, EVENT_VOCABULARIES, FATALITY_COLUMNS
from imu_geo.validate import EVENTS_FILE, Problem, check_event_rows

PLACE_IDS = {"tashkent"}

# A valid attack, written out by hand.
VALID = {
    "event_id": "1999-02-16-tashkent-bombings",
    "date_start": "1999-02-16",
    "date_end": "1999-02-16",
    "date_precision": "day",
    "date_origin": "source",
    "layer": "attack",
    "event_type": "bombing",
    "place_id": "tashkent",
    "geo_precision": "exact",
    "place_origin": "source",
    "actors": "IMU",
    "target": "government buildings",
    "fatalities_low": "13",
    "fatalities_best": "16",
    "fatalities_high": "",
    "attribution": "attributed",
    "title": "Tashkent bombings",
    "description": "Car bombs went off in Tashkent.",
    "source_quote": "car bombs",
    "source": "A source.",
    "notes": "",
}
OPTIONAL = ("source_row", "lat", "lon", "place_name", "country")
POINT = {"lat": "41.3", "lon": "69.28"}
CONTEXT = {"layer": "context", "event_type": "founding"}
NO_PLACE = {"place_id": "", "geo_precision": "", "place_origin": ""}

# (rule, changes of the rows, the expected (row, column, message), changes that
# keep the rows valid). A change is one dict per row (rows 2, 3, ...).
CASES = [
    ("required", [{"title": "  "}], [(2, "title", "is empty")], [{"title": "x"}]),
    (
        "slug",
        [{"event_id": "Bad Id"}],
        [
            (
                2,
                "event_id",
                "'Bad Id' is not a slug (lower-case letters, digits, - and _)",
            )
        ],
        [{"event_id": "bad-id"}],
    ),
    (
        "unique-id",
        [{}, {"event_id": "other"}, {"event_id": VALID["event_id"]}],
        [
            (
                4,
                "event_id",
                "'1999-02-16-tashkent-bombings' is a duplicate of row 2",
            )
        ],
        [{}, {"event_id": "other"}, {"event_id": "third"}],
    ),
    (
        "vocabulary",
        [{"attribution": "rumoured"}],
        [(2, "attribution", "'rumoured' is not one of claimed, attributed, suspected")],
        [{"attribution": "claimed"}],
    ),
    (
        "event-type",
        [{"event_type": "founding"}],
        [
            (
                2,
                "event_type",
                "'founding' is not an attack type (bombing, suicide_bombing, "
                "hostage_taking, hijacking, armed_assault, armed_incursion, "
                "foiled_plot)",
            )
        ],
        [{"event_type": "hijacking"}],
    ),
    (
        "full-date",
        [{"date_start": "1999-02"}],
        [(2, "date_start", "'1999-02' is not a full ISO date YYYY-MM-DD")],
        [{"date_start": "1999-02-16"}],
    ),
    (
        "date-order",
        [{"date_end": "1999-02-15"}],
        [(2, "date_end", "date_end 1999-02-15 is before date_start 1999-02-16")],
        [{"date_start": "1999-02-15", "date_end": "1999-02-15"}],
    ),
    (
        "date-order",
        # A year beyond what nanosecond timestamps hold.
        [{"date_start": "2999-02-16", "date_end": "2999-02-15"}],
        [(2, "date_end", "date_end 2999-02-15 is before date_start 2999-02-16")],
        [{"date_start": "2999-02-16", "date_end": "2999-02-16"}],
    ),
    (
        "date-precision",
        [{"date_precision": "month"}],
        [
            (
                2,
                "date_precision",
                "a month-precision event must span exactly one calendar month",
            )
        ],
        [
            {
                "date_precision": "month",
                "date_start": "1999-02-01",
                "date_end": "1999-02-28",
            }
        ],
    ),
    (
        "point-details",
        [{"place_name": "Tashkent", "country": "UZ"}],
        [
            (2, "place_name", "is given, but the row has no point (lat, lon)"),
            (2, "country", "is given, but the row has no point (lat, lon)"),
        ],
        [{"place_name": "Tashkent", "country": "UZ", **POINT}],
    ),
    (
        "coordinates",
        [{"lat": "91", "lon": "69.28"}],
        [(2, "lat", "'91' is out of range (latitude runs -90 to 90)")],
        [{"lat": "-90", "lon": "180"}],
    ),
    (
        "coordinates",
        [{"lat": "41.3"}, {"lat": "nan", "lon": "1"}, {"lat": "4x", "lon": "1"}],
        [
            (2, "lon", "is empty, but lat is given"),
            (3, "lat", "'nan' is not a finite number"),
            (4, "lat", "'4x' is not a decimal number of degrees"),
        ],
        [POINT, {"lat": ".5", "lon": "+1."}],
    ),
    (
        "country-code",
        [{"country": "Uzbekistan", **POINT}],
        [(2, "country", "'Uzbekistan' is not ISO 3166-1 alpha-2 (e.g. UZ)")],
        [{"country": "UZ|TJ", **POINT}],
    ),
    (
        "needs-place",
        [NO_PLACE, {"layer": "base", "event_type": "group_base", **NO_PLACE}],
        [
            (2, "place_id", "is empty, but an attack needs a place"),
            (3, "place_id", "is empty, but a base needs a place"),
        ],
        [
            {**CONTEXT, **NO_PLACE},
            {**NO_PLACE, **POINT, "geo_precision": "exact", "place_origin": "source"},
        ],
    ),
    (
        "known-place",
        [{"place_id": "samarkand"}],
        [(2, "place_id", "'samarkand' is not a place in places.geojson")],
        [{"place_id": "tashkent"}],
    ),
    (
        "place-details",
        [
            {"geo_precision": "", "place_origin": ""},
            {**CONTEXT, **NO_PLACE, "geo_precision": "exact"},
            {**NO_PLACE, **POINT, "place_origin": "source"},
        ],
        [
            (2, "geo_precision", "is empty, but the row has a place"),
            (2, "place_origin", "is empty, but the row has a place"),
            (3, "geo_precision", "is given, but the row has no place"),
            (4, "geo_precision", "is empty, but the row has a place"),
        ],
        [{"geo_precision": "near"}, {**CONTEXT, **NO_PLACE}],
    ),
    (
        "source-row",
        [{"source_row": "0"}],
        [(2, "source_row", "'0' is not a row number (a whole number from 1)")],
        [{"source_row": "10"}],
    ),
    (
        "count",
        [{"fatalities_best": "3.0"}],
        [(2, "fatalities_best", "'3.0' is not a whole number of people (0 or more)")],
        [{"fatalities_best": "0", "fatalities_low": "0"}],
    ),
    (
        "fatality-order",
        [{"fatalities_low": "17"}, {"fatalities_low": "", "fatalities_high": "15"}],
        [
            (2, "fatalities_best", "fatalities must satisfy low <= best <= high"),
            (3, "fatalities_best", "fatalities must satisfy low <= best <= high"),
        ],
        [{"fatalities_low": "16", "fatalities_high": "16"}],
    ),
    (
        "fatality-order",
        # Too long for float64 to tell apart: compared as whole numbers.
        [
            {
                "fatalities_low": "10000000000000001",
                "fatalities_best": "10000000000000000",
            }
        ],
        [(2, "fatalities_best", "fatalities must satisfy low <= best <= high")],
        [
            {
                "fatalities_low": "10000000000000000",
                "fatalities_best": "10000000000000001",
            }
        ],
    ),
]


def _table(changes: list[dict[str, str]]) -> tuple[list[str], list[list[str]]]:
    header = [*EVENT_COLUMNS, *OPTIONAL]
    # Each row its own id, unless the case gives one.
    rows = [
        {
            **dict.fromkeys(header, ""),
            **VALID,
            "event_id": f"{VALID['event_id']}{'-' * bool(i)}{i or ''}",
            **change,
        }
        for i, change in enumerate(changes)
    ]
    return header, [[row[c] for c in header] for row in rows]


def _rule_problems(rule_id: str, changes: list[dict[str, str]]) -> list[tuple]:
    header, rows = _table(changes)
    checked = Rows(pd.DataFrame(rows, columns=header, dtype="str"), None, PLACE_IDS)
    rule = RULES_BY_ID[rule_id]
    found = []
    for column in rule.columns:
        at = np.flatnonzero(rule.failing(checked, column))
        messages = rule.messages(checked, column, at)
        found += [(int(p) + 2, column, m) for p, m in zip(at, messages, strict=True)]
    return sorted(found, key=lambda problem: problem[0])


def test_every_rule_has_a_case():
    assert {case[0] for case in CASES} == {rule.id for rule in RULES}


def test_the_valid_row_breaks_no_rule():
    header, rows = _table([{}])
    assert list(check_event_rows(header, rows, place_ids=PLACE_IDS)) == []


@pytest.mark.parametrize(
    ("rule_id", "changes", "expected", "fixed"),
    CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)],
)
def test_each_rule_finds_its_rows_with_its_message(rule_id, changes, expected, fixed):
    assert _rule_problems(rule_id, changes) == expected
    # The validator reports exactly these, and nothing else, for the rows.
    header, rows = _table(changes)
    assert list(check_event_rows(header, rows, place_ids=PLACE_IDS)) == [
        Problem(EVENTS_FILE, row, column, message) for row, column, message in expected
    ]


@pytest.mark.parametrize(
    ("rule_id", "fixed"),
    [(case[0], case[3]) for case in CASES],
    ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)],
)
def test_each_rule_passes_a_valid_row(rule_id, fixed):
    assert _rule_problems(rule_id, fixed) == []
    header, rows = _table(fixed)
    assert list(check_event_rows(header, rows, place_ids=PLACE_IDS)) == []


def test_rules_are_declared_once_each():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert {rule.stage for rule in RULES} <= {"row", "place", ""}


# The column tests clear most rows at once and leave the rest to Python; these
# check that the two readings agree, on text from outside.
_NUMBERISH = st.from_regex(
    r"[+-]?[0-9\u0663]{0,20}(\.[0-9]{0,3})?|nan|-inf|1e3| 5|", fullmatch=True
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_NUMBERISH, min_size=1, max_size=12))
def test_a_coordinate_fails_exactly_when_python_reads_no_degrees_in_it(values):
    frame = pd.DataFrame({"lat": values, "lon": ["1"] * len(values)}, dtype="str")
    failing = RULES_BY_ID["coordinates"].failing(Rows(frame), "lat")
    expected = [v == "" or degrees_problem(v, "lat") != "" for v in values]
    assert failing.tolist() == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_NUMBERISH, _NUMBERISH, _NUMBERISH), min_size=1, max_size=12))
def test_counts_are_out_of_order_exactly_when_python_integers_are(triples):
    frame = pd.DataFrame(triples, columns=list(FATALITY_COLUMNS), dtype="str")
    failing = RULES_BY_ID["fatality-order"].failing(Rows(frame), "fatalities_best")
    expected = []
    for triple in triples:
        given = [int(v) for v in triple if re.fullmatch(r"\d+", v)]
        expected.append(given != sorted(given))
    assert failing.tolist() == expected


_DAYS = st.dates(date(1000, 1, 1), date(2999, 12, 31))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(_DAYS, _DAYS, st.sampled_from(EVENT_VOCABULARIES["date_precision"])),
        min_size=1,
        max_size=12,
    )
)
def test_dates_misfit_their_precision_exactly_when_python_says_so(rows):
    frame = pd.DataFrame(
        [(s.isoformat(), e.isoformat(), p) for s, e, p in rows],
        columns=["date_start", "date_end", "date_precision"],
        dtype="str",
    )
    checked = Rows(frame)
    found = [
        (column, int(at))
        for column, rule in (
            ("date_end", "date-order"),
            ("date_precision", "date-precision"),
        )
        for at in np.flatnonzero(RULES_BY_ID[rule].failing(checked, column))
    ]
    expected = []
    for at, (start, end, precision) in enumerate(rows):
        reason = precision_problem(start, end, precision)
        if reason:
            expected.append(
                ("date_end" if "before" in reason else "date_precision", at)
            )
    assert sorted(found) == sorted(expected)
