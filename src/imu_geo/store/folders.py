"""A data folder's store: keyed by the folder's files (and the world's),
written once when the folder is first opened, or taken as it is from the copy
the import that wrote the folder left in it."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from imu_geo import world
from imu_geo.data import BUNDLED_DATA_DIR, Dataset, load_dataset
from imu_geo.store.keys import (
    FOLDER_STORE_DIR,
    FOLDER_STORE_FILE,
    META_FILE,
    STORE_VERSION,
    _folder_files,
    _stamp,
    _write_atomic,
    content_key,
    default_root,
    folder_key,
)
from imu_geo.store.stores import Store, open_store
from imu_geo.store.writing import write_store


def folder_store_key(directory: Path, root: Path | None = None) -> str:
    """The key of a data folder's store.

    The bundled folder is keyed by its files alone. Any other folder also gets
    the world's units where its own regions do not reach (see
    :func:`open_folder`), so its key covers the world files too: new world
    files give a new store. Both keys are remembered per file stamp
    (:func:`folder_key`), so a restart reads no file to find them.
    """
    key = folder_key(directory, root)
    if Path(directory).resolve() == BUNDLED_DATA_DIR.resolve():
        return key
    world_key = folder_key(world.WORLD_DIR, root)
    return content_key([key.encode(), world_key.encode()], "folder with world")


def _is_bundled(directory: Path) -> bool:
    return Path(directory).resolve() == BUNDLED_DATA_DIR.resolve()


def folder_dataset(directory: Path, dataset: Dataset) -> Dataset:
    """The dataset a folder's store is written from: ``dataset`` (the folder
    loaded) with the world's units where its own regions do not reach, for any
    folder but the bundled one (:func:`imu_geo.world.complete_regions`)."""
    if _is_bundled(directory):
        return dataset
    regions = world.complete_regions(
        dataset.regions, dataset.places, points=dataset.events
    )
    return replace(dataset, regions=regions)


def write_folder_store(directory: Path, dataset: Dataset) -> Store:
    """Write a data folder's store inside the folder, under
    :data:`FOLDER_STORE_DIR`, from ``dataset``: the folder as
    :func:`imu_geo.data.load_dataset` loads it, already in memory.

    An import writes its folder's files and then this, so that the folder's
    first opening (:func:`open_folder`) takes the store as it is instead of
    reading the events again and writing the store itself. The store is keyed
    as :func:`folder_store_key` keys the folder, from the files' bytes;
    :data:`FOLDER_STORE_FILE` holds that key with the files' stamp (name, size,
    modification time), so a folder changed since is never paired with it. An
    earlier copy is replaced.
    """
    directory = Path(directory)
    if _is_bundled(directory):
        raise ValueError("the bundled data folder has no store of its own")
    own = directory / FOLDER_STORE_DIR
    shutil.rmtree(own, ignore_errors=True)
    files = _folder_files(directory)
    stamp = _stamp(files)
    file_key = content_key(files, "folder")
    world_key = content_key(_folder_files(world.WORLD_DIR), "folder")
    key = content_key([file_key.encode(), world_key.encode()], "folder with world")
    store = write_store(folder_dataset(directory, dataset), key, own)
    record = {"stamp": stamp, "world": world_key, "key": key}
    _write_atomic(own / FOLDER_STORE_FILE, json.dumps(record).encode())
    return store


def _folder_store(directory: Path, root: Path | None) -> str | None:
    """The key of the store a folder holds (:func:`write_folder_store`) when its
    files and the world's are as they were when it was written, else None."""
    if _is_bundled(directory):
        return None
    own = Path(directory) / FOLDER_STORE_DIR
    try:
        record = json.loads((own / FOLDER_STORE_FILE).read_text(encoding="utf-8"))
        key = str(record["key"])
        if record["stamp"] != _stamp(_folder_files(directory)):
            return None
        if record["world"] != folder_key(world.WORLD_DIR, root):
            return None
        meta = json.loads((own / key / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if meta.get("version") != STORE_VERSION or meta.get("key") != key:
        return None
    return key


def _adopt(source: Path, key: str, root: Path | None) -> Store | None:
    """Put the store folder ``source`` in the store root as the store ``key``:
    its files linked (copied where a link cannot be made), under a temporary
    name first, so that a reader never sees half a store."""
    root = Path(root) if root is not None else default_root()
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=root, prefix=f".{key}."))
    try:
        for path in source.iterdir():
            try:
                os.link(path, work / path.name)
            except OSError:
                shutil.copyfile(path, work / path.name)
        try:
            os.rename(work, root / key)
        except OSError:
            # Another process put the same store there first: theirs is as good.
            shutil.rmtree(work, ignore_errors=True)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
        return None
    return open_store(key, root)


def open_folder(
    directory: Path,
    root: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Store:
    """The store of a data folder: opened when it exists, without reading the
    events; else the folder is validated, loaded and written once.

    A folder other than the bundled one gets the world's units for the places
    its own regions do not reach (:func:`imu_geo.world.complete_regions`). A
    folder that holds its own store, written by the import that wrote it
    (:func:`write_folder_store`) and with its files unchanged since, has that
    store put in ``root`` as it is: nothing is read or computed again.
    ``progress``, when given, is told in a short sentence before each slow step
    (loading the folder, writing the store); it is not called when the store
    exists.

    Raises
    ------
    imu_geo.data.DataError
        When the folder fails validation; nothing is written.
    """
    directory = Path(directory)
    own = _folder_store(directory, root)
    key = own if own is not None else folder_store_key(directory, root)
    store = open_store(key, root)
    if store is not None:
        return store
    if own is not None:
        store = _adopt(directory / FOLDER_STORE_DIR / own, own, root)
        if store is not None:
            return store
    if progress is not None:
        progress(f"Reading and checking {directory.name}…")
    dataset = folder_dataset(directory, load_dataset(directory))
    if progress is not None:
        progress(f"Writing {len(dataset.events):,} events to the store…")
    return write_store(dataset, key, root)
