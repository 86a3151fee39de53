"""Delimited text read piece by piece: the header and its delimiter, the fields
counted per record before parsing, and what a whole read says about its rows.

Every expectation is worked out by hand from the bytes of the example.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from imu_geo.importers import ImportFailure, Limits, read_table
from imu_geo.importers.reading import delimited
from imu_geo.importers.reading.delimited import (
    _MAX_HEADER_BYTES,
    _csv_layout,
    _csv_module_layout,
    _header,
    _record_end,
    _trailing_field,
)
from imu_geo.importers.reading.table import _CHUNK


@pytest.mark.parametrize(
    ("window", "end"),
    [
        (b"abc", None),
        (b"a,b\nc", 3),
        (b'"a\nb",c\nd', 7),  # the first line break is inside quotes
        (b'"a\nb', None),  # the only line break is inside quotes
        (b'""\n', 2),
    ],
)
def test_record_end(window, end):
    assert _record_end(window) == end


@pytest.mark.parametrize(
    ("data", "extension", "delimiter", "names"),
    [
        (b"a;b;c\n1;2;3\n", ".csv", ";", ["a", "b", "c"]),
        (b"a|b\n", ".txt", "|", ["a", "b"]),
        (b"a\tb,c\n", ".tsv", "\t", ["a", "b,c"]),
        # One comma and one tab: a tie goes to the comma outside .tsv.
        (b"a\tb,c\n", ".csv", ",", ["a\tb", "c"]),
        # No tab in a .tsv header: the delimiter is sniffed as for any file.
        (b"a;b\n", ".tsv", ";", ["a", "b"]),
        (b"abc\n1\n", ".csv", ",", ["abc"]),
        (b" a , b \n", ".csv", ",", ["a", "b"]),
        (b"a,,c\n", ".csv", ",", ["a", "(column 2)", "c"]),
        # The first line ends at a CR (old Mac files); the next has more commas.
        (b"a;b\rc,d,e,f\n", ".csv", ";", ["a", "b"]),
        # ... and at an LF before a CR.
        (b"a;b\nc,d,e,f\r", ".csv", ";", ["a", "b"]),
        (b"a;b", ".csv", ";", ["a", "b"]),
        (b'"a,b",c\n1,2\n', ".csv", ",", ["a,b", "c"]),
        (b'"a\nb",c\n', ".csv", ",", ["a\nb", "c"]),
        (b'"abc', ".csv", ",", ["abc"]),  # a quote never closed, in a short file
        # A CRLF inside a quoted name is kept as it is.
        (b'"a\r\nb",c\n', ".csv", ",", ["a\r\nb", "c"]),
    ],
)
def test_header_delimiter_and_names(data, extension, delimiter, names):
    assert _header("f.csv", data, extension, Limits()) == (delimiter, names)


@pytest.mark.parametrize(
    "data", [b",,\n1,2,3\n", b"\n1,2\n", b" , \n1,2\n", b'""\n1\n']
)
def test_a_blank_first_line_is_refused(data):
    with pytest.raises(ImportFailure, match=r"^f\.csv: the first line is blank; it"):
        _header("f.csv", data, ".csv", Limits())


def test_the_header_may_be_1_mb_long_and_no_longer():
    name = b"a" * _MAX_HEADER_BYTES
    assert _header("f.csv", name + b"\n1\n", ".csv", Limits()) == (",", [name.decode()])
    with pytest.raises(
        ImportFailure,
        match=r"^f\.csv: the header row is longer than 1 MB; that is the limit for",
    ):
        _header("f.csv", name + b"a\n1\n", ".csv", Limits())


def test_a_quoted_header_may_be_1_mb_long_when_no_line_ends_it():
    # No line break: the header is the whole file, up to 1 MB.
    name = b'"' + b"a" * (_MAX_HEADER_BYTES - 1)
    assert _header("f.csv", name, ".csv", Limits()) == (",", ["a" * (2**20 - 1)])
    with pytest.raises(
        ImportFailure, match=r"longer than 1 MB, or opens a quote it never closes$"
    ):
        _header("f.csv", name + b"a", ".csv", Limits())


def test_a_quoted_header_longer_than_the_csv_modules_field_limit_is_read():
    long = "a" * 200_000  # the csv module's own limit is 131,072 characters
    data = f'"{long}",b\n1,2\n'.encode()
    assert _header("f.csv", data, ".csv", Limits()) == (",", [long, "b"])


@pytest.mark.parametrize(
    ("data", "limit", "refused"),
    [
        (b"a,b,c\n", 3, False),
        (b"a,b,c\n", 2, True),
        (b'"a",b,c\n', 3, False),
        (b'"a",b,c\n', 2, True),
    ],
)
def test_the_header_is_held_to_the_column_limit(data, limit, refused):
    limits = Limits(max_columns=limit)
    if refused:
        with pytest.raises(ImportFailure, match="columns"):
            _header("f.csv", data, ".csv", limits)
    else:
        assert _header("f.csv", data, ".csv", limits)[1] == ["a", "b", "c"]


def _seen(layout) -> tuple | None:
    """A layout as plain values: fields per line, blank lines, the longest
    field, whether a quoted field spans lines."""
    if layout is None:
        return None
    return (
        layout.fields.tolist(),
        layout.blank.tolist(),
        layout.max_length,
        layout.multiline,
    )


def _layout(data: bytes, delimiter: str = ",", limits: Limits | None = None):
    return _seen(_csv_layout("f.csv", data, delimiter, limits or Limits()))


@pytest.mark.parametrize(
    ("data", "delimiter", "expected"),
    [
        (b"", ",", ([], [], 0, False)),
        (
            b"a,b\n1,2\n\n3,4",
            ",",
            ([2, 2, 1, 2], [False, False, True, False], 3, False),
        ),
        (b"a,b\r\n1,2\r\n\r\n", ",", ([2, 2, 1], [False, False, True], 3, False)),
        (b"a;b;c\n1,2\n", ";", ([3, 1], [False, False], 5, False)),
        (b'a,b\n"x\ny",2\n', ",", ([2, 2], [False, False], 7, True)),
        (b'a,b\n"x,y",2\n', ",", ([2, 2], [False, False], 7, False)),
        (b'a,b\n"x\ry",2\n', ",", ([2, 2], [False, False], 7, False)),
        (b'a\n"x""y"\n', ",", ([1, 1], [False, False], 6, False)),
        (b'a,b\n"",2\n"x"', ",", ([2, 2, 1], [False, False, False], 4, False)),
        (b"a,b\n,\n", ",", ([2, 2], [False, False], 3, False)),
        (b"\r\n", ",", ([1], [True], 0, False)),
        # A quote closed just before a CRLF line end.
        (b'a\r\n"x"\r\n', ",", ([1, 1], [False, False], 3, False)),
    ],
)
def test_layout_counts_fields_per_record(data, delimiter, expected):
    assert _layout(data, delimiter) == expected


@pytest.mark.parametrize(
    "data",
    [
        b'a,b\nx"y,2\n',  # a quote inside a field
        b'x"y"\n',  # ... in the file's second byte
        b'a,b\n"x"y,2\n',  # a quote closed before the field ends
        b'a,b\n"x" ,2\n',
        b"a,b\r1,2\r",  # lone CR line ends
        b"a,b\n1,2\r",  # a lone CR at the very end
        b"a,b\r1,2\n",  # ... before an LF that ends the file
        b'a\n"b"x',  # text after a quote closed in the last byte but one
    ],
)
def test_layout_leaves_irregular_files_to_the_csv_module(data):
    assert _layout(data) is None


@pytest.mark.parametrize(
    ("data", "row"),
    [(b'a,b\n1,2\n"x,3\n', 3), (b'a\n"', 2), (b'"a\n', 1), (b'a\n1\n2\n"', 4)],
)
def test_layout_names_the_row_of_a_quote_never_closed(data, row):
    with pytest.raises(
        ImportFailure, match=rf"^f\.csv: row {row} opens a quoted field that is never"
    ):
        _csv_layout("f.csv", data, ",", Limits())


def test_layout_bounds_the_lines_by_twice_the_row_limit():
    # max_rows=1: at most 2 * 1 + 2 = 4 lines.
    assert _layout(b"a\n" * 4, limits=Limits(max_rows=1))[0] == [1] * 4
    with pytest.raises(
        ImportFailure, match=r"^f\.csv: has more than 2 lines; the limit is 1 row$"
    ):
        _csv_layout("f.csv", b"a\n" * 5, ",", Limits(max_rows=1))


def test_layout_carries_fields_and_quotes_across_chunks():
    # A record that starts in the first chunk and ends in the second, with a
    # comma on either side of the chunk's end, and a quoted field opened before
    # it and closed after it that holds a comma and a line break.
    head = b"a,b,c,d\n"
    first = b"x," + b"y" * (_CHUNK - len(head) - 6) + b',"p'  # ends 2 bytes in
    assert len(head + first) == _CHUNK - 1
    data = head + first + b'q,\nr",' + b"z\n" + b"1,2,3,4\n"
    fields, blank, longest, multiline = _layout(data)
    assert fields == [4, 4, 4]
    assert blank == [False, False, False]
    assert multiline
    assert longest == len(first) + len(b'q,\nr",z')


def test_a_line_break_in_quotes_in_an_early_chunk_makes_the_file_multiline():
    # The quoted line break is in the first chunk; the last chunk has none.
    data = b'a,b\n"x\ny",1\n' + b"1,2\n" * (_CHUNK // 4 + 1)
    fields, blank, longest, multiline = _layout(data)
    assert len(data) > _CHUNK
    assert multiline
    assert fields == [2] * (_CHUNK // 4 + 3)
    assert longest == 7


def test_layout_counts_a_quote_at_a_chunks_first_byte_as_opened():
    head = b"a,b\n"
    first = b"x" * (_CHUNK - len(head) - 2) + b"\n,"
    data = head + first + b'"q\n,",y\n'
    assert len(head + first) == _CHUNK
    fields, _, _, multiline = _layout(data)
    # The header, a row of x, then ',"q\n,",y': an empty field, "q\n," and y.
    assert fields == [2, 1, 3]
    assert multiline


def _module_layout(data: bytes, limits: Limits | None = None):
    return _seen(_csv_module_layout("f.csv", data, ",", limits or Limits()))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'a,b\nx"y,2\n\n3\n', ([2, 2, 0, 1], [False, False, True, False], 13, True)),
        (b'a\r"p\r\nq",r\r\n', ([1, 2], [False, False], 12, True)),
        # One field of the whole text, longer than the csv module's own limit.
        (b'x"' + b"y" * 200_000, ([1], [False], 200_002, True)),
    ],
)
def test_the_csv_module_counts_what_the_fast_count_cannot(data, expected):
    assert _module_layout(data) == expected


def test_the_csv_module_splits_at_the_delimiter_given():
    layout = _csv_module_layout("f.csv", b'a;b\nx"y;2,3\n', ";", Limits())
    assert layout.fields.tolist() == [2, 2]


def test_the_csv_modules_counts_are_integers_even_for_no_record():
    assert _csv_module_layout("f.csv", b"", ",", Limits()).fields.dtype == np.int64
    assert _csv_module_layout("f.csv", b"a\n", ",", Limits()).fields.dtype == np.int64


def test_an_error_of_the_csv_module_is_one_line(monkeypatch):
    def fails(*args, **kwargs):
        raise csv.Error("field larger than field limit (5)")

    monkeypatch.setattr(csv, "reader", fails)
    with pytest.raises(ImportFailure) as caught:
        _csv_module_layout("f.csv", b'x"y\n', ",", Limits())
    assert str(caught.value) == (
        "f.csv: is not valid CSV (field larger than field limit (5))"
    )
    with pytest.raises(ImportFailure) as caught:
        _header("f.csv", b'"a"\n', ".csv", Limits())
    assert str(caught.value) == (
        "f.csv: the header row is not valid CSV (field larger than field limit (5))"
    )


def test_the_csv_modules_count_is_bounded_by_twice_the_row_limit():
    assert _module_layout(b'x"\n' * 4, Limits(max_rows=1))[0] == [1] * 4
    with pytest.raises(
        ImportFailure, match=r"^f\.csv: has more than 2 lines; the limit is 1 row$"
    ):
        _csv_module_layout("f.csv", b'x"\n' * 5, ",", Limits(max_rows=1))


@pytest.mark.parametrize(
    ("width", "fields", "blank", "expected"),
    [
        (2, [2, 3, 3], [False, False, False], True),
        (2, [2, 3, 1], [False, False, True], True),  # a blank line does not count
        (2, [2, 3, 2], [False, False, False], False),
        (2, [2, 1], [False, True], False),  # no data row at all
        (2, [3, 3], [False, False], True),  # the header's own count is not read
        (2, [2, 4], [False, False], False),
    ],
)
def test_trailing_field(width, fields, blank, expected):
    assert _trailing_field(width, np.array(fields), np.array(blank)) is expected


def _read(text: bytes, name: str = "f.csv", limits: Limits | None = None):
    return read_table(name, text, limits)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (b"a\tb\n1\t2\n", "f.csv: columns are separated by tabs"),
        (b"a;b\n1;2\n", "f.csv: columns are separated by ';'"),
        (b"a|b\n1|2\n", "f.csv: columns are separated by '|'"),
    ],
)
def test_a_delimiter_other_than_a_comma_is_noted(text, note):
    table = _read(text)
    assert table.notes == (note,)
    assert table.frame.to_dict("list") == {"a": ["1"], "b": ["2"]}


def test_rows_with_the_wrong_number_of_fields_are_reported_by_row():
    table = _read(b"a,b\n1,2\n3\n4,5,6\n\n7,8\n")
    assert table.frame.to_dict("list") == {"a": ["1", "7"], "b": ["2", "8"]}
    assert table.rows.tolist() == [2, 6]
    assert table.bad_rows == (
        (3, "has 1 field where the header has 2"),
        (4, "has 3 fields where the header has 2"),
    )
    assert table.notes == ("f.csv: 1 blank line was skipped (row 5)",)


def test_irregular_quoting_is_read_by_the_csv_module_with_the_same_rows():
    table = _read(b'a,b\nx"y,2\n3\n\n"p""q",4\n')
    assert table.frame.to_dict("list") == {"a": ['x"y', 'p"q'], "b": ["2", "4"]}
    assert table.rows.tolist() == [2, 5]
    assert table.bad_rows == ((3, "has 1 field where the header has 2"),)
    assert table.notes == ("f.csv: 1 blank line was skipped (row 4)",)


def test_blank_lines_are_listed_up_to_ten():
    text = b"a\n" + b"1\n" + b"\n" * 11 + b"2\n"
    table = _read(text)
    assert table.notes == (
        "f.csv: 11 blank lines were skipped (row 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, ...)",
    )
    assert table.rows.tolist() == [2, 14]
    ten = _read(b"a\n1\n" + b"\n" * 10 + b"2\n")
    assert ten.notes == (
        "f.csv: 10 blank lines were skipped (row 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"a,b\n", "f.csv: has a header but no data rows"),
        (b"a,b\n\n\n", "f.csv: has a header but no data rows"),
        (b"   \n", "f.csv: is empty"),
    ],
)
def test_refusals_of_a_file_without_rows(text, message):
    with pytest.raises(ImportFailure, match=f"^{message}$"):
        _read(text)


def test_the_row_limit_counts_data_rows_not_blank_lines():
    # Two data rows and a blank line under a limit of two rows.
    table = _read(b"a\n1\n\n2\n", limits=Limits(max_rows=2))
    assert table.rows.tolist() == [2, 4]
    with pytest.raises(ImportFailure, match="rows"):
        _read(b"a\n1\n2\n3\n", limits=Limits(max_rows=2))


def test_a_trailing_delimiter_on_every_data_row_that_holds_values_is_a_column():
    table = _read(b"a,b\n1,2,x\n3,4,y\n")
    assert list(table.frame.columns) == ["a", "b", "(column 3)"]
    assert table.frame["(column 3)"].tolist() == ["x", "y"]
    assert table.notes == (
        "f.csv: every data row has one field more than the header; the last is "
        "read as the column '(column 3)'",
    )


def test_empty_unnamed_columns_are_dropped_with_their_numbers():
    table = _read(b"a,,b,,\n1,,2,,\n3,,4,,\n")
    assert list(table.frame.columns) == ["a", "b"]
    assert table.notes == (
        "f.csv: 3 columns have no name in the header and nothing in any row; "
        "dropped (column 2, 4, 5)",
    )
    one = _read(b"a,,b\n1,,2\n")
    assert one.notes == (
        "f.csv: 1 column has no name in the header and nothing in any row; "
        "dropped (column 2)",
    )


def test_an_unnamed_column_with_a_value_is_kept():
    table = _read(b"a,,b\n1,,2\n3,x,4\n")
    assert list(table.frame.columns) == ["a", "(column 2)", "b"]
    assert table.frame["(column 2)"].tolist() == ["", "x"]
    assert table.notes == ()


def test_a_quoted_field_with_a_line_break_is_one_cell():
    table = _read(b'a,b\n"x\ny",2\n3,4\n')
    assert table.frame.to_dict("list") == {"a": ["x\ny", "3"], "b": ["2", "4"]}
    assert table.rows.tolist() == [2, 3]


def test_the_memory_budget_counts_the_rows_times_the_columns():
    # 3 data rows x 2 columns and 16 bytes of text: 64 MiB to start, 6 bytes
    # per byte of text and 80 per cell, 67,108,864 + 96 + 480 bytes.
    text = b"a,b\n1,2\n3,4\n5,6\n"
    need = 67_109_440
    assert _read(text, limits=Limits(max_memory=need)).rows.tolist() == [2, 3, 4]
    with pytest.raises(ImportFailure, match=r"3 rows × 2 columns and 16 bytes of text"):
        _read(text, limits=Limits(max_memory=need - 1))


@pytest.mark.parametrize(
    "text",
    [
        b'a,b\nNA,null\n"N/A",NaN\n',  # regular: Arrow reads it
        b'a,b\nNA,null\n"N/A",NaN\nx"y,z\n',  # a stray quote: pandas reads it
    ],
)
def test_text_that_reads_as_missing_elsewhere_is_kept_as_text(text):
    table = _read(text)
    assert table.frame["a"].tolist()[:2] == ["NA", "N/A"]
    assert table.frame["b"].tolist()[:2] == ["null", "NaN"]
    assert table.rows.tolist()[:2] == [2, 3]


def test_a_long_row_beside_irregular_quoting_is_reported_and_left_out():
    table = _read(b'a,b\nx"y,2\n3,4,5\n6,7\n')
    assert table.frame.to_dict("list") == {"a": ['x"y', "6"], "b": ["2", "7"]}
    assert table.rows.tolist() == [2, 4]
    assert table.bad_rows == ((3, "has 3 fields where the header has 2"),)
    assert table.notes == ()


@pytest.mark.parametrize(
    "text",
    [
        b"a,b\n1,2,\n3,4,\n",
        b'a,b\n1,2,\n"3""",4,\n',  # regular quotes
        b'a,b\n1,2,\nx"y,4,\n',  # a stray quote: read by pandas
    ],
)
def test_a_trailing_delimiter_on_every_data_row_is_dropped_with_a_note(text):
    table = _read(text)
    assert list(table.frame.columns) == ["a", "b"]
    assert table.frame["a"].tolist()[0] == "1"
    assert table.frame["b"].tolist() == ["2", "4"]
    assert table.rows.tolist() == [2, 3]
    assert table.bad_rows == ()
    assert table.notes == (
        "f.csv: every data row ends with a delimiter the header does not have; "
        "that last field is empty on every row and was dropped",
    )


def test_a_trailing_delimiter_and_an_empty_unnamed_column_are_noted_apart():
    table = _read(b"a,,b\n1,,2,\n3,,4,\n")
    assert table.frame.to_dict("list") == {"a": ["1", "3"], "b": ["2", "4"]}
    assert table.notes == (
        "f.csv: every data row ends with a delimiter the header does not have; "
        "that last field is empty on every row and was dropped",
        "f.csv: 1 column has no name in the header and nothing in any row; "
        "dropped (column 2)",
    )


def test_numbers_are_read_as_written_even_under_a_header_of_numbers():
    # A header Arrow could read as numbers too: the cells stay the text written.
    table = _read(b"2014,2015\n007,0.50\n1e3,-0\n")
    assert table.frame.to_dict("list") == {
        "2014": ["007", "1e3"],
        "2015": ["0.50", "-0"],
    }


def test_a_record_longer_than_two_of_arrows_usual_blocks_is_read_whole():
    # The reader parses in blocks of at least 16 MiB (2**24 bytes), and Arrow
    # refuses a record that spans more than two blocks ("straddling object").
    # This one is 33 MiB long: the block must be sized from the longest record.
    size = 2**25 + 2**20
    text = b"a,b\n1," + b"x" * size + b"\n2,y\n"
    table = _read(text, limits=Limits(max_field_bytes=2**26))
    assert table.frame["a"].tolist() == ["1", "2"]
    assert table.frame["b"].str.len().tolist() == [size, 1]
    assert table.rows.tolist() == [2, 3]


def test_line_breaks_in_quoted_fields_are_kept_across_arrows_blocks():
    # 16,400 rows of 1,024 bytes, each a quoted field that opens with a line
    # break: the reader's first block of 16 MiB (2**24 bytes) ends inside the
    # 16,384th row, after its quoted line break. Split there, as at a line end,
    # the rows would not be read.
    row = b'"\n' + b"x" * 1018 + b'",1\n'
    assert len(row) == 1024
    assert 4 + 16_383 * 1024 + 2 < 2**24 < 4 + 16_384 * 1024
    table = _read(b"a,b\n" + row * 16_400)
    assert table.rows.tolist() == list(range(2, 16_402))
    assert table.bad_rows == ()
    assert set(table.frame["a"]) == {"\n" + "x" * 1018}
    assert set(table.frame["b"]) == {"1"}


@pytest.mark.parametrize(
    ("data", "names"),
    [
        # A delimiter in the first byte counts toward the sniffing like any other.
        (b";b\n", ["(column 1)", "b"]),
        (b";a,b;c\n", ["(column 1)", "a,b", "c"]),
    ],
)
def test_a_delimiter_at_the_files_first_byte_is_counted(data, names):
    assert _header("f.csv", data, ".csv", Limits()) == (";", names)


@pytest.mark.parametrize("data", [b"\na,b,c\n", b"\ra,b,c\r"])
def test_a_line_break_at_the_files_first_byte_ends_an_empty_header(data):
    # The header is the empty first line, not the three columns after it: it is
    # refused as blank, not as wider than the limit of two columns.
    with pytest.raises(ImportFailure, match=r"^f\.csv: the first line is blank; it"):
        _header("f.csv", data, ".csv", Limits(max_columns=2))


@pytest.mark.parametrize(
    ("text", "name", "limits", "message"),
    [
        (
            b"a,A\n1,2\n",
            "e.csv",
            None,
            "e.csv: the column 'A' appears more than once",
        ),
        (
            b"a\n1\n2\n3\n",
            "e.csv",
            Limits(max_rows=2),
            "e.csv: has 3 rows; the limit is 2 rows",
        ),
        # A stray quote leaves the count to the csv module, which is bounded by
        # twice the row limit: 5 records where 2 * 1 + 2 = 4 are allowed.
        (
            b'a\nx"y\n1\n2\n3\n',
            "e.csv",
            Limits(max_rows=1),
            "e.csv: has more than 2 lines; the limit is 1 row",
        ),
        (
            b"a,b\n1,2\n3,xyzw\n",
            "e.csv",
            Limits(max_field_bytes=3),
            "e.csv: row 3 has a field longer than 3 bytes (column 'b'); that is the "
            "limit for one field",
        ),
        (
            b'a,b\n1,2\n3,"xy\n',
            "e.csv",
            None,
            "e.csv: row 3 opens a quoted field that is never closed",
        ),
    ],
)
def test_a_whole_reads_refusals_name_the_file(text, name, limits, message):
    with pytest.raises(ImportFailure) as caught:
        _read(text, name=name, limits=limits)
    assert str(caught.value).startswith(message)


def test_a_whole_read_names_its_table_and_the_encoding_note_its_file():
    table = _read(b"a\n\xe9\n", name="e.csv")
    assert table.name == "e.csv"
    assert table.notes == (
        "e.csv: is not UTF-8; it was read as Windows-1252 (Western European) text",
    )
    assert table.frame.to_dict("list") == {"a": ["\u00e9"]}


def test_a_tsv_file_is_split_at_tabs_even_with_as_many_commas():
    # One tab and one comma per line: a tie that goes to the tab in a .tsv file.
    table = _read(b"a\tb,c\n1\t2,3\n", name="e.tsv")
    assert table.frame.to_dict("list") == {"a": ["1"], "b,c": ["2,3"]}
    assert table.notes == ("e.tsv: columns are separated by tabs",)


def test_irregular_quoting_is_split_at_the_delimiter_of_the_header():
    # The stray quote sends the file to the csv module and its parser, which
    # must split at ';' too.
    table = _read(b'a;b\nx"y;2\n3;4\n')
    assert table.frame.to_dict("list") == {"a": ['x"y', "3"], "b": ["2", "4"]}
    assert table.notes == ("f.csv: columns are separated by ';'",)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ValueError("bad block\nmore detail"), "bad block"),
        (ValueError(""), "unknown"),
    ],
)
def test_a_parsers_error_is_one_line_or_unknown(monkeypatch, error, reason):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(delimited, "_parse_with_arrow", fail)
    with pytest.raises(ImportFailure) as caught:
        _read(b"a,b\n1,2\n", name="e.csv")
    assert str(caught.value) == f"e.csv: is not valid CSV ({reason})"


def test_a_parser_that_loses_a_row_is_refused(monkeypatch):
    def one_row(*args, **kwargs):
        # The header and one of the two data rows.
        return pd.DataFrame({"f0": ["a", "1"], "f1": ["b", "2"]})

    monkeypatch.setattr(delimited, "_parse_with_arrow", one_row)
    with pytest.raises(ImportFailure) as caught:
        _read(b"a,b\n1,2\n3,4\n", name="e.csv")
    assert str(caught.value) == (
        "e.csv: is not valid CSV (its rows could not be counted consistently)"
    )


def test_layout_bounds_the_lines_of_every_chunk_together():
    # Lines of 2 bytes: the first chunk holds _CHUNK / 2 of them, just the
    # 2 * max_rows + 2 allowed; one more line in the next chunk is too many.
    max_rows = _CHUNK // 4 - 1
    assert 2 * max_rows + 2 == _CHUNK // 2
    limits = Limits(max_rows=max_rows)
    assert len(_csv_layout("f.csv", b"1\n" * (_CHUNK // 2), ",", limits).fields) == (
        _CHUNK // 2
    )
    with pytest.raises(
        ImportFailure,
        match=r"^f\.csv: has more than 1,048,574 lines; the limit is 524,287 rows$",
    ):
        _csv_layout("f.csv", b"1\n" * (_CHUNK // 2 + 1), ",", limits)


def test_a_quoted_header_in_a_file_over_1_mb_may_be_1_mb_long_and_no_longer():
    # The quoted header of 2**20 bytes ends at the line break at byte 2**20; one
    # byte longer, the header is refused. The rows after it make the file
    # longer than 1 MB, so the header's end must be found within it.
    rows = b"1\n" * 1000
    name = b'"' + b"a" * (_MAX_HEADER_BYTES - 2) + b'"'
    assert _header("f.csv", name + b"\n" + rows, ".csv", Limits()) == (
        ",",
        ["a" * (2**20 - 2)],
    )
    with pytest.raises(
        ImportFailure, match=r"longer than 1 MB, or opens a quote it never closes$"
    ):
        _header("f.csv", b"a" + name + b"\n" + rows, ".csv", Limits())


def test_a_short_quoted_header_in_a_file_over_1_mb_is_read():
    rows = b"1,2\n" * 300_000  # 1,200,000 bytes
    assert _header("f.csv", b'"a",b\n' + rows, ".csv", Limits()) == (",", ["a", "b"])
