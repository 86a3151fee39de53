"""From a data folder to an :class:`~imu_geo.engine.source.EventSource`: the one
place where a folder becomes a store and the store gets its engine.

The dashboard and every ``imu-geo`` command open their data here. A folder is
validated, loaded and written to the store (:mod:`imu_geo.store`) only the first
time its content is seen; after that, even in a new process, the store is found
by the folder's key and ``events.csv`` is not read at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from imu_geo import world
from imu_geo.data import BUNDLED_DATA_DIR, default_data_dir, load_dataset
from imu_geo.engine import get_engine
from imu_geo.engine.source import EventSource
from imu_geo.store import Store, content_key, folder_key, open_store, write_store

Progress = Callable[[str], None]


def is_bundled(directory: Path) -> bool:
    """Whether ``directory`` is the atlas's own data folder."""
    return Path(directory).resolve() == BUNDLED_DATA_DIR.resolve()


def store_key(directory: Path, root: Path | None = None) -> str:
    """The key of the store of a data folder.

    The atlas's folder is keyed by its files alone. Any other folder also gets
    the world's countries and admin-1 units where its own regions do not reach
    (:func:`imu_geo.world.complete_regions`), so its key covers the world files
    too: new world files give a new store. Both keys are remembered per file
    stamp (:func:`imu_geo.store.folder_key`), so a restart reads no file to find
    them.
    """
    key = folder_key(directory, root)
    if is_bundled(directory):
        return key
    world_key = folder_key(world.WORLD_DIR, root)
    return content_key([key.encode(), world_key.encode()], "folder with world")


def open_store_of(
    directory: Path | None = None,
    root: Path | None = None,
    progress: Progress | None = None,
) -> Store:
    """The store of a data folder (the default one when None), written first
    when there is none yet.

    Raises :class:`imu_geo.data.DataError` when the folder has to be loaded and
    cannot be; ``progress``, when given, is told in a short sentence before each
    slow step (loading the folder, writing the store).
    """
    directory = Path(directory) if directory is not None else default_data_dir()
    key = store_key(directory, root)
    found = open_store(key, root)
    if found is not None:
        return found
    if progress is not None:
        progress(f"Reading and checking {directory.name}…")
    dataset = load_dataset(directory)
    if not is_bundled(directory):
        # Units for places the folder's own regions do not reach.
        regions = world.complete_regions(dataset.regions, dataset.places)
        dataset = replace(dataset, regions=regions)
    if progress is not None:
        progress(f"Writing {len(dataset.events):,} events to the store…")
    return write_store(dataset, key, root)


def open_source(
    directory: Path | None = None,
    root: Path | None = None,
    progress: Progress | None = None,
) -> EventSource:
    """The events of a data folder (the default one when None) as an
    :class:`EventSource` on the process's engine (``IMU_GEO_ENGINE``).

    The folder is validated, loaded and written to the store under ``root``
    (default: :func:`imu_geo.store.default_root`) only when its store does not
    exist yet. Raises :class:`imu_geo.data.DataError` when it cannot be loaded,
    ``ValueError`` for an unknown engine.
    """
    engine = get_engine()  # an unknown engine is refused before any work
    return EventSource(open_store_of(directory, root, progress), engine)
