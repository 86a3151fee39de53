"""A dataset's store, loaded once and shared: what every rerun needs from it,
and the questions pages ask of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from imu_geo.data import (
    BUNDLED_DATA_DIR,
    DataError,
    Dataset,
    default_data_dir,
)
from imu_geo.engine import get_engine
from imu_geo.engine.source import EventSource, Selection
from imu_geo.filters import (
    FilterSpec,
    describe_counts,
)
from imu_geo.layers import (
    ATLAS_BASEMAP,
    ATLAS_VIEW_SIZE,
    DEFAULT_VIEW,
    DISPLAY_TOLERANCE_DEG,
    WORLD_BASEMAP,
    fit_view,
    frame_view,
)
from imu_geo.store import (
    Store,
    open_folder,
    write_store,
)
from imu_geo.text import (
    QUOTE_CHARS,
    escape_markdown,
)
from imu_geo.ui.reporting import log
from imu_geo.ui.widgets import table


@dataclass(frozen=True)
class LoadedData:
    """A dataset's store and what every rerun needs from it, read once.

    ``source`` answers every question about the events through the engine; no
    event rows are held here, so sessions share one store and one engine.
    ``key`` names the dataset's content (its store key); it keys the map's
    point files and the caches.
    ``basemap`` is the atlas's region or the world; ``bounds`` (west, south,
    east, north) are those of the events with a point, for framing the world.
    """

    source: EventSource
    display_geometry: dict
    months: tuple[date, ...]
    choices: dict[str, tuple[str, ...]]
    default_spec: FilterSpec
    key: tuple = ()
    basemap: str = ATLAS_BASEMAP
    bounds: tuple[float, float, float, float] | None = None

    @property
    def places(self):
        return self.source.store.places

    @property
    def regions(self):
        return self.source.store.regions

    @property
    def n_events(self) -> int:
        return len(self.source)


def _file_stamp(directory: Path) -> tuple:
    """Cheap cache key: each file's name, size and modification time."""
    stamp = []
    for path in sorted(directory.glob("*")):
        if path.is_file():
            info = path.stat()
            stamp.append((path.name, info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def prepare(
    dataset: Dataset, store_key: str, root: Path | None = None, anywhere: bool = False
) -> LoadedData:
    """Write ``dataset`` to its store (once: an existing store of that key is
    opened as it is) and read what every rerun needs.

    ``anywhere`` is for data other than the bundled atlas: its maps draw the
    world and open on the data's own extent.
    """
    return from_store(write_store(dataset, store_key, root), anywhere)


def from_store(store: Store, anywhere: bool = False) -> LoadedData:
    """What every rerun needs from a store, read once; no event is read."""
    source = EventSource(store, get_engine())
    places = store.places
    display_geometry = {
        place_id: (
            geometry
            if geometry.geom_type == "Point"
            else geometry.simplify(DISPLAY_TOLERANCE_DEG, preserve_topology=True)
        )
        for place_id, geometry in zip(places["place_id"], places.geometry, strict=True)
    }
    return LoadedData(
        source,
        display_geometry,
        store.months,
        store.choices,
        store.default_spec,
        ("store", store.key),
        WORLD_BASEMAP if anywhere else ATLAS_BASEMAP,
        store.bounds if anywhere else None,
    )


def map_view(data: LoadedData, width: float, height: float) -> dict:
    """The initial view of a map of ``width`` x ``height`` pixels: the atlas's
    region for the atlas, as the Map page always opened on it (zoomed out in a
    smaller map, so that it shows the same region); the data's extent
    otherwise."""
    if data.basemap == ATLAS_BASEMAP:
        return fit_view(DEFAULT_VIEW, ATLAS_VIEW_SIZE, (width, height))
    return frame_view(data.bounds, width, height)


@st.cache_resource(show_spinner="Loading the atlas…", max_entries=4)
def _load(directory: str, stamp: tuple) -> LoadedData:
    # ``stamp`` is only part of the cache key: a changed file loads afresh.
    anywhere = Path(directory).resolve() != BUNDLED_DATA_DIR.resolve()
    return from_store(open_folder(Path(directory)), anywhere)


def _require_atlas() -> LoadedData:
    directory = default_data_dir()
    try:
        return _load(str(directory.resolve()), _file_stamp(directory))
    except DataError as error:
        log.error("data directory %s cannot be loaded: %s", directory, error)
        st.error(
            f"The data in “{escape_markdown(directory.name, QUOTE_CHARS)}” cannot "
            f"be loaded: {len(error.problems)} problem(s). Nothing was changed.",
            icon=":material/error:",
        )
        table(
            pd.DataFrame(
                [
                    {
                        "file": p.file,
                        "row": p.row,
                        "column": p.column,
                        "problem": p.message,
                    }
                    for p in error.problems
                ]
            ),
            hide_index=True,
        )
        st.stop()
    except OSError as error:
        log.exception("data directory %s cannot be read", directory)
        st.error(
            "The data folder cannot be read "
            f"({escape_markdown(error.strerror or error, QUOTE_CHARS)}).",
            icon=":material/error:",
        )
        st.stop()


def dataset_tag(data: LoadedData) -> str:
    """A short name for the dataset on screen, for widget keys: a selection made
    on one dataset (a clicked point, a table row) must not carry over to
    another, where the same position is another event."""
    return hashlib.sha1(repr(data.key).encode()).hexdigest()[:10]


def select_rows(data: LoadedData, spec: FilterSpec) -> Selection:
    """The selected events, counted by the engine; their rows are read a page at
    a time (:meth:`imu_geo.engine.source.Selection.frame`)."""
    return data.source.select(spec)


def describe_rows(
    data: LoadedData, rows: Selection, spec: FilterSpec, extra: str = ""
) -> None:
    """:func:`describe_selection` for a counted selection (no rows are read)."""
    text = describe_counts(len(rows), rows.counts, spec)
    st.caption(escape_markdown(text + extra))


def event_rows(data: LoadedData, event_id: str | None) -> pd.DataFrame:
    """The chosen event as a one-row frame (empty when none is chosen or it is
    not in this dataset), for :func:`imu_geo.views.event_details`."""
    if not event_id:
        return pd.DataFrame(columns=list(data.source.columns))
    return data.source.event_rows(str(event_id))


def vocabulary_tables(data: LoadedData) -> dict:
    """Each vocabulary's table (:func:`imu_geo.method.vocabulary_table`), as the
    store wrote it once."""
    return data.source.store.vocabularies
