"""The tour: which stop is on screen, and auto-advance."""

from __future__ import annotations

import time

import streamlit as st

from imu_geo.text import escape_markdown
from imu_geo.tour import TOUR_PARAM, stop_number
from imu_geo.ui.loading import LoadedData
from imu_geo.ui.state import (
    _PENDING_WINDOW_KEY,
    at_window,
    keep_in_url,
    measure_run,
    move_window,
    set_window,
)

_TOUR_KEY = "v_tour"


_TOUR_SHAPE_KEY = "_tour_shape"


_TOUR_WARNING_KEY = "_tour_warning"
_TOUR_SHOWN_KEY = "_tour_warning_shown"


_TOUR_AUTO_KEY = "_tour_auto"


TOUR_INTERVAL_S = 12


def go_to_stop(data: LoadedData, tour, number: int) -> None:
    """Show stop ``number`` of ``tour`` (a widget callback): its window, and a
    fresh start for auto-advance."""
    state = st.session_state
    state[_TOUR_KEY] = number
    stop = tour.stops[number - 1]
    set_window(data, stop.start, stop.end)
    if state.get(_TOUR_AUTO_KEY):
        state[_TOUR_AUTO_KEY] = (time.monotonic(), number)


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
    if not warning and measure_run():
        # The browser's measure ran the page again: the reader has not yet
        # done anything since the warning was shown.
        warning = state.get(_TOUR_SHOWN_KEY, "")
    state[_TOUR_SHOWN_KEY] = warning
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
