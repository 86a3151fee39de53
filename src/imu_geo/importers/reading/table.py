"""What every reader shares: :class:`RawTable`, the extensions read, the checks
of a file before it is read (its size, its name), and an Arrow table as text.

Imports nothing from the other modules of :mod:`imu_geo.importers.reading`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute

from imu_geo.importers.archives import (
    ARCHIVE_EXTENSIONS,
    OTHER_ARCHIVE_EXTENSIONS,
    archive_kind,
)
from imu_geo.importers.limits import (
    ImportFailure,
    Limits,
    limit_text,
    size_text,
)

DATA_EXTENSIONS: tuple[str, ...] = (
    ".csv",
    ".tsv",
    ".txt",
    ".geojson",
    ".json",
    ".parquet",
    ".xlsx",
)
ALLOWED_EXTENSIONS: tuple[str, ...] = DATA_EXTENSIONS + ARCHIVE_EXTENSIONS
# Compressed files and archives that are refused (``.zip`` and ``.gz`` are read).
COMPRESSED_EXTENSIONS: frozenset[str] = OTHER_ARCHIVE_EXTENSIONS

# Text is scanned and decoded this many bytes at a time.
_CHUNK = 1 << 21


@dataclass(frozen=True)
class RawTable:
    """A file read as text: every cell a string, nothing inferred.

    Attributes
    ----------
    name
        The file name, for messages (for an archive, the data file inside it).
    frame
        One row per data row that has the header's number of fields; every column
        text (``str``), empty for an empty cell, never missing.
    rows
        The source row number of each row of ``frame``.
    bad_rows
        Rows that could not be split into the header's fields: (row, reason).
    notes
        What a user should know about how the file was read.
    unit
        What a row number counts: ``row`` (CSV, Parquet, a workbook),
        ``feature`` (GeoJSON) or ``record`` (a JSON list).
    """

    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    bad_rows: tuple[tuple[int, str], ...] = ()
    notes: tuple[str, ...] = ()
    unit: str = "row"


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0][:160].rstrip(".")


# --- the checks before reading -------------------------------------------------


def _check_size(name: str, size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise ImportFailure(
            f"{name}: is {size_text(size)}; the limit is {limit_text(limits.max_bytes)}"
        )


def _check_name(name: str) -> str:
    """Refuse a compressed or unknown extension; return the extension."""
    extension = _extension(name)
    if extension in COMPRESSED_EXTENSIONS:
        raise ImportFailure(
            f"{name}: compressed files ({extension}) are not read; unpack it first "
            "and import the file inside (.zip and .gz files are read)"
        )
    if extension not in ALLOWED_EXTENSIONS:
        shown = (
            f"files ending in {extension}"
            if extension
            else "files without an extension"
        )
        advice = " (save it as .xlsx or CSV)" if extension in (".xls", ".ods") else ""
        raise ImportFailure(
            f"{name}: {shown} are not read{advice}; use "
            f"{', '.join(ALLOWED_EXTENSIONS[:-1])} or {ALLOWED_EXTENSIONS[-1]}"
        )
    return extension


def _refuse_compressed(name: str, payload: bytes, what: str) -> None:
    kind = archive_kind(payload[:512])
    if kind is not None:
        raise ImportFailure(
            f"{name}: is {kind}, not {what}; unpack it first and import the file inside"
        )


# --- Arrow tables as text -------------------------------------------------------


def _arrow_to_text_frame(table: pa.Table) -> pd.DataFrame:
    """Every column of an Arrow table as text, nulls as empty strings."""
    columns = []
    for column in table.columns:
        if not (
            pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
        ):
            try:
                column = pa_compute.cast(column, pa.string())
            except (pa.ArrowException, NotImplementedError):
                column = pa.array(
                    [
                        None if value is None else json.dumps(value, default=str)
                        for value in column.to_pylist()
                    ],
                    type=pa.string(),
                )
        columns.append(pa_compute.fill_null(column, ""))
    names = [f"f{i}" for i in range(len(columns))]
    # Straight to pandas' Arrow-backed text: through Python objects a million
    # rows of 40 columns would be 40 million str objects, made and dropped.
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    frame = pa.Table.from_arrays(columns, names=names).to_pandas(
        types_mapper={pa.string(): text, pa.large_string(): text}.get
    )
    frame = frame.astype("str") if len(frame.columns) else frame
    frame.columns = list(table.column_names)
    return frame
