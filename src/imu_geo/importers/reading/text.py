"""Text: the encoding found (a byte-order mark, UTF-8, else Windows-1252 with a
note) and the bytes recoded to UTF-8 in chunks.

Imports :mod:`.table` only.
"""

from __future__ import annotations

import codecs
import re

from imu_geo.encoding import is_utf8
from imu_geo.importers.limits import ImportFailure
from imu_geo.importers.reading.table import _CHUNK

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def _recode(payload: bytes, start: int, codec: str) -> bytes:
    """``payload[start:]`` decoded from ``codec`` and encoded as UTF-8, in chunks,
    so that no text object of the whole file is ever built."""
    decoder = codecs.getincrementaldecoder(codec)()
    parts = []
    view = memoryview(payload)
    for offset in range(start, len(payload), _CHUNK):
        try:
            text = decoder.decode(view[offset : offset + _CHUNK])
            # Equivalent: codec names are looked up case-insensitively.
            parts.append(text.encode("utf-8"))  # pragma: no mutate
        except UnicodeDecodeError as error:
            raise UnicodeDecodeError(
                error.encoding,
                error.object,
                offset + error.start,
                # Equivalent: only the start of a bad sequence is ever reported.
                offset + error.end,  # pragma: no mutate
                error.reason,
            ) from None
    text = decoder.decode(b"", final=True)
    # Equivalent: codec names are looked up case-insensitively.
    parts.append(text.encode("utf-8"))  # pragma: no mutate
    return b"".join(parts)


def _decode(name: str, payload: bytes) -> tuple[bytes, list[str]]:
    """Return the text as UTF-8 bytes (no byte-order mark) and notes on the encoding."""
    notes: list[str] = []
    for bom, codec, label in _BOMS:
        if payload.startswith(bom):
            if codec == "utf-8":
                payload = payload[len(bom) :]
                break
            try:
                text = _recode(payload, len(bom), codec)
            except UnicodeDecodeError as error:
                raise ImportFailure(
                    f"{name}: starts with a {label} byte-order mark but is not "
                    f"{label} text (undecodable bytes at offset {error.start})"
                ) from None
            notes.append(f"{name}: read as {label} text")
            return text, notes
    head = payload[:65536]
    if b"\x00" in head:
        odd, even = head[1::2], head[0::2]
        if odd.count(0) > len(odd) * 0.3 or even.count(0) > len(even) * 0.3:
            raise ImportFailure(
                f"{name}: looks like UTF-16 text without a byte-order mark; save it "
                "as UTF-8"
            )
        raise ImportFailure(f"{name}: is not a text file (it contains NUL bytes)")
    if not is_utf8(payload):
        try:
            # Equivalent: codec names are looked up case-insensitively.
            payload = _recode(payload, 0, "cp1252")  # pragma: no mutate
            label = "Windows-1252"
        except UnicodeDecodeError:
            # Equivalent: codec names are looked up case-insensitively.
            payload = _recode(payload, 0, "latin-1")  # pragma: no mutate
            label = "Latin-1"
        notes.append(
            f"{name}: is not UTF-8; it was read as {label} (Western European) text"
        )
    first = payload[:65536]
    # The payload is UTF-8 here, so its codec dropped or in capitals is equivalent;
    # the error handler, for a character cut at 64 KB, is tested.
    sample = first.decode("utf-8", errors="ignore")  # pragma: no mutate
    controls = len(re.findall(r"[\x01-\x08\x0b\x0e-\x1f\x7f]", sample))
    # Equivalent as ``/``: for a whole count c, c > n // 100 exactly when c > n / 100.
    per_hundred = len(sample) // 100  # pragma: no mutate
    if controls > max(8, per_hundred):
        raise ImportFailure(
            f"{name}: is not a text file (it contains control characters)"
        )
    return payload, notes


def _has_text(data: bytes) -> bool:
    return re.search(rb"\S", data) is not None
