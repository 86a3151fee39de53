"""What every reader shares: the extension, the first line of an error, the checks
of a name and a size before reading, and an Arrow table as text.

Every expectation is written out by hand.
"""

from __future__ import annotations

import datetime

import pyarrow as pa
import pytest

from imu_geo.importers import ImportFailure, Limits
from imu_geo.importers.reading.table import (
    _arrow_to_text_frame,
    _check_name,
    _check_size,
    _extension,
    _first_line,
    _refuse_compressed,
)

READ = ".csv, .tsv, .txt, .geojson, .json, .parquet, .xlsx, .zip or .gz"


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("a.csv", ".csv"),
        ("A.CSV", ".csv"),
        ("dir/a.b.Parquet", ".parquet"),
        ("a", ""),
        (".csv", ""),
        ("a.tar.gz", ".gz"),
    ],
)
def test_extension(name, extension):
    assert _extension(name) == extension


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("", ""),
        ("  \n  ", ""),
        ("  first.\nsecond", "first"),
        ("Bad thing...", "Bad thing"),
        ("Only dots go: TAX", "Only dots go: TAX"),
        ("x" * 200, "x" * 160),
        ("a." * 100, ("a." * 80)[:-1]),
    ],
)
def test_first_line(text, line):
    assert _first_line(ValueError(text)) == line


def test_check_size_allows_the_limit_and_refuses_one_byte_more():
    assert _check_size("f.csv", 1024, Limits(max_bytes=1024)) is None
    with pytest.raises(ImportFailure) as caught:
        _check_size("f.csv", 1025, Limits(max_bytes=1024))
    assert str(caught.value) == "f.csv: is 1.0 KB; the limit is 1 KB"


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("a.csv", ".csv"),
        ("a.TSV", ".tsv"),
        ("a.txt", ".txt"),
        ("a.geojson", ".geojson"),
        ("a.json", ".json"),
        ("a.parquet", ".parquet"),
        ("a.xlsx", ".xlsx"),
        ("a.zip", ".zip"),
        ("a.csv.gz", ".gz"),
    ],
)
def test_check_name_returns_the_extension_read(name, extension):
    assert _check_name(name) == extension


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "a.tar",
            "a.tar: compressed files (.tar) are not read; unpack it first and import "
            "the file inside (.zip and .gz files are read)",
        ),
        (
            "a.BZ2",
            "a.BZ2: compressed files (.bz2) are not read; unpack it first and import "
            "the file inside (.zip and .gz files are read)",
        ),
        (
            "a.xls",
            f"a.xls: files ending in .xls are not read (save it as .xlsx or CSV); use "
            f"{READ}",
        ),
        (
            "a.ods",
            f"a.ods: files ending in .ods are not read (save it as .xlsx or CSV); use "
            f"{READ}",
        ),
        ("a.doc", f"a.doc: files ending in .doc are not read; use {READ}"),
        ("a", f"a: files without an extension are not read; use {READ}"),
    ],
)
def test_check_name_refuses_with_a_reason(name, message):
    with pytest.raises(ImportFailure) as caught:
        _check_name(name)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            b"\x1f\x8b\x08rest",
            "f: is gzip-compressed, not CSV text; unpack it first and import the "
            "file inside",
        ),
        (
            b"PK\x03\x04rest",
            "f: is a zip archive, not CSV text; unpack it first and import the file "
            "inside",
        ),
    ],
)
def test_refuse_compressed(payload, message):
    with pytest.raises(ImportFailure) as caught:
        _refuse_compressed("f", payload, "CSV text")
    assert str(caught.value) == message


def test_refuse_compressed_lets_text_through():
    assert _refuse_compressed("f", b"a,b\n1,2\n", "CSV text") is None


def test_arrow_to_text_frame_gives_every_column_as_text():
    table = pa.table(
        {
            "s": pa.array(["a", None]),
            "L": pa.array(["b", None], pa.large_string()),
            "i": [1, None],
            "b": [True, False],
            "l": pa.array([[1, 2], None]),
            "d": pa.array([[datetime.date(2020, 1, 2)], []]),
            "st": pa.array([{"a": 1}, None]),
        }
    )
    frame = _arrow_to_text_frame(table)
    assert frame.to_dict("list") == {
        "s": ["a", ""],
        "L": ["b", ""],
        "i": ["1", ""],
        "b": ["true", "false"],
        "l": ["[1, 2]", ""],
        "d": ['["2020-01-02"]', "[]"],
        "st": ['{"a": 1}', ""],
    }
    assert all(str(dtype) == "str" for dtype in frame.dtypes)
    assert frame.index.tolist() == [0, 1]


def test_arrow_to_text_frame_keeps_repeated_names():
    table = pa.Table.from_arrays([pa.array(["x"]), pa.array([2])], names=["a", "a"])
    frame = _arrow_to_text_frame(table)
    assert list(frame.columns) == ["a", "a"]
    assert frame.to_numpy().tolist() == [["x", "2"]]


def test_arrow_to_text_frame_of_no_columns():
    frame = _arrow_to_text_frame(pa.table({}))
    assert list(frame.columns) == []
    assert len(frame) == 0


def test_arrow_to_text_frame_of_a_column_of_lists_that_are_all_missing():
    table = pa.table({"l": pa.array([None, None], pa.list_(pa.int64()))})
    frame = _arrow_to_text_frame(table)
    assert frame.to_dict("list") == {"l": ["", ""]}
    assert str(frame["l"].dtype) == "str"
