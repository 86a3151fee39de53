"""Files people take away: the filtered events as CSV or GeoJSON.

The dashboard's download buttons and ``imu-geo export`` both call these functions,
so the same filters give byte-for-byte the same file from either. The files are
written a batch of events at a time (:func:`write_csv`, :func:`write_geojson`),
so an export of any size streams; :func:`to_csv_bytes` and
:func:`to_geojson_bytes` are the same writers over one batch.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import pandas as pd

from imu_geo.schema import EVENT_COLUMNS, FATALITY_COLUMNS, SOURCE_EVENT_COLUMNS
from imu_geo.source_columns import SOURCE_PREFIX, text_cells
from imu_geo.text import counted

if TYPE_CHECKING:
    from imu_geo.engine.source import EventSource
    from imu_geo.filters import FilterSpec

EXPORT_COLUMNS: tuple[str, ...] = (*EVENT_COLUMNS, "lat", "lon", "place_name")
WHOLE_NUMBER_COLUMNS = frozenset({*FATALITY_COLUMNS, "source_row"})
NUMERIC_COLUMNS = frozenset({*WHOLE_NUMBER_COLUMNS, "lat", "lon"})
DATE_COLUMNS = ("date_start", "date_end")
# A spreadsheet runs a cell that starts with one of these as a formula, even when
# the CSV quotes it (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Prefix ``'`` to text that a spreadsheet would read as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value: object, column: str) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if column in DATE_COLUMNS:
        return pd.Timestamp(value).date().isoformat()
    if column in WHOLE_NUMBER_COLUMNS:
        return str(int(value))
    if column in NUMERIC_COLUMNS:
        return repr(round(float(value), 4))
    return str(value)


def export_columns(events: pd.DataFrame) -> tuple[str, ...]:
    """The columns a download of ``events`` has: :data:`EXPORT_COLUMNS`, then
    those of :data:`imu_geo.schema.SOURCE_EVENT_COLUMNS` the events have (an
    imported dataset's; the atlas has none)."""
    return (*EXPORT_COLUMNS, *(c for c in SOURCE_EVENT_COLUMNS if c in events))


def export_records(
    events: pd.DataFrame, columns: Sequence[str] | None = None
) -> list[dict[str, str]]:
    """The export columns of each event as plain strings (empty when unknown):
    ``columns``, or :func:`export_columns` of ``events`` when not given."""
    names = list(columns) if columns is not None else list(export_columns(events))
    frame = events.reindex(columns=names)
    return [
        {
            column: _cell(value, column)
            for column, value in zip(
                frame.columns,
                row,
                # Equivalent if mutated: the columns and the row come from one
                # frame, so they have one length.
                strict=True,  # pragma: no mutate
            )
        }
        # Equivalent if mutated: None reads as False, and a named tuple is
        # iterated like a plain one.
        for row in frame.itertuples(index=False, name=None)  # pragma: no mutate
    ]


def _neutralised(cells: np.ndarray) -> np.ndarray:
    """:func:`neutralise_formula` over an array of text, each distinct value once."""
    codes, uniques = pd.factorize(cells)
    safe = np.array([neutralise_formula(str(v)) for v in uniques] + [""], dtype=object)
    return safe[codes]


def _csv_text(rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        # Equivalent if dropped: these are the csv module's defaults, written out
        # because RFC 4180 asks for them.
        lineterminator="\r\n",  # pragma: no mutate
        quoting=csv.QUOTE_MINIMAL,  # pragma: no mutate
    )
    writer.writerows(rows)
    # Equivalent as "UTF-8": Python looks codec names up in any case.
    return buffer.getvalue().encode("utf-8")  # pragma: no mutate


def csv_header(columns: Sequence[str], source_names: Sequence[str] = ()) -> bytes:
    """The header line of an events CSV: ``columns``, then each kept column of
    the source file as ``source:<name>``, formula-safe."""
    names = [*columns, *(f"{SOURCE_PREFIX}{name}" for name in source_names)]
    return _csv_text([[neutralise_formula(c) for c in names]])


def csv_rows(
    events: pd.DataFrame,
    columns: Sequence[str],
    source_columns: pd.DataFrame | None = None,
) -> bytes:
    """The lines of ``events`` in an events CSV, without the header: the cells of
    ``columns``, then those of ``source_columns`` (the file's kept columns for
    these events, row for row), text formula-safe and numbers left alone."""
    extra: list[np.ndarray] = []
    if source_columns is not None and len(source_columns.columns):
        if len(source_columns) != len(events):
            raise ValueError(
                f"{counted(len(source_columns), 'row')} of source columns for "
                f"{counted(len(events), 'event')}"
            )
        extra = [
            _neutralised(text_cells(source_columns.iloc[:, i]))
            for i in range(len(source_columns.columns))
        ]
    return _csv_text(
        [
            *(
                value if column in NUMERIC_COLUMNS else neutralise_formula(value)
                for column, value in record.items()
            ),
            *(cells[position] for cells in extra),
        ]
        for position, record in enumerate(export_records(events, columns))
    )


def write_csv(
    out: BinaryIO,
    batches: Iterable[pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame | None]],
    columns: Sequence[str],
    source_names: Sequence[str] = (),
) -> int:
    """Write an events CSV to ``out`` a batch at a time; return the number of
    events written.

    Each batch is a frame of events, or a pair of the events and their kept
    source columns (named ``source_names``, in that order). The header is
    written first, even when no batch comes, so only one batch is ever held:
    an export of millions of events streams in bounded memory. The bytes do
    not depend on how the events are cut into batches.
    """
    out.write(csv_header(columns, source_names))
    written = 0
    for batch in batches:
        events, kept = batch if isinstance(batch, tuple) else (batch, None)
        if source_names and (kept is None or list(kept.columns) != list(source_names)):
            raise ValueError("a batch lacks the kept source columns of the header")
        out.write(csv_rows(events, columns, kept if source_names else None))
        written += len(events)
    return written


def to_csv_bytes(
    events: pd.DataFrame, source_columns: pd.DataFrame | None = None
) -> bytes:
    """The events as UTF-8 CSV (RFC 4180: CRLF, quoted when needed), formula-safe.

    Text cells that start with ``= + - @``, a tab or a carriage return get a
    leading ``'``; numeric columns are written as numbers and left alone.

    ``source_columns``, when given, holds the columns of the source file kept
    verbatim for these events (row for row, see :mod:`imu_geo.source_columns`);
    they follow ours, each named ``source:<name>``, and their cells get the same
    ``'`` before a formula. One batch of :func:`write_csv`.
    """
    kept = source_columns
    if kept is not None and not len(kept.columns):
        kept = None
    names = [str(name) for name in kept.columns] if kept is not None else []
    buffer = io.BytesIO()
    write_csv(
        buffer,
        [(events, kept)],
        export_columns(events),
        names,
    )
    return buffer.getvalue()


def table_csv_bytes(table: pd.DataFrame) -> bytes:
    """Any summary table as UTF-8 CSV (RFC 4180), formula-safe like the events.

    Text cells get the same ``'`` prefix as in :func:`to_csv_bytes`; numbers,
    dates and empty cells are written plainly.
    """
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        # Equivalent if dropped: the csv module's defaults, as in _csv_text.
        lineterminator="\r\n",  # pragma: no mutate
        quoting=csv.QUOTE_MINIMAL,  # pragma: no mutate
    )
    writer.writerow([neutralise_formula(str(c)) for c in table.columns])
    # Equivalent if mutated: None reads as False, and a named tuple is iterated
    # like a plain one.
    for row in table.itertuples(index=False, name=None):  # pragma: no mutate
        cells = []
        for value in row:
            if (
                value is None
                or value is pd.NA
                or (isinstance(value, float) and math.isnan(value))
            ):
                # Equivalent as None: csv writes None as an empty cell.
                cells.append("")  # pragma: no mutate
            elif isinstance(value, pd.Timestamp):
                cells.append(value.date().isoformat())
            elif isinstance(value, str):
                cells.append(neutralise_formula(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    # Equivalent as "UTF-8": Python looks codec names up in any case.
    return buffer.getvalue().encode("utf-8")  # pragma: no mutate


def _feature(record: dict[str, str]) -> dict:
    properties: dict[str, object] = {
        column: value
        for column, value in record.items()
        if column not in ("lat", "lon")
    }
    for column in WHOLE_NUMBER_COLUMNS & set(record):
        properties[column] = int(record[column]) if record[column] else None
    geometry = None
    if record["lat"] and record["lon"]:
        geometry = {
            "type": "Point",
            "coordinates": [float(record["lon"]), float(record["lat"])],
        }
    return {"type": "Feature", "geometry": geometry, "properties": properties}


# How a feature sits in the document: ``json.dumps(..., indent=1)`` puts the
# features two levels deep, so each line of one is indented by two spaces.
_GEOJSON_HEAD = '{\n "type": "FeatureCollection",\n "features": ['
_FEATURE_INDENT = "  "


def write_geojson(
    out: BinaryIO, batches: Iterable[pd.DataFrame], columns: Sequence[str]
) -> int:
    """Write the events as a GeoJSON FeatureCollection to ``out`` a batch at a
    time; return the number of events written.

    The text is that of ``json.dumps(document, ensure_ascii=False, indent=1)``
    and a final newline, written a feature at a time, so it does not depend on
    the batches and only one batch is held. ``columns`` are the export columns
    (``lat``/``lon`` become the point).
    """
    # The codec names here are equivalent as "UTF-8": Python looks them up in
    # any case.
    out.write(_GEOJSON_HEAD.encode("utf-8"))  # pragma: no mutate
    written = 0
    for batch in batches:
        parts = []
        for record in export_records(batch, columns):
            text = json.dumps(
                _feature(record),
                # Equivalent as None: json reads it as False.
                ensure_ascii=False,  # pragma: no mutate
                indent=1,
            )
            # JSON escapes a newline inside a string, so each one here ends a line.
            text = text.replace("\n", "\n" + _FEATURE_INDENT)
            parts.append(("," if written else "") + "\n" + _FEATURE_INDENT + text)
            written += 1
        chunk = "".join(parts)
        out.write(chunk.encode("utf-8"))  # pragma: no mutate
    tail = "\n ]\n}\n" if written else "]\n}\n"
    out.write(tail.encode("utf-8"))  # pragma: no mutate
    return written


def to_geojson_bytes(events: pd.DataFrame) -> bytes:
    """The events as a GeoJSON FeatureCollection of points (EPSG:4326).

    Each event is a point at its place (for an area, a point inside it; see
    ``geo_precision``); an event with no place has a null geometry. One batch
    of :func:`write_geojson`.
    """
    buffer = io.BytesIO()
    write_geojson(
        buffer,
        [events],
        # Equivalent as None: export_records then takes the same columns.
        export_columns(events),  # pragma: no mutate
    )
    return buffer.getvalue()


EXPORT_FORMATS = ("csv", "geojson")


def write_selection(
    out: BinaryIO,
    source: EventSource,
    spec: FilterSpec,
    fmt: str = "csv",
    source_columns: bool = False,
    batch_rows: int | None = None,
) -> int:
    """Write the events ``spec`` selects from ``source`` to ``out`` as ``fmt``
    (``csv`` or ``geojson``), as the dashboard's download has them; return how
    many were written.

    The events come from the engine ``batch_rows`` at a time
    (:meth:`~imu_geo.engine.source.EventSource.batches`) and each batch is
    written before the next is asked for, so the selection is never held whole.
    ``source_columns`` adds a CSV's kept columns of the imported file, when the
    dataset has any.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}")
    # The source event columns the dataset has (the store holds them all).
    present = set(source.columns)
    columns = (*EXPORT_COLUMNS, *(c for c in SOURCE_EVENT_COLUMNS if c in present))
    options = {} if batch_rows is None else {"batch_rows": batch_rows}
    batches = source.batches(spec, columns, **options)
    if fmt == "geojson":
        return write_geojson(out, batches, columns)
    names = list(source.kept_columns) if source_columns else []
    if not names:
        return write_csv(out, batches, columns)
    return write_csv(
        out,
        ((batch, source.source_columns(batch["row_id"])) for batch in batches),
        columns,
        names,
    )
