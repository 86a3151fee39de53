"""Sources & method: every event with its quote, the vocabularies, the credits."""

import streamlit as st

from imu_geo.export import table_csv_bytes
from imu_geo.method import OTHER_DATASETS, SOURCE_COLUMNS, VOCABULARIES
from imu_geo.schema import CREDITS, SOURCE_CITATION
from imu_geo.ui import dataset, frame, loading, player, state, widgets
from imu_geo.views import TABLE_ROW_LIMIT, event_details

data, spec = frame.page_context()
rows = loading.select_rows(data, spec)
quotes = rows.frame(SOURCE_COLUMNS, TABLE_ROW_LIMIT).drop(columns="row_id")

st.title("Sources & method")
if dataset.showing_atlas():
    st.markdown(
        "Every event is curated by hand from one source text and quotes the passage "
        "it rests on, verbatim. What the text does not say is marked: dates and "
        "places carry a precision and an origin, and the notes say where anything "
        "else comes from."
    )
    st.caption(f"Source: {SOURCE_CITATION}")
else:
    st.markdown(
        "These events are not the curated atlas: each row names its own source and "
        "quote, as its file gave them. The vocabularies below are the atlas's; "
        "imported rows were mapped onto them as the import guide describes."
    )

st.header("Events and their sources")
loading.describe_rows(
    data, rows, spec, " · the sidebar filters and search apply here too"
)
player.scrubber(data, spec)
if len(rows) > len(quotes):
    st.caption(
        f"The table shows the first {len(quotes):,} of {len(rows):,} events in date "
        "order; the download holds all of them."
    )
table = widgets.table(
    quotes,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key=f"sources_table-{loading.dataset_tag(data)}",
    column_config=widgets.column_config("sources"),
)
widgets.download(
    "Download quotes as CSV",
    lambda: table_csv_bytes(rows.frame(SOURCE_COLUMNS).drop(columns="row_id")),
    "imu-geo-sources.csv",
)
if table.selection.rows:
    state.select_event(quotes.iloc[table.selection.rows[0]]["event_id"])
chosen_id = st.session_state.get("selected_event")
details = event_details(loading.event_rows(data, chosen_id), chosen_id)
if details:
    widgets.event_panel(details)

st.header("How sure: the vocabularies")
st.caption(
    "Each value's events are counted over the whole dataset, not the window or "
    "the filters; the example is the first event to use the value."
)
for column in VOCABULARIES:
    st.subheader(column.replace("_", " ").capitalize())
    widgets.reference_table(
        loading.vocabulary_tables(data)[column],
        {
            "value": "Value",
            "meaning": "Meaning",
            "events": "Events in the dataset",
            "example": "First example",
        },
    )

st.header("What other datasets cover")
widgets.reference_table(
    OTHER_DATASETS,
    {"dataset": "Dataset", "covers": "Covers", "silent here": "Silent here"},
)

st.header("Credits")
st.markdown(f"- {SOURCE_CITATION}\n- {CREDITS}")
