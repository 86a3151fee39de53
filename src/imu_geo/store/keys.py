"""Where stores are kept, what their files are called, and their keys: the
hash of a dataset's bytes, remembered per file stamp for a data folder."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from imu_geo.data import PROJECT_DIR

STORE_VERSION = 2


STORE_ENV_VAR = "IMU_GEO_STORE"


# Where the engine reads the stores' Parquet files when that is not the store
# root itself: an object-store URL holding a copy of the root (docs/scaling.md).
STORE_URL_ENV_VAR = "IMU_GEO_STORE_URL"


EVENTS_FILE = "events.parquet"


SOURCE_COLUMNS_FILE = "source_columns.parquet"


PLACES_FILE = "places.geojson"


REGIONS_FILE = "regions.geojson"


META_FILE = "meta.json"


# A data folder's own copy of its store, written by the import that wrote the
# folder (see write_folder_store), and what it was written from.
FOLDER_STORE_DIR = ".store"


FOLDER_STORE_FILE = "folder.json"


VOCABULARIES_FILE = "vocabularies.json"


KEY_CHARS = 20


_READ_CHUNK = 1 << 20


def default_root() -> Path:
    """Where stores are kept: ``$IMU_GEO_STORE``, else ``build/store``."""
    configured = os.environ.get(STORE_ENV_VAR, "").strip()
    return Path(configured) if configured else PROJECT_DIR / "build" / "store"


def content_key(parts: Iterable[bytes | Path], label: str = "") -> str:
    """A key for a store: the hash of the format version, ``label`` and each part
    (bytes, or a file's bytes read in chunks)."""
    digest = hashlib.sha256(f"imu-geo-store {STORE_VERSION} {label}".encode())
    for part in parts:
        if isinstance(part, Path):
            digest.update(f"\0file {part.name}\0".encode())
            with part.open("rb") as handle:
                while chunk := handle.read(_READ_CHUNK):
                    digest.update(chunk)
        else:
            digest.update(b"\0bytes\0" + part)
    return digest.hexdigest()[:KEY_CHARS]


def _folder_files(directory: Path) -> list[Path]:
    """The files a data folder's key is made of: every file directly in it."""
    return sorted(p for p in Path(directory).glob("*") if p.is_file())


def _stamp(files: list[Path]) -> list[list]:
    """Each file's name, size and modification time: what says that a file
    has not changed since its key was taken."""
    return [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in files]


def folder_key(directory: Path, root: Path | None = None) -> str:
    """The store key of a data folder: the hash of its files' bytes.

    Hashing a large folder takes a while, so the key is remembered per file
    stamp (name, size, modification time) in the store root: a restart finds it
    without reading the files again.
    """
    directory = Path(directory).resolve()
    files = _folder_files(directory)
    stamp = _stamp(files)
    root = Path(root) if root is not None else default_root()
    memo = root / "keys.json"
    known = _read_memo(memo)
    entry = known.get(str(directory))
    if isinstance(entry, dict) and entry.get("stamp") == stamp:
        return str(entry["key"])
    key = content_key(files, "folder")
    known[str(directory)] = {"stamp": stamp, "key": key}
    try:
        root.mkdir(parents=True, exist_ok=True)
        _write_atomic(memo, json.dumps(known).encode())
    except OSError:
        pass  # only a shortcut: the key is hashed again next time
    return key


def _read_memo(memo: Path) -> dict:
    """The keys remembered in ``memo``: none when it is missing, cannot be read
    or is not a mapping (it is then written anew)."""
    try:
        known = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
