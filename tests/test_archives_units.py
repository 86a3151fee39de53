"""The archive reader's parts, at their boundaries (``imu_geo.importers.archives``).

``tests/test_archives.py`` reads archives through the importer; these tests call
the parts directly with archives and headers built here byte by byte, so that
each limit is met exactly and passed by one. Expected values come from the
rules in the module's docstrings and from the zip and gzip formats (APPNOTE
4.3.16 for the end of central directory record, 4.3.14-15 for Zip64; RFC 1952
for the gzip header), never from the reader.
"""

from __future__ import annotations

import gzip
import io
import struct
import zipfile

import pytest

from imu_geo.importers.archives import (
    RATIO_FLOOR,
    _check_directory,
    _gzip_original_name,
    _Meter,
    archive_kind,
    open_zip,
    unpack_gzip,
    unpack_zip,
    verify_zip,
)
from imu_geo.importers.limits import ImportFailure, Limits

DATA = (".csv", ".tsv", ".xlsx", ".parquet")
BOMB = (
    "x.zip: unpacks to more than 100 times its own size, so it is refused as a "
    "possible decompression bomb; if you trust it, unpack it yourself and import "
    "the file inside"
)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def end_record(entries: int, directory_size: int, offset: int = 0) -> bytes:
    """A zip's end of central directory record (22 bytes, no comment)."""
    return b"PK\x05\x06" + struct.pack(
        "<4H2LH", 0, 0, entries, entries, directory_size, offset, 0
    )


def refused(call, *args) -> str:
    with pytest.raises(ImportFailure) as caught:
        call(*args)
    return str(caught.value)


# --- what a file's first bytes say --------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x1f\x8b\x08rest", "gzip-compressed"),
        (b"PK\x03\x04rest", "a zip archive"),
        (b"PK\x05\x06", "a zip archive"),
        (b"\xfd7zXZ\x00rest", "xz-compressed"),
        (b"7z\xbc\xaf\x27\x1crest", "a 7z archive"),
        (b"\x28\xb5\x2f\xfdrest", "zstd-compressed"),
        (b"\x04\x22\x4d\x18rest", "lz4-compressed"),
        (b"Rar!\x1a\x07\x00", "a rar archive"),
        (b"BZh91AY&SYrest", "bzip2-compressed"),
        (b"BZh01AY&SY", None),  # block size 0 is not bzip2
        (b"xBZh91AY&SY", None),
        (b"\x00" * 257 + b"ustar\x0000", "a tar archive"),
        (b"\x00" * 256 + b"ustar\x0000", None),
        (b"\x00" * 258 + b"ustar", None),
        (b"\x00" * 257 + b"ustaR", None),
        (b"event_id,date\n", None),
        (b"", None),
    ],
)
def test_an_archive_is_known_by_its_first_bytes(head, kind):
    assert archive_kind(head) == kind


# --- the meter ---------------------------------------------------------------


def test_the_ratio_is_checked_only_past_a_megabyte():
    meter = _Meter("x.zip", 10, Limits())
    meter.add(RATIO_FLOOR)  # 1 MiB from 10 bytes: 104,857 times, but small
    assert meter.total == 1_048_576
    assert refused(meter.add, 1) == BOMB


def test_the_ratio_may_be_met_but_not_passed():
    meter = _Meter("x.zip", 20_000, Limits())
    meter.add(1_000_000)
    meter.add(1_000_000)  # 2,000,000 = 100 × 20,000
    assert meter.total == 2_000_000
    assert refused(meter.add, 1) == BOMB


def test_an_empty_archive_counts_as_one_byte():
    meter = _Meter("x.zip", 0, Limits())
    meter.add(RATIO_FLOOR)
    assert refused(meter.add, 1) == BOMB


def test_the_ratio_is_the_limits_own():
    meter = _Meter("x.zip", 2**20, Limits(max_unpack_ratio=3))
    meter.add(3 * 2**20)
    with pytest.raises(ImportFailure, match=r"^x\.zip: unpacks to more than 3 times"):
        meter.add(1)


def test_the_size_limit_is_checked_on_the_running_total():
    meter = _Meter("x.zip", 2**30, Limits(max_bytes=1_000))
    meter.add(600)
    meter.add(400)
    assert refused(meter.add, 1) == (
        "x.zip: unpacks to more than 1000 bytes; that is the limit, and it applies "
        "to the unpacked data"
    )


# --- a zip's directory, measured before it is parsed ---------------------------


@pytest.mark.parametrize(
    ("entries", "size"), [(10_000, 0), (3, 8 * 2**20), (10_000, 8 * 2**20)]
)
def test_a_directory_up_to_the_limits_is_accepted(entries, size):
    _check_directory("x.zip", end_record(entries, size))


@pytest.mark.parametrize(
    ("entries", "size", "said"),
    [
        (10_001, 0, "10,001 members in a directory of 0 bytes"),
        (3, 8 * 2**20 + 1, "3 members in a directory of 8.0 MB"),
        (65_534, 4_096, "65,534 members in a directory of 4.0 KB"),
    ],
)
def test_a_directory_past_the_limits_is_refused(entries, size, said):
    assert refused(_check_directory, "x.zip", end_record(entries, size)) == (
        f"x.zip: lists {said}; an archive of one data file has a few"
    )


MISSING = (
    "x.zip: is not a complete zip archive (its directory is missing); download it again"
)


def test_an_end_record_cut_short_is_missing():
    _check_directory("x.zip", b"junk" + end_record(1, 10))
    assert refused(_check_directory, "x.zip", b"junk" + end_record(1, 10)[:21]) == (
        MISSING
    )
    assert refused(_check_directory, "x.zip", b"no record here") == MISSING


def test_the_end_record_is_looked_for_in_the_last_bytes_a_comment_allows():
    # The record is followed by at most a 65,535-byte comment.
    _check_directory("x.zip", end_record(1, 10) + b"c" * 65_535)
    _check_directory("x.zip", b"j" + end_record(1, 10) + b"c" * 65_535)
    assert refused(_check_directory, "x.zip", end_record(1, 10) + b"c" * 65_536) == (
        MISSING
    )


def zip64_tail(entries: int, size: int, marker_entries: int = 0xFFFF) -> bytes:
    """A Zip64 end record (56 bytes, at offset 0), its locator (20 bytes) and an
    end record whose counts send the reader to them."""
    record = b"PK\x06\x06" + struct.pack(
        "<QHHLLQQQQ", 44, 45, 45, 0, 0, entries, entries, size, 0
    )
    assert len(record) == 56
    locator = b"PK\x06\x07" + struct.pack("<LQL", 0, 0, 1)
    return record + locator + end_record(marker_entries, 0xFFFFFFFF)


def test_a_zip64_directory_is_measured_from_its_own_record():
    _check_directory("x.zip", zip64_tail(5, 1_000))
    assert refused(_check_directory, "x.zip", zip64_tail(70_000, 2**20)) == (
        "x.zip: lists 70,000 members in a directory of 1.0 MB; an archive of one "
        "data file has a few"
    )


def test_a_zip64_record_is_read_when_either_count_is_marked():
    # Entries marked, size not, and the other way round.
    tail = zip64_tail(5, 1_000)
    only_entries = tail[:-22] + end_record(0xFFFF, 100)
    _check_directory("x.zip", only_entries)
    only_size = tail[:-22] + end_record(5, 0xFFFFFFFF)
    _check_directory("x.zip", only_size)


def test_without_a_zip64_locator_the_marked_counts_are_refused():
    tail = zip64_tail(5, 1_000)
    no_locator = tail[:56] + b"\x00" * 20 + tail[-22:]
    assert refused(_check_directory, "x.zip", no_locator).startswith(
        "x.zip: lists 65,535 members in a directory of 4.0 GB"
    )
    bad_record = b"PK\x06\x07" + tail[4:]
    assert refused(_check_directory, "x.zip", bad_record).startswith(
        "x.zip: lists 65,535 members"
    )


# --- member names --------------------------------------------------------------


@pytest.mark.parametrize(
    "member",
    ["my events.csv", "a..b.csv", "data/v1..2/e.csv", "~e.csv", "é.csv", "de:x.csv"],
)
def test_plain_member_names_are_accepted(member):
    archive = open_zip("x.zip", zipped({member: b"a\n1\n"}))
    assert archive.namelist() == [member]


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        ("del\x7f.csv", "control characters"),
        ("unit\x1f.csv", "control characters"),
        ("\\evil.csv", "an absolute path"),
        ("c:/evil.csv", "an absolute path"),
        ("Z:evil.csv", "an absolute path"),  # drive-relative on Windows
        ("a/..", "a path that leaves the archive (..)"),
    ],
)
def test_member_names_that_are_not_plain_are_refused(member, problem):
    assert refused(open_zip, "x.zip", zipped({member: b"a\n"})) == (
        f"x.zip: the member {member!r} has {problem} in its name; the archive is "
        "refused"
    )


def test_a_long_member_name_is_cut_to_80_characters_in_a_refusal():
    name80 = "a" * 75 + "\x01.csv"  # 80 characters: shown whole
    name81 = "b" * 76 + "\x01.csv"  # 81: cut to 77 and "..."
    assert refused(open_zip, "x.zip", zipped({name80: b""})) == (
        f"x.zip: the member {name80!r} has control characters in its name; the "
        "archive is refused"
    )
    assert refused(open_zip, "x.zip", zipped({name81: b""})) == (
        f"x.zip: the member {'b' * 76 + chr(1)!r}... has control characters in its "
        "name; the archive is refused".replace("'...", "...'")
    )


# --- a zip's one data file -------------------------------------------------------


def test_the_notes_count_other_files_and_system_files():
    payload = zipped(
        {
            "events.csv": b"a\n1\n",
            "readme.txt.md": b"r",
            "notes.pdf": b"p",
            "Thumbs.db": b"t",
            "sub/DESKTOP.INI": b"d",
            "._events.csv": b"m",
            "__MACOSX/x": b"m",
            "sub\\.ds_store": b"s",
        }
    )
    unpacked = unpack_zip("x.zip", payload, Limits(), DATA)
    assert unpacked.name == "events.csv"
    assert unpacked.payload == b"a\n1\n"
    assert unpacked.notes == (
        "x.zip: read events.csv from the archive (4 bytes)",
        "x.zip: also holds readme.txt.md, notes.pdf, which were not read",
        "x.zip: 5 system files (such as 'Thumbs.db') skipped",
    )


def test_one_system_file_is_one_file():
    payload = zipped({"in\\dir\\events.tsv": b"a\tb\n", "._x": b"m"})
    unpacked = unpack_zip("x.zip", payload, Limits(), DATA)
    assert unpacked.name == "events.tsv"
    assert unpacked.notes == (
        "x.zip: read events.tsv from the archive (4 bytes)",
        "x.zip: 1 system file (such as '._x') skipped",
    )


def test_past_five_names_the_rest_are_counted():
    members = {f"e{k}.csv": b"a\n" for k in range(7)}
    assert refused(unpack_zip, "x.zip", zipped(members), Limits(), DATA) == (
        "x.zip: holds 7 data files (e0.csv, e1.csv, e2.csv, e3.csv, e4.csv and 2 "
        "more); import one at a time: unpack the archive and import the file you "
        "want"
    )


def test_a_member_in_an_unsupported_method_is_refused_as_such():
    payload = bytearray(zipped({"e.csv": b"a\n1\n"}))
    # Compression method 99 (AES) in both headers (APPNOTE 4.4.5).
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = payload.find(signature)
        struct.pack_into("<H", payload, at + offset, 99)
    assert refused(unpack_zip, "x.zip", bytes(payload), Limits(), DATA) == (
        "x.zip: uses a compression method this reader does not support (That "
        "compression method is not supported); pack it again as an ordinary zip"
    )


# --- every member of a workbook, counted -----------------------------------------


def test_every_member_is_unpacked_once_and_measured():
    payload = zipped({"xl/": b"", "xl/a.xml": b"x" * 3_000, "b.xml": b"yy"})
    seen: dict[str, list[bytes]] = {}

    def scanner(member):
        if member == "b.xml":
            return None
        seen[member] = []
        return seen[member].append

    assert verify_zip("book.xlsx", payload, Limits(), scanner) == {
        "xl/a.xml": 3_000,
        "b.xml": 2,
    }
    assert seen == {"xl/a.xml": [b"x" * 3_000]}
    assert verify_zip("book.xlsx", payload, Limits()) == {"xl/a.xml": 3_000, "b.xml": 2}


def test_a_workbook_is_measured_against_the_size_limit_as_a_whole():
    payload = zipped({"a.xml": b"x" * 600, "b.xml": b"y" * 500})
    assert refused(verify_zip, "book.xlsx", payload, Limits(max_bytes=1_000)) == (
        "book.xlsx: unpacks to more than 1000 bytes; that is the limit, and it "
        "applies to the unpacked data"
    )


# --- gzip -----------------------------------------------------------------------

# A gzip header (RFC 1952): magic, method 8, flags, mtime, XFL, OS.
HEADER = b"\x1f\x8b\x08"
TAIL = b"\x00\x00\x00\x00\x00\x03"


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (HEADER + b"\x08" + TAIL + b"events.csv\x00rest", "events.csv"),
        (HEADER + b"\x00" + TAIL + b"events.csv\x00rest", ""),  # no FNAME flag
        (HEADER + b"\x0c" + TAIL + b"\x03\x00abc" + b"in.tsv\x00", "in.tsv"),
        (HEADER + b"\x0c" + TAIL + b"\x03", ""),  # FEXTRA cut short
        (HEADER + b"\x08" + TAIL + b"n" * 1_023 + b"\x00", "n" * 1_023),
        (HEADER + b"\x08" + TAIL + b"n" * 1_024 + b"\x00", ""),  # no end in 1,024
        (HEADER + b"\x08" + TAIL + b"no end", ""),
        (HEADER + b"\x08" + TAIL[:5], ""),  # 9 bytes
        (HEADER + b"\x08" + TAIL + b"caf\xe9.csv\x00", "café.csv"),  # Latin-1
    ],
)
def test_the_name_stored_in_a_gzip_header(header, name):
    assert _gzip_original_name(header) == name


def stored(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(name, "wb", fileobj=buffer, mtime=0) as packed:
        packed.write(content)
    return buffer.getvalue()


def test_a_gz_named_in_capitals_holds_its_name_without_the_suffix():
    unpacked = unpack_gzip("EVENTS.CSV.GZ", gzip.compress(b"a\n"), Limits(), DATA)
    assert (unpacked.name, unpacked.payload) == ("EVENTS.CSV", b"a\n")
    assert unpacked.notes == ("EVENTS.CSV.GZ: read EVENTS.CSV, unpacked (2 bytes)",)


def test_the_stored_name_loses_its_folders():
    payload = stored("dir\\sub/events.tsv", b"a\tb\n")
    unpacked = unpack_gzip("download.gz", payload, Limits(), DATA)
    assert unpacked.name == "events.tsv"


def test_a_gz_with_no_name_is_refused_with_an_example():
    assert refused(unpack_gzip, ".gz", gzip.compress(b"a\n"), Limits(), DATA) == (
        ".gz: does not say what it holds; name it after the file inside, e.g. "
        "events.csv.gz"
    )
    payload = stored("notes.pdf", b"%PDF")
    assert refused(unpack_gzip, "x.gz", payload, Limits(), DATA) == (
        "x.gz: does not say what it holds; name it after the file inside, e.g. x.csv.gz"
    )


def test_a_workbook_or_parquet_file_in_a_gz_may_be_a_zip_or_anything():
    workbook = zipped({"xl/workbook.xml": b"<w/>"})
    unpacked = unpack_gzip("book.xlsx.gz", gzip.compress(workbook), Limits(), DATA)
    assert (unpacked.name, unpacked.payload) == ("book.xlsx", workbook)
    unpacked = unpack_gzip("t.parquet.gz", gzip.compress(workbook), Limits(), DATA)
    assert unpacked.name == "t.parquet"
    assert refused(
        unpack_gzip, "t.tsv.gz", gzip.compress(workbook), Limits(), DATA
    ) == (
        "t.tsv.gz: holds a zip archive, not a data file; unpack it and import the "
        "data file inside"
    )


def test_a_gz_is_metered_against_its_own_size():
    content = b"0" * (2 * 2**20)
    payload = gzip.compress(content, compresslevel=9)
    assert len(payload) * 100 < len(content)
    assert refused(unpack_gzip, "z.csv.gz", payload, Limits(), DATA) == (
        BOMB.replace("x.zip", "z.csv.gz")
    )
    unpacked = unpack_gzip("z.csv.gz", payload, Limits(max_unpack_ratio=10**6), DATA)
    assert unpacked.payload == content


def test_two_data_files_are_refused_and_five_names_are_all_shown():
    two = {f"e{k}.csv": b"a\n" for k in range(2)}
    assert refused(unpack_zip, "x.zip", zipped(two), Limits(), DATA) == (
        "x.zip: holds 2 data files (e0.csv, e1.csv); import one at a time: unpack "
        "the archive and import the file you want"
    )
    five = {f"e{k}.csv": b"a\n" for k in range(5)}
    assert refused(unpack_zip, "x.zip", zipped(five), Limits(), DATA) == (
        "x.zip: holds 5 data files (e0.csv, e1.csv, e2.csv, e3.csv, e4.csv); import "
        "one at a time: unpack the archive and import the file you want"
    )


def test_a_workbook_member_that_unpacks_too_far_is_refused_by_the_workbooks_name():
    payload = zipped({"xl/a.xml": b"0" * (2 * 2**20)})
    assert refused(verify_zip, "book.xlsx", payload, Limits()) == (
        BOMB.replace("x.zip", "book.xlsx")
    )


def test_a_workbook_is_measured_without_keeping_what_it_unpacks():
    import os
    import tracemalloc

    content = os.urandom(8 * 2**20)  # does not pack: no ratio to refuse
    payload = zipped({"a.bin": content})
    del content
    tracemalloc.start()
    try:
        sizes = verify_zip("book.xlsx", payload, Limits())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sizes == {"a.bin": 8 * 2**20}
    # A chunk at a time (1 MiB, with the decompressor's buffers), never all the
    # 8 MiB the member holds (kept, they would be 16 MiB: the chunks and their join).
    assert peak < 8 * 2**20, peak


def with_stored_name(content: bytes, name: bytes, flags: int = 0x08) -> bytes:
    """``content`` gzipped, with ``name`` (and a NUL) stored in its header."""
    packed = gzip.compress(content, mtime=0)
    header = packed[:3] + bytes([flags]) + packed[4:10]
    return header + name + b"\x00" + packed[10:]


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (HEADER + b"\x01" + TAIL + b"events.csv\x00", ""),  # FTEXT, not FNAME
        (HEADER + b"\x09" + TAIL + b"events.csv\x00", "events.csv"),  # no FEXTRA
        (HEADER + b"\x0d" + TAIL + b"\x01\x00x" + b"e.csv\x00", "e.csv"),
    ],
)
def test_only_the_name_flag_says_a_name_is_stored(header, name):
    assert _gzip_original_name(header) == name


def test_a_stored_name_written_with_backslashes_loses_its_folders():
    payload = with_stored_name(b"a\tb\n", b"dir\\sub\\events.tsv")
    unpacked = unpack_gzip("download.gz", payload, Limits(), DATA)
    assert (unpacked.name, unpacked.payload) == ("events.tsv", b"a\tb\n")


def test_a_name_without_gz_is_the_name_of_what_it_holds():
    unpacked = unpack_gzip("events.csv", gzip.compress(b"a\n"), Limits(), DATA)
    assert unpacked.name == "events.csv"


def test_the_last_end_record_is_the_one_read():
    assert refused(
        _check_directory, "x.zip", end_record(3, 10) + end_record(10_001, 10)
    ).startswith("x.zip: lists 10,001 members")


def test_zip64_counts_and_offsets_are_unsigned():
    assert refused(_check_directory, "x.zip", zip64_tail(2**63, 1_000)).startswith(
        "x.zip: lists 9,223,372,036,854,775,808 members"
    )
    # An offset of 2**64 - 98 points past the end, not 98 bytes back to the
    # record: the marked counts stay.
    tail = bytearray(zip64_tail(5, 1_000))
    struct.pack_into("<Q", tail, 56 + 8, 2**64 - 98)
    assert refused(_check_directory, "x.zip", bytes(tail)).startswith(
        "x.zip: lists 65,535 members"
    )


def test_a_directory_that_measures_well_but_does_not_parse_is_damaged():
    message = refused(open_zip, "x.zip", end_record(1, 10))
    assert message.startswith("x.zip: is a damaged zip archive (")
    assert message.endswith("); download it again")
