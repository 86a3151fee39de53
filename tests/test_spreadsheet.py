"""The workbook reader's parts, each against values worked out by hand: a cell as
a spreadsheet shows it, Excel's column letters, the one-line reason of a
parser's error, and the refusals that name the file and the sheet.

The whole reader, on workbooks written with openpyxl, is tested in
``test_xlsx.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile

import pytest

from imu_geo.importers import ImportFailure, Limits, read_table
from imu_geo.importers.spreadsheet import (
    EXCEL_MAX_ROW,
    _CellCounter,
    _column_letter,
    _has_data,
    _read_sheet,
    _reason,
    _text,
)
from tests.test_xlsx import SHEET, _sheet_xml, with_part, workbook


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        ("", ""),
        ("  Osh  ", "  Osh  "),
        (True, "TRUE"),
        (False, "FALSE"),
        (0, "0"),
        (-17, "-17"),
        (2.5, "2.5"),
        (1 / 3, "0.333333333333333"),
        (123456789012345678.0, "1.23456789012346e+17"),
        # No number a spreadsheet can show: an empty cell, not "nan" or "inf".
        (math.nan, ""),
        (math.inf, ""),
        (-math.inf, ""),
        (dt.datetime(2005, 5, 13), "2005-05-13"),
        (dt.datetime(2005, 5, 13, 0, 0, 1), "2005-05-13T00:00:01"),
        (dt.datetime(2005, 5, 13, 0, 1), "2005-05-13T00:01:00"),
        (dt.datetime(2005, 5, 13, 18, 30), "2005-05-13T18:30:00"),
        (dt.datetime(2005, 5, 13, 18, 30, 5, 250000), "2005-05-13T18:30:05.250000"),
        (dt.date(1999, 2, 16), "1999-02-16"),
        (dt.time(7, 5), "07:05:00"),
        (dt.timedelta(hours=26, minutes=3), "1 day, 2:03:00"),
        (dt.timedelta(minutes=90), "1:30:00"),
        # Anything else as Python writes it.
        (complex(1, 2), "(1+2j)"),
    ],
)
def test_a_cell_is_shown_as_in_a_spreadsheets_general_format(value, shown):
    assert _text(value) == shown


@pytest.mark.parametrize(
    ("number", "letters"),
    [
        (1, "A"),
        (2, "B"),
        (26, "Z"),
        (27, "AA"),
        (28, "AB"),
        (52, "AZ"),
        (53, "BA"),
        (702, "ZZ"),
        (703, "AAA"),
        (16384, "XFD"),  # Excel's last column
    ],
)
def test_column_numbers_are_excels_letters(number, letters):
    assert _column_letter(number) == letters


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ValueError("bad cell"), "ValueError: bad cell"),
        (KeyError("xl/worksheets/sheet9.xml"), "KeyError: 'xl/worksheets/sheet9.xml'"),
        # The first line, stripped, and no more than 160 characters of it.
        (OSError("  first line\nsecond line  "), "OSError: first line"),
        (ValueError("x" * 200), "ValueError: " + "x" * 160),
        (ValueError("y" * 160), "ValueError: " + "y" * 160),
        # Without a message, the error's type alone.
        (ValueError(), "ValueError"),
        (ValueError("   \n  "), "ValueError"),
        (ZeroDivisionError(""), "ZeroDivisionError"),
    ],
)
def test_a_parsers_error_is_one_line(error, reason):
    assert _reason(error) == reason


class _Sheet:
    """A worksheet whose reading fails after ``good`` rows, as a damaged part
    of a workbook does inside openpyxl: the reader's side of that failure."""

    def __init__(self, title: str, good: list[tuple], error: Exception):
        self.title = title
        self.good = good
        self.error = error

    def reset_dimensions(self) -> None:
        pass

    def iter_rows(self, values_only: bool = True):
        yield from self.good
        raise self.error


class _Book:
    def __init__(self, sheets=None, error: Exception | None = None):
        self._sheets = sheets or []
        self._error = error

    @property
    def worksheets(self):
        if self._error is not None:
            raise self._error
        return self._sheets


def _refusal(call) -> str:
    with pytest.raises(ImportFailure) as caught:
        call()
    return str(caught.value)


def test_a_sheet_that_fails_while_it_is_looked_at_is_named_with_the_file():
    # Two empty rows, then the failure: looking for data reads on to it.
    sheet = _Sheet("Events", [(None,), ("",)], ValueError("unexpected tag"))
    message = (
        "book.xlsx: sheet 'Events' cannot be read past row 2 (ValueError: "
        "unexpected tag); open it in a spreadsheet and save it again"
    )
    assert _refusal(lambda: _has_data("book.xlsx", sheet)) == message
    book = _Book([sheet])
    assert _refusal(lambda: _read_sheet("book.xlsx", book, Limits())) == message


def test_a_sheet_that_fails_on_its_first_row_says_row_zero():
    sheet = _Sheet("S", [], KeyError("r"))
    assert _refusal(lambda: _has_data("a.xlsx", sheet)) == (
        "a.xlsx: sheet 'S' cannot be read past row 0 (KeyError: 'r'); open it in "
        "a spreadsheet and save it again"
    )


def test_a_workbook_whose_sheet_list_cannot_be_read_is_refused_by_name():
    book = _Book(error=KeyError("xl/workbook.xml"))
    assert _refusal(lambda: _read_sheet("list.xlsx", book, Limits())) == (
        "list.xlsx: is not a readable Excel workbook (KeyError: 'xl/workbook.xml')"
    )


def test_excels_last_row_is_read():
    body = b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
    body += (
        f'<row r="{EXCEL_MAX_ROW}"><c r="A{EXCEL_MAX_ROW}" t="inlineStr">'
        "<is><t>last</t></is></c></row>"
    ).encode()
    payload = with_part(workbook(("S", [["x"]])), SHEET, _sheet_xml(body))
    table = read_table("tall.xlsx", payload)
    assert list(table.frame["id"]) == ["last"]
    assert list(table.rows) == [EXCEL_MAX_ROW]


def test_a_zip_without_a_workbooks_parts_gives_the_parsers_reason():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", b"<document/>")
    with pytest.raises(ImportFailure) as caught:
        read_table("other.xlsx", buffer.getvalue())
    assert str(caught.value) == (
        'other.xlsx: is not a readable Excel workbook (KeyError: "There is no item '
        "named '[Content_Types].xml' in the archive\"); open it in a spreadsheet and "
        "save it again as .xlsx or CSV"
    )


def _inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def test_a_formula_is_read_as_the_value_it_last_showed():
    body = b'<row r="1">' + _inline("A1", "total") + b"</row>"
    body += b'<row r="2"><c r="A2"><f>1+2</f><v>3</v></c></row>'
    payload = with_part(workbook(("S", [["x"]])), SHEET, _sheet_xml(body))
    assert list(read_table("sums.xlsx", payload).frame["total"]) == ["3"]


def test_a_header_cell_left_empty_is_named_by_its_column_number():
    table = read_table(
        "h.xlsx", workbook(("S", [["id", None, " ", "x"], [1, 2, 3, 4]]))
    )
    assert list(table.frame.columns) == ["id", "(column 2)", "(column 3)", "x"]
    assert table.frame.iloc[0].tolist() == ["1", "2", "3", "4"]


def test_a_header_on_the_second_row_is_said():
    table = read_table("h.xlsx", workbook(("S", [[], ["id"], ["a"]])))
    assert table.notes[1:] == (
        "h.xlsx: the header is row 2; the rows above it are empty",
    )
    assert list(table.rows) == [3]


def test_a_header_on_the_first_row_needs_no_word():
    table = read_table("h.xlsx", workbook(("S", [["id"], ["a"]])))
    assert table.notes == ("h.xlsx: read sheet 'S', the only sheet",)


def test_a_short_row_is_filled_with_empty_values():
    table = read_table(
        "short.xlsx", workbook(("S", [["id", "name", "note"], ["a"], ["b", "Osh"]]))
    )
    assert table.frame.to_dict("records") == [
        {"id": "a", "name": "", "note": ""},
        {"id": "b", "name": "Osh", "note": ""},
    ]


def test_rows_after_an_empty_row_are_read():
    rows = [["id"], ["a"], [], ["b"], [None], ["c"]]
    table = read_table("gaps.xlsx", workbook(("S", rows)))
    assert list(table.frame["id"]) == ["a", "b", "c"]
    assert list(table.rows) == [2, 4, 6]
    assert table.notes[1:] == ("gaps.xlsx: 2 empty rows were skipped (row 3, 5)",)


def test_more_than_ten_empty_rows_are_said_with_the_first_ten():
    rows = [["id"], ["a"], *([[]] * 11), ["b"]]
    table = read_table("gaps.xlsx", workbook(("S", rows)))
    assert list(table.rows) == [2, 14]
    assert table.notes[1:] == (
        "gaps.xlsx: 11 empty rows were skipped (row 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "
        "...)",
    )


def test_exactly_ten_empty_rows_are_all_named():
    rows = [["id"], ["a"], *([[]] * 10), ["b"]]
    table = read_table("gaps.xlsx", workbook(("S", rows)))
    assert table.notes[1:] == (
        "gaps.xlsx: 10 empty rows were skipped (row 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)",
    )


@pytest.mark.parametrize(
    ("columns", "refused"),
    [(2, False), (3, False), (4, True)],
)
def test_a_header_as_wide_as_the_limit_is_read(columns, refused):
    payload = workbook(("S", [[f"c{i}" for i in range(columns)], ["x"]]))
    limits = Limits(max_columns=3)
    if refused:
        with pytest.raises(ImportFailure) as caught:
            read_table("w.xlsx", payload, limits)
        assert str(caught.value) == (
            "w.xlsx: sheet 'S' has 4 columns; the limit is 3 columns"
        )
    else:
        assert read_table("w.xlsx", payload, limits).frame.shape == (1, columns)


def test_as_many_rows_as_the_limit_are_read_and_one_more_is_refused():
    rows = [["id"], ["a"], ["b"], ["c"]]
    assert (
        len(read_table("r.xlsx", workbook(("S", rows)), Limits(max_rows=3)).frame) == 3
    )
    with pytest.raises(ImportFailure) as caught:
        read_table("r.xlsx", workbook(("S", rows)), Limits(max_rows=2))
    assert str(caught.value) == "r.xlsx: has more than 2 rows; the limit is 2 rows"
    with pytest.raises(ImportFailure) as caught:
        read_table("r.xlsx", workbook(("S", rows)), Limits(max_rows=1))
    assert str(caught.value) == "r.xlsx: has more than 1 row; the limit is 1 row"


@pytest.mark.parametrize(
    ("sheets", "note"),
    [
        (
            4,
            ", the first of 4 sheets with data; not read: 'S2', 'S3', 'S4'",
        ),
        (
            5,
            ", the first of 5 sheets with data; not read: 'S2', 'S3', 'S4' and others",
        ),
        (
            7,
            ", the first of 7 sheets with data; not read: 'S2', 'S3', 'S4' and others",
        ),
    ],
)
def test_up_to_three_other_sheets_with_data_are_named(sheets, note):
    payload = workbook(*((f"S{i}", [["id"], [i]]) for i in range(1, sheets + 1)))
    assert read_table("many.xlsx", payload).notes == (
        "many.xlsx: read sheet 'S1'" + note,
    )


# --- counting a worksheet's rows and cells as its XML streams past -------------

_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
# Two rows: three cells, then one (a self-closed cell and an open one); a
# column list and a "cols" element that are no cells.
_PLAIN = (
    b'<?xml version="1.0"?><worksheet ' + _NS + b'><cols><col min="1"/></cols>'
    b'<sheetData><row r="1"><c r="A1"/><c r="B1"><v>2</v></c><c>x</c></row>'
    b'<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>'
)
_PREFIXED = (
    _PLAIN.replace(b"<", b"<x:")
    .replace(b"</", b"</x:")
    .replace(b"<x:?xml", b"<?xml")
    .replace(b"</x:x:", b"</x:")
)


def _count(xml: bytes, size: int | None = None) -> tuple[int, int, int, bool, bool]:
    """Feed ``xml`` in chunks of ``size`` bytes (whole when None): cells, rows,
    widest row, comments seen, document type seen."""
    counter = _CellCounter()
    size = size or max(len(xml), 1)
    for start in range(0, len(xml), size):
        counter(xml[start : start + size])
    counter.finish()
    return (
        counter.cells,
        counter.rows,
        counter.widest,
        counter.comments,
        counter.doctype,
    )


@pytest.mark.parametrize("size", [None, 1, 2, 3, 7, 16, 17, 64])
@pytest.mark.parametrize(
    ("xml", "counted"),
    [
        (_PLAIN, (4, 2, 3, False, False)),
        # The root's prefix names the rows; any prefix names a cell.
        (_PREFIXED, (4, 2, 3, False, False)),
        # Rows with no cell: the widest has none.
        (
            b'<worksheet><sheetData><row r="1"/><row/></sheetData></worksheet>',
            (0, 2, 0, False, False),
        ),
        # Markup in a comment is counted too (a cell more here), and a comment
        # may hide rows: the widest row is taken to be every cell.
        (
            b"<worksheet><!-- <c/> --><row><c/><c/></row><row><c/><c/></row>"
            b"</worksheet>",
            (5, 2, 5, True, False),
        ),
        (
            b"<worksheet><![CDATA[x]]><row><c/></row></worksheet>",
            (1, 1, 1, True, False),
        ),
        # No worksheet root: no row is counted, every cell in one row.
        (b"<sheet><row><c/></row><row><c/></row></sheet>", (2, 0, 2, False, False)),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>', (0, 0, 0, True, True)),
        (b"<worksheet/><!DOCTYPE x>", (0, 0, 0, True, True)),
        (b"<worksheet>&a;<!ENTITY a 'b'></worksheet>", (0, 0, 0, True, True)),
        (b"<worksheet><!doctype x></worksheet>", (0, 0, 0, True, False)),
    ],
)
def test_a_sheets_cells_and_rows_are_counted_in_any_chunks(xml, counted, size):
    assert _count(xml, size) == counted


def test_the_last_cells_are_counted_when_the_stream_ends():
    # The stream's last bytes are only counted at its end (the tail kept for
    # a tag cut between chunks).
    xml = b"<worksheet><row><c/><c/><c/></row><row><c/>"
    assert _count(xml) == (4, 2, 3, False, False)


@pytest.mark.parametrize(
    ("preamble", "found"),
    [
        # The root is looked for in the first 64 KiB only.
        (65536 - len(b"<worksheet>") - 1, True),
        (65536 - len(b"<worksheet>"), True),
        (65536 - len(b"<worksheet>") + 1, False),
        (70000, False),
    ],
)
@pytest.mark.parametrize("size", [None, 40000, 4096])
def test_the_root_is_looked_for_in_the_first_64_kib(preamble, found, size):
    xml = b" " * preamble + b"<worksheet><row><c/></row><row><c/><c/></row></worksheet>"
    rows = 2 if found else 0
    widest = 2 if found else 3
    assert _count(xml, size) == (3, rows, widest, False, False)


def _with_member(payload: bytes, member: str, content: bytes) -> bytes:
    """The workbook with one more part."""
    source = zipfile.ZipFile(io.BytesIO(payload))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info))
        out.writestr(member, content)
    return buffer.getvalue()


def test_shared_text_counts_ten_times_its_size_in_the_estimate():
    shared = b"<sst>" + b"x" * 289 + b"</sst>"
    assert len(shared) == 300
    payload = _with_member(
        workbook(("S", [["id"], [7]])), "xl/sharedStrings.xml", shared
    )
    # By hand: 64 MiB, ten times the 300 bytes of shared text, 224 bytes for
    # each of 2 cells, 200 for each of 2 rows, 400 for the widest row's cell.
    need = 64 * 2**20 + 10 * 300 + 224 * 2 + 200 * 2 + 400 * 1
    assert need == 67_113_112
    with pytest.raises(ImportFailure) as caught:
        read_table("s.xlsx", payload, Limits(max_memory=need - 1))
    assert str(caught.value) == (
        "s.xlsx: importing it would take about 64.0 MB of memory (2 cells in 2 rows "
        "and 300 bytes of shared text); one import may take 64 MB: split the file or "
        "leave out columns you do not need"
    )
    assert read_table("s.xlsx", payload, Limits(max_memory=need)).frame[
        "id"
    ].tolist() == ["7"]


def test_one_cell_is_said_in_the_singular():
    with pytest.raises(ImportFailure) as caught:
        read_table("one.xlsx", workbook(("S", [[5]])), Limits(max_memory=2**20))
    assert str(caught.value) == (
        "one.xlsx: importing it would take about 64.0 MB of memory (1 cell in 1 row "
        "and 0 bytes of shared text); one import may take 1 MB: split the file or "
        "leave out columns you do not need"
    )


def test_a_zip_with_no_xml_part_costs_the_base_alone_and_is_no_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", b"not a workbook")
    # Nothing to count: the estimate is the base alone, which the budget allows.
    with pytest.raises(ImportFailure) as caught:
        read_table("txt.xlsx", buffer.getvalue(), Limits(max_memory=64 * 2**20))
    assert str(caught.value).startswith(
        "txt.xlsx: is not a readable Excel workbook (KeyError: "
    )


def test_rows_after_a_row_too_wide_for_the_header_are_read():
    rows = [["id", "n"], ["a", 1, "extra"], ["b", 2]]
    table = read_table("wide.xlsx", workbook(("S", rows)))
    assert list(table.frame["id"]) == ["b"]
    assert table.bad_rows == (
        (2, "has a value in column C, beyond the header's 2 columns"),
    )


@pytest.mark.parametrize(
    ("xml", "counted"),
    [
        # Elements whose names begin with "row" or "c" are no rows or cells.
        (
            b'<worksheet><row><c/></row><rowBreaks count="1"><brk/></rowBreaks>'
            b"<colBreaks/></worksheet>",
            (1, 1, 1, False, False),
        ),
        # A stream cut inside a tag: what is cut is not counted.
        (b"<worksheet><row><c/></row><ro", (1, 1, 1, False, False)),
        (b"<worksheet><row><c/></row><row", (1, 1, 1, False, False)),
        (b"<worksheet><row><c/></row><row>", (1, 2, 1, False, False)),
        (b"<worksheet><row><c/></row><row><c", (1, 2, 1, False, False)),
        (b"<worksheet><row><c/></row><row><c>", (2, 2, 1, False, False)),
    ],
)
@pytest.mark.parametrize("size", [None, 1, 5])
def test_names_that_only_begin_like_a_row_and_cut_tags_are_not_counted(
    xml, counted, size
):
    assert _count(xml, size) == counted


def test_only_xml_parts_other_than_the_shared_text_are_counted_as_cells():
    # A picture whose bytes happen to hold "<c ", and shared text written with
    # a cell's markup: neither is a worksheet's cells.
    payload = workbook(("S", [["id"], [7]]))
    payload = _with_member(payload, "xl/media/image1.png", b"\x89PNG<c <row>")
    payload = _with_member(payload, "xl/sharedStrings.xml", b"<sst><c/><c/></sst>")
    with pytest.raises(ImportFailure) as caught:
        read_table("p.xlsx", payload, Limits(max_memory=2**20))
    assert "(2 cells in 2 rows and 19 bytes of shared text)" in str(caught.value)
