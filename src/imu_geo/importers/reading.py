"""Reading a file's bytes as a table of text (:class:`RawTable`), or refusing it.

The checks run before anything is parsed: the name's extension, the size limit and
the magic bytes of compressed files. Text is decoded (UTF-8, UTF-16 or UTF-32 with a
byte-order mark, else Windows-1252 with a note), the delimiter is sniffed from the
header line, and CSV, GeoJSON/JSON and Parquet are read with every cell as text.
Row numbers are the ones a user can find in the file. Nothing here knows about
event formats: this module depends on no other part of the importer.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv
import pyarrow.parquet as pa_parquet

ALLOWED_EXTENSIONS: tuple[str, ...] = (
    ".csv",
    ".tsv",
    ".txt",
    ".geojson",
    ".json",
    ".parquet",
)

COMPRESSED_EXTENSIONS: frozenset[str] = frozenset(
    {".gz", ".gzip", ".tgz", ".zip", ".bz2", ".xz", ".lzma", ".7z", ".zst"}
    | {".lz4", ".rar", ".tar", ".z"}
)

# Magic bytes at the start of a file, and what they mean.
_COMPRESSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\xfd7zXZ\x00", "xz-compressed"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed"),
    (b"\x04\x22\x4d\x18", "lz4-compressed"),
    (b"Rar!\x1a\x07", "a rar archive"),
)

_BZIP2_MAGIC = re.compile(rb"BZh[1-9]1AY&SY")

_PARQUET_MAGIC = b"PAR1"

_CHUNK = 1 << 24

_CSV_LIMIT_LOCK = threading.Lock()


class ImportFailure(Exception):
    """A file that cannot be read at all; the message is one line a user can act on."""


@dataclass(frozen=True)
class Limits:
    """What an import accepts before it reads a file.

    Attributes
    ----------
    max_bytes
        The largest file, in bytes (200 MB by default).
    max_rows
        The most data rows (5 million by default).
    max_field_bytes
        The longest single field, counted in characters of the decoded text
        (1 MB by default).
    """

    max_bytes: int = 200 * 2**20
    max_rows: int = 5_000_000
    max_field_bytes: int = 1 * 2**20


@dataclass(frozen=True)
class RawTable:
    """A file read as text: every cell a string, nothing inferred.

    Attributes
    ----------
    name
        The file name, for messages.
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
        What a row number counts: ``row`` (CSV, Parquet), ``feature`` (GeoJSON)
        or ``record`` (a JSON list).
    """

    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    bad_rows: tuple[tuple[int, str], ...] = ()
    notes: tuple[str, ...] = ()
    unit: str = "row"


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB"
    if n >= 2**10:
        return f"{n / 2**10:.1f} KB"
    return f"{n} bytes"


def _limit_size(n: int) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            value = n / scale
            return f"{value:g} {unit}"
    return f"{n} bytes"


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def _refuse_compressed(name: str, payload: bytes, what: str) -> None:
    head = payload[:16]
    for magic, kind in _COMPRESSED_MAGIC:
        if head.startswith(magic):
            raise ImportFailure(
                f"{name}: is {kind}, not {what}; unpack it first and import the "
                "file inside"
            )
    if _BZIP2_MAGIC.match(head) or payload[257:262] == b"ustar":
        kind = "bzip2-compressed" if _BZIP2_MAGIC.match(head) else "a tar archive"
        raise ImportFailure(
            f"{name}: is {kind}, not {what}; unpack it first and import the file inside"
        )


def _decode(name: str, payload: bytes) -> tuple[bytes, list[str]]:
    """Return the text as UTF-8 bytes (no byte-order mark) and notes on the encoding."""
    notes: list[str] = []
    boms = (
        (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
        (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
        (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
        (b"\xff\xfe", "utf-16-le", "UTF-16"),
        (b"\xfe\xff", "utf-16-be", "UTF-16"),
    )
    for bom, codec, label in boms:
        if payload.startswith(bom):
            body = payload[len(bom) :]
            if codec == "utf-8":
                payload = body
                break
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as error:
                raise ImportFailure(
                    f"{name}: starts with a {label} byte-order mark but is not "
                    f"{label} text (undecodable bytes at offset {error.start})"
                ) from None
            notes.append(f"{name}: read as {label} text")
            return text.encode("utf-8"), notes
    head = payload[:65536]
    if b"\x00" in head:
        odd, even = head[1::2], head[0::2]
        if odd.count(0) > len(odd) * 0.3 or even.count(0) > len(even) * 0.3:
            raise ImportFailure(
                f"{name}: looks like UTF-16 text without a byte-order mark; save it "
                "as UTF-8"
            )
        raise ImportFailure(f"{name}: is not a text file (it contains NUL bytes)")
    try:
        sample = payload.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample = payload.decode("cp1252")
            label = "Windows-1252"
        except UnicodeDecodeError:
            sample = payload.decode("latin-1")
            label = "Latin-1"
        notes.append(
            f"{name}: is not UTF-8; it was read as {label} (Western European) text"
        )
        payload = sample.encode("utf-8")
    controls = len(re.findall(r"[\x01-\x08\x0b\x0e-\x1f\x7f]", sample[:65536]))
    if controls > max(8, len(sample[:65536]) // 100):
        raise ImportFailure(
            f"{name}: is not a text file (it contains control characters)"
        )
    return payload, notes


def _sniff_delimiter(data: bytes, extension: str) -> str:
    line = data[: data.find(b"\n")] if b"\n" in data[:65536] else data[:65536]
    counts = {d: line.count(d.encode()) for d in (",", ";", "\t", "|")}
    if extension == ".tsv" and counts["\t"]:
        return "\t"
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass(frozen=True)
class _Layout:
    fields: np.ndarray  # fields per record, the header first
    blank: np.ndarray  # records with no characters
    max_length: int
    multiline: bool


def _csv_layout(name: str, data: bytes, delimiter: str) -> _Layout | None:
    """Count the fields of every record without parsing them (numpy, in chunks).

    This is exact for RFC 4180 files, where a quote opens only at the start of a
    field and closes only before a delimiter or line end; for any other use of
    quotes, or a lone CR line end, it returns None and the caller counts with the
    ``csv`` module instead.
    """
    a = np.frombuffer(data, dtype=np.uint8)
    n = a.size
    delim = ord(delimiter)
    quotes_seen = 0
    last_quote = -1
    newline_parts: list[np.ndarray] = []
    delimiter_parts: list[np.ndarray] = []
    inside_newlines = 0
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
        newline_parts.append(newlines[outside] + start)
        returns = np.flatnonzero(block == 13)
        if returns.size:
            follow = start + returns + 1
            lone = (follow >= n) | (a[np.minimum(follow, n - 1)] != 10)
            if (lone & (parity[returns] == 0)).any():
                return None
        delimiters = np.flatnonzero(block == delim)
        delimiter_parts.append(delimiters[parity[delimiters] == 0] + start)
        quotes_seen += int(quotes.size)
    ends = np.concatenate(newline_parts) if newline_parts else np.array([], np.int64)
    if n and a[-1] != 10:
        ends = np.append(ends, n)
    if quotes_seen % 2:
        row = int(np.searchsorted(ends, last_quote)) + 1
        raise ImportFailure(
            f"{name}: row {row} opens a quoted field that is never closed"
        )
    starts = np.concatenate(([0], ends[:-1] + 1)) if ends.size else ends
    lengths = ends - starts
    carriage = (lengths > 0) & (a[np.maximum(ends - 1, 0)] == 13)
    lengths = lengths - carriage
    fields = np.ones(ends.size, dtype=np.int64)
    for part in delimiter_parts:
        if part.size:
            fields += np.bincount(np.searchsorted(ends, part), minlength=ends.size)[
                : ends.size
            ]
    return _Layout(
        fields=fields,
        blank=lengths == 0,
        max_length=int(lengths.max()) if lengths.size else 0,
        multiline=inside_newlines > 0,
    )


def _csv_module_layout(data: bytes, delimiter: str) -> _Layout:
    """Count fields per record with the ``csv`` module (irregular quoting)."""
    with _CSV_LIMIT_LOCK:
        previous = csv.field_size_limit()
        csv.field_size_limit(max(previous, len(data) + 1))
        try:
            stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
            counts = [len(record) for record in csv.reader(stream, delimiter=delimiter)]
        finally:
            csv.field_size_limit(previous)
    fields = np.asarray(counts, dtype=np.int64)
    return _Layout(
        fields=fields, blank=fields == 0, max_length=len(data), multiline=True
    )


def _header(name: str, data: bytes, delimiter: str) -> list[str]:
    with _CSV_LIMIT_LOCK:
        previous = csv.field_size_limit()
        csv.field_size_limit(max(previous, len(data) + 1))
        try:
            stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
            first = next(csv.reader(stream, delimiter=delimiter), [])
        except csv.Error as error:
            raise ImportFailure(
                f"{name}: the header row is not valid CSV ({error})"
            ) from None
        finally:
            csv.field_size_limit(previous)
    if not first or not "".join(first).strip():
        raise ImportFailure(f"{name}: the first line is blank; it must be the header")
    return [
        column.strip() or f"(column {number})"
        for number, column in enumerate(first, start=1)
    ]


def _check_columns(name: str, columns: Sequence[str]) -> None:
    seen: set[str] = set()
    for column in columns:
        key = column.strip().lower()
        if key in seen:
            raise ImportFailure(f"{name}: the column {column!r} appears more than once")
        seen.add(key)


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
                f"{_limit_size(limits.max_field_bytes)} (column {column!r}); that is "
                "the limit for one field"
            )


def _read_csv(name: str, payload: bytes, limits: Limits, extension: str) -> RawTable:
    data, notes = _decode(name, payload)
    if not data.strip():
        raise ImportFailure(f"{name}: is empty")
    delimiter = _sniff_delimiter(data, extension)
    if delimiter != ",":
        shown = {"\t": "tabs", ";": "';'", "|": "'|'"}[delimiter]
        notes.append(f"{name}: columns are separated by {shown}")
    header = _header(name, data, delimiter)
    _check_columns(name, header)
    width = len(header)
    layout = _csv_layout(name, data, delimiter)
    fast = layout is not None and int(layout.fields[0]) == width
    if not fast:
        layout = _csv_module_layout(data, delimiter)
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
    except (pa.ArrowException, pd.errors.ParserError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "unknown"
        raise ImportFailure(f"{name}: is not valid CSV ({reason})") from None
    if len(frame) != int(kept.sum()):
        raise ImportFailure(
            f"{name}: is not valid CSV (its rows could not be counted consistently)"
        )
    frame.columns = header
    frame_rows = data_rows[kept]
    frame_blank = data_blank[kept]
    frame_good = (~frame_blank) & (data_fields[kept] == width)
    frame = frame.loc[frame_good].reset_index(drop=True).fillna("")
    good_rows = frame_rows[frame_good]
    bad = [
        (
            int(row),
            f"has {count} {_plural(count, 'field')} where the header has {width}",
        )
        for row, count, blank in zip(data_rows, data_fields, data_blank, strict=True)
        if not blank and count != width
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
    frame = pa.Table.from_arrays(columns, names=names).to_pandas()
    frame = frame.astype("str") if len(frame.columns) else frame
    frame.columns = list(table.column_names)
    return frame


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
    if not data.strip():
        raise ImportFailure(f"{name}: is empty")
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise ImportFailure(
            f"{name}: is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ImportFailure(f"{name}: is not valid JSON (nested too deeply)") from None
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
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            bad.append((number, f"{unit} {number} is not a JSON object"))
            continue
        properties = item.get("properties") if features is not None else item
        if not isinstance(properties, dict):
            properties = {}
        kept_rows.append(number)
        cells.append({str(k): _json_cell(v) for k, v in properties.items()})
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
    columns: dict[str, None] = {}
    for record in cells:
        columns.update(dict.fromkeys(record))
    _check_columns(name, list(columns))
    frame = (
        pd.DataFrame.from_records(cells, columns=list(columns))
        if cells
        else pd.DataFrame(columns=list(columns))
    )
    frame = frame.fillna("").astype("str").reset_index(drop=True)
    lower = {c.strip().lower() for c in columns}
    if features is not None and not (
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


def _read_parquet(name: str, payload: bytes, limits: Limits) -> RawTable:
    if not (payload[:4] == _PARQUET_MAGIC and payload[-4:] == _PARQUET_MAGIC):
        raise ImportFailure(
            f"{name}: is not a Parquet file (it does not start and end with PAR1)"
        )
    try:
        parquet = pa_parquet.ParquetFile(io.BytesIO(payload))
        _check_rows(name, parquet.metadata.num_rows, limits)
        table = parquet.read()
    except pa.ArrowException as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "unknown"
        raise ImportFailure(
            f"{name}: is not a readable Parquet file ({reason})"
        ) from None
    _check_columns(name, table.column_names)
    if table.num_rows == 0:
        raise ImportFailure(f"{name}: has columns but no rows")
    frame = _arrow_to_text_frame(table)
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    _check_fields(name, frame, rows, limits)
    return RawTable(name, frame, rows, (), ())


def read_table(name: str, payload: bytes, limits: Limits | None = None) -> RawTable:
    """Read a file's bytes as a table of text, or say in one line why it cannot be.

    Parameters
    ----------
    name
        The file name; its extension says how to read it.
    payload
        The file's bytes.
    limits
        Size, row and field limits.

    Raises
    ------
    ImportFailure
        For an empty, compressed, binary, oversized or malformed file, an extension
        that is not read, or a duplicated column.
    """
    name = PurePath(name).name or "the file"
    limits = limits or Limits()
    extension = _check_name(name)
    _check_size(name, len(payload), limits)
    if not payload:
        raise ImportFailure(f"{name}: is empty")
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


def _check_size(name: str, size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise ImportFailure(
            f"{name}: is {_size(size)}; the limit is {_limit_size(limits.max_bytes)}"
        )


def _check_name(name: str) -> str:
    """Refuse a compressed or unknown extension; return the extension."""
    extension = _extension(name)
    if extension in COMPRESSED_EXTENSIONS:
        raise ImportFailure(
            f"{name}: compressed files ({extension}) are not read; unpack it first "
            "and import the file inside"
        )
    if extension not in ALLOWED_EXTENSIONS:
        shown = (
            f"files ending in {extension}"
            if extension
            else "files without an extension"
        )
        raise ImportFailure(
            f"{name}: {shown} are not read; use {', '.join(ALLOWED_EXTENSIONS[:-1])} "
            f"or {ALLOWED_EXTENSIONS[-1]}"
        )
    return extension
