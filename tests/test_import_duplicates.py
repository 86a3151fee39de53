"""Which rows of a file repeat an earlier row exactly (importers.core._duplicates).

Each expected list is worked out by hand: position i holds the position of the
first earlier row equal to row i in every column, or -1.
"""

import pandas as pd
import pytest

from imu_geo.importers.core import _duplicates

CASES = [
    ("no rows", {"a": []}, []),
    ("one row", {"a": ["x"]}, [-1]),
    ("two equal rows", {"a": ["x", "x"], "b": ["1", "1"]}, [-1, 0]),
    ("equal but for one column", {"a": ["x", "x"], "b": ["1", "2"]}, [-1, -1]),
    (
        "the third repeats the first",
        {"a": ["x", "y", "x"], "b": ["1", "1", "1"]},
        [-1, -1, 0],
    ),
    ("three equal rows point to the first", {"a": ["x"] * 3}, [-1, 0, 0]),
    (
        "an id column with no value twice: nothing repeats",
        {"id": ["1", "2", "3"], "a": ["x", "x", "x"]},
        [-1, -1, -1],
    ),
    (
        "the id column last",
        {"a": ["x", "x", "x"], "id": ["1", "2", "3"]},
        [-1, -1, -1],
    ),
    (
        "an id repeated with the rest",
        {"id": ["1", "2", "1"], "a": ["x", "y", "x"]},
        [-1, -1, 0],
    ),
    (
        "an id repeated, the rest differs",
        {"id": ["1", "2", "1"], "a": ["x", "y", "z"]},
        [-1, -1, -1],
    ),
    (
        "empty cells are values too",
        {"a": ["", "", "x"], "b": ["", "", ""]},
        [-1, 0, -1],
    ),
    (
        "columns swap their values",
        {"a": ["x", "y"], "b": ["y", "x"]},
        [-1, -1],
    ),
]


@pytest.mark.parametrize(
    ("columns", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
@pytest.mark.parametrize("dtype", ["str", object])
def test_duplicates(columns, expected, dtype):
    frame = pd.DataFrame(columns, dtype=dtype)
    assert _duplicates(frame).tolist() == expected


def test_no_columns():
    assert _duplicates(pd.DataFrame(index=range(3))).tolist() == [-1, -1, -1]
