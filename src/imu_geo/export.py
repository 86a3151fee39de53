"""Files people take away: the filtered events as CSV or GeoJSON bytes.

The dashboard's download buttons and ``imu-geo export`` both call these functions,
so the same filters give byte-for-byte the same file from either.
"""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pandas as pd

from imu_geo.schema import EVENT_COLUMNS, FATALITY_COLUMNS, SOURCE_EVENT_COLUMNS
from imu_geo.source_columns import SOURCE_PREFIX, text_cells

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


def export_records(events: pd.DataFrame) -> list[dict[str, str]]:
    """The export columns of each event as plain strings (empty when unknown)."""
    frame = events.reindex(columns=list(export_columns(events)))
    return [
        {
            column: _cell(value, column)
            for column, value in zip(frame.columns, row, strict=True)
        }
        for row in frame.itertuples(index=False, name=None)
    ]


def _neutralised(cells: np.ndarray) -> np.ndarray:
    """:func:`neutralise_formula` over an array of text, each distinct value once."""
    codes, uniques = pd.factorize(cells)
    safe = np.array([neutralise_formula(str(v)) for v in uniques] + [""], dtype=object)
    return safe[codes]


def to_csv_bytes(
    events: pd.DataFrame, source_columns: pd.DataFrame | None = None
) -> bytes:
    """The events as UTF-8 CSV (RFC 4180: CRLF, quoted when needed), formula-safe.

    Text cells that start with ``= + - @``, a tab or a carriage return get a
    leading ``'``; numeric columns are written as numbers and left alone.

    ``source_columns``, when given, holds the columns of the source file kept
    verbatim for these events (row for row, see :mod:`imu_geo.source_columns`);
    they follow ours, each named ``source:<name>``, and their cells get the same
    ``'`` before a formula.
    """
    columns = list(export_columns(events))
    extra: list[np.ndarray] = []
    if source_columns is not None and len(source_columns.columns):
        if len(source_columns) != len(events):
            raise ValueError(
                f"{len(source_columns)} rows of source columns for {len(events)} events"
            )
        columns += [f"{SOURCE_PREFIX}{name}" for name in source_columns.columns]
        extra = [
            _neutralised(text_cells(source_columns.iloc[:, i]))
            for i in range(len(source_columns.columns))
        ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise_formula(c) for c in columns])
    for position, record in enumerate(export_records(events)):
        writer.writerow(
            [
                *(
                    value if column in NUMERIC_COLUMNS else neutralise_formula(value)
                    for column, value in record.items()
                ),
                *(cells[position] for cells in extra),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def table_csv_bytes(table: pd.DataFrame) -> bytes:
    """Any summary table as UTF-8 CSV (RFC 4180), formula-safe like the events.

    Text cells get the same ``'`` prefix as in :func:`to_csv_bytes`; numbers,
    dates and empty cells are written plainly.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise_formula(str(c)) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        cells = []
        for value in row:
            if (
                value is None
                or value is pd.NA
                or (isinstance(value, float) and math.isnan(value))
            ):
                cells.append("")
            elif isinstance(value, pd.Timestamp):
                cells.append(value.date().isoformat())
            elif isinstance(value, str):
                cells.append(neutralise_formula(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")


def to_geojson_bytes(events: pd.DataFrame) -> bytes:
    """The events as a GeoJSON FeatureCollection of points (EPSG:4326).

    Each event is a point at its place (for an area, a point inside it; see
    ``geo_precision``); an event with no place has a null geometry.
    """
    features = []
    for record in export_records(events):
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
        features.append(
            {"type": "Feature", "geometry": geometry, "properties": properties}
        )
    document = {"type": "FeatureCollection", "features": features}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
