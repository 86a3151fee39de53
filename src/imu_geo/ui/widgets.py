"""Small widgets every page uses: tables holding data, the sentence saying what
is shown, download buttons, the event panel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from imu_geo.filters import (
    FilterSpec,
    describe,
)
from imu_geo.text import (
    escape_markdown,
    plain,
    show_controls_in,
)

TABLE_CONFIG = {
    "date_start": st.column_config.DateColumn("From", format="YYYY-MM-DD"),
    "date_end": st.column_config.DateColumn("To", format="YYYY-MM-DD"),
    "date_precision": st.column_config.TextColumn("Date precision"),
    "layer": st.column_config.TextColumn("Layer"),
    "event_type": st.column_config.TextColumn("Type"),
    "source_event_type": st.column_config.TextColumn("Source type"),
    "source_sub_event_type": st.column_config.TextColumn("Source sub-type"),
    "title": st.column_config.TextColumn("Title", width="large"),
    "place_name": st.column_config.TextColumn("Place"),
    "geo_precision": st.column_config.TextColumn("Place precision"),
    "fatalities_best": st.column_config.NumberColumn("Killed (best)"),
    "attribution": st.column_config.TextColumn("Attribution"),
    "event_id": st.column_config.TextColumn("Id"),
}


SOURCE_TABLE_CONFIG = {
    "event_id": st.column_config.TextColumn("Id"),
    "date_start": st.column_config.DateColumn("From", format="YYYY-MM-DD"),
    "date_end": st.column_config.DateColumn("To", format="YYYY-MM-DD"),
    "date_precision": st.column_config.TextColumn("Date precision"),
    "date_origin": st.column_config.TextColumn("Date origin"),
    "title": st.column_config.TextColumn("Title"),
    "place_name": st.column_config.TextColumn("Place"),
    "geo_precision": st.column_config.TextColumn("Place precision"),
    "place_origin": st.column_config.TextColumn("Place origin"),
    "attribution": st.column_config.TextColumn("Attribution"),
    "source_quote": st.column_config.TextColumn(
        "Source quote (verbatim)", width="large"
    ),
    "notes": st.column_config.TextColumn("Notes", width="large"),
}


OPTION_CHARS = 80


def option_label(value: object) -> str:
    """How a value from the data is written in a list of choices: as text, on one
    line, cut to :data:`OPTION_CHARS` characters."""
    return plain(value, OPTION_CHARS)


def table(frame: pd.DataFrame, where=st, **kwargs):
    """``st.dataframe`` for a table holding data: bidirectional controls in its
    text are shown (see :func:`imu_geo.text.show_controls`), never obeyed."""
    return where.dataframe(show_controls_in(frame), **kwargs)


def describe_selection(
    selected: pd.DataFrame, spec: FilterSpec, extra: str = ""
) -> None:
    """The sentence that says what is shown, as a caption.

    It contains the user's search words, so it is escaped: Markdown typed into the
    search box shows as typed and cannot format, link or load anything.
    """
    st.caption(escape_markdown(describe(selected, spec) + extra))


def download(label: str, build, file_name: str, mime: str = "text/csv", where=st):
    """A download button whose file is built only when it is clicked.

    ``build`` is a function returning the bytes; the click does not rerun the app,
    so moving the slider never rebuilds a file nobody asked for.
    """
    where.download_button(
        label,
        data=build,
        file_name=file_name,
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
    )


def event_panel(details) -> None:
    """The detail panel of one event: facts, description, the verbatim quote."""
    with st.container(border=True):
        # No anchor: Streamlit would make a link to it from the title's words.
        st.subheader(details.title, anchor=False)
        st.markdown(details.facts)
        st.markdown(details.description)
        st.markdown(details.quote)
        st.caption(details.citation)
        if details.notes:
            st.caption(details.notes)
