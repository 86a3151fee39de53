"""Reading an Excel workbook (``.xlsx``) as text, cell by cell as it is shown.

A workbook is a zip of XML parts, so the archive limits apply to it: every part
is unpacked once, counted against the size limit and the unpack ratio, and the
worksheets are scanned as they stream past, counting their rows and cells, so
that the memory the workbook will take is estimated before any of it is loaded.
Only then is it opened with openpyxl in read-only mode (which streams the rows),
and the first sheet with data is read; a note says which sheet. Numbers are
written as a spreadsheet shows them in its General format (up to 15 significant
digits), dates as ISO text, booleans as ``TRUE``/``FALSE``, errors as written
(``#N/A``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass

import numpy as np

from imu_geo.importers.archives import verify_zip
from imu_geo.importers.limits import (
    BASE_BYTES,
    ImportFailure,
    Limits,
    check_budget,
    size_text,
)
from imu_geo.text import counted, plural

# Excel's last row; row numbers past it mean a damaged or hostile sheet.
EXCEL_MAX_ROW = 1_048_576

# The estimate of a workbook's import peak memory (see docs/import.md, section
# 6): the shared strings, read as Python text and then imported; each cell, kept
# as text and then imported; each row element the XML parser keeps; and the
# widest row openpyxl builds at once.
SHARED_TEXT_FACTOR = 10
XLSX_CELL_BYTES = 224
XLSX_ROW_BYTES = 200
XLSX_WIDE_ROW_CELL_BYTES = 400

_DELIMITER = np.zeros(256, dtype=bool)
_DELIMITER[list(b" \t\r\n>/")] = True
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>/]")
_TAIL = 16


class _CellCounter:
    """Counts the rows and cells of a worksheet's XML as it streams, in chunks.

    A cell is a ``c`` element (``<c ...>`` with any namespace prefix), a row a
    ``row`` element with the root's prefix. Markup inside comments or CDATA can
    only add cells or hide rows, so the counts err on the side of more cells in
    fewer rows; where the sheet has comments or CDATA at all, the widest row is
    taken to be all of its cells.
    """

    def __init__(self) -> None:
        self.tail = b" "
        self.head = b""
        self.row_pattern: bytes | None = None
        self.cells = 0
        self.rows = 0
        self.current = 0
        self.widest = 0
        self.comments = False
        self.doctype = False

    def __call__(self, chunk: bytes) -> None:
        self._feed(chunk, final=False)

    def finish(self) -> None:
        self._feed(b"", final=True)
        self.widest = max(self.widest, self.current)
        if self.comments or self.row_pattern is None:
            self.widest = self.cells

    def _feed(self, chunk: bytes, final: bool) -> None:
        if self.row_pattern is None and len(self.head) < 65536:
            self.head += chunk[: 65536 - len(self.head)]
            match = _ROOT.search(self.head)
            if match:
                self.row_pattern = (
                    b"<" + (match[1] + b":" if match[1] else b"") + b"row"
                )
        buffer = self.tail + chunk
        if b"<!DOCTYPE" in buffer or b"<!ENTITY" in buffer:
            self.doctype = True
        a = np.frombuffer(buffer, dtype=np.uint8)
        n = a.size
        limit = n if final else n - _TAIL
        if limit <= 1:
            self.tail = buffer
            return
        body = a[1:limit]
        following = np.append(a[2:], np.uint8(0))[: limit - 1]
        preceding = a[: limit - 1]
        is_cell = (body == 99) & ((preceding == 60) | (preceding == 58))
        is_cell &= _DELIMITER[following]
        cells = np.flatnonzero(is_cell)
        opens = np.flatnonzero(body == 60)
        if opens.size and np.any(following[opens] == 33):
            self.comments = True
        rows = opens
        pattern = self.row_pattern or b"<\x00"
        for k, byte in enumerate(pattern[1:], start=1):
            at = rows + 1 + k
            rows = rows[(at < n) & (a[np.minimum(at, n - 1)] == byte)]
        end = rows + 1 + len(pattern)
        rows = rows[(end < n) & _DELIMITER[a[np.minimum(end, n - 1)]]]
        self.cells += int(cells.size)
        if rows.size:
            per_row = np.bincount(np.searchsorted(rows, cells), minlength=rows.size + 1)
            per_row[0] += self.current
            self.widest = max(self.widest, int(per_row[:-1].max()))
            self.current = int(per_row[-1])
            self.rows += int(rows.size)
        else:
            self.current += int(cells.size)
        self.tail = buffer[limit - 1 :]


@dataclass(frozen=True)
class SheetTable:
    """One worksheet read as text: the header, one list of texts per column, the
    Excel row number of each data row, rows that could not be read and notes."""

    header: list[str]
    columns: list[list[str]]
    rows: list[int]
    bad_rows: list[tuple[int, str]]
    notes: list[str]


def _text(value: object) -> str:
    """A cell's value as a spreadsheet shows it in its General format."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds" if not value.microsecond else "auto")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _scan(name: str, payload: bytes, limits: Limits) -> None:
    """Unpack every part once, counting, and estimate the workbook's memory."""
    counters: dict[str, _CellCounter] = {}

    def scanner(member: str):
        lower = member.lower()
        if not lower.endswith(".xml") or lower.endswith("sharedstrings.xml"):
            return None
        counters[member] = _CellCounter()
        return counters[member]

    sizes = verify_zip(name, payload, limits, scanner)
    for counter in counters.values():
        counter.finish()
        if counter.doctype:
            raise ImportFailure(
                f"{name}: declares an XML document type, which Excel workbooks never "
                "do; it is refused"
            )
    shared = sum(s for m, s in sizes.items() if m.lower().endswith("sharedstrings.xml"))
    cells = sum(c.cells for c in counters.values())
    rows = sum(c.rows for c in counters.values())
    widest = max((c.widest for c in counters.values()), default=0)
    need = (
        BASE_BYTES
        + SHARED_TEXT_FACTOR * shared
        + XLSX_CELL_BYTES * cells
        + XLSX_ROW_BYTES * rows
        + XLSX_WIDE_ROW_CELL_BYTES * widest
    )
    check_budget(
        name,
        need,
        limits,
        f"{cells:,} {plural(cells, 'cell')} in {rows:,} {plural(rows, 'row')} and "
        f"{size_text(shared)} of shared text",
    )


def _open(name: str, payload: bytes):
    import openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it does not keep (data validation,
            # extensions); none of them holds cell values.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(payload), read_only=True, data_only=True
            )
    except MemoryError:
        raise
    except Exception as error:  # any failure of the parser is a damaged file
        raise ImportFailure(
            f"{name}: is not a readable Excel workbook ({_reason(error)}); open it "
            "in a spreadsheet and save it again as .xlsx or CSV"
        ) from None


def _reason(error: Exception) -> str:
    first = (str(error).strip().splitlines() or [""])[0][:160]
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def _rows(name: str, sheet):
    """The sheet's rows of text, numbered as Excel numbers them."""
    sheet.reset_dimensions()  # the size a sheet declares is not trusted
    number = 0
    try:
        for values in sheet.iter_rows(values_only=True):
            number += 1
            if number > EXCEL_MAX_ROW:
                raise ImportFailure(
                    f"{name}: sheet {sheet.title!r} numbers rows past Excel's last "
                    f"row ({EXCEL_MAX_ROW:,}); it is damaged"
                )
            texts = [_text(v) for v in values]
            while texts and not texts[-1].strip():
                texts.pop()
            yield number, texts
    except ImportFailure:
        raise
    except MemoryError:
        raise
    except Exception as error:  # any failure of the parser is a damaged sheet
        raise ImportFailure(
            f"{name}: sheet {sheet.title!r} cannot be read past row {number:,} "
            f"({_reason(error)}); open it in a spreadsheet and save it again"
        ) from None


def _has_data(name: str, sheet) -> bool:
    return any(texts for _, texts in _rows(name, sheet))


def read_xlsx(name: str, payload: bytes, limits: Limits) -> SheetTable:
    """Read the first worksheet with data of a workbook, as text.

    The first row with a value is the header; empty rows after it are skipped
    with a note. Row numbers are Excel's.

    Raises
    ------
    ImportFailure
        For an encrypted or old-format (``.xls``) file, a damaged workbook, a
        workbook over the size limit, the unpack ratio or the memory budget
        once unpacked, no sheet with data, too many columns or rows, or a
        duplicated column.
    """
    if payload[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportFailure(
            f"{name}: is an encrypted workbook or an old Excel file (.xls), not an "
            ".xlsx workbook; save it as .xlsx without a password, or as CSV"
        )
    if payload[:2] != b"PK":
        raise ImportFailure(
            f"{name}: is not an Excel workbook (an .xlsx file is a zip archive)"
        )
    _scan(name, payload, limits)
    workbook = _open(name, payload)
    try:
        return _read_sheet(name, workbook, limits)
    finally:
        workbook.close()


def _read_sheet(name: str, workbook, limits: Limits) -> SheetTable:
    try:
        sheets = list(workbook.worksheets)
    except Exception as error:  # openpyxl reads the sheet list lazily
        raise ImportFailure(
            f"{name}: is not a readable Excel workbook ({_reason(error)})"
        ) from None
    with_data = [sheet for sheet in sheets if _has_data(name, sheet)]
    if not with_data:
        raise ImportFailure(f"{name}: has no sheet with data")
    sheet = with_data[0]
    notes = [f"{name}: read sheet {sheet.title!r}" + _which(sheets, with_data)]
    header: list[str] | None = None
    columns: list[list[str]] = []
    rows: list[int] = []
    bad: list[tuple[int, str]] = []
    blank: list[int] = []
    for number, texts in _rows(name, sheet):
        if header is None:
            if not texts:
                continue
            if len(texts) > limits.max_columns:
                raise ImportFailure(
                    f"{name}: sheet {sheet.title!r} has {len(texts):,} columns; the "
                    f"limit is {limits.max_columns:,} columns"
                )
            header = [
                t.strip() or f"(column {i})" for i, t in enumerate(texts, start=1)
            ]
            columns = [[] for _ in header]
            if number > 1:
                notes.append(
                    f"{name}: the header is row {number:,}; the rows above it are empty"
                )
            continue
        if not texts:
            blank.append(number)
            continue
        if len(texts) > len(header):
            bad.append(
                (
                    number,
                    f"has a value in column {_column_letter(len(texts))}, beyond the "
                    f"header's {len(header):,} columns",
                )
            )
            continue
        if len(rows) >= limits.max_rows:
            raise ImportFailure(
                f"{name}: has more than {counted(limits.max_rows, 'row')}; the limit "
                f"is {counted(limits.max_rows, 'row')}"
            )
        rows.append(number)
        for i, column in enumerate(columns):
            column.append(texts[i] if i < len(texts) else "")
    if blank:
        shown = ", ".join(str(r) for r in blank[:10])
        more = ", ..." if len(blank) > 10 else ""
        empty = counted(len(blank), "empty row was", "empty rows were")
        notes.append(f"{name}: {empty} skipped (row {shown}{more})")
    return SheetTable(header or [], columns, rows, bad, notes)


def _which(sheets: list, with_data: list) -> str:
    """The end of the note that says which sheet was read: the only sheet, the
    only one with data, or the first of ``with_data`` (up to three others named)."""
    if len(sheets) == 1:
        return ", the only sheet"
    if len(with_data) == 1:
        return f", the only one of {len(sheets)} sheets with data"
    others = ", ".join(repr(s.title) for s in with_data[1:4])
    more = " and others" if len(with_data) > 4 else ""
    return f", the first of {len(with_data)} sheets with data; not read: {others}{more}"
