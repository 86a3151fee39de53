"""The atlas's words kept as data: the eras of the timeline, the meaning of
each vocabulary term, the other datasets a reader may compare.

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
