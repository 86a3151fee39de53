"""Parquet: the footer (rows, columns, uncompressed sizes, nested types) checked
before any data is read, text read as dictionaries and measured before it is
decoded, and the library's errors as one line.

Imports :mod:`.table` only.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

import numpy as np
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.parquet as pa_parquet

from imu_geo.importers.limits import (
    ImportFailure,
    Limits,
    check_budget,
    estimate,
    limit_text,
    size_text,
    table_text,
)
from imu_geo.importers.reading import checks
from imu_geo.importers.reading.table import (
    RawTable,
    _arrow_to_text_frame,
    _first_line,
)

_PARQUET_MAGIC = b"PAR1"
# A Parquet footer larger than this describes far more columns or row groups
# than any event file has.
_MAX_PARQUET_FOOTER = 16 * 2**20


@contextmanager
def _parquet_errors(name: str):
    try:
        yield
    except ImportFailure:
        raise
    except (
        pa.ArrowException,
        OSError,
        ValueError,
        IndexError,
        KeyError,
        NotImplementedError,
        OverflowError,
        EOFError,
    ) as error:
        reason = _first_line(error) or type(error).__name__
        raise ImportFailure(
            f"{name}: is a damaged Parquet file ({reason}); export it again"
        ) from None


def _parquet_footer(name: str, payload: bytes, limits: Limits):
    """Open a Parquet file and check its footer before any data is read."""
    if not (payload[:4] == _PARQUET_MAGIC and payload[-4:] == _PARQUET_MAGIC):
        raise ImportFailure(
            f"{name}: is not a Parquet file (it does not start and end with PAR1)"
        )
    footer = int.from_bytes(payload[-8:-4], "little")
    if footer + 12 > len(payload):
        raise ImportFailure(
            f"{name}: is a damaged Parquet file (its footer is cut short); export it "
            "again"
        )
    if footer > _MAX_PARQUET_FOOTER:
        raise ImportFailure(
            f"{name}: has a Parquet footer of {size_text(footer)}, more than "
            f"{limit_text(_MAX_PARQUET_FOOTER)}; no table of events needs that many "
            "columns or row groups"
        )
    with _parquet_errors(name):
        parquet = pa_parquet.ParquetFile(io.BytesIO(payload))
        metadata = parquet.metadata
        schema = parquet.schema_arrow
        checks.width(name, max(metadata.num_columns, len(schema)), limits)
        checks.row_count(name, metadata.num_rows, limits)
        for column in schema:
            if pa.types.is_nested(column.type):
                raise ImportFailure(
                    f"{name}: the column {column.name!r} holds nested values "
                    f"({column.type}); only flat columns are read: flatten it, or "
                    "save the table as CSV"
                )
        sizes = [0] * metadata.num_columns
        for group in range(metadata.num_row_groups):
            row_group = metadata.row_group(group)
            for j in range(row_group.num_columns):
                sizes[j] += max(0, row_group.column(j).total_uncompressed_size)
        paths = [metadata.schema.column(j).path for j in range(metadata.num_columns)]
    return metadata, schema, sizes, paths


def _read_parquet(name: str, payload: bytes, limits: Limits) -> RawTable:
    metadata, schema, sizes, paths = _parquet_footer(name, payload, limits)
    rows, width = metadata.num_rows, len(schema)
    total = sum(sizes)
    if total > limits.max_bytes:
        widest = int(np.argmax(sizes))
        raise ImportFailure(
            f"{name}: its data is {size_text(total)} uncompressed (column "
            f"{paths[widest]!r} alone {size_text(sizes[widest])}); the limit is "
            f"{limit_text(limits.max_bytes)}, and it applies to the unpacked data"
        )
    what = f"{table_text(rows, width)} and {size_text(total)} of data"
    check_budget(name, estimate(total, rows * width), limits, what)
    if rows == 0:
        raise ImportFailure(f"{name}: has columns but no rows")
    text_columns = [
        field.name
        for field in schema
        if pa.types.is_string(field.type)
        or pa.types.is_large_string(field.type)
        or pa.types.is_binary(field.type)
        or pa.types.is_large_binary(field.type)
    ]
    with _parquet_errors(name):
        # Text is read as dictionaries, so that a short file whose few values
        # repeat one huge text is measured before that text is copied per row.
        table = pa_parquet.ParquetFile(
            io.BytesIO(payload), read_dictionary=text_columns
        ).read(use_threads=True)
        text = 0
        columns = []
        for field, column in zip(table.schema, table.columns, strict=True):
            if pa.types.is_dictionary(field.type):
                lengths = _dictionary_lengths(column)
                _check_parquet_field(name, field.name, lengths, limits)
                text += int(pa_compute.sum(lengths).as_py() or 0)
            else:
                text += column.nbytes
            columns.append(column)
        if text > limits.max_bytes:
            raise ImportFailure(
                f"{name}: its text is {size_text(text)} once decoded; the limit is "
                f"{limit_text(limits.max_bytes)}, and it applies to the unpacked data"
            )
        check_budget(
            name,
            estimate(text, rows * width),
            limits,
            f"{table_text(rows, width)} and {size_text(text)} of text",
        )
        decoded = [
            pa_compute.cast(c, c.type.value_type)
            if pa.types.is_dictionary(c.type)
            else c
            for c in columns
        ]
        table = pa.Table.from_arrays(decoded, names=table.column_names)
        del decoded, columns
        checks.unique_columns(name, table.column_names)
        frame = _arrow_to_text_frame(table)
    frame.columns = [str(c).strip() for c in frame.columns]
    row_numbers = np.arange(1, len(frame) + 1, dtype=np.int64)
    checks.field_sizes(name, frame, row_numbers, limits)
    return RawTable(name, frame, row_numbers, (), ())


def _dictionary_lengths(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The length of each row's value in a dictionary column (0 for nulls),
    computed from the dictionary without decoding it."""
    parts = []
    for chunk in column.chunks:
        lengths = pa_compute.binary_length(chunk.dictionary)
        parts.append(pa_compute.fill_null(pa_compute.take(lengths, chunk.indices), 0))
    return pa.chunked_array(parts, type=pa.int64() if not parts else parts[0].type)


def _check_parquet_field(
    name: str, column: str, lengths: pa.ChunkedArray, limits: Limits
) -> None:
    if not len(lengths):
        return
    longest = pa_compute.max(lengths).as_py() or 0
    if longest > limits.max_field_bytes:
        row = int(pa_compute.index(lengths, longest).as_py()) + 1
        raise ImportFailure(
            f"{name}: row {row} has a field longer than "
            f"{limit_text(limits.max_field_bytes)} (column {column!r}); that is the "
            "limit for one field"
        )
