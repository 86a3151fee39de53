"""The columns of an imported file that no crosswalk uses, kept verbatim with their
events.

An import turns a dataset's columns into ours; every column it does not use is kept
as it was read, cell for cell, so that nothing is lost without a word. A data
directory holds them in ``source_columns.csv`` (``event_id``, then one column per
kept column, named as in the source file); a :class:`imu_geo.data.Dataset` holds
them as a frame aligned with its events; the CSV download can add them, each named
``source:<name>`` so that a source column never collides with ours.

The cells are Arrow strings, dictionary-encoded where a column repeats itself (most
of a dataset's codes and names do), so a million rows of forty columns stay
affordable (``benchmarks/source_columns.py`` measures it).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

SOURCE_COLUMNS_FILE = "source_columns.csv"
# The download names a kept column ``source:<name>``: ``:`` is in none of ours.
SOURCE_PREFIX = "source:"
KEY_COLUMN = "event_id"

_TEXT = pa.large_string()
_CODED = pa.dictionary(pa.int32(), pa.large_string())


def compact_text(
    values: pd.Series | np.ndarray | list | pa.ChunkedArray,
) -> pd.Series:
    """Text as Arrow strings on a fresh RangeIndex, missing cells empty.

    A column whose distinct values are at most half its cells is
    dictionary-encoded: each cell is then a 4-byte code into one copy of each
    value. Values are never changed, only stored differently.
    """
    if isinstance(values, pa.ChunkedArray):
        array = values.cast(_TEXT)
    else:
        if isinstance(values, pd.Series):
            values = values.reset_index(drop=True)
        array = pa.array(values, type=_TEXT, from_pandas=True)
    # One piece: encoded piece by piece, each piece would get its own dictionary.
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count:
        array = pc.fill_null(array, "")
    if len(array) > 1:
        # One hash pass finds the distinct values; the codes are kept only when
        # they save room.
        encoded = pc.dictionary_encode(array)
        if len(encoded.dictionary) * 2 <= len(array):
            array = encoded
    return pd.Series(pd.arrays.ArrowExtensionArray(array))


def compact_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`compact_text` applied to every column; the names are kept as they are."""
    columns = list(frame.columns)
    compact = pd.DataFrame(
        {i: compact_text(frame.iloc[:, i]) for i in range(len(columns))},
        index=pd.RangeIndex(len(frame)),
    )
    compact.columns = columns
    return compact


def empty_frame(n: int) -> pd.DataFrame:
    """No kept columns, for ``n`` events."""
    return pd.DataFrame(index=pd.RangeIndex(n))


def text_cells(column: pd.Series) -> np.ndarray:
    """A kept column as an object array of ``str``, missing cells empty."""
    return column.to_numpy(dtype=object, na_value="")


def _arrow(column: pd.Series) -> pa.ChunkedArray:
    array = pa.chunked_array(pa.array(column, from_pandas=True))
    return array if array.type in (_TEXT, _CODED) else array.cast(_TEXT)


def stack(parts: Sequence[tuple[pd.DataFrame | None, int]]) -> pd.DataFrame | None:
    """The kept columns of several datasets shown together, one after the other.

    ``parts`` gives each dataset's kept columns (None for none) and its number of
    events. A column one dataset lacks is empty for its events. No cell is copied
    into Python objects: the Arrow chunks are put side by side.
    """
    names: list[str] = []
    for frame, _ in parts:
        for name in frame.columns if frame is not None else ():
            if name not in names:
                names.append(name)
    if not names:
        return None
    stacked = {}
    for name in names:
        chunks = [
            _arrow(frame[name]) if frame is not None and name in frame.columns else None
            for frame, _ in parts
        ]
        types = {chunk.type for chunk in chunks if chunk is not None}
        kind = types.pop() if len(types) == 1 else _TEXT
        arrays = []
        for chunk, (_, n) in zip(chunks, parts, strict=True):
            if chunk is None:
                arrays.append(pa.chunked_array([pa.nulls(n, kind)]))
            else:
                arrays.append(chunk.cast(kind))  # nothing to do when of that kind
        combined = pa.chunked_array(
            [piece for array in arrays for piece in array.chunks], kind
        )
        stacked[len(stacked)] = pd.Series(pd.arrays.ArrowExtensionArray(combined))
    # Each column holds every dataset's rows: the frame is numbered from 0.
    frame = pd.DataFrame(stacked)
    frame.columns = names
    return frame


def aligned(frame: pd.DataFrame, event_ids: pd.Series) -> pd.DataFrame:
    """The kept columns of ``source_columns.csv`` in the order of ``event_ids``.

    ``frame`` has ``event_id`` first; an event without a row gets empty cells.
    A file written by an import is already in the events' order, and is then
    taken as it is.
    """
    keys = frame[KEY_COLUMN]
    kept = frame.drop(columns=KEY_COLUMN)
    if len(keys) == len(event_ids) and bool(
        (keys.to_numpy(dtype=object) == event_ids.to_numpy(dtype=object)).all()
    ):
        return kept.reset_index(drop=True)
    positions = pd.Index(keys.astype(object)).get_indexer(event_ids.astype(object))
    indices = pa.array(positions, mask=positions < 0)
    columns = {
        i: pd.Series(
            pd.arrays.ArrowExtensionArray(pc.take(_arrow(kept.iloc[:, i]), indices))
        )
        for i in range(len(kept.columns))
    }
    result = pd.DataFrame(columns, index=pd.RangeIndex(len(event_ids)))
    result.columns = list(kept.columns)
    return result


def write_source_columns(path: Path, event_ids: pd.Series, frame: pd.DataFrame) -> None:
    """Write ``source_columns.csv``: ``event_id``, then the kept columns.

    UTF-8, LF line ends, every field quoted (RFC 4180), so that no character of
    a verbatim cell can break a row. The cells are written as they are: like
    ``events.csv`` this is a data file, not a spreadsheet download.
    """
    names = [KEY_COLUMN, *frame.columns]
    arrays = [pa.array(event_ids.astype("str").to_numpy(dtype=object), _TEXT)]
    arrays += [_arrow(frame[name]).cast(_TEXT) for name in frame.columns]
    table = pa.Table.from_arrays(
        [pc.fill_null(array, "") for array in arrays], names=names
    )
    pa_csv.write_csv(table, str(path), pa_csv.WriteOptions(quoting_style="all_valid"))


# --- reading and checking source_columns.csv -----------------------------------

# (row, column, message), as imu_geo.validate.Problem takes them.
Finding = tuple[int | None, str | None, str]
# The header must end within the file's first MiB.
_HEADER_LIMIT = 2**20


def _header_findings(header: list[str]) -> list[Finding]:
    found: list[Finding] = []
    if not header or header[0] != KEY_COLUMN:
        first = header[0] if header else ""
        found.append((1, None, f"the first column must be event_id, not {first!r}"))
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name.strip():
            found.append((1, None, f"column {position} has no name"))
        elif name in seen:
            found.append((1, name, "the column appears more than once"))
        seen.add(name)
    return found


def _row_findings(text: str, width: int) -> list[Finding]:
    """Rows whose number of fields is not the header's, read row by row."""
    found: list[Finding] = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
            if number > 1 and len(row) != width:
                reason = f"has {len(row)} fields where the header has {width}"
                found.append((number, None, reason))
    except csv.Error as error:
        found.append((None, None, f"is not valid CSV ({error})"))
    return found


def read_source_columns(
    path: Path, event_ids: pd.Series | None
) -> tuple[list[Finding], pd.DataFrame | None]:
    """Read and check ``source_columns.csv``.

    Parameters
    ----------
    path
        The file.
    event_ids
        The ids of ``events.csv``; every row must name one of them, once. None
        skips that check (when the events could not be read).

    Returns
    -------
    findings, frame
        One finding per problem (row, column, message); the frame (``event_id``
        then the kept columns, as text) when the file could be read as a table.
    """
    with path.open("rb") as handle:
        start = handle.read(_HEADER_LIMIT)
    if b"\x00" in start[:4096]:
        return [(None, None, "is not a text file (it contains NUL bytes)")], None
    if not start or (start.isspace() and path.stat().st_size <= len(start)):
        return [(None, None, "is empty")], None
    # The header from the file's start; the rest is left to Arrow's reader,
    # which checks the UTF-8 as it goes (a large file is never decoded whole).
    head = start.decode("utf-8-sig", errors="replace")
    try:
        header = next(csv.reader(io.StringIO(head, newline="")))
    except (csv.Error, StopIteration) as error:
        return [(1, None, f"the header is not valid CSV ({error})")], None
    found = _header_findings(header)
    if found:
        return found, None
    invalid: list[object] = []

    def note_invalid(row) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pa_csv.read_csv(
            str(path),
            parse_options=pa_csv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=note_invalid
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(header, _TEXT), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:
        invalid.append(None)
    if invalid or table.column_names != header:
        return _diagnose(path.read_bytes(), len(header)), None
    keys = pd.Series(pd.arrays.ArrowStringArray(table.column(0).cast(_TEXT)))
    # Numbered from 0 by the columns, or by the ids when there is no other.
    frame = pd.DataFrame(
        {i: compact_text(table.column(i)) for i in range(1, len(header))}
    )
    frame.columns = header[1:]
    frame.insert(0, KEY_COLUMN, keys.astype("str"))
    if event_ids is not None:
        found.extend(_key_findings(table.column(0), event_ids))
    del table
    # The parsed text is garbage now; hand the allocator's free pages back.
    pa.default_memory_pool().release_unused()
    return found, frame


def _diagnose(raw: bytes, width: int) -> list[Finding]:
    """Why Arrow's reader refused the file: the encoding or the rows, named."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # The codec counts from after a byte-order mark; the offset is the file's.
        mark = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
        reason = f"is not UTF-8 text (undecodable byte at offset {error.start + mark})"
        return [(None, None, reason)]
    return _row_findings(text, width) or [(None, None, "is not valid CSV")]


def _key_findings(keys: pa.ChunkedArray, event_ids: pd.Series) -> list[Finding]:
    known = pa.array(event_ids.astype("str").to_numpy(dtype=object), _TEXT)
    unknown = ~pc.is_in(keys.cast(_TEXT), value_set=known).to_numpy(
        zero_copy_only=False
    )
    texts = pd.Series(pd.arrays.ArrowStringArray(keys.cast(_TEXT)))
    repeated = texts.duplicated(keep="first").to_numpy(bool)
    bad = np.flatnonzero(unknown | repeated)
    if not len(bad):
        return []
    first_row = {}
    if repeated.any():
        firsts = texts[texts.duplicated(keep=False)].drop_duplicates(keep="first")
        first_row = {value: int(i) + 2 for i, value in firsts.items()}
    found: list[Finding] = []
    for position in bad:
        key = texts.iloc[position]
        if unknown[position]:
            reason = f"{key!r} is not an event of events.csv"
        else:
            reason = f"{key!r} is a duplicate of row {first_row[key]}"
        found.append((int(position) + 2, KEY_COLUMN, reason))
    return found
