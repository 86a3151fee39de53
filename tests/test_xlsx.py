"""Excel workbooks: cells read as text as a spreadsheet shows them, the first sheet with
data (and a note saying which), Excel's row numbers, and a workbook's parts
counted against the bomb limits and the memory budget before it is loaded."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from imu_geo.importers import ImportFailure, Limits, import_file, read_table

ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "latitude",
    "longitude",
    "geo_precision",
    "location",
    "country",
    "actor1",
    "notes",
]


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_part(payload: bytes, part: str, content: bytes) -> bytes:
    """The workbook with one part's XML replaced."""
    source = zipfile.ZipFile(io.BytesIO(payload))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(
                info.filename, content if info.filename == part else source.read(info)
            )
    return buffer.getvalue()


def refusal(name: str, payload: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(ImportFailure) as caught:
        read_table(name, payload, limits)
    return str(caught.value)


def test_cells_are_read_as_a_spreadsheet_shows_them():
    rows = [
        [
            "text",
            "whole",
            "decimal",
            "float whole",
            "day",
            "moment",
            "flag",
            "empty",
            "id",
        ],
        [
            "Andijan",
            3,
            69.2401,
            3.0,
            dt.datetime(2009, 5, 26),
            dt.datetime(2009, 5, 26, 14, 30, 5),
            True,
            None,
            199902160001.0,
        ],
        [
            "Osh, Kyrgyzstan",
            -2,
            0.1 + 0.2,
            1e20,
            dt.date(1999, 2, 16),
            dt.time(7, 5),
            False,
            "",
            12.5,
        ],
    ]
    table = read_table("cells.xlsx", workbook(("Sheet1", rows)))
    assert table.frame.to_dict("records") == [
        {
            "text": "Andijan",
            "whole": "3",
            "decimal": "69.2401",
            "float whole": "3",
            "day": "2009-05-26",
            "moment": "2009-05-26T14:30:05",
            "flag": "TRUE",
            "empty": "",
            "id": "199902160001",
        },
        {
            "text": "Osh, Kyrgyzstan",
            "whole": "-2",
            "decimal": "0.3",
            "float whole": "1e+20",
            "day": "1999-02-16",
            "moment": "07:05:00",
            "flag": "FALSE",
            "empty": "",
            "id": "12.5",
        },
    ]
    assert list(table.rows) == [2, 3]
    assert table.notes == ("cells.xlsx: read sheet 'Sheet1', the only sheet",)


def test_an_acled_workbook_imports_like_the_csv():
    rows = [
        ACLED_HEADER,
        [
            "UZB12",
            dt.datetime(2009, 5, 26),
            1,
            40.7834,
            72.3507,
            1,
            "Andijan",
            "Uzbekistan",
            "IMU",
            "A bomb.",
        ],
        [
            "UZB13",
            "2009-05-27",
            1,
            None,
            None,
            1,
            "Tashkent",
            "Uzbekistan",
            "IMU",
            "A raid.",
        ],
    ]
    result = import_file("acled.xlsx", workbook(("Events", rows)))
    assert result.summary() == "acled: 2 rows — 1 accepted, 1 repaired, 0 rejected"
    assert list(result.events["date_start"]) == ["2009-05-26", "2009-05-27"]
    assert list(result.events["source"]) == [
        "ACLED (acled.xlsx, row 2)",
        "ACLED (acled.xlsx, row 3)",
    ]


def test_the_only_sheet_with_data_is_read_and_named():
    payload = workbook(("Cover", []), ("Data", [["event_id"], ["a"]]), ("Notes", []))
    table = read_table("book.xlsx", payload)
    assert list(table.frame["event_id"]) == ["a"]
    assert table.notes == (
        "book.xlsx: read sheet 'Data', the only one of 3 sheets with data",
    )


def test_of_several_sheets_with_data_the_first_is_read_and_the_others_named():
    payload = workbook(
        ("Events", [["event_id"], ["a"]]),
        ("Codebook", [["column", "meaning"]]),
        ("Sources", [["source"], ["x"]]),
    )
    table = read_table("book.xlsx", payload)
    assert list(table.frame["event_id"]) == ["a"]
    assert table.notes == (
        "book.xlsx: read sheet 'Events', the first of 3 sheets with data; not read: "
        "'Codebook', 'Sources'",
    )


def test_rows_keep_excels_numbers_and_empty_rows_are_said():
    rows = [[], [], ["event_id", "n"], ["a", 1], [], ["b", 2], ["c", 3, "extra"]]
    table = read_table("gaps.xlsx", workbook(("Sheet", rows)))
    assert list(table.frame["event_id"]) == ["a", "b"]
    assert list(table.rows) == [4, 6]
    assert table.bad_rows == (
        (7, "has a value in column C, beyond the header's 2 columns"),
    )
    assert table.notes == (
        "gaps.xlsx: read sheet 'Sheet', the only sheet",
        "gaps.xlsx: the header is row 3; the rows above it are empty",
        "gaps.xlsx: 1 empty row was skipped (row 5)",
    )


def test_a_header_of_too_many_columns_is_refused():
    payload = workbook(("Wide", [[f"c{i}" for i in range(1_001)], ["x"]]))
    assert refusal("wide.xlsx", payload) == (
        "wide.xlsx: sheet 'Wide' has 1,001 columns; the limit is 1,000 columns"
    )


def test_duplicated_columns_and_no_data_are_refused():
    assert refusal("dup.xlsx", workbook(("S", [["id", "ID"], ["a", "b"]]))) == (
        "dup.xlsx: the column 'ID' appears more than once"
    )
    assert refusal("head.xlsx", workbook(("S", [["id", "date"]]))) == (
        "head.xlsx: has a header but no data rows"
    )
    assert refusal("none.xlsx", workbook(("S", []), ("T", []))) == (
        "none.xlsx: has no sheet with data"
    )


def test_the_memory_estimate_counts_cells_rows_and_shared_text_before_loading():
    rows = [["a", "b", "c"]] + [[i, i, i] for i in range(99)]
    payload = workbook(("Sheet", rows))
    # By hand: 64 MB for any import, 224 bytes per cell (300), 200 per row (100),
    # 400 per cell of the widest row (3); no shared strings.
    need = 64 * 2**20 + 224 * 300 + 200 * 100 + 400 * 3
    assert need == 67_108_864 + 67_200 + 20_000 + 1_200  # 67,197,264: 64.1 MB
    assert refusal("cells.xlsx", payload, Limits(max_memory=need - 1)) == (
        "cells.xlsx: importing it would take about 64.1 MB of memory (300 cells in "
        "100 rows and 0 bytes of shared text); one import may take 64.1 MB: split the "
        "file or leave out columns you do not need"
    )
    assert len(read_table("cells.xlsx", payload, Limits(max_memory=need)).frame) == 99


def _sheet_xml(body: bytes, head: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>' + head + b'<worksheet xmlns="'
        b'http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body
        + b"</sheetData></worksheet>"
    )


SHEET = "xl/worksheets/sheet1.xml"


def test_one_wide_row_is_counted_before_openpyxl_builds_it():
    cells = b"".join(b"<c><v>%d</v></c>" % i for i in range(100_000))
    sheet = _sheet_xml(b"<row>" + cells + b"</row>")
    payload = with_part(workbook(("S", [["x"]])), SHEET, sheet)
    # By hand: 64 MB, 224 per cell, 200 per row, 400 per cell of the widest row.
    need = 64 * 2**20 + 224 * 100_000 + 200 * 1 + 400 * 100_000
    assert need == 129_509_064  # 123.5 MB
    assert refusal("wide-row.xlsx", payload, Limits(max_memory=100 * 2**20)) == (
        "wide-row.xlsx: importing it would take about 123.5 MB of memory (100,000 "
        "cells in 1 row and 0 bytes of shared text); one import may take 100 MB: "
        "split the file or leave out columns you do not need"
    )


def test_a_workbook_that_unpacks_past_the_ratio_is_refused():
    padding = b" " * (8 * 2**20)
    payload = with_part(
        workbook(("S", [["x"], ["y"]])), SHEET, _sheet_xml(b"", padding)
    )
    assert refusal("padded.xlsx", payload) == (
        "padded.xlsx: unpacks to more than 100 times its own size, so it is refused "
        "as a possible decompression bomb; if you trust it, unpack it yourself and "
        "import the file inside"
    )


def test_a_document_type_in_a_workbook_is_refused():
    head = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    payload = with_part(workbook(("S", [["x"], ["y"]])), SHEET, _sheet_xml(b"", head))
    assert refusal("entities.xlsx", payload) == (
        "entities.xlsx: declares an XML document type, which Excel workbooks never "
        "do; it is refused"
    )


def test_rows_numbered_past_excels_last_row_are_refused():
    body = b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
    body += (
        b'<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>a</t></is></c></row>'
    )
    payload = with_part(workbook(("S", [["x"]])), SHEET, _sheet_xml(body))
    assert refusal("far.xlsx", payload) == (
        "far.xlsx: sheet 'S' numbers rows past Excel's last row (1,048,576); it is "
        "damaged"
    )


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            "old.xlsx: is an encrypted workbook or an old Excel file (.xls), not an "
            ".xlsx workbook; save it as .xlsx without a password, or as CSV",
        ),
        (
            b"event_id,date\na,b\n",
            "old.xlsx: is not an Excel workbook (an .xlsx file is a zip archive)",
        ),
    ],
    ids=["ole", "text"],
)
def test_files_that_are_not_workbooks_are_refused(payload, expected):
    assert refusal("old.xlsx", payload) == expected


def test_a_zip_that_is_not_a_workbook_is_refused_in_one_line():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", b"<document/>")
    message = refusal("other.xlsx", buffer.getvalue())
    assert message.startswith("other.xlsx: is not a readable Excel workbook (")
    assert message.endswith(
        "); open it in a spreadsheet and save it again as .xlsx or CSV"
    )


def test_a_workbook_inside_a_zip_is_read():
    payload = workbook(("Data", [["event_id"], ["a"]]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/events.xlsx", payload)
    table = read_table("download.zip", buffer.getvalue())
    assert table.name == "events.xlsx"
    assert table.notes == (
        f"download.zip: read events.xlsx from the archive "
        f"({len(payload) / 1024:.1f} KB)",
        "events.xlsx: read sheet 'Data', the only sheet",
    )
