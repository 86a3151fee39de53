"""The work of reading a file is bounded before it is done: columns after the header,
Parquet's footer before its data, JSON's structure before it is parsed, one memory
budget per import. Each refusal is one line, checked word for word."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imu_geo.importers import ImportFailure, Limits, import_file, read_table
from imu_geo.importers.limits import parse_size
from imu_geo.importers.reading import checks
from imu_geo.importers.reading.jsonfile import _json_shape
from imu_geo.importers.reading.table import _CHUNK
from imu_geo.importers.reading.text import _decode, _has_text

# --- helpers --------------------------------------------------------------------------


def refusal(name: str, payload: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(ImportFailure) as caught:
        read_table(name, payload, limits)
    return str(caught.value)


def parquet(table: pa.Table, **options) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **options)
    return buffer.getvalue()


def with_damaged_data(payload: bytes) -> bytes:
    """The same Parquet file with its data pages overwritten and its footer intact:
    anything that reads the data fails, a check of the footer alone does not."""
    footer = int.from_bytes(payload[-8:-4], "little")
    data_end = len(payload) - 8 - footer
    damaged = bytearray(payload)
    damaged[4:data_end] = b"\xff" * (data_end - 4)
    return bytes(damaged)


# --- delimited text: the header first -------------------------------------------------


def test_a_header_of_200000_columns_is_refused_from_the_header_alone():
    header = ",".join(f"c{i}" for i in range(200_000)).encode()
    # What follows the header would be refused for another reason if it were read.
    payload = header + b'\n"this quote never closes'
    assert refusal("wide.csv", payload) == (
        "wide.csv: has 200,000 columns; the limit is 1,000 columns"
    )


def test_the_column_limit_is_inclusive():
    header = ",".join(f"c{i}" for i in range(1_000)).encode()
    table = read_table("edge.csv", header + b"\n" + b"x," * 999 + b"x\n")
    assert table.frame.shape == (1, 1_000)
    header = ",".join(f"c{i}" for i in range(1_001)).encode()
    assert refusal("over.csv", header + b"\n" + b"x," * 1_000 + b"x\n") == (
        "over.csv: has 1,001 columns; the limit is 1,000 columns"
    )


def test_a_quoted_header_is_counted_by_its_fields_not_its_delimiters():
    # 600 names, each holding a comma inside its quotes: 1,199 commas, 600 columns.
    header = ",".join(f'"a,{i}"' for i in range(600)).encode()
    table = read_table("quoted.csv", header + b"\n" + b"x," * 599 + b"x\n")
    assert table.frame.shape == (1, 600)
    assert table.frame.columns[1] == "a,1"
    header = ",".join(f'"a{i}"' for i in range(1_500)).encode()
    assert refusal("quoted.csv", header + b"\nx\n") == (
        "quoted.csv: has 1,500 columns; the limit is 1,000 columns"
    )


def test_a_header_line_over_1_mb_is_refused():
    header = b"name_" + b"x" * (2**20) + b",latitude"
    assert refusal("long.csv", header + b"\nx,1\n") == (
        "long.csv: the header row is longer than 1 MB; that is the limit for the header"
    )


def test_a_large_file_with_cr_line_ends_is_read_from_its_first_line():
    rows = b"".join(b"e%d,x\r" % i for i in range(300_000))
    table = read_table("mac.csv", b"event_id,notes\r" + rows)
    assert len(rows) > 2**20
    assert table.frame.shape == (300_000, 2)
    assert table.frame.loc[299_999, "event_id"] == "e299999"


def test_a_limit_of_one_row_is_said_in_the_singular():
    payload = b"event_id\n" + b"\n" * 3 + b"x\n"
    assert refusal("blank.csv", payload, Limits(max_rows=1)) == (
        "blank.csv: has more than 2 lines; the limit is 1 row"
    )


def test_a_quote_that_never_closes_in_the_header_of_a_large_file():
    payload = b'"event_id,date\n' + b"x,y\n" * 300_000
    assert refusal("open.csv", payload) == (
        "open.csv: the header row is longer than 1 MB, or opens a quote it never closes"
    )


def test_lines_are_bounded_before_rows_are_built():
    payload = b"event_id\n" + b"\n" * 25 + b"x\n"
    assert refusal("blank.csv", payload, Limits(max_rows=10)) == (
        "blank.csv: has more than 20 lines; the limit is 10 rows"
    )


def test_the_memory_budget_counts_rows_times_columns_and_text():
    header = ",".join(f"c{i}" for i in range(10)).encode()
    rows = b"".join(b"a,b,c,d,e,f,g,h,i,j\n" for _ in range(1_000))
    payload = header + b"\n" + rows
    # By hand: 64 MB for any import, 6 bytes per byte of text, 80 per cell
    # (1,000 rows x 10 columns). The header is 30 bytes, each row 20: 20,030
    # bytes of text (19.6 KB).
    need = 64 * 2**20 + 6 * len(payload) + 80 * 10_000
    assert need == 67_108_864 + 6 * 20_030 + 800_000  # 68,029,044: 64.9 MB
    assert refusal("budget.csv", payload, Limits(max_memory=need - 1)) == (
        "budget.csv: importing it would take about 64.9 MB of memory (1,000 rows × "
        "10 columns and 19.6 KB of text); one import may take 64.9 MB: split the "
        "file or leave out columns you do not need"
    )
    assert read_table("budget.csv", payload, Limits(max_memory=need)).frame.shape == (
        1_000,
        10,
    )


# --- Parquet: the footer before the data ----------------------------------------------


def test_parquet_columns_are_refused_from_the_footer():
    table = pa.table({f"c{i}": pa.array(["x"]) for i in range(1_001)})
    payload = with_damaged_data(parquet(table, compression="none"))
    assert refusal("wide.parquet", payload) == (
        "wide.parquet: has 1,001 columns; the limit is 1,000 columns"
    )


def test_parquet_rows_are_refused_from_the_footer():
    table = pa.table({"event_id": pa.array([str(i) for i in range(50)])})
    payload = with_damaged_data(parquet(table, compression="none"))
    assert refusal("long.parquet", payload, Limits(max_rows=49)) == (
        "long.parquet: has 50 rows; the limit is 49 rows"
    )


def test_parquet_nested_columns_are_refused_from_the_footer():
    table = pa.table(
        {"event_id": pa.array(["a"]), "tags": pa.array([["x", "y"]])},
    )
    payload = with_damaged_data(parquet(table, compression="none"))
    assert refusal("nested.parquet", payload) == (
        "nested.parquet: the column 'tags' holds nested values (list<element: "
        "string>); only flat columns are read: flatten it, or save the table as CSV"
    )


def test_parquet_uncompressed_size_is_refused_from_the_footer():
    notes = "y" * 300_000
    table = pa.table({"event_id": pa.array(["a", "b"]), "notes": [notes, notes + "z"]})
    payload = with_damaged_data(parquet(table, compression="zstd"))
    assert len(payload) < 20_000
    message = refusal("packed.parquet", payload, Limits(max_bytes=500_000))
    assert message.startswith("packed.parquet: its data is ")
    assert message.endswith(
        "the limit is 488.3 KB, and it applies to the unpacked data"
    )
    assert "(column 'notes' alone " in message


def test_one_huge_text_repeated_by_a_dictionary_is_measured_before_it_is_copied():
    # The dictionary holds the text once (600 KB); ten rows decode to 6 MB.
    huge = pa.DictionaryArray.from_arrays(
        pa.array([0] * 10, pa.int32()), pa.array(["z" * 600_000])
    )
    payload = parquet(pa.table({"notes": huge}), compression="zstd")
    assert len(payload) < 5_000
    assert refusal("bomb.parquet", payload, Limits(max_bytes=2**20)) == (
        "bomb.parquet: its text is 5.7 MB once decoded; the limit is 1 MB, and it "
        "applies to the unpacked data"
    )
    huge = pa.DictionaryArray.from_arrays(
        pa.array([0, 0, 0], pa.int32()), pa.array(["z" * (2**20 + 1)])
    )
    payload = parquet(pa.table({"notes": huge}), compression="zstd")
    assert refusal("field.parquet", payload) == (
        "field.parquet: row 1 has a field longer than 1 MB (column 'notes'); that is "
        "the limit for one field"
    )


def test_a_damaged_parquet_file_is_one_line():
    table = pa.table({"event_id": pa.array([f"e{i}" for i in range(500)])})
    payload = with_damaged_data(parquet(table, compression="snappy"))
    message = refusal("damaged.parquet", payload)
    assert message.startswith("damaged.parquet: is a damaged Parquet file (")
    assert message.endswith("); export it again")
    assert "\n" not in message


def test_a_parquet_footer_longer_than_the_file_is_damaged():
    table = pa.table({"event_id": pa.array(["a"])})
    payload = bytearray(parquet(table))
    payload[-8:-4] = (len(payload) * 2).to_bytes(4, "little")
    assert refusal("cut.parquet", bytes(payload)) == (
        "cut.parquet: is a damaged Parquet file (its footer is cut short); export it "
        "again"
    )


# --- JSON: counted before it is parsed ------------------------------------------------


def test_a_json_array_of_empty_objects_is_refused_before_it_is_parsed():
    count = 200_000
    payload = b"[" + b"{}," * (count - 1) + b"{}]"
    # By hand: 64 MB for any import, 6 per byte of text, 128 per object or list,
    # 64 per comma or colon. 600,001 bytes of text (585.9 KB); 200,001 objects
    # and lists; 199,999 commas.
    need = 64 * 2**20 + 6 * len(payload) + 128 * (count + 1) + 64 * (count - 1)
    assert need == 67_108_864 + 3_600_006 + 25_600_128 + 12_799_936  # 104.1 MB
    assert refusal("empty.json", payload, Limits(max_memory=need - 1)) == (
        "empty.json: importing it would take about 104.1 MB of memory (200,000 JSON "
        "objects and 1 list in 585.9 KB of text); one import may take 104.1 MB: "
        "save it as CSV, which takes far less, or split it"
    )


def test_a_large_json_bomb_is_refused_from_its_first_chunks():
    payload = b"[" + b"{}," * 3_000_000 + b"{}]"  # 9 MB
    message = refusal("bomb.json", payload, Limits(max_memory=100 * 2**20))
    assert message.startswith("bomb.json: importing it would take more than ")
    assert "JSON objects in its first 2.0 MB of 8.6 MB)" in message


def test_json_nested_too_deep_is_refused():
    payload = b"[" * 100 + b"]" * 100
    assert refusal("deep.json", payload) == (
        "deep.json: nests JSON 100 levels deep; a table of events needs a few, and "
        "the limit is 64"
    )


def test_json_records_with_too_many_distinct_keys_are_refused():
    payload = json.dumps([{f"k{i}": 1} for i in range(1_001)]).encode()
    assert refusal("keys.json", payload) == (
        "keys.json: has 1,001 columns; the limit is 1,000 columns"
    )


def test_json_structure_inside_strings_is_not_counted():
    text = r'[{"a": "{[{[ \" ] } \\", "b": ["\\\"{"]}]'
    assert json.loads(text) == [{"a": '{[{[ " ] } \\', "b": ['\\"{']}]
    shape = _json_shape(text.encode(), 2**40)
    assert (shape.objects, shape.arrays, shape.separators, shape.depth) == (
        1,
        2,
        3,
        3,
    )


def _walk(value, depth=1) -> tuple[int, int, int, int]:
    """Objects, lists, separators (colons and commas) and depth of a parsed value:
    the oracle for the byte-level count."""
    if isinstance(value, dict):
        counts = [1, 0, 2 * len(value) - 1 if value else 0, depth]
        children = list(value.values())
    elif isinstance(value, list):
        counts = [0, 1, len(value) - 1 if value else 0, depth]
        children = value
    else:
        return 0, 0, 0, depth - 1
    for child in children:
        o, a, s, d = _walk(child, depth + 1)
        counts[0] += o
        counts[1] += a
        counts[2] += s
        counts[3] = max(counts[3], d)
    return tuple(counts)


_TEXT = st.text(alphabet=st.sampled_from('ab{}[],:"\\ é\n\t'), max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON, st.booleans())
def test_json_counts_match_the_parsed_document(document, compact):
    separators = (",", ":") if compact else (", ", ": ")
    text = json.dumps(document, ensure_ascii=False, separators=separators)
    shape = _json_shape(text.encode(), 2**40)
    assert (shape.objects, shape.arrays, shape.separators, shape.depth) == _walk(
        document
    )


# --- the budget's figure for the command line -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("600MB", 600 * 2**20),
        ("600 mb", 600 * 2**20),
        ("1.5GB", int(1.5 * 2**30)),
        ("800KB", 800 * 2**10),
        ("1000B", 1000),
        ("2G", 2 * 2**30),
    ],
)
def test_sizes_are_read_with_their_unit(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["600", "MB", "six MB", "600TB", "-1MB"])
def test_a_size_without_a_known_unit_is_refused(text):
    with pytest.raises(ValueError, match="is not a size"):
        parse_size(text)


def test_raising_the_size_limit_raises_the_budget_with_it():
    assert Limits().max_memory == 14 * 200 * 2**20
    assert Limits().with_max_bytes(600 * 2**20).max_memory == 14 * 600 * 2**20
    # Lowering the size limit keeps the default budget.
    assert Limits().with_max_bytes(2**20).max_memory == 14 * 200 * 2**20


def test_import_file_refuses_with_the_readers_line():
    header = ",".join(f"c{i}" for i in range(5_000)).encode()
    with pytest.raises(ImportFailure) as caught:
        import_file("wide.csv", header + b"\n")
    assert str(caught.value) == (
        "wide.csv: has 5,000 columns; the limit is 1,000 columns"
    )


# --- the shape checks every reader makes, called directly ---------------------------


@pytest.mark.parametrize(
    ("columns", "refusal_text"),
    [
        (["date", "place"], None),
        # Case and surrounding spaces are ignored, on either side.
        (["Date", "date"], "c.csv: the column 'date' appears more than once"),
        ([" date", "date"], "c.csv: the column 'date' appears more than once"),
        (["date ", "date"], "c.csv: the column 'date' appears more than once"),
        (
            ["place", "x", " PLACE "],
            "c.csv: the column ' PLACE ' appears more than once",
        ),
        # Compared in lower case: "ß" and "ss" stay two names ("SS" both in upper).
        (["ß", "ss"], None),
    ],
)
def test_unique_columns(columns, refusal_text):
    if refusal_text is None:
        checks.unique_columns("c.csv", columns)
        return
    with pytest.raises(ImportFailure) as caught:
        checks.unique_columns("c.csv", columns)
    assert str(caught.value) == refusal_text


@pytest.mark.parametrize(
    ("check", "n", "limits", "refusal_text"),
    [
        (checks.width, 1_000, Limits(max_columns=1_000), None),
        (
            checks.width,
            1_001,
            Limits(max_columns=1_000),
            "t.csv: has 1,001 columns; the limit is 1,000 columns",
        ),
        (checks.row_count, 10, Limits(max_rows=10), None),
        (
            checks.row_count,
            11,
            Limits(max_rows=10),
            "t.csv: has 11 rows; the limit is 10 rows",
        ),
        (
            checks.width,
            2,
            Limits(max_columns=1),
            "t.csv: has 2 columns; the limit is 1 column",
        ),
        (
            checks.row_count,
            2,
            Limits(max_rows=1),
            "t.csv: has 2 rows; the limit is 1 row",
        ),
        (
            checks.row_count,
            1_234_567,
            Limits(max_rows=1_000_000),
            "t.csv: has 1,234,567 rows; the limit is 1,000,000 rows",
        ),
    ],
)
def test_width_and_row_count_limits_are_inclusive(check, n, limits, refusal_text):
    if refusal_text is None:
        check("t.csv", n, limits)
        return
    with pytest.raises(ImportFailure) as caught:
        check("t.csv", n, limits)
    assert str(caught.value) == refusal_text


@pytest.mark.parametrize(
    ("columns", "rows", "refusal_text"),
    [
        # A field of exactly the limit (3 characters) is accepted.
        ({"a": ["x", "abc"]}, [2, 3], None),
        ({"a": []}, [], None),
        # A field of exactly the limit before a longer one: the longer one's row.
        (
            {"a": ["abc", "abcd"]},
            [1, 2],
            "f.csv: row 2 has a field longer than 3 bytes (column 'a'); that is the "
            "limit for one field",
        ),
        # The first field over the limit names its row (from ``rows``), not the
        # longest one; the first column in order is checked first.
        (
            {"a": ["x", "abc", "y"], "b": ["y", "abcd", "abcdefg"]},
            [5, 6, 7],
            "f.csv: row 6 has a field longer than 3 bytes (column 'b'); that is the "
            "limit for one field",
        ),
        (
            {"a": ["abcdef", "y"], "b": ["abcd", "y"]},
            [9, 10],
            "f.csv: row 9 has a field longer than 3 bytes (column 'a'); that is the "
            "limit for one field",
        ),
    ],
)
def test_field_sizes(columns, rows, refusal_text):
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
    limits = Limits(max_field_bytes=3)
    if refusal_text is None:
        checks.field_sizes("f.csv", frame, np.array(rows), limits)
        return
    with pytest.raises(ImportFailure) as caught:
        checks.field_sizes("f.csv", frame, np.array(rows), limits)
    assert str(caught.value) == refusal_text


# --- the encoding of text, found and recoded to UTF-8 ---------------------------------

_UTF8_NOTE = "t.csv: is not UTF-8; it was read as {} (Western European) text"
# 655 control characters in the first 65,536 bytes: 65,536 // 100 = 655 is allowed.
_CONTROLS_AT_LIMIT = (b"\x01" * 655).ljust(65_536, b"a")


@pytest.mark.parametrize(
    ("payload", "text", "notes"),
    [
        (b"\xef\xbb\xbfa,b\n", b"a,b\n", []),
        (b"\xff\xfea\x00,\x00\xe9\x00", "a,é".encode(), ["t.csv: read as UTF-16 text"]),
        (b"\xfe\xff\x00a\x00b", b"ab", ["t.csv: read as UTF-16 text"]),
        (b"\xff\xfe\x00\x00a\x00\x00\x00", b"a", ["t.csv: read as UTF-32 text"]),
        (b"caf\xc3\xa9", b"caf\xc3\xa9", []),
        # é in Windows-1252 is 0xE9; a UTF-8 sequence cut short at the end is not UTF-8.
        (b"caf\xe9", b"caf\xc3\xa9", [_UTF8_NOTE.format("Windows-1252")]),
        (b"abc\xc3", b"abc\xc3\x83", [_UTF8_NOTE.format("Windows-1252")]),
        # 0x81 has no character in Windows-1252: read as Latin-1, U+0081.
        (b"a\x81", b"a\xc2\x81", [_UTF8_NOTE.format("Latin-1")]),
        # A NUL past the first 64 KB is not looked for.
        (b"a" * 65_536 + b"\x00", b"a" * 65_536 + b"\x00", []),
        # Control characters: up to max(8, one per 100 characters) are allowed.
        (b"\x01" * 8 + b"a" * 92, b"\x01" * 8 + b"a" * 92, []),
        (b"\x02" * 10 + b"a" * 990, b"\x02" * 10 + b"a" * 990, []),
        (_CONTROLS_AT_LIMIT + b"\x01", _CONTROLS_AT_LIMIT + b"\x01", []),
        # A character cut by the 64 KB sample is left out of it, not an error.
        (b"a" * 65_535 + b"\xc3\xa9", b"a" * 65_535 + b"\xc3\xa9", []),
    ],
)
def test_decode_finds_the_encoding(payload, text, notes):
    assert _decode("t.csv", payload) == (text, notes)


@pytest.mark.parametrize(
    ("payload", "refusal_text"),
    [
        (
            b"a\x00b\x00c\x00d\x00efghijklmnop",
            "t.csv: looks like UTF-16 text without a byte-order mark; save it as UTF-8",
        ),
        (
            b"\x00a\x00b\x00c\x00d" + b"efghijklmnop",
            "t.csv: looks like UTF-16 text without a byte-order mark; save it as UTF-8",
        ),
        (b"abcdefgh\x00ij", "t.csv: is not a text file (it contains NUL bytes)"),
        # Three NULs in ten even bytes (of 20) is not more than 30% either.
        (
            b"\x00a\x00b\x00c" + b"defghijklmnopq",
            "t.csv: is not a text file (it contains NUL bytes)",
        ),
        # Three NULs in ten odd bytes (of 20) is not more than 30%: not UTF-16.
        (
            b"a\x00b\x00c\x00defghijklmnopq",
            "t.csv: is not a text file (it contains NUL bytes)",
        ),
        (
            b"\x01" * 9 + b"a" * 91,
            "t.csv: is not a text file (it contains control characters)",
        ),
        (
            b"\x1f" * 11 + b"a" * 989,
            "t.csv: is not a text file (it contains control characters)",
        ),
        (
            b"\x7f\x0b\x0e\x08" * 3,
            "t.csv: is not a text file (it contains control characters)",
        ),
    ],
)
def test_decode_refuses_what_is_not_text(payload, refusal_text):
    with pytest.raises(ImportFailure) as caught:
        _decode("t.csv", payload)
    assert str(caught.value) == refusal_text


def test_bad_utf16_after_the_first_chunk_names_its_offset():
    # A lone low surrogate (DC00) placed at byte 2 + _CHUNK + 4 of the file.
    offset = 2 + _CHUNK + 4
    payload = b"\xff\xfe" + b"a\x00" * ((_CHUNK + 4) // 2) + b"\x00\xdcb\x00"
    with pytest.raises(ImportFailure) as caught:
        _decode("t.csv", payload)
    assert str(caught.value) == (
        "t.csv: starts with a UTF-16 byte-order mark but is not UTF-16 text "
        f"(undecodable bytes at offset {offset:d})"
    )


def test_utf16_cut_in_the_middle_of_a_character_is_refused():
    with pytest.raises(
        ImportFailure, match="^t.csv: starts with a UTF-16 byte-order mark"
    ):
        _decode("t.csv", b"\xff\xfea\x00b")


def test_a_file_not_utf8_after_the_first_chunk_is_recoded_whole():
    payload = b"a" * _CHUNK + b"\xe9"
    assert _decode("t.csv", payload) == (
        b"a" * _CHUNK + b"\xc3\xa9",
        [_UTF8_NOTE.format("Windows-1252")],
    )


@pytest.mark.parametrize(
    ("data", "expected"), [(b"", False), (b" \t\r\n", False), (b" a ", True)]
)
def test_has_text(data, expected):
    assert _has_text(data) is expected
