"""Parquet read piece by piece: the footer checked before the data, text measured
from its dictionaries before it is decoded, and the cells as text.

Every expectation is worked out by hand from the table written in the example.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imu_geo.importers import ImportFailure, Limits, read_table
from imu_geo.importers.reading.parquet import (
    _check_parquet_field,
    _dictionary_lengths,
    _parquet_footer,
    _read_parquet,
)


def _parquet(table: pa.Table, **options) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, **options)
    return sink.getvalue()


def _refusal(payload: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(ImportFailure) as caught:
        read_table("f.parquet", payload, limits)
    return str(caught.value)


@pytest.mark.parametrize(
    "payload",
    [b"PAR1xxxx", b"xxxxPAR1", b"PAR", b"par1\0\0\0\0par1"],
)
def test_a_file_without_the_magic_at_both_ends_is_no_parquet(payload):
    assert _refusal(payload) == (
        "f.parquet: is not a Parquet file (it does not start and end with PAR1)"
    )


def _framed(footer: int, body: int) -> bytes:
    """PAR1, ``body`` zero bytes, a footer length of ``footer``, PAR1."""
    return b"PAR1" + b"\0" * body + footer.to_bytes(4, "little") + b"PAR1"


def test_a_footer_longer_than_the_file_is_cut_short():
    cut = (
        "f.parquet: is a damaged Parquet file (its footer is cut short); export "
        "it again"
    )
    # 12 bytes are the magic twice and the footer's length.
    assert _refusal(_framed(5, 4)) == cut
    assert _refusal(_framed(4, 4)) != cut
    assert _refusal(_framed(4, 4)).startswith("f.parquet: is a damaged Parquet file (")


def test_a_footer_over_16_mb_is_refused_before_it_is_read():
    most = 16 * 2**20
    assert _refusal(_framed(most + 1, most + 1), Limits(max_bytes=10**9)) == (
        "f.parquet: has a Parquet footer of 16.0 MB, more than 16 MB; no table of "
        "events needs that many columns or row groups"
    )
    assert _refusal(_framed(most, most), Limits(max_bytes=10**9)).startswith(
        "f.parquet: is a damaged Parquet file ("
    )


def test_the_footer_gives_the_sizes_and_paths_of_the_columns():
    table = pa.table({"a": ["x", "y", "z"], "b": [1, 2, 3]})
    payload = _parquet(table, row_group_size=2, compression="none")
    metadata, schema, sizes, paths = _parquet_footer("f", payload, Limits())
    assert (metadata.num_rows, metadata.num_row_groups) == (3, 2)
    assert schema.names == ["a", "b"]
    assert paths == ["a", "b"]
    # Each column's size is the sum over its two row groups.
    expected = [
        sum(metadata.row_group(g).column(j).total_uncompressed_size for g in range(2))
        for j in range(2)
    ]
    assert sizes == expected
    assert all(size > 0 for size in sizes)


def test_the_uncompressed_data_is_held_to_the_size_limit_with_the_widest_column():
    table = pa.table({"small": [1] * 10, "wide": ["x" * 1000] * 10})
    payload = _parquet(table, compression="none", use_dictionary=False)
    _, _, sizes, _ = _parquet_footer("f", payload, Limits())
    total = sum(sizes)
    assert sizes[1] > 10_000 > sizes[0]
    # Read directly: the file itself, with its footer, is larger than its data.
    rows = _read_parquet("f.parquet", payload, Limits(max_bytes=total)).rows
    assert rows.tolist() == list(range(1, 11))
    with pytest.raises(ImportFailure) as caught:
        _read_parquet("f.parquet", payload, Limits(max_bytes=total - 1))
    message = str(caught.value)
    assert message.startswith("f.parquet: its data is ")
    assert "uncompressed (column 'wide' alone " in message
    assert message.endswith(", and it applies to the unpacked data")


def test_a_table_with_columns_and_no_rows_is_refused():
    payload = _parquet(pa.table({"a": pa.array([], pa.string())}))
    assert _refusal(payload) == "f.parquet: has columns but no rows"


def test_every_column_is_read_as_text_with_its_name_stripped():
    table = pa.table(
        {
            " a ": ["x", None, "z"],
            "n": [1, None, 3],
            "f": [1.5, 2.0, None],
            "b": pa.array([b"p", b"q", None], pa.binary()),
        }
    )
    result = read_table("f.parquet", _parquet(table))
    assert result.frame.to_dict("list") == {
        "a": ["x", "", "z"],
        "n": ["1", "", "3"],
        "f": ["1.5", "2", ""],
        "b": ["p", "q", ""],
    }
    assert result.rows.tolist() == [1, 2, 3]
    assert result.bad_rows == ()
    assert result.notes == ()


def test_dictionary_lengths_are_taken_per_row_with_nulls_as_0():
    dictionary = pa.array(["", "abc", "de"])
    first = pa.DictionaryArray.from_arrays(
        pa.array([1, 2, None, 1], pa.int32()), dictionary
    )
    second = pa.DictionaryArray.from_arrays(pa.array([0, 2], pa.int32()), dictionary)
    lengths = _dictionary_lengths(pa.chunked_array([first, second]))
    assert lengths.to_pylist() == [3, 2, 0, 3, 0, 2]
    assert _dictionary_lengths(pa.chunked_array([], first.type)).to_pylist() == []


@pytest.mark.parametrize(
    ("lengths", "limit", "row"),
    [
        ([], 0, None),
        ([0, 0], 0, None),
        ([3, 5, 5], 5, None),
        ([3, 6, 6], 5, 2),
        ([7, 3, 7], 6, 1),
        ([1, 2, 3], 2, 3),
    ],
)
def test_a_field_over_the_limit_is_named_by_its_first_row(lengths, limit, row):
    chunked = pa.chunked_array([pa.array(lengths, pa.int64())], pa.int64())
    limits = Limits(max_field_bytes=limit)
    if row is None:
        assert _check_parquet_field("f", "c", chunked, limits) is None
        return
    with pytest.raises(ImportFailure) as caught:
        _check_parquet_field("f", "c", chunked, limits)
    assert str(caught.value) == (
        f"f: row {row} has a field longer than {limit} bytes (column 'c'); that is "
        "the limit for one field"
    )


def test_a_repeated_text_is_measured_for_every_row_it_is_in():
    # Five rows of the same 100 characters: 500 characters once decoded.
    payload = _parquet(pa.table({"t": ["y" * 100] * 5}))
    _, _, sizes, _ = _parquet_footer("f", payload, Limits())
    assert sum(sizes) < 499
    rows = _read_parquet("f.parquet", payload, Limits(max_bytes=500)).rows
    assert rows.tolist() == [1, 2, 3, 4, 5]
    with pytest.raises(ImportFailure) as caught:
        _read_parquet("f.parquet", payload, Limits(max_bytes=499))
    assert str(caught.value) == (
        "f.parquet: its text is 500 bytes once decoded; the limit is 499 bytes, "
        "and it applies to the unpacked data"
    )


def test_a_long_field_in_a_dictionary_is_refused_by_its_row():
    payload = _parquet(pa.table({"t": ["a", "b" * 11, "b" * 11]}))
    message = _refusal(payload, Limits(max_field_bytes=10))
    assert message == (
        "f.parquet: row 2 has a field longer than 10 bytes (column 't'); that is the "
        "limit for one field"
    )


def _uncompressed(payload: bytes) -> int:
    metadata = pq.ParquetFile(io.BytesIO(payload)).metadata
    return sum(
        metadata.row_group(g).column(j).total_uncompressed_size
        for g in range(metadata.num_row_groups)
        for j in range(metadata.num_columns)
    )


def test_the_first_budget_counts_the_data_and_rows_times_columns():
    payload = _parquet(pa.table({"a": ["x", "y", "z"], "b": [1, 2, 3]}))
    total = _uncompressed(payload)
    # 64 MiB, 6 bytes per byte of data, 80 per cell of 3 rows x 2 columns.
    need = 64 * 2**20 + 6 * total + 80 * 6
    with pytest.raises(ImportFailure) as caught:
        _read_parquet("f.parquet", payload, Limits(max_memory=need - 1))
    assert str(caught.value) == (
        "f.parquet: importing it would take about 64.0 MB of memory (3 rows × 2 "
        f"columns and {total} bytes of data); one import may take 64 MB: split the "
        "file or leave out columns you do not need"
    )


def test_the_second_budget_counts_the_decoded_text():
    # Two columns of 5 rows: 500 characters of text once decoded.
    payload = _parquet(pa.table({"t": ["y" * 100] * 5, "u": [""] * 5}))
    need = 64 * 2**20 + 6 * 500 + 80 * 10
    assert 64 * 2**20 + 6 * _uncompressed(payload) + 80 * 10 < need
    rows = _read_parquet("f.parquet", payload, Limits(max_memory=need)).rows
    assert rows.tolist() == [1, 2, 3, 4, 5]
    with pytest.raises(ImportFailure) as caught:
        _read_parquet("f.parquet", payload, Limits(max_memory=need - 1))
    assert str(caught.value) == (
        "f.parquet: importing it would take about 64.0 MB of memory (5 rows × 2 "
        "columns and 500 bytes of text); one import may take 64 MB: split the "
        "file or leave out columns you do not need"
    )


@pytest.mark.parametrize(
    ("columns", "text"),
    [
        # Every kind of text is measured by its lengths: 500 characters.
        ({"t": pa.array(["y" * 100] * 5, pa.large_string())}, 500),
        ({"t": pa.array([b"y" * 100] * 5, pa.binary())}, 500),
        ({"t": pa.array([b"y" * 100] * 5, pa.large_binary())}, 500),
        # Empty text adds nothing; two columns add up.
        ({"e": [""] * 5, "t": ["y" * 100] * 5}, 500),
        ({"t": ["y" * 100] * 5, "u": ["z" * 100] * 5}, 1000),
        # Other columns count their bytes: 5 int64 are 40, and a byte of the
        # validity bitmap Arrow gives a column read from Parquet.
        ({"t": ["y" * 100] * 5, "n": pa.array([1, 2, 3, 4, 5], pa.int64())}, 541),
    ],
)
def test_the_text_limit_counts_every_column(columns, text):
    payload = _parquet(pa.table(columns))
    assert _uncompressed(payload) < text
    rows = _read_parquet("f.parquet", payload, Limits(max_bytes=text)).rows
    assert rows.tolist() == [1, 2, 3, 4, 5]
    with pytest.raises(ImportFailure) as caught:
        _read_parquet("f.parquet", payload, Limits(max_bytes=text - 1))
    assert str(caught.value).startswith(f"f.parquet: its text is {text} bytes once")


def test_parquet_columns_equal_but_for_case_are_refused():
    payload = _parquet(pa.table({"a": ["x"], "A ": ["y"]}))
    assert _refusal(payload) == "f.parquet: the column 'A ' appears more than once"


def test_a_long_field_in_a_column_of_numbers_is_refused_by_its_row():
    payload = _parquet(pa.table({"n": pa.array([1, 12345], pa.int64())}))
    assert _refusal(payload, Limits(max_field_bytes=2)) == (
        "f.parquet: row 2 has a field longer than 2 bytes (column 'n'); that is the "
        "limit for one field"
    )
