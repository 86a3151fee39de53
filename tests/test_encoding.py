"""Telling UTF-8 bytes: the same verdict as Python's decoder, on every input."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imu_geo.encoding import is_utf8

# Each row is worked out from the UTF-8 definition (RFC 3629), not from a decoder.
CASES = [
    (b"", True),
    (b"plain ASCII, 1,2,3\n", True),
    (b"\xef\xbb\xbfwith a byte-order mark", True),
    (b"caf\xc3\xa9", True),  # é, two bytes
    (b"\xe2\x82\xac", True),  # €, three bytes
    (b"\xf0\x9f\x98\x80", True),  # an emoji, four bytes
    (b"\xed\x9f\xbf", True),  # U+D7FF, the last before the surrogates
    (b"\xee\x80\x80", True),  # U+E000, the first after them
    (b"\xf4\x8f\xbf\xbf", True),  # U+10FFFF, the last code point
    (b"\x80", False),  # a continuation byte alone
    (b"a\xffb", False),  # 0xFF begins nothing
    (b"caf\xe9", False),  # Latin-1 é
    (b"\xe2\x82", False),  # a character cut at the end
    (b"\xe2\x82x", False),  # a character cut before more text
    (b"\xc0\x80", False),  # an overlong NUL
    (b"\xe0\x80\xaf", False),  # an overlong slash
    (b"\xed\xa0\x80", False),  # U+D800, a surrogate
    (b"\xf4\x90\x80\x80", False),  # above U+10FFFF
    (b"ok" * 100_000 + b"\xff", False),  # the last byte counts
    (b"\xff" + b"ok" * 100_000, False),  # and the first
]


@pytest.mark.parametrize(("data", "expected"), CASES)
def test_is_utf8(data, expected):
    assert is_utf8(data) is expected
    assert is_utf8(memoryview(data)) is expected


def _python_says(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(st.binary(max_size=64))
def test_any_bytes_as_python_decides(data):
    assert is_utf8(data) is _python_says(data)


@given(st.text(max_size=64), st.binary(max_size=4), st.text(max_size=64))
def test_text_with_any_bytes_inside_as_python_decides(before, inside, after):
    data = before.encode("utf-8") + inside + after.encode("utf-8")
    assert is_utf8(data) is _python_says(data)
