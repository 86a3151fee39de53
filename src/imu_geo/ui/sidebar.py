"""The shared filters in the sidebar."""

from __future__ import annotations

import streamlit as st

from imu_geo import world
from imu_geo.facets import Facet, sidebar_facets
from imu_geo.filters import (
    SEARCH_CHARS,
    FilterSpec,
    month_label,
)
from imu_geo.schema import COUNTRY_NAMES
from imu_geo.text import escape_markdown
from imu_geo.ui.loading import LoadedData
from imu_geo.ui.player import PLAY_STEPS
from imu_geo.ui.regions import region_control
from imu_geo.ui.state import (
    _STATE_KEYS,
    _apply_pending_window,
    _bound,
    _initialise_state,
    _value,
    current_spec,
    keep_window_in_data,
)
from imu_geo.ui.widgets import option_label

LAYER_LABELS = {"attack": "Attacks", "base": "Bases", "context": "Context"}


def _country_label(code: str) -> str:
    return option_label(COUNTRY_NAMES.get(code) or world.country_name(code))


# How a facet's values are written (imu_geo.facets.Facet.value_labels).
_VALUE_LABELS = {
    "plain": str,
    "option": option_label,
    "country": _country_label,
    "layer": LAYER_LABELS.get,
}


def _facet_widgets(sidebar, data: LoadedData, section: str) -> None:
    """One multiselect per facet of a section of the sidebar."""
    for facet in sidebar_facets(section):
        options = facet.options(data.choices)
        if facet.only_with_choices and not options:
            continue
        _facet_widget(sidebar, facet, options)


def _facet_widget(sidebar, facet: Facet, options: tuple[str, ...]) -> None:
    sidebar.multiselect(
        facet.label,
        options=list(options),
        format_func=_VALUE_LABELS[facet.value_labels],
        placeholder=facet.placeholder,
        default=_value(facet.name),
        help=facet.hint,
        **_bound(facet.name),
    )


def filter_controls(data: LoadedData) -> FilterSpec:
    """Draw the shared sidebar filters and return the spec they describe.

    The frame then rewrites the URL query string to match, so the address bar
    always holds a link to the current view.
    """
    _initialise_state(data)
    _apply_pending_window(data)
    keep_window_in_data(data)
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
    # Material icons come with the page's fonts; a pause sign in the label
    # needs an emoji font, which many systems lack (it showed as a box).
    if play.button(
        "Pause" if playing else "Play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        width="stretch",
    ):
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
    _facet_widgets(sidebar, data, "display")
    sidebar.checkbox("Base relocation arcs", value=_value("arcs"), **_bound("arcs"))
    sidebar.checkbox(
        "Place uncertainty halos",
        value=_value("halos"),
        help="A faint disc around a point whose place is known only roughly.",
        **_bound("halos"),
    )
    _facet_widgets(sidebar, data, "filters")
    sidebar.text_input(
        "Search",
        value=_value("text"),
        max_chars=SEARCH_CHARS,
        placeholder="words in title, quote, place…",
        **_bound("text"),
    )
    return current_spec(data)
