"""Delimited text (CSV, TSV, ``.txt``): the header and its delimiter, the fields
of every record counted before parsing, the parse with Arrow (or pandas for
irregular quoting), trailing delimiters and empty unnamed columns.

Imports :mod:`.table` and :mod:`.text`.
"""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

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
    _CHUNK,
    RawTable,
    _arrow_to_text_frame,
    _first_line,
)
from imu_geo.importers.reading.text import _decode, _has_text
from imu_geo.text import counted, plural

# The header line may be at most this long (1,000 long column names fit).
_MAX_HEADER_BYTES = 2**20
_CSV_LIMIT_LOCK = threading.Lock()


def _record_end(window: bytes) -> int | None:
    """Where the first record of ``window`` ends: its first line break outside
    quotes, or None when there is none in the window."""
    a = np.frombuffer(window, dtype=np.uint8)
    newlines = np.flatnonzero(a == 10)
    if not newlines.size:
        return None
    # A line break is no quote, so the count up to it is the count before it.
    quotes_before = np.cumsum(a == 34)[newlines]
    even = np.flatnonzero(quotes_before % 2 == 0)
    return int(newlines[even[0]]) if even.size else None


def _header(
    name: str, data: bytes, extension: str, limits: Limits
) -> tuple[str, list[str]]:
    """The delimiter and the header's column names, checked before the rest of the
    file is looked at: a header with more columns than the limit is refused from
    a count of its delimiters, without splitting it."""
    # The first line ends at the first LF or CR (old Mac files end lines with CR).
    ends = [i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0]
    end = min(ends, default=len(data))
    counts = {d: data.count(d.encode(), 0, end) for d in (",", ";", "\t", "|")}
    if extension == ".tsv" and counts["\t"]:
        delimiter = "\t"
    else:
        best = max(counts, key=lambda d: counts[d])
        delimiter = best if counts[best] else ","
    if data.count(b'"', 0, end) == 0:
        checks.width(name, counts[delimiter] + 1, limits)
        if end > _MAX_HEADER_BYTES:
            raise ImportFailure(
                f"{name}: the header row is longer than "
                f"{limit_text(_MAX_HEADER_BYTES)}; that is the limit for the header"
            )
        record = data[:end]
    else:
        # A quoted name may hold the delimiter or a line break.
        record_end = _record_end(data[: _MAX_HEADER_BYTES + 1])
        if record_end is None:
            if len(data) > _MAX_HEADER_BYTES:
                raise ImportFailure(
                    f"{name}: the header row is longer than "
                    f"{limit_text(_MAX_HEADER_BYTES)}, or opens a quote it never "
                    "closes"
                )
            record_end = len(data)
        record = data[:record_end]
    with _CSV_LIMIT_LOCK:
        previous = csv.field_size_limit()
        # No field is longer than the record that holds it.
        csv.field_size_limit(max(previous, len(record)))
        try:
            stream = io.TextIOWrapper(io.BytesIO(record), encoding="utf-8", newline="")
            first = next(csv.reader(stream, delimiter=delimiter), [])
        except csv.Error as error:
            raise ImportFailure(
                f"{name}: the header row is not valid CSV ({error})"
            ) from None
        finally:
            csv.field_size_limit(previous)
    checks.width(name, len(first), limits)
    if not first or not "".join(first).strip():
        raise ImportFailure(f"{name}: the first line is blank; it must be the header")
    names = [
        column.strip() or f"(column {number})"
        for number, column in enumerate(first, start=1)
    ]
    return delimiter, names


@dataclass(frozen=True)
class _Layout:
    fields: np.ndarray  # fields per record, the header first
    blank: np.ndarray  # records with no characters
    max_length: int
    multiline: bool


def _too_many_lines(name: str, limits: Limits) -> ImportFailure:
    return ImportFailure(
        f"{name}: has more than {counted(2 * limits.max_rows, 'line')}; the limit is "
        f"{counted(limits.max_rows, 'row')}"
    )


def _csv_layout(
    name: str, data: bytes, delimiter: str, limits: Limits
) -> _Layout | None:
    """Count the fields of every record without parsing them (numpy, in chunks).

    Memory is two integers per record plus one chunk's work, whatever the file
    holds. This is exact for RFC 4180 files, where a quote opens only at the
    start of a field and closes only before a delimiter or line end; for any
    other use of quotes, or a lone CR line end, it returns None and the caller
    counts with the ``csv`` module instead.
    """
    a = np.frombuffer(data, dtype=np.uint8)
    n = a.size
    delim = ord(delimiter)
    most = 2 * limits.max_rows + 2
    quotes_seen = 0
    last_quote = -1
    inside_newlines = 0
    open_fields = 0
    records = 0
    end_parts: list[np.ndarray] = []
    field_parts: list[np.ndarray] = []
    for start in range(0, n, _CHUNK):
        block = a[start : start + _CHUNK]
        is_quote = block == 34
        quotes = np.flatnonzero(is_quote)
        if quotes.size:
            where = quotes + start
            before = np.where(where > 0, a[np.maximum(where - 1, 0)], 10)
            after = np.where(where < n - 1, a[np.minimum(where + 1, n - 1)], 10)
            opening = ((np.arange(quotes.size) + quotes_seen) & 1) == 0
            edge_before = (before == delim) | (before == 10) | (before == 13)
            edge_after = (after == delim) | (after == 10) | (after == 13)
            edge_after |= where == n - 1
            regular = np.where(
                opening, edge_before | (before == 34), edge_after | (after == 34)
            )
            if not regular.all():
                return None
            last_quote = int(where[-1])
        parity = np.cumsum(is_quote, dtype=np.uint8)
        parity += np.uint8(quotes_seen & 1)
        parity &= 1
        newlines = np.flatnonzero(block == 10)
        outside = parity[newlines] == 0
        inside_newlines += int((~outside).sum())
        ends = newlines[outside]
        returns = np.flatnonzero(block == 13)
        if returns.size:
            follow = start + returns + 1
            lone = (follow >= n) | (a[np.minimum(follow, n - 1)] != 10)
            if (lone & (parity[returns] == 0)).any():
                return None
        delimiters = np.flatnonzero(block == delim)
        delimiters = delimiters[parity[delimiters] == 0]
        # Delimiters per record ending in this chunk; the last count belongs to
        # the record still open at the chunk's end.
        per_record = np.bincount(
            np.searchsorted(ends, delimiters), minlength=ends.size + 1
        )
        per_record[0] += open_fields
        open_fields = int(per_record[-1])
        field_parts.append(per_record[:-1] + 1)
        end_parts.append(ends + start)
        records += int(ends.size)
        if records > most:
            raise _too_many_lines(name, limits)
        quotes_seen += int(quotes.size)
    ends = np.concatenate(end_parts) if end_parts else np.array([], np.int64)
    fields = (
        np.concatenate(field_parts) if field_parts else np.array([], np.int64)
    ).astype(np.int64)
    if n and a[-1] != 10:
        ends = np.append(ends, n)
        fields = np.append(fields, open_fields + 1)
    if quotes_seen % 2:
        row = int(np.searchsorted(ends, last_quote)) + 1
        raise ImportFailure(
            f"{name}: row {row} opens a quoted field that is never closed"
        )
    starts = np.concatenate(([0], ends[:-1] + 1)) if ends.size else ends
    lengths = ends - starts
    carriage = (lengths > 0) & (a[np.maximum(ends - 1, 0)] == 13)
    lengths = lengths - carriage
    return _Layout(
        fields=fields,
        blank=lengths == 0,
        max_length=int(lengths.max()) if lengths.size else 0,
        multiline=inside_newlines > 0,
    )


def _csv_module_layout(
    name: str, data: bytes, delimiter: str, limits: Limits
) -> _Layout:
    """Count fields per record with the ``csv`` module (irregular quoting)."""
    most = 2 * limits.max_rows + 2
    counts: list[int] = []
    with _CSV_LIMIT_LOCK:
        previous = csv.field_size_limit()
        csv.field_size_limit(max(previous, len(data)))
        try:
            stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
            for record in csv.reader(stream, delimiter=delimiter):
                counts.append(len(record))
                if len(counts) > most:
                    raise _too_many_lines(name, limits)
        except csv.Error as error:
            raise ImportFailure(f"{name}: is not valid CSV ({error})") from None
        finally:
            csv.field_size_limit(previous)
    fields = np.asarray(counts, dtype=np.int64)
    return _Layout(
        fields=fields, blank=fields == 0, max_length=len(data), multiline=True
    )


def _read_csv(name: str, payload: bytes, limits: Limits, extension: str) -> RawTable:
    data, notes = _decode(name, payload)
    if not _has_text(data):
        raise ImportFailure(f"{name}: is empty")
    delimiter, header = _header(name, data, extension, limits)
    if delimiter != ",":
        shown = {"\t": "tabs", ";": "';'", "|": "'|'"}[delimiter]
        notes.append(f"{name}: columns are separated by {shown}")
    checks.unique_columns(name, header)
    width = len(header)
    layout = _csv_layout(name, data, delimiter, limits)
    fast = layout is not None and int(layout.fields[0]) == width
    if not fast:
        layout = _csv_module_layout(name, data, delimiter, limits)
    trailing = _trailing_field(width, layout.fields, layout.blank)
    if trailing:
        header = [*header, f"(column {width + 1})"]
        width, fast = width + 1, False
    data_fields, data_blank = layout.fields[1:], layout.blank[1:]
    data_rows = np.arange(2, data_fields.size + 2)
    n_rows = int((~data_blank).sum())
    checks.row_count(name, n_rows, limits)
    if n_rows == 0:
        raise ImportFailure(f"{name}: has a header but no data rows")
    check_budget(
        name,
        estimate(len(data), n_rows * width),
        limits,
        f"{table_text(n_rows, width)} and {size_text(len(data))} of text",
    )
    safe = [f"f{i}" for i in range(width)]
    try:
        if fast:
            kept = data_blank | (data_fields == width)
            frame = _parse_with_arrow(data, delimiter, safe, layout)
            frame = frame.iloc[1:].reset_index(drop=True)
        else:
            kept = data_blank | (data_fields <= width)
            frame = pd.read_csv(
                io.BytesIO(data),
                sep=delimiter,
                header=0,
                names=safe,
                dtype="str",
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                on_bad_lines="skip",
                encoding="utf-8",
            )
    except (pa.ArrowException, pd.errors.ParserError, ValueError, csv.Error) as error:
        reason = _first_line(error) or "unknown"
        raise ImportFailure(f"{name}: is not valid CSV ({reason})") from None
    if len(frame) != int(kept.sum()):
        raise ImportFailure(
            f"{name}: is not valid CSV (its rows could not be counted consistently)"
        )
    frame.columns = header
    frame_rows = data_rows[kept]
    frame_blank = data_blank[kept]
    frame_good = (~frame_blank) & (data_fields[kept] == width)
    if not frame_good.all():
        frame = frame.loc[frame_good].reset_index(drop=True)
    if frame.isna().to_numpy().any():
        frame = frame.fillna("")
    good_rows = frame_rows[frame_good]
    wrong = (~data_blank) & (data_fields != width)
    bad = [
        (
            int(row),
            f"has {count} {plural(int(count), 'field')} where the header has {width}",
        )
        for row, count in zip(data_rows[wrong], data_fields[wrong], strict=True)
    ]
    blank_rows = data_rows[data_blank]
    if blank_rows.size:
        shown = ", ".join(str(r) for r in blank_rows[:10])
        more = ", ..." if blank_rows.size > 10 else ""
        blank = counted(blank_rows.size, "blank line was", "blank lines were")
        notes.append(f"{name}: {blank} skipped (row {shown}{more})")
    frame = _drop_empty_unnamed(name, frame, trailing, notes)
    checks.field_sizes(name, frame, good_rows, limits)
    return RawTable(name, frame, good_rows, tuple(bad), tuple(notes))


def _trailing_field(width: int, fields: np.ndarray, blank: np.ndarray) -> bool:
    """Whether every data row has one field more than the header.

    Some downloads end every data row with a delimiter the header line does not
    have (``...,low,best,high`` over ``...,1,1,1,``). Such a file is read with one
    more, unnamed, column, which :func:`_drop_empty_unnamed` drops when it is
    empty on every row.
    """
    data = fields[1:][~blank[1:]]
    return bool(data.size) and bool((data == width + 1).all())


def _drop_empty_unnamed(
    name: str, frame: pd.DataFrame, trailing: bool, notes: list[str]
) -> pd.DataFrame:
    """Drop columns with no name in the header that are empty on every row.

    They come from delimiters at the end of the lines (a trailing delimiter, or
    empty header cells a spreadsheet left), hold nothing, and are dropped with a
    note; an unnamed column that holds something is kept (as ``(column N)``).
    """
    unnamed = [
        column
        for number, column in enumerate(frame.columns, start=1)
        if column == f"(column {number})"
    ]
    empty = [c for c in unnamed if not (frame[c] != "").any()]
    last = frame.columns[-1] if len(frame.columns) else None
    if trailing and last not in empty:
        notes.append(
            f"{name}: every data row has one field more than the header; the last "
            f"is read as the column {last!r}"
        )
    if not empty:
        return frame
    if trailing and last in empty:
        notes.append(
            f"{name}: every data row ends with a delimiter the header does not "
            "have; that last field is empty on every row and was dropped"
        )
    others = [c for c in empty if not (trailing and c == last)]
    if others:
        numbers = ", ".join(c[len("(column ") : -1] for c in others)
        has = "column has" if len(others) == 1 else "columns have"
        notes.append(
            f"{name}: {len(others)} {has} no name in the header and nothing in any "
            f"row; dropped (column {numbers})"
        )
    return frame.drop(columns=empty)


def _parse_with_arrow(
    data: bytes, delimiter: str, names: list[str], layout: _Layout
) -> pd.DataFrame:
    block = max(1 << 24, 1 << int(2 * layout.max_length + 1024).bit_length())
    table = pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(
            column_names=names, block_size=block, use_threads=True
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=layout.multiline,
            ignore_empty_lines=False,
            invalid_row_handler=lambda row: "skip",
        ),
        convert_options=pa_csv.ConvertOptions(
            # pandas keeps its text as large strings: read as such, the columns
            # are not converted again on their way to the frame.
            column_types=dict.fromkeys(names, pa.large_string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return _arrow_to_text_frame(table)
