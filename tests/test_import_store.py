"""The store an import writes inside its folder is the store the folder's files give.

``imu-geo import`` writes the folder's store (``.store/``) from the import in
memory, so that the dashboard's first opening of the folder reads nothing again.
These tests import the published layouts (odd date spellings, ``NA`` and ``Nan``
cells, a delimiter at the end of each row, a zip download), then open the folder
twice: once taking the import's store, once with that store hidden, so the store
is written from the files as before. Both stores must hold the same bytes of
data: the same columns, values, order, row groups and key.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from imu_geo import data, store
from imu_geo.importers import run_import
from imu_geo.store import FOLDER_STORE_DIR, FOLDER_STORE_FILE, open_folder
from tests.conftest import PROJECT_DIR

LAYOUTS = PROJECT_DIR / "tests" / "fixtures" / "layouts"
FIXTURES = sorted(p.name for p in LAYOUTS.glob("*.csv"))
DATA_FILES = ("events.parquet", "source_columns.parquet")
SAME_BYTES = ("places.geojson", "regions.geojson", "vocabularies.json")


def _imported(source: Path, out: Path) -> Path:
    code, message = run_import(source, out_dir=out)
    assert code in (0, 1), message
    return out


def _built_from_files(folder: Path, root: Path) -> store.Store:
    """The folder's store written from its files, as before imports wrote one."""
    hidden = folder.parent / f"{folder.name}-hidden-store"
    (folder / FOLDER_STORE_DIR).rename(hidden)
    try:
        return open_folder(folder, root)
    finally:
        hidden.rename(folder / FOLDER_STORE_DIR)


def _assert_same_store(taken: store.Store, built: store.Store) -> None:
    assert taken.key == built.key
    for name in DATA_FILES:
        if not (built.path / name).exists():
            assert not (taken.path / name).exists()
            continue
        ours = pq.ParquetFile(taken.path / name)
        theirs = pq.ParquetFile(built.path / name)
        assert ours.schema_arrow == theirs.schema_arrow
        assert ours.metadata.num_row_groups == theirs.metadata.num_row_groups
        for group in range(theirs.metadata.num_row_groups):
            assert ours.metadata.row_group(group).num_rows == (
                theirs.metadata.row_group(group).num_rows
            )
        assert ours.read().equals(theirs.read())
    for name in SAME_BYTES:
        assert (taken.path / name).read_bytes() == (built.path / name).read_bytes()
    ours_meta = json.loads((taken.path / store.META_FILE).read_text())
    theirs_meta = json.loads((built.path / store.META_FILE).read_text())
    ours_meta.pop("written")
    theirs_meta.pop("written")
    assert ours_meta == theirs_meta


def _no_loading(monkeypatch) -> None:
    def refuse(directory=None):
        raise AssertionError(f"{directory} was read again")

    monkeypatch.setattr(store.folders, "load_dataset", refuse)


@pytest.mark.parametrize("name", FIXTURES)
def test_the_imports_store_is_the_store_of_its_files(name, tmp_path, monkeypatch):
    folder = _imported(LAYOUTS / name, tmp_path / "out")
    built = _built_from_files(folder, tmp_path / "built")
    with monkeypatch.context() as patched:
        _no_loading(patched)
        taken = open_folder(folder, tmp_path / "taken")
    _assert_same_store(taken, built)
    assert taken.path == tmp_path / "taken" / taken.key
    # The folder's own copy stays: another store root takes it again.
    assert (folder / FOLDER_STORE_DIR / taken.key / store.EVENTS_FILE).is_file()


def test_a_zip_download_gives_the_same_store(tmp_path, monkeypatch):
    packed = tmp_path / "download.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(LAYOUTS / "ucdp_ged_est_trailing.csv", "ged/ged191.csv")
    folder = _imported(packed, tmp_path / "out")
    built = _built_from_files(folder, tmp_path / "built")
    _no_loading(monkeypatch)
    _assert_same_store(open_folder(folder, tmp_path / "taken"), built)


def test_a_folder_changed_after_its_import_is_read_again(tmp_path):
    folder = _imported(LAYOUTS / "ucdp_ged_191.csv", tmp_path / "out")
    record = json.loads((folder / FOLDER_STORE_DIR / FOLDER_STORE_FILE).read_text())
    events = folder / "events.csv"
    text = events.read_text(encoding="utf-8")
    assert text.count("Imported from UCDP GED") == 5
    # Another word in one event's notes: other content, which needs its own store.
    events.write_text(text.replace("Imported from", "Read from", 1), encoding="utf-8")
    opened = open_folder(folder, tmp_path / "root")
    assert opened.key != record["key"]
    assert opened.key == store.folder_store_key(folder, tmp_path / "keys")
    notes = pq.read_table(opened.events_path, columns=["notes"])["notes"].to_pylist()
    assert sum(n.startswith("Read from UCDP GED") for n in notes) == 1


def test_a_touched_file_is_not_trusted(tmp_path, monkeypatch):
    folder = _imported(LAYOUTS / "ucdp_ged_191.csv", tmp_path / "out")
    record = json.loads((folder / FOLDER_STORE_DIR / FOLDER_STORE_FILE).read_text())
    events = folder / "events.csv"
    stat = events.stat()
    os.utime(events, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    loaded = []
    real = data.load_dataset

    def counted(directory=None):
        loaded.append(directory)
        return real(directory)

    monkeypatch.setattr(store.folders, "load_dataset", counted)
    opened = open_folder(folder, tmp_path / "root")
    # Read and hashed again; the same bytes give the same key.
    assert loaded == [folder]
    assert opened.key == record["key"]


def test_an_import_over_an_earlier_one_replaces_its_store(tmp_path):
    out = tmp_path / "out"
    _imported(LAYOUTS / "ucdp_ged_191.csv", out)
    first = json.loads((out / FOLDER_STORE_DIR / FOLDER_STORE_FILE).read_text())
    _imported(LAYOUTS / "ucdp_ged_hdx_22.csv", out)
    second = json.loads((out / FOLDER_STORE_DIR / FOLDER_STORE_FILE).read_text())
    assert first["key"] != second["key"]
    assert sorted(p.name for p in (out / FOLDER_STORE_DIR).iterdir()) == sorted(
        [FOLDER_STORE_FILE, second["key"]]
    )


def test_a_store_that_cannot_be_linked_is_copied(tmp_path, monkeypatch):
    folder = _imported(LAYOUTS / "ucdp_ged_191.csv", tmp_path / "out")

    def no_link(source, target):
        raise OSError("cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    opened = open_folder(folder, tmp_path / "root")
    own = folder / FOLDER_STORE_DIR / opened.key
    for path in own.iterdir():
        copy = opened.path / path.name
        assert copy.read_bytes() == path.read_bytes()
        assert copy.stat().st_ino != path.stat().st_ino
    shutil.rmtree(own)
    # The copy stands on its own.
    assert store.open_store(opened.key, tmp_path / "root") is not None


def test_an_import_into_the_bundled_folder_writes_no_store_of_its_own(
    tmp_path, monkeypatch
):
    from imu_geo.importers import writing

    folder = tmp_path / "atlas"
    monkeypatch.setattr(writing, "BUNDLED_DATA_DIR", folder)
    _imported(LAYOUTS / "ucdp_ged_191.csv", folder)
    assert (folder / "events.csv").is_file()
    assert not (folder / FOLDER_STORE_DIR).exists()
