"""The checks of a table's shape every reader makes, each refusing the file
with a one-line reason: its columns named once each, no more columns or rows
than the limits, no field longer than the limit. Read as ``checks.width(...)``.

Imports nothing from the other modules of :mod:`imu_geo.importers.reading`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from imu_geo.importers.limits import ImportFailure, Limits, limit_text
from imu_geo.text import counted


def unique_columns(name: str, columns: Sequence[str]) -> None:
    seen: set[str] = set()
    for column in columns:
        key = column.strip().lower()
        if key in seen:
            raise ImportFailure(f"{name}: the column {column!r} appears more than once")
        seen.add(key)


def width(name: str, n: int, limits: Limits) -> None:
    if n > limits.max_columns:
        raise ImportFailure(
            f"{name}: has {counted(n, 'column')}; the limit is "
            f"{counted(limits.max_columns, 'column')}"
        )


def row_count(name: str, n: int, limits: Limits) -> None:
    if n > limits.max_rows:
        raise ImportFailure(
            f"{name}: has {counted(n, 'row')}; the limit is "
            f"{counted(limits.max_rows, 'row')}"
        )


def field_sizes(name: str, frame: pd.DataFrame, rows: np.ndarray, limits: Limits):
    for column in frame.columns:
        lengths = frame[column].str.len().to_numpy()
        if lengths.size and lengths.max() > limits.max_field_bytes:
            row = int(rows[int(np.argmax(lengths > limits.max_field_bytes))])
            raise ImportFailure(
                f"{name}: row {row} has a field longer than "
                f"{limit_text(limits.max_field_bytes)} (column {column!r}); that is "
                "the limit for one field"
            )
