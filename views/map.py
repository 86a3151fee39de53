"""Map page: the window on the map, event details, the table, and the downloads."""

from functools import partial

import streamlit as st

from imu_geo.layers import is_event_layer
from imu_geo.ui import (
    dataset,
    downloads,
    frame,
    loading,
    mapdeck,
    mapview,
    player,
    regions,
    state,
    viewport,
    widgets,
)
from imu_geo.views import (
    TABLE_PAGE_ROWS,
    event_details,
    table_columns,
    table_page_caption,
)

data, spec = frame.page_context()
rows = loading.select_rows(data, spec)

st.title(
    "The IMU on the map, 1991–2015" if dataset.showing_atlas() else "Events on the map"
)
loading.describe_rows(data, rows, spec)
deck, notice = mapdeck.map_deck(data, spec, rows)
mapdeck.add_region_picker(deck, data)
# Always one element here, with or without a notice: the map below keeps its
# place on the page, so the browser keeps its view when the notice comes or goes.
notice_slot = st.container()
if notice:
    notice_slot.caption(notice)

map_column, side_column = st.columns([3, 1])
with map_column:
    if mapdeck.framed_on_extent(data):
        # Measured only then: the atlas's view is the same at any size.
        size = viewport.map_size("map", mapdeck.MAP_SIZE)
        mapdeck.fit_to_size(deck, data, size)
    map_key = mapdeck.map_key(data)
    # The reader's view on the last visit of this page, once the browser says:
    # a chart of its own, opened on that view (a chart already drawn may not
    # take a new opening view while it is still being drawn).
    view = mapview.kept(map_key, mapdeck.opening_view(deck))
    if view:
        mapdeck.open_on(deck, view)
        map_key = f"{map_key}-kept"
    chosen = st.pydeck_chart(
        deck,
        # A click on an event selects it (below); on a province, filters to it.
        on_select=partial(
            regions.on_region_pick, data, map_key, regions.REGION_PICK_LAYER
        ),
        selection_mode="single-object",
        key=map_key,
        height=600,
    )
    picked = [
        mapdeck.picked_event(data, obj)
        for layer_id, objects in chosen.selection.objects.items()
        if is_event_layer(layer_id)
        for obj in objects or []
    ]
    if picked and picked[0]:
        state.select_event(picked[0])
    player.scrubber(data, spec)
with side_column:
    st.button(
        "Reset view",
        on_click=mapdeck.reset_view,
        help="Back to the whole dataset, as the map opened.",
        icon=":material/zoom_out_map:",
    )
    mapdeck.density_switch(data, spec)
    st.image(mapdeck.map_legend(data, spec), caption="Legend")

details_slot = st.container()

st.subheader("Events in view")


def turn_page(key: str, selection, starts: list) -> None:
    st.session_state[key] = (selection, tuple(starts))


# A page of rows at a time: each slider step sends the table again. The page is
# named by the row id it starts after (None: the first), a stack of them for
# Previous; a new selection of events starts again at its first page.
pages_key = f"table-pages-{loading.dataset_tag(data)}"
kept = st.session_state.get(pages_key)
starts = list(kept[1]) if kept and kept[0] == rows.spec else [None]
page = rows.frame(table_columns(data.source.columns), TABLE_PAGE_ROWS, starts[-1])
if page.empty and len(starts) > 1:  # the selection shrank under the page
    starts = [None]
    page = rows.frame(table_columns(data.source.columns), TABLE_PAGE_ROWS)
first_row = (len(starts) - 1) * TABLE_PAGE_ROWS + 1
caption = table_page_caption(first_row, len(page), len(rows))
if caption:
    st.caption(caption)
shown = page.drop(columns="row_id")
table = widgets.table(
    shown,
    hide_index=True,
    width="stretch",
    column_config=widgets.column_config("events"),
    on_select="rerun",
    selection_mode="single-row",
    key=f"table-{loading.dataset_tag(data)}-{starts[-1]}",
)
if len(rows) > TABLE_PAGE_ROWS:
    back, forward = st.columns(2)
    back.button(
        "Previous rows",
        icon=":material/arrow_back:",
        disabled=len(starts) == 1,
        on_click=turn_page,
        args=(pages_key, rows.spec, starts[:-1]),
        key="table-previous",
    )
    forward.button(
        "Next rows",
        icon=":material/arrow_forward:",
        disabled=first_row + len(page) > len(rows),
        on_click=turn_page,
        args=(pages_key, rows.spec, [*starts, int(page["row_id"].iloc[-1])]),
        key="table-next",
    )
picked_rows = table.selection.rows
if picked_rows:
    state.select_event(shown.iloc[picked_rows[0]]["event_id"])

chosen_id = st.session_state.get("selected_event")
details = event_details(loading.event_rows(data, chosen_id), chosen_id)
if details:
    with details_slot:
        widgets.event_panel(details)
else:
    details_slot.info(
        "Click an event on the map or a row of the table to read its source.",
        icon=":material/touch_app:",
    )

kept = data.source.kept_columns
with_source = bool(kept) and st.checkbox(
    "Include the file's own columns",
    help="The columns of the imported file that no crosswalk uses, kept verbatim "
    f"with their events ({len(kept):,}). They follow ours in the "
    "CSV, each with the prefix `source:`.",
    key="with_source_columns",
)
left, right = st.columns(2)
with left:
    widgets.download(
        "Download CSV",
        lambda: downloads.selection_bytes(rows, "csv", with_source),
        "imu-geo-events.csv",
    )
with right:
    widgets.download(
        "Download GeoJSON",
        lambda: downloads.selection_bytes(rows, "geojson"),
        "imu-geo-events.geojson",
        "application/geo+json",
    )
downloads.picture_downloads(data, spec, rows)
downloads.animation_panel(data, spec, rows)
