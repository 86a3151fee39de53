"""Tour page: step through the eras (or equal periods) with the map and the quotes."""

from urllib.parse import quote, urlencode

import pydeck as pdk
import streamlit as st

from imu_geo.filters import spec_to_query
from imu_geo.layers import format_dates, map_legend_svg
from imu_geo.text import escape_markdown
from imu_geo.timeline import ERAS
from imu_geo.tour import build_tour, key_events, view_for
from imu_geo.ui import (
    dataset,
    downloads,
    frame,
    loading,
    mapdeck,
    player,
    state,
    story,
    viewport,
)

# As a 1,400-pixel-wide window draws it (3/5 of the page beside the sidebar);
# the browser then says what it really is (ui.viewport).
TOUR_MAP_SIZE = (556, 520)
KEY_COLUMNS = [
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "layer",
    "event_type",
    "fatalities_best",
    "title",
    "place_name",
    "source_quote",
]

link = state.link_params()  # as opened: a page run on its own rewrites them
data, spec = frame.page_context()
atlas = dataset.showing_atlas()
# The eras are a reading of the atlas's source; other data has none.
tour = build_tour(data.months, ERAS if atlas else ())
st.title("A tour of the eras" if tour.kind == "eras" else "A tour in time")
st.caption(escape_markdown(tour.note))
if not tour.stops:
    st.stop()

number = story.tour_position(data, tour, link)
stop = tour.stops[number - 1]
last = len(tour)

# Keyed for the style sheet: on a phone the first three share one row.
nav = st.container(key="tour-nav")
back, where, forward, auto = nav.columns([1, 3, 1, 1.3], vertical_alignment="center")
back.button(
    "◀ Back",
    disabled=number == 1,
    width="stretch",
    on_click=story.go_to_stop,
    args=(data, tour, number - 1),
)
where.markdown(f"**Stop {number} of {last}**")
forward.button(
    "Next ▶",
    disabled=number == last,
    width="stretch",
    on_click=story.go_to_stop,
    args=(data, tour, number + 1),
)
auto.button(
    "Stop advancing" if story.tour_auto_on() else "Auto-advance",
    icon=":material/pause:" if story.tour_auto_on() else ":material/play_arrow:",
    width="stretch",
    on_click=story.toggle_tour_auto,
    args=(number,),
    help=f"Go to the next stop every {story.TOUR_INTERVAL_S} seconds.",
)
story.run_tour_auto(data, tour)

st.header(f"{number}. {stop.name}, {stop.period}")
if stop.reason:
    st.markdown(escape_markdown(stop.reason))
if not state.at_window(data, stop.start, stop.end):
    st.info(
        "The time window has moved away from this stop.",
        icon=":material/schedule:",
    )
    st.button(
        "Back to this stop's window",
        on_click=story.go_to_stop,
        args=(data, tour, number),
    )

rows = loading.select_rows(data, spec)
loading.describe_rows(data, rows, spec)

map_column, story_column = st.columns([3, 2])
with map_column:
    size = viewport.map_size("tour", TOUR_MAP_SIZE)
    deck, notice = mapdeck.map_deck(data, spec, rows)
    shown = rows.frame(["lon", "lat"])
    deck.initial_view_state = pdk.ViewState(
        **view_for(shown["lon"], shown["lat"], size)
    )
    st.pydeck_chart(
        deck, key=f"tour-map-{loading.dataset_tag(data)}", height=TOUR_MAP_SIZE[1]
    )
    player.scrubber(data, spec)
    if notice:
        st.caption(notice)
    with st.expander("Legend"):
        st.image(map_legend_svg())
    downloads.picture_downloads(data, spec, rows)

with story_column:
    key = key_events(
        rows.frame(KEY_COLUMNS).drop(columns="row_id"), stop.start, stop.end
    )
    st.subheader("Key events")
    if key.empty:
        st.caption("No event of this period passes the filters.")
    st.caption(
        "Chosen by a rule: events that lie mostly in this period; the bases "
        "first, then the attacks (best dated and deadliest first), then the rest."
    )
    query = spec_to_query(spec, data.default_spec)
    for event in key.itertuples(index=False):
        link = "./?" + urlencode(query | {"event": event.event_id}, quote_via=quote)
        place = event.place_name or "no place"
        when = format_dates(event.date_start, event.date_end, event.date_precision)
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(event.title)}**")
            st.caption(f"{escape_markdown(when)} · {escape_markdown(place)}")
            st.markdown("> " + escape_markdown(event.source_quote))
            st.markdown(f"[Open this event on the map]({link})")
