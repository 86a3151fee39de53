"""A workbook's first sheet with data as a table of text: its columns, Excel's row
numbers, and the checks of its shape.

Every expectation is written out by hand from the cells of the example.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from imu_geo.importers import ImportFailure, Limits
from imu_geo.importers.reading.workbook import _read_workbook


def _workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_sheet_is_read_as_text_with_excels_row_numbers():
    payload = _workbook([["a", "b"], ["x", 1], [None, None], ["y", 2.5], [None, "z"]])
    table = _read_workbook("f.xlsx", payload, Limits())
    assert table.frame.to_dict("list") == {"a": ["x", "y", ""], "b": ["1", "2.5", "z"]}
    assert all(str(dtype) == "str" for dtype in table.frame.dtypes)
    assert table.rows.tolist() == [2, 4, 5]
    assert table.rows.dtype == "int64"
    assert table.name == "f.xlsx"
    assert table.bad_rows == ()
    assert table.notes == (
        "f.xlsx: read sheet 'Sheet', the only sheet",
        "f.xlsx: 1 empty row was skipped (row 3)",
    )
    assert table.unit == "row"


def test_a_sheet_with_a_header_and_no_rows_is_refused():
    with pytest.raises(ImportFailure) as caught:
        _read_workbook("f.xlsx", _workbook([["a", "b"]]), Limits())
    assert str(caught.value) == "f.xlsx: has a header but no data rows"


def test_a_repeated_column_name_is_refused():
    with pytest.raises(ImportFailure) as caught:
        _read_workbook("f.xlsx", _workbook([["a", "a"], [1, 2]]), Limits())
    assert "a" in str(caught.value)
    assert str(caught.value).startswith("f.xlsx: ")


def test_a_field_over_the_limit_is_named_by_its_excel_row():
    payload = _workbook([["a"], ["xy"], ["xyz"]])
    assert _read_workbook(
        "f.xlsx", payload, Limits(max_field_bytes=3)
    ).rows.tolist() == [
        2,
        3,
    ]
    with pytest.raises(ImportFailure) as caught:
        _read_workbook("f.xlsx", payload, Limits(max_field_bytes=2))
    assert str(caught.value) == (
        "f.xlsx: row 3 has a field longer than 2 bytes (column 'a'); that is the "
        "limit for one field"
    )
