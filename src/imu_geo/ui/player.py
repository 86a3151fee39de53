"""Time in motion: Play, which steps the window on a timer, and the scrubber
under a map, whose brush is the window."""

from __future__ import annotations

import time
from functools import partial

import streamlit as st

from imu_geo.engine.source import EventSource
from imu_geo.filters import (
    FilterSpec,
    play_position,
)
from imu_geo.scrubber import (
    SCRUB_LABEL,
    SCRUB_MODES,
    scrubber_rows,
    scrubber_spec,
    window_from_scrub,
)
from imu_geo.ui.loading import LoadedData, dataset_tag
from imu_geo.ui.state import (
    _PENDING_WINDOW_KEY,
    _PLAYING,
    _STATE_KEYS,
    _facet_key,
    _value,
    set_window,
)

PLAY_STEPS = {"1 month": 1, "3 months": 3, "1 year": 12}


PLAY_INTERVAL_S = 1.2


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
    chart = scrubber_spec(rows, spec, data.default_spec, SCRUB_LABEL)
    # A new key for each window: a brush left from an earlier window must not be
    # read again, and the new chart starts from the window as it is.
    key = f"scrub-{dataset_tag(data)}-{spec.start:%Y-%m}-{spec.end:%Y-%m}"
    where.vega_lite_chart(
        spec=chart,
        width="stretch",
        key=key,
        on_select=partial(_on_scrub, data, key),
        selection_mode=list(SCRUB_MODES),
    )
    where.caption(SCRUB_LABEL)
