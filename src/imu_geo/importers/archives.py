"""Unpacking ``.zip`` and ``.gz`` files that hold one data file, with bomb limits.

Nothing here trusts the sizes an archive declares: every member is unpacked in
chunks and counted as it comes, against the size limit (which applies to the
unpacked data) and against a ratio to the archive's own size. A zip's central
directory is measured before it is parsed, so that an archive of a million empty
entries costs nothing. Everything that is not one readable data file is refused
with the reason: several data files (named), another archive inside, an
encrypted member, a member name that is not a plain path inside the archive.
"""

from __future__ import annotations

import gzip
import io
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath

from imu_geo.importers.limits import (
    ImportFailure,
    Limits,
    check_unpacked,
    size_text,
)
from imu_geo.text import plural

# Archives this package does not unpack, by extension.
OTHER_ARCHIVE_EXTENSIONS: frozenset[str] = frozenset(
    {".gzip", ".tgz", ".bz2", ".xz", ".lzma", ".7z", ".zst", ".lz4", ".rar", ".tar"}
    | {".z", ".tbz2", ".txz", ".cab", ".arj"}
)
ARCHIVE_EXTENSIONS: tuple[str, ...] = (".zip", ".gz")

# Magic bytes at the start of a file, and what they mean.
ARCHIVE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\xfd7zXZ\x00", "xz-compressed"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed"),
    (b"\x04\x22\x4d\x18", "lz4-compressed"),
    (b"Rar!\x1a\x07", "a rar archive"),
)
_BZIP2_MAGIC = re.compile(rb"BZh[1-9]1AY&SY")

# The ratio is checked once this much has been unpacked: small files of
# repetitive text can legitimately pack very tightly.
RATIO_FLOOR = 2**20
_CHUNK = 2**20
_MAX_MEMBERS = 10_000
_MAX_DIRECTORY_BYTES = 8 * 2**20
_SYSTEM_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    KeyError,
    IndexError,
    OverflowError,
)


@dataclass(frozen=True)
class Unpacked:
    """The one data file of an archive: its name (without folders), its bytes and
    what a user should know about how it was found."""

    name: str
    payload: bytes
    notes: tuple[str, ...]


def archive_kind(head: bytes) -> str | None:
    """What kind of archive or compressed data ``head`` (a file's first 512 bytes)
    starts, or None."""
    for magic, kind in ARCHIVE_MAGIC:
        if head.startswith(magic):
            return kind
    if _BZIP2_MAGIC.match(head):
        return "bzip2-compressed"
    if head[257:262] == b"ustar":
        return "a tar archive"
    return None


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


class _Meter:
    """Counts unpacked bytes against the size limit and the ratio to the archive."""

    def __init__(self, name: str, packed: int, limits: Limits) -> None:
        self.name = name
        self.packed = max(packed, 1)
        self.limits = limits
        self.total = 0

    def add(self, n: int) -> None:
        self.total += n
        check_unpacked(self.name, self.total, self.limits)
        ratio = self.limits.max_unpack_ratio
        if self.total > RATIO_FLOOR and self.total > ratio * self.packed:
            raise ImportFailure(
                f"{self.name}: unpacks to more than {ratio:,} times its own size, so "
                "it is refused as a possible decompression bomb; if you trust it, "
                "unpack it yourself and import the file inside"
            )


def _pump(
    read: Callable[[int], bytes],
    meter: _Meter,
    keep: bool = True,
    scan: Callable[[bytes], None] | None = None,
) -> bytes:
    """Read a stream in chunks through the meter; return it when ``keep``."""
    chunks: list[bytes] = []
    while True:
        chunk = read(_CHUNK)
        if not chunk:
            break
        meter.add(len(chunk))
        if scan is not None:
            scan(chunk)
        if keep:
            chunks.append(chunk)
    return b"".join(chunks)


@contextmanager
def _damaged(name: str, what: str) -> Iterator[None]:
    """Turn a decompressor's or zipfile's error into a one-line refusal."""
    try:
        yield
    except ImportFailure:
        raise
    except _DAMAGE as error:
        reason = (str(error).strip().splitlines() or [""])[0][:160]
        if isinstance(error, NotImplementedError):
            raise ImportFailure(
                f"{name}: uses a compression method this reader does not support "
                f"({reason or 'unknown'}); pack it again as an ordinary zip"
            ) from None
        raise ImportFailure(
            f"{name}: is a damaged {what}"
            + (f" ({reason})" if reason else "")
            + "; download it again"
        ) from None


# --- zip ----------------------------------------------------------------------


def _check_directory(name: str, payload: bytes) -> None:
    """Measure the central directory from the end record before zipfile parses it."""
    tail_start = max(0, len(payload) - (22 + 65535))
    end = payload.rfind(b"PK\x05\x06", tail_start)
    if end < 0 or len(payload) - end < 22:
        raise ImportFailure(
            f"{name}: is not a complete zip archive (its directory is missing); "
            "download it again"
        )
    (_, _, _, entries, directory_size, _, _) = struct.unpack(
        "<4s4H2LH", payload[end : end + 22]
    )[1:]
    locator = end - 20
    if (entries == 0xFFFF or directory_size == 0xFFFFFFFF) and payload[
        locator : locator + 4
    ] == b"PK\x06\x07":
        (offset,) = struct.unpack("<Q", payload[locator + 8 : locator + 16])
        record = payload[offset : offset + 56]
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            entries, directory_size = struct.unpack("<QQ", record[32:48])
    if entries > _MAX_MEMBERS or directory_size > _MAX_DIRECTORY_BYTES:
        raise ImportFailure(
            f"{name}: lists {entries:,} members in a directory of "
            f"{size_text(directory_size)}; an archive of one data file has a few"
        )


def _member_problem(filename: str) -> str | None:
    if not filename:
        return "nothing"
    if any(ord(c) < 32 or ord(c) == 127 for c in filename):
        return "control characters"
    if filename.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", filename):
        return "an absolute path"
    if ".." in re.split(r"[\\/]", filename):
        return "a path that leaves the archive (..)"
    return None


def _shown(filename: str) -> str:
    text = filename if len(filename) <= 80 else filename[:77] + "..."
    return repr(text)


def _is_system(filename: str) -> bool:
    path = PurePosixPath(filename.replace("\\", "/"))
    return (
        path.parts[:1] == ("__MACOSX",)
        or path.name.startswith("._")
        or path.name.lower() in _SYSTEM_NAMES
    )


def open_zip(name: str, payload: bytes) -> zipfile.ZipFile:
    """Open a zip held in memory after measuring its directory, and refuse member
    names that are not plain paths inside it.

    Raises
    ------
    ImportFailure
        For a damaged archive, a directory too large for a few members, or a
        member name that is empty or has control characters, an absolute path
        or ``..``.
    """
    _check_directory(name, payload)
    with _damaged(name, "zip archive"):
        archive = zipfile.ZipFile(io.BytesIO(payload))
        infos = archive.infolist()
    for info in infos:
        problem = _member_problem(info.filename)
        if problem:
            raise ImportFailure(
                f"{name}: the member {_shown(info.filename)} has {problem} in its "
                "name; the archive is refused"
            )
    return archive


def _read_member(
    name: str,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    meter: _Meter,
    keep: bool = True,
    scan: Callable[[bytes], None] | None = None,
) -> bytes:
    if info.flag_bits & 0x1:
        raise ImportFailure(
            f"{name}: {_shown(info.filename)} is encrypted; unpack it with its "
            "password and import the file inside"
        )
    # The declared size is a first, cheap check; the meter counts what comes.
    check_unpacked(name, meter.total + info.file_size, meter.limits)
    with _damaged(name, "zip archive"), archive.open(info) as member:
        return _pump(member.read, meter, keep, scan)


def unpack_zip(
    name: str, payload: bytes, limits: Limits, data_extensions: Sequence[str]
) -> Unpacked:
    """The one data file of a zip archive.

    Folders and system files (``__MACOSX/``, ``._*``, ``.DS_Store``, ``Thumbs.db``,
    ``desktop.ini``) are skipped; other files that are not data are named in a
    note.

    Raises
    ------
    ImportFailure
        When the archive holds no data file or several, another archive, an
        encrypted data file, a member name that is not a plain path, is damaged,
        or unpacks to more than the size limit or the ratio.
    """
    archive = open_zip(name, payload)
    files = [i for i in archive.infolist() if not i.is_dir()]
    system = [i for i in files if _is_system(i.filename)]
    files = [i for i in files if not _is_system(i.filename)]
    nested = [
        i
        for i in files
        if _extension(i.filename) in OTHER_ARCHIVE_EXTENSIONS
        or _extension(i.filename) in ARCHIVE_EXTENSIONS
    ]
    if nested:
        raise ImportFailure(
            f"{name}: holds another archive ({_names(nested)}); unpack it and import "
            "the data file inside"
        )
    data = [i for i in files if _extension(i.filename) in data_extensions]
    if not data:
        held = f"; it holds {_names(files)}" if files else "; it is empty"
        raise ImportFailure(
            f"{name}: holds no file this importer reads "
            f"({', '.join(data_extensions)}){held}"
        )
    if len(data) > 1:
        raise ImportFailure(
            f"{name}: holds {len(data)} data files ({_names(data)}); import one at a "
            "time: unpack the archive and import the file you want"
        )
    (chosen,) = data
    meter = _Meter(name, len(payload), limits)
    content = _read_member(name, archive, chosen, meter)
    inner = PurePosixPath(chosen.filename.replace("\\", "/")).name
    notes = [f"{name}: read {inner} from the archive ({size_text(len(content))})"]
    others = [i for i in files if i is not chosen]
    if others:
        verb = "was" if len(others) == 1 else "were"
        notes.append(f"{name}: also holds {_names(others)}, which {verb} not read")
    if system:
        notes.append(
            f"{name}: {len(system):,} system {plural(len(system), 'file')} "
            f"(such as {_shown(system[0].filename)}) skipped"
        )
    return Unpacked(inner, content, tuple(notes))


def _names(infos: Sequence[zipfile.ZipInfo], shown: int = 5) -> str:
    names = [_shown(i.filename)[1:-1] for i in infos[:shown]]
    more = f" and {len(infos) - shown:,} more" if len(infos) > shown else ""
    return ", ".join(names) + more


def verify_zip(
    name: str,
    payload: bytes,
    limits: Limits,
    scanner: Callable[[str], Callable[[bytes], None] | None] | None = None,
) -> dict[str, int]:
    """Unpack every member of a zip (a workbook) once, counting, without keeping it.

    ``scanner(member)`` may return a function that sees each unpacked chunk of
    that member. Returns each member's unpacked size.

    Raises
    ------
    ImportFailure
        As :func:`open_zip`, and for an encrypted member or one that unpacks past
        the size limit or the ratio.
    """
    archive = open_zip(name, payload)
    meter = _Meter(name, len(payload), limits)
    sizes: dict[str, int] = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        before = meter.total
        scan = scanner(info.filename) if scanner else None
        _read_member(name, archive, info, meter, keep=False, scan=scan)
        sizes[info.filename] = meter.total - before
    return sizes


# --- gzip ---------------------------------------------------------------------


def _gzip_original_name(payload: bytes) -> str:
    """The file name stored in a gzip header (FNAME), or ``""``."""
    if len(payload) < 10 or not payload[3] & 0x08:
        return ""
    position = 10
    if payload[3] & 0x04:  # FEXTRA
        if len(payload) < 12:
            return ""
        position += 2 + int.from_bytes(payload[10:12], "little")
    end = payload.find(b"\x00", position, position + 1024)
    if end < 0:
        return ""
    return payload[position:end].decode("latin-1")


def unpack_gzip(
    name: str, payload: bytes, limits: Limits, data_extensions: Sequence[str]
) -> Unpacked:
    """The file a ``.gz`` file holds, named by the ``.gz`` name without ``.gz``
    (``ged.csv.gz`` holds ``ged.csv``), else by the name stored inside.

    Raises
    ------
    ImportFailure
        When the name inside is not a data file, the content is another archive,
        the file is damaged, or it unpacks past the size limit or the ratio.
    """
    inner = name[: -len(".gz")] if name.lower().endswith(".gz") else name
    if _extension(inner) == ".tar":
        raise ImportFailure(
            f"{name}: is a tar archive; unpack it and import the data file inside"
        )
    if _extension(inner) not in data_extensions:
        stored = PurePosixPath(_gzip_original_name(payload).replace("\\", "/")).name
        if _extension(stored) not in data_extensions:
            raise ImportFailure(
                f"{name}: does not say what it holds; name it after the file "
                f"inside, e.g. {PurePosixPath(inner).stem or 'events'}.csv.gz"
            )
        inner = stored
    meter = _Meter(name, len(payload), limits)
    with _damaged(name, "gzip file"):
        with gzip.GzipFile(fileobj=io.BytesIO(payload)) as stream:
            content = _pump(stream.read, meter)
    kind = archive_kind(content[:512])
    if kind is not None and _extension(inner) not in (".xlsx", ".parquet"):
        raise ImportFailure(
            f"{name}: holds {kind}, not a data file; unpack it and import the data "
            "file inside"
        )
    return Unpacked(
        inner,
        content,
        (f"{name}: read {inner}, unpacked ({size_text(len(content))})",),
    )
