"""How ``imu_geo.source_columns`` stores, lines up, writes and reads the kept
columns, called directly on small hand-made columns and files, each checked
against the cells, bytes or findings written out here."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from imu_geo.source_columns import (
    _header_findings,
    _row_findings,
    aligned,
    compact_frame,
    compact_text,
    empty_frame,
    read_source_columns,
    stack,
    text_cells,
    write_source_columns,
)

TEXT = "large_string[pyarrow]"
CODED = "dictionary<values=large_string, indices=int32, ordered=0>[pyarrow]"


def cells(column: pd.Series) -> list[str]:
    return column.to_numpy(dtype=object, na_value="").tolist()


# --- storage -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        # Coded when the distinct values are at most half the cells.
        (["a", "a", "b", "b"], CODED),  # 2 of 4
        (["a", "a", "b"], TEXT),  # 2 of 3
        (["a", "a"], CODED),  # 1 of 2
        (["a"], TEXT),  # one cell: nothing to save
        ([], TEXT),
        (["x", None, "x", None], CODED),  # a missing cell is an empty one
        (["x", "y", None], TEXT),
    ],
)
def test_compact_text_codes_a_column_when_it_saves_room(values, dtype):
    column = compact_text(values)
    assert str(column.dtype) == dtype
    assert cells(column) == [v or "" for v in values]
    assert column.isna().sum() == 0


def test_compact_text_renumbers_a_series_from_zero():
    column = compact_text(pd.Series(["p", None, "q"], index=[7, 3, 5]))
    assert list(column.index) == [0, 1, 2]
    assert column.tolist() == ["p", "", "q"]


def test_compact_text_of_arrow_chunks_makes_one_coded_piece():
    chunks = pa.chunked_array([pa.array(["x", None]), pa.array(["x", "x"])])
    column = compact_text(chunks)
    assert str(column.dtype) == CODED
    assert column.tolist() == ["x", "", "x", "x"]
    stored = column.array._pa_array
    assert stored.num_chunks == 1
    assert stored.chunk(0).dictionary.to_pylist() == ["x", ""]


def test_compact_frame_keeps_names_and_numbers_rows_from_zero():
    frame = pd.DataFrame([["1", "a"], ["2", "a"]], columns=["n", "n"], index=[9, 4])
    compact = compact_frame(frame)
    assert list(compact.columns) == ["n", "n"]
    assert list(compact.index) == [0, 1]
    assert [cells(compact.iloc[:, i]) for i in range(2)] == [["1", "2"], ["a", "a"]]


def test_empty_frame_has_rows_and_no_column():
    frame = empty_frame(3)
    assert frame.shape == (3, 0)
    assert list(frame.index) == [0, 1, 2]


def test_text_cells_are_objects_with_missing_cells_empty():
    column = pd.Series(pd.array(["x", None], dtype="large_string[pyarrow]"))
    values = text_cells(column)
    assert values.dtype == object
    assert values.tolist() == ["x", ""]


def test_stacking_keeps_a_common_coding_and_reads_plain_text():
    coded = pd.DataFrame({"a": compact_text(["1", "1"])})
    also_coded = pd.DataFrame({"a": compact_text(["2", "2"])})
    stacked = stack([(coded, 2), (also_coded, 2)])
    assert str(stacked["a"].dtype) == CODED
    assert cells(stacked["a"]) == ["1", "1", "2", "2"]
    # A plain column, one of pandas' own text, and a dataset without it.
    plain = pd.DataFrame({"a": compact_text(["3", "4"])})
    own = pd.DataFrame({"a": pd.Series(["5"], dtype="str")})
    mixed = stack([(coded, 2), (plain, 2), (None, 1), (own, 1)])
    assert str(mixed["a"].dtype) == TEXT
    assert cells(mixed["a"]) == ["1", "1", "3", "4", "", "5"]
    assert list(mixed.index) == [0, 1, 2, 3, 4, 5]


def test_stacking_names_columns_in_the_order_first_seen():
    first = pd.DataFrame({"b": compact_text(["x"]), "a": compact_text(["y"])})
    second = pd.DataFrame({"c": compact_text(["z"]), "a": compact_text(["w"])})
    stacked = stack([(first, 1), (second, 1)])
    assert list(stacked.columns) == ["b", "a", "c"]
    assert {c: cells(stacked[c]) for c in stacked} == {
        "b": ["x", ""],
        "a": ["y", "w"],
        "c": ["", "z"],
    }


# --- lining up with the events -----------------------------------------------------


def _file_frame(ids, notes, index=None):
    frame = pd.DataFrame(
        {"event_id": pd.Series(ids, dtype="str"), "note": compact_text(notes)}
    )
    if index is not None:
        frame.index = index
    return frame


def test_a_file_in_the_events_order_is_taken_as_it_is():
    frame = _file_frame(["e1", "e2"], ["one", "two"], index=[5, 6])
    kept = aligned(frame, pd.Series(["e1", "e2"], index=[8, 9]))
    assert list(kept.columns) == ["note"]
    assert list(kept.index) == [0, 1]
    assert cells(kept["note"]) == ["one", "two"]


@pytest.mark.parametrize(
    ("event_ids", "expected"),
    [
        (["e3", "e9", "e1"], ["three", "", "one"]),  # reordered; e9 has no row
        (["e1", "e2"], ["one", "two"]),  # the file's first rows, one short
        (["e2", "e1", "e3"], ["two", "one", "three"]),  # as many, not in order
    ],
)
def test_the_kept_cells_follow_the_events(event_ids, expected):
    frame = _file_frame(["e1", "e2", "e3"], ["one", "two", "three"])
    kept = aligned(frame, pd.Series(event_ids))
    assert list(kept.columns) == ["note"]
    assert list(kept.index) == list(range(len(event_ids)))
    assert cells(kept["note"]) == expected


# --- writing and reading source_columns.csv ---------------------------------------


def test_the_file_is_quoted_utf8_with_lf_line_ends(tmp_path):
    frame = pd.DataFrame(
        {
            "note": compact_text(['a"b', "x,y", None]),
            "dup": compact_text(["é", "é", "é"]),
        }
    )
    path = tmp_path / "source_columns.csv"
    write_source_columns(path, pd.Series([1, 2, 3]), frame)
    assert (
        path.read_bytes()
        == (
            '"event_id","note","dup"\n"1","a""b","é"\n"2","x,y","é"\n"3","","é"\n'
        ).encode()
    )


def test_a_written_file_reads_back(tmp_path):
    path = tmp_path / "source_columns.csv"
    frame = pd.DataFrame({"note": compact_text(["a\nb", "c"])})
    write_source_columns(path, pd.Series(["e1", "e2"]), frame)
    found, back = read_source_columns(path, pd.Series(["e2", "e1"]))
    assert found == []
    assert list(back.columns) == ["event_id", "note"]
    assert str(back["event_id"].dtype) == "str"
    assert back["event_id"].tolist() == ["e1", "e2"]
    assert cells(back["note"]) == ["a\nb", "c"]


def _read(tmp_path, raw: bytes, event_ids=None):
    path = tmp_path / "source_columns.csv"
    path.write_bytes(raw)
    return read_source_columns(path, event_ids)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([], [(1, None, "the first column must be event_id, not ''")]),
        (["id", "x"], [(1, None, "the first column must be event_id, not 'id'")]),
        (["event_id", "a", "a"], [(1, "a", "the column appears more than once")]),
        (
            ["event_id", " ", ""],
            [(1, None, "column 2 has no name"), (1, None, "column 3 has no name")],
        ),
        (
            ["event_id", "event_id"],
            [(1, "event_id", "the column appears more than once")],
        ),
        (["event_id", "a"], []),
    ],
)
def test_header_findings(header, expected):
    assert _header_findings(header) == expected


def test_row_findings_name_each_row_of_another_width():
    text = 'a,b\n1,2\n1\n"x\ny",2,3\n1,2\n'
    assert _row_findings(text, 2) == [
        (3, None, "has 1 fields where the header has 2"),
        (4, None, "has 3 fields where the header has 2"),
    ]
    assert _row_findings("a\n1,2\n", 1) == [
        (2, None, "has 2 fields where the header has 1")
    ]


def test_row_findings_of_text_that_is_not_csv():
    text = 'a\n"' + "x" * 200_000 + '"\n'
    assert _row_findings(text, 1) == [
        (None, None, "is not valid CSV (field larger than field limit (131072))")
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "is empty"),
        (b" \n\t\r\n", "is empty"),
        (b" " * 2**20, "is empty"),  # the whole file, though it fills the MiB read
        (b"event_id,a\n\x00\n", "is not a text file (it contains NUL bytes)"),
        # A byte-order mark alone: no header at all.
        (codecs.BOM_UTF8, "the header is not valid CSV ()"),
        (
            b'"' + b"x" * 200_000 + b'"\n',
            "the header is not valid CSV (field larger than field limit (131072))",
        ),
    ],
)
def test_files_that_cannot_be_read_say_why(tmp_path, raw, expected):
    found, frame = _read(tmp_path, raw)
    assert frame is None
    assert [f[2] for f in found] == [expected]


def test_whitespace_past_the_first_mib_is_not_an_empty_file(tmp_path):
    # The first MiB is blank lines of one space; a letter follows it.
    found, frame = _read(tmp_path, b" \n" * 2**19 + b"x")
    assert frame is None
    assert found == [
        (1, None, "the first column must be event_id, not ' '"),
        (1, None, "column 1 has no name"),
    ]


def test_a_nul_past_the_first_4096_bytes_is_read_as_text(tmp_path):
    head = b"event_id,a\ne1,"
    raw = head + b"x" * (4096 - len(head)) + b"\x00\n"
    found, frame = _read(tmp_path, raw)
    assert found == []
    assert frame["a"].tolist() == ["x" * (4096 - len(head)) + "\x00"]


def test_a_byte_order_mark_is_not_part_of_the_first_name(tmp_path):
    found, frame = _read(tmp_path, codecs.BOM_UTF8 + b"event_id,a\ne1,x\n")
    assert found == []
    assert list(frame.columns) == ["event_id", "a"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"event_id,a\ne1,x\ne2\n", [(3, None, "has 1 fields where the header has 2")]),
        # Offsets count from the file's first byte, a byte-order mark included.
        (
            b"event_id,a\ne1,\xff\n",
            [(None, None, "is not UTF-8 text (undecodable byte at offset 14)")],
        ),
        (
            codecs.BOM_UTF8 + b"event_id,a\ne1,\xff\n",
            [(None, None, "is not UTF-8 text (undecodable byte at offset 17)")],
        ),
    ],
)
def test_rows_arrow_refuses_are_named(tmp_path, raw, expected):
    found, frame = _read(tmp_path, raw, pd.Series(["e1", "e2"]))
    assert frame is None
    assert found == expected


def test_every_row_must_name_an_event_once(tmp_path):
    raw = b"event_id,a\ne1,p\ne2,q\ne1,r\nzz,s\ne2,t\ne1,u\nzz,v\n3,w\n"
    found, frame = _read(tmp_path, raw, pd.Series(["e1", "e2", "e3", 3]))
    assert found == [
        (4, "event_id", "'e1' is a duplicate of row 2"),
        (5, "event_id", "'zz' is not an event of events.csv"),
        (6, "event_id", "'e2' is a duplicate of row 3"),
        (7, "event_id", "'e1' is a duplicate of row 2"),
        (8, "event_id", "'zz' is not an event of events.csv"),
    ]
    assert frame["event_id"].tolist() == ["e1", "e2", "e1", "zz", "e2", "e1", "zz", "3"]
    assert cells(frame["a"]) == list("pqrstuvw")
    assert _read(tmp_path, raw, None)[0] == []
    assert _read(tmp_path, b"event_id,a\ne1,p\n", pd.Series(["e1"]))[0] == []


def test_a_file_of_a_header_only_has_no_rows(tmp_path):
    found, frame = _read(tmp_path, b"event_id,a,b\n", pd.Series(["e1"]))
    assert found == []
    assert list(frame.columns) == ["event_id", "a", "b"]
    assert len(frame) == 0
    assert np.array_equal(frame.index, [])


# --- what the first run of mutants showed untested ------------------------------------


def test_a_missing_cell_read_by_pandas_as_nan_is_empty():
    column = compact_text(pd.Series(["a", np.nan, "a", "a"], dtype=object))
    assert cells(column) == ["a", "", "a", "a"]
    frame = pd.DataFrame({"a": pd.Series(["x", np.nan], dtype=object)})
    stacked = stack([(frame, 2)])
    assert cells(stacked["a"]) == ["x", ""]
    assert str(stacked["a"].dtype) == TEXT


def test_a_frame_of_no_column_keeps_its_rows():
    assert compact_frame(pd.DataFrame(index=[4, 5, 6])).shape == (3, 0)
    ids = pd.DataFrame({"event_id": pd.Series(["e1", "e2"], dtype="str")})
    kept = aligned(ids, pd.Series(["e2", "e1", "e3"]))
    assert kept.shape == (3, 0)
    assert list(kept.index) == [0, 1, 2]


def test_stacking_pandas_text_gives_arrow_large_text():
    one = pd.DataFrame({"a": pd.Series(["x"], dtype="str")})
    two = pd.DataFrame({"a": pd.Series(["y"], dtype="str")})
    stacked = stack([(one, 1), (two, 1)])
    assert str(stacked["a"].dtype) == TEXT
    assert cells(stacked["a"]) == ["x", "y"]


def test_a_file_in_the_events_order_keeps_its_columns_types():
    frame = pd.DataFrame(
        {
            "event_id": pd.Series(["e1", "e2"], dtype="str"),
            "note": pd.Series(["one", "two"], dtype="str"),
        }
    )
    kept = aligned(frame, pd.Series(["e1", "e2"]))
    assert str(kept["note"].dtype) == "str"
    assert kept["note"].tolist() == ["one", "two"]


def test_cells_no_row_gave_are_written_empty(tmp_path):
    # Stacked and lined up, a column has missing cells (Arrow nulls).
    first = pd.DataFrame({"a": compact_text(["1"])})
    stacked = stack([(first, 1), (None, 1)])
    assert stacked["a"].isna().tolist() == [False, True]
    path = tmp_path / "source_columns.csv"
    write_source_columns(path, pd.Series(["e1", "e2"]), stacked)
    assert path.read_bytes() == b'"event_id","a"\n"e1","1"\n"e2",""\n'


def test_a_quoted_line_break_in_a_name_is_kept_as_written(tmp_path):
    found, frame = _read(tmp_path, b'event_id,"a\r\nb"\ne1,x\n')
    assert found == []
    assert list(frame.columns) == ["event_id", "a\r\nb"]


def test_a_header_that_is_not_csv_is_row_1(tmp_path):
    found, _ = _read(tmp_path, b'"' + b"x" * 200_000 + b'"\n')
    assert found == [
        (
            1,
            None,
            "the header is not valid CSV (field larger than field limit (131072))",
        )
    ]


def test_cells_that_read_as_missing_elsewhere_are_kept_verbatim(tmp_path):
    found, frame = _read(tmp_path, b'event_id,a\nNA,null\nN/A,""\n,NaN\n')
    assert found == []
    assert frame["event_id"].tolist() == ["NA", "N/A", ""]
    assert cells(frame["a"]) == ["null", "", "NaN"]
    assert frame["a"].isna().sum() == 0


def test_a_file_of_ids_only_has_its_rows(tmp_path):
    found, frame = _read(tmp_path, b"event_id\ne1\ne2\n", pd.Series(["e1", "e2"]))
    assert found == []
    assert list(frame.columns) == ["event_id"]
    assert frame["event_id"].tolist() == ["e1", "e2"]


def test_line_breaks_in_cells_across_a_large_file(tmp_path):
    # Over Arrow's 1 MiB blocks: a block must not end inside a quoted cell.
    count = 40_000
    rows = "".join(f'"e{n}","line {n}\nand the next"\n' for n in range(count))
    found, frame = _read(tmp_path, ('"event_id","a"\n' + rows).encode("utf-8"))
    assert found == []
    assert len(frame) == count
    assert frame["event_id"].iloc[-1] == f"e{count - 1}"
    assert cells(frame["a"])[count // 2] == f"line {count // 2}\nand the next"


def test_a_list_with_nan_holds_an_empty_cell():
    column = compact_text(["a", float("nan"), "b"])
    assert cells(column) == ["a", "", "b"]


def test_a_header_past_the_first_mib_is_refused(tmp_path):
    # 140,000 names of 7 to 8 bytes: about 1.1 MB before the first line ends.
    names = [f"c{n:06d}" for n in range(140_000)]
    raw = ",".join(["event_id", *names]).encode() + b"\n" + b"e1" + b"," * 140_000
    found, frame = _read(tmp_path, raw + b"\n")
    assert frame is None
    assert found
    assert all(f[0] == 2 and "fields where the header has" in f[2] for f in found)
