"""The atlas's words kept as data: the eras of the timeline, the meaning of
each vocabulary term, the other datasets a reader may compare, and the
columns the pages' tables show.

Each is a CSV table under ``imu_geo/tables/``, so a new era or a reworded
definition is one row in one file, and the pages and the docs that show them
read the same words.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources


@cache
def table_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the package's table ``tables/<name>``, read once, as text."""
    text = resources.files("imu_geo").joinpath("tables", name).read_text("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


# The ways a table column is shown (``kind`` in ``tables/table_columns.csv``).
COLUMN_KINDS = ("text", "date", "number")


def table_columns(table: str) -> tuple[dict[str, str], ...]:
    """The columns a page's table shows, in order, each with its ``label``,
    ``kind`` (:data:`COLUMN_KINDS`) and ``width`` ("" for the default), from
    ``tables/table_columns.csv``: ``events`` (the Map page's table) or
    ``sources`` (the Sources page's)."""
    rows = table_rows("table_columns.csv")
    rows = tuple(row for row in rows if row["table"] == table)
    if not rows:
        raise ValueError(f"no table of columns named {table!r}")
    return rows
