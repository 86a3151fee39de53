"""The store's keys (``imu_geo.store.keys``): where stores are kept, a key as the
hash its docstring defines, and a data folder's key remembered per file stamp.

The expected keys are hashed here with ``hashlib`` from the definition (the
SHA-256 of ``imu-geo-store <version> <label>``, then ``\\0file <name>\\0`` and
the file's bytes, or ``\\0bytes\\0`` and the bytes, for each part, cut to 20 hex
digits), never by the code under test.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pytest

from imu_geo.data import PROJECT_DIR
from imu_geo.store.keys import content_key, default_root, folder_key

VERSION = 2


def expected_key(label: str, parts: list[tuple[str, bytes] | bytes]) -> str:
    """The definition, written out: a part is bytes, or (file name, its bytes)."""
    digest = hashlib.sha256(f"imu-geo-store {VERSION} {label}".encode())
    for part in parts:
        if isinstance(part, tuple):
            name, data = part
            digest.update(b"\0file " + name.encode() + b"\0" + data)
        else:
            digest.update(b"\0bytes\0" + part)
    return digest.hexdigest()[:20]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, PROJECT_DIR / "build" / "store"),
        ({"IMU_GEO_STORE": ""}, PROJECT_DIR / "build" / "store"),
        ({"IMU_GEO_STORE": "   "}, PROJECT_DIR / "build" / "store"),
        ({"IMU_GEO_STORE": "/srv/stores"}, Path("/srv/stores")),
        ({"IMU_GEO_STORE": "  /srv/stores \n"}, Path("/srv/stores")),
        ({"IMU_GEO_STORE": "relative/stores"}, Path("relative/stores")),
    ],
)
def test_default_root(monkeypatch, environment, expected):
    monkeypatch.delenv("IMU_GEO_STORE", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert default_root() == expected


# label, parts as given (bytes, or a file name with its bytes), in order
CONTENTS = [
    ("", []),
    ("folder", []),
    ("", [b""]),
    ("", [b"abc"]),
    ("events", [b"abc", b"def"]),
    ("events", [b"def", b"abc"]),
    ("folder", [("a.csv", b"x,y\n1,2\n")]),
    ("folder", [("a.csv", b"")]),
    ("folder", [("a.csv", b"1"), ("b.csv", b"2")]),
    ("mixed", [b"head", ("places.geojson", b'{"type": "FeatureCollection"}')]),
    ("folder", [("\u00e9v\u00e9nements.csv", "caf\u00e9".encode())]),
]


@pytest.mark.parametrize(("label", "parts"), CONTENTS)
def test_content_key_is_the_hash_of_its_definition(tmp_path, label, parts):
    given = []
    for part in parts:
        if isinstance(part, tuple):
            path = tmp_path / part[0]
            path.write_bytes(part[1])
            given.append(path)
        else:
            given.append(part)
    key = content_key(given, label)
    assert key == expected_key(label, parts)
    assert len(key) == 20 and set(key) <= set("0123456789abcdef")


def test_content_key_without_a_label_has_an_empty_one():
    assert content_key([b"abc"]) == expected_key("", [b"abc"])
    assert content_key([b"abc"]) != expected_key("folder", [b"abc"])


def test_content_key_reads_a_large_file_whole(tmp_path):
    # Over two read chunks of 1 MiB, with a byte that differs in each chunk.
    data = bytearray(b"a" * (2 * (1 << 20) + 3))
    data[5] = ord("b")
    data[(1 << 20) + 5] = ord("c")
    data[-1] = ord("d")
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(data))
    assert content_key([path], "x") == expected_key("x", [("big.bin", bytes(data))])


def test_content_key_tells_bytes_from_a_file_of_the_same_bytes(tmp_path):
    path = tmp_path / "a"
    path.write_bytes(b"abc")
    assert content_key([path]) != content_key([b"abc"])


# --- a data folder's key -----------------------------------------------------


def write_files(directory: Path, files: dict[str, bytes]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)


def stamp(directory: Path, names: list[str]) -> list[list]:
    """The stamp the docstring names: each file's name, size and mtime in ns."""
    return [
        [n, (directory / n).stat().st_size, (directory / n).stat().st_mtime_ns]
        for n in names
    ]


# files written (in this order), the names the key is made of (sorted)
FOLDERS = [
    ({}, []),
    ({"events.csv": b"e"}, ["events.csv"]),
    ({"places.csv": b"p", "events.csv": b"e"}, ["events.csv", "places.csv"]),
    ({"b": b"2", "a": b"1", "c": b""}, ["a", "b", "c"]),
]


@pytest.mark.parametrize(("files", "names"), FOLDERS)
def test_folder_key_hashes_the_folders_files_in_name_order(tmp_path, files, names):
    folder = tmp_path / "data"
    write_files(folder, files)
    root = tmp_path / "store"
    key = folder_key(folder, root)
    assert key == expected_key("folder", [(n, files[n]) for n in names])


def test_folder_key_leaves_out_subfolders_and_their_files(tmp_path):
    folder = tmp_path / "data"
    write_files(folder, {"events.csv": b"e"})
    write_files(folder / "sub", {"more.csv": b"m"})
    (folder / "empty").mkdir()
    key = folder_key(folder, tmp_path / "store")
    assert key == expected_key("folder", [("events.csv", b"e")])


def test_folder_key_keeps_the_key_by_stamp_in_the_root(tmp_path):
    folder = tmp_path / "data"
    write_files(folder, {"b.csv": b"2", "a.csv": b"1"})
    root = tmp_path / "store"
    root.mkdir()  # an existing root is written into as well
    key = folder_key(folder, root)
    memo = json.loads((root / "keys.json").read_text(encoding="utf-8"))
    assert memo == {
        str(folder.resolve()): {"stamp": stamp(folder, ["a.csv", "b.csv"]), "key": key}
    }
    # Only the memo is left in the root: no temporary file beside it.
    assert [p.name for p in root.iterdir()] == ["keys.json"]


def test_folder_key_writes_its_memo_beside_it_not_in_the_temporary_folder(
    tmp_path, monkeypatch
):
    # The memo is written to a file in the root and renamed over keys.json: a
    # file of the system's temporary folder could not be renamed across file
    # systems. With that folder missing, the memo is written all the same.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    folder = tmp_path / "data"
    write_files(folder, {"a.csv": b"1"})
    root = tmp_path / "store"
    key = folder_key(folder, root)
    memo = json.loads((root / "keys.json").read_text(encoding="utf-8"))
    assert memo[str(folder.resolve())]["key"] == key
    assert [p.name for p in root.iterdir()] == ["keys.json"]


def test_folder_key_makes_a_root_that_does_not_exist(tmp_path):
    folder = tmp_path / "data"
    write_files(folder, {"a.csv": b"1"})
    root = tmp_path / "not" / "yet"
    key = folder_key(folder, root)
    memo = json.loads((root / "keys.json").read_text(encoding="utf-8"))
    assert memo[str(folder.resolve())]["key"] == key


def test_folder_key_gives_the_remembered_key_while_the_stamp_holds(tmp_path):
    folder = tmp_path / "data"
    write_files(folder, {"a.csv": b"1"})
    root = tmp_path / "store"
    folder_key(folder, root)
    memo_path = root / "keys.json"
    memo = json.loads(memo_path.read_text(encoding="utf-8"))
    memo[str(folder.resolve())]["key"] = "remembered"
    memo_path.write_text(json.dumps(memo), encoding="utf-8")
    # Same stamp: the remembered key, without reading the files.
    assert folder_key(folder, root) == "remembered"
    # The folder named another way (relative, with a dot) is the same folder.
    os.chdir(tmp_path)
    assert folder_key(Path("data/./"), root) == "remembered"


def test_folder_key_hashes_anew_when_the_stamp_changes(tmp_path):
    folder = tmp_path / "data"
    write_files(folder, {"a.csv": b"1"})
    root = tmp_path / "store"
    folder_key(folder, root)
    memo_path = root / "keys.json"
    memo = json.loads(memo_path.read_text(encoding="utf-8"))
    memo[str(folder.resolve())]["key"] = "remembered"
    memo_path.write_text(json.dumps(memo), encoding="utf-8")
    # Same size, new bytes and a new modification time.
    (folder / "a.csv").write_bytes(b"2")
    os.utime(folder / "a.csv", ns=(1, 1_000_000_000))
    assert folder_key(folder, root) == expected_key("folder", [("a.csv", b"2")])
    # A file added.
    (folder / "b.csv").write_bytes(b"3")
    both = expected_key("folder", [("a.csv", b"2"), ("b.csv", b"3")])
    assert folder_key(folder, root) == both
    memo = json.loads(memo_path.read_text(encoding="utf-8"))
    assert memo[str(folder.resolve())] == {
        "stamp": stamp(folder, ["a.csv", "b.csv"]),
        "key": both,
    }


def test_folder_key_keeps_other_folders_keys(tmp_path):
    root = tmp_path / "store"
    first, second = tmp_path / "one", tmp_path / "two"
    write_files(first, {"a": b"1"})
    write_files(second, {"a": b"2"})
    one, two = folder_key(first, root), folder_key(second, root)
    assert one == expected_key("folder", [("a", b"1")])
    assert two == expected_key("folder", [("a", b"2")])
    memo = json.loads((root / "keys.json").read_text(encoding="utf-8"))
    assert {k: v["key"] for k, v in memo.items()} == {
        str(first.resolve()): one,
        str(second.resolve()): two,
    }


@pytest.mark.parametrize(
    "memo_text",
    [
        "not json",
        "",
        '{"elsewhere": {"stamp": [], "key": "k"}}',
        "[]",
        '"a text"',
        "null",
        '{"DATA": "a key, not an entry"}',
        '{"DATA": {"stamp": "wrong", "key": "remembered"}}',
    ],
)
def test_folder_key_passes_over_a_memo_it_cannot_use(tmp_path, memo_text):
    folder = tmp_path / "data"
    write_files(folder, {"a.csv": b"1"})
    root = tmp_path / "store"
    root.mkdir()
    text = memo_text.replace("DATA", str(folder.resolve()).replace("\\", "\\\\"))
    (root / "keys.json").write_text(text, encoding="utf-8")
    expected = expected_key("folder", [("a.csv", b"1")])
    assert folder_key(folder, root) == expected
    memo = json.loads((root / "keys.json").read_text(encoding="utf-8"))
    assert memo[str(folder.resolve())]["key"] == expected


def test_folder_key_without_a_writable_root_still_gives_the_key(tmp_path):
    folder = tmp_path / "data"
    write_files(folder, {"a.csv": b"1"})
    root = tmp_path / "a-file"
    root.write_bytes(b"not a folder")
    expected = expected_key("folder", [("a.csv", b"1")])
    assert folder_key(folder, root) == expected
    assert folder_key(folder, root) == expected


def test_folder_key_uses_the_default_root(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    write_files(folder, {"a.csv": b"1"})
    monkeypatch.setenv("IMU_GEO_STORE", str(tmp_path / "configured"))
    key = folder_key(folder)
    assert key == expected_key("folder", [("a.csv", b"1")])
    assert (tmp_path / "configured" / "keys.json").is_file()
