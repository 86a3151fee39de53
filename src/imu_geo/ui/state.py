"""The shared filter state of a session and its mirror in the URL.

State lives in ``st.session_state`` under the keys below and is mirrored to the
URL query string, so a link restores the view.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

import streamlit as st

from imu_geo.facets import FACETS, Facet
from imu_geo.filters import (
    SEARCH_CHARS,
    FilterSpec,
    month_end,
    month_start,
    spec_from_query,
    spec_to_query,
)
from imu_geo.layers import MapOptions
from imu_geo.ui.loading import LoadedData

# Widget keys. Each bound widget also has a value key ("v_" + name) that holds the
# canonical value: Streamlit drops a widget's state on a page change when the
# browser did not report that widget, so the widget is re-seeded from the value
# key whenever its own state is missing, and writes back to it on every change.
_STATE_KEYS = {
    "window": "f_window",
    "mode": "f_mode",
    # One per facet, under the facet's name (imu_geo.facets.FACETS).
    **{facet.name: f"f_{facet.name}" for facet in FACETS},
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


_REGION_KEY = "v_region"


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
    for facet in FACETS:
        _put(facet.name, list(getattr(spec.facets, facet.attribute)))
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
    for facet in FACETS:
        _put(facet.name, list(facet.default))
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
        **{facet.attribute: _chosen(facet) for facet in FACETS},
        # The box allows no more; a client that sends more is cut here.
        text=_value("text")[:SEARCH_CHARS],
        region=current_region(data),
        selected=st.session_state.get("selected_event", ""),
    )


def _chosen(facet: Facet) -> tuple[str, ...]:
    """A facet's values as its widget holds them (in the order of its choices
    where the facet says so)."""
    chosen = _value(facet.name)
    if facet.in_choice_order:
        return tuple(value for value in facet.choices if value in chosen)
    return tuple(chosen)


def map_options() -> MapOptions:
    """The optional map layers the user switched on or off."""
    return MapOptions(relocation=_value("arcs"), halos=_value("halos"))


def _facet_key(spec: FilterSpec) -> tuple:
    """What selects the events besides time and the layers (which callers key
    apart), the search as it matches."""
    facets = replace(spec.facets, layers=(), text=spec.text.strip().casefold())
    return tuple(getattr(facets, part.name) for part in fields(facets))


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


def select_event(event_id: str) -> None:
    """Make ``event_id`` the event shown in the detail panel (and in the URL)."""
    st.session_state["selected_event"] = event_id


_PAGE_QUERY_KEY = "_page_query"


_PENDING_WINDOW_KEY = "_pending_window"


# Marks a pending window that Play set (see _apply_pending_window).
_PLAYING = "playing"


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


def keep_window_in_data(data: LoadedData) -> None:
    """Snap the shared window into ``data``'s months when it holds a month the
    data does not have. A rerun that overlaps a change of dataset (an upload
    read while the page was still running) can bring back the slider's value
    of the dataset before, which the slider would refuse."""
    first, last = _value("window")
    months = set(data.months)
    if first not in months or last not in months:
        _put("window", _window_of(data, first, last))


def at_window(data: LoadedData, start: date, end: date) -> bool:
    """True when the shared window is the one :func:`set_window` would set."""
    return tuple(_value("window")) == _window_of(data, start, end)


def move_window(data: LoadedData, start: date, end: date) -> None:
    """Move the shared window from a page's body, where the slider is already
    drawn: the page runs again at once with the new window."""
    st.session_state[_PENDING_WINDOW_KEY] = (start, end)
    st.rerun()


# A run the browser asked for only to say how large a map is (ui/viewport.py)
# is not the reader's: what a page showed once, on the run before, it shows
# again on such a run.
_MEASURED_KEY = "_measured"
_MEASURE_RUN_KEY = "_measure_run"


def note_measured() -> None:
    """Mark the next run as asked for by the browser's measure (a callback)."""
    st.session_state[_MEASURED_KEY] = True


def begin_run() -> None:
    """Say whether this run is the measure's alone (:func:`measure_run`), and
    count it (:func:`run_number`); a page calls it once per run, before it
    shows anything."""
    state = st.session_state
    state[_MEASURE_RUN_KEY] = bool(state.pop(_MEASURED_KEY, False))
    state[_RUN_NUMBER_KEY] = int(state.get(_RUN_NUMBER_KEY, 0)) + 1


_RUN_NUMBER_KEY = "_run_number"


def run_number() -> int:
    """How many page runs this session has had, this one included."""
    return int(st.session_state.get(_RUN_NUMBER_KEY, 0))


_VISITS_KEY = "_page_visits"


def page_visit(page: str) -> int:
    """The number of this session's visit of ``page`` that this run belongs
    to: 1 on the page's first run, one more whenever the page runs after a run
    of another page, the same on the page's own reruns. Call it in ``page``'s
    runs only, after :func:`begin_run`."""
    visits = st.session_state.setdefault(_VISITS_KEY, {})
    runs = run_number()
    last_run, number = visits.get(page, (None, 0))
    if last_run not in (runs, runs - 1):
        number += 1
    visits[page] = (runs, number)
    return number


def measure_run() -> bool:
    """True when the browser's measure alone asked for this run: a message shown
    once, on the run before, is to be shown again."""
    return bool(st.session_state.get(_MEASURE_RUN_KEY, False))


def link_params() -> dict[str, str]:
    """The address bar's parameters as the page was opened: call it before
    :func:`page_context`, which rewrites them when a page runs on its own."""
    return {key: st.query_params.get(key) for key in st.query_params}
