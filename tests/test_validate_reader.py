"""The fast CSV reader sees what the ``csv`` module sees, or steps aside.

``read_events_frame`` either returns None (the caller then uses the row reader) or
a frame holding exactly the header and rows that ``csv`` reads. Line breaks and
blank lines inside quoted fields (paragraphs in an imported note) are text and
keep the fast reader; a blank line outside quotes, a stray or unclosed quote, a
short or long row or a doubtful header send the file to the row reader.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imu_geo import validate
from imu_geo.validate import read_csv_rows, read_events_frame

BOM = "\ufeff"

# (file text, the rows a reader of CSV must see: header first, hand-written), for
# files the fast reader must take.
READ = [
    ('a,b\n"x\n\ny",1\n', [["a", "b"], ["x\n\ny", "1"]]),
    ('a,b\r\n"x\r\n\r\ny",1\r\n', [["a", "b"], ["x\r\n\r\ny", "1"]]),
    ('a,b\r"x\r\ry",1\r', [["a", "b"], ["x\r\ry", "1"]]),
    ('a,b\n"x\n\r\ny",2\n', [["a", "b"], ["x\n\r\ny", "2"]]),
    ('a,b\n"x\n\r",2\n', [["a", "b"], ["x\n\r", "2"]]),
    (
        'a,b\n"he said ""hi""\n\nbye",""\n',
        [["a", "b"], ['he said "hi"\n\nbye', ""]],
    ),
    ('a,b\n"""\n\n""",3\n', [["a", "b"], ['"\n\n"', "3"]]),
    ('a,b\n,\n"",""\n', [["a", "b"], ["", ""], ["", ""]]),
    ("a,b\nNA,null\nNaN,None\n", [["a", "b"], ["NA", "null"], ["NaN", "None"]]),
    ("a,b\nx\u2028y,1\n", [["a", "b"], ["x\u2028y", "1"]]),
    (BOM + 'a,b\n"p\n\nq",1\n', [["a", "b"], ["p\n\nq", "1"]]),
    (BOM + '"a",b\n1,2\n', [["a", "b"], ["1", "2"]]),
    ('a,b\n"x\n\n",1', [["a", "b"], ["x\n\n", "1"]]),
    ('"a\n\nb",c\n1,2\r\n', [["a\n\nb", "c"], ["1", "2"]]),
    # A CRLF or a CR inside a quoted column name is kept as written.
    ('"a\r\nb",c\n1,2\n', [["a\r\nb", "c"], ["1", "2"]]),
    ('"a\rb",c\n1,2\n', [["a\rb", "c"], ["1", "2"]]),
    ("a,b\n", [["a", "b"]]),
    ("a,X", [["a", "X"]]),  # a header alone, without a line end
    ("a\n1\n2", [["a"], ["1"], ["2"]]),
    ('a,b\n"1,\n\n2",3\n4,"\n\n"\n', [["a", "b"], ["1,\n\n2", "3"], ["4", "\n\n"]]),
]

# Files the fast reader must leave to the row reader, and why.
REFUSED = [
    "a,b\n1,2\n\n3,4\n",  # a blank line
    "a,b\n1,2\n\n",  # a blank line at the end
    "a,b\n1,2\n\r3,4\n",  # LF then CR: two line ends, a blank line between
    "a,b\r\n1,2\r\n\r\n3,4\r\n",
    "a,b\r1,2\r\r3,4\r",
    'a,b\n"x\n\ny",1\n\n2,3\n',  # a blank line after a multi-line field
    'a,b\n"x\n\ny",1\r\n\r\n',
    "\na,b\n1,2\n",  # a blank first line
    BOM + "\na,b\n1,2\n",
    "\r\na,b\n",
    'a,b\n"x\n\n,1\n',  # a quoted field never closed
    'a,b\n"x"y,1\n',  # text after a closing quote
    'a,b\n"x\n\n"y,1\n',
    'a,b\nx"y,1\n',  # a quote inside an unquoted field
    'a,b\n"x\n\ny"\n',  # a short row
    "a,b\n1,2,3\n",  # a long row
    "a,a\n1,2\n",  # a header named twice
    "a,\n1,2\n",  # a column without a name
    "a,b.1\n1,2\n",
    "a,Unnamed: 1\n1,2\n",
]


def _write(folder, text):
    path = folder / "events.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def _as_rows(frame):
    return [list(frame.columns)] + frame.to_numpy().tolist()


@pytest.fixture(params=[1, 2, 3, 5, validate._SCAN_BLOCK])
def block(request, monkeypatch):
    """Scan in blocks this small too: parity must carry across block edges."""
    monkeypatch.setattr(validate, "_SCAN_BLOCK", request.param)
    return request.param


@pytest.mark.parametrize(("text", "rows"), READ)
def test_line_breaks_inside_quotes_keep_the_fast_reader(tmp_path, block, text, rows):
    path = _write(tmp_path, text)
    frame = read_events_frame(path)
    assert frame is not None
    assert _as_rows(frame) == rows
    assert all(isinstance(value, str) for value in frame.to_numpy().ravel())
    header, body = read_csv_rows(path)  # the row reader agrees with the table
    assert [header, *body] == rows


def test_line_breaks_in_quotes_are_kept_across_arrows_blocks(tmp_path):
    # 1,100 rows of 1,024 bytes, each a quoted field that opens with a line
    # break: Arrow's first block of 1 MiB (2**20 bytes) ends inside the 1,024th
    # row, after its quoted line break. Split there, as at a line end, the rows
    # would not be read.
    row = '"\n' + "x" * 1018 + '",1\n'
    assert len(row) == 1024
    assert 4 + 1023 * 1024 + 2 < 2**20 < 4 + 1024 * 1024
    frame = read_events_frame(_write(tmp_path, "a,b\n" + row * 1100))
    assert frame is not None
    assert len(frame) == 1100
    assert set(frame["a"]) == {"\n" + "x" * 1018}
    assert set(frame["b"]) == {"1"}


@pytest.mark.parametrize("text", REFUSED)
def test_what_the_fast_reader_would_misread_goes_to_the_row_reader(
    tmp_path, block, text
):
    assert read_events_frame(_write(tmp_path, text)) is None


# --- properties --------------------------------------------------------------

SPECIAL = ',"\n\r'
TEXT = st.text(alphabet="ab \u00e9\u2028" + SPECIAL, max_size=8)
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])


def _quoted(value):
    return '"' + value.replace('"', '""') + '"'


@st.composite
def _well_formed(draw):
    """CSV text a strict reader accepts, with no blank line outside quotes."""
    width = draw(st.integers(1, 4))
    header = draw(
        st.lists(
            st.text(alphabet="abcxyz_ \n", min_size=1, max_size=5),
            min_size=width,
            max_size=width,
            unique=True,
        )
    )
    records = [header] + draw(
        st.lists(st.lists(TEXT, min_size=width, max_size=width), max_size=6)
    )
    lines = []
    for record in records:
        cells = []
        for value in record:
            must = any(c in value for c in SPECIAL) or (width == 1 and not value)
            cells.append(_quoted(value) if must or draw(st.booleans()) else value)
        lines.append(",".join(cells))
    ends = [draw(LINE_ENDS) for _ in lines]
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    if draw(st.booleans()):
        text = text[: -len(ends[-1])]  # no line end after the last row
    return (BOM if draw(st.booleans()) else "") + text, records


@st.composite
def _any_csv(draw):
    """Well-formed CSV, then damaged: blank lines, stray quotes, cut rows."""
    text, _ = draw(_well_formed())
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(["\n", "\r", "\r\n", "\n\n", '"', ",", "x"]))
        text = text[:at] + piece + text[at:]
    return text


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(_any_csv())
def test_the_fast_reader_reads_as_csv_does_or_not_at_all(tmp_path, text):
    path = _write(tmp_path, text)
    frame = read_events_frame(path)
    if frame is None:
        return
    header, rows = read_csv_rows(path)  # the csv module is the oracle
    assert _as_rows(frame) == [header, *rows]


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(_well_formed())
def test_blank_lines_only_inside_quotes_keep_the_fast_reader(tmp_path, case):
    text, records = case
    path = _write(tmp_path, text)
    frame = read_events_frame(path)
    assert frame is not None, repr(text)
    assert _as_rows(frame) == records  # as generated
    header, rows = read_csv_rows(path)
    assert [header, *rows] == records


@pytest.mark.parametrize(
    ("raw", "needs"),
    [
        (b'a,b\n"x\n\n,1\n', True),  # the quote opened in row 2 never closes
        (b'a,b\n"x""\n', True),  # "" is an escaped quote, the field stays open
        (b'a,b\n"x"""\n', False),
        (b'a,b\n"x\n\ny",1\n', False),
        (b'a,b\n"x",1\n\n', True),
        (b"a,b\n1,2\n", False),
        (b"\na,b\n1,2\n", True),  # a blank first line, LF
        (b"\ra,b\n", True),  # ... CR
        (b'a"b",c\n1,2\n', True),  # a quote opened at byte 1, after a letter
        (b'a,b\nx"y",1\n', True),  # ... inside an unquoted field
        (b'"a"x,b\n', True),  # text after a closing quote
        (b'"a",b\n1,"2"', False),  # a closing quote on the last byte
        (b'"a",b\n"1"x', True),  # text on the last byte after a closing quote
        (b'"a",b\n"1""', True),  # an escaped quote on the last bytes, left open
        (b'"a",b\n"1"\n', False),
    ],
)
def test_the_byte_scan_alone(block, raw, needs):
    assert validate._needs_row_reader(raw) is needs
