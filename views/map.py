"""Map page: the time window on the map, the details of one event, the table."""

import streamlit as st

from imu_geo import ui
from imu_geo.export import to_csv_bytes, to_geojson_bytes
from imu_geo.filters import apply_filters
from imu_geo.layers import EVENT_LAYER_IDS, build_deck, legend_svg
from imu_geo.views import TABLE_COLUMNS, TABLE_ROW_LIMIT, event_details

data, spec = ui.page_context()
selected = apply_filters(data.dataset.events, spec)

st.title("The IMU on the map, 1991–2015" if ui.showing_atlas() else "Events on the map")
ui.describe_selection(selected, spec)

map_column, side_column = st.columns([3, 1])
with map_column:
    chosen = st.pydeck_chart(
        build_deck(selected, data.display_geometry, ui.map_options()),
        on_select="rerun",
        selection_mode="single-object",
        key="map",
        height=600,
    )
    picked = [
        obj.get("event_id")
        for layer_id in EVENT_LAYER_IDS
        for obj in (chosen.selection.objects.get(layer_id) or [])
        if isinstance(obj, dict)
    ]
    if picked and picked[0]:
        ui.select_event(picked[0])
with side_column:
    st.image(legend_svg(), caption="Legend")

details_slot = st.container()

st.subheader("Events in view")
shown = selected.head(TABLE_ROW_LIMIT)
if len(selected) > len(shown):
    st.caption(
        f"The table shows the first {len(shown):,} of {len(selected):,} events in "
        "date order; the downloads below hold all of them."
    )
table = st.dataframe(
    shown[list(TABLE_COLUMNS)],
    hide_index=True,
    width="stretch",
    column_config=ui.TABLE_CONFIG,
    on_select="rerun",
    selection_mode="single-row",
    key="table",
)
rows = table.selection.rows
if rows:
    ui.select_event(shown.iloc[rows[0]]["event_id"])

details = event_details(data.dataset.events, st.session_state.get("selected_event"))
if details:
    with details_slot:
        ui.event_panel(details)
else:
    details_slot.info(
        "Click an event on the map or a row of the table to read its source.",
        icon=":material/touch_app:",
    )

left, right = st.columns(2)
with left:
    ui.download("Download CSV", lambda: to_csv_bytes(selected), "imu-geo-events.csv")
with right:
    ui.download(
        "Download GeoJSON",
        lambda: to_geojson_bytes(selected),
        "imu-geo-events.geojson",
        "application/geo+json",
    )
