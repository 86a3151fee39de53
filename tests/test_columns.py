"""Where each column of an imported file went (:func:`column_map`), and the kept
columns of the rows kept (:func:`kept_columns`).

The crosswalked columns expected are those ``tables/columns.csv`` lists for the
format; every other expectation is written out by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from imu_geo.importers.columns import _has_values, _labels, column_map, kept_columns


@pytest.mark.parametrize(
    ("names", "labels"),
    [
        ([], []),
        (["a", "b"], ["a", "b"]),
        (["", ""], ["column 1", "column 2"]),
        (["a", " ", "\t"], ["a", "column 2", "column 3"]),
        (["a", "", "column 2"], ["a", "column 2 (no name)", "column 2"]),
        (
            ["", "column 1", "column 1 (no name)"],
            ["column 1 (no name) (no name)", "column 1", "column 1 (no name)"],
        ),
    ],
)
def test_labels(names, labels):
    assert _labels(names) == labels


@pytest.mark.parametrize(
    ("values", "has"),
    [([], False), (["", "  "], False), (["", " x "], True), ([1, 2], True)],
)
def test_has_values(values, has):
    assert _has_values(pd.Series(values, dtype=object)) is has


FRAME = pd.DataFrame(
    [
        ["2020-01-01", "a", "", "x"],
        ["2020-01-02", "b", " ", ""],
    ],
    columns=["event_date", "notes_x", "", " "],
    dtype="str",
)


def test_column_map_says_what_became_of_each_column():
    columns = column_map("acled", FRAME)
    assert columns.to_dict("list") == {
        "column": ["event_date", "notes_x", "", " "],
        "what": [
            "crosswalked to date_start, date_end",
            "kept verbatim",
            "not kept: it has no name and no value",
            "kept verbatim as “column 4” (it has no name)",
        ],
    }
    assert all(str(dtype) == "str" for dtype in columns.dtypes)


@pytest.mark.parametrize(
    ("read", "what"),
    [
        (None, "crosswalked to date_start, date_end"),
        ({"event_date"}, "crosswalked to date_start, date_end"),
        (set(), "kept verbatim"),
        ({"notes_x"}, "kept verbatim"),
    ],
)
def test_a_column_is_crosswalked_only_when_the_import_read_it(read, what):
    assert column_map("acled", FRAME, read)["what"].iloc[0] == what


def test_a_format_without_a_crosswalk_keeps_every_named_column():
    columns = column_map("native", FRAME[["notes_x"]])
    assert columns.to_dict("list") == {"column": ["notes_x"], "what": ["kept verbatim"]}


def _kept(positions: list[int]) -> dict[str, list[str]]:
    table = kept_columns(FRAME, column_map("acled", FRAME), np.array(positions, int))
    assert table.index.equals(pd.RangeIndex(len(positions)))
    return {name: table[name].tolist() for name in table.columns}


@pytest.mark.parametrize(
    ("positions", "kept"),
    [
        ([0, 1], {"notes_x": ["a", "b"], "column 4": ["x", ""]}),
        ([1, 0], {"notes_x": ["b", "a"], "column 4": ["", "x"]}),
        ([1], {"notes_x": ["b"], "column 4": [""]}),
        ([0], {"notes_x": ["a"], "column 4": ["x"]}),
        ([], {"notes_x": [], "column 4": []}),
    ],
)
def test_kept_columns_of_the_rows_kept(positions, kept):
    assert _kept(positions) == kept


def test_kept_columns_when_nothing_is_kept():
    frame = FRAME[["event_date"]]
    table = kept_columns(frame, column_map("acled", frame), np.array([1]))
    assert list(table.columns) == []
    assert table.index.equals(pd.RangeIndex(1))


def test_kept_columns_are_numbered_from_0_whatever_the_frame_index():
    # The rows are numbered from 0 in the order of positions, whatever the
    # index of the frame they are taken from.
    frame = FRAME.set_axis([10, 11], axis="index")
    table = kept_columns(frame, column_map("acled", frame), np.array([0, 1]))
    assert table.index.equals(pd.RangeIndex(2))
    assert table["notes_x"].tolist() == ["a", "b"]


def test_the_column_map_of_a_file_without_columns_is_text():
    columns = column_map("acled", pd.DataFrame(index=pd.RangeIndex(3)))
    assert list(columns.columns) == ["column", "what"]
    assert len(columns) == 0
    assert [str(dtype) for dtype in columns.dtypes] == ["str", "str"]
