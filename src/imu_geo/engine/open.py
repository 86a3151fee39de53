"""From a data folder to an :class:`~imu_geo.engine.source.EventSource`: the
store of the folder (:func:`imu_geo.store.open_folder`) on the process's engine.

The dashboard and every ``imu-geo`` command open their data this way. A folder
is validated, loaded and written to the store only the first time its content
is seen; after that, even in a new process, the store is found by the folder's
key and ``events.csv`` is not read at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from imu_geo.data import default_data_dir
from imu_geo.engine import get_engine
from imu_geo.engine.source import EventSource
from imu_geo.store import open_folder


def open_source(
    directory: Path | None = None,
    root: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> EventSource:
    """The events of a data folder (the default one when None) as an
    :class:`EventSource` on the process's engine (``IMU_GEO_ENGINE``).

    The folder is validated, loaded and written to the store under ``root``
    (default: :func:`imu_geo.store.default_root`) only when its store does not
    exist yet; ``progress`` is told before those slow steps. Raises
    :class:`imu_geo.data.DataError` when the folder cannot be loaded, and
    ``ValueError`` for an unknown engine (before any other work).
    """
    engine = get_engine()
    directory = Path(directory) if directory is not None else default_data_dir()
    return EventSource(open_folder(directory, root, progress), engine)
