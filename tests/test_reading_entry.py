"""The entry points of reading: :func:`read_table` (which reader, the checks before
it, archives) and :func:`read_file` (a file's bytes from disk, or why not).

Every expectation is written out by hand.
"""

from __future__ import annotations

import gzip
import io
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import imu_geo.importers.reading as reading
from imu_geo.importers import ImportFailure, InternalImportError, Limits, read_table
from imu_geo.importers.reading import read_file

CSV = b"a,b\n1,2\n"


def _zip(name: str, payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, payload)
    return buffer.getvalue()


def _parquet() -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.table({"a": ["x"]}), sink)
    return sink.getvalue()


def _refusal(name: str, payload: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(ImportFailure) as caught:
        read_table(name, payload, limits)
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "shown"),
    [("dir/sub/f.csv", "f.csv"), ("f.TXT", "f.TXT"), ("f.tsv", "f.tsv")],
)
def test_a_table_is_named_by_the_files_own_name(name, shown):
    table = read_table(name, CSV)
    assert table.name == shown
    assert table.frame.to_dict("list") == {"a": ["1"], "b": ["2"]}


def test_a_nameless_file_is_the_file():
    assert _refusal("", CSV).startswith("the file: files without an extension")
    assert _refusal("/", CSV).startswith("the file: files without an extension")


@pytest.mark.parametrize("name", ["f.csv", "f.json", "f.parquet", "f.xlsx", "f.zip"])
def test_an_empty_file_is_refused(name):
    assert _refusal(name, b"") == f"{name}: is empty"


def test_the_size_is_checked_before_reading():
    assert read_table("f.csv", CSV, Limits(max_bytes=8)).rows.tolist() == [2]
    assert _refusal("f.csv", CSV, Limits(max_bytes=7)) == (
        "f.csv: is 8 bytes; the limit is 7 bytes"
    )


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("f.csv", "CSV text"),
        ("f.txt", "CSV text"),
        ("f.json", "JSON"),
        ("f.geojson", "GeoJSON"),
        ("f.parquet", "a Parquet file"),
    ],
)
def test_compressed_data_under_a_data_name_is_refused(name, what):
    assert _refusal(name, gzip.compress(CSV)) == (
        f"{name}: is gzip-compressed, not {what}; unpack it first and import the "
        "file inside"
    )


@pytest.mark.parametrize(
    ("name", "what"),
    [("f.csv", "CSV text"), ("f.json", "JSON"), ("f.geojson", "GeoJSON")],
)
def test_a_parquet_file_under_another_name_is_refused(name, what):
    assert _refusal(name, _parquet()) == (
        f"{name}: is a Parquet file, not {what}; name it .parquet"
    )


def test_each_extension_goes_to_its_reader():
    assert read_table("f.parquet", _parquet()).frame.to_dict("list") == {"a": ["x"]}
    records = read_table("f.json", b'[{"a": "x"}]')
    assert (records.unit, records.frame.to_dict("list")) == ("record", {"a": ["x"]})
    features = read_table(
        "f.geojson", b'{"type": "FeatureCollection", "features": [{"properties": {}}]}'
    )
    assert features.unit == "feature"


def test_a_zip_is_read_by_the_extension_of_the_file_inside():
    table = read_table("f.zip", _zip("inner.json", b'[{"a": 1}]'))
    assert table.name == "inner.json"
    assert table.unit == "record"
    assert table.frame.to_dict("list") == {"a": ["1"]}


def test_the_notes_of_an_archive_come_before_those_of_the_file_inside():
    table = read_table("f.csv.gz", gzip.compress(b"a;b\n1;2\n"))
    assert table.name == "f.csv"
    assert table.notes[-1] == "f.csv: columns are separated by ';'"
    inner = read_table("f.csv", b"a;b\n1;2\n")
    assert inner.notes == ("f.csv: columns are separated by ';'",)


def test_a_refusal_inside_an_archive_names_the_archive_first():
    assert _refusal("f.zip", _zip("inner.csv", b"a,b\n")) == (
        "f.zip: inner.csv: has a header but no data rows"
    )


def test_an_internal_error_inside_an_archive_is_passed_on_as_it_is(monkeypatch):
    def broken(name, payload, limits, extension):
        raise InternalImportError(f"{name}: could not be imported (boom)")

    monkeypatch.setattr(reading, "_read_csv", broken)
    with pytest.raises(InternalImportError) as caught:
        read_table("f.zip", _zip("inner.csv", CSV))
    assert str(caught.value) == "inner.csv: could not be imported (boom)"


def test_read_file_gives_the_bytes(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(CSV)
    assert read_file(path) == CSV
    assert read_file(str(path), Limits(max_bytes=8)) == CSV


def test_read_file_refuses_a_file_over_the_limit_before_reading_it(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(CSV)
    with pytest.raises(ImportFailure) as caught:
        read_file(path, Limits(max_bytes=7))
    assert str(caught.value) == "f.csv: is 8 bytes; the limit is 7 bytes"


def test_read_file_refuses_a_folder(tmp_path):
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(ImportFailure) as caught:
        read_file(tmp_path / "d.csv")
    assert str(caught.value) == "d.csv: is a folder, not a file"


def test_read_file_says_why_a_file_cannot_be_read(tmp_path):
    with pytest.raises(ImportFailure) as caught:
        read_file(tmp_path / "missing.csv")
    assert (
        str(caught.value) == "missing.csv: cannot be read (No such file or directory)"
    )


def test_read_file_checks_the_name_first(tmp_path):
    with pytest.raises(ImportFailure) as caught:
        read_file(tmp_path / "missing.doc")
    assert str(caught.value).startswith(
        "missing.doc: files ending in .doc are not read"
    )


def test_a_workbook_goes_to_the_workbook_reader():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["a"])
    book.active.append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table("f.xlsx", buffer.getvalue())
    assert table.frame.to_dict("list") == {"a": ["x"]}
    assert table.rows.tolist() == [2]
