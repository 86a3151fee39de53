"""Files as they are downloaded: a ``.zip`` or ``.gz`` holding one data file is read,
within decompression-bomb limits counted while unpacking; anything else is refused
with its reason, word for word."""

from __future__ import annotations

import gzip
import io
import struct
import tarfile
import zipfile

import pytest

from imu_geo.importers import ImportFailure, Limits, import_file, read_table

CSV = (
    b"event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,"
    b"location,country,actor1,notes\r\n"
    b"UZB12,2009-05-26,1,40.7834,72.3507,1,Andijan,Uzbekistan,IMU,A bomb.\r\n"
    b"UZB13,2009-05-27,1,,,1,Tashkent,Uzbekistan,IMU,A raid.\r\n"
)


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    return buffer.getvalue()


def refusal(name: str, payload: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(ImportFailure) as caught:
        read_table(name, payload, limits)
    return str(caught.value)


def zeros_csv(size: int) -> bytes:
    """A CSV of ``size`` bytes that packs about a thousand times smaller."""
    return b"event_id\n" + b"0" * (size - 10) + b"\n"


# --- zip ---------------------------------------------------------------------------


def test_a_zip_of_one_csv_imports_like_the_csv():
    plain = import_file("acled.csv", CSV)
    packed = import_file("download.zip", zipped({"acled.csv": CSV}))
    assert (
        packed.summary()
        == plain.summary()
        == ("acled: 2 rows — 1 accepted, 1 repaired, 0 rejected")
    )
    columns = ["event_id", "date_start", "lat", "lon", "source_row"]
    assert packed.events[columns].equals(plain.events[columns])
    assert list(packed.events["source"]) == list(plain.events["source"])
    assert packed.file_notes == [
        f"download.zip: read acled.csv from the archive ({len(CSV)} bytes)",
        "acled.csv: has no event_type column; every event is read as context/statement",
    ]


def test_folders_system_files_and_other_files_in_a_zip_are_said():
    payload = zipped(
        {
            "export/": b"",
            "export/ged.csv": CSV,
            "export/codebook.pdf": b"%PDF-1.4 ...",
            "__MACOSX/export/._ged.csv": b"\x00\x05\x16\x07",
            "export/.DS_Store": b"\x00\x00\x00\x01Bud1",
        }
    )
    table = read_table("ged.zip", payload)
    assert table.name == "ged.csv"
    assert table.notes == (
        f"ged.zip: read ged.csv from the archive ({len(CSV)} bytes)",
        "ged.zip: also holds export/codebook.pdf, which was not read",
        "ged.zip: 2 system files (such as '__MACOSX/export/._ged.csv') skipped",
    )


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (
            {"a.csv": CSV, "b/b.tsv": CSV, "c.json": b"[]"},
            "events.zip: holds 3 data files (a.csv, b/b.tsv, c.json); import one at "
            "a time: unpack the archive and import the file you want",
        ),
        (
            {"inner.zip": zipped({"a.csv": CSV})},
            "events.zip: holds another archive (inner.zip); unpack it and import the "
            "data file inside",
        ),
        (
            {"a.csv": CSV, "a.csv.gz": gzip.compress(CSV)},
            "events.zip: holds another archive (a.csv.gz); unpack it and import the "
            "data file inside",
        ),
        (
            {"readme.pdf": b"%PDF", "data.dta": b"\x72"},
            "events.zip: holds no file this importer reads (.csv, .tsv, .txt, "
            ".geojson, .json, .parquet, .xlsx); it holds readme.pdf, data.dta",
        ),
        (
            {},
            "events.zip: holds no file this importer reads (.csv, .tsv, .txt, "
            ".geojson, .json, .parquet, .xlsx); it is empty",
        ),
    ],
    ids=["several", "nested zip", "nested gz", "no data file", "empty"],
)
def test_a_zip_that_is_not_one_data_file_is_refused_with_the_reason(members, expected):
    assert refusal("events.zip", zipped(members)) == expected


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        ("../evil.csv", "a path that leaves the archive (..)"),
        ("data/../../evil.csv", "a path that leaves the archive (..)"),
        ("..\\evil.csv", "a path that leaves the archive (..)"),
        ("/etc/events.csv", "an absolute path"),
        ("C:\\events.csv", "an absolute path"),
        ("bell\x07.csv", "control characters"),
        ("", "nothing"),
    ],
)
def test_member_names_that_are_not_plain_paths_are_refused(member, problem):
    assert refusal("tricky.zip", zipped({member: CSV})) == (
        f"tricky.zip: the member {member!r} has {problem} in its name; the archive "
        "is refused"
    )


def _set_flags(payload: bytes, bit: int) -> bytes:
    """Set a general-purpose flag bit in every local and central header."""
    data = bytearray(payload)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            (flags,) = struct.unpack_from("<H", data, at + offset)
            struct.pack_into("<H", data, at + offset, flags | bit)
            at = data.find(signature, at + 4)
    return bytes(data)


def test_an_encrypted_member_is_refused():
    payload = _set_flags(zipped({"acled.csv": CSV}), 0x1)
    assert refusal("locked.zip", payload) == (
        "locked.zip: 'acled.csv' is encrypted; unpack it with its password and "
        "import the file inside"
    )


def test_a_zip_bomb_built_small_is_refused_while_unpacking():
    payload = zipped({"bomb.csv": zeros_csv(4 * 2**20)})
    assert len(payload) < 10_000
    assert refusal("bomb.zip", payload) == (
        "bomb.zip: unpacks to more than 100 times its own size, so it is refused as "
        "a possible decompression bomb; if you trust it, unpack it yourself and "
        "import the file inside"
    )


def test_the_size_limit_applies_to_the_unpacked_data():
    text = b"".join(
        b"UZB%d,2009-05-26,notes about event %d\n" % (i, i) for i in range(30_000)
    )
    payload = zipped({"big.csv": b"event_id,date,notes\n" + text})
    assert len(payload) < 2**20 < len(text)
    assert refusal("big.zip", payload, Limits(max_bytes=2**20)) == (
        "big.zip: unpacks to more than 1 MB; that is the limit, and it applies to "
        "the unpacked data"
    )


def _declare_size(payload: bytes, size: int) -> bytes:
    """Change the unpacked size a zip's central directory declares."""
    data = bytearray(payload)
    at = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, at + 24, size)
    return bytes(data)


def test_a_member_declaring_more_than_the_limit_is_refused_before_unpacking():
    payload = _declare_size(zipped({"acled.csv": CSV}), 300 * 2**20)
    assert refusal("declared.zip", payload) == (
        "declared.zip: unpacks to more than 200 MB; that is the limit, and it "
        "applies to the unpacked data"
    )


def test_a_member_declaring_less_than_it_holds_is_damaged_not_trusted():
    payload = _declare_size(zipped({"acled.csv": CSV * 50}), 100)
    assert refusal("short.zip", payload) == (
        "short.zip: is a damaged zip archive (Bad CRC-32 for file 'acled.csv'); "
        "download it again"
    )


def test_a_zip_of_ten_thousand_members_is_refused_from_its_directory():
    payload = zipped({f"part{i}.txt": b"" for i in range(10_001)}, zipfile.ZIP_STORED)
    message = refusal("many.zip", payload)
    assert message.startswith("many.zip: lists 10,001 members in a directory of ")
    assert message.endswith("; an archive of one data file has a few")


def test_a_cut_zip_is_refused():
    payload = zipped({"acled.csv": CSV})
    assert refusal("cut.zip", payload[: len(payload) // 2]) == (
        "cut.zip: is not a complete zip archive (its directory is missing); "
        "download it again"
    )


def test_a_failure_inside_the_archive_names_both_files():
    assert refusal("events.zip", zipped({"empty.csv": b""})) == (
        "events.zip: empty.csv: is empty"
    )


# --- gzip -------------------------------------------------------------------------


def test_a_gz_holds_the_file_its_name_says():
    table = read_table("ged.csv.gz", gzip.compress(CSV))
    assert table.name == "ged.csv"
    assert len(table.frame) == 2
    assert table.notes == (f"ged.csv.gz: read ged.csv, unpacked ({len(CSV)} bytes)",)


def test_a_gz_without_a_data_name_uses_the_name_stored_inside():
    buffer = io.BytesIO()
    with gzip.GzipFile("events.tsv", "wb", fileobj=buffer) as packed:
        packed.write(CSV.replace(b",", b"\t"))
    table = read_table("download.gz", buffer.getvalue())
    assert table.name == "events.tsv"
    assert list(table.frame.columns[:2]) == ["event_id_cnty", "event_date"]
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as packed:
        packed.write(CSV)
    assert refusal("download.gz", buffer.getvalue()) == (
        "download.gz: does not say what it holds; name it after the file inside, "
        "e.g. download.csv.gz"
    )


def test_a_gz_bomb_built_small_is_refused_while_unpacking():
    payload = gzip.compress(zeros_csv(8 * 2**20), compresslevel=9)
    assert len(payload) < 10_000
    assert refusal("bomb.csv.gz", payload) == (
        "bomb.csv.gz: unpacks to more than 100 times its own size, so it is refused "
        "as a possible decompression bomb; if you trust it, unpack it yourself and "
        "import the file inside"
    )


def test_a_gz_is_counted_as_it_unpacks_not_by_its_trailer():
    text = b"".join(
        b"UZB%d,2009-05-26,notes about event %d\n" % (i, i) for i in range(90_000)
    )
    payload = bytearray(gzip.compress(b"event_id,date,notes\n" + text))
    assert len(payload) < 2**20 < 3 * 2**20 < len(text)
    payload[-4:] = (100).to_bytes(4, "little")  # the trailer claims 100 bytes
    assert refusal("lying.csv.gz", bytes(payload), Limits(max_bytes=2**20)) == (
        "lying.csv.gz: unpacks to more than 1 MB; that is the limit, and it applies "
        "to the unpacked data"
    )


@pytest.mark.parametrize(
    ("name", "payload", "expected"),
    [
        (
            "cut.csv.gz",
            gzip.compress(CSV)[:-12],
            "cut.csv.gz: is a damaged gzip file (Compressed file ended before the "
            "end-of-stream marker was reached); download it again",
        ),
        (
            "zip.csv.gz",
            gzip.compress(zipped({"a.csv": CSV})),
            "zip.csv.gz: holds a zip archive, not a data file; unpack it and import "
            "the data file inside",
        ),
        (
            "double.csv.gz",
            gzip.compress(gzip.compress(CSV)),
            "double.csv.gz: holds gzip-compressed, not a data file; unpack it and "
            "import the data file inside",
        ),
        (
            "events.tar.gz",
            gzip.compress(b"x"),
            "events.tar.gz: is a tar archive; unpack it and import the data file "
            "inside",
        ),
        (
            "events.tgz",
            gzip.compress(b"x"),
            "events.tgz: compressed files (.tgz) are not read; unpack it first and "
            "import the file inside (.zip and .gz files are read)",
        ),
        (
            "events.csv.bz2",
            b"BZh91AY&SY",
            "events.csv.bz2: compressed files (.bz2) are not read; unpack it first and "
            "import the file inside (.zip and .gz files are read)",
        ),
    ],
    ids=["cut", "zip inside", "gz inside", "tar.gz", "tgz", "bz2"],
)
def test_gz_files_that_are_not_one_data_file_are_refused(name, payload, expected):
    assert refusal(name, payload) == expected


def test_a_tar_inside_a_gz_named_csv_is_refused():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("acled.csv")
        info.size = len(CSV)
        archive.addfile(info, io.BytesIO(CSV))
    assert refusal("acled.csv.gz", gzip.compress(buffer.getvalue())) == (
        "acled.csv.gz: holds a tar archive, not a data file; unpack it and import "
        "the data file inside"
    )
