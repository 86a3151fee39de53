"""The column-wise event check agrees with the row-by-row one, problem for problem.

The fast path (``check_event_frame``) clears rows in bulk and sends every other row
through the row checker. These tests feed both paths the same text and require the
same problems in the same order, so a rule the column test forgets or loosens
shows up as a difference.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from imu_geo.data import BUNDLED_DATA_DIR
from imu_geo.schema import EVENT_COLUMNS
from imu_geo.synthetic import synthetic_events, synthetic_places
from imu_geo.validate import check_event_frame, check_event_rows, validate_directory

from .helpers import event_row as _event
from .helpers import write_dataset

PLACE_IDS = {"tashkent", "andijan"}

# Each override alone breaks (or, for the last few, keeps) exactly one rule.
OVERRIDES = [
    {},
    {"date_start": "1999"},
    {"date_start": "1999-02-30"},
    {"date_start": "16/02/1999"},
    {"date_start": "0999-01-01", "date_end": "0999-12-31"},
    {"date_start": "2000-01-01", "date_precision": "range"},
    {"date_precision": "month"},
    {"date_precision": "season"},
    {"date_start": "1999-03-01", "date_end": "1999-05-31", "date_precision": "season"},
    {"date_start": "1999-03-01", "date_end": "1999-06-30", "date_precision": "season"},
    {"date_start": "1999-02-01", "date_end": "1999-02-28", "date_precision": "month"},
    {"date_start": "2000-02-01", "date_end": "2000-02-28", "date_precision": "month"},
    {"date_start": "1999-02-16", "date_end": "1999-02-16", "date_precision": "day"},
    {"date_start": "1999-02-16", "date_end": "1999-02-17", "date_precision": "day"},
    {"date_start": "1999-01-02", "date_precision": "year"},
    {"date_end": "2000-12-31", "date_precision": "year"},
    {"date_precision": "decade"},
    {"date_precision": ""},
    {"layer": "raid"},
    {"event_type": "group_base"},
    {"layer": "context", "event_type": "designation"},
    {
        "layer": "context",
        "event_type": "designation",
        "place_id": "",
        "geo_precision": "",
        "place_origin": "",
    },
    {"geo_precision": "city"},
    {"geo_precision": ""},
    {"place_origin": ""},
    {"place_id": "", "geo_precision": "", "place_origin": ""},
    {"place_id": "", "place_origin": ""},
    {"place_id": "samarkand"},
    {"place_id": "andijan"},
    {"attribution": "rumoured"},
    {"source_quote": ""},
    {"source_quote": "   "},
    {"title": " "},
    {"fatalities_best": "about 16"},
    {"fatalities_low": "-1"},
    {"fatalities_low": "20"},
    {"fatalities_low": "", "fatalities_best": "", "fatalities_high": ""},
    {"fatalities_best": "", "fatalities_low": "20", "fatalities_high": "3"},
    {"fatalities_best": "", "fatalities_low": "2", "fatalities_high": "3"},
    {"fatalities_low": "016"},
    {"fatalities_high": "1.5"},
    {"event_id": "Tashkent 1999"},
    {"event_id": ""},
    {"date_start": "1999-01-01 "},
    {"date_start": "", "date_end": ""},
]


def _rows(overrides_list):
    rows = []
    for number, overrides in enumerate(overrides_list):
        row = _event(event_id=f"e{number}", **{})
        row.update(overrides)
        rows.append(row)
    return rows


def _both(rows):
    header = list(EVENT_COLUMNS)
    text = [[row[c] for c in header] for row in rows]
    by_row = [str(p) for p in check_event_rows(header, text, place_ids=PLACE_IDS)]
    frame = pd.DataFrame(text, columns=header, dtype=str)
    by_frame = [str(p) for p in check_event_frame(frame, place_ids=PLACE_IDS)]
    return by_row, by_frame


def test_every_single_fault_is_found_the_same_way():
    by_row, by_frame = _both(_rows(OVERRIDES))
    assert by_frame == by_row
    assert len(by_row) > 35  # the corpus really is mostly faults


def test_two_faults_in_one_row_are_found_the_same_way():
    pairs = [a | b for a, b in itertools.combinations(OVERRIDES[1:20], 2)]
    by_row, by_frame = _both(_rows(pairs))
    assert by_frame == by_row


@pytest.mark.parametrize("where", [(0, 1), (0, 5), (3, 4, 7)])
def test_duplicate_ids_name_the_first_row_whatever_else_is_wrong(where):
    rows = _rows(OVERRIDES[:8])
    for index in where:
        rows[index]["event_id"] = "same"
    rows[where[0]]["layer"] = "raid"  # the first occurrence is itself faulty
    by_row, by_frame = _both(rows)
    assert by_frame == by_row
    assert any("is a duplicate of row" in p for p in by_frame)


def test_random_damage_to_a_synthetic_table_is_found_the_same_way():
    places = synthetic_places(BUNDLED_DATA_DIR, seed=3)
    events = synthetic_events(places, 3000, seed=3)
    rng = np.random.default_rng(7)
    header = list(EVENT_COLUMNS)
    junk = ["", " ", "x", "1999", "2001-13-01", "-3", "base", "year", "Ab c"]
    for _ in range(300):
        row, column = rng.integers(len(events)), rng.choice(header)
        events.iat[row, header.index(column)] = rng.choice(junk)
    ids = set(places["place_id"])
    text = events.to_numpy().tolist()
    by_row = [str(p) for p in check_event_rows(header, text, place_ids=ids)]
    by_frame = [str(p) for p in check_event_frame(events, place_ids=ids)]
    assert by_frame == by_row
    assert len(by_row) >= 200


def test_a_directory_with_short_rows_falls_back_to_the_row_reader(tmp_path):
    folder = write_dataset(tmp_path)
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("only,three,fields\n")
    assert [str(p) for p in validate_directory(folder).problems] == [
        "events.csv, row 3: has 3 fields where the header has 21"
    ]


def test_a_blank_line_is_reported_as_by_the_row_reader(tmp_path):
    folder = write_dataset(tmp_path)
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert [str(p) for p in validate_directory(folder).problems] == [
        "events.csv, row 3: has 0 fields where the header has 21"
    ]


def test_a_stray_quote_is_refused_as_by_the_row_reader(tmp_path):
    folder = write_dataset(tmp_path)
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write('"abc"d' + "," * 20 + "\n")
    (problem,) = validate_directory(folder).problems
    assert str(problem).startswith("events.csv: is not valid CSV")


@pytest.mark.parametrize(
    "tail",
    [
        '"x,"y' + "," * 20 + "\n",  # a quote closing a field, then text
        '"multi\n"z' + "," * 20 + "\n",  # the same after a line break in a field
        "\r\r",  # a blank line with CR line ends
    ],
)
def test_quoting_and_blank_lines_the_fast_reader_would_miss(tmp_path, tail):
    folder = write_dataset(tmp_path)
    with (folder / "events.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(tail)
    header = (folder / "events.csv").read_bytes().split(b"\n")[0].decode()
    from imu_geo.validate import read_events_frame

    assert read_events_frame(folder / "events.csv") is None, header
    assert validate_directory(folder).problems  # the row reader names the fault


def test_counts_too_long_for_floats_are_compared_exactly():
    rows = _rows(
        [
            {
                "fatalities_low": "9007199254740993",
                "fatalities_best": "9007199254740992",
                "fatalities_high": "9007199254740992",
            },
            {"fatalities_low": "", "fatalities_best": "", "fatalities_high": ""},
            {"fatalities_low": "1" * 21, "fatalities_best": "1" * 20 + "0"},
        ]
    )
    by_row, by_frame = _both(rows)
    assert by_frame == by_row
    assert sum("low <= best <= high" in p for p in by_row) == 2
