"""Timeline page: events as bars over time, the bases as lanes, eras as presets."""

from functools import partial

import streamlit as st

from imu_geo.filters import unit_columns
from imu_geo.text import escape_markdown
from imu_geo.timeline import (
    ERAS,
    GANTT_LIMIT,
    SPAN_PARAM,
    build_timeline_chart,
    build_volume_chart,
    era_for,
    window_from_selection,
)
from imu_geo.ui import dataset, frame, loading, mapdeck, player, state

data, spec = frame.page_context()
rows = loading.select_rows(data, spec)
candidates = mapdeck.facet_count(data, spec)

atlas = dataset.showing_atlas()
# The eras are a reading of the atlas's source; another dataset has none.
eras = ERAS if atlas else ()
st.title("The IMU over time, 1991–2015" if atlas else "Events over time")
loading.describe_rows(data, rows, spec)


def _on_span(key: str) -> None:
    """A span dragged on the chart becomes the shared time window."""
    chosen = st.session_state.get(key)
    window = window_from_selection(chosen["selection"] if chosen else None)
    if window:
        state.set_window(data, *window)


current = era_for(spec.start, spec.end) if atlas else None
columns = []
if eras:
    st.markdown("**Eras** — set the time window to a period of the group's history:")
    # Keyed for the style sheet: on a phone the buttons share rows.
    columns = st.container(key="era-buttons").columns(len(eras))
for number, (column, era) in enumerate(zip(columns, eras, strict=True), start=1):
    column.button(
        f"{number} · {era.name}",
        key=f"era_{era.key}",
        help=f"{era.period}. {era.reason}",
        type="primary" if era == current else "secondary",
        width="stretch",
        on_click=state.set_window,
        args=(data, era.start, era.end),
    )
if current:
    st.caption(
        f"{escape_markdown(current.name)}, {escape_markdown(current.period)}: "
        f"{escape_markdown(current.reason)}"
    )

# The chart's key follows the window, so a span dragged out earlier is cleared
# whenever the window moves (by a drag, an era, the slider or Play).
chart_key = f"timeline-{spec.start:%Y-%m}-{spec.end:%Y-%m}"
many = candidates > GANTT_LIMIT
if many:
    counts = player.monthly_counts(data, spec)
    chart = build_volume_chart(counts, spec, data.default_spec, eras)
else:
    # With the columns that place each event in a unit, for a region filter.
    columns = (*data.source.columns, *unit_columns(spec))
    shown = data.source.rows(spec, columns, time=False).drop(columns="row_id")
    chart = build_timeline_chart(shown, spec, eras, data.default_spec)
st.altair_chart(
    chart,
    width="stretch",
    key=chart_key,
    on_select=partial(_on_span, chart_key),
    selection_mode=SPAN_PARAM,
)
if many:
    st.caption(
        f"{candidates:,} events pass the filters: too many for a bar each, so "
        "the chart counts them per month, stacked by layer. An event counts in the "
        "month of its first possible day; pale segments are events dated only to a "
        "season, a year or a range, which may lie later in their span. The time "
        "window lies between the two blue lines; outside them the chart is faded. "
        "Drag across the chart to choose another window."
    )
else:
    st.caption(
        "Each bar runs from the first to the last day the source allows. A hollow "
        "bar (pale fill, coloured outline) has a vague date: season, year, range or "
        "approximate; a solid one is dated to the day or month. The lanes at the "
        "bottom are the bases, one per place, in the order the group reached them; "
        "dashed lines join each base to the next. The time window lies between the "
        "two blue lines; outside them the era bands and the bars are faded. Drag "
        "across the chart to choose another window, or pick an era above."
    )

if eras:
    with st.expander("What marks each era"):
        st.markdown(
            "\n".join(
                f"{number}. **{escape_markdown(era.name)}, "
                f"{escape_markdown(era.period)}**: {escape_markdown(era.reason)}"
                for number, era in enumerate(eras, start=1)
            )
        )
