"""Regions page: the time window summed up per country, admin-1 unit or valley."""

from functools import partial

import streamlit as st

from imu_geo.export import table_csv_bytes
from imu_geo.summaries import (
    CHOROPLETH_LAYER_ID,
    LEVEL_LABELS,
    MEASURES,
    SUMMARY_LEVELS,
    choropleth_deck,
    choropleth_frame,
    choropleth_legend_svg,
    killed_line,
    summary_table,
    totals_line,
)
from imu_geo.ui import frame, loading, mapdeck, player, regions, viewport, widgets

data, spec = frame.page_context()
selected = loading.select_rows(data, spec)

st.title("Regions")
loading.describe_rows(data, selected, spec)
player.scrubber(data, spec)

# The levels this dataset has units for (imported data has no valley).
levels = [level for level in SUMMARY_LEVELS if level in data.source.store.levels] or [
    SUMMARY_LEVELS[0]
]
if st.session_state.get("r_level", levels[0]) not in levels:
    # Chosen on another dataset (the valley); this one starts at its first level.
    del st.session_state["r_level"]

level_column, measure_column = st.columns([3, 2])
with level_column:
    level = st.segmented_control(
        "Summarise by",
        options=levels,
        format_func=LEVEL_LABELS.get,
        default=levels[0],
        required=True,
        key="r_level",
    )
with measure_column:
    measure = st.selectbox(
        "Colour the map by",
        options=list(MEASURES),
        format_func=MEASURES.get,
        key="r_measure",
    )

table = summary_table(
    data.source.region_groups(spec, level), data.places, data.regions, level
)
shaded = choropleth_frame(table, data.regions, level, measure)

map_column, table_column = st.columns([2, 3])
with map_column:
    size = viewport.map_size("regions", regions.REGIONS_MAP_SIZE)
    deck = choropleth_deck(
        shaded,
        loading.map_view(data, *size),
        data.basemap,
        layer_id=regions.pick_layer_id(CHOROPLETH_LAYER_ID),
    )
    mapdeck.use_dataset_labels(deck, data)
    st.pydeck_chart(
        deck,
        key="regions_map",
        height=regions.REGIONS_MAP_SIZE[1],
        # A click on a unit filters every page to it; again, shows all.
        on_select=partial(
            regions.on_region_pick, data, "regions_map", CHOROPLETH_LAYER_ID
        ),
        selection_mode="single-object",
    )
    st.image(choropleth_legend_svg(shaded, measure))
    st.caption(
        "Units with nothing to show are left uncoloured. Rows marked with a note "
        "are not drawn: their place is larger than one unit, lies outside the "
        "units, or is not given. Click a coloured unit to show only its events "
        "on every page; click it again, or *Clear region filter* in the sidebar, "
        "to show all."
    )
with table_column:
    widgets.table(
        table,
        hide_index=True,
        width="stretch",
        # Tall enough for every row up to a point, then it scrolls.
        height=min(36 * (len(table) + 1) + 3, 560),
        placeholder="",
        column_order=[
            "region",
            "coded_at",
            "events",
            "attacks",
            "killed",
            "fatalities_best",
            "killed_low_only",
            "events_best",
            "events_low_only",
            "events_no_figure",
            "bases",
            "context",
            "first_event",
            "last_event",
            "note",
            "country",
            "region_id",
        ],
        column_config={
            "region": st.column_config.TextColumn(
                "Region", width="medium", pinned=True
            ),
            "coded_at": st.column_config.TextColumn("Coded at"),
            "events": st.column_config.NumberColumn("Events"),
            "attacks": st.column_config.NumberColumn("Attacks"),
            "killed": st.column_config.NumberColumn(
                "Killed",
                help="Each event's best estimate of the killed where the source "
                "gives one, else its low figure (at least so many), added up. "
                "Empty: no event of the row gives a figure.",
            ),
            "fatalities_best": st.column_config.NumberColumn(
                "From best estimates",
                help="The part of Killed from the events with a best estimate.",
            ),
            "killed_low_only": st.column_config.NumberColumn(
                "From low figures",
                help="The part of Killed from the events that give only a low "
                "figure: the true number may be higher.",
            ),
            "events_best": st.column_config.NumberColumn(
                "With a best estimate",
                help="Events that give a best estimate of the killed.",
            ),
            "events_low_only": st.column_config.NumberColumn(
                "With only a low figure",
                help="Events that give a low figure but no best estimate.",
            ),
            "events_no_figure": st.column_config.NumberColumn(
                "With no figure",
                help="Events that give neither a best estimate nor a low figure: "
                "they add nothing to Killed, which does not mean nobody died.",
            ),
            "bases": st.column_config.NumberColumn("Bases"),
            "context": st.column_config.NumberColumn("Context"),
            "first_event": st.column_config.DateColumn("First", format="YYYY-MM-DD"),
            "last_event": st.column_config.DateColumn("Last", format="YYYY-MM-DD"),
            "note": st.column_config.TextColumn("Note", width="large"),
            "country": st.column_config.TextColumn("Country"),
            "region_id": st.column_config.TextColumn("Id"),
        },
        key="regions_table",
    )
    st.caption(totals_line(table, level))
    st.caption(killed_line(table))
    st.caption(
        "Killed adds up one figure per event: the best estimate where the source "
        "gives one, else its low figure; the next two columns split it by which. "
        "Events that give no figure add nothing: an empty cell means no event of "
        "the row gives one, not that nobody died. The CSV also holds the sums of "
        "the low, best and high figures, each over the events that give it. "
        "First and last are the events' own dates, which may reach beyond the "
        "window."
    )
    widgets.download(
        "Download table as CSV",
        lambda: table_csv_bytes(table),
        f"imu-geo-regions-{level}.csv",
    )
