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

from imu_geo import rules
from imu_geo.dates import precision_problem
from imu_geo.rules import (
    RULES,
    RULES_BY_ID,
    Rows,
    _each_value,
    _not_matching,
    broken,
    degrees_problem,
    per_unique,
    read_full_date,
    text_numbers,
)
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
        # No best count: the low one is held to the high one.
        [{"fatalities_low": "17", "fatalities_best": "", "fatalities_high": "15"}],
        [(2, "fatalities_best", "fatalities must satisfy low <= best <= high")],
        [{"fatalities_low": "15", "fatalities_best": "", "fatalities_high": "17"}],
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


def _rule_problems(
    rule_id: str, changes: list[dict[str, str]], dtype: str = "str"
) -> list[tuple]:
    header, rows = _table(changes)
    checked = Rows(pd.DataFrame(rows, columns=header, dtype=dtype), None, PLACE_IDS)
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


# --- the rules over other text dtypes, and the column tests' parts -------------------

# A frame of text may come as any of pandas' text dtypes; the rules read each alike.
TEXT_DTYPES = ("string", "string[pyarrow]", "object")


@pytest.mark.parametrize("dtype", TEXT_DTYPES)
@pytest.mark.parametrize(
    ("rule_id", "changes", "expected"),
    [case[:3] for case in CASES],
    ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)],
)
def test_each_rule_finds_the_same_rows_whatever_the_text_dtype(
    rule_id, changes, expected, dtype
):
    assert _rule_problems(rule_id, changes, dtype) == expected


# A date column, and (by hand) the day each cell gives at once, whether it is read
# at once (a plain ISO day of a year 1000-2999), and why a cell is not a full day.
_DATE_CELLS = [
    (
        "02/16/1999",
        None,
        False,
        "'02/16/1999' is not an ISO date: write it as YYYY-MM-DD",
    ),
    ("1999-02-16", date(1999, 2, 16), True, ""),
    ("", None, False, ""),
    ("1000-01-01", date(1000, 1, 1), True, ""),
    ("2999-12-31", date(2999, 12, 31), True, ""),
    ("3000-01-01", None, False, "year 3000 is outside 1000-2999"),
    ("0999-12-31", None, False, "year 0999 is outside 1000-2999"),
    ("1999-2-16", None, False, "'1999-2-16' is not a full ISO date YYYY-MM-DD"),
    (" 1999-02-16", None, False, "' 1999-02-16' is not a full ISO date YYYY-MM-DD"),
    (
        "1999-02-30",
        None,
        False,
        "day 30 does not exist in February 1999 (it has 28 days)",
    ),
]


@pytest.mark.parametrize("dtype", ("str", *TEXT_DTYPES))
def test_a_date_column_is_read_at_once_where_its_cells_are_plain_iso_days(
    dtype, monkeypatch
):
    calls = _counting(monkeypatch, "read_full_date")
    cells = [cell[0] for cell in _DATE_CELLS]
    # Rows that are not numbered from 0 (a part of a larger frame).
    frame = pd.DataFrame(
        {"date_end": cells}, index=range(10, 10 + len(cells)), dtype=dtype
    )
    days, fast, reasons = Rows(frame).dates("date_end")
    assert [None if pd.isna(d) else d.date() for d in days] == [
        cell[1] for cell in _DATE_CELLS
    ]
    assert fast.tolist() == [cell[2] for cell in _DATE_CELLS]
    assert list(reasons) == [cell[3] for cell in _DATE_CELLS]
    # The parser reads only the cells not read at once, and no empty cell.
    assert calls == [(cell[0],) for cell in _DATE_CELLS if cell[0] and not cell[2]]


def _counting(monkeypatch, name: str) -> list[tuple]:
    """Record each call of the rules' helper ``name`` (and still make it)."""
    calls: list[tuple] = []
    original = getattr(rules, name)

    def counted(*arguments):
        calls.append(arguments)
        return original(*arguments)

    monkeypatch.setattr(rules, name, counted)
    return calls


_PER_VALUE = ("read_full_date", "precision_problem", "degrees_problem", "_out_of_order")


def test_valid_rows_take_no_python_call_per_row(monkeypatch):
    calls = {name: _counting(monkeypatch, name) for name in _PER_VALUE}
    point = {**POINT, "place_name": "Tashkent", "country": "UZ", "source_row": "7"}
    # A coordinate at its limit is in range.
    edge = {"lat": "-90", "lon": "180"}
    header, rows = _table(
        [{}, point, {"fatalities_high": "20"}, {**CONTEXT, **NO_PLACE}, edge]
    )
    checked = Rows(pd.DataFrame(rows, columns=header, dtype="str"), None, PLACE_IDS)
    assert list(broken(checked)) == []
    assert {name: len(made) for name, made in calls.items()} == dict.fromkeys(
        _PER_VALUE, 0
    )


def test_a_value_the_columns_cannot_clear_is_judged_once(monkeypatch):
    calls = {name: _counting(monkeypatch, name) for name in _PER_VALUE}
    # Three rows alike in each doubtful value, beside one valid row.
    doubtful = {
        "date_start": "1999-02-01",
        "date_end": "1999-02-28",
        "date_precision": "year",
        "lat": "91",
        "lon": "69.28",
        "fatalities_low": "0" * 16,
        "fatalities_best": "1",
        "fatalities_high": "",
    }
    header, rows = _table([doubtful, {}, doubtful, doubtful])
    checked = Rows(pd.DataFrame(rows, columns=header, dtype="str"))
    for rule_id, column, failing in [
        ("date-precision", "date_precision", [True, False, True, True]),
        ("coordinates", "lat", [True, False, True, True]),
        ("fatality-order", "fatalities_best", [False, False, False, False]),
    ]:
        assert RULES_BY_ID[rule_id].failing(checked, column).tolist() == failing
    assert calls["read_full_date"] == [("1999-02-01",), ("1999-02-28",)]
    assert calls["precision_problem"] == [(date(1999, 2, 1), date(1999, 2, 28), "year")]
    assert calls["degrees_problem"] == [("91", "lat")]
    assert calls["_out_of_order"] == [("0" * 16, "1", "")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (None, "")),
        ("1999-02-16", (date(1999, 2, 16), "")),
        # Read as a day, but not written as ISO.
        ("1999-2-16", (None, "'1999-2-16' is not a full ISO date YYYY-MM-DD")),
        ("0999-12-31", (None, "year 0999 is outside 1000-2999")),
    ],
)
def test_a_date_cell_is_a_full_iso_day_or_says_why_not(text, expected):
    assert read_full_date(text) == expected


@pytest.mark.parametrize(
    ("value", "column", "expected"),
    [
        ("90", "lat", ""),
        ("-90.0", "lat", ""),
        ("-180", "lon", ""),
        ("90.5", "lat", "'90.5' is out of range (latitude runs -90 to 90)"),
        ("181", "lon", "'181' is out of range (longitude runs -180 to 180)"),
    ],
)
def test_a_coordinate_is_in_range_up_to_its_limit(value, column, expected):
    assert degrees_problem(value, column) == expected


@pytest.mark.parametrize("dtype", ("str", *TEXT_DTYPES))
def test_the_column_tests_made_from_a_pattern_and_a_saying(dtype):
    rows = Rows(pd.DataFrame({"code": ["ab", "", "a1", "b"]}, dtype=dtype))
    assert _not_matching(re.compile("[a-z]+"))(rows, "code").tolist() == [
        False,
        False,
        True,
        False,
    ]
    say = _each_value(lambda v: f"<{v}>")
    assert say(rows, "code", np.array([0, 2])) == ["<ab>", "<a1>"]
    assert say(rows, "code", np.array([], dtype=np.int64)) == []


def test_a_row_has_a_point_with_either_coordinate():
    frame = pd.DataFrame(
        {
            "place_name": ["A", "B", "C", "D"],
            "lat": ["41.3", "", "", "41.3"],
            "lon": ["", "69.2", "", "69.2"],
        },
        dtype="str",
    )
    failing = RULES_BY_ID["point-details"].failing(Rows(frame), "place_name")
    assert failing.tolist() == [False, False, True, False]


def test_with_no_places_known_no_place_is_unknown():
    frame = pd.DataFrame({"place_id": ["tashkent", "nowhere"]}, dtype="str")
    failing = RULES_BY_ID["known-place"].failing(Rows(frame), "place_id")
    assert failing.dtype == np.bool_
    assert failing.tolist() == [False, False]


def test_broken_keeps_the_rules_of_the_stage_asked_for():
    # Row 2 has no title (a row rule), no place (a place rule) and an id repeated
    # from row 2 in row 3 (a rule of no stage).
    header, rows = _table([{"title": "", **NO_PLACE}, {}])
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    frame["event_id"] = "same"
    checked = Rows(frame, None, PLACE_IDS)

    def found(stage):
        return [(r.id, c, at.tolist(), m) for r, c, at, m in broken(checked, stage)]

    required = ("required", "title", [0], ["is empty"])
    place = ("needs-place", "place_id", [0], ["is empty, but an attack needs a place"])
    repeated = ("unique-id", "event_id", [1], ["'same' is a duplicate of row 2"])
    assert found("row") == [required]
    assert found("place") == [place]
    assert found("") == [repeated]
    assert found(None) == [required, repeated, place]


# A row that fits each precision, and one that does not (by hand): the columns
# clear every fitting row without a call to the date parser's check.
_PRECISION_ROWS = [
    ("1999-02-16", "1999-02-16", "day", False),
    ("1999-01-05", "1999-01-31", "day", True),
    ("1999-02-01", "1999-02-28", "month", False),
    ("2000-02-01", "2000-02-29", "month", False),
    ("1999-02-01", "1999-03-31", "month", True),
    ("1999-02-02", "1999-02-28", "month", True),
    ("1999-02-01", "1999-02-27", "month", True),
    ("1999-01-01", "1999-12-31", "year", False),
    ("1999-01-01", "2000-12-31", "year", True),
    ("1999-02-01", "1999-12-31", "year", True),
    ("1999-01-01", "1999-11-30", "year", True),
    ("1999-03-01", "1999-05-31", "season", False),
    ("1999-12-01", "2000-02-29", "season", False),
    ("1999-12-01", "2000-03-31", "season", True),
    ("1999-03-01", "1999-04-30", "season", True),
    ("1999-03-01", "1999-05-30", "season", True),
    ("1999-02-16", "1999-03-20", "range", False),
    ("1999-02-16", "1999-02-16", "approximate", False),
    ("1999-02-16", "1999-02-15", "approximate", True),
]


@pytest.mark.parametrize(("start", "end", "precision", "misfit"), _PRECISION_ROWS)
def test_a_row_fitting_its_precision_is_cleared_by_the_columns(
    start, end, precision, misfit, monkeypatch
):
    calls = _counting(monkeypatch, "precision_problem")
    frame = pd.DataFrame(
        {"date_start": [start], "date_end": [end], "date_precision": [precision]},
        dtype="str",
    )
    checked = Rows(frame)
    found = RULES_BY_ID["date-precision"].failing(checked, "date_precision")
    found |= RULES_BY_ID["date-order"].failing(checked, "date_end")
    assert found.tolist() == [misfit]
    assert len(calls) == int(misfit)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # Read by Arrow in one pass, an empty or missing cell as NaN.
        (["1.5", "", "-7", None], [1.5, None, -7.0, None]),
        # Text Arrow does not take as a number is left to pandas.
        (["1.5", "", "x"], [1.5, None, None]),
    ],
)
@pytest.mark.parametrize("dtype", ("str", *TEXT_DTYPES))
def test_number_text_is_read_as_floats_with_nan_where_there_is_none(
    cells, expected, dtype
):
    numbers = text_numbers(pd.Series(cells, dtype=dtype))
    assert [None if np.isnan(n) else float(n) for n in numbers] == expected


def test_number_text_in_pieces_is_read_whole():
    # Two frames' columns put end to end keep Arrow's two pieces.
    pieces = [pd.Series(["1", ""], dtype="str"), pd.Series(["2.5"], dtype="str")]
    numbers = text_numbers(pd.concat(pieces, ignore_index=True))
    assert [None if np.isnan(n) else float(n) for n in numbers] == [1.0, None, 2.5]


def test_a_function_is_applied_once_per_distinct_tuple_of_any_sequence():
    calls = []

    def joined(a, b):
        calls.append((a, b))
        return (a + b, len(calls))

    spread = per_unique(joined, ["x", "y", "x", "x"], np.array(["1", "2", "1", "3"]))
    assert [list(column) for column in spread] == [
        ["x1", "y2", "x1", "x3"],
        [1, 2, 1, 3],
    ]
    assert calls == [("x", "1"), ("y", "2"), ("x", "3")]
    assert per_unique(joined, []) == []


def test_a_column_the_rows_lack_reads_as_empty_and_rows_are_counted_from_2():
    rows = Rows(pd.DataFrame({"a": ["x", "y", "z"]}, index=[5, 7, 9], dtype="str"))
    absent = rows.column("absent")
    assert absent.tolist() == ["", "", ""]
    assert absent.index.tolist() == [5, 7, 9]
    assert rows.given("absent").tolist() == [False, False, False]
    assert rows.numbers.tolist() == [2, 3, 4]


@pytest.mark.parametrize("dtype", ["str", object])
def test_per_unique_gives_a_missing_value_its_own_result(dtype):
    # Worked by hand: each row's own value, "missing" where there is none.
    column = pd.Series(["a", None, "b", "a", None], dtype=dtype)
    (result,) = per_unique(lambda v: ("missing" if pd.isna(v) else v,), column)
    assert list(result) == ["a", "missing", "b", "a", "missing"]
