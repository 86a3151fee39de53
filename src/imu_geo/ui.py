"""The one module that imports Streamlit: cached loading and the shared widgets.

Pages call :func:`require_dataset` and :func:`filter_controls`, then pass frames to
the pure functions of the package. State lives in ``st.session_state`` under the
keys below and is mirrored to the URL query string, so a link restores the view.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from imu_geo import animation as anim
from imu_geo import logs, world
from imu_geo.data import (
    BUNDLED_DATA_DIR,
    DataError,
    Dataset,
    assemble_dataset,
    combine_datasets,
    default_data_dir,
)
from imu_geo.density import (
    bound_cells,
    build_density_deck,
    density_cell_deg,
    density_legend_svg,
    density_notice,
)
from imu_geo.engine import get_engine
from imu_geo.engine.source import EventSource, Selection
from imu_geo.export import table_csv_bytes, write_selection
from imu_geo.filters import (
    SEARCH_CHARS,
    FilterSpec,
    describe,
    describe_counts,
    month_end,
    month_label,
    month_start,
    play_position,
    spec_from_query,
    spec_to_query,
)
from imu_geo.importers import (
    FORMATS,
    ImportFailure,
    ImportResult,
    InternalImportError,
    import_file,
)
from imu_geo.importers import writing as import_writing
from imu_geo.layers import (
    ATLAS_BASEMAP,
    DECK_COLUMNS,
    DEFAULT_VIEW,
    LAYER_IDS,
    WORLD_BASEMAP,
    MapOptions,
    build_deck,
    build_large_deck,
    date_filter_range,
    frame_view,
    large_colour_codes,
    large_radii,
    legend_svg,
    region_pick_layer,
    units_geojson_bytes,
)
from imu_geo.pointfiles import (
    INLINE_LIMIT,
    MAX_IDLE_S,
    POINT_BUDGET,
    POINTS_ROOT,
    PointFileTooLarge,
    PointStore,
    epoch_days,
    hold_folder,
    point_file_bytes,
    point_records,
    process_folder_name,
    remove_stale_folders,
    start_sweeper,
)
from imu_geo.render import (
    DENSITY_COLUMNS,
    DENSITY_LIMIT,
    RENDER_COLUMNS,
    build_basemap,
    picture_bytes,
    picture_text,
    window_words,
)
from imu_geo.schema import ATTRIBUTIONS, COUNTRY_NAMES, CREDITS, LAYERS, SOURCE_CITATION
from imu_geo.scrubber import (
    SCRUB_LABEL,
    SCRUB_MODES,
    build_scrubber,
    scrubber_rows,
    window_from_scrub,
)
from imu_geo.store import (
    Store,
    content_key,
    default_root,
    open_folder,
    read_dataset,
    remove_stale_stores,
    remove_store,
    write_store,
)
from imu_geo.text import (
    QUOTE_CHARS,
    escape_markdown,
    from_deck_text,
    plain,
    show_controls_in,
)
from imu_geo.tour import TOUR_PARAM, stop_number
from imu_geo.views import upload_failure

log = logs.configure()

DISPLAY_TOLERANCE_DEG = 0.02
PLAY_STEPS = {"1 month": 1, "3 months": 3, "1 year": 12}
PLAY_INTERVAL_S = 1.2
LAYER_LABELS = {"attack": "Attacks", "base": "Bases", "context": "Context"}
TABLE_CONFIG = {
    "date_start": st.column_config.DateColumn("From", format="YYYY-MM-DD"),
    "date_end": st.column_config.DateColumn("To", format="YYYY-MM-DD"),
    "date_precision": st.column_config.TextColumn("Date precision"),
    "layer": st.column_config.TextColumn("Layer"),
    "event_type": st.column_config.TextColumn("Type"),
    "source_event_type": st.column_config.TextColumn("Source type"),
    "source_sub_event_type": st.column_config.TextColumn("Source sub-type"),
    "title": st.column_config.TextColumn("Title", width="large"),
    "place_name": st.column_config.TextColumn("Place"),
    "geo_precision": st.column_config.TextColumn("Place precision"),
    "fatalities_best": st.column_config.NumberColumn("Killed (best)"),
    "attribution": st.column_config.TextColumn("Attribution"),
    "event_id": st.column_config.TextColumn("Id"),
}
SOURCE_TABLE_CONFIG = {
    "event_id": st.column_config.TextColumn("Id"),
    "date_start": st.column_config.DateColumn("From", format="YYYY-MM-DD"),
    "date_end": st.column_config.DateColumn("To", format="YYYY-MM-DD"),
    "date_precision": st.column_config.TextColumn("Date precision"),
    "date_origin": st.column_config.TextColumn("Date origin"),
    "title": st.column_config.TextColumn("Title"),
    "place_name": st.column_config.TextColumn("Place"),
    "geo_precision": st.column_config.TextColumn("Place precision"),
    "place_origin": st.column_config.TextColumn("Place origin"),
    "attribution": st.column_config.TextColumn("Attribution"),
    "source_quote": st.column_config.TextColumn(
        "Source quote (verbatim)", width="large"
    ),
    "notes": st.column_config.TextColumn("Notes", width="large"),
}


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
    region for the atlas, as it always opened; the data's extent otherwise."""
    if data.basemap == ATLAS_BASEMAP:
        return dict(DEFAULT_VIEW)
    return frame_view(data.bounds, width, height)


@st.cache_resource(show_spinner="Loading the atlas…", max_entries=4)
def _load(directory: str, stamp: tuple) -> LoadedData:
    # ``stamp`` is only part of the cache key: a changed file loads afresh.
    anywhere = Path(directory).resolve() != BUNDLED_DATA_DIR.resolve()
    return from_store(open_folder(Path(directory)), anywhere)


def require_dataset() -> LoadedData:
    """The dataset this session shows: the atlas (loaded once per content and
    shared), the user's uploaded file, or both. Stops the page with a clear
    message (never a traceback) when the data cannot be loaded."""
    atlas = _require_atlas()
    shown = st.session_state.get(_SHOW_KEY, "atlas")
    upload = st.session_state.get(_UPLOAD_KEY)
    if upload is None or shown == "atlas" or upload.data is None:
        chosen, key = atlas, ("atlas",)
    elif shown == "upload":
        chosen, key = upload.data, ("upload", upload.key)
    elif upload.combined is None and upload.combined_failed:
        chosen, key = upload.data, ("upload", upload.key)
    else:
        if upload.combined is None:
            try:
                # Both read back from their stores, only for this overlay.
                combined = combine_datasets(
                    read_dataset(atlas.source.store),
                    read_dataset(upload.data.source.store),
                )
                key = content_key(
                    [atlas.source.store.key.encode(), upload.store_key.encode()],
                    "both",
                )
                upload.combined = prepare(combined, key, UPLOAD_STORE_ROOT(), True)
            except Exception:
                upload.combined_failed = True
                reference = log_error(
                    "an upload could not be overlaid on the atlas",
                    "upload_error",
                    "combine",
                    upload.name,
                )
                st.error(
                    "Your file could not be overlaid on the atlas, so it is shown "
                    "alone. Nothing was changed. The server's log has the details "
                    f"under reference {reference}.",
                    icon=":material/error:",
                )
                return require_dataset()
        chosen, key = upload.combined, ("both", upload.key)
    if st.session_state.get("_shown_dataset") != key:
        # Another dataset: its own span and choices, so the filters start afresh
        # (from the URL on a session's first run).
        first_run = "_shown_dataset" not in st.session_state
        st.session_state["_shown_dataset"] = key
        if not first_run:
            _reset_filters(chosen)
    return chosen


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


# --- shared filter state ------------------------------------------------------

# Widget keys. Each bound widget also has a value key ("v_" + name) that holds the
# canonical value: Streamlit drops a widget's state on a page change when the
# browser did not report that widget, so the widget is re-seeded from the value
# key whenever its own state is missing, and writes back to it on every change.
_STATE_KEYS = {
    "window": "f_window",
    "mode": "f_mode",
    "layers": "f_layers",
    "types": "f_types",
    "actors": "f_actors",
    "countries": "f_countries",
    "attribution": "f_attribution",
    "source_types": "f_source_types",
    "text": "f_text",
    "playing": "f_playing",
    "step": "f_step",
    "arcs": "f_arcs",
    "halos": "f_halos",
}


def _value_key(name: str) -> str:
    return f"v_{name}"


def _value(name: str):
    return st.session_state[_value_key(name)]


def _put(name: str, value) -> None:
    """Set a bound value (from a callback, or before its widget is drawn)."""
    st.session_state[_value_key(name)] = value
    st.session_state[_STATE_KEYS[name]] = value


def _store(name: str) -> None:
    st.session_state[_value_key(name)] = st.session_state[_STATE_KEYS[name]]


def _bound(name: str) -> dict:
    """Keyword arguments that bind a widget to its canonical value.

    Each widget is also given the canonical value as its default: after a page
    change the browser may mount a widget afresh and report its default as a
    change, which must then be no change at all.
    """
    widget_key = _STATE_KEYS[name]
    if widget_key not in st.session_state:
        st.session_state[widget_key] = _value(name)
    return {"key": widget_key, "on_change": _store, "args": (name,)}


def _initialise_state(data: LoadedData) -> None:
    """On a session's first run, take the view from the URL (warning on bad values)."""
    state = st.session_state
    if state.get("_initialised"):
        return
    params = {key: st.query_params.get(key) for key in st.query_params}
    spec, warnings = spec_from_query(
        params, data.default_spec, data.choices, data.source.store.units
    )
    state[_REGION_KEY] = spec.region
    _put("window", (month_start(spec.start), month_start(spec.end)))
    _put("mode", spec.mode)
    _put("layers", list(spec.layers))
    _put("types", list(spec.event_types))
    _put("actors", list(spec.actors))
    _put("countries", list(spec.countries))
    _put("attribution", list(spec.attributions))
    _put("source_types", list(spec.source_types))
    _put("text", spec.text)
    _put("step", "3 months")
    _put("arcs", True)
    _put("halos", True)
    state["selected_event"] = spec.selected
    state["_url_warnings"] = warnings
    state["_initialised"] = True


def _reset_filters(data: LoadedData) -> None:
    """Start the filters afresh on ``data``: its whole span, every layer."""
    spec = data.default_spec
    _put("window", (month_start(spec.start), month_start(spec.end)))
    for name in ("types", "actors", "countries", "attribution", "source_types"):
        _put(name, [])
    _put("layers", list(LAYERS))
    _put("text", "")
    st.session_state[_REGION_KEY] = None
    st.session_state[_STATE_KEYS["playing"]] = False
    st.session_state["selected_event"] = ""


def current_spec(data: LoadedData) -> FilterSpec:
    """The filter spec of this session: from the URL at first, then the widgets."""
    _initialise_state(data)
    first, last = _value("window")
    return FilterSpec(
        start=first,
        end=month_end(last),
        mode=_value("mode"),
        layers=tuple(layer for layer in LAYERS if layer in _value("layers")),
        event_types=tuple(_value("types")),
        actors=tuple(_value("actors")),
        countries=tuple(_value("countries")),
        attributions=tuple(_value("attribution")),
        # The box allows no more; a client that sends more is cut here.
        text=_value("text")[:SEARCH_CHARS],
        source_types=tuple(_value("source_types")),
        region=current_region(data),
        selected=st.session_state.get("selected_event", ""),
    )


def map_options() -> MapOptions:
    """The optional map layers the user switched on or off."""
    return MapOptions(relocation=_value("arcs"), halos=_value("halos"))


def _play_tick(data: LoadedData) -> bool:
    """Put the window where Play should be by now; True when it moved."""
    state = st.session_state
    months = list(data.months)
    origin = state.get("_play_origin")
    step = PLAY_STEPS[_value("step")]
    if origin is None or origin[3] != step:
        first, last = _value("window")
        origin = (time.monotonic(), months.index(first), months.index(last), step)
        state["_play_origin"] = origin
    started, first, last, step = origin
    ticks = int((time.monotonic() - started) / PLAY_INTERVAL_S)
    i, j, done = play_position(
        len(months), first, last, step, ticks, _value("mode") == "cumulative"
    )
    if done:
        state[_STATE_KEYS["playing"]] = False
    window = (months[i], months[j])
    if window == tuple(_value("window")):
        return False
    # Not written here: in a full run the slider is already drawn, and its
    # value can only change before it is (the next run applies it first).
    state[_PENDING_WINDOW_KEY] = (*window, _PLAYING)
    return True


def filter_controls(data: LoadedData) -> FilterSpec:
    """Draw the shared sidebar filters and return the spec they describe.

    The frame then rewrites the URL query string to match, so the address bar
    always holds a link to the current view.
    """
    _initialise_state(data)
    _apply_pending_window(data)
    for warning in st.session_state.get("_url_warnings", []):
        # A warning quotes the link, which anyone can write: shown as text only.
        st.warning(escape_markdown(warning), icon=":material/link:")
    sidebar = st.sidebar
    sidebar.header("Time window")
    sidebar.select_slider(
        "Months shown",
        options=list(data.months),
        # The default is the current value too (see _bound); a tuple makes this
        # a two-handled slider.
        value=tuple(_value("window")),
        format_func=month_label,
        help="An event is shown when its date span overlaps the window.",
        **_bound("window"),
    )
    sidebar.radio(
        "Mode",
        options=["window", "cumulative"],
        format_func={"window": "Moving window", "cumulative": "Cumulative"}.get,
        index=["window", "cumulative"].index(_value("mode")),
        horizontal=True,
        help="Cumulative shows everything that began up to the window's end.",
        **_bound("mode"),
    )
    play, step = sidebar.columns([1, 1])
    playing = st.session_state.get(_STATE_KEYS["playing"], False)
    if play.button("⏸ Pause" if playing else "▶ Play", width="stretch"):
        st.session_state[_STATE_KEYS["playing"]] = not playing
        st.session_state["_play_origin"] = None
        st.rerun()
    step.selectbox(
        "Step",
        options=list(PLAY_STEPS),
        index=list(PLAY_STEPS).index(_value("step")),
        label_visibility="collapsed",
        **_bound("step"),
    )

    sidebar.header("Filters")
    region_control(data)
    sidebar.multiselect(
        "Layers",
        options=list(LAYERS),
        format_func=LAYER_LABELS.get,
        default=_value("layers"),
        **_bound("layers"),
    )
    sidebar.checkbox("Base relocation arcs", value=_value("arcs"), **_bound("arcs"))
    sidebar.checkbox(
        "Place uncertainty halos",
        value=_value("halos"),
        help="A faint disc around a point whose place is known only roughly.",
        **_bound("halos"),
    )
    sidebar.multiselect(
        "Event types",
        options=list(data.choices["types"]),
        format_func=option_label,
        placeholder="All types",
        default=_value("types"),
        **_bound("types"),
    )
    if data.choices["source_types"]:
        # An imported file's own types and sub-types, as it wrote them.
        sidebar.multiselect(
            "Source types",
            options=list(data.choices["source_types"]),
            placeholder="All source types",
            default=_value("source_types"),
            help="The file's own event types and sub-types: an event is shown "
            "when either is chosen.",
            **_bound("source_types"),
        )
    sidebar.multiselect(
        "Actors",
        options=list(data.choices["actors"]),
        format_func=option_label,
        placeholder="All actors",
        default=_value("actors"),
        **_bound("actors"),
    )
    sidebar.multiselect(
        "Countries",
        options=list(data.choices["countries"]),
        format_func=lambda code: option_label(
            COUNTRY_NAMES.get(code) or world.country_name(code)
        ),
        placeholder="All countries",
        default=_value("countries"),
        **_bound("countries"),
    )
    sidebar.multiselect(
        "Attribution",
        options=list(ATTRIBUTIONS),
        placeholder="Any attribution",
        default=_value("attribution"),
        help="How firmly the source ties the event to the IMU.",
        **_bound("attribution"),
    )
    sidebar.text_input(
        "Search",
        value=_value("text"),
        max_chars=SEARCH_CHARS,
        placeholder="words in title, quote, place…",
        **_bound("text"),
    )
    return current_spec(data)


OPTION_CHARS = 80


def option_label(value: object) -> str:
    """How a value from the data is written in a list of choices: as text, on one
    line, cut to :data:`OPTION_CHARS` characters."""
    return plain(value, OPTION_CHARS)


def table(frame: pd.DataFrame, where=st, **kwargs):
    """``st.dataframe`` for a table holding data: bidirectional controls in its
    text are shown (see :func:`imu_geo.text.show_controls`), never obeyed."""
    return where.dataframe(show_controls_in(frame), **kwargs)


def run_player(data: LoadedData) -> None:
    """While Play is on, step the window forward on a timer."""
    if not st.session_state.get(_STATE_KEYS["playing"]):
        return

    @st.fragment(run_every=PLAY_INTERVAL_S / 2)
    def _tick() -> None:
        # Runs inline with every app run and then on the timer; the window
        # follows the clock, so only a real step triggers a rerun of the app,
        # which applies the step before the slider is drawn.
        if st.session_state.get(_STATE_KEYS["playing"]) and _play_tick(data):
            st.rerun(scope="app")

    _tick()


def sync_url(spec: FilterSpec, data: LoadedData) -> None:
    """Write the spec to the query string, touching only what changed."""
    wanted = spec_to_query(spec, data.default_spec) | _page_query()
    current = {key: st.query_params.get(key) for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def set_window(data: LoadedData, start: date, end: date) -> None:
    """Move the shared time window (e.g. to an era), snapped to the data's months.

    Call it from a widget callback or before the sidebar slider is drawn; the next
    run shows every page with the new window.
    """
    months = list(data.months)
    first = max(month_start(start), months[0])
    last = min(month_start(end), months[-1])
    if last < first:
        first, last = months[0], months[-1]
    _put("window", (first, last))
    st.session_state[_STATE_KEYS["playing"]] = False
    st.session_state["_play_origin"] = None


def describe_selection(
    selected: pd.DataFrame, spec: FilterSpec, extra: str = ""
) -> None:
    """The sentence that says what is shown, as a caption.

    It contains the user's search words, so it is escaped: Markdown typed into the
    search box shows as typed and cannot format, link or load anything.
    """
    st.caption(escape_markdown(describe(selected, spec) + extra))


def download(label: str, build, file_name: str, mime: str = "text/csv", where=st):
    """A download button whose file is built only when it is clicked.

    ``build`` is a function returning the bytes; the click does not rerun the app,
    so moving the slider never rebuilds a file nobody asked for.
    """
    where.download_button(
        label,
        data=build,
        file_name=file_name,
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
    )


def event_panel(details) -> None:
    """The detail panel of one event: facts, description, the verbatim quote."""
    with st.container(border=True):
        # No anchor: Streamlit would make a link to it from the title's words.
        st.subheader(details.title, anchor=False)
        st.markdown(details.facts)
        st.markdown(details.description)
        st.markdown(details.quote)
        st.caption(details.citation)
        if details.notes:
            st.caption(details.notes)


def select_event(event_id: str) -> None:
    """Make ``event_id`` the event shown in the detail panel (and in the URL)."""
    st.session_state["selected_event"] = event_id


def _folder_is_bundled() -> bool:
    """True when the server shows the bundled data folder (not ``--data``)."""
    return default_data_dir().resolve() == BUNDLED_DATA_DIR.resolve()


def _upload_shown() -> bool:
    upload = st.session_state.get(_UPLOAD_KEY)
    return not (_shown() == "atlas" or upload is None or upload.data is None)


def showing_atlas() -> bool:
    """True when the curated atlas alone is on screen."""
    return _folder_is_bundled() and not _upload_shown()


def credits_footer() -> None:
    """The citation and the credits that the data's licences ask for."""
    st.divider()
    if showing_atlas():
        st.caption(f"Source of every event: {SOURCE_CITATION}")
    elif not _upload_shown():
        st.caption(
            "Events from the data folder "
            f"“{escape_markdown(default_data_dir().name, QUOTE_CHARS)}”;"
            " each row's source is in its source column."
        )
    else:
        upload = st.session_state[_UPLOAD_KEY]
        st.caption(
            f"Events from your file {escape_markdown(upload.name, QUOTE_CHARS)}"
            + (
                f"; the atlas's events from {SOURCE_CITATION}"
                if _shown() == "both"
                else ""
            )
        )
    st.caption(CREDITS)


# --- the frame around pages ---------------------------------------------------

# Each session's script runs in its own thread; this says whether the frame
# (app.py) is around the page running now in this thread.
_frame_state = threading.local()


@contextmanager
def frame() -> Iterator[LoadedData]:
    """The frame around every page: the shared filters before, credits after.

    An error in any part of it, or in the page, is reported where it happened
    (:func:`report_page_error`) and the rest still runs; without a dataset or
    filters there is no page to show, so an error there ends the run.
    """
    st.session_state.pop(_PAGE_QUERY_KEY, None)  # a page sets its own again
    with reporting():
        point_store()  # from the first run on, the point files' sweeper runs
    with reporting():
        upload_controls()
    try:
        data = require_dataset()
        filter_controls(data)
    except Exception:
        report_page_error()
        st.stop()
    with reporting():
        dataset_marker(data)
    _frame_state.active = True
    try:
        yield data
    except Exception:
        # st.stop() and st.rerun() raise BaseExceptions and pass through here.
        report_page_error()
    finally:
        _frame_state.active = False
    # After the page, so that what it selected is in the link too.
    with reporting():
        sync_url(current_spec(data), data)
    with reporting():
        run_player(data)
    with reporting():
        credits_footer()


@contextmanager
def reporting() -> Iterator[None]:
    """Report an error raised inside (see :func:`report_page_error`) and go on.

    ``st.stop()`` and ``st.rerun()`` raise BaseExceptions and pass through.
    """
    try:
        yield
    except Exception:
        report_page_error()


def log_error(
    message: str,
    event: str,
    stage: str = "",
    file_name: str = "",
    error: BaseException | None = None,
) -> str:
    """Log the exception being handled (or ``error``), with its trace, under a
    new reference.

    One JSON line (see :mod:`imu_geo.logs`) with ``event``, ``ref`` and, when
    given, the ``stage`` that failed and the uploaded file's name; returns the
    reference for the page to show.
    """
    reference = secrets.token_hex(4)
    extra = {"event": event, "ref": reference}
    if stage:
        extra["stage"] = stage
    if file_name:
        extra["file_name"] = plain(file_name, FAILURE_CHARS)
    if error is None:
        log.exception(message, extra=extra)
    else:
        log.error(
            message, exc_info=(type(error), error, error.__traceback__), extra=extra
        )
    return reference


def report_page_error() -> str:
    """Log the exception being handled, with its trace, and tell the reader.

    The page shows a short reference and no trace; the log line (JSON, see
    :mod:`imu_geo.logs`) has the same reference and the whole trace.
    """
    reference = log_error("a page failed", "page_error")
    st.error(
        "Part of this page could not be shown because of an error. Nothing was "
        f"changed. The server's log has the details under reference {reference}.",
        icon=":material/error:",
    )
    return reference


@contextmanager
def script() -> Iterator[None]:
    """Around the whole app script (``app.py``): an error that escapes the frame,
    e.g. in the navigation, is reported like a page's."""
    try:
        yield
    except Exception:
        report_page_error()


def page_context() -> tuple[LoadedData, FilterSpec]:
    """The dataset and the current spec, for a page script.

    A page can also run without the frame (AppTest of a page file, or a script
    opened directly); it then draws the shared filters itself, with the same state
    keys, so the view is the same either way. Page scripts live in ``views/``, not
    ``pages/``: a ``pages/`` folder beside ``app.py`` puts Streamlit into its legacy
    folder mode, which runs the page without the frame and gives its widgets other
    identities, so filter state is lost between the first runs of a session.
    """
    standalone = not getattr(_frame_state, "active", False)
    if standalone:
        with reporting():
            upload_controls()
    data = require_dataset()
    spec = current_spec(data)
    if standalone:
        spec = filter_controls(data)
        sync_url(spec, data)
    return data, spec


# --- the user's own file --------------------------------------------------------

_UPLOAD_KEY = "_upload"
_NOTICES_KEY = "_upload_notices"
# An upload's one-line reason, or a note about the file, is cut to this length.
FAILURE_CHARS = 300
_SHOW_KEY = "v_show"
_SHOW_WIDGET = "u_show"
UPLOAD_TYPES = ("csv", "tsv", "txt", "geojson", "json", "parquet", "xlsx", "zip", "gz")
SHOW_LABELS = {
    "atlas": "Curated atlas",
    "upload": "Your file",
    "both": "Both, overlaid",
}


@dataclass
class Upload:
    """One session's imported file: the result, and the data ready to show."""

    key: tuple
    name: str
    result: ImportResult | None
    failure: str = ""
    data: LoadedData | None = None
    combined: LoadedData | None = None
    combined_failed: bool = False
    store_key: str = ""


# An upload's store left behind by a session that ended without forgetting it.
UPLOAD_STORE_MAX_AGE_S = 24 * 3600


def UPLOAD_STORE_ROOT() -> Path:  # noqa: N802 - a setting, read when used
    """Where uploads' stores are kept: apart from the data folders', so that
    forgetting a file deletes its store."""
    return default_root() / "uploads"


def _upload_dataset(name: str, result: ImportResult) -> Dataset:
    """An import's events as a dataset, with the world's units where its places
    are."""
    regions = world.regions_for_places(
        result.places, points=import_writing.own_points(result.events)
    )
    return assemble_dataset(
        Path(name), result.events, result.places, regions, result.source_columns
    )


# How the page names the command line's date-order option in a refusal.
_DATE_ORDER_HINT = "with --date-order dmy|mdy"
DATE_ORDER_LABELS = {
    "auto": "Decide from each date column",
    "dmy": "Day first (D/M/Y)",
    "mdy": "Month first (M/D/Y)",
    "ymd": "Year first (Y/M/D)",
}


def _import_upload(
    name: str, read, fmt: str, key: tuple, date_order: str = "auto"
) -> Upload:
    """Read (``read()`` gives the bytes), import and prepare one uploaded file.

    Whatever goes wrong becomes a one-line reason in ``Upload.failure``: the
    importer's own refusal as it words it; anything else as a short reason with
    a reference, and a log line with the same reference and the whole trace.
    """
    stage = "read"
    try:
        payload = read()
        stage = "import"
        try:
            result = import_file(name, payload, fmt, date_order=date_order)
        except InternalImportError as failure:
            # Not the file's fault: the importer's one line, with a reference to
            # the log line that has the original error and its trace.
            reference = log_error(
                "an upload failed",
                "upload_error",
                stage,
                name,
                error=failure.__cause__ or failure,
            )
            return Upload(
                key,
                name,
                None,
                f"{plain(failure, FAILURE_CHARS)}. Nothing was changed. The "
                f"server's log has the details under reference {reference}.",
            )
        except ImportFailure as failure:
            reason = str(failure).replace(
                _DATE_ORDER_HINT, "under Day and month order in this box"
            )
            return Upload(key, name, None, plain(reason, FAILURE_CHARS))
        upload = Upload(key, name, result)
        if len(result.events):
            stage = "dataset"
            upload.store_key = content_key(
                [payload, repr((fmt, date_order)).encode()], "upload"
            )
            remove_stale_stores(UPLOAD_STORE_ROOT(), UPLOAD_STORE_MAX_AGE_S)
            upload.data = prepare(
                _upload_dataset(name, result),
                upload.store_key,
                UPLOAD_STORE_ROOT(),
                anywhere=True,
            )
            # The session keeps the report, not the rows: the store has them.
            upload.result = replace(
                result,
                events=result.events.iloc[:0],
                places=result.places.iloc[:0],
                source_columns=result.source_columns.iloc[:0],
            )
        return upload
    except Exception as error:
        reference = log_error("an upload failed", "upload_error", stage, name)
        return Upload(key, name, None, upload_failure(name, stage, error, reference))


def upload_controls() -> None:
    """The sidebar box to bring one's own events: upload, report, what to show.

    The file's events are written to a store of their own (under the store
    root's ``uploads`` folder, named by a hash of the file's bytes), which the
    engine queries; nothing is written to the data folder, no other session is
    pointed at it, and it is deleted when the file is forgotten or replaced, or
    a day after it was last opened.
    """
    box = st.sidebar.expander(
        "Your data", icon=":material/upload_file:", expanded=False
    )
    file = box.file_uploader(
        "Events file (CSV, GeoJSON, Parquet or Excel; or a .zip or .gz of one)",
        type=list(UPLOAD_TYPES),
        key=f"u_file_{st.session_state.get('u_file_n', 0)}",
        help="Our schema, or ACLED, UCDP GED or GTD columns. Only this browser "
        "session is shown it. Its events are kept on the server in a store of "
        "their own while you use them, deleted when you forget or replace the "
        "file, or a day after it was last opened. With more than 300 events the "
        "map keeps a copy of their points at an address only this session is "
        "given, deleted when you forget the file or after 30 minutes unused.",
    )
    fmt = box.selectbox(
        "Format",
        options=["auto", *FORMATS],
        format_func=lambda f: "Detect from the columns" if f == "auto" else f,
        key="u_format",
    )
    date_order = box.selectbox(
        "Day and month order",
        options=list(DATE_ORDER_LABELS),
        format_func=DATE_ORDER_LABELS.get,
        key="u_date_order",
        help="Only for dates written in numbers such as 03/04/2001. By default "
        "each date column decides (a day above 12 settles it); a column where "
        "every date reads both ways is refused until you choose.",
    )
    upload = st.session_state.get(_UPLOAD_KEY)
    key = (getattr(file, "file_id", None), fmt, date_order)
    if file is not None and (upload is None or upload.key != key):
        with box, st.spinner("Reading and checking every row…"):
            upload = _import_upload(file.name, file.getvalue, fmt, key, date_order)
        previous = st.session_state.get(_UPLOAD_KEY)
        if previous is not None:
            _forget_point_files(previous)
            _forget_stores(previous, keep=upload)
        st.session_state[_UPLOAD_KEY] = upload
        _set_shown("upload" if upload.data is not None else "atlas")
    for notice in st.session_state.pop(_NOTICES_KEY, []):
        box.warning(escape_markdown(notice), icon=":material/warning:")
    # The import is kept until the user forgets it, even if the uploader widget
    # loses its file (Streamlit may reset widgets when the page changes).
    if upload is None:
        return
    if upload.failure:
        box.error(escape_markdown(upload.failure), icon=":material/error:")
    else:
        result = upload.result
        box.markdown(
            escape_markdown(f"{plain(upload.name, QUOTE_CHARS)}: {result.summary()}")
        )
        for note in result.file_notes:
            box.caption(escape_markdown(note, FAILURE_CHARS))
        if len(result.report):
            table(result.report.head(1000), hide_index=True, height=180, where=box)
            download(
                "Download the report (CSV)",
                lambda: table_csv_bytes(result.report_frame()),
                "imu-geo-import-report.csv",
                where=box,
            )
        box.caption(
            escape_markdown(
                f"{result.column_summary()}. A kept column stays with its "
                "event, and the CSV download can include it."
            )
        )
        table(
            result.column_map,
            where=box,
            hide_index=True,
            height=180,
            column_config={
                "column": st.column_config.TextColumn("Column of the file"),
                "what": st.column_config.TextColumn("Where it went"),
            },
        )
        if upload.data is None:
            box.warning("No row could be used, so the atlas stays on screen.")
        else:
            if _SHOW_WIDGET not in st.session_state:
                st.session_state[_SHOW_WIDGET] = _shown()
            box.radio(
                "Show",
                options=list(SHOW_LABELS),
                format_func=SHOW_LABELS.get,
                index=list(SHOW_LABELS).index(_shown()),
                key=_SHOW_WIDGET,
                on_change=lambda: _set_shown(st.session_state[_SHOW_WIDGET]),
                help="Your file alone, or on top of the curated atlas.",
            )
    box.button("Forget my file", on_click=_forget_upload, icon=":material/delete:")


def _shown() -> str:
    return st.session_state.get(_SHOW_KEY, "atlas")


def _set_shown(value: str) -> None:
    """Choose the dataset on screen (from a callback, or before the radio)."""
    st.session_state[_SHOW_KEY] = value
    st.session_state[_SHOW_WIDGET] = value


def _forget_stores(upload: Upload, keep: Upload | None = None) -> None:
    """Delete the stores written for an upload (alone and overlaid), except
    those the upload replacing it uses (the same file again)."""
    kept = {
        loaded.source.store.path
        for loaded in (getattr(keep, "data", None), getattr(keep, "combined", None))
        if loaded is not None
    }
    for loaded in (upload.data, upload.combined):
        if loaded is not None and loaded.source.store.path not in kept:
            remove_store(loaded.source.store.path)


def _forget_upload() -> None:
    upload = st.session_state.pop(_UPLOAD_KEY, None)
    if upload is not None:
        _forget_point_files(upload)
        _forget_stores(upload)
    # A new uploader key gives an empty uploader.
    st.session_state["u_file_n"] = st.session_state.get("u_file_n", 0) + 1
    _set_shown("atlas")


def dataset_marker(data: LoadedData) -> None:
    """Say which dataset is on screen when it is not the curated atlas alone."""
    if showing_atlas():
        return
    if not _upload_shown():
        folder = escape_markdown(default_data_dir().name, QUOTE_CHARS)
        n = data.n_events
        st.info(
            f"Showing the data folder “{folder}” ({n:,} events), not the curated "
            "atlas.",
            icon=":material/folder_open:",
        )
        return
    upload = st.session_state[_UPLOAD_KEY]
    name = escape_markdown(upload.name, QUOTE_CHARS)
    n = upload.data.n_events
    if _shown() == "upload":
        text = f"Showing your file {name} ({n:,} events), not the curated atlas."
    else:
        text = f"Showing the curated atlas with your file {name} ({n:,} events) on top."
    st.info(text, icon=":material/upload_file:")


# --- the map at any size ----------------------------------------------------------

POINTS_URL = "app/static/points"
# The Map page's map as a 1,400-pixel-wide window draws it (3/4 of the page
# beside the sidebar), 600 pixels high.
MAP_SIZE = (640, 600)


def _map_frame(data: LoadedData) -> tuple[dict, str]:
    return map_view(data, *MAP_SIZE), data.basemap


FALLBACK_POINTS = 5_000


@st.cache_resource
def point_store() -> PointStore:
    """The folder of map point files of this server process.

    Each process has its own folder under ``static/points`` (two servers on one
    checkout must not delete each other's files), holding a lock on it while it
    runs; folders nobody holds are removed, and this one is removed at exit.
    The frame creates it on the first run, which starts its sweeper: idle files
    are deleted on a timer, whatever else happens.
    """
    root = POINTS_ROOT
    try:
        removed = remove_stale_folders(root)
        if removed:
            log.info("removed %d point folder(s) of stopped servers", removed)
    except OSError:
        log.exception("the point folder %s cannot be tidied", root)
    name = process_folder_name()
    store = PointStore(root / name, f"{POINTS_URL}/{name}")
    try:
        store.holder = hold_folder(store.folder)  # kept open while the server runs
    except OSError:
        log.exception("the point folder %s cannot be created", store.folder)
    atexit.register(store.remove_folder)
    store.sweeper = start_sweeper(store, root)
    return store


def _forget_point_files(upload: Upload) -> None:
    """Delete the map's point files of ``upload``. When that fails the files
    still expire (see :mod:`imu_geo.pointfiles`); the reader is told, with a
    reference to the log."""
    try:
        store = point_store()
        for loaded in (upload.data, upload.combined):
            if loaded is not None:
                store.forget(repr(loaded.key))
    except Exception:
        reference = log_error(
            "an upload's point files could not be deleted",
            "upload_error",
            "point_files",
            upload.name,
        )
        st.session_state.setdefault(_NOTICES_KEY, []).append(
            "The map's copy of your previous file could not be deleted now; it "
            f"is deleted after {MAX_IDLE_S // 60} minutes unused. The server's log "
            f"has the details under reference {reference}."
        )


@st.cache_resource(max_entries=64)
def _facet_counts(key: tuple, facets: tuple, _source: EventSource, _spec: FilterSpec):
    # Keyed by the dataset's key and the filters but time, not the window.
    del key, facets
    return _source.layer_counts(_source.whole(_spec))


def facet_counts(data: LoadedData, spec: FilterSpec) -> dict[str, int]:
    """How many events of each layer pass every filter but time: asked once per
    dataset and filters, not at every step of the window."""
    facets = (_facet_key(spec), tuple(spec.layers))
    return _facet_counts(data.key, facets, data.source, spec)


def facet_count(data: LoadedData, spec: FilterSpec) -> int:
    """How many events pass every filter but time."""
    return sum(facet_counts(data, spec).values())


def over_point_budget(data: LoadedData, spec: FilterSpec) -> bool:
    """Whether more events pass the filters than the map can hold as points in
    the browser (:data:`imu_geo.pointfiles.POINT_BUDGET`)."""
    return facet_count(data, spec) > POINT_BUDGET


@st.cache_resource(max_entries=16)
def _density_grid(key: tuple, facets: tuple, _source: EventSource, _spec):
    """The cell size and the busiest cell over all of time, for the events
    passing the filters: the grid and colours stay the same while the window
    moves, so steps compare."""
    del key, facets  # only the cache key
    cell = density_cell_deg(_source.store.bounds)
    cells, drawn = bound_cells(_source.density(_source.whole(_spec), cell), cell)
    return drawn, int(cells["events"].max()) if len(cells) else 0


def density_grid(data: LoadedData, spec: FilterSpec) -> tuple[float, int]:
    facets = (_facet_key(spec), tuple(spec.layers))
    return _density_grid(data.key, facets, data.source, spec)


def density_deck(data: LoadedData, spec: FilterSpec, candidates: int):
    """The map as grid cells counted by the engine at each step, with its notice."""
    cell, top = density_grid(data, spec)
    cells, drawn = bound_cells(data.source.density(spec, cell), cell)
    deck = build_density_deck(cells, drawn, *_map_frame(data), scale_max=top)
    return deck, density_notice(candidates, drawn, POINT_BUDGET)


def map_legend(data: LoadedData, spec: FilterSpec) -> str:
    """The legend of the map :func:`map_deck` draws, as SVG."""
    if not over_point_budget(data, spec):
        return legend_svg()
    return density_legend_svg(*density_grid(data, spec))


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


def _facet_key(spec: FilterSpec) -> tuple:
    return (
        spec.event_types,
        spec.actors,
        spec.countries,
        spec.attributions,
        spec.text.strip().casefold(),
        spec.source_types,
        spec.region,
    )


# What a map point file is made of (see :func:`imu_geo.pointfiles.point_records`).
POINT_COLUMNS: tuple[str, ...] = (
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "fatalities_best",
    "title",
    "lat",
    "lon",
)


def _point_file(data: LoadedData, spec: FilterSpec, layer: str) -> bytes:
    """The point file of one layer: every event of the layer passing the
    filters but time, read from the engine."""
    part = data.source.rows(replace(spec, layers=(layer,)), POINT_COLUMNS, time=False)
    return point_file_bytes(
        point_records(
            part,
            part["row_id"].to_numpy(),
            large_colour_codes(part, layer).to_numpy(),
            large_radii(part, layer).to_numpy(),
        )
    )


def map_deck(data: LoadedData, spec: FilterSpec, rows: Selection):
    """The deck for the selected events, and a notice to show with it (or "").

    Up to :data:`INLINE_LIMIT` events (after the non-time filters) the events are
    in the deck itself, with every detail (areas, arcs, halos). Above it each
    layer's points are written once to a point file and filtered by date in the
    browser, so a slider step sends only the new date range.
    """
    by_layer = facet_counts(data, spec)
    candidates = sum(by_layer.values())
    if candidates > POINT_BUDGET:
        return density_deck(data, spec, candidates)
    if candidates <= INLINE_LIMIT:
        selected = rows.frame(DECK_COLUMNS).drop(columns="row_id")
        deck = build_deck(
            selected, data.display_geometry, map_options(), *_map_frame(data)
        )
        return deck, ""
    store = point_store()
    urls = {}
    try:
        for layer in spec.layers:
            if not by_layer.get(layer):
                continue

            def build(layer=layer) -> bytes:
                return _point_file(data, spec, layer)

            key = (data.key, _facet_key(spec), layer)
            if store.has(key):
                urls[layer] = store.ensure(key, build, group=repr(data.key))
                continue
            with st.spinner(f"Preparing the map's {layer} points…"):
                urls[layer] = store.ensure(key, build, group=repr(data.key))
    except Exception as error:
        if isinstance(error, OSError | PointFileTooLarge):
            log.warning("map points served inline instead of from a file: %s", error)
            logged = ""
        else:
            reference = log_error(
                "the map's point file failed", "point_file_error", "point_files"
            )
            logged = f" The server's log has the details under reference {reference}."
        step = max(1, -(-len(rows) // FALLBACK_POINTS))
        selected = rows.frame(DECK_COLUMNS).iloc[::step].drop(columns="row_id")
        notice = (
            f"The map shows {len(selected):,} of the {len(rows):,} events in the "
            "window, evenly spread in time: the map's point file could not be "
            "prepared. The table and downloads hold all of them." + logged
        )
        deck = build_deck(
            selected.reset_index(drop=True),
            data.display_geometry,
            map_options(),
            *_map_frame(data),
        )
        return deck, notice
    days = epoch_days(pd.Series(pd.to_datetime([spec.start, spec.end])))
    deck = build_large_deck(
        urls,
        date_filter_range(int(days[0]), int(days[1]), spec.mode == "cumulative"),
        *_map_frame(data),
    )
    notice = (
        f"{candidates:,} events pass the filters, so the map draws each as a "
        "dot and filters them by date in your browser; base areas, relocation arcs "
        f"and place halos are drawn when at most {INLINE_LIMIT:,} events pass. "
        "Hollow dots still mark vague dates; each event's place precision is in "
        "the table and the details."
    )
    return deck, notice


def event_rows(data: LoadedData, event_id: str | None) -> pd.DataFrame:
    """The chosen event as a one-row frame (empty when none is chosen or it is
    not in this dataset), for :func:`imu_geo.views.event_details`."""
    if not event_id:
        return pd.DataFrame(columns=list(data.source.columns))
    return data.source.event_rows(str(event_id))


def selection_bytes(rows: Selection, fmt: str, with_source: bool = False) -> bytes:
    """The selected events as the download of ``fmt`` (``csv`` or ``geojson``),
    the same bytes as ``imu-geo export`` writes (with the file's own columns in
    a CSV when asked)."""
    buffer = io.BytesIO()
    write_selection(buffer, rows.source, rows.spec, fmt, with_source)
    return buffer.getvalue()


def vocabulary_tables(data: LoadedData) -> dict:
    """Each vocabulary's table (:func:`imu_geo.method.vocabulary_table`), as the
    store wrote it once."""
    return data.source.store.vocabularies


def picked_event(data: LoadedData, picked) -> str:
    """The event id of a point clicked on the map, or "".

    An inline point carries its ``event_id``; a point from a point file carries
    its ``row_id`` in the store (``i``).
    """
    if not isinstance(picked, dict):
        return ""
    if picked.get("event_id"):
        return from_deck_text(str(picked["event_id"]))
    position = picked.get("i")
    if isinstance(position, int) and 0 <= position < data.n_events:
        return data.source.event_id_of(position)
    return ""


# --- the story: the tour's place, pictures and animations -----------------------

_PAGE_QUERY_KEY = "_page_query"
_PENDING_WINDOW_KEY = "_pending_window"
# Marks a pending window that Play set (see _apply_pending_window).
_PLAYING = "playing"
_TOUR_KEY = "v_tour"
_TOUR_SHAPE_KEY = "_tour_shape"
_TOUR_WARNING_KEY = "_tour_warning"
_TOUR_AUTO_KEY = "_tour_auto"
_ANIMATION_KEY = "_animation_job"
TOUR_INTERVAL_S = 12


def _page_query() -> dict[str, str]:
    """Query parameters of the page on screen (the tour's stop), kept in the URL
    beside the view's; the frame forgets them before each page runs."""
    return dict(st.session_state.get(_PAGE_QUERY_KEY, {}))


def keep_in_url(params: dict[str, str]) -> None:
    """Keep a page's own parameters in the address bar, e.g. ``tour=2``."""
    st.session_state[_PAGE_QUERY_KEY] = dict(params)
    for key, value in params.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def _apply_pending_window(data: LoadedData) -> None:
    """Apply a window set where the slider was already drawn (a fragment, or
    after the page), before the slider is drawn again. A window that Play set
    keeps Play going; any other stops it, as :func:`set_window` does."""
    pending = st.session_state.pop(_PENDING_WINDOW_KEY, None)
    if not pending:
        return
    first, last, *how = pending
    if how == [_PLAYING]:
        _put("window", (first, last))
    else:
        set_window(data, first, last)


def _window_of(data: LoadedData, start: date, end: date) -> tuple[date, date]:
    """The slider's value for a window, snapped as :func:`set_window` does."""
    months = list(data.months)
    first = max(month_start(start), months[0])
    last = min(month_start(end), months[-1])
    return (months[0], months[-1]) if last < first else (first, last)


def at_window(data: LoadedData, start: date, end: date) -> bool:
    """True when the shared window is the one :func:`set_window` would set."""
    return tuple(_value("window")) == _window_of(data, start, end)


def move_window(data: LoadedData, start: date, end: date) -> None:
    """Move the shared window from a page's body, where the slider is already
    drawn: the page runs again at once with the new window."""
    st.session_state[_PENDING_WINDOW_KEY] = (start, end)
    st.rerun()


def go_to_stop(data: LoadedData, tour, number: int) -> None:
    """Show stop ``number`` of ``tour`` (a widget callback): its window, and a
    fresh start for auto-advance."""
    state = st.session_state
    state[_TOUR_KEY] = number
    stop = tour.stops[number - 1]
    set_window(data, stop.start, stop.end)
    if state.get(_TOUR_AUTO_KEY):
        state[_TOUR_AUTO_KEY] = (time.monotonic(), number)


def link_params() -> dict[str, str]:
    """The address bar's parameters as the page was opened: call it before
    :func:`page_context`, which rewrites them when a page runs on its own."""
    return {key: st.query_params.get(key) for key in st.query_params}


def tour_position(data: LoadedData, tour, link: dict[str, str]) -> int:
    """The stop on screen (1 for the first), kept in the URL as ``tour=N``.

    On arrival it comes from the link (``link``, see :func:`link_params`; a bad
    value warns and gives the first stop) and the window goes to the stop,
    unless the link also carries a window, which is then kept as it was shared.
    """
    state = st.session_state
    number = state.get(_TOUR_KEY)
    shape = (tour.kind, len(tour))
    if number is None or state.get(_TOUR_SHAPE_KEY) != shape:
        raw = link.get(TOUR_PARAM)
        number, warning = stop_number(raw, tour)
        state[_TOUR_KEY] = number
        state[_TOUR_SHAPE_KEY] = shape
        state[_TOUR_WARNING_KEY] = warning
        stop = tour.stops[number - 1]
        carried = raw is not None and "start" in link and not warning
        if not carried and not at_window(data, stop.start, stop.end):
            move_window(data, stop.start, stop.end)
    warning = state.pop(_TOUR_WARNING_KEY, "")
    if warning:
        st.warning(escape_markdown(warning), icon=":material/link:")
    keep_in_url({TOUR_PARAM: str(number)})
    return number


def tour_auto_on() -> bool:
    """True while the tour advances by itself."""
    return bool(st.session_state.get(_TOUR_AUTO_KEY))


def toggle_tour_auto(number: int) -> None:
    """Start or stop auto-advance (a widget callback)."""
    state = st.session_state
    state[_TOUR_AUTO_KEY] = (
        None
        if state.get(_TOUR_AUTO_KEY)
        else (
            time.monotonic(),
            number,
        )
    )


def run_tour_auto(data: LoadedData, tour) -> None:
    """While auto-advance is on, go to the next stop every
    :data:`TOUR_INTERVAL_S` seconds, stopping at the last."""
    if not tour_auto_on():
        return

    @st.fragment(run_every=1.0)
    def _tick() -> None:
        origin = st.session_state.get(_TOUR_AUTO_KEY)
        if not origin:
            return
        started, first = origin
        target = min(
            first + int((time.monotonic() - started) / TOUR_INTERVAL_S), len(tour)
        )
        if target >= len(tour):
            st.session_state[_TOUR_AUTO_KEY] = None
        if target != st.session_state.get(_TOUR_KEY):
            # This also runs inline in a full run, after the slider is drawn:
            # the window moves in the run that follows, before the slider.
            stop = tour.stops[target - 1]
            st.session_state[_TOUR_KEY] = target
            st.session_state[_PENDING_WINDOW_KEY] = (stop.start, stop.end)
            st.rerun(scope="app")

    _tick()


@st.cache_resource(max_entries=4, show_spinner="Preparing the map picture…")
def _picture_basemap(key: tuple, _regions, _places, _bounds):
    del key  # only the cache key
    points = None
    if _bounds is not None:
        # The events' own points reach as far as the store's bounds say.
        west, south, east, north = _bounds
        points = pd.DataFrame({"lon": [west, east], "lat": [south, north]})
    return build_basemap(_regions, _places, points)


def picture_basemap(data: LoadedData):
    """The projected basemap of the pictures, once per dataset."""
    store = data.source.store
    return _picture_basemap(data.key, data.regions, data.places, store.bounds)


def picture_words(data: LoadedData):
    """The heading and credit line of a picture of the data on screen."""
    if showing_atlas():
        return picture_text("atlas")
    if not _upload_shown():
        return picture_text("folder", default_data_dir().name)
    upload = st.session_state[_UPLOAD_KEY]
    return picture_text("upload" if _shown() == "upload" else "both", upload.name)


def _picture_events(data: LoadedData, rows: Selection) -> pd.DataFrame:
    """The columns a picture reads, of the selected events: only the layer and
    the point when so many have a point that the picture shades their density
    (:func:`imu_geo.render.picture_events`)."""
    points = rows.frame(["lat", "lon"])
    located = int((points["lat"].notna() & points["lon"].notna()).sum())
    columns = DENSITY_COLUMNS if located > DENSITY_LIMIT else RENDER_COLUMNS
    return rows.frame(columns).drop(columns="row_id")


def picture_downloads(data: LoadedData, spec: FilterSpec, rows, where=st) -> None:
    """*Download map* as PNG and SVG: the view drawn on the server, built when a
    button is clicked (:func:`imu_geo.render.picture_bytes`)."""
    basemap = picture_basemap(data)
    words = picture_words(data)
    options = map_options()
    left, right = where.columns(2)
    for column, fmt, mime in (
        (left, "png", "image/png"),
        (right, "svg", "image/svg+xml"),
    ):

        def build(fmt=fmt) -> bytes:
            return picture_bytes(
                _picture_events(data, rows), spec, basemap, words, fmt, options
            )

        download(
            f"Download map ({fmt.upper()})",
            build,
            f"imu-geo-map-{spec.start:%Y-%m}-{spec.end:%Y-%m}.{fmt}",
            mime,
            where=column,
        )


def animation_panel(data: LoadedData, spec: FilterSpec, rows) -> None:
    """*Download animation*: the playback over the window as GIF or MP4.

    The build runs in the background with a progress bar and a Cancel button;
    the caps of :func:`imu_geo.animation.plan_animation` are checked first and
    their sentence shown instead of a button when they refuse.
    """
    box = st.expander("Download animation (GIF or MP4)", icon=":material/movie:")
    fmt_col, step_col, fps_col, size_col = box.columns(4)
    fmt = fmt_col.radio(
        "Format", anim.FORMATS, format_func=str.upper, horizontal=True, key="a_fmt"
    )
    step_name = step_col.selectbox(
        "Step",
        options=list(PLAY_STEPS),
        index=list(PLAY_STEPS).index(_value("step")),
        help="One frame per step, as Play moves the window.",
        key="a_step",
    )
    fps = fps_col.slider(
        "Frames a second", *anim.FPS_RANGE, value=anim.DEFAULT_FPS, key="a_fps"
    )
    size_name = size_col.selectbox(
        "Size (pixels)",
        options=list(anim.SIZES),
        index=list(anim.SIZES.values()).index(anim.DEFAULT_SIZE),
        key="a_size",
    )
    step, size = PLAY_STEPS[step_name], anim.SIZES[size_name]
    frames, refusal = anim.plan_animation(spec, step, fmt, size)
    if refusal:
        box.warning(refusal, icon=":material/block:")
        return
    box.caption(
        f"The window {window_words(spec)}, one frame per "
        f"{anim.STEP_WORDS[step]}: {anim.duration_words(len(frames), fps)}. "
        f"At most {anim.MAX_FRAMES} frames, and "
        f"{anim.MAX_GIF_PIXELS // 1_000_000} million pixels for a GIF."
    )
    options = map_options()
    key = (data.key, spec, step, fps, fmt, size, options)
    job = st.session_state.get(_ANIMATION_KEY)
    if job is not None and job.running:
        with box:
            _animation_progress()
        return
    if job is not None and job.key == key and job.result is not None:
        box.download_button(
            f"Download animation ({fmt.upper()})",
            data=job.result,
            file_name=f"imu-geo-{spec.start:%Y-%m}-{spec.end:%Y-%m}.{fmt}",
            mime=anim.MIME_TYPES[fmt],
            on_click="ignore",
            icon=":material/download:",
        )
    elif job is not None and job.key == key and job.was_cancelled:
        box.info(
            f"Cancelled after {job.done} of {job.total or len(frames)} frames.",
            icon=":material/cancel:",
        )
    elif job is not None and job.key == key and job.error:
        log.error("animation failed: %s", job.error)
        box.error(escape_markdown(job.error), icon=":material/error:")
    if box.button("Build the animation", icon=":material/movie:", key="a_build"):
        # Every column: a frame of few events draws dots, whatever the total.
        candidates = rows.frame(RENDER_COLUMNS).drop(columns="row_id")
        basemap = picture_basemap(data)
        words = picture_words(data)

        def build(progress, cancelled) -> bytes:
            return anim.animation_bytes(
                candidates,
                spec,
                basemap,
                words,
                step,
                fps,
                fmt,
                options,
                size,
                progress=progress,
                cancelled=cancelled,
            )

        st.session_state[_ANIMATION_KEY] = anim.AnimationJob(
            key, build, total=len(frames)
        ).start()
        st.rerun()


@st.fragment(run_every=0.5)
def _animation_progress() -> None:
    """The running build's progress bar and Cancel button, refreshed twice a
    second; when the build ends the page runs again to offer the file."""
    job = st.session_state.get(_ANIMATION_KEY)
    if job is None or not job.running:
        st.rerun(scope="app")
    total = max(job.total, 1)
    text = (
        f"Drawing frame {job.done + 1} of {job.total}…"
        if job.done < job.total
        else "Writing the file…"
    )
    st.progress(min(job.done / total, 1.0), text=text)
    if st.button("Cancel", icon=":material/cancel:", key="a_cancel"):
        job.cancel()


# --- the scrubber under the map ---------------------------------------------------


@st.cache_resource(max_entries=64)
def _monthly_counts(key: tuple, facets: tuple, _source: EventSource, _spec):
    del key, facets  # only the cache key
    return _source.monthly_counts(_spec)


def monthly_counts(data: LoadedData, spec: FilterSpec):
    """The events passing every filter but time, per month, layer and vagueness
    (:meth:`EventSource.monthly_counts`): they do not depend on the window, so
    they are asked once per dataset and filters (shared; never mutated)."""
    facets = (_facet_key(spec), tuple(spec.layers))
    return _monthly_counts(data.key, facets, data.source, spec)


@st.cache_resource(max_entries=64)
def _scrubber_rows(key: tuple, facets: tuple, _counts):
    del key, facets  # only the cache key
    return scrubber_rows(_counts)


def _on_scrub(data: LoadedData, key: str) -> None:
    """A drag or click on the scrubber becomes the shared time window."""
    chosen = st.session_state.get(key)
    window = window_from_scrub(
        chosen["selection"] if chosen else None, tuple(_value("window")), data.months
    )
    if window:
        set_window(data, *window)


def scrubber(data: LoadedData, spec: FilterSpec, where=st) -> None:
    """The events per month over the whole span, under a page's map, with the
    time window as a brush (:mod:`imu_geo.scrubber`).

    The brush is drawn from ``spec`` at every run, so the slider, Play and the
    URL move it; a drag or click on it sets the window from its callback,
    before the slider is drawn, so all of them follow.
    """
    facets = (_facet_key(spec), tuple(spec.layers))
    rows = _scrubber_rows(data.key, facets, monthly_counts(data, spec))
    chart = build_scrubber(rows, spec, data.default_spec).properties(
        description=SCRUB_LABEL
    )
    # A new key for each window: a brush left from an earlier window must not be
    # read again, and the new chart starts from the window as it is.
    key = f"scrub-{dataset_tag(data)}-{spec.start:%Y-%m}-{spec.end:%Y-%m}"
    where.altair_chart(
        chart,
        width="stretch",
        key=key,
        on_select=partial(_on_scrub, data, key),
        selection_mode=list(SCRUB_MODES),
    )
    where.caption(SCRUB_LABEL)


# --- the region filter: a click on a unit ---------------------------------------

_REGION_KEY = "v_region"
# How many units were clicked in this session: part of the id of the layers a
# click picks from, so that the browser drops a pick once it is handled (a kept
# pick would dim every other object on the map, and could not be clicked again).
_REGION_PICKS_KEY = "_region_picks"
REGION_PICK_LAYER = "region-pick"
UNITS_FILE_GROUP = "units"


def current_region(data: LoadedData):
    """The unit the events are filtered to (a :class:`imu_geo.filters.Unit`), or
    None; a unit this dataset does not have is dropped."""
    unit = st.session_state.get(_REGION_KEY)
    if unit is None:
        return None
    if data.source.store.units.get(unit.region_id) != unit:
        st.session_state[_REGION_KEY] = None
        return None
    return unit


def toggle_region(data: LoadedData, region_id: str) -> None:
    """Filter to the unit ``region_id``; when it is the unit already filtered
    to, show every region again. An id this dataset has no unit of changes
    nothing."""
    unit = data.source.store.units.get(str(region_id))
    if unit is None:
        return
    current = current_region(data)
    st.session_state[_REGION_KEY] = None if current == unit else unit
    st.session_state[_STATE_KEYS["playing"]] = False


def clear_region() -> None:
    """Show every region again."""
    st.session_state[_REGION_KEY] = None


def region_picks() -> int:
    return int(st.session_state.get(_REGION_PICKS_KEY, 0))


def pick_layer_id(base: str) -> str:
    """The id of a layer whose units can be clicked: ``base``, then a new id
    after every handled click (see :data:`_REGION_PICKS_KEY`)."""
    picks = region_picks()
    return base if picks == 0 else f"{base}-{picks}"


def _picked_region_id(picked: object) -> str:
    """The unit id of a picked object: a choropleth record carries it as
    ``region_id``, a feature of the units file as ``properties.id``."""
    if not isinstance(picked, dict):
        return ""
    if picked.get("region_id"):
        return str(picked["region_id"])
    properties = picked.get("properties")
    if isinstance(properties, dict) and properties.get("id"):
        return str(properties["id"])
    return ""


def on_region_pick(data: LoadedData, key: str, layer_base: str) -> None:
    """The callback of a map whose units can be clicked: a click on a unit of
    the layer ``layer_base`` filters to it, or clears the filter when it is the
    unit already filtered to. Other picks (an event) are the page's."""
    chosen = st.session_state.get(key) or {}
    objects = (chosen.get("selection") or {}).get("objects") or {}
    for layer_id, picked in objects.items():
        if layer_id != layer_base and not layer_id.startswith(f"{layer_base}-"):
            continue
        for obj in picked or []:
            region_id = _picked_region_id(obj)
            if region_id:
                toggle_region(data, region_id)
                st.session_state[_REGION_PICKS_KEY] = region_picks() + 1
                return


def region_words(unit) -> str:
    """How the filter is said beside its button: the unit, its level, and what
    being in it means."""
    noun = {"country": "country", "admin1": "province (admin-1 unit)"}.get(
        unit.level, "region"
    )
    return (
        f"Region: {escape_markdown(unit.label)}, a {noun}. Only the events whose "
        "place lies in it are shown; events placed only at a coarser level (its "
        "country, a wider region) are not."
    )


def region_control(data: LoadedData, where=None) -> None:
    """The region filter in the sidebar: what it keeps and one button to clear
    it; nothing when no region is chosen."""
    where = where or st.sidebar
    unit = current_region(data)
    if unit is None:
        return
    where.caption(region_words(unit))
    where.button(
        "Clear region filter",
        icon=":material/close:",
        on_click=clear_region,
        key="region_clear",
        width="stretch",
    )


def _units_file(data: LoadedData) -> str:
    """The URL of the dataset's units as GeoJSON, written once per dataset."""
    return point_store().ensure(
        (data.key, UNITS_FILE_GROUP),
        lambda: units_geojson_bytes(data.regions),
        group=repr(data.key),
        suffix=".geojson",
    )


def add_region_picker(deck, data: LoadedData) -> None:
    """Make the units of ``deck``'s map clickable: a transparent layer of the
    dataset's units above the basemap's layers and below the events (which win
    a click),
    finest units on top, so a click picks the admin-1 unit under it (the
    country where there is none). Nothing is added when the file cannot be
    written; the map still works."""
    try:
        url = _units_file(data)
    except (OSError, PointFileTooLarge) as error:
        log.warning("the map's units cannot be clicked: %s", error)
        return
    layer = region_pick_layer(url, pick_layer_id(REGION_PICK_LAYER))
    # Right above the basemap's own layers (its fill, lines and labels).
    ids = [getattr(each, "id", None) for each in deck.layers]
    basemap = [LAYER_IDS[name] for name in ("basemap", "admin1_lines", "labels")]
    drawn = [n for n, layer_id in enumerate(ids) if layer_id in basemap]
    deck.layers.insert(max(drawn) + 1 if drawn else 0, layer)
