"""Where each column of an imported file went: crosswalked into ours, or kept verbatim.

``tables/columns.csv`` says, per format, which source column a crosswalk reads and
which of our columns it feeds. The import also records which columns its rules
actually read; a column counts as crosswalked only when both agree, so a column
the table names but the rules passed over (GTD's ``attacktype1`` beside
``attacktype1_txt``, say) is kept rather than lost. Every other column is kept
verbatim with its event (:mod:`imu_geo.source_columns`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from imu_geo.importers.crosswalk import crosswalked_columns
from imu_geo.source_columns import compact_text, empty_frame

KEPT = "kept verbatim"


def _labels(names: list[str]) -> list[str]:
    """The name each column is kept under: its own, or ``column N`` (its place in
    the file, from 1) when it has none, made unique against the others."""
    taken = set(names)
    labels = []
    for position, name in enumerate(names, start=1):
        label = name
        if not name.strip():
            label = f"column {position}"
            while label in taken:
                label += " (no name)"
            taken.add(label)
        labels.append(label)
    return labels


def column_map(
    fmt: str, frame: pd.DataFrame, read: set[str] | None = None
) -> pd.DataFrame:
    """One row per column of the file, in the file's order: ``column`` (its name
    as in the file) and ``what`` happened to it.

    ``what`` is ``crosswalked to date_start, date_end`` for a column the
    crosswalk read (``read``: the names the import read; None takes the table's
    word for it), ``kept verbatim`` for any other, ``kept verbatim as “column
    12” (it has no name)`` for a nameless column with values, and ``not kept:
    it has no name and no value`` for a nameless column that is empty in every
    row.
    """
    names = [str(c) for c in frame.columns]
    crosswalked = crosswalked_columns(fmt, names)
    rows = []
    for position, (name, label) in enumerate(zip(names, _labels(names), strict=True)):
        target = crosswalked.get(name)
        if target is not None and (read is None or name in read):
            what = f"crosswalked to {target}"
        elif name.strip():
            what = KEPT
        elif _has_values(frame.iloc[:, position]):
            what = f"{KEPT} as “{label}” (it has no name)"
        else:
            what = "not kept: it has no name and no value"
        rows.append((name, what))
    return pd.DataFrame(rows, columns=["column", "what"], dtype="str")


def _has_values(column: pd.Series) -> bool:
    return bool((column.astype("str").str.strip() != "").any())


def kept_columns(
    frame: pd.DataFrame, columns: pd.DataFrame, positions: np.ndarray
) -> pd.DataFrame:
    """The kept columns of the rows at ``positions``, cell for cell as read.

    ``columns`` is the :func:`column_map` of ``frame``. A column is named as in
    the file, or ``column N`` when it has none; the cells are Arrow strings
    (:func:`imu_geo.source_columns.compact_text`).
    """
    labels = _labels(list(columns["column"]))
    everything = len(positions) == len(frame) and bool(
        (positions == np.arange(len(frame))).all()
    )
    kept = {}
    for position, what in enumerate(columns["what"]):
        if not what.startswith(KEPT):
            continue
        # Encoded first, a repetitive column's rows are taken as 4-byte codes.
        values = compact_text(frame.iloc[:, position])
        if not everything:
            values = values.iloc[positions].reset_index(drop=True)
        kept[labels[position]] = values
    if not kept:
        return empty_frame(len(positions))
    return pd.DataFrame(kept, index=pd.RangeIndex(len(positions)))
