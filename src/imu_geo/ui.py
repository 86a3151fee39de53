"""The one module that imports Streamlit: cached loading and the shared widgets.

Pages call :func:`require_dataset` and :func:`filter_controls`, then pass frames to
the pure functions of the package. State lives in ``st.session_state`` under the
keys below and is mirrored to the URL query string, so a link restores the view.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from imu_geo.data import DataError, Dataset, default_data_dir, load_dataset
from imu_geo.filters import (
    FilterSpec,
    data_months,
    describe,
    facet_choices,
    full_span,
    month_end,
    month_label,
    month_start,
    play_position,
    spec_from_query,
    spec_to_query,
)
from imu_geo.layers import MapOptions
from imu_geo.schema import ATTRIBUTIONS, CREDITS, LAYERS, SOURCE_CITATION
from imu_geo.text import escape_markdown

log = logging.getLogger("imu_geo")

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
COUNTRY_NAMES = {
    "AF": "Afghanistan",
    "KG": "Kyrgyzstan",
    "KZ": "Kazakhstan",
    "PK": "Pakistan",
    "TJ": "Tajikistan",
    "TM": "Turkmenistan",
    "UZ": "Uzbekistan",
    "CN": "China",
}


@dataclass(frozen=True)
class LoadedData:
    """A dataset plus what every rerun needs from it, computed once."""

    dataset: Dataset
    display_geometry: dict
    months: tuple[date, ...]
    choices: dict[str, tuple[str, ...]]
    default_spec: FilterSpec


def _file_stamp(directory: Path) -> tuple:
    """Cheap cache key: each file's name, size and modification time."""
    stamp = []
    for path in sorted(directory.glob("*")):
        if path.is_file():
            info = path.stat()
            stamp.append((path.name, info.st_size, info.st_mtime_ns))
    return tuple(stamp)


@st.cache_resource(show_spinner="Loading the atlas…", max_entries=4)
def _load(directory: str, stamp: tuple) -> LoadedData:
    # ``stamp`` is only part of the cache key: a changed file loads afresh.
    dataset = load_dataset(Path(directory))
    places = dataset.places
    display_geometry = {
        place_id: (
            geometry
            if geometry.geom_type == "Point"
            else geometry.simplify(DISPLAY_TOLERANCE_DEG, preserve_topology=True)
        )
        for place_id, geometry in zip(places["place_id"], places.geometry, strict=True)
    }
    months = tuple(data_months(dataset.events))
    choices = facet_choices(dataset.events)
    return LoadedData(
        dataset, display_geometry, months, choices, full_span(dataset.events)
    )


def require_dataset() -> LoadedData:
    """The current dataset, loaded once per content; stops the page with a clear
    message (never a traceback) when the data cannot be loaded."""
    directory = default_data_dir()
    try:
        return _load(str(directory.resolve()), _file_stamp(directory))
    except DataError as error:
        log.error("data directory %s cannot be loaded: %s", directory, error)
        st.error(
            f"The data in “{directory.name}” cannot be loaded: "
            f"{len(error.problems)} problem(s). Nothing was changed.",
            icon=":material/error:",
        )
        st.dataframe(
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
            f"The data folder cannot be read ({error.strerror or error}).",
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
    """Keyword arguments that bind a widget to its canonical value."""
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
    spec, warnings = spec_from_query(params, data.default_spec, data.choices)
    _put("window", (month_start(spec.start), month_start(spec.end)))
    _put("mode", spec.mode)
    _put("layers", list(spec.layers))
    _put("types", list(spec.event_types))
    _put("actors", list(spec.actors))
    _put("countries", list(spec.countries))
    _put("attribution", list(spec.attributions))
    _put("text", spec.text)
    _put("step", "3 months")
    _put("arcs", True)
    _put("halos", True)
    state["selected_event"] = spec.selected
    state["_url_warnings"] = warnings
    state["_initialised"] = True


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
        text=_value("text"),
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
    _put("window", window)
    return True


def filter_controls(data: LoadedData) -> FilterSpec:
    """Draw the shared sidebar filters and return the spec they describe.

    The frame then rewrites the URL query string to match, so the address bar
    always holds a link to the current view.
    """
    _initialise_state(data)
    for warning in st.session_state.get("_url_warnings", []):
        st.warning(warning, icon=":material/link:")
    sidebar = st.sidebar
    sidebar.header("Time window")
    sidebar.select_slider(
        "Months shown",
        options=list(data.months),
        # A constant range default makes this a two-handled slider; the bound
        # value (from the URL, an era or Play) overrides it.
        value=(data.months[0], data.months[-1]),
        format_func=month_label,
        help="An event is shown when its date span overlaps the window.",
        **_bound("window"),
    )
    sidebar.radio(
        "Mode",
        options=["window", "cumulative"],
        format_func={"window": "Moving window", "cumulative": "Cumulative"}.get,
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
        label_visibility="collapsed",
        **_bound("step"),
    )

    sidebar.header("Filters")
    sidebar.multiselect(
        "Layers",
        options=list(LAYERS),
        format_func=LAYER_LABELS.get,
        **_bound("layers"),
    )
    sidebar.checkbox("Base relocation arcs", **_bound("arcs"))
    sidebar.checkbox(
        "Place uncertainty halos",
        help="A faint disc around a point whose place is known only roughly.",
        **_bound("halos"),
    )
    sidebar.multiselect(
        "Event types",
        options=list(data.choices["types"]),
        placeholder="All types",
        **_bound("types"),
    )
    sidebar.multiselect(
        "Actors",
        options=list(data.choices["actors"]),
        placeholder="All actors",
        **_bound("actors"),
    )
    sidebar.multiselect(
        "Countries",
        options=list(data.choices["countries"]),
        format_func=lambda code: COUNTRY_NAMES.get(code, code),
        placeholder="All countries",
        **_bound("countries"),
    )
    sidebar.multiselect(
        "Attribution",
        options=list(ATTRIBUTIONS),
        placeholder="Any attribution",
        help="How firmly the source ties the event to the IMU.",
        **_bound("attribution"),
    )
    sidebar.text_input(
        "Search", placeholder="words in title, quote, place…", **_bound("text")
    )
    return current_spec(data)


def run_player(data: LoadedData) -> None:
    """While Play is on, step the window forward on a timer."""
    if not st.session_state.get(_STATE_KEYS["playing"]):
        return

    @st.fragment(run_every=PLAY_INTERVAL_S / 2)
    def _tick() -> None:
        # Runs inline with every app run and then on the timer; the window
        # follows the clock, so only a real step triggers a rerun of the app.
        if st.session_state.get(_STATE_KEYS["playing"]) and _play_tick(data):
            st.rerun(scope="app")

    _tick()


def sync_url(spec: FilterSpec, data: LoadedData) -> None:
    """Write the spec to the query string, touching only what changed."""
    wanted = spec_to_query(spec, data.default_spec)
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


def select_event(event_id: str) -> None:
    """Make ``event_id`` the event shown in the detail panel (and in the URL)."""
    st.session_state["selected_event"] = event_id


def credits_footer() -> None:
    """The citation and the credits that the data's licences ask for."""
    st.divider()
    st.caption(f"Source of every event: {SOURCE_CITATION}")
    st.caption(CREDITS)


# --- the frame around pages ---------------------------------------------------

# Each session's script runs in its own thread; this says whether the frame
# (app.py) is around the page running now in this thread.
_frame_state = threading.local()


@contextmanager
def frame() -> Iterator[LoadedData]:
    """The frame around every page: the shared filters before, credits after."""
    data = require_dataset()
    filter_controls(data)
    _frame_state.active = True
    try:
        yield data
    finally:
        _frame_state.active = False
    # After the page, so that what it selected is in the link too.
    sync_url(current_spec(data), data)
    run_player(data)
    credits_footer()


def page_context() -> tuple[LoadedData, FilterSpec]:
    """The dataset and the current spec, for a page script.

    A page can also run without the frame (AppTest of a page file, or a script
    opened directly); it then draws the shared filters itself, with the same state
    keys, so the view is the same either way. Page scripts live in ``views/``, not
    ``pages/``: a ``pages/`` folder beside ``app.py`` puts Streamlit into its legacy
    folder mode, which runs the page without the frame and gives its widgets other
    identities, so filter state is lost between the first runs of a session.
    """
    data = require_dataset()
    spec = current_spec(data)
    if not getattr(_frame_state, "active", False):
        spec = filter_controls(data)
        sync_url(spec, data)
    return data, spec
