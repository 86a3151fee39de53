"""The columnar store: each dataset written once to Parquet, keyed by its content.

A dataset (the bundled atlas, a data folder, an imported file) is written to
``<root>/<key>/`` once, and every query of the pages and commands reads it
there through the engine (:mod:`imu_geo.engine`). ``key`` is a hash of the
store's format and the dataset's own bytes, so a restart finds the store again
and changed data gets a new one. The folder is written under a temporary name
and renamed, so a reader never sees half a store.

``events.parquet`` holds one row per event, sorted by ``date_start``,
``date_end`` and ``event_id``, in row groups of :data:`ROW_GROUP_ROWS`: the
minimum and maximum of ``day_start`` per group let the engine skip the groups
outside a time window. Beside the event columns it holds what each step would
otherwise compute again (see :func:`event_table`): the dates as day numbers,
the month, the event's point, the facets as delimited keys, the casefolded
search text and, per summary level, the row of the region table the event is
counted on. The place and region GeoJSON are kept beside it for the maps; an
event's own coordinates are columns, never one feature per event.

The package, a module per concern: :mod:`~imu_geo.store.keys` (where stores
are kept, their files' names, their keys), :mod:`~imu_geo.store.table` (the
events as a store holds them), :mod:`~imu_geo.store.writing` (writing a
store), :mod:`~imu_geo.store.stores` (a store on disk: opening, reading back,
removing) and :mod:`~imu_geo.store.folders` (a data folder's store).
"""

from imu_geo.store.folders import (
    folder_dataset,
    folder_store_key,
    open_folder,
    write_folder_store,
)
from imu_geo.store.keys import (
    EVENTS_FILE,
    FOLDER_STORE_DIR,
    FOLDER_STORE_FILE,
    KEY_CHARS,
    META_FILE,
    PLACES_FILE,
    REGIONS_FILE,
    SOURCE_COLUMNS_FILE,
    STORE_ENV_VAR,
    STORE_URL_ENV_VAR,
    STORE_VERSION,
    VOCABULARIES_FILE,
    content_key,
    default_root,
    folder_key,
)
from imu_geo.store.stores import (
    PARTIAL_IDLE_S,
    Store,
    open_store,
    read_dataset,
    remove_stale_stores,
    remove_store,
    sweep_partial_stores,
)
from imu_geo.store.table import (
    ROW_GROUP_ROWS,
    event_batches,
    event_table,
    row_order,
    search_text,
    summary_levels,
)
from imu_geo.store.writing import write_store

__all__ = [
    "EVENTS_FILE",
    "FOLDER_STORE_DIR",
    "FOLDER_STORE_FILE",
    "KEY_CHARS",
    "META_FILE",
    "PARTIAL_IDLE_S",
    "PLACES_FILE",
    "REGIONS_FILE",
    "ROW_GROUP_ROWS",
    "SOURCE_COLUMNS_FILE",
    "STORE_ENV_VAR",
    "STORE_URL_ENV_VAR",
    "STORE_VERSION",
    "Store",
    "VOCABULARIES_FILE",
    "content_key",
    "default_root",
    "event_batches",
    "event_table",
    "folder_dataset",
    "folder_key",
    "folder_store_key",
    "open_folder",
    "open_store",
    "read_dataset",
    "remove_stale_stores",
    "remove_store",
    "row_order",
    "search_text",
    "summary_levels",
    "sweep_partial_stores",
    "write_folder_store",
    "write_store",
]
