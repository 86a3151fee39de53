"""What an import gave, counted and said in one line, and its report as CSV that
is safe to open in a spreadsheet.

Every expectation is written out by hand from the report of the example.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from imu_geo.importers.report import (
    ImportResult,
    RowIssue,
    _report_csv,
    _safe_cell,
    _safe_cells,
    column_map_csv,
    rejects_csv,
)

COLUMNS = ["row", "action", "column", "reason"]


def _result(rows: list[tuple], n_rows: int = 10, **fields) -> ImportResult:
    return ImportResult(
        format="acled",
        events=pd.DataFrame(),
        places=gpd.GeoDataFrame(),
        report=pd.DataFrame(rows, columns=COLUMNS),
        n_rows=n_rows,
        **fields,
    )


REPORT = [
    (2, "rejected", "a", "bad a"),
    (3, "rejected", "b", "bad b"),
    (3, "rejected", "c", "bad c"),
    (4, "repaired", "d", "fixed d"),
    (4, "repaired", "e", "fixed e"),
    (5, "repaired", "", "fixed row"),
]


def test_rows_are_counted_once_whatever_their_issues():
    result = _result(REPORT)
    # Rejected: rows 2 and 3; repaired: rows 4 and 5; the other 6 of 10 as read.
    assert (result.n_rejected, result.n_repaired, result.n_accepted) == (2, 2, 6)
    assert result.summary() == "acled: 10 rows — 6 accepted, 2 repaired, 2 rejected"


@pytest.mark.parametrize(
    ("n_rows", "rows", "line"),
    [
        (1, [], "acled: 1 row — 1 accepted, 0 repaired, 0 rejected"),
        (0, [], "acled: 0 rows — 0 accepted, 0 repaired, 0 rejected"),
        (1234, [], "acled: 1,234 rows — 1,234 accepted, 0 repaired, 0 rejected"),
    ],
)
def test_summary(n_rows, rows, line):
    assert _result(rows, n_rows).summary() == line


def test_issues_are_the_reports_rows():
    result = _result(REPORT[:2])
    assert result.issues == [
        RowIssue(2, "rejected", "a", "bad a"),
        RowIssue(3, "rejected", "b", "bad b"),
    ]
    assert all(type(issue.row) is int for issue in result.issues)


def test_the_report_frame_is_a_copy():
    result = _result(REPORT)
    frame = result.report_frame()
    assert frame.to_dict("list") == result.report.to_dict("list")
    frame.loc[0, "reason"] = "changed"
    assert result.report.loc[0, "reason"] == "bad a"


@pytest.mark.parametrize(
    ("what", "line"),
    [
        (
            [
                "crosswalked to actors",
                "kept verbatim",
                "kept verbatim as “column 3” (it has no name)",
                "not kept: it has no name and no value",
            ],
            "4 columns: 1 crosswalked, 2 kept verbatim, 1 without a name or a value",
        ),
        (["kept verbatim"], "1 column: 0 crosswalked, 1 kept verbatim"),
        ([], "0 columns: 0 crosswalked, 0 kept verbatim"),
        (
            ["crosswalked to notes"] * 1200,
            "1,200 columns: 1,200 crosswalked, 0 kept verbatim",
        ),
        (
            ["not kept: it has no name and no value"] * 2,
            "2 columns: 0 crosswalked, 0 kept verbatim, 2 without a name or a value",
        ),
    ],
)
def test_column_summary(what, line):
    column_map = pd.DataFrame({"column": [""] * len(what), "what": what}, dtype="str")
    assert _result([], column_map=column_map).column_summary() == line


def test_the_default_column_map_is_empty_with_its_columns():
    result = _result([])
    assert list(result.column_map.columns) == ["column", "what"]
    assert len(result.column_map) == 0
    assert result.column_summary() == "0 columns: 0 crosswalked, 0 kept verbatim"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (np.nan, ""),
        (pd.NA, ""),
        ("", ""),
        (12, "12"),
        ("-999", "-999"),
        ("+1.5", "+1.5"),
        ("-1.5e3", "'-1.5e3"),
        ("1.", "1."),
        ("-", "'-"),
        ("=SUM(A1)", "'=SUM(A1)"),
        ("@x", "'@x"),
        ("x=1", "x=1"),
        ("12 -3", "12 -3"),
        ("-3 x", "'-3 x"),
    ],
)
def test_safe_cell(value, text):
    assert _safe_cell(value) == text


def test_safe_cells_writes_each_value_and_a_missing_value_as_empty():
    column = pd.Series(["=a", None, "b", "=a", np.nan, "-2"], dtype=object)
    assert _safe_cells(column) == ["'=a", "", "b", "'=a", "", "-2"]


def test_report_csv_is_rfc_4180_with_formulas_neutralised():
    report = pd.DataFrame(
        {"=row": [2, 3], "what": ['say "é", then', None]},
    )
    assert (
        _report_csv(report) == ('\'=row,what\r\n2,"say ""é"", then"\r\n3,\r\n').encode()
    )


def test_rejects_csv_attaches_the_fields_of_each_rejected_row_once():
    report = [
        (2, "rejected", "a", "bad a"),
        (2, "rejected", "b", "bad b"),
        (3, "repaired", "c", "fixed"),
    ]
    originals = pd.DataFrame({"row": [2], "reason": ["src"], "x": ["=1"]})
    result = _result(report, rejected_rows=originals)
    assert rejects_csv(result) == (
        b"row,action,column,reason,source_reason,x\r\n"
        b"2,rejected,a,bad a,src,'=1\r\n"
        b"2,rejected,b,bad b,,\r\n"
        b"3,repaired,c,fixed,,\r\n"
    )


def test_rejects_csv_renames_every_source_column_named_like_a_report_column():
    originals = pd.DataFrame(
        {"row": [2], "action": ["p"], "column": ["q"], "reason": ["r"], "row ": ["s"]}
    )
    result = _result([(2, "rejected", "", "bad")], rejected_rows=originals)
    header = rejects_csv(result).decode().split("\r\n")[0]
    assert header == (
        "row,action,column,reason,source_action,source_column,source_reason,row "
    )


def test_rejects_csv_keeps_a_source_column_named_row_beside_the_row_number():
    originals = pd.DataFrame([[2, "r-1", "=x"]], columns=["row", "row", "x"])
    result = _result([(2, "rejected", "", "bad")], rejected_rows=originals)
    assert rejects_csv(result) == (
        b"row,action,column,reason,source_row,x\r\n2,rejected,,bad,r-1,'=x\r\n"
    )


def test_rejects_csv_without_rejected_rows_is_the_report():
    result = _result([(4, "repaired", "d", "fixed d")])
    assert rejects_csv(result) == (
        b"row,action,column,reason\r\n4,repaired,d,fixed d\r\n"
    )


def test_column_map_csv():
    column_map = pd.DataFrame(
        {"column": ["=a", "b"], "what": ["kept verbatim", "crosswalked to notes"]}
    )
    assert column_map_csv(_result([], column_map=column_map)) == (
        b"column,what\r\n'=a,kept verbatim\r\nb,crosswalked to notes\r\n"
    )
