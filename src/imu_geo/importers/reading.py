"""Reading a file's bytes as a table of text (:class:`RawTable`), or refusing it.

The work is bounded before it is done. The name's extension, the size limit and
the magic bytes of compressed files are checked first; a ``.zip`` or ``.gz`` file
is unpacked in counted chunks (:mod:`.archives`). A CSV's columns are counted on
its header line before anything else is parsed, and its rows by a pass that keeps
two numbers per line; a Parquet file's footer (rows, columns, uncompressed sizes,
nested types) is read before its data; a JSON text's structure is counted in
chunks before it is parsed; a workbook's cells are counted as its parts unpack
(:mod:`.spreadsheet`). From these counts the memory the whole import will take is
estimated and checked against one budget (:mod:`.limits`), so that a small
hostile file is refused in one line instead of taking the server's memory.

Text is decoded in chunks (UTF-8, UTF-16 or UTF-32 with a byte-order mark, else
Windows-1252 with a note), the delimiter is sniffed from the header line, and
every cell is read as text. Row numbers are the ones a user can find in the
file. Nothing here knows about event formats.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv
import pyarrow.parquet as pa_parquet

from imu_geo.importers.archives import (
    ARCHIVE_EXTENSIONS,
    OTHER_ARCHIVE_EXTENSIONS,
    archive_kind,
    unpack_gzip,
    unpack_zip,
)
from imu_geo.importers.limits import (
    BASE_BYTES,
    CELL_BYTES,
    TEXT_FACTOR,
    ImportFailure,
    InternalImportError,
    Limits,
    check_budget,
    estimate,
    limit_text,
    one_line_failures,
    plural,
    size_text,
)
from imu_geo.importers.spreadsheet import read_xlsx

__all__ = [
    "ALLOWED_EXTENSIONS",
    "COMPRESSED_EXTENSIONS",
    "DATA_EXTENSIONS",
    "ImportFailure",
    "InternalImportError",
    "Limits",
    "RawTable",
    "one_line_failures",
    "read_file",
    "read_table",
]

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

_PARQUET_MAGIC = b"PAR1"
# A Parquet footer larger than this describes far more columns or row groups
# than any event file has.
_MAX_PARQUET_FOOTER = 16 * 2**20
# The header line may be at most this long (1,000 long column names fit).
_MAX_HEADER_BYTES = 2**20
# JSON nested deeper than this is not a table of events (GeoJSON polygons need 7).
_MAX_JSON_DEPTH = 64
# The estimate of a JSON document's memory once parsed, beyond its text: each
# object or list, and each value (counted by its separating comma or colon).
JSON_CONTAINER_BYTES = 128
JSON_VALUE_BYTES = 64
_JSON_ADVICE = "save it as CSV, which takes far less, or split it"

_CHUNK = 1 << 21
_CSV_LIMIT_LOCK = threading.Lock()


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


def _check_columns(name: str, columns: Sequence[str]) -> None:
    seen: set[str] = set()
    for column in columns:
        key = column.strip().lower()
        if key in seen:
            raise ImportFailure(f"{name}: the column {column!r} appears more than once")
        seen.add(key)


def _check_width(name: str, n: int, limits: Limits) -> None:
    if n > limits.max_columns:
        raise ImportFailure(
            f"{name}: has {n:,} columns; the limit is {limits.max_columns:,} columns"
        )


def _check_rows(name: str, n: int, limits: Limits) -> None:
    if n > limits.max_rows:
        raise ImportFailure(
            f"{name}: has {n:,} rows; the limit is {limits.max_rows:,} rows"
        )


def _check_fields(name: str, frame: pd.DataFrame, rows: np.ndarray, limits: Limits):
    for column in frame.columns:
        lengths = frame[column].str.len().to_numpy()
        if lengths.size and lengths.max() > limits.max_field_bytes:
            row = int(rows[int(np.argmax(lengths > limits.max_field_bytes))])
            raise ImportFailure(
                f"{name}: row {row} has a field longer than "
                f"{limit_text(limits.max_field_bytes)} (column {column!r}); that is "
                "the limit for one field"
            )


def _refuse_compressed(name: str, payload: bytes, what: str) -> None:
    kind = archive_kind(payload[:512])
    if kind is not None:
        raise ImportFailure(
            f"{name}: is {kind}, not {what}; unpack it first and import the file inside"
        )


# --- text -----------------------------------------------------------------------

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def _recode(payload: bytes, start: int, codec: str) -> bytes:
    """``payload[start:]`` decoded from ``codec`` and encoded as UTF-8, in chunks,
    so that no text object of the whole file is ever built."""
    decoder = codecs.getincrementaldecoder(codec)()
    parts = []
    view = memoryview(payload)
    for offset in range(start, len(payload), _CHUNK):
        try:
            parts.append(decoder.decode(view[offset : offset + _CHUNK]).encode("utf-8"))
        except UnicodeDecodeError as error:
            raise UnicodeDecodeError(
                error.encoding,
                error.object,
                offset + error.start,
                offset + error.end,
                error.reason,
            ) from None
    parts.append(decoder.decode(b"", final=True).encode("utf-8"))
    return b"".join(parts)


def _is_utf8(payload: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(payload)
    try:
        for offset in range(0, len(payload), _CHUNK):
            decoder.decode(view[offset : offset + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode(name: str, payload: bytes) -> tuple[bytes, list[str]]:
    """Return the text as UTF-8 bytes (no byte-order mark) and notes on the encoding."""
    notes: list[str] = []
    for bom, codec, label in _BOMS:
        if payload.startswith(bom):
            if codec == "utf-8":
                payload = payload[len(bom) :]
                break
            try:
                text = _recode(payload, len(bom), codec)
            except UnicodeDecodeError as error:
                raise ImportFailure(
                    f"{name}: starts with a {label} byte-order mark but is not "
                    f"{label} text (undecodable bytes at offset {error.start})"
                ) from None
            notes.append(f"{name}: read as {label} text")
            return text, notes
    head = payload[:65536]
    if b"\x00" in head:
        odd, even = head[1::2], head[0::2]
        if odd.count(0) > len(odd) * 0.3 or even.count(0) > len(even) * 0.3:
            raise ImportFailure(
                f"{name}: looks like UTF-16 text without a byte-order mark; save it "
                "as UTF-8"
            )
        raise ImportFailure(f"{name}: is not a text file (it contains NUL bytes)")
    if not _is_utf8(payload):
        try:
            payload = _recode(payload, 0, "cp1252")
            label = "Windows-1252"
        except UnicodeDecodeError:
            payload = _recode(payload, 0, "latin-1")
            label = "Latin-1"
        notes.append(
            f"{name}: is not UTF-8; it was read as {label} (Western European) text"
        )
    sample = payload[:65536].decode("utf-8", errors="ignore")
    controls = len(re.findall(r"[\x01-\x08\x0b\x0e-\x1f\x7f]", sample))
    if controls > max(8, len(sample) // 100):
        raise ImportFailure(
            f"{name}: is not a text file (it contains control characters)"
        )
    return payload, notes


def _has_text(data: bytes) -> bool:
    return re.search(rb"\S", data) is not None


# --- delimited text -------------------------------------------------------------


def _record_end(window: bytes) -> int | None:
    """Where the first record of ``window`` ends: its first line break outside
    quotes, or None when there is none in the window."""
    a = np.frombuffer(window, dtype=np.uint8)
    newlines = np.flatnonzero(a == 10)
    if not newlines.size:
        return None
    quotes_before = np.cumsum(a == 34)[newlines] - (a[newlines] == 34)
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
        _check_width(name, counts[delimiter] + 1, limits)
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
        csv.field_size_limit(max(previous, len(record) + 1))
        try:
            stream = io.TextIOWrapper(io.BytesIO(record), encoding="utf-8", newline="")
            first = next(csv.reader(stream, delimiter=delimiter), [])
        except csv.Error as error:
            raise ImportFailure(
                f"{name}: the header row is not valid CSV ({error})"
            ) from None
        finally:
            csv.field_size_limit(previous)
    _check_width(name, len(first), limits)
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
        f"{name}: has more than {2 * limits.max_rows:,} lines; the limit is "
        f"{limits.max_rows:,} rows"
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
        csv.field_size_limit(max(previous, len(data) + 1))
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
    _check_columns(name, header)
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
    _check_rows(name, n_rows, limits)
    if n_rows == 0:
        raise ImportFailure(f"{name}: has a header but no data rows")
    check_budget(
        name,
        estimate(len(data), n_rows * width),
        limits,
        f"{n_rows:,} {plural(n_rows, 'row')} × {width:,} "
        f"{plural(width, 'column')} and {size_text(len(data))} of text",
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
        noun = "line was" if blank_rows.size == 1 else "lines were"
        notes.append(
            f"{name}: {blank_rows.size:,} blank {noun} skipped (row {shown}{more})"
        )
    frame = _drop_empty_unnamed(name, frame, trailing, notes)
    _check_fields(name, frame, good_rows, limits)
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
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return _arrow_to_text_frame(table)


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


# --- JSON and GeoJSON -------------------------------------------------------------


@dataclass(frozen=True)
class _JsonShape:
    """What a JSON text holds, counted outside its strings, up to ``scanned``."""

    objects: int
    arrays: int
    separators: int  # commas and colons: about one per value
    depth: int
    scanned: int  # bytes counted; less than the text when the scan stopped early


def _json_cost(text_bytes: int, objects: int, arrays: int, separators: int) -> int:
    return (
        BASE_BYTES
        + TEXT_FACTOR * text_bytes
        + JSON_CONTAINER_BYTES * (objects + arrays)
        + JSON_VALUE_BYTES * separators
    )


def _json_shape(data: bytes, budget: int) -> _JsonShape:
    """Count a JSON text's objects, lists, separators and nesting, in chunks.

    Strings are skipped by the parity of their unescaped quotes (a quote after
    an odd run of backslashes is escaped). The counts are exact for any valid
    JSON text and for the valid part of an invalid one, which is all a parser
    would build before it stops, so they bound what parsing can take. The scan
    stops at the first chunk after which the cost of what was counted is over
    ``budget`` or the nesting is deeper than the limit: the rest can only add.
    """
    n = len(data)
    in_string = 0
    run = 0  # backslashes ending the previous chunk
    depth = max_depth = 0
    objects = arrays = separators = 0
    scanned = 0
    for start in range(0, n, _CHUNK):
        a = np.frombuffer(
            data, dtype=np.uint8, count=min(_CHUNK, n - start), offset=start
        )
        quote = a == 34
        backslash = a == 92
        if backslash.any():
            index = np.arange(a.size)
            last_other = np.maximum.accumulate(np.where(backslash, -1, index))
            runs = index - last_other
            runs = np.where(last_other < 0, runs + run, runs)
            before = np.empty_like(runs)
            before[0] = run
            before[1:] = runs[:-1]
            quote &= (before & 1) == 0
            run = int(runs[-1]) if backslash[-1] else 0
        else:
            run = 0
        parity = np.cumsum(quote, dtype=np.uint8)
        parity += np.uint8(in_string)
        parity &= 1
        outside = parity == 0
        in_string = int(parity[-1])
        opens_object = (a == 123) & outside
        opens_array = (a == 91) & outside
        closes = ((a == 125) | (a == 93)) & outside
        objects += int(np.count_nonzero(opens_object))
        arrays += int(np.count_nonzero(opens_array))
        separators += int(np.count_nonzero(((a == 44) | (a == 58)) & outside))
        steps = np.flatnonzero(opens_object | opens_array | closes)
        if steps.size:
            levels = np.cumsum(1 - 2 * closes[steps].view(np.int8), dtype=np.int32)
            max_depth = max(max_depth, depth + int(levels.max()))
            depth += int(levels[-1])
        scanned = start + a.size
        if (
            max_depth > _MAX_JSON_DEPTH
            or _json_cost(n, objects, arrays, separators) > budget
        ):
            break
    return _JsonShape(objects, arrays, separators, max_depth, scanned)


def _json_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _read_json(name: str, payload: bytes, limits: Limits) -> RawTable:
    data, notes = _decode(name, payload)
    if not _has_text(data):
        raise ImportFailure(f"{name}: is empty")
    shape = _json_shape(data, limits.max_memory)
    if shape.depth > _MAX_JSON_DEPTH:
        raise ImportFailure(
            f"{name}: nests JSON {shape.depth:,} levels deep; a table of events needs "
            f"a few, and the limit is {_MAX_JSON_DEPTH}"
        )
    cost = _json_cost(len(data), shape.objects, shape.arrays, shape.separators)
    if shape.scanned < len(data):
        counted = (
            f"at least {shape.objects:,} JSON {plural(shape.objects, 'object')} in "
            f"its first {size_text(shape.scanned)} of {size_text(len(data))}"
        )
    else:
        counted = f"{shape.objects:,} JSON {plural(shape.objects, 'object')}"
        if shape.arrays:
            counted += f" and {shape.arrays:,} {plural(shape.arrays, 'list')}"
        counted += f" in {size_text(len(data))} of text"
    check_budget(
        name,
        cost,
        limits,
        counted,
        advice=_JSON_ADVICE,
        at_least=shape.scanned < len(data),
    )
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise ImportFailure(
            f"{name}: is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ImportFailure(f"{name}: is not valid JSON (nested too deeply)") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ImportFailure(
            f"{name}: is not valid JSON ({_first_line(error)})"
        ) from None
    features: list | None = None
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise ImportFailure(
                f"{name}: is a FeatureCollection without a list of features"
            )
        items = features
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict) and isinstance(document.get("data"), list):
        items = document["data"]
    else:
        raise ImportFailure(
            f"{name}: is JSON but not a GeoJSON FeatureCollection or a list of records"
        )
    _check_rows(name, len(items), limits)
    if not items:
        raise ImportFailure(f"{name}: has no features or records")
    unit = "feature" if features is not None else "record"
    bad: list[tuple[int, str]] = []
    kept_rows: list[int] = []
    cells: list[dict[str, str]] = []
    points: list[tuple[str, str]] = []
    not_points: list[int] = []
    columns: dict[str, None] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            bad.append((number, f"{unit} {number} is not a JSON object"))
            continue
        properties = item.get("properties") if features is not None else item
        if not isinstance(properties, dict):
            properties = {}
        kept_rows.append(number)
        if len(columns) + len(properties) > limits.max_columns:
            columns.update(dict.fromkeys(str(k) for k in properties))
            _check_width(name, len(columns), limits)
        record = {str(k): _json_cell(v) for k, v in properties.items()}
        columns.update(dict.fromkeys(record))
        cells.append(record)
        if features is not None:
            geometry = item.get("geometry")
            coordinates = (
                geometry.get("coordinates") if isinstance(geometry, dict) else None
            )
            if (
                isinstance(geometry, dict)
                and geometry.get("type") == "Point"
                and isinstance(coordinates, list)
                and len(coordinates) >= 2
            ):
                points.append((_json_cell(coordinates[0]), _json_cell(coordinates[1])))
            else:
                points.append(("", ""))
                if geometry is not None:
                    not_points.append(number)
    _check_columns(name, list(columns))
    check_budget(
        name,
        CELL_BYTES * len(cells) * (len(columns) + 2) + cost,
        limits,
        f"{len(cells):,} {plural(len(cells), unit)} × {len(columns):,} "
        f"{plural(len(columns), 'column')} from {size_text(len(data))} of JSON",
        advice=_JSON_ADVICE,
    )
    del document, items, features
    frame = (
        pd.DataFrame.from_records(cells, columns=list(columns))
        if cells
        else pd.DataFrame(columns=list(columns))
    )
    del cells
    frame = frame.fillna("").astype("str").reset_index(drop=True)
    lower = {c.strip().lower() for c in columns}
    if unit == "feature" and not (
        {"latitude", "longitude"} <= lower or {"lat", "lon"} <= lower
    ):
        frame["longitude"] = pd.Series([p[0] for p in points], dtype="str")
        frame["latitude"] = pd.Series([p[1] for p in points], dtype="str")
        if not_points:
            shown = ", ".join(str(n) for n in not_points[:10])
            more = ", ..." if len(not_points) > 10 else ""
            notes.append(
                f"{name}: {len(not_points):,} feature(s) have a geometry that is not "
                f"a Point; their coordinates are not used (feature {shown}{more})"
            )
    rows = np.asarray(kept_rows, dtype=np.int64)
    _check_fields(name, frame, rows, limits)
    return RawTable(name, frame, rows, tuple(bad), tuple(notes), unit)


# --- Parquet --------------------------------------------------------------------


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
        _check_width(name, max(metadata.num_columns, len(schema)), limits)
        _check_rows(name, metadata.num_rows, limits)
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
    what = (
        f"{rows:,} {plural(rows, 'row')} × {width:,} {plural(width, 'column')} and "
        f"{size_text(total)} of data"
    )
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
            f"{rows:,} {plural(rows, 'row')} × {width:,} {plural(width, 'column')} "
            f"and {size_text(text)} of text",
        )
        decoded = [
            pa_compute.cast(c, c.type.value_type)
            if pa.types.is_dictionary(c.type)
            else c
            for c in columns
        ]
        table = pa.Table.from_arrays(decoded, names=table.column_names)
        del decoded, columns
        _check_columns(name, table.column_names)
        frame = _arrow_to_text_frame(table)
    frame.columns = [str(c).strip() for c in frame.columns]
    row_numbers = np.arange(1, len(frame) + 1, dtype=np.int64)
    _check_fields(name, frame, row_numbers, limits)
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


# --- workbooks ----------------------------------------------------------------------


def _read_workbook(name: str, payload: bytes, limits: Limits) -> RawTable:
    sheet = read_xlsx(name, payload, limits)
    _check_columns(name, sheet.header)
    if not sheet.rows:
        raise ImportFailure(f"{name}: has a header but no data rows")
    frame = pd.DataFrame(
        {f"f{i}": column for i, column in enumerate(sheet.columns)}, dtype="str"
    )
    frame.columns = sheet.header
    rows = np.asarray(sheet.rows, dtype=np.int64)
    _check_fields(name, frame, rows, limits)
    return RawTable(name, frame, rows, tuple(sheet.bad_rows), tuple(sheet.notes))


# --- the entry points -------------------------------------------------------------


def _read_data(name: str, payload: bytes, limits: Limits, extension: str) -> RawTable:
    if not payload:
        raise ImportFailure(f"{name}: is empty")
    if extension == ".xlsx":
        return _read_workbook(name, payload, limits)
    what = {
        ".parquet": "a Parquet file",
        ".geojson": "GeoJSON",
        ".json": "JSON",
    }.get(extension, "CSV text")
    _refuse_compressed(name, payload, what)
    if extension == ".parquet":
        return _read_parquet(name, payload, limits)
    if payload[:4] == _PARQUET_MAGIC:
        raise ImportFailure(f"{name}: is a Parquet file, not {what}; name it .parquet")
    if extension in (".geojson", ".json"):
        return _read_json(name, payload, limits)
    return _read_csv(name, payload, limits, extension)


@one_line_failures
def read_table(name: str, payload: bytes, limits: Limits | None = None) -> RawTable:
    """Read a file's bytes as a table of text, or say in one line why it cannot be.

    Parameters
    ----------
    name
        The file name; its extension says how to read it (``.zip`` and ``.gz``
        hold one data file, read by its own extension).
    payload
        The file's bytes.
    limits
        Size, row, column, field and memory limits.

    Raises
    ------
    ImportFailure
        For an empty, compressed, binary, oversized or malformed file, an extension
        that is not read, a duplicated column, an archive that is not one data
        file within the limits, or a file whose import would take more memory
        than the budget. Nothing else leaves this function: an unexpected error
        is an :class:`InternalImportError` whose cause is the original exception.
    """
    name = PurePath(name).name or "the file"
    limits = limits or Limits()
    extension = _check_name(name)
    _check_size(name, len(payload), limits)
    if not payload:
        raise ImportFailure(f"{name}: is empty")
    if extension not in ARCHIVE_EXTENSIONS:
        return _read_data(name, payload, limits, extension)
    unpack = unpack_zip if extension == ".zip" else unpack_gzip
    inner = unpack(name, payload, limits, DATA_EXTENSIONS)
    try:
        table = _read_data(inner.name, inner.payload, limits, _extension(inner.name))
    except InternalImportError:
        raise
    except ImportFailure as failure:
        raise ImportFailure(f"{name}: {failure}") from None
    return replace(table, notes=inner.notes + table.notes)


def read_file(path: Path | str, limits: Limits | None = None) -> bytes:
    """A file's bytes from disk, after the checks that need no reading: the
    extension, that it is a file, and its size.

    Raises
    ------
    ImportFailure
        With a one-line reason, also when the file cannot be read.
    """
    path = Path(path)
    limits = limits or Limits()
    _check_name(path.name)
    try:
        if path.is_dir():
            raise ImportFailure(f"{path.name}: is a folder, not a file")
        _check_size(path.name, path.stat().st_size, limits)
        return path.read_bytes()
    except OSError as error:
        raise ImportFailure(
            f"{path.name}: cannot be read ({error.strerror or error})"
        ) from None
