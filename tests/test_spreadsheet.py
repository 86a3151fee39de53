"""The workbook reader's parts, each against values worked out by hand: a cell as
a spreadsheet shows it, Excel's column letters, the one-line reason of a
parser's error, and the refusals that name the file and the sheet.

The whole reader, on workbooks written with openpyxl, is tested in
``test_xlsx.py``.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from imu_geo.importers import ImportFailure, Limits, read_table
from imu_geo.importers.spreadsheet import (
    EXCEL_MAX_ROW,
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
