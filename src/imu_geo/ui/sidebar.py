"""The shared filters in the sidebar."""

from __future__ import annotations

import streamlit as st

from imu_geo import world
from imu_geo.filters import (
    SEARCH_CHARS,
    FilterSpec,
    month_label,
)
from imu_geo.schema import ATTRIBUTIONS, COUNTRY_NAMES, LAYERS
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
