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

One module per concern, each importing only those before it:

1. :mod:`.table`: :class:`RawTable`, the extensions, the checks of a file
   before it is read, an Arrow table as text;
2. :mod:`.checks`: the checks of a table's shape (columns, rows, fields);
3. :mod:`.text`: decoding;
4. :mod:`.delimited`: CSV, TSV and ``.txt``;
5. :mod:`.jsonfile`: JSON and GeoJSON;
6. :mod:`.parquet`: Parquet;
7. :mod:`.workbook`: ``.xlsx``;

and this module, the entry points :func:`read_table` and :func:`read_file`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePath

from imu_geo.importers.archives import ARCHIVE_EXTENSIONS, unpack_gzip, unpack_zip
from imu_geo.importers.limits import (
    ImportFailure,
    InternalImportError,
    Limits,
    one_line_failures,
)
from imu_geo.importers.reading.delimited import _read_csv
from imu_geo.importers.reading.jsonfile import _read_json
from imu_geo.importers.reading.parquet import _PARQUET_MAGIC, _read_parquet
from imu_geo.importers.reading.table import (
    ALLOWED_EXTENSIONS,
    COMPRESSED_EXTENSIONS,
    DATA_EXTENSIONS,
    RawTable,
    _check_name,
    _check_size,
    _extension,
    _refuse_compressed,
)
from imu_geo.importers.reading.workbook import _read_workbook

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
