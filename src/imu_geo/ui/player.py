"""Time in motion: Play, which steps the window on a timer, and the scrubber
under a map, whose brush is the window."""

from __future__ import annotations

import hashlib
import time
from functools import partial
from pathlib import Path

import streamlit as st

from imu_geo.data import PROJECT_DIR
from imu_geo.engine.source import EventSource
from imu_geo.filters import (
    FilterSpec,
    play_position,
)
from imu_geo.layers.basemap import STATIC_URL
from imu_geo.scrubber import (
    SCRUB_LABEL,
    scrubber_data,
    scrubber_rows,
    scrubber_text,
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


# The scrubber's chart is drawn in the browser by ``static/scrubber.js``, which
# Streamlit serves as a static file: the browser fetches it once, and a step
# sends only the chart's data. Its address carries a hash of its content, so a
# new version is never taken from a cache. What is sent with every run is only
# this loader, and the style sheet.
SCRIPT = PROJECT_DIR / "static" / "scrubber.js"
_SCRIPT_HASH = hashlib.sha256(SCRIPT.read_bytes()).hexdigest()[:12]
SCRIPT_URL = f"{STATIC_URL}/{SCRIPT.name}?v={_SCRIPT_HASH}"
_LOADER = """
export default function (component) {
  const host = component.parentElement;
  const data = JSON.parse(component.data);
  host.imuLatest = { ...component, data };
  if (!host.imuLoading) {
    host.imuLoading = import(new URL(data.script, document.baseURI).href)
      .then((module) => { host.imuDraw = module.default; })
      .catch(() => {
        const note = document.createElement("p");
        note.textContent = "The chart of events per month could not be loaded: "
          + "move the time window with the slider in the sidebar.";
        host.appendChild(note);
      });
  }
  host.imuLoading.then(() => {
    if (host.imuDraw) host.imuCleanup = host.imuDraw(host.imuLatest);
  });
  return () => { if (host.imuCleanup) host.imuCleanup(); };
}
"""
# Registered once, when the module loads (Streamlit's advice for a component
# mounted at every run).
_SCRUBBER = st.components.v2.component(
    "imu_geo_scrubber",
    js=_LOADER,
    css=Path(__file__).with_name("scrubber.css").read_text(),
)


def _on_scrub(data: LoadedData, key: str) -> None:
    """A drag, click or key press on the scrubber becomes the shared time window."""
    chosen = st.session_state.get(key)
    window = window_from_scrub(
        getattr(chosen, "window", None), tuple(_value("window")), data.months
    )
    if window:
        set_window(data, *window)


def scrubber(data: LoadedData, spec: FilterSpec) -> None:
    """The events per month over the whole span, under a page's map, with the
    time window as a brush (:mod:`imu_geo.scrubber`).

    The brush is drawn from ``spec`` at every run, so the slider, Play and the
    URL move it; a drag, click or key press on it sets the window from its
    callback, before the slider is drawn, so all of them follow. The key is the
    dataset's: the chart stays mounted from one window to the next and only its
    data changes.
    """
    facets = (_facet_key(spec), tuple(spec.layers))
    rows = _scrubber_rows(data.key, facets, monthly_counts(data, spec))
    key = f"scrub-{dataset_tag(data)}"
    _SCRUBBER(
        data=scrubber_text(
            {
                **scrubber_data(rows, spec, data.default_spec, SCRUB_LABEL),
                "script": SCRIPT_URL,
            }
        ),
        key=key,
        on_window_change=partial(_on_scrub, data, key),
    )
    st.caption(SCRUB_LABEL)
