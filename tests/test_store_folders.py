"""A data folder's store (``imu_geo.store.folders``), on folders, world folders
and store folders written here by hand.

The expected keys are hashed with ``hashlib`` from the definition in
``imu_geo.store.keys`` (the SHA-256 of ``imu-geo-store <version> <label>``,
then ``\\0file <name>\\0`` and the file's bytes, or ``\\0bytes\\0`` and the
bytes, for each part, cut to 20 hex digits; ``expected_key`` of
``tests/test_store_keys.py``), never by the code under test.
Loading a folder, completing its regions with the world's and writing a store
are replaced by stand-ins that note how they were called, so each test sees
exactly what the module asked of them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from imu_geo import world
from imu_geo.data import Dataset
from imu_geo.store import folders
from imu_geo.store.keys import STORE_ENV_VAR, STORE_VERSION
from tests.test_store_keys import VERSION, expected_key

assert STORE_VERSION == VERSION

FOLDER_FILES = {"events.csv": b"event_id\n1\n", "places.geojson": b"{}", "z.txt": b""}
WORLD_FILES = {"countries.csv": b"UZ,Uzbekistan\n", "admin1.geojson": b"[]"}


def files_key(files: dict[str, bytes]) -> str:
    """A folder's own key: its files in name order."""
    return expected_key("folder", sorted(files.items()))


def world_folder_key(folder_files: dict[str, bytes], world_files: dict[str, bytes]):
    own, world_key = files_key(folder_files), files_key(world_files)
    return expected_key("folder with world", [own.encode(), world_key.encode()])


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def stamp_of(folder: Path) -> list[list]:
    """Each file directly in ``folder`` by name: its name, size and mtime in ns."""
    return [
        [p.name, os.stat(p).st_size, os.stat(p).st_mtime_ns]
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.is_file()
    ]


def hand_store(parent: Path, key: str, version=VERSION, meta_key=None) -> Path:
    """A store folder as ``write_store`` leaves it, as far as ``open_store``
    reads it: the meta data, one place and one region."""
    path = parent / key
    path.mkdir(parents=True)
    meta = {"version": version, "key": key if meta_key is None else meta_key}
    (path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    places = gpd.GeoDataFrame(
        {"place_id": ["tashkent"], "name": ["Tashkent"]},
        geometry=[Point(69.25, 41.3)],
        crs="EPSG:4326",
    )
    regions = gpd.GeoDataFrame(
        {"region_id": ["UZ"], "level": ["country"]},
        geometry=[box(56, 37, 73, 46)],
        crs="EPSG:4326",
    )
    (path / "places.geojson").write_text(places.to_json(), encoding="utf-8")
    (path / "regions.geojson").write_text(regions.to_json(), encoding="utf-8")
    return path


@pytest.fixture
def places(tmp_path, monkeypatch):
    """A world folder and a bundled folder of their own, and a default store
    root that must stay untouched unless a test asks for it."""
    world_dir = write_files(tmp_path / "world", WORLD_FILES)
    bundled = write_files(tmp_path / "bundled", {"events.csv": b"bundled\n"})
    monkeypatch.setattr(world, "WORLD_DIR", world_dir)
    monkeypatch.setattr(folders, "BUNDLED_DATA_DIR", bundled)
    monkeypatch.setenv(STORE_ENV_VAR, str(tmp_path / "default-root"))
    return {
        "world": world_dir,
        "bundled": bundled,
        "default": tmp_path / "default-root",
    }


def dataset_of(directory: Path, n_events: int = 2) -> Dataset:
    return Dataset(
        directory=directory,
        events=pd.DataFrame({"event_id": [f"e{i}" for i in range(n_events)]}),
        places=gpd.GeoDataFrame({"place_id": ["p"]}, geometry=[Point(1, 2)]),
        regions=gpd.GeoDataFrame({"region_id": ["own"]}, geometry=[box(0, 0, 1, 1)]),
        source_columns=pd.DataFrame({"Remark": ["a"] * n_events}),
    )


def complete_by_hand(calls: list):
    """A stand-in for ``world.complete_regions``: notes its arguments and gives
    the regions with one row of the world added."""

    def complete(regions, places, points=None):
        calls.append(("complete", regions, places, points))
        world_row = gpd.GeoDataFrame(
            {"region_id": ["world"]}, geometry=[box(2, 2, 3, 3)]
        )
        return pd.concat([regions, world_row], ignore_index=True)

    return complete


# --- the key -------------------------------------------------------------------


@pytest.mark.parametrize("named", ["plain", "dotted"])
def test_bundled_folder_is_keyed_by_its_files_alone(places, tmp_path, named):
    bundled = places["bundled"]
    directory = bundled if named == "plain" else bundled / "sub" / ".."
    (bundled / "sub").mkdir()
    root = tmp_path / "root"
    assert folders.folder_store_key(directory, root) == files_key(
        {"events.csv": b"bundled\n"}
    )


def test_other_folder_is_keyed_by_its_files_and_the_worlds(places, tmp_path):
    folder = write_files(tmp_path / "mine", FOLDER_FILES)
    root = tmp_path / "root"
    assert folders.folder_store_key(folder, root) == world_folder_key(
        FOLDER_FILES, WORLD_FILES
    )
    # Both keys are remembered in the root given, none in the default root.
    memo = json.loads((root / "keys.json").read_text(encoding="utf-8"))
    assert memo[str(folder.resolve())]["key"] == files_key(FOLDER_FILES)
    assert memo[str(places["world"].resolve())]["key"] == files_key(WORLD_FILES)
    assert not places["default"].exists()


def test_new_world_files_give_a_new_key(places, tmp_path):
    folder = write_files(tmp_path / "mine", FOLDER_FILES)
    changed = WORLD_FILES | {"countries.csv": b"UZ,Uzbekistan\nKG,Kyrgyzstan\n"}
    write_files(places["world"], changed)
    assert folders.folder_store_key(folder, tmp_path / "root") == world_folder_key(
        FOLDER_FILES, changed
    )


# --- the dataset a store is written from ---------------------------------------


def test_bundled_dataset_is_kept_as_it_is(places, monkeypatch):
    calls: list = []
    monkeypatch.setattr(world, "complete_regions", complete_by_hand(calls))
    dataset = dataset_of(places["bundled"])
    assert folders.folder_dataset(places["bundled"], dataset) is dataset
    assert calls == []


def test_other_dataset_gets_the_worlds_units(places, tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setattr(world, "complete_regions", complete_by_hand(calls))
    folder = write_files(tmp_path / "mine", FOLDER_FILES)
    dataset = dataset_of(folder)
    completed = folders.folder_dataset(folder, dataset)
    [(_, regions, given_places, points)] = calls
    assert regions is dataset.regions
    assert given_places is dataset.places
    assert points is dataset.events
    assert list(completed.regions["region_id"]) == ["own", "world"]
    assert completed.events is dataset.events
    assert completed.places is dataset.places
    assert completed.source_columns is dataset.source_columns
    assert completed.directory == folder


# --- the store an import leaves in its folder -----------------------------------


def fake_write_store(calls: list):
    """A stand-in for ``write_store``: notes its arguments and leaves a store
    folder by hand where the real one would."""

    def write(dataset, key, root=None):
        calls.append(("write", dataset, key, root))
        hand_store(Path(root), key)
        return ("written", key)

    return write


def test_write_folder_store_refuses_the_bundled_folder(places, monkeypatch):
    calls: list = []
    monkeypatch.setattr(folders, "write_store", fake_write_store(calls))
    with pytest.raises(ValueError, match="^the bundled data folder has no store of"):
        folders.write_folder_store(places["bundled"], dataset_of(places["bundled"]))
    assert calls == []
    assert not (places["bundled"] / ".store").exists()


@pytest.mark.parametrize("earlier", [False, True])
def test_write_folder_store_records_its_key_and_stamp(
    places, tmp_path, monkeypatch, earlier
):
    calls: list = []
    monkeypatch.setattr(folders, "write_store", fake_write_store(calls))
    monkeypatch.setattr(world, "complete_regions", complete_by_hand([]))
    folder = write_files(tmp_path / "mine", FOLDER_FILES)
    if earlier:
        write_files(folder / ".store", {"folder.json": b"{}", "stale": b"x"})
    dataset = dataset_of(folder)
    result = folders.write_folder_store(str(folder), dataset)
    key = world_folder_key(FOLDER_FILES, WORLD_FILES)
    assert result == ("written", key)
    [(_, written, given_key, root)] = calls
    assert given_key == key
    assert root == folder / ".store"
    assert list(written.regions["region_id"]) == ["own", "world"]
    assert written.events is dataset.events
    record = json.loads((folder / ".store" / "folder.json").read_text())
    assert record == {
        "stamp": stamp_of(folder),
        "world": files_key(WORLD_FILES),
        "key": key,
    }
    assert sorted(p.name for p in (folder / ".store").iterdir()) == sorted(
        [key, "folder.json"]
    )


def own_store(places, tmp_path, monkeypatch) -> tuple[Path, str]:
    """A folder holding the store its import wrote, by the module's own writer
    (with the store itself written by hand)."""
    monkeypatch.setattr(folders, "write_store", fake_write_store([]))
    monkeypatch.setattr(world, "complete_regions", complete_by_hand([]))
    folder = write_files(tmp_path / "mine", FOLDER_FILES)
    folders.write_folder_store(folder, dataset_of(folder))
    return folder, world_folder_key(FOLDER_FILES, WORLD_FILES)


def test_a_folders_own_store_is_found(places, tmp_path, monkeypatch):
    folder, key = own_store(places, tmp_path, monkeypatch)
    root = tmp_path / "root"
    assert folders._folder_store(folder, root) == key
    assert folders._folder_store(str(folder), root) == key
    # The world's key is remembered in the root given.
    memo = json.loads((root / "keys.json").read_text(encoding="utf-8"))
    assert list(memo) == [str(places["world"].resolve())]
    assert not places["default"].exists()


def _record(folder: Path) -> dict:
    return json.loads((folder / ".store" / "folder.json").read_text())


def _set_record(folder: Path, record) -> None:
    (folder / ".store" / "folder.json").write_text(json.dumps(record))


def _meta_path(folder: Path) -> Path:
    return folder / ".store" / _record(folder)["key"] / "meta.json"


def _change_file(folder, world_dir):
    (folder / "events.csv").write_bytes(b"event_id\n2\n")


def _add_file(folder, world_dir):
    (folder / "more.csv").write_bytes(b"")


def _touch_file(folder, world_dir):
    stat = os.stat(folder / "z.txt")
    os.utime(folder / "z.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def _change_world(folder, world_dir):
    (world_dir / "countries.csv").write_bytes(b"UZ,Uzbekistan!\n")


def _no_record(folder, world_dir):
    (folder / ".store" / "folder.json").unlink()


def _record_not_json(folder, world_dir):
    (folder / ".store" / "folder.json").write_text("{not json")


def _record_a_list(folder, world_dir):
    _set_record(folder, [_record(folder)["key"]])


def _record_without(field):
    def change(folder, world_dir):
        record = _record(folder)
        del record[field]
        _set_record(folder, record)

    change.__name__ = f"_record_without_{field}"
    return change


def _no_meta(folder, world_dir):
    _meta_path(folder).unlink()


def _meta_not_json(folder, world_dir):
    _meta_path(folder).write_text("not json")


def _meta_of(**meta):
    def change(folder, world_dir):
        _meta_path(folder).write_text(
            json.dumps(meta | {"key": _record(folder)["key"]})
        )

    return change


def _meta_other_key(folder, world_dir):
    _meta_path(folder).write_text(
        json.dumps({"version": VERSION, "key": "0" * 20}), encoding="utf-8"
    )


def _meta_without_key(folder, world_dir):
    _meta_path(folder).write_text(json.dumps({"version": VERSION}))


@pytest.mark.parametrize(
    "change",
    [
        _change_file,
        _add_file,
        _touch_file,
        _change_world,
        _no_record,
        _record_not_json,
        _record_a_list,
        _record_without("key"),
        _record_without("stamp"),
        _record_without("world"),
        _no_meta,
        _meta_not_json,
        _meta_of(version=VERSION - 1),
        _meta_of(version=VERSION + 1),
        _meta_of(),
        _meta_other_key,
        _meta_without_key,
    ],
    ids=lambda change: change.__name__,
)
def test_a_folders_own_store_is_not_taken_once_changed(
    places, tmp_path, monkeypatch, change
):
    folder, _ = own_store(places, tmp_path, monkeypatch)
    change(folder, places["world"])
    assert folders._folder_store(folder, tmp_path / "root") is None


def test_the_bundled_folder_has_no_own_store(places, tmp_path, monkeypatch):
    # A bundled folder holding what would otherwise be taken as its store.
    folder, key = own_store(places, tmp_path, monkeypatch)
    monkeypatch.setattr(folders, "BUNDLED_DATA_DIR", folder)
    assert folders._folder_store(folder, tmp_path / "root") is None


def test_a_key_written_as_a_number_is_read_as_text(places, tmp_path, monkeypatch):
    folder, key = own_store(places, tmp_path, monkeypatch)
    record = _record(folder)
    hand_store(folder / ".store", "12345", meta_key="12345")
    _set_record(folder, record | {"key": 12345})
    assert folders._folder_store(folder, tmp_path / "root") == "12345"


# --- adopting the folder's store ----------------------------------------------


def _source(tmp_path: Path, key: str) -> Path:
    source = hand_store(tmp_path / "mine" / ".store", key)
    (source / "events.parquet").write_bytes(b"PAR1 events")
    return source


KEY = "0123456789abcdef0123"


@pytest.mark.parametrize("root_is", ["new", "nested", "existing", "default"])
def test_adopt_links_the_store_into_the_root(places, tmp_path, root_is):
    source = _source(tmp_path, KEY)
    root = {
        "new": tmp_path / "root",
        "nested": tmp_path / "a" / "b" / "root",
        "existing": tmp_path / "root",
        "default": places["default"],
    }[root_is]
    if root_is == "existing":
        root.mkdir()
    store = folders._adopt(source, KEY, None if root_is == "default" else root)
    assert store is not None
    assert store.key == KEY
    assert store.path == root / KEY
    assert sorted(p.name for p in root.iterdir()) == [KEY]
    names = sorted(p.name for p in source.iterdir())
    assert sorted(p.name for p in (root / KEY).iterdir()) == names
    for name in names:
        assert os.path.samefile(source / name, root / KEY / name)
    assert store.places["place_id"].tolist() == ["tashkent"]


def test_adopt_works_under_a_name_of_its_own_first(places, tmp_path, monkeypatch):
    source = _source(tmp_path, KEY)
    root = tmp_path / "root"
    renamed = []
    real_rename = os.rename

    def rename(old, new):
        renamed.append((Path(old), Path(new), sorted(os.listdir(old))))
        real_rename(old, new)

    monkeypatch.setattr(folders.os, "rename", rename)
    folders._adopt(source, KEY, root)
    [(old, new, held)] = renamed
    assert new == root / KEY
    assert old.parent == root
    assert old.name.startswith(f".{KEY}.")
    assert len(old.name) > len(KEY) + 2
    assert held == sorted(p.name for p in source.iterdir())


def test_adopt_copies_where_it_cannot_link(places, tmp_path, monkeypatch):
    source = _source(tmp_path, KEY)
    root = tmp_path / "root"

    def no_link(src, dst):
        raise OSError("cross-device link")

    monkeypatch.setattr(folders.os, "link", no_link)
    store = folders._adopt(source, KEY, root)
    assert store is not None and store.key == KEY
    for path in source.iterdir():
        copied = root / KEY / path.name
        assert copied.read_bytes() == path.read_bytes()
        assert not os.path.samefile(path, copied)


def test_adopt_takes_a_store_another_process_put_there_first(places, tmp_path):
    source = _source(tmp_path, KEY)
    root = tmp_path / "root"
    theirs = hand_store(root, KEY)
    (theirs / "theirs").write_bytes(b"")
    store = folders._adopt(source, KEY, root)
    assert store is not None and store.path == theirs
    assert sorted(p.name for p in root.iterdir()) == [KEY]
    assert (theirs / "theirs").exists()
    assert not (theirs / "events.parquet").exists()


def no_removal(monkeypatch):
    """Files and folders can no longer be removed (a disk gone read-only)."""

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "unlink", refuse)
    monkeypatch.setattr(os, "rmdir", refuse)


def test_adopt_takes_theirs_when_its_own_copy_cannot_be_removed(
    places, tmp_path, monkeypatch
):
    source = _source(tmp_path, KEY)
    root = tmp_path / "root"
    theirs = hand_store(root, KEY)
    no_removal(monkeypatch)
    store = folders._adopt(source, KEY, root)
    monkeypatch.undo()
    assert store is not None and store.path == theirs
    # What could not be removed is left, under its temporary name.
    left = sorted(p.name for p in root.iterdir() if p.name != KEY)
    assert len(left) == 1 and left[0].startswith(f".{KEY}.")


def test_adopt_gives_up_quietly_when_nothing_can_be_removed(
    places, tmp_path, monkeypatch
):
    source = _source(tmp_path, KEY)
    root = tmp_path / "root"

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(folders.os, "link", fail)
    monkeypatch.setattr(folders.shutil, "copyfile", fail)
    no_removal(monkeypatch)
    assert folders._adopt(source, KEY, root) is None


def test_adopt_gives_up_when_it_cannot_copy(places, tmp_path, monkeypatch):
    source = _source(tmp_path, KEY)
    root = tmp_path / "root"

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(folders.os, "link", fail)
    monkeypatch.setattr(folders.shutil, "copyfile", fail)
    assert folders._adopt(source, KEY, root) is None
    assert list(root.iterdir()) == []


# --- opening a folder ------------------------------------------------------------


def no_load(directory):
    raise AssertionError("the folder was loaded")


@pytest.fixture
def noted(monkeypatch):
    """Every step of opening a folder, in order, with stand-ins for loading,
    completing and writing."""
    calls: list = []

    def load(directory):
        calls.append(("load", Path(directory)))
        return dataset_of(Path(directory), 1234)

    monkeypatch.setattr(folders, "load_dataset", load)
    monkeypatch.setattr(world, "complete_regions", complete_by_hand(calls))
    monkeypatch.setattr(folders, "write_store", fake_write_store(calls))
    return calls


def test_open_folder_opens_an_existing_store(places, tmp_path, monkeypatch, noted):
    folder = write_files(tmp_path / "mine", FOLDER_FILES)
    root = tmp_path / "root"
    key = world_folder_key(FOLDER_FILES, WORLD_FILES)
    hand_store(root, key)
    messages: list = []
    store = folders.open_folder(folder, root, messages.append)
    assert store.key == key and store.path == root / key
    assert messages == [] and noted == []


def test_open_folder_opens_in_the_default_root(places, tmp_path, noted):
    folder = write_files(tmp_path / "mine", FOLDER_FILES)
    key = world_folder_key(FOLDER_FILES, WORLD_FILES)
    hand_store(places["default"], key)
    store = folders.open_folder(str(folder))
    assert store.path == places["default"] / key
    assert noted == []


@pytest.mark.parametrize("with_progress", [False, True])
def test_open_folder_loads_and_writes_a_new_store(
    places, tmp_path, noted, with_progress
):
    folder = write_files(tmp_path / "mine", FOLDER_FILES)
    root = tmp_path / "root"
    key = world_folder_key(FOLDER_FILES, WORLD_FILES)
    messages: list = []

    def progress(message):
        messages.append(message)
        noted.append(("progress", message))

    result = folders.open_folder(folder, root, progress if with_progress else None)
    assert result == ("written", key)
    memo = json.loads((root / "keys.json").read_text(encoding="utf-8"))
    assert sorted(memo) == sorted(
        [str(folder.resolve()), str(places["world"].resolve())]
    )
    assert not places["default"].exists()
    steps = [step[0] for step in noted]
    if with_progress:
        assert steps == ["progress", "load", "complete", "progress", "write"]
        assert messages == [
            "Reading and checking mine\u2026",
            "Writing 1,234 events to the store\u2026",
        ]
    else:
        assert steps == ["load", "complete", "write"]
    assert noted[steps.index("load")][1] == folder
    _, dataset, given_key, given_root = noted[-1]
    assert (given_key, given_root) == (key, root)
    assert list(dataset.regions["region_id"]) == ["own", "world"]
    assert len(dataset.events) == 1234


def test_open_folder_writes_the_bundled_folder_without_the_world(
    places, tmp_path, noted
):
    root = tmp_path / "root"
    result = folders.open_folder(places["bundled"], root)
    key = files_key({"events.csv": b"bundled\n"})
    assert result == ("written", key)
    assert [step[0] for step in noted] == ["load", "write"]
    assert list(noted[-1][1].regions["region_id"]) == ["own"]


def test_open_folder_takes_the_folders_own_store(places, tmp_path, monkeypatch):
    folder, key = own_store(places, tmp_path, monkeypatch)
    monkeypatch.setattr(folders, "load_dataset", no_load)
    monkeypatch.setattr(folders, "write_store", no_load)
    root = tmp_path / "root"
    messages: list = []
    store = folders.open_folder(folder, root, messages.append)
    assert store.key == key and store.path == root / key
    assert os.path.samefile(
        root / key / "meta.json", folder / ".store" / key / "meta.json"
    )
    assert messages == []
    # Nothing is hashed again: only the world's key is remembered, in the root
    # given, and the folder's own files are not keyed.
    memo = json.loads((root / "keys.json").read_text(encoding="utf-8"))
    assert list(memo) == [str(places["world"].resolve())]
    assert not places["default"].exists()


def test_open_folder_opens_an_adopted_store_again(places, tmp_path, monkeypatch):
    folder, key = own_store(places, tmp_path, monkeypatch)
    root = tmp_path / "root"
    folders.open_folder(folder, root)

    def no_adopt(source, key, root):
        raise AssertionError("adopted twice")

    monkeypatch.setattr(folders, "_adopt", no_adopt)
    monkeypatch.setattr(folders, "load_dataset", no_load)
    assert folders.open_folder(folder, root).path == root / key


def test_open_folder_writes_when_its_own_store_cannot_be_adopted(
    places, tmp_path, monkeypatch
):
    folder, key = own_store(places, tmp_path, monkeypatch)
    # Its files can be neither linked nor copied into the root.
    root = tmp_path / "root"

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(folders.os, "link", fail)
    monkeypatch.setattr(folders.shutil, "copyfile", fail)
    calls: list = []
    monkeypatch.setattr(folders, "load_dataset", lambda d: dataset_of(Path(d), 3))
    monkeypatch.setattr(world, "complete_regions", complete_by_hand(calls))

    def write(dataset, given_key, given_root=None):
        calls.append(("write", dataset, given_key, given_root))
        return ("written", given_key)

    monkeypatch.setattr(folders, "write_store", write)
    messages: list = []
    assert folders.open_folder(folder, root, messages.append) == ("written", key)
    assert [c[0] for c in calls] == ["complete", "write"]
    assert calls[-1][2:] == (key, root)
    assert messages == [
        "Reading and checking mine\u2026",
        "Writing 3 events to the store\u2026",
    ]
